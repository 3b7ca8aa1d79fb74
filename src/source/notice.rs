//! The data of one notice (a programme's notice of one year), in
//! `data/notices/<programme>/<year>/`: its key dates (`schedule.toml`) and its conditions and
//! criteria (`criteria.toml`). Both are optional; the notice's text is a page under
//! `content/notices/<programme>/<year>/`.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

/// `schedule.toml`: the key dates of the notice's year, shown on the home page and in the
/// calendar file with their state as of the build date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFile {
    #[serde(default)]
    pub key_date: Vec<KeyDateFile>,
    /// Repeating key dates (each month's application window): one rule instead of a key
    /// date per month, expanded by `domain::repeat`.
    #[serde(default)]
    pub repeat: Vec<RepeatFile>,
}

/// `[[repeat]]`: from `start_day` to `end_day` of every month from `from` to `until` (the
/// notice's year when absent), except the months in `skip_months`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatFile {
    /// Each window's id is this and its month, `window-2026-03` (calendar UIDs).
    pub id: Spanned<String>,
    /// May use `{year}` and `{month}`: `{month}月申请受理`.
    pub title: Spanned<String>,
    pub start_day: Spanned<i64>,
    pub end_day: Spanned<i64>,
    pub from: Option<Spanned<Datetime>>,
    pub until: Option<Spanned<Datetime>>,
    pub skip_months: Option<Spanned<Vec<i64>>>,
    #[serde(default)]
    pub deadline: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDateFile {
    /// Stable within the notice (calendar UIDs): `q1-window`.
    pub id: Spanned<String>,
    pub title: String,
    pub start: Spanned<Datetime>,
    pub end: Spanned<Datetime>,
    /// How to say when, e.g. 季度结束后10日内，即2026年4月10日前; the dates written out
    /// when absent.
    pub when: Option<String>,
    /// A deadline: the calendar file shows its last hour, the page says 截止.
    #[serde(default)]
    pub deadline: bool,
}

/// `data/notices/<programme>/<year>/criteria.toml` (optional): the conditions of a notice and,
/// when the programme scores applicants, its evaluation criteria.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaFile {
    pub title: String,
    pub source: String,
    /// Where the conditions are in the notice ("通知第一部分"), shown after the criteria
    /// page's lead-in; absent, the page names no part (notices are laid out differently).
    pub condition_source: Option<String>,
    #[serde(default)]
    pub condition: Vec<Condition>,
    #[serde(default)]
    pub direct: Vec<DirectCondition>,
    /// The pass rule; absent for a programme that does not score applicants.
    pub pass: Option<PassRule>,
    /// The score the categories add up to (100 when there are categories).
    pub max: Option<u32>,
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

/// How the note that `gazette new notice` puts at the top of a scaffolded page begins: a
/// page still carrying it was never rewritten, and is refused once it is no longer a draft.
pub const SCAFFOLD_NOTE: &str = "<!-- 由 gazette new notice 照";
