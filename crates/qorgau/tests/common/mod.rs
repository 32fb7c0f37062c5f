//! What the money CLI tests share: the built `qorgau` run against a fresh
//! data directory (SQLite, or PostgreSQL when `QORGAU_TEST_DATABASE_URL`
//! is set), its JSON lines, and hashes as the system's own tools give them.
#![allow(dead_code)] // each test file uses part of it

use std::path::PathBuf;
use std::process::{Command, Output};

use qorgau_store::testing::TestDatabase;
use serde_json::Value;

/// A fresh data directory and database.
pub struct Env {
    /// The directory (the vault is `vault/` in it; tests put files beside).
    pub dir: tempfile::TempDir,
    /// The database the vault uses.
    pub db: TestDatabase,
}

impl Env {
    /// A new, empty installation.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = TestDatabase::fresh(&dir.path().join("vault")).await;
        Self { dir, db }
    }

    /// Runs `qorgau ARGS` as the test analyst.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    /// Runs `qorgau ARGS` as the test analyst with these environment
    /// variables set.
    #[allow(dead_code)] // not every test binary sets any
    pub fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_qorgau"));
        cmd.envs(vars.iter().copied());
        cmd.env("QORGAU_DATA_DIR", self.dir.path().join("vault"))
            .env("QORGAU_OPERATOR", "test-analyst")
            .env_remove("QORGAU_DATABASE_URL");
        if let Some(url) = &self.db.url {
            cmd.env("QORGAU_DATABASE_URL", url);
        }
        cmd.args(args).output().unwrap()
    }

    /// A path in the test's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Standard output as JSON lines.
pub fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The digest `tool` (sha256sum, md5sum) prints for `path`.
pub fn tool_hash(tool: &str, path: &str) -> String {
    let out = Command::new(tool).arg(path).output().unwrap();
    assert!(out.status.success(), "{tool} {path}");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}
