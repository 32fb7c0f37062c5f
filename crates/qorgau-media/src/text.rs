//! Conversions of time stamps and positions between the forms the formats use
//! and the forms Qorgau stores (ISO 8601 times, decimal degrees).
//!
//! Hand-written rather than pulling a date crate: only fixed formats are
//! converted, and an unparsable value is kept as found rather than rejected.

/// Seconds from 1904-01-01 (the QuickTime/MP4 epoch) to 1970-01-01.
const MAC_TO_UNIX: i128 = 2_082_844_800;

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    // Howard Hinnant's algorithm; exact for the whole i64 day range we feed.
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// QuickTime time (seconds since 1904-01-01 UTC) as `"YYYY-MM-DDTHH:MM:SSZ"`;
/// `None` when the year would leave 1904..=9999 (garbage, not a date).
pub(crate) fn mac_time_to_iso(secs: u64) -> Option<String> {
    let unix = i128::from(secs) - MAC_TO_UNIX;
    let days = i64::try_from(unix.div_euclid(86_400)).ok()?;
    let rem = unix.rem_euclid(86_400) as u32;
    let (y, m, d) = civil_from_days(days);
    if !(1904..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    ))
}

/// EXIF `"YYYY:MM:DD HH:MM:SS"` (plus optional `"+HH:MM"` offset) as ISO 8601;
/// any other text is returned trimmed, as found.
pub(crate) fn exif_time_to_iso(value: &str, offset: Option<&str>) -> String {
    let v = value.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    let b = v.as_bytes();
    let shape_ok = b.len() >= 19
        && b.iter().take(19).enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b':' || c == b'-',
            10 => c == b' ' || c == b'T',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return v.to_string();
    }
    let mut out = format!("{}-{}-{}T{}", &v[0..4], &v[5..7], &v[8..10], &v[11..19]);
    if let Some(off) = offset.map(str::trim).filter(|o| is_offset(o)) {
        out.push_str(off);
    }
    out
}

fn is_offset(o: &str) -> bool {
    let b = o.as_bytes();
    b.len() == 6
        && (b[0] == b'+' || b[0] == b'-')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && b[3] == b':'
        && b[4].is_ascii_digit()
        && b[5].is_ascii_digit()
}

/// Normalizes an ISO-like time with a `+HHMM` offset (as Apple writes
/// `com.apple.quicktime.creationdate`) to `+HH:MM`; other text is kept.
pub(crate) fn normalize_iso_time(value: &str) -> String {
    let v = value.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    let b = v.as_bytes();
    if b.len() >= 5 {
        let tail = &b[b.len() - 5..];
        if (tail[0] == b'+' || tail[0] == b'-')
            && tail[1..].iter().all(u8::is_ascii_digit)
            && v.contains('T')
        {
            let (head, off) = v.split_at(v.len() - 5);
            return format!("{head}{}:{}", &off[..3], &off[3..]);
        }
    }
    // EXIF-style "YYYY:MM:DD HH:MM:SS" written into QuickTime text atoms.
    exif_time_to_iso(v, None)
}

/// Parses an ISO 6709 position string (`"+43.2220+076.8512/"`,
/// `"+43.2220+076.8512+800.000/"`, also the `±DDMM.mm` and `±DDMMSS.s` forms)
/// as written in QuickTime `©xyz` and `com.apple.quicktime.location.ISO6709`.
pub(crate) fn parse_iso6709(value: &str) -> Option<crate::GpsPosition> {
    let mut parts: Vec<(f64, usize, bool)> = Vec::new(); // (value, int digits, negative)
    let b = value.trim().as_bytes();
    let mut i = 0;
    while i < b.len() && parts.len() < 3 {
        let c = b[i];
        if c == b'+' || c == b'-' {
            let neg = c == b'-';
            let start = i + 1;
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            let num = std::str::from_utf8(&b[start..j]).ok()?;
            let int_digits = num.find('.').unwrap_or(num.len());
            let v: f64 = num.parse().ok()?;
            parts.push((v, int_digits, neg));
            i = j;
        } else if parts.len() >= 2 {
            break; // '/' or "CRS…" after the position
        } else {
            return None;
        }
    }
    if parts.len() < 2 {
        return None;
    }
    let deg = |(v, digits, neg): (f64, usize, bool), deg_digits: usize| -> Option<f64> {
        let d = if digits <= deg_digits {
            v
        } else if digits == deg_digits + 2 {
            let whole = (v / 100.0).trunc();
            whole + (v - whole * 100.0) / 60.0
        } else if digits == deg_digits + 4 {
            let dd = (v / 10_000.0).trunc();
            let mm = ((v - dd * 10_000.0) / 100.0).trunc();
            let ss = v - dd * 10_000.0 - mm * 100.0;
            dd + mm / 60.0 + ss / 3600.0
        } else {
            return None;
        };
        Some(if neg { -d } else { d })
    };
    let lat = deg(parts[0], 2)?;
    let lon = deg(parts[1], 3)?;
    if !lat.is_finite() || !lon.is_finite() || lat.abs() > 90.0 || lon.abs() > 180.0 {
        return None;
    }
    let altitude = parts
        .get(2)
        .map(|&(v, _, neg)| if neg { -v } else { v })
        .filter(|a| a.is_finite());
    Some(crate::GpsPosition {
        latitude: lat,
        longitude: lon,
        altitude,
    })
}

