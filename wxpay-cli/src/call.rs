//! `wxpay call METHOD PATH`: any endpoint, signed, its answer verified.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use wxpay::{CertificateAnswer, Method, RequestParts};

use crate::catalog::{self, Documented};
use crate::certificates;
use crate::config::Settings;
use crate::error::CliError;
use crate::http::{self, Answer, size};
use crate::json::Json;
use crate::output;

#[derive(Args, Debug)]
pub struct CallArgs {
    /// GET, POST, PUT, PATCH or DELETE
    #[arg(value_parser = parse_method)]
    pub method: Method,

    /// Path of the endpoint, such as v3/refund/domestic/refunds/R1 (segments sent as given);
    /// for a catalog endpoint, a query string may follow (`?sub_mchid=1900000109`)
    pub path: String,

    /// JSON body, from FILE or from standard input (-); with --file, the upload's meta; for a
    /// catalog endpoint, the object of its fields
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,

    /// Upload FILE as multipart, in part PART (default `file`, or a catalog endpoint's
    /// documented part); the signature covers the meta (--json, or {}), which gets `filename`
    /// and `sha256` of the file unless it has (or, in the catalog, documents) `file_name`,
    /// `file_digest` or `digest`
    #[arg(long, value_name = "[PART=]FILE")]
    pub file: Option<String>,

    /// Query parameter, percent-encoded for you; repeatable, order kept
    #[arg(long, short = 'q', value_name = "NAME=VALUE")]
    pub query: Vec<String>,

    /// Extra request header; repeatable
    #[arg(long, short = 'H', value_name = "NAME=VALUE")]
    pub header: Vec<String>,

    /// Encrypt the body's string at this JSON pointer with the WeChat Pay key; repeatable
    #[arg(long, value_name = "/JSON/POINTER", requires = "json")]
    pub encrypt: Vec<String>,

    /// Decrypt the answer's string at this JSON pointer with the merchant key; repeatable
    #[arg(long, value_name = "/JSON/POINTER", conflicts_with = "output")]
    pub decrypt: Vec<String>,

    /// The answer is an unsigned download (bill, receipt, image): do not verify it (a
    /// catalog download is known as one without it; with it, it is sent as given)
    #[arg(long)]
    pub unsigned: bool,

    /// Send a catalog endpoint as given: its keys not checked, only the --encrypt fields
    /// encrypted and the --decrypt fields decrypted
    #[arg(long)]
    pub raw: bool,

    /// Write the answer's body to FILE instead of printing it: byte for byte, or for a catalog
    /// endpoint's JSON answer, as it would be printed (decrypted)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_method(text: &str) -> Result<Method, String> {
    match text.to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::Get),
        "POST" => Ok(Method::Post),
        "PUT" => Ok(Method::Put),
        "PATCH" => Ok(Method::Patch),
        "DELETE" => Ok(Method::Delete),
        _ => Err("expected GET, POST, PUT, PATCH or DELETE".into()),
    }
}

