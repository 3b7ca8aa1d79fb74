//! The default theme, compiled into the binary (as mdBook embeds its theme): a site needs
//! only `content/` and `data/`, and a clerk who downloads one file has the whole tool. A
//! site's own `themes/default/` (or `templates/`) replaces its files one by one;
//! `gazette theme export` writes it out for a site that wants to change more.
//!
//! The repository's `themes/default/` is the source; `rust-embed` (with `debug-embed`)
//! copies it in at compile time in every profile, so tests build with what clerks get.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

#[derive(rust_embed::Embed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// The name a site gives the built-in theme (`theme = "default"`, the default).
pub const NAME: &str = "default";

/// Where diagnostics say a built-in file is: not a path on the clerk's disk, but one that
/// tells them which theme file it is (`gazette theme export` writes it to that place under
/// `themes/default/`).
pub(crate) fn shown_path(rel: &str) -> PathBuf {
    Path::new("（内置主题）themes").join(NAME).join(rel)
}

/// Every file of the built-in theme, by its path inside the theme folder (`/`-separated:
/// `templates/base.html`, `static/assets/site.css`, `theme.toml`), in path order.
pub fn files() -> Vec<(String, Cow<'static, [u8]>)> {
    let mut names: Vec<String> = DefaultTheme::iter().map(|n| n.into_owned()).collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|n| DefaultTheme::get(&n).map(|f| (n, f.data)))
        .collect()
}

/// One file of the built-in theme.
pub(crate) fn file(rel: &str) -> Option<Cow<'static, [u8]>> {
    DefaultTheme::get(rel).map(|f| f.data)
}

/// What `export` could not do.
#[derive(Debug)]
pub enum ExportError {
    /// The folder exists and holds files: exporting would mix or replace them.
    NotEmpty(PathBuf),
    Io(PathBuf, std::io::Error),
}

/// Writes the built-in theme into `dir`, which must not exist or be empty; returns the
/// files written (relative to `dir`).
pub fn export(dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(ExportError::NotEmpty(dir.to_path_buf()));
    }
    let mut written = Vec::new();
    for (rel, bytes) in files() {
        let rel = PathBuf::from_iter(rel.split('/'));
        let target = dir.join(&rel);
        let io = |e| ExportError::Io(target.clone(), e);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&target, &bytes).map_err(io)?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_is_the_repositorys_default_theme_byte_for_byte() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&repo)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::diag::display_path(e.path().strip_prefix(&repo).unwrap()))
            .collect();
        let built_in = files();
        let mut names: Vec<&String> = built_in.iter().map(|(n, _)| n).collect();
        names.sort();
        let mut disk_sorted: Vec<&String> = on_disk.iter().collect();
        disk_sorted.sort();
        assert_eq!(names, disk_sorted);
        for (name, bytes) in &built_in {
            assert_eq!(
                std::fs::read(repo.join(name)).unwrap(),
                bytes.as_ref(),
                "{name}"
            );
        }
        assert!(file("theme.toml").is_some() && file("templates/base.html").is_some());
    }

    #[test]
    fn export_writes_every_file_and_refuses_a_folder_with_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("themes/default");
        let written = export(&out).unwrap();
        assert_eq!(written.len(), files().len());
        assert!(out.join("templates/base.html").is_file());
        match export(&out) {
            Err(ExportError::NotEmpty(p)) => assert_eq!(p, out),
            other => panic!("{other:?}"),
        }
    }
}
