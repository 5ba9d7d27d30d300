//! Verifying answers and notifications.

use base64::Engine as _;
use http::HeaderMap;

use crate::error::VerifyError;
use crate::keys::b64;
use crate::keystore::KeyStore;
use crate::sign::{SCHEME, response_message};

/// Largest allowed distance between `Wechatpay-Timestamp` and the local clock.
pub const MAX_SKEW_SECONDS: i64 = 300;

/// The `Wechatpay-*` headers of a signed answer or notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders<'a> {
    /// `Wechatpay-Timestamp`.
    pub timestamp: &'a str,
    /// `Wechatpay-Nonce`.
    pub nonce: &'a str,
    /// `Wechatpay-Serial`.
    pub serial: &'a str,
    /// `Wechatpay-Signature` (base64).
    pub signature: &'a str,
    /// `Wechatpay-Signature-Type`, when sent.
    pub signature_type: Option<&'a str>,
}

impl<'a> SignatureHeaders<'a> {
    /// Reads the headers; a missing one is [`VerifyError::MissingHeader`].
    pub fn from_headers(headers: &'a HeaderMap) -> Result<Self, VerifyError> {
        let get = |name: &'static str| -> Result<&'a str, VerifyError> {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .ok_or(VerifyError::MissingHeader(name))
        };
        Ok(Self {
            timestamp: get("Wechatpay-Timestamp")?,
            nonce: get("Wechatpay-Nonce")?,
            serial: get("Wechatpay-Serial")?,
            signature: get("Wechatpay-Signature")?,
            signature_type: get("Wechatpay-Signature-Type").ok(),
        })
    }
}

/// Verifies the signature of an answer or a notification over its raw `body`, at time `now`.
///
/// Checks, in order: the headers are present; the signature is not a `WECHATPAY/SIGNTEST/`
/// probe; the signature type (when sent) is `WECHATPAY2-SHA256-RSA2048`; the timestamp is
/// within 300 s of `now`; a key with that serial is held (and valid); the signature decodes
/// and matches.
pub fn verify(
    keys: &KeyStore,
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    let h = SignatureHeaders::from_headers(headers)?;
    verify_parts(keys, &h, body, now)
}

/// [`verify`], with the headers already read.
pub fn verify_parts(
    keys: &KeyStore,
    h: &SignatureHeaders<'_>,
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    if h.signature.starts_with("WECHATPAY/SIGNTEST/") {
        return Err(VerifyError::SignTestProbe);
    }
    if let Some(kind) = h.signature_type
        && kind != SCHEME
    {
        return Err(VerifyError::UnsupportedSignatureType);
    }
    let timestamp: i64 = h.timestamp.parse().map_err(|_| VerifyError::BadTimestamp)?;
    let skew = now.saturating_sub(timestamp);
    if skew.saturating_abs() > MAX_SKEW_SECONDS {
        return Err(VerifyError::StaleTimestamp { skew });
    }
    let key = keys.verifying_key(h.serial, now)?;
    let signature = b64()
        .decode(h.signature)
        .map_err(|_| VerifyError::BadSignatureEncoding)?;
    if signature.len() != key.size() {
        return Err(VerifyError::BadSignatureEncoding);
    }
    let message = response_message(h.timestamp, h.nonce, body);
    if key.verify_sha256(&message, &signature) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}
