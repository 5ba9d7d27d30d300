//! What `#[wxpay_endpoint]` and `#[wxpay_model]` generate, observed through `Engine::prepare`
//! and `Engine::read_response`: exact bodies, paths, queries and headers; `#[encrypted]` fields
//! at every depth; multipart meta; the refusal to serialize plaintext; `Debug`; the builder.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wxpay::http::{HeaderMap, HeaderValue};
use wxpay::prelude::*;
use wxpay::{Body, Endpoint, Engine, FixedClock, MerchantKey, Method, ResponseKind};

const MERCHANT_KEY: &str = include_str!("../wxpay-core/tests/fixtures/merchant_key.pem");
const WECHATPAY_KEY: &str = include_str!("../wxpay-core/tests/fixtures/wechatpay_key.pem");
const WECHATPAY_PUBLIC_KEY: &str =
    include_str!("../wxpay-core/tests/fixtures/wechatpay_public_key.pem");
const PUB_KEY_ID: &str = "PUB_KEY_ID_0114232134912410000000000000";
const MERCHANT_SERIAL: &str = "5F1C72E2A8931B72A2E13AF8DEE92471EB397115";
const NOW: i64 = 1_700_000_000;

fn engine() -> Engine {
    Engine::builder()
        .mchid("1900000001")
        .merchant_key(MERCHANT_SERIAL, MERCHANT_KEY)
        .wechatpay_public_key(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY)
        .apiv3_key("0123456789abcdef0123456789abcdef")
        .clock(FixedClock(NOW))
        .build(false)
        .expect("engine")
}

/// WeChat Pay's side: decrypts what the client encrypted with its public key.
fn wechatpay_decrypt(cipher: &str) -> String {
    MerchantKey::new("7E57C0DE", WECHATPAY_KEY)
        .expect("wechatpay key")
        .decrypt(cipher)
        .expect("decrypts with the WeChat Pay private key")
}

fn body_text(prepared: &wxpay::PreparedRequest) -> &str {
    std::str::from_utf8(prepared.body()).expect("UTF-8 body")
}

fn everything(prepared: &wxpay::PreparedRequest) -> String {
    let headers: Vec<String> = prepared
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
        .collect();
    format!(
        "{} {}\n{}\n{}",
        prepared.method(),
        prepared.url(),
        headers.join("\n"),
        String::from_utf8_lossy(prepared.body())
    )
}

