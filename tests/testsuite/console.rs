//! The clerk's console of `gazette serve` (issue 28), over plain HTTP against the real
//! binary: who may use it (a loopback `Host`, the console's own origin, the session's
//! token) and a list's changes done through its forms, checked in the files and in the
//! rebuilt pages.

use crate::support::{
    console_post, form_body as form, get, hidden_field, send as send_raw, serve, serve_with,
    wait_for, Fixture, Reply, Serve, CONSOLE, TODAY,
};

const LIST_ID: &str = "2026-q3-application";
const LIST_FILE: &str = "data/lists/2026-q3-application.toml";
const LIST_URL: &str = "/lists/2026-q3-application/";
/// The first enterprise of the minimal site's list.
const WITHDRAWN_NAME: &str = "大连示例最小甲科技有限公司";
const WITHDRAWN_CODE: &str = "91210202MATU8FKPXX";

/// Sends a request exactly as given: `host` as the Host header, `headers` as written.
fn send(
    addr: &str,
    method: &str,
    target: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if method == "POST" {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    head.push_str(body);
    send_raw(addr, head.as_bytes())
}

/// A console open in a browser: its address, and the token its pages carry.
struct Browser<'a> {
    serve: &'a Serve,
    token: String,
}

impl<'a> Browser<'a> {
    fn open(serve: &'a Serve) -> Self {
        let page = get(&serve.addr, CONSOLE);
        assert_eq!(page.status, 200, "{}", page.body);
        let list = get(&serve.addr, &format!("{CONSOLE}list?id={LIST_ID}"));
        let token = hidden_field(&list.body, "token");
        Browser { serve, token }
    }

    /// A POST of the console's own page (same origin, with the token).
    fn post(&self, route: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("token", self.token.as_str())];
        all.extend_from_slice(fields);
        console_post(
            &self.serve.addr,
            route,
            "application/x-www-form-urlencoded",
            form(&all).as_bytes(),
        )
    }
}

fn token_in(html: &str) -> Option<String> {
    let at = html.find("name=\"token\" value=\"")? + "name=\"token\" value=\"".len();
    Some(html[at..at + 32].to_string())
}

#[test]
fn a_rebinding_host_a_foreign_origin_and_a_missing_token_are_refused() {
    let site = Fixture::minimal();
    let s = serve(site.root(), TODAY);
    let browser = Browser::open(&s);
    let before = site.read(LIST_FILE);
    let withdraw = form(&[
        ("token", &browser.token),
        ("id", LIST_ID),
        ("who", "东港"),
        ("reason", "异议成立"),
        ("confirm", "1"),
    ]);

    // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
    let port = s.addr.rsplit(':').next().unwrap();
    let evil = format!("evil.example:{port}");
    let r = send(&s.addr, "GET", CONSOLE, &evil, &[], "");
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        token_in(&r.body).is_none(),
        "the token leaked to a foreign Host"
    );
    // Nor the preview's pages (drafts are shown there).
    let r = send(&s.addr, "GET", "/", &evil, &[], "");
    assert_eq!(r.status, 403, "{}", r.body);
    let local = format!("localhost:{port}");
    assert_eq!(send(&s.addr, "GET", "/", &local, &[], "").status, 200);
    let r = send(
        &s.addr,
        "POST",
        &format!("{CONSOLE}list/withdraw"),
        &evil,
        &[("Origin", &format!("http://{evil}"))],
        &withdraw,
    );
    assert_eq!(r.status, 403);

    // Another site's page posting to the console (CSRF), with or without the token.
    let r = send(
        &s.addr,
        "POST",
        &format!("{CONSOLE}list/withdraw"),
        &s.addr,
        &[("Origin", "http://evil.example")],
        &withdraw,
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains("不是从管理页面发出的"), "{}", r.body);
    let r = send(
        &s.addr,
        "POST",
        &format!("{CONSOLE}list/withdraw"),
        &s.addr,
        &[],
        &withdraw,
    );
    assert_eq!(r.status, 403, "a POST that names no origin");
    // The right token and origin reach the form, which says what is missing.
    let r = browser.post("list/withdraw", &[]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("没有写名单编号"), "{}", r.body);
    let no_token = form(&[
        ("id", LIST_ID),
        ("who", "东港"),
        ("reason", "异议成立"),
        ("confirm", "1"),
    ]);
    let origin = format!("http://{}", s.addr);
    let r = send(
        &s.addr,
        "POST",
        &format!("{CONSOLE}list/withdraw"),
        &s.addr,
        &[("Origin", &origin)],
        &no_token,
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains("页面已过期"), "{}", r.body);
    assert_eq!(
        site.read(LIST_FILE),
        before,
        "a refused request changed the list"
    );

    // The console cannot be framed and the preview's pages link to it.
    let page = get(&s.addr, CONSOLE);
    assert_eq!(page.header("x-frame-options").as_deref(), Some("DENY"));
    assert!(get(&s.addr, "/")
        .body
        .contains("id=\"gazette-console-link\""));
}

