//! Search through the real binary.
//!
//! `gazette synth` and the search index: a generated site passes `gazette check`, the same
//! seed gives the same files, a non-empty folder is refused, and two builds of the same
//! site write byte-identical search indexes.
//!
//! The programme and year filters: the search manifest names each list's programme and
//! year. The minimal site with a second programme (专精特新中小企业, half-yearly) and a
//! second year (a 2025 list of the default programme) must pass `check`, build, and carry
//! `programme`, `programme_name` and `year` on every list entry, after the fields the entry
//! already had (byte for byte as before).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{
    assert_ok, bin, credit_code, enterprise_rows, manifest_url, repo, snapshot, Fixture,
};

/// A list of the default programme announced in January 2026 (inside the fixture's 2026
/// calendar), of `year` and `batch`, with two invented rows (serials `n`, `n + 1`).
fn announced_list(year: u32, batch: u32, kind: &str, n: u32) -> String {
    format!(
        "year = {year}\nbatch = {batch}\nkind = \"{kind}\"\nstage = \"announced\"\nsample = true\n\n[publicity]\nstart = 2026-01-05\nworking_days = 5\n\n[announcement]\ndate = 2026-01-20\n{}",
        enterprise_rows(&[
            (
                &format!("大连示例往年{n}号有限公司"),
                &credit_code("210202", n),
                "中山区"
            ),
            (
                &format!("大连示例往年{}号有限公司", n + 1),
                &credit_code("210213", n + 1),
                "金普新区"
            ),
        ])
    )
}

/// The minimal site plus the 专精特新 programme, its 2026 notice and a list, and a 2025
/// list of the default programme (published in January 2026, inside the calendar the
/// fixture has).
fn two_programmes_two_years() -> Fixture {
    let fx = Fixture::minimal();
    assert!(!fx.path("data/programmes/specialised.toml").exists());
    fx.write(
        "data/programmes/specialised.toml",
        "name = \"专精特新中小企业\"\ncadence = \"half-year\"\nbatch_names = [\"上半年\", \"下半年\"]\nvalidity_years = 3\nkeywords = [\"专精特新中小企业\"]\n\n[[kind]]\nid = \"recognition\"\nname = \"认定\"\n\n[[kind]]\nid = \"review\"\nname = \"复核\"\n\n[titles]\npublicity = \"{year}年{batch}{programme}{kind}拟公告名单公示\"\nannounced = \"{year}年{batch}{programme}{kind}公告名单\"\n",
    );
    fx.write(
        "content/notices/specialised/2026/index.md",
        "+++\ntitle = \"关于做好2026年度专精特新中小企业认定工作的通知\"\ndate = 2026-03-02\ntemplate = \"notice.html\"\n+++\n\n市工业和信息化局组织开展2026年度专精特新中小企业认定工作。\n",
    );
    fx.write(
        "data/lists/specialised-2026-h1-recognition.toml",
        &format!(
            "programme = \"specialised\"\nyear = 2026\nbatch = 1\nkind = \"recognition\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2026-11-23\nworking_days = 5\n{}",
            enterprise_rows(&[
                ("大连示例精工甲有限公司", &credit_code("210202", 1), "中山区"),
                ("大连示例精工乙有限公司", &credit_code("210213", 2), "金普新区"),
                ("大连示例精工丙有限公司", &credit_code("210202", 3), "中山区"),
            ])
        ),
    );
    fx.write(
        "data/lists/2025-q4-application.toml",
        &announced_list(2025, 4, "application", 4),
    );
    fx
}

/// The manifest's text, from the folder the search page points at.
fn manifest(fx: &Fixture) -> String {
    let url = manifest_url(fx);
    fx.out(url.strip_prefix('/').expect("a site path"))
}

/// Checks every list entry: its programme, name and year as `expected` says, the new
/// fields last and the old ones byte-identical in their old order. Returns the entries.
fn check_entries(text: &str, expected: &[(&str, &str, &str, i64)]) -> Vec<Value> {
    let m: Value = serde_json::from_str(text).expect("the manifest is JSON");
    let lists = m["lists"].as_array().expect("lists").clone();
    assert_eq!(lists.len(), expected.len(), "{text}");
    for (id, programme, name, year) in expected {
        let l = lists
            .iter()
            .find(|l| l["id"] == *id)
            .unwrap_or_else(|| panic!("no list {id} in the manifest"));
        assert_eq!(l["programme"], *programme, "{id}");
        assert_eq!(l["programme_name"], *name, "{id}");
        assert_eq!(l["year"], *year, "{id}");
        let old: Vec<String> = [
            "id",
            "title",
            "stage",
            "sample",
            "start",
            "shown",
            "end",
            "page_size",
            "url",
            "page_url",
        ]
        .iter()
        .map(|k| format!("\"{k}\":{}", serde_json::to_string(&l[*k]).unwrap()))
        .collect();
        let entry = format!(
            "{{{},\"programme\":{},\"programme_name\":{},\"year\":{year}}}",
            old.join(","),
            serde_json::to_string(programme).unwrap(),
            serde_json::to_string(name).unwrap(),
        );
        assert!(text.contains(&entry), "{id}: expected {entry} in\n{text}");
    }
    lists
}

