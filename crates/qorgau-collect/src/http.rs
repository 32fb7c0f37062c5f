//! One HTTP client for every fetch, with the limits an OSINT tool needs:
//! a clear user agent, timeouts, a redirect limit and a size cap, and a
//! record of what was asked and answered (for the OSINT log).

use std::time::Duration;

use qorgau_core::{Sha256Digest, Timestamp};
use sha2::Digest;

use crate::error::CollectError;

/// Limits and identity of the client.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The `User-Agent` sent.
    pub user_agent: String,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Largest answer read, in bytes.
    pub max_bytes: usize,
    /// Pause between two requests of one run (politeness toward the site).
    pub pause: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            user_agent: format!("Qorgau/{} (OSINT monitoring)", env!("CARGO_PKG_VERSION")),
            timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            pause: Duration::from_millis(500),
        }
    }
}

/// An answer as fetched, with what the OSINT log needs to reproduce it.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// The URL answered, after redirects.
    pub final_url: String,
    /// HTTP status.
    pub status: u16,
    /// When the answer came.
    pub fetched_at: Timestamp,
    /// `Content-Type`, if given.
    pub content_type: Option<String>,
    /// The server's address.
    pub remote_addr: Option<String>,
    /// The body (decompressed).
    pub body: Vec<u8>,
    /// SHA-256 of the body.
    pub sha256: Sha256Digest,
}

impl Fetched {
    /// Whether the status says the resource is gone (404 or 410).
    pub fn is_gone(&self) -> bool {
        matches!(self.status, 404 | 410)
    }

    /// Whether the status is a success (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The request as recorded in a run: URL, final URL, status, time, size, digest.
    pub fn log_record(&self) -> serde_json::Value {
        serde_json::json!({
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "at": self.fetched_at.to_utc_string(),
            "bytes": self.body.len(),
            "sha256": self.sha256.to_hex(),
            "remote_addr": self.remote_addr,
        })
    }
}

/// The HTTP client.
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    options: HttpOptions,
}

impl HttpClient {
    /// A client with these options; TLS uses the system's root certificates.
    pub fn new(options: HttpOptions) -> Result<Self, CollectError> {
        // reqwest is built without a default crypto provider (aws-lc needs
        // cmake and minutes of C on every clean build); ring is installed
        // here once. A second install returns Err, which is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(options.user_agent.clone())
            .timeout(options.timeout)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .map_err(|e| CollectError::Client(e.to_string()))?;
        Ok(Self { client, options })
    }

    /// The pause to keep between requests.
    pub fn pause(&self) -> Duration {
        self.options.pause
    }

    /// GETs `url`, reading at most the size limit.
    pub async fn get(&self, url: &str) -> Result<Fetched, CollectError> {
        let request_error = |e: reqwest::Error| CollectError::Request {
            url: url.to_owned(),
            message: describe(&e),
        };
        let mut response = self.client.get(url).send().await.map_err(request_error)?;
        let status = response.status().as_u16();
        let final_url = response.url().to_string();
        let remote_addr = response.remote_addr().map(|a| a.ip().to_string());
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let limit = self.options.max_bytes;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(request_error)? {
            if body.len() + chunk.len() > limit {
                return Err(CollectError::TooLarge {
                    url: url.to_owned(),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let sha256 = Sha256Digest::from_bytes(sha2::Sha256::digest(&body).into());
        Ok(Fetched {
            url: url.to_owned(),
            final_url,
            status,
            fetched_at: Timestamp::now(),
            content_type,
            remote_addr,
            body,
            sha256,
        })
    }
}

/// reqwest's Display hides the cause ("error sending request"); the chain
/// says what happened (connection refused, certificate, timeout).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
