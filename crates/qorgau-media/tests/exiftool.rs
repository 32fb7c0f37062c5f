//! Qorgau's reading of metadata against exiftool's, on generated files into
//! which exiftool wrote known tags. Synthetic values only (coordinates of
//! Almaty and of a south-western point; invented camera names).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::path::Path;

use common::*;
use qorgau_media::{MediaMetadata, extract_from_path, read_thumbnail};

fn extract(path: &Path, media_type: &str) -> MediaMetadata {
    let m = extract_from_path(path, media_type)
        .unwrap_or_else(|e| panic!("extract {}: {e}", path.display()))
        .expect("supported type");
    // The stored form must round-trip.
    let json = serde_json::to_string(&m).unwrap();
    let back: MediaMetadata = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    m
}

const IMAGE_TAGS: &[&str] = &[
    "-Make=QorgauCam",
    "-Model=QC-1 Mk II",
    "-Software=Qorgau Test Writer 1.0",
    "-DateTimeOriginal=2024:03:05 14:22:01",
    "-OffsetTimeOriginal=+05:00",
    "-GPSLatitude=43.2220",
    "-GPSLatitudeRef=N",
    "-GPSLongitude=76.8512",
    "-GPSLongitudeRef=E",
    "-GPSAltitude=800",
    "-GPSAltitudeRef#=0",
    "-XMP-dc:Creator=Investigator A",
    "-XMP-xmp:CreatorTool=Qorgau XMP Tool 2.0",
];

/// Checks the summary and raw maps against exiftool's reading of `path`.
fn check_image_against_exiftool(m: &MediaMetadata, path: &Path, exif_group: &str) {
    let et = exiftool_read(path);
    assert_eq!(m.make.as_deref(), Some(et_str(&et, "IFD0:Make").as_str()));
    assert_eq!(m.model.as_deref(), Some(et_str(&et, "IFD0:Model").as_str()));
    assert_eq!(
        m.software.as_deref(),
        Some(et_str(&et, "IFD0:Software").as_str())
    );
    let dto = et_str(&et, &format!("{exif_group}:DateTimeOriginal"));
    let off = et_str(&et, &format!("{exif_group}:OffsetTimeOriginal"));
    assert_eq!(
        m.original_time.as_deref(),
        Some(format!("{}{off}", et_time_iso(&dto)).as_str())
    );
    assert_eq!(
        m.original_time.as_deref(),
        Some("2024-03-05T14:22:01+05:00")
    );
    let gps = m.gps.expect("GPS position");
    close(
        gps.latitude,
        et_f64(&et, "Composite:GPSLatitude"),
        "latitude",
    );
    close(
        gps.longitude,
        et_f64(&et, "Composite:GPSLongitude"),
        "longitude",
    );
    close(
        gps.altitude.unwrap(),
        et_f64(&et, "Composite:GPSAltitude"),
        "altitude",
    );
    close(gps.latitude, 43.2220, "latitude constant");
    close(gps.longitude, 76.8512, "longitude constant");
    assert_eq!(
        m.xmp.get("dc:creator").map(String::as_str),
        Some(et_str(&et, "XMP-dc:Creator").as_str())
    );
    assert_eq!(
        m.xmp.get("xmp:CreatorTool").map(String::as_str),
        Some(et_str(&et, "XMP-xmp:CreatorTool").as_str())
    );
    // The raw EXIF map holds every field exiftool saw in IFD0/ExifIFD/GPS
    // under the same tag names (kamadak-exif and exiftool agree on these).
    for name in [
        "Make",
        "Model",
        "Software",
        "DateTimeOriginal",
        "OffsetTimeOriginal",
        "GPSLatitude",
        "GPSLongitude",
        "GPSAltitude",
    ] {
        assert!(
            m.exif.contains_key(name),
            "exif map lacks {name}: {:?}",
            m.exif.keys()
        );
    }
    assert_eq!(m.exif["Make"], et_str(&et, "IFD0:Make"));
    assert_eq!(m.exif["OffsetTimeOriginal"], off);
    assert!(m.warnings.is_empty(), "warnings: {:?}", m.warnings);
}

