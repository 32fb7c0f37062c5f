//! `WARC-Block-Digest` and `WARC-Payload-Digest` values.
//!
//! WARC names no algorithm; the convention is `algorithm:value` with the
//! value in base 32 (RFC 4648). We write SHA-256 by default because
//! `warcio check` verifies any algorithm Python's `hashlib` knows and SHA-1
//! is no longer collision resistant — evidence deserves better. SHA-1 stays
//! available for consumers that only understand the historical `sha1:`
//! convention. When reading, digests other writers printed in base 16 or
//! base 64 are verified as well, as warcio does.

use std::fmt;

use data_encoding::{
    BASE32, BASE32_NOPAD, BASE64, BASE64_NOPAD, BASE64URL, BASE64URL_NOPAD, HEXLOWER_PERMISSIVE,
};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

/// A hash algorithm for record digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DigestAlgorithm {
    /// SHA-1, the historical default of web archives (`sha1:` + base 32).
    Sha1,
    /// SHA-256 (`sha256:` + base 32), our default.
    #[default]
    Sha256,
}

impl DigestAlgorithm {
    /// The label written before the colon (`sha1`, `sha256`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
        }
    }

    /// The algorithm a label names, case-insensitively; `sha-256` and
    /// `sha-1` (seen in the wild) are accepted too.
    pub fn from_label(label: &str) -> Option<Self> {
        match label.to_ascii_lowercase().as_str() {
            "sha1" | "sha-1" => Some(Self::Sha1),
            "sha256" | "sha-256" => Some(Self::Sha256),
            _ => None,
        }
    }

    /// Length of the digest in bytes.
    fn len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
        }
    }
}

/// An incremental hasher of one algorithm, so that blocks can be digested
/// while they stream by instead of being held in memory.
#[derive(Clone)]
pub struct Hasher(HasherState);

#[derive(Clone)]
enum HasherState {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            HasherState::Sha1(_) => "Hasher(sha1)",
            HasherState::Sha256(_) => "Hasher(sha256)",
        })
    }
}

impl Hasher {
    /// A fresh hasher.
    pub fn new(algorithm: DigestAlgorithm) -> Self {
        Self(match algorithm {
            DigestAlgorithm::Sha1 => HasherState::Sha1(Sha1::new()),
            DigestAlgorithm::Sha256 => HasherState::Sha256(Sha256::new()),
        })
    }

    /// Feeds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            HasherState::Sha1(h) => h.update(bytes),
            HasherState::Sha256(h) => h.update(bytes),
        }
    }

    /// The digest of everything fed.
    pub fn finish(self) -> WarcDigest {
        match self.0 {
            HasherState::Sha1(h) => WarcDigest {
                algorithm: DigestAlgorithm::Sha1,
                bytes: h.finalize().to_vec(),
            },
            HasherState::Sha256(h) => WarcDigest {
                algorithm: DigestAlgorithm::Sha256,
                bytes: h.finalize().to_vec(),
            },
        }
    }
}

/// A computed or declared digest; displays as `sha256:BASE32`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WarcDigest {
    /// The algorithm.
    pub algorithm: DigestAlgorithm,
    /// The raw digest bytes.
    pub bytes: Vec<u8>,
}

impl WarcDigest {
    /// The digest of `data` in one go.
    pub fn of(algorithm: DigestAlgorithm, data: &[u8]) -> Self {
        let mut h = Hasher::new(algorithm);
        h.update(data);
        h.finish()
    }

    /// Parses a header value such as `sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ`
    /// with the value in base 32, base 16 or base 64 (standard or URL-safe,
    /// padded or not). `None` when the algorithm is unknown or the value
    /// does not decode to a digest of the algorithm's length.
    pub fn parse(value: &str) -> Option<Self> {
        let (label, encoded) = value.trim().split_once(':')?;
        let algorithm = DigestAlgorithm::from_label(label)?;
        let bytes = decode_any(encoded.trim(), algorithm.len())?;
        Some(Self { algorithm, bytes })
    }
}

impl fmt::Display for WarcDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}",
            self.algorithm.label(),
            BASE32.encode(&self.bytes)
        )
    }
}

/// Decodes a digest value in whichever RFC 4648 encoding gives `len` bytes.
fn decode_any(encoded: &str, len: usize) -> Option<Vec<u8>> {
    let upper = encoded.to_ascii_uppercase();
    let tries: [(&data_encoding::Encoding, &str); 7] = [
        (&HEXLOWER_PERMISSIVE, encoded),
        (&BASE32, &upper),
        (&BASE32_NOPAD, &upper),
        (&BASE64, encoded),
        (&BASE64_NOPAD, encoded),
        (&BASE64URL, encoded),
        (&BASE64URL_NOPAD, encoded),
    ];
    tries
        .iter()
        .filter_map(|(enc, text)| enc.decode(text.as_bytes()).ok())
        .find(|bytes| bytes.len() == len)
}

/// The outcome of checking one declared digest against the bytes read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestCheck {
    /// The record declares no such digest.
    Absent,
    /// The declared digest matches the bytes.
    Verified,
    /// The declared digest does not match: the record was altered or
    /// written wrongly.
    Mismatch {
        /// As written in the record.
        declared: String,
        /// What the bytes hash to (same algorithm, base 32).
        computed: String,
    },
    /// The digest could not be checked: unknown algorithm or undecodable
    /// value. Not a proof of tampering, but not a verification either.
    Unverifiable {
        /// As written in the record.
        declared: String,
    },
    /// Not checked by design: the block of a `revisit` record or of a
    /// truncated record does not hold the bytes the digest was made of.
    NotApplicable,
}

impl DigestCheck {
    /// `true` unless the digest is present and proven wrong.
    pub fn is_ok(&self) -> bool {
        !matches!(self, Self::Mismatch { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sha1_of_empty_input_in_base32() {
        let d = WarcDigest::of(DigestAlgorithm::Sha1, b"");
        assert_eq!(d.to_string(), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn parses_base16_base32_and_base64_values_of_the_same_digest() {
        let d = WarcDigest::of(DigestAlgorithm::Sha256, b"abc");
        let hex = data_encoding::HEXLOWER.encode(&d.bytes);
        let b64 = BASE64.encode(&d.bytes);
        for text in [
            d.to_string(),
            format!("sha256:{hex}"),
            format!("SHA-256:{b64}"),
            format!("sha256:{}", BASE32.encode(&d.bytes).to_lowercase()),
        ] {
            assert_eq!(WarcDigest::parse(&text), Some(d.clone()), "{text}");
        }
        assert_eq!(WarcDigest::parse("md5:abc"), None);
        assert_eq!(WarcDigest::parse("sha1:tooshort"), None);
        assert_eq!(WarcDigest::parse("nocolon"), None);
    }
}
