//! The checked site model: what `validate` produces and `render` consumes.
//! Everything here is already normalised (canonical district names, upper-case credit
//! codes, computed publicity end dates), so templates never repeat domain logic.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::SiteConfig;
use crate::data::{Correction, CriteriaFile};
use crate::domain::workdays::Calendar;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    #[serde(alias = "申报")]
    Application,
    #[serde(alias = "复核")]
    Review,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Application => "application",
            ListKind::Review => "review",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            ListKind::Application => "申报",
            ListKind::Review => "复核",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    #[serde(alias = "公示")]
    Publicity,
    #[serde(alias = "公告")]
    Announced,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Publicity => "publicity",
            Stage::Announced => "announced",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Stage::Publicity => "公示",
            Stage::Announced => "公告",
        }
    }
}

/// Objection rules: site defaults in `data/site.toml`, overridable per list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionRules {
    /// Who may object, e.g. 任何单位和个人.
    pub who: String,
    /// The required form, one requirement per item.
    pub form: Vec<String>,
    /// The receiving office.
    pub office: String,
    pub phones: Vec<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub email: Option<String>,
    pub confidentiality: String,
    pub not_accepted: String,
    /// Time of day on the last day by which objections must arrive (China Standard Time).
    #[serde(default = "default_deadline_time")]
    pub deadline_time: String,
}

fn default_deadline_time() -> String {
    "24:00".into()
}

/// The whole checked site.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub today: NaiveDate,
    pub pages: Vec<Page>,
    pub districts: Vec<District>,
    pub lines: Vec<ContactLine>,
    pub criteria: CriteriaFile,
    pub schedule: Schedule,
    pub calendar: Calendar,
    /// Published lists, newest first (year, quarter, then application before review).
    pub lists: Vec<EnterpriseList>,
    /// Files under `static/` (relative paths), copied as they are.
    pub static_files: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Source path relative to the root, e.g. `content/notice.md`.
    pub source: PathBuf,
    /// Site-relative path without leading slash, e.g. `notice/` (`` for the home page).
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

#[derive(Debug, Clone)]
pub struct Schedule {
    pub year: i32,
    pub update_deadline: NaiveDate,
    pub recommendation_days: u32,
    pub platform_url: String,
}

#[derive(Debug, Clone)]
pub struct EnterpriseList {
    /// `<year>-q<quarter>-<kind>`, unique.
    pub id: String,
    pub source: PathBuf,
    pub year: i32,
    pub quarter: u8,
    pub kind: ListKind,
    pub stage: Stage,
    pub title: String,
    pub sample: bool,
    /// Only in `check` and `serve`'s preview: `build` leaves drafts out.
    pub draft: bool,
    pub publicity: Option<Publicity>,
    pub announcement: Option<Announcement>,
    pub objection: ObjectionRules,
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
