-- Sharing groups and the TAXII 2.1 collections they exchange indicators
-- through (issue 5, "sharing with partners").
--
-- Same portable subset as 0001. One collection per sharing group (the
-- collection id is the group id). Agencies are the members; each may read,
-- add, or both. A collection keeps every version of every object posted to
-- it: `date_added` is unique per collection (the store assigns it under the
-- group row's lock), `version_key` is the effective version (modified,
-- else created, else date_added) then date_added, written at fixed width
-- so that text order is time order on both engines.

CREATE TABLE sharing_groups (
    id TEXT PRIMARY KEY,
    alias TEXT UNIQUE,
    title TEXT NOT NULL,
    description TEXT,
    max_tlp TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    writes BIGINT NOT NULL
);

CREATE TABLE sharing_group_members (
    group_id TEXT NOT NULL REFERENCES sharing_groups (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    can_read BIGINT NOT NULL,
    can_write BIGINT NOT NULL,
    PRIMARY KEY (group_id, agency_id)
);

CREATE TABLE taxii_objects (
    collection_id TEXT NOT NULL REFERENCES sharing_groups (id),
    date_added TEXT NOT NULL,
    object_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    version TEXT,
    version_text TEXT,
    version_key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (collection_id, date_added)
);

CREATE INDEX taxii_objects_by_object ON taxii_objects (collection_id, object_id, version_key);
CREATE INDEX taxii_objects_by_type ON taxii_objects (collection_id, object_type, date_added);

CREATE TABLE taxii_statuses (
    api_root TEXT NOT NULL,
    id TEXT NOT NULL,
    owner TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (api_root, id)
);
