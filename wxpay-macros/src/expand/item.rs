//! The struct re-emitted: the user's attributes, minus wxpay's, plus the serde derive and the
//! serde attributes that give each field its wire form.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Decl, Field, Kind, Role};

pub(crate) fn item(decl: &Decl) -> TokenStream {
    let derive = match decl.kind {
        Kind::Endpoint(_) => quote!(#[derive(::wxpay::__private::serde::Serialize)]),
        Kind::Model => quote! {
            #[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
        },
    };
    let krate = (!decl.container.serde_crate)
        .then(|| quote!(#[serde(crate = "::wxpay::__private::serde")]));
    let attrs = &decl.container.kept;
    let vis = &decl.vis;
    let ident = &decl.ident;
    let generics = &decl.generics;
    let where_clause = &generics.where_clause;
    let fields = decl.fields.iter().map(|f| {
        let attrs = &f.attrs.kept;
        let serde = serde_attr(&decl.kind, f);
        let vis = &f.vis;
        let ident = &f.ident;
        let ty = &f.ty;
        quote!(#(#attrs)* #serde #vis #ident: #ty)
    });
    quote! {
        #derive
        #krate
        #(#attrs)*
        #vis struct #ident #generics #where_clause {
            #(#fields),*
        }
    }
}

/// `#[serde(…)]` for one field; what the user wrote is kept and never repeated.
fn serde_attr(kind: &Kind, f: &Field) -> Option<TokenStream> {
    let user = f.serde();
    let model = matches!(kind, Kind::Model);
    let mut metas = Vec::new();
    if f.role != Role::Body {
        // Sent in the path, the query, a header or as the file: not in the JSON.
        if !user.skip {
            metas.push(quote!(skip));
        }
    } else {
        if f.option_inner.is_some() && !user.skip {
            if !user.skip_serializing_if {
                metas.push(quote!(skip_serializing_if = "::wxpay::__private::is_none"));
            }
            if model && !user.default {
                metas.push(quote!(default));
            }
        }
        if f.encrypted {
            metas.push(quote!(
                serialize_with = "::wxpay::__private::encrypted::serialize"
            ));
            if model {
                metas.push(quote!(
                    deserialize_with = "::wxpay::__private::encrypted::deserialize"
                ));
            }
        }
        if f.json_string {
            let with = if f.option_inner.is_some() {
                "::wxpay::__private::json_string::option"
            } else {
                "::wxpay::__private::json_string"
            };
            metas.push(quote!(with = #with));
        }
    }
    (!metas.is_empty()).then(|| quote!(#[serde(#(#metas),*)]))
}
