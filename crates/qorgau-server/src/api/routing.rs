//! Routing over the API: which agencies a case with these facts goes to,
//! what each may see, by when, and why: the preview a supervisor uses to
//! check the rules. The same `evaluate` runs on every change of a case
//! (`crate::flow`).

use axum::Json;
use axum::extract::State;
use qorgau_response::Permission;
use qorgau_routing::CaseFacts;
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
    let rules = &state.routing.rules;
    let decisions = qorgau_routing::evaluate(rules, &facts);
    Ok(Json(serde_json::json!({
        "rules_version": rules.version,
        "decisions": decisions,
    })))
}
