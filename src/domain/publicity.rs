//! The state of a dated period (a publicity period, an application window) as of a day.
//! The same rule runs in the reader's browser (`status.js`), from China Standard Time.

use chrono::NaiveDate;

use super::workdays::Calendar;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Upcoming,
    Open,
    Ended,
}

impl State {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            State::Upcoming => "upcoming",
            State::Open => "open",
            State::Ended => "ended",
        }
    }
}

/// A period runs from 00:00 of `start` to 24:00 of `end` (China Standard Time).
pub(crate) fn state(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> State {
    if today < start {
        State::Upcoming
    } else if today > end {
        State::Ended
    } else {
        State::Open
    }
}

/// Working days left in the period, counting today when today is a working day inside
/// it. `None` when the calendar lacks a year the period touches.
pub(crate) fn working_days_left(
    cal: &Calendar,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Option<u32> {
    match state(start, end, today) {
        State::Upcoming => cal.working_days_between(start, end).ok(),
        State::Open => cal.working_days_between(today, end).ok(),
        State::Ended => Some(0),
    }
}

/// Calendar days left, counting today.
pub(crate) fn days_left(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> u32 {
    let from = today.max(start);
    if from > end {
        0
    } else {
        ((end - from).num_days() + 1) as u32
    }
}

/// The working days of a period, for the browser to count without the whole calendar.
pub(crate) fn working_days_in(cal: &Calendar, start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    start
        .iter_days()
        .take_while(|d| *d <= end)
        .filter(|d| cal.is_working_day(*d).unwrap_or(false))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::{Holiday, YearCalendar};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> Calendar {
        Calendar::new(vec![YearCalendar {
            year: 2026,
            holidays: vec![
                Holiday {
                    name: "中秋节".into(),
                    start: d("2026-09-25"),
                    end: d("2026-09-27"),
                    makeup: vec![],
                },
                Holiday {
                    name: "国庆节".into(),
                    start: d("2026-10-01"),
                    end: d("2026-10-07"),
                    makeup: vec![d("2026-09-20"), d("2026-10-10")],
                },
            ],
        }])
    }

    #[test]
    fn states_at_the_edges() {
        let (s, e) = (d("2026-09-24"), d("2026-10-08"));
        assert_eq!(state(s, e, d("2026-09-23")), State::Upcoming);
        assert_eq!(state(s, e, s), State::Open);
        assert_eq!(state(s, e, e), State::Open);
        assert_eq!(state(s, e, d("2026-10-09")), State::Ended);
    }

    #[test]
    fn working_days_left_counts_today_and_skips_the_holiday() {
        let c = cal();
        let (s, e) = (d("2026-09-24"), d("2026-10-08"));
        assert_eq!(working_days_left(&c, s, e, d("2026-09-20")), Some(5));
        assert_eq!(working_days_left(&c, s, e, s), Some(5));
        assert_eq!(working_days_left(&c, s, e, d("2026-09-26")), Some(4));
        assert_eq!(working_days_left(&c, s, e, d("2026-09-28")), Some(4));
        assert_eq!(working_days_left(&c, s, e, d("2026-09-30")), Some(2));
        assert_eq!(working_days_left(&c, s, e, d("2026-10-03")), Some(1));
        assert_eq!(working_days_left(&c, s, e, e), Some(1));
        assert_eq!(working_days_left(&c, s, e, d("2026-10-09")), Some(0));
        assert_eq!(working_days_in(&c, s, e).len(), 5);
    }

    #[test]
    fn calendar_days_left() {
        assert_eq!(
            days_left(d("2026-01-06"), d("2026-01-12"), d("2026-01-01")),
            7
        );
        assert_eq!(
            days_left(d("2026-01-06"), d("2026-01-12"), d("2026-01-12")),
            1
        );
        assert_eq!(
            days_left(d("2026-01-06"), d("2026-01-12"), d("2026-01-13")),
            0
        );
    }
}
