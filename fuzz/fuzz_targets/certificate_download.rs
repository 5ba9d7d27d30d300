//! The `GET v3/certificates` answer through `Engine::read_certificates`, by an engine that
//! trusts nothing yet and by one that holds the public key and a certificate.
//!
//! Modes (first byte): 0 any status, headers and body; 1 any body correctly signed; 2 a signed
//! list of entries whose certificates are encrypted with the APIv3 key, each a fixture
//! certificate (possibly mutated) or any bytes, under any serial, algorithm, nonce and
//! associated data. Certificates returned must be the ones listed, under their serials.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_core::{CertificateAnswer, Engine, aead};
use wxpay_fuzz::*;

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});

fn read(
    engine: &Engine,
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    entries: Option<&[String]>,
) {
    let answer = engine.read_certificates(status, headers, body);
    shown(&answer);
    if let (Some(serials), Ok(CertificateAnswer::Certificates(certs))) = (entries, &answer) {
        assert_eq!(certs.len(), serials.len());
        for (cert, serial) in certs.iter().zip(serials) {
            assert!(cert.serial().eq_ignore_ascii_case(serial));
        }
    }
    if let Ok(CertificateAnswer::PublicKeyMode) = &answer {
        assert_eq!(status, 404);
    }
}

fn run(data: &[u8]) -> arbitrary::Result<()> {
    let mut u = Unstructured::new(data);
    let engines = [bare_engine(), engine()];
    match u.int_in_range(0u8..=2)? {
        0 => {
            let status = if u.arbitrary()? {
                200
            } else {
                u.arbitrary::<u16>()?
            };
            let headers = arbitrary_headers(&mut u)?;
            let body = u.take_rest();
            for engine in engines {
                read(engine, status, &headers, body, None);
            }
        }
        1 => {
            let serial = serial(&mut u)?;
            let status = if u.ratio(7, 8)? {
                200
            } else {
                u.arbitrary::<u16>()?
            };
            let body: Vec<u8> = u.arbitrary()?;
            let headers = signed_headers(&mut u, &serial, &body)?;
            for engine in engines {
                read(engine, status, &headers, &body, None);
            }
        }
        _ => {
            let count = u.int_in_range(0..=3)?;
            let mut data = Vec::new();
            let mut serials = Vec::new();
            for _ in 0..count {
                let pem = bytes_or_mutated_fixture(&mut u, CERT_FIXTURES)?;
                let serial_no = serial(&mut u)?;
                let algorithm = if u.ratio(7, 8)? {
                    "AEAD_AES_256_GCM".to_string()
                } else {
                    u.arbitrary()?
                };
                let nonce = if u.ratio(7, 8)? {
                    "c3rtN0nce012".to_string()
                } else {
                    u.arbitrary()?
                };
                let aad = if u.ratio(7, 8)? {
                    "certificate".to_string()
                } else {
                    u.arbitrary()?
                };
                let ciphertext = aead::encrypt(apiv3_key(), &nonce, &aad, &pem)
                    .unwrap_or_else(|_| String::from_utf8_lossy(&pem).into_owned());
                data.push(serde_json::json!({
                    "serial_no": serial_no,
                    "effective_time": "2024-01-01T08:00:00+08:00",
                    "expire_time": "2034-01-01T08:00:00+08:00",
                    "encrypt_certificate": {
                        "algorithm": algorithm,
                        "associated_data": aad,
                        "nonce": nonce,
                        "ciphertext": ciphertext,
                    }
                }));
                serials.push(serial_no);
            }
            let body = serde_json::json!({ "data": data }).to_string();
            let signer_serial = serial(&mut u)?;
            let headers = signed_headers(&mut u, &signer_serial, body.as_bytes())?;
            for engine in engines {
                read(engine, 200, &headers, body.as_bytes(), Some(&serials));
            }
        }
    }
    Ok(())
}
