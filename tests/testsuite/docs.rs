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
