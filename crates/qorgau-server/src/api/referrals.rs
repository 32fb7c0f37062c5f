//! Referrals between agencies: the boards (incoming, outgoing), the steps
//! of the receiving agency (acknowledge or reject, act, close with an
//! outcome), and the escalations of missed deadlines.
//!
//! Only the receiving agency moves a referral; only agencies with a part in
//! the case see it. Each step is a ledger entry on the case's chain.

use axum::Json;
use axum::extract::{Path, Query, State};
use qorgau_core::Timestamp;
use qorgau_response::Permission;
use qorgau_routing::Outcome;
use qorgau_store::{ChangeBy, EscalationRecord, ReferralRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::escalation;
use crate::flow::actor_of;
use crate::json::Body;
use crate::state::AppState;

/// A referral as the boards show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralView {
    /// Id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The receiving agency.
    pub agency_id: String,
    /// Its kind.
    pub agency_kind: String,
    /// sent, acknowledged, rejected, acted or closed.
    pub state: String,
    /// What the agency may see.
    pub scopes: Vec<String>,
    /// normal or heavy.
    #[schema(value_type = String)]
    pub escalation: qorgau_routing::Escalation,
    /// Rules that required it.
    pub rules: Vec<String>,
    /// Consent basis (not_required, recorded, or overridden with who and why).
    #[schema(value_type = Object)]
    pub consent: qorgau_routing::ConsentBasis,
    /// When sent (UTC).
    pub sent_at: String,
    /// Acknowledge or reject by (UTC).
    pub acknowledge_by: String,
    /// Act by (UTC).
    pub act_by: String,
    /// Deadlines missed at the time of the answer (acknowledgement, action).
    pub overdue: Vec<String>,
    /// Every step.
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<qorgau_routing::Event>,
    /// Escalations raised.
    #[schema(value_type = Vec<Object>)]
    pub escalations: Vec<qorgau_routing::EscalationRecord>,
}

impl ReferralView {
    /// The view of a stored referral, overdue as of now.
    pub fn of(r: &ReferralRecord) -> Self {
        Self::at(r, Timestamp::now())
    }

    /// The view of a stored referral, overdue as of `now`.
    pub fn at(r: &ReferralRecord, now: Timestamp) -> Self {
        let referral = &r.referral;
        Self {
            id: r.id.to_string(),
            case_id: r.case_id.to_string(),
            agency_id: r.agency_id.to_string(),
            agency_kind: r.agency_kind.clone(),
            state: referral.state.name().into(),
            scopes: referral.scopes.iter().map(|s| s.as_str().into()).collect(),
            escalation: referral.escalation,
            rules: referral.rules.clone(),
            consent: referral.consent.clone(),
            sent_at: Timestamp::from_datetime(referral.sent_at).to_utc_string(),
            acknowledge_by: Timestamp::from_datetime(referral.acknowledge_by).to_utc_string(),
            act_by: Timestamp::from_datetime(referral.act_by).to_utc_string(),
            overdue: referral
                .overdue(now.as_datetime())
                .iter()
                .map(|o| match o.missed {
                    qorgau_routing::Missed::Acknowledgement => "acknowledgement".into(),
                    qorgau_routing::Missed::Action => "action".into(),
                })
                .collect(),
            history: referral.history.clone(),
            escalations: referral.escalations.clone(),
        }
    }
}

/// Board filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct BoardQuery {
    /// incoming (made to the caller's agency, default) or outgoing (made
    /// from the agency's cases).
    pub direction: Option<String>,
}

/// The referrals board of the caller's agency.
#[utoipa::path(get, path = "/api/referrals", tag = "referrals",
    params(BoardQuery),
    responses(
        (status = 200, description = "Referrals, oldest first", body = Vec<ReferralView>),
        (status = 400, description = "Invalid direction", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn board(
    State(state): State<AppState>,
    principal: Principal,
    Query(q): Query<BoardQuery>,
) -> Result<Json<Vec<ReferralView>>, ApiError> {
    principal.require(Permission::ReadCases)?;
    let store = &state.vault.store;
    let agency = principal.user.agency_id;
    let now = state.clock.now();
    let records = match q.direction.as_deref() {
        None | Some("") | Some("incoming") => store.referrals_to_agency(agency).await?,
        Some("outgoing") => {
            let mut out = Vec::new();
            for case in store.case_files_for_agency(agency, 1000).await? {
                if case.owner_agency_id == agency {
                    out.extend(store.referrals_of_case(case.case.id).await?);
                }
            }
            out
        }
        Some(d) => {
            return Err(ApiError::BadRequest(format!(
                "direction {d:?}: use incoming or outgoing"
            )));
        }
    };
    Ok(Json(
        records.iter().map(|r| ReferralView::at(r, now)).collect(),
    ))
}

/// A step on a referral.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// acknowledge, reject, act or close.
    pub action: String,
    /// Why (reject), what was done (act), or the description of an
    /// `other` outcome.
    pub note: Option<String>,
    /// For close: services_given, refused_by_person, unreachable,
    /// referred_elsewhere, no_action_needed or other.
    pub outcome: Option<String>,
}

fn outcome_of(name: &str, note: Option<&str>) -> Result<Outcome, ApiError> {
    Ok(match name {
        "services_given" => Outcome::ServicesGiven,
        "refused_by_person" => Outcome::RefusedByPerson,
        "unreachable" => Outcome::Unreachable,
        "referred_elsewhere" => Outcome::ReferredElsewhere,
        "no_action_needed" => Outcome::NoActionNeeded,
        "other" => Outcome::Other(note.unwrap_or_default().trim().to_owned()),
        other => {
            return Err(ApiError::BadRequest(format!(
                "outcome {other:?}: use services_given, refused_by_person, unreachable, \
                 referred_elsewhere, no_action_needed or other"
            )));
        }
    })
}

/// The receiving agency acknowledges, rejects (with a reason), reports
/// action on, or closes (with an outcome) a referral.
#[utoipa::path(post, path = "/api/referrals/{id}/steps", tag = "referrals",
    params(("id" = String, Path, description = "Referral id")),
    request_body = Step,
    responses(
        (status = 200, description = "Done", body = ReferralView),
        (status = 400, description = "Invalid step", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such referral to your agency", body = ErrorBody),
        (status = 409, description = "Not possible from the referral's state", body = ErrorBody),
    ))]
