//! No `Debug` or `Display` of a key type, an error, the engine, a prepared request or a
//! notification holds key material, the APIv3 key, a signature, a signature input or a
//! decrypted plaintext.

mod common;

use common::*;
use http::HeaderMap;
use serde::Deserialize;
use wxpay_core::{
    ApiV3Key, Engine, Error, FixedClock, KeyStore, MerchantKey, PlatformCertificate, RsaPublicKey,
    WechatPayPublicKey, aead, sign,
};

/// Windows of the merchant private key's numbers (hex and decimal), from
/// `openssl rsa -in merchant_key.pem -noout -text`.
const KEY_NUMBER_WINDOWS: [&str; 14] = [
    "9a91d12daafe93c0e1ad72071f115018", // private exponent
    "328116191150547440793103528937",
    "7f8a97e831f26266c37460825d4804dd", // prime 1
    "816763687100141412117792488299",
    "ff4ba4253de12c96ddd84054f1a6ff61", // prime 2
    "667338957682216141661465230941",
    "0f40246a9155b1dd8fdfdb9a887442d0", // exponent 1
    "701533004157094420274100682156",
    "3d78b59a85c230d1e83f83e09cc3a851", // exponent 2
    "204565443663887107610271938357",
    "14d6892d5cd267d3d0dd0f4f8a1c57e5", // coefficient
    "423512120734360109961422953535",
    "30cb91f8e380870dd3035564cdb30009", // modulus
    "877564348353151483668103640817",
];

const PLAINTEXT_NAME: &str = "张三丰";
const PLAINTEXT_ID: &str = "110101199003077777";
const RESOURCE_SECRET: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

/// Every secret the outputs are searched for.
fn secrets() -> Vec<String> {
    let mut s: Vec<String> = Vec::new();
    for pem in [MERCHANT_KEY_PEM, WECHATPAY_KEY_PEM, MERCHANT_KEY_PKCS1_PEM] {
        for line in pem.lines().filter(|l| !l.starts_with("-----")) {
            // Any 24 characters of the key's base64 text.
            for chunk in line.as_bytes().chunks(24).filter(|c| c.len() == 24) {
                s.push(String::from_utf8(chunk.to_vec()).unwrap());
            }
        }
    }
    for w in KEY_NUMBER_WINDOWS {
        s.push(w.to_string());
        s.push(w.to_ascii_uppercase());
    }
    s.push(APIV3_KEY.to_string());
    s.push(APIV3_KEY[..16].to_string());
    s.push(APIV3_KEY[16..].to_string());
    // The APIv3 key's bytes as Debug of a byte array would print them.
    let bytes: Vec<String> = APIV3_KEY.bytes().take(8).map(|b| b.to_string()).collect();
    s.push(bytes.join(", "));
    for plain in [PLAINTEXT_NAME, PLAINTEXT_ID, RESOURCE_SECRET, "深圳分店"] {
        s.push(plain.to_string());
        let bytes: Vec<String> = plain.bytes().take(6).map(|b| b.to_string()).collect();
        s.push(bytes.join(", "));
        s.push(plain.escape_unicode().to_string());
    }
    s
}

