//! The legal qualification assistant over the API: the questions, and the
//! candidate articles for a set of answers. A list of candidates for a
//! person to weigh, never a qualification; the response says so itself.

use std::sync::OnceLock;

use axum::Json;
use axum::extract::State;
use qorgau_law::{Answers, Library};
use qorgau_response::Permission;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::state::AppState;

/// The shipped law data, loaded once (its own tests prove it loads); the
/// case module checks qualifications against it.
pub fn library() -> Result<&'static Library, ApiError> {
    static LIBRARY: OnceLock<Result<Library, String>> = OnceLock::new();
    LIBRARY
        .get_or_init(|| Library::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("law data: {e}")))
}

/// One question of the questionnaire.
#[derive(Debug, Serialize, ToSchema)]
pub struct Question {
    /// The fact's id, used as the key in answers.
    pub id: String,
    /// Its group (what was done, purpose, victim, …).
    pub group: String,
    /// The question in Russian.
    pub ru: String,
    /// The question in Kazakh (a draft until legally reviewed; see `kk_reviewed`).
    pub kk: String,
    /// The question in English.
    pub en: String,
}

/// The questionnaire.
#[derive(Debug, Serialize, ToSchema)]
pub struct Questionnaire {
    /// Edition of the law data.
    pub edition: String,
    /// Whether the Kazakh texts have had legal review.
    pub kk_reviewed: bool,
    /// The questions in order.
    pub questions: Vec<Question>,
}

/// The questions the assistant asks.
#[utoipa::path(get, path = "/api/law/questions", tag = "law",
    responses(
        (status = 200, description = "The questionnaire", body = Questionnaire),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn questions(principal: Principal) -> Result<Json<Questionnaire>, ApiError> {
    principal.require(Permission::UseLawAssistant)?;
    let law = library()?;
    Ok(Json(Questionnaire {
        edition: law.rules().edition.clone(),
        kk_reviewed: law.kazakh_reviewed(),
        questions: law
            .facts()
            .iter()
            .map(|f| Question {
                id: f.id.clone(),
                group: serde_json::to_value(f.group)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                ru: f.question.ru.clone(),
                kk: f.question.kk.clone(),
                en: f.question.en.clone(),
            })
            .collect(),
    }))
}

/// Candidate articles and parts of the Criminal Code for the answers given
/// (`{"fact id": "yes" | "no" | "unknown"}`), each with the facts that
/// support it, the features still to prove, the penalty, and the telecom
/// and reconciliation marks.
#[utoipa::path(post, path = "/api/law/assess", tag = "law",
    request_body(content = std::collections::BTreeMap<String, String>, description = "fact id → yes, no or unknown"),
    responses(
        (status = 200, description = "Candidates for a person to weigh", body = Object),
        (status = 400, description = "An unknown fact or answer", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn assess(
    State(_state): State<AppState>,
    principal: Principal,
    Body(answers): Body<Answers>,
) -> Result<Json<serde_json::Value>, ApiError> {
    principal.require(Permission::UseLawAssistant)?;
    let assessment = library()?
        .assess(&answers)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    serde_json::to_value(&assessment)
        .map(Json)
        .map_err(|e| ApiError::Internal(e.to_string()))
}
