//! Notifications: verified over the raw body, then the resource decrypted with the APIv3 key.

mod common;

use common::*;
use http::HeaderMap;
use serde::Deserialize;
use wxpay_core::{ConfigError, Engine, Error, FixedClock, Notification, VerifyError};

/// AES-256-GCM of [`RESOURCE_PLAINTEXT`] under [`APIV3_KEY`], nonce `fixtureNonc1`, AAD
/// `transaction`, made with pyca/cryptography (see tests/aead.rs).
const CIPHERTEXT: &str = "JiNGzJUK3NX+k8DLw/mCbOSn5y2Oqk73vj3Y+ifRUfHVsZtQhFyJSgWhVz14T4w6aVZva1qVwHcYMsfhnSSQyaDDpOssvHh7lkRe+Bg1/lwQ343mRoXtEOECyzmiVxoTTfnLZq9NlThnlEAqXzmzrgFxEwWJYN8x8+aO1FnH6BM9slQQQlOfJ/RbBTtuDvEKcb4orJNRP21gTP/NdJfO61U2atKZp6/gbLZTQs8cM5EkWg/K4QonplU9gSjuKL7QAXobWiXESeCRtlGxw6vcTLXO+0oGag0FYo/z4Yu0";
const RESOURCE_PLAINTEXT: &str = r#"{"mchid":"1900000001","out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},"amount":{"total":100,"currency":"CNY"},"attach":"深圳分店"}"#;
const NOTIFY_NONCE: &str = "n0t1fyN0nceFixture01";

fn body_with(resource: &str) -> String {
    format!(
        r#"{{"id":"EV-2018022511223320873","create_time":"2015-05-20T13:29:35+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"支付成功","resource":{resource}}}"#
    )
}

