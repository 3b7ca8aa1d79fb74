//! Rendering: the checked site through the theme's Tera templates into files.
//! Pages are independent jobs rendered in parallel; every file goes to a `Sink`.

#![allow(clippy::result_large_err)] // diagnostics are the cold path; boxing them buys nothing here

pub(crate) mod directory;
pub(crate) mod downloads;
pub(crate) mod feeds;
pub(crate) mod links;
pub(crate) mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diag::Diagnostic;
use crate::domain::datefmt::{iso, zh_date};
use crate::model::{Page, Site, Stage};
use crate::output::Sink;
use crate::theme::rows::{DistrictRow, ListRow, RowTemplate};
use crate::theme::{words, Theme};
use views::*;

/// Parts of a build that can be skipped for quick previews and like-for-like benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Skip {
    pub search: bool,
    pub downloads: bool,
    pub feeds: bool,
    /// Render the pages exactly as the complete build would (links to the skipped parts
    /// included) and leave out the search page: `serve` shows the pages of an edit at
    /// once and the missing parts from the last complete build until it has the new ones.
    pub as_complete: bool,
}

/// Everything the templates share, computed once.
#[derive(Serialize)]
struct Shared<'a> {
    site: SiteView<'a>,
    assets: std::collections::BTreeMap<String, String>,
    today: String,
    today_zh: String,
    /// Every list: newest year first, grouped by programme within a year (see
    /// `validate::lists`).
    lists: &'a [ListSummary],
    /// The same lists newest first by the day each was published at its stage (its
    /// announcement, else its publicity start), across programmes
    /// (the home page's latest lists: a half-yearly list published in July comes before a
    /// monthly list of June, whatever their batch numbers).
    latest_lists: Vec<&'a ListSummary>,
    districts: Vec<DistrictView<'a>>,
    lines: &'a [crate::model::ContactLine],
    /// Every notice, newest year first; `current` marks the current year's.
    notices: &'a [NoticeView],
    /// The year the home page leads with.
    current_year: Option<i32>,
    /// The default programme's notice of that year (the nav links to it).
    current_notice: Option<&'a NoticeView>,
    programmes: &'a [crate::model::Programme],
    /// The key dates of the current year's notices, in date order.
    key_dates: Vec<KeyDate>,
    /// Those of them not yet ended as of the build date: the home page shows the first few
    /// (a monthly programme has two dozen a year), the notice page and calendar all.
    upcoming_key_dates: Vec<KeyDate>,
    urls: SiteUrls,
    has_samples: bool,
    /// The theme's words (`theme.toml`), e.g. the status words the live-status script shows.
    words: &'a words::Words,
}

#[derive(Serialize)]
struct SiteView<'a> {
    name: &'a str,
    organisation: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    site_id_code: &'a str,
    site_domain: &'a str,
    contact_office: &'a str,
    contact_person: &'a str,
    contact_phones: &'a [crate::model::Phone],
    /// The application platform of the site's default programme, its name and the kinds
    /// of application made there (its kinds of list).
    platform_url: Option<&'a str>,
    platform_name: Option<&'a str>,
    platform_kinds: Vec<&'a str>,
    /// What the city calls its districts: `district_term`, else the theme's default.
    district_term: &'a str,
}

#[derive(Serialize)]
struct SiteUrls {
    home: String,
    /// The current notice of the default programme, and its criteria page.
    notice: Option<String>,
    criteria: Option<String>,
    /// The contacts page, when the site has one (`content/contacts.md`).
    contacts: Option<String>,
    lists: String,
    districts: String,
    search: String,
    /// The enterprise directory (`enterprises/`).
    directory: String,
    /// Atom feed and iCalendar file; None when feeds are skipped.
    feed: Option<String>,
    calendar: Option<String>,
}

/// Per-page metadata for `<head>` and the government tags.
#[derive(Serialize, Clone)]
pub(super) struct Meta {
    title: String,
    description: String,
    /// Site-relative path, e.g. `lists/2026-q1-application/`.
    path: String,
    canonical: String,
    nav: &'static str,
    column: Column,
    article: Option<Article>,
}

