-- Triage decisions on signals (issue 5 triage; the reasons feed the
-- lexicon's review, issue 7): every dismissal with its category and the
-- analyst's words, and every reopening, kept as history. The signal's own
-- `status` column says where it stands now.

CREATE TABLE signal_decisions (
    id TEXT PRIMARY KEY,
    signal_id TEXT NOT NULL REFERENCES signals (id),
    action TEXT NOT NULL,
    category TEXT,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    agency_id TEXT REFERENCES agencies (id),
    decided_at TEXT NOT NULL
);

CREATE INDEX signal_decisions_by_signal ON signal_decisions (signal_id, decided_at);
CREATE INDEX signal_decisions_by_time ON signal_decisions (action, decided_at);
