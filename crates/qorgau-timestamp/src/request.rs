//! Time-stamp requests (RFC 3161 §2.4.1 `TimeStampReq`): building ours and
//! reading any (for example one made by `openssl ts -query`).

use der::asn1::ObjectIdentifier as Oid;

use crate::der_lite::{self, Reader, encode, encode_unsigned, tag};
use crate::error::RequestError;
use crate::oids;

/// Size of the random nonce we put into requests: 64 bits like `openssl ts`,
/// enough that a replayed old response cannot match a new request.
const NONCE_BYTES: usize = 8;

/// A time-stamp request for a SHA-256 digest, kept with its DER so the exact
/// bytes sent can be stored or compared later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeStampRequest {
    digest: [u8; 32],
    nonce: Option<Vec<u8>>,
    policy: Option<String>,
    cert_req: bool,
    der: Vec<u8>,
}

/// Builds a request for `digest_sha256` (for Qorgau: the SHA-256 of a
/// capture's manifest) with a fresh random 64-bit nonce and certReq = true,
/// so the TSA includes its certificate and the token verifies offline.
///
/// Fails only if the operating system cannot supply random bytes.
pub fn request(digest_sha256: [u8; 32]) -> Result<TimeStampRequest, RequestError> {
    let mut nonce = [0u8; NONCE_BYTES];
    getrandom::fill(&mut nonce).map_err(|e| RequestError::Random(e.to_string()))?;
    // Keep the nonce non-zero in its first byte so its length is stable.
    nonce[0] |= 0x01;
    Ok(TimeStampRequest::build(
        digest_sha256,
        Some(nonce.to_vec()),
        None,
        true,
    ))
}

impl TimeStampRequest {
    fn build(
        digest: [u8; 32],
        nonce: Option<Vec<u8>>,
        policy: Option<(String, Oid)>,
        cert_req: bool,
    ) -> Self {
        let mut body = encode_unsigned(&[1]);
        body.extend(message_imprint_der(&digest));
        if let Some((_, oid)) = &policy {
            body.extend(encode(tag::OID, oid.as_bytes()));
        }
        if let Some(nonce) = &nonce {
            body.extend(encode_unsigned(nonce));
        }
        if cert_req {
            body.extend(encode(tag::BOOLEAN, &[0xff]));
        }
        Self {
            digest,
            nonce: nonce.map(|n| der_lite::strip_leading_zeros(&n).to_vec()),
            policy: policy.map(|(text, _)| text),
            cert_req,
            der: encode(tag::SEQUENCE, &body),
        }
    }

    /// The same request asking the TSA for a specific policy (dotted OID,
    /// as the TSA publishes it); the nonce stays the same.
    pub fn with_policy(self, policy_oid: &str) -> Result<Self, RequestError> {
        let oid = Oid::new(policy_oid).map_err(|e| RequestError::Policy {
            policy: policy_oid.to_string(),
            problem: e.to_string(),
        })?;
        Ok(Self::build(
            self.digest,
            self.nonce,
            Some((oid.to_string(), oid)),
            self.cert_req,
        ))
    }

    /// Reads a DER `TimeStampReq`, for example one `openssl ts -query` wrote.
    /// Only SHA-256 message imprints are accepted because that is what
    /// Qorgau time-stamps.
    pub fn from_der(der: &[u8]) -> Result<Self, RequestError> {
        parse_request(der).map_err(RequestError::Malformed)
    }

    /// The DER to send as `application/timestamp-query`.
    pub fn to_der(&self) -> &[u8] {
        &self.der
    }

    /// The SHA-256 digest being time-stamped.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The nonce as unsigned big-endian bytes without leading zeros.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// The requested policy OID (dotted), if any.
    pub fn policy(&self) -> Option<&str> {
        self.policy.as_deref()
    }

    /// Whether the TSA is asked to include its certificate.
    pub fn cert_req(&self) -> bool {
        self.cert_req
    }
}

