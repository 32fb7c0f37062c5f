//! Routing rule sets saved in the server (migration 0014): the newest is
//! in force on every process sharing the database; the older ones are the
//! history of who changed routing, when, and from what. The rule text is
//! stored as the administrator wrote it; checking it is the routing
//! crate's business, before it gets here.

use qorgau_core::{Id, Timestamp};
use sha2::{Digest, Sha256};

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::Reader;

/// One saved rule set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleSetRecord {
    /// Its id.
    pub id: Id,
    /// Its place in the history (1 for the first saved).
    pub seq: i64,
    /// The administrator's version label from the file.
    pub version: String,
    /// The TOML text.
    pub source: String,
    /// SHA-256 of the text (hex).
    pub sha256: String,
    /// SHA-256 of the rule set the editor started from (the built-in or
    /// file rules for the first one).
    pub based_on: String,
    /// Why it changed, in the administrator's words.
    pub note: String,
    /// When it was saved.
    pub saved_at: Timestamp,
    /// Who saved it.
    pub saved_by: String,
}

/// A rule set to save.
#[derive(Debug, Clone)]
pub struct NewRuleSet<'a> {
    /// The version label from the file.
    pub version: &'a str,
    /// The TOML text, already checked.
    pub source: &'a str,
    /// SHA-256 of the rule set in force when the editor started; saving
    /// fails if another was saved since.
    pub based_on: &'a str,
    /// Why.
    pub note: &'a str,
    /// Who.
    pub saved_by: &'a str,
}

/// SHA-256 of a rule text, hex: the identity [`NewRuleSet::based_on`] names.
pub fn rule_text_sha256(source: &str) -> String {
    hex::encode(Sha256::digest(source.as_bytes()))
}

const COLUMNS: &str = "id, seq, version, source, sha256, based_on, note, saved_at, saved_by";

fn record_of(row: &sqlx::any::AnyRow) -> Result<RuleSetRecord, crate::rows::CorruptRow> {
    let r = Reader::new(row, "routing_rule_sets", "id");
    Ok(RuleSetRecord {
        id: r.parse("id", Id::parse)?,
        seq: r.int("seq")?,
        version: r.text("version")?,
        source: r.text("source")?,
        sha256: r.text("sha256")?,
        based_on: r.text("based_on")?,
        note: r.text("note")?,
        saved_at: r.parse("saved_at", Timestamp::parse)?,
        saved_by: r.text("saved_by")?,
    })
}

impl Store {
    /// Saves a rule set as the one in force. `current_sha256` is the hash
    /// of the rules this process routes with when no set was saved yet
    /// (built-in or file); a `based_on` that is not the set in force is a
    /// conflict naming who saved in between, so that an edit never
    /// silently undoes another.
    pub async fn save_rule_set(
        &self,
        new: &NewRuleSet<'_>,
        current_sha256: &str,
    ) -> Result<RuleSetRecord, StoreError> {
        let latest = self.latest_rule_set().await?;
        let (in_force, next) = match &latest {
            Some(r) => (r.sha256.as_str(), r.seq + 1),
            None => (current_sha256, 1),
        };
        if new.based_on != in_force {
            let who = latest
                .as_ref()
                .map(|r| {
                    format!(
                        "; version {:?} was saved by {} at {}",
                        r.version,
                        r.saved_by,
                        r.saved_at.to_utc_string()
                    )
                })
                .unwrap_or_default();
            return Err(StoreError::Conflict(format!(
                "the rules were changed since this edit began{who}: reload them and edit again"
            )));
        }
        let id = Id::new();
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO routing_rule_sets ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT DO NOTHING"
        )))
        .bind(id.to_string())
        .bind(next)
        .bind(new.version)
        .bind(new.source)
        .bind(rule_text_sha256(new.source))
        .bind(new.based_on)
        .bind(new.note)
        .bind(Timestamp::now().to_utc_string())
        .bind(new.saved_by)
        .execute(&self.pool)
        .await
        .doing("saving a routing rule set")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "another rule set was saved at the same moment: reload the rules and edit again"
                    .into(),
            ));
        }
        self.rule_set(id).await?.ok_or_else(|| {
            StoreError::Conflict(format!("rule set {id} was saved but cannot be read back"))
        })
    }

    /// The rule set in force, if one was ever saved.
    pub async fn latest_rule_set(&self) -> Result<Option<RuleSetRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM routing_rule_sets ORDER BY seq DESC LIMIT 1"
        )))
        .fetch_optional(&self.pool)
        .await
        .doing("reading the routing rules in force")?;
        Ok(row.as_ref().map(record_of).transpose()?)
    }

    /// The seq of the rule set in force (0: none saved); cheap enough for
    /// every process to ask every few seconds.
    pub async fn latest_rule_set_seq(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM routing_rule_sets")
            .fetch_one(&self.pool)
            .await
            .doing("reading the routing rules' version")?;
        Ok(Reader::new(&row, "routing_rule_sets", "seq").int("seq")?)
    }

    /// One saved rule set.
    pub async fn rule_set(&self, id: Id) -> Result<Option<RuleSetRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM routing_rule_sets WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a routing rule set")?;
        Ok(row.as_ref().map(record_of).transpose()?)
    }

    /// The history, newest first.
    pub async fn rule_set_history(&self, limit: i64) -> Result<Vec<RuleSetRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM routing_rule_sets ORDER BY seq DESC LIMIT {}",
            limit.max(1)
        )))
        .fetch_all(&self.pool)
        .await
        .doing("reading the routing rules' history")?;
        Ok(rows.iter().map(record_of).collect::<Result<Vec<_>, _>>()?)
    }
}
