//! The S3 blob store against a real S3 server with object lock (Ceph's
//! radosgw, started by `scripts/s3-server`; `scripts/test` always sets
//! `QORGAU_TEST_S3_ENDPOINT`), never a mock. The retention lock is checked
//! by an independent client, boto3: deleting the locked version and
//! shortening its retention must be refused, and the retention it reports
//! must be COMPLIANCE until the date Qorgau set.
//!
//! Each test makes its own bucket. Without `QORGAU_TEST_S3_ENDPOINT` the
//! tests print that they are skipped and pass.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;
use std::process::Command;

use qorgau_core::{CaseName, Id, Sha256Digest};
use qorgau_store::testing::TestDatabase;
use qorgau_vault::acquire::{self, AcquireObserver, AddRequest};
use qorgau_vault::s3::{Credentials, ObjectHashes, S3Client, S3Config, object_key};
use qorgau_vault::{Vault, VaultConfig, VaultError, verify};
use sha2::{Digest, Sha256};

struct Server {
    endpoint: String,
    access_key: String,
    secret_key: String,
}

fn server(test: &str) -> Option<Server> {
    match std::env::var("QORGAU_TEST_S3_ENDPOINT") {
        Ok(endpoint) if !endpoint.is_empty() => Some(Server {
            endpoint,
            access_key: std::env::var("QORGAU_TEST_S3_ACCESS_KEY").unwrap(),
            secret_key: std::env::var("QORGAU_TEST_S3_SECRET_KEY").unwrap(),
        }),
        _ => {
            println!(
                "skipped {test}: QORGAU_TEST_S3_ENDPOINT is not set (scripts/s3-server start)"
            );
            None
        }
    }
}

fn bucket() -> String {
    format!("qorgau-test-{}", Id::new().to_string().replace('-', ""))
}

