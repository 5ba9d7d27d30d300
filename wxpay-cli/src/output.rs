//! Writing to stdout without panicking when the reader has gone (`wxpay … | head`).

use std::io::{ErrorKind, Write};

use crate::error::CliError;

/// Writes `bytes` to stdout. A closed pipe is not an error.
pub fn stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::failure(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// Writes a line of text to stdout.
pub fn line(text: &str) -> Result<(), CliError> {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(b'\n');
    stdout(&bytes)
}
