//! The files [`Sandbox::write_keys`](crate::Sandbox::write_keys) writes: the PEM files and
//! `config.json`, the public settings that `GET /_sandbox/config` also serves.

use std::path::Path;

use serde_json::{Value, json};

use crate::state::Shared;

const MERCHANT_KEY_FILE: &str = "merchant_key.pem";
const MERCHANT_CERT_FILE: &str = "merchant_cert.pem";
const MERCHANT_PUBLIC_KEY_FILE: &str = "merchant_public_key.pem";
const WECHATPAY_PUBLIC_KEY_FILE: &str = "wechatpay_public_key.pem";
const PLATFORM_CERT_FILE: &str = "platform_cert.pem";

/// The public settings, as written to `config.json`.
pub(crate) fn config_json(shared: &Shared) -> Value {
    let id = &shared.identity;
    let state = shared.state();
    json!({
        "mchid": id.mchid,
        "merchant_serial": id.merchant_serial,
        "wechatpay_public_key_id": id.wechatpay.id,
        "platform_certificate_serial": state.platform.last().map(|c| c.serial.clone()),
        "apiv3_key": id.apiv3_key,
        "base_url": shared.base_url,
        "files": {
            "merchant_key": MERCHANT_KEY_FILE,
            "merchant_cert": MERCHANT_CERT_FILE,
            "merchant_public_key": MERCHANT_PUBLIC_KEY_FILE,
            "wechatpay_public_key": WECHATPAY_PUBLIC_KEY_FILE,
            "platform_cert": PLATFORM_CERT_FILE,
        },
    })
}

/// Writes the PEM files into `dir` (created if needed), then `config.json`, last and
/// atomically, so that a reader that sees `config.json` finds every file.
pub(crate) fn write_keys(shared: &Shared, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let id = &shared.identity;
    write_private(&dir.join(MERCHANT_KEY_FILE), &id.merchant_private_pem)?;
    std::fs::write(dir.join(MERCHANT_CERT_FILE), &id.merchant_cert_pem)?;
    std::fs::write(dir.join(MERCHANT_PUBLIC_KEY_FILE), &id.merchant_public_pem)?;
    std::fs::write(
        dir.join(WECHATPAY_PUBLIC_KEY_FILE),
        &id.wechatpay.public_pem,
    )?;
    std::fs::write(
        dir.join(PLATFORM_CERT_FILE),
        &shared.newest_certificate().pem,
    )?;
    let config =
        serde_json::to_string_pretty(&config_json(shared)).map_err(std::io::Error::other)?;
    let tmp = dir.join(".config.json.tmp");
    std::fs::write(&tmp, config + "\n")?;
    std::fs::rename(tmp, dir.join("config.json"))
}

/// Writes a private key readable by the owner only (on Unix).
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, contents.as_bytes())
}
