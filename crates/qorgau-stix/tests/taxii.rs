//! TAXII 2.1 logic: access per sharing group, add and status, filters,
//! versions, pagination, content negotiation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use common::{at, synthetic_case};
use qorgau_stix::taxii::{
    ApiRootConfig, MemoryStorage, Request, Requester, Response, ServerConfig, SharingGroup,
    TaxiiServer,
};
use qorgau_stix::{TAXII_MEDIA_TYPE, Tlp, export_bundle};
use serde_json::{Value, json};
use uuid::Uuid;

pub const ALMATY: Uuid = Uuid::from_u128(0xa1);
pub const LIAISON: Uuid = Uuid::from_u128(0xb2);

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn server() -> TaxiiServer<MemoryStorage> {
    let config = ServerConfig {
        base_url: "https://taxii.qorgau.example".into(),
        title: "Qorgau TAXII (test)".into(),
        description: None,
        contact: None,
        max_page_size: 50,
        api_roots: vec![ApiRootConfig {
            name: "qorgau".into(),
            title: "Qorgau sharing groups".into(),
            description: None,
            max_content_length: 1_000_000,
            groups: vec![
                SharingGroup {
                    id: ALMATY,
                    alias: Some("almaty".into()),
                    title: "Almaty region (synthetic)".into(),
                    description: None,
                    readers: set(&["police", "ngo"]),
                    writers: set(&["police"]),
                    max_tlp: Tlp::Amber,
                },
                SharingGroup {
                    id: LIAISON,
                    alias: None,
                    title: "International liaison (synthetic)".into(),
                    description: None,
                    readers: set(&["liaison"]),
                    writers: set(&["liaison", "police"]),
                    max_tlp: Tlp::Red,
                },
            ],
        }],
    };
    TaxiiServer::new(config, MemoryStorage::new())
}

struct Call<'a> {
    method: &'a str,
    path: String,
    query: Vec<(String, String)>,
    who: &'a str,
    body: Vec<u8>,
    accept: Option<&'a str>,
    content_type: Option<&'a str>,
    now: DateTime<Utc>,
}

fn get<'a>(who: &'a str, path: &str, query: &[(&str, &str)]) -> Call<'a> {
    Call {
        method: "GET",
        path: path.into(),
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        who,
        body: Vec::new(),
        accept: Some(TAXII_MEDIA_TYPE),
        content_type: None,
        now: at(2026, 4, 1, 0),
    }
}

fn post<'a>(who: &'a str, collection: Uuid, objects: &[Value], now: DateTime<Utc>) -> Call<'a> {
    Call {
        method: "POST",
        path: format!("/qorgau/collections/{collection}/objects/"),
        query: Vec::new(),
        who,
        body: serde_json::to_vec(&json!({ "objects": objects })).unwrap(),
        accept: Some(TAXII_MEDIA_TYPE),
        content_type: Some(TAXII_MEDIA_TYPE),
        now,
    }
}

fn send(server: &mut TaxiiServer<MemoryStorage>, call: &Call<'_>) -> (u16, Value, Response) {
    let requester = Requester::new(call.who);
    let request = Request {
        method: call.method,
        path: &call.path,
        query: &call.query,
        accept: call.accept,
        content_type: call.content_type,
        body: &call.body,
        requester: &requester,
        now: call.now,
        status_id: Uuid::from_u128(call.now.timestamp_micros() as u128),
    };
    let response = server.handle(&request);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    (response.status, body, response)
}

fn objects_path(c: Uuid) -> String {
    format!("/qorgau/collections/{c}/objects/")
}

