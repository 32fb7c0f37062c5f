//! A blurred rendition of an image, for content that may show the abuse of
//! a child.
//!
//! Such a picture is shown blurred by default (issue 8): the examiner sees
//! that it is there, its shape and colours, and decides to look; nobody
//! meets it by opening a case page. The blur is made on the server, so the
//! original bytes are not sent to a browser that only asked for the
//! preview. Shrinking to a few dozen pixels and enlarging again is the
//! blur: nothing recognisable survives 48 pixels, and it costs one
//! resample each way whatever the picture's size.

use std::io::Cursor;

use image::imageops::FilterType;

use crate::phash::{HashError, MAX_PIXELS, decode_bounded};

/// Longest side, in pixels, of the shrunken picture the blur is made from.
pub const BLUR_SIDE: u32 = 48;

/// Longest side of the rendition sent.
pub const RENDITION_SIDE: u32 = 480;

/// Decodes `bytes` (bounded, no panic) and returns a heavily blurred PNG
/// at most [`RENDITION_SIDE`] pixels on its longest side.
pub fn blurred_png(bytes: &[u8], label: &str) -> Result<Vec<u8>, HashError> {
    let image = decode_bounded(Cursor::new(bytes), label, MAX_PIXELS, true)?;
    let (w, h) = (image.width().max(1), image.height().max(1));
    let fit = |side: u32| {
        let scale = f64::from(side) / f64::from(w.max(h));
        (
            ((f64::from(w) * scale).round() as u32).max(1),
            ((f64::from(h) * scale).round() as u32).max(1),
        )
    };
    let (sw, sh) = fit(BLUR_SIDE);
    let small = image.resize_exact(sw, sh, FilterType::Triangle).to_rgb8();
    let (rw, rh) = fit(RENDITION_SIDE.min(w.max(h)).max(BLUR_SIDE));
    let shown = image::imageops::resize(&small, rw, rh, FilterType::Triangle);
    let mut out = Vec::new();
    shown
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| HashError::Decode {
            label: label.to_string(),
            reason: format!("the blurred rendition could not be written: {e}"),
        })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkerboard(side: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(side, side, |x, y| {
            if (x / 4 + y / 4) % 2 == 0 {
                image::Rgb([255, 255, 255])
            } else {
                image::Rgb([0, 0, 0])
            }
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn fine_detail_does_not_survive_the_blur() {
        let png = blurred_png(&checkerboard(400), "test").unwrap();
        let shown = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!(shown.width(), 400);
        // A 4-pixel checkerboard averages to grey: no pixel is near black
        // or white any more.
        let extremes = shown
            .pixels()
            .filter(|p| p.0[0] < 60 || p.0[0] > 195)
            .count();
        assert_eq!(extremes, 0, "detail survived the blur");
    }

    #[test]
    fn not_an_image_is_an_error_not_a_panic() {
        assert!(blurred_png(b"not an image", "x").is_err());
        assert!(blurred_png(&[0x89, b'P', b'N', b'G', 0, 0], "x").is_err());
    }
}
