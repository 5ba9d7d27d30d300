//! Reading keys and certificates: every accepted form, and every wrong input with the error it
//! gets.

mod common;

use common::*;
use wxpay_core::{
    ApiV3Key, ConfigError, Error, MerchantKey, PlatformCertificate, RsaPublicKey,
    WechatPayPublicKey,
};

/// The signature of `GET /v3/certificates` at 1735689600 with [`NONCE`], made by
/// `openssl dgst -sha256 -sign merchant_key.pem`.
const SIGNATURE: &str = "Y6qLbRuNhzVQy4rJnozSDu+3FDWxAD2in8OJHTwMaXk74N2EgL5egtple5d1RCl4oTC9pc2zws3W6YNgu2kHLacniQIr0/9cuvJNch8ftzAKckQ019n/CRh46NVIHbLflvNRlfUXJhQHCB4gMXu0in8uCanI2q6+tjgsVqF2M89y5jjFNe6rSSD680duzbX0ro3R0U2ATHlUooHm4VTfYo/txiTqgfw7gdmoj/GaSJkoPrfHGjt7RpvIFhFQDjQjsUMpaiGTW3EuOD9/vOw3CMFfyy+McESzZh9d9X0MhvyxJP0PkIugCsRywOzHO9Z132HrW0+dxc8mRu8YW31CKg==";
const MESSAGE: &[u8] = b"GET\n/v3/certificates\n1735689600\nk2Vq8XbN0cR7tYh4LmP1sW9zD3fG6jA5\n\n";

