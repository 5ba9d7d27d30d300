use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/things", respones = Answer)]
pub struct Things {
    pub name: String,
}

#[wxpay_model]
pub struct Answer {
    pub id: String,
}

fn main() {}
