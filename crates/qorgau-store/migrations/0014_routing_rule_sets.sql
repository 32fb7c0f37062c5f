-- Routing rule sets edited in the server (issue 7).
--
-- Same portable subset as 0001. Every saved rule file is a new row; the
-- one with the highest `seq` is in force for every server and worker on
-- this database (a file in one machine's data directory would let two
-- machines route differently). Rows are append-only (triggers in
-- connect.rs): the history of what routed each case, and who changed it,
-- is part of the record a supervisor or a court may ask for.
--
-- `seq` is the previous highest plus one; its uniqueness makes two
-- administrators saving at once a conflict instead of a silent overwrite.
-- `based_on` is the sha256 of the rule set the editor started from.

CREATE TABLE routing_rule_sets (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    based_on TEXT NOT NULL,
    note TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL
);
