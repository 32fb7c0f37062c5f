//! The indicator lexicon over the API: read it, check an edit and see what
//! it would flag, propose it, and — another person, a supervisor — approve
//! or reject it; how each indicator fared in triage. An approved lexicon is
//! in force for every scan and monitoring run on this database from their
//! next start (`qorgau_store::lexicon_versions`, `crate::lexicon`).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use qorgau_response::Permission;
use qorgau_store::{LexiconDecision, LexiconVersionRecord, NewLexiconReview, NewLexiconVersion};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::lexicon::{self, FileDiff, Impact, IndicatorReview};
use crate::state::AppState;

/// A file of the lexicon in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct LexiconFile {
    /// Its name.
    pub name: String,
    /// Its size.
    pub bytes: usize,
}

/// A review as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewSummary {
    /// `approved` or `rejected`.
    pub decision: String,
    /// Why.
    pub note: String,
    /// When (UTC).
    pub reviewed_at: String,
    /// Who.
    pub reviewed_by: String,
}

/// A proposal as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalSummary {
    /// Its id.
    pub id: String,
    /// Its number.
    pub seq: i64,
    /// The version its files load as.
    pub version: String,
    /// The version it was edited from.
    pub based_on: String,
    /// Why, in its author's words.
    pub note: String,
    /// When (UTC).
    pub proposed_at: String,
    /// Who.
    pub proposed_by: String,
    /// `pending` (awaiting review), `stale` (made from a lexicon no longer
    /// in force: it cannot be approved), `approved` or `rejected`.
    pub status: String,
    /// Whether it is the lexicon in force.
    pub in_force: bool,
    /// The review, once it has one.
    pub review: Option<ReviewSummary>,
}

impl ProposalSummary {
    fn of(r: &LexiconVersionRecord, in_force: &str) -> Self {
        let status = match &r.review {
            Some(review) => review.decision.as_str(),
            None if r.based_on == in_force => "pending",
            None => "stale",
        };
        ProposalSummary {
            id: r.id.to_string(),
            seq: r.seq,
            version: r.version.clone(),
            based_on: r.based_on.clone(),
            note: r.note.clone(),
            proposed_at: r.proposed_at.to_utc_string(),
            proposed_by: r.proposed_by.clone(),
            status: status.to_owned(),
            in_force: r.version == in_force
                && r.review
                    .as_ref()
                    .is_some_and(|v| v.decision == LexiconDecision::Approved),
            review: r.review.as_ref().map(|v| ReviewSummary {
                decision: v.decision.as_str().to_owned(),
                note: v.note.clone(),
                reviewed_at: v.reviewed_at.to_utc_string(),
                reviewed_by: v.reviewed_by.clone(),
            }),
        }
    }
}

/// The lexicon in force and its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct LexiconView {
    /// The version every scan uses now.
    pub version: String,
    /// The approved proposal in force; `None` while the built-in lexicon is.
    pub approved: Option<ProposalSummary>,
    /// The built-in lexicon's version.
    pub builtin_version: String,
    /// Indicators and dampeners in force.
    pub entries: usize,
    /// Its files.
    pub files: Vec<LexiconFile>,
    /// The last 50 proposals, newest first.
    pub proposals: Vec<ProposalSummary>,
}

/// The lexicon in force, its files and the proposals.
#[utoipa::path(get, path = "/api/lexicon", tag = "lexicon",
    responses(
        (status = 200, description = "The lexicon in force", body = LexiconView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<LexiconView>, ApiError> {
    principal.require(Permission::EditLexicon)?;
    Ok(Json(view(&state).await?))
}

/// [`show`] for the API and the page.
pub async fn view(state: &AppState) -> Result<LexiconView, ApiError> {
    let store = &state.vault.store;
    let in_force = lexicon::in_force(store).await?;
    let proposals = store
        .lexicon_versions(50)
        .await?
        .iter()
        .map(|r| ProposalSummary::of(r, &in_force.version))
        .collect();
    let builtin_version = if in_force.record.is_none() {
        in_force.version.clone()
    } else {
        lexicon::builtin_version()?.to_owned()
    };
    Ok(LexiconView {
        version: in_force.version.clone(),
        approved: in_force
            .record
            .as_ref()
            .map(|r| ProposalSummary::of(r, &in_force.version)),
        builtin_version,
        entries: in_force.lexicon.len(),
        files: in_force
            .files
            .iter()
            .map(|(name, text)| LexiconFile {
                name: name.clone(),
                bytes: text.len(),
            })
            .collect(),
        proposals,
    })
}

/// One file of the lexicon in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct LexiconFileText {
    /// Its name.
    pub name: String,
    /// Its TOML.
    pub text: String,
    /// The version it belongs to: give it as `based_on` when proposing.
    pub version: String,
}

/// One file of the lexicon in force, to edit.
#[utoipa::path(get, path = "/api/lexicon/files/{name}", tag = "lexicon",
    params(("name" = String, Path, description = "File name, e.g. employment_abroad.toml")),
    responses(
        (status = 200, description = "The file", body = LexiconFileText),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such file", body = ErrorBody),
    ))]
