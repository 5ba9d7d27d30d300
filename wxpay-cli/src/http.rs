//! Sending a signed request and reading the answer, streamed: a progress line for long
//! downloads, and unsigned downloads written straight to a file.
//!
//! It goes through `wxpay::Client::execute_prepared_streamed`, the send path of the SDK
//! (redirects refused, Mozilla's roots, proxies), reading the body chunk by chunk: a bill of
//! hundreds of megabytes is never held in memory.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wxpay::http::HeaderMap;
use wxpay::{Client, Engine, PreparedRequest, TransportError};

use crate::error::CliError;

/// Largest answer held in memory (answers that are verified or printed).
const MEMORY_LIMIT: usize = 256 * 1024 * 1024;
/// Answers from this size on get a progress line.
const PROGRESS_FROM: u64 = 1024 * 1024;
/// No deadline for a whole exchange: `--timeout` bounds connecting and each read.
const NO_DEADLINE: Duration = Duration::MAX;

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

/// The client that sends for `engine`: `timeout` to connect and between two reads.
pub fn client(engine: Engine, timeout: Duration) -> Result<Client, CliError> {
    Client::builder()
        .engine(engine)
        .connect_timeout(timeout)
        .read_timeout(timeout)
        .download_timeout(NO_DEADLINE)
        .build()
        .map_err(|e| CliError::failure(format!("cannot start HTTP: {}", crate::config::bare(&e))))
}

/// Sends `prepared`. A 2xx body goes to `file` when one is given (through `FILE.part`,
/// renamed when complete), else to memory; error answers always go to memory.
pub async fn send(
    client: &Client,
    prepared: &PreparedRequest,
    file: Option<&Path>,
) -> Result<Answer, CliError> {
    let origin = origin(prepared);
    let mut response = client
        .execute_prepared_streamed(prepared)
        .await
        .map_err(|e| transport_error(e, &origin))?;
    let status = response.status();
    let headers = response.headers().clone();
    let total = response.content_length();
    let mut progress = Progress::new(total);
    let success = (200..300).contains(&status);
    match file.filter(|_| success) {
        Some(path) => {
            let part = part_path(path);
            let mut out = std::fs::File::create(&part)
                .map_err(|e| CliError::usage(format!("cannot write {}: {e}", part.display())))?;
            let result: Result<u64, CliError> = async {
                let mut written = 0u64;
                while let Some(chunk) = response
                    .chunk()
                    .await
                    .map_err(|e| transport_error(e, &origin))?
                {
                    out.write_all(chunk).map_err(|e| {
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
            std::fs::rename(&part, path)
                .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))?;
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
                    body.extend_from_slice(chunk);
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

/// `scheme://host:port/` of the request's host, for messages.
fn origin(prepared: &PreparedRequest) -> String {
    let base = prepared.base_url();
    let origin = wxpay::engine::split_base_url(base).map_or(base, |(origin, _)| origin);
    format!("{origin}/")
}

/// A failure to exchange with `origin`, said as the CLI says it.
fn transport_error(e: wxpay::Error, origin: &str) -> CliError {
    match e {
        wxpay::Error::Transport(TransportError::Timeout) => {
            CliError::failure(format!("{origin} did not answer in time (see --timeout)"))
        }
        wxpay::Error::Transport(TransportError::Connect(message)) => {
            CliError::failure(format!("cannot connect to {origin}: {message}"))
        }
        wxpay::Error::Transport(TransportError::Other(message)) => {
            CliError::failure(format!("exchange with {origin} failed: {message}"))
        }
        wxpay::Error::Transport(other) => {
            CliError::failure(format!("exchange with {origin} failed: {other}"))
        }
        other => other.into(),
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
