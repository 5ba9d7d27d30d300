//! Compile-time behaviour of `#[wxpay_endpoint]` and `#[wxpay_model]`: every feature compiles
//! (and runs) in `ui/pass`, every mistake in `ui/fail` is one error with the message and span
//! in its `.stderr` snapshot (`TRYBUILD=overwrite` rewrites them; read every one).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}

/// The macro's list of reserved headers is the runtime's: `ui/fail/reserved_headers.rs` has
/// every name of `wxpay::endpoint::RESERVED_HEADERS`, and each is refused in its snapshot.
#[test]
fn reserved_headers_case_covers_the_runtime_list() {
    let stderr = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/ui/fail/reserved_headers.stderr"
    ))
    .unwrap();
    for name in wxpay::endpoint::RESERVED_HEADERS {
        let message = format!("error: `{name}` is set by wxpay itself");
        assert!(
            stderr.contains(&message),
            "{name} is not refused at compile time"
        );
    }
    assert_eq!(
        stderr.matches("error: ").count(),
        wxpay::endpoint::RESERVED_HEADERS.len()
    );
}
