//! End to end through the sandbox: a real HTTP server on 127.0.0.1 that checks signatures and
//! `Wechatpay-Serial`, decrypts fields with its WeChat Pay private key and signs its answers.

#[path = "../examples/common/seeds.rs"]
mod seeds;

use std::time::Duration;

use serde_json::json;
use wxpay::{Error, TransportError, VerifyError};
use wxpay_sandbox::{Fault, Sandbox};

const OTHER_MERCHANT_KEY: &str = include_str!("../wxpay-core/tests/fixtures/merchant_key.pem");

/// Every plaintext of an encrypted field must be absent from what went over the wire, and
/// present, decrypted, in what the sandbox recorded.
fn assert_encrypted(sandbox: &Sandbox, plaintexts: &[(&str, &str)]) {
    let received = sandbox.last_received().expect("a request");
    let raw = String::from_utf8_lossy(&received.body).into_owned();
    for (pointer, plain) in plaintexts {
        assert!(!raw.contains(plain), "{plain} was sent in clear");
        assert!(!received.query.contains(plain), "{plain} in the query");
        assert_eq!(
            received.json.pointer(pointer).and_then(|v| v.as_str()),
            Some(*plain),
            "{pointer} as decrypted by the sandbox"
        );
    }
    let mut expected: Vec<String> = plaintexts
        .iter()
        .map(|(p, _)| p.trim_start_matches('/').replace('/', "."))
        .collect();
    let mut found = received.encrypted.clone();
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "fields the sandbox found encrypted");
    assert_eq!(
        received.headers["Wechatpay-Serial"],
        sandbox.wechatpay_public_key_id(),
        "the serial of the key that encrypted"
    );
    assert_eq!(received.status, 200);
}

#[tokio::test]
async fn app_presign_end_to_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let answer = sandbox.client().send(&seeds::app_presign()).await.unwrap();
    assert!(!answer.presign_token.is_empty());
    assert_encrypted(
        &sandbox,
        &[
            ("/real_identity/identity_id", "110101199003074477"),
            ("/real_identity/real_name", "张三"),
        ],
    );
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.method, "POST");
    assert_eq!(
        received.path,
        "v3/credit-repayment/partner/contracts/app-presign"
    );
    assert_eq!(received.json["repayment_day"], 15);
    assert_eq!(received.json["trade_info"]["deduct_amount"], 100);
    assert!(received.json.get("sub_appid").is_none(), "None is left out");
}

#[tokio::test]
async fn h5_presign_end_to_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let answer = sandbox.client().send(&seeds::h5_presign()).await.unwrap();
    assert!(
        answer.redirect_url.starts_with("https://"),
        "{}",
        answer.redirect_url
    );
    assert_encrypted(
        &sandbox,
        &[
            ("/real_identity/identity_id", "440301198807151234"),
            ("/real_identity/real_name", "李四"),
        ],
    );
    assert_eq!(
        sandbox.last_received().unwrap().json["jump_info"],
        json!({"jump_appid": "wx1234567890abcdef"})
    );
}

#[tokio::test]
async fn edu_presign_end_to_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let answer = sandbox.client().send(&seeds::edu_presign()).await.unwrap();
    assert!(!answer.presign_token.is_empty());
    assert_encrypted(
        &sandbox,
        &[
            ("/identity/real_name", "王小明"),
            ("/identity/credential_type", "ID_CARD"),
            ("/identity/id_card_number", "440301201203150011"),
            ("/bank_card/bank_card_no", "6222021234567890123"),
            ("/bank_card/phone", "13800138000"),
        ],
    );
}

#[tokio::test]
async fn echo_is_encrypted_both_ways() {
    let sandbox = Sandbox::start().await.unwrap();
    let answer = sandbox.client().send(&seeds::echo()).await.unwrap();
    assert_eq!(answer.echo_message, "hello wxpay");
    // Came back encrypted under the merchant key; decrypted by the client.
    assert_eq!(
        answer.encrypted_echo_message.as_deref(),
        Some("秘密 secret 123")
    );
    assert_encrypted(&sandbox, &[("/encrypted_echo_message", "秘密 secret 123")]);
}

#[tokio::test]
async fn scripted_answers_are_signed_and_decoded() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.respond(
        "POST",
        "v3/credit-repayment/partner/contracts/app-presign",
        json!({"presign_token": "scripted-token", "redirect_service": "svc"}),
    );
    let answer = sandbox.client().send(&seeds::app_presign()).await.unwrap();
    assert_eq!(answer.presign_token, "scripted-token");
    assert_eq!(answer.redirect_service.as_deref(), Some("svc"));
}

