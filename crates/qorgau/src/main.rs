//! `qorgau`: the command line over the Qorgau crates.
//!
//! Thin by design: parse arguments, open the vault, call the library, print.
//! Human output goes to stderr (with progress bars on a terminal), machine
//! output (`--json`, one object per line) to stdout. Exit codes: 0 when all
//! went well, 1 when the command ran but found or met problems (a file not
//! acquired, a verification failure), 2 for bad input.

mod cmd;
mod output;
mod work;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use qorgau_vault::s3::S3Settings;
use qorgau_vault::{Vault, VaultConfig};

/// Qorgau — preserve evidence of online trafficking so that a court accepts it.
#[derive(Debug, Parser)]
#[command(name = "qorgau", version, about, long_about = None)]
struct Cli {
    /// Data directory: blobs, keys, and the SQLite database by default.
    #[arg(long, global = true, env = "QORGAU_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of the embedded SQLite (postgres://…).
    #[arg(
        long,
        global = true,
        env = "QORGAU_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// The operator's name for the custody ledger (default: the OS user).
    #[arg(long, global = true, env = "QORGAU_OPERATOR", value_name = "NAME")]
    operator: Option<String>,
    /// Where evidence blobs live: `local` (the data directory, the default)
    /// or `s3://BUCKET` (S3-compatible storage with object lock; the data
    /// directory is then its cache). S3 also reads QORGAU_S3_ENDPOINT,
    /// QORGAU_S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    /// QORGAU_S3_RETENTION_DAYS and QORGAU_S3_NO_OBJECT_LOCK.
    #[arg(
        long,
        global = true,
        env = "QORGAU_BLOB_STORE",
        value_name = "local|s3://BUCKET"
    )]
    blob_store: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Acquire files and folders into the vault under a case.
    Add(cmd::add::Args),
    /// Preserve web pages and public Telegram channels (WARC, screenshot, DOM, text, media).
    Capture(cmd::capture::Args),
    /// Write the protocol of inspection of captured resources (PDF or HTML; ru, kk, en).
    Protocol(cmd::protocol::Args),
    /// Re-hash every blob and check every record, chain and signature.
    Verify(cmd::verify::Args),
    /// Take a verified working copy of an item (recorded as `viewed`).
    Copy(cmd::copy::Args),
    /// Hand a case over as a BagIt bag with a hashdeep audit file.
    Export(cmd::export::Args),
    /// Record or show investigative steps and custody events.
    #[command(subcommand)]
    Log(cmd::log::LogCommand),
    /// List cases.
    Cases(cmd::list::CasesArgs),
    /// List the items of a case.
    Items(cmd::list::ItemsArgs),
    /// Export the custody ledger or the installation's public key.
    #[command(subcommand)]
    Ledger(cmd::ledger::LedgerCommand),
    /// Scan documents for recruitment and exploitation; one JSON line each.
    Scan(cmd::scan::Args),
    /// Watch channels, feeds and sites; every run goes to the OSINT log.
    #[command(subcommand)]
    Monitor(cmd::monitor::MonitorCommand),
    /// Follow the money: import transfers, list their red flags.
    #[command(subcommand)]
    Money(cmd::money::MoneyCommand),
    /// Image reuse: near-duplicate images across cases, by perceptual hash.
    #[command(subcommand)]
    Media(cmd::media::MediaCommand),
    /// Train the optional scoring model on labelled JSON Lines.
    Train(cmd::model::TrainArgs),
    /// Measure the scan (or a trained model) on labelled JSON Lines.
    Eval(cmd::model::EvalArgs),
    /// Run a short demonstration on generated sample files.
    Demo(cmd::demo::Args),
    /// Serve the JSON API of the early-response module (OpenAPI at /api/openapi.json).
    Serve(cmd::serve::Args),
    /// Move the installation from the embedded SQLite into PostgreSQL and/or its blobs into S3, verified.
    Migrate(cmd::migrate::Args),
    /// The work queue: list, show, submit, retry dead jobs, wait.
    #[command(subcommand)]
    Jobs(cmd::jobs::JobsCommand),
    /// Take jobs (captures, exports, checks, schedules) from the work queue.
    Worker(cmd::worker::Args),
    /// Create accounts on the machine itself (the first administrator).
    #[command(subcommand)]
    Admin(cmd::serve::AdminCommand),
}

