//! A folder as a deploy target: the web server's document root, or a share mounted from it.
//!
//! Each file is written beside its final place under a hidden temporary name and renamed
//! over it, so the web server only ever serves a whole old file or a whole new one; a
//! deploy killed mid-write leaves a hidden `.gazette-tmp-…` file that the next deploy
//! removes. Nothing is written or deleted outside the folder: paths are checked, and no
//! symbolic link inside it is followed. Hidden files and folders (`.htaccess`,
//! `.well-known/`) are never listed, so never deleted.
//!
//! Gazette's own hidden files there: the deploy manifest (`.gazette-deploy.json`, what this
//! site's deploys put there) and the lock file (`.gazette-deploy.lock`), which a running
//! deploy holds locked (an advisory lock the operating system drops when the process ends,
//! however it ends), so that two deploys to one folder take turns and a deploy only ever
//! removes temporary files of killed deploys.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use md5::Digest;
use rayon::prelude::*;

use super::headers::Headers;
use super::plan::RemoteFile;
use super::{is_hidden, DeployError, Store, TargetLock, LOCK_NAME};

const TMP_PREFIX: &str = ".gazette-tmp-";

pub(crate) struct FolderStore {
    dir: PathBuf,
    dry_run: bool,
    counter: AtomicU64,
}

impl FolderStore {
    /// Opens (and unless `dry_run`, creates) the folder. Its parent must exist: a missing
    /// parent usually means a share that is not mounted, and deploying into a new local
    /// folder instead would publish nothing.
    pub(crate) fn open(dir: &Path, dry_run: bool) -> Result<FolderStore, DeployError> {
        let dir = crate::output::absolute(dir);
        let io = |e| DeployError::Io(dir.clone(), e);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.file_type().is_symlink() && dir.is_dir() => {}
            Ok(_) => {
                return Err(DeployError::Refused(format!(
                    "部署目标 {} 已存在，但不是文件夹 (the target exists and is not a folder)",
                    dir.display()
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let parent = dir.parent().unwrap_or(Path::new("/"));
                if !parent.is_dir() {
                    return Err(DeployError::Refused(format!(
                        "部署目标的上级文件夹 {} 不存在（共享盘是否已挂载？）(the target's parent folder does not exist: is the share mounted?)",
                        parent.display()
                    )));
                }
                if !dry_run {
                    std::fs::create_dir(&dir).map_err(io)?;
                }
            }
            Err(e) => return Err(io(e)),
        }
        let dir = if dir.exists() {
            dir.canonicalize().map_err(io)?
        } else {
            dir
        };
        Ok(FolderStore {
            dir,
            dry_run,
            counter: AtomicU64::new(0),
        })
    }

    /// Makes the folders of `rel_dir` under the target, refusing to pass through anything
    /// but real folders (a symbolic link could lead outside the target).
    fn ensure_dir(&self, rel_dir: &str) -> Result<PathBuf, DeployError> {
        let mut cur = self.dir.clone();
        for part in rel_dir.split('/').filter(|p| !p.is_empty()) {
            cur.push(part);
            match std::fs::symlink_metadata(&cur) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(DeployError::Refused(format!(
                        "{} 是文件或符号链接，不是文件夹，拒绝写入 (refusing to write through a file or symbolic link)",
                        cur.display()
                    )))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    match std::fs::create_dir(&cur) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && cur.is_dir() => {}
                        Err(e) => return Err(DeployError::Io(cur, e)),
                    }
                }
                Err(e) => return Err(DeployError::Io(cur, e)),
            }
        }
        Ok(cur)
    }

    /// Whether every folder of `rel_dir` is a real folder (no symbolic link on the way).
    fn real_dirs(&self, rel_dir: &str) -> bool {
        let mut cur = self.dir.clone();
        rel_dir.split('/').filter(|p| !p.is_empty()).all(|part| {
            cur.push(part);
            std::fs::symlink_metadata(&cur).is_ok_and(|m| m.is_dir())
        })
    }
}

/// The folder's lock file, locked.
struct FolderLock {
    _file: std::fs::File,
}

impl TargetLock for FolderLock {}

fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

impl Store for FolderStore {
    fn describe(&self) -> String {
        self.dir.display().to_string()
    }

    fn lock(&self, on_wait: &dyn Fn(&str)) -> Result<Box<dyn TargetLock>, DeployError> {
        let path = self.dir.join(LOCK_NAME);
        let io = |e| DeployError::Io(path.clone(), e);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(DeployError::Refused(format!(
                "{} 不是普通文件，拒绝使用 (the lock file is not a plain file)",
                path.display()
            )));
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait("另一个 gazette deploy 进程 (another gazette deploy)");
                file.lock().map_err(io)?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        Ok(Box::new(FolderLock { _file: file }))
    }

