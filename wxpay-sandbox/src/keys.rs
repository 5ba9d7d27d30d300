//! What one sandbox's merchant and WeChat Pay hold: the keys, fixed at start (platform
//! certificates may rotate), and which of them the merchant uses ([`KeyMode`]).

use std::sync::Arc;

use wxpay_core::{ApiV3Key, Error, MerchantKey, PlatformCertificate, RsaPublicKey};

use crate::keygen::{KeyPair, random_digits, random_serial};

/// Which WeChat Pay keys the sandbox's merchant has, as WeChat Pay sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum KeyMode {
    /// A merchant in migration (the default): the WeChat Pay public key and the platform
    /// certificates are both valid. Answers are signed with the key named by the request's
    /// `Wechatpay-Serial` when it is one of them, else with the public key;
    /// `GET v3/certificates` serves the certificates.
    #[default]
    Both,
    /// A merchant created since late 2024: only the public key. `GET v3/certificates`
    /// answers `404 RESOURCE_NOT_EXISTS`; a platform certificate serial is an unknown serial.
    PublicKeyOnly,
    /// A merchant of the old mode: only platform certificates. Answers are signed with the
    /// newest certificate (or the one the request names); the public key id is unknown.
    CertificatesOnly,
}

/// The WeChat Pay public key: its id, and the private half that signs and decrypts.
pub(crate) struct WechatKey {
    pub(crate) id: String,
    pub(crate) key: Arc<MerchantKey>,
    pub(crate) public_pem: String,
    pub(crate) public: RsaPublicKey,
}

/// A platform certificate and its private key.
pub(crate) struct PlatformCert {
    pub(crate) serial: String,
    pub(crate) key: Arc<MerchantKey>,
    pub(crate) pem: String,
    pub(crate) public: RsaPublicKey,
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
}

/// How long the platform certificates the sandbox issues are valid.
pub(crate) const PLATFORM_LIFETIME: std::time::Duration =
    std::time::Duration::from_secs(5 * 365 * 24 * 3600);

/// The subject of the sandbox's platform certificates.
const PLATFORM_SUBJECT: &str =
    "CN=Tenpay.com Root CA sandbox platform,OU=Tenpay.com CA Center,O=Tenpay.com,C=CN";

impl PlatformCert {
    /// A new key pair and a certificate for it, valid for five years.
    pub(crate) fn generate() -> Result<Self, Error> {
        let pair = KeyPair::generate()?;
        let serial = random_serial();
        let pem = pair.certificate(&serial, PLATFORM_SUBJECT, 5)?;
        Self::from_parts(pair, serial, pem)
    }

    /// A new key pair and a certificate for it, valid from a minute ago until `lifetime`
    /// from now.
    pub(crate) fn generate_valid_for(lifetime: std::time::Duration) -> Result<Self, Error> {
        let pair = KeyPair::generate()?;
        let serial = random_serial();
        let now = std::time::SystemTime::now();
        let pem = pair.certificate_valid(
            &serial,
            PLATFORM_SUBJECT,
            now - std::time::Duration::from_secs(60),
            now + lifetime,
        )?;
        Self::from_parts(pair, serial, pem)
    }

    fn from_parts(pair: KeyPair, serial: String, pem: String) -> Result<Self, Error> {
        let parsed = PlatformCertificate::new(&pem)?;
        debug_assert_eq!(parsed.serial(), serial);
        Ok(Self {
            key: Arc::new(pair.signer(&serial)?),
            public: RsaPublicKey::new(&pair.public_pem)?,
            serial,
            not_before: parsed.not_before(),
            not_after: parsed.not_after(),
            pem,
        })
    }
}

/// The merchant and WeChat Pay identities, fixed for the sandbox's life.
pub(crate) struct Identity {
    pub(crate) mchid: String,
    pub(crate) merchant_serial: String,
    pub(crate) merchant_private_pem: String,
    pub(crate) merchant_public_pem: String,
    pub(crate) merchant_cert_pem: String,
    pub(crate) merchant_public: RsaPublicKey,
    pub(crate) wechatpay: WechatKey,
    pub(crate) apiv3_key: String,
    pub(crate) apiv3: ApiV3Key,
}

impl Identity {
    /// Fresh keys for everything; the three RSA key pairs are generated in parallel.
    pub(crate) fn generate(mchid: Option<String>) -> Result<(Identity, PlatformCert), Error> {
        let mchid = mchid.unwrap_or_else(|| format!("19{}", random_digits(8)));
        let (merchant, wechatpay, platform) = std::thread::scope(|scope| {
            let merchant = scope.spawn(|| -> Result<_, Error> {
                let pair = KeyPair::generate()?;
                let serial = random_serial();
                let subject = format!(
                    "CN=wxpay-sandbox merchant,OU={mchid},O=WeChat Pay merchant system,L=Shenzhen,ST=Guangdong,C=CN"
                );
                let cert = pair.certificate(&serial, &subject, 5)?;
                Ok((pair, serial, cert))
            });
            let wechatpay = scope.spawn(KeyPair::generate);
            let platform = PlatformCert::generate();
            (
                merchant.join().unwrap_or_else(|_| Err(panicked())),
                wechatpay.join().unwrap_or_else(|_| Err(panicked())),
                platform,
            )
        });
        let (merchant, merchant_serial, merchant_cert_pem) = merchant?;
        let wechatpay = wechatpay?;
        let platform = platform?;
        let wechatpay_id = format!("PUB_KEY_ID_01{mchid}{}", random_digits(16));
        let apiv3_key = wxpay_core::sign::nonce()?;
        Ok((
            Identity {
                merchant_public: RsaPublicKey::new(&merchant.public_pem)?,
                merchant_private_pem: merchant.private_pem.clone(),
                merchant_public_pem: merchant.public_pem.clone(),
                merchant_cert_pem,
                merchant_serial,
                wechatpay: WechatKey {
                    // Signs only: a signing key's serial is never sent (the id in
                    // `Wechatpay-Serial` is `id`), and a key id is not a certificate serial.
                    key: Arc::new(wechatpay.signer("0")?),
                    public: RsaPublicKey::new(&wechatpay.public_pem)?,
                    public_pem: wechatpay.public_pem.clone(),
                    id: wechatpay_id,
                },
                apiv3: ApiV3Key::new(apiv3_key.as_bytes())?,
                apiv3_key,
                mchid,
            },
            platform,
        ))
    }
}

fn panicked() -> Error {
    Error::Encode("key generation panicked".into())
}

/// One WeChat Pay key as used for one answer: its serial or id, and the private key.
#[derive(Clone)]
pub(crate) struct KeyRef {
    pub(crate) serial: String,
    pub(crate) key: Arc<MerchantKey>,
}
