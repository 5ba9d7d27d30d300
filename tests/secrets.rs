//! Nothing secret is logged or printed.
//!
//! Every `tracing` event (and every `log` record, reqwest's included) is captured at TRACE
//! while the client talks to the sandbox: the three seed endpoints, `v3/security/echo` with an
//! encrypted field both ways, notifications, verification failures, API errors, retries,
//! transport errors, configuration errors and a certificate refresh. The `Debug` and `Display`
//! of every request, answer, prepared request, client, key and error are collected too. None
//! of it may hold a line of the merchant private key, the APIv3 key (raw, hex or base64), the
//! message a request signature covers, a signature, or the plaintext of an encrypted field.

#[path = "../examples/common/seeds.rs"]
mod seeds;

use std::fmt::{Debug, Display};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use wxpay::{
    ApiV3Key, Error, MerchantKey, PlatformCertificate, TransportError, VerifyError,
    WechatPayPublicKey,
};
use wxpay_sandbox::{Fault, Sandbox};

/// The plaintexts of the `#[encrypted]` fields of the sample requests (`ID_CARD`, also a
/// plaintext, is left out: it is part of the plain `REAL_IDENTITY_TYPE_ID_CARD`).
const ENCRYPTED_PLAINTEXTS: &[&str] = &[
    "110101199003074477",
    "张三",
    "440301198807151234",
    "李四",
    "王小明",
    "440301201203150011",
    "6222021234567890123",
    "13800138000",
    "秘密 secret 123",
];

/// A query value, which is not logged.
const QUERY_VALUE: &str = "query-value-8812";

/// A value inside a notification's encrypted resource.
const NOTIFICATION_SECRET: &str = "resource-secret-5521";

/// Everything the global subscriber wrote.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

/// Installs, once per process, a TRACE subscriber for every target (spans and events of all
/// threads: the client's tasks, the sandbox's thread) and the `log` bridge.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(capture.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        tracing_log::LogTracer::init().expect("the only logger");
        capture
    })
}

/// What was printed: `Debug` (and, for errors, `Display`) of everything the test handles.
#[derive(Default)]
struct Shown(Vec<String>);

impl Shown {
    fn debug(&mut self, value: &impl Debug) {
        self.0.push(format!("{value:?}"));
        self.0.push(format!("{value:#?}"));
    }

    fn error(&mut self, error: &(impl Debug + Display)) {
        self.debug(error);
        self.0.push(error.to_string());
    }

    fn result<T: Debug, E: Debug + Display>(&mut self, result: &Result<T, E>) {
        match result {
            Ok(value) => self.debug(value),
            Err(error) => self.error(error),
        }
    }
}

/// `name="value"` out of an `Authorization` header.
fn auth_param<'a>(authorization: &'a str, name: &str) -> &'a str {
    let start = authorization
        .find(&format!("{name}=\""))
        .unwrap_or_else(|| panic!("{name} in {authorization}"))
        + name.len()
        + 2;
    let len = authorization[start..].find('"').expect("closing quote");
    &authorization[start..start + len]
}

/// The secrets of one signed request: the `Authorization` value, its signature and nonce, the
/// exact message signed, and its `\nTIMESTAMP\nNONCE\n` core. The message is checked to be the
/// one signed, so that looking for it is meaningful.
fn request_secrets(
    merchant_key: &MerchantKey,
    method: &str,
    canonical_url: &str,
    authorization: &str,
    body: &[u8],
) -> Vec<String> {
    let nonce = auth_param(authorization, "nonce_str");
    let timestamp = auth_param(authorization, "timestamp");
    let signature = auth_param(authorization, "signature");
    let message = wxpay::sign::request_message(
        method,
        canonical_url,
        timestamp.parse().unwrap(),
        nonce,
        body,
    );
    assert!(
        merchant_key.public_key().verify(&message, signature),
        "the signed message of {method} {canonical_url} is reconstructed exactly"
    );
    vec![
        authorization.to_string(),
        signature.to_string(),
        nonce.to_string(),
        format!("\n{timestamp}\n{nonce}\n"),
        String::from_utf8_lossy(&message).into_owned(),
    ]
}

