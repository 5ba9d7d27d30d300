//! The JSON bodies of the `/_sandbox/` control routes, read with serde, and what they mean.
//! A body that does not fit gets a `400 PARAM_ERROR` that says what is wrong and what was
//! expected.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::answer::{Answer, Route};
use crate::keys::KeyMode;

/// A control route's body: `{}` when empty (every field left out).
pub(crate) fn json_body(raw: &[u8]) -> Result<Value, Answer> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(raw).map_err(|e| bad(format!("the body is not valid JSON: {e}")))
}

/// `body` read as `T`; `expected` is the form the error message shows.
pub(crate) fn parse<'a, T: Deserialize<'a>>(body: &'a Value, expected: &str) -> Result<T, Answer> {
    T::deserialize(body).map_err(|e| bad(format!("{e}; expected {expected}")))
}

/// `400 PARAM_ERROR`, unsigned like every control answer.
pub(crate) fn bad(message: impl Into<String>) -> Answer {
    Answer::error(400, "PARAM_ERROR", message)
}

/// `POST /_sandbox/pay`.
#[derive(Deserialize)]
pub(crate) struct Pay {
    pub(crate) out_trade_no: String,
    /// The `mchid` or `sub_mchid` of the order, when several share the `out_trade_no`.
    pub(crate) merchant: Option<String>,
}

impl Pay {
    pub(crate) const FORM: &str = r#"{"out_trade_no": "…", "merchant"?: "mchid or sub_mchid"}"#;
}

/// `POST /_sandbox/notifications/redeliver`.
#[derive(Deserialize)]
pub(crate) struct Redeliver {
    pub(crate) id: String,
}

impl Redeliver {
    pub(crate) const FORM: &str = r#"{"id": "…"}"#;
}

/// `POST /_sandbox/respond`: a scripted route.
#[derive(Deserialize)]
pub(crate) struct Respond {
    method: String,
    path: String,
    #[serde(default = "Respond::default_status")]
    status: u16,
    /// `Some(Value::Null)` for `"body": null`, `None` when left out.
    #[serde(default, deserialize_with = "present")]
    body: Option<Value>,
    #[serde(default = "Respond::default_signed")]
    signed: bool,
}

impl Respond {
    pub(crate) const FORM: &str =
        r#"{"method": "GET", "path": "v3/…", "status"?: 200, "body"?: {…}, "signed"?: true}"#;

    fn default_status() -> u16 {
        200
    }

    fn default_signed() -> bool {
        true
    }

    /// The route: `{}` when `body` is left out (nothing with a 204), signed unless
    /// `"signed": false`.
    pub(crate) fn into_route(self) -> Result<Route, Answer> {
        if !(200..600).contains(&self.status) {
            return Err(bad("status must be 200..599"));
        }
        let mut answer = match self.body {
            None | Some(Value::Null) if self.status == 204 => Answer::empty(),
            None => Answer::json(json!({})),
            Some(v) => Answer::json(v),
        }
        .with_status(self.status);
        if !self.signed {
            answer = answer.unsigned();
        }
        Ok(Route::new(&self.method, &self.path, answer))
    }
}

/// A field that is there, even as `null` (`Some(Value::Null)`); with `#[serde(default)]`,
/// `None` when it is left out.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// `times` of `POST /_sandbox/fault` (the fault itself is read by
/// [`Fault::from_json`](crate::Fault::from_json)).
#[derive(Deserialize)]
pub(crate) struct FaultTimes {
    times: Option<Times>,
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "times must be a number or \"always\"")]
enum Times {
    Count(usize),
    Always(Always),
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Always {
    Always,
}

impl FaultTimes {
    pub(crate) const FORM: &str = r#"{"fault": NAME, …, "times"?: N or "always"}"#;

