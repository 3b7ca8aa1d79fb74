//! Markdown pages under `content/`: their addresses, attachments, links and aliases.
//! A page at `content/notices/<programme>/<year>/index.md` is the text of that notice,
//! `…/criteria.md` its conditions and criteria; `notices` joins them to their data.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{span, to_date};
use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::url::segment_problem;
use crate::load::RawPage;
use crate::model::{Attachment, Page};

/// Addresses the build generates itself; a content page may not take them.
pub(super) const GENERATED: [&str; 6] = [
    "lists/",
    "districts/",
    "search/",
    "notices/",
    "enterprises/",
    "404.html",
];

/// What a page under `content/notices/` is to its notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NoticeRole {
    Text,
    Criteria,
}

/// A page that belongs to a notice: `content/notices/<programme>/<year>/…`.
#[derive(Debug, Clone)]
pub(super) struct NoticePage {
    pub page: usize,
    pub programme: String,
    pub year: String,
    pub role: NoticeRole,
}

/// The URL path of a content file: `content/_index.md` → ``, `content/contacts.md` →
/// `contacts/`, `content/guide/_index.md` → `guide/`, `content/guide/a.md` → `guide/a/`.
fn page_path(source: &Path) -> (String, bool) {
    let rel = source.strip_prefix("content").unwrap_or(source);
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut parts: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    let is_section = stem == "_index";
    if !is_section && stem != "index" {
        parts.push(stem);
    }
    let mut path = parts.join("/");
    if !path.is_empty() {
        path.push('/');
    }
    (path, is_section)
}

/// The notice a content file belongs to, from its place under `content/notices/`.
fn notice_role(source: &Path) -> Option<(String, String, NoticeRole)> {
    let rel = source.strip_prefix("content/notices").ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    match parts.as_slice() {
        [p, y, f] if f == "index.md" || f == "_index.md" => {
            Some((p.clone(), y.clone(), NoticeRole::Text))
        }
        [p, y, f] if f == "criteria.md" => Some((p.clone(), y.clone(), NoticeRole::Criteria)),
        _ => None,
    }
}

/// Reports a file whose name (or a folder's) cannot be a URL segment of the site.
fn segment_problems(file: &Path, rel: &Path, diags: &mut Diagnostics) {
    for part in rel.components() {
        let name = part.as_os_str().to_string_lossy();
        if let Some(why) = segment_problem(&name) {
            diags.push(
                Diagnostic::err("url-segment", file, format!("文件或文件夹名“{}”不能用作网址的一段：{why} (a name that cannot be a URL segment)", crate::domain::text::escape_controls(&name)))
                    .help("给这个文件（或文件夹）改个名字：用汉字、字母、数字和 - _ 即可"),
            );
            return;
        }
    }
}

