//! An enterprise's honour (创新型中小企业, 专精特新中小企业…) in one programme as of a day:
//! under publicity, valid, expiring, lapsed or revoked. Pure, so every boundary has a unit
//! test; the same rule runs in the reader's browser (`honour.js`) from China Standard Time.
//!
//! The rules (../shared/reference/domain.md §1.4 and §1.7):
//! - An announced list grants the honour for a window: the one printed on the announcement
//!   (辽工信改革〔2024〕6号: "有效期为2024年1月1日至2026年12月31日"), else the programme's
//!   `validity_years` counted by its [`ValidityRule`].
//! - Passing a review (复核) grants a new window from that announcement; "原称号自动失效": the
//!   latest announcement supersedes every earlier one. A window that ends without a newer
//!   announcement has lapsed ("未参与复核或未通过复核的…称号自动失效").
//! - A dated revocation (撤销) ends the title from its date, a revocation dated on the
//!   announcement day included.
//! - An enterprise on a list under publicity, and not withdrawn from it, is 公示中 until the
//!   list is announced; with no title yet, that is its status.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a programme counts its `validity_years` when an announcement prints no window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidityRule {
    /// From the announcement date through the day before the anniversary ("自公告之日起
    /// 有效期3年": announced 2026-08-25, valid through 2029-08-24).
    #[default]
    FromAnnouncement,
    /// Whole calendar years from 1 January after the announcement (announced in 2023,
    /// valid 2024-01-01 through 2026-12-31), as Liaoning prints its windows.
    CalendarYears,
}

/// The window an announcement grants when it prints none: (first day, last day).
/// `None` only for dates at the end of chrono's range.
pub fn window(
    announced: NaiveDate,
    years: u32,
    rule: ValidityRule,
) -> Option<(NaiveDate, NaiveDate)> {
    match rule {
        ValidityRule::FromAnnouncement => {
            let last = announced
                .checked_add_months(Months::new(12 * years))?
                .pred_opt()?;
            Some((announced, last))
        }
        ValidityRule::CalendarYears => {
            let first = NaiveDate::from_ymd_opt(announced.year() + 1, 1, 1)?;
            let last = NaiveDate::from_ymd_opt(announced.year() + years as i32, 12, 31)?;
            Some((first, last))
        }
    }
}

/// A title granted by one announced list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub announced: NaiveDate,
    pub from: NaiveDate,
    /// The last valid day; `None` when the programme sets no validity (valid until revoked).
    pub until: Option<NaiveDate>,
}

/// A list under publicity that names the enterprise (and did not withdraw it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnPublicity {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The status of one enterprise in one programme on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Status {
    /// On a list under publicity, with no title yet. Publicity over, not yet announced:
    /// `ended` is true (the list waits for its announcement).
    Publicity { end: NaiveDate, ended: bool },
    /// Valid through `until` (or without an end).
    Valid { until: Option<NaiveDate> },
    /// Valid, but the window ends within the programme's warning period: apply for review.
    Expiring { until: NaiveDate },
    /// The window ended on `until` without a newer announcement.
    Lapsed { until: NaiveDate },
    /// Revoked from `date`.
    Revoked { date: NaiveDate },
    /// On the programme's lists only as withdrawn: never granted.
    None,
}

impl Status {
    /// The word a page, a CSV or a JSON file uses: `publicity`, `valid`, `expiring`,
    /// `lapsed`, `revoked`, `none` (the theme says them in Chinese).
    pub fn key(&self) -> &'static str {
        match self {
            Status::Publicity { .. } => "publicity",
            Status::Valid { .. } => "valid",
            Status::Expiring { .. } => "expiring",
            Status::Lapsed { .. } => "lapsed",
            Status::Revoked { .. } => "revoked",
            Status::None => "none",
        }
    }
}

/// The first day of the expiry warning: `months` before the first day after the window.
pub fn warning_from(until: NaiveDate, months: u32) -> Option<NaiveDate> {
    until.succ_opt()?.checked_sub_months(Months::new(months))
}

/// The current grant: the latest announcement made by `today` supersedes the earlier ones.
pub fn current(grants: &[Grant], today: NaiveDate) -> Option<Grant> {
    grants
        .iter()
        .filter(|g| g.announced <= today)
        .max_by_key(|g| (g.announced, g.from))
        .copied()
}

