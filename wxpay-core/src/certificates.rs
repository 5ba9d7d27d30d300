//! The platform certificate download, `GET v3/certificates`.
//!
//! The answer carries the certificates encrypted with the APIv3 key. It is verified with the
//! certificates it carries (the first download has nothing else to trust) or with a key
//! already trusted. Merchants without platform certificates (public-key mode, every merchant
//! created since late 2024) get `404 RESOURCE_NOT_EXISTS`, which is not an error.

use http::HeaderMap;
use serde::Deserialize;

use crate::endpoint::{Download, Endpoint, RequestParts};
use crate::engine::{DEFAULT_BASE_URL, Engine, PreparedRequest, api_error};
use crate::error::{ConfigError, Error, VerifyError};
use crate::keys::PlatformCertificate;
use crate::keystore::KeyStore;
use crate::notify::EncryptedResource;
use crate::verify;

/// `GET v3/certificates`. Its answer is read by [`Engine::read_certificates`], not by the
/// ordinary answer path, because it must be verified with the keys it carries.
#[wxpay_macros::wxpay_endpoint(GET, "v3/certificates", response = Download, crate = crate)]
#[derive(Clone, Copy, Default)]
pub struct DownloadCertificates {}

#[derive(Deserialize)]
struct CertificatesBody {
    data: Vec<CertificateEntry>,
}

#[derive(Deserialize)]
struct CertificateEntry {
    serial_no: String,
    encrypt_certificate: EncryptedResource,
}

/// What a certificate download found.
#[derive(Debug, Clone)]
pub enum CertificateAnswer {
    /// The certificates WeChat Pay serves now.
    Certificates(Vec<PlatformCertificate>),
    /// `404 RESOURCE_NOT_EXISTS`: the merchant has no platform certificates (public-key mode).
    PublicKeyMode,
}

impl Engine {
    /// Reads the answer of [`DownloadCertificates`]: decrypts every certificate with the
    /// APIv3 key, checks each serial against the certificate itself, and verifies the answer
    /// with a trusted key or, failing that, with the certificate it names.
    pub fn read_certificates(
        &self,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<CertificateAnswer, Error> {
        if status == 404 {
            let err = api_error(status, headers, body);
            if err.api_code() == Some("RESOURCE_NOT_EXISTS") {
                return Ok(CertificateAnswer::PublicKeyMode);
            }
            return Err(err);
        }
        if !(200..300).contains(&status) {
            return Err(api_error(status, headers, body));
        }
        let apiv3_key = self.apiv3_key().ok_or(ConfigError::Missing(
            "apiv3_key (needed to decrypt downloaded certificates)",
        ))?;
        let parsed: CertificatesBody = serde_json::from_slice(body)
            .map_err(|e| Error::json_decode("the certificate download", &e))?;
        let mut certificates = Vec::with_capacity(parsed.data.len());
        for entry in parsed.data {
            let pem = entry.encrypt_certificate.decrypt(apiv3_key)?;
            let cert = PlatformCertificate::new(&pem)?;
            if !cert.serial().eq_ignore_ascii_case(&entry.serial_no) {
                return Err(Error::decode(format!(
                    "downloaded certificate {} claims serial {}",
                    cert.serial(),
                    entry.serial_no
                )));
            }
            certificates.push(cert);
        }
        // Trust what is already trusted; else the downloaded certificates themselves (the
        // answer is authenticated by the APIv3 key that encrypted them).
        let now = self.now();
        let trusted = self.key_store();
        match verify::verify(&trusted, headers, body, now) {
            Ok(()) => {}
            Err(VerifyError::UnknownSerial(_)) | Err(VerifyError::ExpiredCertificate(_)) => {
                let mut carried = KeyStore::new();
                for cert in &certificates {
                    carried.add_certificate(cert.clone());
                }
                verify::verify(&carried, headers, body, now)?;
            }
            Err(e) => return Err(e.into()),
        }
        Ok(CertificateAnswer::Certificates(certificates))
    }

    /// Installs downloaded certificates: the public key is kept, certificates that are still
    /// valid are kept (rotation overlap: an answer or a notification signed with the old
    /// certificate keeps verifying until it expires), the downloaded ones are added. Expired
    /// certificates, held or downloaded, are dropped.
    pub fn install_certificates(&self, certificates: Vec<PlatformCertificate>) {
        let now = self.now();
        let mut store = KeyStore::clone(&self.key_store());
        store.retain_certificates(|c| c.not_after() >= now);
        for cert in certificates.into_iter().filter(|c| c.not_after() >= now) {
            store.add_certificate(cert);
        }
        self.set_key_store(store);
    }

    /// The signed request of a certificate download. Unlike [`Engine::prepare`], it needs no
    /// WeChat Pay key: the first download of a client configured with `certificate_refresh`
    /// alone has none, and then sends no `Wechatpay-Serial`. `base_url` overrides the host.
    pub fn prepare_certificate_download(
        &self,
        base_url: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let serial = self
            .key_store()
            .encryptor(self.now())
            .map(|e| e.id().to_string())
            .unwrap_or_default();
        let mut parts = RequestParts::new();
        DownloadCertificates {}.write_request(&mut parts)?;
        self.sign_parts(
            DownloadCertificates::METHOD,
            base_url.unwrap_or(DEFAULT_BASE_URL),
            parts,
            &serial,
        )
    }
}
