//! What the preview adds to HTML responses (and only there, only in serve mode): the
//! live-reload script tag and, after a failed rebuild, a banner with the diagnostics.

use gazette::escape::html as escape_html;

/// The live-reload client, served from memory at `/__gazette/livereload.js`.
///
/// It long-polls `/__gazette/poll?since=<token>&page=<path>`; the server answers at once
/// when the site changed after this page was served (so no reload is ever missed), or
/// after a timeout with `reload: false`. When the site changed but not this page, the
/// answer carries the newer token to wait on. It retries with a growing pause while the
/// server is down, and waits `retry` milliseconds when a busy server asks it to.
pub(super) const LIVERELOAD_JS: &str = r#"// Gazette preview: reloads this page when the site is rebuilt (serve mode only).
(function () {
  'use strict';
  var me = document.currentScript;
  var since = me && me.getAttribute('data-since');
  if (!since || !window.fetch) return;
  var pause = 500;
  function poll() {
    fetch('/__gazette/poll?since=' + encodeURIComponent(since) +
      '&page=' + encodeURIComponent(window.location.pathname), { cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (j) {
        pause = 500;
        if (j.reload) { window.location.reload(); return; }
        if (j.since) { since = j.since; }
        // A busy server asks for a pause before the next poll.
        if (j.retry) { setTimeout(poll, j.retry); } else { poll(); }
      })
      .catch(function () {
        setTimeout(poll, pause);
        pause = Math.min(pause * 2, 5000);
      });
  }
  poll();
})();
"#;

/// The script tag carrying the token of the site version the page was served from.
pub(super) fn script_tag(token: &str) -> String {
    format!(
        "<script src=\"/__gazette/livereload.js\" data-since=\"{}\"></script>",
        escape_html(token)
    )
}

/// The banner shown on every page while the last rebuild failed. Readable without
/// JavaScript, high contrast (WCAG AA), announced to screen readers.
pub(super) fn error_banner(diagnostics_text: &str) -> String {
    format!(
        concat!(
            "<div id=\"gazette-build-error\" role=\"alert\" lang=\"zh-CN\" style=\"",
            "position:relative;z-index:2147483647;margin:0;padding:1rem;",
            "background:#fff;color:#1a1a1a;border:4px solid #b00020;",
            "font:16px/1.5 system-ui,sans-serif;text-align:left\">",
            "<p style=\"margin:0 0 .5rem;font-weight:bold;color:#b00020\">",
            "网站重新生成失败：下面是错误信息（与 gazette check 相同）。",
            "页面仍显示上一次成功生成的内容；改正后会自动刷新。",
            "</p><p style=\"margin:0 0 .5rem\" lang=\"en\">",
            "Rebuild failed (same report as <code>gazette check</code>). ",
            "The last good site is still shown; it reloads once the error is fixed.</p>",
            "<pre style=\"margin:0;padding:.75rem;overflow:auto;max-height:60vh;",
            "white-space:pre-wrap;background:#f6f6f6;color:#1a1a1a;",
            "font:14px/1.45 ui-monospace,monospace\">{}</pre></div>"
        ),
        escape_html(diagnostics_text)
    )
}

/// A whole page for when there is no good site yet (the very first build failed).
pub(super) fn error_page(diagnostics_text: &str, token: &str) -> String {
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>网站生成失败 - Gazette 预览</title></head><body style=\"margin:0\">",
            "<main>{}<p style=\"padding:0 1rem;font:16px/1.5 system-ui,sans-serif\">",
            "还没有可以显示的网站。改正上面的错误并保存文件，页面会自动刷新。",
            "（No site to show yet: fix the errors above and save; this page reloads by itself.）",
            "</p></main>{}</body></html>\n"
        ),
        error_banner(diagnostics_text),
        script_tag(token)
    )
}

/// The link from every preview page to the console (only when the console is on), fixed
/// in a corner, large, high contrast.
pub(super) const CONSOLE_LINK: &str = concat!(
    "<a id=\"gazette-console-link\" href=\"/__gazette/console/\" lang=\"zh-CN\" ",
    "style=\"position:fixed;right:1rem;bottom:1rem;z-index:2147483646;padding:.6rem 1.1rem;",
    "background:#123c69;color:#fff;font:bold 18px/1.4 system-ui,sans-serif;border-radius:4px;",
    "text-decoration:none;box-shadow:0 2px 6px rgba(0,0,0,.35)\">管理<span ",
    "style=\"position:absolute;left:-9999px\">（打开本机的网站管理页面）</span></a>"
);

/// Adds the live-reload script (before `</body>`), the console's link when `console`, and,
/// when given, the error banner (just after `<body …>`). Pages without those tags get the
/// additions at the start and end.
pub(super) fn inject(html: &[u8], token: &str, banner: Option<&str>, console: bool) -> Vec<u8> {
    let mut script = script_tag(token);
    if console {
        script.push_str(CONSOLE_LINK);
    }
    let mut out = Vec::with_capacity(html.len() + script.len() + banner.map_or(0, str::len));
    let body_start = banner.map(|_| find_body_open_end(html));
    let body_close = rfind_ci(html, b"</body");
    let mut pos = 0;
    if let (Some(b), Some(start)) = (banner, body_start) {
        let at = start.unwrap_or(0);
        out.extend_from_slice(&html[..at]);
        out.extend_from_slice(b.as_bytes());
        pos = at;
    }
    match body_close {
        Some(close) if close >= pos => {
            out.extend_from_slice(&html[pos..close]);
            out.extend_from_slice(script.as_bytes());
            out.extend_from_slice(&html[close..]);
        }
        _ => {
            out.extend_from_slice(&html[pos..]);
            out.extend_from_slice(script.as_bytes());
        }
    }
    out
}

/// Index just past the `>` of the first `<body…>` tag.
fn find_body_open_end(html: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find_ci(&html[from..], b"<body") {
        let start = from + i;
        let after = html.get(start + 5).copied();
        if matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
            let close = html[start..].iter().position(|&c| c == b'>')?;
            return Some(start + close + 1);
        }
        from = start + 5;
    }
    None
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_body_close_and_banner_after_body_open() {
        let html = b"<html><body class=\"x\"><p>hi</p></body></html>";
        let out = String::from_utf8(inject(html, "t-1", Some("<div>E</div>"), false)).unwrap();
        assert_eq!(
            out,
            "<html><body class=\"x\"><div>E</div><p>hi</p><script src=\"/__gazette/livereload.js\" data-since=\"t-1\"></script></body></html>"
        );
        let plain = String::from_utf8(inject(html, "t-1", None, true)).unwrap();
        assert!(plain.starts_with("<html><body class=\"x\"><p>hi</p><script"));
        assert!(plain.ends_with(&format!("</script>{CONSOLE_LINK}</body></html>")));
        assert!(!plain.contains("<div>E"));
    }

    #[test]
    fn fragments_without_body_still_get_the_script() {
        let out = String::from_utf8(inject(b"<p>x</p>", "a", Some("B"), false)).unwrap();
        assert_eq!(
            out,
            "B<p>x</p><script src=\"/__gazette/livereload.js\" data-since=\"a\"></script>"
        );
        // `<bodyguard>` is not a body tag.
        let out =
            String::from_utf8(inject(b"<bodyguard></bodyguard>", "a", Some("B"), false)).unwrap();
        assert!(out.starts_with("B<bodyguard>"));
    }

    #[test]
    fn banner_escapes_the_diagnostics() {
        let b = error_banner("× bad <script>alert(1)</script> & \"q\" 'a'");
        assert!(b.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;"));
        assert!(!b.contains("<script>"));
    }
}
