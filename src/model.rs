//! The checked site model: what `validate` produces and the outputs (pages, search,
//! feeds, downloads) consume. Everything here is already normalised (canonical district
//! names, upper-case credit codes, computed dates and titles, parsed phones), so no output
//! repeats domain logic. It holds data, never wording: the theme says things.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

pub(crate) use crate::source::list::Stage;
pub(crate) use crate::source::notice::CriteriaFile;
pub(crate) use crate::source::page::Correction;
pub(crate) use crate::source::programme::Cadence;
use crate::source::site::SiteConfig;

use crate::domain::workdays::Calendar;

/// The whole checked site.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub today: NaiveDate,
    /// Every published page, notices included, in (weight, path) order.
    pub pages: Vec<Page>,
    pub programmes: Vec<Programme>,
    /// Every notice, newest year first, then in programme order.
    pub notices: Vec<Notice>,
    pub districts: Vec<District>,
    pub lines: Vec<ContactLine>,
    /// The city contact, with parsed phones.
    pub contact_phones: Vec<Phone>,
    pub calendar: Calendar,
    /// Lists, newest first (year, batch, then in the programme's kind order).
    pub lists: Vec<EnterpriseList>,
    /// Files under `static/` (relative paths), copied as they are.
    pub static_files: Vec<PathBuf>,
    /// Renames (简单更名) from `data/changes/`, by date, then credit code.
    pub renames: Vec<Rename>,
    /// Revocations of titles from `data/changes/`, by date, then credit code.
    pub revocations: Vec<Revocation>,
    /// Old addresses (site paths) that redirect to a page: (from, to).
    pub redirects: Vec<(String, String)>,
    /// The year feed and calendar identifiers are minted in.
    pub since: i32,
}

impl Site {
    /// The year whose notices the home page leads with: the latest year with a notice, up
    /// to the build date's year.
    pub fn current_year(&self) -> Option<i32> {
        Self::latest_year(self.notices.iter().map(|n| n.year), self.today)
    }

    /// A programme's current notice year: its latest up to the build date's year (each
    /// programme leads with its own latest notice, whatever year the others are in).
    pub fn programme_year(&self, programme: usize) -> Option<i32> {
        Self::latest_year(
            self.notices
                .iter()
                .filter(|n| n.programme == programme)
                .map(|n| n.year),
            self.today,
        )
    }

    fn latest_year(years: impl Iterator<Item = i32> + Clone, today: NaiveDate) -> Option<i32> {
        use chrono::Datelike;
        let this_year = today.year();
        years
            .clone()
            .filter(|&y| y <= this_year)
            .max()
            .or_else(|| years.min())
    }
}

/// A programme of honours (创新型中小企业, 专精特新中小企业): what its lists are called
/// and how its batches are counted. All of it comes from `data/programmes/<id>.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    /// ASCII, from the file name: `innovative`.
    pub id: String,
    pub name: String,
    /// Its lists have no programme part in their ids (`2026-q1-application`).
    pub default: bool,
    pub cadence: Cadence,
    /// Names of the batches of a year, in order (empty for numbered batches).
    pub batch_names: Vec<String>,
    /// Name of batch n of a numbered cadence, with `{n}` (第1批) or `{cn}` (第一批).
    pub batch_pattern: Option<String>,
    /// The publicity period of its lists when a list (or `list publish`, `import`) gives
    /// none, so that seven working days are said once, not in every list file.
    pub publicity_length: Option<PublicityLength>,
    pub titles: Titles,
    pub validity_years: Option<u32>,
    pub validity_rule: crate::domain::honour::ValidityRule,
    /// Months before a title ends in which it is 即将到期.
    pub expiry_warning_months: u32,
    pub platform_url: Option<String>,
    /// The platform's name; None shows its address.
    pub platform_name: Option<String>,
    /// The programme's word for applying (申报); the theme has its own when absent.
    pub apply_word: Option<String>,
    pub keywords: Vec<String>,
    pub description: Option<String>,
    pub kinds: Vec<Kind>,
}

/// A programme's default publicity period, counted from the day a list's publicity starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PublicityLength {
    /// 工作日, counted with the holiday calendar.
    WorkingDays(u32),
    /// 天, the start day being day 1.
    CalendarDays(u32),
}

/// Title patterns of a programme's lists, with `{year}`, `{batch}`, `{programme}`, `{kind}`.
#[derive(Debug, Clone, Serialize)]
pub struct Titles {
    pub publicity: String,
    pub announced: String,
}

impl Programme {
    /// How many batches a year has; `None` for numbered batches (as many as needed).
    pub fn batches_per_year(&self) -> Option<u32> {
        match self.cadence {
            Cadence::Quarter => Some(4),
            Cadence::HalfYear => Some(2),
            Cadence::Month => Some(12),
            Cadence::Numbered => None,
        }
    }

