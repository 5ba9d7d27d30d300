//! Sending a signed request and reading the answer, streamed: a progress line for long
//! downloads, and unsigned downloads written straight to a file.
//!
//! The CLI sends through its own reqwest client rather than `wxpay::Client::execute_prepared`
//! because that one returns the whole body at once: no progress, and a bill of hundreds of
//! megabytes would be held in memory.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wxpay::PreparedRequest;
use wxpay::http::HeaderMap;

use crate::error::CliError;

/// Largest answer held in memory (answers that are verified or printed).
const MEMORY_LIMIT: usize = 256 * 1024 * 1024;
/// Answers from this size on get a progress line.
const PROGRESS_FROM: u64 = 1024 * 1024;

pub struct Transport {
    client: reqwest::Client,
}

/// An answer: status, headers, and the body (in memory, or written to a file).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Bytes written to the file, when the body went to a file.
    pub saved: Option<u64>,
}

impl Answer {
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("Request-ID").and_then(|v| v.to_str().ok())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl Transport {
    pub fn new(timeout: Duration) -> Result<Self, CliError> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeout)
            .read_timeout(timeout)
            // A redirect would send a signed request somewhere it was not signed for.
            .redirect(reqwest::redirect::Policy::none())
            // Mozilla's roots, compiled in, as the wxpay client trusts (README, "Trusted roots").
            .tls_certs_only(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok()),
            )
            .build()
            .map_err(|e| CliError::failure(format!("cannot start HTTP: {}", chain(&e))))?;
        Ok(Self { client })
    }

    /// Sends `prepared`. A 2xx body goes to `file` when one is given (through `FILE.part`,
    /// renamed when complete), else to memory; error answers always go to memory.
    pub async fn send(
        &self,
        prepared: &PreparedRequest,
        file: Option<&Path>,
    ) -> Result<Answer, CliError> {
        let method = reqwest::Method::from_bytes(prepared.method().as_bytes())
            .map_err(|_| CliError::usage(format!("invalid method {}", prepared.method())))?;
        let mut request = self
            .client
            .request(method, prepared.url())
            .headers(prepared.headers().clone());
        match prepared.full_body() {
            wxpay::Body::Empty => {}
            wxpay::Body::Json(bytes) => request = request.body(bytes.clone()),
            body @ wxpay::Body::Multipart { .. } => {
                let boundary = wxpay::sign::nonce()
                    .map_err(|e| CliError::failure(format!("cannot make a boundary: {e}")))?;
                let (content_type, bytes) = body.multipart(&boundary).unwrap_or_default();
                request = request
                    .header(reqwest::header::CONTENT_TYPE, content_type)
                    .body(bytes);
            }
        }
        let origin = origin(prepared.url());
        let mut response = request
            .send()
            .await
            .map_err(|e| transport_error(e, &origin))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let total = response.content_length();
        let mut progress = Progress::new(total);
        let success = (200..300).contains(&status);
        match file.filter(|_| success) {
            Some(path) => {
                let part = part_path(path);
                let mut out = std::fs::File::create(&part).map_err(|e| {
                    CliError::usage(format!("cannot write {}: {e}", part.display()))
                })?;
                let result: Result<u64, CliError> = async {
                    let mut written = 0u64;
                    while let Some(chunk) = response
                        .chunk()
                        .await
                        .map_err(|e| transport_error(e, &origin))?
                    {
                        out.write_all(&chunk).map_err(|e| {
                            CliError::failure(format!("cannot write {}: {e}", part.display()))
                        })?;
                        written += chunk.len() as u64;
                        progress.update(written);
                    }
                    out.flush().map_err(|e| {
                        CliError::failure(format!("cannot write {}: {e}", part.display()))
                    })?;
                    Ok(written)
                }
                .await;
                progress.finish();
                let written = match result {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = std::fs::remove_file(&part);
                        return Err(e);
                    }
                };
                drop(out);
                std::fs::rename(&part, path).map_err(|e| {
                    CliError::failure(format!("cannot write {}: {e}", path.display()))
                })?;
                Ok(Answer {
                    status,
                    headers,
                    body: Vec::new(),
                    saved: Some(written),
                })
            }
            None => {
                if total.is_some_and(|n| n > MEMORY_LIMIT as u64) {
                    return Err(too_large());
                }
                let mut body = Vec::with_capacity(total.unwrap_or(0).min(1 << 20) as usize);
                let result: Result<(), CliError> = async {
                    while let Some(chunk) = response
                        .chunk()
                        .await
                        .map_err(|e| transport_error(e, &origin))?
                    {
                        if body.len() + chunk.len() > MEMORY_LIMIT {
                            return Err(too_large());
                        }
                        body.extend_from_slice(&chunk);
                        progress.update(body.len() as u64);
                    }
                    Ok(())
                }
                .await;
                progress.finish();
                result?;
                Ok(Answer {
                    status,
                    headers,
                    body,
                    saved: None,
                })
            }
        }
    }
}

