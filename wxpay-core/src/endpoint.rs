//! What a declared endpoint is, and the request it produces.
//!
//! `#[wxpay_endpoint]` implements [`Endpoint`] for the user's struct: the implementation writes
//! the struct's fields into a [`RequestParts`] (path segments, query pairs, headers, JSON body or
//! multipart meta), and decodes the answer.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use sha2::Digest;

use crate::error::Error;
use crate::private::{EncryptedField, with_current_encryptor};

/// An HTTP method of APIv3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name, upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an endpoint's answer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// A signed JSON body, deserialized into the response type.
    Json,
    /// A signed answer whose body is ignored (`()`): 204, or any body.
    Empty,
    /// An unsigned download (`wxpay::Download`): the raw bytes.
    Download,
}

/// A declared endpoint. Implemented by `#[wxpay_endpoint]`; not meant to be implemented by
/// hand.
pub trait Endpoint {
    /// What a 2xx answer decodes into.
    type Response;
    /// The HTTP method.
    const METHOD: Method;
    /// The path template, as declared (`v3/…/{name}`).
    const PATH: &'static str;
    /// The host the endpoint lives on, when it is not the default one.
    const BASE_URL: Option<&'static str>;
    /// How the answer is read.
    const RESPONSE_KIND: ResponseKind;

    /// Writes the request: called by the client inside the encryption scope of one key
    /// snapshot.
    fn write_request(&self, request: &mut RequestParts) -> Result<(), Error>;

    /// Decodes the body of a verified 2xx answer: called inside the decryption scope of the
    /// merchant key.
    fn decode_response(body: &[u8]) -> Result<Self::Response, Error>;
}

/// A file to upload (`#[file]` field): a name and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct File {
    filename: String,
    bytes: Vec<u8>,
}

impl File {
    /// A file named `filename` holding `bytes`.
    pub fn new(filename: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            filename: filename.into(),
            bytes: bytes.into(),
        }
    }

    /// The file name sent in the meta and the part's `filename`.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Lower-case hex SHA-256 of the bytes, as the meta's `sha256`.
    pub fn sha256_hex(&self) -> String {
        hex_lower(&sha2::Sha256::digest(&self.bytes))
    }

    /// Lower-case hex SM3 (GB/T 32905) of the bytes: the meta's `digest` of the uploads whose
    /// digest algorithm is SM3 (`v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file`,
    /// `v3/taxi-invoice/cards/upload-file`). Such endpoints declare `digest` themselves, so it is
    /// not added to the meta for you:
    ///
    /// ```
    /// let file = wxpay_core::File::new("fapiao.pdf", b"abc".to_vec());
    /// assert_eq!(
    ///     file.sm3_hex(),
    ///     "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    /// );
    /// ```
    pub fn sm3_hex(&self) -> String {
        hex_lower(&sm3::Sm3::digest(&self.bytes))
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("filename", &self.filename)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// The raw bytes of an unsigned download (bills, receipts, images): `response = wxpay::Download`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Download {
    bytes: Vec<u8>,
}

impl Download {
    /// Wraps downloaded bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// The body of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Body {
    /// No body (most `GET` and `DELETE`).
    #[default]
    Empty,
    /// A JSON body: these exact bytes are signed and sent.
    Json(Vec<u8>),
    /// A multipart upload: part `meta` holds these exact bytes (the signed text), part `part`
    /// (`file` on most endpoints) the file.
    Multipart {
        /// The meta JSON text.
        meta: Vec<u8>,
        /// The name of the file's part: `file`, or what the endpoint documents
        /// (`submission_file`, `due_diligence_file`).
        part: String,
        /// The file.
        file: File,
    },
}

impl Body {
    /// The bytes the signature covers: the JSON, the multipart meta, or nothing.
    pub fn signed_bytes(&self) -> &[u8] {
        match self {
            Body::Empty => b"",
            Body::Json(b) => b,
            Body::Multipart { meta, .. } => meta,
        }
    }

    /// A multipart body as sent: its `Content-Type` header value and its bytes, with
    /// `boundary` (any 1 to 70 letters and digits that appear in neither part, such as a fresh
    /// [`nonce`](crate::sign::nonce)). Part `meta` is the signed text byte for byte; the file's
    /// part has a `Content-Type` from the file name's extension, as the official SDKs send it.
    /// `None` for the other bodies.
    ///
    /// ```
    /// use wxpay_core::{Body, File, RequestParts};
    ///
    /// let mut parts = RequestParts::new();
    /// parts.set_multipart(&serde_json::json!({}), &File::new("a.jpg", b"x".to_vec()))?;
    /// let (content_type, bytes) = parts.body().multipart("XyZ").expect("a multipart body");
    /// assert_eq!(content_type, "multipart/form-data; boundary=XyZ");
    /// assert!(bytes.starts_with(b"--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\n"));
    /// # Ok::<(), wxpay_core::Error>(())
    /// ```
    pub fn multipart(&self, boundary: &str) -> Option<(String, Vec<u8>)> {
        match self {
            Body::Multipart { meta, part, file } => Some((
                format!("multipart/form-data; boundary={boundary}"),
                multipart_body(boundary, meta, part, file.filename(), file.bytes()),
            )),
            _ => None,
        }
    }
}

