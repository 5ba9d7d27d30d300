//! Request signing: the message, the nonce and the `Authorization` header.

mod common;

use common::*;
use wxpay_core::sign;

/// `openssl dgst -sha256 -sign merchant_key.pem` of the POST message below.
const POST_SIGNATURE: &str = "GbeiYnZ2feN3o0QzraI7PHCMe6GwxtKl3zC2+sU6/LE8s5VzXDEOfaB4Wulz+iUA7ydxJarIQXSRyBvBjqRrZonXWvT4nflIhv7Px+fTQvWjsKgiE+728TqNvd4UMViNt9z8TLse6ZUy0gqEwOpuW5uacqOYQoqPO4lIAoGvyyS8b5OcDyQHr9vTI+/Xm+tl1GhFxAeXEALcVZDl2p0J2p6jyKmXIQkox+1JKHbO2KbsXHp007UN4TjCKQwWT16ozOa9IG9OEALp2YBfjQuL/VqyWPtgglakMITeDXN83Y12h6ky7lw0+ErjDtQlR+cY7qYOITwkiXAfQ0CcPl6qMg==";
const POST_BODY: &[u8] = br#"{"appid":"wxd678efh567hg6787","mchid":"1900000001"}"#;
/// `openssl dgst -sha256 -sign merchant_key.pem` of `GET /v3/certificates` with no body.
const GET_SIGNATURE: &str = "Y6qLbRuNhzVQy4rJnozSDu+3FDWxAD2in8OJHTwMaXk74N2EgL5egtple5d1RCl4oTC9pc2zws3W6YNgu2kHLacniQIr0/9cuvJNch8ftzAKckQ019n/CRh46NVIHbLflvNRlfUXJhQHCB4gMXu0in8uCanI2q6+tjgsVqF2M89y5jjFNe6rSSD680duzbX0ro3R0U2ATHlUooHm4VTfYo/txiTqgfw7gdmoj/GaSJkoPrfHGjt7RpvIFhFQDjQjsUMpaiGTW3EuOD9/vOw3CMFfyy+McESzZh9d9X0MhvyxJP0PkIugCsRywOzHO9Z132HrW0+dxc8mRu8YW31CKg==";

#[test]
fn request_message_layout() {
    assert_eq!(
        sign::request_message("POST", "/v3/pay/transactions/jsapi", NOW, NONCE, POST_BODY),
        [
            b"POST\n/v3/pay/transactions/jsapi\n1735689600\nk2Vq8XbN0cR7tYh4LmP1sW9zD3fG6jA5\n"
                .as_slice(),
            POST_BODY,
            b"\n",
        ]
        .concat()
    );
}

#[test]
fn request_message_without_body_ends_with_two_newlines() {
    assert_eq!(
        sign::request_message(
            "GET",
            "/v3/pay/transactions/out-trade-no/X?mchid=1230000109",
            NOW,
            NONCE,
            b""
        ),
        b"GET\n/v3/pay/transactions/out-trade-no/X?mchid=1230000109\n1735689600\nk2Vq8XbN0cR7tYh4LmP1sW9zD3fG6jA5\n\n"
    );
}

#[test]
fn request_message_keeps_body_bytes_exactly() {
    // Non-UTF-8, CRLF and trailing whitespace are signed as they are.
    let body = b"{\"a\":\"\xe4\xbd\xa0\"}\r\n \xff";
    let message = sign::request_message("PUT", "/v3/x", 1, "n", body);
    assert_eq!(
        message,
        b"PUT\n/v3/x\n1\nn\n{\"a\":\"\xe4\xbd\xa0\"}\r\n \xff\n"
    );
}

#[test]
fn response_message_layout() {
    assert_eq!(
        sign::response_message("1735689600", "7d3c9a1e5b2f4068a9c1e3b5d7f90a2c", b"{}"),
        b"1735689600\n7d3c9a1e5b2f4068a9c1e3b5d7f90a2c\n{}\n"
    );
    assert_eq!(sign::response_message("9", "8", b""), b"9\n8\n\n");
}

#[test]
fn nonce_is_32_alphanumerics_and_fresh() {
    let a = sign::nonce().unwrap();
    let b = sign::nonce().unwrap();
    for n in [&a, &b] {
        assert_eq!(n.len(), 32, "{n}");
        assert!(n.bytes().all(|c| c.is_ascii_alphanumeric()), "{n}");
    }
    assert_ne!(a, b);
}

#[test]
fn nonce_uses_the_whole_alphabet() {
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        seen.extend(sign::nonce().unwrap().bytes());
    }
    // 6400 draws from 62 characters: missing one has probability ~62 * (61/62)^6400 ≈ 0.
    assert_eq!(seen.len(), 62);
}

#[test]
fn signature_is_deterministic_and_matches_openssl() {
    let key = merchant_key();
    let message =
        sign::request_message("POST", "/v3/pay/transactions/jsapi", NOW, NONCE, POST_BODY);
    assert_eq!(key.sign(&message).unwrap(), POST_SIGNATURE);
    assert_eq!(key.sign(&message).unwrap(), POST_SIGNATURE);
}

#[test]
fn authorization_header_exact() {
    let header = sign::authorization(
        MCHID,
        &merchant_key(),
        "POST",
        "/v3/pay/transactions/jsapi",
        NOW,
        NONCE,
        POST_BODY,
    )
    .unwrap();
    assert_eq!(
        header,
        format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"k2Vq8XbN0cR7tYh4LmP1sW9zD3fG6jA5\",timestamp=\"1735689600\",serial_no=\"3775B6A45ACD588826FF1B4B3F1C8E7A2B1D0C9E\",signature=\"{POST_SIGNATURE}\""
        )
    );
}

#[test]
fn authorization_for_get_signs_an_empty_body() {
    let header = sign::authorization(
        MCHID,
        &merchant_key(),
        "GET",
        "/v3/certificates",
        NOW,
        NONCE,
        b"",
    )
    .unwrap();
    let (scheme, fields) = parse_authorization(&header);
    assert_eq!(scheme, sign::SCHEME);
    assert_eq!(
        fields,
        [
            ("mchid", MCHID),
            ("nonce_str", NONCE),
            ("timestamp", "1735689600"),
            ("serial_no", MERCHANT_SERIAL),
            ("signature", GET_SIGNATURE),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
}

#[test]
fn signature_verifies_with_the_merchant_public_key_only() {
    let message = sign::request_message("GET", "/v3/certificates", NOW, NONCE, b"");
    let merchant_public = wxpay_core::RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    assert!(merchant_public.verify(&message, GET_SIGNATURE));
    let wechatpay_public =
        wxpay_core::WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap();
    assert!(!wechatpay_public.verify(&message, GET_SIGNATURE));
    // One changed byte of the message.
    let mut other = message.clone();
    other[0] = b'P';
    assert!(!merchant_public.verify(&other, GET_SIGNATURE));
}
