//! Which URLs from configuration and content may become links. A link is a web address
//! (http/https), an email address (mailto:), a phone number (tel:) or a path of this
//! site; anything else (javascript:, data:, a protocol-relative `//host`) could run code
//! or load from another host, and is refused with the reason.

/// Checks a link written in the data or the content.
pub(crate) fn check_link(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Err("链接是空的 (empty link)".into());
    }
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "链接中不能有空白或控制字符 U+{:04X} (white space in a link)",
            c as u32
        ));
    }
    if url.contains('\\') {
        return Err("链接中不能有反斜杠 (backslash in a link)".into());
    }
    match scheme(url) {
        Some(s) if s == "http" || s == "https" => {
            let rest = &url[s.len() + 1..];
            match rest.strip_prefix("//") {
                Some(host) if has_userinfo(host) => Err(
                    "网址中不能有“@”前的用户名或密码：浏览器会把“@”前面的部分当作登录信息，真正打开的是“@”后面的网站 (user name or password in a URL)"
                        .into(),
                ),
                Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
                _ => Err(format!("“{s}:”后面要写 //网站域名 (missing host)")),
            }
        }
        Some(s) if s == "mailto" || s == "tel" => Ok(()),
        Some(s) => Err(format!(
            "不允许“{s}:”链接，只能用 http、https、mailto、tel 或本网站的路径 (scheme not allowed)"
        )),
        None if url.starts_with("//") => Err(
            "以 // 开头的链接会指向另一个网站：写完整的 https:// 地址 (protocol-relative link)"
                .into(),
        ),
        None => Ok(()),
    }
}

/// Whether the authority part of `after_slashes` (what follows `scheme://`, up to the first
/// `/`, `?` or `#`) carries a user name or password (`user:pw@host`).
fn has_userinfo(after_slashes: &str) -> bool {
    after_slashes
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|authority| authority.contains('@'))
}

/// Why `url` is not a page of this site, if it is not: what an attachment's `page` may be
/// (a site path such as `notices/innovative/2026/criteria/#self-assessment`). A web,
/// mail or phone address, or anything `check_link` refuses, is not.
pub(crate) fn site_path_problem(url: &str) -> Option<String> {
    if let Err(why) = check_link(url) {
        return Some(why);
    }
    scheme(url).map(|s| {
        format!("这里只能写本网站的页面，不能写“{s}:”开头的地址 (not a page of this site)")
    })
}

