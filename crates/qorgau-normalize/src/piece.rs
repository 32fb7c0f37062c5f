//! The working representation shared by all steps: one normalised `char`
//! together with the byte range of the original input that produced it.
//!
//! Every step maps `Vec<Piece> -> Vec<Piece>`. A step that replaces a span
//! of pieces gives each new piece a range inside the union of the replaced
//! ranges, in order, so the ranges stay non-decreasing and the maps compose
//! automatically.

use std::ops::Range;

/// One normalised character and the original byte range it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub ch: char,
    pub start: usize,
    pub end: usize,
}

impl Piece {
    pub(crate) fn new(ch: char, start: usize, end: usize) -> Self {
        Self { ch, start, end }
    }
}

/// One piece per input char, each mapped to its own bytes.
#[cfg(test)]
pub(crate) fn from_str(s: &str) -> Vec<Piece> {
    s.char_indices()
        .map(|(i, c)| Piece::new(c, i, i + c.len_utf8()))
        .collect()
}

#[cfg(test)]
pub(crate) fn to_string(p: &[Piece]) -> String {
    p.iter().map(|p| p.ch).collect()
}

/// Original range covered by a non-empty slice of pieces.
pub(crate) fn span(p: &[Piece]) -> (usize, usize) {
    match (p.first(), p.last()) {
        (Some(a), Some(b)) => (a.start, b.end.max(a.start)),
        _ => (0, 0),
    }
}

/// `c.is_whitespace()`, answered without the Unicode table for ASCII and
/// Cyrillic (every step splits its text into tokens with it).
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
    } else if matches!(c, '\u{0400}'..='\u{052F}') {
        false
    } else {
        c.is_whitespace()
    }
}

/// Index ranges of whitespace-separated tokens.
pub(crate) fn tokens(p: &[Piece]) -> Vec<Range<usize>> {
    // Words average more than five characters with their space: one
    // allocation for most texts instead of growing from nothing.
    let mut out = Vec::with_capacity(p.len() / 6 + 2);
    let mut i = 0;
    while i < p.len() {
        if is_space(p[i].ch) {
            i += 1;
            continue;
        }
        let s = i;
        while i < p.len() && !is_space(p[i].ch) {
            i += 1;
        }
        out.push(s..i);
    }
    out
}

/// Replaces index ranges of `pieces` by new pieces. Replacements must be
/// sorted and non-overlapping; invalid ones are skipped rather than panicking.
pub(crate) fn splice(pieces: Vec<Piece>, reps: Vec<(Range<usize>, Vec<Piece>)>) -> Vec<Piece> {
    if reps.is_empty() {
        return pieces;
    }
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    for (r, new) in reps {
        if r.start < i || r.end > pieces.len() || r.start > r.end {
            continue;
        }
        out.extend_from_slice(&pieces[i..r.start]);
        out.extend(new);
        i = r.end;
    }
    out.extend_from_slice(&pieces[i..]);
    out
}

/// `c.is_alphabetic()`, answered without the Unicode table for ASCII and
/// Cyrillic, which is nearly all the text this crate sees.
#[inline]
pub(crate) fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    match c {
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => true,
        '\u{0482}'..='\u{0489}' => false,
        _ => c.is_alphabetic(),
    }
}

/// Lower case of one character when it is a single character, fast for
/// ASCII and the basic Cyrillic capitals.
#[inline]
pub(crate) fn lower_char(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        _ if c.is_ascii() => Some(c),
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20),
        '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50),
        '\u{0430}'..='\u{045F}' => Some(c),
        _ => {
            let mut l = c.to_lowercase();
            let first = l.next()?;
            l.next().is_none().then_some(first)
        }
    }
}

/// Cyrillic block letters (including Kazakh and other extensions).
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}

/// Latin letters (basic and extended).
pub(crate) fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || (matches!(c, '\u{00C0}'..='\u{024F}') && c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_and_keeps_rest() {
        let p = from_str("abcd");
        let out = splice(p, vec![(1..3, vec![Piece::new('X', 1, 3)])]);
        assert_eq!(to_string(&out), "aXd");
        assert_eq!(out[1], Piece::new('X', 1, 3));
    }

    #[test]
    fn fast_letter_tests_agree_with_unicode() {
        for n in 0..0x3000u32 {
            if let Some(c) = char::from_u32(n) {
                assert_eq!(is_alpha(c), c.is_alphabetic(), "{n:x}");
                let std: Vec<char> = c.to_lowercase().collect();
                if std.len() == 1 {
                    assert_eq!(lower_char(c), Some(std[0]), "{n:x}");
                } else {
                    assert_eq!(lower_char(c), None, "{n:x}");
                }
            }
        }
    }

    #[test]
    fn fast_space_test_is_unicode_whitespace() {
        for n in 0..0x11_0000u32 {
            if let Some(c) = char::from_u32(n) {
                assert_eq!(is_space(c), c.is_whitespace(), "{n:x}");
            }
        }
    }

    #[test]
    fn tokens_split_on_whitespace() {
        let p = from_str(" ab  c ");
        assert_eq!(tokens(&p), vec![1..3, 5..6]);
    }
}
