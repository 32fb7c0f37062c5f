//! Why a capture could not be made.

/// A capture error. Each names the URL or the program concerned and what
/// the operator can do about it.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The URL is not an absolute http(s) URL.
    #[error("{url}: not an http(s) URL ({reason})")]
    BadUrl {
        /// As given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No Chromium could be found or started.
    #[error(
        "no usable Chromium: {reason}. Install Debian's package (`apt-get install chromium`), \
         point --chromium (or QORGAU_CHROMIUM) at a Chromium or Chrome binary, \
         or capture without a browser (--no-browser)"
    )]
    NoBrowser {
        /// What was tried.
        reason: String,
    },
    /// The browser failed while capturing.
    #[error("{url}: the browser failed: {message}")]
    Browser {
        /// The page.
        url: String,
        /// The DevTools error.
        message: String,
    },
    /// The page could not be fetched at all (no response to keep).
    #[error("{url}: {message}")]
    Fetch {
        /// The page.
        url: String,
        /// What went wrong (DNS, refused connection, TLS handshake…).
        message: String,
    },
    /// No time-stamp token could be obtained for a capture's manifest.
    #[error("time-stamping authority {tsa}: {message}")]
    TimeStamp {
        /// The TSA URL.
        tsa: String,
        /// What went wrong.
        message: String,
    },
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(String),
}

/// An error with its causes (reqwest's and the TSA client's say what
/// actually failed only there), each cause once: a cause whose text the
/// message already holds is not repeated.
pub(crate) fn error_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
