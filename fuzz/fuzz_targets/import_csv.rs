//! Any bytes as a district's CSV: decoding, header detection and row checks may not panic,
//! and whatever import accepts must be written as TOML that reads back to the same rows.
#![no_main]

mod shared;

use std::path::Path;

use gazette::diag::Diagnostics;
use gazette::import::{columns, sheet};
use gazette::lists::write;
use gazette::progress::Progress;
use libfuzzer_sys::fuzz_target;
use shared::site;

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = sheet::decode_text(data) else { return };
    let Ok(grid) = sheet::parse_csv(&text) else { return };
    let Ok(header) = columns::find_header(&grid, true) else { return };
    let site = site();
    let mut diags = Diagnostics::new();
    let progress = Progress::hidden();
    let cx = gazette::import::RowContext { grid: &grid, header: &header, book: &site.book, fallback_district: None, kinds: &site.programmes[0].kinds, kind: 0, source: Path::new("x.csv"), progress: &progress };
    let got = gazette::import::extract_rows(&cx, &mut Default::default(), &mut diags);
    let _ = diags.render(false);
    if got.errors > 0 || got.rows.is_empty() {
        return;
    }
    let rows: Vec<write::Row> = got.rows.iter().map(|r| r.row.clone()).collect();
    let batch = site
        .batch(&gazette::validate::BatchRef { programme: None, year: 2026, batch: 1, kind: "application".into() })
        .expect("the default programme has quarterly application lists");
    let toml = write::list_file(site, &batch, &["来源：x.csv".into()], None, &rows);
    let (back, d) = gazette::load::parse_toml::<gazette::source::list::ListFile>(Path::new("x.toml"), toml.clone());
    let back = back.unwrap_or_else(|| panic!("import wrote TOML that does not parse:\n{toml}\n{}", d.render(false)));
    assert_eq!(back.enterprise.len(), rows.len());
    for (b, r) in back.enterprise.iter().zip(&rows) {
        assert_eq!(b.name.get_ref(), &r.name);
        assert_eq!(b.credit_code.get_ref(), &r.credit_code);
        assert_eq!(b.district.get_ref(), &r.district);
        assert_eq!(b.industry, r.industry);
    }
});
