//! The clerk's quarter as commands (issue 11): every step of a list's life without
//! hand-editing TOML, each refusal with its reason, nothing silently left out, and every
//! message in Chinese first.

use crate::support::*;

const Q3: &str = "data/lists/2026-q3-application.toml";
const Q3_ID: &str = "2026-q3-application";

/// A CSV of `n` enterprises of 中山区 with valid codes, numbered from `from`.
fn csv(f: &Fixture, name: &str, from: u32, n: u32) -> String {
    let mut text = String::from("序号,企业名称,所属区县,统一社会信用代码\n");
    for i in from..from + n {
        let code = code_of(i);
        text.push_str(&format!("{i},大连命令测试{i}有限公司,中山区,{code}\n"));
    }
    let path = f.path(&format!("incoming/{name}"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().to_string()
}

/// A valid synthetic credit code of 中山区.
fn code_of(i: u32) -> String {
    credit_code("210202", i)
}

const Q4: &str = "data/lists/2026-q4-application.toml";
const Q4_ID: &str = "2026-q4-application";
const BATCH: [&str; 6] = ["--year", "2026", "--quarter", "4", "--kind", "申报"];

#[test]
fn a_quarter_from_draft_to_announcement_with_commands_only() {
    let f = Fixture::minimal();
    // Two district sheets into a new draft list.
    let a = csv(&f, "中山区.csv", 1, 3);
    let b = csv(&f, "西岗区.csv", 10, 2);
    assert_ok(&f.run(&with(&["import", &a, &b], &BATCH)));
    let text = f.read(Q4);
    assert!(text.contains("draft = true"));

    // check and build name the draft they leave out.
    let o = f.check();
    assert_ok(&o);
    assert!(
        stderr(&o).contains(Q4_ID) && stderr(&o).contains("[draft]"),
        "{}",
        stderr(&o)
    );
    let o = f.build();
    assert_ok(&o);
    assert!(
        stderr(&o).contains("草稿名单 2026-q4-application 没有发布"),
        "{}",
        stderr(&o)
    );
    assert!(!f.path("public/lists/2026-q4-application").exists());

    // A draft cannot be announced or withdrawn from.
    let o = f.run(&[
        "list",
        "announce",
        Q4_ID,
        "--date",
        "2026-12-20",
        "--today",
        "2026-12-20",
    ]);
    assert_fails_with(&o, &["[announce-draft]", "gazette list publish"]);
    let o = f.run(&["list", "withdraw", Q4_ID, &code_of(1), "--reason", "x"]);
    assert_fails_with(&o, &["[withdraw-draft]"]);

    // Publish: the period is written above the rows, the draft mark goes, comments stay.
    let o = f.run(&[
        "list",
        "publish",
        Q4_ID,
        "--start",
        "2026-12-01",
        "--working-days",
        "5",
    ]);
    assert_ok(&o);
    assert!(
        stderr(&o).contains("2026年12月1日至12月7日"),
        "{}",
        stderr(&o)
    );
    let text = f.read(Q4);
    assert!(!text.contains("draft = true"));
    assert!(text.contains("stage = \"publicity\""));
    assert!(
        text.contains("# 来源："),
        "the provenance comments are kept:\n{text}"
    );
    let publicity = text.find("[publicity]").unwrap();
    assert!(publicity < text.find("[[enterprise]]").unwrap(), "{text}");
    assert!(text.contains("end = 2026-12-07"));
    assert_ok(&f.check());
    let o = f.run(&[
        "list",
        "publish",
        Q4_ID,
        "--start",
        "2026-12-02",
        "--working-days",
        "5",
    ]);
    assert_fails_with(&o, &["[publish-twice]", "--force"]);

    // Appending to a list under publicity works; the same rows are skipped.
    assert_ok(&f.run(&with(&["import", &a], &with(&BATCH, &["--append"]))));

    // Withdraw after an objection: refusals first.
    let o = f.run(&[
        "list",
        "withdraw",
        Q4_ID,
        "91210202MA0000099X",
        "--reason",
        "异议成立",
    ]);
    assert_fails_with(&o, &["[list-no-enterprise]", "没有统一社会信用代码为"]);
    let near = &code_of(1)[..17];
    let o = f.run(&[
        "list",
        "withdraw",
        Q4_ID,
        &format!("{near}0"),
        "--reason",
        "异议成立",
    ]);
    assert!(
        stderr(&o).contains(&code_of(1)),
        "the closest code is suggested:\n{}",
        stderr(&o)
    );
    let o = f.run(&["list", "withdraw", Q4_ID, &code_of(2), "--reason", "  "]);
    assert_fails_with(&o, &["[withdraw-reason]"]);
    let o = f.run(&[
        "list",
        "withdraw",
        Q4_ID,
        &code_of(2),
        "--reason",
        "经核实不符合申报条件（异议成立）",
    ]);
    assert_ok(&o);
    assert!(f
        .read(Q4)
        .contains("withdrawn = \"经核实不符合申报条件（异议成立）\""));
    let o = f.run(&["list", "withdraw", Q4_ID, &code_of(2), "--reason", "again"]);
    assert_fails_with(&o, &["[withdraw-twice]", "gazette list restore"]);
    // Undo and redo.
    assert_ok(&f.run(&["list", "restore", Q4_ID, &code_of(2)]));
    assert!(!f.read(Q4).contains("withdrawn ="));
    assert_fails_with(
        &f.run(&["list", "restore", Q4_ID, &code_of(2)]),
        &["[restore-not-withdrawn]"],
    );
    assert_ok(&f.run(&[
        "list",
        "withdraw",
        Q4_ID,
        &code_of(2),
        "--reason",
        "经核实不符合申报条件（异议成立）",
    ]));

    // Announce: not before the period has ended, never dated inside it.
    let before = f.read(Q4);
    let o = f.run(&[
        "list",
        "announce",
        Q4_ID,
        "--date",
        "2026-12-20",
        "--today",
        "2026-12-05",
    ]);
    assert_fails_with(&o, &["[announce-early]", "--force"]);
    let o = f.run(&[
        "list",
        "announce",
        Q4_ID,
        "--date",
        "2026-12-06",
        "--today",
        "2026-12-20",
        "--force",
    ]);
    assert_fails_with(&o, &["[announce-date]"]);
    assert_eq!(f.read(Q4), before, "refusals write nothing");
    let o = f.run(&[
        "list",
        "announce",
        Q4_ID,
        "--date",
        "2026-12-20",
        "--document",
        "辽工信企业〔2026〕88号",
        "--today",
        "2026-12-20",
    ]);
    assert_ok(&o);
    let text = f.read(Q4);
    assert!(text.contains("stage = \"announced\"") && text.contains("[announcement]"));
    assert!(text.contains("document = \"辽工信企业〔2026〕88号\""));
    assert!(text.contains("[publicity]"), "the publicity period is kept");
    assert_fails_with(
        &f.run(&[
            "list",
            "announce",
            Q4_ID,
            "--date",
            "2026-12-21",
            "--today",
            "2026-12-21",
        ]),
        &["[announce-twice]"],
    );
    // Nothing may go straight into an announced list.
    let c = csv(&f, "late.csv", 40, 1);
    assert_fails_with(
        &f.run(&with(&["import", &c], &with(&BATCH, &["--append"]))),
        &["[import-append-announced]"],
    );
    assert_fails_with(
        &f.run(&["list", "withdraw", Q4_ID, &code_of(3), "--reason", "x"]),
        &["[withdraw-announced]"],
    );

    // The site shows it; the CSV keeps the numbering as published.
    assert_ok(&f.run(&["build", "--today", "2026-12-21"]));
    let csv_text = f.out("lists/2026-q4-application/2026-q4-application.csv");
    let mut rdr = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let seq: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(
        seq,
        ["1", "3", "4", "5", "2"],
        "withdrawn row 2 keeps its number, listed apart"
    );
    assert!(rows[4][5].starts_with("已撤回"));
    let page = f.out("lists/2026-q4-application/index.html");
    assert!(
        page.contains("<td>3</td>"),
        "the page shows the same numbers"
    );
}

/// The minimal site's other lists, written by the tests that need them: batch 1 announced
/// on 2026-05-20 after its publicity from 2026-04-20, one of its two enterprises withdrawn.
const Q1: &str = "data/lists/2026-q1-application.toml";
/// A review list announced on 2026-08-25, not marked as sample data.
const Q2_REVIEW: &str = "data/lists/2026-q2-review.toml";
/// A review list under publicity for seven calendar days from 2026-11-20 (to 11-26).
const Q3_REVIEW: &str = "data/lists/2026-q3-review.toml";

/// Writes [`Q1`], [`Q2_REVIEW`] and [`Q3_REVIEW`] beside the minimal site's own list
/// (under publicity from 2026-11-23 for five working days, to 11-27).
fn write_other_lists(f: &Fixture) {
    f.write(
        Q1,
        &format!(
            "year = 2026\nbatch = 1\nkind = \"application\"\nstage = \"announced\"\nsample = true\n\n[publicity]\nstart = 2026-04-20\nworking_days = 5\n\n[announcement]\ndate = 2026-05-20\n{}withdrawn = \"公示期间收到实名异议，经核实不符合申报条件\"\n{}",
            enterprise_rows(&[("大连示例撤回有限公司", &code_of(501), "中山区")]),
            enterprise_rows(&[("大连示例公告有限公司", &code_of(502), "中山区")]),
        ),
    );
    f.write(
        Q2_REVIEW,
        &format!(
            "year = 2026\nbatch = 2\nkind = \"review\"\nstage = \"announced\"\n\n[publicity]\nstart = 2026-07-20\nworking_days = 5\n\n[announcement]\ndate = 2026-08-25\n{}",
            enterprise_rows(&[
                ("大连示例复核甲有限公司", &code_of(503), "中山区"),
                ("大连示例复核乙有限公司", &code_of(504), "中山区"),
                ("大连示例复核丙有限公司", &code_of(505), "金普新区"),
                ("大连示例复核丁有限公司", &code_of(506), "金普新区"),
            ]),
        ),
    );
    f.write(
        Q3_REVIEW,
        &format!(
            "year = 2026\nbatch = 3\nkind = \"review\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2026-11-20\ncalendar_days = 7\n{}",
            enterprise_rows(&[("大连示例复核戊有限公司", &code_of(507), "中山区")]),
        ),
    );
}

/// The line of a `gazette lists` table that starts with the list's id.
fn table_row<'a>(out: &'a str, id: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{id} ")))
        .unwrap_or_else(|| panic!("no row for {id}:\n{out}"))
}

#[test]
fn lists_shows_every_list_with_its_state_as_of_a_day() {
    let f = Fixture::minimal();
    write_other_lists(&f);
    assert_ok(&f.check());
    let o = f.run(&["lists", "--today", "2026-11-25"]);
    assert_ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("截至2026年11月25日"), "{out}");
    // Each list's own row says its own state: the count (with the withdrawn apart), the
    // period, the state as of the day and the sample mark only where the file sets it.
    let q1 = table_row(&out, "2026-q1-application");
    assert!(q1.contains("2（撤回1）"), "{q1}");
    assert!(q1.contains("2026年4月20日至4月24日"), "{q1}");
    assert!(q1.contains("已公告（2026年5月20日）"), "{q1}");
    assert!(q1.contains("示例数据"), "{q1}");
    let q2 = table_row(&out, "2026-q2-review");
    assert!(q2.contains("已公告（2026年8月25日）"), "{q2}");
    assert!(!q2.contains("示例数据"), "not a sample list: {q2}");
    let q3 = table_row(&out, Q3_ID);
    assert!(q3.contains("公示中（还有3个工作日）"), "{q3}");
    assert!(q3.contains("2026年11月23日至11月27日"), "{q3}");
    assert!(q3.contains("示例数据"), "{q3}");
    let review = table_row(&out, "2026-q3-review");
    assert!(
        review.contains("公示中（还有2天）"),
        "calendar days: {review}"
    );
    assert!(review.contains("2026年11月20日至11月26日"), "{review}");

    // One list as of a later day: its period is over, and only it is shown.
    let o = f.run(&["list", "show", Q3_ID, "--today", "2026-11-30"]);
    assert_ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        table_row(&out, Q3_ID).contains("公示已结束，待公告"),
        "{out}"
    );
    for other in ["2026-q1-application", "2026-q2-review", "2026-q3-review"] {
        assert!(!out.contains(other), "{other} shown by list show:\n{out}");
    }
    assert_fails_with(
        &f.run(&["list", "show", "2030-q1-review"]),
        &["[list-unknown]", "2030-q1-review", Q3_ID, "2026-q2-review"],
    );
}

