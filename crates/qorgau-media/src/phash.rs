//! Perceptual hashes of images: the same picture found again after a site
//! re-encoded, resized, cropped, recoloured or watermarked it.
//!
//! Networks re-post the same photos across ads, accounts and mirror sites;
//! the bytes differ every time (each platform re-compresses and resizes), so
//! SHA-256 never matches. A perceptual hash is a 64-bit summary of what the
//! picture looks like: near-identical pictures get hashes a few bits apart
//! (Hamming distance), unrelated ones about 32 bits apart. Two hashes are
//! computed, because they fail differently:
//!
//! * **pHash** (DCT): the 8×8 lowest non-constant frequencies of the
//!   32×32 greyscale thumbnail, each bit telling whether its coefficient is
//!   above their median. Low frequencies are the broad layout of light and
//!   dark, which survives JPEG re-compression (it removes high frequencies),
//!   resizing (the thumbnail is an area average, the same at any size) and
//!   changes of brightness, contrast and colour (brightness moves only the
//!   constant term, which is left out; contrast scales every coefficient
//!   alike, so the comparisons with the median hold; colour changes reach it
//!   only through luminance). A text or watermark overlay or a crop of a few
//!   per cent moves it a little, since every coefficient sees the whole image.
//! * **dHash** (differences): 8 rows of 9 cells, one bit per pair of
//!   neighbours, "is the right cell brighter". Cheap and very stable for
//!   near-identical copies (re-compressed, resized, brightened: monotone
//!   changes keep every comparison), but each bit looks at one small region,
//!   so a crop that shifts the grid or a flat area where neighbours are equal
//!   flips bits more easily than in pHash.
//!
//! pHash decides and dHash corroborates: an image matches when its pHash is
//! within the threshold, or its dHash is and its pHash is within twice the
//! threshold ([`crate::index::ImageIndex`] says why, with the measurements of
//! `tests/reuse.rs`). Both distances are always reported.
//!
//! # Why these choices
//!
//! Decoding uses the `image` crate with only the JPEG (zune-jpeg), PNG, GIF and
//! WebP codecs and no rayon: these are what ad sites and messengers serve, the
//! four codec crates are already in the tree through the PDF writer (krilla),
//! so the crate adds only itself and its colour-management dependency
//! (`moxcms`, not optional in `image` 0.25). `image_hasher` was not used: it
//! brings `rustdct` (and through it an FFT library) for one 32×32 transform
//! that is a few lines here, and a stored hash is only useful while the
//! algorithm that made it stays the same, bit for bit. Owning the resampling
//! and the transform means a dependency update can never silently change how
//! hashes are made; [`ALGORITHM`] names this version, and is stored with every
//! hash.
//!
//! The thumbnail is an exact area average (every source pixel weighs by the
//! share of its area inside each cell), made in one pass over the decoded rows
//! without a resized copy: resizing to any size then gives nearly the same
//! thumbnail. The EXIF orientation is applied first, so a photo and the same
//! photo rotated by its EXIF tag hash alike (what the viewer saw). Transparent
//! pixels are blended over white, as a browser shows them on a white page.
//!
//! # Bounds
//!
//! Decoding never panics and is bounded: the header is read first and an image
//! over [`MAX_PIXELS`] is refused before any pixel is decoded; the decoder's
//! own allocation limit ([`MAX_DECODE_BYTES`]) is a second guard. Anything the
//! decoder rejects is a [`HashError`] naming the input.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The name and version of the hashing algorithm, stored with every hash.
///
/// Hashes made by different algorithms (or by a changed resampling) are not
/// comparable; a change to this module that changes any bit of any hash must
/// change this name, so that stored hashes of the old kind are recomputed
/// rather than compared with new ones.
pub const ALGORITHM: &str = "qorgau-phash-dct32x8+dhash9x8-v1";

/// The largest image, in pixels (width × height), that is decoded.
///
/// 64 megapixels covers phone and camera photos (12–50 MP) with room to
/// spare; its RGBA decode is 256 MiB, which the acquisition's few worker
/// threads can hold at once. Anything larger is refused with
/// [`HashError::TooLarge`] before decoding (a decompression bomb is a small
/// file with huge dimensions).
pub const MAX_PIXELS: u64 = 64_000_000;

