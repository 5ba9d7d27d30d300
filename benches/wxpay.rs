//! Benchmarks of wxpay next to the raw cost of the crypto each operation must do, measured in
//! the same process, interleaved (one batch of every case per round; a ratio is the median of
//! the per-round ratios), and timed in CPU time of the benchmark thread, so that the ratios
//! hold even on a busy machine.
//!
//! - `prepare` of the APP presign seed (2 encrypted fields) and the edu-school presign seed
//!   (5), against one RSA-2048 PKCS#1 v1.5 SHA-256 signature plus 2 (5) OAEP-SHA1
//!   encryptions, done with the backend's own primitives and with OpenSSL;
//! - verification of a signed answer (`Client::verify`, and `read_response` which also
//!   decodes it), against one RSA verification;
//! - `parse_notification`, against one RSA verification plus the AES-256-GCM decryption;
//! - `send` of the APP presign seed to the sandbox over loopback at concurrency 1, 8, 32 and
//!   64, to a sandbox with one worker thread and to one with a worker per core, in requests
//!   per second, with the CPU time of the sandbox's threads, of the client's threads, of the
//!   rest of the machine and the idle time, against the crypto the sandbox does per request
//!   (a verification, 2 OAEP decryptions, a signature);
//! - the peer SDKs (`scripts/peers/`: wechatpayv3, wechatpay-axios-plugin) preparing the same
//!   request with the same keys in their own processes, when installed in `target/peers/`
//!   (`WXPAY_BENCH_PEERS` elsewhere), each in the same rounds, timed in their process's CPU
//!   time, after one request of theirs has passed the sandbox's checks.
//!
//! `cargo bench --bench wxpay` runs it with the RSA backend of the build (the default:
//! aws-lc-rs; `--no-default-features --features client` for the `rsa` crate). The OpenSSL baseline needs libssl-dev and
//! `RUSTFLAGS="--cfg wxpay_bench_openssl"`, which `scripts/bench.sh` sets (it also writes
//! BENCHMARKS.md). Settings, from the environment: `WXPAY_BENCH_ROUNDS` (default 15),
//! `WXPAY_BENCH_BATCH_MS` (time of one batch of one case, default 60), `WXPAY_BENCH_SEND_MS`
//! (time of one send measurement, default 1500), `WXPAY_BENCH_OUT` (where the JSON results
//! go, default `target/bench-results/<backend>.json`), `WXPAY_BENCH_PROFILE=app` (or `edu`): no
//! measurement, only `prepare` of that seed in a loop for `WXPAY_BENCH_PROFILE_SECS` (default
//! 10) with keys read from the fixtures (no sandbox, no key generation), to run under
//! `perf record`.
// The cfg is set by scripts/bench.sh only; it is not declared to rustc's cfg checker.
#![allow(unexpected_cfgs)]

#[path = "../examples/common/seeds.rs"]
mod seeds;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use wxpay::Client;
use wxpay_core::backend_raw;
use wxpay_sandbox::Sandbox;

/// The plaintexts of the `#[encrypted]` fields of the seeds, as `seeds.rs` fills them.
const APP_FIELDS: [&str; 2] = ["110101199003074477", "张三"];
const EDU_FIELDS: [&str; 5] = [
    "王小明",
    "ID_CARD",
    "440301201203150011",
    "6222021234567890123",
    "13800138000",
];

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .expect("PEM from the sandbox")
}

/// CPU time of the calling thread, in seconds (wall time where there is no such clock). The
/// synchronous cases are timed with it: the time the machine's other processes take the CPU
/// away is not the operation's cost.
#[cfg(unix)]
fn thread_cpu_now() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

#[cfg(not(unix))]
fn thread_cpu_now() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// A batch of `n` operations done elsewhere (a peer SDK's process): (CPU s, wall s) in all.
type External<'a> = Box<dyn FnMut(u64) -> (f64, f64) + 'a>;

/// A synchronous case: a name and one operation (or a batch run by another process).
struct Case<'a> {
    name: &'static str,
    op: Box<dyn FnMut() + 'a>,
    external: Option<External<'a>>,
    batch: u64,
    /// CPU seconds per operation, one sample per round.
    samples: Vec<f64>,
    /// Wall seconds per operation, one sample per round.
    wall: Vec<f64>,
}

impl<'a> Case<'a> {
    fn new(name: &'static str, op: impl FnMut() + 'a) -> Self {
        Self {
            name,
            op: Box::new(op),
            external: None,
            batch: 1,
            samples: Vec::new(),
            wall: Vec::new(),
        }
    }

    /// A case timed by another process: `run(n)` does `n` operations and returns their CPU and
    /// wall time.
    fn external(name: &'static str, run: impl FnMut(u64) -> (f64, f64) + 'a) -> Self {
        let mut case = Self::new(name, || {});
        case.external = Some(Box::new(run));
        case
    }

    /// Warms up and sizes the batch so that one batch takes about `batch_time`.
    fn calibrate(&mut self, batch_time: Duration) {
        if let Some(run) = &mut self.external {
            run(8);
            let (cpu, _) = run(32);
            self.batch = ((batch_time.as_secs_f64() / (cpu / 32.0).max(1e-9)) as u64).max(1);
            return;
        }
        (self.op)();
        let start = thread_cpu_now();
        let mut n = 0u64;
        while thread_cpu_now() - start < batch_time.as_secs_f64() / 4.0 || n < 2 {
            (self.op)();
            n += 1;
        }
        let per_op = (thread_cpu_now() - start) / n as f64;
        self.batch = ((batch_time.as_secs_f64() / per_op) as u64).max(1);
    }

