//! The independent check: the same fixtures through the `ivms101` npm
//! package (Notabene's Zod schemas for IVMS101 2020 and 2023), verdict by
//! verdict, and again on this crate's re-serialisation of each payload.
//!
//! Where the two disagree, the table says why, citing the standard; every
//! other fixture must get the same verdict from both.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use qorgau_ivms101::{parse, validate_on};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Each fixture: our verdict, the npm package's, and the reason when they
/// differ (empty when they agree). `None` for ours means a parse error.
const EXPECTED: &[(&str, Option<bool>, bool, &str)] = &[
    ("valid/2020-natural-persons.json", Some(true), true, ""),
    ("valid/2023-transfer-path.json", Some(true), true, ""),
    (
        "valid/2023-legal-originator-address-lines.json",
        Some(true),
        true,
        "",
    ),
    (
        "valid/2023-beneficiary-name-only.json",
        Some(true),
        false,
        "the package applies C1 to every person; the standard to \"the originator\"",
    ),
    (
        "valid/2023-natural-person-raid.json",
        Some(true),
        false,
        "the package forbids RAID and LEIX for natural persons; the standard does not \
         (its own Example 2 identifies a sole trader by RAID)",
    ),
    (
        "valid/2020-address-without-town.json",
        Some(true),
        false,
        "the package requires townName; the standard's element definition makes it [0..1] \
         (its structure table says [1..1])",
    ),
    (
        "invalid/2023-lei-check-digits.json",
        Some(false),
        true,
        "the package checks the LEIText pattern only, not the ISO 17442 check digits",
    ),
    (
        "invalid/2020-not-latin.json",
        Some(false),
        true,
        "the package does not check the MaxNText character set",
    ),
    (
        "invalid/2020-too-long.json",
        Some(false),
        true,
        "the package does not check text lengths",
    ),
    (
        "invalid/2023-legal-person-fiin.json",
        Some(false),
        true,
        "the package allows FIIN for legal persons; C7 allows RAID, MISC, LEIX, TXID",
    ),
    (
        "invalid/2020-person-both.json",
        Some(false),
        true,
        "the package does not check that a person is natural or legal, not both",
    ),
    ("invalid/2023-constraints.json", Some(false), false, ""),
    (
        "invalid/2023-originator-without-details.json",
        Some(false),
        false,
        "",
    ),
    (
        "invalid/2023-transfer-path-gap.json",
        Some(false),
        false,
        "",
    ),
    ("invalid/2023-edition-mix.json", Some(false), false, ""),
    (
        "invalid/2020-non-standard-keys.json",
        Some(false),
        false,
        "",
    ),
    ("invalid/protojson-style.json", Some(false), false, ""),
    ("malformed/truncated.json", None, false, ""),
    ("malformed/name-is-a-string.json", None, false, ""),
    ("malformed/negative-sequence.json", None, false, ""),
];

fn ours(bytes: &[u8]) -> Option<bool> {
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    parse(bytes).ok().map(|p| validate_on(&p, today).is_valid())
}

#[test]
fn every_fixture_is_in_the_table() {
    let mut on_disk = Vec::new();
    for dir in ["valid", "invalid", "malformed"] {
        for entry in std::fs::read_dir(fixtures().join(dir)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            on_disk.push(format!("{dir}/{name}"));
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|e| e.0.to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn verdicts_agree_with_the_npm_package_except_where_explained() {
    let files: Vec<PathBuf> = EXPECTED.iter().map(|e| fixtures().join(e.0)).collect();
    let theirs = common::notabene(&files);
    let mut agree = 0;
    for ((name, our_expected, their_expected, reason), verdict) in EXPECTED.iter().zip(&theirs) {
        let bytes = std::fs::read(fixtures().join(name)).unwrap();
        assert_eq!(ours(&bytes), *our_expected, "{name}: our verdict");
        assert_eq!(
            verdict.valid, *their_expected,
            "{name}: the npm package's verdict changed: {:?}",
            verdict.issues
        );
        let same = our_expected.unwrap_or(false) == verdict.valid;
        assert_eq!(
            same,
            reason.is_empty(),
            "{name}: agreement and reason do not match"
        );
        if same {
            agree += 1;
        }
        if our_expected.is_none() {
            // Both refuse what cannot be read; the package parses the
            // well-formed two and refuses them in its schema.
            assert!(!verdict.valid);
        }
    }
    eprintln!(
        "{agree} of {} fixtures agree; {} differ for the reasons listed",
        EXPECTED.len(),
        EXPECTED.len() - agree
    );
}

/// Our JSON form is the standard's: the npm package gives our
/// re-serialisation of each payload the verdict it gave the original.
#[test]
fn our_serialisation_gets_the_same_verdict_from_the_npm_package() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ivms101-roundtrip");
    std::fs::create_dir_all(&out).unwrap();
    let mut originals = Vec::new();
    let mut written = Vec::new();
    for (name, ours_expected, _, _) in EXPECTED {
        if ours_expected.is_none() {
            continue;
        }
        let payload = parse(&std::fs::read(fixtures().join(name)).unwrap()).unwrap();
        let target = out.join(name.replace('/', "--"));
        std::fs::write(&target, serde_json::to_vec_pretty(&payload).unwrap()).unwrap();
        originals.push(fixtures().join(name));
        written.push(target);
    }
    let before = common::notabene(&originals);
    let after = common::notabene(&written);
    for (b, a) in before.iter().zip(&after) {
        assert!(a.parsed, "{}", a.file.display());
        assert_eq!(
            b.valid,
            a.valid,
            "{}: {:?} vs {:?}",
            b.file.display(),
            b.issues,
            a.issues
        );
    }
}
