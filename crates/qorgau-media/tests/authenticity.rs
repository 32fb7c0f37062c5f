//! Authenticity signals on generated pictures (gradients, shapes, smooth
//! noise: never photographs), with metadata written by exiftool or built
//! here. Each test can fail: it checks what a signal says, not only that the
//! examination ran.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
mod imageset;

use std::sync::OnceLock;

use image::RgbImage;
use imageset::{Kind, Rng, base};
use proptest::prelude::*;
use qorgau_media::authenticity::{
    Examination, ExamineOptions, Level, Signal, error_level_image, examine, examine_at,
    examine_with, kind,
};

/// 2027-01-15, the "now" of the tests.
const NOW: i64 = 1_800_000_000;

fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(
            img.as_raw(),
            img.width() as u16,
            img.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

fn decode(bytes: &[u8]) -> RgbImage {
    image::load_from_memory(bytes).unwrap().to_rgb8()
}

/// A textured picture (smooth noise with grain), the kind of content the
/// compression tests are reliable on: photographs have texture and sensor
/// noise, not flat colours.
fn textured(seed: u64) -> RgbImage {
    base(Kind::Noise, &mut Rng::new(seed))
}

fn only(ex: &Examination, kind: &str) -> Signal {
    let found: Vec<&Signal> = ex.signals_of(kind).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {kind} signal, got {found:#?}\nall: {:#?}\nnotes: {:?}",
        ex.signals,
        ex.notes
    );
    found[0].clone()
}

fn with_exif(bytes: &[u8], args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = common::write(dir.path(), "x.jpg", bytes);
    common::exiftool_write(&p, args);
    std::fs::read(&p).unwrap()
}

#[test]
fn jpeg_encoder_quality_75_is_estimated_with_standard_tables() {
    let img = textured(1);
    for q in [75u8, 50, 90, 30] {
        let ex = examine_at(&jpeg(&img, q), None, NOW);
        let qt = ex.quantisation.as_ref().expect("quantisation tables");
        let est = qt.nearest_ijg_quality.expect("a quality estimate");
        assert!(
            (i32::from(est) - i32::from(q)).abs() <= 1,
            "quality {q} estimated as {est}"
        );
        assert!(qt.standard_ijg, "quality {q}: {qt:?}");
        assert_eq!(qt.mean_difference, 0.0);
        assert_eq!(qt.tables.len(), 2, "luminance and chrominance");
        assert_eq!(qt.tables[0].values.len(), 64);
        let s = only(&ex, kind::JPEG_QUANTISATION);
        assert!(s.observed.contains("exactly the IJG"), "{}", s.observed);
        assert!(
            s.observed.contains(&format!("quality {est}")),
            "{}",
            s.observed
        );
        assert!(s.cannot_show.contains("last save"), "{}", s.cannot_show);
    }
    // libjpeg's table at 75 has a luminance DC step of 8.
    let ex = examine_at(&jpeg(&img, 75), None, NOW);
    assert_eq!(ex.quantisation.unwrap().tables[0].values[0], 8);
}

#[test]
fn non_standard_tables_are_said_to_be_non_standard() {
    let img = textured(2);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 80);
    enc.set_quantization_tables(
        jpeg_encoder::QuantizationTableType::ImageMagick,
        jpeg_encoder::QuantizationTableType::ImageMagick,
    );
    enc.encode(
        img.as_raw(),
        img.width() as u16,
        img.height() as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .unwrap();
    let ex = examine_at(&out, None, NOW);
    let qt = ex.quantisation.as_ref().unwrap();
    assert!(!qt.standard_ijg, "{qt:?}");
    assert!(qt.mean_difference > 0.5, "{qt:?}");
    let s = only(&ex, kind::JPEG_QUANTISATION);
    assert!(s.observed.contains("not the IJG"), "{}", s.observed);
}

#[test]
fn double_compression_shows_and_single_compression_does_not() {
    // Measured on the generator's textured pictures (tests run 6 seeds in
    // exploration; here 5): q60→q90 and q75→q90 were found in every one,
    // a single q90 or q95→q90 in none.
    for seed in 10..15u64 {
        let img = textured(seed);
        let once = examine_at(&jpeg(&img, 90), None, NOW);
        // Every block was read: at quality 90 jpeg-encoder writes 4:4:4,
        // one luminance block per MCU.
        let blocks = img.width().div_ceil(8) * img.height().div_ceil(8);
        assert!(
            !once.notes.iter().any(|n| n.starts_with("DCT coefficients")),
            "{:?}",
            once.notes
        );
        let s = only(&once, kind::DOUBLE_COMPRESSION);
        assert!(
            s.observed.contains(&format!("in {blocks} blocks")),
            "{}",
            s.observed
        );
        assert_eq!(s.level, Level::Note, "seed {seed} single: {}", s.observed);
        assert!(
            s.observed.contains("no double-quantisation trace"),
            "seed {seed} single: {}",
            s.observed
        );

        // Below quality 90 it writes 4:2:0: four luminance blocks per MCU.
        let ex = examine_at(&jpeg(&img, 75), None, NOW);
        let blocks = img.width().div_ceil(16) * img.height().div_ceil(16) * 4;
        let s = only(&ex, kind::DOUBLE_COMPRESSION);
        assert!(
            s.observed.contains(&format!("in {blocks} blocks")),
            "{}",
            s.observed
        );

        let twice = jpeg(&decode(&jpeg(&img, 60)), 90);
        let ex = examine_at(&twice, None, NOW);
        let s = only(&ex, kind::DOUBLE_COMPRESSION);
        assert_eq!(
            s.level,
            Level::WorthExamining,
            "seed {seed} double: {}",
            s.observed
        );
        assert!(
            s.observed.contains("periodic gaps or peaks"),
            "{}",
            s.observed
        );
        assert!(s.cannot_show.contains("not proof"), "{}", s.cannot_show);
        // The same picture re-saved at the same grid: no shifted grid.
        assert_eq!(only(&ex, kind::BLOCKING_GRID).level, Level::Note);
    }
}

#[test]
fn double_compression_is_skipped_for_small_and_non_jpeg_pictures() {
    let small = RgbImage::from_fn(64, 64, |x, y| image::Rgb([(x * 4) as u8, (y * 4) as u8, 9]));
    let ex = examine_at(&jpeg(&small, 80), None, NOW);
    assert_eq!(ex.signals_of(kind::DOUBLE_COMPRESSION).count(), 0);
    assert!(
        ex.notes.iter().any(|n| n.contains("luminance blocks")),
        "{:?}",
        ex.notes
    );
    let ex = examine_at(&imageset::png(&textured(3)), None, NOW);
    assert_eq!(ex.signals_of(kind::DOUBLE_COMPRESSION).count(), 0);
    assert!(
        ex.notes.iter().any(|n| n.contains("not a JPEG")),
        "{:?}",
        ex.notes
    );
    assert!(ex.quantisation.is_none());
}

#[test]
fn a_crop_after_compression_shows_a_shifted_grid() {
    for seed in 20..23u64 {
        let img = textured(seed);
        let (w, h) = img.dimensions();
        let once = decode(&jpeg(&img, 60));
        // 3 columns and 5 rows cut: the old block boundaries are now at
        // x ≡ 5 and y ≡ 3 (mod 8).
        let cropped = image::imageops::crop_imm(&once, 3, 5, w - 3, h - 5).to_image();
        let ex = examine_at(&jpeg(&cropped, 90), None, NOW);
        let s = only(&ex, kind::BLOCKING_GRID);
        assert_eq!(
            s.level,
            Level::WorthExamining,
            "seed {seed}: {}",
            s.observed
        );
        assert!(
            s.observed
                .contains("offset of 5 pixels horizontally and 3 vertically"),
            "seed {seed}: {}",
            s.observed
        );
        // Saved losslessly instead, the old grid is all there is.
        let ex = examine_at(&imageset::png(&cropped), None, NOW);
        let s = only(&ex, kind::BLOCKING_GRID);
        assert_eq!(
            s.level,
            Level::WorthExamining,
            "seed {seed}: {}",
            s.observed
        );
        assert!(
            s.observed
                .contains("offset of 5 pixels horizontally and 3 vertically")
        );
        // A single compression: only the file's own grid.
        let ex = examine_at(&jpeg(&img, 75), None, NOW);
        assert_eq!(only(&ex, kind::BLOCKING_GRID).level, Level::Note);
        // A PNG that was a JPEG, uncropped: the grid at 0,0, a note.
        let ex = examine_at(&imageset::png(&once), None, NOW);
        let s = only(&ex, kind::BLOCKING_GRID);
        assert_eq!(s.level, Level::Note, "{}", s.observed);
        assert!(
            s.observed.contains("offset of 0 pixels horizontally and 0"),
            "{}",
            s.observed
        );
        // Never compressed: no grid.
        let ex = examine_at(&imageset::png(&img), None, NOW);
        assert!(
            only(&ex, kind::BLOCKING_GRID)
                .observed
                .starts_with("No 8×8")
        );
    }
}

/// Mean of the ELA PNG's pixels inside and outside a rectangle given in
/// source-image fractions.
fn ela_means(png_bytes: &[u8], rect: (f64, f64, f64, f64)) -> (f64, f64) {
    let img = image::load_from_memory(png_bytes).unwrap().to_rgb8();
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let (mut si, mut ni, mut so, mut no) = (0f64, 0f64, 0f64, 0f64);
    for (x, y, p) in img.enumerate_pixels() {
        let (fx, fy) = (f64::from(x) / w, f64::from(y) / h);
        let v = p.0.iter().map(|&c| f64::from(c)).sum::<f64>() / 3.0;
        // A margin of 2 % around the edge of the region is left out.
        let inside =
            fx > rect.0 + 0.02 && fx < rect.2 - 0.02 && fy > rect.1 + 0.02 && fy < rect.3 - 0.02;
        let outside =
            fx < rect.0 - 0.02 || fx > rect.2 + 0.02 || fy < rect.1 - 0.02 || fy > rect.3 + 0.02;
        if inside {
            si += v;
            ni += 1.0;
        } else if outside {
            so += v;
            no += 1.0;
        }
    }
    (si / ni, so / no)
}

#[test]
fn a_pasted_region_is_brighter_in_the_error_level_image() {
    for seed in 30..33u64 {
        let background = decode(&jpeg(&textured(seed), 60));
        let patch = textured(seed + 100);
        let (w, h) = background.dimensions();
        // A region of a never-compressed picture, off the 8×8 grid.
        let (x0, y0, rw, rh) = (w / 4 + 3, h / 4 + 5, w / 3, h / 3);
        let mut composite = background.clone();
        for y in y0..y0 + rh {
            for x in x0..x0 + rw {
                composite.put_pixel(
                    x,
                    y,
                    *patch.get_pixel(x % patch.width(), y % patch.height()),
                );
            }
        }
        let rect = (
            f64::from(x0) / f64::from(w),
            f64::from(y0) / f64::from(h),
            f64::from(x0 + rw) / f64::from(w),
            f64::from(y0 + rh) / f64::from(h),
        );
        for (label, bytes) in [
            ("png", imageset::png(&composite)),
            ("jpeg q95", jpeg(&composite, 95)),
        ] {
            let ex = examine_at(&bytes, None, NOW);
            let ela = ex.error_level.as_ref().expect("error-level image");
            assert_eq!((ela.width, ela.height), (w, h));
            let (inside, outside) = ela_means(&ela.png, rect);
            assert!(
                inside > 1.5 * outside && inside - outside > 10.0,
                "seed {seed} {label}: pasted region {inside:.1} vs rest {outside:.1}"
            );
            let s = only(&ex, kind::ERROR_LEVEL);
            assert_eq!(s.level, Level::Note);
            assert!(s.cannot_show.contains("visual aid"), "{}", s.cannot_show);
            assert!(s.cannot_show.contains("edges"), "{}", s.cannot_show);
            assert!(s.cannot_show.contains("re-saved"), "{}", s.cannot_show);
        }
    }
}

#[test]
fn error_level_image_is_scaled_down_to_2048() {
    let img = RgbImage::from_fn(3000, 1000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 7 * 30) as u8])
    });
    let ela = error_level_image(&jpeg(&img, 80)).unwrap();
    assert_eq!((ela.width, ela.height), (2048, 683));
    let png = image::load_from_memory(&ela.png).unwrap();
    assert_eq!((png.width(), png.height()), (2048, 683));
    assert!(error_level_image(b"not an image").is_err());
}

