//! The work queue from the command line, with a real `qorgau worker`
//! process: a scan of an uploaded file, a money import, a job with a bad
//! argument dead-lettered with its words, the monitoring schedule running
//! a due monitoring job against a local channel preview, retrying a dead
//! job, and clear refusals of bad input. SQLite by default, PostgreSQL
//! when `QORGAU_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use qorgau_store::testing::TestDatabase;

struct Env {
    data: PathBuf,
    url: Option<String>,
    telegram: String,
}

impl Env {
    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_qorgau"));
        c.env("QORGAU_DATA_DIR", &self.data)
            .env("QORGAU_OPERATOR", "queue-test")
            .env("QORGAU_TELEGRAM_WEB", &self.telegram)
            .env_remove("QORGAU_DATABASE_URL");
        if let Some(url) = &self.url {
            c.env("QORGAU_DATABASE_URL", url);
        }
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "qorgau {args:?}: exit {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(self.ok(args).lines().next().unwrap()).unwrap()
    }

    fn submit(&self, args: &[&str]) -> String {
        let mut all = vec!["jobs", "submit"];
        all.extend_from_slice(args);
        all.push("--json");
        self.json(&all)["id"].as_str().unwrap().to_owned()
    }

    fn job(&self, id: &str) -> serde_json::Value {
        self.json(&["jobs", "show", id, "--json"])
    }
}

/// Kills the worker when the test ends, however it ends.
struct KillOnDrop(u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // SAFETY: kill(2) on our child (already reaped: no such process).
        unsafe {
            libc::kill(i32::try_from(self.0).unwrap(), libc::SIGKILL);
        }
    }
}

