//! Step 1: Unicode compatibility folding and removal of invisible characters.
//!
//! Spam uses fullwidth letters, circled digits (①), mathematical
//! alphanumerics (𝐇) and superscripts to look normal to people while
//! defeating keyword filters; NFKC folds them to plain characters. Zero-width
//! spaces, soft hyphens and similar invisible characters are inserted inside
//! words ("раб\u{200B}ота") for the same reason and are removed.
//!
//! NFKC is applied per cluster (a base character plus its following combining
//! marks) so every output character maps to the bytes of its own cluster.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

use crate::piece::Piece;

/// Invisible / formatting characters that must not survive inside words.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{034F}'
        | '\u{061C}'
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
        | '\u{180B}'..='\u{180F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}'
        | '\u{E0000}'..='\u{E007F}')
}

pub(crate) fn apply(input: &str) -> Vec<Piece> {
    let mut out = Vec::with_capacity(input.len());
    let mut cluster: Vec<char> = Vec::new();
    let mut cstart = 0usize;
    let mut cend = 0usize;
    for (i, c) in input.char_indices() {
        if is_invisible(c) {
            continue;
        }
        let end = i + c.len_utf8();
        let plain = c.is_ascii() || matches!(c, '\u{0400}'..='\u{0482}');
        if !cluster.is_empty() && !plain && canonical_combining_class(c) != 0 {
            cluster.push(c);
            cend = end;
            continue;
        }
        flush(&mut out, &mut cluster, cstart, cend);
        cluster.push(c);
        cstart = i;
        cend = end;
    }
    flush(&mut out, &mut cluster, cstart, cend);
    out
}

fn flush(out: &mut Vec<Piece>, cluster: &mut Vec<char>, start: usize, end: usize) {
    if cluster.is_empty() {
        return;
    }
    // A lone ASCII or basic Cyrillic letter is its own NFKC form.
    if let [c] = cluster.as_slice()
        && (c.is_ascii() || matches!(c, '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{052F}'))
    {
        out.push(Piece::new(*c, start, end));
        cluster.clear();
        return;
    }
    for c in cluster.iter().copied().nfkc() {
        if !is_invisible(c) {
            out.push(Piece::new(c, start, end));
        }
    }
    cluster.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::piece::to_string;

    #[test]
    fn removes_zero_width_inside_word() {
        let s = "раб\u{200B}ота";
        let p = apply(s);
        assert_eq!(to_string(&p), "работа");
        assert_eq!(p[3].start, "раб\u{200B}".len());
    }

    #[test]
    fn folds_compatibility_forms() {
        assert_eq!(
            to_string(&apply("ＷｈａｔｓＡｐｐ ①②③ 𝐇𝐞𝐥𝐩 x²")),
            "WhatsApp 123 Help x2"
        );
    }

    #[test]
    fn soft_hyphen_and_bom_removed() {
        assert_eq!(
            to_string(&apply("\u{FEFF}ра\u{00AD}бо\u{2060}та")),
            "работа"
        );
    }

    #[test]
    fn combining_marks_compose_and_map_to_cluster() {
        let s = "е\u{0308}ж";
        let p = apply(s);
        assert_eq!(to_string(&p), "ёж");
        assert_eq!((p[0].start, p[0].end), (0, "е\u{0308}".len()));
    }

    #[test]
    fn kazakh_letters_kept() {
        assert_eq!(to_string(&apply("әғқңөұүһі")), "әғқңөұүһі");
    }
}
