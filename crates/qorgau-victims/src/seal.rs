//! Sealing bytes with XChaCha20-Poly1305, bound to one victim record.
//!
//! Ciphertext format, version 1 (all lengths in bytes):
//!
//! | offset | length | field |
//! |---|---|---|
//! | 0 | 4 | magic `QVPD` ("Qorgau victim personal data") |
//! | 4 | 1 | format version, `1` |
//! | 5 | 16 | key id (UUID bytes) |
//! | 21 | 24 | nonce, random per sealing |
//! | 45 | n + 16 | XChaCha20-Poly1305 ciphertext and tag |
//!
//! The associated data is `qorgau-victims/personal-data/v1`, then the 45
//! header bytes, then the 16 bytes of the record id. So a changed header, a
//! changed byte of ciphertext, a different key, or a ciphertext copied into
//! another record all fail authentication, and no plaintext is returned.
//! Random 192-bit nonces make nonce reuse negligible without a counter.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::keys::{KeyId, KeyRing, VictimKey};

/// First four bytes of every sealed value.
pub const MAGIC: [u8; 4] = *b"QVPD";
/// The format version this code writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// Nonce length of XChaCha20-Poly1305.
pub const NONCE_LEN: usize = 24;
/// Header length: magic, version, key id, nonce.
pub const HEADER_LEN: usize = 4 + 1 + 16 + NONCE_LEN;
/// Authentication tag length.
pub const TAG_LEN: usize = 16;
/// Domain separation prefix of the associated data.
const AAD_CONTEXT: &[u8] = b"qorgau-victims/personal-data/v1";

/// Why a value could not be sealed or opened. Authentication failures are
/// one error on purpose: telling a wrong key from tampering from a moved
/// ciphertext would help an attacker and would not help an operator, who
/// must treat all three the same way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// Shorter than a header and a tag.
    #[error("sealed value too short ({0} bytes)")]
    TooShort(usize),
    /// Not a sealed value of this crate.
    #[error("not a sealed victim value (bad magic)")]
    BadMagic,
    /// A format version this code cannot read.
    #[error("unsupported sealed format version {0}")]
    UnsupportedVersion(u8),
    /// Sealed with a key that is not in the key ring.
    #[error("sealed with key {0}, which is not in the key ring")]
    UnknownKey(KeyId),
    /// Authentication failed.
    #[error(
        "authentication failed: wrong key, altered ciphertext, or ciphertext belonging to another record"
    )]
    Authentication,
    /// Encryption failed (a message beyond the cipher's limits).
    #[error("encryption failed")]
    Encrypt,
    /// The operating system gave no randomness for the nonce.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    /// The decrypted bytes are not the expected structure (a bug or a
    /// version mismatch, since authentication passed).
    #[error("decrypted data does not decode: {0}")]
    Decode(String),
    /// The structure could not be encoded.
    #[error("data does not encode: {0}")]
    Encode(String),
}

/// The readable part of a sealed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Format version.
    pub version: u8,
    /// The key that sealed it.
    pub key_id: KeyId,
    /// The nonce.
    pub nonce: [u8; NONCE_LEN],
}

impl Header {
    fn to_bytes(self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        let mut parts = MAGIC
            .iter()
            .chain(std::iter::once(&self.version))
            .chain(self.key_id.as_bytes().iter())
            .chain(self.nonce.iter());
        for b in &mut out {
            if let Some(v) = parts.next() {
                *b = *v;
            }
        }
        out
    }
}

/// Reads the header of a sealed value without a key: which key sealed it,
/// so a rotation job can tell what is still to re-seal. Never panics.
pub fn read_header(sealed: &[u8]) -> Result<Header, SealError> {
    if sealed.len() < HEADER_LEN + TAG_LEN {
        return Err(SealError::TooShort(sealed.len()));
    }
    let (magic, rest) = sealed.split_at(4);
    if magic != MAGIC {
        return Err(SealError::BadMagic);
    }
    let (version, rest) = rest.split_at(1);
    let version = version.first().copied().unwrap_or(0);
    if version != FORMAT_VERSION {
        return Err(SealError::UnsupportedVersion(version));
    }
    let (key_id, rest) = rest.split_at(16);
    let (nonce, _) = rest.split_at(NONCE_LEN);
    let key_id: [u8; 16] = key_id.try_into().map_err(|_| SealError::TooShort(0))?;
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::TooShort(0))?;
    Ok(Header {
        version,
        key_id: KeyId::from_bytes(key_id),
        nonce,
    })
}

fn aad(header: &[u8; HEADER_LEN], record_id: Uuid) -> Vec<u8> {
    let mut a = Vec::with_capacity(AAD_CONTEXT.len() + HEADER_LEN + 16);
    a.extend_from_slice(AAD_CONTEXT);
    a.extend_from_slice(header);
    a.extend_from_slice(record_id.as_bytes());
    a
}

fn cipher(key: &VictimKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&Key::from(*key.secret()))
}

/// Seals bytes for one record with a key, under a fresh random nonce.
pub fn seal(key: &VictimKey, record_id: Uuid, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| SealError::Random(e.to_string()))?;
    let header = Header {
        version: FORMAT_VERSION,
        key_id: key.id(),
        nonce,
    }
    .to_bytes();
    let aad = aad(&header, record_id);
    let body = cipher(key)
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .map_err(|_| SealError::Encrypt)?;
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&body);
    Ok(out)
}

/// Opens a sealed value of one record with the key its header names. The
/// plaintext is wiped from memory when dropped. Never panics on any input.
pub fn open(
    keys: &KeyRing,
    record_id: Uuid,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let header = read_header(sealed)?;
    let key = keys
        .get(header.key_id)
        .ok_or(SealError::UnknownKey(header.key_id))?;
    let (head, body) = sealed.split_at(HEADER_LEN);
    let head: [u8; HEADER_LEN] = head.try_into().map_err(|_| SealError::TooShort(0))?;
    let aad = aad(&head, record_id);
    cipher(key)
        .decrypt(
            &XNonce::from(header.nonce),
            Payload {
                msg: body,
                aad: &aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| SealError::Authentication)
}

/// What a rotation did to one sealed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// Already sealed with the current key; nothing to store.
    AlreadyCurrent,
    /// Re-sealed with the current key; store this instead.
    Resealed(Vec<u8>),
}

/// Re-seals a value with the ring's current key: opens it with the key its
/// header names (normally a retired one) and seals it again under a fresh
/// nonce. A value already under the current key is left alone, so a
/// rotation job can be re-run safely.
pub fn rotate(keys: &KeyRing, record_id: Uuid, sealed: &[u8]) -> Result<Rotation, SealError> {
    let header = read_header(sealed)?;
    if header.key_id == keys.current().id() {
        // Still authenticate, so a rotation run also finds damaged values.
        open(keys, record_id, sealed)?;
        return Ok(Rotation::AlreadyCurrent);
    }
    let plain = open(keys, record_id, sealed)?;
    seal(keys.current(), record_id, &plain).map(Rotation::Resealed)
}
