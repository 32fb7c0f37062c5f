//! IVMS101's text, date and number datatypes (section 5.3 of the standard).
//!
//! Why these are checked at all: a receiving VASP's screening only works on
//! names it can compare. A Cyrillic name in a Latin-only element, or a
//! 200-character "street", is data the counterparty's system may truncate
//! or reject; the analyst should know the payload is not what was
//! transmitted in good form.
//!
//! Character set: the 2023 edition defines `MaxNText` as printable ASCII
//! (`^[ -~]{1,N}$`). The 2020 edition wrote `^[a-zA-Z0-9' ]{1,N}$`, which
//! forbids commas, full stops and hyphens that every published sample
//! (including TRISA's) uses; the 2023 edition corrected it, so the 2023 rule
//! is applied to payloads of both editions. Lengths count characters, not
//! bytes.

use chrono::NaiveDate;

use crate::violation::ViolationCode;

/// A text datatype of the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextType {
    /// `MaxNText`: 1..=N printable ASCII characters.
    Latin(usize),
    /// `LocalMax100Text` (N = 100): 1..=N characters of any script, no
    /// control characters.
    Local(usize),
}

impl TextType {
    /// The datatype's name, for messages.
    #[must_use]
    pub fn name(self) -> String {
        match self {
            Self::Latin(n) => format!("Max{n}Text"),
            Self::Local(n) => format!("LocalMax{n}Text"),
        }
    }
}

/// `Max16Text`.
pub const MAX16: TextType = TextType::Latin(16);
/// `Max35Text`.
pub const MAX35: TextType = TextType::Latin(35);
/// `Max50Text`.
pub const MAX50: TextType = TextType::Latin(50);
/// `Max70Text`.
pub const MAX70: TextType = TextType::Latin(70);
/// `Max100Text`.
pub const MAX100: TextType = TextType::Latin(100);
/// `Max512Text` (2023: accounts in a `Person`).
pub const MAX512: TextType = TextType::Latin(512);
/// `LocalMax100Text`.
pub const LOCAL_MAX100: TextType = TextType::Local(100);

/// Whether a text counts as absent: empty or only white space. A blank
/// street is not a street for C8, nor a blank customer number for C1.
#[must_use]
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Checks a present, non-blank text against its datatype. Returns the
/// problem, if any; blankness is the caller's to judge (required or not).
#[must_use]
pub fn check_text(text: &str, ty: TextType) -> Option<(ViolationCode, String)> {
    let (max, latin) = match ty {
        TextType::Latin(n) => (n, true),
        TextType::Local(n) => (n, false),
    };
    let len = text.chars().count();
    if len > max {
        return Some((
            ViolationCode::TooLong,
            format!("{len} characters; {} allows at most {max}", ty.name()),
        ));
    }
    if latin {
        if let Some(c) = text.chars().find(|c| !(' '..='~').contains(c)) {
            return Some((
                ViolationCode::NotLatin,
                format!(
                    "{c:?} is not allowed in {}: only printable ASCII (Latin letters, digits, punctuation); \
                     other scripts must be transliterated, or sent in a local… element where one exists",
                    ty.name()
                ),
            ));
        }
    } else if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Some((
            ViolationCode::ControlCharacter,
            format!("control character {c:?} is not allowed in {}", ty.name()),
        ));
    }
    None
}

/// Reads an IVMS101 `Date` (`YYYY-MM-DD`, ISO 8601, a real calendar day).
///
/// # Errors
/// A sentence saying what is wrong with the text.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!("{text:?} is not a date written YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a day of the calendar"))
}

/// Whether `text` is a GLEIF registration authority code: `RA` and six
/// digits (the `RegistrationAuthority` datatype). Whether the code is on
/// GLEIF's current list is not checked: that list changes and is not
/// shipped here.
#[must_use]
pub fn is_registration_authority(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 8 && b.starts_with(b"RA") && b[2..].iter().all(u8::is_ascii_digit)
}

/// The largest `Number` the standard allows (18 total digits).
pub const MAX_NUMBER: u64 = 999_999_999_999_999_999;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lengths_count_characters_on_both_sides() {
        assert_eq!(check_text(&"a".repeat(35), MAX35), None);
        assert_eq!(
            check_text(&"a".repeat(36), MAX35).map(|v| v.0),
            Some(ViolationCode::TooLong)
        );
        // 100 Cyrillic letters are 200 bytes but fit LocalMax100Text.
        assert_eq!(check_text(&"Ж".repeat(100), LOCAL_MAX100), None);
        assert_eq!(
            check_text(&"Ж".repeat(101), LOCAL_MAX100).map(|v| v.0),
            Some(ViolationCode::TooLong)
        );
    }

    #[test]
    fn latin_text_is_printable_ascii() {
        assert_eq!(check_text("O'Neil-Smith, Jr. ~ #1", MAX100), None);
        for bad in ["Алматы", "Zürich", "tab\there", "line\nbreak"] {
            assert_eq!(
                check_text(bad, MAX100).map(|v| v.0),
                Some(ViolationCode::NotLatin),
                "{bad}"
            );
        }
        assert_eq!(check_text("Алматы", LOCAL_MAX100), None);
        assert_eq!(
            check_text("Ал\nматы", LOCAL_MAX100).map(|v| v.0),
            Some(ViolationCode::ControlCharacter)
        );
    }

    #[test]
    fn dates_on_both_sides() {
        assert!(parse_date("1992-10-04").is_ok());
        assert!(parse_date("2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "1992-13-01",
            "92-10-04",
            "1992/10/04",
            "1992-1-04",
            "",
            "１９９２-10-04",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn registration_authority_format() {
        assert!(is_registration_authority("RA000553"));
        assert!(is_registration_authority("RA777777"));
        for bad in [
            "RA00055",
            "RA0005530",
            "ra000553",
            "RB000553",
            "RA00055X",
            "",
        ] {
            assert!(!is_registration_authority(bad), "{bad}");
        }
    }
}
