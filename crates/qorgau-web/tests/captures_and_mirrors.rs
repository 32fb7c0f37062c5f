//! Two views of the investigator's workspace over a vault made in the test:
//! a captured page shown as it was captured on the page of any of its files
//! (the addresses as text, never links; the screenshot and the visible text
//! through the audited content endpoint; the capture's other files; the DOM
//! never embedded), and mirror-domain groups drawn as timelines on the
//! networks page (domains in first-seen order, with their dates in Almaty).
//!
//! The server is the one `qorgau serve` runs (`qorgau_server::serve` with
//! this crate's routes) on a loopback port; the capture's files and the
//! monitoring archive are synthetic, written through the vault's and the
//! store's own APIs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Almaty;
use qorgau_core::{CaseName, Id, Sha256Digest, Timestamp};
use qorgau_server::api::directory::{NewUser, create_user};
use qorgau_server::{ServerConfig, seed};
use qorgau_store::testing::TestDatabase;
use qorgau_store::{DocumentChange, DocumentWrite, JobRecord, RunRecord};
use qorgau_vault::{Vault, VaultConfig};
use reqwest::StatusCode;

const PASSWORD: &str = "Synthetic pass 2026";

struct Server {
    base: String,
    vault: Arc<Vault>,
    _dir: tempfile::TempDir,
    _db: TestDatabase,
}

