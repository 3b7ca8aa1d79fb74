//! List files: one list of one batch of a programme. Lists are checked in parallel;
//! `check_list` is also what `gazette import` and the clerk's list commands run before they
//! write a list, so that they never write one that `check` would refuse.

use crate::domain::honour::ValidityRule;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use toml::Spanned;

use super::{span, to_date, Options, SiteData};
use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::credit_code;
use crate::domain::workdays::{add_calendar_days, Calendar};
use crate::model::{
    Announcement, Enterprise, EnterpriseList, Objection, Publicity, PublicityLength, Stage,
};
use crate::source::list::{EnterpriseFile, ListFile, ObjectionOverride, PublicityFile};
use crate::source::site::ObjectionRules;

/// Longer than any registered company name: a longer one is a pasting slip (and would
/// bloat the search index).
pub const MAX_NAME_CHARS: usize = 200;
/// Longest withdrawal reason: a sentence or two on the publicity page ("经核实不符合条件
/// （异议成立）"), not a document.
pub const MAX_REASON_CHARS: usize = 200;

pub(super) fn check_lists(
    lists: Vec<(PathBuf, ListFile)>,
    site: &SiteData,
    opts: Options,
    diags: &mut Diagnostics,
) -> Vec<EnterpriseList> {
    let checked: Vec<(Option<EnterpriseList>, bool, Diagnostics)> = lists
        .into_par_iter()
        .map(|(file, raw)| {
            let mut d = Diagnostics::new();
            let draft = raw.draft;
            let list = check_list(&file, raw, site, &mut d);
            (list, draft, d)
        })
        .collect();
    let mut out: Vec<EnterpriseList> = Vec::new();
    let mut ids: HashMap<String, PathBuf> = HashMap::new();
    for (list, draft, d) in checked {
        diags.extend(d);
        let Some(list) = list else { continue };
        if let Some(other) = ids.insert(list.id.clone(), list.source.clone()) {
            diags.push(
                Diagnostic::err(
                    "list-twice",
                    &list.source,
                    format!(
                        "名单 {} 已经在 {} 中定义过 (the list is defined twice)",
                        list.id,
                        other.display()
                    ),
                )
                .help("项目、年份、批次和类型确定一份名单：把两个文件合并，或改正其中一个"),
            );
            continue;
        }
        if list.sample {
            diags.push(
                Diagnostic::warn(
                    "sample-list",
                    &list.source,
                    format!(
                        "名单 {} 是示例数据（sample = true），不是正式名单 (sample data)",
                        list.id
                    ),
                )
                .help(format!(
                    "正式发布前请删除 {}（网站上每一页都标明了“示例数据”）",
                    list.source.display()
                )),
            );
        }
        if draft {
            let (message, help) = if opts.include_drafts {
                (
                    format!(
                        "名单 {} 是草稿：gazette build 不会发布它 (a draft, not published)",
                        list.id
                    ),
                    "gazette serve 预览时显示它并标明“草稿”",
                )
            } else {
                (
                    format!("草稿名单 {} 没有发布 (a draft was left out)", list.id),
                    "gazette serve 可以预览草稿",
                )
            };
            diags.push(
                Diagnostic::warn("draft", &list.source, message).help(format!(
                    "{help}；企业导入齐全后运行 gazette list publish {}",
                    list.id
                )),
            );
            if !opts.include_drafts {
                continue;
            }
        }
        out.push(list);
    }
    // Newest year first; within a year by programme (the default first), newest batch
    // first, then in the programme's order of kinds.
    out.sort_by(|a, b| {
        (b.year, a.programme, b.batch, a.kind).cmp(&(a.year, b.programme, a.batch, b.kind))
    });
    out
}

