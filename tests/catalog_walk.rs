//! Every endpoint of `wxpay::api`, checked through the real path and against the catalog data,
//! not against the generator.
//!
//! For each of the catalog's endpoints, this test (its own reading of
//! `wxpay-api/catalog/endpoints.json`, written here and sharing nothing with `xtask`):
//! 1. makes a sample request from the documented field tree: every field, optional ones
//!    included, each value unique;
//! 2. builds the typed request with `from_json` (through `wxpay::api::dynamic`), prepares it
//!    (encrypted, signed) and sends it to the sandbox, which verifies the signature and
//!    decrypts what is encrypted;
//! 3. compares what the sandbox received with the tree: the path with each placeholder's
//!    value, every query parameter, every documented header, the JSON body (or upload meta and
//!    file) exactly, and the list of encrypted fields;
//! 4. has the sandbox answer a sample of the documented answer (encrypted fields encrypted
//!    under the merchant key, values of enum fields that the docs do not list, a key they do
//!    not document) and checks the typed answer: verified, decrypted, holding those values;
//! 5. has it answer `{}` and checks that the typed answer still parses; then, where the answer
//!    has nested objects, an answer with every documented object present at every depth but
//!    none of their other fields (`{"payer": {}, "promotion_detail": [{}]}`): it parses too,
//!    holding exactly those objects.
//!
//! Every failure is collected, each naming the endpoint; `CATALOG_FILTER=text` runs the
//! endpoints whose `METHOD path` holds `text`. With feature `api` every endpoint must be
//! there; with some `api-<group>` features, the endpoints of those groups are walked.
#![cfg(all(feature = "client", feature = "dynamic"))]

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Map, Value, json};
use wxpay::api::dynamic;
use wxpay_sandbox::{Answer, Sandbox};

const CATALOG: &str = include_str!("../wxpay-api/catalog/endpoints.json");

/// Values unique across the run, so that a value found in the wrong place is noticed.
struct Sampler {
    n: u64,
}

impl Sampler {
    fn next(&mut self) -> u64 {
        self.n += 1;
        self.n
    }
}

fn fields(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn name(f: &Value) -> &str {
    f["name"].as_str().expect("a field has a name")
}

fn ty(f: &Value) -> &str {
    f["type"].as_str().expect("a field has a type")
}

fn is_encoded(f: &Value) -> bool {
    f["encoded"] == "json_encode" && !fields(&f["children"]).is_empty()
}

fn is_encrypted(f: &Value) -> bool {
    f["encrypted"] == true && ty(f) == "string"
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Request,
    Answer,
}

/// A sample value of field `f`, as `from_json` takes it (an encoded field: the object).
fn sample(f: &Value, s: &mut Sampler, side: Side, text: &str) -> Value {
    let children = fields(&f["children"]);
    let enums: Vec<&str> = f["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let n = s.next();
    let scalar = |s: &mut Sampler, t: &str| -> Value {
        match t {
            "integer" | "number" => json!(s.next()),
            "boolean" => json!(true),
            _ if !enums.is_empty() && !is_encrypted(f) => {
                // Answers get a value the docs do not list now and then: it must be kept.
                if side == Side::Answer && n.is_multiple_of(2) {
                    json!(format!("NEW_VALUE_{n}"))
                } else {
                    json!(enums[(n as usize) % enums.len()])
                }
            }
            _ => json!(format!("{text}{}", s.next())),
        }
    };
    let object = |s: &mut Sampler| -> Value {
        if children.is_empty() {
            json!({ format!("k{}", s.next()): format!("free{}", s.next()) })
        } else {
            Value::Object(
                children
                    .iter()
                    .map(|c| (name(c).to_string(), sample(c, s, side, text)))
                    .collect(),
            )
        }
    };
    match ty(f) {
        _ if is_encoded(f) => object(s),
        "object" => object(s),
        "object[]" => json!([object(s)]),
        t if t.ends_with("[]") => json!([scalar(s, &t[..t.len() - 2])]),
        t => scalar(s, t),
    }
}

/// Encoded fields' JSON text parsed (a string that is not JSON is kept,
/// so that the comparison shows it).
fn decode(fs: &[Value], value: &Value) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (k, v) in map {
        let out_v = match fs.iter().find(|f| name(f) == k) {
            Some(f) if is_encoded(f) => match v.as_str().map(serde_json::from_str::<Value>) {
                Some(Ok(inner)) => decode(fields(&f["children"]), &inner),
                _ => v.clone(),
            },
            Some(f) if ty(f) == "object" => decode(fields(&f["children"]), v),
            Some(f) if ty(f) == "object[]" => Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| decode(fields(&f["children"]), e))
                    .collect(),
            ),
            _ => v.clone(),
        };
        out.insert(k.clone(), out_v);
    }
    Value::Object(out)
}

