//! Bitcoin transactions as JSON: Bitcoin Core's `getrawtransaction TXID 2`
//! (verbose, with each input's `prevout`; Core 25 and later) and Esplora's
//! `/tx/:txid` and `/address/:address/txs` (Blockstream's and mempool.space's
//! API). A file may hold one transaction, an array of them (what Esplora
//! returns, or `jq -s`), one per line, or JSON-RPC responses
//! (`{"result": …, "error": …, "id": …}`); the two formats may be mixed.
//!
//! Why the file is split by hand before serde sees it: `serde_json` stops
//! at the first error in an array and cannot resume, while an analyst's
//! export with one broken transaction must still yield all the others,
//! each error with its line. The splitter below only tracks strings and
//! nesting to find where each top-level value starts and ends (one value
//! in memory at a time, so memory does not grow with the file); serde
//! parses each value, with its errors mapped back to lines of the file.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use chrono::{DateTime, Utc};
use qorgau_identifiers::Chain;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{ATOMS_PER_SAT, BtcInput, BtcOutput, BtcTx};
use crate::amount::Amount;
use crate::import::{ImportError, ReadCounts, RowError};
use crate::model::AccountRef;

/// Largest transaction JSON accepted (a CoinJoin of hundreds of inputs is
/// well under a megabyte).
const MAX_VALUE: usize = 64 * 1024 * 1024;

/// All bitcoin that can ever exist, in satoshi.
const MAX_SATS: u64 = 21_000_000 * 100_000_000;

/// Reads `input`, calling `each` for every transaction or bad one in order.
pub fn read_btc<R: Read>(
    input: R,
    mut each: impl FnMut(Result<BtcTx, RowError>),
) -> Result<ReadCounts, ImportError> {
    let mut values = Values::new(BufReader::with_capacity(64 * 1024, input));
    let mut counts = ReadCounts::default();
    let mut emit = |r: Result<BtcTx, RowError>, counts: &mut ReadCounts| {
        match &r {
            Ok(_) => counts.transfers += 1,
            Err(_) => counts.errors += 1,
        }
        each(r);
    };
    while let Some(value) = values.next()? {
        match value {
            Ok((line, bytes)) => {
                for r in parse_value(&bytes, line) {
                    emit(r, &mut counts);
                }
            }
            Err(e) => emit(Err(e), &mut counts),
        }
    }
    Ok(counts)
}

/// The top-level values of a JSON file: the elements of a top-level array,
/// or the values one after another (one, or one per line).
struct Values<R> {
    input: R,
    line: u64,
    in_array: Option<bool>,
    done: bool,
}

enum Step {
    Byte(u8),
    End,
}

impl<R: BufRead> Values<R> {
    fn new(input: R) -> Self {
        Values {
            input,
            line: 1,
            in_array: None,
            done: false,
        }
    }

    fn peek(&mut self) -> Result<Step, ImportError> {
        let buf = self.input.fill_buf()?;
        Ok(buf.first().map_or(Step::End, |b| Step::Byte(*b)))
    }

