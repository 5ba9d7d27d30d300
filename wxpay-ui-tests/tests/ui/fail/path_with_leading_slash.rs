use wxpay::prelude::*;

#[wxpay_endpoint(GET, "/v3/pay/transactions/id/{transaction_id}")]
pub struct Query {
    pub transaction_id: String,
}

fn main() {}