#[tokio::test]
async fn a_wrong_merchant_key_is_the_sandboxs_sign_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .merchant_key(sandbox.merchant_serial(), OTHER_MERCHANT_KEY)
        .build()
        .unwrap();
    match client.send(&seeds::echo()).await {
        Err(Error::Api {
            status: 401,
            code,
            request_id: Some(id),
            ..
        }) => {
            assert_eq!(code, "SIGN_ERROR");
            assert_eq!(id, sandbox.last_received().unwrap().request_id);
        }
        other => panic!("expected 401 SIGN_ERROR, got {other:?}"),
    }
}

async fn send_with_fault(fault: Fault) -> Result<seeds::EchoResponse, Error> {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fault(fault);
    sandbox.client().send(&seeds::echo()).await
}

#[tokio::test]
async fn a_tampered_answer_fails_verification() {
    assert!(matches!(
        send_with_fault(Fault::TamperBody).await,
        Err(Error::Verification {
            error: VerifyError::BadSignature,
            ..
        })
    ));
    assert!(matches!(
        send_with_fault(Fault::TamperSignature).await,
        Err(Error::Verification {
            error: VerifyError::BadSignature,
            ..
        })
    ));
}

#[tokio::test]
async fn a_stale_answer_fails_verification() {
    match send_with_fault(Fault::StaleTimestamp).await {
        Err(Error::Verification {
            error: VerifyError::StaleTimestamp { skew },
            ..
        }) => {
            assert!((599..=601).contains(&skew), "skew {skew}")
        }
        other => panic!("expected a stale timestamp, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_serial_fails_verification() {
    assert!(matches!(
        send_with_fault(Fault::UnknownSerial).await,
        Err(Error::Verification {
            error: VerifyError::UnknownSerial(_),
            ..
        })
    ));
}

#[tokio::test]
async fn a_missing_signature_fails_verification() {
    assert!(matches!(
        send_with_fault(Fault::MissingSignature).await,
        Err(Error::Verification {
            error: VerifyError::MissingHeader("Wechatpay-Signature"),
            ..
        })
    ));
}

#[tokio::test]
async fn a_signtest_answer_is_a_probe() {
    assert!(matches!(
        send_with_fault(Fault::SignTest).await,
        Err(Error::Verification {
            error: VerifyError::SignTestProbe,
            ..
        })
    ));
}

#[tokio::test]
async fn a_5xx_is_an_api_error() {
    match send_with_fault(Fault::ServerError).await {
        Err(Error::Api {
            status: 500, code, ..
        }) => assert_eq!(code, "SYSTEM_ERROR"),
        other => panic!("expected 500 SYSTEM_ERROR, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fault(Fault::Delay(Duration::from_secs(3)));
    let client = sandbox
        .client_builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    assert!(matches!(
        client.send(&seeds::echo()).await,
        Err(Error::Transport(TransportError::Timeout))
    ));
}

#[tokio::test]
async fn an_oversized_answer_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fault(Fault::Oversized(64 * 1024));
    let client = sandbox
        .client_builder()
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap();
    assert!(matches!(
        client.send(&seeds::echo()).await,
        Err(Error::Transport(TransportError::BodyTooLarge {
            limit: 16384
        }))
    ));
}

#[tokio::test]
async fn a_post_is_not_retried_but_a_get_is() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client_builder().retries(2).build().unwrap();

    sandbox.fault_n(Fault::ServerError, 1);
    assert!(matches!(
        client.send(&seeds::echo()).await,
        Err(Error::Api { status: 500, .. })
    ));
    assert_eq!(sandbox.received().len(), 1, "a POST is sent once");

    sandbox.clear_received();
    sandbox.fault_n(Fault::ServerError, 1);
    client
        .send(&seeds::QueryContract::new("contract/1 x"))
        .await
        .unwrap();
    let received = sandbox.received();
    assert_eq!(received.len(), 2, "a GET is retried once after a 500");
    assert_eq!(
        received[1].path,
        "v3/credit-repayment/partner/contracts/contract%2F1%20x"
    );
    assert_eq!(received[1].status, 200);
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    match send_with_fault(Fault::Disconnect).await {
        Err(Error::Transport(TransportError::Other(_) | TransportError::Connect(_))) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn notifications_are_verified_and_decrypted() {
    let sandbox = Sandbox::start().await.unwrap();
    let resource =
        json!({"out_trade_no": "order-T1001", "trade_state": "SUCCESS", "amount": {"total": 100}});
    let note = sandbox
        .notification("TRANSACTION.SUCCESS", resource.clone())
        .unwrap();
    let parsed = sandbox
        .client()
        .parse_notification::<serde_json::Value>(&note.headers, &note.body)
        .unwrap();
    assert_eq!(parsed.id, note.id);
    assert_eq!(parsed.event_type, "TRANSACTION.SUCCESS");
    assert_eq!(parsed.resource_type, "encrypt-resource");
    assert_eq!(parsed.resource, resource);
    let shown = format!("{parsed:?}");
    assert!(
        !shown.contains("order-T1001"),
        "decrypted resource in Debug: {shown}"
    );
}

#[tokio::test]
async fn a_signtest_notification_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let note = sandbox
        .notification_with_fault("TRANSACTION.SUCCESS", json!({"a": 1}), Fault::SignTest)
        .unwrap();
    assert!(matches!(
        sandbox
            .client()
            .parse_notification::<serde_json::Value>(&note.headers, &note.body),
        Err(Error::Verification {
            error: VerifyError::SignTestProbe,
            ..
        })
    ));
}

#[tokio::test]
async fn a_tampered_notification_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let note = sandbox
        .notification_with_fault("TRANSACTION.SUCCESS", json!({"a": 1}), Fault::TamperBody)
        .unwrap();
    assert!(matches!(
        sandbox
            .client()
            .parse_notification::<serde_json::Value>(&note.headers, &note.body),
        Err(Error::Verification {
            error: VerifyError::BadSignature,
            ..
        })
    ));
}

#[tokio::test]
async fn two_merchants_live_in_one_process() {
    let (a, b) = tokio::join!(Sandbox::start(), Sandbox::start());
    let (a, b) = (a.unwrap(), b.unwrap());
    let (ca, cb) = (a.client(), b.client());
    let echo = seeds::echo();
    let (ra, rb) = tokio::join!(ca.send(&echo), cb.send(&echo));
    assert_eq!(ra.unwrap().echo_message, "hello wxpay");
    assert_eq!(rb.unwrap().echo_message, "hello wxpay");
    // Each client's answers are verified only by its own keys.
    let note = a.notification("X.Y", json!({})).unwrap();
    assert!(matches!(
        cb.parse_notification::<serde_json::Value>(&note.headers, &note.body),
        Err(Error::Verification {
            error: VerifyError::UnknownSerial(_),
            ..
        })
    ));
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_end_to_end() {
    let sandbox = Sandbox::start_blocking().unwrap();
    let client = sandbox
        .configure(wxpay::blocking::Client::builder())
        .build()
        .unwrap();
    let answer = client.send(&seeds::echo()).unwrap();
    assert_eq!(
        answer.encrypted_echo_message.as_deref(),
        Some("秘密 secret 123")
    );
    assert_eq!(sandbox.received().len(), 1);
}

/// 200 concurrent sends of mixed endpoints through one client: every answer verified and
/// matched to its request, nothing lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_200_concurrent_mixed_sends() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200usize {
        let client = client.clone();
        tasks.spawn(async move {
            match i % 4 {
                0 => {
                    let request = seeds::Echo::builder()
                        .echo_message(format!("message {i}"))
                        .encrypted_echo_message(format!("secret {i}"))
                        .build();
                    let answer = client.send(&request).await?;
                    assert_eq!(answer.echo_message, format!("message {i}"));
                    assert_eq!(answer.encrypted_echo_message, Some(format!("secret {i}")));
                }
                1 => {
                    client.send(&seeds::app_presign()).await?;
                }
                2 => {
                    client.send(&seeds::h5_presign()).await?;
                }
                _ => {
                    client.send(&seeds::edu_presign()).await?;
                }
            }
            Ok::<usize, Error>(i)
        });
    }
    let mut done = Vec::new();
    while let Some(result) = tasks.join_next().await {
        done.push(result.unwrap().unwrap());
    }
    done.sort();
    assert_eq!(done, (0..200).collect::<Vec<_>>());
    let received = sandbox.received();
    assert_eq!(received.len(), 200);
    assert!(received.iter().all(|r| r.status == 200));
    let mut echoes: Vec<String> = received
        .iter()
        .filter(|r| r.path == "v3/security/echo")
        .map(|r| {
            r.json["encrypted_echo_message"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    echoes.sort();
    let mut expected: Vec<String> = (0..200).step_by(4).map(|i| format!("secret {i}")).collect();
    expected.sort();
    assert_eq!(
        echoes, expected,
        "every encrypted value arrived once, decrypted"
    );
}

#[tokio::test]
async fn the_backup_host_is_used_when_the_first_cannot_be_reached() {
    let sandbox = Sandbox::start().await.unwrap();
    // A port that was free a moment ago: connecting to it is refused.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    let client = sandbox
        .client_builder()
        .base_url(closed.clone())
        .backup_base_url(sandbox.base_url())
        .retries(1)
        .build()
        .unwrap();
    // A POST: nothing was sent to the first host, so trying the backup is safe.
    let answer = client.send(&seeds::echo()).await.unwrap();
    assert_eq!(answer.echo_message, "hello wxpay");
    assert_eq!(sandbox.received().len(), 1);

    // Without retries the connection failure is reported as such.
    let client = sandbox.client_builder().base_url(closed).build().unwrap();
    assert!(matches!(
        client.send(&seeds::echo()).await,
        Err(Error::Transport(TransportError::Connect(_)))
    ));
}
