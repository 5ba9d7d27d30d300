//! The one error type of wxpay.
//!
//! Every variant is safe to log: none holds key material, a signature, the text that was
//! signed, the APIv3 key or a decrypted value. Messages from JSON decoding are reduced to their
//! category and position, because serde's own messages quote the offending value.

use std::fmt;

/// Everything that can go wrong in wxpay.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// WeChat Pay answered with an error (a 4xx or 5xx status and a JSON error body).
    #[error(
        "WeChat Pay answered {status} {code}: {message}{}",
        request_id_suffix(request_id)
    )]
    Api {
        /// The HTTP status.
        status: u16,
        /// WeChat Pay's error code, such as `PARAM_ERROR` or `SIGN_ERROR`.
        code: String,
        /// WeChat Pay's message.
        message: String,
        /// The `detail` object of the error body, when there is one.
        detail: Option<serde_json::Value>,
        /// The `Request-ID` header, to quote to WeChat Pay support.
        request_id: Option<String>,
    },
    /// The request could not be sent or the answer could not be read.
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    /// An answer or a notification failed verification: it must not be trusted.
    #[error("verification failed: {error}{}", request_id_suffix(request_id))]
    Verification {
        /// What failed.
        #[source]
        error: VerifyError,
        /// The answer's `Request-ID` (what WeChat Pay support asks for first); `None` for a
        /// notification, or an answer without one.
        request_id: Option<String>,
    },
    /// The configuration is unusable: a key that cannot be read, a key of the wrong kind.
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    /// A request could not be encoded (serialized, encrypted).
    #[error("encoding the request: {0}")]
    Encode(String),
    /// An answer or a notification could not be decoded (JSON, decryption).
    #[error("decoding: {message}{}", request_id_suffix(request_id))]
    Decode {
        /// What could not be decoded, and where (never the value).
        message: String,
        /// The answer's `Request-ID`, when the error follows an answer that had one.
        request_id: Option<String>,
    },
    /// An argument was refused before anything was signed or sent: a pay-sign value outside
    /// its character set, a reserved header name, a `download_url` the URL parser would
    /// rewrite. The value itself is never quoted.
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// Which argument.
        what: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Why a request could not be sent or its answer read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The request or the answer took longer than the configured timeout.
    #[error("timed out")]
    Timeout,
    /// The answer's body is larger than the configured limit.
    #[error("answer larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The answer is a redirect (`3xx`). A signed request is valid for one URL only, so
    /// wxpay never follows a redirect: the redirect is the answer, and an error.
    #[error("answered with a redirect (HTTP {status}), which is not followed")]
    Redirect {
        /// The `3xx` status.
        status: u16,
    },
    /// The HTTP client (one given to `http_client`) followed a redirect itself: the answer
    /// comes from another URL than the one signed, and is refused.
    #[error(
        "the HTTP client followed a redirect, so the answer is not from the URL signed \
         (build it with redirect::Policy::none())"
    )]
    RedirectFollowed,
    /// Anything else the HTTP stack reported.
    #[error("{0}")]
    Other(String),
}