/// Checks every page; returns them in (weight, path) order with the notice pages among them.
pub(super) fn check_pages(
    raw: Vec<RawPage>,
    static_files: &[PathBuf],
    diags: &mut Diagnostics,
) -> (Vec<Page>, Vec<NoticePage>) {
    let statics: HashSet<String> = static_files
        .iter()
        .filter_map(|p| p.strip_prefix("static").ok())
        .map(crate::diag::display_path)
        .collect();
    // File and folder names become URL segments of pages and attachments.
    for f in static_files {
        segment_problems(f, f.strip_prefix("static").unwrap_or(f), diags);
    }
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut pages = Vec::new();
    let mut roles = Vec::new();
    for p in raw {
        if p.front.draft {
            continue;
        }
        segment_problems(
            &p.source,
            p.source.strip_prefix("content").unwrap_or(&p.source),
            diags,
        );
        let (path, is_section) = page_path(&p.source);
        if GENERATED.iter().any(|g| path == *g) {
            diags.push(
                Diagnostic::err(
                    "page-address",
                    &p.source,
                    format!("网址 /{path} 由 gazette 生成，不能再放一个页面 (an address the build generates)"),
                )
                .help("给这个文件改个名字或移到别的文件夹；要改生成页面的文字，请修改主题的模板"),
            );
        }
        if let Some(other) = seen.insert(path.clone(), p.source.clone()) {
            diags.push(
                Diagnostic::err(
                    "page-address",
                    &p.source,
                    format!(
                        "这个页面的网址 /{path} 与 {} 相同 (two pages at one address)",
                        other.display()
                    ),
                )
                .help("把两个文件中的一个改名或移到别的文件夹"),
            );
        }
        let date = p
            .front
            .date
            .as_ref()
            .and_then(|d| to_date(&p.source, d, diags));
        let attachments = attachments(&p, &statics, diags);
        for (range, why) in crate::markdown::problems(&p.body) {
            diags.push(
                Diagnostic::err("link", &p.source, why)
                    .at(range.start + p.body_offset..range.end + p.body_offset)
                    .help("链接只能是 https://、http://、mailto:、tel: 或本网站的页面；页面中可以写 HTML，但不能有脚本"),
            );
        }
        let aliases = aliases(&p, diags);
        let extra = p
            .front
            .extra
            .as_ref()
            .and_then(|t| serde_json::to_value(t).ok())
            .unwrap_or(serde_json::Value::Null);
        let role = notice_role(&p.source);
        let template = p.front.template.clone().unwrap_or_else(|| {
            match role.as_ref().map(|r| r.2) {
                Some(NoticeRole::Text) => "notice.html",
                Some(NoticeRole::Criteria) => "criteria.html",
                None if path.is_empty() => "index.html",
                None if is_section => "section.html",
                None => "page.html",
            }
            .into()
        });
        roles.push(role);
        pages.push(Page {
            template,
            source: p.source,
            path,
            title: p.front.title,
            description: p.front.description,
            date,
            weight: p.front.weight,
            issuer: p.front.issuer,
            subject: p.front.subject,
            keywords: p.front.keywords,
            attachments,
            corrections: p.front.correction,
            extra,
            body_html: crate::markdown::to_html(&p.body),
            is_section,
            notice: None,
            aliases,
        });
    }
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| {
        (pages[a].weight, &pages[a].path).cmp(&(pages[b].weight, &pages[b].path))
    });
    let mut sorted = Vec::with_capacity(pages.len());
    let mut notice_pages = Vec::new();
    let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
    for (new, &old) in order.iter().enumerate() {
        if let Some((programme, year, role)) = roles[old].take() {
            notice_pages.push(NoticePage {
                page: new,
                programme,
                year,
                role,
            });
        }
        if let Some(p) = slots[old].take() {
            sorted.push(p);
        }
    }
    (sorted, notice_pages)
}

fn attachments(p: &RawPage, statics: &HashSet<String>, diags: &mut Diagnostics) -> Vec<Attachment> {
    let mut out = Vec::new();
    for a in &p.front.attachment {
        let (href, is_file) = match (&a.file, &a.page) {
            (Some(f), _) => {
                let rel = f.get_ref().trim_start_matches('/').to_string();
                if !statics.contains(&rel) {
                    diags.push(
                        Diagnostic::err("attachment-missing", &p.source, format!("附件{}的文件“{rel}”不在 static/ 中 (attachment file missing)", a.number))
                            .at(span(f))
                            .help(format!("把文件放到 static/{rel}；还没有文件时删去 file 这一行，页面会显示“尚未发布”")),
                    );
                }
                (Some(rel), true)
            }
            (None, Some(page)) => {
                if let Some(why) = crate::domain::url::site_path_problem(page.get_ref()) {
                    diags.push(
                        Diagnostic::err(
                            "link",
                            &p.source,
                            format!(
                                "附件{}的 page “{}” 不是本网站的页面：{why}",
                                a.number,
                                crate::domain::text::escape_controls(page.get_ref())
                            ),
                        )
                        .at(span(page))
                        .label("不是本网站的页面")
                        .help("page 写本网站的页面，例如 page = \"notices/innovative/2026/criteria/#self-assessment\"；附件是别的网站上的文件时，把文件放到 static/ 下，用 file = \"attachments/…\""),
                    );
                }
                (
                    Some(page.get_ref().trim_start_matches('/').to_string()),
                    false,
                )
            }
            (None, None) => (None, false),
        };
        out.push(Attachment {
            number: a.number,
            title: a.title.clone(),
            href,
            is_file,
        });
    }
    out
}

