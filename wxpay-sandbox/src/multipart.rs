//! Uploads: `multipart/form-data` bodies, split into their `meta` part (the JSON the
//! signature covers) and their file, whose digest `meta` must give.

use http::HeaderMap;
use serde_json::{Value, json};

use crate::answer::{Answer, param_error};

/// An upload as read.
pub(crate) struct Upload {
    /// The `meta` part as sent: what the signature covers.
    pub(crate) meta: Vec<u8>,
    /// The `meta` part, a JSON object.
    pub(crate) json: Value,
    /// The file: its name and bytes.
    pub(crate) file: (String, Vec<u8>),
    /// The name of the file's part (`file`, `submission_file`, …).
    pub(crate) part: String,
    /// What WeChat Pay would refuse once the signature is checked (an empty file, a wrong
    /// digest).
    pub(crate) problem: Option<Answer>,
}

/// The request's `Content-Type`, when it is `multipart/form-data`.
pub(crate) fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Reads an upload: its `meta` part (which must be a JSON object) and its file. The
/// digest in `meta` is checked, but its mismatch is returned as `problem`, not as an error:
/// WeChat Pay answers `SIGN_ERROR` before it looks at the content.
pub(crate) fn read(content_type: &str, raw: &[u8]) -> Result<Upload, Answer> {
    let bad = |issue: &str| {
        param_error(
            format!("multipart upload: {issue}"),
            json!({"location": "body", "issue": issue}),
        )
    };
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            bad("Content-Type has no boundary (expected multipart/form-data; boundary=…)")
        })?;
    let parts = split_multipart(raw, boundary).ok_or_else(|| bad("malformed multipart body"))?;
    let mut meta = None;
    let mut file = None;
    for part in parts {
        match part.name.as_deref() {
            Some("meta") => meta = Some(part.content),
            // Part `file` for most uploads; a few name it otherwise (`submission_file`).
            Some(name) if file.is_none() && (part.filename.is_some() || name == "file") => {
                file = Some((
                    name.to_string(),
                    part.filename.unwrap_or_default(),
                    part.content,
                ));
            }
            _ => {}
        }
    }
    let meta = meta.ok_or_else(|| bad("part meta is missing"))?;
    let (file_part, filename, bytes) = file.ok_or_else(|| bad("part file is missing"))?;
    let json: Value =
        serde_json::from_slice(&meta).map_err(|_| bad("part meta is not valid JSON"))?;
    if !json.is_object() {
        return Err(bad("part meta is not a JSON object"));
    }
    // Checked once the signature is: WeChat Pay answers SIGN_ERROR before looking at the
    // content.
    let file = wxpay_core::File::new(filename.clone(), bytes.clone());
    let problem = if bytes.is_empty() {
        Some(param_error(
            "the file is empty",
            json!({"field": "file", "location": "body", "issue": "empty file"}),
        ))
    } else if let Some((field, algorithm, expected)) = file_digest(&json, &file) {
        match json[field].as_str() {
            Some(given) if given.eq_ignore_ascii_case(&expected) => None,
            _ => Some(param_error(
                format!("the {field} in meta is not the {algorithm} of the file"),
                json!({"field": field, "location": "body", "issue": "file digest mismatch"}),
            )),
        }
    } else if json.get("digest").is_none() {
        Some(param_error(
            "meta must hold the file's digest (sha256)",
            json!({"field": "sha256", "location": "body", "issue": "missing"}),
        ))
    } else {
        // A `digest` with no algorithm the sandbox knows (the global merchant storage's):
        // not checked.
        None
    };
    Ok(Upload {
        meta,
        json,
        file: (filename, bytes),
        part: file_part,
        problem,
    })
}

/// The meta's digest field, its algorithm and the digest the file has, when the sandbox can
/// check it: `sha256` (media uploads) and `file_digest` (submission and due-diligence files)
/// are the SHA-256 of the file; `digest` is its SM3 when the meta names SM3 as its algorithm
/// (`digest_alogrithm: "SM3"` of fapiao files, spelled so by WeChat Pay, and
/// `digest_algorithm: "DIGEST_ALGORITHM_SM3"` of taxi invoices).
fn file_digest(
    meta: &Value,
    file: &wxpay_core::File,
) -> Option<(&'static str, &'static str, String)> {
    if let Some(field) = ["sha256", "file_digest"]
        .into_iter()
        .find(|f| meta.get(*f).is_some())
    {
        return Some((field, "SHA-256", file.sha256_hex()));
    }
    let sm3 = ["digest_alogrithm", "digest_algorithm"]
        .iter()
        .filter_map(|f| meta.get(*f)?.as_str())
        .any(|algorithm| algorithm == "SM3" || algorithm == "DIGEST_ALGORITHM_SM3");
    (sm3 && meta.get("digest").is_some()).then(|| ("digest", "SM3", file.sm3_hex()))
}

struct Part {
    name: Option<String>,
    filename: Option<String>,
    content: Vec<u8>,
}

fn split_multipart(raw: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut pos = find(raw, &delimiter, 0)? + delimiter.len();
    loop {
        if raw[pos..].starts_with(b"--") {
            return Some(parts);
        }
        pos += if raw[pos..].starts_with(b"\r\n") {
            2
        } else {
            return None;
        };
        let headers_end = find(raw, b"\r\n\r\n", pos)?;
        let headers = std::str::from_utf8(&raw[pos..headers_end]).ok()?;
        let content_start = headers_end + 4;
        let mut next_delimiter = b"\r\n".to_vec();
        next_delimiter.extend_from_slice(&delimiter);
        let content_end = find(raw, &next_delimiter, content_start)?;
        let mut part = Part {
            name: None,
            filename: None,
            content: raw[content_start..content_end].to_vec(),
        };
        for line in headers.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';').map(str::trim) {
                    if let Some(v) = param.strip_prefix("name=") {
                        part.name = Some(v.trim_matches('"').to_string());
                    } else if let Some(v) = param.strip_prefix("filename=") {
                        part.filename = Some(v.trim_matches('"').to_string());
                    }
                }
            }
        }
        parts.push(part);
        pos = content_end + next_delimiter.len();
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"filename\":\"a.jpg\"}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\x00\x01\r\n\x02\r\n--XyZ--\r\n";
        let parts = split_multipart(body, "XyZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name.as_deref(), Some("meta"));
        assert_eq!(parts[0].content, b"{\"filename\":\"a.jpg\"}");
        assert_eq!(parts[1].filename.as_deref(), Some("a.jpg"));
        assert_eq!(parts[1].content, b"\x00\x01\r\n\x02");
        assert!(split_multipart(b"garbage", "XyZ").is_none());
    }
}
