//! Any endpoint of the catalog, chosen at run time by method and path (feature `dynamic`):
//! the typed request built from JSON, prepared (encrypted, signed), and its answer verified,
//! decrypted and given back as JSON. This is what the `wxpay` command does with
//! `wxpay call METHOD PATH`; a gateway that forwards documented calls can do the same.
//!
//! ```
//! # #[cfg(feature = "api-pay")] {
//! use wxpay_api::dynamic;
//! use wxpay_core::ResponseKind;
//!
//! let typed = dynamic::find("POST", "v3/pay/transactions/jsapi").unwrap();
//! assert_eq!(typed.entry().type_name, "wxpay::api::pay::PostPayTransactionsJsapi");
//! assert_eq!(typed.response_kind(), ResponseKind::Json);
//! // A concrete path finds its template.
//! let query = dynamic::find("GET", "v3/pay/transactions/id/4200000001").unwrap();
//! assert_eq!(query.entry().path, "v3/pay/transactions/id/{transaction_id}");
//! # }
//! ```

use serde::Serialize;
use serde_json::Value;
use wxpay_core::__private::with_plaintext;
use wxpay_core::{Download, Endpoint, Engine, Error, PreparedRequest, ResponseKind};

use crate::__rt::FromJson;
use crate::Entry;

type Check = fn(Value) -> Result<(), Error>;
type Prepare = fn(Value, &Engine, Option<&str>) -> Result<PreparedRequest, Error>;
type Read = fn(&Engine, u16, &http::HeaderMap, &[u8]) -> Result<Value, Error>;

/// The typed operations of one catalog endpoint whose group's feature is on.
#[derive(Clone, Copy)]
pub struct Typed {
    entry: &'static Entry,
    kind: ResponseKind,
    check: Check,
    prepare: Prepare,
    read: Read,
}

impl std::fmt::Debug for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typed")
            .field("entry", self.entry)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The endpoint of `METHOD PATH` (as [`crate::find`] matches it), if its group's feature is
/// on.
pub fn find(method: &str, path: &str) -> Option<Typed> {
    typed(crate::find(method, path)?)
}

/// The typed operations of `entry`, if its group's feature is on.
pub fn typed(entry: &'static Entry) -> Option<Typed> {
    crate::catalog::typed(entry)
}

impl Typed {
    /// An endpoint whose answer is JSON.
    #[doc(hidden)]
    pub fn json<E>(entry: &'static Entry) -> Self
    where
        E: Endpoint + FromJson,
        E::Response: Serialize,
    {
        Self::of::<E>(entry, |engine, status, headers, body| {
            let answer = engine.read_response::<E>(status, headers, body)?;
            with_plaintext(|| serde_json::to_value(&answer))
                .map_err(|e| Error::decode(format!("the answer as JSON: {e}")))
        })
    }

    /// An endpoint that answers with no body.
    #[doc(hidden)]
    pub fn empty<E: Endpoint<Response = ()> + FromJson>(entry: &'static Entry) -> Self {
        Self::of::<E>(entry, |engine, status, headers, body| {
            engine.read_response::<E>(status, headers, body)?;
            Ok(Value::Null)
        })
    }

    /// A download: the answer is bytes, given back as a JSON string of their base64.
    #[doc(hidden)]
    pub fn download<E: Endpoint<Response = Download> + FromJson>(entry: &'static Entry) -> Self {
        Self::of::<E>(entry, |engine, status, headers, body| {
            use base64::Engine as _;
            let file = engine.read_response::<E>(status, headers, body)?;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(file.bytes()),
            ))
        })
    }

    fn of<E: Endpoint + FromJson>(entry: &'static Entry, read: Read) -> Self {
        Typed {
            entry,
            kind: E::RESPONSE_KIND,
            check: check::<E>,
            prepare: prepare::<E>,
            read,
        }
    }

    /// The catalog entry.
    pub fn entry(&self) -> &'static Entry {
        self.entry
    }

    /// What the answer is: JSON, empty, or a download.
    pub fn response_kind(&self) -> ResponseKind {
        self.kind
    }

    /// Builds the request from `value` as [`Typed::prepare`] does, and only that: a missing
    /// required key, an unknown key or a value of the wrong type is an error naming the key,
    /// found with no key material and nothing sent.
    pub fn check(&self, value: Value) -> Result<(), Error> {
        (self.check)(value)
    }

    /// Builds the request from one JSON object keyed by the documented names (as the
    /// endpoint's `from_json`), then prepares it with `engine`: encrypted, signed, for
    /// `base_url` (or the endpoint's host).
    pub fn prepare(
        &self,
        value: Value,
        engine: &Engine,
        base_url: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        (self.prepare)(value, engine, base_url)
    }

    /// Reads an answer as [`Engine::read_response`] does (a non-2xx status is
    /// [`Error::Api`]; the signature verified, encrypted fields decrypted) and gives it back
    /// as JSON, decrypted fields in plaintext: `null` for an empty answer, a base64 string for
    /// a download.
    pub fn read(
        &self,
        engine: &Engine,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Value, Error> {
        (self.read)(engine, status, headers, body)
    }
}

fn check<E: Endpoint + FromJson>(value: Value) -> Result<(), Error> {
    E::from_json_at(value, "").map(drop)
}

fn prepare<E: Endpoint + FromJson>(
    value: Value,
    engine: &Engine,
    base_url: Option<&str>,
) -> Result<PreparedRequest, Error> {
    let request = E::from_json_at(value, "")?;
    engine.prepare(&request, base_url)
}
