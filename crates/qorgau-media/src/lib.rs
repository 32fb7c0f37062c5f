//! Metadata of images and video for Qorgau evidence items.
//!
//! When an investigator adds a photo or a video to the evidence vault, Qorgau
//! records what the file says about itself: EXIF, XMP, GPS position, camera
//! make and model, the original capture time, the software that wrote it, and
//! the QuickTime/MP4 atoms of a video. Those facts are stored as JSON beside the
//! evidence item, so that an examiner can later check where and when a picture
//! was taken, and whether it went through an editor or a generator (deepfake
//! examination compares the EXIF and the embedded thumbnail with the image).
//!
//! # Contract
//!
//! * [`extract_from_path`] takes the MIME type the caller already detected.
//!   Types that are not images or video (see [`supports`]) give `Ok(None)`.
//! * The content, not the declared type, decides the parser: a JPEG declared
//!   as `image/png` is read as JPEG and a warning says so. Content that is none
//!   of the supported containers is a [`MediaError::UnrecognizedFormat`].
//! * A damaged file is not an error: whatever could be read is returned and
//!   each problem met (truncated box, malformed segment, value too large) is
//!   listed in [`MediaMetadata::warnings`]. Only I/O failures and unrecognised
//!   content are errors. No input makes the parsers panic.
//! * Memory does not grow with the file size. Containers are walked by seeking
//!   over their boxes, chunks and segments; image and media data are never
//!   read; every single read is capped at [`MAX_METADATA_BLOCK`] bytes and
//!   larger metadata blocks are skipped with a warning. Walks are bounded in
//!   the number of boxes/segments and in depth, so loops and garbage end.
//! * The summary fields ([`MediaMetadata::make`], `model`, `software`,
//!   `original_time`, `gps`, `width`, `height`) are derived from the raw maps
//!   (`exif`, `xmp`, `quicktime`) in a fixed order of preference documented on
//!   each field; the raw maps keep every value found, so nothing is lost when
//!   sources disagree (itself a sign worth examining).
//!
//! EXIF is decoded by `kamadak-exif`, XMP by `quick-xml`; the containers
//! (JPEG segments, PNG chunks, RIFF/WebP chunks, TIFF IFDs, ISO-BMFF boxes) are
//! walked by this crate so that reads stay bounded and seek-based.
//!
//! # Image reuse
//!
//! The same photos come back across ads, accounts and mirror sites of one
//! network, re-encoded every time. [`phash`] computes two 64-bit perceptual
//! hashes of an image (a DCT pHash and a difference hash; decoding with the
//! `image` crate, bounded and panic-free), and [`index`] finds every stored
//! hash within a Hamming distance among millions (multi-index hashing), with
//! [`index::ImageIndex`] applying the matching rule to both hashes at once.
//! Bytes in, hashes out: storing them is `qorgau-store`'s business.
//!
//! # Authenticity signals
//!
//! [`authenticity::examine`] runs the first checks an image examiner would
//! (metadata consistency, the EXIF thumbnail against the image, JPEG
//! quantisation tables, double-compression traces in the DCT coefficients,
//! the blocking grid, an error-level image, Content Credentials) and returns
//! each finding with what it may mean and what it cannot show: evidence for
//! an expert, never a verdict.

#![warn(missing_docs)]

pub mod authenticity;
mod bmff;
mod exif_block;
pub mod index;
mod jpeg;
pub mod phash;
mod png;
pub mod redact;
mod source;
mod text;
mod tiff;
pub mod video;
mod webp;
mod xmp;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::source::Source;

/// The largest single metadata block (EXIF segment, XMP packet, box payload)
/// this crate reads into memory, in bytes. Larger blocks are skipped with a
/// warning, so that a crafted or huge file cannot exhaust memory.
pub const MAX_METADATA_BLOCK: usize = 4 << 20;

