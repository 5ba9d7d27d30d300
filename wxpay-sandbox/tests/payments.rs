//! Payments with state, end to end over HTTP: orders, queries, closing, refunds, the payer,
//! notifications delivered (and retried) to a merchant server, and the faults on that flow.

mod common;
#[path = "../../examples/common/pay.rs"]
mod pay;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::Call;
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};
use wxpay::Error;
use wxpay::api::notify::{RefundStatus, TradeState, TradeType, Transaction};
use wxpay_sandbox::{Delivery, DeliveryState, Sandbox};

/// What the merchant's notification handler does with its n-th request (from 0).
#[derive(Clone, Copy)]
enum Act {
    /// Close the connection without answering (a server that is down).
    Drop,
    /// Answer this status.
    Status(u16),
    /// Answer 204 after this long.
    Late(Duration),
}

/// A notification as the merchant received and verified it.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    event_type: String,
    resource: Value,
}

/// A merchant's notification server: verifies every notification with `client`, records
/// it, and acts as `act` says.
struct Merchant {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
}

async fn merchant(client: wxpay::Client, act: fn(usize) -> Act) -> Merchant {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    merchant_on(listener, client, act)
}

/// [`merchant`] on this listener.
fn merchant_on(
    listener: tokio::net::TcpListener,
    client: wxpay::Client,
    act: fn(usize) -> Act,
) -> Merchant {
    let url = format!("http://{}/wxpay/notify", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let record = got.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let n = count.fetch_add(1, Ordering::SeqCst);
            let action = act(n);
            if let Act::Drop = action {
                drop(stream);
                continue;
            }
            let client = client.clone();
            let record = record.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let client = client.clone();
                        let record = record.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body.collect().await.unwrap().to_bytes();
                            let (status, text) =
                                match client.parse_notification::<Value>(&parts.headers, &body) {
                                    Ok(n) => {
                                        record.lock().unwrap().push(Got {
                                            id: n.id,
                                            event_type: n.event_type,
                                            resource: n.resource,
                                        });
                                        match action {
                                            Act::Status(s) => (s, String::new()),
                                            Act::Late(d) => {
                                                tokio::time::sleep(d).await;
                                                (204, String::new())
                                            }
                                            Act::Drop => unreachable!(),
                                        }
                                    }
                                    Err(_) => (
                                        401,
                                        r#"{"code":"FAIL","message":"verification failed"}"#
                                            .to_string(),
                                    ),
                                };
                            let mut response = hyper::Response::new(Full::new(Bytes::from(text)));
                            *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(false)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Merchant { url, got }
}

fn always_ok(_: usize) -> Act {
    Act::Status(204)
}

impl Merchant {
    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }
}

