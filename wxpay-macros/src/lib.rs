//! Macros of wxpay (placeholder while the real expansion is written).
use proc_macro::TokenStream;
/// Declares an endpoint.
#[proc_macro_attribute]
pub fn wxpay_endpoint(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
/// Declares a model.
#[proc_macro_attribute]
pub fn wxpay_model(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
