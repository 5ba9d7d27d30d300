//! Authenticating a request the way WeChat Pay does: the `Authorization` signature (401
//! `SIGN_ERROR`), then the body and the encrypted fields against `Wechatpay-Serial` (400
//! `PARAM_ERROR`). Uploads are split into their parts by [`crate::multipart`].

use std::collections::HashMap;

use base64::Engine as _;
use http::HeaderMap;
use serde_json::{Value, json};
use wxpay_core::MerchantKey;
use wxpay_core::sign::{SCHEME, request_message};

use crate::answer::{Answer, param_error};
use crate::keys::{Identity, KeyRef};
use crate::multipart;

/// Largest distance WeChat Pay accepts between a request's timestamp and its clock.
const MAX_SKEW_SECONDS: i64 = 300;

/// How deep JSON text inside string values is searched for encrypted fields.
const MAX_JSON_STRING_DEPTH: usize = 4;

/// A request as received.
pub(crate) struct Incoming {
    pub(crate) method: String,
    /// Path and query exactly as sent (`/v3/…?…`): what the signature covers.
    pub(crate) path_and_query: String,
    /// The path routed by, without its leading `/` (and without a gateway's prefix).
    pub(crate) path: String,
    /// The path as sent, without its leading `/` (a gateway's prefix included).
    pub(crate) sent_path: String,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// What checking found.
pub(crate) struct Checked {
    /// The body (or upload meta) with encrypted fields decrypted; `Null` without a JSON body.
    pub(crate) json: Value,
    pub(crate) query_params: Vec<(String, String)>,
    pub(crate) encrypted: Vec<String>,
    pub(crate) file: Option<(String, Vec<u8>)>,
    /// The name of the file's part.
    pub(crate) file_part: Option<String>,
    /// The rejection WeChat Pay would answer with, if any.
    pub(crate) rejection: Option<Answer>,
}

/// Checks `request`. `named_key` is the WeChat Pay key named by its `Wechatpay-Serial`, if the
/// sandbox knows one by that name in its current mode.
pub(crate) fn check(
    identity: &Identity,
    named_key: Option<&KeyRef>,
    request: &Incoming,
    now: i64,
) -> Checked {
    let body = read_body(&request.headers, &request.body);
    let unreadable_upload = body.is_err() && multipart::content_type(&request.headers).is_some();
    let signed: &[u8] = match &body {
        Ok(b) => &b.signed,
        Err(_) => &request.body,
    };
    let auth = check_authorization(identity, request, signed, now);

    let (mut json, file, file_part, body_error) = match body {
        Ok(b) => (b.json, b.file, b.file_part, b.problem),
        Err(e) => (Value::Null, None, None, Some(e)),
    };
    let mut fields = FieldDecryptor {
        key: named_key.map(|k| &*k.key),
        found: Vec::new(),
        failed: Vec::new(),
    };
    fields.value(&mut json, "", 0);
    let query_params: Vec<(String, String)> = split_query(&request.query)
        .into_iter()
        .map(|(name, value)| {
            let path = format!("?{name}");
            let value = fields.string(&value, &path, 0).unwrap_or(value);
            (name, value)
        })
        .collect();

    let serial = request
        .headers
        .get("Wechatpay-Serial")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    // A multipart body that cannot be split into its parts has no `meta` for the signature
    // to cover: the request is malformed before it is unsigned (400, naming the problem,
    // such as a Content-Type without a boundary), not a signature error.
    let rejection = if unreadable_upload {
        body_error.or(auth.err())
    } else {
        auth.err().or(body_error)
    };
    let rejection = rejection.or_else(|| {
        if fields.found.is_empty() {
            None
        } else if serial.is_none() {
            Some(param_error(
                "Wechatpay-Serial is required: the request carries encrypted fields",
                json!({"field": "Wechatpay-Serial", "location": "header", "issue": "missing"}),
            ))
        } else if named_key.is_none() {
            Some(param_error(
                "Wechatpay-Serial names no WeChat Pay public key or platform certificate of this merchant",
                json!({"field": "Wechatpay-Serial", "location": "header", "value": serial, "issue": "unknown serial"}),
            ))
        } else {
            fields.failed.first().map(|field| {
                let location = if field.starts_with('?') { "query" } else { "body" };
                param_error(
                    "an encrypted field does not decrypt with the key named by Wechatpay-Serial",
                    json!({"field": field, "location": location, "issue": "decryption failed"}),
                )
            })
        }
    });
    Checked {
        json,
        query_params,
        encrypted: fields.found,
        file,
        file_part,
        rejection,
    }
}

/// `401 SIGN_ERROR`.
fn sign_error(message: impl Into<String>, detail: Value) -> Answer {
    Answer::json(json!({"code": "SIGN_ERROR", "message": message.into(), "detail": detail}))
        .with_status(401)
}

fn check_authorization(
    identity: &Identity,
    request: &Incoming,
    signed_body: &[u8],
    now: i64,
) -> Result<(), Answer> {
    let format_error = |issue: &str| {
        sign_error(
            format!(
                "Authorization header is malformed ({issue}); expected {SCHEME} mchid=\"…\",nonce_str=\"…\",timestamp=\"…\",serial_no=\"…\",signature=\"…\""
            ),
            json!({"field": "Authorization", "location": "header", "issue": issue}),
        )
    };
    let header = request
        .headers
        .get(http::header::AUTHORIZATION)
        .ok_or_else(|| format_error("missing"))?
        .to_str()
        .map_err(|_| format_error("not text"))?;
    let fields = parse_authorization(header).map_err(|issue| format_error(&issue))?;
    let field = |name: &str| {
        fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format_error(&format!("{name} is missing")))
    };
    let (mchid, nonce, timestamp, serial, signature) = (
        field("mchid")?,
        field("nonce_str")?,
        field("timestamp")?,
        field("serial_no")?,
        field("signature")?,
    );
    if mchid != identity.mchid {
        return Err(sign_error(
            format!(
                "mchid {mchid} in Authorization is not the merchant of this sandbox ({})",
                identity.mchid
            ),
            json!({"field": "mchid", "location": "authorization", "issue": "unknown merchant"}),
        ));
    }
    if !serial.eq_ignore_ascii_case(&identity.merchant_serial) {
        return Err(sign_error(
            format!(
                "serial_no {serial} is not the serial of the merchant API certificate ({})",
                identity.merchant_serial
            ),
            json!({"field": "serial_no", "location": "authorization", "issue": "certificate not found"}),
        ));
    }
    let ts: i64 = timestamp
        .parse()
        .map_err(|_| format_error("timestamp is not a Unix time in seconds"))?;
    if (now - ts).abs() > MAX_SKEW_SECONDS {
        return Err(sign_error(
            format!(
                "timestamp {ts} is {} s away from the server clock (at most {MAX_SKEW_SECONDS} s)",
                now - ts
            ),
            json!({"field": "timestamp", "location": "authorization", "issue": "timestamp expired"}),
        ));
    }
    let message = request_message(
        &request.method,
        &request.path_and_query,
        ts,
        nonce,
        signed_body,
    );
    if !identity.merchant_public.verify(&message, signature) {
        return Err(sign_error(
            "签名错误: the signature does not verify with the merchant API certificate over METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n",
            json!({
                "field": "signature",
                "location": "authorization",
                "issue": "sign not match",
                "sign_information": {
                    "method": request.method,
                    "url": request.path_and_query,
                    "sign_message_length": message.len(),
                },
            }),
        ));
    }
    Ok(())
}

