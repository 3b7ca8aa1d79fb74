//! Query and name normalisation, shared by the index (Rust) and `search.js` (which must
//! apply exactly the same steps): NFKC (full-width → half-width, `（）` → `()`), drop white
//! space, control and zero-width characters, then lower-case (names) or upper-case (codes)
//! each character.

use unicode_normalization::UnicodeNormalization;

/// Characters a query or name may contain but matching ignores.
pub fn ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The form names are matched in: a query matches a name when `name_key(query)` is a
/// substring of `name_key(name)`.
pub fn name_key(s: &str) -> Vec<char> {
    s.nfkc()
        .filter(|&c| !ignorable(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The form credit codes are matched in (prefix match, at least 4 characters).
pub fn code_key(s: &str) -> Vec<char> {
    s.nfkc()
        .filter(|&c| !ignorable(c))
        .flat_map(char::to_uppercase)
        .collect()
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
}
