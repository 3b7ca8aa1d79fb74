//! The one escaper for HTML and XML output: rows, templates (Tera's autoescape), feeds and
//! serve's banner all go through it, so every place escapes the same characters.

/// Appends `s` escaped for HTML/XML text and quoted attribute values (& < > " ' become
/// entities). C0 control characters other than tab and newlines are dropped: XML 1.0
/// forbids them and HTML treats them as parse errors. SIMD-accelerated for the common
/// case of nothing to escape.
pub fn html_into(out: &mut String, s: &str) {
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
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(w), &without_controls(s))
}

fn without_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let control = |c: char| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r');
    if s.bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        s.chars()
            .filter(|&c| !control(c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
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
}
