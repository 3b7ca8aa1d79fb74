//! Whole pages and whole CLI transcripts of the minimal site, pinned as snapshots (in
//! `snapshots/`), so that any change in what a reader or a clerk sees shows in review as a
//! diff, not only the few strings other tests look for. Run from inside the site's folder
//! (`--root .`) with colour off, so no temp path or escape enters a snapshot. After an
//! intended change: `cargo insta review`, or `INSTA_UPDATE=always cargo test` and read the
//! diff of the `.snap` files.

use std::process::Output;

use crate::support::*;

/// stdout then stderr, with the one value that varies run to run (the build's seconds)
/// replaced; asserts no temp path is in it.
fn transcript(f: &Fixture, o: &Output) -> String {
    let text = format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        stderr(o)
    );
    let root = f.root().to_string_lossy();
    assert!(!text.contains(root.as_ref()), "a temp path:\n{text}");
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        // "用时 0.05 秒": the one number that depends on the machine.
        match line.find("用时 ").zip(line.find(" 秒")) {
            Some((a, b)) if a < b => {
                out.push_str(&line[..a]);
                out.push_str("用时 [秒数]");
                out.push_str(&line[b + " 秒".len()..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn whole_pages_of_the_minimal_site() {
    let f = Fixture::minimal();
    assert_ok(&f.run_inside(&["build", "--today", TODAY]));
    let list = "lists/2026-q3-application";
    let code = "91210202MATU8FKPXX";
    for (name, page) in [
        ("page_home", "index.html".to_string()),
        ("page_lists", "lists/index.html".to_string()),
        ("page_list", format!("{list}/index.html")),
        ("page_publicity", format!("{list}/publicity/index.html")),
        ("page_district", "districts/中山区/index.html".to_string()),
        ("page_enterprise", format!("enterprises/{code}/index.html")),
        ("page_contacts", "contacts/index.html".to_string()),
    ] {
        insta::assert_snapshot!(name, f.out(&page));
    }
}

#[test]
fn cli_transcripts_of_the_clerks_commands() {
    let f = Fixture::minimal();
    for (name, args) in [
        ("cli_check", &["check", "--today", TODAY][..]),
        ("cli_build", &["build", "--today", TODAY][..]),
        ("cli_lists", &["lists", "--today", TODAY][..]),
        (
            "cli_list_show",
            &["list", "show", "2026-q3-application", "--today", TODAY][..],
        ),
        (
            "cli_enterprise_show",
            &["enterprise", "show", "91210202MATU8FKPXX", "--today", TODAY][..],
        ),
    ] {
        let o = f.run_inside(args);
        insta::assert_snapshot!(name, transcript(&f, &o));
    }
}
