//! The suspicious-transaction report as an analyst fills it from a case.
//!
//! One model for every exporter: what the case knows (who reports, why,
//! which accounts and transfers, which red flags) and nothing a format
//! would have to make up. Fields a format needs but the case may not know
//! (the FIU's id of the reporting agency, the bank behind a card) are
//! `Option`s, so the exporter that needs them can name what is missing
//! instead of inventing it.
//!
//! Accounts are written by their [`AccountRef::key`] (`card:4400…`,
//! `wallet:tron:T…`) and amounts and rates as exact decimal text, so the
//! JSON form neither rounds a sum nor depends on how `qorgau-money` lays out
//! its own types.

use chrono::{DateTime, NaiveDate, Utc};
use qorgau_money::{AccountRef, Amount, Flag, Transfer};
use serde::{Deserialize, Serialize};

use crate::error::ExportError;

/// A suspicious-transaction report: the unit every exporter writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspiciousReport {
    /// The reporting agency's own reference for this report (goAML
    /// `entity_reference`), so the FIU's answer can be matched to it.
    pub reference: String,
    /// The case the report comes from, so the report leads back to the
    /// evidence behind it.
    pub case_reference: String,
    /// The day the report is submitted (the FIU counts deadlines from it).
    pub submission_date: NaiveDate,
    /// Who reports, and who answers the FIU's questions.
    pub reporting_entity: ReportingEntity,
    /// Why the transactions are suspicious, in the analyst's words: the
    /// FIU reads this first.
    pub reason: String,
    /// What the reporting agency has done or will do (blocked, referred),
    /// when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The red flags behind the suspicion, each with its explanation.
    pub indicators: Vec<Indicator>,
    /// The accounts involved, with their role and what is known of them.
    pub accounts: Vec<ReportAccount>,
    /// The transfers reported.
    pub transfers: Vec<ReportTransfer>,
    /// Conversion rates to KZT for every asset that is not KZT: formats in
    /// local currency need them, and they are given, never looked up.
    #[serde(default)]
    pub rates: Vec<Rate>,
}

/// The agency that reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingEntity {
    /// Name of the agency (police department, prosecutor's office, NGO).
    pub agency_name: String,
    /// The agency's id in Qorgau, so a report can be traced to its author.
    pub agency_id: String,
    /// The id the FIU assigned the agency when it registered as a
    /// reporting entity (goAML `rentity_id`); only the FIU can give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiu_entity_id: Option<String>,
    /// The agency's branch or unit as registered with the FIU (goAML
    /// `rentity_branch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Where the agency is (goAML `location`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The officer the FIU contacts about the report.
    pub officer: ContactOfficer,
}

/// The person who answers for the report (an official's work contact, not
/// personal data of a subject).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactOfficer {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Rank or position, so the FIU knows whom it deals with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Work e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Work phone, as written (goAML needs it split into prefix and number,
    /// so the goAML exporter leaves it out rather than guess the split).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A postal address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street and building.
    pub street: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code (`KZ`).
    pub country: String,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Region (oblast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// One red flag as reported: a reason to look, with the words that say
/// what was seen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The pattern (`fan_in`, `pass_through`, `structuring`, or an
    /// analyst's own); formats with coded indicators map it to a code.
    pub kind: String,
    /// The account it is about, when it is about one.
    #[serde(
        default,
        with = "option_account_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<AccountRef>,
    /// The asset it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// 0–1: how strongly the pattern shows, when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Indexes into [`SuspiciousReport::transfers`] of the transfers behind it.
    #[serde(default)]
    pub transfers: Vec<usize>,
    /// The time window it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// What was seen, in words a person can check.
    pub explanation: String,
}

/// A span of time, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Start.
    pub from: DateTime<Utc>,
    /// End.
    pub until: DateTime<Utc>,
}

/// What an account is in the scheme, as far as the case shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    /// Collects and passes on money for others: the dropper card or
    /// wallet the report is mostly about.
    SuspectedDropper,
    /// Sends money into the scheme (often a victim paying a "fee").
    Sender,
    /// Receives money out of the scheme.
    Receiver,
}

impl AccountRole {
    /// The role in words, for narrative fields.
    pub fn as_words(self) -> &'static str {
        match self {
            AccountRole::SuspectedDropper => "suspected dropper",
            AccountRole::Sender => "sender",
            AccountRole::Receiver => "receiver",
        }
    }
}