/// Why an answer or a notification failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required `Wechatpay-*` header is absent (or not valid text).
    #[error("header {0} is missing")]
    MissingHeader(&'static str),
    /// `Wechatpay-Timestamp` is not a number of seconds.
    #[error("Wechatpay-Timestamp is not a Unix time")]
    BadTimestamp,
    /// `Wechatpay-Timestamp` is more than 300 s away from the local clock.
    #[error("Wechatpay-Timestamp is {skew} s away from the local clock (at most 300 s allowed)")]
    StaleTimestamp {
        /// Seconds between the header and the local clock.
        skew: i64,
    },
    /// A `WECHATPAY/SIGNTEST/` probe: WeChat Pay checks that merchants reject it.
    #[error("signature is a WECHATPAY/SIGNTEST/ probe")]
    SignTestProbe,
    /// `Wechatpay-Serial` names a key this client does not hold.
    #[error("no WeChat Pay key with serial or id {0}")]
    UnknownSerial(String),
    /// The platform certificate with this serial has expired or is not yet valid.
    #[error("platform certificate {0} is not valid at this time")]
    ExpiredCertificate(String),
    /// `Wechatpay-Signature-Type` names an algorithm other than `WECHATPAY2-SHA256-RSA2048`.
    #[error("unsupported signature type")]
    UnsupportedSignatureType,
    /// `Wechatpay-Signature` is not valid base64 of a 2048-bit signature.
    #[error("Wechatpay-Signature is not valid base64")]
    BadSignatureEncoding,
    /// The signature does not match the body and headers.
    #[error("signature does not match")]
    BadSignature,
    /// An unsigned download does not match the digest WeChat Pay published for it (the
    /// `hash_value` of a bill): the file was altered or truncated on the way.
    #[error("the downloaded file does not match its {0} digest")]
    DigestMismatch(&'static str),
}

/// Why a configuration is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A private key could not be read (the reason never quotes the key).
    #[error("merchant private key: {0}")]
    InvalidPrivateKey(String),
    /// A public key could not be read.
    #[error("WeChat Pay public key: {0}")]
    InvalidPublicKey(String),
    /// A certificate could not be read.
    #[error("certificate: {0}")]
    InvalidCertificate(String),
    /// A key of another kind was given where this one was expected.
    #[error("expected {expected}, found {found}")]
    WrongKeyKind {
        /// What was expected here.
        expected: &'static str,
        /// What the PEM label or the structure says it is.
        found: String,
    },
    /// The key is not an RSA key.
    #[error("{0} is not an RSA key")]
    NotRsa(&'static str),
    /// The RSA key is shorter than 2048 bits.
    #[error("{what} has {bits} bits; WeChat Pay needs at least 2048")]
    KeyTooSmall {
        /// Which key.
        what: &'static str,
        /// Its size.
        bits: usize,
    },
    /// The APIv3 key is not 32 bytes.
    #[error("APIv3 key must be 32 bytes, got {0}")]
    InvalidApiV3Key(usize),
    /// A merchant id, serial or key id is malformed.
    #[error("{what} {value:?} is malformed: {reason}")]
    InvalidId {
        /// Which identifier.
        what: &'static str,
        /// The identifier as shown: a malformed serial or key id is never quoted (it may be a
        /// secret given in the wrong place), only its length; a malformed `mchid` is quoted
        /// neither.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A base URL is not an absolute `http(s)://` URL ending in `/`.
    #[error("base URL {0:?} must be absolute http(s) and end with '/'")]
    InvalidBaseUrl(String),
    /// The proxy URL cannot be used (the message never quotes its user name or password).
    #[error("proxy {0:?} is not a usable proxy URL")]
    InvalidProxy(String),
    /// A required setting was not given.
    #[error("{0} is required")]
    Missing(&'static str),
    /// The operation needs a key this configuration does not have.
    #[error("{0}")]
    Unsupported(&'static str),
}

impl From<VerifyError> for Error {
    fn from(error: VerifyError) -> Self {
        Error::verification(error)
    }
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" (Request-ID {id})"))
        .unwrap_or_default()
}

impl Error {
    /// An [`Error::Verification`] without a `Request-ID`.
    pub fn verification(error: VerifyError) -> Self {
        Error::Verification {
            error,
            request_id: None,
        }
    }

    /// An [`Error::Decode`] without a `Request-ID`.
    pub fn decode(message: impl Into<String>) -> Self {
        Error::Decode {
            message: message.into(),
            request_id: None,
        }
    }

    /// Builds a [`Error::Decode`] from a JSON error without quoting any value from the input.
    pub fn json_decode(context: &str, err: &serde_json::Error) -> Self {
        Error::decode(describe_json_error(context, err))
    }

    /// Attaches the `Request-ID` of the answer this error follows (verification and decoding
    /// errors; others are returned as they are, [`Error::Api`] has its own).
    pub fn with_request_id(mut self, id: Option<&str>) -> Self {
        if let Error::Verification { request_id, .. } | Error::Decode { request_id, .. } = &mut self
        {
            *request_id = id.map(str::to_string);
        }
        self
    }

    /// The `Request-ID` of the answer this error follows, when there was one: what WeChat Pay
    /// support asks for first.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::Verification { request_id, .. }
            | Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The verification failure, for an [`Error::Verification`].
    pub fn verify_error(&self) -> Option<&VerifyError> {
        match self {
            Error::Verification { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Builds a [`Error::Encode`] from a JSON error.
    pub fn json_encode(err: &serde_json::Error) -> Self {
        // Serialization errors carry our own messages (from the encrypted-field helpers or a
        // user's Serialize impl), never input text, so they are kept.
        Error::Encode(err.to_string())
    }

    /// The WeChat Pay error code, for an [`Error::Api`].
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// serde_json's messages quote the value that did not fit (`invalid type: string "…"`), which
/// may be a decrypted secret. Keep the category, the field name when serde names one, and the
/// position.
pub(crate) fn describe_json_error(context: &str, err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match err.classify() {
        Category::Io => "I/O error",
        Category::Syntax => "not valid JSON",
        Category::Eof => "truncated JSON",
        Category::Data => {
            let text = err.to_string();
            // Messages that name a field (and only a field) are safe and useful.
            for prefix in ["missing field `", "unknown field `", "duplicate field `"] {
                if let Some(rest) = text.strip_prefix(prefix)
                    && let Some(end) = rest.find('`')
                {
                    return format!(
                        "{context}: {}{}` at line {} column {}",
                        prefix,
                        &rest[..end],
                        err.line(),
                        err.column()
                    );
                }
            }
            "JSON does not match the expected type"
        }
    };
    format!(
        "{context}: {what} at line {} column {}",
        err.line(),
        err.column()
    )
}

/// An identifier as quoted in [`ConfigError::InvalidId`]: ids are not secret, but a wrong
/// argument may be (a PEM key or the APIv3 key given where an id goes), so anything longer
/// than a well-formed id could be is not quoted.
pub(crate) fn quoted_id(value: &str, max_len: usize) -> String {
    if value.len() <= max_len {
        value.to_string()
    } else {
        format!("<{} bytes, not shown>", value.len())
    }
}

/// What [`ConfigError::InvalidId`] holds for a refused serial or key id: its length only. A
/// malformed serial may be a secret pasted in the wrong place (the APIv3 key, a PEM key).
pub(crate) fn not_shown(value: &str) -> String {
    format!("<{} characters, not shown>", value.chars().count())
}

/// A printable stand-in for a secret: `Debug` and `Display` show `***`.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}
