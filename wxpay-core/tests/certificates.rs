//! The platform certificate download, `GET v3/certificates`.

mod common;

use common::*;
use http::HeaderMap;
use wxpay_core::{
    ApiV3Key, CertificateAnswer, ConfigError, DownloadCertificates, Engine, Error, FixedClock,
    KeyStore, PlatformCertificate, VerifyError, aead,
};

const CERT_NONCE: &str = "c3rtN0nce012";

/// A `/v3/certificates` answer carrying `pems` (serial as given), encrypted with the APIv3 key.
fn download_body(entries: &[(&str, &str)]) -> String {
    let key = ApiV3Key::new(APIV3_KEY).unwrap();
    let data: Vec<serde_json::Value> = entries
        .iter()
        .map(|(serial, pem)| {
            serde_json::json!({
                "serial_no": serial,
                "effective_time": "2024-01-01T08:00:00+08:00",
                "expire_time": "2034-01-01T08:00:00+08:00",
                "encrypt_certificate": {
                    "algorithm": "AEAD_AES_256_GCM",
                    "associated_data": "certificate",
                    "nonce": CERT_NONCE,
                    "ciphertext": aead::encrypt(&key, CERT_NONCE, "certificate", pem.as_bytes()).unwrap(),
                }
            })
        })
        .collect();
    serde_json::json!({ "data": data }).to_string()
}

fn signed_by(serial: &str, body: &str) -> HeaderMap {
    signed_headers(serial, &NOW.to_string(), "cert-nonce", body.as_bytes())
}

/// An engine that trusts nothing yet (certificate refresh mode).
fn bare_engine() -> Engine {
    Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .apiv3_key(APIV3_KEY)
        .clock(FixedClock(NOW))
        .build(true)
        .unwrap()
}

fn serials(answer: CertificateAnswer) -> Vec<String> {
    match answer {
        CertificateAnswer::Certificates(certs) => {
            certs.iter().map(|c| c.serial().to_string()).collect()
        }
        CertificateAnswer::PublicKeyMode => panic!("public-key mode"),
    }
}

#[test]
fn the_request() {
    let prepared = engine().prepare(&DownloadCertificates {}, None).unwrap();
    assert_eq!(prepared.method(), "GET");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/certificates"
    );
    assert_eq!(prepared.body(), b"");
}

#[test]
fn first_download_is_verified_with_the_certificate_it_carries() {
    let body = download_body(&[(PLATFORM_SERIAL, PLATFORM_CERT_PEM)]);
    let engine = bare_engine();
    let answer = engine
        .read_certificates(200, &signed_by(PLATFORM_SERIAL, &body), body.as_bytes())
        .unwrap();
    assert_eq!(serials(answer), [PLATFORM_SERIAL]);
}

#[test]
fn download_verified_with_an_already_trusted_key() {
    let body = download_body(&[(ROTATED_SERIAL, PLATFORM_CERT_ROTATED_PEM)]);
    let answer = engine()
        .read_certificates(200, &signed_by(PUB_KEY_ID, &body), body.as_bytes())
        .unwrap();
    assert_eq!(serials(answer), [ROTATED_SERIAL]);
}

#[test]
fn several_certificates_and_serial_case() {
    let body = download_body(&[
        (&PLATFORM_SERIAL.to_ascii_lowercase(), PLATFORM_CERT_PEM),
        (ROTATED_SERIAL, PLATFORM_CERT_ROTATED_PEM),
    ]);
    let answer = bare_engine()
        .read_certificates(200, &signed_by(ROTATED_SERIAL, &body), body.as_bytes())
        .unwrap();
    assert_eq!(serials(answer), [PLATFORM_SERIAL, ROTATED_SERIAL]);
}

