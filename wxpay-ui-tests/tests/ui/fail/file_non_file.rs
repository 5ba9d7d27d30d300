use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/merchant/media/upload")]
pub struct Upload {
    #[file]
    pub file: Vec<u8>,
}

fn main() {}