pub async fn file(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Json<LexiconFileText>, ApiError> {
    principal.require(Permission::EditLexicon)?;
    let in_force = lexicon::in_force(&state.vault.store).await?;
    let text = in_force
        .files
        .get(&name)
        .ok_or_else(|| ApiError::NotFound(format!("the lexicon in force has no file {name:?}")))?;
    Ok(Json(LexiconFileText {
        name,
        text: text.clone(),
        version: in_force.version.clone(),
    }))
}

/// An edit of the lexicon in force.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LexiconEdit {
    /// Files to add or replace: name → TOML.
    #[serde(default)]
    pub changes: BTreeMap<String, String>,
    /// Files to remove.
    #[serde(default)]
    pub remove: Vec<String>,
}

/// What an edit would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct LexiconCheck {
    /// Whether the edited lexicon loads.
    pub ok: bool,
    /// Every problem, naming the file (and entry, pattern or line).
    pub errors: Vec<String>,
    /// The version it would report (when it loads).
    pub version: Option<String>,
    /// The version in force it was checked against.
    pub in_force: String,
    /// Indicators and dampeners (when it loads).
    pub entries: usize,
    /// The files it changes.
    pub diff: Vec<FileDiff>,
    /// What it would flag differently in the archive (when it loads).
    pub impact: Option<Impact>,
}

/// Checks an edit of the lexicon in force: whether it loads, the diff, and
/// the archived documents it would newly flag, stop flagging, or flag
/// under another scenario. Saves nothing.
#[utoipa::path(post, path = "/api/lexicon/check", tag = "lexicon",
    request_body = LexiconEdit,
    responses(
        (status = 200, description = "Loads or not, with the problems or the impact", body = LexiconCheck),
        (status = 400, description = "Not a JSON edit", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn check(
    State(state): State<AppState>,
    principal: Principal,
    Body(edit): Body<LexiconEdit>,
) -> Result<Json<LexiconCheck>, ApiError> {
    principal.require(Permission::EditLexicon)?;
    Ok(Json(check_edit(&state, &edit).await?))
}

/// [`check`] for the API and the page.
pub async fn check_edit(state: &AppState, edit: &LexiconEdit) -> Result<LexiconCheck, ApiError> {
    let in_force = lexicon::in_force(&state.vault.store).await?;
    let files = lexicon::apply(&in_force.files, &edit.changes, &edit.remove);
    let diff = lexicon::diff(&in_force.files, &files);
    Ok(match lexicon::load_blocking(&files).await? {
        Err(errors) => LexiconCheck {
            ok: false,
            errors,
            version: None,
            in_force: in_force.version.clone(),
            entries: 0,
            diff,
            impact: None,
        },
        Ok(candidate) => LexiconCheck {
            ok: true,
            errors: Vec::new(),
            version: Some(candidate.version().to_owned()),
            entries: candidate.len(),
            impact: Some(lexicon::impact(&state.vault.store, &in_force.lexicon, &candidate).await?),
            in_force: in_force.version.clone(),
            diff,
        },
    })
}

/// An edit proposed for review.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LexiconProposal {
    /// Files to add or replace: name → TOML.
    #[serde(default)]
    pub changes: BTreeMap<String, String>,
    /// Files to remove.
    #[serde(default)]
    pub remove: Vec<String>,
    /// The version in force when the edit began (`GET /api/lexicon`);
    /// refused if another was approved since.
    pub based_on: String,
    /// Why (kept with the proposal).
    pub note: String,
}

/// A proposal with what a reviewer needs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// The proposal.
    pub proposal: ProposalSummary,
    /// Its files' names.
    pub files: Vec<String>,
    /// How it differs from the lexicon it was made from.
    pub diff: Vec<FileDiff>,
    /// What it would flag differently from the lexicon in force (while
    /// pending).
    pub impact: Option<Impact>,
}

