use wxpay::prelude::*;

#[wxpay_endpoint(GET, "v3/things")]
fn things() {}

fn main() {}