    /// How many answers the fault applies to (`None`: all of them); 1 when left out.
    pub(crate) fn times(&self) -> Option<usize> {
        match self.times {
            None => Some(1),
            Some(Times::Count(n)) => Some(n),
            Some(Times::Always(Always::Always)) => None,
        }
    }
}

/// `POST /_sandbox/mode`.
#[derive(Deserialize)]
pub(crate) struct Mode {
    mode: ModeName,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ModeName {
    Both,
    PublicKeyOnly,
    CertificatesOnly,
}

impl Mode {
    pub(crate) const FORM: &str = r#"{"mode": "both" | "public_key_only" | "certificates_only"}"#;

    pub(crate) fn key_mode(&self) -> KeyMode {
        match self.mode {
            ModeName::Both => KeyMode::Both,
            ModeName::PublicKeyOnly => KeyMode::PublicKeyOnly,
            ModeName::CertificatesOnly => KeyMode::CertificatesOnly,
        }
    }
}

/// `POST /_sandbox/rotate`.
#[derive(Deserialize)]
pub(crate) struct Rotate {
    /// The new certificate's lifetime (default: five years).
    pub(crate) valid_for_secs: Option<u64>,
}

impl Rotate {
    pub(crate) const FORM: &str = r#"{"valid_for_secs"?: N}"#;
}

/// `POST /_sandbox/sign-with`.
#[derive(Deserialize)]
pub(crate) struct SignWith {
    /// `None` (left out or `null`): back to the usual choice of key.
    pub(crate) serial: Option<String>,
}

impl SignWith {
    pub(crate) const FORM: &str = r#"{"serial": "…" or null}"#;
}

/// `POST /_sandbox/notify`.
#[derive(Deserialize)]
pub(crate) struct Notify {
    pub(crate) url: String,
    pub(crate) event_type: String,
    pub(crate) resource: Value,
    /// A fault's name (`"tamper_body"`) or its JSON form (`{"fault": "delay", "ms": 3000}`).
    pub(crate) fault: Option<Value>,
}

impl Notify {
    pub(crate) const FORM: &str =
        r#"{"url": "…", "event_type": "…", "resource": {…}, "fault"?: NAME or {"fault": NAME, …}}"#;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respond_tells_a_null_body_from_a_missing_one() {
        let route = |body: Value| {
            parse::<Respond>(&body, Respond::FORM)
                .and_then(Respond::into_route)
                .map(|r| (r.answer.status(), r.answer.body().to_vec()))
        };
        let v = json!({"method": "GET", "path": "v3/x"});
        assert_eq!(route(v), Ok((200, b"{}".to_vec())));
        let v = json!({"method": "GET", "path": "v3/x", "body": null});
        assert_eq!(route(v), Ok((200, b"null".to_vec())));
        let v = json!({"method": "GET", "path": "v3/x", "status": 204, "body": null});
        assert_eq!(route(v), Ok((204, Vec::new())));
        let v = json!({"method": "GET", "path": "v3/x", "status": 700});
        assert_eq!(route(v).unwrap_err().status(), 400);
        let missing = route(json!({"path": "v3/x"})).unwrap_err();
        let message: Value = serde_json::from_slice(missing.body()).unwrap();
        assert!(
            message["message"]
                .as_str()
                .unwrap()
                .starts_with("missing field `method`; expected {"),
            "{message}"
        );
    }

    #[test]
    fn times_is_a_number_or_always() {
        let times = |v: Value| parse::<FaultTimes>(&v, FaultTimes::FORM).map(|t| t.times());
        assert_eq!(times(json!({"fault": "truncate"})), Ok(Some(1)));
        assert_eq!(times(json!({"times": 3})), Ok(Some(3)));
        assert_eq!(times(json!({"times": "always"})), Ok(None));
        let wrong = times(json!({"times": "often"})).unwrap_err();
        let body: Value = serde_json::from_slice(wrong.body()).unwrap();
        assert_eq!(
            body["message"],
            format!(
                "times must be a number or \"always\"; expected {}",
                FaultTimes::FORM
            )
        );
    }
}
