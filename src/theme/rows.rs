//! Row partials compiled once into literal pieces and slots.
//!
//! The tables of list and district pages hold every enterprise (a million rows on a
//! national site), so a row cannot go through the template engine: building a template
//! value per row and interpreting the loop cost more than everything else in a build. The
//! theme still owns the markup: `partials/list_row.html` is an ordinary file in the theme,
//! written in a small subset of Tera (`{{ field }}`, `{% if field %}…{% else %}…{% endif %}`,
//! `{% if not field %}`, `{# comments #}` and `-` whitespace trimming), compiled at theme
//! load into pieces that are copied and slots that are escaped.

use std::fmt;

/// A value of one field of a row.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Text(&'a str),
    Number(usize),
    Flag(bool),
    Absent,
}

impl Value<'_> {
    fn truthy(&self) -> bool {
        match self {
            Value::Text(s) => !s.is_empty(),
            Value::Number(n) => *n != 0,
            Value::Flag(b) => *b,
            Value::Absent => false,
        }
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Value::Absent, Value::Text)
    }
}

/// How slots are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// HTML text and quoted attributes (the escaper Tera uses too).
    Html,
    /// Nothing: the caller escapes the whole result (a CSV cell).
    None,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Slot(usize),
    If {
        field: usize,
        negate: bool,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

/// A compiled row template.
#[derive(Debug, Clone)]
pub struct RowTemplate {
    nodes: Vec<Node>,
    escape: Escape,
}

/// Why a row template did not compile, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A tag of the template text.
#[derive(Debug)]
enum Tag<'t> {
    Text(&'t str),
    Var(&'t str),
    Block(&'t str),
}

/// Splits a template into text and tags, applying `-` whitespace trimming.
fn tokenize(src: &str) -> Result<Vec<(usize, Tag<'_>)>, RowError> {
    let mut out: Vec<(usize, Tag)> = Vec::new();
    let mut pos = 0;
    let mut trim_next = false;
    while pos < src.len() {
        let rest = &src[pos..];
        let next = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|o| rest.find(o))
            .min();
        let Some(i) = next else {
            let t = if trim_next { rest.trim_start() } else { rest };
            out.push((pos, Tag::Text(t)));
            break;
        };
        let open = &rest[i..i + 2];
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        let inner_start = i + 2;
        let Some(end) = rest[inner_start..].find(close) else {
            return Err(RowError {
                at: pos + i,
                message: format!("“{open}”没有对应的“{close}” (unclosed tag)"),
            });
        };
        let mut inner = &rest[inner_start..inner_start + end];
        let trim_before = inner.starts_with('-');
        let trim_after = inner.ends_with('-');
        if trim_before {
            inner = &inner[1..];
        }
        if trim_after && !inner.is_empty() {
            inner = &inner[..inner.len() - 1];
        }
        let mut text = &rest[..i];
        if trim_next {
            text = text.trim_start();
        }
        if trim_before {
            text = text.trim_end();
        }
        out.push((pos, Tag::Text(text)));
        match open {
            "{{" => out.push((pos + i, Tag::Var(inner.trim()))),
            "{%" => out.push((pos + i, Tag::Block(inner.trim()))),
            _ => {}
        }
        trim_next = trim_after;
        pos += inner_start + end + 2;
    }
    Ok(out)
}

impl RowTemplate {
    /// Compiles `src`; `fields` are the names a row provides, in the order of the values
    /// passed to `render`.
    pub fn compile(src: &str, fields: &[&str], escape: Escape) -> Result<RowTemplate, RowError> {
        let tags = tokenize(src)?;
        let field = |at: usize, name: &str| {
            fields.iter().position(|f| *f == name).ok_or_else(|| RowError {
                at,
                message: format!(
                    "表格行模板中不认识“{name}”：这里可以用 {} (unknown field)",
                    fields.join("、")
                ),
            })
        };
        // A stack of open ifs: (field, negate, then, otherwise, in else, where).
        let mut stack: Vec<(usize, bool, Vec<Node>, Vec<Node>, bool, usize)> = Vec::new();
        let mut top: Vec<Node> = Vec::new();
        fn current<'s>(
            top: &'s mut Vec<Node>,
            stack: &'s mut [(usize, bool, Vec<Node>, Vec<Node>, bool, usize)],
        ) -> &'s mut Vec<Node> {
            match stack.last_mut() {
                Some((_, _, then, otherwise, in_else, _)) => {
                    if *in_else {
                        otherwise
                    } else {
                        then
                    }
                }
                None => top,
            }
        }
        for (at, tag) in tags {
            match tag {
                Tag::Text(t) if !t.is_empty() => {
                    current(&mut top, &mut stack).push(Node::Text(t.to_string()))
                }
                Tag::Text(_) => {}
                Tag::Var(name) => {
                    let f = field(at, name)?;
                    current(&mut top, &mut stack).push(Node::Slot(f));
                }
                Tag::Block(b) => {
                    let words: Vec<&str> = b.split_whitespace().collect();
                    match words.as_slice() {
                        ["if", name] => stack.push((field(at, name)?, false, vec![], vec![], false, at)),
                        ["if", "not", name] => {
                            stack.push((field(at, name)?, true, vec![], vec![], false, at))
                        }
                        ["else"] => match stack.last_mut() {
                            Some(open) if !open.4 => open.4 = true,
                            _ => {
                                return Err(RowError {
                                    at,
                                    message: "“else”前面没有对应的“if” (else without if)".into(),
                                })
                            }
                        },
                        ["endif"] => {
                            let Some((field, negate, then, otherwise, _, _)) = stack.pop() else {
                                return Err(RowError {
                                    at,
                                    message: "“endif”前面没有对应的“if” (endif without if)".into(),
                                });
                            };
                            current(&mut top, &mut stack).push(Node::If {
                                field,
                                negate,
                                then,
                                otherwise,
                            });
                        }
                        _ => {
                            return Err(RowError {
                                at,
                                message: format!(
                                    "表格行模板只能用 {{% if 字段 %}}、{{% if not 字段 %}}、{{% else %}} 和 {{% endif %}}，不能用“{b}” (unsupported tag)"
                                ),
                            })
                        }
                    }
                }
            }
        }
        if let Some(open) = stack.last() {
            return Err(RowError {
                at: open.5,
                message: "“if”没有对应的“endif” (if without endif)".into(),
            });
        }
        Ok(RowTemplate {
            nodes: merge_text(top),
            escape,
        })
    }

    /// Appends the row for `values` (in the order of the compiled fields).
    pub fn render(&self, out: &mut String, values: &[Value<'_>]) {
        render_nodes(&self.nodes, out, values, self.escape);
    }
}

fn merge_text(nodes: Vec<Node>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(nodes.len());
    for n in nodes {
        match (out.last_mut(), n) {
            (Some(Node::Text(prev)), Node::Text(t)) => prev.push_str(&t),
            (
                _,
                Node::If {
                    field,
                    negate,
                    then,
                    otherwise,
                },
            ) => out.push(Node::If {
                field,
                negate,
                then: merge_text(then),
                otherwise: merge_text(otherwise),
            }),
            (_, n) => out.push(n),
        }
    }
    out
}

fn render_nodes(nodes: &[Node], out: &mut String, values: &[Value<'_>], escape: Escape) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Slot(f) => match values[*f] {
                Value::Text(s) => match escape {
                    // Writing to a String cannot fail.
                    Escape::Html => {
                        let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
                    }
                    Escape::None => out.push_str(s),
                },
                Value::Number(n) => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "{n}");
                }
                Value::Flag(_) | Value::Absent => {}
            },
            Node::If {
                field,
                negate,
                then,
                otherwise,
            } => {
                let branch = if values[*field].truthy() != *negate {
                    then
                } else {
                    otherwise
                };
                render_nodes(branch, out, values, escape);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: [&str; 4] = ["n", "name", "withdrawn", "sample"];

    fn row(src: &str, values: &[Value]) -> String {
        let t = RowTemplate::compile(src, &FIELDS, Escape::Html).unwrap();
        let mut out = String::new();
        t.render(&mut out, values);
        out
    }

    #[test]
    fn slots_are_escaped_and_pieces_copied() {
        let v = [
            Value::Number(3),
            Value::Text("大连<甲>\"'&"),
            Value::Absent,
            Value::Flag(false),
        ];
        assert_eq!(
            row("<tr id=\"r{{ n }}\"><th>{{ name }}</th></tr>", &v),
            "<tr id=\"r3\"><th>大连&lt;甲&gt;&quot;&#39;&amp;</th></tr>"
        );
    }

    #[test]
    fn conditions_nest_and_negate() {
        let src = "{% if withdrawn %}W:{{ withdrawn }}{% if sample %}S{% endif %}{% else %}ok{% endif %}{% if not sample %}!{% endif %}";
        let mut v = [Value::Number(1), Value::Text("x"), Value::Text("why"), Value::Flag(true)];
        assert_eq!(row(src, &v), "W:whyS");
        v[2] = Value::Absent;
        v[3] = Value::Flag(false);
        assert_eq!(row(src, &v), "ok!");
    }

    #[test]
    fn whitespace_trimming_and_comments() {
        let v = [Value::Number(1), Value::Text("a"), Value::Absent, Value::Flag(false)];
        assert_eq!(row("<tr>\n  {{- name -}}\n</tr>{# note #}\n", &v), "<tr>a</tr>\n");
    }

    #[test]
    fn mistakes_are_errors_with_positions() {
        let e = RowTemplate::compile("<td>{{ nmae }}</td>", &FIELDS, Escape::Html).unwrap_err();
        assert_eq!(e.at, 4);
        assert!(e.message.contains("nmae"));
        for bad in [
            "{% if name %}x",
            "{% endif %}",
            "{% for r in rows %}{% endfor %}",
            "{{ name",
            "{% else %}",
        ] {
            assert!(RowTemplate::compile(bad, &FIELDS, Escape::Html).is_err(), "{bad}");
        }
    }
}
