//! A fast path for the bulk of a list file: the `[[enterprise]]` tables.
//!
//! Large lists (100,000+ rows) spend most of their load time in a general TOML parser.
//! The rows use a tiny subset of TOML (bare keys, plain basic strings, comments), so this
//! module reads that subset directly, producing exactly the values and spans the `toml`
//! crate would. Anything outside the subset — escapes, other keys, duplicate or missing
//! keys, other tables — returns `None`, and the caller parses the whole file with `toml`,
//! which then also produces the precise diagnostics.

use toml::Spanned;

use crate::data::{EnterpriseFile, ListFile};

const HEADER: &str = "[[enterprise]]";

/// Parses a list file, or `None` when the file is outside the fast subset.
pub fn parse(text: &str) -> Option<ListFile> {
    let first = find_first_header(text)?;
    let mut head: ListFile = toml::from_str(&text[..first]).ok()?;
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
    let mut rows = Vec::with_capacity(text.len() / 120);
    let mut current: Option<Row> = None;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.trim_end_matches([' ', '\t']) == HEADER {
            if let Some(row) = current.take() {
                rows.push(row.finish()?);
            }
            current = Some(Row::default());
            continue;
        }
        let row = current.as_mut()?;
        let indent = content.len() - trimmed.len();
        let (key, rest) = trimmed.split_once('=')?;
        let key = key.trim_end_matches([' ', '\t']);
        let value_part = rest.trim_start_matches([' ', '\t']);
        let value_start =
            line_start + indent + key.len() + (trimmed.len() - key.len() - value_part.len());
        let (value, len) = basic_string(value_part)?;
        let spanned = Spanned::new(value_start..value_start + len, value);
        let slot_taken = match key {
            "name" => row.name.replace(spanned).is_some(),
            "credit_code" => row.credit_code.replace(spanned).is_some(),
            "district" => row.district.replace(spanned).is_some(),
            "industry" => row.industry.replace(spanned.into_inner()).is_some(),
            "withdrawn" => row.withdrawn.replace(spanned.into_inner()).is_some(),
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

/// A basic string without escapes, followed only by white space or a comment.
/// Returns the value and the token's length in bytes (quotes included).
fn basic_string(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix('"')?;
    let end = body.find(['"', '\\'])?;
    if body.as_bytes()[end] != b'"' {
        return None;
    }
    let value = &body[..end];
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return None;
    }
    let after = body[end + 1..].trim_start_matches([' ', '\t']);
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    Some((value.to_string(), end + 2))
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
}
