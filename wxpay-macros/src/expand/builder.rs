//! The typestate builder: `Name::builder()`, one setter per field, `.build()`.
//!
//! `NameBuilder` has one type parameter per required field, `Unset` until its setter stores
//! `Set<T>` there, so the set values live in the type state and `build()` cannot fail. `build()`
//! requires, per required field, a trait whose `on_unimplemented` message names the field: a
//! missing field is one compile error that says which. Optional fields are plain `Option`s.
//! Everything but the builder struct itself sits in the expansion's `const _` block, whose
//! `#[allow(non_camel_case_types)]` covers the `__wxpay_…` parameters and traits.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, parse_quote};

use super::generic_args;
use crate::model::{Decl, Field};

#[derive(Default)]
pub(crate) struct Builder {
    /// `NameBuilder`, at module level so that users can name it.
    pub item: TokenStream,
    /// `Name::builder()`, the setters, `build()` and the per-field traits.
    pub impls: TokenStream,
}

/// A required field's type parameter in the builder, and its trait.
struct Required<'a> {
    field: &'a Field,
    state: Ident,
    missing: Ident,
}

pub(crate) fn builder(decl: &Decl) -> Builder {
    let wx = &decl.private_path();
    let ident = &decl.ident;
    let vis = &decl.vis;
    let builder = format_ident!("{}Builder", ident);
    let required: Vec<Required> = decl
        .fields
        .iter()
        .filter(|f| f.option_inner.is_none())
        .map(|field| {
            let name = field.name();
            Required {
                field,
                state: format_ident!("__wxpay_s_{}", name),
                missing: format_ident!("__wxpay_missing_{}", name),
            }
        })
        .collect();
    let struct_args = generic_args(&decl.generics);
    let builder_ty = |states: &[TokenStream]| {
        let args: Vec<&TokenStream> = struct_args.iter().chain(states).collect();
        if args.is_empty() {
            quote!(#builder)
        } else {
            quote!(#builder<#(#args),*>)
        }
    };
    let target = if struct_args.is_empty() {
        quote!(#ident)
    } else {
        quote!(#ident<#(#struct_args),*>)
    };
    let marker = (!struct_args.is_empty()).then(|| quote!(__wxpay_marker));

    // The struct.
    let mut generics = decl.generics.clone();
    for r in &required {
        let state = &r.state;
        generics.params.push(parse_quote!(#state = #wx::Unset));
    }
    let where_clause = &decl.generics.where_clause;
    let slots = decl.fields.iter().map(|f| {
        let cfgs = f.cfgs();
        let ident = &f.ident;
        match (
            &f.option_inner,
            required.iter().find(|r| std::ptr::eq(r.field, f)),
        ) {
            (_, Some(r)) => {
                let state = &r.state;
                quote!(#ident: #state)
            }
            (Some(inner), None) => quote!(#(#cfgs)* #ident: ::core::option::Option<#inner>),
            (None, None) => quote!(),
        }
    });
    let marker_slot = marker
        .as_ref()
        .map(|m| quote!(#m: ::core::marker::PhantomData<fn() -> #target>,));
    let doc = format!(
        " Builder of [`{ident}`], from [`{ident}::builder()`]: one setter per field, then \
         `.build()`. A required field left unset is a compile error that names it."
    );
    let item = quote! {
        #[doc = #doc]
        #[must_use = "call `.build()` to get the value"]
        #[allow(non_camel_case_types)]
        #vis struct #builder #generics #where_clause {
            #(#slots,)*
            #marker_slot
        }
    };

    // `Name::builder()`.
    let (impl_generics, ty_generics, _) = decl.generics.split_for_impl();
    let empty = decl.fields.iter().map(|f| {
        let cfgs = f.cfgs();
        let ident = &f.ident;
        if f.option_inner.is_some() {
            quote!(#(#cfgs)* #ident: ::core::option::Option::None)
        } else {
            quote!(#ident: #wx::Unset)
        }
    });
    let marker_init = marker
        .as_ref()
        .map(|m| quote!(#m: ::core::marker::PhantomData,));
    let start_doc =
        format!(" Starts a builder of [`{ident}`]: one setter per field, then `.build()`.");
    let start_ty = builder_ty(&[]);
    let start = quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #start_doc]
            #[inline]
            #vis fn builder() -> #start_ty {
                #builder { #(#empty,)* #marker_init }
            }
        }
    };

    // The setters and `build()`.
    let states: Vec<TokenStream> = required
        .iter()
        .map(|r| {
            let state = &r.state;
            quote!(#state)
        })
        .collect();
    let mut impl_generics = decl.generics.clone();
    for r in &required {
        let state = &r.state;
        impl_generics.params.push(parse_quote!(#state));
    }
    let (builder_impl_generics, _, _) = impl_generics.split_for_impl();
    let self_ty = builder_ty(&states);
    let setters = decl.fields.iter().filter(|f| f.has_setter).map(|f| {
        let cfgs = f.cfgs();
        let ident = &f.ident;
        let name = f.name();
        let docs = &f.attrs.docs;
        match &f.option_inner {
            Some(inner) => {
                let doc = default_doc(docs, &format!(" Sets `{name}` (optional)."));
                let maybe = format_ident!("maybe_{}", name);
                let maybe_doc = format!(" Sets `{name}` from an `Option`: `None` leaves it out.");
                quote! {
                    #(#cfgs)*
                    #(#docs)*
                    #doc
                    #vis fn #ident(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                        self.#ident = ::core::option::Option::Some(value.into());
                        self
                    }
                    #(#cfgs)*
                    #[doc = #maybe_doc]
                    #vis fn #maybe(mut self, value: ::core::option::Option<#inner>) -> Self {
                        self.#ident = value;
                        self
                    }
                }
            }
            None => {
                let ty = &f.ty;
                let doc = default_doc(docs, &format!(" Sets `{name}` (required)."));
                let position = required.iter().position(|r| std::ptr::eq(r.field, f));
                let next: Vec<TokenStream> = states
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        if Some(i) == position {
                            quote!(#wx::Set<#ty>)
                        } else {
                            s.clone()
                        }
                    })
                    .collect();
                let next_ty = builder_ty(&next);
                let moves = decl.fields.iter().map(|g| {
                    let other = &g.ident;
                    if std::ptr::eq(g, f) {
                        quote!(#ident: #wx::Set(value.into()))
                    } else {
                        let cfgs = g.cfgs();
                        quote!(#(#cfgs)* #other: self.#other)
                    }
                });
                let marker_move = marker.as_ref().map(|m| quote!(#m: self.#m,));
                quote! {
                    #(#docs)*
                    #doc
                    #vis fn #ident(self, value: impl ::core::convert::Into<#ty>) -> #next_ty {
                        #builder { #(#moves,)* #marker_move }
                    }
                }
            }
        }
    });
    // Spanned on the field, so that "required by this bound" points at its declaration.
    let bounds = required.iter().map(|r| {
        let state = &r.state;
        let missing = &r.missing;
        let ty = &r.field.ty;
        let missing = Ident::new(&missing.to_string(), r.field.ident.span());
        quote_spanned!(r.field.ident.span()=> #state: #missing<#ty>)
    });
    let build_where = (!required.is_empty()).then(|| quote!(where #(#bounds),*));
    let inits = decl.fields.iter().map(|f| {
        let cfgs = f.cfgs();
        let ident = &f.ident;
        if f.option_inner.is_some() {
            quote!(#(#cfgs)* #ident: self.#ident)
        } else {
            // A `#[cfg]` here is an error already reported; keeping it avoids a second one.
            quote!(#(#cfgs)* #ident: #wx::IsSet::into_value(self.#ident))
        }
    });
    let build_doc = format!(" Builds the [`{ident}`].");
    let methods = quote! {
        impl #builder_impl_generics #self_ty #where_clause {
            #(#setters)*
            #[doc = #build_doc]
            #vis fn build(self) -> #target #build_where {
                #ident { #(#inits,)* }
            }
        }
    };

    // One trait per required field: its message names the field.
    let traits = required.iter().map(|r| {
        let missing = &r.missing;
        let name = r.field.name();
        let message = format!("the builder of `{ident}` is missing the required field `{name}`");
        let label = format!("`{name}` is not set");
        let setter = &r.field.ident;
        let note = format!("call `.{setter}(…)` before `.build()`");
        quote! {
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #missing<T>: #wx::IsSet<T> {}
            impl<T> #missing<T> for #wx::Set<T> {}
        }
    });

    Builder {
        item,
        impls: quote! {
            #start
            #methods
            #(#traits)*
        },
    }
}

/// A setter's doc: the field's own, else `default`.
fn default_doc(docs: &[syn::Attribute], default: &str) -> Option<TokenStream> {
    docs.is_empty().then(|| quote!(#[doc = #default]))
}
