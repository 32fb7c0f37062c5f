//! Step 4a: digits written as words.
//!
//! Phone numbers are spelled out ("восемь семь ноль один …", "сегіз жеті
//! нөл", "seven seven zero", or dictated in groups: "восемь семьсот
//! семьдесят семь") to pass digit filters. Runs of at least three number
//! words (Russian, Kazakh, English) separated only by spaces, commas or
//! dashes become digits: units give one digit, teens two, a tens word joins
//! the unit after it ("семьдесят семь" → 77), a hundreds word the tens and
//! units after it ("семьсот один" → 701). Each group's digits map to its
//! words. Shorter runs ("один раз", "двадцать пять лет") are ordinary
//! language and untouched.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::piece::Piece;

const MIN_RUN: usize = 3;

/// A number word's value and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    /// 0–9.
    Unit(u8),
    /// 10–19.
    Teen(u8),
    /// 2–9 for twenty … ninety (1 for the Kazakh «он», ten, which takes a unit).
    Tens(u8),
    /// 1–9 hundreds.
    Hundreds(u8),
}

/// Every number word with its value, for a hash lookup built once.
const TENS_AND_MORE: &[(&str, Num)] = &[
    ("десять", Num::Teen(10)),
    ("ten", Num::Teen(10)),
    ("одиннадцать", Num::Teen(11)),
    ("eleven", Num::Teen(11)),
    ("двенадцать", Num::Teen(12)),
    ("twelve", Num::Teen(12)),
    ("тринадцать", Num::Teen(13)),
    ("thirteen", Num::Teen(13)),
    ("четырнадцать", Num::Teen(14)),
    ("fourteen", Num::Teen(14)),
    ("пятнадцать", Num::Teen(15)),
    ("fifteen", Num::Teen(15)),
    ("шестнадцать", Num::Teen(16)),
    ("sixteen", Num::Teen(16)),
    ("семнадцать", Num::Teen(17)),
    ("seventeen", Num::Teen(17)),
    ("восемнадцать", Num::Teen(18)),
    ("eighteen", Num::Teen(18)),
    ("девятнадцать", Num::Teen(19)),
    ("nineteen", Num::Teen(19)),
    ("он", Num::Tens(1)),
    ("двадцать", Num::Tens(2)),
    ("жиырма", Num::Tens(2)),
    ("twenty", Num::Tens(2)),
    ("тридцать", Num::Tens(3)),
    ("отыз", Num::Tens(3)),
    ("thirty", Num::Tens(3)),
    ("сорок", Num::Tens(4)),
    ("қырық", Num::Tens(4)),
    ("forty", Num::Tens(4)),
    ("пятьдесят", Num::Tens(5)),
    ("елу", Num::Tens(5)),
    ("fifty", Num::Tens(5)),
    ("шестьдесят", Num::Tens(6)),
    ("алпыс", Num::Tens(6)),
    ("sixty", Num::Tens(6)),
    ("семьдесят", Num::Tens(7)),
    ("жетпіс", Num::Tens(7)),
    ("seventy", Num::Tens(7)),
    ("восемьдесят", Num::Tens(8)),
    ("сексен", Num::Tens(8)),
    ("eighty", Num::Tens(8)),
    ("девяносто", Num::Tens(9)),
    ("тоқсан", Num::Tens(9)),
    ("ninety", Num::Tens(9)),
    ("сто", Num::Hundreds(1)),
    ("жүз", Num::Hundreds(1)),
    ("двести", Num::Hundreds(2)),
    ("триста", Num::Hundreds(3)),
    ("четыреста", Num::Hundreds(4)),
    ("пятьсот", Num::Hundreds(5)),
    ("шестьсот", Num::Hundreds(6)),
    ("семьсот", Num::Hundreds(7)),
    ("восемьсот", Num::Hundreds(8)),
    ("девятьсот", Num::Hundreds(9)),
];