/// Metadata read from an image or video file.
///
/// Stored as JSON with the evidence item, so every field has a stable name and
/// missing fields deserialize to their defaults (older records stay readable
/// when fields are added).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaMetadata {
    /// The container actually found in the content: `"jpeg"`, `"png"`,
    /// `"tiff"`, `"webp"`, `"heif"`, `"avif"`, `"mp4"` or `"quicktime"`. It can
    /// differ from the declared MIME type; a mismatch is itself evidence.
    pub container: String,
    /// Camera make: EXIF `Make`, else QuickTime `©mak` (user data or item
    /// list; the same holds for the other `©` atoms below), else
    /// `com.apple.quicktime.make`, else XMP `tiff:Make`.
    pub make: Option<String>,
    /// Camera model: EXIF `Model`, else QuickTime `©mod`, else
    /// `com.apple.quicktime.model`, else XMP `tiff:Model`.
    pub model: Option<String>,
    /// Software that wrote the file: EXIF `Software`, else XMP
    /// `xmp:CreatorTool`, else QuickTime `©swr`, else
    /// `com.apple.quicktime.software`. Editors and generators often show here.
    pub software: Option<String>,
    /// When the picture or video was taken. EXIF `DateTimeOriginal` as
    /// `"2024-03-05T14:22:01+05:00"` (with `OffsetTimeOriginal`) or
    /// `"2024-03-05T14:22:01"` (no offset known); else
    /// `com.apple.quicktime.creationdate` (camera local time with offset); else
    /// the `mvhd` creation time in UTC (`"…Z"`) when it is set; else
    /// QuickTime `©day`; else XMP `exif:DateTimeOriginal`, `xmp:CreateDate`,
    /// `photoshop:DateCreated`.
    pub original_time: Option<String>,
    /// Where it was taken: EXIF GPS, else `com.apple.quicktime.location.ISO6709`,
    /// else QuickTime `©xyz`, else XMP `exif:GPSLatitude`/`exif:GPSLongitude`.
    pub gps: Option<GpsPosition>,
    /// Width in pixels, from the container (JPEG frame header, PNG IHDR, WebP
    /// VP8X/VP8/VP8L, HEIF `ispe`, video track header, TIFF `ImageWidth`),
    /// else EXIF `PixelXDimension`.
    pub width: Option<u32>,
    /// Height in pixels, from the same sources as [`MediaMetadata::width`].
    pub height: Option<u32>,
    /// Every EXIF field: the tag name as `kamadak-exif` names it (`"Make"`,
    /// `"DateTimeOriginal"`, unknown tags as `"Tag(Tiff, 700)"`) mapped to its
    /// display value (ASCII values unquoted, units added where EXIF defines
    /// them). Fields of other IFDs than the primary one are prefixed with the
    /// IFD: `"thumbnail.Compression"`, `"IFD2.…"`. Values longer than 4096
    /// characters are cut and marked.
    pub exif: BTreeMap<String, String>,
    /// Flattened XMP properties, `"prefix:Name"` to value (`"dc:creator"`,
    /// `"xmp:CreatorTool"`). Well-known namespaces get their usual prefix
    /// whatever the file used. Array items (`rdf:Seq`/`Bag`/`Alt`) are joined
    /// with `"; "`; struct fields are named `"parent/prefix:Field"`.
    pub xmp: BTreeMap<String, String>,
    /// QuickTime/MP4 tags found: `"mvhd.CreationTime"`, `"mvhd.ModificationTime"`
    /// (UTC, `"…Z"`), `"mvhd.Duration"` (seconds), `"mvhd.TimeScale"`,
    /// `"ftyp.MajorBrand"`, per-track `"trak1.tkhd.Width"`…, user data atoms
    /// `"udta.©mak"`, Apple keys `"keys.com.apple.quicktime.make"`, item list
    /// atoms `"ilst.©too"`.
    pub quicktime: BTreeMap<String, String>,
    /// Whether an embedded EXIF thumbnail exists (see [`read_thumbnail`]);
    /// a thumbnail that differs from the image betrays an edit.
    pub has_thumbnail: bool,
    /// Textual metadata outside EXIF/XMP: PNG `tEXt`/`iTXt` keywords
    /// (`"Software"`, `"Creation Time"`…) and JPEG `COM` comments (`"Comment"`).
    pub text: BTreeMap<String, String>,
    /// Problems met while reading (malformed segment, truncated box, block too
    /// large…), in the order met. The metadata above is what could be read
    /// despite them.
    pub warnings: Vec<String>,
}