fn resource_json(algorithm: &str, ciphertext: &str, nonce: &str, aad: Option<&str>) -> String {
    let aad = aad
        .map(|a| format!(r#","associated_data":"{a}""#))
        .unwrap_or_default();
    format!(
        r#"{{"original_type":"transaction","algorithm":"{algorithm}","ciphertext":"{ciphertext}"{aad},"nonce":"{nonce}"}}"#
    )
}

fn good_body() -> String {
    body_with(&resource_json(
        "AEAD_AES_256_GCM",
        CIPHERTEXT,
        "fixtureNonc1",
        Some("transaction"),
    ))
}

fn signed(body: &str) -> HeaderMap {
    signed_headers(PUB_KEY_ID, &NOW.to_string(), NOTIFY_NONCE, body.as_bytes())
}

fn parse(
    engine: &Engine,
    headers: &HeaderMap,
    body: &str,
) -> Result<Notification<serde_json::Value>, Error> {
    engine.parse_notification::<serde_json::Value>(headers, body.as_bytes())
}

fn decode_err(result: Result<Notification<serde_json::Value>, Error>) -> String {
    match result {
        Err(Error::Decode {
            message: reason, ..
        }) => reason,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

fn verify_err<T>(result: Result<Notification<T>, Error>) -> VerifyError {
    match result {
        Err(Error::Verification { error: e, .. }) => e,
        Err(other) => panic!("expected Error::Verification, got {other:?}"),
        Ok(_) => panic!("expected Error::Verification, got a notification"),
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct Transaction {
    mchid: String,
    out_trade_no: String,
    trade_state: String,
    amount: Amount,
    attach: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Amount {
    total: i64,
    currency: String,
}

#[test]
fn parses_a_signed_notification() {
    let body = good_body();
    let note = parse(&engine(), &signed(&body), &body).unwrap();
    assert_eq!(note.id, "EV-2018022511223320873");
    assert_eq!(note.create_time, "2015-05-20T13:29:35+08:00");
    assert_eq!(note.event_type, "TRANSACTION.SUCCESS");
    assert_eq!(note.resource_type, "encrypt-resource");
    assert_eq!(note.summary, "支付成功");
    assert_eq!(
        note.resource,
        serde_json::from_str::<serde_json::Value>(RESOURCE_PLAINTEXT).unwrap()
    );
}

#[test]
fn parses_into_a_typed_resource() {
    let body = good_body();
    let note = engine()
        .parse_notification::<Transaction>(&signed(&body), body.as_bytes())
        .unwrap();
    assert_eq!(
        note.resource,
        Transaction {
            mchid: "1900000001".into(),
            out_trade_no: "1217752501201407033233368018".into(),
            trade_state: "SUCCESS".into(),
            amount: Amount {
                total: 100,
                currency: "CNY".into()
            },
            attach: "深圳分店".into(),
        }
    );
}

#[test]
fn signed_with_the_platform_certificate() {
    let body = good_body();
    let headers = signed_headers(
        PLATFORM_SERIAL,
        &NOW.to_string(),
        NOTIFY_NONCE,
        body.as_bytes(),
    );
    assert_eq!(
        parse(&engine(), &headers, &body).unwrap().id,
        "EV-2018022511223320873"
    );
}

#[test]
fn without_an_apiv3_key() {
    let engine = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .clock(FixedClock(NOW))
        .build(false)
        .unwrap();
    let body = good_body();
    match parse(&engine, &signed(&body), &body) {
        Err(Error::Config(e)) => {
            assert_eq!(
                e,
                ConfigError::Missing("apiv3_key (needed to decrypt notifications)")
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn with_the_wrong_apiv3_key() {
    let engine = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .apiv3_key("fixtureApiV3Key-0123456789ABCDEX")
        .clock(FixedClock(NOW))
        .build(false)
        .unwrap();
    let body = good_body();
    assert_eq!(
        decode_err(parse(&engine, &signed(&body), &body)),
        "AES-GCM authentication failed (wrong APIv3 key or tampered resource)"
    );
}

#[test]
fn signtest_probe() {
    let body = good_body();
    let mut headers = signed(&body);
    let probe = format!(
        "WECHATPAY/SIGNTEST/{}",
        headers["Wechatpay-Signature"].to_str().unwrap()
    );
    headers.insert("Wechatpay-Signature", probe.parse().unwrap());
    assert_eq!(
        verify_err(parse(&engine(), &headers, &body)),
        VerifyError::SignTestProbe
    );
    // A probe over a body with no resource, its signature not base64 of 256 bytes: still the
    // typed error, no panic.
    let headers = {
        let mut h = signed("{}");
        h.insert(
            "Wechatpay-Signature",
            "WECHATPAY/SIGNTEST/cHJvYmUgb2YgdGhlIG1lcmNoYW50J3Mgbm90aWZ5IFVSTA=="
                .parse()
                .unwrap(),
        );
        h
    };
    assert_eq!(
        verify_err(parse(&engine(), &headers, "{}")),
        VerifyError::SignTestProbe
    );
}

#[test]
fn each_missing_header() {
    let body = good_body();
    for name in [
        "Wechatpay-Timestamp",
        "Wechatpay-Nonce",
        "Wechatpay-Serial",
        "Wechatpay-Signature",
    ] {
        let mut headers = signed(&body);
        headers.remove(name);
        assert_eq!(
            verify_err(parse(&engine(), &headers, &body)),
            VerifyError::MissingHeader(name)
        );
    }
}

#[test]
fn timestamp_window() {
    let body = good_body();
    let headers = signed(&body);
    for (now, expected) in [
        (NOW - 300, None),
        (NOW + 300, None),
        (NOW + 301, Some(VerifyError::StaleTimestamp { skew: 301 })),
        (NOW - 301, Some(VerifyError::StaleTimestamp { skew: -301 })),
    ] {
        let result = parse(&engine_at(now), &headers, &body);
        match expected {
            None => assert_eq!(result.unwrap().id, "EV-2018022511223320873"),
            Some(e) => assert_eq!(verify_err(result), e),
        }
    }
}

#[test]
fn unknown_serial_and_expired_certificate() {
    let body = good_body();
    let headers = signed_headers(
        "PUB_KEY_ID_0999",
        &NOW.to_string(),
        NOTIFY_NONCE,
        body.as_bytes(),
    );
    assert_eq!(
        verify_err(parse(&engine(), &headers, &body)),
        VerifyError::UnknownSerial("PUB_KEY_ID_0999".into())
    );
    let engine = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .platform_certificate(PLATFORM_CERT_EXPIRED_PEM)
        .apiv3_key(APIV3_KEY)
        .clock(FixedClock(NOW))
        .build(false)
        .unwrap();
    let headers = signed_headers(
        EXPIRED_SERIAL,
        &NOW.to_string(),
        NOTIFY_NONCE,
        body.as_bytes(),
    );
    assert_eq!(
        verify_err(parse(&engine, &headers, &body)),
        VerifyError::ExpiredCertificate(EXPIRED_SERIAL.into())
    );
}

#[test]
fn tampered_and_truncated_bodies_fail_verification() {
    let body = good_body();
    let headers = signed(&body);
    let tampered = body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESZ");
    assert_eq!(
        verify_err(parse(&engine(), &headers, &tampered)),
        VerifyError::BadSignature
    );
    let truncated = &body[..body.len() - 10];
    assert_eq!(
        verify_err(parse(&engine(), &headers, truncated)),
        VerifyError::BadSignature
    );
    // Re-serialized JSON is not the signed body.
    let reserialized =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&body).unwrap()).unwrap();
    assert_ne!(reserialized, body);
    assert_eq!(
        verify_err(parse(&engine(), &headers, &reserialized)),
        VerifyError::BadSignature
    );
    // An unsigned body that is not JSON fails verification first.
    assert_eq!(
        verify_err(parse(&engine(), &headers, "<html>")),
        VerifyError::BadSignature
    );
}

#[test]
fn bad_base64_signature() {
    let body = good_body();
    let mut headers = signed(&body);
    headers.insert("Wechatpay-Signature", "%%%not-base64%%%".parse().unwrap());
    assert_eq!(
        verify_err(parse(&engine(), &headers, &body)),
        VerifyError::BadSignatureEncoding
    );
}

#[test]
fn signed_but_not_json() {
    let body = "not json";
    assert_eq!(
        decode_err(parse(&engine(), &signed(body), body)),
        "the notification: not valid JSON at line 1 column 2"
    );
    let body = &good_body()[..100];
    assert_eq!(
        decode_err(parse(&engine(), &signed(body), body)),
        "the notification: truncated JSON at line 1 column 100"
    );
    let body = "";
    assert_eq!(
        decode_err(parse(&engine(), &signed(body), body)),
        "the notification: truncated JSON at line 1 column 0"
    );
}

#[test]
fn signed_json_without_a_resource() {
    let body = r#"{"id":"EV-1","create_time":"2015-05-20T13:29:35+08:00"}"#;
    assert_eq!(
        decode_err(parse(&engine(), &signed(body), body)),
        "the notification: missing field `resource` at line 1 column 55"
    );
    let body =
        r#"{"resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"","nonce":"fixtureNonc1"}}"#;
    assert_eq!(
        decode_err(parse(&engine(), &signed(body), body)),
        "the notification: missing field `id` at line 1 column 84"
    );
    let body = r#"{"id":42,"resource":{}}"#;
    assert_eq!(
        decode_err(parse(&engine(), &signed(body), body)),
        "the notification: JSON does not match the expected type at line 1 column 8"
    );
}

#[test]
fn algorithm_other_than_aead_aes_256_gcm() {
    for algorithm in ["AEAD_AES_128_GCM", "AEAD_SM4_GCM", ""] {
        let body = body_with(&resource_json(
            algorithm,
            CIPHERTEXT,
            "fixtureNonc1",
            Some("transaction"),
        ));
        assert_eq!(
            decode_err(parse(&engine(), &signed(&body), &body)),
            format!("unsupported resource algorithm {algorithm:?} (expected AEAD_AES_256_GCM)")
        );
    }
}

#[test]
fn bad_tag_nonce_aad_or_base64() {
    let auth = "AES-GCM authentication failed (wrong APIv3 key or tampered resource)";
    // Last character of the tag changed (u -> v keeps it valid base64).
    let bad_tag = format!("{}v", &CIPHERTEXT[..CIPHERTEXT.len() - 1]);
    for (resource, expected) in [
        (
            resource_json(
                "AEAD_AES_256_GCM",
                &bad_tag,
                "fixtureNonc1",
                Some("transaction"),
            ),
            auth.to_string(),
        ),
        (
            resource_json(
                "AEAD_AES_256_GCM",
                CIPHERTEXT,
                "fixtureNonc2",
                Some("transaction"),
            ),
            auth.to_string(),
        ),
        (
            resource_json(
                "AEAD_AES_256_GCM",
                CIPHERTEXT,
                "fixtureNonc1",
                Some("certificate"),
            ),
            auth.to_string(),
        ),
        (
            resource_json("AEAD_AES_256_GCM", CIPHERTEXT, "fixtureNonc1", None),
            auth.to_string(),
        ),
        (
            resource_json(
                "AEAD_AES_256_GCM",
                CIPHERTEXT,
                "fixtureNonce1",
                Some("transaction"),
            ),
            "AES-GCM nonce must be 12 bytes, got 13".to_string(),
        ),
        (
            resource_json("AEAD_AES_256_GCM", CIPHERTEXT, "", Some("transaction")),
            "AES-GCM nonce must be 12 bytes, got 0".to_string(),
        ),
        (
            resource_json(
                "AEAD_AES_256_GCM",
                "JiNGzJUK3NX*k8DLw",
                "fixtureNonc1",
                Some("transaction"),
            ),
            "AES-GCM ciphertext is not valid base64".to_string(),
        ),
        (
            resource_json(
                "AEAD_AES_256_GCM",
                "JiNGzJUK",
                "fixtureNonc1",
                Some("transaction"),
            ),
            "AES-GCM ciphertext is shorter than its 16-byte tag".to_string(),
        ),
    ] {
        let body = body_with(&resource);
        assert_eq!(
            decode_err(parse(&engine(), &signed(&body), &body)),
            expected,
            "{resource}"
        );
    }
}

#[test]
fn resource_of_the_wrong_type_does_not_quote_the_plaintext() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Wrong {
        mchid: u64,
    }
    let body = good_body();
    let err = match engine().parse_notification::<Wrong>(&signed(&body), body.as_bytes()) {
        Err(Error::Decode {
            message: reason, ..
        }) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        err,
        "the notification resource: JSON does not match the expected type at line 1 column 21"
    );
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Missing {
        refund_id: String,
    }
    let err = match engine().parse_notification::<Missing>(&signed(&body), body.as_bytes()) {
        Err(Error::Decode {
            message: reason, ..
        }) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        err,
        // The end of the 206-byte plaintext.
        "the notification resource: missing field `refund_id` at line 1 column 206"
    );
}

#[test]
fn debug_does_not_print_the_resource() {
    let body = good_body();
    let note = parse(&engine(), &signed(&body), &body).unwrap();
    assert_eq!(
        format!("{note:?}"),
        r#"Notification { id: "EV-2018022511223320873", create_time: "2015-05-20T13:29:35+08:00", event_type: "TRANSACTION.SUCCESS", resource_type: "encrypt-resource", summary: "支付成功", resource: "***" }"#
    );
}

#[test]
fn garbage_never_panics() {
    let engine = engine();
    let body = good_body();
    // Every 7th cut (each needs an RSA signature: keep the suite fast), and every cut of the
    // last 40 bytes, where the resource's base64 and the closing braces are.
    let cuts = (0..body.len())
        .step_by(7)
        .chain(body.len() - 40..body.len());
    for len in cuts {
        if !body.is_char_boundary(len) {
            continue;
        }
        let cut = &body[..len];
        // Signed garbage reaches the JSON and AES-GCM layers.
        assert!(parse(&engine, &signed(cut), cut).is_err(), "{len}");
    }
}
