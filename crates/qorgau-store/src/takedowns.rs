//! Blocking and takedown requests as rows: the request itself (its capture
//! proof, deadline and replies) is a JSON body the domain crate owns; the
//! store keeps the columns the boards and the SLA report select on, and
//! writes every step with its ledger entry on the case's chain.

use qorgau_core::{Id, Timestamp};
use qorgau_evidence::EventKind;
use sqlx::any::AnyRow;

use crate::casework::ChangeBy;
use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

/// A stored takedown request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakedownRow {
    /// Id.
    pub id: Id,
    /// The case.
    pub case_id: Id,
    /// The agency that made it.
    pub agency_id: Id,
    /// Platform key.
    pub platform: String,
    /// State name.
    pub state: String,
    /// The request as JSON.
    pub body: String,
}

const COLUMNS: &str = "id, case_id, agency_id, platform, state, body";

impl Store {
    /// Stores a new request with its `takedown_opened` entry.
    pub async fn add_takedown(
        &self,
        row: &TakedownRow,
        details: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now().to_utc_string();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO takedowns ({COLUMNS}, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
        )))
        .bind(row.id.to_string())
        .bind(row.case_id.to_string())
        .bind(row.agency_id.to_string())
        .bind(&row.platform)
        .bind(&row.state)
        .bind(&row.body)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .doing("storing a takedown request")?;
        let entry = by.entry(EventKind::Changed, row.case_id, details);
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a takedown request")?;
        Ok(())
    }

    /// Saves a step of a request if it is still in `expected_state`.
    pub async fn save_takedown(
        &self,
        row: &TakedownRow,
        expected_state: &str,
        details: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let done = sqlx::query(
            "UPDATE takedowns SET state = $1, body = $2, updated_at = $3 WHERE id = $4 AND state = $5",
        )
        .bind(&row.state)
        .bind(&row.body)
        .bind(Timestamp::now().to_utc_string())
        .bind(row.id.to_string())
        .bind(expected_state)
        .execute(&mut *tx)
        .await
        .doing("saving a takedown request")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "takedown request {} is no longer `{expected_state}`; reload it",
                row.id
            )));
        }
        let entry = by.entry(EventKind::Changed, row.case_id, details);
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a takedown step")?;
        Ok(())
    }

    /// One request.
    pub async fn takedown(&self, id: Id) -> Result<Option<TakedownRow>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM takedowns WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a takedown request")?;
        Ok(row.as_ref().map(takedown_from_row).transpose()?)
    }

    /// A case's requests, oldest first.
    pub async fn takedowns_of_case(&self, case_id: Id) -> Result<Vec<TakedownRow>, StoreError> {
        self.takedowns_where("case_id = $1", case_id).await
    }

    /// An agency's requests, oldest first (for its SLA report).
    pub async fn takedowns_of_agency(&self, agency_id: Id) -> Result<Vec<TakedownRow>, StoreError> {
        self.takedowns_where("agency_id = $1", agency_id).await
    }

    async fn takedowns_where(
        &self,
        filter: &'static str,
        id: Id,
    ) -> Result<Vec<TakedownRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM takedowns WHERE {filter} ORDER BY created_at, id"
        )))
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading takedown requests")?;
        Ok(rows
            .iter()
            .map(takedown_from_row)
            .collect::<Result<_, _>>()?)
    }
}

fn takedown_from_row(row: &AnyRow) -> Result<TakedownRow, CorruptRow> {
    let r = Reader::new(row, "takedowns", "id");
    Ok(TakedownRow {
        id: r.parse("id", Id::parse)?,
        case_id: r.parse("case_id", Id::parse)?,
        agency_id: r.parse("agency_id", Id::parse)?,
        platform: r.text("platform")?,
        state: r.text("state")?,
        body: r.text("body")?,
    })
}
