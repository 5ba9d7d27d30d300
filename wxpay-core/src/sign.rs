//! Signing requests: the message, the nonce and the `Authorization` header.

use crate::error::Error;
use crate::keys::MerchantKey;

/// The `Authorization` scheme of APIv3.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// The message a request signature covers:
/// `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n`.
pub fn request_message(
    method: &str,
    canonical_url: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut message = Vec::with_capacity(method.len() + canonical_url.len() + body.len() + 64);
    for part in [
        method.as_bytes(),
        canonical_url.as_bytes(),
        timestamp.to_string().as_bytes(),
        nonce.as_bytes(),
        body,
    ] {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    message
}

/// The message an answer or notification signature covers: `TIMESTAMP\nNONCE\nBODY\n`.
pub fn response_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
    for part in [timestamp.as_bytes(), nonce.as_bytes(), body] {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    message
}

/// 32 random characters of `[0-9A-Za-z]` from the OS RNG.
pub fn nonce() -> Result<String, Error> {
    const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(32);
    while out.len() < 32 {
        let mut bytes = [0u8; 48];
        getrandom::fill(&mut bytes).map_err(|_| Error::Encode("the OS RNG failed".into()))?;
        // Rejection sampling: 248 = 4 * 62, so every character is equally likely.
        for b in bytes {
            if b < 248 && out.len() < 32 {
                out.push(ALPHABET[(b % 62) as usize] as char);
            }
        }
    }
    Ok(out)
}

/// Signs a request and returns the `Authorization` header value.
pub fn authorization(
    mchid: &str,
    key: &MerchantKey,
    method: &str,
    canonical_url: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> Result<String, Error> {
    let message = request_message(method, canonical_url, timestamp, nonce, body);
    let signature = key.sign(&message)?;
    Ok(format!(
        "{SCHEME} mchid=\"{mchid}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\",serial_no=\"{}\",signature=\"{signature}\"",
        key.serial()
    ))
}
