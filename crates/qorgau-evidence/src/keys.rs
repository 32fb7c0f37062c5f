//! The installation's ledger key.
//!
//! Each installation signs its custody entries with one Ed25519 key, made on
//! first run. Keys travel as PEM in the standard PKCS#8 / SubjectPublicKeyInfo
//! forms so that an examiner can check a signature with OpenSSL alone, without
//! trusting Qorgau. The encoding of an Ed25519 key in those forms is a fixed
//! 12- or 16-byte prefix (RFC 8410), which is why it is written here by hand
//! rather than pulling in a full ASN.1 stack.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4).
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
/// DER prefix of an Ed25519 PKCS#8 private key (RFC 8410 section 7).
const PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not PEM with the expected label.
    #[error("not a PEM block labelled {0:?}")]
    NotPem(&'static str),
    /// PEM, but not an Ed25519 key in the expected DER form.
    #[error("not an Ed25519 key in {0} form")]
    NotEd25519(&'static str),
}

/// Short fingerprint naming a key in every ledger entry: the first 8 bytes of
/// SHA-256 over the raw public key, in hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(pub String);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A public key that verifies ledger signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.id())
    }
}

impl PublicKey {
    /// The key's fingerprint.
    pub fn id(&self) -> KeyId {
        let digest = Sha256::digest(self.0.as_bytes());
        KeyId(hex::encode(&digest[..8]))
    }

    /// Checks an Ed25519 signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let signature = Signature::from_bytes(signature);
        self.0.verify(message, &signature).is_ok()
    }

    /// SubjectPublicKeyInfo PEM, as `openssl pkey -pubin` reads it.
    pub fn to_pem(&self) -> String {
        let mut der = SPKI_PREFIX.to_vec();
        der.extend_from_slice(self.0.as_bytes());
        pem_encode("PUBLIC KEY", &der)
    }

    /// Reads a SubjectPublicKeyInfo PEM.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        let der = pem_decode(text, "PUBLIC KEY").ok_or(KeyError::NotPem("PUBLIC KEY"))?;
        let raw = der
            .strip_prefix(&SPKI_PREFIX[..])
            .and_then(|rest| <[u8; 32]>::try_from(rest).ok())
            .ok_or(KeyError::NotEd25519("SubjectPublicKeyInfo"))?;
        VerifyingKey::from_bytes(&raw)
            .map(Self)
            .map_err(|_| KeyError::NotEd25519("SubjectPublicKeyInfo"))
    }
}

/// The installation's signing key. Never printed, never logged.
pub struct LedgerKey(SigningKey);

impl fmt::Debug for LedgerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LedgerKey({})", self.public().id())
    }
}

impl LedgerKey {
    /// Makes a key from 32 bytes of OS randomness supplied by the caller
    /// (this crate does no I/O).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&seed))
    }

    /// The matching public key.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// PKCS#8 PEM, as `openssl pkey` reads it. Store it readable by its owner only.
    pub fn to_pem(&self) -> String {
        let mut der = PKCS8_PREFIX.to_vec();
        der.extend_from_slice(&self.0.to_bytes());
        pem_encode("PRIVATE KEY", &der)
    }

    /// Reads a PKCS#8 PEM.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        let der = pem_decode(text, "PRIVATE KEY").ok_or(KeyError::NotPem("PRIVATE KEY"))?;
        let seed = der
            .strip_prefix(&PKCS8_PREFIX[..])
            .and_then(|rest| <[u8; 32]>::try_from(rest).ok())
            .ok_or(KeyError::NotEd25519("PKCS#8"))?;
        Ok(Self::from_seed(seed))
    }
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = BASE64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn pem_decode(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    let body: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    BASE64.decode(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips_and_signatures_verify() {
        let key = LedgerKey::from_seed([7; 32]);
        let again = LedgerKey::from_pem(&key.to_pem()).unwrap();
        assert_eq!(again.public(), key.public());
        let public = PublicKey::from_pem(&key.public().to_pem()).unwrap();
        let sig = key.sign(b"entry");
        assert!(public.verify(b"entry", &sig));
        assert!(!public.verify(b"entrz", &sig));
        assert_eq!(public.id().0.len(), 16);
    }

    #[test]
    fn refuses_other_pem() {
        assert_eq!(
            PublicKey::from_pem("hello"),
            Err(KeyError::NotPem("PUBLIC KEY"))
        );
        let rsa_like = pem_encode("PUBLIC KEY", &[0x30, 0x03, 0x02, 0x01, 0x00]);
        assert_eq!(
            PublicKey::from_pem(&rsa_like),
            Err(KeyError::NotEd25519("SubjectPublicKeyInfo"))
        );
    }
}
