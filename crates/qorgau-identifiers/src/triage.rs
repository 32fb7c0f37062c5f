//! The fast path of extraction: which lines of a document can matter.
//!
//! Chat exports and web pages are mostly lines that hold no identifier and
//! that normalisation leaves as they are. Normalising them and running
//! every scanner over them costs far more than one look at their bytes, so
//! [`windows`] classifies each line in a single pass and returns the byte
//! ranges (whole lines) that need the full treatment: every *hot* line, with
//! a neighbour when normalisation could join the two. Extraction over these
//! windows gives exactly what extraction over the whole document gives
//! (`tests/fast_path.rs` holds the two together on random text):
//!
//! - A line is not hot when no scanner can start anything in it (no `@`,
//!   no `.` before a letter, no digit chain of nine digits or of seven in
//!   two or more groups once dates are cut out, no `KZ` and two digits, no
//!   run of fourteen letters and digits, no platform word other than «тг»
//!   after a number, no run of twelve BIP-39 words) and normalisation copies
//!   it unchanged (no character it changes or removes, except the
//!   presentation selector or joiner of an emoji and «№» before a number;
//!   no word mixing Latin and Cyrillic, no run of number words, no e-mail
//!   marker that may fire, no letter-spaced word, no leetspeak, no zero
//!   look-alike next to a digit). Every test errs towards "hot"; a unit test
//!   checks the verdict against `qorgau_normalize::line_info`.
//! - Join flags: a line that is not hot still notes whether its first or
//!   last word may join the neighbour's (number word, single letter) or a
//!   seed phrase may run across; two such edges meet → both lines are read.
//!   A hot line takes its neighbour along when its edge token may be joined
//!   (`may_join`).
//! - The scanners look back across a line break only after a colon
//!   (`Telegram:\n@name`); a window whose first line follows a line ending
//!   with a colon is widened upwards.
//! - What depends on the whole document (the script context of look-alike
//!   letters, the country hints for national phone formats) is taken from
//!   the whole document by the caller.

use std::ops::Range;

use crate::bip39::Wordlist;
use crate::handles::Triggers;
use crate::phone;
use crate::text::{is_alpha, is_space, pair_bit};

/// The classifier as it was before its byte-level fast paths, for tests.
#[cfg(test)]
#[path = "triage_reference.rs"]
mod reference;

/// What one line means to its neighbours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Mark {
    /// Something in the line itself needs the full treatment.
    hot: bool,
    /// The first/last token may join a neighbour's (number word, single
    /// letter), see `qorgau_normalize::LineInfo`.
    head_any: bool,
    tail_any: bool,
    /// BIP-39 words (or only separators) reach the start/end of the line,
    /// so a seed phrase may run on from/into the neighbour.
    seed_head: bool,
    seed_tail: bool,
    /// The line ends with a colon (after trailing spaces).
    colon_end: bool,
}

/// Lookups the classifier needs, owned by the extractor.
pub(crate) struct Tables<'a> {
    pub words: &'a Wordlist,
    pub triggers: &'a Triggers,
    pub starts: &'a WordStarts,
}

/// The first two letters (lower case, Cyrillic look-alikes read as Latin)
/// of every number word, e-mail marker word and platform word: one look
/// tells that an ordinary word is none of them, and which of the three
/// kinds it may be (so that a word that may only be a number word is not
/// also lower-cased and compared as a marker or a platform word).
///
/// Two tables per kind: `canonical` holds bits of `text::pair_bit` of those
/// pairs; `raw` holds bits of the UTF-8 bytes of every spelling of them in
/// one- and two-byte characters (every case, every look-alike), so that
/// most words are judged on their first bytes without decoding.
#[derive(Debug)]
pub(crate) struct WordStarts {
    kinds: [PairTable; 3],
    /// By [`raw_key`]: the kinds whose `raw` table holds the key (one
    /// load instead of three).
    raw_kinds: Vec<u8>,
    /// By [`raw3_key`]: the kinds one of whose words has every spelling of
    /// its first three letters (first two and the end, for words of two)
    /// here.
    triple_kinds: Vec<u8>,
    /// `raw_kinds` of every pair of basic Cyrillic letters (U+0400..=U+047F,
    /// lead bytes `0xD0`/`0xD1`), indexed by [`cyr_pair_index`]: the pairs
    /// that start most words, answered from 16 KiB that stay in the cache
    /// instead of a hash into 64 KiB.
    cyr_pairs: Vec<u8>,
    /// `raw_kinds` of every pair of ASCII characters, by `a << 7 | b`.
    ascii_pairs: Vec<u8>,
    /// `raw_kinds` of every pair of two-byte characters with lead bytes
    /// `0xD0..=0xD3` (U+0400..=U+04FF: Russian and Kazakh letters), by
    /// [`lead_pair_index`]: whether a word is no special word at all, in
    /// one load, for the Kazakh letters too (64 KiB).
    lead_pairs: Vec<u8>,
    /// For the basic Cyrillic pairs (by [`cyr_pair_index`]): 0 for the
    /// pairs of no kind, else 1 + their row in `cyr_thirds` ([`NO_ROW`]:
    /// no row, the general path).
    cyr_rows: Vec<u16>,
    /// Rows of [`THIRDS`] bytes: what [`WordStarts::confirm`] answers for
    /// the pair followed by each basic Cyrillic letter (by its code, see
    /// [`cyr_pair_index`]), and at the end of the word (last byte).
    cyr_thirds: Vec<u8>,
}

/// Width of a row of [`WordStarts::cyr_thirds`].
const THIRDS: usize = 129;

/// [`WordStarts::cyr_rows`] of a pair of some kind without a row.
const NO_ROW: u16 = u16::MAX;

/// Index into [`WordStarts::cyr_pairs`] of two basic Cyrillic letters whose
/// UTF-8 sequences are `a0 a1` and `b0 b1` (lead bytes `0xD0`/`0xD1`).
#[inline]
fn cyr_pair_index(a0: u8, a1: u8, b0: u8, b1: u8) -> usize {
    let code = |lead: u8, cont: u8| (usize::from(lead & 1) << 6) | usize::from(cont & 0x3F);
    (code(a0, a1) << 7) | code(b0, b1)
}

/// Index into [`WordStarts::lead_pairs`] of two characters of
/// U+0400..=U+04FF whose UTF-8 sequences are `a0 a1` and `b0 b1`.
#[inline]
fn lead_pair_index(a0: u8, a1: u8, b0: u8, b1: u8) -> usize {
    let code = |lead: u8, cont: u8| (usize::from(lead & 3) << 6) | usize::from(cont & 0x3F);
    (code(a0, a1) << 8) | code(b0, b1)
}

/// The pair tables of one kind of word.
#[derive(Debug)]
struct PairTable {
    canonical: [u64; 64],
    raw: Vec<u64>,
}

/// Kinds of special words, as bits of [`WordStarts::may_hold`].
pub(crate) const NUMBER_WORD: u8 = 1;
pub(crate) const MARKER_WORD: u8 = 2;
pub(crate) const PLATFORM_WORD: u8 = 4;

/// Bits of the `raw` table.
const RAW_BITS: u32 = 16;

/// Key of the UTF-8 bytes of a word's first two characters (two to four
/// bytes), when both are one or two bytes long.
#[inline]
fn raw_key(b: &[u8], start: usize, second: usize, second_end: usize) -> Option<usize> {
    if second - start > 2 || second_end - second > 2 {
        return None;
    }
    let mut k: u32 = 0;
    for &x in &b[start..second_end] {
        k = (k << 8) | u32::from(x);
    }
    // The length of the first character tells `ab` from `a` + `b…`.
    k ^= ((second - start) as u32) << 31;
    Some((k.wrapping_mul(0x9E37_79B1) >> (32 - RAW_BITS)) as usize)
}

/// Key of the UTF-8 bytes of the characters at `a`, `b` and `c` of `w`
/// (`c == w.len()`: the word has two characters), when each is one or two
/// bytes long.
#[inline]
fn raw3_key(w: &[u8], a: usize, b: usize, c: usize) -> Option<usize> {
    let len = |k: usize| w.get(k).map_or(0, |&x| utf8_len(x));
    let (la, lb, lc) = (len(a), len(b), len(c));
    if la > 2 || lb > 2 || lc > 2 || b != a + la || (c < w.len() && c != b + lb) {
        return None;
    }
    let mut k: u64 = 0;
    for &x in &w[a..c + lc] {
        k = (k << 8) | u64::from(x);
    }
    k ^= ((la as u64) << 62) ^ ((lb as u64) << 60) ^ ((lc as u64) << 58);
    Some((k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RAW_BITS)) as usize)
}

