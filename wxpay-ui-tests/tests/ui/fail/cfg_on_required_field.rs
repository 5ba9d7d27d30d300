use wxpay::prelude::*;

#[wxpay_model]
pub struct Thing {
    #[cfg(debug_assertions)]
    pub extra: String,
    #[cfg(debug_assertions)]
    pub fine: Option<String>,
}

fn main() {}
