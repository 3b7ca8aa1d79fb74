//! What templates see: plain serialisable views built once from the checked model.
//! Dates arrive already written out in Chinese, URLs already include the base path and
//! are percent-encoded, so templates only place values (and Tera escapes them).

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::datefmt::{iso, zh_date, zh_period};
use crate::domain::publicity::{self, State};
use crate::domain::workdays::Calendar;
use crate::model::{EnterpriseList, Notice, Phone, Site, Stage};
use crate::theme::words::{fill, Words};
pub(crate) use crate::urls::{page_count, segment, Urls};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PeriodView {
    pub start: String,
    pub end: String,
    pub start_zh: String,
    pub end_zh: String,
    pub period_zh: String,
    /// "5个工作日" or "7天"
    pub length_zh: String,
    pub state: &'static str,
    pub state_zh: String,
    /// Working (or calendar) days left as of the build date, counting today.
    pub days_left: Option<u32>,
    pub days_unit: String,
    /// The period's working days, space-separated ISO dates, for the live status script.
    pub workdays: String,
    pub deadline_zh: String,
}

/// The theme's word for a state; `open_word` is the open state's, which differs between a
/// publicity period (公示中) and a key date (进行中).
pub(crate) fn state_zh(words: &Words, state: State, open_word: &str) -> String {
    match state {
        State::Upcoming => words.status.upcoming.clone(),
        State::Open => open_word.to_string(),
        State::Ended => words.status.ended.clone(),
    }
}

