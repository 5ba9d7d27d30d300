//! [`Entry`], one endpoint of [`CATALOG`](crate::CATALOG): its own file, so that the plain
//! twin of `scripts/compile-cost.sh` copies it as it is.

/// One endpoint of [`CATALOG`](crate::CATALOG).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `"POST"`.
    pub method: &'static str,
    /// `"v3/pay/transactions/jsapi"`, placeholders as `{name}`.
    pub path: &'static str,
    /// The endpoint's name in the docs (Chinese).
    pub title: &'static str,
    /// The full path a user writes: `"wxpay::api::pay::PostPayTransactionsJsapi"`.
    pub type_name: &'static str,
    /// The cargo feature that compiles it: `"api-pay"`.
    pub feature: &'static str,
}
