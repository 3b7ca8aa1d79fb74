//! The fields of a submitted form: `application/x-www-form-urlencoded` (what a plain HTML
//! form sends) or `multipart/form-data` (a form with files: the import page's).

use super::super::http::Request;

/// A form's fields in the order sent.
#[derive(Debug, Default, Clone)]
pub(super) struct Form {
    fields: Vec<(String, String)>,
    files: Vec<Upload>,
    /// Why a multipart body could not be read (then the form has no fields, so its token
    /// is missing and the request is refused before any page sees it).
    error: Option<String>,
}

/// A file sent with a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Upload {
    /// The form field's name.
    pub field: String,
    /// The file's name, made a plain file name (`safe_file_name`): never a path.
    pub filename: String,
    pub bytes: Vec<u8>,
}

impl Form {
    /// The form of a POST body, or of a GET's query string.
    pub(super) fn of(req: &Request) -> Form {
        if req.method == "POST" {
            if let Some(boundary) = req.header("content-type").and_then(multipart_boundary) {
                return match multipart(&req.body, &boundary) {
                    Ok((fields, files)) => Form {
                        fields,
                        files,
                        error: None,
                    },
                    Err(e) => Form {
                        error: Some(e),
                        ..Form::default()
                    },
                };
            }
        }
        let bytes: &[u8] = if req.method == "POST" {
            &req.body
        } else {
            req.target
                .split_once('?')
                .map(|(_, q)| q.as_bytes())
                .unwrap_or_default()
        };
        Form {
            fields: form_urlencoded::parse(bytes).into_owned().collect(),
            ..Form::default()
        }
    }

    /// The files sent in the field `name` (a file field left empty sends none).
    pub(super) fn files(&self, name: &str) -> impl Iterator<Item = &Upload> {
        let name = name.to_string();
        self.files.iter().filter(move |f| f.field == name)
    }

    /// Why the body could not be read as a form, if it could not.
    pub(super) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A publicity length in days (`days`, 1 to 366), if the form gives one.
    pub(super) fn days(&self) -> Result<Option<u32>, String> {
        self.get("days")
            .map(|d| {
                d.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=366).contains(n))
                    .ok_or_else(|| format!("“{d}”不是天数：请写 1 到 366 之间的整数"))
            })
            .transpose()
    }

    /// Every field, for carrying a form over to its confirmation page.
    pub(super) fn fields(&self) -> &[(String, String)] {
        &self.fields
    }
}

/// The boundary of a `multipart/form-data` content type, if it is one.
fn multipart_boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    let mime = parts.next()?.trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        // RFC 2046: 1 to 70 characters.
        (!v.is_empty() && v.len() <= 70).then(|| v.to_string())
    })
}

/// The fields and files of a `multipart/form-data` body (RFC 7578): parts separated by
/// `--boundary` lines, each with its headers, a blank line and its content; the body ends
/// with `--boundary--`. A body that does not end so is refused (it was cut short).
#[allow(clippy::type_complexity)]
fn multipart(body: &[u8], boundary: &str) -> Result<(Vec<(String, String)>, Vec<Upload>), String> {
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    // The first delimiter may open the body without a CRLF before it.
    let first = &delimiter[2..];
    let mut at =
        find(body, first, 0).ok_or("表单内容不完整：没有分隔行 (no multipart boundary)")?;
    at += first.len();
    let mut fields = Vec::new();
    let mut files = Vec::new();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok((fields, files));
        }
        // Transport padding, then the CRLF ending the delimiter line.
        let line_end =
            find(body, b"\r\n", at).ok_or("表单内容不完整 (truncated multipart body)")?;
        if body[at..line_end]
            .iter()
            .any(|b| !matches!(b, b' ' | b'\t'))
        {
            return Err("表单内容有误：分隔行后有多余的字符 (bad multipart delimiter)".into());
        }
        let headers_start = line_end + 2;
        let headers_end = find(body, b"\r\n\r\n", headers_start)
            .map(|i| i + 2)
            .or_else(|| {
                body[headers_start..]
                    .starts_with(b"\r\n")
                    .then_some(headers_start)
            })
            .ok_or("表单内容不完整：缺少各部分的标头 (truncated part headers)")?;
        let content_start = headers_end + 2;
        let end = find(body, &delimiter, content_start)
            .ok_or("表单内容不完整：缺少结尾的分隔行，可能没有传完 (missing closing boundary)")?;
        let headers = std::str::from_utf8(&body[headers_start..headers_end])
            .map_err(|_| "表单内容有误：标头不是 UTF-8 (part headers not UTF-8)")?;
        let content = &body[content_start..end];
        let (name, filename) = disposition(headers)?;
        match filename {
            // A file field left empty: sent with an empty name and no content.
            Some(f) if f.is_empty() && content.is_empty() => {}
            Some(f) => files.push(Upload {
                field: name,
                filename: safe_file_name(&f),
                bytes: content.to_vec(),
            }),
            None => fields.push((name, String::from_utf8_lossy(content).into_owned())),
        }
        at = end + delimiter.len();
    }
}

