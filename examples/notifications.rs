//! Receiving notifications: a small axum handler that verifies and decrypts what WeChat Pay
//! (here, the sandbox) posts, and answers as WeChat Pay expects.
//!
//! ```text
//! cargo run --example notifications
//! ```
//!
//! WeChat Pay counts a notification as delivered when it gets a 2xx within five seconds, and
//! retries otherwise (up to 15 times). So: verify first, over the raw body; answer 204 when the
//! notification is genuine and handled; answer 4xx/5xx with `{"code":"FAIL",…}` when it is not
//! (a forgery, a `WECHATPAY/SIGNTEST/` probe) or cannot be handled now.
//!
//! With `WXPAY_MCHID`, `WXPAY_MERCHANT_SERIAL`, `WXPAY_MERCHANT_KEY`, `WXPAY_PUBLIC_KEY_ID`,
//! `WXPAY_PUBLIC_KEY` and `WXPAY_APIV3_KEY` set, it serves the same handler for the real
//! WeChat Pay on `WXPAY_LISTEN` (default `0.0.0.0:8080`), path `/wxpay/notify`, until stopped.
//! Against the sandbox it exits with 0 only if the handler answered each case as it should.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
// The decrypted resource of a `TRANSACTION.SUCCESS` notification, as documented.
use wxpay::api::notify::Transaction;

/// The handler: verify over the raw bytes, decrypt, deserialize, then act.
async fn notify(
    State(client): State<wxpay::Client>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match client.parse_notification::<Transaction>(&headers, &body) {
        Ok(note) => {
            let t = &note.resource;
            println!(
                "  handler: {} {} for {}: {} fen ({} notification {})",
                note.event_type,
                t.trade_state,
                t.out_trade_no,
                t.amount.total,
                note.summary,
                note.id
            );
            (StatusCode::NO_CONTENT, String::new())
        }
        Err(err) => {
            // `err` holds no secret: safe to log.
            println!("  handler: refused: {err}");
            let status = match err {
                wxpay::Error::Verification { .. } => StatusCode::UNAUTHORIZED,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (status, r#"{"code":"FAIL","message":"失败"}"#.to_string())
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("WXPAY_MCHID").is_some() {
        return real_api().await;
    }
    let sandbox = wxpay_sandbox::Sandbox::start().await?;
    let client = sandbox.client();

    let app = Router::new()
        .route("/wxpay/notify", post(notify))
        .with_state(client);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/wxpay/notify", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("notification handler listening on {url}");

    let resource = serde_json::json!({
        "mchid": sandbox.mchid(),
        "appid": "wxd678efh567hg6787",
        "out_trade_no": "20261123T0001",
        "transaction_id": "4200002026112300001",
        "trade_type": "JSAPI",
        "trade_state": "SUCCESS",
        "trade_state_desc": "支付成功",
        "success_time": "2026-11-23T18:40:00+08:00",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": 100, "payer_total": 100, "currency": "CNY", "payer_currency": "CNY"}
    });

    println!("\n1. a genuine TRANSACTION.SUCCESS notification");
    let outcome = sandbox
        .notify(&url, "TRANSACTION.SUCCESS", resource.clone())
        .await?;
    println!(
        "   → handler answered {} (delivered: {})",
        outcome.status,
        outcome.is_success()
    );
    if outcome.status != 204 {
        return Err("the genuine notification was not acknowledged with 204".into());
    }

    println!("\n2. a WECHATPAY/SIGNTEST/ probe (WeChat Pay checks that merchants refuse it)");
    let outcome = sandbox
        .notify_with_fault(
            &url,
            "TRANSACTION.SUCCESS",
            resource.clone(),
            wxpay_sandbox::Fault::SignTest,
        )
        .await?;
    println!(
        "   → handler answered {} {}",
        outcome.status,
        outcome.text()
    );
    if outcome.status != 401 {
        return Err("the SIGNTEST probe was not refused with 401".into());
    }

    println!("\n3. a notification whose body was changed after signing");
    let outcome = sandbox
        .notify_with_fault(
            &url,
            "TRANSACTION.SUCCESS",
            resource,
            wxpay_sandbox::Fault::TamperBody,
        )
        .await?;
    println!(
        "   → handler answered {} {}",
        outcome.status,
        outcome.text()
    );
    if outcome.status != 401 {
        return Err("the tampered notification was not refused with 401".into());
    }
    println!("\nEach case was answered as WeChat Pay expects.");
    Ok(())
}

async fn real_api() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let client = wxpay::Client::builder()
        .mchid(var("WXPAY_MCHID")?)
        .merchant_key(
            var("WXPAY_MERCHANT_SERIAL")?,
            std::fs::read(var("WXPAY_MERCHANT_KEY")?)?,
        )
        .wechatpay_public_key(
            var("WXPAY_PUBLIC_KEY_ID")?,
            std::fs::read(var("WXPAY_PUBLIC_KEY")?)?,
        )
        .apiv3_key(var("WXPAY_APIV3_KEY")?)
        .build()?;
    let listen = var("WXPAY_LISTEN").unwrap_or_else(|_| "0.0.0.0:8080".into());
    let app = Router::new()
        .route("/wxpay/notify", post(notify))
        .with_state(client);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("notification handler listening on http://{listen}/wxpay/notify");
    axum::serve(listener, app).await?;
    Ok(())
}
