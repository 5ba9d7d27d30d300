//! Every endpoint of the catalog, prepared and read back through the engine.
//!
//! For each endpoint of `wxpay_catalog_tests::expect::CASES` (written by
//! `cargo run -p xtask -- gen-catalog`), the sample request (every optional field set, every
//! value unique) is prepared and checked:
//! - the declared constants (method, path template, host, kind of answer);
//! - the URL: host, path with each placeholder percent-encoded as one segment, and the query
//!   string (every pair in declaration order, properly percent-encoded);
//! - every declared header, `Wechatpay-Serial` (the WeChat Pay public key id) and the
//!   `Authorization` signature over exactly what is sent;
//! - the JSON body or multipart meta: every field at its JSON pointer, nothing else;
//!   `#[json_string]` values hold their JSON; the file part;
//! - every `#[encrypted]` field: base64 that decrypts with the WeChat Pay private key to its
//!   sample plaintext, which appears nowhere in the URL, the headers, the body, or `Debug`;
//! - the answer: a sample answer (every field, encrypted fields encrypted under the merchant
//!   public key, signed as WeChat Pay) read with `read_response` decodes to the same tree,
//!   encrypted fields decrypted; empty answers and downloads are read too.
//!
//! All failures are collected and reported together, each naming the endpoint and the field.
//! `CATALOG_FILTER=substring` runs only the endpoints whose `METHOD path` contains it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::Value;
use sha2::Digest;
use wxpay::http::{HeaderMap, HeaderValue};
use wxpay::{Body, Engine, FixedClock, MerchantKey, ResponseKind, RsaPublicKey};
use wxpay_catalog_tests::expect::CASES;
use wxpay_catalog_tests::{BodyExpect, Case, Decoded, JsonExpect, QV, RespExpect};

const MERCHANT_KEY: &str = include_str!("../../wxpay-core/tests/fixtures/merchant_key.pem");
const WECHATPAY_KEY: &str = include_str!("../../wxpay-core/tests/fixtures/wechatpay_key.pem");
const WECHATPAY_PUBLIC_KEY: &str =
    include_str!("../../wxpay-core/tests/fixtures/wechatpay_public_key.pem");
const MERCHANT_SERIAL: &str = "5F1C72E2A8931B72A2E13AF8DEE92471EB397115";
const PUB_KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";
const NOW: i64 = 1_700_000_000;

/// Catalog errata skipped by name: `(endpoint, placement, field, reason)`. Nothing else is
/// skipped.
const ERRATA: &[(&str, &str, &str, &str)] = &[
    // None: the docs' errata are corrected in the data (`wxpay-api/catalog/endpoints.json`, listed in
    // `wxpay-api/catalog/README.md`), so every field is checked.
];

struct Ctx {
    engine: Engine,
    /// Decrypts request fields (the engine encrypts them under the WeChat Pay public key).
    wechatpay_private: MerchantKey,
    /// Signs answers as WeChat Pay.
    wechatpay_signer: MerchantKey,
    /// Encrypts answer fields for the merchant.
    merchant_public: RsaPublicKey,
}

#[derive(Default, Debug, Clone)]
struct Counts {
    endpoints: usize,
    prepared: usize,
    path_params: usize,
    query_fields: usize,
    headers: usize,
    body_fields: usize,
    meta_fields: usize,
    files: usize,
    json_strings: usize,
    encrypted_request: usize,
    encrypted_response: usize,
    response_fields: usize,
    responses_json: usize,
    responses_empty: usize,
    downloads: usize,
    errata_skipped: usize,
    built_with_builder: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.endpoints += o.endpoints;
        self.prepared += o.prepared;
        self.path_params += o.path_params;
        self.query_fields += o.query_fields;
        self.headers += o.headers;
        self.body_fields += o.body_fields;
        self.meta_fields += o.meta_fields;
        self.files += o.files;
        self.json_strings += o.json_strings;
        self.encrypted_request += o.encrypted_request;
        self.encrypted_response += o.encrypted_response;
        self.response_fields += o.response_fields;
        self.responses_json += o.responses_json;
        self.responses_empty += o.responses_empty;
        self.downloads += o.downloads;
        self.errata_skipped += o.errata_skipped;
        self.built_with_builder += o.built_with_builder;
    }
}

