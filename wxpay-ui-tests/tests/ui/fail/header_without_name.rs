use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/things")]
pub struct Things {
    #[header]
    pub idempotency_key: String,
}

fn main() {}
