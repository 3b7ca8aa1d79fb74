//! `data/site.toml`: the site's identity and defaults.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::deploy::DeployConfig;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// 网站名称, shown in every header and in the SiteName tag.
    pub name: String,
    /// The issuing organisation (ContentSource, footer).
    pub organisation: String,
    pub description: String,
    /// Absolute base URL; its path (e.g. `/cxzx/`) prefixes every link.
    pub base_url: String,
    /// Area code for local phone numbers in the data, e.g. "0411".
    pub area_code: String,
    /// The city, e.g. 大连市: district names may be written with it (大连市中山区) or with
    /// its short form (大连中山区).
    #[serde(default)]
    pub city: Option<String>,
    /// The year the site first published (feed and calendar identifiers, which must never
    /// change); the earliest notice or list year when absent.
    pub since: Option<i32>,
    /// What the city calls the areas whose offices take applications (区县, 区市县（先导区）,
    /// 区、县（市）): table headings and captions; the theme has its own when absent.
    pub district_term: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Rows per list page; long lists are split into numbered pages.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    pub government: GovernmentTags,
    pub contact: Contact,
    pub objection: ObjectionRules,
    /// Defaults for `gazette deploy`.
    pub deploy: Option<DeployConfig>,
}

/// The site tags of the government website specification (国办发〔2017〕47号).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernmentTags {
    /// 政府网站标识码; unknown values stay a visible placeholder, never invented.
    pub site_id_code: String,
    pub site_domain: String,
    /// ColumnKeywords of every page, before the programmes' own keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// The city contact named at the foot of the notice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub office: String,
    pub person: String,
    pub phones: Vec<Spanned<String>>,
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
    pub phones: Vec<Spanned<String>>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    /// Published as a `mailto:` link; checked to be an address.
    pub email: Option<Spanned<String>>,
    pub confidentiality: String,
    pub not_accepted: String,
    /// Time of day on the last day by which objections must arrive (China Standard Time).
    #[serde(default = "default_deadline_time")]
    pub deadline_time: Spanned<String>,
}

fn default_deadline_time() -> Spanned<String> {
    Spanned::new(0..0, "24:00".into())
}

fn default_theme() -> String {
    "default".into()
}

fn default_page_size() -> usize {
    500
}
