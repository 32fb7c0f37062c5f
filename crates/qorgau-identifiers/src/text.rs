//! Small text helpers shared by the scanners.

use std::ops::Range;

use qorgau_normalize::Normalized;

/// A normalised text with its way back to the original offsets.
pub(crate) struct View<'a> {
    pub t: &'a str,
    pub b: &'a [u8],
    n: &'a Normalized,
    identity: bool,
}

impl<'a> View<'a> {
    pub(crate) fn new(n: &'a Normalized) -> Self {
        Self {
            t: n.as_str(),
            b: n.as_str().as_bytes(),
            n,
            identity: n.is_identity(),
        }
    }

    /// Original range of normalised range `r`.
    pub(crate) fn orig(&self, r: Range<usize>) -> Range<usize> {
        if self.identity {
            r
        } else {
            self.n.original_range(r)
        }
    }

    /// The character that ends at byte `i` (exclusive), if any.
    pub(crate) fn char_before(&self, i: usize) -> Option<char> {
        self.t.get(..i)?.chars().next_back()
    }

    /// The character that starts at byte `i`, if any.
    pub(crate) fn char_at(&self, i: usize) -> Option<char> {
        self.t.get(i..)?.chars().next()
    }
}

/// Maps Cyrillic letters that look like Latin ones to those Latin letters
/// (lower case), so «тг», «тг» with a Latin т, and «ТікТок» compare equal
/// to their intended spelling.
pub(crate) fn skeleton(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(skeleton_char)
        .collect()
}

/// The Latin letter a lower-case Cyrillic look-alike stands for; other
/// characters are kept.
pub(crate) fn skeleton_char(c: char) -> char {
    match c {
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'к' | 'қ' => 'k',
        'м' => 'm',
        'н' | 'һ' => 'h',
        'о' | 'ө' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' | 'ү' | 'ұ' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'г' | 'ғ' => 'r',
        'п' => 'n',
        'и' => 'u',
        c => c,
    }
}

/// `char::is_alphabetic`, answered without the Unicode tables for ASCII
/// and Cyrillic, which is nearly all the text this crate reads.
#[inline]
pub(crate) fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    match c {
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => true,
        '\u{0482}'..='\u{0489}' => false,
        // Punctuation (dashes, quotes), currency signs (₸), arrows, box
        // drawing, dingbats and emoji: frequent in chats and pages, never
        // letters (checked against Unicode by a test).
        '\u{2000}'..='\u{206F}'
        | '\u{20A0}'..='\u{20CF}'
        | '\u{2190}'..='\u{23FF}'
        | '\u{2500}'..='\u{2BFF}'
        | '\u{1F300}'..='\u{1FAFF}' => false,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric`, fast for ASCII and Cyrillic.
#[inline]
pub(crate) fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c {
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => true,
        '\u{0482}'..='\u{0489}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// `char::is_whitespace`, fast for ASCII and Cyrillic.
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace() || c == '\x0b';
    }
    !matches!(c, '\u{0400}'..='\u{052F}') && c.is_whitespace()
}

/// The lower case of `c` when it is one character and `c` is ASCII or a
/// basic Cyrillic capital; `None` sends the caller to `char::to_lowercase`.
#[inline]
pub(crate) fn fast_lower(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        _ if c.is_ascii() => Some(c),
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20),
        '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50),
        '\u{0430}'..='\u{045F}' => Some(c),
        _ => None,
    }
}

/// Lower case, look-alike Cyrillic as Latin: the same for a word and for
/// every spelling that the number-word fold (Latin look-alikes as
/// Cyrillic) or the platform skeleton (Cyrillic as Latin) identifies it with.
#[inline]
pub(crate) fn canon(c: char) -> char {
    let l = fast_lower(c).unwrap_or_else(|| c.to_lowercase().next().unwrap_or(c));
    skeleton_char(l)
}

/// Bit (0..4096) of the first two characters of a word, if it has two.
#[inline]
pub(crate) fn pair_bit(a: Option<char>, b: Option<char>) -> Option<usize> {
    let (a, b) = (u32::from(canon(a?)), u32::from(canon(b?)));
    Some((a.wrapping_mul(31) ^ b.wrapping_mul(0x9E37)) as usize & 4095)
}

/// ASCII characters of a handle or username.
pub(crate) fn is_handle_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_char_classes_agree_with_unicode() {
        for n in (0..0x3000u32).chain(0x1F000..0x1FC00) {
            let Some(c) = char::from_u32(n) else { continue };
            assert_eq!(is_alpha(c), c.is_alphabetic(), "{n:x}");
            assert_eq!(is_alnum(c), c.is_alphanumeric(), "{n:x}");
            assert_eq!(is_space(c), c.is_whitespace(), "{n:x}");
            if let Some(l) = fast_lower(c) {
                assert_eq!(c.to_lowercase().collect::<String>(), l.to_string(), "{n:x}");
            }
        }
    }
}