    fn run_batch(&mut self) {
        if let Some(run) = &mut self.external {
            let (cpu, wall) = run(self.batch);
            let n = self.batch as f64;
            self.samples.push(cpu / n);
            self.wall.push(wall / n);
            return;
        }
        let (wall, cpu) = (Instant::now(), thread_cpu_now());
        for _ in 0..self.batch {
            (self.op)();
        }
        let n = self.batch as f64;
        self.samples.push((thread_cpu_now() - cpu) / n);
        self.wall.push(wall.elapsed().as_secs_f64() / n);
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Per-thread CPU time and time spent waiting for a CPU (ns) from /proc, summed by thread
/// name.
fn thread_cpu() -> BTreeMap<String, (u64, u64)> {
    let mut out = BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for task in tasks.flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let stat = std::fs::read_to_string(path.join("schedstat")).unwrap_or_default();
        let mut fields = stat
            .split_whitespace()
            .map(|v| v.parse::<u64>().unwrap_or(0));
        let (cpu, wait) = (fields.next().unwrap_or(0), fields.next().unwrap_or(0));
        let entry = out.entry(name.trim().to_string()).or_insert((0, 0));
        entry.0 += cpu;
        entry.1 += wait;
    }
    out
}

/// (CPU ns, waiting ns) of the threads whose name starts with `prefix`.
fn cpu_of(snapshot: &BTreeMap<String, (u64, u64)>, prefix: &str) -> (f64, f64) {
    snapshot
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .fold((0.0, 0.0), |(c, w), (_, v)| {
            (c + v.0 as f64, w + v.1 as f64)
        })
}

/// One measurement of `send` at a concurrency: requests per second and CPU per request.
#[derive(Clone)]
struct SendSample {
    /// Cores' worth of CPU (CPU s / wall s) used by the sandbox's threads, the client's
    /// threads, everything else on the machine, and left idle.
    sandbox_cores: f64,
    client_cores: f64,
    other_cores: f64,
    idle_cores: f64,
    rps: f64,
    mean_latency_s: f64,
    sandbox_busy: f64,
    sandbox_runnable: f64,
    sandbox_cpu_per_req_s: f64,
    client_cpu_per_req_s: f64,
}

/// Machine-wide (busy, idle) CPU seconds since boot, from /proc/stat.
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is within user).
    let ticks = 100.0; // USER_HZ
    let idle = fields.get(3).copied().unwrap_or(0.0) + fields.get(4).copied().unwrap_or(0.0);
    let total: f64 = fields.iter().take(8).sum();
    ((total - idle) / ticks, idle / ticks)
}

fn measure_send(
    rt: &tokio::runtime::Runtime,
    client: &Client,
    concurrency: usize,
    window: Duration,
) -> SendSample {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let latency_ns = Arc::new(AtomicU64::new(0));
    let request = Arc::new(seeds::app_presign());
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, stop, count, latency_ns, request) = (
                client.clone(),
                stop.clone(),
                count.clone(),
                latency_ns.clone(),
                request.clone(),
            );
            rt.spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let answer = client.send(&*request).await.expect("send to the sandbox");
                    black_box(answer);
                    latency_ns.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Warm-up: connections opened, pool filled.
    std::thread::sleep(Duration::from_millis(300));
    let (c0, l0, cpu0, m0, t0) = (
        count.load(Ordering::Relaxed),
        latency_ns.load(Ordering::Relaxed),
        thread_cpu(),
        machine_cpu(),
        Instant::now(),
    );
    std::thread::sleep(window);
    let (c1, l1, cpu1, m1, elapsed) = (
        count.load(Ordering::Relaxed),
        latency_ns.load(Ordering::Relaxed),
        thread_cpu(),
        machine_cpu(),
        t0.elapsed(),
    );
    stop.store(true, Ordering::Relaxed);
    rt.block_on(async {
        for task in tasks {
            task.await.expect("send task");
        }
    });
    let n = (c1 - c0).max(1) as f64;
    let ((s1, sw1), (s0, sw0)) = (
        cpu_of(&cpu1, "wxpay-sandbox"),
        cpu_of(&cpu0, "wxpay-sandbox"),
    );
    let (sandbox_ns, sandbox_wait_ns) = (s1 - s0, sw1 - sw0);
    let client_ns = cpu_of(&cpu1, "bench-client").0 - cpu_of(&cpu0, "bench-client").0;
    let wall = elapsed.as_secs_f64();
    let (busy, idle) = (m1.0 - m0.0, m1.1 - m0.1);
    SendSample {
        sandbox_cores: sandbox_ns / 1e9 / wall,
        client_cores: client_ns / 1e9 / wall,
        other_cores: (busy - (sandbox_ns + client_ns) / 1e9).max(0.0) / wall,
        idle_cores: idle / wall,
        rps: n / wall,
        mean_latency_s: (l1 - l0) as f64 / 1e9 / n,
        sandbox_busy: sandbox_ns / 1e9 / wall,
        sandbox_runnable: (sandbox_ns + sandbox_wait_ns) / 1e9 / wall,
        sandbox_cpu_per_req_s: sandbox_ns / 1e9 / n,
        client_cpu_per_req_s: client_ns / 1e9 / n,
    }
}

