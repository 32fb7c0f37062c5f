//! The pattern language of lexicon entries.
//!
//! A pattern is a sequence of words separated by spaces:
//! - `word` matches that whole word («без», «опыта»);
//! - `stem*` matches any word starting with the stem («работ*» matches
//!   «работа», «работу», «работать»; «шетел*» matches «шетелде», «шетелге»);
//! - `..` between two words allows up to [`GAP`] other words in between
//!   («билет* .. оплач*» matches «билеты и визу оплачиваем»).
//!
//! Words are compared after the same folding as the text (lower case,
//! «ё»→«е», Kazakh/Uzbek letters to their Russian-keyboard look-alikes,
//! apostrophes and dashes unified), and punctuation inside a word splits it
//! exactly as it splits text: «24/7» is the two words «24» «7», «абу-даби»
//! also matches «абу даби». Words of a phrase must follow each other,
//! whatever punctuation stands between them.

use crate::fold::{fold_str, tokenize};

/// How many words `..` may skip.
pub(crate) const GAP: u8 = 3;

/// One word of a parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The folded word or stem.
    pub text: String,
    /// Prefix match (`stem*`) rather than whole word.
    pub stem: bool,
    /// How many other words may stand before this one (0: adjacent).
    pub gap_before: u8,
}

/// Parses one pattern; the error is a reason for the analyst.
pub(crate) fn parse(src: &str) -> Result<Vec<Word>, String> {
    let mut words: Vec<Word> = Vec::new();
    let mut gap = 0u8;
    for piece in src.split_whitespace() {
        if piece == ".." {
            if words.is_empty() {
                return Err("`..` cannot start a pattern".into());
            }
            if gap > 0 {
                return Err("two `..` in a row".into());
            }
            gap = GAP;
            continue;
        }
        let stem = piece.ends_with('*');
        let body = piece.trim_end_matches('*');
        if body.contains('*') {
            return Err(format!("`*` may only end a word ({piece:?})"));
        }
        if piece.ends_with("**") {
            return Err(format!("one `*` is enough ({piece:?})"));
        }
        let folded = fold_str(body);
        let toks = tokenize(&folded);
        if toks.is_empty() {
            return Err(format!("{piece:?} has no letters or digits"));
        }
        let last = toks.len() - 1;
        for (i, r) in toks.into_iter().enumerate() {
            let text = folded[r].to_string();
            let is_stem = stem && i == last;
            if is_stem && text.chars().count() < 2 && !text.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "stem {text:?} is too short: a stem needs at least two letters"
                ));
            }
            words.push(Word {
                text,
                stem: is_stem,
                gap_before: if i == 0 { gap } else { 0 },
            });
        }
        gap = 0;
    }
    if gap > 0 {
        return Err("`..` cannot end a pattern".into());
    }
    if words.is_empty() {
        return Err("empty pattern".into());
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, stem: bool, gap_before: u8) -> Word {
        Word {
            text: text.into(),
            stem,
            gap_before,
        }
    }

    #[test]
    fn parses_stems_gaps_and_punctuation() {
        assert_eq!(
            parse("Билет* .. ОПЛАЧ*").unwrap(),
            vec![w("билет", true, 0), w("оплач", true, 3)]
        );
        assert_eq!(
            parse("график 24/7").unwrap(),
            vec![w("график", false, 0), w("24", false, 0), w("7", false, 0)]
        );
        assert_eq!(parse("Жұмыс*").unwrap(), vec![w("жумыс", true, 0)]);
        assert_eq!(
            parse("18-2*").unwrap(),
            vec![w("18", false, 0), w("2", true, 0)]
        );
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse("").is_err());
        assert!(parse("   ").is_err());
        assert!(parse(".. дубай").is_err());
        assert!(parse("дубай ..").is_err());
        assert!(parse("ра*бота").is_err());
        assert!(parse("р*").is_err());
        assert!(parse("!!!").is_err());
        assert!(parse("a .. .. b").is_err());
    }
}
