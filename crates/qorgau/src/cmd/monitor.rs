//! `qorgau monitor add|list|run|docs`: proactive monitoring of channels,
//! feeds and sites, with every run in the OSINT log.

use std::process::ExitCode;
use std::sync::Arc;

use qorgau_collect::{Assess, Assessed, HttpClient, HttpOptions, RunContext, run_job};
use qorgau_core::{Id, Timestamp};
use qorgau_monitor::{Filters, JobSpec, SourceKind};
use qorgau_scan::{Pipeline, PipelineOptions};
use qorgau_sources::Document;
use qorgau_store::{DocumentFilter, JobRecord, StoreError};
use qorgau_vault::Vault;

use crate::cmd::find_case;
use crate::output::{InputError, json_line};

/// Monitor subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MonitorCommand {
    /// Define a monitoring job.
    Add(AddArgs),
    /// List jobs with their last run and whether they are due.
    List(ListArgs),
    /// Run jobs now (named ones, or all that are due).
    Run(RunArgs),
    /// Show the archive of documents a job kept (deleted ones included).
    Docs(DocsArgs),
}

/// Arguments of `monitor add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// A short unique name.
    name: String,
    /// Kind of source.
    #[arg(long, value_name = "urls|sitemap|feed|telegram")]
    kind: String,
    /// A URL (page, sitemap, feed) or a Telegram channel; repeatable.
    #[arg(long = "source", value_name = "SOURCE", required = true)]
    sources: Vec<String>,
    /// Keep only documents containing one of these words; repeatable.
    #[arg(long = "keyword", value_name = "WORD")]
    keywords: Vec<String>,
    /// A filter: lang=ru,kk | min-risk=0.5 | flagged | since=DATE | max-pages=N |
    /// max-pictures=N (pictures fetched per new or changed document, 0 for none); repeatable.
    #[arg(long = "filter", value_name = "FILTER")]
    filters: Vec<String>,
    /// How often to run: 90s, 30m, 6h, 1d.
    #[arg(long, default_value = "6h", value_name = "DURATION")]
    interval: String,
    /// Log the job's runs under this case (the installation log otherwise).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// Print the job as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `monitor list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// One JSON object per job.
    #[arg(long)]
    json: bool,
}

/// Arguments of `monitor run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Jobs to run (default: every enabled job that is due).
    names: Vec<String>,
    /// Run every enabled job, due or not.
    #[arg(long, conflicts_with = "names")]
    all: bool,
    /// One JSON report per run.
    #[arg(long)]
    json: bool,
    /// Base URL of Telegram's web preview (for tests and mirrors).
    #[arg(
        long,
        env = "QORGAU_TELEGRAM_WEB",
        default_value = "https://t.me",
        hide = true
    )]
    telegram_web: String,
    /// Pause between requests, in milliseconds (politeness toward sites).
    #[arg(long, default_value = "500", value_name = "MS")]
    pause_ms: u64,
}

/// Arguments of `monitor docs`.
#[derive(Debug, clap::Args)]
pub struct DocsArgs {
    /// Only this job's documents.
    #[arg(long, value_name = "NAME")]
    job: Option<String>,
    /// Only documents that disappeared (the archive of deleted ads).
    #[arg(long)]
    deleted: bool,
    /// Only documents flagged for review.
    #[arg(long)]
    flagged: bool,
    /// One JSON object per document.
    #[arg(long)]
    json: bool,
}

/// Runs a monitor subcommand.
pub async fn run(vault: &Vault, command: &MonitorCommand) -> anyhow::Result<ExitCode> {
    match command {
        MonitorCommand::Add(args) => add(vault, args).await,
        MonitorCommand::List(args) => list(vault, args).await,
        MonitorCommand::Run(args) => run_jobs(vault, args).await,
        MonitorCommand::Docs(args) => docs(vault, args).await,
    }
}

/// `90s`, `30m`, `6h`, `1d` or plain seconds.
fn parse_interval(text: &str) -> Result<u64, InputError> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| InputError(format!("--interval {text:?}: expected e.g. 30m, 6h or 1d")))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(InputError(format!(
                "--interval {text:?}: unit must be s, m, h or d"
            )));
        }
    };
    Ok(n.saturating_mul(factor))
}

