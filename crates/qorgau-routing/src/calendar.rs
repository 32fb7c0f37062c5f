//! Working time in Kazakhstan: the week, public holidays and government
//! transfers of days off, as data; deadlines in clock or working time.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::value::Datetime as TomlDatetime;

use crate::duration::{Within, WorkDuration};
use crate::error::{LoadError, LoadErrorKind, LoadErrors, Source};

/// The calendar settings shipped with the crate (Asia/Almaty, Mon–Fri, 09–18).
pub const DEFAULT_SETTINGS: &str = include_str!("../data/calendar/kz.toml");
/// Shipped holiday files, one per year, with their names.
pub const DEFAULT_YEARS: [(&str, &str); 3] = [
    (
        "calendar/kz-2025.toml",
        include_str!("../data/calendar/kz-2025.toml"),
    ),
    (
        "calendar/kz-2026.toml",
        include_str!("../data/calendar/kz-2026.toml"),
    ),
    (
        "calendar/kz-2027.toml",
        include_str!("../data/calendar/kz-2027.toml"),
    ),
];

/// How far a working-time deadline may search before giving up (about ten
/// years of days), so a calendar with no working days cannot loop forever.
const MAX_SEARCH_DAYS: u32 = 3660;

/// Why a deadline could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Working time was needed in a year with no holiday file. Guessing would
    /// silently put deadlines on holidays, so the server must load the year.
    #[error("no holiday data for {0}; add data/calendar/kz-{0}.toml from the government decree")]
    YearNotCovered(i32),
    /// The calendar has no working time within the search limit.
    #[error("no working time found within {MAX_SEARCH_DAYS} days")]
    NoWorkingTime,
    /// The result falls outside the representable range of times.
    #[error("deadline out of range")]
    OutOfRange,
}

/// What kind of public holiday a date is (Law «О праздниках в Республике
/// Казахстан»): national and state holidays falling on a weekend move the
/// day off to the next working day; religious ones do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// National holiday (e.g. Independence Day, Nauryz).
    National,
    /// State holiday (e.g. 8 March, 9 May).
    State,
    /// Religious holiday that is a day off (Orthodox Christmas, Kurban Ait).
    Religious,
}

/// A public holiday of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The date.
    pub date: NaiveDate,
    /// Its name as in the law.
    pub name: String,
    /// Its kind.
    pub kind: HolidayKind,
    /// The date is announced each year and the shipped one is an estimate.
    pub provisional: bool,
}

/// Working days and hours in one time zone: Mon–Fri (from data), public
/// holidays, transferred days off and working weekend days per year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    tz: Tz,
    /// Weekend days, indexed by days from Monday.
    weekend: [bool; 7],
    hours: Vec<(NaiveTime, NaiveTime)>,
    holidays: BTreeMap<NaiveDate, Holiday>,
    days_off: BTreeMap<NaiveDate, String>,
    working_days: BTreeMap<NaiveDate, String>,
    years: BTreeSet<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    format: Spanned<u32>,
    timezone: Spanned<String>,
    weekend: Vec<Spanned<String>>,
    hours: Spanned<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    format: Spanned<u32>,
    year: Spanned<i32>,
    #[serde(default)]
    holiday: Vec<RawHoliday>,
    #[serde(default)]
    day_off: Vec<RawTransfer>,
    #[serde(default)]
    working_day: Vec<RawTransfer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    date: Spanned<TomlDatetime>,
    name: String,
    kind: HolidayKind,
    #[serde(default)]
    provisional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransfer {
    date: Spanned<TomlDatetime>,
    reason: String,
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn interval(s: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (a, b) = s.split_once('-')?;
    let a = NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
    let b = NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?;
    (a < b).then_some((a, b))
}

fn date_of(
    src: &Source<'_>,
    d: &Spanned<TomlDatetime>,
    errors: &mut Vec<LoadError>,
) -> Option<NaiveDate> {
    let v = d.get_ref();
    let date = match (v.date, v.time, v.offset) {
        (Some(date), None, None) => NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        ),
        _ => None,
    };
    if date.is_none() {
        errors.push(src.error(
            d.span(),
            LoadErrorKind::Invalid("expected a plain date such as 2025-01-01".into()),
        ));
    }
    date
}

