//! The lexicon administered over the API, on SQLite or
//! (QORGAU_TEST_DATABASE_URL) PostgreSQL: an analyst checks an edit (errors
//! naming the file; the diff; the archived documents it would newly flag),
//! proposes it; nobody reviews their own proposal; a supervisor approves it
//! and it is in force; a proposal made from a lexicon no longer in force
//! cannot be approved; the indicators' triage record carries the dismissal
//! reasons; versions and reviews are append-only.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Session;
use qorgau_core::{Actor, Id, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::{EntryDraft, EventKind};
use qorgau_monitor::{Filters, JobSpec, SourceKind};
use qorgau_server::seed;
use qorgau_store::{DocumentChange, DocumentWrite, JobRecord, RunRecord};
use reqwest::StatusCode;
use serde_json::json;

/// An ad the built-in lexicon flags, with the indicators a scan found.
const FLAGGED: &str = "Требуются девушки для работы в Дубае, билеты и визу оплачиваем, \
                       зарплата от 3000$";
/// An ad nothing in the built-in lexicon flags; the edit below does.
const QUIET: &str = "Синий дирижабль ждёт пассажиров, пишите в личные сообщения";
const NEW_INDICATOR: &str = r#"

[[indicator]]
id = "emp.test_airship"
scenario = "employment_abroad"
weight = 0.9
description = "A made-up phrase for the test."
[indicator.patterns]
ru = ["синий дирижабл*"]
"#;

fn digest(text: &str) -> Sha256Digest {
    use sha2::Digest;
    Sha256Digest::from_bytes(sha2::Sha256::digest(text.as_bytes()).into())
}

async fn archive(vault: &qorgau_vault::Vault) {
    let store = &vault.store;
    let job = JobRecord {
        id: Id::new(),
        spec: JobSpec {
            name: "lexicon-test".into(),
            kind: SourceKind::Urls,
            targets: vec!["http://127.0.0.1/ads".into()],
            keywords: Vec::new(),
            filters: Filters::default(),
            interval_secs: 3600,
        },
        case_id: None,
        created_at: Timestamp::now(),
        created_by: "analyst".into(),
        enabled: true,
        last_run_at: None,
    };
    store.create_job(&job).await.unwrap();
    let write = |key: &str, body: &str, flagged: bool, indicators: &[&str]| {
        DocumentWrite {
        change: DocumentChange::New,
        key: key.into(),
        url: Some(format!("https://ads-synthetic.example/{key}")),
        source: Some("web".into()),
        author: None,
        title: None,
        published_at: None,
        body: body.into(),
        content: digest(body),
        lang: Some("ru".into()),
        risk: Some(if flagged { 0.7 } else { 0.0 }),
        flagged,
        assessment: Some(
            json!({
                "risk": if flagged { 0.7 } else { 0.0 },
                "indicators": indicators.iter().map(|i| json!({"id": i, "span": [0, 4]})).collect::<Vec<_>>(),
            })
            .to_string(),
        ),
    }
    };
    let writes = vec![
        write(
            "ad-1",
            FLAGGED,
            true,
            &["emp.destination", "emp.travel_paid"],
        ),
        write("ad-2", QUIET, false, &[]),
    ];
    let now = Timestamp::now();
    let record = RunRecord {
        id: Id::new(),
        job_id: job.id,
        started_at: now,
        finished_at: now,
        operator: "analyst".into(),
        host: "test".into(),
        status: "ok".into(),
        counts: json!({"observed": 2}),
        requests: json!([]),
        errors: json!([]),
    };
    let actor = Actor {
        user: "analyst".into(),
        host: "test".into(),
    };
    let mut draft = EntryDraft::now(EventKind::InvestigativeStep, actor, Tool::qorgau());
    draft.details = json!({"action": "monitoring run"}).to_string();
    store
        .save_run(&record, &writes, draft, &vault.key)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_is_checked_proposed_reviewed_by_another_and_put_in_force() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("lexicon").await;
    seed::default_agencies(&vault).await.unwrap();
    for (name, roles) in [
        ("ana", &["analyst"][..]),
        ("sup", &["supervisor"][..]),
        ("sup2", &["supervisor"][..]),
        ("inv", &["investigator"][..]),
    ] {
        common::add_user(&vault, name, "mvd-cyber", roles).await;
    }
    archive(&vault).await;
    let base = common::serve(&vault).await;
    let ana = Session::sign_in(&base, "ana").await;
    let sup = Session::sign_in(&base, "sup").await;
    let sup2 = Session::sign_in(&base, "sup2").await;
    let inv = Session::sign_in(&base, "inv").await;

    let (status, _) = inv.call("GET", "/api/lexicon", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, view) = ana.call("GET", "/api/lexicon", None).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let builtin = qorgau_detect::Lexicon::builtin().unwrap();
    assert_eq!(view["version"], builtin.version());
    assert_eq!(view["approved"], json!(null));
    assert!(view["files"].to_string().contains("employment_abroad.toml"));

    let (status, file) = ana
        .call("GET", "/api/lexicon/files/employment_abroad.toml", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = file["text"].as_str().unwrap().to_owned();
    let based_on = file["version"].as_str().unwrap().to_owned();
    let (status, _) = ana
        .call("GET", "/api/lexicon/files/nothing.toml", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A broken edit: the file is named, nothing saved.
    let (status, check) = ana
        .call(
            "POST",
            "/api/lexicon/check",
            Some(json!({"changes": {"employment_abroad.toml": format!("{text}\n[[indicator]]\nid = ")}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(check["ok"], false);
    assert!(
        check["errors"]
            .to_string()
            .contains("employment_abroad.toml"),
        "{check}"
    );

    // A new indicator: the diff shows it, and the quiet ad would be flagged.
    let edited = format!("{text}{NEW_INDICATOR}");
    let edit = json!({"employment_abroad.toml": edited});
    let (status, check) = ana
        .call("POST", "/api/lexicon/check", Some(json!({"changes": edit})))
        .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["diff"].as_array().unwrap().len(), 1);
    assert_eq!(check["diff"][0]["name"], "employment_abroad.toml");
    let added: Vec<&str> = check["diff"][0]["hunks"][0]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["tag"] == "+")
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert!(added.contains(&"id = \"emp.test_airship\""), "{added:?}");
    let impact = &check["impact"];
    assert_eq!(impact["documents_checked"], 2);
    assert_eq!(impact["newly_flagged_count"], 1, "{impact}");
    assert!(
        impact["newly_flagged"][0]["excerpt"]
            .as_str()
            .unwrap()
            .starts_with("Синий дирижабль")
    );
    assert!(
        impact["newly_flagged"][0]["indicators_after"]
            .to_string()
            .contains("emp.test_airship")
    );
    assert_eq!(impact["no_longer_flagged_count"], 0);

    // Proposing needs a reason and a base that is still in force.
    let (status, _) = ana
        .call(
            "POST",
            "/api/lexicon/proposals",
            Some(json!({"changes": edit, "based_on": based_on, "note": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, proposed) = ana
        .call(
            "POST",
            "/api/lexicon/proposals",
            Some(json!({"changes": edit, "based_on": based_on,
                "note": "airship ads recruit for Dubai (case KUSP-2026-0001)"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{proposed}");
    assert_eq!(proposed["proposal"]["status"], "pending");
    assert_eq!(proposed["impact"]["newly_flagged_count"], 1);
    let id = proposed["proposal"]["id"].as_str().unwrap().to_owned();
    let new_version = proposed["proposal"]["version"].as_str().unwrap().to_owned();
    assert_ne!(new_version, based_on);
    // Nothing is in force yet.
    let (_, view) = ana.call("GET", "/api/lexicon", None).await;
    assert_eq!(view["version"], builtin.version());

    // A supervisor's own proposal (a comment in lexicon.toml)...
    let (_, manifest) = sup
        .call("GET", "/api/lexicon/files/lexicon.toml", None)
        .await;
    let (status, own) = sup
        .call(
            "POST",
            "/api/lexicon/proposals",
            Some(json!({"changes": {"lexicon.toml": format!("{}\n# reviewed\n", manifest["text"].as_str().unwrap())},
                "based_on": based_on, "note": "comment"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let own_id = own["proposal"]["id"].as_str().unwrap().to_owned();
    // ...is not theirs to approve; nor may an analyst approve anything.
    let review = |decision: &str| json!({"decision": decision, "note": "checked the impact"});
    let (status, body) = sup
        .call(
            "POST",
            &format!("/api/lexicon/proposals/{own_id}/review"),
            Some(review("approved")),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.to_string().contains("another person"), "{body}");
    let (status, _) = ana
        .call(
            "POST",
            &format!("/api/lexicon/proposals/{id}/review"),
            Some(review("approved")),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another person approves: in force.
    let (status, reviewed) = sup
        .call(
            "POST",
            &format!("/api/lexicon/proposals/{id}/review"),
            Some(review("approved")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert_eq!(reviewed["status"], "approved");
    assert_eq!(reviewed["in_force"], true);
    let (_, view) = ana.call("GET", "/api/lexicon", None).await;
    assert_eq!(view["version"], new_version.as_str());
    assert_eq!(view["approved"]["proposed_by"], "ana");
    assert_eq!(view["approved"]["review"]["reviewed_by"], "sup");
    let in_force = vault.store.lexicon_in_force().await.unwrap().unwrap();
    assert!(in_force.files["employment_abroad.toml"].contains("emp.test_airship"));
    // A second review of the same proposal is refused.
    let (status, _) = sup2
        .call(
            "POST",
            &format!("/api/lexicon/proposals/{id}/review"),
            Some(review("rejected")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The supervisor's proposal was made from the built-in lexicon: it is
    // stale now, and approving it would silently undo the airship.
    let (_, stale) = sup2
        .call("GET", &format!("/api/lexicon/proposals/{own_id}"), None)
        .await;
    assert_eq!(stale["proposal"]["status"], "stale");
    assert_eq!(stale["impact"], json!(null));
    let (status, body) = sup2
        .call(
            "POST",
            &format!("/api/lexicon/proposals/{own_id}/review"),
            Some(review("approved")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, rejected) = sup2
        .call(
            "POST",
            &format!("/api/lexicon/proposals/{own_id}/review"),
            Some(review("rejected")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    // An edit based on the old version is refused at once.
    let (status, _) = ana
        .call(
            "POST",
            "/api/lexicon/proposals",
            Some(json!({"changes": edit, "based_on": based_on, "note": "again"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Versions and reviews cannot be altered behind the server's back.
    for sql in [
        "UPDATE lexicon_versions SET note = 'rewritten'",
        "DELETE FROM lexicon_versions",
        "UPDATE lexicon_reviews SET decision = 'approved'",
        "DELETE FROM lexicon_reviews",
    ] {
        let err = vault.store.execute_unchecked(sql.into()).await.unwrap_err();
        assert!(err.to_string().contains("lexicon"), "{sql}: {err}");
    }
    assert_eq!(vault.store.lexicon_versions(10).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_indicator_review_carries_the_dismissals_and_their_reasons() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("lexicon-review").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "ana", "mvd-cyber", &["analyst"]).await;
    archive(&vault).await;
    let base = common::serve(&vault).await;
    let ana = Session::sign_in(&base, "ana").await;
    let (status, taken) = ana
        .call(
            "POST",
            "/api/signals",
            Some(json!({"resource": "https://ads-synthetic.example/ad-1",
                "summary": "Dubai ad", "risk": 0.7})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{taken}");
    let signal = taken["signal"].as_str().unwrap();
    let (status, _) = ana
        .call(
            "POST",
            &format!("/api/signals/{signal}/dismiss"),
            Some(
                json!({"category": "legitimate", "reason": "licensed agency, checked the licence"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, rows) = ana.call("GET", "/api/lexicon/indicators", None).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    for id in ["emp.destination", "emp.travel_paid"] {
        let r = row(id);
        assert_eq!(r["flagged_documents"], 1, "{r}");
        assert_eq!(r["dismissed"], 1, "{r}");
        assert_eq!(r["accepted"], 0);
        assert_eq!(r["dismissed_share"], 1.0);
        assert_eq!(r["dismissed_by_category"]["legitimate"], 1);
        assert_eq!(r["reasons"][0], "licensed agency, checked the licence");
    }
    // Worst first: the dismissed ones lead; one that never fired is listed
    // with nothing against it.
    assert_eq!(rows[0]["dismissed_share"], 1.0);
    let quiet = row("emp.work_abroad");
    assert_eq!(quiet["flagged_documents"], 0);
    assert_eq!(quiet["dismissed_share"], json!(null));
}
