//! Writing the files staff keep under `data/`, safely against crashes and against each
//! other: every writer holds the site's data lock (`data/.gazette.lock`), re-reads the
//! file under it, and then replaces it atomically (a temporary file renamed over it) or
//! creates it only if it still does not exist. Two `gazette import --append` runs at once
//! therefore take turns, and a file that appeared meanwhile is never overwritten.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The lock file every writer of `data/` holds (hidden: the loader skips it).
pub(crate) const LOCK_FILE: &str = "data/.gazette.lock";

/// Held while a command reads, changes and writes data files.
#[derive(Debug)]
pub(crate) struct DataLock {
    _file: File,
}

/// Takes the data lock of the site at `root`; when another command holds it, calls
/// `on_wait` once and waits.
pub(crate) fn lock_data(root: &Path, on_wait: &dyn Fn()) -> io::Result<DataLock> {
    let path = root.join(LOCK_FILE);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            on_wait();
            file.lock()?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    remove_stale_temporaries(root);
    Ok(DataLock { _file: file })
}

/// Under the data lock no other writer is running, so every temporary file of ours
/// (`.<name>.<pid>.gazette-tmp`) under `data/` or `content/` was left by a command that was
/// killed mid-write: a full copy of a list that would otherwise stay there for good.
/// Removes them; a file that cannot be removed stays (the loader skips hidden files).
fn remove_stale_temporaries(root: &Path) {
    for dir in ["data", "content"] {
        let walk = walkdir::WalkDir::new(root.join(dir))
            .follow_links(false)
            .max_depth(8);
        for entry in walk.into_iter().flatten() {
            if entry.file_type().is_file()
                && is_temporary_name(&entry.file_name().to_string_lossy())
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Whether `name` is one of our temporary files: `.<name>.<pid>.gazette-tmp`.
fn is_temporary_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".gazette-tmp"))
    else {
        return false;
    };
    stem.rsplit_once('.').is_some_and(|(file, pid)| {
        !file.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The text of a file, or `None` when it does not exist.
pub(crate) fn read_optional(path: &Path) -> io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A hidden temporary file beside `path`, written and flushed to disk.
fn temporary(path: &Path, text: &str) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.gazette-tmp", std::process::id()));
    let written = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Replaces `path` with `text` in one rename: a crash leaves the old file or the new one.
pub(crate) fn replace(path: &Path, text: &str) -> io::Result<()> {
    let tmp = temporary(path, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Creates `path` with `text`, whole or not at all, failing with `AlreadyExists` if a file
/// is there (whoever put it there, even an editor outside Gazette).
pub(crate) fn create_new(path: &Path, text: &str) -> io::Result<()> {
    let tmp = temporary(path, text)?;
    // A hard link never replaces an existing file; the content is complete before it
    // appears. File systems without hard links fall back to create_new and a write.
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_and_nothing_else() {
        assert!(is_temporary_name(
            ".2026-q3-application.toml.4242.gazette-tmp"
        ));
        assert!(!is_temporary_name("2026-q3-application.toml"));
        assert!(!is_temporary_name(".2026-q3.toml.gazette-tmp"));
        assert!(!is_temporary_name(".x.toml.12a.gazette-tmp"));
        assert!(!is_temporary_name(".gazette.lock"));
    }

    #[test]
    fn taking_the_lock_removes_temporaries_left_by_a_killed_writer() {
        let dir = tempfile::tempdir().unwrap();
        let lists = dir.path().join("data/lists");
        std::fs::create_dir_all(&lists).unwrap();
        let stale = lists.join(".2026-q3-application.toml.99999.gazette-tmp");
        let mine = lists.join("notes.gazette-tmp.toml");
        std::fs::write(&stale, "a copy of the list").unwrap();
        std::fs::write(&mine, "the clerk's own file").unwrap();
        let _lock = lock_data(dir.path(), &|| {}).unwrap();
        assert!(!stale.exists(), "the stale temporary is removed");
        assert!(mine.exists(), "a file of another name is kept");
    }

    #[test]
    fn create_new_never_overwrites_and_replace_does() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("data/lists/x.toml");
        create_new(&p, "one").unwrap();
        let e = create_new(&p, "two").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        replace(&p, "three").unwrap();
        assert_eq!(read_optional(&p).unwrap().as_deref(), Some("three"));
        let left: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }

    #[test]
    fn writers_take_turns() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let p = root.join("data/n.txt");
        replace(&p, "0").unwrap();
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (root, p) = (root.clone(), p.clone());
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        let _lock = lock_data(&root, &|| {}).unwrap();
                        let n: u32 = read_optional(&p).unwrap().unwrap().parse().unwrap();
                        replace(&p, &(n + 1).to_string()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "200");
    }
}
