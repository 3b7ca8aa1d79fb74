//! A list's life as commands: a draft starts its publicity (`publish`), the list is
//! announced (`announce`), an enterprise is withdrawn after an objection (`withdraw`) or
//! put back (`restore`), and a new list is scaffolded (`create`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml_edit::{value, DocumentMut, Item, Table};

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::credit_code;
use crate::domain::datefmt::{zh_date, zh_period};
use crate::lists::write::{self, PeriodSpec};
use crate::lists::{self, ListEntry};
use crate::load;
use crate::model::Stage;
use crate::source::list::ListFile;
use crate::validate::{self, load_site_data, BatchRef, SiteData};

use super::date_item;

/// What to do to a list.
#[derive(Debug, Clone)]
pub enum Change {
    /// A draft starts its publicity period: the one given, or the one already in the file
    /// (`force`: a list under publicity gets a new one).
    Publish {
        period: Option<PeriodSpec>,
        force: bool,
    },
    /// The list is announced (`force`: before its publicity period has ended, or again).
    Announce {
        date: NaiveDate,
        document: Option<String>,
        valid_from: Option<NaiveDate>,
        valid_until: Option<NaiveDate>,
        today: NaiveDate,
        force: bool,
    },
    /// An enterprise is taken off the list, with the reason (it stays on the publicity
    /// page, marked, and leaves the announced list).
    Withdraw { code: String, reason: String },
    /// A withdrawal is undone.
    Restore { code: String },
}

/// What a change did (or, from `preview`, would do).
#[derive(Debug)]
pub struct Edited {
    pub file: PathBuf,
    pub title: String,
    /// What the change did; the command layer words it.
    pub done: Done,
    /// The list's publicity period after the change, first and last day (objections are
    /// taken until the last).
    pub publicity: Option<(NaiveDate, NaiveDate)>,
    /// The list file's text before and after the change (the console shows the difference).
    pub before: String,
    pub after: String,
}

/// What a change did to a list, as facts: the clerk's commands and the console word it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// The publicity period began; `length` as the clerk reads it ("5个工作日"), when the
    /// command gave the period (else it was already in the file).
    Published {
        start: NaiveDate,
        end: NaiveDate,
        length: Option<String>,
    },
    /// The list was announced: `shown` enterprises, `withdrawn` left out.
    Announced {
        date: NaiveDate,
        shown: usize,
        withdrawn: usize,
    },
    /// An enterprise was withdrawn, with the reason its publicity page shows.
    Withdrawn { name: String, reason: String },
    /// A withdrawal was undone.
    Restored { name: String },
}

/// Applies `change` to the list `id` of the site at `root`. `on_wait` is called when
/// another command holds the data lock and this one waits for it.
pub fn change(
    root: &Path,
    id: &str,
    change: &Change,
    on_wait: &dyn Fn(),
) -> Result<Edited, Diagnostics> {
    let mut diags = Diagnostics::new();
    let Some(site) = load_site_data(root, &mut diags) else {
        return Err(diags);
    };
    let _lock = super::lock(root, on_wait)?;
    let edited = prepare(root, id, change, &site)?;
    write::put(root, &edited.file, &edited.after, true).map_err(super::one)?;
    Ok(edited)
}

/// What `change` would write, refused for the same reasons, without writing anything: the
/// console shows it before the clerk confirms.
pub fn preview(root: &Path, id: &str, change: &Change) -> Result<Edited, Diagnostics> {
    let mut diags = Diagnostics::new();
    let Some(site) = load_site_data(root, &mut diags) else {
        return Err(diags);
    };
    prepare(root, id, change, &site)
}

