//! Configuration: flags, then environment variables (both through clap), then a JSON config
//! file. The sandbox's `config.json` is a valid config file.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use serde::Deserialize;
use wxpay::{
    ApiV3Key, Engine, FixedClock, KeyStore, MerchantKey, PlatformCertificate, WechatPayPublicKey,
};

use crate::error::CliError;

/// The environment variable holding the APIv3 key itself (never a flag: a flag would show
/// in process lists and shell history).
pub const APIV3_KEY_ENV: &str = "WXPAY_APIV3_KEY";
/// The environment variable naming a file that holds the APIv3 key.
pub const APIV3_KEY_FILE_ENV: &str = "WXPAY_APIV3_KEY_FILE";

/// Settings shared by every command. Each flag may also come from its environment variable,
/// then from the config file.
#[derive(Args, Debug, Default)]
#[command(next_help_heading = "Configuration (flags, else environment, else --config file)")]
pub struct ConfigArgs {
    /// JSON config file (the sandbox's config.json works); PEM paths in it are relative to it
    #[arg(
        long,
        global = true,
        env = "WXPAY_CONFIG",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,

    /// Merchant id
    #[arg(
        long,
        global = true,
        env = "WXPAY_MCHID",
        hide_env_values = true,
        value_name = "MCHID"
    )]
    pub mchid: Option<String>,

    /// Serial number of the merchant API certificate
    #[arg(
        long,
        global = true,
        env = "WXPAY_MERCHANT_SERIAL",
        hide_env_values = true,
        value_name = "SERIAL"
    )]
    pub merchant_serial: Option<String>,

    /// Merchant private key file (apiclient_key.pem)
    #[arg(
        long,
        global = true,
        env = "WXPAY_MERCHANT_KEY",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub merchant_key: Option<PathBuf>,

    /// Id of the WeChat Pay public key (PUB_KEY_ID_…)
    #[arg(
        long,
        global = true,
        env = "WXPAY_PUBLIC_KEY_ID",
        hide_env_values = true,
        value_name = "ID"
    )]
    pub public_key_id: Option<String>,

    /// WeChat Pay public key file (pub_key.pem)
    #[arg(
        long,
        global = true,
        env = "WXPAY_PUBLIC_KEY",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub public_key: Option<PathBuf>,

    /// Platform certificate file, or a folder of them (`wxpay certificates --out`); repeatable
    #[arg(
        long,
        global = true,
        env = "WXPAY_PLATFORM_CERT",
        hide_env_values = true,
        value_name = "FILE|DIR"
    )]
    pub platform_cert: Vec<PathBuf>,

    /// File holding the APIv3 key [env: WXPAY_APIV3_KEY (the key), WXPAY_APIV3_KEY_FILE]
    #[arg(long, global = true, value_name = "FILE")]
    pub apiv3_key_file: Option<PathBuf>,

    /// API host [default: https://api.mch.weixin.qq.com/]
    #[arg(
        long,
        global = true,
        env = "WXPAY_BASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub base_url: Option<String>,

    /// Seconds allowed to connect, and between two reads of an answer
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

/// The config file. Unknown fields are ignored (the sandbox writes a few more).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct ConfigFile {
    mchid: Option<String>,
    merchant_serial: Option<String>,
    /// Path of the merchant private key.
    merchant_key: Option<String>,
    wechatpay_public_key_id: Option<String>,
    /// Path of the WeChat Pay public key.
    wechatpay_public_key: Option<String>,
    /// Path(s) of platform certificates (files or folders).
    platform_cert: Option<OneOrMany>,
    apiv3_key: Option<String>,
    apiv3_key_file: Option<String>,
    base_url: Option<String>,
    /// The sandbox's form: `"files": {"merchant_key": "merchant_key.pem", …}`.
    files: ConfigFiles,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct ConfigFiles {
    merchant_key: Option<String>,
    wechatpay_public_key: Option<String>,
    platform_cert: Option<OneOrMany>,
}

#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// A secret and where it came from (for error messages); `Debug` does not show it.
pub struct Secret {
    value: Vec<u8>,
    source: String,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(*** from {})", self.source)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.value.iter_mut().for_each(|b| *b = 0);
    }
}

/// The resolved settings.
#[derive(Debug)]
pub struct Settings {
    pub mchid: Option<String>,
    pub merchant_serial: Option<String>,
    pub merchant_key: Option<PathBuf>,
    pub public_key_id: Option<String>,
    pub public_key: Option<PathBuf>,
    pub platform_certs: Vec<PathBuf>,
    pub apiv3_key: Option<Secret>,
    pub base_url: String,
    pub timeout: Duration,
}