#[test]
fn a_new_calendar_is_a_form_that_check_refuses_until_filled() {
    let f = Fixture::minimal();
    let o = f.run(&["new", "calendar", "2027"]);
    assert_ok(&o);
    let text = f.read("data/calendar/2027.toml");
    for name in [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ] {
        assert!(text.contains(&format!("name = \"{name}\"")), "{name}");
    }
    assert_fails_with(
        &f.check(),
        &[
            "[calendar-incomplete]",
            "[calendar-source]",
            "春节的放假日期还没有填写",
        ],
    );
    assert_fails_with(
        &f.run(&["new", "calendar", "2027"]),
        &["[calendar-exists]", "--force"],
    );
    // A calendar without a statutory holiday is incomplete too.
    let f = Fixture::minimal();
    let cal = f.read("data/calendar/2026.toml");
    let i = cal.find("[[holiday]]\nname = \"春节\"").unwrap();
    let j = cal[i + 5..].find("[[holiday]]").unwrap() + i + 5;
    f.write(
        "data/calendar/2026.toml",
        &format!("{}{}", &cal[..i], &cal[j..]),
    );
    assert_fails_with(&f.check(), &["[calendar-incomplete]", "缺少春节"]);
}

#[test]
fn samples_are_named_by_build_and_check() {
    let f = Fixture::minimal();
    // Three sample lists (the site's own, Q1 and Q3_REVIEW) and one that is not.
    write_other_lists(&f);
    for o in [f.check(), f.build()] {
        assert_ok(&o);
        let err = stderr(&o);
        assert_eq!(err.matches("[sample-list]").count(), 3, "{err}");
        for file in [Q3, Q1, Q3_REVIEW] {
            assert!(
                err.contains(&format!("正式发布前请删除 {file}")),
                "{file} not named:\n{err}"
            );
        }
        assert!(!err.contains(Q2_REVIEW), "not a sample list:\n{err}");
    }
    // A list that stops being a sample is no longer named.
    f.edit(Q3, "sample = true\n", "");
    let err = stderr(&f.build());
    assert_eq!(err.matches("[sample-list]").count(), 2, "{err}");
    assert!(!err.contains(&format!("删除 {Q3}")), "{err}");
}

