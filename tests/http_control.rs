//! HTTP control for real deployments: `proxy(url)` and `http_client(client)`, checked
//! against the sandbox through a forward proxy written here (loopback only) that counts what
//! passes through it; and what the SDK guarantees with its own client (no redirect taken as an
//! answer, answers size-limited, timeouts) holding with a client it did not build.

#[path = "../examples/common/seeds.rs"]
mod seeds;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use wxpay::reqwest;
use wxpay::{ConfigError, Error, TransportError};
use wxpay_sandbox::{Answer, Fault, Sandbox};

/// One HTTP/1.1 message head and body, as read off a connection (bodies by Content-Length
/// only: the SDK and the sandbox send every body of these tests with one).
struct Message {
    /// The request line or the status line.
    start: String,
    /// The header lines, as received.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn to_bytes(&self, start: &str) -> Vec<u8> {
        let mut out = format!("{start}\r\n");
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        let mut out = out.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

/// Reads one message, or `None` at the end of the connection.
async fn read_message<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> Option<Message> {
    let mut start = String::new();
    if reader.read_line(&mut start).await.ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut message = Message {
        start: start.trim_end().to_string(),
        headers,
        body: Vec::new(),
    };
    let length: usize = message
        .header("content-length")
        .map_or(0, |v| v.parse().expect("Content-Length"));
    message.body = vec![0; length];
    reader.read_exact(&mut message.body).await.ok()?;
    Some(message)
}

/// A forward proxy on 127.0.0.1: reads absolute-form requests (`POST http://host:port/path
/// HTTP/1.1`), records each request line, and forwards the request in origin form to the
/// host it names, over one upstream connection per client connection.
struct ForwardProxy {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl ForwardProxy {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(Self::serve(stream, log.clone()));
            }
        });
        Self { addr, requests }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    async fn serve(stream: TcpStream, log: Arc<Mutex<Vec<String>>>) {
        let (read, mut write) = stream.into_split();
        let mut client = BufReader::new(read);
        let mut upstream: Option<(BufReader<tokio::net::tcp::OwnedReadHalf>, _)> = None;
        while let Some(request) = read_message(&mut client).await {
            log.lock().unwrap().push(request.start.clone());
            // `METHOD http://host:port/path HTTP/1.1`: only absolute-form is proxied.
            let mut parts = request.start.splitn(3, ' ');
            let (method, target, version) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            let Some(rest) = target.strip_prefix("http://") else {
                let _ = write
                    .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                    .await;
                return;
            };
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            if upstream.is_none() {
                let stream = TcpStream::connect(authority).await.unwrap();
                let (r, w) = stream.into_split();
                upstream = Some((BufReader::new(r), w));
            }
            let (up_read, up_write) = upstream.as_mut().unwrap();
            let origin_form = format!(
                "{method} {} {version}",
                if path.is_empty() { "/" } else { path }
            );
            up_write
                .write_all(&request.to_bytes(&origin_form))
                .await
                .unwrap();
            let Some(response) = read_message(up_read).await else {
                return;
            };
            if write
                .write_all(&response.to_bytes(&response.start))
                .await
                .is_err()
            {
                return;
            }
        }
    }
}

/// An HTTP server on 127.0.0.1 that answers `200 {}` to anything and records each request:
/// the place a redirect points to, which must not be reached with a signature.
struct Elsewhere {
    addr: SocketAddr,
    hits: Arc<Mutex<Vec<Message>>>,
}

