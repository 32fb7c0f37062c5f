//! Step 3b: letter-spaced words.
//!
//! "пиши в т е л е г у" spreads a word over single letters so no keyword
//! matches. A run of at least four single-letter tokens separated by single
//! spaces is joined. A leading one-letter preposition (в, с, к, …) stays a
//! separate word when the rest of the run is still long enough.

use crate::piece::{Piece, tokens};

const MIN_RUN: usize = 4;

fn is_preposition(c: char) -> bool {
    matches!(
        c.to_lowercase().next().unwrap_or(c),
        'в' | 'с' | 'к' | 'у' | 'о' | 'и' | 'а' | 'я' | 'a' | 'i'
    )
}

pub(crate) fn apply(pieces: Vec<Piece>) -> Vec<Piece> {
    let toks = tokens(&pieces);
    let mut reps = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let single =
            |k: usize| toks[k].len() == 1 && crate::piece::is_alpha(pieces[toks[k].start].ch);
        if !single(i) {
            i += 1;
            continue;
        }
        let s = i;
        while i + 1 < toks.len() && single(i + 1) && toks[i + 1].start == toks[i].end + 1 {
            i += 1;
        }
        let mut first = s;
        let last = i;
        i += 1;
        if last - first + 1 > MIN_RUN && is_preposition(pieces[toks[first].start].ch) {
            first += 1;
        }
        // "Р А Б О Т А в Дубае": a trailing preposition of a different case.
        let mut last = last;
        let ch = |k: usize| pieces[toks[k].start].ch;
        if last - first + 1 > MIN_RUN
            && is_preposition(ch(last))
            && ch(last).is_uppercase() != ch(last - 1).is_uppercase()
        {
            last -= 1;
        }
        if last - first + 1 < MIN_RUN {
            continue;
        }
        let new: Vec<Piece> = (first..=last).map(|k| pieces[toks[k].start]).collect();
        reps.push((toks[first].start..toks[last].end, new));
    }
    crate::piece::splice(pieces, reps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::piece::{from_str, to_string};

    fn run(s: &str) -> String {
        to_string(&apply(from_str(s)))
    }

    #[test]
    fn joins_spaced_letters() {
        assert_eq!(run("пиши в т е л е г у"), "пиши в телегу");
        assert_eq!(run("Р А Б О Т А в Дубае"), "РАБОТА в Дубае");
    }

    #[test]
    fn ordinary_text_untouched() {
        assert_eq!(run("я и ты в Алматы"), "я и ты в Алматы");
        assert_eq!(run("a b c"), "a b c");
    }

    #[test]
    fn joined_letters_keep_their_ranges() {
        let s = "т е л е г а";
        let p = apply(from_str(s));
        assert_eq!(to_string(&p), "телега");
        assert_eq!(p[1].start, "т ".len());
    }
}
