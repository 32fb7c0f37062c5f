//! The investigator's workspace: Qorgau's web interface.
//!
//! Server-rendered HTML (maud) with plain forms, so that every page works
//! with the keyboard, without a front-end build and on an isolated network;
//! a few lines of script only improve what already works. Pages run on the
//! JSON API's state and call its handlers directly: one place decides who
//! may see and change what (`Principal::require`, the case's access scopes)
//! and writes the ledger entries for every read, whichever door was used.
//! Every visible string comes from the shared Fluent catalogues in Russian,
//! Kazakh and English (`qorgau-i18n`, `web.ftl`).

pub mod assessment;
pub mod assets;
pub mod chart;
pub mod failure;
pub mod jobs;
pub mod layout;
pub mod pages;
pub mod text;
pub mod viewer;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::{Extension, Router};
use qorgau_server::AppState;

/// What the interface needs beyond the API's state: where the files of
/// background jobs (protocols, packages) are kept for download.
#[derive(Debug, Default)]
pub struct Services {
    /// `<data-dir>/web-exports`, where workers write them.
    pub exports_dir: std::path::PathBuf,
    /// `<data-dir>/uploads`, where files posted from a page wait for the
    /// job that reads them (a money import, a scan).
    pub uploads_dir: std::path::PathBuf,
}

/// The interface's routes, to be merged beside the API
/// (`qorgau_server::app_with`).
pub fn routes(services: Services) -> Router<AppState> {
    Router::new()
        .route("/", get(pages::dashboard::show))
        .route(
            "/login",
            get(pages::sign_in::show).post(pages::sign_in::submit),
        )
        .route("/logout", post(pages::sign_in::sign_out))
        .route(
            "/report",
            get(pages::public::show).post(pages::public::file),
        )
        .route("/report/status", get(pages::public::status))
        .route("/lang/{code}", get(pages::sign_in::choose))
        .route("/triage", get(pages::triage::queue))
        .route("/triage/{id}/accept", post(pages::triage::accept))
        .route("/triage/{id}/dismiss", post(pages::triage::dismiss))
        .route("/network", get(pages::network::page))
        .route("/network/clusters/{id}", get(pages::network::cluster))
        .route("/victims/{id}", get(pages::victims::page))
        .route("/victims/{id}/consents", post(pages::victims::consent))
        .route(
            "/victims/{id}/consents/{consent}/withdraw",
            post(pages::victims::withdraw),
        )
        .route("/identities", get(pages::identities::page))
        .route("/identities/operations", post(pages::identities::open))
        .route("/admin", get(pages::admin::page))
        .route("/admin/users", post(pages::admin::add_user))
        .route(
            "/admin/routing",
            get(pages::admin::rules_page).post(pages::admin::rules_post),
        )
        .route("/admin/lexicon", get(pages::lexicon::page))
        .route(
            "/admin/lexicon/edit",
            get(pages::lexicon::edit_page).post(pages::lexicon::edit_post),
        )
        .route(
            "/admin/lexicon/proposals/{id}",
            get(pages::lexicon::proposal_page).post(pages::lexicon::review_post),
        )
        .route("/cases", get(pages::cases::list))
        .route("/cases/{id}", get(pages::cases::page))
        .route(
            "/cases/{id}/evidence/{item}/restriction",
            post(pages::evidence::restrict),
        )
        .route(
            "/cases/{id}/evidence/{item}/authenticity",
            get(pages::authenticity::page).post(pages::authenticity::conclude),
        )
        .route("/cases/{id}/evidence/{item}", get(pages::evidence::page))
        .route(
            "/cases/{id}/evidence/{item}/verify",
            post(pages::evidence::verify),
        )
        .route(
            "/cases/{id}/qualify",
            get(pages::qualify::show).post(pages::qualify::save),
        )
        .route("/referrals", get(pages::referrals::board))
        .route(
            "/screening",
            get(pages::screening::show).post(pages::screening::submit),
        )
        .route("/referrals/{id}/step", post(pages::referrals::step))
        .route("/cases/{id}/money", get(pages::money::page))
        .route("/cases/{id}/takedowns", post(pages::takedowns::open))
        .route("/takedowns/{id}/step", post(pages::takedowns::step))
        .route("/cases/{id}/capture", post(pages::capture::start))
        .route("/cases/{id}/jobs/{job}", get(pages::capture::show))
        .route("/cases/{id}/jobs/{job}/file", get(pages::capture::file))
        .route("/cases/{id}/exports", post(pages::capture::export))
        .route(
            "/cases/{id}/import",
            get(pages::imports::page)
                .post(pages::imports::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    pages::imports::MAX_UPLOAD,
                )),
        )
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .layer(Extension(Arc::new(services)))
        .layer(axum::middleware::map_response(security_headers))
}

/// Headers every page carries: scripts, styles and forms only from this
/// server (a captured page or a hostile ad text can never run here), no
/// framing (clickjacking), and no `Referer` — an investigator's addresses
/// (case ids, searches) must not leak to a site they open from a page.
/// Inline `style` attributes are allowed for the chart bars' widths only
/// through `'unsafe-inline'` on styles, never on scripts.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
