//! The records of the payment simulation: orders and refunds, as plain data with their
//! JSON and notification forms. `state::Lifecycle` keeps the [`Ledger`] under its lock;
//! `payments` answers the routes that read and change it.

use serde_json::{Value, json};
use wxpay::api::notify::{
    Payer, RefundStatus, SceneInfo, TradeState, TradeType, Transaction, TransactionAmount,
};

use crate::time::rfc3339_cst;

/// How an order was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Jsapi,
    App,
    H5,
    Native,
}

impl Kind {
    /// The kind a create route's last segment names (`jsapi`, `app`, `h5`, `native`).
    pub(crate) fn from_segment(s: &str) -> Option<Kind> {
        Some(match s {
            "jsapi" => Kind::Jsapi,
            "app" => Kind::App,
            "h5" => Kind::H5,
            "native" => Kind::Native,
            _ => return None,
        })
    }

    fn trade_type(self) -> TradeType {
        match self {
            Kind::Jsapi => TradeType::Jsapi,
            Kind::App => TradeType::App,
            Kind::H5 => TradeType::Mweb,
            Kind::Native => TradeType::Native,
        }
    }
}

/// One order.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub(crate) kind: Kind,
    /// Made through `v3/pay/partner/…`.
    pub(crate) partner: bool,
    /// The create request's body, to tell a repeat from a reuse.
    pub(crate) request: Value,
    pub(crate) out_trade_no: String,
    /// `mchid`, or `sub_mchid` for a service provider's order.
    pub(crate) merchant: String,
    pub(crate) description: String,
    pub(crate) notify_url: String,
    pub(crate) total: i64,
    pub(crate) currency: String,
    pub(crate) state: TradeState,
    pub(crate) transaction_id: Option<String>,
    pub(crate) prepay_id: String,
    /// `code_url` (Native) or `h5_url` (H5).
    pub(crate) pay_url: Option<String>,
    pub(crate) created: i64,
    pub(crate) success_time: Option<i64>,
    pub(crate) payer_openid: Option<String>,
    /// Refunded or being refunded, fen.
    pub(crate) refunded: i64,
}

impl Order {
    /// The order as a query answers it (and as `TRANSACTION.SUCCESS` carries it).
    pub(crate) fn transaction(&self) -> Transaction {
        let text = |name: &str| {
            self.request
                .get(name)
                .and_then(Value::as_str)
                .map(String::from)
        };
        let paid = self.transaction_id.is_some();
        let (appid, mchid) = if self.partner {
            (String::new(), String::new())
        } else {
            (
                text("appid").unwrap_or_default(),
                text("mchid").unwrap_or_default(),
            )
        };
        let payer = self.payer_openid.clone().filter(|_| paid).map(|openid| {
            if self.partner {
                let sub = self.request["payer"]["sub_openid"].as_str().is_some();
                Payer {
                    openid: None,
                    sp_openid: (!sub).then(|| openid.clone()),
                    sub_openid: sub.then_some(openid),
                }
            } else {
                Payer {
                    openid: Some(openid),
                    sp_openid: None,
                    sub_openid: None,
                }
            }
        });
        Transaction {
            appid,
            mchid,
            sp_appid: self.partner.then(|| text("sp_appid")).flatten(),
            sp_mchid: self.partner.then(|| text("sp_mchid")).flatten(),
            sub_appid: self.partner.then(|| text("sub_appid")).flatten(),
            sub_mchid: self.partner.then(|| text("sub_mchid")).flatten(),
            out_trade_no: self.out_trade_no.clone(),
            transaction_id: self.transaction_id.clone(),
            trade_type: paid.then(|| self.kind.trade_type()),
            trade_state_desc: state_desc(&self.state).to_string(),
            trade_state: self.state.clone(),
            bank_type: paid.then(|| "OTHERS".to_string()),
            attach: text("attach"),
            success_time: self.success_time.map(rfc3339_cst),
            payer,
            amount: TransactionAmount {
                total: self.total,
                payer_total: paid.then_some(self.total),
                currency: Some(self.currency.clone()),
                payer_currency: Some(self.currency.clone()),
            },
            scene_info: self.request["scene_info"]["device_id"]
                .as_str()
                .map(|d| SceneInfo {
                    device_id: Some(d.to_string()),
                }),
            promotion_detail: None,
        }
    }
}

