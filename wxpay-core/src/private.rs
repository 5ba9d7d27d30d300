//! Runtime support for the code that `#[wxpay_endpoint]` and `#[wxpay_model]` generate.
//! Not a public API: reached as `::wxpay::__private`, it changes with the macros.
//!
//! # How `#[encrypted]` meets serde
//!
//! An `#[encrypted]` field is serialized through [`encrypted::serialize`], which encrypts with
//! the key installed for the current thread by [`with_encryptor`], and deserialized through
//! [`encrypted::deserialize`], which decrypts with the merchant key installed by
//! [`with_decryptor`]. The client installs one key snapshot, serializes the whole request
//! synchronously, and removes it; nothing crosses an `.await`.
//!
//! This composes through serde by itself, at any depth: nested models, `Option`, `Vec`, `Box`,
//! maps, the user's own types, `#[json_string]` text (serialized inside the same scope). The
//! other design (a generated pass that encrypts fields before serializing) would need a trait
//! impl on every field type, which user types cannot have without opting in.
//!
//! Without a scope the helpers fail: a declared type can never be serialized to plaintext by
//! accident (`serde_json::to_string(&request)` is an error, not a leak).

use std::cell::RefCell;
use std::sync::Arc;

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;
use crate::keys::MerchantKey;
use crate::keystore::FieldEncryptor;

pub use crate::endpoint::{
    Body, Download, Endpoint, File, Method, RequestParts, ResponseKind, declares_own_file_fields,
};
pub use crate::error::Error as WxpayError;
pub use serde;
pub use serde_json;

thread_local! {
    /// Set by [`with_plaintext`]: without an encryptor, `#[encrypted]` fields serialize as
    /// their plaintext instead of failing.
    static REVEAL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static ENCRYPTOR: Slot<FieldEncryptor> = const { RefCell::new(None) };
    static DECRYPTOR: Slot<Arc<MerchantKey>> = const { RefCell::new(None) };
}

struct Scope<K> {
    key: K,
    /// The first error met inside the scope, reported with its own type once serde returns.
    error: Option<Error>,
}

/// Message of the serde error when no key is installed: the plaintext is never emitted.
pub const NO_ENCRYPTOR: &str = "an #[encrypted] field can only be serialized by the wxpay client (Client::prepare or Client::send), which encrypts it; refusing to emit plaintext";
/// Message of the serde error when an encrypted answer field is read without the merchant key.
pub const NO_DECRYPTOR: &str =
    "an #[encrypted] field can only be deserialized by the wxpay client, which decrypts it";

type Slot<K> = RefCell<Option<Scope<K>>>;

/// Puts the previous scope back when dropped, so that a panic inside `f` (in a user type's
/// `Serialize` or `Deserialize`, caught by a runtime whose worker thread lives on) cannot leave
/// a key installed for code that runs later on the thread.
struct Restore<K: 'static> {
    slot: &'static std::thread::LocalKey<Slot<K>>,
    previous: Option<Option<Scope<K>>>,
}

impl<K: 'static> Restore<K> {
    /// Restores the previous scope now and returns the one `f` ran in.
    fn finish(mut self) -> Option<Scope<K>> {
        let previous = self.previous.take().flatten();
        self.slot
            .with(|slot| std::mem::replace(&mut *slot.borrow_mut(), previous))
    }
}

impl<K: 'static> Drop for Restore<K> {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            // `try_with`: during thread teardown the slot may be gone; nothing to restore.
            let _ = self.slot.try_with(|slot| {
                if let Ok(mut slot) = slot.try_borrow_mut() {
                    *slot = previous;
                }
            });
        }
    }
}

/// Runs `f` with `key` installed in `slot`; the previous scope comes back afterwards, also
/// when `f` panics. A typed error met inside takes precedence over what `f` returns.
fn with_scope<K: 'static, R>(
    slot: &'static std::thread::LocalKey<Slot<K>>,
    key: K,
    f: impl FnOnce() -> Result<R, Error>,
) -> Result<R, Error> {
    let previous = slot.with(|s| s.borrow_mut().replace(Scope { key, error: None }));
    let guard = Restore {
        slot,
        previous: Some(previous),
    };
    let result = f();
    match guard.finish().and_then(|s| s.error) {
        Some(err) => Err(err),
        None => result,
    }
}

/// Runs `f` with `encryptor` installed for `#[encrypted]` fields on this thread. A typed error
/// met inside (a value too long for OAEP) takes precedence over what `f` returns. The previous
/// scope is restored when `f` returns or panics.
pub fn with_encryptor<R>(
    encryptor: FieldEncryptor,
    f: impl FnOnce() -> Result<R, Error>,
) -> Result<R, Error> {
    with_scope(&ENCRYPTOR, encryptor, f)
}

/// Runs `f` with the merchant key installed for decrypting `#[encrypted]` answer fields; the
/// previous scope is restored when `f` returns or panics.
pub fn with_decryptor<R>(
    key: Arc<MerchantKey>,
    f: impl FnOnce() -> Result<R, Error>,
) -> Result<R, Error> {
    with_scope(&DECRYPTOR, key, f)
}

