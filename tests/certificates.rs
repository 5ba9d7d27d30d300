//! Platform certificates through the sandbox: the first download with no key configured,
//! rotation (old and new both verify during the overlap, an expired one never does), a
//! serial nobody announced triggering exactly one download, public-key mode, and a failed
//! download keeping the keys already held.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use wxpay::prelude::*;
use wxpay::{Clock, ConfigError, VerifyError};
use wxpay_sandbox::{Answer, Fault, KeyMode, Sandbox};

/// 合单查询订单: a signed GET whose answer (`200 {}` from the sandbox, which keeps no
/// combined orders) is verified.
#[wxpay_endpoint(GET, "v3/combine-transactions/out-trade-no/{out_trade_no}")]
pub struct QueryOrder {
    pub out_trade_no: String,
    pub mchid: String,
}

fn query(sandbox: &Sandbox) -> QueryOrder {
    QueryOrder {
        out_trade_no: "T1001".into(),
        mchid: sandbox.mchid().into(),
    }
}

/// A client that knows no WeChat Pay key: it downloads the platform certificates.
fn refreshing_client(sandbox: &Sandbox, period: Duration) -> Client {
    Client::builder()
        .mchid(sandbox.mchid())
        .merchant_key(
            sandbox.merchant_serial(),
            sandbox.merchant_private_key_pem(),
        )
        .apiv3_key(sandbox.apiv3_key())
        .base_url(sandbox.base_url())
        .certificate_refresh(period)
        .build()
        .unwrap()
}

fn downloads(sandbox: &Sandbox) -> usize {
    sandbox
        .received()
        .iter()
        .filter(|r| r.path == "v3/certificates")
        .count()
}

async fn certificate_sandbox() -> Sandbox {
    Sandbox::builder()
        .key_mode(KeyMode::CertificatesOnly)
        .start()
        .await
        .unwrap()
}

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn the_first_request_downloads_the_certificates_with_no_key_configured() {
    let sandbox = certificate_sandbox().await;
    let client = refreshing_client(&sandbox, HOUR);
    assert!(client.engine().key_store().is_empty());
    client.send(&query(&sandbox)).await.unwrap();
    client.send(&seeds_echo()).await.unwrap();
    assert_eq!(
        downloads(&sandbox),
        1,
        "one download, before the first request"
    );

    let received = sandbox.received();
    // No key yet: the download names none; the requests after it name the certificate.
    assert_eq!(received[0].path, "v3/certificates");
    assert_eq!(received[0].wechatpay_serial(), None);
    let serial = sandbox.platform_certificate_serial();
    assert_eq!(received[1].wechatpay_serial(), Some(serial.as_str()));
    assert_eq!(received[2].encrypted, ["encrypted_echo_message"]);
    assert_eq!(received[2].status, 200);
    assert!(client.engine().key_store().contains(&serial));
}

/// An echo with an encrypted field, encrypted with the downloaded certificate.
#[wxpay_endpoint(POST, "v3/security/echo", response = EchoAnswer)]
pub struct Echo {
    pub echo_message: String,
    #[encrypted]
    pub encrypted_echo_message: Option<String>,
}

#[wxpay_model]
pub struct EchoAnswer {
    pub echo_message: String,
}

fn seeds_echo() -> Echo {
    Echo {
        echo_message: "hello".into(),
        encrypted_echo_message: Some("秘密".into()),
    }
}

/// The system clock moved by an offset the test sets: the client lives in the future while
/// the sandbox does not.
#[derive(Clone, Default)]
struct OffsetClock(Arc<AtomicI64>);