fn pem_body_lines(pem: &str) -> Vec<String> {
    pem.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .map(str::to_string)
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_secret_is_logged_or_printed() {
    let capture = capture();
    let sandbox = Sandbox::start().await.unwrap();
    let mut shown = Shown::default();

    let builder = sandbox
        .client_builder()
        .retries(1)
        .timeout(Duration::from_millis(500));
    shown.debug(&builder);
    let client = builder.build().unwrap();
    shown.debug(&client);
    shown.debug(client.engine());
    shown.debug(&client.engine().key_store());
    shown.debug(client.engine().merchant_key());
    shown.debug(&client.engine().apiv3_key());

    // The keys, each on its own.
    let merchant_key = MerchantKey::new(
        sandbox.merchant_serial(),
        sandbox.merchant_private_key_pem(),
    )
    .unwrap();
    shown.debug(&merchant_key);
    shown.debug(&ApiV3Key::new(sandbox.apiv3_key()).unwrap());
    shown.debug(
        &WechatPayPublicKey::new(
            sandbox.wechatpay_public_key_id(),
            sandbox.wechatpay_public_key_pem(),
        )
        .unwrap(),
    );
    shown.debug(&PlatformCertificate::new(sandbox.platform_certificate_pem()).unwrap());

    // The seeds and the echo, prepared and sent.
    let app = seeds::app_presign();
    let h5 = seeds::h5_presign();
    let edu = seeds::edu_presign();
    let echo = seeds::echo();
    shown.debug(&app);
    shown.debug(&h5);
    shown.debug(&edu);
    shown.debug(&echo);
    let mut secrets = Vec::new();
    for prepared in [
        client.prepare(&app).unwrap(),
        client.prepare(&h5).unwrap(),
        client.prepare(&edu).unwrap(),
        client.prepare(&echo).unwrap(),
    ] {
        shown.debug(&prepared);
        let authorization = prepared.headers()["Authorization"].to_str().unwrap();
        secrets.extend(request_secrets(
            &merchant_key,
            prepared.method(),
            prepared.canonical_url(),
            authorization,
            prepared.body(),
        ));
    }
    shown.result(&client.send(&app).await);
    shown.result(&client.send(&h5).await);
    shown.result(&client.send(&edu).await);
    let answer = client.send(&echo).await.unwrap();
    assert_eq!(
        answer.encrypted_echo_message.as_deref(),
        Some("秘密 secret 123"),
        "decrypted in the answer"
    );
    shown.debug(&answer);

    // Notifications: one good, one tampered.
    let note = sandbox
        .notification(
            "TRANSACTION.SUCCESS",
            json!({"out_trade_no": NOTIFICATION_SECRET, "amount": {"total": 1}}),
        )
        .unwrap();
    let parsed = client.parse_notification::<serde_json::Value>(&note.headers, &note.body);
    assert_eq!(
        parsed.as_ref().unwrap().resource["out_trade_no"],
        NOTIFICATION_SECRET
    );
    shown.result(&parsed);
    let tampered = sandbox
        .notification_with_fault("TRANSACTION.SUCCESS", json!({"a": 1}), Fault::TamperBody)
        .unwrap();
    let refused = client.parse_notification::<serde_json::Value>(&tampered.headers, &tampered.body);
    assert!(matches!(
        refused,
        Err(Error::Verification {
            error: VerifyError::BadSignature,
            ..
        })
    ));
    shown.result(&refused);

    // Verification failures.
    for (fault, expected) in [
        (Fault::TamperBody, VerifyError::BadSignature),
        (Fault::TamperSignature, VerifyError::BadSignature),
        (Fault::SignTest, VerifyError::SignTestProbe),
        (
            Fault::MissingSignature,
            VerifyError::MissingHeader("Wechatpay-Signature"),
        ),
    ] {
        sandbox.fault(fault);
        let result = client.send(&echo).await;
        match &result {
            Err(Error::Verification { error: e, .. }) => assert_eq!(e, &expected),
            other => panic!("expected {expected:?}, got {other:?}"),
        }
        shown.result(&result);
    }

    // API errors: scripted, and the sandbox's own 401 for a wrong merchant key.
    sandbox.fault(Fault::Error {
        status: 400,
        code: "PARAM_ERROR".into(),
        message: "参数错误".into(),
    });
    let result = client.send(&app).await;
    assert_eq!(
        result.as_ref().err().and_then(Error::api_code),
        Some("PARAM_ERROR")
    );
    shown.result(&result);
    let other_key = include_str!("../wxpay-core/tests/fixtures/merchant_key.pem");
    let wrong = sandbox
        .client_builder()
        .merchant_key(sandbox.merchant_serial(), other_key)
        .build()
        .unwrap();
    let result = wrong.send(&echo).await;
    assert_eq!(
        result.as_ref().err().and_then(Error::api_code),
        Some("SIGN_ERROR")
    );
    shown.result(&result);

    // A GET retried after a 5xx (a WARN event).
    sandbox.fault(Fault::ServerError);
    let result = client.send(&seeds::QueryContract::new("contract-7")).await;
    assert!(result.is_ok(), "{result:?}");
    shown.result(&result);

    // A query: only the path is logged (query values may be personal data or tokens).
    let mut with_query = seeds::QueryContract::new("contract-8");
    with_query.sub_mchid = Some(QUERY_VALUE.into());
    let result = client.send(&with_query).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        sandbox.last_received().unwrap().query_param("sub_mchid"),
        Some(QUERY_VALUE)
    );

    // Transport errors: a dropped connection, a slow answer, a port nobody listens on.
    sandbox.fault(Fault::Disconnect);
    let result = client.send(&echo).await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    shown.result(&result);
    sandbox.fault(Fault::Delay(Duration::from_secs(2)));
    // Answered after the client gave up: its Request-ID was never seen.
    let timed_out = sandbox.received().len();
    let result = client.send(&echo).await;
    assert!(
        matches!(result, Err(Error::Transport(TransportError::Timeout))),
        "{result:?}"
    );
    shown.result(&result);
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    let unreachable = sandbox.client_builder().base_url(closed).build().unwrap();
    let result = unreachable.send(&echo).await;
    assert!(
        matches!(result, Err(Error::Transport(TransportError::Connect(_)))),
        "{result:?}"
    );
    shown.result(&result);

    // Configuration errors: a damaged key, arguments swapped, a short APIv3 key, the APIv3
    // key or the private key where an id goes.
    let pem = sandbox.merchant_private_key_pem();
    let damaged: String = pem
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 3 { &l[..l.len() / 2] } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let apiv3 = sandbox.apiv3_key();
    let configs = [
        sandbox
            .client_builder()
            .merchant_key(sandbox.merchant_serial(), &damaged),
        sandbox
            .client_builder()
            .merchant_key(pem, sandbox.merchant_serial()),
        sandbox.client_builder().merchant_key(pem, pem),
        sandbox.client_builder().apiv3_key(&apiv3[..31]),
        sandbox.client_builder().mchid(apiv3),
        sandbox.client_builder().mchid(pem),
        sandbox
            .client_builder()
            .wechatpay_public_key(pem, sandbox.wechatpay_public_key_pem()),
        sandbox
            .client_builder()
            .wechatpay_public_key(sandbox.wechatpay_public_key_id(), pem),
        sandbox.client_builder().platform_certificate(pem),
    ];
    for builder in configs {
        shown.debug(&builder);
        let result = builder.build();
        assert!(
            matches!(result, Err(Error::Config(_))),
            "a configuration error: {result:?}"
        );
        shown.result(&result);
    }
    for result in [
        MerchantKey::new(sandbox.merchant_serial(), &damaged).map(drop),
        MerchantKey::new(sandbox.merchant_serial(), apiv3).map(drop),
        ApiV3Key::new(pem).map(drop),
        WechatPayPublicKey::new("PUB_KEY_ID_1", pem).map(drop),
        PlatformCertificate::new(pem).map(drop),
    ] {
        assert!(result.is_err());
        shown.result(&result);
    }

    // A certificate refresh (INFO with the serials), then a failed one (WARN).
    let refreshing = sandbox
        .client_builder()
        .certificate_refresh(Duration::from_secs(3600))
        .build()
        .unwrap();
    let result = refreshing.refresh_certificates().await;
    assert!(matches!(result, Ok(n) if n >= 1), "{result:?}");
    shown.result(&result);
    sandbox.fault(Fault::TamperBody);
    let result = refreshing.refresh_certificates().await;
    assert!(
        matches!(result, Err(Error::Verification { .. })),
        "{result:?}"
    );
    shown.result(&result);
    shown.debug(&refreshing);

    // Every request the sandbox received: its signature secrets.
    let received = sandbox.received();
    assert_eq!(received.len(), 17, "requests received");
    for r in &received {
        shown.debug(r);
        let canonical = if r.query.is_empty() {
            format!("/{}", r.path)
        } else {
            format!("/{}?{}", r.path, r.query)
        };
        let authorization = r.header("Authorization").expect("signed");
        let key = if authorization.contains(sandbox.merchant_serial())
            && r.error_code.as_deref() != Some("SIGN_ERROR")
        {
            &merchant_key
        } else {
            // The request of the client holding another merchant key.
            &MerchantKey::new(sandbox.merchant_serial(), other_key).unwrap()
        };
        secrets.extend(request_secrets(
            key,
            &r.method,
            &canonical,
            authorization,
            &r.body,
        ));
    }

    // The secrets.
    secrets.extend(pem_body_lines(pem));
    secrets.extend(pem_body_lines(other_key));
    let b64 = base64::engine::general_purpose::STANDARD;
    secrets.push(apiv3.to_string());
    secrets.push(hex(apiv3.as_bytes()));
    secrets.push(hex(apiv3.as_bytes()).to_uppercase());
    secrets.push(b64.encode(apiv3));
    secrets.push(format!("{:?}", apiv3.as_bytes()));
    secrets.extend(ENCRYPTED_PLAINTEXTS.iter().map(|s| s.to_string()));
    secrets.push(NOTIFICATION_SECRET.to_string());
    assert!(secrets.iter().all(|s| s.len() >= 6), "no trivial secret");

    // Give the refresh's and reqwest's last events a moment, then read the capture.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let logged = capture.text();
    let printed = shown.0.join("\n");
    if std::env::var_os("WXPAY_SHOW_CAPTURE").is_some() {
        eprintln!("{logged}");
    }

    // Not vacuous: the events are there, with the fields expected.
    for expected in [
        "answer received",
        "wxpay::http",
        "method=\"POST\"",
        "path=\"/v3/security/echo\"",
        "path=\"/v3/credit-repayment/partner/contracts/contract-8\"",
        "status=200",
        "elapsed_ms=",
        "attempt=1",
        "attempt=2",
        "retrying",
        "next_attempt=2",
        "answer failed verification",
        "signature does not match",
        "notification failed verification",
        "platform certificates refreshed",
        "platform certificate refresh failed",
        "request failed",
        "timed out",
        // reqwest's `log` records, through the bridge.
        "starting new connection",
    ] {
        assert!(
            logged.contains(expected),
            "{expected:?} not logged:\n{logged}"
        );
    }
    assert!(logged.contains(&sandbox.platform_certificate_serial()));
    for (_, r) in received
        .iter()
        .enumerate()
        .filter(|(i, r)| r.status != 0 && *i != timed_out)
    {
        assert!(
            logged.contains(&format!("request_id=\"{}\"", r.request_id)),
            "Request-ID {} of {} {} not logged",
            r.request_id,
            r.method,
            r.path
        );
    }
    assert!(printed.contains("***"), "redacted fields are shown as ***");

    // Query values are not secrets (`Debug` of a prepared request shows its URL), but events
    // leave them out.
    assert!(!logged.contains(QUERY_VALUE), "a query value logged");
    for secret in &secrets {
        for (what, text) in [("logged", &logged), ("printed", &printed)] {
            if let Some(at) = text.find(secret.as_str()) {
                let mut from = at.saturating_sub(200);
                while !text.is_char_boundary(from) {
                    from -= 1;
                }
                let mut to = (at + secret.len() + 200).min(text.len());
                while !text.is_char_boundary(to) {
                    to += 1;
                }
                panic!("secret {secret:?} {what}: …{}…", &text[from..to]);
            }
        }
    }
    eprintln!(
        "checked {} secrets against {} bytes of log and {} bytes of Debug/Display",
        secrets.len(),
        logged.len(),
        printed.len()
    );
}

/// Key material is wiped when the keys are dropped. Without `unsafe` the freed memory cannot
/// be read, so the types must carry zeroize's `ZeroizeOnDrop` promise (and, for the APIv3 key,
/// a `Drop` of its own: a bare `[u8; 32]` needs none).
#[test]
fn keys_are_zeroized_on_drop() {
    fn zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    zeroize_on_drop::<MerchantKey>();
    zeroize_on_drop::<ApiV3Key>();
    assert!(std::mem::needs_drop::<ApiV3Key>());
}