#[test]
fn jpeg_exif_xmp_gps_match_exiftool() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "photo.jpg", &make_jpeg(64, 48));
    exiftool_write(&path, IMAGE_TAGS);
    let m = extract(&path, "image/jpeg");
    assert_eq!(m.container, "jpeg");
    check_image_against_exiftool(&m, &path, "ExifIFD");
    let et = exiftool_read(&path);
    assert_eq!(m.width, Some(et_f64(&et, "File:ImageWidth") as u32));
    assert_eq!(m.height, Some(et_f64(&et, "File:ImageHeight") as u32));
    assert_eq!((m.width, m.height), (Some(64), Some(48)));
    assert!(!m.has_thumbnail);
}

#[test]
fn jpeg_south_west_and_below_sea_level() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "sw.jpg", &make_jpeg(32, 16));
    exiftool_write(
        &path,
        &[
            "-Make=Other Maker",
            "-DateTimeOriginal=2023:12:31 23:59:58",
            "-GPSLatitude=33.8688",
            "-GPSLatitudeRef=S",
            "-GPSLongitude=70.6693",
            "-GPSLongitudeRef=W",
            "-GPSAltitude=12.5",
            "-GPSAltitudeRef#=1",
        ],
    );
    let m = extract(&path, "image/jpeg");
    let et = exiftool_read(&path);
    let gps = m.gps.expect("GPS");
    close(
        gps.latitude,
        et_f64(&et, "Composite:GPSLatitude"),
        "latitude",
    );
    close(
        gps.longitude,
        et_f64(&et, "Composite:GPSLongitude"),
        "longitude",
    );
    close(
        gps.altitude.unwrap(),
        et_f64(&et, "Composite:GPSAltitude"),
        "altitude",
    );
    assert!(gps.latitude < 0.0 && gps.longitude < 0.0 && gps.altitude.unwrap() < 0.0);
    close(gps.latitude, -33.8688, "latitude constant");
    close(gps.longitude, -70.6693, "longitude constant");
    // No OffsetTimeOriginal: local time without offset.
    assert_eq!(
        m.original_time.as_deref(),
        Some(et_time_iso(&et_str(&et, "ExifIFD:DateTimeOriginal")).as_str())
    );
    assert_eq!(m.original_time.as_deref(), Some("2023-12-31T23:59:58"));
    assert_eq!(m.model, None);
}

#[test]
fn jpeg_thumbnail_is_found_and_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let thumb = write(dir.path(), "thumb.jpg", &make_jpeg(16, 12));
    let path = write(dir.path(), "with-thumb.jpg", &make_jpeg(64, 48));
    exiftool_write(
        &path,
        &[
            "-Make=QorgauCam",
            &format!("-ThumbnailImage<={}", thumb.display()),
        ],
    );
    let m = extract(&path, "image/jpeg");
    assert!(m.has_thumbnail, "{:?}", m.exif);
    assert_eq!(
        m.exif.get("thumbnail.Compression").map(String::as_str),
        Some("JPEG")
    );
    let ours = read_thumbnail(&path, "image/jpeg")
        .unwrap()
        .expect("thumbnail bytes");
    assert_eq!(ours, exiftool_binary(&path, "ThumbnailImage"));
    assert_eq!(ours, std::fs::read(&thumb).unwrap());
    // The thumbnail is itself a readable JPEG of the written size.
    let t = write(dir.path(), "extracted.jpg", &ours);
    let tm = extract(&t, "image/jpeg");
    assert_eq!((tm.width, tm.height), (Some(16), Some(12)));
}

#[test]
fn stripped_jpeg_has_no_camera() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "stripped.jpg", &make_jpeg(64, 48));
    exiftool_write(&path, IMAGE_TAGS);
    exiftool_write(&path, &["-all="]);
    let et = exiftool_read(&path);
    assert!(!et.contains_key("IFD0:Make"), "exiftool still sees Make");
    let m = extract(&path, "image/jpeg");
    assert_eq!(m.make, None);
    assert_eq!(m.model, None);
    assert_eq!(m.software, None);
    assert_eq!(m.original_time, None);
    assert_eq!(m.gps, None);
    assert!(m.exif.is_empty() && m.xmp.is_empty(), "{m:?}");
    assert!(!m.has_thumbnail);
    assert_eq!((m.width, m.height), (Some(64), Some(48)));
    assert_eq!(read_thumbnail(&path, "image/jpeg").unwrap(), None);
}