pub async fn step(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(step): Body<Step>,
) -> Result<Json<ReferralView>, ApiError> {
    principal.require(Permission::RespondToReferrals)?;
    let id = parse_id(&id)?;
    let store = &state.vault.store;
    let mut record = store
        .referral(id)
        .await?
        .filter(|r| r.agency_id == principal.user.agency_id)
        .ok_or_else(|| ApiError::NotFound("no such referral to your agency".into()))?;
    let now = state.clock.now();
    let at = now.as_datetime();
    let by_name = principal.user.username.as_str();
    let note = step.note.as_deref().unwrap_or_default();
    let expected = record.referral.state.name();
    let referral = &mut record.referral;
    let result = match step.action.as_str() {
        "acknowledge" => referral.acknowledge(at, by_name),
        "reject" => referral.reject(at, by_name, note),
        "act" => referral.act(at, by_name, note),
        "close" => {
            let outcome = outcome_of(
                step.outcome
                    .as_deref()
                    .ok_or_else(|| ApiError::BadRequest("close needs an outcome".into()))?,
                step.note.as_deref(),
            )?;
            referral.close(at, by_name, outcome)
        }
        other => {
            return Err(ApiError::BadRequest(format!(
                "action {other:?}: use acknowledge, reject, act or close"
            )));
        }
    };
    result.map_err(|e| match e {
        qorgau_routing::ReferralError::InvalidTransition { .. } => {
            ApiError::Conflict(e.to_string())
        }
        other => ApiError::BadRequest(other.to_string()),
    })?;
    let late = match (&step.action[..], referral.acknowledged_late()) {
        ("acknowledge" | "reject", Some(late)) => late,
        _ => false,
    };
    let details = serde_json::json!({
        "action": "referral_step",
        "referral": record.id.to_string(),
        "agency_kind": record.agency_kind,
        "step": step.action,
        "state": record.referral.state,
        "late": late,
    });
    let actor = actor_of(&state, by_name);
    store
        .save_referral(
            &record,
            expected,
            details,
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok(Json(ReferralView::at(&record, now)))
}

/// An escalation as dashboards show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EscalationView {
    /// Id.
    pub id: String,
    /// The referral.
    pub referral_id: String,
    /// Its case.
    pub case_id: String,
    /// The agency that missed the deadline.
    pub agency_id: String,
    /// acknowledgement or action.
    pub missed: String,
    /// When it was due (UTC).
    pub due: String,
    /// Who receives it (the supervisor role of the agency).
    pub to_role: String,
    /// A heavy-escalation referral (Interpol NCB).
    pub heavy: bool,
    /// When raised (UTC).
    pub raised_at: String,
}

impl EscalationView {
    fn of(e: &EscalationRecord) -> Self {
        Self {
            id: e.id.to_string(),
            referral_id: e.referral_id.to_string(),
            case_id: e.case_id.to_string(),
            agency_id: e.agency_id.to_string(),
            missed: e.missed.clone(),
            due: e.due.to_utc_string(),
            to_role: e.to_role.clone(),
            heavy: e.heavy,
            raised_at: e.raised_at.to_utc_string(),
        }
    }
}

/// Missed deadlines still open, for the caller's dashboard: those of
/// referrals made to the caller's agency and of referrals from its cases.
#[utoipa::path(get, path = "/api/escalations", tag = "referrals",
    responses(
        (status = 200, description = "Open escalations, newest first", body = Vec<EscalationView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn escalations(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<EscalationView>>, ApiError> {
    principal.require(Permission::ReadCases)?;
    let store = &state.vault.store;
    let agency = principal.user.agency_id;
    let mut out = Vec::new();
    for e in store.open_escalations().await? {
        let visible = e.agency_id == agency
            || store
                .case_file(e.case_id)
                .await?
                .is_some_and(|c| c.owner_agency_id == agency);
        if visible {
            out.push(EscalationView::of(&e));
        }
    }
    Ok(Json(out))
}

/// Runs the deadline check now (it also runs on a timer).
#[utoipa::path(post, path = "/api/escalations/run", tag = "referrals",
    responses(
        (status = 200, description = "Escalations raised by this run", body = Vec<EscalationView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn run_escalations(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<EscalationView>>, ApiError> {
    principal.require(Permission::RunEscalations)?;
    let actor = actor_of(&state, &principal.user.username);
    let raised = escalation::run_once(&state, &actor).await?;
    Ok(Json(raised.iter().map(EscalationView::of).collect()))
}
