//! Keys, each its own type so that they cannot be confused (protocol pitfall 4):
//! the merchant's private key signs requests and decrypts answers; the WeChat Pay public key
//! and the platform certificates verify answers and encrypt request fields; the APIv3 key
//! decrypts notifications and the certificate download.

use std::fmt;

use base64::Engine as _;
use rsa::pkcs8::der::{Decode, Encode};
use zeroize::{Zeroize, Zeroizing};

use crate::backend;
use crate::error::{ConfigError, Error};

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";

/// The merchant API private key (`apiclient_key.pem`), with the serial of its certificate.
///
/// Read from PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`), DER, or the bare base64
/// of either DER. `Debug` shows the serial only. The key is zeroized when dropped.
pub struct MerchantKey {
    serial: String,
    key: backend::PrivateKey,
}

impl MerchantKey {
    /// Reads a merchant private key in any of the accepted forms.
    ///
    /// ```
    /// # let pem = include_str!("../tests/fixtures/merchant_key.pem");
    /// let key = wxpay_core::MerchantKey::new("5F1C72E2A8931B72A2E13AF8DEE92471EB397115", pem)?;
    /// assert_eq!(key.serial(), "5F1C72E2A8931B72A2E13AF8DEE92471EB397115");
    /// # Ok::<(), wxpay_core::Error>(())
    /// ```
    pub fn new(serial: impl Into<String>, key: impl AsRef<[u8]>) -> Result<Self, Error> {
        let serial = serial.into();
        check_merchant_serial(&serial)?;
        let key = parse_private_key(key.as_ref())?;
        let bits = key.bits();
        if bits < 2048 {
            return Err(ConfigError::KeyTooSmall {
                what: "merchant private key",
                bits,
            }
            .into());
        }
        Ok(Self { serial, key })
    }

    /// The serial number of the merchant API certificate (`serial_no` in `Authorization`).
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// RSASSA-PKCS1-v1_5 SHA-256 signature of `message`, base64.
    pub fn sign(&self, message: &[u8]) -> Result<String, Error> {
        let signature = self
            .key
            .sign_sha256(message)
            .map_err(|_| Error::Encode("RSA signing failed".into()))?;
        Ok(b64().encode(signature))
    }

    /// Decrypts a base64 RSA-OAEP(SHA-1) ciphertext made with the merchant public key (an
    /// `#[encrypted]` field of an answer).
    pub fn decrypt(&self, ciphertext_b64: &str) -> Result<String, Error> {
        let ciphertext = b64()
            .decode(ciphertext_b64.trim())
            .map_err(|_| Error::decode("encrypted field is not valid base64"))?;
        if ciphertext.len() != self.key.public_key().size() {
            return Err(Error::decode(format!(
                "encrypted field has {} bytes, expected {}",
                ciphertext.len(),
                self.key.public_key().size()
            )));
        }
        let plain = self.key.oaep_sha1_decrypt(&ciphertext).map_err(|_| {
            Error::decode("encrypted field does not decrypt with the merchant private key")
        })?;
        String::from_utf8(plain).map_err(|_| Error::decode("decrypted field is not UTF-8"))
    }

    /// The public half, as a [`RsaPublicKey`] (what WeChat Pay holds to verify requests and
    /// encrypt answer fields; the sandbox uses it).
    pub fn public_key(&self) -> RsaPublicKey {
        RsaPublicKey(self.key.public_key())
    }
}

/// An RSA public key with no role attached: verifies PKCS#1 v1.5 SHA-256 signatures and
/// encrypts with OAEP-SHA1. The sandbox plays WeChat Pay with it; clients use the typed keys.
#[derive(Clone)]
pub struct RsaPublicKey(backend::PublicKey);

impl RsaPublicKey {
    /// Reads an RSA public key (SPKI or PKCS#1, PEM, DER or base64).
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, Error> {
        let key = parse_public_key(key.as_ref())?;
        check_public_bits("RSA public key", &key)?;
        Ok(Self(key))
    }

