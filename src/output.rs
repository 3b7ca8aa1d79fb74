//! Where rendered files go, and how a finished build replaces the published one.
//!
//! A build holds an exclusive lock on its output (`.<out>.lock` beside it), writes into a
//! staging folder of its own, and only when everything succeeded switches it in with one
//! atomic rename (`RENAME_EXCHANGE` on Linux). A failed or killed build therefore leaves
//! the previous site exactly as it was, and two builds into one folder take turns.

use std::collections::BTreeMap;
// aHash: a rebuild fills and queries a map of every path of the previous build (up to two
// million); nothing depends on its order.
use ahash::AHashMap as HashMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Marker file that says "Gazette made this folder"; Gazette deletes nothing without it.
pub const MARKER: &str = ".gazette-output";

/// Receives rendered files. Implementations must accept calls from many threads.
pub trait Sink: Sync {
    /// `path` is relative to the site root, with `/` separators and no leading slash.
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()>;

    /// A file given as parts, one after the other: the directory's JSON download is a
    /// gigabyte at a million enterprises, and a sink that writes to disk writes the parts
    /// in turn instead of joining them into a second copy first.
    fn put_parts(&self, path: &str, parts: Vec<Vec<u8>>) -> io::Result<()> {
        self.put(path, parts.concat())
    }
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

/// Writes files under a folder. The sink of a build (`Publication::sink`) also notes what
/// it wrote, and over a reused tree leaves a file alone when it already holds the very
/// bytes, so that a rebuild writes only what changed: unchanged files keep their inode and
/// modification time, and the file system is spared a hundred thousand new inodes.
pub struct DirSink {
    dir: PathBuf,
    tree: Option<Arc<Tree>>,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink {
            dir: dir.into(),
            tree: None,
        }
    }
}

/// Test hook: `GAZETTE_FAIL_AT=disk-full` makes every write fail as on a full disk.
fn disk_full() -> bool {
    static FULL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *FULL.get_or_init(|| std::env::var("GAZETTE_FAIL_AT").is_ok_and(|v| v == "disk-full"))
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.put_hashed(path, &[&bytes], || xxhash_rust::xxh3::xxh3_128(&bytes))
    }

    fn put_parts(&self, path: &str, parts: Vec<Vec<u8>>) -> io::Result<()> {
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        self.put_hashed(path, &parts, || {
            // The same hash as `xxh3_128` of the parts joined.
            let mut h = xxhash_rust::xxh3::Xxh3Default::new();
            for p in &parts {
                h.update(p);
            }
            h.digest128()
        })
    }
}

impl DirSink {
    /// Writes the file made of `parts` unless the reused tree already holds these bytes
    /// (`hash` is their hash, computed only when a reused tree needs it).
    fn put_hashed(
        &self,
        path: &str,
        parts: &[&[u8]],
        hash: impl FnOnce() -> u128,
    ) -> io::Result<()> {
        check_site_path(path)?;
        if disk_full() {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device (GAZETTE_FAIL_AT=disk-full)",
            ));
        }
        let target = self.dir.join(path);
        let Some(tree) = &self.tree else {
            return write_making_room(&self.dir, &target, parts).map(drop);
        };
        let hash = hash();
        let unchanged = tree.files.get(path).and_then(|old| {
            old.put.store(true, Ordering::Relaxed);
            let now = std::fs::symlink_metadata(&target).ok()?;
            if now.is_symlink() {
                // Not Gazette's: replaced, never written through.
                let _ = std::fs::remove_file(&target);
                return None;
            }
            let was = old.recorded.filter(|r| r.hash == hash)?;
            (Stamp::of(&now, hash) == was).then_some(was)
        });
        let stamp = match unchanged {
            Some(stamp) => stamp,
            None => Stamp::of(&write_making_room(&self.dir, &target, parts)?, hash),
        };
        if let Ok(mut written) = tree.written.lock() {
            written.push((path.to_string(), stamp));
        }
        Ok(())
    }
}

