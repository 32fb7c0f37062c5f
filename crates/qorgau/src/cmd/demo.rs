//! `qorgau demo`: the README's first command. Generates synthetic sample
//! files, acquires them, verifies the vault, records an OSINT step, exports
//! the case and prints where everything is — so a newcomer sees the whole
//! evidence flow work before reading any code.
//!
//! Every name, number and handle below is invented.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use qorgau_core::{CaseName, Timestamp};
use qorgau_evidence::{EntryDraft, EventKind};
use qorgau_vault::acquire::{self, AcquireObserver, AddRequest};
use qorgau_vault::export::export_case;
use qorgau_vault::{Vault, VaultConfig, verify};

use crate::Cli;

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the demo keeps its samples, vault and export
    /// (default: ./.qorgau-demo; the vault goes to --data-dir if given).
    #[arg(long, value_name = "DIR", default_value = ".qorgau-demo")]
    dir: PathBuf,
}

const CHANNEL_EXPORT: &str = r#"{
 "name": "Работа за границей | вакансии",
 "type": "public_channel",
 "id": 1000000001,
 "messages": [
  {
   "id": 101, "type": "message", "date": "2026-11-20T21:14:05", "date_unixtime": "1763655245",
   "from": "Работа за границей | вакансии", "from_id": "channel1000000001",
   "text": "Срочно! Требуются девушки 18-25 лет официантками в Дубай. Зарплата от 3000$, жильё и билеты за счёт работодателя. Опыт не нужен. Пишите в тг @demo_rabota_example"
  },
  {
   "id": 102, "type": "message", "date": "2026-11-21T10:02:44", "date_unixtime": "1763701364",
   "from": "Работа за границей | вакансии", "from_id": "channel1000000001",
   "text": ["Шетелде жұмыс! Модельдер агенттігі ", {"type": "bold", "text": "фотосессия тегін"}, ". Портфолио үшін алдын ала төлем 5000 тг."]
  }
 ]
}
"#;

const AD_PAGE: &str = r#"<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Вакансия: хостес за рубежом — пример</title></head>
<body><h1>Хостес в ночной клуб (Турция)</h1>
<p>Высокий доход, помощь с визой. Предоплата за оформление документов 15 000 тг на карту.</p>
<p>Контакты: +7 700 000 00 00 (пример), WhatsApp.</p></body></html>
"#;

const PAYMENTS: &str = "time,from,to,amount,currency\n\
2026-11-21T12:00:00+05:00,4400 00** **** 0001,4400 00** **** 0099,5000,KZT\n\
2026-11-21T12:20:00+05:00,4400 00** **** 0002,4400 00** **** 0099,5000,KZT\n\
2026-11-21T12:41:00+05:00,4400 00** **** 0003,4400 00** **** 0099,4990,KZT\n";

const NOTES: &str = "Протокол осмотра (черновик, пример).\n\
Источник: публичный Telegram-канал, выгрузка Telegram Desktop.\n\
Все данные в демонстрации вымышлены.\n";

pub(crate) fn write_samples(dir: &Path) -> anyhow::Result<PathBuf> {
    let root = dir.join("samples").join("seized_2026-11-25");
    let files: [(&str, &[u8]); 4] = [
        (
            "telegram_export/ChatExport_2026-11-25/result.json",
            CHANNEL_EXPORT.as_bytes(),
        ),
        ("web/olx_ad_hostess.html", AD_PAGE.as_bytes()),
        ("finance/card_transfers.csv", PAYMENTS.as_bytes()),
        ("notes/protocol_draft.txt", NOTES.as_bytes()),
    ];
    for (relative, content) in files {
        let path = root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, content).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(root)
}