    /// Whether `signature_b64` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub fn verify(&self, message: &[u8], signature_b64: &str) -> bool {
        verify_b64(&self.0, message, signature_b64)
    }

    /// RSA-OAEP(SHA-1) encryption, base64.
    pub fn encrypt(&self, plaintext: &str) -> Result<String, Error> {
        oaep_encrypt_b64(&self.0, plaintext)
    }
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RsaPublicKey")
    }
}

fn verify_b64(key: &backend::PublicKey, message: &[u8], signature_b64: &str) -> bool {
    match b64().decode(signature_b64) {
        Ok(sig) if sig.len() == key.size() => key.verify_sha256(message, &sig),
        _ => false,
    }
}

/// The private key is zeroized when dropped (by either RSA backend).
impl zeroize::ZeroizeOnDrop for MerchantKey {}

impl fmt::Debug for MerchantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MerchantKey")
            .field("serial", &self.serial)
            .field("key", &crate::error::Redacted)
            .finish()
    }
}

/// A WeChat Pay public key (`pub_key.pem`) with its id `PUB_KEY_ID_…`.
#[derive(Clone)]
pub struct WechatPayPublicKey {
    id: String,
    key: backend::PublicKey,
}

impl WechatPayPublicKey {
    /// Reads a WeChat Pay public key: SPKI PEM (`PUBLIC KEY`), PKCS#1 PEM (`RSA PUBLIC KEY`),
    /// DER, or bare base64.
    pub fn new(id: impl Into<String>, key: impl AsRef<[u8]>) -> Result<Self, Error> {
        let id = id.into();
        check_wechatpay_key_id(&id)?;
        let key = parse_public_key(key.as_ref())?;
        check_public_bits("WeChat Pay public key", &key)?;
        Ok(Self { id, key })
    }

    /// The key id, `PUB_KEY_ID_…`; the `Wechatpay-Serial` of answers it signs.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether `signature_b64` is WeChat Pay's signature of `message`.
    pub fn verify(&self, message: &[u8], signature_b64: &str) -> bool {
        verify_b64(&self.key, message, signature_b64)
    }

    /// RSA-OAEP(SHA-1) encryption of a sensitive value, base64.
    pub fn encrypt(&self, plaintext: &str) -> Result<String, Error> {
        oaep_encrypt_b64(&self.key, plaintext)
    }

    pub(crate) fn key(&self) -> &backend::PublicKey {
        &self.key
    }
}

impl fmt::Debug for WechatPayPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatPayPublicKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A WeChat Pay platform certificate, with the serial and validity read from it.
#[derive(Clone)]
pub struct PlatformCertificate {
    serial: String,
    not_before: i64,
    not_after: i64,
    key: backend::PublicKey,
    pem: String,
}

impl PlatformCertificate {
    /// Reads an X.509 certificate (PEM or DER) holding an RSA key of at least 2048 bits.
    ///
    /// The serial is the certificate's serial number as upper-case hex without leading zero
    /// bytes, the form WeChat Pay sends in `Wechatpay-Serial`.
    pub fn new(certificate: impl AsRef<[u8]>) -> Result<Self, Error> {
        let input = certificate.as_ref();
        let der = if looks_like_pem(input) {
            let (label, der) = decode_pem(input)
                .map_err(|_| ConfigError::InvalidCertificate("not valid PEM".into()))?;
            if label != "CERTIFICATE" {
                return Err(ConfigError::WrongKeyKind {
                    expected: "a certificate (BEGIN CERTIFICATE)",
                    found: format!("BEGIN {label}"),
                }
                .into());
            }
            der
        } else {
            Zeroizing::new(input.to_vec())
        };
        let cert = x509_cert::Certificate::from_der(&der)
            .map_err(|_| ConfigError::InvalidCertificate("not a valid X.509 certificate".into()))?;
        let tbs = cert.tbs_certificate();
        let serial = hex_upper(strip_leading_zeros(tbs.serial_number().as_bytes()));
        let validity = tbs.validity();
        let not_before = validity.not_before.to_unix_duration().as_secs() as i64;
        let not_after = validity.not_after.to_unix_duration().as_secs() as i64;
        let spki = tbs.subject_public_key_info();
        if spki.algorithm.oid.to_string() != OID_RSA_ENCRYPTION {
            return Err(ConfigError::NotRsa("the certificate's key").into());
        }
        let spki_der = spki
            .to_der()
            .map_err(|_| ConfigError::InvalidCertificate("unreadable public key".into()))?;
        let key = backend::PublicKey::from_spki_der(&spki_der)
            .map_err(|_| ConfigError::InvalidCertificate("unreadable RSA public key".into()))?;
        check_public_bits("platform certificate key", &key)?;
        let pem = der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &der)
            .map_err(|_| ConfigError::InvalidCertificate("cannot be written as PEM".into()))?;
        Ok(Self {
            serial,
            not_before,
            not_after,
            key,
            pem,
        })
    }

    /// The serial, upper-case hex (`Wechatpay-Serial`).
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// Start of validity, Unix seconds.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// End of validity, Unix seconds.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// Whether the certificate is valid at `now` (Unix seconds).
    pub fn is_valid_at(&self, now: i64) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    /// The certificate as PEM.
    pub fn to_pem(&self) -> &str {
        &self.pem
    }

    pub(crate) fn key(&self) -> &backend::PublicKey {
        &self.key
    }
}

