//! Test hooks, in one small module at the bottom of the library: environment variables
//! that make a command stop or wait at a named point, so that the tests can prove that a
//! failed or interrupted command leaves everything whole. They cost one environment lookup
//! at each point and do nothing unless a test sets them.

/// `GAZETTE_FAIL_AT=<point>`: aborts the process at that point (as a crash or `kill -9`
/// would), so a test can prove that a failed build leaves the published site untouched.
pub(crate) fn fail_point(point: &str) {
    if std::env::var("GAZETTE_FAIL_AT").is_ok_and(|v| v == point) {
        std::process::abort();
    }
}

/// `GAZETTE_TEST_PAUSE=<point>:<ms>`: sleeps at that point, so that a test can run two
/// commands into each other deterministically.
pub(crate) fn pause_point(point: &str) {
    if let Ok(v) = std::env::var("GAZETTE_TEST_PAUSE") {
        if let Some(ms) = v
            .strip_prefix(point)
            .and_then(|r| r.strip_prefix(':'))
            .and_then(|ms| ms.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
}
