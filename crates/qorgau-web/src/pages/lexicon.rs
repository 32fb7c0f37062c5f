//! The indicator lexicon, administered: what is in force and who let it
//! in, a file edited with its check (errors naming file and line, the diff,
//! the archived ads it would newly flag or stop flagging), proposals
//! awaiting a second person's review with their diff and impact, and how
//! each indicator fared in triage — the dismissals and their reasons that
//! say where the lexicon misfires.
//!
//! Every action goes through `qorgau_server::api::lexicon`, so the API's
//! permissions (`EditLexicon` to propose, `ReviewLexicon` to decide), the
//! four-eyes rule and the conflict rules are the page's.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_response::Permission;
use qorgau_server::api::lexicon::{
    LexiconCheck, LexiconEdit, LexiconProposal, LexiconReviewInput, ProposalSummary, ProposalView,
};
use qorgau_server::lexicon::{DocumentChange, FileDiff, Impact};
use qorgau_server::{ApiError, AppState};

use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

/// `GET /admin/lexicon`: the lexicon in force, proposals, indicators.
pub async fn page(State(state): State<AppState>, v: Viewer) -> Response {
    match overview(&state, &v).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

fn status_tag(tr: Tr, p: &ProposalSummary) -> Markup {
    let class = match p.status.as_str() {
        "approved" => "tag ok",
        "rejected" | "stale" => "tag warning",
        _ => "tag",
    };
    html! { span class=(class) { (tr.t(&format!("lexicon-status-{}", p.status))) } }
}

async fn overview(state: &AppState, v: &Viewer) -> Result<Markup, ApiError> {
    v.principal.require(Permission::EditLexicon)?;
    let tr = v.tr;
    let view = qorgau_server::api::lexicon::view(state).await?;
    let axum::Json(indicators) =
        qorgau_server::api::lexicon::indicators(State(state.clone()), v.principal.clone()).await?;
    let decided: Vec<_> = indicators
        .iter()
        .filter(|i| i.accepted + i.dismissed > 0)
        .collect();
    let body = html! {
        section #lexicon {
            h2 { (tr.t("lexicon-title")) }
            p {
                (tr.t("lexicon-in-force")) " " code { (view.version) } " · " (view.entries) " " (tr.t("lexicon-entries"))
            }
            @match &view.approved {
                Some(a) => p.hint {
                    (tr.t("lexicon-approved-by")) " " (a.review.as_ref().map(|r| r.reviewed_by.as_str()).unwrap_or_default())
                    " · " (tr.time(a.review.as_ref().map(|r| r.reviewed_at.as_str()).unwrap_or_default()))
                    " · " (tr.t("lexicon-proposed-by")) " " (a.proposed_by)
                },
                None => p.hint { (tr.t("lexicon-builtin")) },
            }
            p.hint { (tr.t("lexicon-applies")) }
            h3 { (tr.t("lexicon-files")) }
            table {
                thead { tr { th { (tr.t("lexicon-file")) } th { (tr.t("evidence-size")) } th {} } }
                tbody {
                    @for f in &view.files {
                        tr {
                            td { code { (f.name) } }
                            td { (f.bytes) }
                            td { a href={ "/admin/lexicon/edit?file=" (f.name) } { (tr.t("lexicon-edit")) } }
                        }
                    }
                }
            }
            p { a href="/admin/lexicon/edit?file=new.toml" { (tr.t("lexicon-new-file")) } }
        }
        section #proposals {
            h2 { (tr.t("lexicon-proposals")) }
            @if view.proposals.is_empty() {
                p.empty { (tr.t("lexicon-no-proposals")) }
            } @else {
                table {
                    thead { tr { th { "#" } th { (tr.t("lexicon-version")) } th { (tr.t("lexicon-proposed-by")) } th { (tr.t("rules-saved-at")) } th { (tr.t("rules-note")) } th { (tr.t("lexicon-state")) } } }
                    tbody {
                        @for p in &view.proposals {
                            tr {
                                td { a href={ "/admin/lexicon/proposals/" (p.id) } { (p.seq) } }
                                td { code { (p.version) } }
                                td { (p.proposed_by) }
                                td { (tr.time(&p.proposed_at)) }
                                td { (p.note) }
                                td { (status_tag(tr, p)) @if p.in_force { " " span.tag.ok { (tr.t("lexicon-in-force-tag")) } } }
                            }
                        }
                    }
                }
            }
        }
        section #indicators {
            h2 { (tr.t("lexicon-indicators")) }
            p.hint { (tr.t("lexicon-indicators-hint")) }
            @if decided.is_empty() {
                p.empty { (tr.t("lexicon-no-decisions")) }
            } @else {
                table.indicators {
                    thead { tr {
                        th { (tr.t("lexicon-indicator")) }
                        th { (tr.t("lexicon-fired")) }
                        th { (tr.t("lexicon-accepted")) }
                        th { (tr.t("lexicon-dismissed")) }
                        th { (tr.t("lexicon-waiting")) }
                        th { (tr.t("lexicon-reasons")) }
                    } }
                    tbody {
                        @for i in &decided {
                            tr {
                                td { code { (i.id) } br; span.meta { (i.target) " · " (format!("{:.2}", i.weight)) } br; (i.description) }
                                td { (i.flagged_documents) }
                                td { (i.accepted) }
                                td class=(if i.dismissed_share.unwrap_or(0.0) >= 0.5 { "warning" } else { "" }) {
                                    (i.dismissed)
                                    @if let Some(share) = i.dismissed_share { " (" (format!("{:.0}", share * 100.0)) " %)" }
                                }
                                td { (i.waiting) }
                                td {
                                    @for (category, n) in &i.dismissed_by_category {
                                        span.tag { (tr.code("dismissal", category)) " " (n) } " "
                                    }
                                    @if !i.reasons.is_empty() {
                                        ul.reasons { @for r in &i.reasons { li { (r) } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        v,
        &tr.t("lexicon-title"),
        Section::Admin,
        body,
    ))
}

/// The file to edit.
#[derive(Debug, serde::Deserialize)]
pub struct EditQuery {
    /// Its name (a new name starts an empty file).
    pub file: Option<String>,
}

/// `GET /admin/lexicon/edit?file=NAME`: one file in an editor.
pub async fn edit_page(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<EditQuery>,
) -> Response {
    let render = async {
        v.principal.require(Permission::EditLexicon)?;
        let in_force = qorgau_server::lexicon::in_force(&state.vault.store).await?;
        let name = q.file.unwrap_or_else(|| "lexicon.toml".into());
        let text = in_force.files.get(&name).cloned().unwrap_or_default();
        Ok::<_, ApiError>(editor(
            &v,
            &Edit {
                name,
                text,
                based_on: in_force.version.clone(),
                note: String::new(),
                remove: false,
            },
            None,
        ))
    };
    match render.await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// The editor's fields.
struct Edit {
    name: String,
    text: String,
    based_on: String,
    note: String,
    remove: bool,
}

/// What a post of the editor did.
enum Outcome {
    Checked(LexiconCheck),
    Refused(String),
}

fn editor(v: &Viewer, e: &Edit, outcome: Option<&Outcome>) -> Markup {
    let tr = v.tr;
    let body = html! {
        p { a href="/admin/lexicon" { "← " (tr.t("lexicon-title")) } }
        section #lexicon-edit {
            h2 { (tr.t("lexicon-edit")) " " code { (e.name) } }
            p.hint { (tr.t("lexicon-edit-hint")) }
            @match outcome {
                Some(Outcome::Checked(c)) if !c.ok => div.failure role="alert" {
                    p { (tr.t("lexicon-invalid")) }
                    ul { @for err in &c.errors { li { code { (err) } } } }
                },
                Some(Outcome::Checked(c)) => div.checked role="status" {
                    p { (tr.t("lexicon-valid")) " " code { (c.version.clone().unwrap_or_default()) } " · " (c.entries) " " (tr.t("lexicon-entries")) }
                    (diff_view(tr, &c.diff))
                    @if let Some(i) = &c.impact { (impact_view(tr, i)) }
                },
                Some(Outcome::Refused(m)) => div.failure role="alert" { p { (tr.t("lexicon-refused")) } pre { (m) } },
                None => {},
            }
            form #lexicon-form method="post" action="/admin/lexicon/edit" {
                (csrf(v))
                input type="hidden" name="based_on" value=(e.based_on);
                label for="lexicon-name" { (tr.t("lexicon-file")) }
                input #lexicon-name name="file" value=(e.name) pattern="[a-z0-9_]{1,60}\\.toml" required;
                label for="lexicon-text" { (tr.t("lexicon-text")) }
                textarea #lexicon-text name="text" rows="30" spellcheck="false" { (e.text) }
                label {
                    input type="checkbox" name="remove" value="on" checked[e.remove];
                    " " (tr.t("lexicon-remove-file"))
                }
                label for="lexicon-note" { (tr.t("lexicon-note")) }
                input #lexicon-note name="note" maxlength="1000" value=(e.note);
                button type="submit" name="action" value="check" { (tr.t("lexicon-check")) }
                " "
                button type="submit" name="action" value="propose" { (tr.t("lexicon-propose")) }
            }
        }
    };
    layout::page(v, &tr.t("lexicon-edit"), Section::Admin, body)
}

/// `POST /admin/lexicon/edit`: `action=check` shows what the edit would
/// do; `action=propose` saves it for review and opens the proposal.
pub async fn edit_post(
    State(state): State<AppState>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    if let Err(err) = v.principal.require(Permission::EditLexicon) {
        return v.fail(err).into_response();
    }
    let get = |k: &str| p.form.get(k).cloned().unwrap_or_default();
    let e = Edit {
        name: get("file").trim().to_owned(),
        // Browsers send CR LF in a textarea; files are kept with plain ends.
        text: get("text").replace("\r\n", "\n"),
        based_on: get("based_on"),
        note: get("note"),
        remove: get("remove") == "on",
    };
    let mut edit = LexiconEdit::default();
    if e.remove {
        edit.remove.push(e.name.clone());
    } else {
        edit.changes.insert(e.name.clone(), e.text.clone());
    }
    let outcome = if get("action") == "propose" {
        let proposal = LexiconProposal {
            changes: edit.changes,
            remove: edit.remove,
            based_on: e.based_on.clone(),
            note: e.note.clone(),
        };
        match qorgau_server::api::lexicon::propose_edit(
            &state,
            &v.principal.user.username,
            &proposal,
        )
        .await
        {
            Ok(saved) => {
                return Redirect::to(&format!("/admin/lexicon/proposals/{}", saved.proposal.id))
                    .into_response();
            }
            Err(ApiError::BadRequest(m) | ApiError::Conflict(m)) => Outcome::Refused(m),
            Err(err) => return v.fail(err).into_response(),
        }
    } else {
        match qorgau_server::api::lexicon::check_edit(&state, &edit).await {
            Ok(c) => Outcome::Checked(c),
            Err(err) => return v.fail(err).into_response(),
        }
    };
    editor(v, &e, Some(&outcome)).into_response()
}

fn diff_view(tr: Tr, diff: &[FileDiff]) -> Markup {
    html! {
        @if diff.is_empty() {
            p { (tr.t("lexicon-no-change")) }
        }
        @for f in diff {
            div.diff {
                h4 { code { (f.name) } " " span.tag { (tr.t(&format!("lexicon-file-{}", f.status))) } }
                @for hunk in &f.hunks {
                    table.diff {
                        tbody {
                            @for l in hunk {
                                tr class=(match l.tag.as_str() { "+" => "add", "-" => "del", _ => "ctx" }) {
                                    td.num { (l.old.map(|n| n.to_string()).unwrap_or_default()) }
                                    td.num { (l.new.map(|n| n.to_string()).unwrap_or_default()) }
                                    td { code { (l.tag) " " (l.text) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn changes(tr: Tr, title: &str, count: usize, list: &[DocumentChange]) -> Markup {
    html! {
        @if count > 0 {
            h4 { (tr.t(title)) " (" (count) ")" }
            table.impact {
                thead { tr { th { (tr.t("lexicon-document")) } th { (tr.t("lexicon-risk")) } th { (tr.t("lexicon-scenario")) } th { (tr.t("lexicon-indicators-after")) } } }
                tbody {
                    @for d in list {
                        tr {
                            td { (d.excerpt) @if let Some(u) = &d.url { br; span.meta { (u) } } }
                            td { (format!("{:.2} → {:.2}", d.risk_before, d.risk_after)) }
                            td {
                                (d.scenario_before.as_deref().map(|s| tr.code("scenario", s)).unwrap_or_else(|| "—".into()))
                                " → "
                                (d.scenario_after.as_deref().map(|s| tr.code("scenario", s)).unwrap_or_else(|| "—".into()))
                            }
                            td { @for i in &d.indicators_after { code { (i) } " " } }
                        }
                    }
                }
            }
        }
    }
}

fn impact_view(tr: Tr, i: &Impact) -> Markup {
    html! {
        div.impact {
            p {
                (tr.t("lexicon-impact-checked")) " " (i.documents_checked) " / " (i.documents_total)
            }
            @if i.newly_flagged_count + i.no_longer_flagged_count + i.scenario_changed_count == 0 {
                p { (tr.t("lexicon-no-impact")) }
            }
            (changes(tr, "lexicon-newly-flagged", i.newly_flagged_count, &i.newly_flagged))
            (changes(tr, "lexicon-no-longer-flagged", i.no_longer_flagged_count, &i.no_longer_flagged))
            (changes(tr, "lexicon-scenario-changed", i.scenario_changed_count, &i.scenario_changed))
        }
    }
}

/// `GET /admin/lexicon/proposals/{id}`: a proposal with its diff, its
/// impact while pending, and — for a reviewer who did not write it — the
/// decision form.
pub async fn proposal_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Response {
    let render = async {
        v.principal.require(Permission::EditLexicon)?;
        let view = qorgau_server::api::lexicon::one(&state, &id).await?;
        Ok::<_, ApiError>(proposal_markup(&v, &view, None))
    };
    match render.await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

fn proposal_markup(v: &Viewer, view: &ProposalView, refused: Option<&str>) -> Markup {
    let tr = v.tr;
    let p = &view.proposal;
    let may_review = v.may(Permission::ReviewLexicon) && p.proposed_by != v.principal.user.username;
    let body = html! {
        p { a href="/admin/lexicon" { "← " (tr.t("lexicon-title")) } }
        section #proposal {
            h2 { (tr.t("lexicon-proposal")) " #" (p.seq) " " (status_tag(tr, p)) }
            dl.facts {
                dt { (tr.t("lexicon-version")) } dd { code { (p.version) } }
                dt { (tr.t("lexicon-based-on")) } dd { code { (p.based_on) } }
                dt { (tr.t("lexicon-proposed-by")) } dd { (p.proposed_by) " · " (tr.time(&p.proposed_at)) }
                dt { (tr.t("rules-note")) } dd { (p.note) }
                @if let Some(r) = &p.review {
                    dt { (tr.t("lexicon-reviewed-by")) } dd { (r.reviewed_by) " · " (tr.time(&r.reviewed_at)) }
                    dt { (tr.t("lexicon-review-note")) } dd { (r.note) }
                }
            }
            @if p.status == "stale" { p.warning { (tr.t("lexicon-stale-hint")) } }
            @if let Some(m) = refused { div.failure role="alert" { p { (tr.t("lexicon-refused")) } pre { (m) } } }
            @if p.status == "pending" {
                @if may_review {
                    form #review-form method="post" action={ "/admin/lexicon/proposals/" (p.id) } {
                        (csrf(v))
                        label for="review-note" { (tr.t("lexicon-review-note")) }
                        input #review-note name="note" maxlength="1000" required;
                        button type="submit" name="decision" value="approved" { (tr.t("lexicon-approve")) }
                        " "
                        button type="submit" name="decision" value="rejected" { (tr.t("lexicon-reject")) }
                    }
                } @else {
                    p.hint { (tr.t("lexicon-four-eyes")) }
                }
            }
            h3 { (tr.t("lexicon-diff")) }
            (diff_view(tr, &view.diff))
            @if let Some(i) = &view.impact {
                h3 { (tr.t("lexicon-impact")) }
                (impact_view(tr, i))
            }
        }
    };
    layout::page(v, &tr.t("lexicon-proposal"), Section::Admin, body)
}

/// `POST /admin/lexicon/proposals/{id}`: approve or reject.
pub async fn review_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    if let Err(e) = v.principal.require(Permission::ReviewLexicon) {
        return v.fail(e).into_response();
    }
    let input = LexiconReviewInput {
        decision: p.form.get("decision").cloned().unwrap_or_default(),
        note: p.form.get("note").cloned().unwrap_or_default(),
    };
    match qorgau_server::api::lexicon::review_proposal(
        &state,
        &v.principal.user.username,
        &id,
        &input,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/admin/lexicon/proposals/{id}")).into_response(),
        Err(ApiError::BadRequest(m) | ApiError::Conflict(m) | ApiError::Forbidden(m)) => {
            match qorgau_server::api::lexicon::one(&state, &id).await {
                Ok(view) => proposal_markup(v, &view, Some(&m)).into_response(),
                Err(e) => v.fail(e).into_response(),
            }
        }
        Err(e) => v.fail(e).into_response(),
    }
}
