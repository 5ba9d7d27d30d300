//! Compile-time behaviour of `#[wxpay_endpoint]` and `#[wxpay_model]`: every feature compiles
//! (and runs) in `ui/pass`, every mistake in `ui/fail` is one error with the message and span
//! in its `.stderr` snapshot (`TRYBUILD=overwrite` rewrites them; read every one).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
