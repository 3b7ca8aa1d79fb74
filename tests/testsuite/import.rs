//! `gazette import` and `gazette new list`, driven through the real binary on the minimal
//! site (`tests/fixtures/minimal/`, with the districts the sample sheets name added by
//! [`site`]): spreadsheets are written here with rust_xlsxwriter and as GB18030 CSV,
//! imported, and the written list is read back by `gazette check`/`build`.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};

use crate::support::{
    assert_exit, assert_fails_with, assert_ok, bin, credit_code as code, line_of, repo, snapshot,
    stderr, with, Fixture,
};

/// The same code with its check character changed (so it fails GB 32100).
fn bad_check(code: &str) -> String {
    let last = code.chars().last().unwrap();
    let other = if last == '0' { '1' } else { '0' };
    format!("{}{other}", &code[..17])
}

/// Rows as a district sends them: (serial, name, district as written, code as written, industry).
fn sample_rows() -> Vec<[String; 5]> {
    vec![
        [
            "1".into(),
            "大连测试\"星海\"科技有限公司".into(),
            "中山区".into(),
            code("210202", 1),
            "软件和信息技术服务".into(),
        ],
        [
            "2".into(),
            "大连测试\\反斜杠软件有限公司".into(),
            "大连市高新技术产业园区".into(),
            // Lower case with spaces, as typed with an IME: normalised on import.
            format!(" {} ", code("210211", 2).to_lowercase()),
            "".into(),
        ],
        [
            "3".into(),
            "大连测试金州机械有限公司".into(),
            "金州区".into(),
            // Full-width digits and letters.
            code("210213", 3)
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect(),
            "装备制造".into(),
        ],
        [
            "4".into(),
            "大连测试海湾化工有限公司".into(),
            "金州区".into(),
            code("210213", 4),
            "石化".into(),
        ],
        [
            "5".into(),
            "Dalian Test Bio-Tech Co., Ltd.".into(),
            "长兴岛".into(),
            code("210281", 5),
            "生物医药".into(),
        ],
    ]
}

/// The minimal site with the two districts `sample_rows` names that it lacks, each with
/// the alias a district's sheet writes (高新区 as 大连市高新技术产业园区, 长兴岛经济区 as
/// 长兴岛), so that importing the sample rows resolves every way of writing a district.
fn site() -> Fixture {
    let f = Fixture::minimal();
    let districts = f.read("data/districts.toml");
    f.write(
        "data/districts.toml",
        &format!(
            r#"{districts}
[[district]]
name = "高新区"
office = "高新区示例经济发展局"
phones = ["84000001"]
aliases = ["高新技术产业园区"]

[[district]]
name = "长兴岛经济区"
office = "长兴岛示例经济发展局"
phones = ["85000001"]
aliases = ["长兴岛"]
"#
        ),
    );
    f
}

const TITLE: &str = "2026年第四季度创新型中小企业推荐情况汇总表";

