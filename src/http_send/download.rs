//! Unsigned downloads streamed into any writer, and bills checked against their digest.
//!
//! Downloads (bills, receipts, images) are the answers WeChat Pay does not sign: they are
//! read without verification (their requests are signed like any other). The body goes to
//! the writer as it arrives, so memory stays bounded whatever the file's size; a bill is
//! decompressed on the fly (gzip) and hashed while it is written, and its SHA-1 is compared
//! with the `hash_value` of the bill query once the last byte is in.

use std::io::Write as _;

use flate2::write::GzDecoder;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use wxpay_core::bill::{BillAnswer, BillDigest};
use wxpay_core::{
    Download, Endpoint, Error, Method, PreparedRequest, RequestParts, TransportError, api_error,
};

use super::{read_limited, transport_error};
use crate::client::Client;

/// The WeChat Pay hosts a `download_url` may name (besides this client's own `base_url`s).
const WECHATPAY_ORIGINS: [&str; 3] = [
    "https://api.mch.weixin.qq.com",
    "https://api2.mch.weixin.qq.com",
    "https://apihk.mch.weixin.qq.com",
];

/// Compressed input is handed to the decompressor in slices this long, so that what one
/// slice inflates to (deflate expands at most about 1000 times) stays small.
const INFLATE_SLICE: usize = 4 * 1024;

/// The largest error answer read from a download.
const MAX_ERROR_BODY: usize = 64 * 1024;

impl Client {
    /// Sends an unsigned-download endpoint (declared with `response = wxpay::Download`) and
    /// streams the answer's body into `writer` as it arrives; returns the number of bytes
    /// written. The answer is not signed, so it is not verified (its request is signed as
    /// usual); a non-2xx answer is an [`Error::Api`] and nothing is written.
    ///
    /// Memory stays bounded whatever the size. [`Client::send`] on the same endpoint returns
    /// the whole body as a [`Download`] instead (up to `max_response_bytes`). The time
    /// allowed is `download_timeout` (default 10 minutes), not `timeout`.
    ///
    /// ```no_run
    /// use wxpay::prelude::*;
    ///
    /// /// 下载电子回单
    /// #[wxpay_endpoint(GET, "v3/transferdownload/signfile", response = Download)]
    /// pub struct SignFile {
    ///     pub token: String,
    /// }
    ///
    /// # async fn f(client: wxpay::Client) -> Result<(), wxpay::Error> {
    /// // Any `tokio::io::AsyncWrite + Unpin`: a `tokio::fs::File`, a socket, a `Vec<u8>`.
    /// let mut pdf = Vec::new();
    /// let bytes = client.download(&SignFile { token: "…".into() }, &mut pdf).await?;
    /// # Ok(()) }
    /// ```
    pub async fn download<E, W>(&self, endpoint: &E, writer: &mut W) -> Result<u64, Error>
    where
        E: Endpoint<Response = Download>,
        W: AsyncWrite + Unpin + ?Sized,
    {
        self.refresh_if_due().await?;
        let prepared = self.prepare(endpoint)?;
        self.stream(&prepared, writer, None).await
    }

    /// Downloads an absolute URL that WeChat Pay handed out (a `download_url`) with a signed
    /// `GET` of its path and query, and streams the unsigned answer into `writer`, as
    /// [`download`](Self::download) does. The URL must be on a WeChat Pay host or on this
    /// client's `base_url`; it is sent to the client's `base_url` when one is configured (a
    /// proxy, the sandbox). Nothing is decompressed or checked: for bills, use
    /// [`download_bill`](Self::download_bill).
    pub async fn download_url<W>(&self, url: &str, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        self.refresh_if_due().await?;
        let prepared = self.prepare_url(url)?;
        self.stream(&prepared, writer, None).await
    }

    /// Fetches a bill: sends `query` ([`TradeBill`](crate::TradeBill),
    /// [`FundFlowBill`](crate::FundFlowBill), or any endpoint answering a
    /// [`BillAnswer`]), downloads its `download_url`, decompresses it on the fly when it is
    /// gzip (`tar_type=GZIP`), writes the CSV into `writer` and checks its SHA-1 against
    /// `hash_value`. Returns the CSV's length.
    ///
    /// A mismatch is `Error::Verification { error: VerifyError::DigestMismatch, .. }`; a truncated or
    /// corrupt gzip stream is an [`Error::Decode`]. The writer has received the bytes by
    /// then: write to a temporary file and keep it only on `Ok`. Memory stays bounded: a
    /// bill of any size can be streamed to a file; [`bill::Reader`](crate::bill::Reader)
    /// reads it back row by row.
    ///
    /// ```no_run
    /// # async fn f(client: wxpay::Client) -> Result<(), wxpay::Error> {
    /// let mut csv = Vec::new();
    /// client
    ///     .download_bill(&wxpay::TradeBill::new("2024-05-01").gzip(), &mut csv)
    ///     .await?;
    /// let bill = wxpay::bill::parse(&csv)?;
    /// println!("{} rows, {:?} in total", bill.rows.len(), bill.summary_value("应结订单总金额"));
    /// # Ok(()) }
    /// ```
    pub async fn download_bill<E, W>(&self, query: &E, writer: &mut W) -> Result<u64, Error>
    where
        E: Endpoint<Response = BillAnswer>,
        W: AsyncWrite + Unpin + ?Sized,
    {
        let answer = self.send(query).await?;
        let digest = BillDigest::new(&answer.hash_type, &answer.hash_value)?;
        let prepared = self.prepare_url(&answer.download_url)?;
        self.stream(&prepared, writer, Some(digest)).await
    }

