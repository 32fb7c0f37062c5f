//! goAML XML: the report form of UNODC's goAML, which FIUs (Kazakhstan's
//! AFM among them) take suspicious-transaction reports in.
//!
//! # What is written
//!
//! One `<report>` with `report_code` STR and `submission_code` E
//! (electronic): `rentity_id` and `rentity_branch` (the FIU's registration
//! of the agency), `entity_reference` (the report's reference),
//! `submission_date`, `currency_code_local` KZT, `reporting_person` (the
//! contact officer: names, e-mail, position as `occupation`, the agency as
//! `employer_name`), `location` (the agency's address), `reason` (the
//! analyst's text, then the case reference and every indicator with its
//! explanation, since goAML's indicators are bare codes), `action`, one
//! `transaction` per transfer, and `report_indicators`. No element the
//! schema marks `goaml:supportedIn="5.1"` or later is used, so the same
//! file suits FIUs still on 5.0.
//!
//! Each transfer becomes a bi-party transaction: `transactionnumber` (the
//! transfer's id at its source), `date_transaction` (UTC, with `Z`),
//! `transmode_code`, `amount_local`, and `t_from`/`t_to` (not the
//! `…_my_client` forms, which are for a bank reporting its own customers;
//! a police unit or NGO holds none of these accounts) each with
//! `from_account`/`to_account` and the country. Card numbers, IBANs,
//! other account numbers and wallet addresses all go in `account`; an
//! IBAN also in `iban`; the holder's name, when the case has one, in
//! `account_name` (free text, as a bank's answer gives it, never split
//! into first and last name by guess); the account's role in `comments`.
//!
//! # Virtual assets
//!
//! goAML's currency lookup is ISO 4217 (the UNODC list of the 5.0.1
//! schema has no crypto code; the UAE FIU's 5.0.2 list has `XBT` for
//! bitcoin but nothing for USDT), so `USDT` cannot
//! be a `foreign_currency_code`, and reporting 12.5 USDT as 12.5 USD would
//! be a false statement. FIUs that take virtual-asset reports in goAML model
//! them as accounts with lookup codes for the kind of money: the UAE FIU's
//! published 5.0.2 lookups have funds type `CRPTC` "Cryptocurrencies",
//! account type `CRYWT` "Crypto Wallet" and transaction mode `DAWLT`
//! "Digital Assets Wallet". goAML 5.1 added `virtual_address` and
//! `block_number` under `from_transaction_additional_info`, but that
//! element requires a `network_device` with an IP address, which an
//! explorer export does not give, and 5.0 deployments reject it.
//!
//! So a virtual-asset transfer is written as:
//! - the wallet address in `account` of `from_account`/`to_account`; the
//!   VASP as institution when the analyst knows it (an exchange's
//!   deposit address), otherwise the chain itself (`TRON blockchain`,
//!   code `TRON`), with `non_bank_institution` true either way;
//! - `from_funds_code`/`to_funds_code` and `transmode_code` from the
//!   profile's virtual-asset codes, and `personal_account_type` from its
//!   `wallet` account type when it has one;
//! - `amount_local` the KZT equivalent at the rate the report gives for
//!   that asset and day (rounded once to the tiyn), no
//!   `from_foreign_currency`;
//! - the original amount, asset, chain and the rate with its source in
//!   `transaction_description`, so nothing is lost and nothing is
//!   disguised as a currency it is not; `transaction_location` names the
//!   chain.
//!
//! Foreign currencies (ISO codes other than KZT) are converted the same
//! way and also carry `from_foreign_currency`/`to_foreign_currency` (code,
//! amount, rate), as goAML intends.
//!
//! # Nothing invented
//!
//! Every value goAML requires and the report or the [`GoamlProfile`] lacks
//! is an [`ExportError`] naming the field: the FIU's `rentity_id`, the
//! branch, the address, the bank behind a card, a transfer's id, a
//! country (or the profile's code for "unknown"), a rate, a lookup code.
//! The officer's phone is left out: goAML wants it split into country
//! prefix and number, which free text does not say reliably.

