//! Monitoring jobs, their runs and the archive of documents they kept.
//!
//! A run is saved in one transaction together with its OSINT-log entry in
//! the custody ledger: the archive never holds documents from a run that the
//! log does not show, and the log never shows a run whose documents are
//! missing.

use qorgau_core::{Id, Sha256Digest, Timestamp};
use qorgau_evidence::{EntryDraft, LedgerEntry, LedgerKey};
use qorgau_monitor::{JobSpec, Known};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

/// A stored monitoring job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    /// Its id.
    pub id: Id,
    /// What it watches.
    pub spec: JobSpec,
    /// The case its runs are logged under (the installation log otherwise).
    pub case_id: Option<Id>,
    /// When it was created.
    pub created_at: Timestamp,
    /// Who created it.
    pub created_by: String,
    /// Disabled jobs are listed but not run by `monitor run --due`.
    pub enabled: bool,
    /// When it last ran.
    pub last_run_at: Option<Timestamp>,
}

/// How a document came out of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentChange {
    /// First seen in this run.
    New,
    /// Its text changed.
    Changed,
    /// Seen again with the same text.
    Unchanged,
    /// Back after being marked deleted.
    Restored,
    /// Gone from the source.
    Deleted,
}

/// One document to write as part of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentWrite {
    /// What happened to it.
    pub change: DocumentChange,
    /// Stable key within the job.
    pub key: String,
    /// Where it was found.
    pub url: Option<String>,
    /// Platform or channel.
    pub source: Option<String>,
    /// Author as shown.
    pub author: Option<String>,
    /// Title, for pages and feed entries.
    pub title: Option<String>,
    /// Publication time as given by the source.
    pub published_at: Option<String>,
    /// The text (empty for deletions).
    pub body: String,
    /// SHA-256 of the text.
    pub content: Sha256Digest,
    /// Language found by the scan.
    pub lang: Option<String>,
    /// Risk found by the scan.
    pub risk: Option<f64>,
    /// Whether the scan flagged it for review.
    pub flagged: bool,
    /// The full scan result, as JSON.
    pub assessment: Option<String>,
}

/// A finished run as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Its id.
    pub id: Id,
    /// The job.
    pub job_id: Id,
    /// Start time.
    pub started_at: Timestamp,
    /// End time.
    pub finished_at: Timestamp,
    /// Who ran it.
    pub operator: String,
    /// On which host.
    pub host: String,
    /// `ok`, `partial` (some requests failed) or `failed`.
    pub status: String,
    /// Counts (fetched, kept, new, changed, deleted, flagged…) as a JSON object.
    pub counts: serde_json::Value,
    /// Every request made: URL, status, time, digest, as a JSON array.
    pub requests: serde_json::Value,
    /// Errors met, as a JSON array of strings.
    pub errors: serde_json::Value,
}

/// A document of the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    /// Its id.
    pub id: Id,
    /// The job that found it.
    pub job_id: Id,
    /// Stable key within the job.
    pub key: String,
    /// Where it was found.
    pub url: Option<String>,
    /// Platform or channel.
    pub source: Option<String>,
    /// Author as shown.
    pub author: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Publication time as given.
    pub published_at: Option<String>,
    /// First seen.
    pub first_seen: Timestamp,
    /// Last seen (for a deleted document: the last time it was there).
    pub last_seen: Timestamp,
    /// When it was found to be gone.
    pub deleted_at: Option<Timestamp>,
    /// Latest text.
    pub body: String,
    /// Its digest.
    pub content: Sha256Digest,
    /// Language.
    pub lang: Option<String>,
    /// Risk.
    pub risk: Option<f64>,
    /// Flagged for review.
    pub flagged: bool,
    /// Scan result JSON.
    pub assessment: Option<String>,
    /// How many versions of the text are archived.
    pub versions: i64,
}

/// Which documents to list.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Only this job's.
    pub job_id: Option<Id>,
    /// Only deleted ones (the archive of deleted ads).
    pub deleted_only: bool,
    /// Only flagged ones.
    pub flagged_only: bool,
}

