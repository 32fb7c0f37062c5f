//! Errors, one type per operation, each saying which input and which check.

use crate::response::{FailureInfo, PkiStatus};

/// Building or reading a time-stamp request failed.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The operating system gave no random bytes for the nonce.
    #[error("cannot make a random nonce for the time-stamp request: {0}")]
    Random(String),
    /// The policy is not a dotted object identifier.
    #[error("time-stamp policy {policy:?} is not an object identifier: {problem}")]
    Policy {
        /// The policy text as given.
        policy: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The bytes are not a DER TimeStampReq for a SHA-256 imprint.
    #[error("malformed time-stamp request: {0}")]
    Malformed(String),
}

/// Asking a time-stamping authority for a token failed.
#[derive(Debug, thiserror::Error)]
pub enum ObtainError {
    /// The HTTP exchange itself failed (connection, TLS, timeout, body).
    #[cfg(feature = "http")]
    #[error("time-stamping authority {url}: request failed: {source}")]
    Transport {
        /// The TSA URL.
        url: String,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },
    /// The TSA answered with an HTTP status other than 200.
    #[error("time-stamping authority {url}: HTTP status {status}")]
    HttpStatus {
        /// The TSA URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The TSA answered 200 but not with `application/timestamp-reply`.
    #[error(
        "time-stamping authority {url}: content type {content_type:?}, expected application/timestamp-reply"
    )]
    ContentType {
        /// The TSA URL.
        url: String,
        /// The Content-Type it sent (empty if none).
        content_type: String,
    },
    /// The TSA answered with a PKIStatus other than granted.
    #[error(
        "time-stamping authority {url} refused the request: status {status}{}",
        rejection_details(.status_text, .fail_info)
    )]
    Rejected {
        /// The TSA URL.
        url: String,
        /// The PKIStatus it gave.
        status: PkiStatus,
        /// Its statusString texts.
        status_text: Vec<String>,
        /// Its failInfo bits.
        fail_info: Vec<FailureInfo>,
    },
    /// The body is not a TimeStampResp.
    #[error("time-stamping authority {url}: response is not a valid TimeStampResp: {problem}")]
    BadResponse {
        /// The TSA URL.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A token came back but it does not answer our request or does not verify.
    #[error("time-stamping authority {url}: token does not check out: {source}")]
    Token {
        /// The TSA URL.
        url: String,
        /// The failed check.
        #[source]
        source: VerifyError,
    },
}

/// A time-stamp token failed to parse or one of the checks on it failed.
/// Each variant is one check, so a verifier's output can say exactly what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The bytes are not a DER CMS SignedData time-stamp token.
    #[error("malformed time-stamp token: {0}")]
    Malformed(String),
    /// The signed content is not a TSTInfo.
    #[error("signed content type is {found}, not id-ct-TSTInfo")]
    NotTstInfo {
        /// The eContentType found.
        found: String,
    },
    /// The token must have exactly one signer.
    #[error("token has {count} signers, expected exactly one")]
    SignerCount {
        /// How many SignerInfos there are.
        count: usize,
    },
    /// A hash algorithm we do not support (or do not accept there).
    #[error("unsupported hash algorithm {oid} in {place}")]
    UnsupportedHash {
        /// Where it was found.
        place: &'static str,
        /// Its OID.
        oid: String,
    },
    /// A signature algorithm we do not support.
    #[error("unsupported signature algorithm {oid} in {place}")]
    UnsupportedSignatureAlgorithm {
        /// Where it was found.
        place: &'static str,
        /// Its OID.
        oid: String,
    },
    /// The message imprint is not over SHA-256.
    #[error("message imprint uses {found}, expected SHA-256")]
    ImprintAlgorithm {
        /// The algorithm found.
        found: String,
    },
    /// The time-stamped digest is not the one expected.
    #[error("message imprint {found} does not match the expected digest {expected}")]
    ImprintMismatch {
        /// Expected digest, hex.
        expected: String,
        /// Digest in the token, hex.
        found: String,
    },
    /// The request had a nonce but the token has none.
    #[error("token has no nonce, the request had {expected}")]
    NonceMissing {
        /// The request's nonce, hex.
        expected: String,
    },
    /// The token answers a different request.
    #[error("token nonce {found} does not match the request's nonce {expected}")]
    NonceMismatch {
        /// The request's nonce, hex.
        expected: String,
        /// The token's nonce, hex.
        found: String,
    },
    /// The TSA used another policy than requested.
    #[error("token policy {found} is not the requested policy {requested}")]
    PolicyMismatch {
        /// Requested policy OID.
        requested: String,
        /// Policy in the token.
        found: String,
    },
    /// A signed attribute that RFC 3161/CMS require is missing or malformed.
    #[error("signed attribute {name}: {problem}")]
    SignedAttribute {
        /// Which attribute.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The signed messageDigest attribute is not the hash of the TSTInfo.
    #[error("signed messageDigest does not match the {algorithm} of the TSTInfo (content altered)")]
    MessageDigestMismatch {
        /// The signer's digest algorithm.
        algorithm: String,
    },
    /// No certificate in the token (or the trust list) matches the signer.
    #[error("signer certificate ({signer}) is not in the token or the trust list")]
    SignerCertificateMissing {
        /// The SignerIdentifier, described.
        signer: String,
    },
    /// The ESSCertID/ESSCertIDv2 does not identify the signer certificate.
    #[error("signing certificate attribute does not match the signer certificate: {0}")]
    EssCertIdMismatch(String),
    /// The signature over the signed attributes does not verify.
    #[error("signature by {signer} does not verify: {problem}")]
    BadSignature {
        /// Signer certificate subject.
        signer: String,
        /// What the crypto check said.
        problem: String,
    },
    /// The signer certificate is not a TSA certificate per RFC 3161 §2.3.
    #[error("signer certificate {subject} is not a time-stamping certificate: {problem}")]
    NotTimestampingCertificate {
        /// Signer certificate subject.
        subject: String,
        /// Which requirement failed.
        problem: String,
    },
    /// The token's time lies outside the signer certificate's validity.
    #[error(
        "time-stamp time {gen_time} is outside the validity of signer certificate {subject} ({not_before} to {not_after})"
    )]
    CertificateNotValidAtTime {
        /// Signer certificate subject.
        subject: String,
        /// The genTime.
        gen_time: String,
        /// notBefore.
        not_before: String,
        /// notAfter.
        not_after: String,
    },
    /// The signer certificate does not chain to any given trust anchor.
    #[error("signer certificate {subject} does not chain to a trusted certificate: {problem}")]
    Untrusted {
        /// Signer certificate subject.
        subject: String,
        /// Why not.
        problem: String,
    },
}

/// statusString texts and failInfo names, for the rejection message.
fn rejection_details(status_text: &[String], fail_info: &[FailureInfo]) -> String {
    let mut out = String::new();
    if !status_text.is_empty() {
        out.push_str(&format!(", status text {:?}", status_text.join("; ")));
    }
    if !fail_info.is_empty() {
        let names: Vec<String> = fail_info.iter().map(ToString::to_string).collect();
        out.push_str(&format!(", failInfo {}", names.join(",")));
    }
    out
}
