use wxpay::prelude::*;

#[wxpay_model]
pub struct Identity {
    #[encrypted]
    #[encrypted]
    pub name: String,
}

fn main() {}
