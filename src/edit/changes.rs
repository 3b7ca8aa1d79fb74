//! The enterprise directory's records as commands: a rename (简单更名) or the revocation of
//! a title (撤销称号) appended to `data/changes/<year of its date>.toml` (`gazette enterprise
//! rename`, `gazette enterprise revoke`), and one enterprise found by its credit code or by
//! a name it bears or bore (`gazette enterprise show`).
//!
//! Written like the list commands: under the data lock on a fresh read, refused with the
//! reason and a way forward, and checked with every list and every other change, as
//! `gazette check` checks them, before the file is replaced (or created) in one step.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use toml_edit::{value, ArrayOfTables, DocumentMut, Item, Table};

use crate::diag::{Diagnostic, Diagnostics};
use crate::directory::{Directory, Entry, Record};
use crate::domain::credit_code;
use crate::domain::datefmt::zh_date;
use crate::domain::honour::{Grant, Status};
use crate::load;
use crate::model::Site;
use crate::source::changes::ChangesFile;
use crate::store;
use crate::validate::{self, MAX_NAME_CHARS, MAX_REASON_CHARS};

use super::date_item;

/// The longest 文号 a record takes (as `gazette check` counts it).
const MAX_DOCUMENT_CHARS: usize = 100;

/// A record to add.
#[derive(Debug, Clone)]
pub enum Change {
    /// The enterprise is called `to` from `date` on. `from` is the name it bore until then:
    /// by default the one it bore that day (its listed name, or an earlier rename's).
    Rename {
        code: String,
        to: String,
        date: NaiveDate,
        from: Option<String>,
        document: Option<String>,
    },
    /// The title of `programme` (by default the one programme whose title it was granted)
    /// is revoked from `date`, for `reason`.
    Revoke {
        code: String,
        date: NaiveDate,
        reason: String,
        programme: Option<String>,
        document: Option<String>,
    },
}

impl Change {
    fn date(&self) -> NaiveDate {
        match self {
            Change::Rename { date, .. } | Change::Revoke { date, .. } => *date,
        }
    }

    fn code(&self) -> &str {
        match self {
            Change::Rename { code, .. } | Change::Revoke { code, .. } => code,
        }
    }
}

/// What a record says, as facts: the clerk's commands and the console word it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// From `date` the enterprise named `from` is named `to`.
    Renamed {
        date: NaiveDate,
        from: String,
        to: String,
    },
    /// From `date` the enterprise no longer holds `programme`'s title (its name).
    Revoked {
        date: NaiveDate,
        programme: String,
        reason: String,
    },
}

/// What a record did.
#[derive(Debug)]
pub struct Recorded {
    /// `data/changes/<year>.toml`.
    pub file: PathBuf,
    /// The file was created (the first record of its year).
    pub created: bool,
    pub credit_code: String,
    /// The enterprise's name before the record (as clerks know it).
    pub name: String,
    /// What was recorded; the command layer words it.
    pub done: Done,
    /// The file's text before the record (`None`: it is new) and after (the console shows
    /// the difference).
    pub before: Option<String>,
    pub after: String,
}

/// Appends `change` to `data/changes/<year of its date>.toml` of the site at `root`.
/// `on_wait` is called when another command holds the data lock and this one waits.
pub fn record(root: &Path, change: &Change, on_wait: &dyn Fn()) -> Result<Recorded, Diagnostics> {
    if let Err(d) = load::check_root(root) {
        return Err(super::one(d));
    }
    check_year(change)?;
    let _lock = super::lock(root, on_wait)?;
    let recorded = prepare(root, change)?;
    super::write(
        root,
        &recorded.file,
        &recorded.after,
        recorded.before.is_some(),
        Diagnostic::cannot_write_data,
    )?;
    Ok(recorded)
}

/// What `record` would write, refused for the same reasons, without writing anything (and
/// without the data lock): the console shows it before the clerk confirms.
pub fn preview(root: &Path, change: &Change) -> Result<Recorded, Diagnostics> {
    if let Err(d) = load::check_root(root) {
        return Err(super::one(d));
    }
    check_year(change)?;
    prepare(root, change)
}

