//! Content marked as suspected child sexual abuse material, and the hash
//! lists that mark it (migration 0016).
//!
//! A mark is per content (SHA-256), so that every item with the same bytes
//! is covered, including items acquired after the mark. Marks and clears
//! are rows appended in order; the state of a content is its latest row.
//! Each change is written in one transaction with its ledger entries (one
//! per item with that content), so the custody record and the state never
//! disagree. Whether a person may mark, clear or view is the server's
//! business; this module keeps the record.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use qorgau_core::{Id, Sha256Digest, Timestamp};
use qorgau_evidence::{EntryDraft, ItemRecord, LedgerEntry, LedgerKey};

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::Reader;

/// Whether a row restricts its content or releases it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionAction {
    /// From now on shown blurred, only to those allowed, exports authorised.
    Mark,
    /// A mark found to be wrong, released with a reason.
    Clear,
}

impl RestrictionAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionAction::Mark => "mark",
            RestrictionAction::Clear => "clear",
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        match text {
            "mark" => Ok(RestrictionAction::Mark),
            "clear" => Ok(RestrictionAction::Clear),
            other => Err(format!("{other:?} is not mark or clear")),
        }
    }
}

/// Who or what decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionBasis {
    /// A person who saw the content.
    Person,
    /// A hash list of the competent authority matched it.
    HashList,
}

impl RestrictionBasis {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionBasis::Person => "person",
            RestrictionBasis::HashList => "hash_list",
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        match text {
            "person" => Ok(RestrictionBasis::Person),
            "hash_list" => Ok(RestrictionBasis::HashList),
            other => Err(format!("{other:?} is not person or hash_list")),
        }
    }
}

/// One mark or clear as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RestrictionRecord {
    /// Its id.
    pub id: Id,
    /// Its place among all rows; the latest per content is in force.
    pub seq: i64,
    /// The content.
    pub sha256: Sha256Digest,
    /// Mark or clear.
    pub action: RestrictionAction,
    /// A person, or a hash list.
    pub basis: RestrictionBasis,
    /// The list that matched, for a list's mark.
    pub list_id: Option<Id>,
    /// Which hash matched (`md5`, `sha256`, or a perceptual hash).
    pub matched_on: Option<String>,
    /// The Hamming distance of a perceptual match.
    pub distance: Option<u32>,
    /// Why, in the person's words or the list's name.
    pub reason: String,
    /// When.
    pub at: Timestamp,
    /// Who (for a list's mark, whoever imported the list or acquired the
    /// item).
    pub by_user: String,
}

/// A mark or clear to record.
#[derive(Debug, Clone)]
pub struct NewRestriction<'a> {
    /// The content.
    pub sha256: Sha256Digest,
    /// Mark or clear.
    pub action: RestrictionAction,
    /// A person or a list.
    pub basis: RestrictionBasis,
    /// The list, for a list's mark.
    pub list_id: Option<Id>,
    /// Which hash matched.
    pub matched_on: Option<&'a str>,
    /// Distance of a perceptual match.
    pub distance: Option<u32>,
    /// Why.
    pub reason: &'a str,
    /// Who.
    pub by_user: &'a str,
}

/// A hash list as imported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HashListRecord {
    /// Its id.
    pub id: Id,
    /// Its name as given at import.
    pub name: String,
    /// The authority that supplied it.
    pub supplier: String,
    /// SHA-256 of the file received.
    pub file_sha256: String,
    /// Entries kept.
    pub entries: u64,
    /// Hamming distance within which its perceptual entries match.
    pub max_distance: u32,
    /// When imported.
    pub imported_at: Timestamp,
    /// Who imported it.
    pub imported_by: String,
}

/// A hash list to save.
#[derive(Debug, Clone)]
pub struct NewHashList<'a> {
    /// Name.
    pub name: &'a str,
    /// Supplier.
    pub supplier: &'a str,
    /// SHA-256 of the file.
    pub file_sha256: &'a str,
    /// Perceptual match distance.
    pub max_distance: u32,
    /// Who.
    pub imported_by: &'a str,
    /// `(algorithm, value)` pairs, de-duplicated by the caller or not.
    pub entries: &'a [(String, String)],
}

/// A content whose MD5 or SHA-256 is on a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactListMatch {
    /// The content.
    pub sha256: Sha256Digest,
    /// The list.
    pub list_id: Id,
    /// The list's name.
    pub list_name: String,
    /// `md5` or `sha256`.
    pub algorithm: String,
}