impl Settings {
    /// Resolves flags and environment (already merged by clap) over the config file.
    pub fn resolve(args: ConfigArgs) -> Result<Settings, CliError> {
        let (file, dir) = match &args.config {
            Some(path) => {
                let text = std::fs::read(path).map_err(|e| {
                    CliError::usage(format!("cannot read config file {}: {e}", path.display()))
                })?;
                let file: ConfigFile = serde_json::from_slice(&text).map_err(|e| {
                    CliError::usage(format!(
                        "config file {}: {}",
                        path.display(),
                        describe_json_error(&e)
                    ))
                })?;
                let dir = path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from("."));
                (file, dir)
            }
            None => (ConfigFile::default(), PathBuf::new()),
        };
        let rel = |p: String| dir.join(p);

        let apiv3_key = match &args.apiv3_key_file {
            Some(path) => Some(read_key_file(path, "--apiv3-key-file")?),
            None => match env_value(APIV3_KEY_ENV) {
                Some(value) => Some(Secret {
                    value: value.into_bytes(),
                    source: APIV3_KEY_ENV.into(),
                }),
                None => match env_value(APIV3_KEY_FILE_ENV) {
                    Some(path) => Some(read_key_file(Path::new(&path), APIV3_KEY_FILE_ENV)?),
                    None => match (file.apiv3_key, file.apiv3_key_file) {
                        (Some(value), _) => Some(Secret {
                            value: value.into_bytes(),
                            source: "apiv3_key of the config file".into(),
                        }),
                        (None, Some(path)) => Some(read_key_file(
                            &rel(path),
                            "apiv3_key_file of the config file",
                        )?),
                        (None, None) => None,
                    },
                },
            },
        };

        let platform_certs = if args.platform_cert.is_empty() {
            file.platform_cert
                .or(file.files.platform_cert)
                .map(OneOrMany::into_vec)
                .unwrap_or_default()
                .into_iter()
                .map(rel)
                .collect()
        } else {
            args.platform_cert
        };

        let base_url = args
            .base_url
            .or(file.base_url)
            .unwrap_or_else(|| wxpay::DEFAULT_BASE_URL.to_string());
        Ok(Settings {
            mchid: args.mchid.or(file.mchid),
            merchant_serial: args.merchant_serial.or(file.merchant_serial),
            merchant_key: args
                .merchant_key
                .or_else(|| file.merchant_key.or(file.files.merchant_key).map(rel)),
            public_key_id: args.public_key_id.or(file.wechatpay_public_key_id),
            public_key: args.public_key.or_else(|| {
                file.wechatpay_public_key
                    .or(file.files.wechatpay_public_key)
                    .map(rel)
            }),
            platform_certs,
            apiv3_key,
            base_url: check_base_url(&base_url)?,
            timeout: Duration::from_secs(args.timeout.max(1)),
        })
    }

    /// The APIv3 key, checked.
    pub fn apiv3_key(&self) -> Result<Option<ApiV3Key>, CliError> {
        self.apiv3_key
            .as_ref()
            .map(|s| {
                ApiV3Key::new(&s.value)
                    .map_err(|e| CliError::usage(format!("the APIv3 key from {}: {e}", s.source)))
            })
            .transpose()
    }

    /// The APIv3 key, required by `what`.
    pub fn require_apiv3_key(&self, what: &str) -> Result<ApiV3Key, CliError> {
        self.apiv3_key()?.ok_or_else(|| {
            CliError::usage(format!(
                "{what} needs the APIv3 key: set {APIV3_KEY_ENV}, give --apiv3-key-file FILE, \
                 or put \"apiv3_key\" in the config file"
            ))
        })
    }

    /// The WeChat Pay keys configured: the public key and the platform certificates.
    pub fn key_store(&self) -> Result<KeyStore, CliError> {
        let mut store = KeyStore::new();
        match (&self.public_key_id, &self.public_key) {
            (Some(id), Some(path)) => {
                let pem = read_file(path, "WeChat Pay public key")?;
                let key = WechatPayPublicKey::new(id.as_str(), &pem)
                    .map_err(|e| CliError::usage(format!("{}: {}", path.display(), bare(&e))))?;
                store.set_public_key(key);
            }
            (Some(_), None) => {
                return Err(CliError::usage(
                    "a public key id is set but no public key file: give --public-key FILE \
                     (WXPAY_PUBLIC_KEY)",
                ));
            }
            (None, Some(_)) => {
                return Err(CliError::usage(
                    "a public key file is set but not its id: give --public-key-id PUB_KEY_ID_… \
                     (WXPAY_PUBLIC_KEY_ID)",
                ));
            }
            (None, None) => {}
        }
        for path in &self.platform_certs {
            for file in pem_files(path)? {
                let pem = read_file(&file, "platform certificate")?;
                let cert = PlatformCertificate::new(&pem)
                    .map_err(|e| CliError::usage(format!("{}: {}", file.display(), bare(&e))))?;
                store.add_certificate(cert);
            }
        }
        Ok(store)
    }

    /// The engine of the merchant: mchid, merchant key, the WeChat Pay keys configured (maybe
    /// none) and the APIv3 key if there is one.
    pub fn engine(&self, now: Option<i64>) -> Result<Engine, CliError> {
        let mchid = self.mchid.as_deref().ok_or_else(|| {
            CliError::usage(
                "no merchant id: give --mchid, set WXPAY_MCHID, or put \"mchid\" in the config file",
            )
        })?;
        let serial = self.merchant_serial.as_deref().ok_or_else(|| {
            CliError::usage(
                "no merchant certificate serial: give --merchant-serial, set \
                 WXPAY_MERCHANT_SERIAL, or put \"merchant_serial\" in the config file",
            )
        })?;
        let key_path = self.merchant_key.as_deref().ok_or_else(|| {
            CliError::usage(
                "no merchant private key: give --merchant-key FILE, set WXPAY_MERCHANT_KEY, \
                 or put \"merchant_key\" in the config file",
            )
        })?;
        let pem = read_file(key_path, "merchant private key")?;
        // Read here first so that an error names the file.
        MerchantKey::new(serial, &pem)
            .map_err(|e| CliError::usage(format!("{}: {}", key_path.display(), bare(&e))))?;
        let store = self.key_store()?;
        let mut builder = Engine::builder().mchid(mchid).merchant_key(serial, &pem);
        if let Some(secret) = &self.apiv3_key {
            // Checked here so that an error names where the key came from.
            self.apiv3_key()?;
            builder = builder.apiv3_key(&secret.value);
        }
        if let Some(now) = now {
            builder = builder.clock(FixedClock(now));
        }
        let engine = builder.build(true)?;
        engine.set_key_store(store);
        Ok(engine)
    }
}

