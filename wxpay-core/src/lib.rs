//! The WeChat Pay APIv3 protocol engine of [wxpay](https://docs.rs/wxpay), without HTTP.
//!
//! - [`keys`]: the merchant key, the WeChat Pay public key, platform certificates and the
//!   APIv3 key, as distinct types; [`KeyStore`] holds the WeChat Pay keys by serial.
//! - [`sign`] and [`verify`]: request signatures and answer/notification verification.
//! - [`aead`]: AES-256-GCM of notifications and the certificate download.
//! - [`bill`]: trade and fund-flow bill queries, the digest check of the file, a CSV parser.
//! - [`Engine`]: prepares declared [`Endpoint`]s (signed, `#[encrypted]` fields encrypted),
//!   reads answers (verified, decrypted) and notifications.
//!
//! Most users depend on `wxpay`, which re-exports all of this.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod aead;
mod backend;
pub mod bill;
pub mod certificates;
pub mod clock;
pub mod endpoint;
pub mod engine;
pub mod error;
pub mod keys;
pub mod keystore;
pub mod notify;
pub mod paysign;
pub mod sign;
pub mod verify;

#[doc(hidden)]
pub mod private;
/// What the DSL's generated code names (`crate = crate` in this crate's own declarations).
#[doc(hidden)]
pub use private as __private;

/// The RSA backend of this build and its raw primitives, for benchmarks (not a public API).
#[doc(hidden)]
pub use backend::{backend_name, raw as backend_raw};

pub use bill::{Bill, BillAnswer, FundFlowBill, TradeBill};
pub use certificates::{CertificateAnswer, DownloadCertificates};
pub use clock::{Clock, FixedClock, SystemClock};
pub use endpoint::{Body, Download, Endpoint, File, Method, RequestParts, ResponseKind};
pub use engine::{DEFAULT_BASE_URL, Engine, EngineBuilder, PreparedRequest, USER_AGENT, api_error};
pub use error::{ConfigError, Error, TransportError, VerifyError};
pub use keys::{ApiV3Key, MerchantKey, PlatformCertificate, RsaPublicKey, WechatPayPublicKey};
pub use keystore::{FieldEncryptor, KeyStore};
pub use notify::{EncryptedResource, Notification};
pub use paysign::{AppPayParams, JsapiPayParams};