/// FNV-1a: the keys are a few short words, so a simple hash beats SipHash
/// on the fast path, which looks up every word of a document.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Table = HashMap<&'static str, Num, BuildHasherDefault<Fnv>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Table = TENS_AND_MORE.iter().copied().collect();
        for (d, words) in DIGIT_WORDS.iter().enumerate() {
            for w in *words {
                t.insert(w, Num::Unit(d as u8));
            }
        }
        t
    })
}

/// The value of a lower-case number word.
fn num_of(word: &str) -> Option<Num> {
    // No number word is longer than 12 letters (24 bytes in Cyrillic).
    if word.len() > 24 || word.len() < 2 {
        return None;
    }
    table().get(word).copied()
}

/// Key of the first three characters of a lower-case word.
fn prefix_key(mut chars: impl Iterator<Item = char>) -> u64 {
    let mut k = 0u64;
    for _ in 0..3 {
        k = (k << 21) | u64::from(chars.next().map_or(0, u32::from));
    }
    k
}

/// Lower case, with Latin look-alikes read as the Cyrillic letters they
/// imitate, so «сeмь» with a Latin e keys like «семь».
fn fold(c: char) -> char {
    let c = crate::piece::lower_char(c).unwrap_or(c);
    crate::homoglyph::latin_to_cyrillic(c).unwrap_or(c)
}

fn prefixes() -> &'static std::collections::HashSet<u64, BuildHasherDefault<Fnv>> {
    static P: OnceLock<std::collections::HashSet<u64, BuildHasherDefault<Fnv>>> = OnceLock::new();
    P.get_or_init(|| {
        table()
            .keys()
            .map(|w| prefix_key(w.chars().map(fold)))
            .collect()
    })
}

/// Bits of [`pair_bit`] for the first two (folded) characters of every
/// number word: a filter that rejects nearly every other word after
/// looking at two characters.
fn pairs() -> &'static [u64; 64] {
    static P: OnceLock<[u64; 64]> = OnceLock::new();
    P.get_or_init(|| {
        let mut bits = [0u64; 64];
        for w in table().keys() {
            let mut ch = w.chars().map(fold);
            let bit = pair_bit(ch.next(), ch.next());
            bits[bit / 64] |= 1 << (bit % 64);
        }
        bits
    })
}

/// Bit (0..4096) of a pair of folded characters.
fn pair_bit(a: Option<char>, b: Option<char>) -> usize {
    let v = |c: Option<char>| c.map_or(0, u32::from) as usize;
    (v(a).wrapping_mul(31) ^ v(b).wrapping_mul(0x9E37)) & 4095
}

/// Cheap first test: whether `word` (any case, look-alike letters allowed)
/// begins like some number word. Only words that pass are looked up.
pub(crate) fn may_be_number_word(word: &str) -> bool {
    let b = word.as_bytes();
    // Words starting with two ASCII or basic Cyrillic characters (nearly
    // all) are answered from a direct table of the pair test below.
    let direct = small_code(b, 0)
        .and_then(|(x, l)| small_code(b, l).map(|(y, _)| DIRECT_PAIR_STRIDE * x + y));
    let pair_ok = match direct {
        Some(k) => direct_pairs()[k / 64] & (1 << (k % 64)) != 0,
        None => {
            let mut ch = word.chars().map(fold);
            let bit = pair_bit(ch.next(), ch.next());
            pairs()[bit / 64] & (1 << (bit % 64)) != 0
        }
    };
    pair_ok && prefixes().contains(&prefix_key(word.chars().map(fold)))
}

/// Codes of [`small_code`]: ASCII, then U+0400..=U+047F.
const DIRECT_PAIR_STRIDE: usize = 256;

