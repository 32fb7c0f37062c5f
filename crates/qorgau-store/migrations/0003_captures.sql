-- Captures of web pages and public channels (issue 4).
--
-- Same portable subset as 0001. A capture row is the index that ties a URL
-- and a moment to the items one `qorgau capture` stored (acquisition_id);
-- it is vouched for by its OSINT-log entry and, like items, never changes.
-- Captures of one URL over time are its versions.

CREATE TABLE captures (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    acquisition_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    engine TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    http_status BIGINT,
    partial TEXT,
    manifest_sha256 TEXT NOT NULL,
    time_stamp TEXT,
    time_stamp_authority TEXT,
    captured_by TEXT NOT NULL,
    captured_on TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    summary TEXT NOT NULL
);

CREATE INDEX captures_by_url ON captures (url, started_at);
CREATE INDEX captures_by_case ON captures (case_id, started_at);
