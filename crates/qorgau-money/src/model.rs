//! Accounts and transfers: what every importer produces and every red flag
//! reads.

use chrono::{DateTime, Utc};
use qorgau_identifiers::{Chain, is_card, kz_iban, validate_address};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::amount::Amount;

/// What kind of account money sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A crypto address (its chain beside it).
    Wallet,
    /// A payment card number (the dropper card of the study).
    Card,
    /// An IBAN.
    Iban,
    /// Any other bank account or counterparty as a statement names it
    /// (an account number, a name, a phone number of a transfer by phone).
    BankAccount,
}

/// An account as transfers name it, in canonical form so that the same
/// account written twice is one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccountRef {
    /// Kind.
    pub kind: AccountKind,
    /// Chain, for wallets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<Chain>,
    /// Canonical value: address in its canonical form, card digits, IBAN
    /// upper-case without spaces, other accounts trimmed.
    pub value: String,
}

impl AccountRef {
    /// A wallet on `chain`, validated (checksum and all) against it.
    pub fn wallet(address: &str, chain: Chain) -> Option<AccountRef> {
        let address = address.trim();
        // An Ethereum address of digits only (the null address that mints
        // come from) has no letters to carry a checksum; the text extractor
        // refuses it as likely a number, but in an explorer's From column it
        // is an address.
        if chain == Chain::Eth
            && address.len() == 42
            && address.starts_with("0x")
            && address[2..].bytes().all(|b| b.is_ascii_digit())
        {
            return Some(AccountRef {
                kind: AccountKind::Wallet,
                chain: Some(chain),
                value: address.to_owned(),
            });
        }
        let (found, canonical) = validate_address(address)?;
        (found == chain).then_some(AccountRef {
            kind: AccountKind::Wallet,
            chain: Some(chain),
            value: canonical,
        })
    }

