//! Canonical word tokens: the form in which two ads count as "the same text".
//!
//! Reposts of one template differ in case, punctuation, emoji, phone numbers,
//! prices and ages. None of that should split a template, so a token is a
//! maximal run of letters and digits (any script), lower-cased, with `ё`
//! folded to `е` and every run of digits replaced by `#`. Consecutive
//! all-digit tokens on a line collapse into one `#`, so `8 771 113 22 00` and
//! `87711132200` give the same tokens. Everything that is neither a letter nor
//! a digit (punctuation, emoji, symbols, spaces) only separates tokens.
//! A token that still mixes Cyrillic with Latin letters after
//! `qorgau-normalize` (a look-alike it did not catch) has its Latin
//! look-alikes read as Cyrillic, so one obfuscated word does not count as a
//! different word.

/// The mark that stands for a run of digits.
pub(crate) const DIGITS: char = '#';

/// True for a letter or digit of any script. ASCII and the basic Cyrillic
/// block, nearly all of our text, skip the Unicode table lookup.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('А'..='я').contains(&c) || c == 'ё' || c == 'Ё' {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// Appends the canonical form of word char `c` to `out` (lower case, `ё` →
/// `е`, any digit → [`DIGITS`] unless the previous char already was one).
#[inline]
fn push_canonical(c: char, out: &mut String) {
    let digit = if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        !('А'..='я').contains(&c) && c.is_numeric()
    };
    if digit {
        if !out.ends_with(DIGITS) {
            out.push(DIGITS);
        }
    } else if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if ('А'..='Я').contains(&c) {
        // Basic Cyrillic capitals are 0x20 below their small letters.
        out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c));
    } else if ('а'..='я').contains(&c) {
        out.push(c);
    } else {
        for l in c.to_lowercase() {
            out.push(match l {
                'ё' => 'е',
                other => other,
            });
        }
    }
}

/// Reads the Latin look-alikes of a canonical token as Cyrillic when the
/// token has both Latin and Cyrillic letters; `scratch` is reused.
fn fold_mixed_script(token: &mut String, scratch: &mut String) {
    let latin = token.bytes().any(|b| b.is_ascii_lowercase());
    if !latin
        || token.is_ascii()
        || !token
            .chars()
            .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    {
        return;
    }
    scratch.clear();
    scratch.extend(
        token
            .chars()
            .map(|c| qorgau_normalize::latin_to_cyrillic(c).unwrap_or(c)),
    );
    std::mem::swap(token, scratch);
}

/// Canonical key of one whitespace-separated word as written: its letters and
/// digits in canonical form, everything else dropped (`«Абу-Даби»` →
/// `абудаби`, `2500$` → `#`). Empty when the word has no letter or digit.
pub(crate) fn word_key(word: &str, out: &mut String, scratch: &mut String) {
    out.clear();
    for c in word.chars() {
        if is_word_char(c) {
            push_canonical(c, out);
        }
    }
    fold_mixed_script(out, scratch);
}

/// Calls `emit(line, token)` for every canonical token of `text`, in order.
/// `line` counts only lines that have at least one token, from 0.
pub(crate) fn for_each_token(text: &str, mut emit: impl FnMut(usize, &str)) {
    let mut buf = String::with_capacity(32);
    let mut scratch = String::with_capacity(32);
    let mut line = 0usize;
    for raw_line in text.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let mut any = false;
        let mut last_was_digits = false;
        let mut flush = |buf: &mut String, any: &mut bool, last_was_digits: &mut bool| {
            if buf.is_empty() {
                return;
            }
            let digits_only = buf.chars().all(|c| c == DIGITS);
            fold_mixed_script(buf, &mut scratch);
            if !(digits_only && *last_was_digits) {
                emit(line, buf);
                *any = true;
            }
            *last_was_digits = digits_only;
            buf.clear();
        };
        for c in raw_line.chars() {
            if is_word_char(c) {
                push_canonical(c, &mut buf);
            } else {
                flush(&mut buf, &mut any, &mut last_was_digits);
            }
        }
        flush(&mut buf, &mut any, &mut last_was_digits);
        if any {
            line += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for_each_token(text, |l, t| out.push((l, t.to_owned())));
        out
    }

    #[test]
    fn masks_digits_and_drops_punctuation_and_emoji() {
        let t = tokens("Работа в Дубае 🇦🇪!\n\nЗП от 2500$ 💸, звони 8 771 113 22 00");
        let words: Vec<&str> = t.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(
            words,
            ["работа", "в", "дубае", "зп", "от", "#", "звони", "#"]
        );
        assert_eq!(t[2].0, 0);
        assert_eq!(t[3].0, 1);
    }

    #[test]
    fn reads_latin_look_alikes_in_cyrillic_words_as_cyrillic() {
        let t = tokens("Нaбuрaю дeвушeк в KAZAKHSTAN, пиши в WhatsApp");
        let words: Vec<&str> = t.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(
            words,
            [
                "набираю",
                "девушек",
                "в",
                "kazakhstan",
                "пиши",
                "в",
                "whatsapp"
            ]
        );
    }

    #[test]
    fn folds_case_yo_and_keeps_kazakh_letters() {
        let t = tokens("ЖҰМЫС Ёлка visa_seoul56");
        let words: Vec<&str> = t.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["жұмыс", "елка", "visa", "seoul#"]);
    }

    #[test]
    fn fast_paths_agree_with_unicode_tables() {
        for c in ('\u{0}'..='\u{0500}').chain(['𝟘', '٣', 'Ⅻ', 'ǅ']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
            if is_word_char(c) {
                let mut fast = String::new();
                push_canonical(c, &mut fast);
                let slow: String = if c.is_numeric() {
                    DIGITS.to_string()
                } else {
                    c.to_lowercase()
                        .map(|l| if l == 'ё' { 'е' } else { l })
                        .collect()
                };
                assert_eq!(fast, slow, "{c:?}");
            }
        }
    }

    #[test]
    fn word_key_drops_non_alphanumerics() {
        let (mut k, mut s) = (String::new(), String::new());
        word_key("«Абу-Даби»", &mut k, &mut s);
        assert_eq!(k, "абудаби");
        word_key("3000$", &mut k, &mut s);
        assert_eq!(k, "#");
        word_key("👉", &mut k, &mut s);
        assert_eq!(k, "");
        word_key("(пeшиe/aBтo)", &mut k, &mut s);
        assert_eq!(k, "пешиеавто");
        word_key("Work", &mut k, &mut s);
        assert_eq!(k, "work");
    }
}
