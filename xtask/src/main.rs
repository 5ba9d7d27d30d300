//! Project tasks.
//!
//! `cargo run -p xtask -- gen-catalog [PATH/endpoints.json] [--check]` reads the WeChat Pay
//! APIv3 catalog (by default the repository's own copy, `wxpay-api/catalog/endpoints.json`, with the
//! fixes its README lists) and writes the `wxpay-api` crate:
//!
//! - `wxpay-api/src/generated/<group>.rs` (`groups`, `endpoint`): one module per group (the
//!   first path segment after `v3/`, a cargo feature each), one module per endpoint inside it,
//!   holding one `#[wxpay_endpoint]` struct, the `#[wxpay_model]`s and string enums of its
//!   nested objects and documented values, and their `from_json`;
//! - `wxpay-api/src/catalog.rs` (`table`): `CATALOG`, one entry per endpoint, and the dispatch
//!   of `wxpay::api::dynamic`;
//! - the generated feature lists of `wxpay-api/Cargo.toml` and of the root `Cargo.toml`
//!   (`manifests`).
//!
//! With `--check` it writes nothing and fails when a committed file differs from what it
//! would write (CI runs it, so generated code never drifts from the data or the generator).
//!
//! `gen-catalog --plain DIR` writes instead the plain twin of `wxpay-api` into DIR (`plain`):
//! the same declarations with `#[derive(serde::Serialize, serde::Deserialize)]`, the baseline
//! of `scripts/compile-cost.sh`; with `--one-sided`, each struct derives only the side
//! `wxpay-api`'s does (`Serialize` for requests, `Deserialize` for answers).

mod catalog;
mod endpoint;
mod groups;
mod manifests;
mod names;
mod plain;
mod table;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use endpoint::Flavor;

const USAGE: &str = "usage: cargo run -p xtask -- gen-catalog [PATH_TO/endpoints.json] [--check | --plain DIR [--one-sided]]";

/// The arguments of `gen-catalog`.
struct Args {
    input: PathBuf,
    check: bool,
    plain: Option<PathBuf>,
    one_sided: bool,
}

fn parse_args(args: &[String]) -> Option<Args> {
    let mut out = Args {
        input: workspace_root().join("wxpay-api/catalog/endpoints.json"),
        check: false,
        plain: None,
        one_sided: false,
    };
    let mut input = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--check" => out.check = true,
            "--plain" => out.plain = Some(PathBuf::from(it.next()?)),
            "--one-sided" => out.one_sided = true,
            _ if input.is_none() && !a.starts_with("--") => input = Some(PathBuf::from(a)),
            _ => return None,
        }
    }
    if (out.check && out.plain.is_some()) || (out.one_sided && out.plain.is_none()) {
        return None;
    }
    if let Some(i) = input {
        out.input = i;
    }
    Some(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.split_first() {
        Some((cmd, rest)) if cmd == "gen-catalog" => parse_args(rest),
        _ => None,
    };
    let Some(args) = parsed else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let result = match &args.plain {
        Some(dir) if args.one_sided => gen_plain(&args.input, dir, Flavor::PlainOneSided),
        Some(dir) => gen_plain(&args.input, dir, Flavor::Plain),
        None => gen_catalog(&args.input, args.check),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-catalog: {e}");
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

fn read_catalog(input: &Path) -> Result<Vec<catalog::Endpoint>, String> {
    let text = std::fs::read_to_string(input)
        .map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    catalog::parse(&text).map_err(|e| format!("{}: {e}", input.display()))
}

/// Writes (or, with `check`, compares) `wxpay-api`'s generated files and manifests.
fn gen_catalog(input: &Path, check: bool) -> Result<(), String> {
    let root = workspace_root();
    let endpoints = read_catalog(input)?;
    let groups = groups::generate(&endpoints, Flavor::Macros)?;
    let mut files: Vec<(PathBuf, String)> = groups
        .files
        .into_iter()
        .map(|(rel, content)| (root.join("wxpay-api").join(rel), content))
        .collect();
    files.push((
        root.join("wxpay-api/src/catalog.rs"),
        table::generate(&endpoints, &groups.types),
    ));
    let (api_lines, facade_lines) = manifests::feature_lines(&groups.features);
    for (manifest, lines) in [
        (root.join("wxpay-api/Cargo.toml"), &api_lines),
        (root.join("Cargo.toml"), &facade_lines),
    ] {
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        files.push((manifest, manifests::with_features(&text, lines)?));
    }
    let stale = write_files(files, check)?;
    if !stale.is_empty() {
        return Err(format!(
            "generated code differs from what the generator writes (run `cargo run -p xtask -- gen-catalog`): {}",
            stale.join(", ")
        ));
    }
    Ok(())
}

/// Writes the plain twin of `wxpay-api` into `dir`.
fn gen_plain(input: &Path, dir: &Path, flavor: Flavor) -> Result<(), String> {
    let root = workspace_root();
    let endpoints = read_catalog(input)?;
    let groups = groups::generate(&endpoints, flavor)?;
    let (api_lines, _) = manifests::feature_lines(&groups.features);
    let mut files = plain::crate_files(&root, &api_lines)?;
    files.push((
        "src/catalog.rs".into(),
        table::generate(&endpoints, &groups.types),
    ));
    files.extend(groups.files);
    let files = files
        .into_iter()
        .map(|(rel, content)| (dir.join(rel), content))
        .collect();
    write_files(files, false)?;
    Ok(())
}

/// Writes the files that differ (`.rs` files formatted first); with `check`, writes nothing
/// and returns the paths of those that differ.
fn write_files(files: Vec<(PathBuf, String)>, check: bool) -> Result<Vec<String>, String> {
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
    Ok(stale)
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
