//! The quantised DCT coefficients of a baseline JPEG's luminance, read from
//! the entropy-coded data and kept only as histograms.
//!
//! The double-compression test needs the integers the encoder stored, not
//! pixels: decoding and re-transforming would blur exactly the gaps it looks
//! for. No maintained crate exposes them (`jpeg-decoder` and `zune-jpeg`,
//! which `image` uses, decode straight to pixels; `dct-io` 0.1 does, but is a
//! one-author first release whose decoder indexes on file-derived values, and
//! this input is hostile), so this is a minimal reader of sequential Huffman
//! JPEG (SOF0/SOF1, 8-bit), the kind cameras, phones, messengers and
//! libjpeg's defaults write. Progressive and arithmetic-coded files are not
//! read (the caller says so in a note).
//!
//! Bounded: only histograms of the first [`FREQUENCIES`] zigzag positions,
//! `|value|` up to [`BINS`]` - 1`, are kept, and at most [`MAX_BLOCKS`]
//! luminance blocks are read. No slice is indexed with a value from the
//! file without a check.

use super::segments::{Header, Segment};

/// Zigzag positions 1..=FREQUENCIES (the lowest AC frequencies) are counted.
pub(crate) const FREQUENCIES: usize = 20;
/// Histogram bins: |quantised value| 0..BINS-1; larger values are not kept.
pub(crate) const BINS: usize = 64;
/// At most this many luminance blocks are read (16.7 megapixels): the
/// histograms are long settled by then, and time stays bounded.
pub(crate) const MAX_BLOCKS: u32 = 1 << 18;

/// Histograms of the luminance's quantised AC coefficients.
#[derive(Debug, Clone)]
pub(crate) struct Histograms {
    /// `counts[f][v]`: blocks whose coefficient at zigzag position `f + 1`
    /// has absolute value `v`.
    pub counts: Vec<[u32; BINS]>,
    /// Luminance blocks read.
    pub blocks: u32,
    /// Whether the reading stopped at [`MAX_BLOCKS`].
    pub capped: bool,
    /// Why the reading stopped early, when it did (damaged data).
    pub stopped: Option<String>,
}

/// Why the coefficients were not read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unsupported {
    /// Progressive, lossless, hierarchical or arithmetic-coded JPEG.
    Process(u8),
    /// Something the reader needs is missing or malformed.
    Malformed(String),
}

#[derive(Debug, Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
}

/// A Huffman table in the canonical form of T.81 Annex F.2.2.3.
#[derive(Debug, Clone)]
struct Huffman {
    /// Largest code of each length 1..=16 (`-1`: no code of that length).
    maxcode: [i32; 17],
    /// Index into `values` of the first code of each length, minus that code.
    delta: [i32; 17],
    values: Vec<u8>,
}

impl Huffman {
    fn parse(counts: &[u8], values: &[u8]) -> Option<Self> {
        let mut maxcode = [-1i32; 17];
        let mut delta = [0i32; 17];
        let mut code = 0i32;
        let mut k = 0i32;
        for len in 1..=16usize {
            let n = i32::from(*counts.get(len - 1)?);
            if n > 0 {
                delta[len] = k - code;
                code += n;
                k += n;
                maxcode[len] = code - 1;
            }
            // A code may not be all ones at its length, nor overflow it.
            if code > (1 << len) {
                return None;
            }
            code <<= 1;
        }
        (k as usize <= values.len()).then(|| Self {
            maxcode,
            delta,
            values: values.get(..k as usize).unwrap_or(&[]).to_vec(),
        })
    }

    fn decode(&self, bits: &mut Bits<'_>) -> Option<u8> {
        let mut code = 0i32;
        for len in 1..=16usize {
            code = (code << 1) | bits.bit()? as i32;
            if code <= self.maxcode[len] {
                let i = usize::try_from(code + self.delta[len]).ok()?;
                return self.values.get(i).copied();
            }
        }
        None
    }
}

/// Bits of the entropy-coded data: byte stuffing removed, stopping at a
/// marker.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u32,
    count: u32,
    /// A marker (or the end) was reached: zeros are fed after it, a few
    /// bytes' worth at most.
    at_marker: bool,
    padded: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8], pos: usize) -> Self {
        Self {
            data,
            pos,
            acc: 0,
            count: 0,
            at_marker: false,
            padded: 0,
        }
    }

    fn next_byte(&mut self) -> Option<u32> {
        if !self.at_marker {
            match self.data.get(self.pos) {
                Some(0xFF) => {
                    if self.data.get(self.pos + 1) == Some(&0x00) {
                        self.pos += 2;
                        return Some(0xFF);
                    }
                    self.at_marker = true;
                }
                Some(&b) => {
                    self.pos += 1;
                    return Some(u32::from(b));
                }
                None => self.at_marker = true,
            }
        }
        // Decoders pad with zeros at a marker; more than a few bytes of it
        // means the data ended before the blocks did.
        self.padded += 1;
        (self.padded <= 4).then_some(0)
    }

    fn bit(&mut self) -> Option<u32> {
        if self.count == 0 {
            self.acc = self.next_byte()?;
            self.count = 8;
        }
        self.count -= 1;
        Some((self.acc >> self.count) & 1)
    }

    fn bits(&mut self, n: u32) -> Option<u32> {
        let mut v = 0;
        for _ in 0..n {
            v = (v << 1) | self.bit()?;
        }
        Some(v)
    }

    /// Skips to just after the next restart marker: true when one was found.
    fn restart(&mut self) -> bool {
        self.count = 0;
        self.at_marker = false;
        self.padded = 0;
        // The marker should be next; tolerate garbage before it, within
        // reason.
        let limit = self.pos.saturating_add(1 << 16);
        while self.pos < limit {
            match (self.data.get(self.pos), self.data.get(self.pos + 1)) {
                (Some(0xFF), Some(0xD0..=0xD7)) => {
                    self.pos += 2;
                    return true;
                }
                (Some(0xFF), Some(0xFF)) => self.pos += 1,
                (Some(0xFF), Some(0x00)) => self.pos += 2,
                (Some(0xFF), Some(_)) | (None, _) | (Some(_), None) => return false,
                (Some(_), Some(_)) => self.pos += 1,
            }
        }
        false
    }
}