    /// The batch in list ids and URLs: `q3`, `h1`, `m07`, `b2`.
    pub fn batch_slug(&self, batch: u32) -> String {
        match self.cadence {
            Cadence::Quarter => format!("q{batch}"),
            Cadence::HalfYear => format!("h{batch}"),
            Cadence::Month => format!("m{batch:02}"),
            Cadence::Numbered => format!("b{batch}"),
        }
    }

    /// The batch as the programme names it: 第三季度, 上半年, 第2批, 第二批. Every page,
    /// download, search entry, feed and calendar event takes the batch's name from here.
    pub fn batch_name(&self, batch: u32) -> String {
        match &self.batch_pattern {
            Some(p) if self.cadence == Cadence::Numbered => p
                .replace("{n}", &batch.to_string())
                .replace("{cn}", &crate::domain::numerals::chinese(batch)),
            _ => self
                .batch_names
                .get(batch as usize - 1)
                .cloned()
                .unwrap_or_else(|| batch.to_string()),
        }
    }

    /// A list's id: `2026-q3-application`, or `specialised-2026-h1-recognition` for a
    /// programme other than the site's default.
    pub fn list_id(&self, year: i32, batch: u32, kind: &str) -> String {
        let slug = self.batch_slug(batch);
        if self.default {
            format!("{year}-{slug}-{kind}")
        } else {
            format!("{}-{year}-{slug}-{kind}", self.id)
        }
    }

    /// A list's title from the programme's patterns.
    pub fn list_title(&self, year: i32, batch: u32, kind: &Kind, stage: Stage) -> String {
        let pattern = match stage {
            Stage::Publicity => &self.titles.publicity,
            Stage::Announced => &self.titles.announced,
        };
        fill_title(
            pattern,
            year,
            &self.batch_name(batch),
            &self.name,
            &kind.name,
        )
    }

    /// The kind a list file names, by id (`application`) or by name (申报).
    pub fn kind(&self, id_or_name: &str) -> Option<usize> {
        let s = id_or_name.trim();
        self.kinds.iter().position(|k| k.id == s || k.name == s)
    }
}

/// Fills a title pattern; unknown placeholders stay as written (the programme check
/// refuses them).
pub(crate) fn fill_title(
    pattern: &str,
    year: i32,
    batch: &str,
    programme: &str,
    kind: &str,
) -> String {
    pattern
        .replace("{year}", &year.to_string())
        .replace("{batch}", batch)
        .replace("{programme}", programme)
        .replace("{kind}", kind)
}

/// A kind of list of a programme: 申报, 复核, 认定.
#[derive(Debug, Clone, Serialize)]
pub struct Kind {
    pub id: String,
    pub name: String,
}

/// A programme's notice of one year: its page, key dates and criteria.
#[derive(Debug, Clone)]
pub struct Notice {
    /// `2026`, or `<programme>-2026` for a programme other than the default (calendar
    /// and feed identifiers, which never change).
    pub id: String,
    /// Index into `Site::programmes`.
    pub programme: usize,
    pub year: i32,
    /// Index into `Site::pages` of the notice's text.
    pub page: usize,
    /// Index into `Site::pages` of its criteria page, when it has conditions or criteria.
    pub criteria_page: Option<usize>,
    pub criteria: Option<CriteriaFile>,
    pub key_dates: Vec<KeyDate>,
}