const JOB_COLUMNS: &str =
    "id, name, source_kind, spec, case_id, created_at, created_by, enabled, last_run_at";
const DOC_COLUMNS: &str = "d.id, d.job_id, d.doc_key, d.url, d.source, d.author, d.title, \
    d.published_at, d.first_seen, d.last_seen, d.deleted_at, d.content_sha256, d.body, d.lang, \
    d.risk, d.flagged, d.assessment, \
    (SELECT COUNT(*) FROM document_versions v WHERE v.document_id = d.id) AS versions";

fn job_from_row(row: &AnyRow) -> Result<JobRecord, CorruptRow> {
    let r = Reader::new(row, "monitor_jobs", "name");
    Ok(JobRecord {
        id: r.parse("id", Id::parse)?,
        spec: r.parse("spec", |t| serde_json::from_str::<JobSpec>(t))?,
        case_id: r.parse_opt("case_id", Id::parse)?,
        created_at: r.parse("created_at", Timestamp::parse)?,
        created_by: r.text("created_by")?,
        enabled: r.int("enabled")? != 0,
        last_run_at: r.parse_opt("last_run_at", Timestamp::parse)?,
    })
}

fn document_from_row(row: &AnyRow) -> Result<DocumentRecord, CorruptRow> {
    let r = Reader::new(row, "documents", "doc_key");
    Ok(DocumentRecord {
        id: r.parse("id", Id::parse)?,
        job_id: r.parse("job_id", Id::parse)?,
        key: r.text("doc_key")?,
        url: r.opt_text("url")?,
        source: r.opt_text("source")?,
        author: r.opt_text("author")?,
        title: r.opt_text("title")?,
        published_at: r.opt_text("published_at")?,
        first_seen: r.parse("first_seen", Timestamp::parse)?,
        last_seen: r.parse("last_seen", Timestamp::parse)?,
        deleted_at: r.parse_opt("deleted_at", Timestamp::parse)?,
        body: r.text("body")?,
        content: r.parse("content_sha256", Sha256Digest::parse)?,
        lang: r.opt_text("lang")?,
        risk: r.opt_float("risk")?,
        flagged: r.int("flagged")? != 0,
        assessment: r.opt_text("assessment")?,
        versions: r.int("versions")?,
    })
}