/// Step 5: the detection engine over the seized chat export and ad page.
fn scan_samples(samples: &Path, out: &Path) -> anyhow::Result<()> {
    use qorgau_scan::{Pipeline, PipelineOptions, link};
    let pipeline = Pipeline::new(&PipelineOptions::default())?;
    let mut assessed = Vec::new();
    for relative in [
        "telegram_export/ChatExport_2026-11-25/result.json",
        "web/olx_ad_hostess.html",
    ] {
        let path = samples.join(relative);
        let file =
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let name = path.display().to_string();
        let docs = qorgau_sources::read(
            &name,
            std::io::BufReader::new(file),
            qorgau_sources::Format::Auto,
            &qorgau_sources::ReadOptions::default(),
        )?;
        for doc in docs {
            assessed.push(pipeline.assess(&doc?));
        }
    }
    link(&mut assessed, qorgau_network::NetworkOptions::default());
    let mut lines = String::new();
    println!("5. Scanned the chat export and the ad page for recruitment indicators:");
    for a in &assessed {
        let r = &a.record;
        lines.push_str(&serde_json::to_string(r)?);
        lines.push('\n');
        let cues: Vec<&str> = r
            .indicators
            .iter()
            .take(4)
            .map(|h| h.text.as_str())
            .collect();
        let ids: Vec<String> = r
            .identifiers
            .iter()
            .map(|i| format!("{} {}", i.kind, i.value))
            .collect();
        println!(
            "   {} {}: {} (risk {:.2}, {}){}{}",
            if r.flagged {
                "⚑ flagged for review"
            } else {
                "  not flagged"
            },
            r.id,
            r.scenario,
            r.risk,
            r.lang,
            if cues.is_empty() {
                String::new()
            } else {
                format!("; indicators: «{}»", cues.join("», «"))
            },
            if ids.is_empty() {
                String::new()
            } else {
                format!("; identifiers: {}", ids.join(", "))
            },
        );
    }
    std::fs::write(out, lines).with_context(|| format!("writing {}", out.display()))?;
    println!("   One JSON line per document: {}", out.display());
    Ok(())
}

struct Quiet;
impl AcquireObserver for Quiet {}

/// Runs the demonstration.
pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let dir = std::path::absolute(&args.dir).context("resolving the demo directory")?;
    let samples = write_samples(&dir)?;
    let config = VaultConfig {
        data_dir: cli.data_dir.clone().unwrap_or_else(|| dir.join("vault")),
        database_url: cli.database_url.clone(),
        operator: cli
            .operator
            .clone()
            .or_else(|| Some("demo-investigator".into())),
        // The tour keeps its blobs in its own directory.
        s3: None,
    };
    let vault = Vault::open(&config).await?;
    let case = CaseName::parse("DEMO-2026-001").context("demo case name")?;

    println!("1. Acquiring synthetic samples from {}", samples.display());
    let summary = acquire::add(
        &vault,
        &AddRequest {
            paths: vec![samples.clone()],
            case: case.clone(),
            note: Some("demo: synthetic seized folder".into()),
        },
        &Quiet,
    )
    .await?;
    println!(
        "   {} item(s), {} bytes stored in case {} (MD5 and SHA-256 of each, signed custody entries)",
        summary.stored, summary.bytes, case
    );

    let mut step = EntryDraft::now(
        EventKind::InvestigativeStep,
        vault.actor.clone(),
        vault.tool.clone(),
    );
    step.case_id = Some(summary.case.id);
    step.details = serde_json::json!({
        "action": "searched public Telegram channels",
        "keywords": ["работа за границей", "официантки Дубай"],
        "filters": ["2026-11-20..2026-11-25", "lang:ru,kk"],
    })
    .to_string();
    vault.store.append(vec![step], &vault.key).await?;
    println!("2. Recorded the OSINT search that found them (keywords, filters, who, when)");

    let report = verify::verify(&vault, Some(&case), true, &|_| {}).await?;
    println!(
        "3. Verified: {} item(s) re-hashed, {} ledger entries checked, {} problem(s)",
        report.items,
        report.ledger_entries,
        report.problems.len()
    );

    let stamp = Timestamp::now().to_utc_string().replace([':', '.'], "");
    let bag = dir.join(format!("export-{stamp}"));
    let exported = export_case(&vault, &case, &bag, &|_| {}).await?;
    println!("4. Exported the case as a BagIt bag with its custody ledger and public key");
    let scan_file = dir.join("scan.jsonl");
    scan_samples(&samples, &scan_file)?;
    println!();
    println!("Vault (data directory): {}", vault.data_dir.display());
    println!("Database:               {}", vault.store.location());
    println!("BagIt bag:              {}", exported.bag_dir.display());
    println!(
        "hashdeep audit file:    {}",
        exported.hashdeep_file.display()
    );
    println!();
    println!("Try next:");
    let data = vault.data_dir.display();
    println!("  cargo run --release -- --data-dir {data} items --case {case}");
    println!("  cargo run --release -- --data-dir {data} log show --case {case} --kind all");
    println!("  cargo run --release -- --data-dir {data} verify");
    println!("  {}", exported.audit_command);
    println!(
        "  cargo run --release -- scan {}",
        samples
            .join("telegram_export/ChatExport_2026-11-25/result.json")
            .display()
    );
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