/// Checks one list file (also used by `gazette import`, so that it never writes a list
/// that `check` would reject).
pub fn check_list(
    file: &Path,
    raw: ListFile,
    site: &SiteData,
    diags: &mut Diagnostics,
) -> Option<EnterpriseList> {
    // Steps: the head (programme, batch, year, kind: the list's id), then its periods,
    // then its rows; every step reports all it finds before the list is refused.
    let mut ok = true;
    let head = check_head(file, &raw, site, &mut ok, diags)?;
    let programme = &site.programmes[head.programme];
    let stage = *raw.stage.get_ref();
    let publicity =
        check_publicity_table(file, &raw, site, programme.publicity_length, &mut ok, diags);
    let announcement = check_announcement_table(file, &raw, programme, &mut ok, diags);
    let objection = objection(
        file,
        &site.objection,
        raw.objection.as_ref(),
        &site.area_code,
        diags,
    );
    let enterprises = check_enterprises(file, &raw.enterprise, &site.book, diags);
    if raw.enterprise.is_empty() {
        diags.push(
            Diagnostic::warn(
                "list-empty",
                file,
                "这份名单中还没有企业 (no [[enterprise]] rows)",
            )
            .at(span(&raw.stage)),
        );
    }
    let enterprises = enterprises?;
    if !ok {
        return None;
    }
    let kind_ref = &programme.kinds[head.kind];
    Some(EnterpriseList {
        title: raw
            .title
            .clone()
            .unwrap_or_else(|| programme.list_title(head.year, head.batch, kind_ref, stage)),
        id: head.id,
        source: file.to_path_buf(),
        programme: head.programme,
        year: head.year,
        batch: head.batch,
        batch_name: programme.batch_name(head.batch),
        kind: head.kind,
        kind_id: kind_ref.id.clone(),
        kind_name: kind_ref.name.clone(),
        stage,
        sample: raw.sample,
        draft: raw.draft,
        publicity,
        announcement,
        objection: objection?,
        enterprises,
    })
}

/// What a list is, from its head: programme, year, batch and kind, and the id they make.
struct Head {
    programme: usize,
    year: i32,
    batch: u32,
    kind: usize,
    id: String,
}

/// The list's programme, batch, year and kind; `None` when the list cannot be placed at
/// all (unknown programme or kind), `ok` cleared for a batch or year out of range.
fn check_head(
    file: &Path,
    raw: &ListFile,
    site: &SiteData,
    ok: &mut bool,
    diags: &mut Diagnostics,
) -> Option<Head> {
    let programme_id = raw.programme.as_ref().map(|p| p.get_ref().trim());
    let Some(pi) = site.programme(programme_id) else {
        let known: Vec<&str> = site.programmes.iter().map(|p| p.id.as_str()).collect();
        let d = Diagnostic::err(
            "list-programme",
            file,
            match programme_id {
                Some(p) => format!("不认识的项目“{p}” (unknown programme)"),
                None => "没有写项目，网站也没有默认项目 (no programme)".to_string(),
            },
        )
        .help(format!(
            "programme 写 data/programmes/ 中的项目编号：{}",
            known.join("、")
        ));
        diags.push(match &raw.programme {
            Some(p) => d.at(span(p)),
            None => d.at(span(&raw.year)),
        });
        return None;
    };
    let programme = &site.programmes[pi];
    let batch_raw = *raw.batch.get_ref();
    let max_batch = programme.batches_per_year().map(i64::from).unwrap_or(99);
    if !(1..=max_batch).contains(&batch_raw) {
        diags.push(
            Diagnostic::err(
                "list-batch",
                file,
                format!(
                    "batch = {batch_raw} 不是{}的批次 (not a batch of the programme)",
                    programme.name
                ),
            )
            .at(span(&raw.batch))
            .label(format!("应为 1 到 {max_batch}"))
            .help(match programme.batches_per_year() {
                Some(n) => format!(
                    "batch 是名单所属的批次：1 到 {n}（{}）",
                    programme.batch_names.join("、")
                ),
                None => "batch 是名单的批次号：第1批写 1".to_string(),
            }),
        );
        *ok = false;
    }
    let year = *raw.year.get_ref();
    if !(2000..=2100).contains(&year) {
        diags.push(
            Diagnostic::err(
                "list-year",
                file,
                format!("year = {year} 不像是批次的年份 (not plausible)"),
            )
            .at(span(&raw.year))
            .help("写批次所属的年份，例如 year = 2026"),
        );
        *ok = false;
    }
    let Some(kind) = programme.kind(raw.kind.get_ref()) else {
        let kinds: Vec<String> = programme
            .kinds
            .iter()
            .map(|k| format!("{}（{}）", k.id, k.name))
            .collect();
        diags.push(
            Diagnostic::err(
                "list-kind",
                file,
                format!(
                    "“{}”不是{}的名单类型 (unknown kind)",
                    raw.kind.get_ref(),
                    programme.name
                ),
            )
            .at(span(&raw.kind))
            .help(format!("kind 写其中之一：{}", kinds.join("、"))),
        );
        return None;
    };
    let batch = batch_raw.clamp(1, max_batch) as u32;
    let id = programme.list_id(year, batch, &programme.kinds[kind].id);
    let expected_name = format!("{id}.toml");
    if *ok
        && file
            .file_name()
            .is_some_and(|n| n.to_string_lossy() != expected_name)
    {
        diags.push(
            Diagnostic::warn(
                "list-file-name",
                file,
                format!(
                    "这是名单 {id}，但文件名不是 {expected_name} (the file name does not match)"
                ),
            )
            .at(span(&raw.kind))
            .help(format!(
                "把文件改名为 data/lists/{expected_name}，以便按编号找到它"
            )),
        );
    }
    Some(Head {
        programme: pi,
        year,
        batch,
        kind,
        id,
    })
}

