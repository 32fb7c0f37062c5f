//! Time-stamp tokens: the CMS SignedData around a TSTInfo (RFC 3161 §2.4.2),
//! parsed into the facts a report shows and the raw parts a verifier checks.

use chrono::{DateTime, NaiveDate, Utc};
use der::Decode;
use der::asn1::ObjectIdentifier as Oid;
use serde::{Serialize, Serializer};

use crate::algorithms::HashAlgorithm;
use crate::certificate::CertRaw;
use crate::der_lite::{self, Reader, Tlv, tag};
use crate::error::VerifyError;
use crate::oids;

/// A time-stamp token as the TSA returned it: the DER of the
/// TimeStampToken (a CMS ContentInfo with SignedData), which is what must be
/// stored next to the manifest, plus the facts read from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    der: Vec<u8>,
    info: TokenInfo,
}

impl Token {
    /// Parses a token without checking its signature (see [`crate::verify`]
    /// for that); fails if it is not a well-formed RFC 3161 token.
    pub fn from_der(der: &[u8]) -> Result<Self, VerifyError> {
        let parsed = ParsedToken::parse(der)?;
        Ok(Self {
            der: der.to_vec(),
            info: parsed.info()?,
        })
    }

    /// The token's DER, to store next to the manifest (e.g. `manifest.tst`);
    /// `openssl ts -verify -token_in -in manifest.tst` reads it too.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The facts read from the token.
    pub fn info(&self) -> &TokenInfo {
        &self.info
    }

    /// Consumes the token, giving back its DER.
    pub fn into_der(self) -> Vec<u8> {
        self.der
    }
}

/// What a time-stamp token says, for manifests, reports and protocols.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// The time the TSA vouches for (TSTInfo genTime), in UTC.
    pub gen_time: DateTime<Utc>,
    /// The TSA's serial number of this token, hex.
    #[serde(serialize_with = "as_hex")]
    pub serial_number: Vec<u8>,
    /// The TSA policy under which the token was issued (dotted OID).
    pub policy: String,
    /// The TSA's name from the TSTInfo, if it gives one.
    pub tsa_name: Option<String>,
    /// Hash algorithm of the message imprint (dotted OID).
    pub hash_algorithm: String,
    /// The time-stamped digest (for Qorgau: the manifest's SHA-256).
    #[serde(serialize_with = "as_hex")]
    pub message_imprint: Vec<u8>,
    /// The nonce echoed from the request, unsigned big-endian without
    /// leading zeros.
    #[serde(serialize_with = "as_hex_opt")]
    pub nonce: Option<Vec<u8>>,
    /// The TSA's stated accuracy of genTime, if any.
    pub accuracy: Option<Accuracy>,
    /// TSTInfo ordering flag.
    pub ordering: bool,
    /// Subject of the signer certificate (RFC 4514), when the token carries it.
    pub signer_subject: Option<String>,
}

/// TSTInfo accuracy: how far genTime may be from UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Accuracy {
    /// Whole seconds.
    pub seconds: u64,
    /// Milliseconds (1..999).
    pub millis: u64,
    /// Microseconds (1..999).
    pub micros: u64,
}

fn as_hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

fn as_hex_opt<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(b) => s.serialize_some(&hex::encode(b)),
        None => s.serialize_none(),
    }
}

/// How the SignerInfo names its certificate.
#[derive(Clone, Debug)]
pub(crate) enum SignerId<'a> {
    IssuerSerial { issuer: &'a [u8], serial: Vec<u8> },
    SubjectKeyId(&'a [u8]),
}

impl SignerId<'_> {
    pub(crate) fn matches(&self, cert: &CertRaw<'_>) -> bool {
        match self {
            Self::IssuerSerial { issuer, serial } => {
                cert.issuer == *issuer && cert.serial == *serial
            }
            Self::SubjectKeyId(ski) => cert.subject_key_id().as_deref() == Some(*ski),
        }
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            Self::IssuerSerial { issuer, serial } => format!(
                "issuer {}, serial {}",
                crate::certificate::name_text(issuer),
                hex::encode(serial)
            ),
            Self::SubjectKeyId(ski) => format!("subject key id {}", hex::encode(ski)),
        }
    }
}