impl Store {
    /// Stores a new job. Fails with [`StoreError::Conflict`] when the name is taken.
    pub async fn create_job(&self, job: &JobRecord) -> Result<(), StoreError> {
        if self.job(&job.spec.name).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "a monitoring job named {:?} exists already",
                job.spec.name
            )));
        }
        let spec =
            serde_json::to_string(&job.spec).map_err(|e| StoreError::Conflict(e.to_string()))?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO monitor_jobs ({JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )))
        .bind(job.id.to_string())
        .bind(&job.spec.name)
        .bind(job.spec.kind.as_str())
        .bind(spec)
        .bind(job.case_id.map(|c| c.to_string()))
        .bind(job.created_at.to_utc_string())
        .bind(&job.created_by)
        .bind(i64::from(job.enabled))
        .bind(job.last_run_at.map(|t| t.to_utc_string()))
        .execute(&self.pool)
        .await
        .doing(format!("storing monitoring job {}", job.spec.name))?;
        Ok(())
    }

    /// The job with this name.
    pub async fn job(&self, name: &str) -> Result<Option<JobRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM monitor_jobs WHERE name = $1"
        )))
        .bind(name)
        .fetch_optional(&self.pool)
        .await
        .doing(format!("looking up monitoring job {name}"))?;
        Ok(row.as_ref().map(job_from_row).transpose()?)
    }

    /// All jobs, by name.
    pub async fn jobs(&self) -> Result<Vec<JobRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM monitor_jobs ORDER BY name"
        )))
        .fetch_all(&self.pool)
        .await
        .doing("listing monitoring jobs")?;
        Ok(rows.iter().map(job_from_row).collect::<Result<_, _>>()?)
    }

    /// What the archive holds for a job, for [`qorgau_monitor::reconcile`].
    pub async fn known_documents(&self, job_id: Id) -> Result<Vec<Known>, StoreError> {
        let rows = sqlx::query(
            "SELECT doc_key, content_sha256, deleted_at FROM documents WHERE job_id = $1",
        )
        .bind(job_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading the documents a job has seen")?;
        let known = rows.iter().map(|row| {
            let r = Reader::new(row, "documents", "doc_key");
            Ok(Known {
                key: r.text("doc_key")?,
                content: r.parse("content_sha256", Sha256Digest::parse)?,
                deleted_at: r.parse_opt("deleted_at", Timestamp::parse)?,
            })
        });
        Ok(known.collect::<Result<_, CorruptRow>>()?)
    }

    /// Saves a finished run: its record, its documents and its OSINT-log
    /// entry, all in one transaction. Returns the sealed ledger entry.
    pub async fn save_run(
        &self,
        run: &RunRecord,
        documents: &[DocumentWrite],
        log_entry: EntryDraft,
        key: &LedgerKey,
    ) -> Result<LedgerEntry, StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let sealed = append_in(&mut tx, vec![log_entry], key).await?;
        let at = run.finished_at.to_utc_string();
        sqlx::query(
            "INSERT INTO monitor_runs (id, job_id, started_at, finished_at, operator, host, \
             status, counts, requests, errors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(run.id.to_string())
        .bind(run.job_id.to_string())
        .bind(run.started_at.to_utc_string())
        .bind(&at)
        .bind(&run.operator)
        .bind(&run.host)
        .bind(&run.status)
        .bind(run.counts.to_string())
        .bind(run.requests.to_string())
        .bind(run.errors.to_string())
        .execute(&mut *tx)
        .await
        .doing("storing the monitoring run")?;
        for doc in documents {
            write_document(&mut tx, run, &at, doc).await?;
        }
        sqlx::query("UPDATE monitor_jobs SET last_run_at = $1 WHERE id = $2")
            .bind(&at)
            .bind(run.job_id.to_string())
            .execute(&mut *tx)
            .await
            .doing("updating the job's last run")?;
        tx.commit().await.doing("committing the monitoring run")?;
        sealed
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Conflict("the OSINT log entry was not sealed".into()))
    }

    /// Documents of the archive, most recently seen first.
    pub async fn documents(
        &self,
        filter: &DocumentFilter,
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        let mut sql = format!("SELECT {DOC_COLUMNS} FROM documents d WHERE 1 = 1");
        if filter.job_id.is_some() {
            sql.push_str(" AND d.job_id = $1");
        }
        if filter.deleted_only {
            sql.push_str(" AND d.deleted_at IS NOT NULL");
        }
        if filter.flagged_only {
            sql.push_str(" AND d.flagged = 1");
        }
        sql.push_str(" ORDER BY d.last_seen DESC, d.doc_key");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(job) = filter.job_id {
            query = query.bind(job.to_string());
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .doing("listing archived documents")?;
        Ok(rows
            .iter()
            .map(document_from_row)
            .collect::<Result<_, _>>()?)
    }
}

/// The cards, IBANs and wallets the detection engine found in a document
/// become accounts linked to it: how an ad meets the money.
async fn link_document_accounts(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    doc: &DocumentWrite,
    at: &str,
) -> Result<(), StoreError> {
    let Some(assessment) = &doc.assessment else {
        return Ok(());
    };
    let note = doc.url.as_deref().or(doc.title.as_deref());
    for account in crate::money::accounts_in_assessment(assessment) {
        crate::money::link_account(tx, &account, "document", id, None, note, at).await?;
    }
    Ok(())
}