/// Waits (polling, up to a minute: no timing is asserted) until the delivery about
/// `subject` of `event_type` is no longer pending, and returns it.
async fn settled(sandbox: &Sandbox, event_type: &str, subject: &str) -> Delivery {
    for _ in 0..3000 {
        if let Some(d) = sandbox.notifications().into_iter().find(|d| {
            d.event_type == event_type && d.subject == subject && d.state != DeliveryState::Pending
        }) {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "no settled {event_type} delivery about {subject}: {:?}",
        sandbox.notifications()
    );
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> (u16, String, String) {
    match result {
        Err(Error::Api {
            status,
            code,
            message,
            ..
        }) => (status, code, message),
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn control(
    sandbox: &Sandbox,
    method: &str,
    route: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request =
        reqwest::Client::new().request(method, format!("{}_sandbox/{route}", sandbox.base_url()));
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn an_order_is_paid_queried_refunded_and_notified() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let shop = merchant(client.clone(), always_ok).await;
    let mchid = sandbox.mchid().to_string();

    let order = pay::jsapi_order(&mchid, "order-A1", 100, &shop.url);
    let created = client.send(&order).await.unwrap();
    assert!(created.prepay_id.starts_with("wx"), "{}", created.prepay_id);
    assert_eq!(created.prepay_id.len(), 36);
    // The same order again: the same prepay_id.
    assert_eq!(
        client.send(&order).await.unwrap().prepay_id,
        created.prepay_id
    );

    let query = pay::QueryByOutTradeNo {
        out_trade_no: "order-A1".into(),
        mchid: mchid.clone(),
    };
    let unpaid = client.send(&query).await.unwrap();
    assert_eq!(unpaid.trade_state, TradeState::NotPay);
    assert_eq!(unpaid.trade_state_desc, "订单未支付");
    assert_eq!(unpaid.out_trade_no, "order-A1");
    assert_eq!(unpaid.appid, "wxd678efh567hg6787");
    assert_eq!(unpaid.mchid, mchid);
    assert_eq!(unpaid.amount.total, 100);
    assert_eq!(unpaid.amount.payer_total, None);
    assert_eq!(unpaid.transaction_id, None);
    assert_eq!(unpaid.trade_type, None);
    assert_eq!(unpaid.payer, None);
    assert!(shop.got().is_empty());

    // The payer pays.
    let paid = sandbox.pay("order-A1").unwrap();
    let transaction_id = paid.transaction_id.clone().unwrap();
    assert_eq!(transaction_id.len(), 28);
    assert!(transaction_id.starts_with("4200"));
    assert_eq!(paid.trade_state, TradeState::Success);
    assert_eq!(paid.trade_type, Some(TradeType::Jsapi));

    let delivery = settled(&sandbox, "TRANSACTION.SUCCESS", "order-A1").await;
    assert_eq!(delivery.state, DeliveryState::Delivered);
    assert_eq!(delivery.url, shop.url);
    assert_eq!(delivery.attempts.len(), 1);
    assert_eq!(delivery.attempts[0].status, Some(204));
    let got = shop.got();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, delivery.id);
    assert_eq!(got[0].event_type, "TRANSACTION.SUCCESS");
    let note: Transaction = serde_json::from_value(got[0].resource.clone()).unwrap();
    assert_eq!(note, paid);
    assert_eq!(note.amount.total, 100);
    assert_eq!(note.amount.payer_total, Some(100));
    assert_eq!(note.amount.currency.as_deref(), Some("CNY"));
    assert_eq!(
        note.payer.as_ref().unwrap().openid.as_deref(),
        Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    );
    assert_eq!(note.bank_type.as_deref(), Some("OTHERS"));
    assert!(note.success_time.as_deref().unwrap().ends_with("+08:00"));

    // Queried both ways, it is paid.
    let by_no = client.send(&query).await.unwrap();
    assert_eq!(by_no, paid);
    let by_id = client
        .send(&pay::QueryByTransactionId {
            transaction_id: transaction_id.clone(),
            mchid: mchid.clone(),
        })
        .await
        .unwrap();
    assert_eq!(by_id, paid);

    // Half is refunded.
    let refund = client
        .send(&pay::refund("order-A1", "refund-A1-1", 50, 100, &shop.url))
        .await
        .unwrap();
    assert_eq!(refund.status, RefundStatus::Processing);
    assert_eq!(refund.out_trade_no, "order-A1");
    assert_eq!(refund.transaction_id, transaction_id);
    assert_eq!((refund.amount.refund, refund.amount.total), (50, 100));
    assert_eq!(refund.success_time, None);
    assert!(refund.refund_id.starts_with("50"));
    let delivery = settled(&sandbox, "REFUND.SUCCESS", "refund-A1-1").await;
    assert_eq!(delivery.state, DeliveryState::Delivered);
    let got = shop.got();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].event_type, "REFUND.SUCCESS");
    let note: wxpay::api::notify::Refund = serde_json::from_value(got[1].resource.clone()).unwrap();
    assert_eq!(note.refund_status, RefundStatus::Success);
    assert_eq!(note.out_refund_no, "refund-A1-1");
    assert_eq!(note.refund_id, refund.refund_id);
    assert_eq!(note.mchid, mchid);
    assert_eq!(
        (
            note.amount.total,
            note.amount.refund,
            note.amount.payer_refund
        ),
        (100, 50, 50)
    );
    assert_eq!(note.user_received_account, "支付用户零钱");

    let queried = client
        .send(&pay::QueryRefund {
            out_refund_no: "refund-A1-1".into(),
        })
        .await
        .unwrap();
    assert_eq!(queried.status, RefundStatus::Success);
    assert_eq!(queried.success_time, note.success_time);
    assert_eq!(queried.channel.as_deref(), Some("ORIGINAL"));
    let order_now = client.send(&query).await.unwrap();
    assert_eq!(order_now.trade_state, TradeState::Refund);
    assert_eq!(order_now.trade_state_desc, "转入退款");

    // More than what is left: refused; what is left: fine; then nothing is left.
    let (status, code, message) = api_error(
        client
            .send(&pay::refund("order-A1", "refund-A1-2", 51, 100, &shop.url))
            .await,
    );
    assert_eq!((status, code.as_str()), (400, "INVALID_REQUEST"));
    assert_eq!(
        message,
        "申请退款金额超过订单可退金额: 51 asked, 50 left to refund"
    );
    let rest = client
        .send(&pay::refund("order-A1", "refund-A1-2", 50, 100, &shop.url))
        .await
        .unwrap();
    assert_eq!(rest.amount.refund, 50);
    let (status, code, message) = api_error(
        client
            .send(&pay::refund("order-A1", "refund-A1-3", 1, 100, &shop.url))
            .await,
    );
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (400, "INVALID_REQUEST", "订单已全额退款")
    );
    // The same refund request again answers the same refund.
    let again = client
        .send(&pay::refund("order-A1", "refund-A1-2", 50, 100, &shop.url))
        .await
        .unwrap();
    assert_eq!(again.refund_id, rest.refund_id);
}

