//! Exact amounts.
//!
//! Token transfers carry up to 18 decimals and balances of a trillion units
//! or more, which is 30 significant digits: beyond `f64` (a rounding error
//! is a wrong sum in court) and beyond the 28 digits of the usual decimal
//! crates. An [`Amount`] is an `i128` count of 10⁻¹⁸ units, exact for any
//! value up to 1.7 × 10²⁰ units; written by hand because nothing smaller
//! than a big-number library does exactly this.

use std::fmt;

/// Decimal places kept.
pub const SCALE: u32 = 18;
const ONE: i128 = 1_000_000_000_000_000_000;

/// An exact amount of some asset (the asset is kept beside it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i128);

/// Why an amount does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Not a number.
    #[error("{0:?} is not an amount")]
    NotANumber(String),
    /// More than 18 decimals.
    #[error("{0:?} has more than 18 decimals")]
    TooPrecise(String),
    /// Too large to hold exactly.
    #[error("{0:?} is too large")]
    TooLarge(String),
}

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(0);

    /// Whole units.
    pub fn from_units(units: i64) -> Amount {
        Amount(i128::from(units) * ONE)
    }

    /// An amount from a raw count of 10⁻¹⁸ units.
    pub fn from_atoms(atoms: i128) -> Amount {
        Amount(atoms)
    }

    /// The raw count of 10⁻¹⁸ units.
    pub fn atoms(self) -> i128 {
        self.0
    }

    /// An amount given in the asset's smallest unit with `decimals`
    /// (`1500000` with 6 decimals is 1.5 USDT), as chain data gives it.
    pub fn from_base_units(text: &str, decimals: u32) -> Result<Amount, AmountError> {
        if decimals > SCALE || text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountError::NotANumber(text.to_owned()));
        }
        let v: i128 = text
            .parse()
            .map_err(|_| AmountError::TooLarge(text.to_owned()))?;
        v.checked_mul(10i128.pow(SCALE - decimals))
            .map(Amount)
            .ok_or_else(|| AmountError::TooLarge(text.to_owned()))
    }

    /// Parses an amount as exports and statements write it: `1234.5`,
    /// `1,234.50` (comma thousands), `1 234,50` and `1.234,50` (comma
    /// decimals, space or dot thousands, as Kazakh and Russian banks write),
    /// a leading `-` or `+`, an optional currency word or sign around it is
    /// not accepted (the currency is a column of its own).
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let bad = || AmountError::NotANumber(text.to_owned());
        let t = text.trim();
        let (negative, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        // Spaces (also no-break and thin ones) and apostrophes group digits.
        let body: String = body
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
            .collect();
        if body.is_empty()
            || !body
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        {
            return Err(bad());
        }
        // The decimal separator is the last of '.' and ',' when the other
        // one also occurs, or the only one when it occurs once and is not
        // followed by exactly three digits in a number that also has more
        // than three digits before it (then it groups thousands).
        let dots = body.matches('.').count();
        let commas = body.matches(',').count();
        let decimal = match (dots, commas) {
            (0, 0) => None,
            (_, 0) if dots > 1 => None,
            (0, _) if commas > 1 => None,
            (1, 0) => Some('.'),
            (0, 1) => {
                let (before, after) = body.split_once(',').ok_or_else(bad)?;
                if after.len() == 3 && before.len() <= 3 && before != "0" && !before.is_empty() {
                    // "1,234": thousands, as explorers write USD-style.
                    None
                } else {
                    Some(',')
                }
            }
            _ => {
                let last_dot = body.rfind('.').unwrap_or(0);
                let last_comma = body.rfind(',').unwrap_or(0);
                Some(if last_dot > last_comma { '.' } else { ',' })
            }
        };
        let (whole, frac) = match decimal {
            Some(sep) => {
                let i = body.rfind(sep).ok_or_else(bad)?;
                (&body[..i], &body[i + 1..])
            }
            None => (body.as_str(), ""),
        };
        if frac.contains(['.', ',']) {
            return Err(bad());
        }
        // Thousands groups: one kind of separator, 1–3 digits first, then
        // groups of exactly three ("1.2.3" is no number).
        let separators: Vec<char> = whole.chars().filter(|c| *c == '.' || *c == ',').collect();
        if let Some(&sep) = separators.first() {
            let groups: Vec<&str> = whole.split(sep).collect();
            let grouped = separators.iter().all(|c| *c == sep)
                && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
                && groups.iter().skip(1).all(|g| g.len() == 3);
            if !grouped {
                return Err(bad());
            }
        }
        let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
        if whole.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        if frac.len() > SCALE as usize {
            return Err(AmountError::TooPrecise(text.to_owned()));
        }
        let digits = format!("{whole}{frac:0<18}");
        let v: i128 = digits
            .trim_start_matches('0')
            .parse::<i128>()
            .or_else(|e| {
                if digits.bytes().all(|b| b == b'0') {
                    Ok(0)
                } else {
                    Err(e)
                }
            })
            .map_err(|_| AmountError::TooLarge(text.to_owned()))?;
        Ok(Amount(if negative { -v } else { v }))
    }

    /// The sum, or `None` on overflow.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// The absolute value.
    pub fn abs(self) -> Amount {
        Amount(self.0.saturating_abs())
    }

    /// Whether it is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self / other` as a ratio, for shares of what arrived (not exact).
    pub fn ratio(self, other: Amount) -> f64 {
        if other.0 == 0 {
            0.0
        } else {
            self.0 as f64 / other.0 as f64
        }
    }
}