/// A key date of a notice.
#[derive(Debug, Clone, Serialize)]
pub struct KeyDate {
    pub id: String,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub when: Option<String>,
    pub deadline: bool,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Source path relative to the root, e.g. `content/contacts.md`.
    pub source: PathBuf,
    /// Site-relative path without leading slash, e.g. `contacts/` (`` for the home page).
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub template: String,
    pub date: Option<NaiveDate>,
    pub weight: i64,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub keywords: Vec<String>,
    pub attachments: Vec<Attachment>,
    pub corrections: Vec<Correction>,
    pub extra: serde_json::Value,
    /// Rendered body HTML (Markdown already converted; placeholders resolved at render time).
    pub body_html: String,
    pub is_section: bool,
    /// The notice this page is the text (or the criteria page) of.
    pub notice: Option<usize>,
    /// Old addresses of the page (site paths), which redirect to it.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub number: u32,
    pub title: String,
    /// Site-relative URL of the file or page; None = not yet published.
    pub href: Option<String>,
    pub is_file: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phone {
    pub display: String,
    pub tel: String,
}

impl From<&crate::domain::phone::Phone> for Phone {
    fn from(p: &crate::domain::phone::Phone) -> Self {
        Phone {
            display: p.display(),
            tel: p.tel_uri(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct District {
    pub name: String,
    pub office: String,
    pub phones: Vec<Phone>,
    pub aliases: Vec<String>,
    pub code: Option<String>,
    /// Position in `districts.toml`: the order of every list.
    pub order: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactLine {
    pub name: String,
    pub office: String,
    pub phones: Vec<Phone>,
    pub note: Option<String>,
}

/// Objection rules of a list, with its phones parsed.
#[derive(Debug, Clone, Serialize)]
pub struct Objection {
    pub who: String,
    pub form: Vec<String>,
    pub office: String,
    pub phones: Vec<Phone>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub email: Option<String>,
    pub confidentiality: String,
    pub not_accepted: String,
    pub deadline_time: String,
}

#[derive(Debug, Clone)]
pub struct EnterpriseList {
    /// `<year>-<batch>-<kind>` (`2026-q3-application`), with the programme in front for a
    /// programme other than the default; unique.
    pub id: String,
    pub source: PathBuf,
    /// Index into `Site::programmes`.
    pub programme: usize,
    pub year: i32,
    /// 1-based batch of the year.
    pub batch: u32,
    /// As the programme names it: 第三季度, 上半年, 第2批.
    pub batch_name: String,
    /// Index into the programme's kinds.
    pub kind: usize,
    pub kind_id: String,
    pub kind_name: String,
    pub stage: Stage,
    pub title: String,
    pub sample: bool,
    /// Only in `check` and `serve`'s preview: `build` leaves drafts out.
    pub draft: bool,
    pub publicity: Option<Publicity>,
    pub announcement: Option<Announcement>,
    pub objection: Objection,
    /// Ordered by district (order of `districts.toml`), then as given.
    pub enterprises: Vec<Enterprise>,
}

impl EnterpriseList {
    pub fn withdrawn_count(&self) -> usize {
        self.enterprises
            .iter()
            .filter(|e| e.withdrawn.is_some())
            .count()
    }

    /// The rows shown as the list: announced lists leave withdrawn enterprises out.
    pub fn shown(&self) -> impl Iterator<Item = &Enterprise> {
        self.shown_numbered().map(|(_, e)| e)
    }

    /// The rows shown as the list with their 序号 as published: a withdrawn enterprise
    /// keeps its number, and the rows after it are not renumbered.
    pub fn shown_numbered(&self) -> impl Iterator<Item = (usize, &Enterprise)> {
        let announced = self.stage == Stage::Announced;
        self.numbered()
            .filter(move |(_, e)| !(announced && e.withdrawn.is_some()))
    }

    /// Withdrawn enterprises with their 序号 as published.
    pub fn withdrawn_numbered(&self) -> impl Iterator<Item = (usize, &Enterprise)> {
        self.numbered().filter(|(_, e)| e.withdrawn.is_some())
    }

    fn numbered(&self) -> impl Iterator<Item = (usize, &Enterprise)> {
        self.enterprises.iter().enumerate().map(|(i, e)| (i + 1, e))
    }
}

#[derive(Debug, Clone)]
pub struct Publicity {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub working_days: Option<u32>,
    pub calendar_days: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Announcement {
    pub date: NaiveDate,
    pub document: Option<String>,
    pub valid_from: NaiveDate,
    /// The last day of validity: given, or `valid_from` plus the programme's validity.
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enterprise {
    pub name: String,
    /// Normalised: half-width, upper case.
    pub credit_code: String,
    /// Canonical district name.
    pub district: String,
    #[serde(skip)]
    pub district_order: usize,
    pub industry: Option<String>,
    pub withdrawn: Option<String>,
}

/// A rename (简单更名): the credit code and the title are kept.
#[derive(Debug, Clone, Serialize)]
pub struct Rename {
    pub credit_code: String,
    pub from: String,
    pub to: String,
    pub date: NaiveDate,
    pub document: Option<String>,
}

/// A revocation of one programme's title, from its date.
#[derive(Debug, Clone, Serialize)]
pub struct Revocation {
    pub credit_code: String,
    /// Index into `Site::programmes`.
    pub programme: usize,
    pub date: NaiveDate,
    pub reason: String,
    pub document: Option<String>,
}

impl EnterpriseList {
    /// The day the list was published at its stage: its announcement, else the first day
    /// of its publicity.
    pub fn date(&self) -> Option<NaiveDate> {
        match (&self.announcement, &self.publicity) {
            (Some(a), _) if self.stage == Stage::Announced => Some(a.date),
            (_, Some(p)) => Some(p.start),
            _ => None,
        }
    }
}
