#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Published test vectors (sources noted in each file under
//! `tests/vectors/`): Bitcoin Core key_io, BIP-173/BIP-350 segwit addresses,
//! EIP-55, BIP-39 (trezor/python-mnemonic), plus constructed addresses of
//! the other chains with their checksums computed here.

use base64::Engine as _;
use qorgau_identifiers::{Chain, Extractor, IdentifierKind, validate_address};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn bitcoin_core_key_io_valid() {
    let v = load("key_io_valid_mainnet.json");
    let mut mainnet = 0;
    for e in v["entries"].as_array().unwrap() {
        let (s, script, chain, privkey) = (
            e[0].as_str().unwrap(),
            e[1].as_str().unwrap(),
            e[2].as_str().unwrap(),
            e[3].as_bool().unwrap(),
        );
        let got = validate_address(s);
        if chain == "main" && !privkey {
            mainnet += 1;
            let (c, canonical) = got.unwrap_or_else(|| panic!("{s} rejected"));
            assert_eq!(c, Chain::Btc, "{s}");
            assert_eq!(
                canonical,
                if s.starts_with("bc1") || s.starts_with("BC1") {
                    s.to_lowercase()
                } else {
                    s.to_owned()
                }
            );
            // The decoded hash is the one in the scriptPubKey.
            if s.starts_with('1') || s.starts_with('3') {
                let raw = bs58::decode(s).into_vec().unwrap();
                assert!(script.contains(&hex(&raw[1..21])), "{s}");
            } else {
                let (_, _, program) = bech32::segwit::decode(s).unwrap();
                assert!(script.ends_with(&hex(&program)), "{s}");
                // Bitcoin Core: valid in either case.
                assert!(validate_address(&s.to_uppercase()).is_some(), "{s}");
            }
        } else {
            assert_eq!(
                got, None,
                "{s} ({chain}, privkey {privkey}) must not be a mainnet address"
            );
        }
    }
    assert_eq!(mainnet, 14);
}

#[test]
fn bitcoin_core_key_io_invalid() {
    let v = load("key_io_invalid.json");
    for e in v["entries"].as_array().unwrap() {
        let s = e.as_str().unwrap();
        assert_eq!(validate_address(s), None, "{s}");
    }
}

#[test]
fn bip173_bip350_segwit_addresses() {
    let v = load("bip173_bip350_segwit.json");
    for e in v["valid"].as_array().unwrap() {
        let (s, script, bip) = (
            e[0].as_str().unwrap(),
            e[1].as_str().unwrap(),
            e[2].as_str().unwrap(),
        );
        let lower = s.to_lowercase();
        let version = lower.split_once('1').map(|(_, d)| d.as_bytes()[0]);
        if bip == "bip-0173.mediawiki" && version != Some(b'q') {
            // Witness v1+ in bech32: valid under BIP-173, superseded by
            // BIP-350 (v1+ must use bech32m), so rejected now.
            assert_eq!(validate_address(s), None, "{s}");
            continue;
        }
        let (_, _, program) = bech32::segwit::decode(&lower).unwrap();
        assert!(script.ends_with(&hex(&program)), "{s}");
        let got = validate_address(s);
        if s.to_lowercase().starts_with("bc1") {
            assert_eq!(got, Some((Chain::Btc, s.to_lowercase())), "{s}");
        } else {
            assert_eq!(got, None, "{s}: testnet is not reported");
        }
    }
    for e in v["invalid"].as_array().unwrap() {
        let s = e[0].as_str().unwrap();
        assert_eq!(validate_address(s), None, "{s}: {}", e[1]);
    }
}

#[test]
fn eip55_examples() {
    let v = load("eip55.json");
    for a in v["checksummed"].as_array().unwrap() {
        let a = a.as_str().unwrap();
        assert_eq!(validate_address(a), Some((Chain::Eth, a.to_owned())), "{a}");
        let lower = format!("0x{}", a[2..].to_lowercase());
        let upper = format!("0x{}", a[2..].to_uppercase());
        assert_eq!(validate_address(&lower), Some((Chain::Eth, a.to_owned())));
        assert_eq!(validate_address(&upper), Some((Chain::Eth, a.to_owned())));
        // Flip the case of one letter of a mixed-case address: rejected.
        if lower != a && upper != a {
            let k = a[2..].find(|c: char| c.is_ascii_alphabetic()).unwrap() + 2;
            let mut b = a.to_owned().into_bytes();
            b[k] ^= 0x20;
            let flipped = String::from_utf8(b).unwrap();
            assert_eq!(validate_address(&flipped), None, "{flipped}");
        }
    }
}

#[test]
fn bip39_vectors_found_in_text() {
    let v = load("bip39_vectors.json");
    let ex = Extractor::new();
    let vectors = v["english"].as_array().unwrap();
    assert_eq!(vectors.len(), 24);
    for e in vectors {
        let mnemonic = e[1].as_str().unwrap();
        let text = format!("Сид-фраза от кошелька: {mnemonic}\nникому не показывай");
        let got: Vec<_> = ex
            .extract(&text)
            .into_iter()
            .filter(|i| i.kind == IdentifierKind::SeedPhrase)
            .collect();
        assert_eq!(got.len(), 1, "{mnemonic}");
        assert_eq!(got[0].value, mnemonic);
        assert_eq!(&text[got[0].span.clone()], mnemonic);
        // Numbered and capitalised, as people copy them.
        let numbered: Vec<String> = mnemonic
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                let mut c = w.chars();
                let cap: String = c.next().unwrap().to_uppercase().chain(c).collect();
                format!("{}.{cap}", i + 1)
            })
            .collect();
        let text = numbered.join(" ");
        let got: Vec<_> = ex
            .extract(&text)
            .into_iter()
            .filter(|i| i.kind == IdentifierKind::SeedPhrase)
            .collect();
        assert_eq!(got.len(), 1, "{text}");
        assert_eq!(got[0].value, mnemonic);
        assert_eq!(got[0].span, 0..text.len());
    }
}

