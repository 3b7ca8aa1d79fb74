//! The directory's outputs: a page and a JSON file for every enterprise
//! (`enterprises/<credit code>/`, `enterprises/<credit code>.json`), the directory's own
//! page with counts per status, and the whole directory as CSV and JSON downloads. One
//! view of an entry (`EnterpriseDoc`) feeds the page and the JSON, so they say the same.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use crate::diag::Diagnostic;
use crate::directory::{Directory, Entry, Record};
use crate::domain::datefmt::{iso, zh_date};
use crate::domain::honour::Status;
use crate::model::{Site, Stage};
use crate::output::Sink;
use crate::theme::words::{fill, DirectoryWords, Words};
use crate::urls::Urls;

/// Version of the enterprise JSON's shape; README → "Enterprise JSON" documents it. A
/// field is only ever added under one version; a change of meaning makes a new version.
pub(crate) const SCHEMA: &str = "gazette-enterprise/1";

/// One enterprise as its page and its JSON file show it.
#[derive(Serialize)]
pub(crate) struct EnterpriseDoc<'a> {
    schema: &'static str,
    credit_code: &'a str,
    name: &'a str,
    former_names: Vec<FormerNameDoc<'a>>,
    district: &'a str,
    sample: bool,
    /// The build date: the statuses are as of this day (pages recompute them live).
    as_of: String,
    url: String,
    renames: Vec<RenameDoc<'a>>,
    programmes: Vec<RecordDoc<'a>>,
}

#[derive(Serialize)]
struct FormerNameDoc<'a> {
    name: &'a str,
    renamed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    renamed_zh: Option<String>,
}

#[derive(Serialize)]
struct RenameDoc<'a> {
    from: &'a str,
    to: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_zh: Option<String>,
    document: Option<&'a str>,
}

#[derive(Serialize)]
struct RecordDoc<'a> {
    programme: &'a str,
    programme_name: &'a str,
    /// `publicity`, `valid`, `expiring`, `lapsed`, `revoked` or `none`.
    status: &'static str,
    /// The status in the theme's words, as of `as_of`.
    status_text: String,
    /// Publicity over, waiting for its announcement (status `publicity`).
    publicity_ended: bool,
    /// The window of the title the status is about.
    announced: Option<String>,
    valid_from: Option<String>,
    valid_until: Option<String>,
    expiry_warning_from: Option<String>,
    revocation: Option<RevocationDoc<'a>>,
    /// The latest publicity naming the enterprise (objections go there while it runs).
    publicity: Option<PublicityDoc>,
    lists: Vec<ListingDoc<'a>>,
    /// Words for each state the status may turn into after the build date (the page's
    /// script shows them; the JSON leaves them out).
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Labels>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_from_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    announced_zh: Option<String>,
}

#[derive(Serialize, Default)]
struct Labels {
    valid: String,
    expiring: String,
    lapsed: String,
    revoked: String,
    publicity: String,
    publicity_ended: String,
}

#[derive(Serialize)]
struct RevocationDoc<'a> {
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_zh: Option<String>,
    reason: &'a str,
    document: Option<&'a str>,
}

#[derive(Serialize)]
struct PublicityDoc {
    start: String,
    end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_zh: Option<String>,
    url: String,
}

#[derive(Serialize)]
struct ListingDoc<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    kind_name: &'a str,
    stage: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage_name: Option<&'a str>,
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_zh: Option<&'a str>,
    /// 序号 on the list as published.
    seq: usize,
    withdrawn: Option<&'a str>,
    sample: bool,
    /// The row on its list page.
    url: String,
}

/// The status in the theme's words.
fn status_text(words: &DirectoryWords, status: Status) -> String {
    match status {
        Status::Publicity { ended: false, .. } => words.publicity.clone(),
        Status::Publicity { ended: true, .. } => words.publicity_ended.clone(),
        Status::Valid { until: None } => words.valid_open.clone(),
        Status::Valid { until: Some(u) } => fill(&words.valid, &[("until", &zh_date(u))]),
        Status::Expiring { until } => fill(&words.expiring, &[("until", &zh_date(until))]),
        Status::Lapsed { until } => fill(&words.lapsed, &[("until", &zh_date(until))]),
        Status::Revoked { date } => fill(&words.revoked, &[("date", &zh_date(date))]),
        Status::None => words.none.clone(),
    }
}