/// The change checked against the list's stage and applied to its text in memory.
fn prepare(root: &Path, id: &str, change: &Change, site: &SiteData) -> Result<Edited, Diagnostics> {
    let entry = lists::find(root, id, site)?;
    let Some(list) = &entry.list else {
        let mut d = entry.problems;
        d.push(
            Diagnostic::err(
                "list-has-errors",
                &entry.file,
                "名单文件有错误，先改正它们再修改 (the list file has errors)",
            )
            .help("gazette check 会列出同样的问题"),
        );
        return Err(d);
    };
    let mut doc: DocumentMut = entry.text.parse().map_err(|e| {
        refusal(
            &entry.file,
            "internal",
            format!("无法解析名单文件：{e}"),
            "运行 gazette check 查看".into(),
        )
    })?;
    let target = Target {
        id,
        entry: &entry,
        list,
        site,
    };
    // Each change checks the list's stage (the state machine of a list: draft →
    // publicity → announced), edits the document and says what it did.
    let done = match change {
        Change::Publish { period, force } => publish(&target, &mut doc, period.as_ref(), *force)?,
        Change::Announce {
            date,
            document,
            valid_from,
            valid_until,
            today,
            force,
        } => {
            let validity = (*valid_from, *valid_until);
            announce(
                &target,
                &mut doc,
                *date,
                document.as_deref(),
                validity,
                *today,
                *force,
            )?
        }
        Change::Withdraw { code, reason } => withdraw(&target, &mut doc, code, reason)?,
        Change::Restore { code } => restore(&target, &mut doc, code)?,
    };
    let text = doc.to_string();
    let checked = verify(&entry.file, &text, site)?;
    Ok(Edited {
        file: entry.file,
        title: checked.title,
        publicity: checked.publicity.map(|p| (p.start, p.end)),
        done,
        before: entry.text,
        after: text,
    })
}

/// The list a change applies to: its id, file and checked form, and the site's data.
struct Target<'a> {
    id: &'a str,
    entry: &'a ListEntry,
    list: &'a crate::model::EnterpriseList,
    site: &'a SiteData,
}

impl Target<'_> {
    fn announced(&self) -> bool {
        *self.entry.raw.stage.get_ref() == Stage::Announced
    }

    fn draft(&self) -> bool {
        self.entry.raw.draft
    }

    /// A refusal of the change, on the list's file.
    fn refuse(&self, code: &'static str, msg: String, help: String) -> Diagnostics {
        refusal(&self.entry.file, code, msg, help)
    }
}

fn refusal(file: &Path, code: &'static str, msg: String, help: String) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.push(Diagnostic::err(code, file, msg).help(help));
    d
}

/// A draft (or, with `force`, a list under publicity) starts its publicity period: the one
/// given, or the one already in the file.
fn publish(
    t: &Target,
    doc: &mut DocumentMut,
    period: Option<&PeriodSpec>,
    force: bool,
) -> Result<Done, Diagnostics> {
    let (id, list) = (t.id, t.list);
    if t.announced() {
        return Err(t.refuse(
            "publish-announced",
            "这份名单已经公告，不能再开始公示 (the list is already announced)".into(),
            "公告后的名单不再公示；新企业放进下一批次的名单".into(),
        ));
    }
    if !t.draft() && list.publicity.is_some() && !force {
        let p = list
            .publicity
            .as_ref()
            .map(|p| zh_period(p.start, p.end))
            .unwrap_or_default();
        return Err(t.refuse(
            "publish-twice",
            format!("这份名单已在公示，公示期{p} (already under publicity)"),
            "确需更改公示期时，在命令后加 --force".into(),
        ));
    }
    if t.entry.raw.enterprise.is_empty() {
        return Err(t.refuse(
            "publish-empty",
            "名单中还没有企业，不能开始公示 (the list has no enterprises)".into(),
            format!(
                "先用 gazette import 表格.xlsx … --append 把企业导入 {}",
                t.entry.file.display()
            ),
        ));
    }
    let Some(spec) = period else {
        // The period is in the file already (a draft scaffolded with its dates).
        let Some(p) = &list.publicity else {
            return Err(t.refuse(
                "publish-no-period",
                "还没有公示期：要写明公示开始日期和天数 (no publicity period)".into(),
                format!("例如 gazette list publish {id} --start 2026-12-01 --working-days 5"),
            ));
        };
        doc["stage"] = value(Stage::Publicity.as_str());
        doc.remove("draft");
        return Ok(Done::Published {
            start: p.start,
            end: p.end,
            length: None,
        });
    };
    let default = t.site.programmes[list.programme].publicity_length;
    let p = spec.resolve(&t.site.calendar, default).map_err(|why| {
        t.refuse(
            "publish-period",
            why,
            format!("写上天数，例如 gazette list publish {id} --start 2026-12-01 --working-days 5，或在项目文件 data/programmes/<项目>.toml 中写 [publicity] working_days = 5；工作日按 data/calendar/<年份>.toml 中的节假日安排计算"),
        )
    })?;
    doc["stage"] = value(Stage::Publicity.as_str());
    doc.remove("draft");
    let mut table = Table::new();
    table.decor_mut().set_prefix(format!(
        "\n# 公示期：{}（{}），由 gazette list publish 写入\n",
        zh_period(p.start, p.end),
        p.length_zh()
    ));
    table["start"] = date_item(p.start);
    match p.length {
        write::Length::WorkingDays(n) => table["working_days"] = value(i64::from(n)),
        write::Length::CalendarDays(n) => table["calendar_days"] = value(i64::from(n)),
        write::Length::EndsOn(_) => {}
    }
    table["end"] = date_item(p.end);
    put_before_enterprises(doc, "publicity", table);
    Ok(Done::Published {
        start: p.start,
        end: p.end,
        length: Some(p.length_zh()),
    })
}