impl Calendar {
    /// Builds a calendar from the settings file and one file per year.
    /// Each `(name, text)` names its file in error messages.
    pub fn from_toml(
        settings: (&str, &str),
        years: &[(&str, &str)],
    ) -> Result<Calendar, LoadErrors> {
        let src = Source {
            name: settings.0,
            text: settings.1,
        };
        let raw: RawSettings = src.parse()?;
        let mut errors = Vec::new();
        if *raw.format.get_ref() != 1 {
            errors.push(src.error(
                raw.format.span(),
                LoadErrorKind::Invalid("unsupported format; this version reads format = 1".into()),
            ));
        }
        let tz: Option<Tz> = raw.timezone.get_ref().parse().ok();
        if tz.is_none() {
            errors.push(src.error(
                raw.timezone.span(),
                LoadErrorKind::Invalid(format!("unknown time zone `{}`", raw.timezone.get_ref())),
            ));
        }
        let mut weekend = [false; 7];
        for w in &raw.weekend {
            match weekday(w.get_ref()) {
                Some(d) => weekend[d.num_days_from_monday() as usize] = true,
                None => errors.push(src.error(
                    w.span(),
                    LoadErrorKind::Invalid(format!("unknown weekday `{}`", w.get_ref())),
                )),
            }
        }
        let mut hours = Vec::new();
        for h in raw.hours.get_ref() {
            match interval(h.get_ref()) {
                Some(i) => hours.push(i),
                None => errors.push(src.error(
                    h.span(),
                    LoadErrorKind::Invalid(format!(
                        "bad working-hours interval `{}`; expected e.g. \"09:00-13:00\"",
                        h.get_ref()
                    )),
                )),
            }
        }
        hours.sort();
        if hours.windows(2).any(|w| w[0].1 > w[1].0) {
            errors.push(src.error(
                raw.hours.span(),
                LoadErrorKind::Invalid("working-hours intervals overlap".into()),
            ));
        }
        if raw.hours.get_ref().is_empty() {
            errors.push(src.error(
                raw.hours.span(),
                LoadErrorKind::Invalid("at least one working-hours interval is needed".into()),
            ));
        }
        let mut cal = Calendar {
            tz: tz.unwrap_or(chrono_tz::Asia::Almaty),
            weekend,
            hours,
            holidays: BTreeMap::new(),
            days_off: BTreeMap::new(),
            working_days: BTreeMap::new(),
            years: BTreeSet::new(),
        };
        for (name, text) in years {
            if let Err(e) = cal.add_year(name, text) {
                errors.extend(e.0);
            }
        }
        if errors.is_empty() {
            Ok(cal)
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// The shipped calendar: Kazakhstan, Asia/Almaty, 2025–2027.
    pub fn default_kazakhstan() -> Result<Calendar, LoadErrors> {
        Calendar::from_toml(("calendar/kz.toml", DEFAULT_SETTINGS), &DEFAULT_YEARS)
    }

    /// Adds one year's holiday file (e.g. when next year's decree is out).
    pub fn add_year(&mut self, file: &str, text: &str) -> Result<(), LoadErrors> {
        let src = Source { name: file, text };
        let raw: RawYear = src.parse()?;
        let mut errors = Vec::new();
        if *raw.format.get_ref() != 1 {
            errors.push(src.error(
                raw.format.span(),
                LoadErrorKind::Invalid("unsupported format; this version reads format = 1".into()),
            ));
        }
        let year = *raw.year.get_ref();
        if self.years.contains(&year) {
            errors.push(src.error(
                raw.year.span(),
                LoadErrorKind::Invalid(format!("year {year} is already loaded")),
            ));
        }
        let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        let mut dated = |d: &Spanned<TomlDatetime>, errors: &mut Vec<LoadError>| {
            let date = date_of(&src, d, errors)?;
            if date.year() != year {
                errors.push(src.error(
                    d.span(),
                    LoadErrorKind::Invalid(format!("date {date} is not in year {year}")),
                ));
                return None;
            }
            if let Some(first) = seen.get(&date) {
                errors.push(src.error(
                    d.span(),
                    LoadErrorKind::Duplicate {
                        what: "date",
                        key: date.to_string(),
                        first_line: *first,
                    },
                ));
                return None;
            }
            seen.insert(date, src.line(d.span().start));
            Some(date)
        };
        let mut holidays = BTreeMap::new();
        for h in raw.holiday {
            if let Some(date) = dated(&h.date, &mut errors) {
                holidays.insert(
                    date,
                    Holiday {
                        date,
                        name: h.name,
                        kind: h.kind,
                        provisional: h.provisional,
                    },
                );
            }
        }
        let mut days_off = BTreeMap::new();
        for t in raw.day_off {
            if let Some(date) = dated(&t.date, &mut errors) {
                if self.is_weekend(date.weekday()) {
                    errors.push(src.error(
                        t.date.span(),
                        LoadErrorKind::Invalid(format!("{date} is already a weekend day")),
                    ));
                }
                days_off.insert(date, t.reason);
            }
        }
        let mut working = BTreeMap::new();
        for t in raw.working_day {
            if let Some(date) = dated(&t.date, &mut errors) {
                if !self.is_weekend(date.weekday()) {
                    errors.push(src.error(
                        t.date.span(),
                        LoadErrorKind::Invalid(format!(
                            "{date} is a weekday; a transferred working day is a weekend day"
                        )),
                    ));
                }
                working.insert(date, t.reason);
            }
        }
        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }
        self.holidays.extend(holidays);
        self.days_off.extend(days_off);
        self.working_days.extend(working);
        self.years.insert(year);
        Ok(())
    }

    fn is_weekend(&self, d: Weekday) -> bool {
        self.weekend
            .get(d.num_days_from_monday() as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The calendar's time zone.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// Years with holiday data.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// The holiday on a date, if any.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.get(&date)
    }

    /// Whether a local date is a working day. Errors for years without data.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        if !self.years.contains(&date.year()) {
            return Err(CalendarError::YearNotCovered(date.year()));
        }
        if self.working_days.contains_key(&date) {
            return Ok(true);
        }
        if self.holidays.contains_key(&date) || self.days_off.contains_key(&date) {
            return Ok(false);
        }
        Ok(!self.is_weekend(date.weekday()))
    }

