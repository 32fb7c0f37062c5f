//! Times as EXIF and the crate's summary fields write them, turned into
//! seconds so that they can be compared: `"2024:03:05 14:22:01"` (EXIF),
//! `"2024-03-05T14:22:01"`, with `"+05:00"` or `"Z"` (the summary's ISO
//! form).

/// A parsed time: seconds since 1970 as if the clock time were UTC, and the
/// offset from UTC in seconds when one was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Time {
    pub local: i64,
    pub offset: Option<i64>,
    pub year: i64,
}

impl Time {
    /// Seconds since 1970 in UTC, taking the local time as UTC when no
    /// offset is known.
    pub(crate) fn utc(&self) -> i64 {
        self.local - self.offset.unwrap_or(0)
    }
}

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Parses the date and time; `None` for anything else (blank EXIF dates,
/// garbage).
pub(crate) fn parse(s: &str) -> Option<Time> {
    let s = s.trim();
    let date = s.get(0..10)?;
    let sep = s.get(10..11)?;
    if sep != " " && sep != "T" {
        return None;
    }
    let clock = s.get(11..19)?;
    let rest = s.get(19..)?;
    let d: Vec<&str> = date.split([':', '-']).collect();
    let c: Vec<&str> = clock.split(':').collect();
    let ([y, mo, da], [h, mi, se]) = (d.as_slice(), c.as_slice()) else {
        return None;
    };
    let (year, month, day) = (num(y)?, num(mo)?, num(da)?);
    let (hour, minute, second) = (num(h)?, num(mi)?, num(se)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Fractions of a second may follow; then an offset.
    let rest = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match rest {
        "" => None,
        "Z" => Some(0),
        o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let oh = num(o.get(1..3)?)?;
            let om = num(o.get(4..6)?)?;
            Some(sign * (oh * 3600 + om * 60))
        }
        _ => None,
    };
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(Time {
        local,
        offset,
        year,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exif_and_iso() {
        let t = parse("2024:03:05 14:22:01").unwrap();
        assert_eq!(t.utc(), 1_709_648_521);
        assert_eq!(t.offset, None);
        let t = parse("2024-03-05T14:22:01+05:00").unwrap();
        assert_eq!(t.utc(), 1_709_648_521 - 5 * 3600);
        assert_eq!(parse("1970-01-01T00:00:00Z").unwrap().utc(), 0);
        assert_eq!(parse("2024:03:05 14:22:01.123").unwrap().year, 2024);
        assert!(parse("    :  :     :  :  ").is_none());
        assert!(parse("2024:13:05 14:22:01").is_none());
        assert!(parse("").is_none());
        assert!(parse("2024:03:05").is_none());
    }
}
