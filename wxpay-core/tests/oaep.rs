//! RSAES-OAEP (SHA-1, MGF1-SHA-1, empty label) of `#[encrypted]` fields.
//!
//! The ciphertexts below were made once with
//! `openssl pkeyutl -encrypt -pubin -inkey merchant_public_key.pem -pkeyopt rsa_padding_mode:…`;
//! decryption is deterministic, so they are fixed expected values. tests/openssl.rs cross-checks
//! fresh ciphertexts both ways.

mod common;

use base64::Engine as _;
use common::*;
use wxpay_core::{
    ConfigError, Error, KeyStore, PlatformCertificate, RsaPublicKey, WechatPayPublicKey,
};

/// OAEP-SHA1 of `plaintext` under the merchant public key.
const OAEP_SHA1_PLAINTEXT: &str = "b8g1NduGcxoxvGtDf/zEijcfAocwe8fAHEO3BhOnWW6qduOSIeYDNAPEKmNiYbdkhf/riQgdD395/OFfn1hhSHPOWALIWj/tovhI2DQQkJJOxubfAeYpjdT9ZuiyXONUi9od0hzlNPiATCkRhlKteBTCd5607JDYF6A6+UlOFHiP3qAH1oQSvTKnFE39+c912oN1IOGRBRRqdVIGA20+M/UZQ5M/L3mHV6XyT1lCmiGraOYXCTfjs/B42uk139aSVyqsVvEMUAeW5tgvR4pAlcO2kwdOImB0Ojss7pRKOEIhOuUMR1YMQIV6hcxDlCE0XDtqhrSN4nvzVerK7I2D0w==";
/// OAEP-SHA256 (MGF1-SHA256) of `plaintext`: not what WeChat Pay uses.
const OAEP_SHA256_PLAINTEXT: &str = "myk0TDNU75Fw5sTUet9Vx2S+R5+TThSn4VOLldYu0aJDm/HJF931cFM3Y6yEjNlV/qODp0yVKi5NFElxdJAdzUsjtvw7qj4CxDfpR8l2htB5tfApQjwXYH5iAmG7eUEgHKFq8fx1boRqyVyEI9mOfS1uDp5dl6AS71uOwNN23+/GTAbpr/vVgfoA3IvGnm4H8V0ofm7GJ9cuLM35OhNtn/Y1znzrlRNHkfotJSpHRxHirITxY07/J+4tzYGjK/KLGr/K/mUE1ViK5qn1QyZidVAHD/As8WAk/P0fMcbETTPXrcFgHx0w/4kbULn1fJgPOAS0Vn1r6BAIGatA7BTwaQ==";
/// PKCS#1 v1.5 of `plaintext`: wxpay offers no v1.5 decryption.
const PKCS1V15_PLAINTEXT: &str = "Uf6vMaRo4ZPYmwSXOH1aWXV4tUWuS8UwHkrWBzdCcD7B4yBx6AqjycgLFbbY7Rnmx5tJ8gMqNwizzGJngNRS2ZVe0xKK3pw0HofZ1zUNVM3yPYeI/0SRzncV/v0HRYCGMm0bwHUsipRLx6Tx32fNX7o1vyT8gcDV+68ys024wSb4vFXuK/TMVUwWZOd794EdJm4OCybU/tkG3+ge9GyFMKWLnKcKp40FnSWHnLVIyMlNFnoYHxhFyYBFHtWwXZIz8iBoxUVsnFH7DNXbzXg1i5VgiAH8XlX+juxy84Piv33JmuAgyRV3trRxVEgPREUQ//uPOjEBXkRkPB7UIElQuA==";
/// OAEP-SHA1 of the bytes FF FE 00 `bad`: not UTF-8.
const OAEP_SHA1_NOT_UTF8: &str = "E1s9U/MHGLMtU9zD0zrzJqsQy2EHFJ3MMOi3O2CE3ZfcYmuYDDe1lGmdGqYjfNh67LW+VdRU6tHQN+/Ze/T4C0vQ+puZd486wfqYI5MBWii/BXwgCQ5MCh+s9dFAfxyWfDflvlQWaElBMigc3iIKCCsSzbvPpf1PXl7z694Gx/vgmNejT8up1rqTI4aWf6Lf9rZ8ti1TASv51stM1yGOM+uLMNJwDLvRv+utDCUJ135uSQ9PI2oWLx3XMBLHyTHPHMsE/MKRmbbSR4WtkRQsqqis4/71sRzIf6uWYCU2xXucFyt697KOYVoizlECdZzHPh1Ligt7Czb3bZSPDMoa2w==";
/// OAEP-SHA1 of `身份证号 110101199003077777`.
const OAEP_SHA1_CHINESE: &str = "U9DYzm3+JNTga8XlZ0FTUo5dg4KsgY7QeyCAJMqlcLWbKJsLZu+VBD6n85dSg7ULsaqWamtaydV2hsZkVbEYW/4LHLjbfB5rMHvXb8iHGzcPeYMAaqpXdmnc05YRxw3i8kLZAWIcC/+X0+xuecyjPzAI4FBKp5k9BmxOVWZjgWKNR8dOAY6xWBkp/ByuxMoDWQhWgAnyW/tJbR5p92/3Ulmtz7nmV6BmS5St1GVZIFZyUre3PzXnRXz3evReJSpKLvxKKG8yO7XPOXvJyF8Y0IbQAP2SfnnABNBHtIEY6RWc2p198JbLoAKEhNUs7VLbdYvsJhUFwLVtzqPoNxbnnA==";

