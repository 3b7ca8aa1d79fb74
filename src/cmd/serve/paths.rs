//! Request paths → keys of the in-memory site. Strict on purpose: the preview server only
//! ever looks keys up in a map, never on disk, and still refuses anything that looks like
//! an attempt to leave the site (`..`, backslashes, NUL, encoded separators).

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A file key in the built site, e.g. `lists/2026-q1-application/index.html`.
    File(String),
    /// A folder asked for without its trailing slash: redirect to this path.
    Redirect(String),
    /// The live-reload machinery under `/__gazette/`.
    Internal(String),
    /// Refused (400): the reason is for the terminal/log, never reflected as HTML.
    Bad(&'static str),
}

/// Prefix of the server's own endpoints; no built file may live there.
pub(super) const INTERNAL_PREFIX: &str = "__gazette/";

/// Maps a raw request target (`/a/b/?q=1`) to what to serve. `exists` says whether a key
/// is in the built site (used to redirect `/lists` to `/lists/`).
pub(super) fn resolve(raw: &str, exists: impl Fn(&str) -> bool) -> Target {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Target::Bad("the request target must start with /");
    }
    // A raw backslash or an encoded one: Windows-style separators are never valid here.
    let decoded_bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    let Ok(decoded) = String::from_utf8(decoded_bytes) else {
        return Target::Bad("the path is not valid UTF-8");
    };
    if decoded.contains('\0') {
        return Target::Bad("the path contains NUL");
    }
    if decoded.contains('\\') {
        return Target::Bad("the path contains a backslash");
    }
    if decoded.chars().any(char::is_control) {
        return Target::Bad("the path contains a control character");
    }
    // An encoded slash would let one segment smuggle a separator past the checks below.
    if path.to_ascii_lowercase().contains("%2f") {
        return Target::Bad("the path contains an encoded slash");
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Target::Bad("the path contains . or .. segments"),
            s => segments.push(s),
        }
    }
    let key = segments.join("/");
    if key.starts_with(INTERNAL_PREFIX) || key == INTERNAL_PREFIX.trim_end_matches('/') {
        return Target::Internal(key[INTERNAL_PREFIX.len().min(key.len())..].to_string());
    }
    let dir_request = decoded.ends_with('/') || key.is_empty();
    if dir_request {
        return Target::File(if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        });
    }
    if !exists(&key) && exists(&format!("{key}/index.html")) {
        // Re-encode from the checked segments, so the Location header carries nothing raw.
        let encoded: Vec<String> = segments.iter().map(|s| gazette::urls::segment(s)).collect();
        return Target::Redirect(format!("/{}/", encoded.join("/")));
    }
    Target::File(key)
}

/// The Content-Type for a file key: the same table as `deploy` (what a clerk previews is
/// what readers get).
pub(super) fn content_type(key: &str) -> &'static str {
    gazette::output::content_type(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(key: &str) -> bool {
        matches!(
            key,
            "index.html" | "lists/index.html" | "districts/中山区/index.html" | "assets/site.js"
        )
    }

    #[test]
    fn folders_files_and_redirects() {
        assert_eq!(resolve("/", site), Target::File("index.html".into()));
        assert_eq!(
            resolve("/lists/?x=1#top", site),
            Target::File("lists/index.html".into())
        );
        assert_eq!(resolve("/lists", site), Target::Redirect("/lists/".into()));
        assert_eq!(
            resolve("/assets/site.js?v=12", site),
            Target::File("assets/site.js".into())
        );
        assert_eq!(
            resolve("/districts/%E4%B8%AD%E5%B1%B1%E5%8C%BA/", site),
            Target::File("districts/中山区/index.html".into())
        );
        assert_eq!(
            resolve("/districts/%E4%B8%AD%E5%B1%B1%E5%8C%BA", site),
            Target::Redirect("/districts/%E4%B8%AD%E5%B1%B1%E5%8C%BA/".into())
        );
        assert_eq!(resolve("/missing", site), Target::File("missing".into()));
        assert_eq!(
            resolve("/__gazette/poll?since=1", site),
            Target::Internal("poll".into())
        );
    }

    #[test]
    fn traversal_and_odd_bytes_are_refused() {
        for bad in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/..%2F..%2Fetc%2Fpasswd",
            "/a/./b",
            "/a/..",
            "/..\\..\\etc\\passwd",
            "/%5c..%5c..%5cetc/passwd",
            "/index.html%00.css",
            "/%ff%fe",
            "/a%0d%0aSet-Cookie:%20x",
            "etc/passwd",
            "http://evil.example/etc/passwd",
            "*",
        ] {
            assert!(
                matches!(resolve(bad, site), Target::Bad(_)),
                "{bad} should be refused, got {:?}",
                resolve(bad, site)
            );
        }
        // Double encoding decodes once, to a harmless literal name that is simply not found.
        assert_eq!(
            resolve("/%252e%252e/etc/passwd", site),
            Target::File("%2e%2e/etc/passwd".into())
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("assets/site.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("lists/x/x.CSV"), "text/csv; charset=utf-8");
        assert_eq!(content_type("search/index.bin"), "application/octet-stream");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
