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
