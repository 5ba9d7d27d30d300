use wxpay::prelude::*;

#[wxpay_model(POST)]
pub struct Thing {
    pub name: String,
}

fn main() {}
