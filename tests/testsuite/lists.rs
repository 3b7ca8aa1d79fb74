//! Enterprise lists, publicity pages and downloads, through the real binary.

use crate::support::*;

const LIST: &str = "data/lists/2026-q3-application.toml";

/// A small list file with the given extra enterprise rows.
fn list_file(head: &str, rows: &[(&str, &str, &str)]) -> String {
    format!("{head}{}", enterprise_rows(rows))
}

const HEAD: &str = "year = 2026\nquarter = 4\nkind = \"application\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2026-09-24\nworking_days = 5\n";

/// The minimal site's `data/districts.toml` with its two districts the other way round
/// (金普新区 first), so an order that follows the file differs from the order of the
/// names' characters (中 U+4E2D sorts before 金 U+91D1).
const DISTRICTS_JINPU_FIRST: &str = "[[district]]\nname = \"金普新区\"\noffice = \"金普新区示例科工信局\"\nphones = [\"87000001\", \"87000002\"]\naliases = [\"金州区\", \"金州新区\"]\n\n[[district]]\nname = \"中山区\"\noffice = \"中山区示例科工信局\"\nphones = [\"82000001\"]\naliases = []\ncode = \"210202\"\n";

/// The file of the announced list that tests add (the minimal site has none).
const ANNOUNCED: &str = "data/lists/2026-q1-application.toml";
const WITHDRAWN: &str = "公示期间收到实名异议，经核实不符合申报条件";

/// A list of batch 1 announced on 2026-05-20 after five working days of publicity from
/// 2026-04-20, with a document number: `withdrawn` was withdrawn after publicity (with
/// [`WITHDRAWN`] as its reason), `shown` are announced.
fn announced_list(withdrawn: (&str, &str, &str), shown: &[(&str, &str, &str)]) -> String {
    format!(
        "year = 2026\nbatch = 1\nkind = \"application\"\nstage = \"announced\"\nsample = true\n\n[publicity]\nstart = 2026-04-20\nworking_days = 5\n\n[announcement]\ndate = 2026-05-20\ndocument = \"示例文号（辽工信企业〔2026〕示例号）\"\n{}withdrawn = {}\n{}",
        enterprise_rows(&[withdrawn]),
        toml_str(WITHDRAWN),
        enterprise_rows(shown)
    )
}

/// The file of the review list that tests add.
const REVIEW: &str = "data/lists/2026-q3-review.toml";

/// A review list of batch 3 under publicity for seven calendar days from 2026-11-20.
fn review_list(rows: &[(&str, &str, &str)]) -> String {
    list_file(
        "year = 2026\nbatch = 3\nkind = \"review\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2026-11-20\ncalendar_days = 7\n",
        rows,
    )
}