#[tokio::test]
async fn errors_are_the_documented_codes() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let mchid = sandbox.mchid().to_string();
    let url = "http://127.0.0.1:9/notify";

    // Unknown orders.
    let query = |no: &str| pay::QueryByOutTradeNo {
        out_trade_no: no.into(),
        mchid: mchid.clone(),
    };
    let (status, code, message) = api_error(client.send(&query("nope")).await);
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (404, "ORDER_NOT_EXIST", "订单不存在")
    );
    let (status, code, _) = api_error(
        client
            .send(&pay::QueryByTransactionId {
                transaction_id: "4200000000000000000000000000".into(),
                mchid: mchid.clone(),
            })
            .await,
    );
    assert_eq!((status, code.as_str()), (404, "ORDER_NOT_EXIST"));
    assert_eq!(api_error(sandbox.pay("nope")).1, "ORDER_NOT_EXIST");

    // An out_trade_no reused with other parameters.
    client
        .send(&pay::jsapi_order(&mchid, "order-B1", 100, url))
        .await
        .unwrap();
    let (status, code, _) = api_error(
        client
            .send(&pay::jsapi_order(&mchid, "order-B1", 200, url))
            .await,
    );
    assert_eq!((status, code.as_str()), (403, "OUT_TRADE_NO_USED"));

    // A malformed request: the field is named.
    let reply = Call::new(&sandbox, "POST", "/v3/pay/transactions/jsapi")
        .json(
            json!({"appid": "wx1", "mchid": mchid, "description": "d", "out_trade_no": "order-B2",
                     "notify_url": url, "amount": {"total": 0}, "payer": {"openid": "o"}}),
        )
        .send()
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), "PARAM_ERROR");
    assert_eq!(reply.json()["detail"]["field"], "amount.total");
    let reply = Call::new(&sandbox, "POST", "/v3/pay/transactions/jsapi")
        .json(
            json!({"appid": "wx1", "mchid": mchid, "description": "d", "out_trade_no": "order-B2",
                     "notify_url": url, "amount": {"total": 1}}),
        )
        .send()
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "PARAM_ERROR".to_string())
    );
    assert_eq!(reply.json()["detail"]["field"], "payer.openid");
    let reply = Call::new(
        &sandbox,
        "GET",
        "/v3/pay/transactions/out-trade-no/order-B1",
    )
    .send()
    .await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "PARAM_ERROR".to_string())
    );
    assert_eq!(reply.json()["detail"]["field"], "mchid");

    // Closed: queried CLOSED; paying, ordering again: ORDER_CLOSED; closing again: fine.
    let close = |no: &str| pay::CloseOrder {
        out_trade_no: no.into(),
        mchid: mchid.clone(),
    };
    client.send(&close("order-B1")).await.unwrap();
    assert_eq!(
        client.send(&query("order-B1")).await.unwrap().trade_state,
        TradeState::Closed
    );
    let (status, code, message) = api_error(sandbox.pay("order-B1"));
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (400, "ORDER_CLOSED", "订单已关闭")
    );
    let (status, body) = control(
        &sandbox,
        "POST",
        "pay",
        Some(json!({"out_trade_no": "order-B1"})),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("ORDER_CLOSED")));
    let (status, code, _) = api_error(
        client
            .send(&pay::jsapi_order(&mchid, "order-B1", 100, url))
            .await,
    );
    assert_eq!((status, code.as_str()), (400, "ORDER_CLOSED"));
    client.send(&close("order-B1")).await.unwrap();
    assert_eq!(
        api_error(client.send(&close("nope")).await).1,
        "ORDER_NOT_EXIST"
    );

    // Paid: closing it is ORDERPAID, paying it again too.
    client
        .send(&pay::jsapi_order(&mchid, "order-B3", 100, url))
        .await
        .unwrap();
    sandbox.pay("order-B3").unwrap();
    let (status, code, message) = api_error(client.send(&close("order-B3")).await);
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (400, "ORDERPAID", "订单已支付")
    );
    assert_eq!(api_error(sandbox.pay("order-B3")).1, "ORDERPAID");
    assert_eq!(
        client.send(&query("order-B3")).await.unwrap().trade_state,
        TradeState::Success
    );

    // Refunds of an unpaid or unknown order, a wrong total, an unknown refund.
    client
        .send(&pay::jsapi_order(&mchid, "order-B4", 100, url))
        .await
        .unwrap();
    let (status, code, _) = api_error(
        client
            .send(&pay::refund("order-B4", "r-B4", 10, 100, url))
            .await,
    );
    assert_eq!((status, code.as_str()), (404, "RESOURCE_NOT_EXISTS"));
    assert_eq!(
        api_error(
            client
                .send(&pay::refund("nope", "r-B5", 10, 100, url))
                .await
        )
        .1,
        "RESOURCE_NOT_EXISTS"
    );
    let (status, code, _) = api_error(
        client
            .send(&pay::refund("order-B3", "r-B3", 10, 99, url))
            .await,
    );
    assert_eq!((status, code.as_str()), (400, "INVALID_REQUEST"));
    let (status, code, message) = api_error(
        client
            .send(&pay::QueryRefund {
                out_refund_no: "nope".into(),
            })
            .await,
    );
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (404, "RESOURCE_NOT_EXISTS", "退款单不存在")
    );
}

