#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Working-time deadlines in Asia/Almaty across weekends, holidays,
//! transfers and year ends; the calendar file checks.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Asia::Almaty;
use qorgau_routing::{
    Calendar, CalendarError, DEFAULT_SETTINGS, LoadErrorKind, Within, WorkDuration, deadline,
};

fn cal() -> Calendar {
    Calendar::default_kazakhstan().unwrap()
}

/// A local Almaty time as UTC.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Almaty
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn wd(n: u32) -> WorkDuration {
    WorkDuration::WorkingDays(n)
}

fn wh(n: u32) -> WorkDuration {
    WorkDuration::WorkingHours(n)
}

#[test]
fn almaty_is_utc_plus_5_since_march_2024_without_dst() {
    let offset = |t: DateTime<Utc>| t.with_timezone(&Almaty).offset().fix().local_minus_utc();
    let utc = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap();
    assert_eq!(offset(utc(2023, 7, 1)), 6 * 3600);
    assert_eq!(offset(utc(2024, 2, 28)), 6 * 3600);
    assert_eq!(offset(utc(2024, 3, 2)), 5 * 3600);
    // No daylight saving: summer and winter alike.
    for (y, m) in [(2025, 1), (2025, 7), (2026, 1), (2026, 7), (2027, 12)] {
        assert_eq!(offset(utc(y, m, 15)), 5 * 3600, "{y}-{m}");
    }
    assert_eq!(
        at(2025, 1, 1, 9, 0),
        Utc.with_ymd_and_hms(2025, 1, 1, 4, 0, 0).unwrap()
    );
}

#[test]
fn shipped_years_and_days() {
    let c = cal();
    assert_eq!(c.years().collect::<Vec<_>>(), [2025, 2026, 2027]);
    let cases = [
        (date(2025, 1, 3), false),  // transferred day off (Friday)
        (date(2025, 1, 5), true),   // working Sunday for it
        (date(2025, 1, 7), false),  // Orthodox Christmas
        (date(2025, 3, 10), false), // 8 March on Saturday
        (date(2025, 3, 24), false), // Nauryz transfers
        (date(2025, 3, 25), false),
        (date(2025, 3, 26), true),
        (date(2025, 6, 6), false), // Kurban Ait 2025
        (date(2025, 12, 16), false),
        (date(2025, 12, 17), true), // 17 December is no longer a holiday
        (date(2026, 3, 9), false),
        (date(2026, 5, 11), false),
        (date(2026, 5, 27), false), // Kurban Ait 2026
        (date(2026, 8, 31), false),
        (date(2026, 10, 26), false),
        (date(2027, 1, 4), false),
        (date(2027, 5, 3), false),
        (date(2027, 5, 10), false),
        (date(2025, 2, 17), true),  // ordinary Monday
        (date(2025, 2, 15), false), // ordinary Saturday
    ];
    for (d, working) in cases {
        assert_eq!(c.is_working_day(d), Ok(working), "{d}");
    }
    assert!(c.holiday(date(2027, 5, 16)).unwrap().provisional);
    assert_eq!(
        c.is_working_day(date(2028, 1, 3)),
        Err(CalendarError::YearNotCovered(2028))
    );
}

#[test]
fn working_days_skip_the_weekend_and_end_at_close_of_business() {
    let c = cal();
    // Friday afternoon + 1 working day = Monday 18:00.
    assert_eq!(
        deadline(at(2025, 2, 14, 15, 0), wd(1), &c),
        Ok(at(2025, 2, 17, 18, 0))
    );
    // Sent on Saturday: Monday is the first working day.
    assert_eq!(
        deadline(at(2025, 2, 15, 11, 0), wd(1), &c),
        Ok(at(2025, 2, 17, 18, 0))
    );
    // The day of the hand-off never counts, even early in the morning.
    assert_eq!(
        deadline(at(2025, 2, 17, 8, 0), wd(1), &c),
        Ok(at(2025, 2, 18, 18, 0))
    );
    assert_eq!(
        deadline(at(2025, 2, 17, 8, 0), wd(5), &c),
        Ok(at(2025, 2, 24, 18, 0))
    );
}

