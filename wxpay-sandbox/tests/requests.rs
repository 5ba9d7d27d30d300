//! The sandbox checks requests as WeChat Pay does and answers signed.

mod common;

use common::{Call, merchant_key, now, verify};
use serde_json::json;
use wxpay_core::{ApiV3Key, PlatformCertificate, RsaPublicKey};
use wxpay_sandbox::{Answer, KeyMode, Sandbox};

#[tokio::test]
async fn echo_is_signed_and_reencrypts_for_the_merchant() {
    let sandbox = Sandbox::start().await.unwrap();
    let secret = sandbox.encrypt_for_wechatpay("身份证 110101").unwrap();
    let reply = Call::new(&sandbox, "POST", "/v3/security/echo")
        .json(json!({"echo_message": "hello", "encrypted_echo_message": secret}))
        .send()
        .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    verify(&sandbox, &reply).expect("answer verifies");
    assert_eq!(
        reply.header("Wechatpay-Serial"),
        Some(sandbox.wechatpay_public_key_id())
    );
    assert_eq!(
        reply.header("Wechatpay-Signature-Type"),
        Some("WECHATPAY2-SHA256-RSA2048")
    );
    assert!(reply.header("Request-ID").is_some());
    let answer = reply.json();
    assert_eq!(answer["echo_message"], "hello");
    let cipher = answer["encrypted_echo_message"].as_str().unwrap();
    assert_eq!(
        merchant_key(&sandbox).decrypt(cipher).unwrap(),
        "身份证 110101"
    );

    let received = sandbox.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "v3/security/echo");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["encrypted_echo_message"], "身份证 110101");
    assert_eq!(r.encrypted, vec!["encrypted_echo_message".to_string()]);
    assert_eq!(
        r.wechatpay_serial(),
        Some(sandbox.wechatpay_public_key_id())
    );
    assert!(String::from_utf8_lossy(&r.body).contains(&secret));
    assert_eq!(r.request_id, reply.header("Request-ID").unwrap());
}

#[tokio::test]
async fn encrypted_fields_are_found_everywhere() {
    let sandbox = Sandbox::start().await.unwrap();
    let enc = |s: &str| sandbox.encrypt_for_wechatpay(s).unwrap();
    let inner = json!({"id_card_name": enc("张三"), "plain": "x"}).to_string();
    let body = json!({
        "subject_info": {"identity_info": {"id_card_info": {"id_card_name": enc("李四")}}},
        "receivers": [{"name": enc("王五"), "type": "PERSONAL_OPENID"}, {"name": "not encrypted"}],
        "extra": inner,
        "short": "c2hvcnQ=",
    });
    let query = format!(
        "/v3/profitsharing/receivers?name={}&limit=10",
        wxpay_core::endpoint::encode_component(&enc("赵六"))
    );
    let reply = Call::new(&sandbox, "POST", &query).json(body).send().await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json(), json!({}));
    verify(&sandbox, &reply).unwrap();

    let r = sandbox.last_received().unwrap();
    assert_eq!(
        r.json["subject_info"]["identity_info"]["id_card_info"]["id_card_name"],
        "李四"
    );
    assert_eq!(r.json["receivers"][0]["name"], "王五");
    assert_eq!(r.json["receivers"][1]["name"], "not encrypted");
    let extra: serde_json::Value = serde_json::from_str(r.json["extra"].as_str().unwrap()).unwrap();
    assert_eq!(extra, json!({"id_card_name": "张三", "plain": "x"}));
    assert_eq!(r.query_param("name"), Some("赵六"));
    assert_eq!(r.query_param("limit"), Some("10"));
    let mut paths = r.encrypted.clone();
    paths.sort();
    assert_eq!(
        paths,
        vec![
            "?name",
            "extra.id_card_name",
            "receivers[0].name",
            "subject_info.identity_info.id_card_info.id_card_name"
        ]
    );
    // The received JSON served to other languages has the same view.
    let as_json = r.to_json();
    assert_eq!(as_json["json"]["receivers"][0]["name"], "王五");
    assert_eq!(as_json["status"], 200);
}

