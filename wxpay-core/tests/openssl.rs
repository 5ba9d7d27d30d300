//! Cross-checks against an independent implementation: the `openssl` command.
//!
//! - our SHA256withRSA signature equals `openssl dgst -sha256 -sign` byte for byte and verifies
//!   with `openssl dgst -verify`; openssl's signature verifies with ours;
//! - our RSA-OAEP(SHA-1) ciphertext decrypts with `openssl pkeyutl -decrypt` and openssl's
//!   decrypts with ours;
//! - certificate serials and validity read by wxpay are the ones `openssl x509` prints;
//! - the SHA-256 and SM3 digests of upload files are the ones `openssl dgst` prints.
//!
//! These tests need `openssl` on the PATH (CI installs it) and fail, rather than skip, without it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use common::*;
use wxpay_core::{File, PlatformCertificate, RsaPublicKey, WechatPayPublicKey, sign, verify};

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn openssl(args: &[&str]) -> Output {
    Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `openssl` (install OpenSSL 3): {e}"))
}

fn openssl_ok(args: &[&str]) -> Vec<u8> {
    let out = openssl(args);
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.0.path().join(name).to_str().unwrap().to_string()
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.0.path().join(name)).unwrap()
    }
}

/// Messages of every kind wxpay signs.
fn messages() -> Vec<Vec<u8>> {
    vec![
        sign::request_message("GET", "/v3/certificates", NOW, NONCE, b""),
        sign::request_message(
            "POST",
            "/v3/pay/transactions/jsapi",
            NOW,
            NONCE,
            r#"{"description":"Image形象店-深圳腾大-QQ公仔","amount":{"total":100}}"#.as_bytes(),
        ),
        sign::request_message(
            "GET",
            "/v3/pay/transactions/out-trade-no/Ab%20c?mchid=1230000109",
            NOW,
            NONCE,
            b"",
        ),
        b"wxd678efh567hg6787\n1735689600\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx1\n"
            .to_vec(),
        Vec::new(),
        (0u8..=255).collect(),
    ]
}

#[test]
fn our_signature_equals_openssl_dgst_sign_byte_for_byte() {
    let scratch = Scratch::new();
    let key = merchant_key();
    let pkcs1 = wxpay_core::MerchantKey::new(MERCHANT_SERIAL, MERCHANT_KEY_PKCS1_PEM).unwrap();
    for (i, message) in messages().iter().enumerate() {
        let msg = scratch.write(&format!("m{i}"), message);
        let sig = scratch.path(&format!("s{i}"));
        openssl_ok(&[
            "dgst",
            "-sha256",
            "-sign",
            fixture("merchant_key.pem").to_str().unwrap(),
            "-out",
            &sig,
            &msg,
        ]);
        let theirs = scratch.read(&format!("s{i}"));
        assert_eq!(theirs.len(), 256);
        let ours = b64().decode(key.sign(message).unwrap()).unwrap();
        assert_eq!(ours, theirs, "message {i}");
        assert_eq!(
            b64().decode(pkcs1.sign(message).unwrap()).unwrap(),
            theirs,
            "message {i}, PKCS#1 key"
        );
    }
}

#[test]
fn our_signature_verifies_with_openssl_dgst_verify() {
    let scratch = Scratch::new();
    let key = merchant_key();
    let public = fixture("merchant_public_key.pem");
    for (i, message) in messages().iter().enumerate() {
        let msg = scratch.write(&format!("m{i}"), message);
        let sig = scratch.write(
            &format!("s{i}"),
            &b64().decode(key.sign(message).unwrap()).unwrap(),
        );
        let out = openssl(&[
            "dgst",
            "-sha256",
            "-verify",
            public.to_str().unwrap(),
            "-signature",
            &sig,
            &msg,
        ]);
        assert!(out.status.success(), "message {i}");
        assert_eq!(out.stdout, b"Verified OK\n");
        // The same signature over another message fails in openssl too.
        let other = scratch.write(&format!("o{i}"), &[message.as_slice(), b"x"].concat());
        let out = openssl(&[
            "dgst",
            "-sha256",
            "-verify",
            public.to_str().unwrap(),
            "-signature",
            &sig,
            &other,
        ]);
        assert!(!out.status.success(), "message {i}");
        assert_eq!(out.stdout, b"Verification failure\n");
    }
}

