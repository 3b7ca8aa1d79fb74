//! Answering requests from the in-memory snapshot. Nothing here touches the file system.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::console::{self, Console};
use super::inject;
use super::paths::{self, Target};
use super::state::{Live, Poll, Snapshot};

/// How long a live-reload poll waits before answering "no change" (the page asks again).
const POLL_TIMEOUT: Duration = Duration::from_secs(25);
/// More waiting polls than this are answered at once with a pause to take before asking
/// again, so that any number of open tabs neither exhausts threads nor spins.
const MAX_POLLERS: usize = 64;
/// The pause (milliseconds) those extra pollers are asked to take.
const BUSY_RETRY_MS: u64 = 5000;

pub(super) struct Server {
    pub live: Arc<Live>,
    pollers: AtomicUsize,
    /// The clerk's console under `/__gazette/console/` (`None`: `--no-console`, or the
    /// preview is reachable from other computers).
    console: Option<Arc<Console>>,
    /// On the loopback, the port: every request must then name this server in `Host`, so
    /// that a page whose DNS name is re-pointed at 127.0.0.1 cannot read the preview
    /// (drafts included) either.
    loopback_port: Option<u16>,
}

/// A response before it is written to the connection (easy to test).
#[derive(Debug)]
pub(super) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
    /// Further response headers (the console's framing and script policy).
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub(super) fn text(status: u16, body: &str) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    pub(super) fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type,
            body,
            location: None,
            headers: Vec::new(),
        }
    }

    /// A 303 to `to` (after a form was handled, so that reloading does not post it again).
    pub(super) fn see_other(to: String) -> Reply {
        let mut r = Reply::new(303, "text/plain; charset=utf-8", Vec::new());
        r.location = Some(to);
        r
    }
}

/// One request as read from the connection: the method, the raw target, the headers
/// (names in lower case) and, for a POST, its body.
#[derive(Debug, Default)]
pub(super) struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (lower case).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    pub(super) fn new(live: Arc<Live>) -> Self {
        Server {
            live,
            pollers: AtomicUsize::new(0),
            console: None,
            loopback_port: None,
        }
    }

    /// Answers only requests whose `Host` is this server on the loopback at `port`.
    pub(super) fn on_loopback(mut self, port: u16) -> Self {
        self.loopback_port = Some(port);
        self
    }

    pub(super) fn with_console(mut self, console: Console) -> Self {
        self.console = Some(Arc::new(console));
        self
    }

    /// Answers one request: the console's pages and forms, or the preview (GET and HEAD).
    pub(super) fn handle(&self, req: &Request) -> Reply {
        if let Some(port) = self.loopback_port {
            if !console::guard::host_ok(req, port) {
                return Reply::text(
                    403,
                    "403 预览只能从本机的 http://127.0.0.1 地址打开 (wrong Host: the preview answers only its own loopback address)\n",
                );
            }
        }
        if let Some(console) = &self.console {
            if console::is_console_target(&req.target) {
                return console.handle(req);
            }
        }
        match req.method.as_str() {
            "GET" | "HEAD" => self.reply(&req.target),
            _ => {
                let mut r = Reply::text(405, "405 只支持 GET 和 HEAD (method not allowed)\n");
                r.headers.push(("Allow", "GET, HEAD".into()));
                r
            }
        }
    }

    /// What to answer for a GET of `url` (the raw request target).
    pub(super) fn reply(&self, url: &str) -> Reply {
        let snap = self.live.current();
        let target = paths::resolve(url, |k| snap.contains(k));
        match target {
            Target::Bad(why) => {
                eprintln!("已拒绝请求 (refused) {url:?}：{why}");
                Reply::text(400, "400 请求路径无效 (bad request path)\n")
            }
            Target::Internal(what) => self.internal(&what, url),
            Target::Redirect(to) => {
                let mut r = Reply::text(301, &format!("moved to {to}\n"));
                r.location = Some(to);
                r
            }
            Target::File(_) if !snap.has_site => Reply::new(
                503,
                "text/html; charset=utf-8",
                inject::error_page(snap.error.as_deref().unwrap_or(""), &snap.token).into_bytes(),
            ),
            Target::File(key) => match snap.get(&key) {
                Some(bytes) => file_reply(&snap, 200, &key, bytes, self.console.is_some()),
                None => match snap.get("404.html") {
                    Some(bytes) => {
                        file_reply(&snap, 404, "404.html", bytes, self.console.is_some())
                    }
                    None => Reply::text(404, "404 页面不存在 (not found)\n"),
                },
            },
        }
    }

    /// The file a page at `path` was served from (`404.html` for a missing one).
    fn page_key(&self, path: &str) -> String {
        let snap = self.live.current();
        match paths::resolve(path, |k| snap.contains(k)) {
            Target::File(key) if snap.contains(&key) => key,
            _ => "404.html".into(),
        }
    }

    fn internal(&self, what: &str, url: &str) -> Reply {
        match what {
            "livereload.js" => Reply::new(
                200,
                "text/javascript; charset=utf-8",
                inject::LIVERELOAD_JS.as_bytes().to_vec(),
            ),
            "poll" => {
                let since = query_param(url, "since").unwrap_or_default();
                let page = self.page_key(&query_param(url, "page").unwrap_or_default());
                let busy = self.pollers.fetch_add(1, Ordering::SeqCst) >= MAX_POLLERS;
                let wait = if busy { Duration::ZERO } else { POLL_TIMEOUT };
                let answer = self.live.wait_for_change(&since, &page, wait);
                self.pollers.fetch_sub(1, Ordering::SeqCst);
                let body = match answer {
                    Poll::Reload => "{\"reload\":true}\n".to_string(),
                    Poll::Unchanged if busy => {
                        format!("{{\"reload\":false,\"retry\":{BUSY_RETRY_MS}}}\n")
                    }
                    Poll::Unchanged => "{\"reload\":false}\n".to_string(),
                    // Tokens are hex digits and a dash: nothing to escape in JSON.
                    Poll::Current(token) => format!("{{\"reload\":false,\"since\":\"{token}\"}}\n"),
                };
                Reply::new(200, "application/json; charset=utf-8", body.into_bytes())
            }
            _ => Reply::text(404, "404 页面不存在 (not found)\n"),
        }
    }
}