pub async fn run(settings: &Settings, args: CallArgs) -> Result<(), CliError> {
    // Everything the command line says is checked before any key is read or byte sent.
    let documented = (!args.raw && !args.unsigned)
        .then(|| Documented::find(args.method.as_str(), &args.path))
        .flatten();
    if let Some(doc) = documented {
        return run_documented(settings, args, &doc).await;
    }
    let path = encode_path(&args.path)?;
    let query = pairs(&args.query, "--query", false)?;
    let headers = pairs(&args.header, "--header", true)?;
    for pointer in args.encrypt.iter().chain(&args.decrypt) {
        if !pointer.starts_with('/') {
            return Err(CliError::usage(format!(
                "{pointer:?} is not a JSON pointer: it starts with '/', as in /payer/name"
            )));
        }
    }
    let mut body = args.json.as_deref().map(read_json).transpose()?;
    let upload = args.file.as_deref().map(read_upload).transpose()?;
    let upload = upload.map(|(part, file)| (part.unwrap_or_else(|| "file".into()), file));
    if upload.is_some() && !matches!(args.method, Method::Post | Method::Put | Method::Patch) {
        return Err(CliError::usage("--file needs POST, PUT or PATCH"));
    }
    if upload.is_some() && !matches!(body, None | Some(Json::Object(_))) {
        return Err(CliError::usage(
            "--json: the meta of an upload must be a JSON object",
        ));
    }

    let client = client_with_keys(settings).await?;
    let engine = client.engine();

    // One key encrypts every field, and its id is the Wechatpay-Serial, sent on every request
    // (it also tells WeChat Pay which key to sign the answer with).
    let encryptor = engine.key_store().encryptor(engine.now());
    let serial = encryptor
        .as_ref()
        .map(|e| e.id().to_string())
        .unwrap_or_default();
    if let Some(body) = &mut body {
        for pointer in &args.encrypt {
            let encryptor = encryptor
                .as_ref()
                .map_err(|e| CliError::usage(format!("--encrypt needs a WeChat Pay key: {e}")))?;
            match body.pointer_mut(pointer) {
                // Empty values are sent as they are, as the official SDKs do.
                Some(Json::String(text)) if text.is_empty() => {}
                Some(Json::String(text)) => {
                    *text = encryptor
                        .encrypt(text)
                        .map_err(|e| CliError::usage(format!("--encrypt {pointer}: {e}")))?;
                }
                Some(_) => {
                    return Err(CliError::usage(format!(
                        "--encrypt {pointer}: the value there is not a string"
                    )));
                }
                None => {
                    return Err(CliError::usage(format!(
                        "--encrypt {pointer}: the body has no value there"
                    )));
                }
            }
        }
    }

    let mut parts = RequestParts::new();
    parts.push_path(&path);
    for (name, value) in &query {
        parts.push_query(name, value.as_str())?;
    }
    for (name, value) in &headers {
        parts.push_header(name, value.as_str())?;
    }
    match (&upload, &body) {
        (Some((part, file)), meta) => {
            let meta = meta.clone().unwrap_or(Json::Object(Vec::new()));
            let own_digest = match &meta {
                Json::Object(entries) => entries
                    .iter()
                    .any(|(k, _)| wxpay::endpoint::OWN_FILE_FIELDS.contains(&k.as_str())),
                _ => false,
            };
            parts.set_upload(&meta, part, file, !own_digest)?;
        }
        (None, Some(body)) => parts.set_json_body(body)?,
        (None, None) => {}
    }
    let prepared = engine.sign_parts(args.method, &settings.base_url, parts, &serial)?;

    // Unsigned downloads go straight to the file; anything verified is read whole first.
    let stream_to = args.output.as_deref().filter(|_| args.unsigned);
    let answer = exchange(&client, &prepared, stream_to, args.unsigned).await?;
    save_or_print(&args, &answer, engine)
}

/// The answer's body to `--output` (unless already streamed there), else printed.
fn save_or_print(args: &CallArgs, answer: &Answer, engine: &wxpay::Engine) -> Result<(), CliError> {
    match (&args.output, answer.saved) {
        (Some(path), Some(written)) => {
            eprintln!("wrote {} to {}", size(written), path.display());
        }
        (Some(path), None) => {
            std::fs::write(path, &answer.body)
                .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))?;
            eprintln!(
                "wrote {} to {}",
                size(answer.body.len() as u64),
                path.display()
            );
        }
        (None, _) => print_body(&answer.body, engine, &args.decrypt)?,
    }
    Ok(())
}