/// `SCHEME k="v",k="v",…` into its fields, in any order.
pub(crate) fn parse_authorization(value: &str) -> Result<HashMap<String, String>, String> {
    let rest = value
        .strip_prefix(SCHEME)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| format!("the scheme must be {SCHEME}"))?;
    let mut fields = HashMap::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or("a field has no '='")?;
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let after = after
            .strip_prefix('"')
            .ok_or_else(|| format!("the value of {name} is not double-quoted"))?;
        let end = after
            .find('"')
            .ok_or_else(|| format!("the value of {name} has no closing quote"))?;
        if fields
            .insert(name.to_string(), after[..end].to_string())
            .is_some()
        {
            return Err(format!("{name} appears twice"));
        }
        rest = after[end + 1..].trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err("fields must be separated by ','".into());
        }
    }
    Ok(fields)
}

/// A body as understood.
struct Body {
    /// What the signature covers: the JSON text, or the upload's meta.
    signed: Vec<u8>,
    json: Value,
    file: Option<(String, Vec<u8>)>,
    file_part: Option<String>,
    /// Something WeChat Pay would refuse once the signature is checked.
    problem: Option<Answer>,
}

fn read_body(headers: &HeaderMap, raw: &[u8]) -> Result<Body, Answer> {
    if let Some(content_type) = multipart::content_type(headers) {
        let upload = multipart::read(content_type, raw)?;
        return Ok(Body {
            signed: upload.meta,
            json: upload.json,
            file: Some(upload.file),
            file_part: Some(upload.part),
            problem: upload.problem,
        });
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(Body {
            signed: raw.to_vec(),
            json: Value::Null,
            file: None,
            file_part: None,
            problem: None,
        });
    }
    let json = serde_json::from_slice(raw).map_err(|e| {
        param_error(
            format!(
                "the body is not valid JSON (line {} column {})",
                e.line(),
                e.column()
            ),
            json!({"location": "body", "issue": "invalid JSON"}),
        )
    })?;
    Ok(Body {
        signed: raw.to_vec(),
        json,
        file: None,
        file_part: None,
        problem: None,
    })
}