/// A position on Earth, as recorded by the device.
///
/// Decimal degrees (WGS 84 as written by cameras and phones): south latitudes
/// and west longitudes are negative, so positions compare and plot directly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GpsPosition {
    /// Latitude in decimal degrees, negative south of the equator.
    pub latitude: f64,
    /// Longitude in decimal degrees, negative west of Greenwich.
    pub longitude: f64,
    /// Altitude in metres, negative below sea level, when recorded.
    pub altitude: Option<f64>,
}

/// Why metadata could not be read at all.
///
/// Damaged content is not an error (it yields warnings); these are the cases
/// where there is nothing to return. Each names the file, so that a failure in
/// a batch import can be traced to its evidence item.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The file could not be opened or read.
    #[error("cannot read media file {path}: {source}")]
    Io {
        /// The file being read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The content is none of the containers this crate reads, although its
    /// declared type is one it supports.
    #[error(
        "media file {path} (declared {media_type}) is not a JPEG, PNG, TIFF, WebP, HEIF or MP4/QuickTime file"
    )]
    UnrecognizedFormat {
        /// The file being read.
        path: PathBuf,
        /// The MIME type declared by the caller.
        media_type: String,
    },
}

/// The MIME types this crate reads, without parameters, lower case.
const SUPPORTED: &[&str] = &[
    "image/jpeg",
    "image/jpg",
    "image/pjpeg",
    "image/png",
    "image/tiff",
    "image/x-adobe-dng",
    "image/x-canon-cr2",
    "image/webp",
    "image/heif",
    "image/heic",
    "image/heif-sequence",
    "image/heic-sequence",
    "image/avif",
    "video/mp4",
    "video/quicktime",
    "video/x-m4v",
    "video/3gpp",
    "video/3gpp2",
];

/// Whether this crate reads metadata of files of this MIME type.
///
/// Lets the caller decide up front whether to schedule metadata extraction for
/// an evidence item. Parameters (`; charset=…`) and case are ignored.
pub fn supports(media_type: &str) -> bool {
    SUPPORTED.contains(&normalize_media_type(media_type).as_str())
}

/// Reads the metadata of the file at `path`.
///
/// `media_type` is the MIME type the caller already detected (for example
/// `"image/jpeg"`, `"video/mp4"`, `"video/quicktime"`, `"image/png"`,
/// `"image/tiff"`, `"image/webp"`, `"image/heif"`). Returns `Ok(None)` for
/// types that are not images or video this crate reads, without opening the
/// file. Damaged content gives `Ok(Some(_))` with warnings; see the crate
/// documentation for the contract.
pub fn extract_from_path(
    path: &Path,
    media_type: &str,
) -> Result<Option<MediaMetadata>, MediaError> {
    if !supports(media_type) {
        return Ok(None);
    }
    let file = File::open(path).map_err(|source| MediaError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = BufReader::new(file);
    extract_inner(&mut reader, media_type, path, false).map(|found| found.map(|(m, _)| m))
}

/// Reads metadata from any seekable reader, as [`extract_from_path`] does.
///
/// For content that is not in a plain file (an evidence item being decrypted,
/// bytes in memory). `label` names the content in errors.
pub fn extract_from_reader<R: Read + Seek>(
    reader: &mut R,
    media_type: &str,
    label: &Path,
) -> Result<Option<MediaMetadata>, MediaError> {
    if !supports(media_type) {
        return Ok(None);
    }
    extract_inner(reader, media_type, label, false).map(|found| found.map(|(m, _)| m))
}

/// Returns the bytes of the embedded EXIF thumbnail (usually a JPEG), if any.
///
/// Deepfake and edit examination compares the thumbnail the camera wrote with
/// the main image: editors often update the image but not the thumbnail.
/// Returns `Ok(None)` for unsupported types and for files without thumbnail.
pub fn read_thumbnail(path: &Path, media_type: &str) -> Result<Option<Vec<u8>>, MediaError> {
    if !supports(media_type) {
        return Ok(None);
    }
    let file = File::open(path).map_err(|source| MediaError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = BufReader::new(file);
    Ok(extract_inner(&mut reader, media_type, path, true)?.and_then(|(_, thumb)| thumb))
}

/// Metadata and the embedded EXIF thumbnail of content held in memory, for
/// [`authenticity`], which compares the two. The content decides the parser
/// (no declared type, so no mismatch warning).
pub(crate) fn extract_bytes_with_thumbnail(
    bytes: &[u8],
) -> Result<(MediaMetadata, Option<Vec<u8>>), MediaError> {
    let mut cursor = std::io::Cursor::new(bytes);
    let found = extract_inner(&mut cursor, "", Path::new("(image in memory)"), true)?;
    Ok(found.unwrap_or_default())
}

fn normalize_media_type(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The containers this crate walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Jpeg,
    Png,
    Tiff,
    WebP,
    /// ISO-BMFF: HEIF/AVIF images and MP4/QuickTime video (told apart by `ftyp`).
    Bmff,
}

fn sniff(head: &[u8]) -> Option<Container> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Container::Jpeg)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Container::Png)
    } else if head.starts_with(b"II*\0")
        || head.starts_with(b"MM\0*")
        || head.starts_with(b"II+\0")
        || head.starts_with(b"MM\0+")
    {
        Some(Container::Tiff)
    } else if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(Container::WebP)
    } else if head.len() >= 8 && bmff::looks_like_bmff(&head[4..8]) {
        Some(Container::Bmff)
    } else {
        None
    }
}