#[test]
fn openssl_signature_verifies_with_ours() {
    let scratch = Scratch::new();
    let body = r#"{"prepay_id":"wx26112221580621e9b071c00d9e093b0000","note":"中文"}"#;
    let timestamp = NOW.to_string();
    let message = sign::response_message(
        &timestamp,
        "7d3c9a1e5b2f4068a9c1e3b5d7f90a2c",
        body.as_bytes(),
    );
    let msg = scratch.write("m", &message);
    let sig = scratch.path("s");
    openssl_ok(&[
        "dgst",
        "-sha256",
        "-sign",
        fixture("wechatpay_key.pem").to_str().unwrap(),
        "-out",
        &sig,
        &msg,
    ]);
    let signature = b64().encode(scratch.read("s"));

    // As WeChat Pay's answer, verified with the public key and with the certificate.
    let mut keys = wxpay_core::KeyStore::new();
    keys.set_public_key(WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap());
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_PEM).unwrap());
    for serial in [PUB_KEY_ID, PLATFORM_SERIAL] {
        let headers = headers(&[
            ("Wechatpay-Timestamp", &timestamp),
            ("Wechatpay-Nonce", "7d3c9a1e5b2f4068a9c1e3b5d7f90a2c"),
            ("Wechatpay-Serial", serial),
            ("Wechatpay-Signature", &signature),
            ("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"),
        ]);
        assert_eq!(
            verify::verify(&keys, &headers, body.as_bytes(), NOW),
            Ok(())
        );
        assert_eq!(
            verify::verify(&keys, &headers, b"{}", NOW),
            Err(wxpay_core::VerifyError::BadSignature)
        );
    }
    // And with the bare keys.
    let key = WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap();
    assert!(key.verify(&message, &signature));
    assert!(!key.verify(b"other", &signature));

    // The merchant key signed by openssl verifies with our RsaPublicKey.
    for (i, message) in messages().iter().enumerate() {
        let msg = scratch.write(&format!("m{i}"), message);
        let sig = scratch.path(&format!("s{i}"));
        openssl_ok(&[
            "dgst",
            "-sha256",
            "-sign",
            fixture("merchant_key_pkcs1.pem").to_str().unwrap(),
            "-out",
            &sig,
            &msg,
        ]);
        let public = RsaPublicKey::new(MERCHANT_PUBLIC_KEY_PEM).unwrap();
        assert!(
            public.verify(message, &b64().encode(scratch.read(&format!("s{i}")))),
            "{i}"
        );
    }
}

fn oaep_args<'a>(op: &'a str, key: &'a str, input: &'a str, output: &'a str) -> Vec<&'a str> {
    vec![
        "pkeyutl",
        op,
        "-inkey",
        key,
        "-pkeyopt",
        "rsa_padding_mode:oaep",
        "-pkeyopt",
        "rsa_oaep_md:sha1",
        "-in",
        input,
        "-out",
        output,
    ]
}

const PLAINTEXTS: [&str; 5] = [
    "张三",
    "110101199003077777",
    "",
    "plaintext with \"quotes\", \\ and\nnewlines",
    // 214 bytes, the most OAEP-SHA1 takes with RSA-2048.
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345",
];

#[test]
fn our_oaep_ciphertext_decrypts_with_openssl() {
    assert_eq!(PLAINTEXTS[4].len(), 214);
    let scratch = Scratch::new();
    let key = WechatPayPublicKey::new(PUB_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM).unwrap();
    let private = fixture("wechatpay_key.pem");
    for (i, plain) in PLAINTEXTS.iter().enumerate() {
        let cipher = b64().decode(key.encrypt(plain).unwrap()).unwrap();
        assert_eq!(cipher.len(), 256);
        let input = scratch.write(&format!("c{i}"), &cipher);
        let output = scratch.path(&format!("p{i}"));
        openssl_ok(&oaep_args(
            "-decrypt",
            private.to_str().unwrap(),
            &input,
            &output,
        ));
        assert_eq!(scratch.read(&format!("p{i}")), plain.as_bytes(), "{i}");
        // It is OAEP with SHA-1: openssl refuses it as OAEP-SHA256.
        let out = openssl(&[
            "pkeyutl",
            "-decrypt",
            "-inkey",
            private.to_str().unwrap(),
            "-pkeyopt",
            "rsa_padding_mode:oaep",
            "-pkeyopt",
            "rsa_oaep_md:sha256",
            "-pkeyopt",
            "rsa_mgf1_md:sha256",
            "-in",
            &input,
        ]);
        assert!(!out.status.success(), "{i} decrypted as OAEP-SHA256");
    }
}

#[test]
fn openssl_oaep_ciphertext_decrypts_with_ours() {
    let scratch = Scratch::new();
    let key = merchant_key();
    let public = fixture("merchant_public_key.pem");
    for (i, plain) in PLAINTEXTS.iter().enumerate() {
        let input = scratch.write(&format!("p{i}"), plain.as_bytes());
        let output = scratch.path(&format!("c{i}"));
        let mut args = oaep_args("-encrypt", public.to_str().unwrap(), &input, &output);
        args.push("-pubin");
        openssl_ok(&args);
        let cipher = b64().encode(scratch.read(&format!("c{i}")));
        assert_eq!(key.decrypt(&cipher).unwrap(), *plain, "{i}");
    }
    // openssl, too, refuses 215 bytes.
    let input = scratch.write("long", &[b'x'; 215]);
    let output = scratch.path("long.out");
    let mut args = oaep_args("-encrypt", public.to_str().unwrap(), &input, &output);
    args.push("-pubin");
    assert!(!openssl(&args).status.success());
}

