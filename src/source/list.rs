//! `data/lists/<id>.toml`: one list of one batch of a programme, from publicity to
//! announcement.

use serde::{Deserialize, Serialize};
use toml::value::Datetime;
use toml::Spanned;

/// Where a list is in its life: under publicity (公示) or announced (公告).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    #[serde(alias = "公示")]
    Publicity,
    #[serde(alias = "公告")]
    Announced,
}

impl Stage {
    /// The value written in list files and read by scripts (`publicity`, `announced`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Publicity => "publicity",
            Stage::Announced => "announced",
        }
    }

    /// As a clerk says it, in command output (readers see the theme's words).
    pub fn zh(self) -> &'static str {
        match self {
            Stage::Publicity => "公示",
            Stage::Announced => "公告",
        }
    }
}

/// `data/lists/<id>.toml`: one published list of one batch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListFile {
    /// The programme's id; the site's default programme when absent.
    pub programme: Option<Spanned<String>>,
    pub year: Spanned<i32>,
    /// The batch of the year: the quarter, the half-year, the month or the number.
    #[serde(alias = "quarter")]
    pub batch: Spanned<i64>,
    /// A kind of the programme, by id or by name (application or 申报).
    pub kind: Spanned<String>,
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
    pub phones: Option<Vec<Spanned<String>>>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub email: Option<Spanned<String>>,
    pub confidentiality: Option<String>,
    pub not_accepted: Option<String>,
    pub deadline_time: Option<Spanned<String>>,
}
