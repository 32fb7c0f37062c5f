//! Authenticity signals of an image: evidence for an expert, never a verdict.
//!
//! Investigators meet photos in ads and chats that may have been edited,
//! composed from several pictures or generated. Qorgau cannot decide that, and
//! must not pretend to: every method here has innocent explanations and blind
//! spots. What it can do is run the standard, documented checks an image
//! examiner would run first, and set out for each what was observed (with the
//! values), what it may mean and what it cannot show, so that the examiner
//! (and a court reading the report) sees the limits next to the finding.
//! [`examine`] returns an [`Examination`]: a list of [`Signal`]s with neutral
//! [`Level`]s (`note`, `worth_examining`; there is deliberately no "fake" or
//! "authentic"), the JPEG quantisation tables, and an error-level image.
//!
//! # The checks
//!
//! * **Metadata consistency** (`metadata.rs`, with the names of editors and
//!   generators as data in `software.rs`): no EXIF at all; editing or
//!   generating software in EXIF `Software`, XMP `CreatorTool` and history, PNG
//!   text chunks (`parameters` of Stable Diffusion front-ends and the like) and
//!   the IPTC digital source type; camera make without model or the reverse;
//!   modification time after the original time; original times in the future
//!   or before 1990; GPS at 0,0 or out of range; EXIF dimensions that are not
//!   the image's; XMP edit history; an EXIF thumbnail that is not the image
//!   (`thumbnail.rs`: dHash, pHash and aspect ratio through [`crate::phash`]).
//! * **JPEG quantisation tables** (`quantisation.rs`): the DQT tables as
//!   stored, and the nearest quality of the IJG (libjpeg) standard tables
//!   scaled by libjpeg's formula, exact or not.
//! * **Double JPEG compression** (`coefficients.rs`, `double_compression.rs`):
//!   the quantised DCT coefficients of the luminance are read from the file
//!   itself (a minimal baseline Huffman reader, bounded, written here: no
//!   maintained crate exposes them) and the histograms of the low-frequency
//!   coefficients are searched for the periodic gaps and peaks a second
//!   quantisation leaves (Lukáš & Fridrich 2003; Popescu & Farid 2004).
//! * **Blocking grid** (`grid.rs`): where the 8×8 blocking of an earlier JPEG
//!   compression lies in the decoded pixels; a grid that is not the file's own
//!   means compression before a crop or shift, and a grid in a PNG means the
//!   PNG was a JPEG before.
//! * **Error level analysis** (`ela.rs`): the image re-saved as JPEG quality
//!   90, the amplified difference returned as a PNG for the examiner to look
//!   at. A visual aid only.
//! * **Content Credentials (C2PA)** (`content_credentials.rs`): manifest
//!   stores are found in JPEG APP11, PNG `caBX`, WebP `C2PA` and ISO-BMFF
//!   `uuid` boxes, verified offline with the `c2pa` crate (signature,
//!   binding to these bytes, certificate profile, and trust when the
//!   installation gives trust anchors), and their readable parts reported.
//!
//! # Contract
//!
//! Bytes in, an [`Examination`] out: no I/O, no error type, no panic on any
//! input (each analysis is also run under `catch_unwind`, so that a bug in one
//! becomes a note rather than a lost examination). A damaged or truncated file
//! gives notes saying what could not be done. Memory is bounded: pixels are
//! decoded only under [`crate::phash::MAX_PIXELS`]; the coefficient reader
//! keeps histograms, not coefficients, and stops after a fixed number of
//! blocks; metadata blocks are capped as in the rest of the crate.

mod coefficients;
mod content_credentials;
mod double_compression;
mod ela;
mod grid;
mod metadata;
mod quantisation;
mod segments;
mod software;
mod thumbnail;
mod time;

use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{SystemTime, UNIX_EPOCH};

use image::{DynamicImage, RgbImage};
use serde::{Deserialize, Serialize};

use crate::MediaMetadata;
use crate::phash::{self, HashError};

pub use ela::{
    GAIN as ERROR_LEVEL_GAIN, MAX_SIDE as ERROR_LEVEL_MAX_SIDE, QUALITY as ERROR_LEVEL_QUALITY,
    error_level_image,
};
pub use quantisation::{QuantisationTable, QuantisationTables};

/// The name and version of this set of methods, stored with every
/// examination: thresholds and texts change between versions, so a stored
/// examination must say which version made it.
pub const METHOD: &str = "qorgau-authenticity-v1";