/// The field name and file name of a part's `Content-Disposition: form-data` header.
/// `filename*=UTF-8''…` (RFC 5987) wins over `filename`; browsers send `filename` as
/// UTF-8 with `"` and line breaks percent-encoded.
fn disposition(headers: &str) -> Result<(String, Option<String>), String> {
    let value = headers
        .split("\r\n")
        .find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-disposition")
                .then_some(v.trim())
        })
        .ok_or("表单内容有误：缺少 Content-Disposition (part without Content-Disposition)")?;
    let (mut name, mut filename, mut extended) = (None, None, None);
    for (k, v) in params(value) {
        match k.to_ascii_lowercase().as_str() {
            "name" => name = Some(v),
            "filename" => filename = Some(v),
            "filename*" => extended = ext_value(&v),
            _ => {}
        }
    }
    let name = name.ok_or("表单内容有误：缺少字段名 (part without a name)")?;
    let filename = extended.or(filename.map(|f| percent_decode(&f)));
    Ok((name, filename))
}

/// The `key=value` parameters after the first `;`, values unquoted. A backslash is kept as
/// it is: browsers do not escape with it (they percent-encode `"`), and old ones send a
/// Windows path's backslashes as they are.
fn params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = value.chars().collect();
    let mut i = chars
        .iter()
        .position(|&c| c == ';')
        .map_or(chars.len(), |p| p + 1);
    while i < chars.len() {
        while i < chars.len() && matches!(chars[i], ' ' | '\t' | ';') {
            i += 1;
        }
        let key_start = i;
        while i < chars.len() && chars[i] != '=' && chars[i] != ';' {
            i += 1;
        }
        let key: String = chars[key_start..i]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if i >= chars.len() || chars[i] == ';' {
            continue;
        }
        i += 1; // '='
        let mut v = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                v.push(chars[i]);
                i += 1;
            }
            i += 1; // closing quote
        } else {
            while i < chars.len() && chars[i] != ';' {
                v.push(chars[i]);
                i += 1;
            }
            v = v.trim().to_string();
        }
        if !key.is_empty() {
            out.push((key, v));
        }
    }
    out
}

/// An RFC 5987 `charset'language'value`; only UTF-8 (what browsers send) is read.
fn ext_value(v: &str) -> Option<String> {
    let mut parts = v.splitn(3, '\'');
    let charset = parts.next()?;
    let _language = parts.next()?;
    let value = parts.next()?;
    charset
        .eq_ignore_ascii_case("utf-8")
        .then(|| percent_decode(value))
}

