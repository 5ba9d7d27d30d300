//! Load with faults: many requests from one `Client` to one sandbox, at high concurrency,
//! with faults mixed in at random per request (dropped connections, answers slower than the
//! client's timeout, 5xx and 429, bodies cut short, bad signatures, stale timestamps, unknown
//! serials, probes, oversized answers).
//!
//! Every request must either succeed, verified, with the answer to that very request (the
//! echo carries the request's number, and its encrypted half comes back decrypted), or fail
//! with exactly the error its fault implies. The sandbox records each request once (its
//! `Request-ID` matches the one in the client's error); nothing hangs (an overall deadline);
//! memory stays flat (VmRSS after the warm-up and at the end).
//!
//! `load_small_with_faults` (500 requests, 16 at a time) runs with the other tests;
//! the full run (10 000 requests, 64 at a time) is ignored by default:
//!
//! ```text
//! cargo test --release --test load -- --ignored --nocapture
//! ```
//!
//! (`scripts/load.sh` runs it.)

#[path = "../examples/common/seeds.rs"]
mod seeds;

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wxpay::{Error, TransportError, VerifyError};
use wxpay_sandbox::{Fault, Received, Sandbox};

/// The client's timeout: normal answers come well within it even at full load.
const TIMEOUT: Duration = Duration::from_secs(5);
/// A slow answer: beyond the timeout.
const SLOW: Duration = Duration::from_secs(6);
/// The client's answer size limit, and an answer beyond it.
const MAX_RESPONSE: usize = 16 * 1024;
const OVERSIZED: usize = 64 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_small_with_faults() {
    let report = run(Load {
        requests: 500,
        concurrency: 16,
        warmup: 100,
        deadline: Duration::from_secs(120),
        seed: 0x5EED_0001,
    })
    .await;
    report.print();
    report.check(64 * 1024);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "10 000 requests: cargo test --release --test load -- --ignored --nocapture"]
async fn load_10k_with_faults() {
    let report = run(Load {
        requests: 10_000,
        concurrency: 64,
        warmup: 1_000,
        deadline: Duration::from_secs(900),
        seed: 0x5EED_0002,
    })
    .await;
    report.print();
    report.check(20 * 1024);
}

struct Load {
    requests: usize,
    concurrency: usize,
    /// VmRSS is read once this many requests are done, and again at the end.
    warmup: usize,
    deadline: Duration,
    seed: u64,
}

/// What each request is sent as: an echo (`load-N`, encrypted `secret-N`) or, one in four,
/// an APP presign (`out_contract_code` `load-N`, encrypted `identity_id` `id-N`).
fn is_presign(i: usize) -> bool {
    i % 4 == 3
}

/// The fault of each request: about one in five gets one.
fn plan(requests: usize, seed: u64) -> Vec<Option<Fault>> {
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D) % 1000
    };
    (0..requests)
        .map(|_| match next() {
            0..800 => None,
            800..820 => Some(Fault::Disconnect),
            820..830 => Some(Fault::Delay(SLOW)),
            830..850 => Some(Fault::ServerError),
            850..865 => Some(Fault::Error {
                status: 429,
                code: "FREQUENCY_LIMITED".into(),
                message: "频率超限 (load test)".into(),
            }),
            865..885 => Some(Fault::Truncate),
            885..905 => Some(Fault::TamperBody),
            905..920 => Some(Fault::TamperSignature),
            920..935 => Some(Fault::StaleTimestamp),
            935..950 => Some(Fault::UnknownSerial),
            950..965 => Some(Fault::MissingSignature),
            965..980 => Some(Fault::SignTest),
            _ => Some(Fault::Oversized(OVERSIZED)),
        })
        .collect()
}

