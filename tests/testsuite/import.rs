//! `gazette import` and `gazette new list`, driven through the real binary on a copy of
//! the repository's site: spreadsheets are written here with rust_xlsxwriter and as
//! GB18030 CSV, imported, and the written list is read back by `gazette check`/`build`.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};

use crate::support::{
    assert_fails_with, assert_ok, bin, credit_code as code, line_of, snapshot, stderr, with,
    Fixture,
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
    let a = Fixture::new();
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

    let b = Fixture::new();
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
    let f = Fixture::new();
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
            "西岗区".into(),
            good.clone(),
            "".into(),
        ],
        [
            "4".into(),
            "大连测试丁有限公司".into(),
            "沙河口区".into(),
            good.clone(),
            "".into(),
        ],
        [
            "5".into(),
            "大连测试戊有限公司".into(),
            "西岗区".into(),
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
    assert!(
        !f.path(LIST).exists(),
        "nothing may be written when a row is bad"
    );
}

#[test]
fn csv_errors_use_cell_coordinates_without_a_sheet() {
    let f = Fixture::new();
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
    let out = import(&f, &csv, &with(&Q4, &["--district", "西岗区"]));
    assert_ok(&out);
    assert!(f.read(LIST).contains("district = \"西岗区\""));
}

#[test]
fn an_existing_list_is_only_replaced_with_force() {
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let g = Fixture::new();
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
        "庄河市".into(),
        code("210283", 77),
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    for name in ["中山区", "西岗区"] {
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
            "210203"
        };
        ws.write_string(1, 1, code(div, 9)).unwrap();
        ws.write_string(1, 2, name).unwrap();
    }
    wb.save(&two).unwrap();
    assert_fails_with(&import(&f, &two, &Q4), &["2 张工作表", "--sheet"]);
    assert_fails_with(
        &import(&f, &two, &with(&Q4, &["--sheet", "甘井子区"])),
        &["没有名为“甘井子区”的工作表", "西岗区"],
    );
    assert_ok(&import(&f, &two, &with(&Q4, &["--sheet", "西岗区"])));
    let text = f.read(LIST);
    assert!(text.contains("大连测试西岗区有限公司") && !text.contains("大连测试中山区有限公司"));

    // Not a spreadsheet.
    let pdf = tmp_file(&f, "名单.pdf");
    std::fs::write(&pdf, "%PDF-1.4").unwrap();
    assert_fails_with(&import(&f, &pdf, &Q4), &["不是表格"]);
}

#[test]
fn import_output_is_deterministic() {
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
    let f = Fixture::new();
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
