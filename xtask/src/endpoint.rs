//! One endpoint module of `wxpay-api/src/generated/<group>.rs`: the `#[wxpay_endpoint]`
//! struct, its `#[wxpay_model]`s and string enums, and their `from_json` (or, for the plain
//! twin, the same with serde derives).

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::catalog::{Endpoint, Field, Ty};
use crate::names::{Namer, camel, doc_line, field_ident, lit};

/// What the declarations are written with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `#[wxpay_endpoint]`, `#[wxpay_model]` and the wxpay field attributes: `wxpay-api`.
    Macros,
    /// `#[derive(serde::Serialize, serde::Deserialize)]`, no wxpay attributes: the plain twin.
    Plain,
    /// As `Plain`, one side only as `wxpay-api`'s models: `Serialize` for the request and its
    /// models, `Deserialize` for the answer's.
    PlainOneSided,
}

impl Flavor {
    /// The derive line of a plain-twin struct on `side`.
    fn plain_derive(self, side: Side) -> &'static str {
        match (self, side) {
            (Flavor::PlainOneSided, Side::Request) => "#[derive(::serde::Serialize)]\n",
            (Flavor::PlainOneSided, Side::Response) => "#[derive(::serde::Deserialize)]\n",
            _ => "#[derive(::serde::Serialize, ::serde::Deserialize)]\n",
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Request,
    Response,
}

/// A field with its Rust shape.
struct TField {
    ident: String,
    rename: Option<String>,
    ty: String,
    required: bool,
    attrs: Vec<String>,
    /// How `from_json` reads it: `req`, `opt`, `req_text`, `opt_text`.
    reader: &'static str,
    /// The JSON key `from_json` takes it from.
    key: String,
    doc: String,
}

struct Item {
    code: String,
}

struct Ctx<'a> {
    namer: Namer,
    items: Vec<Item>,
    endpoint: &'a Endpoint,
    flavor: Flavor,
}

fn variant_names(values: &[String]) -> Vec<String> {
    let mut used = HashSet::new();
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let ascii_ident = v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            && !v.is_empty();
        let mut name = if !ascii_ident {
            format!("V{}", i + 1)
        } else if v.as_bytes()[0].is_ascii_digit() {
            format!("V{}", v.replace(['-', '.'], "_"))
        } else {
            camel(v)
        };
        if name.is_empty() {
            name = format!("V{}", i + 1);
        }
        if name == "Other" || name == "Self" {
            name.push_str("Value");
        }
        let base = name.clone();
        let mut n = 2;
        while used.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        used.insert(name.clone());
        out.push(name);
    }
    out
}