/// The `[publicity]` table: required of a list under publicity (drafts excepted).
fn check_publicity_table(
    file: &Path,
    raw: &ListFile,
    site: &SiteData,
    default: Option<PublicityLength>,
    ok: &mut bool,
    diags: &mut Diagnostics,
) -> Option<Publicity> {
    let stage = *raw.stage.get_ref();
    let Some(p) = &raw.publicity else {
        if stage == Stage::Publicity && !raw.draft {
            diags.push(
                Diagnostic::err(
                    "publicity-missing",
                    file,
                    "公示中的名单要有公示期 [publicity] (needs a [publicity] table)",
                )
                .at(span(&raw.stage))
                .label("stage = \"publicity\"")
                .help("用 gazette list publish <编号> --start 日期 --working-days 天数 写入公示期"),
            );
            *ok = false;
        }
        return None;
    };
    let publicity = check_publicity(file, p, &site.calendar, default, raw.draft, diags);
    if publicity.is_none() && !raw.draft {
        *ok = false;
    }
    publicity
}

/// The `[announcement]` table: required of an announced list. Its window is the one it
/// prints (`valid_from`, `valid_until`), else the programme's `validity_years` counted by
/// its `validity_rule` (`domain::honour::window`).
fn check_announcement_table(
    file: &Path,
    raw: &ListFile,
    programme: &crate::model::Programme,
    ok: &mut bool,
    diags: &mut Diagnostics,
) -> Option<Announcement> {
    let stage = *raw.stage.get_ref();
    let Some(a) = &raw.announcement else {
        if stage == Stage::Announced {
            diags.push(
                Diagnostic::err(
                    "announcement-missing",
                    file,
                    "已公告的名单要有公告信息 [announcement] (needs an [announcement] table)",
                )
                .at(span(&raw.stage))
                .help("用 gazette list announce <编号> --date 日期 --document 文号 写入公告信息"),
            );
            *ok = false;
        }
        return None;
    };
    let table = a.get_ref();
    let date = table.date.as_ref().and_then(|d| to_date(file, d, diags));
    if table.date.is_none() && stage == Stage::Announced {
        diags.push(
            Diagnostic::err(
                "announcement-date",
                file,
                "公告没有日期 (the announcement has no date)",
            )
            .at(span(a))
            .help("在 [announcement] 中写上公告日期，例如 date = 2026-05-10"),
        );
        *ok = false;
    }
    let valid_from = table
        .valid_from
        .as_ref()
        .and_then(|d| to_date(file, d, diags));
    let valid_until = table
        .valid_until
        .as_ref()
        .and_then(|d| to_date(file, d, diags));
    if let (Some(f), Some(u)) = (valid_from.or(date), valid_until) {
        if u < f {
            diags.push(
                Diagnostic::err(
                    "validity",
                    file,
                    "有效期截止日早于起始日 (valid_until is before the start of validity)",
                )
                .at_opt(table.valid_until.as_ref().map(span)),
            );
            *ok = false;
        }
    }
    let date = date?;
    // A printed first day is counted from as an announcement would be (2024-01-01 and
    // three years: through 2026-12-31); else the programme's rule from the announcement.
    let (base, rule) = match valid_from {
        Some(f) => (f, ValidityRule::FromAnnouncement),
        None => (date, programme.validity_rule),
    };
    let window = programme
        .validity_years
        .and_then(|years| crate::domain::honour::window(base, years, rule));
    Some(Announcement {
        date,
        document: table.document.clone(),
        valid_from: valid_from.or(window.map(|w| w.0)).unwrap_or(date),
        valid_until: valid_until.or(window.map(|w| w.1)),
    })
}

