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

fn num_of(word: &str) -> Option<Num> {
    if let Some(d) = digit_of(word) {
        return Some(Num::Unit(d as u8 - b'0'));
    }
    Some(match word {
        "десять" | "ten" => Num::Teen(10),
        "одиннадцать" | "eleven" => Num::Teen(11),
        "двенадцать" | "twelve" => Num::Teen(12),
        "тринадцать" | "thirteen" => Num::Teen(13),
        "четырнадцать" | "fourteen" => Num::Teen(14),
        "пятнадцать" | "fifteen" => Num::Teen(15),
        "шестнадцать" | "sixteen" => Num::Teen(16),
        "семнадцать" | "seventeen" => Num::Teen(17),
        "восемнадцать" | "eighteen" => Num::Teen(18),
        "девятнадцать" | "nineteen" => Num::Teen(19),
        "он" => Num::Tens(1),
        "двадцать" | "жиырма" | "twenty" => Num::Tens(2),
        "тридцать" | "отыз" | "thirty" => Num::Tens(3),
        "сорок" | "қырық" | "forty" => Num::Tens(4),
        "пятьдесят" | "елу" | "fifty" => Num::Tens(5),
        "шестьдесят" | "алпыс" | "sixty" => Num::Tens(6),
        "семьдесят" | "жетпіс" | "seventy" => Num::Tens(7),
        "восемьдесят" | "сексен" | "eighty" => Num::Tens(8),
        "девяносто" | "тоқсан" | "ninety" => Num::Tens(9),
        "сто" | "жүз" => Num::Hundreds(1),
        "двести" => Num::Hundreds(2),
        "триста" => Num::Hundreds(3),
        "четыреста" => Num::Hundreds(4),
        "пятьсот" => Num::Hundreds(5),
        "шестьсот" => Num::Hundreds(6),
        "семьсот" => Num::Hundreds(7),
        "восемьсот" => Num::Hundreds(8),
        "девятьсот" => Num::Hundreds(9),
        _ => return None,
    })
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
    // (start index, end index, number) of every alphabetic word.
    let mut words: Vec<(usize, usize, Option<Num>)> = Vec::new();
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
        words.push((s, i, num_of(&w)));
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
