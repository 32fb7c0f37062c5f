//! PNG: walks the chunks, reading only metadata chunks (`IHDR`, `eXIf`,
//! `iTXt`, `tEXt`) and seeking over image data (`IDAT`) and everything else.
//! Text chunks may legally follow the image data, so the walk goes to `IEND`.

use std::io::{self, Read, Seek};

use crate::source::{Source, be_u32};
use crate::{Collector, MAX_METADATA_BLOCK};

/// Bound on the walk; a real PNG has far fewer chunks even with small IDATs.
const MAX_CHUNKS: usize = 200_000;
const XMP_KEYWORD: &[u8] = b"XML:com.adobe.xmp";

pub(crate) fn read<R: Read + Seek>(src: &mut Source<'_, R>, col: &mut Collector) -> io::Result<()> {
    col.meta.container = "png".into();
    let mut pos = 8u64;
    for _ in 0..MAX_CHUNKS {
        if pos >= src.len() {
            col.warn("PNG: file ends without an IEND chunk (truncated)");
            return Ok(());
        }
        let Some(head) = src.read_array::<8>(pos)? else {
            col.warn(format!("PNG: truncated chunk header at offset {pos}"));
            return Ok(());
        };
        let len = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
        let typ = [head[4], head[5], head[6], head[7]];
        let data_at = pos + 8;
        // Data, then a 4-byte CRC.
        pos = data_at + len + 4;
        if &typ == b"IEND" {
            return Ok(());
        }
        let wanted = matches!(&typ, b"IHDR" | b"eXIf" | b"iTXt" | b"tEXt" | b"zTXt");
        if !wanted {
            continue;
        }
        if len > MAX_METADATA_BLOCK as u64 {
            col.warn(format!(
                "PNG: {} chunk of {len} bytes skipped (larger than {MAX_METADATA_BLOCK})",
                crate::source::fourcc(&typ)
            ));
            continue;
        }
        let data = src.read_at(data_at, len as usize)?;
        if (data.len() as u64) < len {
            col.warn(format!(
                "PNG: {} chunk at offset {} is truncated",
                crate::source::fourcc(&typ),
                data_at - 8
            ));
        }
        match &typ {
            b"IHDR" => {
                if let (Some(w), Some(h)) = (be_u32(&data, 0), be_u32(&data, 4)) {
                    col.set_dims(w, h);
                }
            }
            b"eXIf" => {
                // Some writers keep the JPEG "Exif\0\0" prefix.
                let tiff = data.strip_prefix(b"Exif\0\0").unwrap_or(&data).to_vec();
                col.add_exif(tiff, "PNG eXIf");
            }
            b"iTXt" => itxt(&data, col),
            b"tEXt" => text(&data, col),
            _ => {
                // zTXt is deflate-compressed; note its keyword only.
                let kw = keyword(&data).0;
                if kw == "Raw profile type exif" || kw == "Raw profile type APP1" {
                    col.warn(format!("PNG: compressed zTXt \"{kw}\" not read"));
                } else {
                    col.meta
                        .text
                        .insert(kw, "(compressed zTXt, not read)".into());
                }
            }
        }
    }
    col.warn(format!("PNG: more than {MAX_CHUNKS} chunks; rest ignored"));
    Ok(())
}

/// Splits `keyword\0rest`; Latin-1 keyword as text.
fn keyword(data: &[u8]) -> (String, &[u8]) {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let kw: String = data[..end.min(79)].iter().map(|&b| b as char).collect();
    (kw, data.get(end + 1..).unwrap_or(&[]))
}

fn itxt(data: &[u8], col: &mut Collector) {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let kw_bytes = &data[..end];
    let rest = data.get(end + 1..).unwrap_or(&[]);
    let (Some(&compressed), Some(_method)) = (rest.first(), rest.get(1)) else {
        col.warn("PNG: malformed iTXt chunk");
        return;
    };
    let rest = &rest[2..];
    // language tag \0 translated keyword \0 text
    let mut parts = rest.splitn(3, |&b| b == 0);
    let (_lang, _translated, text) = (parts.next(), parts.next(), parts.next());
    let text = text.unwrap_or(&[]);
    let kw = String::from_utf8_lossy(kw_bytes).into_owned();
    if compressed != 0 {
        if kw_bytes == XMP_KEYWORD {
            col.warn("PNG: compressed XMP iTXt chunk not read");
        } else {
            col.meta
                .text
                .insert(kw, "(compressed iTXt, not read)".into());
        }
        return;
    }
    if kw_bytes == XMP_KEYWORD {
        col.add_xmp(text, "PNG iTXt XMP");
    } else {
        col.meta
            .text
            .insert(kw, String::from_utf8_lossy(text).into_owned());
    }
}

fn text(data: &[u8], col: &mut Collector) {
    let (kw, value) = keyword(data);
    // ImageMagick stores EXIF/XMP as hex "raw profiles" in text chunks.
    if kw == "Raw profile type exif" || kw == "Raw profile type APP1" {
        match raw_profile(value) {
            Some(bytes) => {
                let tiff = bytes.strip_prefix(b"Exif\0\0").unwrap_or(&bytes).to_vec();
                col.add_exif(tiff, "PNG raw profile exif");
            }
            None => col.warn(format!("PNG: malformed \"{kw}\" text chunk")),
        }
        return;
    }
    if kw == "Raw profile type xmp" {
        match raw_profile(value) {
            Some(bytes) => col.add_xmp(&bytes, "PNG raw profile xmp"),
            None => col.warn(format!("PNG: malformed \"{kw}\" text chunk")),
        }
        return;
    }
    // tEXt is Latin-1.
    let v: String = value.iter().map(|&b| b as char).collect();
    col.meta.text.insert(kw, v);
}

/// Decodes ImageMagick's `"\nexif\n    1234\n45786966…"` hex profile.
fn raw_profile(value: &[u8]) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(value).ok()?;
    let mut lines = s.trim_start().splitn(3, '\n');
    let _name = lines.next()?;
    let len: usize = lines.next()?.trim().parse().ok()?;
    let hex = lines.next()?;
    let mut out = Vec::with_capacity(len.min(MAX_METADATA_BLOCK));
    let mut digits = hex.bytes().filter(|b| !b.is_ascii_whitespace());
    while out.len() < len {
        let hi = (digits.next()? as char).to_digit(16)?;
        let lo = (digits.next()? as char).to_digit(16)?;
        out.push((hi * 16 + lo) as u8);
    }
    Some(out)
}
