//! Markdown to HTML for content pages (pulldown-cmark), with the few changes a
//! government page needs: header cells get `scope="col"`, headings get stable ids.

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Links and raw HTML in `markdown` that may not be published, with their byte ranges:
/// links must pass `domain::url::check_link`; raw HTML is trusted from staff except for
/// anything that runs code (see `domain::url::raw_html_problem`).
pub(crate) fn problems(markdown: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = Vec::new();
    for (ev, range) in Parser::new_ext(markdown, opts).into_offset_iter() {
        match ev {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Err(why) = crate::domain::url::check_link(&dest_url) {
                    out.push((
                        range,
                        format!(
                            "链接“{}”不能发布：{why}",
                            crate::domain::text::escape_controls(&dest_url)
                        ),
                    ));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(what) = crate::domain::url::raw_html_problem(&html) {
                    out.push((
                        range,
                        format!("页面中的 HTML 含有{what}，不能发布 (raw HTML that runs code)"),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

pub(crate) fn to_html(markdown: &str) -> String {
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
    fn script_links_and_raw_html_are_found_with_their_place() {
        let md =
            "# t\n\n[ok](https://x.cn/) [bad](javascript:alert(1))\n\n<div onclick=\"x\">y</div>\n";
        let p = problems(md);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(&md[p[0].0.clone()], "[bad](javascript:alert(1))");
        assert!(md[p[1].0.clone()].starts_with("<div onclick"));
        assert!(problems("[a](/notice/) <b>粗体</b>").is_empty());
    }

    #[test]
    fn tables_get_header_scope_and_headings_ids() {
        let h = to_html("## 一、申报条件\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(h.contains("<h2 id=\"s1\">一、申报条件</h2>"), "{h}");
        assert!(h.contains("<th scope=\"col\">a</th>"), "{h}");
        assert!(h.contains("<td>1</td>"), "{h}");
    }
}
