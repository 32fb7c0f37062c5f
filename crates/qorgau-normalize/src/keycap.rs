//! Step 2: emoji digits.
//!
//! Contacts are written as keycap emoji (`1️⃣` = `1` U+FE0F U+20E3), 🔟, or
//! dingbat circled digits (❶, ➀, ➊) that NFKC does not fold, so a phone
//! number is invisible to a digit matcher. They become plain digits; the
//! enclosing keycap mark is merged into the digit's original range.

use crate::piece::Piece;

pub(crate) fn dingbat_number(c: char) -> Option<u32> {
    let n = c as u32;
    for base in [0x2776u32, 0x2780, 0x278A] {
        if (base..base + 10).contains(&n) {
            return Some(n - base + 1);
        }
    }
    match c {
        '\u{1F51F}' => Some(10),
        '\u{24FF}' | '\u{1F10B}' | '\u{1F10C}' => Some(0),
        _ => None,
    }
}

pub(crate) fn apply(pieces: Vec<Piece>) -> Vec<Piece> {
    // Nearly every text has neither: the loop below would copy it as it is.
    if !pieces
        .iter()
        .any(|p| p.ch == '\u{20E3}' || dingbat_number(p.ch).is_some())
    {
        return pieces;
    }
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        if p.ch == '\u{20E3}' {
            if let Some(prev) = out.last_mut()
                && (prev.ch.is_ascii_digit() || prev.ch == '#' || prev.ch == '*')
            {
                prev.end = prev.end.max(p.end);
            }
            continue;
        }
        if let Some(n) = dingbat_number(p.ch) {
            for d in n.to_string().chars() {
                out.push(Piece::new(d, p.start, p.end));
            }
            continue;
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The step as it was before its early return, for the test below.
    fn apply_reference(pieces: Vec<Piece>) -> Vec<Piece> {
        let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
        for p in pieces {
            if p.ch == '\u{20E3}' {
                if let Some(prev) = out.last_mut()
                    && (prev.ch.is_ascii_digit() || prev.ch == '#' || prev.ch == '*')
                {
                    prev.end = prev.end.max(p.end);
                }
                continue;
            }
            if let Some(n) = dingbat_number(p.ch) {
                for d in n.to_string().chars() {
                    out.push(Piece::new(d, p.start, p.end));
                }
                continue;
            }
            out.push(p);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn early_return_changes_nothing(s in "[0-9#* a-zа-я\u{20E3}\u{FE0F}①-⑳❶-❿➀-➓]{0,30}") {
            let p = crate::piece::from_str(&s);
            proptest::prop_assert_eq!(apply(p.clone()), apply_reference(p));
        }
    }
    use crate::piece::to_string;

    #[test]
    fn keycaps_become_digits() {
        let s = "8\u{FE0F}\u{20E3}7\u{FE0F}\u{20E3}0\u{FE0F}\u{20E3}";
        let p = apply(crate::unicode::apply(s));
        assert_eq!(to_string(&p), "870");
        assert_eq!((p[0].start, p[0].end), (0, 7));
    }

    #[test]
    fn ten_and_dingbats() {
        let p = apply(crate::unicode::apply("🔟❶➋"));
        assert_eq!(to_string(&p), "1012");
        assert_eq!(p[0].end, p[1].end);
    }
}
