//! Finding a format's columns in a header by any of the names exporters
//! have used for them.

use csv::StringRecord;

use super::ImportError;

/// A file's header.
#[derive(Clone)]
pub(crate) struct Header {
    names: Vec<String>,
}

fn fold(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .trim_matches('"')
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect()
}

impl Header {
    pub(crate) fn new(record: StringRecord) -> Header {
        Header {
            names: record.iter().map(str::to_owned).collect(),
        }
    }

    /// The index of the first column called any of `names` (compared
    /// without case, spaces, underscores or a byte-order mark).
    pub(crate) fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| {
            let wanted = fold(n);
            self.names.iter().position(|h| fold(h) == wanted)
        })
    }

    /// Like [`Header::find`], but an error naming what is missing.
    pub(crate) fn require(
        &self,
        what: &str,
        names: &[&str],
        format: &str,
    ) -> Result<usize, ImportError> {
        self.find(names).ok_or_else(|| {
            ImportError::Header(format!(
                "not a {format} file: no {what} column (looked for {}; the header has {})",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// A column's name, for messages.
    pub(crate) fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("?", |s| s.trim())
    }
}

/// Field `index` of `record`, or an error naming the column.
pub(crate) fn field<'r>(
    record: &'r StringRecord,
    header: &Header,
    index: usize,
) -> Result<&'r str, String> {
    match record.get(index).map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        Some(_) => Err(format!("column {:?} is empty", header.name(index))),
        None => Err(format!(
            "the row has {} fields; column {:?} (field {}) is missing",
            record.len(),
            header.name(index),
            index + 1
        )),
    }
}
