//! The early-response flow over real HTTP, on SQLite and (with
//! QORGAU_TEST_DATABASE_URL) PostgreSQL: signal → case → routing →
//! acknowledgement → escalation → referral outcome, one case shown
//! differently to each agency, and every step in the case's ledger chain.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::Session;
use qorgau_server::seed;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn kinds(referrals: &Value) -> Vec<String> {
    let mut out: Vec<String> = referrals
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agency_kind"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// The referrals a case page shows as held: (agency kind, reason), sorted.
fn held_of(page: &Value) -> Vec<(String, String)> {
    let mut held: Vec<(String, String)> = page["routing"]["held"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["agency_kind"].as_str().unwrap().to_owned(),
                h["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    held.sort();
    held
}

fn referral_to<'a>(page: &'a Value, kind: &str) -> &'a Value {
    page["referrals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agency_kind"] == kind)
        .unwrap_or_else(|| panic!("no referral to {kind} in {page}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_becomes_a_case_that_is_routed_escalated_and_closed() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("flow").await;
    seed::default_agencies(&vault).await.unwrap();
    for (name, agency, roles) in [
        ("connector", "prosecutor", &["partner_system"][..]),
        ("ana", "mvd-cyber", &["analyst"][..]),
        ("sup", "mvd-cyber", &["supervisor"][..]),
        ("pro", "prosecutor", &["prosecutor"][..]),
        ("crc", "child-rights-committee", &["social_worker"][..]),
        ("soc", "social-services", &["social_worker"][..]),
        ("ngo", "ngo", &["ngo_worker"][..]),
        ("fiu", "fiu", &["analyst"][..]),
    ] {
        common::add_user(&vault, name, agency, roles).await;
    }
    let (base, state) = common::serve_state(&vault).await;
    let connector = Session::sign_in(&base, "connector").await;
    let ana = Session::sign_in(&base, "ana").await;
    let sup = Session::sign_in(&base, "sup").await;
    let pro = Session::sign_in(&base, "pro").await;
    let crc = Session::sign_in(&base, "crc").await;
    let soc = Session::sign_in(&base, "soc").await;
    let ngo = Session::sign_in(&base, "ngo").await;
    let fiu = Session::sign_in(&base, "fiu").await;

    // A partner system reports an ad; the analyst opens a case from it.
    let (status, intake) = connector
        .call(
            "POST",
            "/api/signals",
            Some(json!({
                "resource": "https://kyzdar2.example/ad/991?utm_source=x",
                "identifiers": [{"kind": "phone", "value": "+7 700 000 0042"}],
                "summary": "Job ad abroad for girls 16+, 'modelling', prepayment for tickets",
                "risk": 0.93
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{intake}");
    let signal = intake["signal"].as_str().unwrap().to_owned();

    let (status, opened) = ana
        .call(
            "POST",
            "/api/cases",
            Some(json!({
                "title": "Modelling-job recruitment, Almaty (synthetic)",
                "signals": [signal],
                "facts": {"scenario": "sexual_exploitation", "minor_involved": true, "region": "KZ-75"},
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let case = opened["case"]["id"].as_str().unwrap().to_owned();
    // A minor is involved: the child-rights committee and the prosecutor,
    // at once, each because of its rule.
    assert_eq!(
        kinds(&opened["sent"]),
        ["child_rights_committee", "prosecutor"]
    );
    let to_prosecutor = referral_to(&opened, "prosecutor");
    assert_eq!(
        to_prosecutor["rules"],
        json!(["minor-prosecutor-oversight"])
    );
    assert_eq!(to_prosecutor["scopes"], json!(["operational", "evidence"]));
    assert_eq!(to_prosecutor["state"], "sent");
    // The owner sees everything, the checklist of study 5.3 with it.
    assert_eq!(opened["case"]["owner"], true);
    let tasks = opened["tasks"].as_array().unwrap();
    assert!(tasks.len() >= 20, "{}", tasks.len());
    assert!(
        tasks.iter().any(|t| t["checklist_key"].is_string()),
        "checklist tasks have keys"
    );
    assert_eq!(opened["checklist"]["done"], 0);
    assert_eq!(opened["checklist"]["percent"], 0);
    let keys: Vec<&str> = opened["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["value"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"https://kyzdar2.example/ad/991"), "{keys:?}");
    assert!(keys.contains(&"+77000000042"), "{keys:?}");
    let routing = &opened["routing"];
    assert_eq!(routing["rules"], "built-in");
    let why = routing["required"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["agency"] == "child_rights_committee")
        .unwrap();
    assert_eq!(why["because"][0]["matched"][0]["field"], "minor_involved");
    assert_eq!(why["because"][0]["matched"][0]["value"], "true");

    // The signal is accepted into the case; a new report with the same
    // phone is linked to it.
    let (_, s) = ana
        .call("GET", &format!("/api/signals/{signal}"), None)
        .await;
    assert_eq!(s["status"], "accepted");
    assert_eq!(s["case_id"], case.as_str());
    let (status, second) = connector
        .call(
            "POST",
            "/api/signals",
            Some(json!({
                "identifiers": [{"kind": "phone", "value": "8 (700) 000-00-42"}],
                "summary": "Same number in another ad"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["related_cases"], json!([case.as_str()]));

    // Investigators work the case: a task done, a person, a note.
    let task = tasks[0]["id"].as_str().unwrap();
    let (status, progress) = ana
        .call(
            "PATCH",
            &format!("/api/cases/{case}/tasks/{task}"),
            Some(json!({"status": "done", "assignee": "ana"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["done"], 1);
    let (status, _) = ana
        .call(
            "POST",
            &format!("/api/cases/{case}/persons"),
            Some(json!({"role": "victim", "label": "Victim A"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = ana
        .call(
            "POST",
            &format!("/api/cases/{case}/persons"),
            Some(json!({"role": "suspect", "label": "@recruiter_synthetic"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = ana
        .call(
            "POST",
            &format!("/api/cases/{case}/notes"),
            Some(json!({"body": "Ad re-posted on a mirror domain; preserve before blocking."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // One case, shown differently to each agency.
    let (status, as_prosecutor) = pro.call("GET", &format!("/api/cases/{case}"), None).await;
    assert_eq!(status, StatusCode::OK, "{as_prosecutor}");
    assert_eq!(as_prosecutor["case"]["owner"], false);
    assert_eq!(
        as_prosecutor["case"]["scopes"],
        json!(["operational", "evidence"])
    );
    assert!(as_prosecutor["notes"].is_array());
    assert!(as_prosecutor["routing"].is_null(), "routing is the owner's");
    assert_eq!(
        kinds(&as_prosecutor["referrals"]),
        ["prosecutor"],
        "a receiving agency sees its own referral only"
    );
    let (status, as_committee) = crc.call("GET", &format!("/api/cases/{case}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(as_committee["case"]["scopes"], json!(["victim_support"]));
    for hidden in [
        "facts",
        "keys",
        "notes",
        "tasks",
        "documents",
        "evidence_items",
    ] {
        assert!(as_committee[hidden].is_null(), "{hidden}: {as_committee}");
    }
    let persons = as_committee["persons"].as_array().unwrap();
    assert_eq!(persons.len(), 1, "victims only: {persons:?}");
    assert_eq!(persons[0]["label"], "Victim A");
    // No referral, no case: not even that it exists.
    for outsider in [&ngo, &soc, &fiu] {
        let (status, _) = outsider
            .call("GET", &format!("/api/cases/{case}"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = outsider.call("GET", "/api/cases", None).await;
        assert_eq!(list, json!([]));
    }
    // A receiving agency cannot change the case.
    let (status, _) = pro
        .call(
            "POST",
            &format!("/api/cases/{case}/notes"),
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A victim is identified: social services at once; the NGO waits for
    // consent, then goes on a supervisor's override with a reason.
    let version = as_prosecutor["case"]["version"].as_i64().unwrap();
    let (status, stale) = ana
        .call(
            "PATCH",
            &format!("/api/cases/{case}"),
            Some(json!({"version": version - 1, "title": "stale"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");
    let (status, changed) = ana
        .call(
            "PATCH",
            &format!("/api/cases/{case}"),
            Some(json!({
                "version": version,
                "facts": {"scenario": "sexual_exploitation", "minor_involved": true,
                          "victim_identified": true, "region": "KZ-75"},
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        kinds(&changed["sent"]),
        ["mvd_investigation", "social_services"]
    );
    let held = changed["routing"]["held"].as_array().unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["agency_kind"], "ngo");
    assert_eq!(held[0]["reason"], "consent_required");
    let (status, _) = ana
        .call(
            "POST",
            &format!("/api/cases/{case}/referrals"),
            Some(json!({"agency_kind": "ngo", "reason": "analyst tries"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "override is a supervisor's");
    let (status, overridden) = sup
        .call(
            "POST",
            &format!("/api/cases/{case}/referrals"),
            Some(json!({"agency_kind": "ngo", "reason": "Minor at risk of being moved abroad"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{overridden}");
    assert_eq!(overridden["consent"]["basis"], "overridden");
    assert_eq!(overridden["consent"]["by"], "sup");
    let (status, as_ngo) = ngo.call("GET", &format!("/api/cases/{case}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(as_ngo["case"]["scopes"], json!(["victim_support"]));
    assert!(as_ngo["facts"].is_null() && as_ngo["notes"].is_null());

    // The prosecutor acknowledges in time; steps out of order are refused.
    let prosecutor_referral = referral_to(&opened, "prosecutor")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let step = |action: &str| json!({"action": action});
    let (status, _) = soc
        .call(
            "POST",
            &format!("/api/referrals/{prosecutor_referral}/steps"),
            Some(step("acknowledge")),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only the receiving agency");
    let (status, acked) = pro
        .call(
            "POST",
            &format!("/api/referrals/{prosecutor_referral}/steps"),
            Some(step("acknowledge")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{acked}");
    assert_eq!(acked["state"], "acknowledged");
    let (status, _) = pro
        .call(
            "POST",
            &format!("/api/referrals/{prosecutor_referral}/steps"),
            Some(json!({"action": "close", "outcome": "services_given"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "close before act");

    // Days pass; nobody else answered. The deadline check escalates each
    // missed deadline once, and every dashboard concerned shows it.
    state.clock.advance(Duration::from_secs(30 * 24 * 3600));
    let (status, _) = ana.call("POST", "/api/escalations/run", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, raised) = sup.call("POST", "/api/escalations/run", None).await;
    assert_eq!(status, StatusCode::OK, "{raised}");
    let raised = raised.as_array().unwrap();
    // Unacknowledged: committee, social services, investigators, NGO (two
    // deadlines each); the acknowledged prosecutor missed its action deadline.
    assert_eq!(raised.len(), 9, "{raised:?}");
    assert!(raised.iter().filter(|e| e["missed"] == "action").count() == 5);
    let (_, again) = sup.call("POST", "/api/escalations/run", None).await;
    assert_eq!(again, json!([]), "raised once");
    let (_, soc_board) = soc.call("GET", "/api/escalations", None).await;
    assert_eq!(soc_board.as_array().unwrap().len(), 2);
    let (_, owner_board) = ana.call("GET", "/api/escalations", None).await;
    assert_eq!(owner_board.as_array().unwrap().len(), 9);
    let (_, incoming) = soc.call("GET", "/api/referrals", None).await;
    let social = &incoming.as_array().unwrap()[0];
    assert_eq!(social["overdue"], json!(["acknowledgement", "action"]));
    assert_eq!(social["escalations"].as_array().unwrap().len(), 2);

    // Social services answer late, act, and close with an outcome; their
    // escalations leave the dashboards.
    let social_id = social["id"].as_str().unwrap().to_owned();
    for body in [
        json!({"action": "acknowledge"}),
        json!({"action": "act", "note": "Shelter place and psychologist arranged"}),
        json!({"action": "close", "outcome": "services_given"}),
    ] {
        let (status, r) = soc
            .call(
                "POST",
                &format!("/api/referrals/{social_id}/steps"),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{r}");
    }
    let (_, closed) = soc.call("GET", "/api/referrals", None).await;
    assert_eq!(closed[0]["state"], "closed");
    assert_eq!(closed[0]["history"].as_array().unwrap().len(), 4);
    let (_, soc_board) = soc.call("GET", "/api/escalations", None).await;
    assert_eq!(soc_board, json!([]));
    let (status, rejected) = crc
        .call(
            "POST",
            &format!(
                "/api/referrals/{}/steps",
                referral_to(&opened, "child_rights_committee")["id"]
                    .as_str()
                    .unwrap()
            ),
            Some(json!({"action": "reject", "note": ""})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a rejection needs a reason: {rejected}"
    );

    // The outgoing board of the owner shows every hand-off.
    let (_, outgoing) = ana
        .call("GET", "/api/referrals?direction=outgoing", None)
        .await;
    assert_eq!(
        kinds(&outgoing),
        [
            "child_rights_committee",
            "mvd_investigation",
            "ngo",
            "prosecutor",
            "social_services"
        ]
    );

    // Everything is in the case's ledger chain, reads included.
    let (status, timeline) = ana
        .call(
            "GET",
            &format!("/api/cases/{case}/timeline?reads=true"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<String> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["details"]["action"]
                .as_str()
                .or(e["details"]["read"].as_str())
                .unwrap_or(e["kind"].as_str().unwrap())
                .to_owned()
        })
        .collect();
    for expected in [
        "case_opened",
        "case_created",
        "referral_sent",
        "task_changed",
        "person_added",
        "note_written",
        "case_updated",
        "escalated",
        "referral_step",
        "case",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
    let reads: Vec<&Value> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "read")
        .collect();
    assert!(
        reads.iter().any(|e| e["actor"] == "ngo"),
        "the NGO's read is recorded"
    );
    let (status, _) = pro
        .call("GET", &format!("/api/cases/{case}/timeline"), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the timeline is the owner's");
    let report = qorgau_vault::verify::verify(&vault, None, false, &|_| {})
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screened_victim_is_referred_without_a_criminal_case_and_personal_data_follows_consent() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("victims").await;
    seed::default_agencies(&vault).await.unwrap();
    for (name, agency, roles) in [
        ("soc", "social-services", &["social_worker"][..]),
        ("ngo", "ngo", &["ngo_worker"][..]),
        ("inv", "mvd-cyber", &["investigator"][..]),
        ("sup", "mvd-cyber", &["supervisor"][..]),
        ("ana", "mvd-cyber", &["analyst"][..]),
    ] {
        common::add_user(&vault, name, agency, roles).await;
    }
    let base = common::serve(&vault).await;
    let soc = Session::sign_in(&base, "soc").await;
    let ngo = Session::sign_in(&base, "ngo").await;
    let inv = Session::sign_in(&base, "inv").await;
    let sup = Session::sign_in(&base, "sup").await;
    let ana = Session::sign_in(&base, "ana").await;

    let (status, form) = soc.call("GET", "/api/screening/form", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "digital.sextortion"),
        "the digital block is on the form"
    );
    let (status, _) = ana.call("GET", "/api/screening/form", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A negative screening stores nothing.
    let (status, negative) = soc
        .call(
            "POST",
            "/api/screenings",
            Some(json!({"answers": {"digital.online_recruitment": "no"}, "label": "Person N"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{negative}");
    assert_eq!(negative["outcome"], "negative");
    assert!(negative["victim"].is_null());

    // Sextortion alone is decisive; with no criminal case a support case is
    // opened and social services (its owner) need no referral; investigators
    // are not called on the rules alone, the NGO waits for consent.
    let (status, positive) = soc
        .call(
            "POST",
            "/api/screenings",
            Some(json!({
                "answers": {"digital.sextortion": "yes", "digital.online_recruitment": "yes",
                            "physical.confinement": "no"},
                "minor": "adult",
                "age_band": "from18_to24",
                "label": "Person K",
                "lang": "en",
                "personal": {
                    "names": {"family": "Synthetova", "given": "Aigerim", "patronymic": null, "other": []},
                    "birth_date": null,
                    "contacts": [{"kind": "phone", "value": "+77000000077", "safe_to_use": true}],
                    "address": "Synthetic street 1, Almaty",
                    "documents": [],
                    "notes": null
                }
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{positive}");
    assert_eq!(positive["outcome"], "positive");
    assert!(
        positive["explanation"]
            .as_str()
            .unwrap()
            .contains("digital.sextortion"),
        "{}",
        positive["explanation"]
    );
    assert_eq!(positive["sent"], json!([]));
    let victim = positive["victim"].as_str().unwrap().to_owned();
    let case = positive["case"].as_str().unwrap().to_owned();
    let (_, page) = soc.call("GET", &format!("/api/cases/{case}"), None).await;
    assert_eq!(page["case"]["kind"], "support");
    // Social workers get the victim-support view even of their own case.
    assert!(page["facts"].is_null() && page["notes"].is_null());
    assert_eq!(
        held_of(&page),
        [
            ("mvd_cyber".to_owned(), "support_case".to_owned()),
            ("mvd_investigation".to_owned(), "support_case".to_owned()),
            ("ngo".to_owned(), "consent_required".to_owned()),
        ]
    );
    assert_eq!(page["persons"][0]["victim"], victim.as_str());

    // The recording agency opens the record; the personal data is nowhere
    // in the database in the clear.
    let (status, own) = soc
        .call("GET", &format!("/api/victims/{victim}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own["view"]["view"], "personal");
    assert_eq!(own["view"]["personal"]["names"]["family"], "Synthetova");
    if vault.store.backend() == qorgau_store::Backend::Sqlite {
        let mut db_bytes = Vec::new();
        for entry in std::fs::read_dir(&vault.data_dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                db_bytes.extend(std::fs::read(&path).unwrap());
            }
        }
        let haystack = String::from_utf8_lossy(&db_bytes);
        for secret in ["Synthetova", "+77000000077", "Synthetic street"] {
            assert!(!haystack.contains(secret), "{secret} stored in the clear");
        }
    }

    // The NGO sees nothing before consent; consent for contacts only sends
    // the referral and opens exactly that category to the NGO.
    let (status, _) = ngo
        .call("GET", &format!("/api/victims/{victim}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, consented) = soc
        .call(
            "POST",
            &format!("/api/victims/{victim}/consents"),
            Some(json!({
                "recipient_kind": "ngo",
                "categories": ["contacts"],
                "purpose": "special_social_services",
                "method": {"method": "signed_form", "form_reference": "SF-2026-0001"}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{consented}");
    assert_eq!(kinds(&consented["sent"]), ["ngo"]);
    assert_eq!(consented["sent"][0]["consent"]["basis"], "recorded");
    let (status, as_ngo) = ngo
        .call("GET", &format!("/api/victims/{victim}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{as_ngo}");
    assert_eq!(as_ngo["granted"], json!(["contacts"]));
    assert_eq!(
        as_ngo["view"]["personal"]["contacts"][0]["value"],
        "+77000000077"
    );
    assert!(as_ngo["view"]["personal"]["names"].is_null());
    assert!(as_ngo["consents"].is_null(), "consents are the recorder's");

    // Withdrawn, the consent covers nothing more.
    let consent = consented["consent"]["id"].as_str().unwrap();
    let (status, w) = soc
        .call(
            "POST",
            &format!("/api/victims/{victim}/consents/{consent}/withdrawal"),
            Some(json!({"note": "asked by phone"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{w}");
    let (_, after) = ngo
        .call("GET", &format!("/api/victims/{victim}"), None)
        .await;
    assert_eq!(after["view"]["view"], "sealed");
    assert_eq!(after["granted"], json!([]));
    let (status, _) = soc
        .call(
            "POST",
            &format!("/api/victims/{victim}/consents/{consent}/withdrawal"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // In a criminal case an investigator records a victim and sees that she
    // exists, not who she is; the supervisor sees who.
    let (_, opened) = ana
        .call(
            "POST",
            "/api/cases",
            Some(json!({"title": "Webcam studio (synthetic)"})),
        )
        .await;
    let criminal = opened["case"]["id"].as_str().unwrap().to_owned();
    let (status, recorded) = inv
        .call(
            "POST",
            "/api/screenings",
            Some(json!({
                "case": criminal,
                "answers": {"digital.remote_exploitation": "yes"},
                "minor": "presumed_minor",
                "label": "Victim B",
                "personal": {"names": {"family": "Testova", "given": "Dana", "patronymic": null, "other": []},
                             "birth_date": null, "contacts": [], "address": null, "documents": [], "notes": null}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    assert_eq!(recorded["case"], criminal.as_str());
    // A presumed minor: the committee and the prosecutor are called.
    let sent = kinds(&recorded["sent"]);
    assert!(
        sent.contains(&"child_rights_committee".to_owned()),
        "{sent:?}"
    );
    assert!(sent.contains(&"social_services".to_owned()), "{sent:?}");
    let b = recorded["victim"].as_str().unwrap();
    let (_, as_investigator) = inv.call("GET", &format!("/api/victims/{b}"), None).await;
    assert_eq!(as_investigator["view"]["view"], "sealed");
    assert_eq!(as_investigator["view"]["minor"], "presumed_minor");
    let (_, as_supervisor) = sup.call("GET", &format!("/api/victims/{b}"), None).await;
    assert_eq!(
        as_supervisor["view"]["personal"]["names"]["family"],
        "Testova"
    );
    // Both reads are on the case's chain, the opening of personal data named.
    let (_, timeline) = ana
        .call(
            "GET",
            &format!("/api/cases/{criminal}/timeline?reads=true"),
            None,
        )
        .await;
    let reads: Vec<(String, String)> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "read")
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["details"]["read"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        reads
            .iter()
            .any(|(who, what)| who == "inv" && what.ends_with("(sealed view)")),
        "{reads:?}"
    );
    assert!(
        reads
            .iter()
            .any(|(who, what)| who == "sup" && what.ends_with("(personal data)")),
        "{reads:?}"
    );
}

/// Stores a capture of `url` in `case` as the capture command would: a
/// folder with the page and its manifest, acquired into the vault.
async fn capture(vault: &qorgau_vault::Vault, case: &str, url: &str) -> std::path::PathBuf {
    use sha2::Digest;
    struct Quiet;
    impl qorgau_vault::AcquireObserver for Quiet {}
    let dir = vault
        .data_dir
        .join(format!("staging-{}", qorgau_core::Id::new()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("page.html"),
        "<html><body>Работа моделью за рубежом</body></html>",
    )
    .unwrap();
    let manifest = format!("{{\"url\": \"{url}\", \"files\": [\"page.html\"]}}");
    std::fs::write(dir.join("manifest.json"), &manifest).unwrap();
    let sha: [u8; 32] = sha2::Sha256::digest(manifest.as_bytes()).into();
    let now = qorgau_core::Timestamp::now();
    qorgau_vault::capture::store_capture(
        vault,
        &qorgau_vault::capture::CaptureDraft {
            id: qorgau_core::Id::new(),
            dir: dir.clone(),
            case: qorgau_core::CaseName::parse(case).unwrap(),
            note: None,
            kind: "page".into(),
            engine: "http".into(),
            url: url.into(),
            final_url: url.into(),
            started_at: now,
            finished_at: now,
            http_status: Some(200),
            partial: None,
            manifest_sha256: qorgau_core::Sha256Digest::from_bytes(sha),
            time_stamp: None,
            summary: json!({"title": "ad"}),
        },
        &Quiet,
    )
    .await
    .unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_takedown_needs_a_verified_capture_and_is_reported_per_platform() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("takedowns").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    common::add_user(&vault, "pro", "prosecutor", &["prosecutor"]).await;
    let (base, state) = common::serve_state(&vault).await;
    let inv = Session::sign_in(&base, "inv").await;
    let pro = Session::sign_in(&base, "pro").await;
    let (_, opened) = inv
        .call(
            "POST",
            "/api/cases",
            Some(json!({"title": "Escort mirror sites (synthetic)", "resources": ["https://kyzdar4.example/"]})),
        )
        .await;
    let case = opened["case"]["id"].as_str().unwrap().to_owned();
    let name = opened["case"]["name"].as_str().unwrap().to_owned();
    let ask = |url: &str| {
        json!({"url": url, "platform": "website", "recipient": "Hosting abuse desk (synthetic)",
               "legal_basis": "Law on Communications, art. 41-1", "send": true})
    };

    // Preserve before blocking: nothing captured, nothing requested.
    let (status, refused) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/takedowns"),
            Some(ask("https://kyzdar4.example/")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("kyzdar4.example"),
        "{refused}"
    );

    // Captured, the request opens with the capture as its proof.
    capture(&vault, &name, "https://kyzdar4.example/").await;
    let (status, request) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/takedowns"),
            Some(ask("https://KYZDAR4.example")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    assert_eq!(request["state"], "sent");
    assert_eq!(
        request["capture"]["captured_url"],
        "https://kyzdar4.example/"
    );
    assert!(request["reply_deadline"].is_string());
    let takedown = request["id"].as_str().unwrap().to_owned();

    // A capture whose stored file no longer matches proves nothing.
    capture(&vault, &name, "https://kyzdar5.example/").await;
    let items = vault
        .store
        .items(&qorgau_store::ItemFilter {
            case_id: None,
            ..Default::default()
        })
        .await
        .unwrap();
    let page = items.iter().rfind(|i| i.file_name == "page.html").unwrap();
    let blob = vault.blobs.cache_path(&page.sha256);
    let mut perms = std::fs::metadata(&blob).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&blob, perms).unwrap();
    std::fs::write(&blob, "tampered").unwrap();
    let (status, tampered) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/takedowns"),
            Some(ask("https://kyzdar5.example/")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{tampered}");

    // Only the requesting agency moves it; the platform answers late and
    // removes the content.
    let (status, _) = pro
        .call(
            "POST",
            &format!("/api/takedowns/{takedown}/steps"),
            Some(json!({"action": "withdraw"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a prosecutor may not edit cases"
    );
    state.clock.advance(Duration::from_secs(10 * 24 * 3600));
    let (_, listed) = inv
        .call("GET", &format!("/api/cases/{case}/takedowns"), None)
        .await;
    assert_eq!(listed[0]["overdue"], true);
    let (status, removed) = inv
        .call(
            "POST",
            &format!("/api/takedowns/{takedown}/steps"),
            Some(json!({"action": "reply", "outcome": "removed"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(removed["state"], "removed");
    let (status, _) = inv
        .call(
            "POST",
            &format!("/api/takedowns/{takedown}/steps"),
            Some(json!({"action": "withdraw"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "removed is final");
    let (status, report) = inv.call("GET", "/api/takedowns/report", None).await;
    assert_eq!(status, StatusCode::OK);
    let website = report
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["platform"] == "website")
        .unwrap();
    assert_eq!(website["requests"], 1);
    assert_eq!(website["removed"], 1);
    assert_eq!(website["answered_in_time"], 0);
    assert!(website["median_response_hours"].as_f64().unwrap() >= 240.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_suppress_small_counts_and_requests_are_drafted_from_the_case() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("reports").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    common::add_user(&vault, "ngo", "ngo", &["ngo_worker"]).await;
    let base = common::serve(&vault).await;
    let inv = Session::sign_in(&base, "inv").await;
    let ngo = Session::sign_in(&base, "ngo").await;

    let mut first = String::new();
    for (i, (region, articles)) in [
        ("KZ-75", json!(["128"])),
        ("KZ-75", json!(["128"])),
        ("KZ-75", json!(["128", "309"])),
        ("KZ-75", json!(["128"])),
        ("KZ-71", json!(["128"])),
        ("KZ-71", json!(["309"])),
    ]
    .into_iter()
    .enumerate()
    {
        let (_, opened) = inv
            .call(
                "POST",
                "/api/cases",
                Some(json!({
                    "title": format!("Case {i} (synthetic)"),
                    "facts": {"region": region},
                    "identifiers": [{"kind": "handle", "value": format!("telegram:@recruiter_{i}")}],
                })),
            )
            .await;
        let id = opened["case"]["id"].as_str().unwrap().to_owned();
        let version = opened["case"]["version"].as_i64().unwrap();
        let (status, changed) = inv
            .call(
                "PATCH",
                &format!("/api/cases/{id}"),
                Some(json!({"version": version, "articles": articles})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{changed}");
        assert_eq!(changed["articles"], articles);
        if i == 0 {
            first = id;
        }
    }
    for bad in [json!(["999"]), json!(["128.99"])] {
        let (_, page) = inv.call("GET", &format!("/api/cases/{first}"), None).await;
        let (status, e) = inv
            .call(
                "PATCH",
                &format!("/api/cases/{first}"),
                Some(json!({"version": page["case"]["version"], "articles": bad})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    }

    let (status, open) = inv.call("GET", "/api/statistics?k=1", None).await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open["grand_total"]["published"], 7, "{open}");
    let (status, table) = ngo.call("GET", "/api/statistics?k=3", None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "statistics are de-identified: {table}"
    );
    let mut published = Vec::new();
    for row in table["rows"].as_array().unwrap() {
        for cell in row["cells"].as_array().unwrap() {
            if let Some(n) = cell["count"].as_u64() {
                published.push(n);
            }
        }
    }
    assert!(
        published.iter().all(|n| *n == 0 || *n >= 3),
        "no published count under k: {table}"
    );
    assert!(table["primary_suppressed"].as_u64().unwrap() > 0, "{table}");
    let r = ngo
        .client
        .get(format!("{base}/api/statistics?k=3&format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = r.text().await.unwrap();
    assert!(csv.contains("suppressed") && csv.contains("KZ-75"), "{csv}");

    // Request drafts carry the case's identifiers in both languages.
    let (status, made) = inv
        .call(
            "POST",
            &format!("/api/cases/{first}/requests"),
            Some(json!({
                "kind": "preservation", "recipient": "Platform law enforcement desk (synthetic)",
                "recipient_type": "platform", "legal_basis": "Platform policy for government requests",
                "officer": "Investigator Synthetic, +7 700 000 0001",
                "facts_summary": "Recruitment ads for 'modelling work abroad'"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{made}");
    let made = made.as_array().unwrap();
    assert_eq!(made.len(), 2);
    for d in made {
        assert!(
            d["body"].as_str().unwrap().contains("telegram:recruiter_0"),
            "{}",
            d["body"]
        );
    }
    assert_eq!(made[0]["lang"], "ru");
    assert_eq!(made[1]["lang"], "en");
    let (status, _) = inv
        .call(
            "POST",
            &format!("/api/cases/{first}/requests"),
            Some(json!({
                "kind": "emergency_disclosure", "recipient": "x", "recipient_type": "platform",
                "legal_basis": "x", "officer": "x", "facts_summary": "x"
            })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an emergency needs its reason"
    );
    let (_, timeline) = inv
        .call("GET", &format!("/api/cases/{first}/timeline"), None)
        .await;
    assert!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["details"]["action"] == "request_drafted")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_virtual_identity_is_used_only_under_a_valid_authorisation_with_safeguards() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("identities").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "sup", "mvd-cyber", &["supervisor"]).await;
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    common::add_user(&vault, "inv2", "mvd-cyber", &["investigator"]).await;
    common::add_user(&vault, "other", "mvd-investigation", &["investigator"]).await;
    let (base, state) = common::serve_state(&vault).await;
    let sup = Session::sign_in(&base, "sup").await;
    let inv = Session::sign_in(&base, "inv").await;
    let inv2 = Session::sign_in(&base, "inv2").await;
    let other = Session::sign_in(&base, "other").await;

    let now = chrono::Utc::now();
    let (status, identity) = inv
        .call(
            "POST",
            "/api/identities",
            Some(json!({"handles": [], "officer": "inv"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "{identity}: registering is a supervisor's"
    );
    let (status, identity) = sup
        .call(
            "POST",
            "/api/identities",
            Some(json!({
                "handles": [{"platform": "telegram", "handle": "@synthetic_jobseeker"}],
                "officer": "inv",
                "authorisations": [{
                    "number": "SYN-2026-17", "court": "Synthetic district court", "judge": "Judge Synthetic",
                    "valid_from": (now - chrono::Duration::days(1)).to_rfc3339(),
                    "valid_until": (now + chrono::Duration::days(30)).to_rfc3339(),
                    "platforms": ["telegram"]
                }]
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{identity}");
    let id = identity["id"].as_str().unwrap().to_owned();
    let (_, opened) = inv
        .call(
            "POST",
            "/api/cases",
            Some(json!({"title": "Channel recruitment (synthetic)"})),
        )
        .await;
    let case = opened["case"]["id"].as_str().unwrap().to_owned();

    let (_, safeguards) = inv.call("GET", "/api/identities/safeguards", None).await;
    let keys: BTreeSet<String> = safeguards["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_owned())
        .collect();
    assert!(keys.contains("no_inducement"), "{keys:?}");
    let mut partial = keys.clone();
    partial.remove("no_inducement");
    let open = |platform: &str, ack: &BTreeSet<String>| json!({"case": case, "platform": platform, "acknowledged": ack});
    let path = format!("/api/identities/{id}/operations");
    let (status, e) = inv
        .call("POST", &path, Some(open("telegram", &partial)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        e["message"].as_str().unwrap().contains("no_inducement"),
        "{e}"
    );
    let (status, e) = inv
        .call("POST", &path, Some(open("instagram", &keys)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "platform not covered: {e}");
    let (status, _) = inv2
        .call("POST", &path, Some(open("telegram", &keys)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not the responsible officer");
    let (status, _) = other
        .call("POST", &path, Some(open("telegram", &keys)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another agency's identity");
    let (status, operation) = inv.call("POST", &path, Some(open("telegram", &keys))).await;
    assert_eq!(status, StatusCode::CREATED, "{operation}");
    assert_eq!(operation["permit"]["authorisation_number"], "SYN-2026-17");
    let op = operation["id"].as_str().unwrap().to_owned();

    let actions = format!("/api/identities/{id}/actions");
    let (status, logged) = inv
        .call(
            "POST",
            &actions,
            Some(json!({"operation": op, "action": "Answered the 'modelling abroad' ad; asked for terms"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{logged}");

    // The authorisation ends: no more actions, no new operation.
    state.clock.advance(Duration::from_secs(31 * 24 * 3600));
    let (status, _) = inv
        .call(
            "POST",
            &actions,
            Some(json!({"operation": op, "action": "late"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, e) = inv.call("POST", &path, Some(open("telegram", &keys))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(e["message"].as_str().unwrap().contains("expired"), "{e}");
    let (_, log) = inv.call("GET", &actions, None).await;
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["platform"], "telegram");
    let (_, timeline) = inv
        .call("GET", &format!("/api/cases/{case}/timeline"), None)
        .await;
    let done: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["details"]["action"].as_str())
        .collect();
    assert!(done.contains(&"identity_operation_opened") && done.contains(&"identity_action"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_shares_only_its_own_identifiers_as_a_valid_stix_bundle() {
    let common::Fixture {
        vault,
        dir,
        db: _db,
    } = common::fixture("sharing").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    let base = common::serve(&vault).await;
    let inv = Session::sign_in(&base, "inv").await;
    let (_, opened) = inv
        .call(
            "POST",
            "/api/cases",
            Some(json!({
                "title": "Webcam studio network (synthetic)",
                "resources": ["https://studio-synthetic.example/join"],
                "identifiers": [
                    {"kind": "handle", "value": "telegram:@Studio_Recruiter"},
                    {"kind": "phone", "value": "+7 700 000 0099"}
                ]
            })),
        )
        .await;
    let case = opened["case"]["id"].as_str().unwrap().to_owned();
    let indicator = |kind: Value, value: &str, role: &str| {
        json!({"kind": kind, "value": value, "role": role,
               "first_seen": "2026-11-20T10:00:00Z", "confidence": 80})
    };
    let share = |indicators: Vec<Value>| {
        json!({"title": "Webcam studio recruitment, Almaty", "tlp": "amber",
               "scenarios": ["modeling_webcam"], "indicators": indicators})
    };
    let (status, e) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/stix"),
            Some(share(vec![indicator(
                json!({"type": "phone"}),
                "+77000000001",
                "recruiting",
            )])),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not the case's: {e}");
    let (status, bundle) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/stix"),
            Some(share(vec![
                indicator(
                    json!({"type": "url"}),
                    "https://studio-synthetic.example/join",
                    "recruiting",
                ),
                indicator(
                    json!({"type": "handle", "platform": "telegram"}),
                    "studio_recruiter",
                    "recruiting",
                ),
                indicator(json!({"type": "phone"}), "+77000000099", "control"),
            ])),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    assert_eq!(bundle["type"], "bundle");
    let text = bundle.to_string();
    assert!(text.contains("marking-definition"), "TLP marking");
    let path = dir.path().join("bundle.json");
    std::fs::write(&path, &text).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../qorgau-stix/tests/check_stix.py"
    );
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg("validate")
        .arg(&path)
        .output()
        .expect("python3 with stix2-validator (scripts/install-test-tools)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &report[path.to_str().unwrap()];
    assert_eq!(result["valid"], true, "{result}");
    // Exporting the unchanged case again names the same objects.
    let (_, again) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/stix"),
            Some(share(vec![indicator(
                json!({"type": "phone"}),
                "+77000000099",
                "control",
            )])),
        )
        .await;
    let ids = |b: &Value| -> BTreeSet<String> {
        b["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["type"] == "phone-number")
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&again), ids(&bundle));
    assert!(!ids(&bundle).is_empty());
}

/// Registers an agency of `kind` over the API as `admin`.
async fn register(admin: &Session, kind: &str) {
    let (status, body) = admin
        .call(
            "POST",
            "/api/agencies",
            Some(json!({
                "code": kind.replace('_', "-"),
                "kind": kind,
                "name_ru": format!("Синтетическое ведомство {kind}"),
                "name_kk": format!("Синтетикалық мекеме {kind}"),
                "name_en": format!("Synthetic agency {kind}"),
                "region": null,
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sweep_routes_open_cases_again_when_an_agency_they_waited_for_is_registered() {
    use qorgau_server::rerouting;

    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("rerouting").await;
    let (base, state) = common::serve_state(&vault).await;
    // Only some agencies exist yet: the prosecutor and financial
    // monitoring are not registered.
    for kind in ["mvd_cyber", "child_rights_committee"] {
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
    common::add_user(&vault, "adm", "mvd-cyber", &["administrator"]).await;
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    let adm = Session::sign_in(&base, "adm").await;
    let inv = Session::sign_in(&base, "inv").await;

    let facts = json!({"scenario": "sexual_exploitation", "minor_involved": true,
                       "crypto_involved": true, "region": "KZ-75"});
    let mut cases = Vec::new();
    for title in ["Sweep case A", "Sweep case B"] {
        let (status, opened) = inv
            .call(
                "POST",
                "/api/cases",
                Some(json!({"title": title, "facts": facts})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        assert_eq!(kinds(&opened["sent"]), ["child_rights_committee"]);
        cases.push(opened["case"]["id"].as_str().unwrap().to_owned());
    }
    let (_, page) = inv
        .call("GET", &format!("/api/cases/{}", cases[0]), None)
        .await;
    assert_eq!(
        held_of(&page),
        [
            ("fiu".to_owned(), "no_agency".to_owned()),
            ("prosecutor".to_owned(), "no_agency".to_owned()),
        ]
    );

    // Nothing to send while the directory is unchanged.
    let before = rerouting::plan(&state).await.unwrap();
    assert_eq!(before.open_cases, 2);
    assert!(before.pending.is_empty(), "{:?}", before.pending);
    assert_eq!(before.held.get("no_agency"), Some(&4));

    // The prosecutor's office is registered: both cases now require it.
    register(&adm, "prosecutor").await;
    let after = rerouting::plan(&state).await.unwrap();
    assert_ne!(
        after.basis, before.basis,
        "the directory is part of the basis"
    );
    assert_eq!(after.held.get("no_agency"), Some(&2), "fiu still missing");
    let pending: Vec<(String, Vec<String>)> = after
        .pending
        .iter()
        .map(|p| (p.case_id.to_string(), p.agency_kinds.clone()))
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");
    for case in &cases {
        assert!(
            pending.contains(&(case.clone(), vec!["prosecutor".to_owned()])),
            "{case} in {pending:?}"
        );
    }

    // Case A routed twice at once (a sweep's job and an edit, say): one
    // referral, no error.
    let actor = rerouting::system_actor(&state);
    let a = qorgau_core::Id::parse(&cases[0]).unwrap();
    let (one, two) = tokio::join!(
        rerouting::route_one(&state, a, &actor),
        rerouting::route_one(&state, a, &actor)
    );
    let sent = one.unwrap().unwrap().sent.len() + two.unwrap().unwrap().sent.len();
    assert_eq!(sent, 1);
    let referrals = vault.store.referrals_of_case(a).await.unwrap();
    let mut to: Vec<&str> = referrals.iter().map(|r| r.agency_kind.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["child_rights_committee", "prosecutor"]);
    // Routed again: nothing more.
    let again = rerouting::route_one(&state, a, &actor)
        .await
        .unwrap()
        .unwrap();
    assert!(again.sent.is_empty());
    assert_eq!(again.held.len(), 1, "fiu is still held");
    let left = rerouting::plan(&state).await.unwrap();
    assert_eq!(left.pending.len(), 1, "only case B is left");
    assert_eq!(left.pending[0].case_id.to_string(), cases[1]);

    // The referral is in the case's ledger as the routing system's, with
    // the rule that made it.
    let (_, timeline) = inv
        .call("GET", &format!("/api/cases/{}/timeline", cases[0]), None)
        .await;
    let text = timeline.to_string();
    assert!(text.contains(rerouting::SYSTEM_USER), "{text}");
    assert!(text.contains("minor-prosecutor-oversight"), "{text}");

    // A closed case is left alone; an unknown one is None.
    let b = qorgau_core::Id::parse(&cases[1]).unwrap();
    let unknown = rerouting::route_one(&state, qorgau_core::Id::new(), &actor)
        .await
        .unwrap();
    assert!(unknown.is_none());
    let (status, closed) = inv
        .call(
            "PATCH",
            &format!("/api/cases/{}", cases[1]),
            Some(json!({"status": "closed", "version": page_version(&inv, &cases[1]).await})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let run = rerouting::route_one(&state, b, &actor)
        .await
        .unwrap()
        .unwrap();
    assert!(run.sent.is_empty(), "a closed case is not routed");
    assert!(rerouting::plan(&state).await.unwrap().pending.is_empty());

    // The sweep over the API: administrators only, one at a time.
    let (status, queued) = adm.call("POST", "/api/routing/sweep", None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    assert_eq!(queued["already_queued"], false);
    let (status, again) = adm.call("POST", "/api/routing/sweep", None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{again}");
    assert_eq!(again["already_queued"], true);
    assert_eq!(again["job"], queued["job"]);
    let (status, job) = adm
        .call(
            "GET",
            &format!("/api/jobs/{}", queued["job"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["kind"], rerouting::SWEEP_KIND);
    assert_eq!(job["state"], "queued");
    let (status, _) = inv.call("POST", "/api/routing/sweep", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The version a change of the case must name.
async fn page_version(session: &Session, case: &str) -> Value {
    let (_, page) = session
        .call("GET", &format!("/api/cases/{case}"), None)
        .await;
    page["case"]["version"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_checks_sees_the_affected_cases_and_saves_new_routing_rules() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("rules").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "adm", "mvd-cyber", &["administrator"]).await;
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    let (base, state) = common::serve_state(&vault).await;
    let adm = Session::sign_in(&base, "adm").await;
    let inv = Session::sign_in(&base, "inv").await;

    // A crypto case and a plain one, routed by the built-in rules.
    let mut cases = Vec::new();
    for facts in [
        json!({"scenario": "labour_exploitation", "crypto_involved": true}),
        json!({"scenario": "labour_exploitation"}),
    ] {
        let (status, opened) = inv
            .call(
                "POST",
                "/api/cases",
                Some(json!({"title": "Rules case", "facts": facts})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        cases.push(opened["case"]["id"].as_str().unwrap().to_owned());
    }

    let (status, rules) = inv.call("GET", "/api/routing/rules", None).await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    assert_eq!(rules["source"], "built-in");
    assert_eq!(rules["history"], json!([]));
    let text = rules["text"].as_str().unwrap().to_owned();
    let sha = rules["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha, qorgau_store::rule_text_sha256(&text));

    // A broken text: every problem with its line, nothing saved.
    let broken = text.replace("agency = \"fiu\"", "agency = \"fiu_typo\"");
    let (status, check) = adm
        .call(
            "POST",
            "/api/routing/rules/check",
            Some(json!({"text": broken})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(check["ok"], false);
    let errors = check["errors"].to_string();
    assert!(
        errors.contains("fiu_typo") && errors.contains("rules.toml:"),
        "{errors}"
    );
    let (status, refused) = adm
        .call(
            "PUT",
            "/api/routing/rules",
            Some(json!({"text": broken, "based_on": sha, "note": "typo"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");

    // Crypto cases go to Interpol's bureau too: the check names the crypto
    // case and only it.
    let edited = text.replace("version = \"2025.1-default\"", "version = \"2026.2-test\"")
        + r#"
[[rule]]
id = "crypto-interpol-test"
description = "Synthetic test rule: crypto cases to the Interpol bureau"
source = "test"
when = { crypto_involved = true }

[[rule.send]]
agency = "interpol_ncb"
scopes = ["identifiers"]
acknowledge_within = "1 working day"
act_within = "10 working days"
"#;
    let (status, check) = adm
        .call(
            "POST",
            "/api/routing/rules/check",
            Some(json!({"text": edited})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["version"], "2026.2-test");
    let impact = check["impact"].as_array().unwrap();
    assert_eq!(impact.len(), 1, "{impact:?}");
    assert_eq!(impact[0]["case_id"], cases[0].as_str());
    assert_eq!(impact[0]["would_send"], json!(["interpol_ncb"]));
    // Checking saved nothing.
    let (_, still) = inv.call("GET", "/api/routing/rules", None).await;
    assert_eq!(still["sha256"], sha.as_str());

    // Only administrators check and save; a save needs a reason and the
    // rules it started from.
    let (status, _) = inv
        .call(
            "POST",
            "/api/routing/rules/check",
            Some(json!({"text": edited})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = adm
        .call(
            "PUT",
            "/api/routing/rules",
            Some(json!({"text": edited, "based_on": sha, "note": "  "})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, stale) = adm
        .call(
            "PUT",
            "/api/routing/rules",
            Some(
                json!({"text": edited, "based_on": "0".repeat(64), "note": "Interpol for crypto"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");

    let (status, saved) = adm
        .call(
            "PUT",
            "/api/routing/rules",
            Some(json!({"text": edited, "based_on": sha, "note": "Interpol for crypto"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["saved"]["seq"], 1);
    assert_eq!(saved["saved"]["saved_by"], "adm");
    assert_eq!(saved["saved"]["based_on"], sha.as_str());
    let sweep = saved["sweep_job"].as_str().expect("a sweep is queued");
    let (_, job) = adm.call("GET", &format!("/api/jobs/{sweep}"), None).await;
    assert_eq!(job["kind"], "routing-sweep");

    // In force here and for any other process on the database.
    let (_, now) = inv.call("GET", "/api/routing/rules", None).await;
    assert_eq!(now["version"], "2026.2-test");
    assert_eq!(now["source"], "saved rule set 1");
    assert_eq!(now["history"][0]["note"], "Interpol for crypto");
    let other =
        qorgau_server::state(vault.clone(), qorgau_server::ServerConfig::default()).unwrap();
    assert_eq!(
        other.routing.loaded().seq,
        0,
        "a fresh process loads the built-in rules"
    );
    let in_force = qorgau_server::rules::in_force(&other).await.unwrap();
    assert_eq!(in_force.rules.version, "2026.2-test");
    // The sweep's work, done here by hand: the crypto case goes to Interpol.
    let plan = qorgau_server::rerouting::plan(&state).await.unwrap();
    assert_eq!(plan.pending.len(), 1);
    let a = qorgau_core::Id::parse(&cases[0]).unwrap();
    let run = qorgau_server::rerouting::route_one(
        &other,
        a,
        &qorgau_server::rerouting::system_actor(&other),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(run.sent.len(), 1);
    assert_eq!(run.sent[0].agency_kind, "interpol_ncb");

    // The edit that began before the save is refused, naming who saved.
    let (status, late) = adm
        .call(
            "PUT",
            "/api/routing/rules",
            Some(json!({"text": text, "based_on": sha, "note": "back"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{late}");
    assert!(late.to_string().contains("adm"), "{late}");

    // Saved rule sets cannot be altered or removed behind the server's back.
    for sql in [
        "UPDATE routing_rule_sets SET note = 'rewritten'",
        "DELETE FROM routing_rule_sets",
    ] {
        let err = vault.store.execute_unchecked(sql.into()).await.unwrap_err();
        assert!(
            err.to_string().contains("routing_rule_sets") || err.to_string().contains("rule sets"),
            "{sql}: {err}"
        );
    }
    assert_eq!(vault.store.rule_set_history(10).await.unwrap().len(), 1);
}
