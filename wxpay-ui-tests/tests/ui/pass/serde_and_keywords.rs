//! Raw identifiers, serde renames and container attributes, user types of any kind.
#![deny(warnings)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use wxpay::prelude::*;

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    Card,
    Cash,
}

#[wxpay_endpoint(POST, "v3/things")]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Things {
    pub r#type: Kind,
    #[serde(rename = "self")]
    pub self_: bool,
    pub pay_auth_no: String,
    pub amounts: HashMap<String, i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip)]
    pub local_only: Option<u8>,
    pub r#match: Option<f64>,
}

#[wxpay_model]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub r#type: Kind,
    #[serde(default)]
    pub count: u32,
    #[serde(rename = "self", default)]
    pub self_: Option<String>,
}

fn main() {
    let things = Things::builder()
        .r#type(Kind::Card)
        .self_(true)
        .pay_auth_no("p")
        .amounts(HashMap::new())
        .tags(Vec::<String>::new())
        .r#match(1.5)
        .build();
    let json = serde_json::to_string(&things).unwrap();
    assert_eq!(
        json,
        r#"{"type":"CARD","self":true,"payAuthNo":"p","amounts":{},"match":1.5}"#
    );
    let answer: Answer = serde_json::from_str(r#"{"type":"CASH","self":"x"}"#).unwrap();
    assert_eq!(answer.r#type, Kind::Cash);
    assert_eq!(answer.count, 0);
    assert_eq!(answer.self_.as_deref(), Some("x"));
}