impl Ctx<'_> {
    fn enum_type(&mut self, path: &[String], values: &[String]) -> String {
        let name = self.namer.name(path);
        // The docs repeat a value now and then.
        let mut seen = HashSet::new();
        let values: Vec<String> = values
            .iter()
            .filter(|v| seen.insert(v.as_str()))
            .cloned()
            .collect();
        let values = &values[..];
        let variants = variant_names(values);
        let mut code = String::new();
        let _ = writeln!(
            code,
            "/// The documented values of `{}`; any other value is kept in `Other`.",
            path[1..].join(".")
        );
        let _ = writeln!(code, "pub enum {name} {{");
        for (v, text) in variants.iter().zip(values) {
            let _ = writeln!(code, "    {v} = {},", lit(text));
        }
        code.push_str("}\n");
        self.items.push(Item {
            code: format!("crate::string_enum! {{\n{code}}}\n\n"),
        });
        name
    }

    /// The Rust type of one field (without `Option`), declaring its model or enum.
    fn field_type(&mut self, f: &Field, path: &[String], side: Side) -> String {
        let object_like = f.json_string || matches!(f.ty, Ty::Obj | Ty::ObjArr);
        if object_like && !f.children.is_empty() {
            let model = self.model(&f.children, path, side, None);
            return if f.ty == Ty::ObjArr {
                format!("Vec<{model}>")
            } else {
                model
            };
        }
        let enum_ok = !f.enum_values.is_empty() && !f.encrypted;
        match f.ty {
            Ty::Str if enum_ok => self.enum_type(path, &f.enum_values),
            Ty::StrArr if enum_ok => format!("Vec<{}>", self.enum_type(path, &f.enum_values)),
            Ty::Str => "String".into(),
            Ty::Int => "i64".into(),
            Ty::Num => "::serde_json::Number".into(),
            Ty::Bool => "bool".into(),
            Ty::Obj => "::serde_json::Map<String, ::serde_json::Value>".into(),
            Ty::ObjArr => "Vec<::serde_json::Value>".into(),
            Ty::StrArr => "Vec<String>".into(),
            Ty::IntArr => "Vec<i64>".into(),
            Ty::NumArr => "Vec<::serde_json::Number>".into(),
        }
    }

    fn fields(&mut self, fields: &[Field], path: &[String], side: Side) -> Vec<TField> {
        let mut taken = HashSet::new();
        let mut out = Vec::new();
        for f in fields {
            let (ident, rename) = field_ident(&f.name, &mut taken);
            let mut sub = path.to_vec();
            sub.push(f.name.clone());
            let base = self.field_type(f, &sub, side);
            // Answers are read leniently: a documented-required field WeChat Pay leaves out is
            // `None`, not an error.
            let required = f.required && side == Side::Request;
            let encrypted = f.encrypted && f.ty == Ty::Str;
            let mut attrs = Vec::new();
            if encrypted {
                attrs.push("#[encrypted]".to_string());
            }
            if f.json_string {
                attrs.push("#[json_string]".to_string());
            }
            out.push(TField {
                ident,
                rename,
                ty: base,
                required,
                attrs,
                reader: if required { "req" } else { "opt" },
                key: f.name.clone(),
                doc: field_doc(f, side),
            });
        }
        out
    }

    /// Declares a model for `fields` and returns its name (`name` given: the answer type).
    fn model(
        &mut self,
        fields: &[Field],
        path: &[String],
        side: Side,
        name: Option<&str>,
    ) -> String {
        let name = match name {
            Some(n) => n.to_string(),
            None => self.namer.name(path),
        };
        let tfs = self.fields(fields, path, side);
        let doc = if path.len() > 1 {
            format!("`{}`", path[1..].join("."))
        } else {
            format!(
                "The answer of `{} {}`.",
                self.endpoint.method, self.endpoint.path
            )
        };
        let mut code = String::new();
        let _ = writeln!(code, "/// {doc}");
        // One side only: a request model needs no `Deserialize`, an answer no builder.
        let only = match side {
            Side::Request => "request",
            Side::Response => "response",
        };
        match self.flavor {
            Flavor::Macros => {
                let _ = writeln!(
                    code,
                    "#[::wxpay_macros::wxpay_model(crate = ::wxpay_core, {only})]"
                );
            }
            Flavor::Plain | Flavor::PlainOneSided => code.push_str(self.flavor.plain_derive(side)),
        }
        let _ = writeln!(code, "pub struct {name} {{");
        emit_fields(&mut code, &tfs, self.flavor);
        code.push_str("}\n\n");
        if side == Side::Request {
            code.push_str(&from_json_impl(&name, &tfs));
        }
        self.items.push(Item { code });
        name
    }
}

fn field_doc(f: &Field, side: Side) -> String {
    let ty = match f.ty {
        Ty::Str => "string",
        Ty::Int => "integer",
        Ty::Num => "number",
        Ty::Bool => "boolean",
        Ty::Obj => "object",
        Ty::ObjArr => "object[]",
        Ty::StrArr => "string[]",
        Ty::IntArr => "integer[]",
        Ty::NumArr => "number[]",
    };
    let mut s = format!("`{}`: {ty}", f.name);
    if f.required {
        s.push_str(", required");
        if side == Side::Response {
            s.push_str(" (read as optional: an answer without it still parses)");
        }
    } else {
        s.push_str(", optional");
    }
    if f.encrypted {
        s.push_str(", encrypted");
    }
    if f.json_string {
        s.push_str(", sent as JSON text");
    }
    s.push('.');
    s
}

