//! Routing evaluations in the background (`qorgau_server::rerouting`):
//! `routing-sweep` looks at every open case against the current rules and
//! agency directory and queues a `route-case` job for each case that would
//! now be sent somewhere; `route-case` routes one case as an edit of it
//! would. The schedule queues a sweep once per change of the rules or the
//! directory, whichever process loaded them.

use std::time::Duration;

use qorgau_core::{Actor, Id};
use qorgau_server::AppState;
use qorgau_server::rerouting::{self, ROUTE_KIND, SWEEP_KIND};
use qorgau_store::{NewJob, WorkFilter, WorkState};
use qorgau_work::handler::HandlerFuture;
use qorgau_work::schedule::{DueFuture, Schedule};
use qorgau_work::{Finish, Handler, JobError, Running};

use super::SCHEDULER;

/// Plans a sweep and queues the cases to route.
pub struct Sweep {
    /// The server's state (rules, store).
    pub state: AppState,
}

impl Handler for Sweep {
    fn kind(&self) -> &'static str {
        SWEEP_KIND
    }

    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            let plan = rerouting::plan(&self.state)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let submitted_by = &job.lease.job.submitted_by;
            let mut queued = 0;
            for (done, case) in plan.pending.iter().enumerate() {
                let mut one = NewJob::new(
                    ROUTE_KIND,
                    serde_json::json!({ "case": case.name, "case_id": case.case_id.to_string() }),
                    submitted_by,
                );
                one.case_id = Some(case.case_id);
                // One routing of a case at a time; a case already queued
                // (by an earlier sweep) is routed by that job.
                one.singleton = Some(format!("{ROUTE_KIND}:{}", case.case_id));
                one.priority = job.lease.job.priority;
                if job
                    .store
                    .submit_job(&one)
                    .await
                    .map_err(|e| JobError::Retry(e.to_string()))?
                    .is_some()
                {
                    queued += 1;
                }
                job.progress(&format!("{}/{} cases queued", done + 1, plan.pending.len()));
            }
            Ok(Finish::Result(serde_json::json!({
                "rules_version": plan.rules_version,
                "basis": plan.basis,
                "open_cases": plan.open_cases,
                "cases_to_route": plan.pending.len(),
                "queued": queued,
                "held": plan.held,
            })))
        })
    }
}

/// Routes one case.
pub struct RouteCase {
    /// The server's state (rules, calendar, store, signing key).
    pub state: AppState,
}

impl RouteCase {
    /// The case: the job's own case, else its `case_id` argument.
    fn case_of(job: &Running) -> Result<Id, JobError> {
        if let Some(id) = job.lease.job.case_id {
            return Ok(id);
        }
        let text = job.arg("case_id")?;
        Id::parse(text).map_err(|e| {
            JobError::Permanent(format!("{ROUTE_KIND}: {text:?} is not a case id: {e}"))
        })
    }
}

impl Handler for RouteCase {
    fn kind(&self) -> &'static str {
        ROUTE_KIND
    }

    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            let case_id = Self::case_of(job)?;
            // The scheduler's sweeps act as the routing system; a sweep or
            // routing someone asked for acts as that person.
            let submitted_by = &job.lease.job.submitted_by;
            let actor = if submitted_by == SCHEDULER {
                rerouting::system_actor(&self.state)
            } else {
                Actor {
                    user: submitted_by.clone(),
                    host: self.state.vault.actor.host.clone(),
                }
            };
            let run = rerouting::route_one(&self.state, case_id, &actor)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?
                .ok_or_else(|| JobError::Permanent(format!(
                    "case {case_id} has no case file (only cases opened in the server are routed)"
                )))?;
            let rules_version = qorgau_server::rules::in_force(&self.state)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?
                .rules
                .version
                .clone();
            Ok(Finish::Result(serde_json::json!({
                "case_id": case_id.to_string(),
                "rules_version": rules_version,
                "sent": run.sent.iter().map(|r| serde_json::json!({
                    "referral": r.id.to_string(),
                    "agency_id": r.agency_id.to_string(),
                    "agency_kind": r.agency_kind,
                })).collect::<Vec<_>>(),
                "held": run.held,
            })))
        })
    }
}

/// Queues a sweep when the rules or the directory this process sees differ
/// from those of the last sweep.
pub struct SweepSchedule {
    /// The server's state (rules, store).
    pub state: AppState,
}

impl Schedule for SweepSchedule {
    fn name(&self) -> &'static str {
        SWEEP_KIND
    }

    fn every(&self) -> Duration {
        Duration::from_secs(10)
    }

    fn due<'a>(&'a self, store: &'a qorgau_store::Store) -> DueFuture<'a> {
        Box::pin(async move {
            let agencies = store.agencies().await?;
            let in_force = qorgau_server::rules::in_force(&self.state)
                .await
                .map_err(|e| qorgau_store::StoreError::Conflict(e.to_string()))?;
            let basis = rerouting::basis(&in_force.rules, &agencies);
            let last = store
                .work_jobs(&WorkFilter {
                    kind: Some(SWEEP_KIND.to_owned()),
                    limit: 1,
                    ..WorkFilter::default()
                })
                .await?;
            // The last sweep of any state counts: one that went to the dead
            // letter is retried by a person (`qorgau jobs retry`), not
            // resubmitted every ten seconds. A sweep someone asked for
            // names its basis in its result.
            let basis_of = |v: Option<&serde_json::Value>| {
                v.and_then(|v| v.get("basis"))
                    .and_then(|b| b.as_str())
                    .map(str::to_owned)
            };
            // One queued or running looks at the rules in force when it
            // plans; whether that was this basis is known once it ends.
            if last.first().is_some_and(|j| {
                matches!(j.state, WorkState::Queued | WorkState::Running)
                    || basis_of(Some(&j.payload)).or_else(|| basis_of(j.result.as_ref()))
                        == Some(basis.clone())
            }) {
                return Ok(Vec::new());
            }
            let mut job = NewJob::new(SWEEP_KIND, serde_json::json!({ "basis": basis }), SCHEDULER);
            job.singleton = Some(SWEEP_KIND.to_owned());
            Ok(vec![job])
        })
    }
}
