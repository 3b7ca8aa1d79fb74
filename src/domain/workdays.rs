//! Working-day arithmetic over the official holiday calendars, so that a
//! publicity period stated as "N个工作日" can be checked against its printed
//! start and end dates, including 调休 make-up working days.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, Days, NaiveDate};

/// One holiday as announced: days off `start..=end` and the make-up working
/// days (调休上班) that belong to it.
/// The public holidays of the 全国年节及纪念日放假办法: every year's calendar names each
/// (one entry may name two, e.g. 中秋节、国庆节).
pub(crate) const STATUTORY_HOLIDAYS: [&str; 7] = [
    "元旦",
    "春节",
    "清明节",
    "劳动节",
    "端午节",
    "中秋节",
    "国庆节",
];

#[derive(Debug, Clone)]
pub struct Holiday {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub makeup: Vec<NaiveDate>,
}

/// One year's official calendar (days off and 调休 make-up working days).
#[derive(Debug, Clone)]
pub struct YearCalendar {
    pub year: i32,
    pub holidays: Vec<Holiday>,
}

/// All loaded years. Working-day questions about a year without a calendar
/// are errors, because guessing would silently give wrong deadlines.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearCalendar>,
    /// Days-off ranges from every loaded year (a range may start in the
    /// previous year, e.g. 元旦 starting on 30 December).
    off: Vec<(NaiveDate, NaiveDate)>,
    makeup: BTreeSet<NaiveDate>,
}

/// A working-day question could not be answered from the loaded data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    MissingYear { year: i32 },
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::MissingYear { year } => write!(
                f,
                "没有 {year} 年的节假日安排：运行 gazette new calendar {year}，照国务院办公厅公布的放假安排填写 data/calendar/{year}.toml"
            ),
        }
    }
}

impl std::error::Error for CalendarError {}

impl Calendar {
    /// Builds the lookup sets. If a year appears twice, the later entry wins.
    /// A holiday whose end is before its start contributes no days off.
    pub fn new(years: Vec<YearCalendar>) -> Self {
        let years: BTreeMap<i32, YearCalendar> = years.into_iter().map(|y| (y.year, y)).collect();
        let mut off = Vec::new();
        let mut makeup = BTreeSet::new();
        for h in years.values().flat_map(|y| &y.holidays) {
            if h.start <= h.end {
                off.push((h.start, h.end));
            }
            makeup.extend(h.makeup.iter().copied());
        }
        Calendar { years, off, makeup }
    }

    /// Whether an official calendar for `year` has been loaded.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// A date is a working day if it is a make-up day, or Mon–Fri and not
    /// inside a holiday range.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        if !self.has_year(d.year()) {
            return Err(CalendarError::MissingYear { year: d.year() });
        }
        if self.makeup.contains(&d) {
            return Ok(true);
        }
        let weekday = d.weekday().num_days_from_monday() < 5;
        Ok(weekday && !self.off.iter().any(|&(s, e)| s <= d && d <= e))
    }

    /// End date of a period of `n` working days starting at `start` (n >= 1;
    /// 0 is treated as 1). The start day is day 1 when it is a working day;
    /// otherwise counting begins on the next working day. Stops with
    /// MissingYear at the first year without a calendar, so any `n` is safe.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let n = n.max(1);
        let mut d = start;
        let mut count = 0u32;
        loop {
            if self.is_working_day(d)? {
                count += 1;
                if count >= n {
                    return Ok(d);
                }
            }
            d = next_day(d)?;
        }
    }

    /// Number of working days in [from, to] inclusive (0 if to < from).
    /// Fails with the first year in the range that has no calendar.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        if to < from {
            return Ok(0);
        }
        let mut d = from;
        let mut count = 0u32;
        loop {
            if self.is_working_day(d)? {
                count = count.saturating_add(1);
            }
            if d >= to {
                return Ok(count);
            }
            d = next_day(d)?;
        }
    }
}

/// The following day; past chrono's last date there is no calendar either.
fn next_day(d: NaiveDate) -> Result<NaiveDate, CalendarError> {
    d.succ_opt().ok_or(CalendarError::MissingYear {
        year: d.year().saturating_add(1),
    })
}

