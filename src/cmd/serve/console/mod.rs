//! The clerk's console: `gazette serve`'s pages under `/__gazette/console/` where the
//! quarter's work is done in the browser (see the lists and their next step, publish,
//! withdraw, announce, import spreadsheets, deploy, see what changed). Every action calls
//! the same library function as its command; nothing here edits a file itself.
//!
//! Pages are plain HTML forms (they work without JavaScript and with the keyboard alone);
//! `console.js` only adds dropping files on the page. A change is always two steps: a
//! preview of what will be written, then a confirmation. The console is never part of the
//! built site, is off with `serve --no-console`, and is only offered on the loopback.
//! Requests are checked first (`guard`).

mod deploy;
mod deploying;
mod form;
pub(super) mod guard;
mod history;
mod import;
mod lists;
mod overview;
mod page;
mod records;
mod source;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::http::{Reply, Request};
use form::Form;
use history::History;
use page::Section;

/// Where the console lives on the preview server.
pub(super) const PREFIX: &str = "/__gazette/console";

/// Whether a request target is the console's.
pub(super) fn is_console_target(target: &str) -> bool {
    let path = target.split(['?', '#']).next().unwrap_or("");
    path == PREFIX || path.starts_with(&format!("{PREFIX}/"))
}

pub(super) struct Console {
    /// The site's folder (canonical).
    root: PathBuf,
    /// The port the server listens on (the only `Host` it answers to).
    port: u16,
    /// The session's token, carried by every form that changes something.
    token: String,
    /// `--today`, for tests and rehearsals; otherwise each action takes Beijing's date.
    today: Option<NaiveDate>,
    /// What the console changed in this session.
    history: History,
    /// One change at a time from the console (the data lock orders it with the commands).
    busy: Mutex<()>,
    /// The deploy started here: running, or the last one's outcome.
    deploys: deploying::Deploys,
    /// The latest previewed import, until it is confirmed (its files, at most one body).
    pending: Mutex<Option<import::Pending>>,
}

impl Console {
    pub(super) fn new(root: PathBuf, port: u16, today: Option<NaiveDate>) -> Result<Self, String> {
        Ok(Console {
            root,
            port,
            token: guard::new_token()?,
            today,
            history: History::default(),
            busy: Mutex::new(()),
            deploys: deploying::Deploys::default(),
            pending: Mutex::new(None),
        })
    }

    fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(gazette::build::today_cst)
    }

    /// Checks who is asking, then answers.
    pub(super) fn handle(self: &Arc<Self>, req: &Request) -> Reply {
        if !guard::host_ok(req, self.port) {
            return refuse(guard::Refusal::Host, req);
        }
        let form = Form::of(req);
        if req.method == "POST" {
            if !guard::same_origin(req, self.port) {
                return refuse(guard::Refusal::Origin, req);
            }
            if let Some(why) = form.error() {
                // A body cut short or garbled (never read further, never echoed).
                eprintln!("管理页面：无法读取提交的表单 (unreadable form)：{why}");
                return secured(Reply::text(
                    400,
                    "400 提交的内容不完整或有误，请回到管理页面重新提交 (unreadable form body)\n",
                ));
            }
            if !guard::token_ok(form.get("token"), &self.token) {
                return refuse(guard::Refusal::Token, req);
            }
        }
        let path = req.target.split(['?', '#']).next().unwrap_or("");
        let route = path
            .strip_prefix(PREFIX)
            .unwrap_or("")
            .trim_start_matches('/');
        let reply = match (req.method.as_str(), route) {
            ("GET" | "HEAD", "") => html(overview::page(self)),
            ("GET" | "HEAD", "console.css") => asset("text/css; charset=utf-8", page::CSS),
            ("GET" | "HEAD", "console.js") => asset("text/javascript; charset=utf-8", SCRIPT),
            ("GET" | "HEAD", "file") => source::page(self, &form),
            ("GET" | "HEAD", "list") => html(lists::page(self, &form, None)),
            ("GET" | "HEAD", "changes") => html(history::page(self, None)),
            ("GET" | "HEAD", r) if r.starts_with("changes/") => {
                match r["changes/".len()..].parse::<usize>() {
                    Ok(n) => html(history::page(self, Some(n))),
                    Err(_) => not_found(),
                }
            }
            ("GET" | "HEAD", "import") => html(import::page(self, None, None)),
            ("POST", "import") => import::act(self, &form),
            ("POST", r) if r.starts_with("list/") => lists::act(self, &r["list/".len()..], &form),
            ("GET" | "HEAD", "deploy") => html(deploy::page(self, None)),
            ("GET" | "HEAD", "deploy/progress") => deploying::progress(self),
            ("POST", r) if r.starts_with("deploy/") => {
                deploy::act(self, &r["deploy/".len()..], &form)
            }
            ("GET" | "HEAD", "records") => html(records::page(self, None)),
            ("POST", r) if r.starts_with("records/") => {
                records::act(self, &r["records/".len()..], &form)
            }
            ("GET" | "HEAD", _) => not_found(),
            _ => {
                let mut r = Reply::text(405, "405 不支持这种请求 (method not allowed)\n");
                r.headers.push(("Allow", "GET, HEAD, POST".into()));
                r
            }
        };
        secured(reply)
    }
}