/// What every enterprise's view needs of the lists, made once per build rather than once
/// per enterprise and list: each list's date written both ways, and the link of each of
/// its pages (relative for pages, absolute for the JSON).
pub(crate) struct ListStrings {
    dates: Vec<(Option<String>, Option<String>)>,
    pages: Vec<Vec<String>>,
}

impl ListStrings {
    pub(crate) fn new(site: &Site, link: &dyn Fn(&str) -> String) -> ListStrings {
        let size = site.config.page_size;
        ListStrings {
            dates: site
                .lists
                .iter()
                .map(|l| (l.date().map(iso), l.date().map(zh_date)))
                .collect(),
            pages: site
                .lists
                .iter()
                .map(|l| {
                    let pages = super::page_count(l.shown().count(), size);
                    (1..=pages.max(1))
                        .map(|p| link(&Urls::list_path(&l.id, p)))
                        .collect()
                })
                .collect(),
        }
    }

    /// The link of a row: its list page, then `#` and the credit code.
    fn row(&self, list: usize, page: usize, code: &str) -> String {
        let page = &self.pages[list][page.saturating_sub(1).min(self.pages[list].len() - 1)];
        let mut url = String::with_capacity(page.len() + 1 + code.len());
        url.push_str(page);
        url.push('#');
        url.push_str(code);
        url
    }
}

/// The view of one entry; `link` makes a site path a link (relative for pages, absolute
/// for the JSON), and `lists` holds the lists' strings made the same way.
pub(crate) fn doc<'a>(
    site: &'a Site,
    words: &'a Words,
    e: &'a Entry,
    link: &dyn Fn(&str) -> String,
    lists: &'a ListStrings,
    page: bool,
) -> EnterpriseDoc<'a> {
    let only = |v: String| page.then_some(v);
    let dw = &words.directory;
    EnterpriseDoc {
        schema: SCHEMA,
        credit_code: &e.credit_code,
        name: &e.name,
        former_names: e
            .former_names
            .iter()
            .map(|f| FormerNameDoc {
                name: &f.name,
                renamed: f.renamed.map(iso),
                renamed_zh: f.renamed.map(zh_date).filter(|_| page),
            })
            .collect(),
        district: &site.districts[e.district].name,
        sample: e.sample,
        as_of: iso(site.today),
        url: link(&Urls::enterprise_path(&e.credit_code)),
        renames: e
            .renames
            .iter()
            .map(|&ri| {
                let r = &site.renames[ri];
                RenameDoc {
                    from: &r.from,
                    to: &r.to,
                    date: iso(r.date),
                    date_zh: only(zh_date(r.date)),
                    document: r.document.as_deref(),
                }
            })
            .collect(),
        programmes: e
            .records
            .iter()
            .map(|r| record_doc(site, words, dw, e, r, link, lists, page))
            .collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn record_doc<'a>(
    site: &'a Site,
    words: &'a Words,
    dw: &DirectoryWords,
    e: &'a Entry,
    r: &Record,
    link: &dyn Fn(&str) -> String,
    lists: &'a ListStrings,
    page: bool,
) -> RecordDoc<'a> {
    let only = |v: String| page.then_some(v);
    let p = &site.programmes[r.programme];
    let revocation = r.revocation(site);
    let publicity = r
        .listings
        .iter()
        .filter(|l| !l.withdrawn)
        .filter_map(|l| {
            let list = &site.lists[l.list];
            let p = list.publicity.as_ref()?;
            (list.stage == Stage::Publicity).then_some((p, &list.id))
        })
        .max_by_key(|(p, _)| p.end)
        .map(|(p, id)| PublicityDoc {
            start: iso(p.start),
            end: iso(p.end),
            end_zh: only(zh_date(p.end)),
            url: link(&Urls::publicity_path(id)),
        });
    let until = r.grant.and_then(|g| g.until);
    let until_zh = until.map(zh_date).unwrap_or_default();
    let filled = |pattern: &str| fill(pattern, &[("until", &until_zh)]);
    let revoked_label = revocation
        .map(|v| fill(&dw.revoked, &[("date", &zh_date(v.date))]))
        .unwrap_or_default();
    RecordDoc {
        programme: &p.id,
        programme_name: &p.name,
        status: r.status.key(),
        status_text: status_text(dw, r.status),
        publicity_ended: matches!(r.status, Status::Publicity { ended: true, .. }),
        announced: r.grant.map(|g| iso(g.announced)),
        valid_from: r.grant.map(|g| iso(g.from)),
        valid_until: until.map(iso),
        expiry_warning_from: r.warning_from.map(iso),
        revocation: revocation.map(|v| RevocationDoc {
            date: iso(v.date),
            date_zh: only(zh_date(v.date)),
            reason: &v.reason,
            document: v.document.as_deref(),
        }),
        publicity,
        lists: r
            .listings
            .iter()
            .map(|l| {
                let list = &site.lists[l.list];
                let (date, date_zh) = &lists.dates[l.list];
                ListingDoc {
                    id: &list.id,
                    title: &list.title,
                    kind: &list.kind_id,
                    kind_name: &list.kind_name,
                    stage: list.stage.as_str(),
                    stage_name: page.then_some(match list.stage {
                        Stage::Publicity => words.stages.publicity.as_str(),
                        Stage::Announced => words.stages.announced.as_str(),
                    }),
                    date: date.as_deref(),
                    date_zh: date_zh.as_deref().filter(|_| page),
                    seq: l.n,
                    withdrawn: list.enterprises[l.n - 1].withdrawn.as_deref(),
                    sample: list.sample,
                    url: lists.row(l.list, l.page, &e.credit_code),
                }
            })
            .collect(),
        labels: page.then(|| Labels {
            valid: match until {
                Some(_) => filled(&dw.valid),
                None => dw.valid_open.clone(),
            },
            expiring: filled(&dw.expiring),
            lapsed: filled(&dw.lapsed),
            revoked: revoked_label,
            publicity: dw.publicity.clone(),
            publicity_ended: dw.publicity_ended.clone(),
        }),
        until_zh: until.map(zh_date).filter(|_| page),
        valid_from_zh: r.grant.map(|g| zh_date(g.from)).filter(|_| page),
        announced_zh: r.grant.map(|g| zh_date(g.announced)).filter(|_| page),
    }
}

