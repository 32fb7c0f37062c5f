//! WebP: walks the RIFF chunks, reading `VP8X`/`VP8 `/`VP8L` headers for the
//! dimensions and the `EXIF` and `XMP ` chunks; image data is seeked over.

use std::io::{self, Read, Seek};

use crate::source::{Source, le_u16, le_u32};
use crate::{Collector, MAX_METADATA_BLOCK};

const MAX_CHUNKS: usize = 100_000;

pub(crate) fn read<R: Read + Seek>(src: &mut Source<'_, R>, col: &mut Collector) -> io::Result<()> {
    col.meta.container = "webp".into();
    let riff_len = src
        .read_array::<4>(4)?
        .map(|b| u64::from(u32::from_le_bytes(b)))
        .unwrap_or(0);
    let mut end = 8 + riff_len;
    if end > src.len() {
        col.warn("WebP: RIFF size runs past the end of the file (truncated)");
        end = src.len();
    }
    let mut pos = 12u64;
    for _ in 0..MAX_CHUNKS {
        if pos + 8 > end {
            return Ok(());
        }
        let Some(head) = src.read_array::<8>(pos)? else {
            col.warn("WebP: truncated chunk header");
            return Ok(());
        };
        let typ = [head[0], head[1], head[2], head[3]];
        let len = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]));
        let data_at = pos + 8;
        // Chunks are padded to an even size.
        pos = data_at + len + (len & 1);
        let wanted = matches!(&typ, b"VP8X" | b"VP8 " | b"VP8L" | b"EXIF" | b"XMP ");
        if !wanted {
            continue;
        }
        let to_read = match &typ {
            b"VP8X" | b"VP8 " | b"VP8L" => len.min(32),
            _ => len,
        };
        if to_read > MAX_METADATA_BLOCK as u64 {
            col.warn(format!(
                "WebP: {} chunk of {len} bytes skipped (larger than {MAX_METADATA_BLOCK})",
                crate::source::fourcc(&typ)
            ));
            continue;
        }
        let data = src.read_at(data_at, to_read as usize)?;
        if (data.len() as u64) < to_read {
            col.warn(format!(
                "WebP: {} chunk is truncated",
                crate::source::fourcc(&typ)
            ));
        }
        match &typ {
            b"VP8X" => {
                let w24 = |at: usize| -> Option<u32> {
                    let b = data.get(at..at + 3)?;
                    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
                };
                if let (Some(w), Some(h)) = (w24(4), w24(7)) {
                    col.set_dims(w + 1, h + 1);
                }
            }
            b"VP8 " => {
                // 3-byte frame tag, start code 9d 01 2a, then 14-bit sizes.
                if data.get(3..6) == Some(&[0x9d, 0x01, 0x2a])
                    && let (Some(w), Some(h)) = (le_u16(&data, 6), le_u16(&data, 8))
                {
                    col.set_dims(u32::from(w & 0x3fff), u32::from(h & 0x3fff));
                }
            }
            b"VP8L" => {
                if data.first() == Some(&0x2f)
                    && let Some(bits) = le_u32(&data, 1)
                {
                    col.set_dims((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
                }
            }
            b"EXIF" => {
                let tiff = data.strip_prefix(b"Exif\0\0").unwrap_or(&data).to_vec();
                col.add_exif(tiff, "WebP EXIF chunk");
            }
            _ => col.add_xmp(&data, "WebP XMP chunk"),
        }
    }
    col.warn(format!("WebP: more than {MAX_CHUNKS} chunks; rest ignored"));
    Ok(())
}