/// Sends `prepared` and reads the answer: an error answer's body printed and its error
/// returned, a 2xx answer verified (unless `unsigned`), its status line on stderr.
async fn exchange(
    client: &wxpay::Client,
    prepared: &wxpay::PreparedRequest,
    stream_to: Option<&Path>,
    unsigned: bool,
) -> Result<Answer, CliError> {
    let engine = client.engine();
    let answer = http::send(client, prepared, stream_to).await?;
    if !answer.is_success() {
        // The error body on stdout (as `gh api` does), the error line on stderr.
        print_body(&answer.body, engine, &[])?;
        return Err(wxpay::api_error(answer.status, &answer.headers, &answer.body).into());
    }
    let signer = if unsigned {
        None
    } else {
        engine
            .verify(&answer.headers, &answer.body)
            .map_err(|e| verification_error(&e, &answer))?;
        answer
            .headers
            .get("Wechatpay-Serial")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    eprintln!("{}", status_line(&answer, signer.as_deref()));
    Ok(answer)
}

/// A catalog endpoint: the typed request built from the path, query, headers, --json and --file
/// (its keys checked, its documented encrypted fields encrypted), the answer verified and
/// printed with its documented encrypted fields decrypted.
async fn run_documented(
    settings: &Settings,
    args: CallArgs,
    doc: &Documented,
) -> Result<(), CliError> {
    let name = doc.name();
    if !args.encrypt.is_empty() || !args.decrypt.is_empty() {
        return Err(CliError::usage(format!(
            "{name} is in the catalog: its documented fields are encrypted and decrypted \
             without --encrypt or --decrypt (--raw sends it as given)"
        )));
    }
    let typed = wxpay::api::dynamic::find(args.method.as_str(), &args.path)
        .ok_or_else(|| CliError::failure(format!("{name}: not compiled into this wxpay")))?;
    let (path, mut query) = match args.path.split_once('?') {
        Some((path, query)) => (path, query_pairs(query)),
        None => (args.path.as_str(), Vec::new()),
    };
    query.extend(pairs(&args.query, "--query", false)?);
    let headers = pairs(&args.header, "--header", true)?;
    // The headers wxpay sets itself are refused as for any call.
    let mut check = RequestParts::new();
    for (name, value) in &headers {
        check.push_header(name, value.as_str())?;
    }
    let body = args.json.as_deref().map(read_json).transpose()?;
    let mut value = doc.request(path, &query, &headers, body)?;
    match (&args.file, doc.file_part()) {
        (Some(arg), _) => {
            let (part, file) = read_upload(arg)?;
            doc.attach_file(&mut value, part.as_deref(), &file)?;
        }
        (None, Some(part)) => {
            return Err(CliError::usage(format!(
                "{name} uploads a file (part `{part}`): give --file FILE"
            )));
        }
        (None, None) => {}
    }
    let refused = |e: wxpay::Error| match e {
        wxpay::Error::Encode(message) => CliError::usage(format!(
            "{name}: {message} (`wxpay api show {name}` lists its fields; --raw sends it \
             as given)"
        )),
        other => other.into(),
    };
    // Checked before anything is sent, certificate downloads included.
    typed.check(value.clone()).map_err(refused)?;

    let client = client_with_keys(settings).await?;
    let engine = client.engine();
    // The endpoint's own host (Hong Kong endpoints) unless another one is configured.
    let base_url = Some(settings.base_url.as_str()).filter(|b| *b != wxpay::DEFAULT_BASE_URL);
    let prepared = typed.prepare(value, engine, base_url).map_err(refused)?;
    if doc.is_download() {
        // A file, unsigned as WeChat Pay sends downloads: streamed to --output, or printed.
        let answer = exchange(&client, &prepared, args.output.as_deref(), true).await?;
        return save_or_print(&args, &answer, engine);
    }
    let answer = exchange(&client, &prepared, None, false).await?;
    let plain = typed.read(engine, answer.status, &answer.headers, &answer.body)?;
    let text = match (Json::parse(&answer.body), plain) {
        (Ok(raw), plain) => catalog::overlay(raw, &plain).pretty(),
        (Err(_), serde_json::Value::Null) => return print_body(&answer.body, engine, &[]),
        (Err(_), plain) => serde_json::to_string_pretty(&plain).unwrap_or_default(),
    };
    match &args.output {
        Some(path) => {
            let bytes = format!("{text}\n");
            std::fs::write(path, &bytes)
                .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {} to {}", size(bytes.len() as u64), path.display());
            Ok(())
        }
        None => output::line(&text),
    }
}

/// A client for `settings` that holds a WeChat Pay key: the configured one, else the platform
/// certificates downloaded first.
async fn client_with_keys(settings: &Settings) -> Result<wxpay::Client, CliError> {
    let client = http::client(settings.engine(None)?, settings.timeout)?;
    let engine = client.engine();
    if engine.key_store().is_empty() {
        // Nothing to verify answers with: fetch the platform certificates first.
        settings.require_apiv3_key(
            "a call without a WeChat Pay key (--public-key-id and --public-key, or \
             --platform-cert)",
        )?;
        let download = certificates::download(&client, &settings.base_url).await?;
        match download.answer {
            CertificateAnswer::Certificates(certs) => {
                eprintln!(
                    "note: no WeChat Pay key configured; using the {} platform certificate(s) \
                     just downloaded",
                    certs.len()
                );
                engine.install_certificates(certs);
            }
            CertificateAnswer::PublicKeyMode => {
                return Err(CliError::usage(
                    "this merchant is in public-key mode (it has no platform certificates): \
                     give --public-key-id and --public-key (WXPAY_PUBLIC_KEY_ID, \
                     WXPAY_PUBLIC_KEY)",
                ));
            }
        }
    }
    Ok(client)
}

/// `a=1&b=%20` of a PATH: the pairs, decoded.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            (
                catalog::percent_decode(name),
                catalog::percent_decode(value),
            )
        })
        .collect()
}

