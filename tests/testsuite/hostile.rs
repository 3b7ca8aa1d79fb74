//! Hostile or broken input (issue 10): it never writes outside the site, never crashes
//! Gazette, never leaks into the output, and every position a diagnostic prints is right.
//! Every case needs only some site, so all run on the minimal one; what it lacks (an
//! attachment, a platform link) each test writes into it first.

use crate::support::*;

const Q3: &str = "data/lists/2026-q3-application.toml";
const NOTICE: &str = "content/notices/innovative/2026/index.md";

/// Gives the minimal site's notice (which has none) an attachment 1 whose last line is
/// `line` (`file = …` or `page = …`).
fn with_attachment(f: &Fixture, line: &str) {
    f.edit(
        NOTICE,
        "weight = 1\n",
        &format!("weight = 1\n\n[[attachment]]\nnumber = 1\ntitle = \"示例附件\"\n{line}\n"),
    );
}

#[test]
fn a_district_name_that_climbs_out_is_refused_and_nothing_is_written_outside() {
    let f = Fixture::minimal();
    let outside = f.path("victim");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("index.html"), "keep").unwrap();
    // From <root>/public/districts/<name>/ three levels up is <root>.
    f.edit(
        "data/districts.toml",
        "name = \"金普新区\"",
        "name = \"../../../victim\"",
    );
    let at = pos(&f, "data/districts.toml", "\"../../../victim\"");
    refused(&f, &[&at, "不能用作网址的一段"]);
    assert_eq!(
        std::fs::read_to_string(outside.join("index.html")).unwrap(),
        "keep"
    );
    for bad in ["..", "a/b", "a\\\\b", ".hidden", "x?"] {
        let f = Fixture::minimal();
        f.edit(
            "data/districts.toml",
            "name = \"金普新区\"",
            &format!("name = \"{bad}\""),
        );
        refused(&f, &["data/districts.toml:", "不能用作网址的一段"]);
    }
}

#[test]
fn control_characters_in_data_are_refused_where_they_stand() {
    let f = Fixture::minimal();
    f.edit(Q3, "name = \"", "name = \"\\u001b[2J");
    let at = pos(&f, Q3, "\"\\u001b[2J");
    let err = refused(&f, &[&at, "U+001B"]);
    assert!(!err.contains('\u{1b}'), "the escape reached the terminal");

    let f = Fixture::minimal();
    f.edit("data/site.toml", "name = \"", "name = \"\\uFFFE");
    let at = pos(&f, "data/site.toml", "\"\\uFFFE");
    refused(&f, &[&at, "U+FFFE"]);

    let f = Fixture::minimal();
    f.edit(NOTICE, "title = \"", "title = \"\\u0000");
    let at = pos(&f, NOTICE, "\"\\u0000");
    refused(&f, &[&at, "U+0000"]);
}

/// Issue 23, item 6: list files without any TOML escape take the loader's fast path; it
/// applies the same character check, so invisible and refused characters written raw in a
/// name or an industry are refused at their place there too, never published.
#[test]
fn refused_characters_written_raw_in_a_list_are_refused_on_the_fast_path_too() {
    for c in [
        '\u{202e}',
        '\u{2066}',
        '\u{fffe}',
        '\u{10ffff}',
        '\u{85}',
        '\u{feff}',
        '\u{61c}',
    ] {
        for key in ["name", "industry"] {
            let f = Fixture::minimal();
            assert!(!f.read(Q3).contains('\\'), "the list takes the fast path");
            f.edit(Q3, &format!("{key} = \""), &format!("{key} = \"甲{c}"));
            let at = pos(&f, Q3, &format!("\"甲{c}"));
            let code = format!("U+{:04X}", c as u32);
            let err = refused(&f, &[&at, &code, "不能发布的字符"]);
            assert!(!err.contains(c), "{code} reached the terminal raw");
            assert!(!f.path("public").exists(), "{code} in {key} was published");
        }
    }
}

