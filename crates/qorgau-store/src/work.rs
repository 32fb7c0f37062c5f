//! The work queue: jobs that `qorgau worker` processes (or `serve` itself,
//! on the embedded default) take from the database, and named leases.
//!
//! Why in the database and not a broker: the database is already the one
//! thing every Qorgau process shares, and a job's effect (a ledger entry, a
//! stored run) and the mark that the job is done must commit together —
//! [`Store::begin_finish`] opens that transaction. On PostgreSQL workers
//! claim with `FOR UPDATE SKIP LOCKED`, so any number of them on any number
//! of machines take different jobs without waiting for one another; on
//! SQLite the single writer makes the claim atomic by itself.
//!
//! Every time the queue compares (ready, expired) is read from the
//! database's clock inside the statement (see the migration), so workers
//! whose clocks disagree still agree on who holds a lease.

use qorgau_core::{Id, Timestamp};
use qorgau_evidence::{EntryDraft, LedgerEntry, LedgerKey};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::connect::{Backend, Store};
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkState {
    /// Waiting to be taken (perhaps until a retry's back-off ends).
    Queued,
    /// Leased by a worker.
    Running,
    /// Finished; its result is kept.
    Done,
    /// The dead letter: it will not be tried again; its error is kept.
    Dead,
}

impl WorkState {
    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            WorkState::Queued => "queued",
            WorkState::Running => "running",
            WorkState::Done => "done",
            WorkState::Dead => "dead",
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        Ok(match text {
            "queued" => WorkState::Queued,
            "running" => WorkState::Running,
            "done" => WorkState::Done,
            "dead" => WorkState::Dead,
            other => return Err(format!("unknown job state {other:?}")),
        })
    }
}

/// A job to submit.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// What to do (the worker's handler name, e.g. `capture`).
    pub kind: String,
    /// The handler's arguments.
    pub payload: serde_json::Value,
    /// Higher runs first (people waiting before schedules).
    pub priority: i64,
    /// At most one queued or running job per key (None: no limit).
    pub singleton: Option<String>,
    /// The case it works on, so the case page lists it.
    pub case_id: Option<Id>,
    /// Who asked (a user name, or the scheduler).
    pub submitted_by: String,
    /// How many attempts before the dead letter (at least 1).
    pub max_attempts: u32,
    /// Wait this long before the first attempt.
    pub delay_ms: i64,
}

impl NewJob {
    /// A job with the usual defaults: priority 0, three attempts, at once.
    pub fn new(kind: &str, payload: serde_json::Value, submitted_by: &str) -> Self {
        Self {
            kind: kind.to_owned(),
            payload,
            priority: 0,
            singleton: None,
            case_id: None,
            submitted_by: submitted_by.to_owned(),
            max_attempts: 3,
            delay_ms: 0,
        }
    }
}

/// A stored job.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkJob {
    /// Id.
    pub id: Id,
    /// Handler name.
    pub kind: String,
    /// Arguments.
    pub payload: serde_json::Value,
    /// Where it stands.
    pub state: WorkState,
    /// Higher runs first.
    pub priority: i64,
    /// Its singleton key.
    pub singleton: Option<String>,
    /// The case it works on.
    pub case_id: Option<Id>,
    /// Who asked.
    pub submitted_by: String,
    /// When.
    pub submitted_at: Timestamp,
    /// Attempts started so far.
    pub attempts: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
    /// The worker holding it (while running).
    pub lease_owner: Option<String>,
    /// The last progress line the worker reported.
    pub progress: String,
    /// What the handler returned (when done).
    pub result: Option<serde_json::Value>,
    /// The last attempt's error (kept after a retry succeeds too).
    pub last_error: Option<String>,
    /// When it ended (done or dead).
    pub finished_at: Option<Timestamp>,
}

