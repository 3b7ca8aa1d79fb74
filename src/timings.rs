//! How long each step of a build took, for profiling large sites (Zola times each step of
//! `Site::build` the same way). The library records; the command layer turns recording on
//! (`GAZETTE_TIMINGS=1`, the one switch) and prints what was recorded. Recording is off by
//! default and then costs one atomic load per step.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);
static RECORDED: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

/// The environment variable that turns recording on.
pub const ENV: &str = "GAZETTE_TIMINGS";

/// Starts recording (for this process).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub(crate) fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Records that `step` took the time since `since`.
pub(crate) fn record(step: &str, since: Instant) {
    if enabled() {
        let seconds = since.elapsed().as_secs_f64();
        if let Ok(mut r) = RECORDED.lock() {
            r.push((step.to_string(), seconds));
        }
    }
}

/// Records a note with no duration of its own (sizes, counts): shown as it is.
pub(crate) fn note(step: impl FnOnce() -> String) {
    if enabled() {
        if let Ok(mut r) = RECORDED.lock() {
            r.push((step(), f64::NAN));
        }
    }
}

/// What was recorded so far, in order, and forgets it: `(step, seconds)`, seconds `NaN` for
/// a note.
pub fn take() -> Vec<(String, f64)> {
    RECORDED
        .lock()
        .map(|mut r| std::mem::take(&mut *r))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_when_enabled() {
        // Other tests may run in parallel in this process: look only for our own step.
        record("timings-test-before", Instant::now());
        enable();
        record("timings-test-after", Instant::now());
        note(|| "timings-test-note".to_string());
        let taken = take();
        assert!(!taken.iter().any(|(s, _)| s == "timings-test-before"));
        assert!(taken
            .iter()
            .any(|(s, t)| s == "timings-test-after" && *t >= 0.0));
        assert!(taken
            .iter()
            .any(|(s, t)| s == "timings-test-note" && t.is_nan()));
    }
}
