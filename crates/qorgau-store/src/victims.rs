//! Victim records and consents.
//!
//! The store sees sealed bytes only: personal data and screening answers are
//! sealed by `qorgau-victims` with a key that never enters the database, so
//! a copy of the database alone discloses nobody. Ledger entries about a
//! victim name the record and what happened, never personal data.

use qorgau_core::{Id, Timestamp};
use qorgau_evidence::EventKind;
use qorgau_victims::{Consent, VictimFacts, VictimRecord};
use sqlx::any::AnyRow;

use crate::casework::ChangeBy;
use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

/// A stored victim record with where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVictim {
    /// The record (facts, sealed personal data).
    pub record: VictimRecord,
    /// The case it is in.
    pub case_id: Id,
    /// The person row of the case (label, role victim).
    pub person_id: Id,
    /// Screening answers and result, sealed.
    pub sealed_screening: Option<Vec<u8>>,
    /// When recorded.
    pub created_at: Timestamp,
    /// By whom.
    pub created_by: String,
}

const VICTIM_COLUMNS: &str =
    "id, case_id, person_id, facts, sealed_personal, sealed_screening, created_at, created_by";

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Conflict(e.to_string()))
}

impl Store {
    /// Records a victim in a case: the person row (by label), the victim row
    /// and a `victim_recorded` entry, in one transaction. Returns the person id.
    pub async fn add_victim(
        &self,
        case_id: Id,
        label: &str,
        record: &VictimRecord,
        sealed_screening: Option<&[u8]>,
        by: ChangeBy<'_>,
    ) -> Result<Id, StoreError> {
        let now = Timestamp::now();
        let person_id = Id::new();
        let victim_id = Id::from_uuid(record.id);
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(
            "INSERT INTO case_persons (id, case_id, role, label, victim_id, added_at, added_by) \
             VALUES ($1, $2, 'victim', $3, $4, $5, $6)",
        )
        .bind(person_id.to_string())
        .bind(case_id.to_string())
        .bind(label)
        .bind(victim_id.to_string())
        .bind(now.to_utc_string())
        .bind(&by.actor.user)
        .execute(&mut *tx)
        .await
        .doing("adding the victim's person row")?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO victims ({VICTIM_COLUMNS}, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)"
        )))
        .bind(victim_id.to_string())
        .bind(case_id.to_string())
        .bind(person_id.to_string())
        .bind(json(&record.facts)?)
        .bind(hex::encode(&record.sealed_personal))
        .bind(sealed_screening.map(hex::encode))
        .bind(now.to_utc_string())
        .bind(&by.actor.user)
        .execute(&mut *tx)
        .await
        .doing("recording a victim")?;
        sqlx::query(
            "UPDATE case_files SET updated_at = $1, version = version + 1 WHERE case_id = $2",
        )
        .bind(now.to_utc_string())
        .bind(case_id.to_string())
        .execute(&mut *tx)
        .await
        .doing("marking a case changed")?;
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "victim_recorded",
                "victim": victim_id.to_string(),
                "person": person_id.to_string(),
                "label": label,
                "facts": record.facts,
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a victim")?;
        Ok(person_id)
    }

    /// One victim record.
    pub async fn victim(&self, id: Id) -> Result<Option<StoredVictim>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {VICTIM_COLUMNS} FROM victims WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a victim record")?;
        Ok(row.as_ref().map(victim_from_row).transpose()?)
    }

    /// The victim records of a case, oldest first.
    pub async fn victims_of_case(&self, case_id: Id) -> Result<Vec<StoredVictim>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {VICTIM_COLUMNS} FROM victims WHERE case_id = $1 ORDER BY created_at, id"
        )))
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading victim records")?;
        Ok(rows.iter().map(victim_from_row).collect::<Result<_, _>>()?)
    }

    /// Records a consent (or saves its withdrawal) with its ledger entry.
    pub async fn save_consent(
        &self,
        case_id: Id,
        consent: &Consent,
        action: &str,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let body = json(consent)?;
        let updated = sqlx::query("UPDATE consents SET body = $1 WHERE id = $2")
            .bind(&body)
            .bind(consent.id.to_string())
            .execute(&mut *tx)
            .await
            .doing("saving a consent")?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO consents (id, victim_id, body, recorded_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(consent.id.to_string())
            .bind(consent.record_id.to_string())
            .bind(&body)
            .bind(Timestamp::from_datetime(consent.recorded_at).to_utc_string())
            .execute(&mut *tx)
            .await
            .doing("recording a consent")?;
        }
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": action,
                "victim": consent.record_id.to_string(),
                "consent": consent.id.to_string(),
                "recipient": consent.recipient,
                "categories": consent.categories,
                "purpose": consent.purpose,
                "method": consent.method,
                "valid_until": consent.valid_until,
                "withdrawn": consent.withdrawal.as_ref().map(|w| w.at),
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a consent")?;
        Ok(())
    }

    /// A victim's consents, oldest first.
    pub async fn consents(&self, victim_id: Id) -> Result<Vec<Consent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, body FROM consents WHERE victim_id = $1 ORDER BY recorded_at, id",
        )
        .bind(victim_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading consents")?;
        rows.iter()
            .map(|row| {
                Reader::new(row, "consents", "id")
                    .parse("body", |t: &str| serde_json::from_str::<Consent>(t))
            })
            .collect::<Result<_, CorruptRow>>()
            .map_err(StoreError::from)
    }
}

fn victim_from_row(row: &AnyRow) -> Result<StoredVictim, CorruptRow> {
    let r = Reader::new(row, "victims", "id");
    let id = r.parse("id", Id::parse)?;
    let case_id = r.parse("case_id", Id::parse)?;
    Ok(StoredVictim {
        record: VictimRecord {
            id: id.as_uuid(),
            case_id: Some(case_id.as_uuid()),
            facts: r.parse("facts", |t: &str| serde_json::from_str::<VictimFacts>(t))?,
            sealed_personal: r.parse("sealed_personal", |t: &str| hex::decode(t))?,
        },
        case_id,
        person_id: r.parse("person_id", Id::parse)?,
        sealed_screening: r.parse_opt("sealed_screening", |t: &str| hex::decode(t))?,
        created_at: r.parse("created_at", Timestamp::parse)?,
        created_by: r.text("created_by")?,
    })
}
