//! BIP-39 seed phrases in running text: words of the list separated by
//! spaces, commas, line breaks or numbering ("1. abandon 2. ability …"),
//! any case. A run of list words is cut into phrases of 24, 21, 18, 15 or 12
//! words whose checksum holds.

use crate::bip39::{Wordlist, checksum_ok};
use crate::text::View;
use crate::{Collector, IdentifierKind};

/// Whether the text between two words may separate words of one phrase.
fn gap_ok(g: &[u8]) -> bool {
    g.len() <= 10
        && !g.is_empty()
        && g.iter().all(|&c| {
            c.is_ascii_whitespace()
                || c.is_ascii_digit()
                || matches!(c, b',' | b';' | b'.' | b')' | b'(' | b'-' | b':')
        })
}

/// Start of a numbering like "1." or "1)" directly before `s`.
fn numbering_start(b: &[u8], s: usize) -> usize {
    let mut k = s;
    if k > 0 && matches!(b[k - 1], b'.' | b')') {
        k -= 1;
        let d = k;
        while k > 0 && b[k - 1].is_ascii_digit() {
            k -= 1;
        }
        if k < d && (k == 0 || !b[k - 1].is_ascii_alphanumeric()) {
            return k;
        }
    }
    s
}

pub(crate) fn scan(v: &View<'_>, words: &Wordlist, out: &mut Collector) {
    let b = v.b;
    // Current run: (word index, start, end).
    let mut run: Vec<(u16, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let glued = (s > 0 && (b[s - 1] >= 0x80 || b[s - 1] == b'_'))
            || (i < b.len() && (b[i] >= 0x80 || b[i] == b'_' || b[i] == b'@'));
        let idx = if glued { None } else { words.index(&b[s..i]) };
        match idx {
            Some(k) => {
                if let Some(&(_, _, pe)) = run.last()
                    && !gap_ok(&b[pe..s])
                {
                    flush(v, words, &mut run, out);
                }
                run.push((k, s, i));
            }
            None => flush(v, words, &mut run, out),
        }
    }
    flush(v, words, &mut run, out);
}

fn flush(v: &View<'_>, words: &Wordlist, run: &mut Vec<(u16, usize, usize)>, out: &mut Collector) {
    let n = run.len();
    if n >= 12 {
        let idx: Vec<u16> = run.iter().map(|w| w.0).collect();
        let mut i = 0;
        'outer: while i + 12 <= n {
            for len in [24, 21, 18, 15, 12] {
                if i + len <= n && checksum_ok(&idx[i..i + len]) {
                    let phrase: Vec<&str> =
                        idx[i..i + len].iter().map(|&k| words.word(k)).collect();
                    let start = numbering_start(v.b, run[i].1);
                    let span = v.orig(start..run[i + len - 1].2);
                    out.add(
                        IdentifierKind::SeedPhrase,
                        phrase.join(" "),
                        None,
                        span.clone(),
                    );
                    out.claim(span);
                    i += len;
                    continue 'outer;
                }
            }
            i += 1;
        }
    }
    run.clear();
}
