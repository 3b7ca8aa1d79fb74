//! Any bytes as a district's workbook (.xlsx, .ods or .xls, told apart by their first
//! bytes as a clerk's file would be by its name): the size and extent checks, then
//! calamine, then the grid. None of it may panic, abort or run away with memory (run with
//! `-rss_limit_mb`, as scripts/fuzz.sh does): whatever the checks accept is read within
//! bounds, and whatever they refuse is a `ReadError`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ext = if data.starts_with(b"\xD0\xCF\x11\xE0") {
        "xls"
    } else if data.windows(46).any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet") {
        "ods"
    } else {
        "xlsx"
    };
    let path = std::env::temp_dir().join(format!("gazette-fuzz-{}.{ext}", std::process::id()));
    std::fs::write(&path, data).expect("the temp folder is writable");
    if let Ok(grids) = gazette::import::sheet::read_workbook(&path) {
        for g in &grids {
            for row in &g.rows {
                assert!(row.cells.len() <= 1024, "a row wider than the columns considered");
            }
        }
    }
    let _ = std::fs::remove_file(&path);
});
