//! Correctness and security, round 2 (issue 10): each test fails on the code before the fix.
//! The expectations come from the protocol, and the checks go through independent parties: the
//! sandbox verifies every signature over the request it received, and reqwest's own URL parser
//! says what a URL becomes on the wire.

#[path = "../examples/common/seeds.rs"]
mod seeds;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use wxpay::prelude::*;
use wxpay::{TransportError, VerifyError};
use wxpay_sandbox::{Fault, Sandbox};

// ---------------------------------------------------------------- 1. hosts with a path

/// A regional endpoint: WeChat Pay's Hong Kong API lives under a path of its host.
#[wxpay_endpoint(POST, "v3/security/echo", base_url = "https://apihk.mch.weixin.qq.com/global/", response = seeds::EchoResponse)]
pub struct RegionalEcho {
    pub echo_message: String,
}

#[tokio::test]
async fn a_regional_endpoint_is_signed_over_the_path_it_is_sent_to() {
    let sandbox = Sandbox::start().await.unwrap();
    let prepared = sandbox
        .client_builder()
        .build()
        .unwrap()
        .engine()
        .prepare(
            &RegionalEcho {
                echo_message: "hk".into(),
            },
            None,
        )
        .unwrap();
    assert_eq!(
        prepared.url(),
        "https://apihk.mch.weixin.qq.com/global/v3/security/echo"
    );
    // What the HTTP stack sends is the path of that URL, as its own parser reads it.
    let sent_path = reqwest::Url::parse(prepared.url())
        .unwrap()
        .path()
        .to_string();
    assert_eq!(sent_path, "/global/v3/security/echo");
    assert_eq!(prepared.canonical_url(), sent_path);

    // The same request, byte for byte, sent to the sandbox under the same path: the sandbox
    // verifies the signature over the path it received.
    let origin = sandbox.base_url().trim_end_matches('/');
    let answer = reqwest::Client::new()
        .post(format!("{origin}{sent_path}"))
        .headers(prepared.headers().clone())
        .body(prepared.body().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.path, "global/v3/security/echo");
    assert_eq!(received.status, 200);
}

#[tokio::test]
async fn a_client_behind_a_gateway_path_works_end_to_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let gateway = format!("{}gateway/wxpay/", sandbox.base_url());
    let client = sandbox.client_builder().base_url(&gateway).build().unwrap();
    // Encrypted both ways: the sandbox decrypts the request field and encrypts the answer's.
    let answer = client.send(&seeds::echo()).await.unwrap();
    assert_eq!(answer.echo_message, "hello wxpay");
    assert_eq!(
        answer.encrypted_echo_message.as_deref(),
        Some("秘密 secret 123")
    );
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.path, "gateway/wxpay/v3/security/echo");
    assert_eq!(received.status, 200);
    assert_eq!(
        received.json["encrypted_echo_message"], "秘密 secret 123",
        "decrypted by the sandbox"
    );
    // A GET with a query, and a download, under the same prefix.
    let mut csv = Vec::new();
    client
        .download_bill(&wxpay::TradeBill::new("2026-11-01"), &mut csv)
        .await
        .unwrap();
    // The CSV the sandbox generated for that day, byte for byte (its digest was checked too).
    assert_eq!(
        csv,
        sandbox.bill_csv(wxpay_sandbox::BillKind::Trade, "2026-11-01")
    );
    let paths: Vec<String> = sandbox.received().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "gateway/wxpay/v3/security/echo",
            "gateway/wxpay/v3/bill/tradebill",
            "gateway/wxpay/v3/billdownload/file",
        ]
    );
    assert!(sandbox.received().iter().all(|r| r.status == 200));
}

// ---------------------------------------------------------------- 2. retries and hosts

/// An endpoint declared on a host that refuses connections (standing in for `apihk…`).
#[wxpay_endpoint(POST, "v3/security/echo", base_url = "http://127.0.0.1:9/", response = seeds::EchoResponse)]
pub struct OtherHostEcho {
    pub echo_message: String,
}

#[tokio::test]
async fn an_endpoint_on_another_host_is_never_retried_on_the_backup() {
    let sandbox = Sandbox::start().await.unwrap();
    // No client base_url: each endpoint goes to its own host, the backup stands in for the
    // default (mainland) host only.
    let client = wxpay::Client::builder()
        .mchid(sandbox.mchid())
        .merchant_key(
            sandbox.merchant_serial(),
            sandbox.merchant_private_key_pem(),
        )
        .wechatpay_public_key(
            sandbox.wechatpay_public_key_id(),
            sandbox.wechatpay_public_key_pem(),
        )
        .backup_base_url(sandbox.base_url())
        .retries(2)
        .build()
        .unwrap();
    let result = client
        .send(&OtherHostEcho {
            echo_message: "x".into(),
        })
        .await;
    assert!(
        matches!(result, Err(Error::Transport(TransportError::Connect(_)))),
        "{result:?}"
    );
    assert_eq!(
        sandbox.received().len(),
        0,
        "nothing went to the backup host"
    );
}

