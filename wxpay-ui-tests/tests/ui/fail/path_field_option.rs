use wxpay::prelude::*;

#[wxpay_endpoint(GET, "v3/things/{id}")]
pub struct Thing {
    pub id: Option<String>,
}

fn main() {}