/// Fails when `text` holds a secret, or a run that looks like key material.
fn assert_clean(what: &str, text: &str, extra: &[&str]) {
    for secret in secrets()
        .iter()
        .map(String::as_str)
        .chain(extra.iter().copied())
    {
        assert!(!text.contains(secret), "{what} holds {secret:?}:\n{text}");
    }
    let longest_run = |pred: fn(char) -> bool| {
        let (mut best, mut run) = (0, 0);
        for c in text.chars() {
            run = if pred(c) { run + 1 } else { 0 };
            best = best.max(run);
        }
        best
    };
    // Serials are 40 hex characters; key material is hundreds.
    let hex = longest_run(|c| c.is_ascii_hexdigit());
    assert!(hex <= 40, "{what}: a run of {hex} hex digits:\n{text}");
    let b64 = longest_run(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
    assert!(
        b64 <= 48,
        "{what}: a run of {b64} base64 characters:\n{text}"
    );
}

fn assert_debug_clean<T: std::fmt::Debug>(what: &str, value: &T, extra: &[&str]) {
    assert_clean(what, &format!("{value:?}"), extra);
    assert_clean(what, &format!("{value:#?}"), extra);
}

fn assert_error_clean(what: &str, err: &Error, extra: &[&str]) {
    assert_debug_clean(what, err, extra);
    assert_clean(what, &err.to_string(), extra);
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    // The checker itself must be able to fail.
    let leaks = [
        MERCHANT_KEY_PEM.to_string(),
        APIV3_KEY.to_string(),
        format!("{:?}", APIV3_KEY.as_bytes()),
        format!("name: {PLAINTEXT_NAME}"),
        "9A91D12DAAFE93C0E1AD72071F115018".to_string(),
        "ab".repeat(30),
    ];
    for leak in leaks {
        let caught = std::panic::catch_unwind(|| assert_clean("probe", &leak, &[]));
        assert!(caught.is_err(), "not caught: {leak}");
    }
    assert_clean("probe", &format!("serial {MERCHANT_SERIAL}"), &[]);
}

#[test]
fn key_types() {
    let merchant = merchant_key();
    assert_eq!(
        format!("{merchant:?}"),
        r#"MerchantKey { serial: "3775B6A45ACD588826FF1B4B3F1C8E7A2B1D0C9E", key: "***" }"#
    );
    assert_debug_clean("MerchantKey", &merchant, &[]);
    let pkcs1 = MerchantKey::new(MERCHANT_SERIAL, MERCHANT_KEY_PKCS1_DER).unwrap();
    assert_debug_clean("MerchantKey from DER", &pkcs1, &[]);

    let apiv3 = ApiV3Key::new(APIV3_KEY).unwrap();
    assert_eq!(format!("{apiv3:?}"), r#"ApiV3Key("***")"#);
    assert_debug_clean("ApiV3Key", &apiv3, &[]);

    let public = WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap();
    assert_eq!(
        format!("{public:?}"),
        r#"WechatPayPublicKey { id: "PUB_KEY_ID_0114232134912410000000000000", .. }"#
    );
    let cert = PlatformCertificate::new(PLATFORM_CERT_PEM).unwrap();
    assert_eq!(
        format!("{cert:?}"),
        r#"PlatformCertificate { serial: "5A1B2C3D4E5F60718293A4B5C6D7E8F901234567", not_before: 1704067200, not_after: 2019686400, .. }"#
    );
    let rsa = RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    assert_eq!(format!("{rsa:?}"), "RsaPublicKey");
    assert_debug_clean(
        "RsaPublicKey from merchant key",
        &merchant.public_key(),
        &[],
    );

    let mut store = KeyStore::new();
    store.set_public_key(public);
    store.add_certificate(cert);
    assert_debug_clean("KeyStore", &store, &[]);
    let encryptor = store.encryptor(NOW).unwrap();
    assert_eq!(
        format!("{encryptor:?}"),
        r#"FieldEncryptor { id: "PUB_KEY_ID_0114232134912410000000000000", .. }"#
    );
}

#[test]
fn engine_and_builder() {
    let engine = engine();
    assert_debug_clean("Engine", &engine, &[]);
    let text = format!("{engine:?}");
    assert!(
        text.contains(MCHID) && text.contains(MERCHANT_SERIAL),
        "{text}"
    );
    let builder = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .apiv3_key(APIV3_KEY)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM);
    assert_debug_clean("EngineBuilder", &builder, &[]);
    // A builder holding a bad key and a bad APIv3 key.
    let builder = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, &MERCHANT_KEY_PEM[..900])
        .apiv3_key(&APIV3_KEY[..31]);
    assert_debug_clean("EngineBuilder with errors", &builder, &[]);
}

mod endpoint {
    use serde::Serialize;
    use wxpay_core::private::{self, encrypted};
    use wxpay_core::{Endpoint, Error, Method, RequestParts, ResponseKind};

    #[derive(Serialize)]
    pub struct Presign {
        pub appid: String,
        #[serde(with = "encrypted")]
        pub real_name: String,
        #[serde(with = "encrypted")]
        pub identity_id: String,
    }

    impl Endpoint for Presign {
        type Response = serde_json::Value;
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "v3/presign";
        const BASE_URL: Option<&'static str> = None;
        const RESPONSE_KIND: ResponseKind = ResponseKind::Json;
        fn write_request(&self, request: &mut RequestParts) -> Result<(), Error> {
            request.push_path(Self::PATH);
            request.set_json_body(self)
        }
        fn decode_response(body: &[u8]) -> Result<serde_json::Value, Error> {
            private::decode_json(body)
        }
    }
}

