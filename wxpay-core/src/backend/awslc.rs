//! The RSA backend of feature `aws-lc`: aws-lc-rs (AWS-LC's assembly big-number code, the
//! same family as OpenSSL's).
//!
//! Every key object is built once, when the key is read: the signing key pair, the OAEP
//! decryption key, the parsed verification key and the OAEP encryption key. Public keys are
//! reference-counted, so that the key snapshot taken per request costs one atomic increment.
//!
//! AWS-LC accepts RSA keys of 2048 to 8192 bits. Any other key the `rsa` crate can read is
//! kept as a [`rustcrypto`] key instead, so that this build reads exactly the keys the default
//! build reads (and keys.rs reports a 1024-bit key as too small, not as unreadable).

use std::sync::Arc;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{
    KeyPair, OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, OaepPublicEncryptingKey,
    PrivateDecryptingKey, PublicEncryptingKey,
};
use aws_lc_rs::signature::{
    KeyPair as _, ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};

use super::BackendError;
use super::rustcrypto;

/// An RSA private key.
pub(crate) struct PrivateKey(Private);

enum Private {
    AwsLc {
        signer: KeyPair,
        decrypter: OaepPrivateDecryptingKey,
        public: PublicKey,
    },
    Fallback(rustcrypto::PrivateKey),
}

/// An RSA public key.
#[derive(Clone)]
pub(crate) struct PublicKey(Public);

#[derive(Clone)]
enum Public {
    AwsLc(Arc<AwsLcPublic>),
    Fallback(rustcrypto::PublicKey),
}

struct AwsLcPublic {
    verifier: ParsedPublicKey,
    encrypter: OaepPublicEncryptingKey,
    /// SubjectPublicKeyInfo DER, canonical: what two keys are compared by.
    spki: Vec<u8>,
    bits: usize,
    size: usize,
}

impl PrivateKey {
    /// PKCS#8 `PrivateKeyInfo` DER.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self, BackendError> {
        match KeyPair::from_pkcs8(der) {
            Ok(signer) => Self::aws_lc(signer, der),
            Err(_) => rustcrypto::PrivateKey::from_pkcs8_der(der).map(Self::fallback),
        }
    }

    /// PKCS#1 `RSAPrivateKey` DER.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self, BackendError> {
        match KeyPair::from_der(der) {
            Ok(signer) => {
                // The decryption key reads PKCS#8 only: AWS-LC re-encodes the key (the buffer
                // is zeroized when dropped).
                let pkcs8 = signer.as_der().map_err(|_| BackendError::Malformed)?;
                Self::aws_lc(signer, pkcs8.as_ref())
            }
            Err(_) => rustcrypto::PrivateKey::from_pkcs1_der(der).map(Self::fallback),
        }
    }

    fn aws_lc(signer: KeyPair, pkcs8: &[u8]) -> Result<Self, BackendError> {
        let decrypter = PrivateDecryptingKey::from_pkcs8(pkcs8)
            .ok()
            .and_then(|key| OaepPrivateDecryptingKey::new(key).ok())
            .ok_or(BackendError::Malformed)?;
        let spki = signer
            .public_key()
            .as_der()
            .map_err(|_| BackendError::Malformed)?;
        let public = PublicKey::from_spki_der(spki.as_ref())?;
        Ok(Self(Private::AwsLc {
            signer,
            decrypter,
            public,
        }))
    }

    fn fallback(key: rustcrypto::PrivateKey) -> Self {
        Self(Private::Fallback(key))
    }

    pub(crate) fn bits(&self) -> usize {
        match &self.0 {
            Private::AwsLc { public, .. } => public.bits(),
            Private::Fallback(key) => key.bits(),
        }
    }

    pub(crate) fn public_key(&self) -> PublicKey {
        match &self.0 {
            Private::AwsLc { public, .. } => public.clone(),
            Private::Fallback(key) => PublicKey(Public::Fallback(key.public_key())),
        }
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (deterministic).
    pub(crate) fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, BackendError> {
        match &self.0 {
            Private::AwsLc { signer, .. } => {
                let mut signature = vec![0u8; signer.public_modulus_len()];
                // aws-lc-rs ignores the RNG argument for RSA (PKCS#1 v1.5 is deterministic;
                // blinding uses AWS-LC's own RNG).
                signer
                    .sign(
                        &RSA_PKCS1_SHA256,
                        &SystemRandom::new(),
                        message,
                        &mut signature,
                    )
                    .map_err(|_| BackendError::Internal)?;
                Ok(signature)
            }
            Private::Fallback(key) => key.sign_sha256(message),
        }
    }

    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1, empty label.
    pub(crate) fn oaep_sha1_decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, BackendError> {
        match &self.0 {
            Private::AwsLc { decrypter, .. } => {
                let mut plaintext = vec![0u8; decrypter.min_output_size()];
                let len = decrypter
                    .decrypt(&OAEP_SHA1_MGF1SHA1, ciphertext, &mut plaintext, None)
                    .map_err(|_| BackendError::Decrypt)?
                    .len();
                plaintext.truncate(len);
                Ok(plaintext)
            }
            Private::Fallback(key) => key.oaep_sha1_decrypt(ciphertext),
        }
    }
}

