//! JPEG quantisation tables (DQT) and the quality they correspond to.
//!
//! The tables say how the file was last encoded. libjpeg (the IJG library)
//! and the many encoders that copy it scale the two example tables of the
//! JPEG standard (ITU-T T.81 Annex K) by a "quality" 1–100 with a fixed
//! formula; messengers, web services, editors' "save for web" and most
//! software libraries write exactly those tables. Camera firmware and some
//! editors (Photoshop's 0–12 scale among them) use tables of their own. So
//! the tables place the last encoder in one of two broad families, and for
//! IJG tables give the quality; they say nothing about what happened before
//! the last save.

use serde::{Deserialize, Serialize};

use super::segments::Header;
use super::{Examination, Level, Signal, kind};

/// Zigzag position → natural (row-major) index in the 8×8 block.
pub(crate) const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// T.81 Annex K table K.1 (luminance), natural order.
const IJG_LUMA: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/// T.81 Annex K table K.2 (chrominance), natural order.
const IJG_CHROMA: [u16; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/// One quantisation table as stored in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantisationTable {
    /// The table's slot (0–3) that frame components refer to.
    pub id: u8,
    /// 8 or 16 bits per value.
    pub precision_bits: u8,
    /// The 64 steps in natural order (row by row of the 8×8 block, the
    /// constant term first), as tools like JPEGsnoop show them.
    pub values: Vec<u16>,
}

/// The quantisation tables of a JPEG and what they correspond to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuantisationTables {
    /// Every table defined before the first scan, in file order (a table
    /// redefined in the same slot appears twice).
    pub tables: Vec<QuantisationTable>,
    /// The IJG quality (1–100) whose scaled standard tables are nearest to
    /// the luminance (and chrominance) tables used by the image.
    pub nearest_ijg_quality: Option<u8>,
    /// Whether the tables are exactly the IJG standard tables at
    /// [`QuantisationTables::nearest_ijg_quality`].
    pub standard_ijg: bool,
    /// Mean absolute difference per value between the tables and the IJG
    /// tables at that quality (0 when standard).
    pub mean_difference: f32,
}

/// The tables by slot, in zigzag order, as the coefficient reader needs them.
pub(crate) type Slots = [Option<[u16; 64]>; 4];

/// Parses every DQT segment of the header. Returns the tables in file order
/// (natural order) and the last table of each slot (zigzag order).
pub(crate) fn parse(
    header: &Header<'_>,
    problems: &mut Vec<String>,
) -> (Vec<QuantisationTable>, Slots) {
    let mut tables = Vec::new();
    let mut slots: Slots = [None; 4];
    for seg in header.segments.iter().filter(|s| s.code == 0xDB) {
        let mut p = seg.payload;
        while let Some((&pq_tq, rest)) = p.split_first() {
            let precision16 = pq_tq >> 4 != 0;
            let id = pq_tq & 0x0F;
            let n = if precision16 { 128 } else { 64 };
            let Some(raw) = rest.get(..n) else {
                problems.push(format!(
                    "JPEG: quantisation table segment at offset {} is truncated",
                    seg.offset
                ));
                break;
            };
            let mut zz = [0u16; 64];
            for (k, v) in zz.iter_mut().enumerate() {
                *v = if precision16 {
                    u16::from_be_bytes([
                        raw.get(2 * k).copied().unwrap_or(0),
                        raw.get(2 * k + 1).copied().unwrap_or(0),
                    ])
                } else {
                    u16::from(raw.get(k).copied().unwrap_or(0))
                };
            }
            let mut natural = vec![0u16; 64];
            for (k, &v) in zz.iter().enumerate() {
                if let Some(slot) = natural.get_mut(ZIGZAG[k]) {
                    *slot = v;
                }
            }
            if id > 3 || pq_tq >> 4 > 1 {
                problems.push(format!(
                    "JPEG: quantisation table with invalid slot/precision byte 0x{pq_tq:02x}"
                ));
            } else if let Some(slot) = slots.get_mut(usize::from(id)) {
                *slot = Some(zz);
            }
            tables.push(QuantisationTable {
                id,
                precision_bits: if precision16 { 16 } else { 8 },
                values: natural,
            });
            p = rest.get(n..).unwrap_or(&[]);
        }
    }
    (tables, slots)
}

/// The IJG standard table `base` (natural order) scaled to `quality` with
/// libjpeg's formula (`jpeg_quality_scaling` and `jpeg_add_quant_table`,
/// baseline: values clamped to 1–255).
pub(crate) fn ijg_table(base: &[u16; 64], quality: u8) -> [u16; 64] {
    let q = u32::from(quality.clamp(1, 100));
    let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
    let mut out = [0u16; 64];
    for (o, &b) in out.iter_mut().zip(base) {
        let v = (u32::from(b) * scale + 50) / 100;
        *o = v.clamp(1, 255) as u16;
    }
    out
}