/// `Jan  1 00:00:00 2024 GMT` to Unix seconds.
fn openssl_date(text: &str) -> i64 {
    let parts: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(parts.len(), 5, "{text}");
    assert_eq!(parts[4], "GMT");
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == parts[0])
    .unwrap() as i64
        + 1;
    let day: i64 = parts[1].parse().unwrap();
    let year: i64 = parts[3].parse().unwrap();
    let hms: Vec<i64> = parts[2].split(':').map(|p| p.parse().unwrap()).collect();
    // Days from civil (Howard Hinnant).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hms[0] * 3_600 + hms[1] * 60 + hms[2]
}

#[test]
fn certificate_serial_and_dates_are_the_ones_openssl_reads() {
    assert_eq!(openssl_date("Jan  1 00:00:00 2024 GMT"), Y2024);
    for name in [
        "platform_cert.pem",
        "platform_cert_expired.pem",
        "platform_cert_future.pem",
        "platform_cert_rotated.pem",
        "merchant_cert.pem",
    ] {
        let path = fixture(name);
        let out = String::from_utf8(openssl_ok(&[
            "x509",
            "-in",
            path.to_str().unwrap(),
            "-noout",
            "-serial",
            "-startdate",
            "-enddate",
        ]))
        .unwrap();
        let value = |prefix: &str| {
            out.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .unwrap()
                .to_string()
        };
        let cert = PlatformCertificate::new(std::fs::read(&path).unwrap()).unwrap();
        // openssl prints the serial in upper-case hex, without the DER sign byte.
        assert_eq!(cert.serial(), value("serial="), "{name}");
        assert_eq!(
            cert.not_before(),
            openssl_date(&value("notBefore=")),
            "{name}"
        );
        assert_eq!(
            cert.not_after(),
            openssl_date(&value("notAfter=")),
            "{name}"
        );
    }
}

#[test]
fn the_certificate_key_is_the_key_openssl_extracts() {
    // A signature by wechatpay_key.pem verifies under the key wxpay reads from the certificate
    // and under the key openssl extracts from it.
    let scratch = Scratch::new();
    let extracted = openssl_ok(&[
        "x509",
        "-in",
        fixture("platform_cert.pem").to_str().unwrap(),
        "-noout",
        "-pubkey",
    ]);
    assert_eq!(extracted, WECHATPAY_PUBLIC_KEY_PEM.as_bytes());
    let body = b"{}";
    let headers = signed_headers(PLATFORM_SERIAL, &NOW.to_string(), "n", body);
    let mut keys = wxpay_core::KeyStore::new();
    keys.add_certificate(PlatformCertificate::new(PLATFORM_CERT_PEM).unwrap());
    assert_eq!(verify::verify(&keys, &headers, body, NOW), Ok(()));
    let msg = scratch.write("m", &sign::response_message(&NOW.to_string(), "n", body));
    let sig = scratch.write(
        "s",
        &b64()
            .decode(headers["Wechatpay-Signature"].to_str().unwrap())
            .unwrap(),
    );
    let out = openssl(&[
        "dgst",
        "-sha256",
        "-verify",
        fixture("wechatpay_public_key.pem").to_str().unwrap(),
        "-signature",
        &sig,
        &msg,
    ]);
    assert_eq!(out.stdout, b"Verified OK\n");
}

#[test]
fn upload_file_digests_are_the_ones_openssl_dgst_prints() {
    let scratch = Scratch::new();
    // The empty file, the SM3 test vector of GB/T 32905 ("abc"), exactly one 64-byte block,
    // and a megabyte of every byte value, with a multipart boundary look-alike inside.
    let mut big: Vec<u8> = (0..1 << 20).map(|i: u32| (i * 7 % 256) as u8).collect();
    big[1000..1009].copy_from_slice(b"\r\n--xyz\r\n");
    let inputs: [&[u8]; 4] = [b"", b"abc", &[b'a'; 64], &big];
    for (n, bytes) in inputs.into_iter().enumerate() {
        let path = scratch.write(&format!("file{n}"), bytes);
        let file = File::new("x", bytes.to_vec());
        for (algorithm, ours) in [("-sha256", file.sha256_hex()), ("-sm3", file.sm3_hex())] {
            let out = String::from_utf8(openssl_ok(&["dgst", algorithm, "-r", &path])).unwrap();
            let theirs = out.split_whitespace().next().unwrap();
            assert_eq!(ours, theirs, "openssl dgst {algorithm} of input {n}");
        }
    }
    assert_eq!(
        File::new("abc", b"abc".to_vec()).sm3_hex(),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
}