/// `RECEIVE` and `EXTEND` of T.81 F.2.2.1: a value of category `s`.
fn receive_extend(bits: &mut Bits<'_>, s: u8) -> Option<i32> {
    if s == 0 {
        return Some(0);
    }
    if s > 15 {
        return None;
    }
    let v = bits.bits(u32::from(s))? as i32;
    Some(if v < (1 << (s - 1)) {
        v - (1 << s) + 1
    } else {
        v
    })
}

/// Reads the luminance coefficients of the first scan into histograms.
pub(crate) fn read(bytes: &[u8], header: &Header<'_>) -> Result<Histograms, Unsupported> {
    let malformed = |m: &str| Unsupported::Malformed(m.to_string());
    let frame = header.frame().ok_or_else(|| malformed("no frame header"))?;
    if !matches!(frame.code, 0xC0 | 0xC1) {
        return Err(Unsupported::Process(frame.code));
    }
    let (width, height, components) = frame_components(frame)?;
    let scan_at = header
        .scan_data
        .ok_or_else(|| malformed("no start of scan"))?;
    let sos = header
        .segments
        .iter()
        .rev()
        .find(|s| s.code == 0xDA)
        .ok_or_else(|| malformed("no start of scan"))?;

    let mut dc: [Option<Huffman>; 4] = [None, None, None, None];
    let mut ac: [Option<Huffman>; 4] = [None, None, None, None];
    let mut restart_interval = 0usize;
    for seg in &header.segments {
        match seg.code {
            0xC4 => parse_dht(seg.payload, &mut dc, &mut ac)?,
            0xDD => {
                restart_interval = seg
                    .payload
                    .get(..2)
                    .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
                    .ok_or_else(|| malformed("short restart interval segment"))?;
            }
            _ => {}
        }
    }

    // The scan's components, with their tables, in scan order.
    let p = sos.payload;
    let ns = usize::from(*p.first().ok_or_else(|| malformed("empty scan header"))?);
    if ns == 0 || ns > 4 {
        return Err(malformed("scan with no or too many components"));
    }
    struct ScanComp<'t> {
        comp: Component,
        dc: &'t Huffman,
        ac: &'t Huffman,
        is_luma: bool,
    }
    let luma_id = components.first().map(|c| c.id);
    let mut scan = Vec::with_capacity(ns);
    for i in 0..ns {
        let id = *p
            .get(1 + 2 * i)
            .ok_or_else(|| malformed("short scan header"))?;
        let tables = *p
            .get(2 + 2 * i)
            .ok_or_else(|| malformed("short scan header"))?;
        let comp = *components
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| malformed("scan names a component the frame does not have"))?;
        let dct = dc
            .get(usize::from(tables >> 4))
            .and_then(Option::as_ref)
            .ok_or_else(|| malformed("scan uses an undefined DC Huffman table"))?;
        let act = ac
            .get(usize::from(tables & 0x0F))
            .and_then(Option::as_ref)
            .ok_or_else(|| malformed("scan uses an undefined AC Huffman table"))?;
        scan.push(ScanComp {
            comp,
            dc: dct,
            ac: act,
            is_luma: Some(id) == luma_id,
        });
    }
    if !scan.iter().any(|s| s.is_luma) {
        return Err(malformed("the first scan does not hold the luminance"));
    }
    let hmax = components.iter().map(|c| c.h).max().unwrap_or(1);
    let vmax = components.iter().map(|c| c.v).max().unwrap_or(1);

    // MCU geometry: one block per MCU for a single-component scan (its own
    // size), else the interleaved MCU of T.81 A.2.
    let (mcus, blocks_per_mcu): (usize, Vec<usize>) = if ns == 1 {
        let c = scan
            .first()
            .map(|s| s.comp)
            .ok_or_else(|| malformed("empty scan"))?;
        let cw = (width * c.h).div_ceil(hmax);
        let ch = (height * c.v).div_ceil(vmax);
        (cw.div_ceil(8) * ch.div_ceil(8), vec![1])
    } else {
        let mx = width.div_ceil(8 * hmax);
        let my = height.div_ceil(8 * vmax);
        (mx * my, scan.iter().map(|s| s.comp.h * s.comp.v).collect())
    };

    let mut hist = Histograms {
        counts: vec![[0u32; BINS]; FREQUENCIES],
        blocks: 0,
        capped: false,
        stopped: None,
    };
    let mut bits = Bits::new(bytes, scan_at);
    let mut pred = [0i32; 4];
    let mut block = [0i32; 64];
    'mcus: for m in 0..mcus {
        if restart_interval > 0 && m > 0 && m % restart_interval == 0 {
            if !bits.restart() {
                hist.stopped = Some(format!("restart marker missing before MCU {m}"));
                break;
            }
            pred = [0; 4];
        }
        for (si, sc) in scan.iter().enumerate() {
            let n = blocks_per_mcu.get(si).copied().unwrap_or(1);
            for _ in 0..n {
                if decode_block(&mut bits, sc.dc, sc.ac, &mut pred[si], &mut block).is_none() {
                    hist.stopped = Some(format!(
                        "the entropy-coded data is damaged or ends early (at MCU {m} of {mcus})"
                    ));
                    break 'mcus;
                }
                if sc.is_luma {
                    for (f, counts) in hist.counts.iter_mut().enumerate() {
                        let v = block.get(f + 1).copied().unwrap_or(0).unsigned_abs() as usize;
                        if let Some(c) = counts.get_mut(v) {
                            *c += 1;
                        }
                    }
                    hist.blocks += 1;
                    if hist.blocks >= MAX_BLOCKS {
                        hist.capped = true;
                        break 'mcus;
                    }
                }
            }
        }
    }
    Ok(hist)
}

