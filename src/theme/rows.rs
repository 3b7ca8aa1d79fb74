//! Table rows of enterprises, from the theme's row partials (`partials/list_row.html`,
//! `partials/withdrawn_row.html`, `partials/district_row.html`).
//!
//! These tables hold every enterprise (a million rows for a national site), so their rows
//! skip the template engine: building a Tera value per row and interpreting the loop cost
//! more than everything else in a build. Instead each partial is compiled once, at theme
//! load, into literals alternating with escaped slots, one such row for each combination
//! of its `if` conditions. The partials are written in a small subset of Tera
//! (`{{ field }}`, `{% if field %}…{% else %}…{% endif %}`, `{% if not field %}`,
//! `{# comments #}` and the `-` whitespace trims), so they read like every other template
//! and the theme, not Rust, owns the markup and its words.

use std::ops::Range;

use serde::Serialize;

use crate::escape::html_into as escape_into;

/// A value a row gives its partial. `Text(None)` and `Text(Some(""))` write nothing and
/// are false in an `if`, as a missing value is in Tera.
#[derive(Clone, Copy)]
pub(crate) enum Value<'a> {
    Text(Option<&'a str>),
    Number(usize),
    Flag(bool),
}

impl Value<'_> {
    fn truthy(self) -> bool {
        match self {
            Value::Text(t) => t.is_some_and(|t| !t.is_empty()),
            Value::Number(n) => n != 0,
            Value::Flag(b) => b,
        }
    }
}

/// A kind of row: the names its partial may use, and their values for one row.
/// One table row of a list page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row<'a> {
    pub n: usize,
    pub name: &'a str,
    pub credit_code: &'a str,
    pub district: &'a str,
    pub district_url: &'a str,
    pub industry: Option<&'a str>,
    pub withdrawn: Option<&'a str>,
}

/// A row of a district page: an enterprise and the list page that shows it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DistrictRow<'a> {
    pub name: &'a str,
    pub credit_code: &'a str,
    pub list_title: &'a str,
    /// The list page holding the row; the row's anchor is its credit code.
    pub page_url: &'a str,
    /// The enterprise's page in the directory; empty for a row of a draft list (drafts
    /// say nothing of anyone, so the directory does not hold them).
    pub enterprise_url: &'a str,
    pub sample: bool,
    pub draft: bool,
    pub withdrawn: bool,
}

pub(crate) trait RowFields {
    const FIELDS: &'static [&'static str];
    /// The value of `FIELDS[slot]`.
    fn value(&self, slot: usize) -> Value<'_>;
}

/// Fields of a list page's rows, in the table of the list and in the table of
/// enterprises withdrawn after publicity.
pub(crate) struct ListRow<'a> {
    pub row: &'a Row<'a>,
    pub has_industry: bool,
}

impl RowFields for ListRow<'_> {
    const FIELDS: &'static [&'static str] = &[
        "n",
        "name",
        "credit_code",
        "district",
        "district_url",
        "industry",
        "withdrawn",
        "has_industry",
    ];
    fn value(&self, slot: usize) -> Value<'_> {
        let r = self.row;
        match slot {
            0 => Value::Number(r.n),
            1 => Value::Text(Some(r.name)),
            2 => Value::Text(Some(r.credit_code)),
            3 => Value::Text(Some(r.district)),
            4 => Value::Text(Some(r.district_url)),
            5 => Value::Text(r.industry),
            6 => Value::Text(r.withdrawn),
            _ => Value::Flag(self.has_industry),
        }
    }
}

impl RowFields for DistrictRow<'_> {
    const FIELDS: &'static [&'static str] = &[
        "name",
        "credit_code",
        "list_title",
        "list_url",
        "sample",
        "draft",
        "withdrawn",
        "enterprise_url",
    ];
    fn value(&self, slot: usize) -> Value<'_> {
        match slot {
            0 => Value::Text(Some(self.name)),
            1 => Value::Text(Some(self.credit_code)),
            2 => Value::Text(Some(self.list_title)),
            3 => Value::Text(Some(self.page_url)),
            4 => Value::Flag(self.sample),
            5 => Value::Flag(self.draft),
            6 => Value::Flag(self.withdrawn),
            _ => Value::Text(Some(self.enterprise_url)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Literal(String),
    Slot(usize),
    If {
        slot: usize,
        negate: bool,
        then: Vec<Piece>,
        otherwise: Vec<Piece>,
    },
}

/// A compiled row partial: for each combination of its `if` conditions, the row as
/// alternating literals and slots, with the literals on either side of an `if` merged.
/// A row then costs one lookup and a copy per literal, close to hand-written `push_str`s.
#[derive(Debug, Clone)]
pub(crate) struct RowTemplate {
    /// The slots tested by `if`s; bit `i` of a variant's index is whether `conditions[i]`
    /// is true for the row. At most one per field, so at most 2^8 small variants.
    conditions: Vec<usize>,
    variants: Vec<Variant>,
}

#[derive(Debug, Clone, Default)]
struct Variant {
    /// Each literal is followed by the value of its slot.
    steps: Vec<(String, usize)>,
    tail: String,
}

/// Why a row partial does not compile, and where (a byte range of its text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RowTemplateError {
    pub span: Range<usize>,
    pub message: String,
}

