//! Turning rows into domain records and back.
//!
//! Decoding is strict but never panics: a value that does not parse (a digest
//! with a non-hex character, an id that is not a UUID) becomes a
//! [`CorruptRow`] naming the row, the column and the value, because it can
//! only mean the database was changed outside Qorgau, and `verify` must report
//! that at the right item rather than stop.

use qorgau_core::{Actor, CaseName, Id, Md5Digest, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::keys::KeyId;
use qorgau_evidence::{CaseRecord, EventKind, FileTimes, ItemRecord, LedgerEntry};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::StoreError;

/// A stored row whose values do not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorruptRow {
    /// The table.
    pub table: &'static str,
    /// The row's key as stored (item id, or `chain#seq`).
    pub key: String,
    /// The column that failed.
    pub column: &'static str,
    /// The value found.
    pub value: String,
    /// Why it does not parse.
    pub reason: String,
}

impl std::fmt::Display for CorruptRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} row {}: column {} = {:?} is not valid ({})",
            self.table, self.key, self.column, self.value, self.reason
        )
    }
}

impl From<CorruptRow> for StoreError {
    fn from(row: CorruptRow) -> Self {
        StoreError::Corrupt {
            table: row.table,
            column: row.column,
            value: format!("{} in row {}", row.value, row.key),
            reason: row.reason,
        }
    }
}

/// Decodes one row, naming the table, the row's key and the column in every
/// [`CorruptRow`] it returns.
pub(crate) struct Reader<'r> {
    row: &'r AnyRow,
    table: &'static str,
    key: String,
}

impl<'r> Reader<'r> {
    /// A reader of `row` of `table`, keyed by the text of column `key_column`.
    pub(crate) fn new(row: &'r AnyRow, table: &'static str, key_column: &str) -> Self {
        let key = row.try_get::<String, _>(key_column).unwrap_or_default();
        Self { row, table, key }
    }

    fn fail(&self, column: &'static str, value: String, reason: impl ToString) -> CorruptRow {
        CorruptRow {
            table: self.table,
            key: self.key.clone(),
            column,
            value,
            reason: reason.to_string(),
        }
    }

    pub(crate) fn text(&self, column: &'static str) -> Result<String, CorruptRow> {
        self.row
            .try_get::<String, _>(column)
            .map_err(|e| self.fail(column, String::new(), e))
    }

    pub(crate) fn opt_text(&self, column: &'static str) -> Result<Option<String>, CorruptRow> {
        self.row
            .try_get::<Option<String>, _>(column)
            .map_err(|e| self.fail(column, String::new(), e))
    }

    pub(crate) fn int(&self, column: &'static str) -> Result<i64, CorruptRow> {
        self.row
            .try_get::<i64, _>(column)
            .map_err(|e| self.fail(column, String::new(), e))
    }

    pub(crate) fn parse<T, E: ToString>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, CorruptRow> {
        let text = self.text(column)?;
        parse(&text).map_err(|e| self.fail(column, text.clone(), e))
    }

    pub(crate) fn parse_opt<T, E: ToString>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, CorruptRow> {
        match self.opt_text(column)? {
            None => Ok(None),
            Some(text) => parse(&text)
                .map(Some)
                .map_err(|e| self.fail(column, text.clone(), e)),
        }
    }

    pub(crate) fn opt_int(&self, column: &'static str) -> Result<Option<i64>, CorruptRow> {
        self.row
            .try_get::<Option<i64>, _>(column)
            .map_err(|e| self.fail(column, String::new(), e))
    }

    /// Converts an integer read from `column`, naming it when it does not fit.
    pub(crate) fn parse_int<T, E: ToString>(
        &self,
        column: &'static str,
        value: i64,
        convert: impl FnOnce(i64) -> Result<T, E>,
    ) -> Result<T, CorruptRow> {
        convert(value).map_err(|e| self.fail(column, value.to_string(), e))
    }

    pub(crate) fn opt_float(&self, column: &'static str) -> Result<Option<f64>, CorruptRow> {
        self.row
            .try_get::<Option<f64>, _>(column)
            .map_err(|e| self.fail(column, String::new(), e))
    }

