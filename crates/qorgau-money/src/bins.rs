//! Which bank issued a card, from the first digits of its number: a
//! dropper card's issuer is whom the data request goes to, and its country
//! says whether the request is domestic or needs mutual legal assistance.
//!
//! The table is data the agency keeps: `<data-dir>/bins.csv`, one row per
//! prefix range, columns `iin_start,iin_end,scheme,type,country,issuer`
//! (`iin_end` empty: exactly `iin_start`; prefixes of 4 to 11 digits, the
//! longest match wins, later rows win ties). Qorgau ships no issuer rows:
//! the public BIN lists are old, incomplete and carry no Kazakh issuers,
//! and an issuer named wrongly sends a data request to the wrong bank; the
//! agency loads the National Bank's or the card schemes' tables instead.
//! Nothing about issuers is in code; only the schemes' published prefix
//! ranges are, to name the scheme when no row matches.

use serde::Serialize;

use crate::import::RowError;

/// What the table says of a card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BinInfo {
    /// Card scheme (`visa`, `mastercard`, `mir`…).
    pub scheme: String,
    /// `debit`, `credit`, `prepaid` where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_type: Option<String>,
    /// Issuing bank, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// ISO 3166 country of the issuer, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The prefix that matched (empty when only the scheme is known).
    pub prefix: String,
}

#[derive(Clone, Debug)]
struct Range {
    start: u64,
    end: u64,
    digits: usize,
    info: BinInfo,
}

/// The issuer table.
#[derive(Clone, Debug, Default)]
pub struct BinTable {
    ranges: Vec<Range>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl BinTable {
    /// Adds the rows of a `bins.csv` (later rows win over earlier ones for
    /// the same prefix); bad rows are returned with their lines, the
    /// others are kept.
    pub fn extend_csv(&mut self, text: &str) -> Vec<RowError> {
        let mut errors = Vec::new();
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        for (i, record) in reader.records().enumerate() {
            let line = i as u64 + 2;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    errors.push(RowError {
                        line,
                        message: e.to_string(),
                    });
                    continue;
                }
            };
            let field = |n: usize| record.get(n).unwrap_or("");
            let start_text = field(0).trim();
            let end_text = opt(field(1)).unwrap_or_else(|| start_text.to_owned());
            let valid =
                |t: &str| (4..=11).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
            if !valid(start_text) || !valid(&end_text) || end_text.len() != start_text.len() {
                errors.push(RowError {
                    line,
                    message: format!(
                        "iin_start {start_text:?} / iin_end {end_text:?}: 4 to 11 digits, both of the same length"
                    ),
                });
                continue;
            }
            let (Ok(start), Ok(end)) = (start_text.parse::<u64>(), end_text.parse::<u64>()) else {
                continue;
            };
            if end < start || opt(field(2)).is_none() {
                errors.push(RowError {
                    line,
                    message: "iin_end before iin_start, or no scheme".into(),
                });
                continue;
            }
            self.ranges.push(Range {
                start,
                end,
                digits: start_text.len(),
                info: BinInfo {
                    scheme: field(2).trim().to_lowercase(),
                    card_type: opt(field(3)),
                    country: opt(field(4)).map(|c| c.to_uppercase()),
                    issuer: opt(field(5)),
                    prefix: start_text.to_owned(),
                },
            });
        }
        errors
    }

    /// What is known of `card` (digits): the longest matching prefix, the
    /// last added on a tie; else the scheme from its published ranges.
    pub fn lookup(&self, card: &str) -> Option<BinInfo> {
        let digits: String = card.chars().filter(char::is_ascii_digit).collect();
        let best = self
            .ranges
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                digits.len() >= r.digits
                    && digits[..r.digits]
                        .parse::<u64>()
                        .is_ok_and(|p| (r.start..=r.end).contains(&p))
            })
            .max_by_key(|(i, r)| (r.digits, *i))
            .map(|(_, r)| {
                let mut info = r.info.clone();
                info.prefix = digits[..r.digits].to_owned();
                info
            });
        best.or_else(|| {
            scheme_of(&digits).map(|scheme| BinInfo {
                scheme: scheme.to_owned(),
                card_type: None,
                issuer: None,
                country: None,
                prefix: String::new(),
            })
        })
    }
}

/// The card scheme from the prefix ranges the schemes publish.
pub fn scheme_of(digits: &str) -> Option<&'static str> {
    let n = |len: usize| digits.get(..len).and_then(|p| p.parse::<u32>().ok());
    let (Some(d1), Some(d2), Some(d4)) = (n(1), n(2), n(4)) else {
        return None;
    };
    Some(match () {
        _ if (2200..=2204).contains(&d4) => "mir",
        _ if (2221..=2720).contains(&d4) || (51..=55).contains(&d2) => "mastercard",
        _ if d2 == 34 || d2 == 37 => "amex",
        _ if (3528..=3589).contains(&d4) => "jcb",
        _ if d2 == 62 => "unionpay",
        _ if d1 == 4 => "visa",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_wins_and_bad_rows_are_named() {
        let mut table = BinTable::default();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/bins-synthetic.csv"
        ))
        .unwrap();
        let errors = table.extend_csv(&text);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, 6);
        assert_eq!(errors[1].line, 7);
        let wide = table.lookup("4400 4401 2345 6789").unwrap();
        assert_eq!(wide.issuer.as_deref(), Some("Synthetic Bank Alpha"));
        assert_eq!(wide.prefix, "440044");
        let narrow = table.lookup("4400430123456789").unwrap();
        assert_eq!(narrow.issuer.as_deref(), Some("Synthetic Bank Beta"));
        assert_eq!(narrow.prefix, "44004301");
        assert_eq!(narrow.country.as_deref(), Some("KZ"));
        let range = table.lookup("5399 9012 0000 0000").unwrap();
        assert_eq!(
            (range.scheme.as_str(), range.country.as_deref()),
            ("mastercard", Some("KG"))
        );
        // A later row for the same prefix wins.
        table.extend_csv(
            "iin_start,iin_end,scheme,type,country,issuer\n440044,,visa,debit,KZ,Renamed\n",
        );
        assert_eq!(
            table.lookup("4400440000000000").unwrap().issuer.as_deref(),
            Some("Renamed")
        );
        // No row: the scheme alone.
        let mir = table.lookup("2200123412341234").unwrap();
        assert_eq!((mir.scheme.as_str(), mir.issuer), ("mir", None));
        assert!(table.lookup("9999").is_none());
        assert!(table.lookup("").is_none());
        assert!(
            BinTable::default()
                .lookup("4111111111111111")
                .is_some_and(|i| i.scheme == "visa")
        );
    }

    #[test]
    fn schemes_by_prefix() {
        assert_eq!(scheme_of("4111111111111111"), Some("visa"));
        assert_eq!(scheme_of("5500000000000004"), Some("mastercard"));
        assert_eq!(scheme_of("2221000000000009"), Some("mastercard"));
        assert_eq!(scheme_of("2202200000000000"), Some("mir"));
        assert_eq!(scheme_of("6200000000000005"), Some("unionpay"));
        assert_eq!(scheme_of("3530111333300000"), Some("jcb"));
        assert_eq!(scheme_of("378282246310005"), Some("amex"));
        assert_eq!(scheme_of("9"), None);
    }
}
