//! Exports of a network graph for the tools investigators already use: Gephi (GraphML,
//! GEXF 1.3 with a timeline, CSV spreadsheets), any GraphML reader, and
//! Aleph/OpenSanctions-style tooling (FollowTheMoney entities as JSON Lines).
//!
//! Every writer escapes what it writes and drops the characters XML 1.0 cannot carry at
//! all (most C0 controls), so no document text can make a file unreadable. Writers return
//! errors, never panic.

mod ftm;
mod gexf;
mod graphml;
mod spreadsheet;
mod xml;

pub use ftm::followthemoney;
pub use gexf::gexf;
pub use graphml::graphml;
pub use spreadsheet::{csv_edges, csv_nodes};

/// A failure to write an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The writer failed.
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error("could not write the CSV export: {0}")]
    Csv(#[from] csv::Error),
    /// An entity could not be serialised.
    #[error("could not serialise a FollowTheMoney entity: {0}")]
    Json(#[from] serde_json::Error),
}
