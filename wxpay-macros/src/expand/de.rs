//! The compact `Deserialize` of a `#[wxpay_model(response)]`: a [`FromMap`] impl with one slot
//! and one match arm per field, over the helpers of `__private::de`. serde's derive writes a
//! field enum with its visitor, a sequence visitor and a map visitor, about ten times the
//! code; for the ready-made API, whose answers are most of its models, that was most of what
//! it compiled. Used only where the result is the derive's: no generics, no `#[cfg]` fields,
//! and no serde attributes but a plain `rename = "…"` on a field.
//!
//! [`FromMap`]: https://docs.rs/wxpay-core

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, LitStr};

use crate::attr::Only;
use crate::model::{Decl, Kind};

/// Whether the model gets the compact `Deserialize` rather than serde's derive.
pub(crate) fn is_compact(decl: &Decl) -> bool {
    matches!(decl.kind, Kind::Model(Some(Only::Response)))
        && decl.generics.params.is_empty()
        && decl.generics.where_clause.is_none()
        && decl.container.rename_all.is_none()
        && !decl.container.kept.iter().any(is_serde)
        && decl.fields.iter().all(|f| {
            f.cfgs().is_empty()
                && f.attrs
                    .kept
                    .iter()
                    .filter(|a| is_serde(a))
                    .all(|a| plain_rename(a).is_some())
        })
}

fn is_serde(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
}

/// `#[serde(rename = "…")]` and nothing else.
fn plain_rename(attr: &Attribute) -> Option<LitStr> {
    let mut rename = None;
    let mut other = false;
    let parsed = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("rename")
            && rename.is_none()
            && let Ok(value) = meta.value()
        {
            rename = Some(value.parse::<LitStr>()?);
            return Ok(());
        }
        other = true;
        Ok(())
    });
    if parsed.is_err() || other {
        return None;
    }
    rename
}

pub(crate) fn impl_compact(decl: &Decl) -> TokenStream {
    let wx = &decl.private_path();
    let ident = &decl.ident;
    let expecting = format!("struct {ident}");
    let slots = decl.fields.iter().enumerate().map(|(i, f)| {
        let slot = format_ident!("__f{}", i);
        let ty = &f.ty;
        quote!(let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None;)
    });
    let arms = decl.fields.iter().enumerate().map(|(i, f)| {
        let slot = format_ident!("__f{}", i);
        let name = &f.wire_name;
        let put = match (f.encrypted, f.json_string, f.option_inner.is_some()) {
            (true, _, _) => quote!(put_decrypted),
            (false, true, true) => quote!(put_json_string_opt),
            (false, true, false) => quote!(put_json_string),
            (false, false, _) => quote!(put),
        };
        quote!(#name => #wx::de::#put(&mut #slot, #name, &mut __map)?,)
    });
    let inits = decl.fields.iter().enumerate().map(|(i, f)| {
        let slot = format_ident!("__f{}", i);
        let field = &f.ident;
        let name = &f.wire_name;
        if f.option_inner.is_some() {
            quote!(#field: #slot.unwrap_or_default())
        } else {
            quote!(#field: #wx::de::required(#slot, #name)?)
        }
    });
    quote! {
        #[automatically_derived]
        impl #wx::de::FromMap for #ident {
            const EXPECTING: &'static str = #expecting;
            fn from_map<'de, __A: #wx::serde::de::MapAccess<'de>>(
                mut __map: __A,
            ) -> ::core::result::Result<Self, __A::Error> {
                #(#slots)*
                while let ::core::option::Option::Some(__key) =
                    __map.next_key::<#wx::de::Key<'de>>()?
                {
                    match __key.as_str() {
                        #(#arms)*
                        _ => #wx::de::skip(&mut __map)?,
                    }
                }
                ::core::result::Result::Ok(#ident { #(#inits,)* })
            }
        }
        #[automatically_derived]
        impl<'de> #wx::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: #wx::serde::Deserializer<'de>>(
                __d: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                #wx::de::deserialize(__d)
            }
        }
    }
}