/// Runs `f` with `#[encrypted]` fields serialized as their plaintext: to show a decrypted
/// answer as JSON (`wxpay::api::dynamic`, the `wxpay` command). The client never calls it on
/// a request; an encryptor installed inside `f` still encrypts. The previous state comes
/// back when `f` returns or panics.
pub fn with_plaintext<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            let _ = REVEAL.try_with(|r| r.set(self.0));
        }
    }
    let _reset = Reset(REVEAL.with(|r| r.replace(true)));
    f()
}

fn revealing() -> bool {
    REVEAL.try_with(std::cell::Cell::get).unwrap_or(false)
}

/// Encrypts with the current scope's key; an error when there is none.
/// An empty `plain` is returned as it is (see `encrypt_in_scope`).
pub(crate) fn with_current_encryptor(
    plain: &str,
    f: impl FnOnce(&FieldEncryptor, &str) -> Result<String, Error>,
) -> Result<String, Error> {
    ENCRYPTOR.with(|slot| match slot.borrow().as_ref() {
        Some(_) if plain.is_empty() => Ok(String::new()),
        Some(scope) => f(&scope.key, plain),
        None if revealing() => Ok(plain.to_string()),
        None => Err(Error::Encode(NO_ENCRYPTOR.to_string())),
    })
}

fn encrypt_in_scope(plain: &str) -> Result<String, &'static str> {
    ENCRYPTOR.with(|slot| {
        let mut slot = slot.borrow_mut();
        let Some(scope) = slot.as_mut() else {
            return if revealing() {
                Ok(plain.to_string())
            } else {
                Err(NO_ENCRYPTOR)
            };
        };
        // An empty value is sent as it is: there is nothing to protect, and WeChat Pay reads
        // "" as an absent optional value (a ciphertext of "" would not be).
        if plain.is_empty() {
            return Ok(String::new());
        }
        scope.key.encrypt(plain).map_err(|e| {
            scope.error.get_or_insert(e);
            "encrypting an #[encrypted] field failed"
        })
    })
}

fn decrypt_in_scope(cipher: &str) -> Result<String, &'static str> {
    DECRYPTOR.with(|slot| {
        let mut slot = slot.borrow_mut();
        let scope = slot.as_mut().ok_or(NO_DECRYPTOR)?;
        // An empty answer field is read as "" (it cannot be a ciphertext).
        if cipher.is_empty() {
            return Ok(String::new());
        }
        scope.key.decrypt(cipher).map_err(|e| {
            scope.error.get_or_insert(e);
            "decrypting an #[encrypted] field failed"
        })
    })
}

/// The types an `#[encrypted]` field may have: `String` and `Option<String>`.
pub trait EncryptedField: Sized {
    /// The plaintext to encrypt; `None` is left out.
    fn plaintext(&self) -> Option<&str>;
    /// Reads the ciphertext and decrypts it.
    fn deserialize_decrypted<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

impl EncryptedField for String {
    fn plaintext(&self) -> Option<&str> {
        Some(self)
    }
    fn deserialize_decrypted<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let cipher = String::deserialize(d)?;
        decrypt_in_scope(&cipher).map_err(D::Error::custom)
    }
}

impl EncryptedField for Option<String> {
    fn plaintext(&self) -> Option<&str> {
        self.as_deref()
    }
    fn deserialize_decrypted<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(cipher) => decrypt_in_scope(&cipher)
                .map(Some)
                .map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}

/// serde `with` module for `#[encrypted]` fields.
pub mod encrypted {
    use super::*;

    /// Serializes the field as base64 RSA-OAEP ciphertext under the scope's key.
    pub fn serialize<T: EncryptedField, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value.plaintext() {
            Some(plain) => {
                let cipher = encrypt_in_scope(plain).map_err(S::Error::custom)?;
                serializer.serialize_str(&cipher)
            }
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes the field from ciphertext, decrypting with the merchant key.
    pub fn deserialize<'de, T: EncryptedField, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize_decrypted(deserializer)
    }
}

/// serde `with` module for `#[json_string]` fields: the value travels as a string holding its
/// JSON text.
pub mod json_string {
    use super::*;

    /// Serializes `value` to JSON text, then that text as a string.
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(S::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads a string and parses the JSON text it holds.
    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text).map_err(|e| {
            D::Error::custom(crate::error::describe_json_error(
                "a #[json_string] field",
                &e,
            ))
        })
    }

    /// The same for `Option<T>` fields.
    pub mod option {
        use super::*;

        /// Serializes `Some` as JSON text, `None` as nothing.
        pub fn serialize<T: Serialize, S: Serializer>(
            value: &Option<T>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::serialize(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads an optional string of JSON text.
        pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<T>, D::Error> {
            match Option::<String>::deserialize(deserializer)? {
                Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
                    D::Error::custom(crate::error::describe_json_error(
                        "a #[json_string] field",
                        &e,
                    ))
                }),
                None => Ok(None),
            }
        }
    }
}