/// A job a worker holds: the job, and the token that proves the lease.
#[derive(Debug, Clone)]
pub struct Lease {
    /// The job as claimed.
    pub job: WorkJob,
    /// Changes at every claim; finishing needs the current one.
    pub token: String,
    /// Which attempt this is (1 for the first).
    pub attempt: i64,
    /// The worker.
    pub worker: String,
}

/// One attempt at a job.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkAttempt {
    /// The attempt's number.
    pub attempt: i64,
    /// The worker that took it.
    pub worker: String,
    /// How it ended: `done`, `failed`, `lost` (the lease expired), or
    /// None while it runs.
    pub outcome: Option<String>,
    /// The error, when it failed.
    pub error: Option<String>,
}

/// A worker process as it registers itself.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkerRecord {
    /// Id (host, pid and a random part).
    pub id: String,
    /// Host name.
    pub host: String,
    /// Process id.
    pub pid: i64,
    /// The kinds it takes, comma-separated.
    pub kinds: String,
    /// When it started.
    pub started_at: Timestamp,
}

/// Which jobs to list.
#[derive(Debug, Clone, Default)]
pub struct WorkFilter {
    /// Only this case's.
    pub case_id: Option<Id>,
    /// Only in this state.
    pub state: Option<WorkState>,
    /// Only this kind.
    pub kind: Option<String>,
    /// At most this many, newest first (0: all).
    pub limit: i64,
}

/// How many jobs of one kind are in one state.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkCount {
    /// Kind.
    pub kind: String,
    /// State.
    pub state: WorkState,
    /// How many.
    pub count: i64,
}

/// The database's clock in milliseconds since the epoch, as SQL.
fn now_ms(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
        Backend::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
    }
}

const JOB_COLUMNS: &str = "id, kind, payload, state, priority, singleton, case_id, submitted_by, \
     submitted_at, attempts, max_attempts, lease_owner, lease_token, progress, result, \
     last_error, finished_at";

fn job_of(row: &AnyRow) -> Result<WorkJob, CorruptRow> {
    let r = Reader::new(row, "work_jobs", "id");
    let json = |column: &'static str, text: String| {
        serde_json::from_str::<serde_json::Value>(&text).map_err(|e| CorruptRow {
            table: "work_jobs",
            key: r.text("id").unwrap_or_default(),
            column,
            value: text.clone(),
            reason: e.to_string(),
        })
    };
    Ok(WorkJob {
        id: r.parse("id", Id::parse)?,
        kind: r.text("kind")?,
        payload: json("payload", r.text("payload")?)?,
        state: r.parse("state", WorkState::parse)?,
        priority: r.int("priority")?,
        singleton: r.opt_text("singleton")?,
        case_id: r.parse_opt("case_id", Id::parse)?,
        submitted_by: r.text("submitted_by")?,
        submitted_at: r.parse("submitted_at", Timestamp::parse)?,
        attempts: r.int("attempts")?,
        max_attempts: r.int("max_attempts")?,
        lease_owner: r.opt_text("lease_owner")?,
        progress: r.text("progress")?,
        result: match r.opt_text("result")? {
            Some(text) => Some(json("result", text)?),
            None => None,
        },
        last_error: r.opt_text("last_error")?,
        finished_at: r.parse_opt("finished_at", Timestamp::parse)?,
    })
}

/// The transaction that finishes a job together with its effect: the
/// job is marked done first (which fails if the lease was lost, so a
/// second worker never repeats an effect), then the handler writes its
/// effect, then [`FinishTx::commit`]. Dropped without commit, nothing of
/// it stays and the job is still the worker's to fail or retry.
pub struct FinishTx {
    tx: Transaction<'static, Any>,
    job_id: Id,
    attempt: i64,
    backend: Backend,
}

impl std::fmt::Debug for FinishTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FinishTx")
            .field("job_id", &self.job_id)
            .field("attempt", &self.attempt)
            .finish()
    }
}