#[test]
fn public_key_mode_404() {
    let body = r#"{"code":"RESOURCE_NOT_EXISTS","message":"无可用的平台证书"}"#.as_bytes();
    assert!(matches!(
        engine().read_certificates(404, &HeaderMap::new(), body),
        Ok(CertificateAnswer::PublicKeyMode)
    ));
    // Another 404 is an error.
    match engine().read_certificates(
        404,
        &HeaderMap::new(),
        br#"{"code":"NOT_FOUND","message":"x"}"#,
    ) {
        Err(Error::Api { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (404, "NOT_FOUND"))
        }
        other => panic!("{other:?}"),
    }
    match engine().read_certificates(
        500,
        &HeaderMap::new(),
        br#"{"code":"SYSTEM_ERROR","message":"x"}"#,
    ) {
        Err(Error::Api { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (500, "SYSTEM_ERROR"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_serial_that_does_not_match_its_certificate() {
    let body = download_body(&[(ROTATED_SERIAL, PLATFORM_CERT_PEM)]);
    match bare_engine().read_certificates(200, &signed_by(PLATFORM_SERIAL, &body), body.as_bytes())
    {
        Err(Error::Decode {
            message: reason, ..
        }) => assert_eq!(
            reason,
            format!("downloaded certificate {PLATFORM_SERIAL} claims serial {ROTATED_SERIAL}")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unsigned_tampered_or_unknown() {
    let body = download_body(&[(PLATFORM_SERIAL, PLATFORM_CERT_PEM)]);
    let engine = bare_engine();
    match engine.read_certificates(200, &HeaderMap::new(), body.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::MissingHeader("Wechatpay-Timestamp"))
        }
        other => panic!("{other:?}"),
    }
    let headers = signed_by(PLATFORM_SERIAL, &body);
    let tampered = body.replace("2034-01-01", "2035-01-01");
    match engine.read_certificates(200, &headers, tampered.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => assert_eq!(e, VerifyError::BadSignature),
        other => panic!("{other:?}"),
    }
    // Signed by a key that is neither trusted nor carried.
    match engine.read_certificates(200, &signed_by("OTHER", &body), body.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::UnknownSerial("OTHER".into()))
        }
        other => panic!("{other:?}"),
    }
    // Carried, but expired.
    let body = download_body(&[(EXPIRED_SERIAL, PLATFORM_CERT_EXPIRED_PEM)]);
    match engine.read_certificates(200, &signed_by(EXPIRED_SERIAL, &body), body.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::ExpiredCertificate(EXPIRED_SERIAL.into()))
        }
        other => panic!("{other:?}"),
    }
    // A stale answer.
    let body = download_body(&[(PLATFORM_SERIAL, PLATFORM_CERT_PEM)]);
    let stale = signed_headers(
        PLATFORM_SERIAL,
        &(NOW - 301).to_string(),
        "n",
        body.as_bytes(),
    );
    match engine.read_certificates(200, &stale, body.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::StaleTimestamp { skew: 301 })
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_apiv3_key_or_none() {
    let body = download_body(&[(PLATFORM_SERIAL, PLATFORM_CERT_PEM)]);
    let headers = signed_by(PLATFORM_SERIAL, &body);
    let other_key = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .apiv3_key("fixtureApiV3Key-0123456789ABCDEx")
        .clock(FixedClock(NOW))
        .build(true)
        .unwrap();
    match other_key.read_certificates(200, &headers, body.as_bytes()) {
        Err(Error::Decode {
            message: reason, ..
        }) => assert_eq!(
            reason,
            "AES-GCM authentication failed (wrong APIv3 key or tampered resource)"
        ),
        other => panic!("{other:?}"),
    }
    let no_key = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .clock(FixedClock(NOW))
        .build(false)
        .unwrap();
    match no_key.read_certificates(200, &headers, body.as_bytes()) {
        Err(Error::Config(e)) => assert_eq!(
            e,
            ConfigError::Missing("apiv3_key (needed to decrypt downloaded certificates)")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bodies_that_are_not_a_certificate_list() {
    for (body, expected) in [
        (
            "",
            "the certificate download: truncated JSON at line 1 column 0",
        ),
        (
            "{}",
            "the certificate download: missing field `data` at line 1 column 2",
        ),
        (
            r#"{"data":{}}"#,
            "the certificate download: JSON does not match the expected type at line 1 column 8",
        ),
    ] {
        match bare_engine().read_certificates(
            200,
            &signed_by(PLATFORM_SERIAL, body),
            body.as_bytes(),
        ) {
            Err(Error::Decode {
                message: reason, ..
            }) => assert_eq!(reason, expected, "{body:?}"),
            other => panic!("{body:?}: {other:?}"),
        }
    }
    // The plaintext is not a certificate.
    let key = ApiV3Key::new(APIV3_KEY).unwrap();
    let body = serde_json::json!({"data": [{
        "serial_no": PLATFORM_SERIAL,
        "encrypt_certificate": {
            "algorithm": "AEAD_AES_256_GCM",
            "associated_data": "certificate",
            "nonce": CERT_NONCE,
            "ciphertext": aead::encrypt(&key, CERT_NONCE, "certificate", WECHATPAY_PUBLIC_KEY_PEM.as_bytes()).unwrap(),
        }
    }]})
    .to_string();
    match bare_engine().read_certificates(200, &signed_by(PLATFORM_SERIAL, &body), body.as_bytes())
    {
        Err(Error::Config(e)) => assert_eq!(
            e,
            ConfigError::WrongKeyKind {
                expected: "a certificate (BEGIN CERTIFICATE)",
                found: "BEGIN PUBLIC KEY".into(),
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn install_keeps_the_public_key_and_valid_certificates() {
    let engine = engine();
    let mut store = KeyStore::clone(&engine.key_store());
    store.add_certificate(PlatformCertificate::new(PLATFORM_CERT_EXPIRED_PEM).unwrap());
    engine.set_key_store(store);
    engine.install_certificates(vec![
        PlatformCertificate::new(PLATFORM_CERT_ROTATED_PEM).unwrap(),
    ]);
    let store = engine.key_store();
    assert_eq!(store.public_key().unwrap().id(), PUB_KEY_ID);
    let serials: Vec<&str> = store.certificates().iter().map(|c| c.serial()).collect();
    // The expired one is dropped, the valid one kept, the new one added.
    assert_eq!(serials, [PLATFORM_SERIAL, ROTATED_SERIAL]);
}
