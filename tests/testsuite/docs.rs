//! The README stays true: every diagnostic code the program can print is documented.

use std::collections::BTreeSet;

fn codes_in_source() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for entry in walkdir::WalkDir::new(crate::support::repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // The code is the first argument of these constructors and `refuse`.
        for marker in [
            "Diagnostic::err(",
            "Diagnostic::warn(",
            "Diagnostic::usage(",
            ".code(",
            "refuse(",
        ] {
            for (i, _) in text.match_indices(marker) {
                let rest = text[i + marker.len()..].trim_start();
                if let Some(lit) = rest.strip_prefix('"') {
                    let code: String = lit.chars().take_while(|c| *c != '"').collect();
                    if code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        codes.insert(code);
                    }
                }
            }
        }
        // toml_errors returns its codes in tuples: ("toml-syntax", …).
        for (i, _) in text
            .match_indices("(\n            \"toml-")
            .chain(text.match_indices("(\"toml-"))
        {
            let lit = &text[i..];
            let start = lit.find('"').unwrap() + 1;
            let code: String = lit[start..].chars().take_while(|c| *c != '"').collect();
            codes.insert(code);
        }
    }
    codes.insert("cannot-write".into());
    codes
}

#[test]
fn every_diagnostic_code_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let codes = codes_in_source();
    assert!(
        codes.len() > 80,
        "the scan found only {} codes",
        codes.len()
    );
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !readme.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes not in the README's Errors section: {missing:?}"
    );
}

/// Where the README documents the keys of each struct a data file is read into: the struct's
/// source file (and, for a file with several, its name) and the README region, from a marker
/// line to the next heading.
const DATA_FILE_SECTIONS: &[(&str, Option<&[&str]>, &str)] = &[
    ("site.rs", None, "### `data/site.toml`"),
    ("deploy.rs", None, "**`[deploy]` in `data/site.toml`**"),
    ("districts.rs", None, "### `data/districts.toml`"),
    ("programme.rs", None, "### `data/programmes/<id>.toml`"),
    (
        "notice.rs",
        Some(&["ScheduleFile", "KeyDateFile", "RepeatFile"]),
        "### A notice: ",
    ),
    (
        "notice.rs",
        None,
        "### `data/notices/<programme>/<year>/criteria.toml`",
    ),
    // A list's [objection] overrides keys of site.toml's, documented there.
    (
        "list.rs",
        Some(&["ObjectionOverride"]),
        "### `data/site.toml`",
    ),
    ("list.rs", None, "### `data/lists/<id>.toml`"),
    ("changes.rs", None, "### `data/changes/<year>.toml`"),
    ("calendar.rs", None, "### `data/calendar/<year>.toml`"),
    ("page.rs", None, "### Front matter of `content/*.md`"),
];

/// The keys of every `deny_unknown_fields` struct in `src/source/<file>`, by struct name:
/// each `pub` field, under its `rename` when it has one.
fn keys_of(file: &str) -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(crate::support::repo().join("src/source").join(file)).unwrap();
    let mut keys = Vec::new();
    let mut lines = text.lines().peekable();
    let mut denies = false;
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.starts_with("#[serde(") && line.contains("deny_unknown_fields") {
            denies = true;
            continue;
        }
        let Some(rest) = line.strip_prefix("pub struct ") else {
            if !line.starts_with("#[") && !line.starts_with("///") && !line.is_empty() {
                denies = false;
            }
            continue;
        };
        if !std::mem::take(&mut denies) {
            continue;
        }
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        let mut rename = None;
        for field in lines.by_ref() {
            let field = field.trim();
            if field == "}" {
                break;
            }
            if let Some(r) = field.split("rename = \"").nth(1) {
                rename = Some(r.split('"').next().unwrap().to_string());
            }
            if let Some(f) = field.strip_prefix("pub ") {
                if let Some((key, _)) = f.split_once(':') {
                    keys.push((name.clone(), rename.take().unwrap_or_else(|| key.into())));
                }
            } else if !field.starts_with("#[") {
                rename = None;
            }
        }
    }
    keys
}

/// The README from the line holding `marker` to the next heading.
fn region<'r>(readme: &'r str, marker: &str) -> &'r str {
    let start = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README has no {marker:?}"));
    let body = &readme[start + marker.len()..];
    let end = ["\n## ", "\n### "]
        .iter()
        .filter_map(|h| body.find(h))
        .min()
        .unwrap_or(body.len());
    &body[..end]
}

/// A key is documented when the region shows it as TOML (`key = …`, commented or not, also
/// inside a comment: "or calendar_days = 7"), as a table (`[key]`, `[[key]]`, `[x.key]`) or
/// names it in backticks.
fn documents(region: &str, key: &str) -> bool {
    region.contains(&format!("`{key}`"))
        || region.contains(&format!(" {key} ="))
        || region.contains(&format!("[{key}]"))
        || region.contains(&format!(".{key}]"))
        || region.lines().any(|l| {
            let l = l.trim_start().trim_start_matches('#').trim_start();
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
}

#[test]
fn every_key_of_every_data_file_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let mut missing = Vec::new();
    let mut counted = 0;
    let sources: std::collections::BTreeSet<&str> =
        DATA_FILE_SECTIONS.iter().map(|(f, _, _)| *f).collect();
    for file in sources {
        let keys = keys_of(file);
        assert!(!keys.is_empty(), "no keys found in src/source/{file}");
        for (structure, key) in keys {
            counted += 1;
            // The struct's README region: the one naming it, else the file's catch-all.
            let marker = DATA_FILE_SECTIONS
                .iter()
                .filter(|(f, _, _)| *f == file)
                .find(|(_, only, _)| only.is_none_or(|s| s.contains(&structure.as_str())))
                .map(|(_, _, m)| *m)
                .unwrap();
            if !documents(region(&readme, marker), &key) {
                missing.push(format!(
                    "{key} ({structure}, src/source/{file}) under {marker}"
                ));
            }
        }
    }
    assert!(counted > 100, "the scan found only {counted} keys");
    assert!(
        missing.is_empty(),
        "keys the README's data file reference does not document:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_key_scan_sees_what_it_must() {
    let keys = keys_of("site.rs");
    for k in [
        "city",
        "since",
        "keywords",
        "district_term",
        "deadline_time",
    ] {
        assert!(
            keys.iter().any(|(_, key)| key == k),
            "{k} not found in {keys:?}"
        );
    }
    assert!(documents("x = 1\n# since = 2026  # …", "since"));
    assert!(documents("[[category.indicator]]", "indicator"));
    assert!(!documents("sincere = 1\nthe since year", "since"));
}
