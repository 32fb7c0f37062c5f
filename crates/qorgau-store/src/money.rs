//! Imports of transfers, the accounts they name, and the transfers
//! themselves (migration 0008). The domain (`qorgau-money`) reads the files
//! and finds the flags; this keeps what was read, once per scope.

use std::collections::{HashMap, HashSet};

use qorgau_core::{Id, Timestamp};
use qorgau_evidence::EventKind;
use qorgau_money::labels::Label;
use qorgau_money::{AccountRef, Amount, BtcTx, SourceFormat, Transfer, chain_name};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use crate::casework::{ChangeBy, touch_in};
use crate::connect::{Backend, Store};
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

/// An import as it starts: which file, into which case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyImport {
    /// Id.
    pub id: Id,
    /// The case, if any.
    pub case_id: Option<Id>,
    /// `tron-csv`, `erc20-csv`, `bank-csv`.
    pub format: String,
    /// The file's name as given.
    pub file_name: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// MD5 of the file, hex.
    pub md5: String,
    /// Size in bytes.
    pub size: u64,
    /// Who ran it.
    pub imported_by: String,
}

fn scope_of(case_id: Option<Id>) -> String {
    case_id.map_or_else(|| "-".to_owned(), |c| c.to_string())
}

impl Store {
    /// Records that an import starts (its counts are set when it ends).
    pub async fn begin_money_import(&self, import: &MoneyImport) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO money_imports (id, case_id, format, file_name, sha256, md5, size, \
             rows_read, rows_new, row_errors, started_at, imported_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, 0, $8, $9)",
        )
        .bind(import.id.to_string())
        .bind(import.case_id.map(|c| c.to_string()))
        .bind(&import.format)
        .bind(&import.file_name)
        .bind(&import.sha256)
        .bind(&import.md5)
        .bind(i64::try_from(import.size).unwrap_or(i64::MAX))
        .bind(Timestamp::now().to_utc_string())
        .bind(&import.imported_by)
        .execute(&self.pool)
        .await
        .doing("recording a money import")?;
        Ok(())
    }

    /// Stores a batch of transfers of an import in one transaction (their
    /// accounts first); transfers already kept in the scope are skipped.
    /// Returns how many were new.
    pub async fn add_transfers(
        &self,
        import_id: Id,
        case_id: Option<Id>,
        transfers: &[Transfer],
    ) -> Result<u64, StoreError> {
        self.add_transfers_linked(import_id, case_id, transfers, &mut HashSet::new())
            .await
    }

    /// [`Store::add_transfers`] for an import made of many batches:
    /// `linked` holds the keys of the accounts this import has already
    /// linked, so each is written once per import rather than once per
    /// batch. Transfers go in statements of many rows: one round trip and
    /// one statement per 64 transfers, not per transfer.
    pub async fn add_transfers_linked(
        &self,
        import_id: Id,
        case_id: Option<Id>,
        transfers: &[Transfer],
        linked: &mut HashSet<String>,
    ) -> Result<u64, StoreError> {
        // 13 values a row: 256 rows stay far below both engines' limits on
        // bound values (SQLite 32,766, PostgreSQL 65,535).
        const ROWS: usize = 256;
        let scope = scope_of(case_id);
        let now = Timestamp::now().to_utc_string();
        let import = import_id.to_string();
        let case = case_id.map(|c| c.to_string());
        // The set is a cache: linking again is harmless, so it is simply
        // emptied when it grows large.
        if linked.len() > 2_000_000 {
            linked.clear();
        }
        let mut fresh: Vec<&AccountRef> = Vec::new();
        for t in transfers {
            for account in [&t.from, &t.to] {
                let key = account.key();
                if !linked.contains(&key) {
                    fresh.push(account);
                    linked.insert(key);
                }
            }
        }
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        link_accounts(&mut tx, &fresh, "import", &import, case_id, None, &now).await?;
        // Rows go in key order (scope, second, dedup key), so that a batch
        // writes the pages of the key's B-tree one after another.
        let mut rows: Vec<(String, String, &Transfer)> = transfers
            .iter()
            .map(|t| {
                let at = t.time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
                (at, t.dedup_key(), t)
            })
            .collect();
        rows.sort_unstable_by(|a, b| a.0[..19].cmp(&b.0[..19]).then_with(|| a.1.cmp(&b.1)));
        let mut new = 0;
        for chunk in rows.chunks(ROWS) {
            let sql = multi_row_insert(
                self.backend(),
                "INSERT INTO money_transfers (scope, dedup_key, import_id, case_id, tx_id, at, \
                 at_second, from_key, to_key, amount, asset, source, line) VALUES ",
                13,
                chunk.len(),
                " ON CONFLICT (scope, at_second, dedup_key) DO NOTHING",
            );
            // Only placeholders are built here; every value is bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (at, key, t) in chunk {
                query = query
                    .bind(scope.clone())
                    .bind(key.clone())
                    .bind(import.clone())
                    .bind(case.clone())
                    .bind(t.tx_id.clone())
                    .bind(at.clone())
                    .bind(at[..19].to_owned())
                    .bind(t.from.key())
                    .bind(t.to.key())
                    .bind(t.amount.to_string())
                    .bind(t.asset.clone())
                    .bind(t.source.as_str())
                    .bind(i64::try_from(t.line).unwrap_or(i64::MAX));
            }
            let done = query.execute(&mut *tx).await.doing("storing transfers")?;
            new += done.rows_affected();
        }
        tx.commit().await.doing("committing transfers")?;
        Ok(new)
    }

    /// Records an import's counts when it ends.
    pub async fn finish_money_import(
        &self,
        id: Id,
        rows_read: u64,
        rows_new: u64,
        row_errors: u64,
    ) -> Result<(), StoreError> {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE money_imports SET rows_read = $1, rows_new = $2, row_errors = $3, \
             finished_at = $4 WHERE id = $5",
        )
        .bind(n(rows_read))
        .bind(n(rows_new))
        .bind(n(row_errors))
        .bind(Timestamp::now().to_utc_string())
        .bind(id.to_string())
        .execute(&self.pool)
        .await
        .doing("finishing a money import")?;
        Ok(())
    }

    /// The transfers of a case (or of no case), in time order, with their
    /// dedup keys.
    pub async fn transfers(
        &self,
        case_id: Option<Id>,
    ) -> Result<Vec<(String, Transfer)>, StoreError> {
        let rows = sqlx::query(
            "SELECT dedup_key, tx_id, at, from_key, to_key, amount, asset, source, line \
             FROM money_transfers WHERE scope = $1",
        )
        .bind(scope_of(case_id))
        .fetch_all(&self.pool)
        .await
        .doing("reading transfers")?;
        let mut transfers = rows
            .iter()
            .map(transfer_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        // Sorted here rather than by the database: the table has no index
        // on time (migration 0010), and one sort of what is read anyway is
        // cheaper than an index every imported row would have to update.
        transfers.sort_unstable_by(|(ka, a), (kb, b)| a.time.cmp(&b.time).then_with(|| ka.cmp(kb)));
        Ok(transfers)
    }
}

