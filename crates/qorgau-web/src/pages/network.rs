//! The network view: the monitoring archive's flagged documents joined by
//! the identifiers they share (phones, handles, cards, domains…), as the
//! detection engine linked them. The list shows each network (documents,
//! shared identifiers, platforms, time span, deleted ads); the graph starts
//! from a document or an identifier and grows hop by hop, every node a link
//! that re-centres it. Deleted ads are marked; hubs the engine set aside
//! (its stop-list and spread rule) are not drawn as links.
//!
//! Mirror domains: escort sites hop domains as the old one is blocked
//! (kyzdar.net → kyzdar2.net → kyzdar4.net). The sites the flagged
//! documents were found on are grouped by the detection engine's own rule
//! (`qorgau_network::mirror_groups_with`, with the archive's sighting times
//! and the documents' networks as evidence), and each group is drawn as a
//! timeline: a row per domain, a bar from the first to the last time a
//! document on it was seen, a cross where one was found deleted, in
//! first-seen order so the hops read left to right — and why the domains
//! were grouped.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Asia::Almaty;
use maud::{Markup, html};
use qorgau_i18n::Args;
use qorgau_media::index::near_duplicate_groups;
use qorgau_media::phash::hamming;
use qorgau_network::{
    DomainName, HubList, HubRule, IMAGE_KIND, MirrorEvidence, MirrorGroup, MirrorOptions,
    MirrorReason, mirror_groups_with,
};
use qorgau_response::Permission;
use qorgau_server::{ApiError, AppState};
use qorgau_store::DocumentRecord;
use serde::Deserialize;

use crate::assessment::{Assessment, flagged_documents};
use crate::layout::{self, Section};
use crate::text::Tr;
use crate::viewer::Viewer;

/// A node: a document (`doc:ID`) or an identifier (`KIND:VALUE`; a shared
/// picture is `image:phash:HEX`).
type Node = String;

/// The distance of the picture rule: that of `qorgau media similar` and of
/// the scan's picture links (`qorgau_scan::images::IMAGE_DISTANCE`).
const PICTURE_DISTANCE: u32 = 8;

struct Graph<'a> {
    docs: HashMap<String, (&'a DocumentRecord, Assessment)>,
    edges: HashMap<Node, BTreeSet<Node>>,
}

fn graph(documents: &[DocumentRecord]) -> Graph<'_> {
    let mut g = Graph {
        docs: HashMap::new(),
        edges: HashMap::new(),
    };
    for d in documents {
        let Some(a) = Assessment::parse(d.assessment.as_deref()) else {
            continue;
        };
        let doc = format!("doc:{}", d.id);
        // Pictures are grouped across the archive below, not per batch.
        for i in a.identifiers.iter().filter(|i| i.kind != IMAGE_KIND) {
            let value = if i.value.is_empty() {
                &i.text
            } else {
                &i.value
            };
            let id = format!("{}:{}", i.kind, value);
            g.edges.entry(doc.clone()).or_default().insert(id.clone());
            g.edges.entry(id).or_default().insert(doc.clone());
        }
        g.docs.insert(doc, (d, a));
    }
    link_pictures(&mut g);
    g
}

/// Joins the documents that show the same picture through an `image` node,
/// by the rule of the detection engine (`qorgau_media::index`'s
/// near-duplicate groups at the distance `qorgau media similar` uses, the
/// same pictures left out, the hub rule for pictures). Grouped here, across
/// the whole archive, rather than taken from each assessment: a monitoring
/// run assesses one document at a time, and a scan's `image` identifiers
/// are named within its own batch.
fn link_pictures(g: &mut Graph<'_>) {
    let rule = HubRule::default();
    // The copy seen first names the group (the archive's first source of
    // the picture), so a node keeps its name from one view to the next.
    let mut docs: Vec<&String> = g.docs.keys().collect();
    docs.sort_by_key(|n| {
        let (d, _) = &g.docs[*n];
        (d.first_seen, d.published_at.clone(), d.key.clone())
    });
    let mut pictures: Vec<(&String, (u64, u64))> = Vec::new();
    for doc in docs {
        let (_, a) = &g.docs[doc];
        for p in &a.images {
            let Some((phash, dhash)) = p.hashes() else {
                continue;
            };
            let small = p.width.zip(p.height).is_some_and(|(w, h)| w.min(h) < 32);
            if small || dhash == 0 || dhash == u64::MAX {
                continue;
            }
            pictures.push((doc, (phash, dhash)));
        }
    }
    let pairs: Vec<(u64, u64)> = pictures.iter().map(|p| p.1).collect();
    let mut links: Vec<(String, BTreeSet<String>)> = Vec::new();
    for group in near_duplicate_groups(&pairs, PICTURE_DISTANCE) {
        let members: BTreeSet<String> = group.iter().map(|&i| pictures[i].0.clone()).collect();
        let sources: BTreeSet<&str> = members
            .iter()
            .filter_map(|m| g.docs.get(m).and_then(|(d, _)| d.source.as_deref()))
            .collect();
        if members.len() < 2
            || members.len() >= rule.image_hub_docs
            || sources.len() >= rule.image_hub_sources
        {
            continue;
        }
        links.push((
            format!("image:phash:{:016x}", pictures[group[0]].1.0),
            members,
        ));
    }
    for (node, members) in links {
        for m in &members {
            g.edges.entry(m.clone()).or_default().insert(node.clone());
        }
        g.edges.entry(node).or_default().extend(members);
    }
}