/// Writes an .xlsx like a district's 附件3: a merged title row, a subtitle, messy headers
/// (line breaks, spaces, full-width brackets), the district merged down a block, a blank
/// row and a footnote.
fn write_xlsx(path: &Path, sheet: &str, rows: &[[String; 5]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    ws.merge_range(0, 0, 0, 5, "附件3", &Format::new()).unwrap();
    ws.write_string(1, 0, TITLE).unwrap();
    let headers = [
        "序 号",
        "企业\n名称",
        "所属区（市、县）/先导区",
        "统一社会\n信用代码",
        "所属行业",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let mut r = 3u32;
    let mut i = 0;
    while i < rows.len() {
        let row = &rows[i];
        // Merge the district down over the following rows with the same district.
        let mut span = 1;
        while i + span < rows.len() && rows[i + span][2] == row[2] {
            span += 1;
        }
        for (k, row) in rows[i..i + span].iter().enumerate() {
            let rr = r + k as u32;
            ws.write_number(rr, 0, row[0].parse::<f64>().unwrap())
                .unwrap();
            ws.write_string(rr, 1, &row[1]).unwrap();
            ws.write_string(rr, 3, &row[3]).unwrap();
            if !row[4].is_empty() {
                ws.write_string(rr, 4, &row[4]).unwrap();
            }
        }
        if span > 1 {
            ws.merge_range(r, 2, r + span as u32 - 1, 2, &row[2], &Format::new())
                .unwrap();
        } else {
            ws.write_string(r, 2, &row[2]).unwrap();
        }
        r += span as u32;
        i += span;
    }
    // A blank row, then a footnote.
    ws.write_string(r + 1, 0, "注：本表由区县中小企业主管部门填报。")
        .unwrap();
    wb.save(path).unwrap();
}

/// Writes the same rows as a GB18030 CSV, as Chinese Excel saves "CSV (逗号分隔)".
fn write_gb18030_csv(path: &Path, rows: &[[String; 5]]) {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record([TITLE]).unwrap();
    w.write_record([
        "序号",
        "企业名称",
        "所属地区",
        "统一社会信用代码",
        "行业",
        "备注",
    ])
    .unwrap();
    for row in rows {
        w.write_record([&row[0], &row[1], &row[2], &row[3], &row[4], ""])
            .unwrap();
    }
    w.write_record(["", "", "", "", "", ""]).unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must really be GB18030, not UTF-8"
    );
    std::fs::write(path, &bytes).unwrap();
}

fn import(f: &Fixture, file: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    f.run(&args)
}

const Q4: [&str; 6] = ["--year", "2026", "--quarter", "4", "--kind", "application"];
const LIST: &str = "data/lists/2026-q4-application.toml";

/// Everything but the one provenance line naming the source file.
fn without_source_line(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("# 来源："))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn parsed(text: &str) -> gazette::source::list::ListFile {
    let (v, d) = gazette::load::parse_toml::<gazette::source::list::ListFile>(
        Path::new("x.toml"),
        text.to_string(),
    );
    v.unwrap_or_else(|| panic!("{}", d.render(false)))
}

fn tmp_file(f: &Fixture, name: &str) -> PathBuf {
    let dir = f.path("incoming");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn xlsx_and_gb18030_csv_import_to_the_same_toml_that_check_accepts() {
    let rows = sample_rows();
    let a = site();
    let xlsx = tmp_file(&a, "中山区推荐表.xlsx");
    write_xlsx(&xlsx, "推荐汇总", &rows);
    let period = ["--start", "2026-12-01", "--working-days", "5"];
    let out = import(&a, &xlsx, &with(&Q4, &period));
    assert_ok(&out);
    let err = stderr(&out);
    assert!(err.contains("5 家企业"), "{err}");
    assert!(
        err.contains("第10行：注：本表由区县中小企业主管部门填报。"),
        "the footnote row is reported as skipped:\n{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "no colour or progress codes off a terminal: {err:?}"
    );

    let b = site();
    let csv = tmp_file(&b, "中山区推荐表.csv");
    write_gb18030_csv(&csv, &rows);
    let out = import(&b, &csv, &with(&Q4, &period));
    assert_ok(&out);

    let from_xlsx = a.read(LIST);
    let from_csv = b.read(LIST);
    assert!(
        from_xlsx.contains("# 来源：中山区推荐表.xlsx（工作表“推荐汇总”，第4–8行）"),
        "{from_xlsx}"
    );
    assert!(
        from_csv.contains("# 来源：中山区推荐表.csv（GB18030 编码的 CSV，第3–7行）"),
        "{from_csv}"
    );
    assert_eq!(
        without_source_line(&from_xlsx),
        without_source_line(&from_csv)
    );

    // Canonical districts, normalised codes, names exactly as given (quotes, backslashes).
    let list = parsed(&from_xlsx);
    assert!(!list.draft);
    let got: Vec<(String, String, String, Option<String>)> = list
        .enterprise
        .iter()
        .map(|e| {
            (
                e.name.get_ref().clone(),
                e.credit_code.get_ref().clone(),
                e.district.get_ref().clone(),
                e.industry.clone(),
            )
        })
        .collect();
    let expected_districts = ["中山区", "高新区", "金普新区", "金普新区", "长兴岛经济区"];
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(got[i].0, row[1]);
        assert_eq!(got[i].1, gazette::domain::credit_code::normalize(&row[3]));
        assert_eq!(got[i].2, expected_districts[i]);
        assert_eq!(
            got[i].3.as_deref(),
            Some(row[4].as_str()).filter(|s| !s.is_empty())
        );
    }
    assert!(from_xlsx.contains("end = 2026-12-07"), "{from_xlsx}");

    // The real loader and validator accept it, and the site shows it.
    assert_ok(&a.check());
    assert_ok(&a.build());
    let page = a.out("lists/2026-q4-application/index.html");
    assert!(page.contains("大连测试金州机械有限公司"));
    assert!(
        page.contains("大连测试&quot;星海&quot;科技有限公司")
            || page.contains("大连测试&#34;星海&#34;科技有限公司"),
        "quotes must be escaped in HTML"
    );
}

#[test]
fn bad_rows_are_all_reported_by_sheet_row_and_column_and_nothing_is_written() {
    let f = Fixture::minimal();
    let good = code("210202", 10);
    let rows = vec![
        [
            "1".into(),
            "大连测试甲有限公司".into(),
            "中山区".into(),
            bad_check(&code("210202", 11)),
            "".into(),
        ],
        [
            "2".into(),
            "大连测试乙有限公司".into(),
            "中三区".into(),
            code("210202", 12),
            "".into(),
        ],
        [
            "3".into(),
            "大连测试丙有限公司".into(),
            "中山区".into(),
            good.clone(),
            "".into(),
        ],
        [
            "4".into(),
            "大连测试丁有限公司".into(),
            "中山区".into(),
            good.clone(),
            "".into(),
        ],
        [
            "5".into(),
            "大连测试戊有限公司".into(),
            "中山区".into(),
            "9121020".into(),
            "".into(),
        ],
    ];
    let xlsx = tmp_file(&f, "bad.xlsx");
    write_xlsx(&xlsx, "Sheet1", &rows);
    let out = import(&f, &xlsx, &Q4);
    assert_fails_with(
        &out,
        &[
            // Row 4 (first data row): wrong check character, column D.
            "Sheet1!D4（第4行 D列（统一社会信用代码））",
            "校验位",
            // Row 5: unknown district with a suggestion.
            "Sheet1!C5（第5行 C列",
            "不认识的区县“中三区”",
            "中山区",
            // Row 7 repeats row 6's code.
            "Sheet1!D7",
            "与第6行重复",
            // Row 8: too short.
            "Sheet1!D8",
            "应为18位",
            "没有写入任何文件",
        ],
    );
    // Only row 5's district is unknown: the other rows fail for their own reason alone.
    assert_eq!(
        stderr(&out).matches("不认识的区县").count(),
        1,
        "{}",
        stderr(&out)
    );
    assert!(
        !f.path(LIST).exists(),
        "nothing may be written when a row is bad"
    );
}

#[test]
fn csv_errors_use_cell_coordinates_without_a_sheet() {
    let f = site();
    let csv = tmp_file(&f, "x.csv");
    std::fs::write(
        &csv,
        format!(
            "企业名称,统一社会信用代码,所属区县\n大连测试甲有限公司,{},\n",
            code("210202", 1)
        ),
    )
    .unwrap();
    let out = import(&f, &csv, &Q4);
    assert_fails_with(
        &out,
        &["C2（第2行 C列（所属区县））", "所属区县为空", "--district"],
    );
    // With --district the empty cell takes the sheet's district.
    let out = import(&f, &csv, &with(&Q4, &["--district", "金普新区"]));
    assert_ok(&out);
    assert!(f.read(LIST).contains("district = \"金普新区\""));
}

#[test]
fn an_existing_list_is_only_replaced_with_force() {
    let f = site();
    let rows = sample_rows();
    let xlsx = tmp_file(&f, "a.xlsx");
    write_xlsx(&xlsx, "Sheet1", &rows[..2]);
    assert_ok(&import(&f, &xlsx, &Q4));
    let before = std::fs::read(f.path(LIST)).unwrap();

    let other = tmp_file(&f, "b.xlsx");
    write_xlsx(&other, "Sheet1", &rows[2..]);
    let out = import(&f, &other, &Q4);
    assert_fails_with(&out, &["已存在", "--force", "--append"]);
    assert_eq!(
        std::fs::read(f.path(LIST)).unwrap(),
        before,
        "must not be touched"
    );

    let out = import(&f, &other, &with(&Q4, &["--force"]));
    assert_ok(&out);
    let after = f.read(LIST);
    assert!(after.contains("大连测试金州机械有限公司"));
    assert!(
        !after.contains("大连测试\\\\反斜杠软件有限公司"),
        "replaced, not merged"
    );
}

#[test]
fn append_skips_identical_rows_and_refuses_conflicting_ones() {
    let f = site();
    let rows = sample_rows();
    let first = tmp_file(&f, "中山区.xlsx");
    write_xlsx(&first, "中山区", &rows[..3]);
    assert_ok(&import(
        &f,
        &first,
        &with(&Q4, &["--start", "2026-12-01", "--working-days", "5"]),
    ));
    let before = f.read(LIST);

    // Appending without an existing file is refused.
    let g = site();
    assert_fails_with(
        &import(&g, &first, &with(&Q4, &["--append"])),
        &["无法追加"],
    );

    // Rows 2–3 again (row 3 written with a different width/spacing of its name) plus two new.
    let mut second_rows = rows[1..].to_vec();
    second_rows[1][1] = " 大连测试金州机械有限公司 ".into();
    let second = tmp_file(&f, "金普新区.xlsx");
    write_xlsx(&second, "金普新区", &second_rows);
    let out = import(&f, &second, &with(&Q4, &["--append"]));
    assert_ok(&out);
    let err = stderr(&out);
    assert!(err.contains("跳过 2 行"), "{err}");
    let after = f.read(LIST);
    assert!(
        after.starts_with(&before),
        "existing text (header, dates, edits) must be kept"
    );
    let list = parsed(&after);
    assert_eq!(list.enterprise.len(), 5);
    assert!(after.contains("# 以下 2 家企业由 gazette import 追加，来源：金普新区.xlsx"));
    assert_ok(&f.check());

    // The same sheet again: nothing new, file unchanged.
    let out = import(&f, &second, &with(&Q4, &["--append"]));
    assert_ok(&out);
    assert!(stderr(&out).contains("没有新的企业"), "{}", stderr(&out));
    assert_eq!(f.read(LIST), after);

    // A known credit code with a different name is an error naming both places.
    let mut conflict = vec![rows[0].clone()];
    conflict[0][1] = "大连测试改名科技有限公司".into();
    conflict.push([
        "2".into(),
        "大连测试新增有限公司".into(),
        "金普新区".into(),
        code("210213", 77),
        "".into(),
    ]);
    let third = tmp_file(&f, "conflict.xlsx");
    write_xlsx(&third, "Sheet1", &conflict);
    let out = import(&f, &third, &with(&Q4, &["--append"]));
    let line = line_of(&after, &code("210202", 1));
    assert_fails_with(
        &out,
        &[
            "Sheet1!D4",
            &format!("第{line}行"),
            "数据不同",
            "大连测试改名科技有限公司",
        ],
    );
    assert_eq!(
        f.read(LIST),
        after,
        "a conflict must leave the file as it was"
    );
}

#[test]
fn without_dates_the_list_is_a_draft_that_check_validates_and_build_leaves_out() {
    let f = site();
    let rows = sample_rows();
    let xlsx = tmp_file(&f, "draft.xlsx");
    write_xlsx(&xlsx, "Sheet1", &rows);
    let out = import(&f, &xlsx, &Q4);
    assert_ok(&out);
    assert!(stderr(&out).contains("草稿"));
    let text = f.read(LIST);
    assert!(parsed(&text).draft);
    assert!(
        text.contains("gazette list publish 2026-q4-application --start"),
        "staff are told what to run next:\n{text}"
    );

    assert_ok(&f.check());
    assert_ok(&f.build());
    let public = snapshot(&f.path("public"));
    assert!(
        !public
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("大连测试金州机械有限公司")),
        "a draft must not be published"
    );
    assert!(!f.path("public/lists/2026-q4-application").exists());

    // check really validates the draft: a broken code in it is reported.
    let broken = text.replacen(&code("210213", 4), &bad_check(&code("210213", 4)), 1);
    f.write(LIST, &broken);
    assert_fails_with(&f.check(), &["2026-q4-application.toml", "校验位"]);
    f.write(LIST, &text);

    // Running what the comment says publishes it.
    assert_ok(&f.run(&[
        "list",
        "publish",
        "2026-q4-application",
        "--start",
        "2026-12-01",
        "--working-days",
        "5",
    ]));
    assert!(!parsed(&f.read(LIST)).draft);
    assert_ok(&f.build());
    assert!(f
        .out("lists/2026-q4-application/index.html")
        .contains("大连测试金州机械有限公司"));
}

