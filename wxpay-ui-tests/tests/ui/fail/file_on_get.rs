use wxpay::prelude::*;

#[wxpay_endpoint(GET, "v3/merchant/media/upload")]
pub struct Upload {
    #[file]
    pub file: File,
}

fn main() {}