/// What one endpoint's check found.
#[derive(Default)]
struct Report {
    id: &'static str,
    failures: Vec<String>,
    counts: Counts,
    skipped: Vec<(&'static str, &'static str)>,
}

impl Report {
    fn fail(&mut self, place: &str, what: impl std::fmt::Display) {
        self.failures.push(format!("{} [{place}] {what}", self.id));
    }
}

fn context() -> Ctx {
    Ctx {
        engine: Engine::builder()
            .mchid("1900000001")
            .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY)
            .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY)
            .apiv3_key([b'k'; 32])
            .clock(FixedClock(NOW))
            .build(false)
            .expect("engine"),
        wechatpay_private: MerchantKey::new("7E57C0DE", WECHATPAY_KEY).expect("wechatpay key"),
        wechatpay_signer: MerchantKey::new("7E57C0DE", WECHATPAY_KEY).expect("wechatpay key"),
        merchant_public: MerchantKey::new(MERCHANT_SERIAL, MERCHANT_KEY)
            .expect("merchant key")
            .public_key(),
    }
}

#[test]
fn every_catalog_endpoint() {
    let ctx = context();
    let filter = std::env::var("CATALOG_FILTER").ok();
    let cases: Vec<&Case> = CASES
        .iter()
        .filter(|c| filter.as_deref().is_none_or(|f| c.id.contains(f)))
        .collect();
    assert!(!cases.is_empty(), "no endpoint selected");

    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let mut reports: Vec<Report> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let ctx = &ctx;
                let cases = &cases;
                s.spawn(move || {
                    cases
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|case| {
                            let mut report = Report {
                                id: case.id,
                                ..Report::default()
                            };
                            let outcome =
                                catch_unwind(AssertUnwindSafe(|| check(ctx, case, &mut report)));
                            if let Err(panic) = outcome {
                                let msg = panic
                                    .downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default();
                                report.fail("panic", msg);
                            }
                            (case.index, report)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, Report)> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    });

    let mut total = Counts::default();
    let mut failures = Vec::new();
    let mut used_errata: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in &mut reports {
        total.add(&r.counts);
        failures.append(&mut r.failures);
        for (id, field) in &r.skipped {
            *used_errata.entry((id, field)).or_default() += 1;
        }
    }
    if filter.is_none() {
        for (id, place, field, _) in ERRATA {
            if !used_errata.contains_key(&(*id, *field)) {
                failures.push(format!(
                    "{id} [errata] skip of {place} {field} was never used"
                ));
            }
        }
    }
    let failing_endpoints: std::collections::BTreeSet<&str> = failures
        .iter()
        .map(|f| f.split(" [").next().unwrap_or(""))
        .collect();

    let mut summary = String::new();
    let _ = writeln!(summary, "catalog: {total:#?}");
    let _ = writeln!(summary, "errata skipped by name:");
    for (id, place, field, reason) in ERRATA {
        let _ = writeln!(summary, "  {id}: {place} field {field}: {reason}");
    }
    let _ = writeln!(
        summary,
        "{} failures in {} endpoints",
        failures.len(),
        failing_endpoints.len()
    );
    eprintln!("{summary}");
    if !failures.is_empty() {
        const SHOWN: usize = 300;
        let mut msg = String::new();
        for f in failures.iter().take(SHOWN) {
            let _ = writeln!(msg, "{f}");
        }
        if failures.len() > SHOWN {
            let _ = writeln!(msg, "… and {} more", failures.len() - SHOWN);
        }
        panic!(
            "{} failures in {} endpoints:\n{msg}",
            failures.len(),
            failing_endpoints.len()
        );
    }
    if filter.is_none() {
        assert_eq!(total.endpoints, CASES.len());
    }
}

fn errata_for(case: &Case, place: &str) -> Vec<&'static str> {
    ERRATA
        .iter()
        .filter(|(id, p, _, _)| *id == case.id && *p == place)
        .map(|(_, _, f, _)| *f)
        .collect()
}

