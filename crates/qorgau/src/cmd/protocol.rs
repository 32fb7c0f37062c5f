//! `qorgau protocol CAPTURE|CASE --lang ru|kk|en --format pdf|html [--out FILE]`
//!
//! The protocol of inspection of an internet resource («протокол осмотра
//! интернет-ресурса») for one capture or every capture of a case, built
//! from what the vault holds: the capture records, their items (each read
//! back and checked against its SHA-256), the screenshots, the ledger entry
//! that vouches for each capture and the installation's public key.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use qorgau_core::Id;
use qorgau_evidence::{CaptureRecord, EntryDraft, EventKind, ItemRecord};
use qorgau_protocol::{
    Action, FileRow, Format, Inspection, Lang, Participant, Person, Role, Screenshot, Step, Target,
    TimeStamp, Tls, Tool, Verification,
};
use qorgau_store::{CaptureFilter, ItemFilter, LedgerFilter};
use qorgau_vault::Vault;

use crate::output::{InputError, json_line};

/// Arguments of `protocol`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A capture id, or a case name (every capture of the case).
    #[arg(value_name = "CAPTURE|CASE")]
    subject: String,
    /// Language of the protocol: ru (primary), kk or en.
    #[arg(long, default_value = "ru")]
    lang: String,
    /// pdf or html.
    #[arg(long, default_value = "pdf")]
    format: String,
    /// Where to write it (default: `protocol-SUBJECT-LANG.FORMAT` here).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The inspector's position («следователь СУ ДП г. Алматы»).
    #[arg(long, value_name = "TEXT", default_value = "")]
    position: String,
    /// The inspector's agency.
    #[arg(long, value_name = "TEXT", default_value = "")]
    agency: String,
    /// The inspector's full name (default: the operator who captured).
    #[arg(long, value_name = "NAME")]
    inspector: Option<String>,
    /// Where the inspection took place («г. Алматы, ул. …, каб. 12»).
    #[arg(long, value_name = "TEXT")]
    place: Option<String>,
    /// Grounds for the inspection (the report, the article, the instruction).
    #[arg(long, value_name = "TEXT")]
    grounds: Option<String>,
    /// A participant, `specialist:Name`, `witness:Name`, `interpreter:Name` (repeatable).
    #[arg(long, value_name = "ROLE:NAME")]
    participant: Vec<String>,
    /// The reference of the decision that authorises a screenshot marked
    /// as suspected child sexual abuse material to be printed in the
    /// protocol (recorded in the ledger); without it such a protocol is
    /// refused.
    #[arg(long, value_name = "REFERENCE")]
    restricted_authorisation: Option<String>,
    /// Print a JSON line describing the file written.
    #[arg(long)]
    json: bool,
}