/// The page's options.
#[derive(Debug, Deserialize)]
pub struct Focus {
    /// The node at the centre.
    node: Option<String>,
    /// Hops (1–6).
    hops: Option<u32>,
    /// A mirror-domain group to show on its own.
    mirror: Option<String>,
}

/// `GET /network[?node=…&hops=…]`.
pub async fn page(State(state): State<AppState>, v: Viewer, Query(f): Query<Focus>) -> Response {
    match render(&state, &v, f).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

async fn render(state: &AppState, v: &Viewer, f: Focus) -> Result<Markup, ApiError> {
    v.principal.require(Permission::ReadSignals)?;
    let tr = v.tr;
    let documents = flagged_documents(state).await?;
    let g = graph(&documents);
    if let Some(id) = f.mirror {
        let m = mirrors(&documents);
        let Some(group) = m.groups.iter().find(|g| g.id == id) else {
            return Err(ApiError::NotFound(format!("no mirror-domain group {id}")));
        };
        let body = html! {
            p { a href="/network#mirrors" { "← " (tr.t("network-all")) } }
            (mirror_group(tr, &m, group, true))
        };
        return Ok(layout::page(
            v,
            &format!("{} {}", tr.t("mirror-group"), group.base),
            Section::Network,
            body,
        ));
    }
    let body = match f
        .node
        .filter(|n| g.edges.contains_key(n) || g.docs.contains_key(n))
    {
        Some(centre) => centred(tr, &g, &centre, f.hops.unwrap_or(2).clamp(1, 6)),
        None => html! {
            (networks(tr, &g))
            (mirror_section(tr, &mirrors(&documents)))
        },
    };
    Ok(layout::page(
        v,
        &tr.t("network-title"),
        Section::Network,
        body,
    ))
}

/// `GET /network/clusters/{id}`: the template of one near-duplicate
/// cluster — the text its ads share and the slots where they differ, with
/// the values seen there (`qorgau-cluster`'s alignment) — and its members.
pub async fn cluster(
    State(state): State<AppState>,
    v: Viewer,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let result = async {
        v.principal.require(Permission::ReadSignals)?;
        let documents = flagged_documents(&state).await?;
        let members: Vec<DocumentRecord> = documents
            .into_iter()
            .filter(|d| {
                Assessment::parse(d.assessment.as_deref())
                    .and_then(|a| a.cluster)
                    .is_some_and(|c| c == id)
            })
            .collect();
        if members.is_empty() {
            return Err(ApiError::NotFound(format!(
                "no flagged ads in cluster {id}"
            )));
        }
        Ok(members)
    }
    .await;
    let members = match result {
        Ok(m) => m,
        Err(e) => return v.fail(e).into_response(),
    };
    let tr = v.tr;
    let texts: Vec<&str> = members.iter().map(|d| d.body.as_str()).collect();
    let template = qorgau_cluster::template(&texts);
    let body = html! {
        p { a href="/network" { "← " (tr.t("network-all")) } }
        p.hint { (tr.t_with("cluster-intro", &Args::new().with("count", members.len() as u64))) }
        section #template {
            h2 { (tr.t("cluster-template")) }
            p.document-text {
                @for segment in &template.segments {
                    @match segment {
                        qorgau_cluster::Segment::Fixed(text) => { (text) " " }
                        qorgau_cluster::Segment::Slot { values, distinct } => {
                            span.slot title=(tr.t_with("cluster-slot", &Args::new().with("count", *distinct as u64))) {
                                "{" (values.iter().map(|v| if v.is_empty() { "∅" } else { v.as_str() }).collect::<Vec<_>>().join(" | "))
                                @if *distinct > values.len() { " | …" }
                                "}"
                            }
                            " "
                        }
                    }
                }
            }
        }
        section #members {
            h2 { (tr.t("network-documents")) " (" (members.len()) ")" }
            ul {
                @for d in &members {
                    li class=[d.deleted_at.map(|_| "deleted")] {
                        a href=(href(&format!("doc:{}", d.id), 2)) { (d.title.clone().unwrap_or_else(|| d.key.clone())) }
                        " · " (d.source.clone().unwrap_or_default())
                        @if let Some(del) = d.deleted_at { " " span.deleted { (tr.t("document-deleted")) " " (tr.time(&del.to_utc_string())) } }
                    }
                }
            }
        }
    };
    layout::page(
        &v,
        &format!("{} {id}", tr.t("document-cluster")),
        Section::Network,
        body,
    )
    .into_response()
}