#[test]
fn no_console_means_no_console() {
    let site = Fixture::minimal();
    let s = serve_with(site.root(), TODAY, &["--no-console"]);
    let r = get(&s.addr, CONSOLE);
    assert_eq!(r.status, 404);
    assert!(!get(&s.addr, "/").body.contains("gazette-console-link"));
    let r = send(
        &s.addr,
        "POST",
        &format!("{CONSOLE}list/withdraw"),
        &s.addr,
        &[],
        "id=x",
    );
    assert_eq!(r.status, 405);
}

#[test]
fn a_withdrawal_is_previewed_then_written_then_shown_on_the_rebuilt_page() {
    let site = Fixture::minimal();
    let s = serve(site.root(), TODAY);
    let browser = Browser::open(&s);
    let before = site.read(LIST_FILE);
    let overview = get(&s.addr, CONSOLE);
    assert!(
        overview.body.contains("公示中：异议成立时撤回企业"),
        "the list under publicity offers withdrawal"
    );

    // The preview shows the line to be added and writes nothing.
    let fields = [
        ("id", LIST_ID),
        ("who", WITHDRAWN_NAME),
        ("reason", "经核实不符合条件（异议成立）"),
    ];
    let preview = browser.post("list/withdraw", &fields);
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("请确认"), "{}", preview.body);
    assert!(preview.body.contains("<ins><span class=\"mark\">增</span> withdrawn = &quot;经核实不符合条件（异议成立）&quot;</ins>"), "{}", preview.body);
    assert_eq!(site.read(LIST_FILE), before, "a preview wrote the file");

    // Confirmed: written as `gazette list withdraw` writes it, and recorded.
    let mut confirm = fields.to_vec();
    confirm.push(("confirm", "1"));
    let done = browser.post("list/withdraw", &confirm);
    assert_eq!(done.status, 303, "{}", done.body);
    let record = done.header("location").unwrap();
    let after = site.read(LIST_FILE);
    assert!(
        after.contains("withdrawn = \"经核实不符合条件（异议成立）\""),
        "{after}"
    );
    let changes = get(&s.addr, &record);
    assert!(
        changes.body.contains(&format!("已撤回{WITHDRAWN_NAME}")),
        "{}",
        changes.body
    );
    assert!(changes.body.contains(LIST_FILE));
    wait_for(
        &s.addr,
        LIST_URL,
        "the withdrawal on the publicity page",
        |r| r.body.contains("经核实不符合条件（异议成立）"),
    );

    // The same withdrawal again is refused by the library, with its reason, and nothing
    // is written.
    let again = browser.post("list/withdraw", &confirm);
    assert_eq!(again.status, 200);
    assert!(again.body.contains("没有写入任何文件"), "{}", again.body);
    assert!(again.body.contains("[withdraw-twice]"), "{}", again.body);
    assert_eq!(site.read(LIST_FILE), after);

    // A name that matches several enterprises (the minimal list's three all begin so) is
    // asked for in full, and nothing is written.
    let two = browser.post(
        "list/withdraw",
        &[
            ("id", LIST_ID),
            ("who", "大连示例最小"),
            ("reason", "x"),
            ("confirm", "1"),
        ],
    );
    assert_eq!(two.status, 200, "{}", two.body);
    assert!(
        two.body.contains("请写全称或统一社会信用代码"),
        "{}",
        two.body
    );
    assert_eq!(
        site.read(LIST_FILE),
        after,
        "an ambiguous name wrote the file"
    );

    // Restored, then announced before the period ends only when asked to.
    let code = {
        let at = after.find(WITHDRAWN_NAME).unwrap();
        let rest = &after[at..];
        let c = rest.find("credit_code = \"").unwrap() + "credit_code = \"".len();
        rest[c..c + 18].to_string()
    };
    assert_eq!(code, WITHDRAWN_CODE);
    let restored = browser.post(
        "list/restore",
        &[("id", LIST_ID), ("who", &code), ("confirm", "1")],
    );
    assert_eq!(restored.status, 303, "{}", restored.body);
    assert_eq!(
        site.read(LIST_FILE),
        before,
        "restore puts the file back as it was"
    );
    let early = browser.post(
        "list/announce",
        &[
            ("id", LIST_ID),
            ("date", "2026-11-26"),
            ("document", "大工信发〔2026〕99号"),
            ("confirm", "1"),
        ],
    );
    assert!(early.body.contains("没有写入任何文件"), "{}", early.body);
    assert_eq!(
        site.read(LIST_FILE),
        before,
        "an announcement inside the period wrote the file"
    );
    let announced = browser.post(
        "list/announce",
        &[
            ("id", LIST_ID),
            ("date", "2026-12-04"),
            ("document", "大工信发〔2026〕99号"),
            ("force", "1"),
            ("confirm", "1"),
        ],
    );
    assert_eq!(announced.status, 303, "{}", announced.body);
    assert!(site.read(LIST_FILE).contains("大工信发〔2026〕99号"));
    let history = get(&s.addr, &format!("{CONSOLE}changes"));
    assert_eq!(
        history.body.matches("<li value=").count(),
        3,
        "{}",
        history.body
    );
}