mod profile;
mod xml;

pub use profile::GoamlProfile;

use std::io::Write;

use qorgau_money::{AccountKind, AccountRef, Amount, chain_name};

use crate::convert::{LOCAL_CURRENCY, fraction_digits, is_currency, to_local};
use crate::error::ExportError;
use crate::exporter::StrExporter;
use crate::report::{HolderKind, Rate, ReportAccount, ReportTransfer, SuspiciousReport};
use xml::Xml;

/// The format's name in errors.
pub(crate) const FORMAT: &str = "goAML";

/// goAML's `comments_type` limit.
const COMMENTS_MAX: usize = 8000;
/// goAML's `sql_decimal`: at most 13 decimals, at most 7.9 × 10¹⁵.
const DECIMAL_FRACTION_MAX: usize = 13;
const DECIMAL_MAX_UNITS: i64 = 7_900_000_000_000_000;

/// Writes goAML XML with one FIU's lookup codes.
#[derive(Clone, Debug, Default)]
pub struct GoamlExporter {
    profile: GoamlProfile,
}

impl GoamlExporter {
    /// An exporter with the FIU's codes.
    pub fn new(profile: GoamlProfile) -> GoamlExporter {
        GoamlExporter { profile }
    }

    /// The codes it writes.
    pub fn profile(&self) -> &GoamlProfile {
        &self.profile
    }
}

impl StrExporter for GoamlExporter {
    fn name(&self) -> &'static str {
        "goaml"
    }

    fn media_type(&self) -> &'static str {
        "application/xml"
    }

    fn file_extension(&self) -> &'static str {
        "xml"
    }

    fn export(&self, report: &SuspiciousReport, out: &mut dyn Write) -> Result<(), ExportError> {
        let bytes = to_xml(report, &self.profile)?;
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// The goAML XML of `report`, or the first thing that keeps it from being
/// a complete, valid one.
pub fn to_xml(report: &SuspiciousReport, profile: &GoamlProfile) -> Result<Vec<u8>, ExportError> {
    report.check()?;
    if report.transfers.is_empty() {
        return Err(missing(
            "transfers (a goAML STR needs at least one transaction)",
        ));
    }
    if report.indicators.is_empty() {
        return Err(missing(
            "indicators (goAML report_indicators needs at least one)",
        ));
    }
    let mut x = Xml::new()?;
    x.open("report")?;
    header(&mut x, report, profile)?;
    for (i, t) in report.transfers.iter().enumerate() {
        transaction(&mut x, report, profile, i, t)?;
    }
    x.open("report_indicators")?;
    let mut written: Vec<&str> = Vec::new();
    for ind in &report.indicators {
        let code = profile.indicator(&ind.kind)?;
        if !written.contains(&code) {
            x.value("indicator", code)?;
            written.push(code);
        }
    }
    x.close("report_indicators")?;
    x.close("report")?;
    Ok(x.finish())
}

fn missing(field: impl Into<String>) -> ExportError {
    ExportError::Missing {
        format: FORMAT,
        field: field.into(),
    }
}

/// A required optional text, or the error naming it.
fn need<'a>(value: &'a Option<String>, field: &str) -> Result<&'a str, ExportError> {
    value
        .as_deref()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| missing(field))
}

