//! Label lists: addresses someone has already attributed — sanctioned
//! wallets, mixers, exchanges' deposit addresses, scam reports — so that a
//! case's money touching one of them is seen at once (the `label_exposure`
//! flag).
//!
//! Two forms are read. A plain list, one address per line (an optional
//! label after it; `#` starts a comment), as sanctions lists and
//! community blocklists are published; the chain of each address is
//! recognised from the address itself. And GraphSense's TagPack YAML
//! (`title`, `creator`, header fields every tag inherits, `tags:` with
//! `address`, `label`, `currency`/`network`, `category`, `source`,
//! `abuse`), the format attribution data is exchanged in between analysts.
//! Bad entries are reported with their line and the others kept.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use marked_yaml::Spanned;
use qorgau_identifiers::Chain;
use serde::{Deserialize, Serialize};

use crate::flags::{Flag, FlagConfig, FlagKind};
use crate::import::RowError;
use crate::model::{AccountRef, Transfer, chain_name};

/// One attributed address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The address.
    pub account: AccountRef,
    /// What it is ("Sanctioned: …", "Mixer …").
    pub label: String,
    /// Category (`sanctioned`, `mixer`, `exchange`, `scam`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Where the attribution comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Kind of abuse, where the list says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abuse: Option<String>,
    /// Line of the list.
    pub line: u64,
}

/// Reads a plain list: an address per line, optionally followed (after
/// white space or a comma) by its label; `list_label` stands in for a
/// missing one.
pub fn read_address_list(
    text: &str,
    list_label: &str,
    category: Option<&str>,
    source: Option<&str>,
) -> (Vec<Label>, Vec<RowError>) {
    let mut labels = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let content = raw
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches('\u{feff}');
        if content.is_empty() {
            continue;
        }
        let (address, rest) = content
            .split_once(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .unwrap_or((content, ""));
        let Some(account) = AccountRef::from_identifier("wallet", address) else {
            errors.push(RowError {
                line,
                message: format!(
                    "{address:?} is not an address of a known chain (or its checksum is wrong)"
                ),
            });
            continue;
        };
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == ';');
        labels.push(Label {
            account,
            label: if rest.is_empty() {
                list_label.to_owned()
            } else {
                rest.to_owned()
            },
            category: category.map(str::to_owned),
            source: source.map(str::to_owned),
            abuse: None,
            line,
        });
    }
    (labels, errors)
}

/// Why a TagPack cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TagPackError {
    /// Line (1-based).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
struct TagPack {
    title: Option<Spanned<String>>,
    creator: Option<Spanned<String>>,
    #[serde(flatten)]
    header: Inherited,
    tags: Option<Vec<Tag>>,
}

#[derive(Deserialize, Default, Clone)]
struct Inherited {
    label: Option<String>,
    currency: Option<String>,
    network: Option<String>,
    category: Option<String>,
    source: Option<String>,
    abuse: Option<String>,
}

#[derive(Deserialize)]
struct Tag {
    address: Spanned<String>,
    #[serde(flatten)]
    fields: Inherited,
}

/// The chain a TagPack's `network` or `currency` names.
fn chain_of(name: &str) -> Option<Chain> {
    Some(match name.trim().to_ascii_uppercase().as_str() {
        "BTC" | "BITCOIN" => Chain::Btc,
        "ETH" | "ETHEREUM" => Chain::Eth,
        "TRX" | "TRON" => Chain::Tron,
        "LTC" | "LITECOIN" => Chain::Ltc,
        "XMR" | "MONERO" => Chain::Xmr,
        "ZEC" | "ZCASH" => Chain::Zec,
        "TON" => Chain::Ton,
        _ => return None,
    })
}

