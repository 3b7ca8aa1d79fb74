//! Where rendered files go, and how a finished build replaces the published one.
//!
//! A build writes into a staging folder beside the output folder; only when everything
//! succeeded is it switched in with one atomic rename (`RENAME_EXCHANGE` on Linux). A
//! failed or killed build therefore leaves the previous site exactly as it was.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Marker file that says "Gazette made this folder"; Gazette deletes nothing without it.
pub const MARKER: &str = ".gazette-output";

/// Receives rendered files. Implementations must accept calls from many threads.
pub trait Sink: Sync {
    /// `path` is relative to the site root, with `/` separators and no leading slash.
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()>;
}

/// Writes files under a folder.
pub struct DirSink {
    dir: PathBuf,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink { dir: dir.into() }
    }
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)
    }
}

/// Keeps files in memory (for `serve` and tests).
#[derive(Default)]
pub struct MemSink {
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.files
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .insert(path.to_string(), bytes);
        Ok(())
    }
}

impl MemSink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_default()
    }
}

#[derive(Debug)]
pub enum OutputError {
    Refused(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Refused(why) => write!(f, "{why}"),
            OutputError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for OutputError {}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |e| OutputError::Io(p.to_path_buf(), e)
}

/// Refuses output folders where a build could destroy the user's work.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), OutputError> {
    let root = root.canonicalize().map_err(io_err(root))?;
    let out_abs = absolute(out);
    if root.starts_with(&out_abs) {
        return Err(OutputError::Refused(format!(
            "refusing to write the site to {}: it is the site folder or one of its parents, and building there would replace your content. Choose an empty or new folder, e.g. --out public",
            out.display()
        )));
    }
    if out_abs.join("content").exists() || out_abs.join("data").join("site.toml").exists() {
        return Err(OutputError::Refused(format!(
            "refusing to write the site to {}: it holds content/ or data/ (a site's sources). Choose another --out folder",
            out.display()
        )));
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let non_empty = std::fs::read_dir(&out_abs)
            .map_err(io_err(out))?
            .next()
            .is_some();
        if non_empty {
            return Err(OutputError::Refused(format!(
                "refusing to replace {}: it is not empty and was not made by Gazette (no {MARKER} file). Move its files away or choose another --out folder",
                out.display()
            )));
        }
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return Err(OutputError::Refused(format!(
            "{} exists and is not a folder",
            out.display()
        )));
    }
    Ok(())
}

/// `path` made absolute without requiring it to exist, with `..` resolved against the
/// parts that do exist.
pub fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Canonicalise the longest existing ancestor, then append the rest.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut base = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        if part == ".." {
            base.pop();
        } else if part != "." {
            base.push(part);
        }
    }
    base
}

fn out_name(out: &Path) -> (PathBuf, String) {
    let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    (parent, name)
}

/// The previous version of the site, kept beside `out` until the next build.
pub fn previous_path(out: &Path) -> PathBuf {
    let (parent, name) = out_name(&absolute(out));
    parent.join(format!(".{name}.prev"))
}

/// Clears away what earlier builds left beside `out`: the previous version and any
/// staging folder of a killed build (ours by name and marker only). They are renamed out
/// of the way at once, so that the new build never sees them under their old names, and
/// then deleted in the background: deleting a large site takes long, and doing it while
/// the new one renders keeps it off the build's critical path. The handle need not be
/// joined: whatever is left when the process ends is deleted by the next build.
pub fn start_cleanup(out: &Path) -> std::thread::JoinHandle<()> {
    let (parent, name) = out_name(&absolute(out));
    let mut trash = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&parent) {
        let ours = [
            format!(".{name}.staging-"),
            format!(".{name}.old-"),
            format!(".{name}.prev"),
        ];
        let own_staging = format!(".{name}.staging-{}", std::process::id());
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for (i, path) in entries.into_iter().enumerate() {
            let n = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if n == own_staging
                || !ours.iter().any(|p| n.starts_with(p.as_str()))
                || !path.join(MARKER).exists()
            {
                continue;
            }
            if n.starts_with(&ours[1]) {
                trash.push(path);
                continue;
            }
            let moved = parent.join(format!(".{name}.old-{}-{i}", std::process::id()));
            trash.push(if std::fs::rename(&path, &moved).is_ok() {
                moved
            } else {
                path
            });
        }
    }
    std::thread::spawn(move || {
        for path in trash {
            let _ = std::fs::remove_dir_all(path);
        }
    })
}

