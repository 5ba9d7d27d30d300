use wxpay::prelude::*;

#[wxpay_model]
pub struct Filter {
    #[query]
    pub limit: u32,
}

fn main() {}