/// A list whose publicity period has ended (or, with `force`, any list under publicity,
/// or an announced one again) is announced, with its document and validity.
fn announce(
    t: &Target,
    doc: &mut DocumentMut,
    date: NaiveDate,
    document: Option<&str>,
    (valid_from, valid_until): (Option<NaiveDate>, Option<NaiveDate>),
    today: NaiveDate,
    force: bool,
) -> Result<Done, Diagnostics> {
    let (id, list) = (t.id, t.list);
    if t.draft() {
        return Err(t.refuse(
            "announce-draft",
            "草稿名单不能公告：它还没有公示 (a draft cannot be announced)".into(),
            format!("先公示：gazette list publish {id} --start 日期 --working-days 天数"),
        ));
    }
    if t.announced() && !force {
        let when = list
            .announcement
            .as_ref()
            .map(|a| zh_date(a.date))
            .unwrap_or_default();
        return Err(t.refuse(
            "announce-twice",
            format!("这份名单已于{when}公告 (already announced)"),
            "确需更改公告信息时，在命令后加 --force".into(),
        ));
    }
    let Some(p) = &list.publicity else {
        return Err(t.refuse(
            "announce-no-period",
            "这份名单没有公示期，不能公告 (no publicity period)".into(),
            format!("先公示：gazette list publish {id} --start 日期 --working-days 天数"),
        ));
    };
    if date <= p.end {
        return Err(t.refuse(
            "announce-date",
            format!(
                "公告日期{}不在公示期之后：公示期到{}才结束 (the announcement date is not after the publicity period)",
                zh_date(date),
                zh_date(p.end)
            ),
            format!("公告日期要晚于公示截止日，例如 --date {}", p.end + chrono::Days::new(1)),
        ));
    }
    if today <= p.end && !force {
        return Err(t.refuse(
            "announce-early",
            format!(
                "公示期还没有结束：到{}（北京时间{}）才结束，现在不能公告 (the publicity period has not ended)",
                zh_date(p.end),
                list.objection.deadline_time
            ),
            "公示期结束、异议处理完毕后再公告；确有正当理由提前公告时，在命令后加 --force".into(),
        ));
    }
    let from = valid_from.unwrap_or(date);
    if let Some(until) = valid_until.filter(|u| *u < from) {
        return Err(t.refuse(
            "validity",
            format!(
                "有效期截止日{}早于起始日{} (validity ends before it starts)",
                zh_date(until),
                zh_date(from)
            ),
            "检查 --valid-from 和 --valid-until".into(),
        ));
    }
    if let Some(why) =
        document.and_then(|d| crate::domain::text::problem(d, crate::domain::text::SINGLE_LINE))
    {
        return Err(t.refuse(
            "text-char",
            format!("文号中有不能发布的字符：{why}"),
            "文号只占一行".into(),
        ));
    }
    doc["stage"] = value(Stage::Announced.as_str());
    let mut table = Table::new();
    table
        .decor_mut()
        .set_prefix("\n# 公告信息，由 gazette list announce 写入\n");
    table["date"] = date_item(date);
    if let Some(d) = document {
        table["document"] = value(d);
    }
    if let Some(f) = valid_from {
        table["valid_from"] = date_item(f);
    }
    if let Some(u) = valid_until {
        table["valid_until"] = date_item(u);
    }
    put_before_enterprises(doc, "announcement", table);
    let withdrawn = list.withdrawn_count();
    Ok(Done::Announced {
        date,
        shown: list.enterprises.len() - withdrawn,
        withdrawn,
    })
}

