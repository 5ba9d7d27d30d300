//! The HTTP side: accepting connections, answering API requests, and the `/_sandbox/`
//! control routes.

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body::{Frame, SizeHint};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming as HyperBody;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

use crate::answer::Answer;
use crate::bill::BillSpec;
use crate::check::{Incoming, check};
use crate::control;
use crate::fault::{Fault, FaultRequest};
use crate::keys::PLATFORM_LIFETIME;
use crate::received::Received;
use crate::routes::{default_answer, prefers_certificate};
use crate::signing::sign;
use crate::state::Shared;
use crate::time::now;

/// Largest request body accepted (uploads included).
const MAX_REQUEST_BYTES: usize = 64 * 1024 * 1024;

/// Serves until `stop` fires or its sender is dropped.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors and the like: wait instead of spinning.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(shared.clone(), request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
struct Disconnect;

impl fmt::Display for Disconnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection closed by a sandbox fault")
    }
}

impl std::error::Error for Disconnect {}

type HttpResponse = Response<ResponseBody>;

/// An answer's body: the bytes at once, or a bill generated while it is sent.
pub(crate) enum ResponseBody {
    Full(Option<Bytes>),
    Stream(mpsc::Receiver<Bytes>),
    /// The first part of a body whose full length the headers announce
    /// ([`Fault::Truncate`]). No size hint, so that hyper goes by the header; the part is the
    /// last frame, so that hyper sends it and, the body being short, closes the connection.
    Cut(Option<Bytes>),
}

impl http_body::Body for ResponseBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            ResponseBody::Full(bytes) | ResponseBody::Cut(bytes) => Poll::Ready(
                bytes
                    .take()
                    .filter(|b| !b.is_empty())
                    .map(|b| Ok(Frame::data(b))),
            ),
            ResponseBody::Stream(rx) => rx.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, ResponseBody::Full(None) | ResponseBody::Cut(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ResponseBody::Full(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            ResponseBody::Stream(_) | ResponseBody::Cut(_) => SizeHint::default(),
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<HyperBody>,
) -> Result<HttpResponse, Disconnect> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            let request_id = shared.state().request_id();
            return Ok(plain_response(
                &request_id,
                Answer::error(413, "PARAM_ERROR", "request body too large or unreadable"),
            ));
        }
    };
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/")
        .to_string();
    let path = route_path(parts.uri.path()).to_string();
    let sent_path = parts.uri.path().trim_start_matches('/').to_string();
    let incoming = Incoming {
        method: parts.method.as_str().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        path_and_query,
        path,
        sent_path,
        headers: parts.headers,
        body,
    };
    if incoming.path.starts_with("_sandbox/") || incoming.path == "_sandbox" {
        return Ok(control(&shared, incoming).await);
    }
    let (response, fault) = answer(&shared, incoming);
    match fault {
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::Disconnect) => return Err(Disconnect),
        _ => {}
    }
    Ok(response)
}

/// The path a request is routed by, without its leading `/`: the sandbox also answers under a
/// path prefix (`/gateway/v3/…`, as behind a gateway or on WeChat Pay's `/hk/` hosts), which
/// the signature covers (it is checked over the path as received) but the routes do not name.
fn route_path(raw: &str) -> &str {
    let path = raw.strip_prefix('/').unwrap_or(raw);
    if path.starts_with("v3/") || path.starts_with("_sandbox/") {
        return path;
    }
    ["/v3/", "/_sandbox/"]
        .iter()
        .filter_map(|marker| path.find(marker))
        .min()
        .map_or(path, |i| &path[i + 1..])
}