fn declared_container(media_type: &str) -> Option<Container> {
    let t = normalize_media_type(media_type);
    match t.as_str() {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Container::Jpeg),
        "image/png" => Some(Container::Png),
        "image/tiff" | "image/x-adobe-dng" | "image/x-canon-cr2" => Some(Container::Tiff),
        "image/webp" => Some(Container::WebP),
        _ if t.starts_with("image/hei") || t == "image/avif" || t.starts_with("video/") => {
            Some(Container::Bmff)
        }
        _ => None,
    }
}

/// Collects what the container walkers find, before the summary is derived.
pub(crate) struct Collector {
    pub meta: MediaMetadata,
    pub exif: Option<exif_block::ExifSummary>,
    pub want_thumbnail: bool,
    pub thumbnail: Option<Vec<u8>>,
    /// Dimensions found in the container itself (preferred over EXIF).
    pub dims: Option<(u32, u32)>,
}

/// At most this many warnings are kept; a crafted file could produce millions.
const MAX_WARNINGS: usize = 100;

impl Collector {
    pub(crate) fn warn(&mut self, msg: impl Into<String>) {
        let n = self.meta.warnings.len();
        if n < MAX_WARNINGS {
            self.meta.warnings.push(msg.into());
        } else if n == MAX_WARNINGS {
            self.meta
                .warnings
                .push("further warnings omitted".to_string());
        }
    }

    /// Decodes an EXIF (TIFF-structured) block found in the container.
    pub(crate) fn add_exif(&mut self, tiff: Vec<u8>, what: &str) {
        if self.exif.is_some() {
            self.warn(format!("{what}: a second EXIF block was ignored"));
            return;
        }
        let summary = exif_block::decode(tiff, self);
        self.exif = Some(summary);
    }

    /// Decodes an XMP packet found in the container.
    pub(crate) fn add_xmp(&mut self, packet: &[u8], what: &str) {
        xmp::decode(packet, what, self);
    }

    pub(crate) fn set_dims(&mut self, w: u32, h: u32) {
        if self.dims.is_none() && w > 0 && h > 0 {
            self.dims = Some((w, h));
        }
    }
}

type Found = Option<(MediaMetadata, Option<Vec<u8>>)>;

fn extract_inner<R: Read + Seek>(
    reader: &mut R,
    media_type: &str,
    label: &Path,
    want_thumbnail: bool,
) -> Result<Found, MediaError> {
    let io_err = |source| MediaError::Io {
        path: label.to_path_buf(),
        source,
    };
    let mut src = Source::new(reader).map_err(io_err)?;
    let head = src.read_at(0, 32).map_err(io_err)?;
    let Some(container) = sniff(&head) else {
        return Err(MediaError::UnrecognizedFormat {
            path: label.to_path_buf(),
            media_type: media_type.to_string(),
        });
    };
    let mut col = Collector {
        meta: MediaMetadata::default(),
        exif: None,
        want_thumbnail,
        thumbnail: None,
        dims: None,
    };
    if let Some(declared) = declared_container(media_type)
        && declared != container
    {
        col.warn(format!(
            "declared type {media_type} does not match the content ({container:?})"
        ));
    }
    let result = match container {
        Container::Jpeg => jpeg::read(&mut src, &mut col),
        Container::Png => png::read(&mut src, &mut col),
        Container::Tiff => tiff::read(&mut src, &mut col),
        Container::WebP => webp::read(&mut src, &mut col),
        Container::Bmff => bmff::read(&mut src, &mut col),
    };
    result.map_err(io_err)?;
    finish(&mut col);
    Ok(Some((col.meta, col.thumbnail)))
}

