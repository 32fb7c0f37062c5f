//! Cases: the list of the agency's cases and those referred to it, and the
//! case page — what the API's case view lets this person see, nothing more
//! (parts outside their scopes are absent, not empty), with the evidence,
//! the referrals and their deadlines, the checklist of study section 5.3
//! and the timeline of the case's ledger chain.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use qorgau_i18n::Args;
use qorgau_server::api::cases::{CaseView, ListQuery, TimelineQuery};
use qorgau_server::api::evidence::EvidenceQuery;
use qorgau_server::api::referrals::ReferralView;
use qorgau_server::{ApiError, AppState};

use crate::Services;
use crate::layout::{self, Section};
use crate::viewer::Viewer;

/// `GET /cases`.
pub async fn list(State(state): State<AppState>, v: Viewer) -> Response {
    let tr = v.tr;
    let cases = match qorgau_server::api::cases::list(
        State(state),
        v.principal.clone(),
        Query(ListQuery { limit: Some(500) }),
    )
    .await
    {
        Ok(axum::Json(c)) => c,
        Err(e) => return v.fail(e).into_response(),
    };
    let body = html! {
        @if cases.is_empty() { p.empty { (tr.t("cases-empty")) } }
        @else {
            table.cases {
                thead { tr {
                    th { (tr.t("case-name")) } th { (tr.t("case-title")) } th { (tr.t("case-kind")) }
                    th { (tr.t("case-status")) } th { (tr.t("case-access")) } th { (tr.t("case-updated")) }
                } }
                tbody {
                    @for c in &cases {
                        tr {
                            td { a href={ "/cases/" (c.id) } { (c.name) } }
                            td { (c.title) }
                            td { (tr.code("case-kind", &c.kind)) }
                            td { (tr.code("case-status", &c.status)) }
                            td { @if c.owner { (tr.t("case-owner")) } @else { (scopes(&v, &c.scopes)) } }
                            td { (tr.time(&c.updated_at)) }
                        }
                    }
                }
            }
        }
    };
    layout::page(&v, &tr.t("cases-title"), Section::Cases, body).into_response()
}

