//! Every kind of bad input a user or the network can hand the client, in one table, each with
//! the exact error it gets (its `Display` and its variant) and no panic.
//!
//! Keys and certificates are the openssl-made fixtures of wxpay-core's tests; answers and
//! notifications are signed with the fixture WeChat Pay key and checked by a client frozen at
//! 2025-01-01; the oversized answer comes over HTTP from the sandbox.
//!
//! The table is printed as markdown (`cargo test --test bad_inputs -- --nocapture`) and kept
//! in `docs/bad-inputs.md`: `WXPAY_WRITE_BAD_INPUTS=1 cargo test --test bad_inputs` rewrites
//! it; otherwise the test fails when the file is out of date.

use std::panic::{AssertUnwindSafe, catch_unwind};

use base64::Engine as _;
use serde_json::json;
use wxpay::http::{HeaderMap, HeaderName, HeaderValue};
use wxpay::prelude::*;
use wxpay::{ApiV3Key, ConfigError, FixedClock, MerchantKey, TransportError, VerifyError, aead};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../wxpay-core/tests/fixtures/", $name))
    };
}
macro_rules! fixture_bytes {
    ($name:literal) => {
        include_bytes!(concat!("../wxpay-core/tests/fixtures/", $name))
    };
}

const MERCHANT_KEY_PEM: &str = fixture!("merchant_key.pem");
const MERCHANT_KEY_DER: &[u8] = fixture_bytes!("merchant_key.der");
const MERCHANT_KEY_B64: &str = fixture!("merchant_key.b64");
const MERCHANT_KEY_ENCRYPTED_PEM: &str = fixture!("merchant_key_encrypted.pem");
const MERCHANT_KEY_PKCS1_ENCRYPTED_PEM: &str = fixture!("merchant_key_pkcs1_encrypted.pem");
const MERCHANT_PUBLIC_KEY_PEM: &str = fixture!("merchant_public_key.pem");
const MERCHANT_CERT_PEM: &str = fixture!("merchant_cert.pem");
const WECHATPAY_KEY_PEM: &str = fixture!("wechatpay_key.pem");
const WECHATPAY_PUBLIC_KEY_PEM: &str = fixture!("wechatpay_public_key.pem");
const WECHATPAY_PUBLIC_KEY_DER: &[u8] = fixture_bytes!("wechatpay_public_key.der");
const PLATFORM_CERT_PEM: &str = fixture!("platform_cert.pem");
const PLATFORM_CERT_DER: &[u8] = fixture_bytes!("platform_cert.der");
const PLATFORM_CERT_EXPIRED_PEM: &str = fixture!("platform_cert_expired.pem");
const RSA1024_KEY_PEM: &str = fixture!("rsa1024_key.pem");
const RSA1024_PUBLIC_KEY_PEM: &str = fixture!("rsa1024_public_key.pem");
const RSA1024_CERT_PEM: &str = fixture!("rsa1024_cert.pem");
const EC_KEY_PEM: &str = fixture!("ec_key.pem");
const EC_KEY_SEC1_PEM: &str = fixture!("ec_key_sec1.pem");
const EC_PUBLIC_KEY_PEM: &str = fixture!("ec_public_key.pem");
const EC_CERT_PEM: &str = fixture!("ec_cert.pem");

const MCHID: &str = "1900000001";
const MERCHANT_SERIAL: &str = "3775B6A45ACD588826FF1B4B3F1C8E7A2B1D0C9E";
const PUB_KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";
const PLATFORM_SERIAL: &str = "5A1B2C3D4E5F60718293A4B5C6D7E8F901234567";
const EXPIRED_SERIAL: &str = "8E0A1B2C3D4E5F6071";
const APIV3_KEY: &str = "fixtureApiV3Key-0123456789ABCDEF";
/// 2025-01-01T00:00:00Z, the client's frozen clock.
const NOW: i64 = 1_735_689_600;
const NOTIFY_NONCE: &str = "n0t1fyN0nceFixture01";
const RESOURCE_NONCE: &str = "fixtureNonc1";
const RESOURCE_AAD: &str = "transaction";
const RESOURCE: &str = r#"{"out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}"#;

const DOC: &str = "docs/bad-inputs.md";

// ---------------------------------------------------------------- the table's shape

