//! The parsers never panic and stay bounded, whatever the bytes: every
//! truncation and single-byte corruption of real files (written by exiftool),
//! random multi-byte mutations (proptest), and crafted hostile structures
//! (huge and zero box sizes, IFD loops, multi-GiB sparse files).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::io::{Cursor, Seek, SeekFrom, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use proptest::prelude::*;
use qorgau_media::{MediaError, MediaMetadata, extract_from_path, extract_from_reader};

struct Fixture {
    name: &'static str,
    media_type: &'static str,
    bytes: Vec<u8>,
}

/// Real files with rich metadata: generated, then tagged by exiftool.
fn fixtures() -> &'static [Fixture] {
    static F: OnceLock<Vec<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let image_tags: &[&str] = &[
            "-Make=QorgauCam",
            "-Model=QC-1",
            "-Software=Writer",
            "-DateTimeOriginal=2024:03:05 14:22:01",
            "-OffsetTimeOriginal=+05:00",
            "-GPSLatitude=43.2220",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=76.8512",
            "-GPSLongitudeRef=E",
            "-GPSAltitude=800",
            "-XMP-dc:Creator=Investigator A",
            "-XMP-xmp:CreatorTool=Tool",
        ];
        let thumb = write(d, "thumb.jpg", &make_jpeg(8, 8));
        let thumb_arg = format!("-ThumbnailImage<={}", thumb.display());
        let mut with_thumb: Vec<&str> = image_tags.to_vec();
        with_thumb.push(&thumb_arg);

        let mut out = Vec::new();
        let mut add =
            |name: &'static str, media_type: &'static str, bytes: Vec<u8>, args: &[&str]| {
                let p = write(d, name, &bytes);
                exiftool_write(&p, args);
                out.push(Fixture {
                    name,
                    media_type,
                    bytes: std::fs::read(&p).unwrap(),
                });
            };
        add("a.jpg", "image/jpeg", make_jpeg(16, 8), &with_thumb);
        add("a.png", "image/png", make_png(8, 4), image_tags);
        add("a.tif", "image/tiff", make_tiff(8, 4, 0), image_tags);
        add("a.webp", "image/webp", make_webp(), image_tags);
        let donor = write(d, "donor.jpg", &make_jpeg(8, 8));
        exiftool_write(&donor, image_tags);
        let tiff = exiftool_binary(&donor, "EXIF");
        add(
            "a.heic",
            "image/heic",
            make_heif(&tiff),
            &["-XMP-dc:Creator=H", "-Model=HM"],
        );
        add(
            "a.mp4",
            "video/mp4",
            make_mp4(b"isom"),
            &[
                "-UserData:Make=QorgauCam",
                "-QuickTime:CreateDate=2024:03:05 09:22:01",
                "-GPSCoordinates=43.2220, 76.8512, 800",
                "-Keys:Model=K",
                "-XMP-dc:Creator=Investigator A",
            ],
        );
        add(
            "a.mov",
            "video/quicktime",
            make_mp4(b"qt  "),
            &[
                "-Keys:Make=P",
                "-Keys:CreationDate=2024:03:05 14:22:01+05:00",
                "-UserData:GPSCoordinates=-1.5, -2.25",
            ],
        );
        out
    })
}

