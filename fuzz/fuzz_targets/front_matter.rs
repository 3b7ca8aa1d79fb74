//! Any text as a Markdown page: the front-matter splitter's byte ranges must be valid
//! slices, and parsing the page and rendering its diagnostics may not panic.
#![no_main]

use std::path::Path;

use gazette::diag::Diagnostics;
use libfuzzer_sys::fuzz_target;

/// Every position a diagnostic would print lies inside the text, on a character boundary.
fn spans_in_bounds(text: &str, d: &Diagnostics) {
    for item in d.items() {
        let spans = item.span.iter().chain(item.related.iter().filter(|r| r.file.is_none()).map(|r| &r.span));
        for s in spans {
            assert!(s.start <= s.end && s.end <= text.len(), "span {s:?} outside a text of {} bytes: {}", text.len(), item.message);
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "span {s:?} splits a character: {}", item.message);
        }
    }
}

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
