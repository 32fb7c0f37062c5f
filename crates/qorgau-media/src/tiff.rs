//! TIFF (and TIFF-based raw formats such as DNG): the whole file is the EXIF
//! structure, and `kamadak-exif` needs it as one buffer.
//!
//! A TIFF up to [`MAX_WHOLE_TIFF`] bytes is read whole, so every value and
//! offset is exactly as in the file. A larger one is not loaded: its IFDs
//! (the IFD0 chain and the Exif, GPS and Interoperability IFDs) are copied
//! with their out-of-line values into a compact TIFF, offsets patched, and
//! that is decoded instead. Image strips and tiles are never read. libtiff
//! writes the IFD after the image data, so reading a prefix would not do.

use std::collections::HashSet;
use std::io::{self, Read, Seek};

use crate::source::Source;
use crate::{Collector, MAX_METADATA_BLOCK};

/// TIFF files up to this size are decoded from a full in-memory copy.
pub(crate) const MAX_WHOLE_TIFF: u64 = 16 << 20;
/// The compact copy of a large TIFF's IFDs is at most this large.
const MAX_COMPACT: usize = 16 << 20;
const MAX_IFD_ENTRIES: usize = 4096;
/// `kamadak-exif` reads at most 8 IFDs in the main chain.
const MAX_CHAIN: usize = 8;

pub(crate) fn read<R: Read + Seek>(src: &mut Source<'_, R>, col: &mut Collector) -> io::Result<()> {
    read_with_limit(src, col, MAX_WHOLE_TIFF)
}

pub(crate) fn read_with_limit<R: Read + Seek>(
    src: &mut Source<'_, R>,
    col: &mut Collector,
    whole_limit: u64,
) -> io::Result<()> {
    col.meta.container = "tiff".into();
    let head = src.read_at(0, 8)?;
    if head.get(2..4) == Some(b"+\0") || head.get(2..4) == Some(b"\0+") {
        col.warn("TIFF: BigTIFF is not supported; no metadata read");
        return Ok(());
    }
    if src.len() <= whole_limit {
        let data = src.read_at(0, whole_limit as usize)?;
        col.add_exif(data, "TIFF");
        return Ok(());
    }
    let compact = Compactor::run(src, col)?;
    col.warn(format!(
        "TIFF: file larger than {whole_limit} bytes; metadata decoded from a compact copy of its IFDs (offsets of out-of-line values refer to that copy)"
    ));
    col.add_exif(compact, "TIFF");
    Ok(())
}

struct Compactor<'s, 'r, R> {
    src: &'s mut Source<'r, R>,
    le: bool,
    out: Vec<u8>,
    visited: HashSet<u32>,
    warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The n-th IFD of the main chain (1 is the thumbnail IFD).
    Chain(usize),
    /// The Exif IFD, which may point to the Interoperability IFD.
    Sub,
    /// GPS or Interoperability IFD: points nowhere.
    Leaf,
}

fn type_size(typ: u16) -> u64 {
    match typ {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 => 8,
        _ => 0,
    }
}

impl<'s, 'r, R: Read + Seek> Compactor<'s, 'r, R> {
    fn run(src: &'s mut Source<'r, R>, col: &mut Collector) -> io::Result<Vec<u8>> {
        let head = src.read_at(0, 8)?;
        let le = head.starts_with(b"II");
        let mut c = Compactor {
            src,
            le,
            out: head.clone(),
            visited: HashSet::new(),
            warnings: Vec::new(),
        };
        if c.out.len() < 8 {
            c.out.resize(8, 0);
        }
        let mut next = c.u32_at(&head, 4).unwrap_or(0);
        let mut ptr_at = 4usize;
        c.put_u32(ptr_at, 0);
        for index in 0..MAX_CHAIN {
            if next == 0 {
                break;
            }
            match c.copy_ifd(next, Kind::Chain(index))? {
                Some((new_at, following, next_ptr_at)) => {
                    c.put_u32(ptr_at, new_at);
                    ptr_at = next_ptr_at;
                    next = following;
                }
                None => break,
            }
        }
        for w in c.warnings.drain(..) {
            col.warn(w);
        }
        Ok(c.out)
    }

    fn u16_at(&self, b: &[u8], at: usize) -> Option<u16> {
        let x: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
        Some(if self.le {
            u16::from_le_bytes(x)
        } else {
            u16::from_be_bytes(x)
        })
    }

