//! Turns the catalog into Rust: the declarations (with the wxpay macros), the plain-derive
//! twin, and the expectation tables of the catalog test.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::catalog::{Endpoint, Field, Ty};

const DEFAULT_BASE_URL: &str = "https://api.mch.weixin.qq.com/";

/// `#[json_string]` on a query field (`GET v3/marketing/partnerships`: `partner`,
/// `authorized_data`) is rejected by `#[wxpay_endpoint]` ("`#[json_string]` applies to JSON
/// body fields only"). While it is, such a field is declared as a `String` holding the JSON
/// text (the sample serializes the field's model into it), and the summary says so.
const QUERY_JSON_STRING_WORKAROUND: bool = true;

/// Names a model must not take: they would shadow the prelude (or the types the generated
/// code names) in the endpoint's module.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "Extend",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Serialize",
    "Deserialize",
    "File",
    "Download",
    "Self",
    "Map",
    "Value",
];

pub(crate) const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// What `generate` writes.
pub struct Output {
    pub declarations: String,
    pub expect: String,
    pub plain: String,
    pub summary: String,
}

// ---------------------------------------------------------------------------------------
// Names

pub(crate) fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            out.push('_');
            prev_lower = false;
        }
    }
    let mut collapsed = String::new();
    for c in out.chars() {
        if c == '_' && collapsed.ends_with('_') {
            continue;
        }
        collapsed.push(c);
    }
    let trimmed = collapsed.trim_matches('_').to_string();
    if trimmed.is_empty() {
        "field".into()
    } else if trimmed.as_bytes()[0].is_ascii_digit() {
        format!("f_{trimmed}")
    } else {
        trimmed
    }
}

pub(crate) fn camel(name: &str) -> String {
    snake(name)
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The Rust identifier of a wire name, and the `#[serde(rename)]` it needs.
pub(crate) fn field_ident(name: &str, taken: &mut HashSet<String>) -> (String, Option<String>) {
    let mut base = snake(name);
    if matches!(base.as_str(), "self" | "super" | "crate" | "Self") {
        base.push('_');
    }
    let mut candidate = base.clone();
    let mut i = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{i}");
        i += 1;
    }
    taken.insert(candidate.clone());
    let rename = (candidate != name).then(|| name.to_string());
    let ident = if KEYWORDS.contains(&candidate.as_str()) {
        format!("r#{candidate}")
    } else {
        candidate
    };
    (ident, rename)
}

pub(crate) struct Namer {
    used: HashSet<String>,
}

impl Namer {
    pub(crate) fn new(reserved: &[&str]) -> Self {
        let mut used: HashSet<String> = RESERVED_TYPES.iter().map(|s| s.to_string()).collect();
        used.extend(reserved.iter().map(|s| s.to_string()));
        Namer { used }
    }

    /// A unique type name for the object at `path` (wire names from the root): the last
    /// name, else the last two, … else a numbered one.
    pub(crate) fn name(&mut self, path: &[String]) -> String {
        for k in 1..=path.len() {
            let candidate: String = path[path.len() - k..].iter().map(|p| camel(p)).collect();
            if !candidate.is_empty() && !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
        let base: String = path.iter().map(|p| camel(p)).collect();
        let mut i = 2;
        loop {
            let candidate = format!("{base}{i}");
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
            i += 1;
        }
    }
}

fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// RFC 3986 unreserved characters kept, everything else percent-encoded (upper-case hex).
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

pub(crate) fn lit(s: &str) -> String {
    format!("{s:?}")
}

pub(crate) fn doc_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

// ---------------------------------------------------------------------------------------
// Typed fields

#[derive(Clone, Debug)]
struct TField {
    name: String,
    ident: String,
    rename: Option<String>,
    ty: Ty,
    required: bool,
    encrypted: bool,
    json_string: bool,
    /// A `#[json_string]` field declared as a `String` of JSON text instead
    /// ([`QUERY_JSON_STRING_WORKAROUND`]).
    json_text: bool,
    model: Option<String>,
    children: Vec<TField>,
}

impl TField {
    /// The Rust type without the `Option`.
    fn base_type(&self) -> String {
        if self.json_text {
            return "String".into();
        }
        if self.json_string {
            return self.model.clone().expect("json_string has a model");
        }
        match self.ty {
            Ty::Str => "String".into(),
            Ty::Int => "i64".into(),
            Ty::Num => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Obj => self
                .model
                .clone()
                .unwrap_or_else(|| "serde_json::Map<String, serde_json::Value>".into()),
            Ty::ObjArr => format!(
                "Vec<{}>",
                self.model
                    .clone()
                    .unwrap_or_else(|| "serde_json::Value".into())
            ),
            Ty::StrArr => "Vec<String>".into(),
            Ty::IntArr => "Vec<i64>".into(),
            Ty::NumArr => "Vec<f64>".into(),
        }
    }