/// The result of examining one image: what each check observed.
///
/// Stored as JSON with the evidence item and shown in the web page and the
/// CLI, so every field has a stable name. The error-level image's PNG bytes
/// are not part of the JSON (see [`ErrorLevelImage::png`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Examination {
    /// [`METHOD`] at the time of the examination.
    pub method: String,
    /// The container found in the content (`"jpeg"`, `"png"`, `"webp"`,
    /// `"gif"`…), or empty when none was recognised.
    pub container: String,
    /// Width of the stored pixel grid, when the image could be decoded.
    pub width: Option<u32>,
    /// Height of the stored pixel grid, when the image could be decoded.
    pub height: Option<u32>,
    /// What the checks observed, metadata first, then the pixel and
    /// compression analyses, then Content Credentials.
    pub signals: Vec<Signal>,
    /// The JPEG quantisation tables and the quality estimate (JPEG only).
    pub quantisation: Option<QuantisationTables>,
    /// The error-level image for the examiner, when it could be made.
    pub error_level: Option<ErrorLevelImage>,
    /// Checks that could not run and why (not a JPEG, too small, damaged
    /// data…), so that the absence of a signal is never mistaken for a
    /// clean result.
    pub notes: Vec<String>,
}

impl Examination {
    /// The signals of one kind (see [`kind`]), for callers that look for a
    /// particular check.
    pub fn signals_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Signal> + 'a {
        self.signals.iter().filter(move |s| s.kind == kind)
    }
}

/// One observation, with what it can and cannot mean.
///
/// The three texts are meant to be shown together: an examiner or a court
/// must never see `observed` without `cannot_show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// Stable machine name of the check, snake_case (see [`kind`]).
    pub kind: String,
    /// How much attention it deserves; never a verdict.
    pub level: Level,
    /// What was found, in plain English with the values.
    pub observed: String,
    /// What it may mean.
    pub may_mean: String,
    /// What it cannot show: the innocent explanations and the blind spots.
    pub cannot_show: String,
}

impl Signal {
    fn new(
        kind: &str,
        level: Level,
        observed: impl Into<String>,
        may_mean: impl Into<String>,
        cannot_show: impl Into<String>,
    ) -> Self {
        Self {
            kind: kind.to_string(),
            level,
            observed: observed.into(),
            may_mean: may_mean.into(),
            cannot_show: cannot_show.into(),
        }
    }
}

/// How much attention a signal deserves. Deliberately neutral: there is no
/// level that says an image is fake or authentic, because no single signal
/// (nor all of them together) can say that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Context for the examiner: common, usually innocent, or the outcome of
    /// a check that found nothing particular.
    Note,
    /// Something an examiner should look at more closely.
    WorthExamining,
}

/// The error-level image: the picture re-saved as JPEG, the difference
/// amplified, for the examiner to look at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorLevelImage {
    /// The JPEG quality of the re-save.
    pub quality: u8,
    /// The factor each absolute difference (0–255 per channel) was
    /// multiplied by before clamping to 255; fixed, so that two images'
    /// error levels can be compared by eye.
    pub gain: u8,
    /// Width of the PNG (the image's, scaled down to at most
    /// [`ERROR_LEVEL_MAX_SIDE`] on the long side).
    pub width: u32,
    /// Height of the PNG.
    pub height: u32,
    /// Mean error level over the whole image before amplification, 0–255
    /// per channel.
    pub mean_error: f32,
    /// The PNG itself (RGB, 8 bits). Not serialised: it is stored as its own
    /// file beside the examination, not as text inside the JSON.
    #[serde(skip)]
    pub png: Vec<u8>,
}

