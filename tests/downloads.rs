//! Unsigned downloads and bills through the sandbox: read without a signature, streamed into
//! a writer, gzip decompressed on the fly, checked against `hash_value`; a tampered bill is
//! refused; a 50 MB gzip bill is streamed with a peak memory far below its size.

use std::time::Duration;

use wxpay::bill::{self, Reader};
use wxpay::prelude::*;
use wxpay::{FundFlowBill, TradeBill, TransportError, VerifyError};
use wxpay_sandbox::{Answer, BillKind, BillSpec, Fault, Sandbox};

/// 下载电子回单: an unsigned download.
#[wxpay_endpoint(GET, "v3/transferdownload/signfile", response = Download)]
pub struct SignFile {
    pub token: String,
}

/// Where the sandbox's bill `download_url`s point.
#[wxpay_endpoint(GET, "v3/billdownload/file", response = Download)]
pub struct BillFile {
    pub token: String,
}

const DATE: &str = "2024-05-01";

fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..300_000u32).map(|i| (i * 7 % 256) as u8));
    bytes
}

#[tokio::test]
async fn a_download_is_read_without_signature_and_streamed_to_a_writer() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    sandbox.respond(
        "GET",
        "v3/transferdownload/signfile",
        Answer::download(pdf()),
    );
    let request = SignFile {
        token: "tok/1".into(),
    };
    // Whole, through send:
    assert_eq!(client.send(&request).await.unwrap().bytes(), &pdf()[..]);
    // Streamed:
    let mut out = Vec::new();
    let n = client.download(&request, &mut out).await.unwrap();
    assert_eq!((n, out), (pdf().len() as u64, pdf()));
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.query, "token=tok%2F1");
    assert_eq!(received.status, 200, "the request was signed and accepted");
    assert!(received.header("Wechatpay-Signature").is_none());

    // An error answer writes nothing.
    sandbox.fault(Fault::Error {
        status: 404,
        code: "RESOURCE_NOT_EXISTS".into(),
        message: "no such receipt".into(),
    });
    let mut out = Vec::new();
    match client.download(&request, &mut out).await {
        Err(Error::Api {
            status: 404, code, ..
        }) => assert_eq!(code, "RESOURCE_NOT_EXISTS"),
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(out.is_empty());
}

/// The whole body of a streamed answer, and how many chunks it came in.
async fn read_streamed(answer: &mut wxpay::StreamedAnswer) -> (Vec<u8>, usize) {
    let (mut body, mut chunks) = (Vec::new(), 0);
    while let Some(chunk) = answer.chunk().await.unwrap() {
        body.extend_from_slice(chunk);
        chunks += 1;
    }
    (body, chunks)
}

/// A sandbox whose bills have `rows` rows, its client, and the trade bill of [`DATE`].
async fn bills_of(rows: u64) -> (Sandbox, wxpay::Client, Vec<u8>) {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_bills(BillSpec::rows(rows));
    let client = sandbox.client();
    let expected = sandbox.bill_csv(BillKind::Trade, DATE);
    (sandbox, client, expected)
}

#[tokio::test]
async fn a_prepared_request_executes_streamed_byte_for_byte() {
    let (sandbox, client, expected) = bills_of(5_000).await;
    let query = client.send(&TradeBill::new(DATE)).await.unwrap();
    let (_, token) = query.download_url.split_once("?token=").unwrap();
    let prepared = client
        .prepare(&BillFile {
            token: token.into(),
        })
        .unwrap();
    let mut answer = client.execute_prepared_streamed(&prepared).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer.request_id().is_some(), "{answer:?}");
    let (body, chunks) = read_streamed(&mut answer).await;
    assert!(
        body == expected,
        "{} bytes, not the {} of the bill",
        body.len(),
        expected.len()
    );
    assert!(chunks > 1, "{} bytes in {chunks} chunk", body.len());
    assert!(answer.chunk().await.unwrap().is_none());

    // A signed answer arrives as it was signed: headers and bytes verify.
    let prepared = client.prepare(&wxpay::DownloadCertificates {}).unwrap();
    let mut answer = client.execute_prepared_streamed(&prepared).await.unwrap();
    let (body, _) = read_streamed(&mut answer).await;
    client.engine().verify(answer.headers(), &body).unwrap();
    let read = client
        .engine()
        .read_certificates(answer.status(), answer.headers(), &body)
        .unwrap();
    assert!(matches!(read, wxpay::CertificateAnswer::Certificates(c) if !c.is_empty()));

    // An error answer is an answer: status and body as sent.
    sandbox.fault(Fault::Error {
        status: 404,
        code: "RESOURCE_NOT_EXISTS".into(),
        message: "no such bill".into(),
    });
    let mut answer = client.execute_prepared_streamed(&prepared).await.unwrap();
    assert_eq!(answer.status(), 404);
    let (body, _) = read_streamed(&mut answer).await;
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["code"], "RESOURCE_NOT_EXISTS");

    // The protections of the client's own sends: no redirect is taken as an answer, and the
    // download timeout bounds the exchange.
    sandbox.respond(
        "GET",
        "v3/certificates",
        Answer::raw(302, "text/plain", "moved")
            .with_header("Location", "http://127.0.0.1:1/v3/certificates")
            .unsigned(),
    );
    assert!(matches!(
        client.execute_prepared_streamed(&prepared).await,
        Err(Error::Transport(TransportError::Redirect { status: 302 }))
    ));
    let client = sandbox
        .client_builder()
        .download_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    sandbox.fault(Fault::Delay(Duration::from_secs(3)));
    assert!(matches!(
        client.execute_prepared_streamed(&prepared).await,
        Err(Error::Transport(TransportError::Timeout))
    ));
}

