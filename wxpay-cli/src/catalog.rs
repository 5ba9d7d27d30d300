//! The documented endpoints (the catalog of `wxpay::api`): `wxpay api search` and
//! `wxpay api show`, and the one JSON object that `wxpay call` builds a catalog endpoint's typed
//! request from.

use std::fmt::Write as _;
use std::sync::OnceLock;

use clap::Subcommand;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::CliError;
use crate::json::Json;
use crate::output;

#[derive(Subcommand, Debug)]
pub enum ApiCommand {
    /// List the endpoints whose title or path holds WORD
    Search {
        /// A word of the title (Chinese, such as 退款) or of the path (such as refunds)
        word: String,
    },
    /// Print an endpoint's request and answer fields: name, type, required, encrypted, enum
    /// values
    Show {
        /// GET, POST, PUT, PATCH or DELETE
        method: String,
        /// The path, with `{name}` placeholders or with values
        path: String,
    },
}

pub fn run(command: ApiCommand) -> Result<(), CliError> {
    match command {
        ApiCommand::Search { word } => {
            let mut lines = String::new();
            for e in wxpay::api::search(&word) {
                let _ = writeln!(
                    lines,
                    "{:<6} {}  {}  ({})",
                    e.method, e.path, e.title, e.type_name
                );
            }
            if lines.is_empty() {
                return Err(CliError::usage(format!(
                    "no endpoint's title or path holds {word:?}"
                )));
            }
            output::stdout(lines.as_bytes())
        }
        ApiCommand::Show { method, path } => {
            let doc = Documented::find(&method, &path).ok_or_else(|| not_found(&method, &path))?;
            output::stdout(doc.describe().as_bytes())
        }
    }
}

/// `METHOD PATH` is not in the catalog; the methods it has there, if any.
fn not_found(method: &str, path: &str) -> CliError {
    let method = method.to_ascii_uppercase();
    let others: Vec<&str> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .filter(|m| wxpay::api::find(m, path).is_some())
        .collect();
    let hint = if others.is_empty() {
        "`wxpay api search WORD` finds endpoints".to_string()
    } else {
        format!("it is there as {}", others.join(", "))
    };
    CliError::usage(format!("{method} {path} is not in the catalog ({hint})"))
}

/// One endpoint of `catalog/endpoints.json`, as far as the CLI reads it (a missing or `null`
/// list is `None`).
#[derive(Deserialize)]
struct Data {
    method: String,
    path: String,
    kind: String,
    path_params: Option<Vec<Field>>,
    query: Option<Vec<Field>>,
    headers: Option<Vec<Field>>,
    json: Option<Vec<Field>>,
    multipart: Option<Vec<Field>>,
    response: Option<Vec<Field>>,
    #[serde(default)]
    response_empty: bool,
    base_uri: Option<String>,
}

/// A documented field: `{name, type, required, encrypted, [encoded], [enum], children}`.
#[derive(Deserialize)]
struct Field {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    encoded: Option<String>,
    #[serde(default, rename = "enum")]
    values: Vec<Value>,
    #[serde(default)]
    children: Vec<Field>,
}

impl Field {
    fn is_json_text(&self) -> bool {
        self.encoded.as_deref() == Some("json_encode")
    }
}

fn list(fields: &Option<Vec<Field>>) -> &[Field] {
    fields.as_deref().unwrap_or(&[])
}

fn catalog() -> &'static [Data] {
    static DATA: OnceLock<Vec<Data>> = OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(wxpay::api::__catalog_json()).unwrap_or_default())
}

/// Headers that the client sets itself: documented, but not given.
const SET_BY_WXPAY: [&str; 2] = ["Wechatpay-Serial", "Accept-Encoding"];

/// One catalog endpoint with its field trees.
pub struct Documented {
    pub entry: &'static wxpay::api::Entry,
    data: &'static Data,
}

impl Documented {
    /// The endpoint of `METHOD PATH` (a template or a concrete path, a query string allowed).
    pub fn find(method: &str, path: &str) -> Option<Documented> {
        let entry = wxpay::api::find(method, path)?;
        let data = catalog()
            .iter()
            .find(|d| d.method == entry.method && d.path == entry.path)?;
        Some(Documented { entry, data })
    }

