//! `qorgau money report`: the case's transfers and red flags as a
//! suspicious-transaction report for the financial intelligence unit,
//! through `qorgau-str`'s exporters (`json`, `goaml`). What the case does
//! not know — who reports, the FIU's codes, what a bank answered about an
//! account — comes from a profile file; what a format needs and nobody gave
//! is an error naming it (exit 2) and no file is written. The file's
//! SHA-256 goes into the case's chain.
//!
//! # The profile file (`--profile FILE`)
//!
//! TOML, or JSON when the name ends in `.json`, with three optional parts:
//!
//! ```toml
//! [reporting_entity]            # who reports (command-line flags win)
//! agency_name = "Cyber police department (synthetic)"
//! agency_id = "agency-1"        # default: the case's owning agency
//! fiu_entity_id = "1001"        # goAML rentity_id, given by the FIU
//! branch = "Cybercrime unit"    # goAML rentity_branch
//! [reporting_entity.address]    # goAML location
//! street = "1 Example Street"
//! city = "Astana"
//! country = "KZ"
//! postcode = "010000"           # optional, as is region
//! [reporting_entity.officer]
//! first_name = "Test"
//! last_name = "Officer"
//! position = "Investigator"     # optional, as are email and phone
//!
//! [goaml]                       # the FIU's lookup codes (GoamlProfile)
//! address_type = "2"
//! funds_fiat = "B"
//! funds_virtual = "-"
//! transmode_card = "A"
//! transmode_bank = "B"
//! transmode_virtual = "-"
//! unknown_country = "-"
//! account_types = { card = "A" }
//! indicators = { fan_in = "-", pass_through = "-", structuring = "-" }
//!
//! [[accounts]]                  # what is known of an account (a bank's answer)
//! account = "card:4400430000000072"   # key, address, card number or IBAN
//! country = "KZ"
//! holder = { kind = "person", name = "…" }
//! institution = { name = "Synthetic Bank JSC", code = "999" }
//! ```
//!
//! Unknown keys are refused, so a misspelt code is named rather than
//! silently missing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use qorgau_money::{Amount, Transfer};
use qorgau_store::ChangeBy;
use qorgau_str::{
    Address, ContactOfficer, ExportError, ExportSettings, GoamlProfile, Holder, Institution, Rate,
    Registry, ReportingEntity, SuspiciousReport,
};
use qorgau_vault::Vault;
use serde::Deserialize;
use serde_json::json;

use super::{account_arg, config};
use crate::cmd::find_case;
use crate::output::{InputError, json_line};

/// The profile's keys, for `--help`: what the analyst needs to write one
/// without reading the source.
const PROFILE_HELP: &str = "The profile: who reports, the FIU's goAML codes, and what is known of \
accounts (TOML, or JSON when the name ends in .json). Unknown keys are refused.

[reporting_entity]: agency_name, agency_id, fiu_entity_id, branch (command-line flags win)
[reporting_entity.address]: street, city, country, postcode, region
[reporting_entity.officer]: first_name, last_name, position, email, phone
[goaml]: address_type, funds_fiat, funds_virtual, transmode_card, transmode_bank, \
transmode_virtual, unknown_country, account_types = { card = \"…\" }, \
indicators = { fan_in = \"…\", pass_through = \"…\", structuring = \"…\" } \
(the FIU's lookup codes; goAML needs them)
[[accounts]]: account (key, address, card number or IBAN), country, \
holder = { kind = \"person\" or \"entity\", name }, institution = { name, code, swift }";

/// Arguments of `money report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The case whose transfers and red flags are reported.
    #[arg(long, value_name = "CASE")]
    case: String,
    /// json (Qorgau's versioned JSON form) or goaml (goAML XML for the FIU).
    #[arg(long, value_name = "FORMAT")]
    format: String,
    /// Where to write the report; nothing is written if it cannot be made.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// KZT for one unit of an asset, for the day (UTC) or, without one, for
    /// every day; goAML needs one for every asset other than KZT.
    #[arg(long = "rate", value_name = "ASSET=KZT_PER_UNIT[@DATE]")]
    rates: Vec<String>,
    /// Where the rates come from (the National Bank, an exchange's price).
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "given by the analyst (--rate)"
    )]
    rate_source: String,
    /// The profile: reporting entity, the FIU's goAML codes, what is known
    /// of accounts (TOML, or JSON for *.json; its keys in `--help`).
    #[arg(long, value_name = "FILE", long_help = PROFILE_HELP)]
    profile: Option<PathBuf>,
    /// Red-flag thresholds (default: `<data-dir>/money.toml` if it exists).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Why the transactions are suspicious. Default: the red flags counted.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// What the agency has done or will do.
    #[arg(long, value_name = "TEXT")]
    action: Option<String>,
    /// The report's own reference. Default: STR-CASE-YYYYMMDDTHHMMSSZ (UTC).
    #[arg(long, value_name = "TEXT")]
    reference: Option<String>,
    /// The reporting agency's name (overrides the profile).
    #[arg(long, value_name = "NAME")]
    agency: Option<String>,
    /// The reporting agency's id in Qorgau (overrides the profile).
    #[arg(long, value_name = "ID")]
    agency_id: Option<String>,
    /// The contact officer's given name (overrides the profile).
    #[arg(long, value_name = "NAME")]
    officer_first_name: Option<String>,
    /// The contact officer's family name (overrides the profile).
    #[arg(long, value_name = "NAME")]
    officer_last_name: Option<String>,
    /// One JSON object on stdout.
    #[arg(long)]
    json: bool,
}

