//! Routing again, outside a change of the case.
//!
//! Routing runs on every change of a case (`crate::flow`), but two things
//! change what an *unchanged* open case requires: a new rule set, and the
//! agency directory (an agency of a kind that was missing — the case was
//! held with `no_agency` — or a regional one). A sweep finds the open
//! cases for which the current rules and directory would send a referral
//! that was never sent, and each is then routed by the same
//! [`crate::flow::route_case`] a change of the case uses, so a sweep sends
//! exactly what an edit would have sent, with the same explanation in the
//! ledger. Held referrals stay held for the same reasons (consent above
//! all: a sweep never overrides it).
//!
//! The sweep only plans; the sends are one job per case (the binary's
//! `route-case` jobs), so many workers share a large sweep and a lost
//! worker costs one case's retry, which the unique (case, agency) referral
//! makes harmless.

use std::collections::{BTreeMap, HashMap};

use qorgau_core::{Actor, Id};
use qorgau_response::{Agency, CaseStatus};
use qorgau_routing::RuleSet;
use qorgau_store::{CaseFile, ReferralRecord};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::flow::{Route, RoutingRun, classify, route_case};
use crate::state::AppState;

/// The job kind that plans a sweep and queues the cases to route.
pub const SWEEP_KIND: &str = "routing-sweep";

/// The job kind that routes one case.
pub const ROUTE_KIND: &str = "route-case";

/// The user name the scheduled sweep acts as in the ledger.
pub const SYSTEM_USER: &str = "qorgau-routing";

/// The actor of the scheduled sweep's referrals, on this host, so that the
/// ledger tells a sweep's referral from one an analyst's edit caused.
pub fn system_actor(state: &AppState) -> Actor {
    Actor {
        user: SYSTEM_USER.to_owned(),
        host: state.vault.actor.host.clone(),
    }
}

/// A fingerprint of everything routing depends on besides the cases: the
/// rule set (all of it, not only its version label, which an administrator
/// may forget to change) and each agency's id, kind and region. The
/// schedule sweeps once per fingerprint.
pub fn basis(rules: &RuleSet, agencies: &[Agency]) -> String {
    let mut hash = Sha256::new();
    // A RuleSet always serialises (plain data); an error would only make
    // the fingerprint shorter, never wrong in a way that skips a sweep.
    hash.update(serde_json::to_vec(rules).unwrap_or_default());
    let mut keys: Vec<(String, &str, Option<&str>)> = agencies
        .iter()
        .map(|a| (a.id.to_string(), a.kind.as_str(), a.region.as_deref()))
        .collect();
    keys.sort();
    for (id, kind, region) in keys {
        hash.update(b"\0agency\0");
        hash.update(id.as_bytes());
        hash.update(b"\0");
        hash.update(kind.as_bytes());
        hash.update(b"\0");
        hash.update(region.unwrap_or("").as_bytes());
    }
    hex::encode(hash.finalize())
}

/// An open case the rules would now send somewhere it has not gone.
#[derive(Debug, Clone, Serialize)]
pub struct Pending {
    /// The case.
    pub case_id: Id,
    /// Its name.
    pub name: String,
    /// The agency kinds a route would send it to.
    pub agency_kinds: Vec<String>,
}

/// What a sweep found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SweepPlan {
    /// The rule set's version label.
    pub rules_version: String,
    /// The fingerprint it was made for ([`basis`]).
    pub basis: String,
    /// Open cases looked at.
    pub open_cases: usize,
    /// Cases to route.
    pub pending: Vec<Pending>,
    /// Referrals the rules require that stay held, by reason
    /// (`consent_required`, `no_agency`, `support_case`).
    pub held: BTreeMap<String, usize>,
}

/// The open cases with what routing needs beside their facts: their
/// referrals and the agency directory, read in three queries.
pub(crate) struct OpenCases {
    /// Every open case file.
    pub files: Vec<CaseFile>,
    /// Their referrals, by case.
    pub referrals: HashMap<Id, Vec<ReferralRecord>>,
    /// Every agency.
    pub agencies: Vec<Agency>,
}

impl OpenCases {
    /// Reads them.
    pub async fn load(store: &qorgau_store::Store) -> Result<Self, ApiError> {
        let agencies = store.agencies().await?;
        let files: Vec<CaseFile> = store
            .all_case_files()
            .await?
            .into_iter()
            .filter(|f| f.status == CaseStatus::Open)
            .collect();
        let ids: Vec<Id> = files.iter().map(|f| f.case.id).collect();
        let referrals = store.referrals_of_cases(&ids).await?;
        Ok(Self {
            files,
            referrals,
            agencies,
        })
    }

    /// A case's referrals and its owning agency's kind.
    pub fn context(&self, file: &CaseFile) -> (&[ReferralRecord], Option<&str>) {
        let existing = self
            .referrals
            .get(&file.case.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let owner_kind = self
            .agencies
            .iter()
            .find(|a| a.id == file.owner_agency_id)
            .map(|a| a.kind.as_str());
        (existing, owner_kind)
    }
}

/// Looks at every open case against the current rules and directory.
/// Reads only; the cases in [`SweepPlan::pending`] are then routed one by
/// one with [`route_one`].
pub async fn plan(state: &AppState) -> Result<SweepPlan, ApiError> {
    let store = &state.vault.store;
    let in_force = crate::rules::in_force(state).await?;
    let rules = &in_force.rules;
    let open = OpenCases::load(store).await?;
    let agencies = &open.agencies;
    let mut out = SweepPlan {
        rules_version: rules.version.clone(),
        basis: basis(rules, agencies),
        open_cases: open.files.len(),
        ..SweepPlan::default()
    };
    for file in &open.files {
        let (existing, owner_kind) = open.context(file);
        let mut kinds = Vec::new();
        for decision in qorgau_routing::evaluate(rules, &file.facts) {
            match classify(file, &decision, existing, agencies, owner_kind, false) {
                Route::Skip => {}
                Route::Hold(reason) => *out.held.entry(reason.to_owned()).or_default() += 1,
                Route::Send(_) => kinds.push(decision.agency.clone()),
            }
        }
        if !kinds.is_empty() {
            out.pending.push(Pending {
                case_id: file.case.id,
                name: file.case.name.as_str().to_owned(),
                agency_kinds: kinds,
            });
        }
    }
    Ok(out)
}

/// Routes one case as a change of it would. `None` when there is no such
/// case; a closed case is left alone (an empty run): routing runs while
/// work goes on.
pub async fn route_one(
    state: &AppState,
    case_id: Id,
    actor: &Actor,
) -> Result<Option<RoutingRun>, ApiError> {
    let Some(file) = state.vault.store.case_file(case_id).await? else {
        return Ok(None);
    };
    if file.status != CaseStatus::Open {
        return Ok(Some(RoutingRun::default()));
    }
    route_case(state, &file, actor, None).await.map(Some)
}