    /// The signed `GET` of `url`'s path and query, sent to this client's host.
    fn prepare_url(&self, url: &str) -> Result<PreparedRequest, Error> {
        let invalid = |reason| Error::InvalidInput {
            what: "download_url",
            reason,
        };
        let (origin, path_and_query) =
            split_url(url).ok_or_else(|| invalid("not an absolute http(s) URL with a path"))?;
        check_download_path(path_and_query).map_err(invalid)?;
        let base = self.inner.base_url.as_deref();
        let own = [base, self.inner.options.backup_base_url.as_deref()];
        let known = own
            .into_iter()
            .flatten()
            .map(super::origin_of)
            .chain(WECHATPAY_ORIGINS)
            .any(|o| o.eq_ignore_ascii_case(origin));
        if !known {
            // A signed request is meant for WeChat Pay only. (The origin is not quoted: a
            // download_url's query holds a token.)
            return Err(invalid(
                "its host is neither a WeChat Pay host nor this client's base_url",
            ));
        }
        // The path is sent under the client's `base_url` when one is configured (a gateway, a
        // sandbox): below its path, unless the URL is on that very host and already there.
        let (base, path) = match base {
            Some(base) => {
                let base_path = &base[super::origin_of(base).len()..];
                let on_base = super::origin_of(base).eq_ignore_ascii_case(origin)
                    && path_and_query.starts_with(base_path);
                if on_base {
                    (base.to_string(), &path_and_query[base_path.len()..])
                } else {
                    (base.to_string(), path_and_query.trim_start_matches('/'))
                }
            }
            None => (format!("{origin}/"), path_and_query.trim_start_matches('/')),
        };
        // The path and query are sent exactly as WeChat Pay wrote them: `push_path` takes
        // literal text, so the query rides along and is signed as it is sent.
        let mut parts = RequestParts::new();
        parts.push_path(path);
        let engine = &self.inner.engine;
        let serial = engine
            .key_store()
            .encryptor(engine.now())
            .map(|e| e.id().to_string())
            .unwrap_or_default();
        engine.sign_parts(Method::Get, &base, parts, &serial)
    }

    /// Sends `prepared` and streams a 2xx answer's body into `writer`; with `bill`, a gzip
    /// body is decompressed, what is written is hashed into it, and the digest is checked at
    /// the end. An error after the answer arrived carries its `Request-ID`.
    async fn stream<W>(
        &self,
        prepared: &PreparedRequest,
        writer: &mut W,
        bill: Option<BillDigest>,
    ) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let timeout = self.inner.options.download_timeout;
        let response = self.open(prepared, Some(timeout)).await?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            let headers = response.headers().clone();
            let body = read_limited(response, MAX_ERROR_BODY)
                .await
                .unwrap_or_default();
            return Err(api_error(status, &headers, &body));
        }
        let request_id = super::request_id(response.headers()).to_string();
        self.stream_body(response, writer, bill)
            .await
            .map_err(|e| e.with_request_id(Some(request_id.as_str()).filter(|id| !id.is_empty())))
    }

    async fn stream_body<W>(
        &self,
        mut response: reqwest::Response,
        writer: &mut W,
        mut bill: Option<BillDigest>,
    ) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let mut mode = if bill.is_some() {
            Mode::Sniffing(Vec::new())
        } else {
            Mode::Plain
        };
        let mut sink = Sink {
            writer,
            written: 0,
            digest: bill.as_mut(),
        };
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            feed(&mut mode, &mut sink, &chunk).await?;
        }
        match mode {
            Mode::Sniffing(head) => sink.emit(&head).await?,
            Mode::Plain => {}
            Mode::Gzip(mut decoder) => {
                // Checks the trailer (CRC-32 and length): a truncated file fails here.
                decoder.try_finish().map_err(gzip_error)?;
                sink.emit(decoder.get_ref()).await?;
            }
        }
        sink.writer.flush().await.map_err(write_error)?;
        let written = sink.written;
        if let Some(digest) = bill {
            digest.finish()?;
        }
        Ok(written)
    }
}

/// How the body is being read.
enum Mode {
    /// A bill's first bytes, until it is known whether it is gzip.
    Sniffing(Vec<u8>),
    /// As it is.
    Plain,
    /// Decompressed; the decoder writes into a buffer drained after each slice.
    Gzip(Box<GzDecoder<Vec<u8>>>),
}

