//! `wxpay::Client`: the engine of one merchant plus, with feature `client`, an HTTP stack.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use wxpay_core::{
    AppPayParams, Clock, ConfigError, Endpoint, Engine, EngineBuilder, Error, JsapiPayParams,
    Notification, PreparedRequest, VerifyError,
};

#[cfg(feature = "client")]
use crate::http_send::{Http, RefreshState};

/// Marker of a builder that builds the async [`Client`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

/// Builds a [`Client`] (or, with feature `blocking`, a `wxpay::blocking::Client`).
///
/// Required: `mchid`, `merchant_key`, and a WeChat Pay key: `wechatpay_public_key` and/or
/// `platform_certificate`, or `certificate_refresh` with `apiv3_key`.
pub struct ClientBuilder<M = Async> {
    pub(crate) engine: EngineBuilder,
    /// `engine(engine)`: used as it is instead of one built from the key settings.
    pub(crate) given_engine: Option<Engine>,
    /// Whether a setting of the engine (`mchid`, a key, the clock) was given, which a given
    /// engine excludes.
    pub(crate) engine_settings: bool,
    pub(crate) base_url: Option<String>,
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) options: Options,
    pub(crate) mode: PhantomData<M>,
}

/// HTTP options, with their defaults.
#[derive(Clone)]
pub(crate) struct Options {
    pub(crate) backup_base_url: Option<String>,
    pub(crate) certificate_refresh: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) read_timeout: Option<Duration>,
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) download_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) retries: u32,
    /// `proxy(url)`: may hold a user name and password, never printed.
    #[cfg(feature = "client")]
    pub(crate) proxy: Option<String>,
    /// `http_client(client)`: used as it is instead of a client built from these options.
    #[cfg(feature = "client")]
    pub(crate) http_client: Option<reqwest::Client>,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Options");
        d.field("backup_base_url", &self.backup_base_url)
            .field("certificate_refresh", &self.certificate_refresh)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("download_timeout", &self.download_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retries", &self.retries);
        // The proxy by its host only (its URL may carry credentials); a given client not at
        // all (its Debug prints its default headers, which may carry tokens).
        #[cfg(feature = "client")]
        d.field(
            "proxy",
            &self.proxy.as_deref().map(crate::http_send::redacted_url),
        )
        .field("http_client", &self.http_client.as_ref().map(|_| "given"));
        d.finish()
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            backup_base_url: None,
            certificate_refresh: None,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            read_timeout: None,
            download_timeout: Duration::from_secs(600),
            max_response_bytes: 32 * 1024 * 1024,
            retries: 0,
            #[cfg(feature = "client")]
            proxy: None,
            #[cfg(feature = "client")]
            http_client: None,
        }
    }
}

impl<M> fmt::Debug for ClientBuilder<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("engine", &self.engine)
            .field("given_engine", &self.given_engine)
            .field("base_url", &self.base_url)
            .field("options", &self.options)
            .finish()
    }
}

impl<M> Default for ClientBuilder<M> {
    fn default() -> Self {
        Self {
            engine: Engine::builder(),
            given_engine: None,
            engine_settings: false,
            base_url: None,
            options: Options::default(),
            mode: PhantomData,
        }
    }
}

impl<M> ClientBuilder<M> {
    /// The merchant id (digits).
    pub fn mchid(mut self, mchid: impl Into<String>) -> Self {
        self.engine = self.engine.mchid(mchid);
        self.engine_settings = true;
        self
    }

    /// The merchant API certificate serial (40 hex characters) and the merchant private key:
    /// PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`), DER, or bare base64.
    pub fn merchant_key(
        mut self,
        serial: impl Into<String>,
        private_key: impl AsRef<[u8]>,
    ) -> Self {
        self.engine = self.engine.merchant_key(serial, private_key);
        self.engine_settings = true;
        self
    }

    /// The WeChat Pay public key (`pub_key.pem`) and its id `PUB_KEY_ID_…`.
    pub fn wechatpay_public_key(
        mut self,
        id: impl Into<String>,
        public_key: impl AsRef<[u8]>,
    ) -> Self {
        self.engine = self.engine.wechatpay_public_key(id, public_key);
        self.engine_settings = true;
        self
    }