/// Proposes an edit of the lexicon in force. It loads (or is refused with
/// every problem) and changes something; it is in force only once another
/// person approves it.
#[utoipa::path(post, path = "/api/lexicon/proposals", tag = "lexicon",
    request_body = LexiconProposal,
    responses(
        (status = 201, description = "Proposed", body = ProposalView),
        (status = 400, description = "Does not load, changes nothing, or no note", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "Another lexicon was approved since the edit began", body = ErrorBody),
    ))]
pub async fn propose(
    State(state): State<AppState>,
    principal: Principal,
    Body(p): Body<LexiconProposal>,
) -> Result<(StatusCode, Json<ProposalView>), ApiError> {
    principal.require(Permission::EditLexicon)?;
    let view = propose_edit(&state, &principal.user.username, &p).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// [`propose`] for the API and the page.
pub async fn propose_edit(
    state: &AppState,
    username: &str,
    p: &LexiconProposal,
) -> Result<ProposalView, ApiError> {
    let note = p.note.trim();
    if note.is_empty() || note.chars().count() > 1000 {
        return Err(ApiError::BadRequest(
            "note: say what the edit changes and why (1 to 1000 characters)".into(),
        ));
    }
    let store = &state.vault.store;
    let in_force = lexicon::in_force(store).await?;
    if p.based_on != in_force.version {
        return Err(ApiError::Conflict(format!(
            "the lexicon in force is {} now, not {}: another edit was approved since this one \
             began; reload it and edit again",
            in_force.version, p.based_on
        )));
    }
    let files = lexicon::apply(&in_force.files, &p.changes, &p.remove);
    if files == in_force.files {
        return Err(ApiError::BadRequest(
            "the edit changes nothing in the lexicon in force".into(),
        ));
    }
    let candidate = lexicon::load_blocking(&files)
        .await?
        .map_err(|errors| ApiError::BadRequest(errors.join("\n")))?;
    let record = store
        .propose_lexicon(&NewLexiconVersion {
            version: candidate.version(),
            files: &files,
            based_on: &in_force.version,
            note,
            proposed_by: username,
        })
        .await?;
    tracing::info!(seq = record.seq, version = %record.version, by = username, "lexicon proposed");
    proposal_view(state, &record, Some(candidate)).await
}

/// One proposal with its diff and, while pending, its impact.
#[utoipa::path(get, path = "/api/lexicon/proposals/{id}", tag = "lexicon",
    params(("id" = String, Path, description = "Proposal id")),
    responses(
        (status = 200, description = "The proposal", body = ProposalView),
        (status = 400, description = "Not an id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such proposal", body = ErrorBody),
    ))]
pub async fn proposal(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<ProposalView>, ApiError> {
    principal.require(Permission::EditLexicon)?;
    Ok(Json(one(&state, &id).await?))
}

/// [`proposal`] for the API and the page.
pub async fn one(state: &AppState, id: &str) -> Result<ProposalView, ApiError> {
    let record = state
        .vault
        .store
        .lexicon_version(parse_id(id)?)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such lexicon proposal".into()))?;
    proposal_view(state, &record, None).await
}

/// `loaded`: the proposal's lexicon when the caller has just built it.
async fn proposal_view(
    state: &AppState,
    record: &LexiconVersionRecord,
    loaded: Option<qorgau_detect::Lexicon>,
) -> Result<ProposalView, ApiError> {
    let store = &state.vault.store;
    let in_force = lexicon::in_force(store).await?;
    let base = base_files(state, &record.based_on, &in_force).await?;
    let summary = ProposalSummary::of(record, &in_force.version);
    let impact = if summary.status == "pending" {
        let candidate = match loaded {
            Some(l) => l,
            None => lexicon::load_blocking(&record.files).await?.map_err(|e| {
                ApiError::Internal(format!(
                    "a stored proposal no longer loads: {}",
                    e.join("; ")
                ))
            })?,
        };
        Some(lexicon::impact(store, &in_force.lexicon, &candidate).await?)
    } else {
        None
    };
    Ok(ProposalView {
        proposal: summary,
        files: record.files.keys().cloned().collect(),
        diff: lexicon::diff(&base, &record.files),
        impact,
    })
}

/// The files of the version a proposal was made from: an approved one,
/// or the built-in lexicon; the one in force when neither matches (a
/// proposal made before an upgrade changed the built-in files).
async fn base_files(
    state: &AppState,
    version: &str,
    in_force: &lexicon::InForce,
) -> Result<BTreeMap<String, String>, ApiError> {
    if version == in_force.version {
        return Ok(in_force.files.clone());
    }
    if version == lexicon::builtin_version()? {
        return Ok(lexicon::builtin_files());
    }
    let older = state.vault.store.lexicon_versions(1000).await?;
    Ok(older
        .into_iter()
        .find(|r| {
            r.version == version
                && r.review
                    .as_ref()
                    .is_some_and(|v| v.decision == LexiconDecision::Approved)
        })
        .map_or_else(|| in_force.files.clone(), |r| r.files))
}

/// A reviewer's decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LexiconReviewInput {
    /// `approved` or `rejected`.
    pub decision: String,
    /// Why (kept with the review).
    pub note: String,
}