/// A refused request: 403, said on the terminal too (the browser may show nothing).
fn refuse(why: guard::Refusal, req: &Request) -> Reply {
    eprintln!(
        "已拒绝管理页面的请求 (console request refused)：{} {}（{why:?}）",
        req.method,
        req.target.chars().take(80).collect::<String>()
    );
    secured(Reply::text(403, why.message()))
}

/// The headers every console answer carries: it may not be framed by another page, loads
/// nothing from elsewhere and sends no referrer beyond the preview.
fn secured(mut reply: Reply) -> Reply {
    reply.headers.extend([
        ("X-Frame-Options", "DENY".to_string()),
        (
            "Content-Security-Policy",
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
                .to_string(),
        ),
        ("Referrer-Policy", "same-origin".to_string()),
    ]);
    reply
}

fn html(page: String) -> Reply {
    Reply::new(200, "text/html; charset=utf-8", page.into_bytes())
}

fn asset(content_type: &'static str, text: &str) -> Reply {
    Reply::new(200, content_type, text.as_bytes().to_vec())
}

fn not_found() -> Reply {
    let mut r = html(page::frame(
        Section::Other,
        "找不到这个页面",
        &format!("<p><a href=\"{PREFIX}/\">回到管理总览</a></p>"),
    ));
    r.status = 404;
    r
}

/// What the console's pages do with JavaScript: files dropped on a drop zone go into its
/// file field (the form is still sent by its button, as without JavaScript); a running
/// deploy's figures are fetched again every second and replaced in place (without
/// JavaScript the page's "刷新进度" link does the same), and its outcome is loaded when it
/// has ended.
const SCRIPT: &str = r#"// Gazette console: drop files on the page, follow a deploy (the pages work without this).
(function () {
  'use strict';
  var running = document.querySelector('[data-deploy-running]');
  if (running && window.fetch && window.DOMParser) {
    var follow = function () {
      fetch(location.href, { cache: 'no-store', credentials: 'same-origin' })
        .then(function (r) { return r.text(); })
        .then(function (text) {
          var next = new DOMParser().parseFromString(text, 'text/html');
          if (!next.querySelector('[data-deploy-running]')) { location.reload(); return; }
          running.querySelectorAll('[data-update]').forEach(function (el) {
            var fresh = next.getElementById(el.id);
            if (!fresh) return;
            if (el.tagName === 'PROGRESS') {
              el.value = Number(fresh.getAttribute('value'));
              el.max = Number(fresh.getAttribute('max'));
            } else if (el.innerHTML !== fresh.innerHTML) {
              el.innerHTML = fresh.innerHTML;
            }
          });
          setTimeout(follow, 1000);
        })
        .catch(function () { setTimeout(follow, 3000); });
    };
    setTimeout(follow, 1000);
  }
  document.querySelectorAll('.dropzone').forEach(function (zone) {
    var input = zone.querySelector('input[type=file]');
    if (!input) return;
    ['dragenter', 'dragover'].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      zone.addEventListener(t, function () { zone.classList.remove('over'); });
    });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }
    });
  });
})();
"#;