    /// A platform certificate (PEM); its serial is read from it. May be called several times.
    pub fn platform_certificate(mut self, certificate: impl AsRef<[u8]>) -> Self {
        self.engine = self.engine.platform_certificate(certificate);
        self.engine_settings = true;
        self
    }

    /// The APIv3 key (32 bytes): decrypts notifications and downloaded certificates.
    pub fn apiv3_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.engine = self.engine.apiv3_key(key);
        self.engine_settings = true;
        self
    }

    /// Uses this engine (merchant, keys, clock) as it is, instead of one built from
    /// `mchid`, `merchant_key`, `wechatpay_public_key`, `platform_certificate`, `apiv3_key`
    /// and `clock`, which cannot be combined with it ([`Error::Config`] at `build()`). Its
    /// WeChat Pay keys may be none yet (`EngineBuilder::build(true)`): install them before
    /// sending, with [`Engine::install_certificates`] or [`Engine::set_key_store`], or
    /// configure `certificate_refresh`. For tools that build the engine from their own
    /// configuration (the `wxpay` command).
    ///
    /// ```
    /// # fn main() -> Result<(), wxpay::Error> {
    /// # let merchant_key = include_str!("../tests/fixtures/merchant_key.pem");
    /// let engine = wxpay::Engine::builder()
    ///     .mchid("1900000001")
    ///     .merchant_key("5F1C72E2A8931B72A2E13AF8DEE92471EB397115", merchant_key)
    ///     .build(true)?; // no WeChat Pay key yet
    /// let client = wxpay::Client::builder().engine(engine).build()?;
    /// assert_eq!(client.engine().mchid(), "1900000001");
    /// # Ok(()) }
    /// ```
    pub fn engine(mut self, engine: Engine) -> Self {
        self.given_engine = Some(engine);
        self
    }

    /// Sends every endpoint to this host instead (a sandbox, a proxy), e.g.
    /// `"http://127.0.0.1:8080/"`. Default: `https://api.mch.weixin.qq.com/`, or the
    /// endpoint's own `base_url`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A second host tried when the first cannot be reached, e.g.
    /// `"https://api2.mch.weixin.qq.com/"`. Needs `retries(n)` with `n >= 1`. Only requests
    /// for the primary host (the `base_url`, or the default host) are retried there: an
    /// endpoint declared on another host (`apihk.mch.weixin.qq.com`) never is. Its path must
    /// be the primary's (the signature covers the path).
    pub fn backup_base_url(mut self, url: impl Into<String>) -> Self {
        self.options.backup_base_url = Some(url.into());
        self
    }

    /// Downloads the platform certificates (`GET v3/certificates`, decrypted with the APIv3
    /// key) before the first request, again every `period` in the background (periods under
    /// one second count as one second), and at once when an answer or a notification is
    /// signed with a serial the client does not hold (at most one such download a minute).
    /// Needs `apiv3_key`; with it, no WeChat Pay key needs to be configured up front.
    ///
    /// Certificates already held stay until they expire, so answers signed with the old or
    /// the new certificate both verify while WeChat Pay rotates them; expired ones never
    /// verify. A failed download keeps the keys already held. A `404 RESOURCE_NOT_EXISTS`
    /// answer means the merchant is in public-key mode: not an error when a public key is
    /// configured. Each client refreshes its own certificates (no global state).
    pub fn certificate_refresh(mut self, period: Duration) -> Self {
        self.options.certificate_refresh = Some(period);
        self
    }

    /// Time allowed to connect (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request, answer included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// Time allowed between two reads of an answer, headers and body (default: none; `timeout`
    /// and `download_timeout` bound the whole exchange). Applies to the HTTP client wxpay
    /// builds; a client given to [`http_client`](Self::http_client) keeps its own.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.options.read_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole streamed download (`download`, `download_url`,
    /// `download_bill`, `execute_prepared_streamed`), from sending the request to the last
    /// byte (default 10 minutes).
    pub fn download_timeout(mut self, timeout: Duration) -> Self {
        self.options.download_timeout = timeout;
        self
    }

    /// Largest answer body accepted (default 32 MiB). Streamed downloads have no limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.options.max_response_bytes = limit;
        self
    }

    /// Retries (default 0). A request is retried only when that is safe: when the connection
    /// could not be made (nothing was sent), or, for `GET`, after any transport failure or a
    /// 5xx answer. A `POST` that may have been processed is never repeated.
    pub fn retries(mut self, retries: u32) -> Self {
        self.options.retries = retries;
        self
    }

    /// Sends every request through this HTTP or HTTPS proxy (a fixed-IP egress proxy, say),
    /// e.g. `"http://127.0.0.1:3128"` or `"http://user:password@proxy.internal:3128"`;
    /// `https://` requests go through it with `CONNECT`. Loopback addresses are proxied too.
    /// Without it, the `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` environment
    /// variables apply. An unusable URL is an [`Error::Config`] at `build()`; combined with
    /// [`http_client`](Self::http_client) it is refused (set the proxy on that client).
    #[cfg(feature = "client")]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.options.proxy = Some(url.into());
        self
    }

    /// Sends with this HTTP client, configured by you (proxy, TLS roots, pool, timeouts),
    /// instead of one built from the options. [`wxpay::reqwest`](crate::reqwest) is the
    /// reqwest that wxpay uses, so the versions match.
    ///
    /// What wxpay guarantees holds with it too: answers are read up to
    /// [`max_response_bytes`](Self::max_response_bytes), [`timeout`](Self::timeout) and
    /// [`download_timeout`](Self::download_timeout) apply to each request, retries are as
    /// configured, and a redirect (`3xx`) is never taken as an answer:
    /// [`TransportError::Redirect`](crate::TransportError::Redirect). wxpay cannot change
    /// the redirect policy of a client it did not build, so build yours with
    /// `redirect(wxpay::reqwest::redirect::Policy::none())`: then no redirect is followed at
    /// all. A client that follows one anyway sends the request on (reqwest drops
    /// `Authorization` when the redirect leaves the host), and its answer is refused with
    /// [`TransportError::RedirectFollowed`](crate::TransportError::RedirectFollowed).
    /// [`connect_timeout`](Self::connect_timeout) is the given client's own.
    #[cfg(feature = "client")]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http_client = Some(client);
        self
    }

    /// The clock used for signatures and timestamp checks (default: the system clock).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.engine = self.engine.clock(clock);
        self.engine_settings = true;
        self
    }

    pub(crate) fn build_client(self) -> Result<Client, Error> {
        let refresh = self.options.certificate_refresh;
        let engine = match self.given_engine {
            Some(_) if self.engine_settings => {
                return Err(ConfigError::Unsupported(
                    "engine cannot be combined with mchid, merchant_key, wechatpay_public_key, \
                     platform_certificate, apiv3_key or clock: set them on the engine",
                )
                .into());
            }
            Some(engine) => engine,
            None => self.engine.build(refresh.is_some())?,
        };
        for url in self
            .base_url
            .iter()
            .chain(self.options.backup_base_url.iter())
        {
            check_base_url(url)?;
        }
        if let Some(backup) = &self.options.backup_base_url {
            // The request is signed once, over its path: the backup must serve the same path.
            let primary = self
                .base_url
                .as_deref()
                .unwrap_or(wxpay_core::DEFAULT_BASE_URL);
            let path = |url| wxpay_core::engine::split_base_url(url).map(|(_, path)| path);
            if path(backup)? != path(primary)? {
                return Err(ConfigError::InvalidBaseUrl(backup.clone()).into());
            }
        }
        if refresh.is_some() && engine.apiv3_key().is_none() {
            return Err(ConfigError::Missing("apiv3_key (needed by certificate_refresh)").into());
        }
        #[cfg(not(feature = "client"))]
        if refresh.is_some() {
            return Err(
                ConfigError::Unsupported("certificate_refresh needs the `client` feature").into(),
            );
        }
        Ok(Client {
            inner: Arc::new(Inner {
                #[cfg(feature = "client")]
                http: Http::new(&self.options)?,
                #[cfg(feature = "client")]
                refresh: RefreshState::new(refresh),
                engine,
                base_url: self.base_url,
                options: self.options,
            }),
        })
    }
}