/// A list's `[publicity]`. Its own `working_days`, `calendar_days` or `end` win; when it
/// gives none, the programme's `[publicity]` length (`default`) is counted from `start`.
fn check_publicity(
    file: &Path,
    p: &Spanned<PublicityFile>,
    calendar: &Calendar,
    default: Option<PublicityLength>,
    draft: bool,
    diags: &mut Diagnostics,
) -> Option<Publicity> {
    let pf = p.get_ref();
    let start = match &pf.start {
        Some(s) => to_date(file, s, diags)?,
        None => {
            if !draft {
                diags.push(
                    Diagnostic::err(
                        "publicity-start",
                        file,
                        "公示期没有开始日期 ([publicity] has no start date)",
                    )
                    .at(span(p))
                    .help("在 [publicity] 中写上公示的第一天，例如 start = 2026-04-20"),
                );
            }
            return None;
        }
    };
    let end_given = match &pf.end {
        Some(e) => Some((to_date(file, e, diags)?, span(e))),
        None => None,
    };
    let counted = count_length(file, p, calendar, default, start, diags)?;
    let end = reconcile_end(file, p, start, counted.as_ref(), end_given, diags)?;
    let (mut working_days, calendar_days) = counted
        .as_ref()
        .map_or((None, None), |c| (c.working_days, c.calendar_days));
    if working_days.is_none()
        && calendar_days.is_none()
        && calendar.has_year(start.year_ce().1 as i32)
    {
        working_days = calendar.working_days_between(start, end).ok();
    }
    Some(Publicity {
        start,
        end,
        working_days,
        calendar_days,
    })
}

/// A publicity period's length, counted from its start: the end it gives and how it reads
/// ("5个工作日"), for comparing with an `end` also written.
struct Counted {
    end: NaiveDate,
    what: String,
    working_days: Option<u32>,
    calendar_days: Option<u32>,
}

