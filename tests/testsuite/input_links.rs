//! One rule for every input folder (issue 23, item 10): a symbolic link anywhere between
//! the site folder and what a build reads is an error that names the link, as a link
//! among the pages already was. A linked `themes/<name>` would otherwise publish another
//! folder's `static/`.

use crate::support::*;

/// Moves `rel` out of the site and puts a symbolic link to it in its place.
#[cfg(unix)]
fn replace_with_link(f: &Fixture, rel: &str) -> std::path::PathBuf {
    let outside = f.path(&format!("outside/{}", rel.replace('/', "_")));
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    std::fs::rename(f.path(rel), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, f.path(rel)).unwrap();
    outside
}

#[cfg(unix)]
#[test]
fn a_linked_input_folder_is_refused_wherever_it_is() {
    for rel in [
        "data",
        "data/lists",
        "data/programmes",
        "themes",
        "themes/default",
    ] {
        let f = Fixture::minimal();
        if rel.starts_with("themes") {
            f.export_theme();
        }
        replace_with_link(&f, rel);
        let o = f.run(&["build", "--today", TODAY]);
        assert_fails_with(&o, &[&format!("{rel}: "), "符号链接", "[symlink]"]);
        let err = stderr(&o);
        assert_eq!(
            err.matches("[symlink]").count(),
            1,
            "{rel}: one error for the link, not one per file behind it:\n{err}"
        );
        assert!(!f.path("public").exists(), "{rel}: nothing was published");
    }
}

#[cfg(unix)]
#[test]
fn an_outside_themes_static_files_are_never_published() {
    let f = Fixture::minimal();
    f.export_theme();
    let outside = replace_with_link(&f, "themes/default");
    std::fs::write(outside.join("static/secret.txt"), "not for publication").unwrap();
    assert_fails_with(&f.run(&["build", "--today", TODAY]), &["[symlink]"]);
    assert!(!f.path("public/secret.txt").exists());
}
