//! Step 4b: phone numbers broken up by separators.
//!
//! "8 7 0 1 . 2 3 4 5 6 7 8" or "8 (701) 123-45-67" keep a number from
//! matching a digit pattern. Runs of at least seven digits whose groups are
//! separated by short runs (≤ 3 chars) of spaces, dots, dashes or brackets
//! are joined. Ordinary numbers ("3000 $") are too short to qualify and
//! dates ("12.05.2024") are recognised and kept.

use crate::piece::Piece;

const MIN_DIGITS: usize = 7;
const MAX_SEP: usize = 3;

pub(crate) fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{2010}'..='\u{2013}')
}

/// Groups (index ranges of digit runs) form a date like 12.05.2024.
fn has_date(groups: &[(usize, usize)], pieces: &[Piece]) -> bool {
    groups.windows(3).any(|w| {
        let l = |g: (usize, usize)| g.1 - g.0;
        let seps_ok = w
            .windows(2)
            .all(|p| p[1].0 == p[0].1 + 1 && matches!(pieces[p[0].1].ch, '.' | '-' | '/'));
        let (a, b, c) = (l(w[0]), l(w[1]), l(w[2]));
        seps_ok
            && (((1..=2).contains(&a) && (1..=2).contains(&b) && (c == 2 || c == 4))
                || (a == 4 && (1..=2).contains(&b) && (1..=2).contains(&c)))
    })
}

/// Letters that stand for zero inside numbers ("87О1…" with a Cyrillic О).
pub(crate) fn is_zero_like(c: char) -> bool {
    matches!(c, 'O' | 'o' | 'О' | 'о')
}

/// Turns zero look-alikes into `0` where they sit inside a number: between
/// two digits, or in a token made only of digits (at least one), zero
/// look-alikes and number punctuation.
fn zeros(pieces: &mut [Piece]) {
    for tok in crate::piece::tokens(pieces) {
        let t = &pieces[tok.clone()];
        // Links, handles, codes and wallet addresses keep their letters.
        if !t.iter().any(|p| is_zero_like(p.ch))
            || t.iter().any(|p| {
                matches!(p.ch, '/' | '@' | '_')
                    || (p.ch.is_ascii_alphabetic() && !is_zero_like(p.ch))
            })
        {
            continue;
        }
        let digits = t.iter().filter(|p| p.ch.is_ascii_digit()).count();
        let numeric = digits >= 1
            && t.iter().all(|p| {
                p.ch.is_ascii_digit() || is_zero_like(p.ch) || is_sep(p.ch) || p.ch == '+'
            });
        let mut i = tok.start;
        while i < tok.end {
            if !is_zero_like(pieces[i].ch) {
                i += 1;
                continue;
            }
            let s = i;
            while i < tok.end && is_zero_like(pieces[i].ch) {
                i += 1;
            }
            let flanked = s > tok.start
                && pieces[s - 1].ch.is_ascii_digit()
                && i < tok.end
                && pieces[i].ch.is_ascii_digit();
            if numeric || flanked {
                for p in &mut pieces[s..i] {
                    p.ch = '0';
                }
            }
        }
    }
}

