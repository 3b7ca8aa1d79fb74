//! Notices: a programme's notice of one year joins its text (a page under
//! `content/notices/<programme>/<year>/`) with its key dates and criteria (files under
//! `data/notices/<programme>/<year>/`). Both data files are optional.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::pages::{NoticePage, NoticeRole};
use super::{is_slug, span, to_date};
use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::repeat::{self, RepeatError};
use crate::load::NoticeData;
use crate::model::{KeyDate, Notice, Page, Programme};
use crate::source::notice::{CriteriaFile, RepeatFile, ScheduleFile};
use chrono::NaiveDate;
use std::ops::Range;
use toml::Spanned;

pub(super) fn check_notices(
    pages: &mut [Page],
    notice_pages: Vec<NoticePage>,
    data: Vec<NoticeData>,
    programmes: &[Programme],
    drafts: &[PathBuf],
    diags: &mut Diagnostics,
) -> Vec<Notice> {
    let mut notices: Vec<Notice> = Vec::new();
    let mut criteria_pages = Vec::new();
    for np in notice_pages {
        let source = pages[np.page].source.clone();
        let Some((programme, year)) = place(&source, &np.programme, &np.year, programmes, diags)
        else {
            continue;
        };
        match np.role {
            NoticeRole::Text => notices.push(Notice {
                id: if programmes[programme].default {
                    year.to_string()
                } else {
                    format!("{}-{year}", programmes[programme].id)
                },
                programme,
                year,
                page: np.page,
                criteria_page: None,
                criteria: None,
                key_dates: Vec::new(),
            }),
            NoticeRole::Criteria => criteria_pages.push((np.page, programme, year)),
        }
    }
    for (page, programme, year) in criteria_pages {
        match notices
            .iter_mut()
            .find(|n| n.programme == programme && n.year == year)
        {
            Some(n) => n.criteria_page = Some(page),
            None => no_notice_text(
                &pages[page].source,
                &programmes[programme],
                year,
                drafts,
                diags,
            ),
        }
    }
    for d in data {
        let Some((programme, year)) = place(&d.dir, &d.programme, &d.year, programmes, diags)
        else {
            continue;
        };
        let Some(n) = notices
            .iter_mut()
            .find(|n| n.programme == programme && n.year == year)
        else {
            no_notice_text(&d.dir, &programmes[programme], year, drafts, diags);
            continue;
        };
        if let Some((file, schedule)) = &d.schedule {
            n.key_dates = key_dates(file, schedule, year, diags);
        }
        if let Some((file, criteria)) = d.criteria {
            check_criteria(&file, &criteria, diags);
            if n.criteria_page.is_none() {
                diags.push(
                    Diagnostic::err(
                        "criteria-page",
                        &file,
                        "有条件和评价标准的数据，但没有显示它的页面 (no page shows the criteria)",
                    )
                    .help(format!(
                        "新建 content/notices/{}/{year}/criteria.md，写上标题，例如 title = \"条件和评价标准\"",
                        programmes[programme].id
                    )),
                );
            }
            n.criteria = Some(criteria);
        }
    }
    // Newest year first; within a year, in programme order (the default programme first).
    notices.sort_by_key(|n| {
        (
            std::cmp::Reverse(n.year),
            !programmes[n.programme].default,
            n.programme,
        )
    });
    for (i, n) in notices.iter().enumerate() {
        pages[n.page].notice = Some(i);
        if let Some(c) = n.criteria_page {
            pages[c].notice = Some(i);
        }
    }
    notices
}