/// An account kept by its key (`AccountRef::key`) in `column`.
fn account_at(r: &Reader<'_>, column: &'static str) -> Result<AccountRef, CorruptRow> {
    r.parse(column, |t| {
        AccountRef::from_key(t).ok_or_else(|| "not an account key".to_owned())
    })
}

fn transfer_from_row(row: &AnyRow) -> Result<(String, Transfer), CorruptRow> {
    let r = Reader::new(row, "money_transfers", "dedup_key");
    let account = |column: &'static str| account_at(&r, column);
    let line = r.int("line")?;
    Ok((
        r.text("dedup_key")?,
        Transfer {
            tx_id: r.opt_text("tx_id")?,
            time: r.parse("at", |t| {
                chrono::DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&chrono::Utc))
            })?,
            from: account("from_key")?,
            to: account("to_key")?,
            amount: r.parse("amount", Amount::parse)?,
            asset: r.text("asset")?,
            source: r.parse("source", |t| {
                SourceFormat::parse(t).ok_or_else(|| "unknown source".to_owned())
            })?,
            line: r.parse_int("line", line, u64::try_from)?,
        },
    ))
}

/// A label list as it is imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelList {
    /// Id.
    pub id: Id,
    /// Name the analyst gave it (`OFAC SDN crypto`, `mixers`).
    pub name: String,
    /// `address-list` or `tagpack`.
    pub format: String,
    /// File name as given.
    pub file_name: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// MD5 of the file, hex.
    pub md5: String,
    /// Who imported it.
    pub imported_by: String,
}

