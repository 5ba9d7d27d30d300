//! Signing answers and notifications as WeChat Pay does, with a fault applied on request.

use base64::Engine as _;
use wxpay_core::Error;
use wxpay_core::sign::{SCHEME, nonce, response_message};

use crate::fault::Fault;
use crate::keygen::{random_bytes, random_serial};
use crate::keys::KeyRef;
use crate::time::now;

/// How far in the past a [`Fault::StaleTimestamp`] signature is (beyond the 300 s allowed).
const STALE_SECONDS: i64 = 600;

/// Signs `body` with `key` and returns the `Wechatpay-*` headers; the signature faults of
/// `fault` are applied (which may change `body`).
pub(crate) fn sign(
    key: &KeyRef,
    body: &mut Vec<u8>,
    fault: Option<&Fault>,
) -> Result<Vec<(&'static str, String)>, Error> {
    if let Some(Fault::Oversized(size)) = fault
        && body.len() < *size
    {
        body.resize(*size, b' ');
    }
    let timestamp = match fault {
        Some(Fault::StaleTimestamp) => now() - STALE_SECONDS,
        _ => now(),
    }
    .to_string();
    let nonce = nonce()?;
    let message = response_message(&timestamp, &nonce, body);
    let mut signature = key.key.sign(&message)?;
    let mut sent_nonce = nonce.clone();
    let mut serial = key.serial.clone();
    match fault {
        Some(Fault::TamperSignature) => {
            let mut other = message.clone();
            other.extend_from_slice(b"tampered");
            signature = key.key.sign(&other)?;
        }
        Some(Fault::TamperBody) if body.is_empty() => {
            sent_nonce = wxpay_core::sign::nonce()?;
        }
        Some(Fault::TamperBody) => body.insert(1, b' '),
        Some(Fault::UnknownSerial) => serial = random_serial(),
        Some(Fault::SignTest) => {
            signature = format!(
                "WECHATPAY/SIGNTEST/{}",
                base64::engine::general_purpose::STANDARD.encode(random_bytes::<24>())
            );
        }
        _ => {}
    }
    let mut headers = vec![
        ("Wechatpay-Timestamp", timestamp),
        ("Wechatpay-Nonce", sent_nonce),
        ("Wechatpay-Serial", serial),
        ("Wechatpay-Signature-Type", SCHEME.to_string()),
    ];
    if fault != Some(&Fault::MissingSignature) {
        headers.push(("Wechatpay-Signature", signature));
    }
    Ok(headers)
}