/// A fresh vault with the agencies and one investigator, served with the
/// web interface beside the API.
async fn start() -> Server {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("vault");
    let db = TestDatabase::fresh(&data).await;
    let vault = Arc::new(
        Vault::open(&VaultConfig {
            data_dir: data,
            database_url: db.url.clone(),
            operator: Some("web-test".into()),
            s3: None,
        })
        .await
        .unwrap(),
    );
    seed::default_agencies(&vault).await.unwrap();
    let config = ServerConfig {
        secure_cookies: false,
        ..ServerConfig::default()
    };
    let state = qorgau_server::state(vault.clone(), config).unwrap();
    create_user(
        &state,
        NewUser {
            username: "inv".into(),
            display_name: "Synthetic investigator".into(),
            agency: "mvd-cyber".into(),
            roles: vec!["investigator".into(), "analyst".into()],
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(qorgau_server::serve(
        listener,
        state,
        qorgau_web::routes(qorgau_web::Services::default()),
    ));
    Server {
        base,
        vault,
        _dir: dir,
        _db: db,
    }
}

/// A browser signed in as the investigator; returns it and the CSRF token.
async fn sign_in(base: &str) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c
        .post(format!("{base}/api/auth/login"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"username": "inv", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = json_of(r).await;
    (c, body["csrf_token"].as_str().unwrap().to_owned())
}

/// A JSON answer (reqwest's `json` feature is not built here).
async fn json_of(r: reqwest::Response) -> serde_json::Value {
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

/// The page at `path` in `lang`.
async fn page(c: &reqwest::Client, base: &str, lang: &str, path: &str) -> (StatusCode, String) {
    let r = c
        .get(format!("{base}/lang/{lang}?next=/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(format!("{base}{path}")).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The catalogue layer renders a missing key as `{key}`.
fn missing_texts(html: &str) -> Vec<String> {
    html.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(inner, _)| inner))
        .filter(|inner| {
            !inner.is_empty()
                && inner.len() < 60
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .map(str::to_owned)
        .collect()
}

fn sha256(bytes: &[u8]) -> Sha256Digest {
    let mut reader = bytes;
    qorgau_vault::hashing::hash_reader(&mut reader).unwrap().0
}

struct Quiet;
impl qorgau_vault::AcquireObserver for Quiet {}

const URL: &str = "https://kyzdarzhan-synthetic.example/anketa/7";
const FINAL_URL: &str = "https://kyzdarzhan2-synthetic.example/anketa/7";
const DOM_MARKER: &str = "ONLY-IN-THE-DOM-7f3a";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_captured_page_is_shown_as_captured_without_running_its_code() {
    let server = start().await;
    let base = &server.base;
    let vault = &server.vault;
    let (c, csrf) = sign_in(base).await;
    let r = c
        .post(format!("{base}/api/cases"))
        .header("x-csrf-token", &csrf)
        .header("content-type", "application/json")
        .body(serde_json::json!({"title": "Captured page (synthetic)"}).to_string())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let opened = json_of(r).await;
    let case = opened["case"]["id"].as_str().unwrap().to_owned();
    let name = opened["case"]["name"].as_str().unwrap().to_owned();

    // A capture as `qorgau capture` writes it, with synthetic files.
    let id = Id::new();
    let dir = vault
        .data_dir
        .join("staging")
        .join(format!("run-{}", Id::new()))
        .join(format!("capture-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    let dom = format!(
        "<html><body><script>fetch('/api/users')</script>\
         <iframe srcdoc=\"x\"></iframe><p hidden>{DOM_MARKER}</p></body></html>"
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("capture.warc.gz", b"\x1f\x8b synthetic warc".to_vec()),
        (
            "screenshot.png",
            b"\x89PNG\r\n\x1a\n synthetic screenshot".to_vec(),
        ),
        ("dom.html", dom.into_bytes()),
        ("title.txt", "Анкеты (синтетические)".as_bytes().to_vec()),
        (
            "text.txt",
            "Анкеты девушек <b>Алматы</b>\nСвязь: +7 700 000 12 34"
                .as_bytes()
                .to_vec(),
        ),
        ("links.txt", format!("{FINAL_URL}\n").into_bytes()),
        ("capture.json", b"{\"synthetic\": true}".to_vec()),
    ];
    for (file, bytes) in &files {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
    let manifest = serde_json::json!({ "files": files.iter().map(|(f, b)| serde_json::json!({
        "path": f, "size": b.len(), "sha256": sha256(b).to_hex(),
    })).collect::<Vec<_>>() })
    .to_string();
    std::fs::write(dir.join("manifest.json"), &manifest).unwrap();
    let at = |h: u32, m: u32| {
        Timestamp::from_datetime(Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap())
    };
    qorgau_vault::capture::store_capture(
        vault,
        &qorgau_vault::capture::CaptureDraft {
            id,
            dir,
            case: CaseName::parse(&name).unwrap(),
            note: Some("synthetic capture".into()),
            kind: "page".into(),
            engine: "http".into(),
            url: URL.into(),
            final_url: FINAL_URL.into(),
            started_at: at(5, 10),
            finished_at: at(5, 11),
            http_status: Some(200),
            partial: Some("the page never finished loading (synthetic)".into()),
            manifest_sha256: sha256(manifest.as_bytes()),
            time_stamp: Some((
                "c3ludGhldGlj".into(),
                "http://tsa.synthetic.example/".into(),
            )),
            summary: serde_json::json!({"title": "Анкеты (синтетические)"}),
        },
        &Quiet,
    )
    .await
    .unwrap();
    // And a file acquired otherwise, in the same case.
    let other = vault.data_dir.join("seized");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), b"not a capture").unwrap();
    qorgau_vault::acquire::add(
        vault,
        &qorgau_vault::AddRequest {
            paths: vec![other],
            case: CaseName::parse(&name).unwrap(),
            note: None,
        },
        &Quiet,
    )
    .await
    .unwrap();

    let items = c
        .get(format!("{base}/api/cases/{case}/evidence"))
        .send()
        .await
        .unwrap();
    let items = json_of(items).await;
    let id_of = |file: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["file_name"] == file)
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{file} is an item: {items}"))
    };
    let (dom_id, shot_id, text_id) = (
        id_of("dom.html"),
        id_of("screenshot.png"),
        id_of("text.txt"),
    );

    // The API says which capture the item belongs to, with its files.
    let custody = c
        .get(format!("{base}/api/cases/{case}/evidence/{dom_id}/custody"))
        .send()
        .await
        .unwrap();
    let custody = json_of(custody).await;
    let capture = &custody["capture"];
    assert_eq!(capture["url"], URL, "{custody}");
    assert_eq!(capture["screenshot_item"], shot_id.as_str());
    assert_eq!(capture["text_item"], text_id.as_str());
    assert_eq!(capture["files"].as_array().unwrap().len(), 8, "{capture}");
    let dom_file = capture["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "dom.html")
        .unwrap();
    assert_eq!(dom_file["role"], "dom");
    assert_eq!(dom_file["hostile"], true);

    // The DOM's page shows the captured page — and not the DOM.
    let path = format!("/cases/{case}/evidence/{dom_id}");
    let (status, html) = page(&c, base, "en", &path).await;
    assert_eq!(status, StatusCode::OK);
    let section = html
        .split(r#"<section id="captured-page">"#)
        .nth(1)
        .expect("the captured page's section")
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        section.contains(&format!(r#"<code class="copy">{URL}</code>"#)),
        "{section}"
    );
    assert!(section.contains(&format!(r#"<code class="copy">{FINAL_URL}</code>"#)));
    assert!(
        !html.contains(&format!(r#"href="{URL}""#))
            && !html.contains(&format!(r#"href="{FINAL_URL}""#)),
        "addresses are never links"
    );
    assert!(section.contains("02.03.2026 10:10:00") && section.contains("2026-03-02 05:10:00 UTC"));
    assert!(section.contains("02.03.2026 10:11:00") && section.contains("2026-03-02 05:11:00 UTC"));
    assert!(
        section.contains(r#"<p class="warning" role="alert"><strong>PARTIAL capture</strong>: the page never finished loading (synthetic)"#),
        "{section}"
    );
    assert!(section.contains("http://tsa.synthetic.example/"));
    assert!(section.contains("plain HTTP, no browser"));
    assert!(section.contains("<dd>200</dd>"));
    assert!(
        section.contains(&format!(r#"src="/api/cases/{case}/evidence/{shot_id}""#)),
        "the screenshot through the content endpoint: {section}"
    );
    assert!(section.contains("Every showing is recorded in the custody ledger."));
    assert!(
        section.contains("<pre class=\"captured-text\" tabindex=\"0\">Анкеты девушек &lt;b&gt;Алматы&lt;/b&gt;\nСвязь: +7 700 000 12 34</pre>"),
        "the visible text, escaped: {section}"
    );
    for (file, _) in &files {
        let id = id_of(file);
        if id == dom_id {
            assert!(section.contains("<code>dom.html</code> <span class=\"tag\">this item</span>"));
        } else {
            assert!(
                section.contains(&format!(r#"href="/cases/{case}/evidence/{id}""#)),
                "{file} is listed with a link to its page"
            );
        }
    }
    assert!(section.contains(&format!(
        r#"href="/cases/{case}/evidence/{}""#,
        id_of("manifest.json")
    )));
    assert!(
        section.contains("download only: the site&#39;s own code")
            || section.contains("download only: the site's own code")
    );
    assert!(
        !section.contains("notes.txt"),
        "only the capture's own files"
    );
    for hostile in [
        "<iframe",
        "srcdoc",
        DOM_MARKER,
        "fetch('/api/users')",
        "<script>fetch",
    ] {
        assert!(
            !html.contains(hostile),
            "the DOM is not embedded ({hostile})"
        );
    }
    assert!(
        missing_texts(&html).is_empty(),
        "{:?}",
        missing_texts(&html)
    );
    for lang in ["ru", "kk"] {
        let (_, other) = page(&c, base, lang, &path).await;
        assert!(other.contains(r#"<section id="captured-page">"#));
        assert!(
            missing_texts(&other).is_empty(),
            "{lang}: {:?}",
            missing_texts(&other)
        );
    }

    // Showing the text was a `viewed` entry on text.txt, as a download is.
    let custody = c
        .get(format!(
            "{base}/api/cases/{case}/evidence/{text_id}/custody"
        ))
        .send()
        .await
        .unwrap();
    let custody = json_of(custody).await;
    let viewed = custody["custody"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "viewed")
        .count();
    assert_eq!(viewed, 3, "one per showing (en, ru, kk): {custody}");

    // The screenshot's own page shows it once, in the capture's section.
    let (_, shot) = page(&c, base, "en", &format!("/cases/{case}/evidence/{shot_id}")).await;
    assert_eq!(
        shot.matches(&format!(r#"src="/api/cases/{case}/evidence/{shot_id}""#))
            .count(),
        1
    );
    // A file acquired otherwise has no such section.
    let (_, plain) = page(
        &c,
        base,
        "en",
        &format!("/cases/{case}/evidence/{}", id_of("notes.txt")),
    )
    .await;
    assert!(!plain.contains("captured-page"), "{plain}");
}

/// The monitoring archive of a site hopping domains, seen by runs days
/// apart, and an unrelated site.
async fn archive(vault: &Vault, now: DateTime<Utc>) {
    let doc = |key: &str, site: &str, change: DocumentChange| {
        let body = format!("Анкеты девушек, выезд. Связь +7 700 000 45 67 ({key}, synthetic)");
        DocumentWrite {
            change,
            key: key.into(),
            url: Some(format!("https://{site}/anketa/{key}")),
            source: Some(format!("web:{site}")),
            author: None,
            title: Some(format!("Анкеты {key}")),
            published_at: None,
            content: sha256(body.as_bytes()),
            body,
            lang: Some("ru".into()),
            risk: Some(0.9),
            flagged: true,
            assessment: Some(
                serde_json::json!({
                    "scenario": "sexual_exploitation",
                    "risk": 0.9,
                    "identifiers": [{"kind": "phone", "value": "+77000004567", "text": "+7 700 000 45 67"}],
                    "network": if site.starts_with("kyzdarzhan") { "n-synthetic-1" } else { "n-synthetic-2" },
                })
                .to_string(),
            ),
        }
    };
    use DocumentChange::{Deleted, New, Unchanged};
    // (days ago, documents seen then)
    let runs = vec![
        (12, vec![doc("d1", "kyzdarzhan4.example", New)]),
        (9, vec![doc("d1", "kyzdarzhan4.example", Unchanged)]),
        (
            8,
            vec![
                doc("d1", "kyzdarzhan4.example", Deleted),
                doc("d2", "kyzdarzhan-new.example", New),
            ],
        ),
        (4, vec![doc("d2", "kyzdarzhan-new.example", Unchanged)]),
        (
            3,
            vec![
                doc("d2", "kyzdarzhan-new.example", Deleted),
                doc("d3", "kyzdarzhan2.example", New),
                doc("d4", "sauna-synthetic.example", New),
            ],
        ),
        (0, vec![doc("d3", "kyzdarzhan2.example", Unchanged)]),
    ];
    save_runs(vault, "mirrors-synthetic", now, runs).await;
}

/// A monitoring job named `name` whose runs, `days` before `now`, saw these
/// documents: the archive as the store keeps it.
async fn save_runs(
    vault: &Vault,
    name: &str,
    now: DateTime<Utc>,
    runs: Vec<(i64, Vec<DocumentWrite>)>,
) {
    let job = JobRecord {
        id: Id::new(),
        spec: serde_json::from_value(serde_json::json!({
            "name": name,
            "kind": "urls",
            "targets": ["https://kyzdarzhan4.example/"],
            "keywords": [],
            "filters": {},
            "interval_secs": 3600,
        }))
        .unwrap(),
        case_id: None,
        created_at: Timestamp::from_datetime(now),
        created_by: "web-test".into(),
        enabled: false,
        last_run_at: None,
    };
    vault.store.create_job(&job).await.unwrap();
    for (days, writes) in runs {
        let at = Timestamp::from_datetime(now - chrono::Duration::days(days));
        let run = RunRecord {
            id: Id::new(),
            job_id: job.id,
            started_at: at,
            finished_at: at,
            operator: "web-test".into(),
            host: "test".into(),
            status: "ok".into(),
            counts: serde_json::json!({}),
            requests: serde_json::json!([]),
            errors: serde_json::json!([]),
        };
        let draft = qorgau_evidence::EntryDraft::now(
            qorgau_evidence::EventKind::InvestigativeStep,
            vault.actor.clone(),
            vault.tool.clone(),
        );
        vault
            .store
            .save_run(&run, &writes, draft, &vault.key)
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mirror_domains_are_drawn_as_a_timeline_in_first_seen_order() {
    let server = start().await;
    let base = &server.base;
    let now = Utc.with_ymd_and_hms(2026, 3, 20, 6, 0, 0).unwrap();
    archive(&server.vault, now).await;
    let (c, _) = sign_in(base).await;
    let (status, html) = page(&c, base, "en", "/network").await;
    assert_eq!(status, StatusCode::OK);
    let section = html
        .split(r#"<section id="mirrors">"#)
        .nth(1)
        .expect("the mirror-domain section")
        .split("</section>")
        .next()
        .unwrap();
    let hops = [
        ("kyzdarzhan4.example", 12),
        ("kyzdarzhan-new.example", 8),
        ("kyzdarzhan2.example", 3),
    ];
    let day = |days: i64| {
        (now - chrono::Duration::days(days))
            .with_timezone(&Almaty)
            .format("%d.%m.%Y %H:%M")
            .to_string()
    };
    // The timeline's rows, top to bottom, in first-seen order — not the
    // alphabetical one.
    let label = |d: &str| {
        section
            .find(&format!(r#"text-anchor="end">{d}</text>"#))
            .unwrap_or_else(|| panic!("a row for {d}: {section}"))
    };
    assert!(label(hops[0].0) < label(hops[1].0) && label(hops[1].0) < label(hops[2].0));
    // The table beside it: the same order, each with its first sighting.
    let table = section
        .split("<table class=\"mirror-table\">")
        .nth(1)
        .unwrap();
    let mut at = 0;
    for (domain, first) in hops {
        let row = table[at..]
            .find(&format!("<code>{domain}</code>"))
            .map(|i| i + at)
            .unwrap_or_else(|| panic!("{domain} after the previous row: {table}"));
        let cells = &table[row..table[row..].find("</tr>").unwrap() + row];
        assert!(
            cells.contains(&day(first)),
            "{domain} first seen {}: {cells}",
            day(first)
        );
        at = row;
    }
    assert!(
        table.contains(&day(9)) && table.contains(&day(4)) && table.contains(&day(0)),
        "last sightings"
    );
    assert_eq!(
        section.matches("<path class=\"mirror-deleted\"").count(),
        2,
        "the two blocked domains' deleted ads"
    );
    assert!(
        section.contains("the same name «kyzdarzhan» with digits or version words changed"),
        "{section}"
    );
    assert!(
        !section.contains("sauna-synthetic.example"),
        "an unrelated site is no mirror"
    );
    assert_eq!(section.matches("<rect class=\"mirror-bar\"").count(), 3);
    assert!(section.contains("(Almaty)"));
    assert!(
        missing_texts(&html).is_empty(),
        "{:?}",
        missing_texts(&html)
    );

    // The group's own page: the timeline and the documents on each domain.
    let href = section
        .split(r#"href="/network?mirror="#)
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .expect("a link to the group");
    for lang in ["en", "ru", "kk"] {
        let (status, group) = page(&c, base, lang, &format!("/network?mirror={href}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(group.contains("<rect class=\"mirror-bar\""));
        assert!(group.contains("Анкеты d2"), "the documents on each domain");
        assert!(
            missing_texts(&group).is_empty(),
            "{lang}: {:?}",
            missing_texts(&group)
        );
    }
    let (status, _) = page(&c, base, "en", "/network?mirror=m-000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Ads on three sites, two of them showing one photo (the second a
/// re-encoded copy a few bits away), one a different photo, one the photo
/// as a thumbnail too small to compare.
async fn picture_archive(vault: &Vault, now: DateTime<Utc>) {
    const PHOTO: (u64, u64) = (0x0f0f_3c3c_a5a5_5a5a, 0x1234_5678_9abc_def0);
    let doc = |key: &str, site: &str, (phash, dhash): (u64, u64), side: u32| {
        let body = format!("Работа моделью за рубежом, пиши в личку ({key}, synthetic)");
        DocumentWrite {
            change: DocumentChange::New,
            key: key.into(),
            url: Some(format!("https://{site}/ad/{key}")),
            source: Some(format!("web:{site}")),
            author: None,
            title: Some(format!("Модели {key}")),
            published_at: None,
            content: sha256(body.as_bytes()),
            body,
            lang: Some("ru".into()),
            risk: Some(0.8),
            flagged: true,
            assessment: Some(
                serde_json::json!({
                    "scenario": "sexual_exploitation",
                    "risk": 0.8,
                    "identifiers": [],
                    "images": [{
                        "url": format!("https://{site}/img/{key}.jpg"),
                        "phash": format!("{phash:016x}"),
                        "dhash": format!("{dhash:016x}"),
                        "width": side,
                        "height": side,
                    }],
                })
                .to_string(),
            ),
        }
    };
    let runs = vec![(
        1,
        vec![
            doc("p1", "models-one.example", PHOTO, 480),
            doc(
                "p2",
                "models-two.example",
                (PHOTO.0 ^ 0b111, PHOTO.1 ^ 0b1),
                320,
            ),
            doc(
                "p3",
                "models-three.example",
                (!PHOTO.0, 0x0ff0_0ff0_0ff0_0ff0),
                480,
            ),
            doc("p4", "models-four.example", PHOTO, 16),
        ],
    )];
    save_runs(vault, "pictures-synthetic", now, runs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ads_showing_one_photo_are_linked_through_it_in_the_network_view() {
    let server = start().await;
    let base = &server.base;
    let now = Utc.with_ymd_and_hms(2026, 3, 20, 6, 0, 0).unwrap();
    picture_archive(&server.vault, now).await;
    let (c, _) = sign_in(base).await;
    let node = "image:phash:0f0f3c3ca5a55a5a";
    let path = format!("/network?node={node}&hops=1");
    for lang in ["en", "ru", "kk"] {
        let (status, html) = page(&c, base, lang, &path).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let section = html
            .split(r#"<section id="picture">"#)
            .nth(1)
            .expect("what the picture node stands for")
            .split("</section>")
            .next()
            .unwrap();
        assert!(
            section.contains("Модели p1") && section.contains("Модели p2"),
            "{section}"
        );
        assert!(
            !section.contains("Модели p3"),
            "a different photo links nothing"
        );
        assert!(
            !section.contains("Модели p4"),
            "a thumbnail is too small to compare"
        );
        // Where each copy is, as text, and how far it is from the group's picture.
        assert!(section.contains("<code>https://models-two.example/img/p2.jpg</code>"));
        assert!(section.contains(r#"<td class="num">3</td>"#), "{section}");
        assert!(
            !section.contains("<img"),
            "remote pictures are never loaded by the page"
        );
        assert!(html.contains(r#"class="ident image centre""#));
        assert!(
            missing_texts(&html).is_empty(),
            "{lang}: {:?}",
            missing_texts(&html)
        );
    }
    // From an ad, the picture is a node one hop away, and the other ad two.
    let docs = server
        .vault
        .store
        .documents(&Default::default())
        .await
        .unwrap();
    let id_of = |key: &str| docs.iter().find(|d| d.key == key).unwrap().id;
    let (_, html) = page(
        &c,
        base,
        "en",
        &format!("/network?node=doc:{}&hops=2", id_of("p1")),
    )
    .await;
    assert!(
        html.contains(&format!("node={}", node.replace(':', "%3A"))),
        "{html}"
    );
    assert!(html.contains("Модели p2"));
    let (_, html) = page(
        &c,
        base,
        "en",
        &format!("/network?node=doc:{}&hops=2", id_of("p3")),
    )
    .await;
    assert!(!html.contains("image%3Aphash"), "{html}");
}