#[tokio::test]
async fn native_h5_and_app_orders() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let mchid = sandbox.mchid().to_string();
    let url = "http://127.0.0.1:9/notify";
    let native = client
        .send(
            &pay::NativeOrder::builder()
                .appid("wxd678efh567hg6787")
                .mchid(mchid.as_str())
                .description("扫码")
                .out_trade_no("order-N1")
                .notify_url(url)
                .amount(pay::OrderAmount::builder().total(1).build())
                .build(),
        )
        .await
        .unwrap();
    assert!(
        native.code_url.starts_with("weixin://wxpay/bizpayurl?pr="),
        "{}",
        native.code_url
    );
    let base = json!({"appid": "wx1", "mchid": mchid, "description": "d", "notify_url": url, "amount": {"total": 5}});
    let mut h5 = base.clone();
    h5["out_trade_no"] = json!("order-H1");
    h5["scene_info"] = json!({"payer_client_ip": "127.0.0.1", "h5_info": {"type": "Wap"}});
    let reply = Call::new(&sandbox, "POST", "/v3/pay/transactions/h5")
        .json(h5)
        .send()
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.json()["h5_url"]
            .as_str()
            .unwrap()
            .starts_with("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx")
    );
    let mut app = base.clone();
    app["out_trade_no"] = json!("order-P1");
    let reply = Call::new(&sandbox, "POST", "/v3/pay/transactions/app")
        .json(app)
        .send()
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.json()["prepay_id"]
            .as_str()
            .unwrap()
            .starts_with("wx")
    );
    for (no, trade_type) in [
        ("order-N1", TradeType::Native),
        ("order-H1", TradeType::Mweb),
        ("order-P1", TradeType::App),
    ] {
        let t = sandbox.pay(no).unwrap();
        assert_eq!(t.trade_type, Some(trade_type), "{no}");
        assert!(t.payer.unwrap().openid.unwrap().starts_with("oSandbox"));
    }
}

