//! Notifications the sandbox sends by itself (`TRANSACTION.SUCCESS` when an order is paid,
//! `REFUND.SUCCESS` when a refund succeeds), delivered and retried as WeChat Pay does, on its
//! schedule compressed to seconds, and recorded attempt by attempt.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::state::Shared;
use crate::time::{now, rfc3339_cst};

/// WeChat Pay's documented waits between deliveries of one notification, in seconds
/// (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h): after the first attempt, up to
/// fifteen more, each after the next wait, until one is answered with a 2xx in time.
pub const WECHATPAY_RETRY_SCHEDULE: [u64; 15] = [
    15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

/// How long WeChat Pay waits for a merchant's answer to a notification.
pub(crate) const WECHATPAY_TIMEOUT: Duration = Duration::from_secs(5);

/// The most of a merchant's answer that is kept.
const ANSWER_KEPT: usize = 1024;

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

/// Records a notification of `event_type` about `subject` and delivers it to `url` in the
/// background (or records it refused).
pub(crate) fn deliver(
    shared: &Arc<Shared>,
    url: &str,
    event_type: &str,
    resource: Value,
    subject: String,
) {
    let config = shared.lifecycle.config();
    let refusal = config.refusal(url);
    let delivery = Delivery {
        id: crate::notify::uuid_like(),
        url: url.to_string(),
        event_type: event_type.to_string(),
        subject,
        resource,
        state: if refusal.is_some() {
            DeliveryState::Refused
        } else {
            DeliveryState::Pending
        },
        refusal,
        attempts: Vec::new(),
    };
    let id = delivery.id.clone();
    let refused = delivery.state == DeliveryState::Refused;
    shared.lifecycle.deliveries().list.push(delivery);
    if !refused {
        shared.lifecycle.spawn(run(shared.clone(), id, config));
    }
}

/// Sends the delivery `id` once more, then on the schedule again until answered: what a
/// merchant sees when WeChat Pay delivers a notification it has already acknowledged. `false`
/// when there is no such delivery or it was refused.
pub(crate) fn redeliver(shared: &Arc<Shared>, id: &str) -> bool {
    {
        let mut deliveries = shared.lifecycle.deliveries();
        let Some(d) = deliveries.list.iter_mut().find(|d| d.id == id) else {
            return false;
        };
        if d.state == DeliveryState::Refused {
            return false;
        }
        d.state = DeliveryState::Pending;
    }
    let config = shared.lifecycle.config();
    shared
        .lifecycle
        .spawn(run(shared.clone(), id.to_string(), config));
    true
}

/// The attempts of one delivery, until one is answered with a 2xx or the schedule ends.
async fn run(shared: Arc<Shared>, id: String, config: DeliveryConfig) {
    let client = crate::notify::notify_client(config.timeout).ok();
    let mut waits = WECHATPAY_RETRY_SCHEDULE.iter();
    loop {
        let Some((url, event_type, resource)) = shared
            .lifecycle
            .deliveries()
            .list
            .iter()
            .find(|d| d.id == id)
            .map(|d| (d.url.clone(), d.event_type.clone(), d.resource.clone()))
        else {
            return;
        };
        let key = shared.state().signing_key(&shared.identity, None, false);
        let time = rfc3339_cst(now());
        let outcome = match (
            &client,
            crate::notify::build_as(&shared.identity, &key, &id, &event_type, &resource, None),
        ) {
            (Some(client), Ok(note)) => note.send_via(client, &url).await,
            (None, _) => Err(wxpay::Error::Transport(wxpay::TransportError::Other(
                "cannot make an HTTP client".into(),
            ))),
            (_, Err(e)) => Err(e),
        };
        let delivered = matches!(&outcome, Ok(o) if o.is_success());
        {
            let mut deliveries = shared.lifecycle.deliveries();
            let Some(d) = deliveries.list.iter_mut().find(|d| d.id == id) else {
                return;
            };
            let number = d.attempts.len() as u32 + 1;
            d.attempts.push(match outcome {
                Ok(o) => {
                    let mut answer = o.text();
                    if answer.len() > ANSWER_KEPT {
                        let mut end = ANSWER_KEPT;
                        while !answer.is_char_boundary(end) {
                            end -= 1;
                        }
                        answer.truncate(end);
                    }
                    DeliveryAttempt {
                        number,
                        time,
                        status: Some(o.status),
                        answer,
                        error: None,
                    }
                }
                Err(e) => DeliveryAttempt {
                    number,
                    time,
                    status: None,
                    answer: String::new(),
                    error: Some(match e {
                        wxpay::Error::Transport(wxpay::TransportError::Timeout) => {
                            format!("no answer within {} ms", config.timeout.as_millis())
                        }
                        e => e.to_string(),
                    }),
                },
            });
            if delivered {
                d.state = DeliveryState::Delivered;
                return;
            }
        }
        let Some(&wait) = waits.next() else {
            if let Some(d) = shared
                .lifecycle
                .deliveries()
                .list
                .iter_mut()
                .find(|d| d.id == id)
            {
                d.state = DeliveryState::Failed;
            }
            return;
        };
        tokio::time::sleep(config.scaled(Duration::from_secs(wait))).await;
    }
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

    #[test]
    fn schedule_is_compressed() {
        let c = DeliveryConfig::default();
        assert_eq!(
            c.scaled(Duration::from_secs(15)),
            Duration::from_millis(150)
        );
        assert_eq!(
            c.scaled(Duration::from_secs(21600)),
            Duration::from_secs(216)
        );
        let total: u64 = WECHATPAY_RETRY_SCHEDULE.iter().sum();
        assert_eq!(total, 24 * 3600 + 4 * 60);
    }
}
