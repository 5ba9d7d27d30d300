//! `wxpay notification verify`: checks a captured notification (headers and raw body) and
//! prints it decrypted.

use std::path::Path;

use clap::{Args, Subcommand};
use wxpay::http::{HeaderMap, HeaderName, HeaderValue};
use wxpay::notify::RawNotification;
use wxpay::verify::{SignatureHeaders, verify};
use wxpay::{Clock, SystemClock, VerifyError};

use crate::config::Settings;
use crate::error::CliError;
use crate::json::Json;
use crate::output;

#[derive(Subcommand, Debug)]
pub enum NotificationCommand {
    /// Verify a captured notification and print it decrypted
    #[command(after_help = "\
Needs the WeChat Pay key that signed it (public key or platform certificate) and the APIv3
key. Exit code 1, with the reason, when it fails verification: a WECHATPAY/SIGNTEST/ probe, a
bad signature, a timestamp more than 5 minutes away (see --now), an unknown key.

Example:
  curl -sS -D note.headers -o note.json …   # or save them from your web framework
  wxpay notification verify --headers note.headers --body note.json")]
    Verify(VerifyArgs),
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The notification's headers: "Name: value" lines (as curl -D writes them) or JSON
    #[arg(long, value_name = "FILE")]
    pub headers: String,

    /// The notification's body, byte for byte as received (- for standard input)
    #[arg(long, value_name = "FILE|-")]
    pub body: String,

    /// Print the decrypted notification as one JSON object
    #[arg(long)]
    pub json: bool,

    /// Check as if it were this Unix time, for a capture older than 5 minutes
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

pub fn run(settings: &Settings, command: NotificationCommand) -> Result<(), CliError> {
    let NotificationCommand::Verify(args) = command;
    let headers = parse_headers(&read(&args.headers, "--headers")?, &args.headers)?;
    let body = read(&args.body, "--body")?;
    let keys = settings.key_store()?;
    if keys.is_empty() {
        return Err(CliError::usage(
            "verifying a notification needs the WeChat Pay key that signed it: give \
             --public-key-id and --public-key, or --platform-cert (wxpay certificates --out \
             DIR downloads them)",
        ));
    }
    let apiv3_key = settings.require_apiv3_key("decrypting a notification")?;
    let now = args.now.unwrap_or_else(|| SystemClock.now());

    // The signature first, over the raw bytes; nothing is decrypted before it holds.
    verify(&keys, &headers, &body, now).map_err(|e| rejection(&e, &headers, &body))?;
    let signer = SignatureHeaders::from_headers(&headers)
        .map(|h| h.serial.to_string())
        .unwrap_or_default();

    let note: RawNotification = serde_json::from_slice(&body)
        .map_err(|e| CliError::from(wxpay::Error::json_decode("the notification", &e)))?;
    let plain = note
        .resource
        .decrypt(&apiv3_key)
        .map_err(|e| CliError::from(e).with_suffix(" (is the APIv3 key the right one?)"))?;
    let resource = Json::parse(&plain)
        .map_err(|_| CliError::failure("the decrypted resource is not JSON".to_string()))?;
    let original_type = note.resource.original_type.clone().unwrap_or_default();
    eprintln!("signature verified (Wechatpay-Serial {signer}); resource decrypted");
    if args.json {
        let s = |v: &str| Json::String(v.to_string());
        let out = Json::Object(vec![
            ("id".into(), s(&note.id)),
            ("create_time".into(), s(&note.create_time)),
            ("event_type".into(), s(&note.event_type)),
            ("resource_type".into(), s(&note.resource_type)),
            ("summary".into(), s(&note.summary)),
            ("original_type".into(), s(&original_type)),
            ("resource".into(), resource),
        ]);
        output::line(&out.pretty())
    } else {
        let mut text = String::new();
        for (name, value) in [
            ("id", &note.id),
            ("create_time", &note.create_time),
            ("event_type", &note.event_type),
            ("resource_type", &note.resource_type),
            ("summary", &note.summary),
            ("original_type", &original_type),
        ] {
            text.push_str(&format!("{name:<14} {value}\n"));
        }
        text.push_str("resource:\n");
        text.push_str(&resource.pretty());
        output::line(&text)
    }
}

/// The one line that says why a notification is refused, with what to do about it.
fn rejection(e: &VerifyError, headers: &HeaderMap, body: &[u8]) -> CliError {
    let hint = match e {
        VerifyError::SignTestProbe => {
            " (WeChat Pay sends these probes to check that merchants refuse them: answer with a \
             non-2xx status)"
                .to_string()
        }
        VerifyError::StaleTimestamp { .. } => match SignatureHeaders::from_headers(headers) {
            Ok(h) => format!(
                " (to check an old capture, give --now {}, its Wechatpay-Timestamp)",
                h.timestamp
            ),
            Err(_) => String::new(),
        },
        VerifyError::BadSignature if body.ends_with(b"\n") => {
            " (the body file ends with a line break: the signature covers the exact bytes \
             received)"
                .to_string()
        }
        VerifyError::UnknownSerial(_) => {
            " (configure that key: --public-key-id and --public-key, or --platform-cert)"
                .to_string()
        }
        _ => String::new(),
    };
    CliError::failure(format!("verification failed: {e}{hint}"))
}

fn read(source: &str, flag: &str) -> Result<Vec<u8>, CliError> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(Path::new(source))
        .map_err(|e| CliError::usage(format!("cannot read {flag} file {source}: {e}")))
}

