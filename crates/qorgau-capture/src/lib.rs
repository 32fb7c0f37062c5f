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
mod error;
mod http_engine;
mod model;
mod requisites;
mod tls;

pub use browser::{BrowserEngine, find_chromium};
pub use error::CaptureError;
pub use http_engine::HttpEngine;
pub use model::{
    CaptureOptions, Engine, Exchange, Header, HttpRequest, HttpResponse, PageCapture, TlsFacts,
};
pub use tls::describe_certificate;
