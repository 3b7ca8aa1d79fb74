//! `data/calendar/<year>.toml`: one year's public holidays and make-up working days.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

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
