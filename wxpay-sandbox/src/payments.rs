//! Payments with state: orders (JSAPI, APP, H5, Native, direct and service-provider), their
//! queries and closing, refunds and their queries, and the payer (`/_sandbox/pay`).
//!
//! Answers and error codes follow WeChat Pay's docs of each endpoint:
//! - an unknown order: `404 ORDER_NOT_EXIST` (订单不存在);
//! - an `out_trade_no` reused with other parameters: `403 OUT_TRADE_NO_USED` (商户订单号重复);
//!   reused with the same parameters while unpaid: the same `prepay_id` again;
//! - a closed order, ordered again or paid: `400 ORDER_CLOSED` (订单已关闭);
//! - a paid order, closed or ordered again: `400 ORDERPAID` (订单已支付: the close-order docs'
//!   code for it);
//! - a refund of an unknown or unpaid order: `404 RESOURCE_NOT_EXISTS` (订单不存在; the refund
//!   docs: 未支付的订单不能发起退款);
//! - a refund larger than what is left to refund, or whose `amount.total` is not the order's:
//!   `400 INVALID_REQUEST` (the refund docs' code for a request that is well-formed but breaks
//!   a business rule), with the reason in `message`;
//! - an unknown refund: `404 RESOURCE_NOT_EXISTS` (退款单不存在);
//! - a missing or malformed field: `400 PARAM_ERROR`, `detail.field` naming it.

use std::time::Duration;

use serde_json::{Value, json};
use wxpay::api::notify::{RefundStatus, TradeState, Transaction};

use crate::answer::{Answer, param_error};
use crate::check::Checked;
use crate::keygen::{random_bytes, random_digits};
use crate::ledger::{Kind, Order, Refund};
use crate::state::Shared;
use crate::time::{now, rfc3339_cst};

// ----- Routes -----

/// The answer of a payment route, or `None` when `method path` is not one.
pub(crate) fn answer(
    shared: &Shared,
    method: &str,
    path: &str,
    checked: &Checked,
) -> Option<Answer> {
    let segments: Vec<&str> = path.split('/').collect();
    let (partner, rest) = match segments.as_slice() {
        ["v3", "pay", "partner", "transactions", rest @ ..] => (true, rest),
        ["v3", "pay", "transactions", rest @ ..] => (false, rest),
        ["v3", "refund", "domestic", "refunds"] if method == "POST" => {
            return Some(create_refund(shared, &checked.json));
        }
        ["v3", "refund", "domestic", "refunds", out_refund_no] if method == "GET" => {
            return Some(query_refund(shared, &decode(out_refund_no)));
        }
        _ => return None,
    };
    let query = |name: &str| {
        checked
            .query_params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    Some(match (method, rest) {
        ("POST", [kind]) => create_order(shared, Kind::from_segment(kind)?, partner, &checked.json),
        ("GET", ["id", transaction_id]) => {
            if let Some(missing) = merchant_param(partner, &query) {
                return Some(missing);
            }
            let ledger = shared.lifecycle.ledger();
            match ledger
                .orders
                .iter()
                .find(|o| o.transaction_id.as_deref() == Some(&decode(transaction_id)))
            {
                Some(order) => transaction_answer(order),
                None => order_not_exist(),
            }
        }
        ("GET", ["out-trade-no", out_trade_no]) => {
            if let Some(missing) = merchant_param(partner, &query) {
                return Some(missing);
            }
            let merchant = merchant_of(partner, query("mchid"), query("sub_mchid"));
            let mut ledger = shared.lifecycle.ledger();
            match ledger.order_mut(merchant.as_deref(), &decode(out_trade_no)) {
                Some(order) => transaction_answer(order),
                None => order_not_exist(),
            }
        }
        ("POST", ["out-trade-no", out_trade_no, "close"]) => {
            close(shared, partner, &decode(out_trade_no), &checked.json)
        }
        _ => return None,
    })
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

fn merchant_of(partner: bool, mchid: Option<&str>, sub_mchid: Option<&str>) -> Option<String> {
    if partner { sub_mchid } else { mchid }.map(String::from)
}

/// The query's `mchid` (or `sp_mchid` and `sub_mchid`), required by the query routes.
fn merchant_param<'a>(partner: bool, query: &impl Fn(&str) -> Option<&'a str>) -> Option<Answer> {
    let names: &[&str] = if partner {
        &["sp_mchid", "sub_mchid"]
    } else {
        &["mchid"]
    };
    names
        .iter()
        .find(|n| query(n).is_none_or(str::is_empty))
        .map(|name| missing(name, "query"))
}

fn missing(field: &str, location: &str) -> Answer {
    param_error(
        format!(
            "输入源“/{location}/{}”映射到字段“{field}”必填性规则校验失败，此字段为必填项",
            field.replace('.', "/")
        ),
        json!({"field": field, "location": location, "issue": "missing"}),
    )
}

fn invalid(field: &str, issue: &str) -> Answer {
    param_error(
        format!("字段“{field}”的值不合法: {issue}"),
        json!({"field": field, "location": "body", "issue": issue}),
    )
}

fn order_not_exist() -> Answer {
    Answer::error(404, "ORDER_NOT_EXIST", "订单不存在")
}

fn transaction_answer(order: &Order) -> Answer {
    Answer::json(serde_json::to_value(order.transaction()).unwrap_or(Value::Null))
}

/// `body[path]` as a non-empty string, or the `PARAM_ERROR` naming it.
fn text<'a>(body: &'a Value, path: &str) -> Result<&'a str, Answer> {
    let mut v = body;
    for part in path.split('.') {
        v = &v[part];
    }
    match v {
        Value::String(s) if !s.is_empty() => Ok(s),
        Value::Null => Err(missing(path, "body")),
        Value::String(_) => Err(missing(path, "body")),
        _ => Err(invalid(path, "must be a string")),
    }
}