/// The length a `[publicity]` gives: its own working or calendar days, else (without an
/// `end`) the programme's default. `Some(None)`: no length, only an end or nothing;
/// `None`: a problem, reported.
fn count_length(
    file: &Path,
    p: &Spanned<PublicityFile>,
    calendar: &Calendar,
    default: Option<PublicityLength>,
    start: NaiveDate,
    diags: &mut Diagnostics,
) -> Option<Option<Counted>> {
    let pf = p.get_ref();
    if let (Some(w), Some(_)) = (&pf.working_days, &pf.calendar_days) {
        diags.push(super::both_publicity_lengths(file, w, ""));
        return None;
    }
    let working =
        |n: u32, at: Range<usize>, label: String, help: Option<String>, diags: &mut Diagnostics| {
            match calendar.add_working_days(start, n) {
                Ok(end) => Some(Counted {
                    end,
                    what: format!("{n}个工作日"),
                    working_days: Some(n),
                    calendar_days: None,
                }),
                Err(e) => {
                    let d = Diagnostic::err("publicity-calendar", file, e.to_string())
                        .at(at)
                        .label(label);
                    diags.push(match help {
                        Some(h) => d.help(h),
                        None => d,
                    });
                    None
                }
            }
        };
    let calendar_days = |n: u32| Counted {
        end: add_calendar_days(start, n),
        what: format!("{n}天"),
        working_days: None,
        calendar_days: Some(n),
    };
    let counted = if let Some(w) = &pf.working_days {
        let n = super::publicity_days(file, w, diags)?;
        Some(working(n, span(w), "无法计算工作日".into(), None, diags)?)
    } else if let Some(c) = &pf.calendar_days {
        Some(calendar_days(super::publicity_days(file, c, diags)?))
    } else if pf.end.is_some() {
        None
    } else {
        match default {
            Some(PublicityLength::WorkingDays(n)) => Some(working(
                n,
                span(p),
                format!("项目默认的公示期：{n}个工作日"),
                Some(format!(
                    "添加 data/calendar/{}.toml，或在 [publicity] 中写上 end = 截止日期",
                    start.year_ce().1
                )),
                diags,
            )?),
            Some(PublicityLength::CalendarDays(n)) => Some(calendar_days(n)),
            None => None,
        }
    };
    Some(counted)
}

/// The last day of publicity: the counted end and the written one agree (when both are
/// there), one of them is there, and it is not before the start.
fn reconcile_end(
    file: &Path,
    p: &Spanned<PublicityFile>,
    start: NaiveDate,
    counted: Option<&Counted>,
    end_given: Option<(NaiveDate, Range<usize>)>,
    diags: &mut Diagnostics,
) -> Option<NaiveDate> {
    let end = match (counted, end_given) {
        (Some(c), Some((given, end_span))) => {
            let (computed, what) = (c.end, &c.what);
            if computed != given {
                diags.push(
                    Diagnostic::err(
                        "publicity-end",
                        file,
                        format!("end = {given} 与从 {start} 起的{what}不符，应为 {computed} (end disagrees with the count)"),
                    )
                    .at(end_span)
                    .label(format!("应为 {computed}"))
                    .help(format!("把 end 改为 {computed}，或删去 end，由天数算出")),
                );
                return None;
            }
            given
        }
        (Some(c), None) => c.end,
        (None, Some((given, _))) => given,
        (None, None) => {
            diags.push(
                Diagnostic::err(
                    "publicity-length",
                    file,
                    "公示期没有长度 (the publicity period has no length)",
                )
                .at(span(p))
                .help("写上 working_days = 5（或 calendar_days = 7，或 end = 2026-04-24）；同一项目的名单公示期都一样时，可以在项目文件 data/programmes/<项目>.toml 的 [publicity] 中写一次"),
            );
            return None;
        }
    };
    if end < start {
        diags.push(
            Diagnostic::err(
                "publicity-end",
                file,
                format!("公示截止日 {end} 早于开始日 {start} (end before start)"),
            )
            .at_opt(p.get_ref().end.as_ref().map(span))
            .help("公示期从 start 到 end，两天都包括在内"),
        );
        return None;
    }
    Some(end)
}