#[test]
fn photoshop_in_exif_is_an_editing_software_signal() {
    let bytes = with_exif(
        &jpeg(&textured(4), 85),
        &[
            "-Make=Canon",
            "-Model=Canon EOS 80D",
            "-Software=Adobe Photoshop 25.0 (Windows)",
            "-DateTimeOriginal=2024:03:05 14:22:01",
            "-ModifyDate=2024:03:07 09:00:00",
        ],
    );
    let ex = examine_at(&bytes, None, NOW);
    let s = only(&ex, kind::EDITING_SOFTWARE);
    assert_eq!(s.level, Level::WorthExamining);
    assert!(
        s.observed
            .contains("EXIF Software is 'Adobe Photoshop 25.0 (Windows)' (Adobe Photoshop)"),
        "{}",
        s.observed
    );
    assert!(
        s.observed.contains("camera Canon EOS 80D"),
        "{}",
        s.observed
    );
    let t = only(&ex, kind::MODIFY_TIME_DIFFERS);
    assert!(t.observed.contains("42 hours after"), "{}", t.observed);
    assert_eq!(ex.signals_of(kind::NO_EXIF).count(), 0);
    assert_eq!(ex.signals_of(kind::CAMERA_INCOMPLETE).count(), 0);
    // The same examination from metadata the vault stored.
    let meta = qorgau_media::extract_from_reader(
        &mut std::io::Cursor::new(&bytes),
        "image/jpeg",
        std::path::Path::new("mem"),
    )
    .unwrap()
    .unwrap();
    let again = examine_at(&bytes, Some(&meta), NOW);
    assert_eq!(again.signals, ex.signals);
}

