//! Tampering: flip single bytes in blobs, item rows, case rows and ledger
//! entries at random, hundreds of times, and check that `verify` reports
//! every mutation at the item, case or entry that was changed — and that the
//! vault verifies clean again once the byte is put back.
//!
//! The append-only triggers are dropped first: an attacker with database
//! access could do the same, and verification must not depend on them.
//! Runs on SQLite, or on PostgreSQL when `QORGAU_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use qorgau_core::CaseName;
use qorgau_store::testing::TestDatabase;
use qorgau_vault::acquire::{self, AcquireObserver, AddRequest};
use qorgau_vault::verify::{Location, verify};
use qorgau_vault::{Vault, VaultConfig};

struct Quiet;
impl AcquireObserver for Quiet {}

/// A small deterministic generator, so a failure can be replayed from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ITEM_COLUMNS: &[&str] = &[
    "id",
    "case_id",
    "acquisition_id",
    "sha256",
    "md5",
    "size",
    "media_type",
    "source_root",
    "original_path",
    "relative_path",
    "file_name",
    "modified_at",
    "accessed_at",
    "changed_at",
    "born_at",
    "acquired_at",
    "acquired_at_local",
    "acquired_by",
    "acquired_host",
    "tool_name",
    "tool_version",
    "note",
    "metadata",
];
const LEDGER_COLUMNS: &[&str] = &[
    "chain",
    "seq",
    "at",
    "kind",
    "case_id",
    "item_id",
    "actor_user",
    "actor_host",
    "tool_name",
    "tool_version",
    "subject_digest",
    "details",
    "prev_hash",
    "key_id",
    "entry_hash",
    "signature",
];
const CASE_COLUMNS: &[&str] = &["id", "name", "created_at", "created_by", "created_host"];

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Changes one character (or one bit of a number) of `value`.
fn mutate(value: Option<&str>, numeric: bool, rng: &mut Rng) -> String {
    let Some(value) = value else {
        return "x".to_owned();
    };
    if numeric {
        let n: i64 = value.parse().unwrap_or(0);
        return (n ^ (1 << rng.below(8))).to_string();
    }
    let mut chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        return "x".to_owned();
    }
    let i = rng.below(chars.len());
    let original = chars[i];
    // Stay within the same alphabet half the time, so the value still
    // parses (a hex digest stays hex) and only the digests can tell.
    let pool: Vec<char> = if original.is_ascii_hexdigit() && rng.below(2) == 0 {
        "0123456789abcdef".chars().collect()
    } else {
        "abcXYZ019-:_é".chars().collect()
    };
    loop {
        let c = pool[rng.below(pool.len())];
        if c != original {
            chars[i] = c;
            break;
        }
    }
    chars.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_single_byte_mutation_is_reported_at_the_right_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let vault = Vault::open(&VaultConfig {
        data_dir: dir.path().join("vault"),
        database_url: db.url.clone(),
        operator: Some("tester".into()),
        s3: None,
    })
    .await
    .unwrap();

    // Evidence: a seized folder with nested files of varied sizes.
    let source = dir.path().join("seized");
    for i in 0..24u32 {
        let sub = source.join(format!("chat{}", i % 4));
        std::fs::create_dir_all(&sub).unwrap();
        let body: Vec<u8> = (0..(i * 997 + 13)).map(|j| (j * 7 + i) as u8).collect();
        std::fs::write(sub.join(format!("file{i}.bin")), body).unwrap();
    }
    for case in ["TAMPER-1", "TAMPER-2"] {
        let summary = acquire::add(
            &vault,
            &AddRequest {
                paths: vec![source.clone()],
                case: CaseName::parse(case).unwrap(),
                note: Some("заметка".into()),
            },
            &Quiet,
        )
        .await
        .unwrap();
        assert_eq!(summary.stored, 24);
        // The second case re-acquires the same bytes: shared blobs.
    }
    let clean = verify(&vault, None, false, &|_| {}).await.unwrap();
    assert!(clean.ok(), "fresh vault must verify: {:?}", clean.problems);

    vault.store.drop_guards_unchecked().await.unwrap();
    let store = &vault.store;
    let seed = std::env::var("QORGAU_TAMPER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_1234_u64);
    let rounds: usize = std::env::var("QORGAU_TAMPER_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(240);
    let mut rng = Rng(seed);
    let mut counts = [0usize; 4];

    for round in 0..rounds {
        let target = round % 4;
        counts[target] += 1;
        let (expected, restore): (Vec<Location>, Box<dyn FnOnce() -> Restore>) = match target {
            0 => {
                // A byte of a blob on disk.
                let shas = store
                    .fetch_text_unchecked(
                        "SELECT DISTINCT sha256 FROM items ORDER BY sha256".into(),
                    )
                    .await
                    .unwrap();
                let sha = shas[rng.below(shas.len())].clone().unwrap();
                let ids = store
                    .fetch_text_unchecked(format!(
                        "SELECT id FROM items WHERE sha256 = {}",
                        quote(&sha)
                    ))
                    .await
                    .unwrap();
                let path = vault
                    .blobs
                    .cache_path(&qorgau_core::Sha256Digest::parse(&sha).unwrap());
                let mut bytes = std::fs::read(&path).unwrap();
                let at = rng.below(bytes.len());
                let original = bytes[at];
                bytes[at] ^= 1 << rng.below(8);
                write_blob(&path, &bytes);
                let expected = ids
                    .into_iter()
                    .map(|id| Location::Item { id: id.unwrap() })
                    .collect();
                (
                    expected,
                    Box::new(move || Restore::Blob(path, at, original)),
                )
            }
            1 => {
                let ids = store
                    .fetch_text_unchecked("SELECT id FROM items ORDER BY id".into())
                    .await
                    .unwrap();
                let id = ids[rng.below(ids.len())].clone().unwrap();
                let (column, original, changed) = flip_random(
                    store,
                    "items",
                    ITEM_COLUMNS,
                    &format!("id = {}", quote(&id)),
                    &mut rng,
                )
                .await;
                let new_id = if column == "id" {
                    changed.clone()
                } else {
                    id.clone()
                };
                let expected = vec![
                    Location::Item { id: id.clone() },
                    Location::Item { id: new_id.clone() },
                ];
                let key = format!("id = {}", quote(&new_id));
                (
                    expected,
                    Box::new(move || Restore::Row("items", column, key, original)),
                )
            }
            2 => {
                let keys = store
                    .fetch_text_unchecked(
                        "SELECT chain || '#' || CAST(seq AS TEXT) FROM ledger ORDER BY chain, seq"
                            .into(),
                    )
                    .await
                    .unwrap();
                let key = keys[rng.below(keys.len())].clone().unwrap();
                let (chain, seq) = key.rsplit_once('#').unwrap();
                let seq: u64 = seq.parse().unwrap();
                let filter = format!("chain = {} AND seq = {seq}", quote(chain));
                let (column, original, changed) =
                    flip_random(store, "ledger", LEDGER_COLUMNS, &filter, &mut rng).await;
                let mut expected = vec![Location::LedgerEntry {
                    chain: chain.to_owned(),
                    seq,
                }];
                let new_filter = match column {
                    "chain" => {
                        expected.push(Location::LedgerEntry {
                            chain: changed.clone(),
                            seq,
                        });
                        format!("chain = {} AND seq = {seq}", quote(&changed))
                    }
                    "seq" => {
                        let new_seq: u64 = changed.parse().unwrap_or(0);
                        expected.push(Location::LedgerEntry {
                            chain: chain.to_owned(),
                            seq: new_seq,
                        });
                        format!("chain = {} AND seq = {new_seq}", quote(chain))
                    }
                    _ => filter,
                };
                (
                    expected,
                    Box::new(move || Restore::Row("ledger", column, new_filter, original)),
                )
            }
            _ => {
                let ids = store
                    .fetch_text_unchecked("SELECT id FROM cases ORDER BY id".into())
                    .await
                    .unwrap();
                let id = ids[rng.below(ids.len())].clone().unwrap();
                let (column, original, changed) = flip_random(
                    store,
                    "cases",
                    CASE_COLUMNS,
                    &format!("id = {}", quote(&id)),
                    &mut rng,
                )
                .await;
                let new_id = if column == "id" {
                    changed.clone()
                } else {
                    id.clone()
                };
                let expected = vec![
                    Location::Case { id: id.clone() },
                    Location::Case { id: new_id.clone() },
                ];
                let key = format!("id = {}", quote(&new_id));
                (
                    expected,
                    Box::new(move || Restore::Row("cases", column, key, original)),
                )
            }
        };

        let report = verify(&vault, None, false, &|_| {}).await.unwrap();
        let found: HashSet<&Location> = report.problems.iter().map(|p| &p.location).collect();
        assert!(
            !report.ok() && expected.iter().any(|loc| found.contains(loc)),
            "round {round} (seed {seed:#x}): mutation not reported at {expected:?}; got {:?}",
            report.problems
        );
        if target == 0 {
            // A blob is shared by the items of both cases: each is named.
            for loc in &expected {
                assert!(found.contains(loc), "round {round}: {loc:?} not named");
            }
        }

        match restore() {
            Restore::Blob(path, at, original) => {
                let mut bytes = std::fs::read(&path).unwrap();
                bytes[at] = original;
                write_blob(&path, &bytes);
            }
            Restore::Row(table, column, filter, original) => {
                let value = original.as_deref().map_or("NULL".to_owned(), quote);
                let n = store
                    .execute_unchecked(format!(
                        "UPDATE {table} SET {column} = {value} WHERE {filter}"
                    ))
                    .await
                    .unwrap();
                assert_eq!(
                    n, 1,
                    "round {round}: restoring {table}.{column} where {filter}"
                );
            }
        }
        let again = verify(&vault, None, false, &|_| {}).await.unwrap();
        assert!(
            again.ok(),
            "round {round}: not clean after restoring: {:?}",
            again.problems
        );
    }
    assert!(counts.iter().all(|&c| c >= rounds / 4), "{counts:?}");
}

enum Restore {
    Blob(PathBuf, usize, u8),
    Row(&'static str, &'static str, String, Option<String>),
}

fn write_blob(path: &PathBuf, bytes: &[u8]) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
}