#[tokio::test]
async fn service_provider_orders() {
    let sandbox = Sandbox::start().await.unwrap();
    let sp = sandbox.mchid().to_string();
    let order = json!({"sp_appid": "wxsp", "sp_mchid": sp, "sub_mchid": "1900000109", "description": "d",
        "out_trade_no": "order-S1", "notify_url": "http://127.0.0.1:9/n", "amount": {"total": 8},
        "payer": {"sp_openid": "oSP1"}});
    let reply = Call::new(&sandbox, "POST", "/v3/pay/partner/transactions/jsapi")
        .json(order)
        .send()
        .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let paid = sandbox.pay_for(Some("1900000109"), "order-S1").unwrap();
    assert_eq!(paid.sub_mchid.as_deref(), Some("1900000109"));
    assert_eq!(paid.sp_mchid.as_deref(), Some(sp.as_str()));
    assert_eq!(paid.mchid, "");
    assert_eq!(paid.payer.unwrap().sp_openid.as_deref(), Some("oSP1"));
    let path = format!(
        "/v3/pay/partner/transactions/out-trade-no/order-S1?sp_mchid={sp}&sub_mchid=1900000109"
    );
    let reply = Call::new(&sandbox, "GET", &path).send().await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["trade_state"], "SUCCESS");
    assert_eq!(reply.json()["sub_mchid"], "1900000109");
    let path = format!(
        "/v3/pay/partner/transactions/out-trade-no/order-S1?sp_mchid={sp}&sub_mchid=1900000999"
    );
    assert_eq!(
        Call::new(&sandbox, "GET", &path).send().await.code(),
        "ORDER_NOT_EXIST"
    );

    // A refund of it: the sub-merchant names the order.
    let refund = json!({"sub_mchid": "1900000109", "out_trade_no": "order-S1", "out_refund_no": "r-S1",
        "notify_url": "http://127.0.0.1:9/r", "amount": {"refund": 8, "total": 8, "currency": "CNY"}});
    let reply = Call::new(&sandbox, "POST", "/v3/refund/domestic/refunds")
        .json(refund)
        .send()
        .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["status"], "PROCESSING");
    for _ in 0..3000 {
        if sandbox
            .notifications()
            .iter()
            .any(|d| d.event_type == "REFUND.SUCCESS")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let delivery = sandbox
        .notifications()
        .into_iter()
        .find(|d| d.event_type == "REFUND.SUCCESS")
        .unwrap();
    let note: wxpay::api::notify::Refund = serde_json::from_value(delivery.resource).unwrap();
    assert_eq!(note.sp_mchid.as_deref(), Some(sp.as_str()));
    assert_eq!(note.sub_mchid.as_deref(), Some("1900000109"));
    assert_eq!(note.mchid, "");
    assert_eq!(note.refund_status, RefundStatus::Success);
}

// ----- Faults on the flow -----

fn down_twice(n: usize) -> Act {
    if n < 2 { Act::Drop } else { Act::Status(200) }
}

#[tokio::test]
async fn deliveries_are_retried_while_the_merchant_is_down() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let shop = merchant(client.clone(), down_twice).await;
    client
        .send(&pay::jsapi_order(
            sandbox.mchid(),
            "order-C1",
            100,
            &shop.url,
        ))
        .await
        .unwrap();
    sandbox.pay("order-C1").unwrap();
    let d = settled(&sandbox, "TRANSACTION.SUCCESS", "order-C1").await;
    assert_eq!(d.state, DeliveryState::Delivered);
    let statuses: Vec<Option<u16>> = d.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [None, None, Some(200)]);
    assert!(d.attempts[0].error.is_some());
    assert_eq!(
        d.attempts.iter().map(|a| a.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // Nothing lost, nothing twice: the merchant verified it once, with the delivery's id.
    let got = shop.got();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, d.id);
    assert_eq!(got[0].resource["out_trade_no"], "order-C1");
}

