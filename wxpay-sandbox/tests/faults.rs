//! Fault knobs: answers a client must refuse or survive.

mod common;

use std::time::{Duration, Instant};

use common::{Call, verify};
use serde_json::json;
use wxpay_core::VerifyError;
use wxpay_sandbox::{Answer, Fault, Sandbox};

async fn echo(sandbox: &Sandbox) -> common::Reply {
    Call::new(sandbox, "POST", "/v3/security/echo")
        .json(json!({"echo_message": "hi"}))
        .send()
        .await
}

#[tokio::test]
async fn signature_faults_fail_verification_each_in_its_own_way() {
    let sandbox = Sandbox::start().await.unwrap();
    let cases = [
        (Fault::TamperBody, "BadSignature"),
        (Fault::TamperSignature, "BadSignature"),
        (Fault::StaleTimestamp, "StaleTimestamp"),
        (Fault::UnknownSerial, "UnknownSerial"),
        (Fault::MissingSignature, "MissingHeader"),
        (Fault::SignTest, "SignTestProbe"),
    ];
    for (fault, expected) in cases {
        sandbox.fault(fault.clone());
        let reply = echo(&sandbox).await;
        assert_eq!(reply.status, 200, "{fault:?}");
        // The body is still the JSON the endpoint answers.
        assert_eq!(reply.json()["echo_message"], "hi", "{fault:?}");
        let err = verify(&sandbox, &reply).expect_err(&format!("{fault:?} must not verify"));
        assert!(
            format!("{err:?}").starts_with(expected),
            "{fault:?}: got {err:?}"
        );
    }
    assert_eq!(sandbox.pending_faults(), 0);
    // The next answer is fine again.
    verify(&sandbox, &echo(&sandbox).await).unwrap();
}

#[tokio::test]
async fn a_tampered_empty_answer_fails_too() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.respond("POST", "v3/nothing", Answer::empty());
    sandbox.fault(Fault::TamperBody);
    let reply = Call::new(&sandbox, "POST", "/v3/nothing")
        .json(json!({}))
        .send()
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(
        verify(&sandbox, &reply).unwrap_err(),
        VerifyError::BadSignature
    );
}

#[tokio::test]
async fn faults_queue_in_order() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fault_n(Fault::ServerError, 2);
    sandbox.fault(Fault::Error {
        status: 429,
        code: "FREQUENCY_LIMITED".into(),
        message: "slow down".into(),
    });
    let mut seen = Vec::new();
    for _ in 0..4 {
        let reply = echo(&sandbox).await;
        assert!(reply.header("Request-ID").is_some());
        seen.push((
            reply.status,
            reply.json()["code"].as_str().map(str::to_string),
        ));
    }
    assert_eq!(
        seen,
        vec![
            (500, Some("SYSTEM_ERROR".to_string())),
            (500, Some("SYSTEM_ERROR".to_string())),
            (429, Some("FREQUENCY_LIMITED".to_string())),
            (200, None),
        ]
    );
    let statuses: Vec<u16> = sandbox.received().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![500, 500, 429, 200]);

    sandbox.fault_always(Fault::ServerError);
    assert_eq!(echo(&sandbox).await.status, 500);
    assert_eq!(echo(&sandbox).await.status, 500);
    sandbox.clear_faults();
    assert_eq!(echo(&sandbox).await.status, 200);
}

#[tokio::test]
async fn delay_oversized_and_disconnect() {
    let sandbox = Sandbox::start().await.unwrap();

    sandbox.fault(Fault::Delay(Duration::from_millis(400)));
    let start = Instant::now();
    let reply = echo(&sandbox).await;
    assert!(start.elapsed() >= Duration::from_millis(400));
    verify(&sandbox, &reply).unwrap();

    sandbox.fault(Fault::Oversized(200_000));
    let reply = echo(&sandbox).await;
    assert!(reply.body.len() >= 200_000);
    verify(&sandbox, &reply).expect("padded answers are signed correctly");
    assert_eq!(reply.json()["echo_message"], "hi");

    sandbox.fault(Fault::Disconnect);
    let err = reqwest::Client::new()
        .post(format!("{}v3/security/echo", sandbox.base_url()))
        .body("{}")
        .send()
        .await
        .expect_err("no answer");
    assert!(!err.is_status());
    assert_eq!(sandbox.last_received().unwrap().status, 0);
    // The server goes on serving.
    verify(&sandbox, &echo(&sandbox).await).unwrap();
}
