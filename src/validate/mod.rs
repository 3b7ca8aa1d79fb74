//! Cross-file checks: the raw `source` shapes in, the checked `model::Site` out. Every
//! problem becomes a diagnostic with its span; checking goes on after an error so that one
//! run reports everything. One file per part of a site: its configuration, districts,
//! calendars, programmes, notices, pages and lists.

mod calendars;
mod changes;
mod districts;
mod lists;
mod notices;
mod pages;
mod placeholders;
mod programmes;
mod site;

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml::value::Datetime;
use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::workdays::Calendar;
use crate::load::{self, Loaded};
use crate::model::{Programme, Site};
use crate::source::site::{ObjectionRules, SiteConfig};

pub use calendars::holiday_calendar;
pub use districts::{check_districts as district_book, DistrictBook};
pub use lists::{check_list, MAX_NAME_CHARS, MAX_REASON_CHARS};

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep draft lists in the site (`check` validates them; `build` leaves them out).
    pub include_drafts: bool,
}

/// What checking one list needs of the rest of the site: the districts, the holiday
/// calendar, the programmes and the objection rules. `gazette import`, the clerk's list
/// commands and the fuzzers load just this (an unrelated problem elsewhere must not block
/// them).
pub struct SiteData {
    pub book: DistrictBook,
    pub calendar: Calendar,
    pub objection: ObjectionRules,
    pub area_code: String,
    pub programmes: Vec<Programme>,
}

impl SiteData {
    /// The programme a list file means: the one it names, else the site's default.
    pub fn programme(&self, id: Option<&str>) -> Option<usize> {
        match id {
            Some(id) => self.programmes.iter().position(|p| p.id == id),
            None => self.programmes.iter().position(|p| p.default),
        }
    }
}

/// A batch's list as a command names it: the programme (the default when absent), the
/// year, the batch and the kind (by id or name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRef {
    pub programme: Option<String>,
    pub year: i32,
    pub batch: u32,
    pub kind: String,
}

/// A batch's list resolved against the site's programmes.
#[derive(Debug, Clone)]
pub struct Batch {
    pub programme: usize,
    pub year: i32,
    pub batch: u32,
    pub kind: usize,
    /// The list's id: `2026-q3-application`.
    pub id: String,
}

impl SiteData {
    /// Resolves a batch named on the command line; a usage error says what there is.
    pub fn batch(&self, r: &BatchRef) -> Result<Batch, Diagnostic> {
        let Some(pi) = self.programme(r.programme.as_deref()) else {
            let known: Vec<String> = self
                .programmes
                .iter()
                .map(|p| format!("{}（{}）", p.id, p.name))
                .collect();
            return Err(Diagnostic::usage(
                "usage-programme",
                format!(
                    "--programme：不认识的项目“{}” (unknown programme)",
                    r.programme.as_deref().unwrap_or("")
                ),
            )
            .help(format!("写其中之一：{}", known.join("、"))));
        };
        let p = &self.programmes[pi];
        if !(2000..=2100).contains(&r.year) {
            return Err(Diagnostic::usage(
                "usage-year",
                format!("--year {} 不像是批次的年份 (not plausible)", r.year),
            )
            .help("写批次所属的年份，例如 --year 2026"));
        }
        let max = p.batches_per_year().unwrap_or(99);
        if !(1..=max).contains(&r.batch) {
            return Err(Diagnostic::usage(
                "usage-batch",
                format!("--batch {} 不是{}的批次 (not a batch)", r.batch, p.name),
            )
            .help(match p.batches_per_year() {
                Some(n) => format!("写 1 到 {n}（{}）", p.batch_names.join("、")),
                None => "写批次号：第1批写 1".to_string(),
            }));
        }
        let Some(kind) = p.kind(&r.kind) else {
            let kinds: Vec<String> = p
                .kinds
                .iter()
                .map(|k| format!("{}（{}）", k.name, k.id))
                .collect();
            return Err(Diagnostic::usage(
                "usage-kind",
                format!(
                    "--kind：“{}”不是{}的名单类型 (unknown kind)",
                    r.kind, p.name
                ),
            )
            .help(format!("写其中之一：{}", kinds.join("、"))));
        };
        Ok(Batch {
            programme: pi,
            year: r.year,
            batch: r.batch,
            kind,
            id: p.list_id(r.year, r.batch, &p.kinds[kind].id),
        })
    }
}

/// Reads and checks `data/site.toml`, `data/districts.toml`, `data/calendar/*.toml` and
/// `data/programmes/*.toml`.
pub fn load_site_data(root: &Path, diags: &mut Diagnostics) -> Option<SiteData> {
    if let Err(d) = load::check_root(root) {
        diags.push(d);
        return None;
    }
    let config: Option<SiteConfig> = load::read_toml(root, Path::new(load::SITE_FILE), true, diags);
    let districts = load::read_toml(root, Path::new(load::DISTRICTS_FILE), true, diags);
    let calendars = load::read_calendars(root, diags);
    let programme_files = load::read_programmes(root, diags);
    let calendar = holiday_calendar(&calendars, diags);
    let programmes = programmes::check_programmes(&programme_files, diags);
    let (config, districts) = (config?, districts?);
    let book = districts::check_districts(&districts, &config, diags);
    if diags.has_errors() {
        return None;
    }
    Some(SiteData {
        book,
        calendar,
        objection: config.objection,
        area_code: config.area_code,
        programmes,
    })
}

