//! `#[file]` makes a multipart upload.
#![deny(warnings)]

use wxpay::prelude::*;

#[wxpay_endpoint(POST, "v3/merchant/media/upload", response = Media)]
pub struct Upload {
    #[file]
    pub file: wxpay::File,
}

#[wxpay_endpoint(PUT, "v3/merchant/media/{media_id}")]
pub struct Replace {
    pub media_id: String,
    #[file]
    pub file: File,
    pub filename: String,
    #[encrypted]
    pub owner: Option<String>,
}

#[wxpay_model]
pub struct Media {
    pub media_id: String,
}

fn main() {
    let upload = Upload::builder()
        .file(File::new("a.jpg", vec![1u8, 2, 3]))
        .build();
    println!("{upload:?}");
    let _ = Replace::builder()
        .media_id("m")
        .file(File::new("b.jpg", b"x".to_vec()))
        .filename("b.jpg")
        .build();
}
