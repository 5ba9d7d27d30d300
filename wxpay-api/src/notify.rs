//! The decrypted resources of notifications, for `wxpay::Client::parse_notification`.
//!
//! - [`Transaction`] (feature `api-pay`): `TRANSACTION.SUCCESS`, WeChat Pay's 支付成功回调
//!   通知; its fields are those of an order query (`GET v3/pay/transactions/…`), which is why
//!   the fields an unpaid order lacks are `Option`.
//! - [`Refund`] (feature `api-refund`): `REFUND.SUCCESS`, `REFUND.ABNORMAL`,
//!   `REFUND.CLOSED`, WeChat Pay's 退款结果通知.
//!
//! Both read what WeChat Pay really sends even where its docs are wrong: an unknown field is
//! ignored, a documented field that is missing reads as empty (`""`, `0`) or `None`, and an
//! undocumented enum value is kept in `Other`. Service-provider notifications fill the
//! `sp_`/`sub_` fields instead of `appid`/`mchid`.
//!
//! ```
//! # #[cfg(feature = "api-pay")]
//! # mod m {
//! use wxpay_api::notify::{TradeState, Transaction};
//!
//! // `note.resource` of `client.parse_notification::<Transaction>(&headers, &body)?`
//! fn on_payment(t: &Transaction) {
//!     if t.trade_state == TradeState::Success {
//!         println!("{} paid {} fen", t.out_trade_no, t.amount.total);
//!     }
//! }
//! # }
//! ```

#[cfg(feature = "api-pay")]
#[cfg_attr(docsrs, doc(cfg(feature = "api-pay")))]
pub use pay::*;
#[cfg(feature = "api-refund")]
#[cfg_attr(docsrs, doc(cfg(feature = "api-refund")))]
pub use refund::*;

#[cfg(feature = "api-pay")]
mod pay {
    use ::wxpay_macros::wxpay_model;

    use crate::string_enum;

    string_enum! {
        /// `trade_state`: where an order is (交易状态).
        ///
        /// ```
        /// use wxpay_api::notify::TradeState;
        /// assert_eq!("NOTPAY".parse::<TradeState>().unwrap(), TradeState::NotPay);
        /// assert_eq!(TradeState::Refund.to_string(), "REFUND");
        /// assert_eq!("NEW_STATE".parse::<TradeState>().unwrap(), TradeState::Other("NEW_STATE".into()));
        /// ```
        pub enum TradeState {
            /// 支付成功.
            Success = "SUCCESS",
            /// 转入退款: a refund was made.
            Refund = "REFUND",
            /// 未支付.
            NotPay = "NOTPAY",
            /// 已关闭.
            Closed = "CLOSED",
            /// 已撤销 (付款码支付).
            Revoked = "REVOKED",
            /// 用户支付中 (付款码支付).
            UserPaying = "USERPAYING",
            /// 支付失败.
            PayError = "PAYERROR",
        }
    }

    string_enum! {
        /// `trade_type`: how the order was paid (交易类型).
        ///
        /// ```
        /// use wxpay_api::notify::TradeType;
        /// assert_eq!("MWEB".parse::<TradeType>().unwrap(), TradeType::Mweb);
        /// ```
        pub enum TradeType {
            /// 公众号支付 and 小程序支付.
            Jsapi = "JSAPI",
            /// 扫码支付.
            Native = "NATIVE",
            /// APP支付.
            App = "APP",
            /// 付款码支付.
            Micropay = "MICROPAY",
            /// H5支付.
            Mweb = "MWEB",
            /// 刷脸支付.
            Facepay = "FACEPAY",
        }
    }

    /// The resource of a `TRANSACTION.SUCCESS` notification (支付成功回调通知), which is
    /// also what an order query answers.
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct Transaction {
        /// 应用ID (direct merchants).
        #[serde(default)]
        pub appid: String,
        /// 商户号 (direct merchants).
        #[serde(default)]
        pub mchid: String,
        /// 服务商应用ID (service providers).
        pub sp_appid: Option<String>,
        /// 服务商户号 (service providers).
        pub sp_mchid: Option<String>,
        /// 子商户应用ID (service providers).
        pub sub_appid: Option<String>,
        /// 子商户号 (service providers).
        pub sub_mchid: Option<String>,
        /// 商户订单号.
        #[serde(default)]
        pub out_trade_no: String,
        /// 微信支付订单号 (absent while unpaid).
        pub transaction_id: Option<String>,
        /// 交易类型 (absent while unpaid).
        pub trade_type: Option<TradeType>,
        /// 交易状态.
        #[serde(default)]
        pub trade_state: TradeState,
        /// 交易状态描述.
        #[serde(default)]
        pub trade_state_desc: String,
        /// 银行类型 (absent while unpaid).
        pub bank_type: Option<String>,
        /// 附加数据, as given when the order was made.
        pub attach: Option<String>,
        /// 支付完成时间, RFC 3339 (absent while unpaid).
        pub success_time: Option<String>,
        /// 支付者 (absent while unpaid).
        pub payer: Option<Payer>,
        /// 订单金额.
        #[serde(default)]
        pub amount: TransactionAmount,
        /// 场景信息.
        pub scene_info: Option<SceneInfo>,
        /// 优惠功能.
        pub promotion_detail: Option<Vec<Promotion>>,
    }

