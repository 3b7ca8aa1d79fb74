//! The site being served, swapped as a whole. A rebuild replaces the snapshot first and
//! only then wakes the waiting browsers, so a page never reloads into a half-built site
//! (zola#2626), and a browser that asks after the swap is answered at once (zola#10).

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// One complete version of what the server shows.
#[derive(Debug)]
pub struct Snapshot {
    /// The last good site (empty until a first build succeeded).
    pub files: Arc<BTreeMap<String, Vec<u8>>>,
    /// Whether `files` holds a built site at all.
    pub has_site: bool,
    /// Plain-text diagnostics of the last failed rebuild, shown on every page.
    pub error: Option<String>,
    /// Changes on every swap; pages carry it so they know when they are stale.
    pub token: String,
}

pub struct Live {
    instance: String,
    version: Mutex<(u64, Arc<Snapshot>)>,
    changed: Condvar,
}

impl Live {
    pub fn new() -> Self {
        // Distinguishes server runs, so a page from an earlier run reloads after a restart.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let instance = format!("{:x}{:x}", std::process::id(), nanos & 0xffff_ffff);
        let first = Arc::new(Snapshot {
            files: Arc::new(BTreeMap::new()),
            has_site: false,
            error: None,
            token: format!("{instance}-0"),
        });
        Live {
            instance,
            version: Mutex::new((0, first)),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, (u64, Arc<Snapshot>)> {
        // A panic elsewhere cannot leave the pair half-written (it is replaced whole).
        self.version.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn current(&self) -> Arc<Snapshot> {
        self.lock().1.clone()
    }

    /// Swaps in a freshly built site (and clears any error), then wakes the browsers.
    pub fn publish_site(&self, files: BTreeMap<String, Vec<u8>>) {
        self.swap(|_| (Arc::new(files), true, None));
    }

    /// Keeps the last good site but shows `error` on it, then wakes the browsers.
    pub fn publish_error(&self, error: String) {
        self.swap(|old| (old.files.clone(), old.has_site, Some(error)));
    }

    fn swap(
        &self,
        make: impl FnOnce(&Snapshot) -> (Arc<BTreeMap<String, Vec<u8>>>, bool, Option<String>),
    ) {
        let mut guard = self.lock();
        let (files, has_site, error) = make(&guard.1);
        let version = guard.0 + 1;
        *guard = (
            version,
            Arc::new(Snapshot {
                files,
                has_site,
                error,
                token: format!("{}-{version}", self.instance),
            }),
        );
        drop(guard);
        self.changed.notify_all();
    }

    /// Waits until the served site differs from the one with token `since`, or `timeout`.
    /// Returns true when the page holding `since` should reload.
    pub fn wait_for_change(&self, since: &str, timeout: Duration) -> bool {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |(_, snap)| snap.token == since)
            .unwrap_or_else(|p| p.into_inner());
        guard.1.token != since
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_before_the_poll_is_not_missed() {
        let live = Live::new();
        let token = live.current().token.clone();
        live.publish_site(BTreeMap::from([("index.html".into(), b"1".to_vec())]));
        // The page asks only now: it is told to reload immediately.
        assert!(live.wait_for_change(&token, Duration::from_secs(5)));
    }

    #[test]
    fn waiting_ends_on_swap_and_sees_the_complete_site() {
        let live = Arc::new(Live::new());
        live.publish_site(BTreeMap::from([("index.html".into(), b"old".to_vec())]));
        let token = live.current().token.clone();
        assert!(!live.wait_for_change(&token, Duration::from_millis(20)));
        let l2 = live.clone();
        let waiter = std::thread::spawn(move || {
            let reload = l2.wait_for_change(&token, Duration::from_secs(10));
            (reload, l2.current().files.get("index.html").cloned())
        });
        std::thread::sleep(Duration::from_millis(50));
        live.publish_site(BTreeMap::from([("index.html".into(), b"new".to_vec())]));
        let (reload, seen) = waiter.join().unwrap();
        assert!(reload);
        assert_eq!(seen.as_deref(), Some(&b"new"[..]));
    }

    #[test]
    fn an_error_keeps_the_last_good_files() {
        let live = Live::new();
        live.publish_site(BTreeMap::from([("index.html".into(), b"good".to_vec())]));
        live.publish_error("boom".into());
        let s = live.current();
        assert_eq!(s.files.get("index.html").unwrap(), b"good");
        assert_eq!(s.error.as_deref(), Some("boom"));
        assert!(s.has_site);
        live.publish_site(BTreeMap::from([("index.html".into(), b"fixed".to_vec())]));
        assert!(live.current().error.is_none());
    }
}
