//! Step 3: look-alike letters from the other script.
//!
//! Recruitment spam mixes Latin and Cyrillic look-alikes inside one word
//! («Нaбuрaю» with Latin a/u) so the word matches no dictionary entry. Inside
//! a word that mixes both scripts, letters are moved to the word's dominant
//! script. Small-capital letters (ᴀ ʙ ᴄ …) become ordinary Latin letters.
//! Case is kept. Kazakh letters are genuine Cyrillic and never changed in a
//! Cyrillic word. Tokens that are legitimately mixed — URLs, e-mails,
//! handles, or Latin mixed with digits — are left untouched.

use crate::piece::{Piece, is_cyrillic, is_latin, tokens};

/// Small-capital and other look-alike letters that NFKC leaves alone, with
/// the ordinary letter they imitate. Latin small capitals become Latin
/// letters (a Cyrillic word then gets them converted by the homoglyph rule);
/// the ones that only exist as Cyrillic shapes (ᴎ = и, ᴧ = л, ᴦ = г…) become
/// Cyrillic letters directly.
pub(crate) fn small_cap(c: char) -> Option<char> {
    Some(match c {
        'ᴎ' => 'и',
        'ᴧ' => 'л',
        'ᴫ' => 'л',
        'ᴦ' => 'г',
        'ᴨ' => 'п',
        'ᴩ' => 'р',
        'ᴙ' => 'я',
        'ᴚ' => 'я',
        'ᴈ' => 'з',
        'ᴀ' => 'a',
        'ʙ' => 'b',
        'ᴄ' => 'c',
        'ᴅ' => 'd',
        'ᴇ' => 'e',
        'ꜰ' => 'f',
        'ɢ' => 'g',
        'ʜ' => 'h',
        'ɪ' => 'i',
        'ᴊ' => 'j',
        'ᴋ' => 'k',
        'ʟ' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴏ' => 'o',
        'ᴘ' => 'p',
        'ʀ' => 'r',
        'ꜱ' => 's',
        'ᴛ' => 't',
        'ᴜ' => 'u',
        'ᴠ' => 'v',
        'ᴡ' => 'w',
        'ʏ' => 'y',
        'ᴢ' => 'z',
        _ => return None,
    })
}

/// The Cyrillic letter a Latin letter imitates in mixed-script spam
/// («Нaбuрaю»: `a` → `а`, `u` → `и`), upper and lower case. The one table of
/// these look-alikes: the number-word step and template clustering read it too.
pub fn latin_to_cyrillic(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'A' => 'А',
        'b' => 'в',
        'B' => 'В',
        'c' => 'с',
        'C' => 'С',
        'e' => 'е',
        'E' => 'Е',
        'h' => 'н',
        'H' => 'Н',
        'i' => 'і',
        'I' => 'І',
        'k' => 'к',
        'K' => 'К',
        'm' => 'м',
        'M' => 'М',
        'n' => 'п',
        'o' => 'о',
        'O' => 'О',
        'p' => 'р',
        'P' => 'Р',
        'r' => 'г',
        't' => 'т',
        'T' => 'Т',
        'u' => 'и',
        'x' => 'х',
        'X' => 'Х',
        'y' => 'у',
        'Y' => 'У',
        _ => return None,
    })
}

fn cyrillic_to_latin(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'А' => 'A',
        'в' => 'b',
        'В' => 'B',
        'с' => 'c',
        'С' => 'C',
        'ԁ' => 'd',
        'е' => 'e',
        'Е' => 'E',
        'г' => 'r',
        'н' => 'h',
        'Н' => 'H',
        'һ' => 'h',
        'Һ' => 'H',
        'і' => 'i',
        'І' => 'I',
        'ј' => 'j',
        'Ј' => 'J',
        'к' => 'k',
        'К' => 'K',
        'м' => 'm',
        'М' => 'M',
        'п' => 'n',
        'о' => 'o',
        'О' => 'O',
        'р' => 'p',
        'Р' => 'P',
        'ԛ' => 'q',
        'ѕ' => 's',
        'Ѕ' => 'S',
        'т' => 't',
        'Т' => 'T',
        'и' => 'u',
        'ԝ' => 'w',
        'х' => 'x',
        'Х' => 'X',
        'у' => 'y',
        'У' => 'Y',
        _ => return None,
    })
}