/// Decodes one block into `block` (zigzag order).
fn decode_block(
    bits: &mut Bits<'_>,
    dc: &Huffman,
    ac: &Huffman,
    pred: &mut i32,
    block: &mut [i32; 64],
) -> Option<()> {
    *block = [0; 64];
    let s = dc.decode(bits)?;
    let diff = receive_extend(bits, s)?;
    *pred = pred.checked_add(diff)?;
    block[0] = *pred;
    let mut k = 1usize;
    while k < 64 {
        let rs = ac.decode(bits)?;
        let (r, s) = (usize::from(rs >> 4), rs & 0x0F);
        if s == 0 {
            if r == 15 {
                k += 16;
                continue;
            }
            break; // end of block
        }
        k += r;
        let v = receive_extend(bits, s)?;
        *block.get_mut(k)? = v;
        k += 1;
    }
    (k <= 64).then_some(())
}

fn frame_components(frame: &Segment<'_>) -> Result<(usize, usize, Vec<Component>), Unsupported> {
    let malformed = |m: &str| Unsupported::Malformed(m.to_string());
    let p = frame.payload;
    if p.first() != Some(&8) {
        return Err(malformed("not 8-bit samples"));
    }
    let height = p
        .get(1..3)
        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
    let width = p
        .get(3..5)
        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
    let (Some(height), Some(width)) = (height, width) else {
        return Err(malformed("short frame header"));
    };
    if width == 0 || height == 0 {
        return Err(malformed(
            "zero image size (height defined later is not supported)",
        ));
    }
    let n = usize::from(*p.get(5).ok_or_else(|| malformed("short frame header"))?);
    if n == 0 || n > 4 {
        return Err(malformed("frame with no or too many components"));
    }
    let mut comps = Vec::with_capacity(n);
    for i in 0..n {
        let id = *p
            .get(6 + 3 * i)
            .ok_or_else(|| malformed("short frame header"))?;
        let hv = *p
            .get(7 + 3 * i)
            .ok_or_else(|| malformed("short frame header"))?;
        let (h, v) = (usize::from(hv >> 4), usize::from(hv & 0x0F));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
            return Err(malformed("invalid sampling factors"));
        }
        comps.push(Component { id, h, v });
    }
    Ok((width, height, comps))
}

fn parse_dht(
    payload: &[u8],
    dc: &mut [Option<Huffman>; 4],
    ac: &mut [Option<Huffman>; 4],
) -> Result<(), Unsupported> {
    let malformed = |m: &str| Unsupported::Malformed(m.to_string());
    let mut p = payload;
    while let Some((&tc_th, rest)) = p.split_first() {
        let counts = rest
            .get(..16)
            .ok_or_else(|| malformed("short Huffman table"))?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        let values = rest
            .get(16..16 + total)
            .ok_or_else(|| malformed("short Huffman table"))?;
        let table =
            Huffman::parse(counts, values).ok_or_else(|| malformed("invalid Huffman table"))?;
        let slot = usize::from(tc_th & 0x0F);
        let target = match tc_th >> 4 {
            0 => dc.get_mut(slot),
            1 => ac.get_mut(slot),
            _ => None,
        }
        .ok_or_else(|| malformed("Huffman table with invalid class or slot"))?;
        *target = Some(table);
        p = rest.get(16 + total..).unwrap_or(&[]);
    }
    Ok(())
}