impl RowTemplate {
    /// Compiles `text` for rows whose values are named `fields`.
    pub(crate) fn compile(text: &str, fields: &[&str]) -> Result<RowTemplate, RowTemplateError> {
        let mut parser = Parser {
            text,
            fields,
            at: 0,
            trim_next: false,
        };
        let (pieces, end) = parser.block()?;
        if let Some((span, tag)) = end {
            return Err(RowTemplateError {
                span,
                message: format!("多余的 {{% {tag} %}}：前面没有对应的 {{% if %}}"),
            });
        }
        let mut conditions = Vec::new();
        collect_conditions(&pieces, &mut conditions);
        let variants = (0..1usize << conditions.len())
            .map(|mask| {
                let mut variant = Variant::default();
                flatten(&pieces, &conditions, mask, &mut variant);
                variant
            })
            .collect();
        Ok(RowTemplate {
            conditions,
            variants,
        })
    }

    /// One row per item.
    pub(crate) fn render_all<R: RowFields>(&self, rows: impl IntoIterator<Item = R>) -> String {
        let mut rows = rows.into_iter();
        let mut out = String::new();
        let Some(first) = rows.next() else {
            return out;
        };
        self.write_row(&mut out, &first);
        // Rows are alike in length: reserve for all of them at once rather than copying a
        // page of tens of thousands of rows each time the string doubles.
        let per_row = out.len() + out.len() / 4;
        out.reserve(rows.size_hint().0.saturating_mul(per_row));
        for r in rows {
            self.write_row(&mut out, &r);
        }
        out
    }

    fn write_row<R: RowFields>(&self, out: &mut String, row: &R) {
        let mut mask = 0;
        for (bit, &slot) in self.conditions.iter().enumerate() {
            mask |= usize::from(row.value(slot).truthy()) << bit;
        }
        let variant = &self.variants[mask];
        for (literal, slot) in &variant.steps {
            out.push_str(literal);
            match row.value(*slot) {
                Value::Text(t) => escape_into(out, t.unwrap_or("")),
                Value::Number(n) => out.push_str(itoa::Buffer::new().format(n)),
                Value::Flag(b) => out.push_str(if b { "true" } else { "false" }),
            }
        }
        out.push_str(&variant.tail);
    }
}

fn collect_conditions(pieces: &[Piece], conditions: &mut Vec<usize>) {
    for p in pieces {
        if let Piece::If {
            slot,
            then,
            otherwise,
            ..
        } = p
        {
            if !conditions.contains(slot) {
                conditions.push(*slot);
            }
            collect_conditions(then, conditions);
            collect_conditions(otherwise, conditions);
        }
    }
}

