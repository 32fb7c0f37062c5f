//! ISO base media file format (ISO/IEC 14496-12) and QuickTime: MP4, MOV,
//! 3GP video and HEIF/AVIF images.
//!
//! This box walker is hand-written on purpose. No well-kept Rust crate reads
//! the metadata atoms evidence needs — `mvhd` times in both versions,
//! QuickTime user data (`©mak`, `©mod`, `©swr`, `©day`, `©xyz`), Apple
//! `meta`/`keys`/`ilst` entries (`com.apple.quicktime.make`, `…location.ISO6709`),
//! the XMP `uuid` box, HEIF `Exif`/XMP items — while staying bounded on
//! multi-GiB files: the demuxer crates parse sample tables and either drop
//! these atoms or load whole boxes. Here every box is visited by seeking over
//! its header; only small leaf boxes are read, each capped (see
//! [`MAX_METADATA_BLOCK`]); sizes 0 (to the end), 1 (64-bit) and sizes that
//! run past their parent are handled; the number of boxes visited is bounded,
//! and nesting follows the fixed structure below, so loops cannot occur.
//!
//! ```text
//! ftyp                       brands -> container name
//! uuid (XMP)                 XMP packet
//! meta (HEIF)                pitm, iinf, iloc, iprp/ipco/ispe, iprp/ipma, idat
//! moov/mvhd                  creation/modification time, time scale, duration
//! moov/trak/tkhd             track times and dimensions
//! moov/trak/mdia/hdlr        track handler type
//! moov/[trak/]udta/©xxx      QuickTime user data text
//! moov/[trak/]udta/XMP_      XMP packet
//! moov/[trak/][udta/]meta    keys + ilst (Apple keys, iTunes item list)
//! ```

use std::io::{self, Read, Seek};

use crate::source::{Source, be_u16, be_u32, be_u64, be_uint, fourcc};
use crate::{Collector, MAX_METADATA_BLOCK};

/// Bound on the number of boxes visited in one file.
const MAX_BOXES: usize = 100_000;
/// Values of item list / user data atoms larger than this are noted, not read.
const MAX_VALUE: u64 = 64 << 10;
/// The XMP UUID of the `uuid` box (Adobe XMP specification part 3).
const XMP_UUID: [u8; 16] = [
    0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC,
];
const HEIF_BRANDS: &[&[u8; 4]] = &[
    b"mif1", b"msf1", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"avif", b"avis",
];

/// Whether a first box type makes the content an ISO-BMFF/QuickTime file.
pub(crate) fn looks_like_bmff(typ: &[u8]) -> bool {
    matches!(
        typ,
        b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip" | b"pnot"
    )
}

#[derive(Debug, Clone, Copy)]
struct BoxHdr {
    typ: [u8; 4],
    start: u64,
    /// Start of the payload (after size, type, largesize, uuid).
    data: u64,
    end: u64,
    uuid: Option<[u8; 16]>,
}

impl BoxHdr {
    fn len(&self) -> u64 {
        self.end - self.data
    }
}

struct Walker<'s, 'r, 'c, R> {
    src: &'s mut Source<'r, R>,
    col: &'c mut Collector,
    budget: usize,
    budget_warned: bool,
}

pub(crate) fn read<R: Read + Seek>(src: &mut Source<'_, R>, col: &mut Collector) -> io::Result<()> {
    col.meta.container = "quicktime".into();
    let end = src.len();
    let mut w = Walker {
        src,
        col,
        budget: MAX_BOXES,
        budget_warned: false,
    };
    let mut pos = 0;
    let mut track = 0usize;
    while let Some(b) = w.next_box(pos, end, "file")? {
        pos = b.end;
        match &b.typ {
            b"ftyp" => w.ftyp(&b)?,
            b"moov" => w.moov(&b, &mut track)?,
            b"meta" => w.heif_meta(&b)?,
            b"uuid" if b.uuid == Some(XMP_UUID) => {
                if let Some(data) = w.payload(&b, MAX_METADATA_BLOCK as u64, "uuid XMP")? {
                    w.col.add_xmp(&data, "MP4 uuid XMP box");
                }
            }
            _ => {}
        }
    }
    Ok(())
}

