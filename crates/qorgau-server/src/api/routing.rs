//! Routing over the API: which agencies a case with these facts goes to,
//! what each may see, by when, and why: the preview a supervisor uses to
//! check the rules. The same `evaluate` runs on every change of a case
//! (`crate::flow`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qorgau_response::Permission;
use qorgau_routing::CaseFacts;
use qorgau_store::{NewJob, WorkFilter, WorkState};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::state::AppState;

/// The facts of a case that rules test (every field optional; booleans mean
/// "established").
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documents the request body for OpenAPI; parsed as `CaseFacts`
pub struct FactsInput {
    /// Scenario id (e.g. `sexual_exploitation`).
    scenario: Option<String>,
    /// A person under 18 is involved.
    minor_involved: Option<bool>,
    /// A victim has been identified.
    victim_identified: Option<bool>,
    /// The victim's consent to consent-bound referrals is recorded.
    victim_consent: Option<bool>,
    /// Crypto-assets are involved.
    crypto_involved: Option<bool>,
    /// A resource is hosted abroad.
    foreign_hosting: Option<bool>,
    /// A suspect is abroad or a foreign national.
    foreign_suspects: Option<bool>,
    /// Region (ISO 3166-2:KZ).
    region: Option<String>,
    /// Analysts' tags.
    tags: Option<Vec<String>>,
}

/// The referrals the rules make for these facts, each with the agency, the
/// data it may see, the deadlines, whether consent is needed, and the rules
/// and fact values that made it.
#[utoipa::path(post, path = "/api/routing/evaluate", tag = "routing",
    request_body = FactsInput,
    responses(
        (status = 200, description = "Decisions with explanations (rule set version included)", body = Object),
        (status = 400, description = "Unknown fact", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn evaluate(
    State(state): State<AppState>,
    principal: Principal,
    Body(facts): Body<CaseFacts>,
) -> Result<Json<serde_json::Value>, ApiError> {
    principal.require(Permission::PreviewRouting)?;
    let in_force = crate::rules::in_force(&state).await?;
    let rules = &in_force.rules;
    let decisions = qorgau_routing::evaluate(rules, &facts);
    Ok(Json(serde_json::json!({
        "rules_version": rules.version,
        "decisions": decisions,
    })))
}

/// The sweep queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct SweepQueued {
    /// The `routing-sweep` job (follow it at `/api/jobs/{id}`).
    pub job: String,
    /// A sweep was already queued or running; this is that one.
    pub already_queued: bool,
}

/// Routes every open case again against the current rules and agency
/// directory, in the background: after registering an agency of a kind
/// cases were held for, or after a new rule file, instead of waiting for
/// the schedule (which sweeps once per change of rules or directory).
/// Sends only what the rules require and was never sent; consent-bound
/// referrals stay held.
#[utoipa::path(post, path = "/api/routing/sweep", tag = "routing",
    responses(
        (status = 202, description = "The sweep job", body = SweepQueued),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "The running sweep ended at that moment; ask again", body = ErrorBody),
    ))]
pub async fn sweep(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<(StatusCode, Json<SweepQueued>), ApiError> {
    principal.require(Permission::ManageAgencies)?;
    let store = &state.vault.store;
    let mut job = NewJob::new(
        crate::rerouting::SWEEP_KIND,
        serde_json::json!({}),
        &principal.user.username,
    );
    job.singleton = Some(crate::rerouting::SWEEP_KIND.to_owned());
    job.priority = 1;
    if let Some(id) = store.submit_job(&job).await? {
        return Ok((
            StatusCode::ACCEPTED,
            Json(SweepQueued {
                job: id.to_string(),
                already_queued: false,
            }),
        ));
    }
    let active = store
        .work_jobs(&WorkFilter {
            kind: Some(crate::rerouting::SWEEP_KIND.to_owned()),
            limit: 20,
            ..WorkFilter::default()
        })
        .await?
        .into_iter()
        .find(|j| matches!(j.state, WorkState::Queued | WorkState::Running))
        .ok_or_else(|| {
            ApiError::Conflict("a sweep ended while this one was queued; ask again".into())
        })?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SweepQueued {
            job: active.id.to_string(),
            already_queued: true,
        }),
    ))
}