/// Pages that are drafts. A notice whose text is a draft (`gazette new notice` makes
/// them so) is left out whole, its criteria page too (rendered without the notice it
/// would have nothing to show), and `check` says so.
pub(super) fn draft_notices(
    pages: &mut [crate::load::RawPage],
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let notices = Path::new("content").join("notices");
    let drafts: Vec<PathBuf> = pages
        .iter()
        .filter(|p| p.front.draft)
        .map(|p| p.source.clone())
        .collect();
    for text in &drafts {
        let (Some(dir), Some(name)) = (text.parent(), text.file_name()) else {
            continue;
        };
        if !(name == "index.md" && dir.parent().and_then(Path::parent) == Some(&notices)) {
            continue;
        }
        for p in pages.iter_mut().filter(|p| p.source.parent() == Some(dir)) {
            p.front.draft = true;
        }
        diags.push(
            Diagnostic::warn(
                "draft",
                text,
                "这份通知是草稿（draft = true）：生成网站时不发布它、它的条件和评价标准页面和这一年的关键日期 (a draft notice is left out)",
            )
            .help("通知定稿后删去 front matter 中的 draft = true"),
        );
    }
    pages
        .iter()
        .filter(|p| p.front.draft)
        .map(|p| p.source.clone())
        .collect()
}

/// A notice page that is no longer a draft but was never rewritten: it still carries the
/// note of `gazette new notice`, or its text is the same as the previous year's notice's.
pub(super) fn check_scaffolds(pages: &[crate::load::RawPage], diags: &mut Diagnostics) {
    use crate::source::notice::SCAFFOLD_NOTE;
    let notices = Path::new("content").join("notices");
    // (programme folder, file name) → (year, body) of every notice page.
    let mut by_file: std::collections::BTreeMap<
        (PathBuf, std::ffi::OsString),
        Vec<(i32, &crate::load::RawPage)>,
    > = Default::default();
    for p in pages {
        let Ok(rest) = p.source.strip_prefix(&notices) else {
            continue;
        };
        let parts: Vec<_> = rest.components().map(|c| c.as_os_str()).collect();
        let [programme, year, name] = parts.as_slice() else {
            continue;
        };
        let Some(year) = year.to_str().and_then(|y| y.parse::<i32>().ok()) else {
            continue;
        };
        if !p.front.draft {
            if let Some(at) = p.body.find(SCAFFOLD_NOTE) {
                let start = p.body_offset + at;
                diags.push(
                    Diagnostic::err(
                        "notice-scaffold",
                        &p.source,
                        "这一页还是 gazette new notice 照上一年生成的草稿，没有改写就去掉了 draft = true (a scaffold published unedited)",
                    )
                    .at(start..start + SCAFFOLD_NOTE.len())
                    .help("把正文换成今年通知的全文、核对后删除这一行说明；还没写好就加回 draft = true"),
                );
            }
        }
        by_file
            .entry((PathBuf::from(programme), name.to_os_string()))
            .or_default()
            .push((year, p));
    }
    // The notice's text only: a criteria page may well stay the same from year to year.
    for ((_, name), years) in by_file.iter_mut() {
        if name != "index.md" && name != "_index.md" {
            continue;
        }
        years.sort_by_key(|(y, _)| *y);
        for w in years.windows(2) {
            let ((old, before), (new, now)) = (w[0], w[1]);
            if !now.front.draft
                && !now.body.trim().is_empty()
                && now.body.trim() == before.body.trim()
            {
                diags.push(
                    Diagnostic::err(
                        "notice-scaffold",
                        &now.source,
                        format!("{new}年这一页的正文和{old}年的完全相同 (the same text as last year's)"),
                    )
                    .help(format!(
                        "把正文换成{new}年通知的全文；还没写好就在页首加上 draft = true（对照的是 {}）",
                        crate::diag::display_path(&before.source)
                    )),
                );
            }
        }
    }
}

