//! Ready-made declarations of WeChat Pay's documented types.
//!
//! So far: [`notify`], the decrypted resources of payment and refund notifications (features
//! `api-pay` and `api-refund`, or `api` for every group).
//!
//! Values WeChat Pay documents as a closed list (a trade state, a refund status) are Rust
//! enums that keep any value they do not know in an `Other(String)` variant, print and parse
//! as the documented string, and (de)serialize as it: WeChat Pay adds values, and an answer it
//! really sends never fails to parse because the docs were incomplete.

#[cfg(any(feature = "api-pay", feature = "api-refund"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "api-pay", feature = "api-refund"))))]
pub mod notify;

/// Declares a string enum that keeps unknown values (`Other(String)`), with `Display`,
/// `FromStr`, `as_str`, serde as the documented string.
#[cfg(any(feature = "api-pay", feature = "api-refund"))]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $text, "`")] $variant, )+
            /// A value these docs do not list, kept as sent.
            Other(String),
        }

        impl $name {
            /// The documented string (or the unknown value as it was sent).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(s) => s,
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $text => $name::$variant, )+
                    other => $name::Other(other.to_string()),
                })
            }
        }

        impl ::core::default::Default for $name {
            /// An empty unknown value (what an absent field reads as).
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(s.parse().unwrap_or_else(|never: ::core::convert::Infallible| match never {}))
            }
        }
    };
}

#[cfg(any(feature = "api-pay", feature = "api-refund"))]
pub(crate) use string_enum;
