//! The console's page frame, style and the pieces every page uses (problems with their
//! positions, diffs). Its words are the command layer's, like the terminal's: the console
//! is a tool for the bureau's staff, never part of the published site.

use std::fmt::Write as _;
use std::path::Path;

use gazette::diag::{Diagnostics, Severity};
use gazette::escape::html as esc;

use super::PREFIX;

/// Which part of the console a page belongs to (marked in the menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Overview,
    Lists,
    Import,
    Records,
    Deploy,
    Changes,
    Other,
}

const MENU: [(Section, &str, &str); 6] = [
    (Section::Overview, "", "总览"),
    (Section::Import, "import", "导入表格"),
    (Section::Records, "records", "通知、更名和撤销"),
    (Section::Deploy, "deploy", "部署"),
    (Section::Changes, "changes", "改动记录"),
    (Section::Other, "/", "查看网站预览"),
];

/// A whole console page: `title` (plain text) and `main` (HTML, already escaped).
pub(super) fn frame(section: Section, title: &str, main: &str) -> String {
    let mut menu = String::new();
    for (s, href, label) in MENU {
        let href = if href == "/" {
            "/".to_string()
        } else {
            format!("{PREFIX}/{href}")
        };
        let current = if s == section && s != Section::Other {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(menu, "<li><a href=\"{href}\"{current}>{label}</a></li>");
    }
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>{title} · 网站管理</title>",
            "<link rel=\"stylesheet\" href=\"{prefix}/console.css\">",
            "<script src=\"{prefix}/console.js\" defer></script></head>",
            "<body><a class=\"skip\" href=\"#main\">跳到正文</a>",
            "<header><p class=\"brand\">网站管理 <span>（只在本机，网站上看不到）</span></p>",
            "<nav aria-label=\"管理菜单\"><ul>{menu}</ul></nav></header>",
            "<main id=\"main\" tabindex=\"-1\"><h1>{title}</h1>{main}</main></body></html>\n"
        ),
        title = esc(title),
        prefix = PREFIX,
        menu = menu,
        main = main,
    )
}

/// A link to a file of the site in the console's viewer, at a line when known.
pub(super) fn file_link(rel: &str, line: Option<usize>) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("path", rel)
        .finish();
    match line {
        Some(l) => format!(
            "<a href=\"{PREFIX}/file?{q}#L{l}\">{f}，第{l}行</a>",
            q = esc(&query),
            f = esc(rel)
        ),
        None => format!(
            "<a href=\"{PREFIX}/file?{q}\">{f}</a>",
            q = esc(&query),
            f = esc(rel)
        ),
    }
}

/// A file's path as the clerk reads it: relative to the site's folder, with `/`.
pub(super) fn rel_path(root: &Path, file: &Path) -> String {
    gazette::diag::display_path(file.strip_prefix(root).unwrap_or(file))
}

/// Every problem as a list: what, where (linked to the file and line), what to do.
pub(super) fn problems(root: &Path, diags: &Diagnostics) -> String {
    let mut out = String::from("<ul class=\"problems\">");
    for d in diags.items() {
        let (class, word) = match d.severity {
            Severity::Error => ("error", "错误"),
            Severity::Warning => ("warning", "提醒"),
        };
        let _ = write!(
            out,
            "<li class=\"{class}\"><strong>{word}：</strong>{}",
            esc(&d.message)
        );
        if let Some(file) = &d.file {
            let line = d
                .span
                .as_ref()
                .and_then(|s| diags.line_col(file, s.start))
                .map(|(l, _)| l);
            let _ = write!(out, "<br>位置：{}", file_link(&rel_path(root, file), line));
            if let Some(label) = &d.label {
                let _ = write!(out, "（{}）", esc(label));
            }
        }
        if let Some(help) = &d.help {
            let _ = write!(out, "<br>怎么改：{}", esc(help));
        }
        if let Some(code) = d.code {
            let _ = write!(out, " <span class=\"code\">[{}]</span>", esc(code));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// The lines that differ between two texts (three lines of context around each change),
/// removed lines marked 删 and added ones 增, readable without colour.
pub(super) fn diff(before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut out = String::from("<pre class=\"diff\">");
    for (i, group) in diff.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push_str("<span class=\"gap\">…</span>\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let line = change.value().trim_end_matches(['\n', '\r']);
                let n = change
                    .new_index()
                    .or(change.old_index())
                    .map_or(0, |n| n + 1);
                match change.tag() {
                    similar::ChangeTag::Delete => {
                        let _ = writeln!(
                            out,
                            "<del><span class=\"mark\">删</span> {}</del>",
                            esc(line)
                        );
                    }
                    similar::ChangeTag::Insert => {
                        let _ = writeln!(
                            out,
                            "<ins><span class=\"mark\">增</span> {}</ins>",
                            esc(line)
                        );
                    }
                    similar::ChangeTag::Equal => {
                        let _ = writeln!(
                            out,
                            "<span class=\"same\"><span class=\"mark\">{n:>4}</span> {}</span>",
                            esc(line)
                        );
                    }
                }
            }
        }
    }
    if before == after {
        out.push_str("（没有改动）\n");
    }
    out.push_str("</pre>");
    out
}

/// The hidden field every form that changes something carries.
pub(super) fn token_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"token\" value=\"{}\">",
        esc(token)
    )
}

