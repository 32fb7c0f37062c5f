#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Network building on hand-written synthetic facts: what links, what must not, and what a
//! network's summary says.

use qorgau_network::{
    DocFacts, EdgeKind, HubReason, NetworkBuilder, NetworkOptions, Networks, Role, Scope,
    parse_time,
};

fn doc(id: &str, ids: &[(&str, &str)]) -> DocFacts {
    let mut d = DocFacts::new(id);
    for (k, v) in ids {
        d = d.with_identifier(k, v);
    }
    d
}

fn at(mut d: DocFacts, t: &str) -> DocFacts {
    d.published_at = parse_time(t);
    d
}

fn role(mut d: DocFacts, scenario: &str) -> DocFacts {
    d.scenario = Some(scenario.into());
    d.flagged = scenario != "none";
    d
}

fn build(docs: Vec<DocFacts>) -> Networks {
    build_with(docs, NetworkOptions::default())
}

fn build_with(docs: Vec<DocFacts>, options: NetworkOptions) -> Networks {
    let mut b = NetworkBuilder::new(options);
    for d in docs {
        b.add(d);
    }
    b.build()
}

fn same(n: &Networks, a: &str, b: &str) -> bool {
    n.network_of(a).unwrap().id == n.network_of(b).unwrap().id
}

/// Recruiter network (phone + handle) and escort network (phone + wallet), apart.
fn two_networks() -> Vec<DocFacts> {
    vec![
        doc(
            "r1",
            &[("phone", "+77011112233"), ("telegram", "jobs_abroad_hr")],
        ),
        doc("r2", &[("telegram", "@Jobs_Abroad_HR")]),
        doc(
            "r3",
            &[("phone", "8 701 111 22 33"), ("phone", "+77011112233")],
        ),
        doc(
            "e1",
            &[
                ("phone", "+77052223344"),
                ("crypto", "TXyzSyntheticAddress000000000000a"),
            ],
        ),
        doc("e2", &[("crypto", "TXyzSyntheticAddress000000000000a")]),
    ]
}

#[test]
fn two_networks_stay_apart_then_join_through_one_shared_card() {
    let n = build(two_networks());
    assert!(same(&n, "r1", "r2"));
    assert!(same(&n, "e1", "e2"));
    assert!(!same(&n, "r1", "e1"));
    // "8 701…" is not E.164, so r3 joins through its second, normalised phone.
    assert!(same(&n, "r1", "r3"));
    assert_eq!(n.len(), 2);

    let mut docs = two_networks();
    docs.push(doc(
        "bridge1",
        &[("card", "4400123456789013"), ("telegram", "jobs_abroad_hr")],
    ));
    docs.push(doc(
        "bridge2",
        &[("card", "4400 1234 5678 9013"), ("phone", "+77052223344")],
    ));
    let n = build(docs);
    assert_eq!(n.len(), 1);
    let net = n.network_of("r1").unwrap();
    assert_eq!(net.size, 7);
    assert_eq!(net.identifiers_by_kind.get("card"), Some(&1));
    let card = net.identifiers.iter().find(|i| i.kind == "card").unwrap();
    assert_eq!(
        (card.value.as_str(), card.documents),
        ("4400123456789013", 2)
    );
}

#[test]
fn hub_domain_is_reported_but_does_not_merge() {
    let n = build(vec![
        doc(
            "a",
            &[
                ("domain", "t.me"),
                ("url", "https://t.me/"),
                ("phone", "+77011112233"),
            ],
        ),
        doc("b", &[("domain", "t.me"), ("url", "t.me")]),
        doc("c", &[("domain", "T.ME")]),
        // A link WITH a path names its owner and links.
        doc("d", &[("url", "https://t.me/Owner_Handle")]),
        doc("e", &[("url", "t.me/owner_handle/"), ("domain", "wa.me")]),
    ]);
    assert!(!same(&n, "a", "b"));
    assert!(!same(&n, "b", "c"));
    assert!(same(&n, "d", "e"));
    let hub = n
        .hubs()
        .iter()
        .find(|h| h.kind == "domain" && h.value == "t.me")
        .unwrap();
    assert_eq!((hub.documents, hub.reason), (3, HubReason::StopList));
    assert!(
        n.network_of("a")
            .unwrap()
            .hubs
            .contains(&"domain:t.me".to_owned())
    );
    // Hubs are not drawn: no node would glue the networks on screen.
    let g = n.graph(&Scope::All);
    assert!(g.nodes.iter().all(|x| x.value.as_deref() != Some("t.me")));
}