fn check(ctx: &Ctx, case: &'static Case, r: &mut Report) {
    r.counts.endpoints += 1;
    check_consts(case, r);
    check_request(ctx, case, case.prepare, r);
    if let Some(built) = case.built {
        // The same values through `Name::builder()`: the same request.
        let mut scratch = Report {
            id: case.id,
            ..Report::default()
        };
        check_request(ctx, case, built.prepare, &mut scratch);
        if scratch.failures.is_empty() {
            r.counts.built_with_builder += 1;
        }
        for f in scratch.failures {
            r.failures
                .push(format!("{f} (sample built with the builder)"));
        }
        let (a, b) = ((built.debug)(), (case.debug)());
        if a != b {
            r.fail(
                "builder",
                format!("Debug of the built sample {a}\n  differs from {b}"),
            );
        }
    }
    check_response(ctx, case, r);
}

fn check_consts(case: &Case, r: &mut Report) {
    let c = (case.consts)();
    if c.method != case.method {
        r.fail("METHOD", format!("{} != {}", c.method, case.method));
    }
    if c.path != case.path_template {
        r.fail("PATH", format!("{:?} != {:?}", c.path, case.path_template));
    }
    if c.base_url != case.declared_base_url {
        r.fail(
            "BASE_URL",
            format!("{:?} != {:?}", c.base_url, case.declared_base_url),
        );
    }
    let kind = match case.response {
        RespExpect::Empty { .. } => ResponseKind::Empty,
        RespExpect::Download { .. } => ResponseKind::Download,
        RespExpect::Json { .. } => ResponseKind::Json,
    };
    if c.kind != kind {
        r.fail("RESPONSE_KIND", format!("{:?} != {kind:?}", c.kind));
    }
}

// ---------------------------------------------------------------------------------------
// Requests