#[test]
fn import_skips_and_reports_totals_signatures_and_notes() {
    let f = Fixture::minimal();
    let path = f.path("incoming/区县.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = String::from(
        "2026年第四季度推荐汇总表,,,,\n序号,企业名称,所属区县,统一社会信用代码,备注\n",
    );
    for i in 1..=3 {
        let remark = if i == 2 { "新设立，请核实" } else { "" };
        text.push_str(&format!(
            "{i},大连汇总测试{i}有限公司,中山区,{},{remark}\n",
            code_of(i)
        ));
    }
    text.push_str(",合计,40家,,\n");
    text.push_str("填表人：张三,,联系电话：83686040,,\n");
    text.push_str("注：本表由区县填报。,,,,\n");
    std::fs::write(&path, text).unwrap();
    let o = f.run(&with(&["import", path.to_str().unwrap()], &BATCH));
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("3 家企业"), "{err}");
    for skipped in [
        "第6行：合计 | 40家",
        "第7行：填表人：张三",
        "第8行：注：本表由区县填报。",
    ] {
        assert!(err.contains(skipped), "{skipped} not reported:\n{err}");
    }
    assert!(
        err.contains("请阅读表格中的备注") && err.contains("第4行：新设立，请核实"),
        "{err}"
    );
    assert!(!f.read(Q4).contains("合计"));
}

