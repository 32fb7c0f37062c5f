//! Lexicon versions proposed and reviewed in the server (migration 0015).
//!
//! The lexicon decides which documents a person is asked to look at, so a
//! change to it is reviewed by a second person before it scans anything:
//! an edit is saved as a proposal, and only an approval by someone other
//! than its author puts it in force — on every process sharing the
//! database, because a worker scanning with one lexicon and a server with
//! another would flag the same ad differently. Whether the files load is
//! the detection crate's business, checked before they get here; this
//! module keeps the record and the two rules the database can enforce:
//! four eyes, and no approval of a proposal made from a lexicon that is no
//! longer in force.

use std::collections::BTreeMap;

use qorgau_core::{Id, Timestamp};

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::Reader;

/// One proposed lexicon, with its review once it has one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LexiconVersionRecord {
    /// Its id.
    pub id: Id,
    /// Its place among proposals (1 for the first).
    pub seq: i64,
    /// The version the lexicon reports (manifest version + content hash),
    /// the one every assessment made with it names.
    pub version: String,
    /// Every file of the lexicon: name → TOML text.
    pub files: BTreeMap<String, String>,
    /// The version in force when the analyst began editing.
    pub based_on: String,
    /// Why, in the analyst's words.
    pub note: String,
    /// When it was proposed.
    pub proposed_at: Timestamp,
    /// Who proposed it.
    pub proposed_by: String,
    /// The review, if it had one.
    pub review: Option<LexiconReview>,
}

/// A second person's decision on a proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LexiconReview {
    /// Its place among reviews: the approved proposal with the highest is
    /// in force.
    pub seq: i64,
    /// Approved or rejected.
    pub decision: LexiconDecision,
    /// Why, in the reviewer's words.
    pub note: String,
    /// When.
    pub reviewed_at: Timestamp,
    /// Who.
    pub reviewed_by: String,
}

/// What a reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LexiconDecision {
    /// In force from now on.
    Approved,
    /// Kept as history, never in force.
    Rejected,
}

impl LexiconDecision {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            LexiconDecision::Approved => "approved",
            LexiconDecision::Rejected => "rejected",
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        match text {
            "approved" => Ok(LexiconDecision::Approved),
            "rejected" => Ok(LexiconDecision::Rejected),
            other => Err(format!("{other:?} is not approved or rejected")),
        }
    }
}

/// A lexicon to propose.
#[derive(Debug, Clone)]
pub struct NewLexiconVersion<'a> {
    /// The version the files load as.
    pub version: &'a str,
    /// The files, already checked to load.
    pub files: &'a BTreeMap<String, String>,
    /// The version in force when editing began.
    pub based_on: &'a str,
    /// Why.
    pub note: &'a str,
    /// Who.
    pub proposed_by: &'a str,
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewLexiconReview<'a> {
    /// The proposal.
    pub version_id: Id,
    /// Approve or reject.
    pub decision: LexiconDecision,
    /// Why.
    pub note: &'a str,
    /// Who; never the proposal's author.
    pub reviewed_by: &'a str,
}

const COLUMNS: &str = "v.id, v.seq, v.version, v.files, v.based_on, v.note, v.proposed_at, \
     v.proposed_by, r.seq AS review_seq, r.decision, r.note AS review_note, r.reviewed_at, \
     r.reviewed_by";
const FROM: &str = "lexicon_versions v LEFT JOIN lexicon_reviews r ON r.version_id = v.id";

fn record_of(row: &sqlx::any::AnyRow) -> Result<LexiconVersionRecord, crate::rows::CorruptRow> {
    let r = Reader::new(row, "lexicon_versions", "id");
    let review = match r.opt_int("review_seq")? {
        None => None,
        Some(seq) => Some(LexiconReview {
            seq,
            decision: r.parse("decision", LexiconDecision::parse)?,
            note: r.text("review_note")?,
            reviewed_at: r.parse("reviewed_at", Timestamp::parse)?,
            reviewed_by: r.text("reviewed_by")?,
        }),
    };
    Ok(LexiconVersionRecord {
        id: r.parse("id", Id::parse)?,
        seq: r.int("seq")?,
        version: r.text("version")?,
        files: r.parse("files", |t: &str| {
            serde_json::from_str::<BTreeMap<String, String>>(t)
        })?,
        based_on: r.text("based_on")?,
        note: r.text("note")?,
        proposed_at: r.parse("proposed_at", Timestamp::parse)?,
        proposed_by: r.text("proposed_by")?,
        review,
    })
}

