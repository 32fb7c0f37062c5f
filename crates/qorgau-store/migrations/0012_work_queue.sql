-- The work queue (issue 9): jobs any number of `qorgau worker` processes
-- take from the database, and the leases that let exactly one process run
-- the schedules (deadline checks, monitoring).
--
-- Same portable subset as 0001. Times the queue compares (when a job may
-- run, when a lease expires) are BIGINT milliseconds since the epoch read
-- from the DATABASE's clock in each statement, never a worker's: workers on
-- many machines then agree on expiry whatever their own clocks say. Times
-- people read are TEXT in UTC like everywhere else.
--
-- A job is `queued` (waiting until run_after_ms), `running` (leased by a
-- worker until lease_expires_ms; lease_token changes at every claim, and
-- finishing is accepted only with the current token, so a worker that lost
-- its lease cannot finish the job a second time), `done`, or `dead` (the
-- dead letter: every attempt failed, or the error cannot be retried; the
-- error is kept). A lease that expires (the worker was killed, the machine
-- lost) puts the job back: the next claim takes it.
--
-- `singleton` keeps at most one queued or running job per key (one
-- monitoring run per monitoring job, one deadline check at a time):
-- a partial unique index both engines have.

CREATE TABLE work_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    priority BIGINT NOT NULL,
    singleton TEXT,
    case_id TEXT,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    run_after_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    lease_owner TEXT,
    lease_token TEXT,
    lease_expires_ms BIGINT,
    progress TEXT NOT NULL,
    result TEXT,
    last_error TEXT,
    finished_at TEXT
);

-- What a worker looks for: ready jobs by priority, and expired leases.
CREATE INDEX work_jobs_ready ON work_jobs (state, run_after_ms);
CREATE INDEX work_jobs_leases ON work_jobs (state, lease_expires_ms);
CREATE INDEX work_jobs_by_case ON work_jobs (case_id, submitted_at);
CREATE UNIQUE INDEX work_jobs_one_active ON work_jobs (singleton)
    WHERE state IN ('queued', 'running');

-- Every attempt: who took the job, when, and how it ended (`done`,
-- `failed`, `lost` when its lease expired). The fault test reads it to
-- prove each job ran to completion once.
CREATE TABLE work_attempts (
    job_id TEXT NOT NULL REFERENCES work_jobs (id),
    attempt BIGINT NOT NULL,
    worker TEXT NOT NULL,
    lease_token TEXT NOT NULL,
    started_ms BIGINT NOT NULL,
    ended_ms BIGINT,
    outcome TEXT,
    error TEXT,
    PRIMARY KEY (job_id, attempt)
);

-- Workers that are alive (last_seen_ms within a few leases), for the
-- administration page and for `serve` to warn when nobody takes jobs.
CREATE TABLE work_workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    kinds TEXT NOT NULL,
    started_at TEXT NOT NULL,
    last_seen_ms BIGINT NOT NULL
);

-- Named leases: whoever holds `schedules` runs the timers.
CREATE TABLE work_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
