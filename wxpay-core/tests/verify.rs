//! Verifying answers and notifications: every rule, every failure with the error it gets.

mod common;

use common::*;
use http::HeaderMap;
use wxpay_core::verify::{self, MAX_SKEW_SECONDS, SignatureHeaders};
use wxpay_core::{KeyStore, PlatformCertificate, VerifyError, WechatPayPublicKey};

const BODY: &[u8] = br#"{"prepay_id":"wx26112221580621e9b071c00d9e093b0000"}"#;
const RESPONSE_NONCE: &str = "7d3c9a1e5b2f4068a9c1e3b5d7f90a2c";
/// `openssl dgst -sha256 -sign wechatpay_key.pem` of `1735689600\n{RESPONSE_NONCE}\n{BODY}\n`.
const OPENSSL_SIGNATURE: &str = "BxgKjy0lXXioLwUZpYOVhy5WtVLICSDy1a0/TTVKJ0E6znbPvYpwwITsO07iBXfrrzZes6jSc7cHY+vXyZOLmQN49rviMszIDZ1f92b+RKWe/xPBUVfJBzQ26QlXLoLqHYFlrXn9KYN3N24nX9DdyQP8q9hpRiIKI5/RCrfOSIxAGDuoHvKuSROBRO/2TUZL4Et5AYWSH3tQrsie1JiMvM3HzqrkSljLLcaS0FG1B45Nq/Fg0yAouLBG6kUAto/sK8trMjUN449KXhJJTUtiUq/Gj7vqB3hSv0bpZIOr6cq9Dn6eOsILuYoVy0XquBYVtaGCXRdGzD0r8Zc6/6ym3w==";

fn public_key_store() -> KeyStore {
    let mut keys = KeyStore::new();
    keys.set_public_key(WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap());
    keys
}

fn full_store() -> KeyStore {
    let mut keys = public_key_store();
    for pem in [
        PLATFORM_CERT_PEM,
        PLATFORM_CERT_EXPIRED_PEM,
        PLATFORM_CERT_FUTURE_PEM,
    ] {
        keys.add_certificate(PlatformCertificate::new(pem).unwrap());
    }
    keys
}

fn answer(serial: &str) -> HeaderMap {
    signed_headers(serial, &NOW.to_string(), RESPONSE_NONCE, BODY)
}

fn check(headers: &HeaderMap, body: &[u8], now: i64) -> Result<(), VerifyError> {
    verify::verify(&full_store(), headers, body, now)
}

#[test]
fn the_signature_wechatpay_makes_is_the_one_openssl_makes() {
    assert_eq!(answer(PUB_KEY_ID)["Wechatpay-Signature"], OPENSSL_SIGNATURE);
}

#[test]
fn verifies_with_the_public_key_and_with_the_certificate() {
    assert_eq!(check(&answer(PUB_KEY_ID), BODY, NOW), Ok(()));
    assert_eq!(check(&answer(PLATFORM_SERIAL), BODY, NOW), Ok(()));
}

#[test]
fn serials_compare_case_insensitively() {
    assert_eq!(
        check(&answer(&PLATFORM_SERIAL.to_ascii_lowercase()), BODY, NOW),
        Ok(())
    );
    assert_eq!(
        check(&answer(&PUB_KEY_ID.to_ascii_lowercase()), BODY, NOW),
        Ok(())
    );
}

#[test]
fn header_names_are_case_insensitive() {
    let signed = answer(PUB_KEY_ID);
    let mut lower = HeaderMap::new();
    for (name, value) in &signed {
        lower.insert(
            http::HeaderName::from_bytes(name.as_str().to_ascii_lowercase().as_bytes()).unwrap(),
            value.clone(),
        );
    }
    assert_eq!(check(&lower, BODY, NOW), Ok(()));
}

#[test]
fn header_values_with_surrounding_spaces_are_trimmed() {
    let mut headers = answer(PUB_KEY_ID);
    let serial = format!(" {PUB_KEY_ID} ");
    headers.insert("Wechatpay-Serial", serial.parse().unwrap());
    assert_eq!(check(&headers, BODY, NOW), Ok(()));
}

#[test]
fn empty_body_of_a_204() {
    let headers = signed_headers(PUB_KEY_ID, &NOW.to_string(), RESPONSE_NONCE, b"");
    assert_eq!(check(&headers, b"", NOW), Ok(()));
    assert_eq!(check(&headers, b"{}", NOW), Err(VerifyError::BadSignature));
}

#[test]
fn signature_type_header_is_optional() {
    let mut headers = answer(PUB_KEY_ID);
    headers.remove("Wechatpay-Signature-Type");
    assert_eq!(check(&headers, BODY, NOW), Ok(()));
}