/// A kept label list with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelListRow {
    /// The list.
    pub list: LabelList,
    /// Entries kept.
    pub entries: u64,
    /// When (UTC).
    pub imported_at: String,
}

/// Where an account was seen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountLink {
    /// `document`, `case`, `import` or `manual`.
    pub kind: String,
    /// The document, case, import id (or the person, for `manual`).
    pub id: String,
    /// The case it belongs to, if any.
    pub case_id: Option<String>,
    /// A note (the document's URL or title; the reason given by hand).
    pub note: Option<String>,
    /// When first seen (UTC).
    pub first_seen: String,
}

impl AccountLink {
    /// When the link was first seen, as a time (`None` when the stored text
    /// is not RFC 3339, which the store never writes): what the red flags
    /// of a case read for accounts it holds without a transfer.
    pub fn first_seen_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::DateTime::parse_from_rfc3339(&self.first_seen)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    }
}

/// Adds the account (if new) and a link to where it was seen, in `tx`;
/// true when the link is new.
pub(crate) async fn link_account(
    tx: &mut sqlx::AnyConnection,
    account: &AccountRef,
    kind: &str,
    link_id: &str,
    case_id: Option<Id>,
    note: Option<&str>,
    now: &str,
) -> Result<bool, StoreError> {
    let new = link_accounts(tx, &[account], kind, link_id, case_id, note, now).await?;
    Ok(new > 0)
}

