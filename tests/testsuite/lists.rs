//! Enterprise lists, publicity pages and downloads, through the real binary.

use crate::support::*;

const LIST: &str = "data/lists/2026-q3-application.toml";

/// A small list file with the given extra enterprise rows.
fn list_file(head: &str, rows: &[(&str, &str, &str)]) -> String {
    format!("{head}{}", enterprise_rows(rows))
}

const HEAD: &str = "year = 2026\nquarter = 4\nkind = \"application\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2026-09-24\nworking_days = 5\n";

/// The 13 districts in the order of data/districts.toml.
const DISTRICTS: [&str; 13] = [
    "中山区",
    "西岗区",
    "沙河口区",
    "甘井子区",
    "高新区",
    "旅顺口区",
    "金普新区",
    "长兴岛经济区",
    "普兰店区",
    "瓦房店市",
    "庄河市",
    "北黄海经济区",
    "长海县",
];

#[test]
fn list_page_table_order_anchors_and_facts() {
    let f = Fixture::new();
    assert_ok(&f.build());
    let h = f.out("lists/2026-q3-application/index.html");
    for col in ["序号", "企业名称", "所属区县", "统一社会信用代码", "行业"] {
        assert!(
            h.contains(&format!("<th scope=\"col\">{col}</th>")),
            "{col}"
        );
    }
    assert!(h.contains("示例数据"), "sample lists say so on the page");
    // Rows are ordered by district in the order of districts.toml, then as given.
    let order = DISTRICTS;
    let rank = |d: &str| order.iter().position(|o| *o == d).unwrap();
    let districts: Vec<usize> = h
        .split("<tr id=\"")
        .skip(1)
        .map(|row| {
            let d = row.split("/\">").nth(1).unwrap().split('<').next().unwrap();
            rank(d)
        })
        .collect();
    assert_eq!(districts.len(), 30);
    assert!(districts.windows(2).all(|w| w[0] <= w[1]), "{districts:?}");
    // Every row's anchor is its credit code.
    let src = f.read(LIST);
    let first_code = src
        .split("credit_code = \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(h.contains(&format!("<tr id=\"{first_code}\"")));
    assert!(h.contains("2026年11月23日至11月27日（5个工作日）"));
}

#[test]
fn publicity_page_states_period_deadline_and_objection_rules() {
    let f = Fixture::new();
    assert_ok(&f.build());
    let h = f.out("lists/2026-q3-application/publicity/index.html");
    for needle in [
        "公示期：<strong>2026年11月23日至11月27日</strong>（5个工作日）",
        "<span class=\"status-label\">公示中</span><span class=\"status-left\">，还剩3个工作日</span>",
        "data-workdays=\"2026-11-23 2026-11-24 2026-11-25 2026-11-26 2026-11-27\"",
        "2026年11月27日24:00前（北京时间）",
        "任何单位和个人",
        "加盖本单位公章",
        "手写签署本人真实姓名",
        "事实依据",
        "予以保密",
        "匿名提出的异议和超出公示期提出的异议，不予受理",
        "tel:+86-411-8368-6040",
        "中山区科工信局",
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
    let f = Fixture::new();
    assert_ok(&f.build());
    let h = f.out("lists/2026-q1-application/index.html");
    assert!(h.contains("公告日期"));
    assert!(h.contains("示例文号"));
    assert!(h.contains("<dt>有效期</dt><dd>2026年5月20日至2029年5月19日</dd>"));
    assert!(h.contains("另有1家公示后未列入公告"));
    let main_table = h.split("id=\"withdrawn\"").next().unwrap();
    assert!(
        !main_table.contains("tag-withdrawn"),
        "announced table shows only announced rows"
    );
    assert!(h.contains("公示期间收到实名异议"));
    let p = f.out("lists/2026-q1-application/publicity/index.html");
    assert!(p.contains("公示期已结束"));
    assert!(p.contains("href=\"/lists/2026-q1-application/\">公告名单</a>"));
    // The publicity-stage download still has every row, the withdrawn one marked.
    let csv = f.out("lists/2026-q1-application/2026-q1-application.csv");
    assert_eq!(csv.lines().count(), 1 + 24);
    assert_eq!(csv.matches("已撤回：").count(), 1);
}

#[test]
fn validity_dates_when_given() {
    let f = Fixture::new();
    f.edit(
        "data/lists/2026-q2-review.toml",
        "date = 2026-08-25",
        "date = 2026-08-25\ndocument = \"辽工信企业〔2026〕99号\"\nvalid_until = 2029-08-24",
    );
    assert_ok(&f.build());
    let h = f.out("lists/2026-q2-review/index.html");
    assert!(h.contains("辽工信企业〔2026〕99号"));
    assert!(h.contains("<dt>有效期</dt><dd>2026年8月25日至2029年8月24日</dd>"));
}

#[test]
fn downloads_hold_exactly_the_rows_with_bom_and_chinese_headers() {
    let f = Fixture::new();
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
    assert_eq!(rows.len(), 30);
    assert_eq!(ents.len(), 30);
    let page = f.out("lists/2026-q3-application/index.html");
    for (r, e) in rows.iter().zip(ents) {
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
    let f = Fixture::new();
    f.edit("data/site.toml", "page_size = 500", "page_size = 7");
    assert_ok(&f.build());
    let p1 = f.out("lists/2026-q3-application/index.html");
    let p5 = f.out("lists/2026-q3-application/page/5/index.html");
    assert!(p1.contains("第 1–7 条，共 30 条；第 1 页，共 5 页"));
    assert!(p1.contains("href=\"/lists/2026-q3-application/page/2/\" rel=\"next\""));
    assert!(p5.contains("第 29–30 条，共 30 条"));
    assert!(!f.path("public/lists/2026-q3-application/page/6").exists());
    // District pages paginate too, and their rows link to the right page's anchor.
    let d = f.out("districts/index.html");
    assert!(d.contains("href=\"/districts/%E4%B8%AD%E5%B1%B1%E5%8C%BA/\""));
}

#[test]
fn district_pages_collect_enterprises_across_lists() {
    let f = Fixture::new();
    assert_ok(&f.build());
    let mut total = 0;
    for d in DISTRICTS {
        let h = f.out(&format!("districts/{d}/index.html"));
        total += h.matches("<td class=\"code\">").count();
        assert!(h.contains("主管部门"));
    }
    // Every shown row of every list appears on exactly one district page.
    let shown: usize = [
        "2026-q1-application",
        "2026-q2-review",
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
    assert_eq!(total, shown);
}

#[test]
fn lists_index_shows_every_list_with_counts_and_state() {
    let f = Fixture::new();
    assert_ok(&f.build());
    let h = f.out("lists/index.html");
    for id in [
        "2026-q1-application",
        "2026-q2-review",
        "2026-q3-application",
        "2026-q3-review",
    ] {
        assert!(h.contains(&format!("href=\"/lists/{id}/\"")), "{id}");
    }
    assert!(
        h.contains("23家"),
        "announced q1 list shows 24 − 1 withdrawn"
    );
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