/// The profile file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    #[serde(default)]
    reporting_entity: EntityProfile,
    goaml: Option<GoamlProfile>,
    #[serde(default)]
    accounts: Vec<AccountProfile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityProfile {
    agency_name: Option<String>,
    agency_id: Option<String>,
    fiu_entity_id: Option<String>,
    branch: Option<String>,
    address: Option<Address>,
    #[serde(default)]
    officer: OfficerProfile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficerProfile {
    first_name: Option<String>,
    last_name: Option<String>,
    position: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountProfile {
    account: String,
    holder: Option<Holder>,
    institution: Option<Institution>,
    country: Option<String>,
}

fn read_profile(path: &Path) -> anyhow::Result<Profile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError(format!("cannot read {}: {e}", path.display())))?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = if json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| InputError(format!("{}: {}", path.display(), e.trim_end())).into())
}

/// `ASSET=KZT_PER_UNIT[@YYYY-MM-DD]`.
fn rate_arg(text: &str, source: &str) -> anyhow::Result<Rate> {
    let bad = |why: String| -> anyhow::Error {
        InputError(format!(
            "--rate {text:?}: {why}; write ASSET=KZT_PER_UNIT or ASSET=KZT_PER_UNIT@YYYY-MM-DD"
        ))
        .into()
    };
    let (asset, rest) = text.split_once('=').ok_or_else(|| bad("no '='".into()))?;
    let (value, date) = match rest.split_once('@') {
        Some((v, d)) => (
            v,
            Some(
                NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|e| bad(format!("date {d:?}: {e}")))?,
            ),
        ),
        None => (rest, None),
    };
    let asset = asset.trim();
    if asset.is_empty() {
        return Err(bad("no asset".into()));
    }
    let kzt_per_unit = Amount::parse(value.trim()).map_err(|e| bad(e.to_string()))?;
    Ok(Rate {
        asset: asset.to_owned(),
        kzt_per_unit,
        date,
        source: source.to_owned(),
    })
}

/// The first of the values that is given and not blank.
fn first_given(values: [Option<&String>; 2]) -> Option<String> {
    values
        .into_iter()
        .flatten()
        .map(|v| v.trim())
        .find(|v| !v.is_empty())
        .map(str::to_owned)
}

fn required(value: Option<String>, what: &str, flag: &str, key: &str) -> anyhow::Result<String> {
    value.ok_or_else(|| {
        InputError(format!(
            "the report needs {what}: give {flag} or {key} in the [reporting_entity] table of \
             --profile FILE"
        ))
        .into()
    })
}

/// Where the analyst fills in what an export lacks.
fn hint(e: &ExportError) -> &'static str {
    match e {
        ExportError::Missing { field, .. } if field.contains("goAML profile's") => {
            "set it in the [goaml] table of the --profile file"
        }
        ExportError::Missing { field, .. } | ExportError::Invalid { field, .. }
            if field.starts_with("reporting_entity") =>
        {
            "set it in the [reporting_entity] table of the --profile file"
        }
        ExportError::Missing { field, .. } | ExportError::Invalid { field, .. }
            if field.starts_with("accounts") =>
        {
            "describe the account in an [[accounts]] entry of the --profile file"
        }
        ExportError::MissingRate { .. } => "give it with --rate ASSET=KZT_PER_UNIT[@DATE]",
        ExportError::Invalid { field, .. } if field.starts_with("rates") => {
            "correct the --rate values"
        }
        _ => "nothing was written",
    }
}

