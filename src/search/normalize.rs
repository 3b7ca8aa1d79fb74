//! Query and name normalisation, shared by the index (Rust) and `search.js` (which must
//! apply exactly the same steps): NFKC (full-width → half-width, `（）` → `()`), drop white
//! space, control and zero-width characters, then lower-case (names) or upper-case (codes)
//! each character.

use unicode_normalization::UnicodeNormalization;

/// Characters a query or name may contain but matching ignores.
pub(crate) fn ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The form names are matched in: a query matches a name when `name_key(query)` is a
/// substring of `name_key(name)`.
pub(crate) fn name_key(s: &str) -> Vec<char> {
    if let Some(fast) = plain(s, false) {
        return fast;
    }
    s.nfkc()
        .filter(|&c| !ignorable(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The form credit codes are matched in (prefix match, at least 4 characters).
pub(crate) fn code_key(s: &str) -> Vec<char> {
    if let Some(fast) = plain(s, true) {
        return fast;
    }
    s.nfkc()
        .filter(|&c| !ignorable(c))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Appends `name_key(s)` (or `code_key(s)` when `upper`) to `out` as code points, without
/// allocating in the common case: the index builder normalises millions of keys.
pub(crate) fn push_key(s: &str, upper: bool, out: &mut Vec<u32>) {
    let at = out.len();
    for c in s.chars() {
        if c.is_ascii() {
            if !ignorable(c) {
                let c = if upper {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
                out.push(u32::from(c));
            }
        } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            out.push(u32::from(c));
        } else {
            out.truncate(at);
            let slow = if upper { code_key(s) } else { name_key(s) };
            out.extend(slow.into_iter().map(u32::from));
            return;
        }
    }
}

/// Fast path for the common case: ASCII and CJK Unified Ideographs (U+4E00–U+9FFF) have
/// no compatibility decompositions and never compose, so NFKC leaves them unchanged.
fn plain(s: &str, upper: bool) -> Option<Vec<char>> {
    let mut out = Vec::with_capacity(s.len() / 2);
    for c in s.chars() {
        if c.is_ascii() {
            if !ignorable(c) {
                out.push(if upper {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                });
            }
        } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            out.push(c);
        } else {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: Vec<char>) -> String {
        v.into_iter().collect()
    }

    #[test]
    fn full_width_case_and_space() {
        assert_eq!(
            s(name_key("海韵（大连） ＡＢＣ\u{3000}科技")),
            "海韵(大连)abc科技"
        );
        assert_eq!(s(name_key("\u{200B}Smart\t电子")), "smart电子");
        assert_eq!(s(code_key(" ９１２１０２０２ma ")), "91210202MA");
    }

    #[test]
    fn fast_path_agrees_with_nfkc() {
        for text in ["大连海韵ABC 科技\t有限公司", "abc", "", "中\u{7}文"] {
            let slow: Vec<char> = text
                .nfkc()
                .filter(|&c| !ignorable(c))
                .flat_map(char::to_lowercase)
                .collect();
            assert_eq!(plain(text, false), Some(slow));
        }
        assert_eq!(plain("（", false), None);
    }

    #[test]
    fn push_key_equals_name_and_code_keys() {
        for text in [
            "大连海韵ABC 科技\t有限公司",
            "海韵（大连）ＡＢＣ",
            "",
            "ma 12",
        ] {
            for upper in [false, true] {
                let mut out = vec![7];
                push_key(text, upper, &mut out);
                let want = if upper {
                    code_key(text)
                } else {
                    name_key(text)
                };
                let want: Vec<u32> = std::iter::once(7)
                    .chain(want.into_iter().map(u32::from))
                    .collect();
                assert_eq!(out, want, "{text:?} upper={upper}");
            }
        }
    }
}
