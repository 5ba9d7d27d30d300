use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/app-presign")]
pub struct AppPresign {
    pub appid: String,
    pub plan_id: String,
    pub sub_mchid: Option<String>,
}

fn main() {
    let _ = AppPresign::builder().appid("wx").sub_mchid("19").build();
}
