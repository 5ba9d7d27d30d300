//! The `#[wxpay_endpoint]` and `#[wxpay_model]` macros of [wxpay](https://docs.rs/wxpay).
//! Use them through `wxpay` (`use wxpay::prelude::*;`): the code they generate names
//! `::wxpay::__private`, so this crate is not meant to be a direct dependency.
//!
//! The pipeline, one module each: `attr` reads the syntax, `model` gives it meaning, `check`
//! enforces the rules (every mistake reported at once, on its own span), `expand` quotes.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod attr;
mod check;
mod ctxt;
mod expand;
mod model;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Declares a WeChat Pay APIv3 endpoint: a struct whose value is one request.
///
/// ```
/// use wxpay::prelude::*;
/// # #[wxpay_model]
/// # pub struct Transaction {
/// #     pub trade_state: String,
/// # }
/// # #[wxpay_model]
/// # pub struct RealIdentity {
/// #     pub identity_type: String,
/// #     #[encrypted]
/// #     pub identity_id: String,
/// #     #[encrypted]
/// #     pub real_name: String,
/// # }
/// # #[wxpay_model]
/// # pub struct AppPresignResponse {
/// #     pub presign_token: String,
/// # }
///
/// /// 查询订单
/// #[wxpay_endpoint(GET, "v3/pay/transactions/out-trade-no/{out_trade_no}", response = Transaction)]
/// pub struct QueryByOutTradeNo {
///     pub out_trade_no: String,  // fills `{out_trade_no}`, percent-encoded
///     pub mchid: String,         // GET: sent in the query string, in declaration order
/// }
///
/// // Shortened to show the roles of fields: the endpoint documents seven more required fields
/// // (the crate docs of `wxpay` declare all of them).
/// #[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/app-presign", response = AppPresignResponse)]
/// pub struct AppPresign {
///     pub appid: String,               // POST: sent in the JSON body
///     pub sub_mchid: Option<String>,   // `None` is left out, never `null`
///     pub real_identity: RealIdentity, // a #[wxpay_model], at any depth
///     #[header("Idempotency-Key")]
///     pub key: String,
/// }
///
/// # let identity = RealIdentity::builder()
/// #     .identity_type("REAL_IDENTITY_TYPE_ID_CARD")
/// #     .identity_id("110101199003074477")
/// #     .real_name("张三")
/// #     .build();
/// let request = AppPresign::builder()
///     .appid("wx8888888888888888")
///     .real_identity(identity)
///     .key("k-1")
///     .build(); // leaving out a required field is a compile error naming it
/// ```
///
/// # Arguments
/// `#[wxpay_endpoint(METHOD, "PATH" [, response = TYPE] [, base_url = "URL"])]`
/// - `METHOD`: `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
/// - `"PATH"`: relative, starting with `v3/`; each `{name}` placeholder is filled with the
///   field `name` (its `Display`, percent-encoded as one segment), which is sent nowhere else.
/// - `response = TYPE`: what a 2xx answer deserializes into. Omitted or `()`: any 2xx answer
///   (204 or a body) once its signature is verified. `wxpay::Download`: the raw bytes of an
///   unsigned download.
/// - `base_url = "https://apihk.mch.weixin.qq.com/"`: the endpoint lives on another host.
///
/// # Fields
/// - `GET` and `DELETE` send the fields that no placeholder binds as the query string, in
///   declaration order; `POST`, `PUT` and `PATCH` send them as the JSON body (`{}` when there
///   are none).
/// - `#[query]`: in the query string whatever the method. `#[body]`: in the JSON body whatever
///   the method (a few `DELETE` endpoints take a body).
/// - `#[header("Name")]`: sent as that request header.
/// - `#[encrypted]` on a `String` or `Option<String>`: leaves the process only as RSA-OAEP
///   ciphertext under the WeChat Pay key in force (body and query fields, at any depth).
///   Serializing the request outside the client is an error rather than a plaintext.
/// - `#[json_string]`: the value travels as a string holding its JSON text.
/// - `#[file]` on a `wxpay::File`: a multipart upload; part `meta` is the JSON of the body
///   fields plus `filename` and `sha256` (unless declared), part `file` the bytes.
/// - Keywords are raw identifiers (`r#type` is sent as `type`); serde's field and container
///   attributes (`#[serde(rename = "…")]`, `rename_all`, …) keep working, for query names too.
/// - `#[cfg(…)]` is supported on `Option` fields.
///
/// # What it generates
/// The struct (with `Serialize` derived: do not derive `Serialize` or `Debug` yourself), an
/// `Endpoint` impl for the client, a `Debug` that prints `#[encrypted]` fields as `"***"`, and
/// a builder: `Name::builder()`, one setter per field taking `impl Into<T>` (the inner `T` for
/// `Option<T>` fields, plus `maybe_name(Option<T>)`), then `.build()`, which returns `Name`.
/// Struct literals keep working.
#[proc_macro_attribute]
pub fn wxpay_endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_endpoint(args.into(), item.into())
        .into_token_stream()
        .into()
}

/// Declares a type used inside endpoints and responses, at any depth: a JSON object.
///
/// ```
/// use wxpay::prelude::*;
///
/// #[wxpay_model]
/// pub struct RealIdentity {
///     pub identity_type: String,
///     #[encrypted]
///     pub identity_id: String, // ciphertext on the wire; decrypted when read from an answer
///     pub real_name: Option<String>,
/// }
/// ```
///
/// Fields take `#[encrypted]` and `#[json_string]` as in [`macro@wxpay_endpoint`];
/// `Option` fields are left out when `None` and may be absent when read. `Serialize`,
/// `Deserialize` and a redacting `Debug` are implemented (do not derive them yourself), and
/// the same builder as an endpoint's. `#[query]`, `#[body]`, `#[header]` and `#[file]` belong
/// to endpoints and are errors here.
///
/// # Arguments
/// - `request`: the model is only sent. No `Deserialize` is generated (the largest part of the
///   expansion), so it compiles faster; it cannot be an endpoint's `response`.
/// - `response`: the model is only read from answers. No builder is generated (build one, in
///   a test, with a struct literal).
/// - `crate = PATH`: where `wxpay` is, for a renamed dependency (as serde's `crate = "…"`).
///
/// ```
/// use wxpay::prelude::*;
///
/// #[wxpay_model(request)]
/// pub struct Amount {
///     pub total: i64,
///     pub currency: Option<String>,
/// }
///
/// #[wxpay_model(response)]
/// pub struct Payer {
///     #[encrypted]
///     pub name: Option<String>,
/// }
///
/// let amount = Amount::builder().total(100).build();
/// let payer: Payer = Payer { name: None };
/// # let _ = (amount, payer);
/// ```
#[proc_macro_attribute]
pub fn wxpay_model(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_model(args.into(), item.into())
        .into_token_stream()
        .into()
}
