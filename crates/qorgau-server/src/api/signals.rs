//! Signal intake and the triage queue.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qorgau_core::Timestamp;
use qorgau_response::{
    DismissalCategory, Identifier, IdentifierKind, Permission, SignalDraft, SignalSource,
    SignalStatus, check_reason,
};
use qorgau_store::{Intake, SignalDecision, SignalRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::state::AppState;

/// An identifier a signal names.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct IdentifierInput {
    /// phone, email, handle, domain, card, wallet or iban.
    #[schema(value_type = String, example = "phone")]
    pub kind: IdentifierKind,
    /// The value as found (`+7 701 …`, `telegram:@name`).
    pub value: String,
}

/// A signal as a person or a partner system submits it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSignal {
    /// The suspicious resource (ad, channel, site), if any.
    pub resource: Option<String>,
    /// Identifiers it names.
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
    /// What was seen, in words.
    pub summary: String,
    /// Scenario, if known.
    pub scenario: Option<String>,
    /// Risk 0–1, from a detection system.
    pub risk: Option<f64>,
}

/// What intake did.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeView {
    /// The signal this report belongs to.
    pub signal: String,
    /// True when the report made a new signal; false when it joined one.
    pub new: bool,
    /// Reports the signal has.
    pub reports: u64,
    /// Other signals sharing a resource or identifier.
    pub related_signals: Vec<String>,
    /// Cases those are in.
    pub related_cases: Vec<String>,
}

impl IntakeView {
    /// The view of an intake result.
    pub fn of(i: &Intake) -> Self {
        Self {
            signal: i.signal_id.to_string(),
            new: i.new,
            reports: i.reports,
            related_signals: i.related_signals.iter().map(|s| s.to_string()).collect(),
            related_cases: i.related_cases.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// A signal in the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignalView {
    /// Id.
    pub id: String,
    /// detection, partner, complaint or manual.
    pub source: String,
    /// The resource, normalised.
    pub resource: Option<String>,
    /// First report's words.
    pub summary: String,
    /// Scenario.
    pub scenario: Option<String>,
    /// Highest risk reported.
    pub risk: Option<f64>,
    /// new, accepted or dismissed.
    pub status: String,
    /// Case it was accepted into.
    pub case_id: Option<String>,
    /// First report (UTC).
    pub first_reported_at: String,
    /// Latest report (UTC).
    pub last_reported_at: String,
    /// Reports.
    pub reports: u64,
    /// Triage decisions (dismissals and reopenings), oldest first; only on
    /// the single-signal view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Vec<DecisionView>>,
}

/// A triage decision as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    /// Id.
    pub id: String,
    /// dismissed or reopened.
    pub action: String,
    /// Dismissal category.
    pub category: Option<String>,
    /// Whether the category says the detection rules were wrong.
    pub false_positive: bool,
    /// The person's words.
    pub reason: String,
    /// Who decided (user name).
    pub decided_by: String,
    /// When (UTC).
    pub decided_at: String,
}

impl DecisionView {
    fn of(d: &SignalDecision) -> Self {
        Self {
            id: d.id.to_string(),
            action: d.action.clone(),
            category: d.category.clone(),
            false_positive: d
                .category
                .as_deref()
                .and_then(DismissalCategory::parse)
                .is_some_and(DismissalCategory::is_false_positive),
            reason: d.reason.clone(),
            decided_by: d.decided_by.clone(),
            decided_at: d.decided_at.to_utc_string(),
        }
    }
}

impl SignalView {
    fn of(s: &SignalRecord) -> Self {
        Self {
            id: s.id.to_string(),
            source: s.source.clone(),
            resource: s.resource.clone(),
            summary: s.summary.clone(),
            scenario: s.scenario.clone(),
            risk: s.risk,
            status: s.status.as_str().to_owned(),
            case_id: s.case_id.map(|c| c.to_string()),
            first_reported_at: s.first_reported_at.to_utc_string(),
            last_reported_at: s.last_reported_at.to_utc_string(),
            reports: s.reports,
            decisions: None,
        }
    }
}

/// Builds a checked draft from the API's input.
pub fn draft_of(new: NewSignal, source: SignalSource) -> SignalDraft {
    SignalDraft {
        source,
        resource: new.resource,
        identifiers: new
            .identifiers
            .into_iter()
            .map(|i| Identifier {
                kind: i.kind,
                value: i.value,
            })
            .collect(),
        summary: new.summary,
        scenario: new.scenario.filter(|s| !s.trim().is_empty()),
        risk: new.risk,
    }
}

/// Submits a signal (by hand, or from a partner system with an API token).
/// A resource or identifiers seen before join the existing signal.
#[utoipa::path(post, path = "/api/signals", tag = "signals",
    request_body = NewSignal,
    responses(
        (status = 201, description = "A new signal", body = IntakeView),
        (status = 200, description = "Joined an existing signal", body = IntakeView),
        (status = 400, description = "Invalid signal", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    principal: Principal,
    Body(new): Body<NewSignal>,
) -> Result<(StatusCode, Json<IntakeView>), ApiError> {
    principal.require(Permission::SubmitSignal)?;
    let source = if principal
        .user
        .roles
        .contains(&qorgau_response::Role::PartnerSystem)
    {
        SignalSource::Partner
    } else {
        SignalSource::Manual
    };
    let draft = draft_of(new, source);
    let keys = draft
        .keys()
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let intake = state
        .take_signal(
            draft,
            keys,
            &principal.user.username,
            Some(principal.user.agency_id),
            Timestamp::now(),
        )
        .await?;
    let status = if intake.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(IntakeView::of(&intake))))
}

