//! What `qorgau serve --demo` puts into a fresh data directory: a synthetic
//! regional unit with people in five agencies, a monitoring archive of ads
//! judged by the real detection pipeline, the signals they raised, and two
//! cases opened and routed through the API's own handlers — enough that
//! every page of the interface has something real to show.
//!
//! Every name, handle, phone number, card and site in it is invented (sites
//! under `.example`); nothing here is or was about a real person.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::{Path as UrlPath, State};
use qorgau_core::{CaseName, Id, Sha256Digest, Timestamp};
use qorgau_evidence::{EntryDraft, EventKind};
use qorgau_monitor::{Filters, JobSpec, SourceKind};
use qorgau_response::{Identifier, IdentifierKind, SignalDraft, SignalSource};
use qorgau_routing::CaseFacts;
use qorgau_scan::{Pipeline, PipelineOptions, link};
use qorgau_server::api::cases::{NewCase, NewNote, NewPerson, TaskChange};
use qorgau_server::api::directory::{NewUser, create_user};
use qorgau_server::auth::{Credential, Principal};
use qorgau_server::json::Body;
use qorgau_server::{AppState, seed};
use qorgau_sources::Document;
use qorgau_store::{DocumentChange, DocumentWrite, JobRecord, RunRecord};
use qorgau_vault::Vault;
use qorgau_vault::acquire::{self, AcquireObserver, AddRequest};
use serde::Deserialize;
use sha2::Digest;

/// The password of every demo account (printed at start; never use the demo
/// data directory for real work).
pub const DEMO_PASSWORD: &str = "Demo-Qorgau-2026";

/// Marks a data directory the demo filled, so that a second start reuses it
/// and a real installation is never filled with demo data.
const MARKER: &str = "demo-data.json";

/// The demo's accounts: user name, display name, agency code, roles.
pub const ACCOUNTS: [(&str, &str, &str, &[&str]); 7] = [
    (
        "investigator",
        "Айгуль Сериккызы (демо)",
        "mvd-cyber",
        &["investigator", "analyst"],
    ),
    (
        "analyst",
        "Данияр Ахметов (демо)",
        "mvd-cyber",
        &["analyst"],
    ),
    (
        "prosecutor",
        "Марат Калиев (демо)",
        "prosecutor",
        &["prosecutor"],
    ),
    ("ngo", "Сауле Нурланова (демо)", "ngo", &["ngo_worker"]),
    (
        "social",
        "Гульнара Оспанова (демо)",
        "social-services",
        &["social_worker"],
    ),
    (
        "supervisor",
        "Ерлан Жаксылыков (демо)",
        "mvd-cyber",
        &["supervisor"],
    ),
    (
        "admin",
        "Администратор (демо)",
        "mvd-cyber",
        &["administrator"],
    ),
];

#[derive(Debug, Deserialize)]
struct Ad {
    id: String,
    source: String,
    weeks_ago: i64,
    author: String,
    title: String,
    text: String,
    /// When monitoring first and last saw it (days ago), for ads the
    /// archive followed over time — the mirror sites hopping domains; the
    /// others are all seen by one run now.
    #[serde(default)]
    seen_days_ago: Option<[i64; 2]>,
    /// When a later run found it gone (days ago).
    #[serde(default)]
    deleted_days_ago: Option<i64>,
    /// Its pictures, as a monitoring run records them after fetching and
    /// hashing them (synthetic hashes): the casting account shows the
    /// agency's photo, which links it to the agency's network.
    #[serde(default)]
    images: Vec<qorgau_sources::ImageRef>,
}

const ADS: &str = include_str!("../../demo/ads.jsonl");

struct Quiet;
impl AcquireObserver for Quiet {}