impl FinishTx {
    /// Appends custody-ledger entries as part of the job's effect.
    pub async fn append_ledger(
        &mut self,
        drafts: Vec<EntryDraft>,
        key: &LedgerKey,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        append_in(&mut self.tx, drafts, key).await
    }

    /// Commits the effect and the job's end together.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let now = now_ms(self.backend);
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE work_attempts SET outcome = 'done', ended_ms = {now} \
             WHERE job_id = $1 AND attempt = $2"
        )))
        .bind(self.job_id.to_string())
        .bind(self.attempt)
        .execute(&mut *self.tx)
        .await
        .doing("recording the attempt's end")?;
        self.tx
            .commit()
            .await
            .doing(format!("committing job {}", self.job_id))
    }
}

impl Store {
    /// Queues a job. Returns None when its singleton key already has a
    /// queued or running job (the schedule asked twice: nothing to add).
    pub async fn submit_job(&self, job: &NewJob) -> Result<Option<Id>, StoreError> {
        let id = Id::new();
        let now = now_ms(self.backend());
        let sql = format!(
            "INSERT INTO work_jobs (id, kind, payload, state, priority, singleton, case_id, \
             submitted_by, submitted_at, run_after_ms, attempts, max_attempts, progress) \
             VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, {now} + $9, 0, $10, '') \
             ON CONFLICT DO NOTHING"
        );
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .bind(&job.kind)
            .bind(job.payload.to_string())
            .bind(job.priority)
            .bind(job.singleton.clone())
            .bind(job.case_id.map(|c| c.to_string()))
            .bind(&job.submitted_by)
            .bind(Timestamp::now().to_utc_string())
            .bind(job.delay_ms.max(0))
            .bind(i64::from(job.max_attempts.max(1)))
            .execute(&self.pool)
            .await
            .doing(format!("queueing a {} job", job.kind))?;
        Ok((done.rows_affected() == 1).then_some(id))
    }

