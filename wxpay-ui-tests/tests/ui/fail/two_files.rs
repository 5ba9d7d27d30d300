use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/merchant/media/upload")]
pub struct Upload {
    #[file]
    pub front: File,
    #[file]
    pub back: File,
}

fn main() {}
