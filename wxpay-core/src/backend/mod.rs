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

#[cfg(test)]
mod tests {
    //! The seam's contract, run against whichever backend the build selects (CI runs both).
    use base64::Engine as _;

    use super::{BackendError, PrivateKey, PublicKey, backend_name};

    const PKCS8_PEM: &str = include_str!("../../tests/fixtures/merchant_key.pem");
    const PKCS1_PEM: &str = include_str!("../../tests/fixtures/merchant_key_pkcs1.pem");
    const PUBLIC_PEM: &str = include_str!("../../tests/fixtures/merchant_public_key.pem");
    const RSA1024_PEM: &str = include_str!("../../tests/fixtures/rsa1024_key.pem");

    fn der(pem: &str) -> Vec<u8> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    }

    #[test]
    fn names_the_backend() {
        let expected = if cfg!(feature = "aws-lc") {
            "aws-lc-rs"
        } else {
            "rsa"
        };
        assert_eq!(backend_name(), expected);
    }

    #[test]
    fn pkcs8_and_pkcs1_are_the_same_key() {
        let (pkcs8, pkcs1) = (der(PKCS8_PEM), der(PKCS1_PEM));
        let a = PrivateKey::from_pkcs8_der(&pkcs8).unwrap();
        let b = PrivateKey::from_pkcs1_der(&pkcs1).unwrap();
        assert_eq!((a.bits(), b.bits()), (2048, 2048));
        // PKCS#1 v1.5 signatures are deterministic.
        assert_eq!(a.sign_sha256(b"m").unwrap(), b.sign_sha256(b"m").unwrap());
        let public = PublicKey::from_spki_der(&der(PUBLIC_PEM)).unwrap();
        assert!(public == a.public_key() && public == b.public_key());
        assert_eq!((public.bits(), public.size()), (2048, 256));
        assert!(PrivateKey::from_pkcs8_der(&pkcs1).is_err());
        assert!(PrivateKey::from_pkcs1_der(&pkcs8).is_err());
        assert!(PublicKey::from_spki_der(&pkcs8).is_err());
        assert!(PublicKey::from_pkcs1_der(&der(PUBLIC_PEM)).is_err());
    }

    #[test]
    fn signs_verifies_encrypts_decrypts() {
        let key = PrivateKey::from_pkcs8_der(&der(PKCS8_PEM)).unwrap();
        let public = PublicKey::from_spki_der(&der(PUBLIC_PEM)).unwrap();
        let signature = key.sign_sha256(b"message").unwrap();
        assert_eq!(signature.len(), 256);
        assert!(public.verify_sha256(b"message", &signature));
        assert!(!public.verify_sha256(b"messagE", &signature));
        assert!(!public.verify_sha256(b"message", &signature[1..]));

        for plaintext in [&b""[..], b"\xe5\xbc\xa0\xe4\xb8\x89", &[7u8; 214]] {
            let c1 = public.oaep_sha1_encrypt(plaintext).unwrap();
            let c2 = public.oaep_sha1_encrypt(plaintext).unwrap();
            assert_eq!(c1.len(), 256);
            assert_ne!(c1, c2, "OAEP is randomized");
            assert_eq!(key.oaep_sha1_decrypt(&c1).unwrap(), plaintext);
        }
        assert_eq!(
            public.oaep_sha1_encrypt(&[7u8; 215]),
            Err(BackendError::TooLong)
        );
        let mut c = public.oaep_sha1_encrypt(b"x").unwrap();
        c[100] ^= 1;
        assert_eq!(key.oaep_sha1_decrypt(&c), Err(BackendError::Decrypt));
    }

    #[test]
    fn keys_under_2048_bits_are_read_so_that_keys_rs_can_reject_them() {
        // AWS-LC refuses them: the aws-lc build keeps them as `rsa` crate keys.
        let key = PrivateKey::from_pkcs8_der(&der(RSA1024_PEM)).unwrap();
        assert_eq!(key.bits(), 1024);
        let public = key.public_key();
        assert_eq!((public.bits(), public.size()), (1024, 128));
        assert!(public.verify_sha256(b"m", &key.sign_sha256(b"m").unwrap()));
    }
}