#[test]
fn a_draft_is_published_with_its_period_and_objection_deadline_shown_first() {
    let site = Fixture::minimal();
    // A draft of two enterprises, imported by the command.
    let mut text = String::from("序号,企业名称,所属区县,统一社会信用代码\n");
    for i in 1..=2 {
        text.push_str(&format!(
            "{i},大连管理页面测试{i}有限公司,中山区,{}\n",
            crate::support::credit_code("210202", i)
        ));
    }
    let sheet = site.path("incoming/中山区.csv");
    std::fs::create_dir_all(sheet.parent().unwrap()).unwrap();
    std::fs::write(&sheet, text).unwrap();
    crate::support::assert_ok(&site.run(&[
        "import",
        &sheet.to_string_lossy(),
        "--year",
        "2026",
        "--quarter",
        "4",
        "--kind",
        "申报",
    ]));
    let s = serve(site.root(), TODAY);
    let browser = Browser::open(&s);
    let overview = get(&s.addr, CONSOLE);
    assert!(
        overview
            .body
            .contains("id=2026-q4-application#publish\">可以开始公示"),
        "{}",
        overview.body
    );

    // 2026-12-01 (Tuesday) + 5 working days ends on Monday 12-07: shown before writing.
    let fields = [
        ("id", "2026-q4-application"),
        ("start", "2026-12-01"),
        ("days", "5"),
        ("length", "working"),
    ];
    let preview = browser.post("list/publish", &fields);
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("<th scope=\"row\">异议截止</th><td>2026年12月7日"),
        "{}",
        preview.body
    );
    let file = "data/lists/2026-q4-application.toml";
    assert!(site.read(file).contains("draft = true"));
    let mut confirm = fields.to_vec();
    confirm.push(("confirm", "1"));
    let done = browser.post("list/publish", &confirm);
    assert_eq!(done.status, 303, "{}", done.body);
    let text = site.read(file);
    assert!(
        !text.contains("draft = true") && text.contains("end = 2026-12-07"),
        "{text}"
    );
    wait_for(
        &s.addr,
        "/lists/2026-q4-application/",
        "the published list",
        |r| r.status == 200 && r.body.contains("大连管理页面测试1有限公司"),
    );
    // Never part of the built site: a build has no console.
    crate::support::assert_ok(&site.run(&["build", "--today", "2026-12-02"]));
    let public = site.path("public");
    let leaked = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| {
            e.path().to_string_lossy().contains("__gazette")
                || std::fs::read(e.path())
                    .is_ok_and(|b| memchr::memmem::find(&b, b"__gazette").is_some())
        });
    assert!(!leaked, "the built site mentions the console");
}