/// multipart/form-data with part `meta` (the signed JSON text, byte for byte) and the file in
/// part `part` (its `Content-Type` from the file name's extension, as the official SDKs send
/// it). `part` was checked by [`RequestParts::set_upload`] (no quotes, no control characters).
fn multipart_body(
    boundary: &str,
    meta: &[u8],
    part: &str,
    filename: &str,
    bytes: &[u8],
) -> Vec<u8> {
    let content_type = content_type_of(filename);
    let filename = filename.replace(['"', '\r', '\n'], "_");
    let mut body = Vec::with_capacity(meta.len() + bytes.len() + 512);
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(b"Content-Disposition: form-data; name=\"meta\"\r\n");
    body.extend_from_slice(b"Content-Type: application/json\r\n\r\n");
    body.extend_from_slice(meta);
    body.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!("Content-Disposition: form-data; name=\"{part}\"; filename=\"{filename}\"\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(format!("Content-Type: {content_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// The media type of an upload from its file name: the image and video types WeChat Pay
/// accepts, `application/octet-stream` for anything else.
fn content_type_of(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "bmp" => "image/bmp",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "avi" => "video/x-msvideo",
        "wmv" => "video/x-ms-wmv",
        "mpeg" | "mpg" => "video/mpeg",
        "mov" => "video/quicktime",
        "flv" => "video/x-flv",
        "mkv" => "video/x-matroska",
        "pdf" => "application/pdf",
        "ofd" => "application/ofd",
        "csv" => "text/csv",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The request headers wxpay sets itself, which an endpoint's own headers cannot replace:
/// `Authorization` holds the signature, `Wechatpay-Serial` the id of the key that encrypted
/// the fields, the others frame the body. `#[header("…")]` with one of them is a compile error;
/// [`RequestParts::push_header`] refuses them at run time (`wxpay call --header`).
pub const RESERVED_HEADERS: [&str; 7] = [
    "Authorization",
    "Wechatpay-Serial",
    "Content-Type",
    "Content-Length",
    "Accept",
    "User-Agent",
    "Host",
];

/// Whether `name` is one of [`RESERVED_HEADERS`] (case-insensitive, as header names are).
pub fn is_reserved_header(name: &str) -> bool {
    RESERVED_HEADERS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(name.trim()))
}

/// Meta fields by which an upload names or digests its file its own way (`file_name` and
/// `file_digest` of submission and due-diligence files, the SM3 `digest` of fapiao files): a
/// meta that has any of them gets no `filename` or `sha256` added. `#[wxpay_endpoint]` asks
/// [`declares_own_file_fields`] with the declared body fields; `wxpay call` looks at the meta.
pub const OWN_FILE_FIELDS: [&str; 3] = ["file_name", "file_digest", "digest"];

/// Whether an upload whose meta declares `body_fields` names or digests its file its own way
/// (one of [`OWN_FILE_FIELDS`]), and so gets no `filename` or `sha256` added.
pub fn declares_own_file_fields(body_fields: &[&str]) -> bool {
    body_fields.iter().any(|f| OWN_FILE_FIELDS.contains(f))
}

/// Characters left as they are in a path segment or a query value: RFC 3986 unreserved.
/// Everything else is percent-encoded, so that neither the HTTP stack nor a proxy has a reason
/// to re-encode what was signed.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `value` as one path segment or query component.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// The parts of a request, written by [`Endpoint::write_request`].
#[derive(Debug, Default)]
pub struct RequestParts {
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Body,
}

impl RequestParts {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends literal path text (from the declared template; already valid).
    pub fn push_path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path placeholder's value (`Display`), percent-encoded as one segment.
    pub fn push_path_param<T: fmt::Display + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let text = value.to_string();
        if text.is_empty() {
            return Err(Error::Encode(
                "a path placeholder's value is empty".to_string(),
            ));
        }
        // `.` and `..` are unreserved, so they are not encoded, and `%2E` would not help: URL
        // parsers (WHATWG, the `url` crate under reqwest) resolve both forms as dot segments,
        // so the request would go to another path than the one signed.
        if text == "." || text == ".." {
            return Err(Error::Encode(
                "a path placeholder's value is \".\" or \"..\", which URLs resolve as a dot segment"
                    .to_string(),
            ));
        }
        self.path.push_str(&encode_component(&text));
        Ok(())
    }

    /// Appends a query pair from any serde scalar (string, number, bool, unit enum); `None`
    /// is left out; a sequence of scalars is joined with `,`.
    pub fn push_query<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        if let Some(text) = scalar_text(name, value)? {
            self.push_query_text(name, &text);
        }
        Ok(())
    }

    /// Appends an `#[encrypted]` query pair: encrypted with the key of the current scope.
    pub fn push_query_encrypted<T: EncryptedField>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        if let Some(plain) = value.plaintext() {
            let cipher = with_current_encryptor(plain, |enc, plain| enc.encrypt(plain))?;
            self.push_query_text(name, &cipher);
        }
        Ok(())
    }

    fn push_query_text(&mut self, name: &str, text: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(&encode_component(name));
        self.query.push('=');
        self.query.push_str(&encode_component(text));
    }

    /// Adds a request header from a serde scalar; `None` is left out. A name of
    /// [`RESERVED_HEADERS`] is refused ([`Error::InvalidInput`]): those are wxpay's own.
    pub fn push_header<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        if is_reserved_header(name) {
            return Err(Error::InvalidInput {
                what: "header name",
                reason: "Authorization, Wechatpay-Serial, Content-Type, Content-Length, Accept, User-Agent and Host are set by wxpay itself",
            });
        }
        if let Some(text) = scalar_text(name, value)? {
            if text.bytes().any(|b| b < 0x20 || b == 0x7f) {
                return Err(Error::Encode(format!(
                    "header {name} holds a control character"
                )));
            }
            self.headers.push((name.to_string(), text));
        }
        Ok(())
    }

    /// Sets the JSON body to the serialization of `value` (the body fields of the endpoint).
    pub fn set_json_body<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(value).map_err(|e| Error::json_encode(&e))?;
        self.body = Body::Json(bytes);
        Ok(())
    }

    /// Sets a multipart body with the file in part `file`: the meta is the JSON of
    /// `meta_fields` (the endpoint's other body fields) plus `filename` and `sha256` taken from
    /// the file, each unless already there. [`set_upload`](Self::set_upload) says more.
    pub fn set_multipart<T: Serialize + ?Sized>(
        &mut self,
        meta_fields: &T,
        file: &File,
    ) -> Result<(), Error> {
        self.set_upload(meta_fields, "file", file, true)
    }

    /// Sets a multipart body: part `meta` is the JSON of `meta_fields` (the endpoint's other
    /// body fields), part `part` the file. With `add_file_fields`, the meta also gets
    /// `filename` and `sha256` (lower-case hex SHA-256) from the file, each unless already
    /// there; without, the meta is exactly `meta_fields`, for the endpoints that name and
    /// digest the file their own way (`file_name`/`file_digest`, or an SM3 `digest`).
    ///
    /// `#[file]` endpoints call this with the field's wire name as `part`, and
    /// `add_file_fields` unless [`declares_own_file_fields`] says otherwise.
    pub fn set_upload<T: Serialize + ?Sized>(
        &mut self,
        meta_fields: &T,
        part: &str,
        file: &File,
        add_file_fields: bool,
    ) -> Result<(), Error> {
        if part.is_empty() || part.bytes().any(|b| b.is_ascii_control() || b == b'"') {
            return Err(Error::Encode(
                "the name of the file part must be non-empty, without quotes or control characters"
                    .into(),
            ));
        }
        let mut meta =
            match serde_json::to_value(meta_fields).map_err(|e| Error::json_encode(&e))? {
                serde_json::Value::Object(map) => map,
                _ => {
                    return Err(Error::Encode(
                        "the meta of an upload must be an object".into(),
                    ));
                }
            };
        if add_file_fields {
            meta.entry("filename")
                .or_insert_with(|| file.filename().into());
            meta.entry("sha256")
                .or_insert_with(|| file.sha256_hex().into());
        }
        let bytes = serde_json::to_vec(&meta).map_err(|e| Error::json_encode(&e))?;
        self.body = Body::Multipart {
            meta: bytes,
            part: part.to_owned(),
            file: file.clone(),
        };
        Ok(())
    }

    /// The encoded path, relative (`v3/…`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The encoded query string without `?` (empty when there is none).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The headers the endpoint adds.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// Splits into path, query, headers and body.
    pub fn into_parts(self) -> (String, String, Vec<(String, String)>, Body) {
        (self.path, self.query, self.headers, self.body)
    }
}

/// Text of a scalar serde value for a query string or a header; `None` for `None`/`null`.
fn scalar_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<String>, Error> {
    use serde_json::Value;
    let scalar = |v: Value| -> Result<Option<String>, Error> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Number(n) => Ok(Some(n.to_string())),
            _ => Err(Error::Encode(format!(
                "{name} is sent in the query or a header and must be a scalar"
            ))),
        }
    };
    match serde_json::to_value(value).map_err(|e| Error::json_encode(&e))? {
        Value::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                if let Some(text) = scalar(item)? {
                    parts.push(text);
                }
            }
            Ok(Some(parts.join(",")))
        }
        other => scalar(other),
    }
}

pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
