//! A local WeChat Pay APIv3 server, for tests and examples of
//! [wxpay](https://docs.rs/wxpay) and of clients in any language.
//!
//! [`Sandbox::start`] binds `127.0.0.1` on a free port with fresh keys: a merchant key pair
//! and API certificate, a WeChat Pay public key `PUB_KEY_ID_…`, a platform certificate, an
//! APIv3 key and a merchant id. It then behaves like WeChat Pay:
//!
//! - every request's `Authorization` is checked (scheme, `mchid`, `serial_no`, a timestamp
//!   within five minutes, the RSA signature over `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, the
//!   multipart `meta` for uploads): otherwise `401 {"code":"SIGN_ERROR"}`;
//! - every string value that is base64 of exactly 256 bytes (in the body, at any depth, in
//!   JSON text held in a string, in the query) is taken as an encrypted field: the request
//!   needs a `Wechatpay-Serial` naming a WeChat Pay key of the merchant and the value must
//!   decrypt with that key; otherwise `400 {"code":"PARAM_ERROR"}`;
//! - 2xx answers are signed (`Wechatpay-Timestamp`, `-Nonce`, `-Serial`, `-Signature`,
//!   `-Signature-Type`) with the key the request's `Wechatpay-Serial` names, else with the
//!   public key; error answers are not signed; every answer has a `Request-ID`;
//! - routes answer what [`Sandbox::respond`] scripted, else: `POST v3/security/echo` echoes
//!   (`encrypted_echo_message` re-encrypted under the merchant key), the presign endpoints of
//!   `credit-repayment` and `eduschoolpay` answer a `presign_token` or `redirect_url`,
//!   uploads (multipart: the signature covers the `meta` part, whose `sha256` or
//!   `file_digest` must be the file's SHA-256, and an SM3 `digest` its SM3) answer a
//!   `media_id` (or a `media_url`, a receipt, a `file_id`, a `fapiao_media_id`, as documented),
//!   `GET v3/certificates` serves the platform certificates (encrypted with the APIv3 key,
//!   associated data `certificate`), `GET v3/bill/tradebill` and `v3/bill/fundflowbill`
//!   answer a `download_url` on the sandbox whose unsigned CSV (gzip on request) matches
//!   their `hash_value` ([`Sandbox::set_bills`] sets size and faults), anything else
//!   `200 {}`;
//! - payments have state: orders (`POST v3/pay/transactions/{jsapi,app,h5,native}` and the
//!   service-provider `v3/pay/partner/transactions/…`), their queries and closing, refunds
//!   and their queries answer as WeChat Pay does, with its states and error codes;
//!   [`Sandbox::pay`] plays the payer, and the `TRANSACTION.SUCCESS` and `REFUND.SUCCESS`
//!   notifications are delivered to the `notify_url`s and retried on WeChat Pay's schedule,
//!   compressed ([`SandboxBuilder::notify_speedup`]); [`Sandbox::notifications`] shows every
//!   attempt. Notifications go only to loopback addresses unless
//!   [`SandboxBuilder::allow_notify_host`] says otherwise.
//!
//! [`Sandbox::rotate_platform_certificate`] issues a new platform certificate (and
//! [`Sandbox::sign_with`] makes it sign every answer, as WeChat Pay does once it switches);
//! [`Sandbox::received`] shows each request with its encrypted fields decrypted;
//! [`Sandbox::fault`] makes the next answers tampered, stale, unknown, failing, slow,
//! oversized, cut short or dropped ([`Sandbox::fault_with`] chooses per request); [`Sandbox::notify`] sends signed, encrypted notifications.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), wxpay::Error> {
//! use wxpay_sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client(); // a wxpay::Client wired to the sandbox
//! assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
//!
//! sandbox.respond(
//!     "GET",
//!     "v3/pay/transactions/out-trade-no/{out_trade_no}",
//!     serde_json::json!({"trade_state": "SUCCESS"}),
//! );
//! sandbox.fault(Fault::TamperBody); // the next answer fails verification
//!
//! // A notification, to hand to client.parse_notification or to POST to a URL:
//! let note = sandbox.notification("TRANSACTION.SUCCESS", serde_json::json!({"out_trade_no": "1"}))?;
//! let parsed: wxpay::Notification<serde_json::Value> =
//!     client.parse_notification(&note.headers, &note.body)?;
//! assert_eq!(parsed.resource["out_trade_no"], "1");
//! # Ok(())
//! # }
//! ```
//!
//! The binary `wxpay-sandbox --listen 127.0.0.1:8080 --keys DIR` writes `DIR/config.json` and
//! the PEM files and serves the same API, plus control routes under `/_sandbox/` (see
//! [`Sandbox::write_keys`], the binary's `--help` and the README, which gives their JSON) and
//! a page, `GET /_sandbox/`, that shows orders, refunds, notifications and requests and pays
//! orders with a button.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The modules, in order: each uses only those before it (`grep -n "use crate::" src/*.rs`).
//   time, keygen, fault, bill: clock, randomness, faults, bill files;
//   keys, received, answer: keys and `KeyMode`, requests received, answers (`param_error`);
//   multipart, check, signing, control: uploads, authentication, signatures of answers, the
//   control routes' JSON bodies;
//   ledger, deliveries: the records of orders and refunds (`Ledger`) and of notification
//   deliveries (`Deliveries`, `DeliveryConfig`), plain data (`ledger` uses only `time`,
//   `deliveries` no module of the crate);
//   state: the mutable script, `Shared`, and its `Lifecycle` (the locks around the ledger,
//   the deliveries and their config, the runtime handle, the `Weak<Shared>` behind
//   `Shared::arc`);
//   notify, delivery, payments: notifications, sending and retrying deliveries, the payment
//   routes and the payer, all working on a `Shared`;
//   routes, files, page, server: default answers and bill queries, `config.json` and the PEM
//   files, the payment control routes and the page, HTTP.
mod answer;
mod bill;
mod check;
mod control;
mod deliveries;
mod delivery;
mod fault;
mod files;
mod keygen;
mod keys;
mod ledger;
mod multipart;
mod notify;
mod page;
mod payments;
mod received;
mod routes;
mod server;
mod signing;
mod state;
mod time;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::oneshot;

