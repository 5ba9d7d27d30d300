//! Client-side payment signatures (JSAPI / mini program, APP).

mod common;

use common::*;
use wxpay_core::{AppPayParams, Error, JsapiPayParams};

const APPID: &str = "wxd678efh567hg6787";
const PREPAY_ID: &str = "wx201410272009395522657a690389285100";
const PAY_NONCE: &str = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
/// `printf 'wxd678efh567hg6787\n1735689600\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n' | openssl dgst -sha256 -sign merchant_key.pem | base64 -w0`
const JSAPI_SIGN: &str = "be1if8VmzIDCy3HIbz3JBaTNz5Oo4H9LRcDk2ImjtLl/ZBjo6sIUgI7mz41WjrHG9tvCUxCnBTeupPOe/3Tj3kPRSM1Tc8B62LntS3edG05SJnQnXnS9Fe0mLkz6HUKRAYV5QiBGriwdgYHyehDhjrsgN4ZgqvC+cPRhtY/afeoKPV6gco7hxB1f7RqXF9ZqqZtIV/EDdVbGjkrI6tQN/tGe23xD0WWF2S8uuB0tpJ0W0LBagz1dbkuntmFI7SotkqkDqgrqsqhichLa6fGxw9R/qDnmuhXzpsWuPCgjmW4UaK9ePsrvOqrQd0uTylnC0TdKRpROlBwqa4nK+03gkA==";
/// The same for APP, whose last line is the bare prepay id.
const APP_SIGN: &str = "DUuXFitopZo/z0YUDbxaLA4xuVHCDWIq6WUQ/L3T0h8aNAGpEaRE+W7HBH99DFIHGwURpshdob8aGGRv1Y4WC/XKm3i3IKB4NfT4v6eXK/lOMwxpMyvuD8wIoQrcxEIb3ZKdEQMtf5z8eQI37jlxGPIoCtZz1pEafYUc2rbm9/twjrIl8jJyE6SEgHQEyy9dMDxbli5ih5c0suLrzCsy5ahXJM/BSdWIftKLLuuczVF3d3CVTrz+njr4Jw/X0DgYM+op7ZnyuLay0hN9cAbKvQ3DQdhu55em5iaSrrXXZmYeCmjoUsPV/zMiDa7msFAdGfBj9LD1WvvZThTj7IPI0w==";

#[test]
fn jsapi_pay_params_exact() {
    let params = engine()
        .jsapi_pay_params_with(APPID, PREPAY_ID, NOW, PAY_NONCE)
        .unwrap();
    assert_eq!(
        params,
        JsapiPayParams {
            app_id: APPID.into(),
            time_stamp: "1735689600".into(),
            nonce_str: PAY_NONCE.into(),
            package: format!("prepay_id={PREPAY_ID}"),
            sign_type: "RSA".into(),
            pay_sign: JSAPI_SIGN.into(),
        }
    );
    assert_eq!(
        serde_json::to_string(&params).unwrap(),
        format!(
            r#"{{"appId":"wxd678efh567hg6787","timeStamp":"1735689600","nonceStr":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS","package":"prepay_id=wx201410272009395522657a690389285100","signType":"RSA","paySign":"{JSAPI_SIGN}"}}"#
        )
    );
}

#[test]
fn app_pay_params_exact() {
    let params = engine()
        .app_pay_params_with(APPID, MCHID, PREPAY_ID, NOW, PAY_NONCE)
        .unwrap();
    assert_eq!(
        params,
        AppPayParams {
            appid: APPID.into(),
            partnerid: MCHID.into(),
            prepayid: PREPAY_ID.into(),
            package: "Sign=WXPay".into(),
            noncestr: PAY_NONCE.into(),
            timestamp: "1735689600".into(),
            sign: APP_SIGN.into(),
        }
    );
    assert_eq!(
        serde_json::to_string(&params).unwrap(),
        format!(
            r#"{{"appid":"wxd678efh567hg6787","partnerid":"1900000001","prepayid":"wx201410272009395522657a690389285100","package":"Sign=WXPay","noncestr":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS","timestamp":"1735689600","sign":"{APP_SIGN}"}}"#
        )
    );
}

