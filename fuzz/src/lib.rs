//! Shared by the fuzz targets: the openssl-made fixtures of wxpay-core's tests, engines frozen
//! at 2025-01-01, and the fixture WeChat Pay private key, with which a target signs what it
//! generated so that verification passes and the code behind it (JSON, AES-GCM, OAEP,
//! certificates) is fuzzed too.

use std::sync::OnceLock;

use http::{HeaderMap, HeaderName, HeaderValue};
pub use libfuzzer_sys::arbitrary::{self, Unstructured};
use serde::{Deserialize, Serialize};
use wxpay_core::private::{self, encrypted};
use wxpay_core::{Endpoint, Engine, Error, FixedClock, Method, RequestParts, ResponseKind};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../wxpay-core/tests/fixtures/", $name))
    };
}
macro_rules! fixture_bytes {
    ($name:literal) => {
        include_bytes!(concat!("../../wxpay-core/tests/fixtures/", $name))
    };
}

pub const MERCHANT_KEY_PEM: &str = fixture!("merchant_key.pem");
pub const MERCHANT_PUBLIC_KEY_PEM: &str = fixture!("merchant_public_key.pem");
pub const WECHATPAY_KEY_PEM: &str = fixture!("wechatpay_key.pem");
pub const WECHATPAY_PUBLIC_KEY_PEM: &str = fixture!("wechatpay_public_key.pem");
pub const PLATFORM_CERT_PEM: &str = fixture!("platform_cert.pem");
pub const PLATFORM_CERT_ROTATED_PEM: &str = fixture!("platform_cert_rotated.pem");
pub const PLATFORM_CERT_EXPIRED_PEM: &str = fixture!("platform_cert_expired.pem");

/// Every key and certificate fixture, the seeds of mutated key material.
pub const KEY_FIXTURES: &[&[u8]] = &[
    fixture_bytes!("merchant_key.pem"),
    fixture_bytes!("merchant_key.der"),
    fixture_bytes!("merchant_key.b64"),
    fixture_bytes!("merchant_key_pkcs1.pem"),
    fixture_bytes!("merchant_key_pkcs1.der"),
    fixture_bytes!("merchant_key_encrypted.pem"),
    fixture_bytes!("merchant_key_pkcs1_encrypted.pem"),
    fixture_bytes!("merchant_public_key.pem"),
    fixture_bytes!("merchant_cert.pem"),
    fixture_bytes!("wechatpay_public_key.pem"),
    fixture_bytes!("wechatpay_public_key.der"),
    fixture_bytes!("wechatpay_public_key.b64"),
    fixture_bytes!("wechatpay_public_key_pkcs1.pem"),
    fixture_bytes!("platform_cert.pem"),
    fixture_bytes!("platform_cert.der"),
    fixture_bytes!("platform_cert_expired.pem"),
    fixture_bytes!("rsa1024_key.pem"),
    fixture_bytes!("rsa1024_public_key.pem"),
    fixture_bytes!("rsa1024_cert.pem"),
    fixture_bytes!("ec_key.pem"),
    fixture_bytes!("ec_key.der"),
    fixture_bytes!("ec_key_sec1.pem"),
    fixture_bytes!("ec_key_sec1.der"),
    fixture_bytes!("ec_public_key.pem"),
    fixture_bytes!("ec_cert.pem"),
];

/// The certificate fixtures, the seeds of mutated downloaded certificates.
pub const CERT_FIXTURES: &[&[u8]] = &[
    fixture_bytes!("platform_cert.pem"),
    fixture_bytes!("platform_cert_rotated.pem"),
    fixture_bytes!("platform_cert_expired.pem"),
    fixture_bytes!("platform_cert_future.pem"),
    fixture_bytes!("platform_cert.der"),
    fixture_bytes!("rsa1024_cert.pem"),
    fixture_bytes!("ec_cert.pem"),
];