    fn bump(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
        }
        self.input.consume(1);
    }

    /// Skips white space (and, between array elements, commas).
    fn skip(&mut self, commas: bool) -> Result<Step, ImportError> {
        loop {
            match self.peek()? {
                Step::Byte(b) if b.is_ascii_whitespace() || (commas && b == b',') => self.bump(b),
                Step::Byte(0xEF) if self.line == 1 => {
                    // A UTF-8 byte-order mark, as Windows editors save.
                    let bom = self.input.fill_buf()?.starts_with(&[0xEF, 0xBB, 0xBF]);
                    if !bom {
                        return Ok(Step::Byte(0xEF));
                    }
                    self.input.consume(3);
                }
                other => return Ok(other),
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn next(&mut self) -> Result<Option<Result<(u64, Vec<u8>), RowError>>, ImportError> {
        if self.done {
            return Ok(None);
        }
        if self.in_array.is_none() {
            match self.skip(false)? {
                Step::End => {
                    self.done = true;
                    return Ok(None);
                }
                Step::Byte(b'[') => {
                    self.bump(b'[');
                    self.in_array = Some(true);
                }
                Step::Byte(b'{') => self.in_array = Some(false),
                Step::Byte(b) => {
                    return Err(ImportError::Header(format!(
                        "line {}: not JSON transactions: expected `[` or `{{`, found {:?}",
                        self.line,
                        char::from(b)
                    )));
                }
            }
        }
        let array = self.in_array == Some(true);
        match self.skip(array)? {
            Step::End => {
                self.done = true;
                if array {
                    return Ok(Some(Err(RowError {
                        line: self.line,
                        message:
                            "the array of transactions is not closed with `]` (file truncated?)"
                                .into(),
                    })));
                }
                Ok(None)
            }
            Step::Byte(b']') if array => {
                self.bump(b']');
                self.done = true;
                Ok(None)
            }
            Step::Byte(_) => self.value().map(Some),
        }
    }

    /// One value from here: an object or array by its brackets, a string,
    /// or a bare word up to the next delimiter.
    fn value(&mut self) -> Result<Result<(u64, Vec<u8>), RowError>, ImportError> {
        let start = self.line;
        let mut bytes = Vec::new();
        let mut too_big = false;
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                self.done = true;
                return Ok(Err(RowError {
                    line: start,
                    message: "the transaction that starts here is not complete (file truncated?)"
                        .into(),
                }));
            }
            let mut used = 0;
            let mut finished = false;
            for &b in buf {
                if !in_string && depth == 0 && !bytes.is_empty() && matches!(b, b',' | b']' | b'}')
                    || !in_string && depth == 0 && !bytes.is_empty() && b.is_ascii_whitespace()
                {
                    // The end of a bare word (a number, `null`…).
                    finished = true;
                    break;
                }
                used += 1;
                if b == b'\n' {
                    self.line += 1;
                }
                if bytes.len() < MAX_VALUE {
                    bytes.push(b);
                } else {
                    too_big = true;
                }
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            finished = true;
                            break;
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            finished = true;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            self.input.consume(used);
            if finished {
                break;
            }
        }
        if too_big {
            return Ok(Err(RowError {
                line: start,
                message: format!(
                    "the value that starts here is larger than {} MiB; not a transaction",
                    MAX_VALUE >> 20
                ),
            }));
        }
        Ok(Ok((start, bytes)))
    }
}

/// A JSON-RPC envelope around Core's answer.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// Line of `part` (a slice of `whole`) in the file, `whole` starting at
/// `line`.
fn line_of(whole: &[u8], part: &str, line: u64) -> u64 {
    let offset = (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len());
    line + whole[..offset].iter().filter(|b| **b == b'\n').count() as u64
}

fn parse_value(bytes: &[u8], line: u64) -> Vec<Result<BtcTx, RowError>> {
    let at = |e: &serde_json::Error, base: u64| RowError {
        line: base + e.line().saturating_sub(1) as u64,
        message: format!("not valid JSON: {e}"),
    };
    let top: BTreeMap<String, &RawValue> = match serde_json::from_slice(bytes) {
        Ok(t) => t,
        Err(e) if e.is_data() => {
            return vec![Err(RowError {
                line,
                message: "expected a transaction (a JSON object), found another value".into(),
            })];
        }
        Err(e) => return vec![Err(at(&e, line))],
    };
    if top.contains_key("txid") {
        return vec![parse_tx(bytes, line)];
    }
    if top.contains_key("result") {
        let envelope: Envelope = match serde_json::from_slice(bytes) {
            Ok(e) => e,
            Err(e) => return vec![Err(at(&e, line))],
        };
        let Some(result) = envelope.result.filter(|r| r.get() != "null") else {
            return vec![Err(RowError {
                line,
                message: format!(
                    "a JSON-RPC answer with no transaction (error: {})",
                    envelope
                        .error
                        .map_or_else(|| "none".into(), |e| e.to_string())
                ),
            })];
        };
        let base = line_of(bytes, result.get(), line);
        if result.get().starts_with('[') {
            let list: Vec<&RawValue> = match serde_json::from_str(result.get()) {
                Ok(l) => l,
                Err(e) => return vec![Err(at(&e, base))],
            };
            return list
                .into_iter()
                .map(|tx| parse_tx(tx.get().as_bytes(), line_of(bytes, tx.get(), line)))
                .collect();
        }
        return vec![parse_tx(result.get().as_bytes(), base)];
    }
    vec![Err(RowError {
        line,
        message: "not a Bitcoin transaction: the object has no `txid`".into(),
    })]
}

// Bitcoin Core, `getrawtransaction TXID 2`.
#[derive(Deserialize)]
struct CoreTx<'a> {
    txid: String,
    blocktime: Option<i64>,
    time: Option<i64>,
    #[serde(borrow)]
    vin: Vec<CoreVin<'a>>,
    #[serde(borrow)]
    vout: Vec<CoreVout<'a>>,
}