#[test]
fn a_jpeg_without_exif_gives_the_stripped_metadata_note() {
    let ex = examine(&jpeg(&textured(5), 80), None);
    let s = only(&ex, kind::NO_EXIF);
    assert_eq!(s.level, Level::Note);
    assert!(s.cannot_show.contains("messenger"), "{}", s.cannot_show);
    assert!(
        s.cannot_show.contains("cannot show editing"),
        "{}",
        s.cannot_show
    );
    assert_eq!(ex.signals_of(kind::EDITING_SOFTWARE).count(), 0);
    assert_eq!(ex.container, "jpeg");
}

#[test]
fn implausible_times_places_and_dimensions() {
    let bytes = with_exif(
        &jpeg(&textured(6), 85),
        &[
            "-Make=QorgauCam",
            "-DateTimeOriginal=2031:01:01 10:00:00",
            "-GPSLatitude=0",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=0",
            "-GPSLongitudeRef=E",
            "-ExifImageWidth=4000",
            "-ExifImageHeight=3000",
        ],
    );
    let ex = examine_at(&bytes, None, NOW);
    let s = only(&ex, kind::ORIGINAL_TIME_IMPLAUSIBLE);
    assert!(s.observed.contains("later than"), "{}", s.observed);
    let s = only(&ex, kind::GPS_IMPLAUSIBLE);
    assert!(s.observed.contains("exactly 0, 0"), "{}", s.observed);
    let s = only(&ex, kind::DIMENSIONS_DIFFER);
    assert_eq!(s.level, Level::WorthExamining);
    assert!(s.observed.contains("4000×3000"), "{}", s.observed);
    let s = only(&ex, kind::CAMERA_INCOMPLETE);
    assert!(s.observed.contains("QorgauCam, no model"), "{}", s.observed);

    let old = with_exif(
        &jpeg(&textured(6), 85),
        &["-DateTimeOriginal=1985:06:01 10:00:00"],
    );
    let s = only(
        &examine_at(&old, None, NOW),
        kind::ORIGINAL_TIME_IMPLAUSIBLE,
    );
    assert!(s.observed.contains("1990"), "{}", s.observed);
    // A plausible time and place give nothing.
    let fine = with_exif(
        &jpeg(&textured(6), 85),
        &[
            "-DateTimeOriginal=2024:03:05 14:22:01",
            "-GPSLatitude=43.2220",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=76.8512",
            "-GPSLongitudeRef=E",
        ],
    );
    let ex = examine_at(&fine, None, NOW);
    assert_eq!(ex.signals_of(kind::ORIGINAL_TIME_IMPLAUSIBLE).count(), 0);
    assert_eq!(ex.signals_of(kind::GPS_IMPLAUSIBLE).count(), 0);
}

