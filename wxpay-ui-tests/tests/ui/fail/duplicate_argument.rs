use wxpay::prelude::*;

#[wxpay_endpoint(
    POST,
    "v3/things",
    base_url = "https://apihk.mch.weixin.qq.com/",
    base_url = "https://api.mch.weixin.qq.com/"
)]
pub struct Things {
    pub name: String,
}

fn main() {}