/// The parts of a SignerInfo a verifier needs, with original bytes.
#[derive(Clone, Debug)]
pub(crate) struct SignerInfoRaw<'a> {
    pub sid: SignerId<'a>,
    pub digest_alg: Oid,
    /// The whole `[0] IMPLICIT SET OF Attribute` element as received.
    pub signed_attrs_raw: Option<&'a [u8]>,
    pub signed_attrs: Vec<(Oid, Vec<Tlv<'a>>)>,
    pub signature_alg: Oid,
    pub signature: &'a [u8],
}

/// A token taken apart, borrowing its DER.
#[derive(Clone, Debug)]
pub(crate) struct ParsedToken<'a> {
    pub econtent_type: Oid,
    pub digest_algorithms: Vec<Oid>,
    pub tst_info: &'a [u8],
    pub certificates: Vec<&'a [u8]>,
    pub signers: Vec<SignerInfoRaw<'a>>,
}

fn malformed(problem: impl Into<String>) -> VerifyError {
    VerifyError::Malformed(problem.into())
}

fn oid_of(tlv: Tlv<'_>, what: &str) -> Result<Oid, String> {
    if tlv.tag != tag::OID {
        return Err(format!("{what}: not an OBJECT IDENTIFIER"));
    }
    Oid::from_bytes(tlv.value).map_err(|e| format!("{what}: {e}"))
}

/// AlgorithmIdentifier's OID; parameters are not used by the algorithms
/// supported here (NULL or absent).
pub(crate) fn algorithm_oid(value: &[u8], what: &str) -> Result<Oid, String> {
    let mut r = Reader::new(value);
    let oid = oid_of(r.expect(tag::OID, what)?, what)?;
    if let Some(params) = r.optional(tag::NULL, what)?
        && !params.value.is_empty()
    {
        return Err(format!("{what}: NULL parameters with content"));
    }
    r.finish(&format!(
        "{what} (only absent or NULL parameters are supported)"
    ))?;
    Ok(oid)
}

/// `MessageImprint` content: hash algorithm and hashed message.
pub(crate) fn parse_message_imprint(value: &[u8]) -> Result<(Oid, Vec<u8>), String> {
    let mut r = Reader::new(value);
    let alg = r.expect(tag::SEQUENCE, "MessageImprint.hashAlgorithm")?;
    let alg = algorithm_oid(alg.value, "MessageImprint.hashAlgorithm")?;
    let hashed = r.expect(tag::OCTET_STRING, "MessageImprint.hashedMessage")?;
    r.finish("MessageImprint")?;
    Ok((alg, hashed.value.to_vec()))
}