#[test]
fn import_problems_are_reported_together_and_nothing_is_written() {
    let f = Fixture::minimal();
    let a = csv(&f, "a.csv", 1, 3);
    assert_ok(&f.run(&with(&["import", &a], &BATCH)));
    let before = f.read(Q4);
    // A second file: one row conflicts with the list, one code lost its digits in Excel,
    // one row is of the other kind.
    let path = f.path("incoming/b.csv");
    let text = format!(
        "企业名称,所属区县,统一社会信用代码,申报类型\n大连改了名字的公司,中山区,{},申报\n大连科学计数公司,中山区,9.12102E+17,申报\n大连复核公司,中山区,{},复核\n",
        code_of(1),
        code_of(20)
    );
    std::fs::write(&path, text).unwrap();
    let o = f.run(&with(
        &["import", path.to_str().unwrap()],
        &with(&BATCH, &["--append"]),
    ));
    assert_fails_with(
        &o,
        &[
            "[import-conflict]",
            "[import-lost-digits]",
            "科学计数法",
            "[import-kind]",
            "第4行",
        ],
    );
    assert_eq!(f.read(Q4), before);

    // Several files are all or nothing: one bad file, nothing written.
    let g = Fixture::minimal();
    let good = csv(&g, "good.csv", 1, 3);
    let bad = g.path("incoming/bad.csv");
    std::fs::write(
        &bad,
        "企业名称,所属区县,统一社会信用代码\n大连坏公司,火星区,91210202MA0000001X\n",
    )
    .unwrap();
    assert_fails_with(
        &g.run(&with(&["import", &good, bad.to_str().unwrap()], &BATCH)),
        &["[district-unknown]", "没有写入任何文件"],
    );
    assert!(!g.path(Q4).exists());
    // The same code in two files is a duplicate too.
    let again = csv(&g, "again.csv", 2, 1);
    assert_fails_with(
        &g.run(&with(&["import", &good, &again], &BATCH)),
        &["[credit-code-twice]", "good.csv 第3行"],
    );
    // A folder is not a spreadsheet.
    let o = g.run(&with(
        &["import", g.path("incoming").to_str().unwrap()],
        &BATCH,
    ));
    assert_fails_with(&o, &["[import-folder]", "文件夹"]);
    // Together, both files go in.
    let other = csv(&g, "other.csv", 30, 2);
    let o = g.run(&with(&["import", &good, &other], &BATCH));
    assert_ok(&o);
    assert!(stderr(&o).contains("5 家企业"));
}

