//! Sending over HTTP (feature `client`): reqwest with rustls, bounded answers, safe retries.
//! Certificate refresh is in [`refresh`], streamed downloads and bills in [`download`].

mod download;
mod refresh;

use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use wxpay_core::{Body, Endpoint, Error, Method, PreparedRequest, TransportError, VerifyError};

use crate::client::{Client, Options};

pub(crate) use refresh::RefreshState;

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
        match engine.read_response::<E>(answer.status, &answer.headers, &answer.body) {
            Err(Error::Verification(VerifyError::UnknownSerial(serial)))
                if self.inner.refresh.enabled() =>
            {
                // The platform certificate rotated: download, then verify the same bytes again.
                if self.refresh_for_serial(&serial).await {
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

    async fn execute(&self, prepared: &PreparedRequest) -> Result<RawAnswer, Error> {
        let idempotent = prepared.http_method() == Method::Get;
        let mut attempt = 0u32;
        loop {
            let url = self.attempt_url(prepared, attempt);
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
            let retry = self.may_retry(attempt, idempotent, result.as_ref().map(|a| a.status));
            if !retry {
                return result;
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
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
            let result = self.send_once(prepared, &url, timeout).await;
            let retry = self.may_retry(
                attempt,
                idempotent,
                result.as_ref().map(|r| r.status().as_u16()),
            );
            if !retry {
                return result;
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
        }
    }

    /// The URL of attempt `attempt`: the backup host from the second attempt on.
    fn attempt_url(&self, prepared: &PreparedRequest, attempt: u32) -> String {
        match (&self.inner.options.backup_base_url, attempt) {
            (Some(backup), n) if n > 0 => format!(
                "{}{}",
                backup.trim_end_matches('/'),
                prepared.canonical_url()
            ),
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
                // oversized answer would be oversized again.
                Err(Error::Transport(TransportError::BodyTooLarge { .. })) => false,
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
        let mut request = self
            .inner
            .http
            .client
            .request(method, url)
            .headers(prepared.headers().clone());
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
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
        request.send().await.map_err(transport_error)
    }
}

/// multipart/form-data with part `meta` (the signed JSON text, byte for byte) and part `file`
/// (its `Content-Type` from the file name's extension, as the official SDKs send it).
pub(crate) fn multipart_body(boundary: &str, meta: &[u8], filename: &str, bytes: &[u8]) -> Vec<u8> {
    let content_type = content_type_of(filename);
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
    body.extend_from_slice(format!("Content-Type: {content_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// The media type of an upload from its file name: the image and video types WeChat Pay
/// accepts, `application/octet-stream` for anything else.
fn content_type_of(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "bmp" => "image/bmp",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "avi" => "video/x-msvideo",
        "wmv" => "video/x-ms-wmv",
        "mpeg" | "mpg" => "video/mpeg",
        "mov" => "video/quicktime",
        "flv" => "video/x-flv",
        "mkv" => "video/x-matroska",
        "pdf" => "application/pdf",
        "ofd" => "application/ofd",
        "csv" => "text/csv",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
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
