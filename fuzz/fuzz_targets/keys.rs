//! Key material from any bytes: `MerchantKey`, `WechatPayPublicKey`, `RsaPublicKey`,
//! `PlatformCertificate` and `ApiV3Key` constructors, fed raw bytes, mutated fixtures, or either
//! wrapped in PEM armor (any label) or bare base64. A key that loads must work: a merchant key
//! signs what its public half verifies; a certificate re-reads from its own PEM.
#![no_main]

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use wxpay_core::{ApiV3Key, MerchantKey, PlatformCertificate, RsaPublicKey, WechatPayPublicKey};
use wxpay_fuzz::*;

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});

const LABELS: &[&str] = &[
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
];

fn run(data: &[u8]) -> arbitrary::Result<()> {
    let mut u = Unstructured::new(data);
    let b64 = base64::engine::general_purpose::STANDARD;
    let raw = bytes_or_mutated_fixture(&mut u, KEY_FIXTURES)?;
    let input: Vec<u8> = match u.int_in_range(0u8..=3)? {
        0 | 1 => raw,
        2 => {
            let label = if u.ratio(7, 8)? {
                u.choose(LABELS)?.to_string()
            } else {
                u.arbitrary()?
            };
            let mut pem = format!("-----BEGIN {label}-----\n");
            for chunk in b64.encode(&raw).as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(chunk).unwrap());
                pem.push('\n');
            }
            pem.push_str(&format!("-----END {label}-----\n"));
            pem.into_bytes()
        }
        _ => b64.encode(&raw).into_bytes(),
    };
    let id: String = if u.arbitrary()? {
        PUB_KEY_ID.into()
    } else {
        u.arbitrary()?
    };

    let merchant = MerchantKey::new(id.clone(), &input);
    shown(&merchant);
    if let Ok(key) = &merchant {
        let signature = key.sign(b"fuzz message").expect("a loaded key signs");
        assert!(key.public_key().verify(b"fuzz message", &signature));
        let cipher = key.public_key().encrypt("fuzz").unwrap();
        assert_eq!(key.decrypt(&cipher).unwrap(), "fuzz");
    }
    let public = WechatPayPublicKey::new(id, &input);
    shown(&public);
    if let Ok(key) = &public {
        key.encrypt("fuzz").expect("a loaded public key encrypts");
    }
    shown(&RsaPublicKey::new(&input));
    let cert = PlatformCertificate::new(&input);
    shown(&cert);
    if let Ok(cert) = &cert {
        let again = PlatformCertificate::new(cert.to_pem()).expect("its own PEM reads");
        assert_eq!(again.serial(), cert.serial());
        assert_eq!(
            (again.not_before(), again.not_after()),
            (cert.not_before(), cert.not_after())
        );
        let _ = cert.is_valid_at(NOW);
    }
    let apiv3 = ApiV3Key::new(&input);
    assert_eq!(apiv3.is_ok(), input.len() == 32);
    Ok(())
}
