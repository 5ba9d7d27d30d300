//! Every method, path placeholders, `#[query]`, `#[body]`, `#[header]`, response kinds and
//! `base_url`.
#![deny(warnings)]

use wxpay::prelude::*;
use wxpay::{Endpoint, Method, ResponseKind};

#[wxpay_endpoint(GET, "v3/pay/transactions/out-trade-no/{out_trade_no}", response = Transaction)]
pub struct ByOutTradeNo {
    pub out_trade_no: String,
    pub mchid: String,
}

#[wxpay_model]
pub struct Transaction {
    pub trade_state: String,
}

#[wxpay_endpoint(POST, "v3/pay/transactions/out-trade-no/{out_trade_no}/close")]
pub struct Close {
    pub out_trade_no: String,
    pub mchid: String,
    #[query]
    pub sub_mchid: Option<String>,
    #[header("Idempotency-Key")]
    pub key: Option<String>,
}

#[wxpay_endpoint(PUT, "v3/things/{id}", response = ())]
pub struct Replace {
    pub id: u64,
    pub name: String,
}

#[wxpay_endpoint(PATCH, "v3/things/{id}/")]
pub struct Modify {
    pub id: u64,
}

#[wxpay_endpoint(DELETE, "v3/things/{id}")]
pub struct Remove {
    pub id: u64,
    pub reason_code: Option<u8>,
    #[body]
    pub reason: String,
}

#[wxpay_endpoint(GET, "v3/bill/tradebill", response = Download, base_url = "https://apihk.mch.weixin.qq.com/global/")]
pub struct TradeBill {
    pub bill_date: String,
}

fn main() {
    assert_eq!(ByOutTradeNo::METHOD, Method::Get);
    assert_eq!(ByOutTradeNo::RESPONSE_KIND, ResponseKind::Json);
    assert_eq!(Close::METHOD, Method::Post);
    assert_eq!(Close::RESPONSE_KIND, ResponseKind::Empty);
    assert_eq!(Replace::METHOD, Method::Put);
    assert_eq!(Replace::RESPONSE_KIND, ResponseKind::Empty);
    assert_eq!(Modify::METHOD, Method::Patch);
    assert_eq!(Modify::PATH, "v3/things/{id}/");
    assert_eq!(Remove::METHOD, Method::Delete);
    assert_eq!(TradeBill::RESPONSE_KIND, ResponseKind::Download);
    assert_eq!(
        TradeBill::BASE_URL,
        Some("https://apihk.mch.weixin.qq.com/global/")
    );
    let _: Option<<TradeBill as Endpoint>::Response> = None::<wxpay::Download>;
    let _ = Close::builder().out_trade_no("o").mchid("m").build();
    let _ = Remove::builder()
        .id(1u64)
        .reason("r")
        .maybe_reason_code(None)
        .build();
}