/// Code (below [`DIRECT_PAIR_STRIDE`]) and length of the character at
/// byte `i` of `b` when it is ASCII or basic Cyrillic (U+0400..=U+047F,
/// lead bytes `0xD0`/`0xD1`).
#[inline]
fn small_code(b: &[u8], i: usize) -> Option<(usize, usize)> {
    match *b.get(i)? {
        x if x < 0x80 => Some((usize::from(x), 1)),
        x @ (0xD0 | 0xD1) => {
            let y = *b.get(i + 1)?;
            (y & 0xC0 == 0x80).then(|| (128 + (usize::from(x & 1) << 6 | usize::from(y & 0x3F)), 2))
        }
        _ => None,
    }
}

/// The character of [`small_code`] `k`.
fn small_char(k: usize) -> Option<char> {
    if k < 128 {
        char::from_u32(k as u32)
    } else {
        char::from_u32(0x400 + (k as u32 - 128))
    }
}

/// The pair test of [`may_be_number_word`] for every two characters of
/// [`small_code`]s `x`, `y`, at bit `DIRECT_PAIR_STRIDE * x + y`.
fn direct_pairs() -> &'static [u64] {
    static P: OnceLock<Vec<u64>> = OnceLock::new();
    P.get_or_init(|| {
        let n = DIRECT_PAIR_STRIDE * DIRECT_PAIR_STRIDE;
        let mut bits = vec![0u64; n / 64];
        for k in 0..n {
            let (a, b) = (
                small_char(k / DIRECT_PAIR_STRIDE),
                small_char(k % DIRECT_PAIR_STRIDE),
            );
            let bit = pair_bit(a.map(fold), b.map(fold));
            if pairs()[bit / 64] & (1 << (bit % 64)) != 0 {
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        bits
    })
}

/// Every number word (lower case).
pub(crate) fn words() -> impl Iterator<Item = &'static str> {
    table().keys().copied()
}

/// Whether `word` (lower case) is a number word of any supported language.
pub(crate) fn is_number_word(word: &str) -> bool {
    num_of(word).is_some()
}

fn digit(n: u8) -> char {
    char::from(b'0' + n % 10)
}

/// Digits of a run of number words, as (digits, first word, last word) groups.
fn groups(nums: &[Num]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let start = i;
        let mut digits = String::new();
        match nums[i] {
            Num::Unit(u) => digits.push(digit(u)),
            Num::Teen(t) => {
                digits.push(digit(t / 10));
                digits.push(digit(t));
            }
            Num::Tens(t) => {
                digits.push(digit(t));
                match nums.get(i + 1) {
                    Some(Num::Unit(u)) if *u > 0 => {
                        digits.push(digit(*u));
                        i += 1;
                    }
                    _ => digits.push('0'),
                }
            }
            Num::Hundreds(h) => {
                digits.push(digit(h));
                match nums.get(i + 1) {
                    Some(Num::Tens(t)) if *t >= 2 => {
                        digits.push(digit(*t));
                        i += 1;
                        match nums.get(i + 1) {
                            Some(Num::Unit(u)) if *u > 0 => {
                                digits.push(digit(*u));
                                i += 1;
                            }
                            _ => digits.push('0'),
                        }
                    }
                    Some(Num::Teen(t)) => {
                        digits.push(digit(t / 10));
                        digits.push(digit(*t));
                        i += 1;
                    }
                    Some(Num::Unit(u)) if *u > 0 => {
                        digits.push('0');
                        digits.push(digit(*u));
                        i += 1;
                    }
                    _ => digits.push_str("00"),
                }
            }
        }
        out.push((digits, start, i));
        i += 1;
    }
    out
}

/// Digit words 0–9 in Russian, Kazakh, Kyrgyz, Uzbek (Cyrillic and Latin)
/// and English.
const DIGIT_WORDS: [&[&str]; 10] = [
    &["ноль", "нуль", "нөл", "нол", "zero", "nol"],
    &["один", "одна", "бір", "бир", "one", "bir"],
    &["два", "две", "екі", "эки", "икки", "two", "ikki"],
    &["три", "үш", "үч", "уч", "three", "uch"],
    &["четыре", "төрт", "тўрт", "four", "toʻrt", "tort"],
    &["пять", "бес", "беш", "five", "besh"],
    &["шесть", "алты", "олти", "six", "olti"],
    &["семь", "жеті", "жети", "етти", "seven", "yetti"],
    &["восемь", "сегіз", "сегиз", "саккиз", "eight", "sakkiz"],
    &[
        "девять",
        "тоғыз",
        "тогуз",
        "тўққиз",
        "nine",
        "toʻqqiz",
        "toqqiz",
    ],
];