/// Length of the UTF-8 sequence that lead byte `x` starts.
#[inline]
fn utf8_len(x: u8) -> usize {
    match x {
        0..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

impl PairTable {
    fn new(words: &[String], spellings: &std::collections::HashMap<char, Vec<char>>) -> Self {
        let mut canonical = [0u64; 64];
        let mut pairs = std::collections::HashSet::new();
        for w in words {
            let mut ch = w.chars();
            let (a, b) = (ch.next(), ch.next());
            if let Some(bit) = pair_bit(a, b) {
                canonical[bit / 64] |= 1 << (bit % 64);
            }
            if let (Some(a), Some(b)) = (a, b) {
                pairs.insert((crate::text::canon(a), crate::text::canon(b)));
            }
        }
        let mut raw = vec![0u64; 1 << (RAW_BITS - 6)];
        let mut buf = [0u8; 8];
        for (a, b) in pairs {
            for &x in spellings.get(&a).map_or(&[][..], Vec::as_slice) {
                for &y in spellings.get(&b).map_or(&[][..], Vec::as_slice) {
                    let la = x.encode_utf8(&mut buf).len();
                    let lb = y.encode_utf8(&mut buf[la..]).len();
                    if let Some(bit) = raw_key(&buf, 0, la, la + lb) {
                        raw[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
        Self { canonical, raw }
    }
}

/// Bits of [`raw3_key`] of every one- and two-byte spelling of the first
/// three letters of each of `words` (of the first two and the end, for a
/// word of two letters).
fn triples(words: &[String], spellings: &std::collections::HashMap<char, Vec<char>>) -> Vec<u64> {
    let mut bits = vec![0u64; 1 << (RAW_BITS - 6)];
    let mut buf = [0u8; 8];
    let end: [char; 1] = ['\0'];
    let spell = |c: char| spellings.get(&c).map_or(&[][..], Vec::as_slice);
    for w in words {
        let ch: Vec<char> = w.chars().take(3).map(crate::text::canon).collect();
        let (Some(&a), Some(&b)) = (ch.first(), ch.get(1)) else {
            continue;
        };
        let third = ch.get(2).map_or(&end[..], |&c| spell(c));
        for &x in spell(a) {
            for &y in spell(b) {
                for &z in third {
                    let la = x.encode_utf8(&mut buf).len();
                    let lb = y.encode_utf8(&mut buf[la..]).len();
                    let lc = if z == '\0' {
                        0
                    } else {
                        z.encode_utf8(&mut buf[la + lb..]).len()
                    };
                    if let Some(bit) = raw3_key(&buf[..la + lb + lc], 0, la, la + lb) {
                        bits[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
    }
    bits
}

impl WordStarts {
    /// The tables, built on first use: they depend only on the word lists
    /// (`triggers` is always `Triggers::new()`), and building them costs
    /// more than many documents' extraction.
    pub(crate) fn shared(triggers: &Triggers) -> &'static Self {
        static SHARED: std::sync::OnceLock<WordStarts> = std::sync::OnceLock::new();
        SHARED.get_or_init(|| Self::new(triggers))
    }

    pub(crate) fn new(triggers: &Triggers) -> Self {
        let numbers: Vec<String> = qorgau_normalize::number_words()
            .map(str::to_owned)
            .collect();
        let markers: Vec<String> = qorgau_normalize::email_marker_words()
            .map(str::to_owned)
            .collect();
        let platforms: Vec<String> = triggers
            .words()
            .chain(std::iter::once("tok".to_owned()))
            .collect();
        // Every one- and two-byte character, by what it reads as.
        let mut spellings: std::collections::HashMap<char, Vec<char>> = Default::default();
        for c in (0u32..0x800).filter_map(char::from_u32) {
            spellings.entry(crate::text::canon(c)).or_default().push(c);
        }
        let kinds = [&numbers, &markers, &platforms].map(|words| PairTable::new(words, &spellings));
        let triples = [&numbers, &markers, &platforms].map(|words| triples(words, &spellings));
        let by_kind = |tables: [&Vec<u64>; 3]| -> Vec<u8> {
            (0..1usize << RAW_BITS)
                .map(|bit| {
                    (0..3)
                        .filter(|&k| tables[k][bit / 64] & (1 << (bit % 64)) != 0)
                        .fold(0u8, |m, k| m | (1 << k))
                })
                .collect()
        };
        let raw_kinds = by_kind([&kinds[0].raw, &kinds[1].raw, &kinds[2].raw]);
        let triple_kinds = by_kind([&triples[0], &triples[1], &triples[2]]);
        // The same answers as `raw_kinds`, for the commonest pairs.
        let mut cyr_pairs = vec![0u8; 1 << 14];
        let mut ascii_pairs = vec![0u8; 1 << 14];
        let mut lead_pairs = vec![0u8; 1 << 16];
        let mut buf = [0u8; 8];
        // Pairs of U+0400..=U+04FF: all of them for `lead_pairs`, the basic
        // block (U+0400..=U+047F) for `cyr_pairs` too.
        for x in 0u32..256 {
            for y in 0u32..256 {
                let (Some(a), Some(b)) = (char::from_u32(0x400 + x), char::from_u32(0x400 + y))
                else {
                    continue;
                };
                a.encode_utf8(&mut buf);
                b.encode_utf8(&mut buf[2..]);
                if let Some(bit) = raw_key(&buf, 0, 2, 4) {
                    let kind = raw_kinds.get(bit).copied().unwrap_or(0);
                    lead_pairs[lead_pair_index(buf[0], buf[1], buf[2], buf[3])] = kind;
                    if x < 128 && y < 128 {
                        cyr_pairs[cyr_pair_index(buf[0], buf[1], buf[2], buf[3])] = kind;
                    }
                }
            }
        }
        for x in 0u8..128 {
            for y in 0u8..128 {
                if let Some(bit) = raw_key(&[x, y], 0, 1, 2) {
                    ascii_pairs[usize::from(x) << 7 | usize::from(y)] =
                        raw_kinds.get(bit).copied().unwrap_or(0);
                }
            }
        }
        let mut starts = Self {
            kinds,
            raw_kinds,
            triple_kinds,
            cyr_pairs,
            ascii_pairs,
            lead_pairs,
            cyr_rows: vec![0u16; 1 << 14],
            cyr_thirds: Vec::new(),
        };
        // Rows of third letters for the pairs that are some kind.
        let mut word = [0u8; 6];
        for p in 0..1usize << 14 {
            let kinds = starts.cyr_pairs[p];
            if kinds == 0 {
                continue;
            }
            let lead = |code: usize| 0xD0 | ((code >> 6) as u8 & 1);
            let cont = |code: usize| 0x80 | (code as u8 & 0x3F);
            let (a, b) = (p >> 7, p & 0x7F);
            word[..4].copy_from_slice(&[lead(a), cont(a), lead(b), cont(b)]);
            let mut row = [0u8; THIRDS];
            for (c, slot) in row.iter_mut().enumerate().take(128) {
                word[4] = lead(c);
                word[5] = cont(c);
                *slot = starts.confirm(kinds, &word, 2);
            }
            row[128] = starts.confirm(kinds, &word[..4], 2);
            let n = match u16::try_from(starts.cyr_thirds.len() / THIRDS + 1) {
                Ok(n) if n < NO_ROW => n,
                // More rows than fit: the pair keeps the general path.
                _ => {
                    starts.cyr_rows[p] = NO_ROW;
                    continue;
                }
            };
            starts.cyr_rows[p] = n;
            starts.cyr_thirds.extend_from_slice(&row);
        }
        starts
    }

    /// [`WordStarts::confirm`] of [`WordStarts::may_hold`] for the word
    /// `line[start..end]` of two or more characters, the second at
    /// `second`: the answer for words that start with three basic Cyrillic
    /// letters (or are two of them) comes from the small tables.
    #[inline]
    fn kinds_of(&self, line: &str, start: usize, second: usize, end: usize) -> u8 {
        let b = line.as_bytes();
        if let (Some(&a0), Some(&a1), Some(&b0), Some(&b1)) = (
            b.get(start),
            b.get(start + 1),
            b.get(second),
            b.get(second + 1),
        ) && a0 & 0xFE == 0xD0
            && b0 & 0xFE == 0xD0
        {
            let p = cyr_pair_index(a0, a1, b0, b1);
            let row = self.cyr_rows.get(p).copied().unwrap_or(NO_ROW);
            if row == 0 {
                // No kind at all.
                return 0;
            }
            if row != NO_ROW {
                let row = usize::from(row);
                let third = second + 2;
                let at = (row - 1) * THIRDS;
                if third == end {
                    return self.cyr_thirds.get(at + 128).copied().unwrap_or(0);
                }
                if let (Some(&c0), Some(&c1)) = (b.get(third), b.get(third + 1))
                    && c0 & 0xFE == 0xD0
                {
                    let code = (usize::from(c0 & 1) << 6) | usize::from(c1 & 0x3F);
                    return self.cyr_thirds.get(at + code).copied().unwrap_or(0);
                }
            }
        }
        let kinds = self.may_hold(line, start, Some(second));
        self.confirm(kinds, &b[start..end], second - start)
    }

    /// Which kinds of special word (bits [`NUMBER_WORD`], [`MARKER_WORD`],
    /// [`PLATFORM_WORD`]) the word `line[start..]`, whose second character
    /// starts at `second` (`None`: a one-letter word), may be.
    #[inline]
    fn may_hold(&self, line: &str, start: usize, second: Option<usize>) -> u8 {
        let Some(second) = second else {
            return 0;
        };
        let b = line.as_bytes();
        // The commonest pairs from small direct tables (the same answers
        // as the hashed one, see `new`).
        match (
            b.get(start),
            b.get(start + 1),
            b.get(second),
            b.get(second + 1),
        ) {
            (Some(&a0), Some(&a1), Some(&b0), Some(&b1))
                if a0 & 0xFE == 0xD0 && b0 & 0xFE == 0xD0 =>
            {
                return self
                    .cyr_pairs
                    .get(cyr_pair_index(a0, a1, b0, b1))
                    .copied()
                    .unwrap_or(0);
            }
            (Some(&a0), _, Some(&b0), _) if a0 < 0x80 && b0 < 0x80 => {
                return self
                    .ascii_pairs
                    .get(usize::from(a0) << 7 | usize::from(b0))
                    .copied()
                    .unwrap_or(0);
            }
            _ => {}
        }
        let second_end = second + b.get(second).map_or(1, |&x| utf8_len(x));
        let mut kinds = 0;
        match raw_key(b, start, second, second_end) {
            Some(bit) => kinds = self.raw_kinds.get(bit).copied().unwrap_or(0),
            None => {
                let mut ch = line[start..].chars();
                if let Some(bit) = pair_bit(ch.next(), ch.next()) {
                    for (k, t) in self.kinds.iter().enumerate() {
                        if t.canonical[bit / 64] & (1 << (bit % 64)) != 0 {
                            kinds |= 1 << k;
                        }
                    }
                }
            }
        }
        kinds
    }

    /// Which of the `kinds` the word `w` (its second character at
    /// `second`) may still be after its first three letters: a kind is
    /// dropped only when the word is none of its words (spellings in
    /// characters of three or more bytes keep every kind).
    #[inline]
    fn confirm(&self, kinds: u8, w: &[u8], second: usize) -> u8 {
        if kinds == 0 {
            return 0;
        }
        let third = second + w.get(second).map_or(1, |&x| utf8_len(x));
        let Some(bit) = raw3_key(w, 0, second, third) else {
            return kinds;
        };
        kinds & self.triple_kinds.get(bit).copied().unwrap_or(0)
    }

    /// Whether the word may be any of the special words (the test of the
    /// reference classifier).
    #[cfg(test)]
    pub(crate) fn may_hold_any(&self, line: &str, start: usize, second: Option<usize>) -> bool {
        self.may_hold(line, start, second) != 0
    }
}

/// Windows fewer bytes apart than this are merged (any union of windows
/// that starts and ends where a window does is a valid window).
const MERGE_GAP: usize = 64;

/// Byte ranges of whole lines of `doc` that need extraction, in order,
/// disjoint and not touching each other.
pub(crate) fn windows(doc: &str, tables: &Tables<'_>) -> Vec<Range<usize>> {
    windows_unless_dense(doc, tables, false).unwrap_or_default()
}

/// [`windows`], or `None` (with `stop_dense`) as soon as the hot lines
/// alone make up [`DENSE`] of the document: every hot line lies in a
/// window and windows do not overlap, so the windows would cover at least
/// as much, and the caller reads such a document whole anyway. Spares the
/// rest of the triage on ads dense with contacts.
pub(crate) fn windows_unless_dense(
    doc: &str,
    tables: &Tables<'_>,
    stop_dense: bool,
) -> Option<Vec<Range<usize>>> {
    // One allocation for the usual lines of chats and pages.
    let mut lines: Vec<(Range<usize>, Mark)> = Vec::with_capacity(doc.len() / 48 + 2);
    // Digit groups of a chain: at most 12 (see `phone::chain_into`).
    let mut scratch = Vec::with_capacity(16);
    let mut hot_bytes = 0;
    let mut pos = 0;
    while pos < doc.len() {
        let end = memchr::memchr(b'\n', &doc.as_bytes()[pos..]).map_or(doc.len(), |k| pos + k + 1);
        let line = doc[pos..end].strip_suffix('\n').unwrap_or(&doc[pos..end]);
        let m = classify(line, tables, &mut scratch);
        if stop_dense && m.hot {
            hot_bytes += end - pos;
            if is_dense(hot_bytes, doc.len()) {
                return None;
            }
        }
        lines.push((pos..end, m));
        pos = end;
    }
    // A document that ends with '\n' has an empty last line after it.
    if doc.is_empty() || doc.ends_with('\n') {
        lines.push((doc.len()..doc.len(), classify("", tables, &mut scratch)));
    }
    let n = lines.len();
    let mark = |i: usize| lines[i].1;
    let text = |i: usize| {
        let r = lines[i].0.clone();
        let l = &doc[r];
        l.strip_suffix('\n').unwrap_or(l)
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    for i in 0..n {
        let m = mark(i);
        let prev = i.checked_sub(1).map(mark);
        let next = (i + 1 < n).then(|| mark(i + 1));
        let joins_prev =
            prev.is_some_and(|p| (p.tail_any && m.head_any) || (p.seed_tail && m.seed_head));
        let joins_next =
            next.is_some_and(|q| (m.tail_any && q.head_any) || (m.seed_tail && q.seed_head));
        if !(m.hot || joins_prev || joins_next) {
            continue;
        }
        // A hot line takes a neighbour along when normalisation may join
        // them (its first/last token may be a number word, a single
        // letter, an e-mail marker, or be changed into one).
        let mut first = i;
        let mut last = i;
        if m.hot {
            if i > 0 && may_join(text(i), true) {
                first = i - 1;
            }
            if i + 1 < n && may_join(text(i), false) {
                last = i + 1;
            }
        }
        // Handles are looked for across a line break after a colon.
        while first > 0 && mark(first - 1).colon_end {
            first -= 1;
        }
        let r = lines[first].0.start..lines[last].0.end;
        // Windows close to each other are read as one: the lines between
        // cost less than a window of their own.
        match out.last_mut() {
            Some(w) if r.start <= w.end + MERGE_GAP => w.end = w.end.max(r.end),
            _ => out.push(r),
        }
    }
    out.retain(|r| !r.is_empty());
    Some(out)
}

/// Share of a document (8/10) from which reading it in parts costs more
/// than reading it whole.
const DENSE: (usize, usize) = (8, 10);

/// Whether windows of `covered` bytes make a document of `len` bytes one
/// to read whole (`covered > 0`: an empty document is not dense).
pub(crate) fn is_dense(covered: usize, len: usize) -> bool {
    covered > 0 && covered * DENSE.1 >= len * DENSE.0
}

/// Whether the first (`head`) or last token of a hot line may be joined
/// with the neighbouring line by normalisation: a single letter, an
/// e-mail marker, a number word at the edge (only spaces, commas and
/// dashes beyond it), or anything normalisation may turn into one (mixed
/// scripts, characters it changes). Conservative.
fn may_join(line: &str, head: bool) -> bool {
    let mut toks = line.split(is_space).filter(|s| !s.is_empty());
    let tok = if head { toks.next() } else { toks.next_back() };
    let Some(tok) = tok else {
        return false;
    };
    let (mut cyr, mut lat, mut chars) = (false, false, 0);
    for c in tok.chars() {
        chars += 1;
        let plain = c.is_ascii()
            || matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}')
            || (!crate::text::is_alnum(c) && qorgau_normalize::is_stable_char(c));
        if !plain {
            return true;
        }
        cyr |= matches!(c, '\u{0400}'..='\u{052F}');
        lat |= c.is_ascii_alphabetic();
    }
    if (cyr && lat) || (chars == 1 && tok.chars().all(is_alpha)) {
        return true;
    }
    let mut buf = [0u8; 64];
    for w in tok.split(|c: char| !is_alpha(c)).filter(|w| !w.is_empty()) {
        if lower(w, &mut buf).is_some_and(|l| qorgau_normalize::email_marker(l).is_some()) {
            return true;
        }
    }
    // The edge word, with only number-word gaps beyond it.
    let gap = |c: char| is_space(c) || c == ',' || c == '-';
    let edge = if head {
        let rest = line.trim_start_matches(gap);
        let end = rest.find(|c: char| !is_alpha(c)).unwrap_or(rest.len());
        &rest[..end]
    } else {
        let rest = line.trim_end_matches(gap);
        let start = rest
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_alpha(c))
            .map_or(0, |(k, c)| k + c.len_utf8());
        &rest[start..]
    };
    !edge.is_empty() && qorgau_normalize::may_be_number_word(edge)
}

/// Lower case of `word` in `buf`, if it fits; fast for ASCII and the
/// basic Cyrillic capitals.
fn lower<'a>(word: &str, buf: &'a mut [u8; 64]) -> Option<&'a str> {
    let mut n = 0;
    let mut put = |c: char, n: &mut usize| {
        let l = c.len_utf8();
        if *n + l > buf.len() {
            return false;
        }
        c.encode_utf8(&mut buf[*n..*n + l]);
        *n += l;
        true
    };
    for c in word.chars() {
        let fast = match c {
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            _ if c.is_ascii() => Some(c),
            '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20),
            '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50),
            '\u{0430}'..='\u{045F}' => Some(c),
            _ => None,
        };
        match fast {
            Some(l) => {
                if !put(l, &mut n) {
                    return None;
                }
            }
            None => {
                for l in c.to_lowercase() {
                    if !put(l, &mut n) {
                        return None;
                    }
                }
            }
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// First letters of the e-mail marker words (`qorgau_normalize::email_marker`).
fn may_be_marker(word: &str) -> bool {
    matches!(
        word.chars().next(),
        Some('a' | 'A' | 'd' | 'D' | 'с' | 'С' | 'т' | 'Т' | 'н' | 'Н' | 'э' | 'Э')
    )
}

/// State of the word-level tests over one line.
#[derive(Default)]
struct Words {
    // Number-word runs, as the normaliser's fast path counts them.
    num_run: usize,
    gap_clean: bool,
    seen_word: bool,
    before_first: bool,
    first_num: bool,
    last_num: bool,
    // E-mail markers «at»/«собака» as the first or last word.
    first_at_marker: bool,
    last_at_marker: bool,
    // Seed phrases.
    seed_run: usize,
    seed_broken: bool,
    seed_head: bool,
}

/// Classes of ASCII bytes for the classifier.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const SPACE: u8 = 4;
/// Gap of the number-word runs (space, `,`, `-`).
const GAP: u8 = 8;
/// Gap of seed phrases (space, digit, `,;.)(-:`).
const SEED_GAP: u8 = 16;
/// `O`/`o`, zero look-alikes.
const ZERO: u8 = 32;
/// `@` and `.`: e-mails, handles, links and domains.
const AT_DOT: u8 = 64;

const fn ascii_classes() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        let mut k = 0;
        if c.is_ascii_alphabetic() {
            k |= LETTER;
        }
        if c.is_ascii_digit() {
            k |= DIGIT | SEED_GAP;
        }
        if c.is_ascii_whitespace() || c == 0x0b {
            k |= SPACE | GAP | SEED_GAP;
        }
        if c == b',' || c == b'-' {
            k |= GAP;
        }
        if matches!(c, b',' | b';' | b'.' | b')' | b'(' | b'-' | b':') {
            k |= SEED_GAP;
        }
        if c == b'O' || c == b'o' {
            k |= ZERO;
        }
        if c == b'@' || c == b'.' {
            k |= AT_DOT;
        }
        t[i] = k;
        i += 1;
    }
    t
}

static ASCII: [u8; 128] = ascii_classes();

/// Per-line state of the classifier.
struct Scan {
    w: Words,
    /// Current run of ASCII letters and digits.
    run_start: Option<usize>,
    run_digits: usize,
    run_letters: usize,
    /// Tokens of one letter (letter-spaced words): the end of the last
    /// one, the length of the current run of them one byte apart, whether
    /// the line starts / ends with one.
    last_single_end: Option<usize>,
    single_run: usize,
    first_single_at_0: bool,
    last_single_at_end: bool,
    /// The last character was an ASCII digit / a zero look-alike / an
    /// emoji-like symbol.
    prev_digit: bool,
    prev_zero: bool,
    prev_emoji: bool,
    any_word: bool,
}

impl Scan {
    /// A character that is not a letter: `gap`/`seed_gap` say whether it
    /// keeps number-word and seed runs going.
    #[inline]
    fn non_letter(&mut self, gap: bool, seed_gap: bool) {
        if !gap {
            self.w.gap_clean = false;
            if !self.w.seen_word {
                self.w.before_first = false;
            }
        }
        if !seed_gap {
            seed_break(&mut self.w);
        }
    }

    #[inline]
    fn end_run(&mut self, line: &str, at: usize) -> bool {
        if let Some(s) = self.run_start.take() {
            let hot = end_run(&line[s..at], self.run_digits, self.run_letters);
            self.run_digits = 0;
            self.run_letters = 0;
            return hot;
        }
        false
    }

    /// A word of one letter at `s..e` standing alone between spaces (or
    /// the ends of the line) is a token of one letter; true when four of
    /// them in a row, one space apart, make a letter-spaced word.
    #[inline]
    fn single_letter(&mut self, s: usize, e: usize, n: usize) -> bool {
        self.single_run = match self.last_single_end {
            Some(pe) if pe + 1 == s && self.single_run > 0 => self.single_run + 1,
            _ => 1,
        };
        self.last_single_end = Some(e);
        if s == 0 {
            self.first_single_at_0 = true;
        }
        if e == n {
            self.last_single_at_end = true;
        }
        self.single_run >= 4
    }
}

/// A word of letters starting at `i`: its end, whether it has Cyrillic /
/// Latin letters, its length in characters, whether it is only ASCII,
/// where its second and last characters start; `None` when a letter in it
/// is one that normalisation may change.
struct WordScan {
    end: usize,
    cyr: bool,
    lat: bool,
    chars: usize,
    ascii: bool,
    /// Where the second character starts.
    second_at: Option<usize>,
    /// Where the last character starts (zero look-alikes are judged there
    /// only when a digit follows the word).
    last_at: usize,
}

/// Whether the character at byte `k` is a zero look-alike (`O`, `o`, `О`,
/// `о`), read from its bytes.
#[inline]
fn zero_at(b: &[u8], k: usize) -> bool {
    match b.get(k) {
        Some(b'O' | b'o') => true,
        Some(0xD0) => matches!(b.get(k + 1), Some(0x9E | 0xBE)),
        _ => false,
    }
}

/// The Cyrillic letter (U+0400..=U+0481, U+048A..=U+052F) whose two-byte
/// sequence starts at `b[i]`: letters that normalisation keeps wherever
/// they stand, read without decoding the character.
#[inline]
fn cyrillic_letter_at(b: &[u8], i: usize) -> bool {
    match (b[i], b.get(i + 1)) {
        (0xD0 | 0xD1 | 0xD3, Some(_)) => true,
        (0xD2, Some(&y)) => !(0x82..=0x89).contains(&y),
        (0xD4, Some(&y)) => y <= 0xAF,
        _ => false,
    }
}

/// Lead bytes `0xD0`/`0xD1` (U+0400..=U+047F, letters all) at the even
/// bytes of a little-endian `u64`: four basic Cyrillic letters in a row
/// (the odd bytes are their continuation bytes in valid UTF-8).
const CYR4_MASK: u64 = 0x00FE_00FE_00FE_00FE;
const CYR4: u64 = 0x00D0_00D0_00D0_00D0;

/// Bytes of the two-byte Cyrillic letters (U+0400..=U+04FF but
/// U+0482..=U+0489, the ones [`cyrillic_letter_at`] accepts with lead bytes
/// `0xD0..=0xD3`) that start at `i` and end, within 16 bytes, at an ASCII
/// byte or at the end of `b`; `None` when anything else comes first or the
/// letters go on. Read sixteen bytes at a time: a word of up to eight
/// such letters takes no loop over its characters.
#[inline]
fn cyrillic_run(b: &[u8], i: usize) -> Option<usize> {
    let mut buf = [0u8; 16];
    match b.get(i..i + 16).map(<[u8; 16]>::try_from) {
        Some(Ok(a)) => buf = a,
        _ => {
            // Zero bytes after the end of the line read as ASCII: they end
            // the run.
            let rest = b.get(i..)?;
            buf[..rest.len().min(16)].copy_from_slice(&rest[..rest.len().min(16)]);
        }
    }
    let v = u128::from_le_bytes(buf);
    const HIGH: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
    const EVEN_FC: u128 = 0x00FC_00FC_00FC_00FC_00FC_00FC_00FC_00FC;
    const EVEN_D0: u128 = 0x00D0_00D0_00D0_00D0_00D0_00D0_00D0_00D0;
    let ascii = !v & HIGH;
    let len = (ascii.trailing_zeros() / 8) as usize;
    if len >= 16 || len == 0 {
        return None;
    }
    // Every byte before `len` at an even offset is a lead byte 0xD0..=0xD3
    // (so the odd ones are its continuation bytes, and `len` is even).
    let keep = (1u128 << (8 * len)) - 1;
    if (v & EVEN_FC ^ EVEN_D0) & keep != 0 {
        return None;
    }
    // Lead 0xD2 with 0x82..=0x89 (U+0482..=U+0489, no letters), lane by
    // lane (little-endian 16-bit lanes: lead, then continuation byte):
    // lead 0xD2 is the one of 0xD0..=0xD3 with bits 1, not 0; the
    // continuation's low six bits `c` are in 2..=9 exactly when
    // `(c + 0x3E) & 0x78 == 0x40`.
    const LANE_BIT0: u128 = 0x0001_0001_0001_0001_0001_0001_0001_0001;
    const LANE_3F: u128 = 0x003F_003F_003F_003F_003F_003F_003F_003F;
    const LANE_3E: u128 = 0x003E_003E_003E_003E_003E_003E_003E_003E;
    const LANE_78: u128 = 0x0078_0078_0078_0078_0078_0078_0078_0078;
    let d2 = (v >> 1) & !v & LANE_BIT0;
    let u = (((v >> 8) & LANE_3F) + LANE_3E) & LANE_78;
    let c_bad = (u >> 6) & !(u >> 3) & !(u >> 4) & !(u >> 5) & LANE_BIT0;
    if d2 & c_bad & keep != 0 {
        return None;
    }
    Some(len)
}

#[inline]
fn scan_word(line: &str, mut i: usize) -> Option<WordScan> {
    let b = line.as_bytes();
    let n = b.len();
    // The common word: two-byte Cyrillic letters up to a space or other
    // ASCII character that is no letter (the loop below gives the same).
    if b[i] & 0xFC == 0xD0
        && let Some(len) = cyrillic_run(b, i)
        && !b.get(i + len).is_some_and(u8::is_ascii_alphabetic)
    {
        return Some(WordScan {
            end: i + len,
            cyr: true,
            lat: false,
            chars: len / 2,
            ascii: false,
            second_at: (len >= 4).then_some(i + 2),
            last_at: i + len - 2,
        });
    }
    let mut w = WordScan {
        end: i,
        cyr: false,
        lat: false,
        chars: 0,
        ascii: true,
        second_at: None,
        last_at: i,
    };
    while i < n {
        let x = b[i];
        let at = i;
        if x == 0xD0 || x == 0xD1 {
            // Basic Cyrillic, the bulk of the text: letters, stable,
            // never Latin. Four at a time once the second is known.
            w.cyr = true;
            w.ascii = false;
            i += 2;
            if w.chars >= 1 {
                if w.chars == 1 {
                    w.second_at = Some(at);
                }
                w.chars += 1;
                while let Some(chunk) = b.get(i..i + 8) {
                    let mut v = [0u8; 8];
                    v.copy_from_slice(chunk);
                    if u64::from_le_bytes(v) & CYR4_MASK != CYR4 {
                        break;
                    }
                    w.chars += 4;
                    i += 8;
                }
                w.last_at = i - 2;
                continue;
            }
        } else if x.is_ascii_alphabetic() {
            w.lat = true;
            i += 1;
        } else if x < 0x80 {
            break;
        } else if (0xD2..=0xD4).contains(&x) && cyrillic_letter_at(b, i) {
            // Other two-byte Cyrillic letters (Kazakh and others).
            w.cyr = true;
            w.ascii = false;
            i += 2;
        } else {
            let ch = line[i..].chars().next()?;
            if !is_alpha(ch) {
                break;
            }
            if !matches!(ch, '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{052F}')
                && !qorgau_normalize::is_stable_char(ch)
            {
                return None;
            }
            w.cyr |= matches!(ch, '\u{0400}'..='\u{052F}');
            w.lat |= matches!(ch, '\u{00C0}'..='\u{024F}');
            w.ascii = false;
            i += ch.len_utf8();
        }
        if w.chars == 1 {
            w.second_at = Some(at);
        }
        w.last_at = at;
        w.chars += 1;
    }
    w.end = i;
    Some(w)
}

/// The time stamp of a message in a chat export, as the classifier's
/// branches leave it: where it ends, where its date ends (the date is
/// skipped as a whole), and whether it breaks a seed phrase.
struct ChatStamp {
    end: usize,
    date_end: usize,
    seed_broken: bool,
}

/// The time stamp that starts a line of a WhatsApp (`05.01.2024, 13:55 - `)
/// or Telegram (`[05.01.2024 13:55:38] `) text export, with a valid date.
///
/// Every message of a chat export starts with one, and the general
/// branches of `classify` take its dozen digit groups and separators one
/// by one, a mispredicted branch at each; their effect on the state is
/// fixed, so it is applied at once (a test compares both ways). What they
/// do: the date is found by `phone::date_at` and skipped; no digit group
/// of the stamp can start a chain (`:` and `]` are no separators, and the
/// WhatsApp stamp must not be followed by a digit, which ` - ` would join
/// to its minutes); no run of ASCII letters and digits is long or mixed
/// enough to matter; digits and punctuation clear the number-word gap
/// flags (`gap_clean`, `before_first`), and `[`/`]` break a seed phrase.
#[inline]
fn chat_stamp(b: &[u8]) -> Option<ChatStamp> {
    let d = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let at = |k: usize, c: u8| b.get(k) == Some(&c);
    let (start, end, seed_broken) = if at(0, b'[') {
        // [dd.mm.yyyy hh:mm:ss]␠
        let shape = [1, 2, 4, 5, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19]
            .iter()
            .all(|&k| d(k))
            && at(3, b'.')
            && at(6, b'.')
            && at(11, b' ')
            && at(14, b':')
            && at(17, b':')
            && at(20, b']')
            && at(21, b' ');
        if !shape {
            return None;
        }
        (1, 22, true)
    } else {
        // dd.mm.yyyy, hh:mm -␠ and no digit after it
        let shape = [0, 1, 3, 4, 6, 7, 8, 9, 12, 13, 15, 16]
            .iter()
            .all(|&k| d(k))
            && at(2, b'.')
            && at(5, b'.')
            && at(10, b',')
            && at(11, b' ')
            && at(14, b':')
            && at(17, b' ')
            && at(18, b'-')
            && at(19, b' ')
            && !d(20);
        if !shape {
            return None;
        }
        (0, 20, false)
    };
    // `phone::date_at` of `dd.mm.yyyy` followed by no digit, from the
    // digits (a test holds the two together).
    let num = |k: usize, len: usize| {
        b.get(start + k..start + k + len)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |v, &x| v * 10 + u32::from(x.wrapping_sub(b'0')))
    };
    let valid = (1..=31).contains(&num(0, 2))
        && (1..=12).contains(&num(3, 2))
        && (1900..=2099).contains(&num(6, 4));
    valid.then_some(ChatStamp {
        end,
        date_end: start + 10,
        seed_broken,
    })
}

/// `line.trim_end().ends_with(':')`, from the last bytes when they are
/// ASCII (Unicode's trim is a measurable share of the triage of short
/// lines); a line ending in a non-ASCII character takes the Unicode test.
#[inline]
fn colon_end(line: &str) -> bool {
    let b = line.as_bytes();
    let mut k = b.len();
    while k > 0 && matches!(b[k - 1], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        k -= 1;
    }
    match k.checked_sub(1).map(|j| b[j]) {
        None => false,
        Some(b':') => true,
        Some(x) if x < 0x80 => false,
        Some(_) => line.trim_end().ends_with(':'),
    }
}

fn classify(line: &str, t: &Tables<'_>, scratch: &mut Vec<Range<usize>>) -> Mark {
    let b = line.as_bytes();
    let n = b.len();
    let mut m = Mark {
        colon_end: colon_end(line),
        ..Mark::default()
    };
    // What a hot line shares with its neighbours is not worked out here:
    // every join flag is set, and `may_join` decides on context lines.
    let hot = Mark {
        hot: true,
        head_any: true,
        tail_any: true,
        seed_head: true,
        seed_tail: true,
        ..m
    };
    let mut s = Scan {
        w: Words {
            gap_clean: true,
            before_first: true,
            ..Words::default()
        },
        run_start: None,
        run_digits: 0,
        run_letters: 0,
        last_single_end: None,
        single_run: 0,
        first_single_at_0: false,
        last_single_at_end: false,
        prev_digit: false,
        prev_zero: false,
        prev_emoji: false,
        any_word: false,
    };
    let mut chain_end = 0;
    let mut idx = 0;
    // The time stamp in front of a chat message, taken at once (see
    // `chat_stamp`).
    if let Some(stamp) = chat_stamp(b) {
        s.w.gap_clean = false;
        s.w.before_first = false;
        if stamp.seed_broken {
            seed_break(&mut s.w);
        }
        chain_end = stamp.date_end;
        idx = stamp.end;
    }
    while idx < n {
        let x = b[idx];
        // Runs of plain Cyrillic words and the gaps between them, the bulk
        // of chat and page text, in a loop of their own (the same state
        // changes as the general branches below, see `plain_words`).
        if x & 0xFC == 0xD0 && !s.prev_digit && s.run_start.is_none() {
            match plain_words(line, idx, t, &mut s) {
                Some(j) if j > idx => {
                    idx = j;
                    continue;
                }
                Some(_) => {}
                None => return hot,
            }
        }
        let k = if x < 0x80 { ASCII[usize::from(x)] } else { 0 };
        // A word: ASCII letters, Cyrillic, other letters.
        let starts_word = k & LETTER != 0
            || ((0xD0..=0xD4).contains(&x) && cyrillic_letter_at(b, idx))
            || (x >= 0x80 && line[idx..].chars().next().is_some_and(is_alpha));
        if starts_word {
            let Some(w) = scan_word(line, idx) else {
                return hot;
            };
            // Zero look-alikes next to digits (a zero look-alike at the
            // end of a word matters only before a digit: `prev_zero` is
            // read by a digit right after the word and by nothing else).
            let digit_after = b.get(w.end).is_some_and(u8::is_ascii_digit);
            let last_zero = digit_after && zero_at(b, w.last_at);
            if (s.prev_digit && zero_at(b, idx)) || last_zero {
                return hot;
            }
            if w.ascii {
                s.run_start.get_or_insert(idx);
                s.run_letters += w.chars;
            } else if w.lat {
                // Latin letters beyond ASCII (or mixed scripts): rare, and
                // the ASCII runs around them are not worth tracking.
                return hot;
            } else if s.end_run(line, idx) {
                return hot;
            }
            s.any_word = true;
            let kinds = w
                .second_at
                .map_or(0, |k| t.starts.kinds_of(line, idx, k, w.end));
            if end_word(line, idx, w.end, &w, kinds, t, &mut s.w) {
                return hot;
            }
            let space = |k: usize| matches!(b[k], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            if w.chars == 1
                && (idx == 0 || space(idx - 1))
                && (w.end == n || space(w.end))
                && s.single_letter(idx, w.end, n)
            {
                return hot;
            }
            s.prev_digit = false;
            s.prev_zero = last_zero;
            s.prev_emoji = false;
            idx = w.end;
            // The ASCII characters after the word that are neither letters
            // nor digits (spaces, punctuation), taken together as the
            // branch for them below takes them one by one: the first ends
            // a run, and each may only clear the gap flags.
            let gap_start = idx;
            let (mut gap, mut seed_gap) = (true, true);
            while let Some(&y) = b.get(idx) {
                if y >= 0x80 {
                    break;
                }
                let ky = ASCII[usize::from(y)];
                if ky & (LETTER | DIGIT) != 0 {
                    break;
                }
                if ky & AT_DOT != 0
                    && (y == b'@' || b.get(idx + 1).is_some_and(u8::is_ascii_alphabetic))
                {
                    return hot;
                }
                gap &= ky & GAP != 0;
                seed_gap &= ky & SEED_GAP != 0;
                idx += 1;
            }
            if idx > gap_start {
                if s.end_run(line, gap_start) {
                    return hot;
                }
                s.non_letter(gap, seed_gap);
                s.prev_zero = false;
            }
            continue;
        }
        if x < 0x80 {
            if k & DIGIT != 0 {
                if s.prev_zero {
                    return hot;
                }
                // Digit chains: phones, cards, IINs, and what the digit
                // step joins (seven digits in two or more groups; a phone
                // number has at least nine, a card or an IIN twelve).
                let st = idx;
                while idx < n && b[idx].is_ascii_digit() {
                    idx += 1;
                }
                // A date starts with at most five digits and a dot or a
                // dash (see `phone::date_at`); a chain, with seven digits
                // or a separator (see `phone::may_chain`).
                let date_may_start = idx - st <= 5 && matches!(b.get(idx), Some(b'.' | b'-'));
                if st >= chain_end
                    && date_may_start
                    && let Some(end) = phone::date_at(b, st)
                {
                    // A date in front of a chat message: skipped whole, as
                    // the phone scanner skips it.
                    chain_end = end;
                } else if st >= chain_end && phone::may_chain(b, st, idx) {
                    chain_end = phone::candidate_into(b, st, scratch);
                    let digits: usize = scratch.iter().map(|g| g.len()).sum();
                    if digits >= 9 || (digits >= 7 && scratch.len() > 1) {
                        return hot;
                    }
                }
                s.run_start.get_or_insert(st);
                s.run_digits += idx - st;
                s.non_letter(false, true);
                s.prev_digit = true;
                s.prev_zero = false;
                s.prev_emoji = false;
                continue;
            }
            // E-mails and handles; links and domains.
            if k & AT_DOT != 0 && (x == b'@' || b.get(idx + 1).is_some_and(u8::is_ascii_alphabetic))
            {
                return hot;
            }
            if s.end_run(line, idx) {
                return hot;
            }
            s.non_letter(k & GAP != 0, k & SEED_GAP != 0);
            s.prev_digit = false;
            s.prev_zero = false;
            s.prev_emoji = false;
            idx += 1;
            continue;
        }
        // Other characters: symbols, emoji, spaces, invisible ones.
        let Some(c) = line[idx..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if !matches!(c, '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{052F}') {
            if matches!(c, '\u{FE0F}' | '\u{FE0E}' | '\u{200D}') && s.prev_emoji {
                // The variation selector or joiner of an emoji: removed by
                // normalisation, and changes nothing around it.
                idx += len;
                continue;
            }
            // «№» reads «No»; before a number or a space that changes
            // nothing an extractor looks at.
            let numero = c == '№'
                && line[idx + len..]
                    .chars()
                    .next()
                    .is_none_or(|d| d.is_ascii_digit() || d == ' ');
            if !numero && !qorgau_normalize::is_stable_char(c) {
                return hot;
            }
        }
        if s.end_run(line, idx) {
            return hot;
        }
        let space = is_space(c);
        s.non_letter(space, space);
        s.prev_digit = false;
        s.prev_zero = false;
        s.prev_emoji = !space && !crate::text::is_alnum(c) && !matches!(c, '\u{0400}'..='\u{052F}');
        idx += len;
    }
    if s.end_run(line, n) {
        return hot;
    }
    let w = &s.w;
    if w.first_at_marker || w.last_at_marker {
        return hot;
    }
    m.head_any = (w.first_num && w.before_first) || s.first_single_at_0;
    m.tail_any = (w.last_num && w.gap_clean) || s.last_single_at_end;
    // Seeds: a line of separators only is transparent to a phrase.
    if !s.any_word && !w.seed_broken {
        m.seed_head = true;
        m.seed_tail = true;
    } else {
        m.seed_head = w.seed_head;
        m.seed_tail = w.seed_run > 0;
    }
    m
}

/// The words of two-byte Cyrillic letters (those [`cyrillic_letter_at`]
/// accepts with lead bytes `0xD0..=0xD3`) from `idx` on, each followed by
/// ASCII characters that are neither letters nor digits (or the end of the
/// line), that are no special word (`kinds` 0): their state changes, as
/// `classify` makes them for such a word and gap (with no ASCII run open
/// and no digit before: the caller's conditions). Returns where the first
/// word it does not take starts (`idx`: none taken), or `None` when the
/// line is hot.
///
/// Most of the text of chats and pages is such words, one space apart; the
/// general branches of `classify` spend most of their time on them, so
/// this loop reads a word letter by letter from its bytes, asks the direct
/// pair table, and takes a single space before the next word as the
/// no-op it is for the state.
///
/// Why by hand rather than a byte-class prefilter (`memchr3`, or
/// aho-corasick's packed Teddy searcher over the bytes that can start an
/// identifier): such a scan cannot prove a line of words cold, because any
/// Cyrillic word may be a number word, an e-mail marker or a platform word
/// («восемь», «собака», «телега»), and every chat line holds digits (its
/// time stamp); and what made the general path slow was a mispredicted
/// branch at each change of character class, which this loop avoids for
/// the commonest run of classes (letters, one space, letters).
#[inline]
fn plain_words(line: &str, idx: usize, t: &Tables<'_>, s: &mut Scan) -> Option<usize> {
    let b = line.as_bytes();
    let n = b.len();
    let mut i = idx;
    loop {
        // The word: lead bytes 0xD0..=0xD3, each with its continuation
        // byte (valid UTF-8), but U+0482..=U+0489.
        let mut end = i;
        while let (Some(&x), Some(&y)) = (b.get(end), b.get(end + 1)) {
            if x & 0xFC != 0xD0 {
                break;
            }
            if x == 0xD2 && (0x82..=0x89).contains(&y) {
                return Some(i);
            }
            end += 2;
        }
        if end == i {
            return Some(i);
        }
        // What follows must be the end of the line or an ASCII character
        // that is no letter or digit.
        let next = b.get(end).copied();
        if let Some(y) = next
            && (y >= 0x80 || ASCII[usize::from(y)] & (LETTER | DIGIT) != 0)
        {
            return Some(i);
        }
        let chars = (end - i) / 2;
        if chars >= 2 {
            // The direct pair table first (most words: no kind at all, and
            // then `kinds_of` is 0 too).
            let pair = lead_pair_index(b[i], b[i + 1], b[i + 2], b[i + 3]);
            let plain = t.starts.lead_pairs.get(pair) == Some(&0);
            if !plain && t.starts.kinds_of(line, i, i + 2, end) != 0 {
                return Some(i);
            }
        }
        // `end_word` of a word of no kind, not ASCII.
        s.any_word = true;
        let w = &mut s.w;
        w.num_run = 0;
        if !w.seen_word {
            w.first_num = false;
            w.first_at_marker = false;
        }
        w.seen_word = true;
        w.last_num = false;
        w.gap_clean = true;
        w.last_at_marker = false;
        seed_break(w);
        if chars == 1 {
            let space = |k: usize| matches!(b[k], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            if (i == 0 || space(i - 1)) && (end == n || space(end)) && s.single_letter(i, end, n) {
                return None;
            }
        }
        s.prev_digit = false;
        s.prev_zero = false;
        s.prev_emoji = false;
        // The gap, as in `classify`; one space (the common gap) changes
        // nothing: it is a gap of both kinds.
        let mut j = end;
        if next == Some(b' ') && b.get(end + 1).is_some_and(|&z| z & 0xFC == 0xD0) {
            i = end + 1;
            continue;
        }
        let (mut gap, mut seed_gap) = (true, true);
        while let Some(&y) = b.get(j) {
            if y >= 0x80 {
                break;
            }
            let ky = ASCII[usize::from(y)];
            if ky & (LETTER | DIGIT) != 0 {
                break;
            }
            if ky & AT_DOT != 0 && (y == b'@' || b.get(j + 1).is_some_and(u8::is_ascii_alphabetic))
            {
                return None;
            }
            gap &= ky & GAP != 0;
            seed_gap &= ky & SEED_GAP != 0;
            j += 1;
        }
        if j > end {
            s.non_letter(gap, seed_gap);
        }
        i = j;
        if b.get(i).is_none_or(|&z| z & 0xFC != 0xD0) {
            return Some(i);
        }
    }
}

/// Ends a word of letters `line[s..e]` (`kinds`: which special words it
/// may be, see [`WordStarts::may_hold`]); true when the line is hot.
///
/// Each test below is a conjunction whose cheap parts come first; the
/// verdict is that of the reference classifier (`triage_reference`).
fn end_word(
    line: &str,
    s: usize,
    e: usize,
    ws: &WordScan,
    kinds: u8,
    t: &Tables<'_>,
    w: &mut Words,
) -> bool {
    if ws.cyr && ws.lat {
        return true;
    }
    if kinds == 0 && !ws.ascii {
        // No special word and no BIP-39 word: what the tests below come
        // to for it.
        w.num_run = 0;
        if !w.seen_word {
            w.first_num = false;
            w.first_at_marker = false;
        }
        w.seen_word = true;
        w.last_num = false;
        w.gap_clean = true;
        w.last_at_marker = false;
        seed_break(w);
        return false;
    }
    let word = &line[s..e];
    let num_candidate = kinds & NUMBER_WORD != 0 && (2..=24).contains(&word.len());
    let marker_candidate = kinds & MARKER_WORD != 0 && word.len() <= 16 && may_be_marker(word);
    let mut buf = [0u8; 64];
    let lc = if num_candidate || marker_candidate {
        lower(word, &mut buf)
    } else {
        None
    };
    // Number words (exact, as the normaliser's fast path reads them): the
    // exact lookup first, the normaliser's own prefilter only on a hit.
    let is_num = num_candidate
        && lc.is_some_and(qorgau_normalize::is_number_word)
        && qorgau_normalize::may_be_number_word(word);
    if is_num {
        w.num_run = if w.gap_clean && w.num_run > 0 {
            w.num_run + 1
        } else {
            1
        };
        if w.num_run >= 3 {
            return true;
        }
    } else {
        w.num_run = 0;
    }
    let first = !w.seen_word;
    if first {
        w.first_num = is_num;
    }
    w.seen_word = true;
    w.last_num = is_num;
    w.gap_clean = true;
    // E-mail markers: «точка»/«dot» and bracketed ones always; «at» and
    // «собака» only reach across a line break as its first or last word
    // (in between they need a domain dot, which is a trigger of its own).
    let mut at_marker = false;
    if let Some(l) = lc.filter(|_| marker_candidate)
        && let Some((dot, bracketed)) = qorgau_normalize::email_marker(l)
    {
        let before = line[..s].chars().next_back();
        if dot || bracketed || before.is_some_and(|c| matches!(c, '(' | '[' | '{')) {
            return true;
        }
        at_marker = true;
    }
    if first {
        w.first_at_marker = at_marker;
    }
    w.last_at_marker = at_marker;
    // Platform words of handles.
    if kinds & PLATFORM_WORD != 0
        && t.triggers.may_be_platform(word)
        && (t.triggers.platform(word).is_some() || crate::handles::is_tok(word))
        && !crate::handles::is_tenge(line, s, word)
    {
        return true;
    }
    // BIP-39 words.
    if ws.ascii && t.words.index(word.as_bytes()).is_some() {
        if w.seed_run == 0 && !w.seed_broken {
            w.seed_head = true;
        }
        w.seed_run += 1;
        if w.seed_run >= 12 {
            return true;
        }
    } else {
        seed_break(w);
    }
    false
}

fn seed_break(w: &mut Words) {
    w.seed_run = 0;
    w.seed_broken = true;
}

/// Ends a run of ASCII letters and digits; true when it may be a wallet
/// address, an IBAN or leetspeak.
fn end_run(run: &str, digits: usize, letters: usize) -> bool {
    run.len() >= 14
        || (digits > 0 && letters >= 2)
        || (run.len() >= 4
            && run[..2].eq_ignore_ascii_case("kz")
            && run.as_bytes()[2].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Extractor;

    fn mark(ex: &Extractor, line: &str) -> Mark {
        let t = Tables {
            words: &ex.words,
            triggers: &ex.triggers,
            starts: ex.starts,
        };
        classify(line, &t, &mut Vec::new())
    }

    /// The character loop of `scan_word` for the two-byte Cyrillic letters
    /// at `i`: what `cyrillic_run` must give.
    fn cyrillic_run_slow(b: &[u8], i: usize) -> Option<usize> {
        let mut k = i;
        while k < b.len() && b[k] >= 0x80 {
            if !(0xD0..=0xD3).contains(&b[k]) || !cyrillic_letter_at(b, k) || k + 2 - i > 16 {
                return None;
            }
            k += 2;
        }
        (k > i && k - i < 16).then_some(k - i)
    }

    #[test]
    fn cyrillic_runs_agree_with_the_character_loop() {
        // Every two-byte character alone and after a Cyrillic letter, at
        // every length up to the 16-byte window and past it, followed by
        // nothing, a space, a letter or a digit.
        let twos: Vec<char> = (0x80u32..0x800).filter_map(char::from_u32).collect();
        for &c in &twos {
            for n in 0..10 {
                for tail in ["", " ", "a", "7", "\u{200B}"] {
                    let word: String = std::iter::repeat_n('ж', n).chain([c]).collect();
                    let line = format!("{word}{tail}");
                    let b = line.as_bytes();
                    assert_eq!(cyrillic_run(b, 0), cyrillic_run_slow(b, 0), "{line:?}");
                    let line = format!("{c}{word}{tail}");
                    let b = line.as_bytes();
                    if b[0] & 0xFC == 0xD0 {
                        assert_eq!(cyrillic_run(b, 0), cyrillic_run_slow(b, 0), "{line:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn direct_word_start_tables_agree_with_the_hashed_ones() {
        let ex = Extractor::new();
        let st = ex.starts;
        let general = |w: &str| {
            let second = w.chars().next().map_or(0, char::len_utf8);
            let kinds = st.may_hold(w, 0, Some(second));
            // `may_hold` without its direct tables: the hashed key.
            let b = w.as_bytes();
            let end = second + b.get(second).map_or(1, |&x| utf8_len(x));
            let hashed = raw_key(b, 0, second, end)
                .map_or(kinds, |bit| st.raw_kinds.get(bit).copied().unwrap_or(0));
            assert_eq!(kinds, hashed, "{w:?}");
            st.confirm(kinds, b, second)
        };
        let cyr = |x: u32| char::from_u32(0x400 + x).unwrap_or('ж');
        for x in 0..128 {
            for y in 0..128 {
                let pair: String = [cyr(x), cyr(y)].iter().collect();
                assert_eq!(
                    st.kinds_of(&pair, 0, 2, pair.len()),
                    general(&pair),
                    "{pair:?}"
                );
                for z in (0..128).map(cyr).chain(['a', 'қ', 'ә', '1', '\u{0483}']) {
                    let w = format!("{pair}{z}ь");
                    assert_eq!(st.kinds_of(&w, 0, 2, w.len()), general(&w), "{w:?}");
                }
                let ascii: String = [x as u8 as char, y as u8 as char].iter().collect();
                assert_eq!(
                    st.may_hold(&ascii, 0, Some(1)),
                    raw_key(ascii.as_bytes(), 0, 1, 2).map_or(0, |bit| st
                        .raw_kinds
                        .get(bit)
                        .copied()
                        .unwrap_or(0)),
                    "{ascii:?}"
                );
            }
        }
    }

    #[test]
    fn dense_documents_are_read_whole() {
        let ex = Extractor::new();
        let t = Tables {
            words: &ex.words,
            triggers: &ex.triggers,
            starts: ex.starts,
        };
        for doc in [
            "",
            "\n",
            "тел 8 701 234 56 78",
            "тел 8 701 234 56 78\nпривет",
            "привет\nтел 8 701 234 56 78\nпривет\n",
            "a@b.kz\nx\ny",
            "просто текст без ничего\nи ещё строка",
        ] {
            let full = windows(doc, &t);
            let covered: usize = full.iter().map(|w| w.len()).sum();
            match windows_unless_dense(doc, &t, true) {
                None => assert!(is_dense(covered, doc.len()), "{doc:?}"),
                Some(w) => assert_eq!(w, full, "{doc:?}"),
            }
        }
    }

    /// Every line of a text file (`QORGAU_TRIAGE_CORPUS`, e.g. the
    /// benchmark corpus of `bench/identifiers.sh`) gets the reference's
    /// verdict. Not run by default:
    /// `QORGAU_TRIAGE_CORPUS=FILE cargo test --release -p qorgau-identifiers
    /// -- --ignored agrees_with_the_reference_on_a_corpus`.
    #[test]
    #[ignore = "needs a corpus file"]
    fn fast_classifier_agrees_with_the_reference_on_a_corpus() {
        let path = std::env::var("QORGAU_TRIAGE_CORPUS").unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let ex = Extractor::new();
        let mut lines = 0;
        for line in text.split('\n') {
            assert_eq!(mark(&ex, line), reference_mark(&ex, line), "{line:?}");
            lines += 1;
        }
        assert!(lines > 0);
    }

    #[test]
    fn ordinary_chat_lines_are_not_hot() {
        let ex = Extractor::new();
        for l in [
            "[05.01.2024 13:55:38] Айгерим: привет, ты где?",
            "05.01.2024, 13:55 - Дана: рахмет, жақсы ❤️",
            "12.05.2024, 08:01 - Арман: заказ №6417027 пришёл",
            "[05.01.2024 13:55:38] Max: I saw it for 5 000 тг",
            "[31.12.2023 23:59:59] Дана: с новым годом",
            "28.02.2024, 07:05 - Арман: ок",
            "<p>Цена товара: 12 500 ₸, доставка по городу бесплатно.</p>",
        ] {
            assert!(!mark(&ex, l).hot, "{l}");
        }
        for l in [
            "мой номер 8 701 234 56 78",
            "пиши в тг",
            "job собака mail точка ru",
            "Нaбuрaю",
            "сайт site.kz",
            "a@b",
            "8\u{FE0F}\u{20E3}",
            "ИИН 761011496605",
        ] {
            assert!(mark(&ex, l).hot, "{l}");
        }
    }

    #[test]
    fn lead_pairs_agree_with_may_hold() {
        let ex = Extractor::new();
        let st = ex.starts;
        for x in 0u32..256 {
            for y in 0u32..256 {
                let (Some(a), Some(c)) = (char::from_u32(0x400 + x), char::from_u32(0x400 + y))
                else {
                    continue;
                };
                let w = format!("{a}{c}");
                let b = w.as_bytes();
                assert_eq!(
                    st.lead_pairs[lead_pair_index(b[0], b[1], b[2], b[3])],
                    st.may_hold(&w, 0, Some(2)),
                    "{w:?}"
                );
            }
        }
    }

    #[test]
    fn chat_stamp_dates_are_phone_dates() {
        // Every day and month 00..=39, years around the bounds, in both
        // stamps: the stamp is taken exactly when `date_at` finds the date.
        for d in 0..40 {
            for m in 0..40 {
                for y in [1899, 1900, 1999, 2024, 2099, 2100] {
                    for (l, start) in [
                        (format!("{d:02}.{m:02}.{y}, 13:55 - Дана"), 0),
                        (format!("[{d:02}.{m:02}.{y} 13:55:38] Дана"), 1),
                    ] {
                        let b = l.as_bytes();
                        let by_date = crate::phone::date_at(b, start) == Some(start + 10);
                        assert_eq!(chat_stamp(b).is_some(), by_date, "{l}");
                    }
                }
            }
        }
    }

    #[test]
    fn chat_stamps_are_taken_at_once() {
        for (l, end) in [
            ("[05.01.2024 13:55:38] Айгерим: привет", 22),
            ("05.01.2024, 13:55 - Дана: рахмет", 20),
        ] {
            assert_eq!(chat_stamp(l.as_bytes()).map(|s| s.end), Some(end), "{l}");
        }
        for l in [
            "[35.01.2024 13:55:38] Айгерим: привет",
            "05.13.2024, 13:55 - Дана",
            "05.01.2024, 13:55 - 8 701 234 56 78",
            "05.01.2024 13:55 - Дана",
            "[05.01.2024 13:55] Дана",
        ] {
            assert!(chat_stamp(l.as_bytes()).is_none(), "{l}");
        }
    }

    fn reference_mark(ex: &Extractor, line: &str) -> Mark {
        let t = Tables {
            words: &ex.words,
            triggers: &ex.triggers,
            starts: ex.starts,
        };
        reference::classify(line, &t, &mut Vec::new())
    }

    #[test]
    fn fast_classifier_agrees_with_the_reference_on_every_script() {
        let ex = Extractor::new();
        // Every character of the first blocks, and some beyond, after a
        // Cyrillic word, inside one, before a digit, alone.
        for n in (0u32..0x0800)
            .chain(0x1D00..0x1D30)
            .chain(0x2000..0x2200)
            .chain([
                0x20E3, 0x3164, 0xFE0F, 0xFF10, 0xFF41, 0x1D400, 0x1F600, 0x1F389, 0x1F130, 0xE0001,
            ])
        {
            let Some(c) = char::from_u32(n) else { continue };
            for line in [
                format!("привет {c} мир"),
                format!("при{c}вет"),
                format!("{c}5 тг"),
                format!("5{c}"),
                format!("{c}"),
                format!("се{c}мь восемь"),
                format!("a{c}b 12"),
            ] {
                assert_eq!(mark(&ex, &line), reference_mark(&ex, &line), "{line:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The classifier gives exactly the reference's verdict (and so
        /// the same windows) on lines of words that touch every branch.
        #[test]
        fn fast_classifier_agrees_with_the_reference(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(" "), Just(" "), Just(", "), Just("-"), Just("."), Just(":"), Just("("),
                    Just("привет"), Just("работа"), Just("ok"), Just("I"), Just("в"), Just("а"), Just("т"),
                    Just("восемь"), Just("семь"), Just("один"), Just("seven"), Just("он"), Just("сегіз"),
                    Just("ВОСЕМЬ"), Just("Семь"), Just("TWO"), Just("бір"), Just("үш"), Just("төрт"),
                    Just("собака"), Just("точка"), Just("at"), Just("dot"), Just("(at)"), Just("СОБАКА"),
                    Just("нүкте"), Just("тчк"), Just("эт"), Just("Dot"),
                    Just("тг"), Just("ТГ"), Just("инст"), Just("tok"), Just("ток"), Just("тик"), Just("телега"),
                    Just("TikTok"), Just("Телеграм"), Just("директ"), Just("ig"),
                    Just("abandon"), Just("about"), Just("Zoo"), Just("ABLE"),
                    Just("Нaбuрaю"), Just("r4b0ta"), Just("О"), Just("o"), Just("5"), Just("12"),
                    Just("701"), Just("12.05.2024"), Just("\u{0301}"), Just("①"), Just("❤"), Just("\u{FE0F}"),
                    Just("ж"), Just("Ab"), Just("café"), Just("қазір"), Just("Ә"), Just("ӘЖЕ"), Just("ұйқы"),
                    Just("\u{0482}"), Just("\u{0483}"), Just("Ԁ"), Just("\u{0530}"), Just("Ա"), Just("İ"),
                    Just("ß"), Just("Σ"), Just("😂"), Just("🎉"), Just("№"), Just("KZ12"), Just("\t"),
                    Just("жұмыста"), Just("хабарласайық"), Just("достопримечательности"), Just("! "),
                    Just("? "), Just(" , "), Just("«"), Just("»"), Just("ҁ"), Just("\u{0483}"), Just("сто"),
                    Just("стоит"), Just("девушки"), Just("он"), Just("сегодня"),
                ],
                0..18,
            )
        ) {
            let ex = Extractor::new();
            let line: String = parts.concat();
            prop_assert_eq!(mark(&ex, &line), reference_mark(&ex, &line), "{:?}", line);
        }

        /// Lines of Cyrillic (Russian, Kazakh, the characters between the
        /// letters of the block), Latin, digits and punctuation, where the
        /// fast paths over words and gaps do most of the work.
        #[test]
        fn fast_classifier_agrees_with_the_reference_on_cyrillic_text(
            line in "[а-яА-ЯёЁәқүұңғһөіӘҚҮҰҢҒҺӨІ\u{0460}-\u{052F}a-zA-Z0-9оО  ,.!?:;()@#№«»—-]{0,80}"
        ) {
            let ex = Extractor::new();
            prop_assert_eq!(mark(&ex, &line), reference_mark(&ex, &line), "{:?}", line);
        }

        /// Lines that start with a chat time stamp (valid dates or not,
        /// either export's form, digits or a number right after it), where
        /// `chat_stamp` takes the stamp at once.
        #[test]
        fn fast_classifier_agrees_with_the_reference_after_chat_stamps(
            whatsapp in any::<bool>(),
            date in "[0-3][0-9]\\.[01][0-9]\\.(19|20|21)[0-9][0-9]",
            time in "[0-2][0-9]:[0-5][0-9]",
            seconds in "[0-5][0-9]",
            rest in "[а-яәқ0-9a-zоО  ,.:()@-]{0,30}",
            digits in "[0-9 ().-]{0,14}",
        ) {
            let ex = Extractor::new();
            for tail in [rest.clone(), format!("{digits}{rest}"), format!("Дана: {digits}")] {
                let line = if whatsapp {
                    format!("{date}, {time} - {tail}")
                } else {
                    format!("[{date} {time}:{seconds}] {tail}")
                };
                prop_assert_eq!(mark(&ex, &line), reference_mark(&ex, &line), "{:?}", line);
            }
        }

        #[test]
        fn colon_ends_are_found_as_trim_end_finds_them(line in "\\PC{0,6}[: \t\u{A0}\u{2003}\u{3000}]{0,4}") {
            prop_assert_eq!(colon_end(&line), line.trim_end().ends_with(':'), "{:?}", line);
        }

        #[test]
        fn fast_classifier_agrees_with_the_reference_on_any_text(line in "\\PC{0,60}") {
            let ex = Extractor::new();
            prop_assert_eq!(mark(&ex, &line), reference_mark(&ex, &line), "{:?}", line);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// A line the triage lets through is one the normaliser's own fast
        /// path copies unchanged, with no stronger ties to its neighbours.
        #[test]
        fn not_hot_lines_are_clean_for_the_normaliser(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(" "), Just(" "), Just(", "), Just("-"), Just("."), Just(":"),
                    Just("привет"), Just("работа"), Just("ok"), Just("I"), Just("в"), Just("а"), Just("т"),
                    Just("восемь"), Just("семь"), Just("один"), Just("seven"), Just("он"),
                    Just("собака"), Just("точка"), Just("at"), Just("dot"), Just("(at)"),
                    Just("тг"), Just("инст"), Just("tok"), Just("abandon"), Just("about"),
                    Just("Нaбuрaю"), Just("r4b0ta"), Just("О"), Just("o"), Just("5"), Just("12"),
                    Just("701"), Just("12.05.2024"), Just("\u{0301}"), Just("①"), Just("❤"),
                    Just("ж"), Just("Ab"), Just("café"),
                ],
                0..16,
            )
        ) {
            let ex = Extractor::new();
            let line: String = parts.concat();
            let m = mark(&ex, &line);
            if !m.hot {
                let info = qorgau_normalize::line_info(&line);
                prop_assert!(!info.dirty && !info.head_force && !info.tail_force, "{line:?}");
                prop_assert!(!info.head_any || m.head_any, "{line:?}");
                prop_assert!(!info.tail_any || m.tail_any, "{line:?}");
            }
        }
    }
}
