-- Evidence vault: cases, items and the custody ledger.
--
-- One file for both backends: only types and statements that SQLite and
-- PostgreSQL read alike (TEXT, BIGINT, plain indexes). Times are fixed-width
-- RFC 3339 UTC text, so string order is time order and values hash the same
-- on both backends. Never edit a migration once merged: add a new one.

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_host TEXT NOT NULL
);

CREATE TABLE items (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    acquisition_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    md5 TEXT NOT NULL,
    size BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    source_root TEXT NOT NULL,
    original_path TEXT NOT NULL,
    relative_path TEXT NOT NULL,
    file_name TEXT NOT NULL,
    modified_at TEXT,
    accessed_at TEXT,
    changed_at TEXT,
    born_at TEXT,
    acquired_at TEXT NOT NULL,
    acquired_at_local TEXT NOT NULL,
    acquired_by TEXT NOT NULL,
    acquired_host TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    note TEXT,
    metadata TEXT
);

CREATE INDEX items_by_case ON items (case_id, acquired_at);
CREATE INDEX items_by_sha256 ON items (sha256);

CREATE TABLE ledger (
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_id TEXT,
    item_id TEXT,
    actor_user TEXT NOT NULL,
    actor_host TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    subject_digest TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    key_id TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);

CREATE INDEX ledger_by_item ON ledger (item_id);
CREATE INDEX ledger_by_time ON ledger (at);

-- The head of each chain. Appending locks its row first (a row lock on
-- PostgreSQL, the write lock on SQLite), so concurrent writers queue up
-- instead of forking a chain.
CREATE TABLE ledger_heads (
    chain TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    entry_hash TEXT NOT NULL
);