/// `MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier,
/// hashedMessage OCTET STRING }` with SHA-256 and NULL parameters, as
/// `openssl ts -query` writes it.
fn message_imprint_der(digest: &[u8; 32]) -> Vec<u8> {
    let mut alg = encode(tag::OID, oids::SHA256.as_bytes());
    alg.extend(encode(tag::NULL, &[]));
    let mut imprint = encode(tag::SEQUENCE, &alg);
    imprint.extend(encode(tag::OCTET_STRING, digest));
    encode(tag::SEQUENCE, &imprint)
}

fn parse_request(der: &[u8]) -> Result<TimeStampRequest, String> {
    let outer = der_lite::single(der, tag::SEQUENCE, "TimeStampReq")?;
    let mut fields = Reader::new(outer.value);
    let version = fields.expect(tag::INTEGER, "TimeStampReq.version")?;
    if der_lite::small_unsigned(version.value, "TimeStampReq.version")? != 1 {
        return Err("TimeStampReq.version is not 1".to_string());
    }
    let imprint = fields.expect(tag::SEQUENCE, "TimeStampReq.messageImprint")?;
    let (alg, hashed) = crate::token::parse_message_imprint(imprint.value)?;
    if alg != oids::SHA256 {
        return Err(format!(
            "message imprint uses {alg}, only SHA-256 is supported"
        ));
    }
    let digest: [u8; 32] = hashed
        .as_slice()
        .try_into()
        .map_err(|_| format!("SHA-256 imprint has {} bytes, not 32", hashed.len()))?;
    let policy = match fields.optional(tag::OID, "TimeStampReq.reqPolicy")? {
        Some(tlv) => {
            let oid =
                Oid::from_bytes(tlv.value).map_err(|e| format!("TimeStampReq.reqPolicy: {e}"))?;
            Some((oid.to_string(), oid))
        }
        None => None,
    };
    let nonce = match fields.optional(tag::INTEGER, "TimeStampReq.nonce")? {
        Some(tlv) => Some(der_lite::unsigned_magnitude(
            tlv.value,
            "TimeStampReq.nonce",
        )?),
        None => None,
    };
    let cert_req = match fields.optional(tag::BOOLEAN, "TimeStampReq.certReq")? {
        Some(tlv) => tlv.value.first().is_some_and(|b| *b != 0),
        None => false,
    };
    // Extensions ([0]) are allowed but not interpreted.
    fields.optional(tag::CONTEXT_0_CONSTRUCTED, "TimeStampReq.extensions")?;
    fields.finish("TimeStampReq")?;
    let mut parsed = TimeStampRequest::build(digest, nonce, policy, cert_req);
    // Keep the bytes exactly as received.
    parsed.der = der.to_vec();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_request_round_trips_and_has_fresh_nonces() {
        let a = request([0xab; 32]).unwrap();
        let b = request([0xab; 32]).unwrap();
        assert_ne!(a.nonce(), b.nonce(), "two requests must not share a nonce");
        assert_eq!(a.nonce().map(<[u8]>::len), Some(8));
        let parsed = TimeStampRequest::from_der(a.to_der()).unwrap();
        assert_eq!(parsed, a);
        assert!(parsed.cert_req());
        assert_eq!(parsed.policy(), None);
    }

    #[test]
    fn policy_is_encoded_and_read_back() {
        let req = request([1; 32]).unwrap().with_policy("1.2.3.4.1").unwrap();
        let parsed = TimeStampRequest::from_der(req.to_der()).unwrap();
        assert_eq!(parsed.policy(), Some("1.2.3.4.1"));
        assert!(request([1; 32]).unwrap().with_policy("not an oid").is_err());
    }

    #[test]
    fn malformed_requests_are_errors_not_panics() {
        let der = request([9; 32]).unwrap().to_der().to_vec();
        for cut in 0..der.len() {
            assert!(
                TimeStampRequest::from_der(&der[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }
}
