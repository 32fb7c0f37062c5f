//! Deadline durations as administrators write them: "24h", "2 days",
//! "3 working days", "8 working hours".

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest clock duration a rule may give, in hours (one leap year).
/// Longer deadlines are almost certainly typos ("2400h" for "24h").
pub const MAX_HOURS: u32 = 366 * 24;
/// The longest duration in calendar days.
pub const MAX_DAYS: u32 = 366;
/// The longest duration in working days (about a working year).
pub const MAX_WORKING_DAYS: u32 = 260;
/// The longest duration in working hours (a working year of 8-hour days).
pub const MAX_WORKING_HOURS: u32 = 260 * 8;

/// How long an agency has to acknowledge or act on a referral.
///
/// The study's referral rules (4.3) speak of hours for urgent hand-offs and of
/// working days for services; both exist so each rule can say which it means.
/// Clock hours and calendar days run around the clock; working days and
/// working hours run only in the working time of a [`crate::Calendar`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkDuration {
    /// Clock hours from the hand-off ("24h").
    Hours(u32),
    /// Calendar days of 24 hours ("2 days"); Almaty has no daylight saving,
    /// so this is the same as `24 × n` hours.
    Days(u32),
    /// Hours counted only inside working hours of working days ("8 working hours").
    WorkingHours(u32),
    /// Whole working days after the day of the hand-off, ending at the close
    /// of the last one ("3 working days").
    WorkingDays(u32),
}

impl WorkDuration {
    /// Whether the duration runs in working time (needs the calendar).
    pub fn is_working_time(self) -> bool {
        matches!(
            self,
            WorkDuration::WorkingHours(_) | WorkDuration::WorkingDays(_)
        )
    }

    /// Length in clock hours for clock durations; `None` for working time,
    /// whose length depends on the start and the calendar.
    pub fn clock_hours(self) -> Option<u64> {
        match self {
            WorkDuration::Hours(h) => Some(u64::from(h)),
            WorkDuration::Days(d) => Some(u64::from(d) * 24),
            _ => None,
        }
    }

    /// A class such that two durations of the same class can be compared
    /// without a calendar (clock, working hours, working days).
    fn class(self) -> u8 {
        match self {
            WorkDuration::Hours(_) | WorkDuration::Days(_) => 0,
            WorkDuration::WorkingHours(_) => 1,
            WorkDuration::WorkingDays(_) => 2,
        }
    }

    /// Comparable magnitude inside a class.
    fn magnitude(self) -> u64 {
        match self {
            WorkDuration::Hours(h) => u64::from(h),
            WorkDuration::Days(d) => u64::from(d) * 24,
            WorkDuration::WorkingHours(h) => u64::from(h),
            WorkDuration::WorkingDays(d) => u64::from(d),
        }
    }

    /// `Some(ordering)` when the two can be compared without a start and a
    /// calendar: used to check that a rule's action deadline is not shorter
    /// than its acknowledgement deadline.
    pub fn compare(self, other: WorkDuration) -> Option<std::cmp::Ordering> {
        (self.class() == other.class()).then(|| self.magnitude().cmp(&other.magnitude()))
    }
}

/// Why a duration text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DurationError(pub String);

impl FromStr for WorkDuration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let lower = text.trim().to_ascii_lowercase();
        let digits_end = lower
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(lower.len());
        let (number, unit) = lower.split_at(digits_end);
        if number.is_empty() {
            return Err(DurationError(
                "expected a number first, e.g. \"24h\" or \"3 working days\"".into(),
            ));
        }
        let n: u32 = number
            .parse()
            .map_err(|_| DurationError("number too large".into()))?;
        let unit = unit.split_whitespace().collect::<Vec<_>>().join(" ");
        let (value, max) = match unit.as_str() {
            "h" | "hour" | "hours" => (WorkDuration::Hours(n), MAX_HOURS),
            "d" | "day" | "days" => (WorkDuration::Days(n), MAX_DAYS),
            "wh" | "working hour" | "working hours" => {
                (WorkDuration::WorkingHours(n), MAX_WORKING_HOURS)
            }
            "wd" | "working day" | "working days" => {
                (WorkDuration::WorkingDays(n), MAX_WORKING_DAYS)
            }
            "" => {
                return Err(DurationError(
                    "missing unit: use h, hours, days, working hours or working days".into(),
                ));
            }
            other => {
                return Err(DurationError(format!(
                    "unknown unit `{other}`: use h, hours, days, working hours or working days"
                )));
            }
        };
        if n == 0 {
            return Err(DurationError("a deadline must be longer than zero".into()));
        }
        if n > max {
            return Err(DurationError(format!("longer than the maximum of {max}")));
        }
        Ok(value)
    }
}

