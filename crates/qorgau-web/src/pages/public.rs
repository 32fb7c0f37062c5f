//! The public complaint form and its status page: no sign-in, nothing about
//! the complainant asked for, a receipt code shown once. The API's own
//! handlers file and look up (rate limits per address included), so the
//! complaint becomes a signal in the triage queue like any other.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use qorgau_response::IdentifierKind;
use qorgau_server::api::public::Complaint;
use qorgau_server::api::signals::IdentifierInput;
use qorgau_server::json::Body;
use qorgau_server::{ApiError, AppState};
use serde::Deserialize;

use crate::failure::Failure;
use crate::layout;
use crate::text::Tr;
use crate::viewer::tr_of;

fn form(tr: Tr, text: &str, link: &str, contact: &str, problem: Option<&str>) -> Markup {
    layout::bare(
        tr,
        &tr.t("report-title"),
        "/report",
        html! {
            section.public {
                h1 { (tr.t("report-title")) }
                p.emergency role="note" { (tr.t("report-emergency")) }
                p { (tr.t("report-intro")) }
                @if let Some(p) = problem { p.problem role="alert" { (p) } }
                form method="post" action="/report" {
                    label for="text" { (tr.t("report-text")) }
                    textarea #text name="text" rows="6" required minlength="10" maxlength="5000" { (text) }
                    label for="link" { (tr.t("report-link")) }
                    input #link name="link" type="url" placeholder="https://" value=(link);
                    label for="contact" { (tr.t("report-contact")) }
                    input #contact name="contact" placeholder="+7 7xx xxx xx xx, @account" value=(contact);
                    p.hint { (tr.t("report-privacy")) }
                    button type="submit" { (tr.t("report-submit")) }
                }
                p { a href="/report/status" { (tr.t("report-status-link")) } }
            }
        },
    )
}

/// `GET /report`.
pub async fn show(parts: Parts) -> Markup {
    form(tr_of(&parts), "", "", "", None)
}

/// The complaint form's fields.
#[derive(Debug, Deserialize)]
pub struct Filed {
    text: String,
    link: Option<String>,
    contact: Option<String>,
}

/// What a contact the complainant gives looks like: a phone number, an
/// e-mail address or an account; anything else is kept in the text only.
fn identifiers(contact: &str) -> Vec<IdentifierInput> {
    contact
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .filter_map(|c| {
            let kind = if c.contains('@') && c.contains('.') && !c.starts_with('@') {
                IdentifierKind::Email
            } else if c.starts_with('@') {
                IdentifierKind::Handle
            } else if c.chars().filter(char::is_ascii_digit).count() >= 7 {
                IdentifierKind::Phone
            } else {
                return None;
            };
            let value = if kind == IdentifierKind::Handle {
                format!("telegram:{c}")
            } else {
                c.to_owned()
            };
            Some(IdentifierInput { kind, value })
        })
        .take(20)
        .collect()
}

/// `POST /report`: files the complaint and shows the receipt once.
pub async fn file(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    parts: Parts,
    Form(f): Form<Filed>,
) -> Response {
    let tr = tr_of(&parts);
    let link = f.link.clone().unwrap_or_default();
    let contact = f.contact.clone().unwrap_or_default();
    let filed = qorgau_server::api::public::file(
        State(state),
        ConnectInfo(client),
        Body(Complaint {
            text: f.text.clone(),
            link: Some(link.clone()).filter(|l| !l.trim().is_empty()),
            identifiers: identifiers(&contact),
            lang: Some(tr.lang.code().to_owned()),
        }),
    )
    .await;
    match filed {
        Ok((_, axum::Json(receipt))) => layout::bare(
            tr,
            &tr.t("report-received"),
            "/report",
            html! {
                section.public {
                    h1 { (tr.t("report-received")) }
                    p { (tr.t("report-keep-receipt")) }
                    p.receipt { code #receipt { (receipt.receipt) } }
                    p { a href={ "/report/status?receipt=" (receipt.receipt) } { (tr.t("report-status-link")) } }
                }
            },
        )
        .into_response(),
        Err(ApiError::BadRequest(message)) => (
            StatusCode::BAD_REQUEST,
            form(tr, &f.text, &link, &contact, Some(&message)),
        )
            .into_response(),
        Err(error) => Failure { tr, error }.into_response(),
    }
}

/// The status lookup.
#[derive(Debug, Deserialize)]
pub struct Lookup {
    receipt: Option<String>,
}

/// `GET /report/status[?receipt=…]`.
pub async fn status(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    parts: Parts,
    Query(q): Query<Lookup>,
) -> Response {
    let tr = tr_of(&parts);
    let receipt = q.receipt.unwrap_or_default();
    let found = if receipt.trim().is_empty() {
        None
    } else {
        Some(
            qorgau_server::api::public::status(
                State(state),
                ConnectInfo(client),
                axum::extract::Path(receipt.clone()),
            )
            .await,
        )
    };
    let (code, answer) = match found {
        None => (StatusCode::OK, html! {}),
        Some(Ok(axum::Json(s))) => (
            StatusCode::OK,
            html! {
                dl.facts #status {
                    dt { (tr.t("report-status")) } dd { strong { (tr.code("complaint-status", &s.status)) } }
                    dt { (tr.t("report-received-at")) } dd { (tr.time(&s.received_at)) }
                    dt { (tr.t("report-changed-at")) } dd { (tr.time(&s.changed_at)) }
                }
            },
        ),
        Some(Err(ApiError::NotFound(_))) => (
            StatusCode::NOT_FOUND,
            html! { p.problem role="alert" { (tr.t("report-no-such-receipt")) } },
        ),
        Some(Err(error)) => return Failure { tr, error }.into_response(),
    };
    (
        code,
        layout::bare(
            tr,
            &tr.t("report-status-title"),
            "/report/status",
            html! {
                section.public {
                    h1 { (tr.t("report-status-title")) }
                    form method="get" action="/report/status" {
                        label for="receipt" { (tr.t("report-receipt")) }
                        input #receipt name="receipt" required autocomplete="off" value=(receipt);
                        button type="submit" { (tr.t("report-status-submit")) }
                    }
                    (answer)
                }
            },
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_become_identifiers_and_the_rest_stays_in_the_text() {
        let ids = identifiers("+7 701 555 01 11, @recruiter_demo; hr@demo.example, tomorrow");
        let kinds: Vec<_> = ids.iter().map(|i| i.kind.as_str()).collect();
        assert_eq!(kinds, ["phone", "handle", "email"]);
        assert_eq!(ids[1].value, "telegram:@recruiter_demo");
    }
}
