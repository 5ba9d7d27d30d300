//! The set of WeChat Pay keys a client trusts: a public key and any number of platform
//! certificates at once (migration, rotation), looked up by serial or key id.

use crate::backend;
use crate::error::{ConfigError, Error, VerifyError};
use crate::keys::{PlatformCertificate, WechatPayPublicKey};

/// The WeChat Pay keys a client trusts.
///
/// Verification picks the key named by the answer's `Wechatpay-Serial` (compared
/// case-insensitively, as opaque text): every certificate held verifies until it expires, so
/// answers signed with the old or the new certificate both verify during a rotation; an
/// expired one never does. Encryption of request fields uses the public key when there is
/// one, else the newest valid certificate.
#[derive(Clone, Default, Debug)]
pub struct KeyStore {
    public_key: Option<WechatPayPublicKey>,
    certificates: Vec<PlatformCertificate>,
}

impl KeyStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the WeChat Pay public key.
    pub fn set_public_key(&mut self, key: WechatPayPublicKey) {
        self.public_key = Some(key);
    }

    /// Adds a platform certificate, replacing one with the same serial.
    pub fn add_certificate(&mut self, certificate: PlatformCertificate) {
        self.certificates
            .retain(|c| !c.serial().eq_ignore_ascii_case(certificate.serial()));
        self.certificates.push(certificate);
    }

    /// Keeps only the certificates for which `keep` is true.
    pub fn retain_certificates(&mut self, keep: impl FnMut(&PlatformCertificate) -> bool) {
        self.certificates.retain(keep);
    }

    /// The WeChat Pay public key, if any.
    pub fn public_key(&self) -> Option<&WechatPayPublicKey> {
        self.public_key.as_ref()
    }

    /// The platform certificates held, in the order they were added.
    pub fn certificates(&self) -> &[PlatformCertificate] {
        &self.certificates
    }

    /// Whether the store holds no key at all.
    pub fn is_empty(&self) -> bool {
        self.public_key.is_none() && self.certificates.is_empty()
    }

    /// Whether a key with this serial or id is held (whatever its validity).
    pub fn contains(&self, serial: &str) -> bool {
        self.public_key
            .as_ref()
            .is_some_and(|k| k.id().eq_ignore_ascii_case(serial))
            || self
                .certificates
                .iter()
                .any(|c| c.serial().eq_ignore_ascii_case(serial))
    }

    /// The key that verifies an answer whose `Wechatpay-Serial` is `serial`, at time `now`.
    pub(crate) fn verifying_key(
        &self,
        serial: &str,
        now: i64,
    ) -> Result<&backend::PublicKey, VerifyError> {
        if let Some(key) = &self.public_key
            && key.id().eq_ignore_ascii_case(serial)
        {
            return Ok(key.key());
        }
        match self
            .certificates
            .iter()
            .find(|c| c.serial().eq_ignore_ascii_case(serial))
        {
            Some(cert) if cert.is_valid_at(now) => Ok(cert.key()),
            Some(cert) => Err(VerifyError::ExpiredCertificate(cert.serial().to_string())),
            None => Err(VerifyError::UnknownSerial(serial.to_string())),
        }
    }

    /// The key that encrypts request fields, with the id that goes into `Wechatpay-Serial`.
    pub fn encryptor(&self, now: i64) -> Result<FieldEncryptor, Error> {
        if let Some(key) = &self.public_key {
            return Ok(FieldEncryptor {
                id: key.id().to_string(),
                key: key.key().clone(),
            });
        }
        self.certificates
            .iter()
            .filter(|c| c.is_valid_at(now))
            // The newest: issued last, and on a tie (same second) the one that lasts longer.
            .max_by_key(|c| (c.not_before(), c.not_after()))
            .map(|c| FieldEncryptor {
                id: c.serial().to_string(),
                key: c.key().clone(),
            })
            .ok_or_else(|| {
                ConfigError::Missing("a WeChat Pay public key or a valid platform certificate")
                    .into()
            })
    }
}

/// One WeChat Pay key chosen for one request: it encrypts every `#[encrypted]` field of the
/// request, and its id is the request's `Wechatpay-Serial`.
#[derive(Clone)]
pub struct FieldEncryptor {
    id: String,
    key: backend::PublicKey,
}

impl FieldEncryptor {
    /// The serial or key id of the key (the `Wechatpay-Serial` to send).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// RSA-OAEP(SHA-1) encryption of `plaintext`, base64. At most 214 bytes.
    pub fn encrypt(&self, plaintext: &str) -> Result<String, Error> {
        crate::keys::oaep_encrypt_b64(&self.key, plaintext)
    }
}

impl std::fmt::Debug for FieldEncryptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldEncryptor")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