impl Cli {
    /// The vault's configuration; an input error (exit 2) when the S3
    /// settings are incomplete or wrong. Secrets come from the environment
    /// only (never a flag, which `ps` would show) and are never printed.
    fn vault_config(&self) -> anyhow::Result<VaultConfig> {
        let settings = S3Settings {
            blob_store: self.blob_store.clone(),
            ..S3Settings::from_env()
        };
        let s3 = settings.config().map_err(output::InputError)?;
        if let Some(s3) = &s3
            && s3.without_object_lock
        {
            eprintln!(
                "WARNING: QORGAU_S3_NO_OBJECT_LOCK is set: evidence in s3://{} at {} is NOT \
                 locked, and anyone with write access to the bucket can delete or overwrite it",
                s3.bucket, s3.endpoint
            );
        }
        Ok(VaultConfig {
            data_dir: self.data_dir.clone().unwrap_or_else(default_data_dir),
            database_url: self.database_url.clone(),
            operator: self.operator.clone(),
            s3,
        })
    }
}

/// `$XDG_DATA_HOME/qorgau`, else `~/.local/share/qorgau`, else `./qorgau-data`.
fn default_data_dir() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("qorgau");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home).join(".local/share/qorgau");
    }
    PathBuf::from("qorgau-data")
}

async fn open(cli: &Cli) -> anyhow::Result<Vault> {
    let config = cli.vault_config()?;
    // Context, not a new error: an input error (a bucket without object
    // lock, refused credentials) keeps exit code 2.
    Vault::open(&config).await.map_err(|e| {
        anyhow::Error::new(e).context(format!(
            "cannot open the vault in {}",
            config.data_dir.display()
        ))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("QORGAU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(run(cli));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(if is_input_error(&e) { 2 } else { 1 })
        }
    }
}

fn is_input_error(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<qorgau_vault::VaultError>(),
            Some(qorgau_vault::VaultError::Input(_))
        ) || cause.downcast_ref::<output::InputError>().is_some()
    })
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Add(args) => cmd::add::run(&open(&cli).await?, args).await,
        Command::Capture(args) => cmd::capture::run(&open(&cli).await?, args).await,
        Command::Serve(args) if args.demo && cli.data_dir.is_none() => {
            let mut config = cli.vault_config()?;
            config.data_dir = cmd::demo_server::default_dir().to_path_buf();
            cmd::serve::run(
                Vault::open(&config).await?,
                args,
                cli.database_url.as_deref(),
            )
            .await
        }
        Command::Serve(args) => {
            cmd::serve::run(open(&cli).await?, args, cli.database_url.as_deref()).await
        }
        Command::Admin(command) => cmd::serve::admin(open(&cli).await?, command).await,
        Command::Migrate(args) => {
            if cli.database_url.is_some() && args.moves_database() {
                return Err(output::InputError(
                    "migrate --to reads the embedded SQLite database of the data directory: \
                     unset QORGAU_DATABASE_URL (and --database-url) and name the target with --to"
                        .into(),
                )
                .into());
            }
            // The source as it is now: without the bucket, whose checks
            // would count every blob not yet moved as a problem.
            let config = cli.vault_config()?;
            let source = qorgau_vault::Vault::open(&qorgau_vault::VaultConfig {
                s3: None,
                ..config.clone()
            })
            .await?;
            cmd::migrate::run(&source, &config, args).await
        }
        Command::Jobs(command) => cmd::jobs::run(&open(&cli).await?, command).await,
        Command::Worker(args) => {
            cmd::worker::run(open(&cli).await?, args, cli.database_url.as_deref()).await
        }
        Command::Protocol(args) => cmd::protocol::run(&open(&cli).await?, args).await,
        Command::Verify(args) => cmd::verify::run(&open(&cli).await?, args).await,
        Command::Copy(args) => cmd::copy::run(&open(&cli).await?, args).await,
        Command::Export(args) => cmd::export::run(&open(&cli).await?, args).await,
        Command::Log(command) => cmd::log::run(&open(&cli).await?, command).await,
        Command::Cases(args) => cmd::list::cases(&open(&cli).await?, args).await,
        Command::Items(args) => cmd::list::items(&open(&cli).await?, args).await,
        Command::Ledger(command) => cmd::ledger::run(&open(&cli).await?, command).await,
        Command::Scan(args) => {
            let approved = if args.approved_lexicon {
                cmd::scan::approved_lexicon(&open(&cli).await?.store).await?
            } else {
                None
            };
            cmd::scan::run(args, approved)
        }
        Command::Monitor(command) => cmd::monitor::run(&open(&cli).await?, command).await,
        Command::Money(command) => cmd::money::run(&open(&cli).await?, command).await,
        Command::Media(command) => cmd::media::run(&open(&cli).await?, command).await,
        Command::Train(args) => cmd::model::train(args),
        Command::Eval(args) => cmd::model::eval(args),
        Command::Demo(args) => cmd::demo::run(&cli, args).await,
    }
}