fn check_year(change: &Change) -> Result<(), Diagnostics> {
    let date = change.date();
    if (2000..=2100).contains(&date.year()) {
        return Ok(());
    }
    Err(super::one(
        Diagnostic::usage(
            "usage-year",
            format!("--date {date} 的年份不像是真的 (not plausible)"),
        )
        .help("写更名或撤销文件上的日期，例如 --date 2026-04-20"),
    ))
}

/// The record checked against a fresh read of the site and appended to its file's text in
/// memory (`record` calls it under the data lock).
fn prepare(root: &Path, change: &Change) -> Result<Recorded, Diagnostics> {
    let mut diags = Diagnostics::new();
    let date = change.date();
    let rel = PathBuf::from(load::CHANGES_DIR).join(format!("{}.toml", date.year()));
    // A fresh read: the site as it is now, which must check before a record is added to it.
    let site = load_checked(root, date, true, &mut diags).ok_or_else(|| blocked(diags))?;
    let directory = Directory::compile(&site);
    let entry = find_code(&directory, change.code())?;
    let (key, table, done) = match change {
        Change::Rename {
            to,
            date,
            from,
            document,
            ..
        } => rename(
            &site,
            entry,
            &rel,
            to,
            *date,
            from.as_deref(),
            document.as_deref(),
        )?,
        Change::Revoke {
            date,
            reason,
            programme,
            document,
            ..
        } => revoke(
            &site,
            entry,
            &rel,
            *date,
            reason,
            programme.as_deref(),
            document.as_deref(),
        )?,
    };
    let before = store::read_optional(&root.join(&rel)).map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::err(
                "file-unreadable",
                &rel,
                format!("无法读取：{e} (cannot read)"),
            )
            .help("检查这个文件的权限（运行 gazette 的用户必须能读写它）"),
        );
        d
    })?;
    let text = append(before.as_deref(), &rel, date.year(), key, table)?;
    verify(root, &rel, &text, date)?;
    Ok(Recorded {
        file: rel,
        created: before.is_none(),
        credit_code: entry.credit_code.clone(),
        name: entry.name.clone(),
        done,
        before,
        after: text,
    })
}

/// The site's records (configuration, districts, programmes, lists, changes), checked as
/// `gazette check` checks them (`include_drafts`) or as `gazette build` does.
fn load_checked(
    root: &Path,
    today: NaiveDate,
    include_drafts: bool,
    diags: &mut Diagnostics,
) -> Option<Site> {
    if let Err(d) = load::check_root(root) {
        diags.push(d);
        return None;
    }
    let loaded = load::load_records(root, diags);
    let opts = validate::Options { include_drafts };
    let site = validate::validate(root, loaded, today, opts, diags);
    site.filter(|_| !diags.has_errors())
}

/// The refusal when the site does not check before the change: its errors, and why
/// nothing was recorded.
fn blocked(mut diags: Diagnostics) -> Diagnostics {
    diags.retain_errors();
    diags.sort();
    diags.push(
        Diagnostic::general(
            "名单或 data/changes/ 中有错误，先改正它们再记录更名或撤销 (the lists or the changes have errors)",
        )
        .code("changes-has-errors")
        .help("gazette check 会列出同样的问题；更名和撤销要对照全部名单检查，名单有错误时无法检查"),
    );
    diags
}

/// A refusal of the record, on the changes file it would go into.
fn refuse(code: &'static str, file: &Path, msg: String, help: String) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.push(Diagnostic::err(code, file, msg).help(help));
    d
}

/// The directory entry of a credit code, or a refusal naming the closest codes.
fn find_code<'d>(directory: &'d Directory, code: &str) -> Result<&'d Entry, Diagnostics> {
    let wanted = credit_code::normalize(code);
    let mut d = Diagnostics::new();
    if let Err(e) = credit_code::validate(&wanted) {
        d.push(
            Diagnostic::general(format!("{wanted}：{e} (invalid credit code)"))
                .code("credit-code")
                .help("统一社会信用代码有18位，请与营业执照核对；不知道代码时，用 gazette enterprise show 企业名称 查找"),
        );
        return Err(d);
    }
    if let Some(e) = directory.find(&wanted) {
        return Ok(e);
    }
    d.push(unknown_code(directory, &wanted));
    Err(d)
}

