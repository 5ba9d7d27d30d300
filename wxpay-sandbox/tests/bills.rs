//! Bills, uploads and rotation as the sandbox serves them, checked with hand-made requests
//! (no wxpay client): the bill query's answer, the unsigned (gzip) file matching its
//! digest, the faults, the control routes, and what an upload must carry.

mod common;

use std::io::Read;

use common::{Call, verify};
use serde_json::{Value, json};
use sha1::Digest;
use wxpay_sandbox::{BillKind, BillSpec, KeyMode, Sandbox};

fn sha1_hex(bytes: &[u8]) -> String {
    sha1::Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// The path and query of a `download_url` on the sandbox.
fn path_of(sandbox: &Sandbox, url: &str) -> String {
    format!(
        "/{}",
        url.strip_prefix(sandbox.base_url())
            .expect("on the sandbox")
    )
}

#[tokio::test]
async fn a_bill_query_answers_a_signed_download_url_and_the_file_matches_it() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_bills(BillSpec::rows(7));
    for (path, kind) in [
        ("/v3/bill/tradebill", BillKind::Trade),
        ("/v3/bill/fundflowbill", BillKind::FundFlow),
    ] {
        for gzip in [false, true] {
            let query = if gzip {
                format!("{path}?bill_date=2024-05-01&tar_type=GZIP")
            } else {
                format!("{path}?bill_date=2024-05-01")
            };
            let answer = Call::new(&sandbox, "GET", &query).send().await;
            assert_eq!(answer.status, 200);
            verify(&sandbox, &answer).unwrap();
            let json = answer.json();
            assert_eq!(json["hash_type"], "SHA1");
            let url = json["download_url"].as_str().unwrap();
            assert!(url.starts_with(&format!(
                "{}v3/billdownload/file?token=",
                sandbox.base_url()
            )));
            assert_eq!(url.ends_with("&tartype=gzip"), gzip);

            let file = Call::new(&sandbox, "GET", &path_of(&sandbox, url))
                .send()
                .await;
            assert_eq!(file.status, 200);
            assert!(
                file.header("Wechatpay-Signature").is_none(),
                "downloads are unsigned"
            );
            let csv = if gzip { gunzip(&file.body) } else { file.body };
            assert_eq!(sha1_hex(&csv), json["hash_value"]);
            assert_eq!(csv, sandbox.bill_csv(kind, "2024-05-01"));
        }
    }
}

#[tokio::test]
async fn bill_faults_break_the_digest() {
    let sandbox = Sandbox::start().await.unwrap();
    for spec in [
        BillSpec::rows(20).wrong_digest(),
        BillSpec::rows(20).tampered(),
        BillSpec::rows(20).truncated(),
    ] {
        sandbox.set_bills(spec.clone());
        let answer = Call::new(&sandbox, "GET", "/v3/bill/tradebill?bill_date=2024-05-01")
            .send()
            .await
            .json();
        let url = answer["download_url"].as_str().unwrap();
        let file = Call::new(&sandbox, "GET", &path_of(&sandbox, url))
            .send()
            .await;
        assert_ne!(sha1_hex(&file.body), answer["hash_value"], "{spec:?}");
    }
}

#[tokio::test]
async fn bill_queries_check_their_parameters_and_tokens() {
    let sandbox = Sandbox::start().await.unwrap();
    for query in [
        "/v3/bill/tradebill",
        "/v3/bill/tradebill?bill_date=20240501",
        "/v3/bill/fundflowbill?bill_date=2024-05-01&tar_type=ZIP",
        "/v3/billdownload/file?token=unknown",
    ] {
        let reply = Call::new(&sandbox, "GET", query).send().await;
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, "PARAM_ERROR"),
            "{query}"
        );
    }
    // Unsigned requests for a file are refused like any other.
    let answer = Call::new(&sandbox, "GET", "/v3/bill/tradebill?bill_date=2024-05-01")
        .send()
        .await
        .json();
    let url = answer["download_url"].as_str().unwrap();
    let unsigned = Call::new(&sandbox, "GET", &path_of(&sandbox, url))
        .authorization(None)
        .send()
        .await;
    assert_eq!(unsigned.status, 401);
}

