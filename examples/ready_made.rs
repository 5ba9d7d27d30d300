//! The everyday calls with `wxpay::api`, against the local sandbox: JSAPI, APP, H5 and Native
//! prepay, query, close, refund, refund query, a transfer and a profit sharing. No endpoint is
//! declared here: every type comes from the catalog. Exits 0 only if every step held.
//!
//! `cargo run --example ready_made --features api-pay,api-refund,api-fund-app,api-profitsharing`

use serde_json::json;
use wxpay::api::fund_app::PostFundAppMchTransferTransferBills;
use wxpay::api::pay::{
    GetPayTransactionsOutTradeNoOutTradeNo, PostPayTransactionsApp, PostPayTransactionsH5,
    PostPayTransactionsJsapi, PostPayTransactionsNative,
    PostPayTransactionsOutTradeNoOutTradeNoClose, post_pay_transactions_jsapi,
};
use wxpay::api::profitsharing::PostProfitsharingOrders;
use wxpay::api::refund::{GetRefundDomesticRefundsOutRefundNo, PostRefundDomesticRefunds};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = wxpay_sandbox::Sandbox::start().await?;
    let client = sandbox.client();
    let mchid = sandbox.mchid().to_string();
    let order = |out_trade_no: &str| {
        json!({
            "appid": "wxd678efh567hg6787", "mchid": mchid, "description": "Image形象店-深圳腾大-QQ公仔",
            "out_trade_no": out_trade_no, "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
            "amount": {"total": 100, "currency": "CNY"},
        })
    };

    // JSAPI / mini-program prepay, with the typed builder.
    let jsapi = PostPayTransactionsJsapi::builder()
        .appid("wxd678efh567hg6787")
        .mchid(&mchid)
        .description("Image形象店-深圳腾大-QQ公仔")
        .out_trade_no("1217752501201407033233368018")
        .notify_url("https://www.weixin.qq.com/wxpay/pay.php")
        .amount(
            post_pay_transactions_jsapi::Amount::builder()
                .total(100)
                .currency("CNY")
                .build(),
        )
        .payer(
            post_pay_transactions_jsapi::Payer::builder()
                .openid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
                .build(),
        )
        .build();
    let prepay_id = client.send(&jsapi).await?.prepay_id.ok_or("no prepay_id")?;
    let params = client.jsapi_pay_params("wxd678efh567hg6787", &prepay_id)?;
    println!("JSAPI: prepay_id {prepay_id}, package {}", params.package);

    // APP, H5 and Native prepay, from the documented JSON.
    let app = client
        .send(&PostPayTransactionsApp::from_json(order("APP-1"))?)
        .await?;
    println!("APP: prepay_id {}", app.prepay_id.ok_or("no prepay_id")?);
    let mut h5 = order("H5-1");
    h5["scene_info"] = json!({"payer_client_ip": "14.23.150.211", "h5_info": {"type": "Wap"}});
    let h5 = client.send(&PostPayTransactionsH5::from_json(h5)?).await?;
    println!("H5: h5_url {}", h5.h5_url.ok_or("no h5_url")?);
    let native = client
        .send(&PostPayTransactionsNative::from_json(order("NATIVE-1"))?)
        .await?;
    println!("Native: code_url {}", native.code_url.ok_or("no code_url")?);

    // Query, then close, an order.
    let query = GetPayTransactionsOutTradeNoOutTradeNo::builder()
        .out_trade_no("NATIVE-1")
        .mchid(&mchid)
        .build();
    let state = client.send(&query).await?.trade_state;
    assert_eq!(state.as_deref(), Some("NOTPAY"));
    client
        .send(
            &PostPayTransactionsOutTradeNoOutTradeNoClose::builder()
                .out_trade_no("NATIVE-1")
                .mchid(&mchid)
                .build(),
        )
        .await?;
    assert_eq!(
        client.send(&query).await?.trade_state.as_deref(),
        Some("CLOSED")
    );
    println!("query and close: NOTPAY, then CLOSED");

    // Refund part of a paid order, then query the refund.
    sandbox.pay("APP-1")?;
    let refund = PostRefundDomesticRefunds::from_json(json!({
        "out_trade_no": "APP-1", "out_refund_no": "REFUND-1",
        "amount": {"refund": 40, "total": 100, "currency": "CNY"},
    }))?;
    let status = client.send(&refund).await?.status;
    let refunded = client
        .send(
            &GetRefundDomesticRefundsOutRefundNo::builder()
                .out_refund_no("REFUND-1")
                .build(),
        )
        .await?;
    assert_eq!(refunded.amount.and_then(|a| a.refund), Some(40));
    println!("refund: {status:?}, 40 fen refunded");

    // A transfer to a user: `user_name` is encrypted on the way out, with no flag.
    let transfer = PostFundAppMchTransferTransferBills::from_json(json!({
        "appid": "wxf636efh567hg4356", "out_bill_no": "plfk2020042013", "openid": "o-MYE42l80oelYMDE34nYD456Xoy",
        "user_name": "张三", "transfer_amount": 400, "transfer_remark": "2020年4月报销",
        "transfer_scene_id": "1000",
        "transfer_scene_report_infos": [{"info_type": "活动名称", "info_content": "新会员有礼"}],
    }))?;
    client.send(&transfer).await?;
    let sent = sandbox.last_received().ok_or("nothing received")?;
    assert_eq!(sent.json["user_name"], "张三");
    assert!(!String::from_utf8_lossy(&sent.body).contains("张三"));
    println!("transfer: user_name sent encrypted");

    // Profit sharing on the paid order.
    let sharing = PostProfitsharingOrders::from_json(json!({
        "appid": "wx8888888888888888", "transaction_id": "4208450740201411110007820472",
        "out_order_no": "P20150806125346", "unfreeze_unsplit": true,
        "receivers": [{"type": "MERCHANT_ID", "account": "86693852", "amount": 10, "description": "分给商户A"}],
    }))?;
    client.send(&sharing).await?;
    println!("profit sharing: sent");
    Ok(())
}
