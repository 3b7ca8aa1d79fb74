//! What the fuzz targets share (each includes this file with `mod shared;`): the
//! repository's real site data, loaded once, and the check that a diagnostic's positions
//! lie inside the text it points into. Not every target uses both.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use gazette::diag::Diagnostics;
use gazette::validate::SiteData;

/// The repository's own districts, holiday calendars and programmes, as `gazette check`
/// loads them: the checks run against real data.
pub fn site() -> &'static SiteData {
    static SITE: OnceLock<SiteData> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let mut d = Diagnostics::new();
        gazette::validate::load_site_data(root, &mut d)
            .unwrap_or_else(|| panic!("the repository's data must load:\n{}", d.render(false)))
    })
}

/// Every position a diagnostic would print lies inside the text, on a character boundary.
pub fn spans_in_bounds(text: &str, d: &Diagnostics) {
    for item in d.items() {
        let spans = item.span.iter().chain(item.related.iter().filter(|r| r.file.is_none()).map(|r| &r.span));
        for s in spans {
            assert!(s.start <= s.end && s.end <= text.len(), "span {s:?} outside a text of {} bytes: {}", text.len(), item.message);
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "span {s:?} splits a character: {}", item.message);
        }
    }
}