#[derive(Serialize, Clone)]
struct Column {
    name: String,
    description: String,
    keywords: String,
    /// The home page (ColumnType 首页; the theme says the words).
    home: bool,
}

#[derive(Serialize, Clone)]
struct Article {
    title: String,
    /// The page's own date, else the notice's; absent when neither has one.
    pub_date: Option<String>,
    source: String,
    keywords: String,
    description: String,
}

/// Renders the theme's templates for one site (the shared context computed once).
pub struct Renderer<'a> {
    /// Link of every page of every list (`[list][page - 1]`), shared by district rows.
    list_page_urls: Vec<Vec<String>>,
    /// Link of each district's page, by `District::order` (computed once, used per row).
    district_urls: Vec<String>,
    /// Each district as templates see it (enterprise pages name theirs; made once).
    district_values: Vec<tera::Value>,
    /// The lists' dates and page links as enterprise pages show them (made once).
    list_strings: directory::ListStrings,
    feeds: bool,
    /// The directory downloads are not written (the directory page leaves out its links).
    skip_downloads: bool,
    directory: &'a crate::directory::Directory,
    site: &'a Site,
    theme: &'a Theme,
    urls: Urls,
    shared: Context,
    summaries: Vec<ListSummary>,
    notices: Vec<NoticeView>,
}

