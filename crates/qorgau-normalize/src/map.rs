//! The compact map from normalised bytes back to original bytes.
//!
//! Most of a document comes through normalisation unchanged, so storing a
//! pair of offsets per output byte (16 bytes per byte) wastes memory and
//! time. The map is a sorted list of segments instead: an *exact* segment is
//! a stretch copied verbatim (output byte `out + k` is input byte `src + k`),
//! a *replacement* segment is output produced from an input range as a whole
//! (a digit from «семь», `@` from «собака»). Text that needs no change is a
//! single exact segment.

use std::ops::Range;

use crate::piece::Piece;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    /// First output byte of the segment.
    out: usize,
    /// Original range: the copied bytes (exact) or the replaced range.
    src: usize,
    src_end: usize,
    exact: bool,
}

/// Output text and its segment map, built left to right.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Builder {
    pub(crate) text: String,
    segs: Vec<Seg>,
}

impl Builder {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            text: String::with_capacity(n),
            segs: Vec::new(),
        }
    }

    /// Appends `s`, which is the input's bytes at `src..src + s.len()`.
    pub(crate) fn push_exact(&mut self, s: &str, src: usize) {
        if s.is_empty() {
            return;
        }
        let out = self.text.len();
        self.text.push_str(s);
        if let Some(last) = self.segs.last_mut()
            && last.exact
            && last.src_end == src
            && last.out + (last.src_end - last.src) == out
        {
            last.src_end = src + s.len();
            return;
        }
        self.segs.push(Seg {
            out,
            src,
            src_end: src + s.len(),
            exact: true,
        });
    }

    /// Appends one normalised character made from `input[start..end]`.
    pub(crate) fn push_piece(&mut self, input: &str, p: Piece) {
        let mut buf = [0u8; 4];
        let s = p.ch.encode_utf8(&mut buf);
        if input.get(p.start..p.end) == Some(&*s) {
            self.push_exact(s, p.start);
            return;
        }
        let out = self.text.len();
        self.text.push(p.ch);
        if let Some(last) = self.segs.last()
            && !last.exact
            && last.src == p.start
            && last.src_end == p.end
        {
            return;
        }
        self.segs.push(Seg {
            out,
            src: p.start,
            src_end: p.end.max(p.start),
            exact: false,
        });
    }

    /// [`Builder::push_piece`] of each of `pieces`, whose ranges are
    /// relative to `base`: runs of pieces that are their own input bytes,
    /// back to back (most of a line the steps hardly touch), are appended
    /// as one stretch. Same text and segments as pushing them one by one,
    /// as consecutive exact pieces extend one segment anyway.
    pub(crate) fn push_pieces(&mut self, input: &str, pieces: &[Piece], base: usize) {
        let own = |p: &Piece, at: usize| {
            let (s, e) = (p.start + base, p.end + base);
            s == at
                && s + p.ch.len_utf8() == e
                && input.get(s..).and_then(|r| r.chars().next()) == Some(p.ch)
        };
        let mut i = 0;
        while i < pieces.len() {
            let start = pieces[i].start + base;
            let mut end = start;
            let mut j = i;
            while let Some(p) = pieces.get(j)
                && own(p, end)
            {
                end = p.end + base;
                j += 1;
            }
            if j > i
                && let Some(s) = input.get(start..end)
            {
                self.push_exact(s, start);
                i = j;
                continue;
            }
            let p = pieces[i];
            self.push_piece(input, Piece::new(p.ch, p.start + base, p.end + base));
            i += 1;
        }
    }

    pub(crate) fn finish(self, input_len: usize) -> (String, Map) {
        (
            self.text,
            Map {
                segs: self.segs,
                input_len,
            },
        )
    }
}

/// See the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Map {
    segs: Vec<Seg>,
    input_len: usize,
}

impl Map {
    /// The segment holding output byte `i`.
    fn seg(&self, i: usize) -> Option<&Seg> {
        let k = self.segs.partition_point(|s| s.out <= i);
        self.segs.get(k.checked_sub(1)?)
    }

    /// Original position where output byte `i` starts.
    fn start_of(&self, i: usize, text_len: usize) -> usize {
        if i >= text_len {
            return self.input_len;
        }
        match self.seg(i) {
            Some(s) if s.exact => s.src + (i - s.out),
            Some(s) => s.src,
            None => self.input_len,
        }
    }

    /// Original position where the character whose last byte is `i` ends.
    fn end_of(&self, i: usize) -> usize {
        match self.seg(i) {
            Some(s) if s.exact => s.src + (i - s.out) + 1,
            Some(s) => s.src_end,
            None => self.input_len,
        }
    }

    /// Whether the whole text is one verbatim copy of the input.
    pub(crate) fn is_identity(&self, text_len: usize) -> bool {
        match self.segs.as_slice() {
            [] => text_len == 0 && self.input_len == 0,
            [s] => {
                s.exact && s.src == 0 && s.src_end == self.input_len && text_len == self.input_len
            }
            _ => false,
        }
    }

    pub(crate) fn original_range(&self, text: &str, range: Range<usize>) -> Range<usize> {
        let len = text.len();
        let mut start = range.start.min(len);
        let mut end = range.end.min(len).max(start);
        while start > 0 && !text.is_char_boundary(start) {
            start -= 1;
        }
        while end < len && !text.is_char_boundary(end) {
            end += 1;
        }
        let s = self.start_of(start, len);
        if start == end {
            return s..s;
        }
        let e = self.end_of(end - 1);
        s..e.max(s)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Pushing pieces in runs gives the text and segments of pushing
        /// them one by one.
        #[test]
        fn runs_of_pieces_push_as_single_pieces(
            prefix in "[a-zа-я ]{0,3}",
            s in "[a-zа-я0-9 .@\u{200B}]{0,24}",
            ops in prop::collection::vec(0u8..6, 24),
            lead in "[a-z]{0,2}",
        ) {
            let input = format!("{prefix}{s}");
            let base = prefix.len();
            let mut pieces = Vec::new();
            for ((i, c), op) in s.char_indices().zip(ops.iter().cycle()) {
                let (st, en) = (i, i + c.len_utf8());
                match op {
                    0 | 1 => pieces.push(Piece::new(c, st, en)),
                    2 => pieces.push(Piece::new('x', st, en)),
                    3 => {}
                    4 => pieces.push(Piece::new(c, st, (en + 1).min(s.len()))),
                    _ => {
                        pieces.push(Piece::new('8', st, en));
                        pieces.push(Piece::new(c, st, en));
                    }
                }
            }
            let mut one = Builder::with_capacity(0);
            let mut runs = Builder::with_capacity(0);
            one.push_exact(&lead, 0);
            runs.push_exact(&lead, 0);
            for p in &pieces {
                one.push_piece(&input, Piece::new(p.ch, p.start + base, p.end + base));
            }
            runs.push_pieces(&input, &pieces, base);
            prop_assert_eq!(one, runs);
        }
    }
}