/// Writes `target` and returns its metadata, first making room where a reused tree has a
/// file in place of one of its folders or a folder in place of the file (a site's shape
/// may change between builds).
fn write_making_room(dir: &Path, target: &Path, parts: &[&[u8]]) -> io::Result<std::fs::Metadata> {
    use std::io::Write;
    let parent = target.parent().unwrap_or(dir);
    if std::fs::create_dir_all(parent).is_err() {
        for ancestor in parent
            .ancestors()
            .take_while(|a| a.starts_with(dir) && *a != dir)
        {
            if std::fs::symlink_metadata(ancestor).is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(ancestor)?;
            }
        }
        std::fs::create_dir_all(parent)?;
    }
    let mut file = match File::create(target) {
        Err(_) if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) => {
            std::fs::remove_dir_all(target)?;
            File::create(target)?
        }
        opened => opened?,
    };
    for part in parts {
        file.write_all(part)?;
    }
    file.metadata()
}

/// What the output remembers of a file it wrote: its content's hash, and the size,
/// modification time and inode it had then. A later build trusts the hash only while the
/// file still shows the same size, time and inode (git's index works the same way), so a
/// file changed by anyone since is written again.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    hash: u128,
    len: u64,
    modified_ns: i128,
    inode: u64,
}

impl Stamp {
    fn of(m: &std::fs::Metadata, hash: u128) -> Stamp {
        let modified_ns = m
            .modified()
            .ok()
            .and_then(|t| match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => i128::try_from(d.as_nanos()).ok(),
                Err(e) => i128::try_from(e.duration().as_nanos()).ok().map(|n| -n),
            })
            .unwrap_or(i128::MIN);
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(m);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            hash,
            len: if m.is_file() { m.len() } else { u64::MAX },
            modified_ns,
            inode,
        }
    }

    fn line(&self, path: &str) -> String {
        format!(
            "{:032x} {} {} {} {path}\n",
            self.hash, self.len, self.modified_ns, self.inode
        )
    }

    fn parse(line: &str) -> Option<(&str, Stamp)> {
        let mut parts = line.splitn(5, ' ');
        let stamp = Stamp {
            hash: u128::from_str_radix(parts.next()?, 16).ok()?,
            len: parts.next()?.parse().ok()?,
            modified_ns: parts.next()?.parse().ok()?,
            inode: parts.next()?.parse().ok()?,
        };
        Some((parts.next()?, stamp))
    }
}

/// The first lines of the marker file; the files a build wrote follow, one `Stamp` a line.
const MARKER_HEAD: &str = "Made by Gazette: a build rewrites this folder. The lines below list the files it wrote.\ngazette-files/1\n";

/// What a build's staging folder holds: the files it had at the start (from the previous
/// version, each with whether this build put it and what the previous build recorded of
/// it) and what this build wrote. What the build did not put is deleted before publishing.
struct Tree {
    files: HashMap<String, Existing>,
    written: Mutex<Vec<(String, Stamp)>>,
}

struct Existing {
    put: AtomicBool,
    recorded: Option<Stamp>,
}

impl Existing {
    fn new(recorded: Option<Stamp>) -> Existing {
        Existing {
            put: AtomicBool::new(false),
            recorded,
        }
    }
}

impl Tree {
    fn empty() -> Tree {
        Tree {
            files: HashMap::new(),
            written: Mutex::default(),
        }
    }