/// Replaces the ciphertext at each JSON pointer of `text` (JSON) by `<plaintext>`, after
/// checking that it decrypts to the expected plaintext; returns the rewritten text.
fn open_ciphertexts(text: &str, expected: &[(&str, &str)]) -> String {
    let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let mut out = text.to_string();
    for (pointer, plain) in expected {
        let cipher = value
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no string at {pointer} in {text}"));
        assert_eq!(wechatpay_decrypt(cipher), *plain, "at {pointer}");
        assert_eq!(out.matches(cipher).count(), 1);
        out = out.replace(cipher, &format!("<{plain}>"));
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

// ---------------------------------------------------------------------------------------
// The seed endpoint of the contract.

/// APP预签约自动还款协议
#[wxpay_endpoint(POST, "v3/credit-repayment/partner/contracts/app-presign", response = AppPresignResponse)]
#[derive(Clone, PartialEq)]
pub struct AppPresign {
    pub appid: String,
    pub plan_id: String,
    pub out_contract_code: String,
    pub display_name: String,
    pub contract_notify_url: String,
    pub repayment_day: i64,
    pub repayment_amount_limit: String,
    pub sub_mchid: Option<String>,
    pub sub_appid: Option<String>,
    pub real_identity: RealIdentity,
    pub trade_info: Option<TradeInfo>,
}

#[wxpay_model]
#[derive(Clone, PartialEq)]
pub struct RealIdentity {
    pub identity_type: String,
    #[encrypted]
    pub identity_id: String,
    #[encrypted]
    pub real_name: String,
}

#[wxpay_model]
#[derive(Clone, PartialEq)]
pub struct TradeInfo {
    pub out_trade_no: String,
    pub deduct_amount: i64,
    pub description: Option<String>,
    pub attach: Option<String>,
    pub notify_url: Option<String>,
}

#[wxpay_model]
#[derive(PartialEq)]
pub struct AppPresignResponse {
    pub presign_token: String,
    pub redirect_service: Option<String>,
}

fn app_presign() -> AppPresign {
    AppPresign::builder()
        .appid("wxd678efh567hg6787")
        .plan_id("plan-1")
        .out_contract_code("C-20240101")
        .display_name("还款计划")
        .contract_notify_url("https://example.com/notify")
        .repayment_day(15)
        .repayment_amount_limit("10000")
        .sub_mchid("1900000109")
        .real_identity(
            RealIdentity::builder()
                .identity_type("REAL_IDENTITY_TYPE_ID_CARD")
                .identity_id("110101199003074477")
                .real_name("张三")
                .build(),
        )
        .trade_info(
            TradeInfo::builder()
                .out_trade_no("T-1")
                .deduct_amount(300)
                .attach("a&b")
                .build(),
        )
        .build()
}

#[test]
fn app_presign_request_is_exact() {
    let prepared = engine().prepare(&app_presign(), None).expect("prepare");
    assert_eq!(prepared.method(), "POST");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/credit-repayment/partner/contracts/app-presign"
    );
    assert_eq!(prepared.headers()["Wechatpay-Serial"], PUB_KEY_ID);
    assert_eq!(prepared.headers()["Content-Type"], "application/json");
    let body = open_ciphertexts(
        body_text(&prepared),
        &[
            ("/real_identity/identity_id", "110101199003074477"),
            ("/real_identity/real_name", "张三"),
        ],
    );
    assert_eq!(
        body,
        concat!(
            r#"{"appid":"wxd678efh567hg6787","plan_id":"plan-1","out_contract_code":"C-20240101","#,
            r#""display_name":"还款计划","contract_notify_url":"https://example.com/notify","#,
            r#""repayment_day":15,"repayment_amount_limit":"10000","sub_mchid":"1900000109","#,
            r#""real_identity":{"identity_type":"REAL_IDENTITY_TYPE_ID_CARD","#,
            r#""identity_id":"<110101199003074477>","real_name":"<张三>"},"#,
            r#""trade_info":{"out_trade_no":"T-1","deduct_amount":300,"attach":"a&b"}}"#
        )
    );
    let all = everything(&prepared);
    assert!(!all.contains("110101199003074477"));
    assert!(!all.contains("张三"));
}

#[test]
fn endpoint_constants() {
    assert_eq!(AppPresign::METHOD, Method::Post);
    assert_eq!(
        AppPresign::PATH,
        "v3/credit-repayment/partner/contracts/app-presign"
    );
    assert_eq!(AppPresign::BASE_URL, None);
    assert_eq!(AppPresign::RESPONSE_KIND, ResponseKind::Json);
    assert_eq!(HkQuery::METHOD, Method::Get);
    assert_eq!(HkQuery::PATH, "v3/global/things/{id}/");
    assert_eq!(
        HkQuery::BASE_URL,
        Some("https://apihk.mch.weixin.qq.com/global/")
    );
    assert_eq!(HkQuery::RESPONSE_KIND, ResponseKind::Empty);
    assert_eq!(Bill::RESPONSE_KIND, ResponseKind::Download);
    assert_eq!(Cancel::METHOD, Method::Delete);
    assert_eq!(Cancel::RESPONSE_KIND, ResponseKind::Empty);
    assert_eq!(Patch::METHOD, Method::Patch);
    assert_eq!(Put::METHOD, Method::Put);
}

// ---------------------------------------------------------------------------------------
// Bodies.

#[wxpay_endpoint(POST, "v3/nothing")]
pub struct Nothing {}

#[wxpay_endpoint(POST, "v3/options")]
pub struct Options {
    pub a: Option<String>,
    pub b: Option<u32>,
    pub c: Option<Vec<String>>,
}

#[test]
fn a_body_without_fields_is_an_empty_object() {
    let prepared = engine().prepare(&Nothing {}, None).expect("prepare");
    assert_eq!(body_text(&prepared), "{}");
    let none = Options::builder().build();
    let prepared = engine().prepare(&none, None).expect("prepare");
    assert_eq!(body_text(&prepared), "{}");
    let some = Options::builder().b(0u32).c(vec![]).build();
    let prepared = engine().prepare(&some, None).expect("prepare");
    assert_eq!(body_text(&prepared), r#"{"b":0,"c":[]}"#);
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Colour {
    DeepRed,
    #[serde(rename = "BLUE!")]
    Blue,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Plain {
    pub n: u8,
}

#[wxpay_endpoint(PUT, "v3/kinds")]
pub struct Put {
    pub r#type: String,
    #[serde(rename = "self")]
    pub self_: String,
    pub colour: Colour,
    pub colours: Vec<Colour>,
    pub map: BTreeMap<String, u32>,
    pub amount: i64,
    pub ratio: f64,
    pub flag: bool,
    pub plain: Plain,
    pub nothing: Option<Plain>,
    pub value: serde_json::Value,
}

#[test]
fn bodies_of_any_serde_type_with_raw_identifiers_and_renames() {
    let request = Put::builder()
        .r#type("T")
        .self_("S")
        .colour(Colour::DeepRed)
        .colours(vec![Colour::Blue, Colour::DeepRed])
        .map(BTreeMap::from([("b".to_string(), 2), ("a".to_string(), 1)]))
        .amount(-5)
        .ratio(0.5)
        .flag(true)
        .plain(Plain { n: 7 })
        .value(serde_json::json!({"x": [1, null]}))
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(prepared.method(), "PUT");
    assert_eq!(
        body_text(&prepared),
        concat!(
            r#"{"type":"T","self":"S","colour":"DEEP_RED","colours":["BLUE!","DEEP_RED"],"#,
            r#""map":{"a":1,"b":2},"amount":-5,"ratio":0.5,"flag":true,"plain":{"n":7},"#,
            r#""value":{"x":[1,null]}}"#
        )
    );
}

#[wxpay_endpoint(PATCH, "v3/camel/{out_no}")]
#[serde(rename_all = "camelCase")]
pub struct Patch {
    pub out_no: String,
    pub pay_auth_no: String,
    pub sub_mchid: Option<String>,
    #[serde(rename = "keep_me")]
    pub kept: u8,
    #[query]
    pub query_name: String,
}

#[test]
fn container_rename_all_applies_to_body_and_query() {
    let request = Patch::builder()
        .out_no("N1")
        .pay_auth_no("P")
        .kept(1u8)
        .query_name("q")
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(prepared.method(), "PATCH");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/camel/N1?queryName=q"
    );
    assert_eq!(body_text(&prepared), r#"{"payAuthNo":"P","keep_me":1}"#);
}

// ---------------------------------------------------------------------------------------
// Paths and queries.

#[wxpay_endpoint(GET, "v3/things/{id}/parts/{part}/n/{n}")]
pub struct Thing {
    pub id: String,
    pub part: String,
    pub n: u64,
}

#[test]
fn path_placeholders_are_percent_encoded_segments() {
    let request = Thing {
        id: "a/b%c d".into(),
        part: "中文Up-._~".into(),
        n: 42,
    };
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/things/a%2Fb%25c%20d/parts/%E4%B8%AD%E6%96%87Up-._~/n/42"
    );
    assert_eq!(prepared.body(), b"");
    assert!(prepared.headers().get("Content-Type").is_none());
    let empty = Thing {
        id: String::new(),
        part: "p".into(),
        n: 1,
    };
    assert!(engine().prepare(&empty, None).is_err());
}

#[wxpay_endpoint(
    GET,
    "v3/global/things/{id}/",
    base_url = "https://apihk.mch.weixin.qq.com/global/"
)]
pub struct HkQuery {
    pub id: String,
    pub zeta: String,
    pub r#type: Option<String>,
    pub missing: Option<u32>,
    pub tags: Vec<String>,
    pub flag: bool,
    #[serde(rename = "sub-mchid")]
    pub sub_mchid: String,
    pub colour: Colour,
    pub alpha: i32,
}

#[test]
fn get_fields_go_to_the_query_in_declaration_order() {
    let request = HkQuery::builder()
        .id("X1")
        .zeta("z z&=")
        .r#type("ALL")
        .tags(vec!["a".to_string(), "b c".to_string()])
        .flag(false)
        .sub_mchid("19")
        .colour(Colour::DeepRed)
        .alpha(-1)
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(
        prepared.url(),
        "https://apihk.mch.weixin.qq.com/global/v3/global/things/X1/?zeta=z%20z%26%3D&type=ALL&tags=a%2Cb%20c&flag=false&sub-mchid=19&colour=DEEP_RED&alpha=-1"
    );
    assert_eq!(prepared.body(), b"");
    let sandbox = engine()
        .prepare(&request, Some("http://127.0.0.1:9/"))
        .expect("prepare");
    assert!(
        sandbox
            .url()
            .starts_with("http://127.0.0.1:9/v3/global/things/X1/?zeta=")
    );
}

#[wxpay_endpoint(DELETE, "v3/orders/{order}")]
pub struct Cancel {
    pub order: String,
    pub mchid: String,
    #[body]
    pub reason: String,
    #[body]
    pub detail: Option<String>,
    pub page: u32,
}

#[test]
fn delete_sends_query_and_body_fields() {
    let request = Cancel::builder()
        .order("O 1")
        .mchid("1900000001")
        .reason("user asked")
        .page(2u32)
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(prepared.method(), "DELETE");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/orders/O%201?mchid=1900000001&page=2"
    );
    assert_eq!(body_text(&prepared), r#"{"reason":"user asked"}"#);
    assert_eq!(prepared.headers()["Content-Type"], "application/json");
}

#[wxpay_endpoint(GET, "v3/nobody")]
pub struct NoBody {
    pub a: Option<String>,
}

#[test]
fn get_without_fields_sends_no_query_and_no_body() {
    let prepared = engine()
        .prepare(&NoBody { a: None }, None)
        .expect("prepare");
    assert_eq!(prepared.url(), "https://api.mch.weixin.qq.com/v3/nobody");
    assert_eq!(prepared.canonical_url(), "/v3/nobody");
    assert_eq!(prepared.body(), b"");
}

#[wxpay_endpoint(POST, "v3/mixed/{id}")]
pub struct Mixed {
    pub id: u32,
    #[query]
    pub limit: u32,
    pub name: String,
    #[query]
    pub offset: Option<u32>,
    #[header("Idempotency-Key")]
    pub key: String,
    #[header("X-Trace")]
    pub trace: Option<String>,
    #[header("X-Count")]
    pub count: u16,
}

#[test]
fn query_and_header_fields_of_a_post() {
    let request = Mixed::builder()
        .id(7u32)
        .limit(10u32)
        .name("n")
        .offset(5u32)
        .key("k-1")
        .count(3u16)
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/mixed/7?limit=10&offset=5"
    );
    assert_eq!(body_text(&prepared), r#"{"name":"n"}"#);
    assert_eq!(prepared.headers()["Idempotency-Key"], "k-1");
    assert_eq!(prepared.headers()["X-Count"], "3");
    assert!(prepared.headers().get("X-Trace").is_none());
    let traced = Mixed {
        trace: Some("t".into()),
        ..request
    };
    let prepared = engine().prepare(&traced, None).expect("prepare");
    assert_eq!(prepared.headers()["X-Trace"], "t");
}

// ---------------------------------------------------------------------------------------
// `#[encrypted]` at every depth.

#[wxpay_model]
pub struct Leaf {
    #[encrypted]
    pub secret: String,
    #[encrypted]
    pub maybe: Option<String>,
    pub plain: String,
}

#[wxpay_model]
pub struct Branch {
    pub leaf: Leaf,
    pub leaves: Vec<Leaf>,
    pub boxed: Box<Leaf>,
    pub opt: Option<Leaf>,
    pub map: BTreeMap<String, Leaf>,
}

#[wxpay_model]
pub struct Meta {
    #[encrypted]
    pub inner: String,
    pub label: String,
}

#[wxpay_endpoint(POST, "v3/deep")]
pub struct Deep {
    #[encrypted]
    pub top: String,
    #[encrypted]
    pub absent: Option<String>,
    pub branch: Branch,
    #[json_string]
    pub meta: Meta,
    #[json_string]
    pub metas: Option<Vec<Meta>>,
    #[query]
    #[encrypted]
    pub q: String,
}

fn leaf(secret: &str, maybe: Option<&str>) -> Leaf {
    Leaf::builder()
        .secret(secret)
        .maybe_maybe(maybe.map(str::to_string))
        .plain("visible")
        .build()
}

#[test]
fn encrypted_fields_at_every_depth() {
    let request = Deep::builder()
        .top("S-top")
        .branch(
            Branch::builder()
                .leaf(leaf("S-leaf", Some("S-leaf-maybe")))
                .leaves(vec![
                    leaf("S-vec-0", None),
                    leaf("S-vec-1", Some("S-vec-1-maybe")),
                ])
                .boxed(leaf("S-box", None))
                .opt(leaf("S-opt", None))
                .map(BTreeMap::from([("k".to_string(), leaf("S-map", None))]))
                .build(),
        )
        .meta(Meta::builder().inner("S-json").label("L").build())
        .metas(vec![Meta::builder().inner("S-json-vec").label("M").build()])
        .q("S-query")
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(prepared.headers()["Wechatpay-Serial"], PUB_KEY_ID);
    let all = everything(&prepared);
    for plain in [
        "S-top",
        "S-leaf",
        "S-leaf-maybe",
        "S-vec-0",
        "S-vec-1",
        "S-vec-1-maybe",
        "S-box",
        "S-opt",
        "S-map",
        "S-json",
        "S-json-vec",
        "S-query",
    ] {
        assert!(!all.contains(plain), "{plain} leaked: {all}");
    }

    // The query field.
    let query = prepared.url().split_once("?q=").expect("query").1;
    assert_eq!(wechatpay_decrypt(&percent_decode(query)), "S-query");

    // The JSON-in-a-string fields.
    let body: serde_json::Value = serde_json::from_slice(prepared.body()).expect("JSON");
    let meta = body["meta"].as_str().expect("a string");
    assert_eq!(
        open_ciphertexts(meta, &[("/inner", "S-json")]),
        r#"{"inner":"<S-json>","label":"L"}"#
    );
    let metas = body["metas"].as_str().expect("a string");
    assert_eq!(
        open_ciphertexts(metas, &[("/0/inner", "S-json-vec")]),
        r#"[{"inner":"<S-json-vec>","label":"M"}]"#
    );

    // Everything else, in place.
    let rest = open_ciphertexts(
        body_text(&prepared),
        &[
            ("/top", "S-top"),
            ("/branch/leaf/secret", "S-leaf"),
            ("/branch/leaf/maybe", "S-leaf-maybe"),
            ("/branch/leaves/0/secret", "S-vec-0"),
            ("/branch/leaves/1/secret", "S-vec-1"),
            ("/branch/leaves/1/maybe", "S-vec-1-maybe"),
            ("/branch/boxed/secret", "S-box"),
            ("/branch/opt/secret", "S-opt"),
            ("/branch/map/k/secret", "S-map"),
        ],
    );
    let meta_text = serde_json::to_string(meta).expect("JSON string");
    let metas_text = serde_json::to_string(metas).expect("JSON string");
    let v = r#""plain":"visible""#;
    assert_eq!(
        rest,
        format!(
            concat!(
                r#"{{"top":"<S-top>","branch":{{"leaf":{{"secret":"<S-leaf>","maybe":"<S-leaf-maybe>",{v}}},"#,
                r#""leaves":[{{"secret":"<S-vec-0>",{v}}},{{"secret":"<S-vec-1>","maybe":"<S-vec-1-maybe>",{v}}}],"#,
                r#""boxed":{{"secret":"<S-box>",{v}}},"opt":{{"secret":"<S-opt>",{v}}},"#,
                r#""map":{{"k":{{"secret":"<S-map>",{v}}}}}}},"meta":{meta},"metas":{metas}}}"#
            ),
            v = v,
            meta = meta_text,
            metas = metas_text
        )
    );
}

#[test]
fn serializing_outside_the_client_refuses_plaintext() {
    let error = serde_json::to_string(&app_presign()).expect_err("refused");
    assert!(
        error.to_string().contains("refusing to emit plaintext"),
        "{error}"
    );
    assert!(!error.to_string().contains("110101199003074477"));
    let error = serde_json::to_string(&leaf("S", None)).expect_err("refused");
    assert!(error.to_string().contains("refusing to emit plaintext"));
    // `None` has nothing to encrypt; types without `#[encrypted]` serialize as usual.
    assert_eq!(
        serde_json::to_string(
            &TradeInfo::builder()
                .out_trade_no("T")
                .deduct_amount(1)
                .build()
        )
        .expect("JSON"),
        r#"{"out_trade_no":"T","deduct_amount":1}"#
    );
}

// ---------------------------------------------------------------------------------------
// Uploads.

#[wxpay_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
pub struct Upload {
    #[file]
    pub file: File,
    pub kind: String,
    #[encrypted]
    pub owner: String,
}

#[wxpay_endpoint(POST, "v3/merchant/media/video_upload")]
pub struct NamedUpload {
    #[file]
    pub file: File,
    pub filename: String,
}

/// An upload that names and digests its file itself, in a part of its own name.
#[wxpay_endpoint(POST, "v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload")]
pub struct SubmissionUpload {
    pub sub_mchid: String,
    pub file_name: String,
    pub file_digest: String,
    pub item_id: i64,
    #[file]
    pub submission_file: File,
}

/// A renamed file field: the part takes the serde name.
#[wxpay_endpoint(POST, "v3/things/upload")]
pub struct RenamedPart {
    #[file]
    #[serde(rename = "attachment")]
    pub the_file: File,
}

#[wxpay_model]
pub struct MediaId {
    pub media_id: String,
}

#[test]
fn multipart_meta_has_filename_sha256_and_encrypted_fields() {
    let request = Upload::builder()
        .file(File::new("a.png", b"hello".to_vec()))
        .kind("IMG")
        .owner("S-owner")
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    let Body::Multipart { meta, part, file } = prepared.full_body() else {
        panic!("not multipart: {:?}", prepared.full_body());
    };
    assert_eq!(prepared.body(), meta.as_slice());
    assert_eq!(part, "file");
    assert_eq!(file.filename(), "a.png");
    assert_eq!(file.bytes(), b"hello");
    assert_eq!(
        open_ciphertexts(
            std::str::from_utf8(meta).expect("UTF-8"),
            &[("/owner", "S-owner")]
        ),
        r#"{"filename":"a.png","kind":"IMG","owner":"<S-owner>","sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}"#
    );
    assert!(!everything(&prepared).contains("S-owner"));

    let named = NamedUpload {
        file: File::new("a.mp4", b"x".to_vec()),
        filename: "declared.mp4".into(),
    };
    let prepared = engine().prepare(&named, None).expect("prepare");
    assert_eq!(
        body_text(&prepared),
        r#"{"filename":"declared.mp4","sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"}"#
    );
}

#[test]
fn uploads_with_their_own_digest_fields_and_part_names() {
    let file = File::new("licence.pdf", b"%PDF-1.7".to_vec());
    let request = SubmissionUpload::builder()
        .sub_mchid("1900000109")
        .file_name("licence.pdf")
        .file_digest(file.sha256_hex())
        .item_id(7)
        .submission_file(file)
        .build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/mch-manage/submission-files/sub-mchid/1900000109/upload"
    );
    let Body::Multipart { meta, part, file } = prepared.full_body() else {
        panic!("not multipart: {:?}", prepared.full_body());
    };
    assert_eq!(part, "submission_file");
    assert_eq!(file.filename(), "licence.pdf");
    // Exactly the declared fields, no `filename` or `sha256`.
    assert_eq!(
        std::str::from_utf8(meta).expect("UTF-8"),
        r#"{"file_digest":"86edbaa24831badfa0a8b04bb410141e2ee4182b6d0014493fe262a7a331c20b","file_name":"licence.pdf","item_id":7}"#
    );

    let renamed = RenamedPart {
        the_file: File::new("a.jpg", b"x".to_vec()),
    };
    let prepared = engine().prepare(&renamed, None).expect("prepare");
    let Body::Multipart { part, .. } = prepared.full_body() else {
        panic!("not multipart");
    };
    assert_eq!(part, "attachment");
    assert_eq!(
        body_text(&prepared),
        r#"{"filename":"a.jpg","sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"}"#
    );
}

