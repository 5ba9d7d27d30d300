//! The protocol engine: everything a client does except moving bytes over HTTP.

use std::fmt;
use std::sync::{Arc, RwLock};

use http::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::clock::{Clock, SystemClock};
use crate::endpoint::{Body, Endpoint, Method, RequestParts, ResponseKind};
use crate::error::{ConfigError, Error, VerifyError};
use crate::keys::{ApiV3Key, MerchantKey, PlatformCertificate, WechatPayPublicKey};
use crate::keystore::KeyStore;
use crate::notify::{Notification, RawNotification};
use crate::private;
use crate::sign;
use crate::verify;

/// The default host of APIv3.
pub const DEFAULT_BASE_URL: &str = "https://api.mch.weixin.qq.com/";

/// The `User-Agent` wxpay sends.
pub const USER_AGENT: &str = concat!("wxpay-rust/", env!("CARGO_PKG_VERSION"));

/// The protocol engine of one merchant: signs and encrypts requests, verifies and decrypts
/// answers and notifications. Holds no global state; many can live in one process.
pub struct Engine {
    mchid: String,
    merchant_key: Arc<MerchantKey>,
    keys: RwLock<Arc<KeyStore>>,
    apiv3_key: Option<ApiV3Key>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("mchid", &self.mchid)
            .field("merchant_key", &self.merchant_key)
            .field("keys", &self.key_store())
            .field("apiv3_key", &self.apiv3_key)
            .finish()
    }
}

/// Builds an [`Engine`].
#[derive(Default)]
pub struct EngineBuilder {
    mchid: Option<String>,
    merchant_key: Option<Result<MerchantKey, Error>>,
    keys: KeyStore,
    key_errors: Vec<Error>,
    apiv3_key: Option<Result<ApiV3Key, Error>>,
    clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not checked yet: a key given here by mistake is not printed (as in the error).
        let mchid = self.mchid.as_deref().map(|m| {
            if m.bytes().all(|b| b.is_ascii_digit()) {
                m.to_string()
            } else {
                crate::error::not_shown(m)
            }
        });
        f.debug_struct("EngineBuilder")
            .field("mchid", &mchid)
            .finish_non_exhaustive()
    }
}

impl EngineBuilder {
    /// The merchant id (digits).
    pub fn mchid(mut self, mchid: impl Into<String>) -> Self {
        self.mchid = Some(mchid.into());
        self
    }

    /// The merchant API certificate serial and private key (PEM PKCS#8 or PKCS#1, DER, base64).
    pub fn merchant_key(
        mut self,
        serial: impl Into<String>,
        private_key: impl AsRef<[u8]>,
    ) -> Self {
        self.merchant_key = Some(MerchantKey::new(serial, private_key));
        self
    }

    /// The WeChat Pay public key and its id `PUB_KEY_ID_…`.
    pub fn wechatpay_public_key(
        mut self,
        id: impl Into<String>,
        public_key: impl AsRef<[u8]>,
    ) -> Self {
        match WechatPayPublicKey::new(id, public_key) {
            Ok(key) => self.keys.set_public_key(key),
            Err(e) => self.key_errors.push(e),
        }
        self
    }

    /// A platform certificate (PEM); may be called several times.
    pub fn platform_certificate(mut self, certificate: impl AsRef<[u8]>) -> Self {
        match PlatformCertificate::new(certificate) {
            Ok(cert) => self.keys.add_certificate(cert),
            Err(e) => self.key_errors.push(e),
        }
        self
    }

    /// The APIv3 key (32 bytes).
    pub fn apiv3_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.apiv3_key = Some(ApiV3Key::new(key));
        self
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Checks the configuration and builds the engine. The first problem found is returned.
    /// An engine without any WeChat Pay key is allowed only when `allow_empty_keys` is set
    /// (certificates will be downloaded).
    pub fn build(self, allow_empty_keys: bool) -> Result<Engine, Error> {
        let mchid = self.mchid.ok_or(ConfigError::Missing("mchid"))?;
        if mchid.is_empty() || !mchid.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError::InvalidId {
                what: "mchid",
                // Whatever was given here by mistake (the APIv3 key, a PEM key) is not quoted.
                value: crate::error::not_shown(&mchid),
                reason: "a merchant id is made of digits",
            }
            .into());
        }
        let merchant_key = self
            .merchant_key
            .ok_or(ConfigError::Missing("merchant_key"))??;
        if let Some(e) = self.key_errors.into_iter().next() {
            return Err(e);
        }
        let apiv3_key = self.apiv3_key.transpose()?;
        if self.keys.is_empty() && !allow_empty_keys {
            return Err(ConfigError::Missing(
                "wechatpay_public_key or platform_certificate (or certificate_refresh with apiv3_key)",
            )
            .into());
        }
        Ok(Engine {
            mchid,
            merchant_key: Arc::new(merchant_key),
            keys: RwLock::new(Arc::new(self.keys)),
            apiv3_key,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
        })
    }
}

