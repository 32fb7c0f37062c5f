//! Checksummed identifiers read from the text as written (invisible
//! characters removed): wallet addresses, cards, IBANs, IINs.
//!
//! The scan walks maximal runs of ASCII letters and digits; text in other
//! scripts is skipped a byte at a time without further work. Each run is
//! tried only as what its shape allows (length, prefix), so the checksum
//! code runs on a handful of candidates per document.

use std::ops::Range;

use qorgau_normalize::Normalized;

use crate::{Collector, IdentifierKind, bank, crypto};

/// Characters of base64/base64url besides letters and digits (TON).
fn is_b64_extra(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'+' | b'/')
}

fn run_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

/// Digit groups of a card written in blocks: `4400 4343 1821 4474`,
/// `4400-4343-1821-4474`, `3782 822463 10005`. Returns the digits and the
/// end of the last group.
fn grouped_digits(b: &[u8], start: usize) -> Option<(String, usize)> {
    // At most five groups (no allocation: this runs on every digit run).
    let mut groups: [Range<usize>; 5] = [0..0, 0..0, 0..0, 0..0, 0..0];
    let mut count = 0;
    let mut i = start;
    loop {
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s || i - s > 6 || (i < b.len() && b[i].is_ascii_alphabetic()) {
            break;
        }
        groups[count] = s..i;
        count += 1;
        if i + 1 < b.len() && matches!(b[i], b' ' | b'-') && b[i + 1].is_ascii_digit() {
            i += 1;
        } else {
            break;
        }
        if count >= 5 {
            break;
        }
    }
    let groups = &groups[..count];
    let mut lens = [0usize; 5];
    for (l, g) in lens.iter_mut().zip(groups) {
        *l = g.len();
    }
    let take = match &lens[..count] {
        [4, 4, 4, 4, 1..=3, ..] => 5,
        [4, 4, 4, 4, ..] => 4,
        [4, 6, 5, ..] | [4, 6, 4, ..] => 3,
        _ => return None,
    };
    let last = groups.get(take - 1)?.end;
    let digits: String = groups[..take]
        .iter()
        .flat_map(|g| b[g.clone()].iter().map(|&c| char::from(c)))
        .collect();
    Some((digits, last))
}

/// A Kazakh IBAN starting at `start` ("KZ" + two digits), written solid or
/// in blocks of four separated by single spaces.
fn iban_at(b: &[u8], start: usize) -> Option<(String, usize)> {
    let mut s = String::with_capacity(20);
    let mut i = start;
    loop {
        let e = run_end(b, i);
        if e == i || s.len() + (e - i) > 20 {
            return None;
        }
        s.extend(b[i..e].iter().map(|&c| char::from(c)));
        i = e;
        if s.len() == 20 {
            return Some((bank::kz_iban(&s)?, e));
        }
        if i + 1 < b.len() && b[i] == b' ' && b[i + 1].is_ascii_alphanumeric() {
            i += 1;
        } else {
            return None;
        }
    }
}

/// Scans `light` (the text with invisible characters removed).
pub(crate) fn scan(light: &Normalized, out: &mut Collector) {
    if light.is_identity() {
        scan_text(light.as_str(), &|r| r, out);
    } else {
        scan_text(light.as_str(), &|r| light.original_range(r), out);
    }
}

/// Scans text `t` whose ranges map back to the original through `orig`.
pub(crate) fn scan_text(t: &str, orig: &dyn Fn(Range<usize>) -> Range<usize>, out: &mut Collector) {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let s = i;
        let e = run_end(b, i);
        let run = &t[s..e];
        let len = e - s;
        let prev = s.checked_sub(1).map(|k| b[k]);
        let mut next_i = e;

        if run.bytes().all(|c| c.is_ascii_digit()) {
            let glued = prev.is_some_and(|p| p == b'+' || p == b'/' || p == b'=');
            if !glued {
                if (13..=19).contains(&len) && bank::is_card(run) {
                    let r = orig(s..e);
                    out.add(IdentifierKind::Card, run.to_owned(), None, r.clone());
                    out.claim(r);
                } else if let Some((digits, end)) =
                    grouped_digits(b, s).filter(|(d, _)| bank::is_card(d))
                {
                    let r = orig(s..end);
                    out.add(IdentifierKind::Card, digits, None, r.clone());
                    out.claim(r);
                    next_i = end;
                } else if len == 12 && bank::is_iin(run) {
                    let r = orig(s..e);
                    out.add(IdentifierKind::Iin, run.to_owned(), None, r.clone());
                    out.claim(r);
                }
            }
        } else if len >= 4
            && run[..2].eq_ignore_ascii_case("KZ")
            && run.as_bytes()[2].is_ascii_digit()
            && run.as_bytes()[3].is_ascii_digit()
        {
            if let Some((iban, end)) = iban_at(b, s) {
                let r = orig(s..end);
                out.add(IdentifierKind::Iban, iban, None, r.clone());
                out.claim(r);
                next_i = end;
            }
        } else if len >= 14 {
            // Base64 alphabets reach over '-', '_', '+', '/' (TON).
            let (mut xs, mut xe) = (s, e);
            while xs > 0 && (b[xs - 1].is_ascii_alphanumeric() || is_b64_extra(b[xs - 1])) {
                xs -= 1;
            }
            while xe < b.len() && (b[xe].is_ascii_alphanumeric() || is_b64_extra(b[xe])) {
                xe += 1;
            }
            let found = if xe - xs == 48 && (xs, xe) != (s, e) {
                crypto::validate_address(&t[xs..xe]).map(|v| (v, xs, xe))
            } else {
                None
            }
            .or_else(|| crypto::validate_address(run).map(|v| (v, s, e)));
            if let Some(((chain, value), fs, fe)) = found {
                let r = orig(fs..fe);
                out.add(IdentifierKind::Crypto, value, Some(chain), r.clone());
                out.claim(r);
                next_i = next_i.max(fe);
            }
        }
        i = next_i.max(s + 1);
    }
}
