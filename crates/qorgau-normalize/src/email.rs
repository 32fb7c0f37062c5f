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

fn addr_like(t: &str) -> bool {
    !t.is_empty()
        && t.chars().all(is_addr_char)
        && t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && t.chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

fn has_domain_dot(t: &str) -> bool {
    t.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic())
}

fn lower(p: &[Piece]) -> String {
    let mut out = String::with_capacity(p.len() * 2);
    for p in p {
        match crate::piece::lower_char(p.ch) {
            Some(c) => out.push(c),
            None => out.extend(p.ch.to_lowercase()),
        }
    }
    out
}

/// Whether a token starting with `c` may be a marker word (see
/// [`marker`]): brackets, a/d, Cyrillic с/т/н/э, in either case.
fn may_start_marker(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | 'a' | 'A' | 'd' | 'D' | 'с' | 'С' | 'т' | 'Т' | 'н' | 'Н' | 'э' | 'Э'
    )
}

/// English words that stand before "at" in a sentence ("Book at site.kz",
/// "apply at…") and are not the local part of an address.
const NOT_LOCAL_PARTS: &[&str] = &[
    "book",
    "apply",
    "write",
    "email",
    "mail",
    "e-mail",
    "us",
    "me",
    "contact",
    "call",
    "find",
    "visit",
    "reach",
    "available",
    "booking",
    "order",
    "here",
    "sign",
    "register",
    "look",
    "them",
    "him",
    "her",
    "it",
    "online",
    "info",
    "details",
    "more",
    "located",
    "based",
    "work",
    "job",
    "jobs",
    "study",
    "live",
    "stay",
    "meet",
    "message",
    "text",
    "dm",
    "chat",
    "join",
    "subscribe",
    "follow",
    "read",
    "see",
    "shop",
    "buy",
    "sell",
    "pay",
    "send",
    "ask",
    "enquire",
    "inquire",
    "now",
    "today",
    "interview",
    "interviews",
    "resume",
    "cv",
    "portfolio",
];

/// Whether marker token `marker` (lower case) between tokens `left` and
/// `right` is read as `.` (`dot`) or `@`. Shared by the step and the fast
/// path so that both decide the same way.
pub(crate) fn spaced_marker_fires(left: &str, marker_lc: &str, right: &str, dot: bool) -> bool {
    let Some(bracketed) = marker(marker_lc, dot) else {
        return false;
    };
    let right = right.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»', '"', '\'']);
    let left_ok = if dot {
        // "name@host точка com": the left part may already hold the '@'.
        let mut parts = left.splitn(2, '@');
        parts.next().is_some_and(addr_like) && parts.next().is_none_or(addr_like)
    } else {
        addr_like(left)
    };
    if !left_ok || !addr_like(right) {
        return false;
    }
    if dot {
        // The rest of a domain: a top-level label («com»), or a two-level
        // public suffix written as is («точка com.kz»).
        let labels = right.split('.').count();
        return bracketed
            || (labels <= 2
                && right.split('.').all(|l| {
                    (2..=10).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic())
                }));
    }
    if bracketed {
        return true;
    }
    if !has_domain_dot(right) || right.to_ascii_lowercase().starts_with("www.") {
        return false;
    }
    if matches!(marker_lc, "at" | "эт") {
        // English "at" is a preposition far more often than an address.
        let l = left.to_ascii_lowercase();
        let marked = left
            .bytes()
            .any(|b| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
        return !NOT_LOCAL_PARTS.contains(&l.as_str()) && (marked || l == left);
    }
    true
}

/// Bare marker words for `.` and for `@` (lower case).
pub(crate) const DOT_WORDS: &[&str] = &["dot", "точка", "тчк", "нүкте"];
/// See [`DOT_WORDS`].
pub(crate) const AT_WORDS: &[&str] = &["at", "собака", "собачка", "эт"];

/// `Some(bracketed)` if `word` is a marker for `.` (`dot`) or `@`.
pub(crate) fn marker(word: &str, dot: bool) -> Option<bool> {
    if dot {
        match word {
            "(dot)" | "[dot]" | "{dot}" | "(точка)" | "[точка]" => Some(true),
            w if DOT_WORDS.contains(&w) => Some(false),
            _ => None,
        }
    } else {
        match word {
            "(at)" | "[at]" | "{at}" | "(собака)" | "[собака]" => Some(true),
            w if AT_WORDS.contains(&w) => Some(false),
            _ => None,
        }
    }
}

/// Bare markers as separate tokens: `left MARKER right`.
fn spaced_markers(pieces: Vec<Piece>, dot: bool) -> Vec<Piece> {
    let toks = tokens(&pieces);
    let mut reps = Vec::new();
    let mut k = 1;
    let text =
        |r: &std::ops::Range<usize>| -> String { pieces[r.clone()].iter().map(|p| p.ch).collect() };
    while k + 1 < toks.len() {
        let (l, m, r) = (&toks[k - 1], &toks[k], &toks[k + 1]);
        // Marker words are at most 9 characters.
        if m.len() > 9 || !may_start_marker(pieces[m.start].ch) {
            k += 1;
            continue;
        }
        let m_lc = lower(&pieces[m.clone()]);
        if marker(&m_lc, dot).is_none() || !spaced_marker_fires(&text(l), &m_lc, &text(r), dot) {
            k += 1;
            continue;
        }
        let (s, e) = crate::piece::span(&pieces[l.end..r.start]);
        let ch = if dot { '.' } else { '@' };
        reps.push((l.end..r.start, vec![Piece::new(ch, s, e)]));
        k += 2;
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
        if !matches!(pieces[i].ch, '(' | '[') {
            i += 1;
            continue;
        }
        let mut hit = None;
        for (pat, ch) in PATTERNS {
            let n = pat.len(); // ASCII patterns
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
    fn every_marker_starts_like_one() {
        for w in DOT_WORDS.iter().chain(AT_WORDS) {
            for v in [
                w.to_string(),
                w.to_uppercase(),
                format!("({w})"),
                format!("[{w}]"),
                format!("{{{w}}}"),
            ] {
                let first = v.chars().next().unwrap_or(' ');
                assert!(may_start_marker(first), "{v}");
            }
        }
        for m in [
            "(dot)",
            "[dot]",
            "{dot}",
            "(точка)",
            "[точка]",
            "(at)",
            "[at]",
            "{at}",
            "(собака)",
            "[собака]",
        ] {
            assert!(
                marker(m, true).is_some() || marker(m, false).is_some(),
                "{m}"
            );
        }
    }

    #[test]
    fn spelled_out_address_with_a_two_level_suffix() {
        assert_eq!(
            run("hr_kz собака qyzmet-online точка com.kz"),
            "hr_kz@qyzmet-online.com.kz"
        );
        assert_eq!(run("это точка зрения"), "это точка зрения");
        assert_eq!(run("site точка a.b.c"), "site точка a.b.c");
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
    fn address_pieces_with_punctuation_and_an_at_sign() {
        assert_eq!(
            run("на почту chat_sabina@dalamail точка com"),
            "на почту chat_sabina@dalamail.com"
        );
        assert_eq!(run("на job собака mail точка ru."), "на job@mail.ru.");
        assert_eq!(run("write nurlan at mail.ru"), "write nurlan@mail.ru");
    }

    #[test]
    fn english_at_before_a_site_is_a_preposition() {
        assert_eq!(run("Book at aina-foto.kz"), "Book at aina-foto.kz");
        assert_eq!(run("Apply at www.site.kz"), "Apply at www.site.kz");
        assert_eq!(run("apply at site.kz"), "apply at site.kz");
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
