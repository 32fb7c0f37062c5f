-- Following the money (issue 6): imports of explorer exports and bank
-- statements, the accounts they name and the transfers between them.
--
-- Same portable subset as 0001. A transfer is kept once per scope (its case,
-- or '-' outside cases) by the key `qorgau_money::Transfer::dedup_key`
-- computes, so importing an overlapping export again adds only what is new.
-- Amounts are exact decimal text (`qorgau_money::Amount`); sums are done in
-- Rust, never in floating point.

CREATE TABLE money_accounts (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    chain TEXT,
    value TEXT NOT NULL,
    first_seen TEXT NOT NULL
);

CREATE TABLE money_imports (
    id TEXT PRIMARY KEY,
    case_id TEXT REFERENCES cases (id),
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    md5 TEXT NOT NULL,
    size BIGINT NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_new BIGINT NOT NULL,
    row_errors BIGINT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT, -- NULL: the import stopped (a file of another format, a failure)
    imported_by TEXT NOT NULL
);

CREATE TABLE money_transfers (
    scope TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    import_id TEXT NOT NULL REFERENCES money_imports (id),
    case_id TEXT REFERENCES cases (id),
    tx_id TEXT,
    at TEXT NOT NULL,
    from_key TEXT NOT NULL REFERENCES money_accounts (key),
    to_key TEXT NOT NULL REFERENCES money_accounts (key),
    amount TEXT NOT NULL,
    asset TEXT NOT NULL,
    source TEXT NOT NULL,
    line BIGINT NOT NULL,
    PRIMARY KEY (scope, dedup_key)
);

CREATE INDEX money_transfers_by_scope ON money_transfers (scope, at);
CREATE INDEX money_transfers_to ON money_transfers (to_key, at);
CREATE INDEX money_transfers_from ON money_transfers (from_key, at);
