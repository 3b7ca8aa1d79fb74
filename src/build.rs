//! The pipeline, step by step: load and validate (`load_site`), then the output steps of
//! `render_checked` (pages and search index, search page, feeds, downloads, static files,
//! links), then publish. `check` stops after validation; `build` publishes atomically;
//! `serve` renders to memory.

#![allow(clippy::result_large_err)] // diagnostics are the cold path; boxing them buys nothing here

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{self, MemSink, Sink};
use crate::render::{self, links::LinkChecker, Skip};
use crate::theme::Theme;
use crate::validate;

/// Today's date in China Standard Time (UTC+8), whatever the machine's time zone.
pub fn today_cst() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub root: PathBuf,
    pub today: NaiveDate,
    /// Replaces `base_url` of `data/site.toml` (previews, sub-path tests).
    pub base_url: Option<String>,
    pub include_drafts: bool,
}

/// Loads and checks the whole site and its theme. Warnings come back with the site.
pub fn load_site(opts: &LoadOptions) -> Result<(Site, Theme, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    if let Err(d) = crate::load::check_root(&opts.root) {
        diags.push(d);
        return Err(diags);
    }
    if let Some(Err(why)) = opts
        .base_url
        .as_deref()
        .map(crate::domain::url::check_base_url)
    {
        diags.push(
            Diagnostic::general(format!("--base-url 不能用作网站地址：{why}"))
                .code("base-url")
                .help("写完整的地址，例如 --base-url https://gxj.dl.gov.cn/cxzx/"),
        );
        return Err(diags);
    }
    let t = Instant::now();
    let loaded = crate::load::load(&opts.root, &mut diags);
    timing("load", t);
    let theme_name = loaded
        .config
        .as_ref()
        .map(|c| c.theme.clone())
        .unwrap_or_else(|| "default".into());
    let t = Instant::now();
    let theme = crate::theme::load(&opts.root, &theme_name, &mut diags);
    timing("theme", t);
    let vopts = validate::Options {
        include_drafts: opts.include_drafts,
    };
    let t = Instant::now();
    let site = validate::validate(&opts.root, loaded, opts.today, vopts, &mut diags);
    timing("validate", t);
    diags.sort();
    match (site, theme) {
        (Some(mut site), Some(theme)) if !diags.has_errors() => {
            if let Some(b) = &opts.base_url {
                site.config.base_url = b.clone();
            }
            Ok((site, theme, diags))
        }
        _ => Err(diags),
    }
}

/// The output steps, in order, into `sink`.
fn output_steps(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    skip: Skip,
) -> Result<(), Diagnostics> {
    let directory = step("directory", || crate::directory::Directory::compile(site));
    let renderer = render::Renderer::new(site, &directory, theme, skip);
    // 1–2. Pages beside the search index and every enterprise's JSON (for banks' and
    // procurement systems' software) with the directory's downloads: they are independent,
    // and only the search page needs the index's (content-hashed) address.
    let ((manifest, mut errors), (mut files, page_errors)) = rayon::join(
        || {
            let (manifest, mut errors) = step("search index", || match skip.search {
                true => (String::new(), Vec::new()),
                false => crate::search::write_index(site, &directory, sink),
            });
            errors.extend(step("directory files", || {
                render::directory::write_files(
                    site,
                    &theme.words,
                    &directory,
                    sink,
                    !skip.downloads,
                )
            }));
            (manifest, errors)
        },
        || step("pages", || renderer.pages(sink)),
    );
    errors.extend(page_errors);
    // 3. The search page, naming the index.
    if !(skip.search && skip.as_complete) {
        match renderer.write_search_page(sink, &manifest) {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    // 4. Feeds, calendar and sitemaps of the pages written.
    if !skip.feeds {
        let pages = files
            .iter()
            .filter_map(|f| render::sitemap_dir(site, f))
            .collect();
        errors.extend(step("feeds", || {
            render::feeds::write_all(&renderer, sink, pages)
        }));
    }
    // 5. Downloads (CSV and JSON of every list).
    if !skip.downloads {
        errors.extend(step("downloads", || {
            render::downloads::write_all(site, &theme.words.downloads, sink)
        }));
    }
    // 6. Static files of the theme and the site.
    errors.extend(render::write_theme_static(theme, sink));
    errors.extend(render::write_site_static(site, sink));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(theme.report(errors))
    }
}

fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    timing(name, t);
    out
}

