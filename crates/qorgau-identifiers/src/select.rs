//! Which lines need the full normalisation before extraction.
//!
//! Normalisation pays off for identifiers only where a phone is spelled out
//! or broken up, an e-mail separator is written as a word, or letters are
//! drawn from look-alike blocks (fullwidth, mathematical, small capitals).
//! [`Extractor::extract`](crate::Extractor::extract) normalises just those
//! lines ([`qorgau_normalize::normalize_selected`]); the rest is read with
//! invisible characters removed, which is all the other scanners need (they
//! match platform words on a look-alike skeleton). This keeps extraction
//! fast on the bulk of ordinary text.

/// Spelled-out e-mail separators that are never ordinary words next to an
/// address.
const MARKERS: &[&str] = &["собака", "собачка", "точка", "тчк", "нүкте"];
/// Short English and Russian ones that are: only with a dot in the line.
const WEAK_MARKERS: &[&str] = &["at", "dot", "эт"];

/// Whether `line` may hold an identifier that only normalisation reveals.
pub(crate) fn needs_normalizing(line: &str) -> bool {
    let b = line.as_bytes();
    let mut digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    if digits >= 5 {
        return true;
    }
    let lower_ascii = || line.to_ascii_lowercase();
    if b.iter().any(|&c| c == b'(' || c == b'[' || c == b'{') {
        let l = lower_ascii();
        if ["(at)", "[at]", "{at}", "(dot)", "[dot]", "{dot}"]
            .iter()
            .any(|m| l.contains(m))
            || l.contains("(собака)")
            || l.contains("(точка)")
        {
            return true;
        }
    }
    let mut numbers = 0usize;
    let mut word_start: Option<usize> = None;
    let check_word = |w: &str, numbers: &mut usize| -> bool {
        if w.len() <= 24 && qorgau_normalize::may_be_number_word(w) {
            *numbers += 1;
        }
        let marker_start = matches!(
            w.as_bytes(),
            [b'a' | b'A' | b'd' | b'D', ..]
                | [0xD0, 0xA1 | 0xA2 | 0x9D | 0xAD | 0xBD, ..]
                | [0xD1, 0x81 | 0x82 | 0x8D, ..]
        );
        if marker_start && w.len() <= 16 {
            let l = w.to_lowercase();
            if MARKERS.contains(&l.as_str()) {
                return true;
            }
            if WEAK_MARKERS.contains(&l.as_str()) && line.contains('.') {
                return true;
            }
        }
        false
    };
    for (i, c) in line.char_indices() {
        let cyrillic = matches!(c, '\u{0400}'..='\u{04FF}');
        if !c.is_ascii() && !cyrillic {
            if c.is_numeric() {
                digits += 1;
            }
            // Look-alike letter blocks and keycaps.
            if matches!(c,
                '\u{FF00}'..='\u{FFEF}'
                | '\u{1D400}'..='\u{1D7FF}'
                | '\u{1D00}'..='\u{1D2B}'
                | '\u{2100}'..='\u{214F}'
                | '\u{20E3}'
                | 'ʙ' | 'ʜ' | 'ɪ' | 'ʟ' | 'ɴ' | 'ʀ' | 'ʏ' | 'ɢ' | 'ꜰ' | 'ꜱ')
            {
                return true;
            }
        }
        if c.is_ascii_alphabetic() || cyrillic || (!c.is_ascii() && c.is_alphabetic()) {
            word_start.get_or_insert(i);
        } else if let Some(s) = word_start.take()
            && check_word(&line[s..i], &mut numbers)
        {
            return true;
        }
    }
    if let Some(s) = word_start
        && check_word(&line[s..], &mut numbers)
    {
        return true;
    }
    digits + numbers >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_lines_with_identifier_material() {
        for l in [
            "Звони: 8 701 234 56 78",
            "восемь семь ноль один два",
            "job собака mail точка ru",
            "job(at)mail(dot)ru",
            "📞 8\u{FE0F}\u{20E3}7\u{FE0F}\u{20E3}",
            "ＷｈａｔｓＡｐｐ",
            "сeмь вoсемь нoль oдин",
        ] {
            assert!(needs_normalizing(l), "{l}");
        }
        for l in [
            "Работа в Дубае для девушек, жильё бесплатно",
            "Пиши в тг @astana_job",
            "meet at the office",
        ] {
            assert!(!needs_normalizing(l), "{l}");
        }
    }
}