fn unknown_code(directory: &Directory, wanted: &str) -> Diagnostic {
    let mut close: Vec<(usize, String)> = directory
        .entries
        .iter()
        .map(|e| {
            (
                strsim::levenshtein(&e.credit_code, wanted),
                format!("{}（{}）", e.credit_code, e.name),
            )
        })
        .filter(|(d, _)| *d <= 3)
        .collect();
    close.sort();
    Diagnostic::general(format!(
        "统一社会信用代码为 {wanted} 的企业不在任何已发布的名单中 (not on any published list)"
    ))
    .code("enterprise-unknown")
    .help(if close.is_empty() {
        "核对代码；gazette enterprise show 企业名称 可以按名称查找代码（草稿名单中的企业要等名单公示后才有记录）".to_string()
    } else {
        format!(
            "您是不是要写 {}？",
            close
                .iter()
                .take(3)
                .map(|c| c.1.clone())
                .collect::<Vec<_>>()
                .join(" 或 ")
        )
    })
}

/// A text of the record: trimmed, on one line, not empty (`what` names it) and not longer
/// than `max`; `code` is the refusal's code for an empty or over-long text.
fn one_line(
    file: &Path,
    code: &'static str,
    what: &str,
    raw: &str,
    max: usize,
    example: &str,
) -> Result<String, Diagnostics> {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(refuse(
            code,
            file,
            format!("{what}不能为空 (empty)"),
            format!("写明{what}，例如 {example}"),
        ));
    }
    if n > max {
        return Err(refuse(
            code,
            file,
            format!("{what}有{n}个字，超过{max}个字的上限 (too long)"),
            format!("{what}显示在企业页面上，写一两句话，例如 {example}；详细情况见文件本身"),
        ));
    }
    if let Some(why) = crate::domain::text::problem(t, crate::domain::text::SINGLE_LINE) {
        return Err(refuse(
            "text-char",
            file,
            format!("{what}中有不能发布的字符：{why}"),
            format!("{what}只占一行；删掉这个字符（多半是从别处复制文字时带进来的）"),
        ));
    }
    Ok(t.to_string())
}

fn document(file: &Path, raw: Option<&str>) -> Result<Option<String>, Diagnostics> {
    raw.map(|d| {
        one_line(
            file,
            "changes-text",
            "文号",
            d,
            MAX_DOCUMENT_CHARS,
            "--document \"辽工信改革〔2026〕6号\"",
        )
    })
    .transpose()
}

/// Every (date, name) under which the enterprise's lists name it, oldest first.
fn listed_names(site: &Site, entry: &Entry) -> Vec<(Option<NaiveDate>, String)> {
    let mut names: Vec<(Option<NaiveDate>, String)> = entry
        .records
        .iter()
        .flat_map(|r| &r.listings)
        .map(|l| {
            (
                site.lists[l.list].date(),
                site.lists[l.list].enterprises[l.n - 1].name.clone(),
            )
        })
        .collect();
    names.sort();
    names
}

/// The name the enterprise bore on `date`: the latest earlier rename's new name, else the
/// name of its latest list up to that day (else of its first list).
fn name_on(site: &Site, entry: &Entry, date: NaiveDate) -> String {
    if let Some(r) = entry
        .renames
        .iter()
        .map(|&ri| &site.renames[ri])
        .filter(|r| r.date < date)
        .max_by_key(|r| r.date)
    {
        return r.to.clone();
    }
    let listed = listed_names(site, entry);
    listed
        .iter()
        .rev()
        .find(|(d, _)| d.is_some_and(|d| d <= date))
        .or(listed.first())
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| entry.name.clone())
}