pub use answer::Answer;
pub use bill::{BillFault, BillKind, BillSpec};
pub use deliveries::{Delivery, DeliveryAttempt, DeliveryState};
pub use delivery::WECHATPAY_RETRY_SCHEDULE;
pub use fault::{Fault, FaultRequest};
pub use keys::KeyMode;
pub use notify::{NotifyOutcome, SignedNotification};
pub use received::Received;
/// The error type of the sandbox: `wxpay::Error` (a failure to listen is a
/// [`TransportError::Connect`](wxpay::TransportError::Connect)).
pub use wxpay::Error;

use answer::Route;
use keys::{Identity, PLATFORM_LIFETIME};
use state::Shared;

/// A running sandbox. Dropping it stops the server (open connections are closed).
///
/// The server runs on its own threads and runtime (one thread per core by default, see
/// [`SandboxBuilder::workers`]), so a sandbox works under any tokio runtime flavor, and
/// without one through [`Sandbox::start_blocking`].
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    workers: usize,
    _stop: oneshot::Sender<()>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.shared.base_url)
            .field("mchid", &self.shared.identity.mchid)
            .field("merchant_serial", &self.shared.identity.merchant_serial)
            .field(
                "wechatpay_public_key_id",
                &self.shared.identity.wechatpay.id,
            )
            .finish_non_exhaustive()
    }
}

/// Options for a sandbox: [`Sandbox::builder`].
#[derive(Debug, Clone, Default)]
pub struct SandboxBuilder {
    listen: Option<String>,
    mchid: Option<String>,
    mode: KeyMode,
    delivery: deliveries::DeliveryConfig,
    workers: Option<usize>,
}

impl SandboxBuilder {
    /// The number of threads that answer requests (default: the number of cores the process
    /// may use). Each request's RSA work (verifying its signature, decrypting its encrypted
    /// fields, signing the answer) runs on one of them, so requests on different connections
    /// are answered in parallel. At least 1.
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = Some(workers.max(1));
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn listen(mut self, addr: impl Into<String>) -> Self {
        self.listen = Some(addr.into());
        self
    }

    /// The merchant id (default: ten random digits starting with `19`).
    pub fn mchid(mut self, mchid: impl Into<String>) -> Self {
        self.mchid = Some(mchid.into());
        self
    }

