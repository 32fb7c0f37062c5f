//! Perceptual hashing on real encoded files: what it refuses and how it
//! says so, that no input makes it panic, and that it hashes what a viewer
//! sees (EXIF orientation, transparency).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod imageset;

use std::io::Cursor;

use image::{ImageEncoder, RgbImage, RgbaImage};
use imageset::{Kind, Rng};
use proptest::prelude::*;
use qorgau_media::phash::{HashError, hamming, hash_bytes, hash_file, hash_reader};

fn sample(seed: u64) -> RgbImage {
    imageset::base(Kind::Shapes, &mut Rng::new(seed))
}

#[test]
fn the_same_picture_in_every_codec_hashes_alike() {
    let img = sample(1);
    let png = hash_bytes(&imageset::png(&img), "png").unwrap();
    let dynamic = image::DynamicImage::ImageRgb8(img.clone());
    for (name, bytes) in [
        ("jpeg", imageset::jpeg(&img, 90)),
        ("gif", imageset::encode(&dynamic, image::ImageFormat::Gif)),
        ("webp", imageset::encode(&dynamic, image::ImageFormat::WebP)),
    ] {
        let h = hash_bytes(&bytes, name).unwrap();
        assert_eq!((h.width, h.height), img.dimensions(), "{name}");
        assert!(
            hamming(h.phash, png.phash) <= 2,
            "{name}: pHash {}",
            hamming(h.phash, png.phash)
        );
        assert!(
            hamming(h.dhash, png.dhash) <= 6,
            "{name}: dHash {}",
            hamming(h.dhash, png.dhash)
        );
    }
    // Unrelated pictures are far apart.
    let other = hash_bytes(&imageset::png(&sample(2)), "other").unwrap();
    assert!(hamming(other.phash, png.phash) > 16);
    assert_eq!(png.phash_hex().len(), 16);
    assert_eq!(png.phash_hex(), format!("{:016x}", png.phash));
}

#[test]
fn not_an_image_names_the_input() {
    let err = hash_bytes(b"just some text, no picture", "notes.txt").unwrap_err();
    assert!(matches!(err, HashError::NotAnImage { .. }), "{err:?}");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    // A TIFF is an image, but not one of the four formats hashed.
    let err = hash_bytes(b"II*\0\x08\0\0\0\0\0\0\0\0\0\0\0", "scan.tif").unwrap_err();
    assert!(err.to_string().contains("Tiff"), "{err}");
    let err = hash_bytes(b"", "empty.jpg").unwrap_err();
    assert!(matches!(err, HashError::NotAnImage { .. }), "{err:?}");
}

#[test]
fn missing_file_names_the_path() {
    let err = hash_file(std::path::Path::new("/nonexistent/ad-photo.jpg")).unwrap_err();
    assert!(matches!(err, HashError::Io { .. }));
    assert!(
        err.to_string().contains("/nonexistent/ad-photo.jpg"),
        "{err}"
    );
}

