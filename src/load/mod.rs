//! Reading and parsing: every file under `content/`, `data/` and `static/` into the raw
//! `source` shapes. Parse errors become diagnostics with the file's own line and column;
//! loading never stops at the first problem. List files are parsed in parallel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diag::{display_path, Diagnostic, Diagnostics};
use crate::source::calendar::CalendarFile;
use crate::source::districts::DistrictsFile;
use crate::source::list::ListFile;
use crate::source::notice::{CriteriaFile, ScheduleFile};
use crate::source::page::FrontMatter;
use crate::source::programme::ProgrammeFile;
use crate::source::site::SiteConfig;

pub mod fastlist;
pub(crate) mod toml_errors;

pub const SITE_FILE: &str = "data/site.toml";
pub const DISTRICTS_FILE: &str = "data/districts.toml";
pub const CALENDAR_DIR: &str = "data/calendar";
pub const CHANGES_DIR: &str = "data/changes";
pub const PROGRAMMES_DIR: &str = "data/programmes";
pub const NOTICES_DIR: &str = "data/notices";
pub const LISTS_DIR: &str = "data/lists";
/// The data of one notice: `data/notices/<programme>/<year>/` holds these (both optional).
pub const SCHEDULE_NAME: &str = "schedule.toml";
pub const CRITERIA_NAME: &str = "criteria.toml";
/// Files of earlier versions, whose contents now live elsewhere.
const RETIRED: [(&str, &str); 2] = [
    (
        "data/schedule.toml",
        "data/notices/<项目>/<年份>/schedule.toml",
    ),
    (
        "data/criteria.toml",
        "data/notices/<项目>/<年份>/criteria.toml",
    ),
];

/// Everything read from disk, before cross-file checks. `None` means the file was missing
/// or did not parse (a diagnostic says which).
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Option<SiteConfig>,
    pub pages: Vec<RawPage>,
    pub districts: Option<DistrictsFile>,
    pub calendars: Vec<(PathBuf, CalendarFile)>,
    pub programmes: Vec<(PathBuf, ProgrammeFile)>,
    pub notice_data: Vec<NoticeData>,
    pub lists: Vec<(PathBuf, ListFile)>,
    /// `data/changes/*.toml`: renames and revocations.
    pub changes: Vec<(PathBuf, crate::source::changes::ChangesFile)>,
    pub static_files: Vec<PathBuf>,
}

/// The data files of one notice, `data/notices/<programme>/<year>/`.
#[derive(Debug)]
pub struct NoticeData {
    /// `data/notices/<programme>/<year>`.
    pub dir: PathBuf,
    pub programme: String,
    pub year: String,
    pub schedule: Option<(PathBuf, ScheduleFile)>,
    pub criteria: Option<(PathBuf, CriteriaFile)>,
}

#[derive(Debug)]
pub struct RawPage {
    /// Relative to the root, e.g. `content/notice.md`.
    pub source: PathBuf,
    pub front: FrontMatter,
    pub body: String,
    /// Byte offset of `body` in the file, for positions of problems in the Markdown.
    pub body_offset: usize,
}

/// Checks that `root` is a folder that can be read, so that a mistyped `--root` gets one
/// clear error instead of a missing-file error for every file of a site.
pub fn check_root(root: &Path) -> Result<(), Diagnostic> {
    match std::fs::read_dir(root) {
        Ok(_) => Ok(()),
        Err(e) => Err(Diagnostic::err(
            "root",
            root,
            if e.kind() == std::io::ErrorKind::NotFound {
                "找不到网站文件夹 (no such folder)".to_string()
            } else {
                format!("无法打开网站文件夹：{e} (cannot open the site folder)")
            },
        )
        .help("--root 要指向包含 content/ 和 data/ 的网站文件夹；不写 --root 时使用当前文件夹")),
    }
}

/// Reads the whole site under `root`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Loaded {
    for (old, new) in RETIRED {
        if root.join(old).exists() {
            diags.push(
                Diagnostic::err(
                    "file-retired",
                    old,
                    format!("{old} 已不再使用：每年的通知各有自己的数据文件 (a retired file)"),
                )
                .help(format!(
                    "把它移到 {new}（写法见 README 的数据文件说明），再删去 {old}"
                )),
            );
        }
    }
    Loaded {
        config: read_toml(root, Path::new(SITE_FILE), true, diags),
        districts: read_toml(root, Path::new(DISTRICTS_FILE), true, diags),
        calendars: read_calendars(root, diags),
        programmes: read_programmes(root, diags),
        notice_data: read_notice_data(root, diags),
        lists: read_lists(root, diags),
        changes: read_changes(root, diags),
        pages: read_pages(root, diags),
        static_files: list_files(root, Path::new("static"), diags),
    }
}

