//! Turning normalised text into hashed, weighted n-gram features.
//!
//! Tokens are maximal runs of alphanumeric characters, lower-cased. Runs of
//! three or more digits are masked to `0`s (a phone number or a salary
//! counts by its shape, not its value); runs of one or two digits are kept,
//! because an age (`15` against `18`) is exactly what the minor head needs
//! to see. A few symbols that carry meaning in ads
//! (`$ € £ ₸ ₽ % + @ #`) are one-character tokens of their own. Features:
//! word n-grams (tokens joined by one space) and character n-grams of each
//! token framed by `<` and `>`, as fastText does, so that `<раб` and `ота>`
//! survive inflection and glued words.
//!
//! Each feature string is hashed (FNV-1a 64 with a kind byte, then the
//! SplitMix64 finaliser, both written out here so the hash never changes
//! with a dependency's version: a saved model depends on it). The top bits
//! choose the bucket, the lowest bit the sign (the "hashing trick" with a
//! sign hash, so collisions cancel on average instead of adding up).
//! Values are sublinear term frequencies, `1 + ln tf`, per distinct feature,
//! divided by the L2 norm over the distinct features of the document.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Which n-grams a model reads and how many buckets they hash into; kept in
/// the model so prediction reads text exactly as training did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Number of buckets is `2^buckets_log2`.
    pub buckets_log2: u8,
    /// Smallest and largest character n-gram length; `(0, 0)` for none.
    pub char_ngrams: (u8, u8),
    /// Longest word n-gram (1 = words only, 2 = words and pairs); 0 for none.
    pub word_ngrams: u8,
}

impl FeatureConfig {
    /// Number of buckets.
    pub fn buckets(&self) -> usize {
        1usize << self.buckets_log2
    }
}

/// What kind of n-gram a feature is; shown with explanations because a
/// whole word reads differently from a fragment of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// One word.
    Word,
    /// Two or more consecutive words.
    WordNgram,
    /// Characters inside one word, `<` and `>` marking its edges.
    CharNgram,
}

/// Characters that are tokens by themselves although not alphanumeric.
/// Runs of up to this many digits are kept as written (ages: `15`, `18`;
/// hours: `24`), longer runs are masked (phones, prices, amounts).
const MAX_KEPT_DIGITS: usize = 2;

const SYMBOLS: &[char] = &['$', '€', '£', '₸', '₽', '%', '+', '@', '#'];

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const KIND_WORD: u8 = b'w';
const KIND_CHAR: u8 = b'c';

#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[inline]
fn finish(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Bucket and sign of a feature hash.
#[inline]
pub(crate) fn bucket_sign(hash: u64, buckets_log2: u8) -> (usize, f32) {
    let bucket = (hash >> (64 - u32::from(buckets_log2))) as usize;
    let sign = if hash & 1 == 1 { -1.0 } else { 1.0 };
    (bucket, sign)
}

/// How the tokenizer treats a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Not part of a word.
    Other,
    /// A numeric character (masked or kept, see [`MAX_KEPT_DIGITS`]).
    Numeric,
    /// Another alphanumeric character, with its lower case when that is
    /// one character (`None`: ask `char::to_lowercase`).
    Letter(Option<char>),
}

/// Code points below this are classified from a table built once from the
/// standard library's own Unicode functions (same answers, without the
/// slow binary searches for Cyrillic: most text here is Cyrillic).
const TABLE_END: u32 = 0x0530;

fn classify_slow(c: char) -> Class {
    if c.is_numeric() {
        Class::Numeric
    } else if c.is_alphanumeric() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => Class::Letter(Some(l)),
            _ => Class::Letter(None),
        }
    } else {
        Class::Other
    }
}

#[inline]
fn classify(c: char) -> Class {
    static TABLE: std::sync::OnceLock<Vec<Class>> = std::sync::OnceLock::new();
    let cp = c as u32;
    if cp < TABLE_END {
        let table = TABLE.get_or_init(|| {
            (0..TABLE_END)
                .map(|cp| char::from_u32(cp).map_or(Class::Other, classify_slow))
                .collect()
        });
        if let Some(&class) = table.get(cp as usize) {
            return class;
        }
    }
    classify_slow(c)
}

