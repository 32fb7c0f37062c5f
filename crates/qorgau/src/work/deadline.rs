//! `deadline-check`: referrals past their deadlines are escalated
//! (`qorgau_server::escalation`). Idempotent by the escalation rows'
//! uniqueness, so a retry after a lost worker raises nothing twice.

use qorgau_server::AppState;
use qorgau_work::handler::HandlerFuture;
use qorgau_work::{Finish, Handler, JobError, Running};

/// The kind's name.
pub const KIND: &str = "deadline-check";

/// Runs the deadline check once.
pub struct DeadlineCheck {
    /// The server's state (clock, routing, store).
    pub state: AppState,
}

impl Handler for DeadlineCheck {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn run<'a>(&'a self, _job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            let actor = qorgau_server::escalation::system_actor(&self.state);
            let raised = qorgau_server::escalation::run_once(&self.state, &actor)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(Finish::Result(
                serde_json::json!({ "raised": raised.len() }),
            ))
        })
    }
}