#[test]
fn chinese_words_and_input_method_slips_in_data_files() {
    let f = Fixture::minimal();
    f.edit(Q3, "kind = \"application\"", "kind = \"申报\"");
    f.edit(Q3, "stage = \"publicity\"", "stage = \"公示\"");
    assert_ok(&f.check());

    let f = Fixture::minimal();
    f.edit(Q3, "start = 2026-11-23", "start = 2026年11月23日");
    assert_fails_with(&f.check(), &["2026-12-28", "[date]"]);
    let f = Fixture::minimal();
    f.edit(Q3, "start = 2026-11-23", "start = \"2026-11-23\"");
    assert_fails_with(&f.check(), &["不要加引号"]);
    let f = Fixture::minimal();
    f.edit(Q3, "district = \"中山区\"", "district = “中山区”");
    assert_fails_with(&f.check(), &["中文引号", "英文双引号"]);
    let f = Fixture::minimal();
    f.edit(Q3, "batch = 3", "batch ＝ 3");
    assert_fails_with(&f.check(), &["全角等号"]);
}

#[test]
fn pages_have_a_real_pub_date_or_none() {
    let f = Fixture::minimal();
    // A criteria page without a date of its own (it takes its notice's), and a page
    // dated earlier than the notice (so the notice's date is not merely the earliest).
    f.write(
        "content/notices/innovative/2026/criteria.md",
        "+++\ntitle = \"申报条件（示例）\"\ntemplate = \"criteria.html\"\nweight = 2\n+++\n\n示例：符合全部条件即可申报。\n",
    );
    f.write(
        "data/notices/innovative/2026/criteria.toml",
        "title = \"创新型中小企业申报条件（示例）\"\nsource = \"示例文件\"\n\n[[condition]]\nmarker = \"（一）\"\ntext = \"在大连市内注册登记（示例）。\"\n",
    );
    f.edit(
        "content/contacts.md",
        "weight = 3\n",
        "weight = 3\ndate = 2026-01-05\n",
    );
    assert_ok(&f.build());
    let mut dated = 0;
    for (path, bytes) in snapshot(&f.path("public")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        assert!(
            !html.contains("name=\"PubDate\" content=\"\""),
            "{path} has an empty PubDate"
        );
        if let Some(i) = html.find("name=\"PubDate\" content=\"") {
            dated += 1;
            let v = &html[i + 24..i + 34];
            assert!(
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok(),
                "{path}: {v}"
            );
        }
    }
    assert_eq!(
        dated, 3,
        "the notice, its criteria page and the contacts page"
    );
    let pub_date = |rel: &str| {
        let html = f.out(rel);
        let i = html
            .find("name=\"PubDate\" content=\"")
            .unwrap_or_else(|| panic!("{rel} has no PubDate"));
        html[i + 24..i + 34].to_string()
    };
    assert_eq!(pub_date("notices/innovative/2026/index.html"), "2026-02-02");
    assert_eq!(
        pub_date("notices/innovative/2026/criteria/index.html"),
        "2026-02-02",
        "the criteria page takes its notice's date"
    );
    assert_eq!(
        pub_date("contacts/index.html"),
        "2026-01-05",
        "its own date"
    );
    // The home page and the list pages are not articles: no PubDate at all.
    for rel in ["index.html", "lists/2026-q3-application/index.html"] {
        assert!(!f.out(rel).contains("name=\"PubDate\""), "{rel}");
    }
}

