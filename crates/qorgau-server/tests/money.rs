//! A case's money over the API, on SQLite or (QORGAU_TEST_DATABASE_URL)
//! PostgreSQL: the Tronscan export and the Bitcoin fixtures of
//! `qorgau-money` imported into a case through the store, then its red
//! flags (as `qorgau money flags` finds them), transfers by page and by
//! account, accounts with only this case's links, the flow graph, an
//! account linked by hand with its ledger entry, every read on the case's
//! chain, and who is refused: a role without the permission (403), an
//! agency with no part in the case (404), a bad account (400).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::fs::File;

use common::Session;
use qorgau_core::Id;
use qorgau_evidence::EventKind;
use qorgau_money::bitcoin::read::read_btc;
use qorgau_money::labels::Label;
use qorgau_money::{AccountRef, Format, Transfer, read_transfers};
use qorgau_server::seed;
use qorgau_store::{LabelList, LedgerFilter, MoneyImport};
use qorgau_vault::Vault;
use reqwest::StatusCode;
use serde_json::{Value, json};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qorgau-money/tests/fixtures"
);
/// The Tron dropper of the Tronscan export: five senders, then a cash-out.
const TRON_DROPPER: &str = "wallet:tron:TXGBoRcGP5813epCARkZUawUnDR8ucKCHf";
/// Addresses of the Bitcoin fixtures (see make_btc_fixtures.py).
const DROPPER: &str = "16AmwTdLM64Yf9bwssedNgD8jWWkSDYhQv";
const SECOND: &str = "13yYYvApcRbYsmLwti7X2VLDgJk2RYxmpk";
const PEEL0: &str = "1BndFFp8p1Kgh3hr8NBF4kUBtYw7ZeX2Rz";
const CASHOUT0: &str = "1Ehrzik37pD7XgSKPQ3xD8VECa5dKcbWwi";

/// Imports a fixture into a case as `qorgau money import` stores it: the
/// import row, the Bitcoin transactions and the transfers (derived ones for
/// Bitcoin); bad rows are skipped.
async fn import(vault: &Vault, case: Id, file: &str, format: Format) {
    let path = format!("{FIXTURES}/{file}");
    let import_id = Id::new();
    vault
        .store
        .begin_money_import(&MoneyImport {
            id: import_id,
            case_id: Some(case),
            format: format.source().as_str().to_owned(),
            file_name: file.to_owned(),
            sha256: "0".repeat(64),
            md5: "0".repeat(32),
            size: std::fs::metadata(&path).unwrap().len(),
            imported_by: "test-analyst".into(),
        })
        .await
        .unwrap();
    let mut transfers: Vec<Transfer> = Vec::new();
    let mut btc = Vec::new();
    if format == Format::BtcJson {
        read_btc(File::open(&path).unwrap(), |row| {
            if let Ok(tx) = row {
                transfers.extend(tx.transfers());
                btc.push(tx);
            }
        })
        .unwrap();
        vault
            .store
            .add_btc_txs(import_id, Some(case), &btc)
            .await
            .unwrap();
    } else {
        read_transfers(File::open(&path).unwrap(), &format, |row| {
            if let Ok(t) = row {
                transfers.push(t);
            }
        })
        .unwrap();
    }
    vault
        .store
        .add_transfers(import_id, Some(case), &transfers)
        .await
        .unwrap();
}

fn btc(address: &str) -> String {
    format!("wallet:btc:{address}")
}

