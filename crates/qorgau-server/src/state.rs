//! What every request handler shares.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qorgau_vault::Vault;

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
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(8 * 3600),
            lock_after: 5,
            lock_for: Duration::from_secs(15 * 60),
            secure_cookies: true,
            complaints_per_minute: 5,
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
}

impl AppState {
    /// The state for a vault and settings, with empty rate limiters.
    pub fn new(vault: Arc<Vault>, config: ServerConfig) -> Self {
        Self {
            vault,
            config: Arc::new(config),
            limiter: Arc::default(),
            lookups: Arc::default(),
        }
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
