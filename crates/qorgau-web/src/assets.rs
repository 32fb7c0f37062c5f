//! The stylesheet and the script, compiled into the binary: no CDN, no
//! files to deploy beside it, and a version in the URL so a browser never
//! mixes an old stylesheet with new pages.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

/// Where the stylesheet is served.
pub const CSS_PATH: &str = concat!("/static/app.css?v=", env!("CARGO_PKG_VERSION"));
/// Where the script is served.
pub const JS_PATH: &str = concat!("/static/app.js?v=", env!("CARGO_PKG_VERSION"));

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

/// `GET /static/app.css`.
pub async fn css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        CSS,
    )
}

/// `GET /static/app.js`.
pub async fn js() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        JS,
    )
}