/// The number a word of at most 12 letters (`word`) spells, read in lower
/// case; built on the stack (12 characters of at most 4 bytes), as every
/// word of the text comes through here.
fn word_value(word: &[Piece]) -> Option<Num> {
    let mut buf = [0u8; 48];
    let mut n = 0;
    for p in word {
        let c = crate::piece::lower_char(p.ch)?;
        let l = c.len_utf8();
        let dst = buf.get_mut(n..n + l)?;
        c.encode_utf8(dst);
        n += l;
    }
    num_of(std::str::from_utf8(buf.get(..n)?).ok()?)
}

pub(crate) fn apply(pieces: Vec<Piece>) -> Vec<Piece> {
    // (start index, end index, number) of every alphabetic word.
    let mut words: Vec<(usize, usize, Option<Num>)> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if !crate::piece::is_alpha(pieces[i].ch) {
            i += 1;
            continue;
        }
        let s = i;
        while i < pieces.len() && crate::piece::is_alpha(pieces[i].ch) {
            i += 1;
        }
        // Number words are at most 12 letters.
        let num = if i - s <= 12 {
            word_value(&pieces[s..i])
        } else {
            None
        };
        words.push((s, i, num));
    }
    let gap_ok = |a: usize, b: usize| {
        pieces[a..b]
            .iter()
            .all(|p| p.ch.is_whitespace() || p.ch == ',' || p.ch == '-')
    };
    let mut reps = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if words[k].2.is_none() {
            k += 1;
            continue;
        }
        let s = k;
        while k + 1 < words.len() && words[k + 1].2.is_some() && gap_ok(words[k].1, words[k + 1].0)
        {
            k += 1;
        }
        let e = k;
        k += 1;
        if e - s + 1 < MIN_RUN {
            continue;
        }
        let run = &words[s..=e];
        let nums: Vec<Num> = run.iter().filter_map(|w| w.2).collect();
        let mut new = Vec::new();
        for (digits, first, last) in groups(&nums) {
            let (st, _) = crate::piece::span(&pieces[run[first].0..run[first].1]);
            let (_, en) = crate::piece::span(&pieces[run[last].0..run[last].1]);
            new.extend(digits.chars().map(|d| Piece::new(d, st, en)));
        }
        reps.push((words[s].0..words[e].1, new));
    }
    crate::piece::splice(pieces, reps)
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    fn word_or_number_word() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(words().collect::<Vec<_>>()).prop_map(String::from),
            "[a-zA-Zа-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІʻ'İẞ]{1,12}",
        ]
    }

    /// The pair test as it was before the direct table, which
    /// `may_be_number_word` must equal.
    fn may_be_number_word_reference(word: &str) -> bool {
        let mut ch = word.chars().map(fold);
        let bit = pair_bit(ch.next(), ch.next());
        if pairs()[bit / 64] & (1 << (bit % 64)) == 0 {
            return false;
        }
        prefixes().contains(&prefix_key(word.chars().map(fold)))
    }

    #[test]
    fn direct_pairs_equal_the_pair_test_on_every_pair() {
        let mut buf = String::new();
        for x in 0..DIRECT_PAIR_STRIDE {
            for y in 0..DIRECT_PAIR_STRIDE {
                let (Some(a), Some(b)) = (small_char(x), small_char(y)) else {
                    continue;
                };
                for tail in ["", "ь", "ть", "en", "\u{0301}"] {
                    buf.clear();
                    buf.push(a);
                    buf.push(b);
                    buf.push_str(tail);
                    assert_eq!(
                        may_be_number_word(&buf),
                        may_be_number_word_reference(&buf),
                        "{buf:?}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn may_be_number_word_equals_the_reference(
            w in word_or_number_word(),
            upper in any::<bool>(),
            odd in "[^ ]{0,3}",
        ) {
            let w = if upper { w.to_uppercase() } else { w };
            for v in [w.clone(), format!("{odd}{w}"), format!("{w}{odd}"), odd.clone()] {
                prop_assert_eq!(may_be_number_word(&v), may_be_number_word_reference(&v), "{:?}", v);
            }
        }

        /// `word_value` reads a word as the `String` it replaced did.
        #[test]
        fn word_value_is_the_string_lookup(w in word_or_number_word(), upper in any::<bool>()) {
            let w = if upper { w.to_uppercase() } else { w };
            let p = crate::piece::from_str(&w);
            if p.len() <= 12 {
                let old: Option<String> =
                    p.iter().map(|x| crate::piece::lower_char(x.ch)).collect();
                prop_assert_eq!(word_value(&p), old.and_then(|w| num_of(&w)));
            }
        }
    }
    use crate::piece::{from_str, to_string};

    #[test]
    fn pair_filter_never_rejects_a_prefix_match() {
        let plain = |w: &str| prefixes().contains(&prefix_key(w.chars().map(fold)));
        let mut words: Vec<String> = table().keys().map(|w| (*w).to_owned()).collect();
        words.extend(table().keys().map(|w| w.to_uppercase()));
        words.extend(table().keys().map(|w| format!("{w}ый")));
        words.extend(
            [
                "сeмь",
                "ceмь",
                "оdин",
                "Стол",
                "стоит",
                "a",
                "",
                "ж",
                "работа",
                "one",
                "ONE",
                "twelve",
            ]
            .map(String::from),
        );
        for w in &words {
            assert_eq!(may_be_number_word(w), plain(w), "{w}");
        }
    }

    fn run(s: &str) -> String {
        to_string(&apply(from_str(s)))
    }

    #[test]
    fn russian_kazakh_english() {
        assert_eq!(run("звони восемь семь ноль один два три"), "звони 870123");
        assert_eq!(run("Сегіз жеті нөл"), "870");
        assert_eq!(run("call seven seven zero, one"), "call 7701");
    }

    #[test]
    fn short_runs_untouched() {
        assert_eq!(run("один раз, два дня"), "один раз, два дня");
        assert_eq!(run("one or two"), "one or two");
    }

    #[test]
    fn grouped_dictation_composes_tens_and_hundreds() {
        assert_eq!(
            run("номер восемь семьсот семьдесят семь сто двенадцать сорок ноль"),
            "номер 8777112400"
        );
        assert_eq!(run("восемь семьсот один двадцать"), "870120");
        assert_eq!(run("сегіз жетпіс жеті он бір"), "87711");
        assert_eq!(run("seven twenty one fifteen"), "72115");
        // Two number words are still ordinary language.
        assert_eq!(run("двадцать пять лет"), "двадцать пять лет");
    }

    #[test]
    fn a_group_maps_to_all_its_words() {
        let s = "семьдесят семь восемь";
        let p = apply(from_str(s));
        assert_eq!(to_string(&p), "778");
        assert_eq!((p[0].start, p[0].end), (0, "семьдесят семь".len()));
        assert_eq!((p[1].start, p[1].end), (0, "семьдесят семь".len()));
        assert_eq!(p[2].start, "семьдесят семь ".len());
    }

    #[test]
    fn digits_map_to_words() {
        let s = "восемь семь ноль";
        let p = apply(from_str(s));
        assert_eq!(p.len(), 3);
        assert_eq!(
            (p[1].start, p[1].end),
            ("восемь ".len(), "восемь семь".len())
        );
    }
}