/// Stable names of the signals ([`Signal::kind`]), for callers that look
/// for one check and for the texts of the web page and CLI.
pub mod kind {
    /// No EXIF block at all.
    pub const NO_EXIF: &str = "no_exif";
    /// An image editor named in the metadata.
    pub const EDITING_SOFTWARE: &str = "editing_software";
    /// An image generator (AI) named or declared in the metadata.
    pub const GENERATOR: &str = "generator";
    /// Camera make without model, or model without make.
    pub const CAMERA_INCOMPLETE: &str = "camera_incomplete";
    /// EXIF modification time differs from the original time.
    pub const MODIFY_TIME_DIFFERS: &str = "modify_time_differs";
    /// Original time in the future or before digital cameras.
    pub const ORIGINAL_TIME_IMPLAUSIBLE: &str = "original_time_implausible";
    /// GPS position at 0,0 or outside the valid range.
    pub const GPS_IMPLAUSIBLE: &str = "gps_implausible";
    /// EXIF pixel dimensions differ from the image's.
    pub const DIMENSIONS_DIFFER: &str = "dimensions_differ";
    /// XMP history or editor settings recorded.
    pub const XMP_EDIT_HISTORY: &str = "xmp_edit_history";
    /// The EXIF thumbnail compared with the image (differs or matches).
    pub const THUMBNAIL: &str = "thumbnail";
    /// The JPEG quantisation tables and quality estimate.
    pub const JPEG_QUANTISATION: &str = "jpeg_quantisation";
    /// The double-compression test on DCT coefficient histograms.
    pub const DOUBLE_COMPRESSION: &str = "double_compression";
    /// Where the 8×8 blocking grid of an earlier compression lies.
    pub const BLOCKING_GRID: &str = "blocking_grid";
    /// The error-level image was made.
    pub const ERROR_LEVEL: &str = "error_level";
    /// A Content Credentials (C2PA) manifest store is present.
    pub const CONTENT_CREDENTIALS: &str = "content_credentials";
}

/// Why [`error_level_image`] could not make an image.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthenticityError {
    /// The image could not be decoded (or is over the pixel limit).
    #[error(transparent)]
    Decode(#[from] HashError),
    /// The image cannot be re-encoded as JPEG (a side over 65,535 pixels).
    #[error("the image cannot be re-saved as JPEG: {0}")]
    Encode(String),
}

/// Examines an image held in memory, with the system clock as "now".
///
/// `metadata` is what the vault already stored for the item (so that the
/// signals are about the same reading the examiner sees); when `None`, it is
/// read from the bytes. Never fails and never panics: problems become
/// [`Examination::notes`].
pub fn examine(bytes: &[u8], metadata: Option<&MediaMetadata>) -> Examination {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    examine_at(bytes, metadata, now)
}

/// Examines an image as [`examine`] does, with `now_unix` (seconds since
/// 1970, UTC) as the time a capture time must not be later than. For
/// re-running a stored examination reproducibly and for tests.
pub fn examine_at(bytes: &[u8], metadata: Option<&MediaMetadata>, now_unix: i64) -> Examination {
    examine_with(
        bytes,
        metadata,
        &ExamineOptions {
            now_unix,
            c2pa_trust_anchors: None,
        },
    )
}

/// What an examination depends on besides the bytes.
#[derive(Debug, Clone, Default)]
pub struct ExamineOptions {
    /// "Now", in seconds since 1970 (UTC): a capture time must not be later.
    pub now_unix: i64,
    /// PEM certificates a Content Credentials signer must chain to for its
    /// manifest to count as trusted (for example the C2PA trust list).
    pub c2pa_trust_anchors: Option<String>,
}

/// The environment variable naming the trust anchors' PEM file.
pub const TRUST_ANCHORS_ENV: &str = "QORGAU_C2PA_TRUST_ANCHORS";

impl ExamineOptions {
    /// The system clock, and the trust anchors in the PEM file named by
    /// [`TRUST_ANCHORS_ENV`] when it is set. `Err` names the file and the
    /// problem: a configured list that cannot be read must not silently
    /// turn every signer untrusted.
    pub fn from_env() -> Result<ExamineOptions, String> {
        let now_unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        let c2pa_trust_anchors = match std::env::var_os(TRUST_ANCHORS_ENV) {
            Some(path) if !path.is_empty() => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    format!(
                        "{TRUST_ANCHORS_ENV}={}: cannot read the trust anchors: {e}",
                        path.to_string_lossy()
                    )
                })?;
                if !text.contains("-----BEGIN CERTIFICATE-----") {
                    return Err(format!(
                        "{TRUST_ANCHORS_ENV}={}: no PEM certificate in it",
                        path.to_string_lossy()
                    ));
                }
                Some(text)
            }
            _ => None,
        };
        Ok(ExamineOptions {
            now_unix,
            c2pa_trust_anchors,
        })
    }
}

