//! The SQL form of the TAXII collections against the in-memory reference
//! (`qorgau_stix::taxii::MemoryStorage`), on SQLite by default and on
//! PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set: the same versions
//! stored in both, the same queries, the same pages.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use chrono::{DateTime, Duration, TimeZone, Utc};
use qorgau_stix::Tlp;
use qorgau_stix::taxii::{
    AddOutcome, Allowed, MemoryStorage, NewVersion, ObjectQuery, Paging, Status, Storage,
    StoredStatus,
};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{SharingGroupRow, Store};
use serde_json::json;
use uuid::Uuid;

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).single().unwrap() + Duration::seconds(seconds)
}

fn indicator(n: u32, modified: Option<&str>) -> NewVersion {
    let id = format!("indicator--00000000-0000-4000-8000-{n:012}");
    let mut object = json!({"type": "indicator", "spec_version": "2.1", "id": id,
        "created": "2026-10-01T00:00:00.000Z", "pattern_type": "stix",
        "pattern": format!("[domain-name:value = 'mirror{n}.example']")});
    if let Some(m) = modified {
        object["modified"] = json!(m);
    }
    let text = modified.unwrap_or("2026-10-01T00:00:00.000Z");
    NewVersion {
        id,
        object_type: "indicator".into(),
        spec_version: "2.1".into(),
        version: qorgau_stix::time::parse_timestamp(text),
        version_text: Some(text.into()),
        object,
    }
}

fn observable(n: u32) -> NewVersion {
    let id = format!("domain-name--00000000-0000-4000-9000-{n:012}");
    NewVersion {
        id: id.clone(),
        object_type: "domain-name".into(),
        spec_version: "2.1".into(),
        version: None,
        version_text: None,
        object: json!({"type": "domain-name", "spec_version": "2.1", "id": id, "value": format!("kyzdar{n}.example")}),
    }
}