/// The type of an upload's file part.
const FILE_TYPE: &str = "::wxpay_core::File";

fn emit_fields(code: &mut String, tfs: &[TField], flavor: Flavor) {
    for f in tfs {
        let _ = writeln!(code, "    /// {}", doc_line(&f.doc));
        match flavor {
            Flavor::Macros => {
                for a in &f.attrs {
                    let _ = writeln!(code, "    {a}");
                }
            }
            // `File` is not serde: the twin skips it (its `from_json` still reads it).
            Flavor::Plain | Flavor::PlainOneSided if f.ty == FILE_TYPE => {
                code.push_str("    #[serde(skip, default = \"crate::__plain_file\")]\n");
            }
            Flavor::Plain | Flavor::PlainOneSided => {}
        }
        if let Some(r) = &f.rename {
            let _ = writeln!(code, "    #[serde(rename = {})]", lit(r));
        }
        let ty = if f.required {
            f.ty.clone()
        } else {
            format!("Option<{}>", f.ty)
        };
        let _ = writeln!(code, "    pub {}: {ty},", f.ident);
    }
}

fn from_json_impl(name: &str, tfs: &[TField]) -> String {
    let mut code = String::new();
    let _ = writeln!(code, "#[automatically_derived]");
    let _ = writeln!(code, "impl crate::__rt::FromJson for {name} {{");
    code.push_str("    fn from_json_at(value: ::serde_json::Value, at: &str) -> Result<Self, ::wxpay_core::Error> {\n");
    let binding = if tfs.is_empty() { "o" } else { "mut o" };
    let _ = writeln!(
        code,
        "        let {binding} = crate::__rt::Obj::new(value, at)?;"
    );
    code.push_str("        let v = Self {\n");
    for f in tfs {
        let _ = writeln!(
            code,
            "            {}: o.{}({})?,",
            f.ident,
            f.reader,
            lit(&f.key)
        );
    }
    code.push_str("        };\n        o.finish()?;\n        Ok(v)\n    }\n}\n\n");
    code
}

/// One endpoint module, and the names it re-exports.
pub fn endpoint_module(
    e: &Endpoint,
    slug: &str,
    flavor: Flavor,
) -> Result<(String, Vec<String>), String> {
    let name = camel(slug);
    let resp_name = format!("{name}Response");
    let mut cx = Ctx {
        namer: Namer::new(&[&name, &resp_name]),
        items: Vec::new(),
        endpoint: e,
        flavor,
    };
    let fields = request_fields(&mut cx, e)?;
    let method = e.method.as_str();
    let response_kind = response_kind(e);
    let mut args = format!("{method}, {}", lit(&e.path));
    match response_kind {
        "download" => args.push_str(", response = ::wxpay_core::Download"),
        "json" => {
            let resp_root = vec!["response".to_string()];
            cx.model(&e.response, &resp_root, Side::Response, Some(&resp_name));
            let _ = write!(args, ", response = {resp_name}");
        }
        _ => {}
    }
    if let Some(b) = &e.base_uri {
        let _ = write!(args, ", base_url = {}", lit(b));
    }
    args.push_str(", crate = ::wxpay_core");

    let mut body = struct_docs(e, &resp_name, response_kind);
    match flavor {
        Flavor::Macros => {
            let _ = writeln!(body, "#[::wxpay_macros::wxpay_endpoint({args})]");
        }
        Flavor::Plain | Flavor::PlainOneSided => body.push_str(flavor.plain_derive(Side::Request)),
    }
    let _ = writeln!(body, "pub struct {name} {{");
    emit_fields(&mut body, &fields, flavor);
    body.push_str("}\n\n");
    body.push_str(&from_json_impl(&name, &fields));
    let _ = writeln!(body, "impl {name} {{");
    body.push_str(
        "    /// Builds the request from one JSON object keyed by the documented names (path and\n\
         \x20   /// query parameters, body fields with their nesting, headers by header name),\n\
         \x20   /// plaintext for encrypted fields and the object itself for JSON-text fields. A\n\
         \x20   /// missing required key, an unknown key or a value of the wrong type is an error\n\
         \x20   /// that names the key.\n",
    );
    body.push_str(
        "    pub fn from_json(value: ::serde_json::Value) -> Result<Self, ::wxpay_core::Error> {\n",
    );
    body.push_str(
        "        <Self as crate::__rt::FromJson>::from_json_at(value, \"\")\n    }\n}\n\n",
    );
    for item in cx.items.iter().rev() {
        body.push_str(&item.code);
    }

    let mut out = String::new();
    let _ = writeln!(out, "/// {}: `{method} {}`", doc_line(&e.title), e.path);
    let _ = writeln!(out, "pub mod {slug} {{");
    for line in body.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "    {line}");
        }
    }
    out.push_str("}\n\n");
    let mut exports = vec![name];
    if response_kind == "json" {
        exports.push(resp_name);
    }
    Ok((out, exports))
}

