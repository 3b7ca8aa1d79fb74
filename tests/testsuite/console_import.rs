//! The console's import page end to end: the real `gazette serve` on the minimal site
//! (`tests/fixtures/minimal/`, whose districts are 中山区 and 金普新区), spreadsheets
//! posted as a browser posts a form with files (`multipart/form-data`, with the page's
//! `Host`, `Origin` and token), previewed, then written; a spreadsheet with a wrong credit
//! code shows the cell and writes nothing.

use crate::support::{
    console_post, credit_code as code, get as support_get, hidden_field as hidden, serve, Fixture,
    Reply, Serve, CONSOLE,
};

const LIST: &str = "data/lists/2026-q4-application.toml";
const PAGE: &str = "/__gazette/console/import";
const BOUNDARY: &str = "----GazetteTestBoundary7MA4YWxkTrZu0gW";

fn get(s: &Serve, target: &str) -> Reply {
    support_get(&s.addr, target)
}

/// A POST as the console's own page sends it (`target` is the whole path).
fn post(s: &Serve, target: &str, content_type: &str, body: &[u8]) -> Reply {
    let route = target.strip_prefix(CONSOLE).expect("a console path");
    console_post(&s.addr, route, content_type, body)
}

/// The import form with `files` (name, bytes), as `multipart/form-data`.
fn import_form(token: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    let mut part = |head: String, content: &[u8]| {
        b.extend_from_slice(format!("--{BOUNDARY}\r\n{head}\r\n\r\n").as_bytes());
        b.extend_from_slice(content);
        b.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"token\"".into(),
        token.as_bytes(),
    );
    for (name, value) in fields {
        part(
            format!("Content-Disposition: form-data; name=\"{name}\""),
            value.as_bytes(),
        );
    }
    for (name, bytes) in files {
        part(
            format!("Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/csv"),
            bytes,
        );
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

const Q4: [(&str, &str); 4] = [
    ("year", "2026"),
    ("batch", "4"),
    ("kind", "application"),
    ("sheet", ""),
];

fn multipart() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

#[test]
fn a_good_spreadsheet_is_previewed_then_written_and_recorded() {
    let f = Fixture::minimal();
    let s = serve(f.root(), "2026-12-07");
    let form = get(&s, PAGE);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("class=\"dropzone\""));
    assert!(
        form.body.contains(".xlsx"),
        "the file field accepts spreadsheets"
    );
    let token = hidden(&form.body, "token");

    let csv = format!(
        "企业名称,统一社会信用代码,所属区县\n大连测试甲有限公司,{},中山区\n大连测试乙有限公司,{},金州区\n",
        code("210202", 1),
        code("210213", 2)
    );
    let body = import_form(
        &token,
        &Q4,
        // A path as some browsers send it: only the file name is kept.
        &[("C:\\桌面\\..\\中山区推荐表.csv", csv.as_bytes())],
    );
    let preview = post(&s, PAGE, &multipart(), &body);
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("请确认"), "{}", preview.body);
    assert!(preview.body.contains("大连测试甲有限公司"));
    assert!(preview.body.contains(&code("210213", 2)));
    assert!(preview.body.contains("第2行") && preview.body.contains("第3行"));
    assert!(
        preview.body.contains("中山区推荐表.csv"),
        "{}",
        preview.body
    );
    assert!(!f.path(LIST).exists(), "a preview writes nothing");

    // Confirming takes only the preview's id: the files are the ones previewed.
    let upload = hidden(&preview.body, "upload");
    let confirm = format!("token={token}&upload={upload}&confirm=1");
    let done = post(
        &s,
        PAGE,
        "application/x-www-form-urlencoded",
        confirm.as_bytes(),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let to = done.header("location").unwrap();
    assert!(to.starts_with("/__gazette/console/changes/"), "{to}");
    let list = f.read(LIST);
    assert!(list.contains("大连测试甲有限公司"), "{list}");
    assert!(list.contains("# 来源：中山区推荐表.csv"), "{list}");
    assert!(
        !list.contains("桌面"),
        "only the file name is kept:\n{list}"
    );
    // Both rows, each under its district (金州区, an old name, written as 金普新区), as a
    // draft.
    let rows: toml::Value = toml::from_str(&list).expect("the list is TOML");
    let rows = rows["enterprise"].as_array().unwrap();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("{name} not in the list:\n{list}"))
    };
    assert_eq!(rows.len(), 2, "{list}");
    assert_eq!(
        row("大连测试甲有限公司")["district"].as_str(),
        Some("中山区")
    );
    assert_eq!(
        row("大连测试乙有限公司")["credit_code"].as_str(),
        Some(code("210213", 2).as_str())
    );
    assert_eq!(
        row("大连测试乙有限公司")["district"].as_str(),
        Some("金普新区")
    );
    assert!(list.contains("draft = true"), "{list}");
    let changes = get(&s, &to);
    assert!(changes.body.contains("2026-q4-application.toml"));
    assert!(changes.body.contains("大连测试乙有限公司"));

    // The id is one-time: a second confirmation writes nothing again.
    let again = post(
        &s,
        PAGE,
        "application/x-www-form-urlencoded",
        confirm.as_bytes(),
    );
    assert_eq!(again.status, 200);
    assert!(
        again.body.contains("已经过期或已经写入过"),
        "{}",
        again.body
    );

    // A body cut short (an upload that did not finish) is refused as such.
    let body = import_form(&token, &Q4, &[("x.csv", csv.as_bytes())]);
    let cut = &body[..body.len() - 10];
    let r = post(&s, PAGE, &multipart(), cut);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("不完整"), "{}", r.body);

    // Without the token, nothing is read.
    let body = import_form("wrong", &Q4, &[("x.csv", csv.as_bytes())]);
    assert_eq!(post(&s, PAGE, &multipart(), &body).status, 403);
}

