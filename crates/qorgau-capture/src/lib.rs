//! Capture: preserving a web page or a public Telegram channel before it is
//! blocked or deleted.
//!
//! Ads and accounts disappear within hours and escort sites hop domains, so
//! an investigator fixes a resource's content the moment it is found: the
//! HTTP traffic (for a WARC), a full-page screenshot, the rendered DOM, the
//! title, visible text, outgoing links and embedded media, with the server's
//! address and certificate. Two engines make the same [`PageCapture`]:
//! [`BrowserEngine`] drives a real headless Chromium over the DevTools
//! protocol (scripts run, lazy content is scrolled into view), and
//! [`HttpEngine`] captures over plain HTTP for pages that need no script and
//! machines with no browser. Storing the capture in the vault is the
//! caller's business: this crate does network and browser I/O only.

mod browser;
mod bundle;
mod diff;
mod error;
mod http_engine;
mod model;
mod requisites;
mod source_address;
mod telegram;
mod time_stamp;
mod tls;
mod warc_out;

pub use browser::{BrowserEngine, find_chromium};
pub use bundle::{Bundle, BundleFile, Provenance, write_channel, write_page};
pub use diff::{CaptureDiff, CaptureView, FieldChange, LineChange, diff};
pub use error::CaptureError;
pub use http_engine::HttpEngine;
pub use model::{
    CaptureOptions, Engine, Exchange, Header, HttpRequest, HttpResponse, PageCapture, TlsFacts,
};
pub use source_address::local_address_towards;
pub use telegram::{
    ChannelCapture, ChannelLimits, ChannelPost, capture_channel, channel_in_path, channel_of,
};
pub use time_stamp::{TOKEN_FILE, time_stamp_manifest};
pub use tls::describe_certificate;

/// Either engine, chosen once per run (`--no-browser` or not).
pub enum Capturer {
    /// Headless Chromium.
    Browser(Box<BrowserEngine>),
    /// Plain HTTP.
    Http(HttpEngine),
}

impl Capturer {
    /// Captures one page with the engine.
    pub async fn capture(&self, url: &str) -> Result<PageCapture, CaptureError> {
        match self {
            Self::Browser(b) => b.capture(url).await,
            Self::Http(h) => h.capture(url).await,
        }
    }

    /// Which engine this is.
    pub fn engine(&self) -> Engine {
        match self {
            Self::Browser(_) => Engine::Browser,
            Self::Http(_) => Engine::Http,
        }
    }

    /// Stops the browser, if one runs.
    pub async fn close(self) {
        if let Self::Browser(b) = self {
            (*b).close().await;
        }
    }
}
