//! Declarations against a renamed `wxpay` dependency (`pay`), with `crate = ::pay`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use pay::{wxpay_endpoint, wxpay_model};

/// An upload-free POST with an encrypted field, a nested model and a JSON-string field.
#[wxpay_endpoint(POST, "v3/things/{thing_id}", response = Answer, crate = ::pay)]
pub struct CreateThing {
    /// In the path.
    pub thing_id: String,
    /// Encrypted with the WeChat Pay key.
    #[encrypted]
    pub secret: String,
    /// A nested model.
    pub owner: Owner,
    /// Sent as a string holding its JSON text.
    #[json_string]
    pub extra: Option<Owner>,
}

/// A model (`crate = "::pay"`, serde's string form, works too).
#[wxpay_model(crate = "::pay")]
pub struct Owner {
    /// Plain.
    pub name: String,
    /// Encrypted.
    #[encrypted]
    pub phone: Option<String>,
}

/// The answer.
#[wxpay_model(crate = ::pay)]
pub struct Answer {
    /// Plain.
    pub id: String,
}
