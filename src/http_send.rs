//! Sending over HTTP (feature `client`): reqwest with rustls, bounded answers, safe retries.
//! Certificate refresh is in [`refresh`], streamed downloads and bills in [`download`].

mod download;
mod refresh;

use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderValue};
use wxpay_core::{
    Body, ConfigError, Endpoint, Error, Method, PreparedRequest, TransportError, VerifyError,
};

use crate::client::{Client, Options};

pub(crate) use refresh::RefreshState;

pub(crate) struct Http {
    client: reqwest::Client,
}

impl Http {
    pub(crate) fn new(options: &Options) -> Result<Self, Error> {
        if let Some(client) = &options.http_client {
            if options.proxy.is_some() {
                return Err(ConfigError::Unsupported(
                    "proxy and http_client cannot be combined: set the proxy on your client",
                )
                .into());
            }
            return Ok(Self {
                client: client.clone(),
            });
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(wxpay_core::USER_AGENT)
            // Redirects would send a signed request somewhere it was not signed for.
            .redirect(reqwest::redirect::Policy::none())
            // Mozilla's root program, compiled in: the roots reqwest 0.12 trusted, on any host
            // (reqwest 0.13 would ask the platform's verifier, whose roots depend on the
            // machine, and which a container image without CA certificates lacks).
            .tls_certs_only(mozilla_roots());
        if let Some(timeout) = options.read_timeout {
            builder = builder.read_timeout(timeout);
        }
        if let Some(proxy) = &options.proxy {
            let invalid = || Error::from(ConfigError::InvalidProxy(redacted_url(proxy)));
            let proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|_| invalid())?;
            builder = builder.proxy(proxy);
        }
        let client = builder
            .build()
            .map_err(|e| Error::Transport(TransportError::Other(e.without_url().to_string())))?;
        Ok(Self { client })
    }
}

/// The root certificates of Mozilla's CA program (the `webpki-root-certs` crate).
fn mozilla_roots() -> Vec<reqwest::Certificate> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok())
        .collect()
}

/// A URL without what may be secret: `scheme://host:port` (no user name, password, path or
/// query), or `"(not a URL)"`.
pub(crate) fn redacted_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(host), Some(port)) => format!("{}://{host}:{port}", u.scheme()),
            (Some(host), None) => format!("{}://{host}", u.scheme()),
            (None, _) => format!("{}:", u.scheme()),
        },
        Err(_) => "(not a URL)".to_string(),
    }
}

