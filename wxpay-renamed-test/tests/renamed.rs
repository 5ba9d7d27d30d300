//! The DSL under a renamed dependency: the declarations compile (nothing named `wxpay` is in
//! scope) and behave as usual.

use pay::{Endpoint, Engine, FixedClock, MerchantKey, Method};
use wxpay_renamed_test::{CreateThing, Owner};

const MERCHANT_KEY: &str = include_str!("../../wxpay-core/tests/fixtures/merchant_key.pem");
const WECHATPAY_KEY: &str = include_str!("../../wxpay-core/tests/fixtures/wechatpay_key.pem");
const WECHATPAY_PUBLIC_KEY: &str =
    include_str!("../../wxpay-core/tests/fixtures/wechatpay_public_key.pem");
const PUB_KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";

#[test]
fn a_renamed_dependency_declares_and_prepares() {
    let engine = Engine::builder()
        .mchid("1900000001")
        .merchant_key("5F1C72E2A8931B72A2E13AF8DEE92471EB397115", MERCHANT_KEY)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY)
        .clock(FixedClock(1_700_000_000))
        .build(false)
        .unwrap();
    let request = CreateThing::builder()
        .thing_id("T 1")
        .secret("s3cret")
        .owner(Owner::builder().name("Ann").phone("13800000000").build())
        .extra(Owner::builder().name("Bo").build())
        .build();
    assert_eq!(CreateThing::METHOD, Method::Post);
    assert_eq!(
        format!("{request:?}"),
        r#"CreateThing { thing_id: "T 1", secret: "***", owner: Owner { name: "Ann", phone: "***" }, extra: Some(Owner { name: "Bo", phone: "***" }) }"#
    );
    let prepared = engine.prepare(&request, None).unwrap();
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/things/T%201"
    );
    let body: serde_json::Value = serde_json::from_slice(prepared.body()).unwrap();
    let wechatpay = MerchantKey::new("7E57C0DE", WECHATPAY_KEY).unwrap();
    assert_eq!(
        wechatpay.decrypt(body["secret"].as_str().unwrap()).unwrap(),
        "s3cret"
    );
    assert_eq!(
        wechatpay
            .decrypt(body["owner"]["phone"].as_str().unwrap())
            .unwrap(),
        "13800000000"
    );
    assert_eq!(body["owner"]["name"], "Ann");
    assert_eq!(body["extra"], r#"{"name":"Bo"}"#);
    assert_eq!(body.as_object().unwrap().len(), 3);
    assert_eq!(prepared.headers()["Wechatpay-Serial"], PUB_KEY_ID);
    // Outside the engine, the encrypted field refuses to serialize.
    assert!(serde_json::to_string(&request).is_err());
}