/// Every documented object of `fs` present at every depth with none of its other fields (a
/// list of objects: one such object); on the `wire`, an encoded object is its JSON text.
fn hollow(fs: &[Value], wire: bool) -> Value {
    let objects = fs.iter().filter_map(|f| {
        let inner = hollow(fields(&f["children"]), wire);
        let v = match ty(f) {
            _ if is_encoded(f) && wire => Value::String(inner.to_string()),
            _ if is_encoded(f) => inner,
            "object" => inner,
            "object[]" => json!([inner]),
            _ => return None,
        };
        Some((name(f).to_string(), v))
    });
    Value::Object(objects.collect())
}

/// `value` without its `null`s, at every depth.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Where the documented encrypted fields of `value` are, as the sandbox names them:
/// `a.b`, `list[0].c`; an encoded field continues the path into its JSON.
fn encrypted_paths(fs: &[Value], value: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = value else { return };
    for f in fs {
        let Some(v) = map.get(name(f)) else { continue };
        let here = if at.is_empty() {
            name(f).to_string()
        } else {
            format!("{at}.{}", name(f))
        };
        if is_encrypted(f) && !is_encoded(f) {
            if v.as_str().is_some_and(|s| !s.is_empty()) {
                out.push(here);
            }
        } else if ty(f) == "object[]" {
            for (i, e) in v.as_array().into_iter().flatten().enumerate() {
                encrypted_paths(fields(&f["children"]), e, &format!("{here}[{i}]"), out);
            }
        } else {
            encrypted_paths(fields(&f["children"]), v, &here, out);
        }
    }
}

/// Encrypts the documented encrypted answer fields as WeChat Pay does (merchant key), then
/// encodes what travels as JSON text.
fn answer_wire(sandbox: &Sandbox, fs: &[Value], value: &Value) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (k, v) in map {
        let out_v = match fs.iter().find(|f| name(f) == k) {
            Some(f) if is_encoded(f) => {
                Value::String(answer_wire(sandbox, fields(&f["children"]), v).to_string())
            }
            Some(f) if is_encrypted(f) => {
                json!(
                    sandbox
                        .encrypt_for_merchant(v.as_str().expect("a string"))
                        .expect("encrypts")
                )
            }
            Some(f) if ty(f) == "object" => answer_wire(sandbox, fields(&f["children"]), v),
            Some(f) if ty(f) == "object[]" => Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| answer_wire(sandbox, fields(&f["children"]), e))
                    .collect(),
            ),
            _ => v.clone(),
        };
        out.insert(k.clone(), out_v);
    }
    Value::Object(out)
}

