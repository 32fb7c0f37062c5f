//! The public complaint form: no sign-in, rate-limited, a receipt code to
//! follow the complaint. The complainant's words become a signal like any
//! other; nothing identifying the complainant is asked for or kept (the
//! client address is used for the rate limit in memory only).

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use qorgau_core::Timestamp;
use qorgau_response::SignalSource;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::signals::{IdentifierInput, NewSignal, draft_of};
use crate::auth::{random_secret, secret_hash};
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::state::AppState;

/// A citizen's complaint.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Complaint {
    /// What happened, in the complainant's words.
    pub text: String,
    /// The link to the ad, channel or site, if there is one.
    pub link: Option<String>,
    /// Phone numbers, accounts and the like mentioned.
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
    /// ru, kk or en: the language of the status page.
    pub lang: Option<String>,
}

/// The receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    /// Keep it: the only way to follow the complaint. Shown once.
    pub receipt: String,
    /// received.
    pub status: String,
}

/// A complaint's status.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintStatus {
    /// received, in_review, passed_to_agency or closed.
    pub status: String,
    /// When it was received (UTC).
    pub received_at: String,
    /// When the status last changed (UTC).
    pub changed_at: String,
}

/// Files a complaint (no sign-in).
#[utoipa::path(post, path = "/api/public/complaints", tag = "public",
    request_body = Complaint,
    responses(
        (status = 201, description = "Received", body = Receipt),
        (status = 400, description = "Invalid complaint", body = ErrorBody),
        (status = 429, description = "Too many complaints from this address", body = ErrorBody),
    ))]
pub async fn file(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Body(complaint): Body<Complaint>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    state
        .limiter
        .check(client.ip(), state.config.complaints_per_minute)
        .map_err(ApiError::TooMany)?;
    let lang = complaint.lang.unwrap_or_else(|| "ru".into());
    if !matches!(lang.as_str(), "ru" | "kk" | "en") {
        return Err(ApiError::BadRequest("lang: ru, kk or en".into()));
    }
    let draft = draft_of(
        NewSignal {
            resource: complaint.link.filter(|l| !l.trim().is_empty()),
            identifiers: complaint.identifiers,
            summary: complaint.text,
            scenario: None,
            risk: None,
        },
        SignalSource::Complaint,
    );
    let keys = draft
        .keys()
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let now = Timestamp::now();
    let store = &state.vault.store;
    let intake = state.take_signal(draft, keys, "public", None, now).await?;
    // Short enough to write down, long enough not to be guessed: 20 hex digits in groups.
    let secret = random_secret()?;
    let receipt = format!(
        "{}-{}-{}-{}-{}",
        &secret[0..4],
        &secret[4..8],
        &secret[8..12],
        &secret[12..16],
        &secret[16..20]
    )
    .to_uppercase();
    store
        .add_complaint(&secret_hash(&receipt), intake.signal_id, &lang, now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Receipt {
            receipt,
            status: "received".into(),
        }),
    ))
}

/// A complaint's status by receipt code (no sign-in).
#[utoipa::path(get, path = "/api/public/complaints/{receipt}", tag = "public",
    params(("receipt" = String, Path, description = "The receipt code")),
    responses(
        (status = 200, description = "Status", body = ComplaintStatus),
        (status = 404, description = "No complaint with this receipt", body = ErrorBody),
        (status = 429, description = "Too many requests from this address", body = ErrorBody),
    ))]
pub async fn status(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(receipt): Path<String>,
) -> Result<Json<ComplaintStatus>, ApiError> {
    // Guessing receipts is limited like filing: 12 lookups a minute.
    state
        .lookups
        .check(
            client.ip(),
            state.config.complaints_per_minute.saturating_mul(12),
        )
        .map_err(ApiError::TooMany)?;
    let code = receipt.trim().to_uppercase();
    let found = state
        .vault
        .store
        .complaint_status(&secret_hash(&code))
        .await?;
    let (status, received, changed) =
        found.ok_or_else(|| ApiError::NotFound("no complaint with this receipt code".into()))?;
    Ok(Json(ComplaintStatus {
        status,
        received_at: received.to_utc_string(),
        changed_at: changed.to_utc_string(),
    }))
}
