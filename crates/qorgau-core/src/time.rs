//! Instants as the evidence record states them: UTC, plus Asia/Almaty for people.
//!
//! Protocols in Kazakhstan give local time; foreign platforms and servers give
//! UTC. A record that shows only one invites mistakes in court, so every
//! acquisition keeps the UTC instant and renders the Almaty wall-clock time
//! beside it. The Almaty offset is taken from the tz database (Almaty moved
//! from UTC+6 to UTC+5 on 2024-03-01), never hard-coded, so file times from
//! before the change render correctly.

use std::fmt;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Asia::Almaty;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a timestamp string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an RFC 3339 timestamp: {input:?}")]
pub struct TimestampParseError {
    /// The text that did not parse.
    pub input: String,
}

/// A UTC instant with microsecond precision.
///
/// Microseconds, not nanoseconds: PostgreSQL stores microseconds, and a value
/// that changed on its way through the database would break the ledger's hashes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// The current instant, truncated to microseconds.
    pub fn now() -> Self {
        Self::from_datetime(Utc::now())
    }

    /// Wraps a chrono instant, truncated to microseconds.
    pub fn from_datetime(at: DateTime<Utc>) -> Self {
        let micros = at.timestamp_micros();
        Self(DateTime::from_timestamp_micros(micros).unwrap_or(at))
    }

    /// This instant plus `by` (sessions, lock-outs, deadlines); saturates at
    /// the end of representable time rather than wrapping.
    pub fn plus(&self, by: std::time::Duration) -> Self {
        let by = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
        Self::from_datetime(
            self.0
                .checked_add_signed(by)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        )
    }

    /// Converts a file time as the operating system reports it.
    pub fn from_system_time(at: std::time::SystemTime) -> Self {
        Self::from_datetime(DateTime::<Utc>::from(at))
    }

    /// Parses RFC 3339 in any offset and normalises to UTC.
    pub fn parse(text: &str) -> Result<Self, TimestampParseError> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| Self::from_datetime(t.with_timezone(&Utc)))
            .map_err(|_| TimestampParseError {
                input: text.to_owned(),
            })
    }

    /// Parses what a person types for a time filter: RFC 3339, or a bare
    /// date `YYYY-MM-DD` meaning midnight of that day in Asia/Almaty (the
    /// investigator's calendar day, not UTC's).
    pub fn parse_human(text: &str) -> Result<Self, TimestampParseError> {
        if let Ok(t) = Self::parse(text) {
            return Ok(t);
        }
        let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            TimestampParseError {
                input: text.to_owned(),
            }
        })?;
        let midnight = date
            .and_hms_opt(0, 0, 0)
            .ok_or_else(|| TimestampParseError {
                input: text.to_owned(),
            })?;
        Almaty
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| Self::from_datetime(t.with_timezone(&Utc)))
            .ok_or_else(|| TimestampParseError {
                input: text.to_owned(),
            })
    }

    /// The chrono value, for arithmetic and comparisons.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Canonical UTC text (`2026-11-25T07:00:00.000000Z`): fixed width, so
    /// string order equals time order in any database and hashes are stable.
    pub fn to_utc_string(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    /// Wall-clock time in Asia/Almaty with its offset, for protocols and people.
    pub fn to_almaty_string(&self) -> String {
        Almaty
            .from_utc_datetime(&self.0.naive_utc())
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_utc_string())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_utc_string())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_utc_string())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almaty_is_utc_plus_five_after_march_2024() {
        let t = Timestamp::parse("2026-11-25T07:00:00Z").unwrap();
        assert_eq!(t.to_almaty_string(), "2026-11-25T12:00:00+05:00");
        assert_eq!(t.to_utc_string(), "2026-11-25T07:00:00.000000Z");
    }

    #[test]
    fn almaty_was_utc_plus_six_before_march_2024() {
        let t = Timestamp::parse("2023-06-01T07:00:00Z").unwrap();
        assert_eq!(t.to_almaty_string(), "2023-06-01T13:00:00+06:00");
    }

    #[test]
    fn a_bare_date_is_almaty_midnight() {
        let t = Timestamp::parse_human("2026-11-25").unwrap();
        assert_eq!(t.to_utc_string(), "2026-11-24T19:00:00.000000Z");
        assert!(Timestamp::parse_human("25.11.2026").is_err());
    }

    #[test]
    fn parse_normalises_offsets_and_truncates_to_micros() {
        let t = Timestamp::parse("2024-11-05T02:21:36.123456789+05:00").unwrap();
        assert_eq!(t.to_utc_string(), "2024-11-04T21:21:36.123456Z");
        assert!(Timestamp::parse("yesterday").is_err());
    }
}