/// One character of the token stream.
#[derive(Debug, Clone, Copy)]
struct CharPos {
    /// Byte offset of this character in `Prepared::buf`.
    buf: usize,
    /// Byte range in the input text of the character it came from.
    src: (usize, usize),
}

/// Text read into tokens.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// Lower-cased, digit-masked token characters, tokens concatenated.
    buf: String,
    /// One entry per character of `buf`, plus a sentinel at the end.
    chars: Vec<CharPos>,
    /// Tokens as ranges of indices into `chars`.
    tokens: Vec<Range<usize>>,
}

impl Prepared {
    pub(crate) fn new(text: &str) -> Self {
        let mut p = Prepared {
            buf: String::with_capacity(text.len()),
            chars: Vec::with_capacity(text.len() + 1),
            tokens: Vec::new(),
        };
        let mut start: Option<usize> = None;
        // Digits left in the current run of numeric characters, and whether
        // that run is masked.
        let mut digits_left = 0usize;
        let mut mask = false;
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            match classify(c) {
                Class::Numeric => {
                    if start.is_none() {
                        start = Some(p.chars.len());
                    }
                    if digits_left == 0 {
                        digits_left = text[i..]
                            .chars()
                            .take_while(|&c| classify(c) == Class::Numeric)
                            .count();
                        mask = digits_left > MAX_KEPT_DIGITS;
                    }
                    digits_left -= 1;
                    p.push(if !mask && c.is_ascii_digit() { c } else { '0' }, i, end);
                }
                Class::Letter(lower) => {
                    if start.is_none() {
                        start = Some(p.chars.len());
                    }
                    match lower {
                        Some(lc) => p.push(lc, i, end),
                        None => {
                            for lc in c.to_lowercase() {
                                p.push(lc, i, end);
                            }
                        }
                    }
                }
                Class::Other => {
                    p.close(&mut start);
                    if SYMBOLS.contains(&c) {
                        start = Some(p.chars.len());
                        p.push(c, i, end);
                        p.close(&mut start);
                    }
                }
            }
        }
        p.close(&mut start);
        p.chars.push(CharPos {
            buf: p.buf.len(),
            src: (text.len(), text.len()),
        });
        p
    }

    fn push(&mut self, c: char, s: usize, e: usize) {
        self.chars.push(CharPos {
            buf: self.buf.len(),
            src: (s, e),
        });
        self.buf.push(c);
    }

    fn close(&mut self, start: &mut Option<usize>) {
        if let Some(s) = start.take()
            && s < self.chars.len()
        {
            self.tokens.push(s..self.chars.len());
        }
    }

    /// Bytes of `buf` for the character index range `r`.
    fn bytes(&self, r: Range<usize>) -> &[u8] {
        &self.buf.as_bytes()[self.chars[r.start].buf..self.chars[r.end].buf]
    }

    fn text(&self, r: Range<usize>) -> &str {
        &self.buf[self.chars[r.start].buf..self.chars[r.end].buf]
    }

    /// Byte range of the input covered by character index range `r`
    /// (non-empty).
    fn src_span(&self, r: Range<usize>) -> (usize, usize) {
        let s = self.chars[r.start].src.0;
        let e = self.chars[r.start..r.end]
            .iter()
            .map(|c| c.src.1)
            .max()
            .unwrap_or(s);
        (s, e)
    }
}

impl Prepared {
    /// Number of tokens.
    pub(crate) fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// A token as the model reads it, and its byte range in the input.
    pub(crate) fn token(&self, i: usize) -> (&str, (usize, usize)) {
        let t = self.tokens[i].clone();
        (self.text(t.clone()), self.src_span(t))
    }
}

/// One occurrence of a feature in a text, enough to name it and find it.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence {
    pub kind: FeatureKind,
    /// Tokens (word n-gram) or characters (char n-gram) it covers.
    range: Range<usize>,
    /// Char n-gram touches the start / end of its word.
    marks: (bool, bool),
    /// Tokens the occurrence lies in (one for a char n-gram).
    pub tokens: Range<usize>,
}

