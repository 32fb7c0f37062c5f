#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Sealing victims' personal data: round trip, views, wrong key, tampering,
//! moved ciphertexts, rotation and key files.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;

use chrono::NaiveDate;
use qorgau_victims::seal::{self, HEADER_LEN, MAGIC};
use qorgau_victims::{
    AgeBand, Contact, ContactKind, DataCategory, IdentityDocument, KeyError, KeyId, KeyRing,
    MinorStatus, Names, Outcome, PersonalData, PersonalDataAccess, ReferralStatus, SealError,
    VictimFacts, VictimKey, VictimRecord, VictimView, create_key_file, load_key_file,
};
use uuid::Uuid;

/// Synthetic person: no real data.
fn person() -> PersonalData {
    PersonalData {
        names: Some(Names {
            family: "Тестова".into(),
            given: "Синтетика".into(),
            patronymic: Some("Примеровна".into()),
            other: vec!["synthetic_handle_01".into()],
        }),
        birth_date: NaiveDate::from_ymd_opt(2008, 4, 1),
        contacts: vec![Contact {
            kind: ContactKind::Phone,
            value: "+7 700 000 00 01".into(),
            safe_to_use: true,
        }],
        address: Some("г. Примерск, ул. Тестовая, 1".into()),
        documents: vec![IdentityDocument {
            kind: "id_card".into(),
            number: "000000001".into(),
            whereabouts: Some("taken by the employer".into()),
        }],
        notes: Some("Synthetic note for tests.".into()),
    }
}

fn facts() -> VictimFacts {
    VictimFacts {
        age_band: AgeBand::From14To17,
        minor: MinorStatus::Minor,
        screening_outcome: Some(Outcome::Positive),
        referral_status: ReferralStatus::Pending,
    }
}

fn ring() -> KeyRing {
    KeyRing::new(VictimKey::generate().unwrap())
}

fn record(keys: &KeyRing) -> VictimRecord {
    VictimRecord::new(
        Uuid::now_v7(),
        Some(Uuid::now_v7()),
        facts(),
        &person(),
        keys,
    )
    .unwrap()
}

fn personal(view: VictimView) -> PersonalData {
    match view {
        VictimView::Personal(p) => p.personal,
        VictimView::Sealed(s) => panic!("expected personal view, got {s:?}"),
    }
}

#[test]
fn round_trip_with_full_access() {
    let keys = ring();
    let r = record(&keys);
    let got = personal(r.view(&PersonalDataAccess::all(), &keys).unwrap());
    assert_eq!(got, person());
    assert_eq!(r.sealed_with().unwrap(), keys.current().id());
}