#[derive(Deserialize)]
struct CoreVin<'a> {
    txid: Option<String>,
    vout: Option<u32>,
    coinbase: Option<String>,
    #[serde(borrow)]
    prevout: Option<CorePrevout<'a>>,
}

#[derive(Deserialize)]
struct CorePrevout<'a> {
    #[serde(borrow)]
    value: &'a RawValue,
    #[serde(rename = "scriptPubKey")]
    script: CoreScript,
}

#[derive(Deserialize)]
struct CoreVout<'a> {
    #[serde(borrow)]
    value: &'a RawValue,
    n: u32,
    #[serde(rename = "scriptPubKey")]
    script: CoreScript,
}

#[derive(Deserialize)]
struct CoreScript {
    address: Option<String>,
    // Before Core 22: a list, one entry for standard scripts.
    addresses: Option<Vec<String>>,
}

// Esplora, `/tx/:txid`.
#[derive(Deserialize)]
struct EsploraTx {
    txid: String,
    vin: Vec<EsploraVin>,
    vout: Vec<EsploraOut>,
    status: Option<EsploraStatus>,
}

#[derive(Deserialize)]
struct EsploraVin {
    txid: Option<String>,
    vout: Option<u32>,
    prevout: Option<EsploraOut>,
    #[serde(default)]
    is_coinbase: bool,
}

#[derive(Deserialize)]
struct EsploraOut {
    scriptpubkey_address: Option<String>,
    value: u64,
}

#[derive(Deserialize)]
struct EsploraStatus {
    block_height: Option<u64>,
    block_time: Option<i64>,
}

fn parse_tx(bytes: &[u8], line: u64) -> Result<BtcTx, RowError> {
    let text = std::str::from_utf8(bytes).map_err(|_| RowError {
        line,
        message: "the transaction is not UTF-8 text".into(),
    })?;
    let fail = |message: String| RowError { line, message };
    // Core writes `scriptPubKey`, Esplora `scriptpubkey`.
    if text.contains("\"scriptPubKey\"") {
        let tx: CoreTx = serde_json::from_str(text).map_err(|e| RowError {
            line: line + e.line().saturating_sub(1) as u64,
            message: format!("not a Bitcoin Core verbose transaction: {e}"),
        })?;
        core(tx, line).map_err(fail)
    } else {
        let tx: EsploraTx = serde_json::from_str(text).map_err(|e| RowError {
            line: line + e.line().saturating_sub(1) as u64,
            message: format!("not an Esplora transaction: {e}"),
        })?;
        esplora(tx, line).map_err(fail)
    }
}

fn address(text: Option<&str>, field: &str) -> Result<Option<AccountRef>, String> {
    match text {
        None => Ok(None),
        Some(t) => AccountRef::wallet(t, Chain::Btc).map(Some).ok_or_else(|| {
            format!("{field}: {t:?} is not a valid mainnet Bitcoin address (checksum or network)")
        }),
    }
}

fn core_address(script: &CoreScript, field: &str) -> Result<Option<AccountRef>, String> {
    match (&script.address, &script.addresses) {
        (Some(a), _) => address(Some(a), &format!("{field}.address")),
        (None, Some(list)) if list.len() == 1 => {
            address(Some(&list[0]), &format!("{field}.addresses[0]"))
        }
        _ => Ok(None),
    }
}

/// BTC as Core writes it (a JSON number, 8 decimals at most) in satoshi.
fn btc_sats(raw: &RawValue, field: &str) -> Result<u64, String> {
    let text = raw.get().trim_matches('"');
    let amount = Amount::parse(text).map_err(|e| format!("{field}: {text:?}: {e}"))?;
    let atoms = amount.atoms();
    if atoms < 0 || atoms % ATOMS_PER_SAT != 0 {
        return Err(format!(
            "{field}: {text} is not a bitcoin value (negative, or more than 8 decimals)"
        ));
    }
    sats_checked(
        u64::try_from(atoms / ATOMS_PER_SAT).unwrap_or(u64::MAX),
        field,
    )
}

fn sats_checked(sats: u64, field: &str) -> Result<u64, String> {
    if sats > MAX_SATS {
        return Err(format!("{field}: {sats} sat is more than all bitcoin"));
    }
    Ok(sats)
}