#[test]
fn a_thumbnail_of_another_picture_is_worth_examining() {
    let dir = tempfile::tempdir().unwrap();
    let img = textured(7);
    let small = |i: &RgbImage| {
        image::imageops::resize(
            i,
            160,
            160 * i.height() / i.width(),
            image::imageops::FilterType::Triangle,
        )
    };
    let same = common::write(dir.path(), "same.jpg", &jpeg(&small(&img), 70));
    let other_img = base(Kind::Shapes, &mut Rng::new(99));
    let other = common::write(
        dir.path(),
        "other.jpg",
        &jpeg(
            &image::imageops::resize(
                &other_img,
                160,
                160 * img.height() / img.width(),
                image::imageops::FilterType::Triangle,
            ),
            70,
        ),
    );
    let main = jpeg(&img, 85);
    for (thumb, level) in [(same, Level::Note), (other, Level::WorthExamining)] {
        let arg = format!("-ThumbnailImage<={}", thumb.display());
        let bytes = with_exif(&main, &["-Make=QorgauCam", "-Model=QC-1", &arg]);
        let ex = examine_at(&bytes, None, NOW);
        let s = only(&ex, kind::THUMBNAIL);
        assert_eq!(s.level, level, "{}: {}", thumb.display(), s.observed);
        assert!(s.cannot_show.contains("pad"), "{}", s.cannot_show);
    }
}