/// `a=1&b=%E4%B8%AD` into decoded pairs (`+` is kept: base64 has it).
pub(crate) fn split_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// Whether `value` looks like an RSA-2048 ciphertext: base64 of exactly 256 bytes.
pub(crate) fn is_ciphertext(value: &str) -> bool {
    value.len() == 344
        && base64::engine::general_purpose::STANDARD
            .decode(value)
            .is_ok_and(|bytes| bytes.len() == 256)
}

/// Finds and decrypts the encrypted values of a request.
struct FieldDecryptor<'a> {
    key: Option<&'a MerchantKey>,
    found: Vec<String>,
    failed: Vec<String>,
}

impl FieldDecryptor<'_> {
    fn value(&mut self, value: &mut Value, path: &str, depth: usize) {
        match value {
            Value::String(s) => {
                if let Some(replacement) = self.string(s, path, depth) {
                    *s = replacement;
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.value(item, &format!("{path}[{i}]"), depth);
                }
            }
            Value::Object(map) => {
                for (name, item) in map.iter_mut() {
                    let path = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    self.value(item, &path, depth);
                }
            }
            _ => {}
        }
    }

    /// The replacement of a string value: its plaintext when it is a ciphertext, or its JSON
    /// text with the encrypted fields inside decrypted. `None`: keep it.
    fn string(&mut self, s: &str, path: &str, depth: usize) -> Option<String> {
        if is_ciphertext(s) {
            self.found.push(path.to_string());
            return match self.key.map(|k| k.decrypt(s)) {
                Some(Ok(plain)) => Some(plain),
                _ => {
                    self.failed.push(path.to_string());
                    None
                }
            };
        }
        let looks_like_json = s.trim_start().starts_with(['{', '[']);
        if depth < MAX_JSON_STRING_DEPTH
            && looks_like_json
            && let Ok(mut inner) = serde_json::from_str::<Value>(s)
        {
            let before = self.found.len();
            self.value(&mut inner, path, depth + 1);
            if self.found.len() > before {
                return Some(inner.to_string());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_fields_in_any_order() {
        let f = parse_authorization(
            r#"WECHATPAY2-SHA256-RSA2048 signature="a+b/c==", serial_no="5F",mchid="190",timestamp="1",nonce_str="n""#,
        )
        .unwrap();
        assert_eq!(f["signature"], "a+b/c==");
        assert_eq!(f["serial_no"], "5F");
        assert_eq!(f["mchid"], "190");
        assert_eq!(f["nonce_str"], "n");
        assert!(parse_authorization("Bearer x").is_err());
        assert!(parse_authorization(r#"WECHATPAY2-SHA256-RSA2048 mchid=190"#).is_err());
        assert!(parse_authorization(r#"WECHATPAY2-SHA256-RSA2048 mchid="1",mchid="2""#).is_err());
        assert!(parse_authorization(r#"WECHATPAY2-SHA256-RSA2048 mchid="1" x="2""#).is_err());
    }

    #[test]
    fn query_is_decoded_but_plus_kept() {
        assert_eq!(
            split_query("a=1&b=%E4%B8%AD+x&c"),
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "中+x".to_string()),
                ("c".to_string(), String::new())
            ]
        );
    }
}
