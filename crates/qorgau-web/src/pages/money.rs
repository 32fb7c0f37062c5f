//! The money of a case: red flags with the transfers behind each, the
//! accounts with where they were seen, and the flow graph around one
//! account drawn as circles of hops (the centre, then one transfer away,
//! then two…), each account a link that re-centres the graph on it — how
//! an investigator expands it hop by hop. Everything through the API's
//! handlers (`ReadMoney`, the identifiers scope, a `read` entry per call).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use qorgau_server::api::money::{FlagView, FlowGraphView, GraphQuery, TransferPage, TransferQuery};
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout::{self, Section};
use crate::text::Tr;
use crate::viewer::Viewer;

/// The page's options.
#[derive(Debug, Deserialize)]
pub struct Focus {
    /// The account at the graph's centre.
    account: Option<String>,
    /// Hops (1–5).
    hops: Option<u32>,
}

/// `GET /cases/{id}/money`.
pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(focus): Query<Focus>,
) -> Response {
    match render(&state, &v, &id, focus).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

async fn render(state: &AppState, v: &Viewer, id: &str, focus: Focus) -> Result<Markup, ApiError> {
    let tr = v.tr;
    let axum::Json(flags) = qorgau_server::api::money::flags(
        State(state.clone()),
        v.principal.clone(),
        Path(id.into()),
    )
    .await?;
    let axum::Json(accounts) = qorgau_server::api::money::accounts(
        State(state.clone()),
        v.principal.clone(),
        Path(id.into()),
    )
    .await?;
    let axum::Json(transfers): axum::Json<TransferPage> = qorgau_server::api::money::transfers(
        State(state.clone()),
        v.principal.clone(),
        Path(id.into()),
        Ok(Query(TransferQuery {
            account: focus.account.clone(),
            limit: Some(200),
            offset: None,
        })),
    )
    .await?;
    let centre = focus
        .account
        .clone()
        .or_else(|| flags.first().map(|f| f.account.clone()))
        .or_else(|| accounts.first().map(|a| a.account.clone()));
    let hops = focus.hops.unwrap_or(2).clamp(1, 5);
    let graph = match &centre {
        Some(account) => Some(
            qorgau_server::api::money::graph(
                State(state.clone()),
                v.principal.clone(),
                Path(id.into()),
                Ok(Query(GraphQuery {
                    account: account.clone(),
                    hops: Some(hops),
                    direction: None,
                })),
            )
            .await?
            .0,
        ),
        None => None,
    };
    let body = html! {
        p { a href={ "/cases/" (id) } { "← " (tr.t("evidence-back")) } }
        section #flags {
            h2 { (tr.t("money-flags")) " (" (flags.len()) ")" }
            @if flags.is_empty() { p.empty { (tr.t("none")) } }
            @else { (flag_table(tr, id, &flags)) }
        }
        @if let Some(g) = &graph {
            section #graph {
                h2 { (tr.t("money-graph")) }
                nav.tabs aria-label=(tr.t("money-hops")) {
                    @for h in 1..=5u32 {
                        @let href = format!("/cases/{id}/money?{}", serde_urlencoded::to_string([("account", g.account.clone()), ("hops", h.to_string())]).unwrap_or_default());
                        @if h == hops { a href=(href) aria-current="page" { (h) } } @else { a href=(href) { (h) } }
                    }
                }
                (flow_svg(tr, id, g))
            }
        }
        section #accounts {
            h2 { (tr.t("money-accounts")) " (" (accounts.len()) ")" }
            table {
                thead { tr { th { (tr.t("money-account")) } th { (tr.t("money-label")) } th { (tr.t("money-seen")) } } }
                tbody {
                    @for a in &accounts {
                        tr {
                            td { a href=(focus_href(id, &a.account)) { code { (a.value) } } " " span.tag { (a.kind) (a.chain.as_deref().map(|c| format!(" · {c}")).unwrap_or_default()) }
                                @if a.privacy_coin { " " strong.warning { (tr.t("money-privacy-coin")) } } }
                            td { (a.label.as_ref().map(|l| l.label.clone()).unwrap_or_default()) }
                            td { (a.links.iter().map(|l| l.kind.clone()).collect::<Vec<_>>().join(", ")) }
                        }
                    }
                }
            }
        }
        section #transfers {
            h2 { (tr.t("money-transfers")) " (" (transfers.total) ")" }
            table {
                thead { tr { th { (tr.t("money-time")) } th { (tr.t("money-from")) } th { (tr.t("money-to")) } th.num { (tr.t("money-amount")) } th { (tr.t("money-source")) } } }
                tbody {
                    @for t in &transfers.transfers {
                        tr id={ "t-" (t.key) } {
                            td { (tr.time(&t.time)) }
                            td { code { (short(&t.from)) } }
                            td { code { (short(&t.to)) } }
                            td.num { (t.amount) " " (t.asset) }
                            td { (t.source) ":" (t.line) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(v, &tr.t("money-title"), Section::Cases, body))
}

fn focus_href(case: &str, account: &str) -> String {
    format!(
        "/cases/{case}/money?{}",
        serde_urlencoded::to_string([("account", account)]).unwrap_or_default()
    )
}

/// An account key without its kind prefix, for tables.
fn short(key: &str) -> &str {
    key.rsplit(':').next().unwrap_or(key)
}

fn flag_table(tr: Tr, case: &str, flags: &[FlagView]) -> Markup {
    html! {
        table.flags {
            thead { tr { th { (tr.t("money-flag")) } th { (tr.t("money-account")) } th.num { (tr.t("money-score")) } th { (tr.t("money-window")) } th { (tr.t("money-explanation")) } } }
            tbody {
                @for f in flags {
                    tr {
                        td { span class={ "tag flag-" (f.kind) } { (tr.code("flag", &f.kind)) } }
                        td { a href=(focus_href(case, &f.account)) { code { (short(&f.account)) } } " " (f.asset) }
                        td.num { (format!("{:.2}", f.score)) }
                        td { (tr.time(&f.from)) " – " (tr.time(&f.until)) }
                        td { (f.explanation) " " span.meta { "(" (f.transfers.len() + f.tx_ids.len()) ")" } }
                    }
                }
            }
        }
    }
}

const SIZE: f64 = 640.0;

/// The flows as rings of hops around the centre; edges carry count and
/// total; every account links to the graph centred on it.
fn flow_svg(tr: Tr, case: &str, g: &FlowGraphView) -> Markup {
    let max_hop = g.nodes.iter().map(|n| n.hops).max().unwrap_or(0).max(1);
    let ring = (SIZE / 2.0 - 60.0) / f64::from(max_hop);
    let mut place = std::collections::HashMap::new();
    for hop in 0..=max_hop {
        let on: Vec<_> = g.nodes.iter().filter(|n| n.hops == hop).collect();
        for (i, n) in on.iter().enumerate() {
            let angle = std::f64::consts::TAU * (i as f64) / (on.len().max(1) as f64)
                + f64::from(hop) * 0.4;
            let r = ring * f64::from(hop);
            place.insert(
                n.id.clone(),
                (SIZE / 2.0 + r * angle.cos(), SIZE / 2.0 + r * angle.sin()),
            );
        }
    }
    let pos = |id: &str| place.get(id).copied().unwrap_or((SIZE / 2.0, SIZE / 2.0));
    html! {
        figure.chart.flow {
            svg viewBox={ "0 0 " (SIZE) " " (SIZE) } role="img" aria-label=(tr.t("money-graph")) {
                defs { marker #arrow viewBox="0 0 10 10" refX="18" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse" { path d="M 0 0 L 10 5 L 0 10 z" {} } }
                @for e in &g.edges {
                    @let (x1, y1) = pos(&e.source);
                    @let (x2, y2) = pos(&e.target);
                    line.edge x1=(format!("{x1:.1}")) y1=(format!("{y1:.1}")) x2=(format!("{x2:.1}")) y2=(format!("{y2:.1}")) marker-end="url(#arrow)" {
                        title { (short(&e.source)) " → " (short(&e.target)) ": " (e.count) " × · " (e.total) " " (e.asset) }
                    }
                }
                @for n in &g.nodes {
                    @let (x, y) = pos(&n.id);
                    a href=(focus_href(case, &n.id)) {
                        circle class={ "node hop-" (n.hops.min(3)) } cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(if n.hops == 0 { 14 } else { 9 }) {
                            title { (n.value) @if let Some(l) = &n.label { " · " (l) } }
                        }
                        text.node-label x=(format!("{x:.1}")) y=(format!("{:.1}", y + 24.0)) text-anchor="middle" { (short(&n.id).chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect::<String>()) }
                    }
                }
            }
            figcaption.hint { (tr.t("money-graph-hint")) }
        }
    }
}
