//! Sharing groups: which agencies exchange indicators through which TAXII
//! collection. The administrator makes them (membership is an agreement
//! between agencies, not an investigator's choice); members see their own.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qorgau_response::Permission;
use qorgau_stix::Tlp;
use qorgau_store::{GroupMember, SharingGroupRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::json::Body;
use crate::state::AppState;
use crate::taxii::API_ROOT;

/// A member agency in a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    /// The agency's code.
    pub agency: String,
    /// May read the collection.
    #[serde(default = "yes")]
    pub read: bool,
    /// May add to it.
    #[serde(default)]
    pub write: bool,
}

fn yes() -> bool {
    true
}

/// A new sharing group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSharingGroup {
    /// Name shown to partners.
    pub title: String,
    /// Short name of the collection (`a-z`, `0-9`, `-`), unique.
    pub alias: Option<String>,
    /// Who the group is.
    pub description: Option<String>,
    /// The most restrictive TLP its collection accepts: clear, green,
    /// amber, amber_strict or red. A group of many organisations should
    /// not receive TLP:RED; the server refuses such objects.
    #[schema(value_type = String)]
    pub max_tlp: Tlp,
    /// The member agencies.
    pub members: Vec<NewMember>,
}

/// A member as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    /// Agency id.
    pub agency_id: String,
    /// May read.
    pub read: bool,
    /// May add.
    pub write: bool,
}

/// A sharing group as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharingGroupView {
    /// Id, also the TAXII collection id.
    pub id: String,
    /// Short name.
    pub alias: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Most restrictive TLP accepted.
    pub max_tlp: String,
    /// Members.
    pub members: Vec<MemberView>,
    /// The collection's path on this server.
    pub collection: String,
}

impl SharingGroupView {
    fn of(g: &SharingGroupRow) -> Self {
        Self {
            id: g.id.to_string(),
            alias: g.alias.clone(),
            title: g.title.clone(),
            description: g.description.clone(),
            max_tlp: serde_json::to_value(g.max_tlp)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            members: g
                .members
                .iter()
                .map(|m| MemberView {
                    agency_id: m.agency_id.to_string(),
                    read: m.can_read,
                    write: m.can_write,
                })
                .collect(),
            collection: format!("/taxii2/{API_ROOT}/collections/{}/", g.id),
        }
    }
}

/// The sharing groups: all of them for an administrator, one's agency's
/// for everyone who shares indicators.
#[utoipa::path(get, path = "/api/sharing-groups", tag = "sharing",
    responses(
        (status = 200, description = "Groups", body = Vec<SharingGroupView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<SharingGroupView>>, ApiError> {
    let all = principal.require(Permission::ManageAgencies).is_ok();
    if !all {
        principal.require(Permission::ShareIndicators)?;
    }
    let agency = principal.user.agency_id;
    let groups = state.vault.store.sharing_groups().await?;
    Ok(Json(
        groups
            .iter()
            .filter(|g| all || g.members.iter().any(|m| m.agency_id == agency))
            .map(SharingGroupView::of)
            .collect(),
    ))
}

/// Makes a sharing group and its TAXII collection.
#[utoipa::path(post, path = "/api/sharing-groups", tag = "sharing",
    request_body = NewSharingGroup,
    responses(
        (status = 201, description = "Made", body = SharingGroupView),
        (status = 400, description = "Invalid group", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 409, description = "Alias taken", body = ErrorBody),
    ))]
pub async fn add(
    State(state): State<AppState>,
    principal: Principal,
    Body(new): Body<NewSharingGroup>,
) -> Result<(StatusCode, Json<SharingGroupView>), ApiError> {
    principal.require(Permission::ManageAgencies)?;
    let title = new.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "a sharing group needs a title of 1 to 200 characters".into(),
        ));
    }
    if let Some(alias) = &new.alias {
        let ok = (2..=64).contains(&alias.len())
            && alias
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(ApiError::BadRequest(format!(
                "alias {alias:?}: 2 to 64 of a-z, 0-9 and '-'"
            )));
        }
    }
    if new.members.is_empty() {
        return Err(ApiError::BadRequest(
            "a sharing group needs at least one member agency".into(),
        ));
    }
    let mut members: Vec<GroupMember> = Vec::new();
    for (n, m) in new.members.iter().enumerate() {
        let agency = state
            .vault
            .store
            .agency_by_code(m.agency.trim())
            .await?
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "member #{}: no agency with the code {:?}",
                    n + 1,
                    m.agency
                ))
            })?;
        if members.iter().any(|x| x.agency_id == agency.id) {
            return Err(ApiError::BadRequest(format!(
                "member #{}: agency {:?} is listed twice",
                n + 1,
                m.agency
            )));
        }
        if !(m.read || m.write) {
            return Err(ApiError::BadRequest(format!(
                "member #{}: agency {:?} may neither read nor write",
                n + 1,
                m.agency
            )));
        }
        members.push(GroupMember {
            agency_id: agency.id,
            can_read: m.read,
            can_write: m.write,
        });
    }
    let group = SharingGroupRow {
        id: Uuid::now_v7(),
        alias: new.alias,
        title: title.to_owned(),
        description: new.description.filter(|d| !d.trim().is_empty()),
        max_tlp: new.max_tlp,
        members,
    };
    state
        .vault
        .store
        .add_sharing_group(&group, &principal.user.username)
        .await?;
    Ok((StatusCode::CREATED, Json(SharingGroupView::of(&group))))
}