    /// What a bank statement names: a card (Luhn-valid digits, spaces and
    /// dashes allowed; masked numbers such as `4400 43** **** 1234` stay
    /// bank accounts, they identify nothing on their own), a Kazakh IBAN, or
    /// any other account as written.
    pub fn bank(text: &str) -> Option<AccountRef> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let compact: String = t.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if compact.bytes().all(|b| b.is_ascii_digit()) && is_card(&compact) {
            return Some(AccountRef {
                kind: AccountKind::Card,
                chain: None,
                value: compact,
            });
        }
        if let Some(iban) = kz_iban(&compact) {
            return Some(AccountRef {
                kind: AccountKind::Iban,
                chain: None,
                value: iban,
            });
        }
        Some(AccountRef {
            kind: AccountKind::BankAccount,
            chain: None,
            value: t.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }

    /// An identifier as the detection engine (`qorgau scan`: `card`,
    /// `iban`, `crypto`) or a case's keys (`card`, `iban`, `wallet`) name
    /// it, when it is an account: how ads and cases meet the money.
    pub fn from_identifier(kind: &str, value: &str) -> Option<AccountRef> {
        match kind {
            "card" | "iban" => {
                AccountRef::bank(value).filter(|a| a.kind != AccountKind::BankAccount)
            }
            "crypto" | "wallet" => {
                let (chain, _) = validate_address(value.trim())?;
                AccountRef::wallet(value, chain)
            }
            _ => None,
        }
    }

    /// `wallet:tron:T…`, `card:4400…`: one text key per account.
    pub fn key(&self) -> String {
        match self.chain {
            Some(c) => format!("wallet:{}:{}", chain_name(c), self.value),
            None => format!("{}:{}", self.kind.as_str(), self.value),
        }
    }
}

impl AccountRef {
    /// Reads back what [`AccountRef::key`] wrote.
    pub fn from_key(key: &str) -> Option<AccountRef> {
        let (kind, rest) = key.split_once(':')?;
        let kind = match kind {
            "wallet" => {
                let (chain, value) = rest.split_once(':')?;
                let chain = [
                    Chain::Btc,
                    Chain::Eth,
                    Chain::Tron,
                    Chain::Ltc,
                    Chain::Xmr,
                    Chain::Zec,
                    Chain::Ton,
                ]
                .into_iter()
                .find(|c| chain_name(*c) == chain)?;
                return Some(AccountRef {
                    kind: AccountKind::Wallet,
                    chain: Some(chain),
                    value: value.to_owned(),
                });
            }
            "card" => AccountKind::Card,
            "iban" => AccountKind::Iban,
            "bank_account" => AccountKind::BankAccount,
            _ => return None,
        };
        Some(AccountRef {
            kind,
            chain: None,
            value: rest.to_owned(),
        })
    }
}

impl AccountRef {
    /// An account as a person types it: a key (`card:…`, `wallet:btc:…`,
    /// `bank_account:NAME`), a wallet address (valid checksum), a
    /// Luhn-valid card number or a Kazakh IBAN; `None` for anything else.
    ///
    /// A key is taken only when its value is already canonical and valid
    /// for its kind (`card:` Luhn-valid digits, `wallet:` an address of
    /// that chain, `bank_account:` not a card or IBAN in disguise), so
    /// that what a person links by hand is the same account an import or
    /// an ad names — [`AccountRef::from_key`] alone trusts its input, as it
    /// reads back what was stored.
    pub fn parse_input(text: &str) -> Option<AccountRef> {
        let t = text.trim();
        if let Some(a) = AccountRef::from_key(t).filter(|a| a.key() == t) {
            let again = match (a.kind, a.chain) {
                (AccountKind::Wallet, Some(chain)) => AccountRef::wallet(&a.value, chain),
                (AccountKind::Wallet, None) => None,
                (AccountKind::Card, _) => AccountRef::from_identifier("card", &a.value),
                (AccountKind::Iban, _) => AccountRef::from_identifier("iban", &a.value),
                (AccountKind::BankAccount, _) => AccountRef::bank(&a.value),
            };
            return again.filter(|b| *b == a);
        }
        AccountRef::from_identifier("wallet", t)
            .or_else(|| AccountRef::from_identifier("card", t))
            .or_else(|| AccountRef::from_identifier("iban", t))
    }
}

impl AccountKind {
    /// The name used in keys and output.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Wallet => "wallet",
            AccountKind::Card => "card",
            AccountKind::Iban => "iban",
            AccountKind::BankAccount => "bank_account",
        }
    }
}

/// The chain's name as the scan output writes it.
pub fn chain_name(chain: Chain) -> &'static str {
    match chain {
        Chain::Btc => "btc",
        Chain::Eth => "eth",
        Chain::Tron => "tron",
        Chain::Ltc => "ltc",
        Chain::Xmr => "xmr",
        Chain::Zec => "zec",
        Chain::Ton => "ton",
    }
}

/// Where a transfer was imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// Tronscan's TRC-20 transfers CSV.
    TronCsv,
    /// Etherscan's ERC-20 token transfers CSV.
    Erc20Csv,
    /// A bank statement CSV with a column mapping.
    BankCsv,
    /// Bitcoin transactions as JSON (Bitcoin Core verbose or Esplora);
    /// the transfers are derived (see `bitcoin`).
    BtcJson,
}

impl SourceFormat {
    /// Reads a name written by [`SourceFormat::as_str`].
    pub fn parse(text: &str) -> Option<SourceFormat> {
        [
            SourceFormat::TronCsv,
            SourceFormat::Erc20Csv,
            SourceFormat::BankCsv,
            SourceFormat::BtcJson,
        ]
        .into_iter()
        .find(|f| f.as_str() == text)
    }

    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::TronCsv => "tron-csv",
            SourceFormat::Erc20Csv => "erc20-csv",
            SourceFormat::BankCsv => "bank-csv",
            SourceFormat::BtcJson => "btc-json",
        }
    }
}