/// A perceptual entry of a list, for the index that matches images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerceptualListEntry {
    /// The list.
    pub list_id: Id,
    /// The list's name.
    pub list_name: String,
    /// Full algorithm name (`<hashing version>:phash` or `:dhash`).
    pub algorithm: String,
    /// The 64 bits.
    pub value: u64,
    /// The list's match distance.
    pub max_distance: u32,
}

const MARK_COLUMNS: &str =
    "id, seq, sha256, action, basis, list_id, matched_on, distance, reason, at, by_user";

fn mark_of(row: &sqlx::any::AnyRow) -> Result<RestrictionRecord, crate::rows::CorruptRow> {
    let r = Reader::new(row, "restricted_marks", "id");
    Ok(RestrictionRecord {
        id: r.parse("id", Id::parse)?,
        seq: r.int("seq")?,
        sha256: r.parse("sha256", Sha256Digest::parse)?,
        action: r.parse("action", RestrictionAction::parse)?,
        basis: r.parse("basis", RestrictionBasis::parse)?,
        list_id: r.parse_opt("list_id", Id::parse)?,
        matched_on: r.opt_text("matched_on")?,
        distance: r
            .opt_int("distance")?
            .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
        reason: r.text("reason")?,
        at: r.parse("at", Timestamp::parse)?,
        by_user: r.text("by_user")?,
    })
}

fn list_of(row: &sqlx::any::AnyRow) -> Result<HashListRecord, crate::rows::CorruptRow> {
    let r = Reader::new(row, "hash_lists", "id");
    Ok(HashListRecord {
        id: r.parse("id", Id::parse)?,
        name: r.text("name")?,
        supplier: r.text("supplier")?,
        file_sha256: r.text("file_sha256")?,
        entries: u64::try_from(r.int("entries")?).unwrap_or(0),
        max_distance: u32::try_from(r.int("max_distance")?).unwrap_or(0),
        imported_at: r.parse("imported_at", Timestamp::parse)?,
        imported_by: r.text("imported_by")?,
    })
}