/// Reads a TagPack (YAML). Tags with a bad or missing field are reported
/// with their line; a file that is not a TagPack at all is an error.
pub fn read_tagpack(text: &str) -> Result<(Vec<Label>, Vec<RowError>), TagPackError> {
    let pack: TagPack = marked_yaml::from_yaml(0, text).map_err(|e| {
        let message = e.to_string();
        // The loader's messages carry "line N" where it knows the place.
        let line = message
            .split("line ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        TagPackError {
            line,
            message: format!("not a TagPack: {message}"),
        }
    })?;
    let (Some(_), Some(_), Some(tags)) = (&pack.title, &pack.creator, &pack.tags) else {
        return Err(TagPackError {
            line: 1,
            message: "not a TagPack: `title`, `creator` and `tags` are required".into(),
        });
    };
    let mut labels = Vec::new();
    let mut errors = Vec::new();
    for tag in tags {
        let line = tag.address.span().start().map_or(0, |m| m.line() as u64);
        let get = |f: fn(&Inherited) -> &Option<String>| {
            f(&tag.fields).clone().or_else(|| f(&pack.header).clone())
        };
        let chain_name_given = get(|h| &h.network).or_else(|| get(|h| &h.currency));
        let Some(label) = get(|h| &h.label) else {
            errors.push(RowError {
                line,
                message: "tag without `label` (none in the header either)".into(),
            });
            continue;
        };
        let address = tag.address.as_str();
        let account = match chain_name_given.as_deref().map(|c| (c, chain_of(c))) {
            Some((_, Some(chain))) => crate::model::AccountRef::wallet(address, chain),
            Some((name, None)) => {
                errors.push(RowError {
                    line,
                    message: format!("network/currency {name:?} is not one Qorgau follows"),
                });
                continue;
            }
            None => AccountRef::from_identifier("wallet", address),
        };
        let Some(account) = account else {
            errors.push(RowError {
                line,
                message: format!(
                    "{address:?} is not a valid {} address",
                    chain_name_given.as_deref().unwrap_or("known")
                ),
            });
            continue;
        };
        labels.push(Label {
            account,
            label,
            category: get(|h| &h.category),
            source: get(|h| &h.source),
            abuse: get(|h| &h.abuse),
            line,
        });
    }
    Ok((labels, errors))
}

/// Exposure of the accounts in `transfers` to labelled addresses: direct
/// (a transfer with a labelled address) and indirect, up to
/// `config.exposure_max_hops` transfers away, in the direction money
/// moved (funds that reached a labelled address, or came from one). One
/// flag per account and labelled address, with the transfers of the
/// shortest path; the account's own label is not exposure.
pub fn label_exposure(
    transfers: &[Transfer],
    labels: &HashMap<String, Label>,
    config: &FlagConfig,
) -> Vec<Flag> {
    let mut out_edges: HashMap<&AccountRef, Vec<usize>> = HashMap::new();
    let mut in_edges: HashMap<&AccountRef, Vec<usize>> = HashMap::new();
    for (i, t) in transfers.iter().enumerate() {
        out_edges.entry(&t.from).or_default().push(i);
        in_edges.entry(&t.to).or_default().push(i);
    }
    let labelled: BTreeSet<&AccountRef> = transfers
        .iter()
        .flat_map(|t| [&t.from, &t.to])
        .filter(|a| labels.contains_key(&a.key()))
        .collect();
    let mut flags = Vec::new();
    for target in labelled {
        let Some(label) = labels.get(&target.key()) else {
            continue;
        };
        // Backwards over incoming transfers: who sent money that reached
        // the labelled address; forwards over outgoing: who received money
        // that came from it.
        for (edges, sent) in [(&in_edges, true), (&out_edges, false)] {
            let mut path: BTreeMap<&AccountRef, Vec<usize>> = BTreeMap::new();
            let mut queue = VecDeque::from([(target, Vec::new())]);
            let mut seen = BTreeSet::from([target]);
            while let Some((at, via)) = queue.pop_front() {
                if via.len() >= config.exposure_max_hops {
                    continue;
                }
                for &i in edges.get(at).map_or(&[][..], Vec::as_slice) {
                    let other = if sent {
                        &transfers[i].from
                    } else {
                        &transfers[i].to
                    };
                    if !seen.insert(other) {
                        continue;
                    }
                    let mut next = via.clone();
                    next.push(i);
                    path.insert(other, next.clone());
                    queue.push_back((other, next));
                }
            }
            for (account, via) in path {
                if labels.contains_key(&account.key()) {
                    continue;
                }
                // All transfers between the account and the first hop, not
                // only the one the search happened to take.
                let first = via[via.len() - 1];
                let neighbour = if sent {
                    &transfers[first].to
                } else {
                    &transfers[first].from
                };
                let mut ids: Vec<usize> = transfers
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| {
                        if sent {
                            &t.from == account && &t.to == neighbour
                        } else {
                            &t.to == account && &t.from == neighbour
                        }
                    })
                    .map(|(i, _)| i)
                    .collect();
                ids.extend(via[..via.len() - 1].iter().copied());
                ids.sort_unstable();
                ids.dedup();
                let hops = via.len();
                let times = ids.iter().map(|&i| transfers[i].time);
                let (Some(from), Some(until)) = (times.clone().min(), times.max()) else {
                    continue;
                };
                let what = label
                    .category
                    .as_deref()
                    .map_or_else(|| label.label.clone(), |c| format!("{} ({c})", label.label));
                flags.push(Flag {
                    kind: FlagKind::LabelExposure,
                    account: account.clone(),
                    asset: transfers[first].asset.clone(),
                    score: if hops == 1 {
                        0.9
                    } else {
                        0.5 / (hops - 1) as f64
                    },
                    transfers: ids,
                    tx_ids: Vec::new(),
                    from,
                    until,
                    explanation: format!(
                        "{} {} {}{}: {what}, from list line {}{}",
                        if sent {
                            "sent funds that reached"
                        } else {
                            "received funds that came from"
                        },
                        target.key(),
                        if hops == 1 {
                            "directly".to_owned()
                        } else {
                            format!("through {} hop(s) ", hops - 1)
                        },
                        if hops == 1 {
                            String::new()
                        } else {
                            format!("(via {})", neighbour.key())
                        },
                        label.line,
                        label
                            .source
                            .as_deref()
                            .map_or_else(String::new, |s| format!(", source {s}")),
                    ),
                });
            }
        }
    }
    flags
}