// ---------------------------------------------------------------------------------------
// `Debug`.

#[test]
fn debug_redacts_encrypted_fields() {
    assert_eq!(
        format!("{:?}", leaf("S-secret", Some("S-maybe"))),
        r#"Leaf { secret: "***", maybe: "***", plain: "visible" }"#
    );
    let text = format!("{:?}", app_presign());
    assert!(text.starts_with(r#"AppPresign { appid: "wxd678efh567hg6787", plan_id: "plan-1""#));
    assert!(text.contains(
        r#"real_identity: RealIdentity { identity_type: "REAL_IDENTITY_TYPE_ID_CARD", identity_id: "***", real_name: "***" }"#
    ));
    assert!(!text.contains("110101199003074477") && !text.contains("张三"));
    let text = format!(
        "{:#?}",
        Put::builder()
            .r#type("T")
            .self_("S")
            .colour(Colour::Blue)
            .colours(vec![])
            .map(BTreeMap::new())
            .amount(1)
            .ratio(1.0)
            .flag(false)
            .plain(Plain { n: 1 })
            .value(serde_json::Value::Null)
            .build()
    );
    assert!(text.contains("    type: \"T\",\n"), "{text}");
}

// ---------------------------------------------------------------------------------------
// The builder.

#[test]
fn the_builder_builds_the_struct_itself() {
    let literal = AppPresign {
        appid: "wxd678efh567hg6787".into(),
        plan_id: "plan-1".into(),
        out_contract_code: "C-20240101".into(),
        display_name: "还款计划".into(),
        contract_notify_url: "https://example.com/notify".into(),
        repayment_day: 15,
        repayment_amount_limit: "10000".into(),
        sub_mchid: Some("1900000109".into()),
        sub_appid: None,
        real_identity: RealIdentity {
            identity_type: "REAL_IDENTITY_TYPE_ID_CARD".into(),
            identity_id: "110101199003074477".into(),
            real_name: "张三".into(),
        },
        trade_info: Some(TradeInfo {
            out_trade_no: "T-1".into(),
            deduct_amount: 300,
            description: None,
            attach: Some("a&b".into()),
            notify_url: None,
        }),
    };
    assert!(app_presign() == literal);

    // Setters in any order; `maybe_` takes an `Option`; a later call wins.
    let built = TradeInfo::builder()
        .description("first")
        .deduct_amount(1)
        .maybe_description(None)
        .out_trade_no(String::from("T"))
        .maybe_attach(Some("x".to_string()))
        .notify_url("n")
        .deduct_amount(2)
        .build();
    assert!(
        built
            == TradeInfo {
                out_trade_no: "T".into(),
                deduct_amount: 2,
                description: None,
                attach: Some("x".into()),
                notify_url: Some("n".into()),
            }
    );
    // `Box<T>` and other `Into` targets.
    let branch = Branch::builder()
        .leaf(leaf("a", None))
        .leaves(Vec::new())
        .boxed(leaf("b", None))
        .map(BTreeMap::new())
        .build();
    assert_eq!(branch.boxed.secret, "b");
    assert!(branch.opt.is_none());
    // The builder's type can be named.
    let _: TradeInfoBuilder = TradeInfo::builder();
}

// `cfg(all())` is always true: the point is a field that carries a cfg and stays.
#[allow(clippy::non_minimal_cfg)]
#[wxpay_model]
pub struct WithCfg {
    pub kept: String,
    #[cfg(any())]
    pub gone: Option<u8>,
    #[cfg(all())]
    pub here: Option<u8>,
}

#[test]
fn cfg_on_option_fields() {
    let value = WithCfg::builder().kept("k").here(1u8).build();
    assert_eq!(
        format!("{value:?}"),
        r#"WithCfg { kept: "k", here: Some(1) }"#
    );
    assert_eq!(
        serde_json::to_string(&value).expect("JSON"),
        r#"{"kept":"k","here":1}"#
    );
}

// ---------------------------------------------------------------------------------------
// Answers.

/// A signed answer as WeChat Pay would send it.
fn signed(body: &str) -> HeaderMap {
    let timestamp = NOW.to_string();
    let nonce = "n0nce";
    let signature = MerchantKey::new("7E57C0DE", WECHATPAY_KEY)
        .expect("key")
        .sign(format!("{timestamp}\n{nonce}\n{body}\n").as_bytes())
        .expect("sign");
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("Wechatpay-Timestamp", timestamp.as_str()),
        ("Wechatpay-Nonce", nonce),
        ("Wechatpay-Serial", PUB_KEY_ID),
        ("Wechatpay-Signature", signature.as_str()),
    ] {
        headers.insert(name, HeaderValue::from_str(value).expect("header"));
    }
    headers
}

/// An answer field encrypted as WeChat Pay does: with the merchant's public key.
fn for_merchant(plain: &str) -> String {
    MerchantKey::new(MERCHANT_SERIAL, MERCHANT_KEY)
        .expect("key")
        .public_key()
        .encrypt(plain)
        .expect("encrypt")
}

#[wxpay_endpoint(GET, "v3/people/{id}", response = Person)]
pub struct GetPerson {
    pub id: String,
}

#[wxpay_model]
#[derive(PartialEq)]
pub struct Person {
    #[encrypted]
    pub name: String,
    #[encrypted]
    pub phone: Option<String>,
    #[encrypted]
    pub email: Option<String>,
    pub r#type: String,
    #[serde(rename = "self")]
    pub self_: Option<bool>,
    pub cards: Vec<Card>,
    #[json_string]
    pub extra: Option<Card>,
}

#[wxpay_model]
#[derive(PartialEq)]
pub struct Card {
    #[encrypted]
    pub number: String,
    pub bank: Option<String>,
}

#[test]
fn answers_are_verified_and_decrypted() {
    let body = serde_json::json!({
        "name": for_merchant("李四"),
        "phone": for_merchant("13800000000"),
        "type": "T",
        "self": true,
        "cards": [{"number": for_merchant("6222020000000000"), "bank": "ICBC"}],
        "extra": serde_json::to_string(&serde_json::json!({"number": for_merchant("6222")})).expect("JSON"),
    })
    .to_string();
    let person = engine()
        .read_response::<GetPerson>(200, &signed(&body), body.as_bytes())
        .expect("decoded");
    assert!(
        person
            == Person {
                name: "李四".into(),
                phone: Some("13800000000".into()),
                email: None,
                r#type: "T".into(),
                self_: Some(true),
                cards: vec![Card {
                    number: "6222020000000000".into(),
                    bank: Some("ICBC".into()),
                }],
                extra: Some(Card {
                    number: "6222".into(),
                    bank: None,
                }),
            }
    );
    // Tampered: the signature no longer matches.
    let tampered = body.replace("\"T\"", "\"U\"");
    assert!(
        engine()
            .read_response::<GetPerson>(200, &signed(&body), tampered.as_bytes())
            .is_err()
    );
    // Outside the client, an encrypted answer field cannot be read.
    assert!(serde_json::from_str::<Person>(&body).is_err());
}

#[test]
fn responses_of_each_kind() {
    let presign = r#"{"presign_token":"tok"}"#;
    let answer = engine()
        .read_response::<AppPresign>(200, &signed(presign), presign.as_bytes())
        .expect("decoded");
    assert!(
        answer
            == AppPresignResponse {
                presign_token: "tok".into(),
                redirect_service: None,
            }
    );
    // `()` accepts a signed 204 and any signed body.
    engine()
        .read_response::<Cancel>(204, &signed(""), b"")
        .expect("204");
    engine()
        .read_response::<Cancel>(200, &signed("{\"x\":1}"), b"{\"x\":1}")
        .expect("200 with a body");
    // A download is raw and unsigned.
    let bill = engine()
        .read_response::<Bill>(200, &HeaderMap::new(), b"a,b\n1,2\n")
        .expect("download");
    assert_eq!(bill.bytes(), b"a,b\n1,2\n");
    // An error answer.
    let error = engine()
        .read_response::<AppPresign>(
            400,
            &HeaderMap::new(),
            br#"{"code":"PARAM_ERROR","message":"bad"}"#,
        )
        .expect_err("an error");
    assert_eq!(error.api_code(), Some("PARAM_ERROR"));
}

#[wxpay_endpoint(GET, "v3/bill/download", response = wxpay::Download)]
pub struct Bill {
    pub token: String,
}

#[wxpay_model]
pub struct Page<T> {
    pub total: u32,
    pub data: Vec<T>,
    pub next: Option<String>,
}

#[wxpay_endpoint(GET, "v3/people", response = Page<Person>)]
pub struct ListPeople<'a> {
    pub offset: u32,
    pub city: &'a str,
}