/// schema.org `Organization` of an enterprise, as JSON safe inside `<script>`.
fn json_ld(d: &EnterpriseDoc, absolute: &str) -> String {
    // Keys in alphabetical order, as they always were.
    #[derive(Serialize)]
    struct Organization<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        address: Address<'a>,
        #[serde(rename = "alternateName")]
        alternate_name: Vec<&'a str>,
        identifier: Identifier<'a>,
        name: &'a str,
        #[serde(rename = "taxID")]
        tax_id: &'a str,
        url: &'a str,
    }
    #[derive(Serialize)]
    struct Identifier<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "propertyID")]
        property_id: &'static str,
        value: &'a str,
    }
    #[derive(Serialize)]
    struct Address<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "addressRegion")]
        region: &'a str,
    }
    let org = Organization {
        context: "https://schema.org",
        kind: "Organization",
        name: d.name,
        alternate_name: d.former_names.iter().map(|f| f.name).collect(),
        identifier: Identifier {
            kind: "PropertyValue",
            property_id: "统一社会信用代码",
            value: d.credit_code,
        },
        tax_id: d.credit_code,
        url: absolute,
        address: Address {
            kind: "PostalAddress",
            region: d.district,
        },
    };
    crate::escape::json_in_script(&serde_json::to_string(&org).unwrap_or_default())
}

/// Counts per programme and status, for the directory's page.
#[derive(Serialize)]
struct Counts<'a> {
    programme: &'a str,
    publicity: usize,
    publicity_ended: usize,
    valid: usize,
    expiring: usize,
    lapsed: usize,
    revoked: usize,
    none: usize,
    total: usize,
}

