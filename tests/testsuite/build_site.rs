//! The real default site, built by the real binary: pages, content, metadata, safety.

use crate::support::*;

fn built() -> Fixture {
    let f = Fixture::new();
    assert_ok(&f.build());
    f
}

#[test]
fn builds_every_kind_of_page() {
    let f = built();
    for page in [
        "index.html",
        "notices/innovative/2026/index.html",
        "notices/innovative/2026/criteria/index.html",
        "contacts/index.html",
        "lists/index.html",
        "districts/index.html",
        "districts/中山区/index.html",
        "search/index.html",
        "404.html",
        "lists/2026-q3-application/index.html",
        "lists/2026-q3-application/publicity/index.html",
        "lists/2026-q1-application/index.html",
        "lists/2026-q2-review/index.html",
        "feed.xml",
        "calendar.ics",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(
            f.path(&format!("public/{page}")).is_file(),
            "missing {page}"
        );
    }
    for html in [
        "index.html",
        "notices/innovative/2026/index.html",
        "lists/index.html",
    ] {
        let h = f.out(html);
        assert!(
            h.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
            "{html}"
        );
        assert!(h.contains("<meta charset=\"utf-8\">"));
        assert!(h.contains("<main id=\"main\""));
        assert!(h.contains("<meta name=\"SiteName\" content=\"大连市创新型中小企业申报和复核\">"));
    }
}

#[test]
fn notice_page_has_the_full_structured_text() {
    let f = built();
    let h = f.out("notices/innovative/2026/index.html");
    for needle in [
        "大连市工业和信息化局关于做好2026年度创新型中小企业申报和复核工作的通知",
        "各区市县（先导区）中小企业主管部门：",
        "一、申报条件",
        "二、申报时间",
        "三、组织实施",
        "四、工作要求",
        "辽工信企业〔2026〕8号",
        "每季度首日00:00—每季度末日24:00",
        "href=\"https://zjtx.miit.gov.cn\"",
        "2026年5月31日前",
        "待科技和创新型中小企业有关要求和标准发布后",
        "2026年2月2日",
        "联系人：田邯郸",
        "（此件公开发布）",
        "<meta name=\"PubDate\" content=\"2026-02-02 00:00\">",
        "<meta name=\"ContentSource\" content=\"大连市工业和信息化局\">",
    ] {
        assert!(h.contains(needle), "notice lacks {needle:?}");
    }
    // The seed's slips are fixed and each fix is recorded.
    let body = h.split("class=\"corrections\"").next().unwrap();
    for slip in [
        "要求 and 标准",
        "工业和和信息化局",
        "市工业和信息局",
        "2026 年度",
        "(四)",
    ] {
        assert!(
            !body.contains(slip),
            "slip {slip:?} still in the notice text"
        );
    }
    assert!(h.contains("文本校对说明"));
    // The contact table is a real table built from data/districts.toml.
    assert!(h.contains("<caption>各区市县（先导区）主管部门咨询电话</caption>"));
    assert!(h.contains("<th scope=\"col\">办公电话</th>"));
    assert_eq!(
        h.matches("<th scope=\"row\"><a href=\"/districts/").count(),
        13
    );
    assert!(h.contains("href=\"tel:+86-411-8256-5782\">0411-82565782</a>"));
    assert!(h.contains("href=\"tel:+86-411-8757-6082\">0411-87576082</a>"));
    assert!(h.contains("href=\"tel:+86-411-8853-0195\">0411-88530195</a>"));
    assert!(h.contains("href=\"tel:+86-24-8690-6657\">024-86906657</a>"));
    // Attachments: 1 is the on-line worksheet, 2–4 are not yet published.
    assert!(h.contains("href=\"/notices/innovative/2026/criteria/#self-assessment\">辽宁省创新型中小企业自评表</a>"));
    assert_eq!(h.matches("尚未发布</span>").count(), 3);
}