/// The nearest IJG quality to the luminance table (and chrominance table
/// when there is one), natural order: (quality, exact, mean difference).
pub(crate) fn nearest_ijg(luma: &[u16; 64], chroma: Option<&[u16; 64]>) -> (u8, bool, f32) {
    let mut best = (50u8, u64::MAX);
    for q in 1..=100u8 {
        let mut diff: u64 = luma
            .iter()
            .zip(ijg_table(&IJG_LUMA, q).iter())
            .map(|(&a, &b)| u64::from(a.abs_diff(b)))
            .sum();
        if let Some(c) = chroma {
            diff += c
                .iter()
                .zip(ijg_table(&IJG_CHROMA, q).iter())
                .map(|(&a, &b)| u64::from(a.abs_diff(b)))
                .sum::<u64>();
        }
        // Ties (quality 98–100 at 1s) go to the higher quality.
        if diff <= best.1 {
            best = (q, diff);
        }
    }
    let values = if chroma.is_some() { 128.0 } else { 64.0 };
    (best.0, best.1 == 0, best.1 as f32 / values)
}

fn natural(zz: &[u16; 64]) -> [u16; 64] {
    let mut out = [0u16; 64];
    for (k, &v) in zz.iter().enumerate() {
        if let Some(o) = out.get_mut(ZIGZAG[k]) {
            *o = v;
        }
    }
    out
}

/// The table slots the frame's first (luminance) and second (chrominance)
/// components use; slots 0 and 1 when the frame header cannot be read.
pub(crate) fn component_slots(header: &Header<'_>) -> (usize, Option<usize>) {
    let Some(frame) = header.frame() else {
        return (0, Some(1));
    };
    let p = frame.payload;
    let count = p.get(5).copied().unwrap_or(0);
    let slot = |i: usize| p.get(6 + 3 * i + 2).map(|&t| usize::from(t & 3));
    let luma = slot(0).unwrap_or(0);
    let chroma = if count >= 3 { slot(1) } else { None };
    (luma, chroma)
}

/// Reads the tables, estimates the quality and adds the signal.
pub(crate) fn check(header: &Header<'_>, ex: &mut Examination) {
    let mut problems = Vec::new();
    let (tables, slots) = parse(header, &mut problems);
    ex.notes.extend(problems);
    let (luma_slot, chroma_slot) = component_slots(header);
    let Some(luma) = slots.get(luma_slot).copied().flatten() else {
        ex.notes
            .push("JPEG: no quantisation table for the luminance: quality not estimated".into());
        if !tables.is_empty() {
            ex.quantisation = Some(QuantisationTables {
                tables,
                ..QuantisationTables::default()
            });
        }
        return;
    };
    let luma = natural(&luma);
    let chroma = chroma_slot
        .and_then(|s| slots.get(s).copied().flatten())
        .map(|c| natural(&c));
    let (quality, exact, mean) = nearest_ijg(&luma, chroma.as_ref());
    ex.quantisation = Some(QuantisationTables {
        tables,
        nearest_ijg_quality: Some(quality),
        standard_ijg: exact,
        mean_difference: mean,
    });
    let first_row = |t: &[u16; 64]| {
        t.iter()
            .take(8)
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let observed = if exact {
        format!(
            "The quantisation tables are exactly the IJG (libjpeg) standard tables at quality {quality} \
             (luminance first row: {}).",
            first_row(&luma)
        )
    } else {
        format!(
            "The quantisation tables are not the IJG (libjpeg) standard tables; the nearest IJG quality \
             is {quality}, with a mean difference of {mean:.1} per value (luminance first row: {}).",
            first_row(&luma)
        )
    };
    let may_mean = if exact {
        "The file was last written by libjpeg or an encoder that copies its tables: typical of \
         software re-encoding (messengers, social networks, web services, editors' export, \
         screenshot tools, most phone apps). The quality says how strongly it was compressed."
    } else {
        "The file was last written with tables of its own: typical of camera firmware and of some \
         editors (Adobe Photoshop uses its own tables for its 0–12 quality scale) and encoders \
         (mozjpeg, Guetzli). Comparing the tables with those of the camera model named in EXIF \
         can tell whether the camera itself wrote this file."
    };
    let cannot_show = "The tables describe only the last save, not the picture's history: any \
         re-save replaces the camera's tables, and some phones and cameras write IJG tables \
         themselves, so neither family proves or excludes editing. The quality figure is a match \
         against libjpeg's scaling; for other tables it is only a rough comparison.";
    ex.signals.push(Signal::new(
        kind::JPEG_QUANTISATION,
        Level::Note,
        observed,
        may_mean,
        cannot_show,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ijg_scaling_matches_libjpeg() {
        // libjpeg at quality 50 uses the Annex K tables unchanged; at 100
        // every step is 1; at 75 the luminance DC step is 8.
        assert_eq!(ijg_table(&IJG_LUMA, 50), IJG_LUMA);
        assert!(ijg_table(&IJG_LUMA, 100).iter().all(|&v| v == 1));
        assert_eq!(ijg_table(&IJG_LUMA, 75)[0], 8);
        assert_eq!(ijg_table(&IJG_LUMA, 1)[0], 255);
        for q in [10u8, 33, 60, 75, 90, 95] {
            let (got, exact, _) =
                nearest_ijg(&ijg_table(&IJG_LUMA, q), Some(&ijg_table(&IJG_CHROMA, q)));
            assert!(exact, "quality {q}");
            assert_eq!(got, q);
        }
    }

    #[test]
    fn zigzag_is_a_permutation() {
        let mut seen = [false; 64];
        for &i in &ZIGZAG {
            seen[i] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
