//! Block-explorer exports: Tronscan's TRC-20 transfers and Etherscan's
//! ERC-20 token transfers, by the column names their CSVs have carried
//! over the years (both sites have renamed columns; any of the names is
//! accepted).

use csv::StringRecord;
use qorgau_identifiers::Chain;

use super::ImportError;
use super::columns::{Header, field};
use super::time::parse_time;
use crate::amount::Amount;
use crate::model::{AccountRef, SourceFormat, Transfer};

/// USDT's TRC-20 contract: Tronscan's `Token` column often holds the
/// contract rather than the symbol.
pub const USDT_TRC20: &str = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
/// USDT's ERC-20 contract.
pub const USDT_ERC20: &str = "0xdac17f958d2ee523a2206206994597c13d831ec7";

struct Columns {
    tx: Option<usize>,
    time: usize,
    from: usize,
    to: usize,
    amount: usize,
    asset: Option<usize>,
}

/// Addresses already checked: an export names the same few wallets on
/// most rows, and checking a checksum (base58 and two SHA-256 rounds) is
/// most of the cost of a row. Bounded: cleared when it grows past a
/// million entries.
#[derive(Default)]
struct Checked(std::collections::HashMap<String, Option<AccountRef>, foldhash::fast::RandomState>);

impl Checked {
    fn wallet(&mut self, text: &str, chain: Chain) -> Option<AccountRef> {
        if let Some(found) = self.0.get(text) {
            return found.clone();
        }
        if self.0.len() >= 1_000_000 {
            self.0.clear();
        }
        let found = AccountRef::wallet(text, chain);
        self.0.insert(text.to_owned(), found.clone());
        found
    }
}

fn wallet(
    checked: &mut Checked,
    record: &StringRecord,
    header: &Header,
    index: usize,
    chain: Chain,
) -> Result<AccountRef, String> {
    let text = field(record, header, index)?;
    checked.wallet(text, chain).ok_or_else(|| {
        format!(
            "column {:?}: {text:?} is not a valid {} address (checksum)",
            header.name(index),
            crate::model::chain_name(chain)
        )
    })
}

fn asset_name(text: &str) -> String {
    let t = text.trim();
    if t.contains(USDT_TRC20) || t.eq_ignore_ascii_case(USDT_ERC20) {
        return "USDT".into();
    }
    // "Tether USD (USDT)" → USDT
    if let (Some(open), Some(close)) = (t.rfind('('), t.rfind(')'))
        && open < close
    {
        return t[open + 1..close].trim().to_uppercase();
    }
    t.to_uppercase()
}

#[allow(clippy::too_many_arguments)]
fn row(
    checked: &mut Checked,
    c: &Columns,
    header: &Header,
    record: &StringRecord,
    line: u64,
    chain: Chain,
    source: SourceFormat,
    default_asset: &str,
) -> Result<Transfer, String> {
    let time_text = field(record, header, c.time)?;
    let time = parse_time(time_text, chrono_tz::UTC)
        .map_err(|e| format!("column {:?}: {e}", header.name(c.time)))?;
    let amount_text = field(record, header, c.amount)?;
    let amount = Amount::parse(amount_text)
        .map_err(|e| format!("column {:?}: {e}", header.name(c.amount)))?;
    if amount.is_negative() {
        return Err(format!(
            "column {:?}: {amount_text:?} is negative; an explorer's transfer has a direction, not a sign",
            header.name(c.amount)
        ));
    }
    let asset = c
        .asset
        .and_then(|i| record.get(i))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(asset_name)
        .unwrap_or_else(|| default_asset.to_owned());
    Ok(Transfer {
        tx_id: c
            .tx
            .and_then(|i| record.get(i))
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty()),
        time,
        from: wallet(checked, record, header, c.from, chain)?,
        to: wallet(checked, record, header, c.to, chain)?,
        amount,
        asset,
        source,
        line,
    })
}

/// Tronscan's transfers CSV: `Time(UTC)`, `From`, `To`, `Amount/TokenID`,
/// `Token`, and the transaction hash.
pub(crate) fn tron(
    header: &Header,
) -> Result<impl FnMut(&StringRecord, u64) -> Result<Transfer, String> + use<>, ImportError> {
    const F: &str = "Tronscan transfers CSV";
    let c = Columns {
        tx: header.find(&[
            "Transaction ID",
            "Hash",
            "Transaction Hash",
            "TxID",
            "Txn Hash",
        ]),
        time: header.require(
            "time",
            &["Time(UTC)", "Time (UTC)", "Block Time", "Time", "Timestamp"],
            F,
        )?,
        from: header.require("sender", &["From", "From Address"], F)?,
        to: header.require("receiver", &["To", "To Address"], F)?,
        amount: header.require(
            "amount",
            &["Amount/TokenID", "Amount", "Quantity", "Value"],
            F,
        )?,
        asset: header.find(&["Token", "Token Symbol", "Symbol", "Token Name"]),
    };
    let header = header.clone();
    let mut checked = Checked::default();
    Ok(move |record: &StringRecord, line: u64| {
        row(
            &mut checked,
            &c,
            &header,
            record,
            line,
            Chain::Tron,
            SourceFormat::TronCsv,
            "TRC20",
        )
    })
}

/// Etherscan's ERC-20 token transfers CSV: `Txhash`/`Transaction Hash`,
/// `UnixTimestamp` or `DateTime (UTC)`, `From`, `To`, `TokenValue` or
/// `Quantity`, `TokenSymbol` or `ContractAddress`.
pub(crate) fn erc20(
    header: &Header,
) -> Result<impl FnMut(&StringRecord, u64) -> Result<Transfer, String> + use<>, ImportError> {
    const F: &str = "Etherscan ERC-20 transfers CSV";
    let c = Columns {
        tx: header.find(&["Txhash", "Transaction Hash", "Hash", "Txn Hash"]),
        time: header.require(
            "time",
            &[
                "UnixTimestamp",
                "DateTime (UTC)",
                "DateTime",
                "Date Time (UTC)",
            ],
            F,
        )?,
        from: header.require("sender", &["From"], F)?,
        to: header.require("receiver", &["To"], F)?,
        amount: header.require(
            "amount",
            &["TokenValue", "Token Value", "Quantity", "Value", "Amount"],
            F,
        )?,
        asset: header.find(&["TokenSymbol", "Token Symbol", "ContractAddress", "Token"]),
    };
    let header = header.clone();
    let mut checked = Checked::default();
    Ok(move |record: &StringRecord, line: u64| {
        row(
            &mut checked,
            &c,
            &header,
            record,
            line,
            Chain::Eth,
            SourceFormat::Erc20Csv,
            "ERC20",
        )
    })
}