/// SQL for a statement that inserts `rows` rows of `columns` values each:
/// `head`, the rows' placeholders, then `tail`. SQLite gets anonymous `?`
/// placeholders because it looks each named one (`$N`) up by a linear scan,
/// which made binding a statement of thousands of values quadratic;
/// PostgreSQL only understands `$N`.
pub(crate) fn multi_row_insert(
    backend: Backend,
    head: &str,
    columns: usize,
    rows: usize,
    tail: &str,
) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * columns * 6);
    sql.push_str(head);
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push(',');
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * columns + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// Adds the accounts (those new) and a link of each to where they were
/// seen, in `tx`; returns how many links are new. Accounts and links go in
/// statements of many rows, two statements per few hundred accounts rather
/// than two per account — an import of a chain export names hundreds of
/// thousands of wallets.
pub(crate) async fn link_accounts(
    tx: &mut sqlx::AnyConnection,
    accounts: &[&AccountRef],
    kind: &str,
    link_id: &str,
    case_id: Option<Id>,
    note: Option<&str>,
    now: &str,
) -> Result<u64, StoreError> {
    const ROWS: usize = 512;
    let backend = Backend::of_connection(tx);
    let case = case_id.map(|c| c.to_string());
    let note = note.map(str::to_owned);
    let mut new = 0;
    for chunk in accounts.chunks(ROWS) {
        let sql = multi_row_insert(
            backend,
            "INSERT INTO money_accounts (key, kind, chain, value, first_seen) VALUES ",
            5,
            chunk.len(),
            " ON CONFLICT (key) DO NOTHING",
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for account in chunk {
            query = query
                .bind(account.key())
                .bind(account.kind.as_str())
                .bind(account.chain.map(|c| chain_name(c).to_owned()))
                .bind(account.value.clone())
                .bind(now.to_owned());
        }
        query.execute(&mut *tx).await.doing("storing accounts")?;
        let sql = multi_row_insert(
            backend,
            "INSERT INTO money_account_links (account_key, link_kind, link_id, case_id, note, \
             first_seen) VALUES ",
            6,
            chunk.len(),
            " ON CONFLICT (account_key, link_kind, link_id) DO NOTHING",
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for account in chunk {
            query = query
                .bind(account.key())
                .bind(kind.to_owned())
                .bind(link_id.to_owned())
                .bind(case.clone())
                .bind(note.clone())
                .bind(now.to_owned());
        }
        let done = query.execute(&mut *tx).await.doing("linking accounts")?;
        new += done.rows_affected();
    }
    Ok(new)
}

/// The accounts among what the detection engine found in a document
/// (its `assessment`, a `qorgau scan` record): cards, IBANs and wallets.
pub(crate) fn accounts_in_assessment(assessment: &str) -> Vec<AccountRef> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(assessment) else {
        return Vec::new();
    };
    let Some(list) = value.get("identifiers").and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    let mut out: Vec<AccountRef> = list
        .iter()
        .filter_map(|i| {
            let kind = i.get("kind")?.as_str()?;
            let text = i.get("value")?.as_str()?;
            AccountRef::from_identifier(kind, text)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Store {
    /// Stores a batch of Bitcoin transactions of an import (those already
    /// kept in the scope are skipped); returns how many were new.
    pub async fn add_btc_txs(
        &self,
        import_id: Id,
        case_id: Option<Id>,
        txs: &[BtcTx],
    ) -> Result<u64, StoreError> {
        let scope = scope_of(case_id);
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let mut new = 0;
        for t in txs {
            let body = serde_json::to_string(t).map_err(|e| StoreError::Conflict(e.to_string()))?;
            let done = sqlx::query(
                "INSERT INTO money_btc_txs (scope, txid, import_id, case_id, at, body) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, txid) DO NOTHING",
            )
            .bind(&scope)
            .bind(&t.txid)
            .bind(import_id.to_string())
            .bind(case_id.map(|c| c.to_string()))
            .bind(t.time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
            .bind(body)
            .execute(&mut *tx)
            .await
            .doing("storing a Bitcoin transaction")?;
            new += done.rows_affected();
        }
        tx.commit().await.doing("committing Bitcoin transactions")?;
        Ok(new)
    }

    /// The Bitcoin transactions of a case (or of no case), in time order.
    pub async fn btc_txs(&self, case_id: Option<Id>) -> Result<Vec<BtcTx>, StoreError> {
        let rows =
            sqlx::query("SELECT txid, body FROM money_btc_txs WHERE scope = $1 ORDER BY at, txid")
                .bind(scope_of(case_id))
                .fetch_all(&self.pool)
                .await
                .doing("reading Bitcoin transactions")?;
        Ok(rows
            .iter()
            .map(|row| {
                let r = Reader::new(row, "money_btc_txs", "txid");
                r.parse("body", |t| serde_json::from_str::<BtcTx>(t))
            })
            .collect::<Result<_, _>>()?)
    }

    /// Keeps a label list and its entries in one transaction; returns the
    /// entries kept (an address listed twice in one file is kept once,
    /// the first time).
    pub async fn add_label_list(
        &self,
        list: &LabelList,
        labels: &[Label],
    ) -> Result<u64, StoreError> {
        let now = Timestamp::now().to_utc_string();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(
            "INSERT INTO money_label_lists (id, name, format, file_name, sha256, md5, entries, \
             imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
        )
        .bind(list.id.to_string())
        .bind(&list.name)
        .bind(&list.format)
        .bind(&list.file_name)
        .bind(&list.sha256)
        .bind(&list.md5)
        .bind(&now)
        .bind(&list.imported_by)
        .execute(&mut *tx)
        .await
        .doing("recording a label list")?;
        let mut kept = 0u64;
        for l in labels {
            let done = sqlx::query(
                "INSERT INTO money_labels (list_id, account_key, label, category, source, abuse, \
                 line) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (list_id, account_key) DO NOTHING",
            )
            .bind(list.id.to_string())
            .bind(l.account.key())
            .bind(&l.label)
            .bind(l.category.clone())
            .bind(l.source.clone())
            .bind(l.abuse.clone())
            .bind(i64::try_from(l.line).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await
            .doing("storing a label")?;
            kept += done.rows_affected();
        }
        sqlx::query("UPDATE money_label_lists SET entries = $1 WHERE id = $2")
            .bind(i64::try_from(kept).unwrap_or(i64::MAX))
            .bind(list.id.to_string())
            .execute(&mut *tx)
            .await
            .doing("counting a label list")?;
        tx.commit().await.doing("committing a label list")?;
        Ok(kept)
    }

    /// The label lists kept, oldest first.
    pub async fn label_lists(&self) -> Result<Vec<LabelListRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, format, file_name, sha256, md5, entries, imported_at, imported_by \
             FROM money_label_lists ORDER BY imported_at, id",
        )
        .fetch_all(&self.pool)
        .await
        .doing("listing label lists")?;
        Ok(rows
            .iter()
            .map(|row| {
                let r = Reader::new(row, "money_label_lists", "id");
                let entries = r.int("entries")?;
                Ok::<_, CorruptRow>(LabelListRow {
                    list: LabelList {
                        id: r.parse("id", Id::parse)?,
                        name: r.text("name")?,
                        format: r.text("format")?,
                        file_name: r.text("file_name")?,
                        sha256: r.text("sha256")?,
                        md5: r.text("md5")?,
                        imported_by: r.text("imported_by")?,
                    },
                    entries: r.parse_int("entries", entries, u64::try_from)?,
                    imported_at: r.text("imported_at")?,
                })
            })
            .collect::<Result<_, _>>()?)
    }

    /// Every label by account key; where lists disagree, the most recently
    /// imported list's label is kept.
    pub async fn labels(&self) -> Result<HashMap<String, Label>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.account_key, l.label, l.category, l.source, l.abuse, l.line \
             FROM money_labels l JOIN money_label_lists s ON s.id = l.list_id \
             ORDER BY s.imported_at, s.id",
        )
        .fetch_all(&self.pool)
        .await
        .doing("reading labels")?;
        let mut out = HashMap::new();
        for row in &rows {
            let r = Reader::new(row, "money_labels", "account_key");
            let key = r.text("account_key")?;
            let line = r.int("line")?;
            let label = Label {
                account: account_at(&r, "account_key")?,
                label: r.text("label")?,
                category: r.opt_text("category")?,
                source: r.opt_text("source")?,
                abuse: r.opt_text("abuse")?,
                line: r.parse_int("line", line, u64::try_from)?,
            };
            out.insert(key, label);
        }
        Ok(out)
    }

    /// Links an account to where it was seen (adding the account if new);
    /// `false` when the link was already kept.
    pub async fn link_account(
        &self,
        account: &AccountRef,
        kind: &str,
        link_id: &str,
        case_id: Option<Id>,
        note: Option<&str>,
    ) -> Result<bool, StoreError> {
        let now = Timestamp::now().to_utc_string();
        let mut conn = self.pool.acquire().await.doing("connecting")?;
        link_account(&mut conn, account, kind, link_id, case_id, note, &now).await
    }

    /// Links an account to a case by hand (a `manual` link, one per case
    /// and person: `link_id` is `CASE:USER`, as `qorgau money accounts
    /// --add` makes it) and records the change on the case's chain, in one
    /// transaction: a `changed` entry naming the account and the SHA-256 of
    /// the note (the note itself stays in the link, as a case note's body
    /// stays in the note). `false`, with nothing written, when this person
    /// had already linked the account to the case.
    pub async fn link_case_account(
        &self,
        case_id: Id,
        account: &AccountRef,
        note: Option<&str>,
        by: ChangeBy<'_>,
    ) -> Result<bool, StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let link_id = format!("{case_id}:{}", by.actor.user);
        let new = link_account(
            &mut tx,
            account,
            "manual",
            &link_id,
            Some(case_id),
            note,
            &now.to_utc_string(),
        )
        .await?;
        if !new {
            // Nothing was inserted (the account row was already there
            // with its link): nothing to record.
            return Ok(false);
        }
        touch_in(&mut tx, case_id, now).await?;
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "account_linked",
                "account": account.key(),
                "link": link_id,
                "note_sha256": note.map(|n| hex::encode(Sha256::digest(n.as_bytes()))),
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing an account link")?;
        Ok(true)
    }

    /// Where an account was seen, oldest first.
    pub async fn account_links(&self, key: &str) -> Result<Vec<AccountLink>, StoreError> {
        let rows = sqlx::query(
            "SELECT link_kind, link_id, case_id, note, first_seen FROM money_account_links \
             WHERE account_key = $1 ORDER BY first_seen, link_kind, link_id",
        )
        .bind(key)
        .fetch_all(&self.pool)
        .await
        .doing("reading account links")?;
        Ok(rows
            .iter()
            .map(|row| {
                let r = Reader::new(row, "money_account_links", "link_id");
                Ok::<_, CorruptRow>(AccountLink {
                    kind: r.text("link_kind")?,
                    id: r.text("link_id")?,
                    case_id: r.opt_text("case_id")?,
                    note: r.opt_text("note")?,
                    first_seen: r.text("first_seen")?,
                })
            })
            .collect::<Result<_, _>>()?)
    }

    /// The accounts linked to a case (its keys, imports, entries by hand,
    /// documents attached to it), with their links.
    pub async fn case_accounts(
        &self,
        case_id: Id,
    ) -> Result<Vec<(AccountRef, Vec<AccountLink>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT account_key FROM money_account_links WHERE case_id = $1 \
             UNION SELECT DISTINCT l.account_key FROM money_account_links l \
             JOIN case_documents d ON d.document_id = l.link_id AND l.link_kind = 'document' \
             WHERE d.case_id = $1 ORDER BY 1",
        )
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("listing a case's accounts")?;
        let mut out = Vec::new();
        for row in &rows {
            let r = Reader::new(row, "money_account_links", "account_key");
            let account = account_at(&r, "account_key")?;
            let links = self.account_links(&account.key()).await?;
            out.push((account, links));
        }
        Ok(out)
    }

    /// Links the accounts in every stored document's assessment (for
    /// documents kept before accounts were linked on write); returns the
    /// links added.
    pub async fn relink_document_accounts(&self) -> Result<u64, StoreError> {
        let rows =
            sqlx::query("SELECT id, url, assessment FROM documents WHERE assessment IS NOT NULL")
                .fetch_all(&self.pool)
                .await
                .doing("reading documents")?;
        let now = Timestamp::now().to_utc_string();
        let mut conn = self.pool.acquire().await.doing("connecting")?;
        let mut added = 0;
        for row in &rows {
            let r = Reader::new(row, "documents", "id");
            let id = r.text("id")?;
            let url = r.opt_text("url")?;
            let Some(assessment) = r.opt_text("assessment")? else {
                continue;
            };
            for account in accounts_in_assessment(&assessment) {
                if link_account(
                    &mut conn,
                    &account,
                    "document",
                    &id,
                    None,
                    url.as_deref(),
                    &now,
                )
                .await?
                {
                    added += 1;
                }
            }
        }
        Ok(added)
    }
}