    /// A download: its answer is a file, unsigned.
    pub fn is_download(&self) -> bool {
        self.data.kind == "download"
    }

    /// The name of an upload's file part; `None`: not an upload.
    pub fn file_part(&self) -> Option<&'static str> {
        if self.data.kind != "multipart upload" {
            return None;
        }
        let named = self
            .data
            .multipart
            .iter()
            .flatten()
            .find(|p| p.name != "meta");
        Some(named.map_or("file", |p| p.name.as_str()))
    }

    /// Puts an upload's `file` into `request` (the object of [`request`](Self::request)), under
    /// the documented part, as `from_json` takes it. The meta's `filename` and `sha256` come
    /// from the file as for any upload; a name or digest of the endpoint's own (`file_name`,
    /// `file_digest`, `digest`) is the caller's, like any other field.
    pub fn attach_file(
        &self,
        request: &mut Value,
        part: Option<&str>,
        file: &wxpay::File,
    ) -> Result<(), CliError> {
        use base64::Engine as _;
        let name = self.name();
        let (Some(documented), Value::Object(out)) = (self.file_part(), request) else {
            return Err(CliError::usage(format!(
                "{name} takes no file (--raw sends it as given)"
            )));
        };
        if let Some(part) = part.filter(|p| *p != documented) {
            return Err(CliError::usage(format!(
                "{name}: its file part is `{documented}`, not `{part}`"
            )));
        }
        if out.contains_key(documented) {
            return Err(CliError::usage(format!(
                "{name}: `{documented}` is given twice (--file and --json)"
            )));
        }
        let data = base64::engine::general_purpose::STANDARD.encode(file.bytes());
        out.insert(
            documented.to_string(),
            json!({"filename": file.filename(), "base64": data}),
        );
        Ok(())
    }

    /// `METHOD template`, for messages.
    pub fn name(&self) -> String {
        format!("{} {}", self.entry.method, self.entry.path)
    }

    /// The documented fields of the JSON body (an upload: of its meta).
    fn body_fields(&self) -> &'static [Field] {
        match &self.data.multipart {
            Some(parts) => parts
                .iter()
                .find(|p| p.name == "meta")
                .map_or(&[][..], |p| &p.children[..]),
            None => list(&self.data.json),
        }
    }

    /// The one object `from_json` takes: the values of the concrete path's placeholders and
    /// the query pairs (each as the documented type), the `--header`s under their documented
    /// names, and the keys of `body`. Whether the keys are known and complete is for
    /// `from_json` to say.
    pub fn request(
        &self,
        path: &str,
        query: &[(String, String)],
        headers: &[(String, String)],
        body: Option<Json>,
    ) -> Result<Value, CliError> {
        let mut out = Map::new();
        let mut put = |key: String, value: Value| -> Result<(), CliError> {
            match out.get_mut(&key) {
                // A repeated list parameter adds to the list.
                Some(Value::Array(items)) if value.is_array() => {
                    items.extend(value.as_array().into_iter().flatten().cloned());
                    Ok(())
                }
                Some(_) => Err(CliError::usage(format!(
                    "{}: `{key}` is given twice (path, query, --header or --json)",
                    self.name()
                ))),
                None => {
                    out.insert(key, value);
                    Ok(())
                }
            }
        };
        let path = path.trim_start_matches('/');
        let params = list(&self.data.path_params);
        for (template, given) in self.entry.path.split('/').zip(path.split('/')) {
            let Some(name) = template.strip_prefix('{').and_then(|t| t.strip_suffix('}')) else {
                continue;
            };
            if given == template {
                continue; // the template itself: the value comes with --json
            }
            let text = percent_decode(given);
            let value = match params.iter().find(|p| p.name == name) {
                Some(p) => typed_text(p, &text),
                None => Value::String(text),
            };
            put(name.to_string(), value)?;
        }
        let documented = list(&self.data.query);
        for (name, text) in query {
            let value = match documented.iter().find(|f| f.name == *name) {
                Some(f) => typed_text(f, text),
                None => Value::String(text.clone()),
            };
            put(name.clone(), value)?;
        }
        let documented = list(&self.data.headers);
        for (name, text) in headers {
            let name = documented
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map_or(name.as_str(), |h| h.name.as_str());
            put(name.to_string(), Value::String(text.clone()))?;
        }
        match body {
            None => {}
            Some(Json::Object(entries)) => {
                for (key, value) in entries {
                    let value = serde_json::to_value(&value)
                        .map_err(|e| CliError::usage(format!("--json: {e}")))?;
                    put(key, value)?;
                }
            }
            Some(_) => {
                return Err(CliError::usage(format!(
                    "--json: {} takes a JSON object of its fields (`wxpay api show {}` lists them)",
                    self.name(),
                    self.name()
                )));
            }
        }
        Ok(Value::Object(out))
    }

    /// `wxpay api show`.
    pub fn describe(&self) -> String {
        let e = self.entry;
        let d = self.data;
        let mut s = format!(
            "{} {}  {}\ntype {} (feature {})\n",
            e.method, e.path, e.title, e.type_name, e.feature
        );
        if let Some(host) = &d.base_uri {
            let _ = writeln!(s, "host {host}");
        }
        let mut any = false;
        let mut section = |s: &mut String, title: &str, fields: &[Field]| {
            if !fields.is_empty() {
                let _ = writeln!(s, "\n{title}:");
                describe_fields(s, fields, 1);
                any = true;
            }
        };
        section(&mut s, "path", list(&d.path_params));
        section(&mut s, "query", list(&d.query));
        section(&mut s, "headers", list(&d.headers));
        match &d.multipart {
            Some(parts) => {
                section(
                    &mut s,
                    "meta (multipart upload, --json)",
                    self.body_fields(),
                );
                let files: Vec<&str> = parts
                    .iter()
                    .filter(|p| p.name != "meta")
                    .map(|p| p.name.as_str())
                    .collect();
                let files = if files.is_empty() {
                    vec!["file"]
                } else {
                    files
                };
                let _ = writeln!(s, "\nfile part: {} (--file)", files.join(", "));
            }
            None => section(&mut s, "body", self.body_fields()),
        }
        if !any && d.multipart.is_none() {
            let _ = writeln!(s, "\nrequest: no fields");
        }
        let answer = list(&d.response);
        if d.kind == "download" {
            let _ = writeln!(s, "\nanswer: a file, unsigned (--output FILE)");
        } else if answer.is_empty() {
            let what = if d.response_empty {
                "empty"
            } else {
                "no documented fields"
            };
            let _ = writeln!(s, "\nanswer: {what}");
        } else {
            let _ = writeln!(s, "\nanswer:");
            describe_fields(&mut s, answer, 1);
        }
        s
    }
}