/// Checks a rename against the enterprise's lists and earlier renames; the table to write.
fn rename(
    site: &Site,
    entry: &Entry,
    file: &Path,
    to: &str,
    date: NaiveDate,
    from: Option<&str>,
    doc: Option<&str>,
) -> Result<(&'static str, Table, Done), Diagnostics> {
    let code = &entry.credit_code;
    let to = one_line(
        file,
        "rename-name",
        "新名称",
        to,
        MAX_NAME_CHARS,
        "--to \"大连某某科技股份有限公司\"",
    )?;
    let document = document(file, doc)?;
    let listed = listed_names(site, entry);
    if let Some(first) = listed.iter().filter_map(|(d, _)| *d).min() {
        if date < first {
            return Err(refuse(
                "changes-date",
                file,
                format!(
                    "更名日期{}早于这家企业第一次出现在名单中的日期{} (before its first list)",
                    zh_date(date),
                    zh_date(first)
                ),
                "名单上已是新名称时不需要记录更名；否则请核对 --date（写核准更名的日期）".into(),
            ));
        }
    }
    let renames: Vec<_> = entry.renames.iter().map(|&ri| &site.renames[ri]).collect();
    if let Some(r) = renames.iter().find(|r| r.date == date) {
        return Err(refuse(
            "rename-twice",
            file,
            format!(
                "{}已记录这家企业的一次更名：“{}”更名为“{}” (already renamed that day)",
                zh_date(date),
                r.from,
                r.to
            ),
            "一天只记录一次更名；记错了的更名请联系维护人员改正 data/changes/ 中的记录".into(),
        ));
    }
    if let Some(r) = renames
        .iter()
        .filter(|r| r.date > date)
        .min_by_key(|r| r.date)
    {
        return Err(refuse("rename-later", file,
            format!(
                "这家企业在{}已有一次更名（“{}”更名为“{}”），晚于这次的日期{} (a later rename is recorded)",
                zh_date(r.date),
                r.from,
                r.to,
                zh_date(date)
            ),
            "更名按日期先后记录：核对 --date；确实漏记了更早的一次更名时，请联系维护人员改正 data/changes/ 中的记录".into(),
        ));
    }
    let bore = name_on(site, entry, date);
    let previous = renames
        .iter()
        .filter(|r| r.date < date)
        .max_by_key(|r| r.date);
    let from = match from {
        None => bore.clone(),
        Some(f) => {
            let f = f.trim().to_string();
            let allowed: Vec<String> = match previous {
                Some(p) => vec![p.to.clone()],
                None => {
                    let mut v: Vec<String> = Vec::new();
                    for (_, n) in &listed {
                        if !v.contains(n) {
                            v.push(n.clone());
                        }
                    }
                    v
                }
            };
            if !allowed.contains(&f) {
                let why = match previous {
                    Some(p) => format!(
                        "原名称“{f}”不是这家企业当时的名称：它在{}已更名为“{}” (from is not its name then)",
                        zh_date(p.date),
                        p.to
                    ),
                    None => format!(
                        "原名称“{f}”不是这家企业在名单中的名称 (from was never its name)"
                    ),
                };
                return Err(refuse(
                    "rename-from",
                    file,
                    why,
                    format!(
                        "--from 写更名前的名称：{}；不写 --from 时就用“{bore}”",
                        allowed.join("、")
                    ),
                ));
            }
            f
        }
    };
    if from == to {
        return Err(refuse(
            "rename-same",
            file,
            format!("新名称和原名称相同：“{to}” (the names are the same)"),
            format!(
                "--to 写更名后的名称；{code} 在{}的名称是“{bore}”",
                zh_date(date)
            ),
        ));
    }
    let mut t = Table::new();
    t.decor_mut()
        .set_prefix("\n# 由 gazette enterprise rename 写入\n");
    t["credit_code"] = value(code.as_str());
    t["from"] = value(from.as_str());
    t["to"] = value(to.as_str());
    t["date"] = date_item(date);
    if let Some(d) = &document {
        t["document"] = value(d.as_str());
    }
    let done = Done::Renamed {
        date,
        from: from.to_string(),
        to: to.to_string(),
    };
    Ok(("rename", t, done))
}

/// The days titles were granted on (announcements naming the enterprise, not withdrawn),
/// oldest first: the directory's grants.
fn grants(record: &Record) -> Vec<NaiveDate> {
    record.grants.iter().map(|g| g.announced).collect()
}

