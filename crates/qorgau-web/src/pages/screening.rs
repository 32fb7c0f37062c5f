//! Victim screening: the form of indicators by group (physical,
//! psychological, economic and the digital block of study 4.3), each
//! answered yes / no / not sure / declined — declining is the person's
//! right — with the age status, a pseudonym, and the personal data that is
//! sealed on arrival. The score, its explanation and the referrals it sent
//! come back from the API's own handler; a negative screening stores
//! nothing.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use qorgau_server::api::victims::NewScreening;
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

#[derive(Debug, Deserialize)]
struct Form {
    version: String,
    indicators: Vec<Indicator>,
}

#[derive(Debug, Deserialize)]
struct Indicator {
    id: String,
    group: String,
    strong: bool,
    question: Question,
}

#[derive(Debug, Deserialize)]
struct Question {
    ru: String,
    kk: String,
    en: String,
}

impl Question {
    fn of(&self, tr: Tr) -> &str {
        tr.pick(&self.ru, &self.kk, &self.en)
    }
}

const ANSWERS: [(&str, &str); 4] = [
    ("yes", "answer-yes"),
    ("no", "answer-no"),
    ("not_sure", "answer-not-sure"),
    ("declined", "answer-declined"),
];

async fn form_of(v: &Viewer) -> Result<Form, ApiError> {
    let axum::Json(value) =
        qorgau_server::api::victims::screening_form(v.principal.clone()).await?;
    serde_json::from_value(value).map_err(|e| ApiError::Internal(format!("screening form: {e}")))
}

/// `GET /screening`.
pub async fn show(State(state): State<AppState>, v: Viewer) -> Response {
    let result = async {
        let form = form_of(&v).await?;
        let axum::Json(cases) = qorgau_server::api::cases::list(
            State(state),
            v.principal.clone(),
            axum::extract::Query(qorgau_server::api::cases::ListQuery { limit: Some(200) }),
        )
        .await?;
        Ok::<_, ApiError>((form, cases))
    }
    .await;
    let (form, cases) = match result {
        Ok(x) => x,
        Err(e) => return v.fail(e).into_response(),
    };
    let tr = v.tr;
    let mut groups: Vec<(&str, Vec<&Indicator>)> = Vec::new();
    for i in &form.indicators {
        match groups.iter_mut().find(|(g, _)| *g == i.group) {
            Some((_, list)) => list.push(i),
            None => groups.push((&i.group, vec![i])),
        }
    }
    let body = html! {
        p.hint { (tr.t("screening-intro")) " " span.meta { "(" (form.version) ")" } }
        form.screening method="post" action="/screening" {
            (csrf(&v))
            div.columns {
                div {
                    label for="label" { (tr.t("screening-label")) }
                    input #label name="label" required maxlength="120" placeholder=(tr.t("screening-label-example"));
                    label for="minor" { (tr.t("screening-minor")) }
                    select #minor name="minor" {
                        @for m in ["unknown", "minor", "presumed_minor", "adult"] { option value=(m) { (tr.code("minor", m)) } }
                    }
                    label for="case" { (tr.t("screening-case")) }
                    select #case name="case" {
                        option value="" { (tr.t("screening-new-support-case")) }
                        @for c in cases.iter().filter(|c| c.owner && c.status == "open") {
                            option value=(c.id) { (c.name) " · " (c.title) }
                        }
                    }
                }
                fieldset.sealed {
                    legend { (tr.t("screening-personal")) }
                    p.hint { (tr.t("screening-personal-hint")) }
                    label for="family" { (tr.t("screening-family")) }
                    input #family name="family" autocomplete="off";
                    label for="given" { (tr.t("screening-given")) }
                    input #given name="given" autocomplete="off";
                    label for="birth" { (tr.t("screening-birth")) }
                    input #birth name="birth" type="date";
                    label for="phone" { (tr.t("screening-phone")) }
                    input #phone name="phone" autocomplete="off";
                }
            }
            @for (group, indicators) in &groups {
                fieldset {
                    legend { (tr.code("screening-group", group)) }
                    @for i in indicators {
                        div.question role="radiogroup" aria-label=(i.question.of(tr)) {
                            span.q { (i.question.of(tr)) @if i.strong { " " span.tag { (tr.t("screening-strong")) } } }
                            span.answers {
                                @for (value, key) in ANSWERS {
                                    label.answer { input type="radio" name={ "q:" (i.id) } value=(value); " " (tr.t(key)) }
                                }
                            }
                        }
                    }
                }
            }
            button type="submit" { (tr.t("screening-submit")) }
        }
    };
    layout::page(&v, &tr.t("screening-title"), Section::Screening, body).into_response()
}

/// `POST /screening`.
pub async fn submit(
    State(state): State<AppState>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    let tr = v.tr;
    let f = &p.form;
    let field = |k: &str| {
        f.get(k)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let answers: serde_json::Map<String, serde_json::Value> = f
        .iter()
        .filter_map(|(k, val)| Some((k.strip_prefix("q:")?.to_owned(), val.clone().into())))
        .collect();
    let mut personal = serde_json::Map::new();
    let mut any = false;
    if let (Some(family), Some(given)) = (field("family"), field("given")) {
        personal.insert(
            "names".into(),
            serde_json::json!({"family": family, "given": given, "other": []}),
        );
    }
    if let Some(b) = field("birth") {
        personal.insert("birth_date".into(), b.into());
    }
    let contacts = match field("phone") {
        Some(phone) => serde_json::json!([{"kind": "phone", "value": phone, "safe_to_use": false}]),
        None => serde_json::json!([]),
    };
    any |= !personal.is_empty() || field("phone").is_some();
    personal.insert("contacts".into(), contacts);
    personal.insert("documents".into(), serde_json::json!([]));
    let request = serde_json::json!({
        "answers": answers,
        "minor": field("minor").unwrap_or_else(|| "unknown".into()),
        "case": field("case"),
        "label": field("label").unwrap_or_default(),
        "personal": if any { personal.into() } else { serde_json::Value::Null },
        "lang": tr.lang.code(),
    });
    let result = async {
        let new: NewScreening = serde_json::from_value(request)
            .map_err(|e| ApiError::BadRequest(format!("the screening form: {e}")))?;
        qorgau_server::api::victims::screen(State(state), v.principal.clone(), Body(new)).await
    }
    .await;
    let view = match result {
        Ok((_, axum::Json(view))) => view,
        Err(e) => return v.fail(e).into_response(),
    };
    let body = html! {
        section #result {
            p class={ "outcome " (view.outcome) } role="status" { strong { (view.headline) } }
            pre.explanation { (view.explanation) }
            @if let Some(case) = &view.case {
                p { a.button href={ "/cases/" (case) } { (tr.t("screening-open-case")) } }
            }
            @if !view.sent.is_empty() {
                p { (tr.t("screening-sent")) ": "
                    (view.sent.iter().map(|r| tr.code("agency", &r.agency_kind)).collect::<Vec<_>>().join(", ")) }
            }
            @if view.victim.is_none() { p.hint { (tr.t("screening-nothing-stored")) } }
        }
    };
    layout::page(v, &tr.t("screening-title"), Section::Screening, body).into_response()
}
