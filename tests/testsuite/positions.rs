//! Every diagnostic that points into a file points at the right line and column. One row
//! per kind of problem: an edit of the minimal site (with an announced review list added),
//! the text the position must be that of (found inside the edit, so no earlier occurrence
//! can be mistaken for it), and a word of the message. `check` must fail (or warn) and print
//! `file:line:col`; the unedited site prints none of the messages.

use crate::support::*;

const Q3: &str = "data/lists/2026-q3-application.toml";
const Q2: &str = "data/lists/2026-q2-review.toml";
const CAL: &str = "data/calendar/2026.toml";
const DIST: &str = "data/districts.toml";

/// (file, replace this, with this, the position is that of this text inside the
/// replacement (or the nearest before it; `$` is the end of the replacement), and the
/// message contains this)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const CASES: &[Case] = &[
    // Files of the data folder: syntax and shape.
    (
        DIST,
        "office = \"金普新区示例科工信局\"",
        "office = \"金普新区示例科工信局",
        "$",
        "[toml-syntax]",
    ),
    (
        DIST,
        "office = \"中山区示例科工信局\"",
        "office = 7",
        "7",
        "[toml-type]",
    ),
    (
        DIST,
        "office = \"中山区示例科工信局\"",
        "office = \"中山区示例科工信局\"\nofice = \"x\"",
        "ofice",
        "[toml-unknown-key]",
    ),
    (CAL, "year = 2026", "year = 2027", "2027", "[calendar-name]"),
    (
        CAL,
        "start = 2026-01-01",
        "start = 2026-01-01T08:00:00",
        "2026-01-01T08:00:00",
        "[date]",
    ),
    (
        CAL,
        "end = 2026-01-03",
        "end = 2025-12-30",
        "2025-12-30",
        "[holiday-order]",
    ),
    // Districts.
    (
        DIST,
        "phones = [\"82000001\"]",
        "phones = []",
        "[]",
        "[phone-none]",
    ),
    (
        DIST,
        "phones = [\"82000001\"]",
        "phones = [\"abc\"]",
        "\"abc\"",
        "[phone]",
    ),
    (
        DIST,
        "aliases = [\"金州区\", \"金州新区\"]",
        "aliases = [\"金州区\", \"\"]",
        "\"\"]",
        "[district-name]",
    ),
    (
        DIST,
        "aliases = [\"金州区\", \"金州新区\"]",
        "aliases = [\"金州区\", \"中山区\"]",
        "\"中山区\"",
        "[district-name]",
    ),
    (
        DIST,
        "name = \"金普新区\"",
        "name = \"金普/新区\"",
        "\"金普/新区\"",
        "[url-segment]",
    ),
    // A list's head.
    (Q3, "batch = 3", "batch = 7", "7", "[list-batch]"),
    (Q3, "year = 2026", "year = 1800", "1800", "[list-year]"),
    (
        Q3,
        "stage = \"publicity\"",
        "stage = \"pubicity\"",
        "\"pubicity\"",
        "[toml-value]",
    ),
    (
        Q3,
        "working_days = 5",
        "working_days = 0",
        "0",
        "[publicity-days]",
    ),
    (
        Q3,
        "start = 2026-11-23\nworking_days = 5",
        "start = 2026-11-23\nworking_days = 5\ncalendar_days = 7",
        "5\ncalendar",
        "[publicity-length]",
    ),
    (
        Q3,
        "start = 2026-11-23\nworking_days = 5",
        "start = 2026-11-23\nworking_days = 5\nend = 2026-11-30",
        "2026-11-30",
        "[publicity-end]",
    ),
    (
        Q3,
        "start = 2026-11-23\nworking_days = 5",
        "start = 2026-11-23\nend = 2026-11-20",
        "2026-11-20",
        "[publicity-end]",
    ),
    (
        Q3,
        "start = 2026-11-23\nworking_days = 5",
        "start = 2026-12-23\nworking_days = 30",
        "30",
        "[publicity-calendar]",
    ),
    (
        Q3,
        "[publicity]\nstart = 2026-11-23\nworking_days = 5",
        "[publicity]\nworking_days = 5",
        "[publicity]",
        "[publicity-start]",
    ),
    (
        Q3,
        "[publicity]\nstart = 2026-11-23\nworking_days = 5",
        "[publicity]\nstart = 2026-11-23",
        "[publicity]",
        "[publicity-length]",
    ),
    (
        Q3,
        "[publicity]\nstart = 2026-11-23\nworking_days = 5\n",
        "",
        "",
        "",
    ),
    (
        Q2,
        "[announcement]\ndate = 2026-08-25",
        "[announcement]\ndocument = \"x\"",
        "[announcement]",
        "[announcement-date]",
    ),
    (
        Q2,
        "[announcement]\ndate = 2026-08-25",
        "[announcement]\ndate = 2026-08-25\nvalid_until = 2026-01-01",
        "2026-01-01",
        "[validity]",
    ),
    (Q2, "[announcement]\ndate = 2026-08-25\n", "", "", ""),
    // Enterprise rows.
    (
        Q3,
        "name = \"大连示例最小甲科技有限公司\"",
        "name = \"  \"",
        "\"  \"",
        "[name-empty]",
    ),
    (
        Q3,
        "name = \"大连示例最小甲科技有限公司\"",
        "name = \"大连\\t示例\"",
        "\"大连\\t示例\"",
        "[name-line]",
    ),
    (
        Q3,
        "credit_code = \"91210202MATU8FKPXX\"",
        "credit_code = \"91210202MATU8FKPX0\"",
        "\"91210202MATU8FKPX0\"",
        "[credit-code]",
    ),
    (
        Q3,
        "credit_code = \"91210202MABT5PRMUT\"",
        "credit_code = \"91210202MATU8FKPXX\"",
        "\"91210202MATU8FKPXX\"",
        "[credit-code-twice]",
    ),
    (
        Q3,
        "district = \"中山区\"",
        "district = \"火星区\"",
        "\"火星区\"",
        "[district-unknown]",
    ),
    (
        Q3,
        "industry = \"装备制造\"",
        "industry = \"软件\\n信息\"",
        "\"大连示例最小甲科技有限公司\"",
        "[name-line]",
    ),
];

