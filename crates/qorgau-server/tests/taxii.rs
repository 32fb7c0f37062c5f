//! The TAXII 2.1 server over the database, on SQLite or (with
//! QORGAU_TEST_DATABASE_URL) PostgreSQL: sharing groups made by the
//! administrator, a case's bundle published by its investigator, and the
//! collections read and written by `taxii2-client` (the OASIS client) with
//! partners' API tokens; everyone else refused as TAXII says.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Session;
use qorgau_server::seed;
use reqwest::StatusCode;
use serde_json::{Value, json};

const TAXII: &str = "application/taxii+json;version=2.1";

async fn token_of(admin: &Session, user: &str) -> String {
    let (_, users) = admin.call("GET", "/api/users", None).await;
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == user)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, issued) = admin
        .call(
            "POST",
            &format!("/api/users/{id}/tokens"),
            Some(json!({"label": "TAXII client (synthetic)", "days": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    issued["token"].as_str().unwrap().to_owned()
}

fn run_taxii2_client(dir: &std::path::Path, base: &str, token: &str, bundle: &Value) -> Value {
    let path = dir.join(format!("bundle-{}.json", &token[..12]));
    std::fs::write(&path, bundle.to_string()).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../qorgau-stix/tests/check_stix.py"
    );
    let out = std::process::Command::new("python3")
        .arg(script)
        .args(["taxii", &format!("{base}/taxii2/"), "bearer", token])
        .arg(&path)
        .output()
        .expect("python3 with taxii2-client (scripts/install-test-tools)");
    assert!(
        out.status.success(),
        "taxii2-client: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_groups_exchange_a_case_s_indicators_over_taxii() {
    let common::Fixture {
        vault,
        dir,
        db: _db,
    } = common::fixture("taxii").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "admin", "mvd-cyber", &["administrator"]).await;
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    common::add_user(&vault, "pros", "prosecutor", &["prosecutor"]).await;
    common::add_user(&vault, "fiu.connector", "fiu", &["partner_system"]).await;
    common::add_user(&vault, "ngo", "ngo", &["ngo_worker"]).await;
    let base = common::serve(&vault).await;
    let admin = Session::sign_in(&base, "admin").await;
    let inv = Session::sign_in(&base, "inv").await;
    let ngo = Session::sign_in(&base, "ngo").await;

    // Groups: a regional one (police write, prosecutors read) and one the
    // FIU is alone in.
    let (status, e) = admin
        .call(
            "POST",
            "/api/sharing-groups",
            Some(json!({"title": "x", "max_tlp": "amber", "members": [{"agency": "nobody"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("nobody"), "{e}");
    let (status, almaty) = admin
        .call(
            "POST",
            "/api/sharing-groups",
            Some(
                json!({"title": "Almaty region (synthetic)", "alias": "almaty",
                "max_tlp": "amber",
                "members": [{"agency": "mvd-cyber", "write": true},
                            {"agency": "prosecutor", "read": true}]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{almaty}");
    let group = almaty["id"].as_str().unwrap().to_owned();
    let (status, _) = admin
        .call(
            "POST",
            "/api/sharing-groups",
            Some(
                json!({"title": "again", "alias": "almaty", "max_tlp": "amber",
                "members": [{"agency": "fiu"}]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, fiu_only) = admin
        .call(
            "POST",
            "/api/sharing-groups",
            Some(json!({"title": "FIU only (synthetic)", "max_tlp": "red",
                "members": [{"agency": "fiu", "write": true}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, mine) = inv.call("GET", "/api/sharing-groups", None).await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "only its own: {mine}");
    assert_eq!(mine[0]["id"], group.as_str());

    // The investigator's case, shared to the group.
    let (_, opened) = inv
        .call(
            "POST",
            "/api/cases",
            Some(json!({"title": "Escort mirrors (synthetic)",
                "resources": ["https://kyzdar-synthetic.example/"],
                "identifiers": [{"kind": "phone", "value": "+7 700 000 0042"}]})),
        )
        .await;
    let case = opened["case"]["id"].as_str().unwrap().to_owned();
    let share = |tlp: &str, to: Vec<String>| {
        json!({"title": "Escort mirror network (synthetic)", "tlp": tlp,
            "scenarios": ["escort_services"], "publish_to": to,
            "indicators": [
                {"kind": {"type": "url"}, "value": "https://kyzdar-synthetic.example/",
                 "role": "client_facing", "first_seen": "2026-11-20T10:00:00Z", "confidence": 70},
                {"kind": {"type": "phone"}, "value": "+77000000042",
                 "role": "control", "first_seen": "2026-11-20T10:00:00Z", "confidence": 60}]})
    };
    let (status, e) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/stix"),
            Some(share("red", vec![group.clone()])),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "TLP:RED into an amber group"
    );
    assert!(e["message"].as_str().unwrap().contains("at most"), "{e}");
    let (status, e) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/stix"),
            Some(share(
                "amber",
                vec![fiu_only["id"].as_str().unwrap().to_owned()],
            )),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not a member: {e}");
    let (status, bundle) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/stix"),
            Some(share("amber", vec![group.clone()])),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    let objects = bundle["objects"].as_array().unwrap().len() as u64;
    let (_, timeline) = inv
        .call("GET", &format!("/api/cases/{case}/timeline"), None)
        .await;
    assert!(
        timeline.to_string().contains("published_to"),
        "the publication is on the case's chain"
    );

    // The prosecutor's office reads it with taxii2-client (a token, no
    // write access: the client only reads).
    let pros_token = token_of(&admin, "pros").await;
    let report = run_taxii2_client(dir.path(), &base, &pros_token, &bundle);
    let root = &report["api_roots"][0];
    assert_eq!(root["versions"], json!([TAXII]));
    let collections = root["collections"].as_array().unwrap();
    assert_eq!(collections.len(), 1, "{report}");
    let c = &collections[0];
    assert_eq!(c["id"], group.as_str());
    assert_eq!(
        (c["can_read"].as_bool(), c["can_write"].as_bool()),
        (Some(true), Some(false))
    );
    assert!(c.get("status").is_none());
    let pages: Vec<u64> = c["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    assert_eq!(pages.iter().sum::<u64>(), objects, "{pages:?}");
    assert!(
        pages.len() > 1 && pages.iter().all(|p| *p <= 5),
        "{pages:?}"
    );
    assert_eq!(c["indicators"], 2);
    assert_eq!(c["manifest"].as_u64(), Some(objects));
    assert_eq!(c["report_versions"].as_array().unwrap().len(), 1);

    // The police write through taxii2-client too: the same objects again
    // are already present, nothing doubles.
    let inv_token = token_of(&admin, "inv").await;
    let report = run_taxii2_client(dir.path(), &base, &inv_token, &bundle);
    let c = &report["api_roots"][0]["collections"][0];
    assert_eq!(c["status"]["status"], "complete");
    assert_eq!(c["status"]["success"].as_u64(), Some(objects));
    assert_eq!(c["status_again"], "complete");
    assert_eq!(c["manifest"].as_u64(), Some(objects));

    // What TAXII says to everyone else.
    let http = reqwest::Client::new();
    let objects_url = format!("{base}/taxii2/qorgau/collections/{group}/objects/");
    let r = http
        .get(&objects_url)
        .header("accept", TAXII)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/taxii+json")
    );
    let r = ngo
        .client
        .get(&objects_url)
        .header("accept", TAXII)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an NGO reads no indicators"
    );
    let fiu_token = token_of(&admin, "fiu.connector").await;
    let as_fiu = |url: String| {
        http.get(url)
            .bearer_auth(&fiu_token)
            .header("accept", TAXII)
            .send()
    };
    let listed: Value = as_fiu(format!("{base}/taxii2/qorgau/collections/"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = listed["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![fiu_only["id"].as_str().unwrap()]);
    assert_eq!(
        as_fiu(objects_url.clone()).await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "another group's collection does not exist for it"
    );
    let r = http
        .get(&objects_url)
        .bearer_auth(&pros_token)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_ACCEPTABLE);
    let envelope = json!({"objects": bundle["objects"]});
    let r = http
        .post(&objects_url)
        .bearer_auth(&pros_token)
        .header("accept", TAXII)
        .header("content-type", TAXII)
        .body(envelope.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a reader may not add");
    let r = http
        .post(&objects_url)
        .bearer_auth(&inv_token)
        .header("accept", TAXII)
        .header("content-type", "application/json")
        .body(envelope.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = http
        .post(&objects_url)
        .bearer_auth(&inv_token)
        .header("accept", TAXII)
        .header("content-type", TAXII)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["http_status"], "400");
    // A TLP:RED object into the amber group is refused in the status, the
    // rest of the envelope stored.
    let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    let posted = json!({"objects": [
        {"type": "domain-name", "spec_version": "2.1",
         "id": "domain-name--6f1d6b58-3f1c-4a3e-9d7e-0a5c1f3b2a11", "value": "kyzdar7-synthetic.example"},
        {"type": "domain-name", "spec_version": "2.1",
         "id": "domain-name--6f1d6b58-3f1c-4a3e-9d7e-0a5c1f3b2a12", "value": "kyzdar8-synthetic.example",
         "object_marking_refs": [red]}]});
    let r = http
        .post(&objects_url)
        .bearer_auth(&inv_token)
        .header("accept", TAXII)
        .header("content-type", TAXII)
        .body(posted.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let status: Value = r.json().await.unwrap();
    assert_eq!(
        (
            status["success_count"].as_u64(),
            status["failure_count"].as_u64()
        ),
        (Some(1), Some(1))
    );
    // The status belongs to the agency that posted it.
    let status_url = format!(
        "{base}/taxii2/qorgau/status/{}/",
        status["id"].as_str().unwrap()
    );
    let r = http
        .get(&status_url)
        .bearer_auth(&pros_token)
        .header("accept", TAXII)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = http
        .get(&status_url)
        .bearer_auth(&inv_token)
        .header("accept", TAXII)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Filters reach the database: only the new domain, by type and
    // added_after the publication.
    let r = http
        .get(format!(
            "{objects_url}?match[type]=domain-name&added_after={}",
            "2000-01-01T00:00:00Z"
        ))
        .bearer_auth(&pros_token)
        .header("accept", TAXII)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("x-taxii-date-added-first"));
    let page: Value = r.json().await.unwrap();
    let values: Vec<&str> = page["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert!(values.contains(&"kyzdar7-synthetic.example"), "{values:?}");
    assert!(!values.contains(&"kyzdar8-synthetic.example"));
}