impl PublicKey {
    /// SubjectPublicKeyInfo DER.
    pub(crate) fn from_spki_der(der: &[u8]) -> Result<Self, BackendError> {
        match PublicEncryptingKey::from_der(der) {
            Ok(key) => Self::aws_lc(key),
            Err(_) => rustcrypto::PublicKey::from_spki_der(der).map(Self::fallback),
        }
    }

    /// PKCS#1 `RSAPublicKey` DER.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self, BackendError> {
        // aws-lc-rs would also read SPKI here; the `rsa` crate reads PKCS#1 only, as the
        // default backend does, and hands AWS-LC the SPKI form.
        let key = rustcrypto::PublicKey::from_pkcs1_der(der)?;
        let aws_lc = key
            .to_spki_der()
            .ok()
            .and_then(|spki| PublicEncryptingKey::from_der(&spki).ok());
        match aws_lc {
            Some(aws_lc) => Self::aws_lc(aws_lc),
            None => Ok(Self::fallback(key)),
        }
    }

    fn aws_lc(key: PublicEncryptingKey) -> Result<Self, BackendError> {
        let spki = key.as_der().map_err(|_| BackendError::Malformed)?;
        let spki = spki.as_ref().to_vec();
        let verifier = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &spki)
            .map_err(|_| BackendError::Malformed)?;
        let bits = key.key_size_bits();
        let size = key.key_size_bytes();
        let encrypter = OaepPublicEncryptingKey::new(key).map_err(|_| BackendError::Malformed)?;
        Ok(Self(Public::AwsLc(Arc::new(AwsLcPublic {
            verifier,
            encrypter,
            spki,
            bits,
            size,
        }))))
    }

    fn fallback(key: rustcrypto::PublicKey) -> Self {
        Self(Public::Fallback(key))
    }

    pub(crate) fn bits(&self) -> usize {
        match &self.0 {
            Public::AwsLc(key) => key.bits,
            Public::Fallback(key) => key.bits(),
        }
    }

    /// Verifies RSASSA-PKCS1-v1_5 with SHA-256.
    pub(crate) fn verify_sha256(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.0 {
            Public::AwsLc(key) => key.verifier.verify_sig(message, signature).is_ok(),
            Public::Fallback(key) => key.verify_sha256(message, signature),
        }
    }

    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1, empty label, randomized by AWS-LC's RNG.
    pub(crate) fn oaep_sha1_encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, BackendError> {
        match &self.0 {
            Public::AwsLc(key) => {
                // k - 2*hLen - 2 = 256 - 42 = 214 for RSA-2048.
                if plaintext.len() > key.encrypter.max_plaintext_size(&OAEP_SHA1_MGF1SHA1) {
                    return Err(BackendError::TooLong);
                }
                let mut ciphertext = vec![0u8; key.encrypter.ciphertext_size()];
                let len = key
                    .encrypter
                    .encrypt(&OAEP_SHA1_MGF1SHA1, plaintext, &mut ciphertext, None)
                    .map_err(|_| BackendError::Internal)?
                    .len();
                ciphertext.truncate(len);
                Ok(ciphertext)
            }
            Public::Fallback(key) => key.oaep_sha1_encrypt(plaintext),
        }
    }

    /// The modulus size in bytes (the length of signatures and ciphertexts).
    pub(crate) fn size(&self) -> usize {
        match &self.0 {
            Public::AwsLc(key) => key.size,
            Public::Fallback(key) => key.size(),
        }
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Public::AwsLc(a), Public::AwsLc(b)) => a.spki == b.spki,
            (Public::Fallback(a), Public::Fallback(b)) => a == b,
            _ => false,
        }
    }
}
