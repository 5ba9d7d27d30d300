//! Multipart uploads through the sandbox, which checks the signature over the `meta` part
//! byte for byte and the meta's `sha256` against the file: the media uploads, a marketing
//! image, an endpoint of the catalog with more meta fields and a path placeholder, and one
//! whose meta holds an `#[encrypted]` field.

use serde_json::json;
use wxpay::prelude::*;
use wxpay_sandbox::Sandbox;

/// 图片上传
#[wxpay_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
pub struct MediaUpload {
    #[file]
    pub file: File,
}

/// 视频上传
#[wxpay_endpoint(POST, "v3/merchant/media/video_upload", response = MediaId)]
pub struct VideoUpload {
    #[file]
    pub file: File,
}

#[wxpay_model]
pub struct MediaId {
    pub media_id: String,
}

/// 图片上传（营销专用）
#[wxpay_endpoint(POST, "v3/marketing/favor/media/image-upload", response = MediaUrl)]
pub struct FavorImageUpload {
    #[file]
    pub file: File,
}

#[wxpay_model]
pub struct MediaUrl {
    pub media_url: String,
}

/// 上传银行业务单文件: a path placeholder and a meta field of its own.
#[wxpay_endpoint(POST, "v3/marketing/bank/packages/{package_id}/tasks", response = BankTask)]
pub struct BankPackageTask {
    pub package_id: String,
    pub bank_type: String,
    #[file]
    pub file: File,
}

#[wxpay_model]
pub struct BankTask {
    pub task_id: String,
    pub package_id: String,
    pub filename: String,
    pub bank_type: String,
}

/// 上传购物小票: the only upload whose meta holds an encrypted field.
#[wxpay_endpoint(POST, "v3/marketing/shopping-receipt/shoppingreceipts", response = ShoppingReceiptAnswer)]
pub struct UploadShoppingReceipt {
    #[file]
    pub file: File,
    pub transaction_id: String,
    pub transaction_mchid: Option<String>,
    pub transaction_sub_mchid: Option<String>,
    pub out_trade_no: Option<String>,
    pub openid: String,
    pub merchant_contact_information: Option<MerchantContactInformation>,
    pub upload_time: Option<String>,
}

#[wxpay_model]
pub struct MerchantContactInformation {
    #[encrypted]
    pub consultation_phone_number: Option<String>,
}

#[wxpay_model]
pub struct ShoppingReceiptAnswer {
    pub receipt: Receipt,
}

#[wxpay_model]
pub struct Receipt {
    pub receipt_id: String,
    pub state: String,
    pub transaction_id: String,
}

/// An upload that states its own `sha256` (here: a wrong one).
#[wxpay_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
pub struct MediaUploadWithDigest {
    pub filename: String,
    pub sha256: String,
    #[file]
    pub file: File,
}

/// 上传电子发票文件: the meta names SM3 as its digest algorithm (WeChat Pay spells the field
/// `digest_alogrithm`) and holds the file's SM3 as `digest`; no `filename` or `sha256` added.
#[wxpay_endpoint(POST, "v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file", response = FapiaoMediaId)]
#[derive(Clone)]
pub struct UploadFapiaoFile {
    pub sub_mchid: Option<String>,
    pub file_type: String,
    pub digest_alogrithm: String,
    pub digest: String,
    #[file]
    pub file: File,
}

#[wxpay_model]
pub struct FapiaoMediaId {
    pub fapiao_media_id: String,
}

/// A JPEG-looking file, with bytes that a naive multipart parser would trip on.
/// 上传商户提交资料文件: the file in part `submission_file`, named and digested by the meta
/// itself (`file_name`, `file_digest`), with no `filename` or `sha256` added.
#[wxpay_endpoint(POST, "v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload", response = FileId)]
pub struct SubmissionFileUpload {
    pub sub_mchid: String,
    pub file_name: String,
    pub file_digest: String,
    pub item_id: i64,
    #[file]
    pub submission_file: File,
}

