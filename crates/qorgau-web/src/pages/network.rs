//! The network view: the monitoring archive's flagged documents joined by
//! the identifiers they share (phones, handles, cards, domains…), as the
//! detection engine linked them. The list shows each network (documents,
//! shared identifiers, platforms, time span, deleted ads); the graph starts
//! from a document or an identifier and grows hop by hop, every node a link
//! that re-centres it. Deleted ads are marked; hubs the engine set aside
//! (its stop-list and spread rule) are not drawn as links.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use qorgau_i18n::Args;
use qorgau_response::Permission;
use qorgau_server::{ApiError, AppState};
use qorgau_store::DocumentRecord;
use serde::Deserialize;

use crate::assessment::{Assessment, flagged_documents};
use crate::layout::{self, Section};
use crate::text::Tr;
use crate::viewer::Viewer;

/// A node: a document (`doc:ID`) or an identifier (`KIND:VALUE`).
type Node = String;

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
        for i in &a.identifiers {
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
    g
}

/// The page's options.
#[derive(Debug, Deserialize)]
pub struct Focus {
    /// The node at the centre.
    node: Option<String>,
    /// Hops (1–6).
    hops: Option<u32>,
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
    let body = match f
        .node
        .filter(|n| g.edges.contains_key(n) || g.docs.contains_key(n))
    {
        Some(centre) => centred(tr, &g, &centre, f.hops.unwrap_or(2).clamp(1, 6)),
        None => networks(tr, &g),
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
                    @let start = docs.iter().map(|(d, _)| format!("doc:{}", d.id)).next().unwrap_or_default();
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
            None => n.to_owned(),
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