/// Fills `vault` with the demo data set unless it already holds it.
/// Refuses a data directory with accounts the demo did not make.
pub async fn seed_once(vault: &Arc<Vault>, state: &AppState) -> anyhow::Result<bool> {
    let marker = vault.data_dir.join(MARKER);
    if marker.exists() {
        return Ok(false);
    }
    if vault.store.user_count().await? > 0 {
        anyhow::bail!(crate::output::InputError(format!(
            "--demo fills a fresh data directory with synthetic data, and {} already holds \
             accounts; give the demo its own --data-dir",
            vault.data_dir.display()
        )));
    }
    seed::default_agencies(vault)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut users = Vec::new();
    for (username, display_name, agency, roles) in ACCOUNTS {
        let user = create_user(
            state,
            NewUser {
                username: username.into(),
                display_name: display_name.into(),
                agency: agency.into(),
                roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                password: DEMO_PASSWORD.into(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo account {username}: {e}"))?;
        users.push(user);
    }
    let investigator = Principal {
        user: users[0].clone(),
        credential: Credential::Token { id: Id::new() },
    };
    let documents = monitoring_archive(vault).await?;
    let signals = raise_signals(state, &documents).await?;
    open_cases(vault, state, &investigator, &signals).await?;
    dismiss_one(state, &investigator, &signals).await?;
    import_transfers(vault).await?;
    register_identity(state, &users[5]).await?;
    std::fs::write(
        &marker,
        serde_json::json!({
            "seeded_at": Timestamp::now().to_utc_string(),
            "accounts": ACCOUNTS.iter().map(|a| a.0).collect::<Vec<_>>(),
        })
        .to_string(),
    )
    .with_context(|| format!("writing {}", marker.display()))?;
    Ok(true)
}

/// A flagged document, as the signals and cases need it.
struct Flagged {
    document: String,
    url: String,
    summary: String,
    scenario: Option<String>,
    risk: f64,
    identifiers: Vec<Identifier>,
}

/// Runs the ads through the detection pipeline (assess, then cluster and
/// link) and stores them as monitoring runs with their OSINT-log entries:
/// earlier runs for the ads followed over days (a site hopping from
/// kyzdar-demo.example to kyzdar-demo2.example to kyzdar-demo3.example as
/// each is blocked), one run now with the rest, then a run that finds two
/// of them deleted.
async fn monitoring_archive(vault: &Vault) -> anyhow::Result<Vec<Flagged>> {
    let ads: Vec<Ad> = ADS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("the demo's ads (demo/ads.jsonl)")?;
    let now = Timestamp::now();
    let pipeline = Pipeline::new(&PipelineOptions::default())?;
    let docs: Vec<Document> = ads
        .iter()
        .map(|ad| {
            let published = now.as_datetime() - chrono::Duration::days(ad.weeks_ago * 7 + 1);
            let mut doc = Document {
                id: ad.id.clone(),
                text: ad.text.clone(),
                url: Some(url_of(ad)),
                source: Some(ad.source.clone()),
                author: Some(ad.author.clone()).filter(|a| !a.is_empty()),
                published_at: Some(published.to_rfc3339()),
                extra: serde_json::Map::new(),
            };
            doc.set_images(ad.images.clone());
            doc
        })
        .collect();
    let mut assessed: Vec<_> = docs.iter().map(|d| pipeline.assess(d)).collect();
    link(&mut assessed, qorgau_network::NetworkOptions::default());
    let spec = JobSpec {
        name: "demo-channels".into(),
        kind: SourceKind::Urls,
        targets: vec!["https://olx-demo.example/jobs".into()],
        keywords: Vec::new(),
        filters: Filters::default(),
        interval_secs: 3600,
    };
    let job = JobRecord {
        id: Id::new(),
        spec,
        case_id: None,
        created_at: now,
        created_by: vault.actor.user.clone(),
        enabled: false,
        last_run_at: None,
    };
    vault.store.create_job(&job).await?;
    let writes: Vec<DocumentWrite> = docs
        .iter()
        .zip(&assessed)
        .zip(&ads)
        .map(|((d, a), ad)| DocumentWrite {
            change: DocumentChange::New,
            key: d.id.clone(),
            url: d.url.clone(),
            source: d.source.clone(),
            author: d.author.clone(),
            title: Some(ad.title.clone()),
            published_at: d.published_at.clone(),
            body: d.text.clone(),
            content: digest(&d.text),
            lang: Some(a.record.lang.clone()),
            risk: Some(f64::from(a.record.risk)),
            flagged: a.record.flagged,
            assessment: serde_json::to_string(&a.record).ok(),
        })
        .collect();
    // Runs days back, in time order: when each followed ad was first seen,
    // seen again, and found gone.
    let mut earlier: std::collections::BTreeMap<i64, Vec<DocumentWrite>> =
        std::collections::BTreeMap::new();
    for (w, ad) in writes.iter().zip(&ads) {
        let Some([first, last]) = ad.seen_days_ago else {
            continue;
        };
        let mut at = |days: i64, change: DocumentChange| {
            earlier.entry(days).or_default().push(DocumentWrite {
                change,
                ..w.clone()
            });
        };
        at(first, DocumentChange::New);
        if last < first {
            at(last, DocumentChange::Unchanged);
        }
        if let Some(gone) = ad.deleted_days_ago {
            at(gone, DocumentChange::Deleted);
        }
    }
    for (days, run) in earlier.iter().rev().filter(|(days, _)| **days > 0) {
        let at = Timestamp::from_datetime(now.as_datetime() - chrono::Duration::days(*days));
        save_run_at(
            vault,
            &job,
            run,
            "demo: synthetic ads followed over days",
            at,
        )
        .await?;
    }
    let mut current: Vec<DocumentWrite> = writes
        .iter()
        .zip(&ads)
        .filter(|(_, ad)| ad.seen_days_ago.is_none())
        .map(|(w, _)| w.clone())
        .collect();
    current.extend(earlier.remove(&0).unwrap_or_default());
    save_run(vault, &job, &current, "demo: synthetic ads").await?;
    // The last run: an ad is gone from its channel (the archive of deleted
    // ads keeps it, with the time it was last seen); two mirror-site ads
    // were found gone days ago.
    let gone: Vec<DocumentWrite> = writes
        .iter()
        .filter(|w| w.key == "a15")
        .map(|w| DocumentWrite {
            change: DocumentChange::Deleted,
            ..w.clone()
        })
        .collect();
    save_run(vault, &job, &gone, "demo: an ad deleted").await?;
    let stored = vault
        .store
        .documents(&qorgau_store::DocumentFilter {
            job_id: Some(job.id),
            ..qorgau_store::DocumentFilter::default()
        })
        .await?;
    let id_of = |key: &str| {
        stored
            .iter()
            .find(|d| d.key == key)
            .map(|d| d.id.to_string())
            .unwrap_or_default()
    };
    Ok(writes
        .iter()
        .zip(&assessed)
        .filter(|(w, _)| w.flagged)
        .map(|(w, a)| Flagged {
            document: id_of(&w.key),
            url: w.url.clone().unwrap_or_default(),
            summary: w.body.chars().take(300).collect(),
            scenario: Some(a.record.scenario.clone()).filter(|s| s != "none"),
            risk: f64::from(a.record.risk),
            identifiers: a
                .record
                .identifiers
                .iter()
                .filter_map(|i| {
                    let kind = match i.kind.as_str() {
                        "phone" => IdentifierKind::Phone,
                        "email" => IdentifierKind::Email,
                        "card" => IdentifierKind::Card,
                        "telegram" | "instagram" | "whatsapp" | "tiktok" => IdentifierKind::Handle,
                        _ => return None,
                    };
                    let value = if kind == IdentifierKind::Handle {
                        format!("{}:{}", i.kind, i.value)
                    } else {
                        i.value.clone()
                    };
                    Some(Identifier { kind, value })
                })
                .collect(),
        })
        .collect())
}

fn url_of(ad: &Ad) -> String {
    match ad.source.strip_prefix("telegram:@") {
        Some(channel) => format!("https://t.me/{channel}/{}", &ad.id[1..]),
        None => format!("https://{}/ad/{}", ad.source, ad.id),
    }
}

fn digest(text: &str) -> Sha256Digest {
    Sha256Digest::from_bytes(sha2::Sha256::digest(text.as_bytes()).into())
}

async fn save_run(
    vault: &Vault,
    job: &JobRecord,
    writes: &[DocumentWrite],
    what: &str,
) -> anyhow::Result<()> {
    save_run_at(vault, job, writes, what, Timestamp::now()).await
}

/// A run as if made at `now` (the demo's earlier runs are days back).
async fn save_run_at(
    vault: &Vault,
    job: &JobRecord,
    writes: &[DocumentWrite],
    what: &str,
    now: Timestamp,
) -> anyhow::Result<()> {
    let run = RunRecord {
        id: Id::new(),
        job_id: job.id,
        started_at: now,
        finished_at: now,
        operator: vault.actor.user.clone(),
        host: vault.actor.host.clone(),
        status: "ok".into(),
        counts: serde_json::json!({ "documents": writes.len() }),
        requests: serde_json::json!([]),
        errors: serde_json::json!([]),
    };
    let mut draft = EntryDraft::now(
        EventKind::InvestigativeStep,
        vault.actor.clone(),
        vault.tool.clone(),
    );
    draft.details = serde_json::json!({
        "action": "monitoring run",
        "job": job.spec.name,
        "run_id": run.id.to_string(),
        "note": what,
        "documents": writes.len(),
    })
    .to_string();
    vault
        .store
        .save_run(&run, writes, draft, &vault.key)
        .await?;
    Ok(())
}

/// Every flagged ad becomes a detection signal; a citizen's complaint and a
/// partner's report join them. Returns the signal ids, riskiest first.
async fn raise_signals(
    state: &AppState,
    flagged: &[Flagged],
) -> anyhow::Result<Vec<(String, Option<String>)>> {
    let mut drafts: Vec<(SignalDraft, String, Option<String>)> = flagged
        .iter()
        .map(|f| {
            (
                SignalDraft {
                    source: SignalSource::Detection,
                    resource: Some(f.url.clone()),
                    identifiers: f.identifiers.clone(),
                    summary: f.summary.clone(),
                    scenario: f.scenario.clone(),
                    risk: Some(f.risk),
                },
                "detection".to_owned(),
                Some(f.document.clone()),
            )
        })
        .collect();
    drafts.sort_by(|a, b| b.0.risk.unwrap_or(0.0).total_cmp(&a.0.risk.unwrap_or(0.0)));
    drafts.push((
        SignalDraft {
            source: SignalSource::Complaint,
            resource: None,
            identifiers: vec![Identifier {
                kind: IdentifierKind::Phone,
                value: "+7 705 555 03 33".into(),
            }],
            summary: "Мою сестру позвали на работу в Корею, сказали отдать паспорт координатору и \
                      перевести деньги за визу. Теперь она не выходит на связь."
                .into(),
            scenario: None,
            risk: None,
        },
        "public-form".to_owned(),
        None,
    ));
    let mut ids = Vec::new();
    for (draft, reporter, document) in drafts {
        let keys = draft.keys().map_err(|e| anyhow::anyhow!("{e}"))?;
        let intake = state
            .take_signal(draft, keys, &reporter, None, Timestamp::now())
            .await?;
        ids.push((intake.signal_id.to_string(), document));
    }
    Ok(ids)
}

/// Two cases through the API's handlers: one opened five days ago (its
/// referrals' acknowledgement deadlines have passed: the board shows them
/// in red), one opened today; evidence, persons, notes and checklist
/// progress on the first.
async fn open_cases(
    vault: &Arc<Vault>,
    state: &AppState,
    investigator: &Principal,
    signals: &[(String, Option<String>)],
) -> anyhow::Result<()> {
    let api = |e: qorgau_server::ApiError| anyhow::anyhow!("demo case: {e}");
    let Some((first, first_document)) = signals.first() else {
        return Ok(());
    };
    // A clock of its own, five days back, for the older case only.
    let past = qorgau_server::state(vault.clone(), (*state.config).clone())?;
    past.clock.rewind(Duration::from_secs(5 * 24 * 3600));
    let (_, axum::Json(opened)) = qorgau_server::api::cases::open(
        State(past.clone()),
        investigator.clone(),
        Body(NewCase {
            title: "Вербовка девушек «официантками» в Дубай через Telegram".into(),
            kind: None,
            name: Some("DEMO-2026-014".into()),
            facts: Some(CaseFacts {
                minor_involved: true,
                victim_identified: true,
                victim_consent: true,
                foreign_hosting: true,
                region: Some("KZ-75".into()),
                ..CaseFacts::default()
            }),
            signals: vec![first.clone()],
            resources: Vec::new(),
            identifiers: Vec::new(),
        }),
    )
    .await
    .map_err(api)?;
    let case = opened.view.case.id.clone();
    attach(state, investigator, &case, first_document.as_deref()).await?;
    for (role, label) in [
        ("victim", "Пострадавшая А. (17 лет)"),
        ("suspect", "@dubai_hr_demo"),
        ("witness", "Свидетель Б."),
    ] {
        let _person = qorgau_server::api::cases::add_person(
            State(state.clone()),
            investigator.clone(),
            UrlPath(case.clone()),
            Body(NewPerson {
                role: role.into(),
                label: label.into(),
            }),
        )
        .await
        .map_err(api)?;
    }
    let _note = qorgau_server::api::cases::add_note(
        State(state.clone()),
        investigator.clone(),
        UrlPath(case.clone()),
        Body(NewNote {
            body: "Канал и объявления зафиксированы; запрошено сохранение данных у платформы. \
                   Все сведения демонстрационные."
                .into(),
        }),
    )
    .await
    .map_err(api)?;
    if let Some(tasks) = opened.view.tasks {
        for task in tasks.iter().take(4) {
            let _task = qorgau_server::api::cases::change_task(
                State(state.clone()),
                investigator.clone(),
                UrlPath((case.clone(), task.id.clone())),
                Body(TaskChange {
                    status: "done".into(),
                    assignee: Some("investigator".into()),
                }),
            )
            .await
            .map_err(api)?;
        }
    }
    let root = crate::cmd::demo::write_samples(&vault.data_dir.join("demo-samples"))?;
    acquire::add(
        vault,
        &AddRequest {
            paths: vec![root],
            case: CaseName::parse("DEMO-2026-014").context("demo case name")?,
            note: Some("demo: synthetic seized folder".into()),
        },
        &Quiet,
    )
    .await?;
    if let Some((second, second_document)) = signals.get(1) {
        let (_, axum::Json(opened)) = qorgau_server::api::cases::open(
            State(state.clone()),
            investigator.clone(),
            Body(NewCase {
                title: "Предоплата за «визу» в Корею на карту-дроппер".into(),
                kind: None,
                name: Some("DEMO-2026-021".into()),
                facts: Some(CaseFacts {
                    crypto_involved: true,
                    foreign_suspects: true,
                    ..CaseFacts::default()
                }),
                signals: vec![second.clone()],
                resources: Vec::new(),
                identifiers: Vec::new(),
            }),
        )
        .await
        .map_err(api)?;
        attach(
            state,
            investigator,
            &opened.view.case.id,
            second_document.as_deref(),
        )
        .await?;
    }
    Ok(())
}

/// The least risky detection signal not in a case, dismissed as a licensed
/// agency with the analyst's reason: what the lexicon's review reads.
async fn dismiss_one(
    state: &AppState,
    investigator: &Principal,
    signals: &[(String, Option<String>)],
) -> anyhow::Result<()> {
    let Some((id, _)) = signals
        .iter()
        .skip(2)
        .rev()
        .find(|(_, document)| document.is_some())
    else {
        return Ok(());
    };
    let _dismissed = qorgau_server::api::signals::dismiss(
        State(state.clone()),
        investigator.clone(),
        UrlPath(id.clone()),
        Body(qorgau_server::api::signals::Dismissal {
            category: "legitimate".into(),
            reason: "Лицензированное агентство, лицензия проверена по реестру (демо)".into(),
        }),
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo dismissal: {e}"))?;
    Ok(())
}

async fn attach(
    state: &AppState,
    investigator: &Principal,
    case: &str,
    document: Option<&str>,
) -> anyhow::Result<()> {
    if let Some(document) = document.filter(|d| !d.is_empty()) {
        let _attached = qorgau_server::api::cases::attach_document(
            State(state.clone()),
            investigator.clone(),
            UrlPath(case.to_owned()),
            Body(qorgau_server::api::cases::AttachDocument {
                document: document.to_owned(),
            }),
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo case: {e}"))?;
    }
    Ok(())
}

/// A controlled Telegram account of the cyber-police, registered by the
/// supervisor with a court authorisation valid for ninety days, so that an
/// investigator can open an operation (after acknowledging every safeguard).
async fn register_identity(
    state: &AppState,
    supervisor: &qorgau_response::User,
) -> anyhow::Result<()> {
    let principal = Principal {
        user: supervisor.clone(),
        credential: Credential::Token { id: Id::new() },
    };
    let now = Timestamp::now().as_datetime();
    let new = serde_json::from_value(serde_json::json!({
        "handles": [{"platform": "telegram", "handle": "@aruzhan_demo_op"}],
        "officer": "investigator",
        "authorisations": [{
            "number": "ДЕМО-2-17/2026",
            "court": "Специализированный межрайонный следственный суд г. Алматы (демо)",
            "judge": "Судья (демо)",
            "valid_from": (now - chrono::Duration::days(1)).to_rfc3339(),
            "valid_until": (now + chrono::Duration::days(90)).to_rfc3339(),
            "platforms": ["telegram"],
        }],
    }))
    .context("the demo identity")?;
    let _registered =
        qorgau_server::api::identities::register(State(state.clone()), principal, Body(new))
            .await
            .map_err(|e| anyhow::anyhow!("demo identity: {e}"))?;
    Ok(())
}

/// A Luhn-valid card number of 16 digits starting with `prefix`.
fn card(prefix: &str, n: u32) -> String {
    let body = format!("{prefix}{n:0width$}", width = 15 - prefix.len());
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let d = d * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The Korea case's bank statement: two dozen people pay "visa fees" to the
/// card in the ad (fan-in to a dropper), most of it leaves within hours
/// (pass-through), and moves on in amounts just under the reporting
/// threshold (structuring). Imported through `qorgau money import`.
async fn import_transfers(vault: &Vault) -> anyhow::Result<()> {
    use clap::Parser;
    #[derive(Parser)]
    struct Demo {
        #[command(subcommand)]
        command: crate::cmd::money::MoneyCommand,
    }
    let dropper = "4111111111111111";
    let collector = card("440043", 777);
    let cash_out = card("440043", 888);
    let start = Timestamp::now().as_datetime() - chrono::Duration::days(4);
    let at = |minutes: i64| (start + chrono::Duration::minutes(minutes)).to_rfc3339();
    let mut csv = String::from("time,from,to,amount,currency\n");
    let mut received = 0u64;
    for i in 0..24u32 {
        let amount = 150_000 - u64::from(i % 5) * 10_000;
        received += amount;
        csv.push_str(&format!(
            "{},{},{dropper},{amount},KZT\n",
            at(i64::from(i) * 95),
            card("440043", 100 + i)
        ));
    }
    let mut left = received * 85 / 100;
    for k in 0..4 {
        let part = if k == 3 { left } else { left / (4 - k) };
        left -= part;
        csv.push_str(&format!(
            "{},{dropper},{collector},{part},KZT\n",
            at(24 * 95 + 30 + k as i64 * 40)
        ));
    }
    for k in 0..3 {
        csv.push_str(&format!(
            "{},{collector},{cash_out},990000,KZT\n",
            at(24 * 95 + 300 + k * 50)
        ));
    }
    let file = vault
        .data_dir
        .join("demo-samples")
        .join("bank-statement.csv");
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&file, csv).with_context(|| format!("writing {}", file.display()))?;
    let path = file.display().to_string();
    let parsed = Demo::try_parse_from([
        "qorgau",
        "import",
        path.as_str(),
        "--format",
        "bank-csv",
        "--map",
        "time=time,from=from,to=to,amount=amount,currency=currency",
        "--case",
        "DEMO-2026-021",
    ])
    .map_err(|e| anyhow::anyhow!("the demo's import: {e}"))?;
    crate::cmd::money::run(vault, &parsed.command).await?;
    Ok(())
}

/// The demo's data directory when none is given: beside the checkout, so a
/// newcomer's real data directory never sees demo data.
pub fn default_dir() -> &'static Path {
    Path::new(".qorgau-demo/server")
}
