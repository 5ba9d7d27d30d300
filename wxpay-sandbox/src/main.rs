//! `wxpay-sandbox`: a local WeChat Pay APIv3 server for testing clients in any language.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use wxpay_sandbox::{KeyMode, Sandbox};

const USAGE: &str = "\
wxpay-sandbox: a local WeChat Pay APIv3 server with fresh keys

USAGE:
    wxpay-sandbox [--listen ADDR] [--keys DIR] [--mchid MCHID] [--mode MODE] [--workers N]
                  [--allow-notify-host HOST]... [--notify-speedup N] [--notify-timeout-ms MS]

OPTIONS:
    --listen ADDR   address to listen on (default 127.0.0.1:8080; port 0 picks a free one)
    --keys DIR      write config.json and the PEM files into DIR (created if needed):
                    merchant_key.pem, merchant_cert.pem, merchant_public_key.pem,
                    wechatpay_public_key.pem, platform_cert.pem
    --mchid MCHID   the merchant id (default: random digits)
    --mode MODE     both (default), public_key_only or certificates_only
    --workers N     threads answering requests, in parallel (default: the number of cores)
    --allow-notify-host HOST
                    also send notifications to HOST (repeatable; * for any host). Without
                    it, a notify_url that is not a loopback address is recorded as refused
    --notify-speedup N
                    divide WeChat Pay's notification retry schedule (15s 15s 30s 3m 10m
                    20m 30m 30m 30m 60m 3h 3h 3h 6h 6h) by N (default 100: 150 ms first)
    --notify-timeout-ms MS
                    how long a delivery waits for the merchant's answer (default 5000)
    -h, --help      this help