#[test]
fn bip39_checksum_rejects_a_changed_word() {
    let ex = Extractor::new();
    // The first vector with its last word replaced: "about" -> "abandon".
    let text = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon";
    assert!(ex.extract(text).is_empty());
    let ok = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    assert_eq!(ex.extract(ok).len(), 1);
}

fn base58check(version: &[u8], payload: &[u8]) -> String {
    let mut data = version.to_vec();
    data.extend_from_slice(payload);
    let h = Sha256::digest(Sha256::digest(&data));
    data.extend_from_slice(&h[..4]);
    bs58::encode(data).into_string()
}

fn payload(seed: u8, n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

#[test]
fn tron_litecoin_zcash_base58check() {
    // TRON's USDT contract, a public address printed on every exchange.
    let usdt = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
    assert_eq!(validate_address(usdt), Some((Chain::Tron, usdt.to_owned())));
    for seed in 0..20u8 {
        let p = payload(seed, 20);
        let tron = base58check(&[0x41], &p);
        assert!(tron.starts_with('T'));
        assert_eq!(validate_address(&tron), Some((Chain::Tron, tron.clone())));
        let l = base58check(&[0x30], &p);
        assert!(l.starts_with('L'));
        assert_eq!(validate_address(&l), Some((Chain::Ltc, l.clone())));
        let m = base58check(&[0x32], &p);
        assert_eq!(validate_address(&m), Some((Chain::Ltc, m.clone())));
        let t1 = base58check(&[0x1C, 0xB8], &p);
        assert!(t1.starts_with("t1"));
        assert_eq!(validate_address(&t1), Some((Chain::Zec, t1.clone())));
        let t3 = base58check(&[0x1C, 0xBD], &p);
        assert!(t3.starts_with("t3"));
        assert_eq!(validate_address(&t3), Some((Chain::Zec, t3.clone())));
        // One character changed: the checksum fails.
        for a in [tron, l, t1] {
            let mut b = a.into_bytes();
            let k = b.len() - 5;
            b[k] = if b[k] == b'2' { b'3' } else { b'2' };
            let bad = String::from_utf8(b).unwrap();
            assert_eq!(validate_address(&bad), None, "{bad}");
        }
    }
}

#[test]
fn litecoin_bech32() {
    let program = payload(7, 20);
    let hrp = bech32::Hrp::parse("ltc").unwrap();
    let a = bech32::segwit::encode(hrp, bech32::segwit::VERSION_0, &program).unwrap();
    assert_eq!(validate_address(&a), Some((Chain::Ltc, a.clone())));
    assert_eq!(
        validate_address(&a.to_uppercase()),
        Some((Chain::Ltc, a.clone()))
    );
}

const XMR_ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Monero's block base58, written independently of the crate's decoder.
fn xmr_encode(data: &[u8]) -> String {
    let sizes = [0, 2, 3, 5, 6, 7, 9, 10, 11];
    let mut out = String::new();
    for block in data.chunks(8) {
        let mut v: u128 = 0;
        for &b in block {
            v = (v << 8) | u128::from(b);
        }
        let n = sizes[block.len()];
        let mut chars = vec![b'1'; n];
        for k in (0..n).rev() {
            chars[k] = XMR_ALPHABET[(v % 58) as usize];
            v /= 58;
        }
        out.push_str(std::str::from_utf8(&chars).unwrap());
    }
    out
}

#[test]
fn monero_standard_addresses() {
    use sha3::{Digest as _, Keccak256};
    for (seed, net) in [(1u8, 18u8), (2, 42), (3, 18)] {
        let mut data = vec![net];
        data.extend(payload(seed, 64));
        let check = Keccak256::digest(&data);
        data.extend_from_slice(&check[..4]);
        let a = xmr_encode(&data);
        assert_eq!(a.len(), 95);
        assert!(a.starts_with(if net == 18 { '4' } else { '8' }));
        assert_eq!(validate_address(&a), Some((Chain::Xmr, a.clone())));
        let mut bad = a.clone().into_bytes();
        bad[50] = if bad[50] == b'A' { b'B' } else { b'A' };
        assert_eq!(validate_address(&String::from_utf8(bad).unwrap()), None);
    }
}

#[test]
fn ton_user_friendly_addresses() {
    let crc = crc::Crc::<u16>::new(&crc::CRC_16_XMODEM);
    for (seed, tag, wc) in [(1u8, 0x11u8, 0x00u8), (2, 0x51, 0x00), (3, 0x11, 0xff)] {
        let mut data = vec![tag, wc];
        data.extend(payload(seed, 32));
        let c = crc.checksum(&data);
        data.extend_from_slice(&c.to_be_bytes());
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&data);
        let std = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&data);
        assert_eq!(url.len(), 48);
        assert_eq!(validate_address(&url), Some((Chain::Ton, url.clone())));
        // The standard alphabet is read and given back as base64url.
        assert_eq!(validate_address(&std), Some((Chain::Ton, url.clone())));
        // Testnet flag: not reported.
        let mut test = data.clone();
        test[0] |= 0x80;
        let c = crc.checksum(&test[..34]);
        test[34..].copy_from_slice(&c.to_be_bytes());
        let t = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&test);
        assert_eq!(validate_address(&t), None);
    }
}
