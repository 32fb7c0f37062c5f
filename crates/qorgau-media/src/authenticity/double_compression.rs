//! Traces of double JPEG compression in the histograms of quantised DCT
//! coefficients.
//!
//! When a JPEG is decoded and saved again as JPEG, each DCT coefficient is
//! quantised twice: first with step q1, then with step q2. Values that were
//! multiples of q1 are requantised to round(m·q1/q2), so when q1 > q2 some
//! bins of the final histogram stay (nearly) empty between full ones, and
//! when q1 < q2 bins collect one or two earlier values in a periodic pattern.
//! A picture compressed once has smooth, unimodal histograms instead (the
//! coefficients of natural images follow a Laplacian-like law). This is the
//! double-quantisation effect described by Lukáš & Fridrich ("Estimation of
//! primary quantization matrix in double compressed JPEG images", 2003) and
//! Popescu & Farid ("Statistical tools for digital forensics", 2004).
//!
//! The measure: for each of the lowest [`FREQUENCIES`] AC positions of the
//! luminance with enough data, the mean absolute deviation of each bin's
//! log-count from the mean of its two neighbours' log-counts (bins from 2 up
//! to the last with at least [`MIN_BIN`] blocks). Smooth histograms score
//! well under 1; periodic gaps and peaks score several units. A position
//! "shows the trace" at [`POSITION_THRESHOLD`] or more, and the image is worth
//! examining when at least half of the positions read (and at least three)
//! show it.
//!
//! Known limits, stated in the signal: q1 = q2 (re-saved at the same
//! quality) and q1 only slightly coarser or finer than q2 leave no trace;
//! heavily compressed or small images have too few non-zero coefficients;
//! synthetic pictures (flat colours, gradients, text) can have spiky
//! histograms of their own; a crop after the first compression shifts the
//! grid and hides the effect (the blocking-grid check looks for that).

use super::coefficients::{self, BINS, FREQUENCIES, Histograms, Unsupported};
use super::segments::Header;
use super::{Examination, Level, Signal, kind};

/// A bin counts towards the measure up to the last bin with this many blocks.
const MIN_BIN: u32 = 10;
/// A position is read only with this many blocks with a non-zero value.
const MIN_NONZERO: u32 = 200;
/// A position is read only when its histogram reaches at least this bin.
const MIN_SPAN: usize = 4;
/// Score from which a position shows the trace.
pub(crate) const POSITION_THRESHOLD: f64 = 1.0;
/// Fewer luminance blocks than this (a 256×256 picture) is too small a
/// sample.
const MIN_BLOCKS: u32 = 1024;

/// The score of each position that had enough data (zigzag position, score).
pub(crate) fn scores(h: &Histograms) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for (f, counts) in h.counts.iter().enumerate() {
        let nonzero: u32 = counts.iter().skip(1).sum();
        let Some(last) = (1..BINS)
            .rev()
            .find(|&v| counts.get(v).is_some_and(|&c| c >= MIN_BIN))
        else {
            continue;
        };
        if nonzero < MIN_NONZERO || last < MIN_SPAN {
            continue;
        }
        let ln = |v: usize| f64::from(counts.get(v).copied().unwrap_or(0)).ln_1p();
        let deviations: Vec<f64> = (2..last)
            .map(|k| (ln(k) - (ln(k - 1) + ln(k + 1)) / 2.0).abs())
            .collect();
        if deviations.is_empty() {
            continue;
        }
        let score = deviations.iter().sum::<f64>() / deviations.len() as f64;
        out.push((f + 1, score));
    }
    out
}