fn ids(envelope: &Value) -> Vec<String> {
    envelope["objects"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every object of a listing, following `next` with the server's default
/// page size.
fn walk(s: &mut TaxiiServer<MemoryStorage>, path: &str, query: &[(&str, &str)]) -> Value {
    let mut objects = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut q = query.to_vec();
        if let Some(n) = next.as_deref() {
            q.push(("next", n));
        }
        let (code, page, _) = send(s, &get("ngo", path, &q));
        assert_eq!(code, 200);
        objects.extend(page["objects"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(n) => next = Some(n.to_owned()),
            None => break,
        }
    }
    json!({ "objects": objects })
}

#[test]
fn discovery_root_and_collections_per_requester() {
    let mut s = server();
    let (status, body, response) = send(&mut s, &get("police", "/taxii2/", &[]));
    assert_eq!(status, 200);
    assert_eq!(response.header("content-type"), Some(TAXII_MEDIA_TYPE));
    assert_eq!(
        body["api_roots"],
        json!(["https://taxii.qorgau.example/qorgau/"])
    );
    assert_eq!(body["default"], "https://taxii.qorgau.example/qorgau/");
    let (_, root, _) = send(&mut s, &get("police", "/qorgau/", &[]));
    assert_eq!(root["versions"], json!([TAXII_MEDIA_TYPE]));
    assert_eq!(root["max_content_length"], 1_000_000);

    let (_, police, _) = send(&mut s, &get("police", "/qorgau/collections/", &[]));
    let rights: Vec<(String, bool, bool)> = police["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["title"].as_str().unwrap().to_owned(),
                c["can_read"] == true,
                c["can_write"] == true,
            )
        })
        .collect();
    assert_eq!(
        rights,
        vec![
            ("Almaty region (synthetic)".into(), true, true),
            ("International liaison (synthetic)".into(), false, true)
        ]
    );
    let (_, ngo, _) = send(&mut s, &get("ngo", "/qorgau/collections/", &[]));
    assert_eq!(ngo["collections"].as_array().unwrap().len(), 1);
    assert_eq!(ngo["collections"][0]["can_write"], false);
    assert_eq!(
        ngo["collections"][0]["media_types"],
        json!(["application/stix+json;version=2.1"])
    );
    let (_, stranger, _) = send(&mut s, &get("stranger", "/qorgau/collections/", &[]));
    assert_eq!(stranger, json!({}));

    // A group one is not in looks like a missing one; by alias too.
    let (status, _, _) = send(
        &mut s,
        &get("ngo", &format!("/qorgau/collections/{LIAISON}/"), &[]),
    );
    assert_eq!(status, 404);
    let (status, body, _) = send(&mut s, &get("ngo", "/qorgau/collections/almaty/", &[]));
    assert_eq!(
        (status, body["id"].as_str()),
        (200, Some(ALMATY.to_string().as_str()))
    );
    // Write-only membership does not read.
    let (status, body, _) = send(&mut s, &get("police", &objects_path(LIAISON), &[]));
    assert_eq!((status, body["http_status"].as_str()), (403, Some("403")));
    let (status, _, _) = send(&mut s, &get("police", "/nope/", &[]));
    assert_eq!(status, 404);
}