/// A page's old addresses, as site paths (`notice/`).
fn aliases(p: &RawPage, diags: &mut Diagnostics) -> Vec<String> {
    let mut out = Vec::new();
    for a in &p.front.aliases {
        let raw = a.get_ref().trim();
        let path = raw.trim_start_matches('/');
        let bad = path.is_empty()
            || path.contains("://")
            || path.contains(['?', '#'])
            || path
                .trim_end_matches('/')
                .split('/')
                .any(|seg| seg == ".." || segment_problem(seg).is_some());
        if bad {
            diags.push(
                Diagnostic::err(
                    "alias",
                    &p.source,
                    format!(
                        "旧网址“{}”不能用作本网站的地址 (not a site path)",
                        crate::domain::text::escape_controls(raw)
                    ),
                )
                .at(span(a))
                .help("aliases 写本网站中这个页面以前的地址，例如 aliases = [\"notice/\"]"),
            );
            continue;
        }
        let path = if path.ends_with('/') || path.ends_with(".html") {
            path.to_string()
        } else {
            format!("{path}/")
        };
        out.push(path);
    }
    out
}

/// The redirects of every alias; an alias that is also a page's address, or another
/// page's alias, is an error.
pub(super) fn redirects(pages: &[Page], diags: &mut Diagnostics) -> Vec<(String, String)> {
    let addresses: HashMap<&str, &Path> = pages
        .iter()
        .map(|p| (p.path.as_str(), p.source.as_path()))
        .collect();
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    let mut out = Vec::new();
    for p in pages {
        for a in &p.aliases {
            let taken = addresses
                .get(a.as_str())
                .copied()
                .or_else(|| seen.get(a.as_str()).copied());
            if let Some(other) = taken.or_else(|| {
                GENERATED
                    .contains(&a.as_str())
                    .then_some(Path::new("gazette"))
            }) {
                diags.push(
                    Diagnostic::err(
                        "alias",
                        &p.source,
                        format!(
                            "旧网址 /{a} 已经是 {} 的地址 (an address in use)",
                            other.display()
                        ),
                    )
                    .help("一个旧网址只能转到一个页面：删去其中一处 aliases"),
                );
                continue;
            }
            seen.insert(a, &p.source);
            out.push((a.clone(), p.path.clone()));
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(page_path(Path::new("content/_index.md")), ("".into(), true));
        assert_eq!(
            page_path(Path::new("content/contacts.md")),
            ("contacts/".into(), false)
        );
        assert_eq!(
            page_path(Path::new("content/guide/_index.md")),
            ("guide/".into(), true)
        );
        assert_eq!(
            page_path(Path::new("content/guide/a.md")),
            ("guide/a/".into(), false)
        );
        assert_eq!(
            page_path(Path::new("content/b/index.md")),
            ("b/".into(), false)
        );
        assert_eq!(
            page_path(Path::new("content/notices/innovative/2026/index.md")),
            ("notices/innovative/2026/".into(), false)
        );
    }

    #[test]
    fn notice_roles_from_places() {
        let r = |p: &str| notice_role(Path::new(p));
        assert_eq!(
            r("content/notices/innovative/2026/index.md"),
            Some(("innovative".into(), "2026".into(), NoticeRole::Text))
        );
        assert_eq!(
            r("content/notices/innovative/2026/criteria.md"),
            Some(("innovative".into(), "2026".into(), NoticeRole::Criteria))
        );
        assert_eq!(r("content/notices/innovative/2026/guide.md"), None);
        assert_eq!(r("content/contacts.md"), None);
    }
}
