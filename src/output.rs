//! Where rendered files go, and how a finished build replaces the published one.
//!
//! A build holds an exclusive lock on its output (`.<out>.lock` beside it), writes into a
//! staging folder of its own, and only when everything succeeded switches it in with one
//! atomic rename (`RENAME_EXCHANGE` on Linux). A failed or killed build therefore leaves
//! the previous site exactly as it was, and two builds into one folder take turns.

use std::collections::BTreeMap;
use std::fs::File;
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

/// The content type of a site path, from its extension: the one table that `deploy`
/// sends to the bucket and `serve` to the preview, so that what a clerk previews is what
/// readers get.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "feed.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = match name.rsplit_once('.') {
        Some((_, e)) => e.to_ascii_lowercase(),
        None => String::new(),
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "ofd" => "application/ofd",
        "zip" => "application/zip",
        "wps" => "application/vnd.ms-works",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Refuses a site path that could land outside the folder it is written to: absolute,
/// climbing (`..`), empty or `.` segments, backslashes, drive letters, control characters.
/// Every sink checks every path, whoever computed it.
pub fn check_site_path(path: &str) -> io::Result<()> {
    let bad = |why: &str| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refused output path {path:?}: {why}"),
        ))
    };
    if path.is_empty() {
        return bad("empty");
    }
    if path.starts_with('/') {
        return bad("absolute");
    }
    if path.contains('\\') || path.contains(':') {
        return bad("backslash or colon");
    }
    if path.chars().any(char::is_control) {
        return bad("control character");
    }
    if path
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return bad("empty, . or .. segment");
    }
    Ok(())
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

/// Test hook: `GAZETTE_FAIL_AT=disk-full` makes every write fail as on a full disk.
fn disk_full() -> bool {
    static FULL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *FULL.get_or_init(|| std::env::var("GAZETTE_FAIL_AT").is_ok_and(|v| v == "disk-full"))
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        check_site_path(path)?;
        if disk_full() {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device (GAZETTE_FAIL_AT=disk-full)",
            ));
        }
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
        check_site_path(path)?;
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
    /// The output folder is not a safe place to write; the text says why and what to do.
    Refused(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Refused(why) => write!(f, "{why}"),
            OutputError::Io(p, e) => write!(f, "{}：{e}", p.display()),
        }
    }
}

impl std::error::Error for OutputError {}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |e| OutputError::Io(p.to_path_buf(), e)
}

/// The folders of a site that hold its sources: an output inside one of them would be read
/// back as input by the next build (and published again inside the new site).
pub const INPUT_FOLDERS: [&str; 5] = ["content", "data", "static", "themes", "templates"];

/// Refuses output folders where a build could destroy the user's work or feed on itself.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), OutputError> {
    let root = root.canonicalize().map_err(io_err(root))?;
    let out_abs = absolute(out);
    let shown = out.display();
    if root.starts_with(&out_abs) {
        return Err(OutputError::Refused(format!(
            "拒绝写入 {shown}：它是网站文件夹本身或其上级文件夹，生成会替换您的源文件 (refusing: it is the site folder or one of its parents)。请另选一个新的或空的文件夹，例如 --out public"
        )));
    }
    for input in INPUT_FOLDERS {
        let dir = root.join(input);
        if out_abs.starts_with(&dir) {
            return Err(OutputError::Refused(format!(
                "拒绝写入 {shown}：它在网站的源文件夹 {input}/ 里面，下次生成会把旧网站当作源文件再次发布 (refusing: the output is inside the input folder {input}/)。请另选一个文件夹，例如 --out public"
            )));
        }
    }
    if out_abs.join("content").exists() || out_abs.join("data").join("site.toml").exists() {
        return Err(OutputError::Refused(format!(
            "拒绝写入 {shown}：里面有 content/ 或 data/（另一个网站的源文件）(refusing: it holds a site's sources)。请另选一个 --out 文件夹"
        )));
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return Err(OutputError::Refused(format!(
            "拒绝写入 {shown}：它已存在，但不是文件夹 (refusing: it exists and is not a folder)。请另选一个 --out 文件夹"
        )));
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() && !is_empty_dir(&out_abs)? {
        return Err(OutputError::Refused(format!(
            "拒绝替换 {shown}：它不是空文件夹，也不是 Gazette 生成的（没有 {MARKER} 文件）(refusing: not empty and not made by Gazette)。请把里面的文件移走，或另选一个 --out 文件夹"
        )));
    }
    Ok(())
}

fn is_empty_dir(dir: &Path) -> Result<bool, OutputError> {
    Ok(std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .next()
        .is_none())
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

/// The folder beside which an output's helpers live, and the output's own name.
fn out_name(out: &Path) -> (PathBuf, String) {
    let out = absolute(out);
    let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    (parent, name)
}

/// The previous version of the site, kept beside `out` until the next build.
pub fn previous_path(out: &Path) -> PathBuf {
    let (parent, name) = out_name(out);
    parent.join(format!(".{name}.prev"))
}

/// The lock file beside `out` that builds (exclusive) and deploys (shared) hold.
pub fn lock_path(out: &Path) -> PathBuf {
    let (parent, name) = out_name(out);
    parent.join(format!(".{name}.lock"))
}

/// An advisory lock on an output folder, released when dropped (or when the process ends,
/// however it ends: the operating system drops the lock with the file).
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

/// Whether a lock excludes every other holder (a build) or only builds (a deploy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    Exclusive,
    Shared,
}