    /// The key mode to start in (default [`KeyMode::Both`]).
    pub fn key_mode(mut self, mode: KeyMode) -> Self {
        self.mode = mode;
        self
    }

    /// Divides every wait of WeChat Pay's notification retry schedule
    /// ([`WECHATPAY_RETRY_SCHEDULE`]: 15 s, 15 s, 30 s, 3 min, … 6 h) by `speedup` (default
    /// 100: the first retry 150 ms after the first attempt, all sixteen attempts within
    /// 15 minutes; 1: the real schedule). A refund succeeds after 15 s divided likewise.
    pub fn notify_speedup(mut self, speedup: u32) -> Self {
        self.delivery.speedup = speedup.max(1);
        self
    }

    /// How long a delivery attempt waits for the merchant's answer before it counts as
    /// failed (default 5 s, as WeChat Pay).
    pub fn notify_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.delivery.timeout = timeout;
        self
    }

    /// Lets notifications go to `host` too (`*`: any host). By default the sandbox sends
    /// them only to loopback addresses (`127.0.0.0/8`, `::1`, `localhost`) and records any
    /// other `notify_url` as refused.
    pub fn allow_notify_host(mut self, host: impl Into<String>) -> Self {
        self.delivery.allowed_hosts.push(host.into());
        self
    }

    /// Generates the keys, binds and starts serving.
    pub async fn start(self) -> Result<Sandbox, Error> {
        let (ready, started) = oneshot::channel();
        self.spawn(ready)?;
        started.await.unwrap_or_else(|_| Err(thread_stopped()))
    }

    /// [`start`](Self::start) for code without an async runtime (tests of
    /// `wxpay::blocking::Client`). Must not be called from inside an async runtime.
    pub fn start_blocking(self) -> Result<Sandbox, Error> {
        let (ready, started) = oneshot::channel();
        self.spawn(ready)?;
        started
            .blocking_recv()
            .unwrap_or_else(|_| Err(thread_stopped()))
    }

    fn spawn(self, ready: oneshot::Sender<Result<Sandbox, Error>>) -> Result<(), Error> {
        std::thread::Builder::new()
            .name("wxpay-sandbox".into())
            .spawn(move || self.run(ready))
            .map(drop)
            .map_err(|e| other(format!("cannot start the sandbox thread: {e}")))
    }

    /// The sandbox thread: binds, generates keys, reports, then serves until stopped.
    fn run(self, ready: oneshot::Sender<Result<Sandbox, Error>>) {
        let fail = |ready: oneshot::Sender<Result<Sandbox, Error>>, e: Error| {
            let _ = ready.send(Err(e));
        };
        let listen = self.listen.as_deref().unwrap_or("127.0.0.1:0");
        let listener = match bind(listen) {
            Ok(l) => l,
            Err(e) => return fail(ready, e),
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => return fail(ready, other(format!("cannot read the bound address: {e}"))),
        };
        let (identity, platform) = match Identity::generate(self.mchid) {
            Ok(keys) => keys,
            Err(e) => return fail(ready, e),
        };
        // Listening on 0.0.0.0 or [::]: clients reach it through the loopback address.
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let base_url = format!("http://{}/", SocketAddr::new(ip, addr.port()));
        let shared = Arc::new(Shared::new(identity, platform, base_url));
        shared.state().mode = self.mode;
        shared.lifecycle.set_self(&shared);
        shared.lifecycle.set_config(self.delivery.clone());
        let workers = self.workers.unwrap_or_else(default_workers);
        // Threads named `wxpay-sandbox-N`: what a profile or /proc shows as the sandbox's.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name_fn(move || {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                format!("wxpay-sandbox-{n}")
            })
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => return fail(ready, other(format!("cannot start a runtime: {e}"))),
        };
        shared.lifecycle.set_runtime(runtime.handle().clone());
        runtime.block_on(async move {
            let listener = match tokio::net::TcpListener::from_std(listener) {
                Ok(l) => l,
                Err(e) => return fail(ready, other(format!("cannot listen: {e}"))),
            };
            let (stop, stopped) = oneshot::channel();
            let sandbox = Sandbox {
                shared: shared.clone(),
                addr,
                workers,
                _stop: stop,
            };
            if ready.send(Ok(sandbox)).is_err() {
                return;
            }
            server::serve(listener, shared, stopped).await;
        });
    }
}