fn block_time(seconds: Option<i64>, txid: &str) -> Result<DateTime<Utc>, String> {
    let s = seconds.ok_or_else(|| {
        format!("transaction {txid} is unconfirmed (no block time); export it once it is mined")
    })?;
    DateTime::from_timestamp(s, 0).ok_or_else(|| format!("block time {s} is out of range"))
}

fn core(tx: CoreTx, line: u64) -> Result<BtcTx, String> {
    let time = block_time(tx.blocktime.or(tx.time), &tx.txid)?;
    let mut inputs = Vec::with_capacity(tx.vin.len());
    for (i, vin) in tx.vin.iter().enumerate() {
        let field = format!("vin[{i}]");
        if vin.coinbase.is_some() {
            inputs.push(BtcInput {
                prev_txid: None,
                vout: u32::MAX,
                address: None,
                sats: 0,
            });
            continue;
        }
        let (Some(prev), Some(n)) = (&vin.txid, vin.vout) else {
            return Err(format!("{field}: neither `coinbase` nor `txid` and `vout`"));
        };
        let Some(prevout) = &vin.prevout else {
            return Err(format!(
                "{field} has no `prevout` (the value and address of the coin it spends): \
                 export with `bitcoin-cli getrawtransaction TXID 2` (Bitcoin Core 25 or later) \
                 or from an Esplora server"
            ));
        };
        inputs.push(BtcInput {
            prev_txid: Some(prev.clone()),
            vout: n,
            address: core_address(&prevout.script, &format!("{field}.prevout.scriptPubKey"))?,
            sats: btc_sats(prevout.value, &format!("{field}.prevout.value"))?,
        });
    }
    let mut outputs = Vec::with_capacity(tx.vout.len());
    for (i, vout) in tx.vout.iter().enumerate() {
        outputs.push(BtcOutput {
            n: vout.n,
            address: core_address(&vout.script, &format!("vout[{i}].scriptPubKey"))?,
            sats: btc_sats(vout.value, &format!("vout[{i}].value"))?,
        });
    }
    finish(tx.txid, time, None, inputs, outputs, line)
}

fn esplora(tx: EsploraTx, line: u64) -> Result<BtcTx, String> {
    let status = tx.status.as_ref();
    let time = block_time(status.and_then(|s| s.block_time), &tx.txid)?;
    let mut inputs = Vec::with_capacity(tx.vin.len());
    for (i, vin) in tx.vin.iter().enumerate() {
        let field = format!("vin[{i}]");
        if vin.is_coinbase {
            inputs.push(BtcInput {
                prev_txid: None,
                vout: u32::MAX,
                address: None,
                sats: 0,
            });
            continue;
        }
        let (Some(prev), Some(n), Some(prevout)) = (&vin.txid, vin.vout, &vin.prevout) else {
            return Err(format!(
                "{field}: `txid`, `vout` and `prevout` are all needed"
            ));
        };
        inputs.push(BtcInput {
            prev_txid: Some(prev.clone()),
            vout: n,
            address: address(
                prevout.scriptpubkey_address.as_deref(),
                &format!("{field}.prevout.scriptpubkey_address"),
            )?,
            sats: sats_checked(prevout.value, &format!("{field}.prevout.value"))?,
        });
    }
    let mut outputs = Vec::with_capacity(tx.vout.len());
    for (i, vout) in tx.vout.iter().enumerate() {
        outputs.push(BtcOutput {
            n: u32::try_from(i).unwrap_or(u32::MAX),
            address: address(
                vout.scriptpubkey_address.as_deref(),
                &format!("vout[{i}].scriptpubkey_address"),
            )?,
            sats: sats_checked(vout.value, &format!("vout[{i}].value"))?,
        });
    }
    finish(
        tx.txid,
        time,
        status.and_then(|s| s.block_height),
        inputs,
        outputs,
        line,
    )
}