fn optional_text<'a>(body: &'a Value, path: &str) -> Option<&'a str> {
    let mut v = body;
    for part in path.split('.') {
        v = &v[part];
    }
    v.as_str().filter(|s| !s.is_empty())
}

/// `body[path]` as a whole number of fen, at least 1.
fn fen(body: &Value, path: &str) -> Result<i64, Answer> {
    let mut v = body;
    for part in path.split('.') {
        v = &v[part];
    }
    match v {
        Value::Null => Err(missing(path, "body")),
        Value::Number(n) => match n.as_i64() {
            Some(x) if x >= 1 => Ok(x),
            _ => Err(invalid(path, "must be a whole number of fen, at least 1")),
        },
        _ => Err(invalid(path, "must be an integer")),
    }
}

/// A merchant order number: 6 to 32 of `[0-9A-Za-z_-|*]` (as the docs say; the sandbox
/// accepts from 1).
fn order_number(body: &Value, field: &str) -> Result<String, Answer> {
    let value = text(body, field)?;
    if value.len() > 32
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-|*@".contains(&b))
    {
        return Err(invalid(
            field,
            "at most 32 characters of digits, letters and _-|*@",
        ));
    }
    Ok(value.to_string())
}

fn create_order(shared: &Shared, kind: Kind, partner: bool, body: &Value) -> Answer {
    match try_create_order(shared, kind, partner, body) {
        Ok(a) | Err(a) => a,
    }
}

