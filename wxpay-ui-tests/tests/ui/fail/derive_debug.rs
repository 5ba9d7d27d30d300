use wxpay::prelude::*;

#[wxpay_model]
#[derive(Clone, Debug)]
pub struct Identity {
    #[encrypted]
    pub name: String,
}

fn main() {
    // `Clone` is kept, and `Debug` is the redacting one: no second error.
    let identity = Identity { name: "x".into() }.clone();
    println!("{identity:?}");
}
