//! `Debug`: every field, `#[encrypted]` ones as `"***"`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Decl;

pub(crate) fn impl_debug(decl: &Decl) -> TokenStream {
    let wx = &decl.private_path();
    let ident = &decl.ident;
    let name = ident.to_string();
    let mut generics = decl.generics.clone();
    let params: Vec<_> = generics.type_params().map(|p| p.ident.clone()).collect();
    if !params.is_empty() {
        let where_clause = generics.make_where_clause();
        for param in params {
            where_clause
                .predicates
                .push(syn::parse_quote!(#param: ::core::fmt::Debug));
        }
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let fields = decl.fields.iter().map(|f| {
        let cfgs = f.cfgs();
        let name = f.name();
        let ident = &f.ident;
        let value = if f.encrypted {
            quote!(&#wx::RedactedDebug)
        } else {
            quote!(&self.#ident)
        };
        quote!(#(#cfgs)* __wxpay_d.field(#name, #value);)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
            #[inline]
            fn fmt(&self, __wxpay_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut __wxpay_d = __wxpay_f.debug_struct(#name);
                #(#fields)*
                __wxpay_d.finish()
            }
        }
    }
}