/// Extracts from in-memory bytes; returns the panic message if it panicked.
fn try_extract(
    bytes: &[u8],
    media_type: &str,
) -> Result<Result<Option<MediaMetadata>, MediaError>, String> {
    let mut c = Cursor::new(bytes.to_vec());
    catch_unwind(AssertUnwindSafe(|| {
        extract_from_reader(&mut c, media_type, Path::new("mutated"))
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn fixtures_are_rich() {
    // The mutation tests are only meaningful if the originals carry metadata.
    for f in fixtures() {
        let m = try_extract(&f.bytes, f.media_type)
            .unwrap()
            .unwrap()
            .unwrap();
        assert!(
            m.make.is_some() || m.model.is_some(),
            "{}: no camera in fixture: {m:?}",
            f.name
        );
        assert!(m.warnings.is_empty(), "{}: {:?}", f.name, m.warnings);
    }
}

#[test]
fn every_truncation_is_handled() {
    let mut failures = Vec::new();
    for f in fixtures() {
        for len in 0..f.bytes.len() {
            if let Err(p) = try_extract(&f.bytes[..len], f.media_type) {
                failures.push(format!("{} truncated to {len}: {p}", f.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} panics: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

#[test]
fn every_byte_corruption_is_handled() {
    let mut failures = Vec::new();
    for f in fixtures() {
        let mut bytes = f.bytes.clone();
        for pos in 0..bytes.len() {
            for mask in [0x01u8, 0x80, 0xFF] {
                bytes[pos] ^= mask;
                if let Err(p) = try_extract(&bytes, f.media_type) {
                    failures.push(format!("{} byte {pos} ^ {mask:#04x}: {p}", f.name));
                }
                bytes[pos] ^= mask;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} panics: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

/// The compact path for TIFF files too large to load: every byte of the
/// metadata region (exiftool puts the IFDs first) corrupted in turn.
#[test]
fn large_tiff_corruption_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "large.tif", &make_tiff(16, 8, 17 << 20));
    exiftool_write(
        &p,
        &[
            "-Make=QorgauCam",
            "-Model=QC",
            "-GPSLatitude=43.2220",
            "-GPSLatitudeRef=N",
            "-XMP-dc:Creator=A",
            "-DateTimeOriginal=2024:03:05 14:22:01",
        ],
    );
    let mut bytes = std::fs::read(&p).unwrap();
    let clean = extract_from_reader(
        &mut Cursor::new(&bytes[..]),
        "image/tiff",
        Path::new("large"),
    )
    .unwrap()
    .unwrap();
    assert_eq!(clean.make.as_deref(), Some("QorgauCam"));
    // The end of the metadata: the first strip offset.
    let region = bytes.len().min(4096);
    let mut failures = Vec::new();
    for pos in 0..region {
        for mask in [0x01u8, 0x80, 0xFF] {
            bytes[pos] ^= mask;
            let r = catch_unwind(AssertUnwindSafe(|| {
                extract_from_reader(
                    &mut Cursor::new(&bytes[..]),
                    "image/tiff",
                    Path::new("large"),
                )
            }));
            if r.is_err() {
                failures.push(format!("byte {pos} ^ {mask:#04x}"));
            }
            bytes[pos] ^= mask;
        }
    }
    assert!(
        failures.is_empty(),
        "{} panics: {:?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

/// Values that break size fields: zero, the 64-bit marker, just below a
/// header, huge.
const POISON: [u32; 7] = [0, 1, 7, 8, 0x7FFF_FFFF, 0xFFFF_FFFE, 0xFFFF_FFFF];

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn random_mutations_never_panic(
        which in 0usize..7,
        writes in proptest::collection::vec((any::<u16>(), any::<u8>()), 0..12),
        poisons in proptest::collection::vec((any::<u16>(), 0usize..POISON.len()), 0..4),
        cut in proptest::option::of(any::<u16>()),
        declared in 0usize..3,
    ) {
        let f = &fixtures()[which % fixtures().len()];
        let mut bytes = f.bytes.clone();
        for (pos, v) in writes {
            let i = usize::from(pos) % bytes.len();
            bytes[i] = v;
        }
        for (pos, k) in poisons {
            let i = usize::from(pos) % bytes.len();
            for (j, b) in POISON[k].to_be_bytes().into_iter().enumerate() {
                if let Some(x) = bytes.get_mut(i + j) {
                    *x = b;
                }
            }
        }
        if let Some(c) = cut {
            bytes.truncate(usize::from(c) % (bytes.len() + 1));
        }
        // Also lie about the type now and then.
        let media_type = ["image/jpeg", "video/mp4", f.media_type][declared];
        let r = try_extract(&bytes, media_type);
        prop_assert!(r.is_ok(), "{} panicked: {:?}", f.name, r.err());
    }
}

#[test]
fn mutated_files_on_disk_never_panic() {
    // The path-based entry point, on a sample of corruptions.
    let dir = tempfile::tempdir().unwrap();
    for f in fixtures() {
        for (i, pos) in (0..f.bytes.len()).step_by(97).enumerate() {
            let mut bytes = f.bytes.clone();
            bytes[pos] = !bytes[pos];
            bytes.truncate(f.bytes.len() - (i % 7) * 13 % f.bytes.len());
            let p = write(dir.path(), f.name, &bytes);
            let r = catch_unwind(|| extract_from_path(&p, f.media_type));
            assert!(r.is_ok(), "{} at {pos} panicked", f.name);
        }
    }
}

fn bx(typ: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(typ);
    v.extend_from_slice(payload);
    v
}

fn ok_meta(bytes: &[u8], media_type: &str) -> MediaMetadata {
    try_extract(bytes, media_type)
        .expect("no panic")
        .expect("no error")
        .expect("supported")
}

#[test]
fn hostile_box_sizes() {
    let ftyp = bx(b"ftyp", b"isom\0\0\0\0isom");
    // 64-bit size of u64::MAX on a box.
    let mut huge = ftyp.clone();
    huge.extend_from_slice(&1u32.to_be_bytes());
    huge.extend_from_slice(b"moov");
    huge.extend_from_slice(&u64::MAX.to_be_bytes());
    huge.extend_from_slice(&bx(b"mvhd", &[0; 100]));
    let m = ok_meta(&huge, "video/mp4");
    assert!(
        m.warnings.iter().any(|w| w.contains("runs past")),
        "{:?}",
        m.warnings
    );
    assert!(m.quicktime.contains_key("mvhd.TimeScale"));

    // 64-bit size smaller than its own header; size 0 (to the end) on moov.
    let mut small = ftyp.clone();
    small.extend_from_slice(&1u32.to_be_bytes());
    small.extend_from_slice(b"moov");
    small.extend_from_slice(&3u64.to_be_bytes());
    assert!(
        ok_meta(&small, "video/mp4")
            .warnings
            .iter()
            .any(|w| w.contains("invalid size"))
    );
    let mut zero = ftyp.clone();
    zero.extend_from_slice(&0u32.to_be_bytes());
    zero.extend_from_slice(b"moov");
    zero.extend_from_slice(&bx(b"mvhd", &[0; 100]));
    assert!(
        ok_meta(&zero, "video/mp4")
            .quicktime
            .contains_key("mvhd.Duration")
    );

    // Sizes 1..7 are invalid; each must stop the walk, not loop.
    for s in 1u32..8 {
        let mut v = ftyp.clone();
        v.extend_from_slice(&s.to_be_bytes());
        v.extend_from_slice(b"free");
        v.extend_from_slice(&[0; 32]);
        ok_meta(&v, "video/mp4");
    }

    // udta text atom claiming 65535 bytes; keys claiming 2^32 entries.
    let mut xyz = vec![0xFF, 0xFF, 0, 0];
    xyz.extend_from_slice(b"+1.0+2.0/");
    let udta = bx(b"udta", &bx(b"\xa9xyz", &xyz));
    let keys = bx(
        b"keys",
        &[
            0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 9, b'm', b'd', b't', b'a', b'x',
        ],
    );
    let meta = bx(b"meta", &[vec![0, 0, 0, 0], keys].concat());
    let mut v = ftyp.clone();
    v.extend_from_slice(&bx(b"moov", &[udta, meta].concat()));
    let m = ok_meta(&v, "video/mp4");
    assert_eq!(
        m.quicktime.get("udta.©xyz").map(String::as_str),
        Some("+1.0+2.0/")
    );
}

#[test]
fn many_boxes_are_bounded() {
    // 300k empty 'free' boxes: the walk stops at its bound, quickly.
    let mut v = bx(b"ftyp", b"isom\0\0\0\0isom");
    for _ in 0..300_000 {
        v.extend_from_slice(&bx(b"free", &[]));
    }
    let t = Instant::now();
    let m = ok_meta(&v, "video/mp4");
    assert!(
        m.warnings.iter().any(|w| w.contains("boxes")),
        "{:?}",
        m.warnings
    );
    assert!(t.elapsed() < Duration::from_secs(20));
}

#[test]
fn jpeg_hostile_segments() {
    for seg in [
        vec![0xFF, 0xE1, 0x00, 0x00],
        vec![0xFF, 0xE1, 0x00, 0x01],
        vec![0xFF, 0xE1, 0xFF, 0xFF, b'E', b'x', b'i', b'f', 0, 0],
        vec![
            0xFF, 0xE1, 0x00, 0x10, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M', 0, 42, 0xFF, 0xFF,
            0xFF, 0xFF,
        ],
        vec![0xFF; 200],
        vec![0xFF, 0x00, 0x00, 0x00],
    ] {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&seg);
        ok_meta(&v, "image/jpeg");
    }
}

#[test]
fn png_hostile_chunks() {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&0xFFFF_FFFFu32.to_be_bytes());
    v.extend_from_slice(b"eXIf");
    v.extend_from_slice(&[0; 64]);
    let m = ok_meta(&v, "image/png");
    assert!(!m.warnings.is_empty());
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&40u32.to_be_bytes());
    v.extend_from_slice(b"tEXt");
    v.extend_from_slice(b"Raw profile type exif\0\nexif\n 99999999\n4578");
    ok_meta(&v, "image/png");
}

#[test]
fn tiff_ifd_loops_small_and_large() {
    // IFD0 whose next-IFD offset points to itself, and an Exif pointer to IFD0.
    let mut t = b"II*\0\x08\0\0\0".to_vec();
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&[0x0F, 0x01, 2, 0, 4, 0, 0, 0, b'A', b'B', b'C', 0]); // Make "ABC"
    t.extend_from_slice(&[0x69, 0x87, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0]); // ExifIFD -> 8
    t.extend_from_slice(&8u32.to_le_bytes());
    let m = ok_meta(&t, "image/tiff");
    assert_eq!(m.make.as_deref(), Some("ABC"));

    // The same structure in a sparse 40 MiB file, read through the compact
    // path (the file is not loaded).
    let mut f = tempfile::tempfile().unwrap();
    f.write_all(&t).unwrap();
    f.set_len(40 << 20).unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    let m = extract_from_reader(&mut f, "image/tiff", Path::new("sparse.tif"))
        .unwrap()
        .unwrap();
    assert_eq!(m.make.as_deref(), Some("ABC"));
    assert!(
        m.warnings.iter().any(|w| w.contains("loop")),
        "{:?}",
        m.warnings
    );
}

/// A 6 GiB sparse MP4 whose moov follows a 64-bit-sized mdat: the metadata
/// must be found by seeking, quickly, without reading the media data.
#[test]
fn multi_gib_sparse_video() {
    let mut f = tempfile::tempfile().unwrap();
    let ftyp = bx(b"ftyp", b"isom\0\0\0\0isom");
    f.write_all(&ftyp).unwrap();
    let mdat_size: u64 = 6 << 30;
    f.write_all(&1u32.to_be_bytes()).unwrap();
    f.write_all(b"mdat").unwrap();
    f.write_all(&mdat_size.to_be_bytes()).unwrap();
    let moov_at = ftyp.len() as u64 + mdat_size;
    // mvhd version 1: 64-bit times, creation 2024-03-05T09:22:01Z.
    let created: u64 = 1_709_630_521 + 2_082_844_800;
    let mut mvhd = vec![1, 0, 0, 0];
    mvhd.extend_from_slice(&created.to_be_bytes());
    mvhd.extend_from_slice(&created.to_be_bytes());
    mvhd.extend_from_slice(&600u32.to_be_bytes());
    mvhd.extend_from_slice(&(600u64 * 3600 * 2).to_be_bytes());
    mvhd.extend_from_slice(&[0; 80]);
    let moov = bx(b"moov", &bx(b"mvhd", &mvhd));
    f.seek(SeekFrom::Start(moov_at)).unwrap();
    f.write_all(&moov).unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    let t = Instant::now();
    let m = extract_from_reader(&mut f, "video/mp4", Path::new("big.mp4"))
        .unwrap()
        .unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(m.original_time.as_deref(), Some("2024-03-05T09:22:01Z"));
    assert_eq!(
        m.quicktime.get("mvhd.Duration").map(String::as_str),
        Some("7200")
    );
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}