/// The programme and year a notice's folder names; an unknown programme or a folder that
/// is not a year is an error.
fn place(
    file: &Path,
    programme: &str,
    year: &str,
    programmes: &[Programme],
    diags: &mut Diagnostics,
) -> Option<(usize, i32)> {
    let p = programmes.iter().position(|p| p.id == programme);
    if p.is_none() {
        let known: Vec<&str> = programmes.iter().map(|p| p.id.as_str()).collect();
        diags.push(
            Diagnostic::err(
                "notice-programme",
                file,
                format!("文件夹“{programme}”不是一个项目的编号 (unknown programme)"),
            )
            .help(if known.is_empty() {
                "先在 data/programmes/ 中建立项目文件".to_string()
            } else {
                format!(
                    "通知放在 notices/<项目编号>/<年份>/ 中；项目编号是 data/programmes/ 中的文件名：{}",
                    known.join("、")
                )
            }),
        );
    }
    let y = year
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if y.is_none() {
        diags.push(
            Diagnostic::err(
                "notice-year",
                file,
                format!("文件夹“{year}”不是年份 (not a year)"),
            )
            .help("通知放在 notices/<项目编号>/<年份>/ 中，例如 notices/innovative/2027/"),
        );
    }
    Some((p?, y?))
}

/// A notice without its text, unless the text is there but failed to load (its own
/// error already says why) or is a draft (its data waits with it).
fn no_notice_text(
    file: &Path,
    programme: &Programme,
    year: i32,
    drafts: &[PathBuf],
    diags: &mut Diagnostics,
) {
    let dir = Path::new("content")
        .join("notices")
        .join(&programme.id)
        .join(year.to_string());
    let text_failed = diags.items().iter().any(|d| {
        d.file
            .as_deref()
            .is_some_and(|f| f == dir.join("index.md") || f == dir.join("_index.md"))
    });
    let draft = drafts
        .iter()
        .any(|f| *f == dir.join("index.md") || *f == dir.join("_index.md"));
    if text_failed || draft {
        return;
    }
    diags.push(Diagnostic::err(
        "notice-missing",
        file,
        format!("{year}年{}的通知正文不存在 (no notice text)", programme.name),
    )
    .help(format!(
        "通知正文放在 content/notices/{}/{year}/index.md；可以用 gazette new notice --programme {} --year {year} 照上一年的通知新建",
        programme.id, programme.id
    )));
}

fn key_dates(file: &Path, s: &ScheduleFile, year: i32, diags: &mut Diagnostics) -> Vec<KeyDate> {
    let mut ids = HashSet::new();
    let mut out = Vec::new();
    for r in &s.repeat {
        out.extend(repeated(file, r, year, &mut ids, diags));
    }
    for k in &s.key_date {
        let id = k.id.get_ref().trim();
        if !is_slug(id) {
            diags.push(
                Diagnostic::err(
                    "key-date-id",
                    file,
                    format!("关键日期的编号“{id}”只能用小写英文字母、数字和 - (not a plain id)"),
                )
                .at(span(&k.id))
                .help("编号用于日历订阅，写定后不要再改，例如 id = \"q1-window\""),
            );
            continue;
        }
        if !ids.insert(id.to_string()) {
            diags.push(
                Diagnostic::err(
                    "key-date-id",
                    file,
                    format!("关键日期的编号“{id}”用了两次 (id used twice)"),
                )
                .at(span(&k.id))
                .help("每个关键日期用不同的 id"),
            );
            continue;
        }
        let (Some(start), Some(end)) =
            (to_date(file, &k.start, diags), to_date(file, &k.end, diags))
        else {
            continue;
        };
        if end < start {
            diags.push(
                Diagnostic::err(
                    "key-date-order",
                    file,
                    format!("“{}”的结束日早于开始日 (end before start)", k.title),
                )
                .at(span(&k.end))
                .help("从 start 到 end，两天都包括在内；只有一天时两者写同一天"),
            );
            continue;
        }
        out.push(KeyDate {
            id: id.to_string(),
            title: k.title.clone(),
            start,
            end,
            when: k.when.clone(),
            deadline: k.deadline,
        });
    }
    out.sort_by_key(|k| (k.end, k.start));
    out
}

