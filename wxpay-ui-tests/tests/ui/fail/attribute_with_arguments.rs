use wxpay::prelude::*;

#[wxpay_model]
pub struct Identity {
    #[encrypted(rsa)]
    pub name: String,
}

fn main() {}