pub const MCHID: &str = "1900000001";
pub const MERCHANT_SERIAL: &str = "3775B6A45ACD588826FF1B4B3F1C8E7A2B1D0C9E";
pub const PUB_KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";
pub const PLATFORM_SERIAL: &str = "5A1B2C3D4E5F60718293A4B5C6D7E8F901234567";
pub const ROTATED_SERIAL: &str = "6B2C3D4E5F60718293A4B5C6D7E8F90123456789";
pub const EXPIRED_SERIAL: &str = "8E0A1B2C3D4E5F6071";
pub const APIV3_KEY: &str = "fixtureApiV3Key-0123456789ABCDEF";
/// 2025-01-01T00:00:00Z.
pub const NOW: i64 = 1_735_689_600;

pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// Public key, platform certificate and APIv3 key, clock at [`NOW`].
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .mchid(MCHID)
            .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
            .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
            .platform_certificate(PLATFORM_CERT_PEM)
            .apiv3_key(APIV3_KEY)
            .clock(FixedClock(NOW))
            .build(false)
            .unwrap()
    })
}

/// No WeChat Pay key yet (certificate-refresh mode), APIv3 key, clock at [`NOW`].
pub fn bare_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .mchid(MCHID)
            .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
            .apiv3_key(APIV3_KEY)
            .clock(FixedClock(NOW))
            .build(true)
            .unwrap()
    })
}

/// The fixture WeChat Pay private key, which signs answers and notifications (through
/// AWS-LC, for speed: the signature is the same PKCS#1 v1.5 bytes the `rsa` crate makes).
pub struct Signer(aws_lc_rs::rsa::KeyPair);

impl Signer {
    /// base64 RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> String {
        use base64::Engine as _;
        let mut signature = vec![0; self.0.public_modulus_len()];
        self.0
            .sign(
                &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                &aws_lc_rs::rand::SystemRandom::new(),
                message,
                &mut signature,
            )
            .unwrap();
        base64::engine::general_purpose::STANDARD.encode(signature)
    }
}

pub fn signer() -> &'static Signer {
    static KEY: OnceLock<Signer> = OnceLock::new();
    KEY.get_or_init(|| {
        use base64::Engine as _;
        let body: String = WECHATPAY_KEY_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        Signer(aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).unwrap())
    })
}

/// The merchant public key, which encrypts `#[encrypted]` answer fields.
pub fn merchant_public() -> &'static wxpay_core::RsaPublicKey {
    static KEY: OnceLock<wxpay_core::RsaPublicKey> = OnceLock::new();
    KEY.get_or_init(|| wxpay_core::RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap())
}

pub fn apiv3_key() -> &'static wxpay_core::ApiV3Key {
    static KEY: OnceLock<wxpay_core::ApiV3Key> = OnceLock::new();
    KEY.get_or_init(|| wxpay_core::ApiV3Key::new(APIV3_KEY).unwrap())
}

const HEADER_NAMES: [&str; 8] = [
    "Wechatpay-Timestamp",
    "Wechatpay-Nonce",
    "Wechatpay-Serial",
    "Wechatpay-Signature",
    "Wechatpay-Signature-Type",
    "Request-ID",
    "wechatpay-timestamp",
    "Content-Type",
];

/// Any headers: each known name absent or with any bytes that make a header value.
pub fn arbitrary_headers(u: &mut Unstructured<'_>) -> arbitrary::Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    let count = u.int_in_range(0..=8)?;
    for _ in 0..count {
        let name = *u.choose(&HEADER_NAMES)?;
        let value: Vec<u8> = match u.int_in_range(0..=3)? {
            // Values of the right shape, so the checks after the first are reached.
            0 => NOW
                .saturating_add(i64::from(u.arbitrary::<i16>()?))
                .to_string()
                .into_bytes(),
            1 => serial(u)?.into_bytes(),
            2 => format!("WECHATPAY/SIGNTEST/{}", u.arbitrary::<&str>()?).into_bytes(),
            _ => u.arbitrary()?,
        };
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            headers.append(header_name(name), value);
        }
    }
    Ok(headers)
}

fn header_name(name: &str) -> HeaderName {
    HeaderName::from_bytes(name.as_bytes()).unwrap()
}

