//! The engine: configuration, preparing requests (signed, encrypted), reading answers.
//!
//! The endpoints are implemented by hand the way `#[wxpay_endpoint]` generates them.

mod common;

use common::*;
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use wxpay_core::private::{self, encrypted};
use wxpay_core::{
    Body, ConfigError, Download, Endpoint, Engine, Error, File, FixedClock, KeyStore, Method,
    PlatformCertificate, RequestParts, ResponseKind, VerifyError, sign,
};

// ---------------------------------------------------------------- endpoints

/// `GET v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…`
struct QueryOrder {
    out_trade_no: String,
    mchid: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Order {
    out_trade_no: String,
    trade_state: String,
}

impl Endpoint for QueryOrder {
    type Response = Order;
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "v3/pay/transactions/out-trade-no/{out_trade_no}";
    const BASE_URL: Option<&'static str> = None;
    const RESPONSE_KIND: ResponseKind = ResponseKind::Json;

    fn write_request(&self, request: &mut RequestParts) -> Result<(), Error> {
        request.push_path("v3/pay/transactions/out-trade-no/");
        request.push_path_param(&self.out_trade_no)?;
        request.push_query("mchid", &self.mchid)?;
        Ok(())
    }

    fn decode_response(body: &[u8]) -> Result<Order, Error> {
        private::decode_json(body)
    }
}

/// `POST v3/credit-repayment/partner/contracts/app-presign` with `#[encrypted]` fields and an
/// `Idempotency-Key` header. Serializing it outside the engine fails, as with the macro.
#[derive(Serialize)]
struct AppPresign {
    appid: String,
    #[serde(with = "encrypted")]
    real_name: String,
    #[serde(with = "encrypted", skip_serializing_if = "Option::is_none")]
    identity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip)]
    idempotency_key: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct PresignAnswer {
    presign_token: String,
    #[serde(default, deserialize_with = "encrypted::deserialize")]
    echo_name: Option<String>,
}

impl Endpoint for AppPresign {
    type Response = PresignAnswer;
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "v3/credit-repayment/partner/contracts/app-presign";
    const BASE_URL: Option<&'static str> = None;
    const RESPONSE_KIND: ResponseKind = ResponseKind::Json;

    fn write_request(&self, request: &mut RequestParts) -> Result<(), Error> {
        request.push_path(Self::PATH);
        request.push_header("Idempotency-Key", &self.idempotency_key)?;
        request.set_json_body(self)
    }

    fn decode_response(body: &[u8]) -> Result<PresignAnswer, Error> {
        private::decode_json(body)
    }
}

fn presign(real_name: &str) -> AppPresign {
    AppPresign {
        appid: "wxd678efh567hg6787".into(),
        real_name: real_name.into(),
        identity_id: Some("110101199003077777".into()),
        note: None,
        idempotency_key: "IDEMP-0001".into(),
    }
}

/// `DELETE v3/x/{id}` on the Hong Kong host, answer ignored, with an encrypted query field.
struct HkDelete {
    id: String,
    phone: Option<String>,
}

impl Endpoint for HkDelete {
    type Response = ();
    const METHOD: Method = Method::Delete;
    const PATH: &'static str = "v3/global/x/{id}";
    const BASE_URL: Option<&'static str> = Some("https://apihk.mch.weixin.qq.com/");
    const RESPONSE_KIND: ResponseKind = ResponseKind::Empty;

    fn write_request(&self, request: &mut RequestParts) -> Result<(), Error> {
        request.push_path("v3/global/x/");
        request.push_path_param(&self.id)?;
        request.push_query_encrypted("phone", &self.phone)?;
        Ok(())
    }

    fn decode_response(body: &[u8]) -> Result<(), Error> {
        private::decode_empty(body)
    }
}

/// `GET v3/billdownload/file?token=…`: an unsigned download.
struct DownloadBill {
    token: String,
}