impl<R: Read + Seek> Walker<'_, '_, '_, R> {
    /// Reads the header of the box at `pos` inside a parent ending at
    /// `parent_end`. `None` ends the walk of that parent.
    fn next_box(&mut self, pos: u64, parent_end: u64, parent: &str) -> io::Result<Option<BoxHdr>> {
        if pos >= parent_end {
            return Ok(None);
        }
        if parent_end - pos < 8 {
            // QuickTime allows a 32-bit zero terminator at the end of udta.
            let rest = self.src.read_at(pos, 8)?;
            if !rest.iter().all(|&b| b == 0) {
                self.col.warn(format!(
                    "MP4: {} stray bytes at offset {pos} in {parent}",
                    parent_end - pos
                ));
            }
            return Ok(None);
        }
        if self.budget == 0 {
            if !self.budget_warned {
                self.budget_warned = true;
                self.col
                    .warn(format!("MP4: more than {MAX_BOXES} boxes; rest ignored"));
            }
            return Ok(None);
        }
        self.budget -= 1;
        let Some(h) = self.src.read_array::<8>(pos)? else {
            self.col
                .warn(format!("MP4: truncated box header at offset {pos}"));
            return Ok(None);
        };
        let size32 = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
        let typ = [h[4], h[5], h[6], h[7]];
        let (size, mut header) = match size32 {
            0 => (parent_end - pos, 8u64),
            1 => match self.src.read_array::<8>(pos + 8)? {
                Some(b) => (u64::from_be_bytes(b), 16),
                None => {
                    self.col.warn(format!(
                        "MP4: truncated 64-bit size of box '{}' at offset {pos}",
                        fourcc(&typ)
                    ));
                    return Ok(None);
                }
            },
            n => (u64::from(n), 8),
        };
        let mut uuid = None;
        if &typ == b"uuid" {
            uuid = self.src.read_array::<16>(pos + header)?;
            header += 16;
        }
        if size < header {
            self.col.warn(format!(
                "MP4: box '{}' at offset {pos} has invalid size {size}",
                fourcc(&typ)
            ));
            return Ok(None);
        }
        let mut end = pos.saturating_add(size);
        if end > parent_end {
            self.col.warn(format!(
                "MP4: box '{}' at offset {pos} (size {size}) runs past the end of its {parent} (truncated)",
                fourcc(&typ)
            ));
            end = parent_end;
        }
        let data = (pos + header).min(end);
        Ok(Some(BoxHdr {
            typ,
            start: pos,
            data,
            end,
            uuid,
        }))
    }

    /// Reads a box payload up to `cap` bytes; a larger box is skipped with a
    /// warning (`None`).
    fn payload(&mut self, b: &BoxHdr, cap: u64, what: &str) -> io::Result<Option<Vec<u8>>> {
        if b.len() > cap {
            self.col.warn(format!(
                "MP4: {what} box at offset {} is {} bytes, larger than {cap}; skipped",
                b.start,
                b.len()
            ));
            return Ok(None);
        }
        Ok(Some(self.src.read_at(b.data, b.len() as usize)?))
    }

    fn put(&mut self, key: String, value: String) {
        self.col
            .meta
            .quicktime
            .entry(key)
            .and_modify(|v| {
                v.push_str("; ");
                v.push_str(&value);
            })
            .or_insert(value);
    }

    fn ftyp(&mut self, b: &BoxHdr) -> io::Result<()> {
        let Some(data) = self.payload(b, 4096, "ftyp")? else {
            return Ok(());
        };
        let Some(major) = data.get(0..4) else {
            self.col.warn("MP4: ftyp box too short");
            return Ok(());
        };
        let compat: Vec<&[u8]> = data.get(8..).unwrap_or(&[]).chunks_exact(4).collect();
        let is_heif = HEIF_BRANDS
            .iter()
            .any(|brand| major == *brand || compat.contains(&&brand[..]));
        self.col.meta.container = if major == b"avif" || major == b"avis" {
            "avif"
        } else if is_heif {
            "heif"
        } else if major == b"qt  " {
            "quicktime"
        } else {
            "mp4"
        }
        .into();
        self.put("ftyp.MajorBrand".into(), fourcc(major));
        if let Some(minor) = be_u32(&data, 4) {
            self.put("ftyp.MinorVersion".into(), minor.to_string());
        }
        if !compat.is_empty() {
            let list = compat
                .iter()
                .map(|c| fourcc(c))
                .collect::<Vec<_>>()
                .join(", ");
            self.put("ftyp.CompatibleBrands".into(), list);
        }
        Ok(())
    }

    fn moov(&mut self, moov: &BoxHdr, track: &mut usize) -> io::Result<()> {
        let mut pos = moov.data;
        while let Some(b) = self.next_box(pos, moov.end, "moov")? {
            pos = b.end;
            match &b.typ {
                b"mvhd" => self.mvhd(&b)?,
                b"trak" => {
                    *track += 1;
                    self.trak(&b, *track)?;
                }
                b"udta" => self.udta(&b, "")?,
                b"meta" => self.qt_meta(&b, "")?,
                b"uuid" if b.uuid == Some(XMP_UUID) => {
                    if let Some(data) = self.payload(&b, MAX_METADATA_BLOCK as u64, "uuid XMP")? {
                        self.col.add_xmp(&data, "MP4 uuid XMP box");
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn time_value(secs: u64) -> String {
        if secs == 0 {
            "0 (unset)".into()
        } else {
            crate::text::mac_time_to_iso(secs).unwrap_or_else(|| format!("{secs} (invalid)"))
        }
    }

    fn mvhd(&mut self, b: &BoxHdr) -> io::Result<()> {
        let Some(d) = self.payload(b, 4096, "mvhd")? else {
            return Ok(());
        };
        let fields = match d.first() {
            Some(0) => (|| {
                Some((
                    u64::from(be_u32(&d, 4)?),
                    u64::from(be_u32(&d, 8)?),
                    be_u32(&d, 12)?,
                    u64::from(be_u32(&d, 16)?),
                ))
            })(),
            Some(1) => (|| {
                Some((
                    be_u64(&d, 4)?,
                    be_u64(&d, 12)?,
                    be_u32(&d, 20)?,
                    be_u64(&d, 24)?,
                ))
            })(),
            Some(v) => {
                self.col.warn(format!("MP4: mvhd version {v} is unknown"));
                return Ok(());
            }
            None => None,
        };
        let Some((created, modified, scale, duration)) = fields else {
            self.col.warn("MP4: mvhd box is truncated");
            return Ok(());
        };
        self.put("mvhd.CreationTime".into(), Self::time_value(created));
        self.put("mvhd.ModificationTime".into(), Self::time_value(modified));
        self.put("mvhd.TimeScale".into(), scale.to_string());
        self.put("mvhd.Duration".into(), duration_text(duration, scale));
        Ok(())
    }

    fn trak(&mut self, trak: &BoxHdr, n: usize) -> io::Result<()> {
        let prefix = format!("trak{n}.");
        let mut pos = trak.data;
        while let Some(b) = self.next_box(pos, trak.end, "trak")? {
            pos = b.end;
            match &b.typ {
                b"tkhd" => self.tkhd(&b, &prefix)?,
                b"mdia" => {
                    let mut p = b.data;
                    while let Some(c) = self.next_box(p, b.end, "mdia")? {
                        p = c.end;
                        if &c.typ == b"hdlr"
                            && let Some(d) = self.payload(&c, 4096, "hdlr")?
                            && let Some(h) = d.get(8..12)
                        {
                            self.put(format!("{prefix}HandlerType"), fourcc(h));
                        }
                    }
                }
                b"udta" => self.udta(&b, &prefix)?,
                b"meta" => self.qt_meta(&b, &prefix)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn tkhd(&mut self, b: &BoxHdr, prefix: &str) -> io::Result<()> {
        let Some(d) = self.payload(b, 4096, "tkhd")? else {
            return Ok(());
        };
        let (created, dims_at) = match d.first() {
            Some(0) => (be_u32(&d, 4).map(u64::from), 76),
            Some(1) => (be_u64(&d, 4), 88),
            _ => (None, usize::MAX),
        };
        if let Some(c) = created {
            self.put(format!("{prefix}tkhd.CreationTime"), Self::time_value(c));
        }
        match (
            be_u32(&d, dims_at),
            dims_at.checked_add(4).and_then(|at| be_u32(&d, at)),
        ) {
            (Some(w), Some(h)) => {
                let (w, h) = (w >> 16, h >> 16);
                self.put(format!("{prefix}tkhd.Width"), w.to_string());
                self.put(format!("{prefix}tkhd.Height"), h.to_string());
                self.col.set_dims(w, h);
            }
            _ => self.col.warn(format!("MP4: {prefix}tkhd box is truncated")),
        }
        Ok(())
    }

    fn udta(&mut self, udta: &BoxHdr, prefix: &str) -> io::Result<()> {
        let mut pos = udta.data;
        while let Some(b) = self.next_box(pos, udta.end, "udta")? {
            pos = b.end;
            match &b.typ {
                b"meta" => self.qt_meta(&b, prefix)?,
                b"XMP_" => {
                    if let Some(data) = self.payload(&b, MAX_METADATA_BLOCK as u64, "XMP_")? {
                        self.col.add_xmp(&data, "QuickTime XMP_ atom");
                    }
                }
                [0xA9, ..] => {
                    let key = format!("{prefix}udta.{}", fourcc(&b.typ));
                    if b.len() > MAX_VALUE {
                        self.put(key, format!("({} bytes, not read)", b.len()));
                        continue;
                    }
                    let data = self.src.read_at(b.data, b.len() as usize)?;
                    let value = if data.get(4..8) == Some(b"data") {
                        data_value(data.get(8..).unwrap_or(&[]))
                    } else {
                        qt_text(&data)
                    };
                    self.put(key, value);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A `meta` box as QuickTime and MP4 use it: `hdlr`, `keys`, `ilst`.
    /// In MP4 it is a full box (4 bytes of version and flags before the
    /// children); in QuickTime it is not. Which one is told by looking for a
    /// child box type where the first child would start.
    fn qt_meta(&mut self, meta: &BoxHdr, prefix: &str) -> io::Result<()> {
        let peek = self.src.read_at(meta.data, 12)?;
        let plain = peek
            .get(4..8)
            .is_some_and(|t| t.iter().all(|c| c.is_ascii_alphanumeric()));
        let full = peek
            .get(8..12)
            .is_some_and(|t| t.iter().all(|c| c.is_ascii_alphanumeric()));
        let first = if plain && !full {
            meta.data
        } else {
            meta.data + 4
        };
        let mut keys: Option<Vec<String>> = None;
        let mut ilst: Option<BoxHdr> = None;
        let mut pos = first;
        while let Some(b) = self.next_box(pos, meta.end, "meta")? {
            pos = b.end;
            match &b.typ {
                b"keys" => keys = self.keys(&b)?,
                b"ilst" => ilst = Some(b),
                _ => {}
            }
        }
        if let Some(ilst) = ilst {
            self.ilst(&ilst, keys.as_deref(), prefix)?;
        }
        Ok(())
    }

    fn keys(&mut self, b: &BoxHdr) -> io::Result<Option<Vec<String>>> {
        let Some(d) = self.payload(b, MAX_METADATA_BLOCK as u64, "keys")? else {
            return Ok(None);
        };
        let count = be_u32(&d, 4).unwrap_or(0);
        let mut out = Vec::new();
        let mut at = 8usize;
        for _ in 0..count {
            let Some(size) = be_u32(&d, at).map(|s| s as usize) else {
                self.col.warn("MP4: keys box is truncated");
                break;
            };
            if size < 8 || at.saturating_add(size) > d.len() {
                self.col.warn("MP4: keys box has an invalid entry size");
                break;
            }
            out.push(String::from_utf8_lossy(&d[at + 8..at + size]).into_owned());
            at += size;
        }
        Ok(Some(out))
    }

    fn ilst(&mut self, ilst: &BoxHdr, keys: Option<&[String]>, prefix: &str) -> io::Result<()> {
        let mut pos = ilst.data;
        while let Some(item) = self.next_box(pos, ilst.end, "ilst")? {
            pos = item.end;
            let index = u32::from_be_bytes(item.typ) as usize;
            let mut key = match keys {
                Some(k) if index >= 1 && index <= k.len() => {
                    format!("{prefix}keys.{}", k[index - 1])
                }
                _ => format!("{prefix}ilst.{}", fourcc(&item.typ)),
            };
            let mut values = Vec::new();
            let (mut mean, mut name) = (None, None);
            let mut p = item.data;
            while let Some(c) = self.next_box(p, item.end, "ilst item")? {
                p = c.end;
                match &c.typ {
                    b"data" => {
                        if c.len() > MAX_VALUE {
                            values.push(format!("({} bytes, not read)", c.len()));
                        } else {
                            let d = self.src.read_at(c.data, c.len() as usize)?;
                            values.push(data_value(&d));
                        }
                    }
                    b"mean" | b"name" => {
                        let d = self.src.read_at(c.data, c.len().min(1024) as usize)?;
                        let s = String::from_utf8_lossy(d.get(4..).unwrap_or(&[])).into_owned();
                        if &c.typ == b"mean" {
                            mean = Some(s)
                        } else {
                            name = Some(s)
                        }
                    }
                    _ => {}
                }
            }
            if let (Some(m), Some(n)) = (mean, name) {
                key = format!("{key}:{m}:{n}");
            }
            self.put(key, values.join("; "));
        }
        Ok(())
    }

    /// HEIF/AVIF: the file-level `meta` box describes items; EXIF and XMP
    /// are items whose bytes are located by `iloc`.
    fn heif_meta(&mut self, meta: &BoxHdr) -> io::Result<()> {
        let cap = MAX_METADATA_BLOCK as u64;
        let mut h = Heif::default();
        let mut pos = meta.data + 4; // full box
        while let Some(b) = self.next_box(pos, meta.end, "meta")? {
            pos = b.end;
            match &b.typ {
                b"pitm" => {
                    if let Some(d) = self.payload(&b, 64, "pitm")? {
                        h.primary = match d.first() {
                            Some(0) => be_u16(&d, 4).map(u32::from),
                            _ => be_u32(&d, 4),
                        };
                    }
                }
                b"iinf" => {
                    if let Some(d) = self.payload(&b, cap, "iinf")? {
                        h.parse_iinf(&d);
                    }
                }
                b"iloc" => h.iloc = self.payload(&b, cap, "iloc")?,
                b"iref" => {
                    if let Some(d) = self.payload(&b, cap, "iref")? {
                        h.parse_iref(&d);
                    }
                }
                b"idat" => h.idat = Some((b.data, b.end)),
                b"iprp" => {
                    let mut p = b.data;
                    while let Some(c) = self.next_box(p, b.end, "iprp")? {
                        p = c.end;
                        match &c.typ {
                            b"ipco" => {
                                let mut q = c.data;
                                while let Some(prop) = self.next_box(q, c.end, "ipco")? {
                                    q = prop.end;
                                    let dims = if &prop.typ == b"ispe" {
                                        self.payload(&prop, 64, "ispe")?
                                            .and_then(|d| Some((be_u32(&d, 4)?, be_u32(&d, 8)?)))
                                    } else {
                                        None
                                    };
                                    h.properties.push(dims);
                                }
                            }
                            b"ipma" => h.ipma = self.payload(&c, cap, "ipma")?,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some((w, hgt)) = h.primary_dims() {
            self.col.set_dims(w, hgt);
        }
        let locations = h.parse_iloc(self.col);
        // Metadata items linked to the primary image ('cdsc') come first:
        // an editor may leave the original's item behind and add its own.
        let mut items: Vec<&Item> = h.items.iter().collect();
        items.sort_by_key(|i| !h.describes_primary(i.id));
        for item in items {
            let is_exif = &item.typ == b"Exif";
            let is_xmp = &item.typ == b"mime" && item.content_type.trim() == "application/rdf+xml";
            if !is_exif && !is_xmp {
                continue;
            }
            let Some(loc) = locations.iter().find(|l| l.item == item.id) else {
                self.col
                    .warn(format!("HEIF: item {} has no location", item.id));
                continue;
            };
            let Some(bytes) = self.item_bytes(loc, h.idat)? else {
                continue;
            };
            if is_exif {
                // 4-byte offset to the TIFF header, then the TIFF data.
                let Some(off) = be_u32(&bytes, 0).map(|o| o as usize) else {
                    self.col.warn("HEIF: Exif item too short");
                    continue;
                };
                match bytes.get(4usize.saturating_add(off)..) {
                    Some(tiff) => self.col.add_exif(tiff.to_vec(), "HEIF Exif item"),
                    None => self.col.warn("HEIF: Exif item has an invalid TIFF offset"),
                }
            } else {
                self.col.add_xmp(&bytes, "HEIF XMP item");
            }
        }
        Ok(())
    }

    fn item_bytes(
        &mut self,
        loc: &Location,
        idat: Option<(u64, u64)>,
    ) -> io::Result<Option<Vec<u8>>> {
        let cap = MAX_METADATA_BLOCK as u64;
        let mut out = Vec::new();
        for &(off, len) in &loc.extents {
            let (base, limit) = match loc.method {
                0 => (0, self.src.len()),
                1 => match idat {
                    Some((s, e)) => (s, e),
                    None => {
                        self.col.warn(format!(
                            "HEIF: item {} refers to a missing idat box",
                            loc.item
                        ));
                        return Ok(None);
                    }
                },
                m => {
                    self.col.warn(format!(
                        "HEIF: item {} uses unsupported construction method {m}",
                        loc.item
                    ));
                    return Ok(None);
                }
            };
            let start = base.saturating_add(loc.base_offset).saturating_add(off);
            let len = if len == 0 {
                limit.saturating_sub(start)
            } else {
                len
            };
            if start.saturating_add(len) > limit {
                self.col.warn(format!(
                    "HEIF: item {} extends past its data (truncated)",
                    loc.item
                ));
            }
            if (out.len() as u64).saturating_add(len) > cap {
                self.col.warn(format!(
                    "HEIF: item {} is larger than {cap} bytes; skipped",
                    loc.item
                ));
                return Ok(None);
            }
            let part = self
                .src
                .read_at(start, len.min(limit.saturating_sub(start)) as usize)?;
            out.extend_from_slice(&part);
        }
        Ok(Some(out))
    }
}

fn duration_text(duration: u64, scale: u32) -> String {
    if scale == 0 {
        return format!("{duration} units (time scale 0)");
    }
    let secs = duration as f64 / f64::from(scale);
    format!("{}", (secs * 1000.0).round() / 1000.0)
}

/// QuickTime international text list: (u16 length, u16 language, text)*.
fn qt_text(d: &[u8]) -> String {
    let mut out = Vec::new();
    let mut at = 0usize;
    while let (Some(len), Some(_lang)) = (be_u16(d, at), be_u16(d, at + 2)) {
        let start = at + 4;
        let end = (start + usize::from(len)).min(d.len());
        out.push(decode_text(&d[start..end]));
        at = start + usize::from(len);
        if out.len() >= 16 {
            break;
        }
    }
    if out.is_empty() {
        decode_text(d)
    } else {
        out.join("; ")
    }
}

/// Text as UTF-8 when valid, else as Latin-1 (close to the Mac Roman that
/// old QuickTime writers used); trailing NULs dropped.
fn decode_text(b: &[u8]) -> String {
    let b = match b.iter().rposition(|&c| c != 0) {
        Some(last) => &b[..=last],
        None => &[],
    };
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| c as char).collect(),
    }
}

/// The value of an iTunes-style `data` atom: 4 bytes type, 4 bytes locale,
/// then the value.
fn data_value(d: &[u8]) -> String {
    let typ = be_u32(d, 0).unwrap_or(0) & 0x00FF_FFFF;
    let v = d.get(8..).unwrap_or(&[]);
    match typ {
        1 => decode_text(v),
        2 => {
            let units: Vec<u16> = v
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        21 | 22 if v.len() <= 8 && !v.is_empty() => {
            let n = be_uint(v, 0, v.len()).unwrap_or(0);
            if typ == 21 {
                let shift = 64 - 8 * v.len() as u32;
                (((n << shift) as i64) >> shift).to_string()
            } else {
                n.to_string()
            }
        }
        23 if v.len() == 4 => f32::from_be_bytes([v[0], v[1], v[2], v[3]]).to_string(),
        24 if v.len() == 8 => be_u64(v, 0).map(f64::from_bits).unwrap_or(0.0).to_string(),
        13 | 14 | 27 => format!("(image, {} bytes)", v.len()),
        _ => {
            let hex: String = v.iter().take(64).map(|b| format!("{b:02x}")).collect();
            if v.len() > 64 {
                format!("0x{hex}… ({} bytes)", v.len())
            } else {
                format!("0x{hex}")
            }
        }
    }
}

#[derive(Debug, Default)]
struct Heif {
    primary: Option<u32>,
    items: Vec<Item>,
    iloc: Option<Vec<u8>>,
    idat: Option<(u64, u64)>,
    /// `ipco` properties in order (1-based in `ipma`); `ispe` dimensions.
    properties: Vec<Option<(u32, u32)>>,
    ipma: Option<Vec<u8>>,
    /// `cdsc` references: (metadata item, described item).
    cdsc: Vec<(u32, u32)>,
}

#[derive(Debug)]
struct Item {
    id: u32,
    typ: [u8; 4],
    content_type: String,
}

#[derive(Debug)]
struct Location {
    item: u32,
    method: u8,
    base_offset: u64,
    extents: Vec<(u64, u64)>,
}

/// Children of an in-memory box payload: (type, payload). Stops at the first
/// malformed header.
fn child_boxes(mut buf: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    while buf.len() >= 8 && out.len() < 65_536 {
        let size32 = be_u32(buf, 0).unwrap_or(0);
        let typ = [buf[4], buf[5], buf[6], buf[7]];
        let (size, header) = match size32 {
            0 => (buf.len() as u64, 8usize),
            1 => match be_u64(buf, 8) {
                Some(s) => (s, 16),
                None => break,
            },
            n => (u64::from(n), 8),
        };
        if size < header as u64 || size > buf.len() as u64 {
            break;
        }
        let size = size as usize;
        out.push((typ, &buf[header..size]));
        buf = &buf[size..];
    }
    out
}

fn cstr(b: &[u8], at: usize) -> (String, usize) {
    let rest = b.get(at..).unwrap_or(&[]);
    let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
    (
        String::from_utf8_lossy(&rest[..end]).into_owned(),
        at.saturating_add(end + 1),
    )
}

impl Heif {
    fn parse_iref(&mut self, d: &[u8]) {
        let wide = d.first().is_some_and(|&v| v >= 1);
        for (typ, r) in child_boxes(d.get(4..).unwrap_or(&[])) {
            if &typ != b"cdsc" {
                continue;
            }
            let id = |at: usize| {
                if wide {
                    be_u32(r, at)
                } else {
                    be_u16(r, at).map(u32::from)
                }
            };
            let step = if wide { 4 } else { 2 };
            let (Some(from), Some(count)) = (id(0), be_u16(r, step)) else {
                continue;
            };
            for k in 0..usize::from(count) {
                match id(step + 2 + k * step) {
                    Some(to) if self.cdsc.len() < 65_536 => self.cdsc.push((from, to)),
                    _ => break,
                }
            }
        }
    }

    fn describes_primary(&self, item: u32) -> bool {
        self.primary
            .is_some_and(|p| self.cdsc.iter().any(|&(from, to)| from == item && to == p))
    }

    fn parse_iinf(&mut self, d: &[u8]) {
        let entries_at = if d.first() == Some(&0) { 6 } else { 8 };
        for (typ, e) in child_boxes(d.get(entries_at..).unwrap_or(&[])) {
            if &typ != b"infe" {
                continue;
            }
            let version = e.first().copied().unwrap_or(0);
            let item = match version {
                0 | 1 => be_u16(e, 4).map(|id| {
                    let (_name, at) = cstr(e, 8);
                    let (content_type, _) = cstr(e, at);
                    Item {
                        id: u32::from(id),
                        typ: *b"mime",
                        content_type,
                    }
                }),
                2 | 3 => {
                    let (id, at) = if version == 2 {
                        (be_u16(e, 4).map(u32::from), 6)
                    } else {
                        (be_u32(e, 4), 8)
                    };
                    id.and_then(|id| {
                        let typ: [u8; 4] = e.get(at + 2..at + 6)?.try_into().ok()?;
                        let (_name, next) = cstr(e, at + 6);
                        let content_type = if &typ == b"mime" {
                            cstr(e, next).0
                        } else {
                            String::new()
                        };
                        Some(Item {
                            id,
                            typ,
                            content_type,
                        })
                    })
                }
                _ => None,
            };
            if let Some(item) = item
                && self.items.len() < 65_536
            {
                self.items.push(item);
            }
        }
    }

    fn parse_iloc(&self, col: &mut Collector) -> Vec<Location> {
        let Some(d) = self.iloc.as_deref() else {
            return Vec::new();
        };
        let wanted = |id: u32| {
            self.items
                .iter()
                .any(|i| i.id == id && (&i.typ == b"Exif" || &i.typ == b"mime"))
        };
        let mut out = Vec::new();
        let parsed = (|| -> Option<()> {
            let version = *d.first()?;
            let sizes = be_u16(d, 4)?;
            let offset_size = usize::from(sizes >> 12);
            let length_size = usize::from((sizes >> 8) & 0xF);
            let base_size = usize::from((sizes >> 4) & 0xF);
            let index_size = if version == 1 || version == 2 {
                usize::from(sizes & 0xF)
            } else {
                0
            };
            let (count, mut at) = match version {
                0 | 1 => (u32::from(be_u16(d, 6)?), 8),
                2 => (be_u32(d, 6)?, 10),
                _ => return None,
            };
            for _ in 0..count {
                let item = if version == 2 {
                    let v = be_u32(d, at)?;
                    at += 4;
                    v
                } else {
                    let v = u32::from(be_u16(d, at)?);
                    at += 2;
                    v
                };
                let method = if version >= 1 {
                    let m = (be_u16(d, at)? & 0xF) as u8;
                    at += 2;
                    m
                } else {
                    0
                };
                let data_ref = be_u16(d, at)?;
                at += 2;
                let base_offset = be_uint(d, at, base_size)?;
                at += base_size;
                let extent_count = usize::from(be_u16(d, at)?);
                at += 2;
                let mut extents = Vec::new();
                for _ in 0..extent_count {
                    at += index_size;
                    let off = be_uint(d, at, offset_size)?;
                    at += offset_size;
                    let len = be_uint(d, at, length_size)?;
                    at += length_size;
                    if extents.len() < 1024 {
                        extents.push((off, len));
                    }
                }
                if wanted(item) {
                    if data_ref != 0 {
                        continue; // data in another file
                    }
                    out.push(Location {
                        item,
                        method,
                        base_offset,
                        extents,
                    });
                }
            }
            Some(())
        })();
        if parsed.is_none() {
            col.warn("HEIF: iloc box is malformed or truncated");
        }
        out
    }

    /// Dimensions of the primary item from its `ispe` property, else the
    /// largest `ispe` in the file.
    fn primary_dims(&self) -> Option<(u32, u32)> {
        let from_primary = (|| {
            let primary = self.primary?;
            let d = self.ipma.as_deref()?;
            let version = *d.first()?;
            let flags = be_u32(d, 0)? & 0x00FF_FFFF;
            let count = be_u32(d, 4)?;
            let mut at = 8usize;
            for _ in 0..count.min(65_536) {
                let item = if version < 1 {
                    let v = u32::from(be_u16(d, at)?);
                    at += 2;
                    v
                } else {
                    let v = be_u32(d, at)?;
                    at += 4;
                    v
                };
                let n = usize::from(*d.get(at)?);
                at += 1;
                for _ in 0..n {
                    let index = if flags & 1 == 1 {
                        let v = usize::from(be_u16(d, at)? & 0x7FFF);
                        at += 2;
                        v
                    } else {
                        let v = usize::from(*d.get(at)? & 0x7F);
                        at += 1;
                        v
                    };
                    if item == primary
                        && index >= 1
                        && let Some(Some(dims)) = self.properties.get(index - 1)
                    {
                        return Some(*dims);
                    }
                }
            }
            None
        })();
        from_primary.or_else(|| {
            self.properties
                .iter()
                .flatten()
                .max_by_key(|(w, h)| u64::from(*w) * u64::from(*h))
                .copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_values() {
        let mut d = vec![0, 0, 0, 1, 0, 0, 0, 0];
        d.extend_from_slice(b"Apple");
        assert_eq!(data_value(&d), "Apple");
        let d = [0, 0, 0, 21, 0, 0, 0, 0, 0xFF, 0xFE];
        assert_eq!(data_value(&d), "-2");
        let d = [0, 0, 0, 22, 0, 0, 0, 0, 0xFF, 0xFE];
        assert_eq!(data_value(&d), "65534");
        assert_eq!(data_value(&[]), "0x");
    }

    #[test]
    fn qt_text_list() {
        let mut d = vec![0, 5, 0x55, 0xC4];
        d.extend_from_slice(b"Canon");
        assert_eq!(qt_text(&d), "Canon");
        assert_eq!(qt_text(&[0, 200, 0, 0, b'a']), "a");
        assert_eq!(qt_text(&[1]), "\u{1}");
    }

    #[test]
    fn child_boxes_bounded() {
        assert!(child_boxes(&[0, 0, 0, 4, b'a', b'b', b'c', b'd']).is_empty());
        assert_eq!(child_boxes(&[0, 0, 0, 0, b'a', b'b', b'c', b'd']).len(), 1);
        assert!(child_boxes(&[0, 0, 0, 1, b'a', b'b', b'c', b'd', 0xFF]).is_empty());
    }
}
