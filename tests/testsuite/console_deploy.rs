//! The clerk's console (issue 28): building and deploying from the browser, next year's
//! notice, a rename. The real `gazette serve` on the minimal site (with an announced
//! list), driven with the requests a browser sends for a plain HTML form (same-origin,
//! with the page's token), checking the files each step writes.

use crate::support::{
    assert_ok, console_post, enterprise_rows, form_body, get, hidden_field as field, serve,
    serve_with_env, wait_for, Fixture, Reply, Serve, CONSOLE,
};

/// An enterprise of the minimal site's list (under publicity) that `announced` also puts
/// on an announced list, so that it holds a title a revocation can take away.
const CODE: &str = "91210202MATU8FKPXX";
const NAME: &str = "大连示例最小甲科技有限公司";

/// The minimal site with an announced list of `CODE` (batch 1, announced 2026-05-20).
fn announced() -> Fixture {
    let site = Fixture::minimal();
    site.write(
        "data/lists/2026-q1-application.toml",
        &format!(
            "year = 2026\nbatch = 1\nkind = \"application\"\nstage = \"announced\"\nsample = true\n\n[publicity]\nstart = 2026-04-20\nworking_days = 5\n\n[announcement]\ndate = 2026-05-20\ndocument = \"示例文号（大工信发〔2026〕示例号）\"\n{}",
            enterprise_rows(&[(NAME, CODE, "中山区")])
        ),
    );
    assert_ok(&site.check());
    site
}

/// The server on `root` as of 2026-12-07.
fn start(root: &std::path::Path) -> Serve {
    serve(root, "2026-12-07")
}

/// A console page (`path` under the console, with its query).
fn request(addr: &str, path: &str) -> Reply {
    get(addr, &format!("{CONSOLE}{path}"))
}

fn post(addr: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
    console_post(
        addr,
        path,
        "application/x-www-form-urlencoded",
        form_body(fields).as_bytes(),
    )
}

#[test]
fn builds_then_deploys_to_a_folder_after_showing_the_plan() {
    let site = announced();
    let target = tempfile::tempdir().unwrap();
    let to = target.path().join("www");
    let to_text = to.to_str().unwrap().to_string();
    let s = start(site.root());

    let page = request(&s.addr, "deploy");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("生成网站"), "{}", page.body);
    let token = field(&page.body, "token");

    // Without the token nothing runs.
    let refused = post(&s.addr, "deploy/build", &[]);
    assert_eq!(refused.status, 403);
    assert!(!site.path("public").exists());

    let built = post(&s.addr, "deploy/build", &[("token", &token)]);
    assert_eq!(built.status, 200);
    assert!(built.body.contains("已生成网站"), "{}", built.body);
    assert!(site.path("public/.gazette-output").is_file());
    assert!(site.path("public/index.html").is_file());

    let plan = post(
        &s.addr,
        "deploy/plan",
        &[("token", &token), ("to", &to_text)],
    );
    assert_eq!(plan.status, 200);
    assert!(plan.body.contains("请确认部署计划"), "{}", plan.body);
    assert!(plan.body.contains("要上传的文件"), "{}", plan.body);
    assert!(plan.body.contains("index.html（新增"), "{}", plan.body);
    assert!(plan.body.contains("<details>"), "a long list is folded");
    assert!(plan.body.contains("确认部署"));
    // The plan changed nothing.
    assert!(!to.join("index.html").exists());

    let fingerprint = field(&plan.body, "plan");
    // A confirmation of another plan is shown the real one, not run.
    let stale = post(
        &s.addr,
        "deploy/run",
        &[("token", &token), ("to", &to_text), ("plan", "0")],
    );
    assert!(
        stale.body.contains("部署计划在确认前有了变化"),
        "{}",
        stale.body
    );
    assert!(!to.join("index.html").exists());

    let started = post(
        &s.addr,
        "deploy/run",
        &[("token", &token), ("to", &to_text), ("plan", &fingerprint)],
    );
    // The deploy runs in the background; the confirmation leads to its progress page,
    // which shows the outcome once it has ended.
    assert_eq!(started.status, 303, "{}", started.body);
    assert_eq!(
        started.header("location").as_deref(),
        Some("/__gazette/console/deploy/progress")
    );
    let done = wait_for(
        &s.addr,
        &format!("{CONSOLE}deploy/progress"),
        "the outcome",
        |r| r.body.contains("部署结果"),
    );
    assert!(done.body.contains("部署完成"), "{}", done.body);
    assert!(!done.body.contains("data-deploy-running"));
    assert_eq!(
        std::fs::read(to.join("index.html")).unwrap(),
        std::fs::read(site.path("public/index.html")).unwrap()
    );
    assert!(to.join("lists/2026-q1-application/index.html").is_file());

    // Recorded in the session's changes.
    let changes = request(&s.addr, "changes");
    assert!(changes.body.contains("部署到"), "{}", changes.body);

    // A second deploy has nothing to do.
    let again = post(
        &s.addr,
        "deploy/plan",
        &[("token", &token), ("to", &to_text)],
    );
    assert!(
        again.body.contains("正式网站已经是最新的"),
        "{}",
        again.body
    );
    assert!(!again.body.contains("确认部署"));

    // A relative folder is refused (it would depend on where serve was started).
    let relative = post(&s.addr, "deploy/plan", &[("token", &token), ("to", "www")]);
    assert!(
        relative.body.contains("不是完整的路径"),
        "{}",
        relative.body
    );
}