impl Endpoint for DownloadBill {
    type Response = Download;
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "v3/billdownload/file";
    const BASE_URL: Option<&'static str> = None;
    const RESPONSE_KIND: ResponseKind = ResponseKind::Download;

    fn write_request(&self, request: &mut RequestParts) -> Result<(), Error> {
        request.push_path(Self::PATH);
        request.push_query("token", &self.token)
    }

    fn decode_response(body: &[u8]) -> Result<Download, Error> {
        private::decode_download(body)
    }
}

/// `POST v3/merchant/media/upload`: multipart, the meta is signed.
struct Upload {
    file: File,
}

impl Endpoint for Upload {
    type Response = serde_json::Value;
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "v3/merchant/media/upload";
    const BASE_URL: Option<&'static str> = None;
    const RESPONSE_KIND: ResponseKind = ResponseKind::Json;

    fn write_request(&self, request: &mut RequestParts) -> Result<(), Error> {
        request.push_path(Self::PATH);
        request.set_multipart(&serde_json::json!({}), &self.file)
    }

    fn decode_response(body: &[u8]) -> Result<serde_json::Value, Error> {
        private::decode_json(body)
    }
}

fn query_order() -> QueryOrder {
    QueryOrder {
        out_trade_no: "1217752501201407033233368018".into(),
        mchid: "1230000109".into(),
    }
}

fn config_err(result: Result<Engine, Error>) -> ConfigError {
    match result {
        Err(Error::Config(e)) => e,
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(engine) => panic!("expected Error::Config, got {engine:?}"),
    }
}

/// Checks the `Authorization` header of `prepared`: fields, timestamp from the clock, a fresh
/// nonce, and the exact signature of the canonical URL and body.
fn check_authorization(prepared: &wxpay_core::PreparedRequest, now: i64) {
    let value = prepared.headers()["authorization"].to_str().unwrap();
    let (scheme, fields) = parse_authorization(value);
    assert_eq!(scheme, "WECHATPAY2-SHA256-RSA2048");
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["mchid", "nonce_str", "timestamp", "serial_no", "signature"]
    );
    assert_eq!(field(&fields, "mchid"), MCHID);
    assert_eq!(field(&fields, "serial_no"), MERCHANT_SERIAL);
    assert_eq!(field(&fields, "timestamp"), now.to_string());
    let nonce = field(&fields, "nonce_str");
    assert_eq!(nonce.len(), 32);
    assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
    let expected = sign::authorization(
        MCHID,
        &merchant_key(),
        prepared.method(),
        prepared.canonical_url(),
        now,
        nonce,
        prepared.body(),
    )
    .unwrap();
    assert_eq!(value, expected);
    // And it verifies with the merchant public key, as WeChat Pay checks it.
    let message = sign::request_message(
        prepared.method(),
        prepared.canonical_url(),
        now,
        nonce,
        prepared.body(),
    );
    let public = wxpay_core::RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    assert!(public.verify(&message, field(&fields, "signature")));
}

fn header_names(headers: &HeaderMap) -> Vec<&str> {
    let mut names: Vec<&str> = headers.keys().map(|k| k.as_str()).collect();
    names.sort();
    names
}

// ---------------------------------------------------------------- configuration

#[test]
fn builder_requires_mchid_and_merchant_key() {
    assert_eq!(
        config_err(
            Engine::builder()
                .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                .build(true)
        ),
        ConfigError::Missing("mchid")
    );
    assert_eq!(
        config_err(Engine::builder().mchid(MCHID).build(true)),
        ConfigError::Missing("merchant_key")
    );
    for bad in ["", "19000000O1", "1900 0001", "-1900000001"] {
        assert_eq!(
            config_err(
                Engine::builder()
                    .mchid(bad)
                    .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                    .build(true)
            ),
            ConfigError::InvalidId {
                what: "mchid",
                value: format!("<{} characters, not shown>", bad.chars().count()),
                reason: "a merchant id is made of digits",
            }
        );
    }
}

