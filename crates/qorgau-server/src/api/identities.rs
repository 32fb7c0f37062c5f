//! Operational virtual identities: the register of controlled accounts with
//! their court authorisations, operations opened under them only with a
//! valid authorisation for the platform and every provocation safeguard
//! acknowledged, and the log of each action taken through them.
//!
//! Identities are an agency's own: no other agency sees them, and only the
//! responsible officer (or a supervisor) opens operations with one.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use qorgau_casework::identity::{
    Authorisation, Handle, IdentityAction, Safeguards, UsePermit, VirtualIdentity,
};
use qorgau_core::Id;
use qorgau_response::{Permission, Role};
use qorgau_store::{BodyRow, ChangeBy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::cases::load;
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::flow::actor_of;
use crate::json::Body;
use crate::state::AppState;

fn safeguards() -> Result<&'static Safeguards, ApiError> {
    static LIST: OnceLock<Result<Safeguards, String>> = OnceLock::new();
    LIST.get_or_init(|| Safeguards::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("safeguards: {e}")))
}

fn decode<T: serde::de::DeserializeOwned>(row: &BodyRow) -> Result<T, ApiError> {
    serde_json::from_str(&row.body)
        .map_err(|e| ApiError::Internal(format!("record {} does not decode: {e}", row.id)))
}

fn encode<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))
}

/// An identity of the caller's agency, or 404.
async fn own_identity(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<VirtualIdentity, ApiError> {
    let id = parse_id(id)?;
    let row = state
        .vault
        .store
        .identity(id)
        .await?
        .filter(|r| r.owner == principal.user.agency_id)
        .ok_or_else(|| ApiError::NotFound("no such identity in your agency".into()))?;
    decode(&row)
}

/// The provocation safeguards an officer acknowledges before each
/// operation, in ru, kk and en, with whether a lawyer has reviewed them.
#[utoipa::path(get, path = "/api/identities/safeguards", tag = "identities",
    responses(
        (status = 200, description = "The safeguards", body = Object),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn list_safeguards(principal: Principal) -> Result<Json<serde_json::Value>, ApiError> {
    principal.require(Permission::UseIdentities)?;
    let list = safeguards()?;
    Ok(Json(serde_json::json!({
        "legal_reviewed": list.legal_reviewed(),
        "items": list.items(),
    })))
}

/// An identity as a supervisor registers it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIdentity {
    /// Its handles per platform.
    #[schema(value_type = Vec<Object>)]
    pub handles: Vec<Handle>,
    /// The responsible officer (a user name of the agency).
    pub officer: String,
    /// Court authorisations (number, court, judge, valid_from, valid_until,
    /// platforms).
    #[schema(value_type = Vec<Object>)]
    #[serde(default)]
    pub authorisations: Vec<Authorisation>,
}

/// The identities of the caller's agency.
#[utoipa::path(get, path = "/api/identities", tag = "identities",
    responses(
        (status = 200, description = "Identities", body = Vec<Object>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<VirtualIdentity>>, ApiError> {
    principal.require(Permission::UseIdentities)?;
    let rows = state
        .vault
        .store
        .identities(principal.user.agency_id)
        .await?;
    Ok(Json(rows.iter().map(decode).collect::<Result<_, _>>()?))
}

/// Registers a controlled account of the caller's agency.
#[utoipa::path(post, path = "/api/identities", tag = "identities",
    request_body = NewIdentity,
    responses(
        (status = 201, description = "Registered", body = Object),
        (status = 400, description = "Invalid identity", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    principal: Principal,
    Body(new): Body<NewIdentity>,
) -> Result<(StatusCode, Json<VirtualIdentity>), ApiError> {
    principal.require(Permission::ManageIdentities)?;
    if new.handles.is_empty()
        || new
            .handles
            .iter()
            .any(|h| h.platform.trim().is_empty() || h.handle.trim().is_empty())
    {
        return Err(ApiError::BadRequest(
            "give at least one handle, each with a platform and a name".into(),
        ));
    }
    let officer = state
        .vault
        .store
        .user_by_name(new.officer.trim())
        .await?
        .filter(|u| u.agency_id == principal.user.agency_id)
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "officer {:?} is not a user of your agency",
                new.officer
            ))
        })?;
    for a in &new.authorisations {
        if a.valid_until <= a.valid_from {
            return Err(ApiError::BadRequest(format!(
                "authorisation {} ends before it starts",
                a.number
            )));
        }
    }
    let identity = VirtualIdentity {
        id: Id::new().as_uuid(),
        handles: new.handles,
        officer: officer.username,
        agency: principal.user.agency_id.to_string(),
        authorisations: new.authorisations,
    };
    state
        .vault
        .store
        .save_identity(
            Id::from_uuid(identity.id),
            principal.user.agency_id,
            &encode(&identity)?,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(identity)))
}

