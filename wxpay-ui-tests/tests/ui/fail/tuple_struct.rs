use wxpay::prelude::*;

#[wxpay_endpoint(GET, "v3/things")]
pub struct Things(pub String);

fn main() {
    // No second error for the stand-in impls.
    println!("{:?}", Things(String::new()));
}