/// One saved rule set, without its text.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetSummary {
    /// Place in the history (1 = first saved).
    pub seq: i64,
    /// The file's version label.
    pub version: String,
    /// SHA-256 of the text.
    pub sha256: String,
    /// SHA-256 of the rules it replaced.
    pub based_on: String,
    /// Why it changed.
    pub note: String,
    /// When (UTC).
    pub saved_at: String,
    /// Who.
    pub saved_by: String,
}

impl From<qorgau_store::RuleSetRecord> for RuleSetSummary {
    fn from(r: qorgau_store::RuleSetRecord) -> Self {
        Self {
            seq: r.seq,
            version: r.version,
            sha256: r.sha256,
            based_on: r.based_on,
            note: r.note,
            saved_at: r.saved_at.to_utc_string(),
            saved_by: r.saved_by,
        }
    }
}

/// The rules in force and their history.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesView {
    /// Where they come from: `built-in`, a file, or `saved rule set N`.
    pub source: String,
    /// The version label.
    pub version: String,
    /// SHA-256 of the text: name it as `based_on` when saving an edit.
    pub sha256: String,
    /// The TOML text.
    pub text: String,
    /// Saved rule sets, newest first.
    pub history: Vec<RuleSetSummary>,
}

/// The routing rules in force (the TOML an administrator edits) and who
/// changed them when.
#[utoipa::path(get, path = "/api/routing/rules", tag = "routing",
    responses(
        (status = 200, description = "The rules in force", body = RulesView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn rules(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<RulesView>, ApiError> {
    principal.require(Permission::PreviewRouting)?;
    Ok(Json(rules_view(&state).await?))
}

/// The rules in force and the last 50 saved, for the API and the page.
pub async fn rules_view(state: &AppState) -> Result<RulesView, ApiError> {
    let in_force = crate::rules::in_force(state).await?;
    let history = state
        .vault
        .store
        .rule_set_history(50)
        .await?
        .into_iter()
        .map(RuleSetSummary::from)
        .collect();
    Ok(RulesView {
        source: in_force.source.clone(),
        version: in_force.rules.version.clone(),
        sha256: in_force.sha256.clone(),
        text: in_force.text.clone(),
        history,
    })
}

/// A rule text to check.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct RulesText {
    /// The TOML (format = 1).
    pub text: String,
}

/// What a rule text would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesCheck {
    /// Whether the text is a valid rule set.
    pub ok: bool,
    /// Every problem, with its line and column.
    pub errors: Vec<String>,
    /// Its version label (when valid).
    pub version: Option<String>,
    /// Number of rules (when valid).
    pub rules: usize,
    /// The open cases it would route differently (when valid).
    pub impact: Vec<crate::rules::CaseImpact>,
}

/// Largest rule text accepted (the shipped one is about 10 KiB).
pub const RULES_MAX_BYTES: usize = 256 * 1024;

/// Checks a rule text and, when it is valid, lists the open cases it
/// would change: referrals it would send (after saving, by the sweep),
/// hold, or no longer require. Saves nothing.
#[utoipa::path(post, path = "/api/routing/rules/check", tag = "routing",
    request_body = RulesText,
    responses(
        (status = 200, description = "Valid or not, with the problems or the impact", body = RulesCheck),
        (status = 400, description = "Not a JSON body with a text", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn check_rules(
    State(state): State<AppState>,
    principal: Principal,
    Body(body): Body<RulesText>,
) -> Result<Json<RulesCheck>, ApiError> {
    principal.require(Permission::ManageAgencies)?;
    Ok(Json(check_text(&state, &body.text).await?))
}

/// [`check_rules`] for the API and the page.
pub async fn check_text(state: &AppState, text: &str) -> Result<RulesCheck, ApiError> {
    if text.len() > RULES_MAX_BYTES {
        return Ok(RulesCheck {
            ok: false,
            errors: vec![format!(
                "the rules are {} bytes; at most {RULES_MAX_BYTES} are accepted",
                text.len()
            )],
            version: None,
            rules: 0,
            impact: Vec::new(),
        });
    }
    match crate::state::check_rules("rules.toml", text) {
        Err(errors) => Ok(RulesCheck {
            ok: false,
            errors: errors.lines().map(str::to_owned).collect(),
            version: None,
            rules: 0,
            impact: Vec::new(),
        }),
        Ok(rules) => Ok(RulesCheck {
            ok: true,
            errors: Vec::new(),
            version: Some(rules.version.clone()),
            rules: rules.rules.len(),
            impact: crate::rules::impact(state, &rules).await?,
        }),
    }
}

/// A rule set to save.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct RulesSave {
    /// The TOML (format = 1).
    pub text: String,
    /// The `sha256` of the rules the edit started from (from
    /// `GET /api/routing/rules`); saving fails if others were saved since.
    pub based_on: String,
    /// Why the rules change (kept in the history).
    pub note: String,
}

/// What a save did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesSaved {
    /// The saved rule set.
    pub saved: RuleSetSummary,
    /// The open cases it routes differently, as checked before saving.
    pub impact: Vec<crate::rules::CaseImpact>,
    /// The sweep that sends the new referrals (`/api/jobs/{id}`), when any
    /// case gains one.
    pub sweep_job: Option<String>,
}

/// Saves a rule set as the one in force for every server and worker, after
/// checking it; then queues the sweep that sends what it newly requires.
#[utoipa::path(put, path = "/api/routing/rules", tag = "routing",
    request_body = RulesSave,
    responses(
        (status = 200, description = "Saved", body = RulesSaved),
        (status = 400, description = "Invalid rules (every problem with its line) or no note", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "Rules were saved since the edit began", body = ErrorBody),
    ))]
