//! Qualify and route a case: the legal qualification assistant's questions
//! (study Annex 3) answered yes / no / not known, the candidate articles it
//! lists for a person to weigh — each with the facts behind it, what is
//! still to prove and the sanction — then the articles the investigator
//! chooses and the routing facts, saved together: the routing rules run at
//! once and send the referrals the facts require.
//!
//! Answering is a read (`GET`, the assistant computes, nothing is stored);
//! saving is a change of the case through the API's own handler.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_i18n::Lang;
use qorgau_law::{Answer, Assessment, Candidate, CandidateStatus};
use qorgau_server::api::cases::CaseChange;
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};

use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

/// The routing facts a case carries, as the rules name them (the
/// qualification form and the administration's routing preview).
pub const ROUTING_FACTS: [&str; 6] = [
    "minor_involved",
    "victim_identified",
    "victim_consent",
    "crypto_involved",
    "foreign_hosting",
    "foreign_suspects",
];

fn answers_of(fields: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter_map(|(k, v)| {
            let fact = k.strip_prefix("q:")?;
            matches!(v.as_str(), "yes" | "no").then(|| (fact.to_owned(), v.clone()))
        })
        .collect()
}

/// `GET /cases/{id}/qualify[?q:FACT=yes|no…]`.
pub async fn show(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(fields): Query<BTreeMap<String, String>>,
) -> Response {
    match render(&state, &v, &id, &fields).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

async fn render(
    state: &AppState,
    v: &Viewer,
    id: &str,
    fields: &BTreeMap<String, String>,
) -> Result<Markup, ApiError> {
    let tr = v.tr;
    let axum::Json(case) =
        qorgau_server::api::cases::one(State(state.clone()), v.principal.clone(), Path(id.into()))
            .await?;
    let Some(facts) = case.facts.clone() else {
        return Err(ApiError::Forbidden(
            "qualifying a case takes its operational part".into(),
        ));
    };
    let axum::Json(questionnaire) = qorgau_server::api::law::questions(v.principal.clone()).await?;
    let answers = answers_of(fields);
    let answers_json =
        serde_json::to_value(&answers).map_err(|e| ApiError::Internal(e.to_string()))?;
    let axum::Json(value) = qorgau_server::api::law::assess(
        State(state.clone()),
        v.principal.clone(),
        Body(
            serde_json::from_value(answers_json)
                .map_err(|e| ApiError::BadRequest(format!("answers: {e}")))?,
        ),
    )
    .await?;
    let assessment: Assessment = serde_json::from_value(value)
        .map_err(|e| ApiError::Internal(format!("the assistant's answer: {e}")))?;
    let chosen: Vec<String> = case.articles.clone().unwrap_or_default();
    let fact_on = |name: &str| -> bool {
        serde_json::to_value(&facts)
            .ok()
            .and_then(|f| f.get(name).and_then(serde_json::Value::as_bool))
            .unwrap_or(false)
    };
    let title = format!("{} · {}", case.case.name, tr.t("qualify-title"));
    let mut groups: Vec<(&str, Vec<&qorgau_server::api::law::Question>)> = Vec::new();
    for q in &questionnaire.questions {
        match groups.iter_mut().find(|(g, _)| *g == q.group) {
            Some((_, list)) => list.push(q),
            None => groups.push((&q.group, vec![q])),
        }
    }
    let body = html! {
        p.hint { (notice(tr, &assessment)) }
        div.columns {
            form.questions method="get" action={ "/cases/" (id) "/qualify" } {
                h2 { (tr.t("qualify-questions")) }
                @for (group, questions) in &groups {
                    fieldset {
                        legend { (tr.code("law-group", group)) }
                        @for q in questions {
                            @let given = answers.get(&q.id).map_or("unknown", String::as_str);
                            div.question role="radiogroup" aria-label=(question_text(tr, q)) {
                                span.q { (question_text(tr, q)) }
                                @for (value, key) in [("yes", "answer-yes"), ("no", "answer-no"), ("unknown", "answer-unknown")] {
                                    label.answer {
                                        input type="radio" name={ "q:" (q.id) } value=(value) checked[given == value];
                                        " " (tr.t(key))
                                    }
                                }
                            }
                        }
                    }
                }
                button type="submit" { (tr.t("qualify-assess")) }
            }
            form.choose method="post" action={ "/cases/" (id) "/qualify" } {
                (csrf(v))
                input type="hidden" name="version" value=(case.case.version);
                h2 { (tr.t("qualify-candidates")) }
                @if assessment.candidates.is_empty() { p.empty { (tr.t("qualify-no-candidates")) } }
                ol.candidates {
                    @for c in &assessment.candidates {
                        @let reference = reference(c);
                        li {
                            label {
                                input type="checkbox" name={ "a:" (reference) } checked[chosen.contains(&reference)];
                                " " strong { (candidate_ref(tr, c)) } " — " (candidate_title(tr, c))
                            }
                            (candidate_detail(tr, c))
                        }
                    }
                }
                @for a in chosen.iter().filter(|a| !assessment.candidates.iter().any(|c| &reference(c) == *a)) {
                    label { input type="checkbox" name={ "a:" (a) } checked; " " (a) }
                }
                h2 { (tr.t("qualify-routing-facts")) }
                @for f in ROUTING_FACTS {
                    label.fact { input type="checkbox" name={ "f:" (f) } checked[fact_on(f)]; " " (tr.code("fact", f)) }
                }
                label for="region" { (tr.t("fact-region")) }
                input #region name="region" pattern="KZ-[0-9A-Z]{2,3}" placeholder="KZ-75" value=(facts.region.clone().unwrap_or_default());
                p.hint { (tr.t("qualify-routing-hint")) }
                button type="submit" { (tr.t("qualify-save")) }
            }
        }
    };
    Ok(layout::page(v, &title, Section::Cases, body))
}

fn question_text(tr: Tr, q: &qorgau_server::api::law::Question) -> &str {
    tr.pick(&q.ru, &q.kk, &q.en)
}

fn notice(tr: Tr, a: &Assessment) -> String {
    match tr.lang {
        Lang::En => a.notice_en.clone(),
        _ => a.notice_ru.clone(),
    }
}

/// `128` or `128.2`: how the case stores a qualification.
fn reference(c: &Candidate) -> String {
    if c.part.is_empty() {
        c.article.to_string()
    } else {
        format!("{}.{}", c.article, c.part)
    }
}

fn candidate_ref(tr: Tr, c: &Candidate) -> String {
    match tr.lang {
        Lang::En => c.reference_en.clone(),
        _ => c.reference_ru.clone(),
    }
}

fn candidate_title(tr: Tr, c: &Candidate) -> String {
    match tr.lang {
        Lang::En => c.title_en.clone(),
        _ => c.title_ru.clone(),
    }
}

fn label3(tr: Tr, t: &qorgau_law::Text3) -> &str {
    tr.pick(&t.ru, &t.kk, &t.en)
}

fn candidate_detail(tr: Tr, c: &Candidate) -> Markup {
    html! {
        div.candidate {
            p {
                span class={ "tag " (if c.status == CandidateStatus::AllElementsAnswered { "ok" } else { "open" }) } {
                    (tr.t(if c.status == CandidateStatus::AllElementsAnswered { "candidate-answered" } else { "candidate-to-prove" }))
                }
            }
            @if !c.corpus.established.is_empty() {
                p { (tr.t("candidate-established")) ": "
                    (c.corpus.established.iter().map(|f| label3(tr, &f.label)).collect::<Vec<_>>().join("; ")) }
            }
            @let proven: Vec<&str> = c.features_proven.iter().map(|f| f.text_ru.as_str()).collect();
            @if !proven.is_empty() { p { (tr.t("candidate-features")) ": " (proven.join("; ")) } }
            @if !c.open_questions.is_empty() {
                p { (tr.t("candidate-open")) ": "
                    (c.open_questions.iter().filter(|f| f.answer == Answer::Unknown).map(|f| label3(tr, &f.label)).collect::<Vec<_>>().join("; ")) }
            }
            @if let Some(p) = &c.penalty_text_ru { p.penalty { (tr.t("candidate-penalty")) ": " (p) } }
        }
    }
}

/// `POST /cases/{id}/qualify`: the chosen articles and the routing facts
/// replace the case's, in one change; routing runs on it.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    p: Posted<BTreeMap<String, String>>,
) -> Response {
    let v = &p.viewer;
    let f = &p.form;
    let result = async {
        let version = f
            .get("version")
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| ApiError::BadRequest("the form has no case version".into()))?;
        let articles: Vec<String> = f
            .keys()
            .filter_map(|k| k.strip_prefix("a:").map(str::to_owned))
            .collect();
        // Facts this form does not show (scenario, tags) are kept.
        let loaded = qorgau_server::api::cases::load(&state, &v.principal, &id).await?;
        let mut facts = match serde_json::to_value(&loaded.case.facts) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        facts.remove("region");
        for name in ROUTING_FACTS {
            facts.insert(name.into(), f.contains_key(&format!("f:{name}")).into());
        }
        if let Some(region) = f.get("region").map(|r| r.trim()).filter(|r| !r.is_empty()) {
            facts.insert("region".into(), region.into());
        }
        let facts = serde_json::from_value(serde_json::Value::Object(facts))
            .map_err(|e| ApiError::BadRequest(format!("routing facts: {e}")))?;
        qorgau_server::api::cases::change(
            State(state.clone()),
            v.principal.clone(),
            Path(id.clone()),
            Body(CaseChange {
                version,
                title: None,
                status: None,
                facts: Some(facts),
                articles: Some(articles),
            }),
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}#referrals")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}