#[test]
fn a_backup_with_another_path_is_refused() {
    let sandbox = Sandbox::start_blocking().unwrap();
    let result = sandbox
        .client_builder()
        .backup_base_url(format!("{}other/", sandbox.base_url()))
        .build();
    match result {
        Err(Error::Config(wxpay::ConfigError::InvalidBaseUrl(url))) => {
            assert_eq!(url, format!("{}other/", sandbox.base_url()))
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- 4. key scopes and panics

/// A user type whose `Serialize` panics.
#[derive(Debug, Clone)]
pub struct Boom;

impl Serialize for Boom {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        panic!("user Serialize panicked")
    }
}

impl<'de> Deserialize<'de> for Boom {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        panic!("user Deserialize panicked")
    }
}

#[wxpay_endpoint(POST, "v3/security/echo")]
pub struct PanicsWhileEncrypting {
    #[encrypted]
    pub encrypted_echo_message: String,
    pub boom: Boom,
}

#[wxpay_model]
pub struct Secret {
    #[encrypted]
    pub encrypted_echo_message: String,
}

#[wxpay_model]
pub struct PanicsWhileDecrypting {
    #[encrypted]
    pub encrypted_echo_message: String,
    pub boom: Boom,
}

#[wxpay_endpoint(POST, "v3/security/echo", response = PanicsWhileDecrypting)]
pub struct EchoIntoPanic {
    pub echo_message: String,
}

#[test]
fn a_panic_while_encrypting_leaves_no_key_installed() {
    let sandbox = Sandbox::start_blocking().unwrap();
    let client = sandbox.client();
    let request = PanicsWhileEncrypting {
        encrypted_echo_message: "secret".into(),
        boom: Boom,
    };
    let panicked = catch_unwind(AssertUnwindSafe(|| client.prepare(&request)));
    assert!(panicked.is_err());
    // The same thread, outside the client: no key may be in scope.
    let plain = serde_json::to_string(&Secret {
        encrypted_echo_message: "secret".into(),
    });
    let error = plain.expect_err("no key in scope").to_string();
    assert!(error.starts_with(wxpay::__private::NO_ENCRYPTOR), "{error}");
}

#[tokio::test]
async fn a_panic_while_decrypting_leaves_no_key_installed() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    // A task that panics inside the client's decryption scope, on this very thread (the
    // test's runtime has one thread, which lives on after the panic).
    let task = tokio::spawn(async move {
        client
            .send(&EchoIntoPanic {
                echo_message: "x".into(),
            })
            .await
    });
    sandbox.respond(
        "POST",
        "v3/security/echo",
        serde_json::json!({
            "encrypted_echo_message": sandbox.encrypt_for_merchant("answer").unwrap(),
            "boom": 1
        }),
    );
    assert!(task.await.unwrap_err().is_panic());
    // An attacker-chosen ciphertext under the merchant key, parsed outside the client.
    let cipher = sandbox
        .encrypt_for_merchant("what the attacker wants read")
        .unwrap();
    let json = serde_json::json!({ "encrypted_echo_message": cipher }).to_string();
    let error = serde_json::from_str::<Secret>(&json)
        .expect_err("no key in scope")
        .to_string();
    assert!(error.starts_with(wxpay::__private::NO_DECRYPTOR), "{error}");
}

// ---------------------------------------------------------------- 6. empty encrypted strings

#[tokio::test]
async fn an_empty_encrypted_string_is_sent_and_read_as_it_is() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let request = seeds::Echo::builder()
        .echo_message("e")
        .encrypted_echo_message("")
        .build();
    let prepared = client.prepare(&request).unwrap();
    assert_eq!(
        prepared.body(),
        br#"{"echo_message":"e","encrypted_echo_message":""}"#
    );
    // The sandbox echoes "" back as the answer's encrypted field: read as "".
    sandbox.respond(
        "POST",
        "v3/security/echo",
        serde_json::json!({"echo_message": "e", "encrypted_echo_message": ""}),
    );
    let answer = client.send(&request).await.unwrap();
    assert_eq!(answer.encrypted_echo_message.as_deref(), Some(""));
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.body, prepared.body());
    assert!(received.encrypted.is_empty());
}

// ---------------------------------------------------------------- 8. notification floods

