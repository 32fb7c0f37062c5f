//! What a capture holds, whichever engine made it.
//!
//! Both engines (the browser over the DevTools protocol and plain HTTP)
//! produce the same [`PageCapture`], so that the WARC, the vault items and
//! the protocol of inspection are written by one piece of code and a court
//! sees the same kind of record whichever way the page was taken.

use qorgau_core::Timestamp;
use serde::{Deserialize, Serialize};

/// How a page was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Headless Chromium driven over the DevTools protocol: scripts run,
    /// lazy content is scrolled into view, a screenshot is taken.
    Browser,
    /// One GET for the page and one for each resource its HTML names; no
    /// scripts, no screenshot.
    Http,
}

impl Engine {
    /// The name used in records and protocols.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Http => "http",
        }
    }
}

/// A header as sent or received, in order, names as written.
pub type Header = (String, String);

/// A request as it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// `GET`, `POST`…
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// Headers in order (with `Host`).
    pub headers: Vec<Header>,
    /// The request body (empty for GET).
    #[serde(skip)]
    pub body: Vec<u8>,
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// `HTTP/1.1`, `HTTP/2`…
    pub protocol: String,
    /// Status code.
    pub status: u16,
    /// Reason phrase (empty under HTTP/2).
    pub reason: String,
    /// Headers in order.
    pub headers: Vec<Header>,
    /// The body. A browser hands bodies after it removed the transfer and
    /// content encodings; `decoded` says so and the WARC keeps the original
    /// encoding headers under other names.
    #[serde(skip)]
    pub body: Vec<u8>,
    /// The body is the decoded content, not the bytes on the wire.
    pub decoded: bool,
    /// Why the body is incomplete, if it is (`length`, `time`, `disconnect`).
    pub truncated: Option<String>,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type without parameters, lower case.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
    }
}

/// One request and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The request.
    pub request: HttpRequest,
    /// The response, unless the request failed before one came.
    pub response: Option<HttpResponse>,
    /// The server's IP address.
    pub server_ip: Option<String>,
    /// When the request was sent.
    pub started_at: Timestamp,
    /// Why the request failed (connection refused, blocked, cancelled…).
    pub error: Option<String>,
    /// What the browser took the resource for (`Document`, `Image`…), or
    /// `page`/`requisite` for plain HTTP.
    pub resource_type: String,
}

/// The certificate a TLS server presented, and whether it was trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsFacts {
    /// TLS version (`TLS 1.3`).
    pub protocol: Option<String>,
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Start of validity, UTC, RFC 3339.
    pub valid_from: String,
    /// End of validity, UTC, RFC 3339.
    pub valid_to: String,
    /// Subject alternative names.
    pub san: Vec<String>,
    /// Whether the certificate chains to a trusted root and names the host.
    /// Capture goes on either way: a suspect's site with a self-signed
    /// certificate is still evidence.
    pub trusted: bool,
    /// Why it was not trusted.
    pub trust_error: Option<String>,
    /// The end-entity certificate, DER, when the engine could read it.
    #[serde(skip)]
    pub certificate_der: Option<Vec<u8>>,
}

/// A captured page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageCapture {
    /// The URL asked for.
    pub requested_url: String,
    /// The URL of the page after redirects.
    pub final_url: String,
    /// Engine used.
    pub engine: Engine,
    /// Start and end of the capture (UTC).
    pub started_at: Timestamp,
    /// End of the capture.
    pub finished_at: Timestamp,
    /// The page's HTTP status, if a response came.
    pub status: Option<u16>,
    /// The server's IP address for the final URL.
    pub server_ip: Option<String>,
    /// TLS certificate of the final URL's server.
    pub tls: Option<TlsFacts>,
    /// `<title>`.
    pub title: Option<String>,
    /// The visible text.
    pub visible_text: String,
    /// Outgoing links, absolute, in page order, without repeats.
    pub links: Vec<String>,
    /// The rendered DOM (browser) or the HTML as served and decoded (HTTP).
    #[serde(skip)]
    pub dom_html: Option<String>,
    /// A full-page PNG (browser only).
    #[serde(skip)]
    pub screenshot_png: Option<Vec<u8>>,
    /// Why the screenshot is missing or covers less than the page.
    pub screenshot_note: Option<String>,
    /// Every request made, in order.
    #[serde(skip)]
    pub exchanges: Vec<Exchange>,
    /// `Chrome/156.0…` or `qorgau/0.1.0 (reqwest)`.
    pub user_agent: String,
    /// Browser product and version, when a browser was used.
    pub browser_version: Option<String>,
    /// Viewport width and height in CSS pixels (browser).
    pub viewport: Option<(u32, u32)>,
    /// Why the capture is partial (the page never finished loading, a body
    /// was cut at the size limit); `None` when complete.
    pub partial: Option<String>,
    /// Things the examiner should know (redirects to other hosts, an
    /// untrusted certificate, a guessed encoding).
    pub warnings: Vec<String>,
}

impl PageCapture {
    /// The exchanges whose response is an image, video or audio file: the
    /// embedded media stored as items of their own.
    pub fn media(&self) -> impl Iterator<Item = (&Exchange, &HttpResponse)> {
        self.exchanges.iter().filter_map(|e| {
            let r = e.response.as_ref()?;
            let t = r.media_type()?;
            ((t.starts_with("image/") || t.starts_with("video/") || t.starts_with("audio/"))
                && !r.body.is_empty())
            .then_some((e, r))
        })
    }
}

/// Limits a capture keeps to.
#[derive(Debug, Clone)]
pub struct CaptureOptions {
    /// How long to wait for the page to load before taking what is there
    /// and marking the capture partial.
    pub load_timeout: std::time::Duration,
    /// How long the network must stay quiet before the page counts as
    /// settled, and the longest wait for it.
    pub idle: std::time::Duration,
    /// Longest wait for network quiet after load and scrolling.
    pub settle_timeout: std::time::Duration,
    /// Largest body kept per resource; larger ones are cut and marked.
    pub max_body_bytes: usize,
    /// Most resources fetched for one page (plain HTTP).
    pub max_resources: usize,
    /// Viewport in CSS pixels (browser).
    pub viewport: (u32, u32),
    /// Tallest screenshot, in CSS pixels; taller pages are cut and noted.
    pub max_screenshot_height: u32,
    /// Most scroll steps taken to load lazy content.
    pub max_scroll_steps: u32,
    /// `User-Agent` for plain HTTP.
    pub user_agent: String,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        Self {
            load_timeout: std::time::Duration::from_secs(20),
            idle: std::time::Duration::from_millis(500),
            settle_timeout: std::time::Duration::from_secs(5),
            max_body_bytes: 50 * 1024 * 1024,
            max_resources: 300,
            viewport: (1366, 900),
            max_screenshot_height: 16_000,
            max_scroll_steps: 40,
            user_agent: format!(
                "Mozilla/5.0 (compatible; Qorgau/{}; evidence capture)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}