/// Runs `protocol`.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let lang: Lang = args
        .lang
        .parse()
        .map_err(|e| InputError(format!("--lang: {e}")))?;
    let format: Format = args
        .format
        .parse()
        .map_err(|e| InputError(format!("--format: {e}")))?;
    let participants = args
        .participant
        .iter()
        .map(|p| participant(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (captures, case_name) = subject(vault, &args.subject).await?;
    if captures.is_empty() {
        return Err(InputError(format!(
            "case {:?} has no captures to describe",
            args.subject
        ))
        .into());
    }
    let mut targets = Vec::new();
    let mut files = Vec::new();
    let mut time_stamps = Vec::new();
    let mut signature = None;
    for c in &captures {
        let items = vault
            .store
            .items(&ItemFilter {
                acquisition_id: Some(c.acquisition_id),
                ..ItemFilter::default()
            })
            .await?;
        let summary: serde_json::Value =
            serde_json::from_str(&c.summary).unwrap_or(serde_json::Value::Null);
        // The screenshot is printed: a marked one leaves the vault.
        let shots: Vec<ItemRecord> = items
            .iter()
            .filter(|i| i.file_name == "screenshot.png")
            .cloned()
            .collect();
        qorgau_vault::restricted::authorise_export(
            vault,
            &shots,
            args.restricted_authorisation.as_deref(),
            "protocol of inspection (screenshot printed)",
        )
        .await?;
        targets.push(target(vault, c, &summary, &items).await?);
        files.extend(items.iter().map(|i| FileRow {
            name: i.relative_path.clone(),
            kind: role_of(&summary, i),
            size: i.size,
            md5: i.md5.to_hex(),
            sha256: i.sha256.to_hex(),
        }));
        if let (Some(token), Some(authority)) = (&c.time_stamp, &c.time_stamp_authority) {
            time_stamps.push(time_stamp(token, authority)?);
        }
        if captures.len() == 1 {
            signature = entry_signature(vault, c).await?;
        }
    }
    let first = &captures[0];
    let started_at = captures
        .iter()
        .map(|c| c.started_at.as_datetime())
        .min()
        .unwrap_or_else(Utc::now);
    let finished_at = captures
        .iter()
        .map(|c| c.finished_at.as_datetime())
        .max()
        .unwrap_or_else(Utc::now);
    let first_summary: serde_json::Value =
        serde_json::from_str(&first.summary).unwrap_or(serde_json::Value::Null);
    let inspection = Inspection {
        case_id: case_name.clone(),
        case_title: case_name.clone(),
        place: args.place.clone(),
        inspector: Person {
            name: args
                .inspector
                .clone()
                .unwrap_or_else(|| first.captured_by.user.clone()),
            position: args.position.clone(),
            agency: args.agency.clone(),
        },
        participants,
        started_at,
        finished_at,
        tool: Tool {
            name: first.tool.name.clone(),
            version: first.tool.version.clone(),
        },
        host_name: first.captured_by.host.clone(),
        source_address: first_summary["source_address"].as_str().map(str::to_owned),
        grounds: args.grounds.clone(),
        targets,
        files,
        verification: Verification {
            public_key: vault.key.public().to_pem(),
            manifest_sha256: (captures.len() == 1).then(|| first.manifest_sha256.to_hex()),
            signature,
        },
        time_stamps,
    };
    let bytes = qorgau_protocol::render(&inspection, lang, format)
        .with_context(|| format!("rendering the protocol of {}", args.subject))?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "protocol-{}-{}.{}",
            file_safe(&args.subject),
            args.lang,
            format.extension()
        ))
    });
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    // The protocol handed over is itself on the record.
    let mut draft = EntryDraft::now(
        EventKind::InvestigativeStep,
        vault.actor.clone(),
        vault.tool.clone(),
    );
    draft.case_id = Some(first.case_id);
    draft.details = serde_json::json!({
        "action": "protocol",
        "captures": captures.iter().map(|c| c.id.to_string()).collect::<Vec<_>>(),
        "language": args.lang,
        "format": args.format,
        "file": out.display().to_string(),
        "sha256": sha256,
        "bytes": bytes.len(),
    })
    .to_string();
    vault.store.append(vec![draft], &vault.key).await?;
    if args.json {
        json_line(&serde_json::json!({
            "file": out.display().to_string(),
            "bytes": bytes.len(),
            "sha256": sha256,
            "captures": captures.len(),
            "lang": args.lang,
            "format": args.format,
        }));
    } else {
        eprintln!(
            "wrote {} ({} bytes, sha256 {sha256}) for {} capture(s)",
            out.display(),
            bytes.len(),
            captures.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The captures a subject names: one capture by id, or a case's captures.
async fn subject(vault: &Vault, text: &str) -> anyhow::Result<(Vec<CaptureRecord>, String)> {
    if let Ok(id) = Id::parse(text)
        && let Some(c) = vault.store.capture(id).await?
    {
        let case = vault
            .store
            .cases()
            .await?
            .into_iter()
            .find(|k| k.id == c.case_id)
            .map_or_else(|| c.case_id.to_string(), |k| k.name.as_str().to_owned());
        return Ok((vec![c], case));
    }
    let case = crate::cmd::find_case(vault, text)
        .await
        .map_err(|_| InputError(format!("{text:?} is neither a capture id nor a case")))?;
    let captures = vault
        .store
        .captures(&CaptureFilter {
            case_id: Some(case.id),
            ..CaptureFilter::default()
        })
        .await?;
    Ok((captures, case.name.as_str().to_owned()))
}

fn participant(text: &str) -> anyhow::Result<Participant> {
    let (role, name) = text.split_once(':').ok_or_else(|| {
        InputError(format!(
            "--participant {text:?}: expected ROLE:NAME (specialist, witness, interpreter, other)"
        ))
    })?;
    let role = match role.trim().to_ascii_lowercase().as_str() {
        "specialist" => Role::Specialist,
        "witness" | "attesting" => Role::Witness,
        "interpreter" => Role::Interpreter,
        "other" => Role::Other,
        r => {
            return Err(InputError(format!(
                "--participant {text:?}: unknown role {r:?} (specialist, witness, interpreter, other)"
            ))
            .into());
        }
    };
    Ok(Participant {
        role,
        name: name.trim().to_owned(),
        details: None,
    })
}

/// One inspected resource, from its capture record, summary and items.
async fn target(
    vault: &Vault,
    c: &CaptureRecord,
    summary: &serde_json::Value,
    items: &[ItemRecord],
) -> anyhow::Result<Target> {
    let at = |t: &qorgau_core::Timestamp| t.as_datetime();
    let mut steps = vec![Step {
        at: at(&c.started_at),
        action: Action::Open { url: c.url.clone() },
    }];
    for r in summary["redirects"].as_array().into_iter().flatten() {
        steps.push(Step {
            at: at(&c.started_at),
            action: Action::Redirect {
                from: r["from"].as_str().unwrap_or_default().to_owned(),
                to: r["to"].as_str().unwrap_or_default().to_owned(),
                status: r["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(0),
            },
        });
    }
    let finished = at(&c.finished_at);
    if c.partial.is_some() {
        steps.push(Step {
            at: finished,
            action: Action::Note {
                text: c.partial.clone().unwrap_or_default(),
            },
        });
    } else {
        steps.push(Step {
            at: finished,
            action: Action::Loaded,
        });
    }
    if summary["scrolled"].as_bool() == Some(true) {
        steps.push(Step {
            at: finished,
            action: Action::Scrolled,
        });
    }
    let mut screenshots = Vec::new();
    for i in items {
        let file = i.relative_path.clone();
        let action = match i.file_name.as_str() {
            "screenshot.png" => {
                screenshots.push(Screenshot {
                    name: file.clone(),
                    png: crate::cmd::read_item(vault, i).await?,
                    sha256: i.sha256.to_hex(),
                });
                Some(Action::Screenshot { file })
            }
            "dom.html" => Some(Action::SavedHtml { file }),
            n if n.ends_with(".warc.gz") => Some(Action::SavedWarc { file }),
            _ => None,
        };
        if let Some(action) = action {
            steps.push(Step {
                at: finished,
                action,
            });
        }
    }
    steps.push(Step {
        at: finished,
        action: Action::Hashed {
            count: items.len() as u64,
        },
    });
    if let Some(a) = &c.time_stamp_authority {
        steps.push(Step {
            at: finished,
            action: Action::TimeStamped {
                authority: a.clone(),
            },
        });
    }
    let tls = summary["tls"].as_object().and_then(|t| {
        let time = |k: &str| {
            t.get(k)
                .and_then(|v| v.as_str())
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.to_utc())
        };
        Some(Tls {
            subject: t.get("subject")?.as_str()?.to_owned(),
            issuer: t.get("issuer")?.as_str()?.to_owned(),
            valid_from: time("valid_from")?,
            valid_to: time("valid_to")?,
        })
    });
    Ok(Target {
        url: c.url.clone(),
        final_url: Some(c.final_url.clone()),
        server_ip: summary["server_ip"].as_str().map(str::to_owned),
        title: summary["title"].as_str().map(str::to_owned),
        http_status: c.http_status,
        tls,
        captured_at: at(&c.started_at),
        partial: c.partial.is_some(),
        partial_reason: c.partial.clone(),
        steps,
        screenshots,
    })
}

/// The role the manifest gives a file (`warc`, `screenshot`…).
fn role_of(summary: &serde_json::Value, item: &ItemRecord) -> String {
    if item.file_name == "manifest.json" {
        return "manifest".to_owned();
    }
    if item.file_name.ends_with(".tsr") {
        return "timestamp".to_owned();
    }
    summary["files"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| {
            f["sha256"].as_str() == Some(&item.sha256.to_hex())
                && f["path"]
                    .as_str()
                    .is_some_and(|p| item.relative_path.ends_with(p))
        })
        .and_then(|f| f["role"].as_str())
        .unwrap_or("file")
        .to_owned()
}

/// The time-stamp token's facts for the protocol.
fn time_stamp(token_b64: &str, authority: &str) -> anyhow::Result<TimeStamp> {
    use base64::Engine;
    use sha2::Digest;
    let der = base64::engine::general_purpose::STANDARD
        .decode(token_b64)
        .context("the stored time-stamp token is not base64")?;
    let token = qorgau_timestamp::Token::from_der(&der)
        .map_err(|e| anyhow::anyhow!("the stored time-stamp token does not parse: {e}"))?;
    Ok(TimeStamp {
        authority: authority.to_owned(),
        time: token.info().gen_time,
        serial: hex::encode(&token.info().serial_number),
        token_sha256: hex::encode(sha2::Sha256::digest(&der)),
    })
}

/// The signature of the ledger entry that vouches for the capture.
async fn entry_signature(vault: &Vault, c: &CaptureRecord) -> anyhow::Result<Option<String>> {
    let entries = vault
        .store
        .ledger(&LedgerFilter {
            case_id: Some(c.case_id),
            kinds: vec![EventKind::InvestigativeStep],
            ..LedgerFilter::default()
        })
        .await?;
    Ok(entries
        .iter()
        .find(|e| e.subject_digest == Some(c.record_digest()))
        .map(|e| format!("{}#{} {}", e.chain, e.seq, hex::encode(e.signature))))
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
