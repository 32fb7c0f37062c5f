//! Offline verification of a time-stamp token: every check RFC 3161 and
//! RFC 5652 ask of a relying party, each failing with its own error.

use chrono::{DateTime, Utc};
use der::Decode;
use x509_cert::Certificate;
use x509_cert::name::Name;

use crate::algorithms::{self, HashAlgorithm};
use crate::certificate::{CertRaw, to_der};
use crate::der_lite::{self, Reader, tag};
use crate::error::VerifyError;
use crate::oids;
use crate::request::TimeStampRequest;
use crate::token::{self, ParsedToken, SignerInfoRaw, TokenInfo};

/// How many CA certificates from the token may sit between the signer and
/// a trust anchor; real TSAs use one or two.
const MAX_CHAIN_DEPTH: usize = 4;

/// A token that passed every check, with what it says.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Verified {
    /// The token's facts (signer subject filled in).
    pub info: TokenInfo,
    /// Subject of the certificate whose key signed the token.
    pub signer_subject: String,
    /// Issuer of that certificate.
    pub signer_issuer: String,
    /// Subject of the trust anchor the signer chains to; `None` when no
    /// trust anchors were given (then only the token's own consistency and
    /// signature were checked, not who the TSA is).
    pub trusted_by: Option<String>,
}

/// Verifies a token for `expected_digest` (the SHA-256 that was
/// time-stamped). With `trust`, the signer certificate must chain to one of
/// those certificates; without, the signature is checked against the
/// certificate the token carries, which proves integrity but not identity.
pub fn verify(
    token_der: &[u8],
    expected_digest: &[u8; 32],
    trust: Option<&[Certificate]>,
) -> Result<Verified, VerifyError> {
    verify_with(token_der, expected_digest, None, None, trust)
}

/// Like [`verify`], and also checks that the token answers `request`: same
/// digest, same nonce and, if one was asked for, the same policy. Use right
/// after obtaining a token; stored tokens are checked with [`verify`].
pub fn verify_for_request(
    token_der: &[u8],
    request: &TimeStampRequest,
    trust: Option<&[Certificate]>,
) -> Result<Verified, VerifyError> {
    verify_with(
        token_der,
        request.digest(),
        Some(request.nonce()),
        request.policy(),
        trust,
    )
}