/// Every head line a clerk reads (diagnostics, refusals, usage errors) has Chinese in it,
/// and no message starts with English `error:`.
#[test]
fn what_a_clerk_reads_is_chinese_first() {
    let f = Fixture::minimal();
    f.edit(Q3, "batch = 3", "batch = 9");
    let a = csv(&f, "a.csv", 1, 1);
    let outputs = [
        f.check(),
        f.build(),
        f.run(&[
            "list",
            "publish",
            "2030-q1-review",
            "--start",
            "2026-12-01",
            "--working-days",
            "5",
        ]),
        f.run(&["import", &a, "--year", "2026"]),
        f.run(&[
            "import",
            &a,
            "--year",
            "2026",
            "--quarter",
            "4",
            "--kind",
            "申报",
            "--working-days",
            "5",
        ]),
        f.run(&[
            "import",
            &a,
            "--year",
            "2026",
            "--quarter",
            "9",
            "--kind",
            "申报",
        ]),
        f.run(&["biuld"]),
        f.run(&["build", "--base-url", "notaurl"]),
        f.run(&["new", "calendar", "99"]),
        f.run(&["deploy", "--to", "ftp://x"]),
    ];
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for o in &outputs {
        let err = stderr(o);
        assert!(
            o.status.code() == Some(1) || o.status.code() == Some(2),
            "{err}"
        );
        for line in err.lines() {
            let head = line.trim_start();
            if head.starts_with('×') || head.starts_with('⚠') || head.starts_with("错误") {
                assert!(cjk(head), "not Chinese first: {line}");
            }
            assert!(!head.starts_with("error:"), "English error: {line}");
        }
    }
    // Usage errors exit 2, problems in the input 1.
    assert_eq!(outputs[3].status.code(), Some(2));
    assert_eq!(
        outputs[4].status.code(),
        Some(2),
        "a missing --start is a usage error"
    );
    assert_eq!(outputs[5].status.code(), Some(2));
    assert_eq!(outputs[6].status.code(), Some(2));
    assert_eq!(outputs[0].status.code(), Some(1));
    // Every command's help is Chinese.
    for cmd in [
        vec!["build"],
        vec!["check"],
        vec!["serve"],
        vec!["import"],
        vec!["lists"],
        vec!["list", "publish"],
        vec!["list", "announce"],
        vec!["list", "withdraw"],
        vec!["list", "restore"],
        vec!["list", "show"],
        vec!["new", "list"],
        vec!["new", "calendar"],
        vec!["deploy"],
    ] {
        let mut a = cmd.clone();
        a.push("--help");
        let o = bin().args(&a).output().unwrap();
        assert_ok(&o);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("用法："), "{cmd:?}");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("--") || line.trim_start().starts_with("-h") {
                // The help is on the same line, or (long help) on the next.
                let next = lines.get(i + 1).copied().unwrap_or("");
                assert!(
                    cjk(line) || cjk(next),
                    "{cmd:?}: option without Chinese help: {line}"
                );
            }
        }
    }
}

