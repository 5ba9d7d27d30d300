//! Every endpoint of the WeChat Pay APIv3 catalog (`shared/catalog/endpoints.json`), declared
//! with `#[wxpay_endpoint]`/`#[wxpay_model]` ([`generated`]), and what each must produce
//! ([`expect`]); `tests/catalog.rs` checks one against the other.
//!
//! Both modules are written by `cargo run -p xtask -- gen-catalog`.
#![allow(clippy::all, missing_docs)]

pub mod expect;
pub mod generated;

use wxpay::http::HeaderMap;
use wxpay::{Endpoint, Engine, Error, PreparedRequest, ResponseKind};

/// One endpoint: a sample request and where each of its fields must appear.
#[derive(Clone, Copy)]
pub struct Case {
    /// Position in the catalog.
    pub index: usize,
    /// `METHOD path`.
    pub id: &'static str,
    /// Module of the declaration in [`generated`].
    pub module: &'static str,
    pub title: &'static str,
    pub method: &'static str,
    pub path_template: &'static str,
    /// The host the request must go to.
    pub base_url: &'static str,
    /// `base_url = …` of the declaration.
    pub declared_base_url: Option<&'static str>,
    /// The expected path, percent-encoded, without the leading `/`.
    pub path: &'static str,
    /// Placeholder name and sample value (not encoded).
    pub path_params: &'static [(&'static str, &'static str)],
    /// Query pairs as the catalog places them, in declaration order.
    pub query: &'static [(&'static str, QV)],
    /// Request headers the endpoint adds.
    pub headers: &'static [(&'static str, &'static str)],
    pub body: BodyExpect,
    pub response: RespExpect,
    /// Errata of the catalog for this endpoint.
    pub warnings: &'static [&'static str],
    pub consts: fn() -> Consts,
    /// Prepares the sample request.
    pub prepare: fn(&Engine) -> Result<PreparedRequest, Error>,
    /// `Debug` of the sample request.
    pub debug: fn() -> String,
    /// The same sample built with `Name::builder()` (feature `builders`).
    pub built: Option<Built>,
}

/// The sample of a [`Case`] built with `Name::builder()` and the models' builders.
#[derive(Clone, Copy)]
pub struct Built {
    pub prepare: fn(&Engine) -> Result<PreparedRequest, Error>,
    pub debug: fn() -> String,
}

/// The expected value of a query pair.
#[derive(Clone, Copy)]
pub enum QV {
    /// This text (decoded).
    Plain(&'static str),
    /// Ciphertext that decrypts to this.
    Encrypted(&'static str),
    /// JSON text (`#[json_string]`).
    Json(JsonExpect),
}

/// Expected JSON: the tree with every `#[json_string]` value shown decoded and every
/// encrypted value shown as its plaintext.
#[derive(Clone, Copy)]
pub struct JsonExpect {
    pub json: &'static str,
    /// JSON pointers of string values holding JSON text, outermost first.
    pub json_strings: &'static [&'static str],
    /// JSON pointers (into the decoded tree) of encrypted values, with their plaintext.
    pub encrypted: &'static [(&'static str, &'static str)],
}

#[derive(Clone, Copy)]
pub enum BodyExpect {
    /// No body fields.
    Empty,
    Json(JsonExpect),
    /// A multipart upload: the meta (without the `filename`/`sha256` the runtime adds when not
    /// declared) and the file.
    Multipart {
        meta: JsonExpect,
        file_part: &'static str,
        filename: &'static str,
        bytes: &'static [u8],
    },
}

/// Reads a 2xx answer (verified, decrypted) as the endpoint declares it.
pub type ReadFn = fn(&Engine, &HeaderMap, &[u8]) -> Result<Decoded, Error>;

#[derive(Clone, Copy)]
pub enum RespExpect {
    /// No response type: a signed 204.
    Empty { read: ReadFn },
    /// `wxpay::Download`: unsigned bytes.
    Download { read: ReadFn },
    /// A JSON answer like `sample`.
    Json { sample: JsonExpect, read: ReadFn },
}

/// What a [`ReadFn`] decoded.
#[derive(Debug)]
pub enum Decoded {
    Empty,
    Bytes(Vec<u8>),
    /// The answer serialized back (encrypted fields under the WeChat Pay public key of the
    /// engine), and the value of each encrypted field read through the typed response.
    Json(serde_json::Value, Vec<String>),
}

/// The constants the macro implemented.
#[derive(Debug)]
pub struct Consts {
    pub method: &'static str,
    pub path: &'static str,
    pub base_url: Option<&'static str>,
    pub kind: ResponseKind,
}

pub fn consts<E: Endpoint>() -> Consts {
    Consts {
        method: E::METHOD.as_str(),
        path: E::PATH,
        base_url: E::BASE_URL,
        kind: E::RESPONSE_KIND,
    }
}

/// Reads a JSON answer, then serializes it back inside an encryption scope (so that its
/// `#[encrypted]` fields can be serialized at all).
pub fn read_json<E: Endpoint>(
    engine: &Engine,
    headers: &HeaderMap,
    body: &[u8],
    encrypted: impl Fn(&E::Response) -> Vec<String>,
) -> Result<Decoded, Error>
where
    E::Response: serde::Serialize,
{
    let response = engine.read_response::<E>(200, headers, body)?;
    let values = encrypted(&response);
    let encryptor = engine.key_store().encryptor(engine.now())?;
    let json = wxpay::__private::with_encryptor(encryptor, || {
        serde_json::to_value(&response).map_err(|e| Error::Encode(e.to_string()))
    })?;
    Ok(Decoded::Json(json, values))
}

/// Reads an empty answer (`response` omitted: `()`).
pub fn read_empty<E: Endpoint<Response = ()>>(
    engine: &Engine,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded, Error> {
    engine.read_response::<E>(204, headers, body)?;
    Ok(Decoded::Empty)
}

/// Reads a download (`response = wxpay::Download`).
pub fn read_download<E: Endpoint<Response = wxpay::Download>>(
    engine: &Engine,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded, Error> {
    let d = engine.read_response::<E>(200, headers, body)?;
    Ok(Decoded::Bytes(d.into_bytes()))
}
