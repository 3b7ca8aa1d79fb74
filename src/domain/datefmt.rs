//! Dates written the way Chinese government notices write them, plus the
//! ISO form machines need.

use chrono::{Datelike, NaiveDate};

/// "2026年2月2日" (no leading zeros, as in printed notices)
pub fn zh_date(d: NaiveDate) -> String {
    let Ok(year) = u32::try_from(d.year()) else {
        return format!("{}年{}月{}日", d.year(), d.month(), d.day());
    };
    // Written digit by digit: a directory of a million enterprises writes several dates
    // per enterprise, and `format!` costs several times this.
    let mut s = String::with_capacity(20);
    push_number(&mut s, year, 1);
    s.push('年');
    push_number(&mut s, d.month(), 1);
    s.push('月');
    push_number(&mut s, d.day(), 1);
    s.push('日');
    s
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_number(s: &mut String, n: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut rest = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for _ in (digits.len() - i)..width {
        s.push('0');
    }
    for &b in &digits[i..] {
        s.push(char::from(b));
    }
}

/// A period written out in full: same year → "2026年4月20日至4月24日";
/// different years → "2026年12月28日至2027年1月5日"; same day →
/// "2026年4月20日". The month is always repeated, matching notices.
/// Dates are written in the order given; callers validate the order.
pub fn zh_period(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        zh_date(start)
    } else if start.year() == end.year() {
        format!("{}至{}月{}日", zh_date(start), end.month(), end.day())
    } else {
        format!("{}至{}", zh_date(start), zh_date(end))
    }
}

/// A date as staff type it: 2026-04-20, 2026/4/20, 2026.4.20, 2026年4月20日 (full-width
/// digits too). `None` when it is not one.
pub fn parse_loose(s: &str) -> Option<NaiveDate> {
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '－' | '／' | '．' | '年' | '月' | '/' | '.' => '-',
            c => c,
        })
        .collect();
    let s = s.strip_suffix('日').unwrap_or(&s);
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Weekday in Chinese: "星期一" … "星期日"
pub fn zh_weekday(d: NaiveDate) -> &'static str {
    const NAMES: [&str; 7] = [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ];
    let i = d.weekday().num_days_from_monday() as usize;
    NAMES.get(i).copied().unwrap_or("星期日")
}

/// A time of day by which objections must arrive on the last day of a publicity period,
/// `HH:MM` (a full-width colon as an input method types it is accepted), as minutes after
/// midnight: `24:00` is the end of the day (1440). `00:00` is refused: it would end the
/// period before its last day begins.
pub fn deadline_minutes(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once([':', '：'])?;
    let digits = |t: &str| !t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && (1..=24 * 60).contains(&minutes)).then_some(minutes)
}