impl ClientBuilder<Async> {
    /// Checks the configuration and builds the client: an unreadable key, a key of the wrong
    /// kind or a missing setting is an [`Error::Config`].
    pub fn build(self) -> Result<Client, Error> {
        self.build_client()
    }
}

fn check_base_url(url: &str) -> Result<(), Error> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.ends_with('/')
        && url.len() > "https://".len() + 1
        && !url.contains(['?', '#', ' ']);
    if ok {
        Ok(())
    } else {
        Err(ConfigError::InvalidBaseUrl(url.to_string()).into())
    }
}

/// A WeChat Pay APIv3 client for one merchant.
///
/// Cheap to clone (one `Arc`); clones share the connection pool and the certificates. Holds no
/// global state: any number of merchants can live in one process.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) engine: Engine,
    pub(crate) base_url: Option<String>,
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) options: Options,
    #[cfg(feature = "client")]
    pub(crate) http: Http,
    #[cfg(feature = "client")]
    pub(crate) refresh: RefreshState,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("engine", &self.inner.engine)
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The protocol engine (keys, clock, signing) behind this client.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Everything [`Client::send`] does before sending: the path and query written, the
    /// `#[encrypted]` fields encrypted with one WeChat Pay key whose id becomes
    /// `Wechatpay-Serial`, the body serialized once and signed.
    pub fn prepare<E: Endpoint>(&self, endpoint: &E) -> Result<PreparedRequest, Error> {
        self.inner
            .engine
            .prepare(endpoint, self.inner.base_url.as_deref())
    }

    /// Verifies a notification over its raw body, decrypts its resource with the APIv3 key
    /// and deserializes it. Answer WeChat Pay with a non-2xx status when this fails (probes
    /// and forgeries fail here), so that it retries.
    ///
    /// With `certificate_refresh`, an unknown serial also starts a certificate download in
    /// the background (inside a Tokio runtime), so that WeChat Pay's retry verifies.
    pub fn parse_notification<T: DeserializeOwned>(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Notification<T>, Error> {
        let result = self.inner.engine.parse_notification(headers, body);
        if let Err(Error::Verification { error, .. }) = &result {
            tracing::warn!(target: "wxpay::verify", %error, "notification failed verification");
        }
        #[cfg(feature = "client")]
        if let Err(Error::Verification {
            error: VerifyError::UnknownSerial(serial),
            ..
        }) = &result
        {
            self.refresh_in_background(serial.clone());
        }
        result
    }

    /// JSAPI / mini-program payment parameters (`wx.requestPayment`) for a prepay id. The
    /// values are checked as for [`Client::app_pay_params`].
    pub fn jsapi_pay_params(&self, app_id: &str, prepay_id: &str) -> Result<JsapiPayParams, Error> {
        self.inner.engine.jsapi_pay_params(app_id, prepay_id)
    }

    /// APP payment parameters (`PayReq`) for a prepay id, for a direct merchant: `partnerid`
    /// is this client's `mchid`.
    ///
    /// Pay-sign values are checked (letters, digits, `_` and `-`; at most 64 characters for
    /// `app_id`, 128 for `prepay_id`): the merchant key signs them as lines of text, so a line
    /// break could make the signed text of another message. A refused value is
    /// [`Error::InvalidInput`].
    pub fn app_pay_params(&self, app_id: &str, prepay_id: &str) -> Result<AppPayParams, Error> {
        self.inner.engine.app_pay_params(app_id, prepay_id)
    }

    /// APP payment parameters of a service provider: `partnerid` is the sub-merchant's id
    /// (`sub_mchid`, digits) and the parameters are signed with this client's key.
    pub fn app_pay_params_for(
        &self,
        app_id: &str,
        partner_id: &str,
        prepay_id: &str,
    ) -> Result<AppPayParams, Error> {
        self.inner
            .engine
            .app_pay_params_for(app_id, partner_id, prepay_id)
    }

    /// Verifies the signature of an answer or notification (headers and raw body).
    pub fn verify(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        self.inner.engine.verify(headers, body)
    }
}