impl Clock for OffsetClock {
    fn now(&self) -> i64 {
        wxpay::SystemClock.now() + self.0.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn rotation_old_and_new_verify_during_the_overlap_and_an_expired_one_never() {
    // The old certificate expires LIFETIME after it is issued. Instead of waiting, the test
    // moves the client's clock JUMP ahead: past the expiry, but within the 300 s that
    // Wechatpay-Timestamp may differ from the local clock, so that only the expiry matters.
    const LIFETIME: Duration = Duration::from_secs(120);
    const JUMP: i64 = 180;
    let sandbox = certificate_sandbox().await;
    // The certificate in force, about to expire.
    let old = sandbox
        .rotate_platform_certificate_valid_for(LIFETIME)
        .unwrap();
    let issued = Instant::now();
    sandbox.sign_with(Some(&old));
    let clock = OffsetClock::default();
    let client = Client::builder()
        .mchid(sandbox.mchid())
        .merchant_key(
            sandbox.merchant_serial(),
            sandbox.merchant_private_key_pem(),
        )
        .apiv3_key(sandbox.apiv3_key())
        .base_url(sandbox.base_url())
        .certificate_refresh(HOUR)
        .clock(clock.clone())
        .build()
        .unwrap();
    client.send(&query(&sandbox)).await.unwrap();
    assert!(client.engine().key_store().contains(&old));

    // WeChat Pay issues a new certificate and switches to it: the client has never seen it.
    let new = sandbox.rotate_platform_certificate().unwrap();
    sandbox.sign_with(Some(&new));
    client.send(&query(&sandbox)).await.unwrap();
    assert_eq!(
        downloads(&sandbox),
        2,
        "the unknown serial fetched the new one"
    );
    // Fields are now encrypted with the newest certificate, and the request says so.
    client.send(&seeds_echo()).await.unwrap();
    assert_eq!(
        sandbox.last_received().unwrap().wechatpay_serial(),
        Some(new.as_str())
    );

    // The overlap: answers and notifications signed by either certificate verify.
    for serial in [&old, &new, &old] {
        sandbox.sign_with(Some(serial));
        client.send(&query(&sandbox)).await.unwrap();
        let note = sandbox
            .notification("TRANSACTION.SUCCESS", json!({"out_trade_no": "T1"}))
            .unwrap();
        client
            .parse_notification::<serde_json::Value>(&note.headers, &note.body)
            .unwrap();
    }
    assert_eq!(downloads(&sandbox), 2, "no download while both are held");
    assert!(
        issued.elapsed() < LIFETIME,
        "the old certificate must still be valid by the sandbox's clock"
    );

    // The old one expires (by the client's clock): what it signs no longer verifies.
    clock.0.store(JUMP, Ordering::SeqCst);
    sandbox.sign_with(Some(&old));
    match client.send(&query(&sandbox)).await {
        Err(Error::Verification {
            error: VerifyError::ExpiredCertificate(serial),
            ..
        }) => {
            assert_eq!(serial, old)
        }
        other => panic!("expected an expired certificate, got {other:?}"),
    }
    let note = sandbox
        .notification("TRANSACTION.SUCCESS", json!({"out_trade_no": "T2"}))
        .unwrap();
    assert!(matches!(
        client.parse_notification::<serde_json::Value>(&note.headers, &note.body),
        Err(Error::Verification {
            error: VerifyError::ExpiredCertificate(_),
            ..
        })
    ));
    sandbox.sign_with(Some(&new));
    client.send(&query(&sandbox)).await.unwrap();

    // The next download drops it, although the sandbox (whose clock did not move) still
    // serves it: expired certificates are never installed.
    client.refresh_certificates().await.unwrap();
    let store = client.engine().key_store();
    assert!(!store.contains(&old));
    assert!(store.contains(&new));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_serial_triggers_exactly_one_download() {
    let sandbox = certificate_sandbox().await;
    let client = refreshing_client(&sandbox, HOUR);
    client.send(&query(&sandbox)).await.unwrap();
    assert_eq!(downloads(&sandbox), 1);

    let new = sandbox.rotate_platform_certificate().unwrap();
    sandbox.sign_with(Some(&new));
    // Eight requests meet the new serial at once: one download serves them all.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            let request = query(&sandbox);
            tokio::spawn(async move { client.send(&request).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(downloads(&sandbox), 2);
    assert!(client.engine().key_store().contains(&new));
}

#[tokio::test]
async fn a_serial_that_stays_unknown_downloads_once_then_is_rate_limited() {
    let sandbox = certificate_sandbox().await;
    let client = refreshing_client(&sandbox, HOUR);
    client.send(&query(&sandbox)).await.unwrap();

    // A serial nobody holds (a forgery, a bug): one download, which does not bring it.
    sandbox.fault(Fault::UnknownSerial);
    assert!(matches!(
        client.send(&query(&sandbox)).await,
        Err(Error::Verification {
            error: VerifyError::UnknownSerial(_),
            ..
        })
    ));
    assert_eq!(downloads(&sandbox), 2);
    // Within the minute, more of them download nothing.
    for _ in 0..3 {
        sandbox.fault(Fault::UnknownSerial);
        assert!(matches!(
            client.send(&query(&sandbox)).await,
            Err(Error::Verification {
                error: VerifyError::UnknownSerial(_),
                ..
            })
        ));
    }
    assert_eq!(downloads(&sandbox), 2);
    client.send(&query(&sandbox)).await.unwrap();
}

#[tokio::test]
async fn a_notification_with_a_new_serial_downloads_in_the_background() {
    let sandbox = certificate_sandbox().await;
    let client = refreshing_client(&sandbox, HOUR);
    client.send(&query(&sandbox)).await.unwrap();
    let new = sandbox.rotate_platform_certificate().unwrap();
    sandbox.sign_with(Some(&new));
    let note = sandbox
        .notification("TRANSACTION.SUCCESS", json!({"out_trade_no": "T1"}))
        .unwrap();
    // Refused now (the merchant answers non-2xx and WeChat Pay retries)...
    assert!(matches!(
        client.parse_notification::<serde_json::Value>(&note.headers, &note.body),
        Err(Error::Verification {
            error: VerifyError::UnknownSerial(_),
            ..
        })
    ));
    // ...while the certificate is fetched, so that the retry verifies.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !client.engine().key_store().contains(&new) {
        assert!(
            Instant::now() < deadline,
            "the background download never came"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let parsed = client
        .parse_notification::<serde_json::Value>(&note.headers, &note.body)
        .unwrap();
    assert_eq!(parsed.resource["out_trade_no"], "T1");
    assert_eq!(downloads(&sandbox), 2);
}

#[tokio::test]
async fn public_key_mode_is_not_an_error() {
    let sandbox = Sandbox::builder()
        .key_mode(KeyMode::PublicKeyOnly)
        .start()
        .await
        .unwrap();
    let client = sandbox
        .client_builder()
        .certificate_refresh(HOUR)
        .build()
        .unwrap();
    client.send(&query(&sandbox)).await.unwrap();
    let first = &sandbox.received()[0];
    assert_eq!(
        (
            first.path.as_str(),
            first.status,
            first.error_code.as_deref()
        ),
        ("v3/certificates", 404, Some("RESOURCE_NOT_EXISTS"))
    );
    assert_eq!(client.refresh_certificates().await.unwrap(), 0);
    assert!(client.engine().key_store().certificates().is_empty());
    client.send(&seeds_echo()).await.unwrap();

    // Without the public key, the client says what to configure.
    let keyless = refreshing_client(&sandbox, HOUR);
    match keyless.send(&query(&sandbox)).await {
        Err(Error::Config(ConfigError::Missing(what))) => {
            assert!(what.contains("public-key mode"), "{what}")
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failed_download_keeps_the_keys_already_held() {
    let sandbox = certificate_sandbox().await;
    let client = refreshing_client(&sandbox, HOUR);
    client.send(&query(&sandbox)).await.unwrap();
    let held = sandbox.platform_certificate_serial();

    sandbox.respond(
        "GET",
        "v3/certificates",
        Answer::error(500, "SYSTEM_ERROR", "系统繁忙"),
    );
    assert!(matches!(
        client.refresh_certificates().await,
        Err(Error::Api { status: 500, .. })
    ));
    sandbox.respond("GET", "v3/certificates", json!({"data": "not a list"}));
    assert!(matches!(
        client.refresh_certificates().await,
        Err(Error::Decode { .. })
    ));
    assert!(client.engine().key_store().contains(&held));
    client.send(&query(&sandbox)).await.unwrap();
    client.send(&seeds_echo()).await.unwrap();
}

#[tokio::test]
async fn the_background_refresh_runs_every_period_and_survives_failures() {
    let sandbox = certificate_sandbox().await;
    let client = refreshing_client(&sandbox, Duration::from_secs(1));
    client.send(&query(&sandbox)).await.unwrap();

    // Failing downloads in the background: the keys stay, requests keep working.
    sandbox.respond(
        "GET",
        "v3/certificates",
        Answer::error(500, "SYSTEM_ERROR", "系统繁忙"),
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        downloads(&sandbox) >= 2,
        "the period passed without a download"
    );
    client.send(&query(&sandbox)).await.unwrap();

    // A new certificate arrives without any request asking for it.
    sandbox.clear_responses();
    let new = sandbox.rotate_platform_certificate().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !client.engine().key_store().contains(&new) {
        assert!(
            Instant::now() < deadline,
            "the background download never came"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn each_client_refreshes_its_own_certificates() {
    let sandbox = certificate_sandbox().await;
    let a = refreshing_client(&sandbox, HOUR);
    let b = refreshing_client(&sandbox, HOUR);
    a.send(&query(&sandbox)).await.unwrap();
    assert!(!a.engine().key_store().is_empty());
    assert!(
        b.engine().key_store().is_empty(),
        "no state shared between clients"
    );
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_downloads_certificates_too() {
    let sandbox = Sandbox::builder()
        .key_mode(KeyMode::CertificatesOnly)
        .start_blocking()
        .unwrap();
    let client = wxpay::blocking::Client::builder()
        .mchid(sandbox.mchid())
        .merchant_key(
            sandbox.merchant_serial(),
            sandbox.merchant_private_key_pem(),
        )
        .apiv3_key(sandbox.apiv3_key())
        .base_url(sandbox.base_url())
        .certificate_refresh(HOUR)
        .build()
        .unwrap();
    client.send(&query(&sandbox)).unwrap();
    let new = sandbox.rotate_platform_certificate().unwrap();
    sandbox.sign_with(Some(&new));
    client.send(&query(&sandbox)).unwrap();
    assert_eq!(client.refresh_certificates().unwrap(), 2);
    assert_eq!(downloads(&sandbox), 3);
}
