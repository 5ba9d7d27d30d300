//! `wxpay::api`: the ready-made endpoints, built with `from_json` and sent to the sandbox.
#![cfg(all(feature = "client", feature = "api-pay", feature = "api-refund"))]

use serde_json::json;
use wxpay::api::pay::{
    GetPayTransactionsOutTradeNoOutTradeNo, PostPayTransactionsJsapi,
    PostPayTransactionsOutTradeNoOutTradeNoClose,
};
use wxpay::api::refund::{GetRefundDomesticRefundsOutRefundNo, PostRefundDomesticRefunds};
use wxpay_sandbox::Sandbox;

fn jsapi(sandbox: &Sandbox, out_trade_no: &str) -> PostPayTransactionsJsapi {
    PostPayTransactionsJsapi::from_json(json!({
        "appid": "wxd678efh567hg6787",
        "mchid": sandbox.mchid(),
        "description": "Image形象店-深圳腾大-QQ公仔",
        "out_trade_no": out_trade_no,
        "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
        "amount": {"total": 100, "currency": "CNY"},
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
    }))
    .unwrap()
}

#[test]
fn the_catalog_lists_every_endpoint_with_its_type_and_feature() {
    assert_eq!(wxpay::api::CATALOG.len(), 1017);
    let e = wxpay::api::find("post", "/v3/pay/transactions/jsapi").unwrap();
    assert_eq!(
        (e.method, e.path, e.title, e.type_name, e.feature),
        (
            "POST",
            "v3/pay/transactions/jsapi",
            "JSAPI下单",
            "wxpay::api::pay::PostPayTransactionsJsapi",
            "api-pay"
        )
    );
    let q = wxpay::api::find("GET", "v3/refund/domestic/refunds/R-1").unwrap();
    assert_eq!(q.path, "v3/refund/domestic/refunds/{out_refund_no}");
    assert_eq!(
        q.type_name,
        "wxpay::api::refund::GetRefundDomesticRefundsOutRefundNo"
    );
    let refunds: Vec<_> = wxpay::api::search("退款").collect();
    assert!(
        refunds
            .iter()
            .any(|e| e.path == "v3/refund/domestic/refunds")
    );
    assert!(
        refunds
            .iter()
            .all(|e| e.title.contains("退款") || e.path.contains("退款"))
    );
    let c = wxpay::api::find("POST", "v3/credit-repayment/partner/contracts/app-presign");
    assert_eq!(c.unwrap().feature, "api-credit-repayment");
}

#[test]
fn from_json_names_the_key_it_refuses() {
    let base = json!({
        "appid": "wx1", "mchid": "1900000001", "description": "d", "out_trade_no": "T1",
        "notify_url": "https://example.com/n", "amount": {"total": 1}, "payer": {"openid": "o"},
    });
    let err = |patch: &dyn Fn(&mut serde_json::Value)| {
        let mut v = base.clone();
        patch(&mut v);
        PostPayTransactionsJsapi::from_json(v)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(&|v| {
            v["amount"].as_object_mut().unwrap().remove("total");
        }),
        "encoding the request: missing required key `amount.total`"
    );
    assert_eq!(
        err(&|v| v["amount"]["colour"] = json!("red")),
        "encoding the request: unknown key `amount.colour`"
    );
    assert_eq!(
        err(&|v| v["amount"]["total"] = json!("1")),
        "encoding the request: `amount.total` must be an integer"
    );
    assert_eq!(
        err(&|v| v["detail"] = json!({"goods_detail": [{"merchant_goods_id": 5}]})),
        "encoding the request: `detail.goods_detail[0].merchant_goods_id` must be a string"
    );
    let ok = PostPayTransactionsJsapi::from_json(base).unwrap();
    assert_eq!((ok.amount.total, ok.amount.currency), (1, None));
}

