//! The rules of a declaration, checked on the model. Every broken rule is reported on the
//! narrowest span, and the model is left in a state that expands without further errors (an
//! `#[encrypted]` on an `i64` is dropped, not expanded into a second error).

use quote::ToTokens;
use syn::Attribute;
use syn::Type;

use crate::attr::{BODY, FILE, QUERY};
use crate::ctxt::Ctxt;
use crate::model::{self, Decl, EndpointSpec, Field, Kind, Method, Piece, Role};

/// Checks `decl`, reporting into `cx`.
pub(crate) fn check(decl: &mut Decl, cx: &mut Ctxt) {
    for field in &mut decl.fields {
        check_field(&decl.kind, field, cx);
    }
    check_setter_names(&mut decl.fields, cx);
    if let Kind::Endpoint(spec) = &decl.kind {
        check_endpoint(spec, &decl.fields, cx);
    }
}

/// `build()` and `maybe_x()` (the second setter of an optional `x`) are the builder's: no field
/// may be named so.
fn check_setter_names(fields: &mut [Field], cx: &mut Ctxt) {
    for i in 0..fields.len() {
        let name = fields[i].name();
        if name == "build" {
            cx.error(
                fields[i].ident.span(),
                "a field named `build` clashes with the builder's `build()`: name it otherwise and keep `build` on the wire with `#[serde(rename = \"build\")]`",
            );
            fields[i].has_setter = false;
        }
        let optional = name.strip_prefix("maybe_").and_then(|base| {
            fields
                .iter()
                .find(|f| f.option_inner.is_some() && f.name() == base)
        });
        if let Some(optional) = optional {
            cx.error(
                fields[i].ident.span(),
                format!(
                    "a field named `{name}` clashes with the builder's `{name}()`, the setter of `{}` from an `Option`: name it otherwise and keep `{name}` on the wire with `#[serde(rename = \"{name}\")]`",
                    optional.name()
                ),
            );
            fields[i].has_setter = false;
        }
    }
}

fn check_endpoint(spec: &EndpointSpec, fields: &[Field], cx: &mut Ctxt) {
    if let Some(path) = &spec.path {
        if let Some(rest) = path
            .value
            .strip_prefix('/')
            .filter(|r| r.starts_with("v3/"))
        {
            cx.error(
                path.span(),
                format!(
                    "the path is relative to the host: write `\"{rest}\"`, without the leading `/`"
                ),
            );
        } else if !path.value.starts_with("v3/") {
            cx.error(
                path.span(),
                "the path must start with `v3/`, like `\"v3/pay/transactions/jsapi\"`",
            );
        }
        for piece in &path.pieces {
            match piece {
                Piece::Literal(text) => check_path_text(text, path.span(), cx),
                Piece::Param(name) => check_placeholder(name, fields, path.span(), cx),
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for name in path.params() {
            if seen.contains(&name) {
                cx.error(
                    path.span(),
                    format!("the placeholder `{{{name}}}` appears twice in the path"),
                );
            }
            seen.push(name);
        }
    }
    if let Some(url) = &spec.base_url {
        let value = url.value();
        if !(value.starts_with("https://") || value.starts_with("http://"))
            || value.len() <= "https://".len()
        {
            cx.error(
                url.span(),
                "the base URL must be absolute, like `\"https://apihk.mch.weixin.qq.com/\"`",
            );
        }
    }
    let mut files = fields.iter().filter(|f| f.role == Role::File);
    if let Some(first) = files.next() {
        if let Some(method) = spec.method.filter(|m| m.has_query_fields()) {
            let name = if method == Method::Get {
                "GET"
            } else {
                "DELETE"
            };
            cx.error_spanned(
                attr_of(first, FILE),
                format!("`#[file]` makes the endpoint a multipart upload, which needs `POST`, `PUT` or `PATCH`, not `{name}`"),
            );
        }
        for extra in files {
            cx.error_spanned(
                attr_of(extra, FILE),
                "an endpoint uploads one file: only one `#[file]` field is allowed",
            );
        }
    }
}

fn attr_of<'a>(field: &'a Field, name: &str) -> Option<&'a Attribute> {
    let a = &field.attrs;
    match name {
        QUERY => a.query.as_ref(),
        BODY => a.body.as_ref(),
        FILE => a.file.as_ref(),
        _ => a.header.as_ref().map(|h| &h.attr),
    }
}

