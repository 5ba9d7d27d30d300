//! Sending over HTTP (feature `client`): reqwest with rustls, bounded answers, safe retries,
//! certificate refresh.

use std::sync::Mutex as StdMutex;
use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderValue};
use wxpay_core::{
    Body, CertificateAnswer, DownloadCertificates, Endpoint, Error, Method, PreparedRequest,
    TransportError, VerifyError,
};

use crate::client::{Client, Options};

/// A refresh triggered by an unknown serial happens at most this often.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(60);

pub(crate) struct Http {
    client: reqwest::Client,
}

impl Http {
    pub(crate) fn new(options: &Options) -> Result<Self, Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(wxpay_core::USER_AGENT)
            // Redirects would send a signed request somewhere it was not signed for.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Transport(TransportError::Other(e.without_url().to_string())))?;
        Ok(Self { client })
    }
}

/// When certificates were last downloaded, and a lock so that one download runs at a time.
pub(crate) struct RefreshState {
    period: Option<Duration>,
    lock: tokio::sync::Mutex<()>,
    times: StdMutex<RefreshTimes>,
}

#[derive(Default, Clone, Copy)]
struct RefreshTimes {
    last_success: Option<Instant>,
    last_attempt: Option<Instant>,
}

impl RefreshState {
    pub(crate) fn new(period: Option<Duration>) -> Self {
        Self {
            period,
            lock: tokio::sync::Mutex::new(()),
            times: StdMutex::new(RefreshTimes::default()),
        }
    }

    fn times(&self) -> RefreshTimes {
        *self.times.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn due(&self) -> bool {
        let Some(period) = self.period else {
            return false;
        };
        let t = self.times();
        let fresh = t.last_success.is_some_and(|s| s.elapsed() < period);
        let recently_tried = t
            .last_attempt
            .is_some_and(|a| a.elapsed() < MIN_REFRESH_INTERVAL);
        !fresh && !(recently_tried && t.last_success.is_some())
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
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.refresh_if_due().await?;
        let prepared = self.prepare(endpoint)?;
        let answer = self.execute(&prepared).await?;
        let engine = &self.inner.engine;
        match engine.read_response::<E>(answer.status, &answer.headers, &answer.body) {
            Err(Error::Verification(VerifyError::UnknownSerial(serial)))
                if self.inner.refresh.period.is_some() =>
            {
                // The platform certificate rotated: download, then verify the same bytes again.
                if self.refresh(true).await.is_ok() {
                    engine.read_response::<E>(answer.status, &answer.headers, &answer.body)
                } else {
                    Err(VerifyError::UnknownSerial(serial).into())
                }
            }
            other => other,
        }
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

    /// Downloads the platform certificates now and installs them. Returns how many were
    /// installed (0 in public-key mode).
    pub async fn refresh_certificates(&self) -> Result<usize, Error> {
        self.refresh(false).await
    }

    async fn refresh_if_due(&self) -> Result<(), Error> {
        if !self.inner.refresh.due() {
            return Ok(());
        }
        let have_keys = !self.inner.engine.key_store().is_empty();
        match self.refresh(false).await {
            Ok(_) => Ok(()),
            // A failed refresh keeps the keys already held.
            Err(_) if have_keys => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub(crate) fn refresh_in_background(&self) {
        if self.inner.refresh.period.is_none() {
            return;
        }
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            let client = self.clone();
            handle.spawn(async move {
                let _ = client.refresh(true).await;
            });
        }
    }

    async fn refresh(&self, rate_limited: bool) -> Result<usize, Error> {
        let state = &self.inner.refresh;
        let started = Instant::now();
        let _guard = state.lock.lock().await;
        let times = state.times();
        // Someone else refreshed while we waited for the lock.
        if times.last_success.is_some_and(|s| s > started) {
            return Ok(self.inner.engine.key_store().certificates().len());
        }
        if rate_limited
            && times
                .last_attempt
                .is_some_and(|a| a.elapsed() < MIN_REFRESH_INTERVAL)
        {
            return Err(VerifyError::UnknownSerial("(refresh rate-limited)".into()).into());
        }
        state
            .times
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .last_attempt = Some(Instant::now());
        let prepared = self.prepare(&DownloadCertificates)?;
        let answer = self.execute(&prepared).await?;
        let engine = &self.inner.engine;
        let installed =
            match engine.read_certificates(answer.status, &answer.headers, &answer.body)? {
                CertificateAnswer::Certificates(certs) => {
                    let n = certs.len();
                    engine.install_certificates(certs);
                    n
                }
                CertificateAnswer::PublicKeyMode => 0,
            };
        state
            .times
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .last_success = Some(Instant::now());
        Ok(installed)
    }

    async fn execute(&self, prepared: &PreparedRequest) -> Result<RawAnswer, Error> {
        let options = &self.inner.options;
        let idempotent = prepared.http_method() == Method::Get;
        let mut attempt = 0u32;
        loop {
            let url = match (&options.backup_base_url, attempt) {
                (Some(backup), n) if n > 0 => {
                    format!(
                        "{}{}",
                        backup.trim_end_matches('/'),
                        prepared.canonical_url()
                    )
                }
                _ => prepared.url().to_string(),
            };
            let result = self.execute_once(prepared, &url).await;
            let retry = attempt < options.retries
                && match &result {
                    // Nothing was sent: safe for any method.
                    Err(Error::Transport(TransportError::Connect(_))) => true,
                    // The request may have been processed: only a GET may be repeated. An
                    // oversized answer would be oversized again.
                    Err(Error::Transport(TransportError::BodyTooLarge { .. })) => false,
                    Err(Error::Transport(_)) => idempotent,
                    Ok(a) if a.status >= 500 => idempotent,
                    _ => false,
                };
            if !retry {
                return result;
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
        }
    }

    async fn execute_once(
        &self,
        prepared: &PreparedRequest,
        url: &str,
    ) -> Result<RawAnswer, Error> {
        let method = match prepared.http_method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut request = self
            .inner
            .http
            .client
            .request(method, url)
            .headers(prepared.headers().clone());
        match prepared.full_body() {
            Body::Empty => {}
            Body::Json(bytes) => request = request.body(bytes.clone()),
            Body::Multipart { meta, file } => {
                let boundary = wxpay_core::sign::nonce()?;
                let body = multipart_body(&boundary, meta, file.filename(), file.bytes());
                let content_type =
                    HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                        .map_err(|_| Error::Encode("invalid multipart boundary".into()))?;
                request = request
                    .header(http::header::CONTENT_TYPE, content_type)
                    .body(body);
            }
        }
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = read_limited(response, self.inner.options.max_response_bytes).await?;
        Ok(RawAnswer {
            status,
            headers,
            body,
        })
    }
}

/// multipart/form-data with part `meta` (the signed JSON text, byte for byte) and part `file`.
pub(crate) fn multipart_body(boundary: &str, meta: &[u8], filename: &str, bytes: &[u8]) -> Vec<u8> {
    let filename = filename.replace(['"', '\r', '\n'], "_");
    let mut body = Vec::with_capacity(meta.len() + bytes.len() + 512);
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(b"Content-Disposition: form-data; name=\"meta\"\r\n");
    body.extend_from_slice(b"Content-Type: application/json\r\n\r\n");
    body.extend_from_slice(meta);
    body.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!("Content-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
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

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
