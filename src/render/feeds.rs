//! Machine-readable companions of the site: an Atom feed of notices and list events, an
//! iCalendar file of key dates (RFC 5545, Asia/Shanghai), `sitemap.xml` and `robots.txt`.
//! Every date comes from the data, never from the clock, so rebuilds are identical.

use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

use crate::diag::Diagnostic;
use crate::domain::datefmt::{iso, zh_date, zh_period};
use crate::model::{Site, Stage};

use super::views::{key_dates, Urls};
use super::Renderer;
use crate::theme::words::{fill, Words};

/// Most entries a feed carries; older events stay on the site (feed readers ask for bounded
/// feeds, and a feed of every event of every year would grow without end).
const FEED_LIMIT: usize = 100;
/// URLs per sitemap file (the protocol's limit).
pub(crate) const SITEMAP_LIMIT: usize = 50_000;

/// An entry of the Atom feed as `feed.xml` sees it; the theme writes its words.
#[derive(Serialize)]
struct Entry {
    /// `page`, `publicity` or `announced`.
    kind: &'static str,
    id: String,
    title: String,
    #[serde(skip)]
    date: NaiveDate,
    updated: String,
    link: String,
    /// A page's description.
    description: String,
    sample: bool,
    /// Enterprises of the list, the publicity period and the announcement date.
    count: usize,
    period_zh: String,
    date_zh: String,
    /// A rename's new name, a revocation's enterprise; the revoked programme; the document.
    name: String,
    programme: String,
    document: String,
}

/// The first day of the site's first year: the date of a feed with nothing dated in it.
fn first_day(site: &Site) -> NaiveDate {
    NaiveDate::from_ymd_opt(site.since, 1, 1).unwrap_or(site.today)
}

/// A list's title while under publicity: its own title if it set one, else the
/// programme's publicity title (an announced list's title is the announced one).
fn publicity_title(site: &Site, l: &crate::model::EnterpriseList) -> String {
    let programme = &site.programmes[l.programme];
    let kind = &programme.kinds[l.kind];
    let generated = programme.list_title(l.year, l.batch, kind, l.stage);
    if l.title == generated {
        programme.list_title(l.year, l.batch, kind, Stage::Publicity)
    } else {
        l.title.clone()
    }
}

fn rfc3339(d: NaiveDate) -> String {
    format!("{}T00:00:00+08:00", iso(d))
}

fn tag_id(site: &Site, what: &str) -> String {
    format!(
        "tag:{},{}:{}",
        site.config.government.site_domain, site.since, what
    )
}