fn config(server: &Server, bucket: &str) -> S3Config {
    S3Config {
        endpoint: server.endpoint.clone(),
        region: "us-east-1".into(),
        bucket: bucket.to_owned(),
        credentials: Credentials {
            access_key: server.access_key.clone(),
            secret_key: server.secret_key.clone(),
        },
        retention_days: Some(1),
        without_object_lock: false,
        send_checksum_header: true,
        multipart_above: qorgau_vault::s3::DEFAULT_MULTIPART_ABOVE,
        part_size: qorgau_vault::s3::DEFAULT_PART_SIZE,
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    _db: TestDatabase,
    vault: Vault,
}

async fn open(dir: &Path, db: &TestDatabase, s3: Option<S3Config>) -> Result<Vault, VaultError> {
    Vault::open(&VaultConfig {
        data_dir: dir.join("vault"),
        database_url: db.url.clone(),
        operator: Some("s3-tester".into()),
        s3,
    })
    .await
}

async fn fixture(s3: Option<S3Config>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(&dir.path().join("vault")).await;
    let vault = open(dir.path(), &db, s3).await.unwrap();
    Fixture {
        dir,
        _db: db,
        vault,
    }
}

struct Quiet;
impl AcquireObserver for Quiet {}

/// Acquires `files` (name, bytes) into a fresh case; returns the items.
async fn acquire_files(fx: &Fixture, files: &[(&str, &[u8])]) -> Vec<qorgau_evidence::ItemRecord> {
    let src = fx.dir.path().join(format!("src-{}", Id::new()));
    std::fs::create_dir_all(&src).unwrap();
    for (name, bytes) in files {
        std::fs::write(src.join(name), bytes).unwrap();
    }
    let case = CaseName::parse(&format!("S3-{}", Id::new())).unwrap();
    let summary = acquire::add(
        &fx.vault,
        &AddRequest {
            paths: vec![src],
            case: case.clone(),
            note: None,
        },
        &Quiet,
    )
    .await
    .unwrap();
    assert_eq!(summary.failed, 0);
    let case = fx.vault.case(&case).await.unwrap();
    fx.vault
        .store
        .items(&qorgau_store::ItemFilter {
            case_id: Some(case.id),
            ..Default::default()
        })
        .await
        .unwrap()
}

fn sha(bytes: &[u8]) -> Sha256Digest {
    Sha256Digest::from_bytes(Sha256::digest(bytes).into())
}

/// boto3, the independent client: one call per run, JSON out.
const BOTO: &str = r#"
import json, os, sys, datetime
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client("s3", endpoint_url=os.environ["QORGAU_TEST_S3_ENDPOINT"],
    aws_access_key_id=os.environ["QORGAU_TEST_S3_ACCESS_KEY"],
    aws_secret_access_key=os.environ["QORGAU_TEST_S3_SECRET_KEY"], region_name="us-east-1",
    config=Config(request_checksum_calculation="when_required",
                  response_checksum_validation="when_required", s3={"addressing_style": "path"}))
op, bucket, key = sys.argv[1], sys.argv[2], sys.argv[3]
arg = sys.argv[4] if len(sys.argv) > 4 else None
def code(e): return e.response.get("Error", {}).get("Code", "")
out = {}
try:
    if op == "retention":
        r = s3.get_object_retention(Bucket=bucket, Key=key, VersionId=arg)["Retention"]
        out = {"mode": r["Mode"], "until": r["RetainUntilDate"].astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    elif op == "delete-version":
        s3.delete_object(Bucket=bucket, Key=key, VersionId=arg)
        out = {"deleted": True}
    elif op == "shorten":
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        s3.put_object_retention(Bucket=bucket, Key=key, VersionId=arg,
            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until})
        out = {"shortened": True}
    elif op == "governance":
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
        s3.put_object_retention(Bucket=bucket, Key=key, VersionId=arg,
            Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until}, BypassGovernanceRetention=True)
        out = {"changed": True}
    elif op == "put":
        r = s3.put_object(Bucket=bucket, Key=key, Body=open(arg, "rb").read())
        out = {"version": r.get("VersionId", "")}
    elif op == "delete-marker":
        r = s3.delete_object(Bucket=bucket, Key=key)
        out = {"marker": r.get("VersionId", "")}
    elif op == "create-bucket-without-lock":
        s3.create_bucket(Bucket=bucket)
        out = {"created": True}
except ClientError as e:
    out = {"error": code(e), "message": str(e)}
print(json.dumps(out))
"#;