/// The answer as read off the wire.
pub(crate) struct RawAnswer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Client {
    /// Prepares, sends, checks the status, verifies the signature of the answer (downloads
    /// excepted), decrypts its `#[encrypted]` fields and deserializes it.
    ///
    /// A WeChat Pay error answer is [`Error::Api`]; an answer that fails verification is
    /// [`Error::Verification`] and must not be trusted.
    ///
    /// With `certificate_refresh`, the platform certificates are downloaded before the first
    /// request, and again at once (rate-limited) when the answer is signed by a certificate
    /// the client does not hold yet; the same answer is then verified again.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.refresh_if_due().await?;
        let prepared = self.prepare(endpoint)?;
        let answer = self.execute(&prepared).await?;
        let engine = &self.inner.engine;
        let result = match engine.read_response::<E>(answer.status, &answer.headers, &answer.body) {
            Err(Error::Verification {
                error: VerifyError::UnknownSerial(serial),
                ..
            }) if self.inner.refresh.enabled() => {
                // The platform certificate rotated: download, then verify the same bytes again.
                if self.refresh_for_serial(&serial).await {
                    engine.read_response::<E>(answer.status, &answer.headers, &answer.body)
                } else {
                    Err(VerifyError::UnknownSerial(serial).into())
                }
            }
            other => other,
        };
        // Every error that follows an answer carries its Request-ID.
        let request_id = request_id(&answer.headers);
        let result =
            result.map_err(|e| e.with_request_id(Some(request_id).filter(|id| !id.is_empty())));
        if let Err(Error::Verification { error, .. }) = &result {
            tracing::warn!(
                target: "wxpay::verify",
                method = prepared.method(),
                path = path_of(&prepared),
                request_id,
                %error,
                "answer failed verification",
            );
        }
        result
    }

    /// Sends a prepared request as it is and returns status, headers and body, unverified.
    /// Most code wants [`Client::send`].
    pub async fn execute_prepared(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<(u16, HeaderMap, Vec<u8>), Error> {
        let a = self.execute(prepared).await?;
        Ok((a.status, a.headers, a.body))
    }

    /// Sends a prepared request as it is and returns the answer with its body unread, to be
    /// read chunk by chunk as it arrives: a download of any size can go to a file or to
    /// standard output without being held in memory. Nothing is verified (a signed answer can
    /// be checked with [`Engine::verify`](crate::Engine::verify) over its headers and the
    /// bytes read); most code wants [`Client::send`] or [`Client::download`].
    ///
    /// It is sent as [`Client::execute_prepared`] sends: redirects refused
    /// ([`TransportError::Redirect`]), retries as configured (none once the answer has
    /// arrived), the TLS roots and proxy of the client. The time allowed for the whole
    /// exchange, body included, is `download_timeout` (default 10 minutes), and
    /// `read_timeout`, if set, between two reads. The body is not limited by
    /// `max_response_bytes`: the caller bounds what it keeps.
    ///
    /// ```no_run
    /// # async fn f(client: wxpay::Client) -> Result<(), wxpay::Error> {
    /// use std::io::Write;
    ///
    /// let prepared = client.prepare(&wxpay::DownloadCertificates {})?;
    /// let mut answer = client.execute_prepared_streamed(&prepared).await?;
    /// eprintln!("HTTP {}, Request-ID {:?}", answer.status(), answer.request_id());
    /// let mut out = std::io::stdout().lock();
    /// while let Some(chunk) = answer.chunk().await? {
    ///     out.write_all(chunk).expect("stdout");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn execute_prepared_streamed(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<StreamedAnswer, Error> {
        let timeout = self.inner.options.download_timeout;
        let response = self.open(prepared, Some(timeout)).await?;
        Ok(StreamedAnswer {
            response,
            chunk: bytes::Bytes::new(),
        })
    }

    async fn execute(&self, prepared: &PreparedRequest) -> Result<RawAnswer, Error> {
        let idempotent = prepared.http_method() == Method::Get;
        let mut attempt = 0u32;
        loop {
            let url = self.attempt_url(prepared, attempt);
            let started = Instant::now();
            let result = match self.send_once(prepared, &url, None).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    read_limited(response, self.inner.options.max_response_bytes)
                        .await
                        .map(|body| RawAnswer {
                            status,
                            headers,
                            body,
                        })
                }
                Err(e) => Err(e),
            };
            let outcome = result.as_ref().map(|a| (a.status, &a.headers));
            log_attempt(prepared, attempt + 1, started, outcome);
            if !self.may_retry(attempt, idempotent, outcome.map(|(status, _)| status)) {
                return result;
            }
            attempt += 1;
            retry_pause(prepared, attempt, outcome.map(|(status, _)| status)).await;
        }
    }

    /// Sends, retrying when safe, and returns the answer with its body unread (downloads,
    /// which stream it: once a byte has been handed on, nothing is retried). `timeout`
    /// replaces the client's request timeout.
    async fn open(
        &self,
        prepared: &PreparedRequest,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, Error> {
        let idempotent = prepared.http_method() == Method::Get;
        let mut attempt = 0u32;
        loop {
            let url = self.attempt_url(prepared, attempt);
            let started = Instant::now();
            let result = self.send_once(prepared, &url, timeout).await;
            let outcome = result.as_ref().map(|r| (r.status().as_u16(), r.headers()));
            log_attempt(prepared, attempt + 1, started, outcome);
            if !self.may_retry(attempt, idempotent, outcome.map(|(status, _)| status)) {
                return result;
            }
            attempt += 1;
            retry_pause(prepared, attempt, outcome.map(|(status, _)| status)).await;
        }
    }

    /// The URL of attempt `attempt`: the backup host from the second attempt on, but only
    /// for a request prepared for the primary host. An endpoint declared on another host
    /// (`apihk.mch.weixin.qq.com`) is never retried on the mainland backup. The backup has the
    /// primary's path (checked when the client is built), so the signed URL stays the same.
    fn attempt_url(&self, prepared: &PreparedRequest, attempt: u32) -> String {
        let primary = self
            .inner
            .base_url
            .as_deref()
            .unwrap_or(wxpay_core::DEFAULT_BASE_URL);
        match (&self.inner.options.backup_base_url, attempt) {
            (Some(backup), n) if n > 0 && prepared.base_url() == primary => {
                let origin = origin_of(backup);
                format!("{origin}{}", prepared.canonical_url())
            }
            _ => prepared.url().to_string(),
        }
    }

    /// Whether attempt `attempt`, which ended with this status or error, may be repeated.
    fn may_retry(&self, attempt: u32, idempotent: bool, outcome: Result<u16, &Error>) -> bool {
        attempt < self.inner.options.retries
            && match outcome {
                // Nothing was sent: safe for any method.
                Err(Error::Transport(TransportError::Connect(_))) => true,
                // The request may have been processed: only a GET may be repeated. An
                // oversized answer would be oversized again, and so would a redirect.
                Err(Error::Transport(
                    TransportError::BodyTooLarge { .. }
                    | TransportError::Redirect { .. }
                    | TransportError::RedirectFollowed,
                )) => false,
                Err(Error::Transport(_)) => idempotent,
                Ok(status) if status >= 500 => idempotent,
                _ => false,
            }
    }

    async fn send_once(
        &self,
        prepared: &PreparedRequest,
        url: &str,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, Error> {
        let method = match prepared.http_method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        // Parsed once: what is sent, and what the answer must come from.
        let url = reqwest::Url::parse(url)
            .map_err(|_| Error::Encode("the request URL cannot be parsed".into()))?;
        // The timeout on each request, so that it holds for a client given to `http_client`.
        let timeout = timeout.unwrap_or(self.inner.options.timeout);
        let mut request = self
            .inner
            .http
            .client
            .request(method, url.clone())
            .timeout(timeout)
            .headers(prepared.headers().clone());
        match prepared.full_body() {
            Body::Empty => {}
            Body::Json(bytes) => request = request.body(bytes.clone()),
            body @ Body::Multipart { .. } => {
                let boundary = wxpay_core::sign::nonce()?;
                let (content_type, body) = body.multipart(&boundary).unwrap_or_default();
                let content_type = HeaderValue::from_str(&content_type)
                    .map_err(|_| Error::Encode("invalid multipart boundary".into()))?;
                request = request
                    .header(http::header::CONTENT_TYPE, content_type)
                    .body(body);
            }
        }
        let response = request.send().await.map_err(transport_error)?;
        // The SDK's own client follows no redirect; a given client might have (see
        // `ClientBuilder::http_client`). Either way a redirect is not an answer.
        if response.status().is_redirection() {
            return Err(Error::Transport(TransportError::Redirect {
                status: response.status().as_u16(),
            }));
        }
        if response.url() != &url {
            return Err(Error::Transport(TransportError::RedirectFollowed));
        }
        Ok(response)
    }
}

/// An answer whose body is read as it arrives: [`Client::execute_prepared_streamed`].
pub struct StreamedAnswer {
    response: reqwest::Response,
    /// The chunk last handed out.
    chunk: bytes::Bytes,
}

impl StreamedAnswer {
    /// The HTTP status, such as `200`.
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The answer's `Request-ID` (what WeChat Pay support asks for first), if it has one.
    pub fn request_id(&self) -> Option<&str> {
        Some(request_id(self.headers())).filter(|id| !id.is_empty())
    }

    /// The length of the body, when the answer announces it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The next piece of the body as it arrives, or `None` once it has all been read. A
    /// broken or timed-out transfer is an [`Error::Transport`].
    pub async fn chunk(&mut self) -> Result<Option<&[u8]>, Error> {
        match self.response.chunk().await.map_err(transport_error)? {
            Some(chunk) => {
                self.chunk = chunk;
                Ok(Some(&self.chunk))
            }
            None => Ok(None),
        }
    }
}

impl std::fmt::Debug for StreamedAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the headers: an answer's are WeChat Pay's, but a proxy's may carry anything.
        f.debug_struct("StreamedAnswer")
            .field("status", &self.status())
            .field("request_id", &self.request_id())
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

/// `https://host:port` of a base URL (checked when the client was built).
pub(crate) fn origin_of(base_url: &str) -> &str {
    wxpay_core::engine::split_base_url(base_url).map_or(base_url, |(origin, _)| origin)
}

/// The path of a request, for events: the query is left out (its values may be personal
/// data, or a download token).
fn path_of(prepared: &PreparedRequest) -> &str {
    let url = prepared.canonical_url();
    url.split_once('?').map_or(url, |(path, _)| path)
}

/// The `Request-ID` of an answer, for events ("" when absent).
fn request_id(headers: &HeaderMap) -> &str {
    headers
        .get("Request-ID")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The DEBUG event of one attempt: method, path, attempt (1 for the first), elapsed time, and
/// status and `Request-ID`, or the error. Never headers' values, bodies, or the query.
fn log_attempt(
    prepared: &PreparedRequest,
    attempt: u32,
    started: Instant,
    outcome: Result<(u16, &HeaderMap), &Error>,
) {
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let (method, path) = (prepared.method(), path_of(prepared));
    match outcome {
        Ok((status, headers)) => tracing::debug!(
            target: "wxpay::http",
            method,
            path,
            attempt,
            status,
            request_id = request_id(headers),
            elapsed_ms,
            "answer received",
        ),
        // `Error`'s Display holds nothing secret (wxpay-core's error.rs).
        Err(error) => tracing::debug!(
            target: "wxpay::http",
            method,
            path,
            attempt,
            elapsed_ms,
            %error,
            "request failed",
        ),
    }
}

/// Waits before retry number `retry` (1 for the first), with a WARN event saying why.
async fn retry_pause(prepared: &PreparedRequest, retry: u32, cause: Result<u16, &Error>) {
    let delay = Duration::from_millis(100 * u64::from(retry));
    // The attempt about to be made (1 was the first).
    let next_attempt = retry + 1;
    let delay_ms = delay.as_millis() as u64;
    let (method, path) = (prepared.method(), path_of(prepared));
    match cause {
        Ok(status) => tracing::warn!(
            target: "wxpay::http",
            method,
            path,
            status,
            next_attempt,
            delay_ms,
            "retrying",
        ),
        Err(error) => tracing::warn!(
            target: "wxpay::http",
            method,
            path,
            %error,
            next_attempt,
            delay_ms,
            "retrying",
        ),
    }
    tokio::time::sleep(delay).await;
}

async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, Error> {
    let too_large = || Error::Transport(TransportError::BodyTooLarge { limit });
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(response.content_length().unwrap_or(0).min(1 << 20) as usize);
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport_error(e: reqwest::Error) -> Error {
    let e = e.without_url();
    let kind = if e.is_timeout() {
        TransportError::Timeout
    } else if e.is_connect() {
        TransportError::Connect(error_chain(&e))
    } else {
        TransportError::Other(error_chain(&e))
    };
    Error::Transport(kind)
}

/// An error and its sources, `: `-separated, without the layers of reqwest and hyper that
/// say nothing ("error sending request", "client error (Connect)"): `tcp connect error:
/// Connection refused (os error 111)`.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = Some(e);
    while let Some(s) = source {
        let part = s.to_string();
        if !part.starts_with("error sending request") && !part.starts_with("client error") {
            parts.push(part);
        }
        source = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_are_printed_without_credentials() {
        assert_eq!(
            redacted_url("http://user:secret@proxy.internal:3128/x?y"),
            "http://proxy.internal:3128"
        );
        assert_eq!(
            redacted_url("https://proxy.internal"),
            "https://proxy.internal"
        );
        assert_eq!(redacted_url("http://user:secret@exa mple"), "(not a URL)");
    }

    #[test]
    fn the_own_client_trusts_the_mozilla_roots() {
        // Every root of the bundle is usable as a reqwest certificate.
        assert_eq!(
            mozilla_roots().len(),
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.len()
        );
        assert!(mozilla_roots().len() > 100);
    }
}
