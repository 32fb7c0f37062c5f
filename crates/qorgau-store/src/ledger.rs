//! The custody ledger: appending under the chain lock, and reading back.

use std::collections::BTreeMap;

use futures_util::stream::{BoxStream, StreamExt};
use qorgau_core::{Id, Sha256Digest, Timestamp};
use qorgau_evidence::custody::chain_name;
use qorgau_evidence::{EntryDraft, EventKind, LedgerEntry, LedgerKey};
use sqlx::{AnyConnection, Row};

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::{CorruptRow, entry_from_row, to_i64};

/// Which entries to read back.
#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    /// Only this case's chain.
    pub case_id: Option<Id>,
    /// Only entries at or after this instant.
    pub since: Option<Timestamp>,
    /// Only entries before this instant.
    pub until: Option<Timestamp>,
    /// Only these kinds (all when empty).
    pub kinds: Vec<EventKind>,
    /// Only entries about this item.
    pub item_id: Option<Id>,
}

const ENTRY_COLUMNS: &str = "chain, seq, at, kind, case_id, item_id, actor_user, actor_host, \
     tool_name, tool_version, subject_digest, details, prev_hash, key_id, entry_hash, signature";

/// Seals `drafts` onto their chains inside the caller's transaction.
///
/// Chains are locked in name order so that two writers never wait on each
/// other in opposite orders.
pub(crate) async fn append_in(
    conn: &mut AnyConnection,
    drafts: Vec<EntryDraft>,
    key: &LedgerKey,
) -> Result<Vec<LedgerEntry>, StoreError> {
    let mut by_chain: BTreeMap<String, Vec<EntryDraft>> = BTreeMap::new();
    for draft in drafts {
        by_chain.entry(draft.chain()).or_default().push(draft);
    }
    let zero = Sha256Digest::from_bytes([0; 32]).to_hex();
    let mut sealed = Vec::new();
    for (chain, drafts) in by_chain {
        // The first write of the transaction takes SQLite's write lock (and
        // waits for it under busy_timeout); on PostgreSQL it takes the row lock.
        sqlx::query(
            "INSERT INTO ledger_heads (chain, seq, entry_hash) VALUES ($1, 0, $2) \
             ON CONFLICT (chain) DO NOTHING",
        )
        .bind(&chain)
        .bind(&zero)
        .execute(&mut *conn)
        .await
        .doing(format!("creating the head of ledger chain {chain}"))?;
        let head = sqlx::query(
            "UPDATE ledger_heads SET seq = seq WHERE chain = $1 RETURNING seq, entry_hash",
        )
        .bind(&chain)
        .fetch_one(&mut *conn)
        .await
        .doing(format!("locking ledger chain {chain}"))?;
        let head_seq: i64 = head.try_get("seq").doing("reading the chain head")?;
        let head_hash: String = head.try_get("entry_hash").doing("reading the chain head")?;
        let mut seq = u64::try_from(head_seq).map_err(|_| StoreError::Corrupt {
            table: "ledger_heads",
            column: "seq",
            value: head_seq.to_string(),
            reason: "negative".into(),
        })?;
        let mut hash = Sha256Digest::parse(&head_hash).map_err(|e| StoreError::Corrupt {
            table: "ledger_heads",
            column: "entry_hash",
            value: head_hash.clone(),
            reason: e.to_string(),
        })?;
        for draft in drafts {
            let entry = draft.seal(seq, hash, key);
            insert_entry(conn, &entry).await?;
            seq = entry.seq;
            hash = entry.entry_hash;
            sealed.push(entry);
        }
        sqlx::query("UPDATE ledger_heads SET seq = $2, entry_hash = $3 WHERE chain = $1")
            .bind(&chain)
            .bind(to_i64(seq, "seq")?)
            .bind(hash.to_hex())
            .execute(&mut *conn)
            .await
            .doing(format!("advancing ledger chain {chain}"))?;
    }
    Ok(sealed)
}

