//! `qorgau money` as an analyst uses it, on SQLite by default and on
//! PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set: a Tronscan export with
//! bad rows imported into a case (the file's hashes checked with sha256sum
//! and md5sum against the ledger), imported again without doubling, and the
//! dropper wallet's red flags with the transfers behind them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::process::{Command, Output};

use qorgau_store::testing::TestDatabase;
use serde_json::Value;

const TRON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qorgau-money/tests/fixtures/tronscan-transfers.csv"
);
const BANK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qorgau-money/tests/fixtures/bank-statement.csv"
);

struct Env {
    dir: tempfile::TempDir,
    db: TestDatabase,
}

impl Env {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = TestDatabase::fresh(&dir.path().join("vault")).await;
        Self { dir, db }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_qorgau"));
        cmd.env("QORGAU_DATA_DIR", self.dir.path().join("vault"))
            .env("QORGAU_OPERATOR", "test-analyst")
            .env_remove("QORGAU_DATABASE_URL");
        if let Some(url) = &self.db.url {
            cmd.env("QORGAU_DATABASE_URL", url);
        }
        cmd.args(args).output().unwrap()
    }
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn tool_hash(tool: &str, path: &str) -> String {
    let out = Command::new(tool).arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_is_imported_once_and_its_dropper_flagged() {
    let env = Env::new().await;
    let args = [
        "money",
        "import",
        TRON,
        "--format",
        "tron-csv",
        "--case",
        "KUSP-2026-0412",
        "--json",
    ];
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(1), "bad rows make exit code 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tronscan-transfers.csv:line 5:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tronscan-transfers.csv:line 7:"),
        "{stderr}"
    );
    let summary = &json_lines(&out)[0];
    assert_eq!(summary["rows"], 6);
    assert_eq!(summary["new"], 6);
    assert_eq!(summary["row_errors"], 2);
    assert_eq!(summary["sha256"], tool_hash("sha256sum", TRON));
    assert_eq!(summary["md5"], tool_hash("md5sum", TRON));

    // Again: nothing new, nothing doubled.
    let again = json_lines(&env.run(&args))[0].clone();
    assert_eq!(
        (again["rows"].as_u64(), again["new"].as_u64()),
        (Some(6), Some(0))
    );

    // The ledger names the file by its hashes, in the case's chain.
    let log = env.run(&["log", "show", "--case", "KUSP-2026-0412", "--json"]);
    assert!(
        log.status.success(),
        "{}",
        String::from_utf8_lossy(&log.stderr)
    );
    let imports: Vec<Value> = json_lines(&log)
        .into_iter()
        .filter(|e| {
            e["details"]
                .as_str()
                .is_some_and(|d| d.contains("money_import"))
        })
        .collect();
    assert_eq!(imports.len(), 2);
    assert!(
        imports[0]["details"]
            .as_str()
            .unwrap()
            .contains(summary["sha256"].as_str().unwrap())
    );

    let flags = json_lines(&env.run(&["money", "flags", "--case", "KUSP-2026-0412", "--json"]));
    let kinds: Vec<&str> = flags.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"fan_in") && kinds.contains(&"pass_through"),
        "{flags:?}"
    );
    let fan = flags.iter().find(|f| f["kind"] == "fan_in").unwrap();
    assert_eq!(
        fan["account"],
        "wallet:tron:TXGBoRcGP5813epCARkZUawUnDR8ucKCHf"
    );
    assert_eq!(fan["transfers"].as_array().unwrap().len(), 5);
    assert!(
        fan["explanation"]
            .as_str()
            .unwrap()
            .contains("5 distinct senders")
    );
    // Stricter thresholds from a file: five senders are no longer enough;
    // a broken file is named with its line.
    let strict = env.dir.path().join("strict.toml");
    std::fs::write(&strict, "[fan_in]\nmin_senders = 6\n").unwrap();
    let strict = strict.to_str().unwrap();
    let flags = json_lines(&env.run(&[
        "money",
        "flags",
        "--case",
        "KUSP-2026-0412",
        "--json",
        "--config",
        strict,
    ]));
    assert!(flags.iter().all(|f| f["kind"] != "fan_in"), "{flags:?}");
    let broken = env.dir.path().join("broken.toml");
    std::fs::write(&broken, "[fan_in]\nmin_senders = \"six\"\n").unwrap();
    let out = env.run(&[
        "money",
        "flags",
        "--case",
        "KUSP-2026-0412",
        "--config",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken.toml:2:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Outside the case there is nothing.
    let none = env.run(&["money", "flags"]);
    assert!(String::from_utf8_lossy(&none.stdout).contains("no red flags in 0 transfers"));
    env.run(&["verify"])
        .status
        .success()
        .then_some(())
        .expect("verify passes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_named_and_stores_nothing() {
    let env = Env::new().await;
    let out = env.run(&["money", "import", BANK, "--format", "bank-csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--map"));
    let out = env.run(&[
        "money",
        "import",
        BANK,
        "--format",
        "bank-csv",
        "--map",
        "time=Дата",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("from=COLUMN is required"));
    let out = env.run(&[
        "money", "import", BANK, "--format", "tron-csv", "--case", "X-1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bank-statement.csv") && stderr.contains("Tronscan"),
        "{stderr}"
    );
    let out = env.run(&[
        "money",
        "import",
        "/nonexistent.csv",
        "--format",
        "tron-csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent.csv"));
    let ok = env.run(&[
        "money", "import", BANK, "--format", "bank-csv", "--case", "X-1", "--json", "--map",
        "time=Дата операции,from=Карта отправителя,to=Карта получателя,amount=Сумма,currency=Валюта,tx=Номер операции",
    ]);
    assert_eq!(ok.status.code(), Some(1), "one bad date");
    assert_eq!(json_lines(&ok)[0]["new"], 3);
}