#[test]
fn shows_a_running_deploy_s_progress_and_stops_it_on_request() {
    let site = Fixture::minimal();
    let target = tempfile::tempdir().unwrap();
    let to = target.path().join("www");
    let to_text = to.to_str().unwrap().to_string();
    assert_ok(&site.run(&["build", "--today", "2026-12-07"]));
    // The deploy pauses after two uploads (the same test hook as `gazette deploy`'s), so
    // that the page can be looked at while it runs.
    let s = serve_with_env(
        site.root(),
        "2026-12-07",
        &[],
        &[("GAZETTE_TEST_DEPLOY_PAUSE_AFTER", "2")],
    );
    let token = field(&request(&s.addr, "deploy").body, "token");
    // Nothing has been deployed in this session: the progress page leads to the deploy page.
    let none = request(&s.addr, "deploy/progress");
    assert_eq!(none.status, 303);

    let plan = post(
        &s.addr,
        "deploy/plan",
        &[("token", &token), ("to", &to_text)],
    );
    let fingerprint = field(&plan.body, "plan");
    let started = post(
        &s.addr,
        "deploy/run",
        &[("token", &token), ("to", &to_text), ("plan", &fingerprint)],
    );
    assert_eq!(started.status, 303, "{}", started.body);

    let running = wait_for(
        &s.addr,
        &format!("{CONSOLE}deploy/progress"),
        "the pause",
        |r| r.body.contains("data-paused=\"2\""),
    );
    assert!(running.body.contains("正在部署"), "{}", running.body);
    assert!(running.body.contains("data-deploy-running"));
    // Uploads run in parallel: the ones under way when the pause came still finish.
    let uploaded: usize = between(&running.body, "已上传 ", " 个文件")
        .parse()
        .unwrap();
    assert!(uploaded >= 2, "{}", running.body);
    assert!(
        running.body.contains(&format!("value=\"{uploaded}\"")),
        "the bar shows what the figures say: {}",
        running.body
    );
    assert!(running.body.contains("刷新进度"));
    // The deploy page says a deploy is under way and links its progress; a build waits.
    let page = request(&s.addr, "deploy");
    assert!(page.body.contains("查看部署进度"), "{}", page.body);
    let build = post(&s.addr, "deploy/build", &[("token", &token)]);
    assert!(
        build.body.contains("正在部署，部署完成后才能重新生成网站"),
        "{}",
        build.body
    );
    // The stop button needs the token like every change.
    assert_eq!(post(&s.addr, "deploy/stop", &[]).status, 403);

    let stop = post(&s.addr, "deploy/stop", &[("token", &token)]);
    assert_eq!(stop.status, 303);
    let ended = wait_for(
        &s.addr,
        &format!("{CONSOLE}deploy/progress"),
        "the outcome",
        |r| r.body.contains("部署结果"),
    );
    assert!(ended.body.contains("部署没有完成"), "{}", ended.body);
    assert!(ended.body.contains("停止部署"), "{}", ended.body);
    // Two files went up, nothing was deleted, the entry page was not replaced.
    assert!(!to.join("index.html").exists());
    let changes = request(&s.addr, "changes");
    assert!(changes.body.contains("没有完成"), "{}", changes.body);
}