#[test]
fn contacts_are_rendered_from_the_data_file() {
    let f = Fixture::new();
    f.edit("data/districts.toml", "\"82565782\"", "\"82565783\"");
    assert_ok(&f.build());
    let h = f.out("contacts/index.html");
    assert!(h.contains("tel:+86-411-8256-5783"));
    assert!(!h.contains("tel:+86-411-8256-5782"));
    assert!(h.contains("田邯郸") && h.contains("tel:+86-411-8368-6040"));
}

#[test]
fn criteria_page_comes_from_criteria_toml() {
    let f = built();
    let h = f.out("notices/innovative/2026/criteria/index.html");
    for needle in [
        "创新能力（满分40分，不低于20分）",
        "成长性（满分30分，不低于15分）",
        "专业化（满分30分，不低于15分）",
        "Ⅰ类高价值知识产权1项以上",
        "属于《战略性新兴产业分类》",
        "id=\"self-assessment\"",
        "2026-04-01",
        "直通条件",
    ] {
        assert!(h.contains(needle), "criteria lacks {needle:?}");
    }
    // Six indicators, each a radio group; direct conditions as checkboxes.
    let radios = h.matches("type=\"radio\"").count();
    assert_eq!(radios, 5 + 5 + 5 + 3 + 2 + 5, "one radio per band");
    assert_eq!(h.matches("type=\"checkbox\" name=\"direct\"").count(), 4);

    // Not hard-coded: change a band in the data and the page follows.
    let g = Fixture::new();
    g.edit(
        "data/notices/innovative/2026/criteria.toml",
        "5%以上",
        "6%以上（测试）",
    );
    assert_ok(&g.build());
    assert!(g
        .out("notices/innovative/2026/criteria/index.html")
        .contains("6%以上（测试）"));
}

#[test]
fn home_page_key_dates_follow_the_build_date() {
    let f = Fixture::new();
    assert_ok(&f.run(&["build", "--today", "2026-04-05"]));
    let h = f.out("index.html");
    let notice = f.out("notices/innovative/2026/index.html");
    let state_of = |page: &str, title: &str| -> String {
        let row = page
            .split(title)
            .nth(1)
            .unwrap_or_else(|| panic!("{title} missing"));
        let label = row.split("class=\"status-label\">").nth(1).unwrap();
        label.split('<').next().unwrap().to_string()
    };
    // The home page shows what has not ended (issue 27, item 8); the notice page all.
    assert!(
        !h.contains("第一季度申报和复核"),
        "an ended key date on the home page"
    );
    assert_eq!(state_of(&notice, "第一季度申报和复核"), "已结束");
    for page in [&h, &notice] {
        assert_eq!(state_of(page, "第二季度申报和复核"), "进行中");
        assert_eq!(state_of(page, "第三季度申报和复核"), "未开始");
        assert_eq!(state_of(page, "第一季度区县推荐截止"), "进行中");
        assert!(page.contains("2026年4月10日前"));
        assert_eq!(state_of(page, "有效期内企业更新信息截止"), "进行中");
    }
    assert_ok(&f.run(&["build", "--today", "2026-06-01"]));
    let h = f.out("index.html");
    assert!(!h.contains("有效期内企业更新信息截止"));
    let notice = f.out("notices/innovative/2026/index.html");
    let row = notice.split("有效期内企业更新信息截止").nth(1).unwrap();
    assert!(row.contains(">已结束<"));
}

