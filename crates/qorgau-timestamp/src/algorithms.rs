//! Hashes and signature checks: which algorithm an OID names and how to
//! verify a signature with a certificate's public key.
//!
//! Supported on purpose are the algorithms `openssl ts` and common TSAs use:
//! RSA PKCS#1 v1.5 with SHA-256/384/512 and ECDSA on P-256/P-384. SHA-1 is
//! only used to compare ESSCertID (v1) certificate hashes, never to sign.

use der::asn1::ObjectIdentifier as Oid;
use serde::Serialize;
use sha2::Digest;

use crate::oids;

/// A hash algorithm that this crate can compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HashAlgorithm {
    /// SHA-1, accepted only inside ESSCertID (v1) of the signing certificate.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// The algorithm an AlgorithmIdentifier OID names, if supported.
    pub fn from_oid(oid: &Oid) -> Option<Self> {
        match *oid {
            oids::SHA1 => Some(Self::Sha1),
            oids::SHA256 => Some(Self::Sha256),
            oids::SHA384 => Some(Self::Sha384),
            oids::SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The OID that names this algorithm.
    pub fn oid(self) -> Oid {
        match self {
            Self::Sha1 => oids::SHA1,
            Self::Sha256 => oids::SHA256,
            Self::Sha384 => oids::SHA384,
            Self::Sha512 => oids::SHA512,
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

impl std::fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

/// The key family a signature algorithm OID belongs to, and the hash it
/// names if it names one (`rsaEncryption` and `id-ecPublicKey` do not).
pub(crate) fn signature_algorithm(oid: &Oid) -> Option<(KeyFamily, Option<HashAlgorithm>)> {
    use HashAlgorithm::{Sha256, Sha384, Sha512};
    match *oid {
        oids::RSA_ENCRYPTION => Some((KeyFamily::Rsa, None)),
        oids::SHA256_WITH_RSA => Some((KeyFamily::Rsa, Some(Sha256))),
        oids::SHA384_WITH_RSA => Some((KeyFamily::Rsa, Some(Sha384))),
        oids::SHA512_WITH_RSA => Some((KeyFamily::Rsa, Some(Sha512))),
        oids::EC_PUBLIC_KEY => Some((KeyFamily::Ec, None)),
        oids::ECDSA_WITH_SHA256 => Some((KeyFamily::Ec, Some(Sha256))),
        oids::ECDSA_WITH_SHA384 => Some((KeyFamily::Ec, Some(Sha384))),
        oids::ECDSA_WITH_SHA512 => Some((KeyFamily::Ec, Some(Sha512))),
        _ => None,
    }
}

/// RSA or elliptic-curve keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyFamily {
    Rsa,
    Ec,
}

/// Verifies `signature` over a message whose `hash_alg` digest is `hashed`
/// with the public key in `spki`. The error says what did not work.
pub(crate) fn verify_prehashed(
    spki: &spki::SubjectPublicKeyInfoOwned,
    family: KeyFamily,
    hash_alg: HashAlgorithm,
    hashed: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let key_oid = spki.algorithm.oid;
    match (family, key_oid) {
        (KeyFamily::Rsa, oids::RSA_ENCRYPTION) => verify_rsa(spki, hash_alg, hashed, signature),
        (KeyFamily::Ec, oids::EC_PUBLIC_KEY) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<Oid>().ok())
                .ok_or("EC public key without a named curve")?;
            let point = spki.subject_public_key.raw_bytes();
            match curve {
                oids::CURVE_P256 => {
                    use p256::ecdsa::signature::hazmat::PrehashVerifier;
                    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                        .map_err(|_| "malformed P-256 public key")?;
                    let sig = p256::ecdsa::DerSignature::from_bytes(signature)
                        .map_err(|_| "malformed ECDSA signature")?;
                    key.verify_prehash(hashed, &sig)
                        .map_err(|_| "ECDSA P-256 signature does not verify".to_string())
                }
                oids::CURVE_P384 => {
                    use p384::ecdsa::signature::hazmat::PrehashVerifier;
                    let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                        .map_err(|_| "malformed P-384 public key")?;
                    let sig = p384::ecdsa::DerSignature::from_bytes(signature)
                        .map_err(|_| "malformed ECDSA signature")?;
                    key.verify_prehash(hashed, &sig)
                        .map_err(|_| "ECDSA P-384 signature does not verify".to_string())
                }
                other => Err(format!("unsupported elliptic curve {other}")),
            }
        }
        (family, key_oid) => Err(format!(
            "signature algorithm is {family:?} but the public key is {}",
            key_name(&key_oid)
        )),
    }
}

fn key_name(oid: &Oid) -> String {
    match *oid {
        oids::RSA_ENCRYPTION => "RSA".to_string(),
        oids::EC_PUBLIC_KEY => "EC".to_string(),
        other => format!("of unsupported type {other}"),
    }
}

fn verify_rsa(
    spki: &spki::SubjectPublicKeyInfoOwned,
    hash_alg: HashAlgorithm,
    hashed: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    use der::Encode;
    use rsa::Pkcs1v15Sign;
    let spki_der = spki
        .to_der()
        .map_err(|e| format!("cannot re-encode RSA public key: {e}"))?;
    let spki_ref = spki::SubjectPublicKeyInfoRef::try_from(spki_der.as_slice())
        .map_err(|e| format!("malformed RSA public key: {e}"))?;
    let key =
        rsa::PublicKey::try_from(spki_ref).map_err(|e| format!("unusable RSA public key: {e}"))?;
    let scheme = match hash_alg {
        HashAlgorithm::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        HashAlgorithm::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        HashAlgorithm::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        HashAlgorithm::Sha1 => return Err("SHA-1 signatures are not accepted".to_string()),
    };
    key.verify(scheme, hashed, signature)
        .map_err(|_| "RSA PKCS#1 v1.5 signature does not verify".to_string())
}
