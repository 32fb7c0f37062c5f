//! Cryptocurrency addresses with their checksums checked.
//!
//! Payments to recruiters and "prepayments" for fake jobs go to wallets, and a
//! wallet shared between ads links them into one network. A random string that
//! merely looks like an address must not link anything, so every address is
//! decoded and its checksum verified; the value returned is the canonical
//! form, so the same wallet written twice compares equal.
//!
//! Primitives come from well-kept crates (`bs58`, `bech32`, `sha2`, `sha3`,
//! `crc`, `base64`). Monero's block-wise base58 is written here because no
//! small, maintained crate does only that.

use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use sha3::Keccak256;

use crate::Chain;

/// Validates `s` as an address of any supported chain and returns the chain
/// and the canonical form. `s` must be exactly the address, nothing around it.
pub fn validate_address(s: &str) -> Option<(Chain, String)> {
    let b = s.as_bytes();
    let first = *b.first()?;
    let lower3 = b.get(..4).map(|p| p.to_ascii_lowercase());
    if b.len() == 42 && (s.starts_with("0x") || s.starts_with("0X")) {
        return eth(s).map(|a| (Chain::Eth, a));
    }
    if let Some(p) = &lower3
        && (p.starts_with(b"bc1") || p.starts_with(b"ltc1"))
    {
        return segwit(s);
    }
    match (first, b.len()) {
        (b'4' | b'8', 95) => return xmr(s).map(|a| (Chain::Xmr, a)),
        (b't', 35) => return zec(s).map(|a| (Chain::Zec, a)),
        (_, 48) => return ton(s).map(|a| (Chain::Ton, a)),
        _ => {}
    }
    if !(25..=35).contains(&b.len()) {
        return None;
    }
    let payload = base58check(s)?;
    match (payload.len(), payload.first()?) {
        (21, 0x00 | 0x05) => Some((Chain::Btc, s.to_owned())),
        (21, 0x30 | 0x32) => Some((Chain::Ltc, s.to_owned())),
        (21, 0x41) => Some((Chain::Tron, s.to_owned())),
        _ => None,
    }
}

/// Base58 decoding with the 4-byte double-SHA-256 checksum checked; returns
/// the payload without the checksum.
fn base58check(s: &str) -> Option<Vec<u8>> {
    let data = bs58::decode(s).into_vec().ok()?;
    if data.len() < 5 {
        return None;
    }
    let (payload, check) = data.split_at(data.len() - 4);
    let hash = Sha256::digest(Sha256::digest(payload));
    (hash.get(..4)? == check).then(|| payload.to_vec())
}

/// Bech32 (v0) and bech32m (v1+) segwit addresses for Bitcoin (`bc`) and
/// Litecoin (`ltc`) mainnet; canonical form is lower case.
fn segwit(s: &str) -> Option<(Chain, String)> {
    // BIP-173: all lower or all upper case; mixed case is invalid.
    if s.bytes().any(|b| b.is_ascii_lowercase()) && s.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let (hrp, _version, _program) = bech32::segwit::decode(&lower).ok()?;
    let chain = match hrp.as_str() {
        "bc" => Chain::Btc,
        "ltc" => Chain::Ltc,
        _ => return None,
    };
    Some((chain, lower))
}

/// Zcash transparent addresses: base58check with a two-byte prefix
/// (`t1` = 0x1CB8 P2PKH, `t3` = 0x1CBD P2SH).
fn zec(s: &str) -> Option<String> {
    let p = base58check(s)?;
    (p.len() == 22 && p[0] == 0x1C && matches!(p[1], 0xB8 | 0xBD)).then(|| s.to_owned())
}