/// Changes one value of a random column; returns (column, original,
/// changed). A change the schema refuses (a duplicate key, a foreign key to
/// nothing) is not a silent mutation, so another column is tried.
async fn flip_random(
    store: &qorgau_store::Store,
    table: &str,
    columns: &[&'static str],
    filter: &str,
    rng: &mut Rng,
) -> (&'static str, Option<String>, String) {
    for _ in 0..50 {
        let column = columns[rng.below(columns.len())];
        let original = store
            .fetch_text_unchecked(format!(
                "SELECT CAST({column} AS TEXT) FROM {table} WHERE {filter}"
            ))
            .await
            .unwrap()
            .remove(0);
        let numeric = matches!(column, "size" | "seq");
        let mut changed = mutate(original.as_deref(), numeric, rng);
        if column == "seq" {
            // Far from the other positions of the chain, so the key stays unique.
            changed = (changed.parse::<i64>().unwrap_or(0) + 100_000).to_string();
        }
        let outcome = store
            .execute_unchecked(format!(
                "UPDATE {table} SET {column} = {} WHERE {filter}",
                quote(&changed)
            ))
            .await;
        match outcome {
            Ok(1) => return (column, original, changed),
            Ok(n) => panic!("mutating {table}.{column} where {filter} changed {n} rows"),
            Err(_) => continue,
        }
    }
    panic!("no mutation of {table} where {filter} was accepted")
}