/// Privacy coins: the AIFC Rules on Digital Asset Activities prohibit
/// them outright, and Kazakh law allows only backed crypto-assets while
/// anonymous currencies (Monero, Zcash) are held illegal (study, sections
/// on crypto-asset regulation). A Zcash transparent address is not itself
/// shielded, but the coin is on the same footing.
pub fn is_privacy_coin(chain: Chain) -> bool {
    matches!(chain, Chain::Xmr | Chain::Zec)
}

/// One `privacy_coin` flag per account in such a coin: the accounts of the
/// case's transfers and those found in its documents, each with the times
/// it was seen.
pub fn privacy_coin_flags<'a>(
    accounts: impl IntoIterator<
        Item = (
            &'a AccountRef,
            chrono::DateTime<chrono::Utc>,
            chrono::DateTime<chrono::Utc>,
            Vec<usize>,
        ),
    >,
) -> Vec<Flag> {
    accounts
        .into_iter()
        .filter_map(|(account, from, until, transfers)| {
            let chain = account.chain.filter(|c| is_privacy_coin(*c))?;
            Some(Flag {
                kind: FlagKind::PrivacyCoin,
                account: account.clone(),
                asset: chain_name(chain).to_uppercase(),
                score: 1.0,
                transfers,
                tx_ids: Vec::new(),
                from,
                until,
                explanation: format!(
                    "a {} address: a privacy coin, whose circulation is prohibited in Kazakhstan \
                     (anonymous digital assets); its flows cannot be followed on chain — ask the \
                     exchange that sold or bought it",
                    if chain == Chain::Xmr {
                        "Monero"
                    } else {
                        "Zcash"
                    }
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bitcoin::testing::{ADDRESSES, addr, tx};

    #[test]
    fn plain_lists_name_bad_lines_and_keep_the_rest() {
        let text = format!(
            "# sanctioned, synthetic\n{}\n\n{}  Mixer Alpha\nnot-an-address\n{},scam shop # note\n",
            ADDRESSES[0], ADDRESSES[1], ADDRESSES[8]
        );
        let (labels, errors) = read_address_list(&text, "list", Some("sanctioned"), None);
        assert_eq!(labels.len(), 3);
        assert_eq!(labels[0].label, "list");
        assert_eq!(labels[1].label, "Mixer Alpha");
        assert_eq!(labels[2].label, "scam shop");
        assert_eq!(labels[2].line, 6);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 5);
    }

    #[test]
    fn tagpacks_inherit_header_fields_and_report_tags_by_line() {
        let text = format!(
            "title: Synthetic mixers\ncreator: qorgau tests\nis_public: false\ncategory: mixer\n\
             currency: BTC\nsource: https://example.invalid/list\ntags:\n  - address: {}\n    \
             label: Mixer Alpha\n  - address: {}\n    label: Shop\n    category: scam\n    \
             abuse: scam\n  - address: 0xdeadbeef\n    label: bad\n  - address: {}\n",
            ADDRESSES[1], ADDRESSES[8], ADDRESSES[2]
        );
        let (labels, errors) = read_tagpack(&text).unwrap();
        assert_eq!(labels.len(), 2, "{errors:?}");
        assert_eq!(labels[0].category.as_deref(), Some("mixer"));
        assert_eq!(
            labels[0].source.as_deref(),
            Some("https://example.invalid/list")
        );
        assert_eq!(labels[0].line, 8);
        assert_eq!(labels[1].category.as_deref(), Some("scam"));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, 14);
        assert!(errors[1].message.contains("label"), "{errors:?}");
        assert!(read_tagpack("tags: 5\n").is_err());
        assert!(read_tagpack("title: x\n  - : :\n").is_err());
    }

    #[test]
    fn exposure_direct_and_one_hop_removed_in_the_money_direction() {
        // 0 pays 1 (the dropper), 1 pays 2 (a labelled mixer), 2 pays 3.
        let transfers: Vec<Transfer> = [
            tx("a", 0, &[("p", 0, Some(0), 10_000)], &[(Some(1), 9_000)]),
            tx("b", 1, &[("a", 0, Some(1), 9_000)], &[(Some(2), 8_000)]),
            tx("c", 2, &[("b", 0, Some(2), 8_000)], &[(Some(3), 7_000)]),
        ]
        .iter()
        .flat_map(|t| t.transfers())
        .collect();
        let mixer = Label {
            account: addr(2),
            label: "Mixer Alpha".into(),
            category: Some("mixer".into()),
            source: None,
            abuse: None,
            line: 3,
        };
        let labels = HashMap::from([(addr(2).key(), mixer)]);
        let mut flags = label_exposure(&transfers, &labels, &FlagConfig::default());
        flags.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.account.cmp(&b.account)));
        let seen: Vec<_> = flags.iter().map(|f| (f.account.clone(), f.score)).collect();
        assert_eq!(seen.len(), 3, "{flags:?}");
        assert!(seen.contains(&(addr(1), 0.9)), "direct sender");
        assert!(seen.contains(&(addr(3), 0.9)), "direct receiver");
        let indirect = flags.iter().find(|f| f.account == addr(0)).unwrap();
        assert_eq!(indirect.transfers, vec![0, 1]);
        assert!(
            indirect.explanation.contains("through 1 hop"),
            "{}",
            indirect.explanation
        );
        let one_hop = FlagConfig {
            exposure_max_hops: 1,
            ..FlagConfig::default()
        };
        assert_eq!(label_exposure(&transfers, &labels, &one_hop).len(), 2);
    }

    #[test]
    fn privacy_coins_are_flagged_others_not() {
        let t = chrono::Utc::now();
        let xmr = AccountRef {
            kind: crate::model::AccountKind::Wallet,
            chain: Some(Chain::Xmr),
            value: "4".repeat(95),
        };
        let flags = privacy_coin_flags([(&xmr, t, t, vec![]), (&addr(0), t, t, vec![])]);
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].asset, "XMR");
        assert!(flags[0].explanation.contains("Monero"));
    }
}