impl fmt::Debug for PlatformCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformCertificate")
            .field("serial", &self.serial)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

/// The APIv3 key: exactly 32 bytes, used raw as an AES-256-GCM key. Zeroized on drop;
/// `Debug` shows `***`.
#[derive(Clone)]
pub struct ApiV3Key([u8; 32]);

impl ApiV3Key {
    /// Takes the 32 bytes of the key (the 32 ASCII characters set in the merchant platform).
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, Error> {
        let bytes = key.as_ref();
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| ConfigError::InvalidApiV3Key(bytes.len()))?;
        Ok(Self(array))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Drop for ApiV3Key {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for ApiV3Key {}

impl fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiV3Key(\"***\")")
    }
}

/// RSA-OAEP(SHA-1) encryption of `plaintext` under `key`, base64: an `#[encrypted]` value.
pub(crate) fn oaep_encrypt_b64(key: &backend::PublicKey, plaintext: &str) -> Result<String, Error> {
    match key.oaep_sha1_encrypt(plaintext.as_bytes()) {
        Ok(c) => Ok(b64().encode(c)),
        Err(backend::BackendError::TooLong) => Err(Error::Encode(format!(
            "an #[encrypted] value has {} bytes; RSA-OAEP allows at most {}",
            plaintext.len(),
            key.size().saturating_sub(42)
        ))),
        Err(_) => Err(Error::Encode("RSA-OAEP encryption failed".into())),
    }
}

pub(crate) fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn looks_like_pem(input: &[u8]) -> bool {
    // Anywhere, not only at the start: `openssl pkcs12 -nodes` writes `Bag Attributes` lines
    // before the key, and users paste keys with a line of their own above.
    input.windows(11).any(|w| w == b"-----BEGIN ")
}

/// PEM with tolerance for what users paste: surrounding text or blank lines, CRLF.
fn decode_pem(input: &[u8]) -> Result<(String, Zeroizing<Vec<u8>>), ()> {
    let text = std::str::from_utf8(input).map_err(|_| ())?;
    let start = text.find("-----BEGIN ").ok_or(())?;
    let text = &text[start..];
    let label_end = text[11..].find("-----").ok_or(())? + 11;
    let label = text[11..label_end].to_string();
    let end_marker = format!("-----END {label}-----");
    // Search after the BEGIN line: `-----BEGIN X-----END X-----` must not slice backwards.
    let rest = &text[label_end + 5..];
    let body_end = rest.find(&end_marker).ok_or(())?;
    let body = &rest[..body_end];
    if body.contains(':') {
        // RFC 1421 headers (Proc-Type: 4,ENCRYPTED): an encrypted legacy key.
        return Err(());
    }
    let compact: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    let der = b64().decode(compact.as_bytes()).map_err(|_| ())?;
    Ok((label, Zeroizing::new(der)))
}

