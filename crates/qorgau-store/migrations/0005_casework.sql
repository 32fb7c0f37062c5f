-- Cases of the early-response module, their referrals and escalations (issue 5).
--
-- Same portable subset as 0001. A case is the vault's `cases` row (its
-- custody chain, its evidence) plus a `case_files` row with what the
-- response module works with; every change and every read through the
-- server is also a ledger entry on the case's chain, written in the same
-- transaction as the change. A referral keeps the routing crate's
-- `Referral` as JSON (`body`) with the columns the deadline check and the
-- boards query on beside it.

CREATE TABLE case_files (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    owner_agency_id TEXT NOT NULL REFERENCES agencies (id),
    facts TEXT NOT NULL,
    articles TEXT NOT NULL,
    share_seed TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL
);

CREATE INDEX case_files_by_agency ON case_files (owner_agency_id, status, updated_at);

-- What a case points to: resources, identifiers, signals; the same
-- normalised keys as signal_keys, so intake finds the cases that share them.
CREATE TABLE case_keys (
    case_id TEXT NOT NULL REFERENCES cases (id),
    key_kind TEXT NOT NULL,
    key_value TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (case_id, key_kind, key_value)
);

CREATE INDEX case_keys_by_value ON case_keys (key_kind, key_value);

-- Monitored documents attached to a case.
CREATE TABLE case_documents (
    case_id TEXT NOT NULL REFERENCES cases (id),
    document_id TEXT NOT NULL REFERENCES documents (id),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (case_id, document_id)
);

-- The case page lists the newest documents first: without this index a
-- case of 10,000 documents is sorted on every view (bench/response.sh).
CREATE INDEX case_documents_by_added ON case_documents (case_id, added_at DESC, document_id);

CREATE TABLE case_persons (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    victim_id TEXT,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
);

CREATE INDEX case_persons_by_case ON case_persons (case_id);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    written_at TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE INDEX case_notes_by_case ON case_notes (case_id, written_at);

CREATE TABLE case_tasks (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    checklist_key TEXT,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE INDEX case_tasks_by_case ON case_tasks (case_id);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    agency_kind TEXT NOT NULL,
    state TEXT NOT NULL,
    acknowledge_by TEXT NOT NULL,
    act_by TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (case_id, agency_id)
);

CREATE INDEX referrals_by_agency ON referrals (agency_id, state);
CREATE INDEX referrals_by_state ON referrals (state, acknowledge_by);

-- Missed deadlines raised to a supervisor; shown on every dashboard until
-- the referral moves on.
CREATE TABLE escalations (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    missed TEXT NOT NULL,
    due TEXT NOT NULL,
    to_role TEXT NOT NULL,
    heavy BIGINT NOT NULL,
    raised_at TEXT NOT NULL,
    UNIQUE (referral_id, missed)
);

CREATE INDEX escalations_by_agency ON escalations (agency_id, raised_at);

-- Victim records: facts in the clear (age band, minor status, screening
-- outcome, referral status), personal data and screening answers sealed
-- with a key kept outside the database (qorgau-victims). A victim is always
-- in a case; one with no criminal case is in a support case.
CREATE TABLE victims (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    person_id TEXT NOT NULL REFERENCES case_persons (id),
    facts TEXT NOT NULL,
    sealed_personal TEXT NOT NULL,
    sealed_screening TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX victims_by_case ON victims (case_id);

-- Consent per disclosure (recipient, categories, purpose), with its
-- withdrawal; the body is qorgau-victims' `Consent`.
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    victim_id TEXT NOT NULL REFERENCES victims (id),
    body TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX consents_by_victim ON consents (victim_id);

-- Blocking and takedown requests (to «Кибернадзор» or a platform); the body
-- is qorgau-casework's `TakedownRequest` with its capture proof and replies.
CREATE TABLE takedowns (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    platform TEXT NOT NULL,
    state TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX takedowns_by_case ON takedowns (case_id);
CREATE INDEX takedowns_by_agency ON takedowns (agency_id, platform);

-- Operational virtual identities (controlled accounts) with their court
-- authorisations (`body`: qorgau-casework's `VirtualIdentity`), the
-- operations opened under them (`body`: the `UsePermit`, with the
-- safeguards acknowledged) and every action taken through them.
CREATE TABLE virtual_identities (
    id TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE identity_operations (
    id TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL REFERENCES virtual_identities (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    body TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL
);

CREATE TABLE identity_actions (
    id TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL REFERENCES virtual_identities (id),
    operation_id TEXT NOT NULL REFERENCES identity_operations (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    body TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX identity_actions_by_identity ON identity_actions (identity_id, at);
