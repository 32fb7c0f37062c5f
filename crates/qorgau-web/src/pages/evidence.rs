//! One evidence item: what it is (file, type, size, both digests, when and
//! by whom acquired, both clocks), what it says about itself (metadata),
//! its custody from acquisition on, and its verification — the last check
//! and a button to re-hash it now, itself recorded in the ledger.
//!
//! Images are shown inline through the API's content endpoint, so each
//! showing is a `viewed` entry like any download; other content (a captured
//! page is hostile HTML) is only offered for download, never rendered in
//! the server's origin.
//!
//! A file of a capture (`qorgau capture`) also shows the page as it was
//! captured: the addresses as text to copy (never links: nobody should
//! reach a suspect's site by a slip of the mouse), both clocks, status,
//! engine, a partial capture in red, the time stamp, the screenshot and the
//! visible text — both read through the content endpoint, so each showing
//! is a `viewed` entry on that file — and the capture's other files. The
//! DOM and the WARC stay download-only.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_response::Permission;
use qorgau_server::api::evidence::{CaptureOfItem, CustodyEntry, ItemCustody, RestrictionView};
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::layout::{self, Section, csrf};
use crate::text::Tr;
use crate::viewer::{Posted, Viewer};

/// The page's query: `?reveal=original` shows a marked image unblurred
/// (to roles allowed to view it; the showing is recorded like any other).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    reveal: Option<String>,
}

/// `GET /cases/{id}/evidence/{item}`.
pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, item)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Response {
    match qorgau_server::api::evidence::custody(
        State(state.clone()),
        v.principal.clone(),
        Path((id.clone(), item)),
    )
    .await
    {
        Ok(axum::Json(c)) => {
            let text = match &c.capture {
                Some(capture) => visible_text(&state, &v, &id, capture).await,
                None => Visible::Absent,
            };
            let reveal = q.reveal.as_deref() == Some("original");
            render(&v, &id, &c, &text, reveal).into_response()
        }
        Err(e) => v.fail(e).into_response(),
    }
}

/// The largest visible text shown on the page; a longer one is linked.
const TEXT_SHOWN_MAX: u64 = 256 * 1024;

/// The capture's visible text, as far as the page shows it.
enum Visible {
    /// The capture has no `text.txt`.
    Absent,
    /// Read through the content endpoint (a `viewed` entry on the file).
    Shown(String),
    /// Too large to show; linked instead.
    TooLarge,
    /// The endpoint refused it (a blob that no longer matches, a read error).
    Unreadable,
}

/// Reads the capture's `text.txt` through the API's content endpoint, the
/// audited path every download takes: the blob re-hashed first, the
/// showing recorded as `viewed` on the file.
async fn visible_text(state: &AppState, v: &Viewer, case: &str, c: &CaptureOfItem) -> Visible {
    let Some(file) = c
        .text_item
        .as_deref()
        .and_then(|id| c.files.iter().find(|f| f.id == id))
    else {
        return Visible::Absent;
    };
    if file.size > TEXT_SHOWN_MAX {
        return Visible::TooLarge;
    }
    let response = match qorgau_server::api::evidence::content(
        State(state.clone()),
        v.principal.clone(),
        Path((case.to_owned(), file.id.clone())),
        Query(qorgau_server::api::evidence::ContentQuery { view: None }),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(item = %file.id, error = %e, "the capture's text could not be shown");
            return Visible::Unreadable;
        }
    };
    match axum::body::to_bytes(response.into_body(), TEXT_SHOWN_MAX as usize).await {
        Ok(bytes) => Visible::Shown(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => {
            tracing::warn!(item = %file.id, error = %e, "the capture's text could not be read");
            Visible::Unreadable
        }
    }
}