#[test]
fn working_days_skip_nauryz_and_its_transfers() {
    let c = cal();
    // Thursday 20 March 2025: 21 (holiday), 22–23 (weekend, holidays),
    // 24–25 (transferred days off) → Wednesday 26 March.
    assert_eq!(
        deadline(at(2025, 3, 20, 10, 0), wd(1), &c),
        Ok(at(2025, 3, 26, 18, 0))
    );
    // Clock hours ignore holidays.
    assert_eq!(
        deadline(at(2025, 3, 20, 10, 0), WorkDuration::Hours(24), &c),
        Ok(at(2025, 3, 21, 10, 0))
    );
    assert_eq!(
        deadline(at(2025, 3, 20, 10, 0), WorkDuration::Days(2), &c),
        Ok(at(2025, 3, 22, 10, 0))
    );
}

#[test]
fn working_days_across_new_year() {
    let c = cal();
    // 31 Dec 2025 (Wed) → 1–2 Jan holidays, weekend → Monday 5 January 2026.
    assert_eq!(
        deadline(at(2025, 12, 31, 17, 0), wd(1), &c),
        Ok(at(2026, 1, 5, 18, 0))
    );
    // +3: 5, 6, (7 Christmas) 8 January.
    assert_eq!(
        deadline(at(2025, 12, 31, 17, 0), wd(3), &c),
        Ok(at(2026, 1, 8, 18, 0))
    );
    // 31 Dec 2024 → 1–2 holidays, 3 transferred off, 4 Saturday, 5 the
    // working Sunday of the 2025 transfer.
    assert_eq!(
        deadline(at(2024, 12, 31, 12, 0), wd(1), &c),
        Ok(at(2025, 1, 5, 18, 0))
    );
    // 31 Dec 2026 (Thu) → 1 Jan holiday, 2–3 weekend, 4 transferred → 5 Jan 2027.
    assert_eq!(
        deadline(at(2026, 12, 31, 12, 0), wd(1), &c),
        Ok(at(2027, 1, 5, 18, 0))
    );
    // Past the last year with data: an error, not a silent guess.
    assert_eq!(
        deadline(at(2027, 12, 31, 12, 0), wd(1), &c),
        Err(CalendarError::YearNotCovered(2028))
    );
}

#[test]
fn working_hours_count_only_inside_working_hours() {
    let c = cal();
    // Friday 16:30: 1.5h Friday, 4h Monday morning, 2.5h after lunch → 16:30.
    assert_eq!(
        deadline(at(2025, 2, 14, 16, 30), wh(8), &c),
        Ok(at(2025, 2, 17, 16, 30))
    );
    // Ending exactly at the lunch break ends there, not after it.
    assert_eq!(
        deadline(at(2025, 2, 17, 12, 0), wh(1), &c),
        Ok(at(2025, 2, 17, 13, 0))
    );
    // Sent during lunch: counting starts at 14:00.
    assert_eq!(
        deadline(at(2025, 2, 17, 13, 30), wh(1), &c),
        Ok(at(2025, 2, 17, 15, 0))
    );
    // Sent in the evening: counting starts next morning.
    assert_eq!(
        deadline(at(2025, 2, 17, 20, 0), wh(2), &c),
        Ok(at(2025, 2, 18, 11, 0))
    );
    // Sent on a holiday: next working morning.
    assert_eq!(
        deadline(at(2025, 1, 7, 10, 0), wh(8), &c),
        Ok(at(2025, 1, 8, 18, 0))
    );
    // Working Sunday 5 January 2025 counts.
    assert_eq!(
        deadline(at(2025, 1, 4, 10, 0), wh(2), &c),
        Ok(at(2025, 1, 5, 11, 0))
    );
}

