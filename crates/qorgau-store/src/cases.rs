//! Cases: found by name, opened on first use with a `case_opened` entry.

use qorgau_core::{Actor, CaseName, Tool};
use qorgau_evidence::{CaseRecord, EntryDraft, EventKind, LedgerKey};

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, case_from_row};

const CASE_COLUMNS: &str = "id, name, created_at, created_by, created_host";

impl Store {
    /// The case with this name, if it exists.
    pub async fn find_case(&self, name: &CaseName) -> Result<Option<CaseRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE name = $1"
        )))
        .bind(name.as_str())
        .fetch_optional(&self.pool)
        .await
        .doing(format!("looking up case {name}"))?;
        row.map(|r| case_from_row(&r).map_err(StoreError::from))
            .transpose()
    }

    /// All cases, oldest first.
    pub async fn cases(&self) -> Result<Vec<CaseRecord>, StoreError> {
        self.cases_checked()
            .await?
            .into_iter()
            .map(|row| row.map_err(StoreError::from))
            .collect()
    }

    /// All cases, oldest first, with rows that no longer decode kept as
    /// [`CorruptRow`]s so that verification can report them instead of stopping.
    pub async fn cases_checked(&self) -> Result<Vec<Result<CaseRecord, CorruptRow>>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases ORDER BY created_at, id"
        )))
        .fetch_all(&self.pool)
        .await
        .doing("listing cases")?;
        Ok(rows.iter().map(case_from_row).collect())
    }

    /// Returns the named case, opening it (with its `case_opened` custody
    /// entry) if it does not exist yet. The flag says whether it was opened now.
    pub async fn open_case(
        &self,
        name: &CaseName,
        actor: &Actor,
        tool: &Tool,
        key: &LedgerKey,
    ) -> Result<(CaseRecord, bool), StoreError> {
        if let Some(case) = self.find_case(name).await? {
            return Ok((case, false));
        }
        let case = CaseRecord::new(name.clone(), actor.clone());
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let inserted = sqlx::query(
            "INSERT INTO cases (id, name, created_at, created_by, created_host) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
        )
        .bind(case.id.to_string())
        .bind(case.name.as_str())
        .bind(case.created_at.to_utc_string())
        .bind(&case.created_by.user)
        .bind(&case.created_by.host)
        .execute(&mut *tx)
        .await
        .doing(format!("opening case {name}"))?;
        if inserted.rows_affected() == 0 {
            // Another process opened it in the meantime.
            drop(tx);
            let existing = self.find_case(name).await?;
            return existing
                .map(|c| (c, false))
                .ok_or_else(|| StoreError::Corrupt {
                    table: "cases",
                    column: "name",
                    value: name.to_string(),
                    reason: "case vanished while being opened".into(),
                });
        }
        let mut draft = EntryDraft::now(EventKind::CaseOpened, actor.clone(), tool.clone());
        draft.at = case.created_at;
        draft.case_id = Some(case.id);
        draft.subject_digest = Some(case.record_digest());
        draft.details = serde_json::json!({ "name": name.as_str() }).to_string();
        append_in(&mut tx, vec![draft], key).await?;
        tx.commit().await.doing(format!("opening case {name}"))?;
        Ok((case, true))
    }
}