/// The outcome a fault implies, exactly.
fn expected(fault: Option<&Fault>) -> &'static str {
    match fault {
        None => "ok",
        Some(Fault::Disconnect) => "transport: closed before the answer",
        Some(Fault::Delay(_)) => "transport: timeout",
        Some(Fault::ServerError) => "api 500 SYSTEM_ERROR",
        Some(Fault::Error { .. }) => "api 429 FREQUENCY_LIMITED",
        Some(Fault::Truncate) => "transport: body cut short",
        Some(Fault::TamperBody | Fault::TamperSignature) => "verification: bad signature",
        Some(Fault::StaleTimestamp) => "verification: stale timestamp",
        Some(Fault::UnknownSerial) => "verification: unknown serial",
        Some(Fault::MissingSignature) => "verification: missing signature",
        Some(Fault::SignTest) => "verification: signtest probe",
        Some(Fault::Oversized(_)) => "transport: body too large",
        Some(other) => panic!("no outcome planned for {other:?}"),
    }
}

/// The outcome of one request as the client saw it.
fn outcome(result: &Result<(), Error>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(Error::Transport(TransportError::Timeout)) => "transport: timeout".into(),
        Err(Error::Transport(TransportError::BodyTooLarge { limit })) if *limit == MAX_RESPONSE => {
            "transport: body too large".into()
        }
        // hyper's words for a connection closed before any answer, and for a body that ends
        // before its Content-Length.
        Err(Error::Transport(TransportError::Other(m)))
            if m.contains("connection closed before message completed") =>
        {
            "transport: closed before the answer".into()
        }
        Err(Error::Transport(TransportError::Other(m)))
            if m.contains("end of file before message length reached") =>
        {
            "transport: body cut short".into()
        }
        Err(Error::Api { status, code, .. }) => format!("api {status} {code}"),
        Err(Error::Verification {
            error: VerifyError::BadSignature,
            ..
        }) => "verification: bad signature".into(),
        Err(Error::Verification {
            error: VerifyError::StaleTimestamp { skew },
            ..
        }) if *skew >= 590 => "verification: stale timestamp".into(),
        Err(Error::Verification {
            error: VerifyError::UnknownSerial(_),
            ..
        }) => "verification: unknown serial".into(),
        Err(Error::Verification {
            error: VerifyError::MissingHeader("Wechatpay-Signature"),
            ..
        }) => "verification: missing signature".into(),
        Err(Error::Verification {
            error: VerifyError::SignTestProbe,
            ..
        }) => "verification: signtest probe".into(),
        Err(other) => format!("unexpected: {other}"),
    }
}

/// One request as the sandbox recorded it, kept small.
struct Seen {
    index: Option<usize>,
    request_id: String,
    fault: Option<Fault>,
    /// The encrypted field of the request decrypted to the value of that request.
    decrypted: bool,
}

fn compact(r: Received) -> Seen {
    let tag = r.json["echo_message"]
        .as_str()
        .or(r.json["out_contract_code"].as_str());
    let index = tag
        .and_then(|t| t.strip_prefix("load-"))
        .and_then(|n| n.parse::<usize>().ok());
    let decrypted = index.is_some_and(|i| {
        let (pointer, value) = if is_presign(i) {
            ("/real_identity/identity_id", format!("id-{i}"))
        } else {
            ("/encrypted_echo_message", format!("secret-{i}"))
        };
        r.json.pointer(pointer).and_then(|v| v.as_str()) == Some(value.as_str())
    });
    Seen {
        index,
        request_id: r.request_id,
        fault: r.fault,
        decrypted,
    }
}

/// One request as the client saw it.
struct Done {
    index: usize,
    outcome: String,
    /// The `Request-ID` an API error carried.
    request_id: Option<String>,
    /// Whether a success answered this very request.
    matches: bool,
    /// The error's message, for the report.
    message: String,
}

