//! Why a protocol could not be rendered.

/// An inspection that cannot be rendered, or a failure of the PDF writer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// `finished_at` is before `started_at`.
    #[error("inspection of case {case}: finished at {finished} before it started at {started}")]
    TimeOrder {
        /// The case.
        case: String,
        /// Start, RFC 3339.
        started: String,
        /// End, RFC 3339.
        finished: String,
    },
    /// A screenshot's bytes do not have the SHA-256 the inspection states;
    /// the protocol must not embed an image under another image's hash.
    #[error("screenshot {name}: the PNG's SHA-256 is {actual}, the inspection says {stated}")]
    ScreenshotHash {
        /// Screenshot name.
        name: String,
        /// What the inspection says.
        stated: String,
        /// What the bytes hash to.
        actual: String,
    },
    /// A screenshot is not a PNG that can be read (or is too large).
    #[error("screenshot {name}: not a readable PNG: {reason}")]
    BadPng {
        /// Screenshot name.
        name: String,
        /// What the decoder said.
        reason: String,
    },
    /// A hash in the file table is not hex of the right length.
    #[error("file {name}: {algorithm} \"{value}\" is not {digits} hex digits")]
    BadDigest {
        /// File name.
        name: String,
        /// `MD5` or `SHA-256`.
        algorithm: &'static str,
        /// The value given.
        value: String,
        /// Expected number of hex digits.
        digits: usize,
    },
    /// The embedded font could not be read (a build defect).
    #[error("embedded font {0} could not be read")]
    Font(&'static str),
    /// The PDF writer failed.
    #[error("PDF could not be written: {0}")]
    Pdf(String),
}
