//! `qorgau serve [--bind ADDR]` and `qorgau admin create …`

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use qorgau_server::api::directory::{NewUser, create_user};
use qorgau_server::{ServerConfig, seed};
use qorgau_vault::Vault;

use tokio::sync::watch;

use crate::output::{InputError, json_line};

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        env = "QORGAU_BIND"
    )]
    bind: SocketAddr,
    /// Send session cookies without `Secure` (plain HTTP); allowed on loopback only.
    #[arg(long)]
    insecure_cookies: bool,
    /// The URL partners reach this server at (behind its TLS proxy), used
    /// in TAXII discovery: `https://qorgau.example`.
    #[arg(long, value_name = "URL", env = "QORGAU_PUBLIC_URL")]
    public_url: Option<String>,
    /// Print the OpenAPI document and exit.
    #[arg(long)]
    openapi: bool,
    /// Pages captured from the web interface are fetched over plain HTTP
    /// (the default when no Chromium is found).
    #[arg(long)]
    capture_no_browser: bool,
    /// Jobs (captures, exports, checks, the deadline check) this server
    /// runs itself; default 2 on the embedded SQLite, 0 on PostgreSQL,
    /// where `qorgau worker` processes take them and `serve` stays
    /// stateless.
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Fill a fresh data directory (default ./.qorgau-demo/server) with a
    /// synthetic data set and demo accounts, then serve it over plain HTTP
    /// on loopback. Never use it for real work.
    #[arg(long)]
    pub demo: bool,
}

/// Runs `serve`; `database_url` is the one given on the command line, for
/// the capture workers the interface starts.
pub async fn run(
    vault: Vault,
    args: &Args,
    database_url: Option<&str>,
) -> anyhow::Result<ExitCode> {
    if args.openapi {
        println!(
            "{}",
            serde_json::to_string_pretty(&qorgau_server::openapi())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.demo && !args.bind.ip().is_loopback() {
        return Err(InputError(format!(
            "--demo serves demo accounts with a published password: loopback only, not {}",
            args.bind
        ))
        .into());
    }
    if args.insecure_cookies && !args.bind.ip().is_loopback() {
        return Err(InputError(format!(
            "--insecure-cookies is for plain HTTP on loopback only; {} is not loopback \
             (put a TLS proxy in front and drop the flag)",
            args.bind
        ))
        .into());
    }
    if let Some(url) = &args.public_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(InputError(format!(
            "--public-url {url:?}: give the full URL partners use, e.g. https://qorgau.example"
        ))
        .into());
    }
    let added = seed::default_agencies(&vault)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if added > 0 {
        eprintln!("first run: added the {added} agencies of the default directory");
    }
    if !args.demo && vault.store.user_count().await? == 0 {
        eprintln!(
            "no accounts yet: create the first administrator with\n  \
             qorgau admin create --username NAME --display-name 'NAME' --agency mvd-cyber --role administrator --password-stdin"
        );
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("listening on {}", args.bind))?;
    let config = ServerConfig {
        secure_cookies: !(args.insecure_cookies || args.demo),
        public_url: args.public_url.clone(),
        ..ServerConfig::default()
    };
    let vault = Arc::new(vault);
    let state = qorgau_server::state(vault.clone(), config)?;
    if args.demo {
        if super::demo_server::seed_once(&vault, &state).await? {
            eprintln!(
                "demo: filled {} with synthetic data",
                vault.data_dir.display()
            );
        }
        eprintln!(
            "demo accounts (password {}): {}",
            super::demo_server::DEMO_PASSWORD,
            super::demo_server::ACCOUNTS
                .iter()
                .map(|a| a.0)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let ui = qorgau_web::routes(qorgau_web::Services {
        exports_dir: crate::work::exports_dir(&vault.data_dir),
        uploads_dir: crate::work::uploads_dir(&vault.data_dir),
    });
    let workers = args.workers.unwrap_or(match vault.store.backend() {
        qorgau_store::Backend::Sqlite => 2,
        qorgau_store::Backend::Postgres => 0,
    });
    let (stop, stopped_rx) = watch::channel(false);
    let mut background = Vec::new();
    if workers > 0 {
        let setup = crate::work::Setup {
            command: crate::work::child_command(&vault, args.capture_no_browser, database_url),
            state: state.clone(),
        };
        let config = qorgau_work::RunnerConfig::for_this_process(workers);
        let lease = config.lease;
        let runner = super::worker::runner_for(&setup, &[], config)?;
        background.push(tokio::spawn(qorgau_work::run_schedules(
            vault.store.clone(),
            runner.worker_id().to_owned(),
            crate::work::schedules(&setup),
            lease,
            stopped_rx.clone(),
        )));
        background.push(tokio::spawn(async move {
            let _ = runner.run(stopped_rx).await;
            0
        }));
    }
    if workers == 0 {
        eprintln!(
            "jobs (captures, exports, the deadline check) are left to `qorgau worker` processes"
        );
    }
    // The last line before serving (tests and scripts wait for it): open
    // the address in a browser; the API is under /api.
    eprintln!(
        "serving Qorgau on http://{} (API: /api, OpenAPI: /api/openapi.json); stop with ctrl-c",
        listener.local_addr()?
    );
    qorgau_server::serve(listener, state, ui).await?;
    let _ = stop.send(true);
    // Running jobs get a moment to finish; past it their leases expire
    // and a worker (or the next start) takes them again.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        for task in background {
            let _ = task.await;
        }
    })
    .await;
    Ok(ExitCode::SUCCESS)
}

/// Resolves at ctrl-c or SIGTERM.
pub async fn stopped() {
    qorgau_server::shutdown().await;
}

/// Account administration on the machine itself.
#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Create an account (the first administrator on a fresh installation).
    Create(CreateArgs),
}

/// Arguments of `admin create`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// Sign-in name (a-z, 0-9, '.', '-', '_').
    #[arg(long)]
    username: String,
    /// Name shown.
    #[arg(long)]
    display_name: String,
    /// The agency's code (see GET /api/agencies; defaults are created on first use).
    #[arg(long)]
    agency: String,
    /// A role (repeat for more).
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// Read the password from standard input (one line) instead of QORGAU_PASSWORD.
    #[arg(long)]
    password_stdin: bool,
    /// Print the account as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `admin`.
pub async fn admin(vault: Vault, command: &AdminCommand) -> anyhow::Result<ExitCode> {
    let AdminCommand::Create(args) = command;
    seed::default_agencies(&vault)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let password = if args.password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .take(4096)
            .read_to_string(&mut text)
            .context("reading the password from standard input")?;
        text.lines().next().unwrap_or_default().to_owned()
    } else {
        std::env::var("QORGAU_PASSWORD").map_err(|_| {
            InputError(
                "give the password on standard input (--password-stdin) or in QORGAU_PASSWORD"
                    .into(),
            )
        })?
    };
    let state = qorgau_server::state(Arc::new(vault), ServerConfig::default())?;
    let user = create_user(
        &state,
        NewUser {
            username: args.username.clone(),
            display_name: args.display_name.clone(),
            agency: args.agency.clone(),
            roles: args.roles.clone(),
            password,
        },
    )
    .await
    .map_err(|e| match e {
        qorgau_server::ApiError::BadRequest(m) | qorgau_server::ApiError::Conflict(m) => {
            anyhow::Error::from(InputError(m))
        }
        other => anyhow::anyhow!("{other}"),
    })?;
    if args.json {
        json_line(&qorgau_server::api::UserView::of(&user));
    }
    eprintln!(
        "created {} ({}) with roles {}",
        user.username,
        user.display_name,
        user.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
