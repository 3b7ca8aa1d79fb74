//! What templates see: plain serialisable views built once from the checked model.
//! Dates arrive already written out in Chinese, URLs already include the base path and
//! are percent-encoded, so templates only place values (and Tera escapes them).

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::datefmt::{iso, zh_date, zh_period};
use crate::domain::publicity::{self, State};
use crate::domain::workdays::Calendar;
use crate::model::{EnterpriseList, Phone, Site};
use crate::validate::QUARTER_ZH;

/// URLs for one site: everything goes through here so the base path is never forgotten.
#[derive(Debug, Clone)]
pub struct Urls {
    pub base_path: String,
    pub base_url: String,
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment (district names are Chinese).
pub fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

impl Urls {
    pub fn new(site: &Site) -> Self {
        let base_path = site.config.base_path();
        let mut base_url = site.config.base_url.trim_end_matches('/').to_string();
        base_url.push('/');
        Urls {
            base_path,
            base_url,
        }
    }

    /// Site-relative path (no leading slash) → link with the base path.
    pub fn to(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    pub fn absolute(&self, path: &str) -> String {
        if self.base_url.starts_with("http") {
            format!("{}{}", self.base_url, path)
        } else {
            self.to(path)
        }
    }

    pub fn list_path(id: &str, page: usize) -> String {
        if page <= 1 {
            format!("lists/{id}/")
        } else {
            format!("lists/{id}/page/{page}/")
        }
    }

    pub fn publicity_path(id: &str) -> String {
        format!("lists/{id}/publicity/")
    }

    pub fn download_path(id: &str, ext: &str) -> String {
        format!("lists/{id}/{id}.{ext}")
    }

    /// Output file path of a district page (the folder name is the raw Chinese name).
    pub fn district_file(name: &str, page: usize) -> String {
        if page <= 1 {
            format!("districts/{name}/index.html")
        } else {
            format!("districts/{name}/page/{page}/index.html")
        }
    }

    /// Link to a district page (percent-encoded).
    pub fn district_link(&self, name: &str, page: usize) -> String {
        if page <= 1 {
            self.to(&format!("districts/{}/", segment(name)))
        } else {
            self.to(&format!("districts/{}/page/{page}/", segment(name)))
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub start: String,
    pub end: String,
    pub start_zh: String,
    pub end_zh: String,
    pub period_zh: String,
    /// "5个工作日" or "7天"
    pub length_zh: String,
    pub state: &'static str,
    pub state_zh: &'static str,
    /// Working (or calendar) days left as of the build date, counting today.
    pub days_left: Option<u32>,
    pub days_unit: &'static str,
    /// The period's working days, space-separated ISO dates, for the live status script.
    pub workdays: String,
    pub deadline_zh: String,
}

pub fn state_zh(state: State, open_word: &'static str) -> &'static str {
    match state {
        State::Upcoming => "未开始",
        State::Open => open_word,
        State::Ended => "已结束",
    }
}

pub fn publicity_view(
    list: &EnterpriseList,
    cal: &Calendar,
    today: NaiveDate,
) -> Option<PeriodView> {
    let p = list.publicity.as_ref()?;
    let st = publicity::state(p.start, p.end, today);
    let (length_zh, days_left, unit, workdays) = if let Some(n) = p.calendar_days {
        (
            format!("{n}天"),
            Some(publicity::days_left(p.start, p.end, today)),
            "天",
            String::new(),
        )
    } else {
        let wd = publicity::working_days_in(cal, p.start, p.end);
        let n = p.working_days.unwrap_or(wd.len() as u32);
        (
            format!("{n}个工作日"),
            publicity::working_days_left(cal, p.start, p.end, today),
            "个工作日",
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
        state_zh: state_zh(st, "公示中"),
        days_left,
        days_unit: unit,
        workdays,
        deadline_zh: format!("{}{}前（北京时间）", zh_date(p.end), time),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnouncementView {
    pub date: String,
    pub date_zh: String,
    pub document: Option<String>,
    pub validity_zh: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListSummary {
    pub id: String,
    pub title: String,
    pub year: i32,
    pub quarter: u8,
    pub quarter_zh: String,
    pub kind: &'static str,
    pub kind_zh: &'static str,
    pub stage: &'static str,
    pub stage_zh: &'static str,
    pub sample: bool,
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

pub fn list_summary(
    list: &EnterpriseList,
    site: &Site,
    urls: &Urls,
    downloads: bool,
) -> ListSummary {
    let count = list.shown().count();
    ListSummary {
        id: list.id.clone(),
        title: list.title.clone(),
        year: list.year,
        quarter: list.quarter,
        quarter_zh: format!("第{}季度", QUARTER_ZH[list.quarter as usize]),
        kind: list.kind.as_str(),
        kind_zh: list.kind.zh(),
        stage: list.stage.as_str(),
        stage_zh: list.stage.zh(),
        sample: list.sample,
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
        publicity: publicity_view(list, &site.calendar, site.today),
        announcement: list.announcement.as_ref().map(|a| AnnouncementView {
            date: iso(a.date),
            date_zh: zh_date(a.date),
            document: a.document.clone(),
            validity_zh: match a.valid_until {
                Some(u) => format!("有效期{}", zh_period(a.valid_from, u)),
                None => format!("有效期三年，自{}起", zh_date(a.valid_from)),
            },
        }),
        source: list.source.to_string_lossy().replace('\\', "/"),
    }
}

/// One table row of a list page.
#[derive(Debug, Clone, Serialize)]
pub struct Row<'a> {
    pub n: usize,
    pub name: &'a str,
    pub credit_code: &'a str,
    pub district: &'a str,
    pub district_url: &'a str,
    pub industry: Option<&'a str>,
    pub withdrawn: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
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
pub struct PageLink {
    pub n: usize,
    pub url: String,
    pub current: bool,
}

/// A GOV.UK-style page list: first, last and the neighbours of the current page.
pub fn pagination(
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

pub fn page_count(rows: usize, page_size: usize) -> usize {
    rows.div_ceil(page_size).max(1)
}

#[derive(Debug, Clone, Serialize)]
pub struct DistrictView<'a> {
    pub name: &'a str,
    pub office: &'a str,
    pub phones: &'a [Phone],
    pub url: String,
    pub count: usize,
}

/// A key date on the home page with its state.
#[derive(Debug, Clone, Serialize)]
pub struct KeyDate {
    /// Stable identifier, e.g. `q1-window` (calendar UIDs).
    pub id: String,
    pub title: String,
    pub start: String,
    pub end: String,
    pub when_zh: String,
    pub state: &'static str,
    pub state_zh: &'static str,
}

pub fn key_dates(site: &Site) -> Vec<KeyDate> {
    let y = site.schedule.year;
    let today = site.today;
    let mut out = Vec::new();
    let mk = |id: String, title: String, start: NaiveDate, end: NaiveDate, when_zh: String| {
        let st = publicity::state(start, end, today);
        KeyDate {
            id,
            title,
            start: iso(start),
            end: iso(end),
            when_zh,
            state: st.as_str(),
            state_zh: state_zh(st, "进行中"),
        }
    };
    for q in 1..=4u32 {
        let start = NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1).unwrap_or(today);
        let next = if q == 4 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, q * 3 + 1, 1)
        }
        .unwrap_or(today);
        let end = next.pred_opt().unwrap_or(next);
        out.push(mk(
            format!("q{q}-window"),
            format!("第{}季度申报和复核", QUARTER_ZH[q as usize]),
            start,
            end,
            format!("{} 00:00 至 {} 24:00", zh_date(start), zh_date(end)),
        ));
        let rec_end = end + chrono::Days::new(site.schedule.recommendation_days as u64);
        out.push(mk(
            format!("q{q}-recommendation"),
            format!("第{}季度区县推荐截止", QUARTER_ZH[q as usize]),
            next,
            rec_end,
            format!(
                "季度结束后{}日内，即{}前",
                site.schedule.recommendation_days,
                zh_date(rec_end)
            ),
        ));
    }
    let jan1 = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(today);
    out.push(mk(
        "update-deadline".into(),
        "有效期内企业更新信息截止".into(),
        jan1,
        site.schedule.update_deadline,
        format!("{}前", zh_date(site.schedule.update_deadline)),
    ));
    out.sort_by(|a, b| (&a.end, &a.start).cmp(&(&b.end, &b.start)));
    out
}