/// One line per field, children indented under their parent:
/// `name  type, required|optional[, encrypted][, JSON text][, one of A B C]`.
fn describe_fields(s: &mut String, fields: &[Field], depth: usize) {
    for f in fields {
        let mut marks = vec![
            f.ty.clone(),
            if f.required { "required" } else { "optional" }.to_string(),
        ];
        if f.encrypted {
            marks.push("encrypted".into());
        }
        if f.is_json_text() {
            marks.push("JSON text".into());
        }
        if SET_BY_WXPAY.contains(&f.name.as_str()) && depth == 1 && f.children.is_empty() {
            marks.push("set by wxpay".into());
        }
        if !f.values.is_empty() {
            let values: Vec<String> = f
                .values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect();
            marks.push(format!("one of {}", values.join(" ")));
        }
        let _ = writeln!(s, "{}{}  {}", "  ".repeat(depth), f.name, marks.join(", "));
        describe_fields(s, &f.children, depth + 1);
    }
}

/// A value written in a path or a query string, as its documented type: numbers and booleans
/// as JSON numbers and booleans, lists split at commas, JSON text parsed. What does not read as
/// its type stays a string, for `from_json` to name.
fn typed_text(f: &Field, text: &str) -> Value {
    if let Some(item) = f.ty.strip_suffix("[]") {
        return Value::Array(
            text.split(',')
                .map(|t| scalar_text(item, false, t))
                .collect(),
        );
    }
    scalar_text(&f.ty, f.is_json_text(), text)
}