fn of_kind<'a>(flags: &'a Value, kind: &str) -> Vec<&'a Value> {
    flags
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cases_money_is_shown_to_those_who_may_see_it_and_every_read_recorded() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("money").await;
    seed::default_agencies(&vault).await.unwrap();
    for (name, agency, roles) in [
        ("inv", "mvd-cyber", &["investigator"][..]),
        ("own.pros", "mvd-cyber", &["prosecutor"][..]),
        ("own.ngo", "mvd-cyber", &["ngo_worker"][..]),
        ("pros", "prosecutor", &["prosecutor"][..]),
        ("fiu", "fiu", &["analyst"][..]),
    ] {
        common::add_user(&vault, name, agency, roles).await;
    }
    let base = common::serve(&vault).await;
    let inv = Session::sign_in(&base, "inv").await;
    let mut cases = Vec::new();
    for title in ["Dropper wallets (synthetic)", "Another case (synthetic)"] {
        let (status, opened) = inv
            .call("POST", "/api/cases", Some(json!({ "title": title })))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        cases.push(opened["case"]["id"].as_str().unwrap().to_owned());
    }
    let (case, other) = (cases[0].clone(), cases[1].clone());
    let case_id = Id::parse(&case).unwrap();
    import(&vault, case_id, "tronscan-transfers.csv", Format::TronCsv).await;
    import(
        &vault,
        case_id,
        "bitcoin-core-verbose.json",
        Format::BtcJson,
    )
    .await;
    import(&vault, case_id, "esplora-txs.json", Format::BtcJson).await;
    // The same export in another case: its links must not show in this one.
    import(
        &vault,
        Id::parse(&other).unwrap(),
        "tronscan-transfers.csv",
        Format::TronCsv,
    )
    .await;
    vault
        .store
        .add_label_list(
            &LabelList {
                id: Id::new(),
                name: "sanctioned (synthetic)".into(),
                format: "address-list".into(),
                file_name: "sanctioned.txt".into(),
                sha256: "0".repeat(64),
                md5: "0".repeat(32),
                imported_by: "test-analyst".into(),
            },
            &[Label {
                account: AccountRef::parse_input(CASHOUT0).unwrap(),
                label: "Synthetic sanctioned exchange".into(),
                category: Some("sanctioned".into()),
                source: None,
                abuse: None,
                line: 2,
            }],
        )
        .await
        .unwrap();
    let url = |what: &str| format!("/api/cases/{case}/money/{what}");

    // Flags: those `qorgau money flags` finds in the same data.
    let (status, flags) = inv.call("GET", &url("flags"), None).await;
    assert_eq!(status, StatusCode::OK, "{flags}");
    let fan: Vec<&Value> = of_kind(&flags, "fan_in");
    let tron = fan
        .iter()
        .find(|f| f["account"] == TRON_DROPPER)
        .unwrap_or_else(|| panic!("fan-in on the Tron dropper: {flags}"));
    assert_eq!(tron["asset"], "USDT");
    assert_eq!(tron["transfers"].as_array().unwrap().len(), 5);
    assert!(
        tron["explanation"]
            .as_str()
            .unwrap()
            .contains("5 distinct senders")
    );
    assert!(fan.iter().any(|f| f["account"] == btc(DROPPER)), "{flags}");
    let peel = of_kind(&flags, "peel_chain");
    assert_eq!(peel.len(), 1, "{flags}");
    assert_eq!(peel[0]["account"], btc(PEEL0));
    assert_eq!(peel[0]["tx_ids"].as_array().unwrap().len(), 4);
    let mix = of_kind(&flags, "coinjoin");
    assert_eq!(mix.len(), 1, "{flags}");
    assert_eq!(mix[0]["account"], btc(SECOND));
    assert!(
        of_kind(&flags, "label_exposure")
            .iter()
            .any(|f| f["account"] == btc(PEEL0)),
        "{flags}"
    );
    let scores: Vec<f64> = flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "strongest first");
    assert!(tron["from"].as_str().unwrap().ends_with('Z'));
    // The same list as the domain function gives for the stored data.
    let stored = vault.store.transfers(Some(case_id)).await.unwrap();
    let (keys, transfers): (Vec<String>, Vec<Transfer>) = stored.into_iter().unzip();
    let expected = qorgau_money::all_flags(
        &transfers,
        &vault.store.btc_txs(Some(case_id)).await.unwrap(),
        &vault.store.labels().await.unwrap(),
        &[],
        &qorgau_money::FlagConfig::default(),
    );
    assert_eq!(flags.as_array().unwrap().len(), expected.len());

    // Transfers: every one by page, and those of one account.
    let (status, page) = inv
        .call("GET", &format!("{}?limit=4", url("transfers")), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], keys.len());
    assert_eq!(page["transfers"].as_array().unwrap().len(), 4);
    assert_eq!(page["transfers"][0]["key"], keys[0]);
    let (_, last) = inv
        .call(
            "GET",
            &format!("{}?limit=4&offset={}", url("transfers"), keys.len() - 1),
            None,
        )
        .await;
    assert_eq!(last["transfers"].as_array().unwrap().len(), 1);
    assert_eq!(last["transfers"][0]["key"], keys[keys.len() - 1]);
    let (status, tron_page) = inv
        .call(
            "GET",
            &format!("{}?account={TRON_DROPPER}", url("transfers")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tron_page}");
    assert_eq!(tron_page["total"], 6, "five payments in, one out");
    let list = tron_page["transfers"].as_array().unwrap();
    assert!(
        list.iter()
            .all(|t| t["from"] == TRON_DROPPER || t["to"] == TRON_DROPPER)
    );
    let out = list.iter().find(|t| t["from"] == TRON_DROPPER).unwrap();
    assert_eq!(out["amount"], "1000.25", "exact decimal text");
    assert_eq!(out["asset"], "USDT");
    assert_eq!(out["source"], "tron-csv");
    // The bare address is the same account as its key.
    let (_, by_address) = inv
        .call(
            "GET",
            &format!(
                "{}?account=TXGBoRcGP5813epCARkZUawUnDR8ucKCHf",
                url("transfers")
            ),
            None,
        )
        .await;
    assert_eq!(by_address["total"], 6);

    // A case key that is a wallet links the account to the case.
    let (status, _) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/keys"),
            Some(json!({"identifiers": [{"kind": "wallet", "value": DROPPER}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Accounts: with labels and only this case's links.
    let (status, accounts) = inv.call("GET", &url("accounts"), None).await;
    assert_eq!(status, StatusCode::OK, "{accounts}");
    let accounts = accounts.as_array().unwrap().clone();
    assert!(accounts.len() >= 10, "{}", accounts.len());
    let find = |list: &[Value], key: &str| -> Value {
        list.iter()
            .find(|a| a["account"] == key)
            .unwrap_or_else(|| panic!("{key} not among the accounts"))
            .clone()
    };
    let tron_account = find(&accounts, TRON_DROPPER);
    assert_eq!(tron_account["kind"], "wallet");
    assert_eq!(tron_account["chain"], "tron");
    let links = tron_account["links"].as_array().unwrap();
    assert_eq!(
        links.len(),
        1,
        "this case's import only, not the other case's: {links:?}"
    );
    assert_eq!(links[0]["kind"], "import");
    let cash = find(&accounts, &btc(CASHOUT0));
    assert_eq!(cash["label"]["category"], "sanctioned");
    assert_eq!(cash["privacy_coin"], false);
    let dropper = find(&accounts, &btc(DROPPER));
    let kinds: Vec<&str> = dropper["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"import") && kinds.contains(&"case"),
        "{dropper}"
    );

    // Linked by hand: the link and its `changed` entry; once per person.
    let (status, linked) = inv
        .call(
            "POST",
            &url("accounts"),
            Some(json!({"account": format!(" {DROPPER} "), "note": "named by a witness (synthetic)"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(linked["added"], true);
    let manual: Vec<&Value> = linked["account"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "manual")
        .collect();
    assert_eq!(manual.len(), 1, "{linked}");
    assert_eq!(manual[0]["id"], format!("{case}:inv"));
    assert_eq!(manual[0]["note"], "named by a witness (synthetic)");
    let (_, again) = inv
        .call(
            "POST",
            &url("accounts"),
            Some(json!({"account": btc(DROPPER)})),
        )
        .await;
    assert_eq!(again["added"], false);
    let changed = vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(case_id),
            kinds: vec![EventKind::Changed],
            ..Default::default()
        })
        .await
        .unwrap();
    let entries: Vec<_> = changed
        .iter()
        .filter(|e| e.details.contains("\"action\":\"account_linked\""))
        .collect();
    assert_eq!(entries.len(), 1, "one entry for one new link");
    assert!(entries[0].details.contains(&btc(DROPPER)));
    assert!(
        !entries[0].details.contains("witness"),
        "the note's hash, not the note"
    );
    assert_eq!(entries[0].actor.user, "inv");
    // A new account linked by hand is one of the case's accounts.
    let card = "4400 4301 2345 6789";
    let (status, linked) = inv
        .call("POST", &url("accounts"), Some(json!({"account": card})))
        .await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(linked["account"]["account"], "card:4400430123456789");
    let (_, accounts) = inv.call("GET", &url("accounts"), None).await;
    assert!(
        accounts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["account"] == "card:4400430123456789")
    );

    // The flow graph: as `qorgau money graph` draws it.
    let (status, g) = inv
        .call(
            "GET",
            &format!("{}?account={DROPPER}&hops=2", url("graph")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{g}");
    assert_eq!(g["account"], btc(DROPPER));
    assert_eq!(g["direction"], "both");
    assert_eq!(g["nodes"].as_array().unwrap().len(), 10, "{g}");
    assert_eq!(g["edges"].as_array().unwrap().len(), 10, "{g}");
    assert_eq!(g["nodes"][0]["id"], btc(DROPPER));
    assert_eq!(g["nodes"][0]["hops"], 0);
    let ids: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for e in g["edges"].as_array().unwrap() {
        assert!(ids.contains(&e["source"].as_str().unwrap()));
        assert!(ids.contains(&e["target"].as_str().unwrap()));
        assert_eq!(
            e["count"].as_u64().unwrap() as usize,
            e["transfers"].as_array().unwrap().len()
        );
    }
    let labelled = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == btc(CASHOUT0))
        .unwrap();
    assert_eq!(labelled["label"], "Synthetic sanctioned exchange");
    let (_, inward) = inv
        .call(
            "GET",
            &format!(
                "{}?account={TRON_DROPPER}&hops=1&direction=in",
                url("graph")
            ),
            None,
        )
        .await;
    assert_eq!(inward["nodes"].as_array().unwrap().len(), 6, "{inward}");
    assert_eq!(inward["edges"].as_array().unwrap().len(), 5, "{inward}");
    assert!(
        inward["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["target"] == TRON_DROPPER)
    );

    // Every read is on the case's chain.
    let reads = vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(case_id),
            kinds: vec![EventKind::Read],
            ..Default::default()
        })
        .await
        .unwrap();
    for what in [
        "money_flags",
        "money_transfers",
        "money_accounts",
        "money_graph",
    ] {
        assert!(
            reads
                .iter()
                .any(|e| e.details.contains(&format!("\"read\":\"{what}\""))
                    && e.actor.user == "inv"),
            "a read entry for {what}"
        );
    }

    // Bad input: 400.
    for (method, path, body) in [
        (
            "POST",
            url("accounts"),
            Some(json!({"account": "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"})),
        ),
        (
            "POST",
            url("accounts"),
            Some(json!({"account": "card:4400430123456782"})),
        ),
        ("POST", url("accounts"), Some(json!({"account": ""}))),
        (
            "POST",
            url("accounts"),
            Some(json!({"account": DROPPER, "colour": "red"})),
        ),
        ("GET", format!("{}?account=nobody", url("transfers")), None),
        ("GET", url("graph"), None),
        (
            "GET",
            format!("{}?account={DROPPER}&hops=9", url("graph")),
            None,
        ),
        (
            "GET",
            format!("{}?account={DROPPER}&direction=sideways", url("graph")),
            None,
        ),
        (
            "GET",
            format!("{}?account={DROPPER}&hops=abc", url("graph")),
            None,
        ),
        ("GET", format!("{}?limit=-1", url("transfers")), None),
        ("GET", "/api/cases/not-an-id/money/flags".to_owned(), None),
    ] {
        let (status, body) = inv.call(method, &path, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}: {body}");
        assert_eq!(body["error"], "bad_request", "JSON errors: {body}");
    }
    let (_, body) = inv
        .call(
            "POST",
            &url("accounts"),
            Some(json!({"account": "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"})),
        )
        .await;
    assert!(
        body["message"].as_str().unwrap().contains("not an account"),
        "{body}"
    );

    // A prosecutor of the owning agency reads the money but links nothing.
    let own_pros = Session::sign_in(&base, "own.pros").await;
    let (status, _) = own_pros.call("GET", &url("flags"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = own_pros
        .call("POST", &url("accounts"), Some(json!({"account": DROPPER})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An NGO worker is refused the money even of her own agency's case,
    // before the case is looked at (403 for a case that does not exist too).
    let ngo = Session::sign_in(&base, "own.ngo").await;
    for path in [
        url("flags"),
        url("transfers"),
        url("accounts"),
        format!("{}?account={DROPPER}", url("graph")),
        format!("{}?hops=abc", url("graph")),
        format!("/api/cases/{}/money/flags", Id::new()),
    ] {
        let (status, _) = ngo.call("GET", &path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "ngo worker: {path}");
    }
    let (status, _) = ngo.call("GET", &format!("/api/cases/{case}"), None).await;
    assert_eq!(status, StatusCode::OK, "she still sees the case itself");
    // Agencies with no part in the case do not learn it exists.
    for user in ["pros", "fiu"] {
        let s = Session::sign_in(&base, user).await;
        for path in [url("flags"), url("transfers"), url("accounts")] {
            let (status, _) = s.call("GET", &path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{user}: {path}");
        }
        let (status, _) = s
            .call("POST", &url("accounts"), Some(json!({"account": DROPPER})))
            .await;
        let expected = if user == "pros" {
            StatusCode::FORBIDDEN // no permission to change cases at all
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(status, expected, "{user}: link");
    }
    // Nothing of this came from the other case's reads.
    let other_reads = vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(Id::parse(&other).unwrap()),
            kinds: vec![EventKind::Read],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(other_reads.is_empty());
    // The chains, with the links' and reads' entries, still verify.
    let report = qorgau_vault::verify::verify(&vault, None, false, &|_| {})
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.problems);
}
