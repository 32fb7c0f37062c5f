//! Cryptographic digests as fixed-size values.
//!
//! Evidence is identified by its SHA-256 and reported with MD5 as well because
//! Kazakh forensic practice (study section 5.3) asks for both. Keeping them as
//! byte arrays rather than strings means a digest can never be half-typed,
//! upper-cased in one place and lower-cased in another, or compared wrongly.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a hex digest string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestParseError {
    /// The string had the wrong number of hex digits for this algorithm.
    #[error("a {algorithm} digest has {expected} hex digits, got {actual}")]
    Length {
        /// Name of the digest algorithm.
        algorithm: &'static str,
        /// Hex digits expected.
        expected: usize,
        /// Characters found.
        actual: usize,
    },
    /// The string contained something other than hex digits.
    #[error("a {algorithm} digest may contain only hex digits 0-9 and a-f")]
    NotHex {
        /// Name of the digest algorithm.
        algorithm: &'static str,
    },
}

macro_rules! digest_type {
    ($(#[$meta:meta])* $name:ident, $len:expr, $algo:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; $len]);

        impl $name {
            /// Length of the digest in bytes.
            pub const LEN: usize = $len;

            /// Wraps raw digest bytes as produced by a hasher.
            pub const fn from_bytes(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }

            /// The raw digest bytes, for signing and comparison.
            pub const fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }

            /// Parses lower- or upper-case hex, as tools like `md5sum` print it.
            pub fn parse(text: &str) -> Result<Self, DigestParseError> {
                if text.len() != $len * 2 {
                    return Err(DigestParseError::Length {
                        algorithm: $algo,
                        expected: $len * 2,
                        actual: text.chars().count(),
                    });
                }
                let mut bytes = [0u8; $len];
                hex::decode_to_slice(text, &mut bytes)
                    .map_err(|_| DigestParseError::NotHex { algorithm: $algo })?;
                Ok(Self(bytes))
            }

            /// Lower-case hex, the one spelling used everywhere Qorgau writes a digest.
            pub fn to_hex(&self) -> String {
                hex::encode(self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.to_hex())
            }
        }

        impl FromStr for $name {
            type Err = DigestParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.to_hex())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

digest_type!(
    /// A SHA-256 digest: the address of every evidence blob and the link of the custody chain.
    Sha256Digest,
    32,
    "SHA-256"
);
digest_type!(
    /// An MD5 digest: recorded beside SHA-256 because courts and older tools still ask for it.
    Md5Digest,
    16,
    "MD5"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_wrong_length_and_non_hex() {
        assert!(matches!(
            Md5Digest::parse("abc"),
            Err(DigestParseError::Length { actual: 3, .. })
        ));
        let bad = "g".repeat(64);
        assert_eq!(
            Sha256Digest::parse(&bad),
            Err(DigestParseError::NotHex {
                algorithm: "SHA-256"
            })
        );
    }

    #[test]
    fn accepts_upper_case_and_prints_lower_case() {
        let d = Md5Digest::parse("D41D8CD98F00B204E9800998ECF8427E").unwrap();
        assert_eq!(d.to_string(), "d41d8cd98f00b204e9800998ecf8427e");
    }

    proptest! {
        #[test]
        fn hex_round_trips(bytes in proptest::array::uniform32(any::<u8>())) {
            let d = Sha256Digest::from_bytes(bytes);
            prop_assert_eq!(Sha256Digest::parse(&d.to_hex()).unwrap(), d);
            let json = serde_json::to_string(&d).unwrap();
            prop_assert_eq!(serde_json::from_str::<Sha256Digest>(&json).unwrap(), d);
        }

        #[test]
        fn parse_never_panics(text in ".{0,80}") {
            let _ = Sha256Digest::parse(&text);
            let _ = Md5Digest::parse(&text);
        }
    }
}
