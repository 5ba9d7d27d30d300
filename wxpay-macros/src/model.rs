//! Meaning: the declaration as a typed model (method, path template, fields and their roles),
//! built from what `attr` read. Things that cannot be modelled (an unknown method, a malformed
//! template) are reported here and left out; the rules between valid parts are `check`'s.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::{
    Attribute, Fields, GenericArgument, Generics, Ident, Item, LitStr, Path, PathArguments, Type,
    Visibility,
};

use crate::attr::{self, ContainerAttrs, FieldAttrs, Only, SerdeField};
use crate::ctxt::Ctxt;

/// An HTTP method of APIv3.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    fn from_ident(ident: &Ident) -> Option<Self> {
        Some(match ident.to_string().as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    /// The name of the `wxpay::Method` variant.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
        }
    }

    /// `GET` and `DELETE` send their fields in the query string; the others in a JSON body.
    pub(crate) fn has_query_fields(self) -> bool {
        matches!(self, Method::Get | Method::Delete)
    }
}

/// How the answer is read: `wxpay::ResponseKind`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseKind {
    Json,
    Empty,
    Download,
}

impl ResponseKind {
    pub(crate) fn variant(self) -> &'static str {
        match self {
            ResponseKind::Json => "Json",
            ResponseKind::Empty => "Empty",
            ResponseKind::Download => "Download",
        }
    }
}

/// What the macro was applied to.
pub(crate) enum Kind {
    Endpoint(Box<EndpointSpec>),
    /// `None`: used in requests and answers; else on that side only.
    Model(Option<Only>),
}

/// The arguments of `#[wxpay_endpoint]`, with meaning.
pub(crate) struct EndpointSpec {
    /// `None` when the method was missing or unknown (reported).
    pub method: Option<Method>,
    /// `None` when the path was missing or malformed (reported).
    pub path: Option<PathTemplate>,
    /// `None`: `()`.
    pub response: Option<Type>,
    pub response_kind: ResponseKind,
    pub base_url: Option<LitStr>,
}

/// The path, cut at its `{placeholders}`.
pub(crate) struct PathTemplate {
    pub lit: LitStr,
    pub value: String,
    pub pieces: Vec<Piece>,
}

pub(crate) enum Piece {
    Literal(String),
    Param(String),
}

impl PathTemplate {
    fn parse(lit: LitStr, cx: &mut Ctxt) -> Option<Self> {
        let value = lit.value();
        let mut pieces = Vec::new();
        let mut rest = value.as_str();
        let mut ok = true;
        while !rest.is_empty() {
            let next = rest.find(['{', '}']).unwrap_or(rest.len());
            if next > 0 {
                pieces.push(Piece::Literal(rest[..next].to_string()));
            }
            rest = &rest[next..];
            if rest.starts_with('}') {
                cx.error(lit.span(), "unmatched `}` in the path");
                ok = false;
                rest = &rest[1..];
                continue;
            }
            if rest.is_empty() {
                break;
            }
            let Some(end) = rest.find('}') else {
                cx.error(lit.span(), "unclosed `{` in the path");
                ok = false;
                break;
            };
            let name = &rest[1..end];
            if syn::parse_str::<Ident>(name).is_err()
                && syn::parse_str::<Ident>(&format!("r#{name}")).is_err()
            {
                cx.error(
                    lit.span(),
                    format!("`{{{name}}}` in the path: a placeholder holds a field name, like `{{out_trade_no}}`"),
                );
                ok = false;
            } else {
                pieces.push(Piece::Param(name.to_string()));
            }
            rest = &rest[end + 1..];
        }
        ok.then_some(PathTemplate { lit, value, pieces })
    }

    pub(crate) fn params(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Param(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    pub(crate) fn span(&self) -> Span {
        self.lit.span()
    }
}

/// Where a field goes in the request.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// In the JSON body (or multipart meta); every field of a model.
    Body,
    /// Bound to a `{placeholder}` of the path.
    Path,
    Query,
    /// `None` when the name is missing (reported).
    Header(Option<LitStr>),
    File,
}

/// A field of the declaration.
pub(crate) struct Field {
    pub ident: Ident,
    pub vis: Visibility,
    pub ty: Type,
    /// The `T` of an `Option<T>` field.
    pub option_inner: Option<Type>,
    pub role: Role,
    pub encrypted: bool,
    pub json_string: bool,
    /// The name on the wire: the field's name without `r#`, or its serde rename.
    pub wire_name: String,
    /// Whether the builder has a setter for it: not when its name clashes (reported).
    pub has_setter: bool,
    pub attrs: FieldAttrs,
}

impl Field {
    /// The field's name without `r#`.
    pub(crate) fn name(&self) -> String {
        self.ident.unraw().to_string()
    }

    pub(crate) fn serde(&self) -> &SerdeField {
        &self.attrs.serde
    }