#[test]
fn fresh_params_use_the_clock_and_a_new_nonce() {
    let engine = engine();
    let a = engine.jsapi_pay_params(APPID, PREPAY_ID).unwrap();
    let b = engine.jsapi_pay_params(APPID, PREPAY_ID).unwrap();
    assert_eq!(a.time_stamp, "1735689600");
    assert_eq!(a.nonce_str.len(), 32);
    assert!(a.nonce_str.bytes().all(|c| c.is_ascii_alphanumeric()));
    assert_ne!(a.nonce_str, b.nonce_str);
    // The signature is the one of those values.
    let expected = engine
        .jsapi_pay_params_with(APPID, PREPAY_ID, NOW, &a.nonce_str)
        .unwrap();
    assert_eq!(a, expected);

    let app = engine.app_pay_params(APPID, PREPAY_ID).unwrap();
    assert_eq!(app.timestamp, "1735689600");
    assert_eq!(app.noncestr.len(), 32);
    let expected = engine
        .app_pay_params_with(APPID, MCHID, PREPAY_ID, NOW, &app.noncestr)
        .unwrap();
    assert_eq!(app, expected);
}

#[test]
fn pay_signatures_verify_with_the_merchant_public_key() {
    let public = wxpay_core::RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
    let message = format!("{APPID}\n1735689600\n{PAY_NONCE}\nprepay_id={PREPAY_ID}\n");
    assert!(public.verify(message.as_bytes(), JSAPI_SIGN));
    let message = format!("{APPID}\n1735689600\n{PAY_NONCE}\n{PREPAY_ID}\n");
    assert!(public.verify(message.as_bytes(), APP_SIGN));
    // The two are different messages.
    assert!(!public.verify(message.as_bytes(), JSAPI_SIGN));
}

#[test]
fn service_provider_app_params_carry_the_sub_merchant() {
    // A service provider's APP payment: `partnerid` is the sub-merchant. The signed text is
    // the same four lines (the partner id is not signed), so the openssl signature above holds.
    let params = engine()
        .app_pay_params_with(APPID, "1900000109", PREPAY_ID, NOW, PAY_NONCE)
        .unwrap();
    assert_eq!(params.partnerid, "1900000109");
    assert_eq!(params.sign, APP_SIGN);
    let fresh = engine()
        .app_pay_params_for(APPID, "1900000109", PREPAY_ID)
        .unwrap();
    assert_eq!(fresh.partnerid, "1900000109");
    // The direct-merchant call keeps the merchant's own id.
    assert_eq!(
        engine().app_pay_params(APPID, PREPAY_ID).unwrap().partnerid,
        MCHID
    );
}

#[test]
fn pay_sign_values_outside_their_character_set_are_refused() {
    // The attack: an app_id whose lines, with a JSON prepay_id, are the signed text of a
    // refund request; signed, it would be a valid Authorization for that refund.
    let app_id = "POST\n/v3/refund/domestic/refunds";
    let prepay_id = r#"{"out_trade_no":"1","amount":{"refund":100}}"#;
    let refused = |r: Result<(), Error>| match r {
        Err(Error::InvalidInput { what, reason }) => (what, reason),
        other => panic!("{other:?}"),
    };
    let charset = "only letters, digits, '_' and '-' are allowed";
    let e = engine();
    assert_eq!(
        refused(e.jsapi_pay_params(app_id, PREPAY_ID).map(|_| ())),
        ("app_id", charset)
    );
    assert_eq!(
        refused(e.app_pay_params(app_id, PREPAY_ID).map(|_| ())),
        ("app_id", charset)
    );
    assert_eq!(
        refused(e.jsapi_pay_params(APPID, prepay_id).map(|_| ())),
        ("prepay_id", charset)
    );
    assert_eq!(
        refused(e.app_pay_params(APPID, "wx\r\n1").map(|_| ())),
        ("prepay_id", charset)
    );
    assert_eq!(
        refused(
            e.jsapi_pay_params_with(APPID, PREPAY_ID, NOW, "n\nonce")
                .map(|_| ())
        ),
        ("nonce", charset)
    );
    assert_eq!(
        refused(
            e.app_pay_params_for(APPID, "1900000109\n", PREPAY_ID)
                .map(|_| ())
        ),
        ("partner_id", "only digits are allowed")
    );
    assert_eq!(
        refused(e.app_pay_params_for(APPID, "", PREPAY_ID).map(|_| ())),
        ("partner_id", "it is empty")
    );
    assert_eq!(
        refused(e.jsapi_pay_params(&"w".repeat(65), PREPAY_ID).map(|_| ())),
        ("app_id", "it is too long")
    );
    // Nothing of the refused value appears in the error.
    let text = e
        .jsapi_pay_params(app_id, PREPAY_ID)
        .unwrap_err()
        .to_string();
    assert_eq!(
        text,
        "invalid app_id: only letters, digits, '_' and '-' are allowed"
    );
}