#[test]
fn no_request_to_another_host() {
    let f = built();
    for entry in walkdir::WalkDir::new(f.path("public")) {
        let entry = entry.unwrap();
        if entry
            .path()
            .extension()
            .is_some_and(|e| e == "html" || e == "css" || e == "js")
        {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for attr in [
                "src=\"http",
                "href=\"//",
                "src=\"//",
                "@import",
                "url(http",
                "url(//",
            ] {
                assert!(
                    !text.contains(attr),
                    "{} loads from elsewhere: {attr}",
                    entry.path().display()
                );
            }
            for tag in text.split("<link ").skip(1) {
                let tag = tag.split('>').next().unwrap();
                if tag.contains("stylesheet") || tag.contains("preload") || tag.contains("icon") {
                    assert!(!tag.contains("href=\"http"), "{tag}");
                }
            }
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let f = built();
    // The site, without Gazette's record of the files it wrote (`.gazette-output`: their
    // hashes with the times and inodes they got, which no two builds share).
    let site = |dir: &std::path::Path| {
        let mut files = snapshot(dir);
        files.retain(|(path, _)| path != ".gazette-output");
        files
    };
    let public = f.path("public");
    let first = site(&public);
    // The second build writes a new tree; the third rewrites the first one's in place.
    for _ in 0..2 {
        assert_ok(&f.build());
        let again = site(&public);
        assert_eq!(first.len(), again.len());
        for (a, b) in first.iter().zip(&again) {
            assert_eq!(a.0, b.0);
            assert!(a.1 == b.1, "{} differs between builds", a.0);
        }
    }
}

#[test]
fn sub_path_base_url_prefixes_every_link() {
    let f = Fixture::new();
    assert_ok(&f.run(&[
        "build",
        "--today",
        TODAY,
        "--base-url",
        "https://example.gov.cn/cxzx/",
    ]));
    let h = f.out("lists/index.html");
    assert!(h.contains("href=\"/cxzx/lists/2026-q3-application/\""));
    assert!(h.contains("href=\"/cxzx/assets/style.css?v="));
    assert!(h.contains("<link rel=\"canonical\" href=\"https://example.gov.cn/cxzx/lists/\">"));
    assert!(!h.contains("href=\"/lists/"), "a link misses the base path");
    assert!(f
        .out("sitemap.xml")
        .contains("<loc>https://example.gov.cn/cxzx/notices/innovative/2026/</loc>"));
}

#[test]
fn out_and_root_are_relative_to_the_current_folder() {
    let f = Fixture::minimal();
    let o = bin()
        .current_dir(f.root())
        .args([
            "build", "--root", ".", "--out", "site-out", "--today", TODAY,
        ])
        .output()
        .unwrap();
    assert_ok(&o);
    assert!(f.path("site-out/index.html").is_file());
}

#[test]
fn refuses_dangerous_output_folders() {
    let f = Fixture::minimal();
    let root = f.root().to_str().unwrap().to_string();
    let o = f.run(&["build", "--out", &root]);
    assert_fails_with(&o, &["refusing"]);
    std::fs::create_dir_all(f.path("mine")).unwrap();
    f.write("mine/notes.txt", "keep me");
    let o = f.run(&["build", "--out", f.path("mine").to_str().unwrap()]);
    assert_fails_with(&o, &["not empty", "not made by Gazette"]);
    assert_eq!(f.read("mine/notes.txt"), "keep me");
    assert!(f.path("content/notices/innovative/2026/index.md").is_file());
}

#[test]
fn failed_build_leaves_the_previous_site_byte_identical() {
    let f = built();
    let before = snapshot(&f.path("public"));
    // A data error: nothing is written.
    f.edit(
        "data/lists/2026-q3-application.toml",
        "batch = 3",
        "batch = 9",
    );
    assert_eq!(f.build().status.code(), Some(1));
    assert_eq!(snapshot(&f.path("public")), before);
    // A crash after rendering, just before the switch: the old site is still there.
    f.edit(
        "data/lists/2026-q3-application.toml",
        "batch = 9",
        "batch = 3",
    );
    f.edit(
        "data/site.toml",
        "name = \"大连市创新型中小企业申报和复核\"",
        "name = \"改名后的站点\"",
    );
    let o = bin()
        .args(["build", "--today", TODAY, "--root"])
        .arg(f.root())
        .env("GAZETTE_FAIL_AT", "before-publish")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert_eq!(snapshot(&f.path("public")), before);
    // The next good build replaces it and cleans the abandoned staging folder.
    assert_ok(&f.build());
    assert!(f.out("index.html").contains("改名后的站点"));
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn atom_feed_and_icalendar_parse_and_hold_the_key_dates() {
    let f = built();
    let feed = f.out("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed.xml is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert!(entries.len() >= 5, "notice + list events");
    let mut ids = std::collections::HashSet::new();
    for e in &entries {
        let id = e
            .children()
            .find(|n| n.has_tag_name("id"))
            .unwrap()
            .text()
            .unwrap();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        assert!(e.children().any(|n| n.has_tag_name("updated")));
    }
    assert!(feed.contains("tag:gxj.dl.gov.cn,2026:list/2026-q3-application/publicity"));

    let ics = f.out("calendar.ics");
    assert!(ics.contains("\r\n"), "CRLF line ends");
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = parser
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    let summaries: Vec<String> = cal
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .find(|p| p.name == "SUMMARY")
                .and_then(|p| p.value.clone())
                .unwrap()
        })
        .collect();
    let prop = |summary: &str, name: &str| -> String {
        let e = cal
            .events
            .iter()
            .find(|e| {
                e.properties
                    .iter()
                    .any(|p| p.name == "SUMMARY" && p.value.as_deref() == Some(summary))
            })
            .unwrap_or_else(|| panic!("no event {summary}: {summaries:?}"));
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap()
    };
    assert_eq!(prop("第一季度申报和复核", "DTSTART"), "20260101");
    assert_eq!(prop("第一季度申报和复核", "DTEND"), "20260401");
    assert_eq!(prop("第四季度申报和复核", "DTEND"), "20270101");
    assert_eq!(
        prop("有效期内企业更新信息截止", "DTSTART"),
        "20260531T230000"
    );
    assert_eq!(prop("第一季度区县推荐截止", "DTSTART"), "20260410T230000");
    let pub_title = "公示期：2026年第三季度创新型中小企业申报拟公告名单公示（示例数据）";
    assert_eq!(prop(pub_title, "DTSTART"), "20261123");
    assert_eq!(prop(pub_title, "DTEND"), "20261128");
    let obj = "异议截止：2026年第三季度创新型中小企业申报拟公告名单公示（示例数据）";
    assert_eq!(prop(obj, "DTEND"), "20261128T000000");
    assert!(ics.contains("TZID:Asia/Shanghai"));
}

#[test]
fn check_reports_ok_on_the_real_site_and_writes_nothing() {
    let f = Fixture::new();
    let o = f.check();
    assert_ok(&o);
    assert!(!f.path("public").exists());
}

#[test]
fn version_names_the_commit_and_the_target() {
    let o = bin().arg("--version").output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.starts_with(&format!("gazette {}（提交 ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    // The commit this checkout is at (the test binary and gazette are built together).
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo())
        .output()
        .unwrap();
    if head.status.success() {
        let head = String::from_utf8_lossy(&head.stdout);
        assert!(text.contains(head.trim()), "{text} does not name {head}");
    }
    let (arch, os) = (std::env::consts::ARCH, std::env::consts::OS);
    assert!(
        text.contains(&format!("，{arch}-")) && text.contains(os),
        "{text} does not name {arch} {os}"
    );
}

#[test]
fn help_describes_every_command() {
    let o = bin().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    for cmd in [
        "build",
        "check",
        "serve",
        "import",
        "list",
        "lists",
        "new",
        "deploy",
        "theme",
        "enterprise",
    ] {
        assert!(text.contains(cmd), "--help lacks {cmd}");
    }
    assert!(
        !text.contains("synth"),
        "a developer command is not shown to clerks"
    );
    assert!(
        text.contains("用法") && text.contains("命令"),
        "help is in Chinese:\n{text}"
    );
    let o = bin().args(["build", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    for opt in ["--root", "--out", "--today", "--skip"] {
        assert!(text.contains(opt), "build --help lacks {opt}");
    }
    let o = bin()
        .args(["build", "--today", "2026-13-01"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("错误：") && err.contains("2026-04-20"),
        "{err}"
    );
}