/// A peer SDK doing `prepare` of the APP presign seed in its own process
/// (`scripts/peers/`, installed into `target/peers/` by `scripts/bench.sh`).
struct Peer {
    name: &'static str,
    child: std::process::Child,
    /// `None` once closed, which ends the peer.
    stdin: Option<std::process::ChildStdin>,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Peer {
    /// Starts a peer, or says why it cannot run.
    fn start(name: &'static str, keys: &std::path::Path) -> Result<Peer, String> {
        let root = env!("CARGO_MANIFEST_DIR");
        let dir =
            std::env::var("WXPAY_BENCH_PEERS").unwrap_or_else(|_| format!("{root}/target/peers"));
        let mut command = match name {
            "wechatpayv3" => {
                let python = format!("{dir}/py/bin/python");
                if !std::path::Path::new(&python).exists() {
                    return Err(format!("not installed ({python} missing)"));
                }
                let mut c = std::process::Command::new(python);
                c.arg(format!("{root}/scripts/peers/wechatpayv3_prepare.py"));
                c
            }
            _ => {
                let modules = format!("{dir}/node/node_modules");
                if !std::path::Path::new(&format!("{modules}/wechatpay-axios-plugin")).exists() {
                    return Err(format!(
                        "not installed ({modules}/wechatpay-axios-plugin missing)"
                    ));
                }
                let mut c = std::process::Command::new("node");
                c.arg(format!("{root}/scripts/peers/axios_plugin_prepare.js"))
                    .env("NODE_PATH", modules);
                c
            }
        };
        let mut child = command
            .arg(keys)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start: {e}"))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
        Ok(Peer {
            name,
            child,
            stdin: Some(stdin),
            stdout,
        })
    }

    fn ask(&mut self, command: &str) -> Result<String, String> {
        use std::io::{BufRead, Write};
        let stdin = self.stdin.as_mut().ok_or("the peer was stopped")?;
        writeln!(stdin, "{command}").map_err(|e| format!("{}: {e}", self.name))?;
        stdin.flush().map_err(|e| format!("{}: {e}", self.name))?;
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(n) if n > 0 => Ok(line),
            _ => Err(format!("{} stopped answering", self.name)),
        }
    }

    /// `n` prepares: (CPU s, wall s) of the batch.
    fn run(&mut self, n: u64) -> (f64, f64) {
        let line = self.ask(&format!("RUN {n}")).expect("peer batch");
        let mut v = line
            .split_whitespace()
            .map(|x| x.parse::<f64>().expect("seconds"));
        (v.next().expect("cpu"), v.next().expect("wall"))
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        // QUIT, then the end of its stdin: either ends the peer.
        if let Some(mut stdin) = self.stdin.take() {
            use std::io::Write;
            let _ = writeln!(stdin, "QUIT");
        }
        let _ = self.child.wait();
    }
}

/// Sends one request the peer prepared to the sandbox: it must pass the sandbox's signature
/// check and its encrypted fields must decrypt to the seed's, or the peer is not doing the
/// same work.
fn cross_check(
    rt: &tokio::runtime::Runtime,
    sandbox: &Sandbox,
    peer: &mut Peer,
) -> Result<(), String> {
    let sample: Value = serde_json::from_str(&peer.ask("SAMPLE")?)
        .map_err(|e| format!("{}: SAMPLE is not JSON: {e}", peer.name))?;
    let url = format!(
        "{}{}",
        sandbox.base_url().trim_end_matches('/'),
        sample["path"].as_str().unwrap_or_default()
    );
    let mut request = wxpay::reqwest::Client::new()
        .post(url)
        .body(sample["body"].as_str().unwrap_or_default().to_string());
    for (name, value) in sample["headers"].as_object().into_iter().flatten() {
        request = request.header(name.as_str(), value.as_str().unwrap_or_default());
    }
    sandbox.clear_received();
    let status = rt
        .block_on(request.send())
        .map_err(|e| format!("{}: {e}", peer.name))?
        .status();
    let received = sandbox.received();
    sandbox.clear_received();
    let (fields, identity) = received
        .last()
        .map(|r| (r.encrypted.clone(), r.json["real_identity"].clone()))
        .unwrap_or_default();
    if status != 200
        || fields != ["real_identity.identity_id", "real_identity.real_name"]
        || identity["identity_id"] != APP_FIELDS[0]
        || identity["real_name"] != APP_FIELDS[1]
    {
        return Err(format!(
            "{}: the sandbox answered {status}, found encrypted fields {fields:?}",
            peer.name
        ));
    }
    Ok(())
}

#[cfg(wxpay_bench_openssl)]
mod ossl {
    //! The OpenSSL baseline: the same operations through the `openssl` crate.
    use openssl::encrypt::{Decrypter, Encrypter};
    use openssl::hash::MessageDigest;
    use openssl::pkey::{PKey, Private, Public};
    use openssl::rsa::Padding;
    use openssl::sign::{Signer, Verifier};
    use openssl::symm::{Cipher, decrypt_aead};

