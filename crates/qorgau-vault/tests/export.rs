//! `export_case` checked against independent tools: bagit-python validates
//! the bag, hashdeep audits it, Python and OpenSSL check the ledger's hashes
//! and signatures. Each check is also run on a tampered copy, so that a tool
//! that accepted anything would fail the test. A missing tool fails the test
//! (`scripts/install-test-tools` installs them); nothing is skipped.
//!
//! All data is synthetic: a vault in a temporary folder (SQLite, or
//! PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set), filled through the
//! blob store and `register_items` rather than `acquire`, so these tests
//! depend on the export alone.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use qorgau_core::{CaseName, Id, Timestamp};
use qorgau_evidence::{CaseRecord, EventKind, FileTimes, ItemRecord, LedgerEntry, verify_chain};
use qorgau_store::LedgerFilter;
use qorgau_store::testing::TestDatabase;
use qorgau_vault::export::{ExportSummary, HASHDEEP_SUFFIX, LEDGER_CHECK_SCRIPT, export_case};
use qorgau_vault::hashing::{self, Durability, copy_and_hash};
use qorgau_vault::{Vault, VaultConfig, VaultError};

const OPERATOR: &str = "Тестовый следователь";
const CASE: &str = "КУСП-2026-0412 (синтетика)";
const CHAT_EXPORT: &str = r#"{"name":"Синтетический канал","type":"public_channel","messages":[{"id":1,"text":"Пример вакансии (выдумано)"}]}"#;

/// A vault holding one case with two acquisitions.
struct Fixture {
    dir: tempfile::TempDir,
    /// Keeps this test's PostgreSQL schema alive (and drops it after).
    _db: TestDatabase,
    vault: Vault,
    case: CaseRecord,
    items: Vec<ItemRecord>,
    /// Acquisition A: a chat export tree.
    acquisition_a: Id,
    /// Acquisition B: downloads, with a duplicate and a hostile path.
    acquisition_b: Id,
}

impl Fixture {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn item(&self, relative_path: &str) -> &ItemRecord {
        self.items
            .iter()
            .find(|i| i.relative_path == relative_path)
            .unwrap_or_else(|| panic!("no item {relative_path}"))
    }

    async fn ledger(&self) -> Vec<LedgerEntry> {
        let mut entries = self
            .vault
            .store
            .ledger(&LedgerFilter {
                case_id: Some(self.case.id),
                ..LedgerFilter::default()
            })
            .await
            .unwrap();
        entries.sort_by_key(|e| e.seq);
        entries
    }
}