/// A `Wechatpay-Serial`: one of the keys the engines know (in any case), or any text.
pub fn serial(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0 => PUB_KEY_ID.to_string(),
        1 => PLATFORM_SERIAL.to_string(),
        2 => PLATFORM_SERIAL.to_ascii_lowercase(),
        3 => ROTATED_SERIAL.to_string(),
        4 => EXPIRED_SERIAL.to_string(),
        _ => u.arbitrary::<String>()?,
    })
}

/// Headers of an answer correctly signed by the fixture WeChat Pay key over `body`, within the
/// time window; `serial` names the key (whether the engine holds it is up to the caller).
pub fn signed_headers(
    u: &mut Unstructured<'_>,
    serial: &str,
    body: &[u8],
) -> arbitrary::Result<HeaderMap> {
    let timestamp = (NOW + i64::from(u.int_in_range(-300i16..=300)?)).to_string();
    let len = u.int_in_range(1..=32)?;
    let nonce: String = (0..len)
        .map(|_| {
            Ok(
                *u.choose(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")?
                    as char,
            )
        })
        .collect::<arbitrary::Result<_>>()?;
    let message = wxpay_core::sign::response_message(&timestamp, &nonce, body);
    let signature = signer().sign(&message);
    let mut headers = HeaderMap::new();
    let mut put = |name: &str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(header_name(name), value);
        }
    };
    put("Wechatpay-Timestamp", &timestamp);
    put("Wechatpay-Nonce", &nonce);
    put("Wechatpay-Serial", serial);
    put("Wechatpay-Signature", &signature);
    if u.arbitrary()? {
        put("Wechatpay-Signature-Type", SCHEME);
    }
    put("Request-ID", "08F78BB5AF0610D302A0B5E8A0A1B2C3");
    Ok(headers)
}

/// Any bytes, or one of `fixtures` truncated and/or with a few bytes changed: mutations of real
/// key material reach deeper than random bytes.
pub fn bytes_or_mutated_fixture(
    u: &mut Unstructured<'_>,
    fixtures: &[&[u8]],
) -> arbitrary::Result<Vec<u8>> {
    if u.ratio(1, 4)? {
        return u.arbitrary();
    }
    let mut bytes = u.choose(fixtures)?.to_vec();
    let edits = u.int_in_range(0..=4)?;
    for _ in 0..edits {
        if bytes.is_empty() {
            break;
        }
        let at = u.choose_index(bytes.len())?;
        match u.int_in_range(0..=3)? {
            0 => bytes[at] = u.arbitrary()?,
            1 => bytes[at] ^= 1 << u.int_in_range(0..=7)?,
            2 => bytes.truncate(at),
            _ => {
                let insert: Vec<u8> = u.arbitrary()?;
                bytes.splice(at..at, insert);
            }
        }
    }
    Ok(bytes)
}

/// An answer with an `#[encrypted]` field, as `#[wxpay_model]` declares it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Answer {
    pub token: String,
    #[serde(default, with = "encrypted")]
    pub secret: Option<String>,
    #[serde(default)]
    pub amount: Option<i64>,
}

/// `POST v3/fuzz` answered by [`Answer`].
pub struct Call;

impl Endpoint for Call {
    type Response = Answer;
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "v3/fuzz";
    const BASE_URL: Option<&'static str> = None;
    const RESPONSE_KIND: ResponseKind = ResponseKind::Json;

    fn write_request(&self, request: &mut RequestParts) -> Result<(), Error> {
        request.push_path(Self::PATH);
        Ok(())
    }

    fn decode_response(body: &[u8]) -> Result<Answer, Error> {
        private::decode_json(body)
    }
}

/// Formats an error as users and logs see it (exercises every `Display`).
pub fn shown<T, E: std::fmt::Display + std::fmt::Debug>(result: &Result<T, E>) -> usize {
    match result {
        Ok(_) => 0,
        Err(e) => e.to_string().len() + format!("{e:?}").len(),
    }
}