/// Checks a revocation against the titles the enterprise was granted and the revocations
/// already recorded; the table to write.
fn revoke(
    site: &Site,
    entry: &Entry,
    file: &Path,
    date: NaiveDate,
    reason: &str,
    programme: Option<&str>,
    doc: Option<&str>,
) -> Result<(&'static str, Table, Done), Diagnostics> {
    let code = &entry.credit_code;
    let reason = one_line(
        file,
        "revoke-reason",
        "撤销原因",
        reason,
        MAX_REASON_CHARS,
        "--reason \"存在弄虚作假行为\"",
    )?;
    let document = document(file, doc)?;
    let ids = || {
        site.programmes
            .iter()
            .map(|p| format!("{}（{}）", p.id, p.name))
            .collect::<Vec<_>>()
            .join("、")
    };
    let titled: Vec<&Record> = entry
        .records
        .iter()
        .filter(|r| !grants(r).is_empty())
        .collect();
    let record = match programme {
        Some(p) => {
            let p = p.trim();
            let Some(pi) = site
                .programmes
                .iter()
                .position(|x| x.id == p || x.name == p)
            else {
                return Err(refuse(
                    "changes-programme",
                    file,
                    format!("不认识的项目“{p}” (unknown programme)"),
                    format!("--programme 写其中之一：{}", ids()),
                ));
            };
            match entry.records.iter().find(|r| r.programme == pi) {
                Some(r) => r,
                None => return Err(untitled(site, entry, file, pi)),
            }
        }
        None => match titled.as_slice() {
            [one] => *one,
            [] => {
                let pi = entry.records.first().map(|r| r.programme).unwrap_or(0);
                return Err(untitled(site, entry, file, pi));
            }
            several => {
                let names: Vec<String> = several
                    .iter()
                    .map(|r| {
                        let p = &site.programmes[r.programme];
                        format!("{}（{}）", p.id, p.name)
                    })
                    .collect();
                return Err(refuse(
                    "changes-programme",
                    file,
                    format!(
                        "{}有多个项目的称号：要撤销的是哪一个 (which programme?)",
                        entry.name
                    ),
                    format!("加 --programme，写其中之一：{}", names.join("、")),
                ));
            }
        },
    };
    let p = &site.programmes[record.programme];
    let granted = grants(record);
    let Some(&first) = granted.first() else {
        return Err(untitled(site, entry, file, record.programme));
    };
    if date < first {
        return Err(refuse(
            "revocation-date",
            file,
            format!(
                "撤销日期{}早于{}称号的公告日期{} (before the announcement)",
                zh_date(date),
                p.name,
                zh_date(first)
            ),
            "--date 写撤销文件的日期，不早于公告日期".into(),
        ));
    }
    // The title a revocation ends is the one in force on its day: the latest announcement
    // up to it. Two revocations of one title are one too many.
    let title_on = |d: NaiveDate| granted.iter().rev().find(|&&g| g <= d).copied();
    if let Some(r) = record
        .revocations
        .iter()
        .map(|&ri| &site.revocations[ri])
        .find(|r| title_on(r.date) == title_on(date))
    {
        return Err(refuse("revoke-twice", file,
            format!(
                "{}的{}称号已于{}撤销（原因：{}） (already revoked)",
                entry.name,
                p.name,
                zh_date(r.date),
                r.reason
            ),
            format!(
                "不需要再记录；gazette enterprise show {code} 显示已有的记录。记错了的撤销请联系维护人员改正 data/changes/ 中的记录"
            ),
        ));
    }
    let mut t = Table::new();
    t.decor_mut().set_prefix(format!(
        "\n# {}：撤销{}称号，由 gazette enterprise revoke 写入\n",
        entry.name, p.name
    ));
    t["credit_code"] = value(code.as_str());
    t["programme"] = value(p.id.as_str());
    t["date"] = date_item(date);
    t["reason"] = value(reason.as_str());
    if let Some(d) = &document {
        t["document"] = value(d.as_str());
    }
    let done = Done::Revoked {
        date,
        programme: p.name.clone(),
        reason: reason.to_string(),
    };
    Ok(("revocation", t, done))
}

fn untitled(site: &Site, entry: &Entry, file: &Path, programme: usize) -> Diagnostics {
    let p = &site.programmes[programme];
    refuse("revocation-untitled", file,
        format!(
            "{}（{}）没有在{}的公告名单中，没有可撤销的称号 (no title to revoke)",
            entry.name, entry.credit_code, p.name
        ),
        "只有公告名单中的企业有称号；公示中的企业要撤下时用 gazette list withdraw 名单编号 信用代码 --reason 原因".into(),
    )
}