/// Each network of the archive with what holds it together.
fn networks(tr: Tr, g: &Graph<'_>) -> Markup {
    let mut by_network: BTreeMap<&str, Vec<&(&DocumentRecord, Assessment)>> = BTreeMap::new();
    for entry in g.docs.values() {
        if let Some(n) = entry.1.network.as_deref() {
            by_network.entry(n).or_default().push(entry);
        }
    }
    let mut rows: Vec<_> = by_network.into_iter().collect();
    rows.sort_by_key(|(_, docs)| std::cmp::Reverse(docs.len()));
    html! {
        p.hint { (tr.t("network-intro")) }
        @if rows.is_empty() { p.empty { (tr.t("none")) } }
        table.networks {
            thead { tr { th { (tr.t("document-network")) } th.num { (tr.t("network-documents")) } th { (tr.t("network-shared")) } th { (tr.t("network-platforms")) } th { (tr.t("network-span")) } } }
            tbody {
                @for (id, docs) in &rows {
                    @let shared = shared_identifiers(g, docs);
                    @let platforms: BTreeSet<&str> = docs.iter().filter_map(|(d, _)| d.source.as_deref()).collect();
                    @let first = docs.iter().map(|(d, _)| d.first_seen).min();
                    @let last = docs.iter().map(|(d, _)| d.last_seen).max();
                    @let deleted = docs.iter().filter(|(d, _)| d.deleted_at.is_some()).count();
                    @let start = entry_point(g, docs, &shared);
                    tr {
                        td { a href=(href(&start, 2)) { code { (id) } } }
                        td.num { (docs.len()) @if deleted > 0 { " " span.deleted { "(" (tr.t_with("network-deleted", &Args::new().with("count", deleted as u64))) ")" } } }
                        td { @for s in shared.iter().take(6) { span.tag { (s) } " " } }
                        td { (platforms.into_iter().collect::<Vec<_>>().join(", ")) }
                        td { @if let (Some(a), Some(b)) = (first, last) { (tr.time(&a.to_utc_string())) " – " (tr.time(&b.to_utc_string())) } }
                    }
                }
            }
        }
    }
}

/// Where a network's graph opens: the identifier shared by the most of
/// its documents (the link an investigator follows), else its first
/// document by id. Chosen, not taken from map order: a network joined
/// by its template alone has documents whose identifiers lead nowhere.
fn entry_point(g: &Graph<'_>, docs: &[&(&DocumentRecord, Assessment)], shared: &[String]) -> Node {
    let ids: BTreeSet<String> = docs.iter().map(|(d, _)| format!("doc:{}", d.id)).collect();
    let reach = |node: &String| {
        g.edges.get(node).map_or(0, |linked| {
            linked.iter().filter(|d| ids.contains(*d)).count()
        })
    };
    shared
        .iter()
        .max_by(|a, b| reach(a).cmp(&reach(b)).then_with(|| b.cmp(a)))
        .cloned()
        .or_else(|| ids.into_iter().next())
        .unwrap_or_default()
}