/// The number of cores this process may use (1 when unknown).
fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn bind(listen: &str) -> Result<std::net::TcpListener, Error> {
    let cannot = |e: &dyn fmt::Display| {
        Error::Transport(wxpay::TransportError::Connect(format!(
            "cannot listen on {listen}: {e}"
        )))
    };
    let addrs: Vec<SocketAddr> = listen.to_socket_addrs().map_err(|e| cannot(&e))?.collect();
    let listener = std::net::TcpListener::bind(&addrs[..]).map_err(|e| cannot(&e))?;
    listener.set_nonblocking(true).map_err(|e| cannot(&e))?;
    Ok(listener)
}

fn other(message: String) -> Error {
    Error::Transport(wxpay::TransportError::Other(message))
}

fn thread_stopped() -> Error {
    other("the sandbox thread stopped before it was ready".into())
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` on a free port, with fresh keys.
    pub async fn start() -> Result<Sandbox, Error> {
        Self::builder().start().await
    }

    /// [`start`](Self::start) without an async runtime; see
    /// [`SandboxBuilder::start_blocking`].
    pub fn start_blocking() -> Result<Sandbox, Error> {
        Self::builder().start_blocking()
    }

    /// Options: listen address, merchant id, key mode, worker threads.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    // ----- Clients -----

    /// A `wxpay::Client` wired to this sandbox: its merchant id, merchant key, APIv3 key,
    /// base URL, and the WeChat Pay keys of the current [`KeyMode`] (the public key and/or
    /// the platform certificates).
    pub fn client(&self) -> wxpay::Client {
        self.client_builder()
            .build()
            .expect("the sandbox's own keys make a valid client configuration")
    }

    /// The builder behind [`client`](Self::client), to add options (timeouts, retries, a
    /// response size limit) before building.
    pub fn client_builder(&self) -> wxpay::ClientBuilder {
        self.configure(wxpay::Client::builder())
    }

    /// Fills any client builder (such as `wxpay::blocking::Client::builder()`) with this
    /// sandbox's settings, as [`client`](Self::client) uses them.
    pub fn configure<M>(&self, builder: wxpay::ClientBuilder<M>) -> wxpay::ClientBuilder<M> {
        let id = &self.shared.identity;
        let mut builder = builder
            .mchid(&id.mchid)
            .merchant_key(&id.merchant_serial, &id.merchant_private_pem)
            .apiv3_key(&id.apiv3_key)
            .base_url(&self.shared.base_url);
        let state = self.shared.state();
        if state.mode != KeyMode::CertificatesOnly {
            builder = builder.wechatpay_public_key(&id.wechatpay.id, &id.wechatpay.public_pem);
        }
        if state.mode != KeyMode::PublicKeyOnly {
            for cert in &state.platform {
                builder = builder.platform_certificate(&cert.pem);
            }
        }
        builder
    }

    // ----- Where and who -----

    /// `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The number of threads answering requests ([`SandboxBuilder::workers`]).
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// The merchant id.
    pub fn mchid(&self) -> &str {
        &self.shared.identity.mchid
    }

    /// The serial of the merchant API certificate (40 hex characters).
    pub fn merchant_serial(&self) -> &str {
        &self.shared.identity.merchant_serial
    }

    /// The merchant private key, PKCS#8 PEM (`apiclient_key.pem`).
    pub fn merchant_private_key_pem(&self) -> &str {
        &self.shared.identity.merchant_private_pem
    }

    /// The merchant public key, SPKI PEM.
    pub fn merchant_public_key_pem(&self) -> &str {
        &self.shared.identity.merchant_public_pem
    }

    /// The merchant API certificate, PEM (`apiclient_cert.pem`); its serial is
    /// [`merchant_serial`](Self::merchant_serial).
    pub fn merchant_certificate_pem(&self) -> &str {
        &self.shared.identity.merchant_cert_pem
    }

    /// The WeChat Pay public key id, `PUB_KEY_ID_…`.
    pub fn wechatpay_public_key_id(&self) -> &str {
        &self.shared.identity.wechatpay.id
    }

    /// The WeChat Pay public key, SPKI PEM (`pub_key.pem`).
    pub fn wechatpay_public_key_pem(&self) -> &str {
        &self.shared.identity.wechatpay.public_pem
    }

    /// The newest platform certificate, PEM.
    pub fn platform_certificate_pem(&self) -> String {
        self.shared.newest_certificate().pem.clone()
    }

    /// The serial of the newest platform certificate (upper-case hex).
    pub fn platform_certificate_serial(&self) -> String {
        self.shared.newest_certificate().serial.clone()
    }

    /// Every platform certificate served, oldest first, as `(serial, PEM)`.
    pub fn platform_certificates(&self) -> Vec<(String, String)> {
        self.shared
            .state()
            .platform
            .iter()
            .map(|c| (c.serial.clone(), c.pem.clone()))
            .collect()
    }

    /// The APIv3 key (32 ASCII characters).
    pub fn apiv3_key(&self) -> &str {
        &self.shared.identity.apiv3_key
    }

    // ----- Keys -----

    /// The key mode (which WeChat Pay keys the merchant has).
    pub fn key_mode(&self) -> KeyMode {
        self.shared.state().mode
    }

    /// Changes the key mode from now on. Clients built before keep their keys.
    pub fn set_key_mode(&self, mode: KeyMode) {
        self.shared.state().mode = mode;
    }

    /// Issues a new platform certificate (new key pair, new serial, valid from a minute ago
    /// for five years: the newest) and returns its serial. The old ones stay valid and
    /// served; answers the request does not pin to a key, and the certificate download, are
    /// signed with the newest one in certificate mode ([`sign_with`](Self::sign_with) pins
    /// the signer). Generates an RSA key, which takes a few tens of milliseconds.
    pub fn rotate_platform_certificate(&self) -> Result<String, Error> {
        self.shared.rotate_platform_certificate(PLATFORM_LIFETIME)
    }

    /// [`rotate_platform_certificate`](Self::rotate_platform_certificate) with a certificate
    /// valid from a minute ago until `lifetime` from now: to watch a client stop trusting a
    /// certificate once it expires. An expired certificate is no longer served by
    /// `GET v3/certificates` nor chosen to sign (unless pinned with
    /// [`sign_with`](Self::sign_with)).
    pub fn rotate_platform_certificate_valid_for(
        &self,
        lifetime: std::time::Duration,
    ) -> Result<String, Error> {
        self.shared.rotate_platform_certificate(lifetime)
    }

    /// Signs every answer and notification from now on with the WeChat Pay key of this
    /// serial or id (a platform certificate, even an expired one, or the public key),
    /// whatever the request's `Wechatpay-Serial` and the key mode; `None` goes back to the
    /// usual choice. This is how WeChat Pay behaves once it switches to a new certificate:
    /// a client that does not hold it yet must download it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wxpay::Error> {
    /// let sandbox = wxpay_sandbox::Sandbox::start().await?;
    /// let new_serial = sandbox.rotate_platform_certificate()?;
    /// sandbox.sign_with(Some(&new_serial));
    /// # Ok(()) }
    /// ```
    pub fn sign_with(&self, serial: Option<&str>) {
        self.shared.state().signer = serial.map(str::to_string);
    }

    // ----- Bills -----

    /// What `GET v3/bill/tradebill` and `GET v3/bill/fundflowbill` serve from now on
    /// (default: ten rows, no fault). The query answers a `download_url` on the sandbox
    /// (`v3/billdownload/file?token=…`, valid until the sandbox stops) and the SHA-1 of the
    /// CSV; the download serves the CSV, gzip when `tar_type=GZIP` was asked for, unsigned,
    /// generated while it is sent (a bill of any size costs the sandbox no memory). The
    /// digest of a big bill is computed at its first query, which takes about a second per
    /// 50 MB.
    ///
    /// ```
    /// use wxpay_sandbox::BillSpec;
    /// # fn f(sandbox: &wxpay_sandbox::Sandbox) {
    /// sandbox.set_bills(BillSpec::bytes(50 << 20)); // 50 MB of CSV
    /// sandbox.set_bills(BillSpec::rows(3).tampered()); // the file does not match hash_value
    /// # }
    /// ```
    pub fn set_bills(&self, spec: BillSpec) {
        self.shared.state().bills = spec;
    }

    /// The CSV a bill query for `bill_date` serves under the current [`BillSpec`], as its
    /// `hash_value` describes it (faults left out): to compare with what a client
    /// downloaded.
    pub fn bill_csv(&self, kind: BillKind, bill_date: &str) -> Vec<u8> {
        let spec = self.shared.state().bills.clone();
        bill::csv(kind, bill_date, &self.shared.identity.mchid, &spec)
    }

    /// `plaintext` encrypted the way WeChat Pay encrypts answer fields (RSA-OAEP-SHA1 under
    /// the merchant public key, base64), to put in a scripted answer.
    pub fn encrypt_for_merchant(&self, plaintext: &str) -> Result<String, Error> {
        self.shared.identity.merchant_public.encrypt(plaintext)
    }

    /// `plaintext` encrypted the way a client encrypts request fields: under the WeChat Pay
    /// public key, whose id goes into `Wechatpay-Serial`.
    pub fn encrypt_for_wechatpay(&self, plaintext: &str) -> Result<String, Error> {
        self.shared.identity.wechatpay.public.encrypt(plaintext)
    }

    /// `plaintext` encrypted under the newest platform certificate (request fields of a
    /// client in certificate mode; `Wechatpay-Serial` is
    /// [`platform_certificate_serial`](Self::platform_certificate_serial)).
    pub fn encrypt_for_platform_certificate(&self, plaintext: &str) -> Result<String, Error> {
        self.shared.newest_certificate().public.encrypt(plaintext)
    }

    // ----- Script -----

    /// Scripts the answer of `METHOD path` from now on (replacing an earlier script of the
    /// same route). `path` is relative (`v3/…`, a leading `/` is ignored) and may hold
    /// `{name}` segments that match any one segment; the query string is not matched.
    /// `answer` is a `serde_json::Value` (a signed `200`) or an [`Answer`].
    ///
    /// Requests are still checked first: a bad signature gets `401` whatever the script.
    pub fn respond(&self, method: &str, path: &str, answer: impl Into<Answer>) {
        self.shared
            .state()
            .add_route(Route::new(method, path, answer.into()));
    }

    /// Forgets every scripted answer.
    pub fn clear_responses(&self) {
        self.shared.state().routes.clear();
    }

    /// Every request received so far (control routes under `/_sandbox/` excepted), oldest
    /// first, with encrypted fields decrypted.
    pub fn received(&self) -> Vec<Received> {
        self.shared.state().received.clone()
    }

    /// The last request received.
    pub fn last_received(&self) -> Option<Received> {
        self.shared.state().received.last().cloned()
    }

    /// Forgets the received requests.
    pub fn clear_received(&self) {
        self.shared.state().received.clear();
    }

    /// The requests received since the last call (or since the start), oldest first, which
    /// the sandbox then forgets: long runs read them as they go, so that the record does not
    /// grow without bound, and none is lost or seen twice.
    pub fn take_received(&self) -> Vec<Received> {
        std::mem::take(&mut self.shared.state().received)
    }

    // ----- Faults -----

    /// Applies `fault` to the next answer only.
    ///
    /// Faults wait in a queue, first in first out; each answer to an API request (control
    /// routes excepted) takes one use of the fault at the front:
    ///
    /// ```
    /// # fn f(sandbox: &wxpay_sandbox::Sandbox) {
    /// use std::time::Duration;
    /// use wxpay_sandbox::Fault;
    /// sandbox.fault_n(Fault::ServerError, 2);             // answers 1 and 2: 500 SYSTEM_ERROR
    /// sandbox.fault(Fault::Delay(Duration::from_secs(3))); // answer 3: three seconds late
    /// // answer 4 and later: normal
    /// # }
    /// ```
    pub fn fault(&self, fault: Fault) {
        self.fault_n(fault, 1);
    }

    /// Applies `fault` to the next `times` answers.
    pub fn fault_n(&self, fault: Fault, times: usize) {
        self.shared.state().faults.push(fault, Some(times));
    }

    /// Applies `fault` to every answer from its turn on, until [`clear_faults`].
    ///
    /// [`clear_faults`]: Self::clear_faults
    pub fn fault_always(&self, fault: Fault) {
        self.shared.state().faults.push(fault, None);
    }

    /// Chooses the fault of each answer from its request, from now on: the answers no queued
    /// fault applies to get what `choose` returns (`None`: a normal answer). The choice is
    /// recorded in [`Received::fault`]. Load tests mix faults in at random this way and know
    /// which request got which:
    ///
    /// ```
    /// # fn f(sandbox: &wxpay_sandbox::Sandbox) {
    /// use wxpay_sandbox::Fault;
    /// // Every echo whose message ends in "!" gets a 500.
    /// sandbox.fault_with(|request| {
    ///     let message = request.json["echo_message"].as_str()?;
    ///     message.ends_with('!').then_some(Fault::ServerError)
    /// });
    /// # }
    /// ```
    ///
    /// `choose` runs on the sandbox's thread for every API request: keep it quick, and do not
    /// call the sandbox from it.
    pub fn fault_with(
        &self,
        choose: impl Fn(&FaultRequest<'_>) -> Option<Fault> + Send + Sync + 'static,
    ) {
        self.shared.state().fault_chooser = Some(Arc::new(choose));
    }

    /// Removes every queued fault and the chooser of [`fault_with`](Self::fault_with).
    pub fn clear_faults(&self) {
        let mut state = self.shared.state();
        state.faults.clear();
        state.fault_chooser = None;
    }

    /// How many faults are still queued.
    pub fn pending_faults(&self) -> usize {
        self.shared.state().faults.len()
    }

    // ----- Notifications -----

    /// A notification of `event_type` (such as `TRANSACTION.SUCCESS`) whose resource is
    /// `resource`, encrypted with the APIv3 key (associated data and `original_type` from the
    /// event: `transaction`, `refund`, …) and signed with the WeChat Pay key of the current
    /// mode.
    pub fn notification(
        &self,
        event_type: &str,
        resource: Value,
    ) -> Result<SignedNotification, Error> {
        notify::build(&self.shared, event_type, &resource, None)
    }

    /// [`notification`](Self::notification) with a fault: [`Fault::SignTest`] makes the
    /// `WECHATPAY/SIGNTEST/` probe WeChat Pay sends; the other signature faults and
    /// [`Fault::Oversized`] apply as to answers; the rest have no effect on notifications.
    pub fn notification_with_fault(
        &self,
        event_type: &str,
        resource: Value,
        fault: Fault,
    ) -> Result<SignedNotification, Error> {
        notify::build(&self.shared, event_type, &resource, Some(&fault))
    }

    /// Builds a [`notification`](Self::notification) and POSTs it to `url`; returns the
    /// merchant's answer (any status: check [`NotifyOutcome::is_success`]). An error means
    /// the answer could not be had at all (connection refused, five-second timeout).
    pub async fn notify(
        &self,
        url: &str,
        event_type: &str,
        resource: Value,
    ) -> Result<NotifyOutcome, Error> {
        self.notification(event_type, resource)?.send(url).await
    }

    /// [`notify`](Self::notify) with a fault, as in
    /// [`notification_with_fault`](Self::notification_with_fault).
    pub async fn notify_with_fault(
        &self,
        url: &str,
        event_type: &str,
        resource: Value,
        fault: Fault,
    ) -> Result<NotifyOutcome, Error> {
        self.notification_with_fault(event_type, resource, fault)?
            .send(url)
            .await
    }

    // ----- Payments -----

    /// Plays the payer: the unpaid order `out_trade_no` becomes `SUCCESS` (with a
    /// `transaction_id`, a `success_time` and a payer), and a signed, encrypted
    /// `TRANSACTION.SUCCESS` notification whose resource is the returned transaction is
    /// delivered to the order's `notify_url` in the background, retried until answered with
    /// a 2xx ([`notifications`](Self::notifications) shows the attempts).
    ///
    /// An unknown order is `Error::Api` `404 ORDER_NOT_EXIST`, a closed one
    /// `400 ORDER_CLOSED`, a paid one `400 ORDERPAID`. With several service-provider
    /// sub-merchants using the same `out_trade_no`, [`pay_for`](Self::pay_for) chooses.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wxpay::Error> {
    /// let sandbox = wxpay_sandbox::Sandbox::start().await?;
    /// match sandbox.pay("no-such-order") {
    ///     Err(wxpay::Error::Api { status, code, .. }) => assert_eq!((status, code.as_str()), (404, "ORDER_NOT_EXIST")),
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pay(&self, out_trade_no: &str) -> Result<wxpay::api::notify::Transaction, Error> {
        self.pay_for(None, out_trade_no)
    }

    /// [`pay`](Self::pay) for the order of this `mchid` (or `sub_mchid`).
    pub fn pay_for(
        &self,
        merchant: Option<&str>,
        out_trade_no: &str,
    ) -> Result<wxpay::api::notify::Transaction, Error> {
        payments::pay(&self.shared, out_trade_no, merchant).map_err(|(status, code, message)| {
            Error::Api {
                status,
                code: code.into(),
                message: message.into(),
                detail: None,
                request_id: None,
            }
        })
    }

    /// Every notification the sandbox sent by itself (when an order was paid, when a refund
    /// succeeded), oldest first, each with its attempts.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), wxpay::Error> {
    /// use wxpay::prelude::*;
    /// use wxpay_sandbox::{DeliveryState, Sandbox};
    ///
    /// /// Native下单 (the fields this example sends).
    /// #[wxpay_endpoint(POST, "v3/pay/transactions/native", response = serde_json::Value)]
    /// struct NativeOrder {
    ///     appid: String,
    ///     mchid: String,
    ///     description: String,
    ///     out_trade_no: String,
    ///     notify_url: String,
    ///     amount: serde_json::Value,
    /// }
    ///
    /// let sandbox = Sandbox::start().await?;
    /// let answer = sandbox
    ///     .client()
    ///     .send(&NativeOrder {
    ///         appid: "wxd678efh567hg6787".into(),
    ///         mchid: sandbox.mchid().into(),
    ///         description: "扫码".into(),
    ///         out_trade_no: "T1".into(),
    ///         notify_url: "https://shop.example.com/notify".into(),
    ///         amount: serde_json::json!({"total": 1}),
    ///     })
    ///     .await?;
    /// assert!(answer["code_url"].as_str().unwrap().starts_with("weixin://wxpay/bizpayurl?pr="));
    ///
    /// sandbox.pay("T1")?;
    /// // Notifications go only to loopback addresses: this one is recorded as refused.
    /// let delivery = &sandbox.notifications()[0];
    /// assert_eq!(delivery.event_type, "TRANSACTION.SUCCESS");
    /// assert_eq!(delivery.state, DeliveryState::Refused);
    /// # Ok(()) }
    /// ```
    pub fn notifications(&self) -> Vec<Delivery> {
        self.shared.lifecycle.deliveries().list.clone()
    }

    /// Delivers the notification `id` again (the same id, signed anew), retried on the
    /// schedule until answered with a 2xx: to check that a merchant acknowledges a
    /// notification it already handled without handling it twice. `false` when there is no
    /// such delivery, or it was refused.
    pub fn redeliver(&self, id: &str) -> bool {
        delivery::redeliver(&self.shared, id)
    }

    /// Every order, as `GET v3/pay/transactions/out-trade-no/…` answers it, plus a
    /// `sandbox` object (`kind`, `prepay_id`, `code_url`/`h5_url`, `notify_url`,
    /// `description`, `refunded`, `create_time`); what `GET /_sandbox/orders` serves.
    pub fn orders(&self) -> Vec<Value> {
        payments::orders_json(&self.shared)
    }

    /// Every refund, as `GET v3/refund/domestic/refunds/…` answers it, plus a `sandbox`
    /// object (`notify_url`); what `GET /_sandbox/refunds` serves.
    pub fn refunds(&self) -> Vec<Value> {
        payments::refunds_json(&self.shared)
    }

    // ----- Files -----

    /// The public settings as JSON, as written to `config.json`: `mchid`, `merchant_serial`,
    /// `wechatpay_public_key_id`, `platform_certificate_serial`, `apiv3_key`, `base_url`,
    /// and the names of the PEM files [`write_keys`](Self::write_keys) writes.
    pub fn config_json(&self) -> Value {
        files::config_json(&self.shared)
    }

    /// Writes the keys into `dir` (created if needed): `merchant_key.pem` (PKCS#8),
    /// `merchant_cert.pem`, `merchant_public_key.pem`, `wechatpay_public_key.pem`,
    /// `platform_cert.pem` (the newest platform certificate), then `config.json`
    /// ([`config_json`](Self::config_json)), last and atomically, so that a reader that sees
    /// `config.json` finds every file. Private key files are made readable by the owner only
    /// (on Unix).
    pub fn write_keys(&self, dir: impl AsRef<Path>) -> std::io::Result<()> {
        files::write_keys(&self.shared, dir.as_ref())
    }
}