impl<'a> Renderer<'a> {
    pub(super) fn directory_page(&self, dir: &Directory) -> Result<(String, Vec<u8>), Diagnostic> {
        let site = self.site;
        let mut counts: Vec<Counts> = site
            .programmes
            .iter()
            .map(|p| Counts {
                programme: &p.name,
                publicity: 0,
                publicity_ended: 0,
                valid: 0,
                expiring: 0,
                lapsed: 0,
                revoked: 0,
                none: 0,
                total: 0,
            })
            .collect();
        for r in dir.entries.iter().flat_map(|e| &e.records) {
            let c = &mut counts[r.programme];
            c.total += 1;
            *match r.status {
                Status::Publicity { ended: false, .. } => &mut c.publicity,
                Status::Publicity { ended: true, .. } => &mut c.publicity_ended,
                Status::Valid { .. } => &mut c.valid,
                Status::Expiring { .. } => &mut c.expiring,
                Status::Lapsed { .. } => &mut c.lapsed,
                Status::Revoked { .. } => &mut c.revoked,
                Status::None => &mut c.none,
            } += 1;
        }
        counts.retain(|c| c.total > 0);
        let w = &self.theme.words.directory;
        let meta = self.meta(&w.title, &w.description, Urls::DIRECTORY, "search", None);
        let mut ctx = Context::new();
        ctx.insert("counts", &counts);
        ctx.insert("enterprise_count", &dir.entries.len());
        ctx.insert(
            "programme_settings",
            &site
                .programmes
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name,
                        "validity_years": p.validity_years,
                        "expiry_warning_months": p.expiry_warning_months,
                    })
                })
                .collect::<Vec<_>>(),
        );
        ctx.insert(
            "downloads",
            &(!self.skip_downloads).then(|| {
                serde_json::json!({
                    "csv": self.urls.to(&Urls::directory_download_path("csv")),
                    "json": self.urls.to(&Urls::directory_download_path("json")),
                })
            }),
        );
        self.render(
            "enterprises.html",
            ctx,
            &meta,
            format!("{}index.html", Urls::DIRECTORY),
        )
    }
}

/// Every enterprise's JSON file and, unless downloads are skipped, the whole directory as
/// CSV (one row per enterprise and programme, UTF-8 with BOM, injection-safe like the list
/// CSVs) and JSON (every enterprise's document, the same bytes as its own file).
pub(crate) fn write_files(
    site: &Site,
    words: &Words,
    dir: &Directory,
    sink: &dyn Sink,
    downloads: bool,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let urls = Urls::new(site);
    let absolute = |p: &str| urls.absolute(p);
    let lists = ListStrings::new(site, &absolute);
    // Each run of entries writes its JSON files and keeps its documents joined for the
    // download, which the sink writes run by run: at a million enterprises the documents
    // are held once (about 1.3 GB), not twice.
    const RUN: usize = 4096;
    let runs: Vec<(Vec<u8>, Vec<Diagnostic>)> = dir
        .entries
        .par_chunks(RUN)
        .map(|run| {
            let mut joined = Vec::new();
            let mut errors = Vec::new();
            for e in run {
                let path = Urls::enterprise_json_path(&e.credit_code);
                let mut bytes =
                    match serde_json::to_vec(&doc(site, words, e, &absolute, &lists, false)) {
                        Ok(b) => b,
                        Err(err) => {
                            errors.push(Diagnostic::general(format!(
                                "无法生成 {path}：{err} (cannot make the enterprise JSON)"
                            )));
                            continue;
                        }
                    };
                if downloads {
                    if !joined.is_empty() {
                        joined.extend_from_slice(b",\n");
                    }
                    joined.extend_from_slice(&bytes);
                }
                bytes.push(b'\n');
                if let Err(err) = sink.put(&path, bytes) {
                    errors.push(Diagnostic::cannot_write(&path, &err));
                }
            }
            // Grown by doubling: give back the unused half before the runs wait together.
            joined.shrink_to_fit();
            (joined, errors)
        })
        .collect();
    let mut errors = Vec::new();
    let mut docs = Vec::with_capacity(runs.len());
    for (joined, run_errors) in runs {
        errors.extend(run_errors);
        docs.push(joined);
    }
    if !downloads {
        return errors;
    }
    let csv_path = Urls::directory_download_path("csv");
    match directory_csv(site, words, dir, &urls) {
        Ok(b) => {
            if let Err(e) = sink.put(&csv_path, b) {
                errors.push(Diagnostic::cannot_write(&csv_path, &e));
            }
        }
        Err(e) => errors.push(Diagnostic::general(format!(
            "无法生成企业名录 CSV：{e} (cannot make the CSV)"
        ))),
    }
    // The runs go to the sink as parts, not joined into one more copy.
    let json_path = Urls::directory_download_path("json");
    let mut parts = vec![format!(
        "{{\"schema\":\"gazette-directory/1\",\"as_of\":\"{}\",\"enterprises\":[",
        iso(site.today)
    )
    .into_bytes()];
    for d in docs.into_iter().filter(|d| !d.is_empty()) {
        if parts.len() > 1 {
            parts.push(b",\n".to_vec());
        }
        parts.push(d);
    }
    parts.push(b"]}\n".to_vec());
    if let Err(e) = sink.put_parts(&json_path, parts) {
        errors.push(Diagnostic::cannot_write(&json_path, &e));
    }
    errors
}