fn finish(
    txid: String,
    time: DateTime<Utc>,
    height: Option<u64>,
    inputs: Vec<BtcInput>,
    outputs: Vec<BtcOutput>,
    line: u64,
) -> Result<BtcTx, String> {
    let txid = txid.trim().to_ascii_lowercase();
    if txid.len() != 64 || !txid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("txid {txid:?} is not 64 hex digits"));
    }
    if inputs.is_empty() || outputs.is_empty() {
        return Err(format!("transaction {txid} has no inputs or no outputs"));
    }
    let tx = BtcTx {
        txid,
        time,
        height,
        inputs,
        outputs,
        line,
    };
    let sum_in: u64 = tx.inputs.iter().map(|i| i.sats).sum();
    let sum_out: u64 = tx.outputs.iter().map(|o| o.sats).sum();
    if !tx.is_coinbase() && sum_out > sum_in {
        return Err(format!(
            "transaction {} spends {sum_out} sat but its inputs hold {sum_in} sat",
            tx.txid
        ));
    }
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<BtcTx>, Vec<RowError>) {
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        read_btc(text.as_bytes(), |r| match r {
            Ok(t) => ok.push(t),
            Err(e) => bad.push(e),
        })
        .unwrap();
        (ok, bad)
    }

    const A: &str = "1CkpK99WQJEzi6iG91RuMu8njZUk9Re6vh";
    const B: &str = "bc1qs0463gc43tfteam5mlvdjny8dancjncw9x8wq7";

    fn esplora_tx(id: char, value: u64) -> String {
        format!(
            r#"{{"txid":"{}","vin":[{{"txid":"{}","vout":0,"prevout":{{"scriptpubkey_address":"{A}","value":{}}},"is_coinbase":false}}],"vout":[{{"scriptpubkey_address":"{B}","value":{value}}}],"status":{{"confirmed":true,"block_height":800000,"block_time":1700000000}}}}"#,
            id.to_string().repeat(64),
            "f".repeat(64),
            value + 200
        )
    }

    #[test]
    fn arrays_lines_and_envelopes_with_a_bad_one_in_the_middle() {
        let text = format!(
            "[\n{},\n{{\"txid\": 5}},\n{}\n]\n",
            esplora_tx('a', 1000),
            esplora_tx('b', 2000)
        );
        let (ok, bad) = read(&text);
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].outputs[0].sats, 2000);
        assert_eq!(ok[1].line, 4);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 3, "{bad:?}");
        let lines = format!("{}\n{}\n", esplora_tx('a', 1), esplora_tx('b', 2));
        assert_eq!(read(&lines).0.len(), 2);
        let rpc = format!(
            "{{\"result\": [{}], \"error\": null, \"id\": 1}}\n{{\"result\": null, \"error\": {{\"code\": -5}}, \"id\": 2}}",
            esplora_tx('c', 3)
        );
        let (ok, bad) = read(&rpc);
        assert_eq!(ok.len(), 1);
        assert!(bad[0].message.contains("-5"), "{bad:?}");
    }

    #[test]
    fn truncated_and_hostile_input_is_reported_not_panicked_on() {
        let t = esplora_tx('a', 1000);
        let (ok, bad) = read(&format!("[{t},\n{}", &t[..t.len() / 2]));
        assert_eq!(ok.len(), 1);
        assert!(bad[0].message.contains("not complete"), "{bad:?}");
        assert!(read_btc("hello".as_bytes(), |_| {}).is_err());
        for junk in [
            "[",
            "[1,2,{",
            "{\"txid\":",
            "[\"}\"]",
            "{}{}",
            "[null]",
            "\u{feff}[]",
        ] {
            let _ = read_btc(junk.as_bytes(), |_| {});
        }
        let (_, bad) = read("[]");
        assert!(bad.is_empty());
    }

    #[test]
    fn values_are_exact_and_checked() {
        let raw: &RawValue = serde_json::from_str("0.00000001").unwrap();
        assert_eq!(btc_sats(raw, "v").unwrap(), 1);
        let raw: &RawValue = serde_json::from_str("20999999.99999999").unwrap();
        assert_eq!(btc_sats(raw, "v").unwrap(), 2_099_999_999_999_999);
        let raw: &RawValue = serde_json::from_str("0.000000001").unwrap();
        assert!(
            btc_sats(raw, "vout[0].value")
                .unwrap_err()
                .contains("8 decimals")
        );
        let raw: &RawValue = serde_json::from_str("21000001").unwrap();
        assert!(btc_sats(raw, "v").unwrap_err().contains("more than all"));
        // Outputs worth more than the inputs.
        let (_, bad) = read(&esplora_tx('a', 1000).replace("\"value\":1200", "\"value\":10"));
        assert!(bad[0].message.contains("spends 1000 sat"), "{bad:?}");
        // A testnet address.
        let (_, bad) =
            read(&esplora_tx('a', 1).replace(B, "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"));
        assert!(
            bad[0].message.contains("vout[0].scriptpubkey_address"),
            "{bad:?}"
        );
    }
}