/// The error a case must end with: the variant and its contents, compared exactly.
#[derive(Debug)]
enum Expect {
    Config(ConfigError),
    Verification(VerifyError),
    Decode(&'static str),
    Transport(TransportError),
    InvalidInput {
        what: &'static str,
        reason: &'static str,
    },
}

impl Expect {
    fn matches(&self, error: &Error) -> bool {
        match (self, error) {
            (Expect::Config(a), Error::Config(b)) => a == b,
            (Expect::Verification(a), Error::Verification { error: b, .. }) => a == b,
            (Expect::Decode(a), Error::Decode { message: b, .. }) => a == b,
            (Expect::Transport(a), Error::Transport(b)) => a == b,
            (Expect::InvalidInput { what, reason }, Error::InvalidInput { what: w, reason: r }) => {
                what == w && reason == r
            }
            _ => false,
        }
    }
}

struct Case {
    group: &'static str,
    name: &'static str,
    /// What was given, as the table shows it.
    input: String,
    expect: Expect,
    /// The exact `Display` of the error.
    display: &'static str,
    run: Box<dyn Fn() -> Result<(), Error>>,
}

fn case(
    group: &'static str,
    name: &'static str,
    input: impl Into<String>,
    expect: Expect,
    display: &'static str,
    run: impl Fn() -> Result<(), Error> + 'static,
) -> Case {
    Case {
        group,
        name,
        input: input.into(),
        expect,
        display,
        run: Box::new(run),
    }
}

// ---------------------------------------------------------------- inputs

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// A complete configuration: public key, platform certificate, APIv3 key, frozen clock.
fn complete() -> wxpay::ClientBuilder {
    Client::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .platform_certificate(PLATFORM_CERT_PEM)
        .apiv3_key(APIV3_KEY)
        .clock(FixedClock(NOW))
}

fn built(builder: wxpay::ClientBuilder) -> Result<(), Error> {
    builder.build().map(|_| ())
}

/// The merchant key `key` in an otherwise complete configuration.
fn with_merchant_key(key: impl AsRef<[u8]>) -> Result<(), Error> {
    built(complete().merchant_key(MERCHANT_SERIAL, key))
}

fn with_public_key(key: impl AsRef<[u8]>) -> Result<(), Error> {
    built(complete().wechatpay_public_key(PUB_KEY_ID, key))
}

fn with_certificate(certificate: impl AsRef<[u8]>) -> Result<(), Error> {
    built(complete().platform_certificate(certificate))
}

fn wechatpay_signer() -> MerchantKey {
    MerchantKey::new("7E57C0DE", WECHATPAY_KEY_PEM).unwrap()
}

fn header_map(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

/// Headers of a notification signed by the WeChat Pay fixture key over `body`.
fn signed_by(signer: &MerchantKey, serial: &str, timestamp: &str, body: &[u8]) -> HeaderMap {
    let message = wxpay::sign::response_message(timestamp, NOTIFY_NONCE, body);
    let signature = signer.sign(&message).unwrap();
    header_map(&[
        ("Wechatpay-Timestamp", timestamp),
        ("Wechatpay-Nonce", NOTIFY_NONCE),
        ("Wechatpay-Serial", serial),
        ("Wechatpay-Signature", &signature),
        ("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"),
    ])
}

fn signed(body: &str) -> HeaderMap {
    signed_by(
        &wechatpay_signer(),
        PUB_KEY_ID,
        &NOW.to_string(),
        body.as_bytes(),
    )
}

/// The resource of a notification: `plaintext` encrypted with the APIv3 key.
fn resource(plaintext: &str) -> serde_json::Value {
    let key = ApiV3Key::new(APIV3_KEY).unwrap();
    json!({
        "original_type": "transaction",
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": aead::encrypt(&key, RESOURCE_NONCE, RESOURCE_AAD, plaintext.as_bytes()).unwrap(),
        "associated_data": RESOURCE_AAD,
        "nonce": RESOURCE_NONCE,
    })
}

fn notification_body(resource: serde_json::Value) -> String {
    json!({
        "id": "EV-2018022511223320873",
        "create_time": "2015-05-20T13:29:35+08:00",
        "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": resource,
    })
    .to_string()
}

fn good_body() -> String {
    notification_body(resource(RESOURCE))
}

/// The good notification's resource with `change` applied, signed.
fn with_resource(change: impl Fn(&mut serde_json::Value)) -> (HeaderMap, String) {
    let mut resource = resource(RESOURCE);
    change(&mut resource);
    let body = notification_body(resource);
    (signed(&body), body)
}

fn parse(headers: &HeaderMap, body: &[u8]) -> Result<(), Error> {
    let client = complete().build()?;
    client
        .parse_notification::<serde_json::Value>(headers, body)
        .map(|_| ())
}

/// The good notification, signed, with one header replaced (or removed with `None`).
fn with_header(name: &'static str, value: Option<&str>) -> Result<(), Error> {
    let body = good_body();
    let mut headers = signed(&body);
    match value {
        Some(v) => {
            headers.insert(name, HeaderValue::from_str(v).unwrap());
        }
        None => {
            headers.remove(name);
        }
    }
    parse(&headers, body.as_bytes())
}

/// A resource with an `#[encrypted]` field, decrypted with the merchant key.
#[wxpay_model]
pub struct Payer {
    pub openid: String,
    #[encrypted]
    pub name: String,
}

/// An endpoint the sandbox answers `200 {}` (padded by its `Oversized` fault).
#[wxpay_endpoint(GET, "v3/bad-inputs/{id}", response = serde_json::Value)]
pub struct Lookup {
    pub id: String,
}

/// Over HTTP: the sandbox pads a signed answer to 64 KiB; the client's limit is 16 KiB.
fn oversized_answer() -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sandbox = wxpay_sandbox::Sandbox::start().await?;
        sandbox.fault(wxpay_sandbox::Fault::Oversized(64 * 1024));
        let client = sandbox
            .client_builder()
            .max_response_bytes(16 * 1024)
            .build()?;
        client.send(&Lookup { id: "1".into() }).await.map(|_| ())
    })
}

// ---------------------------------------------------------------- the table

