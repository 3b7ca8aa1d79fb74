//! The enterprise directory (issue 22) on `tests/fixtures/directory/`: a site whose
//! enterprises hold every honour status (lapsed, renewed by review, withdrawn, expiring,
//! revoked, renamed, under publicity, two programmes at once). Pages, JSON, downloads,
//! feed, sitemap and search are checked through the built files; the boundaries are
//! crossed by building on the days either side of them.

use serde_json::Value;

use crate::support::*;

const LAPSED: &str = "91210202MAAY4CL129"; // announced 2023-03-10, never reviewed
const RENEWED: &str = "91210202MATH3BJ1X4"; // reviewed 2026-02-27; also 专精特新 from 2025-06-20
const WITHDRAWN: &str = "91210202MAG612DD2M"; // withdrawn from the 2023 list
const EXPIRING: &str = "91210202MA72HD1TJR"; // announced 2024-01-05: valid through 2027-01-04
const REVOKED: &str = "91210202MA3Y7LLJY7"; // revoked 2025-06-30
const RENAMED: &str = "91210202MA1JJC1716"; // renamed 2025-03-01
const PUBLICITY: &str = "91210202MAHU49D4H1"; // on the 2026 Q4 list under publicity

fn built(today: &str) -> Fixture {
    let f = Fixture::site("directory");
    assert_ok(&f.run(&["build", "--today", today]));
    f
}

fn json(f: &Fixture, code: &str) -> Value {
    serde_json::from_str(&f.out(&format!("enterprises/{code}.json"))).expect("enterprise JSON")
}