const DOES_NOT_DECRYPT: &str = "encrypted field does not decrypt with the merchant private key";

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn decode_err(result: Result<String, Error>) -> String {
    match result {
        Err(Error::Decode {
            message: reason, ..
        }) => reason,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

fn wechatpay_public_key() -> WechatPayPublicKey {
    WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap()
}

#[test]
fn decrypts_openssl_oaep_sha1() {
    let key = merchant_key();
    assert_eq!(key.decrypt(OAEP_SHA1_PLAINTEXT).unwrap(), "plaintext");
    assert_eq!(
        key.decrypt(OAEP_SHA1_CHINESE).unwrap(),
        "身份证号 110101199003077777"
    );
}

#[test]
fn oaep_sha256_and_pkcs1v15_do_not_decrypt() {
    let key = merchant_key();
    assert_eq!(
        decode_err(key.decrypt(OAEP_SHA256_PLAINTEXT)),
        DOES_NOT_DECRYPT
    );
    assert_eq!(
        decode_err(key.decrypt(PKCS1V15_PLAINTEXT)),
        DOES_NOT_DECRYPT
    );
}

#[test]
fn ciphertext_for_another_key_does_not_decrypt() {
    assert_eq!(
        decode_err(wechatpay_signer().decrypt(OAEP_SHA1_PLAINTEXT)),
        DOES_NOT_DECRYPT
    );
}

#[test]
fn decrypted_bytes_must_be_utf8() {
    assert_eq!(
        decode_err(merchant_key().decrypt(OAEP_SHA1_NOT_UTF8)),
        "decrypted field is not UTF-8"
    );
}

#[test]
fn bad_base64_ciphertext() {
    for bad in ["", "%%%", "b8g1NduGcxoxvGtDf_zEijcf", "b8g1NduG=cxo"] {
        let got = merchant_key().decrypt(bad);
        let expected = if bad.is_empty() {
            "encrypted field has 0 bytes, expected 256"
        } else {
            "encrypted field is not valid base64"
        };
        assert_eq!(decode_err(got), expected, "{bad:?}");
    }
}

#[test]
fn ciphertext_of_the_wrong_length() {
    let bytes = b64().decode(OAEP_SHA1_PLAINTEXT).unwrap();
    assert_eq!(
        decode_err(merchant_key().decrypt(&b64().encode(&bytes[..255]))),
        "encrypted field has 255 bytes, expected 256"
    );
    assert_eq!(
        decode_err(merchant_key().decrypt(&b64().encode([bytes.as_slice(), &[0]].concat()))),
        "encrypted field has 257 bytes, expected 256"
    );
    // 256 bytes, larger than the modulus.
    assert_eq!(
        decode_err(merchant_key().decrypt(&b64().encode([0xffu8; 256]))),
        DOES_NOT_DECRYPT
    );
    // 256 zero bytes.
    assert_eq!(
        decode_err(merchant_key().decrypt(&b64().encode([0u8; 256]))),
        DOES_NOT_DECRYPT
    );
    // A flipped byte.
    let mut flipped = bytes.clone();
    flipped[100] ^= 0x01;
    assert_eq!(
        decode_err(merchant_key().decrypt(&b64().encode(&flipped))),
        DOES_NOT_DECRYPT
    );
}

#[test]
fn ciphertext_with_surrounding_whitespace_decrypts() {
    assert_eq!(
        merchant_key()
            .decrypt(&format!("  {OAEP_SHA1_PLAINTEXT}\n"))
            .unwrap(),
        "plaintext"
    );
}

#[test]
fn encryption_round_trip_with_the_wechatpay_key() {
    let key = wechatpay_public_key();
    let wechatpay = wechatpay_signer();
    for plain in ["张三", "", "110101199003077777", "a\"b\\c\nd"] {
        let cipher = key.encrypt(plain).unwrap();
        assert_eq!(cipher.len(), 344, "standard base64 of 256 bytes, padded");
        assert!(cipher.ends_with('='));
        assert_eq!(b64().decode(&cipher).unwrap().len(), 256);
        assert_eq!(wechatpay.decrypt(&cipher).unwrap(), plain);
        // Only the WeChat Pay key opens it.
        assert_eq!(
            decode_err(merchant_key().decrypt(&cipher)),
            DOES_NOT_DECRYPT
        );
    }
}

#[test]
fn encryption_is_randomized() {
    let key = wechatpay_public_key();
    assert_ne!(key.encrypt("张三").unwrap(), key.encrypt("张三").unwrap());
}

#[test]
fn at_most_214_bytes() {
    let key = wechatpay_public_key();
    let max = "x".repeat(214);
    assert_eq!(
        wechatpay_signer()
            .decrypt(&key.encrypt(&max).unwrap())
            .unwrap(),
        max
    );
    match key.encrypt(&"x".repeat(215)) {
        Err(Error::Encode(reason)) => assert_eq!(
            reason,
            "an #[encrypted] value has 215 bytes; RSA-OAEP allows at most 214"
        ),
        other => panic!("{other:?}"),
    }
    // Bytes, not characters: 72 three-byte characters are 216 bytes.
    match key.encrypt(&"张".repeat(72)) {
        Err(Error::Encode(reason)) => assert_eq!(
            reason,
            "an #[encrypted] value has 216 bytes; RSA-OAEP allows at most 214"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rsa_public_key_encrypts_for_the_merchant() {
    // What the sandbox does to encrypt answer fields under the merchant public key.
    let merchant_public = RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    let cipher = merchant_public.encrypt("plaintext").unwrap();
    assert_eq!(merchant_key().decrypt(&cipher).unwrap(), "plaintext");
    let derived = merchant_key().public_key().encrypt("plaintext").unwrap();
    assert_eq!(merchant_key().decrypt(&derived).unwrap(), "plaintext");
}

#[test]
fn field_encryptor_prefers_the_public_key() {
    let mut keys = KeyStore::new();
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_PEM).unwrap());
    keys.set_public_key(wechatpay_public_key());
    let enc = keys.encryptor(NOW).unwrap();
    assert_eq!(enc.id(), PUB_KEY_ID);
    assert_eq!(
        wechatpay_signer()
            .decrypt(&enc.encrypt("张三").unwrap())
            .unwrap(),
        "张三"
    );
}

#[test]
fn field_encryptor_uses_a_valid_certificate() {
    let mut keys = KeyStore::new();
    for pem in [
        PLATFORM_CERT_EXPIRED_PEM,
        PLATFORM_CERT_PEM,
        PLATFORM_CERT_FUTURE_PEM,
    ] {
        keys.add_certificate(PlatformCertificate::new(pem).unwrap());
    }
    assert_eq!(keys.encryptor(NOW).unwrap().id(), PLATFORM_SERIAL);
    assert_eq!(keys.encryptor(1_546_300_800).unwrap().id(), EXPIRED_SERIAL); // 2019
    assert_eq!(keys.encryptor(2_240_611_200).unwrap().id(), FUTURE_SERIAL); // 2041
    assert_eq!(keys.encryptor(Y2034).unwrap().id(), PLATFORM_SERIAL); // its last second
    let enc = keys.encryptor(NOW).unwrap();
    assert_eq!(
        wechatpay_signer()
            .decrypt(&enc.encrypt("张三").unwrap())
            .unwrap(),
        "张三"
    );
}

#[test]
fn field_encryptor_picks_the_newest_valid_certificate() {
    // Rotation: 2024-01-01 .. 2034 and 2024-06-01 .. 2029 overlap; the newer one encrypts,
    // whatever the order they were added in.
    for order in [
        [PLATFORM_CERT_PEM, PLATFORM_CERT_ROTATED_PEM],
        [PLATFORM_CERT_ROTATED_PEM, PLATFORM_CERT_PEM],
    ] {
        let mut keys = KeyStore::new();
        for pem in order {
            keys.add_certificate(PlatformCertificate::new(pem).unwrap());
        }
        assert_eq!(keys.encryptor(NOW).unwrap().id(), ROTATED_SERIAL);
        // Before the rotated one starts, and after it ends: the older one.
        assert_eq!(keys.encryptor(1_709_251_200).unwrap().id(), PLATFORM_SERIAL); // 2024-03-01
        assert_eq!(keys.encryptor(1_893_456_000).unwrap().id(), PLATFORM_SERIAL); // 2030-01-01
    }
}

#[test]
fn field_encryptor_without_a_usable_key() {
    let missing = ConfigError::Missing("a WeChat Pay public key or a valid platform certificate");
    match KeyStore::new().encryptor(NOW) {
        Err(Error::Config(e)) => assert_eq!(e, missing),
        other => panic!("{other:?}"),
    }
    let mut keys = KeyStore::new();
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_EXPIRED_PEM).unwrap());
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_FUTURE_PEM).unwrap());
    match keys.encryptor(NOW) {
        Err(Error::Config(e)) => assert_eq!(e, missing),
        other => panic!("{other:?}"),
    }
}
