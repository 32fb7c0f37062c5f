-- Following the money, second part (issue 6): Bitcoin transactions as they
-- are, label lists, and where each account was seen.
--
-- Same portable subset as 0001. A Bitcoin transaction is kept once per
-- scope (its case, or '-') as `qorgau_money::BtcTx` JSON in `body`; the
-- transfers derived from it go to money_transfers like any other. Labels
-- are reference data shared by all cases, kept per imported list with the
-- list file's hashes. money_account_links says where an account appears:
-- a monitored document (an ad), a case's keys, an import, or a person who
-- entered it.

CREATE TABLE money_btc_txs (
    scope TEXT NOT NULL,
    txid TEXT NOT NULL,
    import_id TEXT NOT NULL REFERENCES money_imports (id),
    case_id TEXT REFERENCES cases (id),
    at TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (scope, txid)
);

CREATE TABLE money_label_lists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    md5 TEXT NOT NULL,
    entries BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);

CREATE TABLE money_labels (
    list_id TEXT NOT NULL REFERENCES money_label_lists (id),
    account_key TEXT NOT NULL,
    label TEXT NOT NULL,
    category TEXT,
    source TEXT,
    abuse TEXT,
    line BIGINT NOT NULL,
    PRIMARY KEY (list_id, account_key)
);

CREATE INDEX money_labels_by_account ON money_labels (account_key);

CREATE TABLE money_account_links (
    account_key TEXT NOT NULL REFERENCES money_accounts (key),
    link_kind TEXT NOT NULL, -- document, case, import, manual
    link_id TEXT NOT NULL,
    case_id TEXT REFERENCES cases (id),
    note TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (account_key, link_kind, link_id)
);

CREATE INDEX money_account_links_by_link ON money_account_links (link_kind, link_id);
CREATE INDEX money_account_links_by_case ON money_account_links (case_id);