fn scalar_text(ty: &str, json_text: bool, text: &str) -> Value {
    let parsed = serde_json::from_str::<Value>(text).ok();
    let keep = match (ty, &parsed) {
        ("integer", Some(Value::Number(n))) => n.is_i64() || n.is_u64(),
        ("number", Some(Value::Number(_))) | ("boolean", Some(Value::Bool(_))) => true,
        ("object", Some(Value::Object(_))) => true,
        ("string", Some(Value::Object(_) | Value::Array(_))) => json_text,
        _ => false,
    };
    match parsed {
        Some(value) if keep => value,
        _ => Value::String(text.to_string()),
    }
}

/// `%XX` escapes decoded (an invalid escape, or bytes that are not UTF-8, kept as written).
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), |s| s.into_owned())
}

/// The answer as it came, with what the typed answer reads differently in its place: the
/// decrypted fields, JSON text as the object it holds. Keys the docs do not name, and the
/// answer's order, are kept.
pub fn overlay(raw: Json, typed: &Value) -> Json {
    match (raw, typed) {
        (Json::Object(entries), Value::Object(map)) => Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let v = match map.get(&k) {
                        Some(t) => overlay(v, t),
                        None => v,
                    };
                    (k, v)
                })
                .collect(),
        ),
        (Json::Array(items), Value::Array(typed)) if items.len() == typed.len() => Json::Array(
            items
                .into_iter()
                .zip(typed)
                .map(|(v, t)| overlay(v, t))
                .collect(),
        ),
        // Numbers keep their digits; what the typed answer leaves out stays as it came.
        (raw @ (Json::Number(_) | Json::Array(_) | Json::Object(_)), _) | (raw, Value::Null) => raw,
        (raw, t) => serde_json::from_value(t.clone()).unwrap_or(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_catalog_reads() {
        assert_eq!(catalog().len(), wxpay::api::CATALOG.len());
        let doc = Documented::find("get", "v3/pay/transactions/id/4200?mchid=1").unwrap();
        assert_eq!(doc.name(), "GET v3/pay/transactions/id/{transaction_id}");
        assert!(!doc.is_download());
        assert_eq!(doc.file_part(), None);
    }

    #[test]
    fn texts_as_their_documented_type() {
        let f = |ty: &str| Field {
            name: "x".into(),
            ty: ty.into(),
            required: false,
            encrypted: false,
            encoded: None,
            values: Vec::new(),
            children: Vec::new(),
        };
        assert_eq!(typed_text(&f("integer"), "10"), json!(10));
        assert_eq!(typed_text(&f("integer"), "1.5"), json!("1.5"));
        assert_eq!(typed_text(&f("number"), "1.5"), json!(1.5));
        assert_eq!(typed_text(&f("boolean"), "true"), json!(true));
        assert_eq!(typed_text(&f("string"), "10"), json!("10"));
        assert_eq!(typed_text(&f("integer[]"), "1,2"), json!([1, 2]));
        assert_eq!(typed_text(&f("string[]"), "a,b"), json!(["a", "b"]));
        assert_eq!(percent_decode("T%201%2F%E4%B8%AD%zz"), "T 1/中%zz");
    }

    #[test]
    fn the_typed_answer_over_the_raw_one() {
        let raw = Json::parse(br#"{"z":"CIPHER","a":[{"x":"C2","n":5.0}],"extra":1}"#).unwrap();
        let typed = json!({"z": "plain", "a": [{"x": "p2", "n": 5}], "absent": null});
        assert_eq!(
            serde_json::to_string(&overlay(raw, &typed)).unwrap(),
            r#"{"z":"plain","a":[{"x":"p2","n":5.0}],"extra":1}"#
        );
    }
}
