use wxpay::prelude::*;

#[wxpay_endpoint(GET, "v3/things")]
pub struct Things;

fn main() {}
