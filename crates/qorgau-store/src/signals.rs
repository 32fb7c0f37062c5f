//! Signals, their reports and keys; citizen complaints.
//!
//! Intake must keep up with bursts (a partner system replaying a day of
//! reports, 2,000 a second) and never lose or double a report, so one
//! report is one transaction: an upsert on the signal's de-duplication key
//! (`ON CONFLICT`, which SQLite and PostgreSQL both speak), the report row,
//! and the keys of a new signal.

use qorgau_core::{Id, Timestamp};
use qorgau_response::{SignalDraft, SignalKeys, SignalStatus};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::{CorruptRow, Reader};

const SIGNAL_COLUMNS: &str = "id, dedup_key, source, resource, summary, scenario, risk, status, \
     case_id, first_reported_at, last_reported_at, reports, created_by, agency_id";

/// A stored signal.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalRecord {
    /// Its id.
    pub id: Id,
    /// Where its first report came from.
    pub source: String,
    /// The normalised resource.
    pub resource: Option<String>,
    /// The first report's summary.
    pub summary: String,
    /// Scenario, if given.
    pub scenario: Option<String>,
    /// Highest risk reported.
    pub risk: Option<f64>,
    /// Where it stands.
    pub status: SignalStatus,
    /// The case it was accepted into.
    pub case_id: Option<Id>,
    /// First report.
    pub first_reported_at: Timestamp,
    /// Latest report.
    pub last_reported_at: Timestamp,
    /// How many reports point at it.
    pub reports: u64,
    /// Who submitted the first report (user name or `public`).
    pub created_by: String,
    /// The submitter's agency.
    pub agency_id: Option<Id>,
}

/// A triage decision on a signal: a dismissal with its category and
/// reason, or a reopening with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalDecision {
    /// Id.
    pub id: Id,
    /// The signal.
    pub signal_id: Id,
    /// `dismissed` or `reopened`.
    pub action: String,
    /// Dismissal category (`qorgau_response::DismissalCategory`).
    pub category: Option<String>,
    /// The person's words.
    pub reason: String,
    /// User name.
    pub decided_by: String,
    /// Their agency.
    pub agency_id: Option<Id>,
    /// When.
    pub decided_at: Timestamp,
}

fn decision_from_row(row: &AnyRow) -> Result<SignalDecision, CorruptRow> {
    let r = Reader::new(row, "signal_decisions", "id");
    Ok(SignalDecision {
        id: r.parse("id", Id::parse)?,
        signal_id: r.parse("signal_id", Id::parse)?,
        action: r.text("action")?,
        category: r.opt_text("category")?,
        reason: r.text("reason")?,
        decided_by: r.text("decided_by")?,
        agency_id: r.parse_opt("agency_id", Id::parse)?,
        decided_at: r.parse("decided_at", Timestamp::parse)?,
    })
}

/// What intake did with a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    /// The signal the report belongs to.
    pub signal_id: Id,
    /// True when this report made a new signal.
    pub new: bool,
    /// Reports the signal has now.
    pub reports: u64,
    /// Other signals sharing a resource or identifier with it.
    pub related_signals: Vec<Id>,
    /// Cases those signals were accepted into.
    pub related_cases: Vec<Id>,
}