/// Where the bytes go: the writer, counted and (bills) hashed.
struct Sink<'a, W: ?Sized> {
    writer: &'a mut W,
    written: u64,
    digest: Option<&'a mut BillDigest>,
}

impl<W: AsyncWrite + Unpin + ?Sized> Sink<'_, W> {
    async fn emit(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if bytes.is_empty() {
            return Ok(());
        }
        if let Some(digest) = self.digest.as_deref_mut() {
            digest.update(bytes);
        }
        self.writer.write_all(bytes).await.map_err(write_error)?;
        self.written += bytes.len() as u64;
        Ok(())
    }
}

async fn feed<W: AsyncWrite + Unpin + ?Sized>(
    mode: &mut Mode,
    sink: &mut Sink<'_, W>,
    bytes: &[u8],
) -> Result<(), Error> {
    let sniffed;
    let bytes = match mode {
        Mode::Sniffing(head) => {
            head.extend_from_slice(bytes);
            if head.len() < 2 {
                return Ok(());
            }
            sniffed = std::mem::take(head);
            *mode = if sniffed.starts_with(&[0x1f, 0x8b]) {
                Mode::Gzip(Box::new(GzDecoder::new(Vec::with_capacity(64 * 1024))))
            } else {
                Mode::Plain
            };
            &sniffed[..]
        }
        _ => bytes,
    };
    match mode {
        Mode::Plain => sink.emit(bytes).await,
        Mode::Gzip(decoder) => {
            for slice in bytes.chunks(INFLATE_SLICE) {
                decoder.write_all(slice).map_err(gzip_error)?;
                let out = decoder.get_mut();
                sink.emit(out).await?;
                out.clear();
            }
            Ok(())
        }
        Mode::Sniffing(_) => unreachable!("decided above"),
    }
}

/// `(origin, path_and_query)` of an absolute http(s) URL, the fragment dropped:
/// `("https://api.mch.weixin.qq.com", "/v3/billdownload/file?token=…")`.
/// Refuses a `download_url` path and query that the HTTP stack's URL parser (WHATWG rules, as
/// reqwest's `url` applies them) would send otherwise than written: the signature covers the
/// text as written, so the request would be answered `401 SIGN_ERROR`. In the path: controls,
/// space, non-ASCII, `"` `<` `>` `` ` `` `{` `}` (percent-encoded), a backslash (read as `/`)
/// and `.` or `..` segments, plain or percent-encoded (resolved away); in the query: controls,
/// space, non-ASCII, `"` `'` `<` `>`. `tests/security.rs` checks this against the parser,
/// character by character.
pub(crate) fn check_download_path(path_and_query: &str) -> Result<(), &'static str> {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let rewritten = |text: &str, set: &[u8]| {
        text.bytes()
            .any(|b| b <= b' ' || b >= 0x7f || set.contains(&b))
    };
    if rewritten(path, b"\"<>`{}\\") {
        return Err(
            "its path holds characters that the URL parser would rewrite (controls, spaces, non-ASCII, quotes, <>, `, {}, backslash)",
        );
    }
    if rewritten(query, b"\"'<>") {
        return Err(
            "its query holds characters that the URL parser would rewrite (controls, spaces, non-ASCII, quotes, <>)",
        );
    }
    let dot = |segment: &str| {
        let s = segment.to_ascii_lowercase().replace("%2e", ".");
        s == "." || s == ".."
    };
    if path.split('/').any(dot) {
        return Err("it holds a '.' or '..' path segment, which the URL parser would resolve");
    }
    Ok(())
}

fn split_url(url: &str) -> Option<(&str, &str)> {
    let url = url.split('#').next().unwrap_or_default();
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let path_start = scheme.len() + 3 + rest.find('/')?;
    let origin = &url[..path_start];
    (origin.len() > scheme.len() + 3).then_some((origin, &url[path_start..]))
}

fn gzip_error(e: std::io::Error) -> Error {
    Error::decode(format!("the download is not valid gzip: {e}"))
}

fn write_error(e: std::io::Error) -> Error {
    Error::Transport(TransportError::Other(format!(
        "writing the download failed: {e}"
    )))
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn urls_split_into_origin_and_path() {
        assert_eq!(
            split_url("https://api.mch.weixin.qq.com/v3/billdownload/file?token=a_b#x"),
            Some((
                "https://api.mch.weixin.qq.com",
                "/v3/billdownload/file?token=a_b"
            ))
        );
        assert_eq!(
            split_url("http://127.0.0.1:8080/v3/x"),
            Some(("http://127.0.0.1:8080", "/v3/x"))
        );
        assert_eq!(split_url("https://host"), None);
        assert_eq!(split_url("ftp://host/x"), None);
        assert_eq!(split_url("https:///x"), None);
        assert_eq!(split_url("/v3/x"), None);
    }
}
