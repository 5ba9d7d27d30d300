use wxpay::prelude::*;

#[wxpay_model]
pub struct Identity {
    pub r#type: String,
    pub number: String,
}

fn main() {
    let _ = Identity::builder().build();
}
