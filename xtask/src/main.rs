//! Project tasks.
//!
//! `cargo run -p xtask -- gen-catalog PATH_TO/endpoints.json` reads the WeChat Pay APIv3
//! catalog (kept outside the repository; its path is always given) and writes:
//!
//! - `wxpay-catalog-tests/src/generated.rs`: one module per endpoint, holding one
//!   `#[wxpay_endpoint]` struct and the `#[wxpay_model]` structs of its nested objects;
//! - `wxpay-catalog-tests/src/expect.rs`: for every endpoint, a sample value (every optional
//!   field set, every value unique) and where each field must appear in the prepared request
//!   (path, query, header, JSON body, multipart meta), which fields are encrypted, and a sample
//!   answer;
//! - `wxpay-catalog-tests/plain/src/generated.rs`: the same structs with plain
//!   `#[derive(serde::Serialize, serde::Deserialize)]`, for `scripts/compile-cost.sh`.

mod catalog;
mod codegen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen-catalog") if args.len() == 2 => match gen_catalog(Path::new(&args[1])) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gen-catalog: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo run -p xtask -- gen-catalog PATH_TO/endpoints.json");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn gen_catalog(input: &Path) -> Result<(), String> {
    let root = workspace_root();
    let text = std::fs::read_to_string(input)
        .map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", input.display()))?;
    let endpoints = catalog::parse(&json)?;
    let out = codegen::generate(&endpoints)?;

    let crate_dir = root.join("wxpay-catalog-tests");
    let files = [
        (crate_dir.join("src/generated.rs"), &out.declarations),
        (crate_dir.join("src/expect.rs"), &out.expect),
        (crate_dir.join("plain/src/generated.rs"), &out.plain),
    ];
    for (path, content) in files {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, content).map_err(|e| format!("{}: {e}", path.display()))?;
        rustfmt(&path);
        println!("wrote {}", path.display());
    }
    println!("{}", out.summary);
    Ok(())
}

/// Formats a generated file so that `cargo fmt` leaves it as it is (best effort: without
/// rustfmt the file is still valid Rust).
fn rustfmt(path: &Path) {
    let status = std::process::Command::new("rustfmt")
        .args(["--edition", "2024"])
        .arg(path)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => eprintln!("warning: rustfmt {} exited with {s}", path.display()),
        Err(e) => eprintln!("warning: rustfmt not run on {}: {e}", path.display()),
    }
}