fn header(
    x: &mut Xml,
    report: &SuspiciousReport,
    profile: &GoamlProfile,
) -> Result<(), ExportError> {
    let entity = &report.reporting_entity;
    let id = need(
        &entity.fiu_entity_id,
        "reporting_entity.fiu_entity_id (goAML rentity_id, the id the FIU assigned the agency)",
    )?
    .trim();
    match id.parse::<i32>() {
        Ok(n) if n >= 1 => x.value("rentity_id", &n.to_string())?,
        _ => {
            return Err(ExportError::Invalid {
                field: "reporting_entity.fiu_entity_id".into(),
                reason: format!(
                    "{id:?} is not a positive whole number, as goAML's rentity_id must be"
                ),
            });
        }
    }
    let branch = need(
        &entity.branch,
        "reporting_entity.branch (goAML rentity_branch)",
    )?;
    x.text("rentity_branch", "reporting_entity.branch", branch, 1, 255)?;
    x.value("submission_code", "E")?;
    x.value("report_code", "STR")?;
    if !report.reference.trim().is_empty() {
        x.text("entity_reference", "reference", &report.reference, 0, 255)?;
    }
    x.value(
        "submission_date",
        &report
            .submission_date
            .format("%Y-%m-%dT00:00:00")
            .to_string(),
    )?;
    x.value("currency_code_local", LOCAL_CURRENCY)?;

    let officer = &entity.officer;
    x.open("reporting_person")?;
    x.text(
        "first_name",
        "reporting_entity.officer.first_name",
        officer.first_name.trim(),
        1,
        100,
    )?;
    x.text(
        "last_name",
        "reporting_entity.officer.last_name",
        officer.last_name.trim(),
        1,
        100,
    )?;
    if let Some(email) = officer.email.as_deref().filter(|e| !e.trim().is_empty()) {
        x.text(
            "email",
            "reporting_entity.officer.email",
            email.trim(),
            1,
            255,
        )?;
    }
    if let Some(p) = officer.position.as_deref().filter(|p| !p.trim().is_empty()) {
        x.text(
            "occupation",
            "reporting_entity.officer.position",
            p.trim(),
            1,
            255,
        )?;
    }
    if !entity.agency_name.trim().is_empty() {
        x.text(
            "employer_name",
            "reporting_entity.agency_name",
            entity.agency_name.trim(),
            1,
            255,
        )?;
    }
    x.close("reporting_person")?;

    let address = entity
        .address
        .as_ref()
        .ok_or_else(|| missing("reporting_entity.address (goAML location)"))?;
    x.open("location")?;
    x.value(
        "address_type",
        GoamlProfile::code(
            &profile.address_type,
            "address_type",
            "the contact-type code of a work address",
        )?,
    )?;
    x.text(
        "address",
        "reporting_entity.address.street",
        address.street.trim(),
        1,
        100,
    )?;
    x.text(
        "city",
        "reporting_entity.address.city",
        address.city.trim(),
        1,
        255,
    )?;
    if let Some(zip) = address.postcode.as_deref().filter(|z| !z.trim().is_empty()) {
        x.text(
            "zip",
            "reporting_entity.address.postcode",
            zip.trim(),
            1,
            10,
        )?;
    }
    x.value(
        "country_code",
        &country(&address.country, "reporting_entity.address.country", None)?,
    )?;
    if let Some(region) = address.region.as_deref().filter(|r| !r.trim().is_empty()) {
        x.text(
            "state",
            "reporting_entity.address.region",
            region.trim(),
            1,
            255,
        )?;
    }
    x.close("location")?;

    if report.reason.trim().is_empty() {
        return Err(missing("reason (goAML reason)"));
    }
    // The parts are checked one by one first, so that a character XML
    // cannot carry is named in the field the analyst wrote it in.
    xml::escape("reason", &report.reason)?;
    xml::escape("case_reference", &report.case_reference)?;
    for (i, ind) in report.indicators.iter().enumerate() {
        xml::escape(&format!("indicators[{i}].kind"), &ind.kind)?;
        xml::escape(&format!("indicators[{i}].explanation"), &ind.explanation)?;
    }
    x.text(
        "reason",
        "reason (with the case reference and the indicators written after it)",
        &reason(report),
        1,
        COMMENTS_MAX,
    )?;
    if let Some(action) = report.action.as_deref().filter(|a| !a.trim().is_empty()) {
        x.text("action", "action", action, 1, COMMENTS_MAX)?;
    }
    Ok(())
}