#[test]
fn prepared_request() {
    let engine = engine();
    let request = endpoint::Presign {
        appid: "wxd678efh567hg6787".into(),
        real_name: PLAINTEXT_NAME.into(),
        identity_id: PLAINTEXT_ID.into(),
    };
    let prepared = engine.prepare(&request, None).unwrap();
    let authorization = prepared.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_string();
    let (_, fields) = parse_authorization(&authorization);
    let signature = field(&fields, "signature").to_string();
    let nonce = field(&fields, "nonce_str").to_string();
    let body = String::from_utf8(prepared.body().to_vec()).unwrap();
    let message = sign::request_message("POST", "/v3/presign", NOW, &nonce, prepared.body());
    let message = String::from_utf8(message).unwrap();
    let ciphertext = serde_json::from_str::<serde_json::Value>(&body).unwrap()["real_name"]
        .as_str()
        .unwrap()
        .to_string();
    assert_debug_clean(
        "PreparedRequest",
        &prepared,
        &[
            &signature[..24],
            &signature[200..],
            &nonce,
            &body,
            &format!("{message:?}"),
            &ciphertext[..24],
            "wxd678efh567hg6787",
        ],
    );
    assert_eq!(
        format!("{prepared:?}"),
        format!(
            r#"PreparedRequest {{ method: Post, url: "https://api.mch.weixin.qq.com/v3/presign", body_len: {}, .. }}"#,
            body.len()
        )
    );
    // The plaintext is not in the body either.
    assert!(
        !body.contains(PLAINTEXT_NAME) && !body.contains(PLAINTEXT_ID),
        "{body}"
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Resource {
    payer: serde_json::Value,
}

fn notification_body() -> String {
    let key = ApiV3Key::new(APIV3_KEY).unwrap();
    let plain = format!(
        r#"{{"mchid":"1900000001","payer":{{"openid":"{RESOURCE_SECRET}"}},"attach":"深圳分店"}}"#
    );
    let ciphertext = aead::encrypt(&key, "fixtureNonc1", "transaction", plain.as_bytes()).unwrap();
    format!(
        r#"{{"id":"EV-1","create_time":"2015-05-20T13:29:35+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"支付成功","resource":{{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"{ciphertext}","associated_data":"transaction","nonce":"fixtureNonc1"}}}}"#
    )
}

#[test]
fn notification() {
    let body = notification_body();
    let headers = signed_headers(PUB_KEY_ID, &NOW.to_string(), "n1", body.as_bytes());
    let note = engine()
        .parse_notification::<Resource>(&headers, body.as_bytes())
        .unwrap();
    assert_eq!(note.resource.payer["openid"], RESOURCE_SECRET);
    let signature = headers["Wechatpay-Signature"].to_str().unwrap();
    assert_debug_clean("Notification", &note, &[&signature[..24]]);
    let value = engine()
        .parse_notification::<serde_json::Value>(&headers, body.as_bytes())
        .unwrap();
    assert_debug_clean("Notification<Value>", &value, &[]);
}

/// Every error the engine can produce from secret-bearing input.
#[test]
fn errors() {
    let mut errors: Vec<(&str, Error)> = Vec::new();
    let mut push = |what: &'static str, r: Result<(), Error>| match r {
        Err(e) => errors.push((what, e)),
        Ok(()) => panic!("{what} did not fail"),
    };
    let bad_key = |input: &str| MerchantKey::new(MERCHANT_SERIAL, input).map(|_| ());
    push("truncated PEM", bad_key(&MERCHANT_KEY_PEM[..1000]));
    push(
        "PEM with a line cut",
        bad_key(&MERCHANT_KEY_PEM.replacen('\n', "", 3)[..1500]),
    );
    push(
        "corrupted PEM",
        bad_key(&MERCHANT_KEY_PEM.replacen("MII", "M!I", 1)),
    );
    push("encrypted PEM", bad_key(MERCHANT_KEY_ENCRYPTED_PEM));
    push(
        "legacy encrypted PEM",
        bad_key(MERCHANT_KEY_PKCS1_ENCRYPTED_PEM),
    );
    push("bare base64 cut", bad_key(&MERCHANT_KEY_B64[..1000]));
    push("EC key", bad_key(EC_KEY_PEM));
    push("1024-bit key", bad_key(RSA1024_KEY_PEM));
    push("certificate as key", bad_key(MERCHANT_CERT_PEM));
    // Arguments swapped: the private key given as the serial.
    push(
        "key as serial",
        MerchantKey::new(MERCHANT_KEY_PEM, MERCHANT_SERIAL).map(|_| ()),
    );
    push(
        "private key as public key",
        WechatPayPublicKey::new(PUB_KEY_ID, MERCHANT_KEY_PEM).map(|_| ()),
    );
    push(
        "private key as certificate",
        PlatformCertificate::new(MERCHANT_KEY_PEM).map(|_| ()),
    );
    push(
        "private key DER as certificate",
        PlatformCertificate::new(MERCHANT_KEY_DER).map(|_| ()),
    );
    push(
        "APIv3 key too long",
        ApiV3Key::new(format!("{APIV3_KEY}x")).map(|_| ()),
    );
    push(
        "APIv3 key too short",
        ApiV3Key::new(&APIV3_KEY[..31]).map(|_| ()),
    );
    // The APIv3 key given as the merchant id.
    push(
        "APIv3 key as mchid",
        Engine::builder()
            .mchid(APIV3_KEY)
            .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
            .build(true)
            .map(|_| ()),
    );
    // The private key given as the merchant id.
    push(
        "key as mchid",
        Engine::builder()
            .mchid(MERCHANT_KEY_PEM)
            .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
            .build(true)
            .map(|_| ()),
    );

    let engine = engine();
    let public = WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap();
    push(
        "OAEP too long",
        public.encrypt(&PLAINTEXT_NAME.repeat(30)).map(|_| ()),
    );
    push(
        "prepare with a value too long",
        engine
            .prepare(
                &endpoint::Presign {
                    appid: "a".into(),
                    real_name: PLAINTEXT_NAME.repeat(30),
                    identity_id: PLAINTEXT_ID.into(),
                },
                None,
            )
            .map(|_| ()),
    );
    let cipher_for_wechatpay = public.encrypt(PLAINTEXT_NAME).unwrap();
    push(
        "decrypt with the wrong key",
        merchant_key().decrypt(&cipher_for_wechatpay).map(|_| ()),
    );
    let apiv3 = ApiV3Key::new(APIV3_KEY).unwrap();
    let sealed = aead::encrypt(&apiv3, "fixtureNonc1", "", PLAINTEXT_ID.as_bytes()).unwrap();
    let other = ApiV3Key::new("fixtureApiV3Key-0123456789ABCDEx").unwrap();
    push(
        "AES-GCM with the wrong key",
        aead::decrypt(&other, "fixtureNonc1", "", &sealed).map(|_| ()),
    );

    // A notification whose decrypted resource does not fit the type.
    let body = notification_body();
    let headers = signed_headers(PUB_KEY_ID, &NOW.to_string(), "n1", body.as_bytes());
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct WrongType {
        payer: u64,
    }
    push(
        "resource of the wrong type",
        engine
            .parse_notification::<WrongType>(&headers, body.as_bytes())
            .map(|_| ()),
    );
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Variant {
        A,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct WrongVariant {
        attach: Variant,
    }
    push(
        "resource with an unknown variant",
        engine
            .parse_notification::<WrongVariant>(&headers, body.as_bytes())
            .map(|_| ()),
    );
    // Verification failures over that body.
    let mut tampered = headers.clone();
    tampered.insert("Wechatpay-Nonce", "n2".parse().unwrap());
    push(
        "bad signature",
        engine
            .parse_notification::<serde_json::Value>(&tampered, body.as_bytes())
            .map(|_| ()),
    );
    push(
        "stale",
        engine_at(NOW + 1000)
            .parse_notification::<serde_json::Value>(&headers, body.as_bytes())
            .map(|_| ()),
    );
    // A signed answer that does not decode, quoting a secret value.
    let answer = format!(r#"{{"secret":"{RESOURCE_SECRET}","n":"{PLAINTEXT_NAME}"}}"#);
    let h = signed_headers(PUB_KEY_ID, &NOW.to_string(), "n1", answer.as_bytes());
    push(
        "answer of the wrong type",
        engine
            .read_response::<endpoint::Presign>(200, &h, b"[1")
            .map(|_| ()),
    );
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Strict {
        n: u8,
    }
    let err = serde_json::from_str::<Strict>(&answer).unwrap_err();
    push("json_decode", Err(Error::json_decode("the answer", &err)));
    // An error answer.
    let err_body = r#"{"code":"PARAM_ERROR","message":"bad"}"#;
    push(
        "API error",
        engine
            .read_response::<endpoint::Presign>(400, &HeaderMap::new(), err_body.as_bytes())
            .map(|_| ()),
    );
    let engine_without_apiv3 = Engine::builder()
        .mchid(MCHID)
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY_PEM)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .clock(FixedClock(NOW))
        .build(false)
        .unwrap();
    push(
        "no APIv3 key",
        engine_without_apiv3
            .parse_notification::<serde_json::Value>(&headers, body.as_bytes())
            .map(|_| ()),
    );

    assert_eq!(errors.len(), 29);
    for (what, err) in &errors {
        assert_error_clean(what, err, &[&sealed[..24], &cipher_for_wechatpay[..24]]);
    }
}