#[tokio::test]
async fn bad_signatures_are_sign_errors() {
    let sandbox = Sandbox::start().await.unwrap();
    let other_key = Sandbox::start().await.unwrap();
    let echo =
        || Call::new(&sandbox, "POST", "/v3/security/echo").json(json!({"echo_message": "x"}));

    let cases: Vec<(&str, Call)> = vec![
        ("tampered body", echo().tamper()),
        ("another key", echo().key(other_key.merchant_private_key_pem())),
        ("wrong mchid", echo().mchid("1900000001")),
        ("wrong serial_no", echo().serial("5F1C72E2A8931B72A2E13AF8DEE92471EB397115")),
        ("stale timestamp", echo().timestamp(now() - 301)),
        ("future timestamp", echo().timestamp(now() + 400)),
        ("missing Authorization", echo().authorization(None)),
        ("other scheme", echo().authorization(Some("Bearer abc"))),
        (
            "missing signature field",
            echo().authorization(Some(&format!(
                "WECHATPAY2-SHA256-RSA2048 mchid=\"{}\",nonce_str=\"abc\",timestamp=\"{}\",serial_no=\"{}\"",
                sandbox.mchid(),
                now(),
                sandbox.merchant_serial()
            ))),
        ),
    ];
    for (what, call) in cases {
        let reply = call.send().await;
        assert_eq!(reply.status, 401, "{what}");
        assert_eq!(reply.code(), "SIGN_ERROR", "{what}");
        assert!(reply.header("Request-ID").is_some(), "{what}");
        assert!(
            reply.header("Wechatpay-Signature").is_none(),
            "{what}: errors are not signed"
        );
    }
    let received = sandbox.received();
    assert_eq!(received.len(), 9);
    assert!(received.iter().all(|r| r.status == 401));
    assert!(
        received
            .iter()
            .all(|r| r.error_code.as_deref() == Some("SIGN_ERROR"))
    );
}

#[tokio::test]
async fn timestamps_within_five_minutes_and_any_field_order_pass() {
    let sandbox = Sandbox::start().await.unwrap();
    let reply = Call::new(
        &sandbox,
        "GET",
        "/v3/combine-transactions/out-trade-no/4200?mchid=1",
    )
    .timestamp(now() - 290)
    .send()
    .await;
    assert_eq!(reply.status, 200);

    // Fields in reverse order, serial in lower case.
    let key = merchant_key(&sandbox);
    let ts = now();
    let message = wxpay_core::sign::request_message("GET", "/v3/anything", ts, "NONCE123", b"");
    let signature = key.sign(&message).unwrap();
    let header = format!(
        "WECHATPAY2-SHA256-RSA2048 signature=\"{signature}\",serial_no=\"{}\",timestamp=\"{ts}\",nonce_str=\"NONCE123\",mchid=\"{}\"",
        sandbox.merchant_serial().to_ascii_lowercase(),
        sandbox.mchid()
    );
    let reply = Call::new(&sandbox, "GET", "/v3/anything")
        .authorization(Some(&header))
        .send()
        .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    verify(&sandbox, &reply).unwrap();
}

#[tokio::test]
async fn wechatpay_serial_must_name_the_key_that_encrypted() {
    let sandbox = Sandbox::start().await.unwrap();
    let secret = sandbox.encrypt_for_wechatpay("secret").unwrap();
    let body = json!({"echo_message": "x", "encrypted_echo_message": secret});
    let echo = || Call::new(&sandbox, "POST", "/v3/security/echo").json(body.clone());

    let missing = echo().wechatpay_serial(None).send().await;
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (400, "PARAM_ERROR")
    );

    let unknown = echo()
        .wechatpay_serial(Some("PUB_KEY_ID_0114232134912410000000000000"))
        .send()
        .await;
    assert_eq!(
        (unknown.status, unknown.code().as_str()),
        (400, "PARAM_ERROR")
    );
    assert!(unknown.header("Wechatpay-Signature").is_none());

    // Encrypted with the public key, but the platform certificate named (pitfall 5).
    let serial = sandbox.platform_certificate_serial();
    let mismatched = echo().wechatpay_serial(Some(&serial)).send().await;
    assert_eq!(
        (mismatched.status, mismatched.code().as_str()),
        (400, "PARAM_ERROR")
    );
    assert_eq!(
        mismatched.json()["detail"]["field"],
        "encrypted_echo_message"
    );

    // Encrypted with the certificate and naming it: fine, and the answer is signed with it.
    let by_cert = sandbox.encrypt_for_platform_certificate("secret").unwrap();
    let ok = Call::new(&sandbox, "POST", "/v3/security/echo")
        .json(json!({"echo_message": "x", "encrypted_echo_message": by_cert}))
        .wechatpay_serial(Some(&serial.to_ascii_lowercase()))
        .send()
        .await;
    assert_eq!(ok.status, 200, "{}", String::from_utf8_lossy(&ok.body));
    assert_eq!(ok.header("Wechatpay-Serial"), Some(serial.as_str()));
    verify(&sandbox, &ok).unwrap();

    // No encrypted field: Wechatpay-Serial is not needed.
    let plain = Call::new(&sandbox, "POST", "/v3/security/echo")
        .json(json!({"echo_message": "x"}))
        .wechatpay_serial(None)
        .send()
        .await;
    assert_eq!(plain.status, 200);

    let codes: Vec<_> = sandbox.received().iter().map(|r| r.status).collect();
    assert_eq!(codes, vec![400, 400, 400, 200, 200]);
    // Decryption that failed leaves the ciphertext in received().
    assert_eq!(sandbox.received()[0].json["encrypted_echo_message"], secret);
}