#[test]
fn images_over_the_pixel_limit_are_refused_before_decoding() {
    let png = imageset::png(&sample(3));
    let (w, h) = sample(3).dimensions();
    let err = hash_reader(Cursor::new(&png), "big.png", u64::from(w * h) - 1).unwrap_err();
    match &err {
        HashError::TooLarge {
            width,
            height,
            label,
            ..
        } => {
            assert_eq!((*width, *height), (w, h));
            assert_eq!(label, "big.png");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(hash_reader(Cursor::new(&png), "ok.png", u64::from(w * h)).is_ok());

    // A decompression bomb: a PNG header claiming 100 000 × 100 000 pixels
    // and almost no data. Refused from the header, nothing allocated.
    let bomb = png_header_only(100_000, 100_000);
    let err = hash_bytes(&bomb, "bomb.png").unwrap_err();
    assert!(matches!(err, HashError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("100000×100000"), "{err}");
}

/// A PNG signature and IHDR chunk (with its CRC) and nothing else.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    // The start of the data, so that the header reads as complete.
    let idat = b"IDAT\x78\x9c";
    out.extend_from_slice(&2u32.to_be_bytes());
    out.extend_from_slice(idat);
    out.extend_from_slice(&crc32(idat).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn truncated_files_give_errors_not_panics() {
    let img = sample(4);
    for (name, bytes) in [
        ("png", imageset::png(&img)),
        ("jpeg", imageset::jpeg(&img, 80)),
    ] {
        let step = (bytes.len() / 200).max(1);
        for len in (0..bytes.len()).step_by(step) {
            // Either an error naming the input, or (a JPEG cut in its last
            // scan decodes what it has) a hash; never a panic.
            if let Err(e) = hash_bytes(&bytes[..len], name) {
                assert!(e.to_string().contains(name), "{e}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Bytes changed anywhere in a valid file: an error or a hash, never a
    /// panic.
    #[test]
    fn damaged_files_never_panic(
        kind in 0usize..3,
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
    ) {
        let img = imageset::base(Kind::Gradient, &mut Rng::new(5));
        let small = image::imageops::resize(&img, 64, 48, image::imageops::FilterType::Triangle);
        let mut bytes = match kind {
            0 => imageset::png(&small),
            1 => imageset::jpeg(&small, 75),
            _ => imageset::encode(&image::DynamicImage::ImageRgb8(small), image::ImageFormat::Gif),
        };
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = hash_bytes(&bytes, "damaged");
    }
}

#[test]
fn exif_orientation_is_applied() {
    // The camera stored the picture turned a quarter to the left and wrote
    // "rotate 90° clockwise to view" (orientation 6): the hash is that of
    // the upright picture.
    let upright = sample(6);
    let stored = image::imageops::rotate270(&upright);
    let mut tagged = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut tagged, 92);
    encoder.set_exif_metadata(orientation_exif(6)).unwrap();
    encoder
        .write_image(
            stored.as_raw(),
            stored.width(),
            stored.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    let want = hash_bytes(&imageset::png(&upright), "upright").unwrap();
    let got = hash_bytes(&tagged, "tagged").unwrap();
    let untagged = hash_bytes(&imageset::jpeg(&stored, 92), "untagged").unwrap();
    assert_eq!((got.width, got.height), upright.dimensions());
    assert!(
        hamming(got.phash, want.phash) <= 2,
        "{}",
        hamming(got.phash, want.phash)
    );
    assert!(hamming(untagged.phash, want.phash) > 10);
}

/// A little-endian TIFF block with one IFD entry: Orientation = `value`.
fn orientation_exif(value: u16) -> Vec<u8> {
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    t.extend_from_slice(&1u16.to_le_bytes());
    t.extend_from_slice(&0x0112u16.to_le_bytes());
    t.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&value.to_le_bytes());
    t.extend_from_slice(&[0, 0]);
    t.extend_from_slice(&0u32.to_le_bytes());
    t
}

#[test]
fn transparency_is_seen_over_white() {
    // A shape on a transparent background hashes like the same shape on
    // white, whatever colour the invisible pixels hold.
    let shape = sample(7);
    let (w, h) = shape.dimensions();
    let on_white = RgbImage::from_fn(w, h, |x, y| {
        if (x / 40 + y / 40) % 3 == 0 {
            *shape.get_pixel(x, y)
        } else {
            image::Rgb([255, 255, 255])
        }
    });
    let transparent = RgbaImage::from_fn(w, h, |x, y| {
        let p = shape.get_pixel(x, y);
        if (x / 40 + y / 40) % 3 == 0 {
            image::Rgba([p[0], p[1], p[2], 255])
        } else {
            image::Rgba([(x % 256) as u8, 0, (y % 256) as u8, 0])
        }
    });
    let a = hash_bytes(&imageset::png(&on_white), "white").unwrap();
    let b = hash_bytes(
        &imageset::encode(
            &image::DynamicImage::ImageRgba8(transparent),
            image::ImageFormat::Png,
        ),
        "transparent",
    )
    .unwrap();
    assert_eq!(a.phash, b.phash);
    assert_eq!(a.dhash, b.dhash);
}

/// What hashing costs per photo at acquisition: a 12-megapixel JPEG (4000 ×
/// 3000, quality 90) and a 1-megapixel one, decoded and hashed, median of 5.
/// `bench/media-reuse.sh` runs it.
#[test]
#[ignore = "measurement: bench/media-reuse.sh"]
fn hash_speed() {
    for (w, h) in [(4000u32, 3000u32), (1280, 800)] {
        let img = imageset::base(Kind::Noise, &mut Rng::new(12));
        let big = image::imageops::resize(&img, w, h, image::imageops::FilterType::Triangle);
        let bytes = imageset::jpeg(&big, 90);
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let started = std::time::Instant::now();
                hash_bytes(&bytes, "photo").unwrap();
                started.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{w}x{h} JPEG q90 ({} KiB): decode + hash median {:.0} ms",
            bytes.len() / 1024,
            times[2]
        );
    }
}