#[tokio::test]
async fn a_client_on_a_given_engine_without_keys_installs_them_and_verifies() {
    let sandbox = Sandbox::start().await.unwrap();
    // As the `wxpay` command does: an engine with no WeChat Pay key yet.
    let engine = || {
        wxpay::Engine::builder()
            .mchid(sandbox.mchid())
            .merchant_key(
                sandbox.merchant_serial(),
                sandbox.merchant_private_key_pem(),
            )
            .apiv3_key(sandbox.apiv3_key())
            .build(true)
            .unwrap()
    };
    let client = wxpay::Client::builder()
        .engine(engine())
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    assert!(client.engine().key_store().is_empty());
    let prepared = client
        .engine()
        .prepare_certificate_download(Some(sandbox.base_url()))
        .unwrap();
    let mut answer = client.execute_prepared_streamed(&prepared).await.unwrap();
    let (body, _) = read_streamed(&mut answer).await;
    match client
        .engine()
        .read_certificates(answer.status(), answer.headers(), &body)
        .unwrap()
    {
        wxpay::CertificateAnswer::Certificates(certs) => {
            client.engine().install_certificates(certs)
        }
        other => panic!("expected certificates, got {other:?}"),
    }
    client.send(&TradeBill::new(DATE)).await.unwrap();

    // A given engine excludes the settings it would be built from.
    let mixed = wxpay::Client::builder()
        .engine(engine())
        .mchid("1900000001")
        .build();
    assert!(
        matches!(
            mixed,
            Err(Error::Config(wxpay::ConfigError::Unsupported(_)))
        ),
        "{mixed:?}"
    );
}

#[tokio::test]
async fn a_trade_bill_plain_or_gzip_matches_its_digest_and_parses() {
    let (sandbox, client, expected) = bills_of(25).await;

    let mut plain = Vec::new();
    let n = client
        .download_bill(&TradeBill::new(DATE), &mut plain)
        .await
        .unwrap();
    assert_eq!(n, expected.len() as u64);
    assert_eq!(plain, expected);

    let mut unzipped = Vec::new();
    client
        .download_bill(&TradeBill::new(DATE).bill_type("ALL").gzip(), &mut unzipped)
        .await
        .unwrap();
    assert_eq!(unzipped, expected);
    let received = sandbox.received();
    let query = &received[received.len() - 2];
    assert_eq!(query.path, "v3/bill/tradebill");
    assert_eq!(
        query.query,
        "bill_date=2024-05-01&bill_type=ALL&tar_type=GZIP"
    );
    let file = &received[received.len() - 1];
    assert_eq!(file.path, "v3/billdownload/file");
    assert!(file.query.ends_with("&tartype=gzip"), "{}", file.query);
    assert_eq!(file.status, 200);
    // The file's answer is unsigned; the request for it was signed over path and query.
    assert!(file.header("Authorization").unwrap().contains("signature="));

    let parsed = bill::parse(&unzipped).unwrap();
    assert_eq!(parsed.headers.len(), 27);
    assert_eq!(parsed.headers[0], "交易时间");
    assert_eq!(parsed.rows.len(), 25);
    assert!(parsed.rows.iter().all(|r| r.len() == 27));
    assert_eq!(parsed.value(&parsed.rows[0], "交易状态"), Some("SUCCESS"));
    assert_eq!(
        parsed.value(&parsed.rows[3], "商品名称"),
        Some("sandbox goods, item 3")
    );
    assert_eq!(parsed.summary_value("总交易单数"), Some("25"));
    let total: u64 = parsed
        .rows
        .iter()
        .map(|r| {
            let yuan = parsed.value(r, "应结订单金额").unwrap();
            yuan.replace('.', "").parse::<u64>().unwrap()
        })
        .sum();
    let summary_total = parsed
        .summary_value("应结订单总金额")
        .unwrap()
        .replace('.', "");
    assert_eq!(total.to_string(), summary_total);

    // Row by row, from any reader.
    let mut reader = Reader::new(std::io::BufReader::new(&unzipped[..])).unwrap();
    assert_eq!(reader.by_ref().count(), 25);
    assert_eq!(reader.summary().unwrap().get("总交易单数"), Some("25"));
}

