//! Who may use the console. It changes files on the clerk's computer, so every request is
//! checked before anything else runs:
//! - the `Host` header must name this server on the loopback (`127.0.0.1`, `localhost` or
//!   `[::1]` with its port), so a web page whose name is re-pointed at 127.0.0.1 (DNS
//!   rebinding) cannot read the console or post to it;
//! - a request that changes anything is a POST that carries the session's token (a random
//!   value only the console's own pages hold) and comes from the console's own origin
//!   (`Origin`, or failing that `Referer`; `Sec-Fetch-Site` when the browser sends it), so
//!   another tab or site cannot submit a form to it (CSRF).

use super::super::http::Request;

/// Why a request was refused (for the reply and the terminal; never echoes the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    Host,
    Origin,
    Token,
}

impl Refusal {
    pub(super) fn message(self) -> &'static str {
        match self {
            Refusal::Host => "403 管理页面只能从本机的 http://127.0.0.1 地址打开 (wrong Host: the console answers only its own loopback address)\n",
            Refusal::Origin => "403 这个请求不是从管理页面发出的，已拒绝 (cross-origin request refused)\n",
            Refusal::Token => "403 页面已过期：请回到管理页面刷新后再操作 (missing or stale session token)\n",
        }
    }
}

/// The `host:port` forms under which this server is reached on the loopback.
pub(in crate::cmd::serve) fn own_hosts(port: u16) -> [String; 3] {
    [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ]
}

/// Whether the `Host` header names this server on the loopback.
pub(in crate::cmd::serve) fn host_ok(req: &Request, port: u16) -> bool {
    let Some(host) = req.header("host") else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    own_hosts(port).contains(&host)
}

/// Whether a POST comes from a page of the console itself.
pub(super) fn same_origin(req: &Request, port: u16) -> bool {
    if let Some(site) = req.header("sec-fetch-site") {
        if site != "same-origin" {
            return false;
        }
    }
    let origins = own_hosts(port).map(|h| format!("http://{h}"));
    match (req.header("origin"), req.header("referer")) {
        (Some(origin), _) => origins.iter().any(|o| o == origin),
        (None, Some(referer)) => origins.iter().any(|o| {
            referer
                .strip_prefix(o.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        }),
        (None, None) => false,
    }
}

/// Compares the form's token with the session's without stopping at the first difference.
pub(super) fn token_ok(given: Option<&str>, session: &str) -> bool {
    let Some(given) = given else {
        return false;
    };
    given.len() == session.len()
        && given
            .bytes()
            .zip(session.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A fresh session token: 128 bits from the operating system's random source, as hex.
pub(super) fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(headers: &[(&str, &str)]) -> Request {
        Request {
            method: "POST".into(),
            target: "/__gazette/console/".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn only_the_loopback_names_with_this_port_are_our_host() {
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
        ] {
            assert!(host_ok(&req(&[("host", ok)]), 1111), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "127.0.0.1.evil.example:1111",
            "",
        ] {
            assert!(!host_ok(&req(&[("host", bad)]), 1111), "{bad}");
        }
        assert!(!host_ok(&req(&[]), 1111));
    }

    #[test]
    fn a_post_from_another_origin_or_from_nowhere_is_refused() {
        assert!(same_origin(
            &req(&[("origin", "http://127.0.0.1:1111")]),
            1111
        ));
        assert!(same_origin(
            &req(&[("referer", "http://localhost:1111/__gazette/console/")]),
            1111
        ));
        assert!(!same_origin(
            &req(&[("origin", "http://evil.example")]),
            1111
        ));
        assert!(!same_origin(&req(&[("origin", "null")]), 1111));
        assert!(!same_origin(
            &req(&[("origin", "http://127.0.0.1:2222")]),
            1111
        ));
        assert!(!same_origin(
            &req(&[("referer", "http://127.0.0.1:1111.evil.example/")]),
            1111
        ));
        assert!(!same_origin(&req(&[]), 1111));
        assert!(!same_origin(
            &req(&[
                ("origin", "http://127.0.0.1:1111"),
                ("sec-fetch-site", "cross-site")
            ]),
            1111
        ));
    }

    #[test]
    fn the_token_must_match_exactly() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), 32);
        assert_ne!(t, new_token().unwrap());
        assert!(token_ok(Some(&t), &t));
        assert!(!token_ok(Some(&t[..31]), &t));
        assert!(!token_ok(Some(""), &t));
        assert!(!token_ok(None, &t));
    }
}
