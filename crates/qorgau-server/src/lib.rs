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
pub mod json;
pub mod seed;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::routing::get;
use qorgau_vault::Vault;

pub use error::ApiError;
pub use state::{AppState, Clock, RateLimiter, Routing, RoutingLoadError, ServerConfig};

/// The state for `vault` with its routing rules loaded from its data
/// directory (or the built-in ones).
pub fn state(vault: Arc<Vault>, config: ServerConfig) -> Result<AppState, RoutingLoadError> {
    let routing = Routing::load(&vault.data_dir)?;
    Ok(AppState::new(vault, config, routing))
}

/// The whole application, ready to serve.
pub fn app(state: AppState) -> axum::Router {
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
        .fallback(|| async { ApiError::NotFound("no such endpoint".into()) })
        .with_state(state)
}

/// The OpenAPI document, for `qorgau serve --openapi` and tests.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::routes().1
}

/// Serves on `listener` until ctrl-c / SIGTERM, with the deadline check
/// running on its timer beside the requests.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let checker = tokio::spawn(escalation::run_periodically(state.clone()));
    let app = app(state);
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await;
    checker.abort();
    served
}

async fn shutdown() {
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
