//! Triage of signals over the API, on SQLite or (QORGAU_TEST_DATABASE_URL)
//! PostgreSQL: a dismissal keeps its category and reason, later reports join
//! the dismissed signal without reopening it, a reopening is history too,
//! and the dismissals list is what the lexicon's review reads.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Session;
use qorgau_server::seed;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dismissal_keeps_its_reason_and_a_signal_can_be_reopened() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("triage").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "analyst", "mvd-cyber", &["analyst"]).await;
    let base = common::serve(&vault).await;
    let analyst = Session::sign_in(&base, "analyst").await;
    let ad = json!({"resource": "https://jobs-synthetic.example/vacancy/17",
        "summary": "Официантки в Анталью, проживание бесплатно", "risk": 0.62});
    let (status, taken) = analyst.call("POST", "/api/signals", Some(ad.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = taken["signal"].as_str().unwrap().to_owned();
    let dismiss = format!("/api/signals/{id}/dismiss");

    let (status, e) = analyst
        .call(
            "POST",
            &dismiss,
            Some(json!({"category": "boring", "reason": "not interesting"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("legitimate"), "{e}");
    let (status, _) = analyst
        .call(
            "POST",
            &dismiss,
            Some(json!({"category": "legitimate", "reason": "ok"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a reason of a few words is required"
    );
    let reason =
        "Настоящая вакансия: отель существует, договор и виза через работодателя проверены";
    let (status, view) = analyst
        .call(
            "POST",
            &dismiss,
            Some(json!({"category": "legitimate", "reason": reason})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "dismissed");
    assert_eq!(view["decisions"][0]["category"], "legitimate");
    assert_eq!(view["decisions"][0]["false_positive"], true);
    assert_eq!(view["decisions"][0]["reason"], reason);
    assert_eq!(view["decisions"][0]["decided_by"], "analyst");
    let (status, _) = analyst
        .call(
            "POST",
            &dismiss,
            Some(json!({"category": "duplicate", "reason": "seen it again"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "dismissed already");

    // The same ad reported again joins the signal and leaves it dismissed.
    let (status, again) = analyst.call("POST", "/api/signals", Some(ad.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["signal"], id.as_str());
    let (_, one) = analyst
        .call("GET", &format!("/api/signals/{id}"), None)
        .await;
    assert_eq!(
        (one["status"].as_str(), one["reports"].as_u64()),
        (Some("dismissed"), Some(2))
    );
    let (_, queue) = analyst.call("GET", "/api/signals?status=new", None).await;
    assert!(queue.as_array().unwrap().is_empty(), "{queue}");

    let (status, listed) = analyst.call("GET", "/api/signal-dismissals", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["decision"]["reason"], reason);
    assert_eq!(listed[0]["signal"]["summary"], ad["summary"]);
    let (_, later) = analyst
        .call(
            "GET",
            "/api/signal-dismissals?since=2999-01-01T00:00:00Z",
            None,
        )
        .await;
    assert!(later.as_array().unwrap().is_empty());
    let (status, _) = analyst
        .call("GET", "/api/signal-dismissals?since=yesterday", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Reopened: back in the queue, both decisions kept.
    let (status, view) = analyst
        .call(
            "POST",
            &format!("/api/signals/{id}/reopen"),
            Some(json!({"reason": "the same phone now appears in an escort ad"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "new");
    let actions: Vec<&str> = view["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["dismissed", "reopened"]);
    let (status, _) = analyst
        .call(
            "POST",
            &format!("/api/signals/{id}/reopen"),
            Some(json!({"reason": "once more please"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "not dismissed");

    // Accepted into a case, a signal belongs to the case.
    let (status, opened) = analyst
        .call(
            "POST",
            "/api/cases",
            Some(json!({"title": "Antalya waitresses (synthetic)", "signals": [id]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let (status, e) = analyst
        .call(
            "POST",
            &dismiss,
            Some(json!({"category": "other", "reason": "changed my mind"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap().contains("accepted"), "{e}");
    let (status, _) = analyst
        .call(
            "POST",
            "/api/signals/0190a8f0-0000-7000-8000-000000000000/dismiss",
            Some(json!({"category": "other", "reason": "nothing there"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