#[test]
fn generator_parameters_in_png_text() {
    let img = textured(8);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, img.width(), img.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.add_text_chunk(
            "parameters".into(),
            "a landscape with hills\nSteps: 20, Sampler: Euler a, CFG scale: 7".into(),
        )
        .unwrap();
        let mut w = enc.write_header().unwrap();
        w.write_image_data(img.as_raw()).unwrap();
        w.finish().unwrap();
    }
    let ex = examine_at(&out, None, NOW);
    let s = only(&ex, kind::GENERATOR);
    assert_eq!(s.level, Level::WorthExamining);
    assert!(
        s.observed.contains("PNG text 'parameters'"),
        "{}",
        s.observed
    );
    assert!(
        s.cannot_show.contains("anyone can write"),
        "{}",
        s.cannot_show
    );
    assert_eq!(ex.container, "png");
    // PNGs have no EXIF as a rule: the note is there, with its limits.
    assert_eq!(only(&ex, kind::NO_EXIF).level, Level::Note);
}

#[test]
fn generator_named_in_xmp_and_history() {
    let bytes = with_exif(
        &jpeg(&textured(9), 85),
        &[
            "-XMP-xmp:CreatorTool=Midjourney v6",
            "-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "-XMP-xmpMM:HistoryAction=saved",
            "-XMP-xmpMM:HistorySoftwareAgent=Adobe Photoshop 25.0",
        ],
    );
    let ex = examine_at(&bytes, None, NOW);
    let s = only(&ex, kind::GENERATOR);
    assert!(s.observed.contains("Midjourney"), "{}", s.observed);
    assert!(
        s.observed.contains("trainedAlgorithmicMedia"),
        "{}",
        s.observed
    );
    let s = only(&ex, kind::EDITING_SOFTWARE);
    assert!(s.observed.contains("softwareAgent"), "{}", s.observed);
    let s = only(&ex, kind::XMP_EDIT_HISTORY);
    assert!(s.observed.contains("xmpMM:History"), "{}", s.observed);
}

// Content Credentials: a minimal manifest store built here (JUMBF boxes as
// ISO/IEC 19566-5 lays them out, C2PA labels, a CBOR claim).

fn jbox(typ: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(typ);
    v.extend_from_slice(body);
    v
}

fn superbox(label: &str, children: &[u8]) -> Vec<u8> {
    let mut d = vec![0x63, 0x32, 0x70, 0x61]; // a type UUID (content irrelevant here)
    d.extend_from_slice(&[0; 12]);
    d.push(0x03); // requestable, label present
    d.extend_from_slice(label.as_bytes());
    d.push(0);
    let mut body = jbox(b"jumd", &d);
    body.extend_from_slice(children);
    jbox(b"jumb", &body)
}

fn cbor_text(s: &str) -> Vec<u8> {
    let mut v = if s.len() < 24 {
        vec![0x60 | s.len() as u8]
    } else {
        vec![0x78, s.len() as u8]
    };
    v.extend_from_slice(s.as_bytes());
    v
}

