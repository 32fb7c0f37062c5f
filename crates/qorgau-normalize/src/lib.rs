//! Obfuscation-aware text normalisation for Qorgau.
//!
//! Recruitment spam hides words and contacts from filters with look-alike
//! letters, invisible characters, spaced or spelled-out digits and similar
//! tricks. [`normalize`] undoes them and keeps a map from the normalised
//! text back to the byte ranges of the original input, so a detection on the
//! normalised text can highlight the original words
//! ([`Normalized::original_range`]).
//!
//! Steps, in order: Unicode NFKC and invisible-character removal
//! (`unicode`), emoji digits (`keycap`), letter-spaced words (`spaced`),
//! homoglyphs and small capitals (`homoglyph`), digit words in Russian,
//! Kazakh, Kyrgyz, Uzbek and English (`numwords`), zero look-alikes inside
//! numbers and separated digits (`digits`), spelled-out e-mail separators
//! (`email`) and leetspeak (`leet`). No case folding is done.
//!
//! Speed: most text needs none of this, so a one-pass scan (`fast`) finds
//! the lines (and, in long paragraphs, the sentences) that some step could
//! change, and only those go through the steps; the rest is copied. The map
//! is a list of segments (`map`), not a pair of offsets per byte. A property
//! test checks that the result equals running the steps over the whole text
//! ([`normalize_reference`]).
//!
//! [`strip_invisible`] is the light mode for case- and digit-sensitive
//! identifiers; [`normalize_selected`] normalises only the lines a caller
//! selects, and [`Document`] only a part of a document (with the script
//! context of the whole). For callers with a fast path of their own, the
//! verdict of this crate's fast path on one line ([`line_info`]) and the
//! word lists behind it ([`is_stable_char`], [`number_words`],
//! [`email_marker_words`]) are public.

use std::ops::Range;

mod digits;
mod email;
mod fast;
mod homoglyph;
mod keycap;
mod leet;
mod map;
mod numwords;
mod piece;
mod spaced;
mod unicode;

pub use homoglyph::latin_to_cyrillic;

use homoglyph::Context;
use map::{Builder, Map};
use piece::Piece;

/// Normalised text with a map back to the original input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    map: Map,
}

impl Normalized {
    /// Original byte range (in the input) that produced normalised byte range
    /// `range`. Out-of-bounds ranges are clamped and non-char-boundary ends
    /// are widened to whole characters; never panics. An empty range maps to
    /// an empty range at the corresponding original position.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        self.map.original_range(&self.text, range)
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the text is the input unchanged, so that offsets need no
    /// mapping at all.
    pub fn is_identity(&self) -> bool {
        self.map.is_identity(self.text.len())
    }
}

/// The step pipeline over one piece of text (a whole document or a chunk of
/// lines), with the document's script context (asked for only when a
/// word needs it).
fn pipeline(input: &str, context: &dyn Fn() -> Context) -> Vec<Piece> {
    let p = unicode::apply(input);
    let p = keycap::apply(p);
    let p = spaced::apply(p);
    let p = homoglyph::apply(p, context);
    let p = numwords::apply(p);
    let p = digits::apply(p);
    let p = email::apply(p);
    leet::apply(p)
}

/// The pipeline for a line that only the digit step changes (see
/// `fast::LineInfo::digits_only`): the fast path found no character the
/// Unicode step changes and nothing for the keycap, letter-spacing,
/// look-alike and number-word steps, which run before the digit step and
/// so see the line as written. Chat and page lines with a phone or a card
/// number written in groups are most of the dirty lines; this spares them
/// four steps and the script context of the document.
fn digits_pipeline(input: &str) -> Vec<Piece> {
    let p = unicode::apply(input);
    let p = digits::apply(p);
    let p = email::apply(p);
    leet::apply(p)
}

/// Lines normalised together: a byte range of whole lines.
struct Group {
    start: usize,
    end: usize,
    /// Non-blank lines in it.
    nonblank: usize,
    /// Whether any line may change.
    dirty: bool,
    /// One line, dirty only through digit groups.
    digits_only: bool,
    /// The last non-blank line.
    last: fast::LineInfo,
}

/// Normalises `input`; see the crate documentation for the steps.
///
/// Lines that no step can change are copied as they are (`fast`); the
/// others, together with any neighbour a step could reach across the line
/// break, go through the step pipeline in chunks. The result is the same as
/// running the pipeline over the whole text.
pub fn normalize(input: &str) -> Normalized {
    normalize_selected(input, |_| true)
}

/// Normalises only the lines `wanted` selects; the other lines only lose
/// their invisible characters (as in [`strip_invisible`]).
///
/// For callers that look for a few kinds of things and can tell cheaply
/// which lines may hold them: identifier extraction needs the full
/// treatment only where digits, number words or spelled-out e-mail
/// separators occur. A line left out is not joined with its neighbours, so
/// a phone number spelled across two lines needs both lines selected.
pub fn normalize_selected(input: &str, wanted: impl Fn(&str) -> bool) -> Normalized {
    normalize_lines(input, wanted, || homoglyph::context_of_str(input))
}