impl Store {
    /// Records a mark or clear of one content together with `drafts` (the
    /// ledger entries of its items), in one transaction. A mark of content
    /// already marked, or a clear of content not marked, records nothing
    /// and returns `None`: the state is the same and the ledger should not
    /// say otherwise.
    pub async fn record_restriction(
        &self,
        new: &NewRestriction<'_>,
        drafts: Vec<EntryDraft>,
        key: &LedgerKey,
    ) -> Result<Option<(RestrictionRecord, Vec<LedgerEntry>)>, StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        // Two marks of one content at the same moment can both pass this
        // check; the second then repeats a state already in force, which
        // changes nothing that is read (the latest row decides).
        let latest = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MARK_COLUMNS} FROM restricted_marks WHERE sha256 = $1 ORDER BY seq DESC LIMIT 1"
        )))
        .bind(new.sha256.to_hex())
        .fetch_optional(&mut *tx)
        .await
        .doing("reading the restriction of a content")?;
        let marked = match &latest {
            Some(row) => mark_of(row)?.action == RestrictionAction::Mark,
            None => false,
        };
        if marked == (new.action == RestrictionAction::Mark) {
            return Ok(None);
        }
        let id = Id::new();
        let at = Timestamp::now();
        let done = sqlx::query(
            "INSERT INTO restricted_marks \
             (id, seq, sha256, action, basis, list_id, matched_on, distance, reason, at, by_user) \
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10 \
             FROM restricted_marks WHERE true ON CONFLICT DO NOTHING",
        )
        .bind(id.to_string())
        .bind(new.sha256.to_hex())
        .bind(new.action.as_str())
        .bind(new.basis.as_str())
        .bind(new.list_id.map(|i| i.to_string()))
        .bind(new.matched_on)
        .bind(new.distance.map(i64::from))
        .bind(new.reason)
        .bind(at.to_utc_string())
        .bind(new.by_user)
        .execute(&mut *tx)
        .await
        .doing("recording a restriction")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "another restriction was recorded at the same moment: try again".into(),
            ));
        }
        let entries = append_in(&mut tx, drafts, key).await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MARK_COLUMNS} FROM restricted_marks WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await
        .doing("reading a restriction back")?;
        let record = mark_of(&row)?;
        tx.commit().await.doing("committing a restriction")?;
        Ok(Some((record, entries)))
    }

    /// The marks in force among `contents`: content → its mark. Contents
    /// never marked, or cleared since, are absent.
    pub async fn restrictions_of(
        &self,
        contents: &[Sha256Digest],
    ) -> Result<BTreeMap<Sha256Digest, RestrictionRecord>, StoreError> {
        let mut out = BTreeMap::new();
        // In chunks: a case with thousands of items must not build one
        // statement over the engines' bind limits.
        for chunk in contents.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT {MARK_COLUMNS} FROM restricted_marks WHERE sha256 IN ({}) ORDER BY seq",
                placeholders.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(c.to_hex());
            }
            let rows = q
                .fetch_all(&self.pool)
                .await
                .doing("reading restrictions")?;
            for row in &rows {
                let m = mark_of(row)?;
                match m.action {
                    RestrictionAction::Mark => {
                        out.insert(m.sha256, m);
                    }
                    RestrictionAction::Clear => {
                        out.remove(&m.sha256);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every mark and clear of one content, oldest first.
    pub async fn restriction_history(
        &self,
        content: &Sha256Digest,
    ) -> Result<Vec<RestrictionRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MARK_COLUMNS} FROM restricted_marks WHERE sha256 = $1 ORDER BY seq"
        )))
        .bind(content.to_hex())
        .fetch_all(&self.pool)
        .await
        .doing("reading the history of a restriction")?;
        rows.iter()
            .map(|r| mark_of(r).map_err(StoreError::from))
            .collect()
    }

    /// The items of `case` whose content is marked now, with their marks.
    pub async fn restricted_items(
        &self,
        case: Id,
    ) -> Result<Vec<(ItemRecord, RestrictionRecord)>, StoreError> {
        let items = self
            .items(&crate::ItemFilter {
                case_id: Some(case),
                ..crate::ItemFilter::default()
            })
            .await?;
        let contents: Vec<Sha256Digest> = items.iter().map(|i| i.sha256).collect();
        let marks = self.restrictions_of(&contents).await?;
        Ok(items
            .into_iter()
            .filter_map(|i| marks.get(&i.sha256).cloned().map(|m| (i, m)))
            .collect())
    }

    /// Every item, in any case, with this content: the items a mark of it
    /// covers.
    pub async fn items_with_content(
        &self,
        content: &Sha256Digest,
    ) -> Result<Vec<ItemRecord>, StoreError> {
        self.items(&crate::ItemFilter {
            sha256: Some(*content),
            ..crate::ItemFilter::default()
        })
        .await
    }

    /// Saves an imported hash list with its entries, in one transaction.
    pub async fn save_hash_list(
        &self,
        new: &NewHashList<'_>,
    ) -> Result<HashListRecord, StoreError> {
        let id = Id::new();
        let mut unique: Vec<&(String, String)> = new.entries.iter().collect();
        unique.sort();
        unique.dedup();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(
            "INSERT INTO hash_lists \
             (id, name, supplier, file_sha256, entries, max_distance, imported_at, imported_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.to_string())
        .bind(new.name)
        .bind(new.supplier)
        .bind(new.file_sha256)
        .bind(i64::try_from(unique.len()).unwrap_or(i64::MAX))
        .bind(i64::from(new.max_distance))
        .bind(Timestamp::now().to_utc_string())
        .bind(new.imported_by)
        .execute(&mut *tx)
        .await
        .doing("saving a hash list")?;
        for chunk in unique.chunks(300) {
            let mut sql =
                String::from("INSERT INTO hash_list_entries (list_id, algorithm, value) VALUES ");
            let mut parts = Vec::with_capacity(chunk.len());
            for n in 0..chunk.len() {
                parts.push(format!("($1, ${}, ${})", 2 + 2 * n, 3 + 2 * n));
            }
            sql.push_str(&parts.join(", "));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string());
            for (algorithm, value) in chunk {
                q = q.bind(algorithm.as_str()).bind(value.as_str());
            }
            q.execute(&mut *tx)
                .await
                .doing("saving the entries of a hash list")?;
        }
        tx.commit().await.doing("committing a hash list")?;
        self.hash_list(id).await?.ok_or_else(|| {
            StoreError::Conflict(format!("hash list {id} was saved but cannot be read back"))
        })
    }

    /// One hash list.
    pub async fn hash_list(&self, id: Id) -> Result<Option<HashListRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, supplier, file_sha256, entries, max_distance, imported_at, \
             imported_by FROM hash_lists WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a hash list")?;
        row.as_ref()
            .map(|r| list_of(r).map_err(StoreError::from))
            .transpose()
    }

    /// Every hash list, oldest first.
    pub async fn hash_lists(&self) -> Result<Vec<HashListRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, supplier, file_sha256, entries, max_distance, imported_at, \
             imported_by FROM hash_lists ORDER BY imported_at, id",
        )
        .fetch_all(&self.pool)
        .await
        .doing("reading the hash lists")?;
        rows.iter()
            .map(|r| list_of(r).map_err(StoreError::from))
            .collect()
    }

    /// Contents in the vault whose MD5 or SHA-256 is on a list; only the
    /// given list, or every list.
    pub async fn exact_list_matches(
        &self,
        list: Option<Id>,
        contents: Option<&[Sha256Digest]>,
    ) -> Result<Vec<ExactListMatch>, StoreError> {
        let mut sql = String::from(
            "SELECT DISTINCT i.sha256, l.id AS list_id, l.name, e.algorithm \
             FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id \
             JOIN items i ON (e.algorithm = 'sha256' AND i.sha256 = e.value) \
                          OR (e.algorithm = 'md5' AND i.md5 = e.value) WHERE 1 = 1",
        );
        let mut binds: Vec<String> = Vec::new();
        if let Some(l) = list {
            binds.push(l.to_string());
            sql.push_str(&format!(" AND l.id = ${}", binds.len()));
        }
        if let Some(c) = contents {
            if c.is_empty() {
                return Ok(Vec::new());
            }
            let mut parts = Vec::with_capacity(c.len());
            for d in c {
                binds.push(d.to_hex());
                parts.push(format!("${}", binds.len()));
            }
            sql.push_str(&format!(" AND i.sha256 IN ({})", parts.join(", ")));
        }
        sql.push_str(" ORDER BY i.sha256, l.id");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q
            .fetch_all(&self.pool)
            .await
            .doing("matching the vault against hash lists")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "hash_list_entries", "list_id");
                Ok(ExactListMatch {
                    sha256: r.parse("sha256", Sha256Digest::parse)?,
                    list_id: r.parse("list_id", Id::parse)?,
                    list_name: r.text("name")?,
                    algorithm: r.text("algorithm")?,
                })
            })
            .collect::<Result<_, crate::rows::CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// The lists whose MD5 or SHA-256 entries name these bytes, as
    /// `(list id, list name, algorithm)`: for content that is not an item
    /// (a picture a monitoring run fetched and did not keep).
    pub async fn lists_naming(
        &self,
        sha256: &Sha256Digest,
        md5: &qorgau_core::Md5Digest,
    ) -> Result<Vec<(Id, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT l.id AS list_id, l.name, e.algorithm \
             FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id \
             WHERE (e.algorithm = 'sha256' AND e.value = $1) \
                OR (e.algorithm = 'md5' AND e.value = $2) ORDER BY l.name",
        )
        .bind(sha256.to_hex())
        .bind(md5.to_hex())
        .fetch_all(&self.pool)
        .await
        .doing("matching content against the hash lists")?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let r = Reader::new(row, "hash_list_entries", "list_id");
            out.push((
                r.parse("list_id", Id::parse)?,
                r.text("name")?,
                r.text("algorithm")?,
            ));
        }
        Ok(out)
    }

    /// The perceptual entries of every list (or one), for matching images.
    pub async fn perceptual_list_entries(
        &self,
        list: Option<Id>,
    ) -> Result<Vec<PerceptualListEntry>, StoreError> {
        let mut sql = String::from(
            "SELECT e.list_id, l.name, e.algorithm, e.value, l.max_distance \
             FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id \
             WHERE e.algorithm NOT IN ('md5', 'sha256')",
        );
        if list.is_some() {
            sql.push_str(" AND l.id = $1");
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(l) = list {
            q = q.bind(l.to_string());
        }
        let mut rows = q.fetch(&self.pool);
        let mut out = Vec::new();
        while let Some(row) = rows
            .try_next()
            .await
            .doing("reading the perceptual entries of hash lists")?
        {
            let r = Reader::new(&row, "hash_list_entries", "list_id");
            out.push(PerceptualListEntry {
                list_id: r.parse("list_id", Id::parse)?,
                list_name: r.text("name")?,
                algorithm: r.text("algorithm")?,
                value: r.parse("value", |t: &str| u64::from_str_radix(t, 16))?,
                max_distance: u32::try_from(r.int("max_distance")?).unwrap_or(0),
            });
        }
        Ok(out)
    }
}