/// A `[[repeat]]` rule of `schedule.toml` expanded into one key date per month, each with
/// the id `<id>-<year>-<month>` (so a calendar subscription keeps each month's event) and
/// the title's `{year}` and `{month}` filled in. Days past a short month's end are clamped
/// (see `domain::repeat`); every other mistake is refused at its own value.
fn repeated(
    file: &Path,
    r: &RepeatFile,
    year: i32,
    ids: &mut HashSet<String>,
    diags: &mut Diagnostics,
) -> Vec<KeyDate> {
    let id = r.id.get_ref().trim();
    if !is_slug(id) {
        diags.push(
            Diagnostic::err(
                "key-date-id",
                file,
                format!("重复关键日期的编号“{id}”只能用小写英文字母、数字和 - (not a plain id)"),
            )
            .at(span(&r.id))
            .help("编号加上年月就是每个月的编号（window-2026-03），写定后不要再改，例如 id = \"window\""),
        );
        return Vec::new();
    }
    let refuse = |what: &str, at: Range<usize>, help: &str| {
        Diagnostic::err("key-date-repeat", file, what.to_string())
            .at(at)
            .help(help.to_string())
    };
    let day = |v: &Spanned<i64>| u32::try_from(*v.get_ref()).unwrap_or(0);
    let from = match &r.from {
        Some(v) => to_date(file, v, diags),
        None => NaiveDate::from_ymd_opt(year, 1, 1),
    };
    let until = match &r.until {
        Some(v) => to_date(file, v, diags),
        None => NaiveDate::from_ymd_opt(year, 12, 31),
    };
    let (Some(from), Some(until)) = (from, until) else {
        return Vec::new();
    };
    let skip: Vec<u32> = r
        .skip_months
        .as_ref()
        .map(|v| {
            v.get_ref()
                .iter()
                .map(|m| u32::try_from(*m).unwrap_or(0))
                .collect()
        })
        .unwrap_or_default();
    // Only {year} and {month} are filled in: any other {slot} would reach the page as it is.
    let unknown = r
        .title
        .get_ref()
        .replace("{year}", "")
        .replace("{month}", "")
        .split('{')
        .nth(1)
        .and_then(|rest| rest.split_once('}'))
        .map(|(slot, _)| slot.to_string());
    if let Some(slot) = unknown {
        diags.push(refuse(
            &format!("title 中的 {{{slot}}} 无法填写，只能用 {{year}} 和 {{month}} (unknown slot)"),
            span(&r.title),
            "例如 title = \"{month}月申请受理\"，每个月显示为 3月申请受理",
        ));
        return Vec::new();
    }
    let (start_day, end_day) = (day(&r.start_day), day(&r.end_day));
    let windows = match repeat::expand(start_day, end_day, from, until, &skip) {
        Ok(w) => w,
        Err(e) => {
            diags.push(match e {
                RepeatError::Day(_) => {
                    let (key, value) = if (1..=31).contains(&start_day) {
                        ("end_day", &r.end_day)
                    } else {
                        ("start_day", &r.start_day)
                    };
                    refuse(
                        &format!(
                            "{key} = {}：每月的日子要在 1 到 31 之间 (day of month out of range)",
                            value.get_ref()
                        ),
                        span(value),
                        "写每月的第几天，例如 start_day = 1、end_day = 10；写 31 表示到月底，小月自动按月底算",
                    )
                }
                RepeatError::DayOrder => refuse(
                    &format!("end_day = {end_day} 早于 start_day = {start_day} (end before start)"),
                    span(&r.end_day),
                    "每月的窗口从 start_day 到 end_day，两天都包括在内；跨月的窗口请写成两条关键日期",
                ),
                RepeatError::Month(m) => refuse(
                    &format!("skip_months 中的 {m} 不是月份 (not a month)"),
                    r.skip_months.as_ref().map_or(span(&r.id), span),
                    "月份写 1 到 12，例如 skip_months = [2]",
                ),
                RepeatError::RangeOrder => refuse(
                    "until 早于 from (range ends before it starts)",
                    r.until.as_ref().map_or(span(&r.id), span),
                    "from 和 until 是日期范围的第一天和最后一天，例如 from = 2026-03-01、until = 2027-02-28",
                ),
                RepeatError::Empty => refuse(
                    &format!("“{}”在日期范围内一次也没有 (the rule gives no dates)", r.title.get_ref()),
                    span(&r.title),
                    "检查 from、until 和 skip_months：只有整个窗口都在范围内的月份才会列出",
                ),
            });
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for w in windows {
        let month_id = format!("{id}-{}-{:02}", w.year, w.month);
        if !ids.insert(month_id.clone()) {
            diags.push(
                Diagnostic::err(
                    "key-date-id",
                    file,
                    format!("关键日期的编号“{month_id}”用了两次 (id used twice)"),
                )
                .at(span(&r.id))
                .help("重复关键日期的编号加上年月后，不能和其他关键日期的编号相同"),
            );
            return Vec::new();
        }
        out.push(KeyDate {
            id: month_id,
            title: r
                .title
                .get_ref()
                .replace("{year}", &w.year.to_string())
                .replace("{month}", &w.month.to_string()),
            start: w.start,
            end: w.end,
            when: None,
            deadline: r.deadline,
        });
    }
    out
}

fn check_criteria(file: &Path, c: &CriteriaFile, diags: &mut Diagnostics) {
    let mut total = 0;
    let mut ids = HashSet::new();
    for cat in &c.category {
        let sum: u32 = cat.indicator.iter().map(|i| i.max).sum();
        if sum != cat.max {
            diags.push(
                Diagnostic::err(
                    "criteria-sum",
                    file,
                    format!(
                        "{}的各项指标合计{sum}分，但 max = {} (indicators do not add up)",
                        cat.name, cat.max
                    ),
                )
                .help("类别的 max 应等于其各项指标 max 之和"),
            );
        }
        if cat.min > cat.max {
            diags.push(Diagnostic::err(
                "criteria-sum",
                file,
                format!(
                    "{}的最低分 {} 高于满分 {} (min above max)",
                    cat.name, cat.min, cat.max
                ),
            ));
        }
        total += cat.max;
        for ind in &cat.indicator {
            if !ids.insert(ind.id.clone()) {
                diags.push(
                    Diagnostic::err(
                        "criteria-id",
                        file,
                        format!("指标编号“{}”用了两次 (indicator id used twice)", ind.id),
                    )
                    .help("每项指标用不同的 id"),
                );
            }
            if ind.band.is_empty() {
                diags.push(Diagnostic::err(
                    "criteria-band",
                    file,
                    format!(
                        "指标“{}”没有评分档次 (no [[category.indicator.band]])",
                        ind.name
                    ),
                ));
            }
            for b in &ind.band {
                if b.points > ind.max {
                    diags.push(Diagnostic::err(
                        "criteria-band",
                        file,
                        format!(
                            "指标“{}”的档次 {} 给 {} 分，超过该指标的满分 {} (band above max)",
                            ind.name, b.grade, b.points, ind.max
                        ),
                    ));
                }
            }
        }
    }
    if c.category.is_empty() {
        if c.pass.is_some() {
            diags.push(
                Diagnostic::err(
                    "criteria-pass",
                    file,
                    "写了通过条件 [pass]，但没有评分类别 (a pass mark without categories)",
                )
                .help("不评分的项目删去 [pass]；评分的项目写上 [[category]]"),
            );
        }
        return;
    }
    let max = c.max.unwrap_or(100);
    if total != max {
        diags.push(
            Diagnostic::err(
                "criteria-sum",
                file,
                format!("各类别合计 {total} 分，不是满分 {max} 分 (categories do not add up to the maximum)"),
            )
            .help("改正各类别的 max；满分不是 100 分时写 max = 满分"),
        );
    }
    match &c.pass {
        Some(pass) if pass.total > total => diags.push(Diagnostic::err(
            "criteria-sum",
            file,
            format!(
                "[pass] 的 total = {} 高于满分 {total} (pass mark above the maximum)",
                pass.total
            ),
        )),
        Some(_) => {}
        None => diags.push(
            Diagnostic::err(
                "criteria-pass",
                file,
                "有评分类别，但没有通过条件 [pass] (no pass rule)",
            )
            .help("写上 [pass]：total（通过分数）、rule（通过条件的说法）和 boundary（说明）"),
        ),
    }
}