fn check_enterprises(
    file: &Path,
    rows: &[EnterpriseFile],
    book: &super::DistrictBook,
    diags: &mut Diagnostics,
) -> Option<Vec<Enterprise>> {
    let mut ok = true;
    // Normalised codes first, so that duplicates can be found without copying them.
    let codes: Vec<String> = rows
        .iter()
        .map(|r| credit_code::normalize(r.credit_code.get_ref()))
        .collect();
    let mut seen: ahash::AHashMap<&str, Range<usize>> = ahash::AHashMap::with_capacity(rows.len());
    let mut out = Vec::with_capacity(rows.len());
    for (row, code) in rows.iter().zip(&codes) {
        let name = row.name.get_ref().trim().to_string();
        ok &= check_name(file, row, &name, diags);
        ok &= check_row_texts(file, row, &name, diags);
        ok &= check_code(file, row, &name, code, &mut seen, diags);
        let Some(district) = resolve_district(file, row, book, diags) else {
            ok = false;
            continue;
        };
        out.push(Enterprise {
            name,
            credit_code: code.clone(),
            district: book.districts[district].name.clone(),
            district_order: district,
            industry: row.industry.clone().filter(|s| !s.trim().is_empty()),
            withdrawn: row.withdrawn.clone(),
        });
    }
    if !ok {
        return None;
    }
    // Stable: equal districts keep the order given.
    out.sort_by_key(|e| e.district_order);
    Some(out)
}

/// An enterprise's name (trimmed): not empty, one line, not several cells pasted together.
fn check_name(file: &Path, row: &EnterpriseFile, name: &str, diags: &mut Diagnostics) -> bool {
    if name.is_empty() {
        diags.push(
            Diagnostic::err("name-empty", file, "企业名称是空的 (empty enterprise name)")
                .at(span(&row.name))
                .help("写企业的登记全称"),
        );
        false
    } else if name.contains(['\t', '\n', '\r']) {
        // Other refused characters are reported by the loader, for every string.
        diags.push(
            Diagnostic::err(
                "name-line",
                file,
                "企业名称中有换行符或制表符 (a line break or tab in the name)",
            )
            .at(span(&row.name))
            .label("企业名称")
            .help("企业名称只占一行：删掉其中的换行（\\n）或制表符（\\t）"),
        );
        false
    } else if name.chars().count() > MAX_NAME_CHARS {
        diags.push(
            Diagnostic::err(
                "name-long",
                file,
                format!(
                    "企业名称有{}个字，超过{MAX_NAME_CHARS}个字的上限 (the name is too long)",
                    name.chars().count()
                ),
            )
            .at(span(&row.name))
            .label("企业名称")
            .help("这不像一家企业的登记名称：请核对这一行，常见原因是把几个单元格的内容粘在了一起"),
        );
        false
    } else {
        true
    }
}

/// A row's other texts, shown on pages: the industry and the withdrawal reason are one
/// line each, and the reason is a sentence or two.
fn check_row_texts(file: &Path, row: &EnterpriseFile, name: &str, diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    for (what, value) in [("行业", &row.industry), ("撤回原因", &row.withdrawn)] {
        if value
            .as_deref()
            .is_some_and(|v| v.contains(['\t', '\n', '\r']))
        {
            diags.push(
                Diagnostic::err(
                    "name-line",
                    file,
                    format!("{name}的{what}中有换行符或制表符"),
                )
                .at(span(&row.name))
                .label("这一家企业")
                .help(format!("{what}只占一行：删掉其中的换行或制表符")),
            );
            ok = false;
        }
    }
    if let Some(reason) = row.withdrawn.as_deref() {
        let n = reason.chars().count();
        if n > MAX_REASON_CHARS {
            diags.push(
                Diagnostic::err(
                    "name-long",
                    file,
                    format!("{name}的撤回原因有{n}个字，超过{MAX_REASON_CHARS}个字的上限 (the withdrawal reason is too long)"),
                )
                .at(span(&row.name))
                .label("这一家企业")
                .help("撤回原因显示在公示页面上，写一两句话，例如“经核实不符合条件（异议成立）”；详细情况另行发文"),
            );
            ok = false;
        }
    }
    ok
}

