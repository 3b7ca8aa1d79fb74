//! `data/districts.toml`: the district offices (their order is the order of every list)
//! and other contact lines.

use serde::Deserialize;
use toml::Spanned;

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
