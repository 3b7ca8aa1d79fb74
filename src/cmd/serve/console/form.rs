//! The fields of a submitted form (`application/x-www-form-urlencoded`, what a plain HTML
//! form sends).

use super::super::http::Request;

/// A form's fields in the order sent.
#[derive(Debug, Default)]
pub(super) struct Form {
    fields: Vec<(String, String)>,
}

impl Form {
    /// The form of a POST body, or of a GET's query string.
    pub(super) fn of(req: &Request) -> Form {
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
        }
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every field, for carrying a form over to its confirmation page.
    pub(super) fn fields(&self) -> &[(String, String)] {
        &self.fields
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
}
