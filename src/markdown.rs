//! Markdown to HTML for content pages (pulldown-cmark), with the few changes a
//! government page needs: header cells get `scope="col"`, headings get stable ids.
//!
//! Raw HTML in a page is read twice, as a browser would read it, never by string
//! matching: html5ever's tokenizer finds what runs code or loads from elsewhere for the
//! diagnostics (`problems`, with the place, so the clerk learns of it and the build
//! refuses it), and the rendered HTML of every page that has raw HTML is sanitized with
//! ammonia (also html5ever) to an allow-list fit for a notice (`sanitize`): that is the
//! guarantee, whatever the check misses.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag as HtmlTag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::domain::text::escape_controls;
use crate::domain::url::{check_link, site_path_problem};

/// The line replaced by the district contact table (render), kept through sanitizing.
const DISTRICT_TABLE: &str = "<!-- district-table -->";

/// Whether raw HTML from the page is only the district-table marker.
fn is_marker(html: &str) -> bool {
    html.trim() == DISTRICT_TABLE
}

/// One event of an HTML block: where it starts in the block's text, and its bytes in the
/// file.
type HtmlLine = (usize, Range<usize>);

/// Links and raw HTML in `markdown` that may not be published, with their byte ranges:
/// links must pass `domain::url::check_link`; raw HTML may not run code or load from
/// elsewhere (`raw_html_problems`). A block of HTML is read whole, so a tag spread over
/// lines is seen as one; its problem points at the line the tag ends on. When nothing is
/// found piece by piece, the whole rendered page is read once more for what runs code.
pub(crate) fn problems(markdown: &str) -> Vec<(Range<usize>, String)> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = Vec::new();
    // The HTML block being read: its text and, per event, where it starts in that text
    // and in the file.
    let mut block: Option<(String, Vec<HtmlLine>)> = None;
    let mut first_raw: Option<Range<usize>> = None;
    for (ev, range) in Parser::new_ext(markdown, opts).into_offset_iter() {
        if let Event::Html(h) | Event::InlineHtml(h) = &ev {
            if first_raw.is_none() && !is_marker(h) {
                first_raw = Some(range.clone());
            }
        }
        match ev {
            Event::Start(Tag::HtmlBlock) => block = Some((String::new(), Vec::new())),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((text, parts)) = block.take() {
                    for (line, why) in raw_html_problems(&text) {
                        let at = line_start(&text, line);
                        let part = parts
                            .iter()
                            .rev()
                            .find(|(start, _)| *start <= at)
                            .or(parts.first());
                        if let Some((_, r)) = part {
                            out.push((r.clone(), why));
                        }
                    }
                }
            }
            Event::Html(html) if block.is_some() => {
                if let Some((text, parts)) = block.as_mut() {
                    parts.push((text.len(), range));
                    text.push_str(&html);
                }
            }
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
                for (_, why) in raw_html_problems(&html) {
                    out.push((range.clone(), why));
                }
            }
            _ => {}
        }
    }
    // Markup that only comes together across pieces (an attribute value left open in one
    // HTML block, closed in the text after it): the whole page as rendered, shown at the
    // first raw HTML, when nothing else was found. The sanitizer takes it out anyway;
    // this tells the clerk.
    if let (true, Some(at)) = (out.is_empty(), first_raw) {
        for (_, why) in html_problems(&render(markdown), false) {
            out.push((
                at.clone(),
                format!("{why}；它由这里起的几段 HTML 和文字合起来才形成 (formed across pieces of the page)"),
            ));
        }
    }
    out
}

/// Byte offset in `text` where its line `line` (1-based) starts.
fn line_start(text: &str, line: u64) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth((line - 2) as usize)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Start tags as a browser's tokenizer reads them (entities decoded, quotes and case as
/// HTML has them), each with the line it ends on.
struct StartTags(RefCell<Vec<(HtmlTag, u64)>>);

impl TokenSink for StartTags {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            if tag.kind == TagKind::StartTag {
                self.0.borrow_mut().push((tag, line));
            }
        }
        TokenSinkResult::Continue
    }
}