/// The EIP-55 mixed-case checksum form of 40 lower-case hex digits.
fn eip55(lower_hex: &str) -> String {
    let hash = Keccak256::digest(lower_hex.as_bytes());
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    for (i, c) in lower_hex.chars().enumerate() {
        let nibble = hash
            .get(i / 2)
            .map_or(0, |b| if i % 2 == 0 { b >> 4 } else { b & 0x0f });
        if c.is_ascii_alphabetic() && nibble >= 8 {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Ethereum: all-lower or all-upper hex carries no checksum and is accepted;
/// mixed case must match EIP-55 exactly. Canonical form is EIP-55.
fn eth(s: &str) -> Option<String> {
    let hex = s.get(2..)?;
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let lower = hex.to_ascii_lowercase();
    let canonical = eip55(&lower);
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper && canonical.get(2..) != Some(hex) {
        return None;
    }
    // A run of 40 digits only is far more likely a number than a wallet.
    if !has_lower && !has_upper {
        return None;
    }
    Some(canonical)
}

const XMR_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// Encoded length of a Monero base58 block of 0..=8 bytes.
const XMR_BLOCK_CHARS: [usize; 9] = [0, 2, 3, 5, 6, 7, 9, 10, 11];

/// Monero base58: 8-byte blocks encoded as 11 characters each, the last
/// block shorter. Returns `None` on any invalid character or overflow.
fn xmr_base58_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let full = b.len() / 11;
    let rest = b.len() % 11;
    let last_bytes = XMR_BLOCK_CHARS.iter().position(|&n| n == rest)?;
    let mut out = Vec::with_capacity(full * 8 + last_bytes);
    let mut block = |chars: &[u8], nbytes: usize| -> Option<()> {
        let mut v: u128 = 0;
        for &c in chars {
            let d = XMR_ALPHABET.iter().position(|&a| a == c)?;
            v = v.checked_mul(58)?.checked_add(d as u128)?;
        }
        if nbytes < 16 && v >> (8 * nbytes) != 0 {
            return None;
        }
        for i in (0..nbytes).rev() {
            out.push((v >> (8 * i)) as u8);
        }
        Some(())
    };
    for k in 0..full {
        block(b.get(k * 11..k * 11 + 11)?, 8)?;
    }
    if rest > 0 {
        block(b.get(full * 11..)?, last_bytes)?;
    }
    Some(out)
}

/// Monero standard (`4…`, network byte 18) and subaddress (`8…`, 42)
/// mainnet addresses: 95 characters, keccak-256 checksum.
fn xmr(s: &str) -> Option<String> {
    let data = xmr_base58_decode(s)?;
    if data.len() != 69 || !matches!(data[0], 18 | 42) {
        return None;
    }
    let hash = Keccak256::digest(&data[..65]);
    (hash.get(..4)? == &data[65..]).then(|| s.to_owned())
}

const CRC16_XMODEM: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_XMODEM);

/// TON user-friendly addresses: 36 bytes (flags, workchain, 32-byte hash,
/// CRC16-XModem) in base64url or base64, 48 characters. Mainnet only
/// (bounceable 0x11, non-bounceable 0x51). Canonical form is base64url.
fn ton(s: &str) -> Option<String> {
    let url = s.bytes().any(|b| b == b'-' || b == b'_');
    let std = s.bytes().any(|b| b == b'+' || b == b'/');
    if url && std {
        return None;
    }
    let engine = if std {
        &base64::engine::general_purpose::STANDARD_NO_PAD
    } else {
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
    };
    let data = engine.decode(s).ok()?;
    if data.len() != 36 || !matches!(data[0], 0x11 | 0x51) || !matches!(data[1], 0x00 | 0xff) {
        return None;
    }
    let crc = CRC16_XMODEM.checksum(&data[..34]);
    if crc.to_be_bytes() != data[34..36] {
        return None;
    }
    Some(s.replace('+', "-").replace('/', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eip55_examples() {
        let a = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assert_eq!(validate_address(a), Some((Chain::Eth, a.to_owned())));
        assert_eq!(
            validate_address(&a.to_ascii_lowercase().replace("0X", "0x")),
            Some((Chain::Eth, a.to_owned()))
        );
        // One letter's case flipped: checksum fails.
        assert_eq!(
            validate_address("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            None
        );
    }

    #[test]
    fn xmr_block_sizes_roundtrip_lengths() {
        assert!(xmr_base58_decode("11").is_some_and(|v| v == vec![0]));
        assert!(xmr_base58_decode("1").is_none());
        assert!(xmr_base58_decode("zzzzzzzzzzz").is_none());
    }

    #[test]
    fn ton_checksum() {
        let a = "UQABiwzc3zXla0t5wqNiVOajO2V4y8GOItDIMb4BtOZVKMZu";
        assert_eq!(validate_address(a), Some((Chain::Ton, a.to_owned())));
        assert_eq!(
            validate_address("UQABiwzc3zXla0t5wqNiVOajO2V4y8GOItDIMb4BtOZVKMZv"),
            None
        );
    }
}