/// Reads the coefficients and adds the signal, or a note saying why not.
pub(crate) fn check(bytes: &[u8], header: &Header<'_>, ex: &mut Examination) {
    let hist = match coefficients::read(bytes, header) {
        Ok(h) => h,
        Err(Unsupported::Process(code)) => {
            let what = match code {
                0xC2 | 0xC6 => "progressive",
                0xC3 | 0xC7 => "lossless",
                0xC9..=0xCF => "arithmetic-coded",
                _ => "not baseline",
            };
            ex.notes.push(format!(
                "double-compression test not done: the JPEG is {what} (SOF 0x{code:02x}); \
                 the coefficient reader handles baseline sequential JPEG only"
            ));
            return;
        }
        Err(Unsupported::Malformed(why)) => {
            ex.notes.push(format!(
                "double-compression test not done: the JPEG's coding tables cannot be read ({why})"
            ));
            return;
        }
    };
    if let Some(why) = &hist.stopped {
        ex.notes.push(format!(
            "DCT coefficients: {why}; {} luminance blocks were read",
            hist.blocks
        ));
    }
    if hist.blocks < MIN_BLOCKS {
        ex.notes.push(format!(
            "double-compression test not done: only {} luminance blocks (at least {MIN_BLOCKS}, \
             a 256×256 picture, are needed for meaningful histograms)",
            hist.blocks
        ));
        return;
    }
    let scores = scores(&hist);
    let read = scores.len();
    let showing: Vec<&(usize, f64)> = scores
        .iter()
        .filter(|(_, s)| *s >= POSITION_THRESHOLD)
        .collect();
    let capped = if hist.capped {
        format!(" (the first {} blocks)", hist.blocks)
    } else {
        String::new()
    };
    let cannot_show = "This is a statistical trace, not proof of editing: re-saving an untouched \
        photo (a messenger or social network re-compresses every upload, an editor re-saves on \
        export) leaves the same trace. It cannot say what was changed, nor whether anything was. \
        Its absence proves nothing either: re-saving at the same or a slightly different quality, \
        cropping after the first save, resizing, or heavy compression leave no measurable trace. \
        Small, heavily compressed or synthetic pictures (flat colours, gradients, text) have too \
        few or unusual coefficients and can give false results.";
    if read < 3 {
        ex.signals.push(Signal::new(
            kind::DOUBLE_COMPRESSION,
            Level::Note,
            format!(
                "Only {read} of the {FREQUENCIES} lowest-frequency luminance DCT positions had \
                 enough non-zero coefficients in {} blocks{capped} to test; no conclusion is \
                 possible.",
                hist.blocks
            ),
            "The picture is too flat or too strongly compressed for this test.",
            cannot_show,
        ));
        return;
    }
    let mean = scores.iter().map(|(_, s)| s).sum::<f64>() / read as f64;
    let positions = showing
        .iter()
        .map(|(p, s)| format!("{p} ({s:.1})"))
        .collect::<Vec<_>>()
        .join(", ");
    let found = showing.len() >= 3 && showing.len() * 2 >= read;
    let observed = if found {
        format!(
            "{} of {read} low-frequency luminance DCT positions read show periodic gaps or peaks \
             in their histograms of quantised coefficients (zigzag position and score: \
             {positions}; mean score {mean:.2} over all positions read; threshold \
             {POSITION_THRESHOLD:.1}), in {} blocks{capped}.",
            showing.len(),
            hist.blocks
        )
    } else {
        format!(
            "{} of {read} low-frequency luminance DCT positions read show periodic gaps or peaks \
             in their histograms of quantised coefficients (mean score {mean:.2}; threshold \
             {POSITION_THRESHOLD:.1}), in {} blocks{capped}: no double-quantisation trace by \
             this test.",
            showing.len(),
            hist.blocks
        )
    };
    let may_mean = if found {
        "The coefficients were quantised twice with different steps: the picture was a JPEG, \
         was decoded, and was saved as JPEG again with different tables (the double-quantisation \
         effect of Lukáš & Fridrich 2003 and Popescu & Farid 2004). Any processing between the \
         two saves, an edit among them, would be under this trace."
    } else {
        "The histograms look like those of a single compression, or the second compression \
         hid the first."
    };
    ex.signals.push(Signal::new(
        kind::DOUBLE_COMPRESSION,
        if found {
            Level::WorthExamining
        } else {
            Level::Note
        },
        observed,
        may_mean,
        cannot_show,
    ));
}
