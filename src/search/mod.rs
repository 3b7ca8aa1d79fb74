//! The search index: written at build time, read by `search.js` in the browser.
//!
//! Records are the rows of every list page, in result order (newest list first, then the
//! list's own order, withdrawn rows of announced lists last, as on the list's last page),
//! so list and stage filters are record-id ranges. `builder` writes the files; everything
//! goes under `search/<version>/`, where the version is a hash of every file, so a rebuild
//! never mixes old and new pieces in a reader's cache. See docs/search.md.

pub(crate) mod builder;
pub(crate) mod format;
pub(crate) mod normalize;
#[cfg(test)]
pub(crate) mod reader;

use serde::Serialize;

use crate::directory::Directory;
use crate::model::{Site, Stage};
use crate::urls::{page_count, Urls};
use builder::{NodeRef, Options, Record};

/// Index files to write, and the URL of the manifest the search page loads.
#[derive(Debug, Default)]
pub(crate) struct SearchIndex {
    /// (site-relative path, bytes)
    pub files: Vec<(String, Vec<u8>)>,
    /// Site-relative URL (with base path) of the manifest; empty when there is no index.
    pub manifest_url: String,
}

/// Format version of the files; `search.js` refuses others.
pub(crate) const FORMAT: u32 = 2;

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    records: usize,
    threshold: usize,
    block: usize,
    chunk: usize,
    /// Characters of a table key; longer queries are checked against the names.
    key: usize,
    dbits: u32,
    shards: u32,
    /// Suffix-table pages, and page keys per directory file.
    pages: usize,
    dir: usize,
    lists: Vec<ListEntry<'a>>,
    /// Records `renamed[0]..renamed[1]` are enterprises' names from renames that no list
    /// carries yet; they belong to no list and link to the enterprise's page.
    renamed: [usize; 2],
    /// Prefix of an enterprise's page and JSON (`<prefix><code>/`, `<prefix><code>.json`).
    enterprises: String,
    districts: Vec<DistrictEntry>,
    top: &'a [String],
}

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    title: &'a str,
    stage: &'static str,
    sample: bool,
    /// Records `start..end` belong to this list; the first `shown` are its numbered rows.
    start: usize,
    shown: usize,
    end: usize,
    page_size: usize,
    /// Link to page 1, and the prefix of page n (`<page_url><n>/`).
    url: String,
    page_url: String,
    /// The list's programme (its id and name) and year, for the programme and year filters.
    programme: &'a str,
    programme_name: &'a str,
    year: i32,
}

#[derive(Serialize)]
struct DistrictEntry {
    name: String,
    /// The name normalised like queries are.
    key: String,
    node: NodeRef,
}

/// Builds the index of `site` with the default layout.
pub(crate) fn build(site: &Site, directory: &Directory, urls: &Urls) -> SearchIndex {
    build_with(site, directory, urls, Options::default())
}

pub(crate) fn build_with(
    site: &Site,
    directory: &Directory,
    urls: &Urls,
    options: Options,
) -> SearchIndex {
    let page_size = site.config.page_size.max(1);
    let mut records: Vec<Record> = Vec::new();
    let mut lists = Vec::new();
    for list in &site.lists {
        let start = records.len();
        for e in list.shown() {
            records.push(Record {
                name: &e.name,
                code: &e.credit_code,
                district: e.district_order as u16,
                withdrawn: e.withdrawn.is_some(),
            });
        }
        let shown = records.len() - start;
        if list.stage == Stage::Announced {
            for e in list.enterprises.iter().filter(|e| e.withdrawn.is_some()) {
                records.push(Record {
                    name: &e.name,
                    code: &e.credit_code,
                    district: e.district_order as u16,
                    withdrawn: true,
                });
            }
        }
        debug_assert!(page_count(shown, page_size) >= 1);
        lists.push(ListEntry {
            id: &list.id,
            title: &list.title,
            stage: list.stage.as_str(),
            sample: list.sample,
            start,
            shown,
            end: records.len(),
            page_size,
            url: urls.to(&Urls::list_path(&list.id, 1)),
            page_url: urls.to(&format!("lists/{}/page/", list.id)),
            programme: &site.programmes[list.programme].id,
            programme_name: &site.programmes[list.programme].name,
            year: list.year,
        });
    }
    // A renamed enterprise is found by its new name before a list carries it.
    let renamed_start = records.len();
    for e in directory.entries.iter().filter(|e| !e.renames.is_empty()) {
        let listed = e
            .records
            .iter()
            .flat_map(|r| &r.listings)
            .any(|l| site.lists[l.list].enterprises[l.n - 1].name == e.name);
        if !listed {
            records.push(Record {
                name: &e.name,
                code: &e.credit_code,
                district: e.district as u16,
                withdrawn: false,
            });
        }
    }
    let renamed = [renamed_start, records.len()];
    let started = std::time::Instant::now();
    let built = builder::build(&records, site.districts.len(), options);
    crate::timings::record("search index", started);
    crate::timings::note(|| {
        format!(
            "search index: {} records, {} files, {} heavy terms in {} postings",
            records.len(),
            built.files.len(),
            built.terms,
            built.nodes
        )
    });
    let districts = site
        .districts
        .iter()
        .zip(&built.districts)
        .map(|(d, node)| DistrictEntry {
            name: d.name.clone(),
            key: normalize::name_key(&d.name).into_iter().collect(),
            node: *node,
        })
        .collect();
    let manifest = Manifest {
        format: FORMAT,
        records: records.len(),
        threshold: options.threshold.max(1),
        block: options.block.max(1),
        chunk: options.chunk.max(1),
        key: options.key.max(1),
        dbits: built.dbits,
        shards: built.shards,
        pages: built.pages,
        dir: options.dir.max(1),
        lists,
        renamed,
        enterprises: urls.to("enterprises/"),
        districts,
        top: &built.top,
    };
    let manifest = serde_json::to_vec(&manifest).unwrap_or_default();

    // The folder name is a hash of every file, so it changes whenever any byte does.
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (path, bytes) in &built.files {
        h.update(path.as_bytes());
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.update(&manifest);
    let folder = format!("search/{:016x}/", h.digest());
    let mut files: Vec<(String, Vec<u8>)> = built
        .files
        .into_iter()
        .map(|(p, b)| (format!("{folder}{p}"), b))
        .collect();
    let manifest_path = format!("{folder}manifest.json");
    files.push((manifest_path.clone(), manifest));
    SearchIndex {
        files,
        manifest_url: urls.to(&manifest_path),
    }
}

/// Builds the index and writes its files in parallel; returns the manifest's URL.
pub(crate) fn write_index(
    site: &Site,
    directory: &crate::directory::Directory,
    sink: &dyn crate::output::Sink,
) -> (String, Vec<crate::diag::Diagnostic>) {
    use rayon::prelude::*;
    let index = build(site, directory, &Urls::new(site));
    let errors = index
        .files
        .into_par_iter()
        .filter_map(|(path, bytes)| {
            sink.put(&path, bytes)
                .err()
                .map(|e| crate::diag::Diagnostic::cannot_write(&path, &e))
        })
        .collect();
    (index.manifest_url, errors)
}
