//! libphonenumber's validity test (`phonenumber::is_valid`) with the
//! metadata's own patterns, compiled here once per thread and anchored.
//!
//! Why by hand: `phonenumber` tests a number against a type's pattern with
//! an unanchored search through a shared, locked cache of regexes; the lazy
//! DFA behind each search keeps building states for the positions a match
//! could start at, which made validation of numbers outside the +7 mobile
//! plan (Kazakh landlines, foreign mobiles) the costliest step of
//! extraction. The test here is the crate's, step for step
//! (`validator::is_valid_with`, `source_for`, `number_type`), with the same
//! metadata: a number is valid when its region's general pattern and the
//! pattern of some type match at its start. `anchored_search_agrees_with_
//! libphonenumber` holds the two together; when a pattern does not compile
//! here, the crate's own test decides.

use std::cell::RefCell;
use std::collections::HashMap;

use phonenumber::PhoneNumber;
use phonenumber::metadata::{DATABASE, Descriptor, Metadata};

thread_local! {
    /// Anchored forms of the metadata's patterns, by the address of the
    /// pattern text (the database is static, so addresses are stable).
    static PATTERNS: RefCell<HashMap<usize, Option<regex::Regex>>> = RefCell::new(HashMap::new());
}

/// Whether `pattern` (a metadata pattern) matches at the start of `value`,
/// as `CachedRegex::find(value).map(|m| m.start() == 0)`; `None` when it
/// does not compile here.
fn matches_at_start(pattern: &str, value: &str) -> Option<bool> {
    PATTERNS.with(|p| {
        let mut p = p.borrow_mut();
        let re = p.entry(pattern.as_ptr() as usize).or_insert_with(|| {
            // As `phonenumber` builds them: whitespace in the metadata
            // is layout (the line break ends any `#` comment).
            regex::RegexBuilder::new(&format!("^(?:{pattern}\n)"))
                .ignore_whitespace(true)
                .build()
                .ok()
        });
        re.as_ref().map(|re| re.is_match(value))
    })
}

/// `Descriptor::is_match`: a possible length, and the pattern at the start.
fn desc_matches(d: &Descriptor, value: &str) -> Option<bool> {
    let lengths = d.possible_length();
    if !lengths.is_empty() && !lengths.contains(&(value.len() as u16)) {
        return Some(false);
    }
    matches_at_start(d.national_number().as_str(), value)
}

/// `number_type(meta, value) != Type::Unknown`.
fn has_type(meta: &Metadata, value: &str) -> Option<bool> {
    let d = meta.descriptors();
    if !desc_matches(d.general(), value)? {
        return Some(false);
    }
    for t in [
        d.premium_rate(),
        d.toll_free(),
        d.shared_cost(),
        d.voip(),
        d.personal_number(),
        d.pager(),
        d.uan(),
        d.voicemail(),
        d.fixed_line(),
        d.mobile(),
    ]
    .into_iter()
    .flatten()
    {
        if desc_matches(t, value)? {
            return Some(true);
        }
    }
    Some(false)
}

/// The metadata `validator::source_for` picks for a number.
fn source_for(code: u16, national: &str) -> Option<Option<&'static Metadata>> {
    let db = &*DATABASE;
    let Some(regions) = db.region(&code) else {
        return Some(None);
    };
    if regions.len() == 1 {
        return Some(if regions[0] == "001" {
            db.by_code(&code).and_then(|m| m.into_iter().next())
        } else {
            db.by_id(regions[0])
        });
    }
    for region in regions {
        let Some(meta) = db.by_id(region) else {
            continue;
        };
        let hit = match meta.leading_digits() {
            Some(pattern) => matches_at_start(pattern.as_str(), national)?,
            None => has_type(meta, national)?,
        };
        if hit {
            return Some(Some(meta));
        }
    }
    Some(None)
}

/// `phonenumber::is_valid(n)`, faster.
pub(crate) fn is_valid(n: &PhoneNumber) -> bool {
    let national = n.national().to_string();
    let fast = source_for(n.country().code(), &national).and_then(|meta| match meta {
        Some(meta) => has_type(meta, &national),
        None => Some(false),
    });
    fast.unwrap_or_else(|| phonenumber::is_valid(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random numbers of the country codes and national forms extraction
    /// reads: the answer must be libphonenumber's.
    #[test]
    fn anchored_search_agrees_with_libphonenumber() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut valid = 0;
        let codes = [
            "7", "996", "998", "992", "993", "994", "995", "971", "90", "82", "86", "374", "375",
            "380", "973", "1", "44", "49", "39", "33",
        ];
        for round in 0..60_000 {
            let cc = codes[round % codes.len()];
            let len = 8 + (next() % 8) as usize;
            let mut digits = cc.to_owned();
            while digits.len() < len {
                digits.push(char::from(b'0' + (next() % 10) as u8));
            }
            let Ok(n) = phonenumber::parse(None, format!("+{digits}")) else {
                continue;
            };
            let want = phonenumber::is_valid(&n);
            valid += usize::from(want);
            assert_eq!(is_valid(&n), want, "+{digits}");
        }
        // National forms with a region, as read from `8 7…` and `0…`.
        for round in 0..20_000 {
            let (region, lead) = [
                (phonenumber::country::Id::KZ, "87"),
                (phonenumber::country::Id::KZ, "8"),
                (phonenumber::country::Id::KG, "0"),
                (phonenumber::country::Id::AE, "0"),
                (phonenumber::country::Id::TR, "0"),
                (phonenumber::country::Id::KR, "0"),
                (phonenumber::country::Id::UZ, "0"),
            ][round % 7];
            let len = 10 + (next() % 2) as usize;
            let mut digits = lead.to_owned();
            while digits.len() < len {
                digits.push(char::from(b'0' + (next() % 10) as u8));
            }
            let Ok(n) = phonenumber::parse(Some(region), &digits) else {
                continue;
            };
            let want = phonenumber::is_valid(&n);
            valid += usize::from(want);
            assert_eq!(is_valid(&n), want, "{digits} in {region:?}");
        }
        // The sample holds valid numbers, not only rejections.
        assert!(valid > 1000, "{valid}");
    }
}
