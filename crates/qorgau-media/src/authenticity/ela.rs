//! Error level analysis: the picture re-saved as JPEG, the difference shown.
//!
//! Re-compressing a JPEG at a given quality changes each 8×8 block by an
//! amount that depends on how close the block already is to what that
//! quality keeps. Parts of a picture with a different compression history
//! (pasted from another picture, retouched, never compressed) can change by
//! a different amount from their surroundings and so stand out in the
//! amplified difference. It is a visual aid for an examiner (Krawetz, "A
//! Picture's Worth", 2007), not a measurement: nothing here decides anything.
//!
//! The re-save is at quality [`QUALITY`] with 4:4:4 sampling (no chroma
//! subsampling, so the difference is about quantisation, not colour
//! resampling), by horizontal strips of [`STRIP`] rows: blocks are
//! independent, so a strip gives the same pixels as the whole image would,
//! and memory stays at the decoded image plus one strip. The per-channel
//! absolute difference is multiplied by [`GAIN`] (fixed, so that two
//! images can be compared) and clamped, then averaged down to at most
//! [`MAX_SIDE`] pixels on the long side and written as an RGB PNG.

use std::io::Cursor;

use image::{DynamicImage, RgbImage};

use super::{AuthenticityError, ErrorLevelImage, Examination, Level, Signal, kind};
use crate::phash;

/// The JPEG quality of the re-save.
pub const QUALITY: u8 = 90;
/// The amplification of the absolute difference.
pub const GAIN: u8 = 15;
/// The long side of the returned PNG at most, in pixels.
pub const MAX_SIDE: u32 = 2048;
/// Rows re-encoded at a time (a multiple of 8).
const STRIP: u32 = 256;

/// Makes the error-level image of an encoded image (JPEG, PNG, GIF, WebP),
/// decoding it under the crate's pixel limit ([`phash::MAX_PIXELS`]).
///
/// For callers that want the picture alone (the web page's "show error
/// levels" button); [`super::examine`] makes it as part of an examination.
pub fn error_level_image(bytes: &[u8]) -> Result<ErrorLevelImage, AuthenticityError> {
    let img = phash::decode_bounded(Cursor::new(bytes), "the image", phash::MAX_PIXELS, false)?;
    let rgb = match img {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => other.to_rgb8(),
    };
    make(&rgb)
}

/// The error-level image of decoded pixels.
pub(crate) fn make(rgb: &RgbImage) -> Result<ErrorLevelImage, AuthenticityError> {
    let (w, h) = rgb.dimensions();
    let (Ok(w16), Ok(_)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(AuthenticityError::Encode(format!(
            "{w}×{h} pixels is over JPEG's 65,535-pixel side"
        )));
    };
    if w == 0 || h == 0 {
        return Err(AuthenticityError::Encode("the image has no pixels".into()));
    }
    let scale = (f64::from(w.max(h)) / f64::from(MAX_SIDE)).max(1.0);
    let out_w = ((f64::from(w) / scale).round() as u32).clamp(1, MAX_SIDE);
    let out_h = ((f64::from(h) / scale).round() as u32).clamp(1, MAX_SIDE);

    let mut out = Vec::with_capacity(out_w as usize * out_h as usize * 3);
    // Sums of one output row (3 channels) and the source pixels in each cell.
    let mut acc = vec![0u64; out_w as usize * 3];
    let mut cells = vec![0u64; out_w as usize];
    let mut cur_row = 0u32;
    let mut total: u64 = 0;
    let column_cell: Vec<usize> = (0..w)
        .map(|x| {
            ((u64::from(x) * u64::from(out_w) / u64::from(w)) as usize).min(out_w as usize - 1)
        })
        .collect();

    let raw = rgb.as_raw();
    let row_bytes = w as usize * 3;
    let mut y0 = 0u32;
    while y0 < h {
        let rows = STRIP.min(h - y0);
        let start = y0 as usize * row_bytes;
        let strip = raw
            .get(start..start + rows as usize * row_bytes)
            .ok_or_else(|| {
                AuthenticityError::Encode("pixel buffer shorter than its size".into())
            })?;
        let resaved = resave(strip, w16, rows)?;
        for r in 0..rows {
            let y = y0 + r;
            let oy = ((u64::from(y) * u64::from(out_h) / u64::from(h)) as u32).min(out_h - 1);
            if oy != cur_row {
                flush(&mut out, &mut acc, &mut cells);
                cur_row = oy;
            }
            let a = strip.get(r as usize * row_bytes..(r as usize + 1) * row_bytes);
            let b = resaved.get(r as usize * row_bytes..(r as usize + 1) * row_bytes);
            let (Some(a), Some(b)) = (a, b) else { continue };
            for (x, (pa, pb)) in a.chunks_exact(3).zip(b.chunks_exact(3)).enumerate() {
                let cell = column_cell.get(x).copied().unwrap_or(0);
                for c in 0..3 {
                    let d = pa[c].abs_diff(pb[c]);
                    total += u64::from(d);
                    let amplified = (u32::from(d) * u32::from(GAIN)).min(255);
                    if let Some(s) = acc.get_mut(cell * 3 + c) {
                        *s += u64::from(amplified);
                    }
                }
                if let Some(n) = cells.get_mut(cell) {
                    *n += 1;
                }
            }
        }
        y0 += rows;
    }
    flush(&mut out, &mut acc, &mut cells);
    out.truncate(out_w as usize * out_h as usize * 3);

    let png = encode_png(&out, out_w, out_h)?;
    Ok(ErrorLevelImage {
        quality: QUALITY,
        gain: GAIN,
        width: out_w,
        height: out_h,
        mean_error: (total as f64 / (f64::from(w) * f64::from(h) * 3.0)) as f32,
        png,
    })
}

