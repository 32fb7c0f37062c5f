//! The dashboard: what needs a person now (new signals, referrals waiting,
//! deadlines missed) and what the detection engine has been flagging, by
//! week and scenario and by platform.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use maud::{Markup, html};
use qorgau_i18n::Args;
use qorgau_response::Permission;
use qorgau_server::api::cases::ListQuery;
use qorgau_server::api::referrals::{BoardQuery, ReferralView};
use qorgau_server::api::signals::QueueQuery;
use qorgau_server::{ApiError, AppState};
use qorgau_store::DocumentRecord;

use crate::assessment::{Assessment, flagged_documents};
use crate::chart::{Stacked, ranking};
use crate::layout::{self, Section};
use crate::pages::cases::overdue;
use crate::viewer::Viewer;

/// Weeks shown in the flags chart.
const WEEKS: i64 = 12;

/// `GET /`.
pub async fn show(State(state): State<AppState>, v: Viewer) -> Response {
    match render(&state, &v).await {
        Ok(m) => m.into_response(),
        Err(e) => v.fail(e).into_response(),
    }
}

async fn render(state: &AppState, v: &Viewer) -> Result<Markup, ApiError> {
    let tr = v.tr;
    let now = state.clock.now();
    let now_text = now.to_utc_string();
    let mut tiles: Vec<(String, u64, &str, bool)> = Vec::new();
    let mut flags = None;
    if v.may(Permission::ReadSignals) {
        let axum::Json(new) = qorgau_server::api::signals::queue(
            State(state.clone()),
            v.principal.clone(),
            Query(QueueQuery {
                status: Some("new".into()),
                limit: Some(1000),
            }),
        )
        .await?;
        tiles.push((tr.t("tile-new-signals"), new.len() as u64, "/triage", false));
        let documents = flagged_documents(state).await?;
        flags = Some(flag_charts(v, &documents, now.as_datetime()));
    }
    let mut waiting = Vec::new();
    if v.may(Permission::ReadCases) {
        let axum::Json(cases) = qorgau_server::api::cases::list(
            State(state.clone()),
            v.principal.clone(),
            Query(ListQuery { limit: Some(1000) }),
        )
        .await?;
        let open = cases.iter().filter(|c| c.status == "open").count() as u64;
        tiles.push((tr.t("tile-open-cases"), open, "/cases", false));
        let mut board = Vec::new();
        for direction in ["incoming", "outgoing"] {
            let axum::Json(rows) = qorgau_server::api::referrals::board(
                State(state.clone()),
                v.principal.clone(),
                Query(BoardQuery {
                    direction: Some(direction.into()),
                }),
            )
            .await?;
            board.extend(rows.into_iter().map(|r| (direction, r)));
        }
        let pending =
            |r: &ReferralView| matches!(r.state.as_str(), "sent" | "acknowledged" | "acted");
        let to_answer = board
            .iter()
            .filter(|(d, r)| *d == "incoming" && pending(r))
            .count() as u64;
        waiting = board
            .into_iter()
            .filter(|(_, r)| pending(r))
            .map(|(_, r)| r)
            .collect::<Vec<_>>();
        waiting.sort_by(|a, b| a.acknowledge_by.cmp(&b.acknowledge_by));
        let late = waiting.iter().filter(|r| overdue(r, &now_text)).count() as u64;
        tiles.push((
            tr.t("tile-referrals-waiting"),
            to_answer,
            "/referrals",
            false,
        ));
        tiles.push((tr.t("tile-overdue"), late, "/referrals", late > 0));
    }
    let body = html! {
        ul.tiles {
            @for (label, n, href, alarm) in &tiles {
                li class=[alarm.then_some("alarm")] { a href=(href) { span.n { (n) } span.label { (label) } } }
            }
        }
        @if !waiting.is_empty() {
            section #deadlines {
                h2 { (tr.t("dashboard-deadlines")) }
                (crate::pages::referrals::table(v, &waiting, &now_text, false))
            }
        }
        @if let Some(f) = flags { (f) }
        (statistics(state, v).await)
    };
    Ok(layout::page(
        v,
        &tr.t("dashboard-title"),
        Section::Dashboard,
        body,
    ))
}