fn directory_csv(
    site: &Site,
    words: &Words,
    dir: &Directory,
    urls: &Urls,
) -> Result<Vec<u8>, csv::Error> {
    use super::downloads::csv_cell;
    let dw = &words.directory;
    let mut buf = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        w.write_record(&dw.csv_headers)?;
        for e in &dir.entries {
            let former: Vec<&str> = e.former_names.iter().map(|f| f.name.as_str()).collect();
            let former = former.join("；");
            let page = urls.absolute(&Urls::enterprise_path(&e.credit_code));
            for r in &e.records {
                let until = r.grant.and_then(|g| g.until).map(iso).unwrap_or_default();
                let revocation = r
                    .revocation(site)
                    .filter(|_| matches!(r.status, Status::Revoked { .. }));
                w.write_record([
                    e.credit_code.as_str(),
                    &csv_cell(&e.name),
                    &csv_cell(&former),
                    &csv_cell(&site.districts[e.district].name),
                    &csv_cell(&site.programmes[r.programme].name),
                    &csv_cell(&status_text(dw, r.status)),
                    &until,
                    &revocation.map(|v| iso(v.date)).unwrap_or_default(),
                    &csv_cell(revocation.map_or("", |v| v.reason.as_str())),
                    &page,
                ])?;
            }
        }
        w.flush()?;
    }
    Ok(buf)
}

/// The enterprise page cut at its per-page values: the whole page (`enterprise.html` over
/// `base.html`) rendered once with markers for the title, the description, the canonical
/// address and the content, so that each of a hundred thousand pages costs one render of
/// `partials/enterprise.html` and a copy. Used only when it gives the very bytes of a
/// whole render (checked on the first enterprise), so a theme may write its templates
/// any way it likes.
pub(super) struct Shell {
    pieces: Vec<(String, Slot)>,
    tail: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    Title,
    Description,
    Canonical,
    Content,
}

const MARKS: [(&str, Slot); 3] = [
    ("\u{e000}title\u{e001}", Slot::Title),
    ("\u{e000}description\u{e001}", Slot::Description),
    ("\u{e000}canonical\u{e001}", Slot::Canonical),
];

impl Shell {
    fn split(mut rest: &str) -> Option<Shell> {
        let mut pieces = Vec::new();
        let marks = MARKS
            .iter()
            .copied()
            .chain([(crate::theme::SHELL_MARK, Slot::Content)]);
        let marks: Vec<(&str, Slot)> = marks.collect();
        loop {
            let next = marks
                .iter()
                .filter_map(|&(m, slot)| rest.find(m).map(|at| (at, m, slot)))
                .min_by_key(|x| x.0);
            let Some((at, mark, slot)) = next else {
                break;
            };
            pieces.push((rest[..at].to_string(), slot));
            rest = &rest[at + mark.len()..];
        }
        // Exactly one content; a marker left half-written means the template transformed it.
        let contents = pieces.iter().filter(|p| p.1 == Slot::Content).count();
        (contents == 1 && !rest.contains('\u{e000}')).then(|| Shell {
            pieces,
            tail: rest.to_string(),
        })
    }