#[test]
fn stored_record_and_sealed_view_reveal_no_personal_data() {
    let keys = ring();
    let r = record(&keys);
    let stored = serde_json::to_string(&r).unwrap();
    let sealed =
        serde_json::to_string(&r.view(&PersonalDataAccess::Denied, &keys).unwrap()).unwrap();
    for text in [&stored, &sealed] {
        for secret in [
            "Тестова",
            "Синтетика",
            "700 000",
            "000000001",
            "Тестовая",
            "synthetic_handle",
        ] {
            assert!(!text.contains(secret), "`{secret}` leaked into {text}");
        }
    }
    // The raw ciphertext does not contain the plaintext either.
    let needle = "Синтетика".as_bytes();
    assert!(!r.sealed_personal.windows(needle.len()).any(|w| w == needle));
    match r.view(&PersonalDataAccess::Denied, &keys).unwrap() {
        VictimView::Sealed(s) => {
            assert_eq!(s.record_id, r.id);
            assert_eq!(s.age_band, AgeBand::From14To17);
            assert_eq!(s.minor, MinorStatus::Minor);
            assert_eq!(s.screening_outcome, Some(Outcome::Positive));
            assert_eq!(s.referral_status, ReferralStatus::Pending);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sealed_view_never_decrypts() {
    let keys = ring();
    let r = record(&keys);
    let unrelated = ring();
    assert!(matches!(
        r.view(&PersonalDataAccess::Denied, &unrelated).unwrap(),
        VictimView::Sealed(_)
    ));
    // A grant with no personal-data category is the sealed view too.
    let screening_only = PersonalDataAccess::Granted {
        categories: [DataCategory::Screening].into_iter().collect(),
    };
    assert!(matches!(
        r.view(&screening_only, &unrelated).unwrap(),
        VictimView::Sealed(_)
    ));
    // Whereas a personal grant with the wrong key fails.
    assert!(r.view(&PersonalDataAccess::all(), &unrelated).is_err());
}

#[test]
fn a_partial_grant_shows_only_its_categories() {
    let keys = ring();
    let r = record(&keys);
    let access = PersonalDataAccess::Granted {
        categories: [DataCategory::Contacts, DataCategory::Screening]
            .into_iter()
            .collect(),
    };
    let VictimView::Personal(view) = r.view(&access, &keys).unwrap() else {
        panic!("expected personal view")
    };
    assert_eq!(view.personal.contacts, person().contacts);
    assert!(view.personal.names.is_none());
    assert!(view.personal.birth_date.is_none());
    assert!(view.personal.address.is_none());
    assert!(view.personal.documents.is_empty());
    assert!(view.personal.notes.is_none());
    let withheld: BTreeSet<_> = [
        DataCategory::Identity,
        DataCategory::Address,
        DataCategory::Documents,
        DataCategory::Notes,
    ]
    .into_iter()
    .collect();
    assert_eq!(view.withheld, withheld);
    assert_eq!(view.facts, r.sealed_view());
}

#[test]
fn a_wrong_key_fails() {
    let keys = ring();
    let r = record(&keys);
    // A key with another id: the ring does not have it.
    let other = ring();
    assert_eq!(
        seal::open(&other, r.id, &r.sealed_personal).unwrap_err(),
        SealError::UnknownKey(keys.current().id())
    );
    // A key with the same id but another secret: authentication fails.
    let impostor = KeyRing::new(VictimKey::from_parts(keys.current().id(), [7u8; 32]));
    assert_eq!(
        r.view(&PersonalDataAccess::all(), &impostor).unwrap_err(),
        SealError::Authentication
    );
}

#[test]
fn any_changed_byte_is_detected() {
    let keys = ring();
    let r = record(&keys);
    let good = r.sealed_personal.clone();
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x01;
        let err = seal::open(&keys, r.id, &bad).unwrap_err();
        let expected = match i {
            0..=3 => SealError::BadMagic,
            4 => SealError::UnsupportedVersion(good[4] ^ 0x01),
            5..=20 => SealError::UnknownKey(seal::read_header(&bad).unwrap().key_id),
            _ => SealError::Authentication,
        };
        assert_eq!(err, expected, "byte {i}");
    }
    // Truncated and extended.
    assert_eq!(
        seal::open(&keys, r.id, &good[..good.len() - 1]).unwrap_err(),
        SealError::Authentication
    );
    assert_eq!(
        seal::open(&keys, r.id, &good[..HEADER_LEN]).unwrap_err(),
        SealError::TooShort(HEADER_LEN)
    );
    let mut longer = good.clone();
    longer.push(0);
    assert_eq!(
        seal::open(&keys, r.id, &longer).unwrap_err(),
        SealError::Authentication
    );
    assert!(seal::open(&keys, r.id, &good).is_ok());
}

#[test]
fn a_ciphertext_moved_to_another_record_fails() {
    let keys = ring();
    let a = record(&keys);
    let mut b = record(&keys);
    b.sealed_personal = a.sealed_personal.clone();
    assert_eq!(
        b.view(&PersonalDataAccess::all(), &keys).unwrap_err(),
        SealError::Authentication
    );
    assert!(a.view(&PersonalDataAccess::all(), &keys).is_ok());
}

#[test]
fn rotation_reseals_with_the_new_key() {
    // The same old key twice (keys are not `Clone`): once in a ring of its
    // own, once retired beside the new key.
    let old_id = KeyId::from_bytes(*Uuid::now_v7().as_bytes());
    let old_secret = [0x5au8; 32];
    let old = VictimKey::from_parts(old_id, old_secret);
    let old_secret_ring = KeyRing::new(VictimKey::from_parts(old_id, old_secret));
    let mut r = record(&old_secret_ring);
    assert_eq!(r.sealed_with().unwrap(), old_id);

    let new = VictimKey::generate().unwrap();
    let new_id = new.id();
    let both = KeyRing::with_retired(new, vec![old]).unwrap();
    assert!(
        r.rotate(&both).unwrap(),
        "first rotation changes the record"
    );
    assert_eq!(r.sealed_with().unwrap(), new_id);
    assert!(!r.rotate(&both).unwrap(), "second rotation is a no-op");
    assert_eq!(
        personal(r.view(&PersonalDataAccess::all(), &both).unwrap()),
        person()
    );

    // After rotation the old key alone no longer opens it.
    assert_eq!(
        r.view(&PersonalDataAccess::all(), &old_secret_ring)
            .unwrap_err(),
        SealError::UnknownKey(new_id)
    );
    // A rotation run also reports damaged values instead of skipping them.
    let mut damaged = r.clone();
    let last = damaged.sealed_personal.len() - 1;
    damaged.sealed_personal[last] ^= 0x80;
    assert_eq!(
        damaged.rotate(&both).unwrap_err(),
        SealError::Authentication
    );
}

#[test]
fn key_ring_refuses_duplicate_ids() {
    let a = VictimKey::generate().unwrap();
    let twin = VictimKey::from_parts(a.id(), [1u8; 32]);
    assert!(matches!(
        KeyRing::with_retired(a, vec![twin]),
        Err(KeyError::DuplicateId(_))
    ));
}

#[test]
fn sealing_twice_gives_different_bytes_and_lengths_are_padded() {
    let keys = ring();
    let id = Uuid::now_v7();
    let a = VictimRecord::new(id, None, facts(), &person(), &keys).unwrap();
    let b = VictimRecord::new(id, None, facts(), &person(), &keys).unwrap();
    assert_ne!(
        a.sealed_personal, b.sealed_personal,
        "fresh nonce each time"
    );
    let mut longer = person();
    longer.names.as_mut().unwrap().given.push_str("ааа");
    let c = VictimRecord::new(id, None, facts(), &longer, &keys).unwrap();
    assert_eq!(a.sealed_personal.len(), c.sealed_personal.len());
    assert_eq!((a.sealed_personal.len() - HEADER_LEN - 16) % 256, 0);
    assert_eq!(&a.sealed_personal[..4], &MAGIC);
}

#[test]
fn replacing_personal_data_keeps_it_bound_to_the_record() {
    let keys = ring();
    let mut r = record(&keys);
    let mut p = person();
    p.address = None;
    r.replace_personal(&p, &keys).unwrap();
    assert_eq!(
        personal(r.view(&PersonalDataAccess::all(), &keys).unwrap()),
        p
    );
}

// ----- key files ------------------------------------------------------------

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn key_file_is_created_0600_and_loads_to_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys/victims.key");
    let created = create_key_file(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let loaded = load_key_file(&path).unwrap();
    assert_eq!(loaded.id(), created.id());
    let rec = Uuid::now_v7();
    let ct = seal::seal(&created, rec, b"synthetic").unwrap();
    assert_eq!(
        &*seal::open(&KeyRing::new(loaded), rec, &ct).unwrap(),
        b"synthetic"
    );
    // Never overwritten.
    assert!(matches!(create_key_file(&path), Err(KeyError::Exists(_))));
    assert_eq!(load_key_file(&path).unwrap().id(), created.id());
}

#[test]
fn key_file_accessible_by_others_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("victims.key");
    create_key_file(&path).unwrap();
    for m in [0o644, 0o640, 0o604, 0o660, 0o602, 0o610] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(m)).unwrap();
        match load_key_file(&path) {
            Err(KeyError::Permissions { mode, .. }) => assert_eq!(mode, m),
            other => panic!("mode {m:o}: {other:?}"),
        }
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    assert!(load_key_file(&path).is_ok());
    let msg = {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        load_key_file(&path).unwrap_err().to_string()
    };
    assert!(msg.contains("0644") && msg.contains("chmod 600"), "{msg}");
}