/// Deterministic bytes that are not text: every byte value, then noise.
fn binary(len: usize, seed: u64) -> Vec<u8> {
    let mut out: Vec<u8> = vec![0xFF, 0xD8, 0xFF, 0xE0];
    out.extend(0..=255u8);
    let mut x = seed | 1;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

async fn fixture(big: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(&dir.path().join("vault")).await;
    let vault = Vault::open(&VaultConfig {
        data_dir: dir.path().join("vault"),
        database_url: db.url.clone(),
        operator: Some(OPERATOR.to_owned()),
        s3: None,
    })
    .await
    .unwrap();
    // A fresh case name per fixture, so that runs on a shared PostgreSQL
    // database do not meet each other's cases.
    let name = CaseName::parse(&format!("{CASE} {}", Id::new())).unwrap();
    let (case, created) = vault
        .store
        .open_case(&name, &vault.actor, &vault.tool, &vault.key)
        .await
        .unwrap();
    assert!(created);

    let acquisition_a = Id::new();
    let acquisition_b = Id::new();
    let mut files: Vec<(Id, &str, Vec<u8>, &str)> = vec![
        (
            acquisition_a,
            "Чаты/export_2026/result.json",
            CHAT_EXPORT.as_bytes().to_vec(),
            "2026-11-25T07:00:00.250Z",
        ),
        (
            acquisition_a,
            "Чаты/export_2026/photos/photo_1@25-11-2026.jpg",
            binary(70_000, 7),
            "2026-11-25T07:00:00.300Z",
        ),
        (
            acquisition_a,
            "Чаты/export_2026/empty.txt",
            Vec::new(),
            "2026-11-25T07:00:00.350Z",
        ),
        (
            acquisition_a,
            "Чаты/notes 100% синтетика.txt",
            "Заметка (синтетика)\n".as_bytes().to_vec(),
            "2026-11-25T07:00:01.100Z",
        ),
        (
            acquisition_b,
            "Downloads/result.json",
            CHAT_EXPORT.as_bytes().to_vec(),
            "2026-11-26T09:30:00Z",
        ),
        (
            acquisition_b,
            "Downloads/result.json",
            b"{\"other\":true}\n".to_vec(),
            "2026-11-26T09:30:00.100Z",
        ),
        (
            acquisition_b,
            "../../outside.txt",
            b"stays inside\n".to_vec(),
            "2026-11-26T09:30:00.200Z",
        ),
    ];
    if big {
        // Above hashing::PIPELINE_MIN, so the threaded copy is used.
        let len = usize::try_from(hashing::PIPELINE_MIN).unwrap() + 12_345;
        files.push((
            acquisition_a,
            "Видео/большой файл.bin",
            binary(len, 99),
            "2026-11-25T07:00:02Z",
        ));
    }

    let sources = dir.path().join("sources");
    let mut items = Vec::new();
    for (n, (acquisition, relative, bytes, at)) in files.into_iter().enumerate() {
        let source = sources.join(n.to_string());
        fs::create_dir_all(&sources).unwrap();
        fs::write(&source, &bytes).unwrap();
        let temp = vault.blobs.temp().unwrap();
        let hashed = copy_and_hash(
            &mut File::open(&source).unwrap(),
            bytes.len() as u64,
            temp.path(),
            Durability::Each,
            &|_| {},
        )
        .unwrap();
        vault.blobs.commit(temp, &hashed.sha256).unwrap();
        let at = Timestamp::parse(at).unwrap();
        items.push(ItemRecord {
            id: Id::new(),
            case_id: case.id,
            acquisition_id: acquisition,
            sha256: hashed.sha256,
            md5: hashed.md5,
            size: hashed.size,
            media_type: "application/octet-stream".into(),
            source_root: "/media/synthetic-phone".into(),
            original_path: format!("/media/synthetic-phone/{relative}"),
            relative_path: relative.into(),
            file_name: relative.rsplit('/').next().unwrap().into(),
            file_times: FileTimes {
                modified: Some(at),
                ..FileTimes::default()
            },
            acquired_at: at,
            acquired_at_local: at.to_almaty_string(),
            acquired_by: vault.actor.clone(),
            tool: vault.tool.clone(),
            note: Some("синтетические данные".into()),
            metadata: None,
        });
    }
    vault
        .store
        .register_items(&items, &vault.key)
        .await
        .unwrap();
    Fixture {
        dir,
        _db: db,
        vault,
        case,
        items,
        acquisition_a,
        acquisition_b,
    }
}

/// Exports the fixture's case into `<tmp>/<name>`, recording progress.
async fn export(fx: &Fixture, name: &str) -> (ExportSummary, Vec<u64>) {
    let calls = Mutex::new(Vec::new());
    let bag = fx.root().join("out").join(name);
    fs::create_dir_all(bag.parent().unwrap()).unwrap();
    let summary = export_case(&fx.vault, &fx.case.name, &bag, &|n| {
        calls.lock().unwrap().push(n)
    })
    .await
    .unwrap_or_else(|e| panic!("export failed: {e}"));
    (summary, calls.into_inner().unwrap())
}

/// Runs an external tool; a tool that is not installed fails the test.
fn tool<S: AsRef<OsStr>>(program: &str, args: &[S], cwd: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                panic!(
                    "`{program}` is not installed, and this test checks the export with it; \
                     run scripts/install-test-tools"
                )
            }
            panic!("cannot run {program}: {e}")
        })
}