fn verification_error(e: &wxpay::VerifyError, answer: &Answer) -> CliError {
    let request_id = answer
        .request_id()
        .map(|id| format!(" (Request-ID {id})"))
        .unwrap_or_default();
    let hint = match e {
        wxpay::VerifyError::UnknownSerial(_) => {
            "; configure that key, or run `wxpay certificates` if the platform certificate rotated"
        }
        wxpay::VerifyError::MissingHeader(_) => {
            "; if this endpoint is an unsigned download (bill, receipt, image), add --unsigned"
        }
        _ => "",
    };
    CliError::failure(format!(
        "verification failed: {e}{request_id}; the answer is not trusted and not printed{hint}"
    ))
}

fn status_line(answer: &Answer, signer: Option<&str>) -> String {
    let reason = wxpay::http::StatusCode::from_u16(answer.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut line = format!("HTTP {} {reason}", answer.status);
    let mut notes = Vec::new();
    if let Some(id) = answer.request_id() {
        notes.push(format!("Request-ID {id}"));
    }
    notes.push(match signer {
        Some(serial) => format!("signature verified, Wechatpay-Serial {serial}"),
        None => "unsigned, not verified".to_string(),
    });
    let _ = write!(line, " ({})", notes.join("; "));
    line
}

/// Prints a body: JSON pretty (keys in their order, `decrypt` pointers decrypted), anything
/// else as it is.
fn print_body(body: &[u8], engine: &wxpay::Engine, decrypt: &[String]) -> Result<(), CliError> {
    if body.is_empty() {
        return Ok(());
    }
    let Ok(mut json) = Json::parse(body) else {
        if !decrypt.is_empty() {
            return Err(CliError::failure(
                "--decrypt: the answer is not JSON".to_string(),
            ));
        }
        return output::stdout(body);
    };
    for pointer in decrypt {
        match json.pointer_mut(pointer) {
            Some(Json::String(text)) if text.is_empty() => {}
            Some(Json::String(text)) => {
                *text = engine.merchant_key().decrypt(text).map_err(|e| {
                    CliError::failure(format!(
                        "--decrypt {pointer}: cannot decrypt with the merchant key: {e}"
                    ))
                })?;
            }
            _ => {
                return Err(CliError::failure(format!(
                    "--decrypt {pointer}: the answer has no string there"
                )));
            }
        }
    }
    output::line(&json.pretty())
}

/// `--file [PART=]FILE`: the part name if given, and the file, read whole (uploads are at
/// most a few MiB: images, videos, PDFs).
fn read_upload(arg: &str) -> Result<(Option<String>, wxpay::File), CliError> {
    let (part, path) = match arg.split_once('=') {
        Some((part, path)) if !part.is_empty() && !part.contains(['/', '.']) => (Some(part), path),
        _ => (None, arg),
    };
    let path = std::path::Path::new(path);
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::usage(format!("cannot read --file {}: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((part.map(str::to_string), wxpay::File::new(name, bytes)))
}

fn read_json(source: &str) -> Result<Json, CliError> {
    let bytes = if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
        bytes
    } else {
        std::fs::read(source)
            .map_err(|e| CliError::usage(format!("cannot read --json file {source}: {e}")))?
    };
    Json::parse(&bytes).map_err(|e| {
        CliError::usage(format!(
            "--json {source}: not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// The path as signed and sent: given segments are kept, characters that may not appear in a
/// URL path are percent-encoded (the HTTP stack would encode them after signing otherwise).
fn encode_path(path: &str) -> Result<String, CliError> {
    if path.contains("://") {
        return Err(CliError::usage(format!(
            "PATH {path:?} is a URL: give the path only (v3/…) and the host with --base-url"
        )));
    }
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        return Err(CliError::usage("PATH is empty; it looks like v3/…"));
    }
    if let Some(c) = path.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(CliError::usage(format!(
            "PATH holds {c:?}: give query parameters with --query NAME=VALUE"
        )));
    }
    if path.split('/').any(|s| s == "." || s == "..") {
        return Err(CliError::usage(
            "PATH holds a '.' or '..' segment, which HTTP stacks rewrite",
        ));
    }
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Ok(out)
}

/// `NAME=VALUE` pairs (headers also take `NAME: VALUE`).
fn pairs(items: &[String], flag: &str, header: bool) -> Result<Vec<(String, String)>, CliError> {
    items
        .iter()
        .map(|item| {
            let at = if header {
                item.find([':', '='])
            } else {
                item.find('=')
            };
            match at {
                Some(i) if i > 0 => {
                    let (name, value) = (&item[..i], &item[i + 1..]);
                    Ok(if header {
                        (name.trim().to_string(), value.trim().to_string())
                    } else {
                        (name.to_string(), value.to_string())
                    })
                }
                _ => Err(CliError::usage(format!(
                    "{flag} {item:?}: expected NAME=VALUE"
                ))),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            encode_path("/v3/pay/transactions/out-trade-no/A%2FB").unwrap(),
            "v3/pay/transactions/out-trade-no/A%2FB"
        );
        assert_eq!(encode_path("v3/x/a b/中").unwrap(), "v3/x/a%20b/%E4%B8%AD");
        assert_eq!(encode_path("v3/x/").unwrap(), "v3/x/");
        assert!(encode_path("v3/x?a=1").is_err());
        assert!(encode_path("https://api.mch.weixin.qq.com/v3/x").is_err());
        assert!(encode_path("v3/../x").is_err());
        assert!(encode_path("/").is_err());
    }

    #[test]
    fn name_value_pairs() {
        let q = pairs(&["a=1=2".into(), "b=".into()], "--query", false).unwrap();
        assert_eq!(q, vec![("a".into(), "1=2".into()), ("b".into(), "".into())]);
        let h = pairs(&["X-A: 1".into(), "X-B=2".into()], "--header", true).unwrap();
        assert_eq!(
            h,
            vec![("X-A".into(), "1".into()), ("X-B".into(), "2".into())]
        );
        assert!(pairs(&["novalue".into()], "--query", false).is_err());
        assert!(pairs(&["=x".into()], "--query", false).is_err());
    }

    #[test]
    fn methods() {
        assert_eq!(parse_method("post"), Ok(Method::Post));
        assert!(parse_method("FETCH").is_err());
    }
}
