-- Material that may show the sexual abuse of a child (issue 8).
--
-- Such content is marked by its SHA-256, not per item: every item with the
-- same bytes — in this case, in another case, acquired next year — is
-- covered by one mark, and a capture that meets the same picture again does
-- not show it unblurred. A mark is made by a person or by matching a hash
-- list that the competent authority supplies; a mark made by mistake is
-- cleared by a later row, never by editing or deleting one: the history of
-- who restricted and who released what is itself evidence. The state of a
-- content is its row with the highest `seq`.
--
-- Every mark and clear also goes into the custody ledger of each item with
-- that content, in the same transaction.

CREATE TABLE restricted_marks (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    action TEXT NOT NULL,
    basis TEXT NOT NULL,
    list_id TEXT,
    matched_on TEXT,
    distance BIGINT,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL
);

CREATE INDEX restricted_marks_by_sha256 ON restricted_marks (sha256, seq);

-- Hash lists as imported: one row per list, its entries beside it. The
-- file itself is not kept (it is the authority's), only its SHA-256, so
-- that the import can be tied to the file received. `max_distance` is the
-- Hamming distance within which a perceptual entry matches.
CREATE TABLE hash_lists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    supplier TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    entries BIGINT NOT NULL,
    max_distance BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);

-- `algorithm` is md5, sha256 (hex, lower case) or a perceptual hash of
-- this installation's hashing version (`qorgau_media::phash::ALGORITHM`
-- with `:phash` or `:dhash`; 16 hex digits).
CREATE TABLE hash_list_entries (
    list_id TEXT NOT NULL REFERENCES hash_lists (id),
    algorithm TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (list_id, algorithm, value)
);

CREATE INDEX hash_list_entries_by_value ON hash_list_entries (algorithm, value);
