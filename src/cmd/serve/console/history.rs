//! What the console changed in this session: each action with the files it wrote and the
//! difference, since the site's folder is often a shared drive or a git repository that
//! others read.

use std::fmt::Write as _;
use std::sync::Mutex;

use gazette::escape::html as esc;

use super::page::{self, Section};
use super::{Console, PREFIX};

/// One file an action wrote: its text before (`None`: it is new) and after.
pub(super) struct FileChange {
    /// Relative to the site's folder, with `/`.
    pub path: String,
    pub before: Option<String>,
    pub after: String,
}

/// One action.
pub(super) struct Record {
    /// Beijing time, e.g. "14:05:09".
    pub at: String,
    /// What was done, one sentence.
    pub what: String,
    pub files: Vec<FileChange>,
}

#[derive(Default)]
pub(super) struct History {
    records: Mutex<Vec<Record>>,
}

impl History {
    /// Adds an action; returns its number (its page is `changes/<number>`).
    pub(super) fn add(&self, what: String, files: Vec<FileChange>) -> usize {
        let at = beijing_clock();
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        records.push(Record { at, what, files });
        records.len()
    }
}

/// The time of day in Beijing now, e.g. "14:05:09".
pub(super) fn beijing_clock() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%H:%M:%S")
        .to_string()
}

/// The list of this session's actions, or one action (`n`, from 1) with its differences.
pub(super) fn page(c: &Console, n: Option<usize>) -> String {
    let records = c.history.records.lock().unwrap_or_else(|e| e.into_inner());
    match n {
        Some(n) => match n.checked_sub(1).and_then(|i| records.get(i)) {
            Some(r) => one(n, r),
            None => page::frame(
                Section::Changes,
                "没有这条改动记录",
                &format!("<p><a href=\"{PREFIX}/changes\">看全部改动记录</a></p>"),
            ),
        },
        None => all(&records),
    }
}

fn all(records: &[Record]) -> String {
    let mut main = String::from(
        "<p>这里列出本次打开管理页面以来做过的改动（关闭 gazette serve 后清空；文件本身的改动会保留）。</p>",
    );
    if records.is_empty() {
        main.push_str("<p>还没有改动。</p>");
        return page::frame(Section::Changes, "改动记录", &main);
    }
    main.push_str("<ol>");
    for (i, r) in records.iter().enumerate().rev() {
        let files: Vec<String> = r.files.iter().map(|f| esc(&f.path)).collect();
        let _ = write!(
            main,
            "<li value=\"{n}\"><a href=\"{PREFIX}/changes/{n}\">{at} {what}</a>：{files}</li>",
            n = i + 1,
            at = esc(&r.at),
            what = esc(&r.what),
            files = files.join("、")
        );
    }
    main.push_str("</ol>");
    page::frame(Section::Changes, "改动记录", &main)
}

fn one(n: usize, r: &Record) -> String {
    let mut main = page::notice("ok", &format!("<p>已完成：{}</p>", esc(&r.what)));
    if r.files.is_empty() {
        let _ = write!(
            main,
            "<p>第{n}项改动，北京时间 {}。没有改动网站文件夹中的文件。</p>",
            esc(&r.at)
        );
    } else {
        let _ = write!(
            main,
            "<p>第{n}项改动，北京时间 {}。写入了 {} 个文件；网站预览会自动重新生成。</p>",
            esc(&r.at),
            r.files.len()
        );
    }
    for f in &r.files {
        let state = if f.before.is_none() {
            "（新文件）"
        } else {
            ""
        };
        let _ = write!(main, "<h2>{}{state}</h2>", page::file_link(&f.path, None));
        main.push_str(&page::diff(f.before.as_deref().unwrap_or(""), &f.after));
    }
    let _ = write!(
        main,
        "<div class=\"actions\"><a class=\"button\" href=\"{PREFIX}/\">回到总览</a><a class=\"button secondary\" href=\"/\">查看网站预览</a></div>"
    );
    page::frame(Section::Changes, &format!("改动 {n}"), &main)
}