fn text(output: &Output) -> String {
    format!(
        "status {}\n--- stdout\n{}--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `bagit.py --validate`, or `python3 -m bagit --validate` where only the
/// module is installed.
fn bagit_validate(bag: &Path) -> Output {
    let missing = "bagit-python is not installed (neither bagit.py nor the Python module \
                   bagit), and this test validates the export with it; run \
                   scripts/install-test-tools";
    match Command::new("bagit.py").arg("--validate").arg(bag).output() {
        Ok(output) => output,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let output = Command::new("python3")
                .args(["-m", "bagit", "--validate"])
                .arg(bag)
                .output()
                .unwrap_or_else(|e| panic!("{missing} ({e})"));
            if String::from_utf8_lossy(&output.stderr).contains("No module named bagit") {
                panic!("{missing}");
            }
            output
        }
        Err(e) => panic!("cannot run bagit.py: {e}"),
    }
}

fn flip_byte(path: &Path, at: usize) {
    let mut perms = fs::metadata(path).unwrap().permissions();
    perms.set_mode(0o644);
    fs::set_permissions(path, perms).unwrap();
    let mut bytes = fs::read(path).unwrap();
    bytes[at] ^= 0x01;
    fs::write(path, bytes).unwrap();
}

fn bag_paths(bag: &Path) -> BTreeMap<Id, String> {
    fs::read_to_string(bag.join("items.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = Id::parse(value["id"].as_str().unwrap()).unwrap();
            (id, value["bag_path"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn entries_in(names: impl IntoIterator<Item = PathBuf>) -> BTreeSet<String> {
    names
        .into_iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn listing(dir: &Path) -> BTreeSet<String> {
    entries_in(fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bagit_py_validates_the_bag_and_catches_a_flipped_byte() {
    let fx = fixture(true).await;
    let (summary, _) = export(&fx, "Іс 14 экспорт").await;

    let valid = bagit_validate(&summary.bag_dir);
    assert!(
        valid.status.success(),
        "bagit.py refused the bag:\n{}",
        text(&valid)
    );
    assert!(
        String::from_utf8_lossy(&valid.stderr).contains("is valid"),
        "{}",
        text(&valid)
    );

    // A changed tag file (an item record) is caught by the tag manifests.
    let items_file = summary.bag_dir.join("items.jsonl");
    let original = fs::read(&items_file).unwrap();
    flip_byte(&items_file, 10);
    let invalid = bagit_validate(&summary.bag_dir);
    assert!(
        !invalid.status.success()
            && String::from_utf8_lossy(&invalid.stderr).contains("items.jsonl"),
        "bagit.py accepted a changed items.jsonl:\n{}",
        text(&invalid)
    );
    fs::write(&items_file, original).unwrap();
    let valid = bagit_validate(&summary.bag_dir);
    assert!(valid.status.success(), "{}", text(&valid));

    let photo = fx.item("Чаты/export_2026/photos/photo_1@25-11-2026.jpg");
    let photo_path = summary
        .bag_dir
        .join(&bag_paths(&summary.bag_dir)[&photo.id]);
    flip_byte(&photo_path, 1000);
    let invalid = bagit_validate(&summary.bag_dir);
    assert!(
        !invalid.status.success(),
        "bagit.py accepted a changed payload:\n{}",
        text(&invalid)
    );
    assert!(
        String::from_utf8_lossy(&invalid.stderr).contains("photo_1@25-11-2026.jpg"),
        "bagit.py did not name the changed file:\n{}",
        text(&invalid)
    );
}

#[tokio::test]
async fn hashdeep_audit_passes_and_catches_a_flipped_byte() {
    let fx = fixture(true).await;
    let (summary, _) = export(&fx, "Іс 14 экспорт").await;
    let version = tool("hashdeep", &["-V"], fx.root());
    assert!(version.status.success(), "{}", text(&version));

    assert_eq!(
        summary.hashdeep_file,
        summary
            .bag_dir
            .with_file_name(format!("Іс 14 экспорт{HASHDEEP_SUFFIX}"))
    );
    let audit_file = fs::read_to_string(&summary.hashdeep_file).unwrap();
    let mut lines = audit_file.lines();
    assert_eq!(lines.next(), Some("%%%% HASHDEEP-1.0"));
    assert_eq!(lines.next(), Some("%%%% size,md5,sha256,filename"));
    assert!(lines.next().unwrap().starts_with("## Invoked from: "));
    assert!(lines.next().unwrap().starts_with("## $ "));
    assert_eq!(lines.next(), Some("##"));
    assert_eq!(lines.count(), fx.items.len());

    // The command exactly as the CLI prints it, run from somewhere else.
    let audit = tool(
        "sh",
        &["-c", summary.audit_command.as_str()],
        Path::new("/"),
    );
    assert!(
        audit.status.success()
            && String::from_utf8_lossy(&audit.stdout).contains("hashdeep: Audit passed"),
        "hashdeep audit of a fresh export failed ({}):\n{}",
        summary.audit_command,
        text(&audit)
    );

    let chat = fx.item("Чаты/export_2026/result.json");
    flip_byte(
        &summary.bag_dir.join(&bag_paths(&summary.bag_dir)[&chat.id]),
        3,
    );
    let audit = tool(
        "sh",
        &["-c", summary.audit_command.as_str()],
        Path::new("/"),
    );
    assert!(
        !audit.status.success() && String::from_utf8_lossy(&audit.stdout).contains("Audit failed"),
        "hashdeep passed a changed payload:\n{}",
        text(&audit)
    );
}

#[tokio::test]
async fn bag_carries_the_ledger_items_and_case_facts() {
    let fx = fixture(false).await;
    // An existing empty folder is an acceptable destination.
    let bag = fx.root().join("out").join("bag");
    fs::create_dir_all(&bag).unwrap();
    let (summary, progress) = export(&fx, "bag").await;
    assert_eq!(summary.bag_dir, bag);

    // Counts and progress.
    let payload_bytes: u64 = fx.items.iter().map(|i| i.size).sum();
    assert_eq!(summary.items, fx.items.len() as u64);
    assert_eq!(summary.payload_bytes, payload_bytes);
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
    assert_eq!(progress.last().copied(), Some(payload_bytes));

    // Nothing but the bag and its audit file at the destination.
    assert_eq!(
        listing(bag.parent().unwrap()),
        BTreeSet::from(["bag".to_owned(), format!("bag{HASHDEEP_SUFFIX}")])
    );
    assert_eq!(
        listing(&bag),
        BTreeSet::from(
            [
                "bagit.txt",
                "bag-info.txt",
                "manifest-md5.txt",
                "manifest-sha256.txt",
                "tagmanifest-md5.txt",
                "tagmanifest-sha256.txt",
                "custody-ledger.jsonl",
                "items.jsonl",
                "ledger-public-key.pem",
                "data",
            ]
            .map(str::to_owned)
        )
    );

    // The ledger: the case's whole chain, verified, ending with this export.
    let ledger: Vec<LedgerEntry> = fs::read_to_string(bag.join("custody-ledger.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(verify_chain(&ledger, &[fx.vault.key.public()]), vec![]);
    assert_eq!(ledger, fx.ledger().await);
    assert_eq!(ledger.len() as u64, summary.ledger_entries);
    assert_eq!(
        ledger.len(),
        fx.items.len() + 2,
        "case_opened + acquired + exported"
    );
    let last = ledger.last().unwrap();
    assert_eq!(last.kind, EventKind::Exported);
    assert_eq!(last.seq, summary.exported_entry_seq);
    assert_eq!(last.case_id, Some(fx.case.id));
    let details: serde_json::Value = serde_json::from_str(&last.details).unwrap();
    let oxum = format!("{payload_bytes}.{}", fx.items.len());
    assert_eq!(details["destination"], bag.to_str().unwrap());
    assert_eq!(details["items"], fx.items.len());
    assert_eq!(details["payload_oxum"], oxum.as_str());
    let manifest = fs::read(bag.join("manifest-sha256.txt")).unwrap();
    let mut manifest_reader = manifest.as_slice();
    let (manifest_sha256, _, _) = hashing::hash_reader(&mut manifest_reader).unwrap();
    assert_eq!(details["manifest_sha256"], manifest_sha256.to_hex());

    // bag-info.txt.
    let info: BTreeMap<String, String> = fs::read_to_string(bag.join("bag-info.txt"))
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.split_once(": ").unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    assert_eq!(info["External-Identifier"], fx.case.name.as_str());
    assert_eq!(info["Payload-Oxum"], oxum);
    assert_eq!(info["Contact-Name"], OPERATOR);
    assert_eq!(info["Qorgau-Case-Id"], fx.case.id.to_string());
    assert_eq!(info["Qorgau-Exported-At-UTC"], last.at.to_utc_string());
    assert_eq!(
        info["Qorgau-Exported-At-Almaty"],
        last.at.to_almaty_string()
    );
    assert_eq!(info["Qorgau-Ledger-Key-Id"], fx.vault.key.public().id().0);
    assert_eq!(info["Bagging-Date"], &last.at.to_utc_string()[..10]);
    for label in [
        "Bag-Size",
        "External-Description",
        "Qorgau-Exported-By",
        "Qorgau-Tool",
    ] {
        assert!(info.contains_key(label), "bag-info.txt lacks {label}");
    }

    // items.jsonl: every record, unchanged, with where it is in the bag.
    let exported: Vec<ItemRecord> = fs::read_to_string(bag.join("items.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let by_id = |items: &[ItemRecord]| -> BTreeMap<Id, ItemRecord> {
        items.iter().map(|i| (i.id, i.clone())).collect()
    };
    assert_eq!(by_id(&exported), by_id(&fx.items));
    let paths = bag_paths(&bag);
    for item in &fx.items {
        let path = &paths[&item.id];
        let (sha256, md5, size) =
            hashing::hash_reader(&mut File::open(bag.join(path)).unwrap()).unwrap();
        assert_eq!(
            (sha256, md5, size),
            (item.sha256, item.md5, item.size),
            "{path}"
        );
    }

    // The layout keeps each acquisition's tree; names are made safe.
    let folder = |acquisition: Id, at: &str| {
        format!("data/evidence/{at}-{}", &acquisition.to_string()[28..])
    };
    let a = folder(fx.acquisition_a, "20261125T070000Z");
    let b = folder(fx.acquisition_b, "20261126T093000Z");
    let expect = |relative: &str, bag_path: String| {
        let item = fx.items.iter().filter(|i| i.relative_path == relative);
        assert!(
            item.clone().any(|i| paths[&i.id] == bag_path),
            "{relative} not at {bag_path}: {paths:#?}"
        );
    };
    expect(
        "Чаты/export_2026/result.json",
        format!("{a}/Чаты/export_2026/result.json"),
    );
    expect(
        "Чаты/export_2026/photos/photo_1@25-11-2026.jpg",
        format!("{a}/Чаты/export_2026/photos/photo_1@25-11-2026.jpg"),
    );
    expect(
        "Чаты/export_2026/empty.txt",
        format!("{a}/Чаты/export_2026/empty.txt"),
    );
    expect(
        "Чаты/notes 100% синтетика.txt",
        format!("{a}/Чаты/notes 100_ синтетика.txt"),
    );
    // Same path twice in one acquisition: both kept.
    expect(
        "Downloads/result.json",
        format!("{b}/Downloads/result.json"),
    );
    expect(
        "Downloads/result.json",
        format!("{b}/Downloads/result~2.json"),
    );
    // A path that tried to leave the payload stays inside it.
    expect("../../outside.txt", format!("{b}/__/__/outside.txt"));
    // The same content in two items is there twice.
    let chat = fx.item("Чаты/export_2026/result.json");
    let copies = fx.items.iter().filter(|i| i.sha256 == chat.sha256).count();
    assert_eq!(copies, 2);
    assert_eq!(
        fs::read(bag.join(format!("{b}/Downloads/result.json"))).unwrap(),
        CHAT_EXPORT.as_bytes()
    );
}

#[tokio::test]
async fn python_and_openssl_check_the_ledger_without_qorgau() {
    let fx = fixture(false).await;
    let (summary, _) = export(&fx, "bag").await;
    let version = tool("openssl", &["version"], fx.root());
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with("OpenSSL 3"),
        "Ed25519 with -rawin needs OpenSSL 3: {}",
        text(&version)
    );

    // The script in the module documentation is the one tested here.
    let source = include_str!("../src/export/mod.rs");
    for line in LEDGER_CHECK_SCRIPT.lines() {
        let doc = format!("//! {line}");
        assert!(
            source.contains(doc.trim_end()),
            "module doc lacks script line {line:?}"
        );
    }

    let check = |bag: &Path| {
        let scratch = tempfile::tempdir().unwrap();
        let output = Command::new("sh")
            .args(["-c", LEDGER_CHECK_SCRIPT])
            .env("BAG", bag)
            .current_dir(scratch.path())
            .output()
            .unwrap();
        for needed in ["python3", "openssl"] {
            assert!(
                !String::from_utf8_lossy(&output.stderr).contains(&format!("{needed}: not found")),
                "`{needed}` is not installed; run scripts/install-test-tools\n{}",
                text(&output)
            );
        }
        output
    };
    let ok = check(&summary.bag_dir);
    assert!(
        ok.status.success(),
        "the ledger check failed on a fresh export:\n{}",
        text(&ok)
    );
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        stdout.contains(&format!(
            "{} entries: hashes and links hold",
            summary.ledger_entries
        )) && stdout.contains("all signatures verify"),
        "{}",
        text(&ok)
    );

    // The last entry (the export) with its signature changed.
    let ledger_text = fs::read_to_string(summary.bag_dir.join("custody-ledger.jsonl")).unwrap();
    let mut lines: Vec<serde_json::Value> = ledger_text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tampered = fx.root().join("tampered");
    fs::create_dir(&tampered).unwrap();
    fs::copy(
        summary.bag_dir.join("ledger-public-key.pem"),
        tampered.join("ledger-public-key.pem"),
    )
    .unwrap();
    let write = |entries: &[String]| {
        fs::write(
            tampered.join("custody-ledger.jsonl"),
            entries.join("\n") + "\n",
        )
        .unwrap();
    };
    let mut raw: Vec<String> = ledger_text.lines().map(str::to_owned).collect();
    let last = raw.len() - 1;
    let signature = lines[last]["signature"].as_str().unwrap().to_owned();
    let flipped = format!(
        "{}{}",
        if signature.starts_with('0') { '1' } else { '0' },
        &signature[1..]
    );
    raw[last] = raw[last].replace(&signature, &flipped);
    write(&raw);
    let bad = check(&tampered);
    assert!(
        !bad.status.success() && String::from_utf8_lossy(&bad.stdout).contains("bad signature"),
        "a changed signature passed:\n{}",
        text(&bad)
    );

    // An earlier entry with its details changed.
    lines[1]["details"] = serde_json::Value::String("{\"path\":\"elsewhere\"}".into());
    let mut raw: Vec<String> = ledger_text.lines().map(str::to_owned).collect();
    let details = serde_json::to_string(&lines[1]["details"]).unwrap();
    let original: serde_json::Value = serde_json::from_str(&raw[1]).unwrap();
    let original_details = serde_json::to_string(&original["details"]).unwrap();
    raw[1] = raw[1].replace(&original_details, &details);
    assert_ne!(raw[1], ledger_text.lines().nth(1).unwrap());
    write(&raw);
    let bad = check(&tampered);
    assert!(
        !bad.status.success()
            && String::from_utf8_lossy(&bad.stderr).contains("entry 2 was altered"),
        "a changed entry passed:\n{}",
        text(&bad)
    );
}

#[tokio::test]
async fn refuses_a_non_empty_destination_and_leaves_it_untouched() {
    let fx = fixture(false).await;
    let before = fx.ledger().await;
    let out = fx.root().join("out");
    let bag = out.join("taken");
    fs::create_dir_all(&bag).unwrap();
    fs::write(bag.join("someone else's.txt"), "keep me").unwrap();

    let err = export_case(&fx.vault, &fx.case.name, &bag, &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::Input(_)), "{err:?}");
    assert!(
        err.to_string().contains(&bag.display().to_string()),
        "{err}"
    );
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(
        listing(&bag),
        BTreeSet::from(["someone else's.txt".to_owned()])
    );
    assert_eq!(
        fs::read_to_string(bag.join("someone else's.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(listing(&out), BTreeSet::from(["taken".to_owned()]));
    assert_eq!(
        fx.ledger().await,
        before,
        "a refused export must not be logged"
    );

    // A file in the way, and an audit file left by an earlier export.
    let file = out.join("a-file");
    fs::write(&file, "x").unwrap();
    let err = export_case(&fx.vault, &fx.case.name, &file, &|_| {})
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
    let fresh = out.join("fresh");
    let stale = out.join(format!("fresh{HASHDEEP_SUFFIX}"));
    fs::write(&stale, "old audit").unwrap();
    let err = export_case(&fx.vault, &fx.case.name, &fresh, &|_| {})
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(&stale.display().to_string()),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&stale).unwrap(), "old audit");
    assert!(!fresh.exists());

    // Not into the vault itself.
    let inside = fx.vault.data_dir.join("blobs").join("bag");
    let err = export_case(&fx.vault, &fx.case.name, &inside, &|_| {})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("inside the vault"), "{err}");
    assert!(!inside.exists());
    assert_eq!(fx.ledger().await, before);
}

#[tokio::test]
async fn refuses_an_unknown_case() {
    let fx = fixture(false).await;
    let missing = CaseName::parse("КУСП-0000-нет-такого").unwrap();
    let bag = fx.root().join("bag");
    let err = export_case(&fx.vault, &missing, &bag, &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::Input(_)), "{err:?}");
    assert!(err.to_string().contains("КУСП-0000-нет-такого"), "{err}");
    assert!(!bag.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_blob_stops_the_export_and_leaves_nothing_behind() {
    let fx = fixture(false).await;
    let before = fx.ledger().await;
    let photo = fx.item("Чаты/export_2026/photos/photo_1@25-11-2026.jpg");
    flip_byte(&fx.vault.blobs.cache_path(&photo.sha256), 500);

    let out = fx.root().join("out");
    fs::create_dir(&out).unwrap();
    let bag = out.join("bag");
    let err = export_case(&fx.vault, &fx.case.name, &bag, &|_| {})
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&photo.id.to_string()), "{message}");
    assert!(message.contains(&photo.relative_path), "{message}");
    assert!(message.contains("qorgau verify"), "{message}");
    assert!(listing(&out).is_empty(), "left behind: {:?}", listing(&out));
    assert_eq!(
        fx.ledger().await,
        before,
        "a failed export must not be logged"
    );

    // A missing blob likewise.
    fs::remove_file(fx.vault.blobs.cache_path(&photo.sha256)).unwrap();
    let err = export_case(&fx.vault, &fx.case.name, &bag, &|_| {})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    assert!(listing(&out).is_empty());
}

#[tokio::test]
async fn a_case_without_items_still_makes_a_valid_bag() {
    let fx = fixture(false).await;
    let name = CaseName::parse(&format!("пустое дело {}", Id::new())).unwrap();
    fx.vault
        .store
        .open_case(&name, &fx.vault.actor, &fx.vault.tool, &fx.vault.key)
        .await
        .unwrap();
    let bag = fx.root().join("empty-bag");
    let summary = export_case(&fx.vault, &name, &bag, &|_| {}).await.unwrap();
    assert_eq!((summary.items, summary.payload_bytes), (0, 0));
    assert_eq!((summary.ledger_entries, summary.exported_entry_seq), (2, 2));
    assert!(
        summary.audit_command.starts_with('#'),
        "{}",
        summary.audit_command
    );
    let valid = bagit_validate(&bag);
    assert!(
        valid.status.success(),
        "bagit.py refused an empty bag:\n{}",
        text(&valid)
    );
}
