//! Shared helpers of the integration tests: synthetic media generators (no
//! binary fixtures, no personal data) and an exiftool driver.
//!
//! exiftool is the independent reference: it writes known tags into the
//! generated files and its own reading (`exiftool -j -n -G1`) is what Qorgau's
//! values are compared with. It is required; tests fail if it is missing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The exiftool binary; panics with a clear message when it is missing.
pub fn exiftool() -> PathBuf {
    let candidates = [
        PathBuf::from("/usr/bin/exiftool"),
        PathBuf::from("/usr/local/bin/exiftool"),
    ];
    for c in candidates {
        if c.is_file() {
            return c;
        }
    }
    panic!(
        "exiftool is required by the qorgau-media tests but was not found at /usr/bin/exiftool; \
         install it with `apt-get install libimage-exiftool-perl`"
    );
}

/// Runs exiftool with `args` on `file`, rewriting it in place; panics with
/// exiftool's output when it fails or updates nothing.
pub fn exiftool_write(file: &Path, args: &[&str]) {
    let out = Command::new(exiftool())
        .arg("-overwrite_original")
        .args(args)
        .arg(file)
        .env("TZ", "UTC")
        // Fixed Perl hash order: exiftool's output is then reproducible.
        .env("PERL_HASH_SEED", "0")
        .env("PERL_PERTURB_KEYS", "0")
        .output()
        .expect("run exiftool");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 image files updated"),
        "exiftool {args:?} {} failed:\n{stdout}\n{stderr}",
        file.display()
    );
}

/// exiftool's own reading of `file`: numeric values (`-n`), tags keyed by
/// `Group1:Tag`.
pub fn exiftool_read(file: &Path) -> serde_json::Map<String, Value> {
    let out = Command::new(exiftool())
        .args(["-j", "-n", "-G1", "-a"])
        .arg(file)
        .env("TZ", "UTC")
        .output()
        .expect("run exiftool");
    assert!(
        out.status.success(),
        "exiftool -j {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("exiftool JSON");
    v.as_array()
        .and_then(|a| a.first())
        .and_then(|o| o.as_object())
        .cloned()
        .expect("one object in exiftool JSON")
}

/// Binary output of `exiftool -b -TAG file`.
pub fn exiftool_binary(file: &Path, tag: &str) -> Vec<u8> {
    let out = Command::new(exiftool())
        .args(["-b", &format!("-{tag}")])
        .arg(file)
        .output()
        .expect("run exiftool");
    assert!(out.status.success());
    out.stdout
}

/// A string value from exiftool's reading (numbers rendered as text).
pub fn et_str(map: &serde_json::Map<String, Value>, key: &str) -> String {
    match map.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
        None => panic!(
            "exiftool did not report {key}; it reported: {:?}",
            map.keys().collect::<Vec<_>>()
        ),
    }
}

pub fn et_f64(map: &serde_json::Map<String, Value>, key: &str) -> f64 {
    match map.get(key) {
        Some(Value::Number(n)) => n.as_f64().unwrap(),
        Some(Value::String(s)) => s
            .parse()
            .unwrap_or_else(|_| panic!("{key} = {s:?} is not a number")),
        other => panic!("exiftool did not report numeric {key}: {other:?}"),
    }
}

/// exiftool's "YYYY:MM:DD HH:MM:SS[+HH:MM]" as the ISO form Qorgau stores.
pub fn et_time_iso(s: &str) -> String {
    let (date, rest) = s.split_at(10);
    format!("{}T{}", date.replace(':', "-"), &rest[1..])
}

/// A 64x48 RGB gradient encoded as baseline JPEG.
pub fn make_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut px = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x * 4) as u8, (y * 5) as u8, 128]);
        }
    }
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, 80);
    enc.encode(&px, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encode JPEG");
    out
}

/// A gradient PNG.
pub fn make_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().expect("PNG header");
        let mut px = Vec::new();
        for y in 0..h {
            for x in 0..w {
                px.extend_from_slice(&[(x * 4) as u8, (y * 5) as u8, 64]);
            }
        }
        writer.write_image_data(&px).expect("PNG data");
        writer.finish().expect("PNG finish");
    }
    out
}

