//! A synthetic web site on loopback for capture and monitoring tests and
//! benchmarks.
//!
//! Capture has to be tested against the things real pages do to a capture
//! tool — redirects, images that load only when scrolled to, a page that
//! never finishes, a 404, a certificate no authority signed, windows-1251,
//! a page of many megabytes, a Telegram channel preview with older posts
//! behind "load more" — and tests may not leave the machine. Every page
//! here is generated (no real person, number or account), deterministic,
//! and served on `127.0.0.1` over plain HTTP and over TLS with a
//! self-signed certificate made at start.
//!
//! [`TestSite::start`] runs both servers on a runtime of their own in a
//! background thread, so blocking tests, async tests and benchmarks can all
//! use it. `qorgau-testsite` the binary serves the same site for manual
//! runs and benchmarks against other tools (`wget --warc-file`).

mod pages;
mod server;
mod telegram;
pub mod tsa;

pub use pages::{
    BENCH_PAGES, CP1251_TEXT, HUGE_PAGE_BYTES, LAZY_IMAGES, NEVER_FIRST_CHUNK, ad_text,
    bench_page_resources,
};
pub use server::TestSite;
pub use telegram::{CHANNEL, CHANNEL_POSTS, PAGE_POSTS, post_text};