/// Runs `money report`.
pub(super) async fn run(vault: &Vault, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let case = find_case(vault, &args.case).await?;
    let profile = match &args.profile {
        Some(p) => read_profile(p)?,
        None => Profile::default(),
    };
    let settings = ExportSettings {
        goaml: profile.goaml.clone().unwrap_or_default(),
    };
    let registry = Registry::builtin(&settings);
    let exporter = registry
        .get(&args.format)
        .map_err(|e| InputError(format!("--format: {e}")))?;
    if exporter.name() == "goaml" && profile.goaml.is_none() {
        return Err(InputError(
            "--format goaml needs the FIU's goAML codes: give --profile FILE with a [goaml] \
             table (address_type, funds_fiat, funds_virtual, transmode_card, transmode_bank, \
             transmode_virtual, unknown_country, indicators) and the [reporting_entity] with \
             fiu_entity_id, branch and address; see qorgau money report --help"
                .into(),
        )
        .into());
    }
    let rates: Vec<Rate> = args
        .rates
        .iter()
        .map(|r| rate_arg(r, &args.rate_source))
        .collect::<anyhow::Result<_>>()?;
    let config = config(vault, args.config.as_deref())?;
    let (_, transfers, flags) = super::flags::all_flags(vault, Some(case.id), &config).await?;
    if transfers.is_empty() {
        return Err(InputError(format!(
            "case {} has no transfers to report: import them first (qorgau money import … \
             --case {})",
            case.name.as_str(),
            case.name.as_str()
        ))
        .into());
    }

    // Who reports: flags, then the profile, then the case's owning agency.
    let owner = match vault.store.case_file(case.id).await? {
        Some(file) => vault
            .store
            .agency(file.owner_agency_id)
            .await?
            .map(|a| (a.name_en, a.id.to_string())),
        None => None,
    };
    let e = &profile.reporting_entity;
    let agency_name = required(
        first_given([args.agency.as_ref(), e.agency_name.as_ref()])
            .or_else(|| owner.as_ref().map(|o| o.0.clone())),
        "the reporting agency's name",
        "--agency NAME",
        "agency_name",
    )?;
    let agency_id = required(
        first_given([args.agency_id.as_ref(), e.agency_id.as_ref()])
            .or_else(|| owner.as_ref().map(|o| o.1.clone())),
        "the reporting agency's id",
        "--agency-id ID",
        "agency_id",
    )?;
    let first_name = required(
        first_given([
            args.officer_first_name.as_ref(),
            e.officer.first_name.as_ref(),
        ]),
        "the contact officer's given name",
        "--officer-first-name",
        "officer.first_name",
    )?;
    let last_name = required(
        first_given([
            args.officer_last_name.as_ref(),
            e.officer.last_name.as_ref(),
        ]),
        "the contact officer's family name",
        "--officer-last-name",
        "officer.last_name",
    )?;
    let entity = ReportingEntity {
        agency_name,
        agency_id,
        fiu_entity_id: e.fiu_entity_id.clone(),
        branch: e.branch.clone(),
        address: e.address.clone(),
        officer: ContactOfficer {
            first_name,
            last_name,
            position: e.officer.position.clone(),
            email: e.officer.email.clone(),
            phone: e.officer.phone.clone(),
        },
    };

    let now = Utc::now();
    let case_ref = case.name.to_string();
    let reference = args
        .reference
        .clone()
        .unwrap_or_else(|| format!("STR-{case_ref}-{}", now.format("%Y%m%dT%H%M%SZ")));
    let reason = args
        .reason
        .clone()
        .unwrap_or_else(|| default_reason(&case_ref, &transfers, &flags));
    let mut report = SuspiciousReport::new(reference, case_ref, now.date_naive(), entity, reason);
    report.action = args.action.clone();
    report.add_money(&transfers, &flags);
    report.rates = rates;
    let mut not_in_report = 0;
    for known in &profile.accounts {
        let account = account_arg(&known.account).map_err(|e| {
            InputError(format!(
                "{}: [[accounts]] {e}",
                args.profile
                    .as_deref()
                    .map_or(String::new(), |p| p.display().to_string())
            ))
        })?;
        match report.account_mut(&account) {
            Some(entry) => {
                entry.holder = known.holder.clone().or(entry.holder.take());
                entry.institution = known.institution.clone().or(entry.institution.take());
                entry.country = known.country.clone().or(entry.country.take());
            }
            None => not_in_report += 1,
        }
    }
    if not_in_report > 0 && !args.json {
        eprintln!(
            "note: {not_in_report} account(s) of the profile are not in this report's transfers"
        );
    }

    let mut bytes = Vec::new();
    exporter.export(&report, &mut bytes).map_err(|e| {
        InputError(format!(
            "cannot export case {} as {}: {e}; {}",
            report.case_reference,
            exporter.name(),
            hint(&e)
        ))
    })?;
    if exporter.name() != "goaml" && !args.json {
        let mut unpriced: Vec<(String, NaiveDate)> = report
            .transfers
            .iter()
            .filter(|t| t.asset != qorgau_str::convert::LOCAL_CURRENCY)
            .map(|t| (t.asset.clone(), t.time.date_naive()))
            .filter(|(a, d)| report.rate_for(a, *d).is_none())
            .collect();
        unpriced.sort();
        unpriced.dedup();
        for (asset, day) in unpriced {
            eprintln!("note: no rate from {asset} to KZT for {day}; goAML will need one (--rate)");
        }
    }
    write_whole(&args.out, &bytes)?;
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let file = args.out.display().to_string();
    vault
        .store
        .record_change(
            case.id,
            json!({
                "action": "str_exported",
                "format": exporter.name(),
                "reference": report.reference,
                "file": file,
                "sha256": sha256,
                "bytes": bytes.len(),
                "transfers": report.transfers.len(),
                "indicators": report.indicators.len(),
            }),
            ChangeBy {
                actor: &vault.actor,
                tool: &vault.tool,
                key: &vault.key,
            },
        )
        .await?;
    if args.json {
        json_line(&json!({
            "case": report.case_reference,
            "format": exporter.name(),
            "reference": report.reference,
            "file": file,
            "sha256": sha256,
            "bytes": bytes.len(),
            "transfers": report.transfers.len(),
            "accounts": report.accounts.len(),
            "indicators": report.indicators.iter().map(|i| i.kind.as_str()).collect::<Vec<_>>(),
        }));
    } else {
        eprintln!(
            "wrote {file} ({} bytes, sha256 {sha256}): {} transfers, {} accounts, {} \
             indicators; recorded in the case's ledger",
            bytes.len(),
            report.transfers.len(),
            report.accounts.len(),
            report.indicators.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The reason when the analyst gives none: what the red flags show, in
/// numbers a reader can check against the indicators.
fn default_reason(case_ref: &str, transfers: &[Transfer], flags: &[qorgau_money::Flag]) -> String {
    let first = transfers.iter().map(|t| t.time).min();
    let last = transfers.iter().map(|t| t.time).max();
    let span = match (first, last) {
        (Some(f), Some(l)) => format!(
            " between {} and {} UTC",
            f.format("%Y-%m-%d %H:%M:%S"),
            l.format("%Y-%m-%d %H:%M:%S")
        ),
        _ => String::new(),
    };
    let mut kinds: Vec<&str> = flags.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    if flags.is_empty() {
        format!(
            "Case {case_ref}: {} transfer(s){span} of accounts under investigation; no red flag \
             was computed.",
            transfers.len()
        )
    } else {
        format!(
            "Case {case_ref}: {} transfer(s){span} show {} red flag(s) of accounts used to \
             collect and pass on money ({}); each is listed with its explanation.",
            transfers.len(),
            flags.len(),
            kinds.join(", ")
        )
    }
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside
/// it, synced, then renamed over it, so a failure never leaves half a
/// report or draft that looks complete.
pub(super) fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .ok_or_else(|| InputError(format!("--out {}: not a file name", path.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.partial", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let write = |tmp: &Path| -> std::io::Result<()> {
        let mut f = std::fs::File::create(tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(tmp, path)
    };
    if let Err(e) = write(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(InputError(format!("cannot write {}: {e}", path.display())).into());
    }
    Ok(())
}