#[test]
fn manifest_lists_carry_programme_and_year() {
    let fx = two_programmes_two_years();
    assert_ok(&fx.check());
    assert_ok(&fx.build());
    let text = manifest(&fx);
    let lists = check_entries(
        &text,
        &[
            ("2026-q3-application", "innovative", "创新型中小企业", 2026),
            (
                "specialised-2026-h1-recognition",
                "specialised",
                "专精特新中小企业",
                2026,
            ),
            ("2025-q4-application", "innovative", "创新型中小企业", 2025),
        ],
    );
    let programmes: BTreeSet<&str> = lists
        .iter()
        .map(|l| l["programme"].as_str().unwrap())
        .collect();
    let years: BTreeSet<i64> = lists.iter().map(|l| l["year"].as_i64().unwrap()).collect();
    assert_eq!(programmes, BTreeSet::from(["innovative", "specialised"]));
    assert_eq!(years, BTreeSet::from([2025, 2026]));
    // The specialised list's records are its own three rows.
    let s = lists
        .iter()
        .find(|l| l["programme"] == "specialised")
        .unwrap();
    assert_eq!(s["end"].as_u64().unwrap() - s["start"].as_u64().unwrap(), 3);
    assert_eq!(s["url"], "/lists/specialised-2026-h1-recognition/");
}

/// A site with its default programme only (the minimal one, plus lists of another year and
/// kind): every list names that programme and its own year.
#[test]
fn default_site_lists_name_the_one_programme_and_year() {
    let fx = Fixture::minimal();
    fx.write(
        "data/lists/2025-q4-application.toml",
        &announced_list(2025, 4, "application", 11),
    );
    fx.write(
        "data/lists/2026-q1-review.toml",
        &announced_list(2026, 1, "review", 13),
    );
    assert_ok(&fx.check());
    assert_ok(&fx.build());
    let text = manifest(&fx);
    let lists = check_entries(
        &text,
        &[
            ("2026-q3-application", "innovative", "创新型中小企业", 2026),
            ("2026-q1-review", "innovative", "创新型中小企业", 2026),
            ("2025-q4-application", "innovative", "创新型中小企业", 2025),
        ],
    );
    let years: BTreeSet<i64> = lists.iter().map(|l| l["year"].as_i64().unwrap()).collect();
    assert_eq!(years, BTreeSet::from([2025, 2026]));
}

fn gazette(args: &[&str]) -> std::process::Output {
    bin()
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run gazette")
}

#[test]
fn synthetic_site_checks_builds_and_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for dir in [&a, &b] {
        let o = gazette(&[
            "synth",
            "--out",
            dir.to_str().unwrap(),
            "--enterprises",
            "2500",
            "--seed",
            "5",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(
        snapshot(&a.join("data/lists")),
        snapshot(&b.join("data/lists"))
    );
    assert_eq!(snapshot(&a.join("data/lists")).len(), 16);

    let o = gazette(&[
        "check",
        "--root",
        a.to_str().unwrap(),
        "--today",
        "2026-11-25",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // A non-empty folder needs --force.
    let o = gazette(&["synth", "--out", a.to_str().unwrap(), "--enterprises", "10"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));

    let mut indexes = Vec::new();
    for out in ["p1", "p2"] {
        let out = tmp.path().join(out);
        let o = gazette(&[
            "build",
            "--root",
            a.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2026-11-25",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let search = snapshot(&out.join("search"));
        assert!(search.iter().any(|(p, _)| p.ends_with("manifest.json")));
        let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
        let manifest = search
            .iter()
            .find(|(p, _)| p.ends_with("manifest.json"))
            .unwrap();
        assert!(
            page.contains(&format!("data-manifest=\"/search/{}\"", manifest.0)),
            "the search page points at the manifest"
        );
        indexes.push(search);
    }
    assert_eq!(indexes[0], indexes[1], "same input, same index bytes");
}