    fn unsigned(&self, column: &'static str) -> Result<u64, CorruptRow> {
        let value = self.int(column)?;
        u64::try_from(value).map_err(|e| self.fail(column, value.to_string(), e))
    }
}

pub(crate) fn case_from_row(row: &AnyRow) -> Result<CaseRecord, CorruptRow> {
    let r = Reader::new(row, "cases", "id");
    Ok(CaseRecord {
        id: r.parse("id", Id::parse)?,
        name: r.parse("name", CaseName::parse)?,
        created_at: r.parse("created_at", Timestamp::parse)?,
        created_by: Actor {
            user: r.text("created_by")?,
            host: r.text("created_host")?,
        },
    })
}

pub(crate) fn item_from_row(row: &AnyRow) -> Result<ItemRecord, CorruptRow> {
    let r = Reader::new(row, "items", "id");
    Ok(ItemRecord {
        id: r.parse("id", Id::parse)?,
        case_id: r.parse("case_id", Id::parse)?,
        acquisition_id: r.parse("acquisition_id", Id::parse)?,
        sha256: r.parse("sha256", Sha256Digest::parse)?,
        md5: r.parse("md5", Md5Digest::parse)?,
        size: r.unsigned("size")?,
        media_type: r.text("media_type")?,
        source_root: r.text("source_root")?,
        original_path: r.text("original_path")?,
        relative_path: r.text("relative_path")?,
        file_name: r.text("file_name")?,
        file_times: FileTimes {
            modified: r.parse_opt("modified_at", Timestamp::parse)?,
            accessed: r.parse_opt("accessed_at", Timestamp::parse)?,
            changed: r.parse_opt("changed_at", Timestamp::parse)?,
            created: r.parse_opt("born_at", Timestamp::parse)?,
        },
        acquired_at: r.parse("acquired_at", Timestamp::parse)?,
        acquired_at_local: r.text("acquired_at_local")?,
        acquired_by: Actor {
            user: r.text("acquired_by")?,
            host: r.text("acquired_host")?,
        },
        tool: Tool {
            name: r.text("tool_name")?,
            version: r.text("tool_version")?,
        },
        note: r.opt_text("note")?,
        metadata: r.opt_text("metadata")?,
    })
}

pub(crate) fn entry_from_row(row: &AnyRow) -> Result<LedgerEntry, CorruptRow> {
    let chain = row.try_get::<String, _>("chain").unwrap_or_default();
    let seq = row.try_get::<i64, _>("seq").unwrap_or_default();
    let r = Reader {
        row,
        table: "ledger",
        key: format!("{chain}#{seq}"),
    };
    let signature = r.parse("signature", |text| {
        let mut out = [0u8; 64];
        hex::decode_to_slice(text, &mut out).map(|()| out)
    })?;
    Ok(LedgerEntry {
        chain: r.text("chain")?,
        seq: r.unsigned("seq")?,
        at: r.parse("at", Timestamp::parse)?,
        kind: r.parse("kind", |t| EventKind::parse(t).ok_or("unknown event kind"))?,
        case_id: r.parse_opt("case_id", Id::parse)?,
        item_id: r.parse_opt("item_id", Id::parse)?,
        actor: Actor {
            user: r.text("actor_user")?,
            host: r.text("actor_host")?,
        },
        tool: Tool {
            name: r.text("tool_name")?,
            version: r.text("tool_version")?,
        },
        subject_digest: r.parse_opt("subject_digest", Sha256Digest::parse)?,
        details: r.text("details")?,
        prev_hash: r.parse("prev_hash", Sha256Digest::parse)?,
        key_id: KeyId(r.text("key_id")?),
        entry_hash: r.parse("entry_hash", Sha256Digest::parse)?,
        signature,
    })
}

/// Converts an unsigned size or sequence number for a BIGINT column.
pub(crate) fn to_i64(value: u64, what: &'static str) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Corrupt {
        table: "-",
        column: what,
        value: value.to_string(),
        reason: "larger than the database can hold".into(),
    })
}
