use wxpay::prelude::*;

// Every name of wxpay::endpoint::RESERVED_HEADERS, in any case: one error each, on the name.

#[wxpay_endpoint(POST, "v3/things/0")]
pub struct Things0 {
    #[header("Authorization")]
    pub value: String,
}

#[wxpay_endpoint(POST, "v3/things/1")]
pub struct Things1 {
    #[header("wechatpay-serial")]
    pub value: String,
}

#[wxpay_endpoint(POST, "v3/things/2")]
pub struct Things2 {
    #[header("Content-Type")]
    pub value: String,
}

#[wxpay_endpoint(POST, "v3/things/3")]
pub struct Things3 {
    #[header("content-length")]
    pub value: String,
}

#[wxpay_endpoint(POST, "v3/things/4")]
pub struct Things4 {
    #[header("Accept")]
    pub value: String,
}

#[wxpay_endpoint(POST, "v3/things/5")]
pub struct Things5 {
    #[header("User-Agent")]
    pub value: String,
}

#[wxpay_endpoint(POST, "v3/things/6")]
pub struct Things6 {
    #[header("HOST")]
    pub value: String,
}

fn main() {}
