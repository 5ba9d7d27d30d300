//! # wxpay: WeChat Pay APIv3 for Rust
//!
//! Declare any endpoint as a plain struct; wxpay signs the request, encrypts its
//! `#[encrypted]` fields with the WeChat Pay key (and sends the matching `Wechatpay-Serial`),
//! verifies the answer's signature and decrypts its encrypted fields. The endpoint below is
//! declared with every field its documentation lists (the optional ones may be left unset).
//!
//! ```
//! use wxpay::prelude::*;
//!
//! /// APP预签约自动还款协议
//! #[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/app-presign", response = AppPresignResponse)]
//! pub struct AppPresign {
//!     pub appid: String,
//!     pub plan_id: String,
//!     pub out_contract_code: String,
//!     pub display_name: String,
//!     pub contract_notify_url: String,
//!     pub repayment_day: i64,
//!     pub repayment_amount_limit: String,
//!     pub sub_mchid: Option<String>, // None is left out, never sent as null
//!     pub sub_appid: Option<String>,
//!     pub real_identity: RealIdentity,
//!     pub trade_info: Option<TradeInfo>,
//! }
//!
//! #[wxpay_model]
//! pub struct RealIdentity {
//!     pub identity_type: String,
//!     #[encrypted]
//!     pub identity_id: String,
//!     #[encrypted]
//!     pub real_name: String,
//! }
//!
//! #[wxpay_model]
//! pub struct TradeInfo {
//!     pub out_trade_no: String,
//!     pub deduct_amount: i64,
//!     pub description: Option<String>,
//!     pub attach: Option<String>,
//!     pub notify_url: Option<String>,
//! }
//!
//! #[wxpay_model]
//! pub struct AppPresignResponse {
//!     pub presign_token: String,
//!     pub redirect_service: Option<String>,
//! }
//!
//! # fn main() -> Result<(), wxpay::Error> {
//! # let merchant_key = include_str!("../tests/fixtures/merchant_key.pem");
//! # let public_key = include_str!("../tests/fixtures/wechatpay_public_key.pem");
//! let client = wxpay::Client::builder()
//!     .mchid("1900000001")
//!     .merchant_key("5F1C72E2A8931B72A2E13AF8DEE92471EB397115", merchant_key)
//!     .wechatpay_public_key("PUB_KEY_ID_0114232134912410000000000000", public_key)
//!     .build()?;
//!
//! let request = AppPresign::builder()
//!     .appid("wxd678efh567hg6787")
//!     .plan_id("plan_2026_001")
//!     .out_contract_code("contract_20261123_0001")
//!     .display_name("信用卡自动还款")
//!     .contract_notify_url("https://merchant.example.com/notify/contract")
//!     .repayment_day(15)
//!     .repayment_amount_limit("AMOUNT_LIMIT_ALL")
//!     .real_identity(
//!         RealIdentity::builder()
//!             .identity_type("REAL_IDENTITY_TYPE_ID_CARD")
//!             .identity_id("110101199003074477")
//!             .real_name("张三")
//!             .build(),
//!     )
//!     .build();
//!
//! let prepared = client.prepare(&request)?; // what `client.send(&request).await` sends
//! assert_eq!(prepared.url(), "https://api.mch.weixin.qq.com/v3/credit-repayment/partner/contracts/app-presign");
//! assert!(!String::from_utf8_lossy(prepared.body()).contains("张三"));
//! assert_eq!(prepared.headers()["Wechatpay-Serial"], "PUB_KEY_ID_0114232134912410000000000000");
//! # Ok(()) }
//! ```
//!
//! ## Crates
//! - `wxpay-core`: the protocol engine, re-exported here (keys, signing, verification,
//!   OAEP, AES-GCM, [`Engine`], [`Error`]).
//! - `wxpay-macros`: [`wxpay_endpoint`] and [`wxpay_model`].
//! - `wxpay-sandbox`: a local WeChat Pay server for tests and examples.
//!
//! ## Features
//! - `client` (default): [`Client::send`] over reqwest with rustls (its crypto: aws-lc-rs).
//! - `aws-lc` (default): RSA through aws-lc-rs, the crypto library rustls already uses.
//!   Without it (`default-features = false, features = ["client"]`), RSA goes through the
//!   `rsa` crate, about 9 times slower per signature.
//! - `blocking`: [`blocking::Client`], the same without `async`.
//! - `api-<group>` (`api-pay`, `api-refund`, `api-marketing`, …; `api` for all groups): the
//!   ready-made endpoints of [`api`], one group per first path segment after `v3/` (the
//!   `wxpay-api` crate); `api-pay` and `api-refund` also give the notification resources
//!   `api::notify::Transaction` and `api::notify::Refund`. [`api::CATALOG`] is always there.
//!
//! ## Logging
//! wxpay emits [`tracing`](https://docs.rs/tracing) events (install any subscriber to see
//! them), as structured fields:
//! - `wxpay::http`: DEBUG per attempt, with `method`, `path`, `attempt`, `status`,
//!   `request_id`, `elapsed_ms` (or the `error`); WARN before a retry (`next_attempt`,
//!   `delay_ms`, and the status or error that caused it);
//! - `wxpay::verify`: WARN when an answer or a notification fails verification (`error`);
//! - `wxpay::certificates`: INFO when platform certificates were downloaded (`count`,
//!   `serials`), WARN when a refresh failed.
//!
//! Events never hold header values, bodies, query strings, keys or decrypted values: only the
//! path of a URL, and errors, whose messages are redacted.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// docs.rs (nightly, `--cfg docsrs`): a badge on each item that needs a feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The declarations of `api` use the crate's own macros, whose code names `::wxpay`.
extern crate self as wxpay;

pub use wxpay_api as api;
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
#[cfg(feature = "client")]
mod http_send;

pub use client::{Async, Client, ClientBuilder};
#[cfg(feature = "client")]
pub use http_send::StreamedAnswer;
pub use wxpay_core::*;
pub use wxpay_macros::{wxpay_endpoint, wxpay_model};

/// The `http` crate (1.x), whose `HeaderMap` [`Client::parse_notification`] takes.
pub use http;

/// The `reqwest` crate (0.13) that wxpay sends with, for a client of your own:
/// [`ClientBuilder::http_client`].
#[cfg(feature = "client")]
pub use reqwest;

#[doc(hidden)]
pub use wxpay_core::private as __private;

/// What a module declaring endpoints needs: `use wxpay::prelude::*;`.
pub mod prelude {
    pub use crate::{Client, Download, Error, File, Notification, wxpay_endpoint, wxpay_model};
}