    pub fn version() -> Option<String> {
        Some(openssl::version::version().to_string())
    }

    pub struct Keys {
        pub private: PKey<Private>,
        pub public: PKey<Public>,
    }

    pub fn private(pem: &str) -> PKey<Private> {
        PKey::private_key_from_pem(pem.as_bytes()).expect("private key")
    }

    pub fn public(pem: &str) -> PKey<Public> {
        PKey::public_key_from_pem(pem.as_bytes()).expect("public key")
    }

    pub fn sign(key: &PKey<Private>, message: &[u8]) -> Vec<u8> {
        let mut signer = Signer::new(MessageDigest::sha256(), key).expect("signer");
        signer.set_rsa_padding(Padding::PKCS1).expect("padding");
        signer.sign_oneshot_to_vec(message).expect("sign")
    }

    pub fn verify(key: &PKey<Public>, message: &[u8], signature: &[u8]) -> bool {
        let mut verifier = Verifier::new(MessageDigest::sha256(), key).expect("verifier");
        verifier.set_rsa_padding(Padding::PKCS1).expect("padding");
        verifier.verify_oneshot(signature, message).unwrap_or(false)
    }

    pub fn encrypt(key: &PKey<Public>, plaintext: &[u8]) -> Vec<u8> {
        let mut e = Encrypter::new(key).expect("encrypter");
        e.set_rsa_padding(Padding::PKCS1_OAEP).expect("padding");
        e.set_rsa_oaep_md(MessageDigest::sha1()).expect("md");
        e.set_rsa_mgf1_md(MessageDigest::sha1()).expect("mgf1");
        let mut out = vec![0u8; e.encrypt_len(plaintext).expect("len")];
        let n = e.encrypt(plaintext, &mut out).expect("encrypt");
        out.truncate(n);
        out
    }

    pub fn decrypt(key: &PKey<Private>, ciphertext: &[u8]) -> Vec<u8> {
        let mut d = Decrypter::new(key).expect("decrypter");
        d.set_rsa_padding(Padding::PKCS1_OAEP).expect("padding");
        d.set_rsa_oaep_md(MessageDigest::sha1()).expect("md");
        d.set_rsa_mgf1_md(MessageDigest::sha1()).expect("mgf1");
        let mut out = vec![0u8; d.decrypt_len(ciphertext).expect("len")];
        let n = d.decrypt(ciphertext, &mut out).expect("decrypt");
        out.truncate(n);
        out
    }

    pub fn aes_gcm_decrypt(key: &[u8], nonce: &[u8], aad: &[u8], data: &[u8]) -> Vec<u8> {
        let (ciphertext, tag) = data.split_at(data.len() - 16);
        decrypt_aead(
            Cipher::aes_256_gcm(),
            key,
            Some(nonce),
            aad,
            ciphertext,
            tag,
        )
        .expect("AES-GCM")
    }
}

#[cfg(not(wxpay_bench_openssl))]
mod ossl {
    pub fn version() -> Option<String> {
        None
    }
}

/// A signed answer of the sandbox to the APP presign seed, fetched fresh (within the 300 s
/// allowed by verification).
struct SignedAnswer {
    status: u16,
    headers: wxpay::http::HeaderMap,
    body: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

fn signed_answer(rt: &tokio::runtime::Runtime, client: &Client) -> SignedAnswer {
    let prepared = client.prepare(&seeds::app_presign()).expect("prepare");
    let (status, headers, body) = rt
        .block_on(client.execute_prepared(&prepared))
        .expect("the sandbox answers");
    assert_eq!(status, 200);
    let header = |name: &str| headers[name].to_str().expect("ASCII header").to_string();
    let message = wxpay_core::sign::response_message(
        &header("Wechatpay-Timestamp"),
        &header("Wechatpay-Nonce"),
        &body,
    );
    let signature = base64::engine::general_purpose::STANDARD
        .decode(header("Wechatpay-Signature"))
        .expect("base64 signature");
    SignedAnswer {
        status,
        headers,
        body,
        message,
        signature,
    }
}

/// `prepare` of one seed in a loop, for a profiler: the keys come from the fixtures, so that
/// nothing else (the sandbox's key generation) shows in the profile.
fn profile(seed: &str, seconds: u64) {
    let fixture = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/wxpay-core/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    };
    let client = Client::builder()
        .mchid("1900000001")
        .merchant_key(
            "3775B6A45ACD588826FF1B4B3F1C8E7A2B1D0C9E",
            fixture("merchant_key.pem"),
        )
        .wechatpay_public_key(
            "PUB_KEY_ID_0114232134912410000000000000",
            fixture("wechatpay_public_key.pem"),
        )
        .build()
        .expect("client");
    let (app, edu) = (seeds::app_presign(), seeds::edu_presign());
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(seconds) {
        match seed {
            "edu" => black_box(client.prepare(&edu).unwrap()),
            _ => black_box(client.prepare(&app).unwrap()),
        };
        n += 1;
    }
    eprintln!(
        "profile: {n} prepare of the {seed} seed, {:.1} µs each ({})",
        start.elapsed().as_secs_f64() * 1e6 / n as f64,
        wxpay_core::backend_name()
    );
}

