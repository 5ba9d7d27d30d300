//! Nothing here: the crate exists for `tests/macros_ui.rs`, the trybuild cases of
//! `#[wxpay_endpoint]` and `#[wxpay_model]`, built against `wxpay` without default features.
