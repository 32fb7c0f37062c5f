//! JPEG: walks the marker segments before the first scan (SOS), where EXIF
//! (APP1 `Exif\0\0`), XMP (APP1 `http://ns.adobe.com/xap/1.0/\0`), comments
//! and the frame header live. The entropy-coded image data is never read.

use std::io::{self, Read, Seek};

use crate::Collector;
use crate::source::{Source, be_u16};

const EXIF_ID: &[u8] = b"Exif\0\0";
const XMP_ID: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT_ID: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
/// A JPEG header has a few dozen segments; more means garbage.
const MAX_SEGMENTS: usize = 4096;

pub(crate) fn read<R: Read + Seek>(src: &mut Source<'_, R>, col: &mut Collector) -> io::Result<()> {
    col.meta.container = "jpeg".into();
    let mut pos = 2u64; // after SOI
    let mut extended_xmp = false;
    for _ in 0..MAX_SEGMENTS {
        // Markers may be preceded by any number of 0xFF fill bytes.
        let Some([m0, mut code]) = src.read_array::<2>(pos)? else {
            col.warn("JPEG: file ends before the image data (truncated header)");
            return Ok(());
        };
        if m0 != 0xFF {
            col.warn(format!(
                "JPEG: expected a marker at offset {pos}, found 0x{m0:02x}"
            ));
            return Ok(());
        }
        pos += 1;
        let mut fill = 0;
        while code == 0xFF {
            pos += 1;
            fill += 1;
            if fill > 64 {
                col.warn("JPEG: run of fill bytes; header abandoned");
                return Ok(());
            }
            match src.read_array::<1>(pos)? {
                Some([c]) => code = c,
                None => {
                    col.warn("JPEG: file ends inside a marker");
                    return Ok(());
                }
            }
        }
        pos += 1; // past the code
        match code {
            0xD8 => {
                col.warn("JPEG: unexpected second start-of-image marker");
                return Ok(());
            }
            // End of image, or start of scan: metadata is over.
            0xD9 | 0xDA => return Ok(()),
            // Stand-alone markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(len_bytes) = src.read_array::<2>(pos)? else {
            col.warn("JPEG: file ends inside a segment length");
            return Ok(());
        };
        let len = u16::from_be_bytes(len_bytes);
        if len < 2 {
            col.warn(format!(
                "JPEG: invalid segment length {len} at offset {pos}"
            ));
            return Ok(());
        }
        let payload_at = pos + 2;
        let payload_len = usize::from(len - 2);
        pos = payload_at + payload_len as u64;
        let wanted =
            matches!(code, 0xE1 | 0xFE | 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF);
        if !wanted {
            continue;
        }
        // Segments are at most 64 KiB, well within the read cap.
        let seg = src.read_at(payload_at, payload_len)?;
        if seg.len() < payload_len {
            col.warn(format!(
                "JPEG: segment 0x{code:02x} at offset {} is truncated",
                payload_at - 4
            ));
        }
        match code {
            0xE1 if seg.starts_with(EXIF_ID) => {
                col.add_exif(seg[EXIF_ID.len()..].to_vec(), "JPEG APP1 Exif");
            }
            0xE1 if seg.starts_with(XMP_ID) => {
                col.add_xmp(&seg[XMP_ID.len()..], "JPEG APP1 XMP");
            }
            0xE1 if seg.starts_with(XMP_EXT_ID) => {
                if !extended_xmp {
                    extended_xmp = true;
                    col.warn("JPEG: extended XMP segments present (not read)");
                }
            }
            0xE1 => {}
            0xFE => {
                let text = String::from_utf8_lossy(&seg);
                let text = text.trim_end_matches('\0').to_string();
                col.meta
                    .text
                    .entry("Comment".into())
                    .and_modify(|v| {
                        v.push_str("; ");
                        v.push_str(&text);
                    })
                    .or_insert(text);
            }
            _ => {
                // Frame header: precision, height, width.
                if let (Some(h), Some(w)) = (be_u16(&seg, 1), be_u16(&seg, 3)) {
                    col.set_dims(u32::from(w), u32::from(h));
                }
            }
        }
    }
    col.warn(format!(
        "JPEG: more than {MAX_SEGMENTS} header segments; rest ignored"
    ));
    Ok(())
}
