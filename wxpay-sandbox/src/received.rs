//! The requests a sandbox received, as tests inspect them.

use std::fmt;

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::fault::Fault;

/// One request the sandbox received, with what it answered.
///
/// `Debug` leaves out the decrypted values (`json`, `query_params`); read them through the
/// fields.
#[derive(Clone)]
#[non_exhaustive]
pub struct Received {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path as sent (percent-encoded), without the leading `/`: `v3/security/echo`.
    pub path: String,
    /// The query string as sent, without `?` (empty when there is none).
    pub query: String,
    /// The query pairs, percent-decoded, encrypted values decrypted.
    pub query_params: Vec<(String, String)>,
    /// The request headers.
    pub headers: http::HeaderMap,
    /// The JSON body (for an upload: the `meta` part) with every encrypted field decrypted;
    /// `Value::Null` when there is no JSON body.
    pub json: Value,
    /// The raw body, exactly as received.
    pub body: Vec<u8>,
    /// The uploaded file of a multipart request: file name and bytes.
    pub file: Option<(String, Vec<u8>)>,
    /// The name of the file's part (`file`, `submission_file`, …).
    pub file_part: Option<String>,
    /// Where encrypted values were found (and decrypted): body fields as
    /// `real_identity.identity_id` or `receivers[0].name` (a field holding JSON text continues
    /// the path into it), query fields as `?name`.
    pub encrypted: Vec<String>,
    /// The status the sandbox answered with.
    pub status: u16,
    /// The error code it answered with (`SIGN_ERROR`, `PARAM_ERROR`, …), for error answers.
    pub error_code: Option<String>,
    /// The `Request-ID` it answered with.
    pub request_id: String,
    /// The fault applied to the answer, if any.
    pub fault: Option<Fault>,
}

impl Received {
    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Wechatpay-Serial` the request carried.
    pub fn wechatpay_serial(&self) -> Option<&str> {
        self.header("Wechatpay-Serial")
    }

    /// The value of a query parameter (decoded, decrypted).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query_params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The JSON form served by `GET /_sandbox/requests`.
    pub fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for (name, value) in &self.headers {
            headers.insert(
                name.as_str().to_string(),
                Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned()),
            );
        }
        let mut out = json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "query_params": self.query_params.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "headers": headers,
            "json": self.json,
            "encrypted": self.encrypted,
            "status": self.status,
            "error_code": self.error_code,
            "request_id": self.request_id,
            "fault": self.fault.as_ref().map(|f| format!("{f:?}")),
        });
        match std::str::from_utf8(&self.body) {
            Ok(text) => out["body"] = Value::String(text.to_string()),
            Err(_) => {
                out["body_base64"] =
                    Value::String(base64::engine::general_purpose::STANDARD.encode(&self.body))
            }
        }
        if let Some((name, bytes)) = &self.file {
            out["file"] = json!({
                "part": self.file_part,
                "filename": name,
                "len": bytes.len(),
            });
        }
        out
    }
}

impl fmt::Debug for Received {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_len", &self.body.len())
            .field("encrypted", &self.encrypted)
            .field("status", &self.status)
            .field("error_code", &self.error_code)
            .field("request_id", &self.request_id)
            .field("fault", &self.fault)
            .finish_non_exhaustive()
    }
}
