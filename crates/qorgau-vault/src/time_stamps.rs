//! Checking the RFC 3161 time-stamps stored with captures.
//!
//! A token is only as good as the authority behind it. Its signature and
//! the hash it vouches for are checked always; whose signature it is, only
//! against the TSA certificates an administrator placed in
//! `<data-dir>/keys/tsa/*.pem` (the same directory scheme as the ledger's
//! trusted keys). Without any, `verify` says that the token proves the
//! manifest is unchanged since its time but not who gave that time.

use std::path::Path;

use qorgau_timestamp::Certificate;
use serde::Serialize;

use crate::error::VaultError;

/// A capture's time-stamp that verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeStampCheck {
    /// The capture.
    pub capture: String,
    /// The authority it was asked of.
    pub authority: String,
    /// The time the authority vouches for, RFC 3339 UTC.
    pub gen_time: String,
    /// Subject of the certificate that signed the token.
    pub signer: String,
    /// The trusted TSA certificate the signer chains to; `None` when no TSA
    /// certificates are configured (integrity checked, identity not).
    pub trusted_by: Option<String>,
}

/// Reads the trusted TSA certificates; none when the directory is absent.
/// A file that is not PEM certificates is an error naming it: a trust
/// anchor silently skipped would turn every token into "untrusted".
pub fn tsa_anchors(dir: &Path) -> Result<Vec<Certificate>, VaultError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(VaultError::io(format!("reading {}", dir.display()), e)),
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .collect();
    paths.sort();
    let mut anchors = Vec::new();
    for path in paths {
        let pem = std::fs::read(&path)
            .map_err(|e| VaultError::io(format!("reading {}", path.display()), e))?;
        let certs = qorgau_timestamp::certificates_from_pem(&pem).map_err(|e| {
            VaultError::Input(format!(
                "{}: not a PEM certificate of a time-stamping authority: {e}",
                path.display()
            ))
        })?;
        if certs.is_empty() {
            return Err(VaultError::Input(format!(
                "{}: holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)",
                path.display()
            )));
        }
        anchors.extend(certs);
    }
    Ok(anchors)
}

/// Checks one stored token (base64 DER) against the manifest hash it must
/// vouch for; `Err` is the problem in words.
pub fn check_token(
    token_b64: &str,
    manifest_sha256: &[u8; 32],
    anchors: &[Certificate],
) -> Result<(String, String, Option<String>), String> {
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD
        .decode(token_b64)
        .map_err(|e| format!("the stored time-stamp token is not base64: {e}"))?;
    let trust = (!anchors.is_empty()).then_some(anchors);
    let verified = qorgau_timestamp::verify(&der, manifest_sha256, trust)
        .map_err(|e| format!("the time-stamp token does not verify: {e}"))?;
    Ok((
        verified.info.gen_time.to_rfc3339(),
        verified.signer_subject,
        verified.trusted_by,
    ))
}
