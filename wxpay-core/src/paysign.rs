//! The parameters a front end needs to start a payment, signed with the merchant key.

use serde::Serialize;

use crate::engine::Engine;
use crate::error::Error;
use crate::sign;

/// What `wx.requestPayment` (JSAPI, mini program) takes. Serializes with its camelCase names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsapiPayParams {
    /// The app id.
    pub app_id: String,
    /// Unix seconds, as a string.
    pub time_stamp: String,
    /// A random string.
    pub nonce_str: String,
    /// `prepay_id=…`.
    pub package: String,
    /// `RSA`.
    pub sign_type: String,
    /// The signature.
    pub pay_sign: String,
}

/// What the APP SDK's `PayReq` takes. Serializes with its lower-case names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppPayParams {
    /// The app id.
    pub appid: String,
    /// The merchant id.
    pub partnerid: String,
    /// The prepay id.
    pub prepayid: String,
    /// `Sign=WXPay`.
    pub package: String,
    /// A random string.
    pub noncestr: String,
    /// Unix seconds, as a string.
    pub timestamp: String,
    /// The signature.
    pub sign: String,
}

/// Checks one value that goes into a pay-sign message. The message is lines of text
/// (`app_id\ntimestamp\nnonce\nprepay_id\n`) signed with the merchant key, the same key that
/// signs API requests: a value holding a line break (or anything outside the documented
/// character set) could make the signed text of some other message, such as a request's.
/// App ids, prepay ids and nonces are letters, digits, `_` and `-`; partner ids are digits.
/// The value is never quoted in the error.
fn check_token(
    what: &'static str,
    value: &str,
    max_len: usize,
    digits_only: bool,
) -> Result<(), Error> {
    let reason = if value.is_empty() {
        "it is empty"
    } else if value.len() > max_len {
        "it is too long"
    } else if digits_only && !value.bytes().all(|b| b.is_ascii_digit()) {
        "only digits are allowed"
    } else if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        "only letters, digits, '_' and '-' are allowed"
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput { what, reason })
}

fn lines(parts: &[&str]) -> Vec<u8> {
    let mut message = Vec::new();
    for part in parts {
        message.extend_from_slice(part.as_bytes());
        message.push(b'\n');
    }
    message
}

impl Engine {
    /// JSAPI / mini program payment parameters for `prepay_id`, with a fresh nonce and the
    /// engine's clock.
    pub fn jsapi_pay_params(&self, app_id: &str, prepay_id: &str) -> Result<JsapiPayParams, Error> {
        self.jsapi_pay_params_with(app_id, prepay_id, self.now(), &sign::nonce()?)
    }

    /// [`Engine::jsapi_pay_params`] with a given timestamp and nonce (for tests).
    pub fn jsapi_pay_params_with(
        &self,
        app_id: &str,
        prepay_id: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<JsapiPayParams, Error> {
        check_token("app_id", app_id, 64, false)?;
        check_token("prepay_id", prepay_id, 128, false)?;
        check_token("nonce", nonce, 64, false)?;
        let time_stamp = timestamp.to_string();
        let package = format!("prepay_id={prepay_id}");
        let pay_sign = self
            .merchant_key()
            .sign(&lines(&[app_id, &time_stamp, nonce, &package]))?;
        Ok(JsapiPayParams {
            app_id: app_id.to_string(),
            time_stamp,
            nonce_str: nonce.to_string(),
            package,
            sign_type: "RSA".to_string(),
            pay_sign,
        })
    }

    /// APP payment parameters for `prepay_id`, for a direct merchant: `partnerid` is this
    /// engine's `mchid`. A service provider uses [`Engine::app_pay_params_for`].
    pub fn app_pay_params(&self, app_id: &str, prepay_id: &str) -> Result<AppPayParams, Error> {
        self.app_pay_params_for(app_id, self.mchid(), prepay_id)
    }

    /// APP payment parameters with the given `partnerid`: a service provider's APP payment
    /// (`v3/pay/partner/transactions/app`) carries the sub-merchant's id (`sub_mchid`), signed
    /// with the service provider's key.
    pub fn app_pay_params_for(
        &self,
        app_id: &str,
        partner_id: &str,
        prepay_id: &str,
    ) -> Result<AppPayParams, Error> {
        self.app_pay_params_with(app_id, partner_id, prepay_id, self.now(), &sign::nonce()?)
    }

    /// [`Engine::app_pay_params_for`] with a given timestamp and nonce (for tests).
    pub fn app_pay_params_with(
        &self,
        app_id: &str,
        partner_id: &str,
        prepay_id: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<AppPayParams, Error> {
        check_token("app_id", app_id, 64, false)?;
        check_token("partner_id", partner_id, 32, true)?;
        check_token("prepay_id", prepay_id, 128, false)?;
        check_token("nonce", nonce, 64, false)?;
        let timestamp = timestamp.to_string();
        let sign = self
            .merchant_key()
            .sign(&lines(&[app_id, &timestamp, nonce, prepay_id]))?;
        Ok(AppPayParams {
            appid: app_id.to_string(),
            partnerid: partner_id.to_string(),
            prepayid: prepay_id.to_string(),
            package: "Sign=WXPay".to_string(),
            noncestr: nonce.to_string(),
            timestamp,
            sign,
        })
    }
}