impl Store {
    /// Saves a proposal. Nothing is in force until someone else approves it.
    pub async fn propose_lexicon(
        &self,
        new: &NewLexiconVersion<'_>,
    ) -> Result<LexiconVersionRecord, StoreError> {
        let files = serde_json::to_string(new.files)
            .map_err(|e| StoreError::Conflict(format!("lexicon files do not serialise: {e}")))?;
        let id = Id::new();
        let done = sqlx::query(
            "INSERT INTO lexicon_versions \
             (id, seq, version, files, based_on, note, proposed_at, proposed_by) \
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7 FROM lexicon_versions \
             WHERE true ON CONFLICT DO NOTHING",
        )
        .bind(id.to_string())
        .bind(new.version)
        .bind(files)
        .bind(new.based_on)
        .bind(new.note)
        .bind(Timestamp::now().to_utc_string())
        .bind(new.proposed_by)
        .execute(&self.pool)
        .await
        .doing("saving a lexicon proposal")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "another lexicon proposal was saved at the same moment: save again".into(),
            ));
        }
        self.lexicon_version(id).await?.ok_or_else(|| {
            StoreError::Conflict(format!(
                "lexicon proposal {id} was saved but cannot be read back"
            ))
        })
    }

    /// Records a review. Refused (a conflict naming why) when the reviewer
    /// wrote the proposal, when it was already reviewed, or — for an
    /// approval — when it was made from a lexicon other than the one in
    /// force now (`in_force_version`: the approved one, else the built-in
    /// one), so that approving it would silently undo a change approved in
    /// between.
    pub async fn review_lexicon(
        &self,
        review: &NewLexiconReview<'_>,
        in_force_version: &str,
    ) -> Result<LexiconVersionRecord, StoreError> {
        let proposal = self
            .lexicon_version(review.version_id)
            .await?
            .ok_or_else(|| {
                StoreError::Conflict(format!(
                    "there is no lexicon proposal {}",
                    review.version_id
                ))
            })?;
        if proposal.proposed_by == review.reviewed_by {
            return Err(StoreError::Conflict(format!(
                "{} proposed this lexicon and cannot review it: another person must",
                review.reviewed_by
            )));
        }
        if let Some(r) = &proposal.review {
            return Err(StoreError::Conflict(format!(
                "this proposal was already {} by {} at {}",
                r.decision.as_str(),
                r.reviewed_by,
                r.reviewed_at.to_utc_string()
            )));
        }
        if review.decision == LexiconDecision::Approved && proposal.based_on != in_force_version {
            return Err(StoreError::Conflict(format!(
                "this proposal was made from lexicon {} but {} is in force now: \
                 it would undo that change; edit the lexicon in force and propose again",
                proposal.based_on, in_force_version
            )));
        }
        let done = sqlx::query(
            "INSERT INTO lexicon_reviews \
             (id, seq, version_id, decision, note, reviewed_at, reviewed_by) \
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6 FROM lexicon_reviews \
             WHERE true ON CONFLICT DO NOTHING",
        )
        .bind(Id::new().to_string())
        .bind(review.version_id.to_string())
        .bind(review.decision.as_str())
        .bind(review.note)
        .bind(Timestamp::now().to_utc_string())
        .bind(review.reviewed_by)
        .execute(&self.pool)
        .await
        .doing("saving a lexicon review")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "another review was saved at the same moment: reload and review again".into(),
            ));
        }
        self.lexicon_version(review.version_id)
            .await?
            .ok_or_else(|| {
                StoreError::Conflict(format!(
                    "lexicon proposal {} was reviewed but cannot be read back",
                    review.version_id
                ))
            })
    }

    /// The approved lexicon in force, if one was ever approved.
    pub async fn lexicon_in_force(&self) -> Result<Option<LexiconVersionRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE r.decision = 'approved' \
             ORDER BY r.seq DESC LIMIT 1"
        )))
        .fetch_optional(&self.pool)
        .await
        .doing("reading the lexicon in force")?;
        Ok(row.as_ref().map(record_of).transpose()?)
    }

    /// One proposal with its review.
    pub async fn lexicon_version(
        &self,
        id: Id,
    ) -> Result<Option<LexiconVersionRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE v.id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a lexicon proposal")?;
        Ok(row.as_ref().map(record_of).transpose()?)
    }

    /// Proposals newest first, each with its review.
    pub async fn lexicon_versions(
        &self,
        limit: i64,
    ) -> Result<Vec<LexiconVersionRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} ORDER BY v.seq DESC LIMIT {}",
            limit.max(1)
        )))
        .fetch_all(&self.pool)
        .await
        .doing("reading the lexicon's history")?;
        Ok(rows.iter().map(record_of).collect::<Result<Vec<_>, _>>()?)
    }
}