fn manifest_store() -> Vec<u8> {
    let mut claim = vec![0xA2];
    claim.extend(cbor_text("claim_generator"));
    claim.extend(cbor_text("Qorgau Test Generator/1.0"));
    claim.extend(cbor_text("signature"));
    claim.extend(cbor_text("self#jumbf=c2pa.signature"));
    let mut actions = vec![0xA1];
    actions.extend(cbor_text("actions"));
    actions.push(0x81);
    actions.push(0xA2);
    actions.extend(cbor_text("action"));
    actions.extend(cbor_text("c2pa.created"));
    actions.extend(cbor_text("digitalSourceType"));
    actions.extend(cbor_text(
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    ));
    let assertions = superbox(
        "c2pa.assertions",
        &[
            superbox("c2pa.actions", &jbox(b"cbor", &actions)),
            superbox("c2pa.hash.data", &jbox(b"cbor", &[0xA0])),
        ]
        .concat(),
    );
    let manifest = superbox(
        "urn:uuid:00000000-0000-0000-0000-000000000001",
        &[
            assertions,
            superbox("c2pa.claim", &jbox(b"cbor", &claim)),
            superbox("c2pa.signature", &jbox(b"cbor", &[0x84])),
        ]
        .concat(),
    );
    superbox("c2pa", &manifest)
}

fn with_app11(jpeg_bytes: &[u8], store: &[u8]) -> Vec<u8> {
    let mut seg = b"JP".to_vec();
    seg.extend_from_slice(&1u16.to_be_bytes());
    seg.extend_from_slice(&1u32.to_be_bytes());
    seg.extend_from_slice(store);
    let mut out = jpeg_bytes[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xEB]);
    out.extend_from_slice(&((seg.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&seg);
    out.extend_from_slice(&jpeg_bytes[2..]);
    out
}

#[test]
fn forged_content_credentials_are_read_and_refused() {
    let plain = jpeg(&textured(11), 85);
    let ex = examine_at(&plain, None, NOW);
    assert_eq!(ex.signals_of(kind::CONTENT_CREDENTIALS).count(), 0);
    assert!(
        ex.notes
            .iter()
            .any(|n| n.contains("no Content Credentials"))
    );

    let bytes = with_app11(&plain, &manifest_store());
    let ex = examine_at(&bytes, None, NOW);
    let s = only(&ex, kind::CONTENT_CREDENTIALS);
    assert_eq!(s.level, Level::WorthExamining);
    for want in [
        "JPEG APP11",
        "1 manifest(s)",
        "'Qorgau Test Generator/1.0'",
        "'c2pa.actions', 'c2pa.hash.data'",
        "'c2pa.created'",
        "trainedAlgorithmicMedia",
    ] {
        assert!(s.observed.contains(want), "missing {want}: {}", s.observed);
    }
    // A store anyone could write (its signature is one CBOR byte): the SDK
    // refuses it, and the claims are shown as claims of a record that fails.
    assert!(
        s.observed.contains("could not read the manifest store")
            || s.observed.contains("DOES NOT VERIFY"),
        "{}",
        s.observed
    );
    assert!(
        !s.observed.contains("the signature is valid"),
        "{}",
        s.observed
    );
    assert!(
        s.may_mean.contains("could not be read") || s.may_mean.contains("does not hold"),
        "{}",
        s.may_mean
    );
    assert!(
        !s.may_mean.contains("statement is intact"),
        "{}",
        s.may_mean
    );
    // The image itself is still examined.
    assert!(ex.quantisation.is_some());
    assert!(ex.error_level.is_some());

    // PNG: the store in a caBX chunk before IDAT.
    let png_bytes = imageset::png(&textured(11));
    let store = manifest_store();
    let mut chunk = (store.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"caBX");
    chunk.extend_from_slice(&store);
    chunk.extend_from_slice(&[0, 0, 0, 0]); // CRC, not checked by the reader
    let ihdr_end = 8 + 8 + 13 + 4;
    let mut with = png_bytes[..ihdr_end].to_vec();
    with.extend_from_slice(&chunk);
    with.extend_from_slice(&png_bytes[ihdr_end..]);
    let s = only(&examine_at(&with, None, NOW), kind::CONTENT_CREDENTIALS);
    assert!(s.observed.contains("PNG caBX"), "{}", s.observed);
    assert!(
        s.observed.contains("Qorgau Test Generator"),
        "{}",
        s.observed
    );
}

#[test]
fn examination_round_trips_as_json() {
    let bytes = with_exif(&jpeg(&textured(12), 80), &["-Software=GIMP 2.10"]);
    let ex = examine_at(&bytes, None, NOW);
    let json = serde_json::to_string(&ex).unwrap();
    assert!(json.contains("\"level\":\"worth_examining\""), "{json}");
    assert!(json.contains("\"kind\":\"editing_software\""));
    assert!(
        !json.contains("\"png\""),
        "the PNG is not stored in the JSON"
    );
    let back: Examination = serde_json::from_str(&json).unwrap();
    assert_eq!(back.signals, ex.signals);
    assert_eq!(back.quantisation, ex.quantisation);
    assert_eq!(back.method, "qorgau-authenticity-v1");
    let mut ela = ex.error_level.clone().unwrap();
    ela.png.clear();
    assert_eq!(back.error_level, Some(ela));
}

// Robustness: any bytes give an examination, never a panic.

/// A rich JPEG: EXIF with a thumbnail, XMP, a C2PA store, restart markers.
fn rich_jpeg() -> &'static [u8] {
    static F: OnceLock<Vec<u8>> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let img = textured(13);
        let img = image::imageops::crop_imm(&img, 0, 0, 256, 240).to_image();
        let thumb = common::write(
            dir.path(),
            "t.jpg",
            &jpeg(&image::imageops::thumbnail(&img, 64, 60), 70),
        );
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, 85);
        enc.set_restart_interval(4);
        enc.encode(img.as_raw(), 256, 240, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        let arg = format!("-ThumbnailImage<={}", thumb.display());
        let tagged = with_exif(
            &out,
            &[
                "-Make=QorgauCam",
                "-Model=QC-1",
                "-Software=GIMP",
                "-XMP-xmp:CreatorTool=GIMP",
                &arg,
            ],
        );
        with_app11(&tagged, &manifest_store())
    })
}

