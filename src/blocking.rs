//! `wxpay::blocking::Client`: the same client without `async` (feature `blocking`).
//!
//! It drives the async client on a private single-threaded Tokio runtime. Calling it from
//! inside an async runtime is refused with an error rather than blocking that runtime's
//! thread (use the async [`crate::Client`] there).

use std::fmt;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use wxpay_core::{
    AppPayParams, BillAnswer, ConfigError, Download, Endpoint, Engine, Error, JsapiPayParams,
    Notification, PreparedRequest, TransportError, VerifyError,
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

    /// See [`crate::Client::download`]: the body streamed into `writer` (any
    /// [`std::io::Write`], such as a `std::fs::File`), the number of bytes returned.
    pub fn download<E, W>(&self, endpoint: &E, writer: &mut W) -> Result<u64, Error>
    where
        E: Endpoint<Response = Download>,
        W: Write + ?Sized,
    {
        self.block_on(self.inner.download(endpoint, &mut SyncWriter(writer)))?
    }

    /// See [`crate::Client::download_url`].
    pub fn download_url<W: Write + ?Sized>(&self, url: &str, writer: &mut W) -> Result<u64, Error> {
        self.block_on(self.inner.download_url(url, &mut SyncWriter(writer)))?
    }

    /// See [`crate::Client::download_bill`]: the CSV (decompressed) streamed into `writer`,
    /// its SHA-1 checked against the bill's `hash_value`.
    ///
    /// ```no_run
    /// # fn f(client: wxpay::blocking::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut file = std::fs::File::create("2024-05-01.csv")?;
    /// client.download_bill(&wxpay::FundFlowBill::new("2024-05-01").gzip(), &mut file)?;
    /// # Ok(()) }
    /// ```
    pub fn download_bill<E, W>(&self, query: &E, writer: &mut W) -> Result<u64, Error>
    where
        E: Endpoint<Response = BillAnswer>,
        W: Write + ?Sized,
    {
        self.block_on(self.inner.download_bill(query, &mut SyncWriter(writer)))?
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

    /// See [`crate::Client::app_pay_params_for`].
    pub fn app_pay_params_for(
        &self,
        app_id: &str,
        partner_id: &str,
        prepay_id: &str,
    ) -> Result<AppPayParams, Error> {
        self.inner.app_pay_params_for(app_id, partner_id, prepay_id)
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

/// A [`std::io::Write`] seen as a Tokio writer. Writing blocks, which is what the blocking
/// client does anyway: its private runtime runs nothing else meanwhile.
struct SyncWriter<'a, W: ?Sized>(&'a mut W);

impl<W: Write + ?Sized> tokio::io::AsyncWrite for SyncWriter<'_, W> {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.get_mut().0.write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.get_mut().0.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}