#[test]
fn spread_rule_stops_unknown_platforms_but_not_a_busy_network() {
    let mut docs = Vec::new();
    // 12 unrelated pairs, each held together by its own phone, all linking to the same
    // link-in-bio service that is on no list.
    for i in 0..12 {
        let phone = format!("+7701{:07}", 1000 + i);
        let site = ("domain", "bio-links-example.com");
        docs.push(doc(&format!("p{i}a"), &[("phone", phone.as_str()), site]));
        docs.push(doc(&format!("p{i}b"), &[("phone", phone.as_str()), site]));
    }
    // One network: a constant phone across 250 ads, dropper cards rotating every 10 ads,
    // posted in three places.
    for i in 0..250 {
        let card = format!("card-{}", i / 10);
        let mut d = doc(
            &format!("net{i}"),
            &[("phone", "+77779990000"), ("card", card.as_str())],
        );
        d.source = Some(["olx.kz", "telegram:@jobs_chat_1", "kaspi.kz"][i % 3].into());
        docs.push(d);
    }
    let n = build(docs);
    let hub = n
        .hubs()
        .iter()
        .find(|h| h.value == "bio-links-example.com")
        .unwrap();
    assert_eq!(hub.reason, HubReason::Spread);
    assert_eq!(hub.groups, 12);
    assert!(!same(&n, "p0a", "p1a"));
    assert!(same(&n, "p0a", "p0b"));
    // 25 card groups look like a hub's structure, but three sources do not.
    assert!(n.hubs().iter().all(|h| h.value != "+77779990000"));
    assert_eq!(n.network_of("net0").unwrap().size, 250);

    // The analyst can overrule the rule.
    let mut options = NetworkOptions::default();
    options
        .never_hubs
        .insert("domain:bio-links-example.com".into());
    let mut docs = Vec::new();
    for i in 0..12 {
        let phone = format!("+7701{:07}", 1000 + i);
        docs.push(doc(
            &format!("p{i}a"),
            &[
                ("phone", phone.as_str()),
                ("domain", "bio-links-example.com"),
            ],
        ));
        docs.push(doc(
            &format!("p{i}b"),
            &[
                ("phone", phone.as_str()),
                ("domain", "bio-links-example.com"),
            ],
        ));
    }
    let n = build_with(docs, options);
    assert!(same(&n, "p0a", "p1a"));
}

#[test]
fn roles_make_the_funnel_and_times_the_span() {
    let p = ("phone", "+77015556677");
    let mut docs = vec![
        at(
            role(doc("job", &[p]), "employment_abroad"),
            "2024-02-01T10:00:00+05:00",
        ),
        at(
            role(doc("cam", &[p]), "modeling_webcam"),
            "2024-01-20T09:00:00+05:00",
        ),
        at(
            role(doc("esc1", &[p]), "escort_services"),
            "2024-03-15T23:00:00+05:00",
        ),
        at(
            role(doc("esc2", &[p]), "escort_services"),
            "2024-04-01T22:00:00+06:00",
        ),
        role(doc("esc3", &[p]), "escort_services"),
        role(doc("groom", &[p]), "romance_grooming"),
        role(doc("threat", &[p]), "sextortion"),
        // Unflagged: a scenario alone does not make a funnel role.
        {
            let mut d = doc("plain", &[p]);
            d.scenario = Some("escort_services".into());
            d
        },
    ];
    let mut rules = role(doc("rules", &[p]), "escort_services");
    rules.role = Some(Role::Control);
    docs.push(rules);
    let n = build(docs);
    let net = n.network_of("job").unwrap();
    assert_eq!(net.size, 9);
    assert_eq!(net.roles.get(Role::Recruiting), 2);
    assert_eq!(net.roles.get(Role::ClientFacing), 3);
    assert_eq!(net.roles.get(Role::Control), 1);
    assert_eq!(net.roles.get(Role::Other), 1);
    assert_eq!(
        net.roles.describe(),
        "2 recruiting, 3 client-facing, 1 control, 1 grooming, 1 extortion, 1 other"
    );
    assert_eq!(net.flagged, 8);
    assert_eq!(net.scenarios.get("escort_services"), Some(&5));
    assert_eq!(
        net.first_seen.unwrap().to_rfc3339(),
        "2024-01-20T09:00:00+05:00"
    );
    assert_eq!(
        net.last_seen.unwrap().to_rfc3339(),
        "2024-04-01T22:00:00+06:00"
    );
    assert_eq!(net.time_span().unwrap().num_days(), 72);
    let json = serde_json::to_value(net).unwrap();
    assert_eq!(json["roles"]["client_facing"], 3);
    assert_eq!(json["size"], 9);
}

