//! Files brought into a case from the browser: a bank statement or an
//! explorer export imported as transactions, or a seized chat export or
//! scraped ads scanned with the approved lexicon. The file is streamed to
//! `<data-dir>/uploads/` (never held in memory, refused past
//! [`MAX_UPLOAD`]) and a job of the work queue does the work as the command
//! line would (`qorgau money import`, `qorgau scan --approved-lexicon`);
//! the job's page shows its progress bar from the progress the command
//! reports.
//!
//! The form is `multipart/form-data`, so the CSRF token cannot be checked
//! by [`crate::viewer::Posted`]: it must be the form's first field, and it
//! is checked before a byte of the file is written.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use qorgau_core::Id;
use qorgau_response::Permission;
use qorgau_routing::Scope;
use qorgau_server::{ApiError, AppState};
use tokio::io::AsyncWriteExt;

use crate::Services;
use crate::jobs::{self, Task};
use crate::layout::{self, Section, csrf};
use crate::viewer::Viewer;

/// The largest file accepted from a page (a whole Telegram account export
/// with its JSON is a few gigabytes at most; larger ones go through
/// `qorgau jobs submit --input`).
pub const MAX_UPLOAD: usize = 4 * 1024 * 1024 * 1024;

const MONEY_FORMATS: [&str; 4] = ["tron-csv", "erc20-csv", "btc-json", "bank-csv"];
/// The formats `qorgau scan` reads (`auto` guesses from name and content).
fn scan_formats() -> [&'static str; 7] {
    qorgau_sources::Format::ALL.map(qorgau_sources::Format::name)
}

/// The case (id, name) when the viewer may bring files into it: the owning
/// agency with the evidence scope and the right to change cases; money
/// imports also need the right to read money.
async fn importable(state: &AppState, v: &Viewer, id: &str) -> Result<(Id, String), ApiError> {
    let loaded = qorgau_server::api::cases::load(state, &v.principal, id).await?;
    v.principal.require(Permission::EditCases)?;
    if !(loaded.access.owner && loaded.access.sees(Scope::Evidence)) {
        return Err(ApiError::Forbidden(
            "only the owning agency brings files into a case".into(),
        ));
    }
    Ok((loaded.case.case.id, loaded.case.case.name.to_string()))
}

/// `GET /cases/{id}/import`: the two upload forms.
pub async fn page(State(state): State<AppState>, v: Viewer, Path(id): Path<String>) -> Response {
    match importable(&state, &v, &id).await {
        Ok((_, name)) => render(&v, &id, &name).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

fn render(v: &Viewer, id: &str, name: &str) -> Markup {
    let tr = v.tr;
    let action = format!("/cases/{id}/import");
    let body = html! {
        p { a href={ "/cases/" (id) } { "← " (name) } }
        @if v.may(Permission::ReadMoney) {
            section #import-money {
                h2 { (tr.t("import-money-title")) }
                p.hint { (tr.t("import-money-hint")) }
                form method="post" action=(action) enctype="multipart/form-data" {
                    (csrf(v))
                    input type="hidden" name="kind" value="money";
                    label for="money-format" { (tr.t("import-format")) }
                    select #money-format name="format" {
                        @for f in MONEY_FORMATS { option value=(f) { (f) } }
                    }
                    label for="money-map" { (tr.t("import-map")) }
                    input #money-map name="map" placeholder="time=Дата,from=Отправитель,to=Получатель,amount=Сумма,currency=Валюта";
                    label for="money-file" { (tr.t("import-file")) }
                    input #money-file type="file" name="file" required;
                    button type="submit" { (tr.t("import-start")) }
                }
            }
        }
        section #import-scan {
            h2 { (tr.t("import-scan-title")) }
            p.hint { (tr.t("import-scan-hint")) }
            form method="post" action=(action) enctype="multipart/form-data" {
                (csrf(v))
                input type="hidden" name="kind" value="scan";
                label for="scan-format" { (tr.t("import-format")) }
                select #scan-format name="format" {
                    @for f in scan_formats() { option value=(f) { (f) } }
                }
                label for="scan-column" { (tr.t("import-text-column")) }
                input #scan-column name="text_column";
                label for="scan-file" { (tr.t("import-file")) }
                input #scan-file type="file" name="file" required;
                button type="submit" { (tr.t("import-start")) }
            }
        }
    };
    layout::page(v, &tr.t("import-title"), Section::Cases, body)
}

/// The fields of an upload, in the order the form sends them.
#[derive(Default)]
struct Upload {
    kind: String,
    format: String,
    map: String,
    text_column: String,
    /// (plain name under uploads, name as sent)
    file: Option<(String, String)>,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::BadRequest(message.into())
}

