//! Notifications (callbacks), signed and encrypted the way WeChat Pay sends them.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};
use wxpay_core::{Error, TransportError, aead};

use crate::fault::Fault;
use crate::keygen::aes_nonce;
use crate::keys::{Identity, KeyRef};
use crate::signing::sign;
use crate::state::Shared;
use crate::time::{now, rfc3339_cst};

/// How long WeChat Pay waits for the merchant's answer to a notification.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(5);

/// A signed notification: the exact headers and body WeChat Pay would POST.
///
/// Give it to `client.parse_notification(&n.headers, &n.body)` directly, or
/// [`send`](SignedNotification::send) it to a URL.
#[derive(Clone)]
pub struct SignedNotification {
    /// The notification id (`id` in the body).
    pub id: String,
    /// `Wechatpay-Timestamp`, `Wechatpay-Nonce`, `Wechatpay-Serial`, `Wechatpay-Signature`,
    /// `Wechatpay-Signature-Type`, `Content-Type`.
    pub headers: HeaderMap,
    /// The JSON body: `{id, create_time, event_type, resource_type, summary, resource:{…}}`.
    pub body: Vec<u8>,
}

impl fmt::Debug for SignedNotification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedNotification")
            .field("id", &self.id)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// What the merchant answered to a notification.
#[derive(Debug, Clone)]
pub struct NotifyOutcome {
    /// The HTTP status.
    pub status: u16,
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The answer's body.
    pub body: Vec<u8>,
}

impl NotifyOutcome {
    /// Whether WeChat Pay would count the notification as delivered (a 2xx status).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl SignedNotification {
    /// POSTs the notification to `url` (as WeChat Pay does: JSON body, signature headers,
    /// five-second timeout, no redirects) and returns the merchant's answer. Only a failure
    /// to connect or a timeout is an error; any status is an outcome.
    pub async fn send(&self, url: &str) -> Result<NotifyOutcome, Error> {
        self.send_via(&notify_client(NOTIFY_TIMEOUT)?, url).await
    }

    /// [`send`](Self::send) through `client` (its timeout, its connections).
    pub(crate) async fn send_via(
        &self,
        client: &reqwest::Client,
        url: &str,
    ) -> Result<NotifyOutcome, Error> {
        let response = client
            .post(url)
            .headers(self.headers.clone())
            .body(self.body.clone())
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport_error)?.to_vec();
        Ok(NotifyOutcome {
            status,
            headers,
            body,
        })
    }
}

/// An HTTP client that sends notifications as WeChat Pay does: `timeout` for the whole
/// exchange, no redirects.
pub(crate) fn notify_client(timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Transport(TransportError::Other(e.to_string())))
}

fn transport_error(e: reqwest::Error) -> Error {
    let e = e.without_url();
    // reqwest's own message ("error sending request") says little: add its causes
    // ("tcp connect error: Connection refused (os error 111)").
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    Error::Transport(if e.is_timeout() {
        TransportError::Timeout
    } else if e.is_connect() {
        TransportError::Connect(message)
    } else {
        TransportError::Other(message)
    })
}

/// Builds a notification of `event_type` whose resource is `resource`, encrypted with the
/// APIv3 key and signed with the WeChat Pay key of the current mode.
pub(crate) fn build(
    shared: &Shared,
    event_type: &str,
    resource: &Value,
    fault: Option<&Fault>,
) -> Result<SignedNotification, Error> {
    let key = shared.state().signing_key(&shared.identity, None, false);
    build_as(
        &shared.identity,
        &key,
        &uuid_like(),
        event_type,
        resource,
        fault,
    )
}

/// [`build`] with a given notification id: a notification sent again keeps its id (and is
/// signed anew, with a fresh timestamp).
pub(crate) fn build_as(
    identity: &Identity,
    key: &KeyRef,
    id: &str,
    event_type: &str,
    resource: &Value,
    fault: Option<&Fault>,
) -> Result<SignedNotification, Error> {
    let original_type = original_type(event_type);
    let nonce = aes_nonce();
    let plaintext = resource.to_string();
    let ciphertext = aead::encrypt(
        &identity.apiv3,
        &nonce,
        &original_type,
        plaintext.as_bytes(),
    )?;
    let id = id.to_string();
    let notification = json!({
        "id": id,
        "create_time": rfc3339_cst(now()),
        "resource_type": "encrypt-resource",
        "event_type": event_type,
        "summary": summary(event_type),
        "resource": {
            "original_type": original_type,
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": ciphertext,
            "associated_data": original_type,
            "nonce": nonce,
        },
    });
    let mut body = notification.to_string().into_bytes();
    let mut headers = HeaderMap::new();
    for (name, value) in sign(key, &mut body, fault)? {
        headers.insert(
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Encode("invalid header name".into()))?,
            HeaderValue::from_str(&value)
                .map_err(|_| Error::Encode("invalid header value".into()))?,
        );
    }
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(SignedNotification { id, headers, body })
}

/// `TRANSACTION.SUCCESS` → `transaction`, `REFUND.ABNORMAL` → `refund`, and so on.
fn original_type(event_type: &str) -> String {
    event_type
        .split('.')
        .next()
        .unwrap_or(event_type)
        .to_ascii_lowercase()
}

fn summary(event_type: &str) -> &'static str {
    match event_type {
        "TRANSACTION.SUCCESS" => "支付成功",
        "REFUND.SUCCESS" => "退款成功",
        "REFUND.ABNORMAL" => "退款异常",
        "REFUND.CLOSED" => "退款关闭",
        _ => "通知",
    }
}

/// `7d6b3a0f-…`, the shape of WeChat Pay notification ids.
pub(crate) fn uuid_like() -> String {
    let b = crate::keygen::random_bytes::<16>();
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