/// What the enterprise directory is made of: the site's configuration, districts,
/// calendars, programmes, every list and every change (no pages, notices or static files).
/// The clerk's enterprise commands check and read just this, so that a problem in a page
/// does not block them.
pub fn load_records(root: &Path, diags: &mut Diagnostics) -> Loaded {
    Loaded {
        config: read_toml(root, Path::new(SITE_FILE), true, diags),
        districts: read_toml(root, Path::new(DISTRICTS_FILE), true, diags),
        calendars: read_calendars(root, diags),
        programmes: read_programmes(root, diags),
        lists: read_lists(root, diags),
        changes: read_changes(root, diags),
        ..Loaded::default()
    }
}

/// `data/lists/*.toml`.
pub fn read_lists(root: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, ListFile)> {
    read_toml_dir_with(root, Path::new(LISTS_DIR), diags, fastlist::parse)
}

/// `data/calendar/*.toml`.
pub fn read_calendars(root: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, CalendarFile)> {
    read_toml_dir(root, Path::new(CALENDAR_DIR), diags)
}

/// `data/changes/*.toml`.
pub fn read_changes(
    root: &Path,
    diags: &mut Diagnostics,
) -> Vec<(PathBuf, crate::source::changes::ChangesFile)> {
    read_toml_dir(root, Path::new(CHANGES_DIR), diags)
}

/// `data/programmes/*.toml`.
pub fn read_programmes(root: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, ProgrammeFile)> {
    read_toml_dir(root, Path::new(PROGRAMMES_DIR), diags)
}

/// `data/notices/<programme>/<year>/{schedule,criteria}.toml`; any other file there is an
/// error (a misplaced file would otherwise be silently ignored).
fn read_notice_data(root: &Path, diags: &mut Diagnostics) -> Vec<NoticeData> {
    let base = Path::new(NOTICES_DIR);
    let mut out: Vec<NoticeData> = Vec::new();
    for rel in list_files(root, base, diags) {
        let parts: Vec<String> = rel
            .strip_prefix(base)
            .unwrap_or(&rel)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        let [programme, year, name] = parts.as_slice() else {
            diags.push(misplaced_notice_file(&rel));
            continue;
        };
        if name != SCHEDULE_NAME && name != CRITERIA_NAME {
            diags.push(misplaced_notice_file(&rel));
            continue;
        }
        let dir = base.join(programme).join(year);
        let i = match out.iter().position(|n| n.dir == dir) {
            Some(i) => i,
            None => {
                out.push(NoticeData {
                    dir: dir.clone(),
                    programme: programme.clone(),
                    year: year.clone(),
                    schedule: None,
                    criteria: None,
                });
                out.len() - 1
            }
        };
        if name == SCHEDULE_NAME {
            out[i].schedule = read_toml(root, &rel, true, diags).map(|v| (rel, v));
        } else {
            out[i].criteria = read_toml(root, &rel, true, diags).map(|v| (rel, v));
        }
    }
    out
}

fn misplaced_notice_file(rel: &Path) -> Diagnostic {
    Diagnostic::err(
        "notice-file",
        rel,
        "这个文件不在通知数据的位置上 (a file out of place in data/notices)",
    )
    .help("通知的数据文件是 data/notices/<项目编号>/<年份>/schedule.toml（关键日期）和 criteria.toml（条件和评价标准）")
}

/// `data/site.toml` alone, for a command that needs only the site's settings (deploy's
/// `[deploy]`): a missing file is no error here.
pub fn read_site_config(root: &Path, diags: &mut Diagnostics) -> Option<SiteConfig> {
    read_toml(root, Path::new(SITE_FILE), false, diags)
}

/// Reads and parses one TOML file. A missing required file is an error that says how to
/// create it.
pub fn read_toml<T: DeserializeOwned>(
    root: &Path,
    rel: &Path,
    required: bool,
    diags: &mut Diagnostics,
) -> Option<T> {
    if !refuse_links_on_the_way(root, rel, diags) {
        return None;
    }
    let text = match std::fs::read_to_string(root.join(rel)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if required {
                diags.push(
                    Diagnostic::err("file-missing", rel, format!("缺少文件 {} (file not found)", rel.display()))
                        .help(format!(
                            "新建 {}（格式见 README 的数据文件说明）；或用 --root 指向包含 content/ 和 data/ 的网站文件夹",
                            rel.display()
                        )),
                );
            }
            return None;
        }
        Err(e) => {
            diags.push(
                Diagnostic::err(
                    "file-unreadable",
                    rel,
                    format!("无法读取：{e} (cannot read)"),
                )
                .help(
                    "数据文件必须是 UTF-8 编码的文本文件，且可以读取；表格要用 gazette import 导入",
                ),
            );
            return None;
        }
    };
    let (value, file_diags) = parse_toml::<T>(rel, text);
    diags.extend(file_diags);
    value
}

