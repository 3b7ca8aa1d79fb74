//! `gazette serve` end to end: the real binary on a free port against a temporary copy of
//! the minimal site (`tests/fixtures/minimal/`), driven over plain HTTP (raw request lines, so traversal attempts
//! reach the server exactly as written).

use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{get, serve, snapshot, wait_for, Fixture, Serve, TODAY};

const LIST: &str = "data/lists/2026-q3-application.toml";
const LIST_URL: &str = "/lists/2026-q3-application/";
const FIRST_NAME: &str = "大连示例最小甲科技有限公司";
/// The one row of `LIST` in this district (so an edit of it is unambiguous).
const LONE_DISTRICT: &str = "district = \"金普新区\"";

fn start(root: &Path) -> Serve {
    serve(root, TODAY)
}

/// The text inside the error banner's <pre>, unescaped.
fn banner_text(html: &str) -> String {
    let start = html
        .find("id=\"gazette-build-error\"")
        .expect("no error banner");
    let pre = start + html[start..].find("<pre").unwrap();
    let open = pre + html[pre..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</pre>").unwrap();
    html[open..close]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn serves_the_built_site_from_memory() {
    let site = Fixture::minimal();
    let before = snapshot(site.root());
    let s = start(site.root());
    let home = get(&s.addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control").as_deref(), Some("no-store"));
    // The fixture's own home page (its title), not some other site.
    assert!(home.body.contains("创新型中小企业（最小示例站点）"));
    assert!(home.body.contains("/__gazette/livereload.js"));
    // Links point at the preview, not at the published domain.
    assert!(home.body.contains(&format!("http://{}/", s.addr)));

    let list = get(&s.addr, LIST_URL);
    assert_eq!(list.status, 200);
    assert!(list.body.contains(FIRST_NAME));

    let css = get(&s.addr, "/assets/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(
        !css.body.contains("livereload"),
        "only HTML gets the script"
    );
    let js = get(&s.addr, "/__gazette/livereload.js");
    assert_eq!(js.status, 200);
    assert!(js.body.contains("/__gazette/poll"));

    let moved = get(&s.addr, "/lists");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location").as_deref(), Some("/lists/"));

    let missing = get(&s.addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("页面不存在"),
        "the site's own 404 page"
    );

    // Nothing was written into, changed in or removed from the site folder (no public/, no
    // temp files): every file and its bytes as they were before serving.
    assert!(!site.root().join("public").exists());
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn paths_outside_the_site_are_refused() {
    let site = Fixture::minimal();
    let s = start(site.root());
    for target in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/lists/../../../etc/passwd",
        "/..\\..\\etc\\passwd",
        "/%5c..%5c..%5cetc%5cpasswd",
        "/index.html%00",
        "/%252e%252e/%252e%252e/etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
    ] {
        let r = get(&s.addr, target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target} answered {}",
            r.status
        );
        assert!(
            !r.body.contains("root:x:0:0") && !r.body.contains("/bin/"),
            "{target} leaked a file"
        );
    }
    assert_eq!(get(&s.addr, "/../../etc/passwd").status, 400);
    assert_eq!(get(&s.addr, "/%2e%2e/%2e%2e/etc/passwd").status, 400);
    assert_eq!(get(&s.addr, "/..%2f..%2fetc/passwd").status, 400);
}

#[test]
fn a_broken_edit_shows_the_check_report_and_keeps_the_last_good_site() {
    let site = Fixture::minimal();
    let s = start(site.root());
    // A good edit is picked up.
    site.edit(LIST, FIRST_NAME, "大连示例改名测试有限公司");
    wait_for(&s.addr, LIST_URL, "the renamed enterprise", |r| {
        r.body.contains("大连示例改名测试有限公司")
    });

    // A broken edit: the banner appears on every page, the last good content stays.
    assert_eq!(site.read(LIST).matches(LONE_DISTRICT).count(), 1);
    site.edit(LIST, LONE_DISTRICT, "district = \"不存在区\"");
    // (The edit truncates, then writes: a rebuild may first see a half-written file, and
    // its banner says so until the next one. Wait for the banner about this value.)
    let broken = wait_for(&s.addr, LIST_URL, "the error banner", |r| {
        r.body.contains("gazette-build-error") && r.body.contains("不存在区")
    });
    assert_eq!(broken.status, 200);
    assert!(broken.body.contains("大连示例改名测试有限公司"));
    let shown = banner_text(&broken.body);
    assert!(shown.contains(LIST), "names the file:\n{shown}");
    assert!(shown.contains("不存在区"), "quotes the bad value:\n{shown}");
    let home = get(&s.addr, "/");
    assert!(home.body.contains("gazette-build-error"));

    // Exactly what `gazette check` prints.
    let check = site.check();
    assert_eq!(check.status.code(), Some(1));
    // (`check` closes with what to do; the banner says it in its own words.)
    let printed = String::from_utf8_lossy(&check.stderr);
    assert_eq!(shown, printed[..printed.rfind("请改正").unwrap()]);

    // Fixing it removes the banner.
    site.edit(LIST, "district = \"不存在区\"", LONE_DISTRICT);
    let fixed = wait_for(&s.addr, LIST_URL, "the banner to go", |r| {
        !r.body.contains("gazette-build-error")
    });
    assert_eq!(fixed.status, 200);
    assert!(fixed.body.contains("大连示例改名测试有限公司"));
}

#[test]
fn a_waiting_page_is_told_to_reload_only_once_the_new_site_is_served() {
    let site = Fixture::minimal();
    let s = start(site.root());
    let page = get(&s.addr, LIST_URL);
    assert!(page.body.contains(FIRST_NAME), "{}", page.body);
    let token = page
        .body
        .split("data-since=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("page carries its version")
        .to_string();
    let addr = s.addr.clone();
    let poll = std::thread::spawn(move || get(&addr, &format!("/__gazette/poll?since={token}")));
    std::thread::sleep(Duration::from_millis(300));
    site.edit(LIST, FIRST_NAME, "大连示例轮询测试有限公司");
    let answer = poll.join().unwrap();
    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("\"reload\":true"), "{}", answer.body);
    // The very next request already sees the finished rebuild.
    let next = get(&s.addr, LIST_URL);
    assert!(next.body.contains("大连示例轮询测试有限公司"));
    assert!(!next.body.contains(FIRST_NAME), "the old name is gone");
    // A page from a stale version is told at once (a change is never missed).
    let stale = get(&s.addr, "/__gazette/poll?since=old-1");
    assert!(stale.body.contains("\"reload\":true"));
}

#[test]
fn a_failed_first_build_serves_the_report_until_fixed() {
    let site = Fixture::minimal();
    site.edit("data/site.toml", "page_size = 500", "page_size = \"多\"");
    let s = start(site.root());
    let r = get(&s.addr, "/");
    assert_eq!(r.status, 503);
    assert!(banner_text(&r.body).contains("data/site.toml"));
    assert!(r.body.contains("/__gazette/livereload.js"));
    site.edit("data/site.toml", "page_size = \"多\"", "page_size = 500");
    wait_for(&s.addr, "/", "the site after the fix", |r| {
        r.status == 200 && !r.body.contains("gazette-build-error")
    });
}

#[test]
fn editor_swap_files_do_not_trigger_rebuilds() {
    let site = Fixture::minimal();
    let s = start(site.root());
    std::fs::write(site.root().join("data/.site.toml.swp"), "garbage = [").unwrap();
    std::fs::write(site.root().join("data/site.toml~"), "garbage = [").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let rebuilt = s.log.try_iter().any(|l| l.contains("changed"));
    assert!(!rebuilt, "a swap file caused a rebuild");
}

#[test]
fn ctrl_c_stops_the_server_and_leaves_nothing_behind() {
    let site = Fixture::minimal();
    let mut s = start(site.root());
    assert_eq!(get(&s.addr, "/").status, 200);
    let status = Command::new("kill")
        .args(["-INT", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if s.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(TcpStream::connect(&s.addr).is_err(), "the port is released");
    assert!(!site.root().join("public").exists());
}

#[test]
fn drafts_are_previewed_marked_and_named() {
    let site = Fixture::minimal();
    let q3 = site.root().join("data/lists/2026-q3-application.toml");
    let text = std::fs::read_to_string(&q3).unwrap();
    std::fs::write(
        &q3,
        text.replace("sample = true", "sample = true\ndraft = true"),
    )
    .unwrap();
    let s = start(site.root());
    let list = get(&s.addr, "/lists/2026-q3-application/");
    assert_eq!(list.status, 200, "the preview shows drafts");
    assert!(list.body.contains("draft-banner") && list.body.contains("草稿"));
    let publicity = get(&s.addr, "/lists/2026-q3-application/publicity/");
    assert!(publicity.body.contains("draft-banner"));
    let lists = get(&s.addr, "/lists/");
    assert!(lists.body.contains("tag-draft"));
    // The first build's report names the draft.
    assert!(
        s.early
            .iter()
            .any(|l| l.contains("2026-q3-application") && l.contains("草稿")),
        "serve names the draft it previews:\n{}",
        s.early.join("\n")
    );
}

/// A `--root` that is no site, or no folder at all, is a wrong command line (exit 2) that
/// says what `--root` should name; nothing is served.
#[test]
fn a_root_that_is_no_site_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("没有这个文件夹");
    for (root, says) in [
        (empty.path(), "不像是网站文件夹"),
        (missing.as_path(), "找不到网站文件夹"),
    ] {
        let o = crate::support::bin()
            .args(["serve", "--port", "0", "--no-console", "--root"])
            .arg(root)
            .output()
            .unwrap();
        crate::support::assert_exit(
            &o,
            2,
            &[says, "--root 要指向包含 content/ 和 data/ 的文件夹"],
        );
    }
}
