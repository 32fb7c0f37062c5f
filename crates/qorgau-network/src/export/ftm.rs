//! FollowTheMoney entities (<https://followthemoney.tech>) as JSON Lines, the format Aleph,
//! OpenSanctions tooling and `ftm` read, so networks can be cross-referenced with other
//! investigations. Schemata and property names are those of followthemoney 4.x:
//!
//! | what | schema | properties |
//! |---|---|---|
//! | a document (ad, post, message) | `Article` | `title`, `bodyText`, `sourceUrl`, `publishedAt` (UTC), `author`, `publisher` (the source), `language`, `keywords` (scenario, role, cluster), `phoneMentioned`, `emailMentioned`, `ibanMentioned`, `notes` |
//! | an account that posted (`source/author`) | `UserAccount` | `username`, `service`, `name` |
//! | a phone, WhatsApp number, Telegram/Instagram/TikTok handle, e-mail | `UserAccount` | `username`, `service`, `phone` / `email`, `sourceUrl` for handles |
//! | a bank card | `BankAccount` | `accountNumber`, `accountType` = `payment card`, `name` |
//! | an IBAN | `BankAccount` | `iban`, `name` |
//! | a crypto address | `CryptoWallet` | `publicKey`, `currency`, `blockchain`, `name` |
//! | an IIN | `LegalEntity` | `idNumber`, `name` |
//! | a shared picture (identifier kind `image`) | `Image` | `name`, `title`, `fileName` (the group's name, `phash:…`), `description` |
//! | a network of two or more documents | `LegalEntity` | `name`, `summary`, `notes`, `phone`, `email`, `website` |
//! | document → account, identifier, picture or network | `Documentation` | `document`, `entity`, `role` (for a picture: how close the document's copy is to the group's first picture) |
//! | network → its identifiers | `UnknownLink` | `subject`, `object`, `role` |
//!
//! Seed phrases are wallet secrets and are not exported (the network's notes count them);
//! links and hub identifiers are not entities. A shared picture is neither an account nor a
//! contact, so it is not a `UserAccount` with a phone or e-mail: it is FtM's `Image` (a
//! `Document` of an image file), standing for the group of near-duplicate copies the
//! documents show. It has no file of its own, so the required `fileName` carries the
//! group's name, and no `contentHash` (FtM's is the SHA-1 of one file's bytes, which
//! perceptual hashes are not); the pHash is in its name. Domains appear as the network's
//! `website`.
//! Entity ids are `qorgau-<kind>-` and 24 hex digits of SHA-256 of what they stand for, so
//! the same phone is the same entity in every export.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::ExportError;
use crate::graph::Scope;
use crate::networks::Networks;

struct Entity {
    id: String,
    schema: &'static str,
    props: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Entity {
    fn new(id: String, schema: &'static str) -> Self {
        Entity {
            id,
            schema,
            props: BTreeMap::new(),
        }
    }

    fn add(&mut self, prop: &'static str, value: impl AsRef<str>) {
        let v: String = value
            .as_ref()
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        let v = v.trim();
        if !v.is_empty() {
            self.props.entry(prop).or_default().insert(v.to_owned());
        }
    }

    fn write(&self, w: &mut impl Write) -> Result<(), ExportError> {
        let mut props = Map::new();
        for (k, vs) in &self.props {
            props.insert(
                (*k).to_owned(),
                Value::Array(vs.iter().cloned().map(Value::String).collect()),
            );
        }
        let mut obj = Map::new();
        obj.insert("id".into(), Value::String(self.id.clone()));
        obj.insert("schema".into(), Value::String(self.schema.into()));
        obj.insert("properties".into(), Value::Object(props));
        serde_json::to_writer(&mut *w, &Value::Object(obj))?;
        w.write_all(b"\n")?;
        Ok(())
    }
}

fn entity_id(kind: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("{kind}\u{1f}{key}").as_bytes());
    let mut hex = hex::encode(digest);
    hex.truncate(24);
    format!("qorgau-{kind}-{hex}")
}