/// A minimal little-endian grayscale TIFF, libtiff style: the strip data
/// first, the IFD after it. `extra` bytes of strip padding make it large.
pub fn make_tiff(w: u32, h: u32, extra: usize) -> Vec<u8> {
    let strip_len = (w * h) as usize + extra;
    let mut out = Vec::new();
    out.extend_from_slice(b"II*\0");
    let ifd_at = 8 + strip_len as u32 + (strip_len as u32 & 1);
    out.extend_from_slice(&ifd_at.to_le_bytes());
    for i in 0..strip_len {
        out.push((i % 251) as u8);
    }
    if out.len() % 2 == 1 {
        out.push(0);
    }
    let entries: &[(u16, u16, u32, u32)] = &[
        (256, 4, 1, w),                // ImageWidth
        (257, 4, 1, h),                // ImageLength
        (258, 3, 1, 8),                // BitsPerSample
        (259, 3, 1, 1),                // Compression: none
        (262, 3, 1, 1),                // Photometric: BlackIsZero
        (273, 4, 1, 8),                // StripOffsets
        (277, 3, 1, 1),                // SamplesPerPixel
        (278, 4, 1, h),                // RowsPerStrip
        (279, 4, 1, strip_len as u32), // StripByteCounts
    ];
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for &(tag, typ, count, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        if typ == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out
}

/// A 1x1 lossless WebP (the smallest valid VP8L image).
pub fn make_webp() -> Vec<u8> {
    vec![
        0x52, 0x49, 0x46, 0x46, 0x1a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38,
        0x4c, 0x0d, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88,
        0x88, 0xfe, 0x07, 0x00,
    ]
}

fn bx(typ: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(typ);
    v.extend_from_slice(payload);
    v
}

fn full(typ: &[u8; 4], version: u8, flags: u32, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![version];
    p.extend_from_slice(&flags.to_be_bytes()[1..]);
    p.extend_from_slice(payload);
    bx(typ, &p)
}

fn be32(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_be_bytes()).collect()
}

/// A minimal MP4/MOV with one 64x48 video track of one 16-byte sample,
/// complete enough for exiftool to rewrite (it needs `stco` to fix offsets).
/// `brand` is the ftyp major brand (`b"isom"` for MP4, `b"qt  "` for MOV).
pub fn make_mp4(brand: &[u8; 4]) -> Vec<u8> {
    let mut ftyp_p = brand.to_vec();
    ftyp_p.extend_from_slice(&0x200u32.to_be_bytes());
    ftyp_p.extend_from_slice(brand);
    ftyp_p.extend_from_slice(b"mp41");
    let ftyp = bx(b"ftyp", &ftyp_p);
    let matrix = be32(&[0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x4000_0000]);

    let mut mvhd_p = be32(&[0, 0, 1000, 2000, 0x10000]);
    mvhd_p.extend_from_slice(&0x100u16.to_be_bytes());
    mvhd_p.extend_from_slice(&[0; 10]);
    mvhd_p.extend_from_slice(&matrix);
    mvhd_p.extend_from_slice(&[0; 24]);
    mvhd_p.extend_from_slice(&be32(&[2]));
    let mvhd = full(b"mvhd", 0, 0, &mvhd_p);

    let mut tkhd_p = be32(&[0, 0, 1, 0, 2000]);
    tkhd_p.extend_from_slice(&[0; 16]);
    tkhd_p.extend_from_slice(&matrix);
    tkhd_p.extend_from_slice(&be32(&[64 << 16, 48 << 16]));
    let tkhd = full(b"tkhd", 0, 3, &tkhd_p);

    let mut mdhd_p = be32(&[0, 0, 1000, 2000]);
    mdhd_p.extend_from_slice(&[0x55, 0xc4, 0, 0]);
    let mdhd = full(b"mdhd", 0, 0, &mdhd_p);
    let mut hdlr_p = be32(&[0]);
    hdlr_p.extend_from_slice(b"vide");
    hdlr_p.extend_from_slice(&[0; 12]);
    hdlr_p.extend_from_slice(b"VideoHandler\0");
    let hdlr = full(b"hdlr", 0, 0, &hdlr_p);
    let vmhd = full(b"vmhd", 0, 1, &[0; 8]);
    let dref = full(
        b"dref",
        0,
        0,
        &[be32(&[1]), full(b"url ", 0, 1, &[])].concat(),
    );
    let dinf = bx(b"dinf", &dref);

    let mut entry = vec![0u8; 6];
    entry.extend_from_slice(&1u16.to_be_bytes()); // data reference index
    entry.extend_from_slice(&[0; 16]);
    entry.extend_from_slice(&64u16.to_be_bytes());
    entry.extend_from_slice(&48u16.to_be_bytes());
    entry.extend_from_slice(&be32(&[0x48_0000, 0x48_0000, 0]));
    entry.extend_from_slice(&1u16.to_be_bytes());
    entry.extend_from_slice(&[0; 32]);
    entry.extend_from_slice(&24u16.to_be_bytes());
    entry.extend_from_slice(&(-1i16).to_be_bytes());
    let stsd = full(b"stsd", 0, 0, &[be32(&[1]), bx(b"avc1", &entry)].concat());
    let stts = full(b"stts", 0, 0, &be32(&[1, 1, 2000]));
    let stsc = full(b"stsc", 0, 0, &be32(&[1, 1, 1, 1]));
    let stsz = full(b"stsz", 0, 0, &be32(&[0, 1, 16]));

    let build = |chunk_offset: u32| -> Vec<u8> {
        let stco = full(b"stco", 0, 0, &be32(&[1, chunk_offset]));
        let stbl = bx(
            b"stbl",
            &[stsd.clone(), stts.clone(), stsc.clone(), stsz.clone(), stco].concat(),
        );
        let minf = bx(b"minf", &[vmhd.clone(), dinf.clone(), stbl].concat());
        let mdia = bx(b"mdia", &[mdhd.clone(), hdlr.clone(), minf].concat());
        let trak = bx(b"trak", &[tkhd.clone(), mdia].concat());
        bx(b"moov", &[mvhd.clone(), trak].concat())
    };
    let moov_len = build(0).len();
    let moov = build((ftyp.len() + moov_len + 8) as u32);
    let mdat = bx(b"mdat", &[0u8; 16]);
    [ftyp, moov, mdat].concat()
}