/// The credit codes (`<tr id="…">`) of a list page's rows, in the order shown.
fn row_ids(html: &str) -> Vec<String> {
    html.split("<tr id=\"")
        .skip(1)
        .map(|row| row.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn list_page_table_order_anchors_and_facts() {
    let f = Fixture::minimal();
    // Rows are ordered by district in the order of districts.toml, then as given: put
    // 金普新区 first there, and add rows to the list after its own three (甲, 乙 in 中山区,
    // 丙 in 金普新区), one per district, named so that sorting by name would misplace them.
    f.write("data/districts.toml", DISTRICTS_JINPU_FIRST);
    let zs = credit_code("210202", 1);
    let jp = credit_code("210213", 2);
    let list = f.read(LIST);
    f.write(
        LIST,
        &format!(
            "{list}{}",
            enterprise_rows(&[
                ("大连示例最小丁有限公司", &zs, "中山区"),
                ("大连示例最小丁有限公司之二", &jp, "金普新区"),
            ])
        ),
    );
    assert_ok(&f.build());
    let h = f.out("lists/2026-q3-application/index.html");
    for col in ["序号", "企业名称", "所属区县", "统一社会信用代码", "行业"] {
        assert!(
            h.contains(&format!("<th scope=\"col\">{col}</th>")),
            "{col}"
        );
    }
    assert!(h.contains("示例数据"), "sample lists say so on the page");
    // Every row's anchor is its credit code, in district order then as given.
    assert_eq!(
        row_ids(&h),
        [
            "91210213MACPRJEYXY",
            jp.as_str(),
            "91210202MATU8FKPXX",
            "91210202MABT5PRMUT",
            zs.as_str(),
        ]
    );
    let districts: Vec<&str> = h
        .split("<tr id=\"")
        .skip(1)
        .map(|row| row.split("/\">").nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(
        districts,
        ["金普新区", "金普新区", "中山区", "中山区", "中山区"]
    );
    assert!(h.contains("2026年11月23日至11月27日（5个工作日）"));
}

#[test]
fn publicity_page_states_period_deadline_and_objection_rules() {
    let f = Fixture::minimal();
    // Objection rules of several items, each of which the page must list.
    f.edit(
        "data/site.toml",
        "form = [\"以书面形式实名提出异议，并附相关证明材料。\"]",
        "form = [\"以书面形式实名提出异议；\", \"单位提出异议的，应在异议材料上加盖本单位公章；\", \"写明异议的事实依据，并附相关证明材料。\"]",
    );
    f.write(
        REVIEW,
        &review_list(&[(
            "大连示例复核甲有限公司",
            &credit_code("210202", 1),
            "中山区",
        )]),
    );
    assert_ok(&f.build());
    let h = f.out("lists/2026-q3-application/publicity/index.html");
    for needle in [
        "公示期：<strong>2026年11月23日至11月27日</strong>（5个工作日）",
        "<span class=\"status-label\">公示中</span><span class=\"status-left\">，还剩3个工作日</span>",
        "data-workdays=\"2026-11-23 2026-11-24 2026-11-25 2026-11-26 2026-11-27\"",
        "2026年11月27日24:00前（北京时间）",
        "任何单位和个人",
        "<li>以书面形式实名提出异议；</li>",
        "<li>单位提出异议的，应在异议材料上加盖本单位公章；</li>",
        "<li>写明异议的事实依据，并附相关证明材料。</li>",
        "予以保密",
        "匿名提出的异议和超出公示期提出的异议，不予受理",
        "tel:+86-411-8123-4567",
        "中山区示例科工信局",
        "金普新区示例科工信局",
    ] {
        assert!(h.contains(needle), "publicity page lacks {needle:?}");
    }
    // Before and after the period, as of other build dates.
    assert_ok(&f.run(&["build", "--today", "2026-11-20"]));
    assert!(f
        .out("lists/2026-q3-application/publicity/index.html")
        .contains("<span class=\"status-label\">未开始</span>"));
    assert_ok(&f.run(&["build", "--today", "2026-11-28"]));
    assert!(f
        .out("lists/2026-q3-application/publicity/index.html")
        .contains("<span class=\"status-label\">已结束</span>"));
    // Calendar-day periods count calendar days.
    assert_ok(&f.run(&["build", "--today", "2026-11-25"]));
    let r = f.out("lists/2026-q3-review/publicity/index.html");
    assert!(r.contains("2026年11月20日至11月26日</strong>（7天）"));
    assert!(r.contains("还剩2天"));
}

#[test]
fn announced_list_leaves_withdrawn_out_and_keeps_its_publicity_page() {
    let f = Fixture::minimal();
    let gone = credit_code("210213", 1);
    let shown = [
        credit_code("210202", 2),
        credit_code("210202", 3),
        credit_code("210213", 4),
    ];
    f.write(
        ANNOUNCED,
        &announced_list(
            ("大连示例撤回有限公司", &gone, "金普新区"),
            &[
                ("大连示例公告甲有限公司", &shown[0], "中山区"),
                ("大连示例公告乙有限公司", &shown[1], "中山区"),
                ("大连示例公告丙有限公司", &shown[2], "金普新区"),
            ],
        ),
    );
    assert_ok(&f.build());
    let h = f.out("lists/2026-q1-application/index.html");
    assert!(h.contains("公告日期"));
    assert!(h.contains("示例文号"));
    assert!(h.contains("<dt>有效期</dt><dd>2026年5月20日至2029年5月19日</dd>"));
    assert!(h.contains("另有1家公示后未列入公告"));
    let (main_table, withdrawn) = h.split_once("id=\"withdrawn\"").unwrap();
    assert!(
        !main_table.contains("tag-withdrawn"),
        "announced table shows only announced rows"
    );
    assert!(!main_table.contains(&gone), "{main_table}");
    assert!(!main_table.contains("大连示例撤回有限公司"));
    for code in &shown {
        assert!(main_table.contains(&format!("<tr id=\"{code}\"")), "{code}");
    }
    assert!(withdrawn.contains(&format!("<tr id=\"{gone}\"")));
    assert!(withdrawn.contains(WITHDRAWN));
    let p = f.out("lists/2026-q1-application/publicity/index.html");
    assert!(p.contains("公示期已结束"));
    assert!(p.contains("href=\"/lists/2026-q1-application/\">公告名单</a>"));
    // The publicity-stage download still has every row, the withdrawn one marked.
    let csv = f.out("lists/2026-q1-application/2026-q1-application.csv");
    assert_eq!(csv.lines().count(), 1 + 4);
    assert_eq!(csv.matches("已撤回：").count(), 1);
    assert!(csv
        .lines()
        .find(|l| l.contains(&gone))
        .unwrap()
        .contains("已撤回："));
}

#[test]
fn validity_dates_when_given() {
    let f = Fixture::minimal();
    f.write(
        ANNOUNCED,
        &announced_list(
            (
                "大连示例撤回有限公司",
                &credit_code("210213", 1),
                "金普新区",
            ),
            &[(
                "大连示例公告甲有限公司",
                &credit_code("210202", 2),
                "中山区",
            )],
        ),
    );
    // A printed end of validity other than the programme's three years (2029-05-19).
    f.edit(
        ANNOUNCED,
        "document = \"示例文号（辽工信企业〔2026〕示例号）\"",
        "document = \"辽工信企业〔2026〕99号\"\nvalid_until = 2028-12-31",
    );
    assert_ok(&f.build());
    let h = f.out("lists/2026-q1-application/index.html");
    assert!(h.contains("辽工信企业〔2026〕99号"));
    assert!(!h.contains("示例文号"));
    assert!(h.contains("<dt>有效期</dt><dd>2026年5月20日至2028年12月31日</dd>"));
    assert!(!h.contains("2029年5月19日"));
}

#[test]
fn downloads_hold_exactly_the_rows_with_bom_and_chinese_headers() {
    let f = Fixture::minimal();
    assert_ok(&f.build());
    let csv =
        std::fs::read(f.path("public/lists/2026-q3-application/2026-q3-application.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("序号,企业名称,所属区县,统一社会信用代码,行业,状态\r\n"));
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let json: serde_json::Value =
        serde_json::from_str(&f.out("lists/2026-q3-application/2026-q3-application.json")).unwrap();
    let ents = json["enterprises"].as_array().unwrap();
    // Exactly the list file's rows (already in district order), in both downloads.
    let src = f.read(LIST);
    let field = |key: &str| -> Vec<String> {
        src.split(&format!("\n{key} = \""))
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    let (names, codes) = (field("name"), field("credit_code"));
    assert_eq!(codes.len(), 3);
    assert_eq!(rows.len(), 3);
    assert_eq!(ents.len(), 3);
    let page = f.out("lists/2026-q3-application/index.html");
    for (i, (r, e)) in rows.iter().zip(ents).enumerate() {
        assert_eq!(&r[1], names[i]);
        assert_eq!(&r[3], codes[i]);
        assert_eq!(&r[1], e["name"].as_str().unwrap());
        assert_eq!(&r[3], e["credit_code"].as_str().unwrap());
        assert!(
            page.contains(&format!("<tr id=\"{}\"", &r[3])),
            "row {} not on the page",
            &r[3]
        );
    }
    assert_eq!(json["stage"], "publicity");
    assert_eq!(json["publicity"]["end"], "2026-11-27");
    assert_eq!(json["sample"], true);
}

#[test]
fn names_are_escaped_in_html_attributes_csv_and_json() {
    let f = Fixture::minimal();
    let evil = "<script>alert(\"x\")</script>'&\\ 大连测试,\"有限公司\"";
    f.write(
        "data/lists/2026-q4-application.toml",
        &list_file(HEAD, &[(evil, "91210202MA0000001J", "中山区")]),
    );
    assert_ok(&f.build());
    let h = f.out("lists/2026-q4-application/index.html");
    assert!(!h.contains("<script>alert"));
    assert!(
        h.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;")
            || h.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    );
    let d = f.out("districts/中山区/index.html");
    assert!(!d.contains("<script>alert"));
    let csv = f.out("lists/2026-q4-application/2026-q4-application.csv");
    let mut rdr = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rec = rdr.records().next().unwrap().unwrap();
    assert_eq!(&rec[1], evil);
    let json: serde_json::Value =
        serde_json::from_str(&f.out("lists/2026-q4-application/2026-q4-application.json")).unwrap();
    assert_eq!(json["enterprises"][0]["name"], evil);
    // 5 working days from 2026-09-24 end on 2026-10-08 (across 中秋 and 国庆).
    assert_eq!(json["publicity"]["end"], "2026-10-08");
}

#[test]
fn long_lists_are_split_into_pages_with_stable_urls() {
    let f = Fixture::minimal();
    f.edit("data/site.toml", "page_size = 500", "page_size = 7");
    // The list's own three rows and 27 more, 30 in all: five pages of 7.
    let codes: Vec<(String, &str)> = (1..=27)
        .map(|n| {
            if n % 3 == 0 {
                (credit_code("210213", n), "金普新区")
            } else {
                (credit_code("210202", n), "中山区")
            }
        })
        .collect();
    let names: Vec<String> = (1..=27)
        .map(|n| format!("大连示例分页{n}有限公司"))
        .collect();
    let rows: Vec<(&str, &str, &str)> = names
        .iter()
        .zip(&codes)
        .map(|(name, (code, d))| (name.as_str(), code.as_str(), *d))
        .collect();
    let list = f.read(LIST);
    f.write(LIST, &format!("{list}{}", enterprise_rows(&rows)));
    assert_ok(&f.build());
    let p1 = f.out("lists/2026-q3-application/index.html");
    let p5 = f.out("lists/2026-q3-application/page/5/index.html");
    assert!(p1.contains("第 1–7 条，共 30 条；第 1 页，共 5 页"));
    assert!(p1.contains("href=\"/lists/2026-q3-application/page/2/\" rel=\"next\""));
    assert!(p5.contains("第 29–30 条，共 30 条"));
    assert!(!f.path("public/lists/2026-q3-application/page/6").exists());
    // Every row is on exactly one page.
    let mut all: Vec<String> = row_ids(&p1);
    for n in 2..=5 {
        all.extend(row_ids(
            &f.out(&format!("lists/2026-q3-application/page/{n}/index.html")),
        ));
    }
    assert_eq!(all.len(), 30);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 30);
    // District pages paginate too, and their rows link to the right page's anchor.
    let d = f.out("districts/index.html");
    assert!(d.contains("href=\"/districts/%E4%B8%AD%E5%B1%B1%E5%8C%BA/\""));
    // 金普新区 has 10 rows: two pages of its own.
    assert!(f
        .path("public/districts/金普新区/page/2/index.html")
        .exists());
    assert!(!f.path("public/districts/金普新区/page/3").exists());
    let mut district_pages = String::new();
    for d in ["中山区", "金普新区"] {
        district_pages += &f.out(&format!("districts/{d}/index.html"));
        let mut n = 2;
        while f.path(&format!("public/districts/{d}/page/{n}")).exists() {
            district_pages += &f.out(&format!("districts/{d}/page/{n}/index.html"));
            n += 1;
        }
    }
    for n in 1..=5 {
        let (page, url) = match n {
            1 => (p1.clone(), "/lists/2026-q3-application/".to_string()),
            _ => (
                f.out(&format!("lists/2026-q3-application/page/{n}/index.html")),
                format!("/lists/2026-q3-application/page/{n}/"),
            ),
        };
        for code in row_ids(&page) {
            assert_eq!(
                district_pages
                    .matches(&format!("href=\"{url}#{code}\""))
                    .count(),
                1,
                "{code} of page {n} is not linked once from its district's pages"
            );
        }
    }
}

#[test]
fn district_pages_collect_enterprises_across_lists() {
    let f = Fixture::minimal();
    // Beside the minimal list (two rows in 中山区, one in 金普新区): an announced list with
    // one row withdrawn, and a review list under publicity.
    let gone = credit_code("210202", 1);
    let q1 = [credit_code("210202", 2), credit_code("210213", 3)];
    let review = [credit_code("210213", 4), credit_code("210213", 5)];
    f.write(
        ANNOUNCED,
        &announced_list(
            ("大连示例撤回有限公司", &gone, "中山区"),
            &[
                ("大连示例公告甲有限公司", &q1[0], "中山区"),
                ("大连示例公告乙有限公司", &q1[1], "金普新区"),
            ],
        ),
    );
    f.write(
        REVIEW,
        &review_list(&[
            ("大连示例复核甲有限公司", &review[0], "金普新区"),
            ("大连示例复核乙有限公司", &review[1], "金普新区"),
        ]),
    );
    assert_ok(&f.build());
    let zs = f.out("districts/中山区/index.html");
    let jp = f.out("districts/金普新区/index.html");
    let mut total = 0;
    for h in [&zs, &jp] {
        total += h.matches("<td class=\"code\">").count();
        assert!(h.contains("主管部门"));
    }
    // Every shown row of every list appears on exactly one district page: its own.
    let shown: usize = [
        "2026-q1-application",
        "2026-q3-application",
        "2026-q3-review",
    ]
    .iter()
    .map(|id| {
        let j: serde_json::Value =
            serde_json::from_str(&f.out(&format!("lists/{id}/{id}.json"))).unwrap();
        j["count"].as_u64().unwrap() as usize
    })
    .sum();
    assert_eq!(shown, 3 + 2 + 2);
    assert_eq!(total, shown);
    let cell = |code: &str| format!("<td class=\"code\">{code}</td>");
    for code in ["91210202MATU8FKPXX", "91210202MABT5PRMUT", &q1[0]] {
        assert!(
            zs.contains(&cell(code)) && !jp.contains(&cell(code)),
            "{code}"
        );
    }
    for code in ["91210213MACPRJEYXY", &q1[1], &review[0], &review[1]] {
        assert!(
            jp.contains(&cell(code)) && !zs.contains(&cell(code)),
            "{code}"
        );
    }
    assert!(
        !zs.contains(&gone) && !jp.contains(&gone),
        "withdrawn row shown"
    );
}

#[test]
fn lists_index_shows_every_list_with_counts_and_state() {
    let f = Fixture::minimal();
    let shown: Vec<String> = (2..=5).map(|n| credit_code("210202", n)).collect();
    let names: Vec<String> = (2..=5)
        .map(|n| format!("大连示例公告{n}有限公司"))
        .collect();
    let rows: Vec<(&str, &str, &str)> = names
        .iter()
        .zip(&shown)
        .map(|(n, c)| (n.as_str(), c.as_str(), "中山区"))
        .collect();
    let gone = credit_code("210213", 1);
    f.write(
        ANNOUNCED,
        &announced_list(("大连示例撤回有限公司", &gone, "金普新区"), &rows),
    );
    f.write(
        REVIEW,
        &review_list(&[(
            "大连示例复核甲有限公司",
            &credit_code("210202", 6),
            "中山区",
        )]),
    );
    assert_ok(&f.build());
    let h = f.out("lists/index.html");
    // Each list's row of the table, by its link.
    let row = |id: &str| -> String {
        let at = h
            .find(&format!("href=\"/lists/{id}/\""))
            .unwrap_or_else(|| panic!("{id} not on the index"));
        h[at..at + h[at..].find("</tr>").unwrap()].to_string()
    };
    let q1 = row("2026-q1-application");
    assert!(
        q1.contains("<td>4家<br><small>另有1家公示后未列入公告</small>"),
        "announced q1 list shows 5 − 1 withdrawn: {q1}"
    );
    assert!(q1.contains("<td>公告</td>"));
    let q3 = row("2026-q3-application");
    assert!(q3.contains("<td>3家</td>"), "{q3}");
    assert!(q3.contains("<td>公示</td>"));
    let review = row("2026-q3-review");
    assert!(review.contains("<td>1家</td>"), "{review}");
    assert!(review.contains("<td>复核</td>"));
    // Newest first.
    assert!(h.find("2026-q3-application").unwrap() < h.find("2026-q1-application").unwrap());
}

#[test]
fn drafts_are_checked_but_not_built() {
    let f = Fixture::minimal();
    f.write(
        "data/lists/2026-q4-review.toml",
        &list_file(
            "year = 2026\nquarter = 4\nkind = \"review\"\nstage = \"publicity\"\ndraft = true\n",
            &[("大连草稿测试有限公司", "91210202MA0000001J", "中山区")],
        ),
    );
    assert_ok(&f.check());
    assert_ok(&f.build());
    assert!(!f.path("public/lists/2026-q4-review").exists());
    // A draft is still validated by check.
    f.edit(
        "data/lists/2026-q4-review.toml",
        "91210202MA0000001J",
        "91210202MA0000001K",
    );
    assert_fails_with(&f.check(), &["data/lists/2026-q4-review.toml:", "check"]);
}
