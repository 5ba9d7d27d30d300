use wxpay::prelude::*;

#[wxpay_model]
pub enum State {
    Ok,
    Failed,
}

fn main() {}
