//! The EXIF thumbnail compared with the image.
//!
//! Cameras and phones write a small preview (EXIF IFD1, a JPEG of about
//! 160×120) when they take the picture. Some editors change the image but
//! copy the old EXIF block, thumbnail included, so a thumbnail that shows a
//! different picture (or a different framing) is a classic sign of an edit.
//! The comparison uses the crate's perceptual hashes ([`crate::phash`]):
//! both are computed on the stored pixel grid (thumbnails are stored in the
//! same orientation as the image), and the aspect ratios are compared.

use std::io::Cursor;

use super::{Examination, Level, Signal, kind};
use crate::phash::{self, ImageHashes, hamming};

/// A thumbnail is a few hundred pixels wide; anything over a megapixel is
/// not decoded.
const MAX_THUMBNAIL_PIXELS: u64 = 1_000_000;
/// Distances (bits of 64) from which the thumbnail is taken to show a
/// different picture: well above what the downscaling and heavy compression
/// of a thumbnail cause (a few bits), well below unrelated pictures (~32).
const PHASH_DIFFERS: u32 = 14;
const DHASH_DIFFERS: u32 = 14;
/// Relative difference of aspect ratios from which framing is said to
/// differ.
const ASPECT_DIFFERS: f64 = 0.05;

pub(crate) fn check(
    thumb: &[u8],
    main: &ImageHashes,
    width: u32,
    height: u32,
    ex: &mut Examination,
) {
    let img = match phash::decode_bounded(
        Cursor::new(thumb),
        "the EXIF thumbnail",
        MAX_THUMBNAIL_PIXELS,
        false,
    ) {
        Ok(img) => img,
        Err(e) => {
            ex.notes
                .push(format!("the EXIF thumbnail could not be compared: {e}"));
            return;
        }
    };
    let t = phash::hash_image(&img);
    let (dp, dd) = (hamming(t.phash, main.phash), hamming(t.dhash, main.dhash));
    let ratio = |w: u32, h: u32| f64::from(w) / f64::from(h.max(1));
    let (ra, rt) = (ratio(width, height), ratio(t.width, t.height));
    let aspect_differs = ((ra - rt) / ra).abs() > ASPECT_DIFFERS;
    let differs = dp >= PHASH_DIFFERS || dd >= DHASH_DIFFERS;
    let observed = format!(
        "The EXIF thumbnail ({}×{}, aspect {rt:.2}) against the image ({width}×{height}, aspect \
         {ra:.2}): pHash distance {dp}, dHash distance {dd} of 64 bits (a different picture from \
         {PHASH_DIFFERS} or {DHASH_DIFFERS}).",
        t.width, t.height
    );
    let cannot_show = "Some cameras pad the thumbnail with black bars to a fixed 4:3 or 3:2 \
        frame, which changes its aspect ratio and hashes without any edit; some editors rewrite \
        the thumbnail with the edited image, so a matching thumbnail does not show the picture is \
        unedited. Edits too small to move a 64-bit perceptual hash (a removed detail, a changed \
        number) do not show here.";
    if differs || aspect_differs {
        ex.signals.push(Signal::new(
            kind::THUMBNAIL,
            Level::WorthExamining,
            observed,
            if differs {
                "The thumbnail shows a different picture or framing from the image: the image may \
                 have been edited, cropped or replaced after the thumbnail was written, by software \
                 that kept the old EXIF block. Look at the thumbnail itself: it may show the \
                 picture as it was."
            } else {
                "The thumbnail has a different framing from the image: the image may have been \
                 cropped or resized after the thumbnail was written."
            },
            cannot_show,
        ));
    } else {
        ex.signals.push(Signal::new(
            kind::THUMBNAIL,
            Level::Note,
            observed,
            "The thumbnail shows the same picture and framing as the image.",
            cannot_show,
        ));
    }
}
