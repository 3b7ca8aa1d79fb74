//! The minimal site (`tests/fixtures/minimal`: one programme, one notice, two districts, one
//! list of three enterprises) builds, and every page that gathers enterprises or districts
//! shows both districts: the list, the district pages, the contacts table and the search
//! index.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::*;

const LIST: &str = "lists/2026-q3-application/index.html";

/// (name, credit code, district) of the fixture's list, in file order.
const ENTERPRISES: [(&str, &str, &str); 3] = [
    ("大连示例最小甲科技有限公司", "91210202MATU8FKPXX", "中山区"),
    (
        "大连示例最小乙新材料有限公司",
        "91210202MABT5PRMUT",
        "中山区",
    ),
    (
        "大连示例最小丙化工有限公司",
        "91210213MACPRJEYXY",
        "金普新区",
    ),
];

fn built() -> Fixture {
    let f = Fixture::minimal();
    let o = f.build();
    assert_ok(&o);
    f
}

#[test]
fn the_minimal_site_builds_every_kind_of_page_and_nothing_else() {
    let f = built();
    for page in [
        "index.html",
        "notices/innovative/2026/index.html",
        "contacts/index.html",
        "lists/index.html",
        LIST,
        "lists/2026-q3-application/publicity/index.html",
        "lists/2026-q3-application/2026-q3-application.csv",
        "lists/2026-q3-application/2026-q3-application.json",
        "districts/index.html",
        "districts/中山区/index.html",
        "districts/金普新区/index.html",
        "search/index.html",
        "404.html",
        "feed.xml",
        "calendar.ics",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(
            f.path(&format!("public/{page}")).is_file(),
            "missing {page}"
        );
    }
    // Two districts, two district pages; no criteria page (the fixture has none).
    let districts: Vec<_> = std::fs::read_dir(f.path("public/districts"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    assert_eq!(districts.len(), 2);
    assert!(!f.path("public/notices/innovative/2026/criteria").exists());
    // The sample list says so.
    assert!(f.out(LIST).contains("示例数据"));
}

#[test]
fn the_list_page_shows_both_districts_enterprises_in_district_order() {
    let f = built();
    let h = f.out(LIST);
    for (name, code, _) in ENTERPRISES {
        assert!(h.contains(name), "{name} missing from the list page");
        assert!(h.contains(&format!("<tr id=\"{code}\"")), "{code}");
    }
    // The district column, row by row: 中山区 (first in districts.toml) before 金普新区.
    let shown: Vec<&str> = h
        .split("<tr id=\"")
        .skip(1)
        .map(|row| row.split("/\">").nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(shown, ["中山区", "中山区", "金普新区"]);
    assert!(h.contains("2026年11月23日至11月27日（5个工作日）"));
    // Each district page holds its own enterprises only.
    let zs = f.out("districts/中山区/index.html");
    let jp = f.out("districts/金普新区/index.html");
    for (name, _, district) in ENTERPRISES {
        assert_eq!(zs.contains(name), district == "中山区", "{name}");
        assert_eq!(jp.contains(name), district == "金普新区", "{name}");
    }
}

#[test]
fn the_contacts_table_has_the_two_districts() {
    let f = built();
    for page in ["contacts/index.html", "notices/innovative/2026/index.html"] {
        let h = f.out(page);
        assert_eq!(
            h.matches("<th scope=\"row\"><a href=\"/districts/").count(),
            2,
            "{page}: one row per district"
        );
        for needle in [
            "中山区示例科工信局",
            "href=\"tel:+86-411-8200-0001\">0411-82000001</a>",
            "金普新区示例科工信局",
            "href=\"tel:+86-411-8700-0001\">0411-87000001</a>",
            "href=\"tel:+86-411-8700-0002\">0411-87000002</a>",
        ] {
            assert!(h.contains(needle), "{page} lacks {needle:?}");
        }
    }
}

#[test]
fn the_search_index_holds_every_enterprise_and_both_districts() {
    let f = built();
    let url = manifest_url(&f);
    let manifest: Value = serde_json::from_str(&f.out(&url[1..])).expect("the manifest is JSON");
    let lists = manifest["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0]["id"], "2026-q3-application");
    assert_eq!(lists[0]["url"], "/lists/2026-q3-application/");
    // Both districts have a posting: 中山区 two records, 金普新区 one.
    let districts: Vec<(&str, u64)> = manifest["districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), d["node"][1].as_u64().unwrap()))
        .collect();
    assert_eq!(districts, [("中山区", 2), ("金普新区", 1)]);
    // Every record's payload: [name, code, district (its index in the manifest), withdrawn].
    let folder = f.path("public").join(&url[1..url.rfind('/').unwrap()]);
    let mut records = BTreeSet::new();
    for (path, bytes) in snapshot(&folder.join("r")) {
        let payloads: Value =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        for r in payloads.as_array().unwrap() {
            let district = districts[r[2].as_u64().unwrap() as usize].0;
            records.insert((
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().to_string(),
                district.to_string(),
            ));
        }
    }
    let expected: BTreeSet<(String, String, String)> = ENTERPRISES
        .iter()
        .map(|(n, c, d)| (n.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(
        records, expected,
        "one record per enterprise, with its district"
    );
}
