//! Legal Entity Identifiers (ISO 17442), the `LEIX` national identifier.
//!
//! IVMS101 constraint C11 asks that an `LEIX` identifier follow the `LEIText`
//! datatype (`^[0-9A-Z]{18}[0-9]{2}$`). The last two digits are ISO 7064
//! MOD 97-10 check digits, so we check them too: a VASP identified by a
//! mistyped LEI cannot be found in GLEIF's register, which is the point of
//! sending an LEI at all.

use thiserror::Error;

/// Why a string is not a valid LEI, precise enough to tell a typist which
/// character to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum LeiError {
    /// An LEI has exactly 20 characters.
    #[error("an LEI has 20 characters, this has {0}")]
    Length(usize),
    /// Positions 1–18 allow only digits and upper-case Latin letters.
    #[error("character {position} is {found:?}; positions 1-18 allow only 0-9 and A-Z")]
    Character {
        /// 1-based position of the offending character.
        position: usize,
        /// The character found there.
        found: char,
    },
    /// Positions 19–20 are the check digits.
    #[error("characters 19-20 must be the two check digits")]
    CheckDigits,
    /// Well formed, but the MOD 97-10 check fails: a typing error somewhere.
    #[error("the MOD 97-10 check digits do not match (a mistyped character?)")]
    Checksum,
}

/// Checks that `lei` is a well-formed LEI whose check digits are right
/// (ISO 17442 / ISO 7064 MOD 97-10).
///
/// # Errors
/// The first [`LeiError`] found: length, then characters, then checksum.
pub fn check_lei(lei: &str) -> Result<(), LeiError> {
    let count = lei.chars().count();
    if count != 20 {
        return Err(LeiError::Length(count));
    }
    for (i, c) in lei.chars().enumerate() {
        let ok = if i < 18 {
            c.is_ascii_digit() || c.is_ascii_uppercase()
        } else {
            c.is_ascii_digit()
        };
        if !ok {
            return Err(if i < 18 {
                LeiError::Character {
                    position: i + 1,
                    found: c,
                }
            } else {
                LeiError::CheckDigits
            });
        }
    }
    if mod97(lei.bytes()) == 1 {
        Ok(())
    } else {
        Err(LeiError::Checksum)
    }
}

/// Computes the two check digits for an 18-character LEI prefix, so tests
/// and fixtures can make synthetic LEIs that pass [`check_lei`] without
/// borrowing a real entity's identifier.
///
/// Returns `None` when `prefix` is not 18 digits or upper-case Latin letters.
#[must_use]
pub fn check_digits(prefix: &str) -> Option<String> {
    if prefix.len() != 18
        || !prefix
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return None;
    }
    let remainder = mod97(prefix.bytes().chain(*b"00"));
    Some(format!("{:02}", 98 - remainder))
}

/// The remainder modulo 97 of the number formed by writing each digit as
/// itself and each letter as 10 (A) … 35 (Z), computed digit by digit so it
/// never overflows.
fn mod97(bytes: impl Iterator<Item = u8>) -> u32 {
    bytes.fold(0u32, |rem, b| {
        if b.is_ascii_digit() {
            (rem * 10 + u32::from(b - b'0')) % 97
        } else {
            // Callers pass only 0-9 and A-Z: a letter is two digits.
            (rem * 100 + u32::from(b - b'A') + 10) % 97
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// LEIs published in GLEIF's register: GLEIF's own, and two well-known
    /// issuers' (Deutsche Bank AG, Apple Inc.).
    const REAL: &[&str] = &[
        "5493001KJTIIGC8Y1R12",
        "7LTWFZYICNSX8D621K86",
        "HWUPKR0MPOU8FGXBT394",
    ];

    #[test]
    fn real_leis_pass() {
        for lei in REAL {
            assert_eq!(check_lei(lei), Ok(()), "{lei}");
            assert_eq!(check_digits(&lei[..18]).as_deref(), Some(&lei[18..]));
        }
    }

    /// MOD 97-10 catches every substitution of a digit by a digit or a
    /// letter by a letter (the difference is never a multiple of 97). A
    /// digit typed for a letter changes the number's length and is caught
    /// only with probability 96/97: one such pair is shown to pass, so no
    /// one reads more into the check than it gives.
    #[test]
    fn same_kind_substitutions_in_a_real_lei_are_caught() {
        let lei = REAL[0];
        let mut cross_kind_misses = Vec::new();
        for i in 0..20 {
            for c in ('0'..='9').chain('A'..='Z') {
                let mut chars: Vec<char> = lei.chars().collect();
                let original = chars[i];
                if original == c || (i >= 18 && !c.is_ascii_digit()) {
                    continue;
                }
                chars[i] = c;
                let typo: String = chars.into_iter().collect();
                let same_kind = original.is_ascii_digit() == c.is_ascii_digit();
                if same_kind {
                    assert!(check_lei(&typo).is_err(), "{typo}");
                } else if check_lei(&typo).is_ok() {
                    cross_kind_misses.push(typo);
                }
            }
        }
        assert!(cross_kind_misses.contains(&"549300LKJTIIGC8Y1R12".to_owned()));
    }

    #[test]
    fn malformed_leis_say_why() {
        assert_eq!(check_lei(""), Err(LeiError::Length(0)));
        assert_eq!(check_lei("5493001KJTIIGC8Y1R1"), Err(LeiError::Length(19)));
        assert_eq!(
            check_lei("5493001kjTIIGC8Y1R12"),
            Err(LeiError::Character {
                position: 8,
                found: 'k'
            })
        );
        assert_eq!(
            check_lei("5493001KJTIIGC8Y1RAB"),
            Err(LeiError::CheckDigits)
        );
        assert_eq!(check_lei("5493001KJTIIGC8Y1R13"), Err(LeiError::Checksum));
        // Multi-byte characters are counted as characters, not bytes.
        assert_eq!(
            check_lei("5493001KJTIIGC8Y1RЖ2"),
            Err(LeiError::CheckDigits)
        );
        assert_eq!(check_digits("TOO-SHORT"), None);
    }
}