#[tokio::test]
async fn deliveries_are_retried_while_connections_are_refused() {
    // WeChat Pay's waits divided by 20 (750 ms, 750 ms, 1.5 s, …): time to start listening
    // once the second attempt was refused.
    let sandbox = Sandbox::builder().notify_speedup(20).start().await.unwrap();
    let client = sandbox.client();
    // Bound but not listening: the port is reserved, and connections to it are refused.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let url = format!("http://{}/wxpay/notify", socket.local_addr().unwrap());
    client
        .send(&pay::jsapi_order(sandbox.mchid(), "order-C2", 100, &url))
        .await
        .unwrap();
    sandbox.pay("order-C2").unwrap();
    for _ in 0..3000 {
        if sandbox.notifications()[0].attempts.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // The merchant comes up.
    let shop = merchant_on(socket.listen(16).unwrap(), client.clone(), always_ok);
    let d = settled(&sandbox, "TRANSACTION.SUCCESS", "order-C2").await;
    assert_eq!(d.state, DeliveryState::Delivered);
    let n = d.attempts.len();
    assert!(n >= 3, "{d:?}");
    assert!(
        d.attempts[..n - 1].iter().all(|a| a.status.is_none()
            && a.error
                .as_deref()
                .is_some_and(|e| e.contains("Connection refused"))),
        "{d:?}"
    );
    assert_eq!(d.attempts[n - 1].status, Some(204));
    // Delivered once, nothing lost.
    let got = shop.got();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, d.id);
    assert_eq!(got[0].resource["out_trade_no"], "order-C2");
}

fn fails_once(n: usize) -> Act {
    if n == 0 {
        Act::Status(500)
    } else {
        Act::Status(200)
    }
}

#[tokio::test]
async fn a_handler_that_answers_500_once_gets_the_notification_again() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let shop = merchant(client.clone(), fails_once).await;
    client
        .send(&pay::jsapi_order(
            sandbox.mchid(),
            "order-D1",
            100,
            &shop.url,
        ))
        .await
        .unwrap();
    sandbox.pay("order-D1").unwrap();
    let d = settled(&sandbox, "TRANSACTION.SUCCESS", "order-D1").await;
    assert_eq!(d.state, DeliveryState::Delivered);
    assert_eq!(
        d.attempts.iter().map(|a| a.status).collect::<Vec<_>>(),
        [Some(500), Some(200)]
    );
    let got = shop.got();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].id, got[1].id);
    assert_eq!(got[0].resource, got[1].resource);

    // Over HTTP, as a client in another language sees it.
    let (status, list) = control(&sandbox, "GET", "notifications", None).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["state"], "delivered");
    assert_eq!(list[0]["event_type"], "TRANSACTION.SUCCESS");
    assert_eq!(list[0]["subject"], "order-D1");
    assert_eq!(list[0]["last_status"], 200);
    assert_eq!(list[0]["attempts"][0]["status"], 500);
    assert_eq!(list[0]["attempts"][1]["number"], 2);

    // Delivered again on request: the same id.
    assert!(sandbox.redeliver(&d.id));
    let (status, _) = control(
        &sandbox,
        "POST",
        "notifications/redeliver",
        Some(json!({"id": "nope"})),
    )
    .await;
    assert_eq!(status, 404);
    for _ in 0..3000 {
        if shop.got().len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(shop.got()[2].id, d.id);
}

fn always_500(_: usize) -> Act {
    Act::Status(500)
}

#[tokio::test]
async fn after_the_sixteenth_failed_attempt_the_delivery_is_given_up() {
    // The whole 24 h 4 min schedule in under a second.
    let sandbox = Sandbox::builder()
        .notify_speedup(100_000)
        .start()
        .await
        .unwrap();
    let client = sandbox.client();
    let shop = merchant(client.clone(), always_500).await;
    client
        .send(&pay::jsapi_order(
            sandbox.mchid(),
            "order-K1",
            100,
            &shop.url,
        ))
        .await
        .unwrap();
    sandbox.pay("order-K1").unwrap();
    let d = settled(&sandbox, "TRANSACTION.SUCCESS", "order-K1").await;
    assert_eq!(d.state, DeliveryState::Failed);
    assert_eq!(d.attempts.len(), 16);
    assert!(d.attempts.iter().all(|a| a.status == Some(500)));
    assert_eq!(shop.got().len(), 16);
    let (_, list) = control(&sandbox, "GET", "notifications", None).await;
    assert_eq!(list[0]["state"], "failed");
}