fn cases() -> Vec<Case> {
    use ConfigError as C;
    use Expect::*;
    use VerifyError as V;
    let not_pem = || Config(C::InvalidPrivateKey("not valid PEM".into()));
    let private_expected = "a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)";
    let auth_failed = "AES-GCM authentication failed (wrong APIv3 key or tampered resource)";
    let auth_failed_display =
        "decoding: AES-GCM authentication failed (wrong APIv3 key or tampered resource)";
    vec![
        // ------------------------------------------------ merchant private key
        case(
            "merchant key",
            "garbage PEM",
            "`BEGIN PRIVATE KEY` around `!!! not base64 !!!`",
            not_pem(),
            "configuration: merchant private key: not valid PEM",
            || {
                with_merchant_key(
                    "-----BEGIN PRIVATE KEY-----\n!!! not base64 !!!\n-----END PRIVATE KEY-----\n",
                )
            },
        ),
        case(
            "merchant key",
            "PEM of bytes that are not a key",
            "`BEGIN PRIVATE KEY` around `AAAA`",
            Config(C::InvalidPrivateKey(
                "not a valid PKCS#8 private key".into(),
            )),
            "configuration: merchant private key: not a valid PKCS#8 private key",
            || with_merchant_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        ),
        case(
            "merchant key",
            "not a key at all",
            "`-not-a-key-`",
            Config(C::InvalidPrivateKey("neither PEM, DER nor base64".into())),
            "configuration: merchant private key: neither PEM, DER nor base64",
            || with_merchant_key("-not-a-key-"),
        ),
        case(
            "merchant key",
            "empty",
            "empty string",
            Config(C::InvalidPrivateKey("empty input".into())),
            "configuration: merchant private key: empty input",
            || with_merchant_key(""),
        ),
        case(
            "merchant key",
            "truncated PEM",
            "first 800 bytes of `merchant_key.pem` (no END line)",
            not_pem(),
            "configuration: merchant private key: not valid PEM",
            || with_merchant_key(&MERCHANT_KEY_PEM[..800]),
        ),
        case(
            "merchant key",
            "truncated DER",
            "first 600 bytes of `merchant_key.der`",
            Config(C::InvalidPrivateKey(
                "not a PKCS#8 or PKCS#1 RSA private key".into(),
            )),
            "configuration: merchant private key: not a PKCS#8 or PKCS#1 RSA private key",
            || with_merchant_key(&MERCHANT_KEY_DER[..600]),
        ),
        case(
            "merchant key",
            "bad base64 inside PEM",
            "`merchant_key.pem` with the `MII` its body starts with changed to `M*I`",
            not_pem(),
            "configuration: merchant private key: not valid PEM",
            || with_merchant_key(MERCHANT_KEY_PEM.replacen("MII", "M*I", 1)),
        ),
        case(
            "merchant key",
            "bad bare base64",
            "`merchant_key.b64` (base64 of the DER, no PEM lines) with a `*` inserted",
            Config(C::InvalidPrivateKey("neither PEM, DER nor base64".into())),
            "configuration: merchant private key: neither PEM, DER nor base64",
            || {
                let mut text = MERCHANT_KEY_B64.to_string();
                text.insert(100, '*');
                with_merchant_key(text)
            },
        ),
        case(
            "merchant key",
            "EC key (PKCS#8)",
            "`ec_key.pem` (P-256, `BEGIN PRIVATE KEY`)",
            Config(C::NotRsa("the merchant private key")),
            "configuration: the merchant private key is not an RSA key",
            || with_merchant_key(EC_KEY_PEM),
        ),
        case(
            "merchant key",
            "EC key (SEC1)",
            "`ec_key_sec1.pem` (`BEGIN EC PRIVATE KEY`)",
            Config(C::NotRsa("the merchant private key")),
            "configuration: the merchant private key is not an RSA key",
            || with_merchant_key(EC_KEY_SEC1_PEM),
        ),
        case(
            "merchant key",
            "1024-bit RSA key",
            "`rsa1024_key.pem`",
            Config(C::KeyTooSmall {
                what: "merchant private key",
                bits: 1024,
            }),
            "configuration: merchant private key has 1024 bits; WeChat Pay needs at least 2048",
            || with_merchant_key(RSA1024_KEY_PEM),
        ),
        case(
            "merchant key",
            "certificate as private key (PEM)",
            "`merchant_cert.pem` (`apiclient_cert.pem`)",
            Config(C::WrongKeyKind {
                expected: private_expected,
                found: "BEGIN CERTIFICATE".into(),
            }),
            "configuration: expected a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY), found BEGIN CERTIFICATE",
            || with_merchant_key(MERCHANT_CERT_PEM),
        ),
        case(
            "merchant key",
            "certificate as private key (DER)",
            "`platform_cert.der`",
            Config(C::WrongKeyKind {
                expected: "a private key",
                found: "a certificate".into(),
            }),
            "configuration: expected a private key, found a certificate",
            || with_merchant_key(PLATFORM_CERT_DER),
        ),
        case(
            "merchant key",
            "public key as private key (PEM)",
            "`merchant_public_key.pem`",
            Config(C::WrongKeyKind {
                expected: private_expected,
                found: "BEGIN PUBLIC KEY".into(),
            }),
            "configuration: expected a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY), found BEGIN PUBLIC KEY",
            || with_merchant_key(MERCHANT_PUBLIC_KEY_PEM),
        ),
        case(
            "merchant key",
            "public key as private key (DER)",
            "`wechatpay_public_key.der`",
            Config(C::WrongKeyKind {
                expected: "a private key",
                found: "a public key".into(),
            }),
            "configuration: expected a private key, found a public key",
            || with_merchant_key(WECHATPAY_PUBLIC_KEY_DER),
        ),
        case(
            "merchant key",
            "encrypted PKCS#8 PEM",
            "`merchant_key_encrypted.pem` (`BEGIN ENCRYPTED PRIVATE KEY`)",
            Config(C::InvalidPrivateKey(
                "encrypted PKCS#8 keys are not supported; decrypt it with openssl first".into(),
            )),
            "configuration: merchant private key: encrypted PKCS#8 keys are not supported; decrypt it with openssl first",
            || with_merchant_key(MERCHANT_KEY_ENCRYPTED_PEM),
        ),
        case(
            "merchant key",
            "encrypted PKCS#1 PEM",
            "`merchant_key_pkcs1_encrypted.pem` (`Proc-Type: 4,ENCRYPTED`)",
            Config(C::InvalidPrivateKey(
                "encrypted PEM keys are not supported; decrypt it with openssl first".into(),
            )),
            "configuration: merchant private key: encrypted PEM keys are not supported; decrypt it with openssl first",
            || with_merchant_key(MERCHANT_KEY_PKCS1_ENCRYPTED_PEM),
        ),
        case(
            "merchant key",
            "malformed serial",
            "serial `5F1C 72E2`",
            Config(C::InvalidId {
                what: "merchant serial",
                value: "<9 characters, not shown>".into(),
                reason: "a merchant serial is the API certificate's serial number: 1 to 40 hex digits",
            }),
            "configuration: merchant serial \"<9 characters, not shown>\" is malformed: a merchant serial is the API certificate's serial number: 1 to 40 hex digits",
            || built(complete().merchant_key("5F1C 72E2", MERCHANT_KEY_PEM)),
        ),
        // ------------------------------------------------ pay-sign parameters
        case(
            "pay-sign parameters",
            "line break in app_id",
            "`jsapi_pay_params(\"POST\\n/v3/refund/domestic/refunds\", …)`",
            Expect::InvalidInput {
                what: "app_id",
                reason: "only letters, digits, '_' and '-' are allowed",
            },
            "invalid app_id: only letters, digits, '_' and '-' are allowed",
            || {
                let client = complete().build()?;
                client
                    .jsapi_pay_params("POST\n/v3/refund/domestic/refunds", "wx2014")
                    .map(|_| ())
            },
        ),
        case(
            "pay-sign parameters",
            "JSON as prepay_id",
            "`app_pay_params(\"wxd678efh567hg6787\", \"{\\\"amount\\\":1}\")`",
            Expect::InvalidInput {
                what: "prepay_id",
                reason: "only letters, digits, '_' and '-' are allowed",
            },
            "invalid prepay_id: only letters, digits, '_' and '-' are allowed",
            || {
                let client = complete().build()?;
                client
                    .app_pay_params("wxd678efh567hg6787", "{\"amount\":1}")
                    .map(|_| ())
            },
        ),
        case(
            "pay-sign parameters",
            "sub-merchant id not digits",
            "`app_pay_params_for(\"wxd678efh567hg6787\", \"1900\\n\", \"wx2014\")`",
            Expect::InvalidInput {
                what: "partner_id",
                reason: "only digits are allowed",
            },
            "invalid partner_id: only digits are allowed",
            || {
                let client = complete().build()?;
                client
                    .app_pay_params_for("wxd678efh567hg6787", "1900\n", "wx2014")
                    .map(|_| ())
            },
        ),
        case(
            "pay-sign parameters",
            "empty prepay_id",
            "`jsapi_pay_params(\"wxd678efh567hg6787\", \"\")`",
            Expect::InvalidInput {
                what: "prepay_id",
                reason: "it is empty",
            },
            "invalid prepay_id: it is empty",
            || {
                let client = complete().build()?;
                client
                    .jsapi_pay_params("wxd678efh567hg6787", "")
                    .map(|_| ())
            },
        ),
        // ------------------------------------------------ undeclared requests
        case(
            "undeclared request",
            "reserved header",
            "`RequestParts::push_header(\"authorization\", …)` (`wxpay call --header`)",
            Expect::InvalidInput {
                what: "header name",
                reason: "Authorization, Wechatpay-Serial, Content-Type, Content-Length, Accept, User-Agent and Host are set by wxpay itself",
            },
            "invalid header name: Authorization, Wechatpay-Serial, Content-Type, Content-Length, Accept, User-Agent and Host are set by wxpay itself",
            || {
                let mut parts = wxpay::RequestParts::new();
                parts.push_header("authorization", "WECHATPAY2-SHA256-RSA2048 forged")
            },
        ),
        case(
            "undeclared request",
            "reserved header: Wechatpay-Serial",
            "`RequestParts::push_header(\"Wechatpay-Serial\", …)`",
            Expect::InvalidInput {
                what: "header name",
                reason: "Authorization, Wechatpay-Serial, Content-Type, Content-Length, Accept, User-Agent and Host are set by wxpay itself",
            },
            "invalid header name: Authorization, Wechatpay-Serial, Content-Type, Content-Length, Accept, User-Agent and Host are set by wxpay itself",
            || {
                let mut parts = wxpay::RequestParts::new();
                parts.push_header("Wechatpay-Serial", "PUB_KEY_ID_0999")
            },
        ),
        // ------------------------------------------------ WeChat Pay public key
        case(
            "WeChat Pay public key",
            "private key as public key",
            "`merchant_key.pem`",
            Config(C::WrongKeyKind {
                expected: "the WeChat Pay public key (BEGIN PUBLIC KEY)",
                found: "BEGIN PRIVATE KEY".into(),
            }),
            "configuration: expected the WeChat Pay public key (BEGIN PUBLIC KEY), found BEGIN PRIVATE KEY",
            || with_public_key(MERCHANT_KEY_PEM),
        ),
        case(
            "WeChat Pay public key",
            "certificate as public key",
            "`platform_cert.pem`",
            Config(C::WrongKeyKind {
                expected: "a public key (BEGIN PUBLIC KEY); give certificates to platform_certificate",
                found: "BEGIN CERTIFICATE".into(),
            }),
            "configuration: expected a public key (BEGIN PUBLIC KEY); give certificates to platform_certificate, found BEGIN CERTIFICATE",
            || with_public_key(PLATFORM_CERT_PEM),
        ),
        case(
            "WeChat Pay public key",
            "EC public key",
            "`ec_public_key.pem`",
            Config(C::NotRsa("the WeChat Pay public key")),
            "configuration: the WeChat Pay public key is not an RSA key",
            || with_public_key(EC_PUBLIC_KEY_PEM),
        ),
        case(
            "WeChat Pay public key",
            "1024-bit RSA public key",
            "`rsa1024_public_key.pem`",
            Config(C::KeyTooSmall {
                what: "WeChat Pay public key",
                bits: 1024,
            }),
            "configuration: WeChat Pay public key has 1024 bits; WeChat Pay needs at least 2048",
            || with_public_key(RSA1024_PUBLIC_KEY_PEM),
        ),
        case(
            "WeChat Pay public key",
            "truncated PEM",
            "first 200 bytes of `wechatpay_public_key.pem`",
            Config(C::InvalidPublicKey("not valid PEM".into())),
            "configuration: WeChat Pay public key: not valid PEM",
            || with_public_key(&WECHATPAY_PUBLIC_KEY_PEM[..200]),
        ),
        case(
            "WeChat Pay public key",
            "malformed key id",
            "id `PUB_KEY_ID 01`",
            Config(C::InvalidId {
                what: "WeChat Pay public key id",
                value: "<13 characters, not shown>".into(),
                reason: "a WeChat Pay key id is PUB_KEY_ID_ followed by letters and digits, or a certificate serial (1 to 40 hex digits)",
            }),
            "configuration: WeChat Pay public key id \"<13 characters, not shown>\" is malformed: a WeChat Pay key id is PUB_KEY_ID_ followed by letters and digits, or a certificate serial (1 to 40 hex digits)",
            || built(complete().wechatpay_public_key("PUB_KEY_ID 01", WECHATPAY_PUBLIC_KEY_PEM)),
        ),
        // ------------------------------------------------ platform certificate
        case(
            "platform certificate",
            "truncated PEM",
            "first 300 bytes of `platform_cert.pem`",
            Config(C::InvalidCertificate("not valid PEM".into())),
            "configuration: certificate: not valid PEM",
            || with_certificate(&PLATFORM_CERT_PEM[..300]),
        ),
        case(
            "platform certificate",
            "truncated DER",
            "first 400 bytes of `platform_cert.der`",
            Config(C::InvalidCertificate(
                "not a valid X.509 certificate".into(),
            )),
            "configuration: certificate: not a valid X.509 certificate",
            || with_certificate(&PLATFORM_CERT_DER[..400]),
        ),
        case(
            "platform certificate",
            "empty PEM block",
            "`BEGIN CERTIFICATE` and `END CERTIFICATE` with nothing between",
            Config(C::InvalidCertificate(
                "not a valid X.509 certificate".into(),
            )),
            "configuration: certificate: not a valid X.509 certificate",
            || with_certificate("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
        ),
        case(
            "platform certificate",
            "public key as certificate",
            "`wechatpay_public_key.pem`",
            Config(C::WrongKeyKind {
                expected: "a certificate (BEGIN CERTIFICATE)",
                found: "BEGIN PUBLIC KEY".into(),
            }),
            "configuration: expected a certificate (BEGIN CERTIFICATE), found BEGIN PUBLIC KEY",
            || with_certificate(WECHATPAY_PUBLIC_KEY_PEM),
        ),
        case(
            "platform certificate",
            "private key as certificate",
            "`wechatpay_key.pem`",
            Config(C::WrongKeyKind {
                expected: "a certificate (BEGIN CERTIFICATE)",
                found: "BEGIN PRIVATE KEY".into(),
            }),
            "configuration: expected a certificate (BEGIN CERTIFICATE), found BEGIN PRIVATE KEY",
            || with_certificate(WECHATPAY_KEY_PEM),
        ),
        case(
            "platform certificate",
            "EC certificate",
            "`ec_cert.pem`",
            Config(C::NotRsa("the certificate's key")),
            "configuration: the certificate's key is not an RSA key",
            || with_certificate(EC_CERT_PEM),
        ),
        case(
            "platform certificate",
            "1024-bit RSA certificate",
            "`rsa1024_cert.pem`",
            Config(C::KeyTooSmall {
                what: "platform certificate key",
                bits: 1024,
            }),
            "configuration: platform certificate key has 1024 bits; WeChat Pay needs at least 2048",
            || with_certificate(RSA1024_CERT_PEM),
        ),
        // ------------------------------------------------ headers
        case(
            "headers",
            "missing Wechatpay-Timestamp",
            "signed notification without the header",
            Verification(V::MissingHeader("Wechatpay-Timestamp")),
            "verification failed: header Wechatpay-Timestamp is missing",
            || with_header("Wechatpay-Timestamp", None),
        ),
        case(
            "headers",
            "missing Wechatpay-Nonce",
            "signed notification without the header",
            Verification(V::MissingHeader("Wechatpay-Nonce")),
            "verification failed: header Wechatpay-Nonce is missing",
            || with_header("Wechatpay-Nonce", None),
        ),
        case(
            "headers",
            "missing Wechatpay-Serial",
            "signed notification without the header",
            Verification(V::MissingHeader("Wechatpay-Serial")),
            "verification failed: header Wechatpay-Serial is missing",
            || with_header("Wechatpay-Serial", None),
        ),
        case(
            "headers",
            "missing Wechatpay-Signature",
            "signed notification without the header",
            Verification(V::MissingHeader("Wechatpay-Signature")),
            "verification failed: header Wechatpay-Signature is missing",
            || with_header("Wechatpay-Signature", None),
        ),
        case(
            "headers",
            "empty Wechatpay-Signature",
            "`Wechatpay-Signature: ` (empty)",
            Verification(V::MissingHeader("Wechatpay-Signature")),
            "verification failed: header Wechatpay-Signature is missing",
            || with_header("Wechatpay-Signature", Some("")),
        ),
        case(
            "headers",
            "non-numeric timestamp",
            "`Wechatpay-Timestamp: 2025-01-01T00:00:00Z`, signed as such",
            Verification(V::BadTimestamp),
            "verification failed: Wechatpay-Timestamp is not a Unix time",
            || {
                let body = good_body();
                let headers = signed_by(
                    &wechatpay_signer(),
                    PUB_KEY_ID,
                    "2025-01-01T00:00:00Z",
                    body.as_bytes(),
                );
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "headers",
            "stale timestamp",
            "signed 301 s before the client's clock",
            Verification(V::StaleTimestamp { skew: 301 }),
            "verification failed: Wechatpay-Timestamp is 301 s away from the local clock (at most 300 s allowed)",
            || {
                let body = good_body();
                let ts = (NOW - 301).to_string();
                let headers = signed_by(&wechatpay_signer(), PUB_KEY_ID, &ts, body.as_bytes());
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "headers",
            "future timestamp",
            "signed 301 s after the client's clock",
            Verification(V::StaleTimestamp { skew: -301 }),
            "verification failed: Wechatpay-Timestamp is -301 s away from the local clock (at most 300 s allowed)",
            || {
                let body = good_body();
                let ts = (NOW + 301).to_string();
                let headers = signed_by(&wechatpay_signer(), PUB_KEY_ID, &ts, body.as_bytes());
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "headers",
            "SIGNTEST probe",
            "`Wechatpay-Signature: WECHATPAY/SIGNTEST/…` (base64 of a short text)",
            Verification(V::SignTestProbe),
            "verification failed: signature is a WECHATPAY/SIGNTEST/ probe",
            || {
                with_header(
                    "Wechatpay-Signature",
                    Some("WECHATPAY/SIGNTEST/cHJvYmUgb2YgdGhlIG1lcmNoYW50J3Mgbm90aWZ5IFVSTA=="),
                )
            },
        ),
        case(
            "headers",
            "unknown serial",
            "signed correctly, `Wechatpay-Serial: PUB_KEY_ID_0999`",
            Verification(V::UnknownSerial("PUB_KEY_ID_0999".into())),
            "verification failed: no WeChat Pay key with serial or id PUB_KEY_ID_0999",
            || {
                let body = good_body();
                let headers = signed_by(
                    &wechatpay_signer(),
                    "PUB_KEY_ID_0999",
                    &NOW.to_string(),
                    body.as_bytes(),
                );
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "headers",
            "expired platform certificate",
            "signed by the key of `platform_cert_expired.pem` (2015–2020), which the client holds",
            Verification(V::ExpiredCertificate(EXPIRED_SERIAL.into())),
            "verification failed: platform certificate 8E0A1B2C3D4E5F6071 is not valid at this time",
            || {
                let client = complete()
                    .platform_certificate(PLATFORM_CERT_EXPIRED_PEM)
                    .build()?;
                let body = good_body();
                let headers = signed_by(
                    &wechatpay_signer(),
                    EXPIRED_SERIAL,
                    &NOW.to_string(),
                    body.as_bytes(),
                );
                client
                    .parse_notification::<serde_json::Value>(&headers, body.as_bytes())
                    .map(|_| ())
            },
        ),
        case(
            "headers",
            "unsupported signature type",
            "`Wechatpay-Signature-Type: WECHATPAY2-SM2-WITH-SM3`",
            Verification(V::UnsupportedSignatureType),
            "verification failed: unsupported signature type",
            || with_header("Wechatpay-Signature-Type", Some("WECHATPAY2-SM2-WITH-SM3")),
        ),
        case(
            "headers",
            "bad base64 signature",
            "`Wechatpay-Signature: %%%not-base64%%%`",
            Verification(V::BadSignatureEncoding),
            "verification failed: Wechatpay-Signature is not valid base64",
            || with_header("Wechatpay-Signature", Some("%%%not-base64%%%")),
        ),
        case(
            "headers",
            "signature of the wrong length",
            "base64 of 255 bytes",
            Verification(V::BadSignatureEncoding),
            "verification failed: Wechatpay-Signature is not valid base64",
            || with_header("Wechatpay-Signature", Some(&b64().encode([7u8; 255]))),
        ),
        case(
            "headers",
            "wrong signature",
            "the same message signed by the merchant key instead of the WeChat Pay key",
            Verification(V::BadSignature),
            "verification failed: signature does not match",
            || {
                let body = good_body();
                let merchant = MerchantKey::new(MERCHANT_SERIAL, MERCHANT_KEY_PEM).unwrap();
                let headers = signed_by(&merchant, PUB_KEY_ID, &NOW.to_string(), body.as_bytes());
                parse(&headers, body.as_bytes())
            },
        ),
        // ------------------------------------------------ body
        case(
            "body",
            "tampered byte",
            "signed notification, then `SUCCESS` changed to `SUCCESZ` in the body",
            Verification(V::BadSignature),
            "verification failed: signature does not match",
            || {
                let body = good_body();
                let headers = signed(&body);
                let tampered = body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESZ");
                parse(&headers, tampered.as_bytes())
            },
        ),
        case(
            "body",
            "truncated body",
            "signed notification, its last 10 bytes cut",
            Verification(V::BadSignature),
            "verification failed: signature does not match",
            || {
                let body = good_body();
                let headers = signed(&body);
                parse(&headers, &body.as_bytes()[..body.len() - 10])
            },
        ),
        case(
            "body",
            "re-serialized body",
            "signed notification, parsed and re-serialized as JSON (same data, other bytes)",
            Verification(V::BadSignature),
            "verification failed: signature does not match",
            || {
                let body = good_body();
                let headers = signed(&body);
                let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                parse(
                    &headers,
                    serde_json::to_string_pretty(&value).unwrap().as_bytes(),
                )
            },
        ),
        case(
            "body",
            "oversized answer",
            "sandbox fault `Oversized(65536)`, client `max_response_bytes(16384)`",
            Transport(TransportError::BodyTooLarge { limit: 16384 }),
            "transport: answer larger than the limit of 16384 bytes",
            oversized_answer,
        ),
        case(
            "body",
            "signed, not JSON",
            "`not json`, correctly signed",
            Decode("the notification: not valid JSON at line 1 column 2"),
            "decoding: the notification: not valid JSON at line 1 column 2",
            || parse(&signed("not json"), b"not json"),
        ),
        case(
            "body",
            "signed, no resource",
            "`{\"id\":\"EV-1\"}`, correctly signed",
            Decode("the notification: missing field `resource` at line 1 column 13"),
            "decoding: the notification: missing field `resource` at line 1 column 13",
            || {
                let body = r#"{"id":"EV-1"}"#;
                parse(&signed(body), body.as_bytes())
            },
        ),
        // ------------------------------------------------ ciphertext
        case(
            "ciphertext",
            "bad base64",
            "resource `ciphertext: JiNGzJUK3NX*k8DLw`",
            Decode("AES-GCM ciphertext is not valid base64"),
            "decoding: AES-GCM ciphertext is not valid base64",
            || {
                let (headers, body) =
                    with_resource(|r| r["ciphertext"] = json!("JiNGzJUK3NX*k8DLw"));
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "shorter than the tag",
            "resource `ciphertext: JiNGzJUK` (6 bytes)",
            Decode("AES-GCM ciphertext is shorter than its 16-byte tag"),
            "decoding: AES-GCM ciphertext is shorter than its 16-byte tag",
            || {
                let (headers, body) = with_resource(|r| r["ciphertext"] = json!("JiNGzJUK"));
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "wrong tag",
            "last byte of the tag flipped",
            Decode(auth_failed),
            auth_failed_display,
            || {
                let (headers, body) = with_resource(|r| {
                    let mut bytes = b64().decode(r["ciphertext"].as_str().unwrap()).unwrap();
                    *bytes.last_mut().unwrap() ^= 1;
                    r["ciphertext"] = json!(b64().encode(bytes));
                });
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "flipped ciphertext byte",
            "first byte of the ciphertext flipped",
            Decode(auth_failed),
            auth_failed_display,
            || {
                let (headers, body) = with_resource(|r| {
                    let mut bytes = b64().decode(r["ciphertext"].as_str().unwrap()).unwrap();
                    bytes[0] ^= 0x80;
                    r["ciphertext"] = json!(b64().encode(bytes));
                });
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "wrong associated data",
            "`associated_data: certificate` (encrypted with `transaction`)",
            Decode(auth_failed),
            auth_failed_display,
            || {
                let (headers, body) =
                    with_resource(|r| r["associated_data"] = json!("certificate"));
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "associated data left out",
            "no `associated_data` (encrypted with `transaction`)",
            Decode(auth_failed),
            auth_failed_display,
            || {
                let (headers, body) = with_resource(|r| {
                    r.as_object_mut().unwrap().remove("associated_data");
                });
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "wrong nonce length",
            "`nonce: fixtureNonce1` (13 bytes)",
            Decode("AES-GCM nonce must be 12 bytes, got 13"),
            "decoding: AES-GCM nonce must be 12 bytes, got 13",
            || {
                let (headers, body) = with_resource(|r| r["nonce"] = json!("fixtureNonce1"));
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "wrong algorithm",
            "`algorithm: AEAD_AES_128_GCM`",
            Decode(
                "unsupported resource algorithm \"AEAD_AES_128_GCM\" (expected AEAD_AES_256_GCM)",
            ),
            "decoding: unsupported resource algorithm \"AEAD_AES_128_GCM\" (expected AEAD_AES_256_GCM)",
            || {
                let (headers, body) = with_resource(|r| r["algorithm"] = json!("AEAD_AES_128_GCM"));
                parse(&headers, body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "wrong APIv3 key",
            "client with APIv3 key `fixtureApiV3Key-0123456789ABCDEX`",
            Decode(auth_failed),
            auth_failed_display,
            || {
                let client = complete()
                    .apiv3_key("fixtureApiV3Key-0123456789ABCDEX")
                    .build()?;
                let body = good_body();
                client
                    .parse_notification::<serde_json::Value>(&signed(&body), body.as_bytes())
                    .map(|_| ())
            },
        ),
        case(
            "ciphertext",
            "resource not JSON",
            "resource plaintext `not json`",
            Decode("the notification resource: not valid JSON at line 1 column 2"),
            "decoding: the notification resource: not valid JSON at line 1 column 2",
            || {
                let body = notification_body(resource("not json"));
                parse(&signed(&body), body.as_bytes())
            },
        ),
        case(
            "ciphertext",
            "#[encrypted] field not base64",
            "resource `{\"openid\":\"o\",\"name\":\"%%%\"}` read as a model whose `name` is `#[encrypted]`",
            Decode("encrypted field is not valid base64"),
            "decoding: encrypted field is not valid base64",
            || {
                let body = notification_body(resource(r#"{"openid":"o","name":"%%%"}"#));
                let client = complete().build()?;
                client
                    .parse_notification::<Payer>(&signed(&body), body.as_bytes())
                    .map(|_| ())
            },
        ),
        case(
            "ciphertext",
            "#[encrypted] field under another key",
            "`name` encrypted with the WeChat Pay public key instead of the merchant's",
            Decode("encrypted field does not decrypt with the merchant private key"),
            "decoding: encrypted field does not decrypt with the merchant private key",
            || {
                let wechatpay =
                    wxpay::WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap();
                let name = wechatpay.encrypt("张三").unwrap();
                let plain = json!({"openid": "o", "name": name}).to_string();
                let body = notification_body(resource(&plain));
                let client = complete().build()?;
                client
                    .parse_notification::<Payer>(&signed(&body), body.as_bytes())
                    .map(|_| ())
            },
        ),
        // ------------------------------------------------ configuration
        case(
            "configuration",
            "missing mchid",
            "no `.mchid(…)`",
            Config(C::Missing("mchid")),
            "configuration: mchid is required",
            || {
                built(
                    Client::builder()
                        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM),
                )
            },
        ),
        case(
            "configuration",
            "mchid not digits",
            "`.mchid(\"19000000O1\")` (letter O)",
            Config(C::InvalidId {
                what: "mchid",
                value: "<10 characters, not shown>".into(),
                reason: "a merchant id is made of digits",
            }),
            "configuration: mchid \"<10 characters, not shown>\" is malformed: a merchant id is made of digits",
            || built(complete().mchid("19000000O1")),
        ),
        case(
            "configuration",
            "missing merchant key",
            "no `.merchant_key(…)`",
            Config(C::Missing("merchant_key")),
            "configuration: merchant_key is required",
            || {
                built(
                    Client::builder()
                        .mchid(MCHID)
                        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM),
                )
            },
        ),
        case(
            "configuration",
            "APIv3 key of 31 bytes",
            "`.apiv3_key(\"fixtureApiV3Key-0123456789ABCDE\")`",
            Config(C::InvalidApiV3Key(31)),
            "configuration: APIv3 key must be 32 bytes, got 31",
            || built(complete().apiv3_key(&APIV3_KEY[..31])),
        ),
        case(
            "configuration",
            "APIv3 key of 33 bytes",
            "`.apiv3_key(\"fixtureApiV3Key-0123456789ABCDEF0\")`",
            Config(C::InvalidApiV3Key(33)),
            "configuration: APIv3 key must be 32 bytes, got 33",
            || built(complete().apiv3_key(format!("{APIV3_KEY}0"))),
        ),
        case(
            "configuration",
            "no verifying key",
            "neither `.wechatpay_public_key` nor `.platform_certificate` nor `.certificate_refresh`",
            Config(C::Missing(
                "wechatpay_public_key or platform_certificate (or certificate_refresh with apiv3_key)",
            )),
            "configuration: wechatpay_public_key or platform_certificate (or certificate_refresh with apiv3_key) is required",
            || {
                built(
                    Client::builder()
                        .mchid(MCHID)
                        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                        .apiv3_key(APIV3_KEY),
                )
            },
        ),
        case(
            "configuration",
            "certificate refresh without APIv3 key",
            "`.certificate_refresh(12 h)`, no `.apiv3_key`",
            Config(C::Missing("apiv3_key (needed by certificate_refresh)")),
            "configuration: apiv3_key (needed by certificate_refresh) is required",
            || {
                built(
                    Client::builder()
                        .mchid(MCHID)
                        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                        .certificate_refresh(std::time::Duration::from_secs(12 * 3600)),
                )
            },
        ),
        case(
            "configuration",
            "base URL without trailing slash",
            "`.base_url(\"http://127.0.0.1:8080\")`",
            Config(C::InvalidBaseUrl("http://127.0.0.1:8080".into())),
            "configuration: base URL \"http://127.0.0.1:8080\" must be absolute http(s) and end with '/'",
            || built(complete().base_url("http://127.0.0.1:8080")),
        ),
        case(
            "configuration",
            "notification without APIv3 key",
            "`parse_notification` on a client built without `.apiv3_key`",
            Config(C::Missing("apiv3_key (needed to decrypt notifications)")),
            "configuration: apiv3_key (needed to decrypt notifications) is required",
            || {
                let client = Client::builder()
                    .mchid(MCHID)
                    .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                    .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
                    .clock(FixedClock(NOW))
                    .build()?;
                let body = good_body();
                client
                    .parse_notification::<serde_json::Value>(&signed(&body), body.as_bytes())
                    .map(|_| ())
            },
        ),
    ]
}

// ---------------------------------------------------------------- running and printing

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `text` as inline code, with double backticks when it holds one.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {} ``", cell(text))
    } else {
        format!("`{}`", cell(text))
    }
}

fn markdown(cases: &[Case]) -> String {
    let mut out = String::from(
        "# Bad inputs and the errors they get\n\n\
         Generated by `tests/bad_inputs.rs` \
         (`WXPAY_WRITE_BAD_INPUTS=1 cargo test --test bad_inputs`); do not edit. Every row is \
         asserted exactly, variant and `Display`, and none panics. Keys and certificates are \
         the openssl-made fixtures in `wxpay-core/tests/fixtures`; notifications are signed \
         with the fixture WeChat Pay key and read by `Client::parse_notification` with the \
         clock at 2025-01-01T00:00:00Z.\n\n\
         | group | case | input | error (`Display`) | variant |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for c in cases {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(c.group),
            cell(c.name),
            cell(&c.input),
            code(c.display),
            code(&format!("Error::{:?}", c.expect)),
        ));
    }
    out
}

#[test]
fn every_bad_input_gets_its_exact_error_and_nothing_panics() {
    let cases = cases();
    let mut failures = Vec::new();
    for c in &cases {
        let label = format!("{} / {}", c.group, c.name);
        match catch_unwind(AssertUnwindSafe(|| (c.run)())) {
            Err(_) => failures.push(format!("{label}: panicked")),
            Ok(Ok(())) => failures.push(format!("{label}: accepted, expected {:?}", c.expect)),
            Ok(Err(error)) => {
                if !c.expect.matches(&error) {
                    failures.push(format!("{label}: got {error:?}, expected {:?}", c.expect));
                }
                if error.to_string() != c.display {
                    failures.push(format!(
                        "{label}: displays {:?}, expected {:?}",
                        error.to_string(),
                        c.display
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    let table = markdown(&cases);
    println!("{table}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC);
    if std::env::var_os("WXPAY_WRITE_BAD_INPUTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &table).unwrap();
    } else if let Ok(committed) = std::fs::read_to_string(&path) {
        assert!(
            committed == table,
            "{DOC} is out of date: WXPAY_WRITE_BAD_INPUTS=1 cargo test --test bad_inputs"
        );
    }
}

#[test]
fn the_good_inputs_of_the_table_are_accepted() {
    // The table's inputs are the good ones with one thing wrong: check the good ones pass.
    complete().build().unwrap();
    let body = good_body();
    let client = complete().build().unwrap();
    let note = client
        .parse_notification::<serde_json::Value>(&signed(&body), body.as_bytes())
        .unwrap();
    assert_eq!(
        note.resource,
        serde_json::from_str::<serde_json::Value>(RESOURCE).unwrap()
    );
    let wechatpay = wxpay::RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    let name = wechatpay.encrypt("张三").unwrap();
    let plain = json!({"openid": "o", "name": name}).to_string();
    let body = notification_body(resource(&plain));
    let note = client
        .parse_notification::<Payer>(&signed(&body), body.as_bytes())
        .unwrap();
    assert_eq!(note.resource.name, "张三");
    let headers = signed_by(
        &wechatpay_signer(),
        PLATFORM_SERIAL,
        &(NOW - 300).to_string(),
        body.as_bytes(),
    );
    client
        .parse_notification::<Payer>(&headers, body.as_bytes())
        .unwrap();
}
