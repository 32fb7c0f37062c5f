//! The triage queue: new signals, riskiest first, each with the monitored
//! document behind it (indicators marked in the text, identifiers, cluster
//! and network) so that a person decides with the evidence in view: accept
//! into a new case, or dismiss with a category and a reason (kept: the
//! lexicon review reads them).
//!
//! Every call goes through the JSON API's handlers, so the permission
//! checks, the case's ledger entries and routing are exactly the API's.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_i18n::Args;
use qorgau_response::{DismissalCategory, Permission, normalise_resource};
use qorgau_server::api::cases::{AttachDocument, NewCase};
use qorgau_server::api::signals::{Dismissal, QueueQuery, SignalView};
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};
use qorgau_store::DocumentRecord;
use serde::Deserialize;

use crate::assessment::{Assessment, flagged_documents, indicator_list, marked_text};
use crate::layout::{self, Section, csrf};
use crate::viewer::{Posted, Viewer};

/// Queue filters.
#[derive(Debug, Deserialize)]
pub struct Filter {
    /// new (default), accepted or dismissed.
    status: Option<String>,
}

/// A signal with the document it came from, if one is archived.
struct Entry<'a> {
    signal: SignalView,
    document: Option<&'a DocumentRecord>,
    assessment: Option<Assessment>,
}