/// The lines before, so that an empty replacement (a removed table) can name the line of
/// what the problem is reported at.
const REMOVED: &[(&str, &str, &str)] = &[
    (Q3, "\"publicity\"", "[publicity-missing]"),
    (Q2, "\"announced\"", "[announcement-missing]"),
];

/// The minimal site with an announced review list of the second quarter beside its list
/// under publicity, for the rows about an announcement.
fn site() -> Fixture {
    let f = Fixture::minimal();
    let rows = enterprise_rows(&[
        (
            "大连示例最小丁科技有限公司",
            &credit_code("210202", 1),
            "中山区",
        ),
        (
            "大连示例最小戊电子有限公司",
            &credit_code("210213", 2),
            "金普新区",
        ),
    ]);
    f.write(
        Q2,
        &format!(
            "# 示例数据 (SAMPLE DATA)\nyear = 2026\nbatch = 2\nkind = \"review\"\nstage = \"announced\"\nsample = true\n\n[publicity]\nstart = 2026-07-20\nworking_days = 5\n\n[announcement]\ndate = 2026-08-25\n{rows}"
        ),
    );
    f
}

#[test]
fn every_diagnostic_points_at_its_value() {
    // The unedited site passes and says none of the messages, so each one below is the
    // edit's.
    let o = site().check();
    assert_ok(&o);
    let clean = stderr(&o);
    for needle in CASES
        .iter()
        .map(|c| c.4)
        .chain(REMOVED.iter().map(|r| r.2))
        .filter(|n| !n.is_empty())
    {
        assert!(!clean.contains(needle), "unedited: {needle}\n{clean}");
    }
    let mut failures = Vec::new();
    let mut removed = REMOVED.iter();
    for &(file, old, new, at, needle) in CASES {
        let f = site();
        let text = f.read(file);
        let edit_at = text
            .find(old)
            .unwrap_or_else(|| panic!("{file} does not contain {old:?}"));
        let edited = text.replacen(old, new, 1);
        f.write(file, &edited);
        let (offset, needle) = if new.is_empty() {
            let (rfile, marker, needle) = removed.next().expect("a REMOVED row");
            assert_eq!(*rfile, file);
            (edited.find(marker).unwrap(), *needle)
        } else {
            // Inside the replacement, else the nearest before it (a problem of a row's
            // other value is reported at the row's name).
            let offset = (at == "$")
                .then_some(edit_at + new.len())
                .or_else(|| new.find(at).map(|i| edit_at + i))
                .or_else(|| edited[..edit_at].rfind(at))
                .unwrap_or_else(|| panic!("{at:?} neither in {new:?} nor before it"));
            (offset, needle)
        };
        let (line, col) = position_of(&edited, offset);
        let o = f.check();
        let err = stderr(&o);
        let want = format!("{file}:{line}:{col}");
        if !(err.contains(&want) && err.contains(needle)) {
            failures.push(format!(
                "{old:?} → {new:?}: expected {want} and {needle:?} in:\n{err}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn template_errors_point_into_the_template() {
    let file = "themes/default/templates/404.html";
    // (what is inserted before the template's first `{{`, the text the error is at)
    for (bad, at) in [
        ("{{ oops( }}", "}}"),
        ("{{ x | no_such_filter }}", "no_such_filter"),
    ] {
        let f = Fixture::minimal();
        f.export_theme();
        assert_ok(&f.check());
        let text = f.read(file);
        let first = text.find("{{").expect("a template tag");
        let edited = format!("{}{bad}{}", &text[..first], &text[first..]);
        f.write(file, &edited);
        let (line, col) = position_of(&edited, first + bad.find(at).unwrap());
        let want = format!("{file}:{line}:{col}");
        assert_fails_with(&f.check(), &[&want, "[template]"]);
    }
}

#[test]
fn warnings_point_at_their_value_too() {
    let f = Fixture::minimal();
    let text = "year = 2026\nquarter = 4\nkind = \"review\"\nstage = \"publicity\"\n\n[publicity]\nstart = 2026-12-01\nworking_days = 5\n";
    f.write("data/lists/q4.toml", text);
    let err = stderr(&f.check());
    // The file name is reported at `kind`, the missing rows at `stage`.
    assert!(err.contains("data/lists/q4.toml:3:8"), "{err}");
    assert!(err.contains("[list-file-name]"), "{err}");
    assert!(err.contains("data/lists/q4.toml:4:9"), "{err}");
    assert!(err.contains("[list-empty]"), "{err}");
}