fn atom(r: &Renderer) -> Result<Vec<u8>, Diagnostic> {
    let (site, urls) = (r.site, &r.urls);
    let mut entries: Vec<Entry> = Vec::new();
    let entry = |kind, id: String, title: &str, date: NaiveDate, link: String| Entry {
        kind,
        id,
        title: title.to_string(),
        date,
        updated: rfc3339(date),
        link,
        description: String::new(),
        sample: false,
        count: 0,
        period_zh: String::new(),
        date_zh: zh_date(date),
        name: String::new(),
        programme: String::new(),
        document: String::new(),
    };
    for p in &site.pages {
        if let (Some(date), false) = (p.date, p.is_section) {
            // A moved page keeps the id it was first published under.
            let id = tag_id(
                site,
                &format!("page/{}", p.aliases.first().unwrap_or(&p.path)),
            );
            entries.push(Entry {
                description: p.description.clone().unwrap_or_default(),
                ..entry("page", id, &p.title, date, urls.absolute(&p.path))
            });
        }
    }
    for l in &site.lists {
        if let Some(p) = &l.publicity {
            let id = tag_id(site, &format!("list/{}/publicity", l.id));
            let link = urls.absolute(&Urls::publicity_path(&l.id));
            entries.push(Entry {
                sample: l.sample,
                count: l.enterprises.len(),
                period_zh: zh_period(p.start, p.end),
                ..entry("publicity", id, &publicity_title(site, l), p.start, link)
            });
        }
        if let (Stage::Announced, Some(a)) = (l.stage, &l.announcement) {
            let id = tag_id(site, &format!("list/{}/announced", l.id));
            let link = urls.absolute(&Urls::list_path(&l.id, 1));
            entries.push(Entry {
                sample: l.sample,
                count: l.shown().count(),
                ..entry("announced", id, &l.title, a.date, link)
            });
        }
    }
    // Renames and revocations, linked to the enterprise's page.
    let r_dir = r.directory;
    for r in &site.renames {
        let id = tag_id(
            site,
            &format!("enterprise/{}/rename/{}", r.credit_code, iso(r.date)),
        );
        let link = urls.absolute(&Urls::enterprise_path(&r.credit_code));
        entries.push(Entry {
            sample: r_dir.find(&r.credit_code).is_some_and(|e| e.sample),
            description: r.from.clone(),
            name: r.to.clone(),
            document: r.document.clone().unwrap_or_default(),
            ..entry("rename", id, &r.to, r.date, link)
        });
    }
    for v in &site.revocations {
        let id = tag_id(
            site,
            &format!(
                "enterprise/{}/revocation/{}/{}",
                v.credit_code,
                site.programmes[v.programme].id,
                iso(v.date)
            ),
        );
        let name = r_dir
            .find(&v.credit_code)
            .map_or(v.credit_code.as_str(), |e| e.name.as_str());
        let link = urls.absolute(&Urls::enterprise_path(&v.credit_code));
        entries.push(Entry {
            sample: r_dir.find(&v.credit_code).is_some_and(|e| e.sample),
            description: v.reason.clone(),
            name: name.to_string(),
            programme: site.programmes[v.programme].name.clone(),
            document: v.document.clone().unwrap_or_default(),
            ..entry("revocation", id, name, v.date, link)
        });
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(FEED_LIMIT);
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .unwrap_or_else(|| first_day(site));
    let mut ctx = Context::new();
    ctx.insert(
        "feed",
        &serde_json::json!({
            "id": tag_id(site, "feed"),
            "updated": rfc3339(updated),
            "home": urls.absolute(""),
            "self": urls.absolute("feed.xml"),
            "entries": entries,
        }),
    );
    r.render_file("feed.xml", ctx, "feed.xml")
}

/// RFC 5545 TEXT escaping.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn ics_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

struct Event {
    uid: String,
    summary: String,
    description: String,
    url: String,
    /// All-day from `start` through `end` inclusive, or a timed event on `end` when `time`.
    start: NaiveDate,
    end: NaiveDate,
    /// A deadline: an hour-long event ending at this many minutes after midnight of `end`
    /// (1440: at 24:00), China time.
    deadline: Option<u32>,
    stamp: NaiveDate,
}

/// A key date's deadline is the end of its day.
const END_OF_DAY: u32 = 24 * 60;

/// `DTSTART` and `DTEND` values (`YYYYMMDDTHHMMSS`, China time) of the hour before a
/// deadline at `minutes` after midnight of `day`.
fn deadline_hour(day: NaiveDate, minutes: u32) -> (String, String) {
    let at = |m: i64| {
        let t = day.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::minutes(m);
        t.format("%Y%m%dT%H%M%S").to_string()
    };
    let end = i64::from(minutes);
    (at((end - 60).max(0)), at(end))
}

fn icalendar(site: &Site, urls: &Urls, words: &Words) -> Vec<u8> {
    let w = &words.calendar;
    let domain = &site.config.government.site_domain;
    let mut events = Vec::new();
    for n in &site.notices {
        let page = &site.pages[n.page];
        let stamp = page.date.unwrap_or_else(|| first_day(site));
        for k in key_dates(site, n, words) {
            let (Ok(start), Ok(end)) = (
                NaiveDate::parse_from_str(&k.start, "%Y-%m-%d"),
                NaiveDate::parse_from_str(&k.end, "%Y-%m-%d"),
            ) else {
                continue;
            };
            events.push(Event {
                uid: format!("{}-{}@{domain}", n.id, k.id),
                summary: k.title.clone(),
                description: k.when_zh.clone(),
                url: urls.absolute(&page.path),
                start,
                end,
                deadline: k.deadline.then_some(END_OF_DAY),
                stamp,
            });
        }
    }
    for l in &site.lists {
        let Some(p) = &l.publicity else { continue };
        let sample = if l.sample { w.sample_mark.as_str() } else { "" };
        let stamp = p.start;
        let (period, count, date) = (
            zh_period(p.start, p.end),
            l.enterprises.len().to_string(),
            zh_date(p.end),
        );
        let values = [
            ("title", l.title.as_str()),
            ("sample", sample),
            ("period", &period),
            ("count", &count),
            ("date", &date),
            ("time", &l.objection.deadline_time),
        ];
        events.push(Event {
            uid: format!("{}-publicity@{domain}", l.id),
            summary: fill(&w.publicity, &values),
            description: fill(&w.publicity_description, &values),
            url: urls.absolute(&Urls::publicity_path(&l.id)),
            start: p.start,
            end: p.end,
            deadline: None,
            stamp,
        });
        events.push(Event {
            uid: format!("{}-objection-deadline@{domain}", l.id),
            summary: fill(&w.deadline, &values),
            description: fill(&w.deadline_description, &values),
            url: urls.absolute(&Urls::publicity_path(&l.id)),
            start: p.end,
            end: p.end,
            deadline: Some(
                crate::domain::datefmt::deadline_minutes(&l.objection.deadline_time)
                    .unwrap_or(END_OF_DAY),
            ),
            stamp,
        });
    }
    let mut s = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Gazette//Public notices//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        s.push_str(&fold(line));
    }
    s.push_str(&fold(&format!(
        "X-WR-CALNAME:{}",
        ics_text(&site.config.name)
    )));
    s.push_str(&fold("X-WR-TIMEZONE:Asia/Shanghai"));
    for line in [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Shanghai",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0800",
        "TZOFFSETTO:+0800",
        "TZNAME:CST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        s.push_str(&fold(line));
    }
    for e in &events {
        s.push_str(&fold("BEGIN:VEVENT"));
        s.push_str(&fold(&format!("UID:{}", e.uid)));
        s.push_str(&fold(&format!("DTSTAMP:{}T000000Z", ics_date(e.stamp))));
        if let Some(minutes) = e.deadline {
            // The last hour before the deadline (24:00 or the list's deadline_time), China
            // time.
            let (start, end) = deadline_hour(e.end, minutes);
            s.push_str(&fold(&format!("DTSTART;TZID=Asia/Shanghai:{start}")));
            s.push_str(&fold(&format!("DTEND;TZID=Asia/Shanghai:{end}")));
        } else {
            s.push_str(&fold(&format!("DTSTART;VALUE=DATE:{}", ics_date(e.start))));
            s.push_str(&fold(&format!(
                "DTEND;VALUE=DATE:{}",
                ics_date(e.end + chrono::Days::new(1))
            )));
        }
        s.push_str(&fold(&format!("SUMMARY:{}", ics_text(&e.summary))));
        s.push_str(&fold(&format!("DESCRIPTION:{}", ics_text(&e.description))));
        s.push_str(&fold(&format!("URL:{}", e.url)));
        s.push_str(&fold("TRANSP:TRANSPARENT"));
        s.push_str(&fold("END:VEVENT"));
    }
    s.push_str(&fold("END:VCALENDAR"));
    s.into_bytes()
}