/// The header of a new changes file.
fn header(year: i32) -> String {
    format!(
        "# {year}年企业更名和称号撤销记录
#
# 由 gazette enterprise rename（简单更名：信用代码和称号不变）和
# gazette enterprise revoke（撤销称号，自撤销日期起）写入，请用这两个命令添加记录。
# 企业页面、企业名录和下载文件据此显示现用名称、曾用名和称号状态。
"
    )
}

/// The changes file with `table` appended to its `[[key]]` records, after everything
/// else in it; comments, order and other values stay as they were.
fn append(
    before: Option<&str>,
    file: &Path,
    year: i32,
    key: &str,
    mut table: Table,
) -> Result<String, Diagnostics> {
    let internal = |why: String| {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::err(
                "internal",
                file,
                format!("内部错误：{why}，没有写入 (internal error)"),
            )
            .help("运行 gazette check 查看；仍有问题时请把这个文件发给维护人员"),
        );
        d
    };
    // What comes before the new record: the header of a new file, or what follows the
    // last record of the file (a clerk's closing comment), which stays where it was.
    let (mut doc, lead) = match before {
        Some(text) => {
            let mut doc: DocumentMut = text
                .parse()
                .map_err(|e| internal(format!("无法解析 {}：{e}", file.display())))?;
            let trailing = doc.trailing().as_str().unwrap_or("").to_string();
            doc.set_trailing("");
            (doc, trailing)
        }
        None => (DocumentMut::new(), header(year)),
    };
    let prefix = table
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string();
    table.decor_mut().set_prefix(format!("{lead}{prefix}"));
    let last = doc
        .as_table()
        .iter()
        .flat_map(|(_, item)| match item {
            Item::Table(t) => vec![t.position()],
            Item::ArrayOfTables(a) => a.iter().map(Table::position).collect(),
            _ => Vec::new(),
        })
        .flatten()
        .max()
        .unwrap_or(0);
    table.set_position(Some(last + 1));
    match doc.get_mut(key) {
        Some(Item::ArrayOfTables(a)) => a.push(table),
        None => {
            let mut a = ArrayOfTables::new();
            a.push(table);
            doc.insert(key, Item::ArrayOfTables(a));
        }
        Some(_) => return Err(internal(format!("{key} 不是 [[{key}]] 记录"))),
    }
    Ok(doc.to_string())
}

/// Checks the site with `text` as the changes file `file`, as `gazette check` would.
fn verify(root: &Path, file: &Path, text: &str, date: NaiveDate) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut loaded = load::load_records(root, &mut diags);
    let (parsed, parse_diags) = load::parse_toml::<ChangesFile>(file, text.to_string());
    diags.extend(parse_diags);
    loaded.changes.retain(|(f, _)| f != file);
    if let Some(p) = parsed {
        loaded.changes.push((file.to_path_buf(), p));
        loaded.changes.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let opts = validate::Options {
        include_drafts: true,
    };
    let site = validate::validate(root, loaded, date, opts, &mut diags);
    if site.is_some() && !diags.has_errors() {
        return Ok(());
    }
    diags.retain_errors();
    diags.sort();
    diags.push(
        Diagnostic::err(
            "changes-refused",
            file,
            "加上这条记录后数据不能通过检查，没有写入 (the record does not check; nothing was written)",
        )
        .help("上面的问题指的是加上这条记录以后的文件；按提示改正命令中的值再试"),
    );
    Err(diags)
}

/// One enterprise as `gazette enterprise show` tells it, as of a day.
#[derive(Debug)]
pub struct Shown {
    pub credit_code: String,
    pub name: String,
    /// Every other name it bore, oldest first, with the day it was renamed away from it.
    pub former_names: Vec<(String, Option<NaiveDate>)>,
    pub district: String,
    /// On a sample list.
    pub sample: bool,
    pub renames: Vec<RenameShown>,
    pub programmes: Vec<ProgrammeShown>,
    /// The former name the query found it by, if that is how it was found.
    pub found_by_former_name: Option<String>,
    /// The day the statuses are as of.
    pub today: NaiveDate,
}

#[derive(Debug)]
pub struct RenameShown {
    pub date: NaiveDate,
    pub from: String,
    pub to: String,
    pub document: Option<String>,
}