/// ISO "2026-02-02" (for `<time datetime>` and the JSON files).
pub fn iso(d: NaiveDate) -> String {
    let year = match u32::try_from(d.year()) {
        Ok(y) if y <= 9999 => y,
        _ => return format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    };
    let mut s = String::with_capacity(10);
    push_number(&mut s, year, 4);
    s.push('-');
    push_number(&mut s, d.month(), 2);
    s.push('-');
    push_number(&mut s, d.day(), 2);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_times_at_every_boundary() {
        assert_eq!(deadline_minutes("24:00"), Some(1440));
        assert_eq!(deadline_minutes("16:30"), Some(990));
        assert_eq!(deadline_minutes("9:05"), Some(545));
        assert_eq!(deadline_minutes("17：00"), Some(1020));
        assert_eq!(deadline_minutes("00:01"), Some(1));
        for bad in [
            "00:00",
            "24:01",
            "25:00",
            "16:60",
            "16:5",
            "1630",
            "下午五点",
            "",
            ":30",
            "016:30",
        ] {
            assert_eq!(deadline_minutes(bad), None, "{bad}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn dates_are_written_as_format_would_write_them_in_every_year() {
        for (y, m, day) in [
            (2026, 2, 2),
            (2026, 12, 31),
            (1, 1, 1),
            (10, 10, 10),
            (999, 9, 9),
            (1000, 1, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (0, 1, 1),
            (-1, 3, 4),
        ] {
            let date = d(y, m, day);
            assert_eq!(iso(date), format!("{y:04}-{m:02}-{day:02}"), "{date:?}");
            assert_eq!(zh_date(date), format!("{y}年{m}月{day}日"), "{date:?}");
        }
        assert_eq!(iso(d(2026, 2, 2)), "2026-02-02");
        assert_eq!(iso(d(33, 1, 1)), "0033-01-01");
    }

    #[test]
    fn zh_date_has_no_leading_zeros() {
        assert_eq!(zh_date(d(2026, 2, 2)), "2026年2月2日");
        assert_eq!(zh_date(d(2026, 10, 10)), "2026年10月10日");
        assert_eq!(zh_date(d(2026, 12, 31)), "2026年12月31日");
        assert_eq!(zh_date(d(2028, 2, 29)), "2028年2月29日");
    }

    #[test]
    fn zh_period_same_year() {
        assert_eq!(
            zh_period(d(2026, 4, 20), d(2026, 4, 24)),
            "2026年4月20日至4月24日"
        );
        assert_eq!(
            zh_period(d(2026, 9, 24), d(2026, 10, 8)),
            "2026年9月24日至10月8日"
        );
    }

    #[test]
    fn zh_period_across_years() {
        assert_eq!(
            zh_period(d(2026, 12, 28), d(2027, 1, 5)),
            "2026年12月28日至2027年1月5日"
        );
    }

    #[test]
    fn zh_period_same_day() {
        assert_eq!(zh_period(d(2026, 4, 20), d(2026, 4, 20)), "2026年4月20日");
    }

    #[test]
    fn zh_period_reversed_does_not_panic() {
        assert_eq!(
            zh_period(d(2026, 4, 24), d(2026, 4, 20)),
            "2026年4月24日至4月20日"
        );
    }

    #[test]
    fn zh_weekday_all_seven() {
        // 2026-02-02 is a Monday.
        let expected = [
            "星期一",
            "星期二",
            "星期三",
            "星期四",
            "星期五",
            "星期六",
            "星期日",
        ];
        for (i, name) in expected.iter().enumerate() {
            let day = d(2026, 2, 2 + i as u32);
            assert_eq!(zh_weekday(day), *name, "{day}");
        }
        assert_eq!(zh_weekday(d(2026, 1, 1)), "星期四");
        assert_eq!(zh_weekday(d(2026, 2, 14)), "星期六");
        assert_eq!(zh_weekday(d(2026, 9, 20)), "星期日");
    }

    #[test]
    fn iso_is_zero_padded() {
        assert_eq!(iso(d(2026, 2, 2)), "2026-02-02");
        assert_eq!(iso(d(2026, 12, 31)), "2026-12-31");
        assert_eq!(iso(d(999, 1, 1)), "0999-01-01");
    }

    #[test]
    fn extremes_do_not_panic() {
        for day in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = zh_date(day);
            let _ = zh_period(day, day);
            let _ = zh_period(NaiveDate::MIN, NaiveDate::MAX);
            let _ = zh_weekday(day);
            let _ = iso(day);
        }
    }

    #[test]
    fn loose_dates_as_staff_type_them() {
        let want = NaiveDate::from_ymd_opt(2026, 4, 20);
        for s in [
            "2026-04-20",
            "2026/4/20",
            "2026.4.20",
            "2026年4月20日",
            "２０２６年４月２０日",
            " 2026-4-20 ",
        ] {
            assert_eq!(parse_loose(s), want, "{s}");
        }
        for bad in [
            "2026-13-01",
            "26-4-20",
            "2026年4月",
            "tomorrow",
            "2026-04-20-1",
        ] {
            assert_eq!(parse_loose(bad), None, "{bad}");
        }
    }
}