fn boto(server: &Server, args: &[&str]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg("-c")
        .arg(BOTO)
        .args(args)
        .env("QORGAU_TEST_S3_ENDPOINT", &server.endpoint)
        .env("QORGAU_TEST_S3_ACCESS_KEY", &server.access_key)
        .env("QORGAU_TEST_S3_SECRET_KEY", &server.secret_key)
        .output()
        .expect("python3 with boto3 (scripts/install-test-tools)");
    assert!(
        out.status.success(),
        "boto3 {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn no_progress(_: u64) {}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acquired_blobs_are_locked_in_compliance_mode_and_fetched_back() {
    let Some(server) = server("acquired_blobs_are_locked_in_compliance_mode_and_fetched_back")
    else {
        return;
    };
    let bucket = bucket();
    let fx = fixture(Some(config(&server, &bucket))).await;
    let photo: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let items = acquire_files(
        &fx,
        &[
            ("photo.jpg", &photo),
            ("chat.txt", "синтетический чат\n".as_bytes()),
            ("copy-of-photo.jpg", &photo),
        ],
    )
    .await;
    assert_eq!(items.len(), 3);

    // Every distinct blob is recorded with the version the server gave.
    let photo_sha = sha(&photo);
    let record = fx
        .vault
        .store
        .s3_object(&bucket, &photo_sha)
        .await
        .unwrap()
        .expect("the photo's upload is recorded");
    assert_eq!(record.key, object_key(&photo_sha));
    assert_eq!(record.lock_mode, "COMPLIANCE");
    assert!(!record.version_id.is_empty());
    let until = record.retain_until.unwrap();

    // boto3 sees the lock Qorgau set, and cannot break it.
    let retention = boto(
        &server,
        &["retention", &bucket, &record.key, &record.version_id],
    );
    assert_eq!(retention["mode"], "COMPLIANCE", "{retention}");
    assert_eq!(
        retention["until"].as_str().unwrap(),
        until.as_datetime().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    let delete = boto(
        &server,
        &["delete-version", &bucket, &record.key, &record.version_id],
    );
    assert_eq!(delete["error"], "AccessDenied", "{delete}");
    let shorten = boto(
        &server,
        &["shorten", &bucket, &record.key, &record.version_id],
    );
    assert_eq!(shorten["error"], "AccessDenied", "{shorten}");
    let governance = boto(
        &server,
        &["governance", &bucket, &record.key, &record.version_id],
    );
    assert_eq!(governance["error"], "AccessDenied", "{governance}");

    let report = verify::verify(&fx.vault, None, false, &no_progress)
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.s3_objects, 2);
    assert_eq!(
        report.s3_bytes,
        photo.len() as u64 + "синтетический чат\n".len() as u64
    );

    // The local directory is only a cache: without it, reads fetch from S3.
    let cached = fx.vault.blobs.cache_path(&photo_sha);
    std::fs::remove_file(&cached).unwrap();
    let report = verify::verify(&fx.vault, None, false, &no_progress)
        .await
        .unwrap();
    assert!(
        report.ok(),
        "a missing cache is no problem: {:?}",
        report.problems
    );
    let path = fx.vault.blobs.local(&photo_sha).await.unwrap();
    assert_eq!(path, cached);
    assert_eq!(std::fs::read(&path).unwrap(), photo);
    let photo_item = items.iter().find(|i| i.file_name == "photo.jpg").unwrap();
    std::fs::remove_file(&cached).unwrap();
    let check = qorgau_vault::item_check::check_item(&fx.vault, photo_item)
        .await
        .unwrap();
    assert!(check.ok(), "{check:?}");
    std::fs::remove_file(&cached).unwrap();
    let dest = fx.dir.path().join("working-copy.jpg");
    qorgau_vault::working_copy::working_copy(&fx.vault, photo_item.id, &dest, Some("test"), None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), photo);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_version_over_the_key_is_tampering_and_is_never_served() {
    let Some(server) = server("a_new_version_over_the_key_is_tampering_and_is_never_served") else {
        return;
    };
    let bucket = bucket();
    let fx = fixture(Some(config(&server, &bucket))).await;
    let original = b"the ad as it was preserved (synthetic)\n".to_vec();
    let items = acquire_files(&fx, &[("ad.html", &original)]).await;
    let item = &items[0];
    let record = fx
        .vault
        .store
        .s3_object(&bucket, &item.sha256)
        .await
        .unwrap()
        .unwrap();

    // Someone with the bucket's keys PUTs other bytes over the key.
    let forged = fx.dir.path().join("forged");
    std::fs::write(&forged, b"a forged ad\n").unwrap();
    let put = boto(
        &server,
        &["put", &bucket, &record.key, forged.to_str().unwrap()],
    );
    let forged_version = put["version"].as_str().unwrap().to_owned();
    assert!(!forged_version.is_empty(), "{put}");

    let report = verify::verify(&fx.vault, None, false, &no_progress)
        .await
        .unwrap();
    assert!(!report.ok());
    let id = item.id.to_string();
    let problem = report
        .problems
        .iter()
        .find(|p| p.message.contains("tampering"))
        .unwrap_or_else(|| panic!("{:?}", report.problems));
    assert_eq!(problem.location, verify::Location::Item { id: id.clone() });
    assert!(
        problem.message.contains(&forged_version),
        "{}",
        problem.message
    );
    assert!(
        problem.message.contains(&record.version_id),
        "{}",
        problem.message
    );
    assert!(
        problem.message.contains(&sha(b"a forged ad\n").to_hex()),
        "{}",
        problem.message
    );

    // Readers still get the locked original, from S3.
    std::fs::remove_file(fx.vault.blobs.cache_path(&item.sha256)).unwrap();
    let path = fx.vault.blobs.local(&item.sha256).await.unwrap();
    assert_eq!(std::fs::read(path).unwrap(), original);

    // A delete marker is tampering too; the original is still read.
    let marker = boto(&server, &["delete-marker", &bucket, &record.key]);
    assert!(marker.get("error").is_none(), "{marker}");
    let report = verify::verify(&fx.vault, None, false, &no_progress)
        .await
        .unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.message.contains("delete marker")
                && p.location == verify::Location::Item { id: id.clone() }),
        "{:?}",
        report.problems
    );
    std::fs::remove_file(fx.vault.blobs.cache_path(&item.sha256)).unwrap();
    assert_eq!(
        std::fs::read(fx.vault.blobs.local(&item.sha256).await.unwrap()).unwrap(),
        original
    );

    // An object whose bytes are not its address is never served: a blob
    // with no recorded upload whose key holds other bytes.
    let wanted = b"content that was never uploaded";
    let wanted_sha = sha(wanted);
    let put = boto(
        &server,
        &[
            "put",
            &bucket,
            &object_key(&wanted_sha),
            forged.to_str().unwrap(),
        ],
    );
    assert!(put.get("error").is_none(), "{put}");
    let err = fx
        .vault
        .blobs
        .local(&wanted_sha)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains(&object_key(&wanted_sha)), "{err}");
    assert!(err.contains(&wanted_sha.to_hex()), "{err}");
    assert!(err.contains(&sha(b"a forged ad\n").to_hex()), "{err}");
    assert!(!fx.vault.blobs.cache_path(&wanted_sha).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_bytes_that_are_not_the_blob() {
    let Some(server) = server("the_server_refuses_bytes_that_are_not_the_blob") else {
        return;
    };
    let bucket = bucket();
    let client = S3Client::new(config(&server, &bucket)).unwrap();
    client.create_bucket(true).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body");
    std::fs::write(&file, b"what is actually sent").unwrap();
    let claimed = b"what the address says";
    let hashes = ObjectHashes {
        sha256: sha(claimed),
        md5: qorgau_core::Md5Digest::from_bytes(md5::Md5::digest(claimed).into()),
        size: 21,
    };
    let err = client
        .put_file(&object_key(&hashes.sha256), &file, &hashes, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err.code(), Some("XAmzContentSHA256Mismatch" | "BadDigest")),
        "{err}"
    );
    assert!(
        client
            .versions(&object_key(&hashes.sha256))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_settings_are_refused_naming_the_endpoint_and_bucket() {
    let Some(server) = server("bad_settings_are_refused_naming_the_endpoint_and_bucket") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(&dir.path().join("vault")).await;

    // A bucket without object lock.
    let plain = bucket();
    let made = boto(&server, &["create-bucket-without-lock", &plain, "-"]);
    assert_eq!(made["created"], true, "{made}");
    let err = open(dir.path(), &db, Some(config(&server, &plain)))
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::Input(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&plain) && text.contains(&server.endpoint),
        "{text}"
    );
    assert!(text.contains("no object lock"), "{text}");

    // Wrong credentials.
    let mut wrong = config(&server, &bucket());
    wrong.credentials.secret_key = "not-the-secret".into();
    let text = open(dir.path(), &db, Some(wrong))
        .await
        .unwrap_err()
        .to_string();
    assert!(text.contains(&server.endpoint), "{text}");
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");
    assert!(!text.contains("not-the-secret"), "{text}");

    // Nothing listens there.
    let mut nowhere = config(&server, &bucket());
    nowhere.endpoint = "http://127.0.0.1:9".into();
    let text = open(dir.path(), &db, Some(nowhere))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("cannot reach the S3 endpoint http://127.0.0.1:9"),
        "{text}"
    );

    // Declared without object lock: accepted, nothing locked.
    let mut declared = config(&server, &plain);
    declared.without_object_lock = true;
    declared.retention_days = None;
    let vault = open(dir.path(), &db, Some(declared)).await.unwrap();
    assert!(!vault.blobs.s3_locking());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_blobs_are_replicated_and_read_back() {
    let Some(server) = server("local_blobs_are_replicated_and_read_back") else {
        return;
    };
    // Acquired into a local vault first.
    let local = fixture(None).await;
    let items = acquire_files(&local, &[("a.txt", b"first"), ("b.txt", b"second")]).await;

    let bucket = bucket();
    let vault = open(local.dir.path(), &local._db, Some(config(&server, &bucket)))
        .await
        .unwrap();
    let report = verify::verify(&vault, None, false, &no_progress)
        .await
        .unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.message.contains("not in S3 bucket")),
        "{:?}",
        report.problems
    );
    let mut missing = vault
        .store
        .blobs_missing_from_bucket(&bucket)
        .await
        .unwrap();
    let mut expected: Vec<Sha256Digest> = items.iter().map(|i| i.sha256).collect();
    expected.sort();
    missing.sort();
    assert_eq!(missing, expected);
    for item in &items {
        let done = vault.blobs.replicate_to_s3(&item.sha256).await.unwrap();
        assert!(done.uploaded);
        assert_eq!(done.object.lock_mode, "COMPLIANCE");
        let again = vault.blobs.replicate_to_s3(&item.sha256).await.unwrap();
        assert!(!again.uploaded);
        assert_eq!(again.object, done.object);
    }
    assert!(
        vault
            .store
            .blobs_missing_from_bucket(&bucket)
            .await
            .unwrap()
            .is_empty()
    );
    let report = verify::verify(&vault, None, false, &no_progress)
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.s3_objects, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_blobs_go_up_in_parts_locked_and_checked_whole() {
    let Some(server) = server("large_blobs_go_up_in_parts_locked_and_checked_whole") else {
        return;
    };
    let bucket = bucket();
    let mut settings = config(&server, &bucket);
    settings.multipart_above = 6 << 20;
    settings.part_size = 5 << 20;
    let fx = fixture(Some(settings.clone())).await;
    // 12 MiB and a bit: three parts, the last short.
    let video: Vec<u8> = (0..(12u32 << 20) + 4321)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let items = acquire_files(&fx, &[("video.mp4", &video)]).await;
    let record = fx
        .vault
        .store
        .s3_object(&bucket, &items[0].sha256)
        .await
        .unwrap()
        .unwrap();
    let retention = boto(
        &server,
        &["retention", &bucket, &record.key, &record.version_id],
    );
    assert_eq!(retention["mode"], "COMPLIANCE", "{retention}");
    let delete = boto(
        &server,
        &["delete-version", &bucket, &record.key, &record.version_id],
    );
    assert_eq!(delete["error"], "AccessDenied", "{delete}");

    let report = verify::verify(&fx.vault, None, false, &no_progress)
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.s3_bytes, video.len() as u64);
    std::fs::remove_file(fx.vault.blobs.cache_path(&items[0].sha256)).unwrap();
    let path = fx.vault.blobs.local(&items[0].sha256).await.unwrap();
    assert_eq!(std::fs::read(path).unwrap(), video);

    // Bytes that are not the address are never completed into an object.
    let client = S3Client::new(settings).unwrap();
    let file = fx.dir.path().join("other");
    std::fs::write(&file, vec![7u8; (7 << 20) + 1]).unwrap();
    let claimed = ObjectHashes {
        sha256: sha(b"claimed"),
        md5: qorgau_core::Md5Digest::from_bytes([0; 16]),
        size: (7 << 20) + 1,
    };
    let err = client
        .put_file(&object_key(&claimed.sha256), &file, &claimed, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("not the blob's address"), "{err}");
    assert!(
        client
            .versions(&object_key(&claimed.sha256))
            .await
            .unwrap()
            .is_empty()
    );
}