/// Why `email` is not an email address that can be published as a `mailto:` link, if it
/// is not: one `@`, a local part of letters, digits and `.!#$%&'*+/=?^_`{|}~-` (no dot at
/// either end, no two dots), a domain of at least two labels of letters, digits and
/// hyphens, at most 254 characters.
pub(crate) fn email_problem(email: &str) -> Option<String> {
    if email.is_empty() {
        return Some("地址是空的 (empty)".into());
    }
    if email.len() > 254 {
        return Some("地址超过254个字符 (too long)".into());
    }
    if let Some(c) = email.chars().find(|c| !c.is_ascii_graphic()) {
        return Some(format!(
            "地址中不能有“{}”(U+{:04X})；只能用英文字母、数字和符号 (not an ASCII character)",
            crate::domain::text::escape_controls(&c.to_string()),
            c as u32
        ));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Some("缺少“@” (no @)".into());
    };
    if domain.contains('@') {
        return Some("只能有一个“@” (more than one @)".into());
    }
    if local.is_empty() {
        return Some("“@”前面缺少用户名 (nothing before the @)".into());
    }
    if let Some(c) = local
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(*c)))
    {
        return Some(format!("“@”前面不能有“{c}” (character not allowed)"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("“@”前面的“.”不能在开头、结尾或连写 (misplaced dot)".into());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let bad_label = |l: &&str| {
        l.is_empty()
            || l.len() > 63
            || l.starts_with('-')
            || l.ends_with('-')
            || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || labels.iter().any(bad_label) {
        return Some(format!(
            "“@”后面的“{domain}”不是域名，例如 dl.gov.cn (not a domain)"
        ));
    }
    None
}

/// Checks the public address of the site: an absolute http(s) URL without query or
/// fragment, because every page, script and feed is addressed from it.
pub(crate) fn check_base_url(url: &str) -> Result<(), String> {
    let absolute = matches!(scheme(url).as_deref(), Some("http" | "https"));
    if !absolute {
        return Err(
            "要写完整的网址，以 https:// 或 http:// 开头 (not an absolute http(s) URL)".into(),
        );
    }
    check_link(url)?;
    if url.contains('?') || url.contains('#') {
        return Err("网站地址不能带 ? 或 # (query or fragment in the base URL)".into());
    }
    let after = &url[url.find("://").map_or(0, |i| i + 3)..];
    let host = after.split('/').next().unwrap_or("");
    if host.contains('@') {
        return Err("网站地址不能含用户名或密码 (credentials in the base URL)".into());
    }
    if host.is_empty() || host.starts_with(':') {
        return Err("缺少网站域名 (missing host)".into());
    }
    Ok(())
}

/// Why `name` cannot be one segment of a URL and of an output path, if it cannot: it
/// would climb out of its folder, split into several segments, be hidden, or be refused by
/// Windows (where staff may build the site).
pub(crate) fn segment_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("名称是空的 (empty)".into());
    }
    if name.len() > 100 {
        return Some(format!(
            "名称有{}字节，超过100字节 (longer than 100 bytes)",
            name.len()
        ));
    }
    if name.starts_with('.') {
        return Some("不能以“.”开头 (starts with a dot)".into());
    }
    if let Some(c) = name.chars().find(|c| r#"/\:*?"<>|"#.contains(*c)) {
        return Some(format!("不能含有“{c}” (reserved character)"));
    }
    if name.ends_with(' ') {
        return Some("不能以空格结尾 (ends with a space)".into());
    }
    crate::domain::text::problem(name, crate::domain::text::SINGLE_LINE)
}

/// The path part of a base URL, always starting and ending with `/`.
pub(crate) fn base_path_of(base_url: &str) -> String {
    let after_scheme = match base_url.find("://") {
        Some(i) => &base_url[i + 3..],
        None => base_url,
    };
    let path = match after_scheme.find('/') {
        Some(i) if base_url.contains("://") => &after_scheme[i..],
        Some(_) => after_scheme,
        None if base_url.contains("://") => "/",
        None => after_scheme,
    };
    let mut p = path.trim().to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

/// The URL scheme, lower-cased, if `url` starts with one (`scheme:`).
fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_urls() {
        assert_eq!(base_path_of("https://gxj.dl.gov.cn/"), "/");
        assert_eq!(base_path_of("https://gxj.dl.gov.cn"), "/");
        assert_eq!(base_path_of("https://x.cn/a/b"), "/a/b/");
        assert_eq!(base_path_of("/sub/"), "/sub/");
        assert_eq!(base_path_of("sub"), "/sub/");
    }

    #[test]
    fn segment_problems() {
        assert!(segment_problem("中山区").is_none());
        for bad in ["", ".git", "a/b", "a\\b", "con:", "x ", "a\u{202e}b"] {
            assert!(segment_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn links_that_may_be_published() {
        for ok in [
            "https://zjtx.miit.gov.cn",
            "http://x.cn/a?b=1#c",
            "mailto:a@b.cn",
            "tel:+86-411-8368-6040",
            "criteria/#self-assessment",
            "/notice/",
            "#s1",
            "附件2.pdf",
        ] {
            assert_eq!(check_link(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn links_that_could_run_code_or_leave_the_site_are_refused() {
        for bad in [
            "javascript:alert(document.domain)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//evil.example/x",
            "https:evil",
            "https:///x",
            "",
            "\\\\evil\\x",
        ] {
            assert!(check_link(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_user_name_or_password_in_a_link_is_refused() {
        for bad in [
            "https://user:pw@evil.example/",
            "https://gxj.dl.gov.cn@evil.example/",
            "http://a@b.cn",
        ] {
            let why = check_link(bad).unwrap_err();
            assert!(why.contains("用户名或密码"), "{bad}: {why}");
        }
        assert_eq!(check_link("https://x.cn/a@b"), Ok(()));
        assert_eq!(check_link("https://x.cn/?to=a@b.cn"), Ok(()));
        assert_eq!(check_link("mailto:a@b.cn"), Ok(()));
    }

    #[test]
    fn an_attachment_page_is_a_path_of_this_site() {
        for ok in [
            "notices/innovative/2026/criteria/#self-assessment",
            "/contacts/",
            "#s1",
        ] {
            assert_eq!(site_path_problem(ok), None, "{ok}");
        }
        for bad in [
            "https://user:pw@evil.example/",
            "https://evil.example/",
            "http://x.cn",
            "mailto:a@b.cn",
            "tel:+86-411-8368-6040",
            "//evil.example/",
            "javascript:alert(1)",
            "",
        ] {
            assert!(site_path_problem(bad).is_some(), "{bad}");
        }
        assert!(site_path_problem("https://user:pw@evil.example/")
            .unwrap()
            .contains("用户名或密码"));
    }

    #[test]
    fn email_addresses() {
        for ok in ["gxj@dl.gov.cn", "a.b+c@x-y.example.cn", "83686040@qq.com"] {
            assert_eq!(email_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "gxj",
            "gxj@",
            "@dl.gov.cn",
            "a@b@c.cn",
            "a b@c.cn",
            "gxj@localhost",
            "gxj@dl..cn",
            "gxj@-dl.cn",
            ".a@b.cn",
            "a..b@c.cn",
            "a\"@b.cn",
            "gxj@dl.gov.cn?subject=x",
            "gxj@dl.gov.cn\u{202e}",
            "邮箱@dl.gov.cn",
            "gxj＠dl.gov.cn",
            "javascript:alert(1)//@x.cn",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn the_base_url_must_be_an_absolute_web_address() {
        assert_eq!(check_base_url("https://gxj.dl.gov.cn/"), Ok(()));
        assert_eq!(check_base_url("http://127.0.0.1:1111/sub/"), Ok(()));
        for bad in [
            "//evil.example/",
            "/sub/",
            "notaurl",
            "javascript:alert(1)//",
            "https://user:pw@x.cn/",
            "https://x.cn/?a",
            "https:///",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
