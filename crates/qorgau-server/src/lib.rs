//! `qorgau serve`: the early-response module's JSON API over HTTP.
//!
//! An axum application over the same vault and store the command line uses
//! (SQLite by default, PostgreSQL when configured). Every route is described
//! in the OpenAPI document at `/api/openapi.json` (utoipa, generated from the
//! handlers themselves, so the document cannot drift from the code), and
//! every route but the public ones authorises the caller on the server.

pub mod api;
pub mod auth;
pub mod error;
pub mod json;
pub mod seed;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::routing::get;
use qorgau_vault::Vault;

pub use error::ApiError;
pub use state::{AppState, RateLimiter, ServerConfig};

/// The whole application, ready to serve.
pub fn app(vault: Arc<Vault>, config: ServerConfig) -> axum::Router {
    let state = AppState::new(vault, config);
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

/// Serves on `listener` until ctrl-c / SIGTERM.
pub async fn serve(
    listener: tokio::net::TcpListener,
    vault: Arc<Vault>,
    config: ServerConfig,
) -> std::io::Result<()> {
    let app = app(vault, config);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
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
