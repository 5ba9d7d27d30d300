//! The three seed endpoints, declared with every documented field, and `v3/security/echo`.
//!
//! Shared by the examples and the end-to-end tests (`#[path]`-included).
#![allow(dead_code)]

use wxpay::prelude::*;

/// APP预签约自动还款协议: APP pre-signing of an automatic repayment contract.
#[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/app-presign", response = AppPresignResponse)]
pub struct AppPresign {
    pub appid: String,
    pub plan_id: String,
    pub out_contract_code: String,
    pub display_name: String,
    pub contract_notify_url: String,
    pub repayment_day: i64,
    pub repayment_amount_limit: String,
    pub sub_mchid: Option<String>,
    pub sub_appid: Option<String>,
    pub real_identity: RealIdentity,
    pub trade_info: Option<TradeInfo>,
}

/// H5预签约自动还款协议: H5 pre-signing of an automatic repayment contract.
#[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/h5-presign", response = H5PresignResponse)]
pub struct H5Presign {
    pub appid: String,
    pub plan_id: String,
    pub out_contract_code: String,
    pub display_name: String,
    pub contract_notify_url: String,
    pub repayment_day: i64,
    pub repayment_amount_limit: String,
    pub sub_mchid: Option<String>,
    pub sub_appid: Option<String>,
    pub real_identity: RealIdentity,
    pub trade_info: Option<TradeInfo>,
    pub jump_info: Option<JumpInfo>,
}

/// The user's real identity; both values travel encrypted.
#[wxpay_model]
pub struct RealIdentity {
    /// `REAL_IDENTITY_TYPE_ID_CARD`
    pub identity_type: String,
    #[encrypted]
    pub identity_id: String,
    #[encrypted]
    pub real_name: String,
}

/// A first deduction made at signing time.
#[wxpay_model]
pub struct TradeInfo {
    pub out_trade_no: String,
    pub deduct_amount: i64,
    pub description: Option<String>,
    pub attach: Option<String>,
    pub notify_url: Option<String>,
}

/// Where the H5 page jumps back to.
#[wxpay_model]
pub struct JumpInfo {
    pub jump_appid: Option<String>,
}

#[wxpay_model]
pub struct AppPresignResponse {
    pub presign_token: String,
    pub redirect_service: Option<String>,
}

#[wxpay_model]
pub struct H5PresignResponse {
    pub redirect_url: String,
}

/// 预签约 (教育缴费): pre-signing of a school payment contract.
#[wxpay_endpoint(POST, "v3/eduschoolpay/contracts/presign", response = EduPresignResponse)]
pub struct EduPresign {
    pub appid: String,
    pub openid: String,
    pub plan_id: String,
    pub user_id: String,
    pub school_id: String,
    pub out_contract_code: String,
    pub contract_mode: Option<String>,
    pub downgrade_default_contract: Option<bool>,
    pub identity: Option<EduIdentity>,
    pub bank_card: Option<BankCard>,
}

#[wxpay_model]
pub struct EduIdentity {
    #[encrypted]
    pub real_name: String,
    #[encrypted]
    pub credential_type: String,
    #[encrypted]
    pub id_card_number: Option<String>,
}

#[wxpay_model]
pub struct BankCard {
    #[encrypted]
    pub bank_card_no: String,
    pub valid_thru: Option<String>,
    #[encrypted]
    pub phone: Option<String>,
    pub bank_type: Option<String>,
}

#[wxpay_model]
pub struct EduPresignResponse {
    pub presign_token: String,
}

/// 商户签名验签／加解密测试: WeChat Pay's own round trip of signatures and encryption.
#[wxpay_endpoint(POST, "v3/security/echo", response = EchoResponse)]
pub struct Echo {
    pub notify_url: Option<String>,
    pub echo_message: String,
    #[encrypted]
    pub encrypted_echo_message: Option<String>,
}

#[wxpay_model]
pub struct EchoResponse {
    pub echo_message: String,
    #[encrypted]
    pub encrypted_echo_message: Option<String>,
}

/// Sample requests, with values a newcomer can recognise.
pub fn app_presign() -> AppPresign {
    AppPresign::builder()
        .appid("wxd678efh567hg6787")
        .plan_id("plan_2026_001")
        .out_contract_code("contract_20261123_0001")
        .display_name("信用卡自动还款")
        .contract_notify_url("https://merchant.example.com/notify/contract")
        .repayment_day(15)
        .repayment_amount_limit("AMOUNT_LIMIT_ALL")
        .sub_mchid("1900000109")
        .real_identity(
            RealIdentity::builder()
                .identity_type("REAL_IDENTITY_TYPE_ID_CARD")
                .identity_id("110101199003074477")
                .real_name("张三")
                .build(),
        )
        .trade_info(
            TradeInfo::builder()
                .out_trade_no("trade_20261123_0001")
                .deduct_amount(100)
                .description("首期还款")
                .build(),
        )
        .build()
}

pub fn h5_presign() -> H5Presign {
    H5Presign::builder()
        .appid("wxd678efh567hg6787")
        .plan_id("plan_2026_001")
        .out_contract_code("contract_20261123_0002")
        .display_name("信用卡自动还款")
        .contract_notify_url("https://merchant.example.com/notify/contract")
        .repayment_day(20)
        .repayment_amount_limit("AMOUNT_LIMIT_ALL")
        .real_identity(
            RealIdentity::builder()
                .identity_type("REAL_IDENTITY_TYPE_ID_CARD")
                .identity_id("440301198807151234")
                .real_name("李四")
                .build(),
        )
        .jump_info(JumpInfo::builder().jump_appid("wx1234567890abcdef").build())
        .build()
}

pub fn edu_presign() -> EduPresign {
    EduPresign::builder()
        .appid("wxd678efh567hg6787")
        .openid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
        .plan_id("edu_plan_01")
        .user_id("student_20260001")
        .school_id("school_4401")
        .out_contract_code("edu_contract_0001")
        .contract_mode("SCHOOL_CONTRACT")
        .downgrade_default_contract(true)
        .identity(
            EduIdentity::builder()
                .real_name("王小明")
                .credential_type("ID_CARD")
                .id_card_number("440301201203150011")
                .build(),
        )
        .bank_card(
            BankCard::builder()
                .bank_card_no("6222021234567890123")
                .valid_thru("12/29")
                .phone("13800138000")
                .bank_type("ICBC_DEBIT")
                .build(),
        )
        .build()
}

pub fn echo() -> Echo {
    Echo::builder()
        .echo_message("hello wxpay")
        .encrypted_echo_message("秘密 secret 123")
        .build()
}

/// 查询自动还款协议: a GET with a path placeholder (answer left untyped here).
#[wxpay_endpoint(GET, "v3/credit-repayment/partner/contracts/{out_contract_code}")]
pub struct QueryContract {
    pub out_contract_code: String,
    pub sub_mchid: Option<String>,
}

impl QueryContract {
    pub fn new(out_contract_code: impl Into<String>) -> Self {
        Self {
            out_contract_code: out_contract_code.into(),
            sub_mchid: None,
        }
    }
}