pub(crate) fn publicity_view(
    list: &EnterpriseList,
    cal: &Calendar,
    today: NaiveDate,
    words: &Words,
) -> Option<PeriodView> {
    let p = list.publicity.as_ref()?;
    let st = publicity::state(p.start, p.end, today);
    let w = &words.periods;
    let (length_zh, days_left, unit, workdays) = if let Some(n) = p.calendar_days {
        (
            fill(&w.calendar_days, &[("n", &n.to_string())]),
            Some(publicity::days_left(p.start, p.end, today)),
            w.calendar_days_unit.clone(),
            String::new(),
        )
    } else {
        let wd = publicity::working_days_in(cal, p.start, p.end);
        let n = p.working_days.unwrap_or(wd.len() as u32);
        (
            fill(&w.working_days, &[("n", &n.to_string())]),
            publicity::working_days_left(cal, p.start, p.end, today),
            w.working_days_unit.clone(),
            wd.iter().map(|d| iso(*d)).collect::<Vec<_>>().join(" "),
        )
    };
    let time = &list.objection.deadline_time;
    Some(PeriodView {
        start: iso(p.start),
        end: iso(p.end),
        start_zh: zh_date(p.start),
        end_zh: zh_date(p.end),
        period_zh: zh_period(p.start, p.end),
        length_zh,
        state: st.as_str(),
        state_zh: state_zh(words, st, &words.status.publicity_open),
        days_left,
        days_unit: unit,
        workdays,
        deadline_zh: fill(&w.deadline, &[("date", &zh_date(p.end)), ("time", time)]),
    })
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnnouncementView {
    pub date: String,
    pub date_zh: String,
    pub document: Option<String>,
    pub valid_from_zh: String,
    /// Absent when neither the list nor its programme says how long the honour lasts.
    pub valid_until_zh: Option<String>,
    /// The period of validity written out: 2026年8月31日至2029年8月30日.
    pub validity_zh: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ListSummary {
    pub id: String,
    pub title: String,
    /// The programme's id and name.
    pub programme: String,
    pub programme_name: String,
    pub year: i32,
    pub batch: u32,
    /// As the programme names it: 第三季度, 上半年.
    pub batch_name: String,
    /// The kind's id (`application`) and word (申报).
    pub kind: String,
    pub kind_name: String,
    pub stage: &'static str,
    pub stage_zh: String,
    pub sample: bool,
    /// The first list of its year (lists are newest first): where `#year-<year>` points.
    pub first_of_year: bool,
    /// The first list of its programme within its year (lists are grouped by programme
    /// within a year): where a page showing several programmes starts a group.
    pub first_of_programme: bool,
    /// The day it was published at its stage (`EnterpriseList::date`), ISO: lists of
    /// different programmes are ordered by it, since their batch numbers do not compare
    /// (上半年 is batch 1, as is 第一季度).
    pub date: Option<String>,
    /// A draft shown in `serve`'s preview (never in a build).
    pub draft: bool,
    /// Rows shown as the list (announced lists leave withdrawn ones out).
    pub count: usize,
    pub total: usize,
    pub withdrawn: usize,
    pub url: String,
    pub publicity_url: Option<String>,
    /// None when downloads are skipped (`--skip downloads`).
    pub csv_url: Option<String>,
    pub json_url: Option<String>,
    pub publicity: Option<PeriodView>,
    pub announcement: Option<AnnouncementView>,
    pub source: String,
}

pub(crate) fn list_summary(
    list: &EnterpriseList,
    site: &Site,
    urls: &Urls,
    downloads: bool,
    words: &Words,
) -> ListSummary {
    let count = list.shown().count();
    ListSummary {
        id: list.id.clone(),
        title: list.title.clone(),
        programme: site.programmes[list.programme].id.clone(),
        programme_name: site.programmes[list.programme].name.clone(),
        year: list.year,
        batch: list.batch,
        batch_name: list.batch_name.clone(),
        kind: list.kind_id.clone(),
        kind_name: list.kind_name.clone(),
        stage: list.stage.as_str(),
        stage_zh: match list.stage {
            Stage::Publicity => words.stages.publicity.clone(),
            Stage::Announced => words.stages.announced.clone(),
        },
        sample: list.sample,
        first_of_year: false,
        first_of_programme: false,
        date: list.date().map(iso),
        draft: list.draft,
        count,
        total: list.enterprises.len(),
        withdrawn: list.withdrawn_count(),
        url: urls.to(&Urls::list_path(&list.id, 1)),
        publicity_url: list
            .publicity
            .as_ref()
            .map(|_| urls.to(&Urls::publicity_path(&list.id))),
        csv_url: downloads.then(|| urls.to(&Urls::download_path(&list.id, "csv"))),
        json_url: downloads.then(|| urls.to(&Urls::download_path(&list.id, "json"))),
        publicity: publicity_view(list, &site.calendar, site.today, words),
        announcement: list.announcement.as_ref().map(|a| AnnouncementView {
            date: iso(a.date),
            date_zh: zh_date(a.date),
            document: a.document.clone(),
            valid_from_zh: zh_date(a.valid_from),
            valid_until_zh: a.valid_until.map(zh_date),
            validity_zh: a.valid_until.map(|u| zh_period(a.valid_from, u)),
        }),
        source: crate::diag::display_path(&list.source),
    }
}

pub(crate) use crate::theme::rows::Row;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Page links to show; `None` entries are gaps (…).
    pub pages: Vec<Option<PageLink>>,
    pub first_row: usize,
    pub last_row: usize,
    pub rows: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    pub n: usize,
    pub url: String,
    pub current: bool,
}

/// A GOV.UK-style page list: first, last and the neighbours of the current page.
pub(crate) fn pagination(
    current: usize,
    total: usize,
    rows: usize,
    page_size: usize,
    url: impl Fn(usize) -> String,
) -> Pagination {
    let mut pages = Vec::new();
    let mut last_shown = 0;
    for n in 1..=total {
        let show = n == 1 || n == total || n.abs_diff(current) <= 2;
        if show {
            if n > last_shown + 1 {
                pages.push(None);
            }
            pages.push(Some(PageLink {
                n,
                url: url(n),
                current: n == current,
            }));
            last_shown = n;
        }
    }
    Pagination {
        current,
        total,
        prev: (current > 1).then(|| url(current - 1)),
        next: (current < total).then(|| url(current + 1)),
        pages,
        first_row: (current - 1) * page_size + 1,
        last_row: (current * page_size).min(rows),
        rows,
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DistrictView<'a> {
    pub name: &'a str,
    pub office: &'a str,
    pub phones: &'a [Phone],
    pub url: String,
    pub count: usize,
}

/// A key date with its state as of the build date.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KeyDate {
    /// Stable within its notice, e.g. `q1-window` (calendar UIDs).
    pub id: String,
    pub title: String,
    pub start: String,
    pub end: String,
    pub when_zh: String,
    pub deadline: bool,
    pub state: &'static str,
    pub state_zh: String,
    /// The notice's programme name and year (the home page may show several notices).
    pub programme_name: String,
    pub year: i32,
}

/// A programme's notice of one year, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NoticeView {
    pub id: String,
    pub programme: String,
    pub programme_name: String,
    pub year: i32,
    pub title: String,
    pub url: String,
    pub criteria_url: Option<String>,
    pub criteria_title: Option<String>,
    pub platform_url: Option<String>,
    pub platform_name: Option<String>,
    /// The programme's word for applying (申报), else the theme's default.
    pub apply_word: String,
    pub date: Option<String>,
    pub date_zh: Option<String>,
    /// Its programme's latest notice up to the build date's year (the nav links the
    /// default programme's as 通知原文 and each other programme's by name).
    pub current: bool,
    /// Older than its programme's current notice: the home page lists it under earlier
    /// years and leads with the current ones.
    pub past: bool,
    pub key_dates: Vec<KeyDate>,
    /// Ids of the lists of this programme and year.
    pub lists: Vec<String>,
}

