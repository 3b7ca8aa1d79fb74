//! The list files of a site, as the clerk's commands see them: finding one by its id, and
//! the state of every list (stage, draft and sample marks, counts, period, state today).
//! Each list is checked on its own, so one broken file does not hide the others. Writing a
//! list file (import, `gazette new list`, `gazette list …`) is `write`'s.

pub mod write;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::datefmt::{zh_date, zh_period};
use crate::domain::publicity::{self, State};
use crate::load;
use crate::model::{EnterpriseList, Stage};
use crate::source::list::ListFile;
use crate::validate::{self, SiteData};

/// One list file, read and checked.
pub struct ListEntry {
    /// The list's id (the file name's stem when the file names no known programme or kind).
    pub id: String,
    /// `data/lists/<id>.toml`.
    pub file: PathBuf,
    pub text: String,
    pub raw: ListFile,
    /// The checked list; `None` when the file has errors (in `problems`).
    pub list: Option<EnterpriseList>,
    pub problems: Diagnostics,
}

/// The id a list file means, as far as it can be told without checking the file.
fn raw_id(rel: &Path, raw: &ListFile, site: &SiteData) -> String {
    let computed = site
        .programme(raw.programme.as_ref().map(|p| p.get_ref().trim()))
        .map(|pi| &site.programmes[pi])
        .and_then(|p| {
            let kind = p.kind(raw.kind.get_ref())?;
            let batch = u32::try_from(*raw.batch.get_ref())
                .ok()
                .filter(|b| *b >= 1)?;
            Some(p.list_id(*raw.year.get_ref(), batch, &p.kinds[kind].id))
        });
    computed.unwrap_or_else(|| {
        rel.file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    })
}

/// Every list file under `data/lists/`, in file order; a file that does not parse is a
/// diagnostic.
pub fn read_all(root: &Path, site: &SiteData, diags: &mut Diagnostics) -> Vec<ListEntry> {
    let mut out = Vec::new();
    for rel in load::list_files(root, Path::new(load::LISTS_DIR), diags) {
        if rel.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        if let Some(e) = read_one(root, &rel, site, diags) {
            out.push(e);
        }
    }
    out
}

/// One list file, parsed and checked.
pub fn read_one(
    root: &Path,
    rel: &Path,
    site: &SiteData,
    diags: &mut Diagnostics,
) -> Option<ListEntry> {
    let text = match std::fs::read_to_string(root.join(rel)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::err(
                "file-unreadable",
                rel,
                format!("无法读取：{e} (cannot read)"),
            ));
            return None;
        }
    };
    let (raw, parsed) = load::parse_toml::<ListFile>(rel, text.clone());
    let Some(raw) = raw else {
        diags.extend(parsed);
        return None;
    };
    let mut problems = parsed;
    let list = validate::check_list(rel, raw.clone(), site, &mut problems)
        .filter(|_| !problems.has_errors());
    Some(ListEntry {
        id: list
            .as_ref()
            .map(|l| l.id.clone())
            .unwrap_or_else(|| raw_id(rel, &raw, site)),
        file: rel.to_path_buf(),
        text,
        raw,
        list,
        problems,
    })
}

/// The list with this id, or an error that names the ids there are.
pub fn find(root: &Path, id: &str, site: &SiteData) -> Result<ListEntry, Diagnostics> {
    let mut diags = Diagnostics::new();
    let direct = PathBuf::from(load::LISTS_DIR).join(format!("{id}.toml"));
    if root.join(&direct).is_file() {
        if let Some(e) = read_one(root, &direct, site, &mut diags) {
            return Ok(e);
        }
        return Err(diags);
    }
    let all = read_all(root, site, &mut diags);
    let ids: Vec<String> = all.iter().map(|e| e.id.clone()).collect();
    if let Some(e) = all.into_iter().find(|e| e.id == id) {
        return Ok(e);
    }
    diags.push(
        Diagnostic::err(
            "list-unknown",
            &direct,
            format!("没有编号为 {id} 的名单 (no such list)"),
        )
        .help(if ids.is_empty() {
            "data/lists/ 中还没有名单：用 gazette import 或 gazette new list 建立".to_string()
        } else {
            format!("现有的名单：{}（gazette lists 列出全部）", ids.join("、"))
        }),
    );
    Err(diags)
}

