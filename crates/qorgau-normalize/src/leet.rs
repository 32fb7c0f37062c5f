//! Step 4d: leetspeak inside Latin words.
//!
//! "r4b0ta", "w0rk", "v@kansiya" replace letters by digits or `@` so the
//! word escapes keyword lists. Inside an otherwise Latin-alphabetic word of
//! at least four characters, 0 1 3 4 5 7 @ become o i e a s t a. Numbers,
//! handles, e-mails, URLs and words ending in a multi-digit number
//! ("covid19") are left alone.

use crate::piece::{Piece, tokens};

const MIN_LEN: usize = 4;

fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '@' => 'a',
        _ => return None,
    })
}

pub(crate) fn is_protected(tok: &[Piece]) -> bool {
    tok.first().is_some_and(|p| matches!(p.ch, '@' | '#'))
        || tok.iter().enumerate().any(|(i, p)| {
            p.ch == '/' || (p.ch == '.' && tok.get(i + 1).is_some_and(|n| n.ch.is_alphanumeric()))
        })
}

/// Whether the leet rule rewrites `word`, a run of ASCII letters, digits
/// and `@` (shared with the fast path, which must agree exactly).
pub(crate) fn applies(word: &[u8]) -> bool {
    if word.len() < MIN_LEN {
        return false;
    }
    let letters = word.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let subs = word
        .iter()
        .filter(|&&c| leet(char::from(c)).is_some())
        .count();
    let others = word.len() - letters - subs;
    if others > 0 || subs == 0 || letters < 2 || letters < subs {
        return false;
    }
    // Reject words ending in a multi-digit number and digit runs longer than 2.
    let mut run = 0;
    for c in word {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run > 2 {
            return false;
        }
    }
    !(run >= 2 || word.first() == Some(&b'@'))
}

fn fix_word(word: &mut [Piece]) {
    let bytes: Vec<u8> = word
        .iter()
        .map(|p| if p.ch.is_ascii() { p.ch as u8 } else { 0 })
        .collect();
    if !applies(&bytes) {
        return;
    }
    for p in word.iter_mut() {
        if let Some(c) = leet(p.ch) {
            p.ch = c;
        }
    }
}

pub(crate) fn apply(mut pieces: Vec<Piece>) -> Vec<Piece> {
    for tok in tokens(&pieces) {
        if is_protected(&pieces[tok.clone()]) {
            continue;
        }
        let mut i = tok.start;
        while i < tok.end {
            let c = pieces[i].ch;
            if !(c.is_ascii_alphanumeric() || c == '@') {
                i += 1;
                continue;
            }
            let s = i;
            while i < tok.end && (pieces[i].ch.is_ascii_alphanumeric() || pieces[i].ch == '@') {
                i += 1;
            }
            // A word glued to non-ASCII letters is not a Latin word.
            let glued = |k: Option<&Piece>| k.is_some_and(|p| crate::piece::is_alpha(p.ch));
            if glued(s.checked_sub(1).and_then(|k| pieces.get(k))) || glued(pieces.get(i)) {
                continue;
            }
            fix_word(&mut pieces[s..i]);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::piece::{from_str, to_string};

    fn run(s: &str) -> String {
        to_string(&apply(from_str(s)))
    }

    #[test]
    fn decodes_leet_words() {
        assert_eq!(run("r4b0ta v Dub@i"), "rabota v Dubai");
        assert_eq!(run("h0t3l w0rk, v@kansiya!"), "hotel work, vakansiya!");
    }

    #[test]
    fn numbers_handles_emails_untouched() {
        assert_eq!(run("3000$ 87011234567 2024"), "3000$ 87011234567 2024");
        assert_eq!(
            run("@w0rk_kz job@mail.ru t.me/r4b0ta"),
            "@w0rk_kz job@mail.ru t.me/r4b0ta"
        );
        assert_eq!(run("covid19 a1b mp3"), "covid19 a1b mp3");
    }
}