/// Calls `f(hash, occurrence)` for every feature occurrence of `p`.
pub(crate) fn for_each(p: &Prepared, cfg: &FeatureConfig, mut f: impl FnMut(u64, Occurrence)) {
    let words = usize::from(cfg.word_ngrams);
    for n in 1..=words {
        if p.tokens.len() < n {
            break;
        }
        for i in 0..=p.tokens.len() - n {
            let mut h = fnv(FNV_OFFSET, &[KIND_WORD]);
            for (j, t) in p.tokens[i..i + n].iter().enumerate() {
                if j > 0 {
                    h = fnv(h, b" ");
                }
                h = fnv(h, p.bytes(t.clone()));
            }
            f(
                finish(h),
                Occurrence {
                    kind: if n == 1 {
                        FeatureKind::Word
                    } else {
                        FeatureKind::WordNgram
                    },
                    range: i..i + n,
                    marks: (false, false),
                    tokens: i..i + n,
                },
            );
        }
    }
    let (lo, hi) = (
        usize::from(cfg.char_ngrams.0),
        usize::from(cfg.char_ngrams.1),
    );
    if lo == 0 || hi < lo {
        return;
    }
    for (ti, t) in p.tokens.iter().enumerate() {
        // A number is read by its word feature (its masked shape); its
        // character n-grams ("000", "<00") would only add noise.
        if p.bytes(t.clone()).iter().all(u8::is_ascii_digit) {
            continue;
        }
        let len = t.len();
        // Positions in the framed word "<" + token + ">": 0 is "<", len + 1
        // is ">". From each start the hash is extended one position at a
        // time, and every length in lo..=hi is emitted on the way.
        let framed = len + 2;
        for s in 0..framed.saturating_sub(lo - 1) {
            let mut h = fnv(FNV_OFFSET, &[KIND_CHAR]);
            for e in s + 1..=(s + hi).min(framed) {
                let pos = e - 1;
                h = if pos == 0 {
                    fnv(h, b"<")
                } else if pos == framed - 1 {
                    fnv(h, b">")
                } else {
                    fnv(h, p.bytes(t.start + pos - 1..t.start + pos))
                };
                if e - s < lo {
                    continue;
                }
                let inner = (t.start + s.saturating_sub(1))..(t.start + (e - 1).min(len));
                if inner.is_empty() {
                    continue;
                }
                f(
                    finish(h),
                    Occurrence {
                        kind: FeatureKind::CharNgram,
                        range: inner,
                        marks: (s == 0, e == framed),
                        tokens: ti..ti + 1,
                    },
                );
            }
        }
    }
}

impl Occurrence {
    /// The feature as a readable string (the n-gram after lower-casing and
    /// digit masking).
    pub(crate) fn name(&self, p: &Prepared) -> String {
        match self.kind {
            FeatureKind::Word | FeatureKind::WordNgram => {
                let mut s = String::new();
                for (j, t) in p.tokens[self.range.clone()].iter().enumerate() {
                    if j > 0 {
                        s.push(' ');
                    }
                    s.push_str(p.text(t.clone()));
                }
                s
            }
            FeatureKind::CharNgram => {
                let mut s = String::new();
                if self.marks.0 {
                    s.push('<');
                }
                s.push_str(p.text(self.range.clone()));
                if self.marks.1 {
                    s.push('>');
                }
                s
            }
        }
    }

    /// Byte range of the input text this occurrence covers.
    pub(crate) fn span(&self, p: &Prepared) -> (usize, usize) {
        match self.kind {
            FeatureKind::Word | FeatureKind::WordNgram => {
                let first = &p.tokens[self.range.start];
                let last = &p.tokens[self.range.end - 1];
                let (s, _) = p.src_span(first.clone());
                let (_, e) = p.src_span(last.clone());
                (s, e)
            }
            FeatureKind::CharNgram => p.src_span(self.range.clone()),
        }
    }
}

/// Distinct feature hashes of `text` with their normalised values
/// (`1 + ln tf`, L2-normalised over the distinct features), sorted by hash.
pub(crate) fn weighted(text: &str, cfg: &FeatureConfig) -> Vec<(u64, f32)> {
    let p = Prepared::new(text);
    let mut hashes = Vec::with_capacity(text.len() * 4);
    for_each(&p, cfg, |h, _| hashes.push(h));
    weigh(hashes)
}