/// The meta fields that an upload takes from its file (`#[file]`): not fields of the struct.
const FROM_THE_FILE: [&str; 2] = ["filename", "sha256"];

/// Whether `e` is an upload whose meta gets `filename` and `sha256` from the file: one that
/// documents no name or digest of its own (`wxpay_core::endpoint::OWN_FILE_FIELDS`, the rule
/// `#[wxpay_endpoint]` applies). Its documented `filename` and `sha256` are left out of the
/// struct, so that nobody has to compute them by hand.
fn from_the_file(e: &Endpoint) -> bool {
    e.multipart.as_ref().is_some_and(|m| {
        let names: Vec<&str> = m.meta.iter().map(|f| f.name.as_str()).collect();
        !wxpay_core::endpoint::declares_own_file_fields(&names)
    })
}

/// The fields of the endpoint struct: path parameters, headers, query, body (or multipart
/// meta), and the file part of an upload.
fn request_fields(cx: &mut Ctx, e: &Endpoint) -> Result<Vec<TField>, String> {
    let root = vec![String::new()];
    let method = e.method.as_str();
    let query_default = matches!(method, "GET" | "DELETE");
    let path_names: HashSet<&str> = e.path_params.iter().map(|p| p.name.as_str()).collect();

    let mut fields: Vec<TField> = Vec::new();
    for p in &e.path_params {
        let pname = &p.name;
        let f = Field {
            name: pname.clone(),
            ty: p.ty,
            required: true,
            encrypted: false,
            json_string: false,
            enum_values: Vec::new(),
            children: Vec::new(),
        };
        let tf = cx.fields(&[f], &root, Side::Request).remove(0);
        if tf.ident != *pname {
            return Err(format!(
                "{method} {}: placeholder {pname} is not an identifier",
                e.path
            ));
        }
        fields.push(TField {
            doc: format!("`{{{pname}}}` in the path."),
            ..tf
        });
    }
    for h in &e.headers {
        // Set by the client on every request.
        if h.name.eq_ignore_ascii_case("Wechatpay-Serial")
            || h.name.eq_ignore_ascii_case("Accept-Encoding")
        {
            continue;
        }
        let mut tf = cx
            .fields(std::slice::from_ref(h), &root, Side::Request)
            .remove(0);
        tf.rename = None;
        tf.attrs.insert(0, format!("#[header({})]", lit(&h.name)));
        tf.doc = format!("Request header {}", tf.doc);
        fields.push(tf);
    }
    let query: Vec<Field> = e
        .query
        .iter()
        .filter(|f| !path_names.contains(f.name.as_str()))
        .cloned()
        .collect();
    for mut tf in cx.fields(&query, &root, Side::Request) {
        if tf.attrs.iter().any(|a| a == "#[json_string]") {
            // `#[json_string]` is for body fields: the query field holds the JSON text, and
            // `from_json` takes the object and writes its text.
            tf.attrs.retain(|a| a != "#[json_string]");
            tf.ty = "String".into();
            tf.reader = if tf.required { "req_text" } else { "opt_text" };
            tf.doc.push_str(" The JSON text of the documented object.");
        }
        if !query_default {
            tf.attrs.insert(0, "#[query]".into());
        }
        fields.push(tf);
    }
    let body_src: &[Field] = match &e.multipart {
        Some(m) => &m.meta,
        None => &e.json,
    };
    let body: Vec<Field> = body_src
        .iter()
        .filter(|f| !path_names.contains(f.name.as_str()))
        .filter(|f| !(from_the_file(e) && FROM_THE_FILE.contains(&f.name.as_str())))
        .cloned()
        .collect();
    for mut tf in cx.fields(&body, &root, Side::Request) {
        if query_default {
            tf.attrs.insert(0, "#[body]".into());
        }
        fields.push(tf);
    }
    {
        let mut seen = HashSet::new();
        for f in &fields {
            if !seen.insert(f.ident.clone()) {
                return Err(format!("{method} {}: two fields named {}", e.path, f.ident));
            }
        }
    }
    if let Some(m) = &e.multipart {
        let mut taken: HashSet<String> = fields.iter().map(|f| f.ident.clone()).collect();
        let ident = field_ident(&m.file_part, &mut taken).0;
        fields.push(TField {
            ident,
            rename: None,
            ty: FILE_TYPE.into(),
            required: true,
            attrs: vec!["#[file]".into()],
            reader: "req",
            key: m.file_part.clone(),
            doc: format!(
                "The `{}` part of the upload (`from_json`: `{{\"filename\": …, \"base64\": …}}`).{}",
                m.file_part,
                if from_the_file(e) {
                    " The meta's `filename` and `sha256` are the file's, added when it is sent."
                } else {
                    ""
                }
            ),
        });
    }

    Ok(fields)
}

