//! The shapes of the files staff edit, exactly as written (serde). Every table denies
//! unknown keys so that a typo is an error, not a silently ignored setting.
//! `validate` turns these into the checked `model` types.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use crate::model::{ListKind, Stage};

/// TOML front matter of a Markdown page (between `+++` lines).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    /// Template under `themes/<theme>/templates/`; `page.html` (or `section.html`) when absent.
    pub template: Option<String>,
    /// Publication date (PubDate); a TOML date or date-time.
    pub date: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub weight: i64,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub attachment: Vec<AttachmentFile>,
    #[serde(default)]
    pub correction: Vec<Correction>,
    /// Free-form values for custom templates.
    pub extra: Option<toml::Table>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentFile {
    pub number: u32,
    pub title: String,
    /// A file under `static/`, e.g. `attachments/附件2.pdf`; absent = not yet published.
    pub file: Option<Spanned<String>>,
    /// A page of this site (site-relative, e.g. `criteria/#self-assessment`).
    pub page: Option<String>,
}

/// A transcription slip fixed in the published text, kept for transparency.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub original: String,
    pub corrected: String,
    pub reason: String,
}

/// `data/districts.toml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictsFile {
    #[serde(default)]
    pub district: Vec<DistrictFile>,
    /// Other contact lines shown after the districts (e.g. the platform's technical line).
    #[serde(default)]
    pub line: Vec<LineFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictFile {
    pub name: Spanned<String>,
    pub office: String,
    pub phones: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineFile {
    pub name: String,
    pub office: String,
    pub phones: Spanned<Vec<Spanned<String>>>,
    pub note: Option<String>,
}

/// `data/calendar/<year>.toml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    pub year: Spanned<i32>,
    /// The State Council notice the dates are copied from (empty in a fresh scaffold).
    pub source: Spanned<String>,
    #[serde(default)]
    pub holiday: Vec<HolidayFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayFile {
    pub name: Spanned<String>,
    /// First and last day off; absent until filled in (`check` refuses the year then).
    pub start: Option<Spanned<Datetime>>,
    pub end: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub makeup: Vec<Spanned<Datetime>>,
}

/// `data/schedule.toml`: the year's key dates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFile {
    pub year: i32,
    pub update_deadline: Spanned<Datetime>,
    pub recommendation_days: u32,
    pub platform_url: String,
}

/// `data/criteria.toml`
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaFile {
    pub title: String,
    pub source: String,
    #[serde(default)]
    pub condition: Vec<Condition>,
    #[serde(default)]
    pub direct: Vec<DirectCondition>,
    pub pass: PassRule,
    #[serde(default)]
    pub category: Vec<Category>,
    #[serde(default)]
    pub note: Vec<CriteriaNote>,
    #[serde(default)]
    pub definition: Vec<Definition>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub marker: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DirectCondition {
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PassRule {
    pub total: u32,
    pub rule: String,
    pub boundary: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub max: u32,
    pub min: u32,
    #[serde(default)]
    pub indicator: Vec<Indicator>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub max: u32,
    #[serde(default)]
    pub band: Vec<Band>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub grade: String,
    pub text: String,
    pub points: u32,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaNote {
    #[serde(serialize_with = "ser_datetime")]
    pub date: Datetime,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub term: String,
    pub text: String,
}

fn ser_datetime<S: serde::Serializer>(d: &Datetime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

/// `data/lists/<year>-q<quarter>-<kind>.toml`: one published list of one batch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListFile {
    pub year: Spanned<i32>,
    pub quarter: Spanned<i64>,
    pub kind: Spanned<ListKind>,
    pub stage: Spanned<Stage>,
    pub title: Option<String>,
    #[serde(default)]
    pub sample: bool,
    #[serde(default)]
    pub draft: bool,
    pub publicity: Option<Spanned<PublicityFile>>,
    pub announcement: Option<Spanned<AnnouncementFile>>,
    pub objection: Option<ObjectionOverride>,
    #[serde(default)]
    pub enterprise: Vec<EnterpriseFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicityFile {
    pub start: Option<Spanned<Datetime>>,
    pub end: Option<Spanned<Datetime>>,
    pub working_days: Option<Spanned<i64>>,
    pub calendar_days: Option<Spanned<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementFile {
    pub date: Option<Spanned<Datetime>>,
    pub document: Option<String>,
    pub valid_from: Option<Spanned<Datetime>>,
    pub valid_until: Option<Spanned<Datetime>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseFile {
    pub name: Spanned<String>,
    pub credit_code: Spanned<String>,
    pub district: Spanned<String>,
    pub industry: Option<String>,
    pub withdrawn: Option<String>,
}

/// Per-list changes to the objection rules of `data/site.toml`; absent keys keep the default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionOverride {
    pub who: Option<String>,
    pub form: Option<Vec<String>>,
    pub office: Option<String>,
    pub phones: Option<Vec<String>>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub email: Option<String>,
    pub confidentiality: Option<String>,
    pub not_accepted: Option<String>,
    pub deadline_time: Option<String>,
}