impl Elsewhere {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let log = hits.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut reader = BufReader::new(read);
                    while let Some(request) = read_message(&mut reader).await {
                        log.lock().unwrap().push(request);
                        let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                        if write.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { addr, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    fn hits(&self) -> usize {
        self.hits.lock().unwrap().len()
    }
}

/// The sandbox answers the echo with a redirect to `location`.
fn redirect_echo(sandbox: &Sandbox, status: u16, location: &str) {
    sandbox.respond(
        "POST",
        "v3/security/echo",
        Answer::raw(status, "text/plain", "moved")
            .with_header("Location", location)
            .unsigned(),
    );
}

#[tokio::test]
async fn proxy_carries_every_request_end_to_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let proxy = ForwardProxy::start().await;
    let client = sandbox.client_builder().proxy(proxy.url()).build().unwrap();

    for _ in 0..3 {
        let answer = client.send(&seeds::echo()).await.unwrap();
        assert_eq!(answer.echo_message, "hello wxpay");
    }
    client
        .send(&seeds::QueryContract {
            out_contract_code: "C1".into(),
            sub_mchid: None,
        })
        .await
        .unwrap();

    // A loopback address is proxied too (no implicit bypass), in absolute form.
    let origin = sandbox.base_url().trim_end_matches('/');
    assert_eq!(
        proxy.requests(),
        vec![
            format!("POST {origin}/v3/security/echo HTTP/1.1"),
            format!("POST {origin}/v3/security/echo HTTP/1.1"),
            format!("POST {origin}/v3/security/echo HTTP/1.1"),
            format!("GET {origin}/v3/credit-repayment/partner/contracts/C1 HTTP/1.1"),
        ]
    );
    // Each one reached the sandbox once, with a signature it accepted.
    let received = sandbox.received();
    assert_eq!(received.len(), 4);
    assert!(received.iter().all(|r| r.status == 200));
}

#[tokio::test]
async fn a_given_http_client_is_the_one_that_sends() {
    let sandbox = Sandbox::start().await.unwrap();
    let proxy = ForwardProxy::start().await;
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(proxy.url()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = sandbox.client_builder().http_client(http).build().unwrap();

    let answer = client.send(&seeds::echo()).await.unwrap();
    assert_eq!(answer.echo_message, "hello wxpay");
    let origin = sandbox.base_url().trim_end_matches('/');
    assert_eq!(
        proxy.requests(),
        vec![format!("POST {origin}/v3/security/echo HTTP/1.1")]
    );
    assert_eq!(sandbox.received().len(), 1);
}

#[test]
fn proxy_and_http_client_together_are_refused() {
    let sandbox = Sandbox::start_blocking().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let result = sandbox
        .client_builder()
        .proxy("http://127.0.0.1:3128")
        .http_client(reqwest::Client::new())
        .build();
    match result {
        Err(Error::Config(e)) => assert_eq!(
            e,
            ConfigError::Unsupported(
                "proxy and http_client cannot be combined: set the proxy on your client"
            )
        ),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn an_unusable_proxy_is_a_config_error_that_quotes_no_password() {
    let sandbox = Sandbox::start_blocking().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let builder = sandbox
        .client_builder()
        .proxy("http://user:hunter2@proxy.invalid:99999");
    assert!(!format!("{builder:?}").contains("hunter2"));
    match builder.build() {
        Err(Error::Config(e)) => {
            assert_eq!(e, ConfigError::InvalidProxy("(not a URL)".into()));
            assert_eq!(
                e.to_string(),
                "proxy \"(not a URL)\" is not a usable proxy URL"
            );
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
    // A usable one with a password: the password is in no Debug output.
    let builder = sandbox
        .client_builder()
        .proxy("http://user:hunter2@127.0.0.1:3128");
    let debug = format!("{builder:?}");
    assert!(
        debug.contains("proxy: Some(\"http://127.0.0.1:3128\")"),
        "{debug}"
    );
    assert!(!debug.contains("hunter2"), "{debug}");
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains("hunter2"));
}

#[tokio::test]
async fn a_redirect_is_an_error_and_is_not_followed() {
    let sandbox = Sandbox::start().await.unwrap();
    let elsewhere = Elsewhere::start().await;
    for status in [301, 302, 303, 307, 308] {
        redirect_echo(&sandbox, status, &elsewhere.url("v3/security/echo"));
        // The SDK's own client, and a given client built as documented.
        let own = sandbox.client();
        let given = sandbox
            .client_builder()
            .http_client(
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        for client in [own, given] {
            match client.send(&seeds::echo()).await {
                Err(Error::Transport(e)) => {
                    assert_eq!(e, TransportError::Redirect { status });
                    assert_eq!(
                        e.to_string(),
                        format!("answered with a redirect (HTTP {status}), which is not followed")
                    );
                }
                other => panic!("expected a redirect error, got {other:?}"),
            }
        }
    }
    assert_eq!(elsewhere.hits(), 0);
    // A redirect is not retried either, even for a GET with retries on.
    sandbox.clear_received();
    sandbox.respond(
        "GET",
        "v3/credit-repayment/partner/contracts/{out_contract_code}",
        Answer::raw(302, "text/plain", "moved")
            .with_header("Location", elsewhere.url("x"))
            .unsigned(),
    );
    let client = sandbox.client_builder().retries(2).build().unwrap();
    let result = client
        .send(&seeds::QueryContract {
            out_contract_code: "C1".into(),
            sub_mchid: None,
        })
        .await;
    assert!(matches!(
        result,
        Err(Error::Transport(TransportError::Redirect { status: 302 }))
    ));
    assert_eq!(sandbox.received().len(), 1);
    assert_eq!(elsewhere.hits(), 0);
}

#[tokio::test]
async fn a_given_client_that_follows_redirects_loses_the_signature_and_the_answer() {
    let sandbox = Sandbox::start().await.unwrap();
    let elsewhere = Elsewhere::start().await;
    redirect_echo(&sandbox, 307, &elsewhere.url("v3/security/echo"));
    // reqwest's default policy follows up to 10 redirects: wxpay cannot stop it, but reqwest
    // drops `Authorization` when the redirect leaves the host, and wxpay refuses the answer.
    let client = sandbox
        .client_builder()
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    match client.send(&seeds::echo()).await {
        Err(Error::Transport(e)) => assert_eq!(e, TransportError::RedirectFollowed),
        other => panic!("expected RedirectFollowed, got {other:?}"),
    }
    let hits = elsewhere.hits.lock().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].start, "POST /v3/security/echo HTTP/1.1");
    assert_eq!(hits[0].header("authorization"), None);
}

#[tokio::test]
async fn size_limit_and_timeout_hold_with_a_given_client() {
    let sandbox = Sandbox::start().await.unwrap();
    let given = || {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    };
    let client = sandbox
        .client_builder()
        .http_client(given())
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap();
    sandbox.fault(Fault::Oversized(64 * 1024));
    assert!(matches!(
        client.send(&seeds::echo()).await,
        Err(Error::Transport(TransportError::BodyTooLarge {
            limit: 16384
        }))
    ));
    // The next answer is a normal one, under the limit.
    client.send(&seeds::echo()).await.unwrap();

    let client = sandbox
        .client_builder()
        .http_client(given())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    sandbox.fault(Fault::Delay(Duration::from_secs(3)));
    assert!(matches!(
        client.send(&seeds::echo()).await,
        Err(Error::Transport(TransportError::Timeout))
    ));
}
