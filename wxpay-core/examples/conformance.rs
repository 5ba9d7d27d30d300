//! Checks wxpay-core against the published vectors of the other WeChat Pay SDKs and the cases
//! derived from their test keys.
//!
//! ```text
//! cargo run -p wxpay-core --example conformance -- ../shared/vectors
//! ```
//!
//! Reads `vectors.json` and `derived_vectors.json` in the given directory (the key and
//! certificate files they name are read from there too; none is copied into this repository)
//! and prints one line per vector, `PASS name`, `FAIL name: reason` or `SKIP name: reason`,
//! then `N passed, M failed, K skipped`. Exits 1 when a vector fails, 2 on a usage error.
//!
//! SKIP is only used for vectors outside what wxpay implements by design, and each SKIP first
//! checks that wxpay refuses the input cleanly (a typed error, no panic); a vector that wxpay
//! wrongly accepts is a FAIL:
//! - 16-byte APIv3 keys (AES-128-GCM): WeChat Pay's APIv3 key is 32 bytes and the algorithm
//!   is `AEAD_AES_256_GCM`; wxpay rejects other lengths with `InvalidApiV3Key`. Decrypting
//!   those vectors with an AES-128 primitive would test the `aes-gcm` crate, not wxpay, and
//!   the same layout (UTF-8 nonce, AAD, tag appended, base64) is covered by the AES-256 vectors.
//! - 16-byte GCM IVs (axios' generic helper): WeChat Pay nonces are 12 bytes.
//! - PKCS#1 v1.5 decryption (a few overseas APIs): deliberately not offered.
//! - APIv2 MD5/HMAC signatures: not APIv3.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use wxpay_core::{
    ApiV3Key, ConfigError, EncryptedResource, Engine, Error, File, FixedClock, KeyStore,
    MerchantKey, PlatformCertificate, RequestParts, RsaPublicKey, VerifyError, WechatPayPublicKey,
    aead, sign, verify,
};

/// What one check concluded, when it did not fail.
enum Outcome {
    Pass,
    Skip(String),
}

type Check = Result<Outcome, String>;

struct Report {
    passed: usize,
    failed: usize,
    skipped: usize,
}

impl Report {
    fn record(&mut self, name: &str, run: impl FnOnce() -> Check) {
        let outcome = catch_unwind(AssertUnwindSafe(run))
            .unwrap_or_else(|_| Err("panicked (see the message above)".to_string()));
        match outcome {
            Ok(Outcome::Pass) => {
                self.passed += 1;
                println!("PASS {name}");
            }
            Ok(Outcome::Skip(reason)) => {
                self.skipped += 1;
                println!("SKIP {name}: {reason}");
            }
            Err(reason) => {
                self.failed += 1;
                println!("FAIL {name}: {reason}");
            }
        }
    }
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: conformance VECTORS_DIR   (e.g. ../shared/vectors)");
        return ExitCode::from(2);
    };
    let load = |name: &str| -> Result<Value, String> {
        let path = dir.join(name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let (published, derived) = match (load("vectors.json"), load("derived_vectors.json")) {
        (Ok(p), Ok(d)) => (p, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("cannot read the vectors: {e}");
            return ExitCode::from(2);
        }
    };
    let v = Vectors { dir: dir.clone() };
    let mut report = Report {
        passed: 0,
        failed: 0,
        skipped: 0,
    };

    let Some(published) = published.as_object() else {
        eprintln!("vectors.json is not an object");
        return ExitCode::from(2);
    };
    for (name, vector) in published {
        v.published(&mut report, name, vector);
    }
    let cases = derived["cases"].as_array().cloned().unwrap_or_default();
    if cases.is_empty() {
        report.record("derived_vectors.json", || Err("no cases".into()));
    }
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("(unnamed)").to_string();
        report.record(&format!("derived/{name}"), || v.derived(case));
    }

    println!(
        "{} passed, {} failed, {} skipped",
        report.passed, report.failed, report.skipped
    );
    if report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

struct Vectors {
    dir: PathBuf,
}

/// Fails the check with `message` unless `cond`.
fn ensure(cond: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if cond { Ok(()) } else { Err(message()) }
}

fn eq<T: PartialEq + std::fmt::Debug>(what: &str, got: T, expected: T) -> Result<(), String> {
    ensure(got == expected, || {
        format!("{what}: got {got:?}, expected {expected:?}")
    })
}

fn s<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v[key]
        .as_str()
        .ok_or_else(|| format!("vector has no string field {key:?}"))
}

