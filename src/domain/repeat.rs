//! Repeating key dates: a rule such as "from day 1 to day 10 of every month of 2026, except
//! February" expanded into dated windows, so a monthly programme writes one rule instead of
//! twelve (or twenty-four) hand-copied key dates that drift apart.
//!
//! A day past the end of a short month is clamped to the month's last day: a clerk who writes
//! "day 31" means "to the end of the month" (每月25日至月底), and refusing it would make a
//! window that ends on the last day of every month impossible to state. The clamping is
//! visible in the expanded dates (the page and calendar show 2月28日), never hidden.

use chrono::{Datelike, NaiveDate};

/// One month's window of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub year: i32,
    pub month: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Why a rule cannot be expanded; the caller words the diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatError {
    /// A day of the month outside 1..=31.
    Day(u32),
    /// `end_day` before `start_day` (a window crossing the month end is two key dates).
    DayOrder,
    /// A skipped month outside 1..=12.
    Month(u32),
    /// The range ends before it starts.
    RangeOrder,
    /// No month's window lies within the range (every month skipped, or the range too short).
    Empty,
}

/// The last day of a month (28–31).
pub fn last_day(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

/// Expands "from `start_day` to `end_day` of every month" into one window per month whose
/// whole window lies within `from..=until` (both days included), leaving out the months in
/// `skip` (1–12). Days past a month's end are clamped to its last day; the windows come in
/// date order.
pub fn expand(
    start_day: u32,
    end_day: u32,
    from: NaiveDate,
    until: NaiveDate,
    skip: &[u32],
) -> Result<Vec<Occurrence>, RepeatError> {
    for d in [start_day, end_day] {
        if !(1..=31).contains(&d) {
            return Err(RepeatError::Day(d));
        }
    }
    if end_day < start_day {
        return Err(RepeatError::DayOrder);
    }
    if let Some(&m) = skip.iter().find(|m| !(1..=12).contains(*m)) {
        return Err(RepeatError::Month(m));
    }
    if until < from {
        return Err(RepeatError::RangeOrder);
    }
    let mut out = Vec::new();
    let (mut year, mut month) = (from.year(), from.month());
    while (year, month) <= (until.year(), until.month()) {
        if !skip.contains(&month) {
            let last = last_day(year, month);
            let start = NaiveDate::from_ymd_opt(year, month, start_day.min(last));
            let end = NaiveDate::from_ymd_opt(year, month, end_day.min(last));
            if let (Some(start), Some(end)) = (start, end) {
                if start >= from && end <= until {
                    out.push(Occurrence {
                        year,
                        month,
                        start,
                        end,
                    });
                }
            }
        }
        if month == 12 {
            year += 1;
            month = 1;
        } else {
            month += 1;
        }
    }
    if out.is_empty() {
        return Err(RepeatError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn year(y: i32) -> (NaiveDate, NaiveDate) {
        (d(y, 1, 1), d(y, 12, 31))
    }

    #[test]
    fn a_whole_year_gives_twelve_windows_in_order() {
        let (f, u) = year(2026);
        let w = expand(1, 10, f, u, &[]).unwrap();
        assert_eq!(w.len(), 12);
        assert_eq!((w[0].start, w[0].end), (d(2026, 1, 1), d(2026, 1, 10)));
        assert_eq!((w[11].start, w[11].end), (d(2026, 12, 1), d(2026, 12, 10)));
        assert!(w.windows(2).all(|p| p[0].end < p[1].start));
    }

    #[test]
    fn day_31_is_clamped_to_each_month_end() {
        let (f, u) = year(2026);
        let w = expand(25, 31, f, u, &[]).unwrap();
        let ends: Vec<u32> = w.iter().map(|o| o.end.day()).collect();
        assert_eq!(ends, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    }

    #[test]
    fn february_of_a_leap_year_ends_on_the_29th() {
        let w = expand(20, 31, d(2028, 2, 1), d(2028, 2, 29), &[]).unwrap();
        assert_eq!((w[0].start, w[0].end), (d(2028, 2, 20), d(2028, 2, 29)));
        // 2100 is not a leap year (divisible by 100, not by 400); 2000 was.
        assert_eq!(last_day(2100, 2), 28);
        assert_eq!(last_day(2000, 2), 29);
        assert_eq!(last_day(2026, 12), 31);
    }

    #[test]
    fn a_start_day_past_a_short_month_clamps_to_a_one_day_window() {
        let w = expand(30, 31, d(2026, 2, 1), d(2026, 2, 28), &[]).unwrap();
        assert_eq!((w[0].start, w[0].end), (d(2026, 2, 28), d(2026, 2, 28)));
    }

    #[test]
    fn skipped_months_are_left_out() {
        let (f, u) = year(2026);
        let w = expand(1, 10, f, u, &[2, 8]).unwrap();
        assert_eq!(w.len(), 10);
        assert!(w.iter().all(|o| o.month != 2 && o.month != 8));
    }

    #[test]
    fn a_range_across_the_new_year_keeps_only_whole_windows() {
        // From 2026-03-05: March's window (1–10) starts before the range and is left out;
        // until 2027-02-09: February 2027's ends after it and is left out too.
        let w = expand(1, 10, d(2026, 3, 5), d(2027, 2, 9), &[]).unwrap();
        assert_eq!(w.first().map(|o| (o.year, o.month)), Some((2026, 4)));
        assert_eq!(w.last().map(|o| (o.year, o.month)), Some((2027, 1)));
        assert_eq!(w.len(), 10);
        // The range's own days count: a window on its first and last day is kept.
        let w = expand(5, 9, d(2026, 3, 5), d(2026, 3, 9), &[]).unwrap();
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn bad_rules_are_refused_with_their_reason() {
        let (f, u) = year(2026);
        assert_eq!(expand(0, 10, f, u, &[]), Err(RepeatError::Day(0)));
        assert_eq!(expand(1, 32, f, u, &[]), Err(RepeatError::Day(32)));
        assert_eq!(expand(10, 1, f, u, &[]), Err(RepeatError::DayOrder));
        assert_eq!(expand(1, 10, f, u, &[13]), Err(RepeatError::Month(13)));
        assert_eq!(expand(1, 10, u, f, &[]), Err(RepeatError::RangeOrder));
        let all: Vec<u32> = (1..=12).collect();
        assert_eq!(expand(1, 10, f, u, &all), Err(RepeatError::Empty));
        assert_eq!(
            expand(1, 10, d(2026, 3, 11), d(2026, 3, 31), &[]),
            Err(RepeatError::Empty)
        );
    }

    #[test]
    fn the_last_representable_month_does_not_loop_forever() {
        let w = expand(
            1,
            31,
            NaiveDate::MAX.with_day(1).unwrap(),
            NaiveDate::MAX,
            &[],
        );
        assert!(w.is_ok() || w == Err(RepeatError::Empty));
    }
}
