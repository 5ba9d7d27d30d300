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

    /// APP payment parameters for `prepay_id`.
    pub fn app_pay_params(&self, app_id: &str, prepay_id: &str) -> Result<AppPayParams, Error> {
        self.app_pay_params_with(app_id, prepay_id, self.now(), &sign::nonce()?)
    }

    /// [`Engine::app_pay_params`] with a given timestamp and nonce (for tests).
    pub fn app_pay_params_with(
        &self,
        app_id: &str,
        prepay_id: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<AppPayParams, Error> {
        let timestamp = timestamp.to_string();
        let sign = self
            .merchant_key()
            .sign(&lines(&[app_id, &timestamp, nonce, prepay_id]))?;
        Ok(AppPayParams {
            appid: app_id.to_string(),
            partnerid: self.mchid().to_string(),
            prepayid: prepay_id.to_string(),
            package: "Sign=WXPay".to_string(),
            noncestr: nonce.to_string(),
            timestamp,
            sign,
        })
    }
}