async fn write_document(
    tx: &mut sqlx::AnyConnection,
    run: &RunRecord,
    at: &str,
    doc: &DocumentWrite,
) -> Result<(), StoreError> {
    let job = run.job_id.to_string();
    let doing = |what: &str| format!("{what} document {}", doc.key);
    match doc.change {
        DocumentChange::New => {
            let id = Id::new().to_string();
            sqlx::query(
                "INSERT INTO documents (id, job_id, doc_key, url, source, author, title, \
                 published_at, first_seen, last_seen, last_changed, deleted_at, content_sha256, \
                 body, lang, risk, flagged, assessment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 $9, $9, $9, NULL, $10, $11, $12, $13, $14, $15)",
            )
            .bind(&id)
            .bind(&job)
            .bind(&doc.key)
            .bind(doc.url.clone())
            .bind(doc.source.clone())
            .bind(doc.author.clone())
            .bind(doc.title.clone())
            .bind(doc.published_at.clone())
            .bind(at)
            .bind(doc.content.to_hex())
            .bind(&doc.body)
            .bind(doc.lang.clone())
            .bind(doc.risk)
            .bind(i64::from(doc.flagged))
            .bind(doc.assessment.clone())
            .execute(&mut *tx)
            .await
            .doing(doing("storing new"))?;
            insert_version(tx, &id, at, run, doc).await?;
            link_document_accounts(tx, &id, doc, at).await?;
        }
        DocumentChange::Changed | DocumentChange::Restored => {
            sqlx::query(
                "UPDATE documents SET url = $1, source = $2, author = $3, title = $4, \
                 published_at = $5, last_seen = $6, last_changed = $6, deleted_at = NULL, \
                 content_sha256 = $7, body = $8, lang = $9, risk = $10, flagged = $11, \
                 assessment = $12 WHERE job_id = $13 AND doc_key = $14",
            )
            .bind(doc.url.clone())
            .bind(doc.source.clone())
            .bind(doc.author.clone())
            .bind(doc.title.clone())
            .bind(doc.published_at.clone())
            .bind(at)
            .bind(doc.content.to_hex())
            .bind(&doc.body)
            .bind(doc.lang.clone())
            .bind(doc.risk)
            .bind(i64::from(doc.flagged))
            .bind(doc.assessment.clone())
            .bind(&job)
            .bind(&doc.key)
            .execute(&mut *tx)
            .await
            .doing(doing("updating"))?;
            let id: String =
                sqlx::query("SELECT id FROM documents WHERE job_id = $1 AND doc_key = $2")
                    .bind(&job)
                    .bind(&doc.key)
                    .fetch_one(&mut *tx)
                    .await
                    .doing(doing("finding"))?
                    .try_get("id")
                    .doing(doing("reading the id of"))?;
            let last: Option<String> = sqlx::query(
                "SELECT content_sha256 FROM document_versions WHERE document_id = $1 \
                 ORDER BY seen_at DESC LIMIT 1",
            )
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await
            .doing(doing("reading the versions of"))?
            .map(|r| r.try_get("content_sha256"))
            .transpose()
            .doing(doing("reading the versions of"))?;
            if last.as_deref() != Some(doc.content.to_hex().as_str()) {
                insert_version(tx, &id, at, run, doc).await?;
            }
            link_document_accounts(tx, &id, doc, at).await?;
        }
        DocumentChange::Unchanged => {
            sqlx::query("UPDATE documents SET last_seen = $1 WHERE job_id = $2 AND doc_key = $3")
                .bind(at)
                .bind(&job)
                .bind(&doc.key)
                .execute(&mut *tx)
                .await
                .doing(doing("touching"))?;
        }
        DocumentChange::Deleted => {
            sqlx::query(
                "UPDATE documents SET deleted_at = $1 WHERE job_id = $2 AND doc_key = $3 \
                 AND deleted_at IS NULL",
            )
            .bind(at)
            .bind(&job)
            .bind(&doc.key)
            .execute(&mut *tx)
            .await
            .doing(doing("marking deleted"))?;
        }
    }
    Ok(())
}

async fn insert_version(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    at: &str,
    run: &RunRecord,
    doc: &DocumentWrite,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO document_versions (document_id, seen_at, run_id, content_sha256, body) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(at)
    .bind(run.id.to_string())
    .bind(doc.content.to_hex())
    .bind(&doc.body)
    .execute(&mut *tx)
    .await
    .doing(format!("archiving a version of document {}", doc.key))?;
    Ok(())
}