    /// Moves jobs whose lease expired on their last allowed attempt to the
    /// dead letter (their worker was lost every time). Returns how many.
    pub async fn reap_lost_jobs(&self) -> Result<u64, StoreError> {
        let now = now_ms(self.backend());
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let dead = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE work_jobs SET state = 'dead', lease_token = NULL, finished_at = $1, \
             last_error = 'the worker running it stopped answering on every attempt ' \
             || '(lease expired ' || CAST(attempts AS TEXT) || ' times)' \
             WHERE state = 'running' AND lease_expires_ms < {now} AND attempts >= max_attempts \
             RETURNING id"
        )))
        .bind(Timestamp::now().to_utc_string())
        .fetch_all(&mut *tx)
        .await
        .doing("moving lost jobs to the dead letter")?;
        for row in &dead {
            let id: String = row.try_get("id").doing("reading a job id")?;
            mark_lost(&mut tx, self.backend(), &id).await?;
        }
        tx.commit().await.doing("committing the dead letters")?;
        Ok(dead.len() as u64)
    }

    /// Takes the next ready job of one of `kinds` (all kinds when empty),
    /// or a job whose lease expired, for `lease_ms`. None when nothing is
    /// ready.
    pub async fn claim_job(
        &self,
        worker: &str,
        kinds: &[String],
        lease_ms: i64,
    ) -> Result<Option<Lease>, StoreError> {
        let backend = self.backend();
        let now = now_ms(backend);
        let token = Id::new().to_string();
        let kind_filter = if kinds.is_empty() {
            String::new()
        } else {
            let marks: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 4)).collect();
            format!(" AND kind IN ({})", marks.join(", "))
        };
        let skip_locked = match backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        // The UPDATE is the transaction's first statement: on SQLite it
        // takes the write lock before reading, so two processes never
        // take the same job; on PostgreSQL the row lock does that.
        let sql = format!(
            "UPDATE work_jobs SET state = 'running', lease_owner = $1, lease_token = $2, \
             lease_expires_ms = {now} + $3, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM work_jobs \
               WHERE ((state = 'queued' AND run_after_ms <= {now}) \
                  OR (state = 'running' AND lease_expires_ms < {now} AND attempts < max_attempts)){kind_filter} \
               ORDER BY priority DESC, run_after_ms, id LIMIT 1{skip_locked}) \
             RETURNING {JOB_COLUMNS}"
        );
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(worker)
            .bind(&token)
            .bind(lease_ms);
        for kind in kinds {
            query = query.bind(kind);
        }
        let Some(row) = query
            .fetch_optional(&mut *tx)
            .await
            .doing("claiming a job")?
        else {
            return Ok(None);
        };
        let job = job_of(&row)?;
        // An attempt still open belongs to a worker whose lease expired.
        mark_lost(&mut tx, backend, &job.id.to_string()).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO work_attempts (job_id, attempt, worker, lease_token, started_ms) \
             VALUES ($1, $2, $3, $4, {now})"
        )))
        .bind(job.id.to_string())
        .bind(job.attempts)
        .bind(worker)
        .bind(&token)
        .execute(&mut *tx)
        .await
        .doing("recording the attempt")?;
        tx.commit().await.doing("committing the claim")?;
        Ok(Some(Lease {
            attempt: job.attempts,
            job,
            token,
            worker: worker.to_owned(),
        }))
    }

    /// Extends a lease (and records progress). False when the lease was
    /// lost: the worker must stop the job, another may have it now.
    pub async fn renew_job_lease(
        &self,
        lease: &Lease,
        lease_ms: i64,
        progress: Option<&str>,
    ) -> Result<bool, StoreError> {
        let now = now_ms(self.backend());
        let sql = match progress {
            Some(_) => format!(
                "UPDATE work_jobs SET lease_expires_ms = {now} + $3, progress = $4 \
                 WHERE id = $1 AND lease_token = $2 AND state = 'running'"
            ),
            None => format!(
                "UPDATE work_jobs SET lease_expires_ms = {now} + $3 \
                 WHERE id = $1 AND lease_token = $2 AND state = 'running'"
            ),
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(lease.job.id.to_string())
            .bind(&lease.token)
            .bind(lease_ms);
        if let Some(p) = progress {
            query = query.bind(p);
        }
        let done = query
            .execute(&self.pool)
            .await
            .doing("renewing a job's lease")?;
        Ok(done.rows_affected() == 1)
    }

    /// Starts finishing a job: marks it done with `result` inside a new
    /// transaction, refused with [`StoreError::Conflict`] when the lease
    /// is no longer this worker's. Write the effect through the returned
    /// [`FinishTx`], then commit it.
    pub async fn begin_finish(
        &self,
        lease: &Lease,
        result: &serde_json::Value,
    ) -> Result<FinishTx, StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let done = sqlx::query(
            "UPDATE work_jobs SET state = 'done', result = $3, finished_at = $4, \
             lease_token = NULL, lease_expires_ms = NULL \
             WHERE id = $1 AND lease_token = $2 AND state = 'running'",
        )
        .bind(lease.job.id.to_string())
        .bind(&lease.token)
        .bind(result.to_string())
        .bind(Timestamp::now().to_utc_string())
        .execute(&mut *tx)
        .await
        .doing("marking a job done")?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "job {} is no longer held by {} (its lease expired and another worker took it)",
                lease.job.id, lease.worker
            )));
        }
        Ok(FinishTx {
            tx,
            job_id: lease.job.id,
            attempt: lease.attempt,
            backend: self.backend(),
        })
    }

    /// Finishes a job that has no effect in the database besides its result.
    pub async fn finish_job(
        &self,
        lease: &Lease,
        result: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.begin_finish(lease, result).await?.commit().await
    }

    /// Records a failed attempt. With `retry_in_ms` and attempts left the
    /// job waits that long and is queued again; otherwise it goes to the
    /// dead letter with `error`. Returns the state it is left in; a
    /// Conflict when the lease was already lost.
    pub async fn fail_job(
        &self,
        lease: &Lease,
        error: &str,
        retry_in_ms: Option<i64>,
    ) -> Result<WorkState, StoreError> {
        let backend = self.backend();
        let now = now_ms(backend);
        let retry = retry_in_ms.filter(|_| lease.job.attempts < lease.job.max_attempts);
        let state = if retry.is_some() {
            WorkState::Queued
        } else {
            WorkState::Dead
        };
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE work_jobs SET state = $3, last_error = $4, lease_token = NULL, \
             lease_expires_ms = NULL, lease_owner = NULL, run_after_ms = {now} + $5, \
             finished_at = $6 \
             WHERE id = $1 AND lease_token = $2 AND state = 'running'"
        )))
        .bind(lease.job.id.to_string())
        .bind(&lease.token)
        .bind(state.as_str())
        .bind(error)
        .bind(retry.unwrap_or(0).max(0))
        .bind((state == WorkState::Dead).then(|| Timestamp::now().to_utc_string()))
        .execute(&mut *tx)
        .await
        .doing("recording a failed job")?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "job {} is no longer held by {}",
                lease.job.id, lease.worker
            )));
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE work_attempts SET outcome = 'failed', error = $3, ended_ms = {now} \
             WHERE job_id = $1 AND attempt = $2"
        )))
        .bind(lease.job.id.to_string())
        .bind(lease.attempt)
        .bind(error)
        .execute(&mut *tx)
        .await
        .doing("recording the attempt's end")?;
        tx.commit().await.doing("committing the failure")?;
        Ok(state)
    }

    /// Puts a dead job back in the queue with fresh attempts (an
    /// administrator fixed the cause). False when it is not dead.
    pub async fn retry_dead_job(&self, id: Id) -> Result<bool, StoreError> {
        let now = now_ms(self.backend());
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE work_jobs SET state = 'queued', run_after_ms = {now}, \
             max_attempts = attempts + 1, finished_at = NULL \
             WHERE id = $1 AND state = 'dead'"
        )))
        .bind(id.to_string())
        .execute(&self.pool)
        .await
        .doing("queueing a dead job again")?;
        Ok(done.rows_affected() == 1)
    }

    /// One job.
    pub async fn work_job(&self, id: Id) -> Result<Option<WorkJob>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM work_jobs WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a job")?;
        Ok(row.as_ref().map(job_of).transpose()?)
    }

    /// Jobs matching `filter`, newest first.
    pub async fn work_jobs(&self, filter: &WorkFilter) -> Result<Vec<WorkJob>, StoreError> {
        let mut sql = format!("SELECT {JOB_COLUMNS} FROM work_jobs WHERE 1 = 1");
        let mut n = 0;
        let mut mark = || {
            n += 1;
            format!("${n}")
        };
        if filter.case_id.is_some() {
            sql.push_str(&format!(" AND case_id = {}", mark()));
        }
        if filter.state.is_some() {
            sql.push_str(&format!(" AND state = {}", mark()));
        }
        if filter.kind.is_some() {
            sql.push_str(&format!(" AND kind = {}", mark()));
        }
        sql.push_str(" ORDER BY submitted_at DESC, id DESC");
        if filter.limit > 0 {
            sql.push_str(&format!(" LIMIT {}", filter.limit));
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(c) = filter.case_id {
            query = query.bind(c.to_string());
        }
        if let Some(s) = filter.state {
            query = query.bind(s.as_str());
        }
        if let Some(k) = &filter.kind {
            query = query.bind(k.clone());
        }
        let rows = query.fetch_all(&self.pool).await.doing("listing jobs")?;
        Ok(rows
            .iter()
            .map(job_of)
            .collect::<Result<Vec<_>, CorruptRow>>()?)
    }

    /// A job's attempts, first first.
    pub async fn work_attempts(&self, id: Id) -> Result<Vec<WorkAttempt>, StoreError> {
        let rows = sqlx::query(
            "SELECT attempt, worker, outcome, error FROM work_attempts \
             WHERE job_id = $1 ORDER BY attempt",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading a job's attempts")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "work_attempts", "job_id");
                Ok(WorkAttempt {
                    attempt: r.int("attempt")?,
                    worker: r.text("worker")?,
                    outcome: r.opt_text("outcome")?,
                    error: r.opt_text("error")?,
                })
            })
            .collect::<Result<Vec<_>, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// How many jobs of each kind are in each state.
    pub async fn work_counts(&self) -> Result<Vec<WorkCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, state, COUNT(*) AS n FROM work_jobs GROUP BY kind, state \
             ORDER BY kind, state",
        )
        .fetch_all(&self.pool)
        .await
        .doing("counting jobs")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "work_jobs", "kind");
                Ok(WorkCount {
                    kind: r.text("kind")?,
                    state: r.parse("state", WorkState::parse)?,
                    count: r.int("n")?,
                })
            })
            .collect::<Result<Vec<_>, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// Registers a worker or records that it is still alive.
    pub async fn worker_alive(&self, worker: &WorkerRecord) -> Result<(), StoreError> {
        let now = now_ms(self.backend());
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO work_workers (id, host, pid, kinds, started_at, last_seen_ms) \
             VALUES ($1, $2, $3, $4, $5, {now}) \
             ON CONFLICT (id) DO UPDATE SET last_seen_ms = {now}"
        )))
        .bind(&worker.id)
        .bind(&worker.host)
        .bind(worker.pid)
        .bind(&worker.kinds)
        .bind(worker.started_at.to_utc_string())
        .execute(&self.pool)
        .await
        .doing("registering a worker")?;
        Ok(())
    }

    /// Removes a worker that stops cleanly.
    pub async fn worker_gone(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM work_workers WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .doing("unregistering a worker")?;
        Ok(())
    }

    /// Workers seen within the last `within_ms`.
    pub async fn live_workers(&self, within_ms: i64) -> Result<Vec<WorkerRecord>, StoreError> {
        let now = now_ms(self.backend());
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, host, pid, kinds, started_at FROM work_workers \
             WHERE last_seen_ms >= {now} - $1 ORDER BY started_at"
        )))
        .bind(within_ms)
        .fetch_all(&self.pool)
        .await
        .doing("listing workers")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "work_workers", "id");
                Ok(WorkerRecord {
                    id: r.text("id")?,
                    host: r.text("host")?,
                    pid: r.int("pid")?,
                    kinds: r.text("kinds")?,
                    started_at: r.parse("started_at", Timestamp::parse)?,
                })
            })
            .collect::<Result<Vec<_>, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// Takes or renews the lease `name` for `holder` for `ttl_ms`. True
    /// when `holder` holds it now: it was free, expired, or already theirs.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        ttl_ms: i64,
    ) -> Result<bool, StoreError> {
        let now = now_ms(self.backend());
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO work_leases (name, holder, expires_ms) VALUES ($1, $2, {now} + $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
             expires_ms = excluded.expires_ms \
             WHERE work_leases.holder = excluded.holder OR work_leases.expires_ms < {now}"
        )))
        .bind(name)
        .bind(holder)
        .bind(ttl_ms)
        .execute(&self.pool)
        .await
        .doing(format!("taking the lease {name}"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives a lease up so another process takes it at once.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM work_leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await
            .doing(format!("releasing the lease {name}"))?;
        Ok(())
    }
}

async fn mark_lost(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    job_id: &str,
) -> Result<(), StoreError> {
    let now = now_ms(backend);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE work_attempts SET outcome = 'lost', ended_ms = {now}, \
         error = 'the lease expired before the worker finished' \
         WHERE job_id = $1 AND outcome IS NULL"
    )))
    .bind(job_id)
    .execute(&mut **tx)
    .await
    .doing("recording a lost attempt")?;
    Ok(())
}
