//! A case's evidence over the API, on SQLite or (QORGAU_TEST_DATABASE_URL)
//! PostgreSQL: listed for those whose access includes evidence, each
//! download re-hashed first and recorded as `viewed` on the item, served so
//! that captured HTML cannot run in the server's origin, and refused when
//! the stored file no longer matches its record.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Session;
use qorgau_evidence::EventKind;
use qorgau_server::seed;
use qorgau_store::LedgerFilter;
use reqwest::StatusCode;
use serde_json::json;
use sha2::Digest;

struct Quiet;
impl qorgau_vault::AcquireObserver for Quiet {}

async fn add_files(vault: &qorgau_vault::Vault, case: &str, files: &[(&str, &[u8])]) {
    let dir = vault
        .data_dir
        .join(format!("in-{}", qorgau_core::Id::new()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    qorgau_vault::acquire::add(
        vault,
        &qorgau_vault::AddRequest {
            paths: vec![dir],
            case: qorgau_core::CaseName::parse(case).unwrap(),
            note: Some("seized 25.11 (synthetic)".into()),
        },
        &Quiet,
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_listed_and_sent_verified_with_every_download_recorded() {
    let common::Fixture {
        vault,
        dir: _dir,
        db: _db,
    } = common::fixture("evidence").await;
    seed::default_agencies(&vault).await.unwrap();
    common::add_user(&vault, "inv", "mvd-cyber", &["investigator"]).await;
    common::add_user(&vault, "ngo", "ngo", &["ngo_worker"]).await;
    common::add_user(&vault, "pros", "prosecutor", &["prosecutor"]).await;
    let base = common::serve(&vault).await;
    let inv = Session::sign_in(&base, "inv").await;
    let (_, opened) = inv
        .call(
            "POST",
            "/api/cases",
            Some(json!({"title": "Evidence (synthetic)"})),
        )
        .await;
    let case = opened["case"]["id"].as_str().unwrap().to_owned();
    let name = opened["case"]["name"].as_str().unwrap().to_owned();
    let hostile: &[u8] = b"<html><script>fetch('/api/users')</script>\xd0\xa0\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0</html>";
    let png: &[u8] = b"\x89PNG\r\n\x1a\n synthetic screenshot bytes";
    add_files(
        &vault,
        &name,
        &[("page.html", hostile), ("скрин 1.png", png)],
    )
    .await;
    add_files(&vault, "OTHER-CASE-1", &[("other.txt", b"another case")]).await;

    let (status, items) = inv
        .call("GET", &format!("/api/cases/{case}/evidence"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{items}");
    let items = items.as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    let page = items
        .iter()
        .find(|i| i["file_name"] == "page.html")
        .unwrap();
    assert_eq!(page["sha256"], hex::encode(sha2::Sha256::digest(hostile)));
    assert_eq!(page["size"], hostile.len());
    let shot = items
        .iter()
        .find(|i| i["file_name"] == "скрин 1.png")
        .unwrap();
    assert_eq!(shot["media_type"], "image/png");
    let (_, limited) = inv
        .call(
            "GET",
            &format!("/api/cases/{case}/evidence?limit=1&offset=1"),
            None,
        )
        .await;
    assert_eq!(limited.as_array().unwrap().len(), 1);

    // The content, as an attachment that cannot run here.
    let url = |item: &serde_json::Value| {
        format!(
            "{base}/api/cases/{case}/evidence/{}",
            item["id"].as_str().unwrap()
        )
    };
    let r = inv.client.get(url(page)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(
        h["x-qorgau-sha256"].to_str().unwrap(),
        page["sha256"].as_str().unwrap()
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), hostile);
    let r = inv.client.get(url(shot)).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''%D1%81%D0%BA%D1%80%D0%B8%D0%BD%201.png")
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), png);

    // Each download is a `viewed` entry on its item; the listing a `read`.
    let page_id = qorgau_core::Id::parse(page["id"].as_str().unwrap()).unwrap();
    let viewed = vault
        .store
        .ledger(&LedgerFilter {
            item_id: Some(page_id),
            kinds: vec![EventKind::Viewed],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0].actor.user, "inv");
    assert!(
        viewed[0].details.contains("\"via\":\"api\""),
        "{}",
        viewed[0].details
    );
    let reads = vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(qorgau_core::Id::parse(&case).unwrap()),
            kinds: vec![EventKind::Read],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        reads
            .iter()
            .any(|e| e.details.contains("\"read\":\"evidence\""))
    );

    // Another case's item through this case is not there; an agency with no
    // part in the case sees no case at all.
    let other = vault
        .store
        .items(&qorgau_store::ItemFilter {
            case_id: Some(
                vault
                    .case(&qorgau_core::CaseName::parse("OTHER-CASE-1").unwrap())
                    .await
                    .unwrap()
                    .id,
            ),
            ..Default::default()
        })
        .await
        .unwrap();
    let r = inv
        .client
        .get(format!("{base}/api/cases/{case}/evidence/{}", other[0].id))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    for user in ["ngo", "pros"] {
        let s = Session::sign_in(&base, user).await;
        let (status, _) = s
            .call("GET", &format!("/api/cases/{case}/evidence"), None)
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{user}: no referral, no case"
        );
    }

    // A blob changed behind the vault's back is not sent.
    let sha = qorgau_core::Sha256Digest::from_bytes(sha2::Sha256::digest(png).into());
    let blob = vault.blobs.cache_path(&sha);
    let mut perms = std::fs::metadata(&blob).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&blob, perms).unwrap();
    std::fs::write(&blob, b"\x89PNG\r\n\x1a\n synthetic screenshot bytez").unwrap();
    let r = inv.client.get(url(shot)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("qorgau verify"),
        "{body}"
    );
}