#[test]
fn network_ids_are_stable_and_readable() {
    let n1 = build(two_networks());
    let mut reordered = two_networks();
    reordered.reverse();
    reordered.push(doc("r4", &[("telegram", "jobs_abroad_hr")]));
    let n2 = build(reordered);
    let id1 = n1.network_of("r1").unwrap().id.clone();
    assert_eq!(id1, n2.network_of("r1").unwrap().id);
    assert!(id1.starts_with("n-") && id1.len() == 14, "{id1}");
    assert!(id1[2..].chars().all(|c| c.is_ascii_hexdigit()));

    // A lone document with a phone already has the id its network will have.
    let alone = build(vec![doc("x1", &[("phone", "+77017778899")])]);
    let joined = build(vec![
        doc("x1", &[("phone", "+77017778899")]),
        doc(
            "x2",
            &[("phone", "+77017778899"), ("telegram", "zzz_handle")],
        ),
    ]);
    assert_eq!(
        alone.network_of("x1").unwrap().id,
        joined.network_of("x1").unwrap().id
    );
    // No identifier at all: a network of one, id from the document.
    let bare = build(vec![DocFacts::new("only-doc"), DocFacts::new("other-doc")]);
    assert_eq!(bare.len(), 2);
    assert_ne!(
        bare.network_of("only-doc").unwrap().id,
        bare.network_of("other-doc").unwrap().id
    );
    assert_eq!(bare.network_of("only-doc").unwrap().size, 1);
}

#[test]
fn clusters_are_drawn_but_merge_only_when_asked() {
    let mk = || {
        let mut a = doc("a", &[("phone", "+77011110000")]);
        a.cluster = Some("c-7".into());
        let mut b = doc("b", &[("phone", "+77022220000")]);
        b.cluster = Some("c-7".into());
        vec![a, b]
    };
    let n = build(mk());
    assert!(!same(&n, "a", "b"));
    let g = n.graph(&Scope::All);
    let e = g
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::Cluster)
        .unwrap();
    assert_eq!(e.label, "same template cluster c-7");
    assert!(!e.merges);

    let n = build_with(
        mk(),
        NetworkOptions {
            merge_clusters: true,
            ..NetworkOptions::default()
        },
    );
    assert!(same(&n, "a", "b"));
}

#[test]
fn sites_link_their_own_pages_unless_they_are_platforms() {
    let web = |id: &str, source: &str| {
        let mut d = DocFacts::new(id);
        d.source = Some(source.into());
        d
    };
    let mut olx1 = DocFacts::new("o1");
    olx1.url = Some("https://www.olx.kz/d/obyavlenie/1".into());
    let mut olx2 = DocFacts::new("o2");
    olx2.url = Some("https://www.olx.kz/d/obyavlenie/2".into());
    let n = build(vec![
        web("k1", "web:kyzdar.net"),
        web("k2", "web:www.kyzdar.net"),
        olx1,
        olx2,
    ]);
    assert!(same(&n, "k1", "k2"));
    assert!(!same(&n, "o1", "o2"));
    // Being published on a platform is not "mentioning" it.
    assert!(n.network_of("o1").unwrap().hubs.is_empty());
    assert!(n.hubs().is_empty());
    let net = n.network_of("k1").unwrap();
    assert_eq!(net.domains, ["kyzdar.net"]);
    let listed: Vec<(&str, &str)> = net
        .identifiers
        .iter()
        .map(|i| (i.kind.as_str(), i.value.as_str()))
        .collect();
    assert_eq!(listed, [("domain", "kyzdar.net")]);
    let off = build_with(
        vec![web("k1", "web:kyzdar.net"), web("k2", "web:kyzdar.net")],
        NetworkOptions {
            merge_hosts: false,
            ..NetworkOptions::default()
        },
    );
    assert!(!same(&off, "k1", "k2"));
}

