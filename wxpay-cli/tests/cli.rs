//! The `wxpay` binary against the sandbox: output and exit codes.
//!
//! Each test starts its own sandbox in this process (`wxpay_sandbox::Sandbox`), writes its
//! `config.json` and PEM files into a temporary folder, and runs the binary with
//! `--config DIR/config.json` (or flags and environment variables).

use std::borrow::BorrowMut;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use wxpay_sandbox::{Answer, Fault, KeyMode, Sandbox, SignedNotification};

/// Every variable the binary reads: cleared so that the caller's environment cannot leak in.
const WXPAY_VARS: &[&str] = &[
    "WXPAY_CONFIG",
    "WXPAY_MCHID",
    "WXPAY_MERCHANT_SERIAL",
    "WXPAY_MERCHANT_KEY",
    "WXPAY_PUBLIC_KEY_ID",
    "WXPAY_PUBLIC_KEY",
    "WXPAY_PLATFORM_CERT",
    "WXPAY_APIV3_KEY",
    "WXPAY_APIV3_KEY_FILE",
    "WXPAY_BASE_URL",
];

struct Env {
    sandbox: Sandbox,
    dir: tempfile::TempDir,
}

impl Env {
    fn start() -> Env {
        let sandbox = Sandbox::start_blocking().expect("sandbox starts");
        let dir = tempfile::tempdir().unwrap();
        sandbox.write_keys(dir.path().join("keys")).unwrap();
        Env { sandbox, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn config(&self) -> String {
        self.path("keys/config.json").display().to_string()
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }

    /// A `v3/security/echo` body with a field to encrypt, as a file.
    fn echo_json(&self) -> String {
        self.write(
            "echo.json",
            r#"{"echo_message":"hello","encrypted_echo_message":"secret 秘密"}"#,
        )
    }

    /// `wxpay --config DIR/config.json ARGS…`
    fn wxpay(&self, args: &[&str]) -> Command {
        let mut cmd = wxpay(&["--config", &self.config()]);
        cmd.args(args);
        cmd
    }

    /// Writes a notification as files: headers as `Name: value` lines, the body as it is.
    fn notification_files(&self, note: &SignedNotification, tag: &str) -> (String, String) {
        let mut headers = String::from("HTTP/1.1 200 OK\r\n");
        for (name, value) in &note.headers {
            headers.push_str(&format!("{}: {}\r\n", name, value.to_str().unwrap()));
        }
        headers.push_str("\r\n");
        (
            self.write(&format!("{tag}.headers"), headers),
            self.write(&format!("{tag}.json"), &note.body),
        )
    }
}

fn wxpay(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxpay"));
    for var in WXPAY_VARS {
        cmd.env_remove(var);
    }
    cmd.args(args);
    cmd
}

#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    /// The stderr of a failure: exactly one line, `error: …`.
    fn error_line(&self) -> &str {
        let line = self.stderr.strip_suffix('\n').unwrap_or(&self.stderr);
        assert!(
            line.starts_with("error: ") && !line.contains('\n'),
            "expected one error line, got {:?}",
            self.stderr
        );
        line
    }

    /// A verified `v3/security/echo` answer, printed with its encrypted field decrypted.
    fn assert_echoed(&self, echo: &str, secret: &str) {
        assert_eq!(self.code, 0, "{self:?}");
        assert_eq!(
            self.stdout,
            format!(
                "{{\n  \"echo_message\": \"{echo}\",\n  \"encrypted_echo_message\": \"{secret}\"\n}}\n"
            )
        );
        assert!(
            self.stderr.starts_with("HTTP 200 OK (Request-ID "),
            "{self:?}"
        );
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", self.stdout))
    }
}

fn run(cmd: impl BorrowMut<Command>) -> Out {
    run_with_stdin(cmd, b"")
}

fn run_with_stdin(mut cmd: impl BorrowMut<Command>, input: &[u8]) -> Out {
    let mut child = cmd
        .borrow_mut()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the wxpay binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    Out {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn read_config(env: &Env) -> Value {
    serde_json::from_slice(&std::fs::read(env.config()).unwrap()).unwrap()
}

// ----- call -----

/// `--raw` with `--encrypt` and `--decrypt`: what an endpoint outside the catalog needs.
#[test]
fn call_encrypts_the_pointer_and_decrypts_the_answer() {
    let env = Env::start();
    let body = env.echo_json();
    let out = run(env.wxpay(&[
        "call",
        "POST",
        "v3/security/echo",
        "--json",
        &body,
        "--encrypt",
        "/encrypted_echo_message",
        "--decrypt",
        "/encrypted_echo_message",
        "--raw",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.json(),
        json!({"echo_message": "hello", "encrypted_echo_message": "secret 秘密"})
    );
    // The status line, with the key that verified the answer.
    assert!(
        out.stderr.starts_with("HTTP 200 OK (Request-ID "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "signature verified, Wechatpay-Serial {}",
            env.sandbox.wechatpay_public_key_id()
        )),
        "{}",
        out.stderr
    );

    // What left the process: ciphertext only, under the key named by Wechatpay-Serial.
    let received = env.sandbox.last_received().unwrap();
    assert_eq!(received.path, "v3/security/echo");
    assert_eq!(received.status, 200);
    assert_eq!(
        received.encrypted,
        vec!["encrypted_echo_message".to_string()]
    );
    assert_eq!(received.json["encrypted_echo_message"], "secret 秘密");
    assert!(!received.body_text().contains("secret"));
    assert_eq!(
        received.wechatpay_serial(),
        Some(env.sandbox.wechatpay_public_key_id())
    );
    // Key order of the file is kept.
    assert!(
        received
            .body_text()
            .starts_with(r#"{"echo_message":"hello","#)
    );

    // Without --decrypt the answer's field is printed as it came: ciphertext.
    let out = run(env.wxpay(&["call", "POST", "v3/security/echo", "--json", &body, "--raw"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_ne!(out.json()["encrypted_echo_message"], "secret 秘密");
    assert!(env.sandbox.last_received().unwrap().encrypted.is_empty());
}

/// `--raw`: a catalog endpoint sent as given (undocumented `note` and header).
#[test]
fn call_sends_path_query_headers_and_stdin_body_as_given() {
    let env = Env::start();
    env.sandbox.respond(
        "GET",
        "v3/pay/transactions/out-trade-no/{out_trade_no}",
        Answer::raw(
            200,
            "application/json",
            r#"{"trade_state":"SUCCESS","amount":{"total":100}}"#,
        ),
    );
    let out = run(env.wxpay(&[
        "call",
        "get",
        "/v3/pay/transactions/out-trade-no/T 1",
        "--query",
        "mchid=1230000109",
        "-q",
        "note=a&b c",
        "--header",
        "Idempotency-Key: K-1",
        "--raw",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    // Pretty-printed, in the answer's order.
    assert_eq!(
        out.stdout,
        "{\n  \"trade_state\": \"SUCCESS\",\n  \"amount\": {\n    \"total\": 100\n  }\n}\n"
    );
    let received = env.sandbox.last_received().unwrap();
    assert_eq!(received.method, "GET");
    assert_eq!(received.path, "v3/pay/transactions/out-trade-no/T%201");
    assert_eq!(received.query, "mchid=1230000109&note=a%26b%20c");
    assert_eq!(received.header("Idempotency-Key"), Some("K-1"));
    assert!(received.body.is_empty());

    // Scripted: the sandbox keeps orders, and T1 was never ordered.
    env.sandbox.respond(
        "POST",
        "v3/pay/transactions/out-trade-no/{out_trade_no}/close",
        json!({}),
    );
    let out = run_with_stdin(
        env.wxpay(&[
            "call",
            "POST",
            "v3/pay/transactions/out-trade-no/T1/close",
            "--json",
            "-",
        ]),
        br#"{"mchid": "1230000109"}"#,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "{}\n");
    let received = env.sandbox.last_received().unwrap();
    assert_eq!(received.body_text(), r#"{"mchid":"1230000109"}"#);
    assert_eq!(received.header("Content-Type"), Some("application/json"));
}

#[test]
fn call_refuses_a_header_that_wxpay_sets_itself() {
    let env = Env::start();
    for header in [
        "Authorization: WECHATPAY2-SHA256-RSA2048 forged",
        "wechatpay-serial: PUB_KEY_ID_0999",
    ] {
        let out = run(env.wxpay(&["call", "GET", "v3/certificates", "--header", header]));
        assert_eq!(out.code, 1, "{out:?}");
        assert_eq!(
            out.error_line(),
            "error: invalid header name: Authorization, Wechatpay-Serial, Content-Type, Content-Length, Accept, User-Agent and Host are set by wxpay itself"
        );
    }
    assert!(env.sandbox.received().is_empty(), "nothing was sent");
}

#[test]
fn call_uploads_a_file_with_the_meta_signed() {
    let env = Env::start();
    let image = b"\xff\xd8\xff\xe0 a small jpeg\r\n--boundary-like\r\n".to_vec();
    let sha256 = wxpay::File::new("x", image.clone()).sha256_hex();
    let file = env.write("logo.jpg", &image);
    let out = run(env.wxpay(&["call", "POST", "v3/merchant/media/upload", "--file", &file]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.json()["media_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    let received = env.sandbox.last_received().unwrap();
    assert_eq!(received.status, 200);
    assert_eq!(received.file_part.as_deref(), Some("file"));
    assert_eq!(received.file, Some(("logo.jpg".to_string(), image.clone())));
    assert_eq!(
        received.json,
        json!({"filename": "logo.jpg", "sha256": sha256})
    );

    // A catalog upload: its file in its documented part of another name, a meta that names
    // and digests the file itself kept as given; `PART=` may name the part, or not.
    let meta = env.write(
        "meta.json",
        format!(r#"{{"item_id":3,"file_name":"licence.jpg","file_digest":"{sha256}"}}"#),
    );
    for file_arg in [file.clone(), format!("submission_file={file}")] {
        let out = run(env.wxpay(&[
            "call",
            "POST",
            "v3/mch-manage/submission-files/sub-mchid/1900000109/upload",
            "--json",
            &meta,
            "--file",
            &file_arg,
        ]));
        assert_eq!(out.code, 0, "{out:?}");
        assert!(
            out.json()["file_id"]
                .as_str()
                .is_some_and(|id| !id.is_empty())
        );
        let received = env.sandbox.last_received().unwrap();
        assert_eq!(received.file_part.as_deref(), Some("submission_file"));
        assert_eq!(received.file, Some(("logo.jpg".to_string(), image.clone())));
        assert_eq!(
            received.json,
            json!({"item_id": 3, "file_name": "licence.jpg", "file_digest": sha256})
        );
    }
    // With --raw, sent as given: part `file` unless named.
    let out = run(env.wxpay(&[
        "call",
        "POST",
        "v3/mch-manage/submission-files/sub-mchid/1900000109/upload",
        "--raw",
        "--json",
        &meta,
        "--file",
        &file,
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        env.sandbox.last_received().unwrap().file_part.as_deref(),
        Some("file")
    );

    // The sandbox refuses a digest that is not the file's, and the CLI says so.
    let wrong = env.write(
        "wrong.json",
        r#"{"item_id":3,"file_name":"licence.jpg","file_digest":"00"}"#,
    );
    let out = run(env.wxpay(&[
        "call",
        "POST",
        "v3/mch-manage/submission-files/sub-mchid/1900000109/upload",
        "--json",
        &wrong,
        "--file",
        &format!("submission_file={file}"),
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line().starts_with(
            "error: WeChat Pay answered 400 PARAM_ERROR: the file_digest in meta is not the SHA-256 of the file"
        ),
        "{out:?}"
    );

    // Usage errors, before anything is sent.
    env.sandbox.clear_received();
    let out = run(env.wxpay(&[
        "call",
        "POST",
        "v3/mch-manage/submission-files/sub-mchid/1900000109/upload",
        "--json",
        &meta,
        "--file",
        &format!("licence={file}"),
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: POST v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload: its file part is `submission_file`, not `licence`"
    );
    let out = run(env.wxpay(&["call", "POST", "v3/merchant/media/upload"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: POST v3/merchant/media/upload uploads a file (part `file`): give --file FILE"
    );
    let out = run(env.wxpay(&["call", "POST", "v3/security/echo", "--file", &file]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: POST v3/security/echo takes no file (--raw sends it as given)"
    );
    assert!(env.sandbox.received().is_empty(), "nothing was sent");
    let out = run(env.wxpay(&["call", "GET", "v3/merchant/media/upload", "--file", &file]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.error_line(), "error: --file needs POST, PUT or PATCH");
    let missing = env.path("missing.jpg").display().to_string();
    let out = run(env.wxpay(&[
        "call",
        "POST",
        "v3/merchant/media/upload",
        "--file",
        &missing,
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.error_line()
            .starts_with(&format!("error: cannot read --file {missing}: ")),
        "{out:?}"
    );
}

#[test]
fn call_of_a_catalog_upload_encrypts_its_documented_meta_fields() {
    let env = Env::start();
    let receipt = b"%PDF-1.7 a shopping receipt".to_vec();
    let file = env.write("receipt.pdf", &receipt);
    // The sha256 the docs ask for, computed by openssl rather than by wxpay.
    let openssl = Command::new("openssl")
        .args(["dgst", "-sha256", "-r", &file])
        .output()
        .expect("openssl");
    let digest = String::from_utf8(openssl.stdout).unwrap();
    let digest = digest.split_whitespace().next().unwrap().to_string();
    let upload = |meta: &str| {
        run(env.wxpay(&[
            "call",
            "POST",
            "v3/marketing/shopping-receipt/shoppingreceipts",
            "--json",
            meta,
            "--file",
            &file,
        ]))
    };
    let meta = env.write(
        "meta.json",
        r#"{"transaction_id":"4200000001202401010000000001","openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o","merchant_contact_information":{"consultation_phone_number":"13800138000"}}"#,
    );
    let out = upload(&meta);
    assert_eq!(out.code, 0, "{out:?}");
    let r = env.sandbox.last_received().unwrap();
    assert_eq!(r.status, 200);
    // Encrypted under the key named by Wechatpay-Serial, with no --encrypt, and decrypted by
    // the sandbox; the documented sha256 filled in from the file, and the `filename` every
    // upload's meta gets unless it names the file its own way (protocol.md, uploads).
    assert_eq!(
        r.encrypted,
        vec!["merchant_contact_information.consultation_phone_number".to_string()]
    );
    assert_eq!(
        r.wechatpay_serial(),
        Some(env.sandbox.wechatpay_public_key_id())
    );
    assert_eq!(
        r.json,
        json!({
            "transaction_id": "4200000001202401010000000001",
            "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            "sha256": digest,
            "filename": "receipt.pdf",
            "merchant_contact_information": {"consultation_phone_number": "13800138000"},
        })
    );
    assert!(!r.body_text().contains("13800138000"), "{}", r.body_text());
    assert_eq!(r.file_part.as_deref(), Some("file"));
    assert_eq!(r.file, Some(("receipt.pdf".to_string(), receipt)));

    // An unknown meta key is refused before anything is sent.
    env.sandbox.clear_received();
    let meta = env.write(
        "bad.json",
        r#"{"transaction_id":"1","openid":"o","phone":"1"}"#,
    );
    let out = upload(&meta);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.error_line().starts_with(
            "error: POST v3/marketing/shopping-receipt/shoppingreceipts: unknown key `phone`"
        ),
        "{out:?}"
    );
    assert!(env.sandbox.received().is_empty(), "nothing was sent");
}

#[test]
fn call_with_a_wrong_merchant_key_is_a_sign_error() {
    let env = Env::start();
    let other = Sandbox::start_blocking().unwrap();
    let wrong_key = env.write("other_key.pem", other.merchant_private_key_pem());

    // The environment variable beats the config file…
    let out = run_with_stdin(
        env.wxpay(&["call", "POST", "v3/security/echo", "--json", "-"])
            .env("WXPAY_MERCHANT_KEY", &wrong_key),
        br#"{"echo_message":"x"}"#,
    );
    assert_eq!(out.code, 1, "{out:?}");
    let line = out.error_line();
    assert!(
        line.starts_with("error: WeChat Pay answered 401 SIGN_ERROR: "),
        "{line}"
    );
    assert!(line.contains(" (Request-ID "), "{line}");
    assert_eq!(out.json()["code"], "SIGN_ERROR");
    assert_eq!(
        env.sandbox.last_received().unwrap().error_code.as_deref(),
        Some("SIGN_ERROR")
    );

    // …and the flag beats the environment variable.
    let good_key = env.path("keys/merchant_key.pem").display().to_string();
    let out = run_with_stdin(
        env.wxpay(&[
            "call",
            "POST",
            "v3/security/echo",
            "--json",
            "-",
            "--merchant-key",
            &good_key,
        ])
        .env("WXPAY_MERCHANT_KEY", &wrong_key),
        br#"{"echo_message":"x"}"#,
    );
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn call_reports_error_answers_and_refuses_forged_ones() {
    let env = Env::start();
    env.sandbox.respond(
        "GET",
        "v3/refund/domestic/refunds/{out_refund_no}",
        Answer::error(404, "RESOURCE_NOT_EXISTS", "退款单不存在"),
    );
    let out = run(env.wxpay(&["call", "GET", "v3/refund/domestic/refunds/R1"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line().starts_with(
            "error: WeChat Pay answered 404 RESOURCE_NOT_EXISTS: 退款单不存在 (Request-ID "
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.json()["code"], "RESOURCE_NOT_EXISTS");

    env.sandbox.fault(Fault::TamperBody);
    let out = run(env.wxpay(&["call", "GET", "v3/merchant/fund/balance/BASIC"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line()
            .starts_with("error: verification failed: signature does not match (Request-ID "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "", "an unverified answer is not printed");

    env.sandbox.fault(Fault::StaleTimestamp);
    let out = run(env.wxpay(&["call", "GET", "v3/merchant/fund/balance/BASIC"]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line().contains("Wechatpay-Timestamp is"),
        "{}",
        out.stderr
    );

    // Slower than --timeout.
    env.sandbox
        .fault(Fault::Delay(std::time::Duration::from_secs(3)));
    let out = run(env.wxpay(&[
        "call",
        "GET",
        "v3/merchant/fund/balance/BASIC",
        "--timeout",
        "1",
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line()
            .ends_with("did not answer in time (see --timeout)"),
        "{}",
        out.stderr
    );

    // Nothing listens there: the environment's base URL beats the config file's.
    let out = run(env
        .wxpay(&["call", "GET", "v3/merchant/fund/balance/BASIC"])
        .env("WXPAY_BASE_URL", "http://127.0.0.1:1/"));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line()
            .starts_with("error: cannot connect to http://127.0.0.1:1/"),
        "{}",
        out.stderr
    );
}

#[test]
fn call_writes_unsigned_downloads_to_a_file_with_progress() {
    let env = Env::start();
    let bill: Vec<u8> = (0..(2 * 1024 * 1024 + 17))
        .map(|i| (i % 251) as u8)
        .collect();
    env.sandbox.respond(
        "GET",
        "v3/billdownload/file",
        Answer::download(bill.clone()),
    );
    let file = env.path("bill.gz");
    let out = run(env.wxpay(&[
        "call",
        "GET",
        "v3/billdownload/file",
        "--query",
        "token=abc",
        "--unsigned",
        "--output",
        file.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(std::fs::read(&file).unwrap(), bill);
    assert!(!env.path("bill.gz.part").exists());
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("unsigned, not verified"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("wrote 2.0 MiB to "), "{}", out.stderr);

    // A catalog download needs no --unsigned: its query keys are checked first, nothing sent
    // when one is missing or unknown; then it streams to the file as above.
    env.sandbox.clear_received();
    let out = run(env.wxpay(&["call", "GET", "v3/billdownload/file"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.error_line()
            .starts_with("error: GET v3/billdownload/file: missing required key `token`"),
        "{out:?}"
    );
    let out = run(env.wxpay(&["call", "GET", "v3/billdownload/file?token=abc&tokn=abc"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.error_line()
            .starts_with("error: GET v3/billdownload/file: unknown key `tokn`"),
        "{out:?}"
    );
    assert!(env.sandbox.received().is_empty(), "nothing was sent");
    std::fs::remove_file(&file).unwrap();
    let out = run(env.wxpay(&[
        "call",
        "GET",
        "v3/billdownload/file?token=a%20b&tartype=GZIP",
        "--output",
        file.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(std::fs::read(&file).unwrap(), bill);
    assert!(out.stderr.contains("unsigned, not verified"), "{out:?}");
    assert!(out.stderr.contains("wrote 2.0 MiB to "), "{out:?}");
    let r = env.sandbox.last_received().unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.query, "token=a%20b&tartype=GZIP");

    // An unsigned answer elsewhere is a verification failure, with the hint.
    env.sandbox.respond(
        "GET",
        "v3/some/new/download",
        Answer::download(b"bytes".to_vec()),
    );
    let out = run(env.wxpay(&["call", "GET", "v3/some/new/download"]));
    assert_eq!(out.code, 1, "{out:?}");
    let line = out.error_line();
    assert!(
        line.contains("header Wechatpay-Timestamp is missing"),
        "{line}"
    );
    assert!(line.contains("add --unsigned"), "{line}");
}

// ----- the catalog: api search, api show, call of a catalog endpoint -----

/// `wxpay api ARGS…` (no configuration), which must succeed with nothing on stderr.
fn api_ok(args: &[&str]) -> Out {
    let out = run(wxpay(&[&["api"], args].concat()));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr, "");
    out
}

#[test]
fn api_search_finds_chinese_titles_and_paths() {
    let out = api_ok(&["search", "退款"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines.contains(
            &"POST   v3/refund/domestic/refunds  申请退款  (wxpay::api::refund::PostRefundDomesticRefunds)"
        ),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(
            &"GET    v3/refund/domestic/refunds/{out_refund_no}  查询单笔退款  (wxpay::api::refund::GetRefundDomesticRefundsOutRefundNo)"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(lines.len(), wxpay::api::search("退款").count());

    // A word of the path, in any case.
    let out = api_ok(&["search", "SECURITY/ECHO"]);
    assert_eq!(
        out.stdout,
        "POST   v3/security/echo  商户签名验签／加解密测试  (wxpay::api::security::PostSecurityEcho)\n"
    );

    let out = run(wxpay(&["api", "search", "no-such-word"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: no endpoint's title or path holds \"no-such-word\""
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn api_show_prints_request_and_answer_fields() {
    let out = api_ok(&["show", "post", "/v3/pay/transactions/jsapi"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[..8],
        [
            "POST v3/pay/transactions/jsapi  JSAPI下单",
            "type wxpay::api::pay::PostPayTransactionsJsapi (feature api-pay)",
            "",
            "headers:",
            "  Wechatpay-Serial  string, required, set by wxpay",
            "",
            "body:",
            "  appid  string, required",
        ]
    );
    for line in [
        "  attach  string, optional",
        "  amount  object, required",
        "    total  integer, required",
        "    currency  string, optional",
        "  limit_pay  string[], optional, one of no_balance no_credit no_debit balance_only",
        "  support_fapiao  boolean, optional",
        "    goods_detail  object[], optional",
        "      merchant_goods_id  string, required",
        "  payer  object, required",
        "    openid  string, required",
        "    identity  object, optional",
        "      type  string, required, one of IDCARD HONGKONG_MACAO HONGKONG_MACAO_RESIDENT TAIWAN_RESIDENT FOREIGN_RESIDENT OVERSEA_PASSPORT PHONE_NUMBER",
        "      number  string, required, encrypted",
        "answer:",
        "  prepay_id  string, required",
    ] {
        assert!(lines.contains(&line), "{line:?} in\n{}", out.stdout);
    }
    assert_eq!(lines.last(), Some(&"  prepay_id  string, required"));

    // A concrete path finds its template; path, query, headers and an encrypted answer.
    let out = api_ok(&["show", "POST", "v3/security/echo"]);
    assert_eq!(
        out.stdout,
        "POST v3/security/echo  商户签名验签／加解密测试
type wxpay::api::security::PostSecurityEcho (feature api-security)

headers:
  Wechatpay-Serial  string, required, set by wxpay

body:
  notify_url  string, optional
  echo_message  string, required
  encrypted_echo_message  string, optional, encrypted

answer:
  echo_message  string, required
  encrypted_echo_message  string, optional, encrypted
"
    );
    let out = api_ok(&["show", "GET", "v3/transfer/batches/batch-id/B1"]);
    let text = &out.stdout;
    assert!(
        text.starts_with("GET v3/transfer/batches/batch-id/{batch_id}  "),
        "{text}"
    );
    assert!(
        text.contains("\npath:\n  batch_id  string, required\n\nquery:\n  need_query_detail  boolean, required\n  offset  integer, optional\n"),
        "{text}"
    );

    // Not in the catalog: one line, exit code 2.
    let out = run(wxpay(&["api", "show", "GET", "v3/no/such/endpoint"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: GET v3/no/such/endpoint is not in the catalog (`wxpay api search WORD` finds endpoints)"
    );
    let out = run(wxpay(&["api", "show", "GET", "v3/security/echo"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: GET v3/security/echo is not in the catalog (it is there as POST)"
    );
}

#[test]
fn call_of_a_catalog_endpoint_encrypts_and_decrypts_with_no_flag() {
    let env = Env::start();
    let body = env.echo_json();
    let out = run(env.wxpay(&["call", "POST", "v3/security/echo", "--json", &body]));
    // The answer's encrypted field (ciphertext under the merchant key) printed decrypted.
    out.assert_echoed("hello", "secret 秘密");

    // On the wire: ciphertext only, under the key named by Wechatpay-Serial.
    let received = env.sandbox.received();
    let [r] = &received[..] else {
        panic!("one request: {received:?}")
    };
    assert_eq!(r.status, 200);
    assert_eq!(r.encrypted, vec!["encrypted_echo_message".to_string()]);
    assert_eq!(
        r.json,
        json!({"echo_message": "hello", "encrypted_echo_message": "secret 秘密"})
    );
    assert!(!r.body_text().contains("secret"), "{}", r.body_text());
    assert_eq!(
        r.wechatpay_serial(),
        Some(env.sandbox.wechatpay_public_key_id())
    );

    // A scripted answer: its documented encrypted field decrypted, an undocumented key kept.
    let cipher = env.sandbox.encrypt_for_merchant("密文 back").unwrap();
    env.sandbox.respond(
        "POST",
        "v3/security/echo",
        json!({"echo_message": "m", "encrypted_echo_message": cipher, "extra": [1]}),
    );
    let out = run_with_stdin(
        env.wxpay(&["call", "POST", "v3/security/echo", "--json", "-"]),
        br#"{"echo_message":"m"}"#,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.json(),
        json!({"echo_message": "m", "encrypted_echo_message": "密文 back", "extra": [1]})
    );
    // --output: what would be printed, to the file.
    let file = env.path("answer.json");
    let out = run_with_stdin(
        env.wxpay(&["call", "POST", "v3/security/echo", "--json", "-", "-o"])
            .arg(&file),
        br#"{"echo_message":"m"}"#,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\n  \"echo_message\": \"m\",\n  \"encrypted_echo_message\": \"密文 back\",\n  \"extra\": [\n    1\n  ]\n}\n"
    );
    assert!(out.stderr.contains("wrote 93 B to "), "{out:?}");

    // Values in the path and its query string, typed as documented; --query adds to them.
    env.sandbox.clear_received();
    let out = run(env.wxpay(&[
        "call",
        "GET",
        "v3/transfer/batches/batch-id/B%201?need_query_detail=true&offset=0",
        "--query",
        "limit=20",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "{}\n");
    let r = env.sandbox.last_received().unwrap();
    assert_eq!(r.path, "v3/transfer/batches/batch-id/B%201");
    assert_eq!(r.query, "need_query_detail=true&offset=0&limit=20");

    // A template's placeholder from --json.
    let q = env.write("q.json", r#"{"batch_id":"B2","need_query_detail":false}"#);
    let out = run(env.wxpay(&[
        "call",
        "GET",
        "v3/transfer/batches/batch-id/{batch_id}",
        "--json",
        &q,
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    let r = env.sandbox.last_received().unwrap();
    assert_eq!(r.path, "v3/transfer/batches/batch-id/B2");
    assert_eq!(r.query, "need_query_detail=false");
}

fn cases_first_line() -> &'static str {
    "error: POST v3/pay/transactions/jsapi: missing required key `mchid` (`wxpay api show POST v3/pay/transactions/jsapi` lists its fields; --raw sends it as given)"
}

#[test]
fn call_of_a_catalog_endpoint_refuses_bad_keys_before_sending() {
    let env = Env::start();
    let mchid = read_config(&env)["mchid"].as_str().unwrap().to_string();
    let with_mchid = format!(r#""mchid":"{mchid}","#);
    let order = |extra: &str| {
        format!(
            r#"{{"appid":"wxd678efh567hg6787",{extra}"description":"d","out_trade_no":"T1",
                "notify_url":"https://example.com/n","amount":{{"total":1}},
                "payer":{{"openid":"o"}}}}"#
        )
    };
    let cases = [
        (
            order(""),
            "error: POST v3/pay/transactions/jsapi: missing required key `mchid` (`wxpay api show POST v3/pay/transactions/jsapi` lists its fields; --raw sends it as given)",
        ),
        (
            order(&format!(r#"{with_mchid}"colour":"red","#)),
            "error: POST v3/pay/transactions/jsapi: unknown key `colour` (`wxpay api show POST v3/pay/transactions/jsapi` lists its fields; --raw sends it as given)",
        ),
        (
            order(&with_mchid).replace(r#"{"total":1}"#, r#"{"totl":1}"#),
            "error: POST v3/pay/transactions/jsapi: missing required key `amount.total` (`wxpay api show POST v3/pay/transactions/jsapi` lists its fields; --raw sends it as given)",
        ),
    ];
    for (body, line) in cases {
        let out = run_with_stdin(
            env.wxpay(&["call", "POST", "v3/pay/transactions/jsapi", "--json", "-"]),
            body.as_bytes(),
        );
        assert_eq!(out.code, 2, "{out:?}");
        assert_eq!(out.error_line(), line);
        assert_eq!(out.stdout, "");
    }
    // A query value that is not of its documented type, and a --decrypt flag.
    let out = run(env.wxpay(&[
        "call",
        "GET",
        "v3/transfer/batches/batch-id/B1?need_query_detail=yes",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.error_line().starts_with(
            "error: GET v3/transfer/batches/batch-id/{batch_id}: `need_query_detail` must be a boolean"
        ),
        "{out:?}"
    );
    let out = run(env.wxpay(&[
        "call",
        "POST",
        "v3/security/echo",
        "--json",
        "-",
        "--decrypt",
        "/encrypted_echo_message",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: POST v3/security/echo is in the catalog: its documented fields are encrypted and decrypted without --encrypt or --decrypt (--raw sends it as given)"
    );
    assert!(env.sandbox.received().is_empty(), "nothing was sent");

    // Without a WeChat Pay key configured, the key check still comes first: no certificate
    // download goes out for a request that is refused.
    let mut config = read_config(&env);
    for key in [
        "wechatpay_public_key",
        "wechatpay_public_key_id",
        "platform_cert",
    ] {
        if let Some(map) = config.as_object_mut() {
            map.remove(key);
        }
        if let Some(map) = config["files"].as_object_mut() {
            map.remove(key);
        }
    }
    let keyless = env.write("keys/keyless.json", config.to_string());
    let out = run_with_stdin(
        wxpay(&[
            "--config",
            &keyless,
            "call",
            "POST",
            "v3/pay/transactions/jsapi",
            "--json",
            "-",
        ]),
        order("").as_bytes(),
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.error_line(), cases_first_line());
    assert!(
        env.sandbox.received().is_empty(),
        "no certificate download either"
    );

    // The same order, complete, is sent.
    let out = run_with_stdin(
        env.wxpay(&["call", "POST", "v3/pay/transactions/jsapi", "--json", "-"]),
        order(&with_mchid).as_bytes(),
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.json()["prepay_id"].as_str().is_some(), "{out:?}");
    assert_eq!(env.sandbox.received().len(), 1);
}

// ----- certificates -----

#[test]
fn certificates_are_verified_decrypted_and_saved() {
    let env = Env::start();
    env.sandbox.rotate_platform_certificate().unwrap();
    let served = env.sandbox.platform_certificates();
    assert_eq!(served.len(), 2);
    let out_dir = env.path("certs");
    let out = run(env.wxpay(&["certificates", "--out", out_dir.to_str().unwrap()]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    for (serial, pem) in &served {
        let path = out_dir.join(format!("wechatpay_{serial}.pem"));
        let saved = std::fs::read_to_string(&path).unwrap();
        let cert = wxpay::PlatformCertificate::new(&saved).expect("a certificate");
        assert_eq!(cert.serial(), serial);
        assert_eq!(
            cert.to_pem(),
            wxpay::PlatformCertificate::new(pem).unwrap().to_pem()
        );
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with(serial.as_str()))
            .unwrap_or_else(|| panic!("no line for {serial}: {}", out.stdout));
        assert!(line.contains("  valid  "), "{line}");
        assert!(line.contains(" UTC to "), "{line}");
        assert!(line.ends_with(&format!("wechatpay_{serial}.pem")), "{line}");
    }
    assert!(
        out.stderr.contains("2 certificate(s) downloaded"),
        "{}",
        out.stderr
    );

    // The saved folder verifies notifications of a merchant in certificate mode, with no
    // public key configured: flags and environment only.
    env.sandbox.set_key_mode(KeyMode::CertificatesOnly);
    let note = env
        .sandbox
        .notification("REFUND.SUCCESS", json!({"out_refund_no": "R1"}))
        .unwrap();
    let (headers, body) = env.notification_files(&note, "refund");
    let out = run(wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
        "--platform-cert",
        out_dir.to_str().unwrap(),
        "--json",
    ])
    .env("WXPAY_APIV3_KEY", env.sandbox.apiv3_key()));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["resource"], json!({"out_refund_no": "R1"}));
}

#[test]
fn certificates_with_only_the_merchant_key_and_the_apiv3_key() {
    let env = Env::start();
    let config = read_config(&env);
    let key = env.path("keys/merchant_key.pem").display().to_string();
    let base = |cmd: &mut Command| {
        cmd.args([
            "--mchid",
            config["mchid"].as_str().unwrap(),
            "--merchant-serial",
            config["merchant_serial"].as_str().unwrap(),
            "--merchant-key",
            &key,
            "--base-url",
            config["base_url"].as_str().unwrap(),
        ]);
    };

    // The APIv3 key from the environment…
    let mut cmd = wxpay(&["certificates"]);
    base(&mut cmd);
    let out = run(cmd.env("WXPAY_APIV3_KEY", env.sandbox.apiv3_key()));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .starts_with(&env.sandbox.platform_certificate_serial()),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("one of the certificates it carries"),
        "{}",
        out.stderr
    );

    // …or from a file (a final line break is not part of it).
    let key_file = env.write("apiv3.key", format!("{}\n", env.sandbox.apiv3_key()));
    let mut cmd = wxpay(&["certificates", "--apiv3-key-file", &key_file]);
    base(&mut cmd);
    assert_eq!(run(&mut cmd).code, 0);

    // A call with no WeChat Pay key downloads the certificates first.
    let mut cmd = wxpay(&["call", "POST", "v3/security/echo", "--json", "-"]);
    base(&mut cmd);
    let out = run_with_stdin(
        cmd.env("WXPAY_APIV3_KEY", env.sandbox.apiv3_key()),
        br#"{"echo_message":"x","encrypted_echo_message":"y"}"#,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("platform certificate(s) just downloaded")
    );

    // A wrong APIv3 key does not decrypt them.
    let mut cmd = wxpay(&["certificates"]);
    base(&mut cmd);
    let out = run(cmd.env("WXPAY_APIV3_KEY", "0123456789abcdef0123456789abcdef"));
    assert_eq!(out.code, 1, "{out:?}");
    out.error_line();

    // An APIv3 key of the wrong length is a configuration error.
    let mut cmd = wxpay(&["certificates"]);
    base(&mut cmd);
    let out = run(cmd.env("WXPAY_APIV3_KEY", "short"));
    assert_eq!(out.code, 2, "{out:?}");
    let line = out.error_line();
    assert!(line.contains("WXPAY_APIV3_KEY"), "{line}");
    assert!(!line.contains("short"), "the key is not printed: {line}");
}

#[test]
fn certificates_in_public_key_mode_is_not_an_error() {
    let env = Env::start();
    env.sandbox.set_key_mode(KeyMode::PublicKeyOnly);
    let out_dir = env.path("certs");
    let out = run(env.wxpay(&["certificates", "--out", out_dir.to_str().unwrap()]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with("public-key mode: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("404 RESOURCE_NOT_EXISTS"),
        "{}",
        out.stderr
    );
    assert!(!out_dir.exists());
}

// ----- notification verify -----

#[test]
fn notification_verify_prints_it_decrypted() {
    let env = Env::start();
    let resource = json!({"out_trade_no": "T1", "amount": {"total": 100, "currency": "CNY"}});
    let note = env
        .sandbox
        .notification("TRANSACTION.SUCCESS", resource.clone())
        .unwrap();
    let (headers, body) = env.notification_files(&note, "note");

    let out = run(env.wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .starts_with(&format!("id             {}\n", note.id))
    );
    assert!(out.stdout.contains("event_type     TRANSACTION.SUCCESS\n"));
    assert!(out.stdout.contains("summary        支付成功\n"));
    assert!(out.stdout.contains("original_type  transaction\n"));
    assert!(out.stdout.contains("resource:\n{\n  \""), "{}", out.stdout);
    assert!(
        out.stdout.contains("\n  \"out_trade_no\": \"T1\""),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("signature verified"), "{}", out.stderr);

    let out = run(env.wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
        "--json",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    let printed = out.json();
    assert_eq!(printed["id"], note.id.as_str());
    assert_eq!(printed["event_type"], "TRANSACTION.SUCCESS");
    assert_eq!(printed["resource_type"], "encrypt-resource");
    assert_eq!(printed["resource"], resource);
}

#[test]
fn notification_verify_refuses_probes_forgeries_and_stale_ones() {
    let env = Env::start();
    let resource = json!({"out_trade_no": "T2"});

    let probe = env
        .sandbox
        .notification_with_fault("TRANSACTION.SUCCESS", resource.clone(), Fault::SignTest)
        .unwrap();
    let (headers, body) = env.notification_files(&probe, "probe");
    let out = run(env.wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line()
            .starts_with("error: verification failed: signature is a WECHATPAY/SIGNTEST/ probe"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");

    let note = env
        .sandbox
        .notification("TRANSACTION.SUCCESS", resource.clone())
        .unwrap();
    let mut tampered = note.clone();
    tampered.body.insert(1, b' ');
    let (headers, body) = env.notification_files(&tampered, "tampered");
    let out = run(env.wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.error_line(),
        "error: verification failed: signature does not match"
    );

    // A line break added to the body file breaks the signature, and the message says so.
    let mut newline = note.clone();
    newline.body.push(b'\n');
    let (headers, body) = env.notification_files(&newline, "newline");
    let out = run(env.wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line().contains("ends with a line break"),
        "{}",
        out.stderr
    );

    // Ten minutes old: refused, unless checked as of its own time.
    let stale = env
        .sandbox
        .notification_with_fault("TRANSACTION.SUCCESS", resource, Fault::StaleTimestamp)
        .unwrap();
    let timestamp = stale.headers["Wechatpay-Timestamp"]
        .to_str()
        .unwrap()
        .to_string();
    let (headers, body) = env.notification_files(&stale, "stale");
    let out = run(env.wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    let line = out.error_line();
    assert!(line.contains("Wechatpay-Timestamp is"), "{line}");
    assert!(line.contains(&format!("--now {timestamp}")), "{line}");
    let out = run(env.wxpay(&[
        "notification",
        "verify",
        "--headers",
        &headers,
        "--body",
        &body,
        "--now",
        &timestamp,
    ]));
    assert_eq!(out.code, 0, "{out:?}");
}

// ----- usage -----

#[test]
fn usage_and_configuration_errors_exit_2_with_one_line() {
    let env = Env::start();
    let body = env.write("body.json", r#"{"a": 1}"#);
    let config = env.config();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["call", "FETCH", "v3/x"], "invalid value 'FETCH'"),
        (vec!["call", "GET"], "<PATH>"),
        (vec!["call", "GET", "v3/x", "--bogus"], "'--bogus'"),
        (
            vec!["call", "GET", "v3/x", "--query", "novalue"],
            "NAME=VALUE",
        ),
        (vec!["call", "GET", "v3/x?a=1"], "--query"),
        (
            vec!["call", "GET", "https://api.mch.weixin.qq.com/v3/x"],
            "--base-url",
        ),
        (vec!["call", "POST", "v3/x", "--encrypt", "/a"], "--json"),
        (
            vec!["call", "POST", "v3/x", "--json", &body, "--encrypt", "/b"],
            "no value there",
        ),
        (
            vec!["call", "POST", "v3/x", "--json", &body, "--encrypt", "/a"],
            "not a string",
        ),
        (
            vec!["call", "POST", "v3/x", "--json", "missing.json"],
            "missing.json",
        ),
        (vec!["notification", "verify", "--body", &body], "--headers"),
        (
            vec!["certificates", "--base-url", "api.mch.weixin.qq.com"],
            "base URL",
        ),
    ];
    for (args, expected) in cases {
        let mut cmd = wxpay(&["--config", &config]);
        let out = run(cmd.args(&args));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        let line = out.error_line();
        assert!(line.contains(expected), "{args:?}: {line}");
        assert_eq!(out.stdout, "", "{args:?}");
    }

    // No configuration at all.
    let out = run(&mut wxpay(&["call", "GET", "v3/x"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.error_line().contains("--mchid"), "{}", out.stderr);
    let out = run(&mut wxpay(&[
        "--config",
        "nowhere.json",
        "call",
        "GET",
        "v3/x",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.error_line().contains("nowhere.json"), "{}", out.stderr);

    // A key of the wrong kind names the file.
    let public = env.path("keys/wechatpay_public_key.pem");
    let out = run(env.wxpay(&[
        "call",
        "GET",
        "v3/x",
        "--merchant-key",
        public.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.error_line().contains("wechatpay_public_key.pem"),
        "{}",
        out.stderr
    );

    // No command: help on stderr, exit code 2; --help: exit code 0.
    let out = run(&mut wxpay(&[]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("Usage: wxpay"));
    let out = run(&mut wxpay(&["--help"]));
    assert_eq!(out.code, 0);
    for word in ["call", "certificates", "notification", "WXPAY_APIV3_KEY"] {
        assert!(out.stdout.contains(word), "{word}: {}", out.stdout);
    }
    // Nothing was sent by any of these.
    assert!(env.sandbox.received().is_empty());
}

#[test]
fn config_file_paths_are_relative_to_it() {
    let env = Env::start();
    // Run from elsewhere with a relative --config path.
    let out = run(
        wxpay(&["--config", "keys/config.json", "call", "GET", "v3/x"]).current_dir(env.dir.path()),
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "{}\n");
}

// ----- against the sandbox binary -----

/// The `wxpay-sandbox` binary beside this package's `wxpay` binary in the target folder
/// (`cargo test --workspace` builds it); built on demand when this package is tested alone.
fn sandbox_binary() -> PathBuf {
    let wxpay = PathBuf::from(env!("CARGO_BIN_EXE_wxpay"));
    let path = wxpay.with_file_name(format!("wxpay-sandbox{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "wxpay-sandbox", "--bin", "wxpay-sandbox"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the sandbox binary failed");
    }
    path
}

/// Kills the sandbox process when the test ends, whatever happens.
struct SandboxProcess(std::process::Child);

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_against_the_sandbox_binary() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let mut sandbox = SandboxProcess(
        Command::new(sandbox_binary())
            .args(["--listen", "127.0.0.1:0", "--keys"])
            .arg(&keys)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox binary starts"),
    );
    let config = keys.join("config.json");
    let started = std::time::Instant::now();
    while !config.exists() {
        if let Some(status) = sandbox.0.try_wait().unwrap() {
            panic!("the sandbox binary exited: {status}");
        }
        assert!(started.elapsed().as_secs() < 30, "no config.json");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let config = config.display().to_string();
    let wxpay = |args: &[&str]| {
        let mut cmd = wxpay(&["--config", &config]);
        cmd.args(args);
        cmd
    };

    // A catalog call with an encrypted field both ways (no flag), verified with the
    // sandbox's public key.
    let body = dir.path().join("echo.json");
    std::fs::write(
        &body,
        r#"{"echo_message":"hi","encrypted_echo_message":"秘密 secret"}"#,
    )
    .unwrap();
    let out = run(wxpay(&[
        "call",
        "POST",
        "v3/security/echo",
        "--json",
        body.to_str().unwrap(),
    ]));
    out.assert_echoed("hi", "秘密 secret");

    // An upload, its meta signed and its sha256 checked by the sandbox.
    let image = dir.path().join("logo.png");
    std::fs::write(&image, b"\x89PNG\r\n\x1a\n not really").unwrap();
    let out = run(wxpay(&[
        "call",
        "POST",
        "v3/merchant/media/upload",
        "--file",
        image.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.json()["media_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );

    // The certificate downloader, decrypting with the APIv3 key of the config file.
    let certs = dir.path().join("certs");
    let out = run(wxpay(&["certificates", "--out", certs.to_str().unwrap()]));
    assert_eq!(out.code, 0, "{out:?}");
    let saved: Vec<_> = std::fs::read_dir(&certs).unwrap().collect();
    assert_eq!(saved.len(), out.stdout.lines().count(), "{out:?}");
    assert!(!saved.is_empty());

    // An error answer: one line, exit code 1. A merchant key the sandbox does not know (the
    // flag beats the config file) makes WeChat Pay answer 401 SIGN_ERROR.
    let other_key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../wxpay-core/tests/fixtures/merchant_key.pem"
    );
    let out = run(wxpay(&[
        "call",
        "GET",
        "v3/merchant/fund/balance/BASIC",
        "--merchant-key",
        other_key,
    ]));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.error_line()
            .starts_with("error: WeChat Pay answered 401 SIGN_ERROR: "),
        "{out:?}"
    );
}
