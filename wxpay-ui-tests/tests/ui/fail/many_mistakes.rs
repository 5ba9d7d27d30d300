use wxpay::prelude::*;

// Every mistake is reported at once, each on its own span.
#[wxpay_endpoint(GETT, "v3/things/{id}/{idd}")]
pub struct Things {
    pub id: String,
    #[encrypted]
    pub amount: i64,
    #[header]
    pub key: String,
    pub build: String,
}

fn main() {}
