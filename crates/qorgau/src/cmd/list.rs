//! `qorgau cases` and `qorgau items --case CASE`

use std::process::ExitCode;

use qorgau_store::ItemFilter;
use qorgau_vault::Vault;

use crate::cmd::find_case;
use crate::output::json_line;

/// Arguments of `cases`.
#[derive(Debug, clap::Args)]
pub struct CasesArgs {
    /// One JSON object per case on stdout.
    #[arg(long)]
    json: bool,
}

/// Arguments of `items`.
#[derive(Debug, clap::Args)]
pub struct ItemsArgs {
    /// The case.
    #[arg(long, value_name = "CASE")]
    case: String,
    /// One JSON object per item (the full record) on stdout.
    #[arg(long)]
    json: bool,
}

/// Lists cases with their item counts.
pub async fn cases(vault: &Vault, args: &CasesArgs) -> anyhow::Result<ExitCode> {
    for case in vault.store.cases().await? {
        let items = vault.store.count_items(Some(case.id)).await?;
        if args.json {
            json_line(&serde_json::json!({
                "id": case.id,
                "name": case.name,
                "created_at": case.created_at,
                "created_by": case.created_by,
                "items": items,
            }));
        } else {
            println!(
                "{}  {}  opened {} by {}  {} item(s)",
                case.id,
                case.name,
                case.created_at.to_almaty_string(),
                case.created_by.user,
                items
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Lists a case's items.
pub async fn items(vault: &Vault, args: &ItemsArgs) -> anyhow::Result<ExitCode> {
    let case = find_case(vault, &args.case).await?;
    let items = vault
        .store
        .items(&ItemFilter {
            case_id: Some(case.id),
            ..ItemFilter::default()
        })
        .await?;
    for item in items {
        if args.json {
            json_line(&item);
        } else {
            println!(
                "{}  {}  {}  {} bytes  sha256 {}",
                item.id, item.relative_path, item.media_type, item.size, item.sha256
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