#[test]
fn add_status_duplicates_and_rights() {
    let mut s = server();
    let bundle = export_bundle(&synthetic_case(Tlp::Amber)).unwrap();
    let n = bundle.objects.len() as u64;
    let (code, status, _) = send(
        &mut s,
        &post("police", ALMATY, &bundle.objects, at(2026, 4, 1, 0)),
    );
    assert_eq!(code, 202);
    assert_eq!(status["status"], "complete");
    assert_eq!(
        (
            status["total_count"].as_u64(),
            status["success_count"].as_u64()
        ),
        (Some(n), Some(n))
    );
    assert_eq!(status["failure_count"], 0);
    assert_eq!(status["pending_count"], 0);
    let status_id = status["id"].as_str().unwrap().to_owned();

    let (code, again, _) = send(
        &mut s,
        &get("police", &format!("/qorgau/status/{status_id}/"), &[]),
    );
    assert_eq!((code, &again), (200, &status));
    let (code, _, _) = send(
        &mut s,
        &get("ngo", &format!("/qorgau/status/{status_id}/"), &[]),
    );
    assert_eq!(code, 404, "a status is its sender's");

    let (_, dup, _) = send(
        &mut s,
        &post("police", ALMATY, &bundle.objects, at(2026, 4, 1, 1)),
    );
    assert_eq!(dup["success_count"].as_u64(), Some(n));
    assert!(
        dup["successes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["message"] == "This version was already present.")
    );
    assert_eq!(
        s.storage().versions(ALMATY).len() as u64,
        n,
        "nothing stored twice"
    );

    let (code, _, _) = send(
        &mut s,
        &post("ngo", ALMATY, &bundle.objects, at(2026, 4, 1, 2)),
    );
    assert_eq!(code, 403);
    let (code, _, _) = send(
        &mut s,
        &post("stranger", ALMATY, &bundle.objects, at(2026, 4, 1, 2)),
    );
    assert_eq!(code, 404);
}

#[test]
fn tlp_above_the_group_is_refused_and_bad_objects_fail_alone() {
    let mut s = server();
    let red = export_bundle(&synthetic_case(Tlp::Red)).unwrap();
    let mut objects = red.objects.clone();
    objects.push(
        json!({ "type": "indicator", "id": "malware--00000000-0000-4000-8000-000000000000" }),
    );
    objects.push(json!({ "type": "indicator", "id": "indicator--not-a-uuid" }));
    objects.push(json!({ "type": "indicator", "spec_version": "2.0", "id": "indicator--00000000-0000-4000-8000-000000000001", "modified": "2026-01-01T00:00:00.000Z" }));
    objects.push(json!({ "type": "indicator", "id": "indicator--00000000-0000-4000-8000-000000000002", "modified": "yesterday" }));
    objects.push(json!({ "no": "type" }));
    let (code, status, _) = send(&mut s, &post("police", ALMATY, &objects, at(2026, 4, 1, 0)));
    assert_eq!(code, 202);
    let marked = red
        .objects
        .iter()
        .filter(|o| o.get("object_marking_refs").is_some())
        .count() as u64;
    assert_eq!(status["failure_count"].as_u64(), Some(marked + 5));
    assert_eq!(
        status["success_count"].as_u64(),
        Some(red.objects.len() as u64 - marked)
    );
    let messages: BTreeSet<&str> = status["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .contains("Marked TLP:RED, more restrictive than this collection allows (TLP:AMBER)."),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("does not start with the type"))
    );
    assert!(messages.iter().any(|m| m.contains("UUID")));
    assert!(messages.iter().any(|m| m.contains("STIX 2.1 only")));
    assert!(messages.iter().any(|m| m.contains("not a STIX timestamp")));
    assert!(messages.iter().any(|m| m.contains("no type")));
    // The liaison group takes RED.
    let (_, status, _) = send(
        &mut s,
        &post("police", LIAISON, &red.objects, at(2026, 4, 1, 0)),
    );
    assert_eq!(status["failure_count"], 0);
}

fn loaded() -> (
    TaxiiServer<MemoryStorage>,
    qorgau_stix::Bundle,
    qorgau_stix::Bundle,
) {
    let mut s = server();
    let case = synthetic_case(Tlp::Amber);
    let v1 = export_bundle(&case).unwrap();
    let mut later = case.clone();
    later.modified = at(2026, 4, 10, 0);
    later.indicators[0].confidence = 95;
    let v2 = export_bundle(&later).unwrap();
    send(
        &mut s,
        &post("police", ALMATY, &v1.objects, at(2026, 4, 1, 0)),
    );
    send(
        &mut s,
        &post("police", ALMATY, &v2.objects, at(2026, 4, 10, 0)),
    );
    (s, v1, v2)
}

#[test]
fn versions_and_version_filters() {
    let (mut s, v1, v2) = loaded();
    let all_ids: BTreeSet<String> = v1
        .objects
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    // Default: the last version of every object, once.
    let latest = walk(&mut s, &objects_path(ALMATY), &[]);
    let latest_ids = ids(&latest);
    assert_eq!(latest_ids.len(), all_ids.len());
    assert_eq!(latest_ids.iter().cloned().collect::<BTreeSet<_>>(), all_ids);
    let report_id = v1.objects_of_type("report").next().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let report = latest["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == report_id.as_str())
        .unwrap();
    assert_eq!(report["modified"], "2026-04-10T00:00:00.000Z");

    let all = walk(&mut s, &objects_path(ALMATY), &[("match[version]", "all")]);
    // Objects identical in both exports (observables, markings, identities,
    // definitions) are stored once; the rest have a second version.
    let changed = v2
        .objects
        .iter()
        .filter(|o| !v1.objects.contains(o))
        .count();
    assert_eq!(changed, 12 + 12 + 16 + 1);
    assert_eq!(ids(&all).len(), all_ids.len() + changed);

    let (_, first, _) = send(
        &mut s,
        &get(
            "ngo",
            &objects_path(ALMATY),
            &[("match[version]", "first"), ("match[id]", &report_id)],
        ),
    );
    assert_eq!(first["objects"][0]["modified"], "2026-03-20T12:00:00.000Z");
    let (_, both, _) = send(
        &mut s,
        &get(
            "ngo",
            &objects_path(ALMATY),
            &[("match[version]", "first,last"), ("match[id]", &report_id)],
        ),
    );
    assert_eq!(ids(&both).len(), 2);
    let (_, exact, _) = send(
        &mut s,
        &get(
            "ngo",
            &objects_path(ALMATY),
            &[
                ("match[version]", "2026-03-20T12:00:00Z"),
                ("match[type]", "report,indicator"),
            ],
        ),
    );
    assert_eq!(ids(&exact).len(), 13);
    assert!(
        exact["objects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["modified"] == "2026-03-20T12:00:00.000Z")
    );

    let (code, versions, response) = send(
        &mut s,
        &get(
            "ngo",
            &format!("{}{report_id}/versions/", objects_path(ALMATY)),
            &[],
        ),
    );
    assert_eq!(code, 200);
    assert_eq!(
        versions["versions"],
        json!(["2026-03-20T12:00:00.000Z", "2026-04-10T00:00:00.000Z"])
    );
    assert!(
        response.header("X-TAXII-Date-Added-First").unwrap()
            < response.header("X-TAXII-Date-Added-Last").unwrap()
    );
    let (code, one, _) = send(
        &mut s,
        &get("ngo", &format!("{}{report_id}/", objects_path(ALMATY)), &[]),
    );
    assert_eq!((code, one["objects"].as_array().unwrap().len()), (200, 1));
    let (code, _, _) = send(
        &mut s,
        &get(
            "ngo",
            &format!(
                "{}report--00000000-0000-4000-8000-000000000000/",
                objects_path(ALMATY)
            ),
            &[],
        ),
    );
    assert_eq!(code, 404);

    let (_, manifest, _) = send(
        &mut s,
        &get(
            "ngo",
            &format!("/qorgau/collections/{ALMATY}/manifest/"),
            &[("match[id]", &report_id), ("match[version]", "all")],
        ),
    );
    let records = manifest["objects"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["version"], "2026-04-10T00:00:00.000Z");
    assert_eq!(
        records[1]["media_type"],
        "application/stix+json;version=2.1"
    );
    assert!(
        records[0]["date_added"].as_str().unwrap().len() == 27,
        "microseconds: {}",
        records[0]["date_added"]
    );
}

#[test]
fn added_after_and_type_and_id_filters() {
    let (mut s, v1, _) = loaded();
    let cut = "2026-04-05T00:00:00Z";
    let (_, newer, _) = send(
        &mut s,
        &get("ngo", &objects_path(ALMATY), &[("added_after", cut)]),
    );
    let t = |o: &Value| o["type"].as_str().unwrap().to_owned();
    let types: BTreeSet<String> = newer["objects"].as_array().unwrap().iter().map(t).collect();
    assert!(
        !types.contains("domain-name"),
        "observables were added before the cut: {types:?}"
    );
    assert!(types.contains("indicator") && types.contains("report"));
    let (_, indicators, _) = send(
        &mut s,
        &get(
            "ngo",
            &objects_path(ALMATY),
            &[("match[type]", "indicator")],
        ),
    );
    assert_eq!(ids(&indicators).len(), 12);
    let some: Vec<&str> = v1
        .objects
        .iter()
        .take(3)
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let (_, by_id, _) = send(
        &mut s,
        &get(
            "ngo",
            &objects_path(ALMATY),
            &[("match[id]", &some.join(","))],
        ),
    );
    assert_eq!(
        ids(&by_id)
            .iter()
            .map(String::as_str)
            .collect::<BTreeSet<_>>(),
        some.into_iter().collect()
    );
    let (_, none, _) = send(
        &mut s,
        &get(
            "ngo",
            &objects_path(ALMATY),
            &[("match[spec_version]", "2.0")],
        ),
    );
    assert_eq!(none, json!({ "more": false }));
}

#[test]
fn pagination_walks_everything_once() {
    let (mut s, _, _) = loaded();
    let expected = ids(&walk(
        &mut s,
        &objects_path(ALMATY),
        &[("match[version]", "all")],
    ));
    assert!(
        expected.len() > 60,
        "more than one server page ({})",
        expected.len()
    );
    // limit above max_page_size is clamped to 50.
    let (_, clamp, _) = send(
        &mut s,
        &get(
            "ngo",
            &objects_path(ALMATY),
            &[("match[version]", "all"), ("limit", "1000")],
        ),
    );
    assert_eq!(ids(&clamp).len(), 50);
    assert_eq!(clamp["more"], true);

    let mut walked = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q = vec![("match[version]", "all"), ("limit", "7")];
        if let Some(n) = next.as_deref() {
            q.push(("next", n));
        }
        let (code, page, response) = send(&mut s, &get("ngo", &objects_path(ALMATY), &q));
        assert_eq!(code, 200);
        let page_ids = ids(&page);
        assert!(page_ids.len() <= 7);
        assert!(response.header("X-TAXII-Date-Added-First").is_some());
        walked.extend(page_ids);
        pages += 1;
        if page["more"] == true {
            next = Some(page["next"].as_str().unwrap().to_owned());
        } else {
            assert!(page.get("next").is_none());
            break;
        }
    }
    assert_eq!(walked, expected);
    assert_eq!(pages, expected.len().div_ceil(7));
}

#[test]
fn date_added_is_unique_even_in_one_request() {
    let (s, _, _) = loaded();
    let stored = s.storage().versions(ALMATY);
    let mut dates: Vec<DateTime<Utc>> = stored.iter().map(|o| o.date_added).collect();
    let n = dates.len();
    dates.sort();
    dates.dedup();
    assert_eq!(dates.len(), n);
    assert!(
        dates
            .windows(2)
            .all(|w| w[1] - w[0] >= Duration::microseconds(1))
    );
}

#[test]
fn bad_requests_and_negotiation() {
    let (mut s, _, _) = loaded();
    let path = objects_path(ALMATY);
    for (name, value) in [
        ("limit", "0"),
        ("limit", "-3"),
        ("limit", "ten"),
        ("added_after", "2026-04-05"),
        ("next", "garbage"),
        ("match[version]", "newest"),
    ] {
        let (code, body, _) = send(&mut s, &get("ngo", &path, &[(name, value)]));
        assert_eq!(code, 400, "{name}={value}");
        assert!(
            body["description"].as_str().unwrap().contains(value),
            "{body}"
        );
    }
    let mut call = get("ngo", &path, &[]);
    call.accept = Some("application/json");
    assert_eq!(send(&mut s, &call).0, 406);
    call.accept = Some("application/taxii+json;version=2.0");
    assert_eq!(send(&mut s, &call).0, 406);
    call.accept = Some("text/html, application/taxii+json");
    assert_eq!(send(&mut s, &call).0, 200);
    call.accept = None;
    assert_eq!(send(&mut s, &call).0, 200);

    let mut call = post("police", ALMATY, &[], at(2026, 5, 1, 0));
    call.content_type = Some("application/json");
    assert_eq!(send(&mut s, &call).0, 415);
    call.content_type = Some(TAXII_MEDIA_TYPE);
    call.body = b"{not json".to_vec();
    assert_eq!(send(&mut s, &call).0, 400);
    call.body = b"[]".to_vec();
    assert_eq!(send(&mut s, &call).0, 400);
    call.body = vec![b' '; 1_000_001];
    assert_eq!(send(&mut s, &call).0, 413);
    call.method = "DELETE";
    assert_eq!(send(&mut s, &call).0, 405);
    let (code, _, _) = send(
        &mut s,
        &get("ngo", "/qorgau/collections/almaty/objects/x/y/z/", &[]),
    );
    assert_eq!(code, 404);
}
