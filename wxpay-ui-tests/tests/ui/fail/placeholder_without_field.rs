use wxpay::prelude::*;

#[wxpay_endpoint(GET, "v3/pay/transactions/out-trade-no/{out_trade_no}")]
pub struct Query {
    pub transaction_id: String,
    pub mchid: String,
}

fn main() {
    // The rest of the declaration still works: no second error here.
    let query = Query::builder().transaction_id("1").mchid("2").build();
    println!("{query:?}");
}