    fn u32_at(&self, b: &[u8], at: usize) -> Option<u32> {
        let x: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if self.le {
            u32::from_le_bytes(x)
        } else {
            u32::from_be_bytes(x)
        })
    }

    fn put_u32(&mut self, at: usize, v: u32) {
        let b = if self.le {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        };
        if let Some(dst) = self.out.get_mut(at..at + 4) {
            dst.copy_from_slice(&b);
        }
    }

    /// Appends `data` (word aligned) to the output and returns its offset,
    /// or `None` when the compact copy would grow past its cap.
    fn append(&mut self, data: &[u8]) -> Option<u32> {
        if self.out.len() % 2 == 1 {
            self.out.push(0);
        }
        if self.out.len() + data.len() > MAX_COMPACT {
            self.warnings
                .push("TIFF: IFD copy reached its size cap; some values dropped".into());
            return None;
        }
        let at = u32::try_from(self.out.len()).ok()?;
        self.out.extend_from_slice(data);
        Some(at)
    }

    /// Copies the IFD at `offset` (and the IFDs it points to) into the
    /// output. Returns (new offset, original next-IFD offset, position of the
    /// new next-IFD field).
    fn copy_ifd(&mut self, offset: u32, kind: Kind) -> io::Result<Option<(u32, u32, usize)>> {
        let thumbnail_ifd = kind == Kind::Chain(1);
        if !self.visited.insert(offset) {
            self.warnings.push(format!(
                "TIFF: IFD at offset {offset} referenced twice (loop)"
            ));
            return Ok(None);
        }
        let Some(count_bytes) = self.src.read_array::<2>(u64::from(offset))? else {
            self.warnings.push(format!(
                "TIFF: IFD offset {offset} is past the end of the file"
            ));
            return Ok(None);
        };
        let count = usize::from(self.u16_at(&count_bytes, 0).unwrap_or(0));
        if count > MAX_IFD_ENTRIES {
            self.warnings.push(format!(
                "TIFF: IFD at offset {offset} claims {count} entries; skipped"
            ));
            return Ok(None);
        }
        let body = self.src.read_at(u64::from(offset) + 2, count * 12 + 4)?;
        if body.len() < count * 12 {
            self.warnings
                .push(format!("TIFF: IFD at offset {offset} is truncated"));
        }
        let following = self.u32_at(&body, count * 12).unwrap_or(0);
        let entries: Vec<[u8; 12]> = body
            .chunks_exact(12)
            .take(count)
            .filter_map(|c| c.try_into().ok())
            .collect();
        let thumb_len = entries
            .iter()
            .find(|e| self.u16_at(&e[..], 0) == Some(0x202))
            .and_then(|e| self.u32_at(&e[..], 8));
        let mut kept: Vec<[u8; 12]> = Vec::with_capacity(entries.len());
        for mut e in entries {
            let tag = self.u16_at(&e, 0).unwrap_or(0);
            let typ = self.u16_at(&e, 2).unwrap_or(0);
            let cnt = self.u32_at(&e, 4).unwrap_or(0);
            let val = self.u32_at(&e, 8).unwrap_or(0);
            // Sub-IFDs as kamadak-exif follows them: IFD0 chain -> Exif, GPS;
            // Exif -> Interoperability. The depth is thus at most 3.
            let child = match (kind, tag) {
                (Kind::Chain(_), 0x8769) => Some(Kind::Sub),
                (Kind::Chain(_), 0x8825) => Some(Kind::Leaf),
                (Kind::Sub, 0xA005) => Some(Kind::Leaf),
                _ => None,
            };
            if let Some(child) = child.filter(|_| matches!(typ, 4 | 13) && cnt == 1) {
                match self.copy_ifd(val, child)? {
                    Some((new_at, _, _)) => {
                        let b = if self.le {
                            new_at.to_le_bytes()
                        } else {
                            new_at.to_be_bytes()
                        };
                        e[8..12].copy_from_slice(&b);
                        kept.push(e);
                    }
                    None => continue,
                }
                continue;
            }
            if thumbnail_ifd && tag == 0x201 {
                let len = thumb_len.unwrap_or(0) as usize;
                if len > MAX_METADATA_BLOCK {
                    self.warnings
                        .push("TIFF: thumbnail larger than the cap; skipped".into());
                    continue;
                }
                let data = self.src.read_at(u64::from(val), len)?;
                if let Some(new_at) = self.append(&data) {
                    let b = if self.le {
                        new_at.to_le_bytes()
                    } else {
                        new_at.to_be_bytes()
                    };
                    e[8..12].copy_from_slice(&b);
                    kept.push(e);
                }
                continue;
            }
            let size = type_size(typ).saturating_mul(u64::from(cnt));
            if size <= 4 {
                kept.push(e);
                continue;
            }
            if size > MAX_METADATA_BLOCK as u64 {
                self.warnings.push(format!(
                    "TIFF: value of tag {tag} ({size} bytes) larger than the cap; dropped"
                ));
                continue;
            }
            let data = self.src.read_at(u64::from(val), size as usize)?;
            if (data.len() as u64) < size {
                self.warnings.push(format!(
                    "TIFF: value of tag {tag} runs past the end of the file; dropped"
                ));
                continue;
            }
            if let Some(new_at) = self.append(&data) {
                let b = if self.le {
                    new_at.to_le_bytes()
                } else {
                    new_at.to_be_bytes()
                };
                e[8..12].copy_from_slice(&b);
                kept.push(e);
            }
        }
        let mut ifd = Vec::with_capacity(2 + kept.len() * 12 + 4);
        let n = kept.len() as u16;
        ifd.extend_from_slice(&if self.le {
            n.to_le_bytes()
        } else {
            n.to_be_bytes()
        });
        for e in &kept {
            ifd.extend_from_slice(e);
        }
        ifd.extend_from_slice(&[0; 4]);
        let Some(new_at) = self.append(&ifd) else {
            return Ok(None);
        };
        let next_ptr_at = new_at as usize + 2 + kept.len() * 12;
        Ok(Some((new_at, following, next_ptr_at)))
    }
}
