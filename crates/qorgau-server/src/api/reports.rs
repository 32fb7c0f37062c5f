//! What leaves a case as a document: statistics with small counts
//! suppressed, and drafts of requests to foreign platforms, exchanges and
//! authorities filled from the case.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use qorgau_casework::requests::{
    Draft, EvidenceFile, Identifier, MoneyFacts, Period, RecipientType, RequestFacts, RequestKind,
    drafts,
};
use qorgau_casework::statistics::{CaseRow, StatTable, suppressed_table};
use qorgau_core::Sha256Digest;
use qorgau_response::{CaseKind, Permission};
use qorgau_routing::Scope;
use qorgau_store::{ChangeBy, ItemFilter};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::cases::load;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::json::Body;
use crate::state::AppState;

/// Statistics options.
#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// Smallest count shown (default 5); smaller ones, and the cells that
    /// would give them away through totals, are suppressed.
    pub k: Option<u64>,
    /// json (default) or csv.
    pub format: Option<String>,
}

/// Criminal cases by article, year and region across all agencies, with
/// counts under k suppressed (primary and secondary suppression), so the
/// table can be published without pointing at anyone.
#[utoipa::path(get, path = "/api/statistics", tag = "reports",
    params(StatsQuery),
    responses(
        (status = 200, description = "The table (JSON, or CSV with format=csv)", body = Object),
        (status = 400, description = "Invalid k or format", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn statistics(
    State(state): State<AppState>,
    principal: Principal,
    Query(q): Query<StatsQuery>,
) -> Result<Response, ApiError> {
    principal.require(Permission::ReadCases)?;
    let k = q.k.unwrap_or(5);
    if !(1..=1000).contains(&k) {
        return Err(ApiError::BadRequest(format!("k = {k}: use 1 to 1000")));
    }
    let mut rows = Vec::new();
    for case in state.vault.store.all_case_files().await? {
        if case.kind != CaseKind::Criminal {
            continue;
        }
        let year = case.case.created_at.as_datetime().year();
        let region = case
            .facts
            .region
            .clone()
            .unwrap_or_else(|| "unknown".into());
        for article in &case.articles {
            rows.push(CaseRow {
                article: article.clone(),
                year,
                region: region.clone(),
            });
        }
    }
    let table: StatTable =
        suppressed_table(&rows, k).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    match q.format.as_deref() {
        None | Some("") | Some("json") => Ok(Json(table).into_response()),
        Some("csv") => Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            table.to_csv(),
        )
            .into_response()),
        Some(other) => Err(ApiError::BadRequest(format!(
            "format {other:?}: use json or csv"
        ))),
    }
}

/// What the officer adds to the case's data for a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// preservation, emergency_disclosure or mutual_legal_assistance
    /// (financial_data needs accounts, which `qorgau money request` fills
    /// from the case's transfers; here it is refused for want of them).
    #[schema(value_type = String)]
    pub kind: RequestKind,
    /// The addressee.
    pub recipient: String,
    /// platform, crypto_exchange, bank or foreign_authority.
    #[schema(value_type = String)]
    pub recipient_type: RecipientType,
    /// Treaty, law or policy relied on.
    pub legal_basis: String,
    /// The officer to contact (name, position, phone, e-mail).
    pub officer: String,
    /// Short statement of facts (no victim's name).
    pub facts_summary: String,
    /// Why it cannot wait (emergency disclosure only).
    pub urgency_reason: Option<String>,
    /// Start of the period of data asked for (UTC, RFC 3339); default 90
    /// days before the case was opened.
    pub from: Option<String>,
    /// End of the period (UTC, RFC 3339); default now.
    pub to: Option<String>,
    /// Only identifiers of these kinds (phone, handle, wallet, resource…);
    /// default all the case points to.
    #[serde(default)]
    pub kinds: Vec<String>,
}

fn time_of(field: &str, text: &str) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| ApiError::BadRequest(format!("{field} {text:?}: {e}")))
}

/// Drafts a preservation, emergency-disclosure or mutual-legal-assistance
/// request from the case, in Russian and English: its identifiers, times
/// in UTC and the hashes of its preserved files. The drafts' hashes go into
/// the case's ledger chain; the text is for the officer to check and send.
#[utoipa::path(post, path = "/api/cases/{id}/requests", tag = "reports",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewRequest,
    responses(
        (status = 200, description = "Drafts in Russian and English", body = Vec<Object>),
        (status = 400, description = "Incomplete request", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    ))]
pub async fn draft_request(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewRequest>,
) -> Result<Json<Vec<Draft>>, ApiError> {
    principal.require(Permission::EditCases)?;
    let loaded = load(&state, &principal, &id).await?;
    if !(loaded.access.owner && loaded.access.sees(Scope::Operational)) {
        return Err(ApiError::Forbidden(
            "requests are drafted by the agency that owns the case".into(),
        ));
    }
    let store = &state.vault.store;
    let case = &loaded.case;
    let identifiers: Vec<Identifier> = store
        .case_keys(case.case.id)
        .await?
        .into_iter()
        .filter(|k| new.kinds.is_empty() || new.kinds.contains(&k.kind))
        .map(|k| Identifier {
            kind: k.kind,
            value: k.value,
        })
        .collect();
    let mut evidence: Vec<EvidenceFile> = store
        .items(&ItemFilter {
            case_id: Some(case.case.id),
            ..ItemFilter::default()
        })
        .await?
        .into_iter()
        .map(|i| EvidenceFile {
            file_name: i.file_name,
            sha256: i.sha256.to_hex(),
        })
        .collect();
    evidence.truncate(200);
    let now = state.clock.now().as_datetime();
    let opened = case.case.created_at.as_datetime();
    let agency = store
        .agency(case.owner_agency_id)
        .await?
        .map(|a| a.name_en)
        .unwrap_or_default();
    let facts = RequestFacts {
        case_ref: case.case.name.to_string(),
        requesting_agency: agency,
        officer: new.officer,
        recipient: new.recipient,
        recipient_type: new.recipient_type,
        legal_basis: new.legal_basis,
        identifiers,
        period: Period {
            from: match &new.from {
                Some(t) => time_of("from", t)?,
                None => opened - chrono::Duration::days(90),
            },
            to: match &new.to {
                Some(t) => time_of("to", t)?,
                None => now,
            },
        },
        evidence,
        facts_summary: new.facts_summary,
        urgency_reason: new.urgency_reason,
        money: MoneyFacts::default(),
    };
    let made = drafts(new.kind, &facts, now).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let digest = |d: &Draft| {
        Sha256Digest::from_bytes(<sha2::Sha256 as sha2::Digest>::digest(d.body.as_bytes()).into())
            .to_hex()
    };
    let actor = actor_of(&state, &principal.user.username);
    store
        .record_change(
            case.case.id,
            serde_json::json!({
                "action": "request_drafted",
                "kind": new.kind,
                "recipient": facts.recipient,
                "sha256": made.iter().map(digest).collect::<Vec<_>>(),
            }),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok(Json(made.into()))
}