impl fmt::Display for WorkDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: u32| if n == 1 { "" } else { "s" };
        match *self {
            WorkDuration::Hours(h) => write!(f, "{h}h"),
            WorkDuration::Days(d) => write!(f, "{d} day{}", plural(d)),
            WorkDuration::WorkingHours(h) => write!(f, "{h} working hour{}", plural(h)),
            WorkDuration::WorkingDays(d) => write!(f, "{d} working day{}", plural(d)),
        }
    }
}

impl Serialize for WorkDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WorkDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A deadline given by one or more durations, of which the earliest wins.
///
/// When two rules send a case to the same agency the referral takes the
/// earliest deadline. "24h" and "3 working days" cannot be compared without
/// knowing when the referral is sent, so both are kept and resolved then
/// (see [`crate::Calendar::earliest`]). Within one class only the shortest is kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Within(Vec<WorkDuration>);

impl Within {
    /// A deadline of one duration.
    pub fn one(d: WorkDuration) -> Self {
        Within(vec![d])
    }

    /// The durations, at most one per class, in a fixed order.
    pub fn durations(&self) -> &[WorkDuration] {
        &self.0
    }

    /// Adds a duration, keeping the earliest per class.
    pub fn merge(&mut self, d: WorkDuration) {
        if let Some(existing) = self.0.iter_mut().find(|e| e.class() == d.class()) {
            if d.magnitude() < existing.magnitude() {
                *existing = d;
            }
        } else {
            self.0.push(d);
            self.0.sort_by_key(|e| e.class());
        }
    }
}

impl fmt::Display for Within {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            f.write_str(", whichever is earlier")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn parses_the_written_forms() {
        assert_eq!("24h".parse(), Ok(WorkDuration::Hours(24)));
        assert_eq!(" 1 hour ".parse(), Ok(WorkDuration::Hours(1)));
        assert_eq!("2 days".parse(), Ok(WorkDuration::Days(2)));
        assert_eq!("3 working days".parse(), Ok(WorkDuration::WorkingDays(3)));
        assert_eq!(
            "3  Working   Days".parse(),
            Ok(WorkDuration::WorkingDays(3))
        );
        assert_eq!("8 working hours".parse(), Ok(WorkDuration::WorkingHours(8)));
        assert_eq!("5wd".parse(), Ok(WorkDuration::WorkingDays(5)));
    }

    #[test]
    fn refuses_bad_forms_without_panicking() {
        for bad in [
            "",
            "h",
            "24",
            "0h",
            "24 weeks",
            "-1h",
            "99999999999999h",
            "367 days",
            "1.5h",
            "٣h",
            "24hh",
        ] {
            assert!(bad.parse::<WorkDuration>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn display_round_trips() {
        for d in [
            WorkDuration::Hours(24),
            WorkDuration::Days(1),
            WorkDuration::WorkingHours(8),
            WorkDuration::WorkingDays(3),
        ] {
            assert_eq!(d.to_string().parse(), Ok(d));
        }
    }

    #[test]
    fn within_keeps_earliest_per_class() {
        let mut w = Within::one(WorkDuration::WorkingDays(3));
        w.merge(WorkDuration::Hours(48));
        w.merge(WorkDuration::Days(1));
        w.merge(WorkDuration::WorkingDays(5));
        assert_eq!(
            w.durations(),
            &[WorkDuration::Days(1), WorkDuration::WorkingDays(3)]
        );
        assert_eq!(
            w.to_string(),
            "1 day or 3 working days, whichever is earlier"
        );
    }
}
