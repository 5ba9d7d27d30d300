//! Project tasks.
//!
//! `cargo run -p xtask -- gen-catalog [PATH/endpoints.json] [--check]` reads the WeChat Pay
//! APIv3 catalog (by default the repository's own copy, `wxpay-api/catalog/endpoints.json`, with the
//! fixes its README lists) and writes:
//!
//! - `wxpay-catalog-tests/src/generated.rs`: one module per endpoint, holding one
//!   `#[wxpay_endpoint]` struct and the `#[wxpay_model]` structs of its nested objects;
//! - `wxpay-catalog-tests/src/expect.rs`: for every endpoint, a sample value (every optional
//!   field set, every value unique) and where each field must appear in the prepared request
//!   (path, query, header, JSON body, multipart meta), which fields are encrypted, and a sample
//!   answer;
//! - `wxpay-catalog-tests/plain/src/generated.rs`: the same structs with plain
//!   `#[derive(serde::Serialize, serde::Deserialize)]`, for `scripts/compile-cost.sh`.
//!
//! With `--check` it writes nothing and fails when a committed file differs from what it
//! would write (CI runs it, so generated code never drifts from the data or the generator).

mod api;
mod catalog;
mod codegen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen-catalog") if args.len() <= 3 => {
            let check = args[1..].iter().any(|a| a == "--check");
            let input = args[1..]
                .iter()
                .find(|a| *a != "--check")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("wxpay-api/catalog/endpoints.json"));
            match gen_catalog(&input, check) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("gen-catalog: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!(
                "usage: cargo run -p xtask -- gen-catalog [PATH_TO/endpoints.json] [--check]"
            );
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

fn gen_catalog(input: &Path, check: bool) -> Result<(), String> {
    let root = workspace_root();
    let text = std::fs::read_to_string(input)
        .map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", input.display()))?;
    let endpoints = catalog::parse(&json)?;
    let out = codegen::generate(&endpoints)?;

    let api = api::generate(&endpoints)?;

    let crate_dir = root.join("wxpay-catalog-tests");
    let mut files = vec![
        (crate_dir.join("src/generated.rs"), out.declarations.clone()),
        (crate_dir.join("src/expect.rs"), out.expect.clone()),
        (crate_dir.join("plain/src/generated.rs"), out.plain.clone()),
    ];
    for (rel, content) in api.files {
        files.push((root.join(rel), content));
    }
    // The features: one per group in `wxpay-api`, and the facade's `api-<group>` forwarding
    // to it (`api` for all).
    let all: Vec<String> = api.groups.iter().map(|(f, _)| format!("{f:?}")).collect();
    let mut api_lines = format!("## Every group.\napi = [{}]\n", all.join(", "));
    let mut facade_lines = api_lines.clone();
    for (feature, group) in &api.groups {
        api_lines.push_str(&format!("## `v3/{group}/…`.\n{feature} = []\n"));
        facade_lines.push_str(&format!(
            "## `wxpay::api`: `v3/{group}/…`.\n{feature} = [\"wxpay-api/{feature}\"]\n"
        ));
    }
    for (manifest, lines) in [
        (root.join("wxpay-api/Cargo.toml"), &api_lines),
        (root.join("Cargo.toml"), &facade_lines),
    ] {
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        files.push((manifest, api::with_features(&text, lines)?));
    }
    let mut stale = Vec::new();
    for (path, content) in files {
        let formatted = if path.extension().is_some_and(|x| x == "rs") {
            rustfmt(&content)?
        } else {
            content
        };
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == formatted {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, formatted).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if !stale.is_empty() {
        return Err(format!(
            "generated code differs from what the generator writes (run `cargo run -p xtask -- gen-catalog`): {}",
            stale.join(", ")
        ));
    }
    if !check {
        println!("{}", out.summary);
    }
    Ok(())
}

/// Formats generated code as `cargo fmt` would, so that the committed files pass
/// `cargo fmt --check` and `--check` compares like with like.
fn rustfmt(code: &str) -> Result<String, String> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = code.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    writer
        .join()
        .expect("writer thread")
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!("rustfmt exited with {}", output.status));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt: {e}"))
}
