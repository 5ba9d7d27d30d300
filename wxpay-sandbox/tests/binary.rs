//! The `wxpay-sandbox` binary: keys on disk, config.json, control routes, and the payment flow
//! driven through it alone (signed by hand, `--allow-notify-host`, `--notify-speedup`).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wxpay_core::sign::{authorization, nonce};
use wxpay_core::{KeyStore, MerchantKey, PlatformCertificate, WechatPayPublicKey};

const BIN: &str = env!("CARGO_BIN_EXE_wxpay-sandbox");

/// Kills the child when the test ends, whatever happens.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_config(dir: &Path, child: &mut Child) -> Value {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(dir.join("config.json")) {
            return serde_json::from_str(&text).expect("config.json is JSON");
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the sandbox exited early: {status}");
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no config.json");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn writes_keys_and_serves_signed_answers() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--keys"])
        .arg(&keys)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let config = wait_for_config(&keys, &mut child);
    let mut child = Running(child);
    let banner = {
        let mut line = String::new();
        BufReader::new(child.0.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        line
    };
    let base_url = config["base_url"].as_str().unwrap().to_string();
    assert!(base_url.starts_with("http://127.0.0.1:") && base_url.ends_with('/'));
    assert!(banner.contains(&base_url), "{banner}");
    let mchid = config["mchid"].as_str().unwrap();
    let serial = config["merchant_serial"].as_str().unwrap();
    let key_id = config["wechatpay_public_key_id"].as_str().unwrap();
    assert_eq!(config["apiv3_key"].as_str().unwrap().len(), 32);
    let read = |name: &str| std::fs::read_to_string(keys.join(name)).unwrap();
    // The secrets are only in files, never on stdout.
    assert!(!banner.contains(config["apiv3_key"].as_str().unwrap()));
    assert!(!banner.contains("PRIVATE"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys.join("merchant_key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the private key is private");
    }
    let merchant = MerchantKey::new(serial, read("merchant_key.pem")).unwrap();
    let cert = PlatformCertificate::new(read("merchant_cert.pem")).unwrap();
    assert_eq!(cert.serial(), serial);
    let platform = PlatformCertificate::new(read("platform_cert.pem")).unwrap();
    assert_eq!(
        platform.serial(),
        config["platform_certificate_serial"].as_str().unwrap()
    );
    let public = WechatPayPublicKey::new(key_id, read("wechatpay_public_key.pem")).unwrap();
    assert!(read("merchant_public_key.pem").starts_with("-----BEGIN PUBLIC KEY-----"));

    // A signed echo with an encrypted field, built by hand as another language would.
    let body = json!({
        "echo_message": "hi",
        "encrypted_echo_message": public.encrypt("机密").unwrap(),
    })
    .to_string();
    let ts = now();
    let auth = authorization(
        mchid,
        &merchant,
        "POST",
        "/v3/security/echo",
        ts,
        &nonce().unwrap(),
        body.as_bytes(),
    )
    .unwrap();
    let http = reqwest::Client::new();
    let reply = http
        .post(format!("{base_url}v3/security/echo"))
        .header("Authorization", auth)
        .header("Wechatpay-Serial", key_id)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let headers = reply.headers().clone();
    let answer = reply.bytes().await.unwrap();
    let mut trusted = KeyStore::new();
    trusted.set_public_key(public);
    wxpay_core::verify::verify(&trusted, &headers, &answer, now()).unwrap();
    let answer: Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(
        merchant
            .decrypt(answer["encrypted_echo_message"].as_str().unwrap())
            .unwrap(),
        "机密"
    );

    // Unsigned: 401 SIGN_ERROR.
    let unsigned = http
        .get(format!("{base_url}v3/anything"))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let error: Value = serde_json::from_slice(&unsigned.bytes().await.unwrap()).unwrap();
    assert_eq!(error["code"], "SIGN_ERROR");

    // What was received, decrypted, over HTTP.
    let requests: Value = serde_json::from_slice(
        &http
            .get(format!("{base_url}_sandbox/requests"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    let requests = requests.as_array().unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0]["path"], "v3/security/echo");
    assert_eq!(requests[0]["json"]["encrypted_echo_message"], "机密");
    assert_eq!(requests[0]["encrypted"], json!(["encrypted_echo_message"]));
    assert_eq!(requests[1]["status"], 401);
    assert_eq!(requests[1]["error_code"], "SIGN_ERROR");

    // Scripting and faults over HTTP.
    let script = json!({"method": "GET", "path": "v3/anything", "status": 404, "body": {"code": "RESOURCE_NOT_EXISTS", "message": "no"}});
    let scripted = http
        .post(format!("{base_url}_sandbox/respond"))
        .body(script.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(scripted.status(), 204);
    let fault = http
        .post(format!("{base_url}_sandbox/fault"))
        .body(r#"{"fault": "nonsense"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(fault.status(), 400);
    let cleared = http
        .delete(format!("{base_url}_sandbox/requests"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 204);
    let config_over_http: Value = serde_json::from_slice(
        &http
            .get(format!("{base_url}_sandbox/config"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(config_over_http, config);
}

#[test]
fn bad_arguments_and_busy_ports_fail_with_one_line() {
    let usage = Command::new(BIN).arg("--nope").output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let stderr = String::from_utf8(usage.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("wxpay-sandbox: unknown argument"));

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let taken = Command::new(BIN)
        .args(["--listen", &addr])
        .output()
        .unwrap();
    assert_eq!(taken.status.code(), Some(1));
    let stderr = String::from_utf8(taken.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );

    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(
        String::from_utf8(help.stdout)
            .unwrap()
            .contains("--keys DIR")
    );
}

#[test]
fn start_blocking_works_without_a_runtime() {
    let sandbox = wxpay_sandbox::Sandbox::start_blocking().unwrap();
    let reply = std::net::TcpStream::connect(sandbox.addr());
    assert!(reply.is_ok());
    drop(sandbox);
}

#[tokio::test]
async fn starts_quickly() {
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let sandbox = wxpay_sandbox::Sandbox::start().await.unwrap();
        times.push(start.elapsed());
        drop(sandbox);
    }
    eprintln!("sandbox start-up times: {times:?}");
    // Three 2048-bit keys in parallel: tens of milliseconds optimized; generous for CI.
    assert!(
        times.iter().all(|t| *t < Duration::from_secs(10)),
        "{times:?}"
    );
}

// ----- The payment flow through the binary alone -----

/// A client in another language: signs by hand with the key from `--keys`.
struct Api {
    base_url: String,
    mchid: String,
    key: MerchantKey,
    http: reqwest::Client,
}

impl Api {
    /// A signed request; returns status and JSON answer (`Null` when empty).
    async fn call(&self, method: &str, path_and_query: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let ts = now();
        let auth = authorization(
            &self.mchid,
            &self.key,
            method,
            path_and_query,
            ts,
            &nonce().unwrap(),
            body.as_bytes(),
        )
        .unwrap();
        let url = format!(
            "{}{}",
            self.base_url,
            path_and_query.trim_start_matches('/')
        );
        let reply = self
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = reply.status().as_u16();
        let bytes = reply.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn control(&self, method: &str, route: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}_sandbox/{route}", self.base_url),
        );
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let reply = request.send().await.unwrap();
        let status = reply.status().as_u16();
        let bytes = reply.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

fn order(mchid: &str, out_trade_no: &str, notify_url: &str) -> Value {
    json!({"appid": "wxd678efh567hg6787", "mchid": mchid, "description": "QQ公仔",
           "out_trade_no": out_trade_no, "notify_url": notify_url,
           "amount": {"total": 100, "currency": "CNY"},
           "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}})
}

#[tokio::test]
async fn the_flow_through_the_binary_alone() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--allow-notify-host",
            "shop.invalid",
            "--notify-speedup",
            "100000",
            "--notify-timeout-ms",
            "2000",
            "--keys",
        ])
        .arg(&keys)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let config = wait_for_config(&keys, &mut child);
    let _child = Running(child);
    let mchid = config["mchid"].as_str().unwrap().to_string();
    let key = MerchantKey::new(
        config["merchant_serial"].as_str().unwrap(),
        std::fs::read_to_string(keys.join("merchant_key.pem")).unwrap(),
    )
    .unwrap();
    let api = Api {
        base_url: config["base_url"].as_str().unwrap().to_string(),
        mchid: mchid.clone(),
        key,
        http: reqwest::Client::new(),
    };

    // An allowed host that does not resolve: every attempt fails, then it is given up.
    let (status, created) = api
        .call(
            "POST",
            "/v3/pay/transactions/jsapi",
            Some(order(&mchid, "bin-1", "http://shop.invalid/notify")),
        )
        .await;
    assert_eq!(status, 200);
    assert!(created["prepay_id"].as_str().unwrap().starts_with("wx"));
    // A host that is not allowed: refused, never sent.
    let (status, _) = api
        .call(
            "POST",
            "/v3/pay/transactions/jsapi",
            Some(order(&mchid, "bin-2", "https://shop.example.com/notify")),
        )
        .await;
    assert_eq!(status, 200);

    let (status, paid) = api
        .control("POST", "pay", Some(json!({"out_trade_no": "bin-1"})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(paid["trade_state"], "SUCCESS");
    let (status, _) = api
        .control("POST", "pay", Some(json!({"out_trade_no": "bin-2"})))
        .await;
    assert_eq!(status, 200);

    let (status, queried) = api
        .call(
            "GET",
            &format!(
                "/v3/pay/transactions/id/{}?mchid={mchid}",
                paid["transaction_id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(queried["out_trade_no"], "bin-1");
    assert_eq!(queried["trade_state"], "SUCCESS");

    let start = Instant::now();
    let list = loop {
        let (_, list) = api.control("GET", "notifications", None).await;
        if list
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] != "pending")
        {
            break list;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{list}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(list[0]["subject"], "bin-1");
    assert_eq!(list[0]["state"], "failed");
    assert_eq!(list[0]["attempts"].as_array().unwrap().len(), 16);
    assert_eq!(list[0]["attempts"][15]["status"], Value::Null);
    assert_eq!(list[1]["subject"], "bin-2");
    assert_eq!(list[1]["state"], "refused");
    assert_eq!(list[1]["attempts"], json!([]));

    let (status, orders) = api.control("GET", "orders", None).await;
    assert_eq!(status, 200);
    assert_eq!(orders.as_array().unwrap().len(), 2);
    let page = api
        .http
        .get(format!("{}_sandbox/", api.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("bin-1"));
}

#[test]
fn help_lists_the_payment_routes_and_options() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    for text in [
        "--allow-notify-host HOST",
        "--notify-speedup N",
        "--notify-timeout-ms MS",
        "POST   /_sandbox/pay",
        "GET    /_sandbox/notifications",
        "POST   /_sandbox/notifications/redeliver",
        "GET    /_sandbox/orders",
        "GET    /_sandbox/refunds",
        "GET    /_sandbox/           a page",
        "\"fault\"?:\"sign_test\"",
    ] {
        assert!(help.contains(text), "{text} missing from --help:\n{help}");
    }
}

/// The names of a process's threads that start with `prefix`, sorted (Linux: /proc).
#[cfg(target_os = "linux")]
fn threads_named(pid: u32, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| name.starts_with(prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn workers_flag_sets_the_threads_that_answer() {
    for (args, workers) in [
        (&["--workers", "3"][..], 3),
        (&[][..], std::thread::available_parallelism().unwrap().get()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        let mut child = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--keys"])
            .arg(&keys)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let config = wait_for_config(&keys, &mut child);
        let mut child = Running(child);
        let mut banner = String::new();
        BufReader::new(child.0.stdout.as_mut().unwrap())
            .read_line(&mut banner)
            .unwrap();
        let plural = if workers == 1 { "" } else { "s" };
        assert!(
            banner.starts_with(&format!(
                "wxpay-sandbox listening on {} with {workers} worker thread{plural} (",
                config["base_url"].as_str().unwrap()
            )),
            "{banner}"
        );
        #[cfg(target_os = "linux")]
        assert_eq!(
            threads_named(child.0.id(), "wxpay-sandbox-"),
            (0..workers)
                .map(|n| format!("wxpay-sandbox-{n}"))
                .collect::<Vec<_>>()
        );
    }
}
