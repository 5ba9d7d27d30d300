//! `#[encrypted]` on `String` and `Option<String>`, in bodies, queries and models;
//! `#[json_string]` on models, options and plain serde types.
#![deny(warnings)]

use std::collections::BTreeMap;

use wxpay::prelude::*;

#[wxpay_model]
pub struct Contact {
    #[encrypted]
    pub name: String,
    #[encrypted]
    pub mobile: Option<String>,
    #[encrypted]
    pub email: std::option::Option<std::string::String>,
}

#[wxpay_endpoint(GET, "v3/contacts")]
pub struct Find {
    #[encrypted]
    pub name: String,
    #[encrypted]
    pub mobile: Option<String>,
}

#[wxpay_endpoint(POST, "v3/contacts")]
pub struct Create {
    pub contact: Contact,
    pub contacts: Vec<Contact>,
    #[json_string]
    pub extra: Contact,
    #[json_string]
    pub scores: BTreeMap<String, u32>,
    #[json_string]
    pub maybe: Option<Vec<Contact>>,
}

fn main() {
    let find = Find::builder().name("n").build();
    assert_eq!(
        format!("{find:?}"),
        r#"Find { name: "***", mobile: "***" }"#
    );
    let _ = Create::builder()
        .contact(Contact::builder().name("a").build())
        .contacts(vec![])
        .extra(Contact::builder().name("b").mobile("1").build())
        .scores(BTreeMap::new())
        .build();
}
