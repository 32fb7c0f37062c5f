//! The `qorgau` binary with its evidence in S3 (`--blob-store s3://BUCKET`)
//! on a real S3 server with object lock (Ceph's radosgw from
//! `scripts/s3-server`; `scripts/test` sets `QORGAU_TEST_S3_ENDPOINT`).
//! A second, independent client (boto3) plays the one who tampers.
//! Without `QORGAU_TEST_S3_ENDPOINT` the test prints that it is skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::PathBuf;
use std::process::{Command, Output};

use qorgau_store::testing::TestDatabase;
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
    db: TestDatabase,
    endpoint: String,
    access_key: String,
    secret_key: String,
    bucket: String,
}

impl Env {
    async fn new() -> Option<Self> {
        let endpoint = std::env::var("QORGAU_TEST_S3_ENDPOINT")
            .ok()
            .filter(|e| !e.is_empty());
        let Some(endpoint) = endpoint else {
            println!("skipped: QORGAU_TEST_S3_ENDPOINT is not set (scripts/s3-server start)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let db = TestDatabase::fresh(&dir.path().join("vault")).await;
        Some(Self {
            dir,
            db,
            endpoint,
            access_key: std::env::var("QORGAU_TEST_S3_ACCESS_KEY").unwrap(),
            secret_key: std::env::var("QORGAU_TEST_S3_SECRET_KEY").unwrap(),
            bucket: format!(
                "qorgau-cli-{}",
                uuid_like(std::process::id(), std::time::SystemTime::now())
            ),
        })
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_qorgau"));
        cmd.env("QORGAU_DATA_DIR", self.path("vault"))
            .env("QORGAU_OPERATOR", "test-investigator")
            .env_remove("QORGAU_DATABASE_URL")
            .env("QORGAU_BLOB_STORE", format!("s3://{}", self.bucket))
            .env("QORGAU_S3_ENDPOINT", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", &self.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_key)
            .env("QORGAU_S3_RETENTION_DAYS", "1")
            .env_remove("QORGAU_S3_NO_OBJECT_LOCK");
        if let Some(url) = &self.db.url {
            cmd.env("QORGAU_DATABASE_URL", url);
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    fn boto(&self, script: &str, args: &[&str]) -> Value {
        let out = Command::new("python3")
            .arg("-c")
            .arg(format!("{BOTO_PRELUDE}\n{script}"))
            .args(args)
            .env("QORGAU_TEST_S3_ENDPOINT", &self.endpoint)
            .env("QORGAU_TEST_S3_ACCESS_KEY", &self.access_key)
            .env("QORGAU_TEST_S3_SECRET_KEY", &self.secret_key)
            .output()
            .expect("python3 with boto3 (scripts/install-test-tools)");
        assert!(out.status.success(), "boto3: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn uuid_like(pid: u32, now: std::time::SystemTime) -> String {
    let nanos = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{pid:x}-{nanos:x}")
}

const BOTO_PRELUDE: &str = r#"
import json, os, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client("s3", endpoint_url=os.environ["QORGAU_TEST_S3_ENDPOINT"],
    aws_access_key_id=os.environ["QORGAU_TEST_S3_ACCESS_KEY"],
    aws_secret_access_key=os.environ["QORGAU_TEST_S3_SECRET_KEY"], region_name="us-east-1",
    config=Config(request_checksum_calculation="when_required",
                  response_checksum_validation="when_required", s3={"addressing_style": "path"}))
"#;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_in_s3_is_verified_tampering_named_and_read_without_the_cache() {
    let Some(env) = Env::new().await else {
        return;
    };
    let src = env.path("seized");
    std::fs::create_dir_all(&src).unwrap();
    let photo: Vec<u8> = (0..200_000u32).map(|i| (i * 13 % 241) as u8).collect();
    std::fs::write(src.join("photo.jpg"), &photo).unwrap();
    std::fs::write(src.join("chat.txt"), "синтетическая переписка\n").unwrap();

    let out = env.run(&[
        "add",
        src.to_str().unwrap(),
        "--case",
        "KUSP-S3-1",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let items = json_lines(&out.stdout);
    assert_eq!(items.len(), 2);
    let photo_item = items
        .iter()
        .find(|i| i["relative_path"].as_str().unwrap().ends_with("photo.jpg"))
        .unwrap();
    let photo_id = photo_item["id"].as_str().unwrap().to_owned();
    let photo_sha = photo_item["sha256"].as_str().unwrap().to_owned();

    let out = env.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "2 S3 object(s) ({} bytes) in bucket {}",
            photo.len() + "синтетическая переписка\n".len(),
            env.bucket
        )),
        "{}",
        stderr(&out)
    );

    // The cache goes; copies and exports come from S3, checked on the way.
    std::fs::remove_dir_all(env.path("vault/blobs/sha256")).unwrap();
    let copy = env.path("work/photo.jpg");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    let out = env.run(&[
        "copy",
        &photo_id,
        copy.to_str().unwrap(),
        "--reason",
        "expert examination",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&copy).unwrap(), photo);
    std::fs::remove_dir_all(env.path("vault/blobs/sha256")).unwrap();
    let bag = env.path("bag");
    let out = env.run(&["export", "KUSP-S3-1", "--bagit", bag.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported: Vec<PathBuf> = walk(&bag.join("data"));
    assert_eq!(exported.len(), 2, "{exported:?}");
    assert!(exported.iter().any(|p| std::fs::read(p).unwrap() == photo));

    // Someone with the bucket's keys PUTs other bytes over the photo's key.
    let put = env.boto(
        r#"r = s3.put_object(Bucket=sys.argv[1], Key=sys.argv[2], Body=b"a forged photo")
print(json.dumps({"version": r.get("VersionId", "")}))"#,
        &[&env.bucket, &format!("sha256/{photo_sha}")],
    );
    let forged = put["version"].as_str().unwrap().to_owned();
    let out = env.run(&["verify", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    let line = text
        .lines()
        .find(|l| l.contains("tampering"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with(&format!("FAIL item {photo_id}: ")),
        "{line}"
    );
    assert!(line.contains(&forged), "{line}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["location"]["id"] == photo_id.as_str()
                && p["message"].as_str().unwrap().contains("tampering")),
        "{report}"
    );

    // The locked original is still what a copy gets.
    std::fs::remove_dir_all(env.path("vault/blobs/sha256")).unwrap();
    let again = env.path("work/photo-again.jpg");
    let out = env.run(&[
        "copy",
        &photo_id,
        again.to_str().unwrap(),
        "--reason",
        "after the forgery",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&again).unwrap(), photo);
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_s3_settings_stop_with_exit_2_naming_the_problem_and_change_nothing() {
    let Some(env) = Env::new().await else {
        return;
    };
    let src = env.path("file.txt");
    std::fs::write(&src, "x").unwrap();

    // Wrong secret: named endpoint and bucket, the secret never shown.
    let out = env
        .command()
        .env("AWS_SECRET_ACCESS_KEY", "wrong-secret-value")
        .args(["add", src.to_str().unwrap(), "--case", "KUSP-S3-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains(&env.endpoint) && text.contains(&env.bucket),
        "{text}"
    );
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");
    assert!(!text.contains("wrong-secret-value"), "{text}");

    // Nothing listens at the endpoint.
    let out = env
        .command()
        .env("QORGAU_S3_ENDPOINT", "http://127.0.0.1:9")
        .args(["add", src.to_str().unwrap(), "--case", "KUSP-S3-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot reach the S3 endpoint http://127.0.0.1:9"),
        "{}",
        stderr(&out)
    );

    // No retention period given.
    let out = env
        .command()
        .env_remove("QORGAU_S3_RETENTION_DAYS")
        .args(["add", src.to_str().unwrap(), "--case", "KUSP-S3-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("QORGAU_S3_RETENTION_DAYS"),
        "{}",
        stderr(&out)
    );

    // A bucket without object lock.
    let plain = format!("{}-plain", env.bucket);
    env.boto(
        r#"s3.create_bucket(Bucket=sys.argv[1]); print(json.dumps({}))"#,
        &[&plain],
    );
    let out = env
        .command()
        .env("QORGAU_BLOB_STORE", format!("s3://{plain}"))
        .args(["add", src.to_str().unwrap(), "--case", "KUSP-S3-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("S3 bucket {plain} at {}", env.endpoint))
            && stderr(&out).contains("no object lock"),
        "{}",
        stderr(&out)
    );

    // Nothing was stored by any of them: the vault (local) has no case.
    let out = env
        .command()
        .env_remove("QORGAU_BLOB_STORE")
        .args(["cases", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        json_lines(&out.stdout).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_to_s3_moves_every_blob_locked_and_verified() {
    let Some(env) = Env::new().await else {
        return;
    };
    let src = env.path("seized");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..5u32 {
        let body: Vec<u8> = (0..10_000 + i * 997)
            .map(|b| (b * (i + 3) % 251) as u8)
            .collect();
        std::fs::write(src.join(format!("file-{i}.bin")), body).unwrap();
    }
    // An installation that has only ever kept its blobs on disk.
    let local = |args: &[&str]| {
        let mut cmd = env.command();
        cmd.env_remove("QORGAU_BLOB_STORE");
        cmd.args(args).output().unwrap()
    };
    let out = local(&[
        "add",
        src.to_str().unwrap(),
        "--case",
        "KUSP-S3-MOVE",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let items = json_lines(&out.stdout);
    assert_eq!(items.len(), 5);

    // Without a bucket named, --to-s3 is refused with the settings it needs.
    let out = local(&["migrate", "--to-s3"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--blob-store"), "{}", stderr(&out));
    // Before the move, a verify against the bucket names the blobs not in it.
    let out = env.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("migrate --to-s3"), "{}", stderr(&out));

    let out = env.run(&["migrate", "--to-s3", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = &json_lines(&out.stdout)[0];
    assert_eq!(report["blobs_uploaded"], 5, "{report}");
    assert_eq!(report["items"], 5, "{report}");
    assert_eq!(report["ok"], true, "{report}");

    // Verified against the bucket now; a second move has nothing to do.
    let out = env.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.run(&["migrate", "--to-s3", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&out.stdout)[0]["blobs_uploaded"], 0);

    // An independent client sees each object locked in COMPLIANCE mode.
    for item in &items {
        let sha = item["sha256"].as_str().unwrap();
        let got = env.boto(
            "r = s3.get_object_retention(Bucket=sys.argv[1], Key=sys.argv[2])\n\
             print(json.dumps({'mode': r['Retention']['Mode']}))",
            &[&env.bucket, &format!("sha256/{sha}")],
        );
        assert_eq!(got["mode"], "COMPLIANCE", "{sha}");
    }
}
