//! Times as exports and statements write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Unix seconds or milliseconds (digits only), RFC 3339, or a date and time
/// in the forms below, read in `zone` when it carries no offset.
pub(crate) fn parse_time(text: &str, zone: Tz) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = t.parse().map_err(|_| format!("{t:?} is not a time"))?;
        // Milliseconds from 2001-09-09 on have 13 digits; seconds 10.
        let at = if t.len() >= 13 {
            DateTime::from_timestamp_millis(n)
        } else {
            DateTime::from_timestamp(n, 0)
        };
        return at.ok_or_else(|| format!("{t:?} is not a time"));
    }
    if let Some(naive) = iso_seconds(t) {
        if zone == chrono_tz::UTC {
            return Ok(naive.and_utc());
        }
        return zone
            .from_local_datetime(&naive)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .ok_or_else(|| format!("{t:?} does not exist in {zone}"));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    let trimmed = t.trim_end_matches(" UTC").trim_end_matches('Z');
    const FORMS: [&str; 8] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ];
    let naive = FORMS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(trimmed, f).ok())
        .or_else(|| {
            ["%d.%m.%Y", "%Y-%m-%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(trimmed, f).ok())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .ok_or_else(|| {
            format!("{t:?} is not a time (use e.g. 2026-03-05 10:22:31 or 05.03.2026 10:22)")
        })?;
    let zone_is_utc = t.ends_with('Z') || t.ends_with(" UTC") || zone == chrono_tz::UTC;
    if zone_is_utc {
        return Ok(naive.and_utc());
    }
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| format!("{t:?} does not exist in {zone}"))
}

/// `2026-03-05 10:22:31` (or with `T`), the form explorers export, read
/// without chrono's format interpreter: it is every row of a
/// ten-million-row export. Calendar validity is still chrono's.
fn iso_seconds(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b' ' || b[10] == b'T')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(n(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, n(5..7)?, n(8..10)?)?.and_hms_opt(
        n(11..13)?,
        n(14..16)?,
        n(17..19)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_zones() {
        let utc = |t: &str| parse_time(t, chrono_tz::UTC).map(|d| d.to_rfc3339());
        assert_eq!(
            utc("2026-03-05 10:22:31").unwrap(),
            "2026-03-05T10:22:31+00:00"
        );
        assert_eq!(utc("1772706151").unwrap(), "2026-03-05T10:22:31+00:00");
        assert_eq!(utc("1772706151000").unwrap(), "2026-03-05T10:22:31+00:00");
        assert_eq!(
            utc("2026-03-05T15:22:31+05:00").unwrap(),
            "2026-03-05T10:22:31+00:00"
        );
        // Almaty is UTC+5 since 1 March 2024.
        let almaty = parse_time("05.03.2026 15:22", chrono_tz::Asia::Almaty).unwrap();
        assert_eq!(almaty.to_rfc3339(), "2026-03-05T10:22:00+00:00");
        let before = parse_time("05.03.2023 16:22", chrono_tz::Asia::Almaty).unwrap();
        assert_eq!(before.to_rfc3339(), "2023-03-05T10:22:00+00:00");
        assert!(utc("yesterday").is_err());
        assert!(utc("31.02.2026 10:00").is_err());
        assert!(utc("2026-02-31 10:00:00").is_err());
        assert!(utc("2026-03-05 24:00:00").is_err());
        assert!(utc("2026-03-0x 10:00:00").is_err());
        assert_eq!(
            utc("2026-03-05T10:22:31").unwrap(),
            "2026-03-05T10:22:31+00:00"
        );
        let local = parse_time("2026-03-05 15:22:31", chrono_tz::Asia::Almaty).unwrap();
        assert_eq!(local.to_rfc3339(), "2026-03-05T10:22:31+00:00");
    }
}