/// Takes the lock on `out`; when another process holds it, calls `on_wait` once and waits.
pub fn lock_output(
    out: &Path,
    mode: LockMode,
    on_wait: &dyn Fn(),
) -> Result<OutputLock, OutputError> {
    let path = lock_path(out);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err(&path))?;
    let tried = match mode {
        LockMode::Exclusive => file.try_lock(),
        LockMode::Shared => file.try_lock_shared(),
    };
    match tried {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            on_wait();
            match mode {
                LockMode::Exclusive => file.lock(),
                LockMode::Shared => file.lock_shared(),
            }
            .map_err(io_err(&path))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(OutputError::Io(path, e)),
    }
    Ok(OutputLock { _file: file })
}

/// One build's way into its output folder: the lock held, what earlier builds left beside
/// the folder cleared away, and a staging folder of its own to render into. Dropping it
/// without `publish` discards the staging folder; either way it waits for the background
/// deletion of leftovers, so nothing piles up beside the output.
pub struct Publication {
    out: PathBuf,
    staging: PathBuf,
    keep_previous: bool,
    published: bool,
    cleanup: Option<std::thread::JoinHandle<()>>,
    _lock: OutputLock,
}

impl Publication {
    /// Checks `out`, takes its lock (calling `on_wait` if another build holds it), clears
    /// leftovers and makes the staging folder.
    pub fn begin(
        root: &Path,
        out: &Path,
        keep_previous: bool,
        on_wait: &dyn Fn(),
    ) -> Result<Publication, OutputError> {
        check_output_dir(root, out)?;
        let lock = lock_output(out, LockMode::Exclusive, on_wait)?;
        // The folder may have changed while we waited for the lock.
        check_output_dir(root, out)?;
        let cleanup = clear_leftovers(out);
        let mut p = Publication {
            out: absolute(out),
            staging: PathBuf::new(),
            keep_previous,
            published: false,
            cleanup: Some(cleanup),
            _lock: lock,
        };
        p.staging = make_staging(out)?;
        Ok(p)
    }

    /// The folder to render into.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Switches the staging folder in as the output, atomically. The replaced site becomes
    /// the previous version (`.<out>.prev`), or is deleted without `keep_previous`.
    pub fn publish(mut self) -> Result<(), OutputError> {
        let out = self.out.clone();
        if !out.exists() {
            std::fs::rename(&self.staging, &out).map_err(io_err(&out))?;
            self.published = true;
            return Ok(());
        }
        exchange(&self.staging, &out)?;
        self.published = true;
        // `staging` now holds the replaced site.
        let old = self.staging.clone();
        if !old.join(MARKER).exists() {
            // An empty folder the user made for the output: nothing worth keeping.
            if std::fs::remove_dir(&old).is_err() {
                let _ = std::fs::rename(&old, previous_path(&out));
            }
        } else if self.keep_previous && std::fs::rename(&old, previous_path(&out)).is_ok() {
        } else {
            delete_marked(&old);
        }
        Ok(())
    }
}

impl Drop for Publication {
    fn drop(&mut self) {
        if !self.published && !self.staging.as_os_str().is_empty() {
            delete_marked(&self.staging);
        }
        if let Some(h) = self.cleanup.take() {
            let _ = h.join();
        }
    }
}

/// Deletes a folder Gazette made (it holds the marker), the marker last, so that a deletion
/// cut short still leaves a folder that the next build recognises as its own.
fn delete_marked(dir: &Path) {
    if !dir.join(MARKER).exists() {
        let _ = std::fs::remove_dir(dir); // only ever removes an empty folder
        return;
    }
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_name() == MARKER {
                continue;
            }
            let p = e.path();
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
                _ => std::fs::remove_file(&p),
            };
        }
    }
    let _ = std::fs::remove_file(dir.join(MARKER));
    let _ = std::fs::remove_dir(dir);
}

/// Moves what earlier builds left beside `out` out of the way at once (the previous version,
/// staging folders of killed builds, unfinished deletions; ours by name and marker only) and
/// deletes it in the background, off the build's critical path. Called under the lock, so
/// no other build is using any of them.
fn clear_leftovers(out: &Path) -> std::thread::JoinHandle<()> {
    let (parent, name) = out_name(out);
    let prefixes = [
        format!(".{name}.staging-"),
        format!(".{name}.old-"),
        format!(".{name}.trash-"),
        format!(".{name}.prev"),
    ];
    let trash_prefix = &prefixes[2];
    let mut trash = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&parent) {
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for (i, path) in entries.into_iter().enumerate() {
            let n = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if !prefixes.iter().any(|p| n.starts_with(p.as_str())) || !path.is_dir() {
                continue;
            }
            if n.starts_with(trash_prefix.as_str()) {
                trash.push(path);
                continue;
            }
            if !path.join(MARKER).exists() {
                continue;
            }
            let moved = parent.join(format!("{trash_prefix}{}-{i}", std::process::id()));
            trash.push(if std::fs::rename(&path, &moved).is_ok() {
                moved
            } else {
                path
            });
        }
    }
    std::thread::spawn(move || {
        for path in trash {
            delete_marked(&path);
        }
    })
}

