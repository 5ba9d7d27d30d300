//! The one error of the CLI: a message of one line and an exit code.

use std::fmt;

/// Exit code of an API, verification or transport failure.
pub const FAILURE: u8 = 1;
/// Exit code of a usage or configuration error.
pub const USAGE: u8 = 2;

/// What went wrong, as printed: `error: MESSAGE`, and the exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    /// A usage or configuration error (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: USAGE,
            message: message.into(),
        }
    }

    /// An API, verification or transport failure (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self {
            code: FAILURE,
            message: message.into(),
        }
    }

    /// Appends `text` to the message.
    pub fn with_suffix(mut self, text: &str) -> Self {
        self.message.push_str(text);
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the message holds.
        let line: String = self
            .message
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        write!(f, "error: {line}")
    }
}

impl From<wxpay::Error> for CliError {
    fn from(e: wxpay::Error) -> Self {
        match e {
            // The configuration or the input given is unusable: fix the command.
            wxpay::Error::Config(_) | wxpay::Error::Encode(_) => Self::usage(e.to_string()),
            _ => Self::failure(e.to_string()),
        }
    }
}
