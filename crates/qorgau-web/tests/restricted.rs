//! Content marked as suspected child sexual abuse material, through the
//! server a browser talks to: who may mark, view (blurred by default, the
//! original on purpose), clear and export; every showing a `viewed` entry
//! saying which rendition was sent; the pages in three languages; no such
//! item's hashes in a STIX bundle. Innocuous generated pictures only.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::io::Cursor;
use std::sync::Arc;

use qorgau_core::CaseName;
use qorgau_server::api::directory::{NewUser, create_user};
use qorgau_server::{ServerConfig, seed};
use qorgau_store::testing::TestDatabase;
use qorgau_vault::{Vault, VaultConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "Synthetic pass 2026";

struct Server {
    base: String,
    vault: Arc<Vault>,
    dir: tempfile::TempDir,
    _db: TestDatabase,
}

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
    for (username, roles) in [
        ("inv", vec!["investigator"]),
        ("ana", vec!["analyst"]),
        ("sup", vec!["supervisor"]),
    ] {
        create_user(
            &state,
            NewUser {
                username: username.into(),
                display_name: format!("Synthetic {username}"),
                agency: "mvd-cyber".into(),
                roles: roles.into_iter().map(str::to_owned).collect(),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
    }
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
        dir,
        _db: db,
    }
}

struct Browser {
    c: reqwest::Client,
    csrf: String,
    base: String,
}

impl Browser {
    async fn sign_in(base: &str, username: &str) -> Self {
        let c = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = c
            .post(format!("{base}/api/auth/login"))
            .header("content-type", "application/json")
            .body(json!({"username": username, "password": PASSWORD}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        Self {
            c,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            base: base.to_owned(),
        }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("{}{path}", self.base);
        let mut r = match method {
            "POST" => self.c.post(url),
            _ => self.c.get(url),
        }
        .header("x-csrf-token", &self.csrf);
        if let Some(b) = body {
            r = r
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let r = r.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn bytes(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        (status, headers, r.bytes().await.unwrap().to_vec())
    }

    async fn page(&self, lang: &str, path: &str) -> (StatusCode, String) {
        let r = self
            .c
            .get(format!("{}/lang/{lang}?next=/", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> StatusCode {
        let mut body = vec![("csrf".to_owned(), self.csrf.clone())];
        body.extend(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let encoded: String = body
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.c
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encoded)
            .send()
            .await
            .unwrap()
            .status()
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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

struct Quiet;
impl qorgau_vault::AcquireObserver for Quiet {}

/// A sharp synthetic picture (stripes and a disc).
fn picture() -> Vec<u8> {
    let img = image::RgbImage::from_fn(320, 240, |x, y| {
        let disc = (x as i32 - 160).pow(2) + (y as i32 - 120).pow(2) < 60 * 60;
        if disc {
            image::Rgb([250, 200, 20])
        } else if (x / 6) % 2 == 0 {
            image::Rgb([10, 10, 10])
        } else {
            image::Rgb([240, 240, 240])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marked_material_is_blurred_role_gated_audited_and_exported_only_with_authorisation() {
    let server = start().await;
    let base = &server.base;
    let inv = Browser::sign_in(base, "inv").await;
    let ana = Browser::sign_in(base, "ana").await;
    let sup = Browser::sign_in(base, "sup").await;
    let (status, opened) = inv
        .call(
            "POST",
            "/api/cases",
            Some(json!({
                "title": "Restricted material (synthetic)",
                "identifiers": [{"kind": "phone", "value": "+7 700 000 0042"}]
            })),
        )
        .await;
    assert!(status.is_success(), "{opened}");
    let case = opened["case"]["id"].as_str().unwrap().to_owned();
    let name = opened["case"]["name"].as_str().unwrap().to_owned();
    let original = picture();
    let file = server.dir.path().join("photo.png");
    std::fs::write(&file, &original).unwrap();
    let summary = qorgau_vault::acquire::add(
        &server.vault,
        &qorgau_vault::AddRequest {
            paths: vec![file],
            case: CaseName::parse(&name).unwrap(),
            note: None,
        },
        &Quiet,
    )
    .await
    .unwrap();
    assert_eq!(summary.stored, 1);
    let (_, items) = inv
        .call("GET", &format!("/api/cases/{case}/evidence"), None)
        .await;
    let item = items[0]["id"].as_str().unwrap().to_owned();
    assert!(items[0]["restricted"].is_null());
    let content = format!("/api/cases/{case}/evidence/{item}");

    // The analyst sees the picture before the mark, and marks it.
    let (status, _, _) = ana.bytes(&content).await;
    assert_eq!(status, StatusCode::OK);
    let (status, e) = ana
        .call(
            "POST",
            &format!("{content}/restriction"),
            Some(json!({"action": "mark", "reason": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    let (status, marked) = ana
        .call(
            "POST",
            &format!("{content}/restriction"),
            Some(json!({"action": "mark", "reason": "увидела при разборе (синтетика)"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{marked}");
    assert_eq!(marked["restricted"], true);
    assert_eq!(marked["changed"], true);

    // From now on: not for the analyst at all.
    let (status, _, body) = ana.bytes(&content).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&body).contains("may not view"));
    let (status, _, _) = ana.bytes(&format!("{content}?view=original")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, items) = ana
        .call("GET", &format!("/api/cases/{case}/evidence"), None)
        .await;
    assert_eq!(items[0]["restricted"]["basis"], "person");

    // The investigator gets a blurred rendition by default…
    let (status, headers, blurred) = inv.bytes(&content).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-qorgau-restricted"], "blurred");
    assert_ne!(blurred, original);
    let shown = image::load_from_memory(&blurred).unwrap().to_luma8();
    // The 6-pixel stripes are gone: no pixel keeps the black or white.
    let extremes = shown
        .pixels()
        .filter(|p| p.0[0] < 40 || p.0[0] > 215)
        .count();
    assert_eq!(extremes, 0, "the stripes survived the blur");
    // …and the original only when asking for it.
    let (status, headers, bytes) = inv.bytes(&format!("{content}?view=original")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-qorgau-restricted"], "original");
    assert_eq!(bytes, original);
    let (status, _, _) = inv.bytes(&format!("{content}?view=sharpened")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Every showing is in the custody, with what was sent.
    let (_, custody) = inv.call("GET", &format!("{content}/custody"), None).await;
    let renditions: Vec<(String, String)> = custody["custody"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "viewed")
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["details"]["rendition"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        renditions.contains(&("inv".into(), "blurred".into())),
        "{renditions:?}"
    );
    assert!(
        renditions.contains(&("inv".into(), "original".into())),
        "{renditions:?}"
    );
    // The analyst's one showing was before the mark; none since.
    let ana_views: Vec<bool> = custody["custody"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "viewed" && e["actor"] == "ana")
        .map(|e| e["details"]["restricted"].as_bool().unwrap())
        .collect();
    assert_eq!(ana_views, vec![false]);
    assert!(
        custody["custody"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "restricted"
                && e["details"]["action"] == "mark"
                && e["actor"] == "ana")
    );
    assert_eq!(custody["restriction_history"].as_array().unwrap().len(), 1);

    // The pages, in every language.
    for lang in ["ru", "kk", "en"] {
        let (status, html) = inv
            .page(lang, &format!("/cases/{case}/evidence/{item}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            missing_texts(&html).is_empty(),
            "{lang}: {:?}",
            missing_texts(&html)
        );
        assert!(html.contains("id=\"restricted\""));
        assert!(
            html.contains(&format!("src=\"{content}\"")),
            "blurred by default"
        );
        assert!(
            !html.contains("view=original\" alt"),
            "the original is not shown unasked"
        );
        let (_, revealed) = inv
            .page(
                lang,
                &format!("/cases/{case}/evidence/{item}?reveal=original"),
            )
            .await;
        assert!(revealed.contains(&format!("src=\"{content}?view=original\"")));
        let (status, html) = ana
            .page(lang, &format!("/cases/{case}/evidence/{item}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            missing_texts(&html).is_empty(),
            "{lang}: {:?}",
            missing_texts(&html)
        );
        assert!(
            !html.contains(&format!("src=\"{content}")),
            "no picture for the analyst"
        );
        assert!(!html.contains("download"), "no download for the analyst");
        let (_, case_page) = inv.page(lang, &format!("/cases/{case}")).await;
        assert!(
            missing_texts(&case_page).is_empty(),
            "{lang}: {:?}",
            missing_texts(&case_page)
        );
        assert!(case_page.contains("name=\"authorisation\""));
    }

    // Exports from the page need a named authorisation, and the role.
    let exports = format!("/cases/{case}/exports");
    assert_eq!(
        inv.form(&exports, &[("kind", "bagit")]).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        ana.form(&exports, &[("kind", "bagit"), ("authorisation", "№1")])
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        inv.form(
            &exports,
            &[
                ("kind", "bagit"),
                ("authorisation", "Постановление №7 (синтетика)")
            ]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let jobs = server
        .vault
        .store
        .work_jobs(&qorgau_store::WorkFilter {
            case_id: Some(qorgau_core::Id::parse(&case).unwrap()),
            limit: 10,
            ..qorgau_store::WorkFilter::default()
        })
        .await
        .unwrap();
    assert!(
        jobs.iter()
            .any(|j| j.kind == "bagit"
                && j.payload["authorisation"] == "Постановление №7 (синтетика)")
    );

    // No hash of the marked item in a STIX bundle of the case.
    let (status, bundle) = inv
        .call(
            "POST",
            &format!("/api/cases/{case}/stix"),
            Some(json!({"title": "Synthetic", "tlp": "amber", "indicators": [
                {"kind": {"type": "phone"}, "value": "+77000000042", "role": "recruiting",
                 "first_seen": "2026-11-20T10:00:00Z", "confidence": 80}
            ]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    let text = bundle.to_string();
    let (_, listed) = inv
        .call("GET", &format!("/api/cases/{case}/evidence"), None)
        .await;
    for digest in ["sha256", "md5"] {
        let d = listed[0][digest].as_str().unwrap();
        assert!(
            !text.contains(d),
            "the {digest} of marked material is in the bundle"
        );
    }
    assert!(!text.contains("\"file\""), "no file objects");

    // Only a supervisor clears a mark.
    let clear = json!({"action": "clear", "reason": "ошибка (синтетика)"});
    let (status, _) = inv
        .call(
            "POST",
            &format!("{content}/restriction"),
            Some(clear.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, cleared) = sup
        .call("POST", &format!("{content}/restriction"), Some(clear))
        .await;
    assert_eq!(status, StatusCode::OK, "{cleared}");
    let (status, _, bytes) = ana.bytes(&content).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, original);
}

fn jpeg(img: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

/// A textured synthetic picture (no photograph).
fn textured(seed: u32) -> image::RgbImage {
    image::RgbImage::from_fn(256, 192, |x, y| {
        let n = (x.wrapping_mul(73) ^ y.wrapping_mul(151) ^ seed.wrapping_mul(977)) % 61;
        image::Rgb([
            ((x + n) % 256) as u8,
            ((y * 2 + n) % 256) as u8,
            ((x + y + seed * 40) % 256) as u8,
        ])
    })
}

async fn acquire(server: &Server, case_name: &str, name: &str, bytes: &[u8]) {
    let dir = server
        .dir
        .path()
        .join(format!("in-{}", qorgau_core::Id::new()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    qorgau_vault::acquire::add(
        &server.vault,
        &qorgau_vault::AddRequest {
            paths: vec![file],
            case: CaseName::parse(case_name).unwrap(),
            note: None,
        },
        &Quiet,
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_s_authenticity_signals_first_source_and_the_examiner_s_conclusion() {
    let server = start().await;
    let base = &server.base;
    let inv = Browser::sign_in(base, "inv").await;
    let ana = Browser::sign_in(base, "ana").await;
    let open = |title: &'static str| {
        let inv = &inv;
        async move {
            let (_, opened) = inv
                .call("POST", "/api/cases", Some(json!({"title": title})))
                .await;
            (
                opened["case"]["id"].as_str().unwrap().to_owned(),
                opened["case"]["name"].as_str().unwrap().to_owned(),
            )
        }
    };
    let (older, older_name) = open("Earlier ad (synthetic)").await;
    let (case, name) = open("Later ad (synthetic)").await;
    let picture = textured(3);
    // First seen as a PNG; later the same picture as a JPEG, re-encoded.
    let mut png = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    acquire(&server, &older_name, "first.png", &png).await;
    acquire(&server, &name, "later.jpg", &jpeg(&picture, 75)).await;
    let (_, items) = inv
        .call("GET", &format!("/api/cases/{case}/evidence"), None)
        .await;
    let item = items[0]["id"].as_str().unwrap().to_owned();
    let (_, first_items) = inv
        .call("GET", &format!("/api/cases/{older}/evidence"), None)
        .await;
    let first = first_items[0]["id"].as_str().unwrap().to_owned();
    let api = format!("/api/cases/{case}/evidence/{item}/authenticity");

    let (status, view) = inv.call("GET", &api, None).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let signals = view["examination"]["signals"].as_array().unwrap();
    let kinds: Vec<&str> = signals
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"no_exif"), "{kinds:?}");
    assert!(kinds.contains(&"jpeg_quantisation"), "{kinds:?}");
    for s in signals {
        assert!(!s["may_mean"].as_str().unwrap().is_empty());
        assert!(!s["cannot_show"].as_str().unwrap().is_empty(), "{s}");
    }
    assert_eq!(
        view["examination"]["quantisation"]["nearest_ijg_quality"],
        75
    );
    let source = &view["first_source"];
    assert_eq!(source["this_item"], false, "{source}");
    assert_eq!(source["same_content"], false);
    assert_eq!(source["item"], first.as_str());
    assert!(source["distance"].as_u64().unwrap() <= 8);
    assert_eq!(source["copies"], 2);
    let (_, earliest) = inv
        .call(
            "GET",
            &format!("/api/cases/{older}/evidence/{first}/authenticity"),
            None,
        )
        .await;
    assert_eq!(earliest["first_source"]["this_item"], true, "{earliest}");

    // The error-level image is a showing like any other.
    let (status, headers, ela) = inv.bytes(&format!("{api}/error-level.png")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert!(image::load_from_memory(&ela).is_ok());

    // Only a person concludes; the conclusion is in the custody.
    let examinations = format!("/api/cases/{case}/evidence/{item}/examinations");
    let (status, _) = inv
        .call("POST", &examinations, Some(json!({"conclusion": "  "})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let words = "Re-encoded copy of the earlier PNG; no sign of local editing (synthetic)";
    let (status, recorded) = inv
        .call("POST", &examinations, Some(json!({"conclusion": words})))
        .await;
    assert_eq!(status, StatusCode::OK, "{recorded}");
    let (_, custody) = inv
        .call(
            "GET",
            &format!("/api/cases/{case}/evidence/{item}/custody"),
            None,
        )
        .await;
    let entries = custody["custody"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["kind"] == "examined"
        && e["details"]["conclusion"] == words
        && e["details"]["method"] == "qorgau-authenticity-v1"));
    assert!(
        entries
            .iter()
            .any(|e| e["kind"] == "viewed" && e["details"]["rendition"] == "error_level")
    );

    for lang in ["ru", "kk", "en"] {
        let (status, html) = inv
            .page(lang, &format!("/cases/{case}/evidence/{item}/authenticity"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            missing_texts(&html).is_empty(),
            "{lang}: {:?}",
            missing_texts(&html)
        );
        assert!(html.contains(words));
        assert!(html.contains("error-level.png"));
        assert!(
            html.contains(&format!("/cases/{older}/evidence/{first}")),
            "first source linked"
        );
    }

    // Marked material: the analyst gets neither the signals nor the image.
    let (status, _) = ana
        .call(
            "POST",
            &format!("/api/cases/{case}/evidence/{item}/restriction"),
            Some(json!({"action": "mark", "reason": "synthetic"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = ana.call("GET", &api, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = ana.bytes(&format!("{api}/error-level.png")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