#[test]
fn each_missing_header_is_named() {
    for name in [
        "Wechatpay-Timestamp",
        "Wechatpay-Nonce",
        "Wechatpay-Serial",
        "Wechatpay-Signature",
    ] {
        let mut headers = answer(PUB_KEY_ID);
        headers.remove(name);
        assert_eq!(
            check(&headers, BODY, NOW),
            Err(VerifyError::MissingHeader(name)),
            "{name}"
        );
        // Present but empty, or not text: the same.
        let mut headers = answer(PUB_KEY_ID);
        headers.insert(name, "".parse().unwrap());
        assert_eq!(
            check(&headers, BODY, NOW),
            Err(VerifyError::MissingHeader(name)),
            "{name} empty"
        );
        let mut headers = answer(PUB_KEY_ID);
        headers.insert(
            name,
            http::HeaderValue::from_bytes(b"\xe4\xbd\xa0").unwrap(),
        );
        assert_eq!(
            check(&headers, BODY, NOW),
            Err(VerifyError::MissingHeader(name)),
            "{name} not text"
        );
    }
    assert_eq!(
        check(&HeaderMap::new(), BODY, NOW),
        Err(VerifyError::MissingHeader("Wechatpay-Timestamp"))
    );
}

#[test]
fn signature_headers_are_read() {
    let headers = answer(PUB_KEY_ID);
    let h = SignatureHeaders::from_headers(&headers).unwrap();
    assert_eq!(
        h,
        SignatureHeaders {
            timestamp: "1735689600",
            nonce: RESPONSE_NONCE,
            serial: PUB_KEY_ID,
            signature: OPENSSL_SIGNATURE,
            signature_type: Some("WECHATPAY2-SHA256-RSA2048"),
        }
    );
    assert_eq!(verify::verify_parts(&full_store(), &h, BODY, NOW), Ok(()));
}

