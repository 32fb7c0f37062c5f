//! Virtual identities, the operations opened under them and the actions
//! taken through them. Bodies are the domain crate's JSON; the store keeps
//! the keys the server selects on, and writes operations and actions with
//! their ledger entries on the case's chain.

use qorgau_core::{Id, Timestamp};
use qorgau_evidence::EventKind;
use sqlx::any::AnyRow;

use crate::casework::ChangeBy;
use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

/// A stored row: its id, what it belongs to, and its JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRow {
    /// Id.
    pub id: Id,
    /// The owner: the agency (identities), the identity (operations, actions).
    pub owner: Id,
    /// The case (operations and actions), if any.
    pub case_id: Option<Id>,
    /// The JSON body.
    pub body: String,
}

/// An operation opened for a case, as the case page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOperation {
    /// The operation (owner: the identity; body: the use permit).
    pub row: BodyRow,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// By whom.
    pub opened_by: String,
    /// Actions logged under it.
    pub actions: i64,
}

impl Store {
    /// Registers or updates an identity of an agency (insert or replace).
    pub async fn save_identity(&self, id: Id, agency_id: Id, body: &str) -> Result<(), StoreError> {
        let now = Timestamp::now().to_utc_string();
        sqlx::query(
            "INSERT INTO virtual_identities (id, agency_id, body, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (id) DO UPDATE SET body = excluded.body, \
             updated_at = excluded.updated_at",
        )
        .bind(id.to_string())
        .bind(agency_id.to_string())
        .bind(body)
        .bind(now)
        .execute(&self.pool)
        .await
        .doing("saving a virtual identity")?;
        Ok(())
    }

    /// One identity.
    pub async fn identity(&self, id: Id) -> Result<Option<BodyRow>, StoreError> {
        let row = sqlx::query(
            "SELECT id, agency_id AS owner, NULL AS case_id, body FROM virtual_identities WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a virtual identity")?;
        Ok(row.as_ref().map(body_row).transpose()?)
    }

    /// An agency's identities.
    pub async fn identities(&self, agency_id: Id) -> Result<Vec<BodyRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, agency_id AS owner, NULL AS case_id, body FROM virtual_identities \
             WHERE agency_id = $1 ORDER BY created_at, id",
        )
        .bind(agency_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading virtual identities")?;
        Ok(rows.iter().map(body_row).collect::<Result<_, _>>()?)
    }

    /// Records an operation opened under an identity, with its entry.
    pub async fn add_identity_operation(
        &self,
        row: &BodyRow,
        details: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let case_id = row
            .case_id
            .ok_or_else(|| StoreError::Conflict("an operation needs a case".into()))?;
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(
            "INSERT INTO identity_operations (id, identity_id, case_id, body, opened_at, opened_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id.to_string())
        .bind(row.owner.to_string())
        .bind(case_id.to_string())
        .bind(&row.body)
        .bind(Timestamp::now().to_utc_string())
        .bind(&by.actor.user)
        .execute(&mut *tx)
        .await
        .doing("opening an operation")?;
        let entry = by.entry(EventKind::Changed, case_id, details);
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing an operation")?;
        Ok(())
    }

    /// One operation.
    pub async fn identity_operation(&self, id: Id) -> Result<Option<BodyRow>, StoreError> {
        let row = sqlx::query(
            "SELECT id, identity_id AS owner, case_id, body FROM identity_operations WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading an operation")?;
        Ok(row.as_ref().map(body_row).transpose()?)
    }

    /// Logs an action taken through an identity, with its entry.
    pub async fn add_identity_action(
        &self,
        row: &BodyRow,
        operation_id: Id,
        details: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let case_id = row
            .case_id
            .ok_or_else(|| StoreError::Conflict("an action needs a case".into()))?;
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(
            "INSERT INTO identity_actions (id, identity_id, operation_id, case_id, body, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id.to_string())
        .bind(row.owner.to_string())
        .bind(operation_id.to_string())
        .bind(case_id.to_string())
        .bind(&row.body)
        .bind(Timestamp::now().to_utc_string())
        .execute(&mut *tx)
        .await
        .doing("logging an identity action")?;
        let entry = by.entry(EventKind::Changed, case_id, details);
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing an identity action")?;
        Ok(())
    }

    /// The operations opened for a case, oldest first, each with when and
    /// by whom it was opened and how many actions were logged under it:
    /// what the case page lists as the identities in use.
    pub async fn case_operations(&self, case_id: Id) -> Result<Vec<CaseOperation>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.id, o.identity_id AS owner, o.case_id, o.body, o.opened_at, o.opened_by, \
             (SELECT COUNT(*) FROM identity_actions a WHERE a.operation_id = o.id) AS actions \
             FROM identity_operations o WHERE o.case_id = $1 ORDER BY o.opened_at, o.id",
        )
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading a case's operations")?;
        let mut out = Vec::new();
        for row in &rows {
            let r = Reader::new(row, "identity_operations", "id");
            out.push(CaseOperation {
                row: body_row(row)?,
                opened_at: r.parse("opened_at", Timestamp::parse)?,
                opened_by: r.text("opened_by")?,
                actions: r.int("actions")?,
            });
        }
        Ok(out)
    }

    /// Everything done through an identity, oldest first.
    pub async fn identity_actions(&self, identity_id: Id) -> Result<Vec<BodyRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, identity_id AS owner, case_id, body FROM identity_actions \
             WHERE identity_id = $1 ORDER BY at, id",
        )
        .bind(identity_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading identity actions")?;
        Ok(rows.iter().map(body_row).collect::<Result<_, _>>()?)
    }
}

fn body_row(row: &AnyRow) -> Result<BodyRow, CorruptRow> {
    let r = Reader::new(row, "virtual_identities", "id");
    Ok(BodyRow {
        id: r.parse("id", Id::parse)?,
        owner: r.parse("owner", Id::parse)?,
        case_id: r.parse_opt("case_id", Id::parse)?,
        body: r.text("body")?,
    })
}