fn main() {
    let rounds = env_u64("WXPAY_BENCH_ROUNDS", 15) as usize;
    let batch_time = Duration::from_millis(env_u64("WXPAY_BENCH_BATCH_MS", 60));
    let send_window = Duration::from_millis(env_u64("WXPAY_BENCH_SEND_MS", 1500));
    if let Ok(seed) = std::env::var("WXPAY_BENCH_PROFILE") {
        return profile(&seed, env_u64("WXPAY_BENCH_PROFILE_SECS", 10));
    }
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let backend = wxpay_core::backend_name();
    let openssl = ossl::version();
    eprintln!(
        "wxpay benchmarks: backend {backend}, OpenSSL baseline: {}",
        openssl.as_deref().unwrap_or("off")
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-client")
        .enable_all()
        .build()
        .expect("runtime");
    // One worker thread per core (the default), and a second sandbox with one worker: the
    // scaling figures compare the two in each round.
    let sandbox = rt.block_on(Sandbox::start()).expect("sandbox");
    let client = {
        let _guard = rt.enter();
        sandbox.client()
    };
    let sandbox_1 = rt
        .block_on(Sandbox::builder().workers(1).start())
        .expect("sandbox with one worker");
    let client_1 = {
        let _guard = rt.enter();
        sandbox_1.client()
    };
    let workers = sandbox.workers();

    // --- Keys and inputs of the raw cases ---
    let merchant_private_der = pem_der(sandbox.merchant_private_key_pem());
    let wechatpay_public_der = pem_der(sandbox.wechatpay_public_key_pem());
    let merchant_private =
        backend_raw::PrivateKey::from_pkcs8_der(&merchant_private_der).expect("merchant key");
    let merchant_public = merchant_private.public_key();
    let wechatpay_public =
        backend_raw::PublicKey::from_spki_der(&wechatpay_public_der).expect("WeChat Pay key");
    // The exact messages `prepare` signs (timestamp and nonce aside, which do not change the
    // cost).
    let request_message = |prepared: wxpay::PreparedRequest| {
        wxpay_core::sign::request_message(
            prepared.method(),
            prepared.canonical_url(),
            1_700_000_000,
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            prepared.body(),
        )
    };
    let app_message = request_message(client.prepare(&seeds::app_presign()).unwrap());
    let edu_message = request_message(client.prepare(&seeds::edu_presign()).unwrap());
    let ciphertext = merchant_public
        .oaep_sha1_encrypt(APP_FIELDS[0].as_bytes())
        .unwrap();
    let app_seed = seeds::app_presign();
    let edu_seed = seeds::edu_presign();

    // Inputs that must stay within 300 s of now: refreshed every round.
    let answer = std::cell::RefCell::new(signed_answer(&rt, &client));
    let notification = std::cell::RefCell::new(
        sandbox
            .notification(
                "TRANSACTION.SUCCESS",
                json!({"out_trade_no": "bench_0001", "amount": {"total": 100}}),
            )
            .expect("notification"),
    );
    let apiv3_key = wxpay_core::ApiV3Key::new(sandbox.apiv3_key()).unwrap();
    let resource_of = |body: &[u8]| -> wxpay_core::EncryptedResource {
        let v: Value = serde_json::from_slice(body).unwrap();
        serde_json::from_value(v["resource"].clone()).unwrap()
    };

    #[cfg(wxpay_bench_openssl)]
    let ossl_keys = ossl::Keys {
        private: ossl::private(sandbox.merchant_private_key_pem()),
        public: ossl::public(sandbox.wechatpay_public_key_pem()),
    };
    #[cfg(wxpay_bench_openssl)]
    let ossl_merchant_public = ossl::public(sandbox.merchant_public_key_pem());

    let mut cases: Vec<Case> = vec![
        // The backend's own primitives.
        Case::new("raw.sign", || {
            black_box(merchant_private.sign_sha256(&app_message).unwrap());
        }),
        Case::new("raw.encrypt", || {
            black_box(wechatpay_public.oaep_sha1_encrypt(APP_FIELDS[0].as_bytes()));
        }),
        Case::new("raw.verify", || {
            let a = answer.borrow();
            assert!(wechatpay_public.verify_sha256(&a.message, &a.signature));
        }),
        Case::new("raw.decrypt", || {
            black_box(merchant_private.oaep_sha1_decrypt(&ciphertext).unwrap());
        }),
        Case::new("raw.prepare_app", || {
            black_box(merchant_private.sign_sha256(&app_message).unwrap());
            for field in APP_FIELDS {
                black_box(
                    wechatpay_public
                        .oaep_sha1_encrypt(field.as_bytes())
                        .unwrap(),
                );
            }
        }),
        Case::new("raw.prepare_edu", || {
            black_box(merchant_private.sign_sha256(&edu_message).unwrap());
            for field in EDU_FIELDS {
                black_box(
                    wechatpay_public
                        .oaep_sha1_encrypt(field.as_bytes())
                        .unwrap(),
                );
            }
        }),
        Case::new("raw.notification", || {
            let n = notification.borrow();
            let h = wxpay_core::verify::SignatureHeaders::from_headers(&n.headers).unwrap();
            let message = wxpay_core::sign::response_message(h.timestamp, h.nonce, &n.body);
            let signature = base64::engine::general_purpose::STANDARD
                .decode(h.signature)
                .unwrap();
            assert!(wechatpay_public.verify_sha256(&message, &signature));
            let r = resource_of(&n.body);
            black_box(r.decrypt(&apiv3_key).unwrap());
        }),
        // The SDK.
        Case::new("sdk.prepare_app", || {
            black_box(client.prepare(&app_seed).unwrap());
        }),
        Case::new("sdk.prepare_edu", || {
            black_box(client.prepare(&edu_seed).unwrap());
        }),
        Case::new("sdk.verify_answer", || {
            let a = answer.borrow();
            client.verify(&a.headers, &a.body).unwrap();
        }),
        Case::new("sdk.read_response", || {
            let a = answer.borrow();
            black_box(
                client
                    .engine()
                    .read_response::<seeds::AppPresign>(a.status, &a.headers, &a.body)
                    .unwrap(),
            );
        }),
        Case::new("sdk.parse_notification", || {
            let n = notification.borrow();
            black_box(
                client
                    .parse_notification::<Value>(&n.headers, &n.body)
                    .unwrap(),
            );
        }),
    ];

    #[cfg(wxpay_bench_openssl)]
    {
        // Cross-check: what OpenSSL encrypts, the backend decrypts, and the signatures agree.
        let c = ossl::encrypt(&ossl_merchant_public, b"cross-check");
        assert_eq!(
            merchant_private.oaep_sha1_decrypt(&c).unwrap(),
            b"cross-check"
        );
        assert_eq!(
            ossl::sign(&ossl_keys.private, &app_message),
            merchant_private.sign_sha256(&app_message).unwrap(),
            "PKCS#1 v1.5 signatures are deterministic"
        );
        let keys = &ossl_keys;
        let (app_message, edu_message) = (&app_message, &edu_message);
        let ossl_ciphertext = ossl::encrypt(&ossl_merchant_public, APP_FIELDS[0].as_bytes());
        let (answer, notification, apiv3_key) = (&answer, &notification, sandbox.apiv3_key());
        cases.extend([
            Case::new("ossl.sign", move || {
                black_box(ossl::sign(&keys.private, app_message));
            }),
            Case::new("ossl.encrypt", move || {
                black_box(ossl::encrypt(&keys.public, APP_FIELDS[0].as_bytes()));
            }),
            Case::new("ossl.verify", move || {
                let a = answer.borrow();
                assert!(ossl::verify(&keys.public, &a.message, &a.signature));
            }),
            Case::new("ossl.decrypt", move || {
                black_box(ossl::decrypt(&keys.private, &ossl_ciphertext));
            }),
            Case::new("ossl.prepare_app", move || {
                black_box(ossl::sign(&keys.private, app_message));
                for field in APP_FIELDS {
                    black_box(ossl::encrypt(&keys.public, field.as_bytes()));
                }
            }),
            Case::new("ossl.prepare_edu", move || {
                black_box(ossl::sign(&keys.private, edu_message));
                for field in EDU_FIELDS {
                    black_box(ossl::encrypt(&keys.public, field.as_bytes()));
                }
            }),
            Case::new("ossl.notification", move || {
                let n = notification.borrow();
                let h = wxpay_core::verify::SignatureHeaders::from_headers(&n.headers).unwrap();
                let message = wxpay_core::sign::response_message(h.timestamp, h.nonce, &n.body);
                let signature = base64::engine::general_purpose::STANDARD
                    .decode(h.signature)
                    .unwrap();
                assert!(ossl::verify(&keys.public, &message, &signature));
                let r = resource_of(&n.body);
                let data = base64::engine::general_purpose::STANDARD
                    .decode(&r.ciphertext)
                    .unwrap();
                let aad = r.associated_data.as_deref().unwrap_or("");
                black_box(ossl::aes_gcm_decrypt(
                    apiv3_key.as_bytes(),
                    r.nonce.as_bytes(),
                    aad.as_bytes(),
                    &data,
                ));
            }),
        ]);
    }

    // The peer SDKs, when installed (scripts/bench.sh), each cross-checked against the
    // sandbox first, then timed as cases of the same rounds.
    let keys_dir = format!(
        "{}/target/bench-results/peer-keys",
        env!("CARGO_MANIFEST_DIR")
    );
    sandbox.write_keys(&keys_dir).expect("keys for the peers");
    let mut peer_status = serde_json::Map::new();
    for (name, case_name) in [
        ("wechatpayv3", "peer.wechatpayv3"),
        ("wechatpay-axios-plugin", "peer.axios_plugin"),
    ] {
        let started = Peer::start(name, keys_dir.as_ref())
            .and_then(|mut peer| cross_check(&rt, &sandbox, &mut peer).map(|()| peer));
        match started {
            Ok(mut peer) => {
                eprintln!("peer {name}: its request passed the sandbox's checks; measured");
                peer_status.insert(name.into(), json!("measured"));
                cases.push(Case::external(case_name, move |n| peer.run(n)));
            }
            Err(why) => {
                eprintln!("peer {name}: skipped, {why}");
                peer_status.insert(name.into(), json!(format!("skipped: {why}")));
            }
        }
    }

    let started = Instant::now();
    for case in &mut cases {
        case.calibrate(batch_time);
    }
    let mut send_samples: BTreeMap<usize, Vec<SendSample>> = BTreeMap::new();
    let mut scaling_samples: BTreeMap<(usize, usize), Vec<SendSample>> = BTreeMap::new();
    for round in 0..rounds {
        *answer.borrow_mut() = signed_answer(&rt, &client);
        *notification.borrow_mut() = sandbox
            .notification(
                "TRANSACTION.SUCCESS",
                json!({"out_trade_no": format!("bench_{round:04}"), "amount": {"total": 100}}),
            )
            .expect("notification");
        // Rotate the order, so that no case always runs first or after the same neighbour.
        let n = cases.len();
        for i in 0..n {
            cases[(i + round) % n].run_batch();
        }
        for (worker_count, sending) in [(1, &client_1), (workers, &client)] {
            for concurrency in [1, 8, 32, 64] {
                let sample = measure_send(&rt, sending, concurrency, send_window);
                if worker_count == workers && (concurrency == 1 || concurrency == 32) {
                    send_samples
                        .entry(concurrency)
                        .or_default()
                        .push(sample.clone());
                }
                scaling_samples
                    .entry((worker_count, concurrency))
                    .or_default()
                    .push(sample);
            }
        }
        sandbox.clear_received();
        sandbox_1.clear_received();
        eprintln!(
            "round {}/{rounds} done ({:.0} s)",
            round + 1,
            started.elapsed().as_secs_f64()
        );
    }

    // --- Results ---
    let by_name: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.name, c)).collect();
    let mut times = serde_json::Map::new();
    for case in &cases {
        let mut s = case.samples.clone();
        let med = median(&mut s);
        let wall = median(&mut case.wall.clone());
        times.insert(
            case.name.into(),
            json!({"median_us": med * 1e6, "min_us": s.first().copied().unwrap_or(f64::NAN) * 1e6,
                   "max_us": s.last().copied().unwrap_or(f64::NAN) * 1e6,
                   "wall_median_us": wall * 1e6, "batch": case.batch}),
        );
        eprintln!("{:<24} {:>10.1} µs", case.name, med * 1e6);
    }
    // A ratio of two cases, per round (both ran in that round), then the median over rounds.
    let ratio = |a: &str, b: &str| -> Option<Value> {
        let (a, b) = (by_name.get(a)?, by_name.get(b)?);
        let mut r: Vec<f64> = a
            .samples
            .iter()
            .zip(&b.samples)
            .map(|(x, y)| x / y)
            .collect();
        let med = median(&mut r);
        Some(json!({"median": med, "min": r.first(), "max": r.last()}))
    };
    let mut ratios = serde_json::Map::new();
    for (name, a, b) in [
        ("prepare_app/raw", "sdk.prepare_app", "raw.prepare_app"),
        ("prepare_edu/raw", "sdk.prepare_edu", "raw.prepare_edu"),
        ("prepare_app/openssl", "sdk.prepare_app", "ossl.prepare_app"),
        ("prepare_edu/openssl", "sdk.prepare_edu", "ossl.prepare_edu"),
        ("raw_app/openssl", "raw.prepare_app", "ossl.prepare_app"),
        ("raw_edu/openssl", "raw.prepare_edu", "ossl.prepare_edu"),
        ("verify_answer/raw", "sdk.verify_answer", "raw.verify"),
        ("verify_answer/openssl", "sdk.verify_answer", "ossl.verify"),
        ("read_response/raw", "sdk.read_response", "raw.verify"),
        ("read_response/openssl", "sdk.read_response", "ossl.verify"),
        (
            "parse_notification/raw",
            "sdk.parse_notification",
            "raw.notification",
        ),
        (
            "parse_notification/openssl",
            "sdk.parse_notification",
            "ossl.notification",
        ),
        ("sign/openssl", "raw.sign", "ossl.sign"),
        ("encrypt/openssl", "raw.encrypt", "ossl.encrypt"),
        ("verify/openssl", "raw.verify", "ossl.verify"),
        ("decrypt/openssl", "raw.decrypt", "ossl.decrypt"),
        ("sign_share_app", "raw.sign", "sdk.prepare_app"),
        (
            "prepare_app/wechatpayv3",
            "sdk.prepare_app",
            "peer.wechatpayv3",
        ),
        (
            "prepare_app/axios_plugin",
            "sdk.prepare_app",
            "peer.axios_plugin",
        ),
        ("sign_share_edu", "raw.sign", "sdk.prepare_edu"),
    ] {
        if let Some(v) = ratio(a, b) {
            eprintln!("{name:<28} {:.3}", v["median"].as_f64().unwrap_or(f64::NAN));
            ratios.insert(name.into(), v);
        }
    }

    // Send: requests per second, and where the time goes, per round against the crypto of
    // that round (the sandbox verifies the request, decrypts 2 fields, signs the answer).
    let mut send = serde_json::Map::new();
    for (concurrency, samples) in &send_samples {
        let per_round = |f: &dyn Fn(usize, &SendSample) -> f64| -> f64 {
            let mut v: Vec<f64> = samples.iter().enumerate().map(|(i, s)| f(i, s)).collect();
            median(&mut v)
        };
        let t = |name: &str, i: usize| by_name[name].samples[i];
        let server_crypto =
            |i: usize| t("raw.verify", i) + 2.0 * t("raw.decrypt", i) + t("raw.sign", i);
        let client_crypto = |i: usize| t("raw.prepare_app", i) + t("raw.verify", i);
        let entry = json!({
            "rps": per_round(&|_, s| s.rps),
            "mean_latency_us": per_round(&|_, s| s.mean_latency_s * 1e6),
            // CPU time / wall time of the sandbox thread; and with the time it waited for a
            // CPU (1.0: never idle, it is the bottleneck).
            "sandbox_busy": per_round(&|_, s| s.sandbox_busy),
            "sandbox_runnable": per_round(&|_, s| s.sandbox_runnable),
            "sandbox_cpu_per_req_us": per_round(&|_, s| s.sandbox_cpu_per_req_s * 1e6),
            "client_cpu_per_req_us": per_round(&|_, s| s.client_cpu_per_req_s * 1e6),
            "server_crypto_us": per_round(&|i, _| server_crypto(i) * 1e6),
            "server_sign_us": per_round(&|i, _| t("raw.sign", i) * 1e6),
            "server_decrypt_us": per_round(&|i, _| 2.0 * t("raw.decrypt", i) * 1e6),
            "server_verify_us": per_round(&|i, _| t("raw.verify", i) * 1e6),
            "client_crypto_us": per_round(&|i, _| client_crypto(i) * 1e6),
            // rps / (1 / server crypto): 1.0 = as fast as a sandbox doing nothing but crypto.
            "rps_vs_sandbox_crypto_bound": per_round(&|i, s| s.rps * server_crypto(i)),
            "sandbox_crypto_share": per_round(&|i, s| server_crypto(i) / s.sandbox_cpu_per_req_s),
            "client_crypto_share": per_round(&|i, s| client_crypto(i) / s.client_cpu_per_req_s),
            // c=1: the share of a request's latency that is crypto (client and sandbox).
            "latency_crypto_share": per_round(&|i, s| (server_crypto(i) + client_crypto(i)) / s.mean_latency_s),
        });
        eprintln!("send c={concurrency}: {entry}");
        send.insert(concurrency.to_string(), entry);
    }

    // Scaling: the sandbox with 1 worker and with one per core, at concurrency 1 to 64. The
    // client runs on the same cores, so the bound is cores / (client + sandbox CPU per
    // request), measured in the same window.
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let mut scaling = serde_json::Map::new();
    for ((worker_count, concurrency), samples) in &scaling_samples {
        let med = |f: &dyn Fn(&SendSample) -> f64| -> f64 {
            let mut v: Vec<f64> = samples.iter().map(f).collect();
            median(&mut v)
        };
        let per_req = |s: &SendSample| s.sandbox_cpu_per_req_s + s.client_cpu_per_req_s;
        let bound = |s: &SendSample| cpus / per_req(s);
        // What the rest of the machine (other builds) left to the client and the sandbox.
        let available = |s: &SendSample| (cpus - s.other_cores).max(0.0);
        let entry = json!({
            "workers": worker_count,
            "concurrency": concurrency,
            "rps": med(&|s| s.rps),
            "mean_latency_us": med(&|s| s.mean_latency_s * 1e6),
            "sandbox_cores": med(&|s| s.sandbox_cores),
            // On a CPU or waiting for one: the cores the sandbox had work for.
            "sandbox_runnable_cores": med(&|s| s.sandbox_runnable),
            "client_cores": med(&|s| s.client_cores),
            "other_cores": med(&|s| s.other_cores),
            "idle_cores": med(&|s| s.idle_cores),
            "sandbox_cpu_per_req_us": med(&|s| s.sandbox_cpu_per_req_s * 1e6),
            "client_cpu_per_req_us": med(&|s| s.client_cpu_per_req_s * 1e6),
            "cpu_bound_rps": med(&bound),
            "rps_vs_cpu_bound": med(&|s| s.rps / bound(s)),
            "available_cores": med(&available),
            "available_bound_rps": med(&|s| available(s) / per_req(s)),
            "rps_vs_available_bound": med(&|s| s.rps * per_req(s) / available(s).max(1e-9)),
        });
        eprintln!("scaling workers={worker_count} c={concurrency}: {entry}");
        scaling.insert(format!("w{worker_count}c{concurrency}"), entry);
    }

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("")
        .trim()
        .to_string();
    let result = json!({
        "backend": backend,
        "openssl": openssl,
        "rounds": rounds,
        "batch_ms": batch_time.as_millis() as u64,
        "send_window_ms": send_window.as_millis() as u64,
        "duration_s": started.elapsed().as_secs_f64(),
        "loadavg_before": load_before.trim(),
        "loadavg_after": load.trim(),
        "cpu": cpu,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "times": times,
        "ratios": ratios,
        "send": send,
        "workers": workers,
        "scaling": scaling,
        "peers": peer_status,
    });
    let out = std::env::var("WXPAY_BENCH_OUT").unwrap_or_else(|_| {
        format!(
            "{}/target/bench-results/{backend}.json",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir).expect("results directory");
    }
    std::fs::write(&out, serde_json::to_string_pretty(&result).unwrap()).expect("write results");
    eprintln!("results written to {out}");
}
