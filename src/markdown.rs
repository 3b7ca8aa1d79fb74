//! Markdown to HTML for content pages (pulldown-cmark), with the few changes a
//! government page needs: header cells get `scope="col"`, headings get stable ids.

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub fn to_html(markdown: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut in_head = false;
    let mut heading_no = 0;
    let events = Parser::new_ext(markdown, opts).map(|ev| match ev {
        Event::Start(Tag::TableHead) => {
            in_head = true;
            ev
        }
        Event::End(TagEnd::TableHead) => {
            in_head = false;
            ev
        }
        Event::Start(Tag::TableCell) if in_head => Event::Html("<th scope=\"col\">".into()),
        Event::End(TagEnd::TableCell) if in_head => Event::Html("</th>".into()),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) if id.is_none() && level >= HeadingLevel::H2 => {
            heading_no += 1;
            Event::Start(Tag::Heading {
                level,
                id: Some(format!("s{heading_no}").into()),
                classes,
                attrs,
            })
        }
        _ => ev,
    });
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_get_header_scope_and_headings_ids() {
        let h = to_html("## 一、申报条件\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(h.contains("<h2 id=\"s1\">一、申报条件</h2>"), "{h}");
        assert!(h.contains("<th scope=\"col\">a</th>"), "{h}");
        assert!(h.contains("<td>1</td>"), "{h}");
    }
}
