//! The site being served, swapped as a whole. A rebuild replaces the snapshot first and
//! only then wakes the waiting browsers, so a page never reloads into a half-built site
//! (zola#2626), and a browser that asks after the swap is answered at once (zola#10).
//!
//! An edit is served in two steps (the pages, then the complete site with its search
//! index and downloads). Each waiting page is told to reload only if *its* HTML changed,
//! so an open page reloads once per edit, not once per step.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

type Files = Arc<BTreeMap<String, Vec<u8>>>;

/// One complete version of what the server shows.
#[derive(Debug)]
pub(super) struct Snapshot {
    /// The last good site (empty until a first build succeeded).
    pub files: Files,
    /// Where files missing from `files` are looked up: after a pages-only rebuild, the
    /// last complete site (its search page and index, downloads and feeds).
    pub fallback: Option<Files>,
    /// Whether `files` holds a built site at all.
    pub has_site: bool,
    /// Plain-text diagnostics of the last failed rebuild, shown on every page.
    pub error: Option<String>,
    /// Changes on every swap; pages carry it so they know when they are stale.
    pub token: String,
}

impl Snapshot {
    pub(super) fn get(&self, key: &str) -> Option<&Vec<u8>> {
        self.files
            .get(key)
            .or_else(|| self.fallback.as_ref().and_then(|f| f.get(key)))
    }

    pub(super) fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn html(&self) -> BTreeMap<&str, &Vec<u8>> {
        let mut pages: BTreeMap<&str, &Vec<u8>> = BTreeMap::new();
        for map in self.fallback.iter().chain([&self.files]) {
            for (k, v) in map.iter().filter(|(k, _)| k.ends_with(".html")) {
                pages.insert(k, v);
            }
        }
        pages
    }
}

/// What a swap changed, for the pages waiting on an older version.
#[derive(Debug)]
enum Changed {
    Everything,
    /// Only these pages (keys of `files`) differ; the others need no reload.
    Pages(BTreeSet<String>),
}

/// How many swaps are remembered; a page older than that simply reloads.
const HISTORY: usize = 64;

struct State {
    version: u64,
    snap: Arc<Snapshot>,
    /// `(version, what the swap to it changed)`, oldest first.
    recent: VecDeque<(u64, Changed)>,
}

/// The answer to a waiting page.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Poll {
    /// The page is stale: reload it.
    Reload,
    /// The site changed, but not this page: keep waiting with this newer token.
    Current(String),
    /// Nothing changed before the timeout.
    Unchanged,
}

pub(super) struct Live {
    instance: String,
    state: Mutex<State>,
    changed: Condvar,
}