fn examine_checked(bytes: &[u8]) {
    let ex = examine_at(bytes, None, NOW);
    assert_eq!(ex.method, "qorgau-authenticity-v1");
    serde_json::to_string(&ex).unwrap();
    assert!(
        !ex.notes
            .iter()
            .any(|n| n.contains("failed on malformed data")),
        "an analysis panicked: {:?}",
        ex.notes
    );
}

#[test]
fn the_rich_fixture_gives_every_kind_of_signal() {
    let ex = examine_at(rich_jpeg(), None, NOW);
    for k in [
        kind::EDITING_SOFTWARE,
        kind::THUMBNAIL,
        kind::JPEG_QUANTISATION,
        kind::BLOCKING_GRID,
        kind::ERROR_LEVEL,
        kind::CONTENT_CREDENTIALS,
    ] {
        assert!(ex.signals_of(k).count() > 0, "no {k}: {:#?}", ex.signals);
    }
    // Restart markers are followed: all 30×32 blocks read (the picture is
    // under the 1024-block minimum, so the test itself is not run).
    assert!(
        ex.notes
            .iter()
            .any(|n| n.contains("only 960 luminance blocks")),
        "{:?}",
        ex.notes
    );
}

#[test]
fn every_truncation_of_the_rich_fixture() {
    let full = rich_jpeg();
    let step = (full.len() / 300).max(1);
    for end in (0..full.len()).step_by(step) {
        examine_checked(&full[..end]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixture_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12)
    ) {
        let mut bytes = rich_jpeg().to_vec();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        examine_checked(&bytes);
    }

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048), prefix in 0usize..4) {
        let heads: [&[u8]; 4] = [b"", b"\xFF\xD8\xFF", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBP"];
        let mut input = heads[prefix].to_vec();
        input.extend_from_slice(&bytes);
        examine_checked(&input);
    }
}

/// A test certificate authority and a claim-signing certificate under it,
/// made with openssl as a C2PA signer's would be (ES256, digitalSignature,
/// emailProtection, not a CA, key identifiers).
struct TestSigner {
    _dir: tempfile::TempDir,
    chain: Vec<u8>,
    key: Vec<u8>,
    root: String,
}

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl is installed by scripts/install-test-tools");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn test_signer() -> &'static TestSigner {
    static SIGNER: OnceLock<TestSigner> = OnceLock::new();
    SIGNER.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for key in ["root.key", "leaf.key"] {
            openssl(
                d,
                &[
                    "genpkey",
                    "-algorithm",
                    "EC",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-out",
                    key,
                ],
            );
        }
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-new",
                "-key",
                "root.key",
                "-sha256",
                "-days",
                "3650",
                "-subj",
                "/CN=Qorgau Test Root CA/O=Qorgau Tests/C=KZ",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-addext",
                "subjectKeyIdentifier=hash",
                "-out",
                "root.pem",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-new",
                "-key",
                "leaf.key",
                "-subj",
                "/CN=Qorgau Test Signer/O=Qorgau Tests/C=KZ",
                "-out",
                "leaf.csr",
            ],
        );
        std::fs::write(
            d.join("leaf.ext"),
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n\
             extendedKeyUsage=emailProtection\nsubjectKeyIdentifier=hash\n\
             authorityKeyIdentifier=keyid,issuer\n",
        )
        .unwrap();
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "root.pem",
                "-CAkey",
                "root.key",
                "-CAcreateserial",
                "-days",
                "365",
                "-sha256",
                "-extfile",
                "leaf.ext",
                "-out",
                "leaf.pem",
            ],
        );
        let read = |f: &str| std::fs::read(d.join(f)).unwrap();
        let mut chain = read("leaf.pem");
        chain.extend_from_slice(&read("root.pem"));
        TestSigner {
            chain,
            key: read("leaf.key"),
            root: String::from_utf8(read("root.pem")).unwrap(),
            _dir: dir,
        }
    })
}

