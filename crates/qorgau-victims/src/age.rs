//! Age facts that may be shown without revealing the person: minor or not,
//! and a coarse age band.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Age of majority in Kazakhstan (Civil Code art. 17; Criminal Code
/// art. 135 protects persons under it).
pub const AGE_OF_MAJORITY: u32 = 18;

/// Whether the person is a child, so that child-rights bodies are involved
/// and a guardian gives consent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum MinorStatus {
    /// Under 18 by a known age or birth date.
    Minor,
    /// Age not established but there are reasons to believe the person is a
    /// child; treated as a minor until established otherwise (presumption of
    /// minority, Council of Europe Convention on Action against Trafficking
    /// in Human Beings art. 10(3), which the study (3.4) recommends joining).
    PresumedMinor,
    /// 18 or older by a known age or birth date.
    Adult,
    /// Not known and no reason to presume a child.
    #[default]
    Unknown,
}

impl MinorStatus {
    /// From an age in full years.
    pub fn from_age(years: u32) -> MinorStatus {
        if years < AGE_OF_MAJORITY {
            MinorStatus::Minor
        } else {
            MinorStatus::Adult
        }
    }

    /// From a birth date, on a given day.
    pub fn from_birth_date(birth: NaiveDate, on: NaiveDate) -> MinorStatus {
        match full_years(birth, on) {
            Some(y) => MinorStatus::from_age(y),
            None => MinorStatus::Unknown,
        }
    }

    /// True when the protections for children apply (a minor or a presumed
    /// minor), so no caller has to remember the presumption.
    pub fn protections_apply(self) -> bool {
        matches!(self, MinorStatus::Minor | MinorStatus::PresumedMinor)
    }
}

/// A coarse age band: enough for statistics and for an operative to know
/// whom to expect, too coarse to identify anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// 0–13.
    Under14,
    /// 14–17.
    From14To17,
    /// 18–24.
    From18To24,
    /// 25–34.
    From25To34,
    /// 35 and older.
    From35,
    /// Not known.
    Unknown,
}

impl AgeBand {
    /// The band of an age in full years.
    pub fn from_age(years: u32) -> AgeBand {
        match years {
            0..=13 => AgeBand::Under14,
            14..=17 => AgeBand::From14To17,
            18..=24 => AgeBand::From18To24,
            25..=34 => AgeBand::From25To34,
            _ => AgeBand::From35,
        }
    }

    /// The band of a birth date on a given day (unknown for a birth date in
    /// the future).
    pub fn from_birth_date(birth: NaiveDate, on: NaiveDate) -> AgeBand {
        full_years(birth, on).map_or(AgeBand::Unknown, AgeBand::from_age)
    }
}

/// Full years between a birth date and a day, `None` if the birth date is
/// after the day.
pub fn full_years(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if birth > on {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}
