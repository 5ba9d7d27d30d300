//! Building a client: every configuration mistake is a typed error, never a panic.

use wxpay::{Client, ConfigError, Error};

const MERCHANT_KEY: &str = include_str!("../wxpay-core/tests/fixtures/merchant_key.pem");
const PUBLIC_KEY: &str = include_str!("../wxpay-core/tests/fixtures/wechatpay_public_key.pem");
const SERIAL: &str = "5F1C72E2A8931B72A2E13AF8DEE92471EB397115";
const KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";

fn complete() -> wxpay::ClientBuilder {
    Client::builder()
        .mchid("1900000001")
        .merchant_key(SERIAL, MERCHANT_KEY)
        .wechatpay_public_key(KEY_ID, PUBLIC_KEY)
}

fn config_error(result: Result<Client, Error>) -> ConfigError {
    match result {
        Err(Error::Config(e)) => e,
        Err(other) => panic!("expected a configuration error, got {other}"),
        Ok(_) => panic!("expected a configuration error, got a client"),
    }
}

#[test]
fn a_complete_configuration_builds() {
    let client = complete().build().unwrap();
    assert_eq!(client.engine().mchid(), "1900000001");
    assert_eq!(client.engine().merchant_key().serial(), SERIAL);
}

#[test]
fn client_is_clone_send_sync_and_static() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
}

#[test]
fn missing_settings_are_named() {
    assert_eq!(
        config_error(
            Client::builder()
                .merchant_key(SERIAL, MERCHANT_KEY)
                .wechatpay_public_key(KEY_ID, PUBLIC_KEY)
                .build()
        ),
        ConfigError::Missing("mchid")
    );
    assert_eq!(
        config_error(
            Client::builder()
                .mchid("1900000001")
                .wechatpay_public_key(KEY_ID, PUBLIC_KEY)
                .build()
        ),
        ConfigError::Missing("merchant_key")
    );
    assert_eq!(
        config_error(
            Client::builder()
                .mchid("1900000001")
                .merchant_key(SERIAL, MERCHANT_KEY)
                .build()
        ),
        ConfigError::Missing(
            "wechatpay_public_key or platform_certificate (or certificate_refresh with apiv3_key)"
        )
    );
}

#[test]
fn a_non_numeric_mchid_is_refused() {
    assert!(matches!(
        config_error(complete().mchid("19000000O1").build()),
        ConfigError::InvalidId { what: "mchid", .. }
    ));
}

#[test]
fn keys_given_in_the_wrong_place_are_refused() {
    // The WeChat Pay public key given as the merchant private key.
    assert_eq!(
        config_error(complete().merchant_key(SERIAL, PUBLIC_KEY).build()),
        ConfigError::WrongKeyKind {
            expected: "a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
            found: "BEGIN PUBLIC KEY".into()
        }
    );
    // The merchant private key given as the WeChat Pay public key.
    assert_eq!(
        config_error(
            complete()
                .wechatpay_public_key(KEY_ID, MERCHANT_KEY)
                .build()
        ),
        ConfigError::WrongKeyKind {
            expected: "the WeChat Pay public key (BEGIN PUBLIC KEY)",
            found: "BEGIN PRIVATE KEY".into()
        }
    );
    // A public key given as a certificate.
    assert_eq!(
        config_error(complete().platform_certificate(PUBLIC_KEY).build()),
        ConfigError::WrongKeyKind {
            expected: "a certificate (BEGIN CERTIFICATE)",
            found: "BEGIN PUBLIC KEY".into()
        }
    );
}

#[test]
fn garbage_keys_are_refused_without_quoting_them() {
    let err = config_error(complete().merchant_key(SERIAL, "-not-a-key-").build());
    assert_eq!(
        err,
        ConfigError::InvalidPrivateKey("neither PEM, DER nor base64".into())
    );
    assert!(!err.to_string().contains("-not-a-key-"));
}

#[test]
fn apiv3_key_must_be_32_bytes() {
    assert_eq!(
        config_error(complete().apiv3_key("0123456789abcdef").build()),
        ConfigError::InvalidApiV3Key(16)
    );
}

#[test]
fn base_urls_must_be_absolute_and_end_with_a_slash() {
    for bad in [
        "127.0.0.1:8080/",
        "http://127.0.0.1:8080",
        "ftp://example.com/",
        "http://host/?q=1/",
    ] {
        assert_eq!(
            config_error(complete().base_url(bad).build()),
            ConfigError::InvalidBaseUrl(bad.into()),
            "{bad}"
        );
    }
    assert!(
        complete()
            .base_url("http://127.0.0.1:8080/")
            .build()
            .is_ok()
    );
}

#[test]
fn certificate_refresh_needs_the_apiv3_key() {
    assert_eq!(
        config_error(
            Client::builder()
                .mchid("1900000001")
                .merchant_key(SERIAL, MERCHANT_KEY)
                .certificate_refresh(std::time::Duration::from_secs(3600))
                .build()
        ),
        ConfigError::Missing("apiv3_key (needed by certificate_refresh)")
    );
    // With it, no WeChat Pay key is needed up front: they are downloaded.
    assert!(
        Client::builder()
            .mchid("1900000001")
            .merchant_key(SERIAL, MERCHANT_KEY)
            .apiv3_key([b'k'; 32])
            .certificate_refresh(std::time::Duration::from_secs(3600))
            .build()
            .is_ok()
    );
}

#[test]
fn debug_output_holds_no_key_material() {
    let client = complete().apiv3_key([b'Z'; 32]).build().unwrap();
    let text = format!("{client:?}");
    assert!(text.contains("1900000001"), "{text}");
    assert!(text.contains(SERIAL), "{text}");
    assert!(!text.contains("ZZZZ"), "{text}");
    let key_body: String = MERCHANT_KEY
        .lines()
        .nth(1)
        .unwrap()
        .chars()
        .take(20)
        .collect();
    assert!(!text.contains(&key_body), "{text}");
}

#[cfg(feature = "blocking")]
#[tokio::test]
async fn the_blocking_client_refuses_to_block_an_async_runtime() {
    let client = wxpay::blocking::Client::builder()
        .mchid("1900000001")
        .merchant_key(SERIAL, MERCHANT_KEY)
        .wechatpay_public_key(KEY_ID, PUBLIC_KEY)
        .build()
        .unwrap();
    let err = client.refresh_certificates().unwrap_err();
    assert!(
        matches!(err, Error::Config(ConfigError::Unsupported(_))),
        "{err}"
    );
}
