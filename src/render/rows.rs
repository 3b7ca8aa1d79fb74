//! Table rows of the list and district pages, written directly as HTML.
//!
//! These tables hold every enterprise (a million rows for a national site), so their rows
//! skip the template engine: building a template value per row and interpreting the loop
//! cost more than everything else in a build. The page around the table stays a Tera
//! template (`list.html`, `district.html`); only the `<tr>` markup lives here.

use super::views::Row;
use super::DistrictRow;

/// Appends `s` escaped for HTML text and quoted attribute values (& < > " ').
/// SIMD-accelerated: most names contain nothing to escape.
pub fn escape_into(out: &mut String, s: &str) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
}

/// `<tr>` rows of a list page.
pub fn list_rows(rows: &[Row], has_industry: bool) -> String {
    let mut out = String::with_capacity(rows.len() * 320);
    for r in rows {
        out.push_str("<tr id=\"");
        escape_into(&mut out, r.credit_code);
        out.push('"');
        if r.withdrawn.is_some() {
            out.push_str(" class=\"withdrawn\"");
        }
        out.push_str("><td>");
        out.push_str(&r.n.to_string());
        out.push_str("</td><th scope=\"row\">");
        escape_into(&mut out, r.name);
        if let Some(w) = r.withdrawn {
            out.push_str(" <span class=\"tag tag-withdrawn\">已撤回</span><br><small>");
            escape_into(&mut out, w);
            out.push_str("</small>");
        }
        out.push_str("</th><td><a href=\"");
        escape_into(&mut out, r.district_url);
        out.push_str("\">");
        escape_into(&mut out, r.district);
        out.push_str("</a></td><td class=\"code\">");
        escape_into(&mut out, r.credit_code);
        out.push_str("</td>");
        if has_industry {
            out.push_str("<td>");
            escape_into(&mut out, r.industry.unwrap_or(""));
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out
}

/// `<tr>` rows of a district page.
pub fn district_rows(rows: &[&DistrictRow<'_>]) -> String {
    let mut out = String::with_capacity(rows.len() * 320);
    for r in rows {
        out.push_str("<tr><th scope=\"row\">");
        escape_into(&mut out, r.name);
        if r.withdrawn {
            out.push_str(" <span class=\"tag tag-withdrawn\">已撤回</span>");
        }
        out.push_str("</th><td class=\"code\">");
        escape_into(&mut out, r.credit_code);
        out.push_str("</td><td><a href=\"");
        escape_into(&mut out, r.page_url);
        out.push('#');
        escape_into(&mut out, r.credit_code);
        out.push_str("\">");
        escape_into(&mut out, r.list_title);
        out.push_str("</a>");
        if r.sample {
            out.push_str(" <span class=\"tag tag-sample\">示例数据</span>");
        }
        if r.draft {
            out.push_str(" <span class=\"tag tag-draft\">草稿</span>");
        }
        out.push_str("</td></tr>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        let mut s = String::new();
        escape_into(&mut s, "<a href=\"x\">'&'</a> 中文");
        assert_eq!(
            s,
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; 中文"
        );
    }

    #[test]
    fn list_row_markup() {
        let r = Row {
            n: 3,
            name: "大连<甲>",
            credit_code: "91210202MA0000001J",
            district: "中山区",
            district_url: "/districts/%E4%B8%AD/",
            industry: None,
            withdrawn: Some("异议\"成立\""),
        };
        let html = list_rows(&[r], true);
        assert_eq!(
            html,
            "<tr id=\"91210202MA0000001J\" class=\"withdrawn\"><td>3</td><th scope=\"row\">大连&lt;甲&gt; <span class=\"tag tag-withdrawn\">已撤回</span><br><small>异议&quot;成立&quot;</small></th><td><a href=\"/districts/%E4%B8%AD/\">中山区</a></td><td class=\"code\">91210202MA0000001J</td><td></td></tr>\n"
        );
    }
}