/// Appends the averaged output row and clears the accumulators.
fn flush(out: &mut Vec<u8>, acc: &mut [u64], cells: &mut [u64]) {
    for (i, &n) in cells.iter().enumerate() {
        for c in 0..3 {
            let s = acc.get(i * 3 + c).copied().unwrap_or(0);
            out.push((s + n / 2).checked_div(n).map_or(0, |v| v.min(255) as u8));
        }
    }
    acc.iter_mut().for_each(|v| *v = 0);
    cells.iter_mut().for_each(|v| *v = 0);
}

/// Encodes `rows` rows of RGB at [`QUALITY`] (4:4:4) and decodes them again.
fn resave(strip: &[u8], w: u16, rows: u32) -> Result<Vec<u8>, AuthenticityError> {
    let rows16 = u16::try_from(rows).map_err(|e| AuthenticityError::Encode(e.to_string()))?;
    let mut jpeg = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut jpeg, QUALITY);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    enc.encode(strip, w, rows16, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| AuthenticityError::Encode(e.to_string()))?;
    let decoded = phash::decode_bounded(
        Cursor::new(&jpeg),
        "the re-saved strip",
        phash::MAX_PIXELS,
        false,
    )?;
    Ok(match decoded {
        DynamicImage::ImageRgb8(rgb) => rgb.into_raw(),
        other => other.to_rgb8().into_raw(),
    })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, AuthenticityError> {
    fn write(out: &mut Vec<u8>, rgb: &[u8], w: u32, h: u32) -> Result<(), png::EncodingError> {
        let mut enc = png::Encoder::new(out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()
    }
    let mut out = Vec::new();
    write(&mut out, rgb, w, h).map_err(|e| AuthenticityError::Encode(format!("PNG: {e}")))?;
    Ok(out)
}

/// Makes the image and adds the signal, or a note.
pub(crate) fn check(rgb: &RgbImage, ex: &mut Examination) {
    match make(rgb) {
        Ok(ela) => {
            ex.signals.push(Signal::new(
                kind::ERROR_LEVEL,
                Level::Note,
                format!(
                    "The picture was re-saved as JPEG quality {QUALITY}; the mean difference is \
                     {:.2} of 255 per channel. The difference, amplified {GAIN} times, is \
                     attached as a {}×{} image.",
                    ela.mean_error, ela.width, ela.height
                ),
                "Regions that stand out (brighter or darker than similar texture elsewhere) may \
                 have a different compression history from the rest of the picture, for example \
                 pasted or retouched after the picture was last compressed. Compare like with \
                 like: edges with edges, flat areas with flat areas.",
                "Error level analysis is a visual aid, not a measurement or a test: edges, fine \
                 texture and saturated colours light up by themselves in any picture, flat areas \
                 stay dark, and a picture re-saved several times (every messenger and social \
                 network does this) flattens all error levels so that nothing stands out. A \
                 bright region does not show an edit, and a uniform image does not show that \
                 there was none.",
            ));
            ex.error_level = Some(ela);
        }
        Err(e) => ex.notes.push(format!("error-level image not made: {e}")),
    }
}