impl Store {
    /// Records one report: a new signal, or one more report of the signal
    /// with the same key. `reporter` is a user name, or `public`.
    pub async fn take_signal(
        &self,
        draft: &SignalDraft,
        keys: &SignalKeys,
        reporter: &str,
        agency_id: Option<Id>,
        now: Timestamp,
    ) -> Result<Intake, StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let (signal_id, new, reports) =
            take_in(&mut tx, draft, keys, reporter, agency_id, now).await?;
        tx.commit().await.doing("committing a signal")?;
        self.intake_of(signal_id, new, reports).await
    }

    /// Records a batch of reports in one transaction (one commit, one sync):
    /// what keeps intake up with a burst on SQLite, whose single writer
    /// would otherwise make concurrent reports wait on each other's syncs.
    /// All or nothing: on an error nothing of the batch is stored, and the
    /// caller can retry the reports one by one to find the bad one.
    /// Returns what each report did; the related signals and cases are for
    /// the caller to look up ([`Store::intake_of_taken`]) outside the writer.
    pub async fn take_signals(&self, batch: &[Report]) -> Result<Vec<Taken>, StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let mut taken = Vec::with_capacity(batch.len());
        for r in batch {
            let (signal_id, new, reports) =
                take_in(&mut tx, &r.draft, &r.keys, &r.reporter, r.agency_id, r.now).await?;
            taken.push(Taken {
                signal_id,
                new,
                reports,
            });
        }
        tx.commit().await.doing("committing signals")?;
        Ok(taken)
    }

    /// The intake result of a taken report, with its related signals and cases.
    pub async fn intake_of_taken(&self, taken: Taken) -> Result<Intake, StoreError> {
        self.intake_of(taken.signal_id, taken.new, taken.reports)
            .await
    }

    async fn intake_of(
        &self,
        signal_id: Id,
        new: bool,
        reports: u64,
    ) -> Result<Intake, StoreError> {
        let (related_signals, related_cases) = self.related(signal_id).await?;
        Ok(Intake {
            signal_id,
            new,
            reports,
            related_signals,
            related_cases,
        })
    }

    /// Signals sharing a key with `signal_id`, and the cases they are in or
    /// that point to one of its keys.
    pub async fn related(&self, signal_id: Id) -> Result<(Vec<Id>, Vec<Id>), StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT s.id AS id, s.case_id AS case_id FROM signal_keys mine \
             JOIN signal_keys other ON other.key_kind = mine.key_kind AND other.key_value = mine.key_value \
             JOIN signals s ON s.id = other.signal_id \
             WHERE mine.signal_id = $1 AND other.signal_id <> $1 ORDER BY s.id",
        )
        .bind(signal_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("finding related signals")?;
        let mut signals = Vec::new();
        let mut cases = Vec::new();
        for row in &rows {
            let r = Reader::new(row, "signals", "id");
            signals.push(r.parse("id", Id::parse)?);
            if let Some(case) = r.parse_opt("case_id", Id::parse)?
                && !cases.contains(&case)
            {
                cases.push(case);
            }
        }
        // Cases that point to one of the keys themselves (added by hand, or
        // from signals merged earlier).
        let rows = sqlx::query(
            "SELECT DISTINCT ck.case_id AS case_id FROM signal_keys mine \
             JOIN case_keys ck ON ck.key_kind = mine.key_kind AND ck.key_value = mine.key_value \
             WHERE mine.signal_id = $1",
        )
        .bind(signal_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("finding cases that share a key")?;
        for row in &rows {
            let case = Reader::new(row, "case_keys", "case_id").parse("case_id", Id::parse)?;
            if !cases.contains(&case) {
                cases.push(case);
            }
        }
        cases.sort();
        Ok((signals, cases))
    }

    /// One signal.
    pub async fn signal(&self, id: Id) -> Result<Option<SignalRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SIGNAL_COLUMNS} FROM signals WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a signal")?;
        Ok(row.as_ref().map(signal_from_row).transpose()?)
    }

    /// Signals, newest report first; of one status, if given; at most `limit`.
    pub async fn signals(
        &self,
        status: Option<SignalStatus>,
        limit: u32,
    ) -> Result<Vec<SignalRecord>, StoreError> {
        let mut sql = format!("SELECT {SIGNAL_COLUMNS} FROM signals");
        if status.is_some() {
            sql.push_str(" WHERE status = $1");
        }
        sql.push_str(&format!(
            " ORDER BY last_reported_at DESC, id LIMIT {}",
            limit.min(1000)
        ));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(s) = status {
            query = query.bind(s.as_str());
        }
        let rows = query.fetch_all(&self.pool).await.doing("reading signals")?;
        Ok(rows.iter().map(signal_from_row).collect::<Result<_, _>>()?)
    }

    /// How many reports have been taken in all (for the intake benchmark).
    pub async fn signal_report_count(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM signal_reports")
            .fetch_one(&self.pool)
            .await
            .doing("counting reports")?;
        Ok(u64::try_from(Reader::new(&row, "signal_reports", "n").int("n")?).unwrap_or_default())
    }

    /// Moves a signal to `status` (and into `case_id` when accepted).
    pub async fn set_signal_status(
        &self,
        id: Id,
        status: SignalStatus,
        case_id: Option<Id>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE signals SET status = $1, case_id = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(case_id.map(|c| c.to_string()))
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .doing("changing a signal's status")?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a triage decision and moves the signal with it, in one
    /// transaction: `dismissed` only from `new`, `reopened` only from
    /// `dismissed` (an accepted signal belongs to its case). Anything else
    /// is a conflict naming where the signal stands.
    pub async fn decide_signal(&self, decision: &SignalDecision) -> Result<(), StoreError> {
        let (from, to) = match decision.action.as_str() {
            "dismissed" => (SignalStatus::New, SignalStatus::Dismissed),
            "reopened" => (SignalStatus::Dismissed, SignalStatus::New),
            other => {
                return Err(StoreError::Conflict(format!(
                    "{other:?} is not a triage decision (dismissed, reopened)"
                )));
            }
        };
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let moved = sqlx::query("UPDATE signals SET status = $1 WHERE id = $2 AND status = $3")
            .bind(to.as_str())
            .bind(decision.signal_id.to_string())
            .bind(from.as_str())
            .execute(&mut *tx)
            .await
            .doing("changing a signal's status")?;
        if moved.rows_affected() == 0 {
            let now: Option<String> =
                sqlx::query_scalar("SELECT status FROM signals WHERE id = $1")
                    .bind(decision.signal_id.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .doing("reading a signal's status")?;
            return Err(StoreError::Conflict(match now {
                None => format!("no signal {}", decision.signal_id),
                Some(status) => format!(
                    "signal {} is {status}; it can be {} only when {}",
                    decision.signal_id,
                    decision.action,
                    from.as_str()
                ),
            }));
        }
        sqlx::query(
            "INSERT INTO signal_decisions (id, signal_id, action, category, reason, decided_by, agency_id, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(decision.id.to_string())
        .bind(decision.signal_id.to_string())
        .bind(&decision.action)
        .bind(decision.category.clone())
        .bind(&decision.reason)
        .bind(&decision.decided_by)
        .bind(decision.agency_id.map(|a| a.to_string()))
        .bind(decision.decided_at.to_utc_string())
        .execute(&mut *tx)
        .await
        .doing("recording a triage decision")?;
        tx.commit().await.doing("committing a triage decision")?;
        Ok(())
    }

    /// A signal's decisions, oldest first.
    pub async fn signal_decisions(&self, signal_id: Id) -> Result<Vec<SignalDecision>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, signal_id, action, category, reason, decided_by, agency_id, decided_at \
             FROM signal_decisions WHERE signal_id = $1 ORDER BY decided_at, id",
        )
        .bind(signal_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading a signal's decisions")?;
        Ok(rows
            .iter()
            .map(decision_from_row)
            .collect::<Result<_, _>>()?)
    }

    /// Dismissals since `since`, newest first, at most `limit`, each with
    /// its signal (the lexicon review's input).
    pub async fn dismissals(
        &self,
        since: Option<Timestamp>,
        limit: u32,
    ) -> Result<Vec<(SignalDecision, SignalRecord)>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT d.id AS decision_id, d.action, d.category, d.reason, d.decided_by, \
             d.agency_id AS decision_agency_id, d.decided_at, {} FROM signal_decisions d \
             JOIN signals s ON s.id = d.signal_id \
             WHERE d.action = 'dismissed' AND d.decided_at >= $1 \
             ORDER BY d.decided_at DESC, d.id LIMIT {limit}",
            SIGNAL_COLUMNS
                .split(',')
                .map(|c| format!("s.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        )))
        .bind(since.map(|t| t.to_utc_string()).unwrap_or_default())
        .fetch_all(&self.pool)
        .await
        .doing("reading dismissals")?;
        let mut out = Vec::new();
        for row in &rows {
            let signal = signal_from_row(row)?;
            let r = Reader::new(row, "signal_decisions", "decision_id");
            out.push((
                SignalDecision {
                    id: r.parse("decision_id", Id::parse)?,
                    signal_id: signal.id,
                    action: r.text("action")?,
                    category: r.opt_text("category")?,
                    reason: r.text("reason")?,
                    decided_by: r.text("decided_by")?,
                    agency_id: r.parse_opt("decision_agency_id", Id::parse)?,
                    decided_at: r.parse("decided_at", Timestamp::parse)?,
                },
                signal,
            ));
        }
        Ok(out)
    }

    /// Files a citizen complaint against its signal.
    pub async fn add_complaint(
        &self,
        receipt_sha256: &str,
        signal_id: Id,
        lang: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO complaints (id, receipt_sha256, signal_id, received_at, status, status_changed_at, lang) \
             VALUES ($1, $2, $3, $4, 'received', $4, $5)",
        )
        .bind(Id::new().to_string())
        .bind(receipt_sha256)
        .bind(signal_id.to_string())
        .bind(now.to_utc_string())
        .bind(lang)
        .execute(&self.pool)
        .await
        .doing("filing a complaint")?;
        Ok(())
    }

    /// A complaint's status and when it last changed, by receipt hash.
    pub async fn complaint_status(
        &self,
        receipt_sha256: &str,
    ) -> Result<Option<(String, Timestamp, Timestamp)>, StoreError> {
        let row = sqlx::query(
            "SELECT id, status, received_at, status_changed_at FROM complaints WHERE receipt_sha256 = $1",
        )
        .bind(receipt_sha256)
        .fetch_optional(&self.pool)
        .await
        .doing("reading a complaint")?;
        let Some(row) = row else { return Ok(None) };
        let r = Reader::new(&row, "complaints", "id");
        Ok(Some((
            r.text("status")?,
            r.parse("received_at", Timestamp::parse)?,
            r.parse("status_changed_at", Timestamp::parse)?,
        )))
    }
}

/// What storing one report did, before related signals are looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// The signal.
    pub signal_id: Id,
    /// A new signal.
    pub new: bool,
    /// Its report count.
    pub reports: u64,
}

