use wxpay::prelude::*;

#[wxpay_endpoint(POST)]
pub struct Things {
    pub name: String,
}

fn main() {}
