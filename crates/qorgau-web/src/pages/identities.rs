//! Controlled virtual identities of the agency (study 4.2: no operative
//! account without a legal basis, and no provocation): each with its
//! handles, responsible officer and court authorisations, and the form that
//! opens an operation with one — refused by the API, saying why, without an
//! authorisation valid now for the platform or unless every provocation
//! safeguard is acknowledged, each shown in full in the reader's language.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};

use crate::layout::{self, Section, csrf};
use crate::viewer::{Posted, Viewer};

/// `GET /identities`.
pub async fn page(State(state): State<AppState>, v: Viewer) -> Response {
    let result = async {
        let axum::Json(identities) =
            qorgau_server::api::identities::list(State(state.clone()), v.principal.clone()).await?;
        let axum::Json(safeguards) =
            qorgau_server::api::identities::list_safeguards(v.principal.clone()).await?;
        let axum::Json(cases) = qorgau_server::api::cases::list(
            State(state),
            v.principal.clone(),
            axum::extract::Query(qorgau_server::api::cases::ListQuery { limit: Some(200) }),
        )
        .await?;
        Ok::<_, ApiError>((identities, safeguards, cases))
    }
    .await;
    let (identities, safeguards, cases) = match result {
        Ok(x) => x,
        Err(e) => return v.fail(e).into_response(),
    };
    let tr = v.tr;
    let identities = serde_json::to_value(&identities).unwrap_or_default();
    let lang = tr.lang.code();
    let body = html! {
        p.hint { (tr.t("identities-intro")) }
        @let list = identities.as_array().cloned().unwrap_or_default();
        @if list.is_empty() { p.empty { (tr.t("none")) } }
        @for i in &list {
            @let id = i["id"].as_str().unwrap_or_default().to_owned();
            section.identity id={ "identity-" (id) } {
                h2 {
                    @for h in i["handles"].as_array().into_iter().flatten() {
                        span.tag { (h["platform"].as_str().unwrap_or_default()) } " " code { (h["handle"].as_str().unwrap_or_default()) } " "
                    }
                }
                p { (tr.t("identities-officer")) ": " (i["officer"].as_str().unwrap_or_default()) }
                h3 { (tr.t("identities-authorisations")) }
                @let auths = i["authorisations"].as_array().cloned().unwrap_or_default();
                @if auths.is_empty() { p.warning { (tr.t("identities-no-authorisation")) } }
                ul {
                    @for a in &auths {
                        li {
                            "№ " (a["number"].as_str().unwrap_or_default()) ", " (a["court"].as_str().unwrap_or_default())
                            " · " (tr.time(a["valid_from"].as_str().unwrap_or_default())) " – " (tr.time(a["valid_until"].as_str().unwrap_or_default()))
                            " · " (a["platforms"].as_array().into_iter().flatten().filter_map(|p| p.as_str()).collect::<Vec<_>>().join(", "))
                        }
                    }
                }
                details {
                    summary { (tr.t("identities-open-operation")) }
                    form method="post" action="/identities/operations" {
                        (csrf(&v))
                        input type="hidden" name="identity" value=(id);
                        label for={ "case-" (id) } { (tr.t("screening-case")) }
                        select id={ "case-" (id) } name="case" required {
                            @for c in cases.iter().filter(|c| c.owner && c.status == "open" && c.kind == "criminal") {
                                option value=(c.id) { (c.name) " · " (c.title) }
                            }
                        }
                        label for={ "platform-" (id) } { (tr.t("document-platform")) }
                        select id={ "platform-" (id) } name="platform" {
                            @for h in i["handles"].as_array().into_iter().flatten() {
                                @let p = h["platform"].as_str().unwrap_or_default();
                                option value=(p) { (p) }
                            }
                        }
                        fieldset {
                            legend { (tr.t("identities-safeguards")) }
                            @for s in safeguards["items"].as_array().into_iter().flatten() {
                                @let key = s["key"].as_str().unwrap_or_default();
                                label.fact {
                                    input type="checkbox" name={ "s:" (key) };
                                    " " (s["text"][lang].as_str().unwrap_or_default())
                                    " " span.meta { "(" (s["source"].as_str().unwrap_or_default()) ")" }
                                }
                            }
                        }
                        button type="submit" { (tr.t("identities-open")) }
                    }
                }
            }
        }
    };
    layout::page(&v, &tr.t("identities-title"), Section::Identities, body).into_response()
}

/// `POST /identities/operations`: the API opens the operation or refuses,
/// saying why (no valid authorisation, a safeguard not acknowledged).
pub async fn open(State(state): State<AppState>, p: Posted<BTreeMap<String, String>>) -> Response {
    let v = &p.viewer;
    let f = &p.form;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let acknowledged: Vec<String> = f
        .keys()
        .filter_map(|k| k.strip_prefix("s:").map(str::to_owned))
        .collect();
    let identity = get("identity");
    let result = async {
        let new = serde_json::from_value(serde_json::json!({
            "case": get("case"),
            "platform": get("platform"),
            "acknowledged": acknowledged,
        }))
        .map_err(|e| ApiError::BadRequest(format!("the operation form: {e}")))?;
        qorgau_server::api::identities::open_operation(
            State(state),
            v.principal.clone(),
            axum::extract::Path(identity.clone()),
            Body(new),
        )
        .await
    }
    .await;
    match result {
        Ok(_) => match qorgau_server::api::parse_id(&get("case")) {
            Ok(case) => Redirect::to(&format!("/cases/{case}")).into_response(),
            Err(_) => Redirect::to("/identities").into_response(),
        },
        Err(e) => v.fail(e).into_response(),
    }
}