fn err(e: Error) -> String {
    format!("wxpay error: {e}")
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

impl Vectors {
    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        let path: &Path = &self.dir.join(relative);
        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn merchant_key(&self, serial: &str, file: &str) -> Result<MerchantKey, String> {
        MerchantKey::new(serial, self.read(file)?).map_err(err)
    }

    fn published(&self, report: &mut Report, name: &str, v: &Value) {
        match name {
            "go_sha256withrsa" => report.record(name, || {
                let key = self.merchant_key("60", s(v, "private_key_file")?)?;
                let signature = key.sign(s(v, "message")?.as_bytes()).map_err(err)?;
                eq("signature", signature.as_str(), s(v, "expected_signature_b64")?)?;
                Ok(Outcome::Pass)
            }),
            "go_aes_gcm_utils" => report.record(name, || aes128_skip(s(v, "key_utf8")?)),
            "go_notification" => {
                report.record(&format!("{name}/signature"), || self.go_notification(v));
                report.record(&format!("{name}/resource"), || {
                    aes128_skip(s(v, "apiv3_key_utf8")?)
                });
            }
            "go_authorization_format_mock" => report.record(name, || self.go_mock(v)),
            "java_config" => report.record(name, || self.java_config(v)),
            "java_download_certificate_response" => {
                report.record(name, || self.java_download_certificates(v))
            }
            "java_aes_256_gcm" => report.record(name, || {
                let key = ApiV3Key::new(s(v, "key_utf8")?).map_err(err)?;
                let (nonce, aad) = (s(v, "nonce_utf8")?, s(v, "associated_data_utf8")?);
                let plain = aead::decrypt(&key, nonce, aad, s(v, "ciphertext_b64")?).map_err(err)?;
                eq("plaintext", plain.as_slice(), s(v, "plaintext")?.as_bytes())?;
                let cipher = aead::encrypt(&key, nonce, aad, s(v, "plaintext")?.as_bytes())
                    .map_err(err)?;
                eq("ciphertext", cipher.as_str(), s(v, "ciphertext_b64")?)?;
                Ok(Outcome::Pass)
            }),
            "java_rsa_oaep_decrypt" => report.record(name, || {
                let key = self.merchant_key("1A7A", s(v, "private_key_file")?)?;
                let plain = key.decrypt(s(v, "ciphertext_b64")?).map_err(err)?;
                eq("plaintext", plain.as_str(), s(v, "plaintext")?)?;
                Ok(Outcome::Pass)
            }),
            "java_rsa_pkcs1v15_decrypt" => report.record(name, || {
                let key = self.merchant_key("1A7A", s(v, "private_key_file")?)?;
                match key.decrypt(s(v, "ciphertext_b64")?) {
                    Err(Error::Decode { .. }) => Ok(Outcome::Skip(
                        "PKCS#1 v1.5 decryption is deliberately not offered (overseas APIs only); \
                         confirmed: MerchantKey::decrypt refuses it with Error::Decode"
                            .into(),
                    )),
                    other => Err(format!("a PKCS#1 v1.5 ciphertext was not refused: {other:?}")),
                }
            }),
            "java_sha256withrsa" => report.record(name, || self.java_sha256withrsa(v)),
            "java_sha" => {
                report.record(&format!("{name}/sha256"), || {
                    let file = File::new("message", s(v, "message")?.as_bytes().to_vec());
                    eq("sha256", file.sha256_hex().as_str(), s(v, "sha256_hex")?)?;
                    Ok(Outcome::Pass)
                });
                // SHA-1 is the bills' `hash_type`: checked through the bill digest.
                report.record(&format!("{name}/sha1"), || {
                    let message = s(v, "message")?.as_bytes();
                    let expected = s(v, "sha1_hex")?;
                    eq("sha1", wxpay_core::bill::sha1_hex(message).as_str(), expected)?;
                    let mut digest = wxpay_core::bill::BillDigest::new("SHA1", expected).map_err(err)?;
                    digest.update(message);
                    digest.finish().map_err(|e| e.to_string())?;
                    let mut other = wxpay_core::bill::BillDigest::new("SHA1", expected).map_err(err)?;
                    other.update(b"another message");
                    ensure(other.finish().is_err(), || "another message matched".into())?;
                    Ok(Outcome::Pass)
                });
            }
            "axios_aes_gcm_16byte_iv" => report.record(name, || {
                let key = ApiV3Key::new(s(v, "key_utf8")?).map_err(err)?;
                let iv = s(v, "iv_utf8")?;
                let cases = v["cases"].as_array().ok_or("no cases")?;
                for case in cases {
                    match aead::decrypt(&key, iv, s(case, "aad")?, s(case, "ciphertext_b64")?) {
                        Err(Error::Decode { message: reason, .. })
                            if reason == format!("AES-GCM nonce must be {} bytes, got {}", 12, iv.len()) => {}
                        other => return Err(format!("a {}-byte IV was not refused: {other:?}", iv.len())),
                    }
                }
                Ok(Outcome::Skip(format!(
                    "{}-byte GCM IV; WeChat Pay nonces are 12 bytes; confirmed: aead::decrypt refuses it \
                     (\"AES-GCM nonce must be 12 bytes, got {}\")",
                    iv.len(),
                    iv.len()
                )))
            }),
            "axios_formatter" => {
                for (key, expected) in v.as_object().into_iter().flatten() {
                    if key == "source" {
                        continue;
                    }
                    let expected = expected.as_str().unwrap_or_default().to_string();
                    report.record(&format!("{name}/{key}"), || axios_formatter(key, &expected));
                }
            }
            "axios_hash_apiv2" => report.record(name, || {
                Ok(Outcome::Skip(
                    "APIv2 (MD5 / HMAC-SHA256 over k=v&key=…) is not part of APIv3".into(),
                ))
            }),
            _ => report.record(name, || Err("no check for this vector".into())),
        }
    }

    fn go_notification(&self, v: &Value) -> Check {
        let now = v["now_unix"].as_i64().ok_or("no now_unix")?;
        let cert = PlatformCertificate::new(self.read(s(v, "platform_certificate_file")?)?)
            .map_err(err)?;
        let headers = header_map(&v["headers"])?;
        eq(
            "certificate serial",
            cert.serial(),
            headers["Wechatpay-Serial"].to_str().unwrap_or_default(),
        )?;
        // Through an engine frozen at the vector's time, as a notification is verified.
        let engine = Engine::builder()
            .mchid("1234567890")
            .merchant_key("60", self.read("go/test_private_key_pkcs8.pem")?)
            .platform_certificate(cert.to_pem())
            .clock(FixedClock(now))
            .build(false)
            .map_err(err)?;
        let body = s(v, "body")?.as_bytes();
        eq("verification", engine.verify(&headers, body), Ok(()))?;
        // The window: 301 s later it is stale.
        let mut keys = KeyStore::new();
        keys.add_certificate(cert);
        eq(
            "verification 301 s later",
            verify::verify(&keys, &headers, body, now + 301),
            Err(VerifyError::StaleTimestamp { skew: 301 }),
        )?;
        Ok(Outcome::Pass)
    }

    fn go_mock(&self, v: &Value) -> Check {
        let expected = go_string_expression(s(v, "raw_go_expression")?)?;
        // `WECHATPAY2-Mock mchid="…",…,signature="Sign:<message>"`
        let (prefix, signature) = expected
            .split_once("signature=\"")
            .ok_or("no signature field")?;
        let mock_message = signature
            .strip_prefix("Sign:")
            .and_then(|m| m.strip_suffix('"'))
            .ok_or("signature is not \"Sign:<message>\"")?;
        let field = |name: &str| -> Result<String, String> {
            let start = prefix
                .find(&format!("{name}=\""))
                .ok_or(format!("no {name}"))?
                + name.len()
                + 2;
            let end = prefix[start..].find('"').ok_or("unterminated")? + start;
            Ok(prefix[start..end].to_string())
        };
        let (mchid, nonce, serial) = (field("mchid")?, field("nonce_str")?, field("serial_no")?);
        let timestamp: i64 = field("timestamp")?.parse().map_err(|_| "bad timestamp")?;
        // The message the mock signed is the one wxpay signs.
        let message = sign::request_message("GET", "/v3/certificates", timestamp, &nonce, b"");
        eq(
            "signed message",
            mock_message.as_bytes(),
            message.as_slice(),
        )?;
        // The header is the same text, with the real scheme and a real signature.
        let key = self.merchant_key(&serial, "go/test_private_key_pkcs8.pem")?;
        let ours = sign::authorization(
            &mchid,
            &key,
            "GET",
            "/v3/certificates",
            timestamp,
            &nonce,
            b"",
        )
        .map_err(err)?;
        let expected_prefix = prefix.replacen("WECHATPAY2-Mock", sign::SCHEME, 1);
        let our_signature = ours
            .strip_prefix(&expected_prefix)
            .and_then(|rest| rest.strip_prefix("signature=\""))
            .and_then(|rest| rest.strip_suffix('"'))
            .ok_or_else(|| {
                format!("layout differs: {ours:?} vs {expected_prefix:?}signature=\"…\"")
            })?;
        ensure(key.public_key().verify(&message, our_signature), || {
            "our signature does not verify".into()
        })?;
        Ok(Outcome::Pass)
    }

    fn java_config(&self, v: &Value) -> Check {
        let files: Vec<&str> = v["files"]
            .as_array()
            .ok_or("no files")?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let find = |suffix: &str| -> Result<&str, String> {
            files
                .iter()
                .copied()
                .find(|f| f.ends_with(suffix))
                .ok_or(format!("no {suffix}"))
        };
        let serial = s(v, "merchant_certificate_serial")?;
        let merchant = self.merchant_key(serial, find("merchant_private_key.pem")?)?;
        let merchant_cert =
            PlatformCertificate::new(self.read(find("merchant_certificate.pem")?)?).map_err(err)?;
        eq(
            "merchant certificate serial",
            merchant_cert.serial(),
            serial,
        )?;
        let platform = PlatformCertificate::new(self.read(find("wechat_pay_certificate.pem")?)?)
            .map_err(err)?;
        eq(
            "platform certificate serial",
            platform.serial(),
            s(v, "wechat_pay_certificate_serial")?,
        )?;
        let public = WechatPayPublicKey::new(
            "PUB_KEY_ID_0114232134912410000000000000",
            self.read(find("wechat_pay_public_key.pem")?)?,
        )
        .map_err(err)?;
        // The WeChat Pay private key signs what the public key and the certificate verify.
        let wechatpay = self.merchant_key("7E57C0DE", find("wechat_pay_private_key.pem")?)?;
        let signature = wechatpay.sign(b"probe").map_err(err)?;
        ensure(public.verify(b"probe", &signature), || {
            "wechat_pay_public_key does not verify wechat_pay_private_key".into()
        })?;
        let engine = Engine::builder()
            .mchid(s(v, "merchant_id")?)
            .merchant_key(serial, self.read(find("merchant_private_key.pem")?)?)
            .wechatpay_public_key(public.id(), self.read(find("wechat_pay_public_key.pem")?)?)
            .platform_certificate(platform.to_pem())
            .apiv3_key(s(v, "api_v3_key_utf8")?)
            .clock(FixedClock(1_730_771_719))
            .build(false)
            .map_err(err)?;
        eq(
            "engine serial",
            engine.merchant_key().serial(),
            merchant.serial(),
        )?;
        Ok(Outcome::Pass)
    }

    fn java_download_certificates(&self, v: &Value) -> Check {
        let key = ApiV3Key::new(s(v, "api_v3_key_utf8")?).map_err(err)?;
        let data = v["response_json"]["data"].as_array().ok_or("no data")?;
        ensure(!data.is_empty(), || "empty data".into())?;
        for entry in data {
            let resource: EncryptedResource =
                serde_json::from_value(entry["encrypt_certificate"].clone())
                    .map_err(|e| format!("encrypt_certificate: {e}"))?;
            let pem = resource.decrypt(&key).map_err(err)?;
            let cert = PlatformCertificate::new(&pem).map_err(err)?;
            eq("serial", cert.serial(), s(v, "expected_serial")?)?;
            eq("serial_no", cert.serial(), s(entry, "serial_no")?)?;
            eq(
                "effective_time",
                cert.not_before(),
                rfc3339(s(entry, "effective_time")?)?,
            )?;
            eq(
                "expire_time",
                cert.not_after(),
                rfc3339(s(entry, "expire_time")?)?,
            )?;
            // The same certificate as the published decryption.
            let published = PlatformCertificate::new(
                self.read("java/downloaded_platform_certificate.decrypted.pem")?,
            )
            .map_err(err)?;
            eq("certificate", cert.to_pem(), published.to_pem())?;
        }
        Ok(Outcome::Pass)
    }

    fn java_sha256withrsa(&self, v: &Value) -> Check {
        let key = self.merchant_key("1A7A", s(v, "private_key_file")?)?;
        let message = s(v, "message")?.as_bytes();
        let signature = key.sign(message).map_err(err)?;
        eq(
            "signature",
            signature.as_str(),
            s(v, "expected_signature_b64")?,
        )?;
        // Verifies with the merchant certificate's key…
        let cert_key = certificate_public_key(&self.read(s(v, "certificate_file")?)?)?;
        ensure(cert_key.verify(message, &signature), || {
            "does not verify with the merchant certificate".into()
        })?;
        // …and not with the WeChat Pay public key.
        let wechatpay = WechatPayPublicKey::new(
            "PUB_KEY_ID_0114232134912410000000000000",
            self.read("java/wechat_pay_public_key.pem")?,
        )
        .map_err(err)?;
        ensure(!wechatpay.verify(message, &signature), || {
            "verifies with the WeChat Pay public key".into()
        })?;
        Ok(Outcome::Pass)
    }

    fn derived(&self, case: &Value) -> Check {
        match s(case, "kind")? {
            "request_signature" => self.derived_request(case),
            "response_or_notification_verification" => self.derived_verification(case),
            "negative" => self.derived_negative(case),
            "client_pay_sign" => self.derived_pay_sign(case),
            other => Err(format!("no check for kind {other:?}")),
        }
    }

    fn derived_request(&self, c: &Value) -> Check {
        let key = self.merchant_key(s(c, "serial_no")?, s(c, "merchant_private_key")?)?;
        let timestamp: i64 = s(c, "timestamp")?.parse().map_err(|_| "bad timestamp")?;
        let (method, url, nonce) = (s(c, "method")?, s(c, "canonical_url")?, s(c, "nonce_str")?);
        let mut body = s(c, "body")?.as_bytes().to_vec();
        if s(c, "name")? == "media_upload_signs_meta_only" {
            // The meta as wxpay writes it for an upload whose struct declares both fields.
            let meta: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
            let mut parts = RequestParts::new();
            let file = File::new(s(&meta, "filename")?, b"\xff\xd8\xff".to_vec());
            parts.set_multipart(&meta, &file).map_err(err)?;
            eq(
                "multipart meta",
                parts.body().signed_bytes(),
                body.as_slice(),
            )?;
            body = parts.body().signed_bytes().to_vec();
        }
        let message = sign::request_message(method, url, timestamp, nonce, &body);
        eq(
            "sign_message",
            message.as_slice(),
            s(c, "sign_message")?.as_bytes(),
        )?;
        eq(
            "signature",
            key.sign(&message).map_err(err)?.as_str(),
            s(c, "signature")?,
        )?;
        let authorization =
            sign::authorization(s(c, "mchid")?, &key, method, url, timestamp, nonce, &body)
                .map_err(err)?;
        eq(
            "Authorization",
            authorization.as_str(),
            s(c, "authorization")?,
        )?;
        Ok(Outcome::Pass)
    }

    /// An engine frozen at the case's timestamp that trusts the case's key.
    fn engine_for(&self, c: &Value, headers: &HeaderMap) -> Result<Engine, String> {
        let timestamp: i64 = headers["Wechatpay-Timestamp"]
            .to_str()
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or("bad Wechatpay-Timestamp")?;
        let serial = headers["Wechatpay-Serial"]
            .to_str()
            .map_err(|e| e.to_string())?;
        let mut builder = Engine::builder()
            .mchid("1234567891")
            .merchant_key(
                "5F1C72E2A8931B72A2E13AF8DEE92471EB397115",
                self.read("java/merchant_private_key.pem")?,
            )
            .clock(FixedClock(timestamp));
        let verify_with = c["verify_with"]
            .as_str()
            .unwrap_or("java/wechat_pay_public_key.pem");
        let key_file = self.read(verify_with)?;
        builder = if verify_with.contains("certificate") {
            builder.platform_certificate(key_file)
        } else {
            builder.wechatpay_public_key(serial, key_file)
        };
        if let Some(apiv3) = c["apiv3_key_utf8"].as_str() {
            builder = builder.apiv3_key(apiv3);
        }
        builder.build(false).map_err(err)
    }

    fn derived_verification(&self, c: &Value) -> Check {
        let headers = header_map(&c["headers"])?;
        let body = s(c, "body")?.as_bytes();
        let message = sign::response_message(
            headers["Wechatpay-Timestamp"].to_str().unwrap_or_default(),
            headers["Wechatpay-Nonce"].to_str().unwrap_or_default(),
            body,
        );
        eq(
            "verify_message",
            message.as_slice(),
            s(c, "verify_message")?.as_bytes(),
        )?;
        let engine = self.engine_for(c, &headers)?;
        eq("verification", engine.verify(&headers, body), Ok(()))?;
        // One changed byte of the body fails.
        let mut tampered = body.to_vec();
        tampered.push(b' ');
        eq(
            "verification of a changed body",
            engine.verify(&headers, &tampered),
            Err(VerifyError::BadSignature),
        )?;
        if let Some(expected) = c["expected_resource_plaintext"].as_str() {
            let note = engine
                .parse_notification::<Value>(&headers, body)
                .map_err(err)?;
            let expected_json: Value = serde_json::from_str(expected).map_err(|e| e.to_string())?;
            eq("resource", &note.resource, &expected_json)?;
            // Byte for byte, too.
            let raw: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
            let resource: EncryptedResource =
                serde_json::from_value(raw["resource"].clone()).map_err(|e| e.to_string())?;
            let key = engine.apiv3_key().ok_or("no APIv3 key")?;
            let plain = resource.decrypt(key).map_err(err)?;
            eq("plaintext", plain.as_slice(), expected.as_bytes())?;
        }
        Ok(Outcome::Pass)
    }

    fn derived_negative(&self, c: &Value) -> Check {
        let headers = header_map(&c["headers"])?;
        let body = s(c, "body")?.as_bytes();
        let engine = self.engine_for(c, &headers)?;
        let probe = headers["Wechatpay-Signature"]
            .to_str()
            .unwrap_or_default()
            .starts_with("WECHATPAY/SIGNTEST/");
        match (probe, engine.verify(&headers, body)) {
            (true, Err(VerifyError::SignTestProbe)) | (false, Err(_)) => Ok(Outcome::Pass),
            (_, other) => Err(format!("expected the verification to fail, got {other:?}")),
        }
    }

    fn derived_pay_sign(&self, c: &Value) -> Check {
        let key_file = s(c, "merchant_private_key")?;
        let engine = Engine::builder()
            .mchid(c["partnerid"].as_str().unwrap_or("1234567891"))
            .merchant_key(
                "5F1C72E2A8931B72A2E13AF8DEE92471EB397115",
                self.read(key_file)?,
            )
            .wechatpay_public_key(
                "PUB_KEY_ID_0114232134912410000000000000",
                self.read("java/wechat_pay_public_key.pem")?,
            )
            .build(false)
            .map_err(err)?;
        if c.get("paySign").is_some() {
            let package = s(c, "package")?;
            let prepay_id = package
                .strip_prefix("prepay_id=")
                .ok_or("package is not prepay_id=…")?;
            let timestamp: i64 = s(c, "timeStamp")?.parse().map_err(|_| "bad timeStamp")?;
            let params = engine
                .jsapi_pay_params_with(s(c, "appId")?, prepay_id, timestamp, s(c, "nonceStr")?)
                .map_err(err)?;
            eq("package", params.package.as_str(), package)?;
            eq("signType", params.sign_type.as_str(), s(c, "signType")?)?;
            eq("timeStamp", params.time_stamp.as_str(), s(c, "timeStamp")?)?;
            eq("paySign", params.pay_sign.as_str(), s(c, "paySign")?)?;
            let message = format!(
                "{}\n{}\n{}\n{}\n",
                params.app_id, params.time_stamp, params.nonce_str, params.package
            );
            eq("sign_message", message.as_str(), s(c, "sign_message")?)?;
        } else {
            let timestamp: i64 = s(c, "timestamp")?.parse().map_err(|_| "bad timestamp")?;
            let params = engine
                .app_pay_params_with(
                    s(c, "appid")?,
                    s(c, "partnerid")?,
                    s(c, "prepayid")?,
                    timestamp,
                    s(c, "noncestr")?,
                )
                .map_err(err)?;
            eq("package", params.package.as_str(), s(c, "package")?)?;
            eq("partnerid", params.partnerid.as_str(), s(c, "partnerid")?)?;
            eq("sign", params.sign.as_str(), s(c, "sign")?)?;
            let message = format!(
                "{}\n{}\n{}\n{}\n",
                params.appid, params.timestamp, params.noncestr, params.prepayid
            );
            eq("sign_message", message.as_str(), s(c, "sign_message")?)?;
        }
        Ok(Outcome::Pass)
    }
}

/// A vector with a 16-byte APIv3 key: AES-128-GCM, outside wxpay's AEAD_AES_256_GCM.
fn aes128_skip(key: &str) -> Check {
    match ApiV3Key::new(key) {
        Err(Error::Config(ConfigError::InvalidApiV3Key(n))) if n == key.len() => {
            Ok(Outcome::Skip(format!(
                "the APIv3 key {key:?} is {n} bytes, so the upstream SDK ran AES-128-GCM; wxpay \
                 requires the 32-byte key of AEAD_AES_256_GCM by design; confirmed: ApiV3Key::new \
                 refuses it with InvalidApiV3Key({n})"
            )))
        }
        Err(e) => Err(format!(
            "unexpected error for a {}-byte key: {e:?}",
            key.len()
        )),
        Ok(_) => Err(format!("a {}-byte APIv3 key was accepted", key.len())),
    }
}

fn axios_formatter(key: &str, expected: &str) -> Check {
    let args: Vec<&str> = key
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .ok_or("unreadable formula")?
        .split(',')
        .collect();
    let number =
        |i: usize| -> Result<i64, String> { args[i].parse().map_err(|_| "bad number".to_string()) };
    if key.starts_with("request(") {
        let body = args.get(4).copied().unwrap_or("");
        let message = sign::request_message(args[0], args[1], number(2)?, args[3], body.as_bytes());
        eq("message", message.as_slice(), expected.as_bytes())?;
    } else if key.starts_with("response(") {
        let body = args.get(2).copied().unwrap_or("");
        let message = sign::response_message(args[0], args[1], body.as_bytes());
        eq("message", message.as_slice(), expected.as_bytes())?;
    } else if key.starts_with("authorization(") {
        // axios' authorization(mchid, nonce, signature, timestamp, serial). The field order
        // differs from wxpay's and does not matter; the scheme, names, quoting and separators do.
        let (mchid, nonce, timestamp, serial) = (args[0], args[1], number(3)?, args[4]);
        let key = MerchantKey::new(serial, include_test_key()).map_err(err)?;
        let ours =
            sign::authorization(mchid, &key, "GET", "/", timestamp, nonce, b"").map_err(err)?;
        let parse = |header: &str| -> Result<(String, BTreeMap<String, String>), String> {
            let (scheme, rest) = header.split_once(' ').ok_or("no scheme")?;
            let mut fields = BTreeMap::new();
            for kv in rest.split(',') {
                let (k, v) = kv.split_once('=').ok_or("no =")?;
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .ok_or("unquoted value")?;
                fields.insert(k.to_string(), v.to_string());
            }
            Ok((scheme.to_string(), fields))
        };
        let (scheme, mut fields) = parse(&ours)?;
        let (expected_scheme, expected_fields) = parse(expected)?;
        eq("scheme", scheme, expected_scheme)?;
        // Their signature is the placeholder "3".
        fields.insert("signature".into(), args[2].to_string());
        eq("fields", fields, expected_fields)?;
    } else {
        return Err("no check for this formula".into());
    }
    Ok(Outcome::Pass)
}

/// Any RSA-2048 key will do where only the layout is compared: this crate's own fixture.
fn include_test_key() -> &'static str {
    include_str!("../tests/fixtures/merchant_key.pem")
}

