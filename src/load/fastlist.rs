//! A fast path for the bulk of a list file: the `[[enterprise]]` tables.
//!
//! Large lists (100,000+ rows) spend most of their load time in a general TOML parser.
//! The rows use a tiny subset of TOML (bare keys, plain basic strings, comments), so this
//! module reads that subset directly, producing exactly the values and spans the `toml`
//! crate would. Anything outside the subset — escapes, other keys, duplicate or missing
//! keys, other tables — returns `None`, and the caller parses the whole file with `toml`,
//! which then also produces the precise diagnostics. So does a value that the loader's one
//! character check (`load::string_problem`: controls, noncharacters, direction overrides…)
//! refuses: both paths refuse exactly the same files.

use toml::Spanned;

use crate::source::list::{EnterpriseFile, ListFile};

const HEADER: &str = "[[enterprise]]";

/// Parses a list file, or `None` when the file is outside the fast subset.
pub fn parse(text: &str) -> Option<ListFile> {
    let first = find_first_header(text)?;
    // The head goes through the full parser and its checks; any remark sends the whole
    // file down the slow path, which reports it.
    let mut remarks = crate::diag::Diagnostics::new();
    let mut head: ListFile =
        super::parse_toml_at(std::path::Path::new(""), &text[..first], &mut remarks)?;
    if !remarks.is_empty() {
        return None;
    }
    if !head.enterprise.is_empty() {
        return None;
    }
    head.enterprise = parse_rows(text, first)?;
    Some(head)
}