/// Literal path text is sent as written and signed as written: it must need no encoding.
fn check_path_text(text: &str, span: proc_macro2::Span, cx: &mut Ctxt) {
    let bad = text
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c)));
    match bad {
        None => {}
        Some('?') => cx.error(
            span,
            "the path cannot hold a query string: declare the query parameters as fields (`GET` and `DELETE` send fields in the query; `#[query]` does for any method)",
        ),
        Some(c) => cx.error(
            span,
            format!("the path holds {c:?}, which a URL path cannot hold as it is: only placeholder values are percent-encoded"),
        ),
    }
}

fn check_placeholder(name: &str, fields: &[Field], span: proc_macro2::Span, cx: &mut Ctxt) {
    let Some(field) = fields.iter().find(|f| f.name() == name) else {
        let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.name())).collect();
        let hint = if names.is_empty() {
            "the struct has no fields".to_string()
        } else {
            format!("the fields are {}", names.join(", "))
        };
        cx.error(
            span,
            format!("no field named `{name}` for the placeholder `{{{name}}}` in the path: {hint}"),
        );
        return;
    };
    let taken = [
        ("header", field.attrs.header.as_ref().map(|h| &h.attr)),
        ("file", field.attrs.file.as_ref()),
    ];
    for (what, attr) in taken {
        if let Some(attr) = attr {
            cx.error_spanned(
                attr,
                format!("`{name}` fills the placeholder `{{{name}}}` of the path and is sent nowhere else: remove `#[{what}]`"),
            );
        }
    }
}

