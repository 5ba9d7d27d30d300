//! `wxpay`: WeChat Pay APIv3 from the command line.
//!
//! - `wxpay call METHOD PATH`: any endpoint, signed, sensitive fields encrypted, the answer
//!   verified and printed; a catalog endpoint (`wxpay::api`) is built from its documented
//!   fields, so its keys are checked and its encrypted fields encrypted and decrypted;
//! - `wxpay api search WORD`, `wxpay api show METHOD PATH`: the catalog's endpoints;
//! - `wxpay certificates --out DIR`: the platform certificate downloader;
//! - `wxpay notification verify --headers FILE --body FILE`: checks and decrypts a
//!   notification.
//!
//! Exit codes: 0 success, 1 an API, verification or transport failure, 2 a usage or
//! configuration error. Errors are one line on stderr, `error: …`.
#![forbid(unsafe_code)]

mod call;
mod catalog;
mod certificates;
mod config;
mod error;
mod http;
mod json;
mod notification;
mod output;
mod time;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

use crate::config::{ConfigArgs, Settings};
use crate::error::{CliError, USAGE};

const AFTER_HELP: &str = "\
Environment: WXPAY_MCHID, WXPAY_MERCHANT_SERIAL, WXPAY_MERCHANT_KEY (path),
WXPAY_PUBLIC_KEY_ID, WXPAY_PUBLIC_KEY (path), WXPAY_PLATFORM_CERT (path), WXPAY_BASE_URL,
WXPAY_CONFIG (path), and for the APIv3 key WXPAY_APIV3_KEY (the key) or WXPAY_APIV3_KEY_FILE.

Exit codes: 0 success; 1 WeChat Pay answered an error, or an answer or notification failed
verification, or the host could not be reached; 2 usage or configuration error.

Examples:
  wxpay api search 退款
  wxpay api show POST v3/refund/domestic/refunds
  wxpay --config sandbox-keys/config.json call POST v3/security/echo --json echo.json
  wxpay call GET v3/pay/transactions/out-trade-no/1217752501201407033233368018 \\
        --query mchid=1230000109
  wxpay certificates --out certs/
  wxpay notification verify --headers note.headers --body note.json";

/// WeChat Pay APIv3 from the command line: signed calls, the platform certificate download,
/// notification checks.
#[derive(Parser, Debug)]
#[command(name = "wxpay", version, after_help = AFTER_HELP)]
#[command(arg_required_else_help = true, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send a request to any endpoint, signed, and print the verified answer
    #[command(after_help = "\
A catalog endpoint (`wxpay api search WORD`) is built from one JSON object of its documented
fields: the values in PATH (a template's placeholders may come in --json instead), its query
string and --query (as their documented types), --header, and the keys of --json. A missing
required key or an unknown key is refused before anything is sent; its documented encrypted
fields are encrypted, and those of the answer printed decrypted, with no flag. Uploads,
downloads, --file, --unsigned and --raw send as given, with --encrypt and --decrypt.

The status line goes to stderr, the body to stdout: JSON pretty-printed (keys in their order),
other bodies as they are, or to --output FILE. An error answer's body is printed too, and its
code on stderr (exit code 1). An answer that fails verification is not printed (exit code 1).

Examples:
  wxpay call POST v3/security/echo --json echo.json
  wxpay call GET 'v3/pay/transactions/id/4200000000000000?mchid=1230000109'
  wxpay call POST v3/x/undocumented --json x.json --encrypt /name --decrypt /answer_name
  echo '{\"mchid\":\"1230000109\"}' | wxpay call POST v3/pay/transactions/out-trade-no/T1/close --json -
  wxpay call GET v3/billdownload/file --query token=… --unsigned --output bill.csv.gz")]
    Call(call::CallArgs),
    /// The catalog's endpoints: search them, show their fields
    #[command(
        subcommand,
        after_help = "\
search prints one line per endpoint: METHOD, path, title and the wxpay::api type. show prints
the request's fields (path, query, headers, body or upload meta) and the answer's, nested, one
per line: name, type, required or optional, encrypted, JSON text, enum values. No
configuration is read. An endpoint or a word the catalog does not hold: exit code 2.

Examples:
  wxpay api search 退款
  wxpay api search refunds
  wxpay api show POST v3/refund/domestic/refunds"
    )]
    Api(catalog::ApiCommand),
    /// Download the platform certificates, verify and decrypt them, save them
    #[command(after_help = "\
GET v3/certificates, each certificate decrypted with the APIv3 key, the answer verified with a
key you configured or with the certificates it carries. Prints SERIAL, validity and file, one
line per certificate. A merchant in public-key mode has none: that is reported (exit code 0).

Example:
  wxpay certificates --out certs/
  wxpay --platform-cert certs/ notification verify --headers h.txt --body b.json")]
    Certificates(certificates::CertificatesArgs),
    /// Check notifications (callbacks) captured from WeChat Pay
    #[command(subcommand)]
    Notification(notification::NotificationCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    // The catalog needs no configuration.
    if let Command::Api(command) = cli.command {
        return catalog::run(command);
    }
    let settings = Settings::resolve(cli.config)?;
    match cli.command {
        Command::Api(command) => catalog::run(command),
        Command::Notification(command) => notification::run(&settings, command),
        Command::Call(args) => block_on(call::run(&settings, args)),
        Command::Certificates(args) => block_on(certificates::run(&settings, args)),
    }
}

fn block_on<F: Future<Output = Result<(), CliError>>>(future: F) -> Result<(), CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?
        .block_on(future)
}

/// Help and version as clap prints them; a usage error as one line, exit code 2.
fn clap_exit(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(USAGE))
        }
        _ => {
            eprintln!("{}", one_line(&e.render().to_string()));
            ExitCode::from(USAGE)
        }
    }
}

/// clap's error text (message, details, tip, usage) made one line: the message and its
/// details, then a pointer to --help.
fn one_line(text: &str) -> String {
    let mut message = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        if !message.is_empty() {
            message.push_str(if line.starts_with("tip:") { "; " } else { " " });
        }
        message.push_str(line);
    }
    if !message.starts_with("error:") {
        message.insert_str(0, "error: ");
    }
    message.push_str(" (see --help)");
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn clap_errors_become_one_line() {
        let e = Cli::try_parse_from(["wxpay", "call", "FETCH", "v3/x"]).unwrap_err();
        let line = one_line(&e.render().to_string());
        assert!(!line.contains('\n'));
        assert!(line.starts_with("error: invalid value 'FETCH'"), "{line}");

        let e =
            Cli::try_parse_from(["wxpay", "notification", "verify", "--body", "b"]).unwrap_err();
        let line = one_line(&e.render().to_string());
        assert!(line.contains("--headers <FILE>"), "{line}");
    }

    #[test]
    fn global_flags_anywhere() {
        let cli = Cli::try_parse_from([
            "wxpay", "call", "GET", "v3/x", "--mchid", "190", "--query", "a=1",
        ])
        .unwrap();
        assert_eq!(cli.config.mchid.as_deref(), Some("190"));
    }
}
