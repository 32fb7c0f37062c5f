//! `qorgau migrate --to postgres://…`: moves an installation from the
//! embedded SQLite into PostgreSQL, so that many servers and workers can
//! share it (issue 9).
//!
//! The source is verified first (a vault that does not verify is not
//! moved: its problems would be hidden in the move), copied row for row
//! into an empty PostgreSQL database, every table read back and compared
//! (count and digest of all rows), and then the target is verified as a
//! vault in its own right — every chain, signature and record digest, every
//! blob re-hashed — and that verification recorded in its ledger. The
//! SQLite file is left as it was.

use std::process::ExitCode;

use qorgau_store::{Store, StoreLocation};
use qorgau_vault::{Vault, VaultConfig, verify};

use crate::output::{InputError, byte_bar, json_line};

/// Arguments of `migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL database to move into (empty; its schema is made).
    #[arg(long, value_name = "URL")]
    to: String,
    /// Print the report as one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `migrate`; `source` is the data directory's vault on SQLite.
pub async fn run(source: &Vault, config: &VaultConfig, args: &Args) -> anyhow::Result<ExitCode> {
    if !(args.to.starts_with("postgres://") || args.to.starts_with("postgresql://")) {
        return Err(InputError(format!(
            "--to {:?}: give the PostgreSQL URL to move into (postgres://user@host/db)",
            StoreLocation::Postgres(args.to.clone()).redacted()
        ))
        .into());
    }
    let target_location = StoreLocation::Postgres(args.to.clone());
    eprintln!(
        "checking the installation in {} before moving it",
        source.store.location()
    );
    let total = source.store.total_size(None).await?;
    let bar = byte_bar(total, "verifying the source");
    let before = verify::verify(source, None, false, &|n| bar.inc(n)).await;
    bar.finish_and_clear();
    let before = before?;
    if !before.ok() {
        for p in &before.problems {
            eprintln!("FAIL {}: {}", p.location, p.message);
        }
        return Err(InputError(format!(
            "the installation does not verify ({} problem(s)); nothing was moved — \
             look at `qorgau verify` first",
            before.problems.len()
        ))
        .into());
    }
    let target = Store::open(&target_location).await?;
    let copied = source
        .store
        .copy_into(&target, |table, rows| {
            if rows % 20_000 < 200 {
                eprintln!("  {table}: {rows} rows");
            }
        })
        .await
        .map_err(|e| match e {
            qorgau_store::StoreError::Conflict(m) => anyhow::Error::from(InputError(m)),
            other => other.into(),
        })?;
    target.close().await;
    let rows: u64 = copied.iter().map(|t| t.rows).sum();
    eprintln!(
        "copied {rows} rows in {} tables into {}; each table read back and compared",
        copied.len(),
        target_location.redacted()
    );
    // The target as a vault of its own: the same data directory (blobs,
    // keys), the new database.
    let moved = Vault::open(&VaultConfig {
        database_url: Some(args.to.clone()),
        ..config.clone()
    })
    .await?;
    let bar = byte_bar(total, "verifying the target");
    let after = verify::verify(&moved, None, true, &|n| bar.inc(n)).await;
    bar.finish_and_clear();
    let after = after?;
    for p in &after.problems {
        eprintln!("FAIL {}: {}", p.location, p.message);
    }
    if args.json {
        json_line(&serde_json::json!({
            "tables": copied,
            "rows": rows,
            "ledger_entries": after.ledger_entries,
            "items": after.items,
            "blobs": after.blobs,
            "ok": after.ok(),
        }));
    }
    if !after.ok() || after.items != before.items || after.ledger_entries < before.ledger_entries {
        eprintln!(
            "FAILED: the moved installation does not verify as the source did \
             ({} items and {} entries before, {} and {} after); keep using the SQLite file",
            before.items, before.ledger_entries, after.items, after.ledger_entries
        );
        return Ok(ExitCode::from(1));
    }
    eprintln!(
        "OK: {} items, {} blobs re-hashed, {} ledger entries in {} chains verified in PostgreSQL. \
         From now on run every command with QORGAU_DATABASE_URL set to it; {} is left as it was.",
        after.items,
        after.blobs,
        after.ledger_entries,
        after.chains,
        source.store.location()
    );
    Ok(ExitCode::SUCCESS)
}