#[wxpay_model]
pub struct FileId {
    pub file_id: String,
}

fn jpeg() -> Vec<u8> {
    let mut bytes = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".to_vec();
    bytes.extend_from_slice(b"\r\n--not-the-boundary\r\n\"quotes\"\r\n");
    bytes.extend((0..4096u32).map(|i| (i * 31 % 251) as u8));
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    File::new("x", bytes.to_vec()).sha256_hex()
}

/// A meta digest that is not the file's is refused as WeChat Pay does: `400 PARAM_ERROR` with
/// this message.
fn assert_digest_refused<T: std::fmt::Debug>(result: Result<T, Error>, message: &str) {
    match result {
        Err(Error::Api {
            status,
            code,
            message: given,
            ..
        }) => {
            assert_eq!((status, code.as_str()), (400, "PARAM_ERROR"));
            assert_eq!(given, message);
        }
        other => panic!("expected PARAM_ERROR, got {other:?}"),
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> usize {
    from + haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("present")
}

/// The part `name` of a multipart body, as sent: its headers and content.
fn part<'a>(body: &'a [u8], name: &str) -> (String, &'a [u8]) {
    let boundary = &body[..find(body, b"\r\n", 0)];
    let marker = format!("form-data; name=\"{name}\"");
    let headers_start = find(body, marker.as_bytes(), 0);
    let headers_end = find(body, b"\r\n\r\n", headers_start);
    let mut delimiter = b"\r\n".to_vec();
    delimiter.extend_from_slice(boundary);
    let end = find(body, &delimiter, headers_end + 4);
    (
        String::from_utf8(body[headers_start..headers_end].to_vec()).unwrap(),
        &body[headers_end + 4..end],
    )
}

#[tokio::test]
async fn a_media_upload_signs_the_meta_byte_for_byte() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let bytes = jpeg();
    let request = MediaUpload {
        file: File::new("商品.jpg", bytes.clone()),
    };
    let prepared = client.prepare(&request).unwrap();
    let meta = String::from_utf8(prepared.body().to_vec()).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&meta).unwrap(),
        json!({"filename": "商品.jpg", "sha256": sha256_hex(&bytes)})
    );

    let answer = client.send(&request).await.unwrap();
    assert!(answer.media_id.starts_with("sandbox_"));
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.status, 200);
    assert_eq!(received.file, Some(("商品.jpg".to_string(), bytes.clone())));
    assert_eq!(received.json["sha256"], sha256_hex(&bytes));
    // The signed text is the meta part exactly as sent, not the whole body.
    let (meta_headers, sent_meta) = part(&received.body, "meta");
    assert!(meta_headers.contains("Content-Type: application/json"));
    assert_eq!(sent_meta, meta.as_bytes());
    let (file_headers, sent_file) = part(&received.body, "file");
    assert!(
        file_headers.contains("filename=\"商品.jpg\""),
        "{file_headers}"
    );
    assert!(
        file_headers.contains("Content-Type: image/jpeg"),
        "{file_headers}"
    );
    assert_eq!(sent_file, &bytes[..]);
    assert_eq!(
        received.wechatpay_serial(),
        Some(sandbox.wechatpay_public_key_id())
    );
}

#[tokio::test]
async fn a_video_upload_and_a_marketing_image() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let video: Vec<u8> = (0..2_000_000u32).map(|i| (i % 253) as u8).collect();
    let answer = client
        .send(&VideoUpload {
            file: File::new("clip.mp4", video.clone()),
        })
        .await
        .unwrap();
    assert!(!answer.media_id.is_empty());
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.path, "v3/merchant/media/video_upload");
    assert_eq!(received.file.as_ref().unwrap().1.len(), video.len());
    assert!(part(&received.body, "file").0.contains("video/mp4"));

    let answer = client
        .send(&FavorImageUpload {
            file: File::new("coupon.png", jpeg()),
        })
        .await
        .unwrap();
    assert!(
        answer.media_url.starts_with("https://"),
        "{}",
        answer.media_url
    );
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.json["filename"], "coupon.png");
    assert!(part(&received.body, "file").0.contains("image/png"));
}