/// Renders everything into `sink` and checks every internal link.
pub fn render_checked(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    skip: Skip,
) -> Result<(), Diagnostics> {
    let checker = LinkChecker::new(
        sink,
        &crate::domain::url::base_path_of(&site.config.base_url),
    );
    let t = Instant::now();
    output_steps(site, theme, &checker, skip)?;
    timing("render", t);
    let t = Instant::now();
    let broken = checker.broken();
    timing("links", t);
    if broken.is_empty() {
        return Ok(());
    }
    let mut diags = Diagnostics::new();
    let total = broken.len();
    for (page, link, why) in broken.into_iter().take(50) {
        diags.push(
            Diagnostic::general(format!(
                "生成的页面 /{page} 中有断开的链接 {link}：{why} (broken link)"
            ))
            .code("link-broken")
            .help("改正生成这个页面的模板或内容中的链接"),
        );
    }
    if total > 50 {
        diags.push(
            Diagnostic::general(format!(
                "……另有 {} 个断开的链接 (and more broken links)",
                total - 50
            ))
            .code("link-broken"),
        );
    }
    Err(diags)
}

#[derive(Debug)]
pub enum BuildError {
    Input(Diagnostics),
    Output(output::OutputError),
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub load: LoadOptions,
    pub out: PathBuf,
    pub skip: Skip,
    /// Keep the replaced site beside the output as `.<out>.prev` until the next build.
    pub keep_previous: bool,
}

#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub pages: usize,
    pub lists: usize,
    pub enterprises: usize,
    pub seconds: f64,
    pub warnings: Diagnostics,
}

/// Builds the site into a staging folder and switches it in only if all went well.
/// `on_wait` is called when another build holds the output folder and this one waits.
pub fn build(opts: &BuildOptions, on_wait: &dyn Fn()) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    crate::load::check_root(&opts.load.root).map_err(|d| {
        let mut diags = Diagnostics::new();
        diags.push(d);
        BuildError::Input(diags)
    })?;
    // Locks the output, clears what earlier builds left (in the background) and makes
    // the staging folder; dropped on any error below, it discards the staging folder.
    let t = Instant::now();
    let publication =
        output::Publication::begin(&opts.load.root, &opts.out, opts.keep_previous, on_wait)
            .map_err(BuildError::Output)?;
    timing("output folder", t);
    let (site, theme, warnings) = load_site(&opts.load).map_err(BuildError::Input)?;
    let sink = CountingSink {
        inner: publication.sink(),
        count: Default::default(),
    };
    render_checked(&site, &theme, &sink, opts.skip).map_err(BuildError::Input)?;
    crate::hooks::fail_point("before-publish");
    crate::hooks::pause_point("build-before-publish");
    let t = Instant::now();
    publication.publish().map_err(BuildError::Output)?;
    timing("publish", t);
    Ok(BuildReport {
        out: opts.out.clone(),
        pages: sink.count.load(std::sync::atomic::Ordering::Relaxed),
        lists: site.lists.len(),
        enterprises: site.lists.iter().map(|l| l.enterprises.len()).sum(),
        seconds: started.elapsed().as_secs_f64(),
        warnings,
    })
}

fn timing(step: &str, since: Instant) {
    crate::timings::record(step, since);
}

struct CountingSink<S: Sink> {
    inner: S,
    count: std::sync::atomic::AtomicUsize,
}

