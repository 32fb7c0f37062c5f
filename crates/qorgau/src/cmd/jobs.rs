//! `qorgau jobs list|show|submit|retry|wait`: the work queue from the
//! command line — what waits, what failed and why, a dead job tried again,
//! long work handed to the workers.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use qorgau_core::Id;
use qorgau_store::{NewJob, WorkFilter, WorkJob, WorkState};
use qorgau_vault::Vault;

use crate::output::{InputError, json_line};

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum JobsCommand {
    /// Jobs, newest first.
    List(ListArgs),
    /// One job with its attempts.
    Show(ShowArgs),
    /// Queue a job for the workers.
    Submit(SubmitArgs),
    /// Queue a dead job again (after its cause was fixed).
    Retry(ShowArgs),
    /// Wait until no job is queued or running; print the counts.
    Wait(WaitArgs),
}

/// Arguments of `jobs list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only in this state: queued, running, done, dead.
    #[arg(long)]
    state: Option<String>,
    /// Only this kind.
    #[arg(long)]
    kind: Option<String>,
    /// At most this many.
    #[arg(long, default_value_t = 50)]
    limit: i64,
    /// One JSON object per job.
    #[arg(long)]
    json: bool,
}

/// Arguments of `jobs show` and `jobs retry`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The job's id.
    id: String,
    /// As JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `jobs submit`.
#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    /// What to do: capture, protocol, wacz, monitor-run, scan, money-import,
    /// verify-item, routing-sweep (every open case), route-case (with --case).
    kind: String,
    /// The case it works on (its name); also given to the job as `case`.
    #[arg(long)]
    case: Option<String>,
    /// A file the job reads (scan, money-import): copied into the data
    /// directory's uploads and given to the job as `input`.
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Another argument of the job, `key=value` (repeatable).
    #[arg(long = "arg", value_name = "KEY=VALUE")]
    args: Vec<String>,
    /// Higher runs first.
    #[arg(long, default_value_t = 0)]
    priority: i64,
    /// Attempts before the dead letter.
    #[arg(long, default_value_t = 3)]
    attempts: u32,
    /// Print the job as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `jobs wait`.
