//! The everyday flow of a payment back end, on a laptop: order, pay, notification, query,
//! refund, refund notification, refund query.
//!
//! ```text
//! cargo run --example checkout
//! ```
//!
//! It starts the sandbox (WeChat Pay, with state: orders can be paid and refunded, and it
//! delivers notifications) and a small axum merchant server, then walks through the flow and
//! checks every step; it exits with 0 only if every step held.
//!
//! The merchant's notification handler is the part to copy: it verifies the notification over
//! the raw body before anything else, decrypts it into [`wxpay::api::notify::Transaction`] or
//! [`wxpay::api::notify::Refund`], applies it once (a notification WeChat Pay delivers again,
//! with the same `id`, is acknowledged and not applied twice), and answers as WeChat Pay
//! expects: `204` when handled, `4xx`/`5xx` with `{"code":"FAIL",…}` when not (WeChat Pay then
//! delivers it again later).

#[path = "common/check.rs"]
mod check;
#[path = "common/pay.rs"]
mod pay;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use tokio::sync::mpsc;
use wxpay::api::notify::{Refund, RefundStatus, TradeState, Transaction};
use wxpay_sandbox::{DeliveryState, Sandbox};

use check::{Failure, check};

/// The shop's own records: what it knows of its orders, and the notifications it applied.
#[derive(Default)]
struct Shop {
    /// out_trade_no → paid amount, fen.
    paid: HashMap<String, i64>,
    /// out_refund_no → refunded amount, fen.
    refunded: HashMap<String, i64>,
    /// Ids of the notifications already applied.
    applied: HashSet<String>,
}

#[derive(Clone)]
struct App {
    client: wxpay::Client,
    shop: Arc<Mutex<Shop>>,
    /// Tells the flow what the handler did: (notification id, event, applied now?).
    events: mpsc::UnboundedSender<(String, String, bool)>,
}

