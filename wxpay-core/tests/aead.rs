//! AEAD_AES_256_GCM with the APIv3 key (notifications, the certificate download).
//!
//! The expected ciphertexts were made independently of wxpay with pyca/cryptography:
//! `base64(AESGCM(APIV3_KEY).encrypt(nonce, plaintext, associated_data))`.

mod common;

use common::*;
use wxpay_core::{ApiV3Key, EncryptedResource, Error, aead};

const NONCE12: &str = "fixtureNonc1";
const PLAINTEXT: &str = r#"{"mchid":"1900000001","out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},"amount":{"total":100,"currency":"CNY"},"attach":"深圳分店"}"#;
const CIPHERTEXT: &str = "JiNGzJUK3NX+k8DLw/mCbOSn5y2Oqk73vj3Y+ifRUfHVsZtQhFyJSgWhVz14T4w6aVZva1qVwHcYMsfhnSSQyaDDpOssvHh7lkRe+Bg1/lwQ343mRoXtEOECyzmiVxoTTfnLZq9NlThnlEAqXzmzrgFxEwWJYN8x8+aO1FnH6BM9slQQQlOfJ/RbBTtuDvEKcb4orJNRP21gTP/NdJfO61U2atKZp6/gbLZTQs8cM5EkWg/K4QonplU9gSjuKL7QAXobWiXESeCRtlGxw6vcTLXO+0oGag0FYo/z4Yu0";
/// Empty plaintext and AAD: the tag alone.
const EMPTY_CIPHERTEXT: &str = "8B24c2iuunvtD7pm/F2Img==";
/// `hello`, nonce `abcdefghijkl`, AAD `certificate` / empty.
const HELLO_CERTIFICATE: &str = "vAKcCMW5I7lFsSR7XdSCseesAhR5";
const HELLO_NO_AAD: &str = "vAKcCMU4bk/EHTiDzUr+8Bbm/XhT";

const AUTH_FAILED: &str =
    "decoding: AES-GCM authentication failed (wrong APIv3 key or tampered resource)";

fn key() -> ApiV3Key {
    ApiV3Key::new(APIV3_KEY).unwrap()
}