/// Checks and answers one API request, records it, and returns the response with the fault
/// that was applied (delays and disconnects are the caller's to carry out).
fn answer(shared: &Shared, incoming: Incoming) -> (HttpResponse, Option<Fault>) {
    let identity = &shared.identity;
    let serial = incoming
        .headers
        .get("Wechatpay-Serial")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let (fault, named_key) = {
        let mut state = shared.state();
        let fault = state.faults.next();
        let named = serial.as_deref().and_then(|s| state.key_named(identity, s));
        (fault, named)
    };
    let checked = check(identity, named_key.as_ref(), &incoming, now());
    // No queued fault: the chooser, if any, called without the state locked.
    let chooser = match fault {
        None => shared.state().fault_chooser.clone(),
        Some(_) => None,
    };
    let fault = fault.or_else(|| {
        chooser.and_then(|choose| {
            choose(&FaultRequest {
                method: &incoming.method,
                path: &incoming.path,
                query: &incoming.query,
                body: &incoming.body,
                json: &checked.json,
            })
        })
    });

    let (mut answer, request_id, key) = {
        let mut state = shared.state();
        let request_id = state.request_id();
        let scripted = state
            .routes
            .iter()
            .rev()
            .find(|r| r.matches(&incoming.method, &incoming.path))
            .map(|r| r.answer.clone());
        let answer = match (&checked.rejection, scripted) {
            (Some(rejection), _) => rejection.clone(),
            (None, Some(answer)) => answer,
            (None, None) => {
                crate::payments::answer(shared, &incoming.method, &incoming.path, &checked)
                    .unwrap_or_else(|| {
                        default_answer(
                            identity,
                            &mut state,
                            &shared.base_url,
                            &incoming.method,
                            &incoming.path,
                            &checked,
                        )
                    })
            }
        };
        let answer = match &fault {
            Some(Fault::ServerError) => {
                Answer::error(500, "SYSTEM_ERROR", "系统错误 (sandbox fault)")
            }
            Some(Fault::Error {
                status,
                code,
                message,
            }) => Answer::error(*status, code.clone(), message.clone()),
            _ => answer,
        };
        let key = answer.is_signed().then(|| {
            state.signing_key(
                identity,
                serial.as_deref(),
                prefers_certificate(&incoming.method, &incoming.path),
            )
        });
        (answer, request_id, key)
    };

    let mut signature_headers = Vec::new();
    if let Some(key) = key {
        match sign(&key, &mut answer.body, fault.as_ref()) {
            Ok(headers) => signature_headers = headers,
            Err(_) => answer = Answer::error(500, "SYSTEM_ERROR", "signing the answer failed"),
        }
    }
    let status = if fault == Some(Fault::Disconnect) {
        0
    } else {
        answer.status
    };
    let received = Received {
        method: incoming.method,
        path: incoming.sent_path,
        query: incoming.query,
        query_params: checked.query_params,
        headers: incoming.headers,
        json: checked.json,
        body: incoming.body,
        file: checked.file,
        file_part: checked.file_part,
        encrypted: checked.encrypted,
        status,
        error_code: answer.error_code(),
        request_id: request_id.clone(),
        fault: fault.clone(),
    };
    shared.state().received.push(received);

    let cut = (fault == Some(Fault::Truncate)).then(|| {
        // The full length announced, half the body sent: hyper closes the connection when
        // the body ends short of it.
        let full = answer.body.len();
        answer
            .headers
            .push(("Content-Length".to_string(), full.to_string()));
        Bytes::copy_from_slice(&answer.body[..full / 2])
    });
    let mut response = plain_response(&request_id, answer);
    if let Some(half) = cut {
        *response.body_mut() = ResponseBody::Cut(Some(half));
    }
    for (name, value) in signature_headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    (response, fault)
}

/// The HTTP response of an answer, with `Request-ID`, without signature headers.
fn plain_response(request_id: &str, answer: Answer) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = match answer.stream {
        Some(file) => ResponseBody::Stream(crate::bill::spawn_stream(*file)),
        None => ResponseBody::Full(Some(Bytes::from(answer.body))),
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("request-id", v);
    }
    if let Some(ct) = answer.content_type.as_deref()
        && status != StatusCode::NO_CONTENT
        && let Ok(v) = HeaderValue::from_str(ct)
    {
        headers.insert(http::header::CONTENT_TYPE, v);
    }
    headers.insert(
        http::header::SERVER,
        HeaderValue::from_static("wxpay-sandbox"),
    );
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.insert(name, value);
        }
    }
    response
}