/// The docs of the endpoint struct.
fn struct_docs(e: &Endpoint, resp_name: &str, response_kind: &str) -> String {
    let method = e.method.as_str();
    let mut body = String::new();
    let _ = writeln!(
        body,
        "/// {}\n///\n/// `{method} {}`",
        doc_line(&e.title),
        e.path
    );
    if let Some(b) = &e.base_uri {
        let _ = writeln!(body, "///\n/// Host: `{b}`.");
    }
    match response_kind {
        "download" => {
            body.push_str("///\n/// Answer: the file's bytes ([`wxpay_core::Download`]).\n")
        }
        "json" => {
            let _ = writeln!(body, "///\n/// Answer: [`{resp_name}`].");
        }
        _ => body.push_str("///\n/// Answer: none (`()`).\n"),
    }
    for f in &e.fixed {
        let _ = writeln!(body, "///\n/// Corrected from the docs: {}.", doc_line(f));
    }
    if !e.flags.is_empty() && e.flags.iter().any(|f| f != "parsed") {
        let flags: Vec<&str> = e
            .flags
            .iter()
            .map(String::as_str)
            .filter(|f| *f != "parsed")
            .collect();
        let _ = writeln!(body, "///\n/// Catalog flags: {}.", flags.join(", "));
    }
    body
}

/// What the endpoint answers: `json`, `empty` or `download`.
pub fn response_kind(e: &Endpoint) -> &'static str {
    if e.kind == "download" {
        "download"
    } else if e.response_empty || e.response.is_empty() {
        "empty"
    } else {
        "json"
    }
}