/// Decodes a JSON answer (inside the decryption scope).
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::json_decode("the answer", &e))
}

/// Accepts any answer body (`response` omitted or `()`).
pub fn decode_empty(_body: &[u8]) -> Result<(), Error> {
    Ok(())
}

/// Wraps the bytes of a download.
pub fn decode_download(body: &[u8]) -> Result<Download, Error> {
    Ok(Download::new(body.to_vec()))
}

/// What `Debug` prints for an `#[encrypted]` field.
pub const REDACTED: &str = "***";

/// A `Debug` stand-in printing `"***"`.
pub struct RedactedDebug;

impl std::fmt::Debug for RedactedDebug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

/// Serde `skip_serializing_if` helper for `Option` fields.
pub fn is_none<T>(value: &Option<T>) -> bool {
    value.is_none()
}

/// Builder state of a required field that has not been set yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

/// Builder state of a required field that holds its value.
#[derive(Debug, Clone)]
pub struct Set<T>(pub T);

/// Takes the value out of a set builder field. The generated per-field traits (whose
/// `on_unimplemented` message names the missing field) have it as their supertrait, so that a
/// missing field is reported once, by name.
pub trait IsSet<T> {
    /// The value.
    fn into_value(self) -> T;
}

impl<T> IsSet<T> for Set<T> {
    fn into_value(self) -> T {
        self.0
    }
}

/// What the compact `Deserialize` of a `#[wxpay_model(response)]` calls: one line per field
/// instead of serde's derive (a field enum, its visitor, a sequence visitor and a map visitor),
/// which is most of the code the ready-made API compiles. It reads a map only (answers are
/// JSON objects); unknown keys are skipped, a repeated key is an error, as with the derive.
pub mod de {
    use std::borrow::Cow;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
    use serde::{Deserialize, Deserializer};

    use super::EncryptedField;

    /// A map key, borrowed from the input when it can be.
    pub struct Key<'de>(Cow<'de, str>);

    impl Key<'_> {
        /// The key's text.
        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct KeyVisitor;
            impl<'de> Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Borrowed(v)))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(v.to_owned())))
                }
                fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(v)))
                }
            }
            d.deserialize_identifier(KeyVisitor)
        }
    }

    /// Reads the value of field `name` into `slot`; an error if it was already read.
    pub fn put<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
        slot: &mut Option<T>,
        name: &'static str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }

    /// [`put`] for an `#[encrypted]` field: reads the ciphertext and decrypts it.
    pub fn put_decrypted<'de, T: EncryptedField, A: MapAccess<'de>>(
        slot: &mut Option<T>,
        name: &'static str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        struct Decrypted<T>(T);
        impl<'de, T: EncryptedField> Deserialize<'de> for Decrypted<T> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                T::deserialize_decrypted(d).map(Decrypted)
            }
        }
        let mut inner: Option<Decrypted<T>> = slot.take().map(Decrypted);
        let result = put(&mut inner, name, map);
        *slot = inner.map(|d| d.0);
        result
    }

    /// [`put`] for a `#[json_string]` field: reads a string holding JSON text.
    pub fn put_json_string<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        slot: &mut Option<T>,
        name: &'static str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        struct Text<T>(T);
        impl<'de, T: DeserializeOwned> Deserialize<'de> for Text<T> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::json_string::deserialize(d).map(Text)
            }
        }
        let mut inner: Option<Text<T>> = slot.take().map(Text);
        let result = put(&mut inner, name, map);
        *slot = inner.map(|t| t.0);
        result
    }

    /// [`put`] for an optional `#[json_string]` field.
    pub fn put_json_string_opt<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        slot: &mut Option<Option<T>>,
        name: &'static str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        struct Text<T>(Option<T>);
        impl<'de, T: DeserializeOwned> Deserialize<'de> for Text<T> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::json_string::option::deserialize(d).map(Text)
            }
        }
        let mut inner: Option<Text<T>> = slot.take().map(Text);
        let result = put(&mut inner, name, map);
        *slot = inner.map(|t| t.0);
        result
    }

    /// Skips the value of a key the struct does not declare.
    pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(|_| ())
    }

    /// The value of a required field, or serde's "missing field" error.
    pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(name))
    }

    /// A struct read from a map by generated code (the compact `Deserialize`).
    pub trait FromMap: Sized {
        /// What serde's errors say was expected: `struct Name`.
        const EXPECTING: &'static str;
        /// Reads the struct's fields from `map`.
        fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    }

    /// `Deserialize::deserialize` of a [`FromMap`] struct.
    pub fn deserialize<'de, T: FromMap, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        struct MapVisitor<T>(PhantomData<fn() -> T>);
        impl<'de, T: FromMap> Visitor<'de> for MapVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::from_map(map)
            }
        }
        d.deserialize_map(MapVisitor(PhantomData))
    }
}
