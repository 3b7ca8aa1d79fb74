//! Watching the site's sources: editor bursts become one rebuild, and editors' swap and
//! backup files are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

/// The folders whose changes trigger a rebuild (those that exist are watched).
pub(super) const WATCHED: [&str; 5] = ["content", "data", "themes", "templates", "static"];

/// Quiet time that ends a burst of events (an editor's save is several events).
const QUIET: Duration = Duration::from_millis(80);
/// A burst never delays a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_millis(1000);

pub(super) struct SourceWatcher {
    // Kept alive: dropping it stops the events.
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<PathBuf>,
    root: PathBuf,
}

impl SourceWatcher {
    /// Starts watching the source folders under `root` (an absolute path).
    pub(super) fn start(root: &Path) -> Result<Self, String> {
        let (tx, rx) = mpsc::channel();
        let root_owned = root.to_path_buf();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for p in event.paths {
                if is_relevant(&root_owned, &p) {
                    let _ = tx.send(p);
                }
            }
        })
        .map_err(|e| format!("无法监视文件的改动：{e} (cannot watch for changes)"))?;
        let mut any = false;
        for dir in WATCHED {
            let d = root.join(dir);
            if d.is_dir() {
                watcher
                    .watch(&d, RecursiveMode::Recursive)
                    .map_err(|e| {
                        format!(
                            "无法监视 {} 的改动：{e} (cannot watch)；Linux 上可能是监视数量到了上限（fs.inotify.max_user_watches）",
                            gazette::diag::display_path(&d)
                        )
                    })?;
                any = true;
            }
        }
        if !any {
            return Err(format!(
                "{} 中没有 content/、data/ 或 themes/，不像是网站文件夹 (nothing to watch)；--root 要指向包含 content/ 和 data/ 的文件夹",
                gazette::diag::display_path(root)
            ));
        }
        Ok(SourceWatcher {
            _watcher: watcher,
            rx,
            root: root.to_path_buf(),
        })
    }

    /// Blocks until something changed, then until the burst is over. Returns the changed
    /// paths relative to the root, or `None` if watching stopped.
    pub(super) fn next_batch(&self) -> Option<BTreeSet<PathBuf>> {
        let first = self.rx.recv().ok()?;
        let started = Instant::now();
        let mut batch = BTreeSet::new();
        batch.insert(self.relative(first));
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.rx.recv_timeout(QUIET.min(left)) {
                Ok(p) => {
                    batch.insert(self.relative(p));
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    fn relative(&self, p: PathBuf) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or(p)
    }
}

/// True for files in the watched folders, except hidden files and editors' temporary,
/// swap and backup files.
pub(super) fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let Some(top) = parts.next() else {
        return false;
    };
    if !WATCHED.iter().any(|w| top.as_os_str() == *w) {
        return false;
    }
    for part in rel.components() {
        if part.as_os_str().to_string_lossy().starts_with('.') {
            return false;
        }
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let temporary = name.ends_with('~')
        || name.starts_with('#')
        || name == "4913" // vim's probe file
        || name.contains("___jb_") // JetBrains safe write
        || [
            ".swp", ".swo", ".swx", ".tmp", ".temp", ".bak", ".orig", ".part", ".crdownload",
            ".kate-swp", ".lock",
        ]
        .iter()
        .any(|ext| name.ends_with(ext));
    !temporary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_count_and_editor_droppings_do_not() {
        let root = Path::new("/site");
        for p in [
            "/site/data/site.toml",
            "/site/data/lists/2026-q1-application.toml",
            "/site/content/notice.md",
            "/site/themes/default/templates/base.html",
            "/site/static/files/a.pdf",
        ] {
            assert!(is_relevant(root, Path::new(p)), "{p}");
        }
        for p in [
            "/site/public/index.html",
            "/site/data/.site.toml.swp",
            "/site/data/site.toml~",
            "/site/data/#site.toml#",
            "/site/data/.#site.toml",
            "/site/data/4913",
            "/site/data/site.toml.tmp",
            "/site/data/lists/x.toml___jb_tmp___",
            "/site/content/.git/HEAD",
            "/site/data/.goutputstream-ABC123",
            "/elsewhere/data/site.toml",
            "/site",
        ] {
            assert!(!is_relevant(root, Path::new(p)), "{p}");
        }
    }
}