/// Examines an image as [`examine`] does, with the given options.
pub fn examine_with(
    bytes: &[u8],
    metadata: Option<&MediaMetadata>,
    options: &ExamineOptions,
) -> Examination {
    let now_unix = options.now_unix;
    let mut ex = Examination {
        method: METHOD.to_string(),
        ..Examination::default()
    };
    let mut thumb: Option<Vec<u8>> = None;
    let read;
    let meta: Option<&MediaMetadata> = match metadata {
        Some(m) => {
            if m.has_thumbnail {
                thumb = guarded(&mut ex, "reading the EXIF thumbnail", |_| {
                    crate::extract_bytes_with_thumbnail(bytes)
                        .ok()
                        .and_then(|(_, t)| t)
                })
                .flatten();
            }
            Some(m)
        }
        None => match crate::extract_bytes_with_thumbnail(bytes) {
            Ok((m, t)) => {
                read = m;
                thumb = t;
                Some(&read)
            }
            Err(e) => {
                ex.notes.push(format!("metadata not read: {e}"));
                None
            }
        },
    };
    ex.container = container_of(bytes, meta);

    if let Some(m) = meta {
        guarded(&mut ex, "metadata consistency", |ex| {
            metadata::check(m, now_unix, &mut ex.signals);
        });
    }

    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    let header = if is_jpeg {
        guarded(&mut ex, "reading the JPEG header", |_| {
            segments::walk(bytes)
        })
        .flatten()
    } else {
        None
    };
    if let Some(h) = &header {
        ex.notes.extend(h.problems.iter().cloned());
        guarded(&mut ex, "JPEG quantisation tables", |ex| {
            quantisation::check(h, ex)
        });
        guarded(&mut ex, "double-compression test", |ex| {
            double_compression::check(bytes, h, ex)
        });
    } else if is_jpeg {
        ex.notes
            .push("the JPEG header could not be read: no table or coefficient analysis".into());
    } else {
        ex.notes.push(
            "not a JPEG: the quantisation tables and the double-compression test do not apply"
                .into(),
        );
    }

    let image = guarded(&mut ex, "decoding the pixels", |ex| decode(bytes, ex)).flatten();
    if let Some(img) = &image {
        ex.width = Some(img.width());
        ex.height = Some(img.height());
        let main_hashes = phash::hash_image(img);
        if let Some(t) = &thumb {
            guarded(&mut ex, "thumbnail comparison", |ex| {
                thumbnail::check(t, &main_hashes, img.width(), img.height(), ex)
            });
        }
        let rgb: Cow<'_, RgbImage> = match img.as_rgb8() {
            Some(rgb) => Cow::Borrowed(rgb),
            None => Cow::Owned(img.to_rgb8()),
        };
        guarded(&mut ex, "blocking grid", |ex| {
            grid::check(&rgb, is_jpeg, ex)
        });
        guarded(&mut ex, "error level analysis", |ex| ela::check(&rgb, ex));
    } else if meta.is_some_and(|m| m.has_thumbnail) {
        ex.notes
            .push("the thumbnail was not compared: the image itself could not be decoded".into());
    }

    let anchors = options.c2pa_trust_anchors.as_deref();
    guarded(&mut ex, "Content Credentials", |ex| {
        content_credentials::check(bytes, header.as_ref(), anchors, ex)
    });
    ex
}

/// Decodes the stored pixel grid (no EXIF orientation) under the crate's
/// limits; a failure is a note.
fn decode(bytes: &[u8], ex: &mut Examination) -> Option<DynamicImage> {
    match phash::decode_bounded(Cursor::new(bytes), "the image", phash::MAX_PIXELS, false) {
        Ok(img) => Some(img),
        Err(e) => {
            ex.notes.push(format!(
                "pixel analyses (thumbnail, blocking grid, error level) not done: {e}"
            ));
            None
        }
    }
}

/// Runs one analysis; a panic (a bug met on hostile input) becomes a note
/// naming the analysis, and the examination goes on.
fn guarded<T>(
    ex: &mut Examination,
    what: &str,
    f: impl FnOnce(&mut Examination) -> T,
) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(|| f(&mut *ex))) {
        Ok(v) => Some(v),
        Err(_) => {
            ex.notes
                .push(format!("{what}: the analysis failed on malformed data"));
            None
        }
    }
}

fn container_of(bytes: &[u8], meta: Option<&MediaMetadata>) -> String {
    if let Some(m) = meta
        && !m.container.is_empty()
    {
        return m.container.clone();
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "gif".into()
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "jpeg".into()
    } else {
        String::new()
    }
}
