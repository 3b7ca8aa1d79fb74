//! `data/site.toml`: the site's identity and defaults.

use serde::Deserialize;

use crate::model::ObjectionRules;

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
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Rows per list page; long lists are split into numbered pages.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    pub government: GovernmentTags,
    pub contact: Contact,
    pub objection: ObjectionRules,
    /// Defaults of `gazette deploy` (target, endpoint, header rules); never credentials.
    #[serde(default)]
    pub deploy: Option<crate::deploy::DeployConfig>,
}

/// The site tags of the government website specification (国办发〔2017〕47号).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernmentTags {
    /// 政府网站标识码; unknown values stay a visible placeholder, never invented.
    pub site_id_code: String,
    pub site_domain: String,
}

/// The city contact named at the foot of the notice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub office: String,
    pub person: String,
    pub phones: Vec<String>,
}

fn default_theme() -> String {
    "default".into()
}

fn default_page_size() -> usize {
    500
}

impl SiteConfig {
    /// The path part of the base URL, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }
}

pub fn base_path_of(base_url: &str) -> String {
    let after_scheme = match base_url.find("://") {
        Some(i) => &base_url[i + 3..],
        None => base_url,
    };
    let path = match after_scheme.find('/') {
        Some(i) if base_url.contains("://") => &after_scheme[i..],
        Some(_) => after_scheme,
        None if base_url.contains("://") => "/",
        None => after_scheme,
    };
    let mut p = path.trim().to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_urls() {
        assert_eq!(base_path_of("https://gxj.dl.gov.cn/"), "/");
        assert_eq!(base_path_of("https://gxj.dl.gov.cn"), "/");
        assert_eq!(base_path_of("https://x.cn/a/b"), "/a/b/");
        assert_eq!(base_path_of("/sub/"), "/sub/");
        assert_eq!(base_path_of("sub"), "/sub/");
    }
}