#[test]
fn a_name_longer_than_any_company_name_is_refused() {
    let f = Fixture::minimal();
    let long = "长".repeat(201);
    f.edit(Q3, "name = \"", &format!("name = \"{long}"));
    let at = pos(&f, Q3, &format!("\"{long}"));
    refused(&f, &[&at, "超过200个字"]);
}

#[test]
fn front_matter_values_are_reported_where_they_stand() {
    let f = Fixture::minimal();
    let text = f.read(NOTICE);
    assert!(text.contains("\ndate = "), "the notice has a date");
    f.edit(NOTICE, "\ndate = ", "\ndate = 2026-13-45\nx = ");
    let at = pos(&f, NOTICE, "2026-13-45");
    refused(&f, &[&at]);

    // The attachment `file` is a value checked after parsing.
    let f2 = Fixture::minimal();
    with_attachment(&f2, "file = \"attachments/missing.pdf\"");
    let at = pos(&f2, NOTICE, "\"attachments/missing.pdf\"");
    refused(&f2, &[&at, "missing.pdf"]);
    // The same attachment builds once its file is there: the refusal was the missing file.
    f2.write("static/attachments/missing.pdf", "%PDF-1.4\n");
    assert_ok(&f2.build());
}

#[test]
fn files_that_begin_with_a_byte_order_mark_report_true_positions() {
    let f = Fixture::minimal();
    f.edit(Q3, "district = \"", "district = \"火星区");
    let text = f.read(Q3);
    f.write(Q3, &format!("\u{feff}{text}"));
    let at = pos(&f, Q3, "\"火星区");
    refused(&f, &[&at, "火星区"]);

    let f = Fixture::minimal();
    f.edit("data/districts.toml", "office = \"", "office = 1\nx = \"");
    let text = f.read("data/districts.toml");
    f.write("data/districts.toml", &format!("\u{feff}{text}"));
    let at = pos(&f, "data/districts.toml", "1\nx = ");
    refused(&f, &[&at, "expected a string"]);
}

#[test]
fn a_lists_folder_that_cannot_be_read_is_an_error_not_an_empty_site() {
    let f = Fixture::minimal();
    f.remove("data/lists");
    f.write("data/lists", "not a folder");
    refused(&f, &["data/lists", "无法读取"]);
}

#[test]
fn a_folder_named_like_a_data_file_is_an_error() {
    let f = Fixture::minimal();
    std::fs::create_dir_all(f.path("data/lists/2026-q4-review.toml")).unwrap();
    refused(&f, &["data/lists/2026-q4-review.toml", "是一个文件夹"]);
}

#[cfg(unix)]
#[test]
fn symlinked_pages_and_attachments_are_errors_that_say_what_to_do() {
    let f = Fixture::minimal();
    let secret = f.path("secret.txt");
    std::fs::write(&secret, "not for publication").unwrap();
    std::fs::create_dir_all(f.path("static/attachments")).unwrap();
    std::os::unix::fs::symlink(&secret, f.path("static/attachments/附件2.pdf")).unwrap();
    refused(
        &f,
        &["static/attachments/附件2.pdf", "符号链接", "复制到这里"],
    );

    let f = Fixture::minimal();
    std::os::unix::fs::symlink(f.path(NOTICE), f.path("content/copy.md")).unwrap();
    refused(&f, &["content/copy.md", "符号链接"]);
}