fn render(v: &Viewer, case: &str, c: &ItemCustody, text: &Visible, reveal: bool) -> Markup {
    let tr = v.tr;
    let i = &c.item;
    let content = format!("/api/cases/{case}/evidence/{}", i.id);
    let may_view = v.principal.user.may(Permission::ViewRestrictedMaterial);
    let restricted = i.restricted.as_ref();
    // A marked item's original is only ever fetched on purpose.
    let original = if restricted.is_some() {
        format!("{content}?view=original")
    } else {
        content.clone()
    };
    let preview = if restricted.is_some() && reveal {
        original.clone()
    } else {
        content.clone()
    };
    let last_check = c.custody.iter().rev().find(|e| e.kind == "verified");
    // The capture's screenshot is shown once, in the capture's section.
    let shown_as_screenshot = c
        .capture
        .as_ref()
        .and_then(|k| k.screenshot_item.as_deref())
        == Some(i.id.as_str());
    let body = html! {
        p { a href={ "/cases/" (case) "#evidence" } { "← " (tr.t("evidence-back")) } }
        div.columns {
            div {
                section #item {
                    h2 { (tr.t("evidence-item")) }
                    dl.facts {
                        dt { (tr.t("evidence-file")) } dd { code { (i.relative_path) } }
                        dt { (tr.t("evidence-type")) } dd { (i.media_type) }
                        dt { (tr.t("evidence-size")) } dd { (i.size) }
                        dt { "SHA-256" } dd { code.hash { (i.sha256) } }
                        dt { "MD5" } dd { code.hash { (i.md5) } }
                        dt { (tr.t("evidence-acquired")) } dd { (tr.time_both(&i.acquired_at)) }
                        @if let Some(n) = &i.note { dt { (tr.t("evidence-note")) } dd { (n) } }
                    }
                    @if restricted.is_none() || may_view {
                        p { a.button href=(original) download { (tr.t("evidence-download")) } }
                    }
                }
                (restriction(v, case, &i.id, restricted, &c.restriction_history))
                section #verification {
                    h2 { (tr.t("evidence-verification")) }
                    @match last_check {
                        Some(e) => (verification(tr, e)),
                        None => p.empty { (tr.t("evidence-never-checked")) },
                    }
                    form method="post" action={ "/cases/" (case) "/evidence/" (i.id) "/verify" } {
                        (csrf(v))
                        button type="submit" { (tr.t("evidence-verify-now")) }
                    }
                }
                @if let Some(m) = &c.metadata { (metadata(tr, m)) }
            }
            div {
                @if i.media_type.starts_with("image/") && !shown_as_screenshot {
                    section #preview {
                        h2 { (tr.t("evidence-preview")) }
                        @if restricted.is_some() && !may_view {
                            p.problem { (tr.t("restricted-not-for-your-role")) }
                        } @else {
                            img.preview src=(preview) alt=(i.file_name) loading="lazy";
                            @if restricted.is_some() {
                                @if reveal {
                                    p { a href={ "/cases/" (case) "/evidence/" (i.id) "#preview" } { (tr.t("restricted-blur-again")) } }
                                } @else {
                                    p { a.button href={ "/cases/" (case) "/evidence/" (i.id) "?reveal=original#preview" } { (tr.t("restricted-reveal")) } }
                                }
                            }
                            p.hint { (tr.t("evidence-preview-logged")) }
                            p { a.button href={ "/cases/" (case) "/evidence/" (i.id) "/authenticity" } { (tr.t("authenticity-open")) } }
                        }
                    }
                }
                section #custody {
                    h2 { (tr.t("evidence-custody")) }
                    ol.timeline {
                        @for e in &c.custody {
                            li {
                                (tr.time_both(&e.at)) " "
                                span.tag { (tr.code("event", &e.kind)) } " "
                                (e.actor) " · " span.meta { (e.tool) }
                                br; code.hash title=(tr.t("evidence-entry-hash")) { (e.entry_hash) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(capture) = &c.capture { (captured_page(tr, case, &i.id, capture, text, may_view)) }
    };
    layout::page(v, &i.file_name, Section::Cases, body)
}

/// The page as it was captured: what, when, how, the screenshot and the
/// visible text, and the capture's files. Addresses are copyable text,
/// never links; the DOM and the WARC are never embedded.
fn captured_page(
    tr: Tr,
    case: &str,
    item: &str,
    c: &CaptureOfItem,
    text: &Visible,
    may_view: bool,
) -> Markup {
    let item_href = |id: &str| format!("/cases/{case}/evidence/{id}");
    let content = |id: &str| format!("/api/cases/{case}/evidence/{id}");
    html! {
        section #captured-page {
            h2 { (tr.t("captured-page")) }
            @if let Some(p) = &c.partial {
                p.warning role="alert" { strong { (tr.t("capture-partial")) } ": " (p) }
            }
            p.hint { (tr.t("captured-no-links")) }
            dl.facts {
                dt { (tr.t("captured-url")) } dd { code.copy { (c.url) } }
                dt { (tr.t("capture-final-url")) } dd { code.copy { (c.final_url) } }
                @if let Some(title) = &c.title { dt { (tr.t("captured-page-title")) } dd { (title) } }
                dt { (tr.t("captured-started")) } dd { (tr.time_both(&c.started_at)) }
                dt { (tr.t("captured-finished")) } dd { (tr.time_both(&c.finished_at)) }
                dt { (tr.t("captured-status")) } dd {
                    @match c.http_status { Some(s) => (s), None => span.meta { (tr.t("captured-no-status")) } }
                }
                dt { (tr.t("captured-engine")) } dd { (tr.code("captured-engine", &c.engine)) " · " (tr.code("captured-kind", &c.kind)) }
                dt { (tr.t("captured-time-stamp")) } dd {
                    @match (&c.time_stamp_authority, c.time_stamped) {
                        (Some(a), _) => code { (a) },
                        (None, true) => (tr.t("captured-time-stamped")),
                        (None, false) => span.meta { (tr.t("captured-no-time-stamp")) },
                    }
                }
                dt { (tr.t("capture-manifest")) } dd { code.hash { (c.manifest_sha256) } }
                dt { (tr.t("captured-by")) } dd { (c.captured_by) " · " span.meta { (c.tool) } }
            }
            @if let Some(shot) = &c.screenshot_item {
                @let marked = c.files.iter().any(|f| &f.id == shot && f.restricted);
                h3 { (tr.t("captured-screenshot")) }
                @if marked && !may_view {
                    p.problem { (tr.t("restricted-not-for-your-role")) }
                } @else {
                    div.screenshot-frame {
                        a href=(item_href(shot)) {
                            // A marked screenshot comes blurred from the endpoint.
                            img.preview src=(content(shot)) alt=(tr.t("captured-screenshot"));
                        }
                    }
                    @if marked { p.warning { (tr.t("restricted-banner")) } }
                    p.hint { (tr.t("evidence-preview-logged")) }
                }
            }
            @if let Some(text_id) = &c.text_item {
                h3 { (tr.t("captured-text")) }
                @match text {
                    Visible::Shown(t) => {
                        pre.captured-text tabindex="0" { (t) }
                        p.hint { (tr.t("captured-text-logged")) }
                    }
                    Visible::TooLarge => p.hint {
                        (tr.t("captured-text-too-large")) " "
                        a href=(item_href(text_id)) { (tr.t("captured-text-open")) }
                    },
                    Visible::Unreadable | Visible::Absent => p.problem {
                        (tr.t("captured-text-unreadable")) " "
                        a href=(item_href(text_id)) { (tr.t("captured-text-open")) }
                    },
                }
            }
            h3 { (tr.t("captured-files")) " (" (c.files.len()) ")" }
            table.captured-files {
                thead { tr {
                    th { (tr.t("evidence-file")) } th { (tr.t("captured-role")) }
                    th { (tr.t("evidence-type")) } th.num { (tr.t("evidence-size")) }
                } }
                tbody {
                    @for f in &c.files {
                        tr {
                            td {
                                @if f.id == item {
                                    code { (f.path) } " " span.tag { (tr.t("captured-this-item")) }
                                } @else {
                                    a href=(item_href(&f.id)) { code { (f.path) } }
                                }
                            }
                            td {
                                (tr.code("captured-role", &f.role))
                                @if f.hostile { br; span.warning { (tr.t("captured-hostile")) } }
                                @if f.restricted { br; span.warning { (tr.t("restricted-short")) } }
                            }
                            td { (f.media_type) }
                            td.num { (f.size) }
                        }
                    }
                }
            }
        }
    }
}

/// The mark of suspected child sexual abuse material: who marked, when,
/// on what basis; the form to mark (anyone who reads evidence) or to clear
/// (supervisors, with a reason); the history of marks and clears.
fn restriction(
    v: &Viewer,
    case: &str,
    item: &str,
    mark: Option<&RestrictionView>,
    history: &[RestrictionView],
) -> Markup {
    let tr = v.tr;
    let action = format!("/cases/{case}/evidence/{item}/restriction");
    let may_mark = v.principal.user.may(Permission::MarkRestrictedMaterial);
    let may_release = v.principal.user.may(Permission::ReleaseRestrictedMaterial);
    html! {
        section #restricted {
            @if let Some(m) = mark {
                p.warning role="alert" { strong { (tr.t("restricted-banner")) } }
                dl.facts {
                    dt { (tr.t("restricted-basis")) } dd { (tr.code("restricted-basis", &m.basis)) }
                    dt { (tr.t("restricted-reason")) } dd { (m.reason) }
                    @if let Some(h) = &m.matched_on {
                        dt { (tr.t("restricted-matched-on")) } dd { code { (h) } @if let Some(d) = m.distance { " (" (d) ")" } }
                    }
                    dt { (tr.t("restricted-marked")) } dd { (tr.time_both(&m.at)) " · " (m.by) }
                }
                p.hint { (tr.t("restricted-rules")) }
                @if may_release {
                    form method="post" action=(action) {
                        (csrf(v))
                        input type="hidden" name="action" value="clear";
                        label for="release-reason" { (tr.t("restricted-release-reason")) }
                        input #release-reason type="text" name="reason" required;
                        button type="submit" { (tr.t("restricted-release")) }
                    }
                }
            } @else if may_mark {
                details {
                    summary { (tr.t("restricted-mark-title")) }
                    form method="post" action=(action) {
                        (csrf(v))
                        input type="hidden" name="action" value="mark";
                        label for="mark-reason" { (tr.t("restricted-mark-reason")) }
                        input #mark-reason type="text" name="reason" required;
                        button type="submit" { (tr.t("restricted-mark")) }
                    }
                    p.hint { (tr.t("restricted-rules")) }
                }
            }
            @if !history.is_empty() {
                h3 { (tr.t("restricted-history")) }
                ol.timeline {
                    @for h in history {
                        li {
                            (tr.time_both(&h.at)) " " span.tag { (tr.code("restricted-action", &h.action)) }
                            " " (h.by) " · " (h.reason)
                        }
                    }
                }
            }
        }
    }
}

/// The mark form's fields.
#[derive(Debug, Deserialize)]
pub struct Restrict {
    action: String,
    reason: String,
}

/// `POST /cases/{id}/evidence/{item}/restriction`: mark or clear, through
/// the API's handler (permissions, ledger), back to the item.
pub async fn restrict(
    State(state): State<AppState>,
    Path((id, item)): Path<(String, String)>,
    p: Posted<Restrict>,
) -> Response {
    let result = qorgau_server::api::evidence::restriction(
        State(state),
        p.viewer.principal.clone(),
        Path((id.clone(), item.clone())),
        qorgau_server::json::Body(qorgau_server::api::evidence::RestrictionInput {
            action: p.form.action.clone(),
            reason: p.form.reason.clone(),
        }),
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}/evidence/{item}#restricted")).into_response(),
        Err(e) => p.viewer.fail(e).into_response(),
    }
}