/// Parses TOML text, returning the value or diagnostics pointing at the problems.
/// Pure, so that many files can be parsed in parallel.
pub fn parse_toml<T: DeserializeOwned>(rel: &Path, text: String) -> (Option<T>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let text: Arc<str> = Arc::from(text);
    diags.add_source(rel, text.clone());
    // A byte-order mark is blanked, not cut off, so that every span is a file position.
    let value = match text.strip_prefix('\u{feff}') {
        Some(rest) => parse_toml_at(rel, &format!("   {rest}"), &mut diags),
        None => parse_toml_at(rel, &text, &mut diags),
    };
    (value, diags)
}

/// Parses TOML whose byte offsets are already positions in the file `rel` (front matter
/// arrives with the lines before it blanked). Strings holding characters that may not be
/// published are errors at their position, alongside any error of the file's shape.
pub(crate) fn parse_toml_at<T: DeserializeOwned>(
    rel: &Path,
    toml_text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let table = match toml::de::DeTable::parse(toml_text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(toml_errors::diagnostic(rel, &e, toml_text));
            return None;
        }
    };
    // Refused characters are errors, but the file is still read, so that its other
    // problems are reported in the same run.
    check_strings(rel, &table, diags);
    match T::deserialize(toml::de::Deserializer::from(table)) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(toml_errors::diagnostic(rel, &e, toml_text));
            None
        }
    }
}

/// Why a string read from a data file may not be published, if it may not: the one check
/// of the characters of every string, applied by the TOML path (`check_strings`) and by the
/// list files' fast path (`fastlist`), which leaves a file it would refuse to the TOML path
/// so that the diagnostic is the same.
pub fn string_problem(s: &str) -> Option<String> {
    crate::domain::text::problem(s, false)
}

/// Reports every string of a parsed file that holds a character no page may show.
fn check_strings(
    rel: &Path,
    table: &toml::Spanned<toml::de::DeTable<'_>>,
    diags: &mut Diagnostics,
) {
    use toml::de::DeValue;
    fn walk(rel: &Path, v: &toml::Spanned<DeValue<'_>>, diags: &mut Diagnostics, clean: &mut bool) {
        match v.get_ref() {
            DeValue::String(s) => {
                if let Some(p) = string_problem(s) {
                    *clean = false;
                    diags.push(
                        Diagnostic::err("text-char", rel, format!("文字中有不能发布的字符：{p} (a character that cannot be published)"))
                            .at(v.span())
                            .label("这里")
                            .help("删掉这个字符；它通常是从别处复制文字时带进来的，在编辑器里看不见 (delete it: it usually comes with copied text and is invisible)"),
                    );
                }
            }
            DeValue::Array(a) => a.iter().for_each(|e| walk(rel, e, diags, clean)),
            DeValue::Table(t) => t.iter().for_each(|(_, e)| walk(rel, e, diags, clean)),
            _ => {}
        }
    }
    let mut clean = true;
    for (_, v) in table.get_ref().iter() {
        walk(rel, v, diags, &mut clean);
    }
}

/// Every `*.toml` file directly in a folder, in name order, parsed in parallel.
fn read_toml_dir<T: DeserializeOwned + Send>(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(PathBuf, T)> {
    read_toml_dir_with(root, dir, diags, |_| None)
}

/// Like `read_toml_dir`, trying `fast` first (falling back to the `toml` crate, which
/// also gives the diagnostics).
fn read_toml_dir_with<T: DeserializeOwned + Send>(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    fast: fn(&str) -> Option<T>,
) -> Vec<(PathBuf, T)> {
    let mut files: Vec<PathBuf> = toml_files_in(root, dir, diags);
    files.sort();
    let results: Vec<(PathBuf, Option<T>, Diagnostics)> = files
        .into_par_iter()
        .map(|rel| match std::fs::read_to_string(root.join(&rel)) {
            Ok(text) => {
                if let Some(v) = fast(&text) {
                    let mut d = Diagnostics::new();
                    d.add_source(&rel, Arc::from(text));
                    return (rel, Some(v), d);
                }
                let (v, d) = parse_toml::<T>(&rel, text);
                (rel, v, d)
            }
            Err(e) => {
                let mut d = Diagnostics::new();
                d.push(
                    Diagnostic::err(
                        "file-unreadable",
                        &rel,
                        format!("无法读取：{e} (cannot read)"),
                    )
                    .help("数据文件必须是 UTF-8 编码的文本文件；表格要用 gazette import 导入"),
                );
                (rel, None, d)
            }
        })
        .collect();
    let mut out = Vec::new();
    for (rel, v, d) in results {
        diags.extend(d);
        if let Some(v) = v {
            out.push((rel, v));
        }
    }
    out
}

/// Markdown pages under `content/`, in path order.
fn read_pages(root: &Path, diags: &mut Diagnostics) -> Vec<RawPage> {
    let mut pages = Vec::new();
    for rel in list_files(root, Path::new("content"), diags) {
        if rel.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = match std::fs::read_to_string(root.join(&rel)) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::err(
                        "file-unreadable",
                        &rel,
                        format!("无法读取：{e} (cannot read)"),
                    )
                    .help("页面文件必须是 UTF-8 编码的文本文件，且可以读取"),
                );
                continue;
            }
        };
        if let Some(p) = parse_page(&rel, text, diags) {
            pages.push(p);
        }
    }
    pages
}

