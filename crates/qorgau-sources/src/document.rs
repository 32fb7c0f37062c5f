//! The document every reader produces.

use serde::{Deserialize, Serialize};

/// One piece of text to scan, with where it came from.
///
/// Every input format (JSON Lines, Telegram exports, channel pages, HTML,
/// text, CSV, feeds) is turned into this one shape, so that the detection
/// pipeline reads a single stream whatever the source; what a format knows
/// beyond these fields is kept in [`Document::extra`] rather than dropped,
/// because an investigator may need it later (a forwarded-from header, a
/// photo path, a view count).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Document {
    /// Stable identifier, unique within its input (see each format for its form).
    pub id: String,
    /// The text to scan, as a reader would see it.
    pub text: String,
    /// Where the document can be seen on the web, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The channel, site or list it came from (`telegram:@name`, a host...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Who wrote or posted it, as the source names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication time: RFC 3339 when the source gives or allows it,
    /// otherwise the source's own text (documented per format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// Fields this crate does not interpret, kept as they were; and
    /// `images`, the pictures the document shows, as the readers found
    /// them ([`Document::images`], [`crate::ImageRef`]): kept here rather
    /// than in a field of their own so that documents built field by field
    /// elsewhere keep compiling, and older JSON reads unchanged.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