/// A document normalised in parts: [`Document::normalize_selected`] of a
/// range of its lines gives exactly what those lines become when the whole
/// document is normalised, provided no normalisation group reaches across
/// the ends of the range (see [`line_info`]).
///
/// For callers that skip the parts of a document that cannot matter to
/// them. Look-alike letters are read in the script of the whole document,
/// judged once, and only when some part needs it.
#[derive(Debug)]
pub struct Document<'a> {
    text: &'a str,
    context: std::cell::OnceCell<Context>,
}

impl<'a> Document<'a> {
    /// Wraps the whole text of a document.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            context: std::cell::OnceCell::new(),
        }
    }

    /// [`normalize_selected`] of the lines in `range` (byte offsets of the
    /// document, clamped to it and widened to whole characters). Offsets
    /// of the result are relative to the start of the range.
    pub fn normalize_selected(
        &self,
        range: Range<usize>,
        wanted: impl Fn(&str) -> bool,
    ) -> Normalized {
        let doc = self.text;
        let mut start = range.start.min(doc.len());
        let mut end = range.end.min(doc.len()).max(start);
        while !doc.is_char_boundary(start) {
            start -= 1;
        }
        while !doc.is_char_boundary(end) {
            end += 1;
        }
        normalize_lines(&doc[start..end], wanted, || {
            *self.context.get_or_init(|| homoglyph::context_of_str(doc))
        })
    }
}

/// How one line behaves under [`normalize`] on its own and towards its
/// neighbours, for callers that decide which lines they may skip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineInfo {
    /// Some step may change the line.
    pub dirty: bool,
    /// The first (last) token may join the neighbouring line when that one
    /// has `tail_any` (`head_any`) too: a number word, a single letter.
    pub head_any: bool,
    /// See `head_any`.
    pub tail_any: bool,
    /// The first (last) token joins the neighbouring line whatever it holds
    /// (an e-mail marker word, a combining mark).
    pub head_force: bool,
    /// See `head_force`.
    pub tail_force: bool,
}

/// The fast path's verdict on one line (without its `\n`): a line that is
/// not `dirty` comes out of [`normalize`] unchanged unless it is joined with
/// a neighbour, which the other fields decide. Conservative: it may call a
/// line dirty that no step changes, never the reverse.
pub fn line_info(line: &str) -> LineInfo {
    let i = fast::scan_line(line, &mut Vec::new());
    LineInfo {
        dirty: i.dirty,
        head_any: i.head_any,
        tail_any: i.tail_any,
        head_force: i.head_force,
        tail_force: i.tail_force,
    }
}

/// Whether [`normalize`] keeps character `c` as it is wherever it stands
/// (no NFKC change, not invisible, no keycap or emoji digit, no small
/// capital, no combining mark). Zero look-alikes (`O`, `о`) next to digits
/// and look-alike letters mixed into words are judged by the caller.
pub fn is_stable_char(c: char) -> bool {
    c.is_ascii() || fast::char_is_stable(c)
}

/// Whether `word` (lower case) is a number word of the languages
/// [`normalize`] reads (exact spelling, no look-alike letters).
pub fn is_number_word(word: &str) -> bool {
    numwords::is_number_word(word)
}

/// Every number word [`normalize`] reads (lower case), for callers that
/// build their own quick filters over words.
pub fn number_words() -> impl Iterator<Item = &'static str> {
    numwords::words()
}

/// The bare e-mail marker words («собака», «точка», «at», «dot»…, lower
/// case); their bracketed forms are these words in brackets.
pub fn email_marker_words() -> impl Iterator<Item = &'static str> {
    email::DOT_WORDS.iter().chain(email::AT_WORDS).copied()
}

/// What e-mail marker word `word` (lower case) is: `Some((dot, bracketed))`
/// for «собака», «(at)», «точка», «\[dot\]»… For callers that decide which
/// text needs normalising.
pub fn email_marker(word: &str) -> Option<(bool, bool)> {
    email::marker(word, true)
        .map(|b| (true, b))
        .or_else(|| email::marker(word, false).map(|b| (false, b)))
}

