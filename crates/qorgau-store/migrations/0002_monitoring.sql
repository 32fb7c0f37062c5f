-- Monitoring: jobs, their runs, and the archive of documents they kept.
--
-- Same portable subset as 0001. Documents are mutable (last seen, deleted
-- at) but every text ever kept stays in document_versions, which is
-- append-only like the ledger: the archive of deleted ads loses nothing.

CREATE TABLE monitor_jobs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source_kind TEXT NOT NULL,
    spec TEXT NOT NULL,
    case_id TEXT REFERENCES cases (id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    last_run_at TEXT
);

CREATE TABLE monitor_runs (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES monitor_jobs (id),
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    operator TEXT NOT NULL,
    host TEXT NOT NULL,
    status TEXT NOT NULL,
    counts TEXT NOT NULL,
    requests TEXT NOT NULL,
    errors TEXT NOT NULL
);

CREATE INDEX monitor_runs_by_job ON monitor_runs (job_id, started_at);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES monitor_jobs (id),
    doc_key TEXT NOT NULL,
    url TEXT,
    source TEXT,
    author TEXT,
    title TEXT,
    published_at TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    deleted_at TEXT,
    content_sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    lang TEXT,
    risk DOUBLE PRECISION,
    flagged BIGINT NOT NULL,
    assessment TEXT,
    UNIQUE (job_id, doc_key)
);

CREATE INDEX documents_by_risk ON documents (flagged, risk);

CREATE TABLE document_versions (
    document_id TEXT NOT NULL REFERENCES documents (id),
    seen_at TEXT NOT NULL,
    run_id TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (document_id, seen_at)
);