/// Cases by article and year: the national figures the study quotes
/// (section 4.1), and the platform's own criminal cases with small counts
/// suppressed (the API's table, safe to show on a projector).
async fn statistics(state: &AppState, v: &Viewer) -> Markup {
    let tr = v.tr;
    let published = qorgau_casework::statistics::PublishedFigures::study_4_1().ok();
    let own: Option<serde_json::Value> = match qorgau_server::api::reports::statistics(
        State(state.clone()),
        v.principal.clone(),
        Query(qorgau_server::api::reports::StatsQuery {
            k: None,
            format: None,
        }),
    )
    .await
    {
        Ok(response) => axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024)
            .await
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok()),
        Err(_) => None,
    };
    let chart = published.as_ref().map(|p| {
        let years: Vec<i32> = (2021..=2024).collect();
        let mut articles: Vec<String> = p.figures.iter().map(|f| f.article.clone()).collect();
        articles.sort();
        articles.dedup();
        Stacked {
            columns: years.iter().map(i32::to_string).collect(),
            series: articles
                .iter()
                .map(|a| tr.t_with("article-short", &Args::new().with("article", a.as_str())))
                .collect(),
            counts: years
                .iter()
                .map(|y| {
                    articles
                        .iter()
                        .map(|a| {
                            p.figures
                                .iter()
                                .filter(|f| f.year == *y && &f.article == a)
                                .map(|f| f.cases)
                                .sum()
                        })
                        .collect()
                })
                .collect(),
        }
    });
    html! {
        section #statistics {
            h2 { (tr.t("dashboard-statistics")) }
            @if let (Some(p), Some(chart)) = (&published, &chart) {
                h3 { (tr.t("dashboard-study-figures")) }
                (chart.render(&tr.t("dashboard-study-figures"), &tr.t("none")))
                p.hint { (p.source) ". " (tr.t("dashboard-study-figures-note")) }
            }
            @if let Some(t) = &own {
                h3 { (tr.t("dashboard-own-figures")) }
                @let rows = t["rows"].as_array().cloned().unwrap_or_default();
                @if rows.is_empty() { p.empty { (tr.t("dashboard-own-figures-empty")) } }
                @else {
                    @let regions: Vec<String> = t["regions"].as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_owned)).collect();
                    table {
                        thead { tr {
                            th { (tr.t("dashboard-article")) } th { (tr.t("dashboard-year")) }
                            @for code in &regions { th.num { (region_name(v, code)) } }
                            th.num { (tr.t("dashboard-cases")) }
                        } }
                        tbody {
                            @for r in &rows {
                                tr {
                                    td { (tr.t_with("article-short", &Args::new().with("article", r["article"].as_str().unwrap_or_default()))) }
                                    td { (r["year"].as_i64().unwrap_or_default()) }
                                    @for cell in r["cells"].as_array().into_iter().flatten() {
                                        td.num {
                                            @match cell["count"].as_u64() {
                                                Some(n) => (n),
                                                None => span title=(tr.t("dashboard-suppressed")) { "—" },
                                            }
                                        }
                                    }
                                    td.num {
                                        @if r["total"]["partial"].as_bool() == Some(true) { "≥" }
                                        (r["total"]["published"].as_u64().unwrap_or_default())
                                    }
                                }
                            }
                        }
                    }
                }
                p.hint { (tr.t_with("dashboard-own-figures-note", &Args::new().with("k", t["k"].as_u64().unwrap_or(5)))) }
            }
        }
    }
}

/// A region's name in the reader's language from its ISO 3166-2:KZ code
/// (the code itself when the gazetteer does not know it).
fn region_name(v: &Viewer, code: &str) -> String {
    match qorgau_detect::Gazetteer::builtin().region(code) {
        Some(r) => v.tr.pick(&r.ru, &r.kk, &r.en).to_owned(),
        None if code == "unknown" => v.tr.t("region-unstated"),
        None => code.to_owned(),
    }
}

