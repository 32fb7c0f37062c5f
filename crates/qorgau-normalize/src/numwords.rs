//! Step 4a: digits written as words.
//!
//! Phone numbers are spelled out ("восемь семь ноль один …", "сегіз жеті
//! нөл", "seven seven zero") to pass digit filters. Runs of at least three
//! digit words (Russian, Kazakh, English) separated only by spaces, commas or
//! dashes become digits; each digit maps to its word. Shorter runs ("один
//! раз") are ordinary language and untouched.

use crate::piece::Piece;

const MIN_RUN: usize = 3;

fn digit_of(word: &str) -> Option<char> {
    Some(match word {
        "ноль" | "нуль" | "нөл" | "zero" => '0',
        "один" | "одна" | "бір" | "one" => '1',
        "два" | "две" | "екі" | "two" => '2',
        "три" | "үш" | "three" => '3',
        "четыре" | "төрт" | "four" => '4',
        "пять" | "бес" | "five" => '5',
        "шесть" | "алты" | "six" => '6',
        "семь" | "жеті" | "seven" => '7',
        "восемь" | "сегіз" | "eight" => '8',
        "девять" | "тоғыз" | "nine" => '9',
        _ => return None,
    })
}

pub(crate) fn apply(pieces: Vec<Piece>) -> Vec<Piece> {
    // (start index, end index, digit) of every alphabetic word.
    let mut words: Vec<(usize, usize, Option<char>)> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if !pieces[i].ch.is_alphabetic() {
            i += 1;
            continue;
        }
        let s = i;
        while i < pieces.len() && pieces[i].ch.is_alphabetic() {
            i += 1;
        }
        let w: String = pieces[s..i]
            .iter()
            .flat_map(|p| p.ch.to_lowercase())
            .collect();
        words.push((s, i, digit_of(&w)));
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
        let new = words[s..=e]
            .iter()
            .filter_map(|&(a, b, d)| {
                let (st, en) = crate::piece::span(&pieces[a..b]);
                d.map(|d| Piece::new(d, st, en))
            })
            .collect();
        reps.push((words[s].0..words[e].1, new));
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
