//! Databases for tests: SQLite by default, PostgreSQL when
//! `QORGAU_TEST_DATABASE_URL` is set (CI sets it and runs the suite twice).
//!
//! Each PostgreSQL test gets a schema of its own, so tests run in parallel on
//! one server without seeing each other's rows; the schema is dropped when
//! the guard goes out of scope.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;

use sqlx::any::install_default_drivers;
use sqlx::{AnyConnection, Connection};

use crate::connect::StoreLocation;

/// The environment variable naming the PostgreSQL server for tests.
pub const TEST_DATABASE_URL: &str = "QORGAU_TEST_DATABASE_URL";

/// A database for one test; dropping it removes a PostgreSQL schema.
#[derive(Debug)]
pub struct TestDatabase {
    /// Where the store should connect.
    pub location: StoreLocation,
    /// The URL to hand to a `qorgau` process (`QORGAU_DATABASE_URL`), if PostgreSQL.
    pub url: Option<String>,
    cleanup: Option<(String, String)>,
}

impl TestDatabase {
    /// A fresh database: a schema on the test PostgreSQL server if one is
    /// configured, otherwise SQLite inside `data_dir`.
    pub async fn fresh(data_dir: &Path) -> Self {
        let Some(base) = std::env::var(TEST_DATABASE_URL)
            .ok()
            .filter(|u| !u.is_empty())
        else {
            return Self {
                location: StoreLocation::choose(data_dir, None),
                url: None,
                cleanup: None,
            };
        };
        install_default_drivers();
        let schema = format!("qt_{}", uuid_simple());
        let mut conn = AnyConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {base}: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .expect("create test schema");
        let _ = conn.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        Self {
            location: StoreLocation::Postgres(url.clone()),
            url: Some(url),
            cleanup: Some((base, schema)),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((base, schema)) = self.cleanup.take() {
            // Drop runs outside any async context; use a private runtime.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    if let Ok(mut conn) = AnyConnection::connect(&base).await {
                        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                            "DROP SCHEMA IF EXISTS {schema} CASCADE"
                        )))
                        .execute(&mut conn)
                        .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

fn uuid_simple() -> String {
    qorgau_core::Id::new().to_string().replace('-', "")
}