/// The text of a scalar (or list of scalars) in a query string: lists comma-separated.
fn query_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(query_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

struct Walk {
    sandbox: Sandbox,
    client: wxpay::Client,
    rt: tokio::runtime::Runtime,
    s: Sampler,
    failures: Vec<String>,
    counts: BTreeMap<&'static str, usize>,
}

impl Walk {
    fn count(&mut self, what: &'static str, n: usize) {
        *self.counts.entry(what).or_default() += n;
    }

    fn endpoint(&mut self, e: &Value) {
        let method = e["method"].as_str().expect("method");
        let path = e["path"].as_str().expect("path");
        let id = format!("{method} {path}");
        let mut fail = |what: String| self.failures.push(format!("{id}: {what}"));
        let Some(entry) = wxpay::api::find(method, path) else {
            return fail("not in wxpay::api::CATALOG".into());
        };
        let Some(typed) = dynamic::find(method, path) else {
            // Its group's feature is off (all are on with `api`, checked at the end).
            return self.count("endpoints of groups not compiled", 1);
        };
        if typed.entry() != entry {
            return fail(format!("dynamic::find gives {}", typed.entry().path));
        }
        if typed.entry().path != path {
            fail(format!("found as {}", typed.entry().path));
            return;
        }

        // 1. The sample request, as `from_json` takes it.
        let mut input = Map::new();
        let mut sent_path = path.to_string();
        let mut path_values = Vec::new();
        for p in fields(&e["path_params"]) {
            let v = if ty(p) == "string" {
                json!(format!("p{} x/中", self.s.next()))
            } else {
                json!(self.s.next())
            };
            sent_path = sent_path.replace(&format!("{{{}}}", name(p)), "\u{0}");
            path_values.push(query_text(&v));
            input.insert(name(p).to_string(), v);
        }
        let mut query = Vec::new();
        let mut encrypted = Vec::new();
        for q in fields(&e["query"]) {
            let v = sample(q, &mut self.s, Side::Request, "q&=/+ 中");
            let text = if is_encoded(q) {
                v.to_string()
            } else {
                query_text(&v)
            };
            if is_encrypted(q) {
                encrypted.push(format!("?{}", name(q)));
            }
            query.push((name(q).to_string(), text));
            input.insert(name(q).to_string(), v);
        }
        let mut headers = Vec::new();
        for h in fields(&e["headers"]) {
            // The client sets these two itself; `from_json` does not take them.
            if matches!(name(h), "Wechatpay-Serial" | "Accept-Encoding") {
                continue;
            }
            let v = format!("h{}", self.s.next());
            headers.push((name(h).to_string(), v.clone()));
            input.insert(name(h).to_string(), json!(v));
        }
        let mut body_fields: &[Value] = fields(&e["json"]);
        let mut file = None;
        let mut parts = fields(&e["multipart"]).to_vec();
        if e["kind"] == "multipart upload" && parts.is_empty() {
            // One upload documents no parts: an image upload, its file in part `file`.
            parts.push(json!({"name": "file", "type": "object", "children": []}));
        }
        for part in &parts {
            if name(part) == "meta" {
                body_fields = fields(&part["children"]);
            } else {
                let bytes = format!("file{}\u{0}\u{ff}", self.s.next()).into_bytes();
                let filename = format!("f{}.jpg", self.s.next());
                input.insert(
                    name(part).to_string(),
                    json!({
                        "filename": filename,
                        "base64": base64::engine::general_purpose::STANDARD.encode(&bytes),
                    }),
                );
                file = Some((name(part).to_string(), filename, bytes));
            }
        }
        // The contract: an upload's meta gets `filename` and `sha256` from the file, unless it
        // documents its own name or digest field (submission and due-diligence files,
        // SM3-digested fapiao and taxi files). So those two are not the caller's to give.
        let own = ["file_name", "file_digest", "digest"];
        let own = body_fields.iter().any(|f| own.contains(&name(f)));
        let from_the_file =
            |f: &Value| file.is_some() && !own && ["filename", "sha256"].contains(&name(f));
        let mut body = Map::new();
        for f in body_fields.iter().filter(|f| !from_the_file(f)) {
            let mut v = sample(f, &mut self.s, Side::Request, "s");
            // An upload's meta states the file's digest, which the sandbox checks: SM3 for
            // fapiao and taxi-invoice files, SHA-256 elsewhere.
            if let Some((_, filename, bytes)) = &file {
                let file = wxpay::File::new(filename.clone(), bytes.clone());
                let sm3 = path.contains("fapiao") || path.contains("taxi-invoice");
                match name(f) {
                    "sha256" | "file_digest" => v = json!(file.sha256_hex()),
                    "digest" if sm3 => v = json!(file.sm3_hex()),
                    _ => {}
                }
            }
            body.insert(name(f).to_string(), v.clone());
            input.insert(name(f).to_string(), v);
        }
        let body = Value::Object(body);
        encrypted_paths(body_fields, &body, "", &mut encrypted);

        // The documented answer, and what the sandbox answers with.
        let kind = e["kind"].as_str().expect("kind");
        let answer_fields = fields(&e["response"]);
        let (answer, expected_answer) = if kind == "download" {
            let bytes = format!("download{}", self.s.next()).into_bytes();
            let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
            (Answer::download(bytes), json!(b64))
        } else if e["response_empty"] == true || answer_fields.is_empty() {
            (Answer::empty(), Value::Null)
        } else {
            let plain = Value::Object(
                answer_fields
                    .iter()
                    .map(|f| {
                        (
                            name(f).to_string(),
                            sample(f, &mut self.s, Side::Answer, "r"),
                        )
                    })
                    .collect(),
            );
            let mut wire = answer_wire(&self.sandbox, answer_fields, &plain);
            wire["an_undocumented_key"] = json!({"x": [1, 2]});
            (Answer::json(wire), plain)
        };
        self.sandbox.clear_responses();
        self.sandbox.respond(method, path, answer);
        self.sandbox.clear_received();

        // 2. Typed, prepared, sent.
        let prepared = match typed.prepare(
            Value::Object(input),
            self.client.engine(),
            Some(self.sandbox.base_url()),
        ) {
            Ok(p) => p,
            Err(err) => return fail(format!("from_json/prepare: {err}")),
        };
        let (status, answer_headers, answer_body) =
            match self.rt.block_on(self.client.execute_prepared(&prepared)) {
                Ok(a) => a,
                Err(err) => return fail(format!("send: {err}")),
            };
        let received = self.sandbox.take_received();
        let [r] = &received[..] else {
            return fail(format!("the sandbox received {} requests", received.len()));
        };
        if r.status >= 300 {
            return fail(format!(
                "the sandbox answered {} {:?}: {}",
                r.status,
                r.error_code,
                String::from_utf8_lossy(&answer_body)
            ));
        }

        // 3. What arrived, against the tree.
        let mut counts = Vec::new();
        if r.method != method {
            fail(format!("method {}", r.method));
        }
        let segments: Vec<&str> = r.path.split('/').collect();
        let template: Vec<&str> = sent_path.split('/').collect();
        let mut values = path_values.iter();
        if segments.len() != template.len() {
            fail(format!("path {} for {path}", r.path));
        } else {
            for (got, want) in segments.iter().zip(&template) {
                if *want == "\u{0}" {
                    let value = values.next().expect("a value per placeholder");
                    if percent_encoding::percent_decode_str(got)
                        .decode_utf8()
                        .ok()
                        .as_deref()
                        != Some(value.as_str())
                        || got.contains(|c: char| !c.is_ascii() || c == ' ')
                    {
                        fail(format!("path segment {got:?} for {value:?}"));
                    }
                    counts.push(("path parameters", 1));
                } else if got != want {
                    fail(format!("path {} for {path}", r.path));
                }
            }
        }
        if r.query_params != query {
            fail(format!(
                "query {:?}, documented {:?}",
                r.query_params, query
            ));
        }
        counts.push(("query parameters", query.len()));
        for (h, v) in &headers {
            if r.header(h) != Some(v) {
                fail(format!("header {h}: {:?}, sent {v:?}", r.header(h)));
            }
        }
        counts.push(("headers", headers.len()));
        let got_body = decode(body_fields, &r.json);
        let want_body = if body_fields.is_empty() && file.is_none() {
            // No documented body: GET and DELETE send none, the others an empty object.
            if matches!(method, "GET" | "DELETE") {
                Value::Null
            } else {
                json!({})
            }
        } else {
            let mut body = body.clone();
            if let (Some((_, filename, bytes)), Some(meta), false) =
                (&file, body.as_object_mut(), own)
            {
                let file = wxpay::File::new(filename.clone(), bytes.clone());
                meta.insert("filename".into(), json!(filename));
                meta.insert("sha256".into(), json!(file.sha256_hex()));
            }
            body
        };
        if got_body != want_body {
            fail(format!("body {got_body}, documented sample {want_body}"));
        }
        counts.push(("body fields", body_fields.len()));
        if let Some((part, filename, bytes)) = &file {
            if r.file_part.as_deref() != Some(part.as_str())
                || r.file.as_ref() != Some(&(filename.clone(), bytes.clone()))
            {
                fail(format!("file part {:?} {:?}", r.file_part, r.file));
            }
            counts.push(("files", 1));
        }
        let mut got_encrypted = r.encrypted.clone();
        got_encrypted.sort();
        encrypted.sort();
        if got_encrypted != encrypted {
            fail(format!(
                "encrypted {got_encrypted:?}, documented {encrypted:?}"
            ));
        }
        if !encrypted.is_empty()
            && r.wechatpay_serial() != Some(self.sandbox.wechatpay_public_key_id())
        {
            fail(format!("Wechatpay-Serial {:?}", r.wechatpay_serial()));
        }
        counts.push(("encrypted request fields", encrypted.len()));

        // 4. The answer, typed.
        match typed.read(self.client.engine(), status, &answer_headers, &answer_body) {
            Ok(got) => {
                let got = decode(answer_fields, &got);
                if got != expected_answer {
                    fail(format!("answer {got}, sent {expected_answer}"));
                }
                let mut enc = Vec::new();
                encrypted_paths(answer_fields, &expected_answer, "", &mut enc);
                counts.push(("encrypted answer fields", enc.len()));
                counts.push(("answer fields", answer_fields.len()));
            }
            Err(err) => fail(format!("answer not read: {err}")),
        }

        // 5. An answer with none of the documented fields still parses.
        if expected_answer.is_object() {
            self.sandbox.respond(method, path, Answer::json(json!({})));
            match self
                .rt
                .block_on(self.client.execute_prepared(&prepared))
                .and_then(|(s, h, b)| typed.read(self.client.engine(), s, &h, &b))
            {
                Ok(v)
                    if v.as_object()
                        .is_some_and(|m| m.values().all(Value::is_null)) => {}
                Ok(v) => fail(format!("empty answer read as {v}")),
                Err(err) => fail(format!("empty answer not read: {err}")),
            }
            let hollow_answer = hollow(answer_fields, false);
            if hollow_answer != json!({}) {
                let wire = hollow(answer_fields, true);
                self.sandbox.respond(method, path, Answer::json(wire));
                match self
                    .rt
                    .block_on(self.client.execute_prepared(&prepared))
                    .and_then(|(s, h, b)| typed.read(self.client.engine(), s, &h, &b))
                {
                    Ok(v) if without_nulls(&decode(answer_fields, &v)) == hollow_answer => {}
                    Ok(v) => fail(format!("hollow answer {hollow_answer} read as {v}")),
                    Err(err) => fail(format!("hollow answer {hollow_answer} not read: {err}")),
                }
                counts.push(("answers with only their objects", 1));
            }
            self.sandbox.clear_received();
        }
        counts.push(("endpoints", 1));
        for (what, n) in counts {
            self.count(what, n);
        }
    }
}

#[test]
fn every_endpoint_goes_through_the_sandbox_as_documented() {
    let catalog: Vec<Value> = serde_json::from_str(CATALOG).expect("the catalog is JSON");
    assert_eq!(catalog.len(), wxpay::api::CATALOG.len());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sandbox = Sandbox::start_blocking().expect("sandbox");
    let client = rt.block_on(async { sandbox.client() });
    let mut walk = Walk {
        sandbox,
        client,
        rt,
        s: Sampler { n: 0 },
        failures: Vec::new(),
        counts: BTreeMap::new(),
    };
    let filter = std::env::var("CATALOG_FILTER").unwrap_or_default();
    for e in &catalog {
        let id = format!(
            "{} {}",
            e["method"].as_str().unwrap_or(""),
            e["path"].as_str().unwrap_or("")
        );
        if id.contains(&filter) {
            walk.endpoint(e);
        }
    }
    eprintln!("{:#?}", walk.counts);
    assert!(
        walk.failures.is_empty(),
        "{} failures:\n{}",
        walk.failures.len(),
        walk.failures.join("\n")
    );
    if filter.is_empty() && cfg!(feature = "api") {
        // Every endpoint went through, and each kind of thing was checked.
        assert_eq!(walk.counts["endpoints"], catalog.len());
        for what in [
            "path parameters",
            "query parameters",
            "headers",
            "body fields",
            "files",
            "encrypted request fields",
            "encrypted answer fields",
            "answer fields",
            "answers with only their objects",
        ] {
            assert!(walk.counts[what] > 0, "{what}");
        }
    }
}