/// Splits and parses one Markdown page.
pub fn parse_page(rel: &Path, text: String, diags: &mut Diagnostics) -> Option<RawPage> {
    let text: Arc<str> = Arc::from(text);
    diags.add_source(rel, text.clone());
    match split_front_matter(&text) {
        Ok(split) => {
            // The lines before the front matter are blanked (line breaks kept), so that
            // every span the parser reports is a position in the file.
            let mut toml_text: String = text.as_bytes()[..split.front.start]
                .iter()
                .map(|&b| if b == b'\n' { '\n' } else { ' ' })
                .collect();
            toml_text.push_str(&text[split.front.clone()]);
            let front = parse_toml_at::<FrontMatter>(rel, &toml_text, diags)?;
            Some(RawPage {
                source: rel.to_path_buf(),
                front,
                body_offset: split.body.start,
                body: text[split.body].to_string(),
            })
        }
        Err(e) => {
            let (msg, help, span) = match e {
                SplitError::Missing => (
                    "页面开头没有页面信息（front matter）(no front matter)".to_string(),
                    "文件第一行写 +++，接着写 title = \"标题\"，再写一行 +++，然后是正文"
                        .to_string(),
                    0..0,
                ),
                SplitError::Unclosed { open } => (
                    "这里开始的页面信息（front matter）没有结束 (front matter not closed)"
                        .to_string(),
                    "在页面信息的最后一行之后加一行，只写 +++".to_string(),
                    open,
                ),
            };
            diags.push(
                Diagnostic::err("front-matter", rel, msg)
                    .at(span)
                    .label("从这里开始")
                    .help(help),
            );
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the TOML between the `+++` lines.
    pub front: std::ops::Range<usize>,
    pub body: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    Missing,
    Unclosed { open: std::ops::Range<usize> },
}

/// Finds TOML front matter between `+++` lines at the top of a file (after an optional
/// byte-order mark and blank lines). Byte ranges keep error positions true to the file.
pub fn split_front_matter(text: &str) -> Result<Split, SplitError> {
    let mut pos = 0;
    if text.starts_with('\u{feff}') {
        pos = '\u{feff}'.len_utf8();
    }
    // Skip blank lines before the opening fence.
    loop {
        let rest = &text[pos..];
        let line_end = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
        let line = &rest[..line_end];
        if line.trim().is_empty() && line_end > 0 && pos + line_end < text.len() {
            pos += line_end;
            continue;
        }
        if line.trim_end() != "+++" {
            return Err(SplitError::Missing);
        }
        let open = pos..pos + 3;
        let front_start = pos + line_end;
        let mut cursor = front_start;
        while cursor < text.len() {
            let rest = &text[cursor..];
            let end = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
            if rest[..end].trim_end() == "+++" {
                return Ok(Split {
                    front: front_start..cursor,
                    body: cursor + end..text.len(),
                });
            }
            cursor += end;
        }
        return Err(SplitError::Unclosed { open });
    }
}

/// The `*.toml` files directly in `root/dir`, relative to `root`. A missing folder has
/// none; an unreadable folder or entry, a folder named like a data file and a symbolic
/// link are errors, never skipped in silence.
fn toml_files_in(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !refuse_links_on_the_way(root, dir, diags) {
        return Vec::new();
    }
    let rd = match std::fs::read_dir(root.join(dir)) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            diags.push(unreadable(dir, &e));
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for entry in rd {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(unreadable(dir, &e));
                continue;
            }
        };
        let rel = dir.join(entry.file_name());
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || !name.ends_with(".toml") {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_file() => files.push(rel),
            Ok(t) if t.is_dir() => diags.push(
                Diagnostic::err(
                    "file-folder",
                    &rel,
                    "这是一个文件夹，不是数据文件 (a folder named like a data file)",
                )
                .help(format!(
                    "数据文件必须是文件：把 {} 改名（去掉 .toml），或把它里面的文件移出来",
                    display_path(&rel)
                )),
            ),
            Ok(_) => diags.push(symlink_error(&rel)),
            Err(e) => diags.push(unreadable(&rel, &e)),
        }
    }
    files
}