fn try_create_order(
    shared: &Shared,
    kind: Kind,
    partner: bool,
    body: &Value,
) -> Result<Answer, Answer> {
    if !body.is_object() {
        return Err(param_error(
            "the body must be a JSON object",
            json!({"location": "body", "issue": "not an object"}),
        ));
    }
    let merchant = if partner {
        text(body, "sp_appid")?;
        check_mchid(shared, text(body, "sp_mchid")?, "sp_mchid")?;
        text(body, "sub_mchid")?.to_string()
    } else {
        text(body, "appid")?;
        let mchid = text(body, "mchid")?;
        check_mchid(shared, mchid, "mchid")?;
        mchid.to_string()
    };
    let description = text(body, "description")?.to_string();
    let out_trade_no = order_number(body, "out_trade_no")?;
    let notify_url = text(body, "notify_url")?.to_string();
    if !(notify_url.starts_with("https://") || notify_url.starts_with("http://")) {
        return Err(invalid("notify_url", "must be an http(s) URL"));
    }
    let total = fen(body, "amount.total")?;
    let currency = optional_text(body, "amount.currency")
        .unwrap_or("CNY")
        .to_string();
    let payer_openid = match kind {
        Kind::Jsapi if partner => match (
            optional_text(body, "payer.sp_openid"),
            optional_text(body, "payer.sub_openid"),
        ) {
            (Some(o), _) | (None, Some(o)) => Some(o.to_string()),
            (None, None) => return Err(missing("payer.sp_openid", "body")),
        },
        Kind::Jsapi => Some(text(body, "payer.openid")?.to_string()),
        Kind::H5 => {
            text(body, "scene_info.payer_client_ip")?;
            text(body, "scene_info.h5_info.type")?;
            None
        }
        _ => None,
    };

    let mut ledger = shared.lifecycle.ledger();
    if let Some(existing) = ledger.order_mut(Some(&merchant), &out_trade_no) {
        if existing.request != *body || existing.kind != kind || existing.partner != partner {
            return Err(Answer::error(
                403,
                "OUT_TRADE_NO_USED",
                "商户订单号重复: this out_trade_no was ordered with other parameters",
            ));
        }
        return match existing.state {
            TradeState::NotPay => Ok(created_answer(existing)),
            TradeState::Closed => Err(order_closed()),
            _ => Err(order_paid()),
        };
    }
    let created = now();
    let prepay_id = prepay_id(created);
    let pay_url = match kind {
        Kind::Native => Some(format!("weixin://wxpay/bizpayurl?pr={}", letters(9))),
        Kind::H5 => Some(format!(
            "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id={prepay_id}&package={}",
            random_digits(10)
        )),
        _ => None,
    };
    let order = Order {
        kind,
        partner,
        request: body.clone(),
        out_trade_no,
        merchant,
        description,
        notify_url,
        total,
        currency,
        state: TradeState::NotPay,
        transaction_id: None,
        prepay_id,
        pay_url,
        created,
        success_time: None,
        payer_openid,
        refunded: 0,
    };
    let answer = created_answer(&order);
    ledger.orders.push(order);
    Ok(answer)
}

fn check_mchid(shared: &Shared, mchid: &str, field: &str) -> Result<(), Answer> {
    if mchid == shared.identity.mchid {
        Ok(())
    } else {
        Err(param_error(
            format!(
                "{field} {mchid} is not the merchant that signed the request ({})",
                shared.identity.mchid
            ),
            json!({"field": field, "location": "body", "issue": "mchid mismatch"}),
        ))
    }
}

fn created_answer(order: &Order) -> Answer {
    Answer::json(match order.kind {
        Kind::Jsapi | Kind::App => json!({"prepay_id": order.prepay_id}),
        Kind::H5 => json!({"h5_url": order.pay_url}),
        Kind::Native => json!({"code_url": order.pay_url}),
    })
}

fn order_closed() -> Answer {
    Answer::error(400, "ORDER_CLOSED", "订单已关闭")
}

fn order_paid() -> Answer {
    Answer::error(400, "ORDERPAID", "订单已支付")
}

fn close(shared: &Shared, partner: bool, out_trade_no: &str, body: &Value) -> Answer {
    let merchant = if partner {
        if let Err(a) = text(body, "sp_mchid") {
            return a;
        }
        match text(body, "sub_mchid") {
            Ok(m) => m.to_string(),
            Err(a) => return a,
        }
    } else {
        match text(body, "mchid") {
            Ok(m) => m.to_string(),
            Err(a) => return a,
        }
    };
    let mut ledger = shared.lifecycle.ledger();
    let Some(order) = ledger.order_mut(Some(&merchant), out_trade_no) else {
        return order_not_exist();
    };
    match order.state {
        TradeState::NotPay => {
            order.state = TradeState::Closed;
            Answer::empty()
        }
        TradeState::Closed => Answer::empty(),
        _ => order_paid(),
    }
}

// ----- Refunds -----

fn create_refund(shared: &Shared, body: &Value) -> Answer {
    match try_create_refund(shared, body) {
        Ok(a) | Err(a) => a,
    }
}

