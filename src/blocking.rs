//! `wxpay::blocking::Client`: the same client without `async` (feature `blocking`).
//!
//! It drives the async client on a private single-threaded Tokio runtime. Calling it from
//! inside an async runtime is refused with an error rather than blocking that runtime's
//! thread (use the async [`crate::Client`] there).

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use wxpay_core::{
    AppPayParams, ConfigError, Endpoint, Engine, Error, JsapiPayParams, Notification,
    PreparedRequest, TransportError, VerifyError,
};

use crate::client::ClientBuilder;

/// Marker of a builder that builds the blocking [`Client`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocking;

/// A blocking WeChat Pay APIv3 client: the methods of [`crate::Client`], not `async`.
///
/// ```no_run
/// # fn main() -> Result<(), wxpay::Error> {
/// # let (key, public_key) = ("", "");
/// let client = wxpay::blocking::Client::builder()
///     .mchid("1900000001")
///     .merchant_key("5F1C72E2A8931B72A2E13AF8DEE92471EB397115", key)
///     .wechatpay_public_key("PUB_KEY_ID_0114232134912410000000000000", public_key)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<OwnedRuntime>,
}

/// The private runtime. Dropping a Tokio runtime inside an async context panics, and a
/// blocking client may well be dropped there; `shutdown_background` never blocks.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl OwnedRuntime {
    fn get(&self) -> &tokio::runtime::Runtime {
        // Only `Drop` takes it out.
        self.0.as_ref().expect("runtime present until drop")
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("inner", &self.inner)
            .finish()
    }
}

impl ClientBuilder<Blocking> {
    /// Checks the configuration and builds the blocking client.
    pub fn build(self) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Transport(TransportError::Other(e.to_string())))?;
        // reqwest's client must be created where a runtime can be entered.
        let _guard = runtime.enter();
        let inner = self.build_client()?;
        drop(_guard);
        Ok(Client {
            inner,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder<Blocking> {
        ClientBuilder::default()
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(ConfigError::Unsupported(
                "wxpay::blocking::Client cannot be used inside an async runtime; use wxpay::Client",
            )
            .into());
        }
        Ok(self.runtime.get().block_on(future))
    }

    /// See [`crate::Client::send`].
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.block_on(self.inner.send(endpoint))?
    }

    /// See [`crate::Client::prepare`].
    pub fn prepare<E: Endpoint>(&self, endpoint: &E) -> Result<PreparedRequest, Error> {
        self.inner.prepare(endpoint)
    }

    /// See [`crate::Client::parse_notification`].
    pub fn parse_notification<T: DeserializeOwned>(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Notification<T>, Error> {
        let _guard = self.runtime.get().enter();
        self.inner.parse_notification(headers, body)
    }

    /// See [`crate::Client::refresh_certificates`].
    pub fn refresh_certificates(&self) -> Result<usize, Error> {
        self.block_on(self.inner.refresh_certificates())?
    }

    /// See [`crate::Client::jsapi_pay_params`].
    pub fn jsapi_pay_params(&self, app_id: &str, prepay_id: &str) -> Result<JsapiPayParams, Error> {
        self.inner.jsapi_pay_params(app_id, prepay_id)
    }

    /// See [`crate::Client::app_pay_params`].
    pub fn app_pay_params(&self, app_id: &str, prepay_id: &str) -> Result<AppPayParams, Error> {
        self.inner.app_pay_params(app_id, prepay_id)
    }

    /// See [`crate::Client::verify`].
    pub fn verify(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        self.inner.verify(headers, body)
    }

    /// See [`crate::Client::engine`].
    pub fn engine(&self) -> &Engine {
        self.inner.engine()
    }

    /// The async client inside.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }
}