fn too_large() -> CliError {
    CliError::failure(format!(
        "the answer is larger than {} MiB; for a download, give --unsigned --output FILE",
        MEMORY_LIMIT >> 20
    ))
}

fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// `scheme://host:port/` of a URL, for messages.
fn origin(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url[..after_scheme + i + 1].to_string(),
        None => url.to_string(),
    }
}

fn transport_error(e: reqwest::Error, origin: &str) -> CliError {
    let e = e.without_url();
    if e.is_timeout() {
        CliError::failure(format!("{origin} did not answer in time (see --timeout)"))
    } else if e.is_connect() {
        CliError::failure(format!("cannot connect to {origin}: {}", chain(&e)))
    } else {
        CliError::failure(format!("exchange with {origin} failed: {}", chain(&e)))
    }
}

/// An error and its sources.
fn chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        let part = s.to_string();
        // reqwest's own layers say little ("error sending request", "client error (Connect)").
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

/// A progress line on stderr for long bodies: redrawn in place on a terminal (and erased at
/// the end), a line every few seconds otherwise (logs), closed by a summary line.
struct Progress<W: Write> {
    out: W,
    tty: bool,
    total: Option<u64>,
    received: u64,
    started: Instant,
    last: Option<Instant>,
    /// No line before this much time has passed (fast downloads show nothing).
    first_after: Duration,
    every: Duration,
    drawn: bool,
}

impl Progress<std::io::Stderr> {
    fn new(total: Option<u64>) -> Self {
        let tty = std::io::stderr().is_terminal();
        Progress::with(std::io::stderr(), tty, total)
    }
}

impl<W: Write> Progress<W> {
    fn with(out: W, tty: bool, total: Option<u64>) -> Self {
        Self {
            out,
            tty,
            total,
            received: 0,
            started: Instant::now(),
            last: None,
            first_after: Duration::from_millis(500),
            every: if tty {
                Duration::from_millis(200)
            } else {
                Duration::from_secs(5)
            },
            drawn: false,
        }
    }

    fn update(&mut self, received: u64) {
        self.received = received;
        if received < PROGRESS_FROM {
            return;
        }
        let due = match self.last {
            Some(last) => last.elapsed() >= self.every,
            None => self.started.elapsed() >= self.first_after,
        };
        if due {
            self.last = Some(Instant::now());
            self.draw();
        }
    }

    fn draw(&mut self) {
        let text = match self.total {
            Some(total) if total > 0 => format!(
                "downloading: {} of {} ({}%)",
                size(self.received),
                size(total),
                self.received.saturating_mul(100) / total
            ),
            _ => format!("downloading: {}", size(self.received)),
        };
        let _ = if self.tty {
            write!(self.out, "\r\x1b[2K{text}")
        } else {
            writeln!(self.out, "{text}")
        };
        let _ = self.out.flush();
        self.drawn = true;
    }

    fn finish(&mut self) {
        if !self.drawn {
            return;
        }
        if self.tty {
            let _ = write!(self.out, "\r\x1b[2K");
        } else {
            let seconds = self.started.elapsed().as_secs_f64();
            let _ = writeln!(
                self.out,
                "downloaded {} in {seconds:.1} s",
                size(self.received)
            );
        }
        let _ = self.out.flush();
    }
}

/// `1.5 MiB`, `800 B`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_origins() {
        assert_eq!(size(800), "800 B");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(3 * 1024 * 1024), "3.0 MiB");
        assert_eq!(
            origin("http://127.0.0.1:8080/v3/x?y=1"),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            part_path(Path::new("out/bill.csv")),
            Path::new("out/bill.csv.part")
        );
    }

    #[test]
    fn progress_lines() {
        let mib = 1024 * 1024;
        let mut p = Progress::with(Vec::new(), false, Some(4 * mib));
        p.first_after = Duration::ZERO;
        p.every = Duration::ZERO;
        p.update(1000); // small: nothing yet
        p.update(2 * mib);
        p.update(4 * mib);
        p.finish();
        let text = String::from_utf8(p.out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "downloading: 2.0 MiB of 4.0 MiB (50%)");
        assert_eq!(lines[1], "downloading: 4.0 MiB of 4.0 MiB (100%)");
        assert!(lines[2].starts_with("downloaded 4.0 MiB in "), "{text}");
        assert_eq!(lines.len(), 3);

        // On a terminal the line is redrawn in place, then erased.
        let mut p = Progress::with(Vec::new(), true, None);
        p.first_after = Duration::ZERO;
        p.update(3 * mib);
        p.finish();
        let text = String::from_utf8(p.out).unwrap();
        assert_eq!(text, "\r\x1b[2Kdownloading: 3.0 MiB\r\x1b[2K");

        // A fast download shows nothing.
        let mut p = Progress::with(Vec::new(), false, Some(4 * mib));
        p.update(4 * mib);
        p.finish();
        assert!(p.out.is_empty());
    }
}