#[tokio::test]
async fn pay_query_close_refund_through_the_sandbox() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();

    let answer = client.send(&jsapi(&sandbox, "ORDER-1")).await.unwrap();
    let prepay_id = answer.prepay_id.expect("prepay_id");
    assert!(prepay_id.starts_with("wx"), "{prepay_id}");
    let got = sandbox.last_received().unwrap();
    assert_eq!(got.json["amount"], json!({"total": 100, "currency": "CNY"}));

    let query = GetPayTransactionsOutTradeNoOutTradeNo::from_json(json!({
        "out_trade_no": "ORDER-1", "mchid": sandbox.mchid(),
    }))
    .unwrap();
    let t = client.send(&query).await.unwrap();
    assert_eq!(t.trade_state.as_deref(), Some("NOTPAY"));
    assert_eq!(
        sandbox.last_received().unwrap().query,
        format!("mchid={}", sandbox.mchid())
    );

    sandbox.pay("ORDER-1").unwrap();
    let t = client.send(&query).await.unwrap();
    assert_eq!(t.trade_state.as_deref(), Some("SUCCESS"));

    let refund = PostRefundDomesticRefunds::from_json(json!({
        "out_trade_no": "ORDER-1", "out_refund_no": "REFUND-1",
        "amount": {"refund": 40, "total": 100, "currency": "CNY"},
    }))
    .unwrap();
    let r = client.send(&refund).await.unwrap();
    assert_eq!(r.out_refund_no.as_deref(), Some("REFUND-1"));
    let q = GetRefundDomesticRefundsOutRefundNo::from_json(json!({"out_refund_no": "REFUND-1"}))
        .unwrap();
    let r = client.send(&q).await.unwrap();
    assert_eq!(r.amount.and_then(|a| a.refund), Some(40));

    client.send(&jsapi(&sandbox, "ORDER-2")).await.unwrap();
    let close = PostPayTransactionsOutTradeNoOutTradeNoClose::builder()
        .out_trade_no("ORDER-2")
        .mchid(sandbox.mchid())
        .build();
    client.send(&close).await.unwrap();
    let t = client
        .send(
            &GetPayTransactionsOutTradeNoOutTradeNo::builder()
                .out_trade_no("ORDER-2")
                .mchid(sandbox.mchid())
                .build(),
        )
        .await
        .unwrap();
    assert_eq!(t.trade_state.as_deref(), Some("CLOSED"));
}

#[tokio::test]
async fn an_answer_with_missing_and_unknown_fields_still_parses() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.respond(
        "GET",
        "v3/pay/transactions/out-trade-no/{out_trade_no}",
        json!({"out_trade_no": "X-1", "a_field_added_later": {"x": 1}}),
    );
    let t = sandbox
        .client()
        .send(
            &GetPayTransactionsOutTradeNoOutTradeNo::builder()
                .out_trade_no("X-1")
                .mchid("1900000001")
                .build(),
        )
        .await
        .unwrap();
    assert_eq!(t.out_trade_no.as_deref(), Some("X-1"));
    assert_eq!(t.appid, None);
    assert!(t.amount.is_none());
}

#[test]
fn enums_keep_values_the_docs_do_not_list() {
    use wxpay::api::pay::post_pay_instal_exposure::UserIdType;
    let documented: UserIdType = serde_json::from_value(json!("OPENID")).unwrap();
    assert_eq!(documented, UserIdType::Openid);
    let new: UserIdType = serde_json::from_value(json!("UNIONID_V2")).unwrap();
    assert_eq!(new, UserIdType::Other("UNIONID_V2".into()));
    assert_eq!(new.to_string(), "UNIONID_V2");
    assert_eq!(serde_json::to_value(&new).unwrap(), json!("UNIONID_V2"));
}

#[cfg(feature = "api-fund-app")]
#[tokio::test]
async fn a_documented_encrypted_field_leaves_only_as_ciphertext() {
    use wxpay::api::fund_app::PostFundAppMchTransferTransferBills;
    let sandbox = Sandbox::start().await.unwrap();
    let bill = PostFundAppMchTransferTransferBills::from_json(json!({
        "appid": "wxf636efh567hg4356", "out_bill_no": "B-1", "openid": "o-1",
        "user_name": "张三", "transfer_amount": 400, "transfer_remark": "2020年4月报销",
        "transfer_scene_id": "1000",
        "transfer_scene_report_infos": [{"info_type": "活动名称", "info_content": "新会员有礼"}],
    }))
    .unwrap();
    sandbox.client().send(&bill).await.unwrap();
    let got = sandbox.last_received().unwrap();
    assert_eq!(got.json["user_name"], json!("张三"));
    let raw = String::from_utf8(got.body).unwrap();
    assert!(!raw.contains("张三"), "{raw}");
    assert_eq!(
        got.headers["Wechatpay-Serial"],
        sandbox.wechatpay_public_key_id()
    );
}