/// One movement of value from one account to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The transaction's id where the source gives one (hash, bank
    /// reference).
    pub tx_id: Option<String>,
    /// When (UTC).
    pub time: DateTime<Utc>,
    /// Sender.
    pub from: AccountRef,
    /// Receiver.
    pub to: AccountRef,
    /// How much (never negative: direction is from → to).
    #[serde(with = "amount_text")]
    pub amount: Amount,
    /// Asset or currency: `USDT`, `KZT`, a token contract when no symbol.
    pub asset: String,
    /// Where it came from.
    pub source: SourceFormat,
    /// The line of the file it was read from (1-based, the header is 1).
    pub line: u64,
}

impl Transfer {
    /// The identity of a transfer across imports: the same movement read
    /// again from another export of the same account (or the same file
    /// twice) has the same key. Lines are not part of it.
    pub fn dedup_key(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.tx_id.as_deref().unwrap_or(""),
            &self.time.timestamp().to_string(),
            &self.from.key(),
            &self.to.key(),
            &self.amount.atoms().to_string(),
            &self.asset,
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex::encode(h.finalize())
    }
}

mod amount_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::amount::Amount;

    pub fn serialize<S: Serializer>(a: &Amount, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&a.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let text = String::deserialize(d)?;
        Amount::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_canonical() {
        let card = AccountRef::bank("4400 4301 2345 6789").unwrap();
        assert_eq!(card.kind, AccountKind::Card);
        assert_eq!(card.key(), "card:4400430123456789");
        assert_eq!(AccountRef::from_key(&card.key()), Some(card.clone()));
        let masked = AccountRef::bank("4400 43** **** 6789").unwrap();
        assert_eq!(AccountRef::from_key(&masked.key()), Some(masked.clone()));
        assert_eq!(masked.kind, AccountKind::BankAccount);
        let not_luhn = AccountRef::bank("4400430123456782").unwrap();
        assert_eq!(not_luhn.kind, AccountKind::BankAccount);
        assert!(AccountRef::bank("  ").is_none());
        let null = AccountRef::wallet("0x0000000000000000000000000000000000000000", Chain::Eth);
        assert_eq!(
            null.unwrap().key(),
            "wallet:eth:0x0000000000000000000000000000000000000000"
        );
        let usdt = AccountRef::wallet("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", Chain::Tron).unwrap();
        assert_eq!(usdt.key(), "wallet:tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
        assert_eq!(AccountRef::from_key(&usdt.key()), Some(usdt.clone()));
        assert_eq!(AccountRef::from_key("purse:1"), None);
        assert_eq!(
            AccountRef::from_identifier("crypto", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            Some(usdt.clone())
        );
        assert_eq!(
            AccountRef::from_identifier("wallet", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            Some(usdt.clone())
        );
        assert_eq!(
            AccountRef::from_identifier("card", "4400 4301 2345 6789"),
            Some(card.clone())
        );
        assert_eq!(
            AccountRef::from_identifier("card", "4400 4301 2345 6782"),
            None
        );
        assert_eq!(AccountRef::from_identifier("phone", "+77011234567"), None);
        // What a person types: keys only when valid and canonical.
        let input = |t: &str| AccountRef::parse_input(t);
        assert_eq!(input(" 4400 4301 2345 6789 "), Some(card.clone()));
        assert_eq!(input("card:4400430123456789"), Some(card.clone()));
        assert_eq!(
            input("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            Some(usdt.clone())
        );
        assert_eq!(input(&usdt.key()), Some(usdt.clone()));
        assert_eq!(input("card:4400430123456782"), None, "not Luhn-valid");
        assert_eq!(input("wallet:btc:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"), None);
        assert_eq!(
            input("wallet:tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"),
            None
        );
        assert_eq!(
            input("bank_account:4400430123456789"),
            None,
            "a card in disguise"
        );
        assert_eq!(input(&masked.key()), Some(masked.clone()));
        assert_eq!(input("bank_account:"), None);
        assert_eq!(
            input("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"),
            None,
            "bad checksum"
        );
        assert_eq!(input("+77011234567"), None);
        assert!(AccountRef::wallet("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u", Chain::Tron).is_none());
        assert!(
            AccountRef::wallet("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", Chain::Eth).is_none(),
            "a TRON address is not an Ethereum one"
        );
    }
}