fn ads(dir: &Path) -> PathBuf {
    let path = dir.join("ads.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for i in 0..30 {
        let text = if i % 3 == 0 {
            format!(
                "Работа в Дубае для девушек 18-25, билеты и виза за наш счёт, пиши @dubai_hr_{i}"
            )
        } else {
            format!("Продам велосипед, почти новый, звонить вечером. Объявление {i}")
        };
        writeln!(
            f,
            "{}",
            serde_json::json!({ "id": format!("ad-{i}"), "text": text })
        )
        .unwrap();
    }
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_runs_scans_imports_and_schedules_and_dead_letters_bad_jobs() {
    let site = qorgau_testsite::TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let env = Env {
        data: dir.path().join("data"),
        url: db.url.clone(),
        telegram: site.url("").trim_end_matches('/').to_owned(),
    };
    let input = ads(dir.path());
    let input = input.to_str().unwrap();
    let tron = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/jobs-tronscan.csv"
    );

    // Bad input is refused before anything is queued.
    let unknown = env.run(&["jobs", "submit", "nonsense"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("the kinds are"));
    let missing = env.run(&[
        "jobs",
        "submit",
        "scan",
        "--input",
        "/nonexistent/ads.jsonl",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/ads.jsonl"));
    let no_case = env.run(&["jobs", "submit", "capture", "--case", "KUSP-0000-404"]);
    assert_ne!(no_case.status.code(), Some(0));
    assert!(
        env.ok(&["jobs", "list", "--json"]).is_empty(),
        "nothing was queued"
    );

    env.ok(&[
        "monitor",
        "add",
        "vacancies",
        "--kind",
        "telegram",
        "--source",
        "@synthetic_vacancies_kz",
        "--keyword",
        "вакансия",
        "--interval",
        "1h",
    ]);
    let scan = env.submit(&["scan", "--input", input]);
    let import = env.submit(&["money-import", "--input", tron, "--arg", "format=tron-csv"]);
    let bad = env.submit(&[
        "scan",
        "--input",
        input,
        "--arg",
        "format=xml",
        "--attempts",
        "1",
    ]);

    let worker = env
        .command()
        .args(["worker", "--concurrency", "2", "--lease-secs", "5"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A failed assertion must not leave the worker running (it would hold
    // the test's output open).
    let _guard = KillOnDrop(worker.id());
    // The schedule queues the due monitoring job; wait for its run.
    let started = Instant::now();
    loop {
        let runs = env.ok(&[
            "jobs",
            "list",
            "--kind",
            "monitor-run",
            "--state",
            "done",
            "--json",
        ]);
        if !runs.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no monitoring run"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    env.ok(&["jobs", "wait", "--timeout", "120"]);

    let s = env.job(&scan);
    assert_eq!(s["job"]["state"], "done", "{s}");
    assert_eq!(s["job"]["result"]["scanned"]["documents"], 30);
    let flagged = s["job"]["result"]["scanned"]["flagged"].as_u64().unwrap();
    assert!((1..30).contains(&flagged), "{flagged} of 30 flagged");
    let file = s["job"]["result"]["file"].as_str().unwrap();
    let results = std::fs::read_to_string(env.data.join("web-exports").join(file)).unwrap();
    assert_eq!(results.lines().count(), 30);
    assert_eq!(s["attempts"][0]["outcome"], "done");

    let i = env.job(&import);
    assert_eq!(i["job"]["state"], "done", "{i}");
    let reported = &i["job"]["result"]["reported"][0];
    assert!(reported["new"].as_u64().unwrap() > 0, "{reported}");
    // The fixture's line 5 has an address with a bad checksum and line 7
    // "ten" for an amount: reported with their lines, not retried.
    assert_eq!(reported["row_errors"], 2, "{reported}");
    assert_eq!(reported["errors"][0]["line"], 5, "{reported}");
    assert_eq!(reported["errors"][1]["line"], 7, "{reported}");
    assert_eq!(i["attempts"].as_array().unwrap().len(), 1, "{i}");

    let b = env.job(&bad);
    assert_eq!(b["job"]["state"], "dead");
    assert!(
        b["job"]["last_error"]
            .as_str()
            .unwrap()
            .contains("format \"xml\""),
        "{b}"
    );
    let docs = env.ok(&["monitor", "docs", "--json"]);
    assert!(
        docs.lines().count() > 0,
        "the scheduled run archived no documents: {}",
        env.ok(&["jobs", "list", "--kind", "monitor-run", "--json"])
    );

    // A dead job goes back to the queue on request; a done one does not.
    env.ok(&["jobs", "retry", &bad]);
    assert_eq!(env.job(&bad)["job"]["state"], "queued");
    assert_eq!(env.run(&["jobs", "retry", &scan]).status.code(), Some(2));

    // SAFETY: kill(2) on our child.
    unsafe {
        libc::kill(i32::try_from(worker.id()).unwrap(), libc::SIGTERM);
    }
    let out = worker.wait_with_output().unwrap();
    assert!(out.status.success());
    let words = String::from_utf8_lossy(&out.stderr);
    assert!(words.contains("worker stopped"), "{words}");
}

/// Registers an agency of `kind` as `qorgau seed` would.
async fn agency(vault: &qorgau_vault::Vault, kind: &str) {
    vault
        .store
        .add_agency(&qorgau_response::Agency {
            id: qorgau_core::Id::new(),
            code: kind.replace('_', "-"),
            kind: kind.into(),
            name_ru: kind.into(),
            name_kk: kind.into(),
            name_en: kind.into(),
            region: None,
            created_at: qorgau_core::Timestamp::now(),
        })
        .await
        .unwrap();
}

/// The agency kinds a case is referred to, and who sent each (from the
/// case's ledger).
async fn referred(vault: &qorgau_vault::Vault, case: qorgau_core::Id) -> Vec<(String, String)> {
    let entries = vault
        .store
        .ledger(&qorgau_store::LedgerFilter {
            case_id: Some(case),
            ..qorgau_store::LedgerFilter::default()
        })
        .await
        .unwrap();
    let mut out: Vec<(String, String)> = entries
        .iter()
        .filter_map(|e| {
            let details: serde_json::Value = serde_json::from_str(&e.details).unwrap();
            (details["action"] == "referral_sent").then(|| {
                (
                    details["agency_kind"].as_str().unwrap().to_owned(),
                    e.actor.user.clone(),
                )
            })
        })
        .collect();
    out.sort();
    out
}

/// Waits until `want` referrals of `case` are sent.
async fn wait_for(
    vault: &qorgau_vault::Vault,
    env: &Env,
    case: qorgau_core::Id,
    want: usize,
) -> Vec<(String, String)> {
    let started = Instant::now();
    loop {
        let got = referred(vault, case).await;
        if got.len() >= want {
            return got;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "{want} referrals expected, {got:?} sent; jobs: {}",
            env.ok(&["jobs", "list", "--json"])
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_sweeps_run_on_workers_when_asked_and_when_the_directory_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let env = Env {
        data: dir.path().join("data"),
        url: db.url.clone(),
        telegram: "http://127.0.0.1:9".into(),
    };
    let vault = qorgau_vault::Vault::open(&qorgau_vault::VaultConfig {
        data_dir: env.data.clone(),
        database_url: db.url.clone(),
        operator: Some("queue-test".into()),
        s3: None,
    })
    .await
    .unwrap();
    for kind in ["mvd_cyber", "child_rights_committee", "prosecutor"] {
        agency(&vault, kind).await;
    }
    let owner = vault.store.agencies().await.unwrap();
    let owner = owner.iter().find(|a| a.kind == "mvd_cyber").unwrap().id;
    // A case whose referrals were never sent (opened before these rules,
    // say); financial monitoring, which crypto calls for, is not
    // registered.
    let by = qorgau_store::ChangeBy {
        actor: &vault.actor,
        tool: &vault.tool,
        key: &vault.key,
    };
    let file = vault
        .store
        .create_case_file(
            &qorgau_store::NewCaseFile {
                name: qorgau_core::CaseName::parse("KUSP-2026-0099").unwrap(),
                title: "Synthetic sweep case".into(),
                kind: qorgau_response::CaseKind::Criminal,
                owner_agency_id: owner,
                facts: serde_json::from_value(serde_json::json!({
                    "scenario": "sexual_exploitation",
                    "minor_involved": true,
                    "crypto_involved": true
                }))
                .unwrap(),
                signals: Vec::new(),
                keys: Vec::new(),
                tasks: Vec::new(),
            },
            by,
        )
        .await
        .unwrap();
    let case = file.case.id;
    assert!(referred(&vault, case).await.is_empty());

    // From the command line: a route-case needs its case; one sweep at a
    // time.
    let no_case = env.run(&["jobs", "submit", "route-case"]);
    assert_eq!(no_case.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_case.stderr).contains("--case"));
    let sweep = env.submit(&["routing-sweep"]);
    let twice = env.run(&["jobs", "submit", "routing-sweep"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already queued"));

    let worker = env
        .command()
        .args(["worker", "--concurrency", "2", "--lease-secs", "5"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _guard = KillOnDrop(worker.id());
    let got = wait_for(&vault, &env, case, 2).await;
    // The sweep someone asked for acts as that person.
    assert_eq!(
        got,
        [
            ("child_rights_committee".to_owned(), "queue-test".to_owned()),
            ("prosecutor".to_owned(), "queue-test".to_owned()),
        ]
    );
    env.ok(&["jobs", "wait", "--timeout", "60"]);
    let s = env.job(&sweep);
    assert_eq!(s["job"]["state"], "done", "{s}");
    assert_eq!(s["job"]["result"]["open_cases"], 1, "{s}");
    assert_eq!(s["job"]["result"]["cases_to_route"], 1, "{s}");
    assert_eq!(s["job"]["result"]["held"]["no_agency"], 1, "{s}");
    let routes = env.ok(&["jobs", "list", "--kind", "route-case", "--json"]);
    assert_eq!(routes.lines().count(), 1, "{routes}");
    let route: serde_json::Value = serde_json::from_str(routes.lines().next().unwrap()).unwrap();
    assert_eq!(route["state"], "done", "{route}");
    assert_eq!(
        route["result"]["sent"].as_array().unwrap().len(),
        2,
        "{route}"
    );

    // Financial monitoring is registered: the schedule sees a new
    // directory and sweeps by itself, as the routing system.
    agency(&vault, "fiu").await;
    let got = wait_for(&vault, &env, case, 3).await;
    assert!(
        got.contains(&("fiu".to_owned(), "qorgau-routing".to_owned())),
        "{got:?}"
    );
    env.ok(&["jobs", "wait", "--timeout", "60"]);
    let sweeps = env.ok(&["jobs", "list", "--kind", "routing-sweep", "--json"]);
    assert_eq!(
        sweeps.lines().count(),
        2,
        "one sweep per change of the directory: {sweeps}"
    );
    let report = qorgau_vault::verify::verify(&vault, None, false, &|_| {})
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    // SAFETY: kill(2) on our child.
    unsafe {
        libc::kill(i32::try_from(worker.id()).unwrap(), libc::SIGTERM);
    }
    let out = worker.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
