//! Faults: answers (and notifications) that a client must refuse or survive.

use std::collections::VecDeque;
use std::time::Duration;

use serde::Deserialize;

/// Something wrong to do with an answer, queued with [`Sandbox::fault`](crate::Sandbox::fault)
/// and friends, or applied to one notification with
/// [`Sandbox::notification_with_fault`](crate::Sandbox::notification_with_fault).
///
/// The signature faults (`TamperBody` to `SignTest`) only change answers that are signed
/// (2xx answers other than downloads); an error answer is never signed, as with WeChat Pay.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The body is changed after signing (one space inserted after its first byte, so JSON
    /// stays valid; an empty body gets a changed `Wechatpay-Nonce` instead). Verification must
    /// fail.
    TamperBody,
    /// `Wechatpay-Signature` is a valid signature of another message.
    TamperSignature,
    /// Signed correctly, with a `Wechatpay-Timestamp` ten minutes in the past.
    StaleTimestamp,
    /// Signed correctly, but `Wechatpay-Serial` names a key that nobody holds.
    UnknownSerial,
    /// The `Wechatpay-Signature` header is left out.
    MissingSignature,
    /// `Wechatpay-Signature` is a `WECHATPAY/SIGNTEST/` probe, as WeChat Pay sends to check
    /// that merchants reject it.
    SignTest,
    /// `500 {"code":"SYSTEM_ERROR"}` instead of the answer (the request is still checked and
    /// recorded).
    ServerError,
    /// This error answer instead of the answer: `status {"code": code, "message": message}`.
    Error {
        /// HTTP status, such as 429.
        status: u16,
        /// WeChat Pay error code, such as `FREQUENCY_LIMITED`.
        code: String,
        /// Error message.
        message: String,
    },
    /// The answer is sent after this delay (to test client timeouts).
    Delay(Duration),
    /// The (signed) body is padded with trailing spaces to at least this many bytes, so that
    /// it stays the same JSON (to test response size limits).
    Oversized(usize),
    /// The connection is closed without an answer (to test transport errors and retries).
    Disconnect,
    /// The answer (signed as usual) announces its full `Content-Length`, but the connection
    /// is closed after the first half of the body (to test reading a cut answer).
    Truncate,
}

impl Fault {
    /// Reads a fault from its JSON form, as taken by `POST /_sandbox/fault`:
    /// `{"fault": "tamper_body"}`, `{"fault": "delay", "ms": 3000}`,
    /// `{"fault": "oversized", "bytes": 1048576}`,
    /// `{"fault": "error", "status": 429, "code": "FREQUENCY_LIMITED", "message": "…"}`.
    /// Names: `tamper_body`, `tamper_signature`, `stale_timestamp`, `unknown_serial`,
    /// `missing_signature`, `sign_test`, `server_error`, `error`, `delay`, `oversized`,
    /// `disconnect`, `truncate`. Other fields are ignored.
    pub fn from_json(value: &serde_json::Value) -> Result<Fault, String> {
        let form = FaultJson::deserialize(value).map_err(|e| e.to_string())?;
        Ok(match form {
            FaultJson::TamperBody => Fault::TamperBody,
            FaultJson::TamperSignature => Fault::TamperSignature,
            FaultJson::StaleTimestamp => Fault::StaleTimestamp,
            FaultJson::UnknownSerial => Fault::UnknownSerial,
            FaultJson::MissingSignature => Fault::MissingSignature,
            FaultJson::SignTest => Fault::SignTest,
            FaultJson::ServerError => Fault::ServerError,
            FaultJson::Error {
                status,
                code,
                message,
            } => Fault::Error {
                status: Some(status)
                    .filter(|s| (400..600).contains(s))
                    .ok_or("status must be 400..599")?,
                code: code.unwrap_or_else(|| "SYSTEM_ERROR".into()),
                message: message.unwrap_or_else(|| "sandbox fault".into()),
            },
            FaultJson::Delay { ms } => Fault::Delay(Duration::from_millis(ms)),
            FaultJson::Oversized { bytes } => Fault::Oversized(bytes),
            FaultJson::Disconnect => Fault::Disconnect,
            FaultJson::Truncate => Fault::Truncate,
        })
    }
}

