//! What every request handler shares.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use qorgau_core::Timestamp;
use qorgau_routing::{Calendar, Directory, RuleSet};
use qorgau_vault::Vault;
use qorgau_victims::KeyRing;

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a session lasts without signing in again.
    pub session_ttl: Duration,
    /// Failed sign-ins in a row before the account locks.
    pub lock_after: u32,
    /// How long it stays locked.
    pub lock_for: Duration,
    /// Whether cookies carry `Secure` (off only for plain HTTP on loopback).
    pub secure_cookies: bool,
    /// Public complaints accepted per client address per minute.
    pub complaints_per_minute: u32,
    /// How often the deadline check runs (missed deadlines escalate).
    pub escalation_interval: Duration,
    /// The key file sealing victims' personal data (default
    /// `<data-dir>/keys/victims.key`, made on first start with mode 0600).
    /// Keep it off the database's backups.
    pub victim_key: Option<std::path::PathBuf>,
    /// The URL partners reach this server at (`https://qorgau.example`),
    /// for the API root URLs TAXII discovery hands out; without it the
    /// request's `Host` over plain HTTP is used (development only).
    pub public_url: Option<String>,
    /// Largest TAXII request body, in bytes.
    pub taxii_max_content_length: u64,
    /// Largest page of objects a TAXII response holds.
    pub taxii_max_page_size: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(8 * 3600),
            lock_after: 5,
            lock_for: Duration::from_secs(15 * 60),
            secure_cookies: true,
            complaints_per_minute: 5,
            escalation_interval: Duration::from_secs(60),
            victim_key: None,
            public_url: None,
            taxii_max_content_length: 10 * 1024 * 1024,
            taxii_max_page_size: 100,
        }
    }
}

/// The state handlers share: the vault (store, keys, blobs) and settings.
#[derive(Clone)]
pub struct AppState {
    /// The evidence vault and its store.
    pub vault: Arc<Vault>,
    /// Settings.
    pub config: Arc<ServerConfig>,
    /// Rate limit for filing public complaints.
    pub limiter: Arc<RateLimiter>,
    /// Rate limit for looking up receipts (against guessing).
    pub lookups: Arc<RateLimiter>,
    /// The routing rules and the working-time calendar, replaced when an
    /// administrator saves new rules (read them through
    /// [`crate::rules::in_force`], which also picks up rules another
    /// process saved).
    pub routing: Arc<LiveRouting>,
    /// The server's clock.
    pub clock: Arc<Clock>,
    /// The keys that seal victims' personal data.
    pub victim_keys: Arc<KeyRing>,
    /// Signal intake's group-commit writer.
    pub intake: Arc<crate::intake::IntakeQueue>,
    /// API tokens checked a moment ago.
    pub tokens: Arc<crate::auth::TokenCache>,
}

impl AppState {
    /// Takes one report through the group-commit writer, then looks up the
    /// signals and cases it is related to.
    pub async fn take_signal(
        &self,
        draft: qorgau_response::SignalDraft,
        keys: qorgau_response::SignalKeys,
        reporter: &str,
        agency_id: Option<qorgau_core::Id>,
        now: Timestamp,
    ) -> Result<qorgau_store::Intake, qorgau_store::StoreError> {
        let store = &self.vault.store;
        let taken = self
            .intake
            .take(
                store,
                qorgau_store::Report {
                    draft,
                    keys,
                    reporter: reporter.to_owned(),
                    agency_id,
                    now,
                },
            )
            .await?;
        store.intake_of_taken(taken).await
    }

    /// The state for a vault, settings and routing, with empty rate limiters.
    pub fn new(
        vault: Arc<Vault>,
        config: ServerConfig,
        routing: Routing,
        victim_keys: KeyRing,
    ) -> Self {
        Self {
            vault,
            config: Arc::new(config),
            limiter: Arc::default(),
            lookups: Arc::default(),
            routing: Arc::new(LiveRouting::new(routing)),
            clock: Arc::default(),
            victim_keys: Arc::new(victim_keys),
            intake: Arc::default(),
            tokens: Arc::default(),
        }
    }
}