/// The line loop of [`normalize_selected`]; `context_of` gives the
/// document's script context when some group needs the pipeline.
fn normalize_lines(
    input: &str,
    wanted: impl Fn(&str) -> bool,
    context_of: impl FnOnce() -> Context,
) -> Normalized {
    let mut out = Builder::with_capacity(input.len());
    // The script context is worked out the first time a word needs it
    // (a word made only of look-alikes, see `homoglyph`): most groups
    // have none, and the context reads the whole document.
    let context_of = std::cell::Cell::new(Some(context_of));
    let context_cell = std::cell::OnceCell::new();
    let context =
        || *context_cell.get_or_init(|| context_of.take().map_or(Context::Unknown, |f| f()));
    // Token scratch of the line scan, big enough for most lines.
    let mut toks = Vec::with_capacity(64);
    // The current group of lines to normalise together.
    let mut group: Option<Group> = None;
    // Start of the blank lines after the last non-blank line.
    let mut blanks: Option<usize> = None;

    let flush = |out: &mut Builder, g: &Group| {
        if g.dirty && g.nonblank == 1 && g.digits_only {
            out.push_pieces(input, &digits_pipeline(&input[g.start..g.end]), g.start);
        } else if g.dirty || g.nonblank > 1 {
            out.push_pieces(input, &pipeline(&input[g.start..g.end], &context), g.start);
        } else {
            out.push_exact(&input[g.start..g.end], g.start);
        }
    };

    let mut pos = 0;
    let mut line_end = 0;
    while pos < input.len() {
        if pos >= line_end {
            let end = input[pos..].find('\n').map_or(input.len(), |k| pos + k + 1);
            let line = input[pos..end]
                .strip_suffix('\n')
                .unwrap_or(&input[pos..end]);
            if !wanted(line) {
                if let Some(g) = group.take() {
                    flush(&mut out, &g);
                }
                if let Some(b) = blanks.take() {
                    out.push_exact(&input[b..pos], b);
                }
                push_light(&mut out, &input[pos..end], pos);
                pos = end;
                continue;
            }
            line_end = end;
        }
        let end = fast::segment_end(input, pos, line_end);
        let line = if end == line_end {
            input[pos..end]
                .strip_suffix('\n')
                .unwrap_or(&input[pos..end])
        } else {
            &input[pos..end - 1]
        };
        let info = fast::scan_line(line, &mut toks);
        if info.blank {
            blanks.get_or_insert(pos);
            pos = end;
            continue;
        }
        match group.take() {
            Some(mut g) if fast::must_join(&g.last, &info) => {
                g.end = end;
                g.nonblank += 1;
                g.dirty |= info.dirty;
                g.digits_only = false;
                g.last = info;
                group = Some(g);
            }
            previous => {
                if let Some(g) = previous {
                    flush(&mut out, &g);
                }
                // A line that may reach back (a combining mark, a marker
                // word) takes the blank lines before it along.
                let start = match blanks {
                    Some(b) if info.head_force => b,
                    Some(b) => {
                        out.push_exact(&input[b..pos], b);
                        pos
                    }
                    None => pos,
                };
                group = Some(Group {
                    start,
                    end,
                    nonblank: 1,
                    dirty: info.dirty,
                    digits_only: info.digits_only,
                    last: info,
                });
            }
        }
        blanks = None;
        pos = end;
    }
    if let Some(g) = group {
        flush(&mut out, &g);
    }
    if let Some(b) = blanks {
        out.push_exact(&input[b..], b);
    }
    let (text, map) = out.finish(input.len());
    Normalized { text, map }
}

/// Removes invisible characters (zero-width spaces and joiners, soft
/// hyphens, bidi controls, variation selectors…) and nothing else.
///
/// Checksummed identifiers (wallet addresses, card numbers, IBANs) are case-
/// and digit-sensitive, so the look-alike and leetspeak rules of
/// [`normalize`] could corrupt them; but a zero-width space inside an address
/// is still an address. This light mode keeps every visible character as
/// written, with the same kind of map back to the input.
pub fn strip_invisible(input: &str) -> Normalized {
    let mut out = Builder::with_capacity(input.len());
    push_light(&mut out, input, 0);
    let (text, map) = out.finish(input.len());
    Normalized { text, map }
}

/// Appends `s` (the input's bytes from `at`) without invisible characters.
fn push_light(out: &mut Builder, s: &str, at: usize) {
    // Lead bytes of the invisible characters (U+00AD, U+034F, U+061C,
    // U+115F.., U+180B.., U+200B.., U+3164, U+FE00.., U+FEFF, U+FFA0,
    // U+E0000..): text without any of them is copied as it is.
    if !s
        .bytes()
        .any(|b| matches!(b, 0xC2 | 0xCD | 0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF3))
    {
        out.push_exact(s, at);
        return;
    }
    let mut run_start = 0;
    for (i, c) in s.char_indices() {
        if !c.is_ascii() && unicode::is_invisible(c) {
            out.push_exact(&s[run_start..i], at + run_start);
            run_start = i + c.len_utf8();
        }
    }
    out.push_exact(&s[run_start..], at + run_start);
}

/// Cheap test whether `word` (any case, look-alike letters allowed) may be
/// a number word of the languages [`normalize`] reads: for callers that
/// decide which text needs normalising.
pub fn may_be_number_word(word: &str) -> bool {
    numwords::may_be_number_word(word)
}

/// The pipeline over the whole text at once, without the fast path: the
/// reference that [`normalize`] must equal.
#[doc(hidden)]
pub fn normalize_reference(input: &str) -> Normalized {
    let mut out = Builder::with_capacity(input.len());
    let context = homoglyph::context_of_str(input);
    for p in pipeline(input, &|| context) {
        out.push_piece(input, p);
    }
    let (text, map) = out.finish(input.len());
    Normalized { text, map }
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
