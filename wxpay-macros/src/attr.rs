//! Syntax: the arguments of `#[wxpay_endpoint(…)]`, the struct's own attributes, and the
//! attributes on its fields. Nothing here decides what they mean; `model` does.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, LitStr, Meta, Path, Token, Type};

use crate::ctxt::Ctxt;

/// The field attributes of wxpay, stripped from the re-emitted struct.
pub(crate) const ENCRYPTED: &str = "encrypted";
pub(crate) const JSON_STRING: &str = "json_string";
pub(crate) const QUERY: &str = "query";
pub(crate) const BODY: &str = "body";
pub(crate) const HEADER: &str = "header";
pub(crate) const FILE: &str = "file";
const HELPERS: [&str; 6] = [ENCRYPTED, JSON_STRING, QUERY, BODY, HEADER, FILE];

const METHODS: &str = "expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`";
const USAGE: &str = "expected `#[wxpay_endpoint(METHOD, \"v3/…\")]`, optionally followed by `response = TYPE`, `base_url = \"URL\"` and `crate = PATH`";

/// Whether `attr` is one of wxpay's field attributes.
pub(crate) fn is_helper(attr: &Attribute) -> bool {
    HELPERS.iter().any(|h| attr.path().is_ident(h))
}

/// `#[wxpay_endpoint(METHOD, "PATH", response = TYPE, base_url = "URL")]`, as written.
#[derive(Default)]
pub(crate) struct EndpointArgs {
    pub method: Option<Ident>,
    pub path: Option<LitStr>,
    pub response: Option<Type>,
    pub base_url: Option<LitStr>,
    pub krate: Option<Path>,
}

/// Reads the arguments of `#[wxpay_endpoint]`. What cannot be read is reported and left `None`.
pub(crate) fn endpoint_args(tokens: TokenStream, cx: &mut Ctxt) -> EndpointArgs {
    let mut args = EndpointArgs::default();
    let parser = |input: ParseStream| parse_endpoint_args(input, &mut args, cx);
    if let Err(e) = parser.parse2(tokens) {
        cx.push(e);
    }
    args
}

fn parse_endpoint_args(
    input: ParseStream,
    args: &mut EndpointArgs,
    cx: &mut Ctxt,
) -> syn::Result<()> {
    if input.is_empty() {
        return Err(syn::Error::new(Span::call_site(), USAGE));
    }
    if input.peek(LitStr) {
        let path: LitStr = input.parse()?;
        cx.error(
            path.span(),
            format!("expected the HTTP method before the path: {METHODS}"),
        );
        args.path = Some(path);
    } else {
        if !input.peek(Ident::peek_any) {
            return Err(input.error(format!("expected the HTTP method: {METHODS}")));
        }
        let method = input.call(Ident::parse_any)?;
        if input.is_empty() {
            return Err(syn::Error::new(
                method.span(),
                "expected the path after the method: `#[wxpay_endpoint(GET, \"v3/…\")]`",
            ));
        }
        args.method = Some(method);
        input.parse::<Token![,]>()?;
        if !input.peek(LitStr) {
            return Err(input.error("expected the path as a string literal: `\"v3/…\"`"));
        }
        args.path = Some(input.parse()?);
    }
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let key = input.call(Ident::parse_any)?;
        let known = key == "response" || key == "base_url" || key == "crate";
        if !known {
            cx.error(
                key.span(),
                format!(
                    "unknown argument `{key}`: expected `response = TYPE`, `base_url = \"URL\"` or `crate = PATH`"
                ),
            );
            // Skip its value, if any, to read the arguments after it.
            while !input.is_empty() && !input.peek(Token![,]) {
                input.parse::<TokenTree>()?;
            }
            continue;
        }
        if !input.peek(Token![=]) {
            return Err(syn::Error::new(
                key.span(),
                format!("expected `=` after `{key}`"),
            ));
        }
        input.parse::<Token![=]>()?;
        if key == "crate" {
            let path = crate_path(input)?;
            if args.krate.is_some() {
                cx.error(key.span(), "duplicate argument `crate`");
            } else {
                args.krate = Some(path);
            }
        } else if key == "response" {
            let ty: Type = input.parse()?;
            if args.response.is_some() {
                cx.error(key.span(), "duplicate argument `response`");
            } else {
                args.response = Some(ty);
            }
        } else {
            if !input.peek(LitStr) {
                return Err(input.error(
                    "expected the base URL as a string literal: `\"https://apihk.mch.weixin.qq.com/\"`",
                ));
            }
            let url: LitStr = input.parse()?;
            if args.base_url.is_some() {
                cx.error(key.span(), "duplicate argument `base_url`");
            } else {
                args.base_url = Some(url);
            }
        }
    }
    Ok(())
}

