//! The records of the notifications the sandbox sends by itself: each [`Delivery`] with its
//! attempts, and [`DeliveryConfig`], how they are made (speedup, timeout, allowed hosts),
//! as plain data. `state::Lifecycle` keeps them under its locks; `delivery` sends them.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use serde_json::{Value, json};

/// How long WeChat Pay waits for a merchant's answer to a notification.
pub(crate) const WECHATPAY_TIMEOUT: Duration = Duration::from_secs(5);

/// How deliveries are made.
#[derive(Debug, Clone)]
pub(crate) struct DeliveryConfig {
    /// Every wait of the schedule is divided by this (1: WeChat Pay's real schedule).
    pub(crate) speedup: u32,
    /// How long an attempt waits for the merchant's answer.
    pub(crate) timeout: Duration,
    /// Hosts besides loopback addresses that notifications may be sent to (`*`: any).
    pub(crate) allowed_hosts: Vec<String>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            speedup: 100,
            timeout: WECHATPAY_TIMEOUT,
            allowed_hosts: Vec::new(),
        }
    }
}

impl DeliveryConfig {
    /// `real` compressed by the speedup.
    pub(crate) fn scaled(&self, real: Duration) -> Duration {
        real / self.speedup.max(1)
    }

    /// Why `url` may not be sent to, if it may not.
    pub(crate) fn refusal(&self, url: &str) -> Option<String> {
        let parsed = match reqwest::Url::parse(url) {
            Ok(u) => u,
            Err(e) => return Some(format!("notify_url is not a URL: {e}")),
        };
        if !matches!(parsed.scheme(), "http" | "https") {
            return Some("notify_url must be http or https".into());
        }
        let host = parsed.host_str().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = bare.eq_ignore_ascii_case("localhost")
            || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        let allowed = self
            .allowed_hosts
            .iter()
            .any(|h| h == "*" || h.eq_ignore_ascii_case(bare) || h.eq_ignore_ascii_case(host));
        (!loopback && !allowed).then(|| {
            format!(
                "refused: {host} is not a loopback address (start the sandbox with --allow-notify-host {host} to send there)"
            )
        })
    }
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryState {
    /// Not yet answered with a 2xx: an attempt is under way or the next one is scheduled.
    Pending,
    /// An attempt was answered with a 2xx in time.
    Delivered,
    /// Every attempt of the schedule failed; WeChat Pay gives up too.
    Failed,
    /// Not sent: the URL is not a loopback address and its host was not allowed.
    Refused,
}

impl DeliveryState {
    /// `pending`, `delivered`, `failed`, `refused`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
            DeliveryState::Refused => "refused",
        }
    }
}

/// One attempt to deliver a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// 1 for the first attempt.
    pub number: u32,
    /// When it was sent, RFC 3339 (China Standard Time).
    pub time: String,
    /// The merchant's HTTP status; `None` when there was no answer in time.
    pub status: Option<u16>,
    /// The merchant's answer (its first kilobyte, lossy UTF-8); empty without an answer.
    pub answer: String,
    /// Why there was no answer (connection refused, timeout).
    pub error: Option<String>,
}

/// A notification the sandbox sent by itself, with every attempt to deliver it:
/// [`Sandbox::notifications`](crate::Sandbox::notifications).
///
/// `Debug` leaves out the resource (a decrypted notification).
#[derive(Clone)]
#[non_exhaustive]
pub struct Delivery {
    /// The notification id (the same in every attempt).
    pub id: String,
    /// Where it is sent: the order's or the refund's `notify_url`.
    pub url: String,
    /// `TRANSACTION.SUCCESS` or `REFUND.SUCCESS`.
    pub event_type: String,
    /// The `out_trade_no` or `out_refund_no` it is about.
    pub subject: String,
    /// The plaintext of its resource.
    pub resource: Value,
    /// Where it is.
    pub state: DeliveryState,
    /// Why it was refused.
    pub refusal: Option<String>,
    /// Every attempt, oldest first.
    pub attempts: Vec<DeliveryAttempt>,
}

impl Delivery {
    /// The status of the last answer, if any.
    pub fn last_status(&self) -> Option<u16> {
        self.attempts.last().and_then(|a| a.status)
    }

    /// The JSON form served by `GET /_sandbox/notifications`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "url": self.url,
            "event_type": self.event_type,
            "subject": self.subject,
            "state": self.state.as_str(),
            "refusal": self.refusal,
            "last_status": self.last_status(),
            "attempts": self.attempts.iter().map(|a| json!({
                "number": a.number,
                "time": a.time,
                "status": a.status,
                "answer": a.answer,
                "error": a.error,
            })).collect::<Vec<_>>(),
            "resource": self.resource,
        })
    }
}

impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("event_type", &self.event_type)
            .field("subject", &self.subject)
            .field("state", &self.state)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Every delivery, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Deliveries {
    pub(crate) list: Vec<Delivery>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_unless_allowed() {
        let mut c = DeliveryConfig::default();
        assert_eq!(c.refusal("http://127.0.0.1:9/notify"), None);
        assert_eq!(c.refusal("http://127.8.9.10/notify"), None);
        assert_eq!(c.refusal("http://[::1]:80/notify"), None);
        assert_eq!(c.refusal("https://localhost/notify"), None);
        assert_eq!(
            c.refusal("https://shop.example.com/notify").as_deref(),
            Some(
                "refused: shop.example.com is not a loopback address (start the sandbox with --allow-notify-host shop.example.com to send there)"
            )
        );
        assert!(c.refusal("http://10.0.0.1/").is_some());
        assert!(c.refusal("ftp://127.0.0.1/").is_some());
        assert!(c.refusal("not a url").is_some());
        c.allowed_hosts = vec!["shop.example.com".into()];
        assert_eq!(c.refusal("https://shop.example.com/notify"), None);
        assert!(c.refusal("https://other.example.com/notify").is_some());
        c.allowed_hosts = vec!["*".into()];
        assert_eq!(c.refusal("https://other.example.com/notify"), None);
    }
}
