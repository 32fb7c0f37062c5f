//! `qorgau money` as an analyst uses it, on SQLite by default and on
//! PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set: a Tronscan export with
//! bad rows imported into a case (the file's hashes checked with sha256sum
//! and md5sum against the ledger), imported again without doubling, and the
//! dropper wallet's red flags with the transfers behind them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::process::{Command, Output};

use common::{Env, json_lines, stderr, tool_hash};
use serde_json::Value;

const TRON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qorgau-money/tests/fixtures/tronscan-transfers.csv"
);
const BANK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qorgau-money/tests/fixtures/bank-statement.csv"
);

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

/// `qorgau money import` of the bank statement fixture as `bank-csv`, with
/// `args` after the format.
fn import_bank(env: &Env, args: &[&str]) -> Output {
    let mut all = vec!["money", "import", BANK, "--format", "bank-csv"];
    all.extend_from_slice(args);
    env.run(&all)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_named_and_stores_nothing() {
    let env = Env::new().await;
    let out = import_bank(&env, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--map"));
    let out = import_bank(&env, &["--map", "time=Дата"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("from=COLUMN is required"));
    let out = env.run(&[
        "money", "import", BANK, "--format", "tron-csv", "--case", "X-1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr_text = stderr(&out);
    assert!(
        stderr_text.contains("bank-statement.csv") && stderr_text.contains("Tronscan"),
        "{stderr_text}"
    );
    let out = env.run(&[
        "money",
        "import",
        "/nonexistent.csv",
        "--format",
        "tron-csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent.csv"));
    let map = "time=Дата операции,from=Карта отправителя,to=Карта получателя,amount=Сумма,currency=Валюта,tx=Номер операции";
    let ok = import_bank(&env, &["--case", "X-1", "--json", "--map", map]);
    assert_eq!(ok.status.code(), Some(1), "one bad date");
    assert_eq!(json_lines(&ok)[0]["new"], 3);

    // The same bank's mapping saved once and used by name.
    let saved = import_bank(
        &env,
        &[
            "--case",
            "X-2",
            "--json",
            "--map",
            map,
            "--save-profile",
            "kaspi-gold",
        ],
    );
    assert_eq!(json_lines(&saved)[0]["new"], 3);
    let again = import_bank(
        &env,
        &["--case", "X-3", "--json", "--profile", "kaspi-gold"],
    );
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert_eq!(json_lines(&again)[0]["new"], 3);
    let missing = import_bank(&env, &["--profile", "halyk"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no saved profile \"halyk\""));
    let bad_name = import_bank(&env, &["--map", map, "--save-profile", "../x"]);
    assert_eq!(bad_name.status.code(), Some(2));
    let bad_map = import_bank(&env, &["--map", "time=Дата", "--save-profile", "broken"]);
    assert_eq!(bad_map.status.code(), Some(2));
    assert!(
        !env.dir
            .path()
            .join("vault/money-profiles/broken.map")
            .exists(),
        "a bad map is not kept"
    );
}

const CORE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qorgau-money/tests/fixtures/bitcoin-core-verbose.json"
);
const ESPLORA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qorgau-money/tests/fixtures/esplora-txs.json"
);
/// Addresses of the Bitcoin fixtures (see make_btc_fixtures.py).
const DROPPER: &str = "16AmwTdLM64Yf9bwssedNgD8jWWkSDYhQv";
const SECOND: &str = "13yYYvApcRbYsmLwti7X2VLDgJk2RYxmpk";
const PEEL0: &str = "1BndFFp8p1Kgh3hr8NBF4kUBtYw7ZeX2Rz";
const CASHOUT0: &str = "1Ehrzik37pD7XgSKPQ3xD8VECa5dKcbWwi";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bitcoin_labels_accounts_and_the_flow_graph() {
    let env = Env::new().await;
    let case = "KUSP-2026-0777";
    // Bitcoin Core: five fees and one unconfirmed transaction (reported).
    let out = env.run(&[
        "money", "import", CORE, "--format", "btc-json", "--case", case, "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bitcoin-core-verbose.json:line 199:"),
        "{}",
        stderr(&out)
    );
    let s = &json_lines(&out)[0];
    assert_eq!(
        (s["rows"].as_u64(), s["btc_transactions_new"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(s["transfers_derived"], 5);
    assert_eq!(s["sha256"], tool_hash("sha256sum", CORE));
    // Esplora: the consolidation, the peel chain and the mix.
    let out = env.run(&[
        "money", "import", ESPLORA, "--format", "btc-json", "--case", case, "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&out)[0]["btc_transactions_new"], 6);
    let again = env.run(&[
        "money", "import", ESPLORA, "--format", "btc-json", "--case", case, "--json",
    ]);
    let again = &json_lines(&again)[0];
    assert_eq!(
        (
            again["btc_transactions_new"].as_u64(),
            again["new"].as_u64()
        ),
        (Some(0), Some(0))
    );

    // A label list: the first cash-out address is an (synthetic) sanctioned
    // one; a bad line is named and the rest kept.
    let list = env.dir.path().join("sanctioned.txt");
    std::fs::write(
        &list,
        format!("# synthetic\n{CASHOUT0} Synthetic sanctioned exchange\nnot-an-address\n"),
    )
    .unwrap();
    let out = env.run(&[
        "money",
        "labels",
        "import",
        list.to_str().unwrap(),
        "--name",
        "sanctioned (synthetic)",
        "--category",
        "sanctioned",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("sanctioned.txt:line 3:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(json_lines(&out)[0]["entries"], 1);
    let lists = json_lines(&env.run(&["money", "labels", "list", "--json"]));
    assert_eq!(lists.len(), 1);
    assert_eq!(
        lists[0]["sha256"],
        tool_hash("sha256sum", list.to_str().unwrap())
    );

    let flags = json_lines(&env.run(&["money", "flags", "--case", case, "--json"]));
    let of = |kind: &str| -> Vec<&Value> { flags.iter().filter(|f| f["kind"] == kind).collect() };
    assert_eq!(of("fan_in")[0]["account"], format!("wallet:btc:{DROPPER}"));
    let peel = of("peel_chain");
    assert_eq!(peel.len(), 1, "{flags:?}");
    assert_eq!(peel[0]["account"], format!("wallet:btc:{PEEL0}"));
    assert_eq!(peel[0]["tx_ids"].as_array().unwrap().len(), 4);
    assert!(!peel[0]["transfers"].as_array().unwrap().is_empty());
    let mix = of("coinjoin");
    assert_eq!(mix.len(), 1);
    assert_eq!(mix[0]["account"], format!("wallet:btc:{SECOND}"));
    let exposure = of("label_exposure");
    let direct = exposure
        .iter()
        .find(|f| f["account"] == format!("wallet:btc:{PEEL0}"))
        .expect("the first hop paid the labelled address");
    assert_eq!(direct["score"], 0.9);
    assert!(
        direct["explanation"]
            .as_str()
            .unwrap()
            .contains("Synthetic sanctioned exchange")
    );

    let clusters = json_lines(&env.run(&["money", "clusters", "--case", case, "--json"]));
    assert_eq!(clusters.len(), 1);
    let mut expected = vec![
        format!("wallet:btc:{SECOND}"),
        format!("wallet:btc:{DROPPER}"),
    ];
    expected.sort();
    assert_eq!(clusters[0]["addresses"], serde_json::json!(expected));

    // Accounts: linked to the case by the imports; one added by hand.
    let out = env.run(&[
        "money",
        "accounts",
        DROPPER,
        "--case",
        case,
        "--add",
        "--note",
        "named by a witness",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dropper = &json_lines(&out)[0];
    let kinds: Vec<&str> = dropper["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"import") && kinds.contains(&"manual"),
        "{dropper}"
    );
    let all = json_lines(&env.run(&["money", "accounts", "--case", case, "--json"]));
    assert!(all.len() >= 10, "{}", all.len());
    let cash = all.iter().find(|a| a["value"] == CASHOUT0).unwrap();
    assert_eq!(cash["label"]["category"], "sanctioned");
    let bad = env.run(&["money", "accounts", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not an account"), "{}", stderr(&bad));

    // The flow graph, read back by networkx.
    for (format, file) in [("graphml", "flows.graphml"), ("gexf", "flows.gexf")] {
        let path = env.dir.path().join(file);
        let out = env.run(&[
            "money",
            "graph",
            DROPPER,
            "--case",
            case,
            "--hops",
            "2",
            "--format",
            format,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let script = format!(
            "import networkx as nx, json, sys\n\
             g = nx.read_{format}(sys.argv[1])\n\
             e = [d for _, _, d in g.edges(data=True)]\n\
             print(json.dumps({{'nodes': g.number_of_nodes(), 'edges': g.number_of_edges(), \
             'directed': g.is_directed(), 'assets': sorted({{d['asset'] for d in e}}), \
             'counts': sorted(int(d.get('transfers', d.get('count', 0))) for d in e)}}))"
        );
        let py = Command::new("python3")
            .args(["-c", &script, path.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            py.status.success(),
            "{}",
            String::from_utf8_lossy(&py.stderr)
        );
        let read: Value = serde_json::from_slice(&py.stdout).unwrap();
        // Within two hops either way: the dropper; the five candidates and
        // the first peel address it paid; from there the second address
        // (which paid it too), the next hop and the first cash-out.
        assert_eq!(read["nodes"], 10, "{format}: {read}");
        assert_eq!(read["edges"], 10, "{format}: {read}");
        assert_eq!(read["directed"], true);
        assert_eq!(read["assets"], serde_json::json!(["BTC"]));
    }
    let csv = env.dir.path().join("edges.csv");
    let out = env.run(&[
        "money",
        "graph",
        DROPPER,
        "--case",
        case,
        "--hops",
        "1",
        "--direction",
        "in",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text.lines().count(),
        6,
        "header and five candidates:\n{text}"
    );
    let none = env.run(&["money", "graph", CASHOUT0, "--format", "csv"]);
    assert_eq!(none.status.code(), Some(2), "no transfers outside the case");
    assert!(env.run(&["verify"]).status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triage_reads_a_large_export_in_halves_like_in_one() {
    let env = Env::new().await;
    // The fixture's rows repeated past 32 MiB (where triage splits the
    // file), each copy a day later, with a bad row in the second half.
    let text = std::fs::read_to_string(TRON).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    // Data lines 5 and 7 of the fixture are its deliberately bad rows.
    let rows: Vec<&str> = lines
        .enumerate()
        .filter(|(i, _)| ![3, 5].contains(i))
        .map(|(_, l)| l)
        .collect();
    let mut out = String::with_capacity(40 << 20);
    out.push_str(header);
    out.push('\n');
    let mut copy = 0u32;
    let mut bad_line = 0;
    let mut line = 1;
    while out.len() < 36 << 20 {
        for r in &rows {
            let day = copy % 28 + 1;
            let month = copy / 28 % 12 + 1;
            let year = 2000 + copy / 336;
            let stamped = r.replacen("2026-03-05", &format!("{year}-{month:02}-{day:02}"), 1);
            out.push_str(&stamped);
            out.push('\n');
            line += 1;
        }
        copy += 1;
        if copy == 1500 {
            out.push_str("deadbeef,1,2026-13-01 00:00:00,TXbad,TXbad,\"1\",USDT,SUCCESS\n");
            line += 1;
            bad_line = line;
        }
    }
    assert!(bad_line > 0);
    let path = env.dir.path().join("big.csv");
    std::fs::write(&path, &out).unwrap();
    let path = path.to_str().unwrap();
    let run = |threads: &str| {
        let o = env.run(&[
            "money",
            "triage",
            path,
            "--format",
            "tron-csv",
            "--json",
            "--threads",
            threads,
        ]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        (
            json_lines(&o),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (one, err_one) = run("1");
    let (two, err_two) = run("2");
    assert_eq!(one.len(), two.len(), "{:?} vs {:?}", one.last(), two.last());
    for (a, b) in one.iter().zip(&two) {
        if a == b {
            continue;
        }
        let (la, lb) = (&a["lines"], &b["lines"]);
        panic!(
            "{} {}: {} vs {} lines; {} {} / {} {}",
            a["kind"],
            a["account"],
            la.as_array().map_or(0, Vec::len),
            lb.as_array().map_or(0, Vec::len),
            a["from"],
            a["until"],
            b["from"],
            b["until"]
        );
    }
    assert_eq!(err_one, err_two);
    assert!(
        err_one.contains(&format!("big.csv:line {bad_line}:")),
        "{err_one}"
    );
    let summary = one.last().unwrap();
    assert_eq!(summary["row_errors"], 1);
    assert!(summary["flags"].as_u64().unwrap() > 0);
    // Every flag's lines are lines of the file holding its account.
    let file_lines: Vec<&str> = out.lines().collect();
    for f in &one[..one.len() - 1] {
        let account = f["account"].as_str().unwrap().rsplit(':').next().unwrap();
        for l in f["lines"].as_array().unwrap() {
            let l = l.as_u64().unwrap() as usize;
            assert!(
                file_lines[l - 1].contains(account),
                "line {l}: {}",
                file_lines[l - 1]
            );
        }
    }
}

/// A worker runs the import as a child and shows its progress on the job's
/// page: with `QORGAU_PROGRESS_JSON` set, the command reports its bytes as
/// JSON lines on stderr, the last one the whole file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_reports_its_progress_to_a_worker() {
    let env = Env::new().await;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qorgau"));
    cmd.env("QORGAU_DATA_DIR", env.path("vault"))
        .env("QORGAU_OPERATOR", "test-analyst")
        .env("QORGAU_PROGRESS_JSON", "1")
        .env_remove("QORGAU_DATABASE_URL");
    if let Some(url) = &env.db.url {
        cmd.env("QORGAU_DATABASE_URL", url);
    }
    let out = cmd
        .args(["money", "import", TRON, "--format", "tron-csv", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the fixture has bad rows");
    let size = std::fs::metadata(TRON).unwrap().len();
    let progress: Vec<Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with(r#"{"progress""#))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let last = &progress.last().expect("at least the final report")["progress"];
    assert_eq!(last["unit"], "bytes");
    assert_eq!(last["total"], size);
    assert_eq!(last["done"], size);
    // Without it, nothing but the errors and summary.
    let plain = env.run(&["money", "import", TRON, "--format", "tron-csv"]);
    assert!(!stderr(&plain).contains(r#"{"progress""#));
}
