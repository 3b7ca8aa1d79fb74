//! Snapshots of whole diagnostics as a clerk reads them (colour off, as with `NO_COLOR` or
//! off a terminal): the head line, the file:line:column, the excerpt with its pointer, the
//! help and the summary, byte for byte. Run on the minimal site from inside its folder
//! (`--root .`), so no temp path can enter a snapshot. The snapshots are in
//! `snapshots/`; after an intended change of wording, review them with `cargo insta review`
//! (or set `INSTA_UPDATE=always` and read the diff).

use crate::support::*;

/// What `check` printed, after asserting that it failed with exit 1 and that nothing
/// machine-specific is in it.
#[track_caller]
fn check_report(f: &Fixture) -> String {
    let o = f.run_inside(&["check", "--today", TODAY]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "a report goes to stderr");
    plain(f, &stderr(&o))
}

/// Asserts the text has no temp path and no terminal escape (colour) in it.
#[track_caller]
fn plain(f: &Fixture, text: &str) -> String {
    let root = f.root().to_string_lossy();
    assert!(!text.contains(root.as_ref()), "a temp path:\n{text}");
    assert!(!text.contains('\u{1b}'), "colour codes:\n{text}");
    text.to_string()
}

#[test]
fn toml_syntax_error_with_file_line_and_column() {
    let f = Fixture::minimal();
    f.edit(
        "data/districts.toml",
        "office = \"金普新区示例科工信局\"",
        "office = \"金普新区示例科工信局",
    );
    insta::assert_snapshot!("toml_syntax_error", check_report(&f));
}

#[test]
fn bad_credit_code_names_the_check_character() {
    let f = Fixture::minimal();
    f.edit(
        "data/lists/2026-q3-application.toml",
        "\"91210202MATU8FKPXX\"",
        "\"91210202MATU8FKPX0\"",
    );
    insta::assert_snapshot!("bad_credit_code", check_report(&f));
}

#[test]
fn unknown_district_with_did_you_mean_help() {
    let f = Fixture::minimal();
    f.edit(
        "data/lists/2026-q3-application.toml",
        "district = \"中山区\"",
        "district = \"中山县\"",
    );
    insta::assert_snapshot!("unknown_district", check_report(&f));
}

#[test]
fn usage_errors_say_what_is_wrong_and_exit_2() {
    let f = Fixture::minimal();
    let o = f.run_inside(&["build", "--today", "2026-13-01"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    insta::assert_snapshot!("usage_error_bad_date", plain(&f, &stderr(&o)));
    let o = f.run_inside(&["biuld"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    insta::assert_snapshot!("usage_error_unknown_command", plain(&f, &stderr(&o)));
    assert!(!f.path("public").exists());
}