fn check_request(
    ctx: &Ctx,
    case: &'static Case,
    prepare: fn(&Engine) -> Result<wxpay::PreparedRequest, wxpay::Error>,
    r: &mut Report,
) {
    let prepared = match prepare(&ctx.engine) {
        Ok(p) => p,
        Err(e) => {
            r.fail("prepare", format!("failed: {e}"));
            return;
        }
    };
    r.counts.prepared += 1;
    if std::env::var_os("CATALOG_DUMP").is_some() {
        eprintln!(
            "{}\n  url: {}\n  headers: {:?}\n  body: {}\n  debug: {}",
            case.id,
            prepared.url(),
            prepared.headers(),
            lossy(prepared.body()),
            (case.debug)()
        );
    }
    if prepared.method() != case.method {
        r.fail("method", prepared.method());
    }

    // The plaintexts of every encrypted field, to look for them everywhere.
    let mut secrets: Vec<&str> = Vec::new();

    // URL: host and path.
    let url = prepared.url();
    let (url_path, url_query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let expected_path = format!("{}/{}", case.base_url.trim_end_matches('/'), case.path);
    if url_path == expected_path {
        r.counts.path_params += case.path_params.len();
    } else {
        r.fail(
            "path",
            format!("URL {url_path:?}, expected {expected_path:?}"),
        );
        for (name, value) in case.path_params {
            let enc = encode_component(value);
            if !url_path.contains(&enc) {
                r.fail(
                    &format!("path {{{name}}}"),
                    format!("{enc:?} not in the URL"),
                );
            }
        }
    }
    // The signed URL is the absolute path (and query) of what is sent (protocol.md): under a
    // host with a path (`https://apihk.mch.weixin.qq.com/global/`), that path is part of it.
    let after_scheme = &case.base_url[case.base_url.find("://").map_or(0, |i| i + 3)..];
    let host_path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let expected_canonical = match url_query {
        Some(q) => format!("{host_path}{}?{q}", case.path),
        None => format!("{host_path}{}", case.path),
    };
    if prepared.canonical_url() != expected_canonical {
        r.fail(
            "canonical_url",
            format!(
                "{:?}, expected {expected_canonical:?}",
                prepared.canonical_url()
            ),
        );
    }

    // Query string.
    let skipped_query = errata_for(case, "query");
    let expected_query: Vec<&(&str, QV)> = case
        .query
        .iter()
        .filter(|(name, _)| {
            let skip = skipped_query.contains(name);
            if skip {
                r.counts.errata_skipped += 1;
                r.skipped.push((case.id, name));
            }
            !skip
        })
        .collect();
    let actual_query = match url_query {
        None => Vec::new(),
        Some(q) => parse_query(q, r),
    };
    let actual_names: Vec<&str> = actual_query.iter().map(|(n, _)| n.as_str()).collect();
    let expected_names: Vec<&str> = expected_query.iter().map(|(n, _)| *n).collect();
    if actual_names != expected_names {
        r.fail(
            "query",
            format!("names {actual_names:?}, expected (in declaration order) {expected_names:?}"),
        );
    }
    for (name, qv) in &expected_query {
        let place = format!("query {name}");
        let Some((_, actual)) = actual_query.iter().find(|(n, _)| n == name) else {
            r.fail(&place, "missing");
            continue;
        };
        match qv {
            QV::Plain(v) => {
                if actual != v {
                    r.fail(&place, format!("{actual:?}, expected {v:?}"));
                } else {
                    r.counts.query_fields += 1;
                }
            }
            QV::Encrypted(plain) => {
                secrets.push(plain);
                match ctx.wechatpay_private.decrypt(actual) {
                    Ok(p) if p == *plain => {
                        r.counts.query_fields += 1;
                        r.counts.encrypted_request += 1;
                    }
                    Ok(p) => r.fail(&place, format!("decrypts to {p:?}, expected {plain:?}")),
                    Err(e) => r.fail(&place, format!("{actual:?} does not decrypt: {e}")),
                }
            }
            QV::Json(exp) => match serde_json::from_str::<Value>(actual) {
                Ok(mut v) => {
                    secrets.extend(exp.encrypted.iter().map(|(_, p)| *p));
                    r.counts.json_strings += 1;
                    let n = compare_json(ctx, &mut v, exp, &[], &place, r, Field::Query);
                    if n.failed == 0 {
                        r.counts.query_fields += 1;
                    }
                }
                Err(e) => r.fail(&place, format!("{actual:?} is not JSON text: {e}")),
            },
        }
    }

    // Headers.
    let headers = prepared.headers();
    for (name, value) in case.headers {
        match headers.get(*name).map(|v| v.to_str()) {
            Some(Ok(v)) if v == *value => r.counts.headers += 1,
            Some(v) => r.fail(
                &format!("header {name}"),
                format!("{v:?}, expected {value:?}"),
            ),
            None => r.fail(&format!("header {name}"), "missing"),
        }
    }
    match headers.get("Wechatpay-Serial").map(|v| v.to_str()) {
        Some(Ok(PUB_KEY_ID)) => {}
        other => r.fail(
            "header Wechatpay-Serial",
            format!("{other:?}, expected {PUB_KEY_ID}"),
        ),
    }
    check_authorization(ctx, case, &prepared, r);

    // Body.
    let body = prepared.body();
    match &case.body {
        BodyExpect::Empty => {
            let ok = body.is_empty()
                || (!matches!(case.method, "GET" | "DELETE")
                    && serde_json::from_slice::<Value>(body)
                        .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty())));
            if !ok {
                r.fail(
                    "body",
                    format!("expected no body fields, got {:?}", lossy(body)),
                );
            }
        }
        BodyExpect::Json(exp) => {
            secrets.extend(exp.encrypted.iter().map(|(_, p)| *p));
            if !matches!(prepared.full_body(), Body::Json(_)) {
                r.fail("body", "not a JSON body");
            }
            if headers.get("Content-Type").map(|v| v.as_bytes()) != Some(b"application/json") {
                r.fail(
                    "header Content-Type",
                    format!("{:?}", headers.get("Content-Type")),
                );
            }
            match serde_json::from_slice::<Value>(body) {
                Ok(mut v) => {
                    let skipped = errata_for(case, "body");
                    for s in &skipped {
                        r.counts.errata_skipped += 1;
                        r.skipped.push((case.id, s));
                    }
                    let n = compare_json(ctx, &mut v, exp, &skipped, "body", r, Field::Body);
                    r.counts.body_fields += n.leaves_ok;
                }
                Err(e) => r.fail("body", format!("not JSON: {e}: {:?}", lossy(body))),
            }
        }
        BodyExpect::Multipart {
            meta,
            file_part,
            filename,
            bytes,
        } => {
            secrets.extend(meta.encrypted.iter().map(|(_, p)| *p));
            match prepared.full_body() {
                Body::Multipart {
                    meta: signed,
                    part,
                    file,
                } => {
                    if signed.as_slice() != body {
                        r.fail("multipart", "the signed bytes are not the meta");
                    }
                    if part != file_part {
                        r.fail(
                            "multipart",
                            format!("file in part {part:?}, not {file_part:?}"),
                        );
                    }
                    if file.filename() == *filename && file.bytes() == *bytes {
                        r.counts.files += 1;
                    } else {
                        r.fail(
                            &format!("multipart part {file_part}"),
                            format!("file {:?} of {} bytes", file.filename(), file.bytes().len()),
                        );
                    }
                    match serde_json::from_slice::<Value>(signed) {
                        Ok(mut v) => {
                            // The runtime adds `filename` and `sha256` of the file, each
                            // unless declared, to the meta of endpoints that do not name or
                            // digest the file their own way.
                            let mut expected: Value = serde_json::from_str(meta.json).unwrap();
                            let obj = expected.as_object_mut().unwrap();
                            let own = ["file_name", "file_digest", "digest"];
                            if !own.iter().any(|k| obj.contains_key(*k)) {
                                obj.entry("filename").or_insert_with(|| (*filename).into());
                                obj.entry("sha256")
                                    .or_insert_with(|| sha256_hex(bytes).into());
                            }
                            let expected = serde_json::to_string(&expected).unwrap();
                            let exp = JsonExpect {
                                json: Box::leak(expected.into_boxed_str()),
                                json_strings: meta.json_strings,
                                encrypted: meta.encrypted,
                            };
                            let n = compare_json(ctx, &mut v, &exp, &[], "meta", r, Field::Meta);
                            r.counts.meta_fields += n.leaves_ok;
                        }
                        Err(e) => r.fail("meta", format!("not JSON: {e}: {:?}", lossy(signed))),
                    }
                }
                other => r.fail("body", format!("not multipart: {other:?}")),
            }
        }
    }

    // No plaintext of an encrypted field anywhere.
    let debug = (case.debug)();
    for secret in &secrets {
        let encoded = encode_component(secret);
        if url.contains(secret) || url.contains(&encoded) {
            r.fail("plaintext", format!("{secret:?} in the URL"));
        }
        for (name, value) in headers {
            if String::from_utf8_lossy(value.as_bytes()).contains(secret) {
                r.fail("plaintext", format!("{secret:?} in header {name}"));
            }
        }
        if contains(prepared.body(), secret.as_bytes()) {
            r.fail("plaintext", format!("{secret:?} in the body"));
        }
        if debug.contains(secret) {
            r.fail("Debug", format!("{secret:?} printed by Debug"));
        }
    }
    if !secrets.is_empty() && !debug.contains("***") {
        r.fail("Debug", "no \"***\" for the encrypted fields");
    }
}