    /// The files of a reused tree: those its marker lists, with what was recorded of each
    /// (the output is Gazette's alone, so the list is the tree: a hundred thousand folders
    /// are not read again on every build). A tree whose marker lists nothing (made by an
    /// older Gazette) is read instead, and anything in it that is neither a file nor a
    /// folder (a symbolic link, say) is deleted, so that no write follows it.
    fn scan(dir: &Path) -> io::Result<Tree> {
        let marker = std::fs::read_to_string(dir.join(MARKER)).unwrap_or_default();
        if let Some(lines) = marker.strip_prefix(MARKER_HEAD) {
            let files = lines
                .lines()
                .filter_map(Stamp::parse)
                .map(|(path, stamp)| (path.to_string(), Existing::new(Some(stamp))))
                .collect();
            return Ok(Tree {
                files,
                written: Mutex::default(),
            });
        }
        let mut files = HashMap::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
            let entry = entry.map_err(io::Error::other)?;
            let kind = entry.file_type();
            if kind.is_dir() {
                continue;
            }
            let site_path = entry.path().strip_prefix(dir).ok().and_then(|rel| {
                let parts: Option<Vec<&str>> =
                    rel.components().map(|c| c.as_os_str().to_str()).collect();
                parts.map(|p| p.join("/"))
            });
            match site_path {
                Some(p) if kind.is_file() => {
                    if p != MARKER {
                        files.insert(p, Existing::new(None));
                    }
                }
                _ => std::fs::remove_file(entry.path())?,
            }
        }
        Ok(Tree {
            files,
            written: Mutex::default(),
        })
    }

    /// Makes the staging folder exactly the new site: deletes the files this build did
    /// not put and the folders that left empty, then writes the marker with what the
    /// build wrote (its time is the build's time, which `deploy` shows).
    fn finish(&self, dir: &Path) -> Result<(), OutputError> {
        let mut emptied = std::collections::BTreeSet::new();
        for (path, old) in &self.files {
            if old.put.load(Ordering::Relaxed) {
                continue;
            }
            let file = dir.join(path);
            if let Err(e) = std::fs::remove_file(&file) {
                match std::fs::symlink_metadata(&file) {
                    // A folder of this build's files where the old file was.
                    Ok(m) if m.is_dir() => continue,
                    Ok(_) => return Err(OutputError::Io(file, e)),
                    // Gone already, or a file of this build where its folder was.
                    Err(_) => {}
                }
            }
            let mut parent = path.as_str();
            while let Some((p, _)) = parent.rsplit_once('/') {
                emptied.insert(p.to_string());
                parent = p;
            }
        }
        // Deepest first, so that a folder's emptied subfolders are gone when it is tried.
        let mut emptied: Vec<String> = emptied.into_iter().collect();
        emptied.sort_by_key(|p| std::cmp::Reverse(p.matches('/').count()));
        for p in emptied {
            let _ = std::fs::remove_dir(dir.join(p)); // only ever removes an empty folder
        }
        let mut written = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        written.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::with_capacity(MARKER_HEAD.len() + written.len() * 100);
        text.push_str(MARKER_HEAD);
        for (path, stamp) in &written {
            text.push_str(&stamp.line(path));
        }
        let marker = dir.join(MARKER);
        std::fs::write(&marker, text).map_err(io_err(&marker))
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
/// the folder cleared away, and a staging folder of its own to render into. The staging
/// folder is the previous version when there is one (`.<out>.prev`, the older of the two
/// trees), so that a rebuild rewrites only the files whose bytes changed; otherwise a new
/// folder. Dropping it without `publish` discards the staging folder; either way it waits
/// for the background deletion of leftovers, so nothing piles up beside the output.
pub struct Publication {
    out: PathBuf,
    staging: PathBuf,
    keep_previous: bool,
    published: bool,
    tree: Arc<Tree>,
    cleanup: Option<std::thread::JoinHandle<()>>,
    _lock: OutputLock,
}

impl Publication {
    /// Checks `out`, takes its lock (calling `on_wait` if another build holds it), clears
    /// leftovers and makes the staging folder (from the previous version when there is one).
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
            tree: Arc::new(Tree::empty()),
            cleanup: Some(cleanup),
            _lock: lock,
        };
        p.staging = staging_path(out);
        match reuse_previous(out, &p.staging) {
            Some(tree) => p.tree = Arc::new(tree),
            None => make_staging(&p.staging)?,
        }
        Ok(p)
    }

    /// The folder to render into.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The sink that renders into the staging folder (leaving unchanged files alone).
    pub fn sink(&self) -> DirSink {
        DirSink {
            dir: self.staging.clone(),
            tree: Some(self.tree.clone()),
        }
    }

    /// Switches the staging folder in as the output, atomically, after deleting what the
    /// previous version held and this build did not write. The replaced site becomes the
    /// previous version (`.<out>.prev`), or is deleted without `keep_previous`.
    pub fn publish(mut self) -> Result<(), OutputError> {
        self.tree.finish(&self.staging)?;
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

/// Moves what earlier builds left beside `out` out of the way at once (staging folders of
/// killed builds, unfinished deletions; ours by name and marker only) and deletes it in the
/// background, off the build's critical path. The previous version stays: the build renders
/// into it. Called under the lock, so no other build is using any of them.
fn clear_leftovers(out: &Path) -> std::thread::JoinHandle<()> {
    let (parent, name) = out_name(out);
    let prefixes = [
        format!(".{name}.staging-"),
        format!(".{name}.old-"),
        format!(".{name}.trash-"),
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

/// The staging folder of this build, beside `out`.
fn staging_path(out: &Path) -> PathBuf {
    let (parent, name) = out_name(out);
    parent.join(format!(".{name}.staging-{}", std::process::id()))
}

/// Makes the previous version (`.<out>.prev`, when Gazette made it) this build's staging
/// folder and lists its files; `None` when there is none or it cannot be used (then it is
/// deleted in the background like any leftover).
fn reuse_previous(out: &Path, staging: &Path) -> Option<Tree> {
    let previous = previous_path(out);
    if !previous.join(MARKER).is_file() || staging.exists() {
        return None;
    }
    std::fs::rename(&previous, staging).ok()?;
    match Tree::scan(staging) {
        Ok(tree) => Some(tree),
        Err(_) => {
            delete_marked(staging);
            None
        }
    }
}

/// A fresh staging folder, holding the marker.
fn make_staging(staging: &Path) -> Result<(), OutputError> {
    if let Some(parent) = staging.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    if staging.join(MARKER).exists() {
        delete_marked(staging);
    }
    std::fs::create_dir(staging).map_err(io_err(staging))?;
    std::fs::write(staging.join(MARKER), MARKER_HEAD).map_err(io_err(staging))?;
    Ok(())
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
        build_files(root, out, &[("index.html", text)]);
        if !keep {
            let p = Publication::begin(root, out, false, &|| {}).unwrap();
            p.sink().put("index.html", text.to_vec()).unwrap();
            p.publish().unwrap();
        }
    }

    /// One build that writes `files`, keeping the previous version.
    fn build_files(root: &Path, out: &Path, files: &[(&str, &[u8])]) {
        let p = Publication::begin(root, out, true, &|| {}).unwrap();
        let sink = p.sink();
        for (path, bytes) in files {
            sink.put(path, bytes.to_vec()).unwrap();
        }
        p.publish().unwrap();
    }

    fn stamp(path: &Path) -> (u64, std::time::SystemTime) {
        let m = std::fs::metadata(path).unwrap();
        (
            std::os::unix::fs::MetadataExt::ino(&m),
            m.modified().unwrap(),
        )
    }

    #[test]
    #[cfg(unix)]
    fn a_rebuild_writes_only_what_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("public");
        let v1: &[(&str, &[u8])] = &[
            ("index.html", b"home"),
            ("a/index.html", b"a one"),
            ("gone/deep/index.html", b"gone"),
            ("shape", b"a file that becomes a folder"),
            ("folder/x.html", b"a folder that becomes a file"),
        ];
        let v2: &[(&str, &[u8])] = &[
            ("index.html", b"home"),
            ("a/index.html", b"a two"),
            ("shape/index.html", b"now a folder"),
            ("folder", b"now a file"),
            ("new.html", b"new"),
        ];
        build_files(&root, &out, v1);
        build_files(&root, &out, v2);
        // The third build renders into the first one's tree.
        let prev = previous_path(&out);
        let (home, a) = (
            stamp(&prev.join("index.html")),
            stamp(&prev.join("a/index.html")),
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        build_files(&root, &out, v2);
        for (path, bytes) in v2 {
            assert_eq!(std::fs::read(out.join(path)).unwrap(), *bytes, "{path}");
        }
        assert_eq!(
            stamp(&out.join("index.html")),
            home,
            "unchanged: same inode and time"
        );
        let a2 = stamp(&out.join("a/index.html"));
        assert_eq!(a2.0, a.0, "changed: rewritten in place");
        assert_ne!(a2.1, a.1, "changed: a new time");
        assert!(
            !out.join("gone").exists(),
            "what was not written is gone, folders too"
        );
        let mut all: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .collect();
        all.sort();
        assert_eq!(
            all,
            [
                MARKER,
                "a/index.html",
                "folder",
                "index.html",
                "new.html",
                "shape/index.html"
            ]
        );
        // A fourth build changes nothing, and keeps even the changed file's time.
        let a3 = stamp(&prev.join("a/index.html"));
        build_files(&root, &out, v2);
        assert_eq!(stamp(&out.join("a/index.html")), a3);
    }

    #[test]
    #[cfg(unix)]
    fn a_file_in_parts_is_written_whole_and_kept_when_a_whole_write_would_be() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("public");
        let whole: &[u8] = b"{\"a\":[1,2]}";
        let parts = || {
            vec![
                b"{\"a\":[".to_vec(),
                b"1,".to_vec(),
                Vec::new(),
                b"2]}".to_vec(),
            ]
        };
        let in_parts = || {
            let p = Publication::begin(&root, &out, true, &|| {}).unwrap();
            p.sink().put_parts("all.json", parts()).unwrap();
            p.publish().unwrap();
        };
        // Two builds write the file whole; the third renders into the first one's tree and
        // gives it in parts: they hash as the whole bytes do, so the file is kept.
        build_files(&root, &out, &[("all.json", whole)]);
        build_files(&root, &out, &[("all.json", whole)]);
        let before = stamp(&previous_path(&out).join("all.json"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        in_parts();
        assert_eq!(std::fs::read(out.join("all.json")).unwrap(), whole);
        assert_eq!(
            stamp(&out.join("all.json")),
            before,
            "unchanged: same inode and time"
        );
        // Into a fresh folder too, the parts make the whole file.
        std::fs::remove_dir_all(&out).unwrap();
        std::fs::remove_dir_all(previous_path(&out)).unwrap();
        in_parts();
        assert_eq!(std::fs::read(out.join("all.json")).unwrap(), whole);
        // A memory sink joins them.
        let mem = MemSink::default();
        mem.put_parts("x.json", parts()).unwrap();
        assert_eq!(mem.into_files()["x.json"], whole);
    }

    #[test]
    #[cfg(unix)]
    fn a_file_changed_by_hand_is_written_again_and_links_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("public");
        let files: &[(&str, &[u8])] = &[("index.html", b"home"), ("b.html", b"bbbb")];
        build_files(&root, &out, files);
        build_files(&root, &out, files);
        let prev = previous_path(&out);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(prev.join("index.html"), b"HOME").unwrap(); // same size
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, b"keep").unwrap();
        std::fs::remove_file(prev.join("b.html")).unwrap();
        std::os::unix::fs::symlink(&outside, prev.join("b.html")).unwrap();
        build_files(&root, &out, files);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"home");
        assert_eq!(std::fs::read(out.join("b.html")).unwrap(), b"bbbb");
        assert!(!std::fs::symlink_metadata(out.join("b.html"))
            .unwrap()
            .is_symlink());
        assert_eq!(std::fs::read(&outside).unwrap(), b"keep");
    }

    #[test]
    fn a_tree_without_a_list_of_files_is_read_and_cleaned() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("public");
        let prev = previous_path(&out);
        // What an older Gazette left: a marker of one line, no list.
        std::fs::create_dir_all(prev.join("old")).unwrap();
        std::fs::write(prev.join(MARKER), "Made by Gazette.\n").unwrap();
        std::fs::write(prev.join("old/index.html"), "old").unwrap();
        std::fs::write(prev.join("index.html"), "older home").unwrap();
        build_files(&root, &out, &[("index.html", b"home")]);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"home");
        assert!(!out.join("old").exists());
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