/// A `wxpay::Error` without its category prefix, for messages that already say what failed.
pub fn bare(e: &wxpay::Error) -> String {
    match e {
        wxpay::Error::Config(c) => c.to_string(),
        wxpay::Error::Transport(wxpay::TransportError::Other(message)) => message.clone(),
        other => other.to_string(),
    }
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|e| CliError::usage(format!("cannot read {what} file {}: {e}", path.display())))
}

/// Reads a key file; surrounding white space (a final line break) is not part of the key.
fn read_key_file(path: &Path, source: &str) -> Result<Secret, CliError> {
    let mut bytes = read_file(path, "APIv3 key")?;
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    let value = bytes[start..end].to_vec();
    bytes.iter_mut().for_each(|b| *b = 0);
    Ok(Secret {
        value,
        source: format!("{source} ({})", path.display()),
    })
}

/// A file, or the `*.pem` files of a folder (sorted).
fn pem_files(path: &Path) -> Result<Vec<PathBuf>, CliError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        CliError::usage(format!(
            "cannot read certificate folder {}: {e}",
            path.display()
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "pem"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CliError::usage(format!(
            "certificate folder {} holds no .pem file",
            path.display()
        )));
    }
    Ok(files)
}

/// An absolute http(s) URL, with a final `/` added when missing.
fn check_base_url(url: &str) -> Result<String, CliError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !host.starts_with('/') && !url.contains(['?', '#', ' ']) =>
        {
            Ok(if url.ends_with('/') {
                url.to_string()
            } else {
                format!("{url}/")
            })
        }
        _ => Err(CliError::usage(format!(
            "base URL {url:?} must be an absolute http:// or https:// URL, such as \
             https://api.mch.weixin.qq.com/"
        ))),
    }
}

/// serde_json's message without any quoted input (a config file holds the APIv3 key).
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io => "cannot be read",
        Category::Syntax | Category::Eof => "is not valid JSON",
        Category::Data => "does not have the expected shape (strings for ids, paths and keys)",
    };
    format!("{what} (line {}, column {})", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            check_base_url("https://api.mch.weixin.qq.com/").unwrap(),
            "https://api.mch.weixin.qq.com/"
        );
        assert!(check_base_url("api.mch.weixin.qq.com").is_err());
        assert!(check_base_url("https://").is_err());
        assert!(check_base_url("https://x/?a").is_err());
    }

    #[test]
    fn secrets_do_not_debug() {
        let s = Secret {
            value: b"0123456789abcdef0123456789abcdef".to_vec(),
            source: "test".into(),
        };
        assert!(!format!("{s:?}").contains("0123"));
    }
}
