//! Bank statements: every bank exports its own columns, so the analyst
//! names them (`--map 'time=Дата,from=Отправитель,to=Получатель,amount=Сумма,currency=Валюта'`),
//! once per bank as a saved profile.

use chrono_tz::Tz;
use csv::StringRecord;

use super::ImportError;
use super::columns::{Header, field};
use super::time::parse_time;
use crate::amount::Amount;
use crate::model::{AccountRef, SourceFormat, Transfer};

/// Which columns of a statement hold what.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnMap {
    /// Date and time of the operation.
    pub time: String,
    /// Sender (card, IBAN or account).
    pub from: String,
    /// Receiver.
    pub to: String,
    /// Amount. The sender and receiver columns give the direction; a sign
    /// (statements write debits negative) is dropped.
    pub amount: String,
    /// The currency's column, or a fixed currency written `=KZT`.
    pub currency: String,
    /// The operation's reference, if the statement has one.
    pub tx: Option<String>,
    /// The zone the statement's times are in (default Asia/Almaty).
    pub zone: Tz,
}

/// A mapping that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--map: {0}")]
pub struct MapError(pub String);

impl ColumnMap {
    /// Parses `time=COL,from=COL,to=COL,amount=COL,currency=COL` with
    /// optional `tx=COL` and `tz=ZONE`; `currency==KZT` fixes the currency.
    pub fn parse(text: &str) -> Result<ColumnMap, MapError> {
        let mut slots: [(&str, Option<String>); 7] = [
            ("time", None),
            ("from", None),
            ("to", None),
            ("amount", None),
            ("currency", None),
            ("tx", None),
            ("tz", None),
        ];
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| MapError(format!("{part:?} is not KEY=COLUMN")))?;
            let key = key.trim();
            let slot = slots.iter_mut().find(|(k, _)| *k == key).ok_or_else(|| {
                MapError(format!(
                    "unknown key {key:?} (keys: time, from, to, amount, currency, tx, tz)"
                ))
            })?;
            if slot.1.is_some() {
                return Err(MapError(format!("{key:?} is given twice")));
            }
            let value = value.trim();
            if value.is_empty() {
                return Err(MapError(format!("{key:?} names no column")));
            }
            slot.1 = Some(value.to_owned());
        }
        let mut take = |key: &str| {
            slots
                .iter_mut()
                .find(|(k, _)| *k == key)
                .and_then(|s| s.1.take())
        };
        let need = |v: Option<String>, key: &str| {
            v.ok_or_else(|| MapError(format!("{key}=COLUMN is required")))
        };
        let time = need(take("time"), "time")?;
        let from = need(take("from"), "from")?;
        let to = need(take("to"), "to")?;
        let amount = need(take("amount"), "amount")?;
        let currency = need(take("currency"), "currency")?;
        let tx = take("tx");
        let zone = match take("tz") {
            None => chrono_tz::Asia::Almaty,
            Some(z) => z.parse::<Tz>().map_err(|_| {
                MapError(format!(
                    "tz={z:?} is not a time zone (e.g. Asia/Almaty, UTC)"
                ))
            })?,
        };
        Ok(ColumnMap {
            time,
            from,
            to,
            amount,
            currency,
            tx,
            zone,
        })
    }
}

enum Currency {
    Column(usize),
    Fixed(String),
}

pub(crate) fn reader(
    header: &Header,
    map: &ColumnMap,
) -> Result<impl FnMut(&StringRecord, u64) -> Result<Transfer, String> + use<>, ImportError> {
    const F: &str = "bank statement (as mapped by --map)";
    let column = |what: &str, name: &str| header.require(what, &[name], F);
    let time = column("time", &map.time)?;
    let from = column("from", &map.from)?;
    let to = column("to", &map.to)?;
    let amount = column("amount", &map.amount)?;
    let currency = match map.currency.strip_prefix('=') {
        Some(fixed) => Currency::Fixed(fixed.trim().to_uppercase()),
        None => Currency::Column(column("currency", &map.currency)?),
    };
    let tx = match &map.tx {
        Some(name) => Some(column("tx", name)?),
        None => None,
    };
    let zone = map.zone;
    let header = header.clone();
    Ok(move |record: &StringRecord, line: u64| {
        let time_text = field(record, &header, time)?;
        let at = parse_time(time_text, zone)
            .map_err(|e| format!("column {:?}: {e}", header.name(time)))?;
        let amount_text = field(record, &header, amount)?;
        let value = Amount::parse(amount_text)
            .map_err(|e| format!("column {:?}: {e}", header.name(amount)))?;
        let account = |i: usize| -> Result<AccountRef, String> {
            AccountRef::bank(field(record, &header, i)?)
                .ok_or_else(|| format!("column {:?} is empty", header.name(i)))
        };
        let (sender, receiver) = (account(from)?, account(to)?);
        let asset = match &currency {
            Currency::Fixed(c) => c.clone(),
            Currency::Column(i) => field(record, &header, *i)?.to_uppercase(),
        };
        Ok(Transfer {
            tx_id: tx
                .and_then(|i| record.get(i))
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            time: at,
            from: sender,
            to: receiver,
            amount: value.abs(),
            asset,
            source: SourceFormat::BankCsv,
            line,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_parse_with_clear_errors() {
        let m = ColumnMap::parse(
            "time=Дата операции, from=Карта отправителя,to=Карта получателя,amount=Сумма,currency==kzt,tz=UTC",
        )
        .unwrap();
        assert_eq!(m.time, "Дата операции");
        assert_eq!(m.currency, "=kzt");
        assert_eq!(m.zone, chrono_tz::UTC);
        let err = |t: &str| ColumnMap::parse(t).unwrap_err().to_string();
        assert!(err("time=a,from=b,to=c,amount=d").contains("currency"));
        assert!(err("time=a,from=b,to=c,amount=d,currency=e,colour=f").contains("colour"));
        assert!(err("time=a,time=b").contains("twice"));
        assert!(err("time").contains("KEY=COLUMN"));
        assert!(err("time=a,from=b,to=c,amount=d,currency=e,tz=Mars/Base").contains("time zone"));
    }
}