/// The `/_sandbox/` routes: inspection and scripting over HTTP, for clients in any language.
/// Not signed, not checked.
async fn control(shared: &Shared, incoming: Incoming) -> HttpResponse {
    let request_id = shared.state().request_id();
    let route = incoming.path.trim_start_matches("_sandbox/");
    // The payment routes and the page (which also takes HTML forms).
    if let Some(answer) = crate::page::control(shared, route, &incoming) {
        return plain_response(&request_id, answer.unsigned());
    }
    let body = match control::json_body(&incoming.body) {
        Ok(body) => body,
        Err(answer) => return plain_response(&request_id, answer),
    };
    let answer = match (incoming.method.as_str(), route) {
        ("GET", "requests") => {
            let list: Vec<Value> = shared
                .state()
                .received
                .iter()
                .map(Received::to_json)
                .collect();
            Answer::json(Value::Array(list))
        }
        ("DELETE", "requests") => {
            shared.state().received.clear();
            Answer::empty()
        }
        ("GET", "config") => Answer::json(crate::files::config_json(shared)),
        ("POST", "respond") => {
            match control::parse::<control::Respond>(&body, control::Respond::FORM)
                .and_then(control::Respond::into_route)
            {
                Ok(route) => {
                    shared.state().add_route(route);
                    Answer::empty()
                }
                Err(answer) => answer,
            }
        }
        ("DELETE", "respond") => {
            shared.state().routes.clear();
            Answer::empty()
        }
        ("POST", "fault") => {
            let times = control::parse::<control::FaultTimes>(&body, control::FaultTimes::FORM);
            match (Fault::from_json(&body), times) {
                (Ok(fault), Ok(times)) => {
                    shared.state().faults.push(fault, times.times());
                    Answer::empty()
                }
                (Err(message), _) => control::bad(message),
                (_, Err(answer)) => answer,
            }
        }
        ("DELETE", "fault") => {
            shared.state().faults.clear();
            Answer::empty()
        }
        ("POST", "mode") => match control::parse::<control::Mode>(&body, control::Mode::FORM) {
            Ok(mode) => {
                shared.state().mode = mode.key_mode();
                Answer::empty()
            }
            Err(answer) => answer,
        },
        ("POST", "notify") => {
            match control::parse::<control::Notify>(&body, control::Notify::FORM) {
                Ok(notify) => control_notify(shared, notify).await,
                Err(answer) => answer,
            }
        }
        ("POST", "rotate") => {
            match control::parse::<control::Rotate>(&body, control::Rotate::FORM) {
                Ok(rotate) => {
                    let lifetime = rotate
                        .valid_for_secs
                        .map_or(PLATFORM_LIFETIME, Duration::from_secs);
                    match shared.rotate_platform_certificate(lifetime) {
                        Ok(serial) => Answer::json(json!({"serial": serial})),
                        Err(e) => Answer::error(500, "SYSTEM_ERROR", e.to_string()),
                    }
                }
                Err(answer) => answer,
            }
        }
        ("POST", "sign-with") => {
            match control::parse::<control::SignWith>(&body, control::SignWith::FORM) {
                Ok(sign_with) => {
                    shared.state().signer = sign_with.serial;
                    Answer::empty()
                }
                Err(answer) => answer,
            }
        }
        ("POST", "bills") => match BillSpec::from_json(&body) {
            Ok(spec) => {
                shared.state().bills = spec;
                Answer::empty()
            }
            Err(message) => control::bad(message),
        },
        _ => Answer::error(
            404,
            "NOT_FOUND",
            "sandbox control routes: GET /_sandbox/ (the page), POST /_sandbox/pay, GET /_sandbox/notifications, POST /_sandbox/notifications/redeliver, GET /_sandbox/orders, GET /_sandbox/refunds, GET|DELETE /_sandbox/requests, GET /_sandbox/config, POST|DELETE /_sandbox/respond, POST|DELETE /_sandbox/fault, POST /_sandbox/mode, POST /_sandbox/notify, POST /_sandbox/rotate, POST /_sandbox/sign-with, POST /_sandbox/bills",
        ),
    };
    plain_response(&request_id, answer.unsigned())
}

/// `POST /_sandbox/notify` → the merchant's answer.
async fn control_notify(shared: &Shared, body: control::Notify) -> Answer {
    let control::Notify {
        url,
        event_type,
        resource,
        fault,
    } = body;
    if let Some(refusal) = shared.lifecycle.config().refusal(&url) {
        return Answer::error(403, "NOTIFY_URL_REFUSED", refusal);
    }
    let fault = match fault {
        None => None,
        // `"fault": "tamper_body"`, as for /_sandbox/fault.
        Some(Value::String(name)) => Some(Fault::from_json(&json!({"fault": name}))),
        Some(form) => Some(Fault::from_json(&form)),
    };
    let fault = match fault.transpose() {
        Ok(fault) => fault,
        Err(message) => return control::bad(message),
    };
    let notification = match crate::notify::build(shared, &event_type, &resource, fault.as_ref()) {
        Ok(n) => n,
        Err(e) => return Answer::error(500, "SYSTEM_ERROR", e.to_string()),
    };
    match notification.send(&url).await {
        Ok(outcome) => Answer::json(json!({
            "status": outcome.status,
            "body": outcome.text(),
            "id": notification.id,
        })),
        Err(e) => Answer::error(502, "NOTIFY_FAILED", e.to_string()),
    }
}
