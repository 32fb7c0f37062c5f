//! `qorgau log record …` and `qorgau log show …`: the OSINT reproducibility
//! log of study section 5.3 and the other custody events that acquire nothing.

use std::process::ExitCode;

use qorgau_core::{Id, Timestamp};
use qorgau_evidence::{EntryDraft, EventKind};
use qorgau_store::LedgerFilter;
use qorgau_vault::Vault;

use crate::cmd::find_case;
use crate::output::{InputError, json_line};

/// Log subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum LogCommand {
    /// Record a step: a search run, a source checked, a note, a hand-over.
    Record(RecordArgs),
    /// Show recorded entries, filtered by case, time and kind.
    Show(ShowArgs),
}

/// What kind of entry `record` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RecordKind {
    /// An investigative step (search, source checked, keywords, filters).
    Step,
    /// A free-text note.
    Note,
    /// Custody handed to another person or agency (`--to`).
    Transfer,
    /// Someone examined an item's content (`--item`).
    Viewed,
}

/// Arguments of `log record`.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The case (default: the installation-wide log).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// Kind of entry.
    #[arg(long, value_enum, default_value = "step")]
    kind: RecordKind,
    /// What was done, e.g. "searched Telegram channels", "checked OLX listing".
    #[arg(long, value_name = "TEXT")]
    action: Option<String>,
    /// A resource checked (URL, channel, site, platform); repeatable.
    #[arg(long = "source", value_name = "SOURCE")]
    sources: Vec<String>,
    /// A keyword used; repeatable.
    #[arg(long = "keyword", value_name = "WORD")]
    keywords: Vec<String>,
    /// A filter used (date range, region, language…); repeatable.
    #[arg(long = "filter", value_name = "FILTER")]
    filters: Vec<String>,
    /// The item concerned.
    #[arg(long, value_name = "ITEM-ID")]
    item: Option<String>,
    /// Receiving person or agency, for a transfer.
    #[arg(long, value_name = "WHO")]
    to: Option<String>,
    /// Free text.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Print the sealed entry as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `log show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Only this case.
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// From this time on (RFC 3339, or YYYY-MM-DD in Almaty time).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Before this time (RFC 3339, or YYYY-MM-DD in Almaty time).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only these kinds (default: investigative steps, notes, transfers,
    /// views, verifications and exports; `all` for everything).
    #[arg(long = "kind", value_name = "KIND")]
    kinds: Vec<String>,
    /// One JSON object per entry on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs a log subcommand.
pub async fn run(vault: &Vault, command: &LogCommand) -> anyhow::Result<ExitCode> {
    match command {
        LogCommand::Record(args) => record(vault, args).await,
        LogCommand::Show(args) => show(vault, args).await,
    }
}

async fn case_id(vault: &Vault, case: Option<&str>) -> anyhow::Result<Option<Id>> {
    let Some(text) = case else {
        return Ok(None);
    };
    Ok(Some(find_case(vault, text).await?.id))
}

async fn record(vault: &Vault, args: &RecordArgs) -> anyhow::Result<ExitCode> {
    let kind = match args.kind {
        RecordKind::Step => EventKind::InvestigativeStep,
        RecordKind::Note => EventKind::Note,
        RecordKind::Transfer => EventKind::Transferred,
        RecordKind::Viewed => EventKind::Viewed,
    };
    let empty = args.action.is_none()
        && args.sources.is_empty()
        && args.keywords.is_empty()
        && args.note.is_none();
    if empty {
        return Err(InputError(
            "say what was done: give --action, --source, --keyword or --note".into(),
        )
        .into());
    }
    if matches!(args.kind, RecordKind::Transfer) && args.to.is_none() {
        return Err(InputError("a transfer needs --to WHO".into()).into());
    }
    let case_id = case_id(vault, args.case.as_deref()).await?;
    let item_id = match &args.item {
        Some(text) => {
            let id = Id::parse(text).map_err(|e| InputError(e.to_string()))?;
            let item = vault
                .store
                .item(id)
                .await?
                .ok_or_else(|| InputError(format!("there is no item {id}")))?;
            if case_id.is_some_and(|c| c != item.case_id) {
                return Err(InputError(format!("item {id} does not belong to that case")).into());
            }
            Some(item)
        }
        None => None,
    };
    let mut draft = EntryDraft::now(kind, vault.actor.clone(), vault.tool.clone());
    draft.case_id = case_id.or(item_id.as_ref().map(|i| i.case_id));
    draft.item_id = item_id.as_ref().map(|i| i.id);
    draft.subject_digest = item_id.as_ref().map(|i| i.record_digest());
    let mut details = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        details.insert(key.to_owned(), value);
    };
    if let Some(action) = &args.action {
        put("action", action.clone().into());
    }
    if !args.sources.is_empty() {
        put("sources", args.sources.clone().into());
    }
    if !args.keywords.is_empty() {
        put("keywords", args.keywords.clone().into());
    }
    if !args.filters.is_empty() {
        put("filters", args.filters.clone().into());
    }
    if let Some(to) = &args.to {
        put("to", to.clone().into());
    }
    if let Some(note) = &args.note {
        put("note", note.clone().into());
    }
    draft.details = serde_json::Value::Object(details).to_string();
    let sealed = vault.store.append(vec![draft], &vault.key).await?;
    for entry in &sealed {
        if args.json {
            json_line(entry);
        } else {
            eprintln!(
                "recorded {} as ledger entry {}#{} at {} (Almaty {})",
                entry.kind,
                entry.chain,
                entry.seq,
                entry.at,
                entry.at.to_almaty_string()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(vault: &Vault, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let parse_time = |t: &Option<String>, flag: &str| -> anyhow::Result<Option<Timestamp>> {
        t.as_deref()
            .map(|text| {
                Timestamp::parse_human(text).map_err(|e| InputError(format!("{flag}: {e}")).into())
            })
            .transpose()
    };
    let mut kinds = Vec::new();
    for k in &args.kinds {
        if k == "all" {
            kinds = EventKind::ALL.to_vec();
            break;
        }
        kinds.push(EventKind::parse(k).ok_or_else(|| {
            let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            InputError(format!(
                "unknown kind {k:?}; one of: all, {}",
                names.join(", ")
            ))
        })?);
    }
    if kinds.is_empty() {
        kinds = vec![
            EventKind::InvestigativeStep,
            EventKind::Note,
            EventKind::Transferred,
            EventKind::Viewed,
            EventKind::Verified,
            EventKind::Exported,
        ];
    }
    let filter = LedgerFilter {
        case_id: case_id(vault, args.case.as_deref()).await?,
        since: parse_time(&args.since, "--since")?,
        until: parse_time(&args.until, "--until")?,
        kinds,
        item_id: None,
    };
    for entry in vault.store.ledger(&filter).await? {
        if args.json {
            json_line(&entry);
        } else {
            println!(
                "{}  (Almaty {})  {}#{}  {}  {}@{}  {}",
                entry.at,
                entry.at.to_almaty_string(),
                entry.chain,
                entry.seq,
                entry.kind,
                entry.actor.user,
                entry.actor.host,
                entry.details
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