/// An account involved, with what the case knows of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportAccount {
    /// The account, canonical.
    #[serde(with = "account_key")]
    pub account: AccountRef,
    /// Its role.
    pub role: AccountRole,
    /// Who holds it, when known (a bank's answer, a VASP's record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<Holder>,
    /// The bank or virtual-asset service provider that keeps it, when
    /// known; formats that describe accounts need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<Institution>,
    /// ISO 3166-1 alpha-2 code of the country the account is kept in,
    /// when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Whether a holder is a person or an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderKind {
    /// A natural person.
    Person,
    /// A company or other organisation.
    Entity,
}

/// The holder of an account as the case names them: free text, because
/// that is how a bank's answer or a VASP's record gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// Person or entity.
    pub kind: HolderKind,
    /// The name as given.
    pub name: String,
}

/// A bank or virtual-asset service provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    /// Its name.
    pub name: String,
    /// Its national code (a Kazakh bank's BIC/bank code, a VASP's
    /// registration number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Its SWIFT/BIC code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swift: Option<String>,
}

/// One transfer reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportTransfer {
    /// The transaction's id at its source (chain hash, bank reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_id: Option<String>,
    /// When (UTC).
    pub time: DateTime<Utc>,
    /// Sender.
    #[serde(with = "account_key")]
    pub from: AccountRef,
    /// Receiver.
    #[serde(with = "account_key")]
    pub to: AccountRef,
    /// How much, exactly.
    #[serde(with = "decimal")]
    pub amount: Amount,
    /// Currency or asset (`KZT`, `USD`, `USDT`).
    pub asset: String,
}

impl From<&Transfer> for ReportTransfer {
    fn from(t: &Transfer) -> Self {
        ReportTransfer {
            tx_id: t.tx_id.clone(),
            time: t.time,
            from: t.from.clone(),
            to: t.to.clone(),
            amount: t.amount,
            asset: t.asset.clone(),
        }
    }
}

/// How many KZT one unit of an asset was worth, as the analyst took it
/// (the National Bank's rate for currencies, an exchange's price for
/// crypto) and says where from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// The asset (`USDT`, `USD`).
    pub asset: String,
    /// KZT for one unit, exact.
    #[serde(with = "decimal")]
    pub kzt_per_unit: Amount,
    /// The day (UTC) the rate is for; without one it applies to every
    /// transfer of the asset that has no rate of its own day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Where the rate comes from, so the conversion can be checked.
    pub source: String,
}

impl SuspiciousReport {
    /// An empty report with what every report has; accounts, transfers
    /// and indicators are added after.
    pub fn new(
        reference: impl Into<String>,
        case_reference: impl Into<String>,
        submission_date: NaiveDate,
        reporting_entity: ReportingEntity,
        reason: impl Into<String>,
    ) -> SuspiciousReport {
        SuspiciousReport {
            reference: reference.into(),
            case_reference: case_reference.into(),
            submission_date,
            reporting_entity,
            reason: reason.into(),
            action: None,
            indicators: Vec::new(),
            accounts: Vec::new(),
            transfers: Vec::new(),
            rates: Vec::new(),
        }
    }

    /// Adds transfers and the red flags found in them (the flags must have
    /// been computed on exactly this `transfers` slice: their indexes point
    /// into it). Flagged accounts become suspected droppers; other senders
    /// and receivers are listed with those roles unless already listed.
    pub fn add_money(&mut self, transfers: &[Transfer], flags: &[Flag]) {
        let offset = self.transfers.len();
        self.transfers
            .extend(transfers.iter().map(ReportTransfer::from));
        for flag in flags {
            self.set_role(&flag.account, AccountRole::SuspectedDropper, true);
            self.indicators.push(Indicator {
                kind: flag.kind.as_str().to_owned(),
                account: Some(flag.account.clone()),
                asset: Some(flag.asset.clone()),
                score: Some(flag.score),
                transfers: flag
                    .transfers
                    .iter()
                    .filter(|&&i| i < transfers.len())
                    .map(|i| i + offset)
                    .collect(),
                window: Some(Window {
                    from: flag.from,
                    until: flag.until,
                }),
                explanation: flag.explanation.clone(),
            });
        }
        for t in transfers {
            self.set_role(&t.from, AccountRole::Sender, false);
            self.set_role(&t.to, AccountRole::Receiver, false);
        }
    }