type Job<'a> =
    Box<dyn Fn(&Renderer<'a>) -> Result<(String, Vec<u8>), Diagnostic> + Send + Sync + 'a>;

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        directory: &'a crate::directory::Directory,
        theme: &'a Theme,
        skip: Skip,
    ) -> Self {
        let feeds = !skip.feeds || skip.as_complete;
        let downloads = !skip.downloads || skip.as_complete;
        let urls = Urls::new(site);
        let mut summaries: Vec<ListSummary> = site
            .lists
            .iter()
            .map(|l| list_summary(l, site, &urls, downloads, &theme.words))
            .collect();
        for i in 0..summaries.len() {
            summaries[i].first_of_year = i == 0 || summaries[i - 1].year != summaries[i].year;
            summaries[i].first_of_programme =
                summaries[i].first_of_year || summaries[i - 1].programme != summaries[i].programme;
        }
        let size = site.config.page_size;
        let list_page_urls = site
            .lists
            .iter()
            .map(|l| {
                let pages = page_count(l.shown().count(), size);
                (1..=pages)
                    .map(|p| urls.to(&Urls::list_path(&l.id, p)))
                    .collect()
            })
            .collect();
        let notices = site
            .notices
            .iter()
            .map(|n| notice_view(site, n, &urls, &theme.words))
            .collect();
        let mut r = Renderer {
            notices,
            list_page_urls,
            district_urls: site
                .districts
                .iter()
                .map(|d| urls.district_link(&d.name, 1))
                .collect(),
            district_values: site
                .districts
                .iter()
                .map(tera::Value::from_serializable)
                .collect(),
            list_strings: directory::ListStrings::new(site, &|p| urls.to(p)),
            feeds,
            skip_downloads: !downloads,
            directory,
            site,
            theme,
            urls,
            shared: Context::new(),
            summaries,
        };
        r.shared = r.shared_context();
        r
    }

    /// What the site calls its districts: its own `district_term`, else the theme's word.
    fn district_term(&self) -> &'a str {
        self.site
            .config
            .district_term
            .as_deref()
            .unwrap_or(&self.theme.words.defaults.district_term)
    }

    fn shared_context(&self) -> Context {
        let site = self.site;
        let u = &self.urls;
        let mut assets = std::collections::BTreeMap::new();
        for (name, bytes) in &self.theme.statics {
            let hash = xxhash_rust::xxh3::xxh3_64(bytes);
            assets.insert(
                name.replace(['/', '.', '-'], "_"),
                format!("{}?v={:08x}", u.to(name), hash as u32),
            );
        }
        let mut counts = vec![0usize; site.districts.len()];
        for l in &site.lists {
            for e in l.shown() {
                counts[e.district_order] += 1;
            }
        }
        let current = self.current_notice();
        let mut shared = Shared {
            site: SiteView {
                name: &site.config.name,
                organisation: &site.config.organisation,
                description: &site.config.description,
                base_url: &u.base_url,
                base_path: &u.base_path,
                site_id_code: &site.config.government.site_id_code,
                site_domain: &site.config.government.site_domain,
                contact_office: &site.config.contact.office,
                contact_person: &site.config.contact.person,
                contact_phones: &site.contact_phones,
                platform_url: site
                    .programmes
                    .first()
                    .and_then(|p| p.platform_url.as_deref()),
                platform_name: site
                    .programmes
                    .first()
                    .and_then(|p| p.platform_name.as_deref()),
                platform_kinds: site.programmes.first().map_or_else(Vec::new, |p| {
                    p.kinds.iter().map(|k| k.name.as_str()).collect()
                }),
                district_term: self.district_term(),
            },
            assets,
            today: iso(site.today),
            today_zh: zh_date(site.today),
            lists: &self.summaries,
            latest_lists: {
                let mut latest: Vec<&ListSummary> = self.summaries.iter().collect();
                // ISO dates order as strings; the sort is stable, so ties keep the lists'
                // order (year, programme, batch, kind).
                latest.sort_by(|a, b| b.date.cmp(&a.date));
                latest
            },
            districts: site
                .districts
                .iter()
                .map(|d| DistrictView {
                    name: &d.name,
                    office: &d.office,
                    phones: &d.phones,
                    url: u.district_link(&d.name, 1),
                    count: counts[d.order],
                })
                .collect(),
            lines: &site.lines,
            notices: &self.notices,
            current_year: site.current_year(),
            current_notice: current,
            programmes: &site.programmes,
            key_dates: {
                let mut all: Vec<KeyDate> = self
                    .notices
                    .iter()
                    .filter(|n| !n.past)
                    .flat_map(|n| n.key_dates.iter().cloned())
                    .collect();
                all.sort_by(|a, b| (&a.end, &a.start).cmp(&(&b.end, &b.start)));
                all
            },
            upcoming_key_dates: Vec::new(),
            urls: SiteUrls {
                home: u.to(""),
                notice: current.map(|n| n.url.clone()),
                criteria: current.and_then(|n| n.criteria_url.clone()),
                contacts: site
                    .pages
                    .iter()
                    .any(|p| p.path == "contacts/")
                    .then(|| u.to("contacts/")),
                lists: u.to("lists/"),
                districts: u.to("districts/"),
                search: u.to("search/"),
                directory: u.to(Urls::DIRECTORY),
                feed: self.feeds.then(|| u.to("feed.xml")),
                calendar: self.feeds.then(|| u.to("calendar.ics")),
            },
            has_samples: site.lists.iter().any(|l| l.sample),
            words: &self.theme.words,
        };
        shared.upcoming_key_dates = shared
            .key_dates
            .iter()
            .filter(|k| k.state != "ended")
            .cloned()
            .collect();
        Context::from_serialize(&shared).unwrap_or_default()
    }

    /// The notice the site leads with: the default programme's notice of the current
    /// year (notices are sorted newest year first, default programme first).
    fn current_notice(&self) -> Option<&NoticeView> {
        self.notices
            .iter()
            .find(|n| {
                n.current
                    && self
                        .site
                        .programmes
                        .iter()
                        .any(|p| p.default && p.id == n.programme)
            })
            .or_else(|| self.notices.iter().find(|n| n.current))
            .or(self.notices.first())
    }

    fn meta(
        &self,
        title: &str,
        description: &str,
        path: &str,
        nav: &'static str,
        programme: Option<usize>,
    ) -> Meta {
        let site = self.site;
        let mut keywords = site.config.government.keywords.clone();
        let programmes: Vec<&crate::model::Programme> = match programme {
            Some(i) => vec![&site.programmes[i]],
            None => site.programmes.iter().collect(),
        };
        for p in &programmes {
            for k in &p.keywords {
                if !keywords.contains(k) {
                    keywords.push(k.clone());
                }
            }
        }
        let (column_name, column_description) = match programme {
            Some(i) => (
                site.programmes[i].name.clone(),
                site.programmes[i]
                    .description
                    .clone()
                    .unwrap_or_else(|| site.config.description.clone()),
            ),
            None => (site.config.name.clone(), site.config.description.clone()),
        };
        Meta {
            title: title.to_string(),
            description: description.to_string(),
            path: path.to_string(),
            canonical: self.urls.absolute(path),
            nav,
            column: Column {
                name: column_name,
                description: column_description,
                keywords: keywords.join(","),
                home: path.is_empty(),
            },
            article: None,
        }
    }

    fn render(
        &self,
        template: &str,
        mut ctx: Context,
        meta: &Meta,
        file: String,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        ctx.extend(self.shared.clone());
        ctx.insert("meta", meta);
        // Render into bytes directly: `render` would re-validate the whole page as UTF-8.
        let mut html = Vec::with_capacity(64 * 1024);
        match self.theme.tera.render_to(template, &ctx, &mut html) {
            Ok(()) => Ok((file, html)),
            Err(e) => {
                let mut d = self.theme.template_error(&e);
                d.message = format!("{}（生成页面 /{} 时）", d.message, meta.path);
                Err(d)
            }
        }
    }

    /// A file that is not a page (feed, sitemap, robots.txt) from its template, with the
    /// shared values but no page meta.
    fn render_file(
        &self,
        template: &str,
        mut ctx: Context,
        file: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        ctx.extend(self.shared.clone());
        let mut out = Vec::with_capacity(16 * 1024);
        self.theme
            .tera
            .render_to(template, &ctx, &mut out)
            .map_err(|e| {
                let mut d = self.theme.template_error(&e);
                d.message = format!("{}（生成 /{file} 时）", d.message);
                d
            })?;
        Ok(out)
    }

    fn content_page(&self, page: &Page) -> Result<(String, Vec<u8>), Diagnostic> {
        let notice = page
            .notice
            .map(|i| (&self.site.notices[i], &self.notices[i]));
        let nav = match (page.path.as_str(), notice) {
            ("", _) => "home",
            ("contacts/", _) => "contacts",
            (_, Some((n, _))) => {
                if n.criteria_page
                    .is_some_and(|c| std::ptr::eq(&self.site.pages[c], page))
                {
                    "criteria"
                } else {
                    "notice"
                }
            }
            _ => "",
        };
        let mut meta = self.meta(
            &page.title,
            page.description
                .as_deref()
                .unwrap_or(&self.site.config.description),
            &page.path,
            nav,
            notice.map(|(n, _)| n.programme),
        );
        if !page.is_section && !page.path.is_empty() {
            meta.article = Some(Article {
                title: page.title.clone(),
                pub_date: page
                    .date
                    .or_else(|| notice.and_then(|(n, _)| self.site.pages[n.page].date))
                    .or_else(|| self.site.pages.iter().filter_map(|p| p.date).min())
                    .map(|d| format!("{} 00:00", iso(d))),
                source: page
                    .issuer
                    .clone()
                    .unwrap_or_else(|| self.site.config.organisation.clone()),
                keywords: page.keywords.join(","),
                description: page.description.clone().unwrap_or_default(),
            });
        }
        let mut body = under_base_path(&page.body_html, &self.urls.base_path);
        // The page's own marker places the table; templates that show it anyway (the
        // contacts page) test `district_table_in_body`, so it is never shown twice.
        let district_table_in_body = body.contains("<!-- district-table -->");
        if district_table_in_body {
            let table = self
                .render(
                    "partials/district_table.html",
                    Context::new(),
                    &meta,
                    String::new(),
                )?
                .1;
            body = body.replace("<!-- district-table -->", &String::from_utf8_lossy(&table));
        }
        let mut ctx = Context::new();
        ctx.insert("district_table_in_body", &district_table_in_body);
        if let Some((n, view)) = notice {
            ctx.insert("notice", view);
            if let Some(c) = &n.criteria {
                ctx.insert("criteria", c);
                ctx.insert("criteria_max", &c.max.unwrap_or(100));
            }
        }
        ctx.insert(
            "page",
            &serde_json::json!({
                "title": page.title,
                "description": page.description,
                "body": body,
                "signature": signature_split(&body, page),
                "date": page.date.map(iso),
                "date_zh": page.date.map(zh_date),
                "issuer": page.issuer,
                "subject": page.subject,
                "keywords": page.keywords,
                "attachments": page.attachments.iter().map(|a| serde_json::json!({
                    "number": a.number,
                    "title": a.title,
                    "url": a.href.as_ref().map(|h| self.urls.to(h)),
                    "is_file": a.is_file,
                })).collect::<Vec<_>>(),
                "corrections": page.corrections,
                "extra": page.extra,
                "source": crate::diag::display_path(&page.source),
            }),
        );
        self.render(
            &page.template,
            ctx,
            &meta,
            format!("{}index.html", page.path),
        )
    }

    fn list_page(&self, li: usize, page_no: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let list = &self.site.lists[li];
        let summary = &self.summaries[li];
        let size = self.site.config.page_size;
        let shown: Vec<_> = list.shown_numbered().collect();
        let pages = page_count(shown.len(), size);
        let path = Urls::list_path(&list.id, page_no);
        let rows: Vec<Row> = shown
            .iter()
            .skip((page_no - 1) * size)
            .take(size)
            .map(|&(n, e)| self.row(n, e))
            .collect();
        let withdrawn: Vec<Row> = if list.stage == Stage::Announced && page_no == pages {
            list.withdrawn_numbered()
                .map(|(n, e)| self.row(n, e))
                .collect()
        } else {
            Vec::new()
        };
        let id = list.id.clone();
        let pagination = pagination(page_no, pages, shown.len(), size, |n| {
            self.urls.to(&Urls::list_path(&id, n))
        });
        let w = &self.theme.words.pages;
        let (page, count) = (page_no.to_string(), shown.len().to_string());
        let values = [
            ("title", list.title.as_str()),
            ("page", &page),
            ("count", &count),
        ];
        let title = if page_no > 1 {
            words::fill(&w.list_page, &values)
        } else {
            list.title.clone()
        };
        let meta = self.meta(
            &title,
            &words::fill(&w.list_description, &values),
            &path,
            "lists",
            Some(list.programme),
        );
        let mut ctx = Context::new();
        ctx.insert("list", summary);
        let has_industry = list.enterprises.iter().any(|e| e.industry.is_some());
        let list_rows = |t: &RowTemplate, rows: &[Row]| {
            let rows = rows.iter().map(|row| ListRow { row, has_industry });
            tera::Value::safe_string(&t.render_all(rows))
        };
        ctx.insert_value("rows_html", list_rows(&self.theme.list_row, &rows));
        ctx.insert("withdrawn_count", &withdrawn.len());
        ctx.insert_value(
            "withdrawn_rows_html",
            list_rows(&self.theme.withdrawn_row, &withdrawn),
        );
        ctx.insert("pagination", &pagination);
        ctx.insert("has_industry", &has_industry);
        self.render("list.html", ctx, &meta, format!("{path}index.html"))
    }

    fn row<'e>(&'e self, n: usize, e: &'e crate::model::Enterprise) -> Row<'e> {
        Row {
            n,
            name: &e.name,
            credit_code: &e.credit_code,
            district: &e.district,
            district_url: &self.district_urls[e.district_order],
            industry: e.industry.as_deref(),
            withdrawn: e.withdrawn.as_deref(),
        }
    }

    fn publicity_page(&self, li: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let list = &self.site.lists[li];
        let path = Urls::publicity_path(&list.id);
        let w = &self.theme.words.pages;
        let count = list.shown().count().to_string();
        let values = [
            ("title", list.title.as_str()),
            ("page", "1"),
            ("count", &count),
        ];
        let meta = self.meta(
            &words::fill(&w.publicity, &values),
            &words::fill(&w.publicity_description, &values),
            &path,
            "lists",
            Some(list.programme),
        );
        let mut ctx = Context::new();
        ctx.insert("list", &self.summaries[li]);
        let o = &list.objection;
        ctx.insert("objection", o);
        ctx.insert("objection_phones", &o.phones);
        self.render("publicity.html", ctx, &meta, format!("{path}index.html"))
    }

    fn district_page(
        &self,
        di: usize,
        page_no: usize,
        rows_all: &[DistrictRow<'_>],
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let d = &self.site.districts[di];
        let size = self.site.config.page_size;
        let pages = page_count(rows_all.len(), size);
        let rows: Vec<&DistrictRow> = rows_all
            .iter()
            .skip((page_no - 1) * size)
            .take(size)
            .collect();
        let name = d.name.clone();
        let pagination = pagination(page_no, pages, rows_all.len(), size, |n| {
            self.urls.district_link(&name, n)
        });
        let path = if page_no <= 1 {
            format!("districts/{}/", segment(&d.name))
        } else {
            format!("districts/{}/page/{page_no}/", segment(&d.name))
        };
        let w = &self.theme.words.pages;
        let page = page_no.to_string();
        let values = [
            ("district", d.name.as_str()),
            ("office", &d.office),
            ("page", &page),
        ];
        let title = words::fill(
            if page_no > 1 {
                &w.district_page
            } else {
                &w.district
            },
            &values,
        );
        let meta = self.meta(
            &title,
            &words::fill(&w.district_description, &values),
            &path,
            "lists",
            None,
        );
        let mut ctx = Context::new();
        ctx.insert("district", d);
        ctx.insert_value(
            "rows_html",
            tera::Value::safe_string(&self.theme.district_row.render_all(rows.iter().map(|r| **r))),
        );
        ctx.insert("pagination", &pagination);
        self.render(
            "district.html",
            ctx,
            &meta,
            Urls::file_of(&Urls::district_path(&d.name, page_no)),
        )
    }

    fn simple(
        &self,
        template: &str,
        title: &str,
        description: &str,
        path: &str,
        nav: &'static str,
        file: &str,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let meta = self.meta(title, description, path, nav, None);
        self.render(template, Context::new(), &meta, file.to_string())
    }

    /// A page at an old address that sends the reader on to the page's address now.
    fn redirect_page(&self, from: &str, to: &str) -> Result<(String, Vec<u8>), Diagnostic> {
        let title = self
            .site
            .pages
            .iter()
            .find(|p| p.path == to)
            .map(|p| p.title.as_str())
            .unwrap_or("");
        let meta = self.meta(title, "", from, "", None);
        let mut ctx = Context::new();
        ctx.insert(
            "redirect",
            &serde_json::json!({
                "to": self.urls.to(to),
                "canonical": self.urls.absolute(to),
                "title": title,
            }),
        );
        self.render("redirect.html", ctx, &meta, Urls::file_of(from))
    }

    /// The search page, which names the (content-hashed) index it loads.
    fn search_page(&self, manifest: &str) -> Result<(String, Vec<u8>), Diagnostic> {
        let w = &self.theme.words.pages;
        let meta = self.meta(&w.search, &w.search_description, "search/", "search", None);
        let mut ctx = Context::new();
        ctx.insert("search_manifest", manifest);
        self.render("search.html", ctx, &meta, "search/index.html".to_string())
    }

    /// Rows of a district page: newest list first, then the list's order.
    fn district_rows<'r>(&'r self, enterprise_urls: &'r [String]) -> Vec<Vec<DistrictRow<'r>>> {
        let mut out: Vec<Vec<DistrictRow>> = vec![Vec::new(); self.site.districts.len()];
        let size = self.site.config.page_size;
        for (li, list) in self.site.lists.iter().enumerate() {
            let s = &self.summaries[li];
            for (i, e) in list.shown().enumerate() {
                let enterprise_url = match list.draft {
                    true => "",
                    false => self
                        .directory
                        .entries
                        .binary_search_by(|x| x.credit_code.as_str().cmp(&e.credit_code))
                        .map_or("", |i| enterprise_urls[i].as_str()),
                };
                out[e.district_order].push(DistrictRow {
                    enterprise_url,
                    name: &e.name,
                    credit_code: &e.credit_code,
                    list_title: &s.title,
                    page_url: &self.list_page_urls[li][i / size],
                    sample: list.sample,
                    draft: list.draft,
                    withdrawn: e.withdrawn.is_some(),
                });
            }
        }
        out
    }
}