/// The sitemap files of `pages` (site folders): one `sitemap.xml` up to 50,000 URLs,
/// above that `sitemap-N.xml` files and `sitemap.xml` as their index. Pairs of file name
/// and the absolute URLs it lists; the index comes last and lists the files.
fn sitemap_files(urls: &Urls, mut pages: Vec<String>) -> Vec<(String, Vec<String>)> {
    pages.sort();
    let absolute = |chunk: &[String]| chunk.iter().map(|p| urls.absolute(p)).collect();
    if pages.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".into(), absolute(&pages))];
    }
    let mut files: Vec<(String, Vec<String>)> = pages
        .chunks(SITEMAP_LIMIT)
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), absolute(chunk)))
        .collect();
    let index = files.iter().map(|(name, _)| urls.absolute(name)).collect();
    files.push(("sitemap.xml".into(), index));
    files
}

/// The Atom feed (`feed.xml`), the sitemap(s) of `pages` (site folders) and robots.txt,
/// each from the theme's template of the same name (`sitemap_index.xml` for an index),
/// and the iCalendar file (`calendar.ics`, written here: its lines must be folded at 75
/// octets, which a template cannot do; its words come from the theme's `theme.toml`).
pub(crate) fn write_all(
    r: &Renderer,
    sink: &dyn crate::output::Sink,
    pages: Vec<String>,
) -> Vec<Diagnostic> {
    let (site, urls) = (r.site, &r.urls);
    let mut files: Vec<Result<(String, Vec<u8>), Diagnostic>> = Vec::new();
    let sitemaps = sitemap_files(urls, pages);
    let is_index = sitemaps.len() > 1;
    for (i, (name, locs)) in sitemaps.iter().enumerate() {
        let template = if is_index && i == sitemaps.len() - 1 {
            "sitemap_index.xml"
        } else {
            "sitemap.xml"
        };
        let mut ctx = Context::new();
        ctx.insert("locs", locs);
        files.push(
            r.render_file(template, ctx, name)
                .map(|b| (name.clone(), b)),
        );
    }
    files.push(atom(r).map(|b| ("feed.xml".into(), b)));
    files.push(Ok((
        "calendar.ics".into(),
        icalendar(site, urls, &r.theme.words),
    )));
    let mut ctx = Context::new();
    ctx.insert("sitemap_url", &urls.absolute("sitemap.xml"));
    files.push(
        r.render_file("robots.txt", ctx, "robots.txt")
            .map(|b| ("robots.txt".into(), b)),
    );
    files
        .into_iter()
        .filter_map(|file| {
            let (path, bytes) = match file {
                Ok(f) => f,
                Err(d) => return Some(d),
            };
            sink.put(&path, bytes)
                .err()
                .map(|e| Diagnostic::cannot_write(&path, &e))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_is_the_hour_before_its_time() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(
            deadline_hour(day, 24 * 60),
            ("20261207T230000".to_string(), "20261208T000000".to_string())
        );
        assert_eq!(
            deadline_hour(day, 16 * 60 + 30),
            ("20261207T153000".to_string(), "20261207T163000".to_string())
        );
        assert_eq!(
            deadline_hour(day, 30),
            ("20261207T000000".to_string(), "20261207T003000".to_string())
        );
    }

    #[test]
    fn folds_at_75_octets_on_char_boundaries() {
        let line = format!("SUMMARY:{}", "公示期".repeat(30));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn escapes() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn sitemap_splits_above_the_limit() {
        let urls = Urls {
            base_path: "/".into(),
            base_url: "https://x.cn/".into(),
        };
        let pages: Vec<String> = (0..SITEMAP_LIMIT + 1).map(|i| format!("p{i}/")).collect();
        let files = sitemap_files(&urls, pages);
        assert_eq!(files.len(), 3);
        assert_eq!(files[0].1.len(), SITEMAP_LIMIT);
        assert_eq!(files[1].1, ["https://x.cn/p9999/"]);
        assert_eq!(files[2].0, "sitemap.xml");
        assert_eq!(
            files[2].1,
            ["https://x.cn/sitemap-1.xml", "https://x.cn/sitemap-2.xml"]
        );
    }
}
