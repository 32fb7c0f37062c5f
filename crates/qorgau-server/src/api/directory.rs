//! Agencies, users and API tokens (administration).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use qorgau_core::{Id, Timestamp};
use qorgau_response::{Agency, Permission, Role, User, check_username};
use qorgau_store::ApiTokenRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{UserView, parse_id};
use crate::auth::{
    Principal, TOKEN_PREFIX, check_password, hash_password, random_secret, secret_hash,
};
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::state::AppState;

/// An agency as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyView {
    /// Id.
    pub id: String,
    /// Unique code.
    pub code: String,
    /// Kind, as routing rules name it.
    pub kind: String,
    /// Russian name.
    pub name_ru: String,
    /// Kazakh name.
    pub name_kk: String,
    /// English name.
    pub name_en: String,
    /// Region served (ISO 3166-2:KZ), if regional.
    pub region: Option<String>,
}

impl AgencyView {
    fn of(a: &Agency) -> Self {
        Self {
            id: a.id.to_string(),
            code: a.code.clone(),
            kind: a.kind.clone(),
            name_ru: a.name_ru.clone(),
            name_kk: a.name_kk.clone(),
            name_en: a.name_en.clone(),
            region: a.region.clone(),
        }
    }
}

/// A new agency.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAgency {
    /// Unique code (lower-case letters, digits, `-`, `_`).
    pub code: String,
    /// Kind, one the routing directory knows (`mvd_cyber`, `prosecutor`, `ngo`…).
    pub kind: String,
    /// Russian name.
    pub name_ru: String,
    /// Kazakh name.
    pub name_kk: String,
    /// English name.
    pub name_en: String,
    /// Region served, if regional.
    pub region: Option<String>,
}

/// Lists the agencies.
#[utoipa::path(get, path = "/api/agencies", tag = "directory",
    responses(
        (status = 200, description = "Agencies by code", body = Vec<AgencyView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn list_agencies(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<AgencyView>>, ApiError> {
    principal.require(Permission::ReadDirectory)?;
    let agencies = state.vault.store.agencies().await?;
    Ok(Json(agencies.iter().map(AgencyView::of).collect()))
}

/// Adds an agency.
#[utoipa::path(post, path = "/api/agencies", tag = "directory",
    request_body = NewAgency,
    responses(
        (status = 201, description = "Added", body = AgencyView),
        (status = 400, description = "Invalid agency", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 409, description = "Code taken", body = ErrorBody),
    ))]
pub async fn add_agency(
    State(state): State<AppState>,
    principal: Principal,
    Body(new): Body<NewAgency>,
) -> Result<(StatusCode, Json<AgencyView>), ApiError> {
    principal.require(Permission::ManageAgencies)?;
    let agency = checked_agency(new)?;
    state.vault.store.add_agency(&agency).await?;
    Ok((StatusCode::CREATED, Json(AgencyView::of(&agency))))
}

/// Validates a new agency against the routing directory's kinds.
pub fn checked_agency(new: NewAgency) -> Result<Agency, ApiError> {
    let code_ok = (2..=64).contains(&new.code.len())
        && new
            .code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !code_ok {
        return Err(ApiError::BadRequest(format!(
            "agency code {:?}: 2 to 64 of a-z, 0-9, '-' and '_'",
            new.code
        )));
    }
    let directory = qorgau_routing::Directory::default_kazakhstan()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if directory.agency(&new.kind).is_none() {
        return Err(ApiError::BadRequest(format!(
            "agency kind {:?} is not in the routing directory (known: {})",
            new.kind,
            directory
                .agencies()
                .iter()
                .map(|a| a.kind.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    for (field, value) in [
        ("name_ru", &new.name_ru),
        ("name_kk", &new.name_kk),
        ("name_en", &new.name_en),
    ] {
        let n = value.trim().chars().count();
        if n == 0 || n > 300 {
            return Err(ApiError::BadRequest(format!(
                "{field} must be 1 to 300 characters"
            )));
        }
    }
    Ok(Agency {
        id: Id::new(),
        code: new.code,
        kind: new.kind,
        name_ru: new.name_ru.trim().to_owned(),
        name_kk: new.name_kk.trim().to_owned(),
        name_en: new.name_en.trim().to_owned(),
        region: new.region.filter(|r| !r.trim().is_empty()),
        created_at: Timestamp::now(),
    })
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUser {
    /// Sign-in name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// The agency's code.
    pub agency: String,
    /// Roles: administrator, analyst, investigator, supervisor, prosecutor,
    /// social_worker, ngo_worker, partner_system.
    pub roles: Vec<String>,
    /// Initial password (12+ characters, two kinds).
    pub password: String,
}

/// Lists the users.
#[utoipa::path(get, path = "/api/users", tag = "directory",
    responses(
        (status = 200, description = "Users by name", body = Vec<UserView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
    ))]
pub async fn list_users(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<UserView>>, ApiError> {
    principal.require(Permission::ManageUsers)?;
    let users = state.vault.store.users().await?;
    Ok(Json(users.iter().map(UserView::of).collect()))
}

/// Creates a user.
#[utoipa::path(post, path = "/api/users", tag = "directory",
    request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 400, description = "Invalid user", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
    ))]
pub async fn add_user(
    State(state): State<AppState>,
    principal: Principal,
    Body(new): Body<NewUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    principal.require(Permission::ManageUsers)?;
    let user = create_user(&state, new).await?;
    Ok((StatusCode::CREATED, Json(UserView::of(&user))))
}

/// Checks and stores a new user (also used by the first-run command).
pub async fn create_user(state: &AppState, new: NewUser) -> Result<User, ApiError> {
    check_username(&new.username).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    check_password(&new.password)?;
    let name = new.display_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "display_name must be 1 to 200 characters".into(),
        ));
    }
    if new.roles.is_empty() {
        return Err(ApiError::BadRequest(
            "give the user at least one role".into(),
        ));
    }
    let mut roles = Vec::new();
    for r in &new.roles {
        let role = Role::parse(r).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    let agency = state
        .vault
        .store
        .agency_by_code(&new.agency)
        .await?
        .ok_or_else(|| {
            ApiError::BadRequest(format!("there is no agency with code {:?}", new.agency))
        })?;
    let user = User {
        id: Id::new(),
        username: new.username,
        display_name: name.to_owned(),
        agency_id: agency.id,
        roles,
        password_hash: hash_password(&new.password)?,
        created_at: Timestamp::now(),
        disabled: false,
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
    };
    state.vault.store.add_user(&user).await?;
    Ok(user)
}

/// A new API token's request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewToken {
    /// What it is for.
    pub label: String,
    /// Days until it expires (default 365, at most 730).
    pub days: Option<u32>,
}

/// A token, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    /// The token's id (to revoke it).
    pub id: String,
    /// The secret: send as `Authorization: Bearer …`. Shown only now.
    pub token: String,
    /// When it expires.
    pub expires_at: String,
}