#[tokio::test]
async fn a_fund_flow_bill_downloads_too() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_bills(BillSpec::rows(4));
    let mut csv = Vec::new();
    sandbox
        .client()
        .download_bill(
            &FundFlowBill::new(DATE).account_type("BASIC").gzip(),
            &mut csv,
        )
        .await
        .unwrap();
    assert_eq!(csv, sandbox.bill_csv(BillKind::FundFlow, DATE));
    let parsed = bill::parse(&csv).unwrap();
    assert_eq!(parsed.headers.len(), 11);
    assert_eq!(parsed.rows.len(), 4);
    assert_eq!(parsed.summary_value("资金流水总笔数"), Some("4"));
    assert_eq!(
        sandbox.received()[0].query,
        "bill_date=2024-05-01&account_type=BASIC&tar_type=GZIP"
    );
}

#[tokio::test]
async fn a_tampered_bill_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    for (spec, gzip) in [
        (BillSpec::rows(5).tampered(), false),
        (BillSpec::rows(5).tampered(), true),
        (BillSpec::rows(5).wrong_digest(), true),
        (BillSpec::rows(500).truncated(), false),
    ] {
        sandbox.set_bills(spec.clone());
        let query = if gzip {
            TradeBill::new(DATE).gzip()
        } else {
            TradeBill::new(DATE)
        };
        match client.download_bill(&query, &mut Vec::new()).await {
            Err(Error::Verification {
                error: VerifyError::DigestMismatch(algorithm),
                ..
            }) => {
                assert_eq!(algorithm, "SHA1")
            }
            other => panic!("{spec:?} gzip={gzip}: expected a digest mismatch, got {other:?}"),
        }
    }
    // A gzip file cut short fails in the decompressor (its trailer is missing).
    sandbox.set_bills(BillSpec::rows(500).truncated());
    match client
        .download_bill(&TradeBill::new(DATE).gzip(), &mut Vec::new())
        .await
    {
        Err(Error::Decode { message, .. }) => assert!(message.contains("gzip"), "{message}"),
        Err(Error::Verification {
            error: VerifyError::DigestMismatch(_),
            ..
        }) => {}
        other => panic!("expected a failure, got {other:?}"),
    }
    // And the genuine one passes.
    sandbox.set_bills(BillSpec::rows(5));
    client
        .download_bill(&TradeBill::new(DATE).gzip(), &mut Vec::new())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_download_url_elsewhere_is_not_sent_a_signed_request() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    sandbox.respond(
        "GET",
        "v3/bill/tradebill",
        serde_json::json!({
            "hash_type": "SHA1",
            "hash_value": "a9993e364706816aba3e25717850c26c9cd0d89d",
            "download_url": "https://attacker.example/v3/billdownload/file?token=x",
        }),
    );
    match client
        .download_bill(&TradeBill::new(DATE), &mut Vec::new())
        .await
    {
        Err(Error::InvalidInput { what, reason }) => {
            assert_eq!(what, "download_url");
            assert_eq!(
                reason,
                "its host is neither a WeChat Pay host nor this client's base_url"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(sandbox.received().len(), 1, "nothing was sent anywhere");

    // An expired token is WeChat Pay's error, and nothing is written.
    let mut out = Vec::new();
    let url = format!("{}v3/billdownload/file?token=expired", sandbox.base_url());
    assert!(matches!(
        client.download_url(&url, &mut out).await,
        Err(Error::Api { status: 400, .. })
    ));
    assert!(out.is_empty());
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_downloads_bills_into_any_writer() {
    let sandbox = Sandbox::start_blocking().unwrap();
    let client = sandbox
        .configure(wxpay::blocking::Client::builder())
        .build()
        .unwrap();
    let mut csv = std::io::Cursor::new(Vec::new());
    client
        .download_bill(&TradeBill::new(DATE).gzip(), &mut csv)
        .unwrap();
    assert_eq!(csv.into_inner(), sandbox.bill_csv(BillKind::Trade, DATE));
}

#[test]
fn download_futures_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let sandbox = Sandbox::start_blocking().unwrap();
    let client = sandbox.client();
    let mut sink = tokio::io::sink();
    assert_send(&client.download_bill(&TradeBill::new(DATE), &mut sink));
    let mut out = Vec::new();
    assert_send(&client.download(&SignFile { token: "t".into() }, &mut out));
    assert_send(&client.download_url("https://api.mch.weixin.qq.com/v3/x", &mut out));
    assert_send(&client.refresh_certificates());
}

// ----- Memory -----

/// Size of the bill of the memory test.
const BIG_BILL: u64 = 50 << 20;
/// Allowed growth of the peak resident memory while it is streamed.
const MAX_GROWTH_KB: u64 = 16 * 1024;
/// Set in the child process: the directory of the sandbox's `config.json`.
const CHILD_ENV: &str = "WXPAY_TEST_BILL_MEMORY_CHILD";

/// The download runs in a child process (this same test binary, running only
/// [`memory_child`]), so that the sandbox, the test harness and the other tests do not count:
/// the child reads its peak resident memory (`VmHWM`) before and after streaming the bill
/// to a sink.
#[cfg(target_os = "linux")]
#[test]
fn a_50_mb_gzip_bill_streams_in_bounded_memory() {
    let sandbox = Sandbox::start_blocking().unwrap();
    sandbox.set_bills(BillSpec::bytes(BIG_BILL));
    let dir = std::env::temp_dir().join(format!("wxpay-bill-memory-{}", std::process::id()));
    sandbox.write_keys(&dir).unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["memory_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // libtest prints `test memory_child ... ` before the child's own output.
    let line = stdout
        .lines()
        .find_map(|l| l.find("BILL_MEMORY ").map(|i| &l[i..]))
        .unwrap_or_else(|| panic!("no measurement in:\n{stdout}"));
    let field = |name: &str| -> u64 {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {line}"))
    };
    let (bytes, growth_kb) = (field("bytes"), field("growth_kb"));
    eprintln!("{line}");
    assert!(bytes >= BIG_BILL, "{line}");
    assert!(
        field("control_growth_kb") > BIG_BILL / 1024 * 9 / 10,
        "the measurement does not see a bill held in memory: {line}"
    );
    assert!(
        growth_kb < MAX_GROWTH_KB,
        "peak memory grew by {growth_kb} KiB streaming a {bytes}-byte bill: {line}"
    );
    let received = sandbox.received();
    let file = received.last().unwrap();
    assert_eq!(
        (file.path.as_str(), file.status),
        ("v3/billdownload/file", 200)
    );
}

/// The child of [`a_50_mb_gzip_bill_streams_in_bounded_memory`]; a no-op otherwise.
#[test]
fn memory_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let config: serde_json::Value = serde_json::from_str(&read("config.json")).unwrap();
    let text = |name: &str| config[name].as_str().unwrap().to_string();
    let client = Client::builder()
        .mchid(text("mchid"))
        .merchant_key(text("merchant_serial"), read("merchant_key.pem"))
        .wechatpay_public_key(
            text("wechatpay_public_key_id"),
            read("wechatpay_public_key.pem"),
        )
        .apiv3_key(text("apiv3_key"))
        .base_url(text("base_url"))
        // The sandbox hashes the 50 MB bill at its first query.
        .timeout(Duration::from_secs(300))
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Warm up: connection pool, TLS-free HTTP stack, signing.
        client
            .download(
                &SignFile {
                    token: "warm-up".into(),
                },
                &mut tokio::io::sink(),
            )
            .await
            .unwrap();
        let before = peak_kb();
        let started = std::time::Instant::now();
        let bytes = client
            .download_bill(&TradeBill::new(DATE).gzip(), &mut tokio::io::sink())
            .await
            .unwrap();
        let after = peak_kb();
        let seconds = started.elapsed().as_secs_f64();
        // The control: the same bill held in memory must show up in the measurement.
        let mut held = Vec::new();
        client
            .download_bill(&TradeBill::new(DATE).gzip(), &mut held)
            .await
            .unwrap();
        let control = peak_kb().saturating_sub(after);
        println!(
            "BILL_MEMORY bytes={bytes} peak_before_kb={before} peak_after_kb={after} growth_kb={} seconds={seconds:.1} control_growth_kb={control}",
            after.saturating_sub(before),
        );
    });
}

/// `VmHWM` of this process: its peak resident set size, in KiB.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