fn check_authorization(ctx: &Ctx, case: &Case, prepared: &wxpay::PreparedRequest, r: &mut Report) {
    let Some(auth) = prepared
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
    else {
        r.fail("header Authorization", "missing");
        return;
    };
    let param = |name: &str| -> Option<&str> {
        let start = auth.find(&format!("{name}=\""))? + name.len() + 2;
        let end = auth[start..].find('"')? + start;
        Some(&auth[start..end])
    };
    let (Some(nonce), Some(ts), Some(sig)) =
        (param("nonce_str"), param("timestamp"), param("signature"))
    else {
        r.fail("header Authorization", format!("unreadable: {auth}"));
        return;
    };
    let mut message = Vec::new();
    for part in [
        case.method.as_bytes(),
        prepared.canonical_url().as_bytes(),
        ts.as_bytes(),
        nonce.as_bytes(),
        prepared.body(),
    ] {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    if !ctx.engine.merchant_key().public_key().verify(&message, sig) {
        r.fail(
            "header Authorization",
            "signature does not verify over what is sent",
        );
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Query,
    Body,
    Meta,
    Response,
}

#[derive(Default)]
struct Compared {
    leaves_ok: usize,
    failed: usize,
}

/// Decodes `actual` in place (`#[json_string]` text parsed, encrypted values decrypted) and
/// compares it with the expected tree, reporting every difference by JSON pointer. Top-level
/// names in `skip` are removed from the expectation (errata).
fn compare_json(
    ctx: &Ctx,
    actual: &mut Value,
    exp: &JsonExpect,
    skip: &[&str],
    place: &str,
    r: &mut Report,
    field: Field,
) -> Compared {
    let mut out = Compared::default();
    let before = r.failures.len();
    for ptr in exp.json_strings {
        match actual.pointer_mut(ptr) {
            Some(v) => match v.as_str().map(serde_json::from_str::<Value>) {
                Some(Ok(parsed)) => {
                    *v = parsed;
                    if field != Field::Query {
                        r.counts.json_strings += 1;
                    }
                }
                Some(Err(e)) => r.fail(&format!("{place} {ptr}"), format!("not JSON text: {e}")),
                None => r.fail(
                    &format!("{place} {ptr}"),
                    format!("not a string holding JSON: {v}"),
                ),
            },
            None => r.fail(&format!("{place} {ptr}"), "missing (json_string)"),
        }
    }
    for (ptr, plain) in exp.encrypted {
        let Some(v) = actual.pointer_mut(ptr) else {
            r.fail(&format!("{place} {ptr}"), "missing (encrypted)");
            continue;
        };
        let Some(cipher) = v.as_str() else {
            r.fail(
                &format!("{place} {ptr}"),
                format!("encrypted field is not a string: {v}"),
            );
            continue;
        };
        if cipher == *plain {
            r.fail(&format!("{place} {ptr}"), "sent in plaintext");
            continue;
        }
        match ctx.wechatpay_private.decrypt(cipher) {
            Ok(p) => {
                if p == *plain {
                    if field == Field::Response {
                        // counted with the typed accessor
                    } else {
                        r.counts.encrypted_request += 1;
                    }
                }
                *v = Value::String(p);
            }
            Err(e) => r.fail(&format!("{place} {ptr}"), format!("does not decrypt: {e}")),
        }
    }
    let mut expected: Value = serde_json::from_str(exp.json).expect("expected JSON");
    if let Some(obj) = expected.as_object_mut() {
        for s in skip {
            obj.remove(*s);
        }
    }
    if let (Some(obj), false) = (actual.as_object_mut(), skip.is_empty()) {
        for s in skip {
            obj.remove(*s);
        }
    }
    diff(&expected, actual, "", place, r, &mut out);
    out.failed = r.failures.len() - before;
    out
}

fn diff(
    expected: &Value,
    actual: &Value,
    ptr: &str,
    place: &str,
    r: &mut Report,
    out: &mut Compared,
) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = format!("{ptr}/{}", k.replace('~', "~0").replace('/', "~1"));
                match a.get(k) {
                    Some(av) => diff(ev, av, &p, place, r, out),
                    None => r.fail(&format!("{place} {p}"), "missing"),
                }
            }
            for k in a.keys() {
                if !e.contains_key(k) {
                    r.fail(
                        &format!("{place} {ptr}/{k}"),
                        format!("unexpected field: {}", a[k]),
                    );
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                r.fail(
                    &format!("{place} {ptr}"),
                    format!("{} elements, expected {}", a.len(), e.len()),
                );
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff(ev, av, &format!("{ptr}/{i}"), place, r, out);
            }
        }
        (e, a) => {
            let equal = match (e, a) {
                (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                _ => e == a,
            };
            if equal {
                out.leaves_ok += 1;
            } else {
                r.fail(&format!("{place} {ptr}"), format!("{a}, expected {e}"));
            }
        }
    }
}