#[tokio::test]
async fn forged_notifications_with_unknown_serials_spawn_at_most_one_download() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .certificate_refresh(Duration::from_secs(3600))
        .build()
        .unwrap();
    // The first request downloads the certificates (and starts the periodic task).
    client.send(&seeds::echo()).await.unwrap();
    let downloads = |sandbox: &Sandbox| {
        sandbox
            .received()
            .iter()
            .filter(|r| r.path == "v3/certificates")
            .count()
    };
    assert_eq!(downloads(&sandbox), 1);
    let metrics = tokio::runtime::Handle::current().metrics();
    let before = metrics.num_alive_tasks();

    let note = sandbox
        .notification(
            "TRANSACTION.SUCCESS",
            serde_json::json!({"out_trade_no": "1"}),
        )
        .unwrap();
    for i in 0..500 {
        let mut headers = note.headers.clone();
        headers.insert("Wechatpay-Serial", format!("5EED{i:08X}").parse().unwrap());
        let result = client.parse_notification::<serde_json::Value>(&headers, &note.body);
        assert!(matches!(
            result,
            Err(Error::Verification {
                error: VerifyError::UnknownSerial(_),
                request_id: None,
            })
        ));
    }
    assert!(
        metrics.num_alive_tasks() <= before + 1,
        "{} tasks alive after the flood, {before} before",
        metrics.num_alive_tasks()
    );
    // The one download it triggered runs, and no other follows.
    let deadline = Instant::now() + Duration::from_secs(20);
    while downloads(&sandbox) < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for _ in 0..100 {
        let mut headers = note.headers.clone();
        headers.insert("Wechatpay-Serial", "5EEDFFFF".parse().unwrap());
        let _ = client.parse_notification::<serde_json::Value>(&headers, &note.body);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(downloads(&sandbox), 2);
}

// ---------------------------------------------------------------- 9. download_url characters

#[tokio::test]
async fn a_download_url_is_refused_exactly_when_the_url_parser_would_rewrite_it() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let base = sandbox.base_url();
    let mut urls: Vec<String> = Vec::new();
    for c in (0x20u8..0x7f).map(char::from) {
        urls.push(format!("{base}v3/billdownload/file?token=a{c}b"));
        urls.push(format!("{base}v3/billdownload/a{c}b"));
    }
    for segment in [".", "..", "%2e", "%2E%2e", ".%2E"] {
        urls.push(format!("{base}v3/{segment}/billdownload/file?token=t"));
    }
    urls.push(format!("{base}v3/billdownload/file?token=中"));
    let mut refused_unneeded = Vec::new();
    for url in &urls {
        // What reqwest's URL parser puts on the wire for this text.
        let wire = reqwest::Url::parse(url).ok().map(|u| {
            let query = u.query().map(|q| format!("?{q}")).unwrap_or_default();
            format!("{}{query}", u.path())
        });
        let written = url.split_once("127.0.0.1:").unwrap().1;
        let written = &written[written.find('/').unwrap()..];
        let written = written.split('#').next().unwrap();
        let rewritten = wire.as_deref() != Some(written);
        let before = sandbox.received().len();
        match client.download_url(url, &mut Vec::new()).await {
            Err(Error::InvalidInput { what, .. }) => {
                assert_eq!(what, "download_url");
                assert_eq!(sandbox.received().len(), before, "{url}: sent anyway");
                if !rewritten {
                    refused_unneeded.push(url.rsplit('/').next().unwrap().to_string());
                }
            }
            other => {
                assert!(
                    !rewritten,
                    "{url} is rewritten to {wire:?}, yet was sent: {other:?}"
                );
                let received = sandbox.last_received().unwrap();
                assert_ne!(
                    received.error_code.as_deref(),
                    Some("SIGN_ERROR"),
                    "{url}: the signature did not cover what was sent"
                );
            }
        }
    }
    // Refusals that this parser would not have needed: none.
    assert_eq!(refused_unneeded, Vec::<String>::new());
}

// ---------------------------------------------------------------- 10. Request-ID

#[tokio::test]
async fn errors_after_an_answer_carry_its_request_id() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();

    sandbox.fault(Fault::TamperBody);
    let error = client.send(&seeds::echo()).await.unwrap_err();
    let id = sandbox.last_received().unwrap().request_id;
    assert!(!id.is_empty());
    assert!(matches!(
        &error,
        Error::Verification { error: VerifyError::BadSignature, request_id: Some(r) } if *r == id
    ));
    assert_eq!(error.request_id(), Some(id.as_str()));
    assert_eq!(
        error.to_string(),
        format!("verification failed: signature does not match (Request-ID {id})")
    );

    // A verified answer that does not decode.
    sandbox.respond(
        "POST",
        "v3/security/echo",
        serde_json::json!({"echo_message": 5}),
    );
    let error = client.send(&seeds::echo()).await.unwrap_err();
    let id = sandbox.last_received().unwrap().request_id;
    assert_eq!(
        error.to_string(),
        format!(
            "decoding: the answer: JSON does not match the expected type at line 1 column 17 (Request-ID {id})"
        )
    );
    assert_eq!(error.request_id(), Some(id.as_str()));
}
