//! Answers: what a route sends back, and how it is signed.

use std::fmt;

use serde_json::{Value, json};

use crate::bill::BillFile;

/// An answer for [`Sandbox::respond`](crate::Sandbox::respond).
///
/// 2xx answers are signed with the WeChat Pay key (like WeChat Pay, which signs every
/// successful answer) unless made [`unsigned`](Answer::unsigned) or built with
/// [`download`](Answer::download); error answers (4xx, 5xx) are never signed. A
/// `serde_json::Value` converts into `Answer::json(value)`.
///
/// ```
/// use wxpay_sandbox::Answer;
/// let ok = Answer::json(serde_json::json!({"presign_token": "abc"}));
/// let gone = Answer::error(404, "RESOURCE_NOT_EXISTS", "no such order");
/// let bill = Answer::download(b"a,b,c\n".to_vec());
/// let created = Answer::empty();
/// # let _ = (ok, gone, bill, created);
/// ```
#[derive(Clone, PartialEq)]
pub struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) signed: bool,
    /// A bill generated while it is sent, instead of `body`.
    pub(crate) stream: Option<Box<BillFile>>,
}

impl Answer {
    /// `200` with this JSON body, signed.
    pub fn json(value: Value) -> Self {
        Self {
            status: 200,
            body: value.to_string().into_bytes(),
            content_type: Some("application/json".into()),
            headers: Vec::new(),
            signed: true,
            stream: None,
        }
    }

    /// `204 No Content`, signed over the empty body.
    pub fn empty() -> Self {
        Self {
            status: 204,
            body: Vec::new(),
            content_type: None,
            headers: Vec::new(),
            signed: true,
            stream: None,
        }
    }

    /// A WeChat Pay error answer, `status {"code": …, "message": …}`, unsigned.
    pub fn error(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::json(json!({"code": code.into(), "message": message.into()})).with_status(status)
    }

    /// An unsigned `200` download (bill file, receipt, image): these raw bytes as
    /// `application/octet-stream`.
    pub fn download(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            body: bytes.into(),
            content_type: Some("application/octet-stream".into()),
            headers: Vec::new(),
            signed: false,
            stream: None,
        }
    }

    /// Any bytes with this status and content type (signed when 2xx).
    pub fn raw(status: u16, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            body: body.into(),
            content_type: Some(content_type.into()),
            headers: Vec::new(),
            signed: true,
            stream: None,
        }
    }

    /// The same answer with its body generated while it is sent.
    pub(crate) fn with_stream(mut self, file: BillFile) -> Self {
        self.stream = Some(Box::new(file));
        self
    }

    /// The same answer with another status (an error status makes it unsigned).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The same answer with one more header (replacing a generated one of that name, such
    /// as `Request-ID`).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same answer without signature headers, even when 2xx.
    pub fn unsigned(mut self) -> Self {
        self.signed = false;
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether it will carry `Wechatpay-*` signature headers.
    pub fn is_signed(&self) -> bool {
        self.signed && (200..300).contains(&self.status)
    }

    /// The error code of an error answer, if its body is WeChat Pay's error JSON.
    pub(crate) fn error_code(&self) -> Option<String> {
        if self.status < 400 {
            return None;
        }
        serde_json::from_slice::<Value>(&self.body)
            .ok()?
            .get("code")?
            .as_str()
            .map(str::to_string)
    }
}

/// `400 PARAM_ERROR` with a `detail`, as WeChat Pay answers a malformed request.
pub(crate) fn param_error(message: impl Into<String>, detail: Value) -> Answer {
    Answer::json(json!({"code": "PARAM_ERROR", "message": message.into(), "detail": detail}))
        .with_status(400)
}

impl From<Value> for Answer {
    fn from(value: Value) -> Self {
        Answer::json(value)
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("signed", &self.is_signed())
            .finish_non_exhaustive()
    }
}

/// A scripted route: method and path pattern (`{name}` segments match any one segment).
#[derive(Debug, Clone)]
pub(crate) struct Route {
    method: String,
    segments: Vec<String>,
    pub(crate) answer: Answer,
}

impl Route {
    pub(crate) fn new(method: &str, path: &str, answer: Answer) -> Self {
        Self {
            method: method.to_ascii_uppercase(),
            segments: split_path(path),
            answer,
        }
    }

    /// Whether this route has the same method and pattern as `other` (a re-script).
    pub(crate) fn same_as(&self, other: &Route) -> bool {
        self.method == other.method && self.segments == other.segments
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        if !self.method.eq_ignore_ascii_case(method) {
            return false;
        }
        let segments = split_path(path);
        segments.len() == self.segments.len()
            && self.segments.iter().zip(&segments).all(|(pattern, seg)| {
                (pattern.starts_with('{') && pattern.ends_with('}') && !seg.is_empty())
                    || pattern == seg
            })
    }
}

/// `v3/a/b` or `/v3/a/b?x=1` into `["v3", "a", "b"]` (a trailing `/` gives a last empty
/// segment, as the path is real).
fn split_path(path: &str) -> Vec<String> {
    let path = path.split('?').next().unwrap_or_default();
    path.trim_start_matches('/')
        .split('/')
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_patterns() {
        let r = Route::new(
            "get",
            "/v3/pay/transactions/id/{transaction_id}",
            Answer::empty(),
        );
        assert!(r.matches("GET", "v3/pay/transactions/id/4200001"));
        assert!(!r.matches("POST", "v3/pay/transactions/id/4200001"));
        assert!(!r.matches("GET", "v3/pay/transactions/id/"));
        assert!(!r.matches("GET", "v3/pay/transactions/id/1/2"));
        let slash = Route::new("GET", "v3/x/", Answer::empty());
        assert!(slash.matches("GET", "v3/x/"));
        assert!(!slash.matches("GET", "v3/x"));
    }

    #[test]
    fn error_answers_are_unsigned() {
        let a = Answer::error(404, "RESOURCE_NOT_EXISTS", "gone");
        assert!(!a.is_signed());
        assert_eq!(a.error_code().as_deref(), Some("RESOURCE_NOT_EXISTS"));
        assert!(Answer::json(json!({})).is_signed());
        assert!(!Answer::download(vec![1]).is_signed());
    }
}