#[test]
fn a_secret_given_as_mchid_is_not_quoted() {
    for (value, shown) in [
        (APIV3_KEY, "<32 characters, not shown>"),
        (MERCHANT_KEY_PEM, "<1704 characters, not shown>"),
        ("12345678901234567890x", "<21 characters, not shown>"),
        ("1234567890123456789x", "<20 characters, not shown>"),
    ] {
        assert_eq!(
            config_err(
                Engine::builder()
                    .mchid(value)
                    .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                    .build(true)
            ),
            ConfigError::InvalidId {
                what: "mchid",
                value: shown.into(),
                reason: "a merchant id is made of digits",
            }
        );
    }
}

#[test]
fn builder_reports_key_errors() {
    let base = || Engine::builder().mchid(MCHID);
    assert_eq!(
        config_err(
            base()
                .merchant_key(MERCHANT_SERIAL, WECHATPAY_PUBLIC_KEY_PEM)
                .build(true)
        ),
        ConfigError::WrongKeyKind {
            expected: "a private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
            found: "BEGIN PUBLIC KEY".into(),
        }
    );
    assert_eq!(
        config_err(
            base()
                .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                .wechatpay_public_key(PUB_KEY_ID, MERCHANT_KEY_PEM)
                .build(false)
        ),
        ConfigError::WrongKeyKind {
            expected: "the WeChat Pay public key (BEGIN PUBLIC KEY)",
            found: "BEGIN PRIVATE KEY".into(),
        }
    );
    assert_eq!(
        config_err(
            base()
                .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
                .platform_certificate(WECHATPAY_PUBLIC_KEY_PEM)
                .build(false)
        ),
        ConfigError::WrongKeyKind {
            expected: "a certificate (BEGIN CERTIFICATE)",
            found: "BEGIN PUBLIC KEY".into(),
        }
    );
    assert_eq!(
        config_err(
            base()
                .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
                .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
                .apiv3_key("sixteen-byte-key")
                .build(false)
        ),
        ConfigError::InvalidApiV3Key(16)
    );
}