/// A name safe to keep under `uploads/`: an id, then the sent name's
/// letters, digits, `-`, `_` and `.` (the rest as `_`).
fn stored_name(sent: &str) -> String {
    let base: String = sent
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}-{base}", Id::new())
}

async fn receive(
    v: &Viewer,
    dir: &std::path::Path,
    mut form: Multipart,
) -> Result<Upload, ApiError> {
    let malformed = |e: axum::extract::multipart::MultipartError| {
        bad(format!("the upload could not be read: {e}"))
    };
    // The token first: nothing is written for a forged form.
    let first = form.next_field().await.map_err(malformed)?;
    let token = match first {
        Some(f) if f.name() == Some("csrf") => f.text().await.map_err(malformed)?,
        _ => String::new(),
    };
    if !v.principal.csrf_matches(&token) {
        return Err(ApiError::Forbidden(
            "the form's security token is missing or old: reload the page and send it again".into(),
        ));
    }
    let mut upload = Upload::default();
    while let Some(mut field) = form.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if upload.file.is_some() {
                return Err(bad("one file per upload"));
            }
            let sent = field.file_name().unwrap_or("upload").to_owned();
            let stored = stored_name(&sent);
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| ApiError::Internal(format!("making {}: {e}", dir.display())))?;
            let path = dir.join(&stored);
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(|e| ApiError::Internal(format!("creating {}: {e}", path.display())))?;
            let mut size = 0u64;
            let written: Result<(), ApiError> = async {
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    size += chunk.len() as u64;
                    out.write_all(&chunk).await.map_err(|e| {
                        ApiError::Internal(format!("writing {}: {e}", path.display()))
                    })?;
                }
                out.flush()
                    .await
                    .map_err(|e| ApiError::Internal(format!("writing {}: {e}", path.display())))
            }
            .await;
            if let Err(e) = written {
                let _ = tokio::fs::remove_file(&path).await;
                return Err(e);
            }
            if size == 0 {
                let _ = tokio::fs::remove_file(&path).await;
                return Err(bad(format!("{sent}: the file is empty")));
            }
            upload.file = Some((stored, sent));
        } else {
            let text = field.text().await.map_err(malformed)?;
            match name.as_str() {
                "kind" => upload.kind = text,
                "format" => upload.format = text,
                "map" => upload.map = text.trim().to_owned(),
                "text_column" => upload.text_column = text.trim().to_owned(),
                _ => {}
            }
        }
    }
    Ok(upload)
}

/// `POST /cases/{id}/import`: stores the file and queues its job; on to
/// the job's page.
pub async fn upload(
    State(state): State<AppState>,
    Extension(services): Extension<Arc<Services>>,
    v: Viewer,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let result = async {
        let (case_id, name) = importable(&state, &v, &id).await?;
        let upload = receive(&v, &services.uploads_dir, form).await?;
        let remove = |stored: &str| {
            let _ = std::fs::remove_file(services.uploads_dir.join(stored));
        };
        let Some((stored, sent)) = upload.file.clone() else {
            return Err(bad("choose a file to upload"));
        };
        let task = match upload.kind.as_str() {
            "money" if MONEY_FORMATS.contains(&upload.format.as_str()) => {
                if let Err(e) = v.principal.require(Permission::ReadMoney) {
                    remove(&stored);
                    return Err(e);
                }
                if upload.format == "bank-csv" && upload.map.is_empty() {
                    remove(&stored);
                    return Err(bad(
                        "a bank statement needs its column mapping (time=…,from=…,to=…,amount=…,currency=…)",
                    ));
                }
                Task::MoneyImport {
                    input: stored.clone(),
                    format: upload.format.clone(),
                    map: (!upload.map.is_empty()).then(|| upload.map.clone()),
                    shown: sent,
                }
            }
            "scan" if scan_formats().contains(&upload.format.as_str()) => Task::Scan {
                input: stored.clone(),
                format: upload.format.clone(),
                text_column: (!upload.text_column.is_empty()).then(|| upload.text_column.clone()),
                shown: sent,
            },
            other => {
                remove(&stored);
                return Err(bad(format!(
                    "upload {other:?} in format {:?}: money in {} or scan in {}",
                    upload.format,
                    MONEY_FORMATS.join(", "),
                    scan_formats().join(", ")
                )));
            }
        };
        match jobs::start(
            &state.vault.store,
            &v.principal.user.username,
            case_id,
            &name,
            &task,
        )
        .await
        {
            Ok(job) => Ok(job),
            Err(e) => {
                remove(&stored);
                Err(ApiError::from(e))
            }
        }
    }
    .await;
    match result {
        Ok(job) => Redirect::to(&format!("/cases/{id}/jobs/{job}")).into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}
