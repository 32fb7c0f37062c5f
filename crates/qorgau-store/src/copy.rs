//! Moving an installation's database from the embedded SQLite into
//! PostgreSQL (`qorgau migrate`), row for row, and proving it arrived.
//!
//! Written by hand rather than with a dump tool: `pg_dump`/`pgloader` would
//! need the SQLite file's types guessed again, and the copy must be checked
//! value for value afterwards in the same program. The schema is the one
//! portable subset (TEXT, BIGINT, DOUBLE PRECISION), so every value has
//! one obvious form on both engines. Tables are copied in the order they
//! were created, which is an order their foreign keys allow; the target
//! must be empty, so nothing already there is mixed in or overwritten.
//!
//! After the copy every table is compared: the row count, and a digest
//! of all its rows that does not depend on their order (the wrapping sum
//! of each row's SHA-256), read back from the target.

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Row, ValueRef};

use crate::connect::{Backend, Store};
use crate::error::{QueryContext, StoreError};

/// Tables that describe running processes, not the installation: a
/// migrated installation starts with no workers and no leases.
const TRANSIENT: [&str; 2] = ["work_workers", "work_leases"];

/// Rows per INSERT statement.
const BATCH: usize = 200;

/// One table's copy.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCopy {
    /// The table.
    pub table: String,
    /// Rows copied (and found in the target).
    pub rows: u64,
    /// The order-independent digest of its rows, equal on both sides.
    pub digest: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Text,
}

#[derive(Debug, Clone)]
enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl Value {
    fn feed(&self, hash: &mut Sha256) {
        match self {
            Value::Null => hash.update([0u8]),
            Value::Int(i) => {
                hash.update([1u8]);
                hash.update(i.to_le_bytes());
            }
            Value::Float(f) => {
                hash.update([2u8]);
                hash.update(f.to_bits().to_le_bytes());
            }
            Value::Text(t) => {
                hash.update([3u8]);
                hash.update((t.len() as u64).to_le_bytes());
                hash.update(t.as_bytes());
            }
        }
    }
}

/// The wrapping sum of row digests, as four 64-bit lanes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct RowSum([u64; 4]);

impl RowSum {
    fn add(&mut self, row: &[Value]) {
        let mut hash = Sha256::new();
        for v in row {
            v.feed(&mut hash);
        }
        let digest = hash.finalize();
        for (lane, chunk) in self.0.iter_mut().zip(digest.chunks_exact(8)) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            *lane = lane.wrapping_add(u64::from_le_bytes(bytes));
        }
    }

    fn hex(&self) -> String {
        self.0.iter().map(|l| format!("{l:016x}")).collect()
    }
}

fn read(
    row: &AnyRow,
    i: usize,
    kind: Kind,
    table: &str,
    column: &str,
) -> Result<Value, StoreError> {
    let raw = row
        .try_get_raw(i)
        .doing(format!("reading {table}.{column}"))?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let doing = || format!("reading {table}.{column}");
    Ok(match kind {
        Kind::Int => Value::Int(row.try_get::<i64, _>(i).doing(doing())?),
        Kind::Float => Value::Float(row.try_get::<f64, _>(i).doing(doing())?),
        Kind::Text => Value::Text(row.try_get::<String, _>(i).doing(doing())?),
    })
}

