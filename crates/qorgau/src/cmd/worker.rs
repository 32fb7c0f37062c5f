//! `qorgau worker`: takes jobs from the work queue until stopped.
//!
//! Start any number of them, on any number of machines sharing one
//! PostgreSQL database and one data directory (or object store): each
//! takes different jobs, holds their leases, and a killed one's jobs go
//! to the others when its leases run out. Every worker also offers to run
//! the schedules; the one holding the `schedules` lease does.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use qorgau_server::ServerConfig;
use qorgau_vault::Vault;
use qorgau_work::{Runner, RunnerConfig, run_schedules};
use tokio::sync::watch;

use crate::output::InputError;
use crate::work::{self, Setup};

/// Arguments of `worker`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Jobs run at once.
    #[arg(long, default_value_t = 2, value_name = "N")]
    concurrency: usize,
    /// Take only these kinds (comma-separated); all kinds by default.
    #[arg(long, value_delimiter = ',', value_name = "KIND,…")]
    kinds: Vec<String>,
    /// Seconds a lease lasts without renewal: how soon a killed worker's
    /// jobs go to another.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    lease_secs: u64,
    /// Leave the schedules (deadline check) to other processes.
    #[arg(long)]
    no_schedules: bool,
    /// Capture over plain HTTP (the default when no Chromium is found).
    #[arg(long)]
    capture_no_browser: bool,
}

/// Runs `worker` until ctrl-c or SIGTERM; running jobs are let finish.
pub async fn run(
    vault: Vault,
    args: &Args,
    database_url: Option<&str>,
) -> anyhow::Result<ExitCode> {
    if !(1..=64).contains(&args.concurrency) {
        return Err(InputError(format!(
            "--concurrency {}: give 1 to 64 jobs at once",
            args.concurrency
        ))
        .into());
    }
    if !(2..=3600).contains(&args.lease_secs) {
        return Err(InputError(format!(
            "--lease-secs {}: give 2 to 3600 seconds",
            args.lease_secs
        ))
        .into());
    }
    let vault = Arc::new(vault);
    let state = qorgau_server::state(vault.clone(), ServerConfig::default())?;
    let setup = Setup {
        command: work::child_command(&vault, args.capture_no_browser, database_url),
        state,
    };
    let lease = Duration::from_secs(args.lease_secs);
    let mut config = RunnerConfig::for_this_process(args.concurrency);
    config.lease = lease;
    let runner = runner_for(&setup, &args.kinds, config)?;
    let (stop, stopped) = watch::channel(false);
    let schedules = (!args.no_schedules).then(|| {
        tokio::spawn(run_schedules(
            vault.store.clone(),
            runner.worker_id().to_owned(),
            work::schedules(&setup),
            lease,
            stopped.clone(),
        ))
    });
    eprintln!(
        "worker {} taking {} ({} at once) from {}; stop with ctrl-c",
        runner.worker_id(),
        runner.kinds().join(", "),
        args.concurrency,
        vault.store.location()
    );
    let running = tokio::spawn(runner.run(stopped));
    crate::cmd::serve::stopped().await;
    eprintln!("stopping: letting running jobs finish");
    let _ = stop.send(true);
    let stats = running.await?;
    if let Some(s) = schedules {
        let _ = s.await;
    }
    eprintln!(
        "worker stopped: {} done, {} retried, {} dead-lettered, {} lost",
        stats.done, stats.retried, stats.dead, stats.lost
    );
    Ok(ExitCode::SUCCESS)
}

/// A runner with the handlers of `kinds` (all when empty); an unknown
/// kind is an input error naming the known ones.
pub fn runner_for(setup: &Setup, kinds: &[String], config: RunnerConfig) -> anyhow::Result<Runner> {
    let all = work::handlers(setup);
    let known: Vec<&str> = all.iter().map(|h| h.kind()).collect();
    for k in kinds {
        if !known.contains(&k.as_str()) {
            return Err(InputError(format!(
                "--kinds: there is no job kind {k:?}; the kinds are {}",
                known.join(", ")
            ))
            .into());
        }
    }
    let mut runner = Runner::new(setup.state.vault.store.clone(), config);
    for h in all {
        if kinds.is_empty() || kinds.iter().any(|k| k == h.kind()) {
            runner = runner.with(h);
        }
    }
    Ok(runner)
}