impl<'a> ParsedToken<'a> {
    /// Walks ContentInfo → SignedData, keeping original slices.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, VerifyError> {
        Self::parse_inner(der).map_err(malformed)
    }

    fn parse_inner(der: &'a [u8]) -> Result<Self, String> {
        let content_info = der_lite::single(der, tag::SEQUENCE, "ContentInfo")?;
        let mut ci = Reader::new(content_info.value);
        let content_type = oid_of(
            ci.any("ContentInfo.contentType")?,
            "ContentInfo.contentType",
        )?;
        if content_type != oids::SIGNED_DATA {
            return Err(format!("ContentInfo holds {content_type}, not SignedData"));
        }
        let explicit = ci.expect(tag::CONTEXT_0_CONSTRUCTED, "ContentInfo.content")?;
        ci.finish("ContentInfo")?;
        let signed_data = der_lite::single(explicit.value, tag::SEQUENCE, "SignedData")?;

        let mut sd = Reader::new(signed_data.value);
        let version = sd.expect(tag::INTEGER, "SignedData.version")?;
        // RFC 5652 §5.1: 3 for non-data content, 4 or 5 with other certificate types.
        let version = der_lite::small_unsigned(version.value, "SignedData.version")?;
        if !(3..=5).contains(&version) {
            return Err(format!("SignedData.version {version} is not 3, 4 or 5"));
        }
        let digest_set = sd.expect(tag::SET, "SignedData.digestAlgorithms")?;
        let mut digest_algorithms = Vec::new();
        let mut algs = Reader::new(digest_set.value);
        while !algs.is_empty() {
            let alg = algs.expect(tag::SEQUENCE, "SignedData.digestAlgorithms")?;
            digest_algorithms.push(algorithm_oid(alg.value, "SignedData.digestAlgorithms")?);
        }
        let encap = sd.expect(tag::SEQUENCE, "SignedData.encapContentInfo")?;
        let mut ec = Reader::new(encap.value);
        let econtent_type = oid_of(ec.any("eContentType")?, "eContentType")?;
        let econtent = ec.expect(tag::CONTEXT_0_CONSTRUCTED, "eContent")?;
        ec.finish("EncapsulatedContentInfo")?;
        let octets = der_lite::single(econtent.value, tag::OCTET_STRING, "eContent")?;

        let mut certificates = Vec::new();
        if let Some(set) = sd.optional(tag::CONTEXT_0_CONSTRUCTED, "SignedData.certificates")? {
            let mut certs = Reader::new(set.value);
            while !certs.is_empty() {
                let choice = certs.any("SignedData.certificates")?;
                // Only plain X.509 certificates (SEQUENCE); other choices are skipped.
                if choice.tag == tag::SEQUENCE {
                    certificates.push(choice.raw);
                }
            }
        }
        sd.optional(tag::CONTEXT_1_CONSTRUCTED, "SignedData.crls")?;
        let signer_set = sd.expect(tag::SET, "SignedData.signerInfos")?;
        sd.finish("SignedData")?;

        let mut signers = Vec::new();
        let mut infos = Reader::new(signer_set.value);
        while !infos.is_empty() {
            let info = infos.expect(tag::SEQUENCE, "SignerInfo")?;
            signers.push(parse_signer_info(info.value)?);
        }
        Ok(Self {
            econtent_type,
            digest_algorithms,
            tst_info: octets.value,
            certificates,
            signers,
        })
    }

    /// The TSTInfo facts; the signer subject is filled in when the token
    /// carries a certificate matching its single signer.
    pub(crate) fn info(&self) -> Result<TokenInfo, VerifyError> {
        if self.econtent_type != oids::TST_INFO {
            return Err(VerifyError::NotTstInfo {
                found: self.econtent_type.to_string(),
            });
        }
        let mut info = parse_tst_info(self.tst_info).map_err(malformed)?;
        if let [signer] = self.signers.as_slice() {
            info.signer_subject = self
                .certificates
                .iter()
                .filter_map(|raw| CertRaw::parse(raw).ok())
                .find(|cert| signer.sid.matches(cert))
                .map(|cert| crate::certificate::name_text(cert.subject));
        }
        Ok(info)
    }
}