#[test]
fn a_wrong_credit_code_is_shown_at_its_row_and_column_and_nothing_is_written() {
    let f = Fixture::minimal();
    let s = serve(f.root(), "2026-12-07");
    let token = hidden(&get(&s, PAGE).body, "token");
    let good = code("210202", 1);
    let bad = format!("{}0", &code("210202", 2)[..17]);
    let bad = if bad == code("210202", 2) {
        format!("{}1", &bad[..17])
    } else {
        bad
    };
    // A workbook as a district sends it: a title row above the header.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("推荐汇总").unwrap();
    ws.write(0, 0, "2026年第四季度推荐情况汇总表").unwrap();
    for (c, h) in ["企业名称", "统一社会信用代码", "所属区县"]
        .iter()
        .enumerate()
    {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (r, (name, code)) in [("大连测试甲有限公司", &good), ("大连测试乙有限公司", &bad)]
        .iter()
        .enumerate()
    {
        ws.write(2 + r as u32, 0, *name).unwrap();
        ws.write(2 + r as u32, 1, code.as_str()).unwrap();
        ws.write(2 + r as u32, 2, "中山区").unwrap();
    }
    let xlsx = wb.save_to_buffer().unwrap();
    let body = import_form(&token, &Q4, &[("西岗区.xlsx", &xlsx)]);
    let r = post(&s, PAGE, &multipart(), &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("没有写入任何文件"), "{}", r.body);
    assert!(r.body.contains("西岗区.xlsx"));
    assert!(
        r.body
            .contains("推荐汇总!B4（第4行 B列（统一社会信用代码））"),
        "the cell as Excel names it:\n{}",
        r.body
    );
    assert!(r.body.contains("class=\"bad\""));
    assert!(r.body.contains(&bad));
    assert!(!f.path(LIST).exists(), "all or nothing");
    // The form is offered again, filled in.
    assert!(r
        .body
        .contains("name=\"batch\" min=\"1\" max=\"99\" required value=\"4\""));
}