/// A fresh staging folder beside `out`.
pub fn prepare_staging(out: &Path) -> Result<PathBuf, OutputError> {
    let (parent, name) = out_name(&absolute(out));
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    if staging.join(MARKER).exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    std::fs::create_dir_all(&staging).map_err(io_err(&staging))?;
    std::fs::write(
        staging.join(MARKER),
        b"Made by Gazette. This folder is replaced on every build.\n",
    )
    .map_err(io_err(&staging))?;
    Ok(staging)
}

/// Switches a finished staging folder in as `out`, atomically. The replaced site is kept
/// as the previous version (`.<out>.prev`) until the next build starts.
pub fn publish(staging: &Path, out: &Path) -> Result<(), OutputError> {
    let out = absolute(out);
    if !out.exists() {
        return std::fs::rename(staging, &out).map_err(io_err(&out));
    }
    exchange(staging, &out)?;
    // `staging` now holds the previous site: keep it as `.prev`, or, while the cleanup
    // of an older one is still under way, under a name the next build will delete.
    let prev = previous_path(&out);
    if prev.exists() || std::fs::rename(staging, &prev).is_err() {
        let old = staging.with_file_name(
            staging
                .file_name()
                .map(|n| n.to_string_lossy().replace(".staging-", ".old-"))
                .unwrap_or_else(|| ".old".into()),
        );
        let _ = std::fs::rename(staging, old);
    }
    Ok(())
}

/// Removes a staging folder after a failed build.
pub fn discard(staging: &Path) {
    if staging.join(MARKER).exists() {
        let _ = std::fs::remove_dir_all(staging);
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<(), OutputError> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without RENAME_EXCHANGE: fall back to two renames.
        Err(_) => exchange_by_renames(a, b),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<(), OutputError> {
    exchange_by_renames(a, b)
}

/// Two renames: the old site moves aside, then the new one moves in. Between them the
/// output folder is briefly absent, so this is only the fallback.
fn exchange_by_renames(staging: &Path, out: &Path) -> Result<(), OutputError> {
    let aside = staging.with_extension("swap");
    std::fs::rename(out, &aside).map_err(io_err(out))?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(OutputError::Io(out.to_path_buf(), e));
    }
    std::fs::rename(&aside, staging).map_err(io_err(staging))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_atomically_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s1 = prepare_staging(&out).unwrap();
        DirSink::new(&s1)
            .put("index.html", b"one".to_vec())
            .unwrap();
        publish(&s1, &out).unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"one");
        let s2 = prepare_staging(&out).unwrap();
        DirSink::new(&s2)
            .put("index.html", b"two".to_vec())
            .unwrap();
        publish(&s2, &out).unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"two");
        let names = |dir: &Path| {
            let mut v: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            names(tmp.path()),
            vec![".public.prev", "public"],
            "the previous version is kept"
        );
        assert_eq!(
            std::fs::read(tmp.path().join(".public.prev/index.html")).unwrap(),
            b"one"
        );
        // The next build's cleanup removes it.
        start_cleanup(&out).join().unwrap();
        assert_eq!(names(tmp.path()), vec!["public"]);
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, tmp.path()).is_err());
        let foreign = tmp.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("a.txt"), "keep").unwrap();
        assert!(check_output_dir(&root, &foreign).is_err());
        assert!(check_output_dir(&root, &tmp.path().join("new")).is_ok());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }
}
