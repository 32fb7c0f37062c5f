//! Walks every operation of the OpenAPI document with every role and
//! checks allow/deny against the written matrix (`access-matrix.tsv`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::collections::BTreeMap;

use common::PASSWORD;
use qorgau_response::Role;
use qorgau_server::seed;
use reqwest::StatusCode;
use serde_json::{Value, json};

const MATRIX: &str = include_str!("access-matrix.tsv");

/// An id nothing has: existence is not what the matrix tests.
const NOWHERE: &str = "0190a8f0-0000-7000-8000-000000000000";

/// operation → None (public) or role → allowed.
fn matrix() -> BTreeMap<String, Option<BTreeMap<Role, bool>>> {
    let mut out = BTreeMap::new();
    for (n, line) in MATRIX.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let op = cells[0].to_owned();
        let row = if cells[1] == "public" {
            None
        } else {
            assert_eq!(
                cells.len(),
                1 + Role::ALL.len(),
                "line {}: one cell per role",
                n + 1
            );
            Some(
                Role::ALL
                    .iter()
                    .zip(&cells[1..])
                    .map(|(r, c)| match *c {
                        "allow" => (*r, true),
                        "deny" => (*r, false),
                        other => panic!("line {}: {other:?} is neither allow nor deny", n + 1),
                    })
                    .collect(),
            )
        };
        assert!(out.insert(op.clone(), row).is_none(), "{op} twice");
    }
    out
}

/// A query for operations that need one to reach past their input checks.
fn query_for(op: &str) -> &'static str {
    match op {
        "GET /api/cases/{id}/money/graph" => {
            "?account=wallet:tron:TXGBoRcGP5813epCARkZUawUnDR8ucKCHf&hops=2&direction=both"
        }
        "GET /api/cases/{id}/money/transfers" => {
            "?account=wallet:tron:TXGBoRcGP5813epCARkZUawUnDR8ucKCHf&limit=10"
        }
        _ => "",
    }
}

