//! The struct re-emitted: the user's attributes, minus wxpay's, plus the serde derive and the
//! serde attributes that give each field its wire form.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Decl, Field, Role};

/// `compact_de`: `Deserialize` is written by `de` rather than derived.
pub(crate) fn item(decl: &Decl, compact_de: bool) -> TokenStream {
    let wx = &decl.private_path();
    let derive = if decl.deserializes() && !compact_de {
        quote!(#[derive(#wx::serde::Serialize, #wx::serde::Deserialize)])
    } else {
        quote!(#[derive(#wx::serde::Serialize)])
    };
    let serde_crate = format!("{}::serde", decl.private_path_text());
    let krate = (!decl.container.serde_crate).then(|| quote!(#[serde(crate = #serde_crate)]));
    let attrs = &decl.container.kept;
    let vis = &decl.vis;
    let ident = &decl.ident;
    let generics = &decl.generics;
    let where_clause = &generics.where_clause;
    let fields = decl.fields.iter().map(|f| {
        let attrs = &f.attrs.kept;
        let serde = serde_attr(decl, f);
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
fn serde_attr(decl: &Decl, f: &Field) -> Option<TokenStream> {
    let user = f.serde();
    let model = decl.deserializes();
    let wx = decl.private_path_text();
    let path = |item: &str| format!("{wx}::{item}");
    let mut metas = Vec::new();
    if f.role != Role::Body {
        // Sent in the path, the query, a header or as the file: not in the JSON.
        if !user.skip {
            metas.push(quote!(skip));
        }
    } else {
        if f.option_inner.is_some() && !user.skip {
            if !user.skip_serializing_if {
                let is_none = path("is_none");
                metas.push(quote!(skip_serializing_if = #is_none));
            }
            if model && !user.default {
                metas.push(quote!(default));
            }
        }
        if f.encrypted {
            let serialize = path("encrypted::serialize");
            metas.push(quote!(serialize_with = #serialize));
            if model {
                let deserialize = path("encrypted::deserialize");
                metas.push(quote!(deserialize_with = #deserialize));
            }
        }
        if f.json_string {
            let with = if f.option_inner.is_some() {
                path("json_string::option")
            } else {
                path("json_string")
            };
            metas.push(quote!(with = #with));
        }
    }
    (!metas.is_empty()).then(|| quote!(#[serde(#(#metas),*)]))
}
