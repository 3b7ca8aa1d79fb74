//! Any text as a Markdown page: the front-matter splitter's byte ranges must be valid
//! slices, and parsing the page and rendering its diagnostics may not panic.
#![no_main]

mod shared;

use std::path::Path;

use gazette::diag::Diagnostics;
use libfuzzer_sys::fuzz_target;
use shared::spans_in_bounds;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(split) = gazette::load::split_front_matter(text) {
        // Both ranges must be in bounds and on character boundaries.
        let _ = &text[split.front.clone()];
        let _ = &text[split.body.clone()];
        assert!(split.front.end <= split.body.start);
    }
    let mut d = Diagnostics::new();
    let _ = gazette::load::parse_page(Path::new("content/fuzz.md"), text.to_string(), &mut d);
    spans_in_bounds(text, &d);
    let _ = d.render(false);
});
