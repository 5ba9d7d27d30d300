//! Every endpoint of WeChat Pay APIv3, ready-made: declared with `#[wxpay_endpoint]` and its
//! `#[wxpay_model]`s from the catalog of the public docs (`wxpay-api/catalog/endpoints.json` in the
//! repository), so that a merchant writes no declaration for a documented endpoint. Use it as
//! `wxpay::api` (this crate, re-exported by `wxpay`).
//!
//! ```toml
//! wxpay = { version = "0.1", features = ["api"] }                      # all endpoints
//! wxpay = { version = "0.1", features = ["api-pay", "api-refund"] }    # only these groups
//! ```
//!
//! # Groups
//! One module and one cargo feature per first path segment after `v3/`: `v3/pay/…` is module
//! [`pay`] behind feature `api-pay`, `v3/credit-repayment/…` is `credit_repayment` behind
//! `api-credit-repayment`; `api` enables them all. [`CATALOG`] lists every endpoint whatever
//! the features.
//!
//! # Names
//! The endpoint `METHOD v3/<group>/<segments…>` is the struct
//! `wxpay::api::<group>::<Method><Group><Segments…>`: the method and every path segment
//! (placeholders without their braces), split into words at `-`, `_`, `.` and lower-to-upper
//! case changes, each word capitalized and joined (`POST v3/pay/transactions/jsapi` is
//! `wxpay::api::pay::PostPayTransactionsJsapi`, `GET v3/pay/transactions/id/{transaction_id}`
//! is `wxpay::api::pay::GetPayTransactionsIdTransactionId`). Its answer is the same name
//! followed by `Response`, and its models (nested objects, enums) live in the module of the
//! same words in snake case (`wxpay::api::pay::post_pay_transactions_jsapi::Amount`), named
//! after the field that holds them (prefixed with the enclosing field's name, then
//! `Response`, when two would share a name). The rare path that differs from another only by a
//! trailing `/` takes a `2`. Fields keep the documented names in snake case (`type` is
//! `r#type`, `payAuthNo` is `pay_auth_no`).
//!
//! # Types
//! - Request fields as documented: required ones plain, optional ones `Option`, encrypted
//!   ones `#[encrypted]` (sent as ciphertext), JSON-text ones `#[json_string]`, `number`
//!   fields [`serde_json::Number`] (a whole number is sent as one: `5`, not `5.0`).
//! - Enum-valued string fields are Rust enums that print, parse and (de)serialize as the
//!   documented string and keep any other value in `Other(String)`: WeChat Pay adds values.
//! - Answers never fail to parse because the docs were wrong: every answer field is an
//!   `Option` (a documented-required field that is absent is `None`), unknown fields are
//!   ignored and unknown enum values kept.
//! - Every endpoint type has `from_json` (a request from one JSON object keyed by the
//!   documented names) and `builder()`.
//!
//! ```
//! # #[cfg(feature = "api-pay")] {
//! use wxpay_api::pay::PostPayTransactionsJsapi;
//!
//! let order = PostPayTransactionsJsapi::from_json(serde_json::json!({
//!     "appid": "wxd678efh567hg6787",
//!     "mchid": "1230000109",
//!     "description": "Image形象店-深圳腾大-QQ公仔",
//!     "out_trade_no": "1217752501201407033233368018",
//!     "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
//!     "amount": {"total": 100, "currency": "CNY"},
//!     "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
//! }))
//! .unwrap();
//! assert_eq!(order.amount.total, 100);
//!
//! let e = PostPayTransactionsJsapi::from_json(serde_json::json!({"appid": "x"})).unwrap_err();
//! assert_eq!(e.to_string(), "encoding the request: missing required key `mchid`");
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Generated declarations: long names and many fields are the docs' own.
#![allow(clippy::large_enum_variant, clippy::module_name_repetitions)]

#[doc(hidden)]
pub mod __rt;
mod catalog;
#[cfg(feature = "dynamic")]
#[cfg_attr(docsrs, doc(cfg(feature = "dynamic")))]
pub mod dynamic;
mod entry;
mod generated;
mod string_enum;

#[cfg(any(feature = "api-pay", feature = "api-refund"))]
pub mod notify;

pub use catalog::CATALOG;
pub use entry::Entry;
// Without any `api-<group>` feature there is nothing to re-export nor to declare.
#[allow(unused_imports)]
pub use generated::*;
#[allow(unused_imports)]
pub(crate) use string_enum::string_enum;

/// The catalog entry of `METHOD PATH` (the method in any case; the path with its `{name}`
/// placeholders, or a concrete path such as `v3/pay/transactions/id/4200…`, with or without the
/// leading `/`).
pub fn find(method: &str, path: &str) -> Option<&'static Entry> {
    let path = path.trim_start_matches('/');
    let path = path.split('?').next().unwrap_or(path);
    let exact = CATALOG
        .iter()
        .find(|e| e.method.eq_ignore_ascii_case(method) && e.path == path);
    exact.or_else(|| {
        CATALOG
            .iter()
            .find(|e| e.method.eq_ignore_ascii_case(method) && template_matches(e.path, path))
    })
}

fn template_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

/// The endpoints whose title or path holds `word` (case-insensitive for ASCII).
pub fn search(word: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    let needle = word.to_lowercase();
    CATALOG.iter().filter(move |e| {
        e.title.to_lowercase().contains(&needle) || e.path.to_lowercase().contains(&needle)
    })
}

/// The catalog's data (`catalog/endpoints.json`, the field trees with types, requiredness,
/// encryption and enum values), for tools such as the `wxpay` command.
#[doc(hidden)]
pub fn __catalog_json() -> &'static str {
    include_str!("../catalog/endpoints.json")
}
