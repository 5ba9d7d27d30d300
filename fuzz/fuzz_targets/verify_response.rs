//! Answers: any status, headers and body through verification and decoding
//! (`Engine::verify`, `Engine::read_response` of an answer with an `#[encrypted]` field).
//!
//! Modes (first byte): 0 anything; 1 any body correctly signed (verification must pass, then
//! the JSON decoder and the field decryption get the body); 2 a well-formed answer whose
//! encrypted field is a real OAEP ciphertext of any text (it must come back) or any string.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_fuzz::*;

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});

fn run(data: &[u8]) -> arbitrary::Result<()> {
    let mut u = Unstructured::new(data);
    let engine = engine();
    match u.int_in_range(0u8..=2)? {
        0 => {
            let status = u.arbitrary::<u16>()?;
            let headers = arbitrary_headers(&mut u)?;
            let body = u.take_rest();
            let verified = engine.verify(&headers, body);
            shown(&verified);
            let read = engine.read_response::<Call>(status, &headers, body);
            shown(&read);
            if (200..300).contains(&status) && verified.is_err() {
                assert!(read.is_err(), "an answer that fails verification was read");
            }
        }
        1 => {
            let serial = serial(&mut u)?;
            let status = if u.arbitrary()? {
                200
            } else {
                u.arbitrary::<u16>()?
            };
            let body = u.arbitrary::<Vec<u8>>()?;
            let headers = signed_headers(&mut u, &serial, &body)?;
            let verified = engine.verify(&headers, &body);
            if serial == PUB_KEY_ID || serial.eq_ignore_ascii_case(PLATFORM_SERIAL) {
                assert_eq!(verified, Ok(()), "a correctly signed answer");
            }
            shown(&verified);
            shown(&engine.read_response::<Call>(status, &headers, &body));
        }
        _ => {
            let token: String = u.arbitrary()?;
            let plain: Option<String> = u.arbitrary()?;
            let (secret, expected) = match plain {
                Some(text) if text.len() <= 214 && u.arbitrary()? => (
                    serde_json::json!(merchant_public().encrypt(&text).unwrap()),
                    Some(text),
                ),
                Some(text) => (serde_json::json!(text), None),
                None => (serde_json::Value::Null, None),
            };
            let body = serde_json::json!({"token": token, "secret": secret}).to_string();
            let headers = signed_headers(&mut u, PUB_KEY_ID, body.as_bytes())?;
            let read = engine.read_response::<Call>(200, &headers, body.as_bytes());
            if let Some(text) = expected {
                let answer = read.expect("a signed answer with a real ciphertext");
                assert_eq!(answer.token, token);
                assert_eq!(answer.secret.as_deref(), Some(text.as_str()));
            } else {
                shown(&read);
            }
        }
    }
    Ok(())
}
