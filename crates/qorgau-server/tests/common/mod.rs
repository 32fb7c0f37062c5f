//! What the API tests share: a vault on SQLite or (QORGAU_TEST_DATABASE_URL)
//! PostgreSQL, accounts made as `qorgau admin create` makes them, and the
//! server on a free loopback port.

#![allow(dead_code)]

use std::sync::Arc;

use qorgau_response::User;
use qorgau_server::api::directory::{NewUser, create_user};
use qorgau_server::{AppState, ServerConfig};
use qorgau_store::testing::TestDatabase;
use qorgau_vault::{Vault, VaultConfig};

/// Every test account's password.
pub const PASSWORD: &str = "Synthetic pass 2026";

/// A fresh vault and what keeps it alive.
pub struct Fixture {
    /// The vault the server serves.
    pub vault: Arc<Vault>,
    /// Its data directory.
    pub dir: tempfile::TempDir,
    /// Its database.
    pub db: TestDatabase,
}

/// Opens a fresh vault operated by `operator`.
pub async fn fixture(operator: &str) -> Fixture {
    // reqwest is built without a default TLS crypto provider in the workspace.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("vault");
    let db = TestDatabase::fresh(&data).await;
    let vault = Vault::open(&VaultConfig {
        data_dir: data,
        database_url: db.url.clone(),
        operator: Some(operator.into()),
    })
    .await
    .unwrap();
    Fixture {
        vault: Arc::new(vault),
        dir,
        db,
    }
}

/// Creates an account with [`PASSWORD`].
pub async fn add_user(vault: &Arc<Vault>, name: &str, agency: &str, roles: &[&str]) -> User {
    let state = AppState::new(vault.clone(), ServerConfig::default());
    create_user(
        &state,
        NewUser {
            username: name.into(),
            display_name: format!("Synthetic {name}"),
            agency: agency.into(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap()
}

/// Serves `vault` on a free loopback port (plain HTTP); returns `http://ADDR`.
pub async fn serve(vault: &Arc<Vault>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = ServerConfig {
        secure_cookies: false,
        ..ServerConfig::default()
    };
    tokio::spawn(qorgau_server::serve(listener, vault.clone(), config));
    base
}