/// The analyst's reason, then the case reference and the indicators in
/// words (goAML's `report_indicators` are bare codes).
fn reason(report: &SuspiciousReport) -> String {
    let mut text = report.reason.trim_end().to_owned();
    text.push_str(&format!(
        "\n\nCase reference: {}.",
        report.case_reference.trim()
    ));
    text.push_str("\n\nIndicators:");
    for ind in &report.indicators {
        text.push_str(&format!("\n- {}", ind.kind));
        let mut about = Vec::new();
        if let Some(a) = &ind.account {
            about.push(a.key());
        }
        if let Some(s) = ind.score {
            about.push(format!("score {s:.2}"));
        }
        if !about.is_empty() {
            text.push_str(&format!(" ({})", about.join(", ")));
        }
        text.push_str(&format!(": {}", ind.explanation.trim()));
    }
    text
}

/// A country code: two capital letters, or the profile's "unknown" code.
fn country(code: &str, field: &str, unknown: Option<&str>) -> Result<String, ExportError> {
    let code = code.trim();
    if Some(code) == unknown || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())) {
        Ok(code.to_owned())
    } else {
        Err(ExportError::Invalid {
            field: field.into(),
            reason: format!("{code:?} is not an ISO 3166-1 alpha-2 country code"),
        })
    }
}

/// The chain's name in words and as a code, for wallets.
fn chain_label(account: &AccountRef) -> Option<(&'static str, String)> {
    let name = chain_name(account.chain?);
    let words = match name {
        "btc" => "Bitcoin",
        "eth" => "Ethereum",
        "tron" => "TRON",
        "ltc" => "Litecoin",
        "xmr" => "Monero",
        "zec" => "Zcash",
        "ton" => "TON",
        other => other,
    };
    Some((words, name.to_ascii_uppercase()))
}

fn kind_words(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Wallet => "wallet",
        AccountKind::Card => "card",
        AccountKind::Iban => "IBAN",
        AccountKind::BankAccount => "account",
    }
}

/// An amount as goAML's `sql_decimal`, or why it cannot be one.
fn decimal(amount: Amount, field: &str) -> Result<String, ExportError> {
    if fraction_digits(amount) > DECIMAL_FRACTION_MAX {
        return Err(ExportError::Invalid {
            field: field.into(),
            reason: format!(
                "{amount} has more than {DECIMAL_FRACTION_MAX} decimals, which goAML cannot carry"
            ),
        });
    }
    if amount.abs() > Amount::from_units(DECIMAL_MAX_UNITS) {
        return Err(ExportError::Invalid {
            field: field.into(),
            reason: format!("{amount} is beyond goAML's largest amount, 7.9 × 10¹⁵"),
        });
    }
    Ok(amount.to_string())
}