fn decode_message(result: Result<Vec<u8>, Error>) -> String {
    match result {
        Err(e @ Error::Decode { .. }) => e.to_string(),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[test]
fn decrypts_the_independent_vectors() {
    assert_eq!(
        aead::decrypt(&key(), NONCE12, "transaction", CIPHERTEXT).unwrap(),
        PLAINTEXT.as_bytes()
    );
    assert_eq!(
        aead::decrypt(&key(), NONCE12, "", EMPTY_CIPHERTEXT).unwrap(),
        b""
    );
    assert_eq!(
        aead::decrypt(&key(), "abcdefghijkl", "certificate", HELLO_CERTIFICATE).unwrap(),
        b"hello"
    );
    assert_eq!(
        aead::decrypt(&key(), "abcdefghijkl", "", HELLO_NO_AAD).unwrap(),
        b"hello"
    );
}

#[test]
fn encrypts_to_the_independent_vectors() {
    assert_eq!(
        aead::encrypt(&key(), NONCE12, "transaction", PLAINTEXT.as_bytes()).unwrap(),
        CIPHERTEXT
    );
    assert_eq!(
        aead::encrypt(&key(), NONCE12, "", b"").unwrap(),
        EMPTY_CIPHERTEXT
    );
    assert_eq!(
        aead::encrypt(&key(), "abcdefghijkl", "certificate", b"hello").unwrap(),
        HELLO_CERTIFICATE
    );
}

#[test]
fn ciphertext_with_surrounding_whitespace() {
    assert_eq!(
        aead::decrypt(&key(), "abcdefghijkl", "", &format!(" {HELLO_NO_AAD}\n")).unwrap(),
        b"hello"
    );
}

#[test]
fn bad_tag() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut bytes = b64.decode(HELLO_CERTIFICATE).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert_eq!(
        decode_message(aead::decrypt(
            &key(),
            "abcdefghijkl",
            "certificate",
            &b64.encode(&bytes)
        )),
        AUTH_FAILED
    );
    // A flipped ciphertext byte fails the tag too.
    let mut bytes = b64.decode(HELLO_CERTIFICATE).unwrap();
    bytes[0] ^= 1;
    assert_eq!(
        decode_message(aead::decrypt(
            &key(),
            "abcdefghijkl",
            "certificate",
            &b64.encode(&bytes)
        )),
        AUTH_FAILED
    );
    // The tag cut off.
    let bytes = b64.decode(CIPHERTEXT).unwrap();
    assert_eq!(
        decode_message(aead::decrypt(
            &key(),
            NONCE12,
            "transaction",
            &b64.encode(&bytes[..bytes.len() - 16])
        )),
        AUTH_FAILED
    );
}

#[test]
fn shorter_than_a_tag() {
    for short in ["", "AA==", "AAAAAAAAAAAAAAAAAAAA"] {
        assert_eq!(
            decode_message(aead::decrypt(&key(), NONCE12, "", short)),
            "decoding: AES-GCM ciphertext is shorter than its 16-byte tag",
            "{short:?}"
        );
    }
}

#[test]
fn wrong_key_aad_or_nonce() {
    let other = ApiV3Key::new("fixtureApiV3Key-0123456789ABCDEf").unwrap();
    assert_eq!(
        decode_message(aead::decrypt(&other, NONCE12, "transaction", CIPHERTEXT)),
        AUTH_FAILED
    );
    assert_eq!(
        decode_message(aead::decrypt(&key(), NONCE12, "transactions", CIPHERTEXT)),
        AUTH_FAILED
    );
    assert_eq!(
        decode_message(aead::decrypt(&key(), NONCE12, "", CIPHERTEXT)),
        AUTH_FAILED
    );
    assert_eq!(
        decode_message(aead::decrypt(
            &key(),
            "fixtureNonc2",
            "transaction",
            CIPHERTEXT
        )),
        AUTH_FAILED
    );
}

#[test]
fn nonce_must_be_12_bytes() {
    for (nonce, len) in [
        ("", 0),
        ("fixtureNonc", 11),
        ("fixtureNonce1", 13),
        ("0123456789abcdef", 16),
        ("随机数随机数", 18),
    ] {
        assert_eq!(
            decode_message(aead::decrypt(&key(), nonce, "", CIPHERTEXT)),
            format!("decoding: AES-GCM nonce must be 12 bytes, got {len}")
        );
    }
    match aead::encrypt(&key(), "short", "", b"x") {
        Err(Error::Encode(reason)) => assert_eq!(reason, "AES-GCM nonce must be 12 bytes, got 5"),
        Err(e) => panic!("expected Error::Encode, got {e:?}"),
        Ok(c) => panic!("encrypted with a 5-byte nonce: {c}"),
    }
}

#[test]
fn bad_base64() {
    for bad in [
        "not base64!",
        "vAKcCMW5I7lFsSR7XdSCseesAhR",
        "vAKc-MW5I7lF_SR7XdSCseesAhR5",
        "vAKc\nCMW5",
    ] {
        assert_eq!(
            decode_message(aead::decrypt(&key(), "abcdefghijkl", "certificate", bad)),
            "decoding: AES-GCM ciphertext is not valid base64",
            "{bad:?}"
        );
    }
}

fn resource(algorithm: &str, associated_data: Option<&str>) -> EncryptedResource {
    EncryptedResource {
        algorithm: algorithm.into(),
        ciphertext: HELLO_CERTIFICATE.into(),
        associated_data: associated_data.map(str::to_string),
        nonce: "abcdefghijkl".into(),
        original_type: None,
    }
}

#[test]
fn encrypted_resource_decrypts() {
    assert_eq!(
        resource("AEAD_AES_256_GCM", Some("certificate"))
            .decrypt(&key())
            .unwrap(),
        b"hello"
    );
    // Absent associated data means empty.
    let mut r = resource("AEAD_AES_256_GCM", None);
    r.ciphertext = HELLO_NO_AAD.into();
    assert_eq!(r.decrypt(&key()).unwrap(), b"hello");
}

#[test]
fn algorithm_must_be_aead_aes_256_gcm() {
    for algorithm in [
        "AEAD_AES_128_GCM",
        "aead_aes_256_gcm",
        "",
        "AEAD_SM4_GCM",
        "AEAD_AES_256_GCM ",
    ] {
        assert_eq!(
            decode_message(resource(algorithm, Some("certificate")).decrypt(&key())),
            format!(
                "decoding: unsupported resource algorithm {algorithm:?} (expected AEAD_AES_256_GCM)"
            )
        );
    }
}

#[test]
fn encrypted_resource_json_shape() {
    let json = r#"{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"vAKcCMU4bk/EHTiDzUr+8Bbm/XhT","nonce":"abcdefghijkl"}"#;
    let r: EncryptedResource = serde_json::from_str(json).unwrap();
    assert_eq!(
        r,
        EncryptedResource {
            algorithm: "AEAD_AES_256_GCM".into(),
            ciphertext: HELLO_NO_AAD.into(),
            associated_data: None,
            nonce: "abcdefghijkl".into(),
            original_type: Some("transaction".into()),
        }
    );
    assert_eq!(r.decrypt(&key()).unwrap(), b"hello");
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"algorithm":"AEAD_AES_256_GCM","ciphertext":"vAKcCMU4bk/EHTiDzUr+8Bbm/XhT","nonce":"abcdefghijkl","original_type":"transaction"}"#
    );
}
