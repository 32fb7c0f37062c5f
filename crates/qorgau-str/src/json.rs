//! The JSON form: the whole report, stable and versioned, for Qorgau's own
//! tools, archives and partners who want data rather than a form.
//!
//! ```json
//! {
//!   "format": "qorgau-str",
//!   "schema_version": 1,
//!   "report": {
//!     "reference": "…", "case_reference": "…", "submission_date": "2026-03-06",
//!     "reporting_entity": { "agency_name": "…", "agency_id": "…", "fiu_entity_id": "…",
//!                           "branch": "…", "address": { … }, "officer": { … } },
//!     "reason": "…", "action": "…",
//!     "indicators": [ { "kind": "fan_in", "account": "card:…", "asset": "KZT",
//!                       "score": 0.75, "transfers": [0, 1],
//!                       "window": { "from": "…Z", "until": "…Z" }, "explanation": "…" } ],
//!     "accounts": [ { "account": "wallet:tron:T…", "role": "suspected_dropper",
//!                     "holder": { "kind": "person", "name": "…" },
//!                     "institution": { "name": "…", "code": "…", "swift": "…" },
//!                     "country": "KZ" } ],
//!     "transfers": [ { "tx_id": "…", "time": "2026-03-05T08:00:00Z",
//!                      "from": "card:…", "to": "card:…", "amount": "15000.5", "asset": "KZT" } ],
//!     "rates": [ { "asset": "USDT", "kzt_per_unit": "512.3", "date": "2026-03-05",
//!                  "source": "…" } ]
//!   }
//! }
//! ```
//!
//! Accounts are [`AccountRef::key`](qorgau_money::AccountRef::key) text;
//! amounts and rates are exact decimal strings (never JSON numbers, which
//! readers take as binary floats); times are RFC 3339 UTC; optional fields
//! are left out when empty. Unknown fields are refused on reading, and
//! `schema_version` changes whenever a field changes meaning or a required
//! one is added.

use std::io::{Read, Write};

use serde::Serialize;

use crate::error::ExportError;
use crate::exporter::StrExporter;
use crate::report::SuspiciousReport;

/// The `format` value of the JSON form.
pub const FORMAT: &str = "qorgau-str";
/// The version of the JSON form this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    schema_version: u32,
    report: &'a SuspiciousReport,
}

/// Writes the JSON form.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonExporter;

impl StrExporter for JsonExporter {
    fn name(&self) -> &'static str {
        "json"
    }

    fn media_type(&self) -> &'static str {
        "application/json"
    }

    fn file_extension(&self) -> &'static str {
        "json"
    }

    fn export(&self, report: &SuspiciousReport, out: &mut dyn Write) -> Result<(), ExportError> {
        let bytes = to_vec(report)?;
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// The JSON form of `report`, pretty-printed, with a final newline.
pub fn to_vec(report: &SuspiciousReport) -> Result<Vec<u8>, ExportError> {
    report.check()?;
    let mut bytes = serde_json::to_vec_pretty(&Envelope {
        format: FORMAT,
        schema_version: SCHEMA_VERSION,
        report,
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads the JSON form back (an analyst's edited report, an archived one),
/// refusing other formats and versions by name before reading fields.
pub fn from_reader(input: impl Read) -> Result<SuspiciousReport, ExportError> {
    let mut value: serde_json::Value = serde_json::from_reader(input)?;
    let format = value.get("format").and_then(|v| v.as_str());
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    if format != Some(FORMAT) || version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(ExportError::JsonVersion {
            found: format!(
                "format {} schema_version {}",
                format.map_or("(none)".to_owned(), |f| format!("{f:?}")),
                version.map_or("(none)".to_owned(), |v| v.to_string())
            ),
            expected: SCHEMA_VERSION,
        });
    }
    if let Some(extra) = value.as_object().and_then(|o| {
        o.keys()
            .find(|k| !matches!(k.as_str(), "format" | "schema_version" | "report"))
    }) {
        return Err(ExportError::Invalid {
            field: extra.clone(),
            reason: "is not a field of the JSON form".into(),
        });
    }
    let report = value
        .get_mut("report")
        .map(serde_json::Value::take)
        .ok_or_else(|| ExportError::Invalid {
            field: "report".into(),
            reason: "is missing from the JSON form".into(),
        })?;
    let report: SuspiciousReport = serde_json::from_value(report)?;
    report.check()?;
    Ok(report)
}
