//! Fixtures and helpers shared by the test files. Every key and certificate here was made with
//! the `openssl` command by `tests/fixtures/make.sh`.
#![allow(dead_code)]

use http::{HeaderMap, HeaderValue};
use wxpay_core::{Engine, FixedClock, MerchantKey};

pub const MERCHANT_KEY_PEM: &str = include_str!("../fixtures/merchant_key.pem");
pub const MERCHANT_KEY_PKCS1_PEM: &str = include_str!("../fixtures/merchant_key_pkcs1.pem");
pub const MERCHANT_KEY_DER: &[u8] = include_bytes!("../fixtures/merchant_key.der");
pub const MERCHANT_KEY_PKCS1_DER: &[u8] = include_bytes!("../fixtures/merchant_key_pkcs1.der");
pub const MERCHANT_KEY_B64: &str = include_str!("../fixtures/merchant_key.b64");
pub const MERCHANT_KEY_PKCS1_B64: &str = include_str!("../fixtures/merchant_key_pkcs1.b64");
pub const MERCHANT_KEY_ENCRYPTED_PEM: &str = include_str!("../fixtures/merchant_key_encrypted.pem");
pub const MERCHANT_KEY_PKCS1_ENCRYPTED_PEM: &str =
    include_str!("../fixtures/merchant_key_pkcs1_encrypted.pem");
pub const MERCHANT_PUBLIC_KEY_PEM: &str = include_str!("../fixtures/merchant_public_key.pem");
pub const MERCHANT_CERT_PEM: &str = include_str!("../fixtures/merchant_cert.pem");

pub const WECHATPAY_KEY_PEM: &str = include_str!("../fixtures/wechatpay_key.pem");
pub const WECHATPAY_PUBLIC_KEY_PEM: &str = include_str!("../fixtures/wechatpay_public_key.pem");
pub const WECHATPAY_PUBLIC_KEY_PKCS1_PEM: &str =
    include_str!("../fixtures/wechatpay_public_key_pkcs1.pem");
pub const WECHATPAY_PUBLIC_KEY_DER: &[u8] = include_bytes!("../fixtures/wechatpay_public_key.der");
pub const WECHATPAY_PUBLIC_KEY_B64: &str = include_str!("../fixtures/wechatpay_public_key.b64");

pub const PLATFORM_CERT_PEM: &str = include_str!("../fixtures/platform_cert.pem");
pub const PLATFORM_CERT_DER: &[u8] = include_bytes!("../fixtures/platform_cert.der");
pub const PLATFORM_CERT_EXPIRED_PEM: &str = include_str!("../fixtures/platform_cert_expired.pem");
pub const PLATFORM_CERT_FUTURE_PEM: &str = include_str!("../fixtures/platform_cert_future.pem");
pub const PLATFORM_CERT_ROTATED_PEM: &str = include_str!("../fixtures/platform_cert_rotated.pem");

pub const RSA1024_KEY_PEM: &str = include_str!("../fixtures/rsa1024_key.pem");
pub const RSA1024_PUBLIC_KEY_PEM: &str = include_str!("../fixtures/rsa1024_public_key.pem");
pub const RSA1024_CERT_PEM: &str = include_str!("../fixtures/rsa1024_cert.pem");
pub const EC_KEY_PEM: &str = include_str!("../fixtures/ec_key.pem");
pub const EC_KEY_SEC1_PEM: &str = include_str!("../fixtures/ec_key_sec1.pem");
pub const EC_KEY_DER: &[u8] = include_bytes!("../fixtures/ec_key.der");
pub const EC_KEY_SEC1_DER: &[u8] = include_bytes!("../fixtures/ec_key_sec1.der");
pub const EC_PUBLIC_KEY_PEM: &str = include_str!("../fixtures/ec_public_key.pem");
pub const EC_CERT_PEM: &str = include_str!("../fixtures/ec_cert.pem");