fn verification(tr: Tr, e: &CustodyEntry) -> Markup {
    let ok = e.details.get("ok").and_then(serde_json::Value::as_bool) == Some(true);
    html! {
        p class=(if ok { "verified ok" } else { "verified failed" }) role="status" {
            strong { (tr.t(if ok { "evidence-intact" } else { "evidence-altered" })) }
            " · " (tr.time_both(&e.at)) " · " (e.actor)
        }
    }
}

fn metadata(tr: Tr, m: &serde_json::Value) -> Markup {
    let Some(map) = m.as_object() else {
        return html! {};
    };
    html! {
        section #metadata {
            h2 { (tr.t("evidence-metadata")) }
            table {
                tbody {
                    @for (k, v) in map {
                        @if !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()) && v.as_object().is_none_or(|o| !o.is_empty()) {
                            tr {
                                th { (k) }
                                td { @match v.as_str() { Some(s) => (s), None => code { (v.to_string()) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The verify button's form (only its token).
#[derive(Debug, Deserialize)]
pub struct Check {}

/// `POST /cases/{id}/evidence/{item}/verify`: re-hash now; the result is a
/// `verified` entry, shown on the page it returns to.
pub async fn verify(
    State(state): State<AppState>,
    Path((id, item)): Path<(String, String)>,
    p: Posted<Check>,
) -> Response {
    let result: Result<_, ApiError> = qorgau_server::api::evidence::verify(
        State(state),
        p.viewer.principal.clone(),
        Path((id.clone(), item.clone())),
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}/evidence/{item}#verification")).into_response(),
        Err(e) => p.viewer.fail(e).into_response(),
    }
}