async fn send_one(client: &wxpay::Client, i: usize) -> Done {
    let (result, matches) = if is_presign(i) {
        let mut request = seeds::app_presign();
        request.out_contract_code = format!("load-{i}");
        request.real_identity.identity_id = format!("id-{i}");
        match client.send(&request).await {
            Ok(answer) => (Ok(()), !answer.presign_token.is_empty()),
            Err(e) => (Err(e), false),
        }
    } else {
        let request = seeds::Echo::builder()
            .echo_message(format!("load-{i}"))
            .encrypted_echo_message(format!("secret-{i}"))
            .build();
        match client.send(&request).await {
            Ok(answer) => {
                let matches = answer.echo_message == format!("load-{i}")
                    && answer.encrypted_echo_message == Some(format!("secret-{i}"));
                (Ok(()), matches)
            }
            Err(e) => (Err(e), false),
        }
    };
    let request_id = match &result {
        Err(Error::Api { request_id, .. }) => request_id.clone(),
        _ => None,
    };
    Done {
        index: i,
        outcome: outcome(&result),
        request_id,
        matches,
        message: result.err().map(|e| e.to_string()).unwrap_or_default(),
    }
}

/// VmRSS of this process (client and sandbox both), in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

struct Report {
    load: Load,
    plan: Vec<Option<Fault>>,
    done: Vec<Done>,
    seen: Vec<Seen>,
    elapsed: Duration,
    rss_warm: u64,
    rss_end: u64,
}

async fn run(load: Load) -> Report {
    let sandbox = Arc::new(Sandbox::start().await.unwrap());
    let client = sandbox
        .client_builder()
        .timeout(TIMEOUT)
        .max_response_bytes(MAX_RESPONSE)
        .build()
        .unwrap();
    let plan = plan(load.requests, load.seed);
    let chosen = Arc::new(plan.clone());
    sandbox.fault_with(move |request| {
        let tag = request.json["echo_message"]
            .as_str()
            .or(request.json["out_contract_code"].as_str())?;
        let i: usize = tag.strip_prefix("load-")?.parse().ok()?;
        chosen.get(i)?.clone()
    });

    // The sandbox's record is read as the run goes, so that it does not grow.
    let seen = Arc::new(Mutex::new(Vec::with_capacity(load.requests)));
    let stop = Arc::new(tokio::sync::Notify::new());
    let drain = {
        let (sandbox, seen, stop) = (sandbox.clone(), seen.clone(), stop.clone());
        tokio::spawn(async move {
            loop {
                let stopped = tokio::select! {
                    _ = stop.notified() => true,
                    _ = tokio::time::sleep(Duration::from_millis(200)) => false,
                };
                let batch = sandbox.take_received();
                seen.lock().unwrap().extend(batch.into_iter().map(compact));
                if stopped {
                    return;
                }
            }
        })
    };

    let next = Arc::new(AtomicUsize::new(0));
    let completed = Arc::new(AtomicUsize::new(0));
    let rss_warm = Arc::new(Mutex::new(0u64));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..load.concurrency {
        let (client, next, completed, rss_warm) = (
            client.clone(),
            next.clone(),
            completed.clone(),
            rss_warm.clone(),
        );
        let (requests, warmup) = (load.requests, load.warmup);
        workers.spawn(async move {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    return done;
                }
                done.push(send_one(&client, i).await);
                if completed.fetch_add(1, Ordering::Relaxed) + 1 == warmup {
                    *rss_warm.lock().unwrap() = rss_kib();
                }
            }
        });
    }
    let all = tokio::time::timeout(load.deadline, async {
        let mut all = Vec::with_capacity(load.requests);
        while let Some(done) = workers.join_next().await {
            all.extend(done.expect("a worker panicked"));
        }
        all
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "deadline of {:?} passed with {} of {} requests done: something hangs",
            load.deadline,
            completed.load(Ordering::Relaxed),
            load.requests
        )
    });
    let elapsed = started.elapsed();
    let rss_end = rss_kib();
    stop.notify_one();
    drain.await.unwrap();
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let rss_warm = *rss_warm.lock().unwrap();
    Report {
        load,
        plan,
        done: all,
        seen,
        elapsed,
        rss_warm,
        rss_end,
    }
}

impl Report {
    fn counts(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for d in &self.done {
            *counts.entry(d.outcome.as_str()).or_default() += 1;
        }
        counts
    }