/// A district's workbook as it really arrives: a merged title row, a subtitle, the header
/// on row 3, the district merged down a block (one block under its old name), a 申报类型
/// column, a 备注, a merged 合计 row, a 填表人 footer and a note.
fn district_workbook(path: &std::path::Path, code_as_number: bool) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("推荐汇总").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        6,
        "附件3 2026年第四季度创新型中小企业推荐情况汇总表",
        &Format::new(),
    )
    .unwrap();
    ws.write_string(1, 0, "填报单位（盖章）：金普新区工业和信息化局")
        .unwrap();
    for (c, h) in [
        "序号",
        "企业名称",
        "所属区县",
        "统一社会信用代码",
        "所属行业",
        "申报类型",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (k, i) in (1..=4u32).enumerate() {
        let r = 3 + k as u32;
        ws.write_number(r, 0, i as f64).unwrap();
        ws.write_string(r, 1, format!("大连表格测试{i}有限公司"))
            .unwrap();
        if code_as_number && i == 2 {
            // What Excel keeps of an 18-digit number: 15 significant digits.
            ws.write_number(r, 3, 912102131234567890.0).unwrap();
        } else {
            ws.write_string(r, 3, code_of(100 + i)).unwrap();
        }
        ws.write_string(r, 4, "装备制造").unwrap();
        ws.write_string(r, 5, "申报").unwrap();
    }
    ws.write_string(4, 6, "已变更名称").unwrap();
    // 金州区 is the old name of 金普新区 (an alias in data/districts.toml).
    ws.merge_range(3, 2, 4, 2, "金州区", &Format::new())
        .unwrap();
    ws.merge_range(5, 2, 6, 2, "金普新区", &Format::new())
        .unwrap();
    ws.merge_range(7, 0, 7, 1, "合计", &Format::new()).unwrap();
    ws.write_string(7, 2, "4家").unwrap();
    ws.write_string(9, 0, "填表人：李四").unwrap();
    ws.write_string(9, 3, "联系电话：87654321").unwrap();
    ws.write_string(10, 0, "注：信用代码请以营业执照为准。")
        .unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_realistic_district_workbook_imports_with_its_extra_rows_reported() {
    let f = Fixture::minimal();
    let path = f.path("incoming/金普新区.xlsx");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    district_workbook(&path, true);
    let o = f.run(&with(&["import", path.to_str().unwrap()], &BATCH));
    assert_fails_with(&o, &["推荐汇总!D5", "[import-lost-digits]", "文本"]);
    assert!(!f.path(Q4).exists());

    district_workbook(&path, false);
    let o = f.run(&with(&["import", path.to_str().unwrap()], &BATCH));
    assert_ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("4 家企业（金普新区 4）"),
        "the old name is written canonical:\n{err}"
    );
    for skipped in [
        "第8行：合计 | 4家",
        "第10行：填表人：李四 | 联系电话：87654321",
        "第11行：注：信用代码请以营业执照为准。",
    ] {
        assert!(err.contains(skipped), "{skipped} not reported:\n{err}");
    }
    assert!(err.contains("第5行：已变更名称"), "{err}");
    let text = f.read(Q4);
    assert!(!text.contains("金州区") && !text.contains("合计"));
    assert_ok(&f.check());
}

