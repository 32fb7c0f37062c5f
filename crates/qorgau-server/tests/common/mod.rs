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
        s3: None,
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
    let state = qorgau_server::state(vault.clone(), ServerConfig::default()).unwrap();
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
    serve_state(vault).await.0
}

/// Serves `vault` and returns the address and the server's state (to move
/// its clock).
pub async fn serve_state(vault: &Arc<Vault>) -> (String, AppState) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = ServerConfig {
        secure_cookies: false,
        ..ServerConfig::default()
    };
    let state = qorgau_server::state(vault.clone(), config).unwrap();
    tokio::spawn(qorgau_server::serve(
        listener,
        state.clone(),
        axum::Router::new(),
    ));
    (base, state)
}

/// A signed-in browser: cookie store, CSRF token, the server's address.
pub struct Session {
    /// The cookie-keeping client.
    pub client: reqwest::Client,
    /// The CSRF token of the session.
    pub csrf: String,
    /// `http://ADDR`.
    pub base: String,
}

impl Session {
    /// Signs in as `user` with [`PASSWORD`].
    pub async fn sign_in(base: &str, user: &str) -> Session {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let r = client
            .post(format!("{base}/api/auth/login"))
            .json(&serde_json::json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::OK, "sign-in of {user}");
        let body: serde_json::Value = r.json().await.unwrap();
        Session {
            client,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            base: base.to_owned(),
        }
    }

    /// Calls `METHOD path` with an optional JSON body; returns the status and
    /// the JSON answer (`null` when the body is not JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let r = request.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }
}