/// (programme id, status) of every programme of an enterprise.
fn statuses(f: &Fixture, code: &str) -> Vec<(String, String)> {
    json(f, code)["programmes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["programme"].as_str().unwrap().to_string(),
                p["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status(f: &Fixture, code: &str) -> String {
    statuses(f, code)[0].1.clone()
}

fn page(f: &Fixture, code: &str) -> String {
    f.out(&format!("enterprises/{code}/index.html"))
}

#[test]
fn every_status_as_of_the_build_date_on_the_page_and_in_the_json() {
    let f = built("2026-12-06");
    let s = |code, programme: &str, st: &str| (programme.to_string(), st.to_string(), code);
    for (programme, st, code) in [
        s(LAPSED, "innovative", "lapsed"),
        s(WITHDRAWN, "innovative", "none"),
        s(EXPIRING, "innovative", "expiring"),
        s(REVOKED, "innovative", "revoked"),
        s(RENAMED, "innovative", "expiring"),
        s(PUBLICITY, "innovative", "publicity"),
    ] {
        assert_eq!(statuses(&f, code), [(programme, st)], "{code}");
    }
    assert_eq!(
        statuses(&f, RENEWED),
        [
            ("innovative".to_string(), "valid".to_string()),
            ("specialised".to_string(), "valid".to_string())
        ]
    );
    // The review's window replaced the first one (2023-03-10 → 2026-03-09).
    let renewed = json(&f, RENEWED);
    assert_eq!(renewed["programmes"][0]["valid_until"], "2029-02-26");
    assert_eq!(
        renewed["programmes"][0]["lists"].as_array().unwrap().len(),
        2
    );
    assert_eq!(renewed["schema"], "gazette-enterprise/1");
    assert_eq!(renewed["as_of"], "2026-12-06");

    // The page says it in words, with the dates written out, and as of when.
    let p = page(&f, LAPSED);
    assert!(p.contains("已失效（2026年3月9日到期）"), "{p}");
    assert!(p.contains("截至 <time datetime=\"2026-12-06\">2026年12月6日</time>"));
    let p = page(&f, EXPIRING);
    assert!(p.contains("即将到期（至2027年1月4日）"));
    assert!(
        p.contains("称号将于2027年1月4日到期"),
        "the advice is shown"
    );
    let p = page(&f, REVOKED);
    assert!(p.contains("已撤销（2025年6月30日起）"));
    assert!(p.contains("辽工信示例〔2025〕7号") && p.contains("有效期内发现虚假申报（示例）"));
    let p = page(&f, PUBLICITY);
    assert!(p.contains("公示中"));
    assert!(
        p.contains("href=\"/lists/2026-q4-application/publicity/\""),
        "a reader under publicity is sent to the objection instructions"
    );
    let p = page(&f, WITHDRAWN);
    assert!(p.contains("经核实不符合条件（异议成立）"));
    assert!(p.contains("href=\"/lists/2023-q1-application/#91210202MAG612DD2M\""));
    // Sample data says so on every page.
    assert!(page(&f, RENEWED).contains("示例数据"));
}

#[test]
fn a_rename_keeps_the_title_and_every_former_name() {
    let f = built("2026-12-06");
    let j = json(&f, RENAMED);
    assert_eq!(j["name"], "大连示例己新名科技有限公司");
    assert_eq!(j["former_names"][0]["name"], "大连示例己旧名科技有限公司");
    assert_eq!(j["former_names"][0]["renamed"], "2025-03-01");
    assert_eq!(j["renames"][0]["document"], "辽工信示例〔2025〕3号");
    let p = page(&f, RENAMED);
    assert!(p.contains("<h1>大连示例己新名科技有限公司</h1>"));
    assert!(p.contains("原名 大连示例己旧名科技有限公司"));
    // The new name is on no list yet: the search index carries it apart, as a record of
    // no list, so that the browser's search finds it.
    let m: Value = serde_json::from_str(&f.out(manifest_url(&f).trim_start_matches('/'))).unwrap();
    let [start, end] = [
        m["renamed"][0].as_u64().unwrap(),
        m["renamed"][1].as_u64().unwrap(),
    ];
    assert_eq!(end - start, 1, "{m}");
    assert_eq!(m["enterprises"], "/enterprises/");
}

#[test]
fn statuses_change_on_the_boundary_days() {
    // The last valid day and the first lapsed day.
    assert_eq!(status(&built("2026-03-09"), LAPSED), "expiring");
    assert_eq!(status(&built("2026-03-10"), LAPSED), "lapsed");
    // The expiry warning: six months before the first day after the window.
    let f = built("2026-07-04");
    assert_eq!(status(&f, EXPIRING), "valid");
    assert_eq!(status(&built("2026-07-05"), EXPIRING), "expiring");
    // A revocation takes effect on its day.
    let f = built("2025-06-29");
    assert_eq!(status(&f, REVOKED), "valid");
    assert!(
        page(&f, REVOKED).contains("data-revoked=\"2025-06-30\""),
        "the page carries the coming revocation for its script"
    );
    assert_eq!(status(&built("2025-06-30"), REVOKED), "revoked");
    // Publicity, then waiting for the announcement.
    assert_eq!(
        json(&built("2026-12-07"), PUBLICITY)["programmes"][0]["publicity_ended"],
        false
    );
    assert_eq!(
        json(&built("2026-12-08"), PUBLICITY)["programmes"][0]["publicity_ended"],
        true
    );
}

#[test]
fn the_directory_page_counts_and_its_downloads_hold_every_enterprise() {
    let f = built("2026-12-06");
    let index = f.out("enterprises/index.html");
    assert!(index.contains("共有7家企业"), "{index}");
    let csv = std::fs::read(f.path("public/enterprises/directory.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}统一社会信用代码,企业名称".as_bytes()));
    let csv = String::from_utf8(csv).unwrap();
    // One row per enterprise and programme (the renewed one holds two), plus the header.
    assert_eq!(csv.lines().count(), 1 + 8, "{csv}");
    assert!(csv.contains("大连示例己新名科技有限公司,大连示例己旧名科技有限公司,中山区,创新型中小企业,即将到期（至2027年1月4日）,2027-01-04"));
    let all: Value =
        serde_json::from_str(&f.out("enterprises/directory.json")).expect("directory JSON");
    assert_eq!(all["enterprises"].as_array().unwrap().len(), 7);
    assert_eq!(
        all["enterprises"][0],
        json(&f, all["enterprises"][0]["credit_code"].as_str().unwrap())
    );
}

#[test]
fn enterprise_pages_are_linked_listed_and_described() {
    let f = built("2026-12-06");
    let district = f.out("districts/中山区/index.html");
    assert!(district.contains(&format!("<a href=\"/enterprises/{RENEWED}/\">")));
    let sitemap = f.out("sitemap.xml");
    assert!(sitemap.contains(&format!("https://example.gov.cn/enterprises/{REVOKED}/")));
    // schema.org Organization with the credit code as its identifier.
    let p = page(&f, RENAMED);
    let ld = p
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("JSON-LD");
    let ld: Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "Organization");
    assert_eq!(ld["identifier"]["value"], RENAMED);
    assert_eq!(ld["alternateName"][0], "大连示例己旧名科技有限公司");
    // The feed announces the rename and the revocation.
    let feed = f.out("feed.xml");
    assert!(
        feed.contains("企业更名：大连示例己新名科技有限公司"),
        "{feed}"
    );
    assert!(feed.contains("撤销称号：大连示例戊撤销科技有限公司"));
    assert!(feed.contains(&format!("https://example.gov.cn/enterprises/{REVOKED}/")));
}

#[test]
fn names_and_reasons_are_escaped_in_pages_json_ld_and_csv() {
    let f = Fixture::site("directory");
    f.edit(
        "data/changes/2025.toml",
        "to = \"大连示例己新名科技有限公司\"",
        "to = \"大连示例</script><b>新名</b>公司\"",
    );
    f.edit(
        "data/changes/2025.toml",
        "reason = \"有效期内发现虚假申报（示例）\"",
        "reason = \"=HYPERLINK(\\\"http://evil.example/\\\")\"",
    );
    assert_ok(&f.build());
    let p = page(&f, RENAMED);
    assert!(!p.contains("<b>新名</b>"));
    assert!(
        p.contains("&lt;b&gt;新名&lt;&#x2F;b&gt;") || p.contains("&lt;b&gt;新名&lt;/b&gt;"),
        "{p}"
    );
    let ld = p.split("application/ld+json\">").nth(1).unwrap();
    let ld = ld.split("</script>").next().unwrap();
    assert!(ld.contains("\\u003c/script\\u003e"), "{ld}");
    let csv = f.out("enterprises/directory.csv");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
}

#[test]
fn a_bad_change_is_refused_where_it_stands() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "credit_code = \"91210202MA1JJC1716\"",
            "credit_code = \"91210202MAAAAAAAAL\"",
            "[credit-code]",
        ),
        (
            "from = \"大连示例己旧名科技有限公司\"",
            "from = \"大连示例从未叫过的公司\"",
            "[rename-from]",
        ),
        (
            "date = 2025-06-30",
            "date = 2023-12-31",
            "[revocation-date]",
        ),
        (
            "programme = \"innovative\"",
            "programme = \"specialised\"",
            "[revocation-untitled]",
        ),
    ];
    for (from, to, code) in cases {
        let f = Fixture::site("directory");
        f.edit("data/changes/2025.toml", from, to);
        let needle = to.split(" = ").nth(1).unwrap();
        let at = pos(&f, "data/changes/2025.toml", needle);
        let o = f.check();
        assert_fails_with(&o, &[&at, code]);
    }
    // A code on no list, and a revocation written twice.
    let f = Fixture::site("directory");
    let unknown = credit_code("210202", 99);
    f.edit(
        "data/changes/2025.toml",
        "credit_code = \"91210202MA1JJC1716\"",
        &format!("credit_code = \"{unknown}\""),
    );
    assert_fails_with(&f.check(), &["[changes-unknown]", &unknown]);
    let f = Fixture::site("directory");
    let text = f.read("data/changes/2025.toml");
    let revocation = &text[text.find("[[revocation]]").unwrap()..];
    f.write("data/changes/2025.toml", &format!("{text}\n{revocation}"));
    assert_fails_with(&f.check(), &["[changes-twice]"]);
    assert!(!f.path("public").exists());
}
