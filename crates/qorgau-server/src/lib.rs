//! `qorgau serve`: the early-response module's JSON API over HTTP.
//!
//! An axum application over the same vault and store the command line uses
//! (SQLite by default, PostgreSQL when configured). Every route is described
//! in the OpenAPI document at `/api/openapi.json` (utoipa, generated from the
//! handlers themselves, so the document cannot drift from the code), and
//! every route but the public ones authorises the caller on the server.

pub mod api;
pub mod auth;
pub mod checklist;
pub mod error;
pub mod escalation;
pub mod flow;
pub mod intake;
pub mod json;
pub mod lexicon;
pub mod rerouting;
pub mod rules;
pub mod seed;
pub mod state;
pub mod taxii;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::routing::{any, get};
use qorgau_vault::Vault;

pub use error::ApiError;
pub use state::{AppState, Clock, RateLimiter, Routing, RoutingLoadError, ServerConfig};

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The routing rules do not load.
    #[error(transparent)]
    Routing(#[from] RoutingLoadError),
    /// The victims' key file cannot be made or read.
    #[error("the key sealing victims' personal data: {0}")]
    VictimKey(#[from] qorgau_victims::KeyError),
}

/// The state for `vault`: its routing rules loaded from its data directory
/// (or the built-in ones) and the victims' key file (made on first start).
pub fn state(vault: Arc<Vault>, config: ServerConfig) -> Result<AppState, StartError> {
    let routing = Routing::load(&vault.data_dir)?;
    let path = config
        .victim_key
        .clone()
        .unwrap_or_else(|| vault.data_dir.join("keys").join("victims.key"));
    let key = if path.exists() {
        qorgau_victims::load_key_file(&path)?
    } else {
        qorgau_victims::create_key_file(&path)?
    };
    Ok(AppState::new(
        vault,
        config,
        routing,
        qorgau_victims::KeyRing::new(key),
    ))
}

/// The whole application, ready to serve: the JSON API alone.
pub fn app(state: AppState) -> axum::Router {
    app_with(state, axum::Router::new())
}

/// The JSON API with `ui` (the web interface, `qorgau-web`) beside it. The
/// interface is another crate so that this one stays the API's contract;
/// both run on the same state, sessions and permission checks.
pub fn app_with(state: AppState, ui: axum::Router<AppState>) -> axum::Router {
    let (router, api) = api::routes();
    let document = Arc::new(api);
    router
        .route(
            "/api/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json(document.as_ref().clone()) }
            }),
        )
        .route("/taxii2", any(taxii::endpoint))
        .route("/taxii2/", any(taxii::endpoint))
        .route("/taxii2/{*rest}", any(taxii::endpoint))
        .merge(ui)
        .fallback(|| async { ApiError::NotFound("no such endpoint".into()) })
        .with_state(state)
}

/// The OpenAPI document, for `qorgau serve --openapi` and tests.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::routes().1
}

/// Serves the API and `ui` on `listener` until ctrl-c / SIGTERM. The
/// deadline check is a scheduled job of the work queue (`qorgau-work`),
/// run by whichever process holds the schedules' lease — `serve` itself on
/// the embedded default, the workers beside a shared PostgreSQL.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    ui: axum::Router<AppState>,
) -> std::io::Result<()> {
    let app = app_with(state, ui);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

/// Resolves at ctrl-c or SIGTERM: how every long-running command stops.
pub async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
