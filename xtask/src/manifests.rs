//! The generated feature lists of `wxpay-api/Cargo.toml` (one per group, and `api` for all)
//! and of the facade's `Cargo.toml` (`api-<group>` forwarding to `wxpay-api`).

/// `(wxpay-api lines, facade lines)` for `features` as `groups::Groups::features`.
pub fn feature_lines(features: &[(String, String)]) -> (String, String) {
    let all: Vec<String> = features.iter().map(|(f, _)| format!("{f:?}")).collect();
    let mut api_lines = format!("## Every group.\napi = [{}]\n", all.join(", "));
    let mut facade_lines = api_lines.clone();
    for (feature, group) in features {
        api_lines.push_str(&format!("## `v3/{group}/…`.\n{feature} = []\n"));
        facade_lines.push_str(&format!(
            "## `wxpay::api`: `v3/{group}/…`.\n{feature} = [\"wxpay-api/{feature}\"]\n"
        ));
    }
    (api_lines, facade_lines)
}

/// Replaces the lines between `# BEGIN generated api features` and `# END …` of a manifest.
pub fn with_features(manifest: &str, lines: &str) -> Result<String, String> {
    let begin = "# BEGIN generated api features";
    let end = "# END generated api features";
    let b = manifest
        .find(begin)
        .ok_or("manifest has no BEGIN generated api features marker")?;
    let b = b + manifest[b..].find('\n').ok_or("marker line")? + 1;
    let e = manifest.find(end).ok_or("manifest has no END marker")?;
    Ok(format!("{}{}{}", &manifest[..b], lines, &manifest[e..]))
}