#[test]
fn generic_models_and_borrowed_fields() {
    let request = ListPeople::builder().offset(5u32).city("北京").build();
    let prepared = engine().prepare(&request, None).expect("prepare");
    assert_eq!(
        prepared.url(),
        "https://api.mch.weixin.qq.com/v3/people?offset=5&city=%E5%8C%97%E4%BA%AC"
    );
    let body = serde_json::json!({
        "total": 1,
        "data": [{"name": for_merchant("王五"), "type": "T", "cards": []}],
    })
    .to_string();
    let page = engine()
        .read_response::<ListPeople>(200, &signed(&body), body.as_bytes())
        .expect("decoded");
    assert_eq!(page.total, 1);
    assert_eq!(page.data[0].name, "王五");
    assert!(page.next.is_none());
    assert_eq!(
        format!("{page:?}"),
        r#"Page { total: 1, data: [Person { name: "***", phone: "***", email: "***", type: "T", self_: None, cards: [], extra: None }], next: None }"#
    );
}

// ----- `#[wxpay_model(response)]`: the compact `Deserialize`, checked against serde's derive

#[wxpay_endpoint(GET, "v3/people/{id}", response = PersonAnswer)]
pub struct GetPersonAnswer {
    pub id: String,
}

/// `Person` again, read with the compact `Deserialize` of a `response` model.
#[wxpay_model(response)]
#[derive(PartialEq)]
pub struct PersonAnswer {
    #[encrypted]
    pub name: String,
    #[encrypted]
    pub phone: Option<String>,
    #[encrypted]
    pub email: Option<String>,
    pub r#type: String,
    #[serde(rename = "self")]
    pub self_: Option<bool>,
    pub cards: Vec<CardAnswer>,
    #[json_string]
    pub extra: Option<CardAnswer>,
}

