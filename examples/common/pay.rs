//! The payment and refund endpoints of the everyday flow, declared with the documented fields
//! it uses. Shared by the `checkout` example and the sandbox's tests (`#[path]`-included).
#![allow(dead_code)]

use wxpay::api::notify::{RefundStatus, Transaction};
use wxpay::prelude::*;

/// JSAPI下单: an order paid inside WeChat (official account or mini program).
#[wxpay_endpoint(POST, "v3/pay/transactions/jsapi", response = PrepayResponse)]
pub struct JsapiOrder {
    pub appid: String,
    pub mchid: String,
    pub description: String,
    pub out_trade_no: String,
    pub attach: Option<String>,
    pub notify_url: String,
    pub amount: OrderAmount,
    pub payer: OrderPayer,
}

/// Native下单: an order paid by scanning a QR code.
#[wxpay_endpoint(POST, "v3/pay/transactions/native", response = NativeResponse)]
pub struct NativeOrder {
    pub appid: String,
    pub mchid: String,
    pub description: String,
    pub out_trade_no: String,
    pub notify_url: String,
    pub amount: OrderAmount,
}

#[wxpay_model]
pub struct OrderAmount {
    /// Fen.
    pub total: i64,
    pub currency: Option<String>,
}

#[wxpay_model]
pub struct OrderPayer {
    pub openid: String,
}

#[wxpay_model]
pub struct PrepayResponse {
    pub prepay_id: String,
}

#[wxpay_model]
pub struct NativeResponse {
    pub code_url: String,
}

/// 商户订单号查询订单.
#[wxpay_endpoint(GET, "v3/pay/transactions/out-trade-no/{out_trade_no}", response = Transaction)]
pub struct QueryByOutTradeNo {
    pub out_trade_no: String,
    pub mchid: String,
}

/// 微信支付订单号查询订单.
#[wxpay_endpoint(GET, "v3/pay/transactions/id/{transaction_id}", response = Transaction)]
pub struct QueryByTransactionId {
    pub transaction_id: String,
    pub mchid: String,
}

/// 关闭订单 (204).
#[wxpay_endpoint(POST, "v3/pay/transactions/out-trade-no/{out_trade_no}/close")]
pub struct CloseOrder {
    pub out_trade_no: String,
    pub mchid: String,
}

/// 退款申请.
#[wxpay_endpoint(POST, "v3/refund/domestic/refunds", response = RefundResponse)]
pub struct CreateRefund {
    pub transaction_id: Option<String>,
    pub out_trade_no: Option<String>,
    pub out_refund_no: String,
    pub reason: Option<String>,
    pub notify_url: Option<String>,
    pub amount: RefundRequestAmount,
}

#[wxpay_model]
pub struct RefundRequestAmount {
    pub refund: i64,
    pub total: i64,
    pub currency: String,
}

/// 查询单笔退款（通过商户退款单号）.
#[wxpay_endpoint(GET, "v3/refund/domestic/refunds/{out_refund_no}", response = RefundResponse)]
pub struct QueryRefund {
    pub out_refund_no: String,
}

/// What a refund and its query answer (the fields the flow reads).
#[wxpay_model]
pub struct RefundResponse {
    pub refund_id: String,
    pub out_refund_no: String,
    pub transaction_id: String,
    pub out_trade_no: String,
    pub channel: Option<String>,
    pub user_received_account: Option<String>,
    pub create_time: String,
    pub success_time: Option<String>,
    pub status: RefundStatus,
    pub amount: RefundResponseAmount,
}

#[wxpay_model]
pub struct RefundResponseAmount {
    pub total: i64,
    pub refund: i64,
    pub payer_total: Option<i64>,
    pub payer_refund: Option<i64>,
    pub currency: Option<String>,
}

/// A JSAPI order of `total` fen.
pub fn jsapi_order(mchid: &str, out_trade_no: &str, total: i64, notify_url: &str) -> JsapiOrder {
    JsapiOrder::builder()
        .appid("wxd678efh567hg6787")
        .mchid(mchid)
        .description("Image形象店-深圳腾大-QQ公仔")
        .out_trade_no(out_trade_no)
        .notify_url(notify_url)
        .amount(OrderAmount::builder().total(total).currency("CNY").build())
        .payer(
            OrderPayer::builder()
                .openid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
                .build(),
        )
        .build()
}

/// A refund of `refund` fen of the order `out_trade_no` of `total` fen.
pub fn refund(
    out_trade_no: &str,
    out_refund_no: &str,
    refund: i64,
    total: i64,
    notify_url: &str,
) -> CreateRefund {
    CreateRefund::builder()
        .out_trade_no(out_trade_no)
        .out_refund_no(out_refund_no)
        .reason("商品已售完")
        .notify_url(notify_url)
        .amount(
            RefundRequestAmount::builder()
                .refund(refund)
                .total(total)
                .currency("CNY")
                .build(),
        )
        .build()
}