/// Splits a query string into decoded pairs, reporting characters that should have been
/// percent-encoded.
fn parse_query(q: &str, r: &mut Report) -> Vec<(String, String)> {
    let bytes = q.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let ok = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'&' | b'=')
            || (b == b'%'
                && i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit());
        if !ok {
            r.fail(
                "query",
                format!(
                    "byte {:?} at {i} is not percent-encoded in {q:?}",
                    b as char
                ),
            );
            break;
        }
        i += 1;
    }
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(n), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn lossy(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    s.chars().take(300).collect()
}

// ---------------------------------------------------------------------------------------
// Answers

fn signed_headers(ctx: &Ctx, body: &[u8]) -> HeaderMap {
    let nonce = "c2fe5d1a8b7e4f60a3b2c1d0e9f8a7b6";
    let ts = NOW.to_string();
    let mut message = Vec::new();
    for part in [ts.as_bytes(), nonce.as_bytes(), body] {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    let signature = ctx.wechatpay_signer.sign(&message).expect("sign");
    let mut h = HeaderMap::new();
    h.insert("Wechatpay-Timestamp", HeaderValue::from_str(&ts).unwrap());
    h.insert("Wechatpay-Nonce", HeaderValue::from_static(nonce));
    h.insert("Wechatpay-Serial", HeaderValue::from_static(PUB_KEY_ID));
    h.insert(
        "Wechatpay-Signature",
        HeaderValue::from_str(&signature).unwrap(),
    );
    h.insert("Request-ID", HeaderValue::from_static("08F1A2B3C4D5E6F7"));
    h
}

fn check_response(ctx: &Ctx, case: &Case, r: &mut Report) {
    match &case.response {
        RespExpect::Empty { read } => {
            let headers = signed_headers(ctx, b"");
            match read(&ctx.engine, &headers, b"") {
                Ok(Decoded::Empty) => r.counts.responses_empty += 1,
                Ok(other) => r.fail("response", format!("empty answer read as {other:?}")),
                Err(e) => r.fail("response", format!("empty answer: {e}")),
            }
        }
        RespExpect::Download { read } => {
            let bytes = format!("%PDF-1.4 download of {}", case.index).into_bytes();
            match read(&ctx.engine, &HeaderMap::new(), &bytes) {
                Ok(Decoded::Bytes(b)) if b == bytes => r.counts.downloads += 1,
                Ok(other) => r.fail("response", format!("download read as {other:?}")),
                Err(e) => r.fail("response", format!("download: {e}")),
            }
        }
        RespExpect::Json { sample, read } => {
            // The answer as WeChat Pay sends it: encrypted fields under the merchant public
            // key, json_string values as text (innermost first).
            let mut answer: Value = serde_json::from_str(sample.json).expect("sample JSON");
            for (ptr, plain) in sample.encrypted {
                let cipher = ctx.merchant_public.encrypt(plain).expect("encrypt");
                *answer.pointer_mut(ptr).expect("encrypted pointer") = Value::String(cipher);
            }
            for ptr in sample.json_strings.iter().rev() {
                let v = answer.pointer_mut(ptr).expect("json_string pointer");
                *v = Value::String(serde_json::to_string(v).unwrap());
            }
            let body = serde_json::to_vec(&answer).unwrap();
            let headers = signed_headers(ctx, &body);
            match read(&ctx.engine, &headers, &body) {
                Ok(Decoded::Json(mut back, values)) => {
                    r.counts.responses_json += 1;
                    let expected: Vec<&str> = sample.encrypted.iter().map(|(_, p)| *p).collect();
                    if values.len() != expected.len() {
                        r.fail(
                            "response",
                            format!(
                                "{} encrypted values read, expected {}",
                                values.len(),
                                expected.len()
                            ),
                        );
                    }
                    for (i, ((ptr, plain), got)) in sample.encrypted.iter().zip(&values).enumerate()
                    {
                        if got == plain {
                            r.counts.encrypted_response += 1;
                        } else {
                            r.fail(
                                &format!("response {ptr}"),
                                format!(
                                    "encrypted field #{i} decrypted to {got:?}, expected {plain:?}"
                                ),
                            );
                        }
                    }
                    // Serialized back under the engine's WeChat Pay key: decrypt with its
                    // private key, then the tree must be the sample.
                    let n =
                        compare_json(ctx, &mut back, sample, &[], "response", r, Field::Response);
                    r.counts.response_fields += n.leaves_ok;
                }
                Ok(other) => r.fail("response", format!("JSON answer read as {other:?}")),
                Err(e) => r.fail("response", format!("reading the sample answer: {e}")),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The checker itself: a wrong expectation must be reported, naming the endpoint and field.

fn case(id: &str) -> Case {
    *CASES
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case {id}"))
}

fn failures_of(ctx: &Ctx, case: Case) -> Vec<String> {
    let case: &'static Case = Box::leak(Box::new(case));
    let mut report = Report {
        id: case.id,
        ..Report::default()
    };
    check(ctx, case, &mut report);
    report.failures
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn the_checker_reports_wrong_expectations() {
    let ctx = context();
    let expect_failure = |case: Case, needle: &str| {
        let failures = failures_of(&ctx, case);
        assert!(
            failures
                .iter()
                .any(|f| f.starts_with(case.id) && f.contains(needle)),
            "{}: no failure mentioning {needle:?} in {failures:#?}",
            case.id
        );
    };

    // Every unmodified case passes (checked at length by every_catalog_endpoint).
    let query = case("GET v3/aggracct-bc/wb-channel/account/balance");
    assert_eq!(failures_of(&ctx, query), Vec::<String>::new());

    expect_failure(
        Case {
            path: "v3/aggracct-bc/elsewhere",
            ..query
        },
        "[path]",
    );
    let mut pairs = query.query.to_vec();
    pairs[0].1 = QV::Plain("other");
    expect_failure(
        Case {
            query: Box::leak(pairs.into_boxed_slice()),
            ..query
        },
        "[query mchid]",
    );
    let mut pairs = query.query.to_vec();
    pairs[1].1 = QV::Encrypted("other secret");
    expect_failure(
        Case {
            query: Box::leak(pairs.into_boxed_slice()),
            ..query
        },
        "[query bal_account_no] decrypts to",
    );
    let mut pairs = query.query.to_vec();
    pairs.swap(0, 3);
    expect_failure(
        Case {
            query: Box::leak(pairs.into_boxed_slice()),
            ..query
        },
        "declaration order",
    );
    // Another endpoint's answer type does not read this one's sample answer.
    let other = case("GET v3/abnormal-fund-processing/receipts/{receipt_id}");
    let RespExpect::Json { sample, .. } = query.response else {
        unreachable!()
    };
    let RespExpect::Json { read, .. } = other.response else {
        unreachable!()
    };
    expect_failure(
        Case {
            response: RespExpect::Json { sample, read },
            ..query
        },
        "[response",
    );

    // A JSON body with encrypted fields at depth and json_string fields.
    let body = case("POST v3/apply4subject/applyment");
    let BodyExpect::Json(exp) = body.body else {
        unreachable!()
    };
    assert!(!exp.encrypted.is_empty() && !exp.json_strings.is_empty());
    let changed = exp.json.replacen("\"s0", "\"X0", 1);
    assert_ne!(changed, exp.json);
    expect_failure(
        Case {
            body: BodyExpect::Json(JsonExpect {
                json: leak(changed),
                ..exp
            }),
            ..body
        },
        "expected \"X0",
    );
    let mut enc = exp.encrypted.to_vec();
    let (ptr, plain) = enc[enc.len() - 1];
    enc.last_mut().unwrap().1 = "other secret";
    let mut json: Value = serde_json::from_str(exp.json).unwrap();
    *json.pointer_mut(ptr).unwrap() = "other secret".into();
    expect_failure(
        Case {
            body: BodyExpect::Json(JsonExpect {
                json: leak(json.to_string()),
                encrypted: Box::leak(enc.into_boxed_slice()),
                ..exp
            }),
            ..body
        },
        &format!("[body {ptr}] {:?}, expected \"other secret\"", plain),
    );
    let mut extra: Value = serde_json::from_str(exp.json).unwrap();
    extra.as_object_mut().unwrap().remove("business_code");
    expect_failure(
        Case {
            body: BodyExpect::Json(JsonExpect {
                json: leak(extra.to_string()),
                ..exp
            }),
            ..body
        },
        "[body /business_code] unexpected field",
    );

    // Headers and uploads.
    let header = case("POST v3/marketing/partnerships/build");
    let mut headers = header.headers.to_vec();
    headers[0].1 = "other";
    expect_failure(
        Case {
            headers: Box::leak(headers.into_boxed_slice()),
            ..header
        },
        "[header Idempotency-Key]",
    );
    let upload = case("POST v3/merchant/media/upload");
    let BodyExpect::Multipart {
        meta,
        file_part,
        bytes,
        ..
    } = upload.body
    else {
        unreachable!()
    };
    expect_failure(
        Case {
            body: BodyExpect::Multipart {
                meta,
                file_part,
                filename: "other.jpg",
                bytes,
            },
            ..upload
        },
        "[multipart part file]",
    );
    let submission = case("POST v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload");
    let BodyExpect::Multipart {
        meta,
        filename,
        bytes,
        ..
    } = submission.body
    else {
        unreachable!()
    };
    expect_failure(
        Case {
            body: BodyExpect::Multipart {
                meta,
                file_part: "file",
                filename,
                bytes,
            },
            ..submission
        },
        "[multipart] file in part \"submission_file\", not \"file\"",
    );
}