    /// `payer`: who paid.
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct Payer {
        /// 用户标识 under `appid` (direct merchants).
        pub openid: Option<String>,
        /// 用户服务标识 under `sp_appid` (service providers).
        pub sp_openid: Option<String>,
        /// 用户子标识 under `sub_appid` (service providers).
        pub sub_openid: Option<String>,
    }

    /// `amount` of a transaction, in fen.
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct TransactionAmount {
        /// 总金额: the order's amount.
        #[serde(default)]
        pub total: i64,
        /// 用户支付金额: what the payer paid (absent while unpaid).
        pub payer_total: Option<i64>,
        /// 货币类型, `CNY`.
        pub currency: Option<String>,
        /// 用户支付币种.
        pub payer_currency: Option<String>,
    }

    /// `scene_info`.
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct SceneInfo {
        /// 商户端设备号.
        pub device_id: Option<String>,
    }

    /// One entry of `promotion_detail` (优惠功能).
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct Promotion {
        /// 券ID.
        #[serde(default)]
        pub coupon_id: String,
        /// 优惠名称.
        pub name: Option<String>,
        /// 优惠范围: `GLOBAL`, `SINGLE`.
        pub scope: Option<String>,
        /// 优惠类型: `CASH`, `NOCASH`.
        pub r#type: Option<String>,
        /// 优惠券面额, fen.
        #[serde(default)]
        pub amount: i64,
        /// 活动ID.
        pub stock_id: Option<String>,
        /// 微信出资, fen.
        pub wechatpay_contribute: Option<i64>,
        /// 商户出资, fen.
        pub merchant_contribute: Option<i64>,
        /// 其他出资, fen.
        pub other_contribute: Option<i64>,
        /// 优惠币种.
        pub currency: Option<String>,
        /// 单品列表.
        pub goods_detail: Option<Vec<PromotionGoods>>,
    }

    /// One entry of a promotion's `goods_detail`.
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct PromotionGoods {
        /// 商品编码.
        #[serde(default)]
        pub goods_id: String,
        /// 商品数量.
        #[serde(default)]
        pub quantity: i64,
        /// 商品单价, fen.
        #[serde(default)]
        pub unit_price: i64,
        /// 商品优惠金额, fen.
        #[serde(default)]
        pub discount_amount: i64,
        /// 商品备注.
        pub goods_remark: Option<String>,
    }
}

#[cfg(feature = "api-refund")]
mod refund {
    use ::wxpay_macros::wxpay_model;

    use crate::string_enum;

    string_enum! {
        /// `refund_status` of a refund notification (退款状态), and `status` of a refund
        /// query.
        ///
        /// ```
        /// use wxpay_api::notify::RefundStatus;
        /// assert_eq!("SUCCESS".parse::<RefundStatus>().unwrap(), RefundStatus::Success);
        /// ```
        pub enum RefundStatus {
            /// 退款成功.
            Success = "SUCCESS",
            /// 退款关闭.
            Closed = "CLOSED",
            /// 退款处理中 (queries only).
            Processing = "PROCESSING",
            /// 退款异常.
            Abnormal = "ABNORMAL",
        }
    }

    /// The resource of a `REFUND.*` notification (退款结果通知).
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct Refund {
        /// 直连商户号 (direct merchants).
        #[serde(default)]
        pub mchid: String,
        /// 服务商户号 (service providers).
        pub sp_mchid: Option<String>,
        /// 子商户号 (service providers).
        pub sub_mchid: Option<String>,
        /// 商户订单号.
        #[serde(default)]
        pub out_trade_no: String,
        /// 微信支付订单号.
        #[serde(default)]
        pub transaction_id: String,
        /// 商户退款单号.
        #[serde(default)]
        pub out_refund_no: String,
        /// 微信支付退款单号.
        #[serde(default)]
        pub refund_id: String,
        /// 退款状态.
        #[serde(default)]
        pub refund_status: RefundStatus,
        /// 退款成功时间, RFC 3339 (with `SUCCESS`).
        pub success_time: Option<String>,
        /// 退款入账账户, such as `支付用户零钱`.
        #[serde(default)]
        pub user_received_account: String,
        /// 金额信息.
        #[serde(default)]
        pub amount: RefundAmount,
    }

    /// `amount` of a refund notification, in fen.
    #[wxpay_model(crate = ::wxpay_core)]
    #[derive(Clone, Default, PartialEq)]
    pub struct RefundAmount {
        /// 订单金额.
        #[serde(default)]
        pub total: i64,
        /// 退款金额.
        #[serde(default)]
        pub refund: i64,
        /// 用户实际支付金额.
        #[serde(default)]
        pub payer_total: i64,
        /// 用户退款金额.
        #[serde(default)]
        pub payer_refund: i64,
    }
}
