//! Routing on every change of a case: the rules are evaluated against the
//! case's facts and every referral they require that the case does not have
//! yet is sent, with its explanation in the ledger.
//!
//! A hand-off once made is not withdrawn when a fact is retracted (the
//! receiving agency may already be acting); it shows as no longer required
//! in the case's routing view instead. A consent-bound referral without
//! recorded consent waits for consent or for an authorised override.

use qorgau_core::{Actor, Id};
use qorgau_response::{Agency, CaseKind};
use qorgau_routing::{ConsentOverride, Decision, Referral, Scope};
use qorgau_store::{CaseFile, ChangeBy, ReferralRecord};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// Why a referral the rules require has not gone out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Held {
    /// The agency kind the rules name.
    pub agency_kind: String,
    /// `consent_required`, `no_agency` or `support_case` (see [`Route::Hold`]).
    pub reason: String,
    /// The rules that require it.
    pub rules: Vec<String>,
}

/// What one routing run did.
#[derive(Debug, Clone, Default)]
pub struct RoutingRun {
    /// Referrals sent now.
    pub sent: Vec<ReferralRecord>,
    /// Referrals required but held back.
    pub held: Vec<Held>,
}

/// The agency of `kind` that should receive a case in `region`: the one
/// serving that region, else a national one (no region), else the first.
pub fn pick_agency<'a>(
    agencies: &'a [Agency],
    kind: &str,
    region: Option<&str>,
) -> Option<&'a Agency> {
    let of_kind: Vec<&Agency> = agencies.iter().filter(|a| a.kind == kind).collect();
    region
        .and_then(|r| of_kind.iter().find(|a| a.region.as_deref() == Some(r)))
        .or_else(|| of_kind.iter().find(|a| a.region.is_none()))
        .or_else(|| of_kind.first())
        .copied()
}

/// The actor a request acts as in the ledger: the signed-in user on the
/// server's host.
pub fn actor_of(state: &AppState, username: &str) -> Actor {
    Actor {
        user: username.to_owned(),
        host: state.vault.actor.host.clone(),
    }
}

/// Evaluates the rules for `case` and sends what is missing. With an
/// override, a consent-bound referral to `override_for` goes out too.
pub async fn route_case(
    state: &AppState,
    case: &CaseFile,
    actor: &Actor,
    override_for: Option<(&str, ConsentOverride)>,
) -> Result<RoutingRun, ApiError> {
    let store = &state.vault.store;
    let routing = crate::rules::in_force(state).await?;
    let decisions = qorgau_routing::evaluate(&routing.rules, &case.facts);
    let existing = store.referrals_of_case(case.case.id).await?;
    let agencies = store.agencies().await?;
    let owner_kind = agencies
        .iter()
        .find(|a| a.id == case.owner_agency_id)
        .map(|a| a.kind.clone());
    let by = ChangeBy {
        actor,
        tool: &state.vault.tool,
        key: &state.vault.key,
    };
    let now = state.clock.now().as_datetime();
    let mut run = RoutingRun::default();
    for decision in &decisions {
        let overridden = match &override_for {
            Some((kind, o)) if *kind == decision.agency => Some(o.clone()),
            _ => None,
        };
        let agency = match classify(
            case,
            decision,
            &existing,
            &agencies,
            owner_kind.as_deref(),
            overridden.is_some(),
        ) {
            Route::Skip => continue,
            Route::Hold(reason) => {
                run.held.push(Held {
                    agency_kind: decision.agency.clone(),
                    reason: reason.into(),
                    rules: rule_ids(decision),
                });
                continue;
            }
            Route::Send(agency) => agency,
        };
        let referral = Referral::send(decision, now, &actor.user, &routing.calendar, overridden)
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
        let explanation = serde_json::to_value(&decision.because)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        match store
            .add_referral(case.case.id, agency.id, &referral, explanation, by)
            .await
        {
            Ok(record) => run.sent.push(record),
            // Routed at the same moment by another request or a sweep's
            // job: the referral exists, which is all this run wanted.
            Err(qorgau_store::StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(run)
}

/// What to do with one decision of the rules.
pub enum Route<'a> {
    /// Nothing: the case already went there, or the agency owns it.
    Skip,
    /// Held back, for this reason: `consent_required` (no consent recorded
    /// and no override), `no_agency` (none of that kind registered), or
    /// `support_case` (a support case without a criminal case does not go
    /// to police, prosecutors or financial monitoring on the rules alone:
    /// that is the person's decision or a criminal case's).
    Hold(&'static str),
    /// Send it to this agency.
    Send(&'a Agency),
}

/// Decides one decision for `case`, given its referrals and the agencies.
/// The same function drives sending and the case page's "held" list, so
/// the page cannot claim what the server does not do.
pub fn classify<'a>(
    case: &CaseFile,
    decision: &Decision,
    existing: &[ReferralRecord],
    agencies: &'a [Agency],
    owner_kind: Option<&str>,
    consent_overridden: bool,
) -> Route<'a> {
    if existing.iter().any(|r| r.agency_kind == decision.agency)
        || owner_kind == Some(decision.agency.as_str())
    {
        return Route::Skip;
    }
    if case.kind == CaseKind::Support
        && decision
            .scopes
            .iter()
            .any(|s| matches!(s, Scope::Operational | Scope::Evidence | Scope::Identifiers))
    {
        return Route::Hold("support_case");
    }
    let Some(agency) = pick_agency(agencies, &decision.agency, case.facts.region.as_deref()) else {
        return Route::Hold("no_agency");
    };
    if !decision.may_send() && !consent_overridden {
        return Route::Hold("consent_required");
    }
    Route::Send(agency)
}

pub fn rule_ids(decision: &Decision) -> Vec<String> {
    decision.because.iter().map(|e| e.rule.clone()).collect()
}

/// The scopes of the live referrals of a case to `agency_id`.
pub fn referral_scopes(referrals: &[ReferralRecord], agency_id: Id) -> Vec<qorgau_routing::Scope> {
    referrals
        .iter()
        .filter(|r| {
            r.agency_id == agency_id
                && !matches!(
                    r.referral.state,
                    qorgau_routing::ReferralState::Rejected { .. }
                )
        })
        .flat_map(|r| r.referral.scopes.iter().copied())
        .collect()
}