fn try_create_refund(shared: &Shared, body: &Value) -> Result<Answer, Answer> {
    if !body.is_object() {
        return Err(param_error(
            "the body must be a JSON object",
            json!({"location": "body", "issue": "not an object"}),
        ));
    }
    let out_refund_no = order_number(body, "out_refund_no")?;
    let refund = fen(body, "amount.refund")?;
    let total = fen(body, "amount.total")?;
    let currency = text(body, "amount.currency")?.to_string();
    let sub_mchid = optional_text(body, "sub_mchid");
    let notify_url = optional_text(body, "notify_url").map(String::from);
    if let Some(url) = &notify_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(invalid("notify_url", "must be an http(s) URL"));
    }
    let mut ledger = shared.lifecycle.ledger();
    if let Some(existing) = ledger
        .refunds
        .iter()
        .find(|r| r.out_refund_no == out_refund_no)
    {
        return if existing.request == *body {
            Ok(Answer::json(existing.to_json()))
        } else {
            Err(Answer::error(
                400,
                "INVALID_REQUEST",
                "退款单号重复: this out_refund_no was used with other parameters",
            ))
        };
    }
    let order = match (
        optional_text(body, "transaction_id"),
        optional_text(body, "out_trade_no"),
    ) {
        (Some(id), _) => ledger.order_by_transaction(id),
        (None, Some(no)) => ledger.order_mut(sub_mchid, no),
        (None, None) => return Err(missing("out_trade_no", "body")),
    };
    let Some(order) = order else {
        return Err(Answer::error(404, "RESOURCE_NOT_EXISTS", "订单不存在"));
    };
    let Some(transaction_id) = order.transaction_id.clone() else {
        return Err(Answer::error(
            404,
            "RESOURCE_NOT_EXISTS",
            "订单不存在: 未支付的订单不能发起退款",
        ));
    };
    if total != order.total {
        return Err(Answer::error(
            400,
            "INVALID_REQUEST",
            format!(
                "订单金额不一致: amount.total {total} is not the order's {}",
                order.total
            ),
        ));
    }
    let left = order.total - order.refunded;
    if left == 0 {
        return Err(Answer::error(400, "INVALID_REQUEST", "订单已全额退款"));
    }
    if refund > left {
        return Err(Answer::error(
            400,
            "INVALID_REQUEST",
            format!("申请退款金额超过订单可退金额: {refund} asked, {left} left to refund"),
        ));
    }
    order.refunded += refund;
    order.state = TradeState::Refund;
    let record = Refund {
        request: body.clone(),
        out_refund_no,
        refund_id: format!("50{}", random_digits(27)),
        out_trade_no: order.out_trade_no.clone(),
        transaction_id,
        merchant: order.merchant.clone(),
        partner: order.partner,
        sp_mchid: order
            .partner
            .then(|| order.request["sp_mchid"].as_str().map(String::from))
            .flatten(),
        refund,
        total,
        currency,
        status: RefundStatus::Processing,
        created: now(),
        success_time: None,
        notify_url,
    };
    let answer = Answer::json(record.to_json());
    let key = record.out_refund_no.clone();
    ledger.refunds.push(record);
    drop(ledger);
    schedule_refund_success(shared, key);
    Ok(answer)
}

/// A refund succeeds after WeChat Pay's shortest delay (15 s, compressed like the
/// notification schedule), then `REFUND.SUCCESS` goes to its `notify_url`.
fn schedule_refund_success(shared: &Shared, out_refund_no: String) {
    let delay = shared.lifecycle.config().scaled(Duration::from_secs(15));
    let shared = shared.arc();
    shared.clone().lifecycle.spawn(async move {
        tokio::time::sleep(delay).await;
        let done = {
            let mut ledger = shared.lifecycle.ledger();
            let Some(refund) = ledger
                .refunds
                .iter_mut()
                .find(|r| r.out_refund_no == out_refund_no)
            else {
                return;
            };
            refund.status = RefundStatus::Success;
            refund.success_time = Some(now());
            refund.clone()
        };
        if let Some(url) = &done.notify_url {
            let resource = serde_json::to_value(done.notification()).unwrap_or(Value::Null);
            crate::delivery::deliver(
                &shared,
                url,
                "REFUND.SUCCESS",
                resource,
                done.out_refund_no.clone(),
            );
        }
    });
}

fn query_refund(shared: &Shared, out_refund_no: &str) -> Answer {
    let ledger = shared.lifecycle.ledger();
    match ledger
        .refunds
        .iter()
        .find(|r| r.out_refund_no == out_refund_no)
    {
        Some(refund) => Answer::json(refund.to_json()),
        None => Answer::error(404, "RESOURCE_NOT_EXISTS", "退款单不存在"),
    }
}

