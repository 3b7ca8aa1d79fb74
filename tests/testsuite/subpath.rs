//! A site served from a sub-path of its domain (`tests/fixtures/subpath`, base_url
//! `https://example.gov.cn/gxj/cxzx/`): every internal link of every page, the feed, the
//! sitemap, robots.txt, the calendar and the search manifest carry the sub-path, and every
//! internal link names a file the build wrote.

use serde_json::Value;

use crate::support::*;

const BASE: &str = "https://example.gov.cn/gxj/cxzx/";
const PATH: &str = "/gxj/cxzx/";

fn built() -> Fixture {
    let f = Fixture::site("subpath");
    assert_ok(&f.build());
    f
}

/// The values of every URL-bearing attribute of a page (and meta-refresh targets).
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [
        " href=\"",
        " src=\"",
        " action=\"",
        " data-manifest=\"",
        " srcset=\"",
        " poster=\"",
    ] {
        for piece in html.split(attr).skip(1) {
            out.push(piece.split('"').next().unwrap_or("").to_string());
        }
    }
    for piece in html.split("http-equiv=\"refresh\" content=\"").skip(1) {
        let content = piece.split('"').next().unwrap_or("");
        let url = content.split_once("url=").map(|(_, u)| u).unwrap_or("");
        out.push(url.to_string());
    }
    out
}

/// The file of the build that a site path (with the sub-path) names, if it is one.
fn file_of(f: &Fixture, path: &str) -> Option<std::path::PathBuf> {
    let rest = path.strip_prefix(PATH)?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8_lossy()
        .to_string();
    let rel = if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    };
    let p = f.path("public").join(rel);
    p.is_file().then_some(p)
}

/// Resolves `link` found on the page at site path `page` (e.g. `/gxj/cxzx/lists/`) to an
/// absolute path of the same host, or None for links elsewhere (other hosts, mail, phone).
fn resolve(page: &str, link: &str) -> Option<String> {
    if link.starts_with('#') || link.is_empty() {
        return Some(page.to_string());
    }
    if let Some(rest) = link.strip_prefix("https://example.gov.cn") {
        return Some(rest.to_string());
    }
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:") {
        return None;
    }
    if link.starts_with("data:") {
        return None;
    }
    if link.starts_with('/') {
        return Some(link.to_string());
    }
    // Relative: against the page's folder, `..` and `.` removed.
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn every_internal_link_and_source_carries_the_sub_path_and_names_a_file() {
    let f = built();
    let mut bad = Vec::new();
    let mut checked = 0;
    for (rel, bytes) in snapshot(&f.path("public")) {
        if !rel.ends_with(".html") {
            continue;
        }
        let rel = rel.replace('\\', "/");
        let page = format!("{PATH}{}", rel.trim_end_matches("index.html"));
        let html = String::from_utf8_lossy(&bytes);
        for link in urls(&html) {
            let Some(target) = resolve(&page, &link) else {
                continue;
            };
            checked += 1;
            if !target.starts_with(PATH) {
                bad.push(format!("{rel}: {link:?} is outside {PATH}"));
            } else if file_of(&f, &target).is_none() {
                bad.push(format!("{rel}: {link:?} names no file of the build"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(checked > 100, "only {checked} links checked");
    // Every kind of link was met: pages, pagination, assets, the attachment, the redirect.
    let list = f.out("lists/2026-q3-application/index.html");
    assert!(list.contains("href=\"/gxj/cxzx/lists/2026-q3-application/page/2/\""));
    assert!(list.contains("href=\"/gxj/cxzx/assets/style.css?v="));
    assert!(list.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}lists/2026-q3-application/\">"
    )));
    let notice = f.out("notices/innovative/2026/index.html");
    assert!(
        notice.contains("href=\"/gxj/cxzx/attachments/%E9%99%84%E4%BB%B62.pdf\"")
            || notice.contains("href=\"/gxj/cxzx/attachments/附件2.pdf\"")
    );
    // A link written in the content from the site's root moves under the sub-path; one
    // written relative to the page stays as written (and resolves under it).
    assert!(notice.contains("href=\"/gxj/cxzx/lists/2026-q3-application/\""));
    assert!(notice.contains("href=\"../../../lists/2026-q3-application/publicity/\""));
    assert!(f
        .out("notice/index.html")
        .contains("url=/gxj/cxzx/notices/innovative/2026/"));
}

#[test]
fn feed_sitemap_robots_and_calendar_carry_the_sub_path() {
    let f = built();
    let feed = f.out("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed.xml is well-formed XML");
    let hrefs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(hrefs.len() >= 3, "{hrefs:?}");
    for href in &hrefs {
        assert!(href.starts_with(BASE), "feed link {href}");
    }
    assert!(hrefs.contains(&"https://example.gov.cn/gxj/cxzx/feed.xml"));

    let sitemap = f.out("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is well-formed XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() >= 8, "{locs:?}");
    for loc in &locs {
        assert!(loc.starts_with(BASE), "sitemap {loc}");
    }
    assert!(locs.contains(&"https://example.gov.cn/gxj/cxzx/lists/2026-q3-application/"));

    let robots = f.out("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.gov.cn/gxj/cxzx/sitemap.xml"),
        "{robots}"
    );

    let ics = f.out("calendar.ics");
    let urls: Vec<&str> = ics
        .lines()
        .filter_map(|l| {
            l.strip_prefix("URL:")
                .or_else(|| l.strip_prefix("URL;VALUE=URI:"))
        })
        .collect();
    assert!(!urls.is_empty(), "{ics}");
    for url in urls {
        assert!(url.starts_with(BASE), "calendar {url}");
    }
}

#[test]
fn the_search_page_and_manifest_urls_carry_the_sub_path() {
    let f = built();
    let url = manifest_url(&f);
    assert!(url.starts_with("/gxj/cxzx/search/"), "{url}");
    let manifest: Value =
        serde_json::from_str(&f.out(&url[PATH.len()..])).expect("the manifest is JSON");
    let lists = manifest["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0]["url"], "/gxj/cxzx/lists/2026-q3-application/");
    assert_eq!(
        lists[0]["page_url"],
        "/gxj/cxzx/lists/2026-q3-application/page/"
    );
    // Any other URL in the manifest too.
    fn walk(v: &Value, key: &str, bad: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, k, bad)),
            Value::Array(a) => a.iter().for_each(|v| walk(v, key, bad)),
            Value::String(s) if key.ends_with("url") && !s.starts_with(PATH) => {
                bad.push(format!("{key}: {s}"))
            }
            _ => {}
        }
    }
    let mut bad = Vec::new();
    walk(&manifest, "", &mut bad);
    assert!(bad.is_empty(), "{bad:?}");
}