/// `GET /triage`.
pub async fn queue(State(state): State<AppState>, v: Viewer, Query(f): Query<Filter>) -> Response {
    match render(&state, &v, f).await {
        Ok(page) => page.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

async fn render(state: &AppState, v: &Viewer, f: Filter) -> Result<Markup, ApiError> {
    let tr = v.tr;
    let status = match f.status.as_deref() {
        Some("accepted") => "accepted",
        Some("dismissed") => "dismissed",
        _ => "new",
    };
    let axum::Json(mut signals) = qorgau_server::api::signals::queue(
        State(state.clone()),
        v.principal.clone(),
        Query(QueueQuery {
            status: Some(status.into()),
            limit: Some(200),
        }),
    )
    .await?;
    signals.sort_by(|a, b| {
        b.risk
            .unwrap_or(0.0)
            .total_cmp(&a.risk.unwrap_or(0.0))
            .then_with(|| b.last_reported_at.cmp(&a.last_reported_at))
    });
    // The archive's flagged documents by their normalised address, so a
    // detection signal finds the text it was raised on. Loaded whole: fine
    // for a regional archive; a national one wants the normalised resource
    // kept as an indexed column of documents.
    let documents = flagged_documents(state).await?;
    let mut by_resource: HashMap<String, &DocumentRecord> = HashMap::new();
    let mut cluster_sizes: HashMap<String, usize> = HashMap::new();
    for d in &documents {
        if let Some(key) = d.url.as_deref().and_then(normalise_resource) {
            by_resource.entry(key).or_insert(d);
        }
        if let Some(c) = Assessment::parse(d.assessment.as_deref()).and_then(|a| a.cluster) {
            *cluster_sizes.entry(c).or_default() += 1;
        }
    }
    let entries: Vec<Entry<'_>> = signals
        .into_iter()
        .map(|signal| {
            let document = signal
                .resource
                .as_deref()
                .and_then(|r| by_resource.get(r).copied());
            let assessment = document.and_then(|d| Assessment::parse(d.assessment.as_deref()));
            Entry {
                signal,
                document,
                assessment,
            }
        })
        .collect();
    let title = tr.t("triage-title");
    let may_decide = v.may(Permission::TriageSignals) && status == "new";
    let body = html! {
        nav.tabs aria-label=(tr.t("triage-status")) {
            @for s in ["new", "accepted", "dismissed"] {
                @if s == status {
                    a href={ "/triage?status=" (s) } aria-current="page" { (tr.code("signal-status", s)) }
                } @else {
                    a href={ "/triage?status=" (s) } { (tr.code("signal-status", s)) }
                }
            }
        }
        p.count { (tr.t_with("triage-count", &Args::new().with("count", entries.len() as u64))) }
        @if entries.is_empty() { p.empty { (tr.t("triage-empty")) } }
        ol.queue {
            @for (i, e) in entries.iter().enumerate() {
                li { (entry(v, e, i == 0, may_decide, &cluster_sizes)) }
            }
        }
    };
    Ok(layout::page(v, &title, Section::Triage, body))
}

fn risk_class(risk: Option<f64>) -> &'static str {
    match risk {
        Some(r) if r >= 0.7 => "risk high",
        Some(r) if r >= 0.4 => "risk medium",
        _ => "risk low",
    }
}

fn entry(
    v: &Viewer,
    e: &Entry<'_>,
    open: bool,
    may_decide: bool,
    clusters: &HashMap<String, usize>,
) -> Markup {
    let tr = v.tr;
    let s = &e.signal;
    let heading = e
        .document
        .and_then(|d| d.title.clone())
        .unwrap_or_else(|| s.summary.chars().take(120).collect());
    html! {
        article.signal id={ "signal-" (s.id) } {
            details open[open] {
                summary {
                    span class=(risk_class(s.risk)) {
                        (s.risk.map_or("—".to_owned(), |r| format!("{:.0}%", r * 100.0)))
                    }
                    " "
                    @if let Some(sc) = &s.scenario { span class={ "tag scenario-" (sc) } { (tr.code("scenario", sc)) } " " }
                    span.heading { (heading) }
                }
                dl.facts {
                    dt { (tr.t("signal-source")) } dd { (tr.code("signal-source", &s.source)) }
                    @if let Some(r) = &s.resource {
                        // Shown as text, not a link: opening a suspect's
                        // page from a workstation is an investigative step.
                        dt { (tr.t("signal-resource")) } dd { code { (r) } }
                    }
                    dt { (tr.t("signal-reported")) }
                    dd { (tr.time(&s.first_reported_at)) " · " (tr.t_with("signal-reports", &Args::new().with("count", s.reports))) }
                    @if let Some(d) = e.document {
                        @if let Some(src) = &d.source { dt { (tr.t("document-platform")) } dd { (src) } }
                        @if let Some(del) = d.deleted_at { dt { (tr.t("document-deleted")) } dd.deleted { (tr.time(&del.to_utc_string())) } }
                    }
                    @if let Some(a) = &e.assessment {
                        @if let Some(c) = &a.cluster {
                            dt { (tr.t("document-cluster")) }
                            dd { a href={ "/network/clusters/" (c) } { code { (c) } } " · " (tr.t_with("cluster-size", &Args::new().with("count", clusters.get(c).copied().unwrap_or(1) as u64))) }
                        }
                        @if let Some(n) = &a.network {
                            dt { (tr.t("document-network")) }
                            dd { a href={ "/network?" (serde_urlencoded::to_string([("node", format!("doc:{}", e.document.map(|d| d.id.to_string()).unwrap_or_default())), ("hops", "2".to_owned())]).unwrap_or_default()) } { code { (n) } } }
                        }
                        @if a.minor { dt { (tr.t("document-minor")) } dd.warning { (tr.t("yes")) } }
                    }
                }
                @match (e.document, &e.assessment) {
                    (Some(d), a) => {
                        (marked_text(tr, &d.body, a.as_ref()))
                        @if let Some(a) = a {
                            (indicator_list(tr, a))
                            @if !a.identifiers.is_empty() {
                                h3 { (tr.t("document-identifiers")) }
                                ul.identifiers {
                                    @for i in &a.identifiers { li { span.tag { (tr.code("identifier", &i.kind)) } " " code { (if i.value.is_empty() { &i.text } else { &i.value }) } } }
                                }
                            }
                        }
                    }
                    (None, _) => p.document-text { (s.summary) },
                }
                @if may_decide { (decide(v, e, &heading)) }
            }
        }
    }
}

fn decide(v: &Viewer, e: &Entry<'_>, heading: &str) -> Markup {
    let tr = v.tr;
    let id = &e.signal.id;
    html! {
        div.decide {
            form.accept method="post" action={ "/triage/" (id) "/accept" } {
                (csrf(v))
                @if let Some(d) = e.document { input type="hidden" name="document" value=(d.id.to_string()); }
                label for={ "title-" (id) } { (tr.t("accept-title")) }
                input id={ "title-" (id) } name="title" required maxlength="200" value=(heading.chars().take(120).collect::<String>());
                // The address as found (the archived document's), else the
                // signal's normalised resource.
                @if let Some(url) = e.document.and_then(|d| d.url.clone()).or_else(|| e.signal.resource.clone()).filter(|r| r.starts_with("http://") || r.starts_with("https://")) {
                    label.check {
                        input type="checkbox" name="capture" value=(url);
                        " " (tr.t("accept-capture"))
                    }
                }
                button type="submit" { (tr.t("accept-submit")) }
            }
            form.dismiss method="post" action={ "/triage/" (id) "/dismiss" } {
                (csrf(v))
                label for={ "category-" (id) } { (tr.t("dismiss-category")) }
                select id={ "category-" (id) } name="category" required {
                    @for c in DismissalCategory::ALL {
                        option value=(c.as_str()) { (tr.code("dismissal", c.as_str())) }
                    }
                }
                label for={ "reason-" (id) } { (tr.t("dismiss-reason")) }
                textarea id={ "reason-" (id) } name="reason" required minlength="5" maxlength="2000" rows="2" {}
                button type="submit" { (tr.t("dismiss-submit")) }
            }
        }
    }
}

/// The accept form.
#[derive(Debug, Deserialize)]
pub struct Accept {
    title: String,
    document: Option<String>,
    /// The ad's address, when it is to be preserved in the new case at
    /// once (the same right as the case's own capture form).
    #[serde(default)]
    capture: Option<String>,
}

/// `POST /triage/{id}/accept`: opens a case owned by the person's agency
/// with the signal accepted into it (the checklist and routing come with
/// it, as through the API) and the document attached.
pub async fn accept(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<Accept>,
) -> Response {
    let v = &p.viewer;
    let result = async {
        let axum::Json(signal) = qorgau_server::api::signals::one(
            State(state.clone()),
            v.principal.clone(),
            Path(id.clone()),
        )
        .await?;
        let (_, axum::Json(opened)) = qorgau_server::api::cases::open(
            State(state.clone()),
            v.principal.clone(),
            Body(NewCase {
                title: p.form.title.clone(),
                kind: None,
                name: None,
                facts: None,
                signals: vec![id.clone()],
                resources: signal.resource.clone().into_iter().collect(),
                identifiers: Vec::new(),
            }),
        )
        .await?;
        let case = opened.view.case.id;
        let name = opened.view.case.name.clone();
        if let Some(document) = p.form.document.clone().filter(|d| !d.is_empty()) {
            let _attached = qorgau_server::api::cases::attach_document(
                State(state.clone()),
                v.principal.clone(),
                Path(case.clone()),
                Body(AttachDocument { document }),
            )
            .await?;
        }
        // Ads disappear within hours: the page is preserved before anyone
        // reads the case, as a job of the work queue like any capture.
        let url = p
            .form
            .capture
            .clone()
            .map(|u| u.trim().to_owned())
            .filter(|r| r.starts_with("http://") || r.starts_with("https://"));
        let job = match url {
            Some(url) => Some(
                crate::jobs::start(
                    &state.vault.store,
                    &v.principal.user.username,
                    qorgau_server::api::parse_id(&case)?,
                    &name,
                    &crate::jobs::Task::Capture {
                        url,
                        note: v.tr.t("accept-capture-note"),
                    },
                )
                .await?,
            ),
            _ => None,
        };
        Ok::<_, ApiError>((case, job))
    }
    .await;
    match result {
        Ok((case, Some(job))) => Redirect::to(&format!("/cases/{case}/jobs/{job}")).into_response(),
        Ok((case, None)) => Redirect::to(&format!("/cases/{case}")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// The dismiss form.
#[derive(Debug, Deserialize)]
pub struct Dismiss {
    category: String,
    reason: String,
}

/// `POST /triage/{id}/dismiss`.
pub async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<Dismiss>,
) -> Response {
    let v = &p.viewer;
    match qorgau_server::api::signals::dismiss(
        State(state.clone()),
        v.principal.clone(),
        Path(id),
        Body(Dismissal {
            category: p.form.category.clone(),
            reason: p.form.reason.clone(),
        }),
    )
    .await
    {
        Ok(_) => Redirect::to("/triage").into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}
