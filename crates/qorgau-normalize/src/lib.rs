//! Obfuscation-aware text normalisation for Qorgau.
//!
//! Recruitment spam hides words and contacts from filters with look-alike
//! letters, invisible characters, spaced or spelled-out digits and similar
//! tricks. [`normalize`] undoes them and keeps, for every normalised byte,
//! the byte range of the original input it came from, so a detection on the
//! normalised text can highlight the original words
//! ([`Normalized::original_range`]).
//!
//! Steps, in order: Unicode NFKC and invisible-character removal
//! (`unicode`), emoji digits (`keycap`), letter-spaced words
//! (`spaced`), homoglyphs (`homoglyph`), digit words (`numwords`),
//! separated digits (`digits`), spelled-out e-mail separators
//! (`email`) and leetspeak (`leet`). No case folding is done.

use std::ops::Range;

mod digits;
mod email;
mod homoglyph;
mod keycap;
mod leet;
mod numwords;
mod piece;
mod spaced;
mod unicode;

/// Normalised text with a map back to the original input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For every byte of `text`: the original byte range of its character.
    map: Vec<(usize, usize)>,
    input_len: usize,
}

impl Normalized {
    /// Original byte range (in the input) that produced normalised byte range
    /// `range`. Out-of-bounds ranges are clamped and non-char-boundary ends
    /// are widened to whole characters; never panics. An empty range maps to
    /// an empty range at the corresponding original position.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        let mut start = range.start.min(len);
        let mut end = range.end.min(len).max(start);
        while start > 0 && !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while end < len && !self.text.is_char_boundary(end) {
            end += 1;
        }
        let at = |i: usize| self.map.get(i).map_or(self.input_len, |m| m.0);
        if start == end {
            let p = at(start);
            return p..p;
        }
        let s = at(start);
        let e = self.map[start..end].iter().map(|m| m.1).max().unwrap_or(s);
        s..e.max(s)
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Normalises `input`; see the crate documentation for the steps.
pub fn normalize(input: &str) -> Normalized {
    let p = unicode::apply(input);
    let p = keycap::apply(p);
    let p = spaced::apply(p);
    let p = homoglyph::apply(p);
    let p = numwords::apply(p);
    let p = digits::apply(p);
    let p = email::apply(p);
    let p = leet::apply(p);
    let mut text = String::with_capacity(p.len());
    let mut map = Vec::with_capacity(p.len());
    for piece in p {
        text.push(piece.ch);
        for _ in 0..piece.ch.len_utf8() {
            map.push((piece.start, piece.end));
        }
    }
    Normalized {
        text,
        map,
        input_len: input.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_maps_back_to_original_word() {
        let input = "Нaбuрaю девушек";
        let n = normalize(input);
        assert_eq!(n.as_str(), "Набираю девушек");
        let pos = n.text.find("Набираю").unwrap_or(usize::MAX);
        assert_eq!(pos, 0);
        let r = n.original_range(pos..pos + "Набираю".len());
        assert_eq!(&input[r], "Нaбuрaю");
    }

    #[test]
    fn full_pipeline() {
        let n = normalize(
            "Р\u{200B}аб\u{200B}ота! звони восемь семь ноль один два три четыре, job.dubai собака gmail точка com",
        );
        assert_eq!(n.as_str(), "Работа! звони 8701234, job.dubai@gmail.com");
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)]
    fn empty_and_out_of_bounds_ranges() {
        let n = normalize("аб\u{200B}");
        assert_eq!(n.original_range(0..0), 0..0);
        assert_eq!(n.original_range(4..4), 7..7);
        assert_eq!(n.original_range(1..3), 0..4);
        assert_eq!(n.original_range(10..2), 7..7);
    }
}
