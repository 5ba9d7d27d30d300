//! `sandbox.client()`: the wxpay client against the sandbox, end to end.

use std::time::Duration;

use serde_json::json;
use wxpay::prelude::*;
use wxpay_sandbox::{Fault, KeyMode, Sandbox};

/// APP预签约自动还款协议
#[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/app-presign", response = AppPresignResponse)]
pub struct AppPresign {
    pub appid: String,
    pub plan_id: String,
    pub out_contract_code: String,
    pub display_name: String,
    pub contract_notify_url: String,
    pub repayment_day: i64,
    pub repayment_amount_limit: String,
    pub sub_mchid: Option<String>,
    pub real_identity: RealIdentity,
}

#[wxpay_model]
pub struct RealIdentity {
    pub identity_type: String,
    #[encrypted]
    pub identity_id: String,
    #[encrypted]
    pub real_name: String,
}

#[wxpay_model]
pub struct AppPresignResponse {
    pub presign_token: String,
    pub redirect_service: Option<String>,
}

#[wxpay_endpoint(POST, "v3/security/echo", response = EchoResponse)]
pub struct Echo {
    pub echo_message: String,
    #[encrypted]
    pub encrypted_echo_message: Option<String>,
}

#[wxpay_model]
pub struct EchoResponse {
    pub echo_message: String,
    #[encrypted]
    pub encrypted_echo_message: Option<String>,
}

#[wxpay_endpoint(GET, "v3/pay/transactions/out-trade-no/{out_trade_no}", response = Transaction)]
pub struct QueryByOutTradeNo {
    pub out_trade_no: String,
    pub mchid: String,
}

#[wxpay_model]
pub struct Transaction {
    pub trade_state: String,
}

fn presign() -> AppPresign {
    AppPresign {
        appid: "wx8888888888888888".into(),
        plan_id: "plan1".into(),
        out_contract_code: "C1".into(),
        display_name: "张三".into(),
        contract_notify_url: "https://example.com/notify".into(),
        repayment_day: 5,
        repayment_amount_limit: "1000".into(),
        sub_mchid: None,
        real_identity: RealIdentity {
            identity_type: "REAL_IDENTITY_TYPE_ID_CARD".into(),
            identity_id: "110101199003071234".into(),
            real_name: "张三".into(),
        },
    }
}

#[tokio::test]
async fn the_client_sends_signed_encrypted_requests_the_sandbox_accepts() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let answer = client.send(&presign()).await.unwrap();
    assert!(answer.presign_token.starts_with("sandbox_"));

    let r = sandbox.last_received().unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.path, "v3/credit-repayment/partner/contracts/app-presign");
    assert_eq!(r.json["real_identity"]["real_name"], "张三");
    assert_eq!(r.json["real_identity"]["identity_id"], "110101199003071234");
    assert_eq!(r.json["repayment_day"], 5);
    assert!(r.json.get("sub_mchid").is_none());
    let mut encrypted = r.encrypted.clone();
    encrypted.sort();
    assert_eq!(
        encrypted,
        vec!["real_identity.identity_id", "real_identity.real_name"]
    );
    assert!(!r.body_text().contains("110101199003071234"));
    assert_eq!(
        r.wechatpay_serial(),
        Some(sandbox.wechatpay_public_key_id())
    );
}

#[tokio::test]
async fn echo_round_trip_decrypts_the_answer_field() {
    let sandbox = Sandbox::start().await.unwrap();
    let answer = sandbox
        .client()
        .send(&Echo {
            echo_message: "hello".into(),
            encrypted_echo_message: Some("秘密".into()),
        })
        .await
        .unwrap();
    assert_eq!(answer.echo_message, "hello");
    assert_eq!(answer.encrypted_echo_message.as_deref(), Some("秘密"));
}