/// URLs, e-mails, handles and Latin+digit codes are legitimately mixed.
fn is_protected(tok: &[Piece]) -> bool {
    let mut has_digit = false;
    let mut has_latin = false;
    for (i, p) in tok.iter().enumerate() {
        match p.ch {
            '/' | '@' => return true,
            '.' if tok.get(i + 1).is_some_and(|n| crate::piece::is_alpha(n.ch)) => return true,
            c if c.is_ascii_digit() => has_digit = true,
            c if is_latin(c) => has_latin = true,
            _ => {}
        }
    }
    has_digit && has_latin
}

/// Which script the text around a word is written in, judged by letters
/// that have no look-alike in the other script (б, ж, я… or f, g, q…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Cyrillic,
    Latin,
    Unknown,
}

/// The script context of a whole document, judged on its characters as
/// written (small capitals read as the letters they imitate). Computed once
/// per document so that every part of it is normalised the same way.
pub(crate) fn context_of_str(input: &str) -> Context {
    /// Whether an ASCII byte / a U+0400..=U+04FF letter decides the script.
    struct Tables {
        ascii: [bool; 128],
        cyrillic: [bool; 256],
    }
    static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        let mut t = Tables {
            ascii: [false; 128],
            cyrillic: [false; 256],
        };
        for (i, slot) in t.ascii.iter_mut().enumerate() {
            let c = char::from(i as u8);
            *slot = c.is_ascii_alphabetic() && latin_to_cyrillic(c).is_none();
        }
        for (i, slot) in t.cyrillic.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(0x400 + i as u32) {
                *slot = is_cyrillic(c) && cyrillic_to_latin(c).is_none();
            }
        }
        t
    });
    let (mut cyr, mut lat) = (0usize, 0usize);
    let b = input.as_bytes();
    let mut i = 0;
    // ASCII and the Cyrillic block (two-byte sequences D0..D3) by table;
    // other characters as below.
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            lat += usize::from(tables.ascii[usize::from(x)]);
            i += 1;
        } else if (0xD0..=0xD3).contains(&x) && i + 1 < b.len() {
            let cp = (usize::from(x & 0x1F) << 6) | usize::from(b[i + 1] & 0x3F);
            cyr += usize::from(tables.cyrillic[cp - 0x400]);
            i += 2;
        } else {
            let Some(c) = input[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            let c = small_cap(c).unwrap_or(c);
            if is_cyrillic(c) && cyrillic_to_latin(c).is_none() {
                cyr += 1;
            } else if is_latin(c) && latin_to_cyrillic(c).is_none() {
                lat += 1;
            }
        }
    }
    match cyr.cmp(&lat) {
        std::cmp::Ordering::Greater => Context::Cyrillic,
        std::cmp::Ordering::Less => Context::Latin,
        std::cmp::Ordering::Equal => Context::Unknown,
    }
}

/// The plain version of [`context_of_str`], which it must equal.
#[cfg(test)]
fn context_of_str_plain(input: &str) -> Context {
    let (mut cyr, mut lat) = (0usize, 0usize);
    for c in input.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphabetic() && latin_to_cyrillic(c).is_none() {
                lat += 1;
            }
            continue;
        }
        let c = small_cap(c).unwrap_or(c);
        if is_cyrillic(c) && cyrillic_to_latin(c).is_none() {
            cyr += 1;
        } else if is_latin(c) && latin_to_cyrillic(c).is_none() {
            lat += 1;
        }
    }
    match cyr.cmp(&lat) {
        std::cmp::Ordering::Greater => Context::Cyrillic,
        std::cmp::Ordering::Less => Context::Latin,
        std::cmp::Ordering::Equal => Context::Unknown,
    }
}

