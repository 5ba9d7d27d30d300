//! The payment flow through the `wxpay-sandbox` binary alone, as a client in another language
//! drives it: keys from `--keys`, signed requests built by hand, the control routes, and the
//! notification options `--allow-notify-host` and `--notify-speedup`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wxpay_core::MerchantKey;
use wxpay_core::sign::{authorization, nonce};

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
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
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
