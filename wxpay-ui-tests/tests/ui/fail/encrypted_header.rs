use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/things")]
pub struct Things {
    #[header("Idempotency-Key")]
    #[encrypted]
    pub key: String,
}

fn main() {}