/// End of a period of `n` calendar days (start day = day 1). n = 0 gives
/// `start`; saturates at chrono's last date instead of panicking.
pub(crate) fn add_calendar_days(start: NaiveDate, n: u32) -> NaiveDate {
    start
        .checked_add_days(Days::new(u64::from(n.saturating_sub(1))))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn hol(name: &str, start: NaiveDate, end: NaiveDate, makeup: &[NaiveDate]) -> Holiday {
        Holiday {
            name: name.to_string(),
            start,
            end,
            makeup: makeup.to_vec(),
        }
    }

    /// 国务院办公厅关于2026年部分节假日安排的通知 (domain.md §3).
    fn year_2026() -> YearCalendar {
        YearCalendar {
            year: 2026,
            holidays: vec![
                hol("元旦", d(2026, 1, 1), d(2026, 1, 3), &[d(2026, 1, 4)]),
                hol(
                    "春节",
                    d(2026, 2, 15),
                    d(2026, 2, 23),
                    &[d(2026, 2, 14), d(2026, 2, 28)],
                ),
                hol("清明节", d(2026, 4, 4), d(2026, 4, 6), &[]),
                hol("劳动节", d(2026, 5, 1), d(2026, 5, 5), &[d(2026, 5, 9)]),
                hol("端午节", d(2026, 6, 19), d(2026, 6, 21), &[]),
                hol("中秋节", d(2026, 9, 25), d(2026, 9, 27), &[]),
                hol(
                    "国庆节",
                    d(2026, 10, 1),
                    d(2026, 10, 7),
                    &[d(2026, 9, 20), d(2026, 10, 10)],
                ),
            ],
        }
    }

    fn cal() -> Calendar {
        Calendar::new(vec![year_2026()])
    }

    #[test]
    fn year_2026_has_248_working_days() {
        let c = cal();
        assert_eq!(
            c.working_days_between(d(2026, 1, 1), d(2026, 12, 31)),
            Ok(248)
        );
        let by_loop = d(2026, 1, 1)
            .iter_days()
            .take_while(|x| x.year() == 2026)
            .filter(|&x| c.is_working_day(x) == Ok(true))
            .count();
        assert_eq!(by_loop, 248);
    }

    #[test]
    fn has_year() {
        let c = cal();
        assert!(c.has_year(2026));
        assert!(!c.has_year(2025));
        assert!(!c.has_year(2027));
        assert!(!Calendar::default().has_year(2026));
    }

    #[test]
    fn is_working_day_rules() {
        let c = cal();
        // Ordinary weekday and weekend.
        assert_eq!(c.is_working_day(d(2026, 2, 2)), Ok(true)); // Mon
        assert_eq!(c.is_working_day(d(2026, 2, 7)), Ok(false)); // Sat
        assert_eq!(c.is_working_day(d(2026, 2, 8)), Ok(false)); // Sun
                                                                // Weekday inside a holiday.
        assert_eq!(c.is_working_day(d(2026, 1, 1)), Ok(false)); // Thu
        assert_eq!(c.is_working_day(d(2026, 2, 23)), Ok(false)); // Mon
        assert_eq!(c.is_working_day(d(2026, 10, 7)), Ok(false)); // Wed
                                                                 // Make-up weekend days.
        for m in [
            d(2026, 1, 4),
            d(2026, 2, 14),
            d(2026, 2, 28),
            d(2026, 5, 9),
            d(2026, 9, 20),
            d(2026, 10, 10),
        ] {
            assert_eq!(c.is_working_day(m), Ok(true), "{m}");
        }
        // Day after a holiday.
        assert_eq!(c.is_working_day(d(2026, 2, 24)), Ok(true));
        assert_eq!(c.is_working_day(d(2026, 10, 8)), Ok(true));
    }

    #[test]
    fn is_working_day_missing_year() {
        let c = cal();
        assert_eq!(
            c.is_working_day(d(2027, 1, 4)),
            Err(CalendarError::MissingYear { year: 2027 })
        );
        assert_eq!(
            c.is_working_day(d(2025, 12, 31)),
            Err(CalendarError::MissingYear { year: 2025 })
        );
        assert_eq!(
            Calendar::default().is_working_day(d(2026, 2, 2)),
            Err(CalendarError::MissingYear { year: 2026 })
        );
    }

    #[test]
    fn five_seven_ten_from_feb_3() {
        let c = cal();
        assert_eq!(c.add_working_days(d(2026, 2, 3), 5), Ok(d(2026, 2, 9)));
        assert_eq!(c.add_working_days(d(2026, 2, 3), 7), Ok(d(2026, 2, 11)));
        assert_eq!(c.add_working_days(d(2026, 2, 3), 10), Ok(d(2026, 2, 14)));
    }

    #[test]
    fn across_spring_festival() {
        let c = cal();
        assert_eq!(c.add_working_days(d(2026, 2, 10), 5), Ok(d(2026, 2, 14)));
        assert_eq!(c.add_working_days(d(2026, 2, 10), 7), Ok(d(2026, 2, 25)));
    }

    #[test]
    fn across_national_day() {
        let c = cal();
        assert_eq!(c.add_working_days(d(2026, 9, 24), 5), Ok(d(2026, 10, 8)));
    }

    #[test]
    fn one_working_day_is_the_start_day() {
        let c = cal();
        assert_eq!(c.add_working_days(d(2026, 2, 2), 1), Ok(d(2026, 2, 2)));
        // n = 0 is treated as 1.
        assert_eq!(c.add_working_days(d(2026, 2, 2), 0), Ok(d(2026, 2, 2)));
    }

    #[test]
    fn start_on_sunday_begins_next_working_day() {
        let c = cal();
        // 2026-02-08 is an ordinary Sunday: day 1 is Monday 02-09.
        assert_eq!(c.add_working_days(d(2026, 2, 8), 1), Ok(d(2026, 2, 9)));
        assert_eq!(c.add_working_days(d(2026, 2, 8), 5), Ok(d(2026, 2, 13)));
        // Starting inside a holiday: first working day after 春节 is 02-24.
        assert_eq!(c.add_working_days(d(2026, 2, 15), 1), Ok(d(2026, 2, 24)));
        // n = 0 on a non-working day still yields the next working day.
        assert_eq!(c.add_working_days(d(2026, 2, 8), 0), Ok(d(2026, 2, 9)));
    }

    #[test]
    fn start_on_makeup_saturday_counts_it() {
        let c = cal();
        assert_eq!(c.add_working_days(d(2026, 2, 14), 1), Ok(d(2026, 2, 14)));
        // 14 (Sat, make-up), then 24, 25, 26, 27.
        assert_eq!(c.add_working_days(d(2026, 2, 14), 5), Ok(d(2026, 2, 27)));
        // 2026-09-20 is a make-up Sunday.
        assert_eq!(c.add_working_days(d(2026, 9, 20), 1), Ok(d(2026, 9, 20)));
    }

    #[test]
    fn crossing_into_missing_year_is_an_error() {
        let c = cal();
        assert_eq!(
            c.add_working_days(d(2026, 12, 28), 10),
            Err(CalendarError::MissingYear { year: 2027 })
        );
        // Still fine if the period ends on 12-31 (Thursday).
        assert_eq!(c.add_working_days(d(2026, 12, 28), 4), Ok(d(2026, 12, 31)));
        assert_eq!(
            c.add_working_days(d(2025, 12, 30), 3),
            Err(CalendarError::MissingYear { year: 2025 })
        );
    }

    #[test]
    fn huge_n_stops_at_first_missing_year() {
        let c = cal();
        assert_eq!(
            c.add_working_days(d(2026, 1, 1), u32::MAX),
            Err(CalendarError::MissingYear { year: 2027 })
        );
        let two = Calendar::new(vec![
            year_2026(),
            YearCalendar {
                year: 2027,
                holidays: vec![],
            },
        ]);
        assert_eq!(
            two.add_working_days(d(2026, 1, 1), u32::MAX),
            Err(CalendarError::MissingYear { year: 2028 })
        );
    }

    #[test]
    fn crossing_into_loaded_next_year() {
        // A 2027 calendar without holidays, just to test the year change.
        let c = Calendar::new(vec![
            year_2026(),
            YearCalendar {
                year: 2027,
                holidays: vec![],
            },
        ]);
        // 12-28..12-31 (4), 2027-01-01 Fri (5), 01-04 Mon (6) ... 01-08 (10).
        assert_eq!(c.add_working_days(d(2026, 12, 28), 10), Ok(d(2027, 1, 8)));
        assert_eq!(
            c.working_days_between(d(2026, 12, 28), d(2027, 1, 8)),
            Ok(10)
        );
    }

    #[test]
    fn holiday_range_may_start_in_previous_year() {
        // Like 元旦 2024, whose days off began on 2023-12-30.
        let c = Calendar::new(vec![
            YearCalendar {
                year: 2023,
                holidays: vec![],
            },
            YearCalendar {
                year: 2024,
                holidays: vec![hol("元旦", d(2023, 12, 30), d(2024, 1, 1), &[])],
            },
        ]);
        assert_eq!(c.is_working_day(d(2023, 12, 29)), Ok(true));
        assert_eq!(c.is_working_day(d(2023, 12, 30)), Ok(false));
        assert_eq!(c.is_working_day(d(2024, 1, 1)), Ok(false)); // Mon
        assert_eq!(c.is_working_day(d(2024, 1, 2)), Ok(true));
    }

    #[test]
    fn inverted_holiday_range_is_ignored() {
        let c = Calendar::new(vec![YearCalendar {
            year: 2026,
            holidays: vec![hol("bad", d(2026, 3, 10), d(2026, 3, 2), &[])],
        }]);
        assert_eq!(c.is_working_day(d(2026, 3, 5)), Ok(true));
    }

    #[test]
    fn later_duplicate_year_wins() {
        let empty = YearCalendar {
            year: 2026,
            holidays: vec![],
        };
        let c = Calendar::new(vec![year_2026(), empty.clone()]);
        assert_eq!(c.is_working_day(d(2026, 1, 1)), Ok(true));
        let c = Calendar::new(vec![empty, year_2026()]);
        assert_eq!(c.is_working_day(d(2026, 1, 1)), Ok(false));
    }

    #[test]
    fn working_days_between_examples() {
        let c = cal();
        // Publicity periods from §3.
        assert_eq!(c.working_days_between(d(2026, 2, 3), d(2026, 2, 9)), Ok(5));
        assert_eq!(
            c.working_days_between(d(2026, 2, 10), d(2026, 2, 25)),
            Ok(7)
        );
        assert_eq!(
            c.working_days_between(d(2026, 9, 24), d(2026, 10, 8)),
            Ok(5)
        );
        // A single day.
        assert_eq!(c.working_days_between(d(2026, 2, 2), d(2026, 2, 2)), Ok(1));
        assert_eq!(c.working_days_between(d(2026, 2, 8), d(2026, 2, 8)), Ok(0));
        // Whole months: February has 20 weekdays − 6 holiday weekdays + 2
        // make-up Saturdays; October 22 − 5 + 1.
        assert_eq!(
            c.working_days_between(d(2026, 2, 1), d(2026, 2, 28)),
            Ok(16)
        );
        assert_eq!(
            c.working_days_between(d(2026, 10, 1), d(2026, 10, 31)),
            Ok(18)
        );
        // The whole 春节 break.
        assert_eq!(
            c.working_days_between(d(2026, 2, 15), d(2026, 2, 23)),
            Ok(0)
        );
        // Reversed range.
        assert_eq!(c.working_days_between(d(2026, 2, 9), d(2026, 2, 3)), Ok(0));
    }

    #[test]
    fn working_days_between_agrees_with_add_working_days() {
        let c = cal();
        let mut start = d(2026, 1, 1);
        while start.year() == 2026 {
            for n in [1u32, 5, 7, 10] {
                if let Ok(end) = c.add_working_days(start, n) {
                    assert_eq!(c.working_days_between(start, end), Ok(n), "{start} +{n}");
                }
            }
            start = start.succ_opt().expect("in range");
        }
    }

    #[test]
    fn working_days_between_missing_year() {
        let c = cal();
        assert_eq!(
            c.working_days_between(d(2026, 12, 28), d(2027, 1, 5)),
            Err(CalendarError::MissingYear { year: 2027 })
        );
        assert_eq!(
            c.working_days_between(d(2025, 12, 28), d(2026, 1, 5)),
            Err(CalendarError::MissingYear { year: 2025 })
        );
        // Reversed range needs no calendar.
        assert_eq!(c.working_days_between(d(2030, 1, 5), d(2030, 1, 1)), Ok(0));
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let c = Calendar::new(vec![YearCalendar {
            year: NaiveDate::MAX.year(),
            holidays: vec![],
        }]);
        let r = c.add_working_days(NaiveDate::MAX, u32::MAX);
        assert!(r.is_err() || r == Ok(NaiveDate::MAX));
        let _ = c.working_days_between(NaiveDate::MAX, NaiveDate::MAX);
        let _ = c.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
    }

    #[test]
    fn calendar_days() {
        assert_eq!(add_calendar_days(d(2023, 1, 6), 7), d(2023, 1, 12));
        assert_eq!(add_calendar_days(d(2026, 2, 2), 1), d(2026, 2, 2));
        assert_eq!(add_calendar_days(d(2026, 2, 2), 0), d(2026, 2, 2));
        assert_eq!(add_calendar_days(d(2026, 12, 28), 10), d(2027, 1, 6));
        assert_eq!(add_calendar_days(d(2028, 2, 28), 2), d(2028, 2, 29));
        assert_eq!(add_calendar_days(NaiveDate::MAX, 5), NaiveDate::MAX);
        assert_eq!(add_calendar_days(d(2026, 1, 1), u32::MAX), NaiveDate::MAX);
    }

    #[test]
    fn display_message() {
        assert_eq!(
            CalendarError::MissingYear { year: 2027 }.to_string(),
            "没有 2027 年的节假日安排：运行 gazette new calendar 2027，照国务院办公厅公布的放假安排填写 data/calendar/2027.toml"
        );
    }
}
