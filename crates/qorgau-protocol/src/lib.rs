//! The protocol of inspection of an internet resource («протокол осмотра
//! интернет-ресурса»), the document a Kazakh investigator hands over when a
//! resource is preserved before it is blocked (study 2.3.2, checklist 5.3):
//! who inspected what, when (UTC and Almaty time), with which software and
//! version, from which network address; each URL with its final URL, server
//! IP, certificate and the steps taken; the screenshots; every file with its
//! size, MD5 and SHA-256; the public key and how to verify offline; and
//! signature lines for the inspector and the participants.
//!
//! The caller builds an [`Inspection`] (plain serde data) and calls
//! [`render`] (or [`render_html`] / [`render_pdf`]). All wording comes from
//! the `qorgau-i18n` catalogues, Russian first, Kazakh and English with the
//! same content; both formats are rendered from one intermediate document so
//! they say the same thing.

mod document;
mod error;
mod html;
mod image;
mod model;
mod pdf;
mod time;

use std::fmt;
use std::str::FromStr;

pub use error::RenderError;
pub use model::{
    Action, FileRow, Inspection, Participant, Person, Role, Screenshot, Step, Target, TimeStamp,
    Tls, Tool, Verification,
};
pub use qorgau_i18n::Lang;

/// Output format of a protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A4 PDF with embedded fonts: the document to print, sign and file.
    Pdf,
    /// One self-contained HTML page: to read on screen and archive.
    Html,
}

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// A format name that is neither `pdf` nor `html`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown protocol format \"{0}\": expected pdf or html")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Ok(Format::Pdf),
            "html" | "htm" => Ok(Format::Html),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// Renders the protocol of `inspection` in `lang` as `format`.
///
/// Checks the inspection first and refuses, naming the problem: end before
/// start, a screenshot whose bytes do not hash to its stated SHA-256 or that
/// is not a readable PNG, a file hash that is not hex of the right length.
pub fn render(inspection: &Inspection, lang: Lang, format: Format) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Pdf => render_pdf(inspection, lang),
        Format::Html => render_html(inspection, lang).map(String::into_bytes),
    }
}

/// The protocol as a self-contained HTML page (UTF-8).
pub fn render_html(inspection: &Inspection, lang: Lang) -> Result<String, RenderError> {
    let doc = document::build(inspection, lang)?;
    Ok(html::render(&doc))
}

/// The protocol as an A4 PDF.
pub fn render_pdf(inspection: &Inspection, lang: Lang) -> Result<Vec<u8>, RenderError> {
    let doc = document::build(inspection, lang)?;
    pdf::render(&doc)
}
