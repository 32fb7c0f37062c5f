//! The job kinds this binary runs, and the schedules.
//!
//! `qorgau worker` and, on the embedded default, `qorgau serve` build the
//! same [`qorgau_work::Runner`] from [`handlers`]: the queue and its
//! guarantees live in `qorgau-work` and `qorgau-store`; what each kind
//! does lives here, where the vault, the server's state and this binary
//! (for the commands run as children) are at hand.

mod child;
mod deadline;
mod routing;
mod verify_item;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use qorgau_server::AppState;
use qorgau_store::NewJob;
use qorgau_work::Handler;
use qorgau_work::schedule::{DueFuture, Schedule};

pub use child::ChildCommand;

/// Who the schedules submit their jobs as.
pub const SCHEDULER: &str = "qorgau-scheduler";

/// Everything the handlers need.
#[derive(Clone)]
pub struct Setup {
    /// The server's state (vault, clock, configuration).
    pub state: AppState,
    /// The `qorgau` binary and the arguments and environment each child
    /// command gets (data directory, database).
    pub command: ChildCommand,
}

/// The handlers of every kind this binary runs.
pub fn handlers(setup: &Setup) -> Vec<Arc<dyn Handler>> {
    let mut all: Vec<Arc<dyn Handler>> = vec![
        Arc::new(verify_item::VerifyItem {
            vault: setup.state.vault.clone(),
        }),
        Arc::new(deadline::DeadlineCheck {
            state: setup.state.clone(),
        }),
        Arc::new(routing::Sweep {
            state: setup.state.clone(),
        }),
        Arc::new(routing::RouteCase {
            state: setup.state.clone(),
        }),
    ];
    for what in child::What::ALL {
        all.push(Arc::new(child::Child::new(what, setup.command.clone())));
    }
    all
}

/// The timed duties: the deadline check, the monitoring jobs that are
/// due, and a routing sweep after the rules or the agencies changed.
pub fn schedules(setup: &Setup) -> Vec<Arc<dyn Schedule>> {
    vec![
        Arc::new(DeadlineSchedule {
            every: setup.state.config.escalation_interval,
        }),
        Arc::new(MonitorSchedule),
        Arc::new(routing::SweepSchedule {
            state: setup.state.clone(),
        }),
    ]
}

/// Where files given to jobs wait.
pub fn uploads_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("uploads")
}

/// Queues a run of every enabled monitoring job whose interval has passed
/// since its last run; one queued or running run per job at a time.
struct MonitorSchedule;

impl Schedule for MonitorSchedule {
    fn name(&self) -> &'static str {
        "monitor-run"
    }
    fn every(&self) -> Duration {
        Duration::from_secs(30)
    }
    fn due<'a>(&'a self, store: &'a qorgau_store::Store) -> DueFuture<'a> {
        Box::pin(async move {
            let now = qorgau_core::Timestamp::now();
            Ok(store
                .jobs()
                .await?
                .iter()
                .filter(|j| crate::cmd::monitor::is_due(j, now))
                .map(|j| {
                    let mut job = NewJob::new(
                        "monitor-run",
                        serde_json::json!({ "job": j.spec.name }),
                        &j.created_by,
                    );
                    job.singleton = Some(format!("monitor:{}", j.spec.name));
                    job.case_id = j.case_id;
                    job
                })
                .collect())
        })
    }
}

/// Where the files jobs write for download are kept (protocols, packages).
pub fn exports_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("web-exports")
}

/// The child commands: this same binary, on the same data directory and
/// database; plain HTTP captures when asked or when no Chromium is found.
pub fn child_command(
    vault: &qorgau_vault::Vault,
    no_browser: bool,
    database_url: Option<&str>,
) -> ChildCommand {
    ChildCommand {
        // Only when the running binary cannot be found (deleted while it
        // runs) is the name looked up on PATH.
        program: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("qorgau")),
        args: vec!["--data-dir".into(), vault.data_dir.clone().into_os_string()],
        env: database_url
            .map(|u| vec![("QORGAU_DATABASE_URL".into(), u.into())])
            .unwrap_or_default(),
        no_browser: no_browser || qorgau_capture::find_chromium(None).is_err(),
        exports_dir: exports_dir(&vault.data_dir),
        uploads_dir: uploads_dir(&vault.data_dir),
    }
}

/// Queues the deadline check every `escalation_interval`.
struct DeadlineSchedule {
    every: Duration,
}

impl Schedule for DeadlineSchedule {
    fn name(&self) -> &'static str {
        deadline::KIND
    }
    fn every(&self) -> Duration {
        self.every
    }
    fn due<'a>(&'a self, _store: &'a qorgau_store::Store) -> DueFuture<'a> {
        Box::pin(async move {
            let mut job = NewJob::new(deadline::KIND, serde_json::json!({}), SCHEDULER);
            job.singleton = Some(deadline::KIND.to_owned());
            job.max_attempts = 1;
            Ok(vec![job])
        })
    }
}