#[test]
fn mirror_domains_form_a_timeline_inside_the_network() {
    let mut docs = Vec::new();
    for (id, source, t) in [
        ("k1", "web:kyzdar.net", "2023-05-01T12:00:00+05:00"),
        ("k2", "web:kyzdar2.net", "2023-09-01T12:00:00+05:00"),
        ("k3", "web:kyzdar4.net", "2024-01-10T12:00:00+05:00"),
    ] {
        let mut d = at(doc(id, &[("phone", "+77051234567")]), t);
        d.source = Some(source.into());
        docs.push(d);
    }
    // A recruiting ad that names the newest mirror.
    docs.push(at(
        doc(
            "rec",
            &[("domain", "kyzdar4.net"), ("telegram", "hr_almaty_x")],
        ),
        "2024-02-01T12:00:00+05:00",
    ));
    let n = build(docs);
    let group = &n.mirror_groups()[0];
    assert_eq!(
        group.domains(),
        ["kyzdar.net", "kyzdar2.net", "kyzdar4.net"]
    );
    assert_eq!(
        group.members[2].last_seen.unwrap().to_rfc3339(),
        "2024-02-01T12:00:00+05:00"
    );
    let net = n.network_of("k1").unwrap();
    assert_eq!(net.mirror_groups, std::slice::from_ref(&group.id));
    assert!(
        same(&n, "k1", "rec"),
        "kyzdar4.net is a shared domain identifier"
    );
    let g = n.graph(&Scope::All);
    let labels: Vec<&str> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Mirror)
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "mirror of kyzdar.net: same name 'kyzdar' with digits or version words changed",
            "mirror of kyzdar.net: same name 'kyzdar' with digits or version words changed",
        ]
    );
}

#[test]
fn generic_site_names_group_only_with_shared_identifiers() {
    let site = |id: &str, d: &str, phone: &str| {
        let mut f = doc(id, &[("phone", phone)]);
        f.source = Some(format!("web:{d}"));
        f
    };
    let n = build(vec![
        site("w1", "work.kz", "+77010000001"),
        site("w2", "works.kz", "+77010000002"),
        site("w3", "work2.kz", "+77010000003"),
    ]);
    assert!(n.mirror_groups().is_empty(), "{:?}", n.mirror_groups());
    let n = build(vec![
        site("w1", "work.kz", "+77010000001"),
        site("w3", "work2.kz", "+77010000001"),
    ]);
    assert_eq!(n.mirror_groups().len(), 1);
    assert!(matches!(
        n.mirror_groups()[0].links[0].reason,
        qorgau_network::MirrorReason::SharedOwner { .. }
    ));
}

#[test]
fn accounts_are_drawn_and_merge_only_when_asked() {
    let mk = || {
        let mut a = DocFacts::new("a");
        a.source = Some("olx.kz".into());
        a.author = Some("Айгерим".into());
        let mut b = DocFacts::new("b");
        b.source = Some("olx.kz".into());
        b.author = Some("Айгерим".into());
        vec![a, b]
    };
    let n = build(mk());
    assert!(
        !same(&n, "a", "b"),
        "display names collide; they do not link by default"
    );
    assert_eq!(n.network_of("a").unwrap().accounts, ["olx.kz/Айгерим"]);
    let n = build_with(
        mk(),
        NetworkOptions {
            merge_accounts: true,
            ..NetworkOptions::default()
        },
    );
    assert!(same(&n, "a", "b"));
}

const PICTURE: &str = "phash:00ff33cc5a5a0f0f";
const STOCK: &str = "phash:9c9c63636c6c9393";

fn picture(d: DocFacts, group: &str, note: &str) -> DocFacts {
    d.with_noted_identifier("image", group, note)
}

#[test]
fn a_shared_picture_links_documents_and_says_why() {
    let n = build(vec![
        picture(
            doc("a", &[("phone", "+77010000001")]),
            PICTURE,
            "the group's first picture (pHash 00ff33cc5a5a0f0f, dHash 1111222233334444)",
        ),
        picture(
            doc("b", &[("phone", "+77010000002")]),
            PICTURE,
            "pHash 3, dHash 5 bits from the group's first picture (dHash 1111222233334444, in a)",
        ),
        picture(
            doc("c", &[]),
            PICTURE,
            "pHash 7, dHash 2 bits from the group's first picture",
        ),
        picture(
            doc("d", &[("phone", "+77010000004")]),
            "phash:1234123412341234",
            "first",
        ),
        doc("e", &[("phone", "+77010000004")]),
    ]);
    assert!(same(&n, "a", "b") && same(&n, "a", "c"));
    assert!(!same(&n, "a", "d"));
    let net = n.network_of("a").unwrap();
    assert_eq!(net.size, 3);
    assert_eq!(net.identifiers_by_kind.get("image"), Some(&1));
    let shared = net.identifiers.iter().find(|i| i.kind == "image").unwrap();
    assert_eq!((shared.value.as_str(), shared.documents), (PICTURE, 3));
    // A picture never names a network: the one of a, b and c is named by its smallest
    // phone, as it would be without the picture.
    let alone = build(vec![doc("a", &[("phone", "+77010000001")])]);
    assert_eq!(net.id, alone.network_of("a").unwrap().id);
    // Pictures alone: named by the smallest document id.
    let only = build(vec![
        picture(DocFacts::new("x"), PICTURE, ""),
        picture(DocFacts::new("y"), PICTURE, ""),
    ]);
    assert!(same(&only, "x", "y"));
    assert_eq!(
        only.network_of("x").unwrap().id,
        build(vec![DocFacts::new("x")]).network_of("x").unwrap().id
    );

    // The graph: one image node, an image edge per document, the distance on the label.
    let g = n.graph(&Scope::All);
    let node_id = format!("i:image:{PICTURE}");
    let node = g.nodes.iter().find(|x| x.id == node_id).unwrap();
    assert_eq!(node.kind, qorgau_network::NodeKind::Image);
    assert_eq!(node.ident_kind.as_deref(), Some("image"));
    assert_eq!(node.documents, 3);
    let edges: Vec<_> = g.edges.iter().filter(|e| e.target == node_id).collect();
    assert_eq!(edges.len(), 3);
    assert!(edges.iter().all(|e| e.kind == EdgeKind::Image && e.merges));
    let b = edges.iter().find(|e| e.source == "d:b").unwrap();
    assert_eq!(
        b.label,
        format!(
            "shares image {PICTURE}: pHash 3, dHash 5 bits from the group's first picture \
             (dHash 1111222233334444, in a)"
        )
    );
    // A picture no other document shows is drawn as mentioned and merges nothing.
    let lone = g
        .edges
        .iter()
        .find(|e| e.target == "i:image:phash:1234123412341234")
        .unwrap();
    assert!(lone.label.starts_with("mentions image") && !lone.merges);
}

