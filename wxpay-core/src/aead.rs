//! AEAD_AES_256_GCM, as used by notifications and the certificate download.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce, aead::consts::U12};
use base64::Engine as _;

use crate::error::Error;
use crate::keys::{ApiV3Key, b64};

/// Decrypts `ciphertext_b64` (ciphertext with its 16-byte tag appended, base64) with the
/// APIv3 key, the 12-character `nonce` and `associated_data` (empty when absent).
pub fn decrypt(
    key: &ApiV3Key,
    nonce: &str,
    associated_data: &str,
    ciphertext_b64: &str,
) -> Result<Vec<u8>, Error> {
    let nonce = nonce_of(nonce)?;
    let ciphertext = b64()
        .decode(ciphertext_b64.trim())
        .map_err(|_| Error::decode("AES-GCM ciphertext is not valid base64"))?;
    if ciphertext.len() < 16 {
        return Err(Error::decode(
            "AES-GCM ciphertext is shorter than its 16-byte tag",
        ));
    }
    let cipher = Aes256Gcm::new(key.bytes().into());
    cipher
        .decrypt(
            &nonce,
            Payload {
                msg: &ciphertext,
                aad: associated_data.as_bytes(),
            },
        )
        .map_err(|_| {
            Error::decode("AES-GCM authentication failed (wrong APIv3 key or tampered resource)")
        })
}

/// Encrypts `plaintext` the way WeChat Pay does (for the sandbox and tests); base64 of the
/// ciphertext with the tag appended.
pub fn encrypt(
    key: &ApiV3Key,
    nonce: &str,
    associated_data: &str,
    plaintext: &[u8],
) -> Result<String, Error> {
    // A bad nonce here is the caller's input being encoded, not an answer being decoded.
    let nonce = nonce_of(nonce).map_err(|e| match e {
        Error::Decode {
            message: reason, ..
        } => Error::Encode(reason),
        other => other,
    })?;
    let cipher = Aes256Gcm::new(key.bytes().into());
    let out = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: associated_data.as_bytes(),
            },
        )
        .map_err(|_| Error::Encode("AES-GCM encryption failed".into()))?;
    Ok(b64().encode(out))
}

fn nonce_of(nonce: &str) -> Result<Nonce<U12>, Error> {
    let bytes: [u8; 12] = nonce.as_bytes().try_into().map_err(|_| {
        Error::decode(format!(
            "AES-GCM nonce must be 12 bytes, got {}",
            nonce.len()
        ))
    })?;
    Ok(bytes.into())
}