/// The most the decoder may allocate for one image, in bytes: the decoded
/// 64 MP at 4 bytes a pixel with headroom for the codec's buffers.
pub const MAX_DECODE_BYTES: u64 = 384 << 20;

/// The perceptual hashes of one image, with the size they were computed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageHashes {
    /// DCT hash: robust to re-compression, resizing and colour changes.
    pub phash: u64,
    /// Difference hash: cheap, stable for near-identical copies.
    pub dhash: u64,
    /// Width in pixels as displayed (after the EXIF orientation).
    pub width: u32,
    /// Height in pixels as displayed (after the EXIF orientation).
    pub height: u32,
}

impl ImageHashes {
    /// The pHash as 16 lower-case hex digits, most significant bit first:
    /// the form shown to people and written in JSON (a JSON number cannot
    /// hold 64 bits in every reader).
    pub fn phash_hex(&self) -> String {
        format!("{:016x}", self.phash)
    }

    /// The dHash as 16 lower-case hex digits, like [`ImageHashes::phash_hex`].
    pub fn dhash_hex(&self) -> String {
        format!("{:016x}", self.dhash)
    }
}

/// The number of bits in which two 64-bit hashes differ: how far apart two
/// images look (0 the same thumbnail, about 32 unrelated).
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Why an image could not be hashed. Each names the input (a file path, an
/// item id), so that a failure in a batch can be traced.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// The input could not be opened or read.
    #[error("cannot read image {label}: {source}")]
    Io {
        /// What was being read.
        label: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The content is not a JPEG, PNG, GIF or WebP image.
    #[error("{label} is not an image Qorgau can hash (JPEG, PNG, GIF or WebP){detail}")]
    NotAnImage {
        /// What was being read.
        label: String,
        /// What the decoder said, with a leading separator, or empty.
        detail: String,
    },
    /// The image is larger than [`MAX_PIXELS`].
    #[error(
        "image {label} is {width}×{height} pixels, over the limit of {limit} pixels; it was not decoded"
    )]
    TooLarge {
        /// What was being read.
        label: String,
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
        /// The limit in pixels.
        limit: u64,
    },
    /// The image's header was read but its pixels could not be decoded
    /// (truncated or damaged file).
    #[error("image {label} cannot be decoded: {reason}")]
    Decode {
        /// What was being read.
        label: String,
        /// What the decoder said.
        reason: String,
    },
}

/// Whether files of this MIME type are hashed (JPEG, PNG, GIF, WebP).
///
/// Lets the vault decide without opening the file; the content still
/// decides the decoder, so a misnamed file is hashed by what it is.
pub fn hashable(media_type: &str) -> bool {
    let t = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        t.as_str(),
        "image/jpeg" | "image/jpg" | "image/pjpeg" | "image/png" | "image/gif" | "image/webp"
    )
}

/// Hashes the image in the file at `path`, reading it through a buffer
/// (never whole into memory before decoding).
pub fn hash_file(path: &Path) -> Result<ImageHashes, HashError> {
    let label = path.display().to_string();
    let file = File::open(path).map_err(|source| HashError::Io {
        label: label.clone(),
        source,
    })?;
    hash_reader(BufReader::new(file), &label, MAX_PIXELS)
}

/// Hashes an image held in memory; `label` names it in errors.
pub fn hash_bytes(bytes: &[u8], label: &str) -> Result<ImageHashes, HashError> {
    hash_reader(Cursor::new(bytes), label, MAX_PIXELS)
}

/// Hashes an image from any buffered, seekable reader, refusing images of
/// more than `max_pixels` pixels. `label` names the input in errors.
pub fn hash_reader<R: BufRead + Seek>(
    reader: R,
    label: &str,
    max_pixels: u64,
) -> Result<ImageHashes, HashError> {
    let image = decode_bounded(reader, label, max_pixels, true)?;
    Ok(hash_image(&image))
}

