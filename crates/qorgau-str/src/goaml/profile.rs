//! The FIU's goAML lookup codes.
//!
//! goAML fixes the structure of a report but each FIU fills the code lists
//! (funds types, transaction modes, account types, indicators, address
//! types) with its own values and publishes them in its copy of the schema.
//! The same letter means different things at different FIUs, so the codes
//! are deployment settings the administrator copies from the FIU's schema,
//! never defaults of this crate; a code the export needs and the profile
//! lacks is an error that names it.

use std::collections::BTreeMap;

use qorgau_money::AccountKind;
use serde::{Deserialize, Serialize};

use crate::error::ExportError;

/// The codes one FIU's goAML lookups use, as far as Qorgau needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoamlProfile {
    /// `address_type` (contact type lookup) of the reporting agency's
    /// address: the code for a business/work address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_type: Option<String>,
    /// `from_funds_code`/`to_funds_code` (funds type lookup) of transfers
    /// between bank accounts and cards: the code for electronic funds
    /// transfers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_fiat: Option<String>,
    /// The funds type code for virtual assets (e.g. a "cryptocurrencies"
    /// code where the FIU has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_virtual: Option<String>,
    /// `transmode_code` (conduction type lookup) of a transfer involving a
    /// payment card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmode_card: Option<String>,
    /// `transmode_code` of other bank transfers (IBAN, account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmode_bank: Option<String>,
    /// `transmode_code` of a virtual-asset transfer (e.g. a "digital
    /// assets wallet" code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmode_virtual: Option<String>,
    /// `personal_account_type` (account type lookup) per kind of account
    /// (`card`, `iban`, `bank_account`, `wallet`); optional in goAML, so a
    /// kind left out is simply not typed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub account_types: BTreeMap<String, String>,
    /// The country code the FIU's lookup keeps for "unknown" (the UNODC
    /// code lists have `-`), written for accounts whose country the case does not
    /// know (most wallets). Without it such an account is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_country: Option<String>,
    /// `report_indicators` codes per indicator kind (`fan_in` → the FIU's
    /// code for it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<String, String>,
}

impl GoamlProfile {
    /// The code in `value`, or an error naming the profile key.
    pub(crate) fn code<'a>(
        value: &'a Option<String>,
        key: &str,
        what: &str,
    ) -> Result<&'a str, ExportError> {
        value
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ExportError::Missing {
                format: super::FORMAT,
                field: format!("the goAML profile's {key} ({what})"),
            })
    }

    /// The account type code for `kind`, when the profile has one.
    pub(crate) fn account_type(&self, kind: AccountKind) -> Option<&str> {
        self.account_types.get(kind.as_str()).map(String::as_str)
    }

    /// The indicator code for `kind`.
    pub(crate) fn indicator(&self, kind: &str) -> Result<&str, ExportError> {
        self.indicators
            .get(kind)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ExportError::Missing {
                format: super::FORMAT,
                field: format!(
                    "the goAML profile's indicators.{kind} (the FIU's report_indicators code for the indicator {kind:?})"
                ),
            })
    }
}