fn group() -> SharingGroupRow {
    SharingGroupRow {
        id: Uuid::now_v7(),
        alias: Some("almaty-region".into()),
        title: "Almaty region".into(),
        description: Some("police, prosecutors, NGOs".into()),
        max_tlp: Tlp::Amber,
        members: Vec::new(),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn sql_collections_answer_as_the_reference_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let g = group();
    store.add_sharing_group(&g, "admin").await.unwrap();
    assert!(matches!(
        store
            .add_sharing_group(
                &SharingGroupRow {
                    id: Uuid::now_v7(),
                    ..g.clone()
                },
                "admin"
            )
            .await,
        Err(qorgau_store::StoreError::Conflict(_))
    ));
    let groups = store.sharing_groups().await.unwrap();
    assert_eq!(groups, vec![g.clone()]);

    // Versions of four indicators and three observables, several added at
    // the same instant (the store must still give each its own date_added).
    let mut memory = MemoryStorage::new();
    let adds: Vec<(NewVersion, DateTime<Utc>)> = vec![
        (indicator(1, None), at(0)),
        (indicator(2, Some("2026-10-02T00:00:00.000Z")), at(0)),
        (observable(1), at(0)),
        (indicator(1, Some("2026-10-05T00:00:00.000Z")), at(10)),
        (indicator(2, Some("2026-10-01T12:00:00.000Z")), at(10)),
        (observable(2), at(20)),
        (indicator(3, Some("2026-10-03T00:00:00Z")), at(20)),
        (indicator(1, Some("2026-10-03T00:00:00.000Z")), at(30)),
        (observable(3), at(30)),
        (indicator(4, None), at(40)),
    ];
    for (version, now) in &adds {
        let sql = store.taxii_add_version(g.id, version, *now).await.unwrap();
        let mem = memory.add_version(g.id, version.clone(), *now).unwrap();
        assert_eq!(sql, mem, "adding {}", version.id);
    }
    // The same version again changes nothing; an unversioned object again
    // neither.
    for v in [indicator(1, None), observable(2)] {
        assert_eq!(
            store.taxii_add_version(g.id, &v, at(50)).await.unwrap(),
            AddOutcome::AlreadyPresent
        );
    }
    // A collection that does not exist is refused.
    assert!(
        store
            .taxii_add_version(Uuid::now_v7(), &observable(9), at(50))
            .await
            .is_err()
    );

    let queries: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("match[version]", "all")],
        vec![("match[version]", "first")],
        vec![("match[version]", "first,last")],
        vec![("match[version]", "2026-10-03T00:00:00.000Z")],
        vec![("match[version]", "2026-10-03T00:00:00Z,last")],
        vec![("match[type]", "domain-name")],
        vec![("match[type]", "indicator"), ("match[version]", "all")],
        vec![(
            "match[id]",
            "indicator--00000000-0000-4000-8000-000000000001,domain-name--00000000-0000-4000-9000-000000000003",
        )],
        vec![("match[spec_version]", "2.1"), ("match[version]", "first")],
        vec![("match[spec_version]", "2.0")],
        vec![("added_after", "2026-11-01T09:00:10.000000Z")],
        vec![
            ("added_after", "2026-11-01T09:00:00.000001Z"),
            ("match[version]", "all"),
        ],
    ];
    for list in &queries {
        let (query, _) = ObjectQuery::parse(&pairs(list), Allowed::LISTING, 100).unwrap();
        for limit in [1, 2, 3, 100] {
            // Walk every page, as a client following `next` does.
            let mut after = None;
            loop {
                let paging = Paging { limit, after };
                let sql = store.taxii_query(g.id, &query, paging).await.unwrap();
                let mem = memory.query(g.id, &query, paging).unwrap();
                assert_eq!(sql, mem, "query {list:?}, limit {limit}, after {after:?}");
                if !sql.more {
                    break;
                }
                after = sql.items.last().map(|o| o.date_added);
            }
        }
    }
    // Sanity of the reference itself on this data: the latest of
    // indicator 1 is its 10-05 version, and all versions number ten.
    let (all, _) =
        ObjectQuery::parse(&pairs(&[("match[version]", "all")]), Allowed::LISTING, 100).unwrap();
    let page = store
        .taxii_query(
            g.id,
            &all,
            Paging {
                limit: 100,
                after: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 10);
    let mut dates: Vec<_> = page.items.iter().map(|o| o.date_added).collect();
    dates.dedup();
    assert_eq!(dates.len(), 10, "date_added is unique in a collection");
    let (last, _) = ObjectQuery::parse(
        &pairs(&[(
            "match[id]",
            "indicator--00000000-0000-4000-8000-000000000001",
        )]),
        Allowed::LISTING,
        100,
    )
    .unwrap();
    let page = store
        .taxii_query(
            g.id,
            &last,
            Paging {
                limit: 100,
                after: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].object["modified"], "2026-10-05T00:00:00.000Z");

    // Statuses round-trip and are found by root and id only.
    let status = StoredStatus {
        api_root: "qorgau".into(),
        owner: "agency:one".into(),
        status: Status {
            id: Uuid::now_v7().to_string(),
            status: "complete".into(),
            request_timestamp: "2026-11-01T09:00:00.000000Z".into(),
            total_count: 1,
            success_count: 1,
            successes: Vec::new(),
            failure_count: 0,
            failures: Vec::new(),
            pending_count: 0,
            pendings: Vec::new(),
        },
    };
    store.taxii_save_status(&status).await.unwrap();
    assert_eq!(
        store
            .taxii_status("qorgau", &status.status.id)
            .await
            .unwrap(),
        Some(status.clone())
    );
    assert_eq!(
        store
            .taxii_status("other", &status.status.id)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn concurrent_writers_never_share_a_date_added() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let g = SharingGroupRow {
        alias: None,
        ..group()
    };
    store.add_sharing_group(&g, "admin").await.unwrap();
    let now = at(0);
    let mut tasks = Vec::new();
    for w in 0..4u32 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..25u32 {
                store
                    .taxii_add_version(g.id, &observable(w * 100 + n), now)
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (all, _) =
        ObjectQuery::parse(&pairs(&[("match[version]", "all")]), Allowed::LISTING, 1000).unwrap();
    let page = store
        .taxii_query(
            g.id,
            &all,
            Paging {
                limit: 1000,
                after: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 100);
    let mut dates: Vec<_> = page.items.iter().map(|o| o.date_added).collect();
    dates.sort();
    dates.dedup();
    assert_eq!(dates.len(), 100);
}
