//! Administration: accounts and their roles, the agencies, and the routing
//! rules in force with a preview — tick a case's facts and see which
//! agencies the rules would send it to, with what scope, by when and why.
//! The rule editor (`/admin/routing`) checks an edited rule text, shows
//! the open cases it would route differently, and saves it for every
//! server and worker. Each part shows only to roles allowed it
//! (`ManageUsers`, `PreviewRouting`, `ManageAgencies`); the API's
//! handlers check again.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_response::{Permission, Role};
use qorgau_server::api::directory::{AgencyView, NewUser};
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};

use crate::layout::{self, Section, csrf};
use crate::pages::qualify::ROUTING_FACTS;
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

/// Whether the administration page has anything for this person.
pub fn offered(v: &Viewer) -> bool {
    v.may(Permission::ManageUsers)
        || v.may(Permission::PreviewRouting)
        || v.may(Permission::EditLexicon)
}

/// `GET /admin[?f:FACT=on…]`: the facts ticked are the routing preview's.
pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    match render(&state, &v, &q).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

fn agency_name(tr: Tr, a: &AgencyView) -> &str {
    tr.pick(&a.name_ru, &a.name_kk, &a.name_en)
}

async fn render(
    state: &AppState,
    v: &Viewer,
    q: &BTreeMap<String, String>,
) -> Result<Markup, ApiError> {
    if !offered(v) {
        return Err(ApiError::Forbidden(
            "administration is for administrators and supervisors".into(),
        ));
    }
    let tr = v.tr;
    let axum::Json(agencies) =
        qorgau_server::api::directory::list_agencies(State(state.clone()), v.principal.clone())
            .await?;
    let users = if v.may(Permission::ManageUsers) {
        Some(
            qorgau_server::api::directory::list_users(State(state.clone()), v.principal.clone())
                .await?
                .0,
        )
    } else {
        None
    };
    let preview = if v.may(Permission::PreviewRouting) {
        let mut facts = serde_json::Map::new();
        for f in ROUTING_FACTS {
            facts.insert(f.into(), q.contains_key(&format!("f:{f}")).into());
        }
        let facts = serde_json::from_value(serde_json::Value::Object(facts))
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
        Some(
            qorgau_server::api::routing::evaluate(
                State(state.clone()),
                v.principal.clone(),
                Body(facts),
            )
            .await?
            .0,
        )
    } else {
        None
    };
    let rules_source = qorgau_server::rules::in_force(state).await?.source.clone();
    let agency_of = |id: &str| {
        agencies
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_owned(), |a| agency_name(tr, a).to_owned())
    };
    let body = html! {
        @if let Some(users) = &users {
            section #users {
                h2 { (tr.t("admin-users")) " (" (users.len()) ")" }
                table {
                    thead { tr { th { (tr.t("sign-in-username")) } th { (tr.t("admin-display-name")) } th { (tr.t("referral-agency")) } th { (tr.t("admin-roles")) } th { (tr.t("admin-state")) } } }
                    tbody {
                        @for u in users {
                            tr {
                                td { code { (u.username) } }
                                td { (u.display_name) }
                                td { (agency_of(&u.agency_id)) }
                                td { (u.roles.iter().map(|r| tr.code("role", r)).collect::<Vec<_>>().join(", ")) }
                                td {
                                    @if u.disabled { span.deleted { (tr.t("admin-disabled")) } }
                                    @else if let Some(until) = &u.locked_until { span.warning { (tr.t("admin-locked")) " " (tr.time(until)) } }
                                    @else { (tr.t("admin-active")) }
                                }
                            }
                        }
                    }
                }
                h3 { (tr.t("admin-new-user")) }
                form.new-user method="post" action="/admin/users" {
                    (csrf(v))
                    div.columns {
                        div {
                            label for="new-username" { (tr.t("sign-in-username")) }
                            input #new-username name="username" required pattern="[a-z0-9._-]{2,64}" autocomplete="off";
                            label for="new-display" { (tr.t("admin-display-name")) }
                            input #new-display name="display_name" required maxlength="200";
                            label for="new-agency" { (tr.t("referral-agency")) }
                            select #new-agency name="agency" {
                                @for a in &agencies { option value=(a.code) { (agency_name(tr, a)) } }
                            }
                            label for="new-password" { (tr.t("admin-initial-password")) }
                            input #new-password name="password" type="password" required minlength="12" autocomplete="new-password";
                        }
                        fieldset {
                            legend { (tr.t("admin-roles")) }
                            @for r in Role::ALL {
                                label.fact { input type="checkbox" name={ "r:" (r.as_str()) }; " " (tr.code("role", r.as_str())) }
                            }
                        }
                    }
                    button type="submit" { (tr.t("admin-create-user")) }
                }
            }
        }
        @if v.may(Permission::EditLexicon) {
            section #lexicon-link {
                h2 { (tr.t("lexicon-title")) }
                p { a href="/admin/lexicon" { (tr.t("lexicon-open")) } }
            }
        }
        section #agencies {
            h2 { (tr.t("admin-agencies")) " (" (agencies.len()) ")" }
            table {
                thead { tr { th { (tr.t("admin-code")) } th { (tr.t("admin-kind")) } th { (tr.t("admin-name")) } th { (tr.t("fact-region")) } } }
                tbody {
                    @for a in &agencies {
                        tr { td { code { (a.code) } } td { (a.kind) } td { (agency_name(tr, a)) } td { (a.region.clone().unwrap_or_default()) } }
                    }
                }
            }
        }
        @if let Some(p) = &preview {
            section #routing {
                h2 { (tr.t("admin-routing")) }
                p.hint {
                    (tr.t("admin-routing-rules")) ": " code { (rules_source) } " · " (p["rules_version"].as_str().unwrap_or_default())
                    " · " a href="/admin/routing" { (tr.t("rules-open")) }
                }
                form method="get" action="/admin#routing" {
                    @for f in ROUTING_FACTS {
                        label.fact { input type="checkbox" name={ "f:" (f) } checked[q.contains_key(&format!("f:{f}"))]; " " (tr.code("fact", f)) }
                    }
                    button type="submit" { (tr.t("admin-routing-preview")) }
                }
                table {
                    thead { tr { th { (tr.t("referral-agency")) } th { (tr.t("case-access")) } th { (tr.t("referral-acknowledge-by")) } th { (tr.t("referral-act-by")) } th { (tr.t("admin-why")) } } }
                    tbody {
                        @for d in p["decisions"].as_array().into_iter().flatten() {
                            tr {
                                td { (tr.code("agency", d["agency"].as_str().unwrap_or_default())) }
                                td { (d["scopes"].as_array().into_iter().flatten().filter_map(|s| s.as_str()).map(|s| tr.code("scope", s)).collect::<Vec<_>>().join(", ")) }
                                td { (d["acknowledge_within"].to_string().trim_matches('"')) }
                                td { (d["act_within"].to_string().trim_matches('"')) }
                                td { (d["because"].as_array().into_iter().flatten().filter_map(|b| b["rule"].as_str()).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(v, &tr.t("admin-title"), Section::Admin, body))
}

/// `POST /admin/users`: a new account through the API's own checks
/// (user name, password policy, roles, agency).
pub async fn add_user(
    State(state): State<AppState>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    let f = &p.form;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let roles: Vec<String> = f
        .keys()
        .filter_map(|k| k.strip_prefix("r:").map(str::to_owned))
        .collect();
    match qorgau_server::api::directory::add_user(
        State(state),
        v.principal.clone(),
        Body(NewUser {
            username: get("username"),
            display_name: get("display_name"),
            agency: get("agency"),
            roles,
            password: get("password"),
        }),
    )
    .await
    {
        Ok(_) => Redirect::to("/admin#users").into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// `GET /admin/routing`: the rules in force as an editable text, with
/// their history.
pub async fn rules_page(State(state): State<AppState>, v: Viewer) -> Response {
    match rules_render(&state, &v, None).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

/// What a post of the rule editor did, shown above the editor.
enum Outcome {
    /// Checked: the problems, or the cases it would change.
    Checked(qorgau_server::api::routing::RulesCheck),
    /// Saved.
    Saved(qorgau_server::api::routing::RulesSaved),
    /// Refused (invalid, no note, or saved by someone else meanwhile).
    Refused(String),
}

/// `POST /admin/routing`: `action=check` shows what the edited text would
/// do; `action=save` saves it (the API's checks and conflict rule).
pub async fn rules_post(
    State(state): State<AppState>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    let get = |k: &str| p.form.get(k).cloned().unwrap_or_default();
    // Browsers send CR LF in a textarea; the rules are kept as written
    // with plain line ends, so that their hash does not depend on it.
    let text = get("text").replace("\r\n", "\n");
    if !v.may(Permission::ManageAgencies) {
        return v
            .fail(ApiError::Forbidden(
                "changing the routing rules is for administrators".into(),
            ))
            .into_response();
    }
    let outcome = if get("action") == "save" {
        match qorgau_server::api::routing::save_text(
            &state,
            &v.principal.user.username,
            &text,
            &get("based_on"),
            &get("note"),
        )
        .await
        {
            Ok(saved) => Outcome::Saved(saved),
            Err(ApiError::BadRequest(m) | ApiError::Conflict(m)) => Outcome::Refused(m),
            Err(e) => return v.fail(e).into_response(),
        }
    } else {
        match qorgau_server::api::routing::check_text(&state, &text).await {
            Ok(c) => Outcome::Checked(c),
            Err(e) => return v.fail(e).into_response(),
        }
    };
    let edited = match &outcome {
        Outcome::Saved(_) => None,
        _ => Some((text, get("based_on"), get("note"))),
    };
    match rules_render(&state, v, Some((outcome, edited))).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

type Edited = Option<(String, String, String)>;

fn impact_table(tr: Tr, impact: &[qorgau_server::rules::CaseImpact]) -> Markup {
    let kinds = |k: &[String]| {
        k.iter()
            .map(|a| tr.code("agency", a))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        @if impact.is_empty() {
            p { (tr.t("rules-no-impact")) }
        } @else {
            table.impact {
                thead { tr { th { (tr.t("case-title")) } th { (tr.t("rules-would-send")) } th { (tr.t("rules-would-hold")) } th { (tr.t("rules-no-longer")) } } }
                tbody {
                    @for c in impact {
                        tr {
                            td { a href={ "/cases/" (c.case_id) } { code { (c.name) } } " " (c.title) }
                            td { (kinds(&c.would_send)) }
                            td { (kinds(&c.would_hold)) }
                            td { (kinds(&c.no_longer_required)) }
                        }
                    }
                }
            }
        }
    }
}

async fn rules_render(
    state: &AppState,
    v: &Viewer,
    posted: Option<(Outcome, Edited)>,
) -> Result<Markup, ApiError> {
    v.principal.require(Permission::PreviewRouting)?;
    let tr = v.tr;
    let view = qorgau_server::api::routing::rules_view(state).await?;
    let editor = v.may(Permission::ManageAgencies);
    let (outcome, edited) = match posted {
        Some((o, e)) => (Some(o), e),
        None => (None, None),
    };
    let (text, based_on, note) =
        edited.unwrap_or_else(|| (view.text.clone(), view.sha256.clone(), String::new()));
    let body = html! {
        section #rules {
            h2 { (tr.t("rules-title")) }
            p.hint { (tr.t("admin-routing-rules")) ": " code { (view.source) } " · " (view.version) " · sha256 " code { (view.sha256) } }
            @match &outcome {
                Some(Outcome::Checked(c)) if !c.ok => {
                    div.failure role="alert" {
                        p { (tr.t("rules-invalid")) }
                        ul { @for e in &c.errors { li { code { (e) } } } }
                    }
                }
                Some(Outcome::Checked(c)) => {
                    div.checked role="status" {
                        p { (tr.t("rules-valid")) " " (c.version.clone().unwrap_or_default()) " (" (c.rules) ")" }
                        (impact_table(tr, &c.impact))
                    }
                }
                Some(Outcome::Saved(s)) => {
                    div.checked role="status" {
                        p { (tr.t("rules-saved")) " " (s.saved.version) " (#" (s.saved.seq) ")" }
                        (impact_table(tr, &s.impact))
                        @if let Some(job) = &s.sweep_job {
                            p { (tr.t("rules-sweep")) " " code { (job) } }
                        }
                    }
                }
                Some(Outcome::Refused(m)) => {
                    div.failure role="alert" { p { (tr.t("rules-refused")) } pre { (m) } }
                }
                None => {}
            }
            @if editor {
                form #rules-form method="post" action="/admin/routing" {
                    (csrf(v))
                    input type="hidden" name="based_on" value=(based_on);
                    label for="rules-text" { (tr.t("rules-text")) }
                    textarea #rules-text name="text" rows="30" spellcheck="false" { (text) }
                    label for="rules-note" { (tr.t("rules-note")) }
                    input #rules-note name="note" maxlength="1000" value=(note);
                    button type="submit" name="action" value="check" { (tr.t("rules-check")) }
                    " "
                    button type="submit" name="action" value="save" { (tr.t("rules-save")) }
                }
            } @else {
                pre.rules { (text) }
            }
            h3 { (tr.t("rules-history")) }
            @if view.history.is_empty() {
                p { (tr.t("rules-never-saved")) }
            } @else {
                table {
                    thead { tr { th { "#" } th { (tr.t("rules-version")) } th { (tr.t("rules-saved-at")) } th { (tr.t("rules-saved-by")) } th { (tr.t("rules-note")) } } }
                    tbody {
                        @for h in &view.history {
                            tr { td { (h.seq) } td { (h.version) } td { (tr.time(&h.saved_at)) } td { (h.saved_by) } td { (h.note) } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(v, &tr.t("rules-title"), Section::Admin, body))
}