fn parse_signer_info(value: &[u8]) -> Result<SignerInfoRaw<'_>, String> {
    let mut r = Reader::new(value);
    let version = r.expect(tag::INTEGER, "SignerInfo.version")?;
    let version = der_lite::small_unsigned(version.value, "SignerInfo.version")?;
    // RFC 5652 §5.3: version 1 goes with issuerAndSerialNumber, 3 with subjectKeyIdentifier.
    let expected_version = match r.peek_tag() {
        Some(tag::CONTEXT_0_PRIMITIVE) => 3,
        _ => 1,
    };
    if version != expected_version {
        return Err(format!(
            "SignerInfo.version {version} does not fit its signer identifier (expected {expected_version})"
        ));
    }
    let sid = match r.peek_tag() {
        Some(tag::SEQUENCE) => {
            let isn = r.any("SignerInfo.sid")?;
            let mut f = Reader::new(isn.value);
            let issuer = f.expect(tag::SEQUENCE, "IssuerAndSerialNumber.issuer")?;
            let serial = f.expect(tag::INTEGER, "IssuerAndSerialNumber.serialNumber")?;
            f.finish("IssuerAndSerialNumber")?;
            SignerId::IssuerSerial {
                issuer: issuer.raw,
                serial: serial.value.to_vec(),
            }
        }
        Some(tag::CONTEXT_0_PRIMITIVE) => SignerId::SubjectKeyId(r.any("SignerInfo.sid")?.value),
        _ => {
            return Err(
                "SignerInfo.sid: neither issuerAndSerialNumber nor subjectKeyIdentifier".into(),
            );
        }
    };
    let digest_alg = r.expect(tag::SEQUENCE, "SignerInfo.digestAlgorithm")?;
    let digest_alg = algorithm_oid(digest_alg.value, "SignerInfo.digestAlgorithm")?;
    let mut signed_attrs = Vec::new();
    let signed_attrs_raw = match r.optional(tag::CONTEXT_0_CONSTRUCTED, "SignerInfo.signedAttrs")? {
        Some(set) => {
            let mut attrs = Reader::new(set.value);
            while !attrs.is_empty() {
                let attr = attrs.expect(tag::SEQUENCE, "Attribute")?;
                let mut a = Reader::new(attr.value);
                let oid = oid_of(a.any("Attribute.attrType")?, "Attribute.attrType")?;
                let values = a.expect(tag::SET, "Attribute.attrValues")?;
                a.finish("Attribute")?;
                let mut vr = Reader::new(values.value);
                let mut items = Vec::new();
                while !vr.is_empty() {
                    items.push(vr.any("Attribute.attrValues")?);
                }
                signed_attrs.push((oid, items));
            }
            Some(set.raw)
        }
        None => None,
    };
    let signature_alg = r.expect(tag::SEQUENCE, "SignerInfo.signatureAlgorithm")?;
    let signature_alg = algorithm_oid(signature_alg.value, "SignerInfo.signatureAlgorithm")?;
    let signature = r.expect(tag::OCTET_STRING, "SignerInfo.signature")?;
    r.optional(tag::CONTEXT_1_CONSTRUCTED, "SignerInfo.unsignedAttrs")?;
    r.finish("SignerInfo")?;
    Ok(SignerInfoRaw {
        sid,
        digest_alg,
        signed_attrs_raw,
        signed_attrs,
        signature_alg,
        signature: signature.value,
    })
}

fn parse_tst_info(der: &[u8]) -> Result<TokenInfo, String> {
    let outer = der_lite::single(der, tag::SEQUENCE, "TSTInfo")?;
    let mut r = Reader::new(outer.value);
    let version = r.expect(tag::INTEGER, "TSTInfo.version")?;
    if der_lite::small_unsigned(version.value, "TSTInfo.version")? != 1 {
        return Err("TSTInfo.version is not 1".into());
    }
    let policy = oid_of(r.any("TSTInfo.policy")?, "TSTInfo.policy")?;
    let imprint = r.expect(tag::SEQUENCE, "TSTInfo.messageImprint")?;
    let (hash_alg, message_imprint) = parse_message_imprint(imprint.value)?;
    let serial = r.expect(tag::INTEGER, "TSTInfo.serialNumber")?;
    let serial_number = der_lite::unsigned_magnitude(serial.value, "TSTInfo.serialNumber")?;
    let gen_time = r.expect(tag::GENERALIZED_TIME, "TSTInfo.genTime")?;
    let gen_time = parse_generalized_time(gen_time.value)?;
    let accuracy = match r.optional(tag::SEQUENCE, "TSTInfo.accuracy")? {
        Some(tlv) => Some(parse_accuracy(tlv.value)?),
        None => None,
    };
    let ordering = match r.optional(tag::BOOLEAN, "TSTInfo.ordering")? {
        Some(tlv) => tlv.value.first().is_some_and(|b| *b != 0),
        None => false,
    };
    let nonce = match r.optional(tag::INTEGER, "TSTInfo.nonce")? {
        Some(tlv) => Some(der_lite::unsigned_magnitude(tlv.value, "TSTInfo.nonce")?),
        None => None,
    };
    let tsa_name = match r.optional(tag::CONTEXT_0_CONSTRUCTED, "TSTInfo.tsa")? {
        Some(tlv) => Some(general_name_text(tlv.value)?),
        None => None,
    };
    r.optional(tag::CONTEXT_1_CONSTRUCTED, "TSTInfo.extensions")?;
    r.finish("TSTInfo")?;
    Ok(TokenInfo {
        gen_time,
        serial_number,
        policy: policy.to_string(),
        tsa_name,
        hash_algorithm: hash_alg.to_string(),
        message_imprint,
        nonce,
        accuracy,
        ordering,
        signer_subject: None,
    })
}