/// The value of `crate = PATH` (or `crate = "PATH"`, as serde writes it): where the `wxpay`
/// crate is, for a renamed dependency or for `wxpay-core` itself (`crate = crate`).
fn crate_path(input: ParseStream) -> syn::Result<Path> {
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        lit.parse_with(Path::parse_mod_style)
    } else {
        input.call(Path::parse_mod_style)
    }
}

/// What `#[wxpay_model(…)]` says: `crate = PATH`, and `request` or `response` for a model used
/// on one side only.
#[derive(Default)]
pub(crate) struct ModelArgs {
    pub krate: Option<Path>,
    pub only: Option<Only>,
}

/// A model used only in requests (`request`: no `Deserialize`) or only in answers
/// (`response`: no builder). Generated code for the other side is never compiled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Only {
    Request,
    Response,
}

const MODEL_USAGE: &str =
    "`#[wxpay_model]` takes no arguments but `crate = PATH` and one of `request`, `response`";

/// `#[wxpay_model]` takes `crate = PATH` and `request` or `response`, in any order.
pub(crate) fn model_args(tokens: TokenStream, cx: &mut Ctxt) -> ModelArgs {
    if tokens.is_empty() {
        return ModelArgs::default();
    }
    let parser = |input: ParseStream| -> syn::Result<ModelArgs> {
        let mut args = ModelArgs::default();
        loop {
            let key = input.call(Ident::parse_any)?;
            if key == "crate" && input.peek(Token![=]) && args.krate.is_none() {
                input.parse::<Token![=]>()?;
                args.krate = Some(crate_path(input)?);
            } else if (key == "request" || key == "response") && args.only.is_none() {
                args.only = Some(if key == "request" {
                    Only::Request
                } else {
                    Only::Response
                });
            } else {
                return Err(syn::Error::new(key.span(), MODEL_USAGE));
            }
            if input.is_empty() {
                return Ok(args);
            }
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                return Ok(args);
            }
        }
    };
    match parser.parse2(tokens) {
        Ok(args) => args,
        Err(e) => {
            cx.push(e);
            ModelArgs::default()
        }
    }
}

/// What the struct's own attributes say.
pub(crate) struct ContainerAttrs {
    /// The attributes to re-emit: everything, with the derives wxpay implements itself removed.
    pub kept: Vec<Attribute>,
    /// `#[serde(rename_all = "…")]` (the serialize rule).
    pub rename_all: Option<String>,
    /// `#[serde(crate = "…")]` is already there.
    pub serde_crate: bool,
}

/// Reads the struct's attributes. A derive of a trait in `implemented` is reported (the macro
/// implements it) and left out of the re-emitted derive.
pub(crate) fn container_attrs(
    attrs: Vec<Attribute>,
    macro_name: &str,
    implemented: &[(&str, &str)],
    cx: &mut Ctxt,
) -> ContainerAttrs {
    let mut out = ContainerAttrs {
        kept: Vec::with_capacity(attrs.len()),
        rename_all: None,
        serde_crate: false,
    };
    for attr in attrs {
        if attr.path().is_ident("derive") {
            if let Some(attr) = filter_derive(attr, macro_name, implemented, cx) {
                out.kept.push(attr);
            }
            continue;
        }
        if attr.path().is_ident("serde") {
            for meta in serde_metas(&attr) {
                if meta.path().is_ident("rename_all") {
                    if let Some(rule) = serialize_name(&meta) {
                        out.rename_all = Some(rule);
                    }
                } else if meta.path().is_ident("crate") {
                    out.serde_crate = true;
                }
            }
        }
        out.kept.push(attr);
    }
    out
}

/// Removes the derives wxpay implements itself, reporting each.
fn filter_derive(
    attr: Attribute,
    macro_name: &str,
    implemented: &[(&str, &str)],
    cx: &mut Ctxt,
) -> Option<Attribute> {
    let Ok(paths) = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated) else {
        return Some(attr);
    };
    let mut kept = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path.segments.last().map(|s| s.ident.to_string());
        match implemented
            .iter()
            .find(|(t, _)| Some(*t) == name.as_deref())
        {
            Some((name, why)) => cx.error_spanned(
                &path,
                format!("`#[{macro_name}]` {why}: remove `{name}` from this derive"),
            ),
            None => kept.push(path),
        }
    }
    if kept.is_empty() {
        return None;
    }
    let pound = attr.pound_token;
    let bracket = attr.bracket_token;
    let mut attr: Attribute = syn::parse_quote!(#[derive(#(#kept),*)]);
    attr.pound_token = pound;
    attr.bracket_token = bracket;
    Some(attr)
}

/// A field's attributes, read.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub encrypted: Option<Attribute>,
    pub json_string: Option<Attribute>,
    pub query: Option<Attribute>,
    pub body: Option<Attribute>,
    pub file: Option<Attribute>,
    pub header: Option<Header>,
    pub serde: SerdeField,
    /// `#[cfg(…)]`, copied onto every generated use of the field.
    pub cfgs: Vec<Attribute>,
    /// Doc comments, copied onto the builder's setter.
    pub docs: Vec<Attribute>,
    /// Every attribute but wxpay's, in order: re-emitted on the field.
    pub kept: Vec<Attribute>,
}