fn verify_with(
    token_der: &[u8],
    expected_digest: &[u8; 32],
    expected_nonce: Option<Option<&[u8]>>,
    expected_policy: Option<&str>,
    trust: Option<&[Certificate]>,
) -> Result<Verified, VerifyError> {
    let parsed = ParsedToken::parse(token_der)?;
    let mut info = parsed.info()?;

    check_imprint(&info, expected_digest)?;
    if let Some(Some(nonce)) = expected_nonce {
        check_nonce(&info, nonce)?;
    }
    if let Some(requested) = expected_policy
        && info.policy != requested
    {
        return Err(VerifyError::PolicyMismatch {
            requested: requested.to_string(),
            found: info.policy.clone(),
        });
    }

    let signer = match parsed.signers.as_slice() {
        [one] => one,
        other => return Err(VerifyError::SignerCount { count: other.len() }),
    };
    let digest_alg = match HashAlgorithm::from_oid(&signer.digest_alg) {
        Some(HashAlgorithm::Sha1) | None => {
            return Err(VerifyError::UnsupportedHash {
                place: "SignerInfo.digestAlgorithm",
                oid: signer.digest_alg.to_string(),
            });
        }
        Some(alg) => alg,
    };
    if !parsed.digest_algorithms.contains(&signer.digest_alg) {
        return Err(VerifyError::Malformed(format!(
            "SignedData.digestAlgorithms does not list the signer's {digest_alg}"
        )));
    }
    check_content_attributes(signer, digest_alg, parsed.tst_info)?;

    // Trust anchors as DER, so they can be searched like token certificates.
    let anchor_ders: Vec<Vec<u8>> = trust
        .unwrap_or_default()
        .iter()
        .map(to_der)
        .collect::<Result<_, _>>()
        .map_err(|e| VerifyError::Malformed(format!("trust anchor does not encode: {e}")))?;
    let token_certs: Vec<CertRaw<'_>> = parsed
        .certificates
        .iter()
        .map(|raw| CertRaw::parse(raw))
        .collect::<Result<_, _>>()
        .map_err(|e| VerifyError::Malformed(format!("certificate in token: {e}")))?;
    let anchors: Vec<CertRaw<'_>> = anchor_ders
        .iter()
        .map(|raw| CertRaw::parse(raw))
        .collect::<Result<_, _>>()
        .map_err(|e| VerifyError::Malformed(format!("trust anchor: {e}")))?;
    let cert = token_certs
        .iter()
        .chain(anchors.iter())
        .find(|c| signer.sid.matches(c))
        .ok_or_else(|| VerifyError::SignerCertificateMissing {
            signer: signer.sid.describe(),
        })?;
    let subject = cert.subject_text();

    // Is this a TSA certificate at all, then is it the one the signed
    // attributes name, then did its key sign them.
    check_timestamping_usage(cert, &subject)?;
    check_ess_cert_id(signer, cert)?;
    check_signature(signer, digest_alg, cert)?;
    check_validity(cert, &subject, info.gen_time)?;
    let trusted_by = match trust {
        Some(_) => Some(
            chain_to_anchor(cert, &token_certs, &anchors).map_err(|problem| {
                VerifyError::Untrusted {
                    subject: subject.clone(),
                    problem,
                }
            })?,
        ),
        None => None,
    };

    info.signer_subject = Some(subject.clone());
    Ok(Verified {
        info,
        signer_subject: subject,
        signer_issuer: crate::certificate::name_text(cert.issuer),
        trusted_by,
    })
}

fn check_imprint(info: &TokenInfo, expected: &[u8; 32]) -> Result<(), VerifyError> {
    if token::imprint_hash(info) != Some(HashAlgorithm::Sha256) {
        return Err(VerifyError::ImprintAlgorithm {
            found: info.hash_algorithm.clone(),
        });
    }
    if info.message_imprint != expected {
        return Err(VerifyError::ImprintMismatch {
            expected: hex::encode(expected),
            found: hex::encode(&info.message_imprint),
        });
    }
    Ok(())
}

fn check_nonce(info: &TokenInfo, expected: &[u8]) -> Result<(), VerifyError> {
    let expected = der_lite::strip_leading_zeros(expected);
    match &info.nonce {
        None => Err(VerifyError::NonceMissing {
            expected: hex::encode(expected),
        }),
        Some(found) if der_lite::strip_leading_zeros(found) != expected => {
            Err(VerifyError::NonceMismatch {
                expected: hex::encode(expected),
                found: hex::encode(found),
            })
        }
        Some(_) => Ok(()),
    }
}

/// The single value of a signed attribute.
fn single_attribute<'a>(
    signer: &'a SignerInfoRaw<'a>,
    oid: der::asn1::ObjectIdentifier,
    name: &'static str,
) -> Result<Option<der_lite::Tlv<'a>>, VerifyError> {
    let mut found = signer.signed_attrs.iter().filter(|(o, _)| *o == oid);
    let Some((_, values)) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() {
        return Err(VerifyError::SignedAttribute {
            name,
            problem: "appears more than once".into(),
        });
    }
    match values.as_slice() {
        [one] => Ok(Some(*one)),
        other => Err(VerifyError::SignedAttribute {
            name,
            problem: format!("has {} values, expected one", other.len()),
        }),
    }
}

