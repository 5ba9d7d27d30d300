//! Code generation: the model, quoted. Generated code names only `::core` and
//! `::wxpay::__private` (or `PATH::__private` under `crate = PATH`), and keeps its helper items
//! inside `const _: () = { … };`.

mod builder;
mod de;
mod debug;
mod endpoint;
mod item;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{GenericParam, Generics, Ident, Item};

use crate::check;
use crate::ctxt::Ctxt;
use crate::model::{self, Kind, Parsed};

/// What a macro produces: the code, and the errors found in the declaration. With errors, the
/// code is the struct without wxpay's attributes plus stand-in impls, so that the user sees
/// one error per mistake and nothing that follows from it.
pub struct Expansion {
    tokens: TokenStream,
    errors: Option<syn::Error>,
}

impl Expansion {
    /// The code, or the errors when there are any.
    #[cfg(test)]
    pub fn into_result(self) -> syn::Result<TokenStream> {
        match self.errors {
            None => Ok(self.tokens),
            Some(errors) => Err(errors),
        }
    }

    /// The errors (as `compile_error!`s) followed by the code: what the compiler gets.
    pub fn into_token_stream(self) -> TokenStream {
        let mut out = self
            .errors
            .map(|e| e.to_compile_error())
            .unwrap_or_default();
        out.extend(self.tokens);
        out
    }
}

/// `#[wxpay_endpoint(args)] item`.
#[cfg(test)]
pub fn endpoint(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    expand_endpoint(args, item).into_result()
}

/// `#[wxpay_model(args)] item`.
#[cfg(test)]
pub fn model(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    expand_model(args, item).into_result()
}

/// `#[wxpay_endpoint(args)] item`, errors and recovered code together.
pub fn expand_endpoint(args: TokenStream, item: TokenStream) -> Expansion {
    let mut cx = Ctxt::new();
    let parsed = model::endpoint(args, item, &mut cx);
    expand(parsed, cx, true)
}

/// `#[wxpay_model(args)] item`, errors and recovered code together.
pub fn expand_model(args: TokenStream, item: TokenStream) -> Expansion {
    let mut cx = Ctxt::new();
    let parsed = model::model(args, item, &mut cx);
    expand(parsed, cx, false)
}

fn expand(parsed: Parsed, mut cx: Ctxt, is_endpoint: bool) -> Expansion {
    let mut decl = match parsed {
        Parsed::Decl(decl) => decl,
        Parsed::Other(item) => {
            return Expansion {
                tokens: stand_in_for_other(*item, is_endpoint),
                errors: cx.finish(),
            };
        }
    };
    check::check(&mut decl, &mut cx);
    let errors = cx.finish();
    let item = item::item(&decl, de::is_compact(&decl));
    let endpoint = match (&decl.kind, &errors) {
        (Kind::Endpoint(spec), None) => endpoint::impl_endpoint(&decl, spec),
        (Kind::Endpoint(spec), Some(_)) => stand_in_endpoint(
            &decl.private_path(),
            &decl.ident,
            &decl.generics,
            spec.response.as_ref(),
        ),
        (Kind::Model(_), _) => TokenStream::new(),
    };
    let debug = debug::impl_debug(&decl);
    let compact_de = de::is_compact(&decl).then(|| de::impl_compact(&decl));
    let builder::Builder {
        item: builder_item,
        impls: builder_impls,
    } = if decl.has_builder() {
        builder::builder(&decl)
    } else {
        builder::Builder::default()
    };
    Expansion {
        tokens: quote! {
            #item
            #builder_item
            #[allow(non_camel_case_types)]
            const _: () = {
                #endpoint
                #debug
                #compact_de
                #builder_impls
            };
        },
        errors,
    }
}

/// The parameters of `generics` as arguments: `'a, T, N`.
pub(crate) fn generic_args(generics: &Generics) -> Vec<TokenStream> {
    generics
        .params
        .iter()
        .map(|p| match p {
            GenericParam::Lifetime(l) => l.lifetime.to_token_stream(),
            GenericParam::Type(t) => t.ident.to_token_stream(),
            GenericParam::Const(c) => c.ident.to_token_stream(),
        })
        .collect()
}

/// `Endpoint` with bodies that are never compiled into a program (the declaration has errors):
/// it keeps `client.send(&request)` from adding an error of its own.
fn stand_in_endpoint(
    wx: &TokenStream,
    ident: &Ident,
    generics: &Generics,
    response: Option<&syn::Type>,
) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let response = response.map_or_else(|| quote!(()), |t| t.to_token_stream());
    quote! {
        #[automatically_derived]
        impl #impl_generics #wx::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            const METHOD: #wx::Method = #wx::Method::Get;
            const PATH: &'static str = "";
            const BASE_URL: ::core::option::Option<&'static str> = ::core::option::Option::None;
            const RESPONSE_KIND: #wx::ResponseKind = #wx::ResponseKind::Json;
            fn write_request(
                &self,
                _: &mut #wx::RequestParts,
            ) -> ::core::result::Result<(), #wx::WxpayError> {
                ::core::unreachable!()
            }
            fn decode_response(
                _: &[u8],
            ) -> ::core::result::Result<Self::Response, #wx::WxpayError> {
                ::core::unreachable!()
            }
        }
    }
}

/// The item re-emitted as it is (wxpay's field attributes removed), with a stand-in `Debug`
/// and, for a struct under `#[wxpay_endpoint]`, a stand-in `Endpoint`.
fn stand_in_for_other(item: Item, is_endpoint: bool) -> TokenStream {
    let Item::Struct(s) = &item else {
        return item.into_token_stream();
    };
    let (impl_generics, ty_generics, where_clause) = s.generics.split_for_impl();
    let ident = &s.ident;
    let endpoint = is_endpoint
        .then(|| stand_in_endpoint(&quote!(::wxpay::__private), ident, &s.generics, None));
    quote! {
        #item
        const _: () = {
            #endpoint
            #[automatically_derived]
            impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(::core::stringify!(#ident))
                }
            }
        };
    }
}