/// An enterprise of a list under publicity is withdrawn, with a reason that the
/// publicity page shows.
fn withdraw(
    t: &Target,
    doc: &mut DocumentMut,
    code: &str,
    reason: &str,
) -> Result<Done, Diagnostics> {
    let (i, name) = enterprise(t.entry, code, t.id)?;
    if t.draft() {
        return Err(t.refuse(
            "withdraw-draft",
            "草稿名单还没有公示，不需要撤回企业 (a draft: nothing to withdraw)".into(),
            "改正表格后用 gazette import … --force 重新导入，或直接删除这一家企业的 [[enterprise]] 段".into(),
        ));
    }
    if t.announced() {
        return Err(t.refuse(
            "withdraw-announced",
            "这份名单已经公告，不能再撤回企业 (the list is announced)".into(),
            "公告后撤销称号要另行发文，不在本名单中修改".into(),
        ));
    }
    let reason = reason.trim();
    if let Some((msg, help)) = reason_problem(reason) {
        return Err(t.refuse("withdraw-reason", msg, help));
    }
    if let Some(why) = crate::domain::text::problem(reason, crate::domain::text::SINGLE_LINE) {
        return Err(t.refuse(
            "text-char",
            format!("撤回原因中有不能发布的字符：{why}"),
            "撤回原因只占一行".into(),
        ));
    }
    if let Some(w) = &t.entry.raw.enterprise[i].withdrawn {
        return Err(t.refuse(
            "withdraw-twice",
            format!("{name}已经撤回（原因：{w}）(already withdrawn)"),
            format!(
                "要更改原因，先 gazette list restore {} {code}，再重新撤回",
                t.id
            ),
        ));
    }
    enterprise_table(doc, i)?["withdrawn"] = value(reason);
    Ok(Done::Withdrawn {
        name,
        reason: reason.to_string(),
    })
}

/// Why a withdrawal reason cannot be published (empty, or longer than a sentence or two),
/// with what to do.
fn reason_problem(reason: &str) -> Option<(String, String)> {
    let max = crate::validate::MAX_REASON_CHARS;
    let n = reason.chars().count();
    if n == 0 {
        Some((
            "撤回原因不能为空 (a reason is required)".into(),
            "写明撤回的原因，例如 --reason \"经核实不符合条件（异议成立）\"，它会显示在公示页面上"
                .into(),
        ))
    } else if n > max {
        Some((
            format!("撤回原因有{n}个字，超过{max}个字的上限 (the reason is too long)"),
            "撤回原因显示在公示页面上，写一两句话，例如 --reason \"经核实不符合条件（异议成立）\"；详细情况另行发文".into(),
        ))
    } else {
        None
    }
}

/// A withdrawal from a list not yet announced is undone.
fn restore(t: &Target, doc: &mut DocumentMut, code: &str) -> Result<Done, Diagnostics> {
    let (i, name) = enterprise(t.entry, code, t.id)?;
    if t.announced() {
        return Err(t.refuse(
            "restore-announced",
            "这份名单已经公告，不能再改动撤回的企业 (the list is announced)".into(),
            "公告后的名单不再修改".into(),
        ));
    }
    if t.entry.raw.enterprise[i].withdrawn.is_none() {
        return Err(t.refuse(
            "restore-not-withdrawn",
            format!("{name}没有被撤回 (not withdrawn)"),
            "不需要恢复".into(),
        ));
    }
    enterprise_table(doc, i)?.remove("withdrawn");
    Ok(Done::Restored { name })
}

/// The index and name of the enterprise with `code`, or an error naming the closest codes.
fn enterprise(entry: &ListEntry, code: &str, id: &str) -> Result<(usize, String), Diagnostics> {
    let wanted = credit_code::normalize(code);
    let rows = &entry.raw.enterprise;
    if let Some(i) = rows
        .iter()
        .position(|r| credit_code::normalize(r.credit_code.get_ref()) == wanted)
    {
        return Ok((i, rows[i].name.get_ref().trim().to_string()));
    }
    let mut close: Vec<(usize, String)> = rows
        .iter()
        .map(|r| {
            let c = credit_code::normalize(r.credit_code.get_ref());
            (
                strsim::levenshtein(&c, &wanted),
                format!("{c}（{}）", r.name.get_ref().trim()),
            )
        })
        .filter(|(d, _)| *d <= 3)
        .collect();
    close.sort();
    let mut d = Diagnostics::new();
    d.push(
        Diagnostic::err("list-no-enterprise", 
            &entry.file,
            format!("名单 {id} 中没有统一社会信用代码为 {wanted} 的企业 (no such enterprise in the list)"),
        )
        .help(if close.is_empty() {
            "核对代码；gazette list show 列出名单中的企业".to_string()
        } else {
            format!(
                "您是不是要写 {}？",
                close.iter().take(3).map(|c| c.1.clone()).collect::<Vec<_>>().join(" 或 ")
            )
        }),
    );
    Err(d)
}