#[test]
fn new_list_computes_the_end_date_over_the_national_day_holiday() {
    let f = site();
    let args = [
        "new",
        "list",
        "--year",
        "2026",
        "--quarter",
        "4",
        "--kind",
        "application",
        "--start",
        "2026-09-24",
        "--working-days",
        "5",
    ];
    let out = f.run(&args);
    assert_ok(&out);
    assert!(stderr(&out).contains("2026年10月8日"), "{}", stderr(&out));
    let text = f.read(LIST);
    let list = parsed(&text);
    let p = list.publicity.as_ref().unwrap().get_ref();
    assert_eq!(p.end.as_ref().unwrap().get_ref().to_string(), "2026-10-08");
    assert_eq!(*p.working_days.as_ref().unwrap().get_ref(), 5);
    assert!(text.contains("2026年9月24日至10月8日"));
    assert!(parsed(&text).draft, "a draft until its enterprises are in");
    assert!(
        text.contains("gazette list publish 2026-q4-application"),
        "{text}"
    );
    assert_ok(&f.check());

    // Never overwritten without --force.
    f.write(LIST, &format!("{text}# staff edit\n"));
    assert_fails_with(&f.run(&args), &["已存在", "--force"]);
    assert!(f.read(LIST).ends_with("# staff edit\n"));
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_ok(&f.run(&forced));
    assert_eq!(f.read(LIST), text);

    // Sheets are then appended into the scaffold, keeping its dates.
    let xlsx = tmp_file(&f, "a.xlsx");
    write_xlsx(&xlsx, "Sheet1", &sample_rows());
    assert_ok(&import(&f, &xlsx, &with(&Q4, &["--append"])));
    let merged = f.read(LIST);
    assert!(merged.starts_with(&text));
    assert_eq!(parsed(&merged).enterprise.len(), 5);
    assert_ok(&f.check());
}