pub(crate) fn notice_view(site: &Site, n: &Notice, urls: &Urls, words: &Words) -> NoticeView {
    let programme = &site.programmes[n.programme];
    let page = &site.pages[n.page];
    let criteria = n.criteria_page.map(|i| &site.pages[i]);
    NoticeView {
        id: n.id.clone(),
        programme: programme.id.clone(),
        programme_name: programme.name.clone(),
        year: n.year,
        title: page.title.clone(),
        url: urls.to(&page.path),
        criteria_url: criteria.map(|p| urls.to(&p.path)),
        criteria_title: criteria.map(|p| p.title.clone()),
        platform_url: programme.platform_url.clone(),
        platform_name: programme.platform_name.clone(),
        apply_word: programme
            .apply_word
            .clone()
            .unwrap_or_else(|| words.defaults.apply_word.clone()),
        date: page.date.map(iso),
        date_zh: page.date.map(zh_date),
        current: Some(n.year) == site.programme_year(n.programme),
        past: site.programme_year(n.programme).is_some_and(|y| n.year < y),
        key_dates: key_dates(site, n, words),
        lists: site
            .lists
            .iter()
            .filter(|l| l.programme == n.programme && l.year == n.year)
            .map(|l| l.id.clone())
            .collect(),
    }
}

/// The key dates of a notice in date order, with their state as of the build date.
pub(crate) fn key_dates(site: &Site, n: &Notice, words: &Words) -> Vec<KeyDate> {
    let programme_name = &site.programmes[n.programme].name;
    let mut out: Vec<KeyDate> = n
        .key_dates
        .iter()
        .map(|k| {
            let st = publicity::state(k.start, k.end, site.today);
            KeyDate {
                id: k.id.clone(),
                title: k.title.clone(),
                start: iso(k.start),
                end: iso(k.end),
                when_zh: k.when.clone().unwrap_or_else(|| {
                    if k.deadline {
                        fill(
                            &words.periods.key_date_deadline,
                            &[("date", &zh_date(k.end)), ("time", "")],
                        )
                    } else {
                        zh_period(k.start, k.end)
                    }
                }),
                deadline: k.deadline,
                state: st.as_str(),
                state_zh: state_zh(words, st, &words.status.key_date_open),
                programme_name: programme_name.clone(),
                year: n.year,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.end, &a.start).cmp(&(&b.end, &b.start)));
    out
}