#[test]
fn tampered_or_truncated_body() {
    let headers = answer(PUB_KEY_ID);
    let mut tampered = BODY.to_vec();
    tampered[15] ^= 1;
    assert_eq!(
        check(&headers, &tampered, NOW),
        Err(VerifyError::BadSignature)
    );
    assert_eq!(
        check(&headers, &BODY[..BODY.len() - 1], NOW),
        Err(VerifyError::BadSignature)
    );
    assert_eq!(check(&headers, b"", NOW), Err(VerifyError::BadSignature));
    // Re-serialized JSON (a space added) is not the body that was signed.
    assert_eq!(
        check(
            &headers,
            br#"{"prepay_id": "wx26112221580621e9b071c00d9e093b0000"}"#,
            NOW
        ),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn tampered_nonce_or_timestamp_header() {
    let mut headers = answer(PUB_KEY_ID);
    headers.insert(
        "Wechatpay-Nonce",
        "804c37132dbc174cd7add22556a05f47".parse().unwrap(),
    );
    assert_eq!(check(&headers, BODY, NOW), Err(VerifyError::BadSignature));
    let mut headers = answer(PUB_KEY_ID);
    headers.insert(
        "Wechatpay-Timestamp",
        (NOW + 1).to_string().parse().unwrap(),
    );
    assert_eq!(check(&headers, BODY, NOW), Err(VerifyError::BadSignature));
}

#[test]
fn signature_of_another_key() {
    // Signed by the merchant key instead of the WeChat Pay key.
    let message = wxpay_core::sign::response_message(&NOW.to_string(), RESPONSE_NONCE, BODY);
    let forged = merchant_key().sign(&message).unwrap();
    let mut headers = answer(PUB_KEY_ID);
    headers.insert("Wechatpay-Signature", forged.parse().unwrap());
    assert_eq!(check(&headers, BODY, NOW), Err(VerifyError::BadSignature));
}

#[test]
fn bad_base64_signature() {
    for bad in [
        "not base64!",
        "Kj4IcSoOp+UfaALk=Tdv6",
        "Kj4IcSoOp-UfaALkTdv6Gv1c0x1POt5TNnGLqzHNL9aQyiS_eohV",
        "====",
    ] {
        let mut headers = answer(PUB_KEY_ID);
        headers.insert("Wechatpay-Signature", bad.parse().unwrap());
        assert_eq!(
            check(&headers, BODY, NOW),
            Err(VerifyError::BadSignatureEncoding),
            "{bad}"
        );
    }
}

#[test]
fn signature_of_the_wrong_length() {
    // Valid base64, but 255 and 257 bytes where a 2048-bit key signs 256.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let sig = b64.decode(OPENSSL_SIGNATURE).unwrap();
    for bytes in [&sig[..255], &[sig.as_slice(), &[0]].concat()[..], &[][..]] {
        let mut headers = answer(PUB_KEY_ID);
        let value = b64.encode(bytes);
        if value.is_empty() {
            continue; // an empty header is a missing one (tested above)
        }
        headers.insert("Wechatpay-Signature", value.parse().unwrap());
        assert_eq!(
            check(&headers, BODY, NOW),
            Err(VerifyError::BadSignatureEncoding)
        );
    }
    // 256 bytes that are not the signature.
    let mut headers = answer(PUB_KEY_ID);
    headers.insert(
        "Wechatpay-Signature",
        b64.encode([0x42u8; 256]).parse().unwrap(),
    );
    assert_eq!(check(&headers, BODY, NOW), Err(VerifyError::BadSignature));
}

#[test]
fn signtest_probe_is_rejected_before_anything_else() {
    let probe = format!("WECHATPAY/SIGNTEST/{OPENSSL_SIGNATURE}");
    let mut headers = answer(PUB_KEY_ID);
    headers.insert("Wechatpay-Signature", probe.parse().unwrap());
    assert_eq!(check(&headers, BODY, NOW), Err(VerifyError::SignTestProbe));
    // Even with an unknown serial and a stale timestamp.
    headers.insert("Wechatpay-Serial", "UNKNOWN".parse().unwrap());
    headers.insert("Wechatpay-Timestamp", "1".parse().unwrap());
    assert_eq!(check(&headers, BODY, NOW), Err(VerifyError::SignTestProbe));
    // The bare prefix.
    let mut headers = answer(PUB_KEY_ID);
    headers.insert(
        "Wechatpay-Signature",
        "WECHATPAY/SIGNTEST/".parse().unwrap(),
    );
    assert_eq!(check(&headers, BODY, NOW), Err(VerifyError::SignTestProbe));
}

#[test]
fn unknown_serial() {
    assert_eq!(
        check(
            &answer("PUB_KEY_ID_0000000000000000000000000000"),
            BODY,
            NOW
        ),
        Err(VerifyError::UnknownSerial(
            "PUB_KEY_ID_0000000000000000000000000000".into()
        ))
    );
    // Only the public key held: a certificate serial is unknown.
    assert_eq!(
        verify::verify(&public_key_store(), &answer(PLATFORM_SERIAL), BODY, NOW),
        Err(VerifyError::UnknownSerial(PLATFORM_SERIAL.into()))
    );
    // Nothing held.
    assert_eq!(
        verify::verify(&KeyStore::new(), &answer(PUB_KEY_ID), BODY, NOW),
        Err(VerifyError::UnknownSerial(PUB_KEY_ID.into()))
    );
    // A serial is compared whole, never as a number or a prefix.
    assert_eq!(
        check(
            &answer("5A1B2C3D4E5F60718293A4B5C6D7E8F90123456"),
            BODY,
            NOW
        ),
        Err(VerifyError::UnknownSerial(
            "5A1B2C3D4E5F60718293A4B5C6D7E8F90123456".into()
        ))
    );
    assert_eq!(
        check(&answer("00B0C0D0E0F"), BODY, NOW),
        Err(VerifyError::UnknownSerial("00B0C0D0E0F".into()))
    );
}

#[test]
fn expired_and_not_yet_valid_certificates() {
    assert_eq!(
        check(&answer(EXPIRED_SERIAL), BODY, NOW),
        Err(VerifyError::ExpiredCertificate(EXPIRED_SERIAL.into()))
    );
    assert_eq!(
        check(&answer(FUTURE_SERIAL), BODY, NOW),
        Err(VerifyError::ExpiredCertificate(FUTURE_SERIAL.into()))
    );
    // The same answers verify while those certificates are valid.
    let in_2019 = 1_546_300_800;
    let h = signed_headers(EXPIRED_SERIAL, &in_2019.to_string(), RESPONSE_NONCE, BODY);
    assert_eq!(check(&h, BODY, in_2019), Ok(()));
    let in_2045 = 2_366_841_600;
    let h = signed_headers(FUTURE_SERIAL, &in_2045.to_string(), RESPONSE_NONCE, BODY);
    assert_eq!(check(&h, BODY, in_2045), Ok(()));
}

#[test]
fn certificate_validity_edges() {
    // Valid from not_before to not_after inclusive.
    for (now, expected) in [
        (
            Y2024 - 1,
            Err(VerifyError::ExpiredCertificate(PLATFORM_SERIAL.into())),
        ),
        (Y2024, Ok(())),
        (Y2034, Ok(())),
        (
            Y2034 + 1,
            Err(VerifyError::ExpiredCertificate(PLATFORM_SERIAL.into())),
        ),
    ] {
        let h = signed_headers(PLATFORM_SERIAL, &now.to_string(), RESPONSE_NONCE, BODY);
        assert_eq!(check(&h, BODY, now), expected, "at {now}");
    }
}

#[test]
fn timestamp_window_is_300_seconds_both_ways() {
    assert_eq!(MAX_SKEW_SECONDS, 300);
    let headers = answer(PUB_KEY_ID); // timestamp NOW
    // now - timestamp = skew
    for (now, expected) in [
        (NOW, Ok(())),
        (NOW + 300, Ok(())),
        (NOW - 300, Ok(())),
        (NOW + 301, Err(VerifyError::StaleTimestamp { skew: 301 })),
        (NOW - 301, Err(VerifyError::StaleTimestamp { skew: -301 })),
        (
            NOW + 86_400,
            Err(VerifyError::StaleTimestamp { skew: 86_400 }),
        ),
        (
            NOW - 3_600,
            Err(VerifyError::StaleTimestamp { skew: -3_600 }),
        ),
    ] {
        assert_eq!(
            check(&headers, BODY, now),
            expected,
            "now = NOW{:+}",
            now - NOW
        );
    }
}

#[test]
fn stale_timestamp_is_checked_before_the_key() {
    let headers = signed_headers("UNKNOWN", "1000", RESPONSE_NONCE, BODY);
    assert_eq!(
        check(&headers, BODY, NOW),
        Err(VerifyError::StaleTimestamp { skew: NOW - 1000 })
    );
}

#[test]
fn bad_timestamps() {
    for bad in [
        "abc",
        "1735689600.5",
        "1e9",
        "0x10",
        "99999999999999999999999",
    ] {
        let headers = signed_headers(PUB_KEY_ID, bad, RESPONSE_NONCE, BODY);
        assert_eq!(
            check(&headers, BODY, NOW),
            Err(VerifyError::BadTimestamp),
            "{bad}"
        );
    }
    // Extreme values do not overflow.
    let headers = signed_headers(PUB_KEY_ID, &i64::MIN.to_string(), RESPONSE_NONCE, BODY);
    assert_eq!(
        check(&headers, BODY, NOW),
        Err(VerifyError::StaleTimestamp { skew: i64::MAX })
    );
    let headers = signed_headers(PUB_KEY_ID, &i64::MAX.to_string(), RESPONSE_NONCE, BODY);
    assert_eq!(
        check(&headers, BODY, NOW),
        Err(VerifyError::StaleTimestamp {
            skew: NOW - i64::MAX
        })
    );
}

#[test]
fn other_signature_types_are_refused() {
    for kind in [
        "WECHATPAY2-SM2-WITH-SM3",
        "wechatpay2-sha256-rsa2048",
        "RSA",
    ] {
        let mut headers = answer(PUB_KEY_ID);
        headers.insert("Wechatpay-Signature-Type", kind.parse().unwrap());
        assert_eq!(
            check(&headers, BODY, NOW),
            Err(VerifyError::UnsupportedSignatureType),
            "{kind}"
        );
    }
}

#[test]
fn rotation_both_certificates_verify() {
    // Old and new platform certificates at once: each answer verifies with the one it names.
    let mut keys = KeyStore::new();
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_EXPIRED_PEM).unwrap());
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_PEM).unwrap());
    let in_2019 = 1_546_300_800;
    // In 2019 only the old one is valid.
    let h = signed_headers(EXPIRED_SERIAL, &in_2019.to_string(), RESPONSE_NONCE, BODY);
    assert_eq!(verify::verify(&keys, &h, BODY, in_2019), Ok(()));
    let h = signed_headers(PLATFORM_SERIAL, &in_2019.to_string(), RESPONSE_NONCE, BODY);
    assert_eq!(
        verify::verify(&keys, &h, BODY, in_2019),
        Err(VerifyError::ExpiredCertificate(PLATFORM_SERIAL.into()))
    );
    assert_eq!(
        verify::verify(&keys, &answer(PLATFORM_SERIAL), BODY, NOW),
        Ok(())
    );
}

#[test]
fn key_store_queries() {
    let keys = full_store();
    assert!(keys.contains(PUB_KEY_ID));
    assert!(keys.contains(&EXPIRED_SERIAL.to_ascii_lowercase()));
    assert!(!keys.contains("8E0A1B2C3D4E5F607"));
    assert_eq!(keys.public_key().unwrap().id(), PUB_KEY_ID);
    let serials: Vec<&str> = keys.certificates().iter().map(|c| c.serial()).collect();
    assert_eq!(serials, [PLATFORM_SERIAL, EXPIRED_SERIAL, FUTURE_SERIAL]);
    assert!(!keys.is_empty());
    assert!(KeyStore::new().is_empty());
    // Adding a certificate with a known serial replaces it.
    let mut keys = keys;
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_DER).unwrap());
    assert_eq!(keys.certificates().len(), 3);
}