/// Concatenates a Go expression of string literals: `` `raw` + "interpreted\n" ``.
fn go_string_expression(expr: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() || c == '+' => {}
            '`' => loop {
                match chars.next() {
                    Some('`') => break,
                    Some(c) => out.push(c),
                    None => return Err("unterminated raw string".into()),
                }
            },
            '"' => loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('"') => out.push('"'),
                        Some('\\') => out.push('\\'),
                        other => return Err(format!("unsupported escape {other:?}")),
                    },
                    Some(c) => out.push(c),
                    None => return Err("unterminated string".into()),
                }
            },
            other => return Err(format!("unexpected {other:?} in the Go expression")),
        }
    }
    Ok(out)
}

fn header_map(v: &Value) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in v.as_object().ok_or("headers is not an object")? {
        map.insert(
            HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?,
            HeaderValue::from_str(value.as_str().ok_or("header value is not a string")?)
                .map_err(|e| e.to_string())?,
        );
    }
    Ok(map)
}

/// The RSA key of a PEM certificate, as a [`RsaPublicKey`].
fn certificate_public_key(pem: &[u8]) -> Result<RsaPublicKey, String> {
    use x509_cert::der::{Decode, Encode};
    let text = std::str::from_utf8(pem).map_err(|e| e.to_string())?;
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    let der = b64().decode(body.trim()).map_err(|e| e.to_string())?;
    let cert = x509_cert::Certificate::from_der(&der).map_err(|e| e.to_string())?;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| e.to_string())?;
    RsaPublicKey::new(spki).map_err(err)
}

/// `2023-09-19T23:15:58+08:00` to Unix seconds.
fn rfc3339(text: &str) -> Result<i64, String> {
    let bad = || format!("not RFC 3339: {text:?}");
    let num = |range: std::ops::Range<usize>| -> Result<i64, String> {
        text.get(range).and_then(|t| t.parse().ok()).ok_or_else(bad)
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let offset = match text.get(19..) {
        Some("Z") => 0,
        Some(tz) if tz.len() == 6 => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            sign * (num(20..22)? * 3600 + num(23..25)? * 60)
        }
        _ => return Err(bad()),
    };
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Ok(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}
