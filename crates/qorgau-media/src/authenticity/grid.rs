//! Where the 8×8 blocking grid of a JPEG compression lies in the pixels.
//!
//! JPEG compresses 8×8 blocks independently, so the decoded picture has
//! slightly larger jumps between pixels on either side of a block boundary
//! than inside a block. Measured on the decoded luminance, the mean absolute
//! difference between neighbouring columns (rows) is larger at one phase
//! modulo 8: where the boundaries of the compression that made the blocking
//! lie. A JPEG's own grid is at phase 0 (blocks start at the top-left
//! pixel). A grid at another phase is the trace of an earlier compression
//! followed by a crop or shift that was not a multiple of 8 pixels (the
//! non-aligned double JPEG compression of Bianchi & Piva, 2012, measured here
//! with the simple blocking-artefact profile of Fan & de Queiroz, 2003); in a
//! PNG or other lossless file, any grid means it was a JPEG before.

use image::RgbImage;

use super::{Examination, Level, Signal, kind};

/// Relative excess over the two neighbouring phases from which a phase counts as a
/// blocking grid.
pub(crate) const GRID_THRESHOLD: f64 = 0.12;
/// Luminance steps larger than this between neighbours are edges of the
/// content, not blocking (a few levels), and are left out: a handful of
/// strong edges at one phase would otherwise look like a grid.
const EDGE: u32 = 16;
/// Pictures smaller than this on either side are not measured.
const MIN_SIDE: u32 = 64;

/// Mean absolute luminance difference across the boundary before column
/// (row) phase `p`, relative to its neighbouring phases, minus one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub columns: [f64; 8],
    pub rows: [f64; 8],
}

fn luma(p: &image::Rgb<u8>) -> i32 {
    (77 * i32::from(p[0]) + 150 * i32::from(p[1]) + 29 * i32::from(p[2])) >> 8
}