fn state_desc(state: &TradeState) -> &'static str {
    match state {
        TradeState::Success => "支付成功",
        TradeState::Refund => "转入退款",
        TradeState::NotPay => "订单未支付",
        TradeState::Closed => "订单已关闭",
        _ => "",
    }
}

/// One refund.
#[derive(Debug, Clone)]
pub(crate) struct Refund {
    /// The refund request's body, to tell a repeat from a reuse.
    pub(crate) request: Value,
    pub(crate) out_refund_no: String,
    pub(crate) refund_id: String,
    pub(crate) out_trade_no: String,
    pub(crate) transaction_id: String,
    pub(crate) merchant: String,
    pub(crate) partner: bool,
    /// The service provider of a partner order.
    pub(crate) sp_mchid: Option<String>,
    pub(crate) refund: i64,
    pub(crate) total: i64,
    pub(crate) currency: String,
    pub(crate) status: RefundStatus,
    pub(crate) created: i64,
    pub(crate) success_time: Option<i64>,
    pub(crate) notify_url: Option<String>,
}

impl Refund {
    /// The refund as `POST v3/refund/domestic/refunds` and its query answer it.
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "refund_id": self.refund_id,
            "out_refund_no": self.out_refund_no,
            "transaction_id": self.transaction_id,
            "out_trade_no": self.out_trade_no,
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "create_time": rfc3339_cst(self.created),
            "status": self.status.as_str(),
            "funds_account": self.request.get("funds_account").and_then(Value::as_str).unwrap_or("AVAILABLE"),
            "amount": {
                "total": self.total,
                "refund": self.refund,
                "from": [],
                "payer_total": self.total,
                "payer_refund": self.refund,
                "settlement_refund": self.refund,
                "settlement_total": self.total,
                "discount_refund": 0,
                "currency": self.currency,
                "refund_fee": 0,
            },
            "promotion_detail": [],
        });
        if let Some(t) = self.success_time {
            v["success_time"] = Value::String(rfc3339_cst(t));
        }
        v
    }

    /// The resource of its `REFUND.*` notification.
    pub(crate) fn notification(&self) -> wxpay::api::notify::Refund {
        wxpay::api::notify::Refund {
            mchid: if self.partner {
                String::new()
            } else {
                self.merchant.clone()
            },
            sp_mchid: self.sp_mchid.clone(),
            sub_mchid: self.partner.then(|| self.merchant.clone()),
            out_trade_no: self.out_trade_no.clone(),
            transaction_id: self.transaction_id.clone(),
            out_refund_no: self.out_refund_no.clone(),
            refund_id: self.refund_id.clone(),
            refund_status: self.status.clone(),
            success_time: self.success_time.map(rfc3339_cst),
            user_received_account: "支付用户零钱".into(),
            amount: wxpay::api::notify::RefundAmount {
                total: self.total,
                refund: self.refund,
                payer_total: self.total,
                payer_refund: self.refund,
            },
        }
    }
}

/// Every order and refund, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    pub(crate) orders: Vec<Order>,
    pub(crate) refunds: Vec<Refund>,
}

impl Ledger {
    /// The order `out_trade_no` (of `merchant`, when given).
    pub(crate) fn order_mut(
        &mut self,
        merchant: Option<&str>,
        out_trade_no: &str,
    ) -> Option<&mut Order> {
        self.orders
            .iter_mut()
            .find(|o| o.out_trade_no == out_trade_no && merchant.is_none_or(|m| m == o.merchant))
    }

    /// The order paid as `transaction_id`.
    pub(crate) fn order_by_transaction(&mut self, transaction_id: &str) -> Option<&mut Order> {
        self.orders
            .iter_mut()
            .find(|o| o.transaction_id.as_deref() == Some(transaction_id))
    }
}