    pub(crate) fn cfgs(&self) -> &[Attribute] {
        &self.attrs.cfgs
    }
}

/// A declaration: a struct with named fields under `#[wxpay_endpoint]` or `#[wxpay_model]`.
pub(crate) struct Decl {
    pub kind: Kind,
    /// The path of the `wxpay` crate (`crate = PATH`; default `::wxpay`), whose `__private`
    /// module the generated code names.
    pub krate: Path,
    pub container: ContainerAttrs,
    pub vis: Visibility,
    pub ident: Ident,
    pub generics: Generics,
    pub fields: Vec<Field>,
}

impl Decl {
    /// Whether the struct derives `Deserialize`: models not marked `request`.
    pub(crate) fn deserializes(&self) -> bool {
        matches!(self.kind, Kind::Model(None | Some(Only::Response)))
    }

    /// Whether it gets `builder()`: all but the models marked `response`, which are read from
    /// answers and written, when ever, as struct literals.
    pub(crate) fn has_builder(&self) -> bool {
        !matches!(self.kind, Kind::Model(Some(Only::Response)))
    }

    /// `PATH::__private`: what the generated code names.
    pub(crate) fn private_path(&self) -> TokenStream {
        let krate = &self.krate;
        quote::quote!(#krate::__private)
    }

    /// The same as text, for serde's string attributes (`with = "…"`).
    pub(crate) fn private_path_text(&self) -> String {
        let mut text = quote::ToTokens::to_token_stream(&self.krate).to_string();
        text.retain(|c| !c.is_whitespace());
        format!("{text}::__private")
    }
}

/// What the item turned out to be.
pub(crate) enum Parsed {
    Decl(Box<Decl>),
    /// Not a struct with named fields (reported): re-emitted as is, minus wxpay's attributes.
    Other(Box<Item>),
}

/// Reads the item under `#[wxpay_endpoint(args)]`.
pub(crate) fn endpoint(args: TokenStream, item: TokenStream, cx: &mut Ctxt) -> Parsed {
    let args = attr::endpoint_args(args, cx);
    let method = args.method.as_ref().and_then(|ident| {
        let method = Method::from_ident(ident);
        if method.is_none() {
            cx.error(ident.span(), format!("unknown method `{ident}`: expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`"));
        }
        method
    });
    let path = args.path.and_then(|lit| PathTemplate::parse(lit, cx));
    let response_kind = match &args.response {
        None => ResponseKind::Empty,
        Some(Type::Tuple(t)) if t.elems.is_empty() => ResponseKind::Empty,
        Some(Type::Path(p))
            if p.qself.is_none()
                && p.path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Download" && s.arguments.is_none()) =>
        {
            ResponseKind::Download
        }
        Some(_) => ResponseKind::Json,
    };
    let spec = EndpointSpec {
        method,
        path,
        response: args.response,
        response_kind,
        base_url: args.base_url,
    };
    read_item(Kind::Endpoint(Box::new(spec)), args.krate, item, cx)
}

/// Reads the item under `#[wxpay_model]`.
pub(crate) fn model(args: TokenStream, item: TokenStream, cx: &mut Ctxt) -> Parsed {
    let args = attr::model_args(args, cx);
    read_item(Kind::Model(args.only), args.krate, item, cx)
}

const ENDPOINT_DERIVES: &[(&str, &str)] = &[
    (
        "Debug",
        "implements `Debug` itself, printing `#[encrypted]` fields as \"***\"",
    ),
    (
        "Serialize",
        "derives `Serialize` itself, with the serde attributes its fields need",
    ),
];
const MODEL_DERIVES: &[(&str, &str)] = &[
    (
        "Debug",
        "implements `Debug` itself, printing `#[encrypted]` fields as \"***\"",
    ),
    (
        "Serialize",
        "derives `Serialize` itself, with the serde attributes its fields need",
    ),
    (
        "Deserialize",
        "derives `Deserialize` itself, with the serde attributes its fields need",
    ),
];

fn read_item(kind: Kind, krate: Option<Path>, item: TokenStream, cx: &mut Ctxt) -> Parsed {
    let name = match kind {
        Kind::Endpoint(_) => "wxpay_endpoint",
        Kind::Model(_) => "wxpay_model",
    };
    let expected = format!("`#[{name}]` expects a struct with named fields");
    let item = match syn::parse2::<Item>(item) {
        Ok(item) => item,
        Err(e) => {
            cx.push(e);
            return Parsed::Other(Box::new(Item::Verbatim(TokenStream::new())));
        }
    };
    let mut item = match item {
        Item::Struct(s) => s,
        Item::Enum(mut e) => {
            cx.error(e.enum_token.span, format!("{expected}, not an enum"));
            for variant in &mut e.variants {
                strip_helpers(&mut variant.fields);
            }
            return Parsed::Other(Box::new(Item::Enum(e)));
        }
        Item::Union(u) => {
            cx.error(u.union_token.span, format!("{expected}, not a union"));
            return Parsed::Other(Box::new(Item::Union(u)));
        }
        other => {
            cx.error_spanned(&other, expected);
            return Parsed::Other(Box::new(other));
        }
    };
    let named = match &mut item.fields {
        Fields::Named(named) => std::mem::take(&mut named.named),
        Fields::Unnamed(unnamed) => {
            cx.error_spanned(
                &*unnamed,
                format!(
                    "{expected}, not a tuple struct: `struct {} {{ field: Type }}`",
                    item.ident
                ),
            );
            strip_helpers(&mut item.fields);
            return Parsed::Other(Box::new(Item::Struct(item)));
        }
        Fields::Unit => {
            cx.error(
                item.ident.span(),
                format!(
                    "{expected}, not a unit struct: `struct {} {{}}` declares one with no fields",
                    item.ident
                ),
            );
            return Parsed::Other(Box::new(Item::Struct(item)));
        }
    };
    let implemented = match kind {
        Kind::Endpoint(_) => ENDPOINT_DERIVES,
        Kind::Model(_) => MODEL_DERIVES,
    };
    let container = attr::container_attrs(item.attrs, name, implemented, cx);
    let fields = named
        .into_iter()
        .map(|f| {
            // Named fields always have an identifier.
            let ident = f
                .ident
                .unwrap_or_else(|| Ident::new("_", Span::call_site()));
            let attrs = attr::field_attrs(f.attrs, cx);
            let mut field = Field {
                option_inner: option_inner(&f.ty).cloned(),
                role: Role::Body,
                encrypted: attrs.encrypted.is_some(),
                json_string: attrs.json_string.is_some(),
                wire_name: wire_name(&ident, &attrs.serde, container.rename_all.as_deref()),
                has_setter: true,
                ident,
                vis: f.vis,
                ty: f.ty,
                attrs,
            };
            field.role = role(&kind, &field);
            field
        })
        .collect();
    Parsed::Decl(Box::new(Decl {
        kind,
        krate: krate.unwrap_or_else(|| syn::parse_quote!(::wxpay)),
        container,
        vis: item.vis,
        ident: item.ident,
        generics: item.generics,
        fields,
    }))
}

/// Where a field goes: its own attribute first, then the path template, then the method's
/// default. Conflicting attributes are `check`'s to report.
fn role(kind: &Kind, field: &Field) -> Role {
    let Kind::Endpoint(spec) = kind else {
        return Role::Body;
    };
    let a = &field.attrs;
    if let Some(header) = &a.header {
        return Role::Header(header.name.clone());
    }
    if a.file.is_some() {
        return Role::File;
    }
    let name = field.name();
    if spec
        .path
        .as_ref()
        .is_some_and(|p| p.params().any(|p| p == name))
    {
        return Role::Path;
    }
    if a.query.is_some() {
        return Role::Query;
    }
    if a.body.is_none() && spec.method.is_some_and(Method::has_query_fields) {
        return Role::Query;
    }
    Role::Body
}

/// The `T` of `Option<T>` (also spelled `std::option::Option<T>`).
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Whether `ty` is `String` (any path ending in `String`, without arguments).
pub(crate) fn is_string(ty: &Type) -> bool {
    last_segment_is(ty, "String")
}

/// Whether `ty` is `File` (`wxpay::File`).
pub(crate) fn is_file(ty: &Type) -> bool {
    last_segment_is(ty, "File")
}

fn last_segment_is(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == name && s.arguments.is_none()),
        Type::Group(g) => last_segment_is(&g.elem, name),
        Type::Paren(p) => last_segment_is(&p.elem, name),
        _ => false,
    }
}