/// Queue filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// new, accepted or dismissed (default: all).
    pub status: Option<String>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// The signal queue, latest report first.
#[utoipa::path(get, path = "/api/signals", tag = "signals",
    params(QueueQuery),
    responses(
        (status = 200, description = "Signals", body = Vec<SignalView>),
        (status = 400, description = "Invalid filter", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    principal: Principal,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<SignalView>>, ApiError> {
    principal.require(Permission::ReadSignals)?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(SignalStatus::parse(s).ok_or_else(|| {
            ApiError::BadRequest(format!("status {s:?}: use new, accepted or dismissed"))
        })?),
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let signals = state.vault.store.signals(status, limit).await?;
    Ok(Json(signals.iter().map(SignalView::of).collect()))
}

/// One signal.
#[utoipa::path(get, path = "/api/signals/{id}", tag = "signals",
    params(("id" = String, Path, description = "Signal id")),
    responses(
        (status = 200, description = "The signal", body = SignalView),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such signal", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<SignalView>, ApiError> {
    principal.require(Permission::ReadSignals)?;
    let id = parse_id(&id)?;
    let signal = state
        .vault
        .store
        .signal(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such signal".into()))?;
    let decisions = state.vault.store.signal_decisions(id).await?;
    let mut view = SignalView::of(&signal);
    view.decisions = Some(decisions.iter().map(DecisionView::of).collect());
    Ok(Json(view))
}

/// A dismissal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dismissal {
    /// legitimate, not_trafficking, duplicate, insufficient,
    /// out_of_jurisdiction or other.
    pub category: String,
    /// Why, in words (kept: the lexicon's review reads them).
    pub reason: String,
}

/// A reopening.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reopening {
    /// Why the signal needs triage again.
    pub reason: String,
}

async fn decide(
    state: &AppState,
    principal: &Principal,
    id: &str,
    action: &str,
    category: Option<DismissalCategory>,
    reason: &str,
) -> Result<Json<SignalView>, ApiError> {
    let id = parse_id(id)?;
    let reason = check_reason(reason).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let store = &state.vault.store;
    store
        .decide_signal(&SignalDecision {
            id: qorgau_core::Id::new(),
            signal_id: id,
            action: action.into(),
            category: category.map(|c| c.as_str().to_owned()),
            reason,
            decided_by: principal.user.username.clone(),
            agency_id: Some(principal.user.agency_id),
            decided_at: Timestamp::now(),
        })
        .await
        .map_err(|e| match e {
            qorgau_store::StoreError::Conflict(m) if m.starts_with("no signal") => {
                ApiError::NotFound("no such signal".into())
            }
            other => other.into(),
        })?;
    let signal = store
        .signal(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such signal".into()))?;
    let mut view = SignalView::of(&signal);
    view.decisions = Some(
        store
            .signal_decisions(id)
            .await?
            .iter()
            .map(DecisionView::of)
            .collect(),
    );
    Ok(Json(view))
}

/// Dismisses a new signal with a category and a reason, both kept. Later
/// reports of the same resource join it without reopening it; reopen it
/// to triage it again.
#[utoipa::path(post, path = "/api/signals/{id}/dismiss", tag = "signals",
    params(("id" = String, Path, description = "Signal id")),
    request_body = Dismissal,
    responses(
        (status = 200, description = "Dismissed", body = SignalView),
        (status = 400, description = "Invalid category or reason", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such signal", body = ErrorBody),
        (status = 409, description = "Not a new signal", body = ErrorBody),
    ))]
pub async fn dismiss(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(d): Body<Dismissal>,
) -> Result<Json<SignalView>, ApiError> {
    principal.require(Permission::TriageSignals)?;
    let category = DismissalCategory::parse(&d.category).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "category {:?}: use one of {}",
            d.category,
            DismissalCategory::ALL
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    decide(
        &state,
        &principal,
        &id,
        "dismissed",
        Some(category),
        &d.reason,
    )
    .await
}

/// Puts a dismissed signal back in the queue, with a reason.
#[utoipa::path(post, path = "/api/signals/{id}/reopen", tag = "signals",
    params(("id" = String, Path, description = "Signal id")),
    request_body = Reopening,
    responses(
        (status = 200, description = "Back in the queue", body = SignalView),
        (status = 400, description = "Invalid reason", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such signal", body = ErrorBody),
        (status = 409, description = "Not a dismissed signal", body = ErrorBody),
    ))]