async fn add(vault: &Vault, args: &AddArgs) -> anyhow::Result<ExitCode> {
    let kind: SourceKind = args
        .kind
        .parse()
        .map_err(|e: qorgau_monitor::JobSpecError| InputError(e.0))?;
    let mut filters = Filters::default();
    for f in &args.filters {
        filters.apply(f).map_err(|e| InputError(e.0))?;
    }
    let spec = JobSpec {
        name: args.name.clone(),
        kind,
        targets: args.sources.clone(),
        keywords: args.keywords.clone(),
        filters,
        interval_secs: parse_interval(&args.interval)?,
    }
    .validated()
    .map_err(|e| InputError(e.0))?;
    let case_id = match &args.case {
        Some(name) => Some(find_case(vault, name).await?.id),
        None => None,
    };
    let job = JobRecord {
        id: Id::new(),
        spec,
        case_id,
        created_at: Timestamp::now(),
        created_by: vault.actor.user.clone(),
        enabled: true,
        last_run_at: None,
    };
    match vault.store.create_job(&job).await {
        Ok(()) => {}
        Err(StoreError::Conflict(m)) => return Err(InputError(m).into()),
        Err(e) => return Err(e.into()),
    }
    if args.json {
        json_line(&job_json(&job));
    } else {
        eprintln!(
            "monitoring job {} added: {} {} every {} s{}",
            job.spec.name,
            job.spec.kind,
            job.spec.targets.join(", "),
            job.spec.interval_secs,
            if job.spec.keywords.is_empty() {
                String::new()
            } else {
                format!(", keywords: {}", job.spec.keywords.join(", "))
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Enabled, and its interval has passed since its last run.
pub fn is_due(job: &JobRecord, now: Timestamp) -> bool {
    job.enabled
        && job.last_run_at.is_none_or(|last| {
            let elapsed = now.as_datetime() - last.as_datetime();
            elapsed.num_seconds() >= i64::try_from(job.spec.interval_secs).unwrap_or(i64::MAX)
        })
}

fn job_json(job: &JobRecord) -> serde_json::Value {
    serde_json::json!({
        "id": job.id.to_string(),
        "name": job.spec.name,
        "kind": job.spec.kind.as_str(),
        "sources": job.spec.targets,
        "keywords": job.spec.keywords,
        "filters": job.spec.filters,
        "interval_secs": job.spec.interval_secs,
        "case_id": job.case_id.map(|c| c.to_string()),
        "created_at": job.created_at.to_utc_string(),
        "created_by": job.created_by,
        "enabled": job.enabled,
        "last_run_at": job.last_run_at.map(|t| t.to_utc_string()),
        "due": is_due(job, Timestamp::now()),
    })
}

async fn list(vault: &Vault, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let jobs = vault.store.jobs().await?;
    let now = Timestamp::now();
    for job in &jobs {
        if args.json {
            json_line(&job_json(job));
        } else {
            println!(
                "{:<20} {:<9} every {:>6}s  last run {:<20} {}  {}",
                job.spec.name,
                job.spec.kind,
                job.spec.interval_secs,
                job.last_run_at
                    .map_or("never".to_owned(), |t| t.to_almaty_string()),
                if is_due(job, now) { "due" } else { "   " },
                job.spec.targets.join(" "),
            );
        }
    }
    if jobs.is_empty() && !args.json {
        eprintln!("no monitoring jobs; add one with `qorgau monitor add`");
    }
    Ok(ExitCode::SUCCESS)
}

/// The scan pipeline as monitoring needs it.
struct ScanAssess(Arc<Pipeline>);

impl Assess for ScanAssess {
    fn assess(&self, doc: &Document) -> Assessed {
        let a = self.0.assess(doc);
        Assessed {
            lang: a.record.lang.clone(),
            risk: a.record.risk,
            flagged: a.record.flagged,
            json: serde_json::to_value(&a.record).unwrap_or_default(),
            normalized: a.normalized,
        }
    }
}

async fn run_jobs(vault: &Vault, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let all = vault.store.jobs().await?;
    let now = Timestamp::now();
    let jobs: Vec<&JobRecord> = if args.names.is_empty() {
        all.iter()
            .filter(|j| if args.all { j.enabled } else { is_due(j, now) })
            .collect()
    } else {
        let mut picked = Vec::new();
        for name in &args.names {
            picked.push(
                all.iter()
                    .find(|j| &j.spec.name == name)
                    .ok_or_else(|| InputError(format!("there is no monitoring job {name:?}")))?,
            );
        }
        picked
    };
    if jobs.is_empty() {
        eprintln!("no job is due");
        return Ok(ExitCode::SUCCESS);
    }
    let pipeline = Arc::new(Pipeline::new(&PipelineOptions {
        lexicon_files: super::scan::approved_lexicon(&vault.store).await?,
        ..PipelineOptions::default()
    })?);
    let http = HttpClient::new(HttpOptions {
        pause: std::time::Duration::from_millis(args.pause_ms),
        ..HttpOptions::default()
    })?;
    let assess = ScanAssess(pipeline);
    let ctx = RunContext {
        store: &vault.store,
        key: &vault.key,
        actor: vault.actor.clone(),
        tool: vault.tool.clone(),
        http: &http,
        telegram_base: args.telegram_web.clone(),
        assess: &assess,
    };
    let mut failed = false;
    for job in jobs {
        let report = run_job(&ctx, job).await?;
        failed |= report.status != "ok";
        if args.json {
            json_line(&report);
        } else {
            let c = &report.counts;
            eprintln!(
                "{}: {} — {} requests, {} documents, {} kept: {} new, {} changed, {} restored, \
                 {} deleted; {} flagged for review; logged as {}",
                report.job,
                report.status,
                c.requests,
                c.documents,
                c.kept,
                c.new,
                c.changed,
                c.restored,
                c.deleted,
                c.flagged,
                report.log_entry
            );
            for f in &report.flagged {
                eprintln!(
                    "  flagged {:.2} {} {}",
                    f.risk,
                    f.key,
                    f.url.as_deref().unwrap_or("")
                );
            }
            for e in &report.errors {
                eprintln!("  error: {e}");
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

async fn docs(vault: &Vault, args: &DocsArgs) -> anyhow::Result<ExitCode> {
    let job_id = match &args.job {
        Some(name) => Some(
            vault
                .store
                .job(name)
                .await?
                .ok_or_else(|| InputError(format!("there is no monitoring job {name:?}")))?
                .id,
        ),
        None => None,
    };
    let docs = vault
        .store
        .documents(&DocumentFilter {
            job_id,
            deleted_only: args.deleted,
            flagged_only: args.flagged,
        })
        .await?;
    for d in &docs {
        if args.json {
            json_line(&serde_json::json!({
                "id": d.id.to_string(),
                "key": d.key,
                "url": d.url,
                "source": d.source,
                "author": d.author,
                "title": d.title,
                "published_at": d.published_at,
                "first_seen": d.first_seen.to_utc_string(),
                "last_seen": d.last_seen.to_utc_string(),
                "deleted_at": d.deleted_at.map(|t| t.to_utc_string()),
                "sha256": d.content.to_hex(),
                "lang": d.lang,
                "risk": d.risk,
                "flagged": d.flagged,
                "versions": d.versions,
                "text": d.body,
                "assessment": d.assessment.as_deref().and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok()),
            }));
        } else {
            let status = match d.deleted_at {
                Some(at) => format!(
                    "DELETED {} (last seen {})",
                    at.to_almaty_string(),
                    d.last_seen.to_almaty_string()
                ),
                None => format!("seen {}", d.last_seen.to_almaty_string()),
            };
            let first_line: String = d
                .body
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(70)
                .collect();
            println!(
                "{}{:.2} {:<28} {}  {}",
                if d.flagged { "⚑ " } else { "  " },
                d.risk.unwrap_or(0.0),
                d.key,
                status,
                first_line
            );
        }
    }
    if docs.is_empty() && !args.json {
        eprintln!("no documents");
    }
    Ok(ExitCode::SUCCESS)
}
