//! Which characters may reach a published page, download or calendar. Control characters
//! (NUL, ESC…), noncharacters (U+FFFE) and invisible direction overrides have no place in a
//! notice: they break CSV and iCalendar readers, clear terminals, or make a name read
//! differently from what it is. They are refused in the data with a position.

/// What `gazette init` writes where only the bureau knows the words (the notice's text, a
/// district's number): `check` lists every one left (`validate::placeholders`).
pub(crate) const PLACEHOLDER: &str = "【待填写】";

/// Names, codes and titles: one line, so line breaks and tabs are refused too.
pub(crate) const SINGLE_LINE: bool = true;

/// The first character of `s` that may not be published, with its position (0-based, in
/// characters) and a description. `single_line` also refuses tab, CR and LF.
pub(crate) fn first_bad_char(s: &str, single_line: bool) -> Option<(usize, char, &'static str)> {
    s.chars()
        .enumerate()
        .find_map(|(i, c)| bad_char(c, single_line).map(|why| (i, c, why)))
}

fn bad_char(c: char, single_line: bool) -> Option<&'static str> {
    let u = c as u32;
    match c {
        '\t' | '\n' | '\r' => single_line.then_some("换行符或制表符 (line break or tab)"),
        _ if u < 0x20 || u == 0x7f => Some("控制字符 (control character)"),
        _ if (0x80..0xa0).contains(&u) => Some("控制字符 (C1 control character)"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => {
            Some("不可见的文字方向控制符 (invisible direction override)")
        }
        '\u{061c}' => Some("不可见的文字方向控制符 (invisible direction mark)"),
        '\u{feff}' => Some("不可见的零宽字符 (zero-width no-break space)"),
        '\u{2028}' | '\u{2029}' => Some("行分隔符 (line separator)"),
        '\u{fdd0}'..='\u{fdef}' => Some("非字符 (noncharacter)"),
        _ if u & 0xfffe == 0xfffe => Some("非字符 (noncharacter)"),
        _ => None,
    }
}

/// A message for the first bad character of `s`, e.g.
/// "第3个字符是控制字符 (control character) U+001B".
pub(crate) fn problem(s: &str, single_line: bool) -> Option<String> {
    let (i, c, why) = first_bad_char(s, single_line)?;
    Some(format!("第{}个字符是{why} U+{:04X}", i + 1, c as u32))
}

/// `s` with every character that `problem` would refuse shown as `\u{…}`: for echoing
/// untrusted text to a terminal or log without letting it act.
pub(crate) fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if first_bad_char(s, false).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad_char(c, false).is_some() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters that make a spreadsheet program read a cell as a formula (OWASP, CSV
/// injection), and their full-width forms (U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠): a
/// clerk typing with a Chinese input method gets those, and some versions of Excel and WPS
/// convert a leading full-width ＝ to `=` and run the cell as a formula. Whether a given
/// version does was not tested here, so they are treated exactly like the ASCII ones.
const FORMULA_STARTS: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
];

/// Whether a cell would be read as a formula by Excel or WPS: the CSV download defuses
/// such a cell, and import warns about a name that starts like one.
pub(crate) fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_chinese_text_passes() {
        for ok in [
            "大连示例科技有限公司",
            "（一）在大连市内",
            "Ａ１ 全角",
            "a\tb\nc",
        ] {
            assert_eq!(first_bad_char(ok, false), None, "{ok}");
        }
    }

    #[test]
    fn controls_noncharacters_and_overrides_are_refused() {
        for (s, at) in [
            ("a\u{0}b", 1),
            ("\u{1b}[2J", 0),
            ("名\u{7f}", 1),
            ("x\u{85}", 1),
            ("公司\u{fffe}", 2),
            ("\u{1fffe}", 0),
            ("abc\u{202e}def", 3),
            ("a\u{2028}", 1),
            ("\u{fdd0}", 0),
            ("a\u{2066}b", 1),
            ("\u{10ffff}", 0),
            ("名\u{feff}", 1),
            ("\u{61c}x", 0),
        ] {
            assert_eq!(first_bad_char(s, false).map(|b| b.0), Some(at), "{s:?}");
        }
        assert_eq!(first_bad_char("a\tb", SINGLE_LINE).map(|b| b.0), Some(1));
        assert_eq!(first_bad_char("a\nb", SINGLE_LINE).map(|b| b.0), Some(1));
    }

    #[test]
    fn problems_name_the_character() {
        assert_eq!(
            problem("ab\u{1b}", false).unwrap(),
            "第3个字符是控制字符 (control character) U+001B"
        );
    }

    #[test]
    fn escaping_makes_controls_visible() {
        assert_eq!(escape_controls("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_controls("正常"), "正常");
        assert_eq!(escape_controls("tab\tok"), "tab\tok");
    }
}