/// `jpeg_bytes` signed with Content Credentials: created by a generator
/// that declares the picture made by AI.
fn signed(jpeg_bytes: &[u8]) -> Vec<u8> {
    let t = test_signer();
    let signer =
        c2pa::create_signer::from_keys(&t.chain, &t.key, c2pa::SigningAlg::Es256, None).unwrap();
    let definition = serde_json::json!({
        "claim_generator_info": [{ "name": "Qorgau Test Generator", "version": "1.0" }],
        "title": "synthetic.jpg",
        "assertions": [{
            "label": "c2pa.actions",
            "data": { "actions": [{
                "action": "c2pa.created",
                "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
            }]}
        }]
    });
    let mut builder = c2pa::Builder::from_context(c2pa::Context::new())
        .with_definition(definition.to_string())
        .unwrap();
    let mut source = std::io::Cursor::new(jpeg_bytes.to_vec());
    let mut dest = std::io::Cursor::new(Vec::new());
    builder
        .sign(signer.as_ref(), "image/jpeg", &mut source, &mut dest)
        .unwrap();
    dest.into_inner()
}

#[test]
fn signed_content_credentials_are_verified_and_a_changed_picture_is_caught() {
    let bytes = signed(&jpeg(&textured(21), 85));
    let ex = examine_at(&bytes, None, NOW);
    let s = only(&ex, kind::CONTENT_CREDENTIALS);
    for want in [
        "the signature is valid and the manifest is bound to these bytes",
        "does not chain to a configured trust anchor",
        "Qorgau Test Signer",
        "trainedAlgorithmicMedia",
        "Qorgau Test Generator",
    ] {
        assert!(s.observed.contains(want), "missing {want}: {}", s.observed);
    }
    assert!(
        s.may_mean.contains("generated (or partly generated) by AI"),
        "{}",
        s.may_mean
    );
    assert!(
        s.cannot_show.contains("Valid is not trusted"),
        "{}",
        s.cannot_show
    );

    // With the installation's trust anchors, the same file is trusted.
    let options = ExamineOptions {
        now_unix: NOW,
        c2pa_trust_anchors: Some(test_signer().root.clone()),
    };
    let s = only(
        &examine_with(&bytes, None, &options),
        kind::CONTENT_CREDENTIALS,
    );
    assert!(
        s.observed.contains("chains to a configured trust anchor"),
        "{}",
        s.observed
    );
    assert!(!s.observed.contains("does not chain"), "{}", s.observed);

    // One byte of the picture changed after signing: the binding fails.
    let sos = bytes
        .windows(2)
        .rposition(|w| w == [0xFF, 0xDA])
        .expect("a scan");
    let mut changed = bytes.clone();
    let at = sos + (bytes.len() - sos) / 2;
    changed[at] = if changed[at] == 0x10 { 0x11 } else { 0x10 };
    let s = only(&examine_at(&changed, None, NOW), kind::CONTENT_CREDENTIALS);
    assert!(s.observed.contains("DOES NOT VERIFY"), "{}", s.observed);
    assert!(s.observed.contains("dataHash.mismatch"), "{}", s.observed);
    assert!(
        s.observed.contains("changed after signing"),
        "{}",
        s.observed
    );
    assert!(
        s.may_mean.contains("does not hold for this file"),
        "{}",
        s.may_mean
    );
    assert!(
        s.cannot_show
            .contains("does not show that the picture is fake"),
        "{}",
        s.cannot_show
    );
}
