//! `string_enum!`: the enums of documented string values, which keep unknown ones.

/// Declares a string enum that keeps unknown values (`Other(String)`), with `Display`,
/// `FromStr`, `From<&str>`, `as_str`, serde as the documented string.
#[allow(unused_macros)]
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
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                Ok(match s {
                    $( $text => $name::$variant, )+
                    other => $name::Other(other.to_string()),
                })
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                s.parse().unwrap_or_else(|never: ::core::convert::Infallible| match never {})
            }
        }

        impl ::core::default::Default for $name {
            /// An empty unknown value (what an absent field reads as).
            fn default() -> Self {
                $name::Other(::std::string::String::new())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let s = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(s.as_str()))
            }
        }

        impl crate::__rt::FromJson for $name {
            fn from_json_at(value: ::serde_json::Value, at: &str) -> ::core::result::Result<Self, ::wxpay_core::Error> {
                let s = <::std::string::String as crate::__rt::FromJson>::from_json_at(value, at)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

pub(crate) use string_enum;