#[test]
fn a_picture_spread_over_many_sources_is_a_hub_and_links_nothing() {
    let mut docs = Vec::new();
    // Twelve unrelated posters in twelve channels, each with its own phone, all showing the
    // same stock photo.
    for i in 0..12 {
        let phone = format!("+7702{:07}", i);
        let mut d = picture(
            doc(&format!("s{i}"), &[("phone", phone.as_str())]),
            STOCK,
            "",
        );
        d.source = Some(format!("telegram:@channel_{i}"));
        docs.push(d);
    }
    // One network's own photo in its two channels.
    for (i, source) in [
        "telegram:@kz_jobs",
        "web:kz-jobs.example",
        "telegram:@kz_jobs",
    ]
    .iter()
    .enumerate()
    {
        let mut d = picture(DocFacts::new(format!("n{i}")), PICTURE, "");
        d.source = Some((*source).into());
        docs.push(d);
    }
    let n = build(docs.clone());
    let hub = n.hubs().iter().find(|h| h.value == STOCK).unwrap();
    assert_eq!(hub.kind, "image");
    assert_eq!(hub.reason, HubReason::Spread);
    assert_eq!((hub.documents, hub.sources), (12, 12));
    for i in 1..12 {
        assert!(
            !same(&n, "s0", &format!("s{i}")),
            "s{i} was merged by a hub"
        );
    }
    assert_eq!(n.network_of("s0").unwrap().hubs, [format!("image:{STOCK}")]);
    assert!(same(&n, "n0", "n1") && same(&n, "n0", "n2"));
    assert!(n.hubs().iter().all(|h| h.value != PICTURE));
    // Hubs are not drawn.
    let g = n.graph(&Scope::All);
    assert!(g.nodes.iter().all(|x| x.id != format!("i:image:{STOCK}")));

    // Nine sources are not enough…
    let nine: Vec<DocFacts> = docs.iter().skip(3).cloned().collect();
    let n = build(nine);
    assert!(n.hubs().iter().all(|h| h.value != STOCK));
    assert!(same(&n, "s3", "s11"));
    // …and an analyst can overrule the rule for a picture they know.
    let mut options = NetworkOptions::default();
    options.never_hubs.insert(format!("image:{STOCK}"));
    let n = build_with(docs, options);
    assert!(same(&n, "s0", "s11"));
}

#[test]
fn a_picture_in_a_hundred_documents_is_a_hub_even_from_one_source() {
    let docs = |count: usize| -> Vec<DocFacts> {
        (0..count)
            .map(|i| {
                let phone = format!("+7703{:07}", i);
                let mut d = picture(
                    doc(&format!("p{i}"), &[("phone", phone.as_str())]),
                    STOCK,
                    "",
                );
                d.source = Some("telegram:@one_big_chat".into());
                d
            })
            .collect()
    };
    let n = build(docs(100));
    let hub = n.hubs().iter().find(|h| h.value == STOCK).unwrap();
    assert_eq!((hub.documents, hub.sources), (100, 1));
    assert_eq!(n.network_of("p0").unwrap().size, 1);
    let n = build(docs(99));
    assert!(n.hubs().is_empty());
    assert_eq!(n.network_of("p0").unwrap().size, 99);
}
