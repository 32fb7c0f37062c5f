#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Mirror-domain grouping on domain names alone and with content fingerprints.

use std::collections::HashMap;

use qorgau_network::{MirrorReason, mirror_groups};

fn groups_of(domains: &[&str]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = mirror_groups(domains.iter().copied(), None)
        .into_iter()
        .map(|g| {
            let mut d: Vec<String> = g.domains().into_iter().map(str::to_owned).collect();
            d.sort();
            d
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_study_hop_sequence_is_one_group() {
    let groups = mirror_groups(
        [
            "kyzdar.net",
            "kyzdar2.net",
            "kyzdar4.net",
            "kyzdar.org",
            "tunrelax.com",
        ],
        None,
    );
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    let mut domains = g.domains();
    domains.sort();
    assert_eq!(
        domains,
        ["kyzdar.net", "kyzdar.org", "kyzdar2.net", "kyzdar4.net"]
    );
    assert_eq!(g.base, "kyzdar");
    assert_eq!(g.links.len(), 3, "a spanning set of links");
    assert!(g.id.starts_with("m-"));
    let org = g
        .links
        .iter()
        .find(|l| l.from == "kyzdar.org" || l.to == "kyzdar.org")
        .unwrap();
    assert_eq!(
        org.reason,
        MirrorReason::SameLabel {
            label: "kyzdar".into()
        }
    );
}

#[test]
fn hop_variants_join() {
    assert_eq!(
        groups_of(&[
            "kyzdar-new.net",
            "new-kyzdar.org",
            "newkyzdar.com",
            "kyzdar-zerkalo.kz",
            "kyzdarkz.com",
            "kyzdar24.site",
        ]),
        [vec![
            "kyzdar-new.net",
            "kyzdar-zerkalo.kz",
            "kyzdar24.site",
            "kyzdarkz.com",
            "new-kyzdar.org",
            "newkyzdar.com",
        ]]
    );
}

#[test]
fn look_alikes_join_with_their_reason() {
    let encoded = idna::punycode::encode_str("кyzdar").unwrap(); // Cyrillic к, Latin rest
    let idn = format!("xn--{encoded}.net");
    let groups = mirror_groups(
        [
            "kyzdar.net",
            "kyzd4r.net",
            "qyzdar.kz",
            idn.as_str(),
            "kyzdra.net",
        ],
        None,
    );
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].members.len(), 5);
    let reasons: Vec<&MirrorReason> = groups[0].links.iter().map(|l| &l.reason).collect();
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, MirrorReason::LookAlike { .. }))
    );
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, MirrorReason::NearName { distance: 1 }))
    );
    let idn_member = groups[0].members.iter().find(|m| m.domain == idn).unwrap();
    assert_eq!(idn_member.unicode.as_deref(), Some("кyzdar.net"));
}

#[test]
fn generic_and_short_names_stay_apart() {
    // Unrelated sites share everyday names: never grouped by the name alone.
    let none: [&[&str]; 7] = [
        &["work.kz", "works.kz", "work.org", "work2.kz"],
        &["jobs.kz", "jobs.org"],
        &["rabota-almaty.kz", "rabota-almaty24.kz", "rabota-astana.kz"],
        &["dosug.kz", "dosug24.kz", "dosug-almaty.kz"],
        &["beauty-salon.kz", "beauty-salon2.kz"],
        &["abc.kz", "abc2.kz", "abd.kz"],
        &["aqqu-pro.kz", "aqqu-group.kz"],
    ];
    for set in none {
        assert!(
            groups_of(set).is_empty(),
            "{set:?} grouped: {:?}",
            groups_of(set)
        );
    }
    // Distinct brands a few letters apart stay apart too.
    assert!(groups_of(&["tunrelax.com", "tungiqyz.com", "nurdosug.org"]).is_empty());
    assert!(groups_of(&["tunrelax-ast.com", "tunrelax-ala.com"]).is_empty());
}

#[test]
fn identical_content_joins_unrelated_names_and_generic_ones() {
    let prints: HashMap<&str, u64> = HashMap::from([
        ("work.kz", 0xDEAD_BEEF_0000_1111),
        ("jobs-almaty.kz", 0xDEAD_BEEF_0000_1113), // one bit apart
        ("other.kz", 0x0123_4567_89AB_CDEF),
    ]);
    let content = |d: &str| prints.get(d).copied();
    let groups = mirror_groups(["work.kz", "jobs-almaty.kz", "other.kz"], Some(&content));
    assert_eq!(groups.len(), 1);
    assert_eq!(
        groups[0].links[0].reason,
        MirrorReason::SameContent { distance: 1 }
    );
}

#[test]
fn garbage_is_skipped_not_fatal() {
    let groups = mirror_groups(
        [
            "",
            ".",
            "no-dot",
            "a..b",
            "xn--.kz",
            "xn--zzzzzzz-.kz",
            "😀.kz",
            "kyzdar.net",
            "https://kyzdar2.net/x?y#z",
        ],
        None,
    );
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].members.len(), 2);
}