/// The `i`-th `[[enterprise]]` table of a document.
fn enterprise_table(doc: &mut DocumentMut, i: usize) -> Result<&mut Table, Diagnostics> {
    doc.get_mut("enterprise")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|a| a.get_mut(i))
        .ok_or_else(|| {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::err(
                "internal",
                load::LISTS_DIR,
                "内部错误：找不到这家企业的 [[enterprise]] 段 (internal error)",
            ));
            d
        })
}

/// Sets a table of the list's head (`publicity`, `announcement`), keeping it above the
/// enterprise rows where staff look for it: a new table takes the place of the first row
/// and the rows move down.
fn put_before_enterprises(doc: &mut DocumentMut, key: &str, mut table: Table) {
    if let Some(old) = doc.get(key).and_then(Item::as_table) {
        table.set_position(old.position());
        doc[key] = Item::Table(table);
        return;
    }
    let first = doc
        .get("enterprise")
        .and_then(Item::as_array_of_tables)
        .and_then(|a| a.iter().filter_map(Table::position).min());
    if let (Some(first), Some(rows)) = (
        first,
        doc.get_mut("enterprise")
            .and_then(Item::as_array_of_tables_mut),
    ) {
        for t in rows.iter_mut() {
            if let Some(p) = t.position() {
                t.set_position(Some(p + 1));
            }
        }
        table.set_position(Some(first));
    }
    doc[key] = Item::Table(table);
}

/// Checks a list text as `gazette check` would; returns the list's title.
fn verify(
    file: &Path,
    text: &str,
    site: &SiteData,
) -> Result<crate::model::EnterpriseList, Diagnostics> {
    let (raw, mut diags) = load::parse_toml::<ListFile>(file, text.to_string());
    let checked = raw.and_then(|raw| validate::check_list(file, raw, site, &mut diags));
    match checked {
        Some(l) if !diags.has_errors() => Ok(l),
        _ => {
            diags.push(
                Diagnostic::err("internal", file, "内部错误：修改后的名单没有通过检查，没有写入 (internal error: the change does not check)")
                    .help("请把这个名单文件发给维护人员"),
            );
            Err(diags)
        }
    }
}

/// A list scaffolded by `gazette new list`.
#[derive(Debug)]
pub struct Created {
    pub id: String,
    pub file: PathBuf,
    pub period: Option<write::Period>,
}

/// Scaffolds the list file of a batch (with its publicity period when given), as a draft
/// until its enterprises are imported and it is published.
pub fn create(
    root: &Path,
    batch: &BatchRef,
    period: Option<&PeriodSpec>,
    force: bool,
    on_wait: &dyn Fn(),
) -> Result<Created, Diagnostics> {
    let mut diags = Diagnostics::new();
    let Some(site) = load_site_data(root, &mut diags) else {
        return Err(diags);
    };
    let batch = match site.batch(batch) {
        Ok(b) => b,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let default = site.programmes[batch.programme].publicity_length;
    let period = match period.map(|p| p.resolve(&site.calendar, default)) {
        Some(Err(why)) => {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::general(why)
                    .code("period")
                    .help("写上 --working-days、--calendar-days 或 --end，或在项目文件 data/programmes/<项目>.toml 中写 [publicity] working_days = 5；工作日按 data/calendar/<年份>.toml 中的节假日安排计算"),
            );
            return Err(d);
        }
        Some(Ok(p)) => Some(p),
        None => None,
    };
    let rel = PathBuf::from(load::LISTS_DIR).join(format!("{}.toml", batch.id));
    let _lock = super::lock(root, on_wait)?;
    if root.join(&rel).exists() && !force {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::err("list-exists", &rel, "这份名单文件已存在，没有覆盖 (the list file already exists; not overwritten)")
                .help("用 gazette import … --append 往里追加企业；要换成一个空的新名单（原有企业会丢失），在命令后加 --force"),
        );
        return Err(d);
    }
    let text = write::new_list_file(&site, &batch, period.as_ref());
    verify(&rel, &text, &site)?;
    write::put(root, &rel, &text, force).map_err(super::one)?;
    Ok(Created {
        id: batch.id,
        file: rel,
        period,
    })
}