fn late_once(n: usize) -> Act {
    if n == 0 {
        Act::Late(Duration::from_secs(10))
    } else {
        Act::Status(204)
    }
}

#[tokio::test]
async fn an_answer_later_than_the_timeout_counts_as_none() {
    let sandbox = Sandbox::builder()
        .notify_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let client = sandbox.client();
    let shop = merchant(client.clone(), late_once).await;
    client
        .send(&pay::jsapi_order(
            sandbox.mchid(),
            "order-E1",
            100,
            &shop.url,
        ))
        .await
        .unwrap();
    sandbox.pay("order-E1").unwrap();
    let d = settled(&sandbox, "TRANSACTION.SUCCESS", "order-E1").await;
    assert_eq!(
        d.attempts.iter().map(|a| a.status).collect::<Vec<_>>(),
        [None, Some(204)]
    );
    assert_eq!(
        d.attempts[0].error.as_deref(),
        Some("no answer within 300 ms")
    );
}

#[tokio::test]
async fn notifications_go_only_to_loopback_unless_allowed() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    client
        .send(&pay::jsapi_order(
            sandbox.mchid(),
            "order-F1",
            100,
            "https://shop.example.com/notify",
        ))
        .await
        .unwrap();
    sandbox.pay("order-F1").unwrap();
    let d = settled(&sandbox, "TRANSACTION.SUCCESS", "order-F1").await;
    assert_eq!(d.state, DeliveryState::Refused);
    assert!(d.attempts.is_empty());
    assert_eq!(
        d.refusal.as_deref(),
        Some(
            "refused: shop.example.com is not a loopback address (start the sandbox with --allow-notify-host shop.example.com to send there)"
        )
    );
    // The control route that sends notifications follows the same rule.
    let (status, body) = control(
        &sandbox,
        "POST",
        "notify",
        Some(json!({"url": "http://10.1.2.3/notify", "event_type": "TRANSACTION.SUCCESS", "resource": {}})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("NOTIFY_URL_REFUSED"))
    );
}

#[tokio::test]
async fn the_notify_control_route_takes_the_fault_as_a_name() {
    let sandbox = Sandbox::start().await.unwrap();
    let shop = merchant(sandbox.client(), always_ok).await;
    for fault in [json!("sign_test"), json!({"fault": "sign_test"})] {
        let (status, body) = control(
            &sandbox,
            "POST",
            "notify",
            Some(json!({"url": shop.url, "event_type": "TRANSACTION.SUCCESS", "resource": {}, "fault": fault})),
        )
        .await;
        assert_eq!(
            (status, body["status"].as_u64()),
            (200, Some(401)),
            "{fault}"
        );
    }
    let (status, body) = control(
        &sandbox,
        "POST",
        "notify",
        Some(json!({"url": shop.url, "event_type": "TRANSACTION.SUCCESS", "resource": {}, "fault": "nope"})),
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (
            400,
            Some(
                "unknown variant `nope`, expected one of `tamper_body`, `tamper_signature`, \
                 `stale_timestamp`, `unknown_serial`, `missing_signature`, `sign_test`, \
                 `server_error`, `error`, `delay`, `oversized`, `disconnect`, `truncate`"
            )
        )
    );
    assert!(shop.got().is_empty());
}

#[tokio::test]
async fn a_multipart_upload_without_boundary_is_a_400_that_names_it() {
    let sandbox = Sandbox::start().await.unwrap();
    let meta = r#"{"filename":"a.jpg","sha256":"00"}"#;
    let reply = Call::new(&sandbox, "POST", "/v3/merchant/media/upload")
        .upload(meta, "a.jpg", b"\xff\xd8", true)
        .raw_body(b"--x\r\n", "multipart/form-data")
        .send()
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), "PARAM_ERROR");
    assert_eq!(
        reply.json()["message"],
        "multipart upload: Content-Type has no boundary (expected multipart/form-data; boundary=…)"
    );
}

