//! A progress display for long work (large imports, very large builds). It draws on
//! stderr only when stderr is a terminal, so logs, pipes, CI and tests stay clean and
//! output stays deterministic. Cheap to clone and safe to update from many threads.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// Set `GAZETTE_PROGRESS=0` to hide the display even on a terminal (e.g. screen readers
/// that read every redraw), or `GAZETTE_PROGRESS=1` to force it.
pub const ENV: &str = "GAZETTE_PROGRESS";

/// Whether a progress display should be drawn: stderr is a terminal, the terminal is not
/// `dumb`, and `GAZETTE_PROGRESS` does not say otherwise.
pub fn enabled() -> bool {
    match std::env::var(ENV).as_deref() {
        Ok("0") | Ok("false") | Ok("no") => return false,
        Ok("1") | Ok("true") | Ok("yes") => return true,
        _ => {}
    }
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// One piece of long work: a bar when the total is known, a spinner otherwise.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A display for `total` steps (`None`: unknown, shown as a spinner), labelled `what`,
    /// drawn only when [`enabled`].
    pub fn new(what: impl Into<Cow<'static, str>>, total: Option<u64>) -> Self {
        Self::with_visibility(what, total, enabled())
    }

    /// Like [`Progress::new`] with the visibility decided by the caller (tests, `--quiet`).
    pub fn with_visibility(
        what: impl Into<Cow<'static, str>>,
        total: Option<u64>,
        visible: bool,
    ) -> Self {
        let target = if visible {
            ProgressDrawTarget::stderr_with_hz(10)
        } else {
            ProgressDrawTarget::hidden()
        };
        // Cleared when the last clone is dropped, so an error path leaves no stale bar.
        let bar =
            ProgressBar::with_draw_target(total, target).with_finish(ProgressFinish::AndClear);
        let template = if total.is_some() {
            "{spinner} {prefix} [{bar:30}] {human_pos}/{human_len} ({eta}) {msg}"
        } else {
            "{spinner} {prefix} {human_pos} {msg}"
        };
        // The templates are constants; fall back to the default style rather than panic.
        let style = ProgressStyle::with_template(template)
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(what);
        if visible {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Progress { bar }
    }

    /// A display that never draws.
    pub fn hidden() -> Self {
        Self::with_visibility("", None, false)
    }

    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    pub fn set_position(&self, n: u64) {
        self.bar.set_position(n);
    }

    pub fn position(&self) -> u64 {
        self.bar.position()
    }

    pub fn set_length(&self, total: u64) {
        self.bar.set_length(total);
    }

    pub fn set_message(&self, msg: impl Into<Cow<'static, str>>) {
        self.bar.set_message(msg);
    }

    /// Prints a line above the display (or plainly to stderr when hidden), so messages
    /// are never garbled by a redraw.
    pub fn println(&self, line: impl AsRef<str>) {
        if self.bar.is_hidden() {
            eprintln!("{}", line.as_ref());
        } else {
            self.bar.println(line);
        }
    }

    /// Removes the display from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_progress_counts_but_never_draws() {
        let p = Progress::with_visibility("导入", Some(10), false);
        assert!(p.is_hidden());
        p.inc(3);
        p.inc(4);
        assert_eq!(p.position(), 7);
        p.set_length(20);
        p.finish();
    }

    #[test]
    fn updates_from_many_threads_add_up() {
        let p = Progress::hidden();
        std::thread::scope(|s| {
            for _ in 0..4 {
                let p = p.clone();
                s.spawn(move || {
                    for _ in 0..250 {
                        p.inc(1);
                    }
                });
            }
        });
        assert_eq!(p.position(), 1000);
    }
}