/// Appends to `variant` the pieces taken when the conditions are as `mask` says.
fn flatten(pieces: &[Piece], conditions: &[usize], mask: usize, variant: &mut Variant) {
    for p in pieces {
        match p {
            Piece::Literal(s) => variant.tail.push_str(s),
            Piece::Slot(slot) => {
                let literal = std::mem::take(&mut variant.tail);
                variant.steps.push((literal, *slot));
            }
            Piece::If {
                slot,
                negate,
                then,
                otherwise,
            } => {
                let truthy = conditions
                    .iter()
                    .position(|c| c == slot)
                    .is_some_and(|bit| mask >> bit & 1 == 1);
                let taken = if truthy != *negate { then } else { otherwise };
                flatten(taken, conditions, mask, variant);
            }
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    fields: &'t [&'t str],
    at: usize,
    /// The previous tag ended with `-`: drop the whitespace that starts the next literal.
    trim_next: bool,
}

/// The tag that ended a block (`else`, `endif`) and where it was; `None` at the end.
type BlockEnd = Option<(Range<usize>, &'static str)>;

impl Parser<'_> {
    fn block(&mut self) -> Result<(Vec<Piece>, BlockEnd), RowTemplateError> {
        let mut pieces = Vec::new();
        loop {
            let rest = &self.text[self.at..];
            let next = ["{{", "{%", "{#"]
                .iter()
                .filter_map(|open| rest.find(open))
                .min();
            let literal_end = next.unwrap_or(rest.len());
            let mut literal = &rest[..literal_end];
            if std::mem::take(&mut self.trim_next) {
                literal = literal.trim_start();
            }
            let tag_trims_before = rest[literal_end..].get(2..3) == Some("-");
            if tag_trims_before {
                literal = literal.trim_end();
            }
            if !literal.is_empty() {
                pieces.push(Piece::Literal(literal.to_string()));
            }
            let Some(start) = next else {
                self.at = self.text.len();
                return Ok((pieces, None));
            };
            let start = self.at + start;
            let open = &self.text[start..start + 2];
            let close = match open {
                "{{" => "}}",
                "{%" => "%}",
                _ => "#}",
            };
            let Some(len) = self.text[start + 2..].find(close) else {
                return Err(RowTemplateError {
                    span: start..start + 2,
                    message: format!("{open} 没有对应的 {close}"),
                });
            };
            let end = start + 2 + len + 2;
            let span = start..end;
            let mut inner = &self.text[start + 2..end - 2];
            if let Some(i) = inner.strip_prefix('-') {
                inner = i;
            }
            if let Some(i) = inner.strip_suffix('-') {
                inner = i;
                self.trim_next = true;
            }
            let inner = inner.trim();
            self.at = end;
            match open {
                "{#" => {}
                "{{" => pieces.push(Piece::Slot(self.field(inner, &span)?)),
                _ => {
                    let mut words = inner.split_whitespace();
                    match (words.next(), words.next(), words.next(), words.next()) {
                        (Some("if"), Some("not"), Some(name), None) => {
                            pieces.push(self.if_block(name, true, span)?)
                        }
                        (Some("if"), Some(name), None, None) => {
                            pieces.push(self.if_block(name, false, span)?)
                        }
                        (Some("else"), None, ..) => return Ok((pieces, Some((span, "else")))),
                        (Some("endif"), None, ..) => return Ok((pieces, Some((span, "endif")))),
                        _ => {
                            return Err(RowTemplateError {
                                span,
                                message: format!(
                                    "行模板不支持 {{% {inner} %}}：只能用 {{% if 字段 %}}、{{% if not 字段 %}}、{{% else %}}、{{% endif %}}"
                                ),
                            })
                        }
                    }
                }
            }
        }
    }

    fn if_block(
        &mut self,
        name: &str,
        negate: bool,
        span: Range<usize>,
    ) -> Result<Piece, RowTemplateError> {
        let slot = self.field(name, &span)?;
        let unclosed = || RowTemplateError {
            span: span.clone(),
            message: "{% if %} 没有对应的 {% endif %}".to_string(),
        };
        let (then, end) = self.block()?;
        let (otherwise, end) = match end {
            Some((_, "else")) => {
                let (otherwise, end) = self.block()?;
                match end {
                    Some((_, "endif")) => (otherwise, end),
                    Some((span, tag)) => {
                        return Err(RowTemplateError {
                            span,
                            message: format!("这里应当是 {{% endif %}}，而不是 {{% {tag} %}}"),
                        })
                    }
                    None => return Err(unclosed()),
                }
            }
            Some((_, "endif")) => (Vec::new(), end),
            _ => return Err(unclosed()),
        };
        debug_assert!(end.is_some());
        Ok(Piece::If {
            slot,
            negate,
            then,
            otherwise,
        })
    }

    fn field(&self, name: &str, span: &Range<usize>) -> Result<usize, RowTemplateError> {
        self.fields
            .iter()
            .position(|f| *f == name)
            .ok_or_else(|| RowTemplateError {
                span: span.clone(),
                message: format!(
                    "行模板中没有“{name}”这个字段：只能用 {}{}",
                    self.fields.join("、"),
                    if name.contains(['|', '(', '.', '[']) {
                        "（行模板不支持过滤器、函数和点号）"
                    } else {
                        ""
                    }
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST_ROW: &str = include_str!("../../themes/default/templates/partials/list_row.html");

    fn row<'a>(withdrawn: Option<&'a str>, industry: Option<&'a str>) -> Row<'a> {
        Row {
            n: 3,
            name: "大连<甲>",
            credit_code: "91210202MA0000001J",
            district: "中山区",
            district_url: "/districts/%E4%B8%AD/",
            industry,
            withdrawn,
        }
    }

    #[test]
    fn the_default_list_row_escapes_every_slot() {
        let t = RowTemplate::compile(LIST_ROW, ListRow::FIELDS).unwrap();
        let r = row(Some("异议\"成立\""), None);
        let html = t.render_all([ListRow {
            row: &r,
            has_industry: true,
        }]);
        assert_eq!(
            html,
            "<tr id=\"91210202MA0000001J\" class=\"withdrawn\"><td>3</td><th scope=\"row\">大连&lt;甲&gt; <span class=\"tag tag-withdrawn\">已撤回</span><br><small>异议&quot;成立&quot;</small></th><td><a href=\"/districts/%E4%B8%AD/\">中山区</a></td><td class=\"code\">91210202MA0000001J</td><td></td></tr>\n"
        );
    }

    #[test]
    fn each_combination_of_conditions_is_one_literal_between_slots() {
        let t = RowTemplate::compile(LIST_ROW, ListRow::FIELDS).unwrap();
        // withdrawn and has_industry
        assert_eq!(t.variants.len(), 4);
        let plain = &t.variants[0b10]; // has_industry only
        let slots: Vec<&str> = plain
            .steps
            .iter()
            .map(|(_, slot)| ListRow::FIELDS[*slot])
            .collect();
        assert_eq!(
            slots,
            [
                "credit_code",
                "n",
                "name",
                "district_url",
                "district",
                "credit_code",
                "industry"
            ]
        );
        assert_eq!(plain.steps[1].0, "\"><td>");
        assert_eq!(plain.tail, "</td></tr>\n");
    }

    #[test]
    fn if_else_not_and_trims() {
        let t = RowTemplate::compile(
            "{# a comment #}<td>\n  {{- name -}}\n</td>{% if not withdrawn %}在列{% else %}撤回：{{ withdrawn }}{% endif %}",
            ListRow::FIELDS,
        )
        .unwrap();
        let (a, b) = (row(None, None), row(Some("x"), None));
        let html = t.render_all([
            ListRow {
                row: &a,
                has_industry: false,
            },
            ListRow {
                row: &b,
                has_industry: false,
            },
        ]);
        assert_eq!(
            html,
            "<td>大连&lt;甲&gt;</td>在列<td>大连&lt;甲&gt;</td>撤回：x"
        );
    }

    #[test]
    fn nested_ifs() {
        let t = RowTemplate::compile(
            "{% if has_industry %}[{% if industry %}{{ industry }}{% else %}-{% endif %}]{% endif %}",
            ListRow::FIELDS,
        )
        .unwrap();
        let (a, b) = (row(None, Some("制造")), row(None, None));
        let html = t.render_all([
            ListRow {
                row: &a,
                has_industry: true,
            },
            ListRow {
                row: &b,
                has_industry: true,
            },
            ListRow {
                row: &b,
                has_industry: false,
            },
        ]);
        assert_eq!(html, "[制造][-]");
    }

    #[test]
    fn errors_name_the_place_and_what_is_allowed() {
        let e = RowTemplate::compile("<td>{{ nam }}</td>", ListRow::FIELDS).unwrap_err();
        assert_eq!(e.span, 4..13);
        assert!(
            e.message.contains("“nam”") && e.message.contains("name"),
            "{}",
            e.message
        );
        let e = RowTemplate::compile("{{ name | upper }}", ListRow::FIELDS).unwrap_err();
        assert!(e.message.contains("过滤器"), "{}", e.message);
        let e = RowTemplate::compile("a{% if name %}b", ListRow::FIELDS).unwrap_err();
        assert_eq!(e.span, 1..14);
        let e = RowTemplate::compile("a{% endif %}", ListRow::FIELDS).unwrap_err();
        assert_eq!(e.span, 1..12);
        let e = RowTemplate::compile("{% for x in y %}", ListRow::FIELDS).unwrap_err();
        assert!(e.message.contains("不支持"), "{}", e.message);
        let e = RowTemplate::compile("<td>{{ name </td>", ListRow::FIELDS).unwrap_err();
        assert_eq!(e.span, 4..6);
    }
}