/// FtM's three-letter language codes for the languages the scan reports.
fn language(code: &str) -> Option<&'static str> {
    match code.trim().to_ascii_lowercase().as_str() {
        "ru" | "rus" => Some("rus"),
        "kk" | "kaz" => Some("kaz"),
        "en" | "eng" => Some("eng"),
        "ky" | "kir" => Some("kir"),
        "uz" | "uzb" => Some("uzb"),
        "tr" | "tur" => Some("tur"),
        "ko" | "kor" => Some("kor"),
        "ar" | "ara" => Some("ara"),
        _ => None,
    }
}

/// The chain of a crypto address by its shape, as `(blockchain, currency)`; the network
/// stage only has the address, and these prefixes are fixed by each chain's format.
fn chain(address: &str) -> Option<(&'static str, &'static str)> {
    let len = address.len();
    let a = address;
    if a.starts_with("0x") && len == 42 {
        Some(("ethereum", "ETH"))
    } else if a.starts_with('T') && len == 34 {
        Some(("tron", "TRX"))
    } else if a.starts_with("bc1")
        || ((a.starts_with('1') || a.starts_with('3')) && (26..=35).contains(&len))
    {
        Some(("bitcoin", "BTC"))
    } else if a.starts_with("ltc1")
        || ((a.starts_with('L') || a.starts_with('M')) && (26..=35).contains(&len))
    {
        Some(("litecoin", "LTC"))
    } else if (a.starts_with('4') || a.starts_with('8')) && (len == 95 || len == 106) {
        Some(("monero", "XMR"))
    } else if a.starts_with("t1") || a.starts_with("t3") {
        Some(("zcash", "ZEC"))
    } else if len == 48
        && (a.starts_with("EQ")
            || a.starts_with("UQ")
            || a.starts_with("kQ")
            || a.starts_with("0Q"))
    {
        Some(("ton", "TON"))
    } else {
        None
    }
}