fn unreadable(rel: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::err(
        "file-unreadable",
        rel,
        format!("无法读取：{e} (cannot read)"),
    )
    .help("检查这个文件或文件夹的权限（运行 gazette 的用户必须能读取它）；读不全的网站不会被生成")
}

/// One rule for every input path, folders included: no symbolic link anywhere between the
/// site folder and what is read (`data/`, `data/lists/`, `themes/`, `themes/<name>/`,
/// `content/`…). A link could publish a folder from outside the site (another theme's
/// `static/`). Reports the first linked part once (however many files lie behind it) and
/// says whether `rel` may be read.
pub fn refuse_links_on_the_way(root: &Path, rel: &Path, diags: &mut Diagnostics) -> bool {
    let mut part = PathBuf::new();
    for component in rel.components() {
        part.push(component);
        let linked = std::fs::symlink_metadata(root.join(&part)).is_ok_and(|m| m.is_symlink());
        if linked {
            let reported = diags
                .items()
                .iter()
                .any(|d| d.code == Some("symlink") && d.file.as_deref() == Some(&part));
            if !reported {
                diags.push(symlink_error(&part));
            }
            return false;
        }
    }
    true
}

fn symlink_error(rel: &Path) -> Diagnostic {
    Diagnostic::err("symlink", rel, "这是一个符号链接（快捷方式），不是文件 (a symbolic link)").help(
        "把它指向的文件本身复制到这里，替换这个链接：网站只发布网站文件夹里的文件，链接可能指向不该公开的文件",
    )
}

/// All files below `root/dir`, relative to `root`, sorted so output never depends on the
/// file system's order. Hidden files (editor swap files, `.DS_Store`) are skipped; a folder
/// or file that cannot be read, and a symbolic link, are errors.
pub fn list_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.exists() && base.symlink_metadata().is_err() {
        return Vec::new();
    }
    if !refuse_links_on_the_way(root, dir, diags) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walk = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .unwrap_or(dir)
                    .to_path_buf();
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("loop"));
                diags.push(unreadable(&at, &io));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(root).map(Path::to_path_buf) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        if name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        let t = entry.file_type();
        if t.is_symlink() {
            diags.push(symlink_error(&rel));
        } else if t.is_file() {
            out.push(rel);
        } else if !t.is_dir() {
            diags.push(
                Diagnostic::err(
                    "file-unreadable",
                    &rel,
                    "这不是普通文件 (not a regular file)",
                )
                .help("网站文件夹里只能放普通文件和文件夹：删除它"),
            );
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_with_exact_offsets() {
        let text = "+++\ntitle = \"x\"\n+++\nbody\n";
        let s = split_front_matter(text).unwrap();
        assert_eq!(&text[s.front.clone()], "title = \"x\"\n");
        assert_eq!(&text[s.body], "body\n");
    }

    #[test]
    fn front_matter_after_bom_and_blank_lines() {
        let text = "\u{feff}\n\n+++\ntitle = \"x\"\n+++\n";
        let s = split_front_matter(text).unwrap();
        assert_eq!(&text[s.front], "title = \"x\"\n");
    }

    #[test]
    fn unclosed_and_missing_front_matter() {
        assert_eq!(
            split_front_matter("+++\ntitle = \"x\"\nbody"),
            Err(SplitError::Unclosed { open: 0..3 })
        );
        assert_eq!(split_front_matter("# title"), Err(SplitError::Missing));
        assert_eq!(split_front_matter(""), Err(SplitError::Missing));
        assert_eq!(
            split_front_matter("+++"),
            Err(SplitError::Unclosed { open: 0..3 })
        );
    }

    #[test]
    fn toml_error_in_front_matter_points_into_the_file() {
        let mut diags = Diagnostics::new();
        let text = "+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n".to_string();
        assert!(parse_page(Path::new("content/a.md"), text, &mut diags).is_none());
        let out = diags.render(false);
        assert!(out.contains("content/a.md:3:1"), "{out}");
        assert!(out.contains("unknown field `titel`"), "{out}");
    }
}