    fn rust_type(&self) -> String {
        if self.required {
            self.base_type()
        } else {
            format!("Option<{}>", self.base_type())
        }
    }
}

struct Model {
    name: String,
    doc: String,
    fields: Vec<TField>,
}

#[derive(Default)]
struct Stats {
    models: usize,
    fields: usize,
    encrypted_request: usize,
    encrypted_response: usize,
    json_string: usize,
    renamed: usize,
    raw_idents: usize,
    wechatpay_serial_headers: usize,
    free_form: usize,
    collisions: Vec<String>,
    notes: Vec<String>,
}

fn resolve(
    fields: &[Field],
    path: &[String],
    namer: &mut Namer,
    models: &mut Vec<Model>,
    stats: &mut Stats,
) -> Vec<TField> {
    let mut taken = HashSet::new();
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let (ident, rename) = field_ident(&f.name, &mut taken);
        stats.fields += 1;
        if rename.is_some() {
            stats.renamed += 1;
        }
        if ident.starts_with("r#") {
            stats.raw_idents += 1;
        }
        if f.json_string {
            stats.json_string += 1;
        }
        let object_like = f.json_string || matches!(f.ty, Ty::Obj | Ty::ObjArr);
        let mut sub = path.to_vec();
        sub.push(f.name.clone());
        let (model, children) = if object_like && !f.children.is_empty() {
            let name = namer.name(&sub);
            let children = resolve(&f.children, &sub, namer, models, stats);
            models.push(Model {
                name: name.clone(),
                doc: format!("`{}`", sub[1..].join(".")),
                fields: children.clone(),
            });
            (Some(name), children)
        } else {
            if object_like {
                stats.free_form += 1;
            }
            (None, Vec::new())
        };
        let encrypted = f.encrypted && f.ty == Ty::Str;
        if f.encrypted && !encrypted {
            stats.notes.push(format!(
                "encrypted non-string field {} ignored",
                sub.join(".")
            ));
        }
        out.push(TField {
            name: f.name.clone(),
            ident,
            rename,
            ty: f.ty,
            required: f.required,
            encrypted,
            json_string: f.json_string,
            json_text: false,
            model,
            children,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Declarations

fn field_attrs(tf: &TField, extra: &[String], with_wxpay: bool) -> String {
    let mut s = String::new();
    if with_wxpay {
        for a in extra {
            let _ = writeln!(s, "    {a}");
        }
        if tf.encrypted {
            s.push_str("    #[encrypted]\n");
        }
        if tf.json_string && !tf.json_text {
            s.push_str("    #[json_string]\n");
        }
    }
    if tf.json_text {
        let model = tf.model.as_deref().unwrap_or("?");
        let _ = writeln!(
            s,
            "    /// The JSON text of a [`{model}`]: `#[json_string]` is not accepted on query fields."
        );
    }
    if let Some(r) = &tf.rename {
        let _ = writeln!(s, "    #[serde(rename = {})]", lit(r));
    }
    s
}

fn emit_model(out: &mut String, m: &Model, with_wxpay: bool) {
    let _ = writeln!(out, "/// {}", doc_line(&m.doc));
    if with_wxpay {
        out.push_str("#[wxpay_model]\n");
    } else {
        out.push_str("#[derive(serde::Serialize, serde::Deserialize)]\n");
    }
    let _ = writeln!(out, "pub struct {} {{", m.name);
    for f in &m.fields {
        out.push_str(&field_attrs(f, &[], with_wxpay));
        let _ = writeln!(out, "    pub {}: {},", f.ident, f.rust_type());
    }
    out.push_str("}\n\n");
}

// ---------------------------------------------------------------------------------------
// Samples

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Body,
    Query,
    Header,
    Path,
    Meta,
    Response,
}

struct Sampler {
    ep: usize,
    n: usize,
    /// Expressions for `Name::builder()` setters instead of struct literals: no `Some`, and
    /// nested models built with their builders.
    builder: bool,
}

impl Sampler {
    fn next(&mut self) -> usize {
        self.n += 1;
        self.n
    }

    fn string(&mut self, side: Side) -> String {
        let (ep, n) = (self.ep, self.next());
        match side {
            Side::Body => format!("s{ep:04}n{n:03}"),
            // Characters that must be percent-encoded, and UTF-8.
            Side::Query => format!("q{ep:04}n{n:03} &=/+中"),
            Side::Path => format!("p{ep:04}n{n:03} x/中"),
            Side::Header => format!("h{ep:04}n{n:03}"),
            Side::Meta => format!("m{ep:04}n{n:03}"),
            Side::Response => format!("r{ep:04}n{n:03}"),
        }
    }

    fn secret(&mut self, side: Side) -> String {
        let (ep, n) = (self.ep, self.next());
        if side == Side::Response {
            format!("rsecret{ep:04}n{n:03}")
        } else {
            format!("secret{ep:04}n{n:03}")
        }
    }

    fn int(&mut self) -> i64 {
        70000 + self.next() as i64
    }

    fn num(&mut self) -> f64 {
        500.5 + self.next() as f64
    }

    fn boolean(&mut self) -> bool {
        self.next().is_multiple_of(2)
    }
}

#[derive(Default)]
struct JsonAcc {
    json_strings: Vec<String>,
    encrypted: Vec<(String, String)>,
    /// Response side: Rust expressions reading each encrypted field from `r`.
    accessors: Vec<String>,
}

/// The sample of one field: the Rust expression of its value (with `Some`), its JSON, and
/// (into `acc`) its json_string and encrypted pointers.
fn sample_field(
    tf: &TField,
    parent_ptr: &str,
    parent_rust: &str,
    s: &mut Sampler,
    side: Side,
    acc: &mut JsonAcc,
) -> (String, Value) {
    let ptr = format!("{parent_ptr}/{}", pointer_token(&tf.name));
    let here = format!("{parent_rust}.{}", tf.ident);
    if tf.json_string {
        acc.json_strings.push(ptr.clone());
    }
    let access = if tf.required {
        here.clone()
    } else {
        format!("{here}.as_ref().unwrap()")
    };
    if tf.encrypted {
        let plain = s.secret(side);
        acc.encrypted.push((ptr.clone(), plain.clone()));
        acc.accessors.push(if tf.required {
            format!("{here}.clone()")
        } else {
            format!("{here}.clone().unwrap()")
        });
        if s.builder {
            return (lit(&plain), Value::String(plain));
        }
        let expr = format!("{}.into()", lit(&plain));
        return (wrap(tf, expr), Value::String(plain));
    }
    let (expr, value) = sample_inner(tf, &ptr, &access, s, side, acc);
    if s.builder {
        (expr, value)
    } else {
        (wrap(tf, expr), value)
    }
}

fn wrap(tf: &TField, expr: String) -> String {
    if tf.required {
        expr
    } else {
        format!("Some({expr})")
    }
}

/// The sample of a field's value (without `Option`).
fn sample_inner(
    tf: &TField,
    ptr: &str,
    access: &str,
    s: &mut Sampler,
    side: Side,
    acc: &mut JsonAcc,
) -> (String, Value) {
    if tf.json_string || tf.ty == Ty::Obj {
        return match &tf.model {
            Some(model) => sample_model(model, &tf.children, ptr, access, s, side, acc),
            None => free_form(s, side, "serde_json::Map<String, serde_json::Value>"),
        };
    }
    match tf.ty {
        Ty::Str => {
            let v = s.string(side);
            if s.builder {
                (lit(&v), Value::String(v))
            } else {
                (format!("{}.into()", lit(&v)), Value::String(v))
            }
        }
        Ty::Int => {
            let v = s.int();
            (format!("{v}"), json!(v))
        }
        Ty::Num => {
            let v = s.num();
            (format!("{v:?}"), json!(v))
        }
        Ty::Bool => {
            let v = s.boolean();
            (format!("{v}"), json!(v))
        }
        Ty::ObjArr => match &tf.model {
            Some(model) => {
                let (e, v) = sample_model(
                    model,
                    &tf.children,
                    &format!("{ptr}/0"),
                    &format!("{access}[0]"),
                    s,
                    side,
                    acc,
                );
                (format!("vec![{e}]"), Value::Array(vec![v]))
            }
            None => {
                let (e, v) = free_form(s, side, "serde_json::Value");
                (format!("vec![{e}]"), Value::Array(vec![v]))
            }
        },
        Ty::StrArr => {
            let a = s.string(side);
            let b = s.string(side);
            (
                format!("vec![String::from({}), String::from({})]", lit(&a), lit(&b)),
                json!([a, b]),
            )
        }
        Ty::IntArr => {
            let (a, b) = (s.int(), s.int());
            (format!("vec![{a}i64, {b}i64]"), json!([a, b]))
        }
        Ty::NumArr => {
            let (a, b) = (s.num(), s.num());
            (format!("vec![{a:?}f64, {b:?}f64]"), json!([a, b]))
        }
        Ty::Obj => unreachable!(),
    }
}

fn free_form(s: &mut Sampler, side: Side, ty: &str) -> (String, Value) {
    let key = format!("k{}", s.n + 1);
    let v = s.string(side);
    let value = json!({ key.clone(): v.clone() });
    let text = serde_json::to_string(&value).unwrap();
    (
        format!("serde_json::from_str::<{ty}>({}).unwrap()", lit(&text)),
        value,
    )
}

fn sample_model(
    model: &str,
    children: &[TField],
    ptr: &str,
    access: &str,
    s: &mut Sampler,
    side: Side,
    acc: &mut JsonAcc,
) -> (String, Value) {
    let mut expr = if s.builder {
        format!("{model}::builder()")
    } else {
        format!("{model} {{ ")
    };
    let mut obj = Map::new();
    for c in children {
        let (e, v) = sample_field(c, ptr, access, s, side, acc);
        if s.builder {
            let _ = write!(expr, ".{}({e})", c.ident);
        } else {
            let _ = write!(expr, "{}: {e}, ", c.ident);
        }
        obj.insert(c.name.clone(), v);
    }
    expr.push_str(if s.builder { ".build()" } else { "}" });
    (expr, Value::Object(obj))
}

fn json_expect(value: &Value, acc: &JsonAcc) -> String {
    let text = serde_json::to_string(value).unwrap();
    let mut s = format!("JsonExpect {{ json: {}, json_strings: &[", lit(&text));
    for p in &acc.json_strings {
        let _ = write!(s, "{}, ", lit(p));
    }
    s.push_str("], encrypted: &[");
    for (p, plain) in &acc.encrypted {
        let _ = write!(s, "({}, {}), ", lit(p), lit(plain));
    }
    s.push_str("] }");
    s
}

/// The text a scalar (or a list of scalars) has in a query string.
fn query_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(query_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Endpoints

pub(crate) fn module_slug(e: &Endpoint) -> String {
    let rest = e.path.strip_prefix("v3/").unwrap_or(&e.path);
    snake(&format!("{}_{}", e.method.to_ascii_lowercase(), rest))
}

/// A field of the endpoint struct: its typed field and where it goes.
struct EpField {
    tf: TField,
    attrs: Vec<String>,
}

pub fn generate(endpoints: &[Endpoint]) -> Result<Output, String> {
    let mut stats = Stats::default();
    let mut decl = String::new();
    let mut plain = String::new();
    let mut expect = String::new();
    let mut cases = String::new();
    let mut slugs = HashSet::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();

    decl.push_str(
        "//! The WeChat Pay APIv3 catalog, declared with `#[wxpay_endpoint]` and `#[wxpay_model]`:\n\
         //! one module per endpoint.\n\
         //!\n\
         //! @generated by `cargo run -p xtask -- gen-catalog` from `shared/catalog/endpoints.json`;\n\
         //! do not edit.\n\n",
    );
    plain.push_str(
        "//! The twin of `wxpay-catalog-tests/src/generated.rs` with plain serde derives (no wxpay\n\
         //! macros), for `scripts/compile-cost.sh`.\n\
         //!\n\
         //! @generated by `cargo run -p xtask -- gen-catalog`; do not edit.\n\n",
    );
    expect.push_str(
        "//! For every catalog endpoint: a sample value (every optional field set, every value\n\
         //! unique), where each field must appear in the prepared request, which fields are\n\
         //! encrypted, and a sample answer.\n\
         //!\n\
         //! @generated by `cargo run -p xtask -- gen-catalog` from `shared/catalog/endpoints.json`;\n\
         //! do not edit.\n\n\
         use crate::generated as g;\n\
         #[cfg(feature = \"builders\")]\n\
         use crate::Built;\n\
         use crate::{BodyExpect, Case, JsonExpect, QV, RespExpect};\n\n",
    );

    for e in endpoints {
        *kinds.entry(e.kind.clone()).or_default() += 1;
        let mut slug = module_slug(e);
        if slugs.contains(&slug) {
            let mut i = 2;
            while slugs.contains(&format!("{slug}_{i}")) {
                i += 1;
            }
            slug = format!("{slug}_{i}");
        }
        slugs.insert(slug.clone());
        let name = camel(&slug);
        let resp_name = format!("{name}Response");
        let mut namer = Namer::new(&[&name, &resp_name]);
        let mut models = Vec::new();
        let root = vec![String::new()];
        let method = e.method.as_str();
        let query_default = matches!(method, "GET" | "DELETE");
        let path_names: HashSet<&str> = e.path_params.iter().map(|(n, _)| n.as_str()).collect();

        // Fields of the endpoint struct, in declaration order: path, headers, query, body.
        let mut ep_fields: Vec<EpField> = Vec::new();
        for (pname, ty) in &e.path_params {
            let f = Field {
                name: pname.clone(),
                ty: *ty,
                required: true,
                encrypted: false,
                json_string: false,
                enum_values: Vec::new(),
                children: Vec::new(),
            };
            let tf = resolve(&[f], &root, &mut namer, &mut models, &mut stats).remove(0);
            if tf.ident != *pname {
                return Err(format!(
                    "{method} {}: placeholder {pname} is not an identifier",
                    e.path
                ));
            }
            ep_fields.push(EpField { tf, attrs: vec![] });
        }
        let mut headers = Vec::new();
        for h in &e.headers {
            if h.name.eq_ignore_ascii_case("Wechatpay-Serial") {
                // Sent by the engine on every request (the id of the encrypting key).
                stats.wechatpay_serial_headers += 1;
                continue;
            }
            headers.push(h.clone());
            let tf = resolve(
                std::slice::from_ref(h),
                &root,
                &mut namer,
                &mut models,
                &mut stats,
            )
            .remove(0);
            let mut tf = tf;
            tf.rename = None; // the header attribute names it
            ep_fields.push(EpField {
                tf,
                attrs: vec![format!("#[header({})]", lit(&h.name))],
            });
        }
        let query_declared: Vec<&Field> = e
            .query
            .iter()
            .filter(|f| {
                let clash = path_names.contains(f.name.as_str());
                if clash {
                    stats
                        .collisions
                        .push(format!("{method} {} query {}", e.path, f.name));
                }
                !clash
            })
            .collect();
        let body_src: &[Field] = match &e.multipart {
            Some(m) => &m.meta,
            None => &e.json,
        };
        let body_declared: Vec<&Field> = body_src
            .iter()
            .filter(|f| {
                let clash = path_names.contains(f.name.as_str());
                if clash {
                    stats
                        .collisions
                        .push(format!("{method} {} body {}", e.path, f.name));
                }
                !clash
            })
            .collect();
        let owned_q: Vec<Field> = query_declared.iter().map(|f| (*f).clone()).collect();
        let qtfs = resolve(&owned_q, &root, &mut namer, &mut models, &mut stats);
        for mut tf in qtfs {
            if tf.json_string && QUERY_JSON_STRING_WORKAROUND {
                tf.json_text = true;
                stats.notes.push(format!(
                    "{method} {}: query field {} declared as a String of JSON text (#[json_string] rejected on query fields)",
                    e.path, tf.name
                ));
            }
            let attrs = if query_default {
                vec![]
            } else {
                vec!["#[query]".to_string()]
            };
            ep_fields.push(EpField { tf, attrs });
        }
        let owned_b: Vec<Field> = body_declared.iter().map(|f| (*f).clone()).collect();
        let btfs = resolve(&owned_b, &root, &mut namer, &mut models, &mut stats);
        for tf in btfs {
            let attrs = if query_default {
                vec!["#[body]".to_string()]
            } else {
                vec![]
            };
            ep_fields.push(EpField { tf, attrs });
        }
        // The identifiers must be unique across the whole struct.
        {
            let mut seen = HashSet::new();
            for f in &ep_fields {
                if !seen.insert(f.tf.ident.clone()) {
                    return Err(format!(
                        "{method} {}: two fields named {}",
                        e.path, f.tf.ident
                    ));
                }
            }
        }
        let file_field = e.multipart.as_ref().map(|m| {
            let mut taken: HashSet<String> = ep_fields.iter().map(|f| f.tf.ident.clone()).collect();
            field_ident(&m.file_part, &mut taken).0
        });

        // Response.
        let response_kind = if e.kind == "download" {
            "download"
        } else if e.response_empty || e.response.is_empty() {
            "empty"
        } else {
            "json"
        };
        let resp_root = vec!["response".to_string()];
        let resp_fields = if response_kind == "json" {
            resolve(&e.response, &resp_root, &mut namer, &mut models, &mut stats)
        } else {
            Vec::new()
        };

        // ----- declarations (macro and plain)
        let mut args = format!("{method}, {}", lit(&e.path));
        match response_kind {
            "download" => args.push_str(", response = wxpay::Download"),
            "json" => {
                let _ = write!(args, ", response = {resp_name}");
            }
            _ => {}
        }
        if let Some(b) = &e.base_uri {
            let _ = write!(args, ", base_url = {}", lit(b));
        }
        for (out, with_wxpay) in [(&mut decl, true), (&mut plain, false)] {
            let _ = writeln!(out, "/// `{method} {}`: {}", e.path, doc_line(&e.title));
            let _ = writeln!(out, "pub mod {slug} {{");
            if with_wxpay {
                if models.is_empty() && response_kind != "json" {
                    out.push_str("    use wxpay::wxpay_endpoint;\n\n");
                } else {
                    out.push_str("    use wxpay::{wxpay_endpoint, wxpay_model};\n\n");
                }
            }
            let mut body = String::new();
            let _ = writeln!(body, "/// {}", doc_line(&e.title));
            if !e.flags.is_empty() {
                let _ = writeln!(body, "///\n/// Catalog flags: {}.", e.flags.join(", "));
            }
            if with_wxpay {
                let _ = writeln!(body, "#[wxpay_endpoint({args})]");
            } else {
                body.push_str("#[derive(serde::Serialize, serde::Deserialize)]\n");
            }
            let _ = writeln!(body, "pub struct {name} {{");
            for f in &ep_fields {
                body.push_str(&field_attrs(&f.tf, &f.attrs, with_wxpay));
                let _ = writeln!(body, "    pub {}: {},", f.tf.ident, f.tf.rust_type());
            }
            if let Some(ff) = &file_field {
                if with_wxpay {
                    let _ = writeln!(body, "    #[file]\n    pub {ff}: wxpay::File,");
                } else {
                    let _ = writeln!(body, "    pub {ff}: Vec<u8>,");
                }
            }
            body.push_str("}\n\n");
            if response_kind == "json" {
                emit_model(
                    &mut body,
                    &Model {
                        name: resp_name.clone(),
                        doc: format!("The answer of [`{name}`]."),
                        fields: resp_fields.clone(),
                    },
                    with_wxpay,
                );
            }
            for m in &models {
                emit_model(&mut body, m, with_wxpay);
            }
            for line in body.lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "    {line}");
                }
            }
            out.push_str("}\n\n");
        }
        stats.models += models.len() + usize::from(response_kind == "json");

        // ----- samples and expectations
        let mut s = Sampler {
            ep: e.index,
            n: 0,
            builder: false,
        };
        let mut inits = String::new();
        let mut path_values: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut query_exp: Vec<(String, String)> = Vec::new();
        let mut header_exp: Vec<(String, String)> = Vec::new();
        let mut body_obj = Map::new();
        let mut body_acc = JsonAcc::default();
        let mut enc_req = 0usize;
        let n_path = e.path_params.len();
        let n_head = headers.len();
        let n_query = query_declared.len();
        for (i, f) in ep_fields.iter().enumerate() {
            let tf = &f.tf;
            let expr = if i < n_path {
                let (expr, v) =
                    sample_inner(tf, "", "", &mut s, Side::Path, &mut JsonAcc::default());
                let text = query_text(&v);
                path_values.insert(tf.name.clone(), (text, encode_component(&query_text(&v))));
                expr
            } else if i < n_path + n_head {
                let (expr, v) =
                    sample_inner(tf, "", "", &mut s, Side::Header, &mut JsonAcc::default());
                header_exp.push((headers[i - n_path].name.clone(), query_text(&v)));
                wrap(tf, expr)
            } else if i < n_path + n_head + n_query {
                let mut acc = JsonAcc::default();
                let (expr, qv) = if tf.encrypted {
                    let plain = s.secret(Side::Query);
                    enc_req += 1;
                    (
                        format!("{}.into()", lit(&plain)),
                        format!("QV::Encrypted({})", lit(&plain)),
                    )
                } else {
                    let (expr, v) = sample_inner(tf, "", "", &mut s, Side::Query, &mut acc);
                    enc_req += acc.encrypted.len();
                    if tf.json_string {
                        let expr = if tf.json_text {
                            format!("serde_json::to_string(&{expr}).unwrap()")
                        } else {
                            expr
                        };
                        (expr, format!("QV::Json({})", json_expect(&v, &acc)))
                    } else {
                        (expr, format!("QV::Plain({})", lit(&query_text(&v))))
                    }
                };
                query_exp.push((tf.name.clone(), qv));
                wrap(tf, expr)
            } else {
                let side = if e.multipart.is_some() {
                    Side::Meta
                } else {
                    Side::Body
                };
                let (expr, v) = sample_field(tf, "", "_", &mut s, side, &mut body_acc);
                body_obj.insert(tf.name.clone(), v);
                expr
            };
            let _ = write!(inits, "{}: {expr}, ", tf.ident);
        }
        enc_req += body_acc.encrypted.len();
        stats.encrypted_request += enc_req;

        // The same sample through `Name::builder()` (same values: same sequence).
        let mut b = Sampler {
            ep: e.index,
            n: 0,
            builder: true,
        };
        let mut chain = format!("{name}::builder()");
        for (i, f) in ep_fields.iter().enumerate() {
            let tf = &f.tf;
            let mut scratch = JsonAcc::default();
            let expr = if i < n_path {
                sample_inner(tf, "", "", &mut b, Side::Path, &mut scratch).0
            } else if i < n_path + n_head {
                sample_inner(tf, "", "", &mut b, Side::Header, &mut scratch).0
            } else if i < n_path + n_head + n_query {
                if tf.encrypted {
                    lit(&b.secret(Side::Query))
                } else {
                    let (expr, _) = sample_inner(tf, "", "", &mut b, Side::Query, &mut scratch);
                    if tf.json_text {
                        format!("serde_json::to_string(&{expr}).unwrap()")
                    } else {
                        expr
                    }
                }
            } else {
                let side = if e.multipart.is_some() {
                    Side::Meta
                } else {
                    Side::Body
                };
                sample_field(tf, "", "_", &mut b, side, &mut scratch).0
            };
            let _ = write!(chain, ".{}({expr})", tf.ident);
        }
        // The catalog's own placement of fields that the declaration sends in the path
        // (errata): expected where the catalog puts them, skipped by name in the test.
        let mut query_full = Vec::new();
        {
            let mut declared = query_exp.into_iter();
            for f in &e.query {
                if let Some((text, _)) = path_values.get(&f.name) {
                    query_full.push((f.name.clone(), format!("QV::Plain({})", lit(text))));
                } else if let Some(q) = declared.next() {
                    query_full.push(q);
                }
            }
        }
        for f in body_src {
            if let Some((text, _)) = path_values.get(&f.name) {
                body_obj.insert(f.name.clone(), Value::String(text.clone()));
            }
        }
        let file_sample = file_field.as_ref().map(|ff| {
            let filename = format!("upload{:04}.jpg", e.index);
            let bytes = format!("file bytes of endpoint {:04}", e.index);
            let file = format!(
                "wxpay::File::new({}, {}.as_bytes().to_vec())",
                lit(&filename),
                lit(&bytes)
            );
            let _ = write!(inits, "{ff}: {file}, ");
            let _ = write!(chain, ".{ff}({file})");
            (filename, bytes)
        });
        chain.push_str(".build()");

        let mut path_exp = String::new();
        let mut rest = e.path.as_str();
        while let Some(open) = rest.find('{') {
            path_exp.push_str(&rest[..open]);
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or("unclosed {")?;
            let pname = &rest[open + 1..close];
            let (_, enc) = path_values.get(pname).ok_or_else(|| {
                format!(
                    "{method} {}: placeholder {pname} has no path_params row",
                    e.path
                )
            })?;
            path_exp.push_str(enc);
            rest = &rest[close + 1..];
        }
        path_exp.push_str(rest);

        let fn_name = format!("sample_{:04}", e.index);
        let built_name = format!("built_{:04}", e.index);
        let _ = writeln!(
            expect,
            "fn {fn_name}() -> g::{slug}::{name} {{\n    use g::{slug}::*;\n    {name} {{ {inits} }}\n}}\n"
        );
        let _ = writeln!(
            expect,
            "#[cfg(feature = \"builders\")]\nfn {built_name}() -> g::{slug}::{name} {{\n    use g::{slug}::*;\n    {chain}\n}}\n"
        );

        let body_exp = if let Some((filename, bytes)) = &file_sample {
            format!(
                "BodyExpect::Multipart {{ meta: {}, file_part: {}, filename: {}, bytes: {}.as_bytes() }}",
                json_expect(&Value::Object(body_obj), &body_acc),
                lit(&e.multipart.as_ref().unwrap().file_part),
                lit(filename),
                lit(bytes)
            )
        } else if body_src.is_empty() {
            "BodyExpect::Empty".to_string()
        } else {
            format!(
                "BodyExpect::Json({})",
                json_expect(&Value::Object(body_obj), &body_acc)
            )
        };

        let resp_exp = match response_kind {
            "download" => format!(
                "RespExpect::Download {{ read: crate::read_download::<g::{slug}::{name}> }}"
            ),
            "empty" => {
                format!("RespExpect::Empty {{ read: crate::read_empty::<g::{slug}::{name}> }}")
            }
            _ => {
                let mut rs = Sampler {
                    ep: e.index,
                    n: 0,
                    builder: false,
                };
                let mut acc = JsonAcc::default();
                let mut obj = Map::new();
                for tf in &resp_fields {
                    let (_, v) = sample_field(tf, "", "r", &mut rs, Side::Response, &mut acc);
                    obj.insert(tf.name.clone(), v);
                }
                stats.encrypted_response += acc.encrypted.len();
                let accessors = acc.accessors.join(", ");
                let r = if accessors.is_empty() { "_" } else { "r" };
                format!(
                    "RespExpect::Json {{ sample: {}, read: |e, h, b| crate::read_json::<g::{slug}::{name}>(e, h, b, |{r}| vec![{accessors}]) }}",
                    json_expect(&Value::Object(obj), &acc)
                )
            }
        };

        let base = e.base_uri.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let mut c = String::new();
        let _ = writeln!(c, "    Case {{");
        let _ = writeln!(c, "        index: {},", e.index);
        let _ = writeln!(c, "        id: {},", lit(&format!("{method} {}", e.path)));
        let _ = writeln!(c, "        module: {},", lit(&slug));
        let _ = writeln!(c, "        title: {},", lit(&e.title));
        let _ = writeln!(c, "        method: {},", lit(method));
        let _ = writeln!(c, "        path_template: {},", lit(&e.path));
        let _ = writeln!(c, "        base_url: {},", lit(base));
        let _ = writeln!(
            c,
            "        declared_base_url: {},",
            match &e.base_uri {
                Some(b) => format!("Some({})", lit(b)),
                None => "None".into(),
            }
        );
        let _ = writeln!(c, "        path: {},", lit(&path_exp));
        let pp: Vec<String> = e
            .path_params
            .iter()
            .map(|(n, _)| format!("({}, {})", lit(n), lit(&path_values[n].0)))
            .collect();
        let _ = writeln!(c, "        path_params: &[{}],", pp.join(", "));
        let q: Vec<String> = query_full
            .iter()
            .map(|(n, v)| format!("({}, {v})", lit(n)))
            .collect();
        let _ = writeln!(c, "        query: &[{}],", q.join(", "));
        let h: Vec<String> = header_exp
            .iter()
            .map(|(n, v)| format!("({}, {})", lit(n), lit(v)))
            .collect();
        let _ = writeln!(c, "        headers: &[{}],", h.join(", "));
        let _ = writeln!(c, "        body: {body_exp},");
        let _ = writeln!(c, "        response: {resp_exp},");
        let _ = writeln!(
            c,
            "        warnings: &[{}],",
            e.warnings
                .iter()
                .map(|w| lit(w))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(c, "        consts: crate::consts::<g::{slug}::{name}>,");
        let _ = writeln!(c, "        prepare: |e| e.prepare(&{fn_name}(), None),");
        let _ = writeln!(c, "        debug: || format!(\"{{:?}}\", {fn_name}()),");
        let _ = writeln!(c, "        #[cfg(feature = \"builders\")]");
        let _ = writeln!(
            c,
            "        built: Some(Built {{ prepare: |e| e.prepare(&{built_name}(), None), debug: || format!(\"{{:?}}\", {built_name}()) }}),"
        );
        let _ = writeln!(c, "        #[cfg(not(feature = \"builders\"))]");
        let _ = writeln!(c, "        built: None,");
        let _ = writeln!(c, "    }},");
        cases.push_str(&c);
    }

    let _ = writeln!(
        expect,
        "/// Every endpoint of the catalog, in catalog order.\npub static CASES: &[Case] = &[\n{cases}];"
    );

    let mut summary = String::new();
    let _ = writeln!(summary, "endpoints: {}", endpoints.len());
    let _ = writeln!(summary, "kinds: {kinds:?}");
    let _ = writeln!(summary, "models (incl. responses): {}", stats.models);
    let _ = writeln!(summary, "fields declared (all structs): {}", stats.fields);
    let _ = writeln!(
        summary,
        "encrypted request fields: {}",
        stats.encrypted_request
    );
    let _ = writeln!(
        summary,
        "encrypted response fields: {}",
        stats.encrypted_response
    );
    let _ = writeln!(summary, "json_string fields: {}", stats.json_string);
    let _ = writeln!(
        summary,
        "renamed fields: {}, raw identifiers: {}",
        stats.renamed, stats.raw_idents
    );
    let _ = writeln!(summary, "free-form objects: {}", stats.free_form);
    let _ = writeln!(
        summary,
        "Wechatpay-Serial header rows left to the engine: {}",
        stats.wechatpay_serial_headers
    );
    let _ = writeln!(
        summary,
        "catalog fields sent in the path instead (errata): {:?}",
        stats.collisions
    );
    for n in &stats.notes {
        let _ = writeln!(summary, "note: {n}");
    }
    Ok(Output {
        declarations: decl,
        expect,
        plain,
        summary,
    })
}