/// `#[header("Name")]`.
pub(crate) struct Header {
    pub attr: Attribute,
    /// `None` when the name is missing (reported).
    pub name: Option<LitStr>,
}

/// What the field's `#[serde(…)]` attributes already say.
#[derive(Default)]
pub(crate) struct SerdeField {
    /// The serialized name, from `rename = "…"` or `rename(serialize = "…")`.
    pub rename: Option<String>,
    pub skip_serializing_if: bool,
    pub default: bool,
    /// `skip` or `skip_serializing`.
    pub skip: bool,
    /// `with`, `serialize_with` or `deserialize_with`: the user serializes the field.
    pub with: Option<Path>,
}

/// Reads a field's attributes, reporting malformed or duplicate wxpay attributes.
pub(crate) fn field_attrs(attrs: Vec<Attribute>, cx: &mut Ctxt) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs {
        let path = attr.path();
        let slot = if path.is_ident(ENCRYPTED) {
            Some((&mut out.encrypted, ENCRYPTED))
        } else if path.is_ident(JSON_STRING) {
            Some((&mut out.json_string, JSON_STRING))
        } else if path.is_ident(QUERY) {
            Some((&mut out.query, QUERY))
        } else if path.is_ident(BODY) {
            Some((&mut out.body, BODY))
        } else if path.is_ident(FILE) {
            Some((&mut out.file, FILE))
        } else {
            None
        };
        if let Some((slot, name)) = slot {
            if let Meta::List(_) | Meta::NameValue(_) = &attr.meta {
                cx.error_spanned(&attr.meta, format!("`#[{name}]` takes no arguments"));
            }
            if slot.is_some() {
                cx.error_spanned(&attr, format!("duplicate `#[{name}]` attribute"));
            } else {
                *slot = Some(attr);
            }
            continue;
        }
        if path.is_ident(HEADER) {
            let name = header_name(&attr, cx);
            if out.header.is_some() {
                cx.error_spanned(&attr, "duplicate `#[header]` attribute");
            } else {
                out.header = Some(Header { attr, name });
            }
            continue;
        }
        if path.is_ident("serde") {
            read_serde_field(&attr, &mut out.serde);
        } else if path.is_ident("cfg") {
            out.cfgs.push(attr.clone());
        } else if path.is_ident("doc") {
            out.docs.push(attr.clone());
        }
        out.kept.push(attr);
    }
    out
}

fn header_name(attr: &Attribute, cx: &mut Ctxt) -> Option<LitStr> {
    const HINT: &str = "`#[header]` needs the header's name: `#[header(\"Idempotency-Key\")]`";
    match &attr.meta {
        Meta::List(list) => match syn::parse2::<LitStr>(list.tokens.clone()) {
            Ok(name) => Some(name),
            Err(_) if list.tokens.is_empty() => {
                cx.error_spanned(attr, HINT);
                None
            }
            Err(_) => {
                cx.error_spanned(
                    &list.tokens,
                    "expected the header's name as one string literal: `#[header(\"Idempotency-Key\")]`",
                );
                None
            }
        },
        _ => {
            cx.error_spanned(attr, HINT);
            None
        }
    }
}

fn read_serde_field(attr: &Attribute, serde: &mut SerdeField) {
    for meta in serde_metas(attr) {
        let path = meta.path();
        if path.is_ident("rename") {
            if let Some(name) = serialize_name(&meta) {
                serde.rename = Some(name);
            }
        } else if path.is_ident("skip_serializing_if") {
            serde.skip_serializing_if = true;
        } else if path.is_ident("default") {
            serde.default = true;
        } else if path.is_ident("skip") || path.is_ident("skip_serializing") {
            serde.skip = true;
        } else if path.is_ident("with")
            || path.is_ident("serialize_with")
            || path.is_ident("deserialize_with")
        {
            serde.with = Some(path.clone());
        }
    }
}

/// The items of `#[serde(…)]`; nothing when it does not parse (serde reports that).
fn serde_metas(attr: &Attribute) -> Vec<Meta> {
    attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        .map(|p| p.into_iter().collect())
        .unwrap_or_default()
}

/// The serialize side of `key = "…"` or `key(serialize = "…", deserialize = "…")`.
fn serialize_name(meta: &Meta) -> Option<String> {
    match meta {
        Meta::NameValue(nv) => lit_str(&nv.value),
        Meta::List(list) => list
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .ok()?
            .into_iter()
            .find_map(|m| match m {
                Meta::NameValue(nv) if nv.path.is_ident("serialize") => lit_str(&nv.value),
                _ => None,
            }),
        Meta::Path(_) => None,
    }
}

fn lit_str(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}
