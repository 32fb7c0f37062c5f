//! `qorgau verify [--case CASE] [--json]`

use std::process::ExitCode;

use qorgau_vault::{Vault, verify};

use crate::cmd::case_name;
use crate::output::{byte_bar, json_line};

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this case (default: the whole vault).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// Print the report as one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Do not record this verification in the custody ledger.
    #[arg(long)]
    no_record: bool,
}

/// Runs `verify`; exits 1 when anything does not hold.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let case = args.case.as_deref().map(case_name).transpose()?;
    let case_id = match &case {
        Some(name) => Some(vault.case(name).await?.id),
        None => None,
    };
    let total = vault.store.total_size(case_id).await?;
    let bar = byte_bar(total, "verifying");
    let report = verify::verify(vault, case.as_ref(), !args.no_record, &|n| bar.inc(n)).await;
    bar.finish_and_clear();
    let report = report?;
    if args.json {
        json_line(&report);
    }
    for t in &report.time_stamps {
        match &t.trusted_by {
            Some(anchor) => eprintln!(
                "time-stamp of capture {}: {} by {} ({}), trusted through {anchor}",
                t.capture, t.gen_time, t.signer, t.authority
            ),
            None => eprintln!(
                "time-stamp of capture {}: {} by {} ({}); signature and manifest hash hold, \
                 but the authority is not checked: put its CA certificate in keys/tsa/*.pem \
                 in the data directory",
                t.capture, t.gen_time, t.signer, t.authority
            ),
        }
    }
    for problem in &report.problems {
        eprintln!("FAIL {}: {}", problem.location, problem.message);
    }
    let s3 = match vault.blobs.s3() {
        Some(client) => format!(
            ", {} S3 object(s) ({} bytes) in bucket {} re-hashed with their retention and versions",
            report.s3_objects,
            report.s3_bytes,
            client.config().bucket
        ),
        None => String::new(),
    };
    eprintln!(
        "{}: {} item(s), {} blob(s) ({} bytes) re-hashed{s3}, {} ledger entr(ies) in {} chain(s) checked, {} problem(s)",
        if report.ok() { "OK" } else { "FAILED" },
        report.items,
        report.blobs,
        report.bytes,
        report.ledger_entries,
        report.chains,
        report.problems.len()
    );
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
