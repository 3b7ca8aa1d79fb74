//! The one escaper for HTML and XML output: rows, templates (Tera's autoescape), feeds and
//! serve's banner all go through it, so every place escapes the same characters.

/// Appends `s` escaped for HTML/XML text and quoted attribute values (& < > " ' become
/// entities). C0 control characters other than tab and newlines are dropped: XML 1.0
/// forbids them and HTML treats them as parse errors.
pub fn html_into(out: &mut String, s: &str) {
    if !may_change(s.as_bytes()) {
        out.push_str(s);
        return;
    }
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, &without_controls(s));
}

/// `s` escaped as by [`html_into`].
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    html_into(&mut out, s);
    out
}

/// Tera's escape function (`Tera::set_escape_fn`), the same escaping for templates.
pub fn tera_escape(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    if !may_change(s.as_bytes()) {
        return w.write_all(s.as_bytes());
    }
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(w), &without_controls(s))
}

/// JSON text made safe inside an HTML `<script>` element (JSON-LD): `<`, `>` and `&`
/// become `\u003c`, `\u003e` and `\u0026`, so no value can close the element or open a
/// comment; the JSON means the same.
pub fn json_in_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn without_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.bytes().any(is_control) {
        return s.into();
    }
    // Control characters are ASCII, so they are whole chars.
    s.chars()
        .filter(|&c| !(c.is_ascii() && is_control(c as u8)))
        .collect::<String>()
        .into()
}

fn is_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

/// Whether `bytes` may hold something to escape or drop: one of `"&'<>` or a byte below
/// 0x20 (a control, or a tab or newline, which then take the full path for nothing).
/// Eight bytes at a time, because a million-row build escapes millions of short names,
/// codes and URLs, nearly all with nothing to change, and the escaper's own set-up cost
/// more than this check.
fn may_change(bytes: &[u8]) -> bool {
    let (words, rest) = bytes.as_chunks::<8>();
    let any_word = words
        .iter()
        .any(|w| word_may_change(u64::from_ne_bytes(*w)));
    any_word
        || match bytes.last_chunk::<8>() {
            // The last eight bytes again cover the rest in one step.
            Some(last) => !rest.is_empty() && word_may_change(u64::from_ne_bytes(*last)),
            None => rest.iter().any(|&b| byte_may_change(b)),
        }
}

fn byte_may_change(b: u8) -> bool {
    b < 0x20 || matches!(b, b'"' | b'&' | b'\'' | b'<' | b'>')
}

/// [`byte_may_change`] for any of eight bytes at once, with the "haszero" and "hasless"
/// tricks of Bit Twiddling Hacks: `x ^ repeat(c)` has a zero byte where `x` has a `c`.
/// Setting one bit first folds a pair of characters into one test: `b | 1 == '\''` holds
/// for `&` and `'` only, `b | 2 == '>'` for `<` and `>` only.
fn word_may_change(x: u64) -> bool {
    let below_0x20 = x.wrapping_sub(ONES * 0x20);
    let quote = zero_bytes(x ^ (ONES * u64::from(b'"')));
    let amp_apos = zero_bytes((x | ONES) ^ (ONES * u64::from(b'\'')));
    let lt_gt = zero_bytes((x | (ONES * 2)) ^ (ONES * u64::from(b'>')));
    // A byte's high bit in `below_0x20 & !x` is set where it is below 0x20, counting
    // from the lowest byte up to the first such byte, which is all "any" needs.
    (below_0x20 & !x | quote | amp_apos | lt_gt) & HIGHS != 0
}

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = ONES * 0x80;

/// High bits set at least at the lowest zero byte of `v` (nonzero exactly when `v` has one).
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            html("<a href=\"x\">'&'</a> 中文"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; 中文"
        );
    }

    #[test]
    fn drops_control_characters_but_keeps_whitespace() {
        assert_eq!(html("a\u{0}b\u{1b}c\td\ne"), "abc\td\ne");
        let mut w = Vec::new();
        tera_escape("<\u{7}>", &mut w).unwrap();
        assert_eq!(w, b"&lt;&gt;");
    }

    #[test]
    fn a_string_with_anything_to_change_anywhere_takes_the_full_path() {
        let long = "大连科技有限公司（abc-XYZ_09）/d/%E4%B8%AD/#x=1!".repeat(5);
        assert!(!may_change(long.as_bytes()));
        assert_eq!(html(&long), long);
        for at in (0..=long.len()).filter(|&i| long.is_char_boundary(i)) {
            for (c, escaped) in [
                ('\u{0}', ""),
                ('\u{1f}', ""),
                ('\t', "\t"),
                ('&', "&amp;"),
                ('>', "&gt;"),
            ] {
                let mut s = long.clone();
                s.insert(at, c);
                assert!(may_change(s.as_bytes()), "{c:?} at {at}");
                let mut expected = long.clone();
                expected.insert_str(at, escaped);
                assert_eq!(html(&s), expected, "{c:?} at {at}");
            }
        }
    }

    /// The word-at-a-time check equals the byte-by-byte one, for every byte value in every
    /// place of strings of 1 to 17 bytes (whole words, the overlapping last word, and the
    /// byte loop of short strings), among bytes near its bounds or with the high bit set.
    #[test]
    fn may_change_is_exact_for_every_byte() {
        let flagged = |b: u8| b < 0x20 || matches!(b, b'"' | b'&' | b'\'' | b'<' | b'>');
        let fillers = [
            0x20, 0x21, 0x23, 0x24, 0x25, 0x28, 0x3b, 0x3d, 0x3f, 0x7f, 0x80, 0xa2, 0xbc, 0xe5,
            0xff,
        ];
        for len in 1..=17 {
            for b in 0..=255u8 {
                for filler in fillers {
                    for at in 0..len {
                        let mut bytes = vec![filler; len];
                        bytes[at] = b;
                        assert_eq!(
                            may_change(&bytes),
                            flagged(b),
                            "{b:#x} at {at} of {len} among {filler:#x}"
                        );
                    }
                }
            }
        }
    }
}