pub async fn reopen(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(r): Body<Reopening>,
) -> Result<Json<SignalView>, ApiError> {
    principal.require(Permission::TriageSignals)?;
    decide(&state, &principal, &id, "reopened", None, &r.reason).await
}

/// Filters of the dismissals list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DismissalsQuery {
    /// Only dismissals at or after this instant (UTC, RFC 3339).
    pub since: Option<String>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// A dismissal with its signal, for the lexicon's review.
#[derive(Debug, Serialize, ToSchema)]
pub struct DismissalView {
    /// The decision.
    pub decision: DecisionView,
    /// The signal dismissed.
    pub signal: SignalView,
}

/// Dismissals, newest first: what the detection rules flagged and people
/// found wrong (`false_positive`), with their reasons; the input of the
/// lexicon's review.
#[utoipa::path(get, path = "/api/signal-dismissals", tag = "signals",
    params(DismissalsQuery),
    responses(
        (status = 200, description = "Dismissals", body = Vec<DismissalView>),
        (status = 400, description = "Invalid filter", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn dismissals(
    State(state): State<AppState>,
    principal: Principal,
    Query(q): Query<DismissalsQuery>,
) -> Result<Json<Vec<DismissalView>>, ApiError> {
    principal.require(Permission::ReadSignals)?;
    let since =
        match q.since.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(Timestamp::parse(text).map_err(|e| {
                ApiError::BadRequest(format!("since {text:?} is not a UTC time: {e}"))
            })?),
        };
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let rows = state.vault.store.dismissals(since, limit).await?;
    Ok(Json(
        rows.iter()
            .map(|(d, s)| DismissalView {
                decision: DecisionView::of(d),
                signal: SignalView::of(s),
            })
            .collect(),
    ))
}
