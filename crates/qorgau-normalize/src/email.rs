//! Step 4c: spelled-out e-mail and domain separators.
//!
//! "job.dubai собака gmail точка com" or "job(at)gmail(dot)com" hide an
//! address from e-mail detectors. Markers are replaced only when both
//! neighbours look like address parts (ASCII letters, digits, `._-`), so
//! ordinary words "at"/"dot"/"точка" in sentences stay.

use crate::piece::{Piece, tokens};

fn is_addr_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

fn addr_like(p: &[Piece]) -> bool {
    !p.is_empty()
        && p.iter().all(|p| is_addr_char(p.ch))
        && p.first().is_some_and(|p| p.ch.is_ascii_alphanumeric())
        && p.last().is_some_and(|p| p.ch.is_ascii_alphanumeric())
}

fn has_domain_dot(p: &[Piece]) -> bool {
    p.windows(2)
        .any(|w| w[0].ch == '.' && w[1].ch.is_ascii_alphabetic())
}

fn lower(p: &[Piece]) -> String {
    p.iter().flat_map(|p| p.ch.to_lowercase()).collect()
}

/// `Some(bracketed)` if `word` is a marker for `.` (`dot`) or `@`.
fn marker(word: &str, dot: bool) -> Option<bool> {
    if dot {
        match word {
            "(dot)" | "[dot]" | "{dot}" | "(точка)" | "[точка]" => Some(true),
            "dot" | "точка" | "тчк" | "нүкте" => Some(false),
            _ => None,
        }
    } else {
        match word {
            "(at)" | "[at]" | "{at}" | "(собака)" | "[собака]" => Some(true),
            "at" | "собака" | "собачка" | "эт" => Some(false),
            _ => None,
        }
    }
}

/// Bare markers as separate tokens: `left MARKER right`.
fn spaced_markers(pieces: Vec<Piece>, dot: bool) -> Vec<Piece> {
    let toks = tokens(&pieces);
    let mut reps = Vec::new();
    let mut k = 1;
    while k + 1 < toks.len() {
        let (l, m, r) = (&toks[k - 1], &toks[k], &toks[k + 1]);
        let Some(bracketed) = marker(&lower(&pieces[m.clone()]), dot) else {
            k += 1;
            continue;
        };
        let (left, right) = (&pieces[l.clone()], &pieces[r.clone()]);
        let ok = addr_like(left)
            && addr_like(right)
            && if dot {
                bracketed
                    || (right.len() >= 2
                        && right.len() <= 10
                        && right.iter().all(|p| p.ch.is_ascii_alphabetic()))
            } else {
                bracketed || has_domain_dot(right)
            };
        if ok {
            let (s, e) = crate::piece::span(&pieces[l.end..r.start]);
            let ch = if dot { '.' } else { '@' };
            reps.push((l.end..r.start, vec![Piece::new(ch, s, e)]));
            k += 2;
        } else {
            k += 1;
        }
    }
    crate::piece::splice(pieces, reps)
}

/// Bracketed markers glued to the address: `job(at)gmail(dot)com`.
fn glued_markers(pieces: Vec<Piece>) -> Vec<Piece> {
    const PATTERNS: [(&str, char); 4] =
        [("(at)", '@'), ("[at]", '@'), ("(dot)", '.'), ("[dot]", '.')];
    let mut reps = Vec::new();
    let mut i = 1;
    while i < pieces.len() {
        let mut hit = None;
        for (pat, ch) in PATTERNS {
            let n = pat.chars().count();
            if i + n < pieces.len()
                && pieces[i..i + n]
                    .iter()
                    .zip(pat.chars())
                    .all(|(p, c)| p.ch.to_ascii_lowercase() == c)
                && pieces[i - 1].ch.is_ascii_alphanumeric()
                && pieces[i + n].ch.is_ascii_alphanumeric()
            {
                hit = Some((n, ch));
                break;
            }
        }
        if let Some((n, ch)) = hit {
            let (s, e) = crate::piece::span(&pieces[i..i + n]);
            reps.push((i..i + n, vec![Piece::new(ch, s, e)]));
            i += n;
        } else {
            i += 1;
        }
    }
    crate::piece::splice(pieces, reps)
}

pub(crate) fn apply(pieces: Vec<Piece>) -> Vec<Piece> {
    let pieces = glued_markers(pieces);
    let pieces = spaced_markers(pieces, true);
    spaced_markers(pieces, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::piece::{from_str, to_string};

    fn run(s: &str) -> String {
        to_string(&apply(from_str(s)))
    }

    #[test]
    fn spelled_out_address() {
        assert_eq!(
            run("пиши job.dubai собака gmail точка com"),
            "пиши job.dubai@gmail.com"
        );
        assert_eq!(run("job (at) mail (dot) ru"), "job@mail.ru");
        assert_eq!(run("write: hr_kz at inbox dot kz"), "write: hr_kz@inbox.kz");
        assert_eq!(run("job(at)gmail[dot]com"), "job@gmail.com");
    }

    #[test]
    fn ordinary_sentences_untouched() {
        assert_eq!(run("meet at the office"), "meet at the office");
        assert_eq!(run("работа собака ест"), "работа собака ест");
        assert_eq!(run("look at me dot"), "look at me dot");
    }

    #[test]
    fn marker_maps_to_its_bytes() {
        let s = "a собака b.com";
        let p = apply(from_str(s));
        assert_eq!(to_string(&p), "a@b.com");
        assert_eq!((p[1].start, p[1].end), (1, " собака ".len() + 1));
    }
}