impl Store {
    /// Tables of this (SQLite) database in creation order, without
    /// sqlx's bookkeeping and the transient ones.
    async fn tables_in_order(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY rowid",
        )
        .fetch_all(&self.pool)
        .await
        .doing("listing the tables")?;
        let mut out = Vec::new();
        for r in rows {
            let name: String = r.try_get("name").doing("listing the tables")?;
            if !TRANSIENT.contains(&name.as_str()) {
                out.push(name);
            }
        }
        Ok(out)
    }

    /// The target's columns of `table` with their kinds, in order.
    async fn columns_of(&self, table: &str) -> Result<Vec<(String, Kind)>, StoreError> {
        let rows = sqlx::query(
            "SELECT CAST(column_name AS TEXT) AS column_name, CAST(data_type AS TEXT) AS data_type \
             FROM information_schema.columns \
             WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(&self.pool)
        .await
        .doing(format!("reading the columns of {table}"))?;
        let mut out = Vec::new();
        for r in rows {
            let name: String = r.try_get("column_name").doing("reading a column")?;
            let ty: String = r.try_get("data_type").doing("reading a column")?;
            let kind = match ty.as_str() {
                "bigint" | "integer" | "smallint" => Kind::Int,
                "double precision" | "real" => Kind::Float,
                "text" | "character varying" => Kind::Text,
                other => {
                    return Err(StoreError::Conflict(format!(
                        "{table}.{name} has type {other}, which the migration does not know"
                    )));
                }
            };
            out.push((name, kind));
        }
        if out.is_empty() {
            return Err(StoreError::Conflict(format!(
                "the target database has no table {table}: is its schema current?"
            )));
        }
        Ok(out)
    }

    /// Copies every row of this SQLite store into `target` (PostgreSQL,
    /// schema current, empty), then reads the target back and compares
    /// each table's count and digest. `progress` hears each table's name
    /// and rows as they go. Nothing is written to this store.
    pub async fn copy_into(
        &self,
        target: &Store,
        mut progress: impl FnMut(&str, u64),
    ) -> Result<Vec<TableCopy>, StoreError> {
        if self.backend() != Backend::Sqlite || target.backend() != Backend::Postgres {
            return Err(StoreError::Conflict(format!(
                "the migration moves an embedded SQLite database into PostgreSQL, not {} into {}",
                self.backend().name(),
                target.backend().name()
            )));
        }
        let tables = self.tables_in_order().await?;
        let mut plan = Vec::new();
        for table in &tables {
            let columns = target.columns_of(table).await?;
            let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) AS n FROM {table}"
            )))
            .fetch_one(&target.pool)
            .await
            .doing(format!("counting {table} in the target"))?
            .try_get("n")
            .doing("counting")?;
            if n > 0 {
                return Err(StoreError::Conflict(format!(
                    "the target database already holds {n} rows in {table}: \
                     migrate only into an empty database"
                )));
            }
            plan.push((table.clone(), columns));
        }
        let mut report = Vec::new();
        let mut tx = target.pool.begin().await.doing("starting the copy")?;
        for (table, columns) in &plan {
            let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
            let list = names.join(", ");
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {list} FROM {table}")))
                .fetch_all(&self.pool)
                .await
                .doing(format!("reading {table}"))?;
            let mut sum = RowSum::default();
            let mut copied = 0u64;
            for chunk in rows.chunks(BATCH) {
                let mut values = Vec::with_capacity(chunk.len());
                for row in chunk {
                    let mut v = Vec::with_capacity(columns.len());
                    for (i, (name, kind)) in columns.iter().enumerate() {
                        v.push(read(row, i, *kind, table, name)?);
                    }
                    sum.add(&v);
                    values.push(v);
                }
                let mut sql = format!("INSERT INTO {table} ({list}) VALUES ");
                let mut n = 0;
                for (r, _) in values.iter().enumerate() {
                    if r > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('(');
                    for c in 0..columns.len() {
                        if c > 0 {
                            sql.push_str(", ");
                        }
                        n += 1;
                        sql.push_str(&format!("${n}"));
                    }
                    sql.push(')');
                }
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for row in &values {
                    for (value, (_, kind)) in row.iter().zip(columns) {
                        query = match (value, kind) {
                            (Value::Null, Kind::Int) => query.bind(None::<i64>),
                            (Value::Null, Kind::Float) => query.bind(None::<f64>),
                            (Value::Null, Kind::Text) => query.bind(None::<String>),
                            (Value::Int(i), _) => query.bind(*i),
                            (Value::Float(f), _) => query.bind(*f),
                            (Value::Text(t), _) => query.bind(t.clone()),
                        };
                    }
                }
                query
                    .execute(&mut *tx)
                    .await
                    .doing(format!("writing {table}"))?;
                copied += values.len() as u64;
                progress(table, copied);
            }
            report.push(TableCopy {
                table: table.clone(),
                rows: copied,
                digest: sum.hex(),
            });
        }
        tx.commit().await.doing("committing the copy")?;
        // Read everything back from the target and compare.
        for (copy, (table, columns)) in report.iter().zip(&plan) {
            let list = columns
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {list} FROM {table}")))
                .fetch_all(&target.pool)
                .await
                .doing(format!("reading {table} back"))?;
            let mut sum = RowSum::default();
            for row in &rows {
                let mut v = Vec::with_capacity(columns.len());
                for (i, (name, kind)) in columns.iter().enumerate() {
                    v.push(read(row, i, *kind, table, name)?);
                }
                sum.add(&v);
            }
            if rows.len() as u64 != copy.rows || sum.hex() != copy.digest {
                return Err(StoreError::Conflict(format!(
                    "{table} differs after the copy: {} rows read back of {} written \
                     (digest {} vs {})",
                    rows.len(),
                    copy.rows,
                    sum.hex(),
                    copy.digest
                )));
            }
        }
        Ok(report)
    }
}