#[test]
fn a_directory_or_missing_file_is_not_a_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(matches!(
        load_key_file(dir.path()),
        Err(KeyError::NotAFile(_))
    ));
    assert!(matches!(
        load_key_file(&dir.path().join("absent.key")),
        Err(KeyError::Io { .. })
    ));
}

#[test]
fn key_file_errors_name_the_line_and_never_quote_the_secret() {
    let key = VictimKey::generate().unwrap();
    let text = key.to_file_text();
    let secret_line = text.lines().find(|l| l.starts_with("secret ")).unwrap();
    let secret_hex = &secret_line[7..];
    let cases: Vec<(String, usize)> = vec![
        (
            text.replace("qorgau-victims-key 1", "qorgau-victims-key 2"),
            4,
        ),
        (text.replace(secret_hex, &secret_hex[..63]), 6),
        (
            text.replace(secret_hex, &format!("{}zz", &secret_hex[..62])),
            6,
        ),
        (format!("{}\nsecret {secret_hex}\n", &*text), 8),
        (text.replace("id ", "idx "), 5),
        (text.replace("id ", "id not-a-uuid #"), 5),
        (text.replace(secret_line, ""), 6),
        (String::new(), 1),
    ];
    for (bad, line) in cases {
        let err = VictimKey::from_file_text("k.key", &bad).unwrap_err();
        let shown = err.to_string();
        match &err {
            KeyError::Format { line: l, .. } => assert_eq!(*l, line, "{shown}"),
            other => panic!("{other:?}"),
        }
        assert!(!shown.contains(&secret_hex[..16]), "secret quoted: {shown}");
    }
    let dbg = format!("{key:?}");
    assert!(dbg.contains("redacted") && !dbg.contains(&secret_hex[..16]));
}

#[test]
fn key_ids_are_in_the_header() {
    let keys = ring();
    let r = record(&keys);
    let h = seal::read_header(&r.sealed_personal).unwrap();
    assert_eq!(h.version, 1);
    assert_eq!(h.key_id, keys.current().id());
    assert_eq!(KeyId::from_bytes(*h.key_id.as_bytes()), h.key_id);
}
