//! Notifications the sandbox sends by itself (`TRANSACTION.SUCCESS` when an order is paid,
//! `REFUND.SUCCESS` when a refund succeeds), delivered and retried as WeChat Pay does, on its
//! schedule compressed to seconds, and recorded attempt by attempt.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::deliveries::{Delivery, DeliveryAttempt, DeliveryConfig, DeliveryState};
use crate::state::Shared;
use crate::time::{now, rfc3339_cst};

/// WeChat Pay's documented waits between deliveries of one notification, in seconds
/// (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h): after the first attempt, up to
/// fifteen more, each after the next wait, until one is answered with a 2xx in time.
pub const WECHATPAY_RETRY_SCHEDULE: [u64; 15] = [
    15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

/// The most of a merchant's answer that is kept.
const ANSWER_KEPT: usize = 1024;

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