/// One programme's lists of the enterprise and its status.
#[derive(Debug)]
pub struct ProgrammeShown {
    pub name: String,
    pub status: Status,
    /// The title the status is about.
    pub grant: Option<Grant>,
    /// Every list naming it, oldest first.
    pub lists: Vec<ListingShown>,
    pub revocations: Vec<RevocationShown>,
}

#[derive(Debug)]
pub struct ListingShown {
    pub id: String,
    pub title: String,
    /// `公示` or `公告`.
    pub stage: &'static str,
    /// The list's day: its announcement, else the start of its publicity.
    pub date: Option<NaiveDate>,
    /// 序号 as published.
    pub n: usize,
    /// The name the list gives it.
    pub name: String,
    pub withdrawn: Option<String>,
    pub sample: bool,
}

#[derive(Debug)]
pub struct RevocationShown {
    pub date: NaiveDate,
    pub reason: String,
    pub document: Option<String>,
}

/// Finds the enterprise of the site at `root` that `query` names: a credit code, or a
/// name it bears or bore (an exact name first, else the one name containing it). Several
/// enterprises, or none, are refusals that say which (or what to try).
pub fn show(root: &Path, query: &str, today: NaiveDate) -> Result<Shown, Diagnostics> {
    let mut diags = Diagnostics::new();
    let query = query.trim();
    if query.is_empty() {
        diags.push(
            Diagnostic::usage("usage-enterprise", "请写统一社会信用代码或企业名称 (empty)")
                .help("例如 gazette enterprise show 91210211MABXKFLJ29"),
        );
        return Err(diags);
    }
    let Some(site) = load_checked(root, today, false, &mut diags) else {
        diags.retain_errors();
        return Err(diags);
    };
    // The site's warnings (sample lists…) are `gazette check`'s to tell.
    let mut diags = Diagnostics::new();
    let directory = Directory::compile(&site);
    let code = credit_code::normalize(query);
    // Eighteen letters and digits are a credit code (a name has Chinese characters).
    if code.chars().count() == 18 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return match find_code(&directory, &code) {
            Ok(e) => Ok(shown(&site, e, None)),
            Err(d) => Err(d),
        };
    }
    let exact: Vec<&Entry> = directory
        .entries
        .iter()
        .filter(|e| names(e).contains(&query))
        .collect();
    let matches = |n: &str| {
        if exact.is_empty() {
            n.contains(query)
        } else {
            n == query
        }
    };
    let found: Vec<&Entry> = directory
        .entries
        .iter()
        .filter(|e| names(e).into_iter().any(matches))
        .collect();
    match found.as_slice() {
        [e] => {
            let former = (!matches(e.name.as_str()))
                .then(|| names(e).into_iter().find(|n| matches(n)))
                .flatten()
                .map(str::to_string);
            Ok(shown(&site, e, former))
        }
        [] => {
            diags.push(
                Diagnostic::general(format!(
                    "没有名称中含有“{query}”的企业（现用名称和曾用名都查过）(no enterprise by that name)"
                ))
                .code("enterprise-unknown")
                .help("核对名称，或少写几个字（例如只写字号）；也可以写统一社会信用代码"),
            );
            Err(diags)
        }
        several => {
            const SHOWN: usize = 20;
            let mut lines: Vec<String> = several
                .iter()
                .take(SHOWN)
                .map(|e| {
                    let former: Vec<&str> = e
                        .former_names
                        .iter()
                        .map(|f| f.name.as_str())
                        .filter(|n| matches(n))
                        .collect();
                    if former.is_empty() {
                        format!("  {}  {}", e.credit_code, e.name)
                    } else {
                        format!(
                            "  {}  {}（曾用名：{}）",
                            e.credit_code,
                            e.name,
                            former.join("、")
                        )
                    }
                })
                .collect();
            if several.len() > SHOWN {
                lines.push(format!("  ……另有{}家", several.len() - SHOWN));
            }
            diags.push(
                Diagnostic::general(format!(
                    "有{}家企业的名称含有“{query}”，不知道要看哪一家 (several enterprises match)",
                    several.len(),
                ))
                .code("enterprise-ambiguous")
                .help(format!(
                    "写完整的名称，或写其中一家的统一社会信用代码：\n{}",
                    lines.join("\n")
                )),
            );
            Err(diags)
        }
    }
}

/// The current name and every former name.
fn names(e: &Entry) -> Vec<&str> {
    std::iter::once(e.name.as_str())
        .chain(e.former_names.iter().map(|f| f.name.as_str()))
        .collect()
}

