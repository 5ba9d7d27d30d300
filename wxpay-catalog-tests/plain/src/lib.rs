//! The catalog declarations of `wxpay-catalog-tests` with plain
//! `#[derive(serde::Serialize, serde::Deserialize)]` (no wxpay macros): the baseline of
//! `scripts/compile-cost.sh`. `generated.rs` is written by `cargo run -p xtask -- gen-catalog`.
#![allow(dead_code)]

pub mod generated;
