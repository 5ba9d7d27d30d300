//! The everyday calls with `wxpay::api`, against the embedded sandbox: JSAPI, APP, H5 and Native
//! prepay, query, close, refund, refund query, a transfer and a profit sharing. No endpoint is
//! declared here: every type comes from the catalog.
//!
//! ```text
//! cargo run --example ready_made --features api-pay,api-refund,api-fund-app,api-profitsharing
//! ```
//!
//! The sandbox plays the payment lifecycle itself (orders, payment, close, refunds); the
//! transfer and the profit sharing get a scripted answer, as their flows are not simulated.
//! Exits 0 only if every step's answer holds what it should.
//!
//! The regions between `ANCHOR: name` and `ANCHOR_END: name` are the README's code
//! ("Ready-made endpoints", in README.md and README.zh-CN.md): `tests/readme_snippets.rs` fails
//! when a README block differs from its region.

#[path = "common/check.rs"]
mod check;

use std::time::Duration;

use serde_json::json;
use wxpay_sandbox::Sandbox;

use check::{Failure, check};

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let sandbox = Sandbox::start().await?;
    let client = sandbox.client();
    let mchid = sandbox.mchid().to_string();

    println!("JSAPI prepay");
    // ANCHOR: jsapi
    use wxpay::api::pay::{PostPayTransactionsJsapi, post_pay_transactions_jsapi as jsapi};

    let order = PostPayTransactionsJsapi::builder()
        .appid("wxd678efh567hg6787")
        .mchid(&mchid)
        .description("Image形象店-深圳腾大-QQ公仔")
        .out_trade_no("1217752501201407033233368018")
        .notify_url("https://www.weixin.qq.com/wxpay/pay.php")
        .amount(jsapi::Amount::builder().total(100).currency("CNY").build())
        .payer(
            jsapi::Payer::builder()
                .openid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
                .build(),
        )
        .build();
    let prepay_id = client.send(&order).await?.prepay_id.ok_or("no prepay_id")?;
    // what the mini-program passes to wx.requestPayment
    let params = client.jsapi_pay_params("wxd678efh567hg6787", &prepay_id)?;
    // ANCHOR_END: jsapi
    check(
        prepay_id.starts_with("wx"),
        &format!("prepay_id {prepay_id}"),
    )?;
    check(
        params.package == format!("prepay_id={prepay_id}") && !params.pay_sign.is_empty(),
        &format!(
            "wx.requestPayment: package {}, paySign signed",
            params.package
        ),
    )?;

    println!("APP, H5 and Native prepay");
    // ANCHOR: app_h5_native
    use wxpay::api::pay::{
        PostPayTransactionsApp, PostPayTransactionsH5, PostPayTransactionsNative,
    };
    use wxpay::api::pay::{post_pay_transactions_app as app, post_pay_transactions_h5 as h5};

    let app_order = PostPayTransactionsApp::builder()
        .appid("wxd678efh567hg6787")
        .mchid(&mchid)
        .description("Image形象店-深圳腾大-QQ公仔")
        .out_trade_no("APP-20261130-0001")
        .notify_url("https://www.weixin.qq.com/wxpay/pay.php")
        .amount(app::Amount::builder().total(100).build())
        .build();
    let prepay_id = client
        .send(&app_order)
        .await?
        .prepay_id
        .ok_or("no prepay_id")?;
    let pay_req = client.app_pay_params("wxd678efh567hg6787", &prepay_id)?; // the app's PayReq

    let h5_order = PostPayTransactionsH5::builder()
        .appid("wxd678efh567hg6787")
        .mchid(&mchid)
        .description("Image形象店-深圳腾大-QQ公仔")
        .out_trade_no("H5-20261130-0001")
        .notify_url("https://www.weixin.qq.com/wxpay/pay.php")
        .amount(h5::Amount::builder().total(100).build())
        .scene_info(
            h5::SceneInfo::builder()
                .payer_client_ip("14.23.150.211")
                .h5_info(h5::H5Info::builder().r#type("Wap").build())
                .build(),
        )
        .build();
    let h5_url = client.send(&h5_order).await?.h5_url.ok_or("no h5_url")?;

    // The documented JSON works too: from_json names the key it refuses.
    let native_order = PostPayTransactionsNative::from_json(serde_json::json!({
        "appid": "wxd678efh567hg6787", "mchid": mchid,
        "description": "Image形象店-深圳腾大-QQ公仔", "out_trade_no": "NATIVE-20261130-0001",
        "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
        "amount": {"total": 100, "currency": "CNY"},
    }))?;
    let code_url = client
        .send(&native_order)
        .await?
        .code_url
        .ok_or("no code_url")?;
    // ANCHOR_END: app_h5_native
    check(
        prepay_id.starts_with("wx") && pay_req.prepayid == prepay_id,
        &format!("APP: prepay_id {prepay_id}, PayReq signed"),
    )?;
    check(h5_url.starts_with("http"), &format!("H5: h5_url {h5_url}"))?;
    check(
        code_url.starts_with("weixin://"),
        &format!("Native: code_url {code_url}"),
    )?;

    println!("query and close");
    // ANCHOR: query_close
    use wxpay::api::pay::{
        GetPayTransactionsOutTradeNoOutTradeNo, PostPayTransactionsOutTradeNoOutTradeNoClose,
    };

    let query = GetPayTransactionsOutTradeNoOutTradeNo::builder()
        .out_trade_no("NATIVE-20261130-0001")
        .mchid(&mchid)
        .build();
    let before = client.send(&query).await?.trade_state; // Some("NOTPAY")

    let close = PostPayTransactionsOutTradeNoOutTradeNoClose::builder()
        .out_trade_no("NATIVE-20261130-0001")
        .mchid(&mchid)
        .build();
    client.send(&close).await?; // 204, no answer body
    let after = client.send(&query).await?.trade_state; // Some("CLOSED")
    // ANCHOR_END: query_close
    check(
        before.as_deref() == Some("NOTPAY") && after.as_deref() == Some("CLOSED"),
        &format!(
            "Native order: {}, closed, then {}",
            before.as_deref().unwrap_or("-"),
            after.as_deref().unwrap_or("-")
        ),
    )?;

    // The payer pays the JSAPI order (the sandbox plays the payer), which is then queried by
    // WeChat Pay's id, the one a refund or a profit sharing names.
    let transaction_id = sandbox
        .pay("1217752501201407033233368018")?
        .transaction_id
        .ok_or("no transaction_id")?;
    // ANCHOR: query_by_id
    use wxpay::api::pay::GetPayTransactionsIdTransactionId;

    let by_id = GetPayTransactionsIdTransactionId::builder()
        .transaction_id(&transaction_id)
        .mchid(&mchid)
        .build();
    let transaction = client.send(&by_id).await?;
    // ANCHOR_END: query_by_id
    check(
        transaction.trade_state.as_deref() == Some("SUCCESS")
            && transaction.amount.as_ref().and_then(|a| a.total) == Some(100),
        &format!("JSAPI order paid: {} SUCCESS, 100 fen", transaction_id),
    )?;

    println!("refund and refund query");
    // ANCHOR: refund
    use wxpay::api::refund::{
        GetRefundDomesticRefundsOutRefundNo, PostRefundDomesticRefunds,
        post_refund_domestic_refunds as refunds,
    };

    let refund = PostRefundDomesticRefunds::builder()
        .out_trade_no("1217752501201407033233368018")
        .out_refund_no("REFUND-20261130-0001")
        .reason("商品已售完")
        .amount(
            refunds::Amount::builder()
                .refund(40)
                .total(100)
                .currency("CNY")
                .build(),
        )
        .build();
    let created = client.send(&refund).await?.status; // Some("PROCESSING")

    let refund_query = GetRefundDomesticRefundsOutRefundNo::builder()
        .out_refund_no("REFUND-20261130-0001")
        .build();
    let refunded = client.send(&refund_query).await?; // status PROCESSING, then SUCCESS
    // ANCHOR_END: refund
    check(
        created.as_deref() == Some("PROCESSING"),
        "refund of 40 fen: PROCESSING",
    )?;
    check(
        refunded.amount.and_then(|a| a.refund) == Some(40),
        "refund query: 40 fen",
    )?;
    // The sandbox completes a refund after WeChat Pay's 15 s, compressed to 0.15 s.
    let mut status = refunded.status;
    for _ in 0..50 {
        if status.as_deref() == Some("SUCCESS") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = client.send(&refund_query).await?.status;
    }
    check(
        status.as_deref() == Some("SUCCESS"),
        "refund query: SUCCESS",
    )?;

    println!("transfer (商家转账)");
    sandbox.respond(
        "POST",
        "v3/fund-app/mch-transfer/transfer-bills",
        json!({
            "out_bill_no": "plfk2020042013", "transfer_bill_no": "1330000071100999991182020050700019480001",
            "create_time": "2026-11-30T10:00:00+08:00", "state": "ACCEPTED",
        }),
    );
    // ANCHOR: transfer
    use wxpay::api::fund_app::{
        PostFundAppMchTransferTransferBills, post_fund_app_mch_transfer_transfer_bills as bills,
    };

    let transfer = PostFundAppMchTransferTransferBills::builder()
        .appid("wxf636efh567hg4356")
        .out_bill_no("plfk2020042013")
        .openid("o-MYE42l80oelYMDE34nYD456Xoy")
        .user_name("张三") // documented as encrypted: sent as RSA-OAEP ciphertext
        .transfer_amount(400)
        .transfer_remark("2020年4月报销")
        .transfer_scene_id(bills::TransferSceneId::V1000) // 现金营销
        .transfer_scene_report_infos(vec![
            bills::TransferSceneReportInfos::builder()
                .info_type("活动名称")
                .info_content("新会员有礼")
                .build(),
            bills::TransferSceneReportInfos::builder()
                .info_type("奖励说明")
                .info_content("注册会员抽奖一等奖")
                .build(),
        ])
        .build();
    let bill = client.send(&transfer).await?; // state ACCEPTED, transfer_bill_no
    // ANCHOR_END: transfer
    let sent = sandbox.last_received().ok_or("nothing received")?;
    check(
        bill.state == Some(bills::State::Accepted) && bill.transfer_bill_no.is_some(),
        "transfer accepted",
    )?;
    check(
        sent.json["user_name"] == "张三" && !String::from_utf8_lossy(&sent.body).contains("张三"),
        "user_name left only as ciphertext (the sandbox decrypted it)",
    )?;

    println!("profit sharing (分账)");
    sandbox.respond(
        "POST",
        "v3/profitsharing/orders",
        json!({
            "transaction_id": transaction_id, "out_order_no": "P20261130125346",
            "order_id": "3008450740201411110007820472", "state": "PROCESSING",
            "receivers": [{"type": "MERCHANT_ID", "account": "86693852", "amount": 10,
                "description": "分给商户A", "result": "PENDING",
                "detail_id": "36011111111111111111111", "create_time": "2026-11-30T10:00:00+08:00"}],
        }),
    );
    // ANCHOR: profit_sharing
    use wxpay::api::profitsharing::{
        PostProfitsharingOrders, post_profitsharing_orders as sharing,
    };

    let order = PostProfitsharingOrders::builder()
        .appid("wxd678efh567hg6787")
        .transaction_id(&transaction_id)
        .out_order_no("P20261130125346")
        .receivers(vec![
            sharing::Receivers::builder()
                .r#type(sharing::Type::MerchantId)
                .account("86693852")
                .name("深圳腾大科技有限公司") // encrypted, like every documented sensitive field
                .amount(10)
                .description("分给商户A")
                .build(),
        ])
        .unfreeze_unsplit(true)
        .build();
    let shared = client.send(&order).await?; // state PROCESSING, one result per receiver
    // ANCHOR_END: profit_sharing
    let sent = sandbox.last_received().ok_or("nothing received")?;
    check(
        shared.state == Some(sharing::State::Processing)
            && shared.receivers.as_ref().map(Vec::len) == Some(1),
        "profit sharing: PROCESSING, one receiver",
    )?;
    check(
        sent.json["receivers"][0]["name"] == "深圳腾大科技有限公司"
            && !String::from_utf8_lossy(&sent.body).contains("深圳腾大科技有限公司")
            && sent.json["transaction_id"] == transaction_id.as_str(),
        "receiver name left only as ciphertext, on the paid order's transaction_id",
    )?;

    println!("Every step held.");
    Ok(())
}