#[tokio::test]
async fn an_upload_with_more_meta_fields_and_a_path_placeholder() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.respond(
        "POST",
        "v3/marketing/bank/packages/{package_id}/tasks",
        json!({"task_id": "T1", "package_id": "P 1", "filename": "users.csv", "bank_type": "ICBC_DEBIT"}),
    );
    let file = b"openid\noUpF8uMuAJO_M2pxb1Q9zNjWeS6o\n".to_vec();
    let answer = sandbox
        .client()
        .send(&BankPackageTask {
            package_id: "P 1".into(),
            bank_type: "ICBC_DEBIT".into(),
            file: File::new("users.csv", file.clone()),
        })
        .await
        .unwrap();
    assert_eq!(answer.task_id, "T1");
    let received = sandbox.last_received().unwrap();
    assert_eq!(received.path, "v3/marketing/bank/packages/P%201/tasks");
    assert_eq!(
        received.json,
        json!({"bank_type": "ICBC_DEBIT", "filename": "users.csv", "sha256": sha256_hex(&file)})
    );
}

#[tokio::test]
async fn an_encrypted_field_inside_the_meta_is_encrypted_and_signed() {
    let sandbox = Sandbox::start().await.unwrap();
    let phone = "13800138000";
    let receipt = b"%PDF-1.4 shopping receipt".to_vec();
    let request = UploadShoppingReceipt {
        file: File::new("receipt.pdf", receipt.clone()),
        transaction_id: "4200000000000000000000000001".into(),
        transaction_mchid: None,
        transaction_sub_mchid: None,
        out_trade_no: Some("T1001".into()),
        openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
        merchant_contact_information: Some(MerchantContactInformation {
            consultation_phone_number: Some(phone.into()),
        }),
        upload_time: None,
    };
    let answer = sandbox.client().send(&request).await.unwrap();
    assert_eq!(answer.receipt.state, "SUCCESS");
    assert_eq!(answer.receipt.transaction_id, request.transaction_id);

    let received = sandbox.last_received().unwrap();
    assert_eq!(received.status, 200);
    assert!(
        !received.body_text().contains(phone),
        "the phone number went out in clear"
    );
    assert_eq!(
        received.encrypted,
        ["merchant_contact_information.consultation_phone_number"]
    );
    assert_eq!(
        received.json["merchant_contact_information"]["consultation_phone_number"],
        phone
    );
    assert_eq!(received.json["sha256"], sha256_hex(&receipt));
    assert!(
        received.json.get("upload_time").is_none(),
        "None is left out"
    );
    assert_eq!(
        received.wechatpay_serial(),
        Some(sandbox.wechatpay_public_key_id()),
        "the serial of the key that encrypted the meta"
    );
    assert!(format!("{request:?}").contains("***"));
    assert!(!format!("{request:?}").contains(phone));
}

#[tokio::test]
async fn a_meta_whose_sha256_is_not_the_files_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let result = sandbox
        .client()
        .send(&MediaUploadWithDigest {
            filename: "a.jpg".into(),
            sha256: sha256_hex(b"another file"),
            file: File::new("a.jpg", jpeg()),
        })
        .await;
    assert_digest_refused(result, "the sha256 in meta is not the SHA-256 of the file");
    // Stated correctly, it is used as it is.
    let bytes = jpeg();
    sandbox
        .client()
        .send(&MediaUploadWithDigest {
            filename: "b.jpg".into(),
            sha256: sha256_hex(&bytes),
            file: File::new("a.jpg", bytes),
        })
        .await
        .unwrap();
    assert_eq!(sandbox.last_received().unwrap().json["filename"], "b.jpg");
}

