//! Search through the real binary.
//!
//! `gazette synth` and the search index: a generated site passes `gazette check`, the same
//! seed gives the same files, a non-empty folder is refused, and two builds of the same
//! site write byte-identical search indexes.
//!
//! The programme and year filters: the search manifest names each list's programme and
//! year. A copy of the repository's site with a second programme (专精特新中小企业,
//! half-yearly) and a second year (a 2025 list of the default programme) must pass
//! `check`, build, and carry `programme`, `programme_name` and `year` on every list entry,
//! after the fields the entry already had (byte for byte as before).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{assert_ok, bin, enterprise_rows, manifest_url, repo, snapshot, Fixture};

/// The repository's credit codes of a sample list, in file order.
fn codes(fx: &Fixture, list: &str) -> Vec<String> {
    fx.read(list)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("credit_code = \""))
        .map(|rest| rest.trim_end_matches('"').to_string())
        .collect()
}

/// The repository's site plus the 专精特新 programme, its 2026 notice and a list, and a
/// 2025 list of the default programme (published in January 2026, inside the calendar the
/// repository has).
fn two_programmes_two_years() -> Fixture {
    let fx = Fixture::new();
    let innovative = fx.read("data/programmes/innovative.toml");
    let mut specialised = String::new();
    let mut skip_kind = false;
    for line in innovative.lines() {
        let line = match line.trim_end() {
            l if l.starts_with("name = \"创新型中小企业\"") => "name = \"专精特新中小企业\"",
            "default = true" => continue,
            l if l.starts_with("cadence = ") => "cadence = \"half-year\"",
            l if l.starts_with("batch_names = ") => "batch_names = [\"上半年\", \"下半年\"]",
            "[[kind]]" => {
                skip_kind = true;
                continue;
            }
            l if skip_kind
                && (l.starts_with("id = ") || l.starts_with("name = ") || l.is_empty()) =>
            {
                continue
            }
            l => {
                skip_kind = false;
                l
            }
        };
        specialised.push_str(line);
        specialised.push('\n');
    }
    specialised.push_str(
        "\n[[kind]]\nid = \"recognition\"\nname = \"认定\"\n\n[[kind]]\nid = \"review\"\nname = \"复核\"\n",
    );
    assert!(!specialised.contains("default = true") && specialised.contains("专精特新中小企业"));
    fx.write("data/programmes/specialised.toml", &specialised);
    fx.write(
        "content/notices/specialised/2026/index.md",
        "+++\ntitle = \"关于做好2026年度专精特新中小企业认定工作的通知\"\ndate = 2026-03-02\ntemplate = \"notice.html\"\n+++\n\n市工业和信息化局组织开展2026年度专精特新中小企业认定工作。\n",
    );

    let c = codes(&fx, "data/lists/2026-q3-application.toml");
    assert!(
        c.len() >= 5,
        "the sample list has enough rows to borrow codes from"
    );
    fx.write(
        "data/lists/specialised-2026-h1-recognition.toml",
        &format!(
            "programme = \"specialised\"\nyear = 2026\nbatch = 1\nkind = \"recognition\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2026-11-23\nworking_days = 5\n{}",
            enterprise_rows(&[
                ("大连示例精工甲有限公司", &c[0], "沙河口区"),
                ("大连示例精工乙有限公司", &c[1], "金普新区"),
                ("大连示例精工丙有限公司", &c[2], "长海县"),
            ])
        ),
    );
    fx.write(
        "data/lists/2025-q4-application.toml",
        &format!(
            "year = 2025\nbatch = 4\nkind = \"application\"\nstage = \"announced\"\nsample = true\n\n[publicity]\nstart = 2026-01-05\nworking_days = 5\n\n[announcement]\ndate = 2026-01-20\n{}",
            enterprise_rows(&[
                ("大连示例往年甲有限公司", &c[3], "甘井子区"),
                ("大连示例往年乙有限公司", &c[4], "瓦房店市"),
            ])
        ),
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
            ("2026-q3-review", "innovative", "创新型中小企业", 2026),
            ("2026-q2-review", "innovative", "创新型中小企业", 2026),
            ("2026-q1-application", "innovative", "创新型中小企业", 2026),
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

#[test]
fn default_site_lists_name_the_one_programme_and_year() {
    let fx = Fixture::new();
    assert_ok(&fx.build());
    let text = manifest(&fx);
    let m: Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<String> = m["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!ids.is_empty());
    let expected: Vec<(&str, &str, &str, i64)> = ids
        .iter()
        .map(|id| {
            let year = id[..4]
                .parse()
                .expect("default-programme ids start with the year");
            (id.as_str(), "innovative", "创新型中小企业", year)
        })
        .collect();
    check_entries(&text, &expected);
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
