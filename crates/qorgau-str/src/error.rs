//! Why a report could not be exported (or read back).
//!
//! Every error names the report field at fault, as a path into the model
//! (`transfers[3].tx_id`) and, where a format asks for it, the format's own
//! element, so the analyst knows what to fill in: an exporter never
//! invents a value a format requires.

use chrono::NaiveDate;

/// Why a report could not be exported or read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format requires a value the report does not give.
    #[error("{format} needs {field}, which the report does not give")]
    Missing {
        /// The format (`goAML`).
        format: &'static str,
        /// The field, as a path into the report or the export settings.
        field: String,
    },
    /// A value is there but the format cannot take it.
    #[error("{field} {reason}")]
    Invalid {
        /// The field.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Text longer than the format allows.
    #[error("{field} is {len} characters long; {format} allows at most {max}")]
    TooLong {
        /// The format.
        format: &'static str,
        /// The field.
        field: String,
        /// Its length in characters.
        len: usize,
        /// The format's limit.
        max: usize,
    },
    /// A character XML 1.0 cannot carry at all (C0 controls other than tab,
    /// line feed and carriage return; U+FFFE, U+FFFF). Refused rather than
    /// stripped: a report to an FIU is not silently edited.
    #[error(
        "{field} holds the character U+{code:04X} at character {position}, which XML 1.0 cannot carry; remove it from the report"
    )]
    ForbiddenCharacter {
        /// The field.
        field: String,
        /// The character's code point.
        code: u32,
        /// Its position in the field, counted in characters from 0.
        position: usize,
    },
    /// A transfer in another asset than KZT has no conversion rate.
    #[error(
        "transfers[{transfer}] is in {asset} on {date} and the report has no rate from {asset} to KZT for that day (nor one without a day); add it to the report's rates"
    )]
    MissingRate {
        /// The asset.
        asset: String,
        /// The transfer's day (UTC).
        date: NaiveDate,
        /// Index of the transfer.
        transfer: usize,
    },
    /// No exporter has this name.
    #[error("no export format {name:?}; the formats are: {known}")]
    UnknownFormat {
        /// The name asked for.
        name: String,
        /// The names there are, comma-separated.
        known: String,
    },
    /// A JSON report of a form this build does not read.
    #[error(
        "the JSON report is {found}; this build reads format \"qorgau-str\" schema_version {expected}"
    )]
    JsonVersion {
        /// What the file says it is.
        found: String,
        /// The schema version this build reads.
        expected: u32,
    },
    /// JSON that does not parse or does not fit the model.
    #[error("JSON report: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing failed.
    #[error("writing the report: {0}")]
    Io(#[from] std::io::Error),
}
