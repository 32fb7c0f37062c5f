-- Accounts and signals of the early-response module (issue 5).
--
-- Same portable subset as 0001. Agencies are data (seeded from the routing
-- directory on first run, edited by the administrator). Secrets are never
-- stored: passwords as Argon2id PHC strings, session and API tokens as their
-- SHA-256. A signal is keyed by what it points to (normalised resource and
-- identifiers, signal_keys) so that the same resource reported twice is one
-- signal with two reports.

CREATE TABLE agencies (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    region TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    roles TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled BIGINT NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until TEXT,
    last_login_at TEXT
);

CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    client TEXT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
);

CREATE TABLE signals (
    id TEXT PRIMARY KEY,
    dedup_key TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    resource TEXT,
    summary TEXT NOT NULL,
    scenario TEXT,
    risk DOUBLE PRECISION,
    status TEXT NOT NULL,
    case_id TEXT REFERENCES cases (id),
    first_reported_at TEXT NOT NULL,
    last_reported_at TEXT NOT NULL,
    reports BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    agency_id TEXT REFERENCES agencies (id)
);

CREATE INDEX signals_by_status ON signals (status, last_reported_at);

-- Every key a signal points to (the resource, each identifier), to find
-- duplicates and the cases that share an identifier.
CREATE TABLE signal_keys (
    signal_id TEXT NOT NULL REFERENCES signals (id),
    key_kind TEXT NOT NULL,
    key_value TEXT NOT NULL,
    PRIMARY KEY (signal_id, key_kind, key_value)
);

CREATE INDEX signal_keys_by_value ON signal_keys (key_kind, key_value);

-- Each report of a signal, as received (a partner system, a complaint, the
-- detection engine, a person).
CREATE TABLE signal_reports (
    id TEXT PRIMARY KEY,
    signal_id TEXT NOT NULL REFERENCES signals (id),
    source TEXT NOT NULL,
    received_at TEXT NOT NULL,
    reporter TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE INDEX signal_reports_by_signal ON signal_reports (signal_id, received_at);

-- Citizen complaints: the receipt code is shown once to the complainant and
-- stored as its SHA-256; the status page looks it up by that.
CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    receipt_sha256 TEXT NOT NULL UNIQUE,
    signal_id TEXT NOT NULL REFERENCES signals (id),
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    status_changed_at TEXT NOT NULL,
    lang TEXT NOT NULL
);