/// Byte offset of the first line that is exactly `[[enterprise]]`.
fn find_first_header(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == HEADER {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

#[derive(Default)]
struct Row {
    name: Option<Spanned<String>>,
    credit_code: Option<Spanned<String>>,
    district: Option<Spanned<String>>,
    industry: Option<String>,
    withdrawn: Option<String>,
}

impl Row {
    fn finish(self) -> Option<EnterpriseFile> {
        Some(EnterpriseFile {
            name: self.name?,
            credit_code: self.credit_code?,
            district: self.district?,
            industry: self.industry,
            withdrawn: self.withdrawn,
        })
    }
}

fn parse_rows(text: &str, start: usize) -> Option<Vec<EnterpriseFile>> {
    let bytes = text.as_bytes();
    let mut rows = Vec::with_capacity(text.len() / 120);
    let mut current: Option<Row> = None;
    let mut pos = start;
    while pos < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let mut end = line_end;
        if end > pos && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let mut i = pos;
        pos = line_end + 1;
        while i < end && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        if i == end || bytes[i] == b'#' {
            continue;
        }
        if bytes[i] == b'[' {
            if text[i..end].trim_end_matches([' ', '\t']) != HEADER {
                return None;
            }
            if let Some(row) = current.take() {
                rows.push(row.finish()?);
            }
            current = Some(Row::default());
            continue;
        }
        let row = current.as_mut()?;
        let key_start = i;
        while i < end && !matches!(bytes[i], b' ' | b'\t' | b'=') {
            i += 1;
        }
        let key = &bytes[key_start..i];
        while i < end && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        if i == end || bytes[i] != b'=' {
            return None;
        }
        i += 1;
        while i < end && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        let (value, token_len) = basic_string(text, i, end)?;
        let spanned = Spanned::new(i..i + token_len, value);
        let slot_taken = match key {
            b"name" => row.name.replace(spanned).is_some(),
            b"credit_code" => row.credit_code.replace(spanned).is_some(),
            b"district" => row.district.replace(spanned).is_some(),
            b"industry" => row.industry.replace(spanned.into_inner()).is_some(),
            b"withdrawn" => row.withdrawn.replace(spanned.into_inner()).is_some(),
            _ => return None,
        };
        if slot_taken {
            return None;
        }
    }
    if let Some(row) = current.take() {
        rows.push(row.finish()?);
    }
    Some(rows)
}

/// A basic string at `text[at..end]` without escapes, followed only by white space or a
/// comment. Returns the value and the token's length in bytes (quotes included).
fn basic_string(text: &str, at: usize, end: usize) -> Option<(String, usize)> {
    let bytes = &text.as_bytes()[..end];
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let body = at + 1;
    let close = body + memchr::memchr2(b'"', b'\\', &bytes[body..])?;
    if bytes[close] != b'"' {
        return None;
    }
    // TOML forbids control characters other than tab in basic strings.
    if bytes[body..close]
        .iter()
        .any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
    {
        return None;
    }
    let mut after = close + 1;
    while after < end && (bytes[after] == b' ' || bytes[after] == b'\t') {
        after += 1;
    }
    if after < end && bytes[after] != b'#' {
        return None;
    }
    let value = text.get(body..close)?;
    // The same character check as the TOML path; a refused character goes there to be
    // reported at its place.
    if super::string_problem(value).is_some() {
        return None;
    }
    Some((value.to_string(), close + 1 - at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_toml(text: &str) {
        let fast = parse(text).expect("inside the fast subset");
        let slow: ListFile = toml::from_str(text).expect("valid TOML");
        assert_eq!(fast.enterprise.len(), slow.enterprise.len());
        for (a, b) in fast.enterprise.iter().zip(&slow.enterprise) {
            for (x, y) in [
                (&a.name, &b.name),
                (&a.credit_code, &b.credit_code),
                (&a.district, &b.district),
            ] {
                assert_eq!(x.get_ref(), y.get_ref());
                assert_eq!(x.span(), y.span(), "span of {:?}", x.get_ref());
            }
            assert_eq!(a.industry, b.industry);
            assert_eq!(a.withdrawn, b.withdrawn);
        }
        assert_eq!(fast.year.span(), slow.year.span());
    }

    const HEAD: &str = "year = 2026\nquarter = 1\nkind = \"application\"\nstage = \"publicity\"\n\n[publicity]\nstart = 2026-04-20\nworking_days = 5\n\n";

    #[test]
    fn matches_toml_values_and_spans() {
        same_as_toml(&format!(
            "{HEAD}[[enterprise]]\nname = \"大连甲有限公司\"\ncredit_code = \"91210202MA0000001J\"\ndistrict = \"中山区\"\n\n# comment\n[[enterprise]]  \n  name   =   \"乙\"   # trailing\ncredit_code=\"x\"\ndistrict = \"高新区\"\r\nindustry = \"软件\"\nwithdrawn = \"异议\"\n"
        ));
    }

    #[test]
    fn the_repository_lists_parse_the_same_both_ways() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lists");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            same_as_toml(&text);
        }
    }

    #[test]
    fn falls_back_outside_the_subset() {
        let row = "[[enterprise]]\nname = \"a\"\ncredit_code = \"b\"\ndistrict = \"c\"\n";
        assert!(parse(&format!("{HEAD}{row}")).is_some());
        for bad in [
            format!("{HEAD}{row}nmae = \"x\"\n"),                 // unknown key
            format!("{HEAD}{row}name = \"again\"\n"),            // duplicate key
            format!("{HEAD}[[enterprise]]\nname = \"a\"\n"),      // missing keys
            format!("{HEAD}{row}[announcement]\ndate = 2026-05-01\n"), // another table
            format!("{HEAD}[[enterprise]]\nname = \"a\\\"b\"\ncredit_code = \"b\"\ndistrict = \"c\"\n"), // escape
            format!("{HEAD}[[enterprise]]\nname = 'a'\ncredit_code = \"b\"\ndistrict = \"c\"\n"), // literal
            format!("{HEAD}[[enterprise]]\nname = \"a\" x\ncredit_code = \"b\"\ndistrict = \"c\"\n"), // junk
            format!("{HEAD}[[enterprise]]\nname = \"\"\"a\"\"\"\ncredit_code = \"b\"\ndistrict = \"c\"\n"),
            format!("{HEAD}{row}[[enterprise]]\n"),
            HEAD.to_string(),
        ] {
            assert!(parse(&bad).is_none(), "should fall back: {bad}");
        }
    }

    #[test]
    fn refused_characters_go_to_the_toml_path_in_every_field() {
        for c in [
            '\u{202e}',
            '\u{2066}',
            '\u{fffe}',
            '\u{10ffff}',
            '\u{85}',
            '\u{feff}',
            '\u{61c}',
        ] {
            for key in ["name", "credit_code", "district", "industry", "withdrawn"] {
                let mut row = String::from("[[enterprise]]\n");
                for k in ["name", "credit_code", "district", "industry", "withdrawn"] {
                    let v = if k == key {
                        format!("a{c}b")
                    } else {
                        "x".into()
                    };
                    row.push_str(&format!("{k} = \"{v}\"\n"));
                }
                let text = format!("{HEAD}{row}");
                assert!(parse(&text).is_none(), "{key} with U+{:04X}", c as u32);
                let (_, d) = crate::load::parse_toml::<ListFile>(
                    std::path::Path::new("data/lists/x.toml"),
                    text,
                );
                assert!(
                    d.items().iter().any(|i| i.code == Some("text-char")),
                    "{key} with U+{:04X}",
                    c as u32
                );
            }
        }
    }
}