#[test]
fn new_list_in_a_year_without_a_calendar_says_which_file_to_add() {
    let f = Fixture::minimal();
    let out = f.run(&[
        "new",
        "list",
        "--year",
        "2027",
        "--quarter",
        "1",
        "--kind",
        "review",
        "--start",
        "2027-03-01",
        "--working-days",
        "5",
    ]);
    assert_fails_with(&out, &["data/calendar/2027.toml"]);
    assert!(!f.path("data/lists/2027-q1-review.toml").exists());
    // Calendar days need no holiday calendar.
    let out = f.run(&[
        "new",
        "list",
        "--year",
        "2027",
        "--quarter",
        "1",
        "--kind",
        "复核",
        "--start",
        "2027-03-01",
        "--calendar-days",
        "7",
    ]);
    assert_ok(&out);
    assert!(f
        .read("data/lists/2027-q1-review.toml")
        .contains("end = 2027-03-07"));
}

#[test]
fn sheet_problems_say_what_to_do() {
    let f = site();
    // A long credit code typed into a number cell has lost its last digits.
    let path = tmp_file(&f, "numbers.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "企业名称").unwrap();
    ws.write_string(0, 1, "统一社会信用代码").unwrap();
    ws.write_string(0, 2, "所属区县").unwrap();
    ws.write_string(1, 0, "大连测试甲有限公司").unwrap();
    ws.write_number(1, 1, 121_000_004_000_000_000f64).unwrap();
    ws.write_string(1, 2, "中山区").unwrap();
    wb.save(&path).unwrap();
    assert_fails_with(&import(&f, &path, &Q4), &["Sheet1!B2", "15位", "文本"]);

    // No header row: the first rows are shown.
    let csv = tmp_file(&f, "noheader.csv");
    std::fs::write(&csv, "名单\n甲,乙\n").unwrap();
    assert_fails_with(&import(&f, &csv, &Q4), &["找不到表头行", "第1行：名单"]);

    // Without the credit-code column.
    std::fs::write(
        &csv,
        "序号,企业名称,所属区县\n1,大连测试甲有限公司,中山区\n",
    )
    .unwrap();
    assert_fails_with(&import(&f, &csv, &Q4), &["没有“统一社会信用代码”列"]);

    // Several sheets with lists: --sheet picks one.
    let two = tmp_file(&f, "two.xlsx");
    let mut wb = Workbook::new();
    for name in ["中山区", "金普新区"] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(0, 0, "企业名称").unwrap();
        ws.write_string(0, 1, "统一社会信用代码").unwrap();
        ws.write_string(0, 2, "所属区县").unwrap();
        ws.write_string(1, 0, format!("大连测试{name}有限公司"))
            .unwrap();
        let div = if name == "中山区" {
            "210202"
        } else {
            "210213"
        };
        ws.write_string(1, 1, code(div, 9)).unwrap();
        ws.write_string(1, 2, name).unwrap();
    }
    wb.save(&two).unwrap();
    assert_fails_with(&import(&f, &two, &Q4), &["2 张工作表", "--sheet"]);
    assert_fails_with(
        &import(&f, &two, &with(&Q4, &["--sheet", "甘井子区"])),
        &["没有名为“甘井子区”的工作表", "中山区", "金普新区"],
    );
    assert_ok(&import(&f, &two, &with(&Q4, &["--sheet", "金普新区"])));
    let text = f.read(LIST);
    assert!(text.contains("大连测试金普新区有限公司") && !text.contains("大连测试中山区有限公司"));

    // Not a spreadsheet.
    let pdf = tmp_file(&f, "名单.pdf");
    std::fs::write(&pdf, "%PDF-1.4").unwrap();
    assert_fails_with(&import(&f, &pdf, &Q4), &["不是表格"]);
}

#[test]
fn import_output_is_deterministic() {
    let f = site();
    let xlsx = tmp_file(&f, "a.xlsx");
    write_xlsx(&xlsx, "Sheet1", &sample_rows());
    let args = with(&Q4, &["--start", "2026-12-01", "--working-days", "5"]);
    assert_ok(&import(&f, &xlsx, &args));
    let first = std::fs::read(f.path(LIST)).unwrap();
    assert_ok(&import(&f, &xlsx, &with(&args, &["--force"])));
    assert_eq!(std::fs::read(f.path(LIST)).unwrap(), first);
}

