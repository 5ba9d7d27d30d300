//! Notifications through `Engine::parse_notification`.
//!
//! Modes (first byte): 0 any headers and body; 1 any body correctly signed (reaches the
//! envelope's JSON); 2 a signed envelope around a resource encrypted with the APIv3 key, whose
//! algorithm, nonce, associated data and plaintext are generated and whose ciphertext may be
//! tampered with (reaches AES-GCM and the resource's JSON, typed and untyped). In mode 2 a
//! well-formed, untampered resource must parse exactly when its plaintext is JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use wxpay_core::private::encrypted;
use wxpay_core::{Error, aead};
use wxpay_fuzz::*;

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});

/// A typed resource with an `#[encrypted]` field (decrypted with the merchant key).
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Transaction {
    out_trade_no: String,
    #[serde(default)]
    amount: Option<Amount>,
    #[serde(default, with = "encrypted")]
    payer_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Amount {
    total: i64,
}

const TRANSACTION: &[u8] =
    br#"{"out_trade_no":"T1","amount":{"total":100},"trade_state":"SUCCESS"}"#;

fn run(data: &[u8]) -> arbitrary::Result<()> {
    let mut u = Unstructured::new(data);
    let engine = engine();
    match u.int_in_range(0u8..=2)? {
        0 => {
            let headers = arbitrary_headers(&mut u)?;
            let body = u.take_rest();
            let parsed = engine.parse_notification::<serde_json::Value>(&headers, body);
            assert!(
                parsed.is_err() || engine.verify(&headers, body).is_ok(),
                "an unverified notification was parsed"
            );
            shown(&parsed);
        }
        1 => {
            let body = u.arbitrary::<Vec<u8>>()?;
            let headers = signed_headers(&mut u, PUB_KEY_ID, &body)?;
            shown(&engine.parse_notification::<serde_json::Value>(&headers, &body));
            shown(&engine.parse_notification::<Transaction>(&headers, &body));
        }
        _ => {
            let id: String = u.arbitrary()?;
            let well_formed_algorithm = u.ratio(7, 8)?;
            let algorithm = if well_formed_algorithm {
                "AEAD_AES_256_GCM".to_string()
            } else {
                u.arbitrary()?
            };
            let nonce: String = if u.ratio(7, 8)? {
                let chars: [u8; 12] = u.arbitrary()?;
                chars.iter().map(|b| (b'!' + b % 94) as char).collect()
            } else {
                u.arbitrary()?
            };
            let aad: Option<String> = u.arbitrary()?;
            let plaintext = if u.arbitrary()? {
                bytes_or_mutated_fixture(&mut u, &[TRANSACTION])?
            } else {
                u.arbitrary()?
            };
            let aad_text = aad.clone().unwrap_or_default();
            let (ciphertext, tampered) =
                match aead::encrypt(apiv3_key(), &nonce, &aad_text, &plaintext) {
                    Ok(c) if u.ratio(1, 8)? => {
                        let mut bytes = c.into_bytes();
                        let at = u.choose_index(bytes.len())?;
                        bytes[at] = u.arbitrary()?;
                        (String::from_utf8_lossy(&bytes).into_owned(), true)
                    }
                    Ok(c) => (c, false),
                    Err(_) => (u.arbitrary()?, true),
                };
            let mut resource = serde_json::json!({
                "original_type": "transaction",
                "algorithm": algorithm,
                "ciphertext": ciphertext,
                "nonce": nonce,
            });
            if let Some(aad) = &aad {
                resource["associated_data"] = serde_json::json!(aad);
            }
            let body = serde_json::json!({
                "id": id,
                "create_time": "2025-01-01T08:00:00+08:00",
                "resource_type": "encrypt-resource",
                "event_type": "TRANSACTION.SUCCESS",
                "summary": "支付成功",
                "resource": resource,
            })
            .to_string();
            let headers = signed_headers(&mut u, PUB_KEY_ID, body.as_bytes())?;
            let parsed = engine.parse_notification::<serde_json::Value>(&headers, body.as_bytes());
            if well_formed_algorithm && !tampered {
                match (
                    serde_json::from_slice::<serde_json::Value>(&plaintext),
                    &parsed,
                ) {
                    (Ok(value), Ok(note)) => {
                        assert_eq!(note.id, id);
                        assert_eq!(note.resource, value);
                    }
                    (Err(_), Err(Error::Decode { .. })) => {}
                    (expected, got) => {
                        panic!("plaintext JSON {:?}, parsed {:?}", expected.is_ok(), got)
                    }
                }
            }
            shown(&parsed);
            shown(&engine.parse_notification::<Transaction>(&headers, body.as_bytes()));
        }
    }
    Ok(())
}