/// The notification handler: verify, decrypt, apply once, answer.
async fn notify(State(app): State<App>, headers: HeaderMap, body: Bytes) -> (StatusCode, String) {
    let fail = |status: StatusCode, why: String| {
        println!("  handler: refused ({why})");
        (status, r#"{"code":"FAIL","message":"失败"}"#.to_string())
    };
    // The event type is read from the verified notification; its resource type depends on it.
    let note = match app
        .client
        .parse_notification::<serde_json::Value>(&headers, &body)
    {
        Ok(note) => note,
        Err(e @ wxpay::Error::Verification { .. }) => {
            return fail(StatusCode::UNAUTHORIZED, e.to_string());
        }
        Err(e) => return fail(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let applied_now = {
        let mut shop = app.shop.lock().unwrap();
        if shop.applied.contains(&note.id) {
            false
        } else {
            match note.event_type.as_str() {
                "TRANSACTION.SUCCESS" => {
                    let t: Transaction = match serde_json::from_value(note.resource.clone()) {
                        Ok(t) => t,
                        Err(e) => return fail(StatusCode::BAD_REQUEST, e.to_string()),
                    };
                    if t.trade_state == TradeState::Success {
                        shop.paid.insert(
                            t.out_trade_no.clone(),
                            t.amount.payer_total.unwrap_or(t.amount.total),
                        );
                    }
                }
                "REFUND.SUCCESS" => {
                    let r: Refund = match serde_json::from_value(note.resource.clone()) {
                        Ok(r) => r,
                        Err(e) => return fail(StatusCode::BAD_REQUEST, e.to_string()),
                    };
                    shop.refunded
                        .insert(r.out_refund_no.clone(), r.amount.refund);
                }
                _ => {}
            }
            shop.applied.insert(note.id.clone());
            true
        }
    };
    println!(
        "  handler: {} {} ({}), answered 204",
        note.event_type,
        note.id,
        if applied_now {
            "applied"
        } else {
            "already applied: acknowledged only"
        }
    );
    let _ = app.events.send((note.id, note.event_type, applied_now));
    (StatusCode::NO_CONTENT, String::new())
}

async fn next_event(
    events: &mut mpsc::UnboundedReceiver<(String, String, bool)>,
) -> Result<(String, String, bool), Failure> {
    tokio::time::timeout(Duration::from_secs(60), events.recv())
        .await
        .ok()
        .flatten()
        .ok_or_else(|| "no notification reached the handler within a minute".into())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    println!("Starting the embedded WeChat Pay sandbox and the shop's server…");
    let sandbox = Sandbox::start().await?;
    let client = sandbox.client();
    let mchid = sandbox.mchid().to_string();
    let (tx, mut events) = mpsc::unbounded_channel();
    let shop = Arc::new(Mutex::new(Shop::default()));
    let app = Router::new()
        .route("/wxpay/notify", post(notify))
        .with_state(App {
            client: client.clone(),
            shop: shop.clone(),
            events: tx,
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let notify_url = format!("http://{}/wxpay/notify", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!(
        "  sandbox {}, shop notifications at {notify_url}",
        sandbox.base_url()
    );
    println!("  (watch it all at {}_sandbox/)", sandbox.base_url());

    let out_trade_no = "checkout-20261129-0001";
    let appid = "wxd678efh567hg6787";

    println!("\n── 1. JSAPI order of ¥1.00 ──");
    let order = pay::jsapi_order(&mchid, out_trade_no, 100, &notify_url);
    let prepay = client.send(&order).await?;
    println!(
        "→ POST v3/pay/transactions/jsapi → prepay_id {}",
        prepay.prepay_id
    );
    check(prepay.prepay_id.starts_with("wx"), "a prepay_id came back")?;

    println!("\n── 2. The mini program's wx.requestPayment parameters ──");
    let params = client.jsapi_pay_params(appid, &prepay.prepay_id)?;
    println!(
        "  appId {} timeStamp {} nonceStr {} package {} signType {}",
        params.app_id, params.time_stamp, params.nonce_str, params.package, params.sign_type
    );
    let message = format!(
        "{}\n{}\n{}\n{}\n",
        params.app_id, params.time_stamp, params.nonce_str, params.package
    );
    let merchant_key = wxpay::RsaPublicKey::new(sandbox.merchant_public_key_pem())?;
    check(
        params.package == format!("prepay_id={}", prepay.prepay_id) && params.sign_type == "RSA",
        "package is prepay_id=…, signType RSA",
    )?;
    check(
        merchant_key.verify(message.as_bytes(), &params.pay_sign),
        "paySign verifies with the merchant certificate, as WeChat checks it",
    )?;

    println!("\n── 3. The payer pays (the sandbox plays WeChat) ──");
    let paid = sandbox.pay(out_trade_no)?;
    println!(
        "  transaction_id {} at {}",
        paid.transaction_id.as_deref().unwrap_or(""),
        paid.success_time.as_deref().unwrap_or("")
    );

    println!("\n── 4. TRANSACTION.SUCCESS reaches the shop ──");
    let (payment_note, event, applied) = next_event(&mut events).await?;
    check(
        event == "TRANSACTION.SUCCESS" && applied,
        "verified, decrypted and applied",
    )?;
    check(
        shop.lock().unwrap().paid.get(out_trade_no) == Some(&100),
        "the shop records ¥1.00 paid",
    )?;

    println!("\n── 5. WeChat Pay delivers it again (same id) ──");
    check(sandbox.redeliver(&payment_note), "redelivery started")?;
    let (again, _, applied) = next_event(&mut events).await?;
    check(
        again == payment_note && !applied,
        "acknowledged, not applied twice",
    )?;
    check(
        shop.lock().unwrap().applied.len() == 1,
        "the shop applied one notification",
    )?;

    println!("\n── 6. Query the order ──");
    let queried = client
        .send(&pay::QueryByOutTradeNo {
            out_trade_no: out_trade_no.into(),
            mchid: mchid.clone(),
        })
        .await?;
    println!(
        "→ GET v3/pay/transactions/out-trade-no/{out_trade_no} → {} ({}), {} fen",
        queried.trade_state, queried.trade_state_desc, queried.amount.total
    );
    check(
        queried.trade_state == TradeState::Success,
        "trade_state SUCCESS",
    )?;
    check(
        queried.transaction_id == paid.transaction_id,
        "the same transaction_id",
    )?;

    println!("\n── 7. Refund half ──");
    let out_refund_no = "checkout-refund-0001";
    let refund = client
        .send(&pay::refund(
            out_trade_no,
            out_refund_no,
            50,
            100,
            &notify_url,
        ))
        .await?;
    println!(
        "→ POST v3/refund/domestic/refunds → {} {}, {} of {} fen",
        refund.refund_id, refund.status, refund.amount.refund, refund.amount.total
    );
    check(
        refund.status == RefundStatus::Processing,
        "status PROCESSING",
    )?;

    println!("\n── 8. REFUND.SUCCESS reaches the shop ──");
    let (_, event, applied) = next_event(&mut events).await?;
    check(
        event == "REFUND.SUCCESS" && applied,
        "verified, decrypted and applied",
    )?;
    check(
        shop.lock().unwrap().refunded.get(out_refund_no) == Some(&50),
        "the shop records ¥0.50 refunded",
    )?;

    println!("\n── 9. Query the refund ──");
    let refund = client
        .send(&pay::QueryRefund {
            out_refund_no: out_refund_no.into(),
        })
        .await?;
    println!(
        "→ GET v3/refund/domestic/refunds/{out_refund_no} → {} at {}",
        refund.status,
        refund.success_time.as_deref().unwrap_or("")
    );
    check(refund.status == RefundStatus::Success, "status SUCCESS")?;
    let order_now = client
        .send(&pay::QueryByOutTradeNo {
            out_trade_no: out_trade_no.into(),
            mchid: mchid.clone(),
        })
        .await?;
    check(
        order_now.trade_state == TradeState::Refund,
        "the order is now REFUND",
    )?;

    // The handler reports before it answers: wait until the sandbox has recorded the answers.
    for _ in 0..600 {
        if sandbox
            .notifications()
            .iter()
            .all(|d| d.state != DeliveryState::Pending)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("\n── What the sandbox delivered ──");
    for d in sandbox.notifications() {
        let attempts: Vec<String> = d
            .attempts
            .iter()
            .map(|a| {
                a.status
                    .map_or_else(|| "no answer".to_string(), |s| s.to_string())
            })
            .collect();
        println!(
            "  {} about {}: {} [{}]",
            d.event_type,
            d.subject,
            d.state.as_str(),
            attempts.join(", ")
        );
    }
    check(
        sandbox
            .notifications()
            .iter()
            .all(|d| d.state == DeliveryState::Delivered),
        "every notification was delivered",
    )?;

    println!(
        "\nEvery step held: ordered, paid, notified (once), queried, refunded, notified, queried."
    );
    Ok(())
}
