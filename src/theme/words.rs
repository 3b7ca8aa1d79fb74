//! The theme's words outside its templates (`themes/<name>/theme.toml`): titles of the
//! pages Gazette generates, status words, period lengths, the calendar's events and the
//! CSV headers. Rust fills the `{name}` slots and owns no wording of its own.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub pages: PageWords,
    pub status: StatusWords,
    pub stages: StageWords,
    pub periods: PeriodWords,
    pub calendar: CalendarWords,
    pub downloads: DownloadWords,
    pub directory: DirectoryWords,
    pub defaults: DefaultWords,
}

/// Words a site's data may replace, so that no city's or programme's own term is fixed in
/// the theme: the theme says what a site that names none shows.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultWords {
    /// What the districts are called when `data/site.toml` has no `district_term`.
    pub district_term: String,
    /// The word for applying when a programme has no `apply_word`.
    pub apply_word: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageWords {
    pub lists: String,
    pub lists_description: String,
    pub districts: String,
    pub districts_description: String,
    pub not_found: String,
    pub not_found_description: String,
    pub search: String,
    pub search_description: String,
    pub list_page: String,
    pub list_description: String,
    pub publicity: String,
    pub publicity_description: String,
    pub district: String,
    pub district_page: String,
    pub district_description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusWords {
    pub upcoming: String,
    pub publicity_open: String,
    pub key_date_open: String,
    pub ended: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StageWords {
    pub publicity: String,
    pub announced: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodWords {
    pub working_days: String,
    pub calendar_days: String,
    pub working_days_unit: String,
    pub calendar_days_unit: String,
    pub deadline: String,
    pub key_date_deadline: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarWords {
    pub sample_mark: String,
    pub publicity: String,
    pub publicity_description: String,
    pub deadline: String,
    pub deadline_description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DownloadWords {
    pub csv_headers: [String; 6],
    pub withdrawn: String,
}

/// The enterprise directory's words: its pages, the honour statuses (`domain::honour`)
/// and the headers of its CSV download.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryWords {
    pub title: String,
    pub description: String,
    pub enterprise: String,
    pub enterprise_description: String,
    pub publicity: String,
    pub publicity_ended: String,
    pub valid: String,
    pub valid_open: String,
    pub expiring: String,
    pub lapsed: String,
    pub revoked: String,
    pub none: String,
    pub csv_headers: [String; 10],
}

/// The theme's words file, inside the theme folder.
pub(crate) const WORDS_FILE: &str = "theme.toml";

impl Words {
    /// Reads `theme.toml` of the theme at `theme_dir` and checks that every `{slot}` is one
    /// its entry may use.
    /// With `built_in`, a theme folder without its own `theme.toml` takes the built-in
    /// theme's.
    pub fn load(
        root: &Path,
        theme_dir: &Path,
        built_in: bool,
        diags: &mut Diagnostics,
    ) -> Option<Words> {
        let mut rel = theme_dir.join(WORDS_FILE);
        let words: Words = if built_in && root.join(&rel).symlink_metadata().is_err() {
            rel = super::builtin::shown_path(WORDS_FILE);
            let text = super::builtin::file(WORDS_FILE)?;
            let (words, found) =
                crate::load::parse_toml(&rel, String::from_utf8_lossy(&text).into_owned());
            diags.extend(found);
            words?
        } else {
            crate::load::read_toml(root, &rel, true, diags)?
        };
        let mut ok = true;
        for (key, pattern, slots) in words.patterns() {
            if let Some(bad) = unknown_slot(pattern, slots) {
                ok = false;
                let allowed = if slots.is_empty() {
                    "这一项不能用 {…}".to_string()
                } else {
                    format!(
                        "可用的是 {}",
                        slots
                            .iter()
                            .map(|s| format!("{{{s}}}"))
                            .collect::<Vec<_>>()
                            .join("、")
                    )
                };
                diags.push(
                    Diagnostic::err(
                        "theme-words",
                        &rel,
                        format!("{key} 中的 {{{bad}}} 不是可以填入的值 (unknown slot)"),
                    )
                    .help(format!("{allowed}；要写花括号本身，请换成全角的｛｝")),
                );
            }
        }
        ok.then_some(words)
    }

    /// Every pattern with its key and the slots it may use.
    fn patterns(&self) -> Vec<(&'static str, &str, &'static [&'static str])> {
        const NONE: &[&str] = &[];
        const LIST: &[&str] = &["title", "page", "count"];
        const DISTRICT: &[&str] = &["district", "office", "page"];
        const N: &[&str] = &["n"];
        const DATE: &[&str] = &["date", "time"];
        const EVENT: &[&str] = &["title", "sample", "period", "count", "date", "time"];
        let (p, s, g, d, c, w) = (
            &self.pages,
            &self.status,
            &self.stages,
            &self.periods,
            &self.calendar,
            &self.downloads,
        );
        const UNTIL: &[&str] = &["until"];
        const ENTERPRISE: &[&str] = &["name", "code"];
        let r = &self.directory;
        let mut out = vec![
            ("directory.title", r.title.as_str(), NONE),
            ("directory.description", &r.description, NONE),
            ("directory.enterprise", &r.enterprise, ENTERPRISE),
            (
                "directory.enterprise_description",
                &r.enterprise_description,
                ENTERPRISE,
            ),
            ("directory.publicity", &r.publicity, NONE),
            ("directory.publicity_ended", &r.publicity_ended, NONE),
            ("directory.valid", &r.valid, UNTIL),
            ("directory.valid_open", &r.valid_open, NONE),
            ("directory.expiring", &r.expiring, UNTIL),
            ("directory.lapsed", &r.lapsed, UNTIL),
            ("directory.revoked", &r.revoked, &["date"]),
            ("directory.none", &r.none, NONE),
            ("pages.lists", p.lists.as_str(), NONE),
            ("pages.lists_description", &p.lists_description, NONE),
            ("pages.districts", &p.districts, NONE),
            (
                "pages.districts_description",
                &p.districts_description,
                &["districts"],
            ),
            ("pages.not_found", &p.not_found, NONE),
            (
                "pages.not_found_description",
                &p.not_found_description,
                NONE,
            ),
            ("pages.search", &p.search, NONE),
            ("pages.search_description", &p.search_description, NONE),
            ("pages.list_page", &p.list_page, LIST),
            ("pages.list_description", &p.list_description, LIST),
            ("pages.publicity", &p.publicity, LIST),
            (
                "pages.publicity_description",
                &p.publicity_description,
                LIST,
            ),
            ("pages.district", &p.district, DISTRICT),
            ("pages.district_page", &p.district_page, DISTRICT),
            (
                "pages.district_description",
                &p.district_description,
                DISTRICT,
            ),
            ("status.upcoming", &s.upcoming, NONE),
            ("status.publicity_open", &s.publicity_open, NONE),
            ("status.key_date_open", &s.key_date_open, NONE),
            ("status.ended", &s.ended, NONE),
            ("stages.publicity", &g.publicity, NONE),
            ("stages.announced", &g.announced, NONE),
            ("periods.working_days", &d.working_days, N),
            ("periods.calendar_days", &d.calendar_days, N),
            ("periods.working_days_unit", &d.working_days_unit, NONE),
            ("periods.calendar_days_unit", &d.calendar_days_unit, NONE),
            ("periods.deadline", &d.deadline, DATE),
            ("periods.key_date_deadline", &d.key_date_deadline, DATE),
            ("calendar.sample_mark", &c.sample_mark, NONE),
            ("calendar.publicity", &c.publicity, EVENT),
            (
                "calendar.publicity_description",
                &c.publicity_description,
                EVENT,
            ),
            ("calendar.deadline", &c.deadline, EVENT),
            (
                "calendar.deadline_description",
                &c.deadline_description,
                EVENT,
            ),
            ("downloads.withdrawn", &w.withdrawn, &["reason"]),
            ("defaults.district_term", &self.defaults.district_term, NONE),
            ("defaults.apply_word", &self.defaults.apply_word, NONE),
        ];
        out.extend(
            w.csv_headers
                .iter()
                .map(|h| ("downloads.csv_headers", h.as_str(), NONE)),
        );
        out.extend(
            r.csv_headers
                .iter()
                .map(|h| ("directory.csv_headers", h.as_str(), NONE)),
        );
        out
    }
}

/// The first `{slot}` of `pattern` not among `slots`.
fn unknown_slot<'p>(pattern: &'p str, slots: &[&str]) -> Option<&'p str> {
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Some(after);
        };
        let name = &after[..close];
        if !slots.contains(&name) {
            return Some(name);
        }
        rest = &after[close + 1..];
    }
    None
}

/// `pattern` with each `{name}` replaced by its value.
pub(crate) fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (close, *v))
        }) {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_named_slots_and_keeps_other_text() {
        assert_eq!(
            fill("{title}（第{page}页）", &[("title", "名单"), ("page", "2")]),
            "名单（第2页）"
        );
        assert_eq!(fill("{x}{", &[]), "{x}{");
        assert_eq!(fill("{n}{n}", &[("n", "5")]), "55");
    }

    #[test]
    fn finds_the_first_unknown_slot() {
        assert_eq!(
            unknown_slot("{title}（第{pgae}页）", &["title", "page"]),
            Some("pgae")
        );
        assert_eq!(unknown_slot("{title}", &["title"]), None);
        assert_eq!(unknown_slot("没有", &[]), None);
        assert_eq!(unknown_slot("{title", &["title"]), Some("title"));
    }

    #[test]
    fn the_default_theme_words_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = Diagnostics::new();
        let words = Words::load(root, Path::new("themes/default"), false, &mut diags);
        assert!(
            words.is_some() && !diags.has_errors(),
            "{}",
            diags.render(false)
        );
        // The built-in copy, for a site without the folder.
        let nowhere = tempfile::tempdir().unwrap();
        let built_in = Words::load(
            nowhere.path(),
            Path::new("themes/default"),
            true,
            &mut diags,
        );
        assert!(built_in.is_some() && !diags.has_errors());
    }
}
