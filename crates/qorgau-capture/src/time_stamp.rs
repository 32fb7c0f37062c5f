//! Trusted time for a capture: an RFC 3161 token over its manifest hash.
//!
//! The manifest names every file of the capture with its hashes, so one
//! token from an independent time-stamping authority proves that all of
//! them existed no later than the time it states — a fact that does not rest
//! on Qorgau's clock or keys. The token is written next to the manifest as
//! `manifest.tsr` (what `openssl ts -verify -in` reads) so that it becomes an
//! item of the capture like every other file.

use std::path::Path;
use std::time::Duration;

use qorgau_timestamp::Token;

use crate::error::CaptureError;

/// The token file's name inside a capture directory.
pub const TOKEN_FILE: &str = "manifest.tsr";

/// Asks the authority at `tsa_url` to time-stamp `manifest_sha256`, checks
/// that the token answers the request (hash, nonce, signature by the
/// certificate it carries) and writes it to `dir/manifest.tsr`.
pub async fn time_stamp_manifest(
    tsa_url: &str,
    manifest_sha256: [u8; 32],
    dir: &Path,
    timeout: Duration,
) -> Result<Token, CaptureError> {
    let failed = |message: String| CaptureError::TimeStamp {
        tsa: tsa_url.to_owned(),
        message,
    };
    // reqwest is built without a default crypto provider; ring is installed
    // once per process (a second install is refused harmlessly).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| failed(format!("HTTP client: {e}")))?;
    let request = qorgau_timestamp::request(manifest_sha256).map_err(|e| failed(e.to_string()))?;
    let token = qorgau_timestamp::obtain(&client, tsa_url, &request)
        .await
        .map_err(|e| failed(crate::error::error_text(&e)))?;
    let path = dir.join(TOKEN_FILE);
    std::fs::write(&path, token.der())
        .map_err(|e| failed(format!("writing {}: {e}", path.display())))?;
    Ok(token)
}
