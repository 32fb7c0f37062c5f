//! The matching form of a text: lower case, folded, tokenised, with a byte
//! map back to the normalised text.
//!
//! Lower-casing can change byte lengths («İ» → «i̇»), so the folded text is
//! built char by char and every output byte remembers the normalised byte
//! range of the character it came from. Folding also merges forms real
//! writers use interchangeably: «ё» and «е»; the Kazakh, Kyrgyz and Uzbek
//! letters with their plain Russian-keyboard look-alikes (people without a
//! Kazakh keyboard write «жумыс» for «жұмыс», «кыздар» for «қыздар»);
//! the many apostrophes of Uzbek Latin (oʻ o' o‘ o`); and dashes.
//! Patterns are folded the same way when the lexicon is loaded.

use std::ops::Range;

/// Folds one lower-case character to its matching form.
fn fold_char(c: char) -> char {
    match c {
        'ё' => 'е',
        'ә' => 'а',
        'ғ' => 'г',
        'қ' => 'к',
        'ң' => 'н',
        'ө' => 'о',
        'ұ' | 'ү' | 'ў' => 'у',
        'һ' | 'ҳ' => 'х',
        'і' => 'и',
        // Kazakh Latin (2021) and Turkish-style letters.
        'á' | 'à' | 'â' | 'ä' => 'a',
        'ǵ' | 'ğ' => 'g',
        'ı' | 'í' | 'ì' | 'î' => 'i',
        'ń' | 'ñ' => 'n',
        'ó' | 'ò' | 'ô' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ý' => 'y',
        'ş' => 's',
        'ç' => 'c',
        // Apostrophes of Uzbek Latin (oʻ, gʻ) and English.
        'ʻ' | 'ʼ' | '‘' | '’' | '`' | '´' | 'ʹ' | '′' => '\'',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
        _ => c,
    }
}

/// Whether `c` belongs to a word. Apostrophes are handled by the tokenizer.
/// ASCII, Latin-1/Latin Extended and Cyrillic letters take a fast path:
/// `char::is_alphanumeric` searches Unicode tables for every non-ASCII char.
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => true,
        '\u{00C0}'..='\u{024F}' => c != '\u{00D7}' && c != '\u{00F7}',
        _ => c.is_alphanumeric(),
    }
}

/// Lower case of `c`, with fast paths for ASCII and basic Cyrillic.
fn lower(c: char, out: &mut impl FnMut(char)) {
    match c {
        'A'..='Z' => out(c.to_ascii_lowercase()),
        _ if c.is_ascii() => out(c),
        '\u{0410}'..='\u{042F}' => out(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        '\u{0430}'..='\u{045F}' => out(c),
        _ => c.to_lowercase().for_each(out),
    }
}

/// Symbols that are words of their own: currency and percent signs (pay
/// offers), the plus of «18+», and emoji (escort ads lean on 💋 🍓 🔞).
fn is_symbol_token(c: char) -> bool {
    matches!(
        c,
        '$' | '€' | '₸' | '£' | '₽' | '%' | '+' | '\u{2600}'..='\u{27BF}' | '\u{1F300}'..='\u{1FAFF}'
    )
}

/// Text in matching form.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    /// The folded text.
    pub text: String,
    /// For every byte of `text`: the byte range in the source of its char.
    map: Vec<(u32, u32)>,
    /// Word tokens as byte ranges of `text`.
    pub tokens: Vec<Range<usize>>,
}

impl Folded {
    /// Folds `src` (lower case + [`fold_char`]) and tokenises it.
    pub fn new(src: &str) -> Folded {
        let mut text = String::with_capacity(src.len());
        let mut map = Vec::with_capacity(src.len());
        for (i, c) in src.char_indices() {
            let end = (i + c.len_utf8()) as u32;
            lower(c, &mut |l| {
                if l == '\u{307}' {
                    // «İ» lower-cases to «i» + combining dot; the dot would split the word.
                    return;
                }
                let f = fold_char(l);
                text.push(f);
                for _ in 0..f.len_utf8() {
                    map.push((i as u32, end));
                }
            });
        }
        let tokens = tokenize(&text);
        Folded { text, map, tokens }
    }

    /// Source byte range of folded byte range `r` (token bounds only).
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.map.get(r.start).map_or(0, |m| m.0 as usize);
        let end = if r.end == 0 {
            start
        } else {
            self.map.get(r.end - 1).map_or(start, |m| m.1 as usize)
        };
        start..end.max(start)
    }
}

/// Splits folded text into words: runs of alphanumerics, with an apostrophe
/// kept inside a word when letters stand on both sides (Uzbek «qo'ng'iroq»,
/// English «don't»). Everything else separates words.
pub(crate) fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_digit = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let was_digit = prev_digit;
        prev_digit = c.is_ascii_digit();
        let prev_digit = was_digit;
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if c == '\'' && start.is_some() && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic()) {
            continue;
        }
        // «18:00», «3.5», «10.11.2024» are one word: «до 18:00» is a
        // deadline, not «до 18» (an age).
        if matches!(c, ':' | '.' | ',')
            && start.is_some()
            && prev_digit
            && chars.peek().is_some_and(|&(_, n)| n.is_ascii_digit())
        {
            continue;
        }
        if let Some(s) = start.take() {
            out.push(s..i);
        }
        if is_symbol_token(c) {
            out.push(i..i + c.len_utf8());
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Folds a pattern word the same way as text (no map needed).
pub(crate) fn fold_str(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\u{307}')
        .map(fold_char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_kazakh_and_keeps_map() {
        let f = Folded::new("ҚЫЗДАР, Жұмыс бар!");
        assert_eq!(f.text, "кыздар, жумыс бар!");
        let toks: Vec<&str> = f.tokens.iter().map(|r| &f.text[r.clone()]).collect();
        assert_eq!(toks, ["кыздар", "жумыс", "бар"]);
        let r = f.source_range(f.tokens[1].clone());
        assert_eq!(&"ҚЫЗДАР, Жұмыс бар!"[r], "Жұмыс");
    }

    #[test]
    fn length_changing_lowercase_keeps_spans() {
        let src = "İstanbul işi";
        let f = Folded::new(src);
        let r = f.source_range(f.tokens[0].clone());
        assert_eq!(&src[r], "İstanbul");
    }

    #[test]
    fn times_and_decimals_stay_whole() {
        let f = Folded::new("до 18:00, 3.5 тыс, 15 000, 18-25");
        let toks: Vec<&str> = f.tokens.iter().map(|r| &f.text[r.clone()]).collect();
        assert_eq!(toks, ["до", "18:00", "3.5", "тыс", "15", "000", "18", "25"]);
    }

    #[test]
    fn uzbek_apostrophes() {
        let f = Folded::new("Qoʻngʻiroq qiling, o‘qituvchi 'x'");
        let toks: Vec<&str> = f.tokens.iter().map(|r| &f.text[r.clone()]).collect();
        assert_eq!(toks, ["qo'ng'iroq", "qiling", "o'qituvchi", "x"]);
    }
}