    fn fill(&self, meta: &super::Meta, content: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(content.len() + self.tail.len() + 8 * 1024);
        for (literal, slot) in &self.pieces {
            out.extend_from_slice(literal.as_bytes());
            match slot {
                Slot::Title => out.extend_from_slice(crate::escape::html(&meta.title).as_bytes()),
                Slot::Description => {
                    out.extend_from_slice(crate::escape::html(&meta.description).as_bytes())
                }
                Slot::Canonical => {
                    out.extend_from_slice(crate::escape::html(&meta.canonical).as_bytes())
                }
                Slot::Content => out.extend_from_slice(content),
            }
        }
        out.extend_from_slice(self.tail.as_bytes());
        out
    }
}

impl<'a> Renderer<'a> {
    /// What an enterprise page's templates are given beside the shared values.
    fn enterprise_context(&self, e: &Entry) -> (Context, super::Meta, String) {
        let words = &self.theme.words;
        let d = doc(
            self.site,
            words,
            e,
            &|p| self.urls.to(p),
            &self.list_strings,
            true,
        );
        let path = Urls::enterprise_path(&e.credit_code);
        let values = [("name", e.name.as_str()), ("code", e.credit_code.as_str())];
        let meta = self.meta(
            &fill(&words.directory.enterprise, &values),
            &fill(&words.directory.enterprise_description, &values),
            &path,
            "search",
            None,
        );
        let mut ctx = Context::new();
        ctx.insert("enterprise", &d);
        ctx.insert_value("district", self.district_values[e.district].clone());
        ctx.insert("district_url", &self.district_urls[e.district]);
        ctx.insert(
            "json_url",
            &self.urls.to(&Urls::enterprise_json_path(&e.credit_code)),
        );
        ctx.insert_value(
            "json_ld",
            tera::Value::safe_string(&json_ld(&d, &self.urls.absolute(&path))),
        );
        (ctx, meta, path)
    }

    /// The shell of enterprise pages, when it renders the first enterprise exactly as a
    /// whole render does.
    pub(super) fn enterprise_shell(&self, dir: &Directory) -> Option<Shell> {
        let first = dir.entries.first()?;
        let (_, mut meta, _) = self.enterprise_context(first);
        meta.title = MARKS[0].0.to_string();
        meta.description = MARKS[1].0.to_string();
        meta.canonical = MARKS[2].0.to_string();
        let (ctx, _, _) = self.enterprise_context(first);
        let mut ctx = ctx;
        ctx.extend(self.shared.clone());
        ctx.insert("meta", &meta);
        let text = self
            .theme
            .tera
            .render(crate::theme::ENTERPRISE_SHELL, &ctx)
            .ok()?;
        let shell = Shell::split(&text)?;
        let fast = self.enterprise_fast(&shell, first).ok()?;
        let whole = self.enterprise_whole(first).ok()?;
        (fast == whole).then_some(shell)
    }

    fn enterprise_fast(&self, shell: &Shell, e: &Entry) -> Result<Vec<u8>, Diagnostic> {
        let (mut ctx, meta, path) = self.enterprise_context(e);
        for key in ["urls", "today", "today_zh", "words", "site"] {
            if let Some(v) = self.shared.get(key) {
                // A tera::Value shares its maps and lists (Arc): inserting it as a value
                // is a pointer copy, where `insert` would rebuild the theme's words for
                // every one of the enterprises.
                ctx.insert_value(key, v.clone());
            }
        }
        ctx.insert("meta", &meta);
        let mut body = Vec::with_capacity(8 * 1024);
        self.theme
            .tera
            .render_to("partials/enterprise.html", &ctx, &mut body)
            .map_err(|err| {
                let mut d = self.theme.template_error(&err);
                d.message = format!("{}（生成页面 /{path} 时）", d.message);
                d
            })?;
        Ok(shell.fill(&meta, &body))
    }

    fn enterprise_whole(&self, e: &Entry) -> Result<Vec<u8>, Diagnostic> {
        let (ctx, meta, path) = self.enterprise_context(e);
        self.render("enterprise.html", ctx, &meta, format!("{path}index.html"))
            .map(|(_, bytes)| bytes)
    }

    pub(super) fn enterprise_page(
        &self,
        shell: Option<&Shell>,
        e: &Entry,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let file = format!("{}index.html", Urls::enterprise_path(&e.credit_code));
        match shell {
            Some(shell) => self.enterprise_fast(shell, e),
            None => self.enterprise_whole(e),
        }
        .map(|bytes| (file, bytes))
    }
}
