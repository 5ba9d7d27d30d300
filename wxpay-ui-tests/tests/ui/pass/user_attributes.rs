//! The user's own derives, doc comments, `#[cfg]` on optional fields and other attributes
//! are kept.
#![deny(warnings)]

use wxpay::prelude::*;

/// A documented model.
#[wxpay_model]
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Settings {
    /// A documented field.
    pub name: String,
    #[allow(dead_code)]
    pub level: Option<u8>,
    #[cfg(any())]
    pub never: Option<String>,
    #[cfg_attr(all(), serde(rename = "renamed"))]
    pub flag: Option<bool>,
}

fn main() {
    let settings = Settings::builder().name("n").flag(true).build();
    assert!(settings.clone() == settings);
    assert_eq!(Settings::default().name, "");
    assert_eq!(
        serde_json::to_string(&settings).unwrap(),
        r#"{"name":"n","renamed":true}"#
    );
}