pub(crate) fn apply(mut pieces: Vec<Piece>) -> Vec<Piece> {
    zeros(&mut pieces);
    let mut reps = Vec::new();
    let mut i = 0;
    let n = pieces.len();
    // Reused from one digit run to the next.
    let mut groups = Vec::new();
    while i < n {
        if !pieces[i].ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        groups.clear();
        loop {
            let s = i;
            while i < n && pieces[i].ch.is_ascii_digit() {
                i += 1;
            }
            groups.push((s, i));
            let mut j = i;
            while j < n && j - i < MAX_SEP && is_sep(pieces[j].ch) {
                j += 1;
            }
            if j > i && j < n && pieces[j].ch.is_ascii_digit() {
                i = j;
            } else {
                break;
            }
        }
        let total: usize = groups.iter().map(|g| g.1 - g.0).sum();
        if groups.len() > 1 && total >= MIN_DIGITS && !has_date(&groups, &pieces) {
            let (first, last) = (groups[0].0, groups[groups.len() - 1].1);
            let new = pieces[first..last]
                .iter()
                .filter(|p| p.ch.is_ascii_digit())
                .copied()
                .collect();
            reps.push((first..last, new));
        }
    }
    crate::piece::splice(pieces, reps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::piece::{from_str, to_string};

    /// The step as it was before it reused its vector of groups.
    fn apply_reference(mut pieces: Vec<Piece>) -> Vec<Piece> {
        zeros(&mut pieces);
        let mut reps = Vec::new();
        let mut i = 0;
        let n = pieces.len();
        while i < n {
            if !pieces[i].ch.is_ascii_digit() {
                i += 1;
                continue;
            }
            let mut groups = Vec::new();
            loop {
                let s = i;
                while i < n && pieces[i].ch.is_ascii_digit() {
                    i += 1;
                }
                groups.push((s, i));
                let mut j = i;
                while j < n && j - i < MAX_SEP && is_sep(pieces[j].ch) {
                    j += 1;
                }
                if j > i && j < n && pieces[j].ch.is_ascii_digit() {
                    i = j;
                } else {
                    break;
                }
            }
            let total: usize = groups.iter().map(|g| g.1 - g.0).sum();
            if groups.len() > 1 && total >= MIN_DIGITS && !has_date(&groups, &pieces) {
                let (first, last) = (groups[0].0, groups[groups.len() - 1].1);
                let new = pieces[first..last]
                    .iter()
                    .filter(|p| p.ch.is_ascii_digit())
                    .copied()
                    .collect();
                reps.push((first..last, new));
            }
        }
        crate::piece::splice(pieces, reps)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn reused_groups_change_nothing(s in "[0-9 .()/Оо+-]{0,40}|[0-9 a-z.\u{2013}-]{0,40}") {
            let p = from_str(&s);
            proptest::prop_assert_eq!(apply(p.clone()), apply_reference(p));
        }
    }

    fn run(s: &str) -> String {
        to_string(&apply(from_str(s)))
    }

    #[test]
    fn spaced_and_dotted_digits_join() {
        assert_eq!(run("тел 8 7 0 1 2 3 4"), "тел 8701234");
        assert_eq!(run("8 7 0 1 . 2 3 4"), "8701234");
        assert_eq!(run("8 (701) 123-45-67!"), "87011234567!");
    }

    #[test]
    fn normal_numbers_and_dates_kept() {
        assert_eq!(run("Зарплата 3000$ в Дубае"), "Зарплата 3000$ в Дубае");
        assert_eq!(
            run("3000 $ с 12.05.2024 по 20.05.2024"),
            "3000 $ с 12.05.2024 по 20.05.2024"
        );
        assert_eq!(run("1 2 3"), "1 2 3");
    }

    #[test]
    fn zero_look_alikes_inside_numbers() {
        assert_eq!(run("8 7О1 123 45 67"), "87011234567");
        assert_eq!(run("+7 (7OO) 1OO-2O-3O"), "+77001002030");
        assert_eq!(run("ООО Ромашка, 1О лет"), "ООО Ромашка, 10 лет");
        assert_eq!(run("ООО «Б2О»"), "ООО «Б2О»");
        assert_eq!(run("Hello World 2024"), "Hello World 2024");
        assert_eq!(run("t.me/+4o593U567m"), "t.me/+4o593U567m");
        assert_eq!(run("TQo9o8xyz"), "TQo9o8xyz");
    }

    #[test]
    fn digits_keep_their_ranges() {
        let p = apply(from_str("8 7 0 1 2 3 4"));
        assert_eq!(p.len(), 7);
        assert_eq!((p[6].start, p[6].end), (12, 13));
    }
}
