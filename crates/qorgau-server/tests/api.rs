//! The API over real HTTP on loopback, on SQLite and (with
//! QORGAU_TEST_DATABASE_URL) PostgreSQL: sign-in, lock-out, CSRF, tokens,
//! roles, signal intake with de-duplication, the public form.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::sync::Arc;

use common::PASSWORD;
use qorgau_server::seed;
use qorgau_store::testing::TestDatabase;
use qorgau_vault::Vault;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Server {
    base: String,
    vault: Arc<Vault>,
    _dir: tempfile::TempDir,
    _db: TestDatabase,
}

async fn start() -> Server {
    let common::Fixture { vault, dir, db } = common::fixture("test-admin").await;
    assert!(seed::default_agencies(&vault).await.unwrap() > 0);
    assert_eq!(
        seed::default_agencies(&vault).await.unwrap(),
        0,
        "seeding runs once"
    );
    for (name, agency, role) in [
        ("admin", "mvd-cyber", "administrator"),
        ("analyst", "mvd-cyber", "analyst"),
        ("ngo", "ngo", "ngo_worker"),
        ("connector", "prosecutor", "partner_system"),
    ] {
        common::add_user(&vault, name, agency, &[role]).await;
    }
    let base = common::serve(&vault).await;
    Server {
        base,
        vault,
        _dir: dir,
        _db: db,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A cookie-keeping client signed in as `user`; returns it and the CSRF token.
    async fn sign_in(&self, user: &str) -> (reqwest::Client, String) {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let r = client
            .post(self.url("/api/auth/login"))
            .json(&json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let body: Value = r.json().await.unwrap();
        (client, body["csrf_token"].as_str().unwrap().to_owned())
    }
}

async fn error_of(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"].is_string() && body["message"].is_string(),
        "{body}"
    );
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_lock_out_and_csrf() {
    let s = start().await;
    let anonymous = reqwest::Client::new();
    let (status, _) = error_of(anonymous.get(s.url("/api/auth/me")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A wrong password and an unknown user get the same answer.
    for user in ["analyst", "nobody"] {
        let r = anonymous
            .post(s.url("/api/auth/login"))
            .json(&json!({"username": user, "password": "Wrong password 1"}))
            .send()
            .await
            .unwrap();
        let (status, body) = error_of(r).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "bad_credentials");
    }
    // Five failures in a row lock the account, even against the right password.
    for _ in 0..4 {
        anonymous
            .post(s.url("/api/auth/login"))
            .json(&json!({"username": "analyst", "password": "Wrong password 1"}))
            .send()
            .await
            .unwrap();
    }
    let r = anonymous
        .post(s.url("/api/auth/login"))
        .json(&json!({"username": "analyst", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::LOCKED);

    // The administrator signs in; changes need the CSRF token.
    let (admin, csrf) = s.sign_in("admin").await;
    let me: Value = admin
        .get(s.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "admin");
    assert!(me.get("password_hash").is_none());
    let new_agency = json!({"code": "ngo-almaty", "kind": "ngo", "name_ru": "НПО (синт.)",
        "name_kk": "ҮЕҰ (синт.)", "name_en": "NGO (synthetic)", "region": "KZ-75"});
    let r = admin
        .post(s.url("/api/agencies"))
        .json(&new_agency)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::FORBIDDEN, "no CSRF token");
    let r = admin
        .post(s.url("/api/agencies"))
        .header("x-csrf-token", "0".repeat(64))
        .json(&new_agency)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(r).await.0,
        StatusCode::FORBIDDEN,
        "wrong CSRF token"
    );
    let r = admin
        .post(s.url("/api/agencies"))
        .header("x-csrf-token", &csrf)
        .json(&new_agency)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = admin
        .post(s.url("/api/agencies"))
        .header("x-csrf-token", &csrf)
        .json(&new_agency)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::CONFLICT);
    let bad_kind =
        json!({"code": "x-1", "kind": "fsb", "name_ru": "a", "name_kk": "a", "name_en": "a"});
    let r = admin
        .post(s.url("/api/agencies"))
        .header("x-csrf-token", &csrf)
        .json(&bad_kind)
        .send()
        .await
        .unwrap();
    let (status, body) = error_of(r).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("fsb"));

    // Signing out ends the session on the server.
    let r = admin
        .post(s.url("/api/auth/logout"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = admin.get(s.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signals_from_a_partner_are_deduplicated_and_roles_hold() {
    let s = start().await;
    let (admin, csrf) = s.sign_in("admin").await;
    let users: Vec<Value> = admin
        .get(s.url("/api/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let connector = users.iter().find(|u| u["username"] == "connector").unwrap();
    let issued: Value = admin
        .post(s.url(&format!(
            "/api/users/{}/tokens",
            connector["id"].as_str().unwrap()
        )))
        .header("x-csrf-token", &csrf)
        .json(&json!({"label": "Кибернадзор connector (synthetic)", "days": 30}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = issued["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("qgt_"));
    let partner = reqwest::Client::new();
    let submit = |body: Value| {
        partner
            .post(s.url("/api/signals"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let first = submit(json!({
        "resource": "https://jobs.example/ad/77?utm_source=tg",
        "identifiers": [{"kind": "phone", "value": "8 701 000 00 01"}],
        "summary": "Работа в Дубае, билеты за счёт работодателя (synthetic)",
        "risk": 0.7
    }))
    .await
    .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["new"], true);
    let again = submit(json!({
        "resource": "http://www.jobs.example/ad/77#top",
        "summary": "the same ad again",
    }))
    .await
    .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["signal"], first["signal"]);
    assert_eq!(again["reports"], 2);
    // Another ad with the same phone: a new signal, related to the first.
    let other: Value = submit(json!({
        "resource": "https://jobs.example/ad/78",
        "identifiers": [{"kind": "phone", "value": "+7 (701) 000-00-01"}],
        "summary": "another ad, same number",
    }))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(other["new"], true);
    assert_eq!(other["related_signals"], json!([first["signal"]]));
    let (status, body) = error_of(
        submit(json!({"summary": "nothing to point at"}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("resource"));
    let (status, _) = error_of(
        partner
            .post(s.url("/api/signals"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The partner submits but does not read the queue; the analyst does;
    // an NGO worker does not.
    let r = partner
        .get(s.url("/api/signals"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::FORBIDDEN);
    let (analyst, _) = s.sign_in("analyst").await;
    let queue: Vec<Value> = analyst
        .get(s.url("/api/signals?status=new"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue.len(), 2);
    let one = queue.iter().find(|q| q["id"] == first["signal"]).unwrap();
    assert_eq!(one["resource"], "https://jobs.example/ad/77");
    assert_eq!(one["reports"], 2);
    assert_eq!(one["source"], "partner");
    let (ngo, _) = s.sign_in("ngo").await;
    let r = ngo.get(s.url("/api/signals")).send().await.unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::FORBIDDEN);
    let r = ngo.get(s.url("/api/users")).send().await.unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::FORBIDDEN);

    // A revoked token no longer works.
    let r = admin
        .delete(s.url(&format!("/api/tokens/{}", issued["id"].as_str().unwrap())))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = submit(json!({"resource": "https://jobs.example/ad/79", "summary": "x"}))
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(s.vault.store.signal_report_count().await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_form_gives_a_receipt_and_is_rate_limited() {
    let s = start().await;
    let public = reqwest::Client::new();
    let r = public
        .post(s.url("/api/public/complaints"))
        .json(&json!({"text": "Мне предложили работу моделью за границей, просят оплатить портфолио (synthetic)",
                      "link": "https://t.me/s/synthetic_models", "lang": "ru"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let receipt: Value = r.json().await.unwrap();
    let code = receipt["receipt"].as_str().unwrap();
    assert_eq!(code.len(), 24);
    let status: Value = public
        .get(s.url(&format!("/api/public/complaints/{}", code.to_lowercase())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "received");
    let r = public
        .get(s.url("/api/public/complaints/0000-0000-0000-0000-0000"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::NOT_FOUND);
    // The complaint is a signal in the analysts' queue.
    let (analyst, _) = s.sign_in("analyst").await;
    let queue: Vec<Value> = analyst
        .get(s.url("/api/signals"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue[0]["source"], "complaint");
    assert_eq!(queue[0]["resource"], "https://t.me/synthetic_models");
    // Five a minute from one address.
    let mut last = StatusCode::OK;
    for i in 0..5 {
        last = public
            .post(s.url("/api/public/complaints"))
            .json(&json!({"text": format!("complaint {i}"), "identifiers": [{"kind": "handle", "value": format!("telegram:@synthetic_{i}")}]}))
            .send()
            .await
            .unwrap()
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_in_the_openapi_document() {
    let s = start().await;
    let doc: Value = reqwest::get(s.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/health",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/agencies",
        "/api/users",
        "/api/users/{id}/tokens",
        "/api/tokens/{id}",
        "/api/signals",
        "/api/signals/{id}",
        "/api/public/complaints",
        "/api/public/complaints/{receipt}",
        "/api/law/questions",
        "/api/law/assess",
        "/api/routing/evaluate",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the document");
    }
    let r = reqwest::get(s.url("/api/nothing")).await.unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_qualification_assistant_lists_candidates_for_investigators_only() {
    let s = start().await;
    let (analyst, csrf) = s.sign_in("analyst").await;
    let q: Value = analyst
        .get(s.url("/api/law/questions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = q["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"recruitment") && ids.contains(&"telecom_networks_used"),
        "{ids:?}"
    );
    let a: Value = analyst
        .post(s.url("/api/law/assess"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"recruitment": "yes", "purpose_sexual_exploitation": "yes", "deception": "yes"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let best = &a["candidates"][0];
    assert_eq!(
        (best["article"].as_u64(), best["part"].as_str()),
        (Some(128), Some("2")),
        "{a}"
    );
    assert!(
        a["notice_en"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("candidate")
    );
    let r = analyst
        .post(s.url("/api/law/assess"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"no_such_fact": "yes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::BAD_REQUEST);
    let (ngo, _) = s.sign_in("ngo").await;
    let r = ngo.get(s.url("/api/law/questions")).send().await.unwrap();
    assert_eq!(error_of(r).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_explains_where_a_case_goes() {
    let s = start().await;
    let (analyst, csrf) = s.sign_in("analyst").await;
    let r: Value = analyst
        .post(s.url("/api/routing/evaluate"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"minor_involved": true, "foreign_hosting": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let decisions = r["decisions"].as_array().unwrap();
    let text = serde_json::to_string(decisions).unwrap();
    for agency in ["child_rights_committee", "prosecutor", "interpol_ncb"] {
        assert!(text.contains(agency), "{agency} missing: {text}");
    }
    assert!(
        text.contains("heavy-escalation-interpol"),
        "the rule is named: {text}"
    );
    assert!(r["rules_version"].is_string());
    let bad = analyst
        .post(s.url("/api/routing/evaluate"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"minor": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(bad).await.0, StatusCode::BAD_REQUEST);
}
