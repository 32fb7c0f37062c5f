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
//!
//! `--to-s3` moves the blobs into the S3 bucket configured with
//! `--blob-store` (after the database move when both are given): every
//! blob with no recorded upload there is uploaded with its COMPLIANCE
//! retention, read back and hashed, its version recorded; then the
//! verification of the target checks each recorded version in the bucket
//! as well. The local files stay, as the cache.

use std::process::ExitCode;

use qorgau_store::{Store, StoreLocation};
use qorgau_vault::{Vault, VaultConfig, verify};

use crate::output::{InputError, byte_bar, count_bar, json_line};

/// Arguments of `migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL database to move into (empty; its schema is made).
    #[arg(long, value_name = "URL", required_unless_present = "to_s3")]
    to: Option<String>,
    /// Move the blobs into the S3 bucket of `--blob-store` (QORGAU_BLOB_STORE).
    #[arg(long)]
    to_s3: bool,
    /// Print the report as one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

impl Args {
    /// Whether the database moves (`--to`), which needs the SQLite source.
    pub fn moves_database(&self) -> bool {
        self.to.is_some()
    }
}

/// Runs `migrate`; `source` is the data directory's vault as it is (on
/// SQLite when the database moves), opened without the bucket.
pub async fn run(source: &Vault, config: &VaultConfig, args: &Args) -> anyhow::Result<ExitCode> {
    if let Some(to) = &args.to
        && !(to.starts_with("postgres://") || to.starts_with("postgresql://"))
    {
        return Err(InputError(format!(
            "--to {:?}: give the PostgreSQL URL to move into (postgres://user@host/db)",
            StoreLocation::Postgres(to.clone()).redacted()
        ))
        .into());
    }
    if args.to_s3 && config.s3.is_none() {
        return Err(InputError(
            "--to-s3: name the bucket with --blob-store s3://BUCKET (QORGAU_BLOB_STORE) and its \
             settings (QORGAU_S3_ENDPOINT, QORGAU_S3_RETENTION_DAYS, AWS_ACCESS_KEY_ID, \
             AWS_SECRET_ACCESS_KEY)"
                .into(),
        )
        .into());
    }
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
    let mut copied = Vec::new();
    let mut rows = 0;
    if let Some(to) = &args.to {
        let target_location = StoreLocation::Postgres(to.clone());
        let target = Store::open(&target_location).await?;
        copied = source
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
        rows = copied.iter().map(|t| t.rows).sum();
        eprintln!(
            "copied {rows} rows in {} tables into {}; each table read back and compared",
            copied.len(),
            target_location.redacted()
        );
    }
    // The target as a vault of its own: the same data directory (blobs,
    // keys), the new database if it moved, the bucket if one is named.
    let moved = Vault::open(&VaultConfig {
        database_url: args.to.clone().or_else(|| config.database_url.clone()),
        ..config.clone()
    })
    .await?;
    let mut uploaded = 0u64;
    if args.to_s3 {
        let bucket = config
            .s3
            .as_ref()
            .map(|s| s.bucket.clone())
            .unwrap_or_default();
        let missing = moved.store.blobs_missing_from_bucket(&bucket).await?;
        eprintln!(
            "{} blobs to move into S3 bucket {bucket}, each read back and hashed",
            missing.len()
        );
        let bar = count_bar(missing.len() as u64, "uploading blobs");
        for sha in &missing {
            let done = moved.blobs.replicate_to_s3(sha).await?;
            if done.uploaded {
                uploaded += 1;
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
    }
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
            "blobs_uploaded": uploaded,
            "ok": after.ok(),
        }));
    }
    if !after.ok() || after.items != before.items || after.ledger_entries < before.ledger_entries {
        eprintln!(
            "FAILED: the moved installation does not verify as the source did \
             ({} items and {} entries before, {} and {} after); keep using it as it was",
            before.items, before.ledger_entries, after.items, after.ledger_entries
        );
        return Ok(ExitCode::from(1));
    }
    eprintln!(
        "OK: {} items, {} blobs re-hashed{}, {} ledger entries in {} chains verified in {}.",
        after.items,
        after.blobs,
        if args.to_s3 {
            format!(" (and in the bucket: {uploaded} uploaded now)")
        } else {
            String::new()
        },
        after.ledger_entries,
        after.chains,
        moved.store.location()
    );
    if args.to.is_some() {
        eprintln!(
            "From now on run every command with QORGAU_DATABASE_URL set to it; {} is left as it was.",
            source.store.location()
        );
    }
    if args.to_s3 {
        eprintln!(
            "From now on run every command with the same --blob-store settings; the local blobs stay as the cache."
        );
    }
    Ok(ExitCode::SUCCESS)
}