/// Decodes an image under the same bounds as hashing (format check, pixel
/// limit from the header, allocation limit, panics caught), with the EXIF
/// orientation applied when `orient` is set.
///
/// Shared with [`crate::authenticity`], whose pixel analyses must run on the
/// stored pixel grid (`orient` false: JPEG's 8×8 blocks are aligned with the
/// stored image, not with the displayed one) under the same limits.
pub(crate) fn decode_bounded<R: BufRead + Seek>(
    reader: R,
    label: &str,
    max_pixels: u64,
    orient: bool,
) -> Result<DynamicImage, HashError> {
    // The decoders are written not to panic, but they parse hostile input:
    // a panic is caught and reported as a decoding error of this input, so
    // that one bad file never takes down an acquisition.
    match catch_unwind(AssertUnwindSafe(|| {
        decode(reader, label, max_pixels, orient)
    })) {
        Ok(result) => result,
        Err(_) => Err(HashError::Decode {
            label: label.to_string(),
            reason: "the decoder failed on malformed data".into(),
        }),
    }
}

fn decode<R: BufRead + Seek>(
    reader: R,
    label: &str,
    max_pixels: u64,
    orient: bool,
) -> Result<DynamicImage, HashError> {
    let not_an_image = |detail: String| HashError::NotAnImage {
        label: label.to_string(),
        detail,
    };
    let mut reader = ImageReader::new(reader)
        .with_guessed_format()
        .map_err(|source| HashError::Io {
            label: label.to_string(),
            source,
        })?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP) => {}
        Some(other) => return Err(not_an_image(format!(" (it is {other:?})"))),
        None => return Err(not_an_image(String::new())),
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let decode_error = |e: image::ImageError| match e {
        // From memory or a file, an early end is a truncated image.
        image::ImageError::IoError(source)
            if source.kind() == std::io::ErrorKind::UnexpectedEof =>
        {
            HashError::Decode {
                label: label.to_string(),
                reason: "the file ends before the image does (truncated)".into(),
            }
        }
        image::ImageError::IoError(source) => HashError::Io {
            label: label.to_string(),
            source,
        },
        other => HashError::Decode {
            label: label.to_string(),
            reason: other.to_string(),
        },
    };
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(HashError::TooLarge {
            label: label.to_string(),
            width,
            height,
            limit: max_pixels,
        });
    }
    if width == 0 || height == 0 {
        return Err(HashError::Decode {
            label: label.to_string(),
            reason: "the image has no pixels".into(),
        });
    }
    // A damaged orientation tag is not worth refusing the picture for.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    if orient {
        image.apply_orientation(orientation);
    }
    Ok(image)
}

/// Side of the pHash thumbnail.
const P: usize = 32;
/// Columns and rows of the dHash grid.
const DW: usize = 9;
const DH: usize = 8;

/// Both hashes of a decoded image (no orientation applied here).
pub(crate) fn hash_image(image: &DynamicImage) -> ImageHashes {
    let (width, height) = (image.width(), image.height());
    let mut thumb = AreaAverage::new(width, height, P, P);
    let mut grid = AreaAverage::new(width, height, DW, DH);
    let mut row = vec![0f32; width as usize];
    for y in 0..height {
        luma_row(image, y, &mut row);
        thumb.add_row(y, &row);
        grid.add_row(y, &row);
    }
    ImageHashes {
        phash: dct_hash(&thumb.cells),
        dhash: difference_hash(&grid.means(width, height)),
        width,
        height,
    }
}

