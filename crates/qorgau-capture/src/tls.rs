//! TLS for plain-HTTP capture: record the certificate and the trust
//! verdict, and capture either way.
//!
//! A browser or an ordinary client refuses a site whose certificate no
//! authority signed; an investigator must still preserve it, and the
//! protocol must say that the certificate was not trusted. So the client's
//! verifier asks the platform verifier for its verdict, writes down the
//! certificate and the verdict per server name, and lets the connection go
//! on. Handshake signatures are still checked (the server must hold the key
//! of the certificate it shows).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use x509_cert::der::Decode;

use crate::model::TlsFacts;

/// What the verifier saw for one server name.
#[derive(Debug, Clone)]
struct Seen {
    der: Vec<u8>,
    error: Option<String>,
}

/// The recording verifier; shared with the engine, which asks it for the
/// certificate of a host after a request.
#[derive(Debug)]
pub(crate) struct RecordingVerifier {
    inner: Arc<dyn ServerCertVerifier>,
    seen: Mutex<HashMap<String, Seen>>,
}

impl RecordingVerifier {
    pub(crate) fn new(provider: Arc<rustls::crypto::CryptoProvider>) -> Result<Self, String> {
        let inner = rustls_platform_verifier::Verifier::new(provider).map_err(|e| e.to_string())?;
        Ok(Self {
            inner: Arc::new(inner),
            seen: Mutex::default(),
        })
    }

    /// The certificate `host` presented last, with the verdict.
    pub(crate) fn facts(&self, host: &str) -> Option<TlsFacts> {
        let seen = self.seen.lock().ok()?.get(host).cloned()?;
        let mut facts = describe_certificate(&seen.der).unwrap_or_else(|e| TlsFacts {
            protocol: None,
            subject: format!("(certificate not readable: {e})"),
            issuer: String::new(),
            valid_from: String::new(),
            valid_to: String::new(),
            san: Vec::new(),
            trusted: false,
            trust_error: None,
            certificate_der: None,
        });
        facts.trusted = seen.error.is_none();
        facts.trust_error = seen.error;
        facts.certificate_der = Some(seen.der);
        Some(facts)
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(
                server_name.to_str().into_owned(),
                Seen {
                    der: end_entity.to_vec(),
                    error: verdict.err().map(|e| e.to_string()),
                },
            );
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Subject, issuer, validity and names of a DER certificate.
pub fn describe_certificate(der: &[u8]) -> Result<TlsFacts, String> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|e| e.to_string())?;
    let tbs = cert.tbs_certificate();
    let time = |t: &x509_cert::time::Time| {
        i64::try_from(t.to_unix_duration().as_secs())
            .ok()
            .and_then(|secs| chrono::DateTime::<chrono::Utc>::from_timestamp(secs, 0))
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    let mut san = Vec::new();
    if let Ok(Some((_, names))) = tbs.get_extension::<x509_cert::ext::pkix::SubjectAltName>() {
        for name in names.0 {
            match name {
                x509_cert::ext::pkix::name::GeneralName::DnsName(d) => san.push(d.to_string()),
                x509_cert::ext::pkix::name::GeneralName::IpAddress(ip) => {
                    let b = ip.as_bytes();
                    let text = match b.len() {
                        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
                        16 => {
                            let mut a = [0u8; 16];
                            a.copy_from_slice(b);
                            std::net::Ipv6Addr::from(a).to_string()
                        }
                        _ => continue,
                    };
                    san.push(text);
                }
                _ => {}
            }
        }
    }
    Ok(TlsFacts {
        protocol: None,
        subject: tbs.subject().to_string(),
        issuer: tbs.issuer().to_string(),
        valid_from: time(&tbs.validity().not_before),
        valid_to: time(&tbs.validity().not_after),
        san,
        trusted: false,
        trust_error: None,
        certificate_der: Some(der.to_vec()),
    })
}
