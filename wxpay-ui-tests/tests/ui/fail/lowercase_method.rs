use wxpay::prelude::*;

#[wxpay_endpoint(post, "v3/refund/domestic/refunds")]
pub struct Refund {
    pub out_refund_no: String,
}

fn main() {}
