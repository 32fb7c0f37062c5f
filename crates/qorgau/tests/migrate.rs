//! `qorgau migrate`: the demo installation on SQLite moved into PostgreSQL
//! (issue 9). Every table arrives value for value, the moved installation
//! verifies as a vault (chains, signatures, every blob re-hashed) and
//! answers as the old one did; a target that is not empty, a source that
//! does not verify and a source given as PostgreSQL are refused with
//! exit 2. PostgreSQL only (`QORGAU_TEST_DATABASE_URL`, CI's second pass).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod serving;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use qorgau_store::testing::TestDatabase;

fn qorgau(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qorgau"));
    c.env("QORGAU_DATA_DIR", data)
        .env("QORGAU_OPERATOR", "migration-test")
        .env_remove("QORGAU_DATABASE_URL");
    c
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_installation_moves_into_postgresql_and_verifies_there() {
    if std::env::var(qorgau_store::testing::TEST_DATABASE_URL)
        .ok()
        .filter(|u| !u.is_empty())
        .is_none()
    {
        eprintln!("skipped: set QORGAU_TEST_DATABASE_URL (CI's PostgreSQL pass runs it)");
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // The demo fills every part: cases, referrals, money, signals, evidence.
    let mut serve = qorgau(&data)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://{}", serving::address(&mut serve));
    // Answering means it is serving, with its signal handlers in place.
    let health = reqwest::get(format!("{base}/api/health")).await.unwrap();
    assert!(health.status().is_success());
    // SAFETY: kill(2) on our child.
    unsafe {
        libc::kill(i32::try_from(serve.id()).unwrap(), libc::SIGTERM);
    }
    assert!(serve.wait().unwrap().success());

    let cases_before = ok(&qorgau(&data).args(["cases", "--json"]).output().unwrap());
    let items_before = ok(&qorgau(&data)
        .args(["items", "--case", "DEMO-2026-014", "--json"])
        .output()
        .unwrap());
    assert!(cases_before.contains("DEMO-2026-014"));

    let target = TestDatabase::fresh(dir.path()).await;
    let url = target.url.clone().unwrap();
    let moved = ok(&qorgau(&data)
        .args(["migrate", "--to", &url, "--json"])
        .output()
        .unwrap());
    let report: serde_json::Value = serde_json::from_str(moved.trim()).unwrap();
    assert_eq!(report["ok"], true);
    let rows_of = |table: &str| {
        report["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == table)
            .map(|t| t["rows"].as_u64().unwrap())
            .unwrap_or_else(|| panic!("no table {table} in {report}"))
    };
    for table in [
        "ledger",
        "items",
        "cases",
        "case_files",
        "referrals",
        "users",
        "money_transfers",
        "documents",
        "signals",
    ] {
        assert!(rows_of(table) > 0, "{table} was copied");
    }

    // The moved installation answers as the old one did, and verifies.
    let on_pg = |args: &[&str]| {
        let mut c = qorgau(&data);
        c.env("QORGAU_DATABASE_URL", &url).args(args);
        c.output().unwrap()
    };
    assert_eq!(ok(&on_pg(&["cases", "--json"])), cases_before);
    assert_eq!(
        ok(&on_pg(&["items", "--case", "DEMO-2026-014", "--json"])),
        items_before
    );
    let verified: serde_json::Value =
        serde_json::from_str(ok(&on_pg(&["verify", "--json", "--no-record"])).trim()).unwrap();
    assert_eq!(verified["problems"], serde_json::json!([]));
    assert_eq!(
        verified["ledger_entries"].as_u64().unwrap(),
        rows_of("ledger") + 1,
        "the migration's own verification is on the chain"
    );

    // Into a database that is not empty: refused, nothing changed.
    let again = qorgau(&data)
        .args(["migrate", "--to", &url])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("migrate only into an empty database"));
    assert_eq!(ok(&on_pg(&["cases", "--json"])), cases_before);

    // Given a PostgreSQL source: refused.
    let from_pg = on_pg(&["migrate", "--to", &url]);
    assert_eq!(from_pg.status.code(), Some(2));

    // A source that does not verify is not moved.
    let item: serde_json::Value =
        serde_json::from_str(items_before.lines().next().unwrap()).unwrap();
    let sha = item["sha256"].as_str().unwrap();
    let blob = data
        .join("blobs/sha256")
        .join(&sha[0..2])
        .join(&sha[2..4])
        .join(sha);
    let mut perms = std::fs::metadata(&blob).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&blob, perms).unwrap();
    std::fs::write(&blob, b"altered after acquisition").unwrap();
    let fresh = TestDatabase::fresh(dir.path()).await;
    let refused = qorgau(&data)
        .args(["migrate", "--to", fresh.url.as_deref().unwrap()])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let words = String::from_utf8_lossy(&refused.stderr);
    assert!(words.contains("does not verify"), "{words}");
}
