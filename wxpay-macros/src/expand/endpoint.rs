//! `impl Endpoint`: the constants, `write_request` (path, query, headers, body, in that order)
//! and `decode_response`.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{Ident, WherePredicate, parse_quote};

use crate::model::{Decl, EndpointSpec, Method, Piece, ResponseKind, Role};

pub(crate) fn impl_endpoint(decl: &Decl, spec: &EndpointSpec) -> TokenStream {
    let wx = &decl.private_path();
    let ident = &decl.ident;
    let method = Ident::new(
        spec.method.unwrap_or(Method::Get).variant(),
        Span::call_site(),
    );
    let path = spec.path.as_ref().map(|p| p.value.as_str()).unwrap_or("");
    let base_url = match &spec.base_url {
        Some(url) => quote!(::core::option::Option::Some(#url)),
        None => quote!(::core::option::Option::None),
    };
    let response = spec
        .response
        .as_ref()
        .map_or_else(|| quote!(()), |t| t.to_token_stream());
    let kind = Ident::new(spec.response_kind.variant(), Span::call_site());
    let decode = match spec.response_kind {
        ResponseKind::Json => quote!(#wx::decode_json(__wxpay_body)),
        ResponseKind::Empty => quote!(#wx::decode_empty(__wxpay_body)),
        ResponseKind::Download => quote!(#wx::decode_download(__wxpay_body)),
    };

    let field = |name: &str| decl.fields.iter().find(|f| f.name() == name);
    let path_steps = spec
        .path
        .iter()
        .flat_map(|p| &p.pieces)
        .map(|piece| match piece {
            Piece::Literal(text) => quote!(__wxpay_r.push_path(#text);),
            Piece::Param(name) => {
                let ident = field(name).map(|f| &f.ident);
                quote!(__wxpay_r.push_path_param(&self.#ident)?;)
            }
        });
    let query_steps = decl
        .fields
        .iter()
        .filter(|f| f.role == Role::Query)
        .map(|f| {
            let cfgs = f.cfgs();
            let name = &f.wire_name;
            let ident = &f.ident;
            let push = if f.encrypted {
                quote!(push_query_encrypted)
            } else {
                quote!(push_query)
            };
            quote!(#(#cfgs)* __wxpay_r.#push(#name, &self.#ident)?;)
        });
    let header_steps = decl.fields.iter().filter_map(|f| match &f.role {
        Role::Header(Some(name)) => {
            let cfgs = f.cfgs();
            let ident = &f.ident;
            Some(quote!(#(#cfgs)* __wxpay_r.push_header(#name, &self.#ident)?;))
        }
        _ => None,
    });
    let file = decl.fields.iter().find(|f| f.role == Role::File);
    let has_body = spec.method.is_some_and(|m| !m.has_query_fields())
        || decl.fields.iter().any(|f| f.role == Role::Body);
    let body = match file {
        Some(file) => {
            let ident = &file.ident;
            // The file goes in the part its field names (`file`, `submission_file`, …). The
            // meta gets `filename` and `sha256` of the file unless the endpoint names or
            // digests the file its own way: which fields do that is the runtime's to say
            // (`wxpay_core::endpoint::OWN_FILE_FIELDS`), from the declared body fields.
            let part = &file.wire_name;
            let body_fields = decl
                .fields
                .iter()
                .filter(|f| f.role == Role::Body)
                .map(|f| f.wire_name.as_str());
            quote!(__wxpay_r.set_upload(
                self,
                #part,
                &self.#ident,
                !#wx::declares_own_file_fields(&[#(#body_fields),*]),
            ))
        }
        None if has_body => quote!(__wxpay_r.set_json_body(self)),
        None => quote!(::core::result::Result::Ok(())),
    };

    let mut generics = decl.generics.clone();
    if generics.type_params().next().is_some() {
        // A generic endpoint needs its parameters to serialize; a plain one has nothing to prove.
        let predicates = bounds(decl, spec);
        generics.make_where_clause().predicates.extend(predicates);
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #wx::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            const METHOD: #wx::Method = #wx::Method::#method;
            const PATH: &'static str = #path;
            const BASE_URL: ::core::option::Option<&'static str> = #base_url;
            const RESPONSE_KIND: #wx::ResponseKind = #wx::ResponseKind::#kind;
            #[inline]
            fn write_request(
                &self,
                __wxpay_r: &mut #wx::RequestParts,
            ) -> ::core::result::Result<(), #wx::WxpayError> {
                #(#path_steps)*
                #(#query_steps)*
                #(#header_steps)*
                #body
            }
            #[inline]
            fn decode_response(
                __wxpay_body: &[u8],
            ) -> ::core::result::Result<Self::Response, #wx::WxpayError> {
                #decode
            }
        }
    }
}

/// What a generic endpoint's `impl Endpoint` needs of its parameters.
fn bounds(decl: &Decl, spec: &EndpointSpec) -> Vec<WherePredicate> {
    let wx = &decl.private_path();
    let mut out: Vec<WherePredicate> = vec![parse_quote!(Self: #wx::serde::Serialize)];
    if let (ResponseKind::Json, Some(response)) = (spec.response_kind, &spec.response) {
        let bound = quote!(#response: #wx::serde::de::DeserializeOwned);
        out.extend(syn::parse2::<WherePredicate>(bound).ok());
    }
    for f in &decl.fields {
        let ty = &f.ty;
        let bound = match f.role {
            Role::Path => quote!(#ty: ::core::fmt::Display),
            Role::Query | Role::Header(_) if !f.encrypted => {
                quote!(#ty: #wx::serde::Serialize)
            }
            _ => continue,
        };
        // A type that cannot be a bound's subject is the compiler's to report, not a panic.
        out.extend(syn::parse2::<WherePredicate>(bound).ok());
    }
    out
}
