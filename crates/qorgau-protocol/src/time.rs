//! Times as the protocol prints them: UTC and Asia/Almaty side by side.
//!
//! Kazakh procedure works in local time while the evidence (WARC, ledger,
//! time stamps) is in UTC; printing both lets either be checked. The offset
//! comes from the tz database (chrono-tz), so the 2024 move of Almaty to
//! UTC+5 is handled for dates on either side of it.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Almaty;
use qorgau_i18n::{Args, Lang, text};

/// Date and time joined by a no-break space so a line break never parts
/// them; the PDF draws it as a plain space.
const FMT: &str = "%Y-%m-%d\u{a0}%H:%M:%S";

/// "2025-03-14 10:20:00 UTC (2025-03-14 15:20:00 Almaty time, UTC+05:00)".
pub(crate) fn both(lang: Lang, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Almaty);
    text(
        lang,
        "time-both",
        &Args::new()
            .with("utc", t.format(FMT).to_string())
            .with("local", local.format(FMT).to_string())
            .with("offset", local.format("%:z").to_string()),
    )
}

/// A step's time: Almaty time of day with UTC in brackets.
pub(crate) fn step(lang: Lang, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Almaty);
    text(
        lang,
        "time-step",
        &Args::new()
            .with("utc", t.format("%H:%M:%S").to_string())
            .with("local", local.format("%H:%M:%S").to_string()),
    )
}

/// The date of the protocol (Almaty calendar day).
pub(crate) fn local_date(t: DateTime<Utc>) -> String {
    t.with_timezone(&Almaty).format("%Y-%m-%d").to_string()
}

/// A date for certificate validity, UTC.
pub(crate) fn date_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}