fn transaction(
    x: &mut Xml,
    report: &SuspiciousReport,
    profile: &GoamlProfile,
    i: usize,
    t: &ReportTransfer,
) -> Result<(), ExportError> {
    let virtual_asset = !is_currency(&t.asset);
    let rate = if t.asset == LOCAL_CURRENCY {
        None
    } else {
        let date = t.time.date_naive();
        Some(
            report
                .rate_for(&t.asset, date)
                .ok_or_else(|| ExportError::MissingRate {
                    asset: t.asset.clone(),
                    date,
                    transfer: i,
                })?,
        )
    };
    let local = match rate {
        None => t.amount,
        Some(r) => to_local(t.amount, r.kzt_per_unit).ok_or_else(|| ExportError::Invalid {
            field: format!("transfers[{i}].amount"),
            reason: format!(
                "{} {} at {} KZT is too large to convert",
                t.amount, t.asset, r.kzt_per_unit
            ),
        })?,
    };
    let card = t.from.kind == AccountKind::Card || t.to.kind == AccountKind::Card;
    let chain = chain_label(&t.from).or_else(|| chain_label(&t.to));

    x.open("transaction")?;
    let number = need(
        &t.tx_id,
        &format!("transfers[{i}].tx_id (goAML transactionnumber)"),
    )?;
    x.text(
        "transactionnumber",
        &format!("transfers[{i}].tx_id"),
        number.trim(),
        1,
        100,
    )?;
    let location = match (&chain, virtual_asset) {
        (Some((words, _)), true) => format!("{words} blockchain"),
        _ => String::new(),
    };
    x.text(
        "transaction_location",
        &format!("transfers[{i}]"),
        &location,
        0,
        255,
    )?;
    x.text(
        "transaction_description",
        &format!("transfers[{i}]"),
        &describe(t, rate, chain.as_ref().map(|c| c.0)),
        0,
        COMMENTS_MAX,
    )?;
    x.value(
        "date_transaction",
        &t.time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )?;
    let transmode = if virtual_asset {
        GoamlProfile::code(
            &profile.transmode_virtual,
            "transmode_virtual",
            "the transaction-mode code of a virtual-asset transfer",
        )?
    } else if card {
        GoamlProfile::code(
            &profile.transmode_card,
            "transmode_card",
            "the transaction-mode code of a card transfer",
        )?
    } else {
        GoamlProfile::code(
            &profile.transmode_bank,
            "transmode_bank",
            "the transaction-mode code of a bank transfer",
        )?
    };
    x.value("transmode_code", transmode)?;
    x.value(
        "amount_local",
        &decimal(local, &format!("transfers[{i}].amount in KZT"))?,
    )?;
    let funds = if virtual_asset {
        GoamlProfile::code(
            &profile.funds_virtual,
            "funds_virtual",
            "the funds-type code of virtual assets",
        )?
    } else {
        GoamlProfile::code(
            &profile.funds_fiat,
            "funds_fiat",
            "the funds-type code of electronic funds transfers",
        )?
    };
    let foreign = match rate {
        Some(r) if !virtual_asset => Some((t, r)),
        _ => None,
    };
    for side in [Side::From, Side::To] {
        party(x, report, profile, i, side, funds, foreign)?;
    }
    x.close("transaction")
}

#[derive(Clone, Copy)]
enum Side {
    From,
    To,
}

impl Side {
    fn prefix(self) -> &'static str {
        match self {
            Side::From => "from",
            Side::To => "to",
        }
    }
}

fn party(
    x: &mut Xml,
    report: &SuspiciousReport,
    profile: &GoamlProfile,
    i: usize,
    side: Side,
    funds: &str,
    foreign: Option<(&ReportTransfer, &Rate)>,
) -> Result<(), ExportError> {
    let p = side.prefix();
    let t = &report.transfers[i];
    let account = match side {
        Side::From => &t.from,
        Side::To => &t.to,
    };
    let element = format!("t_{p}");
    x.open(&element)?;
    x.value(&format!("{p}_funds_code"), funds)?;
    if let Some((t, rate)) = foreign {
        x.open(&format!("{p}_foreign_currency"))?;
        x.value("foreign_currency_code", &t.asset)?;
        x.value(
            "foreign_amount",
            &decimal(t.amount, &format!("transfers[{i}].amount"))?,
        )?;
        x.value(
            "foreign_exchange_rate",
            &decimal(rate.kzt_per_unit, &format!("the rate for {}", t.asset))?,
        )?;
        x.close(&format!("{p}_foreign_currency"))?;
    }
    let entry = report.account(account);
    let base = match entry {
        Some((n, _)) => format!("accounts[{n}]"),
        None => format!("accounts (no entry for {})", account.key()),
    };
    let entry = entry.map(|(_, e)| e);
    account_element(x, profile, &format!("{p}_account"), account, entry, &base)?;
    let code = match entry.and_then(|e| e.country.as_deref()) {
        Some(c) => country(c, &format!("{base}.country"), profile.unknown_country.as_deref())?,
        None => profile
            .unknown_country
            .clone()
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| {
                missing(format!(
                    "{base}.country (goAML {p}_country of {}; or the goAML profile's unknown_country)",
                    account.key()
                ))
            })?,
    };
    x.value(&format!("{p}_country"), &code)?;
    x.close(&element)
}