/// Identifiers found in more than one document of the network.
fn shared_identifiers(g: &Graph<'_>, docs: &[&(&DocumentRecord, Assessment)]) -> Vec<String> {
    let ids: BTreeSet<String> = docs.iter().map(|(d, _)| format!("doc:{}", d.id)).collect();
    let mut out: Vec<String> = g
        .edges
        .iter()
        .filter(|(node, _)| !node.starts_with("doc:"))
        .filter(|(_, linked)| linked.iter().filter(|d| ids.contains(*d)).count() > 1)
        .map(|(node, _)| node.clone())
        .collect();
    out.sort();
    out
}

fn href(node: &str, hops: u32) -> String {
    format!(
        "/network?{}",
        serde_urlencoded::to_string([("node", node.to_owned()), ("hops", hops.to_string())])
            .unwrap_or_default()
    )
}

/// Breadth-first from the centre, at most `hops` edges away.
fn neighbourhood(g: &Graph<'_>, centre: &str, hops: u32) -> Vec<(Node, u32)> {
    let mut seen: HashMap<Node, u32> = HashMap::from([(centre.to_owned(), 0)]);
    let mut order = vec![(centre.to_owned(), 0)];
    let mut queue = VecDeque::from([(centre.to_owned(), 0u32)]);
    while let Some((node, d)) = queue.pop_front() {
        if d == hops || order.len() >= 300 {
            continue;
        }
        for next in g.edges.get(&node).into_iter().flatten() {
            if !seen.contains_key(next) {
                seen.insert(next.clone(), d + 1);
                order.push((next.clone(), d + 1));
                queue.push_back((next.clone(), d + 1));
            }
        }
    }
    order
}

const SIZE: f64 = 720.0;

