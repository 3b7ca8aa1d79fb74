//! Any bytes as a list file: parsing, then (when it parses) the same checks `gazette check`
//! runs against the repository's real districts and holiday calendar, then rendering the
//! diagnostics (spans into arbitrary text). None of it may panic.
#![no_main]

mod shared;

use std::path::Path;
use std::sync::Arc;

use gazette::source::list::ListFile;
use gazette::diag::Diagnostics;
use libfuzzer_sys::fuzz_target;
use shared::{site, spans_in_bounds};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let rel = Path::new("data/lists/2026-q1-application.toml");
    let (raw, mut diags) = gazette::load::parse_toml::<ListFile>(rel, text.to_string());
    // Differential check: the loader's fast path for list rows must read exactly what the
    // TOML parser reads (values and spans), or decline; and the checks must decide alike:
    // a file the fast path reads holds no string that the one character check
    // (`load::string_problem`) refuses, so the TOML path reports no `text-char` for it.
    let fast = gazette::load::fastlist::parse(text);
    if let Some(fast) = &fast {
        let refused: Vec<_> = diags.items().iter().filter(|i| i.code == Some("text-char")).map(|i| &i.message).collect();
        assert!(refused.is_empty(), "the fast path read a file the TOML path refuses: {refused:?}");
        for e in &fast.enterprise {
            for v in [Some(e.name.get_ref()), Some(e.credit_code.get_ref()), Some(e.district.get_ref()), e.industry.as_ref(), e.withdrawn.as_ref()].into_iter().flatten() {
                assert_eq!(gazette::load::string_problem(v), None, "the fast path read a refused value {v:?}");
            }
        }
    }
    if let (Some(fast), Some(slow)) = (fast, raw.as_ref()) {
        assert_eq!(fast.enterprise.len(), slow.enterprise.len());
        for (f, s) in fast.enterprise.iter().zip(&slow.enterprise) {
            assert_eq!((f.name.get_ref(), f.name.span()), (s.name.get_ref(), s.name.span()));
            assert_eq!((f.credit_code.get_ref(), f.credit_code.span()), (s.credit_code.get_ref(), s.credit_code.span()));
            assert_eq!((f.district.get_ref(), f.district.span()), (s.district.get_ref(), s.district.span()));
            assert_eq!((&f.industry, &f.withdrawn), (&s.industry, &s.withdrawn));
        }
    }
    if let Some(raw) = raw {
        let site = site();
        let mut d = Diagnostics::new();
        d.add_source(rel, Arc::from(text));
        let _ = gazette::validate::check_list(rel, raw, site, &mut d);
        diags.extend(d);
    }
    spans_in_bounds(text, &diags);
    let _ = diags.render(false);
});