/// The JSON form of a [`Fault`], named by its `fault` field.
#[derive(Deserialize)]
#[serde(
    tag = "fault",
    rename_all = "snake_case",
    expecting = "a fault, {\"fault\": NAME, …}"
)]
enum FaultJson {
    TamperBody,
    TamperSignature,
    StaleTimestamp,
    UnknownSerial,
    MissingSignature,
    SignTest,
    ServerError,
    Error {
        status: u16,
        code: Option<String>,
        message: Option<String>,
    },
    Delay {
        ms: u64,
    },
    Oversized {
        bytes: usize,
    },
    Disconnect,
    Truncate,
}

/// A request as [`Sandbox::fault_with`](crate::Sandbox::fault_with) sees it, to choose the
/// fault of its answer.
#[derive(Debug)]
#[non_exhaustive]
pub struct FaultRequest<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path as sent, without the leading `/`.
    pub path: &'a str,
    /// The query string as sent, without `?`.
    pub query: &'a str,
    /// The raw body.
    pub body: &'a [u8],
    /// The JSON body with its encrypted fields decrypted (`Value::Null` when there is none).
    pub json: &'a serde_json::Value,
}

/// The chooser installed by [`Sandbox::fault_with`](crate::Sandbox::fault_with).
pub(crate) type FaultChooser =
    std::sync::Arc<dyn Fn(&FaultRequest<'_>) -> Option<Fault> + Send + Sync>;

/// A queued fault and how many more answers it applies to (`None`: all of them).
#[derive(Debug, Clone)]
pub(crate) struct FaultEntry {
    pub(crate) fault: Fault,
    pub(crate) remaining: Option<usize>,
}

/// The faults waiting for the next answers, first in first out.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue(VecDeque<FaultEntry>);

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault, times: Option<usize>) {
        if times != Some(0) {
            self.0.push_back(FaultEntry {
                fault,
                remaining: times,
            });
        }
    }

    /// The fault for the next answer, if any, consuming one use of it.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        let entry = self.0.front_mut()?;
        let fault = entry.fault.clone();
        if let Some(n) = &mut entry.remaining {
            *n -= 1;
            if *n == 0 {
                self.0.pop_front();
            }
        }
        Some(fault)
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_is_fifo_and_counts_uses() {
        let mut q = FaultQueue::default();
        q.push(Fault::ServerError, Some(2));
        q.push(Fault::TamperBody, Some(1));
        q.push(Fault::SignTest, Some(0));
        assert_eq!(q.next(), Some(Fault::ServerError));
        assert_eq!(q.next(), Some(Fault::ServerError));
        assert_eq!(q.next(), Some(Fault::TamperBody));
        assert_eq!(q.next(), None);
        q.push(Fault::Disconnect, None);
        assert_eq!(q.next(), Some(Fault::Disconnect));
        assert_eq!(q.next(), Some(Fault::Disconnect));
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn parses_json_form() {
        let f = |v| Fault::from_json(&v);
        assert_eq!(
            f(serde_json::json!({"fault": "tamper_body"})),
            Ok(Fault::TamperBody)
        );
        assert_eq!(
            f(serde_json::json!({"fault": "truncate"})),
            Ok(Fault::Truncate)
        );
        assert_eq!(
            f(serde_json::json!({"fault": "delay", "ms": 1500})),
            Ok(Fault::Delay(Duration::from_millis(1500)))
        );
        assert_eq!(
            f(serde_json::json!({"fault": "error", "status": 429, "code": "FREQUENCY_LIMITED"})),
            Ok(Fault::Error {
                status: 429,
                code: "FREQUENCY_LIMITED".into(),
                message: "sandbox fault".into()
            })
        );
        assert!(f(serde_json::json!({"fault": "delay"})).is_err());
        assert!(f(serde_json::json!({"fault": "nope"})).is_err());
        assert!(f(serde_json::json!({"fault": "error", "status": 200})).is_err());
    }
}