fn centred(tr: Tr, g: &Graph<'_>, centre: &str, hops: u32) -> Markup {
    let nodes = neighbourhood(g, centre, hops);
    let in_view: HashMap<&str, u32> = nodes.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let max_hop = nodes.iter().map(|(_, d)| *d).max().unwrap_or(0).max(1);
    let ring = (SIZE / 2.0 - 70.0) / f64::from(max_hop);
    let mut place: HashMap<&str, (f64, f64)> = HashMap::new();
    for hop in 0..=max_hop {
        let on: Vec<&str> = nodes
            .iter()
            .filter(|(_, d)| *d == hop)
            .map(|(n, _)| n.as_str())
            .collect();
        for (i, n) in on.iter().enumerate() {
            let angle = std::f64::consts::TAU * (i as f64) / (on.len().max(1) as f64)
                + f64::from(hop) * 0.5;
            let r = ring * f64::from(hop);
            place.insert(
                n,
                (SIZE / 2.0 + r * angle.cos(), SIZE / 2.0 + r * angle.sin()),
            );
        }
    }
    let mut edges = Vec::new();
    for (n, _) in &nodes {
        for m in g.edges.get(n).into_iter().flatten() {
            if n < m && in_view.contains_key(m.as_str()) {
                edges.push((n.as_str(), m.as_str()));
            }
        }
    }
    let documents: Vec<&(&DocumentRecord, Assessment)> =
        nodes.iter().filter_map(|(n, _)| g.docs.get(n)).collect();
    let label = |n: &str| -> String {
        match g.docs.get(n) {
            Some((d, _)) => d.title.clone().unwrap_or_else(|| d.key.clone()),
            None => match picture_hash(n) {
                Some(h) => format!("{} {:08x}", tr.t("network-picture"), h >> 32),
                None => n.to_owned(),
            },
        }
    };
    html! {
        p { a href="/network" { "← " (tr.t("network-all")) } }
        nav.tabs aria-label=(tr.t("money-hops")) {
            @for h in 1..=6u32 {
                @if h == hops { a href=(href(centre, h)) aria-current="page" { (h) } } @else { a href=(href(centre, h)) { (h) } }
            }
        }
        figure.chart.flow {
            svg viewBox={ "0 0 " (SIZE) " " (SIZE) } role="img" aria-label=(tr.t("network-title")) {
                @for (a, b) in &edges {
                    @let (x1, y1) = place.get(a).copied().unwrap_or_default();
                    @let (x2, y2) = place.get(b).copied().unwrap_or_default();
                    line.edge x1=(format!("{x1:.1}")) y1=(format!("{y1:.1}")) x2=(format!("{x2:.1}")) y2=(format!("{y2:.1}")) {}
                }
                @for (n, d) in &nodes {
                    @let (x, y) = place.get(n.as_str()).copied().unwrap_or_default();
                    @let doc = g.docs.get(n);
                    @let deleted = doc.is_some_and(|(d, _)| d.deleted_at.is_some());
                    a href=(href(n, hops)) {
                        @if doc.is_some() {
                            rect class={ "doc" @if deleted { " deleted" } @if *d == 0 { " centre" } } x=(format!("{:.1}", x - 9.0)) y=(format!("{:.1}", y - 9.0)) width="18" height="18" {
                                title { (label(n)) @if deleted { " · " (tr.t("document-deleted")) } }
                            }
                        } @else {
                            circle class={ "ident " (n.split(':').next().unwrap_or_default()) @if *d == 0 { " centre" } } cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="8" {
                                title { (n) }
                            }
                        }
                        text.node-label x=(format!("{x:.1}")) y=(format!("{:.1}", y + 22.0)) text-anchor="middle" {
                            (label(n).chars().take(22).collect::<String>())
                        }
                    }
                }
            }
            figcaption.hint { (tr.t("network-graph-hint")) }
        }
        @if let Some(first) = picture_hash(centre) {
            (picture_section(tr, g, centre, first, hops))
        }
        section #documents {
            h2 { (tr.t("network-documents")) " (" (documents.len()) ")" }
            table {
                thead { tr { th { (tr.t("case-title")) } th { (tr.t("document-platform")) } th { (tr.t("document-cluster")) } th { (tr.t("network-seen")) } } }
                tbody {
                    @for (d, a) in &documents {
                        tr class=[d.deleted_at.map(|_| "deleted")] {
                            td { a href=(href(&format!("doc:{}", d.id), hops)) { (d.title.clone().unwrap_or_else(|| d.key.clone())) } }
                            td { (d.source.clone().unwrap_or_default()) }
                            td { @if let Some(c) = &a.cluster { a href={ "/network/clusters/" (c) } { code { (c) } } } }
                            td {
                                (tr.time(&d.first_seen.to_utc_string())) " – " (tr.time(&d.last_seen.to_utc_string()))
                                @if let Some(del) = d.deleted_at { " " span.deleted { (tr.t("document-deleted")) " " (tr.time(&del.to_utc_string())) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The pHash that names an `image` node.
fn picture_hash(node: &str) -> Option<u64> {
    let hex = node.strip_prefix("image:phash:")?;
    u64::from_str_radix(hex, 16).ok()
}

/// What an `image` node stands for: each document that shows the picture,
/// with where its copy is and how far its hashes are from the picture that
/// names the group — the reason the documents are linked.
fn picture_section(tr: Tr, g: &Graph<'_>, centre: &str, first: u64, hops: u32) -> Markup {
    let mut rows: Vec<(&DocumentRecord, Option<String>, u32)> = g
        .edges
        .get(centre)
        .into_iter()
        .flatten()
        .filter_map(|n| g.docs.get(n))
        .filter_map(|(d, a)| {
            a.images
                .iter()
                .filter_map(|p| Some((p.location(), hamming(p.hashes()?.0, first))))
                .min_by_key(|(_, distance)| *distance)
                .map(|(location, distance)| (*d, location, distance))
        })
        .collect();
    rows.sort_by_key(|(d, _, distance)| (*distance, d.first_seen));
    html! {
        section #picture {
            h2 { (tr.t("network-picture")) " " code { (format!("{first:016x}")) } }
            p.hint { (tr.t("network-picture-hint")) }
            table {
                thead { tr { th { (tr.t("case-title")) } th { (tr.t("network-picture-where")) } th.num { (tr.t("network-picture-distance")) } th { (tr.t("network-seen")) } } }
                tbody {
                    @for (d, location, distance) in &rows {
                        tr class=[d.deleted_at.map(|_| "deleted")] {
                            td { a href=(href(&format!("doc:{}", d.id), hops)) { (d.title.clone().unwrap_or_else(|| d.key.clone())) } }
                            td { @if let Some(l) = location { code { (l) } } }
                            td.num { (distance) }
                            td { (tr.time(&d.first_seen.to_utc_string())) }
                        }
                    }
                }
            }
        }
    }
}

/// When the archive saw documents on one site.
struct DomainSeen<'a> {
    /// First time a document on it was seen.
    first: DateTime<Utc>,
    /// Last time one was seen.
    last: DateTime<Utc>,
    /// When documents on it were found deleted.
    deleted: Vec<DateTime<Utc>>,
    /// Its documents, first seen first.
    docs: Vec<&'a DocumentRecord>,
}

/// The mirror-domain groups of the flagged documents' sites.
struct Mirrors<'a> {
    groups: Vec<MirrorGroup>,
    seen: BTreeMap<String, DomainSeen<'a>>,
}

/// The site a document was found on, as the network builder takes it: a
/// `web:<domain>` source, else the registrable domain of its address.
fn hosting_domain(d: &DocumentRecord, options: &MirrorOptions) -> Option<String> {
    let on = d
        .source
        .as_deref()
        .and_then(|s| s.strip_prefix("web:"))
        .or(d.url.as_deref())?;
    DomainName::parse(on, options).map(|n| n.domain)
}

/// Groups the sites of `documents` (hubs — platforms, messengers — set
/// aside, as the engine does), with the archive's first and last sighting
/// of each site as its time and the documents' networks as owners.
fn mirrors(documents: &[DocumentRecord]) -> Mirrors<'_> {
    let options = MirrorOptions::default();
    let hubs = HubList::default();
    let mut seen: BTreeMap<String, DomainSeen<'_>> = BTreeMap::new();
    for d in documents {
        let Some(domain) = hosting_domain(d, &options).filter(|h| !hubs.contains_domain(h)) else {
            continue;
        };
        let (first, last) = (d.first_seen.as_datetime(), d.last_seen.as_datetime());
        let s = seen.entry(domain).or_insert_with(|| DomainSeen {
            first,
            last,
            deleted: Vec::new(),
            docs: Vec::new(),
        });
        s.first = s.first.min(first);
        s.last = s.last.max(last);
        if let Some(at) = d.deleted_at {
            s.deleted.push(at.as_datetime());
        }
        s.docs.push(d);
    }
    for s in seen.values_mut() {
        s.docs
            .sort_by(|a, b| a.first_seen.cmp(&b.first_seen).then(a.key.cmp(&b.key)));
        s.deleted.sort();
    }
    // Owners: the network (shared identifiers) of a site's first document,
    // numbered in id order so the evidence does not depend on map order.
    let network_of = |s: &DomainSeen<'_>| {
        s.docs
            .iter()
            .find_map(|d| Assessment::parse(d.assessment.as_deref()).and_then(|a| a.network))
    };
    let networks: BTreeMap<String, u64> = seen
        .values()
        .filter_map(network_of)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .zip(0u64..)
        .collect();
    let owners: HashMap<&str, u64> = seen
        .iter()
        .filter_map(|(domain, s)| Some((domain.as_str(), *networks.get(&network_of(s)?)?)))
        .collect();
    let owner = |d: &str| owners.get(d).copied();
    let when = |d: &str| {
        seen.get(d)
            .map(|s| (s.first.fixed_offset(), s.last.fixed_offset()))
    };
    let evidence = MirrorEvidence {
        content: None,
        owner: Some(&owner),
        seen: Some(&when),
    };
    let groups = mirror_groups_with(seen.keys().map(String::as_str), &options, &evidence);
    Mirrors { groups, seen }
}

/// Why two domains were grouped, in the reader's language.
fn reason(tr: Tr, r: &MirrorReason) -> String {
    match r {
        MirrorReason::SameLabel { label } => tr.t_with(
            "mirror-reason-same-label",
            &Args::new().with("name", label.as_str()),
        ),
        MirrorReason::SameBase { base } => tr.t_with(
            "mirror-reason-same-base",
            &Args::new().with("name", base.as_str()),
        ),
        MirrorReason::LookAlike { skeleton } => tr.t_with(
            "mirror-reason-look-alike",
            &Args::new().with("name", skeleton.as_str()),
        ),
        MirrorReason::SameContent { distance } => tr.t_with(
            "mirror-reason-same-content",
            &Args::new().with("count", u64::from(*distance)),
        ),
        MirrorReason::SharedOwner { base } => tr.t_with(
            "mirror-reason-shared-owner",
            &Args::new().with("name", base.as_str()),
        ),
        MirrorReason::NearName { distance } => tr.t_with(
            "mirror-reason-near-name",
            &Args::new().with("count", *distance as u64),
        ),
    }
}

/// Groups drawn in full on the networks page; the rest are listed.
const MIRRORS_DRAWN: usize = 12;

/// The networks page's section: every group, the first ones as timelines.
fn mirror_section(tr: Tr, m: &Mirrors<'_>) -> Markup {
    html! {
        section #mirrors {
            h2 { (tr.t("mirror-title")) }
            p.hint { (tr.t("mirror-intro")) }
            @if m.groups.is_empty() { p.empty { (tr.t("mirror-none")) } }
            @for group in m.groups.iter().take(MIRRORS_DRAWN) {
                (mirror_group(tr, m, group, false))
            }
            @if m.groups.len() > MIRRORS_DRAWN {
                h3 { (tr.t("mirror-more")) }
                ul {
                    @for group in m.groups.iter().skip(MIRRORS_DRAWN) {
                        li {
                            a href=(mirror_href(&group.id)) { (group.base) }
                            " · " (group.domains().join(" → "))
                        }
                    }
                }
            }
        }
    }
}

fn mirror_href(id: &str) -> String {
    format!(
        "/network?{}",
        serde_urlencoded::to_string([("mirror", id)]).unwrap_or_default()
    )
}

/// One group: its timeline with the data table, why the domains are one
/// site, and (`full`) the documents found on each.
fn mirror_group(tr: Tr, m: &Mirrors<'_>, group: &MirrorGroup, full: bool) -> Markup {
    let caption = tr.t_with(
        "mirror-caption",
        &Args::new()
            .with("name", group.base.as_str())
            .with("count", group.members.len() as u64),
    );
    html! {
        article.mirror-group id=(group.id) {
            @if full {
                h2 { (caption) }
            } @else {
                h3 { a href=(mirror_href(&group.id)) { (caption) } }
            }
            (timeline(tr, m, group, &caption))
            h4 { (tr.t("mirror-why")) }
            ul.mirror-links {
                @for link in &group.links {
                    li { code { (link.from) } " → " code { (link.to) } ": " (reason(tr, &link.reason)) }
                }
            }
            @if full {
                h4 { (tr.t("network-documents")) }
                @for member in &group.members {
                    @if let Some(s) = m.seen.get(&member.domain) {
                        h5 { code { (member.domain) } " (" (s.docs.len()) ")" }
                        ul {
                            @for d in &s.docs {
                                li class=[d.deleted_at.map(|_| "deleted")] {
                                    a href=(href(&format!("doc:{}", d.id), 2)) { (d.title.clone().unwrap_or_else(|| d.key.clone())) }
                                    " · " (tr.time(&d.first_seen.to_utc_string())) " – " (tr.time(&d.last_seen.to_utc_string()))
                                    @if let Some(del) = d.deleted_at { " " span.deleted { (tr.t("document-deleted")) " " (tr.time(&del.to_utc_string())) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

const TL_WIDTH: f64 = 720.0;
const TL_LABEL: f64 = 200.0;
const TL_RIGHT: f64 = 16.0;
const TL_ROW: f64 = 30.0;
const TL_TOP: f64 = 6.0;
const TL_AXIS: f64 = 26.0;

/// Midnight in Almaty at or before `t`.
fn almaty_day(t: DateTime<Utc>) -> DateTime<Utc> {
    let local = t.with_timezone(&Almaty).date_naive();
    local
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| Almaty.from_local_datetime(&midnight).earliest())
        .map_or(t, |m| m.with_timezone(&Utc))
}

/// The group as a timeline: a row per domain in first-seen order, a bar
/// from its first to its last sighting, a cross where a document on it
/// was found deleted, a dashed hop from each domain to the next; days on
/// the axis in Almaty. The numbers are in the table beside it.
fn timeline(tr: Tr, m: &Mirrors<'_>, group: &MirrorGroup, caption: &str) -> Markup {
    let rows: Vec<(&str, &DomainSeen<'_>)> = group
        .members
        .iter()
        .filter_map(|member| Some((member.domain.as_str(), m.seen.get(&member.domain)?)))
        .collect();
    let Some(start) = rows
        .iter()
        .map(|(_, s)| s.first)
        .chain(rows.iter().flat_map(|(_, s)| s.deleted.iter().copied()))
        .min()
    else {
        return html! {};
    };
    let end = rows
        .iter()
        .map(|(_, s)| s.last)
        .chain(rows.iter().flat_map(|(_, s)| s.deleted.iter().copied()))
        .max()
        .unwrap_or(start);
    let t0 = almaty_day(start);
    let t1 = almaty_day(end) + Duration::days(1);
    let days = (t1 - t0).num_days().max(1);
    let plot = TL_WIDTH - TL_LABEL - TL_RIGHT;
    let span = (t1 - t0).num_seconds().max(1) as f64;
    let x = |t: DateTime<Utc>| TL_LABEL + (t - t0).num_seconds() as f64 / span * plot;
    let mid = |row: usize| TL_TOP + row as f64 * TL_ROW + TL_ROW / 2.0;
    let height = TL_TOP + rows.len() as f64 * TL_ROW + TL_AXIS;
    let step = match days {
        0..=10 => 1,
        11..=21 => 2,
        22..=70 => 7,
        71..=140 => 14,
        _ => 30,
    };
    let ticks: Vec<DateTime<Utc>> = (0..=days)
        .step_by(step)
        .map(|d| almaty_day(t0 + Duration::days(d) + Duration::hours(12)))
        .collect();
    let day = |t: DateTime<Utc>| t.with_timezone(&Almaty).format("%d.%m").to_string();
    let when = |t: DateTime<Utc>| {
        t.with_timezone(&Almaty)
            .format("%d.%m.%Y %H:%M")
            .to_string()
    };
    let axis_y = TL_TOP + rows.len() as f64 * TL_ROW;
    html! {
        figure.chart.mirror-timeline {
            svg viewBox={ "0 0 " (TL_WIDTH) " " (fmt1(height)) } role="img" aria-label=(caption) {
                @for t in &ticks {
                    line.grid x1=(fmt1(x(*t))) x2=(fmt1(x(*t))) y1=(fmt1(TL_TOP)) y2=(fmt1(axis_y)) {}
                    text.tick x=(fmt1(x(*t))) y=(fmt1(axis_y + 16.0)) text-anchor="middle" { (day(*t)) }
                }
                @for (i, pair) in rows.windows(2).enumerate() {
                    line.mirror-hop x1=(fmt1(x(pair[0].1.last))) y1=(fmt1(mid(i))) x2=(fmt1(x(pair[1].1.first))) y2=(fmt1(mid(i + 1))) {}
                }
                @for (i, (domain, s)) in rows.iter().enumerate() {
                    @let y = mid(i);
                    text.mirror-domain x=(fmt1(TL_LABEL - 8.0)) y=(fmt1(y + 4.0)) text-anchor="end" {
                        (domain.chars().take(28).collect::<String>())
                    }
                    rect.mirror-bar x=(fmt1(x(s.first))) y=(fmt1(y - 7.0)) width=(fmt1((x(s.last) - x(s.first)).max(4.0))) height="14" {
                        title { (domain) ": " (when(s.first)) " – " (when(s.last)) " " (tr.t("time-almaty")) }
                    }
                    @for del in &s.deleted {
                        @let (cx, r) = (x(*del), 5.0);
                        path.mirror-deleted d={ "M" (fmt1(cx - r)) " " (fmt1(y - r)) "L" (fmt1(cx + r)) " " (fmt1(y + r)) "M" (fmt1(cx - r)) " " (fmt1(y + r)) "L" (fmt1(cx + r)) " " (fmt1(y - r)) } {
                            title { (domain) ": " (tr.t("document-deleted")) " " (when(*del)) " " (tr.t("time-almaty")) }
                        }
                    }
                }
                line.axis x1=(fmt1(TL_LABEL)) x2=(fmt1(TL_WIDTH - TL_RIGHT)) y1=(fmt1(axis_y)) y2=(fmt1(axis_y)) {}
            }
            figcaption.hint { (tr.t("mirror-timeline-hint")) " " (tr.t("time-almaty")) }
            details {
                summary { (caption) }
                table.mirror-table {
                    thead { tr {
                        th { (tr.t("mirror-domain")) } th { (tr.t("mirror-first-seen")) } th { (tr.t("mirror-last-seen")) }
                        th { (tr.t("mirror-deleted")) } th.num { (tr.t("network-documents")) } th { (tr.t("mirror-why")) }
                    } }
                    tbody {
                        @for (domain, s) in &rows {
                            tr {
                                th scope="row" { code { (domain) } }
                                td { (tr.time(&s.first.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))) }
                                td { (tr.time(&s.last.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))) }
                                td { @for (k, del) in s.deleted.iter().enumerate() { @if k > 0 { ", " } (tr.time(&del.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))) } }
                                td.num { (s.docs.len()) }
                                td {
                                    @for link in group.links.iter().filter(|l| l.from == *domain) {
                                        (tr.t_with("mirror-of", &Args::new().with("name", link.to.as_str()))) ": " (reason(tr, &link.reason)) br;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn fmt1(v: f64) -> String {
    format!("{v:.1}")
}
