use wxpay::prelude::*;

#[wxpay_endpoint(DELETE, "v3/things")]
pub struct Things {
    #[query]
    #[body]
    pub reason: String,
}

fn main() {}