#[test]
fn png_exif_and_xmp_match_exiftool() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "image.png", &make_png(40, 30));
    exiftool_write(&path, IMAGE_TAGS);
    let m = extract(&path, "image/png");
    assert_eq!(m.container, "png");
    check_image_against_exiftool(&m, &path, "ExifIFD");
    let et = exiftool_read(&path);
    assert_eq!(m.width, Some(et_f64(&et, "PNG:ImageWidth") as u32));
    assert_eq!(m.height, Some(et_f64(&et, "PNG:ImageHeight") as u32));

    exiftool_write(&path, &["-all="]);
    let m = extract(&path, "image/png");
    assert_eq!((m.make, m.model), (None, None));
}

#[test]
fn tiff_match_exiftool() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "scan.tif", &make_tiff(16, 8, 0));
    exiftool_write(&path, IMAGE_TAGS);
    let m = extract(&path, "image/tiff");
    assert_eq!(m.container, "tiff");
    check_image_against_exiftool(&m, &path, "ExifIFD");
    let et = exiftool_read(&path);
    assert_eq!(m.width, Some(et_f64(&et, "IFD0:ImageWidth") as u32));
    assert_eq!(m.height, Some(et_f64(&et, "IFD0:ImageHeight") as u32));
}

/// A TIFF larger than what is read whole (16 MiB): its IFDs are copied into
/// a compact buffer; the values must still match exiftool's.
#[test]
fn large_tiff_read_without_loading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "large.tif", &make_tiff(16, 8, 17 << 20));
    exiftool_write(&path, IMAGE_TAGS);
    let m = extract_from_path(&path, "image/tiff").unwrap().unwrap();
    assert_eq!(m.make.as_deref(), Some("QorgauCam"));
    let et = exiftool_read(&path);
    assert_eq!(m.model.as_deref(), Some(et_str(&et, "IFD0:Model").as_str()));
    assert_eq!(
        m.original_time.as_deref(),
        Some("2024-03-05T14:22:01+05:00")
    );
    let gps = m.gps.unwrap();
    close(
        gps.latitude,
        et_f64(&et, "Composite:GPSLatitude"),
        "latitude",
    );
    close(
        gps.longitude,
        et_f64(&et, "Composite:GPSLongitude"),
        "longitude",
    );
    assert_eq!(
        m.xmp.get("dc:creator").map(String::as_str),
        Some("Investigator A")
    );
    assert_eq!(
        m.exif.get("StripByteCounts").map(String::as_str),
        Some(et_str(&et, "IFD0:StripByteCounts").as_str())
    );
    assert!(
        m.warnings.iter().any(|w| w.contains("compact copy")),
        "{:?}",
        m.warnings
    );
}

#[test]
fn webp_match_exiftool() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "image.webp", &make_webp());
    exiftool_write(&path, IMAGE_TAGS);
    let m = extract(&path, "image/webp");
    assert_eq!(m.container, "webp");
    check_image_against_exiftool(&m, &path, "ExifIFD");
    assert_eq!((m.width, m.height), (Some(1), Some(1)));
}