/// A row's credit code (normalised): valid (GB 32100-2015), and the first in this list.
fn check_code<'c>(
    file: &Path,
    row: &EnterpriseFile,
    name: &str,
    code: &'c str,
    seen: &mut ahash::AHashMap<&'c str, Range<usize>>,
    diags: &mut Diagnostics,
) -> bool {
    if let Err(e) = credit_code::validate(code) {
        let help = match &e {
            credit_code::CodeError::CheckChar { .. } => {
                "最后一位是由前17位算出的校验位（GB 32100-2015）：多半是其中某一位抄错了，请与营业执照核对".to_string()
            }
            _ => "统一社会信用代码有18位：数字和大写字母（不含 I、O、S、V、Z），例如 91210202MAEW6A1C6R".to_string(),
        };
        diags.push(
            Diagnostic::err(
                "credit-code",
                file,
                format!("{name}：{e} (invalid credit code)"),
            )
            .at(span(&row.credit_code))
            .label(e.to_string())
            .help(help),
        );
        false
    } else if let Some(first) = seen.get(code) {
        diags.push(
            Diagnostic::err(
                "credit-code-twice",
                file,
                format!("统一社会信用代码 {code} 在这份名单中出现了两次 (listed twice)"),
            )
            .at(span(&row.credit_code))
            .label("第二次")
            .also(first.clone(), "第一次")
            .help("一家企业在一份名单中只列一次：删除重复的那一段"),
        );
        false
    } else {
        seen.insert(code, span(&row.credit_code));
        true
    }
}

/// The district a row names (a name or an alias in `data/districts.toml`), by its index.
fn resolve_district(
    file: &Path,
    row: &EnterpriseFile,
    book: &super::DistrictBook,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let found = book.resolve(row.district.get_ref());
    if found.is_none() {
        let help = book.unknown_district_help(row.district.get_ref());
        diags.push(
            Diagnostic::err(
                "district-unknown",
                file,
                format!(
                    "不认识的区县“{}” (unknown district)",
                    row.district.get_ref()
                ),
            )
            .at(span(&row.district))
            .label("不在 data/districts.toml 中")
            .help(help),
        );
    }
    found
}

/// The objection rules of a list: the site's, with the list's changes, phones parsed.
fn objection(
    file: &Path,
    d: &ObjectionRules,
    o: Option<&ObjectionOverride>,
    area: &str,
    diags: &mut Diagnostics,
) -> Option<Objection> {
    let o = o.cloned().unwrap_or_default();
    let before = diags.error_count();
    if let Some(e) = &o.email {
        super::site::email(file, e, diags);
    }
    if let Some(t) = &o.deadline_time {
        super::site::deadline_time(file, t, diags);
    }
    let phones = match &o.phones {
        Some(own) => super::site::phones(file, own, area, "[objection]", diags),
        // The site's phones: their problems are reported at data/site.toml already.
        None => super::site::phones(file, &d.phones, area, "", &mut Diagnostics::new()),
    };
    if diags.error_count() > before || phones.len() < o.phones.as_ref().unwrap_or(&d.phones).len() {
        return None;
    }
    Some(Objection {
        who: o.who.unwrap_or_else(|| d.who.clone()),
        form: o.form.unwrap_or_else(|| d.form.clone()),
        office: o.office.unwrap_or_else(|| d.office.clone()),
        phones,
        address: o.address.or_else(|| d.address.clone()),
        postcode: o.postcode.or_else(|| d.postcode.clone()),
        email: o.email.or_else(|| d.email.clone()).map(Spanned::into_inner),
        confidentiality: o
            .confidentiality
            .unwrap_or_else(|| d.confidentiality.clone()),
        not_accepted: o.not_accepted.unwrap_or_else(|| d.not_accepted.clone()),
        deadline_time: o
            .deadline_time
            .unwrap_or_else(|| d.deadline_time.clone())
            .into_inner(),
    })
}