    fn set_role(&mut self, account: &AccountRef, role: AccountRole, overwrite: bool) {
        match self.accounts.iter_mut().find(|a| &a.account == account) {
            Some(a) if overwrite => a.role = role,
            Some(_) => {}
            None => self.accounts.push(ReportAccount {
                account: account.clone(),
                role,
                holder: None,
                institution: None,
                country: None,
            }),
        }
    }

    /// The entry for `account` and its index in [`SuspiciousReport::accounts`].
    pub fn account(&self, account: &AccountRef) -> Option<(usize, &ReportAccount)> {
        self.accounts
            .iter()
            .enumerate()
            .find(|(_, a)| &a.account == account)
    }

    /// The entry for `account`, to fill in holder, institution or country.
    pub fn account_mut(&mut self, account: &AccountRef) -> Option<&mut ReportAccount> {
        self.accounts.iter_mut().find(|a| &a.account == account)
    }

    /// The rate for `asset` on `date`: the one of that day, else the one
    /// without a day.
    pub fn rate_for(&self, asset: &str, date: NaiveDate) -> Option<&Rate> {
        let mut undated = None;
        for r in self.rates.iter().filter(|r| r.asset == asset) {
            match r.date {
                Some(d) if d == date => return Some(r),
                None => undated = undated.or(Some(r)),
                Some(_) => {}
            }
        }
        undated
    }

    /// Checks what every format relies on: indicators point at transfers
    /// that exist, rates are positive and not given twice for a day, and
    /// amounts are not negative (direction is from → to).
    pub fn check(&self) -> Result<(), ExportError> {
        for (i, ind) in self.indicators.iter().enumerate() {
            if let Some(&bad) = ind.transfers.iter().find(|&&t| t >= self.transfers.len()) {
                return Err(ExportError::Invalid {
                    field: format!("indicators[{i}].transfers"),
                    reason: format!(
                        "points at transfer {bad}, but the report has {}",
                        self.transfers.len()
                    ),
                });
            }
        }
        for (i, t) in self.transfers.iter().enumerate() {
            if t.amount.is_negative() {
                return Err(ExportError::Invalid {
                    field: format!("transfers[{i}].amount"),
                    reason: "is negative; a transfer's direction is from → to".into(),
                });
            }
        }
        for (i, r) in self.rates.iter().enumerate() {
            if r.kzt_per_unit <= Amount::ZERO {
                return Err(ExportError::Invalid {
                    field: format!("rates[{i}].kzt_per_unit"),
                    reason: format!("{} is not a positive rate", r.kzt_per_unit),
                });
            }
            if self.rates[..i]
                .iter()
                .any(|o| o.asset == r.asset && o.date == r.date)
            {
                return Err(ExportError::Invalid {
                    field: format!("rates[{i}]"),
                    reason: format!("a second rate for {} on the same day", r.asset),
                });
            }
        }
        Ok(())
    }
}

/// Accounts as their key text (`card:4400…`).
pub(crate) mod account_key {
    use qorgau_money::AccountRef;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(a: &AccountRef, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&a.key())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<AccountRef, D::Error> {
        let key = String::deserialize(d)?;
        AccountRef::from_key(&key).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{key:?} is not an account key (card:…, iban:…, bank_account:…, wallet:<chain>:…)"
            ))
        })
    }
}

/// Optional accounts as their key text.
pub(crate) mod option_account_key {
    use qorgau_money::AccountRef;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(a: &Option<AccountRef>, s: S) -> Result<S::Ok, S::Error> {
        match a {
            Some(a) => super::account_key::serialize(a, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<AccountRef>, D::Error> {
        #[derive(Deserialize)]
        struct Key(#[serde(with = "super::account_key")] AccountRef);
        Ok(Option::<Key>::deserialize(d)?.map(|k| k.0))
    }
}

/// Exact amounts as decimal text (`"1234.5"`), never JSON numbers.
pub(crate) mod decimal {
    use qorgau_money::Amount;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(a: &Amount, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&a.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let text = String::deserialize(d)?;
        // Only the form `Display` writes: digits, one optional '.', an
        // optional leading '-'; no grouping, so "1,234" is refused rather
        // than read in one of its two meanings.
        let body = text.strip_prefix('-').unwrap_or(&text);
        let plain = !body.is_empty()
            && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && body.bytes().filter(|&b| b == b'.').count() <= 1
            && !body.starts_with('.')
            && !body.ends_with('.');
        if !plain {
            return Err(serde::de::Error::custom(format!(
                "{text:?} is not a plain decimal (digits and one '.')"
            )));
        }
        Amount::parse(&text).map_err(serde::de::Error::custom)
    }
}