/// A list's state as a clerk reads it in `gazette lists`.
pub struct Status {
    pub id: String,
    pub file: PathBuf,
    pub title: String,
    /// 公示 / 公告.
    pub stage: &'static str,
    pub draft: bool,
    pub sample: bool,
    pub enterprises: usize,
    pub withdrawn: usize,
    /// "2026年11月23日至11月27日", or "—".
    pub period: String,
    /// "未开始", "公示中（还有2个工作日）", "公示已结束", "已公告（2026年8月25日）", "草稿", "有错误".
    pub state: String,
    /// What can be done with the list now (the console offers it).
    pub next: Next,
}

/// The step a list is waiting for, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The file has errors: fix them first.
    Fix,
    /// A draft, or a list without a publicity period: start its publicity.
    Publish,
    /// The publicity period has not started yet.
    AwaitPublicity,
    /// Under publicity: objections come in, enterprises may be withdrawn.
    Objections,
    /// The publicity period has ended: announce the list.
    Announce,
    /// Announced: nothing is left to do.
    Done,
}

/// The step `list` waits for on `today`.
fn next_step(entry: &ListEntry, today: NaiveDate) -> Next {
    let Some(l) = &entry.list else {
        return Next::Fix;
    };
    if entry.raw.draft {
        return Next::Publish;
    }
    if l.stage == Stage::Announced {
        return Next::Done;
    }
    match &l.publicity {
        None => Next::Publish,
        Some(p) => match publicity::state(p.start, p.end, today) {
            State::Upcoming => Next::AwaitPublicity,
            State::Open => Next::Objections,
            State::Ended => Next::Announce,
        },
    }
}

/// The state of every list as of `today`.
pub fn statuses(entries: &[ListEntry], site: &SiteData, today: NaiveDate) -> Vec<Status> {
    let mut out: Vec<Status> = entries
        .iter()
        .map(|e| {
            let raw = &e.raw;
            let (title, period, state, enterprises, withdrawn) = match &e.list {
                Some(l) => {
                    let period = l
                        .publicity
                        .as_ref()
                        .map(|p| zh_period(p.start, p.end))
                        .unwrap_or_else(|| "—".into());
                    let state = if raw.draft {
                        "草稿（不发布）".to_string()
                    } else {
                        match (&l.announcement, &l.publicity) {
                            (Some(a), _) if l.stage == Stage::Announced => {
                                format!("已公告（{}）", zh_date(a.date))
                            }
                            (_, Some(p)) => match publicity::state(p.start, p.end, today) {
                                State::Upcoming => "公示未开始".to_string(),
                                State::Open => {
                                    let left = if p.calendar_days.is_some() {
                                        format!("{}天", publicity::days_left(p.start, p.end, today))
                                    } else {
                                        publicity::working_days_left(
                                            &site.calendar,
                                            p.start,
                                            p.end,
                                            today,
                                        )
                                        .map(|n| format!("{n}个工作日"))
                                        .unwrap_or_default()
                                    };
                                    format!("公示中（还有{left}）")
                                }
                                State::Ended => "公示已结束，待公告".to_string(),
                            },
                            _ => "—".to_string(),
                        }
                    };
                    (
                        l.title.clone(),
                        period,
                        state,
                        l.enterprises.len(),
                        l.withdrawn_count(),
                    )
                }
                None => (
                    raw.title.clone().unwrap_or_default(),
                    "—".into(),
                    "有错误（运行 gazette check 查看）".to_string(),
                    raw.enterprise.len(),
                    raw.enterprise
                        .iter()
                        .filter(|r| r.withdrawn.is_some())
                        .count(),
                ),
            };
            Status {
                id: e.id.clone(),
                file: e.file.clone(),
                title,
                stage: raw.stage.get_ref().zh(),
                draft: raw.draft,
                sample: raw.sample,
                enterprises,
                withdrawn,
                period,
                state,
                next: next_step(e, today),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}