#[tokio::test]
async fn invalid_json_is_a_param_error_after_the_signature() {
    let sandbox = Sandbox::start().await.unwrap();
    let reply = Call::new(&sandbox, "POST", "/v3/x")
        .raw_body(b"{not json", "application/json")
        .send()
        .await;
    assert_eq!((reply.status, reply.code().as_str()), (400, "PARAM_ERROR"));
    let unsigned = Call::new(&sandbox, "POST", "/v3/x")
        .raw_body(b"{not json", "application/json")
        .tamper()
        .send()
        .await;
    assert_eq!(unsigned.status, 401);
}

#[tokio::test]
async fn seed_endpoints_answer_plausibly() {
    let sandbox = Sandbox::start().await.unwrap();
    let identity = json!({
        "identity_type": "REAL_IDENTITY_TYPE_ID_CARD",
        "identity_id": sandbox.encrypt_for_wechatpay("110101199003071234").unwrap(),
        "real_name": sandbox.encrypt_for_wechatpay("张三").unwrap(),
    });
    let body = json!({"appid": "wx1", "plan_id": "p", "real_identity": identity});
    let app = Call::new(
        &sandbox,
        "POST",
        "/v3/credit-repayment/partner/contracts/app-presign",
    )
    .json(body.clone())
    .send()
    .await;
    assert_eq!(app.status, 200);
    assert!(app.json()["presign_token"].as_str().unwrap().len() > 8);
    let h5 = Call::new(
        &sandbox,
        "POST",
        "/v3/credit-repayment/partner/contracts/h5-presign",
    )
    .json(body)
    .send()
    .await;
    assert!(
        h5.json()["redirect_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let edu = Call::new(&sandbox, "POST", "/v3/eduschoolpay/contracts/presign")
        .json(json!({"appid": "wx1"}))
        .send()
        .await;
    assert!(edu.json()["presign_token"].is_string());
    for reply in [&app, &h5, &edu] {
        verify(&sandbox, reply).unwrap();
    }
    assert_eq!(
        sandbox.received()[0].json["real_identity"]["real_name"],
        "张三"
    );
}

#[tokio::test]
async fn certificates_are_served_encrypted_and_signed() {
    let sandbox = Sandbox::start().await.unwrap();
    let new_serial = sandbox.rotate_platform_certificate().unwrap();
    let reply = Call::new(&sandbox, "GET", "/v3/certificates")
        .wechatpay_serial(None)
        .send()
        .await;
    assert_eq!(reply.status, 200);
    // Signed with the newest certificate, which it carries.
    assert_eq!(reply.header("Wechatpay-Serial"), Some(new_serial.as_str()));
    verify(&sandbox, &reply).unwrap();
    let apiv3 = ApiV3Key::new(sandbox.apiv3_key()).unwrap();
    let data = reply.json()["data"].as_array().unwrap().clone();
    assert_eq!(data.len(), 2);
    let mut serials = Vec::new();
    for item in &data {
        let enc: wxpay_core::EncryptedResource =
            serde_json::from_value(item["encrypt_certificate"].clone()).unwrap();
        assert_eq!(enc.associated_data.as_deref(), Some("certificate"));
        assert_eq!(enc.nonce.len(), 12);
        let pem = String::from_utf8(enc.decrypt(&apiv3).unwrap()).unwrap();
        let cert = PlatformCertificate::new(&pem).unwrap();
        assert_eq!(cert.serial(), item["serial_no"].as_str().unwrap());
        assert!(cert.is_valid_at(now()));
        assert!(item["effective_time"].as_str().unwrap().ends_with("+08:00"));
        serials.push(cert.serial().to_string());
    }
    assert_eq!(serials[0], new_serial, "newest first");

    sandbox.set_key_mode(KeyMode::PublicKeyOnly);
    let gone = Call::new(&sandbox, "GET", "/v3/certificates").send().await;
    assert_eq!(
        (gone.status, gone.code().as_str()),
        (404, "RESOURCE_NOT_EXISTS")
    );
}

#[tokio::test]
async fn certificate_mode_signs_with_the_certificate_and_rejects_the_public_key() {
    let sandbox = Sandbox::builder()
        .key_mode(KeyMode::CertificatesOnly)
        .start()
        .await
        .unwrap();
    let serial = sandbox.platform_certificate_serial();
    let reply = Call::new(&sandbox, "GET", "/v3/x")
        .wechatpay_serial(None)
        .send()
        .await;
    assert_eq!(reply.header("Wechatpay-Serial"), Some(serial.as_str()));
    verify(&sandbox, &reply).unwrap();
    let secret = sandbox.encrypt_for_wechatpay("s").unwrap();
    let rejected = Call::new(&sandbox, "POST", "/v3/security/echo")
        .json(json!({"echo_message": "x", "encrypted_echo_message": secret}))
        .send()
        .await;
    assert_eq!(rejected.status, 400);
}

#[tokio::test]
async fn scripted_answers_replace_defaults() {
    let sandbox = Sandbox::start().await.unwrap();
    let name = sandbox.encrypt_for_merchant("张三").unwrap();
    sandbox.respond(
        "GET",
        "v3/pay/transactions/out-trade-no/{out_trade_no}",
        json!({"trade_state": "SUCCESS", "payer_name": name}),
    );
    sandbox.respond(
        "POST",
        "/v3/refund/domestic/refunds",
        Answer::error(403, "NO_AUTH", "商户无权限"),
    );
    sandbox.respond("DELETE", "v3/thing/1", Answer::empty());
    sandbox.respond(
        "GET",
        "v3/billdownload/file",
        Answer::download(b"a,b\n1,2\n".to_vec()),
    );

    let order = Call::new(
        &sandbox,
        "GET",
        "/v3/pay/transactions/out-trade-no/T%201?mchid=1",
    )
    .send()
    .await;
    assert_eq!(order.status, 200);
    verify(&sandbox, &order).unwrap();
    let payer = order.json()["payer_name"].as_str().unwrap().to_string();
    assert_eq!(merchant_key(&sandbox).decrypt(&payer).unwrap(), "张三");
    assert_eq!(
        sandbox.last_received().unwrap().path,
        "v3/pay/transactions/out-trade-no/T%201"
    );

    let refund = Call::new(&sandbox, "POST", "/v3/refund/domestic/refunds")
        .json(json!({}))
        .send()
        .await;
    assert_eq!((refund.status, refund.code().as_str()), (403, "NO_AUTH"));
    assert!(refund.header("Wechatpay-Signature").is_none());
    assert!(refund.header("Request-ID").is_some());

    let deleted = Call::new(&sandbox, "DELETE", "/v3/thing/1").send().await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.body.is_empty());
    verify(&sandbox, &deleted).unwrap();

    let bill = Call::new(&sandbox, "GET", "/v3/billdownload/file?token=x")
        .send()
        .await;
    assert_eq!(bill.body, b"a,b\n1,2\n");
    assert!(bill.header("Wechatpay-Signature").is_none());

    // A scripted route still checks the signature first.
    let bad = Call::new(&sandbox, "DELETE", "/v3/thing/1")
        .mchid("1")
        .send()
        .await;
    assert_eq!(bad.status, 401);

    // Re-scripting replaces; clearing restores the default.
    sandbox.respond("DELETE", "v3/thing/1", json!({"again": true}));
    let again = Call::new(&sandbox, "DELETE", "/v3/thing/1").send().await;
    assert_eq!(again.json(), json!({"again": true}));
    sandbox.clear_responses();
    let default = Call::new(&sandbox, "DELETE", "/v3/thing/1").send().await;
    assert_eq!(default.json(), json!({}));
}

#[tokio::test]
async fn uploads_sign_the_meta_and_check_the_digest() {
    let sandbox = Sandbox::start().await.unwrap();
    let file = b"\xff\xd8\xff\xe0 fake jpeg";
    let sha = wxpay_core::File::new("a.jpg", file.to_vec()).sha256_hex();
    let meta = format!(r#"{{"filename":"a.jpg","sha256":"{sha}"}}"#);
    let ok = Call::new(&sandbox, "POST", "/v3/merchant/media/upload")
        .upload(&meta, "a.jpg", file, true)
        .send()
        .await;
    assert_eq!(ok.status, 200, "{}", String::from_utf8_lossy(&ok.body));
    assert!(ok.json()["media_id"].is_string());
    verify(&sandbox, &ok).unwrap();
    let r = sandbox.last_received().unwrap();
    assert_eq!(r.json["sha256"], sha.as_str());
    assert_eq!(r.file, Some(("a.jpg".to_string(), file.to_vec())));

    let whole = Call::new(&sandbox, "POST", "/v3/merchant/media/upload")
        .upload(&meta, "a.jpg", file, false)
        .send()
        .await;
    assert_eq!((whole.status, whole.code().as_str()), (401, "SIGN_ERROR"));

    let wrong_meta = r#"{"filename":"a.jpg","sha256":"00"}"#;
    let digest = Call::new(&sandbox, "POST", "/v3/merchant/media/upload")
        .upload(wrong_meta, "a.jpg", file, true)
        .send()
        .await;
    assert_eq!(
        (digest.status, digest.code().as_str()),
        (400, "PARAM_ERROR")
    );
}

#[tokio::test]
async fn keys_and_ids_look_like_wechat_pays() {
    let sandbox = Sandbox::builder()
        .mchid("1900000109")
        .start()
        .await
        .unwrap();
    assert_eq!(sandbox.mchid(), "1900000109");
    assert_eq!(sandbox.merchant_serial().len(), 40);
    assert!(sandbox.wechatpay_public_key_id().starts_with("PUB_KEY_ID_"));
    assert_eq!(sandbox.apiv3_key().len(), 32);
    assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
    assert!(sandbox.base_url().ends_with('/'));
    assert!(
        sandbox
            .merchant_private_key_pem()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    // The merchant certificate carries the merchant serial and public key.
    let cert = PlatformCertificate::new(sandbox.merchant_certificate_pem()).unwrap();
    assert_eq!(cert.serial(), sandbox.merchant_serial());
    let public = RsaPublicKey::new(sandbox.merchant_public_key_pem()).unwrap();
    let sig = merchant_key(&sandbox).sign(b"m").unwrap();
    assert!(public.verify(b"m", &sig));
    // Distinct key pairs for the merchant, the public key and the platform certificate.
    let pems = [
        sandbox.merchant_public_key_pem().to_string(),
        sandbox.wechatpay_public_key_pem().to_string(),
    ];
    assert_ne!(pems[0], pems[1]);
    assert!(format!("{sandbox:?}").contains(sandbox.mchid()));
    assert!(!format!("{sandbox:?}").contains("PRIVATE"));
    // Two sandboxes share nothing.
    let other = Sandbox::start().await.unwrap();
    assert_ne!(other.merchant_serial(), sandbox.merchant_serial());
    assert_ne!(other.base_url(), sandbox.base_url());
}

#[tokio::test]
async fn public_key_mode_does_not_know_certificate_serials() {
    let sandbox = Sandbox::builder()
        .key_mode(KeyMode::PublicKeyOnly)
        .start()
        .await
        .unwrap();
    let secret = sandbox.encrypt_for_platform_certificate("s").unwrap();
    let reply = Call::new(&sandbox, "POST", "/v3/security/echo")
        .json(json!({"echo_message": "x", "encrypted_echo_message": secret}))
        .wechatpay_serial(Some(&sandbox.platform_certificate_serial()))
        .send()
        .await;
    assert_eq!((reply.status, reply.code().as_str()), (400, "PARAM_ERROR"));
    // Answers are signed with the public key even when a certificate serial is named.
    let plain = Call::new(&sandbox, "GET", "/v3/x")
        .wechatpay_serial(Some(&sandbox.platform_certificate_serial()))
        .send()
        .await;
    assert_eq!(
        plain.header("Wechatpay-Serial"),
        Some(sandbox.wechatpay_public_key_id())
    );
}

#[test]
fn sandbox_can_be_shared_between_tasks() {
    fn assert_traits<T: Send + Sync + 'static>() {}
    assert_traits::<Sandbox>();
    assert_traits::<wxpay_sandbox::Received>();
    assert_traits::<Answer>();
}
