//! The plain twin of `wxpay-api` (`gen-catalog --plain DIR`), for `scripts/compile-cost.sh`:
//! the same module tree, features, field types, enums, `CATALOG` and `from_json` code, with
//! `#[derive(serde::Serialize, serde::Deserialize)]` instead of the wxpay macros and no wxpay
//! field attributes. A standalone crate (its own `[workspace]`), written outside the
//! repository's sources (under `target/`), never committed.

use std::path::Path;

/// Files relative to the twin's directory (besides the generated modules): the manifest,
/// `lib.rs`, and `Entry` and the runtime `from_json` needs, copied from `wxpay-api/src`.
pub fn crate_files(root: &Path, api_features: &str) -> Result<Vec<(String, String)>, String> {
    let read = |rel: &str| {
        let path = root.join(rel);
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let workspace = read("Cargo.toml")?;
    // The dependencies' profiles as in the workspace, so that they build alike.
    let profiles = workspace
        .find("\n[profile.")
        .map(|i| &workspace[i + 1..])
        .unwrap_or("");
    let manifest = format!(
        "# The plain twin of wxpay-api, written by `cargo run -p xtask -- gen-catalog --plain DIR`.\n\
         [package]\n\
         name = \"wxpay-api-plain\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\n\
         [workspace]\n\n\
         [lints.rust]\n\
         unexpected_cfgs = {{ level = \"allow\" }}\n\n\
         [dependencies]\n\
         wxpay-core = {{ path = {:?} }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\
         base64 = {:?}\n\n\
         [features]\n\
         {api_features}\n\
         {profiles}",
        root.join("wxpay-core").display().to_string(),
        dependency_version(&workspace, "base64")?,
    );
    Ok(vec![
        ("Cargo.toml".into(), manifest),
        ("src/lib.rs".into(), LIB_RS.into()),
        ("src/entry.rs".into(), read("wxpay-api/src/entry.rs")?),
        ("src/__rt.rs".into(), read("wxpay-api/src/__rt.rs")?),
        (
            "src/string_enum.rs".into(),
            read("wxpay-api/src/string_enum.rs")?,
        ),
    ])
}

/// The version of `name = "…"` in the workspace's dependencies.
fn dependency_version(manifest: &str, name: &str) -> Result<String, String> {
    let prefix = format!("{name} = \"");
    manifest
        .lines()
        .find_map(|l| l.strip_prefix(&prefix)?.strip_suffix('"'))
        .map(str::to_string)
        .ok_or_else(|| format!("no `{name} = \"…\"` in the workspace manifest"))
}

const LIB_RS: &str = r#"//! The plain twin of wxpay-api: the same declarations with plain serde derives.
#![allow(clippy::all, dead_code, unused_imports)]

#[doc(hidden)]
pub mod __rt;
mod catalog;
mod entry;
mod generated;
mod string_enum;

pub use catalog::CATALOG;
pub use entry::Entry;
pub use generated::*;
pub(crate) use string_enum::string_enum;

/// What a skipped upload field (`wxpay_core::File` is not serde) deserializes to.
fn __plain_file() -> ::wxpay_core::File {
    ::wxpay_core::File::new(String::new(), Vec::new())
}
"#;
