//! The HTTP headers each deployed file is served with, and the path patterns of
//! `[deploy]` (header rules, files to keep).
//!
//! Object storage serves whatever `Content-Type` and `Cache-Control` an object was uploaded
//! with, and a CDN caches by them, so they are decided here once per file: text types carry
//! `charset=utf-8` (a browser must never guess GBK for a Chinese page), content-hashed
//! files are cached for a year (their name changes with their bytes), everything else
//! briefly (a corrected notice reaches readers within minutes).

use std::fmt;

/// Cache-Control of files whose name changes when their bytes do.
pub(crate) const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control of everything else: pages, entry points, assets linked with `?v=`.
pub(crate) const CACHE_SHORT: &str = "public, max-age=300";

/// What a file is served with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    pub content_type: String,
    pub cache_control: String,
}

/// Whether a site path is content-hashed: the search index lives under
/// `search/<16 hex digits>/` (see `search::build_with`), a folder that a rebuild with any
/// other byte names differently.
pub(crate) fn is_content_hashed(path: &str) -> bool {
    let mut parts = path.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some("search"), Some(h), Some(_)) if h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit())
    )
}

/// A path pattern of `[deploy]`: matched against the whole site path (`lists/2026-q1-application/index.html`).
/// `*` is any run of characters within one folder name, `?` one such character, `**` any
/// run including `/` (so `**/*.pdf` is every PDF and `assets/**` everything under assets/).
#[derive(Clone, PartialEq, Eq)]
pub struct Pattern(String);

impl Pattern {
    pub fn new(text: &str) -> Result<Pattern, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("空的路径模式 (empty pattern)".into());
        }
        if t.starts_with('/') {
            return Err(format!(
                "路径模式“{t}”不应以 / 开头：模式按网站内的相对路径匹配，例如 assets/** (patterns are relative site paths)"
            ));
        }
        Ok(Pattern(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn matches(&self, path: &str) -> bool {
        glob(self.0.as_bytes(), path.as_bytes())
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.0)
    }
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            let mut rest = &p[2..];
            // `**/` also matches no folder at all: `**/x` matches `x`.
            if rest.first() == Some(&b'/') && glob(&rest[1..], s) {
                return true;
            }
            if rest.first() == Some(&b'/') {
                rest = &rest[1..];
                return (0..s.len()).any(|i| s[i] == b'/' && glob(rest, &s[i + 1..]));
            }
            (0..=s.len()).any(|i| glob(rest, &s[i..]))
        }
        Some(b'*') => {
            let rest = &p[1..];
            for i in 0..=s.len() {
                if glob(rest, &s[i..]) {
                    return true;
                }
                if i < s.len() && s[i] == b'/' {
                    break;
                }
            }
            false
        }
        Some(b'?') => {
            // One character within a folder name (a whole UTF-8 character).
            match s.first() {
                Some(&c) if c != b'/' => {
                    let len = utf8_len(c);
                    s.len() >= len && glob(&p[1..], &s[len..])
                }
                _ => false,
            }
        }
        Some(&c) => s.first() == Some(&c) && glob(&p[1..], &s[1..]),
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// One `[[deploy.headers]]` rule, checked.
#[derive(Debug, Clone)]
pub struct HeaderRule {
    pub pattern: Pattern,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
}

/// The header rules of `[deploy]` over the built-in defaults: for each header, the first
/// rule whose pattern matches and that sets it wins; otherwise the default applies.
#[derive(Debug, Clone, Default)]
pub struct HeaderRules {
    pub rules: Vec<HeaderRule>,
}

impl HeaderRules {
    pub fn headers_for(&self, path: &str) -> Headers {
        let pick = |get: fn(&HeaderRule) -> Option<&String>| {
            self.rules
                .iter()
                .filter(|r| r.pattern.matches(path))
                .find_map(|r| get(r).cloned())
        };
        Headers {
            content_type: pick(|r| r.content_type.as_ref())
                .unwrap_or_else(|| crate::output::content_type(path).to_string()),
            cache_control: pick(|r| r.cache_control.as_ref()).unwrap_or_else(|| {
                if is_content_hashed(path) {
                    CACHE_IMMUTABLE
                } else {
                    CACHE_SHORT
                }
                .to_string()
            }),
        }
    }
}