/// Approves a proposal (in force from every scan's next start) or rejects
/// it. Never by its author; an approval only of a proposal made from the
/// lexicon in force.
#[utoipa::path(post, path = "/api/lexicon/proposals/{id}/review", tag = "lexicon",
    params(("id" = String, Path, description = "Proposal id")),
    request_body = LexiconReviewInput,
    responses(
        (status = 200, description = "Reviewed", body = ProposalSummary),
        (status = 400, description = "Unknown decision or no note", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed, or the reviewer wrote it", body = ErrorBody),
        (status = 404, description = "No such proposal", body = ErrorBody),
        (status = 409, description = "Already reviewed, or made from a lexicon no longer in force", body = ErrorBody),
    ))]
pub async fn review(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(r): Body<LexiconReviewInput>,
) -> Result<Json<ProposalSummary>, ApiError> {
    principal.require(Permission::ReviewLexicon)?;
    Ok(Json(
        review_proposal(&state, &principal.user.username, &id, &r).await?,
    ))
}

/// [`review`] for the API and the page.
pub async fn review_proposal(
    state: &AppState,
    username: &str,
    id: &str,
    r: &LexiconReviewInput,
) -> Result<ProposalSummary, ApiError> {
    let decision = match r.decision.trim() {
        "approved" | "approve" => LexiconDecision::Approved,
        "rejected" | "reject" => LexiconDecision::Rejected,
        other => {
            return Err(ApiError::BadRequest(format!(
                "decision {other:?}: expected approved or rejected"
            )));
        }
    };
    let note = r.note.trim();
    if note.is_empty() || note.chars().count() > 1000 {
        return Err(ApiError::BadRequest(
            "note: say why (1 to 1000 characters)".into(),
        ));
    }
    let store = &state.vault.store;
    let version_id = parse_id(id)?;
    let record = store
        .lexicon_version(version_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such lexicon proposal".into()))?;
    if record.proposed_by == username {
        return Err(ApiError::Forbidden(
            "a lexicon change is reviewed by another person than its author".into(),
        ));
    }
    let in_force = lexicon::in_force(store).await?;
    let reviewed = store
        .review_lexicon(
            &NewLexiconReview {
                version_id,
                decision,
                note,
                reviewed_by: username,
            },
            &in_force.version,
        )
        .await?;
    tracing::info!(seq = reviewed.seq, version = %reviewed.version, decision = decision.as_str(),
        by = username, "lexicon reviewed");
    let now = if decision == LexiconDecision::Approved {
        reviewed.version.clone()
    } else {
        in_force.version.clone()
    };
    Ok(ProposalSummary::of(&reviewed, &now))
}

/// Every indicator of the lexicon in force with how triage judged the
/// documents it fired in: accepted, dismissed (by category, with the
/// latest reasons), waiting. Worst dismissed share first.
#[utoipa::path(get, path = "/api/lexicon/indicators", tag = "lexicon",
    responses(
        (status = 200, description = "Indicators with their triage record", body = Vec<IndicatorReview>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn indicators(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<IndicatorReview>>, ApiError> {
    principal.require(Permission::EditLexicon)?;
    let store = &state.vault.store;
    let in_force = lexicon::in_force(store).await?;
    Ok(Json(
        lexicon::indicator_review(store, &in_force.lexicon).await?,
    ))
}
