//! Decoding of an EXIF block (TIFF structure) with `kamadak-exif`, into the
//! flat `exif` map and the typed facts the summary fields need.

use exif::{Exif, Field, In, Reader, Tag, Value};

use crate::{Collector, GpsPosition};

/// Display values longer than this are cut: a MakerNote or an unknown binary
/// tag can be tens of KiB of hex that nobody reads in JSON.
const MAX_VALUE_CHARS: usize = 4096;

/// TIFF tag 700 (XMLPacket): XMP embedded in a TIFF IFD.
const TAG_XMP: u16 = 700;

/// Facts taken from EXIF for the summary fields.
#[derive(Debug, Default)]
pub(crate) struct ExifSummary {
    pub make: Option<String>,
    pub model: Option<String>,
    pub software: Option<String>,
    pub original_time: Option<String>,
    pub gps: Option<GpsPosition>,
    pub dims: Option<(u32, u32)>,
}

/// Decodes `tiff` (starting at the TIFF header) and fills `col.meta.exif`,
/// `has_thumbnail`, the thumbnail bytes when wanted, and XMP from tag 700.
pub(crate) fn decode(tiff: Vec<u8>, col: &mut Collector) -> ExifSummary {
    let exif = match Reader::new().continue_on_error(true).read_raw(tiff) {
        Ok(exif) => exif,
        Err(e) => match e.distill_partial_result(|errors| {
            for err in errors {
                col.warn(format!("EXIF: {err}"));
            }
        }) {
            Ok(exif) => exif,
            Err(e) => {
                col.warn(format!("EXIF: unreadable block: {e}"));
                return ExifSummary::default();
            }
        },
    };

    for field in exif.fields() {
        let name = key(field);
        if field.tag.number() == TAG_XMP && field.tag.context() == exif::Context::Tiff {
            let bytes = match &field.value {
                Value::Byte(b) | Value::Undefined(b, _) => Some(b.as_slice()),
                _ => None,
            };
            if let Some(b) = bytes {
                col.meta
                    .exif
                    .insert(name, format!("(XMP packet, {} bytes, see xmp)", b.len()));
                let b = b.to_vec();
                col.add_xmp(&b, "TIFF XMLPacket tag");
                continue;
            }
        }
        let value = display(field, &exif);
        col.meta.exif.insert(name, value);
    }

    // Thumbnail: IFD1 JPEGInterchangeFormat + length, inside the block.
    if let Some(range) = thumbnail_range(&exif) {
        col.meta.has_thumbnail = true;
        if col.want_thumbnail {
            col.thumbnail = Some(exif.buf()[range].to_vec());
        }
    } else if exif
        .get_field(Tag::JPEGInterchangeFormat, In::THUMBNAIL)
        .is_some()
    {
        col.warn("EXIF: thumbnail offset/length point outside the EXIF block");
    }

    ExifSummary {
        make: ascii(&exif, Tag::Make),
        model: ascii(&exif, Tag::Model),
        software: ascii(&exif, Tag::Software),
        // An unknown date is written as blanks and colons: not a time.
        original_time: ascii(&exif, Tag::DateTimeOriginal)
            .filter(|t| t.chars().any(|c| c.is_ascii_digit() && c != '0'))
            .map(|t| {
                let off = ascii(&exif, Tag::OffsetTimeOriginal);
                crate::text::exif_time_to_iso(&t, off.as_deref())
            }),
        gps: gps(&exif),
        dims: dims(&exif),
    }
}

fn key(field: &Field) -> String {
    match field.ifd_num {
        In::PRIMARY => field.tag.to_string(),
        other => format!("{other}.{}", field.tag),
    }
}

fn display(field: &Field, exif: &Exif) -> String {
    let mut s = match &field.value {
        Value::Ascii(parts) => parts
            .iter()
            .map(|p| ascii_str(p))
            .collect::<Vec<_>>()
            .join("; "),
        _ => field.display_value().with_unit(exif).to_string(),
    };
    if s.chars().count() > MAX_VALUE_CHARS {
        let total = s.len();
        s = s.chars().take(MAX_VALUE_CHARS).collect();
        s.push_str(&format!("… (cut, {total} bytes in all)"));
    }
    s
}

/// ASCII field bytes as text: up to the first NUL, trimmed; invalid UTF-8 is
/// replaced rather than dropped.
fn ascii_str(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).trim().to_string()
}

fn ascii(exif: &Exif, tag: Tag) -> Option<String> {
    let f = exif.get_field(tag, In::PRIMARY)?;
    match &f.value {
        Value::Ascii(parts) => parts.iter().map(|p| ascii_str(p)).find(|s| !s.is_empty()),
        _ => None,
    }
}

fn thumbnail_range(exif: &Exif) -> Option<std::ops::Range<usize>> {
    let off = exif
        .get_field(Tag::JPEGInterchangeFormat, In::THUMBNAIL)?
        .value
        .get_uint(0)? as usize;
    let len = exif
        .get_field(Tag::JPEGInterchangeFormatLength, In::THUMBNAIL)?
        .value
        .get_uint(0)? as usize;
    let end = off.checked_add(len)?;
    (len > 0 && end <= exif.buf().len()).then_some(off..end)
}

fn rationals(v: &Value) -> Option<Vec<f64>> {
    match v {
        Value::Rational(r) => Some(r.iter().map(|x| x.to_f64()).collect()),
        Value::SRational(r) => Some(r.iter().map(|x| x.to_f64()).collect()),
        _ => None,
    }
}

fn dms(exif: &Exif, tag: Tag, ref_tag: Tag, negative: u8) -> Option<f64> {
    let vals = rationals(&exif.get_field(tag, In::PRIMARY)?.value)?;
    let deg = match vals.as_slice() {
        [d] => *d,
        [d, m] => d + m / 60.0,
        [d, m, s, ..] => d + m / 60.0 + s / 3600.0,
        [] => return None,
    };
    if !deg.is_finite() {
        return None;
    }
    let sign = match exif.get_field(ref_tag, In::PRIMARY).map(|f| &f.value) {
        Some(Value::Ascii(parts)) => match parts.first().and_then(|p| p.first()) {
            Some(c) if c.to_ascii_uppercase() == negative => -1.0,
            _ => 1.0,
        },
        _ => 1.0,
    };
    Some(sign * deg)
}

fn gps(exif: &Exif) -> Option<GpsPosition> {
    let latitude = dms(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')?;
    let longitude = dms(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')?;
    let altitude = exif
        .get_field(Tag::GPSAltitude, In::PRIMARY)
        .and_then(|f| rationals(&f.value))
        .and_then(|v| v.first().copied())
        .filter(|a| a.is_finite())
        .map(|a| {
            let below = exif
                .get_field(Tag::GPSAltitudeRef, In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
                == Some(1);
            if below { -a } else { a }
        });
    Some(GpsPosition {
        latitude,
        longitude,
        altitude,
    })
}

fn dims(exif: &Exif) -> Option<(u32, u32)> {
    let get = |t: Tag| {
        exif.get_field(t, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
    };
    let w = get(Tag::PixelXDimension).or_else(|| get(Tag::ImageWidth))?;
    let h = get(Tag::PixelYDimension).or_else(|| get(Tag::ImageLength))?;
    (w > 0 && h > 0).then_some((w, h))
}