/// A UTF-8 CSV of `n` enterprises of 中山区 numbered from `from`.
fn write_many(path: &Path, from: u32, n: u32) {
    let mut text = String::from("企业名称,所属区县,统一社会信用代码\n");
    for i in from..from + n {
        text.push_str(&format!(
            "大连并发测试{i}有限公司,中山区,{}\n",
            code("210202", i)
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn two_appends_at_once_take_turns_and_lose_no_row() {
    let f = Fixture::minimal();
    assert_ok(&f.run(&with(
        &["new", "list"],
        &with(&Q4, &["--start", "2026-12-01", "--working-days", "5"]),
    )));
    let (a, b) = (tmp_file(&f, "a.csv"), tmp_file(&f, "b.csv"));
    write_many(&a, 1, 3000);
    write_many(&b, 5001, 3000);
    let spawn = |file: &Path| {
        bin()
            .args(["import", file.to_str().unwrap()])
            .args(with(&Q4, &["--append"]))
            .arg("--root")
            .arg(f.root())
            .env("NO_COLOR", "1")
            // Both read the list, then both wait here: without the lock the second
            // write would replace the first.
            .env("GAZETTE_TEST_PAUSE", "import-before-lock:700")
            .spawn()
            .unwrap()
    };
    let (mut pa, mut pb) = (spawn(&a), spawn(&b));
    assert!(pa.wait().unwrap().success());
    assert!(pb.wait().unwrap().success());
    let list = parsed(&f.read(LIST));
    assert_eq!(list.enterprise.len(), 6000, "no row may be lost");
}

#[test]
fn a_list_file_that_appears_while_importing_is_not_overwritten() {
    let f = Fixture::minimal();
    let a = tmp_file(&f, "a.csv");
    write_many(&a, 1, 50);
    let p = bin()
        .args(["import", a.to_str().unwrap()])
        .args(Q4)
        .arg("--root")
        .arg(f.root())
        .env("NO_COLOR", "1")
        .env("GAZETTE_TEST_PAUSE", "import-before-lock:1500")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let theirs = "# 同事刚刚手工建的名单\nyear = 2026\n";
    std::fs::write(f.path(LIST), theirs).unwrap();
    let out = p.wait_with_output().unwrap();
    assert_fails_with(&out, &["已存在"]);
    assert_eq!(f.read(LIST), theirs);
}

/// Runs an import under a 2 GB address-space limit: a reader that tried to allocate a
/// sheet's claimed size would abort.
#[cfg(target_os = "linux")]
fn import_limited(f: &Fixture, file: &Path) -> std::process::Output {
    let cmd = format!(
        "ulimit -v 2000000; exec '{}' import '{}' --year 2026 --quarter 4 --kind application --root '{}'",
        env!("CARGO_BIN_EXE_gazette"),
        file.display(),
        f.root().display()
    );
    std::process::Command::new("sh")
        .args(["-c", &cmd])
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_cell_at_the_last_row_and_column_does_not_make_a_dense_sheet() {
    let f = Fixture::minimal();
    let xlsx = tmp_file(&f, "far.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["企业名称", "所属区县", "统一社会信用代码"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "大连远端测试有限公司").unwrap();
    ws.write_string(1, 1, "中山区").unwrap();
    ws.write_string(1, 2, code("210202", 77)).unwrap();
    ws.write_string(1_048_575, 16_383, "XFD1048576").unwrap();
    wb.save(&xlsx).unwrap();
    let out = import_limited(&f, &xlsx);
    assert_ok(&out);
    assert!(f.read(LIST).contains("大连远端测试有限公司"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked_into_memory() {
    use std::io::Write;
    let f = Fixture::minimal();
    let xlsx = tmp_file(&f, "bomb.xlsx");
    let file = std::fs::File::create(&xlsx).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&xlsx).unwrap().len() < 1 << 20,
        "a small file"
    );
    let out = import_limited(&f, &xlsx);
    assert_fails_with(&out, &["太大", "解压后超过"]);
    assert!(!f.path(LIST).exists());
}

#[test]
fn an_ods_that_repeats_a_value_over_millions_of_cells_is_refused() {
    use std::io::Write;
    let f = Fixture::minimal();
    let ods = tmp_file(&f, "repeat.ods");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&ods).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", opts).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    zip.finish().unwrap();
    let out = import(&f, &ods, &Q4);
    assert_fails_with(&out, &["太大", "1000000 行"]);
}

#[test]
fn a_gb18030_csv_with_a_utf8_row_names_the_row_instead_of_importing_mojibake() {
    let f = Fixture::minimal();
    let csv = tmp_file(&f, "mixed.csv");
    write_gb18030_csv(&csv, &sample_rows()[..3]);
    let mut bytes = std::fs::read(&csv).unwrap();
    bytes.extend_from_slice(
        format!("9,大连混编测试有限公司,中山区,{},,\n", code("210202", 9)).as_bytes(),
    );
    std::fs::write(&csv, bytes).unwrap();
    let out = import(&f, &csv, &Q4);
    assert_fails_with(&out, &["混用了两种编码", "第7行是 UTF-8"]);
    assert!(!f.path(LIST).exists());
}

// Spreadsheet bombs that a pre-check used to wave through (issue 23, item 1). Each file is
// built here byte by byte: a zip written by hand (so that a member can carry a wrong
// checksum or a hand-made deflate stream), an .xls written record by record.

/// CRC-32 as zip computes it.
fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A member of a hand-written zip: name, method (0 stored, 8 deflated), CRC, the bytes
/// as stored, and the size they unpack to.
struct Member {
    name: String,
    method: u16,
    crc: u32,
    data: Vec<u8>,
    size: u32,
}

impl Member {
    fn stored(name: &str, data: &[u8]) -> Member {
        Member {
            name: name.into(),
            method: 0,
            crc: crc32(data),
            data: data.to_vec(),
            size: data.len() as u32,
        }
    }
}

fn zip_by_hand(members: &[Member]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for m in members {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&m.method.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
            v.extend_from_slice(&m.crc.to_le_bytes());
            v.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
            v.extend_from_slice(&m.size.to_le_bytes());
            v.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(m.name.as_bytes());
        out.extend_from_slice(&m.data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(m.name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let reversed = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
        self.put(reversed, len);
    }
    fn literal(&mut self, b: u8) {
        let b = u32::from(b);
        if b < 144 {
            self.code(0x30 + b, 8);
        } else {
            self.code(0x190 + b - 144, 9);
        }
    }
}

/// A raw deflate stream (one block, fixed Huffman codes) of `prefix`, `unit` repeated
/// `times` times and `suffix`: the repeats are back-references of 258 bytes, so 1.5 GB
/// take about 10 MB and no time to make.
fn deflate_repeating(prefix: &[u8], unit: &[u8], times: u64, suffix: &[u8]) -> Vec<u8> {
    let mut b = Bits::default();
    b.put(1, 1); // last block
    b.put(1, 2); // fixed codes
    for &c in prefix.iter().chain(unit) {
        b.literal(c);
    }
    let u = unit.len() as u32;
    let (code, base, extra) = match u {
        1..=4 => (u - 1, u, 0),
        5..=6 => (4, 5, 1),
        7..=8 => (5, 7, 1),
        9..=12 => (6, 9, 2),
        13..=16 => (7, 13, 2),
        17..=24 => (8, 17, 3),
        25..=32 => (9, 25, 3),
        _ => panic!("unit too long"),
    };
    let total = u64::from(u) * times;
    let mut left = total - u64::from(u);
    while left >= 258 {
        b.code(0xC5, 8); // length 258
        b.code(code, 5);
        b.put(u - base, extra);
        left -= 258;
    }
    for i in total - left..total {
        b.literal(unit[(i % u64::from(u)) as usize]);
    }
    for &c in suffix {
        b.literal(c);
    }
    b.code(0, 7); // end of block
    if b.n > 0 {
        b.out.push(b.acc as u8);
    }
    b.out
}

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

/// An .ods with this `content.xml` inside `<table:table table:name="名单">` … (no end tags
/// added: `body` closes what it opens).
fn write_ods(path: &Path, body: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{body}"#
    );
    let zip = zip_by_hand(&[
        Member::stored(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        Member::stored("META-INF/manifest.xml", ODS_MANIFEST.as_bytes()),
        Member::stored("content.xml", content.as_bytes()),
    ]);
    std::fs::write(path, zip).unwrap();
}

const ODS_END: &str = "</table:table></office:spreadsheet></office:body></office:document-content>";

fn ods_string_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// Runs an import with a time limit: a reader that never finishes is killed.
fn import_within(f: &Fixture, file: &Path, seconds: u64) -> std::process::Output {
    let mut child = bin()
        .args(["import", file.to_str().unwrap()])
        .args(Q4)
        .arg("--root")
        .arg(f.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > seconds {
            child.kill().unwrap();
            panic!("import still running after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn an_ods_cannot_hide_a_repeated_row_behind_a_stray_end_tag() {
    let f = Fixture::minimal();
    let ods = tmp_file(&f, "stray.ods");
    // calamine reads on past `</x>` (it does not check end tags); the row below makes
    // 1,000,000 × 1,000 cells.
    write_ods(
        &ods,
        &format!(
            r#"<table:table table:name="S"></x><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell></table:table-row>{ODS_END}"#
        ),
    );
    assert!(
        std::fs::metadata(&ods).unwrap().len() < 2048,
        "a small file"
    );
    let out = import_limited(&f, &ods);
    assert_fails_with(
        &out,
        &["太大", "没有读取", "(the spreadsheet is too large)"],
    );
    assert!(!f.path(LIST).exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_workbook_is_read_by_the_reader_its_extension_names_whatever_its_case() {
    // calamine's automatic opening tries every reader on `.XLSX`; an .ods so named was read
    // as an .ods without the .ods checks.
    let f = Fixture::minimal();
    let ods = tmp_file(&f, "STRAY.XLSX");
    write_ods(
        &ods,
        &format!(
            r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell></table:table-row>{ODS_END}"#
        ),
    );
    let out = import_limited(&f, &ods);
    assert_fails_with(&out, &["无法打开表格文件", "另存为"]);
    assert!(!f.path(LIST).exists());
}

#[test]
fn an_ods_whose_sheet_or_note_never_ends_is_refused_not_read_forever() {
    let f = Fixture::minimal();
    for (name, body) in [
        (
            "open.ods",
            format!(
                r#"<table:table table:name="S"><table:table-row>{}</table:table-row>"#,
                ods_string_cell("x")
            ),
        ),
        (
            "note.ods",
            r#"<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>x</text:p>"#.to_string(),
        ),
    ] {
        let ods = tmp_file(&f, name);
        write_ods(&ods, &body);
        let out = import_within(&f, &ods, 60);
        assert_fails_with(&out, &["已损坏", "没有结尾", "另存为"]);
        assert!(!f.path(LIST).exists());
    }
}

/// A BIFF8 record.
fn record(kind: u16, body: &[u8]) -> Vec<u8> {
    let mut r = kind.to_le_bytes().to_vec();
    r.extend_from_slice(&(body.len() as u16).to_le_bytes());
    r.extend_from_slice(body);
    r
}

/// A LABEL record: a string cell in UTF-16.
fn xls_label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut b = Vec::new();
    for v in [row, col, 0, text.encode_utf16().count() as u16] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.push(1);
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    record(0x0204, &b)
}

/// A DIMENSIONS record as Excel writes it: first row, last row + 1, first column, last
/// column + 1.
fn xls_dimensions(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&rows.0.to_le_bytes());
    b.extend_from_slice(&rows.1.to_le_bytes());
    b.extend_from_slice(&cols.0.to_le_bytes());
    b.extend_from_slice(&cols.1.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    record(0x0200, &b)
}

/// A one-sheet .xls: the workbook globals (BOF, code page UTF-16, the sheet's BoundSheet
/// record), then the sheet's substream (BOF, `sheet`, EOF).
fn write_xls(path: &Path, sheet: &[Vec<u8>]) {
    let bof = |dt: u16| {
        let mut b = 0x0600u16.to_le_bytes().to_vec();
        b.extend_from_slice(&dt.to_le_bytes());
        b.extend_from_slice(&[0; 12]);
        record(0x0809, &b)
    };
    let mut globals = bof(0x0005);
    globals.extend(record(0x0042, &1200u16.to_le_bytes()));
    let name: Vec<u8> = "名单".encode_utf16().flat_map(u16::to_le_bytes).collect();
    // BoundSheet: header, offset, state, type, length, flags, name; then EOF.
    let at = (globals.len() + 4 + 8 + name.len() + 4) as u32;
    let mut bound = at.to_le_bytes().to_vec();
    bound.extend_from_slice(&[0, 0, 2, 1]);
    bound.extend_from_slice(&name);
    globals.extend(record(0x0085, &bound));
    globals.extend(record(0x000A, &[]));
    assert_eq!(globals.len() as u32, at);
    let mut stream = globals;
    stream.extend(bof(0x0010));
    for r in sheet {
        stream.extend_from_slice(r);
    }
    stream.extend(record(0x000A, &[]));
    let mut cfb = cfb::create(path).unwrap();
    let mut s = cfb.create_stream("/Workbook").unwrap();
    std::io::Write::write_all(&mut s, &stream).unwrap();
    drop(s);
    cfb.flush().unwrap();
}

/// The header row and one enterprise, as LABEL records.
fn xls_list() -> Vec<Vec<u8>> {
    let mut cells = Vec::new();
    for (c, h) in ["企业名称", "所属区县", "统一社会信用代码"]
        .iter()
        .enumerate()
    {
        cells.push(xls_label(0, c as u16, h));
    }
    cells.push(xls_label(1, 0, "大连旧格式测试有限公司"));
    cells.push(xls_label(1, 1, "中山区"));
    cells.push(xls_label(1, 2, &code("210202", 78)));
    cells
}

#[cfg(target_os = "linux")]
#[test]
fn an_xls_whose_dimensions_claim_billions_of_rows_is_refused_and_a_real_one_imports() {
    let f = Fixture::minimal();
    let bomb = tmp_file(&f, "dims.xls");
    let mut sheet = vec![xls_dimensions((0, 4_000_000_000), (0, 3))];
    sheet.extend(xls_list());
    write_xls(&bomb, &sheet);
    let len = std::fs::metadata(&bomb).unwrap().len();
    assert!(len < 32 << 10, "a small file: {len} bytes");
    let out = import_limited(&f, &bomb);
    assert_fails_with(&out, &["太大", "4000000000 行、3 列"]);
    assert!(!f.path(LIST).exists());

    // A last row before the first: calamine subtracts and overflows.
    let upside_down = tmp_file(&f, "upside-down.xls");
    let mut sheet = vec![xls_dimensions((10, 5), (0, 3))];
    sheet.extend(xls_list());
    write_xls(&upside_down, &sheet);
    assert_fails_with(&import_limited(&f, &upside_down), &["已损坏", "DIMENSIONS"]);

    let real = tmp_file(&f, "real.xls");
    let mut sheet = vec![xls_dimensions((0, 2), (0, 3))];
    sheet.extend(xls_list());
    write_xls(&real, &sheet);
    assert_ok(&import_limited(&f, &real));
    assert!(f.read(LIST).contains("大连旧格式测试有限公司"));
}

/// Found by the import_workbook fuzzer: an .xls whose compound-file header names FAT
/// sectors far past its end. calamine's own compound-file reader would reserve memory up
/// to that sector (about 17 TB) and abort; the walk in `limits` refuses it first.
#[cfg(target_os = "linux")]
#[test]
fn an_xls_naming_sectors_past_its_end_is_refused_not_an_abort() {
    let f = Fixture::minimal();
    let file = repo().join("fuzz/seeds/import_workbook/calamine-cfb-sector-past-end.xls");
    let out = import_limited(&f, &file);
    assert_exit(&out, 1, &["[import-read]", "已损坏", "扇区编号超出了文件"]);
    assert!(!f.path(LIST).exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_damaged_zip_member_is_refused_even_when_the_reader_would_not_open_it() {
    let f = Fixture::minimal();
    let plain = tmp_file(&f, "plain.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "企业名称").unwrap();
    wb.save(&plain).unwrap();
    let mut members = Vec::new();
    // First, an unused member whose checksum is wrong.
    let mut broken = Member::stored("docProps/unused.xml", b"<x/>");
    broken.crc ^= 1;
    members.push(broken);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut m = zip.by_index(i).unwrap();
        if m.name() == "xl/sharedStrings.xml" {
            continue;
        }
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut m, &mut data).unwrap();
        members.push(Member::stored(m.name(), &data));
    }
    // Then shared strings that unpack to 1.5 GB of one-character strings (the checksum
    // is not computed: both the old reader and the check stop long before the end).
    let unit = b"<si><t>a</t></si>";
    let times = 1_500_000_000 / unit.len() as u64;
    let head = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let data = deflate_repeating(head, unit, times, b"</sst>");
    let size = head.len() as u64 + unit.len() as u64 * times + 6;
    members.push(Member {
        name: "xl/sharedStrings.xml".into(),
        method: 8,
        crc: 0,
        data,
        size: size as u32,
    });
    let xlsx = tmp_file(&f, "bomb.xlsx");
    std::fs::write(&xlsx, zip_by_hand(&members)).unwrap();
    let out = import_limited(&f, &xlsx);
    assert_fails_with(&out, &["已损坏", "docProps/unused.xml", "另存为"]);
    assert!(!f.path(LIST).exists());
}

#[test]
fn an_xlsx_with_more_shared_strings_than_any_list_is_refused() {
    let f = Fixture::minimal();
    let plain = tmp_file(&f, "plain.xlsx");
    write_xlsx(&plain, "Sheet1", &sample_rows());
    let mut members = Vec::new();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut m = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut m, &mut data).unwrap();
        if m.name() == "xl/sharedStrings.xml" {
            // The list's own strings, then 1.2 million one-character strings no cell uses.
            let text = String::from_utf8(data).unwrap();
            let cut = text.rfind("</sst>").unwrap();
            let mut padded = text.as_bytes()[..cut].to_vec();
            for _ in 0..1_200_000 {
                padded.extend_from_slice(b"<si><t>a</t></si>");
            }
            padded.extend_from_slice(b"</sst>");
            data = padded;
        }
        members.push(Member::stored(m.name(), &data));
    }
    let xlsx = tmp_file(&f, "strings.xlsx");
    std::fs::write(&xlsx, zip_by_hand(&members)).unwrap();
    let out = import(&f, &xlsx, &Q4);
    assert_fails_with(&out, &["太大", "共享字符串表", "超过 1000000 个字符串"]);
    assert!(!f.path(LIST).exists());
}

#[cfg(target_os = "linux")]
#[test]
fn cells_far_to_the_right_in_many_rows_do_not_make_a_dense_grid() {
    let f = Fixture::minimal();
    let xlsx = tmp_file(&f, "wide.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..100_000 {
        ws.write_number(r, 1000, 1.0).unwrap();
    }
    wb.save(&xlsx).unwrap();
    let out = import_limited(&f, &xlsx);
    assert_fails_with(&out, &["没有读取", "散布"]);
    assert!(!f.path(LIST).exists());
}

#[test]
fn a_real_ods_with_trailing_empty_rows_and_columns_imports() {
    let f = Fixture::minimal();
    let ods = tmp_file(&f, "real.ods");
    let row = |cells: &[&str]| {
        let mut r = String::from("<table:table-row>");
        for c in cells {
            r.push_str(&ods_string_cell(c));
        }
        r.push_str(r#"<table:table-cell table:number-columns-repeated="1021"/></table:table-row>"#);
        r
    };
    let body = format!(
        r#"<table:table table:name="名单"><table:table-column table:number-columns-repeated="1024"/>{}{}<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>{ODS_END}"#,
        row(&["企业名称", "所属区县", "统一社会信用代码"]),
        row(&["大连开放格式测试有限公司", "中山区", &code("210202", 79)]),
    );
    write_ods(&ods, &body);
    assert_ok(&import(&f, &ods, &Q4));
    assert!(f.read(LIST).contains("大连开放格式测试有限公司"));
}

/// Writes the seeds of the `import_workbook` fuzz target (fuzz/seeds/import_workbook/):
/// real workbooks of each format and the bombs above, small.
/// `GAZETTE_WRITE_FUZZ_SEEDS=1 cargo test --test testsuite import::write_fuzz_seeds -- --ignored`
/// (without the variable it does nothing, so the full tier's `--include-ignored` leaves the
/// checkout alone).
#[test]
#[ignore = "a tool, not a test: writes fuzz/seeds/import_workbook when GAZETTE_WRITE_FUZZ_SEEDS=1"]
fn write_fuzz_seeds() {
    if std::env::var_os("GAZETTE_WRITE_FUZZ_SEEDS").is_none() {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/import_workbook");
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name);
    write_xlsx(&path("real.xlsx"), "推荐汇总", &sample_rows()[..2]);
    let mut sheet = vec![xls_dimensions((0, 2), (0, 3))];
    sheet.extend(xls_list());
    write_xls(&path("real.xls"), &sheet);
    let mut sheet = vec![xls_dimensions((0, 4_000_000_000), (0, 3))];
    sheet.extend(xls_list());
    write_xls(&path("dimensions-4e9-rows.xls"), &sheet);
    write_ods(
        &path("real.ods"),
        &format!(
            r#"<table:table table:name="名单"><table:table-row>{}{}{}<table:table-cell table:number-columns-repeated="1021"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>{ODS_END}"#,
            ods_string_cell("企业名称"),
            ods_string_cell("所属区县"),
            ods_string_cell("统一社会信用代码"),
        ),
    );
    write_ods(
        &path("stray-end-tag.ods"),
        &format!(
            r#"<table:table table:name="S"></x><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell></table:table-row>{ODS_END}"#
        ),
    );
    write_ods(
        &path("unclosed-table.ods"),
        &format!(
            r#"<table:table table:name="S"><table:table-row>{}</table:table-row>"#,
            ods_string_cell("x")
        ),
    );
    // A damaged first member, then 20 MB of one-character shared strings.
    let mut broken = Member::stored("docProps/unused.xml", b"<x/>");
    broken.crc ^= 1;
    let unit = b"<si><t>a</t></si>";
    let head = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let times = 1_200_000u64;
    let mut plain = head.to_vec();
    for _ in 0..times {
        plain.extend_from_slice(unit);
    }
    plain.extend_from_slice(b"</sst>");
    let strings = Member {
        name: "xl/sharedStrings.xml".into(),
        method: 8,
        crc: crc32(&plain),
        data: deflate_repeating(head, unit, times, b"</sst>"),
        size: plain.len() as u32,
    };
    let workbook = |first: Option<Member>, strings: Member| {
        let mut members: Vec<Member> = first.into_iter().collect();
        let mut zip =
            zip::ZipArchive::new(std::fs::File::open(path("real.xlsx")).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut m = zip.by_index(i).unwrap();
            if m.name() != "xl/sharedStrings.xml" {
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut m, &mut data).unwrap();
                members.push(Member::stored(m.name(), &data));
            }
        }
        members.push(strings);
        zip_by_hand(&members)
    };
    let copy = Member {
        name: strings.name.clone(),
        method: strings.method,
        crc: strings.crc,
        data: strings.data.clone(),
        size: strings.size,
    };
    std::fs::write(path("damaged-member.xlsx"), workbook(Some(broken), strings)).unwrap();
    std::fs::write(path("many-shared-strings.xlsx"), workbook(None, copy)).unwrap();
}
