//! What WeChat Pay answers on the routes the sandbox knows, when no answer is scripted.

use serde_json::{Value, json};
use wxpay_core::aead;

use crate::answer::{Answer, param_error};
use crate::bill::{BillFile, BillKind};
use crate::check::Checked;
use crate::keygen::{aes_nonce, random_bytes};
use crate::keys::{Identity, KeyMode};
use crate::state::State;
use crate::time::rfc3339_cst;

/// The default answer of `method path`.
pub(crate) fn default_answer(
    identity: &Identity,
    state: &mut State,
    base_url: &str,
    method: &str,
    path: &str,
    checked: &Checked,
) -> Answer {
    match (method, path) {
        ("POST", "v3/security/echo") => echo(identity, &checked.json),
        ("POST", "v3/credit-repayment/partner/contracts/app-presign")
        | ("POST", "v3/eduschoolpay/contracts/presign") => {
            Answer::json(json!({"presign_token": token()}))
        }
        ("POST", "v3/credit-repayment/partner/contracts/h5-presign") => Answer::json(json!({
            "redirect_url": format!(
                "https://payapp.weixin.qq.com/creditrepayment/contract/presign?presign_token={}",
                token()
            ),
        })),
        ("GET", "v3/certificates") => certificates(identity, state),
        ("GET", "v3/bill/tradebill") => bill_query(
            state,
            &identity.mchid,
            base_url,
            BillKind::Trade,
            &checked.query_params,
        ),
        ("GET", "v3/bill/fundflowbill") => bill_query(
            state,
            &identity.mchid,
            base_url,
            BillKind::FundFlow,
            &checked.query_params,
        ),
        ("GET", "v3/billdownload/file") => bill_download(state, &checked.query_params),
        _ if checked.file.is_some() => upload(path, &checked.json),
        _ => Answer::json(json!({})),
    }
}

/// Whether answers of this route are signed with a platform certificate rather than the
/// public key, when the request names neither (a client downloading certificates may hold no
/// key yet, and verifies the answer with the certificates it carries).
pub(crate) fn prefers_certificate(method: &str, path: &str) -> bool {
    method == "GET" && path == "v3/certificates"
}

/// `POST v3/security/echo`: the message back, and the encrypted message re-encrypted under
/// the merchant's key.
fn echo(identity: &Identity, body: &Value) -> Answer {
    let Some(message) = body.get("echo_message").and_then(Value::as_str) else {
        return param_error(
            "echo_message is required",
            json!({"field": "echo_message", "location": "body", "issue": "missing"}),
        );
    };
    let mut answer = json!({"echo_message": message});
    if let Some(secret) = body.get("encrypted_echo_message").and_then(Value::as_str) {
        match identity.merchant_public.encrypt(secret) {
            Ok(cipher) => answer["encrypted_echo_message"] = Value::String(cipher),
            Err(_) => {
                return param_error(
                    "encrypted_echo_message is too long to encrypt",
                    json!({"field": "encrypted_echo_message", "location": "body"}),
                );
            }
        }
    }
    Answer::json(answer)
}

/// An upload's answer, as the endpoint documents it: a `media_id` for the media uploads, a
/// `media_url` for the marketing images, a receipt for shopping receipts, a `file_id` for
/// submission and due-diligence files, a `fapiao_media_id` for fapiao and taxi-invoice files.
fn upload(path: &str, meta: &Value) -> Answer {
    if path == "v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file"
        || path == "v3/taxi-invoice/cards/upload-file"
    {
        return Answer::json(json!({"fapiao_media_id": token()}));
    }
    if path.ends_with("/image-upload") || path.ends_with("/upload-image") {
        return Answer::json(json!({
            "media_url": format!("https://wxpaypic.wxpay.qq.com/sandbox/{}", token()),
        }));
    }
    if path == "v3/marketing/shopping-receipt/shoppingreceipts" {
        let field = |name: &str| meta.get(name).cloned().unwrap_or(Value::Null);
        return Answer::json(json!({
            "receipt": {
                "receipt_id": token(),
                "state": "SUCCESS",
                "transaction_id": field("transaction_id"),
                "openid": field("openid"),
                "upload_time": crate::time::rfc3339_cst(crate::time::now()),
            },
        }));
    }
    if path.starts_with("v3/mch-manage/submission-files/")
        || path.starts_with("v3/mch-operation-manage/enhanced-due-diligence/")
    {
        return Answer::json(json!({"file_id": token()}));
    }
    Answer::json(json!({"media_id": token()}))
}