/// Adds a court authorisation (a new or renewed decision) to an identity.
#[utoipa::path(post, path = "/api/identities/{id}/authorisations", tag = "identities",
    params(("id" = String, Path, description = "Identity id")),
    request_body = Object,
    responses(
        (status = 200, description = "The identity", body = Object),
        (status = 400, description = "Invalid authorisation", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such identity in your agency", body = ErrorBody),
    ))]
pub async fn authorise(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(a): Body<Authorisation>,
) -> Result<Json<VirtualIdentity>, ApiError> {
    principal.require(Permission::ManageIdentities)?;
    let mut identity = own_identity(&state, &principal, &id).await?;
    if a.valid_until <= a.valid_from || a.number.trim().is_empty() || a.judge.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "an authorisation needs a number, a judge and a validity that ends after it starts"
                .into(),
        ));
    }
    identity.authorisations.push(a);
    state
        .vault
        .store
        .save_identity(
            Id::from_uuid(identity.id),
            principal.user.agency_id,
            &encode(&identity)?,
        )
        .await?;
    Ok(Json(identity))
}

/// An operation to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOperation {
    /// The case it serves (owned by the caller's agency).
    pub case: String,
    /// The platform the identity will act on.
    pub platform: String,
    /// The keys of the safeguards the officer acknowledges (all of them).
    pub acknowledged: BTreeSet<String>,
}

/// An opened operation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OperationView {
    /// Operation id, to log actions under.
    pub id: String,
    /// The permit: identity, platform, handles, authorisation relied on,
    /// valid until, safeguards acknowledged.
    #[schema(value_type = Object)]
    pub permit: UsePermit,
}

/// Opens an operation with an identity: refused, saying exactly why,
/// without a court authorisation valid now for the platform, or unless
/// every provocation safeguard is acknowledged. Only the responsible
/// officer or a supervisor opens one.
#[utoipa::path(post, path = "/api/identities/{id}/operations", tag = "identities",
    params(("id" = String, Path, description = "Identity id")),
    request_body = NewOperation,
    responses(
        (status = 201, description = "Opened", body = OperationView),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed, or the authorisation does not allow it", body = ErrorBody),
        (status = 404, description = "No such identity or case", body = ErrorBody),
    ))]
pub async fn open_operation(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewOperation>,
) -> Result<(StatusCode, Json<OperationView>), ApiError> {
    principal.require(Permission::UseIdentities)?;
    let identity = own_identity(&state, &principal, &id).await?;
    if identity.officer != principal.user.username
        && !principal.user.roles.contains(&Role::Supervisor)
    {
        return Err(ApiError::Forbidden(format!(
            "identity {} is run by {}",
            identity.id, identity.officer
        )));
    }
    let loaded = load(&state, &principal, &new.case).await?;
    if !loaded.access.edit {
        return Err(ApiError::Forbidden(
            "operations serve cases of your own agency".into(),
        ));
    }
    let now = state.clock.now().as_datetime();
    let permit = safeguards()?
        .authorise_use(&identity, &new.platform, now, &new.acknowledged)
        .map_err(|e| ApiError::Forbidden(e.to_string()))?;
    let row = BodyRow {
        id: Id::new(),
        owner: Id::from_uuid(identity.id),
        case_id: Some(loaded.case.case.id),
        body: encode(&permit)?,
    };
    let actor = actor_of(&state, &principal.user.username);
    state
        .vault
        .store
        .add_identity_operation(
            &row,
            serde_json::json!({
                "action": "identity_operation_opened",
                "operation": row.id.to_string(),
                "identity": identity.id.to_string(),
                "platform": permit.platform,
                "authorisation": permit.authorisation_number,
                "court": permit.court,
                "valid_until": permit.valid_until,
                "safeguards_acknowledged": permit.acknowledged,
            }),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(OperationView {
            id: row.id.to_string(),
            permit,
        }),
    ))
}

/// An action taken through the identity.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    /// The operation it belongs to.
    pub operation: String,
    /// What was done ("replied to the ad in channel X", "received a price list").
    pub action: String,
}

/// Logs an action taken through an identity under an open operation;
/// refused once the authorisation behind the operation has expired.
#[utoipa::path(post, path = "/api/identities/{id}/actions", tag = "identities",
    params(("id" = String, Path, description = "Identity id")),
    request_body = NewAction,
    responses(
        (status = 201, description = "Logged", body = Object),
        (status = 400, description = "Invalid action", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed, or the permit has ended", body = ErrorBody),
        (status = 404, description = "No such identity or operation", body = ErrorBody),
    ))]