pub const MCHID: &str = "1900000001";
/// Serial of `merchant_cert.pem`.
pub const MERCHANT_SERIAL: &str = "3775B6A45ACD588826FF1B4B3F1C8E7A2B1D0C9E";
/// The id given to `wechatpay_public_key.pem`.
pub const PUB_KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";
/// Serial of `platform_cert.pem` (valid 2024-01-01 .. 2034-01-01).
pub const PLATFORM_SERIAL: &str = "5A1B2C3D4E5F60718293A4B5C6D7E8F901234567";
/// Serial of `platform_cert_expired.pem` (valid 2015-01-01 .. 2020-01-01).
pub const EXPIRED_SERIAL: &str = "8E0A1B2C3D4E5F6071";
/// Serial of `platform_cert_future.pem` (valid 2040-01-01 .. 2049-12-31T23:59:59Z).
pub const FUTURE_SERIAL: &str = "0B0C0D0E0F";
/// Serial of `platform_cert_rotated.pem` (same key, valid 2024-06-01 .. 2029-06-01).
pub const ROTATED_SERIAL: &str = "6B2C3D4E5F60718293A4B5C6D7E8F90123456789";
/// 32 ASCII bytes.
pub const APIV3_KEY: &str = "fixtureApiV3Key-0123456789ABCDEF";

/// 2025-01-01T00:00:00Z, the frozen "now" of the tests.
pub const NOW: i64 = 1_735_689_600;
/// 2024-01-01T00:00:00Z.
pub const Y2024: i64 = 1_704_067_200;
/// 2034-01-01T00:00:00Z.
pub const Y2034: i64 = 2_019_686_400;

pub const NONCE: &str = "k2Vq8XbN0cR7tYh4LmP1sW9zD3fG6jA5";

pub fn merchant_key() -> MerchantKey {
    MerchantKey::new(MERCHANT_SERIAL, MERCHANT_KEY_PEM).unwrap()
}

/// The WeChat Pay side's private key, as a signer/decryptor (what the sandbox does).
pub fn wechatpay_signer() -> &'static MerchantKey {
    static KEY: std::sync::OnceLock<MerchantKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| MerchantKey::new("7E57C0DE", WECHATPAY_KEY_PEM).unwrap())
}

/// An engine in public-key mode plus the valid platform certificate, clock at [`NOW`].
pub fn engine() -> Engine {
    engine_at(NOW)
}

pub fn engine_at(now: i64) -> Engine {
    Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .platform_certificate(PLATFORM_CERT_PEM)
        .apiv3_key(APIV3_KEY)
        .clock(FixedClock(now))
        .build(false)
        .unwrap()
}

/// `Wechatpay-*` headers of an answer signed by the WeChat Pay key over `body`.
pub fn signed_headers(serial: &str, timestamp: &str, nonce: &str, body: &[u8]) -> HeaderMap {
    let message = wxpay_core::sign::response_message(timestamp, nonce, body);
    let signature = wechatpay_signer().sign(&message).unwrap();
    headers(&[
        ("Wechatpay-Timestamp", timestamp),
        ("Wechatpay-Nonce", nonce),
        ("Wechatpay-Serial", serial),
        ("Wechatpay-Signature", &signature),
        ("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"),
        ("Request-ID", "08F78BB5AF0610D302A0B5E8A0A1B2C3"),
    ])
}

pub fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

/// Splits `WECHATPAY2-SHA256-RSA2048 k="v",…` into its scheme and fields, in order.
pub fn parse_authorization(value: &str) -> (String, Vec<(String, String)>) {
    let (scheme, rest) = value.split_once(' ').unwrap();
    let fields = rest
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            assert!(v.starts_with('"') && v.ends_with('"'), "unquoted {kv}");
            (k.to_string(), v[1..v.len() - 1].to_string())
        })
        .collect();
    (scheme.to_string(), fields)
}

pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    &fields.iter().find(|(k, _)| k == name).unwrap().1
}