/// One report to take, as [`Store::take_signals`] receives it.
#[derive(Debug, Clone)]
pub struct Report {
    /// The checked draft.
    pub draft: SignalDraft,
    /// Its keys.
    pub keys: SignalKeys,
    /// User name, or `public`.
    pub reporter: String,
    /// The reporter's agency.
    pub agency_id: Option<Id>,
    /// When received.
    pub now: Timestamp,
}

/// The writes of one report inside the caller's transaction; returns the
/// signal, whether it is new, and its report count.
async fn take_in(
    conn: &mut AnyConnection,
    draft: &SignalDraft,
    keys: &SignalKeys,
    reporter: &str,
    agency_id: Option<Id>,
    now: Timestamp,
) -> Result<(Id, bool, u64), StoreError> {
    let fresh_id = Id::new();
    // Only constants are formatted in; every value is bound.
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO signals ({SIGNAL_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', NULL, $8, $8, 1, $9, $10) \
             ON CONFLICT (dedup_key) DO UPDATE SET reports = signals.reports + 1, \
             last_reported_at = excluded.last_reported_at \
             RETURNING id, reports"
    )))
    .bind(fresh_id.to_string())
    .bind(&keys.dedup_key)
    .bind(draft.source.as_str())
    .bind(keys.resource.clone())
    .bind(&draft.summary)
    .bind(draft.scenario.clone())
    .bind(draft.risk)
    .bind(now.to_utc_string())
    .bind(reporter)
    .bind(agency_id.map(|a| a.to_string()))
    .fetch_one(&mut *conn)
    .await
    .doing("taking a signal")?;
    let r = Reader::new(&row, "signals", "id");
    let signal_id = r.parse("id", Id::parse)?;
    let reports = u64::try_from(r.int("reports")?).unwrap_or_default();
    let new = signal_id == fresh_id;
    if new {
        for (kind, value) in &keys.keys {
            sqlx::query(
                "INSERT INTO signal_keys (signal_id, key_kind, key_value) VALUES ($1, $2, $3)",
            )
            .bind(signal_id.to_string())
            .bind(kind)
            .bind(value)
            .execute(&mut *conn)
            .await
            .doing("keying a signal")?;
        }
    } else if let Some(risk) = draft.risk {
        sqlx::query("UPDATE signals SET risk = $1 WHERE id = $2 AND (risk IS NULL OR risk < $1)")
            .bind(risk)
            .bind(signal_id.to_string())
            .execute(&mut *conn)
            .await
            .doing("raising a signal's risk")?;
    }
    let body = serde_json::to_string(draft).map_err(|e| StoreError::Conflict(e.to_string()))?;
    sqlx::query(
        "INSERT INTO signal_reports (id, signal_id, source, received_at, reporter, body) \
             VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Id::new().to_string())
    .bind(signal_id.to_string())
    .bind(draft.source.as_str())
    .bind(now.to_utc_string())
    .bind(reporter)
    .bind(body)
    .execute(&mut *conn)
    .await
    .doing("recording a report")?;
    Ok((signal_id, new, reports))
}

fn signal_from_row(row: &AnyRow) -> Result<SignalRecord, CorruptRow> {
    let r = Reader::new(row, "signals", "id");
    let reports = r.int("reports")?;
    Ok(SignalRecord {
        id: r.parse("id", Id::parse)?,
        source: r.text("source")?,
        resource: r.opt_text("resource")?,
        summary: r.text("summary")?,
        scenario: r.opt_text("scenario")?,
        risk: r.opt_float("risk")?,
        status: r.parse("status", |t: &str| {
            SignalStatus::parse(t).ok_or_else(|| format!("unknown status {t:?}"))
        })?,
        case_id: r.parse_opt("case_id", Id::parse)?,
        first_reported_at: r.parse("first_reported_at", Timestamp::parse)?,
        last_reported_at: r.parse("last_reported_at", Timestamp::parse)?,
        reports: r.parse_int("reports", reports, u64::try_from)?,
        created_by: r.text("created_by")?,
        agency_id: r.parse_opt("agency_id", Id::parse)?,
    })
}
