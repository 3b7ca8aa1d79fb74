//! `data/calendar/<year>.toml`: the holiday calendar that working days are counted with.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{span, to_date};
use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::workdays::{Calendar, Holiday, YearCalendar};
use crate::source::calendar::CalendarFile;

/// The holiday calendar of every year that has a file; incomplete years are errors.
pub fn holiday_calendar(
    calendars: &[(PathBuf, CalendarFile)],
    diags: &mut Diagnostics,
) -> Calendar {
    let mut years = Vec::new();
    for (file, cal) in calendars {
        let year = *cal.year.get_ref();
        let stem_year = file
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse::<i32>().ok());
        if stem_year != Some(year) {
            diags.push(
                Diagnostic::err(
                    "calendar-name",
                    file,
                    format!("这是{year}年的节假日安排，但文件名不是 {year}.toml (the file name does not match the year)"),
                )
                .at(span(&cal.year))
                .help(format!("把文件改名为 data/calendar/{year}.toml")),
            );
            continue;
        }
        if cal.source.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::err("calendar-source", file, format!("{year}年的节假日安排还没有写明出处 (source is empty)"))
                    .at(span(&cal.source))
                    .help("写明国务院办公厅通知的名称和发布日期，例如 source = \"国务院办公厅关于2027年部分节假日安排的通知（2026年11月X日发布）\""),
            );
        }
        let missing: Vec<&str> = crate::domain::workdays::STATUTORY_HOLIDAYS
            .iter()
            .copied()
            .filter(|n| !cal.holiday.iter().any(|h| h.name.get_ref().contains(n)))
            .collect();
        if !missing.is_empty() {
            diags.push(
                Diagnostic::err("calendar-incomplete", file, format!("{year}年的节假日安排不完整：缺少{} (incomplete holiday calendar)", missing.join("、")))
                    .at(span(&cal.year))
                    .help("照国务院办公厅的通知为每个法定节假日写一段 [[holiday]]（name、start、end、makeup）；不完整的日历会算错工作日"),
            );
        }
        let mut holidays = Vec::new();
        for h in &cal.holiday {
            let name = h.name.get_ref();
            let (Some(start), Some(end)) = (&h.start, &h.end) else {
                diags.push(
                    Diagnostic::err("calendar-incomplete", file, format!("{name}的放假日期还没有填写 (start or end missing)"))
                        .at(span(&h.name))
                        .help("照国务院办公厅的通知填写放假首日和末日，例如 start = 2027-10-01 和 end = 2027-10-07"),
                );
                continue;
            };
            let (Some(start), Some(end)) = (to_date(file, start, diags), to_date(file, end, diags))
            else {
                continue;
            };
            if end < start {
                diags.push(
                    Diagnostic::err(
                        "holiday-order",
                        file,
                        format!("{name}的放假末日早于首日 (end is before start)"),
                    )
                    .at(h.end.as_ref().map(span).unwrap_or(0..0))
                    .help("放假从 start 到 end，两天都包括在内"),
                );
            }
            let makeup: Vec<NaiveDate> = h
                .makeup
                .iter()
                .filter_map(|m| to_date(file, m, diags))
                .collect();
            holidays.push(Holiday {
                name: name.clone(),
                start,
                end,
                makeup,
            });
        }
        years.push(YearCalendar { year, holidays });
    }
    Calendar::new(years)
}
