use wxpay::prelude::*;

#[wxpay_model]
pub struct Identity {
    #[encrypted]
    pub id_number: u64,
    #[encrypted]
    pub names: Vec<String>,
}

fn main() {
    let identity = Identity::builder().id_number(1u64).names(vec![]).build();
    println!("{identity:?}");
}