#[test]
fn builder_needs_a_wechatpay_key_unless_allowed() {
    let base = || {
        Engine::builder()
            .mchid(MCHID)
            .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
            .apiv3_key(APIV3_KEY)
    };
    assert_eq!(
        config_err(base().build(false)),
        ConfigError::Missing(
            "wechatpay_public_key or platform_certificate (or certificate_refresh with apiv3_key)"
        )
    );
    let engine = base().clock(FixedClock(NOW)).build(true).unwrap();
    assert!(engine.key_store().is_empty());
    // With no key, nothing can be prepared.
    match engine.prepare(&query_order(), None) {
        Err(Error::Config(e)) => assert_eq!(
            e,
            ConfigError::Missing("a WeChat Pay public key or a valid platform certificate")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn engine_accessors() {
    let engine = engine();
    assert_eq!(engine.mchid(), MCHID);
    assert_eq!(engine.merchant_key().serial(), MERCHANT_SERIAL);
    assert_eq!(engine.now(), NOW);
    assert!(engine.apiv3_key().is_some());
    assert!(engine.key_store().contains(PUB_KEY_ID));
    assert!(engine.key_store().contains(PLATFORM_SERIAL));
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
    send_sync::<wxpay_core::PreparedRequest>();
}

// ---------------------------------------------------------------- preparing requests

#[test]
fn prepares_a_get_with_path_and_query() {
    let engine = engine();
    let prepared = engine.prepare(&query_order(), None).unwrap();
    assert_eq!(prepared.method(), "GET");
    assert_eq!(prepared.http_method(), Method::Get);
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109"
    );
    assert_eq!(
        prepared.canonical_url(),
        "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109"
    );
    assert_eq!(prepared.body(), b"");
    assert_eq!(prepared.full_body(), &Body::Empty);
    assert_eq!(
        header_names(prepared.headers()),
        ["accept", "authorization", "user-agent", "wechatpay-serial"]
    );
    assert_eq!(prepared.headers()["accept"], "application/json");
    assert_eq!(prepared.headers()["user-agent"], "wxpay-rust/0.1.0");
    assert_eq!(prepared.headers()["wechatpay-serial"], PUB_KEY_ID);
    check_authorization(&prepared, NOW);
}

#[test]
fn every_request_gets_a_fresh_nonce() {
    let engine = engine();
    let a = engine.prepare(&query_order(), None).unwrap();
    let b = engine.prepare(&query_order(), None).unwrap();
    assert_ne!(a.headers()["authorization"], b.headers()["authorization"]);
}

#[test]
fn path_values_are_encoded_as_one_segment_and_keep_their_case() {
    let engine = engine();
    let order = QueryOrder {
        out_trade_no: "Ab-_.~ c/d?e%f中".into(),
        mchid: "a&b=c d".into(),
    };
    let prepared = engine.prepare(&order, None).unwrap();
    assert_eq!(
        prepared.canonical_url(),
        "/v3/pay/transactions/out-trade-no/Ab-_.~%20c%2Fd%3Fe%25f%E4%B8%AD?mchid=a%26b%3Dc%20d"
    );
    check_authorization(&prepared, NOW);
    // An empty path value is refused rather than producing `…/out-trade-no/`.
    let empty = QueryOrder {
        out_trade_no: String::new(),
        mchid: "1".into(),
    };
    match engine.prepare(&empty, None) {
        Err(Error::Encode(reason)) => assert_eq!(reason, "a path placeholder's value is empty"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn prepares_a_post_with_encrypted_fields() {
    let engine = engine();
    let prepared = engine.prepare(&presign("张三"), None).unwrap();
    assert_eq!(prepared.method(), "POST");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/credit-repayment/partner/contracts/app-presign"
    );
    assert_eq!(
        header_names(prepared.headers()),
        [
            "accept",
            "authorization",
            "content-type",
            "idempotency-key",
            "user-agent",
            "wechatpay-serial"
        ]
    );
    assert_eq!(prepared.headers()["content-type"], "application/json");
    assert_eq!(prepared.headers()["idempotency-key"], "IDEMP-0001");
    assert_eq!(prepared.headers()["wechatpay-serial"], PUB_KEY_ID);
    check_authorization(&prepared, NOW);

    let body: serde_json::Value = serde_json::from_slice(prepared.body()).unwrap();
    let fields: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(fields, ["appid", "identity_id", "real_name"]); // `note: None` is left out
    assert_eq!(body["appid"], "wxd678efh567hg6787");
    let real_name = body["real_name"].as_str().unwrap();
    let identity_id = body["identity_id"].as_str().unwrap();
    assert_eq!(real_name.len(), 344);
    // Under the key named by Wechatpay-Serial: the WeChat Pay private key opens them.
    assert_eq!(wechatpay_signer().decrypt(real_name).unwrap(), "张三");
    assert_eq!(
        wechatpay_signer().decrypt(identity_id).unwrap(),
        "110101199003077777"
    );
    // The plaintext is nowhere in what is sent.
    let sent = String::from_utf8_lossy(prepared.body()).into_owned();
    assert!(!sent.contains("张三") && !sent.contains("110101199003077777"));
    // The body sent is the JSON that was signed, as it was serialized.
    assert_eq!(prepared.full_body(), &Body::Json(prepared.body().to_vec()));
}

#[test]
fn encrypted_fields_use_the_certificate_in_certificate_mode() {
    let engine = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PKCS1_PEM)
        .platform_certificate(PLATFORM_CERT_EXPIRED_PEM)
        .platform_certificate(PLATFORM_CERT_PEM)
        .platform_certificate(PLATFORM_CERT_ROTATED_PEM)
        .clock(FixedClock(NOW))
        .build(false)
        .unwrap();
    let prepared = engine.prepare(&presign("张三"), None).unwrap();
    // The newest valid certificate, and its serial in Wechatpay-Serial.
    assert_eq!(prepared.headers()["wechatpay-serial"], ROTATED_SERIAL);
    let body: serde_json::Value = serde_json::from_slice(prepared.body()).unwrap();
    assert_eq!(
        wechatpay_signer()
            .decrypt(body["real_name"].as_str().unwrap())
            .unwrap(),
        "张三"
    );
    check_authorization(&prepared, NOW);
    // Only expired certificates: refuses rather than encrypting under one.
    let expired_only = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .platform_certificate(PLATFORM_CERT_EXPIRED_PEM)
        .clock(FixedClock(NOW))
        .build(false)
        .unwrap();
    match expired_only.prepare(&presign("张三"), None) {
        Err(Error::Config(e)) => assert_eq!(
            e,
            ConfigError::Missing("a WeChat Pay public key or a valid platform certificate")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_encrypted_value_too_long_for_oaep() {
    let engine = engine();
    assert!(engine.prepare(&presign(&"x".repeat(214)), None).is_ok());
    match engine.prepare(&presign(&"x".repeat(215)), None) {
        Err(Error::Encode(reason)) => assert_eq!(
            reason,
            "an #[encrypted] value has 215 bytes; RSA-OAEP allows at most 214"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_request_cannot_be_serialized_to_plaintext_outside_the_engine() {
    let err = serde_json::to_string(&presign("张三")).unwrap_err();
    assert_eq!(err.to_string(), private::NO_ENCRYPTOR);
    assert!(!err.to_string().contains("张三"));
}

#[test]
fn hosts_and_encrypted_query_values() {
    let engine = engine();
    let delete = HkDelete {
        id: "X 1".into(),
        phone: Some("13800138000".into()),
    };
    let prepared = engine.prepare(&delete, None).unwrap();
    assert_eq!(prepared.method(), "DELETE");
    let url = prepared.url();
    assert!(
        url.starts_with("https://apihk.mch.weixin.qq.com/v3/global/x/X%201?phone="),
        "{url}"
    );
    // The encrypted value is percent-encoded base64 ('+', '/', '=' encoded).
    let encoded = prepared.canonical_url().split_once("?phone=").unwrap().1;
    assert!(!encoded.contains(['+', '/', '=']), "{encoded}");
    let cipher = percent_decode(encoded);
    assert_eq!(wechatpay_signer().decrypt(&cipher).unwrap(), "13800138000");
    check_authorization(&prepared, NOW);
    // A base URL given to prepare wins over the endpoint's own (a sandbox, a proxy).
    let prepared = engine
        .prepare(&delete, Some("http://127.0.0.1:8080/"))
        .unwrap();
    assert!(
        prepared
            .url()
            .starts_with("http://127.0.0.1:8080/v3/global/x/X%201?phone=")
    );
    let prepared = engine
        .prepare(&query_order(), Some("http://127.0.0.1:8080/prefix/"))
        .unwrap();
    assert_eq!(
        prepared.url(),
        "http://127.0.0.1:8080/prefix/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109"
    );
    // `None` encrypted query values are left out.
    let prepared = engine
        .prepare(
            &HkDelete {
                id: "X".into(),
                phone: None,
            },
            None,
        )
        .unwrap();
    assert_eq!(prepared.canonical_url(), "/v3/global/x/X");
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn multipart_upload_signs_the_meta_only() {
    let engine = engine();
    let file = File::new("x.jpg", b"\xff\xd8\xff\xe0 not really a jpeg".to_vec());
    let prepared = engine
        .prepare(&Upload { file: file.clone() }, None)
        .unwrap();
    // sha256sum of the bytes.
    let expected_meta = r#"{"filename":"x.jpg","sha256":"5368e7b92b51f4d19d0319af90a37a3795fb9f0ac3c0a64edd06eb7792bd4f78"}"#.to_string();
    assert_eq!(prepared.body(), expected_meta.as_bytes());
    assert_eq!(
        prepared.full_body(),
        &Body::Multipart {
            meta: expected_meta.into_bytes(),
            part: "file".into(),
            file,
        }
    );
    // No JSON Content-Type: the HTTP layer writes the multipart one.
    assert!(prepared.headers().get("content-type").is_none());
    check_authorization(&prepared, NOW);
}

#[test]
fn file_sha256_is_lowercase_hex() {
    // `printf message | sha256sum` and `printf "" | sha256sum`.
    assert_eq!(
        File::new("m.txt", b"message".to_vec()).sha256_hex(),
        "ab530a13e45914982b79f9b7e3fba994cfd1f3fb22f71cea1afbf02b460c6d1d"
    );
    assert_eq!(
        File::new("empty", Vec::new()).sha256_hex(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn sign_parts_for_undeclared_endpoints() {
    let engine = engine();
    let mut parts = RequestParts::new();
    parts.push_path("v3/merchant-transfer/batches");
    parts
        .set_json_body(&serde_json::json!({"b": 1, "a": "x"}))
        .unwrap();
    let prepared = engine
        .sign_parts(
            Method::Post,
            "https://api.mch.weixin.qq.com/",
            parts,
            "PUB_KEY_ID_X",
        )
        .unwrap();
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/merchant-transfer/batches"
    );
    assert_eq!(prepared.body(), br#"{"a":"x","b":1}"#);
    assert_eq!(prepared.headers()["wechatpay-serial"], "PUB_KEY_ID_X");
    check_authorization(&prepared, NOW);
}

#[test]
fn header_values_with_control_characters_are_refused() {
    let mut request = presign("张三");
    request.idempotency_key = "a\r\nInjected: 1".into();
    match engine().prepare(&request, None) {
        Err(Error::Encode(reason)) => {
            assert_eq!(reason, "header Idempotency-Key holds a control character")
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- reading answers

fn signed_answer(body: &str) -> HeaderMap {
    signed_headers(
        PUB_KEY_ID,
        &NOW.to_string(),
        "7d3c9a1e5b2f4068a9c1e3b5d7f90a2c",
        body.as_bytes(),
    )
}

#[test]
fn reads_a_signed_answer() {
    let body = r#"{"out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS"}"#;
    let order = engine()
        .read_response::<QueryOrder>(200, &signed_answer(body), body.as_bytes())
        .unwrap();
    assert_eq!(
        order,
        Order {
            out_trade_no: "1217752501201407033233368018".into(),
            trade_state: "SUCCESS".into(),
        }
    );
}

#[test]
fn an_unsigned_or_tampered_answer_is_refused() {
    let body = r#"{"out_trade_no":"1","trade_state":"SUCCESS"}"#;
    match engine().read_response::<QueryOrder>(200, &HeaderMap::new(), body.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::MissingHeader("Wechatpay-Timestamp"))
        }
        other => panic!("{other:?}"),
    }
    let tampered = body.replace("SUCCESS", "REFUND");
    match engine().read_response::<QueryOrder>(200, &signed_answer(body), tampered.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => assert_eq!(e, VerifyError::BadSignature),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_signed_answer_that_does_not_decode() {
    let body = r#"{"out_trade_no":"1"}"#;
    match engine().read_response::<QueryOrder>(200, &signed_answer(body), body.as_bytes()) {
        Err(Error::Decode {
            message: reason, ..
        }) => assert_eq!(
            reason,
            "the answer: missing field `trade_state` at line 1 column 20"
        ),
        other => panic!("{other:?}"),
    }
    let body = r#"{"out_trade_no":"secret-value","trade_state":7}"#;
    match engine().read_response::<QueryOrder>(200, &signed_answer(body), body.as_bytes()) {
        Err(Error::Decode {
            message: reason, ..
        }) => assert_eq!(
            reason,
            "the answer: JSON does not match the expected type at line 1 column 46"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn encrypted_answer_fields_are_decrypted_with_the_merchant_key() {
    let merchant_public = wxpay_core::RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    let cipher = merchant_public.encrypt("张三").unwrap();
    let body = format!(r#"{{"presign_token":"T1","echo_name":"{cipher}"}}"#);
    let answer = engine()
        .read_response::<AppPresign>(200, &signed_answer(&body), body.as_bytes())
        .unwrap();
    assert_eq!(
        answer,
        PresignAnswer {
            presign_token: "T1".into(),
            echo_name: Some("张三".into()),
        }
    );
    // Absent: None.
    let body = r#"{"presign_token":"T1"}"#;
    let answer = engine()
        .read_response::<AppPresign>(200, &signed_answer(body), body.as_bytes())
        .unwrap();
    assert_eq!(answer.echo_name, None);
    // Encrypted under another key: the typed error, not serde's message.
    let other = wxpay_core::WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .unwrap()
        .encrypt("张三")
        .unwrap();
    let body = format!(r#"{{"presign_token":"T1","echo_name":"{other}"}}"#);
    match engine().read_response::<AppPresign>(200, &signed_answer(&body), body.as_bytes()) {
        Err(Error::Decode {
            message: reason, ..
        }) => assert_eq!(
            reason,
            "encrypted field does not decrypt with the merchant private key"
        ),
        other => panic!("{other:?}"),
    }
    // Outside the engine, an encrypted field cannot be read.
    let err = serde_json::from_str::<PresignAnswer>(&format!(
        r#"{{"presign_token":"T1","echo_name":"{cipher}"}}"#
    ))
    .unwrap_err();
    assert!(err.to_string().starts_with(private::NO_DECRYPTOR), "{err}");
}

#[test]
fn error_answers_become_api_errors() {
    let headers = headers(&[("Request-ID", "08F78BB5AF0610D302A0B5E8A0A1B2C3")]);
    let body = r#"{"code":"PARAM_ERROR","message":"appid和mch_id不匹配","detail":{"field":"/appid","issue":"mismatch"}}"#.as_bytes();
    match engine().read_response::<QueryOrder>(400, &headers, body) {
        Err(Error::Api {
            status,
            code,
            message,
            detail,
            request_id,
        }) => {
            assert_eq!(status, 400);
            assert_eq!(code, "PARAM_ERROR");
            assert_eq!(message, "appid和mch_id不匹配");
            assert_eq!(
                detail,
                Some(serde_json::json!({"field": "/appid", "issue": "mismatch"}))
            );
            assert_eq!(
                request_id.as_deref(),
                Some("08F78BB5AF0610D302A0B5E8A0A1B2C3")
            );
        }
        other => panic!("{other:?}"),
    }
    let err = engine()
        .read_response::<QueryOrder>(
            401,
            &headers,
            r#"{"code":"SIGN_ERROR","message":"签名错误"}"#.as_bytes(),
        )
        .unwrap_err();
    assert_eq!(err.api_code(), Some("SIGN_ERROR"));
    assert_eq!(
        err.to_string(),
        "WeChat Pay answered 401 SIGN_ERROR: 签名错误 (Request-ID 08F78BB5AF0610D302A0B5E8A0A1B2C3)"
    );
}

#[test]
fn error_answers_that_are_not_wechatpay_json() {
    let html = b"<html><body>502 Bad Gateway</body></html>";
    match engine().read_response::<QueryOrder>(502, &HeaderMap::new(), html) {
        Err(Error::Api {
            status,
            code,
            message,
            detail,
            request_id,
        }) => {
            assert_eq!(status, 502);
            assert_eq!(code, "HTTP_502");
            assert_eq!(message, "non-JSON error answer of 41 bytes");
            assert_eq!(detail, None);
            assert_eq!(request_id, None);
        }
        other => panic!("{other:?}"),
    }
    // JSON without a code.
    let err = engine()
        .read_response::<QueryOrder>(404, &HeaderMap::new(), b"{}")
        .unwrap_err();
    assert_eq!(err.to_string(), "WeChat Pay answered 404 HTTP_404: ");
    // 1xx and 3xx are not 2xx either.
    for status in [100u16, 199, 300, 304, 600] {
        let err = engine()
            .read_response::<QueryOrder>(status, &HeaderMap::new(), b"")
            .unwrap_err();
        assert_eq!(err.api_code(), Some(format!("HTTP_{status}").as_str()));
    }
}

#[test]
fn empty_answers_are_verified_too() {
    let headers = signed_answer("");
    engine()
        .read_response::<HkDelete>(204, &headers, b"")
        .unwrap();
    match engine().read_response::<HkDelete>(204, &HeaderMap::new(), b"") {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::MissingHeader("Wechatpay-Timestamp"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn downloads_are_not_verified() {
    let bytes = b"\xef\xbb\xbf\xe4\xba\xa4\xe6\x98\x93\xe6\x97\xb6\xe9\x97\xb4,`2024";
    let download = engine()
        .read_response::<DownloadBill>(200, &HeaderMap::new(), bytes)
        .unwrap();
    assert_eq!(download.bytes(), bytes);
    assert_eq!(download.into_bytes(), bytes.to_vec());
    let prepared = engine()
        .prepare(
            &DownloadBill {
                token: "t+1/=".into(),
            },
            None,
        )
        .unwrap();
    assert_eq!(
        prepared.canonical_url(),
        "/v3/billdownload/file?token=t%2B1%2F%3D"
    );
}

#[test]
fn answers_are_checked_against_the_engine_clock() {
    let body = r#"{"out_trade_no":"1","trade_state":"SUCCESS"}"#;
    let headers = signed_answer(body);
    engine_at(NOW + 300)
        .read_response::<QueryOrder>(200, &headers, body.as_bytes())
        .unwrap();
    match engine_at(NOW + 301).read_response::<QueryOrder>(200, &headers, body.as_bytes()) {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::StaleTimestamp { skew: 301 })
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn key_store_can_be_replaced() {
    let engine = engine();
    let body = r#"{"out_trade_no":"1","trade_state":"SUCCESS"}"#;
    let headers = signed_answer(body);
    assert_eq!(engine.verify(&headers, body.as_bytes()), Ok(()));
    let mut only_cert = KeyStore::new();
    only_cert.add_certificate(PlatformCertificate::new(PLATFORM_CERT_PEM).unwrap());
    engine.set_key_store(only_cert);
    assert_eq!(
        engine.verify(&headers, body.as_bytes()),
        Err(VerifyError::UnknownSerial(PUB_KEY_ID.into()))
    );
    let prepared = engine.prepare(&presign("张三"), None).unwrap();
    assert_eq!(prepared.headers()["wechatpay-serial"], PLATFORM_SERIAL);
}

#[test]
fn engines_are_independent() {
    // Two merchants in one process: no global state.
    let a = engine();
    let b = Engine::builder()
        .mchid("1900000002")
        .merchant_key(
            "5F1C72E2A8931B72A2E13AF8DEE92471EB397115",
            WECHATPAY_KEY_PEM,
        )
        .platform_certificate(PLATFORM_CERT_PEM)
        .clock(FixedClock(NOW + 10))
        .build(false)
        .unwrap();
    let pa = a.prepare(&query_order(), None).unwrap();
    let pb = b.prepare(&query_order(), None).unwrap();
    let (_, fa) = parse_authorization(pa.headers()["authorization"].to_str().unwrap());
    let (_, fb) = parse_authorization(pb.headers()["authorization"].to_str().unwrap());
    assert_eq!(field(&fa, "mchid"), MCHID);
    assert_eq!(field(&fb, "mchid"), "1900000002");
    assert_eq!(
        field(&fb, "serial_no"),
        "5F1C72E2A8931B72A2E13AF8DEE92471EB397115"
    );
    assert_eq!(field(&fb, "timestamp"), (NOW + 10).to_string());
    assert_eq!(pa.headers()["wechatpay-serial"], PUB_KEY_ID);
    assert_eq!(pb.headers()["wechatpay-serial"], PLATFORM_SERIAL);
}