/// A plausible body for each operation, so that an allowed call reaches
/// the handler's own checks rather than failing on the body.
fn body_for(op: &str) -> Option<Value> {
    Some(match op {
        "POST /api/agencies" => {
            json!({"code": "matrix-agency", "kind": "ngo", "name_ru": "a", "name_kk": "a", "name_en": "a"})
        }
        "POST /api/users" => {
            json!({"username": "matrix.user", "display_name": "M", "agency": "ngo", "roles": ["ngo_worker"], "password": PASSWORD})
        }
        "POST /api/users/{id}/tokens" => json!({"label": "matrix"}),
        "POST /api/signals" => {
            json!({"resource": "https://matrix.example/ad", "summary": "matrix"})
        }
        "POST /api/signals/{id}/dismiss" => {
            json!({"category": "legitimate", "reason": "matrix reason"})
        }
        "POST /api/signals/{id}/reopen" => json!({"reason": "matrix reason"}),
        "POST /api/law/assess" => json!({"recruitment": "yes"}),
        "POST /api/routing/evaluate" => json!({"minor_involved": true}),
        "POST /api/routing/rules/check" => json!({"text": "format = 1"}),
        // Based on nothing in force: an allowed role gets 409, not a save.
        "PUT /api/routing/rules" => {
            json!({"text": "format = 1", "based_on": "0", "note": "matrix"})
        }
        "POST /api/lexicon/check" => json!({"changes": {}}),
        // Based on no version in force: an allowed role gets 409, not a proposal.
        "POST /api/lexicon/proposals" => {
            json!({"changes": {}, "based_on": "0", "note": "matrix"})
        }
        "POST /api/lexicon/proposals/{id}/review" => {
            json!({"decision": "rejected", "note": "matrix"})
        }
        "POST /api/cases" => json!({"title": "matrix case"}),
        "POST /api/cases/{id}/evidence/{item}/examinations" => {
            json!({"conclusion": "matrix"})
        }
        "POST /api/cases/{id}/evidence/{item}/restriction" => {
            json!({"action": "mark", "reason": "matrix"})
        }
        "PATCH /api/cases/{id}" => json!({"version": 1, "title": "matrix"}),
        "POST /api/cases/{id}/signals" => json!({"signals": [NOWHERE]}),
        "POST /api/cases/{id}/keys" => json!({"resources": ["https://matrix.example/x"]}),
        "POST /api/cases/{id}/documents" => json!({"document": NOWHERE}),
        "POST /api/cases/{id}/persons" => json!({"role": "suspect", "label": "matrix"}),
        "POST /api/cases/{id}/notes" => json!({"body": "matrix"}),
        "POST /api/cases/{id}/tasks" => json!({"title": "matrix"}),
        "PATCH /api/cases/{id}/tasks/{task}" => json!({"status": "done"}),
        "POST /api/cases/{id}/referrals" => json!({"agency_kind": "ngo", "reason": "matrix"}),
        "POST /api/referrals/{id}/steps" => json!({"action": "acknowledge"}),
        "POST /api/screenings" => {
            json!({"answers": {"digital.online_recruitment": "no"}, "label": "matrix"})
        }
        "POST /api/victims/{id}/consents" => json!({
            "recipient_kind": "ngo", "categories": ["contacts"], "purpose": "shelter",
            "method": {"method": "signed_form", "form_reference": "M-1"}
        }),
        "POST /api/victims/{id}/consents/{consent}/withdrawal" => json!({}),
        "POST /api/cases/{id}/takedowns" => json!({
            "url": "https://matrix.example/", "platform": "website", "recipient": "r",
            "legal_basis": "b"
        }),
        "POST /api/takedowns/{id}/steps" => json!({"action": "send"}),
        "POST /api/identities" => json!({"handles": [], "officer": "supervisor"}),
        "POST /api/identities/{id}/authorisations" => json!({
            "number": "M", "court": "c", "judge": "j", "valid_from": "2026-01-01T00:00:00Z",
            "valid_until": "2026-02-01T00:00:00Z", "platforms": ["telegram"]
        }),
        "POST /api/identities/{id}/operations" => {
            json!({"case": NOWHERE, "platform": "telegram", "acknowledged": []})
        }
        "POST /api/identities/{id}/actions" => json!({"operation": NOWHERE, "action": "a"}),
        "POST /api/cases/{id}/stix" => json!({"title": "m", "tlp": "amber", "indicators": []}),
        "POST /api/sharing-groups" => json!({"title": "matrix group", "max_tlp": "amber",
            "members": [{"agency": "mvd-cyber", "write": true}]}),
        "POST /api/cases/{id}/requests" => json!({
            "kind": "preservation", "recipient": "r", "recipient_type": "platform",
            "legal_basis": "b", "officer": "o", "facts_summary": "f"
        }),
        "POST /api/cases/{id}/money/accounts" => {
            json!({"account": "wallet:tron:TXGBoRcGP5813epCARkZUawUnDR8ucKCHf", "note": "matrix"})
        }
        "POST /api/auth/logout" => return None,
        _ => return None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_with_every_role_follows_the_matrix() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("matrix").await;
    seed::default_agencies(&vault).await.unwrap();
    let mut ids = BTreeMap::new();
    for role in Role::ALL {
        let name = role.as_str().replace('_', "-");
        let user = common::add_user(&vault, &name, "mvd-cyber", &[role.as_str()]).await;
        ids.insert(role, user.id.to_string());
    }
    // A real case of the agency every test user works for, so that case
    // operations reach the case's own checks (scopes, ownership).
    let analyst = vault.store.user_by_name("analyst").await.unwrap().unwrap();
    let case = vault
        .store
        .create_case_file(
            &qorgau_store::NewCaseFile {
                name: qorgau_core::CaseName::parse("MATRIX-1").unwrap(),
                title: "matrix".into(),
                kind: qorgau_response::CaseKind::Criminal,
                owner_agency_id: analyst.agency_id,
                facts: Default::default(),
                signals: Vec::new(),
                keys: Vec::new(),
                tasks: Vec::new(),
            },
            qorgau_store::ChangeBy {
                actor: &vault.actor,
                tool: &vault.tool,
                key: &vault.key,
            },
        )
        .await
        .unwrap();
    let case_id = case.case.id.to_string();
    let base = common::serve(&vault).await;

    // The matrix covers exactly the document's operations.
    let doc: Value = reqwest::get(format!("{base}/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    let matrix = matrix();
    let written: Vec<String> = matrix.keys().cloned().collect();
    assert_eq!(
        written, documented,
        "access-matrix.tsv must list every operation once"
    );

    let signal_id = NOWHERE.to_owned();
    for role in Role::ALL {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let login: Value = client
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"username": role.as_str().replace('_', "-"), "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let csrf = login["csrf_token"].as_str().unwrap().to_owned();
        // Logout last: it ends the session the other calls use.
        let mut ops: Vec<(&String, &Option<BTreeMap<Role, bool>>)> = matrix.iter().collect();
        ops.sort_by_key(|(op, _)| op.ends_with("/api/auth/logout"));
        for (op, row) in ops {
            let Some(row) = row else { continue };
            let (method, path) = op.split_once(' ').unwrap();
            let id = if path.contains("users") {
                &ids[&role]
            } else if path.starts_with("/api/cases/") {
                &case_id
            } else {
                &signal_id
            };
            let path = path
                .replace("{id}", id)
                .replace("{task}", NOWHERE)
                .replace("{item}", NOWHERE)
                .replace("{consent}", NOWHERE)
                .replace("{name}", "lexicon.toml")
                .replace("{receipt}", "0000");
            let mut request = client
                .request(
                    method.parse().unwrap(),
                    format!("{base}{path}{}", query_for(op)),
                )
                .header("x-csrf-token", &csrf);
            if let Some(body) = body_for(op) {
                request = request.json(&body);
            }
            let status = request.send().await.unwrap().status();
            if row[&role] {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{role} must be allowed {op}, got {status}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} must be refused {op}");
            }
        }
    }
}