fn shown(site: &Site, e: &Entry, found_by_former_name: Option<String>) -> Shown {
    Shown {
        credit_code: e.credit_code.clone(),
        name: e.name.clone(),
        former_names: e
            .former_names
            .iter()
            .map(|f| (f.name.clone(), f.renamed))
            .collect(),
        district: site
            .districts
            .iter()
            .find(|d| d.order == e.district)
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        sample: e.sample,
        renames: e
            .renames
            .iter()
            .map(|&ri| {
                let r = &site.renames[ri];
                RenameShown {
                    date: r.date,
                    from: r.from.clone(),
                    to: r.to.clone(),
                    document: r.document.clone(),
                }
            })
            .collect(),
        programmes: e
            .records
            .iter()
            .map(|r| ProgrammeShown {
                name: site.programmes[r.programme].name.clone(),
                status: r.status,
                grant: r.grant,
                lists: r
                    .listings
                    .iter()
                    .map(|l| {
                        let list = &site.lists[l.list];
                        let row = &list.enterprises[l.n - 1];
                        ListingShown {
                            id: list.id.clone(),
                            title: list.title.clone(),
                            stage: list.stage.zh(),
                            date: list.date(),
                            n: l.n,
                            name: row.name.clone(),
                            withdrawn: row.withdrawn.clone(),
                            sample: list.sample,
                        }
                    })
                    .collect(),
                revocations: r
                    .revocations
                    .iter()
                    .map(|&ri| {
                        let v = &site.revocations[ri];
                        RevocationShown {
                            date: v.date,
                            reason: v.reason.clone(),
                            document: v.document.clone(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        found_by_former_name,
        today: site.today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename_table(to: &str) -> Table {
        let mut t = Table::new();
        t.decor_mut()
            .set_prefix("\n# 由 gazette enterprise rename 写入\n");
        t["credit_code"] = value("91210202MA0000001J");
        t["from"] = value("甲");
        t["to"] = value(to);
        t["date"] = date_item(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        t
    }

    fn parses(text: &str) -> ChangesFile {
        let (f, d) =
            load::parse_toml::<ChangesFile>(Path::new("data/changes/2026.toml"), text.into());
        f.unwrap_or_else(|| panic!("{}\n{text}", d.render(false)))
    }

    #[test]
    fn a_new_file_starts_with_its_header_and_reads_back() {
        let file = Path::new("data/changes/2026.toml");
        let text = append(None, file, 2026, "rename", rename_table("乙")).unwrap();
        assert!(text.starts_with(&header(2026)), "{text}");
        let f = parses(&text);
        assert_eq!(f.rename.len(), 1);
        assert_eq!(f.rename[0].to.get_ref(), "乙");
    }

    #[test]
    fn a_record_goes_after_everything_and_the_file_before_it_stays() {
        let file = Path::new("data/changes/2026.toml");
        let before = "# 说明\n\n[[revocation]] # 行尾注释\ncredit_code = \"91210202MA0000001J\"\ndate = 2026-09-01\nreason = \"x\"\n\n[[rename]]\ncredit_code = \"91210202MA0000001J\"\nfrom = \"甲\"\nto = \"乙\"\ndate = 2026-06-01\n\n[[revocation]]\ncredit_code = \"91210202MA0000001J\"\ndate = 2026-10-01\nreason = \"y\"\n# 结尾的注释\n";
        let text = append(Some(before), file, 2026, "rename", rename_table("丙")).unwrap();
        assert!(text.starts_with(before), "{text}");
        assert!(
            text[before.len()..].starts_with("\n# 由 gazette enterprise rename 写入\n[[rename]]"),
            "{text}"
        );
        let f = parses(&text);
        assert_eq!(f.rename.len(), 2);
        assert_eq!(f.revocation.len(), 2);
        // A file without a final line break.
        let text = append(
            Some("[[rename]]\ncredit_code = \"x\"\nfrom = \"a\"\nto = \"b\"\ndate = 2026-06-01"),
            file,
            2026,
            "rename",
            rename_table("丙"),
        )
        .unwrap();
        assert_eq!(parses(&text).rename.len(), 2, "{text}");
    }
}