/// `Name: value` lines (an HTTP status or request line is skipped; after a status line, the
/// headers start over, as curl -D writes one block per answer), or a JSON object.
fn parse_headers(bytes: &[u8], source: &str) -> Result<HeaderMap, CliError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| CliError::usage(format!("--headers {source}: not UTF-8 text")))?;
    let mut map = HeaderMap::new();
    let bad = |line: usize, what: &str| {
        CliError::usage(format!("--headers {source} line {line}: {what}"))
    };
    if text.trim_start().starts_with('{') {
        let json: Json = Json::parse(bytes)
            .map_err(|_| CliError::usage(format!("--headers {source}: not valid JSON")))?;
        let Json::Object(entries) = json else {
            return Err(CliError::usage(format!(
                "--headers {source}: expected a JSON object"
            )));
        };
        for (name, value) in entries {
            let Json::String(value) = value else {
                return Err(CliError::usage(format!(
                    "--headers {source}: the value of {name} is not a string"
                )));
            };
            insert(&mut map, &name, &value).map_err(|what| bad(1, &what))?;
        }
        return Ok(map);
    }
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with("HTTP/") {
            map.clear();
            continue;
        }
        if line
            .rsplit(' ')
            .next()
            .is_some_and(|v| v.starts_with("HTTP/"))
        {
            continue; // a request line: POST /notify HTTP/1.1
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad(i + 1, "expected Name: value"));
        };
        insert(&mut map, name.trim(), value.trim()).map_err(|what| bad(i + 1, &what))?;
    }
    Ok(map)
}

fn insert(map: &mut HeaderMap, name: &str, value: &str) -> Result<(), String> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("{name:?} is not a header name"))?;
    let value =
        HeaderValue::from_str(value).map_err(|_| format!("the value of {name} is not valid"))?;
    map.append(name, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_files() {
        let text = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nWechatpay-Serial: ABC\r\nwechatpay-nonce:  n1 \r\n\r\n";
        let map = parse_headers(text, "h").unwrap();
        assert_eq!(map.get("Wechatpay-Serial").unwrap(), "ABC");
        assert_eq!(map.get("Wechatpay-Nonce").unwrap(), "n1");
        assert_eq!(map.len(), 2);

        let req = b"POST /notify HTTP/1.1\nHost: x\nWechatpay-Timestamp: 1\n";
        assert_eq!(parse_headers(req, "h").unwrap().len(), 2);

        let json = br#"{"Wechatpay-Serial": "ABC", "Wechatpay-Timestamp": "1"}"#;
        assert_eq!(parse_headers(json, "h").unwrap().len(), 2);

        let err = parse_headers(b"Wechatpay-Serial ABC\n", "h").unwrap_err();
        assert!(err.message.contains("line 1"), "{}", err.message);
    }
}
