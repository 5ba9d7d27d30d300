//! Requests built by hand with wxpay_core (no wxpay client), so that every part of a request
//! can be made wrong on purpose.
#![allow(dead_code)]

use http::HeaderMap;
use serde_json::Value;
use wxpay_core::sign::{authorization, nonce};
use wxpay_core::{KeyStore, MerchantKey, PlatformCertificate, VerifyError, WechatPayPublicKey};
use wxpay_sandbox::Sandbox;

/// A request to the sandbox, correct unless told otherwise.
pub struct Call {
    base_url: String,
    method: &'static str,
    path_and_query: String,
    body: Vec<u8>,
    /// What is signed, when not the body (uploads sign the meta).
    signed: Option<Vec<u8>>,
    content_type: Option<String>,
    mchid: String,
    serial: String,
    key_pem: String,
    timestamp: i64,
    wechatpay_serial: Option<String>,
    authorization: Option<Option<String>>,
    tamper: bool,
}

/// What came back.
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the answer is JSON")
    }

    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

impl Call {
    pub fn new(sandbox: &Sandbox, method: &'static str, path_and_query: &str) -> Self {
        Self {
            base_url: sandbox.base_url().trim_end_matches('/').to_string(),
            method,
            path_and_query: path_and_query.to_string(),
            body: Vec::new(),
            signed: None,
            content_type: None,
            mchid: sandbox.mchid().to_string(),
            serial: sandbox.merchant_serial().to_string(),
            key_pem: sandbox.merchant_private_key_pem().to_string(),
            timestamp: now(),
            wechatpay_serial: Some(sandbox.wechatpay_public_key_id().to_string()),
            authorization: None,
            tamper: false,
        }
    }

    pub fn json(mut self, value: Value) -> Self {
        self.body = value.to_string().into_bytes();
        self.content_type = Some("application/json".into());
        self
    }

    pub fn raw_body(mut self, body: &[u8], content_type: &str) -> Self {
        self.body = body.to_vec();
        self.content_type = Some(content_type.into());
        self
    }

    /// A multipart upload as WeChat Pay wants it; `sign_meta_only` false signs the whole body
    /// (a classic mistake).
    pub fn upload(mut self, meta: &str, filename: &str, file: &[u8], sign_meta_only: bool) -> Self {
        let boundary = "SandboxBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{meta}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        if sign_meta_only {
            self.signed = Some(meta.as_bytes().to_vec());
        }
        self.body = body;
        self.content_type = Some(format!("multipart/form-data; boundary={boundary}"));
        self
    }

    pub fn mchid(mut self, mchid: &str) -> Self {
        self.mchid = mchid.into();
        self
    }

    pub fn serial(mut self, serial: &str) -> Self {
        self.serial = serial.into();
        self
    }

    pub fn key(mut self, pem: &str) -> Self {
        self.key_pem = pem.into();
        self
    }

    pub fn timestamp(mut self, ts: i64) -> Self {
        self.timestamp = ts;
        self
    }

    pub fn wechatpay_serial(mut self, serial: Option<&str>) -> Self {
        self.wechatpay_serial = serial.map(str::to_string);
        self
    }

    /// Replaces the `Authorization` header (`None`: leave it out).
    pub fn authorization(mut self, value: Option<&str>) -> Self {
        self.authorization = Some(value.map(str::to_string));
        self
    }

    /// Changes the body after signing.
    pub fn tamper(mut self) -> Self {
        self.tamper = true;
        self
    }

    pub async fn send(self) -> Reply {
        let key = MerchantKey::new(&self.serial, &self.key_pem).unwrap();
        let signed = self.signed.clone().unwrap_or_else(|| self.body.clone());
        let auth = authorization(
            &self.mchid,
            &key,
            self.method,
            &self.path_and_query,
            self.timestamp,
            &nonce().unwrap(),
            &signed,
        )
        .unwrap();
        let mut body = self.body;
        if self.tamper {
            body.insert(1, b' ');
        }
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{}", self.base_url, self.path_and_query))
            .header("Accept", "application/json")
            .body(body);
        match self.authorization {
            None => request = request.header("Authorization", auth),
            Some(Some(v)) => request = request.header("Authorization", v),
            Some(None) => {}
        }
        if let Some(ct) = self.content_type {
            request = request.header("Content-Type", ct);
        }
        if let Some(serial) = self.wechatpay_serial {
            request = request.header("Wechatpay-Serial", serial);
        }
        let response = request.send().await.expect("the sandbox answers");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.bytes().await.unwrap().to_vec(),
        }
    }
}

/// The WeChat Pay keys a client of `sandbox` trusts: the public key and every platform
/// certificate.
pub fn trusted_keys(sandbox: &Sandbox) -> KeyStore {
    let mut keys = KeyStore::new();
    keys.set_public_key(
        WechatPayPublicKey::new(
            sandbox.wechatpay_public_key_id(),
            sandbox.wechatpay_public_key_pem(),
        )
        .unwrap(),
    );
    for (_, pem) in sandbox.platform_certificates() {
        keys.add_certificate(PlatformCertificate::new(pem).unwrap());
    }
    keys
}

/// Verifies an answer the way a client does.
pub fn verify(sandbox: &Sandbox, reply: &Reply) -> Result<(), VerifyError> {
    wxpay_core::verify::verify(&trusted_keys(sandbox), &reply.headers, &reply.body, now())
}

/// The merchant key of `sandbox`, to decrypt answer fields.
pub fn merchant_key(sandbox: &Sandbox) -> MerchantKey {
    MerchantKey::new(
        sandbox.merchant_serial(),
        sandbox.merchant_private_key_pem(),
    )
    .unwrap()
}