impl<S: Sink> Sink for CountingSink<S> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        if path.ends_with(".html") {
            self.count
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.inner.put(path, bytes)
    }

    fn put_parts(&self, path: &str, parts: Vec<Vec<u8>>) -> std::io::Result<()> {
        if path.ends_with(".html") {
            self.count
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.inner.put_parts(path, parts)
    }
}

/// Checks the site without writing anything. Returns all diagnostics (warnings too).
pub fn check(opts: &LoadOptions) -> Diagnostics {
    match load_site(opts) {
        Ok((site, theme, mut warnings)) => {
            // Render to memory so that template errors and broken links are found too.
            let mem = output::MemSink::default();
            if let Err(d) = render_checked(&site, &theme, &mem, Skip::default()) {
                warnings.extend(d);
            }
            warnings
        }
        Err(d) => d,
    }
}

/// A finished in-memory build.
pub struct Built {
    pub files: BTreeMap<String, Vec<u8>>,
    pub warnings: Diagnostics,
    pub enterprises: usize,
    /// Seconds spent loading and checking the sources, and rendering (with link check).
    pub load_seconds: f64,
    pub render_seconds: f64,
}

/// Builds the whole site into memory, exactly as `build` would publish it (less the
/// parts in `skip`).
pub fn build_in_memory(load: &LoadOptions, skip: Skip) -> Result<Built, Diagnostics> {
    build_into_memory(load, |site, theme, sink| {
        render_checked(site, theme, sink, skip)
    })
}

/// Builds only the pages (see `Skip::as_complete`), without checking links: the
/// complete build that follows checks them.
pub fn build_pages_in_memory(load: &LoadOptions) -> Result<Built, Diagnostics> {
    let skip = Skip {
        search: true,
        downloads: true,
        feeds: true,
        as_complete: true,
    };
    build_into_memory(load, |site, theme, sink| {
        output_steps(site, theme, sink, skip)
    })
}

fn build_into_memory(
    load: &LoadOptions,
    render: impl FnOnce(&crate::model::Site, &crate::theme::Theme, &MemSink) -> Result<(), Diagnostics>,
) -> Result<Built, Diagnostics> {
    let started = Instant::now();
    let (site, theme, warnings) = load_site(load)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let sink = MemSink::default();
    render(&site, &theme, &sink)?;
    Ok(Built {
        files: sink.into_files(),
        warnings,
        enterprises: site.lists.iter().map(|l| l.enterprises.len()).sum(),
        load_seconds,
        render_seconds: started.elapsed().as_secs_f64() - load_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `GAZETTE_SEARCH_SITE=/tmp/site cargo test --release --lib profile_index -- --ignored
    /// --nocapture`: builds only the index of a (synthetic) site, for profiling. Here, not in
    /// `search`, which must not depend on `build`.
    #[test]
    #[ignore = "a profiling aid: does nothing without GAZETTE_SEARCH_SITE"]
    fn profile_index_build() {
        let Some(root) = std::env::var_os("GAZETTE_SEARCH_SITE") else {
            return;
        };
        let opts = LoadOptions {
            root: root.into(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            base_url: None,
            include_drafts: false,
        };
        let Ok((site, _, _)) = load_site(&opts) else {
            panic!("the site does not load");
        };
        let urls = crate::urls::Urls::new(&site);
        let directory = crate::directory::Directory::compile(&site);
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let index = crate::search::build(&site, &directory, &urls);
            let bytes: usize = index.files.iter().map(|f| f.1.len()).sum();
            let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for (path, b) in &index.files {
                let kind = path.split('/').nth(2).unwrap_or("");
                let e = kinds.entry(kind).or_default();
                e.0 += 1;
                e.1 += b.len();
            }
            eprintln!("by kind (files, bytes): {kinds:?}");
            eprintln!(
                "index: {} files, {} bytes, {:.3}s",
                index.files.len(),
                bytes,
                t.elapsed().as_secs_f64()
            );
        }
    }
}