/// Counts and normalises a bag of hashes; see [`weighted`].
pub(crate) fn weigh(mut hashes: Vec<u64>) -> Vec<(u64, f32)> {
    hashes.sort_unstable();
    let mut out: Vec<(u64, f32)> = Vec::with_capacity(hashes.len());
    let mut i = 0;
    while i < hashes.len() {
        let h = hashes[i];
        let mut j = i + 1;
        while j < hashes.len() && hashes[j] == h {
            j += 1;
        }
        out.push((h, tf_weight(j - i)));
        i = j;
    }
    let norm = out.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, v) in &mut out {
            *v /= norm;
        }
    }
    out
}

/// Sublinear term frequency.
#[inline]
pub(crate) fn tf_weight(tf: usize) -> f32 {
    // Most features occur once; skip the logarithm for them.
    if tf == 1 { 1.0 } else { 1.0 + (tf as f32).ln() }
}

/// The document as a sparse vector over buckets (signs applied, colliding
/// features added), sorted by bucket; what training iterates over.
pub(crate) fn bucket_vector(text: &str, cfg: &FeatureConfig) -> Vec<(u32, f32)> {
    let mut v: Vec<(u32, f32)> = weighted(text, cfg)
        .into_iter()
        .map(|(h, x)| {
            let (b, s) = bucket_sign(h, cfg.buckets_log2);
            (b as u32, s * x)
        })
        .collect();
    v.sort_unstable_by_key(|e| e.0);
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(v.len());
    for (b, x) in v {
        match out.last_mut() {
            Some(last) if last.0 == b => last.1 += x,
            _ => out.push((b, x)),
        }
    }
    out.retain(|e| e.1 != 0.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CFG: FeatureConfig = FeatureConfig {
        buckets_log2: 18,
        char_ngrams: (3, 5),
        word_ngrams: 2,
    };

    fn names(text: &str) -> Vec<(String, (usize, usize))> {
        let p = Prepared::new(text);
        let mut out = Vec::new();
        for_each(&p, &CFG, |_, o| out.push((o.name(&p), o.span(&p))));
        out
    }

    #[test]
    fn words_are_lowercased_and_digits_masked() {
        let n = names("Работа 2500$");
        let words: Vec<&str> = n.iter().map(|x| x.0.as_str()).collect();
        assert!(words.contains(&"работа"));
        assert!(words.contains(&"0000"));
        assert!(words.contains(&"$"));
        assert!(words.contains(&"работа 0000"));
        assert!(words.contains(&"0000 $"));
        assert!(words.contains(&"<раб"));
        assert!(words.contains(&"бота>"));
        assert!(
            !words.contains(&"<000"),
            "numbers have no character n-grams"
        );
        // Ages and hours stay readable.
        let n = names("от 15 лет, 24/7, тел 8 701");
        let words: Vec<&str> = n.iter().map(|x| x.0.as_str()).collect();
        assert!(words.contains(&"15 лет"));
        assert!(words.contains(&"24"));
        assert!(words.contains(&"8 000"));
    }

    #[test]
    fn spans_point_at_the_original_bytes() {
        let text = "Ищем ДЕВУШЕК";
        for (name, (s, e)) in names(text) {
            let orig = text[s..e].to_lowercase();
            let bare = name.trim_start_matches('<').trim_end_matches('>');
            assert_eq!(orig, bare, "{name}");
        }
    }

    #[test]
    fn char_ngrams_of_a_short_word() {
        let n: Vec<String> = names("в").into_iter().map(|x| x.0).collect();
        assert_eq!(n, vec!["в".to_string(), "<в>".to_string()]);
    }

    #[test]
    fn values_are_l2_normalised_and_sublinear() {
        let w = weighted("да да да нет", &CFG);
        let norm: f32 = w.iter().map(|x| x.1 * x.1).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert!((tf_weight(3) - (1.0 + 3f32.ln())).abs() < 1e-6);
    }

    #[test]
    fn hash_is_stable() {
        // The hash is part of the saved-model format: changing it silently
        // would break every saved model.
        let p = Prepared::new("работа");
        let mut first = None;
        for_each(&p, &CFG, |h, _| {
            if first.is_none() {
                first = Some(h);
            }
        });
        let expected = finish(fnv(fnv(FNV_OFFSET, b"w"), "работа".as_bytes()));
        assert_eq!(first, Some(expected));
        assert_eq!(finish(fnv(FNV_OFFSET, b"")), finish(0xcbf2_9ce4_8422_2325));
        assert_eq!(fnv(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