#[tokio::test]
async fn a_submission_file_goes_in_its_own_part_with_the_meta_as_declared() {
    let sandbox = Sandbox::start().await.unwrap();
    let bytes = jpeg();
    let request = SubmissionFileUpload::builder()
        .sub_mchid("1900000109")
        .file_name("licence.jpg")
        .file_digest(sha256_hex(&bytes))
        .item_id(3)
        .submission_file(File::new("licence.jpg", bytes.clone()))
        .build();
    let answer = sandbox.client().send(&request).await.unwrap();
    assert!(!answer.file_id.is_empty());

    let received = sandbox.last_received().unwrap();
    assert_eq!(
        received.path,
        "v3/mch-manage/submission-files/sub-mchid/1900000109/upload"
    );
    assert_eq!(received.file_part.as_deref(), Some("submission_file"));
    assert_eq!(
        received.file,
        Some(("licence.jpg".to_string(), bytes.clone()))
    );
    let (meta_headers, meta) = part(&received.body, "meta");
    assert_eq!(
        meta_headers,
        "form-data; name=\"meta\"\r\nContent-Type: application/json"
    );
    assert_eq!(
        meta,
        format!(
            r#"{{"file_digest":"{}","file_name":"licence.jpg","item_id":3}}"#,
            sha256_hex(&bytes)
        )
        .as_bytes()
    );
    let (file_headers, file) = part(&received.body, "submission_file");
    assert_eq!(
        file_headers,
        "form-data; name=\"submission_file\"; filename=\"licence.jpg\"\r\nContent-Type: image/jpeg"
    );
    assert_eq!(file, bytes.as_slice());

    // A file_digest that is not the file's is refused, as WeChat Pay does.
    let wrong = SubmissionFileUpload {
        file_digest: sha256_hex(b"another file"),
        ..request
    };
    assert_digest_refused(
        sandbox.client().send(&wrong).await,
        "the file_digest in meta is not the SHA-256 of the file",
    );
}

#[tokio::test]
async fn a_fapiao_file_carries_its_sm3_digest() {
    let sandbox = Sandbox::start().await.unwrap();
    let pdf = b"%PDF-1.7\r\n--not-a-boundary\r\n fapiao".to_vec();
    let file = File::new("fapiao.pdf", pdf.clone());
    let sm3 = file.sm3_hex();
    let request = UploadFapiaoFile::builder()
        .file_type("PDF")
        .digest_alogrithm("SM3")
        .digest(sm3.clone())
        .file(file)
        .build();
    let answer = sandbox.client().send(&request).await.unwrap();
    assert!(answer.fapiao_media_id.starts_with("sandbox_"));

    let received = sandbox.last_received().unwrap();
    assert_eq!(received.file, Some(("fapiao.pdf".to_string(), pdf.clone())));
    let (_, meta) = part(&received.body, "meta");
    assert_eq!(
        meta,
        format!(r#"{{"digest":"{sm3}","digest_alogrithm":"SM3","file_type":"PDF"}}"#).as_bytes()
    );

    // A digest that is not the file's SM3 (another file's, or the file's SHA-256, the usual
    // mistake) is refused, as WeChat Pay does.
    for digest in [
        File::new("x", b"another file".to_vec()).sm3_hex(),
        sha256_hex(&pdf),
    ] {
        let wrong = UploadFapiaoFile {
            digest,
            ..request.clone()
        };
        assert_digest_refused(
            sandbox.client().send(&wrong).await,
            "the digest in meta is not the SM3 of the file",
        );
    }
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_uploads_too() {
    let sandbox = Sandbox::start_blocking().unwrap();
    let client = sandbox
        .configure(wxpay::blocking::Client::builder())
        .build()
        .unwrap();
    let answer = client
        .send(&MediaUpload {
            file: File::new("a.jpg", jpeg()),
        })
        .unwrap();
    assert!(!answer.media_id.is_empty());
}
