//! Fresh keys and certificates for one sandbox: the merchant's key pair and API certificate,
//! the WeChat Pay public key, and platform certificates.
//!
//! Only this module touches `rsa` and `x509-cert` directly; everything else goes through
//! `wxpay_core` (the protocol engine under test), so that the sandbox signs and encrypts with
//! the same, separately tested, primitives.

use std::str::FromStr;
use std::time::{Duration, SystemTime};

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use wxpay_core::{Error, MerchantKey};
use x509_cert::TbsCertificate;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::der::EncodePem;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};

/// RSA modulus size WeChat Pay uses for every key.
const BITS: usize = 2048;

/// A freshly generated RSA key pair, as PEM.
pub(crate) struct KeyPair {
    /// PKCS#8 `PRIVATE KEY`.
    pub(crate) private_pem: String,
    /// SPKI `PUBLIC KEY`.
    pub(crate) public_pem: String,
    key: rsa::PrivateKey,
}

impl KeyPair {
    /// Generates a 2048-bit key pair from the OS RNG.
    pub(crate) fn generate() -> Result<Self, Error> {
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, BITS)
            .map_err(|_| Error::Encode("RSA key generation failed".into()))?;
        let private_pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|_| Error::Encode("encoding the generated private key failed".into()))?
            .to_string();
        let public_pem = key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|_| Error::Encode("encoding the generated public key failed".into()))?;
        Ok(Self {
            private_pem,
            public_pem,
            key,
        })
    }

    /// The private key as the `wxpay_core` type that signs and decrypts, under `serial`.
    pub(crate) fn signer(&self, serial: &str) -> Result<MerchantKey, Error> {
        MerchantKey::new(serial, &self.private_pem)
    }

    /// A self-signed X.509 certificate of this key, PEM, with the serial number whose
    /// upper-case hex is `serial_hex`, valid from a day ago for `years` years.
    pub(crate) fn certificate(
        &self,
        serial_hex: &str,
        subject: &str,
        years: u64,
    ) -> Result<String, Error> {
        let now = SystemTime::now();
        self.certificate_valid(
            serial_hex,
            subject,
            now - Duration::from_secs(24 * 3600),
            now + Duration::from_secs(years * 365 * 24 * 3600),
        )
    }

    /// [`certificate`](Self::certificate) valid from `not_before` to `not_after` (whole
    /// seconds).
    pub(crate) fn certificate_valid(
        &self,
        serial_hex: &str,
        subject: &str,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<String, Error> {
        let bad = |what: &str| Error::Encode(format!("building the sandbox certificate: {what}"));
        let serial_bytes = hex_decode(serial_hex).ok_or_else(|| bad("serial is not hex"))?;
        let serial = SerialNumber::new(&serial_bytes).map_err(|_| bad("serial number"))?;
        let whole = |t: SystemTime| {
            let secs = t
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_err(|_| bad("time before 1970"))?
                .as_secs();
            Ok::<_, Error>(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        };
        let not_before = Time::try_from(whole(not_before)?).map_err(|_| bad("not before"))?;
        let not_after = Time::try_from(whole(not_after)?).map_err(|_| bad("not after"))?;
        let subject = Name::from_str(subject).map_err(|_| bad("subject"))?;
        let spki = SubjectPublicKeyInfoOwned::from_key(&self.key.to_public_key())
            .map_err(|_| bad("public key"))?;
        let builder = CertificateBuilder::new(
            SelfSigned { subject },
            serial,
            Validity::new(not_before, not_after),
            spki,
        )
        .map_err(|_| bad("tbs"))?;
        let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(self.key.clone());
        let cert = builder
            .build::<_, rsa::pkcs1v15::Signature>(&signer)
            .map_err(|_| bad("signing"))?;
        cert.to_pem(LineEnding::LF).map_err(|_| bad("PEM"))
    }
}

/// A certificate profile with no extensions, issued by its own subject: enough for a client
/// to read the serial, the validity and the key, which is all WeChat Pay clients do.
struct SelfSigned {
    subject: Name,
}

impl BuilderProfile for SelfSigned {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(Vec::new())
    }
}

/// A 12-character AES-GCM nonce of `[0-9A-Za-z]`, as WeChat Pay uses.
pub(crate) fn aes_nonce() -> String {
    let mut nonce = wxpay_core::sign::nonce().unwrap_or_else(|_| "0".repeat(32));
    nonce.truncate(12);
    nonce
}

/// `n` random bytes from the OS RNG.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS RNG failing is not something a test server can recover from.
    getrandom::fill(&mut bytes).expect("the OS random number generator failed");
    bytes
}

/// A certificate serial as WeChat Pay shows them: 40 upper-case hex characters, no leading
/// zero, a positive DER integer of 20 bytes.
pub(crate) fn random_serial() -> String {
    let mut bytes = random_bytes::<20>();
    bytes[0] = 0x10 + bytes[0] % 0x70;
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// `n` random decimal digits.
pub(crate) fn random_digits(n: usize) -> String {
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for b in random_bytes::<32>() {
            // 250 = 25 * 10: rejection sampling keeps the digits uniform.
            if b < 250 && out.len() < n {
                out.push(char::from(b'0' + b % 10));
            }
        }
    }
    out
}

fn hex_decode(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_forty_hex_chars() {
        for _ in 0..50 {
            let s = random_serial();
            assert_eq!(s.len(), 40);
            assert!(s.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_ne!(&s[..1], "0");
        }
    }

    #[test]
    fn digits() {
        let d = random_digits(28);
        assert_eq!(d.len(), 28);
        assert!(d.bytes().all(|b| b.is_ascii_digit()));
    }
}
