//! The default RSA backend: the `rsa` crate 0.10 (RustCrypto), pure Rust, constant-time
//! arithmetic (crypto-bigint), which closes the Marvin timing attack (RUSTSEC-2023-0071) of 0.9.
//!
//! With feature `aws-lc` it remains the fallback for keys AWS-LC refuses.

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::traits::PublicKeyParts;
use sha2::Sha256;

use super::BackendError;

/// An RSA private key.
pub(crate) struct PrivateKey(rsa::PrivateKey);

/// An RSA public key.
#[derive(Clone, PartialEq)]
pub(crate) struct PublicKey(rsa::PublicKey);

impl PrivateKey {
    /// PKCS#8 `PrivateKeyInfo` DER.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self, BackendError> {
        rsa::PrivateKey::from_pkcs8_der(der)
            .map(Self)
            .map_err(|_| BackendError::Malformed)
    }

    /// PKCS#1 `RSAPrivateKey` DER.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self, BackendError> {
        rsa::PrivateKey::from_pkcs1_der(der)
            .map(Self)
            .map_err(|_| BackendError::Malformed)
    }

    pub(crate) fn bits(&self) -> usize {
        self.0.as_public_key().n().bit_width() as usize
    }

    pub(crate) fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public_key())
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (deterministic).
    pub(crate) fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, BackendError> {
        self.0
            .pkcs1v15_sign::<Sha256>(message)
            .map_err(|_| BackendError::Internal)
    }

    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1, empty label.
    pub(crate) fn oaep_sha1_decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, BackendError> {
        self.0
            .oaep_decrypt::<sha1::Sha1>(ciphertext)
            .map_err(|_| BackendError::Decrypt)
    }
}

impl PublicKey {
    /// SubjectPublicKeyInfo DER.
    pub(crate) fn from_spki_der(der: &[u8]) -> Result<Self, BackendError> {
        rsa::PublicKey::from_public_key_der(der)
            .map(Self)
            .map_err(|_| BackendError::Malformed)
    }

    /// PKCS#1 `RSAPublicKey` DER.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self, BackendError> {
        rsa::PublicKey::from_pkcs1_der(der)
            .map(Self)
            .map_err(|_| BackendError::Malformed)
    }

    pub(crate) fn bits(&self) -> usize {
        self.0.n().bit_width() as usize
    }

    /// Verifies RSASSA-PKCS1-v1_5 with SHA-256.
    pub(crate) fn verify_sha256(&self, message: &[u8], signature: &[u8]) -> bool {
        self.0.pkcs1v15_verify::<Sha256>(message, signature).is_ok()
    }

    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1, empty label, randomized by the OS RNG.
    pub(crate) fn oaep_sha1_encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, BackendError> {
        // k - 2*hLen - 2 = 256 - 42 = 214 for RSA-2048.
        if plaintext.len() > self.0.size().saturating_sub(42) {
            return Err(BackendError::TooLong);
        }
        self.0
            .oaep_encrypt::<sha1::Sha1>(plaintext)
            .map_err(|_| BackendError::Internal)
    }

    /// The modulus size in bytes (the length of signatures and ciphertexts).
    pub(crate) fn size(&self) -> usize {
        self.0.size()
    }

    /// SubjectPublicKeyInfo DER (the aws-lc backend reads public keys in this form).
    #[cfg(feature = "aws-lc")]
    pub(crate) fn to_spki_der(&self) -> Result<Vec<u8>, BackendError> {
        use rsa::pkcs8::EncodePublicKey;
        self.0
            .to_public_key_der()
            .map(|der| der.into_vec())
            .map_err(|_| BackendError::Malformed)
    }
}