/// A minimal HEIF: ftyp, meta (hdlr, pitm, iinf with an `hvc1` image item
/// and an `Exif` item, iloc, iprp with `ispe` 64x48) and mdat holding the
/// Exif item (`tiff`, prefixed by its 4-byte header offset and `Exif\0\0`).
pub fn make_heif(tiff: &[u8]) -> Vec<u8> {
    let ftyp = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
    let hdlr = full(
        b"hdlr",
        0,
        0,
        &[be32(&[0]), b"pict".to_vec(), vec![0; 12], b"\0".to_vec()].concat(),
    );
    let pitm = full(b"pitm", 0, 0, &1u16.to_be_bytes());
    let infe = |id: u16, typ: &[u8; 4]| {
        full(
            b"infe",
            2,
            0,
            &[
                id.to_be_bytes().to_vec(),
                vec![0, 0],
                typ.to_vec(),
                b"\0".to_vec(),
            ]
            .concat(),
        )
    };
    let iinf = full(
        b"iinf",
        0,
        0,
        &[
            2u16.to_be_bytes().to_vec(),
            infe(1, b"hvc1"),
            infe(2, b"Exif"),
        ]
        .concat(),
    );
    // The Exif item describes (cdsc) the primary image, as cameras write it.
    let iref = full(
        b"iref",
        0,
        0,
        &bx(
            b"cdsc",
            &[2u16.to_be_bytes(), 1u16.to_be_bytes(), 1u16.to_be_bytes()].concat(),
        ),
    );
    let ispe = full(b"ispe", 0, 0, &be32(&[64, 48]));
    let ipco = bx(b"ipco", &ispe);
    let ipma = full(
        b"ipma",
        0,
        0,
        &[be32(&[1]), 1u16.to_be_bytes().to_vec(), vec![1, 0x81]].concat(),
    );
    let iprp = bx(b"iprp", &[ipco, ipma].concat());
    let mut exif_item = be32(&[6]);
    exif_item.extend_from_slice(b"Exif\0\0");
    exif_item.extend_from_slice(tiff);
    let image = vec![0u8; 8];
    let build = |mdat_data_at: u32| -> Vec<u8> {
        // iloc v0, offset_size 4, length_size 4, base_offset_size 0.
        let mut iloc_p = vec![0x44, 0x00];
        iloc_p.extend_from_slice(&2u16.to_be_bytes());
        for (id, off, len) in [
            (1u16, mdat_data_at, image.len() as u32),
            (
                2u16,
                mdat_data_at + image.len() as u32,
                exif_item.len() as u32,
            ),
        ] {
            iloc_p.extend_from_slice(&id.to_be_bytes());
            iloc_p.extend_from_slice(&0u16.to_be_bytes());
            iloc_p.extend_from_slice(&1u16.to_be_bytes());
            iloc_p.extend_from_slice(&be32(&[off, len]));
        }
        let iloc = full(b"iloc", 0, 0, &iloc_p);
        full(
            b"meta",
            0,
            0,
            &[
                hdlr.clone(),
                pitm.clone(),
                iinf.clone(),
                iref.clone(),
                iloc,
                iprp.clone(),
            ]
            .concat(),
        )
    };
    let meta_len = build(0).len();
    let meta = build((ftyp.len() + meta_len + 8) as u32);
    let mdat = bx(b"mdat", &[image.clone(), exif_item.clone()].concat());
    [ftyp, meta, mdat].concat()
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write test file");
    p
}

/// Asserts two floats agree to 1e-6 (exiftool prints ~10 significant digits).
pub fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-6, "{what}: Qorgau {a} vs exiftool {b}");
}