/// `GET v3/certificates`: every platform certificate still valid, encrypted with the APIv3
/// key (an expired one is no longer served).
fn certificates(identity: &Identity, state: &State) -> Answer {
    if state.mode == KeyMode::PublicKeyOnly {
        return Answer::error(
            404,
            "RESOURCE_NOT_EXISTS",
            "无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥",
        );
    }
    let mut data = Vec::new();
    let now = crate::time::now();
    for cert in state.platform.iter().rev().filter(|c| c.not_after >= now) {
        let nonce = aes_nonce();
        let Ok(ciphertext) =
            aead::encrypt(&identity.apiv3, &nonce, "certificate", cert.pem.as_bytes())
        else {
            return Answer::error(500, "SYSTEM_ERROR", "encrypting a certificate failed");
        };
        data.push(json!({
            "serial_no": cert.serial,
            "effective_time": rfc3339_cst(cert.not_before),
            "expire_time": rfc3339_cst(cert.not_after),
            "encrypt_certificate": {
                "algorithm": "AEAD_AES_256_GCM",
                "associated_data": "certificate",
                "nonce": nonce,
                "ciphertext": ciphertext,
            },
        }));
    }
    Answer::json(json!({"data": data}))
}

/// `GET v3/bill/tradebill` / `v3/bill/fundflowbill`: a `download_url` on the sandbox and the
/// bill's `hash_value`.
fn bill_query(
    state: &mut State,
    mchid: &str,
    base_url: &str,
    kind: BillKind,
    query: &[(String, String)],
) -> Answer {
    let Some(date) = query_param(query, "bill_date") else {
        return param_error(
            "bill_date is required",
            json!({"field": "bill_date", "location": "query", "issue": "missing"}),
        );
    };
    if !is_date(date) {
        return param_error(
            "bill_date must be YYYY-MM-DD",
            json!({"field": "bill_date", "location": "query", "value": date}),
        );
    }
    let gzip = match query_param(query, "tar_type") {
        None => false,
        Some("GZIP") => true,
        Some(other) => {
            return param_error(
                "tar_type must be GZIP",
                json!({"field": "tar_type", "location": "query", "value": other}),
            );
        }
    };
    let file = BillFile::new(kind, date, mchid, gzip, state.bills.clone());
    let digest = file.announced_digest(&mut state.bill_digests);
    let token = random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let mut url = format!("{base_url}v3/billdownload/file?token={token}");
    if gzip {
        url.push_str("&tartype=gzip");
    }
    state.issued_bills.insert(token, file);
    Answer::json(json!({
        "hash_type": "SHA1",
        "hash_value": digest,
        "download_url": url,
    }))
}

/// `GET v3/billdownload/file?token=…`: the file, unsigned, generated while it is sent.
fn bill_download(state: &State, query: &[(String, String)]) -> Answer {
    let token = query_param(query, "token").unwrap_or_default();
    match state.issued_bills.get(token) {
        Some(file) => Answer::download(Vec::new()).with_stream(file.clone()),
        None => param_error(
            "token is invalid or has expired: query the bill again",
            json!({"field": "token", "location": "query", "issue": "invalid"}),
        ),
    }
}

/// The value of the first query parameter `name`.
fn query_param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `YYYY-MM-DD` (digits, not a checked calendar date).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A random token for presign answers and media ids.
fn token() -> String {
    let random = wxpay_core::sign::nonce().unwrap_or_else(|_| "0".repeat(32));
    format!("sandbox_{random}")
}