// ----- Over HTTP only: the control routes and the page -----

#[tokio::test]
async fn the_payer_and_the_page_over_http() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let mchid = sandbox.mchid().to_string();
    let url = "http://127.0.0.1:9/notify";
    let mut order = pay::jsapi_order(&mchid, "order-G1", 100, url);
    order.description = "<script>alert(1)</script>".into();
    client.send(&order).await.unwrap();
    client
        .send(
            &pay::NativeOrder::builder()
                .appid("wx1")
                .mchid(mchid.as_str())
                .description("扫码")
                .out_trade_no("order-G2")
                .notify_url(url)
                .amount(pay::OrderAmount::builder().total(1).build())
                .build(),
        )
        .await
        .unwrap();

    let (status, orders) = control(&sandbox, "GET", "orders", None).await;
    assert_eq!(status, 200);
    assert_eq!(orders[0]["out_trade_no"], "order-G1");
    assert_eq!(orders[0]["trade_state"], "NOTPAY");
    assert_eq!(orders[0]["sandbox"]["kind"], "jsapi");
    assert_eq!(orders[1]["sandbox"]["kind"], "native");

    // Typed without the slash, it redirects to the page.
    let page = reqwest::get(format!("{}_sandbox", sandbox.base_url()))
        .await
        .unwrap();
    assert_eq!(page.url().path(), "/_sandbox/");
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let html = page.text().await.unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("<form method=\"post\" action=\"/_sandbox/pay\"><input type=\"hidden\" name=\"out_trade_no\" value=\"order-G1\">"));
    assert!(html.contains("<button type=\"submit\">Pay ¥1.00</button>"));
    assert_eq!(
        html.matches("<svg").count(),
        1,
        "one QR code, for the Native order"
    );
    assert!(html.contains("weixin://wxpay/bizpayurl?pr="));
    // The order's request, received: the payer's openid travelled in plaintext, nothing marked.
    assert!(html.contains("/v3/pay/transactions/jsapi"));

    // The button: a form post, answered with a redirect back to the page.
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let reply = no_redirect
        .post(format!("{}_sandbox/pay", sandbox.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("out_trade_no=order-G1&merchant={mchid}"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 303);
    assert_eq!(reply.headers()["location"], "/_sandbox/");
    let html = reqwest::get(format!("{}_sandbox/", sandbox.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<td class=\"st SUCCESS\">SUCCESS</td>"));
    assert_eq!(
        html.matches("action=\"/_sandbox/pay\"").count(),
        1,
        "only the Native order is left to pay"
    );
    // Its notification could not be delivered (nobody listens on port 9): pending, with an error.
    assert!(html.contains("TRANSACTION.SUCCESS"));

    // JSON: the payer pays the Native order.
    let (status, paid) = control(
        &sandbox,
        "POST",
        "pay",
        Some(json!({"out_trade_no": "order-G2"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(paid["trade_state"], "SUCCESS");
    assert_eq!(paid["trade_type"], "NATIVE");
    // curl -d sends JSON as a form: still JSON.
    let reply = reqwest::Client::new()
        .post(format!("{}_sandbox/pay", sandbox.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(r#"{"out_trade_no": "order-G2"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    let body: Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    assert_eq!(body["code"], "ORDERPAID");
    let (status, body) = control(&sandbox, "POST", "pay", Some(json!({}))).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("PARAM_ERROR")));
    let (status, body) = control(
        &sandbox,
        "POST",
        "pay",
        Some(json!({"out_trade_no": "nope"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("ORDER_NOT_EXIST"))
    );
}

#[tokio::test]
async fn the_page_marks_decrypted_fields() {
    let sandbox = Sandbox::start().await.unwrap();
    let secret = sandbox.encrypt_for_wechatpay("张三").unwrap();
    let reply = Call::new(&sandbox, "POST", "/v3/security/echo")
        .json(json!({"echo_message": "hi", "encrypted_echo_message": secret}))
        .send()
        .await;
    assert_eq!(reply.status, 200);
    let html = reqwest::get(format!("{}_sandbox/", sandbox.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<mark title=\"sent encrypted, shown decrypted\">&quot;张三&quot;</mark>")
    );
    assert!(!html.contains(&secret));
}