pub(crate) fn profile(img: &RgbImage) -> Option<Profile> {
    let (w, h) = img.dimensions();
    if w < MIN_SIDE || h < MIN_SIDE {
        return None;
    }
    let mut col_sum = [0u64; 8];
    let mut col_n = [0u64; 8];
    let mut row_sum = [0u64; 8];
    let mut row_n = [0u64; 8];
    let mut prev: Vec<i32> = Vec::new();
    let mut cur: Vec<i32> = Vec::with_capacity(w as usize);
    for (y, row) in img.rows().enumerate() {
        cur.clear();
        cur.extend(row.map(luma));
        let mut last: Option<i32> = None;
        for (x, &l) in cur.iter().enumerate() {
            if let Some(pl) = last {
                let d = (l - pl).unsigned_abs();
                if d <= EDGE {
                    col_sum[x % 8] += u64::from(d);
                    col_n[x % 8] += 1;
                }
            }
            last = Some(l);
        }
        if !prev.is_empty() {
            for (a, b) in cur.iter().zip(&prev) {
                let d = (a - b).unsigned_abs();
                if d <= EDGE {
                    row_sum[y % 8] += u64::from(d);
                    row_n[y % 8] += 1;
                }
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(Profile {
        columns: relative(&col_sum, &col_n),
        rows: relative(&row_sum, &row_n),
    })
}

/// Each phase's mean difference relative to the mean of its two
/// neighbouring phases, minus one: a grid is a phase that stands above both
/// neighbours. (Relative to all phases, the shoulders of the file's own grid
/// at phases 1 and 7 would look like grids of their own.)
fn relative(sum: &[u64; 8], n: &[u64; 8]) -> [f64; 8] {
    let mut mean = [0f64; 8];
    for (m, (s, c)) in mean.iter_mut().zip(sum.iter().zip(n)) {
        *m = if *c > 0 { *s as f64 / *c as f64 } else { 0.0 };
    }
    let mut out = [0f64; 8];
    for (p, o) in out.iter_mut().enumerate() {
        let around = (mean[(p + 7) % 8] + mean[(p + 1) % 8]) / 2.0;
        if around > 0.0 {
            *o = mean[p] / around - 1.0;
        }
    }
    out
}

/// The phase with the largest excess among `phases`.
fn strongest(values: &[f64; 8], phases: std::ops::Range<usize>) -> (usize, f64) {
    phases
        .filter_map(|p| values.get(p).map(|&v| (p, v)))
        .fold(
            (0, f64::MIN),
            |best, (p, v)| if v > best.1 { (p, v) } else { best },
        )
}

pub(crate) fn check(img: &RgbImage, is_jpeg: bool, ex: &mut Examination) {
    let Some(profile) = profile(img) else {
        ex.notes.push(format!(
            "blocking-grid test not done: the picture is smaller than {MIN_SIDE}×{MIN_SIDE} pixels"
        ));
        return;
    };
    let pct = |v: f64| format!("{:+.0} %", v * 100.0);
    let own = (profile.columns[0], profile.rows[0]);
    let cannot_show_common = "Blocking is measured from pixel differences: content with its own \
        8-pixel rhythm (text, tiles, fences, halftone, upscaled pixel art) can mimic a grid, and \
        heavy compression at the last save, resizing, blurring or noise can hide an earlier grid. \
        It says nothing about what the picture shows.";
    if is_jpeg {
        let (px, sx) = strongest(&profile.columns, 1..8);
        let (py, sy) = strongest(&profile.rows, 1..8);
        let shifted = sx >= GRID_THRESHOLD || sy >= GRID_THRESHOLD;
        let (ox, oy) = (
            if sx >= GRID_THRESHOLD { px } else { 0 },
            if sy >= GRID_THRESHOLD { py } else { 0 },
        );
        if shifted {
            ex.signals.push(Signal::new(
                kind::BLOCKING_GRID,
                Level::WorthExamining,
                format!(
                    "Besides the file's own 8×8 grid (excess {} across columns, {} across rows), \
                     a blocking grid shows at an offset of {ox} pixels horizontally and {oy} \
                     vertically (excess {} and {}; threshold {}).",
                    pct(own.0),
                    pct(own.1),
                    pct(profile.columns[ox]),
                    pct(profile.rows[oy]),
                    pct(GRID_THRESHOLD)
                ),
                "The picture was compressed as JPEG before, then cropped or shifted by an amount \
                 that is not a multiple of 8 pixels, and saved again (non-aligned double \
                 compression). If only part of the picture shows the shifted grid, that part may \
                 come from another picture.",
                format!(
                    "Cropping a photo before posting it is ordinary and leaves exactly this trace. \
                     {cannot_show_common}"
                ),
            ));
        } else {
            ex.signals.push(Signal::new(
                kind::BLOCKING_GRID,
                Level::Note,
                format!(
                    "Only the file's own 8×8 grid shows (excess {} across columns, {} across \
                     rows); no other phase reaches the threshold of {} (strongest: {} at column \
                     offset {px}, {} at row offset {py}).",
                    pct(own.0),
                    pct(own.1),
                    pct(GRID_THRESHOLD),
                    pct(sx),
                    pct(sy)
                ),
                "No trace of an earlier compression on a shifted grid.",
                format!(
                    "An earlier compression on the same grid (no crop, or a crop by multiples of 8) \
                     is not separated from the file's own by this test. {cannot_show_common}"
                ),
            ));
        }
        return;
    }
    let (px, sx) = strongest(&profile.columns, 0..8);
    let (py, sy) = strongest(&profile.rows, 0..8);
    if sx >= GRID_THRESHOLD && sy >= GRID_THRESHOLD {
        let aligned = px == 0 && py == 0;
        ex.signals.push(Signal::new(
            kind::BLOCKING_GRID,
            if aligned {
                Level::Note
            } else {
                Level::WorthExamining
            },
            format!(
                "This {} file shows JPEG-like 8×8 blocking at an offset of {px} pixels \
                 horizontally and {py} vertically (excess {} across columns, {} across rows; \
                 threshold {}).",
                if ex.container.is_empty() {
                    "non-JPEG"
                } else {
                    &ex.container
                },
                pct(sx),
                pct(sy),
                pct(GRID_THRESHOLD)
            ),
            if aligned {
                "The picture was a JPEG before it was saved in this format (a screenshot of a \
                 JPEG, a conversion, an export)."
            } else {
                "The picture was a JPEG before, then cropped or shifted by an amount that is not a \
                 multiple of 8 pixels, and saved in this format."
            },
            format!(
                "Converting or cropping a picture is ordinary; this does not show an edit of its \
                 content. {cannot_show_common}"
            ),
        ));
    } else {
        ex.signals.push(Signal::new(
            kind::BLOCKING_GRID,
            Level::Note,
            format!(
                "No 8×8 blocking grid shows (strongest: {} at column offset {px}, {} at row \
                 offset {py}; threshold {}).",
                pct(sx),
                pct(sy),
                pct(GRID_THRESHOLD)
            ),
            "No measurable trace of an earlier JPEG compression.",
            format!("High-quality or resized JPEG compression leaves no measurable grid. {cannot_show_common}"),
        ));
    }
}