/// Derives the summary fields from what was collected, in the documented order
/// of preference.
fn finish(col: &mut Collector) {
    let exif = col.exif.take().unwrap_or_default();
    let m = &mut col.meta;
    let qt = |key: &str| m.quicktime.get(key).filter(|v| !v.is_empty()).cloned();
    let xmp = |key: &str| m.xmp.get(key).filter(|v| !v.is_empty()).cloned();
    // A QuickTime text atom, as user data (udta/©xxx) or item list
    // (udta/meta/ilst/©xxx, where exiftool and iTunes-style writers put it).
    let ud = |atom: &str| qt(&format!("udta.{atom}")).or_else(|| qt(&format!("ilst.{atom}")));

    let make = exif
        .make
        .clone()
        .or_else(|| ud("©mak"))
        .or_else(|| qt("keys.com.apple.quicktime.make"))
        .or_else(|| xmp("tiff:Make"));
    let model = exif
        .model
        .clone()
        .or_else(|| ud("©mod"))
        .or_else(|| qt("keys.com.apple.quicktime.model"))
        .or_else(|| xmp("tiff:Model"));
    let software = exif
        .software
        .clone()
        .or_else(|| xmp("xmp:CreatorTool"))
        .or_else(|| ud("©swr"))
        .or_else(|| qt("keys.com.apple.quicktime.software"));
    let original_time = exif
        .original_time
        .clone()
        .or_else(|| {
            qt("keys.com.apple.quicktime.creationdate").map(|v| text::normalize_iso_time(&v))
        })
        .or_else(|| qt("mvhd.CreationTime").filter(|v| v.ends_with('Z')))
        .or_else(|| ud("©day").map(|v| text::normalize_iso_time(&v)))
        .or_else(|| xmp("exif:DateTimeOriginal"))
        .or_else(|| xmp("xmp:CreateDate"))
        .or_else(|| xmp("photoshop:DateCreated"));
    let gps = exif
        .gps
        .or_else(|| {
            qt("keys.com.apple.quicktime.location.ISO6709").and_then(|v| text::parse_iso6709(&v))
        })
        .or_else(|| ud("©xyz").and_then(|v| text::parse_iso6709(&v)))
        .or_else(|| {
            let lat = text::parse_xmp_gps(&xmp("exif:GPSLatitude")?)?;
            let lon = text::parse_xmp_gps(&xmp("exif:GPSLongitude")?)?;
            Some(GpsPosition {
                latitude: lat,
                longitude: lon,
                altitude: None,
            })
        });
    let dims = col.dims.or(exif.dims);

    m.make = make;
    m.model = model;
    m.software = software;
    m.original_time = original_time;
    m.gps = gps;
    m.width = dims.map(|d| d.0);
    m.height = dims.map(|d| d.1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supports_media_types() {
        assert!(supports("image/jpeg"));
        assert!(supports("Video/MP4; codecs=avc1"));
        assert!(supports("image/heic"));
        assert!(!supports("application/pdf"));
        assert!(!supports("text/plain"));
    }

    #[test]
    fn unsupported_type_is_none_without_opening() {
        let r = extract_from_path(Path::new("/nonexistent/x.pdf"), "application/pdf");
        assert!(matches!(r, Ok(None)));
    }

    #[test]
    fn missing_file_names_path() {
        let err = extract_from_path(Path::new("/nonexistent/x.jpg"), "image/jpeg").unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.jpg"), "{err}");
    }

    #[test]
    fn garbage_is_unrecognized() {
        let mut c = std::io::Cursor::new(b"hello world, not an image".to_vec());
        let err = extract_from_reader(&mut c, "image/jpeg", Path::new("mem")).unwrap_err();
        assert!(matches!(err, MediaError::UnrecognizedFormat { .. }));
        let mut c = std::io::Cursor::new(Vec::new());
        assert!(extract_from_reader(&mut c, "video/mp4", Path::new("mem")).is_err());
    }
}