    fn read_meta(&self, name: &str) -> Result<Option<String>, DeployError> {
        let path = self.dir.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                return Err(DeployError::Refused(format!(
                    "{} 不是普通文件，拒绝读取 (not a plain file)",
                    path.display()
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DeployError::Io(path, e)),
        }
        let bytes = std::fs::read(&path).map_err(|e| DeployError::Io(path.clone(), e))?;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }

    fn write_meta(&self, name: &str, text: &str) -> Result<(), DeployError> {
        let path = self.dir.join(name);
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!("{TMP_PREFIX}{}-{n}", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(DeployError::Io(tmp, e));
        }
        if let Err(e) = std::fs::rename(&tmp, &path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(DeployError::Io(path, e));
        }
        Ok(())
    }

    fn list(&self) -> Result<Vec<RemoteFile>, DeployError> {
        if !self.dir.exists() {
            return Ok(Vec::new());
        }
        let mut found: Vec<(String, PathBuf)> = Vec::new();
        let walker = walkdir::WalkDir::new(&self.dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_name().to_string_lossy().starts_with('.')
                    || e.file_name().to_string_lossy().starts_with(TMP_PREFIX)
            });
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&self.dir).to_path_buf();
                DeployError::Io(path, e.into())
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if name.starts_with(TMP_PREFIX) {
                // Left by a deploy that was killed while writing this file: no other deploy
                // is running (this one holds the target's lock; a dry run removes nothing).
                if !self.dry_run {
                    let _ = std::fs::remove_file(entry.path());
                }
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.dir) else {
                continue;
            };
            // Names that are not UTF-8 are not ours: never touched.
            let Some(rel) = rel.to_str() else { continue };
            let rel = rel.replace(std::path::MAIN_SEPARATOR, "/");
            if crate::output::check_site_path(&rel).is_err() || is_hidden(&rel) {
                continue;
            }
            found.push((rel, entry.path().to_path_buf()));
        }
        found
            .par_iter()
            .map(|(rel, path)| {
                let bytes = std::fs::read(path).map_err(|e| DeployError::Io(path.clone(), e))?;
                Ok(RemoteFile {
                    path: rel.clone(),
                    size: bytes.len() as u64,
                    md5: Some(md5::Md5::digest(&bytes).into()),
                })
            })
            .collect()
    }

    fn put(
        &self,
        path: &str,
        bytes: &[u8],
        _md5: &[u8; 16],
        _headers: &Headers,
    ) -> Result<(), DeployError> {
        crate::output::check_site_path(path).map_err(|e| DeployError::Refused(e.to_string()))?;
        let (dir, name) = split(path);
        let parent = self.ensure_dir(dir)?;
        let target = parent.join(name);
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!("{TMP_PREFIX}{}-{n}", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(DeployError::Io(tmp, e));
        }
        if let Err(e) = std::fs::rename(&tmp, &target) {
            let _ = std::fs::remove_file(&tmp);
            return Err(DeployError::Io(target, e));
        }
        Ok(())
    }

    fn delete(&self, paths: &[String]) -> Result<usize, DeployError> {
        let mut deleted = 0;
        for path in paths {
            crate::output::check_site_path(path)
                .map_err(|e| DeployError::Refused(e.to_string()))?;
            let (dir, _) = split(path);
            if !self.real_dirs(dir) {
                continue;
            }
            let file = self.dir.join(path);
            match std::fs::symlink_metadata(&file) {
                Ok(m) if m.is_file() => {
                    std::fs::remove_file(&file).map_err(|e| DeployError::Io(file.clone(), e))?
                }
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(DeployError::Io(file, e)),
            }
            deleted += 1;
            // Remove folders left empty, up to (not including) the target itself.
            let mut d = dir;
            while !d.is_empty() {
                if std::fs::remove_dir(self.dir.join(d)).is_err() {
                    break;
                }
                d = split(d).0;
            }
        }
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(unix), allow(dead_code))]
    fn headers() -> Headers {
        Headers {
            content_type: "text/html; charset=utf-8".into(),
            cache_control: "public, max-age=300".into(),
        }
    }

    #[cfg(unix)] // the symbolic link it plants
    #[test]
    fn writes_lists_and_deletes_inside_the_folder_only() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("www");
        let store = FolderStore::open(&target, false).unwrap();
        store
            .put("districts/中山区/index.html", b"x", &[0; 16], &headers())
            .unwrap();
        store
            .put("index.html", b"home", &[0; 16], &headers())
            .unwrap();
        std::fs::create_dir_all(target.join(".well-known")).unwrap();
        std::fs::write(target.join(".well-known/acme"), "keep").unwrap();
        std::fs::write(target.join(".htaccess"), "keep").unwrap();
        std::fs::write(target.join(".gazette-tmp-1-1"), "half").unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.html"), "no").unwrap();
        std::os::unix::fs::symlink(&outside, target.join("linked")).unwrap();

        let mut listed = store.list().unwrap();
        listed.sort_by(|a, b| a.path.cmp(&b.path));
        let paths: Vec<&str> = listed.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["districts/中山区/index.html", "index.html"]);
        assert_eq!(listed[1].size, 4);
        assert!(
            !target.join(".gazette-tmp-1-1").exists(),
            "leftovers removed"
        );

        assert!(store
            .put("linked/x.html", b"no", &[0; 16], &headers())
            .is_err());
        assert!(!outside.join("x.html").exists());
        assert!(store.put("../x.html", b"no", &[0; 16], &headers()).is_err());
        assert_eq!(store.delete(&["linked/secret.html".into()]).unwrap(), 0);
        assert!(outside.join("secret.html").exists());

        assert_eq!(
            store
                .delete(&["districts/中山区/index.html".into()])
                .unwrap(),
            1
        );
        assert!(!target.join("districts").exists(), "empty folders removed");
        assert!(target.join(".htaccess").exists() && target.join(".well-known/acme").exists());
        let left: Vec<String> = std::fs::read_dir(&target)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(TMP_PREFIX))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_missing_parent_is_refused_and_dry_run_creates_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(FolderStore::open(&tmp.path().join("not-mounted/site"), false).is_err());
        let store = FolderStore::open(&tmp.path().join("new"), true).unwrap();
        assert!(store.list().unwrap().is_empty());
        assert!(!tmp.path().join("new").exists());
    }
}
