use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/things")]
#[derive(serde::Serialize)]
pub struct Things {
    pub name: String,
}

fn main() {}