fn parse_accuracy(value: &[u8]) -> Result<Accuracy, String> {
    let mut r = Reader::new(value);
    let mut acc = Accuracy::default();
    if let Some(t) = r.optional(tag::INTEGER, "Accuracy.seconds")? {
        acc.seconds = der_lite::small_unsigned(t.value, "Accuracy.seconds")?;
    }
    if let Some(t) = r.optional(tag::CONTEXT_0_PRIMITIVE, "Accuracy.millis")? {
        acc.millis = der_lite::small_unsigned(t.value, "Accuracy.millis")?;
    }
    if let Some(t) = r.optional(tag::CONTEXT_1_PRIMITIVE, "Accuracy.micros")? {
        acc.micros = der_lite::small_unsigned(t.value, "Accuracy.micros")?;
    }
    r.finish("Accuracy")?;
    Ok(acc)
}

/// `YYYYMMDDHHMMSS[.fff…]Z`; written by hand because `der`'s
/// GeneralizedTime rejects the fractional seconds many TSAs send.
pub(crate) fn parse_generalized_time(value: &[u8]) -> Result<DateTime<Utc>, String> {
    let text = std::str::from_utf8(value).map_err(|_| "genTime is not ASCII".to_string())?;
    let bad = || format!("genTime {text:?} is not YYYYMMDDHHMMSS[.f]Z");
    let body = text.strip_suffix('Z').ok_or_else(bad)?;
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |range: std::ops::Range<usize>| -> Result<u32, String> {
        whole
            .get(range)
            .and_then(|s| s.parse::<u32>().ok())
            .ok_or_else(bad)
    };
    let nanos = match fraction {
        None => 0,
        Some(f) if f.is_empty() || f.ends_with('0') || !f.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(bad());
        }
        Some(f) => {
            let digits: String = f.chars().take(9).collect();
            let scale = 10u32.pow(9 - digits.len() as u32);
            digits.parse::<u32>().map_err(|_| bad())? * scale
        }
    };
    let year = i32::try_from(num(0..4)?).map_err(|_| bad())?;
    let (hour, minute, second) = (num(8..10)?, num(10..12)?, num(12..14)?);
    NaiveDate::from_ymd_opt(year, num(4..6)?, num(6..8)?)
        .and_then(|d| d.and_hms_nano_opt(hour, minute, second, nanos))
        .map(|dt| dt.and_utc())
        .ok_or_else(bad)
}

/// A GeneralName (inside `[0] EXPLICIT`) in readable form.
fn general_name_text(inner: &[u8]) -> Result<String, String> {
    use x509_cert::ext::pkix::name::GeneralName;
    let name = GeneralName::from_der(inner).map_err(|e| format!("TSTInfo.tsa: {e}"))?;
    Ok(match name {
        GeneralName::DirectoryName(n) => n.to_string(),
        GeneralName::DnsName(s) => format!("DNS:{}", s.as_str()),
        GeneralName::UniformResourceIdentifier(s) => format!("URI:{}", s.as_str()),
        GeneralName::Rfc822Name(s) => format!("email:{}", s.as_str()),
        GeneralName::RegisteredId(oid) => format!("RID:{oid}"),
        GeneralName::IpAddress(o) => format!("IP:{}", hex::encode(o.as_bytes())),
        GeneralName::OtherName(_) | GeneralName::EdiPartyName(_) => {
            format!("GeneralName:{}", hex::encode(inner))
        }
    })
}

/// The hash algorithm a TokenInfo's imprint uses, when supported.
pub(crate) fn imprint_hash(info: &TokenInfo) -> Option<HashAlgorithm> {
    Oid::new(&info.hash_algorithm)
        .ok()
        .and_then(|oid| HashAlgorithm::from_oid(&oid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_time_with_and_without_fractions() {
        let t = parse_generalized_time(b"20260102030405Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-01-02T03:04:05+00:00");
        let t = parse_generalized_time(b"20260102030405.25Z").unwrap();
        assert_eq!(t.timestamp_subsec_millis(), 250);
        for bad in [
            &b"20260102030405"[..],
            b"20261302030405Z",
            b"2026010203040Z",
            b"20260102030405.Z",
            b"20260102030405.50Z",
            b"20260102030405+0100",
            b"\xff",
        ] {
            assert!(parse_generalized_time(bad).is_err(), "{bad:?}");
        }
    }
}