/// Refuses a header value that could not be sent as one header line.
pub(crate) fn check_header_value(what: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{what} 为空 (empty)"));
    }
    if value.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(format!(
            "{what}“{value}”含有换行、控制字符或非 ASCII 字符，不能作为 HTTP 头发送 (not a valid header value)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Pattern {
        Pattern::new(s).unwrap()
    }

    #[test]
    fn content_types_say_utf8_for_text() {
        for (path, want) in [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/style.css", "text/css; charset=utf-8"),
            ("assets/site.js", "text/javascript; charset=utf-8"),
            ("lists/a/a.json", "application/json; charset=utf-8"),
            ("lists/a/a.csv", "text/csv; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("feed.xml", "application/atom+xml; charset=utf-8"),
            ("calendar.ics", "text/calendar; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("assets/favicon.svg", "image/svg+xml"),
            ("search/0123456789abcdef/k0.bin", "application/octet-stream"),
            ("attachments/附件2.PDF", "application/pdf"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(crate::output::content_type(path), want, "{path}");
        }
    }

    #[test]
    fn only_the_versioned_search_folder_is_content_hashed() {
        assert!(is_content_hashed("search/0123456789abcdef/manifest.json"));
        assert!(is_content_hashed("search/0123456789ABCDEF/d/0.bin"));
        assert!(!is_content_hashed("search/index.html"));
        assert!(
            !is_content_hashed("search/0123456789abcde/x.bin"),
            "15 digits"
        );
        assert!(
            !is_content_hashed("search/0123456789abcdeg/x.bin"),
            "not hex"
        );
        assert!(
            !is_content_hashed("search/0123456789abcdef"),
            "the folder itself"
        );
        assert!(!is_content_hashed("assets/style.css"));
        let rules = HeaderRules::default();
        assert_eq!(
            rules
                .headers_for("search/0123456789abcdef/k.bin")
                .cache_control,
            CACHE_IMMUTABLE
        );
        assert_eq!(rules.headers_for("index.html").cache_control, CACHE_SHORT);
        assert_eq!(
            rules.headers_for("assets/style.css").cache_control,
            CACHE_SHORT
        );
    }

    #[test]
    fn patterns() {
        assert!(p("assets/*").matches("assets/style.css"));
        assert!(!p("assets/*").matches("assets/img/a.png"));
        assert!(p("assets/**").matches("assets/img/a.png"));
        assert!(p("**/*.pdf").matches("a.pdf"));
        assert!(p("**/*.pdf").matches("attachments/附件2.pdf"));
        assert!(!p("**/*.pdf").matches("attachments/附件2.pdfx"));
        assert!(p("*.html").matches("404.html"));
        assert!(!p("*.html").matches("notice/index.html"));
        assert!(p("lists/**/index.html").matches("lists/index.html"));
        assert!(p("lists/**/index.html").matches("lists/a/page/2/index.html"));
        assert!(p("MP_verify_*.txt").matches("MP_verify_abc.txt"));
        assert!(!p("districts/??区/index.html").matches("districts/中山/index.html"));
        assert!(p("districts/??区/index.html").matches("districts/中山区/index.html"));
        assert!(p("districts/???/index.html").matches("districts/中山区/index.html"));
        assert!(p("**").matches("x/y/z"));
        assert!(p("index.html").matches("index.html"));
        assert!(!p("index.html").matches("x/index.html"));
        assert!(Pattern::new("  ").is_err());
        assert!(Pattern::new("/assets/*").is_err());
    }

    #[test]
    fn first_matching_rule_sets_each_header() {
        let rules = HeaderRules {
            rules: vec![
                HeaderRule {
                    pattern: p("assets/**"),
                    content_type: None,
                    cache_control: Some("public, max-age=86400".into()),
                },
                HeaderRule {
                    pattern: p("**/*.css"),
                    content_type: Some("text/css".into()),
                    cache_control: Some("no-cache".into()),
                },
            ],
        };
        let h = rules.headers_for("assets/style.css");
        assert_eq!(h.cache_control, "public, max-age=86400");
        assert_eq!(h.content_type, "text/css");
        let h = rules.headers_for("print.css");
        assert_eq!(h.cache_control, "no-cache");
        let h = rules.headers_for("index.html");
        assert_eq!(
            h,
            Headers {
                content_type: "text/html; charset=utf-8".into(),
                cache_control: CACHE_SHORT.into()
            }
        );
    }

    #[test]
    fn header_values_are_single_lines() {
        assert!(check_header_value("cache_control", "public, max-age=60").is_ok());
        assert!(check_header_value("cache_control", "a\r\nX-Evil: 1").is_err());
        assert!(check_header_value("content_type", "").is_err());
        assert!(check_header_value("content_type", "text/html; 字符集").is_err());
    }
}