#[test]
fn earliest_of_mixed_durations() {
    let c = cal();
    let mut w = Within::one(WorkDuration::WorkingDays(3));
    w.merge(WorkDuration::Hours(24));
    // Friday 17:00: 24h is Saturday 17:00, earlier than Wednesday 18:00.
    assert_eq!(
        c.earliest(at(2025, 2, 14, 17, 0), &w),
        Ok(at(2025, 2, 15, 17, 0))
    );
    let mut w = Within::one(WorkDuration::Hours(96));
    w.merge(WorkDuration::WorkingHours(2));
    assert_eq!(
        c.earliest(at(2025, 2, 14, 17, 0), &w),
        Ok(at(2025, 2, 17, 10, 0))
    );
}

#[test]
fn a_new_year_file_can_be_added() {
    let mut c = cal();
    let y2028 = "format = 1\nyear = 2028\n[[holiday]]\ndate = 2028-01-03\nname = \"test\"\nkind = \"state\"\n";
    c.add_year("kz-2028.toml", y2028).unwrap();
    // 31 Dec 2027 (Fri) → 1–2 weekend, 3 (test holiday) → 4 January 2028.
    assert_eq!(
        deadline(at(2027, 12, 31, 12, 0), wd(1), &c),
        Ok(at(2028, 1, 4, 18, 0))
    );
    // The same year twice is refused.
    let e = c.add_year("kz-2028.toml", y2028).unwrap_err();
    assert_eq!(e.0[0].line, 2);
}

fn year_error(text: &str) -> (usize, usize, String) {
    let e =
        Calendar::from_toml(("kz.toml", DEFAULT_SETTINGS), &[("kz-2030.toml", text)]).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    let e = &e.0[0];
    assert_eq!(e.file, "kz-2030.toml");
    (e.line, e.column, e.to_string())
}

#[test]
fn calendar_file_errors_have_positions() {
    let head = "format = 1\nyear = 2030\n";
    let (l, c, m) = year_error(&format!(
        "{head}[[holiday]]\ndate = 2031-01-01\nname = \"x\"\nkind = \"state\"\n"
    ));
    assert_eq!((l, c), (4, 8));
    assert!(m.contains("not in year 2030"), "{m}");
    let (l, _, m) = year_error(&format!(
        "{head}[[holiday]]\ndate = 2030-01-01\nname = \"x\"\nkind = \"state\"\n[[day_off]]\ndate = 2030-01-01\nreason = \"y\"\n"
    ));
    assert_eq!(l, 8);
    assert!(
        m.contains("duplicate date `2030-01-01` (first defined on line 4)"),
        "{m}"
    );
    // 2030-01-07 is a Monday: it cannot be a transferred working day.
    let (l, _, m) = year_error(&format!(
        "{head}[[working_day]]\ndate = 2030-01-07\nreason = \"y\"\n"
    ));
    assert_eq!(l, 4);
    assert!(m.contains("is a weekday"), "{m}");
    // 2030-01-05 is a Saturday: already off.
    let (_, _, m) = year_error(&format!(
        "{head}[[day_off]]\ndate = 2030-01-05\nreason = \"y\"\n"
    ));
    assert!(m.contains("already a weekend day"), "{m}");
    let (_, _, m) = year_error(&format!(
        "{head}[[day_off]]\ndate = 2030-01-07T10:00:00\nreason = \"y\"\n"
    ));
    assert!(m.contains("plain date"), "{m}");
    let (l, _, m) = year_error(&format!(
        "{head}[[holiday]]\ndate = 2030-01-01\nname = \"x\"\nkind = \"pagan\"\n"
    ));
    assert_eq!(l, 6);
    assert!(m.contains("pagan"), "{m}");
}

#[test]
fn settings_errors() {
    let e = Calendar::from_toml(
        (
            "kz.toml",
            "format = 1\ntimezone = \"Asia/Nowhere\"\nweekend = [\"caturday\"]\nhours = [\"18:00-09:00\"]\n",
        ),
        &[],
    )
    .unwrap_err();
    let kinds: Vec<(usize, bool)> =
        e.0.iter()
            .map(|x| (x.line, matches!(x.kind, LoadErrorKind::Invalid(_))))
            .collect();
    assert_eq!(kinds, [(2, true), (3, true), (4, true)]);
}