#[tokio::test]
async fn control_routes_set_bills_rotate_and_pin_the_signer() {
    let sandbox = Sandbox::builder()
        .key_mode(KeyMode::CertificatesOnly)
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let post = |route: &str, body: Value| {
        http.post(format!("{}_sandbox/{route}", sandbox.base_url()))
            .body(body.to_string())
            .send()
    };
    assert_eq!(
        post("bills", json!({"rows": 2})).await.unwrap().status(),
        204
    );
    assert_eq!(
        post("bills", json!({"rows": 2, "fault": "nope"}))
            .await
            .unwrap()
            .status(),
        400
    );
    let rotated: Value = serde_json::from_str(
        &post("rotate", json!({"valid_for_secs": 3600}))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let serial = rotated["serial"].as_str().unwrap().to_string();
    assert_eq!(sandbox.platform_certificates().len(), 2);
    assert_eq!(sandbox.platform_certificate_serial(), serial);

    let first = sandbox.platform_certificates()[0].0.clone();
    assert_eq!(
        post("sign-with", json!({"serial": first}))
            .await
            .unwrap()
            .status(),
        204
    );
    let reply = Call::new(&sandbox, "GET", "/v3/bill/tradebill?bill_date=2024-05-01")
        .wechatpay_serial(Some(&serial))
        .send()
        .await;
    assert_eq!(reply.header("Wechatpay-Serial"), Some(first.as_str()));
    let rows = String::from_utf8(sandbox.bill_csv(BillKind::Trade, "2024-05-01"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 1 + 2 + 2);
    assert_eq!(
        post("sign-with", json!({"serial": null}))
            .await
            .unwrap()
            .status(),
        204
    );
    let reply = Call::new(&sandbox, "GET", "/v3/bill/tradebill?bill_date=2024-05-01")
        .wechatpay_serial(Some(&serial))
        .send()
        .await;
    assert_eq!(reply.header("Wechatpay-Serial"), Some(serial.as_str()));
}

#[tokio::test]
async fn an_expired_certificate_is_no_longer_served() {
    let sandbox = Sandbox::builder()
        .key_mode(KeyMode::CertificatesOnly)
        .start()
        .await
        .unwrap();
    let short = sandbox
        .rotate_platform_certificate_valid_for(std::time::Duration::from_secs(1))
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let reply = Call::new(&sandbox, "GET", "/v3/certificates")
        .wechatpay_serial(None)
        .send()
        .await;
    let data = reply.json()["data"].clone();
    let served: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["serial_no"].as_str().unwrap())
        .collect();
    assert!(!served.contains(&short.as_str()));
    assert_eq!(served, [sandbox.platform_certificates()[0].0.as_str()]);
    // Not chosen to sign either, though it is the newest.
    assert_eq!(
        reply.header("Wechatpay-Serial"),
        Some(sandbox.platform_certificates()[0].0.as_str())
    );
}

#[tokio::test]
async fn uploads_need_a_digest_and_a_file() {
    let sandbox = Sandbox::start().await.unwrap();
    let file = b"\x89PNG\r\n\x1a\n".to_vec();
    let sha = wxpay_core::File::new("a.png", file.clone()).sha256_hex();
    let no_digest = Call::new(&sandbox, "POST", "/v3/merchant/media/upload")
        .upload(r#"{"filename":"a.png"}"#, "a.png", &file, true)
        .send()
        .await;
    assert_eq!(
        (no_digest.status, no_digest.code().as_str()),
        (400, "PARAM_ERROR")
    );
    let meta = format!(
        r#"{{"filename":"a.png","sha256":"{}"}}"#,
        wxpay_core::File::new("e", Vec::new()).sha256_hex()
    );
    let empty = Call::new(&sandbox, "POST", "/v3/merchant/media/upload")
        .upload(&meta, "a.png", b"", true)
        .send()
        .await;
    assert_eq!((empty.status, empty.code().as_str()), (400, "PARAM_ERROR"));
    // The signature is checked before the content: a bad one is SIGN_ERROR whatever the meta.
    let unsigned = Call::new(&sandbox, "POST", "/v3/merchant/media/upload")
        .upload(r#"{"filename":"a.png"}"#, "a.png", &file, false)
        .send()
        .await;
    assert_eq!(
        (unsigned.status, unsigned.code().as_str()),
        (401, "SIGN_ERROR")
    );
    let meta = format!(r#"{{"filename":"a.png","sha256":"{sha}"}}"#);
    let ok = Call::new(&sandbox, "POST", "/v3/marketing/favor/media/image-upload")
        .upload(&meta, "a.png", &file, true)
        .send()
        .await;
    assert_eq!(ok.status, 200);
    assert!(
        ok.json()["media_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}