/// Parses an XMP `GPSCoordinate` (`"43,13.32N"`, `"76,51,4.32E"`) into signed
/// decimal degrees.
pub(crate) fn parse_xmp_gps(value: &str) -> Option<f64> {
    let v = value.trim();
    let dir = v.chars().last()?.to_ascii_uppercase();
    let sign = match dir {
        'N' | 'E' => 1.0,
        'S' | 'W' => -1.0,
        _ => return None,
    };
    let body = &v[..v.len() - 1];
    let nums: Vec<f64> = body
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    let deg = match nums.as_slice() {
        [d] => *d,
        [d, m] => d + m / 60.0,
        [d, m, s] => d + m / 60.0 + s / 3600.0,
        _ => return None,
    };
    deg.is_finite().then_some(sign * deg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_epoch() {
        assert_eq!(mac_time_to_iso(0).as_deref(), Some("1904-01-01T00:00:00Z"));
        // 2024-03-05T09:22:01Z = unix 1709630521
        assert_eq!(
            mac_time_to_iso(1_709_630_521 + 2_082_844_800).as_deref(),
            Some("2024-03-05T09:22:01Z")
        );
        assert_eq!(mac_time_to_iso(u64::MAX), None);
    }

    #[test]
    fn exif_times() {
        assert_eq!(
            exif_time_to_iso("2024:03:05 14:22:01", Some("+05:00")),
            "2024-03-05T14:22:01+05:00"
        );
        assert_eq!(
            exif_time_to_iso("2024:03:05 14:22:01\0", None),
            "2024-03-05T14:22:01"
        );
        assert_eq!(
            exif_time_to_iso("2024:03:05 14:22:01", Some("junk")),
            "2024-03-05T14:22:01"
        );
        assert_eq!(
            exif_time_to_iso("    :  :     :  :  ", None),
            ":  :     :  :"
        );
        assert_eq!(exif_time_to_iso("é", None), "é");
        assert_eq!(
            normalize_iso_time("2024-03-05T14:22:01+0500"),
            "2024-03-05T14:22:01+05:00"
        );
        assert_eq!(
            normalize_iso_time("2024:03:05 14:22:01"),
            "2024-03-05T14:22:01"
        );
        assert_eq!(normalize_iso_time("2024"), "2024");
    }

    #[test]
    fn iso6709() {
        let p = parse_iso6709("+43.2220+076.8512/").unwrap();
        assert!((p.latitude - 43.222).abs() < 1e-9 && (p.longitude - 76.8512).abs() < 1e-9);
        assert_eq!(p.altitude, None);
        let p = parse_iso6709("-33.8688-070.6693+520.5/").unwrap();
        assert!((p.latitude + 33.8688).abs() < 1e-9 && (p.longitude + 70.6693).abs() < 1e-9);
        assert_eq!(p.altitude, Some(520.5));
        let p = parse_iso6709("+4313.32+07651.072/").unwrap();
        assert!((p.latitude - 43.222).abs() < 1e-9 && (p.longitude - 76.8512).abs() < 1e-9);
        let p = parse_iso6709("+431319.2+0765104.32CRSWGS_84/").unwrap();
        assert!((p.latitude - 43.222).abs() < 1e-9 && (p.longitude - 76.8512).abs() < 1e-9);
        assert!(parse_iso6709("").is_none());
        assert!(parse_iso6709("+99.0+000.0/").is_none());
        assert!(parse_iso6709("garbage").is_none());
        assert!(parse_iso6709("+.+./").is_none());
    }

    #[test]
    fn xmp_gps() {
        assert!((parse_xmp_gps("43,13.32N").unwrap() - 43.222).abs() < 1e-9);
        assert!((parse_xmp_gps("76,51,4.32W").unwrap() + 76.8512).abs() < 1e-9);
        assert!(parse_xmp_gps("43").is_none());
        assert!(parse_xmp_gps("").is_none());
        assert!(parse_xmp_gps("é").is_none());
    }
}