/// When a document was published, if it says and it parses; else when it
/// was first seen.
fn when(d: &DocumentRecord) -> DateTime<Utc> {
    d.published_at
        .as_deref()
        .and_then(|p| {
            DateTime::parse_from_rfc3339(p)
                .map(|t| t.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d")
                        .ok()?
                        .and_hms_opt(12, 0, 0)
                        .map(|t| t.and_utc())
                })
        })
        .unwrap_or_else(|| d.first_seen.as_datetime())
}

fn flag_charts(v: &Viewer, documents: &[DocumentRecord], now: DateTime<Utc>) -> Markup {
    let tr = v.tr;
    let monday = |t: DateTime<Utc>| {
        let d = t.date_naive();
        d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
    };
    let this_week = monday(now);
    let weeks: Vec<NaiveDate> = (0..WEEKS)
        .rev()
        .map(|i| this_week - Duration::weeks(i))
        .collect();
    let mut by_scenario: BTreeMap<String, u64> = BTreeMap::new();
    let mut cells: HashMap<(NaiveDate, String), u64> = HashMap::new();
    let mut platforms: HashMap<String, u64> = HashMap::new();
    // Regions by the places each ad names (`qorgau_detect::Gazetteer`);
    // an ad naming two regions counts in both.
    let gazetteer = qorgau_detect::Gazetteer::builtin();
    let mut regions: HashMap<String, u64> = HashMap::new();
    for d in documents {
        let named = gazetteer.regions_of(&d.body);
        if named.is_empty() {
            *regions.entry(tr.t("region-unstated")).or_default() += 1;
        }
        for r in named {
            *regions
                .entry(tr.pick(&r.ru, &r.kk, &r.en).to_owned())
                .or_default() += 1;
        }
        let scenario = Assessment::parse(d.assessment.as_deref())
            .map(|a| a.scenario)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "none".into());
        let week = monday(when(d));
        if week >= weeks[0] {
            *cells.entry((week, scenario.clone())).or_default() += 1;
            *by_scenario.entry(scenario).or_default() += 1;
        }
        *platforms
            .entry(d.source.clone().unwrap_or_else(|| tr.t("platform-unknown")))
            .or_default() += 1;
    }
    let mut series: Vec<(String, u64)> = by_scenario.into_iter().collect();
    series.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let chart = Stacked {
        columns: weeks
            .iter()
            .map(|w| w.format("%d.%m").to_string())
            .collect(),
        series: series.iter().map(|(s, _)| tr.code("scenario", s)).collect(),
        counts: weeks
            .iter()
            .map(|w| {
                series
                    .iter()
                    .map(|(s, _)| cells.get(&(*w, s.clone())).copied().unwrap_or(0))
                    .collect()
            })
            .collect(),
    };
    let mut platforms: Vec<(String, u64)> = platforms.into_iter().collect();
    platforms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    platforms.truncate(10);
    let mut regions: Vec<(String, u64)> = regions.into_iter().collect();
    regions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    html! {
        section #flags {
            h2 { (tr.t("dashboard-flags")) }
            p.hint { (tr.t_with("dashboard-flags-total", &Args::new().with("count", documents.len() as u64))) }
            (chart.render(&tr.t("dashboard-flags"), &tr.t("dashboard-flags-empty")))
        }
        @if !platforms.is_empty() {
            section #platforms {
                h2 { (tr.t("dashboard-platforms")) }
                (ranking(&platforms, &tr.t("dashboard-platforms")))
            }
        }
        @if !documents.is_empty() {
            section #regions {
                h2 { (tr.t("dashboard-regions")) }
                (ranking(&regions, &tr.t("dashboard-regions")))
                p.hint { (tr.t("dashboard-regions-note")) }
            }
        }
    }
}