/// A fresh staging folder beside `out`, holding the marker.
fn make_staging(out: &Path) -> Result<PathBuf, OutputError> {
    let (parent, name) = out_name(out);
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    if staging.join(MARKER).exists() {
        delete_marked(&staging);
    }
    std::fs::create_dir(&staging).map_err(io_err(&staging))?;
    std::fs::write(
        staging.join(MARKER),
        b"Made by Gazette. This folder is replaced on every build.\n",
    )
    .map_err(io_err(&staging))?;
    Ok(staging)
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

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    fn build_once(root: &Path, out: &Path, text: &[u8], keep: bool) {
        let p = Publication::begin(root, out, keep, &|| {}).unwrap();
        DirSink::new(p.staging())
            .put("index.html", text.to_vec())
            .unwrap();
        p.publish().unwrap();
    }

    #[test]
    fn publish_replaces_atomically_and_keeps_one_previous_version() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("public");
        build_once(&root, &out, b"one", true);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"one");
        for text in [&b"two"[..], b"three", b"four"] {
            build_once(&root, &out, text, true);
        }
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"four");
        assert_eq!(
            names(tmp.path()),
            vec![".public.lock", ".public.prev", "public", "site"],
            "one previous version, nothing else"
        );
        assert_eq!(
            std::fs::read(tmp.path().join(".public.prev/index.html")).unwrap(),
            b"three"
        );
        build_once(&root, &out, b"five", false);
        assert_eq!(
            names(tmp.path()),
            vec![".public.lock", "public", "site"],
            "without keep_previous no previous version remains"
        );
    }

    #[test]
    fn an_empty_output_folder_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        build_once(&root, &out, b"one", true);
        assert_eq!(names(tmp.path()), vec![".public.lock", "public", "site"]);
    }

    #[test]
    fn leftovers_of_killed_builds_are_cleared_but_foreign_folders_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("public");
        let killed = tmp.path().join(".public.staging-999999");
        std::fs::create_dir_all(killed.join("a")).unwrap();
        std::fs::write(killed.join(MARKER), "").unwrap();
        let half_deleted = tmp.path().join(".public.trash-1-1");
        std::fs::create_dir_all(&half_deleted).unwrap();
        let foreign = tmp.path().join(".public.staging-mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "keep").unwrap();
        build_once(&root, &out, b"one", true);
        assert_eq!(
            names(tmp.path()),
            vec![".public.lock", ".public.staging-mine", "public", "site"]
        );
    }

    #[test]
    fn a_second_build_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("public");
        let first = Publication::begin(&root, &out, true, &|| {}).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let (root2, out2) = (root.clone(), out.clone());
        let second = std::thread::spawn(move || {
            let waited = std::sync::atomic::AtomicBool::new(false);
            let p = Publication::begin(&root2, &out2, true, &|| {
                waited.store(true, std::sync::atomic::Ordering::SeqCst)
            })
            .unwrap();
            tx.send(()).unwrap();
            DirSink::new(p.staging())
                .put("index.html", b"second".to_vec())
                .unwrap();
            p.publish().unwrap();
            waited.load(std::sync::atomic::Ordering::SeqCst)
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(rx.try_recv().is_err(), "the second build must wait");
        DirSink::new(first.staging())
            .put("index.html", b"first".to_vec())
            .unwrap();
        first.publish().unwrap();
        assert!(second.join().unwrap(), "the second build was told it waits");
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"second");
        assert_eq!(
            std::fs::read(tmp.path().join(".public.prev/index.html")).unwrap(),
            b"first"
        );
    }

    #[test]
    fn sinks_refuse_paths_that_leave_their_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let sink = DirSink::new(tmp.path().join("out"));
        for bad in [
            "../x/index.html",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "a\\..\\b",
            "C:/x",
            "",
            "a\u{0}b",
        ] {
            assert!(sink.put(bad, b"x".to_vec()).is_err(), "{bad:?}");
            assert!(
                MemSink::default().put(bad, b"x".to_vec()).is_err(),
                "{bad:?}"
            );
        }
        assert!(!tmp.path().join("x").exists());
        sink.put("districts/中山区/index.html", b"ok".to_vec())
            .unwrap();
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("themes/default/static")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, tmp.path()).is_err());
        let foreign = tmp.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("a.txt"), "keep").unwrap();
        assert!(check_output_dir(&root, &foreign).is_err());
        for inside in [
            "static",
            "static/x",
            "themes/default/static/out",
            "content/p",
            "data/x",
        ] {
            assert!(
                check_output_dir(&root, &root.join(inside)).is_err(),
                "{inside}"
            );
        }
        assert!(check_output_dir(&root, &tmp.path().join("new")).is_ok());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }
}