#[tokio::test]
async fn scripted_answers_and_faults_reach_the_client() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    sandbox.respond(
        "GET",
        "v3/pay/transactions/out-trade-no/{out_trade_no}",
        json!({"trade_state": "SUCCESS"}),
    );
    let query = QueryByOutTradeNo {
        out_trade_no: "T 1/2".into(),
        mchid: sandbox.mchid().into(),
    };
    assert_eq!(client.send(&query).await.unwrap().trade_state, "SUCCESS");
    let r = sandbox.last_received().unwrap();
    assert_eq!(r.path, "v3/pay/transactions/out-trade-no/T%201%2F2");
    assert_eq!(r.query_param("mchid"), Some(sandbox.mchid()));

    sandbox.fault(Fault::TamperBody);
    assert!(matches!(
        client.send(&query).await,
        Err(wxpay::Error::Verification { error: _, .. })
    ));
    sandbox.fault(Fault::ServerError);
    match client.send(&query).await {
        Err(wxpay::Error::Api {
            status,
            code,
            request_id,
            ..
        }) => {
            assert_eq!((status, code.as_str()), (500, "SYSTEM_ERROR"));
            assert!(request_id.is_some());
        }
        other => panic!("{other:?}"),
    }
    sandbox.fault(Fault::Delay(Duration::from_secs(2)));
    let impatient = sandbox
        .client_builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    assert!(matches!(
        impatient.send(&query).await,
        Err(wxpay::Error::Transport(_))
    ));
}

#[tokio::test]
async fn a_client_with_the_wrong_merchant_gets_sign_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let other = Sandbox::start().await.unwrap();
    let client = wxpay::Client::builder()
        .mchid(sandbox.mchid())
        .merchant_key(other.merchant_serial(), other.merchant_private_key_pem())
        .wechatpay_public_key(
            sandbox.wechatpay_public_key_id(),
            sandbox.wechatpay_public_key_pem(),
        )
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    match client.send(&presign()).await {
        Err(wxpay::Error::Api { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (401, "SIGN_ERROR"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn certificate_mode_clients_work_too() {
    let sandbox = Sandbox::builder()
        .key_mode(KeyMode::CertificatesOnly)
        .start()
        .await
        .unwrap();
    let answer = sandbox
        .client()
        .send(&Echo {
            echo_message: "x".into(),
            encrypted_echo_message: Some("y".into()),
        })
        .await
        .unwrap();
    assert_eq!(answer.encrypted_echo_message.as_deref(), Some("y"));
    assert_eq!(
        sandbox.last_received().unwrap().wechatpay_serial(),
        Some(sandbox.platform_certificate_serial().as_str())
    );
}

#[tokio::test]
async fn notifications_parse_with_the_client() {
    let sandbox = Sandbox::start().await.unwrap();
    let note = sandbox
        .notification("TRANSACTION.SUCCESS", json!({"trade_state": "SUCCESS"}))
        .unwrap();
    let parsed: wxpay::Notification<Transaction> = sandbox
        .client()
        .parse_notification(&note.headers, &note.body)
        .unwrap();
    assert_eq!(parsed.resource.trade_state, "SUCCESS");
}

#[tokio::test]
async fn workers_answer_concurrent_requests() {
    let default = Sandbox::start().await.unwrap();
    assert_eq!(
        default.workers(),
        std::thread::available_parallelism().unwrap().get()
    );
    // 0 is taken as 1.
    assert_eq!(
        Sandbox::builder()
            .workers(0)
            .start()
            .await
            .unwrap()
            .workers(),
        1
    );
    let sandbox = Sandbox::builder().workers(3).start().await.unwrap();
    assert_eq!(sandbox.workers(), 3);
    let client = sandbox.client();
    let sends: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&presign()).await })
        })
        .collect();
    for send in sends {
        send.await.unwrap().unwrap();
    }
    let received = sandbox.received();
    assert_eq!(received.len(), 16);
    assert!(received.iter().all(|r| r.status == 200));
}