#[wxpay_model(response)]
#[derive(PartialEq)]
pub struct CardAnswer {
    #[encrypted]
    pub number: String,
    pub bank: Option<String>,
}

impl From<&CardAnswer> for Card {
    fn from(c: &CardAnswer) -> Card {
        Card {
            number: c.number.clone(),
            bank: c.bank.clone(),
        }
    }
}

impl From<&PersonAnswer> for Person {
    fn from(p: &PersonAnswer) -> Person {
        Person {
            name: p.name.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
            r#type: p.r#type.clone(),
            self_: p.self_,
            cards: p.cards.iter().map(Card::from).collect(),
            extra: p.extra.as_ref().map(Card::from),
        }
    }
}

/// The same body read by serde's derive (`GetPerson`) and by the compact reader
/// (`GetPersonAnswer`): the same value, or the same error message.
fn read_both(body: &str) -> (Result<Person, String>, Result<Person, String>) {
    let derived = engine()
        .read_response::<GetPerson>(200, &signed(body), body.as_bytes())
        .map_err(|e| e.to_string());
    let compact = engine()
        .read_response::<GetPersonAnswer>(200, &signed(body), body.as_bytes())
        .map(|p| Person::from(&p))
        .map_err(|e| e.to_string());
    (derived, compact)
}

