//! `gazette init` (issue 26): a new site for any bureau in one command, which builds at
//! once and whose `check` lists what is left to fill in.

use std::process::Output;

use crate::support::*;

/// Runs `gazette init` in `parent` (stdin closed: nothing is asked).
fn init_in(parent: &std::path::Path, args: &[&str]) -> Output {
    bin()
        .current_dir(parent)
        .arg("init")
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// Runs `gazette <command> --today 2026-12-07` on the new site.
fn on_site(site: &std::path::Path, command: &str) -> Output {
    bin()
        .args([command, "--today", "2026-12-07", "--root"])
        .arg(site)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Runs `gazette init` in a fresh temporary folder.
fn init(args: &[&str]) -> (tempfile::TempDir, Output) {
    let parent = tempfile::tempdir().unwrap();
    let o = init_in(parent.path(), args);
    (parent, o)
}

const EVERY_FLAG: &[&str] = &[
    "新 网站",
    "--name",
    "沈阳市专精特新中小企业认定和复核",
    "--organisation",
    "沈阳市工业和信息化局",
    "--city",
    "沈阳市",
    "--area-code",
    "024",
    "--phone",
    "22345678",
    "--district",
    "和平区",
    "--district",
    "沈河区，沈河区工业和信息化局，22340001；22340002",
    "--districts",
    "区县.txt",
    "--programme",
    "专精特新中小企业",
    "--programme-id",
    "specialised",
    "--cadence",
    "half-year",
    "--kind",
    "recognition=认定",
    "--kind",
    "review=复核",
    "--year",
    "2026",
    "--base-url",
    "https://gxj.shenyang.example/zjtx/",
];

#[test]
fn init_then_build_then_check_with_every_flag() {
    let (parent, _) = init(&["--help"]);
    std::fs::write(
        parent.path().join("区县.txt"),
        "\u{feff}# 区县清单\n大东区,大东区工业和信息化局,22350001\r\n皇姑区\r\n",
    )
    .unwrap();
    let o = init_in(parent.path(), EVERY_FLAG);
    assert_ok(&o);
    let said = stderr(&o);
    assert!(said.contains("新建网站（7 个文件）"), "{said}");
    assert!(said.contains("2026年的节假日安排已经写好"), "{said}");
    assert!(
        said.contains("--root \"新 网站\""),
        "a path with a space is quoted: {said}"
    );
    let site = parent.path().join("新 网站");
    // content/ and data/ only: the theme is built in.
    let mut top: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["content", "data"]);
    let districts = std::fs::read_to_string(site.join("data/districts.toml")).unwrap();
    for name in ["和平区", "沈河区", "大东区", "皇姑区"] {
        assert!(
            districts.contains(&format!("name = \"{name}\"")),
            "{districts}"
        );
    }
    assert!(districts.contains("phones = [\"22340001\", \"22340002\"]"));
    assert_eq!(
        std::fs::read(site.join("data/calendar/2026.toml")).unwrap(),
        std::fs::read(repo().join("data/calendar/2026.toml")).unwrap()
    );

    // It builds at once, in Chinese, with the site's own words.
    let build = on_site(&site, "build");
    assert_ok(&build);
    let page = |rel: &str| std::fs::read_to_string(site.join("public").join(rel)).unwrap();
    let home = page("index.html");
    assert!(home.contains("沈阳市专精特新中小企业认定和复核"));
    assert!(home.contains("<html lang=\"zh-CN\">"));
    let contacts = page("contacts/index.html");
    assert!(contacts.contains("沈河区工业和信息化局"));
    assert!(contacts.contains("024-22340002"), "{contacts}");
    assert!(page("notices/specialised/2026/index.html").contains("沈阳市工业和信息化局"));

    // Deploying pages that still say 【待填写】 is refused, and writes nothing.
    let target = parent.path().join("网站服务器");
    let deploy = || {
        bin()
            .args(["deploy", "--root"])
            .arg(&site)
            .arg("--to")
            .arg(&target)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let refused = deploy();
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("网站中还有") && stderr(&refused).contains("【待填写】"),
        "{}",
        stderr(&refused)
    );
    assert!(!target.exists() || std::fs::read_dir(&target).unwrap().next().is_none());

    // check lists every placeholder with its file, line and column, and passes.
    let check = on_site(&site, "check");
    assert_ok(&check);
    let listed = stderr(&check);
    assert!(
        listed.contains("content/notices/specialised/2026/index.md:2:10")
            && listed.contains("[placeholder]"),
        "{listed}"
    );
    assert!(listed.contains("data/districts.toml:"), "{listed}");
    // The districts given with an office and a number need nothing; the others do.
    let placeholders = listed.matches("[placeholder]").count();
    assert!(placeholders >= 8, "{listed}");

    // Filling in every placeholder leaves check with nothing to say about them.
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && !entry.path().starts_with(site.join("public")) {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(entry.path(), text.replace("【待填写】", "")).unwrap();
        }
    }
    let check = on_site(&site, "check");
    assert_ok(&check);
    assert!(
        !stderr(&check).contains("[placeholder]"),
        "{}",
        stderr(&check)
    );
    // Rebuilt with everything filled in, it deploys.
    assert_ok(&on_site(&site, "build"));
    assert_ok(&deploy());
    assert!(target.join("index.html").is_file());
}

#[test]
fn init_refuses_a_folder_with_files_and_missing_values() {
    let (parent, o) = init(&["网站", "--name", "某市"]);
    assert_exit(&o, 2, &["[usage-init]", "--organisation", "--district"]);
    assert!(!parent.path().join("网站").exists(), "nothing written");

    let taken = parent.path().join("已有");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("笔记.txt"), "别动").unwrap();
    let mut args = EVERY_FLAG.to_vec();
    args[0] = "已有";
    args.retain(|a| *a != "--districts" && *a != "区县.txt");
    let o = init_in(parent.path(), &args);
    assert_exit(&o, 1, &["[init-folder]", "已经有文件"]);
    assert_eq!(
        std::fs::read_to_string(taken.join("笔记.txt")).unwrap(),
        "别动"
    );
    assert_eq!(std::fs::read_dir(&taken).unwrap().count(), 1);
}

#[test]
fn a_value_that_fails_check_leaves_nothing_behind() {
    let parent = tempfile::tempdir().unwrap();
    let mut args = EVERY_FLAG.to_vec();
    args.retain(|a| *a != "--districts" && *a != "区县.txt");
    let phone = args.iter().position(|a| *a == "22345678").unwrap();
    args[phone] = "不是电话";
    let o = init_in(parent.path(), &args);
    assert_exit(&o, 1, &["data/site.toml", "没有留下任何文件"]);
    assert!(!parent.path().join("新 网站").exists());
}