/// `%XX` escapes decoded as UTF-8 (invalid sequences become U+FFFD); other text is kept.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(x) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > hay.len() || needle.is_empty() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// A name the browser gave a file, made a plain file name: only its last part (browsers
/// may send `C:\…\中山区.xlsx` or `../x`), without characters a file system refuses or
/// treats specially, at most 100 characters; `表格` when nothing is left.
pub(super) fn safe_file_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    // Keep the extension when shortening: it says how the file is read.
    let chars: Vec<char> = cleaned.chars().collect();
    let name = if chars.len() > 100 {
        let ext: String = match cleaned.rfind('.') {
            Some(i) if cleaned.len() - i <= 6 => cleaned[i..].to_string(),
            _ => String::new(),
        };
        let keep = 100 - ext.chars().count();
        chars[..keep].iter().collect::<String>() + &ext
    } else {
        cleaned.to_string()
    };
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if name.is_empty() {
        "表格".into()
    } else if reserved {
        format!("_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_decoded_and_blank_ones_are_absent() {
        let req = Request {
            method: "POST".into(),
            body: "id=2026-q1&reason=%E5%BC%82%E8%AE%AE+%E6%88%90%E7%AB%8B&code=+&x=1&x=2"
                .as_bytes()
                .to_vec(),
            ..Request::default()
        };
        let f = Form::of(&req);
        assert_eq!(f.get("id"), Some("2026-q1"));
        assert_eq!(f.get("reason"), Some("异议 成立"));
        assert_eq!(f.get("code"), None);
        assert_eq!(f.get("x"), Some("1"));
        assert_eq!(f.get("none"), None);
    }

    #[test]
    fn a_get_reads_its_query() {
        let req = Request {
            method: "GET".into(),
            target: "/__gazette/console/list?id=2026-q1-application".into(),
            ..Request::default()
        };
        assert_eq!(Form::of(&req).get("id"), Some("2026-q1-application"));
    }

    fn post(content_type: &str, body: &[u8]) -> Request {
        Request {
            method: "POST".into(),
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_vec(),
            ..Request::default()
        }
    }

    const CT: &str = "multipart/form-data; boundary=----WebKitFormBoundaryAbC123";

    fn body(parts: &[&str]) -> Vec<u8> {
        let mut b = Vec::new();
        for p in parts {
            b.extend_from_slice(b"------WebKitFormBoundaryAbC123\r\n");
            b.extend_from_slice(p.as_bytes());
            b.extend_from_slice(b"\r\n");
        }
        b.extend_from_slice(b"------WebKitFormBoundaryAbC123--\r\n");
        b
    }

    #[test]
    fn a_multipart_body_gives_its_fields_and_files() {
        let b = body(&[
            "Content-Disposition: form-data; name=\"token\"\r\n\r\nabc",
            "Content-Disposition: form-data; name=\"district\"\r\n\r\n中山区",
            "Content-Disposition: form-data; name=\"files\"; filename=\"中山区推荐表.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n\r\n--x,--\r\n",
            "Content-Disposition: form-data; name=\"files\"; filename=\"b.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{0}\u{1}",
            "Content-Disposition: form-data; name=\"empty\"\r\n\r\n",
        ]);
        let f = Form::of(&post(CT, &b));
        assert_eq!(f.error(), None);
        assert_eq!(f.get("token"), Some("abc"));
        assert_eq!(f.get("district"), Some("中山区"));
        assert_eq!(f.get("empty"), None);
        let files: Vec<&Upload> = f.files("files").collect();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].filename, "中山区推荐表.csv");
        // CRLFs and dashes inside the content are content.
        assert_eq!(files[0].bytes, b"a,b\r\n\r\n--x,--\r\n");
        assert_eq!(files[1].bytes, b"\x00\x01");
        assert_eq!(f.files("other").count(), 0);
    }

    /// A hostile or broken body is an error or a form, never a panic: every prefix of a
    /// valid body, and the body with each byte in turn replaced by each of the bytes the
    /// parser looks for.
    #[test]
    fn no_cut_or_changed_byte_makes_the_parser_panic() {
        let b = body(&[
            "Content-Disposition: form-data; name=\"token\"\r\n\r\nabc",
            "Content-Disposition: form-data; name=\"files\"; filename*=UTF-8''%E4%B8%AD.csv\r\n\r\na,b",
        ]);
        for end in 0..=b.len() {
            let _ = Form::of(&post(CT, &b[..end]));
        }
        for i in 0..b.len() {
            for x in [b'\r', b'\n', b'-', b'"', b';', b'=', b'%', b'\'', 0xff] {
                let mut m = b.clone();
                m[i] = x;
                let _ = Form::of(&post(CT, &m));
            }
        }
    }

    #[test]
    fn a_quoted_boundary_and_a_first_delimiter_after_a_preamble_are_read() {
        let mut b = b"preamble\r\n".to_vec();
        b.extend(body(&[
            "Content-Disposition: form-data; name=\"a\"\r\n\r\n1",
        ]));
        let f = Form::of(&post(
            "Multipart/Form-Data; charset=utf-8; boundary=\"----WebKitFormBoundaryAbC123\"",
            &b,
        ));
        assert_eq!(f.get("a"), Some("1"));
    }

    #[test]
    fn rfc5987_file_names_win_and_percent_escapes_are_decoded() {
        let b = body(&[
            "Content-Disposition: form-data; name=\"files\"; filename=\"x.csv\"; filename*=UTF-8''%E8%A5%BF%E5%B2%97%E5%8C%BA.csv\r\n\r\n1",
            "Content-Disposition: form-data; name=\"files\"; filename=\"a%22b%0A c.csv\"\r\n\r\n2",
            "Content-Disposition: form-data; name=\"files\"; filename=\"C:\\x\\..\\y.csv\"\r\n\r\n3",
        ]);
        let f = Form::of(&post(CT, &b));
        let names: Vec<&str> = f.files("files").map(|u| u.filename.as_str()).collect();
        assert_eq!(names, ["西岗区.csv", "ab c.csv", "y.csv"]);
    }

    #[test]
    fn an_empty_file_field_sends_no_file() {
        let b = body(&[
            "Content-Disposition: form-data; name=\"files\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        ]);
        assert_eq!(Form::of(&post(CT, &b)).files("files").count(), 0);
    }

    #[test]
    fn a_body_cut_short_is_refused_with_no_fields() {
        let mut b = body(&["Content-Disposition: form-data; name=\"token\"\r\n\r\nabc"]);
        let cut = b.len() - "------WebKitFormBoundaryAbC123--\r\n".len() - 2;
        b.truncate(cut);
        let f = Form::of(&post(CT, &b));
        assert!(f.error().is_some());
        assert_eq!(f.get("token"), None);
        for bad in [
            &b"no boundary here"[..],
            b"------WebKitFormBoundaryAbC123\r\nContent-Disposition: form-data\r\n\r\nx\r\n------WebKitFormBoundaryAbC123--",
            b"------WebKitFormBoundaryAbC123\r\nContent-Disposition: form-data; name=\"a\"",
        ] {
            assert!(Form::of(&post(CT, bad)).error().is_some(), "{bad:?}");
        }
        // Another content type is read as a urlencoded form.
        assert_eq!(
            Form::of(&post("application/x-www-form-urlencoded", b"a=1")).get("a"),
            Some("1")
        );
    }

    #[test]
    fn uploaded_file_names_become_plain_file_names() {
        for (given, safe) in [
            ("中山区推荐表.xlsx", "中山区推荐表.xlsx"),
            ("C:\\Users\\科员\\Desktop\\西岗区.xls", "西岗区.xls"),
            ("../../etc/passwd", "passwd"),
            ("..", "表格"),
            ("", "表格"),
            ("a/b/", "表格"),
            ("x:y?.csv", "xy.csv"),
            (" .hidden.csv. ", "hidden.csv"),
            ("con.csv", "_con.csv"),
            ("COM1.xlsx", "_COM1.xlsx"),
            ("a\u{0}b\nc.csv", "abc.csv"),
        ] {
            assert_eq!(safe_file_name(given), safe, "{given:?}");
        }
        let long = format!("{}.xlsx", "表".repeat(300));
        let s = safe_file_name(&long);
        assert_eq!(s.chars().count(), 100);
        assert!(s.ends_with("表.xlsx"));
    }
}
