//! The deadline check: referrals whose acknowledgement or action deadline
//! passed without the step are escalated to the receiving agency's
//! supervisor role, once per missed deadline, and shown on every dashboard
//! (`GET /api/escalations`) until the referral moves on.
//!
//! It runs as the scheduled `deadline-check` job of the work queue every
//! `escalation_interval` (the binary's `work` module), and on demand for a
//! supervisor (`POST /api/escalations/run`). Two runs at once (two server processes)
//! raise each escalation once: the escalation row is unique per referral
//! and deadline, and the referral is saved only if its state is unchanged.

use qorgau_core::{Actor, Id, Timestamp};
use qorgau_routing::Missed;
use qorgau_store::{ChangeBy, EscalationRecord, StoreError};

use crate::state::AppState;

fn missed_name(m: Missed) -> &'static str {
    match m {
        Missed::Acknowledgement => "acknowledgement",
        Missed::Action => "action",
    }
}

/// Raises every escalation due at the server's `now`; returns those raised.
pub async fn run_once(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<EscalationRecord>, StoreError> {
    let store = &state.vault.store;
    let now = state.clock.now();
    let by = ChangeBy {
        actor,
        tool: &state.vault.tool,
        key: &state.vault.key,
    };
    let mut raised = Vec::new();
    for mut record in store.referrals_past_deadline(now).await? {
        let notices = record.referral.due_escalations(now.as_datetime());
        if notices.is_empty() {
            continue;
        }
        let expected_state = record.referral.state.name();
        let rows: Vec<EscalationRecord> = notices
            .iter()
            .map(|n| EscalationRecord {
                id: Id::new(),
                referral_id: record.id,
                case_id: record.case_id,
                agency_id: record.agency_id,
                missed: missed_name(n.missed).to_owned(),
                due: Timestamp::from_datetime(n.due),
                to_role: n.to_role.clone(),
                heavy: n.heavy,
                raised_at: now,
            })
            .collect();
        for n in &notices {
            record
                .referral
                .record_escalation(n.missed, now.as_datetime());
        }
        match store
            .raise_escalations(&record, expected_state, &rows, by)
            .await
        {
            Ok(fresh) => {
                for e in &fresh {
                    tracing::warn!(
                        case = %e.case_id,
                        referral = %e.referral_id,
                        missed = %e.missed,
                        to = %e.to_role,
                        heavy = e.heavy,
                        "deadline missed: escalated"
                    );
                }
                raised.extend(fresh);
            }
            // The agency acted between the read and the write: nothing to raise.
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(raised)
}

/// The system actor the timer writes as.
pub fn system_actor(state: &AppState) -> Actor {
    Actor {
        user: "qorgau-deadline-check".to_owned(),
        host: state.vault.actor.host.clone(),
    }
}