fn check_content_attributes(
    signer: &SignerInfoRaw<'_>,
    digest_alg: HashAlgorithm,
    tst_info: &[u8],
) -> Result<(), VerifyError> {
    if signer.signed_attrs_raw.is_none() {
        return Err(VerifyError::SignedAttribute {
            name: "signedAttrs",
            problem: "absent (RFC 3161 requires them)".into(),
        });
    }
    let content_type = single_attribute(signer, oids::ATTR_CONTENT_TYPE, "contentType")?.ok_or(
        VerifyError::SignedAttribute {
            name: "contentType",
            problem: "missing".into(),
        },
    )?;
    let is_tst_info = content_type.tag == tag::OID
        && der::asn1::ObjectIdentifier::from_bytes(content_type.value).ok() == Some(oids::TST_INFO);
    if !is_tst_info {
        return Err(VerifyError::SignedAttribute {
            name: "contentType",
            problem: "is not id-ct-TSTInfo".into(),
        });
    }
    let digest = single_attribute(signer, oids::ATTR_MESSAGE_DIGEST, "messageDigest")?.ok_or(
        VerifyError::SignedAttribute {
            name: "messageDigest",
            problem: "missing".into(),
        },
    )?;
    if digest.tag != tag::OCTET_STRING {
        return Err(VerifyError::SignedAttribute {
            name: "messageDigest",
            problem: "is not an OCTET STRING".into(),
        });
    }
    if digest.value != digest_alg.digest(tst_info).as_slice() {
        return Err(VerifyError::MessageDigestMismatch {
            algorithm: digest_alg.to_string(),
        });
    }
    Ok(())
}