fn utc(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The entity an identifier becomes, or `None` for kinds that are not exported.
fn identifier_entity(kind: &str, value: &str) -> Option<Entity> {
    let mut e;
    match kind {
        "phone" | "whatsapp" | "telegram" | "instagram" | "tiktok" | "email" => {
            e = Entity::new(entity_id(kind, value), "UserAccount");
            e.add("username", value);
            let service = match kind {
                "phone" => "phone",
                "whatsapp" => "WhatsApp",
                "telegram" => "Telegram",
                "instagram" => "Instagram",
                "tiktok" => "TikTok",
                _ => "e-mail",
            };
            e.add("service", service);
            match kind {
                "phone" | "whatsapp" => e.add("phone", value),
                "email" => e.add("email", value),
                "telegram" => e.add("sourceUrl", format!("https://t.me/{value}")),
                "instagram" => e.add("sourceUrl", format!("https://www.instagram.com/{value}/")),
                _ => e.add("sourceUrl", format!("https://www.tiktok.com/@{value}")),
            }
        }
        "card" => {
            e = Entity::new(entity_id(kind, value), "BankAccount");
            e.add("accountNumber", value);
            e.add("accountType", "payment card");
            e.add("name", format!("Card {value}"));
        }
        "iban" => {
            e = Entity::new(entity_id(kind, value), "BankAccount");
            e.add("iban", value);
            e.add("name", format!("IBAN {value}"));
        }
        "crypto" => {
            e = Entity::new(entity_id(kind, value), "CryptoWallet");
            e.add("publicKey", value);
            e.add("name", format!("Wallet {value}"));
            if let Some((blockchain, currency)) = chain(value) {
                e.add("blockchain", blockchain);
                e.add("currency", currency);
            }
        }
        "iin" => {
            e = Entity::new(entity_id(kind, value), "LegalEntity");
            e.add("idNumber", value);
            e.add("name", format!("IIN {value}"));
        }
        crate::facts::IMAGE_KIND => {
            e = Entity::new(entity_id(kind, value), "Image");
            e.add("name", format!("Shared picture {value}"));
            e.add("title", format!("Shared picture {value}"));
            e.add("fileName", value);
            e.add(
                "description",
                "Near-duplicate pictures (re-encoded, resized or captioned copies) found in \
                 several documents by Qorgau's perceptual-hash rule, named after the pHash of \
                 the group's first picture; each document's link says how close its copy is. \
                 Compare the pictures themselves before relying on the link.",
            );
        }
        _ => return None,
    }
    Some(e)
}

fn link(
    schema: &'static str,
    from_prop: &'static str,
    from: &str,
    to_prop: &'static str,
    to: &str,
    role: &str,
) -> Entity {
    let mut e = Entity::new(entity_id("link", &format!("{schema}|{from}|{to}")), schema);
    e.add(from_prop, from);
    e.add(to_prop, to);
    e.add("role", role);
    e
}

/// Writes the networks in `scope` as FollowTheMoney entities, one JSON object per line;
/// returns how many entities were written.
pub fn followthemoney(
    networks: &Networks,
    scope: &Scope<'_>,
    mut w: impl Write,
) -> Result<usize, ExportError> {
    let selected = networks.selected(scope);
    let mut written = 0usize;
    let mut emit = |e: &Entity, w: &mut dyn Write| -> Result<(), ExportError> {
        let mut w = w;
        e.write(&mut w)?;
        written += 1;
        Ok(())
    };

    // Networks of two or more documents become entities of their own.
    let mut network_entity: HashMap<usize, String> = HashMap::new();
    for (i, net) in networks.networks.iter().enumerate() {
        if !selected.get(i).copied().unwrap_or(false) || net.size < 2 {
            continue;
        }
        let mut e = Entity::new(entity_id("network", &net.id), "LegalEntity");
        e.add("name", format!("Qorgau network {}", net.id));
        e.add("summary", net.describe());
        e.add("notes", format!("Funnel: {}", net.roles.describe()));
        for group in &net.mirror_groups {
            if let Some(g) = networks.mirror_group(group) {
                e.add(
                    "notes",
                    format!("Mirror group {}: {}", g.id, g.domains().join(" → ")),
                );
            }
        }
        if !net.hubs.is_empty() {
            e.add(
                "notes",
                format!(
                    "Hub identifiers mentioned (not linking): {}",
                    net.hubs.join(", ")
                ),
            );
        }
        let mut seeds = 0usize;
        let mut pictures: Vec<&str> = Vec::new();
        for ident in &net.identifiers {
            match ident.kind.as_str() {
                "phone" | "whatsapp" => e.add("phone", &ident.value),
                "email" => e.add("email", &ident.value),
                "seed_phrase" => seeds += 1,
                crate::facts::IMAGE_KIND => pictures.push(&ident.value),
                _ => {}
            }
        }
        if !pictures.is_empty() {
            e.add("notes", format!("Shared pictures: {}", pictures.join(", ")));
        }
        if seeds > 0 {
            e.add(
                "notes",
                format!("{seeds} seed phrase(s) seen; withheld from this export"),
            );
        }
        for domain in &net.domains {
            e.add("website", format!("https://{domain}/"));
        }
        emit(&e, &mut w)?;
        network_entity.insert(i, e.id);
    }

    // Documents, their accounts and identifiers.
    let mut done: HashMap<String, ()> = HashMap::new();
    for (i, net) in networks.networks.iter().enumerate() {
        if !selected.get(i).copied().unwrap_or(false) {
            continue;
        }
        let net_entity = network_entity.get(&i);
        for &d in &net.doc_index {
            let Some(doc) = networks.docs.get(d as usize) else {
                continue;
            };
            let f = &doc.facts;
            let mut article = Entity::new(entity_id("doc", &f.doc_id), "Article");
            let title = f
                .title
                .clone()
                .or_else(|| {
                    f.text.as_deref().and_then(|t| {
                        t.lines()
                            .map(str::trim)
                            .find(|l| !l.is_empty())
                            .map(|l| l.chars().take(200).collect())
                    })
                })
                .unwrap_or_else(|| f.doc_id.clone());
            article.add("title", title);
            if let Some(text) = &f.text {
                article.add("bodyText", text);
            }
            if let Some(url) = f.url.as_deref().map(str::trim)
                && (url.starts_with("http://") || url.starts_with("https://"))
            {
                article.add("sourceUrl", url);
            }
            if let Some(t) = f.published_at {
                article.add("publishedAt", utc(t));
            }
            if let Some(a) = &f.author {
                article.add("author", a);
            }
            if let Some(s) = &f.source {
                article.add("publisher", s);
            }
            if let Some(l) = f.lang.as_deref().and_then(language) {
                article.add("language", l);
            }
            if let Some(s) = &f.scenario {
                article.add("keywords", s);
            }
            article.add("keywords", format!("role:{}", doc.role.as_str()));
            if f.flagged {
                article.add("keywords", "flagged");
            }
            if let Some(c) = &f.cluster {
                article.add("keywords", format!("cluster:{c}"));
            }
            article.add(
                "notes",
                format!("Qorgau document {} in network {}", f.doc_id, net.id),
            );
            let mut mentioned: Vec<(Entity, String)> = Vec::new();
            for &id in &doc.idents {
                let Some(ident) = networks.idents.get(id as usize) else {
                    continue;
                };
                let kind = networks.kind_name(ident);
                let value: &str = &ident.value;
                match kind {
                    "phone" | "whatsapp" => article.add("phoneMentioned", value),
                    "email" => article.add("emailMentioned", value),
                    "iban" => article.add("ibanMentioned", value),
                    _ => {}
                }
                if ident.hub.is_some() {
                    continue;
                }
                if let Some(e) = identifier_entity(kind, value) {
                    let verb = if kind == crate::facts::IMAGE_KIND {
                        "shows picture"
                    } else {
                        "mentions"
                    };
                    let role = match f
                        .identifier_notes
                        .get(&format!("{kind}:{value}"))
                        .map(|n| n.trim())
                        .filter(|n| !n.is_empty())
                    {
                        Some(note) => format!("{verb}: {note}"),
                        None => verb.to_owned(),
                    };
                    mentioned.push((e, role));
                }
            }
            emit(&article, &mut w)?;
            if let Some(net_id) = net_entity {
                let l = link(
                    "Documentation",
                    "document",
                    &article.id,
                    "entity",
                    net_id,
                    &format!("in network {}", net.id),
                );
                emit(&l, &mut w)?;
            }
            if let Some(a) = doc.account {
                let name = networks.accounts.name(a);
                let mut acct = Entity::new(entity_id("account", name), "UserAccount");
                let (service, channel) = match f.source.as_deref() {
                    Some(s) => match s.split_once(':') {
                        Some((platform, rest)) => (
                            platform.to_owned(),
                            Some(rest.trim_start_matches('@').to_owned()),
                        ),
                        None => (s.to_owned(), None),
                    },
                    None => (String::new(), None),
                };
                let username = f
                    .author
                    .clone()
                    .or(channel)
                    .unwrap_or_else(|| name.to_owned());
                acct.add("username", username);
                acct.add("service", service);
                acct.add("name", name);
                if done.insert(acct.id.clone(), ()).is_none() {
                    emit(&acct, &mut w)?;
                }
                let l = link(
                    "Documentation",
                    "document",
                    &article.id,
                    "entity",
                    &acct.id,
                    "posted by",
                );
                emit(&l, &mut w)?;
            }
            for (e, role) in mentioned {
                if done.insert(e.id.clone(), ()).is_none() {
                    emit(&e, &mut w)?;
                    if let Some(net_id) = net_entity {
                        let l = link(
                            "UnknownLink",
                            "subject",
                            net_id,
                            "object",
                            &e.id,
                            &format!("identifier of network {}", net.id),
                        );
                        emit(&l, &mut w)?;
                    }
                }
                let l = link(
                    "Documentation",
                    "document",
                    &article.id,
                    "entity",
                    &e.id,
                    &role,
                );
                emit(&l, &mut w)?;
            }
        }
    }
    w.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_by_shape() {
        assert_eq!(
            chain("TQrqww77u9RqLANArQuFGhM9DhmMBzz5J2").map(|c| c.0),
            Some("tron")
        );
        assert_eq!(
            chain("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").map(|c| c.0),
            Some("ethereum")
        );
        assert_eq!(
            chain("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").map(|c| c.0),
            Some("bitcoin")
        );
        assert_eq!(chain("zzz"), None);
    }

    #[test]
    fn ids_are_ftm_ids() {
        let id = entity_id("doc", "dev-0000001 with spaces/and:colons");
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        assert_eq!(id, entity_id("doc", "dev-0000001 with spaces/and:colons"));
    }
}
