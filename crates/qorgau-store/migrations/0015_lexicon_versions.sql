-- The indicator lexicon edited, versioned and reviewed in the server
-- (issue 7).
--
-- Same portable subset as 0001. An analyst's edit is a proposal: the whole
-- set of lexicon files as JSON (file name -> TOML text), with the version
-- the lexicon reports (manifest version + content hash) and the version it
-- was edited from. A second person reviews it; an approval puts it in
-- force on every process sharing this database (the approved version with
-- the highest review `seq`), a rejection keeps it as history with the
-- reason. Both tables are append-only (triggers in connect.rs): which rules
-- flagged a document, who wrote them and who let them in is part of the
-- record a court may ask for.
--
-- `seq` is the previous highest plus one; its uniqueness makes two saves
-- at the same moment a conflict instead of a silent overwrite. A proposal
-- gets at most one review (`version_id` unique).

CREATE TABLE lexicon_versions (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    version TEXT NOT NULL,
    files TEXT NOT NULL,
    based_on TEXT NOT NULL,
    note TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    proposed_by TEXT NOT NULL
);

CREATE TABLE lexicon_reviews (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    version_id TEXT NOT NULL UNIQUE REFERENCES lexicon_versions (id),
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    reviewed_by TEXT NOT NULL
);
