use wxpay::prelude::*;

#[wxpay_endpoint(GET, "pay/transactions/id/{transaction_id}")]
pub struct Query {
    pub transaction_id: String,
}

fn main() {}