fn account_element(
    x: &mut Xml,
    profile: &GoamlProfile,
    element: &str,
    account: &AccountRef,
    entry: Option<&ReportAccount>,
    base: &str,
) -> Result<(), ExportError> {
    x.open(element)?;
    let wallet = account.kind == AccountKind::Wallet;
    match (
        entry.and_then(|e| e.institution.as_ref()),
        chain_label(account),
    ) {
        (Some(inst), _) => {
            x.text(
                "institution_name",
                &format!("{base}.institution.name"),
                inst.name.trim(),
                1,
                255,
            )?;
            match (
                inst.code.as_deref().filter(|c| !c.trim().is_empty()),
                inst.swift.as_deref().filter(|s| !s.trim().is_empty()),
            ) {
                (Some(code), _) => x.text(
                    "institution_code",
                    &format!("{base}.institution.code"),
                    code.trim(),
                    1,
                    50,
                )?,
                (None, Some(swift)) => x.text(
                    "swift",
                    &format!("{base}.institution.swift"),
                    swift.trim(),
                    1,
                    11,
                )?,
                (None, None) => {
                    return Err(missing(format!(
                        "{base}.institution.code or .swift (goAML institution_code or swift of {})",
                        account.key()
                    )));
                }
            }
        }
        (None, Some((words, code))) if wallet => {
            x.value("institution_name", &format!("{words} blockchain"))?;
            x.value("institution_code", &code)?;
        }
        (None, _) => {
            return Err(missing(format!(
                "{base}.institution (goAML institution_name: the bank or service that keeps {})",
                account.key()
            )));
        }
    }
    if wallet {
        x.value("non_bank_institution", "true")?;
    }
    x.text(
        "account",
        &format!("{base}.account"),
        &account.value,
        1,
        255,
    )?;
    if let Some(holder) = entry.and_then(|e| e.holder.as_ref()) {
        x.text(
            "account_name",
            &format!("{base}.holder.name"),
            holder.name.trim(),
            1,
            255,
        )?;
    }
    if account.kind == AccountKind::Iban {
        x.text("iban", &format!("{base}.account"), &account.value, 1, 34)?;
    }
    if let Some(code) = profile.account_type(account.kind) {
        x.value("personal_account_type", code)?;
    }
    if let Some(e) = entry {
        let mut note = format!("Role in this report: {}.", e.role.as_words());
        if let Some(h) = &e.holder {
            note.push_str(match h.kind {
                HolderKind::Person => " The holder named above is a person.",
                HolderKind::Entity => " The holder named above is an organisation.",
            });
        }
        x.value("comments", &note)?;
    }
    x.close(element)
}

/// The transfer in words: original amount and asset, chain, accounts,
/// time, and the rate with its source when converted.
fn describe(t: &ReportTransfer, rate: Option<&Rate>, chain: Option<&str>) -> String {
    let virtual_asset = !is_currency(&t.asset);
    let mut text = if virtual_asset {
        format!("Virtual-asset transfer of {} {}", t.amount, t.asset)
    } else {
        format!("Transfer of {} {}", t.amount, t.asset)
    };
    if let (true, Some(chain)) = (virtual_asset, chain) {
        text.push_str(&format!(" on the {chain} blockchain"));
    }
    text.push_str(&format!(
        " from {} {} to {} {} at {} UTC.",
        kind_words(t.from.kind),
        t.from.value,
        kind_words(t.to.kind),
        t.to.value,
        t.time.format("%Y-%m-%d %H:%M:%S")
    ));
    if let Some(r) = rate {
        text.push_str(&format!(
            " amount_local is the KZT equivalent at {} KZT per {} ({}{}).",
            r.kzt_per_unit,
            t.asset,
            r.source.trim(),
            r.date.map_or(String::new(), |d| format!(", rate of {d}"))
        ));
    }
    if virtual_asset {
        text.push_str(&format!(
            " goAML has no currency code for {}, so no foreign-currency element is given.",
            t.asset
        ));
    }
    text
}
