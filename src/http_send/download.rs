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
    /// A mismatch is `Error::Verification(VerifyError::DigestMismatch)`; a truncated or
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
        let mut digest = BillDigest::new(&answer.hash_type, &answer.hash_value)?;
        let prepared = self.prepare_url(&answer.download_url)?;
        let written = self.stream(&prepared, writer, Some(&mut digest)).await?;
        digest.finish()?;
        Ok(written)
    }

    /// The signed `GET` of `url`'s path and query, sent to this client's host.
    fn prepare_url(&self, url: &str) -> Result<PreparedRequest, Error> {
        let (origin, path_and_query) = split_url(url).ok_or_else(|| {
            Error::Decode("a download_url is not an absolute http(s) URL with a path".into())
        })?;
        if path_and_query
            .bytes()
            .any(|b| b <= b' ' || b >= 0x7f || b == b'"')
        {
            // The HTTP stack would re-encode it, and the request would not be the one signed.
            return Err(Error::Decode(
                "a download_url holds characters that must be percent-encoded".into(),
            ));
        }
        let own = [
            self.inner.base_url.as_deref(),
            self.inner.options.backup_base_url.as_deref(),
        ];
        let known = own
            .into_iter()
            .flatten()
            .map(|base| base.trim_end_matches('/'))
            .chain(WECHATPAY_ORIGINS)
            .any(|o| o.eq_ignore_ascii_case(origin));
        if !known {
            // A signed request is meant for WeChat Pay only.
            return Err(Error::Decode(format!(
                "a download_url names {origin:?}, which is neither a WeChat Pay host nor this client's base_url"
            )));
        }
        let base = match &self.inner.base_url {
            Some(base) => base.clone(),
            None => format!("{origin}/"),
        };
        // The path and query are sent exactly as WeChat Pay wrote them: `push_path` takes
        // literal text, so the query rides along and is signed as it is sent.
        let mut parts = RequestParts::new();
        parts.push_path(path_and_query.trim_start_matches('/'));
        let engine = &self.inner.engine;
        let serial = engine
            .key_store()
            .encryptor(engine.now())
            .map(|e| e.id().to_string())
            .unwrap_or_default();
        engine.sign_parts(Method::Get, &base, parts, &serial)
    }

    /// Sends `prepared` and streams a 2xx answer's body into `writer`; with `bill`, a gzip
    /// body is decompressed and what is written is hashed into it.
    async fn stream<W>(
        &self,
        prepared: &PreparedRequest,
        writer: &mut W,
        bill: Option<&mut BillDigest>,
    ) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let timeout = self.inner.options.download_timeout;
        let mut response = self.open(prepared, Some(timeout)).await?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            let headers = response.headers().clone();
            let body = read_limited(response, MAX_ERROR_BODY)
                .await
                .unwrap_or_default();
            return Err(api_error(status, &headers, &body));
        }
        let mut mode = if bill.is_some() {
            Mode::Sniffing(Vec::new())
        } else {
            Mode::Plain
        };
        let mut sink = Sink {
            writer,
            written: 0,
            digest: bill,
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
        Ok(sink.written)
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
    Error::Decode(format!("the download is not valid gzip: {e}"))
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