fn start_tags(html: &str) -> Vec<(HtmlTag, u64)> {
    let tokenizer = Tokenizer::new(
        StartTags(RefCell::new(Vec::new())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Elements that run code, load or show another document, change where the page's links
/// and scripts come from, send the reader elsewhere, or restyle the whole page: refused
/// with why.
fn dangerous_element(name: &str) -> Option<&'static str> {
    Some(match name {
        "script" => "会运行脚本",
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "portal"
        | "fencedframe" => "会嵌入别的网页或文件，其中可以运行脚本",
        "base" => "会改变页面上所有链接和脚本的来源",
        "meta" => "可以把读者转到别的网站",
        "link" => "会从别处加载样式或脚本",
        "style" => "可以遮盖页面或从别的网站加载内容",
        "form" => "会把读者填写的内容发到别处",
        "svg" | "math" => "其中可以藏入脚本",
        _ => return None,
    })
}

/// Attributes whose value is a URL that the browser follows or loads.
const URL_ATTRIBUTES: [&str; 14] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "xlink:href",
    "lowsrc",
    "dynsrc",
    "codebase",
    "ping",
];

/// The scheme of a URL as a browser reads it (leading and trailing spaces and controls
/// dropped, tabs and line breaks removed anywhere), lower-cased.
fn browser_scheme(url: &str) -> Option<String> {
    let squeezed: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = squeezed.split_once(':')?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

/// What in a piece of raw HTML may not be published, each with the line (1-based) of the
/// tag: elements that run code or load from elsewhere, `on…=` event attributes, script
/// URLs, and URLs that are not links `check_link` allows (images: files of this site only).
fn raw_html_problems(html: &str) -> Vec<(u64, String)> {
    html_problems(html, true)
}

/// `raw_html_problems`, or with `links` false only what runs code or loads from
/// elsewhere (for a whole rendered page, whose Markdown links and images are checked
/// apart).
fn html_problems(html: &str, links: bool) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for (tag, line) in start_tags(html) {
        let name: &str = &tag.name;
        if let Some(why) = dangerous_element(name) {
            out.push((
                line,
                format!("页面中的 HTML 含有 <{name}> 元素，不能发布：它{why} (raw HTML that runs code or loads from elsewhere)"),
            ));
            continue;
        }
        for attr in &tag.attrs {
            let attr_name: &str = &attr.name.local;
            let value: &str = &attr.value;
            if attr_name.starts_with("on") {
                out.push((
                    line,
                    format!("页面中的 HTML 含有 {attr_name}= 事件属性，不能发布：它会运行脚本 (event handler attribute)"),
                ));
            } else if URL_ATTRIBUTES.contains(&attr_name) {
                let shown = escape_controls(value);
                if matches!(
                    browser_scheme(value).as_deref(),
                    Some("javascript" | "vbscript" | "data" | "livescript")
                ) {
                    out.push((
                        line,
                        format!("页面中的 HTML 含有 javascript: 等脚本链接“{shown}”，不能发布 (script URL)"),
                    ));
                } else if !links {
                } else if name == "img" && attr_name == "src" {
                    if let Some(why) = site_path_problem(value.trim()) {
                        out.push((
                            line,
                            format!("页面中的图片“{shown}”只能用本网站的文件：{why} (image from elsewhere)"),
                        ));
                    }
                } else if let Err(why) = check_link(value.trim()) {
                    out.push((line, format!("页面中的 HTML 链接“{shown}”不能发布：{why}")));
                }
            }
        }
    }
    out
}

/// Whether `markdown` holds raw HTML other than the district-table marker: such a page is
/// sanitized.
fn has_raw_html(markdown: &str) -> bool {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    Parser::new_ext(markdown, opts)
        .any(|ev| matches!(ev, Event::Html(h) | Event::InlineHtml(h) if !is_marker(&h)))
}

/// The allow-list of a notice page: text structure, lists, tables (with spans, scopes
/// and alignment), headings with ids, links to web, mail, phone and site addresses,
/// images from the site, details/summary, abbreviations; comments stay (the
/// district-table marker). Everything else is dropped: scripts and styles with their
/// content, other elements leaving their text.
fn sanitizer() -> ammonia::Builder<'static> {
    let tags: HashSet<&str> = [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    ]
    .into();
    let cell: HashSet<&str> = ["colspan", "rowspan", "headers", "style"].into();
    let mut th = cell.clone();
    th.extend(["scope", "abbr"]);
    let tag_attributes: HashMap<&str, HashSet<&str>> = [
        ("a", ["href"].into()),
        ("img", ["src", "alt", "width", "height"].into()),
        ("td", cell),
        ("th", th),
        ("ol", ["start", "reversed", "type"].into()),
        ("li", ["value"].into()),
        ("time", ["datetime"].into()),
        ("q", ["cite"].into()),
        ("blockquote", ["cite"].into()),
        ("del", ["cite", "datetime"].into()),
        ("ins", ["cite", "datetime"].into()),
        ("details", ["open"].into()),
        ("col", ["span"].into()),
        ("colgroup", ["span"].into()),
    ]
    .into();
    let mut b = ammonia::Builder::empty();
    b.tags(tags)
        .clean_content_tags(["script", "style", "template"].into())
        .generic_attributes(["id", "class", "title", "lang"].into())
        .tag_attributes(tag_attributes)
        .filter_style_properties(["text-align"].into())
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(false)
        .attribute_filter(|element, attribute, value| {
            let ok = match (element, attribute) {
                ("img", "src") => site_path_problem(value.trim()).is_none(),
                (_, "href" | "src" | "cite") => check_link(value.trim()).is_ok(),
                _ => true,
            };
            ok.then_some(Cow::Borrowed(value))
        });
    b
}