/// RFC 3161 §2.4.1 / RFC 5816: the signingCertificate(V2) attribute binds
/// the signature to the TSA certificate; its first ESSCertID must be the
/// signer's.
fn check_ess_cert_id(signer: &SignerInfoRaw<'_>, cert: &CertRaw<'_>) -> Result<(), VerifyError> {
    let mismatch = |p: String| VerifyError::EssCertIdMismatch(p);
    let (value, v2) = match single_attribute(
        signer,
        oids::ATTR_SIGNING_CERTIFICATE_V2,
        "signingCertificateV2",
    )? {
        Some(v) => (v, true),
        None => {
            match single_attribute(signer, oids::ATTR_SIGNING_CERTIFICATE, "signingCertificate")? {
                Some(v) => (v, false),
                None => {
                    return Err(VerifyError::SignedAttribute {
                        name: "signingCertificate",
                        problem: "neither signingCertificate nor signingCertificateV2 is present"
                            .into(),
                    });
                }
            }
        }
    };
    let EssCertId {
        hash,
        cert_hash,
        issuer_serial,
    } = parse_ess_cert_id(value, v2).map_err(|p| VerifyError::SignedAttribute {
        name: if v2 {
            "signingCertificateV2"
        } else {
            "signingCertificate"
        },
        problem: p,
    })?;
    if hash.digest(cert.raw) != cert_hash {
        return Err(mismatch(format!(
            "{hash} of certificate {} is not the certHash {}",
            cert.subject_text(),
            hex::encode(&cert_hash)
        )));
    }
    if let Some((general_names, serial)) = issuer_serial {
        if serial != cert.serial {
            return Err(mismatch(format!(
                "issuerSerial serial {} is not the certificate's {}",
                hex::encode(&serial),
                hex::encode(&cert.serial)
            )));
        }
        let cert_issuer = cert.decoded.tbs_certificate().issuer();
        let mut names = Reader::new(&general_names);
        while !names.is_empty() {
            let name = names
                .any("IssuerSerial.issuer")
                .map_err(|p| mismatch(p.to_string()))?;
            if name.tag == 0xa4 {
                let dn = Name::from_der(name.value)
                    .map_err(|e| mismatch(format!("IssuerSerial issuer name: {e}")))?;
                if &dn != cert_issuer {
                    return Err(mismatch(format!(
                        "issuerSerial names issuer {dn}, the certificate's is {cert_issuer}"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn check_signature(
    signer: &SignerInfoRaw<'_>,
    digest_alg: HashAlgorithm,
    cert: &CertRaw<'_>,
) -> Result<(), VerifyError> {
    let (family, named_hash) =
        algorithms::signature_algorithm(&signer.signature_alg).ok_or_else(|| {
            VerifyError::UnsupportedSignatureAlgorithm {
                place: "SignerInfo.signatureAlgorithm",
                oid: signer.signature_alg.to_string(),
            }
        })?;
    let bad = |problem: String| VerifyError::BadSignature {
        signer: cert.subject_text(),
        problem,
    };
    if let Some(named) = named_hash
        && named != digest_alg
    {
        return Err(bad(format!(
            "signature algorithm names {named} but the digest algorithm is {digest_alg}"
        )));
    }
    // RFC 5652 §5.4: the signature covers the DER of the signed attributes
    // with the EXPLICIT SET OF tag, not the [0] IMPLICIT tag they carry.
    let mut signed = signer
        .signed_attrs_raw
        .ok_or_else(|| bad("no signed attributes".into()))?
        .to_vec();
    if let Some(first) = signed.first_mut() {
        *first = tag::SET;
    }
    let hashed = digest_alg.digest(&signed);
    let spki = cert.decoded.tbs_certificate().subject_public_key_info();
    algorithms::verify_prehashed(spki, family, digest_alg, &hashed, signer.signature).map_err(bad)
}

/// RFC 3161 §2.3: the TSA certificate has exactly one extended key usage,
/// id-kp-timeStamping, and the extension is critical.
fn check_timestamping_usage(cert: &CertRaw<'_>, subject: &str) -> Result<(), VerifyError> {
    let fail = |problem: &str| VerifyError::NotTimestampingCertificate {
        subject: subject.to_string(),
        problem: problem.to_string(),
    };
    match cert.extended_key_usage() {
        Err(problem) => Err(fail(&problem)),
        Ok(None) => Err(fail("no extendedKeyUsage extension")),
        Ok(Some((_, purposes))) if !purposes.contains(&oids::KP_TIME_STAMPING) => {
            Err(fail("extendedKeyUsage lacks timeStamping"))
        }
        Ok(Some((_, purposes))) if purposes.len() != 1 => Err(fail(
            "extendedKeyUsage has purposes besides timeStamping (RFC 3161 wants only it)",
        )),
        Ok(Some((false, _))) => Err(fail("extendedKeyUsage timeStamping is not critical")),
        Ok(Some((true, _))) => Ok(()),
    }
}

fn check_validity(
    cert: &CertRaw<'_>,
    subject: &str,
    gen_time: DateTime<Utc>,
) -> Result<(), VerifyError> {
    let validity = cert.decoded.tbs_certificate().validity();
    let not_before = validity.not_before.to_unix_duration().as_secs();
    let not_after = validity.not_after.to_unix_duration().as_secs();
    let at = gen_time.timestamp();
    let inside = u64::try_from(at).is_ok_and(|t| not_before <= t && t <= not_after);
    if inside {
        Ok(())
    } else {
        Err(VerifyError::CertificateNotValidAtTime {
            subject: subject.to_string(),
            gen_time: gen_time.to_rfc3339(),
            not_before: validity.not_before.to_string(),
            not_after: validity.not_after.to_string(),
        })
    }
}

/// Signature of `child` by `issuer`'s key.
fn signed_by(child: &CertRaw<'_>, issuer: &CertRaw<'_>) -> Result<(), String> {
    let (family, hash) =
        algorithms::signature_algorithm(&child.signature_alg).ok_or_else(|| {
            format!(
                "unsupported certificate signature algorithm {}",
                child.signature_alg
            )
        })?;
    let hash = hash.ok_or_else(|| {
        format!(
            "certificate signature algorithm {} names no hash",
            child.signature_alg
        )
    })?;
    let spki = issuer.decoded.tbs_certificate().subject_public_key_info();
    algorithms::verify_prehashed(spki, family, hash, &hash.digest(child.tbs), child.signature)
}

/// Walks from the signer up through CA certificates carried in the token
/// until a trust anchor is reached; returns the anchor's subject.
fn chain_to_anchor(
    signer: &CertRaw<'_>,
    token_certs: &[CertRaw<'_>],
    anchors: &[CertRaw<'_>],
) -> Result<String, String> {
    if anchors.is_empty() {
        return Err("the trust list is empty".into());
    }
    let mut current = signer;
    for _ in 0..=MAX_CHAIN_DEPTH {
        if anchors.iter().any(|a| a.decoded == current.decoded) {
            return Ok(current.subject_text());
        }
        let issuer = current.decoded.tbs_certificate().issuer();
        let mut failures = Vec::new();
        for anchor in anchors
            .iter()
            .filter(|a| a.decoded.tbs_certificate().subject() == issuer)
        {
            match signed_by(current, anchor) {
                Ok(()) => return Ok(anchor.subject_text()),
                Err(problem) => failures.push(format!(
                    "trusted {} did not sign {}: {problem}",
                    anchor.subject_text(),
                    current.subject_text()
                )),
            }
        }
        if !failures.is_empty() {
            return Err(failures.join("; "));
        }
        let next = token_certs.iter().find(|c| {
            c.decoded.tbs_certificate().subject() == issuer
                && c.decoded != current.decoded
                && c.is_ca()
                && signed_by(current, c).is_ok()
        });
        match next {
            Some(ca) => current = ca,
            None => {
                return Err(format!(
                    "no trusted certificate for issuer {issuer} of {}",
                    current.subject_text()
                ));
            }
        }
    }
    Err(format!(
        "no trust anchor within {MAX_CHAIN_DEPTH} certificates"
    ))
}

/// The first ESSCertID(v2) of a SigningCertificate(V2) attribute value.
struct EssCertId {
    hash: HashAlgorithm,
    cert_hash: Vec<u8>,
    /// (DER content of GeneralNames, serial number INTEGER content).
    issuer_serial: Option<(Vec<u8>, Vec<u8>)>,
}

fn parse_ess_cert_id(value: der_lite::Tlv<'_>, v2: bool) -> Result<EssCertId, String> {
    if value.tag != tag::SEQUENCE {
        return Err("SigningCertificate is not a SEQUENCE".into());
    }
    let mut sc = Reader::new(value.value);
    let certs = sc.expect(tag::SEQUENCE, "SigningCertificate.certs")?;
    let mut ids = Reader::new(certs.value);
    let first = ids.expect(tag::SEQUENCE, "ESSCertID")?;
    let mut id = Reader::new(first.value);
    let hash = if v2 {
        match id.optional(tag::SEQUENCE, "ESSCertIDv2.hashAlgorithm")? {
            Some(alg) => {
                let oid = token::algorithm_oid(alg.value, "ESSCertIDv2.hashAlgorithm")?;
                HashAlgorithm::from_oid(&oid)
                    .ok_or_else(|| format!("unsupported ESSCertIDv2 hash {oid}"))?
            }
            None => HashAlgorithm::Sha256,
        }
    } else {
        HashAlgorithm::Sha1
    };
    let cert_hash = id.expect(tag::OCTET_STRING, "ESSCertID.certHash")?;
    let issuer_serial = match id.optional(tag::SEQUENCE, "ESSCertID.issuerSerial")? {
        Some(is) => {
            let mut r = Reader::new(is.value);
            let names = r.expect(tag::SEQUENCE, "IssuerSerial.issuer")?;
            let serial = r.expect(tag::INTEGER, "IssuerSerial.serialNumber")?;
            Some((names.value.to_vec(), serial.value.to_vec()))
        }
        None => None,
    };
    Ok(EssCertId {
        hash,
        cert_hash: cert_hash.value.to_vec(),
        issuer_serial,
    })
}
