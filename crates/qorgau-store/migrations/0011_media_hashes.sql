-- Image reuse (issue 8): perceptual hashes of the images in the vault.
--
-- Same portable subset as 0001. A perceptual hash is a function of the
-- content, so it is kept once per blob (SHA-256), not per item: the same
-- photo acquired into three cases is hashed and indexed once, and its items
-- are found through items_by_sha256. `algorithm` names the hashing version
-- (`qorgau_media::phash::ALGORITHM`); hashes of different versions are never
-- compared, and a new version adds rows beside the old ones.
--
-- The 64-bit hashes are BIGINT holding the same 64 bits as a signed integer
-- (two's complement: hashes with the top bit set are negative): 8 bytes on
-- both engines, read back bit for bit, and no unsigned type is needed
-- (PostgreSQL has none). They are NULL when the image could not be hashed
-- (not decodable, over the pixel limit); `error` then says why, so that
-- `qorgau media index` does not try the same blob again.
--
-- The rows are derived data: anyone can recompute them from the blob, so
-- they are neither in the custody ledger nor append-only. For an acquired
-- item they are written in the same transaction as the item.

CREATE TABLE media_hashes (
    sha256 TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    phash BIGINT,
    dhash BIGINT,
    width BIGINT,
    height BIGINT,
    error TEXT,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (sha256, algorithm)
);
