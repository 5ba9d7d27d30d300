//! Notifications: signed, encrypted, sent.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use serde_json::{Value, json};
use wxpay_core::{Engine, Error, VerifyError};
use wxpay_sandbox::{Fault, KeyMode, Sandbox};

fn engine(sandbox: &Sandbox) -> Engine {
    Engine::builder()
        .mchid(sandbox.mchid())
        .merchant_key(
            sandbox.merchant_serial(),
            sandbox.merchant_private_key_pem(),
        )
        .wechatpay_public_key(
            sandbox.wechatpay_public_key_id(),
            sandbox.wechatpay_public_key_pem(),
        )
        .platform_certificate(sandbox.platform_certificate_pem())
        .apiv3_key(sandbox.apiv3_key())
        .build(false)
        .unwrap()
}

#[tokio::test]
async fn notifications_parse_with_the_merchant_keys() {
    let sandbox = Sandbox::start().await.unwrap();
    // The order number is looked for below in the body, which must hold it only as
    // ciphertext. It must be a string nothing else in the body can hold: `T1` was found in
    // `create_time` from 10:00 to 19:59 Beijing time (`…T10:…`), and a short base64-alphabet
    // string can turn up in a ciphertext by chance; `-` is outside that alphabet.
    let resource = json!({
        "out_trade_no": "order-T1001",
        "amount": {"total": 100},
        "trade_state": "SUCCESS"
    });
    let note = sandbox
        .notification("TRANSACTION.SUCCESS", resource.clone())
        .unwrap();
    let parsed = engine(&sandbox)
        .parse_notification::<Value>(&note.headers, &note.body)
        .unwrap();
    assert_eq!(parsed.resource, resource);
    assert_eq!(parsed.event_type, "TRANSACTION.SUCCESS");
    assert_eq!(parsed.resource_type, "encrypt-resource");
    assert_eq!(parsed.id, note.id);
    assert!(parsed.create_time.ends_with("+08:00"));
    let body: Value = serde_json::from_slice(&note.body).unwrap();
    assert_eq!(body["resource"]["algorithm"], "AEAD_AES_256_GCM");
    assert_eq!(body["resource"]["original_type"], "transaction");
    assert_eq!(body["summary"], "支付成功");
    assert!(!String::from_utf8_lossy(&note.body).contains("order-T1001"));
    assert_eq!(
        note.headers["Wechatpay-Serial"],
        sandbox.wechatpay_public_key_id()
    );

    // In certificate mode, signed with the platform certificate.
    sandbox.set_key_mode(KeyMode::CertificatesOnly);
    let note = sandbox
        .notification("REFUND.SUCCESS", json!({"x": 1}))
        .unwrap();
    assert_eq!(
        note.headers["Wechatpay-Serial"],
        sandbox.platform_certificate_serial().as_str()
    );
    engine(&sandbox)
        .parse_notification::<Value>(&note.headers, &note.body)
        .unwrap();
}

#[tokio::test]
async fn faulty_notifications_are_rejected() {
    let sandbox = Sandbox::start().await.unwrap();
    let engine = engine(&sandbox);
    let cases = [
        (Fault::SignTest, VerifyError::SignTestProbe),
        (Fault::TamperBody, VerifyError::BadSignature),
        (Fault::TamperSignature, VerifyError::BadSignature),
        (
            Fault::MissingSignature,
            VerifyError::MissingHeader("Wechatpay-Signature"),
        ),
    ];
    for (fault, expected) in cases {
        let note = sandbox
            .notification_with_fault("TRANSACTION.SUCCESS", json!({}), fault.clone())
            .unwrap();
        match engine.parse_notification::<Value>(&note.headers, &note.body) {
            Err(Error::Verification { error: e, .. }) => assert_eq!(e, expected, "{fault:?}"),
            other => panic!("{fault:?}: {other:?}"),
        }
    }
    let sign_test = sandbox
        .notification_with_fault("TRANSACTION.SUCCESS", json!({}), Fault::SignTest)
        .unwrap();
    assert!(
        sign_test.headers["Wechatpay-Signature"]
            .to_str()
            .unwrap()
            .starts_with("WECHATPAY/SIGNTEST/")
    );
    let stale = sandbox
        .notification_with_fault("TRANSACTION.SUCCESS", json!({}), Fault::StaleTimestamp)
        .unwrap();
    assert!(matches!(
        engine.parse_notification::<Value>(&stale.headers, &stale.body),
        Err(Error::Verification {
            error: VerifyError::StaleTimestamp { .. },
            ..
        })
    ));
}

/// A merchant's notification handler: verifies with `engine`, answers 200 or 401.
async fn merchant_server(engine: Engine) -> String {
    let engine = Arc::new(engine);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let engine = engine.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let engine = engine.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body.collect().await.unwrap().to_bytes();
                        let (status, text) = match engine
                            .parse_notification::<Value>(&parts.headers, &body)
                        {
                            Ok(n) => (200, n.resource["out_trade_no"].to_string()),
                            Err(_) => (
                                401,
                                r#"{"code":"FAIL","message":"verification failed"}"#.to_string(),
                            ),
                        };
                        let mut response = hyper::Response::new(Full::new(Bytes::from(text)));
                        *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    url
}

#[tokio::test]
async fn notify_posts_to_the_merchant_and_reports_its_answer() {
    let sandbox = Sandbox::start().await.unwrap();
    let url = merchant_server(engine(&sandbox)).await;

    let ok = sandbox
        .notify(&url, "TRANSACTION.SUCCESS", json!({"out_trade_no": "T42"}))
        .await
        .unwrap();
    assert!(ok.is_success());
    assert_eq!(ok.text(), "\"T42\"");

    let probe = sandbox
        .notify_with_fault(&url, "TRANSACTION.SUCCESS", json!({}), Fault::SignTest)
        .await
        .unwrap();
    assert_eq!(probe.status, 401);
    assert!(!probe.is_success());

    // The control route does the same for clients in other languages.
    let request = json!({"url": url, "event_type": "TRANSACTION.SUCCESS", "resource": {"out_trade_no": "T7"}});
    let reply = reqwest::Client::new()
        .post(format!("{}_sandbox/notify", sandbox.base_url()))
        .body(request.to_string())
        .send()
        .await
        .unwrap();
    let via_http: Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    assert_eq!(via_http["status"], 200);
    assert_eq!(via_http["body"], "\"T7\"");

    // Nobody listening: an error, not a panic.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let err = sandbox
        .notify(&closed, "TRANSACTION.SUCCESS", json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}