/// A notice box: `kind` is `ok`, `error` or `info`.
pub(super) fn notice(kind: &str, html: &str) -> String {
    let role = if kind == "error" { "alert" } else { "status" };
    format!("<div class=\"notice {kind}\" role=\"{role}\">{html}</div>")
}

/// The console's style: system fonts, 18px text, strong contrast (WCAG 2.1 AA), large
/// targets, visible focus, usable at 1366×768 and on a narrow window.
pub(super) const CSS: &str = r#"*{box-sizing:border-box}
html{font-size:112.5%}
body{margin:0;font-family:system-ui,-apple-system,"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;line-height:1.6;color:#1a1a1a;background:#f6f7f9}
a{color:#0b4f9c}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus,main:focus{outline:3px solid #d35400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
header{background:#123c69;color:#fff;padding:.5rem 1.5rem}
header a{color:#fff}
.brand{margin:0;font-weight:bold}.brand span{font-weight:normal;font-size:.85rem}
nav ul{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
nav a{display:inline-block;padding:.35rem 0;text-decoration:none;border-bottom:3px solid transparent}
nav a[aria-current]{border-bottom-color:#ffd166;font-weight:bold}
main{max-width:76rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.3rem;margin:2rem 0 .75rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #c5cbd3;padding:.45rem .6rem;text-align:left;vertical-align:top}
th{background:#e9edf2}
.nowrap{white-space:nowrap}
.table-wrap{overflow-x:auto}
form.inline{display:inline}
fieldset{border:1px solid #c5cbd3;background:#fff;padding:1rem;margin:0 0 1rem}
legend{font-weight:bold;padding:0 .25rem}
label{display:block;font-weight:bold;margin:.6rem 0 .2rem}
.hint{color:#4a4f57;font-size:.9rem;margin:.1rem 0}
input[type=text],input[type=date],input[type=number],input[type=file],select,textarea{font:inherit;padding:.4rem;border:2px solid #5b6470;border-radius:4px;min-height:2.6rem;max-width:100%;width:28rem}
input[type=number]{width:8rem}
input[type=checkbox]{width:1.3rem;height:1.3rem;vertical-align:middle}
label.check{font-weight:normal}
button,.button{font:inherit;font-weight:bold;min-height:2.75rem;padding:.4rem 1.2rem;border-radius:4px;border:2px solid #0b4f9c;background:#0b4f9c;color:#fff;cursor:pointer;display:inline-block;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#0b4f9c}
button.danger{background:#a4001d;border-color:#a4001d}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:1rem 0}
.notice{padding:.75rem 1rem;border-left:6px solid #0b4f9c;background:#fff;margin:1rem 0}
.notice.ok{border-color:#1e7b34}.notice.error{border-color:#a4001d}
.problems{padding-left:1.2rem}.problems li{margin:.5rem 0;background:#fff;padding:.5rem}
.problems .error strong{color:#a4001d}.problems .warning strong{color:#7a4b00}
.code{color:#4a4f57;font-size:.85rem}
.state-due{font-weight:bold;color:#7a4b00}
pre.diff,ol.source{background:#fff;border:1px solid #c5cbd3;padding:.5rem;overflow-x:auto;font-family:ui-monospace,"Cascadia Mono",Consolas,"Noto Sans Mono CJK SC",monospace;font-size:.9rem;line-height:1.5}
pre.diff del{display:block;background:#ffe3e3;text-decoration:none}pre.diff ins{display:block;background:#dcf5e1;text-decoration:none}
pre.diff .mark{display:inline-block;min-width:2.5em;color:#4a4f57;user-select:none}
pre.diff del .mark{color:#a4001d;font-weight:bold}pre.diff ins .mark{color:#1e7b34;font-weight:bold}
ol.source{padding-left:4em;white-space:pre-wrap}ol.source li:target{background:#fff3c4;outline:2px solid #d35400}
.dropzone{border:3px dashed #5b6470;padding:1.5rem;background:#fff;text-align:center}
.dropzone.over{border-color:#0b4f9c;background:#eaf2fc}
td.bad{background:#ffe3e3;outline:2px solid #a4001d}
progress{display:block;width:100%;max-width:40rem;height:1.5rem;accent-color:#0b4f9c}
@media (max-width:40rem){main{padding:1rem .75rem}input[type=text],input[type=date],select,textarea{width:100%}}
"#;