It verifies request signatures and Wechatpay-Serial like WeChat Pay, signs its answers,
serves GET /v3/certificates, uploads and bills (GET /v3/bill/tradebill, /v3/bill/fundflowbill,
then the download_url), keeps orders and refunds (POST /v3/pay/transactions/{jsapi,app,h5,
native}, their queries and close, POST /v3/refund/domestic/refunds and its query), and has
control routes (unsigned, unchecked; the README lists their JSON):
    GET    /_sandbox/           a page: orders (with Pay buttons), refunds, notifications, requests
    POST   /_sandbox/pay        {\"out_trade_no\",\"merchant\"?}: pay an order, notify TRANSACTION.SUCCESS
    GET    /_sandbox/notifications           the deliveries, with every attempt
    POST   /_sandbox/notifications/redeliver {\"id\"}: deliver a notification again
    GET    /_sandbox/orders     the orders, as queries answer them
    GET    /_sandbox/refunds    the refunds, as queries answer them
    GET    /_sandbox/requests   the received requests as JSON, encrypted fields decrypted
    DELETE /_sandbox/requests   forget them
    GET    /_sandbox/config     the settings of config.json
    POST   /_sandbox/respond    {\"method\",\"path\",\"status\"?,\"body\"?,\"signed\"?}: script a route
    DELETE /_sandbox/respond    forget scripted routes
    POST   /_sandbox/fault      {\"fault\":\"tamper_body\"|\"delay\"(+\"ms\")|…,\"times\"?}: next answers
    DELETE /_sandbox/fault      forget queued faults
    POST   /_sandbox/mode       {\"mode\":\"both\"|\"public_key_only\"|\"certificates_only\"}
    POST   /_sandbox/notify     {\"url\",\"event_type\",\"resource\",\"fault\"?:\"sign_test\"|…}: send one
    POST   /_sandbox/rotate     {\"valid_for_secs\"?}: issue a new platform certificate -> {\"serial\"}
    POST   /_sandbox/sign-with  {\"serial\": SERIAL|null}: sign every answer with that key
    POST   /_sandbox/bills      {\"rows\"|\"bytes\": N, \"fault\"?: \"wrong_digest\"|\"tampered\"|\"truncated\"}
";

#[derive(Debug)]
struct Args {
    listen: String,
    keys: Option<PathBuf>,
    mchid: Option<String>,
    mode: KeyMode,
    allow_notify_hosts: Vec<String>,
    notify_speedup: Option<u32>,
    notify_timeout_ms: Option<u64>,
    workers: Option<usize>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        listen: "127.0.0.1:8080".into(),
        keys: None,
        mchid: None,
        mode: KeyMode::Both,
        allow_notify_hosts: Vec::new(),
        notify_speedup: None,
        notify_timeout_ms: None,
        workers: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => parsed.listen = value()?,
            "--keys" => parsed.keys = Some(PathBuf::from(value()?)),
            "--mchid" => {
                let mchid = value()?;
                if mchid.is_empty() || !mchid.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("--mchid {mchid:?} must be digits"));
                }
                parsed.mchid = Some(mchid);
            }
            "--workers" => {
                let n = value()?;
                match n.parse::<usize>() {
                    Ok(n) if n >= 1 => parsed.workers = Some(n),
                    _ => {
                        return Err(format!(
                            "--workers {n:?} must be a number of threads, at least 1"
                        ));
                    }
                }
            }
            "--mode" => {
                parsed.mode = match value()?.as_str() {
                    "both" => KeyMode::Both,
                    "public_key_only" => KeyMode::PublicKeyOnly,
                    "certificates_only" => KeyMode::CertificatesOnly,
                    other => {
                        return Err(format!(
                            "--mode {other:?}: expected both, public_key_only or certificates_only"
                        ));
                    }
                }
            }
            "--allow-notify-host" => parsed.allow_notify_hosts.push(value()?),
            "--notify-speedup" => {
                let v = value()?;
                parsed.notify_speedup =
                    Some(v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        format!("--notify-speedup {v:?} must be a whole number, at least 1")
                    })?);
            }
            "--notify-timeout-ms" => {
                let v = value()?;
                parsed.notify_timeout_ms =
                    Some(v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        format!("--notify-timeout-ms {v:?} must be a whole number of milliseconds")
                    })?);
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(Some(parsed))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("wxpay-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let mut builder = Sandbox::builder().listen(&args.listen).key_mode(args.mode);
    if let Some(mchid) = args.mchid {
        builder = builder.mchid(mchid);
    }
    for host in &args.allow_notify_hosts {
        builder = builder.allow_notify_host(host);
    }
    if let Some(n) = args.notify_speedup {
        builder = builder.notify_speedup(n);
    }
    if let Some(ms) = args.notify_timeout_ms {
        builder = builder.notify_timeout(std::time::Duration::from_millis(ms));
    }
    if let Some(workers) = args.workers {
        builder = builder.workers(workers);
    }
    let sandbox = match builder.start_blocking() {
        Ok(sandbox) => sandbox,
        Err(e) => {
            // The sandbox's own messages ("cannot listen on …") need no "transport:" prefix.
            let message = match e {
                wxpay::Error::Transport(
                    wxpay::TransportError::Connect(m) | wxpay::TransportError::Other(m),
                ) => m,
                other => other.to_string(),
            };
            eprintln!("wxpay-sandbox: {message}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = &args.keys
        && let Err(e) = sandbox.write_keys(dir)
    {
        eprintln!("wxpay-sandbox: cannot write keys to {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    // Ids only: keys and the APIv3 key stay in the files.
    println!(
        "wxpay-sandbox listening on {} with {} worker thread{} (mchid {}, merchant serial {}, public key {}){}",
        sandbox.base_url(),
        sandbox.workers(),
        if sandbox.workers() == 1 { "" } else { "s" },
        sandbox.mchid(),
        sandbox.merchant_serial(),
        sandbox.wechatpay_public_key_id(),
        args.keys
            .map(|d| format!(", keys in {}", d.display()))
            .unwrap_or_default()
    );
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags() {
        let a = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--keys=/tmp/k",
            "--mode",
            "public_key_only",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.listen, "127.0.0.1:0");
        assert_eq!(a.keys, Some(PathBuf::from("/tmp/k")));
        assert_eq!(a.mode, KeyMode::PublicKeyOnly);
        assert_eq!(a.workers, None);
        assert_eq!(
            parse(&["--workers", "4"]).unwrap().unwrap().workers,
            Some(4)
        );
        assert_eq!(parse(&["--workers=1"]).unwrap().unwrap().workers, Some(1));
        assert_eq!(
            parse(&["--workers", "0"]).unwrap_err(),
            "--workers \"0\" must be a number of threads, at least 1"
        );
        assert!(parse(&["--workers", "x"]).is_err());
        assert!(parse(&["--help"]).unwrap().is_none());
        assert!(parse(&["--listen"]).unwrap_err().contains("needs a value"));
        assert!(
            parse(&["--bogus"])
                .unwrap_err()
                .contains("unknown argument")
        );
        assert!(parse(&["--mchid", "12a"]).is_err());
        assert!(parse(&["--mode", "x"]).is_err());
        let a = parse(&[
            "--allow-notify-host",
            "shop.example.com",
            "--allow-notify-host=*",
            "--notify-speedup",
            "1",
            "--notify-timeout-ms=250",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.allow_notify_hosts, ["shop.example.com", "*"]);
        assert_eq!(a.notify_speedup, Some(1));
        assert_eq!(a.notify_timeout_ms, Some(250));
        assert!(parse(&["--notify-speedup", "0"]).is_err());
        assert!(parse(&["--notify-timeout-ms", "x"]).is_err());
    }
}
