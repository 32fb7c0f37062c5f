//! The line classifier of `triage` as it was before the byte-level fast
//! paths (per-category word tables, Cyrillic letters of every block read
//! from their bytes): kept for tests only, as the reference the fast
//! classifier must agree with on every line.
#![allow(dead_code)]

use std::ops::Range;

use super::{Mark, Tables, lower, may_be_marker};
use crate::phone;
use crate::text::{is_alpha, is_space};

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
/// Latin letters, its length in characters, whether it is only ASCII, its
/// first and last characters; `None` when a letter in it is one that
/// normalisation may change.
struct WordScan {
    end: usize,
    cyr: bool,
    lat: bool,
    chars: usize,
    ascii: bool,
    first: char,
    /// Where the second character starts.
    second_at: Option<usize>,
    last: char,
}

#[inline]
fn scan_word(line: &str, mut i: usize) -> Option<WordScan> {
    let b = line.as_bytes();
    let n = b.len();
    let start = i;
    let mut w = WordScan {
        end: i,
        cyr: false,
        lat: false,
        chars: 0,
        ascii: true,
        first: '\0',
        second_at: None,
        last: '\0',
    };
    // Start of the second and of the last character.
    let mut second_at = None;
    let mut last_at = i;
    while i < n {
        let x = b[i];
        let at = i;
        if x.is_ascii_alphabetic() {
            w.lat = true;
            i += 1;
        } else if (x == 0xD0 || x == 0xD1) && i + 1 < n {
            w.cyr = true;
            w.ascii = false;
            i += 2;
        } else if x < 0x80 {
            break;
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
            second_at = Some(at);
        }
        last_at = at;
        w.chars += 1;
    }
    w.end = i;
    let char_at = |k: usize| line[k..].chars().next().unwrap_or('\0');
    w.first = char_at(start);
    w.second_at = second_at;
    w.last = char_at(last_at);
    Some(w)
}

fn is_zero_like(c: char) -> bool {
    matches!(c, 'O' | 'o' | 'О' | 'о')
}

pub(crate) fn classify(line: &str, t: &Tables<'_>, scratch: &mut Vec<Range<usize>>) -> Mark {
    let b = line.as_bytes();
    let n = b.len();
    let mut m = Mark {
        colon_end: line.trim_end().ends_with(':'),
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
    while idx < n {
        let x = b[idx];
        let k = if x < 0x80 { ASCII[usize::from(x)] } else { 0 };
        // A word: ASCII letters, Cyrillic, other letters.
        let starts_word = k & LETTER != 0
            || ((x == 0xD0 || x == 0xD1) && idx + 1 < n)
            || (x >= 0x80 && line[idx..].chars().next().is_some_and(is_alpha));
        if starts_word {
            let Some(w) = scan_word(line, idx) else {
                return hot;
            };
            // Zero look-alikes next to digits.
            if (s.prev_digit && is_zero_like(w.first))
                || (is_zero_like(w.last) && b.get(w.end).is_some_and(u8::is_ascii_digit))
            {
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
            let special = t.starts.may_hold_any(line, idx, w.second_at);
            if end_word(line, idx, w.end, w.cyr, w.lat, special, t, &mut s.w) {
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
            s.prev_zero = is_zero_like(w.last);
            s.prev_emoji = false;
            idx = w.end;
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
                if st >= chain_end
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
            if x == b'@' || (x == b'.' && b.get(idx + 1).is_some_and(u8::is_ascii_alphabetic)) {
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

/// Ends a word of letters `line[s..e]`; true when the line is hot.
#[allow(clippy::too_many_arguments)]
fn end_word(
    line: &str,
    s: usize,
    e: usize,
    cyr: bool,
    lat: bool,
    special: bool,
    t: &Tables<'_>,
    w: &mut Words,
) -> bool {
    if cyr && lat {
        return true;
    }
    let word = &line[s..e];
    let num_candidate =
        special && (2..=24).contains(&word.len()) && qorgau_normalize::may_be_number_word(word);
    let marker_candidate = special && word.len() <= 16 && may_be_marker(word);
    let mut buf = [0u8; 64];
    let lc = if num_candidate || marker_candidate {
        lower(word, &mut buf)
    } else {
        None
    };
    // Number words (exact, as the normaliser's fast path reads them).
    let is_num = num_candidate && lc.is_some_and(qorgau_normalize::is_number_word);
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
    if special
        && t.triggers.may_be_platform(word)
        && (t.triggers.platform(word).is_some() || crate::handles::is_tok(word))
        && !crate::handles::is_tenge(line, s, word)
    {
        return true;
    }
    // BIP-39 words.
    if word.is_ascii() && t.words.index(word.as_bytes()).is_some() {
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
