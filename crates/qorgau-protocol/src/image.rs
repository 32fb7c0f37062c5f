//! Screenshots: checking, measuring and decoding the PNGs.

use std::io::Cursor;

use sha2::{Digest as _, Sha256};

use crate::RenderError;
use crate::model::Screenshot;

/// Largest decoded screenshot accepted (RGBA bytes): a 1920 × 60 000 page
/// fits; anything bigger is refused with a clear error instead of
/// exhausting memory.
const MAX_DECODED_BYTES: usize = 512 * 1024 * 1024;

fn bad(shot: &Screenshot, reason: impl ToString) -> RenderError {
    RenderError::BadPng {
        name: shot.name.clone(),
        reason: reason.to_string(),
    }
}

/// Checks that the PNG bytes hash to the SHA-256 the inspection states.
pub(crate) fn check_hash(shot: &Screenshot) -> Result<(), RenderError> {
    let actual = hex::encode(Sha256::digest(&shot.png));
    if actual.eq_ignore_ascii_case(shot.sha256.trim()) {
        Ok(())
    } else {
        Err(RenderError::ScreenshotHash {
            name: shot.name.clone(),
            stated: shot.sha256.clone(),
            actual,
        })
    }
}

fn decoder(shot: &Screenshot) -> png::Decoder<Cursor<&[u8]>> {
    png::Decoder::new_with_limits(
        Cursor::new(shot.png.as_slice()),
        png::Limits {
            bytes: MAX_DECODED_BYTES,
        },
    )
}

/// Width and height in pixels, from the header only.
pub(crate) fn dimensions(shot: &Screenshot) -> Result<(u32, u32), RenderError> {
    let mut d = decoder(shot);
    let info = d.read_header_info().map_err(|e| bad(shot, e))?;
    Ok((info.width, info.height))
}

/// A decoded screenshot, 8-bit RGB, rows top to bottom. Transparency is
/// composed over white, as a browser shows it on paper.
pub(crate) struct Rgb {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// Decodes the PNG fully (any bit depth, palette, grey or alpha).
pub(crate) fn decode_rgb(shot: &Screenshot) -> Result<Rgb, RenderError> {
    let mut d = decoder(shot);
    d.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = d.read_info().map_err(|e| bad(shot, e))?;
    let size = reader
        .output_buffer_size()
        .filter(|&s| s <= MAX_DECODED_BYTES)
        .ok_or_else(|| bad(shot, "image too large"))?;
    let mut buf = vec![0; size];
    let out = reader.next_frame(&mut buf).map_err(|e| bad(shot, e))?;
    let (w, h) = (out.width as usize, out.height as usize);
    let channels = match out.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(bad(shot, "palette not expanded")),
    };
    let mut data = Vec::with_capacity(w * h * 3);
    for row in buf.chunks(out.line_size).take(h) {
        for px in row.chunks_exact(channels).take(w) {
            let (rgb, a) = match *px {
                [g] => ([g, g, g], 255),
                [g, a] => ([g, g, g], a),
                [r, g, b] => ([r, g, b], 255),
                [r, g, b, a] => ([r, g, b], a),
                _ => ([255, 255, 255], 255),
            };
            for c in rgb {
                // Over white: c·a + 255·(1 − a), in integers.
                let v = (u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255;
                data.push(u8::try_from(v).unwrap_or(255));
            }
        }
    }
    if data.len() != w * h * 3 {
        return Err(bad(shot, "truncated image data"));
    }
    Ok(Rgb {
        width: out.width,
        height: out.height,
        data,
    })
}
