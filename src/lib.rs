//! wxpay (facade; filled in below).
#![forbid(unsafe_code)]
pub use http;
#[doc(hidden)]
pub use wxpay_core::private as __private;
pub use wxpay_core::*;
pub use wxpay_macros::{wxpay_endpoint, wxpay_model};
