//! Evidence items: registered together with their custody entries.

use futures_util::stream::{BoxStream, StreamExt};
use qorgau_core::{Id, Sha256Digest};
use qorgau_evidence::{EntryDraft, EventKind, ItemRecord, LedgerEntry, LedgerKey};
use sqlx::AnyConnection;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::media::{MediaHashRecord, insert_media_hashes};
use crate::rows::{CorruptRow, item_from_row, to_i64};

/// Which items to list.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    /// Only this case's items.
    pub case_id: Option<Id>,
    /// Only items with this content.
    pub sha256: Option<Sha256Digest>,
    /// Only the items of one acquisition (one `add` run or one capture).
    pub acquisition_id: Option<Id>,
}

const ITEM_COLUMNS: &str = "id, case_id, acquisition_id, sha256, md5, size, media_type, \
     source_root, original_path, relative_path, file_name, modified_at, accessed_at, changed_at, \
     born_at, acquired_at, acquired_at_local, acquired_by, acquired_host, tool_name, tool_version, \
     note, metadata";

async fn insert_item(conn: &mut AnyConnection, item: &ItemRecord) -> Result<(), StoreError> {
    let t = &item.file_times;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO items ({ITEM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"
    )))
    .bind(item.id.to_string())
    .bind(item.case_id.to_string())
    .bind(item.acquisition_id.to_string())
    .bind(item.sha256.to_hex())
    .bind(item.md5.to_hex())
    .bind(to_i64(item.size, "size")?)
    .bind(&item.media_type)
    .bind(&item.source_root)
    .bind(&item.original_path)
    .bind(&item.relative_path)
    .bind(&item.file_name)
    .bind(t.modified.map(|t| t.to_utc_string()))
    .bind(t.accessed.map(|t| t.to_utc_string()))
    .bind(t.changed.map(|t| t.to_utc_string()))
    .bind(t.created.map(|t| t.to_utc_string()))
    .bind(item.acquired_at.to_utc_string())
    .bind(&item.acquired_at_local)
    .bind(&item.acquired_by.user)
    .bind(&item.acquired_by.host)
    .bind(&item.tool.name)
    .bind(&item.tool.version)
    .bind(item.note.as_deref())
    .bind(item.metadata.as_deref())
    .execute(&mut *conn)
    .await
    .doing(format!(
        "registering item {} ({})",
        item.id, item.original_path
    ))?;
    Ok(())
}

impl Store {
    /// Registers items and their `acquired` custody entries in one
    /// transaction: after a crash either both exist or neither does.
    /// The blobs must already be in the blob store.
    pub async fn register_items(
        &self,
        items: &[ItemRecord],
        key: &LedgerKey,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        self.register_items_with_hashes(items, &[], key).await
    }

    /// [`Store::register_items`], with the perceptual hashes of the items'
    /// images written in the same transaction: an image item is never
    /// committed without the hashes acquisition computed for it, so
    /// `qorgau media similar` finds it as soon as `add` reports it.
    pub async fn register_items_with_hashes(
        &self,
        items: &[ItemRecord],
        hashes: &[MediaHashRecord],
        key: &LedgerKey,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let drafts: Vec<EntryDraft> = items
            .iter()
            .map(|item| {
                let mut draft = EntryDraft::now(
                    EventKind::Acquired,
                    item.acquired_by.clone(),
                    item.tool.clone(),
                );
                draft.at = item.acquired_at;
                draft.case_id = Some(item.case_id);
                draft.item_id = Some(item.id);
                draft.subject_digest = Some(item.record_digest());
                draft.details = serde_json::json!({
                    "path": item.original_path,
                    "sha256": item.sha256,
                    "md5": item.md5,
                    "size": item.size,
                })
                .to_string();
                draft
            })
            .collect();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        // Lock the chain first, so the transaction holds the write lock from
        // its first statement and concurrent writers wait instead of failing.
        let sealed = append_in(&mut tx, drafts, key).await?;
        insert_media_hashes(&mut tx, hashes).await?;
        for item in items {
            insert_item(&mut tx, item).await?;
        }
        tx.commit()
            .await
            .doing(format!("committing {} items", items.len()))?;
        Ok(sealed)
    }

    /// One item by id.
    pub async fn item(&self, id: Id) -> Result<Option<ItemRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLUMNS} FROM items WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing(format!("reading item {id}"))?;
        row.map(|r| item_from_row(&r).map_err(StoreError::from))
            .transpose()
    }

    /// Items matching `filter`, in acquisition order.
    pub async fn items(&self, filter: &ItemFilter) -> Result<Vec<ItemRecord>, StoreError> {
        let mut sql = format!("SELECT {ITEM_COLUMNS} FROM items WHERE 1 = 1");
        let mut binds = Vec::new();
        if let Some(case) = filter.case_id {
            binds.push(case.to_string());
            sql.push_str(&format!(" AND case_id = ${}", binds.len()));
        }
        if let Some(sha) = filter.sha256 {
            binds.push(sha.to_hex());
            sql.push_str(&format!(" AND sha256 = ${}", binds.len()));
        }
        if let Some(acquisition) = filter.acquisition_id {
            binds.push(acquisition.to_string());
            sql.push_str(&format!(" AND acquisition_id = ${}", binds.len()));
        }
        sql.push_str(" ORDER BY acquired_at, id");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in binds {
            query = query.bind(value);
        }
        let rows = query.fetch_all(&self.pool).await.doing("listing items")?;
        rows.iter()
            .map(|r| item_from_row(r).map_err(StoreError::from))
            .collect()
    }

    /// Every item (of one case, or all), streamed for verification; rows
    /// that do not decode come out as [`CorruptRow`]s.
    pub fn stream_items(
        &self,
        case_id: Option<Id>,
    ) -> BoxStream<'_, Result<Result<ItemRecord, CorruptRow>, StoreError>> {
        let query = match case_id {
            Some(case) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ITEM_COLUMNS} FROM items WHERE case_id = $1 ORDER BY id"
            )))
            .bind(case.to_string()),
            None => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ITEM_COLUMNS} FROM items ORDER BY id"
            ))),
        };
        query
            .fetch(&self.pool)
            .map(|row| row.map(|row| item_from_row(&row)).doing("reading items"))
            .boxed()
    }

    /// Number of items, per case or in all.
    pub async fn count_items(&self, case_id: Option<Id>) -> Result<u64, StoreError> {
        self.item_aggregate("COUNT(*)", case_id).await
    }

    /// Sum of item sizes, per case or in all: the work a verification or an
    /// export has ahead of it, for progress bars.
    pub async fn total_size(&self, case_id: Option<Id>) -> Result<u64, StoreError> {
        // SUM(BIGINT) is NUMERIC on PostgreSQL; cast back for both backends.
        self.item_aggregate("CAST(COALESCE(SUM(size), 0) AS BIGINT)", case_id)
            .await
    }

    async fn item_aggregate(&self, expr: &str, case_id: Option<Id>) -> Result<u64, StoreError> {
        let query = match case_id {
            Some(case) => sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT {expr} FROM items WHERE case_id = $1"
            )))
            .bind(case.to_string()),
            None => sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {expr} FROM items"))),
        };
        let value: i64 = query
            .fetch_one(&self.pool)
            .await
            .doing(format!("computing {expr} over items"))?;
        Ok(u64::try_from(value).unwrap_or(0))
    }
}
