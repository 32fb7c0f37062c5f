//! Bank cards, Kazakh IBANs and Kazakh IINs.
//!
//! "Dropper" cards that collect "portfolio fees" and prepayments are one of
//! the strongest links between ads of one network, and an IIN (the personal
//! number on every Kazakh ID) in an ad is a sign that documents have been
//! taken. All three carry a checksum; a number that fails it is not reported,
//! so prices, order numbers and phone numbers are not mistaken for them.

/// `digits` (ASCII digits only) is a plausible payment card number: 13–19
/// digits, a known issuer prefix and a valid Luhn checksum.
pub fn is_card(digits: &str) -> bool {
    let b = digits.as_bytes();
    (13..=19).contains(&b.len())
        && b.iter().all(u8::is_ascii_digit)
        && known_issuer(digits)
        && luhn(b)
}

/// Luhn (mod 10) check over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in digits.iter().rev().enumerate() {
        let mut d = u32::from(c.wrapping_sub(b'0'));
        if d > 9 {
            return false;
        }
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// Issuer identification ranges of the card schemes seen in Kazakhstan and
/// its neighbours: Visa, Mastercard, Mir, UnionPay, Amex, JCB, Diners,
/// Discover, Maestro, Uzcard, Humo, Elcart, Troy, BelCard.
fn known_issuer(d: &str) -> bool {
    let n = |k: usize| d.get(..k).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let len = d.len();
    match d.as_bytes().first() {
        Some(b'4') => matches!(len, 13 | 16 | 19),
        Some(b'5') => (51..=55).contains(&n(2)) || matches!(n(2), 50 | 56..=58),
        Some(b'2') => (2221..=2720).contains(&n(4)) || (2200..=2204).contains(&n(4)),
        Some(b'3') => {
            (matches!(n(2), 34 | 37) && len == 15)
                || (3528..=3589).contains(&n(4))
                || matches!(n(2), 36 | 38 | 39)
                || (300..=305).contains(&n(3))
        }
        Some(b'6') => true,
        Some(b'8') => n(4) == 8600 || (8100..=8171).contains(&n(4)),
        Some(b'9') => matches!(n(4), 9860 | 9417 | 9792 | 9112),
        _ => false,
    }
}

/// Validates a Kazakh IBAN written without spaces (any case): `KZ`, two check
/// digits, 3-digit bank code, 13 alphanumerics; ISO 13616 mod-97. Returns the
/// canonical upper-case form.
pub fn kz_iban(s: &str) -> Option<String> {
    let up = s.to_ascii_uppercase();
    let b = up.as_bytes();
    if b.len() != 20
        || !up.starts_with("KZ")
        || !b[2..7].iter().all(u8::is_ascii_digit)
        || !b[7..].iter().all(u8::is_ascii_alphanumeric)
    {
        return None;
    }
    let mut rem = 0u32;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    (rem == 1).then_some(up)
}

/// Validates a Kazakh IIN/BIN-style individual number: 12 digits, a real date
/// of birth in digits 1–6 (`YYMMDD`), a century/sex digit 1–6 in position 7
/// and the official two-pass weighted mod-11 check digit.
pub fn is_iin(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u32> = b.iter().map(|&c| u32::from(c - b'0')).collect();
    let (yy, mm, dd, cs) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5], d[6]);
    let century = match cs {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return false,
    };
    let year = century + yy;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match mm {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if dd == 0 || dd > days {
        return false;
    }
    iin_check_digit(&d[..11]) == Some(d[11])
}

/// The check digit of the first 11 IIN digits, or `None` when both passes
/// give 10 (such numbers are never issued).
pub fn iin_check_digit(d: &[u32]) -> Option<u32> {
    let pass = |w: &[u32]| d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
    let s = pass(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if s != 10 {
        return Some(s);
    }
    let s = pass(&[3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    (s != 10).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_published_examples() {
        // Test numbers published by card schemes / payment processors.
        for n in [
            "4111111111111111",
            "4012888888881881",
            "5555555555554444",
            "5105105105105100",
            "378282246310005",
            "371449635398431",
            "6011111111111117",
            "3530111333300000",
            "2200000000000004",
        ] {
            assert!(is_card(n), "{n}");
        }
        assert!(!is_card("4111111111111112"));
        assert!(!is_card("1234567812345670")); // Luhn-valid, no issuer
        assert!(luhn(b"1234567812345670"));
    }

    #[test]
    fn iban_mod97() {
        // The Kazakh example of the SWIFT IBAN registry.
        assert_eq!(
            kz_iban("KZ86125KZT5004100100").as_deref(),
            Some("KZ86125KZT5004100100")
        );
        assert_eq!(
            kz_iban("kz86125kzt5004100100").as_deref(),
            Some("KZ86125KZT5004100100")
        );
        assert_eq!(kz_iban("KZ87125KZT5004100100"), None);
        assert_eq!(kz_iban("KZ86125KZT500410010"), None);
    }

    #[test]
    fn iin_checks_date_and_digit() {
        let mut d: Vec<u32> = "90010130012".bytes().map(|c| u32::from(c - b'0')).collect();
        let c = iin_check_digit(&d).unwrap();
        d.push(c);
        let s: String = d.iter().map(|x| char::from(b'0' + *x as u8)).collect();
        assert!(is_iin(&s));
        let wrong = format!("{}{}", &s[..11], (c + 1) % 10);
        assert!(!is_iin(&wrong));
        assert!(!is_iin("901301300120")); // month 13
        assert!(!is_iin("900230300120")); // 30 February
    }
}