fn wire_name(ident: &Ident, serde: &SerdeField, rename_all: Option<&str>) -> String {
    let name = ident.unraw().to_string();
    if let Some(rename) = &serde.rename {
        return rename.clone();
    }
    match rename_all {
        Some(rule) => apply_rename_rule(rule, &name),
        None => name,
    }
}

/// serde's `rename_all` rules, as they apply to a snake_case field name.
fn apply_rename_rule(rule: &str, field: &str) -> String {
    let pascal = || {
        field
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            })
            .collect::<String>()
    };
    match rule {
        "lowercase" => field.to_ascii_lowercase(),
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            match chars.next() {
                Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.to_ascii_uppercase().replace('_', "-"),
        _ => field.to_string(),
    }
}

/// Removes wxpay's attributes from fields that are not re-emitted through the model (a tuple
/// struct, an enum), so the user sees the one error that matters.
fn strip_helpers(fields: &mut Fields) {
    for field in fields.iter_mut() {
        field.attrs.retain(|a| !attr::is_helper(a));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules_match_serde() {
        assert_eq!(apply_rename_rule("camelCase", "pay_auth_no"), "payAuthNo");
        assert_eq!(apply_rename_rule("PascalCase", "pay_auth_no"), "PayAuthNo");
        assert_eq!(apply_rename_rule("SCREAMING_SNAKE_CASE", "a_b"), "A_B");
        assert_eq!(apply_rename_rule("kebab-case", "a_b"), "a-b");
        assert_eq!(apply_rename_rule("SCREAMING-KEBAB-CASE", "a_b"), "A-B");
        assert_eq!(apply_rename_rule("lowercase", "a_B"), "a_b");
        assert_eq!(apply_rename_rule("snake_case", "a_b"), "a_b");
    }
}