impl std::iter::Sum for Amount {
    /// Saturates instead of wrapping (sums of real statements never get
    /// near the limit).
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        Amount(iter.fold(0i128, |a, b| a.saturating_add(b.0)))
    }
}

impl fmt::Display for Amount {
    /// `1234.5`: no grouping, no trailing zeros, `.` as decimal separator.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.unsigned_abs();
        let one = ONE.unsigned_abs();
        let whole = v / one;
        let frac = v % one;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let frac = format!("{frac:018}");
            write!(f, "{sign}{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> String {
        Amount::parse(t)
            .map(|a| a.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn statements_and_exports_parse_exactly() {
        assert_eq!(p("1234.5"), "1234.5");
        assert_eq!(p("1,234.50"), "1234.5");
        assert_eq!(p("1 234,50"), "1234.5");
        assert_eq!(p("1\u{a0}234,50"), "1234.5");
        assert_eq!(p("1.234,50"), "1234.5");
        assert_eq!(p("-15 000"), "-15000");
        assert_eq!(p("0,5"), "0.5");
        assert_eq!(p("1,234"), "1234");
        assert_eq!(p("12,5"), "12.5");
        assert_eq!(p("1,234,567"), "1234567");
        assert_eq!(p("0.000000000000000001"), "0.000000000000000001");
        assert_eq!(p("0"), "0");
        assert_eq!(
            p("123456789012.123456789012345678"),
            "123456789012.123456789012345678"
        );
        assert!(p("0.0000000000000000001").starts_with("error"));
        assert!(p("12a").starts_with("error"));
        assert!(p("").starts_with("error"));
        assert!(p("1.2.3,4,5").starts_with("error"));
        assert!(p("12,34,567.5").starts_with("error"));
        assert!(p("1.234,567.5").starts_with("error"));
        assert!(p("999999999999999999999999").starts_with("error"));
    }

    #[test]
    fn base_units_and_sums() {
        let a = Amount::from_base_units("1500000", 6).unwrap();
        assert_eq!(a.to_string(), "1.5");
        assert!(Amount::from_base_units("1.5", 6).is_err());
        let total: Amount = [a, a, Amount::from_units(2)].into_iter().sum();
        assert_eq!(total.to_string(), "5");
        assert!(Amount::parse("49 999").unwrap() < Amount::from_units(50_000));
    }
}