    fn print(&self) {
        let secs = self.elapsed.as_secs_f64();
        let faults = self.plan.iter().filter(|f| f.is_some()).count();
        let counts: Vec<String> = self
            .counts()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        println!(
            "load: {} requests, concurrency {}, {} faults injected, {:.1} s, {:.0} req/s, \
             RSS {:.1} MiB at {} and {:.1} MiB at {} requests ({:+.1} MiB); outcomes: {}",
            self.done.len(),
            self.load.concurrency,
            faults,
            secs,
            self.done.len() as f64 / secs,
            self.rss_warm as f64 / 1024.0,
            self.load.warmup,
            self.rss_end as f64 / 1024.0,
            self.load.requests,
            (self.rss_end as f64 - self.rss_warm as f64) / 1024.0,
            counts.join(", ")
        );
        // What the client said, once per kind of transport failure.
        let mut shown = HashSet::new();
        for d in &self.done {
            if d.outcome.starts_with("transport") && shown.insert(d.outcome.as_str()) {
                println!("  {}: {}", d.outcome, d.message);
            }
        }
    }

    /// Every request accounted for exactly once, with the outcome its fault implies.
    fn check(&self, max_growth_kib: u64) {
        let n = self.load.requests;
        let mut problems = Vec::new();

        // The client: one result per request, each the one its fault implies.
        let mut done: Vec<Option<&Done>> = vec![None; n];
        for d in &self.done {
            assert!(
                done[d.index].is_none(),
                "request {} finished twice",
                d.index
            );
            done[d.index] = Some(d);
        }
        // The sandbox: each request received once, with the fault planned.
        let mut seen: Vec<Option<&Seen>> = vec![None; n];
        let mut ids = HashSet::new();
        for s in &self.seen {
            let i = s.index.expect("only load requests");
            assert!(seen[i].is_none(), "request {i} received twice");
            seen[i] = Some(s);
            assert!(
                ids.insert(s.request_id.as_str()),
                "Request-ID {} used twice",
                s.request_id
            );
        }

        for i in 0..n {
            let want = expected(self.plan[i].as_ref());
            let Some(d) = done[i] else {
                problems.push(format!("request {i}: no result"));
                continue;
            };
            let Some(s) = seen[i] else {
                problems.push(format!("request {i}: never received by the sandbox"));
                continue;
            };
            if d.outcome != want {
                problems.push(format!(
                    "request {i} ({:?}): {} instead of {want} ({})",
                    self.plan[i], d.outcome, d.message
                ));
            }
            if s.fault != self.plan[i] {
                problems.push(format!(
                    "request {i}: the sandbox applied {:?}, planned {:?}",
                    s.fault, self.plan[i]
                ));
            }
            if !s.decrypted {
                problems.push(format!("request {i}: its encrypted field did not decrypt"));
            }
            if d.outcome == "ok" && !d.matches {
                problems.push(format!(
                    "request {i}: answered with another request's answer"
                ));
            }
            if d.outcome.starts_with("api ") && d.request_id.as_deref() != Some(&s.request_id) {
                problems.push(format!(
                    "request {i}: Request-ID {:?} in the error, {} at the sandbox",
                    d.request_id, s.request_id
                ));
            }
        }
        assert!(
            problems.is_empty(),
            "{} problems, the first ones:\n{}",
            problems.len(),
            problems[..problems.len().min(20)].join("\n")
        );
        assert_eq!(self.seen.len(), n, "the sandbox received each request once");

        // Every kind of fault happened (the plan is seeded: this holds for these sizes).
        let faults: HashSet<&str> = self
            .plan
            .iter()
            .flatten()
            .map(|f| expected(Some(f)))
            .collect();
        assert_eq!(faults.len(), 11, "every kind of fault injected: {faults:?}");

        assert!(self.rss_warm > 0 && self.rss_end > 0, "VmRSS read");
        let growth = self.rss_end.saturating_sub(self.rss_warm);
        assert!(
            growth < max_growth_kib,
            "VmRSS grew by {growth} KiB from {} to {} requests",
            self.load.warmup,
            n
        );
    }
}