fn scopes(v: &Viewer, scopes: &[String]) -> String {
    scopes
        .iter()
        .map(|s| v.tr.code("scope", s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /cases/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Extension(services): Extension<Arc<Services>>,
    v: Viewer,
    Path(id): Path<String>,
) -> Response {
    let jobs = match qorgau_server::api::parse_id(&id) {
        Ok(case_id) => crate::jobs::of_case(&state.vault.store, case_id, &services.exports_dir)
            .await
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    match render(&state, &v, id, &jobs).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

async fn render(
    state: &AppState,
    v: &Viewer,
    id: String,
    jobs: &[crate::jobs::Job],
) -> Result<Markup, ApiError> {
    let tr = v.tr;
    let axum::Json(view) =
        qorgau_server::api::cases::one(State(state.clone()), v.principal.clone(), Path(id.clone()))
            .await?;
    // Marked items change what an export asks for (an authorisation).
    let restricted_count = match (view.evidence_items, qorgau_server::api::parse_id(&id)) {
        (Some(_), Ok(case_id)) => state.vault.store.restricted_items(case_id).await?.len(),
        _ => 0,
    };
    let evidence = if view.evidence_items.is_some() {
        Some(
            qorgau_server::api::evidence::list(
                State(state.clone()),
                v.principal.clone(),
                Path(id.clone()),
                Query(EvidenceQuery {
                    limit: Some(200),
                    offset: None,
                }),
            )
            .await?
            .0,
        )
    } else {
        None
    };
    let timeline = if view.case.owner && view.facts.is_some() {
        Some(
            qorgau_server::api::cases::timeline(
                State(state.clone()),
                v.principal.clone(),
                Path(id.clone()),
                Query(TimelineQuery { reads: None }),
            )
            .await?
            .0,
        )
    } else {
        None
    };
    let now = state.clock.now().to_utc_string();
    let takedowns = if view.facts.is_some() {
        crate::pages::takedowns::of_case(state, v, &id).await
    } else {
        None
    };
    // The virtual identities in use: only for the roles that use them, in a
    // case they see operationally (the API refuses everyone else).
    let operations = if v.may(qorgau_response::Permission::UseIdentities) {
        qorgau_server::api::identities::case_operations(
            State(state.clone()),
            v.principal.clone(),
            Path(id.clone()),
        )
        .await
        .ok()
        .map(|j| j.0)
    } else {
        None
    };
    let title = format!("{} · {}", view.case.name, view.case.title);
    let may_qualify = view.case.owner
        && view.facts.is_some()
        && v.may(qorgau_response::Permission::EditCases)
        && v.may(qorgau_response::Permission::UseLawAssistant);
    let may_capture = view.case.owner
        && view.evidence_items.is_some()
        && v.may(qorgau_response::Permission::EditCases);
    let body = html! {
        (summary(v, &view))
        p.actions {
            @if may_qualify {
                a.button href={ "/cases/" (view.case.id) "/qualify" } { (tr.t("case-qualify")) } " "
            }
            @if view.keys.is_some() && v.may(qorgau_response::Permission::ReadMoney) {
                a.button href={ "/cases/" (view.case.id) "/money" } { (tr.t("case-money")) }
            }
        }
        div.columns {
            div {
                @if let Some(progress) = &view.checklist { (checklist(v, &view, progress)) }
                @if !view.persons.is_empty() || view.facts.is_some() {
                    section #persons {
                        h2 { (tr.t("case-persons")) }
                        @if view.persons.is_empty() { p.empty { (tr.t("none")) } }
                        ul { @for p in &view.persons { li {
                            span.tag { (tr.code("person-role", &p.role)) } " "
                            @match &p.victim { Some(vid) => a href={ "/victims/" (vid) } { (p.label) }, None => (p.label) }
                        } } }
                    }
                }
                @if let Some(keys) = &view.keys {
                    section #keys {
                        h2 { (tr.t("case-keys")) }
                        @if keys.is_empty() { p.empty { (tr.t("none")) } }
                        ul.identifiers { @for k in keys { li { span.tag { (tr.code("identifier", &k.kind)) } " " code { (k.value) } } } }
                    }
                }
                @if let Some(docs) = &view.documents {
                    section #documents {
                        h2 { (tr.t("case-documents")) " (" (view.document_count.unwrap_or(0)) ")" }
                        @if docs.is_empty() { p.empty { (tr.t("none")) } }
                        ul { @for d in docs { li {
                            (d.title.clone().unwrap_or_else(|| d.id.clone()))
                            @if let Some(u) = &d.url { " " code { (u) } }
                            @if let Some(del) = &d.deleted_at { " " span.deleted { (tr.t("document-deleted")) " " (tr.time(del)) } }
                        } } }
                    }
                }
                @if let Some(notes) = &view.notes {
                    section #notes {
                        h2 { (tr.t("case-notes")) }
                        @if notes.is_empty() { p.empty { (tr.t("none")) } }
                        @for n in notes { article.note { p.meta { (n.author) " · " (tr.time(&n.written_at)) } p { (n.body) } } }
                    }
                }
            }
            div {
                (referrals(v, &view.referrals, &now))
                @if may_capture {
                    (crate::pages::capture::form(v, &view.case.id, jobs))
                    (crate::pages::capture::exports(v, &view.case.id, restricted_count))
                    p { a.button href={ "/cases/" (view.case.id) "/import" } { (tr.t("import-open")) } }
                }
                @if let Some(ops) = &operations {
                    (identities_in_use(v, ops))
                }
                @if let Some(t) = &takedowns {
                    (crate::pages::takedowns::section(v, &view.case.id, t, may_capture))
                }
                @if let Some(items) = &evidence {
                    section #evidence {
                        h2 { (tr.t("case-evidence")) " (" (view.evidence_items.unwrap_or(0)) ")" }
                        @if items.is_empty() { p.empty { (tr.t("none")) } }
                        @else {
                            table.evidence {
                                thead { tr { th { (tr.t("evidence-file")) } th { (tr.t("evidence-type")) } th { (tr.t("evidence-size")) } th { "SHA-256" } th { (tr.t("evidence-acquired")) } } }
                                tbody { @for i in items { tr {
                                    td {
                                        a href={ "/cases/" (view.case.id) "/evidence/" (i.id) } { (i.relative_path) }
                                        @if i.restricted.is_some() { " " span.warning { (tr.t("restricted-short")) } }
                                    }
                                    td { (i.media_type) }
                                    td.num { (i.size) }
                                    td { code.hash title=(i.sha256) { (i.sha256.get(..16).unwrap_or(&i.sha256)) "…" } }
                                    td { (tr.time_both(&i.acquired_at)) }
                                } } }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(entries) = &timeline {
            section #timeline {
                h2 { (tr.t("case-timeline")) }
                ol.timeline {
                    @for e in entries {
                        li { (tr.time(&e.at)) " " span.tag { (tr.code("event", &e.kind)) } " " (e.actor) }
                    }
                }
            }
        }
    };
    Ok(layout::page(v, &title, Section::Cases, body))
}

fn summary(v: &Viewer, view: &CaseView) -> Markup {
    let tr = v.tr;
    let c = &view.case;
    html! {
        dl.facts.case-summary {
            dt { (tr.t("case-kind")) } dd { (tr.code("case-kind", &c.kind)) }
            dt { (tr.t("case-status")) } dd { (tr.code("case-status", &c.status)) }
            dt { (tr.t("case-access")) }
            dd { @if c.owner { (tr.t("case-owner")) } @else { (scopes(v, &c.scopes)) } }
            @if let Some(articles) = &view.articles {
                dt { (tr.t("case-articles")) }
                dd { @if articles.is_empty() { (tr.t("none")) } @else { (articles.join(", ")) } }
            }
            dt { (tr.t("case-updated")) } dd { (tr.time(&c.updated_at)) }
        }
    }
}

fn checklist(
    v: &Viewer,
    view: &CaseView,
    progress: &qorgau_server::api::cases::Progress,
) -> Markup {
    let tr = v.tr;
    html! {
        section #checklist {
            h2 { (tr.t("case-checklist")) }
            p {
                (tr.t_with("checklist-progress", &Args::new().with("done", progress.done).with("total", progress.applicable)))
            }
            progress max="100" value=(progress.percent) { (progress.percent) "%" }
            @if let Some(tasks) = &view.tasks {
                ul.tasks {
                    @for t in tasks {
                        @let item = t.checklist_key.as_deref().and_then(checklist_item);
                        li class={ "task " (t.status) } {
                            span.status { (tr.code("task-status", &t.status)) }
                            " "
                            @match item {
                                Some(i) => span title=(pick(tr, &i.guidance)) { (pick(tr, &i.title)) },
                                None => (t.title),
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The checklist item under `key` (tasks keep the Russian title; the page
/// shows the reader's language, with the item's guidance on hover).
fn checklist_item(key: &str) -> Option<&'static qorgau_casework::checklist::ChecklistItem> {
    qorgau_server::checklist::builtin()?
        .items()
        .iter()
        .find(|i| i.key == key)
}

fn pick(tr: crate::text::Tr, text: &qorgau_casework::Text3) -> &str {
    tr.pick(&text.ru, &text.kk, &text.en)
}

/// Referrals with their deadlines; one missed (or past due now and not
/// answered) is marked overdue, in red.
pub fn referrals(v: &Viewer, referrals: &[ReferralView], now: &str) -> Markup {
    let tr = v.tr;
    html! {
        section #referrals {
            h2 { (tr.t("case-referrals")) }
            @if referrals.is_empty() { p.empty { (tr.t("none")) } }
            @else {
                table.referrals {
                    thead { tr { th { (tr.t("referral-agency")) } th { (tr.t("referral-state")) } th { (tr.t("referral-acknowledge-by")) } th { (tr.t("referral-act-by")) } } }
                    tbody { @for r in referrals { (referral_row(v, r, now)) } }
                }
            }
        }
    }
}

/// Whether a referral has missed a deadline, or is past one now.
pub fn overdue(r: &ReferralView, now: &str) -> bool {
    !r.overdue.is_empty()
        || (r.state == "sent" && r.acknowledge_by.as_str() < now)
        || (matches!(r.state.as_str(), "sent" | "acknowledged") && r.act_by.as_str() < now)
}

fn referral_row(v: &Viewer, r: &ReferralView, now: &str) -> Markup {
    let tr = v.tr;
    let late = overdue(r, now);
    html! {
        tr class=[late.then_some("overdue")] {
            td { (tr.code("agency", &r.agency_kind)) }
            td { (tr.code("referral-state", &r.state)) @if late { " " strong.overdue-label { (tr.t("referral-overdue")) } } }
            td { (tr.time(&r.acknowledge_by)) }
            td { (tr.time(&r.act_by)) }
        }
    }
}

/// The virtual identities acting in the case, with the authorisation each
/// relies on and whether it still runs.
fn identities_in_use(
    v: &Viewer,
    ops: &[qorgau_server::api::identities::CaseOperationView],
) -> Markup {
    let tr = v.tr;
    html! {
        section #identities-in-use {
            h2 { (tr.t("case-identities")) " (" (ops.len()) ")" }
            @if ops.is_empty() {
                p.empty { (tr.t("none")) }
            } @else {
                table {
                    thead { tr {
                        th { (tr.t("case-identity-handles")) }
                        th { (tr.t("case-identity-authorisation")) }
                        th { (tr.t("case-identity-valid-until")) }
                        th { (tr.t("case-identity-opened")) }
                        th.num { (tr.t("case-identity-actions")) }
                    } }
                    tbody {
                        @for o in ops {
                            tr class=[(!o.active).then_some("overdue")] {
                                td { span.tag { (tr.code("platform", &o.platform)) } " " @for h in &o.handles { code { (h) } " " } }
                                td { (o.authorisation_number) br; span.meta { (o.court) } }
                                td {
                                    (tr.time(&o.valid_until))
                                    @if !o.active { br; strong { (tr.t("case-identity-expired")) } }
                                }
                                td { (tr.time(&o.opened_at)) br; span.meta { (o.opened_by) } }
                                td.num { (o.actions) }
                            }
                        }
                    }
                }
            }
            p { a href="/identities" { (tr.t("case-identity-register")) } }
        }
    }
}