#[derive(Debug, clap::Args)]
pub struct WaitArgs {
    /// Give up after this many seconds (exit 1).
    #[arg(long, default_value_t = 3600)]
    timeout: u64,
    /// Print the counts as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs a `jobs` subcommand.
pub async fn run(vault: &Vault, command: &JobsCommand) -> anyhow::Result<ExitCode> {
    match command {
        JobsCommand::List(args) => list(vault, args).await,
        JobsCommand::Show(args) => show(vault, args).await,
        JobsCommand::Submit(args) => submit(vault, args).await,
        JobsCommand::Retry(args) => retry(vault, args).await,
        JobsCommand::Wait(args) => wait(vault, args).await,
    }
}

fn parse_id(text: &str) -> anyhow::Result<Id> {
    Ok(Id::parse(text).map_err(|e| InputError(format!("{text:?} is not a job id: {e}")))?)
}

fn line(job: &WorkJob) -> String {
    let mut out = format!(
        "{}  {:<8} {:<13} attempt {}/{}  {}  {}",
        job.id,
        job.state.as_str(),
        job.kind,
        job.attempts,
        job.max_attempts,
        job.submitted_at.to_almaty_string(),
        job.submitted_by
    );
    if let Some(e) = &job.last_error {
        out.push_str(&format!("\n    last error: {e}"));
    }
    out
}

async fn list(vault: &Vault, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let state = match args.state.as_deref() {
        None => None,
        Some("queued") => Some(WorkState::Queued),
        Some("running") => Some(WorkState::Running),
        Some("done") => Some(WorkState::Done),
        Some("dead") => Some(WorkState::Dead),
        Some(other) => {
            return Err(InputError(format!(
                "--state {other:?}: one of queued, running, done, dead"
            ))
            .into());
        }
    };
    let jobs = vault
        .store
        .work_jobs(&WorkFilter {
            state,
            kind: args.kind.clone(),
            limit: args.limit.max(1),
            ..WorkFilter::default()
        })
        .await?;
    for job in &jobs {
        if args.json {
            json_line(job);
        } else {
            eprintln!("{}", line(job));
        }
    }
    if !args.json && jobs.is_empty() {
        eprintln!("no jobs");
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(vault: &Vault, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let id = parse_id(&args.id)?;
    let job = vault
        .store
        .work_job(id)
        .await?
        .ok_or_else(|| InputError(format!("there is no job {id}")))?;
    let attempts = vault.store.work_attempts(id).await?;
    if args.json {
        json_line(&serde_json::json!({ "job": job, "attempts": attempts }));
    } else {
        eprintln!("{}", line(&job));
        eprintln!("    payload: {}", job.payload);
        if let Some(r) = &job.result {
            eprintln!("    result: {r}");
        }
        for a in &attempts {
            eprintln!(
                "    attempt {} by {}: {}{}",
                a.attempt,
                a.worker,
                a.outcome.as_deref().unwrap_or("running"),
                a.error
                    .as_deref()
                    .map(|e| format!(" — {e}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn retry(vault: &Vault, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let id = parse_id(&args.id)?;
    if !vault.store.retry_dead_job(id).await? {
        return Err(InputError(format!("job {id} is not in the dead letter")).into());
    }
    eprintln!("job {id} queued again");
    Ok(ExitCode::SUCCESS)
}

async fn submit(vault: &Vault, args: &SubmitArgs) -> anyhow::Result<ExitCode> {
    const KINDS: [&str; 9] = [
        "capture",
        "protocol",
        "wacz",
        "monitor-run",
        "scan",
        "money-import",
        "verify-item",
        qorgau_server::rerouting::SWEEP_KIND,
        qorgau_server::rerouting::ROUTE_KIND,
    ];
    if !KINDS.contains(&args.kind.as_str()) {
        return Err(InputError(format!(
            "there is no job kind {:?}; the kinds are {}",
            args.kind,
            KINDS.join(", ")
        ))
        .into());
    }
    let mut payload = serde_json::Map::new();
    let mut case_id = None;
    if let Some(name) = &args.case {
        let case = super::find_case(vault, name).await?;
        case_id = Some(case.id);
        payload.insert("case".into(), name.clone().into());
    }
    for pair in &args.args {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| InputError(format!("--arg {pair:?}: give key=value")))?;
        payload.insert(k.to_owned(), v.to_owned().into());
    }
    if let Some(input) = &args.input {
        if let Err(e) = std::fs::File::open(input) {
            return Err(InputError(format!("--input {}: {e}", input.display())).into());
        }
        let dir = crate::work::uploads_dir(&vault.data_dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("making {}", dir.display()))?;
        let base: String = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let name = format!("{}-{base}", Id::new());
        std::fs::copy(input, dir.join(&name))
            .with_context(|| format!("copying {} into {}", input.display(), dir.display()))?;
        payload.insert("input".into(), name.clone().into());
        if args.kind == "scan" && !payload.contains_key("file") {
            payload.insert("file".into(), format!("{name}.scan.jsonl").into());
        }
    }
    let mut job = NewJob::new(
        &args.kind,
        serde_json::Value::Object(payload),
        &vault.actor.user,
    );
    job.case_id = case_id;
    job.priority = args.priority;
    job.max_attempts = args.attempts.max(1);
    // Routing runs once at a time: over all cases, or per case (the same
    // keys the server and the schedule use).
    if args.kind == qorgau_server::rerouting::SWEEP_KIND {
        job.singleton = Some(args.kind.clone());
    } else if args.kind == qorgau_server::rerouting::ROUTE_KIND {
        let case_id =
            case_id.ok_or_else(|| InputError("a route-case job needs --case NAME".to_owned()))?;
        job.singleton = Some(format!("{}:{case_id}", args.kind));
    }
    let id = vault.store.submit_job(&job).await?.ok_or_else(|| {
        InputError(format!(
            "a {} job with the same key is already queued or running (see `qorgau jobs list`)",
            args.kind
        ))
    })?;
    if args.json {
        json_line(&serde_json::json!({ "id": id.to_string(), "kind": args.kind }));
    } else {
        eprintln!("queued {} job {id}", args.kind);
    }
    Ok(ExitCode::SUCCESS)
}

async fn wait(vault: &Vault, args: &WaitArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    loop {
        let counts = vault.store.work_counts().await?;
        let open: i64 = counts
            .iter()
            .filter(|c| matches!(c.state, WorkState::Queued | WorkState::Running))
            .map(|c| c.count)
            .sum();
        if open == 0 {
            if args.json {
                json_line(&counts);
            } else {
                for c in &counts {
                    eprintln!("{:<13} {:<8} {}", c.kind, c.state.as_str(), c.count);
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        if started.elapsed() > Duration::from_secs(args.timeout) {
            eprintln!(
                "{open} jobs still queued or running after {} s",
                args.timeout
            );
            return Ok(ExitCode::from(1));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
