//! Certificates as they appear in tokens and trust lists: original bytes
//! (for hashes and signatures) beside the `x509-cert` decoding (for names,
//! keys, extensions and validity).

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{ExtendedKeyUsage, SubjectKeyIdentifier};

use crate::der_lite::{Reader, tag};

/// A certificate with the raw slices verification needs.
#[derive(Clone, Debug)]
pub(crate) struct CertRaw<'a> {
    pub raw: &'a [u8],
    pub tbs: &'a [u8],
    pub serial: Vec<u8>,
    pub issuer: &'a [u8],
    pub subject: &'a [u8],
    pub signature_alg: der::asn1::ObjectIdentifier,
    pub signature: &'a [u8],
    pub decoded: Certificate,
}

impl<'a> CertRaw<'a> {
    /// Splits a DER certificate and decodes it.
    pub(crate) fn parse(raw: &'a [u8]) -> Result<Self, String> {
        let cert = crate::der_lite::single(raw, tag::SEQUENCE, "Certificate")?;
        let mut c = Reader::new(cert.value);
        let tbs = c.expect(tag::SEQUENCE, "Certificate.tbsCertificate")?;
        let sig_alg = c.expect(tag::SEQUENCE, "Certificate.signatureAlgorithm")?;
        let signature = c.expect(tag::BIT_STRING, "Certificate.signature")?;
        c.finish("Certificate")?;
        let signature = match signature.value.split_first() {
            Some((0, bits)) => bits,
            _ => return Err("Certificate.signature: BIT STRING with unused bits".into()),
        };
        let mut t = Reader::new(tbs.value);
        t.optional(tag::CONTEXT_0_CONSTRUCTED, "TBSCertificate.version")?;
        let serial = t.expect(tag::INTEGER, "TBSCertificate.serialNumber")?;
        t.expect(tag::SEQUENCE, "TBSCertificate.signature")?;
        let issuer = t.expect(tag::SEQUENCE, "TBSCertificate.issuer")?;
        t.expect(tag::SEQUENCE, "TBSCertificate.validity")?;
        let subject = t.expect(tag::SEQUENCE, "TBSCertificate.subject")?;
        let decoded = Certificate::from_der(raw).map_err(|e| format!("Certificate: {e}"))?;
        Ok(Self {
            raw,
            tbs: tbs.raw,
            serial: serial.value.to_vec(),
            issuer: issuer.raw,
            subject: subject.raw,
            signature_alg: crate::token::algorithm_oid(
                sig_alg.value,
                "Certificate.signatureAlgorithm",
            )?,
            signature,
            decoded,
        })
    }

    /// The subjectKeyIdentifier extension's key id, if present.
    pub(crate) fn subject_key_id(&self) -> Option<Vec<u8>> {
        self.decoded
            .tbs_certificate()
            .get_extension::<SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .map(|(_, ski)| ski.0.as_bytes().to_vec())
    }

    /// Subject in RFC 4514 form.
    pub(crate) fn subject_text(&self) -> String {
        name_text(self.subject)
    }

    /// The extendedKeyUsage extension: (critical, purposes), if present.
    pub(crate) fn extended_key_usage(
        &self,
    ) -> Result<Option<(bool, Vec<der::asn1::ObjectIdentifier>)>, String> {
        self.decoded
            .tbs_certificate()
            .get_extension::<ExtendedKeyUsage>()
            .map(|found| found.map(|(critical, eku)| (critical, eku.0)))
            .map_err(|e| format!("extendedKeyUsage: {e}"))
    }

    /// Whether basicConstraints says this is a CA.
    pub(crate) fn is_ca(&self) -> bool {
        self.decoded
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::BasicConstraints>()
            .ok()
            .flatten()
            .is_some_and(|(_, bc)| bc.ca)
    }
}

/// A DER Name in RFC 4514 form, or hex if it does not decode.
pub(crate) fn name_text(der: &[u8]) -> String {
    x509_cert::name::Name::from_der(der)
        .map(|n| n.to_string())
        .unwrap_or_else(|_| format!("<name {}>", hex::encode(der)))
}

/// Reads certificates from PEM text (one or more `CERTIFICATE` blocks), for
/// trust lists such as a TSA's CA file.
pub fn certificates_from_pem(pem: &[u8]) -> Result<Vec<Certificate>, der::Error> {
    Certificate::load_pem_chain(pem)
}

/// Reads one DER certificate.
pub fn certificate_from_der(der: &[u8]) -> Result<Certificate, der::Error> {
    Certificate::from_der(der)
}

/// DER of a decoded certificate (trust anchors are given decoded).
pub(crate) fn to_der(cert: &Certificate) -> Result<Vec<u8>, der::Error> {
    cert.to_der()
}
