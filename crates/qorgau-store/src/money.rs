//! Imports of transfers, the accounts they name, and the transfers
//! themselves (migration 0008). The domain (`qorgau-money`) reads the files
//! and finds the flags; this keeps what was read, once per scope.

use qorgau_core::{Id, Timestamp};
use qorgau_money::{AccountRef, Amount, SourceFormat, Transfer, chain_name};
use sqlx::any::AnyRow;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
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
        let scope = scope_of(case_id);
        let now = Timestamp::now().to_utc_string();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let mut new = 0;
        for t in transfers {
            for account in [&t.from, &t.to] {
                sqlx::query(
                    "INSERT INTO money_accounts (key, kind, chain, value, first_seen) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING",
                )
                .bind(account.key())
                .bind(account.kind.as_str())
                .bind(account.chain.map(|c| chain_name(c).to_owned()))
                .bind(&account.value)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .doing("storing an account")?;
            }
            let done = sqlx::query(
                "INSERT INTO money_transfers (scope, dedup_key, import_id, case_id, tx_id, at, \
                 from_key, to_key, amount, asset, source, line) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (scope, dedup_key) DO NOTHING",
            )
            .bind(&scope)
            .bind(t.dedup_key())
            .bind(import_id.to_string())
            .bind(case_id.map(|c| c.to_string()))
            .bind(t.tx_id.clone())
            .bind(t.time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
            .bind(t.from.key())
            .bind(t.to.key())
            .bind(t.amount.to_string())
            .bind(&t.asset)
            .bind(t.source.as_str())
            .bind(i64::try_from(t.line).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await
            .doing("storing a transfer")?;
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
             FROM money_transfers WHERE scope = $1 ORDER BY at, dedup_key",
        )
        .bind(scope_of(case_id))
        .fetch_all(&self.pool)
        .await
        .doing("reading transfers")?;
        Ok(rows
            .iter()
            .map(transfer_from_row)
            .collect::<Result<_, _>>()?)
    }
}

fn transfer_from_row(row: &AnyRow) -> Result<(String, Transfer), CorruptRow> {
    let r = Reader::new(row, "money_transfers", "dedup_key");
    let account = |column: &'static str| {
        r.parse(column, |t| {
            AccountRef::from_key(t).ok_or_else(|| "not an account key".to_owned())
        })
    };
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
