use wxpay::prelude::*;

#[wxpay_endpoint(FETCH, "v3/pay/transactions/id/{transaction_id}")]
pub struct Query {
    pub transaction_id: String,
}

fn main() {
    let _ = Query::builder().transaction_id("4200000000").build();
}