/// `html` reduced to the allow-list of a notice page (`sanitizer`).
pub(crate) fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// The page as `to_html` gives it, sanitized when it holds raw HTML.
pub(crate) fn to_html(markdown: &str) -> String {
    let out = render(markdown);
    // Pages without raw HTML are what pulldown-cmark writes, escaped and with checked
    // links: left byte for byte as they were. Any raw HTML and the whole page is sanitized.
    if has_raw_html(markdown) {
        sanitize(&out)
    } else {
        out
    }
}

/// Markdown rendered, raw HTML as written.
fn render(markdown: &str) -> String {
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

    /// Issue 23, item 3: raw HTML that got past the old string scanner, each found by the
    /// check (the build refuses it) and taken out by the sanitizer (the guarantee).
    const BYPASSES: [(&str, &str); 10] = [
        ("<img title=\">\" src=x onerror=alert(1)>", "onerror"),
        (
            "<a href=\"&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)\">点这里</a>",
            "href",
        ),
        ("<base href=\"https://evil.example/\">", "evil"),
        (
            "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
            "data:",
        ),
        (
            "<object data=\"data:application/xhtml+xml,<x:script xmlns:x='http://www.w3.org/1999/xhtml'>alert(1)</x:script>\"></object>",
            "data:",
        ),
        (
            "<iframe src=\"data:image/svg+xml,<svg onload=alert(1)>\"></iframe>",
            "data:",
        ),
        (
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
            "evil",
        ),
        ("<div>\n<img\nsrc=x\nonerror=alert(1)>\n</div>", "onerror"),
        ("<a href=\"java&Tab;script&colon;alert(1)\">x</a>", "href"),
        ("<p><svg><a xlink:href=\"javascript:alert(1)\">x</a></svg></p>", "javascript"),
    ];

    #[test]
    fn bypasses_of_the_old_scanner_are_found_and_sanitized() {
        for (bad, gone) in BYPASSES {
            let md = format!("# 通知\n\n正文。\n\n{bad}\n\n结尾。\n");
            assert!(!problems(&md).is_empty(), "not found: {bad}");
            let html = to_html(&md);
            assert!(!html.contains(gone), "{gone} survived {bad}:\n{html}");
            assert!(html.contains("<p>结尾。</p>"), "{html}");
            // Inline too: in the middle of a paragraph.
            let md = format!("正文 {bad} 结尾\n");
            let html = to_html(&md);
            assert!(
                !html.contains(gone),
                "{gone} survived inline {bad}:\n{html}"
            );
        }
    }

    #[test]
    fn a_tag_over_several_lines_inside_a_paragraph_is_found() {
        let md = "文字 <img\nsrc=x\nonerror=alert(1)> 结尾\n";
        let p = problems(md);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(md[p[0].0.clone()].starts_with("<img"), "{p:?}");
    }

    #[test]
    fn markup_formed_across_pieces_is_found_and_sanitized() {
        // The quote opened in the HTML block is closed in the paragraph after it: the
        // browser reads one <img> with an onerror attribute.
        let md = "<div>\n<img src=x title=\"\n\n\" onerror=alert(1)//>\n";
        assert!(html_problems(&render(md), false)
            .iter()
            .any(|(_, why)| why.contains("onerror")));
        let p = problems(md);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("合起来"), "{p:?}");
        assert!(md[p[0].0.clone()].starts_with("<div>"), "{p:?}");
        assert!(!to_html(md).contains("onerror"), "{}", to_html(md));
    }

    #[test]
    fn a_problem_in_a_block_points_at_its_line() {
        let md = "正文\n\n<div>\n<p>说明</p>\n<img src=x onerror=alert(1)>\n</div>\n";
        let p = problems(md);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            md[p[0].0.clone()].starts_with("<img src=x onerror"),
            "{p:?}"
        );
        assert!(p[0].1.contains("onerror= 事件属性"), "{p:?}");
    }

    #[test]
    fn raw_html_that_runs_code_is_refused_however_spelt() {
        for bad in [
            "<script>alert(1)</script>",
            "<SCRIPT src=x>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"jav&#x61;script&colon;alert(1)\">x</a>",
            "<a href=\"java\nscript:alert(1)\">",
            "<img src=x onerror=alert(1)>",
            "<div\nonclick = \"x\">",
            "<iframe src=\"data:text/html,hi\">",
            "<a href=\"https://user:pw@evil.example/\">x</a>",
            "<a href=\"//evil.example/\">x</a>",
            "<img src=\"https://evil.example/track.png\">",
            "<form action=\"https://evil.example/\"><input name=pw></form>",
            "<style>body{display:none}</style>",
        ] {
            assert!(!raw_html_problems(bad).is_empty(), "{bad}");
        }
        for ok in [
            "<div class=\"note\">注：<strong>online</strong> 申报</div>",
            "<a href=\"https://x.cn/\">链接</a>",
            "<p>onion = 1</p>",
            "<img src=\"/attachments/图1.png\" alt=\"图1\">",
            "<a href=\"mailto:gxj@dl.gov.cn\">邮箱</a> <a href=\"tel:+86-411-8368-6040\">电话</a>",
            "<table><tr><td colspan=\"2\" rowspan=\"2\">合并</td></tr></table>",
            "<details><summary>展开</summary>内容</details> <abbr title=\"统一社会信用代码\">USCC</abbr>",
        ] {
            assert_eq!(raw_html_problems(ok), vec![], "{ok}");
        }
    }

    #[test]
    fn the_allow_list_keeps_what_a_notice_needs() {
        let md = "## 一、表格\n\n<table><caption>名单</caption><thead><tr><th scope=\"col\" colspan=\"2\">区</th></tr></thead>\
                  <tbody><tr><td rowspan=\"2\" style=\"text-align: center; position: fixed\">中山区</td><td>1</td></tr></tbody></table>\n\n\
                  <details open><summary>说明</summary><p><abbr title=\"国家标准\">GB</abbr> <a href=\"/lists/\">名单</a> \
                  <a href=\"https://zjtx.miit.gov.cn\">平台</a> <a href=\"mailto:a@b.cn\">邮箱</a> <a href=\"tel:+86-411-8368-6040\">电话</a> \
                  <img src=\"attachments/a.png\" alt=\"图\"> <span class=\"tag\" style=\"position:fixed\">注</span></p></details>\n\n\
                  <!-- district-table -->\n";
        let h = to_html(md);
        for kept in [
            "<h2 id=\"s1\">一、表格</h2>",
            "<caption>名单</caption>",
            "<th scope=\"col\" colspan=\"2\">区</th>",
            "rowspan=\"2\"",
            "<details open=\"\"><summary>说明</summary>",
            "<abbr title=\"国家标准\">GB</abbr>",
            "<a href=\"/lists/\">名单</a>",
            "<a href=\"https://zjtx.miit.gov.cn\">平台</a>",
            "<a href=\"mailto:a@b.cn\">",
            "<a href=\"tel:+86-411-8368-6040\">",
            "<img src=\"attachments/a.png\" alt=\"图\">",
            "<span class=\"tag\">注</span>",
            "<!-- district-table -->",
        ] {
            assert!(h.contains(kept), "lost {kept}:\n{h}");
        }
        assert!(!h.contains("position"), "{h}");
        assert!(!h.contains("rel="), "{h}");
        assert!(h.contains("text-align"), "{h}");
    }

    #[test]
    fn pages_without_raw_html_are_left_as_rendered() {
        // The district-table marker alone is not raw HTML to sanitize.
        let md = "## 标题\n\n他说“你好”&amp; \"引号\"\n\n<!-- district-table -->\n\n---\n";
        assert!(!has_raw_html(md));
        let h = to_html(md);
        // pulldown-cmark's own spelling (html5ever's serializer would write `<hr>`).
        assert!(h.contains("<hr />"), "{h}");
        assert!(h.contains("<!-- district-table -->"), "{h}");
        assert!(has_raw_html("文字 <b>粗</b>"));
    }

    #[test]
    fn tables_get_header_scope_and_headings_ids() {
        let h = to_html("## 一、申报条件\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(h.contains("<h2 id=\"s1\">一、申报条件</h2>"), "{h}");
        assert!(h.contains("<th scope=\"col\">a</th>"), "{h}");
        assert!(h.contains("<td>1</td>"), "{h}");
    }
}