pub async fn log_action(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(new): Body<NewAction>,
) -> Result<(StatusCode, Json<IdentityAction>), ApiError> {
    principal.require(Permission::UseIdentities)?;
    let identity = own_identity(&state, &principal, &id).await?;
    let operation_id = parse_id(&new.operation)?;
    let operation = state
        .vault
        .store
        .identity_operation(operation_id)
        .await?
        .filter(|o| o.owner == Id::from_uuid(identity.id))
        .ok_or_else(|| ApiError::NotFound("no such operation of this identity".into()))?;
    let permit: UsePermit = decode(&operation)?;
    let case_id = operation
        .case_id
        .ok_or_else(|| ApiError::Internal("an operation without a case".into()))?;
    let case = state
        .vault
        .store
        .case_file(case_id)
        .await?
        .ok_or_else(|| ApiError::Internal("the operation's case vanished".into()))?;
    let action = IdentityAction::under(
        &permit,
        case.case.name.as_str(),
        state.clock.now().as_datetime(),
        &principal.user.username,
        &new.action,
    )
    .map_err(|e| match e {
        qorgau_casework::identity::UseError::OutsidePermit { .. } => {
            ApiError::Forbidden(e.to_string())
        }
        other => ApiError::BadRequest(other.to_string()),
    })?;
    let row = BodyRow {
        id: Id::new(),
        owner: Id::from_uuid(identity.id),
        case_id: Some(case_id),
        body: encode(&action)?,
    };
    let actor = actor_of(&state, &principal.user.username);
    state
        .vault
        .store
        .add_identity_action(
            &row,
            operation_id,
            serde_json::json!({
                "action": "identity_action",
                "identity": identity.id.to_string(),
                "operation": operation_id.to_string(),
                "platform": action.platform,
                "what": action.action,
            }),
            ChangeBy {
                actor: &actor,
                tool: &state.vault.tool,
                key: &state.vault.key,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(action)))
}

/// Everything done through an identity, oldest first.
#[utoipa::path(get, path = "/api/identities/{id}/actions", tag = "identities",
    params(("id" = String, Path, description = "Identity id")),
    responses(
        (status = 200, description = "The log", body = Vec<Object>),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such identity in your agency", body = ErrorBody),
    ))]
pub async fn actions(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<IdentityAction>>, ApiError> {
    principal.require(Permission::UseIdentities)?;
    let identity = own_identity(&state, &principal, &id).await?;
    let rows = state
        .vault
        .store
        .identity_actions(Id::from_uuid(identity.id))
        .await?;
    Ok(Json(rows.iter().map(decode).collect::<Result<_, _>>()?))
}

/// An operation of a case as its page lists it: which identity acted where,
/// under which court authorisation, until when, opened by whom, with how
/// many actions logged.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseOperationView {
    /// Operation id.
    pub id: String,
    /// The identity.
    pub identity: String,
    /// The platform.
    pub platform: String,
    /// The identity's handles there.
    pub handles: Vec<String>,
    /// The authorisation relied on.
    pub authorisation_number: String,
    /// Its court.
    pub court: String,
    /// The permit ends with the authorisation (UTC).
    pub valid_until: String,
    /// Whether the authorisation still runs now.
    pub active: bool,
    /// When the operation was opened (UTC).
    pub opened_at: String,
    /// By whom.
    pub opened_by: String,
    /// Actions logged under it.
    pub actions: i64,
}

/// The virtual identities in use in a case: its operations. Operational
/// secrets: for the roles that use identities, in a case they see with the
/// operational scope.
#[utoipa::path(get, path = "/api/cases/{id}/operations", tag = "identities",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case's operations, oldest first", body = Vec<CaseOperationView>),
        (status = 400, description = "Not a case id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    ))]
pub async fn case_operations(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<CaseOperationView>>, ApiError> {
    principal.require(Permission::UseIdentities)?;
    let loaded = load(&state, &principal, &id).await?;
    if !loaded.access.sees(qorgau_routing::Scope::Operational) {
        return Err(ApiError::Forbidden(
            "the identities in use are operational data of the case".into(),
        ));
    }
    let now = state.clock.now().as_datetime();
    let mut out = Vec::new();
    for op in state
        .vault
        .store
        .case_operations(loaded.case.case.id)
        .await?
    {
        let permit: UsePermit = decode(&op.row)?;
        out.push(CaseOperationView {
            id: op.row.id.to_string(),
            identity: permit.identity.to_string(),
            platform: permit.platform,
            handles: permit.handles,
            authorisation_number: permit.authorisation_number,
            court: permit.court,
            valid_until: permit.valid_until.to_rfc3339(),
            active: permit.valid_until > now,
            opened_at: op.opened_at.to_utc_string(),
            opened_by: op.opened_by,
            actions: op.actions,
        });
    }
    Ok(Json(out))
}