/// Issues an API token for a user (for example a partner system's account).
#[utoipa::path(post, path = "/api/users/{id}/tokens", tag = "directory",
    params(("id" = String, Path, description = "User id")),
    request_body = NewToken,
    responses(
        (status = 201, description = "Issued", body = IssuedToken),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    ))]
pub async fn issue_token(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewToken>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    principal.require(Permission::ManageUsers)?;
    let id = parse_id(&id)?;
    let user = state
        .vault
        .store
        .user(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such user".into()))?;
    let label = new.label.trim();
    if label.is_empty() || label.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "label must be 1 to 200 characters".into(),
        ));
    }
    let days = new.days.unwrap_or(365);
    if !(1..=730).contains(&days) {
        return Err(ApiError::BadRequest("days must be 1 to 730".into()));
    }
    let now = Timestamp::now();
    let secret = format!("{TOKEN_PREFIX}{}", random_secret()?);
    let record = ApiTokenRecord {
        id: Id::new(),
        token_sha256: secret_hash(&secret),
        user_id: user.id,
        label: label.to_owned(),
        created_at: now,
        expires_at: Some(now.plus(std::time::Duration::from_secs(u64::from(days) * 86_400))),
        revoked_at: None,
    };
    state.vault.store.add_api_token(&record).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedToken {
            id: record.id.to_string(),
            token: secret,
            expires_at: record
                .expires_at
                .map(|t| t.to_utc_string())
                .unwrap_or_default(),
        }),
    ))
}

/// Revokes an API token.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "directory",
    params(("id" = String, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No such token", body = ErrorBody),
    ))]
pub async fn revoke_token(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    principal.require(Permission::ManageUsers)?;
    let id = parse_id(&id)?;
    if state
        .vault
        .store
        .revoke_api_token(id, Timestamp::now())
        .await?
    {
        state.tokens.clear();
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(
            "no such token (or revoked already)".into(),
        ))
    }
}