fn check_field(kind: &Kind, field: &mut Field, cx: &mut Ctxt) {
    let name = field.name();
    let a = &field.attrs;
    if let Kind::Model(_) = kind {
        let endpoint_only = [
            ("query", a.query.as_ref()),
            ("body", a.body.as_ref()),
            ("header", a.header.as_ref().map(|h| &h.attr)),
            ("file", a.file.as_ref()),
        ];
        for (what, attr) in endpoint_only {
            if let Some(attr) = attr {
                cx.error_spanned(
                    attr,
                    format!("`#[{what}]` only applies to the fields of a `#[wxpay_endpoint]` struct: a model is JSON, at any depth"),
                );
            }
        }
    } else {
        // At most one destination.
        let mut placed: Option<&str> = None;
        let destinations = [
            ("query", a.query.as_ref()),
            ("body", a.body.as_ref()),
            ("header", a.header.as_ref().map(|h| &h.attr)),
            ("file", a.file.as_ref()),
        ];
        for (what, attr) in destinations {
            let Some(attr) = attr else { continue };
            match placed {
                Some(first) => cx.error_spanned(
                    attr,
                    format!(
                        "`#[{what}]` conflicts with `#[{first}]`: a field is sent in one place"
                    ),
                ),
                None => placed = Some(what),
            }
        }
        if field.role == Role::Path {
            for (what, attr) in [("query", a.query.as_ref()), ("body", a.body.as_ref())] {
                if let Some(attr) = attr {
                    cx.error_spanned(
                        attr,
                        format!("`{name}` fills the placeholder `{{{name}}}` of the path and is sent nowhere else: remove `#[{what}]`"),
                    );
                }
            }
            if field.option_inner.is_some() {
                cx.error_spanned(&field.ty, format!("`{name}` fills a placeholder of the path, which needs a value: it cannot be an `Option`"));
            }
        }
        if field.role == Role::File && !model::is_file(&field.ty) {
            cx.error_spanned(
                &field.ty,
                "`#[file]` needs a field of type `wxpay::File` (`File::new(filename, bytes)`)",
            );
        }
        if let Some(Some(name)) = a.header.as_ref().map(|h| &h.name) {
            let value = name.value();
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if value.is_empty() || !value.chars().all(token) {
                cx.error(
                    name.span(),
                    format!("{value:?} is not a valid HTTP header name"),
                );
            } else if let Some(reserved) = RESERVED_HEADERS
                .iter()
                .find(|r| r.eq_ignore_ascii_case(&value))
            {
                cx.error(
                    name.span(),
                    format!("`{reserved}` is set by wxpay itself (signature, key id, body framing) and cannot be a field's header"),
                );
            }
        }
    }

    if let Some(attr) = &a.encrypted {
        let ok = match &field.option_inner {
            Some(inner) => model::is_string(inner),
            None => model::is_string(&field.ty),
        };
        let mut keep = true;
        if !ok {
            let ty = type_text(&field.ty);
            cx.error_spanned(
                &field.ty,
                format!("`#[encrypted]` applies to `String` or `Option<String>` fields, not `{ty}`: encrypt the string fields inside it instead"),
            );
            keep = false;
        }
        let where_ = match &field.role {
            Role::Path => Some("a path placeholder's value"),
            Role::Header(_) => Some("a header"),
            Role::File => Some("a file"),
            Role::Body | Role::Query => None,
        };
        if let Some(where_) = where_ {
            cx.error_spanned(attr, format!("`#[encrypted]` cannot encrypt {where_}: only JSON body and query fields are encrypted"));
            keep = false;
        }
        if let Some(json) = &a.json_string {
            cx.error_spanned(json, "`#[json_string]` conflicts with `#[encrypted]`: mark the fields inside the JSON `#[encrypted]` instead");
            keep = false;
        }
        if let Some(with) = &a.serde.with {
            cx.error_spanned(
                with,
                "`#[encrypted]` serializes the field itself: remove this serde attribute",
            );
            keep = false;
        }
        field.encrypted &= keep;
    }
    if let Some(attr) = &a.json_string {
        let mut keep = !field.encrypted && a.encrypted.is_none();
        if !matches!(field.role, Role::Body) {
            cx.error_spanned(attr, "`#[json_string]` applies to JSON body fields only");
            keep = false;
        }
        if let Some(with) = &a.serde.with {
            cx.error_spanned(
                with,
                "`#[json_string]` serializes the field itself: remove this serde attribute",
            );
            keep = false;
        }
        field.json_string &= keep;
    }
    if field.option_inner.is_none() {
        for cfg in &a.cfgs {
            cx.error_spanned(
                cfg,
                format!("`#[cfg]` is only supported on `Option` fields: the builder needs a value for the required field `{name}`"),
            );
        }
    }
}

/// A type as the user wrote it, give or take spaces: `Vec<String>`, not `Vec < String >`.
fn type_text(ty: &Type) -> String {
    let mut text = ty.to_token_stream().to_string();
    for (from, to) in [
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ::", "::"),
        (":: ", "::"),
        (" ,", ","),
        ("& ", "&"),
    ] {
        text = text.replace(from, to);
    }
    text
}

/// Headers that wxpay sets itself: a field cannot replace them (`Authorization` would replace
/// the signature, `Wechatpay-Serial` name another key than the one that encrypted the fields).
/// The same list is `wxpay_core::endpoint::RESERVED_HEADERS`, which refuses them at run time
/// for requests not declared with the macro; `wxpay-ui-tests/tests/macros_ui.rs` checks one
/// against the other.
pub(crate) const RESERVED_HEADERS: [&str; 7] = [
    "Authorization",
    "Wechatpay-Serial",
    "Content-Type",
    "Content-Length",
    "Accept",
    "User-Agent",
    "Host",
];
