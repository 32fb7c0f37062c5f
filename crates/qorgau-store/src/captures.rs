//! Captures of web pages and channels: the index rows that tie a URL and a
//! moment to the items a capture stored.
//!
//! A capture is saved in one transaction with its OSINT-log entry, whose
//! subject is the record's digest: the log never shows a capture the index
//! lacks, and a capture row changed behind Qorgau's back no longer matches
//! its entry.

use qorgau_core::{Actor, Id, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::{CaptureRecord, EntryDraft, LedgerEntry, LedgerKey};
use sqlx::any::AnyRow;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

const COLUMNS: &str = "id, case_id, acquisition_id, kind, engine, url, final_url, started_at, \
     finished_at, http_status, partial, manifest_sha256, time_stamp, time_stamp_authority, \
     captured_by, captured_on, tool_name, tool_version, summary";

/// Which captures to list.
#[derive(Debug, Clone, Default)]
pub struct CaptureFilter {
    /// Only this case's.
    pub case_id: Option<Id>,
    /// Only captures of this URL (as asked for, or as it ended after redirects).
    pub url: Option<String>,
}

impl Store {
    /// Saves a capture and its log entry in one transaction; returns the
    /// sealed entry.
    pub async fn save_capture(
        &self,
        capture: &CaptureRecord,
        log_entry: EntryDraft,
        key: &LedgerKey,
    ) -> Result<LedgerEntry, StoreError> {
        self.save_captures(vec![(capture.clone(), log_entry)], key)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Conflict("the capture's log entry was not sealed".into()))
    }

    /// Saves captures with their log entries in one transaction (a run of
    /// captures commits once); returns the sealed entries in order.
    pub async fn save_captures(
        &self,
        captures: Vec<(CaptureRecord, EntryDraft)>,
        key: &LedgerKey,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        if captures.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let (records, drafts): (Vec<CaptureRecord>, Vec<EntryDraft>) = captures.into_iter().unzip();
        let sealed = append_in(&mut tx, drafts, key).await?;
        for capture in &records {
            // Only constants are formatted in; every value is bound.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO captures ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                 $11, $12, $13, $14, $15, $16, $17, $18, $19)"
            )))
            .bind(capture.id.to_string())
            .bind(capture.case_id.to_string())
            .bind(capture.acquisition_id.to_string())
            .bind(&capture.kind)
            .bind(&capture.engine)
            .bind(&capture.url)
            .bind(&capture.final_url)
            .bind(capture.started_at.to_utc_string())
            .bind(capture.finished_at.to_utc_string())
            .bind(capture.http_status.map(i64::from))
            .bind(capture.partial.clone())
            .bind(capture.manifest_sha256.to_hex())
            .bind(capture.time_stamp.clone())
            .bind(capture.time_stamp_authority.clone())
            .bind(&capture.captured_by.user)
            .bind(&capture.captured_by.host)
            .bind(&capture.tool.name)
            .bind(&capture.tool.version)
            .bind(&capture.summary)
            .execute(&mut *tx)
            .await
            .doing("storing the capture")?;
        }
        tx.commit()
            .await
            .doing(format!("committing {} capture(s)", records.len()))?;
        if sealed.len() != records.len() {
            return Err(StoreError::Conflict(
                "not every capture's log entry was sealed".into(),
            ));
        }
        Ok(sealed)
    }

    /// One capture by id.
    pub async fn capture(&self, id: Id) -> Result<Option<CaptureRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM captures WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a capture")?;
        Ok(row.as_ref().map(capture_from_row).transpose()?)
    }

    /// Every capture (of one case, or all); rows that do not decode come
    /// out as [`CorruptRow`]s, for verification.
    pub async fn captures_checked(
        &self,
        case_id: Option<Id>,
    ) -> Result<Vec<Result<CaptureRecord, CorruptRow>>, StoreError> {
        let query = match case_id {
            Some(case) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM captures WHERE case_id = $1 ORDER BY id"
            )))
            .bind(case.to_string()),
            None => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM captures ORDER BY id"
            ))),
        };
        let rows = query
            .fetch_all(&self.pool)
            .await
            .doing("reading captures")?;
        Ok(rows.iter().map(capture_from_row).collect())
    }

    /// Captures, oldest first: the versions of a URL over time when the
    /// filter names one.
    pub async fn captures(&self, filter: &CaptureFilter) -> Result<Vec<CaptureRecord>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM captures WHERE 1 = 1");
        let mut binds = Vec::new();
        if let Some(case) = filter.case_id {
            binds.push(case.to_string());
            sql.push_str(&format!(" AND case_id = ${}", binds.len()));
        }
        if let Some(url) = &filter.url {
            binds.push(url.clone());
            let n = binds.len();
            sql.push_str(&format!(" AND (url = ${n} OR final_url = ${n})"));
        }
        sql.push_str(" ORDER BY started_at, id");
        // Placeholders only; the values are bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .doing("listing captures")?;
        Ok(rows
            .iter()
            .map(capture_from_row)
            .collect::<Result<_, CorruptRow>>()?)
    }
}

fn capture_from_row(row: &AnyRow) -> Result<CaptureRecord, CorruptRow> {
    let r = Reader::new(row, "captures", "id");
    let status = row_status(&r)?;
    Ok(CaptureRecord {
        id: r.parse("id", Id::parse)?,
        case_id: r.parse("case_id", Id::parse)?,
        acquisition_id: r.parse("acquisition_id", Id::parse)?,
        kind: r.text("kind")?,
        engine: r.text("engine")?,
        url: r.text("url")?,
        final_url: r.text("final_url")?,
        started_at: r.parse("started_at", Timestamp::parse)?,
        finished_at: r.parse("finished_at", Timestamp::parse)?,
        http_status: status,
        partial: r.opt_text("partial")?,
        manifest_sha256: r.parse("manifest_sha256", Sha256Digest::parse)?,
        time_stamp: r.opt_text("time_stamp")?,
        time_stamp_authority: r.opt_text("time_stamp_authority")?,
        captured_by: Actor {
            user: r.text("captured_by")?,
            host: r.text("captured_on")?,
        },
        tool: Tool {
            name: r.text("tool_name")?,
            version: r.text("tool_version")?,
        },
        summary: r.text("summary")?,
    })
}

fn row_status(r: &Reader<'_>) -> Result<Option<u16>, CorruptRow> {
    r.opt_int("http_status")?
        .map(|s| r.parse_int("http_status", s, u16::try_from))
        .transpose()
}
