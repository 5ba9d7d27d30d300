//! The RSA seam: every RSA operation of wxpay goes through this module, so that a second
//! backend can replace it without touching any caller.
//!
//! Two backends, chosen at build time:
//! - [`rustcrypto`] (the default): the `rsa` crate 0.10, pure Rust, whose arithmetic is
//!   constant-time (crypto-bigint), which closes the Marvin timing attack (RUSTSEC-2023-0071)
//!   of 0.9;
//! - `awslc` (feature `aws-lc`): aws-lc-rs, AWS-LC's assembly RSA, several times faster. Keys
//!   AWS-LC refuses (outside 2048..=8192 bits) fall back to the `rsa` crate, so both builds
//!   accept the same keys and report the same errors (keys.rs rejects keys under 2048 bits).
//!
//! Both expose the same `pub(crate)` API: [`PrivateKey`], [`PublicKey`] and [`BackendError`].

pub(crate) mod rustcrypto;

#[cfg(feature = "aws-lc")]
mod awslc;

#[cfg(feature = "aws-lc")]
pub(crate) use awslc::{PrivateKey, PublicKey};
#[cfg(not(feature = "aws-lc"))]
pub(crate) use rustcrypto::{PrivateKey, PublicKey};

/// Why a backend operation failed. Never carries key or message material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BackendError {
    /// The input is not a key of the expected form.
    Malformed,
    /// The plaintext is longer than OAEP allows for this key.
    TooLong,
    /// Decryption failed (wrong key, corrupted ciphertext).
    Decrypt,
    /// The RNG or the private operation failed.
    Internal,
}

/// The name of the RSA backend this build uses: `"rsa"` (the RustCrypto crate, the default)
/// or `"aws-lc-rs"` (feature `aws-lc`). For benchmarks and diagnostics.
pub fn backend_name() -> &'static str {
    if cfg!(feature = "aws-lc") {
        "aws-lc-rs"
    } else {
        "rsa"
    }
}

/// The backend's RSA primitives without anything of wxpay around them (no base64, no JSON,
/// no key store), so that benchmarks can measure the SDK's overhead over the raw crypto.
/// Not a public API: no stability promise.
pub mod raw {
    use super::{PrivateKey as Private, PublicKey as Public};

    /// An RSA private key of the active backend.
    pub struct PrivateKey(Private);

    /// An RSA public key of the active backend.
    #[derive(Clone)]
    pub struct PublicKey(Public);

    impl PrivateKey {
        /// PKCS#8 `PrivateKeyInfo` DER.
        pub fn from_pkcs8_der(der: &[u8]) -> Option<Self> {
            Private::from_pkcs8_der(der).ok().map(Self)
        }

        /// RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
        pub fn sign_sha256(&self, message: &[u8]) -> Option<Vec<u8>> {
            self.0.sign_sha256(message).ok()
        }

        /// RSAES-OAEP (SHA-1, MGF1-SHA-1, empty label) decryption.
        pub fn oaep_sha1_decrypt(&self, ciphertext: &[u8]) -> Option<Vec<u8>> {
            self.0.oaep_sha1_decrypt(ciphertext).ok()
        }

        /// The public half.
        pub fn public_key(&self) -> PublicKey {
            PublicKey(self.0.public_key())
        }
    }

    impl PublicKey {
        /// SubjectPublicKeyInfo DER.
        pub fn from_spki_der(der: &[u8]) -> Option<Self> {
            Public::from_spki_der(der).ok().map(Self)
        }

        /// Whether `signature` is an RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
        pub fn verify_sha256(&self, message: &[u8], signature: &[u8]) -> bool {
            self.0.verify_sha256(message, signature)
        }

        /// RSAES-OAEP (SHA-1, MGF1-SHA-1, empty label) encryption.
        pub fn oaep_sha1_encrypt(&self, plaintext: &[u8]) -> Option<Vec<u8>> {
            self.0.oaep_sha1_encrypt(plaintext).ok()
        }
    }
}
