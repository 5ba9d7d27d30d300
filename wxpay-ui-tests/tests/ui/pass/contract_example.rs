//! The declaration of the contract, with the builder and a struct literal.
#![deny(warnings, missing_docs)]

use wxpay::prelude::*;

/// APP预签约自动还款协议
#[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/app-presign", response = AppPresignResponse)]
pub struct AppPresign {
    /// The app id.
    pub appid: String,
    /// The plan.
    pub plan_id: String,
    /// Merchant contract code.
    pub out_contract_code: String,
    /// Shown to the user.
    pub display_name: String,
    /// Where the contract notification goes.
    pub contract_notify_url: String,
    /// Day of the month.
    pub repayment_day: i64,
    /// Limit, in fen.
    pub repayment_amount_limit: String,
    /// Sub-merchant.
    pub sub_mchid: Option<String>,
    /// Sub-merchant app.
    pub sub_appid: Option<String>,
    /// Who signs.
    pub real_identity: RealIdentity,
    /// The first deduction.
    pub trade_info: Option<TradeInfo>,
}

/// Who signs.
#[wxpay_model]
pub struct RealIdentity {
    /// Kind of document.
    pub identity_type: String,
    /// Document number.
    #[encrypted]
    pub identity_id: String,
    /// Name.
    #[encrypted]
    pub real_name: String,
}

/// The first deduction.
#[wxpay_model]
pub struct TradeInfo {
    /// Order number.
    pub out_trade_no: String,
    /// Amount, in fen.
    pub deduct_amount: i64,
}

/// The answer.
#[wxpay_model]
pub struct AppPresignResponse {
    /// The token.
    pub presign_token: String,
    /// Where to go.
    pub redirect_service: Option<String>,
}

fn takes_endpoint<E: wxpay::Endpoint>(_: &E) {}

fn main() {
    let built = AppPresign::builder()
        .appid("wx")
        .plan_id("p")
        .out_contract_code("c")
        .display_name("d")
        .contract_notify_url("https://example.com/")
        .repayment_day(1)
        .repayment_amount_limit("100")
        .real_identity(
            RealIdentity::builder()
                .identity_type("ID_CARD")
                .identity_id("1")
                .real_name("n")
                .build(),
        )
        .build();
    let literal = AppPresign {
        appid: "wx".into(),
        plan_id: "p".into(),
        out_contract_code: "c".into(),
        display_name: "d".into(),
        contract_notify_url: "https://example.com/".into(),
        repayment_day: 1,
        repayment_amount_limit: "100".into(),
        sub_mchid: None,
        sub_appid: None,
        real_identity: RealIdentity {
            identity_type: "ID_CARD".into(),
            identity_id: "1".into(),
            real_name: "n".into(),
        },
        trade_info: Some(TradeInfo {
            out_trade_no: "o".into(),
            deduct_amount: 1,
        }),
    };
    takes_endpoint(&built);
    takes_endpoint(&literal);
    assert_eq!(format!("{built:?}").matches("\"***\"").count(), 2);
}