    fn instant(&self, date: NaiveDate, time: NaiveTime) -> Result<DateTime<Utc>, CalendarError> {
        let local = NaiveDateTime::new(date, time);
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or(CalendarError::OutOfRange)
    }

    /// The deadline for one duration from `start`.
    ///
    /// * hours and days: plain clock time;
    /// * working days: the day of the hand-off never counts (as periods in
    ///   Kazakh law run from the next day); the deadline is the close of
    ///   business on the n-th working day after it;
    /// * working hours: only time inside the working-hours intervals of
    ///   working days is counted; a hand-off outside them starts counting at
    ///   the next opening.
    pub fn deadline(
        &self,
        start: DateTime<Utc>,
        duration: WorkDuration,
    ) -> Result<DateTime<Utc>, CalendarError> {
        match duration {
            WorkDuration::Hours(_) | WorkDuration::Days(_) => {
                let hours = duration.clock_hours().unwrap_or(0);
                let hours = i64::try_from(hours).map_err(|_| CalendarError::OutOfRange)?;
                start
                    .checked_add_signed(Duration::hours(hours))
                    .ok_or(CalendarError::OutOfRange)
            }
            WorkDuration::WorkingDays(n) => {
                let mut date = start.with_timezone(&self.tz).date_naive();
                let mut left = n;
                for _ in 0..MAX_SEARCH_DAYS {
                    date = date.succ_opt().ok_or(CalendarError::OutOfRange)?;
                    if self.is_working_day(date)? {
                        left -= 1;
                        if left == 0 {
                            let close = self.hours.last().map_or(NaiveTime::MIN, |h| h.1);
                            return self.instant(date, close);
                        }
                    }
                }
                Err(CalendarError::NoWorkingTime)
            }
            WorkDuration::WorkingHours(n) => {
                let local = start.with_timezone(&self.tz).naive_local();
                let mut left = Duration::hours(i64::from(n));
                let mut date = local.date();
                for _ in 0..MAX_SEARCH_DAYS {
                    if self.is_working_day(date)? {
                        for &(open, close) in &self.hours {
                            let from = if date == local.date() {
                                open.max(local.time())
                            } else {
                                open
                            };
                            if from >= close {
                                continue;
                            }
                            let available = close - from;
                            if available >= left {
                                return self.instant(date, from + left);
                            }
                            left -= available;
                        }
                    }
                    date = date.succ_opt().ok_or(CalendarError::OutOfRange)?;
                }
                Err(CalendarError::NoWorkingTime)
            }
        }
    }

    /// The earliest deadline of several durations (a merged referral).
    pub fn earliest(
        &self,
        start: DateTime<Utc>,
        within: &Within,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let mut best: Option<DateTime<Utc>> = None;
        for d in within.durations() {
            let t = self.deadline(start, *d)?;
            best = Some(best.map_or(t, |b| b.min(t)));
        }
        best.ok_or(CalendarError::OutOfRange)
    }
}

/// The deadline for `duration` from `start` in `calendar`: the free-function
/// form of [`Calendar::deadline`] the server calls when a referral is sent.
pub fn deadline(
    start: DateTime<Utc>,
    duration: WorkDuration,
    calendar: &Calendar,
) -> Result<DateTime<Utc>, CalendarError> {
    calendar.deadline(start, duration)
}
