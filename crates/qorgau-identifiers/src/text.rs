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
        .map(|c| match c {
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
        })
        .collect()
}

/// ASCII characters of a handle or username.
pub(crate) fn is_handle_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}