pub async fn save_rules(
    State(state): State<AppState>,
    principal: Principal,
    Body(body): Body<RulesSave>,
) -> Result<Json<RulesSaved>, ApiError> {
    principal.require(Permission::ManageAgencies)?;
    Ok(Json(
        save_text(
            &state,
            &principal.user.username,
            &body.text,
            &body.based_on,
            &body.note,
        )
        .await?,
    ))
}

/// [`save_rules`] for the API and the page.
pub async fn save_text(
    state: &AppState,
    username: &str,
    text: &str,
    based_on: &str,
    note: &str,
) -> Result<RulesSaved, ApiError> {
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 1000 {
        return Err(ApiError::BadRequest(
            "note: say why the rules change (1 to 1000 characters)".into(),
        ));
    }
    let check = check_text(state, text).await?;
    let Some(version) = check.version.clone().filter(|_| check.ok) else {
        return Err(ApiError::BadRequest(check.errors.join("\n")));
    };
    let in_force = crate::rules::in_force(state).await?;
    let record = state
        .vault
        .store
        .save_rule_set(
            &qorgau_store::NewRuleSet {
                version: &version,
                source: text,
                based_on,
                note,
                saved_by: username,
            },
            &in_force.sha256,
        )
        .await?;
    tracing::info!(seq = record.seq, version = %record.version, by = username, "routing rules saved");
    // This process at once; the others on their next routing.
    crate::rules::in_force(state).await?;
    let sweep_job = if check.impact.iter().any(|c| !c.would_send.is_empty()) {
        let mut job = NewJob::new(
            crate::rerouting::SWEEP_KIND,
            serde_json::json!({ "rule_set": record.seq }),
            username,
        );
        job.singleton = Some(crate::rerouting::SWEEP_KIND.to_owned());
        job.priority = 1;
        state
            .vault
            .store
            .submit_job(&job)
            .await?
            .map(|id| id.to_string())
    } else {
        None
    };
    Ok(RulesSaved {
        saved: RuleSetSummary::from(record),
        impact: check.impact,
        sweep_job,
    })
}