impl Live {
    pub(super) fn new() -> Self {
        // Distinguishes server runs, so a page from an earlier run reloads after a restart.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let instance = format!("{:x}{:x}", std::process::id(), nanos & 0xffff_ffff);
        let first = Arc::new(Snapshot {
            files: Arc::new(BTreeMap::new()),
            fallback: None,
            has_site: false,
            error: None,
            token: format!("{instance}-0"),
        });
        Live {
            instance,
            state: Mutex::new(State {
                version: 0,
                snap: first,
                recent: VecDeque::new(),
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the state half-written (it is replaced whole).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn current(&self) -> Arc<Snapshot> {
        self.lock().snap.clone()
    }

    /// Swaps in a freshly built site (and clears any error), then wakes the browsers.
    pub(super) fn publish_site(&self, files: BTreeMap<String, Vec<u8>>) {
        self.swap(|_| (Arc::new(files), None, true, None));
    }

    /// Swaps in the pages of a quick rebuild. What they lack (search page and index,
    /// downloads, feeds) is served from the last complete site until `complete_site`.
    pub(super) fn publish_pages(&self, pages: BTreeMap<String, Vec<u8>>) {
        self.swap(|old| {
            let fallback = old.fallback.clone().unwrap_or_else(|| old.files.clone());
            (Arc::new(pages), Some(fallback), true, None)
        });
    }

    /// Swaps in the complete site that follows `publish_pages`. Only the pages whose
    /// HTML differs from what was served are told to reload.
    pub(super) fn complete_site(&self, files: BTreeMap<String, Vec<u8>>) {
        // Compared outside the lock, so requests are not held up: only the rebuild thread
        // swaps, so `old` is still current when the result is installed.
        let old = self.current();
        let changed = if old.error.is_some() || !old.has_site {
            Changed::Everything
        } else {
            let before = old.html();
            let mut differ: BTreeSet<String> = before
                .keys()
                .filter(|k| !files.contains_key(**k))
                .map(|k| k.to_string())
                .collect();
            for (k, v) in files.iter().filter(|(k, _)| k.ends_with(".html")) {
                if before.get(k.as_str()) != Some(&v) {
                    differ.insert(k.clone());
                }
            }
            Changed::Pages(differ)
        };
        let mut guard = self.lock();
        self.install(&mut guard, changed, Arc::new(files), None, true, None);
    }

    /// Keeps the last good site but shows `error` on it, then wakes the browsers.
    pub(super) fn publish_error(&self, error: String) {
        self.swap(|old| {
            (
                old.files.clone(),
                old.fallback.clone(),
                old.has_site,
                Some(error),
            )
        });
    }

    fn swap(&self, make: impl FnOnce(&Snapshot) -> (Files, Option<Files>, bool, Option<String>)) {
        let mut guard = self.lock();
        let (files, fallback, has_site, error) = make(&guard.snap);
        self.install(
            &mut guard,
            Changed::Everything,
            files,
            fallback,
            has_site,
            error,
        );
    }

    fn install(
        &self,
        state: &mut MutexGuard<'_, State>,
        changed: Changed,
        files: Files,
        fallback: Option<Files>,
        has_site: bool,
        error: Option<String>,
    ) {
        state.version += 1;
        let version = state.version;
        state.snap = Arc::new(Snapshot {
            files,
            fallback,
            has_site,
            error,
            token: format!("{}-{version}", self.instance),
        });
        state.recent.push_back((version, changed));
        if state.recent.len() > HISTORY {
            state.recent.pop_front();
        }
        self.changed.notify_all();
    }

    /// Waits until the site differs from the version with token `since`, or `timeout`,
    /// and says whether the page `page` (a file key, e.g. `lists/index.html`) is stale.
    pub(super) fn wait_for_change(&self, since: &str, page: &str, timeout: Duration) -> Poll {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.snap.token == since)
            .unwrap_or_else(|p| p.into_inner());
        if guard.snap.token == since {
            return Poll::Unchanged;
        }
        let Some(seen) = since
            .strip_prefix(self.instance.as_str())
            .and_then(|v| v.strip_prefix('-'))
            .and_then(|v| v.parse::<u64>().ok())
        else {
            return Poll::Reload;
        };
        let remembered = guard.recent.front().is_some_and(|(v, _)| *v <= seen + 1);
        let stale = !remembered
            || guard
                .recent
                .iter()
                .filter(|(v, _)| *v > seen)
                .any(|(_, c)| match c {
                    Changed::Everything => true,
                    Changed::Pages(keys) => keys.contains(page),
                });
        if stale {
            Poll::Reload
        } else {
            Poll::Current(guard.snap.token.clone())
        }
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
        assert_eq!(
            live.wait_for_change(&token, "index.html", Duration::from_secs(5)),
            Poll::Reload
        );
    }

    #[test]
    fn waiting_ends_on_swap_and_sees_the_complete_site() {
        let live = Arc::new(Live::new());
        live.publish_site(BTreeMap::from([("index.html".into(), b"old".to_vec())]));
        let token = live.current().token.clone();
        assert_eq!(
            live.wait_for_change(&token, "index.html", Duration::from_millis(20)),
            Poll::Unchanged
        );
        let l2 = live.clone();
        let waiter = std::thread::spawn(move || {
            let reload = l2.wait_for_change(&token, "index.html", Duration::from_secs(10));
            (reload, l2.current().files.get("index.html").cloned())
        });
        std::thread::sleep(Duration::from_millis(50));
        live.publish_site(BTreeMap::from([("index.html".into(), b"new".to_vec())]));
        let (reload, seen) = waiter.join().unwrap();
        assert_eq!(reload, Poll::Reload);
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

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn completing_reloads_only_the_pages_that_differ() {
        let live = Live::new();
        live.publish_site(site(&[
            ("a.html", "a1"),
            ("b.html", "b1"),
            ("search/index.html", "s1"),
            ("search/1/m.json", "i1"),
        ]));
        let before = live.current().token.clone();
        // The pages step: a page changed, the search index is still the old one.
        live.publish_pages(site(&[("a.html", "a2"), ("b.html", "b1")]));
        let pages = live.current();
        assert_eq!(pages.get("search/1/m.json").unwrap(), b"i1");
        assert_eq!(pages.get("search/index.html").unwrap(), b"s1");
        let zero = Duration::ZERO;
        // Every page open before the edit reloads after the pages step.
        assert_eq!(live.wait_for_change(&before, "b.html", zero), Poll::Reload);
        // The complete step: only the search page differs from what was just served.
        live.complete_site(site(&[
            ("a.html", "a2"),
            ("b.html", "b1"),
            ("search/index.html", "s2"),
            ("search/2/m.json", "i2"),
        ]));
        let now = live.current();
        assert!(now.get("search/1/m.json").is_none());
        let current = Poll::Current(now.token.clone());
        assert_eq!(live.wait_for_change(&pages.token, "a.html", zero), current);
        assert_eq!(live.wait_for_change(&pages.token, "b.html", zero), current);
        assert_eq!(
            live.wait_for_change(&pages.token, "search/index.html", zero),
            Poll::Reload
        );
        // A page served before both steps still reloads.
        assert_eq!(live.wait_for_change(&before, "b.html", zero), Poll::Reload);
        // An unknown or foreign token reloads.
        assert_eq!(live.wait_for_change("x-1", "b.html", zero), Poll::Reload);
    }

    #[test]
    fn completing_after_an_error_reloads_everything() {
        let live = Live::new();
        live.publish_site(site(&[("a.html", "a1")]));
        live.publish_pages(site(&[("a.html", "a1")]));
        live.publish_error("broken".into());
        let token = live.current().token.clone();
        live.complete_site(site(&[("a.html", "a1")]));
        assert_eq!(
            live.wait_for_change(&token, "a.html", Duration::ZERO),
            Poll::Reload
        );
    }
}
