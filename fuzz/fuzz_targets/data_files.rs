//! Any bytes as each of the other data files (site, districts, criteria, schedule,
//! calendar): parsing and rendering the diagnostic may not panic.
#![no_main]

mod shared;

use std::path::Path;

use gazette::source::calendar::CalendarFile;
use gazette::source::districts::DistrictsFile;
use gazette::source::notice::{CriteriaFile, ScheduleFile};
use gazette::source::programme::ProgrammeFile;
use gazette::diag::Diagnostics;
use libfuzzer_sys::fuzz_target;
use shared::spans_in_bounds;

fn parse<T: serde::de::DeserializeOwned>(rel: &str, text: &str) {
    let (_, d): (Option<T>, Diagnostics) = gazette::load::parse_toml::<T>(Path::new(rel), text.to_string());
    spans_in_bounds(text, &d);
    let _ = d.render(false);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    parse::<gazette::source::site::SiteConfig>("data/site.toml", text);
    parse::<ProgrammeFile>("data/programmes/innovative.toml", text);
    parse::<DistrictsFile>("data/districts.toml", text);
    parse::<CriteriaFile>("data/notices/innovative/2026/criteria.toml", text);
    parse::<ScheduleFile>("data/notices/innovative/2026/schedule.toml", text);
    if let (Some(cal), _) = gazette::load::parse_toml::<CalendarFile>(Path::new("data/calendar/2026.toml"), text.to_string()) {
        let mut d = Diagnostics::new();
        let calendar = gazette::validate::holiday_calendar(&[("data/calendar/2026.toml".into(), cal)], &mut d);
        // Working-day arithmetic over a fuzzed calendar must stop, not loop or panic.
        if let Some(start) = chrono::NaiveDate::from_ymd_opt(2026, 1, 1) {
            let _ = calendar.add_working_days(start, 400);
        }
    }
});