/// Luminance (ITU-R BT.601 weights on the stored values, 0–255) of row `y`,
/// transparent pixels blended over white.
fn luma_row(image: &DynamicImage, y: u32, out: &mut [f32]) {
    fn rgb(r: f32, g: f32, b: f32) -> f32 {
        0.299 * r + 0.587 * g + 0.114 * b
    }
    fn over_white(l: f32, alpha: f32) -> f32 {
        l * alpha + 255.0 * (1.0 - alpha)
    }
    let w = image.width() as usize;
    let start = y as usize * w;
    match image {
        DynamicImage::ImageLuma8(buf) => {
            for (o, p) in out.iter_mut().zip(&buf.as_raw()[start..start + w]) {
                *o = f32::from(*p);
            }
        }
        DynamicImage::ImageLumaA8(buf) => {
            let raw = &buf.as_raw()[start * 2..(start + w) * 2];
            for (o, p) in out.iter_mut().zip(raw.chunks_exact(2)) {
                *o = over_white(f32::from(p[0]), f32::from(p[1]) / 255.0);
            }
        }
        DynamicImage::ImageRgb8(buf) => {
            let raw = &buf.as_raw()[start * 3..(start + w) * 3];
            for (o, p) in out.iter_mut().zip(raw.chunks_exact(3)) {
                *o = rgb(f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
            }
        }
        DynamicImage::ImageRgba8(buf) => {
            let raw = &buf.as_raw()[start * 4..(start + w) * 4];
            for (o, p) in out.iter_mut().zip(raw.chunks_exact(4)) {
                let l = rgb(f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
                *o = over_white(l, f32::from(p[3]) / 255.0);
            }
        }
        // 16-bit and float images (PNG can be 16-bit): per pixel through
        // the generic view, scaled to 0–255. Rare, so simplicity wins.
        other => {
            use image::GenericImageView;
            for (x, o) in out.iter_mut().enumerate() {
                let p = other.get_pixel(x as u32, y).0;
                let l = rgb(f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
                *o = over_white(l, f32::from(p[3]) / 255.0);
            }
        }
    }
}

/// An exact area-average resampling to a `cols` × `rows` grid, fed one
/// source row at a time. Each source pixel contributes to each cell in
/// proportion to the share of its area inside the cell, computed in
/// integers (a source column spans `cols` units, a cell `width` units), so
/// the result does not depend on float rounding of the boundaries.
struct AreaAverage {
    cols: usize,
    /// For each source column: the cells it touches and its weight in each.
    x_weights: Vec<Vec<(usize, f32)>>,
    y_weights: Vec<Vec<(usize, f32)>>,
    cells: Vec<f64>,
    row_sums: Vec<f32>,
}

impl AreaAverage {
    fn new(width: u32, height: u32, cols: usize, rows: usize) -> Self {
        Self {
            cols,
            x_weights: spans(width as usize, cols),
            y_weights: spans(height as usize, rows),
            cells: vec![0.0; cols * rows],
            row_sums: vec![0.0; cols],
        }
    }

    fn add_row(&mut self, y: u32, luma: &[f32]) {
        self.row_sums.fill(0.0);
        for (value, weights) in luma.iter().zip(&self.x_weights) {
            for &(cell, w) in weights {
                self.row_sums[cell] += value * w;
            }
        }
        let Some(row_weights) = self.y_weights.get(y as usize) else {
            return;
        };
        for &(cell_row, w) in row_weights {
            let base = cell_row * self.cols;
            for (c, sum) in self.row_sums.iter().enumerate() {
                self.cells[base + c] += f64::from(*sum * w);
            }
        }
    }
}

impl AreaAverage {
    /// The cells as mean luminance (0–255): each cell's weight is the
    /// source area it covers, the same for every cell.
    fn means(&self, width: u32, height: u32) -> Vec<f64> {
        let rows = self.cells.len() / self.cols.max(1);
        let area = f64::from(width) / self.cols as f64 * f64::from(height) / rows.max(1) as f64;
        self.cells.iter().map(|c| c / area).collect()
    }
}

/// For each of `n` source pixels, the target cells (of `m`) it overlaps and
/// the overlap as a share of one source pixel. Pixel `i` spans
/// `[i·m, (i+1)·m)` and cell `j` spans `[j·n, (j+1)·n)` in units of 1/(n·m).
fn spans(n: usize, m: usize) -> Vec<Vec<(usize, f32)>> {
    (0..n)
        .map(|i| {
            let (start, end) = (i * m, (i + 1) * m);
            let first = start / n;
            let last = (end - 1) / n;
            (first..=last.min(m - 1))
                .filter_map(|j| {
                    let overlap = end.min((j + 1) * n).saturating_sub(start.max(j * n));
                    (overlap > 0).then(|| (j, overlap as f32 / m as f32))
                })
                .collect()
        })
        .collect()
}

/// pHash: the 2-D DCT-II of the 32×32 thumbnail, coefficients (u, v) with
/// 1 ≤ u, v ≤ 8 (the constant row and column left out), bit set when the
/// coefficient is above the median of the 64. Bit 63 is (1, 1), then row by
/// row.
fn dct_hash(thumb: &[f64]) -> u64 {
    let cosines: Vec<[f64; P]> = (0..=8)
        .map(|k| {
            let mut row = [0.0; P];
            for (n, c) in row.iter_mut().enumerate() {
                *c = (std::f64::consts::PI * (2 * n + 1) as f64 * k as f64 / (2 * P) as f64).cos();
            }
            row
        })
        .collect();
    // Rows first: partial[k][x] = Σ_y cos_k(y) · thumb[y][x].
    let mut partial = [[0.0f64; P]; 9];
    for (k, out) in partial.iter_mut().enumerate().skip(1) {
        for (y, cy) in cosines[k].iter().enumerate() {
            for (x, o) in out.iter_mut().enumerate() {
                *o += cy * thumb[y * P + x];
            }
        }
    }
    let mut coefficients = [0.0f64; 64];
    for u in 1..=8 {
        for v in 1..=8 {
            coefficients[(u - 1) * 8 + (v - 1)] =
                partial[u].iter().zip(&cosines[v]).map(|(p, c)| p * c).sum();
        }
    }
    let mut sorted = coefficients;
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[31] + sorted[32]) / 2.0;
    bits(coefficients.iter().map(|&c| c > median))
}

/// How much brighter (mean luminance, 0–255) the right cell must be for its
/// dHash bit to be set. Without it, two cells of a flat area differ only by
/// compression noise and their bit flips with every re-encoding; a cell
/// averages hundreds of pixels, so that noise is well under one level.
const DHASH_MARGIN: f64 = 1.0;

/// dHash: for each of 8 rows, 8 bits "the cell to the right is brighter"
/// (by more than [`DHASH_MARGIN`]). Bit 63 is row 0, cells 0→1, then row by
/// row.
fn difference_hash(grid: &[f64]) -> u64 {
    bits((0..DH).flat_map(|r| {
        (0..DW - 1).map(move |c| grid[r * DW + c + 1] > grid[r * DW + c] + DHASH_MARGIN)
    }))
}

fn bits(values: impl Iterator<Item = bool>) -> u64 {
    values
        .take(64)
        .fold(0u64, |acc, bit| (acc << 1) | u64::from(bit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_each_source_pixel_once() {
        for (n, m) in [(100, 32), (32, 32), (7, 32), (1, 9), (1000, 9), (33, 8)] {
            let s = spans(n, m);
            for pixel in &s {
                let total: f32 = pixel.iter().map(|(_, w)| w).sum();
                assert!((total - 1.0).abs() < 1e-5, "{n}->{m}: {pixel:?}");
            }
            let mut per_cell = vec![0f32; m];
            for pixel in &s {
                for &(c, w) in pixel {
                    per_cell[c] += w;
                }
            }
            for cell in per_cell {
                assert!((cell - n as f32 / m as f32).abs() < 1e-3, "{n}->{m}");
            }
        }
    }

    #[test]
    fn hashable_types() {
        assert!(hashable("image/jpeg"));
        assert!(hashable("IMAGE/PNG; x=y"));
        assert!(hashable("image/webp"));
        assert!(hashable("image/gif"));
        assert!(!hashable("image/heic"));
        assert!(!hashable("video/mp4"));
    }

    #[test]
    fn hamming_counts_bits() {
        assert_eq!(hamming(0, 0), 0);
        assert_eq!(hamming(0, u64::MAX), 64);
        assert_eq!(hamming(0b1011, 0b0001), 2);
    }
}