fn parse_private_key(input: &[u8]) -> Result<backend::PrivateKey, Error> {
    let bad = |reason: &str| Error::from(ConfigError::InvalidPrivateKey(reason.to_string()));
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(bad("empty input"));
    }
    if looks_like_pem(input) {
        let text = String::from_utf8_lossy(input);
        if text.contains("Proc-Type: 4,ENCRYPTED") {
            return Err(bad(
                "encrypted PEM keys are not supported; decrypt it with openssl first",
            ));
        }
        let (label, der) = decode_pem(input).map_err(|_| bad("not valid PEM"))?;
        return match label.as_str() {
            "PRIVATE KEY" => private_from_pkcs8(&der),
            "RSA PRIVATE KEY" => backend::PrivateKey::from_pkcs1_der(&der)
                .map_err(|_| bad("not a valid PKCS#1 RSA private key")),
            "ENCRYPTED PRIVATE KEY" => Err(bad(
                "encrypted PKCS#8 keys are not supported; decrypt it with openssl first",
            )),
            "EC PRIVATE KEY" => Err(ConfigError::NotRsa("the merchant private key").into()),
            other => Err(ConfigError::WrongKeyKind {
                expected: "a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
                found: format!("BEGIN {other}"),
            }
            .into()),
        };
    }
    // DER, or bare base64 of DER (what the merchant platform shows when the PEM lines are
    // stripped).
    let der: Zeroizing<Vec<u8>> = if input.first() == Some(&0x30) {
        Zeroizing::new(input.to_vec())
    } else {
        let compact: Zeroizing<Vec<u8>> = Zeroizing::new(
            input
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect(),
        );
        Zeroizing::new(
            b64()
                .decode(&*compact)
                .map_err(|_| bad("neither PEM, DER nor base64"))?,
        )
    };
    if let Ok(key) = private_from_pkcs8(&der) {
        return Ok(key);
    }
    if let Ok(key) = backend::PrivateKey::from_pkcs1_der(&der) {
        return Ok(key);
    }
    if backend::PublicKey::from_spki_der(&der).is_ok() {
        return Err(ConfigError::WrongKeyKind {
            expected: "a private key",
            found: "a public key".into(),
        }
        .into());
    }
    if x509_cert::Certificate::from_der(&der).is_ok() {
        return Err(ConfigError::WrongKeyKind {
            expected: "a private key",
            found: "a certificate".into(),
        }
        .into());
    }
    match rsa::pkcs8::PrivateKeyInfoRef::from_der(&der) {
        Ok(info) if info.algorithm.oid.to_string() != OID_RSA_ENCRYPTION => {
            Err(ConfigError::NotRsa("the merchant private key").into())
        }
        _ => Err(bad("not a PKCS#8 or PKCS#1 RSA private key")),
    }
}

fn private_from_pkcs8(der: &[u8]) -> Result<backend::PrivateKey, Error> {
    let info = rsa::pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| {
        ConfigError::InvalidPrivateKey("not a valid PKCS#8 private key".to_string())
    })?;
    if info.algorithm.oid.to_string() != OID_RSA_ENCRYPTION {
        return Err(ConfigError::NotRsa("the merchant private key").into());
    }
    backend::PrivateKey::from_pkcs8_der(der).map_err(|_| {
        ConfigError::InvalidPrivateKey("not a valid PKCS#8 RSA private key".to_string()).into()
    })
}