/// The text between the first `from` and the next `to`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let rest = &text[text.find(from).expect(from) + from.len()..];
    &rest[..rest.find(to).expect(to)]
}

#[test]
fn records_a_rename_and_scaffolds_next_years_notice_after_a_preview() {
    let site = announced();
    let s = start(site.root());
    let overview = request(&s.addr, "");
    assert!(
        overview.body.contains("records#rename"),
        "{}",
        overview.body
    );
    let page = request(&s.addr, "records");
    assert_eq!(page.status, 200);
    let token = field(&page.body, "token");

    let changes = site.path("data/changes/2026.toml");
    let before = std::fs::read_to_string(&changes).ok();
    let rename = [
        ("token", token.as_str()),
        ("code", CODE),
        ("to", "大连示例最小甲科技股份有限公司"),
        ("date", "2026-12-01"),
        ("from", ""),
        ("document", ""),
    ];
    let preview = post(&s.addr, "records/rename", &rename);
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("确认写入"), "{}", preview.body);
    assert!(preview.body.contains("data/changes/2026.toml"));
    assert!(preview.body.contains(NAME), "{}", preview.body);
    assert_eq!(
        std::fs::read_to_string(&changes).ok(),
        before,
        "a preview writes nothing"
    );

    let mut confirm = rename.to_vec();
    confirm.push(("confirm", "1"));
    let done = post(&s.addr, "records/rename", &confirm);
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(
        done.headers.contains(&format!("{CONSOLE}changes/")),
        "{}",
        done.headers
    );
    let text = std::fs::read_to_string(&changes).unwrap();
    assert!(text.contains("大连示例最小甲科技股份有限公司"), "{text}");
    assert!(text.contains(CODE), "{text}");

    // An unknown code is refused with the library's reason; nothing is written.
    let unknown = post(
        &s.addr,
        "records/rename",
        &[
            ("token", &token),
            ("code", "91210202MATU8FKPXY"),
            ("to", "某公司"),
            ("date", "2026-12-01"),
        ],
    );
    assert!(
        unknown.body.contains("没有写入任何文件"),
        "{}",
        unknown.body
    );
    assert_eq!(std::fs::read_to_string(&changes).unwrap(), text);

    // A revocation, previewed then written, and shown on the rebuilt enterprise page.
    let revoke = [
        ("token", token.as_str()),
        ("code", CODE),
        ("date", "2026-12-03"),
        ("reason", "提供虚假材料"),
        ("programme", ""),
        ("document", "大工信发〔2026〕130号"),
    ];
    let preview = post(&s.addr, "records/revoke", &revoke);
    assert!(preview.body.contains("提供虚假材料"), "{}", preview.body);
    assert_eq!(
        std::fs::read_to_string(&changes).unwrap(),
        text,
        "a preview writes nothing"
    );
    let mut confirm = revoke.to_vec();
    confirm.push(("confirm", "1"));
    let done = post(&s.addr, "records/revoke", &confirm);
    assert_eq!(done.status, 303, "{}", done.body);
    let text = std::fs::read_to_string(&changes).unwrap();
    assert!(
        text.contains("提供虚假材料") && text.contains("大工信发〔2026〕130号"),
        "{text}"
    );
    crate::support::wait_for(
        &s.addr,
        &format!("/enterprises/{CODE}/"),
        "the revocation on the enterprise page",
        |r| r.body.contains("已撤销"),
    );

    let notice = [
        ("token", token.as_str()),
        ("programme", "innovative"),
        ("year", "2027"),
    ];
    let preview = post(&s.addr, "records/notice", &notice);
    assert!(
        preview
            .body
            .contains("content/notices/innovative/2027/index.md"),
        "{}",
        preview.body
    );
    assert!(!site.path("content/notices/innovative/2027").exists());
    let mut confirm = notice.to_vec();
    confirm.push(("confirm", "1"));
    let done = post(&s.addr, "records/notice", &confirm);
    assert_eq!(done.status, 303, "{}", done.body);
    let page = site.read("content/notices/innovative/2027/index.md");
    assert!(page.contains("draft = true"), "{page}");
}