/// A request signed and ready to send: what `Client::prepare` returns.
#[derive(Clone)]
pub struct PreparedRequest {
    method: Method,
    base_url: String,
    url: String,
    canonical_url: String,
    headers: HeaderMap,
    body: Body,
}

impl fmt::Debug for PreparedRequest {
    // The body holds ciphertexts only, but may hold personal data the user chose not to
    // encrypt; the Authorization header holds a signature. Neither is printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("body_len", &self.body.signed_bytes().len())
            .finish_non_exhaustive()
    }
}

impl PreparedRequest {
    /// `"GET"`, `"POST"`, …
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The method.
    pub fn http_method(&self) -> Method {
        self.method
    }

    /// The full URL that is sent.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The base URL the request was prepared for: the client's `base_url`, the endpoint's
    /// own host (`base_url = "…"` in its declaration), or the default host.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL as signed: absolute path and query (`/v3/…?…`, or `/hk/v3/…` under a base URL
    /// with a path).
    pub fn canonical_url(&self) -> &str {
        &self.canonical_url
    }

    /// The headers: `Authorization`, `Wechatpay-Serial`, `Accept`, `User-Agent`,
    /// `Content-Type` (JSON bodies) and the endpoint's own.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The exact bytes that were signed: the JSON body, the multipart meta, or empty.
    pub fn body(&self) -> &[u8] {
        self.body.signed_bytes()
    }

    /// The whole body, multipart included.
    pub fn full_body(&self) -> &Body {
        &self.body
    }
}

impl Engine {
    /// Starts a builder.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The merchant id.
    pub fn mchid(&self) -> &str {
        &self.mchid
    }

    /// The merchant key.
    pub fn merchant_key(&self) -> &MerchantKey {
        &self.merchant_key
    }

    /// The APIv3 key, if configured.
    pub fn apiv3_key(&self) -> Option<&ApiV3Key> {
        self.apiv3_key.as_ref()
    }