fn private_err(input: impl AsRef<[u8]>) -> ConfigError {
    match MerchantKey::new(MERCHANT_SERIAL, input) {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

fn public_err(input: impl AsRef<[u8]>) -> ConfigError {
    match WechatPayPublicKey::new(PUB_KEY_ID, input) {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

fn cert_err(input: impl AsRef<[u8]>) -> ConfigError {
    match PlatformCertificate::new(input) {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

fn invalid_private(reason: &str) -> ConfigError {
    ConfigError::InvalidPrivateKey(reason.to_string())
}

fn invalid_public(reason: &str) -> ConfigError {
    ConfigError::InvalidPublicKey(reason.to_string())
}

// ---------------------------------------------------------------- merchant key, accepted forms

#[test]
fn merchant_key_every_accepted_form_signs_identically() {
    let forms: [(&str, &[u8]); 6] = [
        ("PKCS#8 PEM", MERCHANT_KEY_PEM.as_bytes()),
        ("PKCS#1 PEM", MERCHANT_KEY_PKCS1_PEM.as_bytes()),
        ("PKCS#8 DER", MERCHANT_KEY_DER),
        ("PKCS#1 DER", MERCHANT_KEY_PKCS1_DER),
        ("PKCS#8 bare base64", MERCHANT_KEY_B64.as_bytes()),
        ("PKCS#1 bare base64", MERCHANT_KEY_PKCS1_B64.as_bytes()),
    ];
    for (what, input) in forms {
        let key =
            MerchantKey::new(MERCHANT_SERIAL, input).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(key.serial(), MERCHANT_SERIAL, "{what}");
        assert_eq!(key.sign(MESSAGE).unwrap(), SIGNATURE, "{what}");
    }
}

#[test]
fn merchant_key_pem_pasted_with_crlf_and_surrounding_text() {
    let crlf = MERCHANT_KEY_PEM.replace('\n', "\r\n");
    let pasted = format!("apiclient_key.pem:\n\n{crlf}\n\n-- end of file --\n");
    let key = MerchantKey::new(MERCHANT_SERIAL, &pasted).unwrap();
    assert_eq!(key.sign(MESSAGE).unwrap(), SIGNATURE);
    // Leading blank lines.
    let key = MerchantKey::new(MERCHANT_SERIAL, format!("\n\n  {MERCHANT_KEY_PEM}")).unwrap();
    assert_eq!(key.sign(MESSAGE).unwrap(), SIGNATURE);
}

#[test]
fn merchant_key_from_openssl_pkcs12_output_with_bag_attributes() {
    // What `openssl pkcs12 -in apiclient_cert.p12 -nodes -nocerts` prints.
    let text = format!(
        "Bag Attributes\n    friendlyName: Tenpay Certificate\n    localKeyID: 01 00 00 00 \nKey Attributes: <No Attributes>\n{MERCHANT_KEY_PEM}"
    );
    let key = MerchantKey::new(MERCHANT_SERIAL, text).unwrap();
    assert_eq!(key.sign(MESSAGE).unwrap(), SIGNATURE);
}

#[test]
fn merchant_key_base64_broken_into_lines() {
    let lines: Vec<&str> = MERCHANT_KEY_B64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let key = MerchantKey::new(MERCHANT_SERIAL, lines.join("\r\n")).unwrap();
    assert_eq!(key.sign(MESSAGE).unwrap(), SIGNATURE);
}

#[test]
fn merchant_key_takes_str_string_and_bytes() {
    let pem_string: String = MERCHANT_KEY_PEM.into();
    let pem_bytes: Vec<u8> = MERCHANT_KEY_PEM.into();
    let a = MerchantKey::new(MERCHANT_SERIAL, MERCHANT_KEY_PEM).unwrap();
    let b = MerchantKey::new(String::from(MERCHANT_SERIAL), pem_string).unwrap();
    let c = MerchantKey::new(MERCHANT_SERIAL, pem_bytes).unwrap();
    for key in [a, b, c] {
        assert_eq!(key.sign(MESSAGE).unwrap(), SIGNATURE);
    }
}

// ----------------------------------------------------------------- merchant key, bad inputs

#[test]
fn merchant_key_empty_input() {
    assert_eq!(private_err(""), invalid_private("empty input"));
    assert_eq!(private_err(" \r\n\t"), invalid_private("empty input"));
}

#[test]
fn merchant_key_garbage() {
    assert_eq!(
        private_err("not a key at all!"),
        invalid_private("neither PEM, DER nor base64")
    );
    assert_eq!(
        private_err([0xff, 0xfe, 0x00, 0x01]),
        invalid_private("neither PEM, DER nor base64")
    );
    // Valid base64 of something that is not a key.
    assert_eq!(
        private_err("aGVsbG8gd29ybGQ="),
        invalid_private("not a PKCS#8 or PKCS#1 RSA private key")
    );
    // DER that starts like a SEQUENCE but is not one.
    assert_eq!(
        private_err([0x30, 0x82, 0xff, 0xff, 0x02]),
        invalid_private("not a PKCS#8 or PKCS#1 RSA private key")
    );
}

#[test]
fn merchant_key_truncated_pem() {
    let half = &MERCHANT_KEY_PEM[..MERCHANT_KEY_PEM.len() / 2];
    assert_eq!(private_err(half), invalid_private("not valid PEM"));
    // The END line is there, but lines of the body are missing: the DER is cut short.
    let mut lines: Vec<&str> = MERCHANT_KEY_PEM.lines().collect();
    lines.drain(5..10);
    assert_eq!(
        private_err(lines.join("\n")),
        invalid_private("not a valid PKCS#8 private key")
    );
    let mut lines: Vec<&str> = MERCHANT_KEY_PKCS1_PEM.lines().collect();
    lines.drain(5..10);
    assert_eq!(
        private_err(lines.join("\n")),
        invalid_private("not a valid PKCS#1 RSA private key")
    );
}

#[test]
fn merchant_key_truncated_der_and_base64() {
    assert_eq!(
        private_err(&MERCHANT_KEY_DER[..600]),
        invalid_private("not a PKCS#8 or PKCS#1 RSA private key")
    );
    assert_eq!(
        private_err(&MERCHANT_KEY_B64[..800]),
        invalid_private("not a PKCS#8 or PKCS#1 RSA private key")
    );
    // Cut inside a base64 quantum: not base64 any more.
    assert_eq!(
        private_err(&MERCHANT_KEY_B64[..801]),
        invalid_private("neither PEM, DER nor base64")
    );
}

#[test]
fn merchant_key_pem_with_bad_base64_body() {
    let bad = MERCHANT_KEY_PEM.replacen("MII", "M!I", 1);
    assert_eq!(private_err(bad), invalid_private("not valid PEM"));
}

#[test]
fn merchant_key_degenerate_pem_markers_do_not_panic() {
    for input in [
        "-----BEGIN PRIVATE KEY-----END PRIVATE KEY-----",
        "-----BEGIN -----END -----",
        "-----BEGIN ",
        "-----BEGIN PRIVATE KEY",
        "-----BEGIN PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\nMIIE\n",
        "-----BEGIN X-----END X-----",
        "text -----BEGIN PRIVATE KEY-----\n\u{fffd}\n-----END PRIVATE KEY-----",
    ] {
        assert_eq!(
            private_err(input),
            invalid_private("not valid PEM"),
            "{input:?}"
        );
    }
    assert_eq!(
        private_err("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"),
        invalid_private("not a valid PKCS#8 private key")
    );
    assert_eq!(
        private_err("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----"),
        invalid_private("not a valid PKCS#1 RSA private key")
    );
}

#[test]
fn certificate_given_as_merchant_key() {
    assert_eq!(
        private_err(MERCHANT_CERT_PEM),
        ConfigError::WrongKeyKind {
            expected: "a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
            found: "BEGIN CERTIFICATE".into(),
        }
    );
    assert_eq!(
        private_err(PLATFORM_CERT_DER),
        ConfigError::WrongKeyKind {
            expected: "a private key",
            found: "a certificate".into(),
        }
    );
}

#[test]
fn public_key_given_as_merchant_key() {
    assert_eq!(
        private_err(MERCHANT_PUBLIC_KEY_PEM),
        ConfigError::WrongKeyKind {
            expected: "a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
            found: "BEGIN PUBLIC KEY".into(),
        }
    );
    assert_eq!(
        private_err(WECHATPAY_PUBLIC_KEY_PKCS1_PEM),
        ConfigError::WrongKeyKind {
            expected: "a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
            found: "BEGIN RSA PUBLIC KEY".into(),
        }
    );
    let wrong = ConfigError::WrongKeyKind {
        expected: "a private key",
        found: "a public key".into(),
    };
    assert_eq!(private_err(WECHATPAY_PUBLIC_KEY_DER), wrong);
    assert_eq!(private_err(WECHATPAY_PUBLIC_KEY_B64), wrong);
}

#[test]
fn ec_key_given_as_merchant_key() {
    let not_rsa = ConfigError::NotRsa("the merchant private key");
    assert_eq!(private_err(EC_KEY_PEM), not_rsa);
    assert_eq!(private_err(EC_KEY_SEC1_PEM), not_rsa);
    assert_eq!(private_err(EC_KEY_DER), not_rsa);
    // SEC1 DER has no algorithm identifier to read: it is reported as unreadable.
    assert_eq!(
        private_err(EC_KEY_SEC1_DER),
        invalid_private("not a PKCS#8 or PKCS#1 RSA private key")
    );
}

#[test]
fn rsa_1024_merchant_key_is_too_small() {
    assert_eq!(
        private_err(RSA1024_KEY_PEM),
        ConfigError::KeyTooSmall {
            what: "merchant private key",
            bits: 1024,
        }
    );
}

#[test]
fn encrypted_merchant_keys_are_refused() {
    assert_eq!(
        private_err(MERCHANT_KEY_ENCRYPTED_PEM),
        invalid_private("encrypted PKCS#8 keys are not supported; decrypt it with openssl first")
    );
    assert_eq!(
        private_err(MERCHANT_KEY_PKCS1_ENCRYPTED_PEM),
        invalid_private("encrypted PEM keys are not supported; decrypt it with openssl first")
    );
}

const SERIAL_REASON: &str =
    "a merchant serial is the API certificate's serial number: 1 to 40 hex digits";
const KEY_ID_REASON: &str = "a WeChat Pay key id is PUB_KEY_ID_ followed by letters and digits, or a certificate serial (1 to 40 hex digits)";

#[test]
fn merchant_serial_is_checked() {
    // A merchant serial is the serial of the merchant API certificate: hex, at most 40 digits
    // (20 bytes, RFC 5280). The refused value is never quoted, only its length.
    for serial in [
        "",
        "5F1C72E2 A8931B72",
        "5F1C\"",
        "5F1C,",
        "序列号",
        // An APIv3 key pasted in the wrong place: 32 letters and digits, not hex.
        "0123456789abcdefghijklmnopqrstuv",
        // A WeChat Pay key id in the wrong place.
        "PUB_KEY_ID_0114232134912410000000000000",
        // 41 hex digits.
        "5F1C72E2A8931B72A2E13AF8DEE92471EB3971150",
    ] {
        match MerchantKey::new(serial, MERCHANT_KEY_PEM) {
            Err(Error::Config(e)) => {
                assert_eq!(
                    e,
                    ConfigError::InvalidId {
                        what: "merchant serial",
                        value: format!("<{} characters, not shown>", serial.chars().count()),
                        reason: SERIAL_REASON,
                    }
                );
                if !serial.is_empty() {
                    assert!(!e.to_string().contains(serial), "{e}");
                    assert!(!format!("{e:?}").contains(serial), "{e:?}");
                }
            }
            other => panic!("{serial:?}: {other:?}"),
        }
    }
    for serial in [
        "1",
        "5f1c72e2a8931b72a2e13af8dee92471eb397115",
        MERCHANT_SERIAL,
    ] {
        assert_eq!(
            MerchantKey::new(serial, MERCHANT_KEY_PEM).unwrap().serial(),
            serial
        );
    }
}

#[test]
fn key_given_as_the_serial_is_not_quoted() {
    // Arguments swapped: the error names the mistake without quoting the key.
    match MerchantKey::new(MERCHANT_KEY_PEM, MERCHANT_SERIAL) {
        Err(Error::Config(e)) => assert_eq!(
            e,
            ConfigError::InvalidId {
                what: "merchant serial",
                value: format!("<{} characters, not shown>", MERCHANT_KEY_PEM.len()),
                reason: SERIAL_REASON,
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn wechatpay_public_key_every_accepted_form_verifies() {
    let signature = wechatpay_signer().sign(MESSAGE).unwrap();
    let forms: [(&str, &[u8]); 4] = [
        ("SPKI PEM", WECHATPAY_PUBLIC_KEY_PEM.as_bytes()),
        ("PKCS#1 PEM", WECHATPAY_PUBLIC_KEY_PKCS1_PEM.as_bytes()),
        ("SPKI DER", WECHATPAY_PUBLIC_KEY_DER),
        ("SPKI bare base64", WECHATPAY_PUBLIC_KEY_B64.as_bytes()),
    ];
    for (what, input) in forms {
        let key =
            WechatPayPublicKey::new(PUB_KEY_ID, input).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(key.id(), PUB_KEY_ID);
        assert!(key.verify(MESSAGE, &signature), "{what}");
        assert!(!key.verify(b"another message", &signature), "{what}");
    }
}

#[test]
fn wechatpay_public_key_bad_inputs() {
    assert_eq!(public_err(""), invalid_public("empty input"));
    assert_eq!(
        public_err("%%% not a key %%%"),
        invalid_public("neither PEM, DER nor base64")
    );
    assert_eq!(
        public_err(&WECHATPAY_PUBLIC_KEY_PEM[..200]),
        invalid_public("not valid PEM")
    );
    assert_eq!(
        public_err(&WECHATPAY_PUBLIC_KEY_DER[..100]),
        invalid_public("not a valid SubjectPublicKeyInfo")
    );
    let mut lines: Vec<&str> = WECHATPAY_PUBLIC_KEY_PKCS1_PEM.lines().collect();
    lines.drain(2..4);
    assert_eq!(
        public_err(lines.join("\n")),
        invalid_public("not a valid PKCS#1 RSA public key")
    );
}

#[test]
fn certificate_given_as_wechatpay_public_key() {
    assert_eq!(
        public_err(PLATFORM_CERT_PEM),
        ConfigError::WrongKeyKind {
            expected: "a public key (BEGIN PUBLIC KEY); give certificates to platform_certificate",
            found: "BEGIN CERTIFICATE".into(),
        }
    );
}

#[test]
fn private_key_given_as_wechatpay_public_key() {
    for (pem, label) in [
        (WECHATPAY_KEY_PEM, "BEGIN PRIVATE KEY"),
        (MERCHANT_KEY_PKCS1_PEM, "BEGIN RSA PRIVATE KEY"),
        (MERCHANT_KEY_ENCRYPTED_PEM, "BEGIN ENCRYPTED PRIVATE KEY"),
        (EC_KEY_SEC1_PEM, "BEGIN EC PRIVATE KEY"),
    ] {
        assert_eq!(
            public_err(pem),
            ConfigError::WrongKeyKind {
                expected: "the WeChat Pay public key (BEGIN PUBLIC KEY)",
                found: label.into(),
            }
        );
    }
}

#[test]
fn ec_and_small_wechatpay_public_keys() {
    assert_eq!(
        public_err(EC_PUBLIC_KEY_PEM),
        ConfigError::NotRsa("the WeChat Pay public key")
    );
    assert_eq!(
        public_err(RSA1024_PUBLIC_KEY_PEM),
        ConfigError::KeyTooSmall {
            what: "WeChat Pay public key",
            bits: 1024,
        }
    );
}

#[test]
fn wechatpay_public_key_id_is_checked() {
    for id in [
        "PUB_KEY_ID 01",
        "PUB_KEY_ID_",
        "PUB_KEY_ID_01-02",
        "pub_key_id_0114232134912410000000000000",
        "0123456789abcdefghijklmnopqrstuv",
        "",
    ] {
        match WechatPayPublicKey::new(id, WECHATPAY_PUBLIC_KEY_PEM) {
            Err(Error::Config(e)) => assert_eq!(
                e,
                ConfigError::InvalidId {
                    what: "WeChat Pay public key id",
                    value: format!("<{} characters, not shown>", id.chars().count()),
                    reason: KEY_ID_REASON,
                }
            ),
            other => panic!("{id:?}: {other:?}"),
        }
    }
    // A public key id, or (for a key read from a platform certificate) a certificate serial.
    for id in ["PUB_KEY_ID_0114232134912410000000000000", "7E57C0DE"] {
        assert_eq!(
            WechatPayPublicKey::new(id, WECHATPAY_PUBLIC_KEY_PEM)
                .unwrap()
                .id(),
            id
        );
    }
}

#[test]
fn rsa_public_key_reads_the_merchant_public_key() {
    let key = RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    assert!(key.verify(MESSAGE, SIGNATURE));
    assert!(!key.verify(MESSAGE, "WECHATPAY/SIGNTEST/abc"));
    assert!(!key.verify(MESSAGE, ""));
    assert!(matches!(
        RsaPublicKey::new(RSA1024_PUBLIC_KEY_PEM),
        Err(Error::Config(ConfigError::KeyTooSmall {
            what: "RSA public key",
            bits: 1024
        }))
    ));
    // The merchant key's public half is the same key.
    let derived = merchant_key().public_key();
    assert!(derived.verify(MESSAGE, SIGNATURE));
}

// ---------------------------------------------------------------- platform certificates

#[test]
fn platform_certificate_serial_and_validity() {
    let cert = PlatformCertificate::new(PLATFORM_CERT_PEM).unwrap();
    assert_eq!(cert.serial(), PLATFORM_SERIAL);
    assert_eq!(cert.not_before(), Y2024);
    assert_eq!(cert.not_after(), Y2034);
    assert!(cert.is_valid_at(NOW));
    assert!(cert.is_valid_at(Y2024));
    assert!(cert.is_valid_at(Y2034));
    assert!(!cert.is_valid_at(Y2024 - 1));
    assert!(!cert.is_valid_at(Y2034 + 1));
    assert_eq!(cert.to_pem(), PLATFORM_CERT_PEM);
}

#[test]
fn platform_certificate_from_der_and_crlf() {
    let der = PlatformCertificate::new(PLATFORM_CERT_DER).unwrap();
    assert_eq!(der.serial(), PLATFORM_SERIAL);
    assert_eq!(der.to_pem(), PLATFORM_CERT_PEM);
    let crlf = PlatformCertificate::new(PLATFORM_CERT_PEM.replace('\n', "\r\n")).unwrap();
    assert_eq!(crlf.serial(), PLATFORM_SERIAL);
}

#[test]
fn platform_certificate_serial_drops_the_der_sign_byte() {
    // DER stores 00 8E 0A …: the wire form has no leading zero byte.
    let cert = PlatformCertificate::new(PLATFORM_CERT_EXPIRED_PEM).unwrap();
    assert_eq!(cert.serial(), EXPIRED_SERIAL);
    assert_eq!(cert.not_before(), 1_420_070_400); // 2015-01-01
    assert_eq!(cert.not_after(), 1_577_836_800); // 2020-01-01
    assert!(!cert.is_valid_at(NOW));
    let future = PlatformCertificate::new(PLATFORM_CERT_FUTURE_PEM).unwrap();
    assert_eq!(future.serial(), FUTURE_SERIAL);
    assert_eq!(future.not_before(), 2_208_988_800); // 2040-01-01
    assert_eq!(future.not_after(), 2_524_607_999); // 2049-12-31T23:59:59Z
    assert!(!future.is_valid_at(NOW));
}

#[test]
fn platform_certificate_bad_inputs() {
    assert_eq!(
        cert_err(WECHATPAY_PUBLIC_KEY_PEM),
        ConfigError::WrongKeyKind {
            expected: "a certificate (BEGIN CERTIFICATE)",
            found: "BEGIN PUBLIC KEY".into(),
        }
    );
    assert_eq!(
        cert_err(WECHATPAY_KEY_PEM),
        ConfigError::WrongKeyKind {
            expected: "a certificate (BEGIN CERTIFICATE)",
            found: "BEGIN PRIVATE KEY".into(),
        }
    );
    assert_eq!(
        cert_err(&PLATFORM_CERT_PEM[..300]),
        ConfigError::InvalidCertificate("not valid PEM".into())
    );
    assert_eq!(
        cert_err(&PLATFORM_CERT_DER[..400]),
        ConfigError::InvalidCertificate("not a valid X.509 certificate".into())
    );
    assert_eq!(
        cert_err(""),
        ConfigError::InvalidCertificate("not a valid X.509 certificate".into())
    );
    assert_eq!(
        cert_err(WECHATPAY_PUBLIC_KEY_DER),
        ConfigError::InvalidCertificate("not a valid X.509 certificate".into())
    );
    assert_eq!(
        cert_err("-----BEGIN CERTIFICATE-----END CERTIFICATE-----"),
        ConfigError::InvalidCertificate("not valid PEM".into())
    );
    assert_eq!(
        cert_err("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
        ConfigError::InvalidCertificate("not a valid X.509 certificate".into())
    );
}

#[test]
fn platform_certificate_of_the_wrong_key() {
    assert_eq!(
        cert_err(EC_CERT_PEM),
        ConfigError::NotRsa("the certificate's key")
    );
    assert_eq!(
        cert_err(RSA1024_CERT_PEM),
        ConfigError::KeyTooSmall {
            what: "platform certificate key",
            bits: 1024,
        }
    );
}

// ---------------------------------------------------------------- APIv3 key

#[test]
fn apiv3_key_must_be_32_bytes() {
    assert!(ApiV3Key::new(APIV3_KEY).is_ok());
    assert!(ApiV3Key::new([0u8; 32]).is_ok());
    for len in [0usize, 16, 24, 31, 33, 64] {
        match ApiV3Key::new(vec![b'k'; len]) {
            Err(Error::Config(ConfigError::InvalidApiV3Key(n))) => assert_eq!(n, len),
            other => panic!("{len}: {other:?}"),
        }
    }
    // 32 characters but not 32 bytes.
    match ApiV3Key::new("密钥密钥密钥密钥0123456789abcdef") {
        Err(Error::Config(ConfigError::InvalidApiV3Key(n))) => assert_eq!(n, 40),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- nothing panics

#[test]
fn every_truncation_and_corruption_is_an_error_not_a_panic() {
    let inputs: [&[u8]; 6] = [
        MERCHANT_KEY_PEM.as_bytes(),
        MERCHANT_KEY_DER,
        MERCHANT_KEY_PKCS1_DER,
        WECHATPAY_PUBLIC_KEY_DER,
        PLATFORM_CERT_PEM.as_bytes(),
        PLATFORM_CERT_DER,
    ];
    let mut tried = 0;
    for input in inputs {
        // Every proper prefix is rejected.
        for len in 0..input.len() {
            let cut = &input[..len];
            // A PEM cut after its END line is still the whole key.
            let complete = input.starts_with(b"-----") && {
                let text = std::str::from_utf8(cut).unwrap();
                text.contains("-----END ") && text.trim_end().ends_with("-----")
            };
            if complete {
                continue;
            }
            assert!(
                MerchantKey::new(MERCHANT_SERIAL, cut).is_err(),
                "prefix {len}"
            );
            assert!(
                WechatPayPublicKey::new(PUB_KEY_ID, cut).is_err(),
                "prefix {len}"
            );
            assert!(PlatformCertificate::new(cut).is_err(), "prefix {len}");
            tried += 1;
        }
        // Corrupted bytes: any outcome but a panic.
        for i in (0..input.len()).step_by(13) {
            let mut bad = input.to_vec();
            bad[i] ^= 0x5a;
            let _ = MerchantKey::new(MERCHANT_SERIAL, &bad);
            let _ = WechatPayPublicKey::new(PUB_KEY_ID, &bad);
            let _ = PlatformCertificate::new(&bad);
            tried += 1;
        }
    }
    assert!(tried > 6000, "{tried}");
}
