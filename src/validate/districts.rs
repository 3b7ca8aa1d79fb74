//! `data/districts.toml`: the district book (canonical names, aliases, phones) and the
//! other contact lines.

use std::path::Path;

use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

use super::span;
use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::url::segment_problem;
use crate::load;
use crate::model::{ContactLine, District, Phone};
use crate::source::districts::DistrictsFile;
use crate::source::site::SiteConfig;

/// Canonical districts plus a lookup by name or alias.
pub struct DistrictBook {
    pub districts: Vec<District>,
    lookup: ahash::AHashMap<String, usize>,
    /// The city's name and its short form (大连市, 大连), which may stand before a
    /// district's name (大连市中山区).
    city: Vec<String>,
}

/// The city prefixes a district name may be written with: 大连市 and 大连.
fn city_prefixes(city: Option<&str>) -> Vec<String> {
    let Some(city) = city.map(str::trim).filter(|c| !c.is_empty()) else {
        return Vec::new();
    };
    let full: String = city.nfkc().filter(|c| !c.is_whitespace()).collect();
    let mut out = vec![full.clone()];
    if let Some(short) = full.strip_suffix('市').filter(|s| s.chars().count() >= 2) {
        out.push(short.to_string());
    }
    out
}

/// The form in which district names are compared: NFKC, no white space, no city prefix.
fn district_key(name: &str, city: &[String]) -> String {
    let s: String = name.nfkc().filter(|c| !c.is_whitespace()).collect();
    // The longest prefix first (大连市 before 大连); a name that is only the city stays.
    for prefix in city {
        if let Some(rest) = s.strip_prefix(prefix.as_str()) {
            return if rest.is_empty() {
                s.clone()
            } else {
                rest.to_string()
            };
        }
    }
    s
}

impl DistrictBook {
    pub fn resolve(&self, name: &str) -> Option<usize> {
        // Most rows use the canonical name exactly: avoid normalising them.
        if let Some(&i) = self.lookup.get(name) {
            return Some(i);
        }
        self.lookup.get(&district_key(name, &self.city)).copied()
    }

    /// The closest known names, for "did you mean" hints.
    fn suggest(&self, name: &str) -> Vec<String> {
        let key = district_key(name, &self.city);
        let mut scored: Vec<(usize, &str)> = self
            .lookup
            .iter()
            .map(|(k, &i)| {
                (
                    strsim::levenshtein(&key, k),
                    self.districts[i].name.as_str(),
                )
            })
            .collect();
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (d, n) in scored {
            if d > 2 {
                break;
            }
            if !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    pub fn names(&self) -> Vec<&str> {
        self.districts.iter().map(|d| d.name.as_str()).collect()
    }

    /// What to do about a district name that is not in the book: the closest names, or
    /// all of them.
    pub fn unknown_district_help(&self, name: &str) -> String {
        let suggestions = self.suggest(name);
        if suggestions.is_empty() {
            format!(
                "请用 data/districts.toml 中的区县名称：{}；新的写法可以作为别名（aliases）加进去",
                self.names().join("、")
            )
        } else {
            format!(
                "您是不是要写{}？（名称和别名见 data/districts.toml；新的写法可以作为别名加进去）",
                suggestions
                    .iter()
                    .map(|s| format!("“{s}”"))
                    .collect::<Vec<_>>()
                    .join("或")
            )
        }
    }
}

/// Parses a spanned list of phones; an empty list is an error.
fn phones(
    file: &Path,
    list: &Spanned<Vec<Spanned<String>>>,
    area: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Vec<Phone> {
    if list.get_ref().is_empty() {
        diags.push(
            Diagnostic::err(
                "phone-none",
                file,
                format!("{what}没有电话号码 (no phone number)"),
            )
            .at(span(list))
            .label("空的")
            .help("至少写一个号码，例如 phones = [\"82565782\"]（本地号码不加区号）"),
        );
    }
    super::site::phones(file, list.get_ref(), area, what, diags)
}

/// The district book of `districts.toml`, with every problem of the file reported.
pub fn check_districts(
    file_data: &DistrictsFile,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> DistrictBook {
    let file = Path::new(load::DISTRICTS_FILE);
    let city = city_prefixes(config.city.as_deref());
    let mut districts = Vec::new();
    let mut lookup = ahash::AHashMap::new();
    if file_data.district.is_empty() {
        diags.push(
            Diagnostic::err("districts-none", file, "没有区县 (no [[district]] entries)")
                .help("每个区县的主管部门写一段 [[district]]"),
        );
    }
    for (order, d) in file_data.district.iter().enumerate() {
        let name = d.name.get_ref().trim().to_string();
        if let Some(why) = segment_problem(&name) {
            diags.push(
                Diagnostic::err("url-segment", file, format!("区县名称“{}”不能用作网址的一段：{why} (the district name cannot be a URL segment)", crate::domain::text::escape_controls(&name)))
                    .at(span(&d.name))
                    .label("区县名称")
                    .help("区县名称会成为该区县页面的网址 /districts/<名称>/：请写区县的正式名称，例如 name = \"中山区\"，其他写法放进 aliases"),
            );
        }
        let phones = phones(file, &d.phones, &config.area_code, &name, diags);
        let mut keys = vec![(d.name.get_ref().clone(), span(&d.name))];
        keys.extend(d.aliases.iter().map(|a| (a.get_ref().clone(), span(a))));
        for (k, sp) in keys {
            let key = district_key(&k, &city);
            if key.is_empty() {
                diags.push(
                    Diagnostic::err(
                        "district-name",
                        file,
                        "区县名称或别名是空的 (empty district name or alias)",
                    )
                    .at(sp),
                );
                continue;
            }
            if let Some(prev) = lookup.insert(key, order) {
                if prev != order {
                    diags.push(
                        Diagnostic::err(
                            "district-name",
                            file,
                            format!("“{k}”同时是两个区县的名称或别名 (names two districts)"),
                        )
                        .at(sp)
                        .help("每个名称和别名只能属于一个区县"),
                    );
                }
            }
        }
        districts.push(District {
            name,
            office: d.office.clone(),
            phones,
            aliases: d.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            code: d.code.clone(),
            order,
        });
    }
    DistrictBook {
        districts,
        lookup,
        city,
    }
}

pub(super) fn check_lines(
    file_data: &DistrictsFile,
    area: &str,
    diags: &mut Diagnostics,
) -> Vec<ContactLine> {
    let file = Path::new(load::DISTRICTS_FILE);
    file_data
        .line
        .iter()
        .map(|l| ContactLine {
            name: l.name.clone(),
            office: l.office.clone(),
            phones: phones(file, &l.phones, area, &l.name, diags),
            note: l.note.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn district_keys_ignore_width_space_and_the_city() {
        let city = city_prefixes(Some("大连市"));
        assert_eq!(city, ["大连市", "大连"]);
        assert_eq!(district_key(" 大连市 中山区 ", &city), "中山区");
        assert_eq!(district_key("大连中山区", &city), "中山区");
        assert_eq!(district_key("中山区", &city), "中山区");
        // Another city's prefix is not stripped, nor is a name that is only the city.
        assert_eq!(district_key("沈阳市和平区", &city), "沈阳市和平区");
        assert_eq!(district_key("大连市", &city), "大连市");
        let shenyang = city_prefixes(Some("沈阳市"));
        assert_eq!(district_key("沈阳市和平区", &shenyang), "和平区");
        assert_eq!(district_key("大连中山区", &[]), "大连中山区");
    }
}