async fn insert_entry(conn: &mut AnyConnection, e: &LedgerEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO ledger (chain, seq, at, kind, case_id, item_id, actor_user, actor_host, \
         tool_name, tool_version, subject_digest, details, prev_hash, key_id, entry_hash, signature) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&e.chain)
    .bind(to_i64(e.seq, "seq")?)
    .bind(e.at.to_utc_string())
    .bind(e.kind.as_str())
    .bind(e.case_id.map(|id| id.to_string()))
    .bind(e.item_id.map(|id| id.to_string()))
    .bind(&e.actor.user)
    .bind(&e.actor.host)
    .bind(&e.tool.name)
    .bind(&e.tool.version)
    .bind(e.subject_digest.map(|d| d.to_hex()))
    .bind(&e.details)
    .bind(e.prev_hash.to_hex())
    .bind(&e.key_id.0)
    .bind(e.entry_hash.to_hex())
    .bind(hex::encode(e.signature))
    .execute(&mut *conn)
    .await
    .doing(format!("writing ledger entry {}#{}", e.chain, e.seq))?;
    Ok(())
}

impl Store {
    /// Appends entries (to one or more chains) in one transaction and returns them sealed.
    pub async fn append(
        &self,
        drafts: Vec<EntryDraft>,
        key: &LedgerKey,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let sealed = append_in(&mut tx, drafts, key).await?;
        tx.commit().await.doing("committing ledger entries")?;
        Ok(sealed)
    }

    /// Entries matching `filter`, ordered by time then chain position.
    pub async fn ledger(&self, filter: &LedgerFilter) -> Result<Vec<LedgerEntry>, StoreError> {
        let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM ledger WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        let mut push = |sql: &mut String, clause: &str, value: String| {
            binds.push(value);
            sql.push_str(&clause.replace("?", &format!("${}", binds.len())));
        };
        if let Some(case) = filter.case_id {
            push(&mut sql, " AND chain = ?", chain_name(Some(case)));
        }
        if let Some(item) = filter.item_id {
            push(&mut sql, " AND item_id = ?", item.to_string());
        }
        if let Some(since) = filter.since {
            push(&mut sql, " AND at >= ?", since.to_utc_string());
        }
        if let Some(until) = filter.until {
            push(&mut sql, " AND at < ?", until.to_utc_string());
        }
        if !filter.kinds.is_empty() {
            let mut list = Vec::new();
            for kind in &filter.kinds {
                binds.push(kind.as_str().to_owned());
                list.push(format!("${}", binds.len()));
            }
            sql.push_str(&format!(" AND kind IN ({})", list.join(", ")));
        }
        sql.push_str(" ORDER BY at, chain, seq");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in binds {
            query = query.bind(value);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .doing("reading the custody ledger")?;
        rows.iter()
            .map(|row| entry_from_row(row).map_err(StoreError::from))
            .collect()
    }

    /// Every entry, chain by chain in position order, streamed so that
    /// verification of a large ledger runs in constant memory. Rows that do
    /// not decode come out as [`CorruptRow`]s.
    pub fn stream_ledger(
        &self,
        chain: Option<String>,
    ) -> BoxStream<'_, Result<Result<LedgerEntry, CorruptRow>, StoreError>> {
        let query = match chain {
            Some(chain) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ENTRY_COLUMNS} FROM ledger WHERE chain = $1 ORDER BY chain, seq"
            )))
            .bind(chain),
            None => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ENTRY_COLUMNS} FROM ledger ORDER BY chain, seq"
            ))),
        };
        query
            .fetch(&self.pool)
            .map(|row| {
                row.map(|row| entry_from_row(&row))
                    .doing("reading the custody ledger")
            })
            .boxed()
    }

    /// The names of all chains with their head (seq, hash) as the heads table records them.
    pub async fn chain_heads(&self) -> Result<Vec<(String, u64, String)>, StoreError> {
        let rows = sqlx::query("SELECT chain, seq, entry_hash FROM ledger_heads ORDER BY chain")
            .fetch_all(&self.pool)
            .await
            .doing("reading ledger chain heads")?;
        rows.iter()
            .map(|row| {
                let chain: String = row.try_get("chain").doing("reading chain heads")?;
                let seq: i64 = row.try_get("seq").doing("reading chain heads")?;
                let hash: String = row.try_get("entry_hash").doing("reading chain heads")?;
                Ok((chain, u64::try_from(seq).unwrap_or(0), hash))
            })
            .collect()
    }
}