fn parse_public_key(input: &[u8]) -> Result<backend::PublicKey, Error> {
    let bad = |reason: &str| Error::from(ConfigError::InvalidPublicKey(reason.to_string()));
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(bad("empty input"));
    }
    let der = if looks_like_pem(input) {
        let (label, der) = decode_pem(input).map_err(|_| bad("not valid PEM"))?;
        match label.as_str() {
            "PUBLIC KEY" => return spki_rsa(&der),
            "RSA PUBLIC KEY" => {
                return backend::PublicKey::from_pkcs1_der(&der)
                    .map_err(|_| bad("not a valid PKCS#1 RSA public key"));
            }
            "CERTIFICATE" => {
                return Err(ConfigError::WrongKeyKind {
                    expected: "a public key (BEGIN PUBLIC KEY); give certificates to platform_certificate",
                    found: "BEGIN CERTIFICATE".into(),
                }
                .into());
            }
            l if l.contains("PRIVATE KEY") => {
                return Err(ConfigError::WrongKeyKind {
                    expected: "the WeChat Pay public key (BEGIN PUBLIC KEY)",
                    found: format!("BEGIN {l}"),
                }
                .into());
            }
            other => {
                return Err(ConfigError::WrongKeyKind {
                    expected: "a public key (BEGIN PUBLIC KEY)",
                    found: format!("BEGIN {other}"),
                }
                .into());
            }
        }
    } else if input.first() == Some(&0x30) {
        input.to_vec()
    } else {
        let compact: Vec<u8> = input
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        b64()
            .decode(compact)
            .map_err(|_| bad("neither PEM, DER nor base64"))?
    };
    spki_rsa(&der).or_else(|e| backend::PublicKey::from_pkcs1_der(&der).map_err(|_| e))
}

fn spki_rsa(der: &[u8]) -> Result<backend::PublicKey, Error> {
    let spki = rsa::pkcs8::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| {
        ConfigError::InvalidPublicKey("not a valid SubjectPublicKeyInfo".to_string())
    })?;
    if spki.algorithm.oid.to_string() != OID_RSA_ENCRYPTION {
        return Err(ConfigError::NotRsa("the WeChat Pay public key").into());
    }
    backend::PublicKey::from_spki_der(der)
        .map_err(|_| ConfigError::InvalidPublicKey("not a valid RSA public key".to_string()).into())
}

fn check_public_bits(what: &'static str, key: &backend::PublicKey) -> Result<(), Error> {
    let bits = key.bits();
    if bits < 2048 {
        return Err(ConfigError::KeyTooSmall { what, bits }.into());
    }
    Ok(())
}

/// The longest certificate serial accepted: 20 bytes of serial number (RFC 5280) in hex.
const MAX_SERIAL_HEX: usize = 40;

/// The prefix of a WeChat Pay public key id.
pub(crate) const PUBLIC_KEY_ID_PREFIX: &str = "PUB_KEY_ID_";

/// Whether `value` is a certificate serial as WeChat Pay writes it: 1 to 40 hex digits.
pub(crate) fn is_certificate_serial(value: &str) -> bool {
    (1..=MAX_SERIAL_HEX).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `value` is a WeChat Pay public key id: `PUB_KEY_ID_` and 1 to 64 letters or digits.
pub(crate) fn is_public_key_id(value: &str) -> bool {
    value
        .strip_prefix(PUBLIC_KEY_ID_PREFIX)
        .is_some_and(|rest| {
            (1..=64).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// The merchant serial is the serial of the merchant API certificate (hex, at most 40 digits).
/// An APIv3 key or a key id pasted here by mistake is refused, and never quoted: the error
/// gives its length only.
pub(crate) fn check_merchant_serial(value: &str) -> Result<(), Error> {
    if is_certificate_serial(value) {
        return Ok(());
    }
    Err(ConfigError::InvalidId {
        what: "merchant serial",
        value: crate::error::not_shown(value),
        reason: "a merchant serial is the API certificate's serial number: 1 to 40 hex digits",
    }
    .into())
}

/// A WeChat Pay key id is `PUB_KEY_ID_…` (public-key mode) or a platform certificate serial.
/// A refused value is never quoted.
pub(crate) fn check_wechatpay_key_id(value: &str) -> Result<(), Error> {
    if is_public_key_id(value) || is_certificate_serial(value) {
        return Ok(());
    }
    Err(ConfigError::InvalidId {
        what: "WeChat Pay public key id",
        value: crate::error::not_shown(value),
        reason: "a WeChat Pay key id is PUB_KEY_ID_ followed by letters and digits, or a certificate serial (1 to 40 hex digits)",
    }
    .into())
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    if first == bytes.len() {
        &bytes[bytes.len().saturating_sub(1)..]
    } else {
        &bytes[first..]
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