/// A built file, with the live-reload script (and error banner, and the console's link)
/// added to HTML.
fn file_reply(snap: &Snapshot, status: u16, key: &str, bytes: &[u8], console: bool) -> Reply {
    let content_type = paths::content_type(key);
    let body = if content_type.starts_with("text/html") {
        let banner = snap.error.as_deref().map(inject::error_banner);
        inject::inject(bytes, &snap.token, banner.as_deref(), console)
    } else {
        bytes.to_vec()
    };
    Reply::new(status, content_type, body)
}

/// The decoded value of `name` in the query string of `url`.
pub(super) fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn server() -> Server {
        let live = Arc::new(Live::new());
        live.publish_site(BTreeMap::from([
            (
                "index.html".into(),
                b"<html><body>home</body></html>".to_vec(),
            ),
            (
                "404.html".into(),
                b"<html><body>nope</body></html>".to_vec(),
            ),
            ("assets/site.js".into(), b"let a = '</body>';".to_vec()),
        ]));
        Server::new(live)
    }

    #[test]
    fn pages_get_the_script_and_assets_do_not() {
        let s = server();
        let r = s.reply("/");
        assert_eq!(r.status, 200);
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.contains("home<script src=\"/__gazette/livereload.js\""));
        let js = s.reply("/assets/site.js?v=1");
        assert_eq!(js.content_type, "text/javascript; charset=utf-8");
        assert_eq!(js.body, b"let a = '</body>';");
    }

    #[test]
    fn missing_pages_use_the_sites_404() {
        let r = server().reply("/no/such/page/");
        assert_eq!(r.status, 404);
        assert!(String::from_utf8(r.body).unwrap().contains("nope"));
    }

    #[test]
    fn traversal_is_a_400_without_content() {
        let s = server();
        for bad in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fetc/passwd",
        ] {
            let r = s.reply(bad);
            assert_eq!(r.status, 400, "{bad}");
            assert!(!String::from_utf8_lossy(&r.body).contains("root:"));
        }
    }

    #[test]
    fn errors_show_on_pages_and_clear_after_a_good_build() {
        let s = server();
        s.live.publish_error("data/site.toml: <bad>".into());
        let body = String::from_utf8(s.reply("/").body).unwrap();
        assert!(body.contains("gazette-build-error"));
        assert!(body.contains("data/site.toml: &lt;bad&gt;"));
        assert!(body.contains("home"), "the last good page is still shown");
        s.live.publish_site(BTreeMap::from([(
            "index.html".into(),
            b"<body>new</body>".to_vec(),
        )]));
        let body = String::from_utf8(s.reply("/").body).unwrap();
        assert!(!body.contains("gazette-build-error"));
        assert!(body.contains("new"));
    }

    #[test]
    fn a_poll_with_an_old_token_returns_at_once() {
        let s = server();
        let r = s.reply("/__gazette/poll?since=stale-1");
        assert_eq!(r.body, b"{\"reload\":true}\n");
    }

    #[test]
    fn pollers_beyond_the_limit_are_told_to_pause_not_to_spin() {
        let s = Arc::new(server());
        let token = s.live.current().token.clone();
        let waiting: Vec<_> = (0..MAX_POLLERS)
            .map(|_| {
                let (s, t) = (s.clone(), token.clone());
                std::thread::spawn(move || s.reply(&format!("/__gazette/poll?since={t}")))
            })
            .collect();
        while s.pollers.load(Ordering::SeqCst) < MAX_POLLERS {
            std::thread::sleep(Duration::from_millis(5));
        }
        let extra = s.reply(&format!("/__gazette/poll?since={token}"));
        assert_eq!(
            String::from_utf8(extra.body).unwrap(),
            format!("{{\"reload\":false,\"retry\":{BUSY_RETRY_MS}}}\n")
        );
        s.live
            .publish_site(BTreeMap::from([("index.html".into(), b"new".to_vec())]));
        for w in waiting {
            assert_eq!(w.join().unwrap().body, b"{\"reload\":true}\n");
        }
    }

    #[test]
    fn query_params_are_decoded() {
        assert_eq!(
            query_param("/p?a=1&since=ab%2D3", "since").as_deref(),
            Some("ab-3")
        );
        assert_eq!(query_param("/p", "since"), None);
    }
}
