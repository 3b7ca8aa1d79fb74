//! Machine-readable companions of the site: an Atom feed of notices and list events, an
//! iCalendar file of key dates (RFC 5545, Asia/Shanghai), `sitemap.xml` and `robots.txt`.
//! Every date comes from the data, never from the clock, so rebuilds are identical.

use chrono::NaiveDate;

use crate::domain::datefmt::{iso, zh_date, zh_period};
use crate::model::{Site, Stage};

use super::views::{key_dates, Urls};

/// Most entries a feed carries; older events stay on the site (peers.md D8: bound feeds).
const FEED_LIMIT: usize = 100;
/// URLs per sitemap file (the protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

struct Entry {
    id: String,
    title: String,
    date: NaiveDate,
    link: String,
    summary: String,
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

pub fn atom(site: &Site, urls: &Urls) -> Vec<u8> {
    let mut entries: Vec<Entry> = Vec::new();
    for p in &site.pages {
        if let (Some(date), false) = (p.date, p.is_section) {
            entries.push(Entry {
                // A moved page keeps the id it was first published under.
                id: tag_id(
                    site,
                    &format!("page/{}", p.aliases.first().unwrap_or(&p.path)),
                ),
                title: p.title.clone(),
                date,
                link: urls.absolute(&p.path),
                summary: p.description.clone().unwrap_or_default(),
            });
        }
    }
    for l in &site.lists {
        let sample = if l.sample { "（示例数据）" } else { "" };
        if let Some(p) = &l.publicity {
            entries.push(Entry {
                id: tag_id(site, &format!("list/{}/publicity", l.id)),
                title: format!("{}{sample}", publicity_title(site, l)),
                date: p.start,
                link: urls.absolute(&Urls::publicity_path(&l.id)),
                summary: format!(
                    "公示期{}，共{}家企业。公示期内可按公示页面的要求提出异议。",
                    zh_period(p.start, p.end),
                    l.enterprises.len()
                ),
            });
        }
        if let (Stage::Announced, Some(a)) = (l.stage, &l.announcement) {
            entries.push(Entry {
                id: tag_id(site, &format!("list/{}/announced", l.id)),
                title: format!("{}{sample}", l.title),
                date: a.date,
                link: urls.absolute(&Urls::list_path(&l.id, 1)),
                summary: format!("{}公告，共{}家企业。", zh_date(a.date), l.shown().count()),
            });
        }
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(FEED_LIMIT);
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .unwrap_or_else(|| first_day(site));
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    x.push_str(&format!(
        "  <title>{}</title>\n",
        xml_escape(&site.config.name)
    ));
    x.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        xml_escape(&site.config.description)
    ));
    x.push_str(&format!(
        "  <id>{}</id>\n",
        xml_escape(&tag_id(site, "feed"))
    ));
    x.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&urls.absolute(""))
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&urls.absolute("feed.xml"))
    ));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&site.config.organisation)
    ));
    for e in &entries {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", xml_escape(&e.id)));
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.title)));
        x.push_str(&format!("    <updated>{}</updated>\n", rfc3339(e.date)));
        x.push_str(&format!("    <published>{}</published>\n", rfc3339(e.date)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&e.link)
        ));
        x.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&e.summary)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x.into_bytes()
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
    deadline: bool,
    stamp: NaiveDate,
}

pub fn icalendar(site: &Site, urls: &Urls) -> Vec<u8> {
    let domain = &site.config.government.site_domain;
    let mut events = Vec::new();
    for n in &site.notices {
        let page = &site.pages[n.page];
        let stamp = page.date.unwrap_or_else(|| first_day(site));
        for k in key_dates(site, n) {
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
                deadline: k.deadline,
                stamp,
            });
        }
    }
    for l in &site.lists {
        let Some(p) = &l.publicity else { continue };
        let sample = if l.sample { "（示例数据）" } else { "" };
        let stamp = p.start;
        events.push(Event {
            uid: format!("{}-publicity@{domain}", l.id),
            summary: format!("公示期：{}{sample}", l.title),
            description: format!(
                "公示期{}，共{}家企业。",
                zh_period(p.start, p.end),
                l.enterprises.len()
            ),
            url: urls.absolute(&Urls::publicity_path(&l.id)),
            start: p.start,
            end: p.end,
            deadline: false,
            stamp,
        });
        events.push(Event {
            uid: format!("{}-objection-deadline@{domain}", l.id),
            summary: format!("异议截止：{}{sample}", l.title),
            description: format!(
                "对公示名单有异议的，须在{}{}前（北京时间）以书面实名形式提出。",
                zh_date(p.end),
                l.objection.deadline_time
            ),
            url: urls.absolute(&Urls::publicity_path(&l.id)),
            start: p.end,
            end: p.end,
            deadline: true,
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
        if e.deadline {
            // The last hour before the deadline, ending at 24:00 China time.
            s.push_str(&fold(&format!(
                "DTSTART;TZID=Asia/Shanghai:{}T230000",
                ics_date(e.end)
            )));
            s.push_str(&fold(&format!(
                "DTEND;TZID=Asia/Shanghai:{}T000000",
                ics_date(e.end + chrono::Days::new(1))
            )));
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

/// `sitemap.xml` (an index of `sitemap-N.xml` files above 50,000 URLs).
pub fn sitemaps(urls: &Urls, mut pages: Vec<String>) -> Vec<(String, Vec<u8>)> {
    pages.sort();
    let urlset = |chunk: &[String]| {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in chunk {
            x.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                xml_escape(&urls.absolute(p))
            ));
        }
        x.push_str("</urlset>\n");
        x.into_bytes()
    };
    if pages.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".into(), urlset(&pages))];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (i, chunk) in pages.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&urls.absolute(&name))
        ));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index.into_bytes()));
    files
}

/// The Atom feed, the iCalendar file, the sitemap(s) of `pages` (site folders) and
/// robots.txt.
pub fn write_all(
    site: &Site,
    sink: &dyn crate::output::Sink,
    pages: Vec<String>,
) -> Vec<crate::diag::Diagnostic> {
    let urls = Urls::new(site);
    let mut files = sitemaps(&urls, pages);
    files.push(("feed.xml".into(), atom(site, &urls)));
    files.push(("calendar.ics".into(), icalendar(site, &urls)));
    files.push(("robots.txt".into(), robots(&urls)));
    files
        .into_iter()
        .filter_map(|(path, bytes)| {
            sink.put(&path, bytes)
                .err()
                .map(|e| crate::diag::Diagnostic::cannot_write(&path, &e))
        })
        .collect()
}

pub fn robots(urls: &Urls) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.absolute("sitemap.xml")
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            xml_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }

    #[test]
    fn sitemap_splits_above_the_limit() {
        let urls = Urls {
            base_path: "/".into(),
            base_url: "https://x.cn/".into(),
        };
        let pages: Vec<String> = (0..SITEMAP_LIMIT + 1).map(|i| format!("p{i}/")).collect();
        let files = sitemaps(&urls, pages);
        assert_eq!(files.len(), 3);
        assert!(String::from_utf8_lossy(&files[2].1).contains("sitemap-2.xml"));
    }
}