/// The routing rules the server evaluates on every change of a case, and
/// the calendar its deadlines run in.
#[derive(Debug)]
pub struct Routing {
    /// The rules.
    pub rules: RuleSet,
    /// Working days and holidays of Kazakhstan.
    pub calendar: Calendar,
    /// Where the rules came from (a file, `built-in`, or `saved rule set N`).
    pub source: String,
    /// The rule text, as written.
    pub text: String,
    /// SHA-256 of the text (hex): what an edit names as its starting point.
    pub sha256: String,
    /// The saved rule set's place in the history; 0 for built-in or file
    /// rules.
    pub seq: i64,
}

/// The routing in force in this process, replaceable while it serves.
#[derive(Debug)]
pub struct LiveRouting {
    current: RwLock<Arc<Routing>>,
}

impl LiveRouting {
    /// Starts with `routing`.
    pub fn new(routing: Routing) -> Self {
        Self {
            current: RwLock::new(Arc::new(routing)),
        }
    }

    /// The routing as loaded last; see [`crate::rules::in_force`] for the
    /// one saved in the database.
    pub fn loaded(&self) -> Arc<Routing> {
        // A poisoned lock only means a writer panicked between two whole
        // values: the value is still one or the other.
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Puts `routing` in force.
    pub fn replace(&self, routing: Routing) -> Arc<Routing> {
        let routing = Arc::new(routing);
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = routing.clone();
        routing
    }
}

/// Why the routing rules could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RoutingLoadError {
    /// The rule file could not be read.
    #[error("cannot read the routing rules {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A rule, directory or calendar file is invalid (with line and column).
    #[error("{0}")]
    Invalid(String),
}

impl Routing {
    /// The rules in `<data-dir>/routing/rules.toml` if the administrator put
    /// one there (checked with line-numbered errors, so a broken file stops
    /// the server instead of routing wrongly), else the built-in rules that
    /// follow the study.
    pub fn load(data_dir: &std::path::Path) -> Result<Routing, RoutingLoadError> {
        let path = data_dir.join("routing").join("rules.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => Routing::from_text(&path.display().to_string(), text, 0),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Routing::from_text("built-in", qorgau_routing::DEFAULT_RULES.to_owned(), 0)
            }
            Err(source) => Err(RoutingLoadError::Read {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// Rules from a text, checked against the agency directory (errors
    /// name `source` with line and column).
    pub fn from_text(source: &str, text: String, seq: i64) -> Result<Routing, RoutingLoadError> {
        let calendar =
            Calendar::default_kazakhstan().map_err(|e| RoutingLoadError::Invalid(e.to_string()))?;
        let rules = check_rules(source, &text).map_err(RoutingLoadError::Invalid)?;
        Ok(Routing {
            rules,
            calendar,
            source: source.to_owned(),
            sha256: qorgau_store::rule_text_sha256(&text),
            text,
            seq,
        })
    }
}

/// Checks a rule text against the agency directory: the rules, or every
/// problem with its line and column in `file`.
pub fn check_rules(file: &str, text: &str) -> Result<RuleSet, String> {
    let directory = Directory::default_kazakhstan().map_err(|e| e.to_string())?;
    RuleSet::from_toml(file, text, &directory).map_err(|e| e.to_string())
}

/// The time the server acts at: deadlines, escalations, referral steps.
/// One place so that tests can move it forward (a two-day deadline cannot be
/// waited out in a test); nothing in the API can move it.
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    /// Now, as the server counts it.
    pub fn now(&self) -> Timestamp {
        let offset = self.offset_seconds.load(Ordering::Relaxed);
        let now = Timestamp::now().as_datetime();
        Timestamp::from_datetime(now + chrono::Duration::seconds(offset))
    }

    /// Moves the clock forward by `by` (tests only).
    pub fn advance(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.offset_seconds.fetch_add(secs, Ordering::Relaxed);
    }

    /// Moves the clock back by `by`: for the demo data set, whose older case
    /// must have deadlines already missed, on a state of its own that
    /// serves no request.
    pub fn rewind(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.offset_seconds.fetch_sub(secs, Ordering::Relaxed);
    }
}

/// A fixed-window limiter per client address: the public complaint form
/// takes no sign-in, so this is what keeps one client from flooding it.
/// In memory, per server process: behind several servers each limits on
/// its own, which still bounds a flood.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts a request from `ip`; `Err(seconds to wait)` past `per_minute`.
    pub fn check(&self, ip: IpAddr, per_minute: u32) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        if entry.1 >= per_minute {
            let wait = 60u64.saturating_sub(now.duration_since(entry.0).as_secs());
            return Err(wait.max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}