/// HEIF files cannot be encoded here, so the container is built by hand with
/// an Exif item whose TIFF data exiftool wrote; exiftool then reads the HEIF.
#[test]
fn heif_exif_item_matches_exiftool() {
    let dir = tempfile::tempdir().unwrap();
    let donor = write(dir.path(), "donor.jpg", &make_jpeg(8, 8));
    exiftool_write(&donor, IMAGE_TAGS);
    let tiff = exiftool_binary(&donor, "EXIF");
    assert!(
        tiff.starts_with(b"MM") || tiff.starts_with(b"II"),
        "exiftool -b -EXIF gave {:?}",
        &tiff[..8.min(tiff.len())]
    );
    let path = write(dir.path(), "image.heic", &make_heif(&tiff));
    let m = extract(&path, "image/heic");
    assert_eq!(m.container, "heif");
    assert_eq!(m.make.as_deref(), Some("QorgauCam"));
    // exiftool can rewrite HEIF: it relocates the items and adds an XMP item.
    exiftool_write(
        &path,
        &[
            "-Make=HeifCam",
            "-XMP-dc:Creator=Investigator H",
            "-XMP-xmp:CreatorTool=Heif Tool",
        ],
    );
    let m = extract(&path, "image/heic");
    assert_eq!(m.make.as_deref(), Some("HeifCam"));
    assert_eq!(
        m.xmp.get("dc:creator").map(String::as_str),
        Some("Investigator H")
    );
    let et = exiftool_read(&path);
    assert_eq!(m.make.as_deref(), Some(et_str(&et, "IFD0:Make").as_str()));
    assert_eq!(m.model.as_deref(), Some(et_str(&et, "IFD0:Model").as_str()));
    assert_eq!(
        m.original_time.as_deref(),
        Some(
            format!(
                "{}{}",
                et_time_iso(&et_str(&et, "ExifIFD:DateTimeOriginal")),
                et_str(&et, "ExifIFD:OffsetTimeOriginal")
            )
            .as_str()
        )
    );
    let gps = m.gps.unwrap();
    close(
        gps.latitude,
        et_f64(&et, "Composite:GPSLatitude"),
        "latitude",
    );
    close(
        gps.longitude,
        et_f64(&et, "Composite:GPSLongitude"),
        "longitude",
    );
    assert_eq!(m.width, Some(et_f64(&et, "File:ImageWidth") as u32));
    assert_eq!(m.height, Some(et_f64(&et, "File:ImageHeight") as u32));
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn mp4_user_data_and_gps_match_exiftool() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "clip.mp4", &make_mp4(b"isom"));
    exiftool_write(
        &path,
        &[
            "-UserData:Make=QorgauCam",
            "-UserData:Model=QC-V",
            "-QuickTime:CreateDate=2024:03:05 09:22:01",
            "-QuickTime:ModifyDate=2024:03:06 10:00:00",
            "-GPSCoordinates=43.2220, 76.8512, 800",
            "-XMP-dc:Creator=Investigator A",
            "-XMP-xmp:CreatorTool=Qorgau Video Tool",
        ],
    );
    let m = extract(&path, "video/mp4");
    let et = exiftool_read(&path);
    assert_eq!(m.container, "mp4");
    assert_eq!(
        m.make.as_deref(),
        Some(et_str(&et, "UserData:Make").as_str())
    );
    assert_eq!(
        m.model.as_deref(),
        Some(et_str(&et, "UserData:Model").as_str())
    );
    let created = format!("{}Z", et_time_iso(&et_str(&et, "QuickTime:CreateDate")));
    assert_eq!(m.original_time.as_deref(), Some(created.as_str()));
    assert_eq!(m.original_time.as_deref(), Some("2024-03-05T09:22:01Z"));
    assert_eq!(
        m.quicktime.get("mvhd.ModificationTime").map(String::as_str),
        Some(format!("{}Z", et_time_iso(&et_str(&et, "QuickTime:ModifyDate"))).as_str())
    );
    close(
        m.quicktime["mvhd.Duration"].parse().unwrap(),
        et_f64(&et, "QuickTime:Duration"),
        "duration",
    );
    let gps = m.gps.expect("GPS");
    close(
        gps.latitude,
        et_f64(&et, "Composite:GPSLatitude"),
        "latitude",
    );
    close(
        gps.longitude,
        et_f64(&et, "Composite:GPSLongitude"),
        "longitude",
    );
    close(
        gps.altitude.unwrap(),
        et_f64(&et, "Composite:GPSAltitude"),
        "altitude",
    );
    assert_eq!(
        m.software.as_deref(),
        Some(et_str(&et, "XMP-xmp:CreatorTool").as_str())
    );
    assert_eq!(
        m.xmp.get("dc:creator").map(String::as_str),
        Some(et_str(&et, "XMP-dc:Creator").as_str())
    );
    assert_eq!(m.width, Some(et_f64(&et, "Track1:ImageWidth") as u32));
    assert_eq!(m.height, Some(et_f64(&et, "Track1:ImageHeight") as u32));
    assert_eq!(
        m.quicktime.get("trak1.HandlerType").map(String::as_str),
        Some("vide")
    );
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn mov_apple_keys_match_exiftool() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "clip.mov", &make_mp4(b"qt  "));
    exiftool_write(
        &path,
        &[
            "-Keys:Make=QorgauPhone",
            "-Keys:Model=QP 15",
            "-Keys:Software=17.4",
            "-Keys:CreationDate=2024:03:05 14:22:01+05:00",
            "-Keys:GPSCoordinates=-33.8688, -70.6693, 520",
            "-UserData:GPSCoordinates=10.5, 20.25",
            "-QuickTime:CreateDate=2024:03:05 09:22:01",
        ],
    );
    let m = extract(&path, "video/quicktime");
    let et = exiftool_read(&path);
    assert_eq!(m.container, "quicktime");
    assert_eq!(m.make.as_deref(), Some(et_str(&et, "Keys:Make").as_str()));
    assert_eq!(m.model.as_deref(), Some(et_str(&et, "Keys:Model").as_str()));
    assert_eq!(
        m.software.as_deref(),
        Some(et_str(&et, "Keys:Software").as_str())
    );
    // Apple's creation date keeps the camera's local offset.
    assert_eq!(
        m.original_time.as_deref(),
        Some(et_time_iso(&et_str(&et, "Keys:CreationDate")).as_str())
    );
    assert_eq!(
        m.original_time.as_deref(),
        Some("2024-03-05T14:22:01+05:00")
    );
    assert_eq!(
        m.quicktime.get("mvhd.CreationTime").map(String::as_str),
        Some("2024-03-05T09:22:01Z")
    );
    let gps = m.gps.expect("GPS");
    let coords = et_str(&et, "Keys:GPSCoordinates");
    let nums: Vec<f64> = coords
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    close(gps.latitude, nums[0], "latitude");
    close(gps.longitude, nums[1], "longitude");
    close(gps.altitude.unwrap(), nums[2], "altitude");
    assert!(gps.latitude < 0.0 && gps.longitude < 0.0);
    // The user-data position is kept in the raw map.
    let ud = et_str(&et, "UserData:GPSCoordinates");
    let ud: Vec<f64> = ud.split_whitespace().map(|s| s.parse().unwrap()).collect();
    let ours = m.quicktime.get("udta.©xyz").expect("udta ©xyz");
    assert!(
        ours.starts_with("+10.5") && ours.contains("+020.25"),
        "{ours} vs {ud:?}"
    );
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn stripped_mp4_has_no_camera() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "stripped.mp4", &make_mp4(b"isom"));
    exiftool_write(
        &path,
        &[
            "-UserData:Make=QorgauCam",
            "-Keys:Model=X",
            "-GPSCoordinates=1, 2",
        ],
    );
    exiftool_write(&path, &["-all="]);
    let m = extract(&path, "video/mp4");
    assert_eq!((m.make, m.model, m.gps), (None, None, None));
}

#[test]
fn declared_type_mismatch_is_warned_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "really-a-png.jpg", &make_png(4, 4));
    let m = extract(&path, "image/jpeg");
    assert_eq!(m.container, "png");
    assert!(
        m.warnings.iter().any(|w| w.contains("does not match")),
        "{:?}",
        m.warnings
    );
}

/// libtiff places the IFD after the image data; a large such file must be
/// read through the compact path, with the same values exiftool reads.
#[test]
fn large_tiff_with_ifd_at_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "libtiff-style.tif", &make_tiff(16, 8, 17 << 20));
    let m = extract(&path, "image/tiff");
    let et = exiftool_read(&path);
    assert_eq!(m.width, Some(et_f64(&et, "IFD0:ImageWidth") as u32));
    assert_eq!(m.height, Some(et_f64(&et, "IFD0:ImageHeight") as u32));
    assert_eq!(
        m.exif.get("StripByteCounts").map(String::as_str),
        Some(et_str(&et, "IFD0:StripByteCounts").as_str())
    );
    assert!(
        m.warnings.iter().any(|w| w.contains("compact copy")),
        "{:?}",
        m.warnings
    );
}
