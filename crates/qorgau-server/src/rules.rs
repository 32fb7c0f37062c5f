//! The routing rules in force, and changing them.
//!
//! An administrator edits the rules in the server: the text is checked with
//! line-numbered errors, the open cases it would change are shown before
//! anything is saved, and a saved rule set goes into the database
//! (`store::routing_rules`), where every server and worker sharing it picks
//! it up on its next routing ([`in_force`] costs one indexed query). A
//! rule file in the data directory, or the built-in rules, are in force
//! until the first save.

use std::collections::BTreeSet;
use std::sync::Arc;

use qorgau_routing::RuleSet;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::flow::{Route, classify};
use crate::state::{AppState, Routing};

/// The routing in force: the newest rule set saved in the database when
/// there is one newer than this process's, else the one loaded.
pub async fn in_force(state: &AppState) -> Result<Arc<Routing>, ApiError> {
    let have = state.routing.loaded();
    let store = &state.vault.store;
    let seq = store.latest_rule_set_seq().await?;
    if seq <= have.seq {
        return Ok(have);
    }
    let saved = store
        .latest_rule_set()
        .await?
        .ok_or_else(|| ApiError::Internal("the saved routing rules vanished".into()))?;
    // Saved rules were checked by this same code when saved; a failure
    // here means a binary older or newer than the one that saved them, and
    // routing with the old rules instead would be silently wrong.
    let routing = Routing::from_text(
        &format!("saved rule set {}", saved.seq),
        saved.source,
        saved.seq,
    )
    .map_err(|e| ApiError::Internal(format!("the saved routing rules do not load: {e}")))?;
    tracing::info!(seq = routing.seq, version = %routing.rules.version, "routing rules replaced");
    Ok(state.routing.replace(routing))
}

/// How a rule change would change one open case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseImpact {
    /// The case.
    pub case_id: String,
    /// Its name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Agency kinds a referral would be sent to once saved (by the sweep
    /// that follows the save).
    pub would_send: Vec<String>,
    /// Agency kinds the new rules require that stay held (consent, no
    /// agency registered, a support case).
    pub would_hold: Vec<String>,
    /// Agency kinds the case was referred to that the new rules no longer
    /// require (the referrals stay: a hand-off is not withdrawn).
    pub no_longer_required: Vec<String>,
}

/// Which open cases `candidate` would route differently from the rules in
/// force. Reads only.
pub async fn impact(state: &AppState, candidate: &RuleSet) -> Result<Vec<CaseImpact>, ApiError> {
    let current = in_force(state).await?;
    let open = crate::rerouting::OpenCases::load(&state.vault.store).await?;
    let agencies = &open.agencies;
    let mut out = Vec::new();
    for file in &open.files {
        let (existing, owner_kind) = open.context(file);
        let now: BTreeSet<String> = qorgau_routing::evaluate(&current.rules, &file.facts)
            .into_iter()
            .map(|d| d.agency)
            .collect();
        let then = qorgau_routing::evaluate(candidate, &file.facts);
        let mut impact = CaseImpact {
            case_id: file.case.id.to_string(),
            name: file.case.name.as_str().to_owned(),
            title: file.title.clone(),
            would_send: Vec::new(),
            would_hold: Vec::new(),
            no_longer_required: Vec::new(),
        };
        for decision in &then {
            if now.contains(&decision.agency) {
                continue;
            }
            match classify(file, decision, existing, agencies, owner_kind, false) {
                Route::Skip => {}
                Route::Hold(_) => impact.would_hold.push(decision.agency.clone()),
                Route::Send(_) => impact.would_send.push(decision.agency.clone()),
            }
        }
        let required: BTreeSet<&str> = then.iter().map(|d| d.agency.as_str()).collect();
        impact.no_longer_required = existing
            .iter()
            .map(|r| r.agency_kind.clone())
            .filter(|k| now.contains(k) && !required.contains(k.as_str()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !(impact.would_send.is_empty()
            && impact.would_hold.is_empty()
            && impact.no_longer_required.is_empty())
        {
            out.push(impact);
        }
    }
    Ok(out)
}