/// Checks everything; returns the site only when there is no error.
pub fn validate(
    root: &Path,
    loaded: Loaded,
    today: NaiveDate,
    opts: Options,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let Loaded {
        config,
        pages,
        districts,
        calendars,
        programmes,
        notice_data,
        lists,
        changes,
        static_files,
    } = loaded;

    let calendar = holiday_calendar(&calendars, diags);
    let programmes = programmes::check_programmes(&programmes, diags);
    let contact_phones = config.as_ref().map(|c| site::check_config(c, diags));
    let book = districts
        .as_ref()
        .zip(config.as_ref())
        .map(|(d, c)| districts::check_districts(d, c, diags));
    let lines = districts
        .as_ref()
        .zip(config.as_ref())
        .map(|(d, c)| districts::check_lines(d, &c.area_code, diags))
        .unwrap_or_default();
    // A notice whose text is still a draft (`gazette new notice`) keeps its data unpublished.
    let mut pages = pages;
    let drafts = notices::draft_notices(&mut pages, diags);
    notices::check_scaffolds(&pages, diags);
    let (mut pages, notice_pages) = pages::check_pages(pages, &static_files, diags);
    let notices = notices::check_notices(
        &mut pages,
        notice_pages,
        notice_data,
        &programmes,
        &drafts,
        diags,
    );
    let redirects = pages::redirects(&pages, diags);

    let lists = match (book, config.as_ref()) {
        (Some(book), Some(c)) => {
            let data = SiteData {
                book,
                calendar,
                objection: c.objection.clone(),
                area_code: c.area_code.clone(),
                programmes,
            };
            let lists = lists::check_lists(lists, &data, opts, diags);
            Some((data, lists))
        }
        _ => None,
    };

    let (renames, revocations) = match &lists {
        Some((data, lists)) => changes::check_changes(&changes, lists, &data.programmes, diags),
        None => Default::default(),
    };
    placeholders::check_placeholders(diags);
    if diags.has_errors() {
        return None;
    }
    let (data, lists) = lists?;
    let config = config?;
    let since = config
        .since
        .or_else(|| {
            notices
                .iter()
                .map(|n| n.year)
                .chain(lists.iter().map(|l| l.year))
                .min()
        })
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    Some(Site {
        root: root.to_path_buf(),
        config,
        today,
        pages,
        programmes: data.programmes,
        notices,
        districts: data.book.districts,
        lines,
        contact_phones: contact_phones?,
        calendar: data.calendar,
        lists,
        static_files,
        redirects,
        renames,
        revocations,
        since,
    })
}

/// A publicity period's number of days, 1 to 366 (a list's own and a programme's
/// default), or its diagnostic at the value.
fn publicity_days(file: &Path, value: &Spanned<i64>, diags: &mut Diagnostics) -> Option<u32> {
    let n = *value.get_ref();
    if !(1..=366).contains(&n) {
        diags.push(
            Diagnostic::err(
                "publicity-days",
                file,
                format!("{n} 不是可用的天数 (not a usable number of days)"),
            )
            .at(span(value))
            .help("写 1 到 366 之间的数"),
        );
        return None;
    }
    Some(n as u32)
}

/// `working_days` and `calendar_days` both written (in a list's or a programme's
/// `[publicity]`): the diagnostic at the first, `whose` naming the period ("" or "项目的").
fn both_publicity_lengths(file: &Path, working_days: &Spanned<i64>, whose: &str) -> Diagnostic {
    Diagnostic::err(
        "publicity-length",
        file,
        "working_days 和 calendar_days 只能写一个 (not both)",
    )
    .at(span(working_days))
    .help(format!(
        "{whose}公示期要么按工作日（working_days）计算，要么按自然日（calendar_days）计算"
    ))
}

fn span<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

/// A TOML date (not a time, not a date-time with offset) as a calendar date.
fn to_date(file: &Path, value: &Spanned<Datetime>, diags: &mut Diagnostics) -> Option<NaiveDate> {
    let dt = value.get_ref();
    let date = dt
        .date
        .and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32));
    if date.is_none() || dt.time.is_some() {
        diags.push(
            Diagnostic::err(
                "date",
                file,
                "这里要写日期，例如 2026-04-20 (expected a date)",
            )
            .at(span(value))
            .label("不是日期")
            .help("日期不加引号、不带时间：start = 2026-04-20"),
        );
        return None;
    }
    date
}

/// Whether an id (a programme's, a kind's, a key date's) is a plain lower-case ASCII slug,
/// as it must be to appear in URLs.
fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}
