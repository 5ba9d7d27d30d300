//! Notifications (callbacks): verified, then decrypted with the APIv3 key.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::aead;
use crate::error::Error;
use crate::keys::ApiV3Key;

/// The only algorithm WeChat Pay uses for notification resources.
pub const AEAD_AES_256_GCM: &str = "AEAD_AES_256_GCM";

/// A verified and decrypted notification.
///
/// `Debug` does not print the resource: it is decrypted payment data. Print what you need of
/// `resource` yourself, knowingly.
#[derive(Clone, PartialEq)]
pub struct Notification<T> {
    /// The notification id (the same across retries of one notification).
    pub id: String,
    /// When it was created, RFC 3339.
    pub create_time: String,
    /// The event, such as `TRANSACTION.SUCCESS`.
    pub event_type: String,
    /// `encrypt-resource`.
    pub resource_type: String,
    /// WeChat Pay's summary, such as `支付成功`.
    pub summary: String,
    /// The decrypted resource.
    pub resource: T,
}

impl<T> fmt::Debug for Notification<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notification")
            .field("id", &self.id)
            .field("create_time", &self.create_time)
            .field("event_type", &self.event_type)
            .field("resource_type", &self.resource_type)
            .field("summary", &self.summary)
            .field("resource", &crate::error::Redacted)
            .finish()
    }
}

/// The encrypted resource of a notification or of the certificate download.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EncryptedResource {
    /// `AEAD_AES_256_GCM`.
    pub algorithm: String,
    /// base64 of ciphertext and tag.
    pub ciphertext: String,
    /// Associated data; absent means empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associated_data: Option<String>,
    /// The 12-character nonce.
    pub nonce: String,
    /// The type of the plaintext, for notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_type: Option<String>,
}

impl EncryptedResource {
    /// Checks the algorithm and decrypts.
    pub fn decrypt(&self, key: &ApiV3Key) -> Result<Vec<u8>, Error> {
        if self.algorithm != AEAD_AES_256_GCM {
            return Err(Error::decode(format!(
                "unsupported resource algorithm {:?} (expected {AEAD_AES_256_GCM})",
                self.algorithm
            )));
        }
        aead::decrypt(
            key,
            &self.nonce,
            self.associated_data.as_deref().unwrap_or(""),
            &self.ciphertext,
        )
    }
}

/// A notification's JSON body as WeChat Pay sends it, its resource still encrypted.
///
/// [`Engine::parse_notification`](crate::Engine::parse_notification) verifies, reads and
/// decrypts in one call and is what a merchant's server wants. This is for tools that show
/// the envelope and decrypt the resource themselves (the `wxpay notification verify`
/// command): read it only from a body whose signature has been verified
/// ([`verify::verify`](crate::verify::verify)), then decrypt `resource` with the APIv3 key.
///
/// ```
/// use wxpay_core::notify::RawNotification;
///
/// let body = r#"{"id":"EV-018352","create_time":"2015-05-20T13:29:35+08:00",
///     "event_type":"TRANSACTION.SUCCESS","resource_type":"encrypt-resource","summary":"支付成功",
///     "resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"…","nonce":"fdasflkja484w",
///     "associated_data":"transaction","original_type":"transaction"}}"#;
/// let note: RawNotification = serde_json::from_str(body).unwrap();
/// assert_eq!(note.event_type, "TRANSACTION.SUCCESS");
/// assert_eq!(note.resource.original_type.as_deref(), Some("transaction"));
/// // note.resource.decrypt(&apiv3_key)? gives the resource's JSON text.
/// ```
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct RawNotification {
    /// The notification id (the same across retries of one notification).
    pub id: String,
    /// When it was created, RFC 3339 (empty when absent).
    #[serde(default)]
    pub create_time: String,
    /// The event, such as `TRANSACTION.SUCCESS` (empty when absent).
    #[serde(default)]
    pub event_type: String,
    /// `encrypt-resource` (empty when absent).
    #[serde(default)]
    pub resource_type: String,
    /// WeChat Pay's summary, such as `支付成功` (empty when absent).
    #[serde(default)]
    pub summary: String,
    /// The resource, encrypted with the APIv3 key.
    pub resource: EncryptedResource,
}

impl RawNotification {
    pub(crate) fn decrypt<T>(
        self,
        key: &ApiV3Key,
        parse: impl FnOnce(&[u8]) -> Result<T, Error>,
    ) -> Result<Notification<T>, Error> {
        let plain = zeroize::Zeroizing::new(self.resource.decrypt(key)?);
        let resource = parse(&plain)?;
        Ok(Notification {
            id: self.id,
            create_time: self.create_time,
            event_type: self.event_type,
            resource_type: self.resource_type,
            summary: self.summary,
            resource,
        })
    }
}