/// `context` is asked only for a word made only of look-alikes.
fn fix_word(word: &mut [Piece], context: &dyn Fn() -> Context) {
    // Most words are in one script: nothing to do.
    let mixed = word.iter().any(|p| is_cyrillic(p.ch)) && word.iter().any(|p| is_latin(p.ch));
    if !mixed {
        return;
    }
    let (mut ncyr, mut nlat, mut cyr_only, mut lat_only) = (0, 0, 0, 0);
    for p in word.iter() {
        if is_cyrillic(p.ch) {
            ncyr += 1;
            if cyrillic_to_latin(p.ch).is_none() {
                cyr_only += 1;
            }
        } else if is_latin(p.ch) {
            nlat += 1;
            if latin_to_cyrillic(p.ch).is_none() {
                lat_only += 1;
            }
        }
    }
    if ncyr == 0 || nlat == 0 {
        return;
    }
    // A word made only of look-alikes («kаk», "Hоtеl") follows the text
    // around it; only when that says nothing does the word's own majority.
    let to_cyrillic = if cyr_only > 0 && lat_only == 0 {
        true
    } else if lat_only > 0 && cyr_only == 0 {
        false
    } else if cyr_only == 0 && lat_only == 0 && context() != Context::Unknown {
        context() == Context::Cyrillic
    } else if ncyr != nlat {
        ncyr > nlat
    } else {
        return;
    };
    for p in word.iter_mut() {
        let mapped = if to_cyrillic {
            latin_to_cyrillic(p.ch)
        } else {
            cyrillic_to_latin(p.ch)
        };
        if let Some(c) = mapped {
            p.ch = c;
        }
    }
}

pub(crate) fn apply(mut pieces: Vec<Piece>, context: &dyn Fn() -> Context) -> Vec<Piece> {
    for p in pieces.iter_mut() {
        if let Some(c) = small_cap(p.ch) {
            p.ch = c;
        }
    }
    for tok in tokens(&pieces) {
        if is_protected(&pieces[tok.clone()]) {
            continue;
        }
        let mut i = tok.start;
        while i < tok.end {
            if !crate::piece::is_alpha(pieces[i].ch) {
                i += 1;
                continue;
            }
            let s = i;
            while i < tok.end && crate::piece::is_alpha(pieces[i].ch) {
                i += 1;
            }
            fix_word(&mut pieces[s..i], context);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::piece::{from_str, to_string};

    fn run(s: &str) -> String {
        to_string(&apply(from_str(s), &|| context_of_str(s)))
    }

    #[test]
    fn table_context_equals_plain_context() {
        for s in [
            "Нaбuрaю девушек",
            "Grand Hоtеl Dubai",
            "ᴡᴏʀᴋ ᴛᴇᴧᴇᴦᴀ",
            "жұмыс әйел ғ қ ң ө ұ ү һ і",
            "",
            "ѐ ѿ Ҁ ҋ ӿ Ԁ ԯ",
        ] {
            assert_eq!(context_of_str(s), context_of_str_plain(s), "{s}");
        }
        for n in 0x80u32..0x3000 {
            let Some(c) = char::from_u32(n) else { continue };
            let s: String = [c, c, 'x'].iter().collect();
            assert_eq!(context_of_str(&s), context_of_str_plain(&s), "{n:x}");
            let s: String = [c, c, 'ж'].iter().collect();
            assert_eq!(context_of_str(&s), context_of_str_plain(&s), "{n:x}");
        }
    }

    #[test]
    fn latin_inside_cyrillic_word() {
        assert_eq!(run("Нaбuрaю девушек"), "Набираю девушек");
        assert_eq!(run("paбota за гpаницей"), "работа за границей");
    }

    #[test]
    fn cyrillic_inside_latin_word() {
        assert_eq!(run("Hеllo wоrld"), "Hello world");
    }

    #[test]
    fn look_alike_only_words_follow_the_surrounding_script() {
        // «kаk»: Latin k, Cyrillic а, Latin k — nothing in the word decides.
        assert_eq!(run("выглядят kаk настоящие"), "выглядят как настоящие");
        assert_eq!(run("Grand Hоtеl Dubai"), "Grand Hotel Dubai");
    }

    #[test]
    fn small_caps() {
        assert_eq!(run("ᴡᴏʀᴋ"), "work");
        assert_eq!(run("ᴛᴇᴧᴇᴦᴀ и ᴎнᴄᴛᴀ"), "телега и инста");
    }

    #[test]
    fn kazakh_and_plain_words_untouched() {
        assert_eq!(run("Жұмыс бар, қыздар керек"), "Жұмыс бар, қыздар керек");
        assert_eq!(run("Work in Dubai"), "Work in Dubai");
        assert_eq!(run("Ish bor, Toshkent"), "Ish bor, Toshkent");
    }

    #[test]
    fn protected_tokens_untouched() {
        assert_eq!(
            run("t.me/rabota_kz @job_dubai"),
            "t.me/rabota_kz @job_dubai"
        );
        assert_eq!(run("пиши@мail.ru"), "пиши@мail.ru");
        assert_eq!(run("код A1б"), "код A1б");
    }
}
