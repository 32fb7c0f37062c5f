-- Transfers are written in bulk (an import of a chain export is millions
-- of rows) and read back only whole, by scope (`Store::transfers`: all of a
-- case at once, sorted in Rust). Each row used to cost seven B-tree
-- searches: the primary key, three indexes that served no query, and
-- foreign-key look-ups of both accounts in money_accounts, a table as large
-- as the wallets of the export. The table is rebuilt without the three
-- indexes and without the two account references; `Store::add_transfers`
-- writes a batch's accounts in the same transaction before its transfers,
-- which is what the references guarded. The import and case references
-- stay (small tables, and they guard against a transfer outliving its
-- import or case).
--
-- The primary key gains the transfer's second (`at` to the second, UTC) in
-- front of the dedup key. The dedup key is a hash, so alone it sent every
-- row to a random place in the key's B-tree: once the tree outgrew the
-- page cache each row read and wrote a page of its own (3,000,000 rows of
-- this width: 93 s with random keys against 34 s in time order, sqlite3 on
-- this machine). Exports come in time order, so keys led by the second are
-- written near each other. Uniqueness is unchanged: the dedup key hashes
-- the transfer's time in whole seconds, so equal dedup keys have equal
-- seconds. Rows keep every value.
CREATE TABLE money_transfers_v10 (
    scope TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    import_id TEXT NOT NULL REFERENCES money_imports (id),
    case_id TEXT REFERENCES cases (id),
    tx_id TEXT,
    at TEXT NOT NULL,
    at_second TEXT NOT NULL,
    from_key TEXT NOT NULL,
    to_key TEXT NOT NULL,
    amount TEXT NOT NULL,
    asset TEXT NOT NULL,
    source TEXT NOT NULL,
    line BIGINT NOT NULL,
    PRIMARY KEY (scope, at_second, dedup_key)
);

INSERT INTO money_transfers_v10 (scope, dedup_key, import_id, case_id, tx_id, at, at_second,
    from_key, to_key, amount, asset, source, line)
SELECT scope, dedup_key, import_id, case_id, tx_id, at, substr(at, 1, 19), from_key, to_key,
    amount, asset, source, line
FROM money_transfers;

DROP TABLE money_transfers;

ALTER TABLE money_transfers_v10 RENAME TO money_transfers;
