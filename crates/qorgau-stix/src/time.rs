//! Timestamp forms of STIX and TAXII.
//!
//! STIX 2.1 timestamps are RFC 3339 in UTC with a `Z` (section 3.2); this
//! crate writes them to the millisecond, the precision `created` and
//! `modified` require and consumers compare versions at. TAXII's `date_added`
//! is written to the microsecond, so that objects added in one request still
//! sort apart and `added_after` never skips one.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

/// `2026-03-01T10:00:00.000Z`: millisecond precision (truncated), UTC.
pub fn stix_timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `2026-03-01T10:00:00.000000Z`: microsecond precision (truncated), UTC.
pub fn taxii_timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a STIX/TAXII timestamp: RFC 3339 in UTC with `Z` and any number of
/// fractional digits. Offsets other than `Z` are refused as the
/// specifications refuse them.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let body = text.strip_suffix('Z')?;
    let naive = NaiveDateTime::parse_from_str(body, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    Some(naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn forms() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 1, 10, 0, 5)
            .single()
            .map(|t| t + chrono::Duration::microseconds(123_456));
        let Some(at) = at else { panic!("bad date") };
        assert_eq!(stix_timestamp(at), "2026-03-01T10:00:05.123Z");
        assert_eq!(taxii_timestamp(at), "2026-03-01T10:00:05.123456Z");
        assert_eq!(parse_timestamp("2026-03-01T10:00:05.123456Z"), Some(at));
        assert_eq!(
            parse_timestamp("2026-03-01T10:00:05Z").map(|t| t.timestamp()),
            Some(at.timestamp())
        );
        assert_eq!(parse_timestamp("2026-03-01T10:00:05+05:00"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