/// The status on `today`, from every grant, revocation date and publicity of the
/// enterprise in one programme. `warning_months` is the programme's expiry warning.
pub fn status(
    grants: &[Grant],
    revocations: &[NaiveDate],
    publicity: &[OnPublicity],
    today: NaiveDate,
    warning_months: u32,
) -> Status {
    if let Some(g) = current(grants, today) {
        // A revocation counts against the title in force when it was made: one dated
        // before a later (re-)grant does not revoke the new title.
        if let Some(&date) = revocations
            .iter()
            .filter(|&&d| d >= g.announced && d <= today)
            .min()
        {
            return Status::Revoked { date };
        }
        return match g.until {
            None => Status::Valid { until: None },
            Some(until) if today > until => Status::Lapsed { until },
            Some(until) => match warning_from(until, warning_months) {
                Some(w) if today >= w => Status::Expiring { until },
                _ => Status::Valid { until: Some(until) },
            },
        };
    }
    match publicity.iter().max_by_key(|p| (p.end, p.start)) {
        Some(p) => Status::Publicity {
            end: p.end,
            ended: today > p.end,
        },
        None => Status::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn grant(announced: &str) -> Grant {
        let (from, until) = window(d(announced), 3, ValidityRule::FromAnnouncement).unwrap();
        Grant {
            announced: d(announced),
            from,
            until: Some(until),
        }
    }

    fn on(g: &[Grant], r: &[&str], today: &str) -> Status {
        let r: Vec<NaiveDate> = r.iter().map(|s| d(s)).collect();
        status(g, &r, &[], d(today), 6)
    }

    #[test]
    fn a_window_from_the_announcement_ends_the_day_before_the_anniversary() {
        let w = window(d("2026-08-25"), 3, ValidityRule::FromAnnouncement).unwrap();
        assert_eq!(w, (d("2026-08-25"), d("2029-08-24")));
    }

    #[test]
    fn a_window_from_a_leap_day_ends_on_the_last_day_of_february() {
        // 2024-02-29 + 3 years is 2027-02-28 (chrono clamps); the day before is the 27th.
        let w = window(d("2024-02-29"), 3, ValidityRule::FromAnnouncement).unwrap();
        assert_eq!(w.1, d("2027-02-27"));
        // Four years lands on a leap day again.
        let w = window(d("2024-02-29"), 4, ValidityRule::FromAnnouncement).unwrap();
        assert_eq!(w.1, d("2028-02-28"));
        let w = window(d("2025-03-01"), 3, ValidityRule::FromAnnouncement).unwrap();
        assert_eq!(w.1, d("2028-02-29"));
    }

    #[test]
    fn calendar_years_run_from_the_first_of_january_after_the_announcement() {
        let w = window(d("2023-12-28"), 3, ValidityRule::CalendarYears).unwrap();
        assert_eq!(w, (d("2024-01-01"), d("2026-12-31")));
        let w = window(d("2023-01-01"), 3, ValidityRule::CalendarYears).unwrap();
        assert_eq!(w, (d("2024-01-01"), d("2026-12-31")));
    }

    #[test]
    fn the_last_valid_day_is_valid_and_the_next_has_lapsed() {
        let g = [grant("2023-06-30")];
        assert_eq!(
            on(&g, &[], "2026-06-29"),
            Status::Expiring {
                until: d("2026-06-29")
            }
        );
        assert_eq!(
            on(&g, &[], "2026-06-30"),
            Status::Lapsed {
                until: d("2026-06-29")
            }
        );
    }

    #[test]
    fn the_warning_starts_six_months_before_the_first_lapsed_day() {
        let g = [grant("2023-06-30")]; // valid through 2026-06-29, lapsed from 2026-06-30
        assert_eq!(warning_from(d("2026-06-29"), 6), Some(d("2025-12-30")));
        assert_eq!(
            on(&g, &[], "2025-12-29"),
            Status::Valid {
                until: Some(d("2026-06-29"))
            }
        );
        assert_eq!(on(&g, &[], "2025-12-30").key(), "expiring");
        // A programme without a warning period never says 即将到期.
        assert_eq!(status(&g, &[], &[], d("2026-06-29"), 0).key(), "valid");
    }

    #[test]
    fn the_warning_from_a_window_ending_at_the_end_of_february() {
        // Lapsed from 2028-03-01 (leap year): six months earlier is 2027-09-01.
        assert_eq!(warning_from(d("2028-02-29"), 6), Some(d("2027-09-01")));
        // Lapsed from 2027-08-31: six months earlier clamps to 2027-02-28.
        assert_eq!(warning_from(d("2027-08-30"), 6), Some(d("2027-02-28")));
    }

    #[test]
    fn before_its_announcement_a_grant_does_not_count() {
        let g = [grant("2026-08-25")];
        assert_eq!(on(&g, &[], "2026-08-24"), Status::None);
        assert_eq!(on(&g, &[], "2026-08-25").key(), "valid");
    }

    #[test]
    fn a_revocation_on_the_announcement_day_revokes() {
        let g = [grant("2026-08-25")];
        assert_eq!(
            on(&g, &["2026-08-25"], "2026-08-25"),
            Status::Revoked {
                date: d("2026-08-25")
            }
        );
        // Until its date it has no effect.
        assert_eq!(on(&g, &["2027-01-10"], "2027-01-09").key(), "valid");
        assert_eq!(on(&g, &["2027-01-10"], "2027-01-10").key(), "revoked");
    }

    #[test]
    fn a_revocation_does_not_reach_a_later_grant() {
        let g = [grant("2023-03-01"), grant("2025-05-01")];
        assert_eq!(on(&g, &["2024-01-15"], "2024-06-01").key(), "revoked");
        assert_eq!(on(&g, &["2024-01-15"], "2025-05-01").key(), "valid");
    }

    #[test]
    fn a_review_supersedes_the_old_window() {
        let g = [grant("2023-03-01"), grant("2026-02-20")];
        assert_eq!(
            on(&g, &[], "2026-03-01"),
            Status::Valid {
                until: Some(d("2029-02-19"))
            }
        );
        // Before the review's announcement the old window counts.
        assert_eq!(on(&g, &[], "2026-02-19").key(), "expiring");
    }

    #[test]
    fn a_review_announced_after_the_old_window_ended_renews_from_its_day() {
        let g = [grant("2023-03-01"), grant("2026-05-10")];
        assert_eq!(on(&g, &[], "2026-03-01").key(), "lapsed");
        assert_eq!(on(&g, &[], "2026-05-09").key(), "lapsed");
        assert_eq!(
            on(&g, &[], "2026-05-10"),
            Status::Valid {
                until: Some(d("2029-05-09"))
            }
        );
    }

    #[test]
    fn a_printed_window_that_starts_later_is_valid_from_the_announcement() {
        let g = [Grant {
            announced: d("2023-12-28"),
            from: d("2024-01-01"),
            until: Some(d("2026-12-31")),
        }];
        assert_eq!(on(&g, &[], "2023-12-30").key(), "valid");
        assert_eq!(on(&g, &[], "2027-01-01").key(), "lapsed");
    }

    #[test]
    fn without_validity_years_a_title_stays_valid_until_revoked() {
        let g = [Grant {
            announced: d("2020-01-01"),
            from: d("2020-01-01"),
            until: None,
        }];
        assert_eq!(on(&g, &[], "2040-01-01"), Status::Valid { until: None });
        assert_eq!(on(&g, &["2030-01-01"], "2040-01-01").key(), "revoked");
    }

    #[test]
    fn publicity_without_a_title_and_after_its_end() {
        let p = [OnPublicity {
            start: d("2026-11-20"),
            end: d("2026-11-26"),
        }];
        let s = |today: &str| status(&[], &[], &p, d(today), 6);
        assert_eq!(
            s("2026-11-26"),
            Status::Publicity {
                end: d("2026-11-26"),
                ended: false
            }
        );
        assert_eq!(
            s("2026-11-27"),
            Status::Publicity {
                end: d("2026-11-26"),
                ended: true
            }
        );
        // With a title already, the review's publicity does not hide it.
        assert_eq!(
            status(&[grant("2024-01-10")], &[], &p, d("2026-11-26"), 6).key(),
            "expiring"
        );
    }

    #[test]
    fn two_programmes_are_two_independent_computations() {
        let innovative = [grant("2023-03-01")];
        let specialised = [grant("2025-09-01")];
        let today = d("2026-04-01");
        assert_eq!(status(&innovative, &[], &[], today, 6).key(), "lapsed");
        assert_eq!(status(&specialised, &[], &[], today, 6).key(), "valid");
    }
}
