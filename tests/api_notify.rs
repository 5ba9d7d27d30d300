//! `wxpay::api::notify`: the documented resources read what WeChat Pay really sends, even
//! where the docs are wrong, and the enums keep values they do not know.
#![cfg(all(feature = "api-pay", feature = "api-refund"))]

use serde_json::json;
use wxpay::api::notify::{Refund, RefundStatus, TradeState, TradeType, Transaction};

#[test]
fn a_documented_payment_notification_reads_field_by_field() {
    let t: Transaction = serde_json::from_value(json!({
        "mchid": "1900000109",
        "appid": "wxd678efh567hg6787",
        "out_trade_no": "1217752501201407033233368018",
        "transaction_id": "1217752501201407033233368018",
        "trade_type": "JSAPI",
        "trade_state": "SUCCESS",
        "trade_state_desc": "支付成功",
        "bank_type": "CMC",
        "attach": "自定义数据",
        "success_time": "2018-06-08T10:34:56+08:00",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": 100, "payer_total": 100, "currency": "CNY", "payer_currency": "CNY"},
        "scene_info": {"device_id": "013467007045764"},
        "promotion_detail": [{
            "coupon_id": "109519", "name": "单品惠-6", "scope": "SINGLE", "type": "DISCOUNT",
            "amount": 1, "stock_id": "931386", "wechatpay_contribute": 0,
            "merchant_contribute": 1, "other_contribute": 0, "currency": "CNY",
            "goods_detail": [{"goods_id": "M1006", "quantity": 1, "unit_price": 100,
                              "discount_amount": 1, "goods_remark": "商品备注信息"}]
        }]
    }))
    .unwrap();
    assert_eq!(t.trade_state, TradeState::Success);
    assert_eq!(t.trade_type, Some(TradeType::Jsapi));
    assert_eq!(t.amount.total, 100);
    assert_eq!(t.amount.payer_total, Some(100));
    assert_eq!(
        t.payer.as_ref().unwrap().openid.as_deref(),
        Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    );
    assert_eq!(
        t.scene_info.as_ref().unwrap().device_id.as_deref(),
        Some("013467007045764")
    );
    let promotion = &t.promotion_detail.as_ref().unwrap()[0];
    assert_eq!(promotion.r#type.as_deref(), Some("DISCOUNT"));
    assert_eq!(
        promotion.goods_detail.as_ref().unwrap()[0].discount_amount,
        1
    );
    // Serialized back, the enums are their documented strings.
    let back = serde_json::to_value(&t).unwrap();
    assert_eq!(back["trade_state"], "SUCCESS");
    assert_eq!(back["trade_type"], "JSAPI");
    assert_eq!(back["promotion_detail"][0]["type"], "DISCOUNT");
}

#[test]
fn what_the_docs_do_not_say_is_no_error() {
    // An unknown field, an unknown enum value, documented fields missing.
    let t: Transaction = serde_json::from_value(json!({
        "out_trade_no": "T1",
        "trade_state": "PAYING_LATER",
        "trade_type": "NEW_WAY",
        "a_new_field": {"x": 1},
    }))
    .unwrap();
    assert_eq!(t.trade_state, TradeState::Other("PAYING_LATER".into()));
    assert_eq!(t.trade_state.to_string(), "PAYING_LATER");
    assert_eq!(t.trade_type, Some(TradeType::Other("NEW_WAY".into())));
    assert_eq!(t.appid, "");
    assert_eq!(t.amount.total, 0);
    assert_eq!(t.transaction_id, None);
    assert_eq!(
        serde_json::to_value(&t).unwrap()["trade_state"],
        "PAYING_LATER"
    );

    let r: Refund =
        serde_json::from_value(json!({"refund_status": "SUCCESS", "extra": true})).unwrap();
    assert_eq!(r.refund_status, RefundStatus::Success);
    assert_eq!(r.out_refund_no, "");
    assert_eq!(r.amount.refund, 0);
    assert_eq!(format!("{:?}", RefundStatus::Abnormal), "\"ABNORMAL\"");
}

#[test]
fn a_documented_refund_notification_reads_field_by_field() {
    let r: Refund = serde_json::from_value(json!({
        "mchid": "1900000100",
        "transaction_id": "1008450740201411110005820873",
        "out_trade_no": "20150806125346",
        "refund_id": "50200207182018070300011301001",
        "out_refund_no": "7752501201407033233368018",
        "refund_status": "SUCCESS",
        "success_time": "2018-06-08T10:34:56+08:00",
        "user_received_account": "招商银行信用卡0403",
        "amount": {"total": 999, "refund": 999, "payer_total": 999, "payer_refund": 999}
    }))
    .unwrap();
    assert_eq!(r.refund_status, RefundStatus::Success);
    assert_eq!(r.user_received_account, "招商银行信用卡0403");
    assert_eq!(
        (
            r.amount.total,
            r.amount.refund,
            r.amount.payer_total,
            r.amount.payer_refund
        ),
        (999, 999, 999, 999)
    );
    assert_eq!(r.success_time.as_deref(), Some("2018-06-08T10:34:56+08:00"));
    assert_eq!(r.sp_mchid, None);
}
