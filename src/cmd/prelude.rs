//! What every command file uses (`use super::prelude::*`): the shared flags (`--root`,
//! `--today`), how a command ends (`Exit`, the one place exit statuses are chosen), and
//! printing diagnostics and paths for the clerk. Anchor: mdBook's `cmd/command_prelude.rs`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use gazette::diag::{Class, Diagnostics};

/// How a command ended. Commands say what kind of failure it was; `main` alone turns that
/// into the process's exit status (README, "Exit status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Done as asked (a dry run, a help text and a refusal the clerk chose included).
    Success,
    /// A wrong command line: an unknown flag, a value that is not a date, a year or a
    /// programme the site does not have. Nothing was read or written.
    Usage,
    /// A problem in the site's files (content/, data/, a spreadsheet): the files are
    /// untouched and the diagnostics say where and what to do.
    Input,
    /// A file or folder could not be written (a full disk, no permission): nothing that
    /// was published changed.
    Output,
    /// The deploy target refused or failed: what is online is still a whole site.
    Deploy,
    /// Stopped by Ctrl-C before finishing.
    Interrupted,
}

impl Exit {
    /// The process's exit status: 0 success, 1 a problem in the input, the output or the
    /// deploy, 2 a wrong command line, 130 interrupted (as a shell reports Ctrl-C).
    pub(crate) fn status(self) -> i32 {
        match self {
            Exit::Success => 0,
            Exit::Input | Exit::Output | Exit::Deploy => 1,
            Exit::Usage => 2,
            Exit::Interrupted => 130,
        }
    }

    /// How a command that stopped on these diagnostics ended: the class of their errors.
    pub(crate) fn of(d: &Diagnostics) -> Exit {
        match d.class() {
            None => Exit::Success,
            Some(Class::Usage) => Exit::Usage,
            Some(Class::Input) => Exit::Input,
            Some(Class::Output) => Exit::Output,
        }
    }
}

/// `--root`: the site folder.
#[derive(Args, Debug, Clone)]
pub(crate) struct RootArgs {
    /// 网站文件夹（包含 content/ 和 data/ 的文件夹，默认是当前文件夹）
    #[arg(long, value_name = "文件夹", default_value = ".")]
    pub root: PathBuf,
}

/// `--today`: the "as of" date.
#[derive(Args, Debug, Clone)]
pub(crate) struct TodayArgs {
    /// 按这一天计算公示状态和关键日期（默认：北京时间今天），例如 2026-04-20
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

impl TodayArgs {
    pub(crate) fn date(&self) -> NaiveDate {
        self.today.unwrap_or_else(gazette::build::today_cst)
    }
}

/// A date as staff type it: 2026-04-20, 2026/4/20, 2026.4.20 or 2026年4月20日.
/// Test hook (`GAZETTE_TEST_DEPLOY_PAUSE_AFTER=N`): a deploy pauses after N uploads, so
/// that a test can look at it, stop it or kill the process half-way.
pub(crate) fn deploy_pause_hook() -> Option<usize> {
    std::env::var("GAZETTE_TEST_DEPLOY_PAUSE_AFTER")
        .ok()
        .and_then(|v| v.parse().ok())
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    gazette::domain::datefmt::parse_loose(s.trim())
        .ok_or_else(|| format!("“{s}”不是日期：请写成 2026-04-20 或 2026年4月20日 (not a date)"))
}

/// Whether diagnostics are coloured: stderr is a terminal and `NO_COLOR` is not set.
pub(crate) fn color() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none()
        && super::console::escapes_work()
}

/// What a command says when another one holds the data lock (`data/.gazette.lock`).
pub(crate) fn waiting_for_data() {
    eprintln!("另一个 gazette 命令正在修改 data/，等待它完成…… (another command is writing data/; waiting)");
}

/// Prints diagnostics (if any) and a closing line.
pub(crate) fn report(diags: &Diagnostics, closing: &str) {
    if !diags.is_empty() {
        eprint!("{}", diags.render(color()));
    }
    if !closing.is_empty() {
        eprintln!("{closing}");
    }
}

/// Prints the diagnostics a command stopped on and its closing line; how it ended.
pub(crate) fn stopped(diags: &Diagnostics, closing: &str) -> Exit {
    report(diags, closing);
    Exit::of(diags)
}

/// A path as the clerk typed it, for messages.
pub(crate) fn shown(p: &Path) -> String {
    gazette::diag::display_path(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gazette::diag::Diagnostic;

    #[test]
    fn exit_follows_the_class_of_the_errors() {
        let mut d = Diagnostics::new();
        assert_eq!(Exit::of(&d), Exit::Success);
        d.push(Diagnostic::general_warning("w"));
        assert_eq!(Exit::of(&d), Exit::Success, "warnings alone do not fail");
        d.push(Diagnostic::usage("usage-year", "y"));
        assert_eq!(Exit::of(&d).status(), 2);
        d.push(Diagnostic::error("data/x.toml", "bad"));
        assert_eq!(
            Exit::of(&d),
            Exit::Input,
            "a usage error beside a file's is input"
        );
        d.push(Diagnostic::cannot_write(
            "a.html",
            &std::io::Error::other("disk full"),
        ));
        assert_eq!(Exit::of(&d), Exit::Output);
        assert_eq!(Exit::Interrupted.status(), 130);
    }
}
