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

#[derive(Deserialize)]
pub(crate) struct RawNotification {
    id: String,
    #[serde(default)]
    create_time: String,
    #[serde(default)]
    event_type: String,
    #[serde(default)]
    resource_type: String,
    #[serde(default)]
    summary: String,
    resource: EncryptedResource,
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
