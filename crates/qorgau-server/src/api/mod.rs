//! The JSON API: every route registered here is in the OpenAPI document,
//! and every route but the public form, the document and the health check
//! takes a [`crate::auth::Principal`] and names the permission it needs.

pub mod auth;
pub mod authenticity;
pub mod cases;
pub mod directory;
pub mod evidence;
pub mod identities;
pub mod jobs;
pub mod law;
pub mod lexicon;
pub mod money;
pub mod public;
pub mod referrals;
pub mod reports;
pub mod routing;
pub mod sharing;
pub mod sharing_groups;
pub mod signals;
pub mod takedowns;
pub mod victims;

use axum::Json;
use qorgau_core::Id;
use qorgau_response::User;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;

/// A user as the API shows it (never the password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// Id.
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Agency id.
    pub agency_id: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// Locked until (UTC), after repeated failed sign-ins.
    pub locked_until: Option<String>,
}

impl UserView {
    /// The view of a user.
    pub fn of(u: &User) -> Self {
        Self {
            id: u.id.to_string(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            agency_id: u.agency_id.to_string(),
            roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            disabled: u.disabled,
            locked_until: u.locked_until.map(|t| t.to_utc_string()),
        }
    }
}

/// Liveness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers and the database does.
    pub status: String,
    /// Qorgau's version.
    pub version: String,
}

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/api/health", tag = "meta",
    responses(
        (status = 200, description = "Up", body = Health),
        (status = 500, description = "The database does not answer", body = crate::error::ErrorBody),
    ))]
pub async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<Json<Health>, ApiError> {
    state.vault.store.user_count().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

/// Reads an id from a path.
pub fn parse_id(text: &str) -> Result<Id, ApiError> {
    Id::parse(text).map_err(|_| ApiError::BadRequest(format!("{text:?} is not an id")))
}

/// The routes and the OpenAPI document they make.
pub fn routes() -> (axum::Router<AppState>, OpenApi) {
    let (router, mut api) = OpenApiRouter::<AppState>::new()
        .routes(routes!(health))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(directory::list_agencies, directory::add_agency))
        .routes(routes!(directory::list_users, directory::add_user))
        .routes(routes!(directory::issue_token))
        .routes(routes!(directory::revoke_token))
        .routes(routes!(signals::submit, signals::queue))
        .routes(routes!(signals::one))
        .routes(routes!(signals::dismiss))
        .routes(routes!(signals::reopen))
        .routes(routes!(signals::dismissals))
        .routes(routes!(law::questions))
        .routes(routes!(law::assess))
        .routes(routes!(routing::evaluate))
        .routes(routes!(routing::sweep))
        .routes(routes!(routing::rules, routing::save_rules))
        .routes(routes!(routing::check_rules))
        .routes(routes!(lexicon::show))
        .routes(routes!(lexicon::file))
        .routes(routes!(lexicon::check))
        .routes(routes!(lexicon::propose))
        .routes(routes!(lexicon::proposal))
        .routes(routes!(lexicon::review))
        .routes(routes!(lexicon::indicators))
        .routes(routes!(cases::open, cases::list))
        .routes(routes!(cases::one, cases::change))
        .routes(routes!(cases::merge))
        .routes(routes!(cases::add_keys))
        .routes(routes!(cases::attach_document))
        .routes(routes!(cases::add_person))
        .routes(routes!(cases::add_note))
        .routes(routes!(cases::add_task))
        .routes(routes!(cases::change_task))
        .routes(routes!(cases::timeline))
        .routes(routes!(evidence::list))
        .routes(routes!(evidence::content))
        .routes(routes!(evidence::custody))
        .routes(routes!(evidence::verify))
        .routes(routes!(evidence::restriction))
        .routes(routes!(authenticity::authenticity))
        .routes(routes!(authenticity::error_level))
        .routes(routes!(authenticity::conclude))
        .routes(routes!(jobs::verify_case))
        .routes(routes!(jobs::one))
        .routes(routes!(money::flags))
        .routes(routes!(money::transfers))
        .routes(routes!(money::accounts, money::link_account))
        .routes(routes!(money::graph))
        .routes(routes!(cases::override_consent))
        .routes(routes!(referrals::board))
        .routes(routes!(referrals::step))
        .routes(routes!(referrals::escalations))
        .routes(routes!(referrals::run_escalations))
        .routes(routes!(victims::screening_form))
        .routes(routes!(victims::screen))
        .routes(routes!(victims::victim))
        .routes(routes!(victims::add_consent))
        .routes(routes!(victims::withdraw_consent))
        .routes(routes!(takedowns::open, takedowns::of_case))
        .routes(routes!(takedowns::step))
        .routes(routes!(takedowns::report))
        .routes(routes!(reports::statistics))
        .routes(routes!(reports::draft_request))
        .routes(routes!(sharing::export))
        .routes(routes!(sharing_groups::list, sharing_groups::add))
        .routes(routes!(identities::list_safeguards))
        .routes(routes!(identities::list, identities::register))
        .routes(routes!(identities::authorise))
        .routes(routes!(identities::open_operation))
        .routes(routes!(identities::log_action, identities::actions))
        .routes(routes!(identities::case_operations))
        .routes(routes!(public::file))
        .routes(routes!(public::status))
        .split_for_parts();
    api.info.title = "Qorgau API".into();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    api.info.description = Some(
        "The early-response module: signals, cases, referrals between agencies with \
         deadlines and escalation, accounts and the public complaint form. \
         Browsers sign in with POST /api/auth/login (cookie `qorgau_session`, and the \
         returned CSRF token in `X-CSRF-Token` on every change); machine clients send \
         `Authorization: Bearer <token>`. Indicators are exchanged over TAXII 2.1 at \
         `/taxii2/` (its own specification, same sign-in), one collection per sharing group."
            .into(),
    );
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
            crate::auth::SESSION_COOKIE,
        ))),
    );
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    (router, api)
}