#[test]
fn response_models_read_as_serde_derive_does() {
    let card =
        serde_json::to_string(&serde_json::json!({"number": for_merchant("6222")})).expect("JSON");
    let full = serde_json::json!({
        "name": for_merchant("李四"),
        "phone": for_merchant("13800000000"),
        "email": null,
        "type": "T",
        "self": true,
        "cards": [{"number": for_merchant("6222020000000000"), "bank": "ICBC", "new": 1}],
        "extra": card,
        "unknown": {"nested": [1, 2, 3]},
    })
    .to_string();
    let (derived, compact) = read_both(&full);
    let person = derived.expect("read by the derive");
    assert!(compact.as_ref() == Ok(&person), "{compact:?}");
    assert_eq!(person.name, "李四");
    assert_eq!(person.cards[0].number, "6222020000000000");
    assert_eq!(
        person.extra.as_ref().map(|c| c.number.as_str()),
        Some("6222")
    );

    let minimal = format!(
        r#"{{"name":"{}","type":"T","cards":[]}}"#,
        for_merchant("王五")
    );
    let (derived, compact) = read_both(&minimal);
    assert!(derived.is_ok());
    assert!(derived == compact);

    // Errors: exactly the derive's messages (serde_json's, with the same line and column).
    let name = for_merchant("李四");
    let bad = [
        format!(r#"{{"name":"{name}","cards":[]}}"#),
        format!(r#"{{"name":"{name}","type":"T","type":"U","cards":[]}}"#),
        format!(r#"{{"name":"{name}","type":"T","self":"yes","cards":[]}}"#),
        format!(r#"{{"name":"{name}","type":7,"cards":[]}}"#),
        format!(r#"{{"name":"{name}","type":"T","cards":[{{"bank":"x"}}]}}"#),
        r#"{"name":"bm90IGEgY2lwaGVydGV4dA==","type":"T","cards":[]}"#.to_string(),
        r#"{"name":12,"type":"T","cards":[]}"#.to_string(),
        format!(r#"{{"name":"{name}","type":"T","cards":[],"extra":"{{not json"}}"#),
        "\"text\"".to_string(),
        "null".to_string(),
    ];
    let mut messages = Vec::new();
    for body in &bad {
        let (derived, compact) = read_both(body);
        assert_eq!(derived, compact, "{body}");
        messages.push(derived.expect_err(body));
    }
    assert_eq!(
        messages,
        [
            "decoding: the answer: missing field `type` at line 1 column 366",
            "decoding: the answer: duplicate field `type` at line 1 column 372",
            "decoding: the answer: JSON does not match the expected type at line 1 column 378",
            "decoding: the answer: JSON does not match the expected type at line 1 column 363",
            "decoding: the answer: missing field `number` at line 1 column 387",
            "decoding: encrypted field has 16 bytes, expected 256",
            "decoding: the answer: JSON does not match the expected type at line 1 column 10",
            "decoding: the answer: JSON does not match the expected type at line 1 column 2",
            "decoding: the answer: JSON does not match the expected type at line 1 column 6",
            "decoding: the answer: JSON does not match the expected type at line 1 column 4",
        ]
    );
}
