//! `wxpay-catalog-tests/src/generated.rs` alone, for `scripts/compile-cost.sh`.
#![allow(dead_code)]

#[path = "../../src/generated.rs"]
pub mod generated;