// ----- The payer -----

/// Why an order could not be paid: `(status, code, message)`, as the API would answer.
pub(crate) type PayError = (u16, &'static str, &'static str);

/// Pays the order (`merchant`: its `mchid` or `sub_mchid`, if several could match) and
/// sends `TRANSACTION.SUCCESS`; returns the transaction.
pub(crate) fn pay(
    shared: &Shared,
    out_trade_no: &str,
    merchant: Option<&str>,
) -> Result<Transaction, PayError> {
    let (transaction, url) = {
        let mut ledger = shared.lifecycle.ledger();
        let Some(order) = ledger.order_mut(merchant, out_trade_no) else {
            return Err((404, "ORDER_NOT_EXIST", "订单不存在"));
        };
        match order.state {
            TradeState::NotPay => {}
            TradeState::Closed => return Err((400, "ORDER_CLOSED", "订单已关闭")),
            _ => return Err((400, "ORDERPAID", "订单已支付")),
        }
        let paid = now();
        order.state = TradeState::Success;
        order.success_time = Some(paid);
        order.transaction_id = Some(transaction_id(paid));
        if order.payer_openid.is_none() {
            order.payer_openid = Some(format!("oSandbox{}", letters(20)));
        }
        (order.transaction(), order.notify_url.clone())
    };
    let resource = serde_json::to_value(&transaction).unwrap_or(Value::Null);
    crate::delivery::deliver(
        &shared.arc(),
        &url,
        "TRANSACTION.SUCCESS",
        resource,
        out_trade_no.to_string(),
    );
    Ok(transaction)
}

/// Every order as a query answers it, with the fields the page and
/// `GET /_sandbox/orders` add: `kind`, `prepay_id`, `code_url`/`h5_url`, `notify_url`,
/// `description`, `refunded`.
pub(crate) fn orders_json(shared: &Shared) -> Vec<Value> {
    let ledger = shared.lifecycle.ledger();
    ledger
        .orders
        .iter()
        .map(|o| {
            let mut v = serde_json::to_value(o.transaction()).unwrap_or(Value::Null);
            v["sandbox"] = json!({
                "kind": format!("{:?}", o.kind).to_ascii_lowercase(),
                "partner": o.partner,
                "prepay_id": o.prepay_id,
                "code_url": (o.kind == Kind::Native).then(|| o.pay_url.clone()).flatten(),
                "h5_url": (o.kind == Kind::H5).then(|| o.pay_url.clone()).flatten(),
                "notify_url": o.notify_url,
                "description": o.description,
                "refunded": o.refunded,
                "create_time": rfc3339_cst(o.created),
            });
            v
        })
        .collect()
}

/// Every refund as its query answers it, with `notify_url`.
pub(crate) fn refunds_json(shared: &Shared) -> Vec<Value> {
    let ledger = shared.lifecycle.ledger();
    ledger
        .refunds
        .iter()
        .map(|r| {
            let mut v = r.to_json();
            v["sandbox"] = json!({"notify_url": r.notify_url});
            v
        })
        .collect()
}

// ----- Ids -----

/// `20261129224001`: the China Standard Time digits of `unix`.
fn cst_digits(unix: i64) -> String {
    rfc3339_cst(unix)
        .chars()
        .take(19)
        .filter(char::is_ascii_digit)
        .collect()
}

/// `wx` + time + 20 random characters, the shape of WeChat Pay's prepay ids.
fn prepay_id(unix: i64) -> String {
    format!("wx{}{}", cst_digits(unix), hex(10))
}

/// 28 digits starting `4200`, the shape of WeChat Pay's transaction ids.
fn transaction_id(unix: i64) -> String {
    let date: String = cst_digits(unix).chars().take(8).collect();
    format!("420000{}{date}{}", random_digits(4), random_digits(10))
}

/// `bytes` random bytes as lower-case hex.
fn hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", random_bytes::<1>()[0]))
        .collect()
}

/// `n` (at most 32) random characters of `[0-9A-Za-z]`.
fn letters(n: usize) -> String {
    let mut s = wxpay_core::sign::nonce().unwrap_or_else(|_| "0".repeat(32));
    s.truncate(n);
    s
}