/// A page body's root-relative links (`/lists/`, as staff write them in Markdown) moved
/// under the site's base path, so that a site served from a sub-path keeps them working.
/// Protocol-relative `//host` links are left alone (validation has judged them).
fn under_base_path(html: &str, base_path: &str) -> String {
    if base_path == "/" {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find("=\"/") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let attr_is_link = before[..at].ends_with("href") || before[..at].ends_with("src");
        if attr_is_link && !after.starts_with("//") {
            out.push_str(base_path);
            rest = &after[1..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The body around its signature block (落款): the issuer's paragraph followed by the
/// date's, as the paper notice ends. The theme sets the block apart; `None` when the body
/// has no such pair.
fn signature_split(body: &str, page: &Page) -> Option<serde_json::Value> {
    let (issuer, date) = (page.issuer.as_deref()?, page.date?);
    let mut block = String::from("<p>");
    crate::escape::html_into(&mut block, issuer);
    block.push_str("</p>\n<p>");
    block.push_str(&zh_date(date));
    block.push_str("</p>");
    let at = body.rfind(&block)?;
    Some(serde_json::json!({
        "before": &body[..at],
        "issuer": issuer,
        "date_zh": zh_date(date),
        "after": &body[at + block.len()..],
    }))
}

/// A page's site folder for the sitemap, from the file written: `lists/x/index.html` →
/// `lists/x/`; `None` for files that are not pages and for redirect pages (old addresses).
pub fn sitemap_dir(site: &Site, file: &str) -> Option<String> {
    if site
        .redirects
        .iter()
        .any(|(from, _)| file == Urls::file_of(from))
    {
        return None;
    }
    file.strip_suffix("index.html")
        .map(crate::urls::percent_path)
}

fn put(sink: &dyn Sink, res: Result<(String, Vec<u8>), Diagnostic>) -> Result<String, Diagnostic> {
    let (file, bytes) = res?;
    sink.put(&file, bytes)
        .map_err(|e| Diagnostic::cannot_write(&file, &e))?;
    Ok(file)
}

impl<'a> Renderer<'a> {
    /// Every page but the search page (which names the search index): content pages,
    /// list and publicity pages, district pages, the lists, districts and 404 pages and
    /// redirects, rendered in parallel. Returns the files written and the errors.
    pub fn pages(&self, sink: &dyn Sink) -> (Vec<String>, Vec<Diagnostic>) {
        let site = self.site;
        let mut jobs: Vec<Job> = Vec::new();
        for page in &site.pages {
            jobs.push(Box::new(move |r: &Renderer| r.content_page(page)));
        }
        let size = site.config.page_size;
        for (li, list) in site.lists.iter().enumerate() {
            for p in 1..=page_count(list.shown().count(), size) {
                jobs.push(Box::new(move |r: &Renderer| r.list_page(li, p)));
            }
            if list.publicity.is_some() {
                jobs.push(Box::new(move |r: &Renderer| r.publicity_page(li)));
            }
        }
        jobs.push(Box::new(|r: &Renderer| {
            let w = &r.theme.words.pages;
            r.simple(
                "lists.html",
                &w.lists,
                &w.lists_description,
                "lists/",
                "lists",
                "lists/index.html",
            )
        }));
        jobs.push(Box::new(|r: &Renderer| {
            let w = &r.theme.words.pages;
            let description = words::fill(
                &w.districts_description,
                &[("districts", r.district_term())],
            );
            r.simple(
                "districts.html",
                &w.districts,
                &description,
                "districts/",
                "lists",
                "districts/index.html",
            )
        }));
        jobs.push(Box::new(|r: &Renderer| {
            let w = &r.theme.words.pages;
            r.simple(
                "404.html",
                &w.not_found,
                &w.not_found_description,
                "404.html",
                "",
                "404.html",
            )
        }));
        let directory = self.directory;
        jobs.push(Box::new(move |r: &Renderer| r.directory_page(directory)));
        for (from, to) in &site.redirects {
            jobs.push(Box::new(move |r: &Renderer| r.redirect_page(from, to)));
        }
        let enterprise_urls: Vec<String> = directory
            .entries
            .iter()
            .map(|e| self.urls.to(&Urls::enterprise_path(&e.credit_code)))
            .collect();
        let district_rows = self.district_rows(&enterprise_urls);
        let shell = self.enterprise_shell(directory);
        crate::timings::note(|| {
            format!(
                "enterprise pages: {} ({})",
                directory.entries.len(),
                match shell {
                    Some(_) => "shell and partial",
                    None => "whole template",
                }
            )
        });
        let mut district_jobs: Vec<(usize, usize)> = Vec::new();
        for (di, rows) in district_rows.iter().enumerate() {
            for p in 1..=page_count(rows.len(), size) {
                district_jobs.push((di, p));
            }
        }
        let results: Vec<Result<String, Diagnostic>> = jobs
            .par_iter()
            .map(|job| job(self))
            .chain(
                district_jobs
                    .par_iter()
                    .map(|&(di, p)| self.district_page(di, p, &district_rows[di])),
            )
            .chain(
                directory
                    .entries
                    .par_iter()
                    .map(|e| self.enterprise_page(shell.as_ref(), e)),
            )
            .map(|res| put(sink, res))
            .collect();
        let mut files = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for res in results {
            match res {
                Ok(file) => files.push(file),
                Err(d) => errors.push(d),
            }
        }
        (files, errors)
    }

    /// The search page, naming the (content-hashed) manifest of the index.
    pub fn write_search_page(&self, sink: &dyn Sink, manifest: &str) -> Result<String, Diagnostic> {
        put(sink, self.search_page(manifest))
    }
}

/// The theme's own static files (CSS, scripts), as they are.
pub fn write_theme_static(theme: &Theme, sink: &dyn Sink) -> Vec<Diagnostic> {
    theme
        .statics
        .iter()
        .filter_map(|(name, bytes)| {
            sink.put(name, bytes.clone())
                .err()
                .map(|e| Diagnostic::cannot_write(name, &e))
        })
        .collect()
}

/// The site's files under `static/`, copied as they are.
pub fn write_site_static(site: &Site, sink: &dyn Sink) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for rel in &site.static_files {
        let name = crate::diag::display_path(rel.strip_prefix("static").unwrap_or(rel));
        match std::fs::read(site.root.join(rel)) {
            Ok(bytes) => {
                if let Err(e) = sink.put(&name, bytes) {
                    errors.push(Diagnostic::cannot_write(&name, &e));
                }
            }
            Err(e) => errors.push(Diagnostic::err(
                "file-unreadable",
                rel,
                format!("无法读取：{e} (cannot read)"),
            )),
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_relative_body_links_move_under_the_base_path() {
        let html = "<a href=\"/lists/\">名单</a><img src=\"/a.png\"><a href=\"//x.cn/\">x</a><a title=\"/no/\" href=\"https://x.cn/\">y</a>";
        assert_eq!(
            super::under_base_path(html, "/gxj/"),
            "<a href=\"/gxj/lists/\">名单</a><img src=\"/gxj/a.png\"><a href=\"//x.cn/\">x</a><a title=\"/no/\" href=\"https://x.cn/\">y</a>"
        );
        assert_eq!(super::under_base_path(html, "/"), html);
    }
}
