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
            let mut buf = [0u8; 64];
            let Some(l) = lower_in(w, &mut buf) else {
                return false;
            };
            if MARKERS.contains(&l) {
                return true;
            }
            if WEAK_MARKERS.contains(&l) && line.contains('.') {
                return true;
            }
        }
        false
    };
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if x.is_ascii_alphabetic() {
                word_start.get_or_insert(i);
            } else if let Some(s) = word_start.take()
                && check_word(&line[s..i], &mut numbers)
            {
                return true;
            }
            i += 1;
            continue;
        }
        if (0xD0..=0xD3).contains(&x) {
            // U+0400..=U+04FF, two bytes: a word character.
            word_start.get_or_insert(i);
            i += 2;
            continue;
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
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
        if crate::text::is_alpha(c) {
            word_start.get_or_insert(i);
        } else if let Some(s) = word_start.take()
            && check_word(&line[s..i], &mut numbers)
        {
            return true;
        }
        i += c.len_utf8();
    }
    if let Some(s) = word_start
        && check_word(&line[s..], &mut numbers)
    {
        return true;
    }
    digits + numbers >= 4
}

/// Lower case of `w` in `buf` (`str::to_lowercase` without allocating);
/// `None` when it does not fit.
fn lower_in<'a>(w: &str, buf: &'a mut [u8; 64]) -> Option<&'a str> {
    let mut n = 0;
    for c in w.chars() {
        let mut put = |l: char| {
            let len = l.len_utf8();
            if n + len > buf.len() {
                return false;
            }
            l.encode_utf8(&mut buf[n..n + len]);
            n += len;
            true
        };
        let ok = match crate::text::fast_lower(c) {
            Some(l) => put(l),
            None => c.to_lowercase().all(&mut put),
        };
        if !ok {
            return None;
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
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