#[test]
fn a_missing_root_is_one_clear_error() {
    let o = bin()
        .args(["check", "--root", "/nonexistent/site"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_fails_with(&o, &["/nonexistent/site", "找不到网站文件夹"]);
    let err = stderr(&o);
    assert_eq!(
        err.matches('×').count(),
        1,
        "one error, not one per file:\n{err}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["build", "--root", "/nonexistent/site", "--out"])
        .arg(tmp.path().join("out"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_fails_with(&o, &["找不到网站文件夹"]);
}

#[test]
fn links_from_configuration_and_content_must_be_web_mail_phone_or_site_links() {
    const PROGRAMME: &str = "data/programmes/innovative.toml";
    // The minimal programme names no platform: a web address is accepted, a script is not.
    let f = Fixture::minimal();
    f.edit(
        PROGRAMME,
        "validity_years = 3\n",
        "validity_years = 3\nplatform_url = \"https://zjtx.miit.gov.cn\"\n",
    );
    assert_ok(&f.check());
    f.edit(
        PROGRAMME,
        "platform_url = \"https://zjtx.miit.gov.cn\"",
        "platform_url = \"javascript:alert(document.domain)\"",
    );
    let at = pos(&f, PROGRAMME, "\"javascript:alert");
    refused(&f, &[&at, "platform_url", "javascript:"]);

    let f = Fixture::minimal();
    f.edit(
        "data/site.toml",
        "base_url = \"https://example.gov.cn/\"",
        "base_url = \"//evil.example/\"",
    );
    refused(&f, &["data/site.toml", "base_url", "https://"]);

    let f = Fixture::minimal();
    let o = f.run(&["build", "--today", TODAY, "--base-url", "notaurl"]);
    assert_fails_with(&o, &["--base-url", "https://"]);
    assert!(!f.path("public").exists());

    let f = Fixture::minimal();
    f.edit(
        "data/site.toml",
        "theme = \"default\"",
        "theme = \"../../x\"",
    );
    refused(&f, &["data/site.toml", "theme", "themes/"]);

    let f = Fixture::minimal();
    let text = f.read(NOTICE);
    f.write(
        NOTICE,
        &format!("{text}\n[点击这里](javascript:alert(document.cookie))\n\n<p onmouseover=\"steal()\">x</p>\n"),
    );
    let link = pos(&f, NOTICE, "[点击这里]");
    let html = pos(&f, NOTICE, "<p onmouseover");
    refused(&f, &[&link, &html, "javascript:", "事件属性"]);
}

/// Builds the minimal site with the first enterprise named `name` and an industry that
/// starts with `industry`; returns the CSV download's rows and the JSON download's text.
fn downloads_with(name: &str, industry: &str) -> (Vec<csv::StringRecord>, String) {
    let f = Fixture::minimal();
    let text = f.read(Q3);
    let first_name = text
        .split("name = \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    f.edit(
        Q3,
        &format!("name = \"{first_name}\""),
        &format!("name = {}", toml_str(name)),
    );
    f.edit(Q3, "industry = \"", &format!("industry = \"{industry}"));
    assert_ok(&f.build());
    let csv = f.out("lists/2026-q3-application/2026-q3-application.csv");
    let mut rdr = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows = rdr.records().map(|r| r.unwrap()).collect();
    (
        rows,
        f.out("lists/2026-q3-application/2026-q3-application.json"),
    )
}

/// The CSV puts an apostrophe before `name` and `industry`, no cell starts with one of
/// `formula_starts`, and the JSON keeps the name exactly.
fn assert_formulas_defused(name: &str, industry: &str, formula_starts: &[char]) {
    let (rows, json) = downloads_with(name, industry);
    let row = rows.iter().find(|r| r[1].contains("HYPERLINK")).unwrap();
    assert_eq!(&row[1], format!("'{name}"));
    assert!(row[4].starts_with(&format!("'{industry}")), "{}", &row[4]);
    for r in &rows {
        for cell in r.iter() {
            assert!(!cell.starts_with(formula_starts), "{cell}");
        }
    }
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = json["enterprises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&name), "the JSON keeps the name exactly");
}

#[test]
fn csv_downloads_never_hand_a_formula_to_a_spreadsheet_and_json_stays_exact() {
    assert_formulas_defused(
        "=HYPERLINK(\"http://evil.example/\",\"点击查看\")",
        "@SUM(1+1)",
        &['=', '+', '-', '@', '\t', '\r'],
    );
}

/// Issue 23, item 11: a Chinese input method types ＝ ＋ － ＠ (full width), and some versions
/// of Excel and WPS turn a leading ＝ into a formula: treated as their ASCII forms.
#[test]
fn csv_downloads_treat_full_width_formula_starts_as_formulas() {
    assert_formulas_defused(
        "＝HYPERLINK(\"http://evil.example/\",\"点击查看\")",
        "＠SUM(1+1)",
        &['＝', '＋', '－', '＠'],
    );
}

#[test]
fn a_full_disk_is_one_error_and_the_published_site_stays() {
    let f = Fixture::minimal();
    assert_ok(&f.build());
    let before = snapshot(&f.path("public"));
    let o = bin()
        .args(["build", "--today", TODAY, "--root"])
        .arg(f.root())
        .env("NO_COLOR", "1")
        .env("GAZETTE_FAIL_AT", "disk-full")
        .output()
        .unwrap();
    assert_fails_with(&o, &["无法写入", "No space left on device", "另有"]);
    let err = stderr(&o);
    assert_eq!(
        err.matches('×').count(),
        1,
        "one error for one cause:\n{err}"
    );
    assert_eq!(snapshot(&f.path("public")), before);
}

#[test]
fn diagnostics_cut_huge_lines_and_show_terminal_escapes_harmlessly() {
    let f = Fixture::minimal();
    let long = "长".repeat(2_000_000);
    f.edit(
        Q3,
        "district = \"",
        &format!("district = \"{long}\\u001b[2J"),
    );
    let o = f.check();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.len() < 20_000, "{} bytes of diagnostics", err.len());
    assert!(!err.contains('\u{1b}'));
}

#[test]
fn two_builds_into_one_folder_take_turns_and_the_site_stays_whole() {
    let f = Fixture::minimal();
    assert_ok(&f.build());
    let spawn = || {
        bin()
            .args(["build", "--today", TODAY, "--root"])
            .arg(f.root())
            .env("NO_COLOR", "1")
            .env("GAZETTE_TEST_PAUSE", "build-before-publish:600")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert_ok(&a);
    assert_ok(&b);
    let waited = format!("{}{}", stderr(&a), stderr(&b));
    assert!(
        waited.contains("等待它完成"),
        "one build waited for the other:\n{waited}"
    );
    for file in ["index.html", "lists/index.html", ".gazette-output"] {
        assert!(f.path("public").join(file).exists(), "{file} is missing");
    }
    let mut beside: Vec<String> = std::fs::read_dir(f.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public"))
        .collect();
    beside.sort();
    assert_eq!(beside, [".public.lock", ".public.prev"]);
    assert_ok(&f.build());
}

#[test]
fn file_names_that_cannot_be_url_segments_are_errors() {
    let f = Fixture::minimal();
    f.write("static/attachments/附件?2.pdf", "x");
    refused(&f, &["static/attachments/附件?2.pdf", "不能用作网址"]);
    let f = Fixture::minimal();
    f.write("content/a:b.md", "+++\ntitle = \"x\"\n+++\n");
    refused(&f, &["content/a:b.md", "不能用作网址"]);
}

/// Issue 23, item 12: an attachment's `page` is a page of this site. Another site's
/// address, with a user name and password or not, used to become a dead `/https://…` link
/// that even the link check let through; it is an error at its place.
#[test]
fn an_attachment_page_on_another_site_is_refused_where_it_stands() {
    // A page of this site is accepted.
    let f = Fixture::minimal();
    with_attachment(&f, "page = \"contacts/\"");
    assert_ok(&f.check());
    for (url, needle) in [
        ("https://user:pw@evil.example/", "用户名或密码"),
        ("https://evil.example/form.pdf", "本网站的页面"),
        ("mailto:a@b.cn", "本网站的页面"),
    ] {
        let f = Fixture::minimal();
        with_attachment(&f, &format!("page = \"{url}\""));
        let at = pos(&f, NOTICE, &format!("\"{url}\""));
        refused(&f, &[&at, "附件1的 page", needle, "[link]"]);
    }
}

/// Issue 23, item 12: the objection email is published as a `mailto:` link; one that is no
/// address is an error at its place, in data/site.toml and in a list's `[objection]`.
#[test]
fn an_objection_email_that_is_no_address_is_refused_where_it_stands() {
    for bad in [
        "gxj.dl.gov.cn",
        "gxj@dl.gov.cn?subject=x",
        "a b@dl.gov.cn",
        "gxj@localhost",
    ] {
        let f = Fixture::minimal();
        f.edit(
            "data/site.toml",
            "[objection]\n",
            &format!("[objection]\nemail = \"{bad}\"\n"),
        );
        let at = pos(&f, "data/site.toml", &format!("\"{bad}\""));
        refused(&f, &[&at, "不是电子邮箱地址", "[email]"]);
    }
    let f = Fixture::minimal();
    f.edit(
        "data/site.toml",
        "[objection]\n",
        "[objection]\nemail = \"gxj@dl.gov.cn\"\n",
    );
    assert_ok(&f.build());
    assert!(f
        .out("lists/2026-q3-application/publicity/index.html")
        .contains("mailto:gxj@dl.gov.cn"));

    let f = Fixture::minimal();
    f.edit(
        Q3,
        "[[enterprise]]",
        "[objection]\nemail = \"邮箱\"\n\n[[enterprise]]",
    );
    let at = pos(&f, Q3, "\"邮箱\"");
    refused(&f, &[&at, "不是电子邮箱地址"]);
}

/// Issue 23, item 3: raw HTML that got past the old string scanner, published verbatim and
/// working in a browser. Each is now an error at its line (the clerk learns of it, the
/// build refuses it); the sanitizer that takes it out is tested beside the code.
#[test]
fn raw_html_that_fooled_the_old_scanner_is_refused_where_it_stands() {
    for (bad, needle) in [
        (
            "<img title=\">\" src=x onerror=alert(1)>",
            "onerror= 事件属性",
        ),
        (
            "<a href=\"&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)\">点这里</a>",
            "javascript: 等脚本链接",
        ),
        ("<base href=\"https://evil.example/\">", "<base> 元素"),
        (
            "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
            "<embed> 元素",
        ),
        (
            "<object data=\"data:application/xhtml+xml,x\"></object>",
            "<object> 元素",
        ),
        (
            "<iframe src=\"data:image/svg+xml,x\"></iframe>",
            "<iframe> 元素",
        ),
        (
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
            "<meta> 元素",
        ),
    ] {
        let f = Fixture::minimal();
        let text = f.read(NOTICE);
        f.write(NOTICE, &format!("{text}\n\n{bad}\n"));
        let at = pos(&f, NOTICE, bad);
        refused(&f, &[&at, needle, "[link]"]);
    }
}

/// Issue 23, item 3: raw HTML that runs nothing is published, reduced to the notice's
/// allow-list (here a style attribute that could lay a fake notice over the page).
#[test]
fn harmless_raw_html_is_published_through_the_allow_list() {
    let f = Fixture::minimal();
    let text = f.read(NOTICE);
    f.write(
        NOTICE,
        &format!(
            "{text}\n\n<div class=\"note\" style=\"position:fixed;top:0\">注：<abbr title=\"统一社会信用代码\">代码</abbr>见<a href=\"/lists/\" target=\"_blank\">名单</a></div>\n"
        ),
    );
    assert_ok(&f.build());
    let page = f.out("notices/innovative/2026/index.html");
    assert!(
        page.contains("<div class=\"note\">注：<abbr title=\"统一社会信用代码\">代码</abbr>见<a href=\"/lists/\">名单</a></div>"),
        "{page}"
    );
    assert!(!page.contains("position:fixed"));
    // The district table marker of the notice still works on a sanitized page.
    assert!(!page.contains("<!-- district-table -->"));
    assert!(page.contains("中山区"));
}