#[test]
fn a_withdrawal_reason_is_bounded_and_a_killed_writers_temporary_is_cleared() {
    let f = Fixture::minimal();
    let code = "91210202MATU8FKPXX";
    // A command killed mid-write left a full copy of the list beside it.
    let stale = "data/lists/.2026-q3-application.toml.424242.gazette-tmp";
    f.write(stale, &f.read(Q3));
    let long = "经核实不符合条件".repeat(30);
    let o = f.run(&["list", "withdraw", Q3_ID, code, "--reason", &long]);
    assert_fails_with(&o, &["[withdraw-reason]", "240个字", "200个字"]);
    assert!(!f.read(Q3).contains("withdrawn"), "nothing was written");
    assert!(
        !f.path(stale).exists(),
        "the next command under the data lock removes what a killed one left"
    );
    // A reason written by hand is bounded the same way.
    f.edit(
        Q3,
        "industry = \"装备制造\"",
        &format!("industry = \"装备制造\"\nwithdrawn = \"{long}\""),
    );
    refused(&f, &["[name-long]", "撤回原因有240个字"]);
}

#[test]
fn next_years_notice_from_a_leap_year_and_from_a_broken_page() {
    let f = Fixture::minimal();
    // A 2028 notice whose key date ends on 29 February.
    let page = f
        .read("content/notices/innovative/2026/index.md")
        .replace("2026", "2028");
    f.write("content/notices/innovative/2028/index.md", &page);
    f.write(
        "data/notices/innovative/2028/schedule.toml",
        "[[key_date]]\nid = \"winter-window\"\ntitle = \"冬季申报\"\nstart = 2028-02-01\nend = 2028-02-29\n",
    );
    assert_ok(&f.run(&["new", "notice", "--year", "2029"]));
    let schedule = f.read("data/notices/innovative/2029/schedule.toml");
    assert!(schedule.contains("end = 2029-02-28"), "{schedule}");
    let parsed: toml::Value = toml::from_str(&schedule).expect("the scaffold is valid TOML");
    assert!(parsed.get("key_date").is_some());

    // A source page whose front matter does not parse is an error naming it, not skipped.
    let f = Fixture::minimal();
    f.edit(
        "content/notices/innovative/2026/index.md",
        "weight = 1",
        "weight = = 1",
    );
    let o = f.run(&["new", "notice", "--year", "2027"]);
    assert_fails_with(
        &o,
        &[
            "[notice-source]",
            "content/notices/innovative/2026/index.md",
        ],
    );
    assert!(!f.path("content/notices/innovative/2027").exists());

    // `gazette new --help` names every kind of new file, the notice included.
    let help = String::from_utf8_lossy(&bin().args(["new", "--help"]).output().unwrap().stdout)
        .to_string();
    assert!(help.lines().next().unwrap_or("").contains("通知"), "{help}");
}