    /// Unix seconds from the engine's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// A snapshot of the trusted WeChat Pay keys.
    pub fn key_store(&self) -> Arc<KeyStore> {
        self.keys.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the trusted WeChat Pay keys (certificate refresh). Requests already being
    /// prepared keep the snapshot they took.
    pub fn set_key_store(&self, keys: KeyStore) {
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(keys);
    }

    /// Prepares `endpoint`: path, query, headers and body written, `#[encrypted]` fields
    /// encrypted with one key snapshot whose id is sent as `Wechatpay-Serial`, and the request
    /// signed. `base_url` overrides the endpoint's host (a sandbox, a proxy).
    pub fn prepare<E: Endpoint>(
        &self,
        endpoint: &E,
        base_url: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let encryptor = self.key_store().encryptor(self.now())?;
        let serial = encryptor.id().to_string();
        let mut parts = RequestParts::new();
        private::with_encryptor(encryptor, || endpoint.write_request(&mut parts))?;
        let base = base_url.or(E::BASE_URL).unwrap_or(DEFAULT_BASE_URL);
        self.sign_parts(E::METHOD, base, parts, &serial)
    }

    /// Signs already-written request parts (the `wxpay call` path for undeclared endpoints).
    /// `wechatpay_serial` becomes the `Wechatpay-Serial` header; empty leaves it out.
    pub fn sign_parts(
        &self,
        method: Method,
        base_url: &str,
        parts: RequestParts,
        wechatpay_serial: &str,
    ) -> Result<PreparedRequest, Error> {
        let (path, query, extra_headers, body) = parts.into_parts();
        // The signed URL is the absolute path and query of exactly what is sent: a base URL
        // with a path (`https://api.mch.weixin.qq.com/hk/`, a gateway's `/wxpay/`) is part of it.
        let (origin, base_path) = split_base_url(base_url)?;
        let mut canonical_url =
            String::with_capacity(base_path.len() + path.len() + query.len() + 2);
        canonical_url.push_str(base_path);
        if !base_path.ends_with('/') {
            canonical_url.push('/');
        }
        canonical_url.push_str(&path);
        if !query.is_empty() {
            canonical_url.push('?');
            canonical_url.push_str(&query);
        }
        let url = format!("{origin}{canonical_url}");
        let nonce = sign::nonce()?;
        let authorization = sign::authorization(
            &self.mchid,
            &self.merchant_key,
            method.as_str(),
            &canonical_url,
            self.now(),
            &nonce,
            body.signed_bytes(),
        )?;
        let mut headers = HeaderMap::with_capacity(8);
        let value = |v: &str| {
            HeaderValue::from_str(v)
                .map_err(|_| Error::Encode(format!("invalid header value {v:?}")))
        };
        headers.insert(http::header::AUTHORIZATION, value(&authorization)?);
        // Empty: no WeChat Pay key is held yet (the first certificate download); the header
        // is left out rather than sent empty.
        if !wechatpay_serial.is_empty() {
            headers.insert(
                HeaderName::from_static("wechatpay-serial"),
                value(wechatpay_serial)?,
            );
        }
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            http::header::USER_AGENT,
            HeaderValue::from_static(USER_AGENT),
        );
        if let Body::Json(_) = body {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        for (name, v) in extra_headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Encode(format!("invalid header name {name:?}")))?;
            headers.insert(name, value(&v)?);
        }
        Ok(PreparedRequest {
            method,
            base_url: base_url.to_string(),
            url,
            canonical_url,
            headers,
            body,
        })
    }

    /// Reads an answer: a non-2xx status becomes [`Error::Api`]; a 2xx answer is verified
    /// (except downloads) and decoded, its `#[encrypted]` fields decrypted.
    pub fn read_response<E: Endpoint>(
        &self,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<E::Response, Error> {
        if !(200..300).contains(&status) {
            return Err(api_error(status, headers, body));
        }
        if E::RESPONSE_KIND != ResponseKind::Download {
            self.verify(headers, body)?;
        }
        private::with_decryptor(self.merchant_key.clone(), || E::decode_response(body))
    }

    /// Verifies the signature of an answer or notification over its raw body.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        verify::verify(&self.key_store(), headers, body, self.now())
    }

    /// Verifies a notification, decrypts its resource with the APIv3 key and deserializes it
    /// (any `#[encrypted]` field in it decrypted with the merchant key).
    pub fn parse_notification<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Notification<T>, Error> {
        let apiv3_key = self.apiv3_key.as_ref().ok_or(ConfigError::Missing(
            "apiv3_key (needed to decrypt notifications)",
        ))?;
        self.verify(headers, body)?;
        let raw: RawNotification =
            serde_json::from_slice(body).map_err(|e| Error::json_decode("the notification", &e))?;
        raw.decrypt(apiv3_key, |plain| {
            private::with_decryptor(self.merchant_key.clone(), || {
                serde_json::from_slice::<T>(plain)
                    .map_err(|e| Error::json_decode("the notification resource", &e))
            })
        })
    }
}

/// Splits an absolute `http(s)` base URL into its origin (`https://host:port`) and its path
/// (`/`, `/hk/`, `/gateway/wxpay/`; `/` when there is none). The signed URL of a request is that
/// path followed by the endpoint's path; the client's backup host and `download_url` checks
/// read the same two parts.
///
/// ```
/// let (origin, path) = wxpay_core::engine::split_base_url("https://apihk.mch.weixin.qq.com/global/")?;
/// assert_eq!((origin, path), ("https://apihk.mch.weixin.qq.com", "/global/"));
/// # Ok::<(), wxpay_core::Error>(())
/// ```
pub fn split_base_url(base_url: &str) -> Result<(&str, &str), Error> {
    let bad = || Error::from(ConfigError::InvalidBaseUrl(base_url.to_string()));
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let scheme_len = base_url.len() - rest.len();
    let (origin_len, path) = match rest.find('/') {
        Some(i) => (scheme_len + i, &rest[i..]),
        None => (base_url.len(), "/"),
    };
    if origin_len == scheme_len || path.contains(['?', '#']) {
        return Err(bad());
    }
    Ok((&base_url[..origin_len], path))
}

#[derive(Deserialize)]
struct ApiErrorBody {
    code: Option<String>,
    message: Option<String>,
    detail: Option<serde_json::Value>,
}

/// Builds [`Error::Api`] from an error answer. A body that is not WeChat Pay's error JSON (a
/// proxy's HTML page) keeps the status and gets code `HTTP_<status>`.
pub fn api_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    let request_id = headers
        .get("Request-ID")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let parsed: Option<ApiErrorBody> = serde_json::from_slice(body).ok();
    let (code, message, detail) = match parsed {
        Some(b) => (
            b.code.unwrap_or_else(|| format!("HTTP_{status}")),
            b.message.unwrap_or_default(),
            b.detail,
        ),
        None => (
            format!("HTTP_{status}"),
            format!("non-JSON error answer of {} bytes", body.len()),
            None,
        ),
    };
    Error::Api {
        status,
        code,
        message,
        detail,
        request_id,
    }
}
