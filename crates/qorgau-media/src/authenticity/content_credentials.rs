//! Content Credentials (C2PA): finding a manifest store and reporting what
//! it says, without verifying it.
//!
//! A C2PA manifest store is a JUMBF superbox labelled `c2pa` (ISO/IEC 19566-5)
//! embedded in JPEG APP11 segments, a PNG `caBX` chunk, a WebP `C2PA` chunk
//! or an ISO-BMFF `uuid` box with the C2PA UUID. Each manifest holds a
//! claim (CBOR: the claim generator, the assertions it covers), assertions
//! (actions such as `c2pa.created`/`c2pa.edited`, the digital source type,
//! ingredients, hashes) and a COSE signature with the signer's certificate.
//!
//! # Why not verified
//!
//! Verifying (signature, certificate chain to a trust list, the hash that
//! binds the manifest to these pixels) is what the `c2pa` crate does. It was
//! measured for this crate: `c2pa` 0.82.1 with `default-features = false`
//! and only `rust_native_crypto` (no OpenSSL, no network, no file I/O) still
//! resolves to 257 crate versions, 132 of them (85 distinct crates) not
//! otherwise in this workspace (rasn, bcder, coset, ciborium, brotli, id3,
//! mp4, riff, img-parts, jfifdump, serde_with, toml_edit, p521, rsa…) — over
//! the workspace's budget of about 80 new crates for one feature, and its
//! build on the 2-core machines was not worth paying for reading that an
//! examiner can do with `c2patool`. So this module finds the store, walks
//! its boxes (bounded) and reads what is plain to read: the manifest and
//! assertion labels, and by a byte scan of their CBOR the claim generator,
//! the action names, the digital source type and the names in the signing
//! certificates. Every such value is reported as what the file claims.

use super::segments::Header;
use super::software::GENERATED_SOURCE_TYPES;
use super::{Examination, Level, Signal, kind};
use crate::MAX_METADATA_BLOCK;

/// The ISO-BMFF `uuid` box type of C2PA manifests.
const C2PA_UUID: [u8; 16] = [
    0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81,
];
/// Bounds on the JUMBF walk.
const MAX_BOXES: usize = 10_000;
const MAX_DEPTH: usize = 8;
/// At most this many values of one kind are reported.
const MAX_VALUES: usize = 20;

/// A JUMBF superbox found in the store: its depth, label and content bytes
/// (the children after the description box).
#[derive(Debug, Clone)]
struct Labelled<'a> {
    depth: usize,
    label: String,
    content: &'a [u8],
}

/// Finds the manifest store's bytes and where it was.
fn find_store(bytes: &[u8], header: Option<&Header<'_>>) -> Option<(Vec<u8>, &'static str)> {
    if let Some(h) = header {
        return jpeg_app11(h).map(|s| (s, "JPEG APP11 segments"));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return chunks(bytes, 8, false, b"caBX").map(|s| (s.to_vec(), "a PNG caBX chunk"));
    }
    if bytes.len() >= 12 && bytes.get(0..4) == Some(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return chunks(bytes, 12, true, b"C2PA").map(|s| (s.to_vec(), "a WebP C2PA chunk"));
    }
    if bytes.get(4..8).is_some_and(|t| t == b"ftyp") {
        return bmff_uuid(bytes).map(|s| (s.to_vec(), "an ISO-BMFF uuid box"));
    }
    None
}

/// JPEG: APP11 segments carrying JUMBF (common identifier `JP`), joined by
/// box instance in packet order (T.84: each packet repeats the box header).
fn jpeg_app11(h: &Header<'_>) -> Option<Vec<u8>> {
    let mut packets: Vec<(u16, u32, &[u8])> = Vec::new();
    for seg in h.segments.iter().filter(|s| s.code == 0xEB) {
        let p = seg.payload;
        if p.get(0..2) != Some(b"JP") {
            continue;
        }
        let (Some(en), Some(z)) = (p.get(2..4), p.get(4..8)) else {
            continue;
        };
        let en = u16::from_be_bytes([en[0], en[1]]);
        let z = u32::from_be_bytes([z[0], z[1], z[2], z[3]]);
        packets.push((en, z, p.get(8..).unwrap_or(&[])));
    }
    // The instance whose first packet is a `c2pa` superbox.
    let first = packets
        .iter()
        .find(|(_, z, b)| *z == 1 && is_c2pa_store(b))?;
    let en = first.0;
    let mut parts: Vec<&(u16, u32, &[u8])> = packets.iter().filter(|p| p.0 == en).collect();
    parts.sort_by_key(|p| p.1);
    let mut out = Vec::new();
    for (i, (_, _, body)) in parts.iter().enumerate() {
        let body = if i == 0 {
            *body
        } else {
            // Continuation packets repeat LBox and TBox (and XLBox).
            let skip = if body.get(0..4) == Some(&[0, 0, 0, 1]) {
                16
            } else {
                8
            };
            body.get(skip..).unwrap_or(&[])
        };
        if out.len() + body.len() > MAX_METADATA_BLOCK {
            break;
        }
        out.extend_from_slice(body);
    }
    Some(out)
}

/// Whether `b` starts with a `jumb` superbox whose description is labelled
/// `c2pa`.
fn is_c2pa_store(b: &[u8]) -> bool {
    b.get(4..8) == Some(b"jumb")
        && description_label(b.get(8..).unwrap_or(&[])).is_some_and(|(l, _)| l == "c2pa")
}

/// PNG and RIFF chunk walks for one chunk type (`little` for RIFF).
fn chunks<'a>(bytes: &'a [u8], start: usize, little: bool, wanted: &[u8; 4]) -> Option<&'a [u8]> {
    let mut pos = start;
    for _ in 0..100_000 {
        let (len_at, typ_at) = if little {
            (pos + 4, pos)
        } else {
            (pos, pos + 4)
        };
        let len = bytes.get(len_at..len_at + 4)?;
        let len = if little {
            u32::from_le_bytes([len[0], len[1], len[2], len[3]])
        } else {
            u32::from_be_bytes([len[0], len[1], len[2], len[3]])
        } as usize;
        let typ = bytes.get(typ_at..typ_at + 4)?;
        let data_at = pos + 8;
        if typ == wanted {
            return bytes.get(data_at..data_at.checked_add(len)?.min(bytes.len()));
        }
        if !little && typ == b"IEND" {
            return None;
        }
        // PNG: data and CRC; RIFF: data padded to even.
        pos = if little {
            data_at.checked_add(len)?.checked_add(len & 1)?
        } else {
            data_at.checked_add(len)?.checked_add(4)?
        };
    }
    None
}

/// ISO-BMFF: a top-level `uuid` box with the C2PA UUID; the JUMBF follows a
/// version/flags word, a purpose string and, for `manifest`, an offset.
fn bmff_uuid(bytes: &[u8]) -> Option<&[u8]> {
    let mut pos = 0usize;
    for _ in 0..10_000 {
        let size = bytes.get(pos..pos + 4)?;
        let mut size = u64::from(u32::from_be_bytes([size[0], size[1], size[2], size[3]]));
        let typ = bytes.get(pos + 4..pos + 8)?;
        let mut header = 8usize;
        if size == 1 {
            let s = bytes.get(pos + 8..pos + 16)?;
            size = u64::from_be_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]);
            header = 16;
        } else if size == 0 {
            size = (bytes.len() - pos) as u64;
        }
        let size = usize::try_from(size).ok()?;
        if size < header {
            return None;
        }
        let end = pos.checked_add(size)?.min(bytes.len());
        if typ == b"uuid" && bytes.get(pos + header..pos + header + 16) == Some(&C2PA_UUID) {
            let body = bytes.get(pos + header + 16..end)?;
            let at = body.windows(4).take(512).position(|w| w == b"jumb")?;
            return body.get(at.checked_sub(4)?..);
        }
        pos = pos.checked_add(size)?;
    }
    None
}

/// Reads a `jumd` description box at the start of `b`: its label (when the
/// label toggle is set) and the bytes after the box.
fn description_label(b: &[u8]) -> Option<(String, &[u8])> {
    let (size, header) = box_size(b)?;
    if b.get(4..8) != Some(b"jumd") {
        return None;
    }
    let body = b.get(header..size)?;
    let toggles = *body.get(16)?;
    let label = if toggles & 0x02 != 0 {
        let rest = body.get(17..)?;
        let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
        String::from_utf8_lossy(rest.get(..end)?).into_owned()
    } else {
        String::new()
    };
    Some((label, b.get(size..).unwrap_or(&[])))
}

/// A box's total size and header length at the start of `b` (size 0: to
/// the end).
fn box_size(b: &[u8]) -> Option<(usize, usize)> {
    let s = b.get(0..4)?;
    let size = u32::from_be_bytes([s[0], s[1], s[2], s[3]]);
    match size {
        0 => Some((b.len(), 8)),
        1 => {
            let x = b.get(8..16)?;
            let size = u64::from_be_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]);
            let size = usize::try_from(size).ok()?;
            (size >= 16).then_some((size.min(b.len()), 16))
        }
        s if s >= 8 => Some(((s as usize).min(b.len()), 8)),
        _ => None,
    }
}

/// Walks the JUMBF tree, collecting each labelled superbox.
fn walk<'a>(b: &'a [u8], depth: usize, out: &mut Vec<Labelled<'a>>) {
    let mut rest = b;
    while !rest.is_empty() && out.len() < MAX_BOXES {
        let Some((size, header)) = box_size(rest) else {
            return;
        };
        if rest.get(4..8) == Some(b"jumb") {
            let body = rest.get(header..size).unwrap_or(&[]);
            if let Some((label, content)) = description_label(body) {
                out.push(Labelled {
                    depth,
                    label,
                    content,
                });
                if depth < MAX_DEPTH {
                    walk(content, depth + 1, out);
                }
            }
        }
        rest = rest.get(size..).unwrap_or(&[]);
    }
}

/// The text strings that follow the CBOR text key `key` in `data` (a byte
/// scan, not a CBOR parse: enough for the plain values reported here).
fn cbor_texts_after(data: &[u8], key: &str, out: &mut Vec<String>) {
    let mut encoded = cbor_text_header(key.len());
    encoded.extend_from_slice(key.as_bytes());
    let mut from = 0;
    while out.len() < MAX_VALUES {
        let Some(i) = data.get(from..).and_then(|d| {
            d.windows(encoded.len())
                .position(|w| w == encoded.as_slice())
        }) else {
            return;
        };
        let at = from + i + encoded.len();
        if let Some(text) = cbor_text_at(data, at)
            && !out.contains(&text)
        {
            out.push(text);
        }
        from = at;
    }
}

fn cbor_text_header(len: usize) -> Vec<u8> {
    match len {
        0..=23 => vec![0x60 | len as u8],
        24..=255 => vec![0x78, len as u8],
        _ => vec![0x79, (len >> 8) as u8, len as u8],
    }
}

fn cbor_text_at(data: &[u8], at: usize) -> Option<String> {
    let first = *data.get(at)?;
    if first >> 5 != 3 {
        return None;
    }
    let (len, start) = match first & 0x1F {
        n @ 0..=23 => (usize::from(n), at + 1),
        24 => (usize::from(*data.get(at + 1)?), at + 2),
        25 => {
            let b = data.get(at + 1..at + 3)?;
            (usize::from(u16::from_be_bytes([b[0], b[1]])), at + 3)
        }
        _ => return None,
    };
    let text = std::str::from_utf8(data.get(start..start.checked_add(len)?)?).ok()?;
    Some(text.chars().take(200).collect())
}

/// Names (CN, O) in DER certificates found in `data`: OID 2.5.4.3 or
/// 2.5.4.10 followed by a string.
fn certificate_names(data: &[u8], out: &mut Vec<String>) {
    for (i, w) in data.windows(5).enumerate() {
        if out.len() >= MAX_VALUES {
            return;
        }
        if w != [0x06, 0x03, 0x55, 0x04, 0x03] && w != [0x06, 0x03, 0x55, 0x04, 0x0A] {
            continue;
        }
        let at = i + 5;
        let (Some(&tag), Some(&len)) = (data.get(at), data.get(at + 1)) else {
            continue;
        };
        if !matches!(tag, 0x0C | 0x13 | 0x14 | 0x16) || len > 127 {
            continue;
        }
        if let Some(s) = data
            .get(at + 2..at + 2 + usize::from(len))
            .and_then(|b| std::str::from_utf8(b).ok())
        {
            let s = s.to_string();
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
}

/// What could be read of a manifest store.
#[derive(Debug, Default)]
struct Reading {
    manifests: Vec<String>,
    assertions: Vec<String>,
    generators: Vec<String>,
    actions: Vec<String>,
    source_types: Vec<String>,
    signers: Vec<String>,
}

fn read_store(store: &[u8]) -> Reading {
    let mut boxes = Vec::new();
    walk(store, 0, &mut boxes);
    let mut r = Reading::default();
    // The manifests are the children of the store; the last is the active
    // one (C2PA 2.x, 11.3).
    let mut in_active = false;
    let last_manifest = boxes.iter().rposition(|b| b.depth == 1);
    for (i, b) in boxes.iter().enumerate() {
        if b.depth == 1 {
            r.manifests.push(b.label.clone());
            in_active = Some(i) == last_manifest;
            continue;
        }
        if !in_active {
            continue;
        }
        if b.depth == 3 && r.assertions.len() < MAX_VALUES && !r.assertions.contains(&b.label) {
            r.assertions.push(b.label.clone());
        }
        if b.label.starts_with("c2pa.claim") {
            cbor_texts_after(b.content, "claim_generator", &mut r.generators);
            let mut info = Vec::new();
            cbor_texts_after(b.content, "name", &mut info);
            r.generators.extend(info.into_iter().take(2));
        }
        if b.label.starts_with("c2pa.actions") {
            cbor_texts_after(b.content, "action", &mut r.actions);
            cbor_texts_after(b.content, "digitalSourceType", &mut r.source_types);
        }
        if b.label == "c2pa.signature" {
            certificate_names(b.content, &mut r.signers);
        }
    }
    r
}

/// Looks for a manifest store and adds the signal, or a note when there is
/// none.
pub(crate) fn check(bytes: &[u8], header: Option<&Header<'_>>, ex: &mut Examination) {
    let Some((store, place)) = find_store(bytes, header) else {
        ex.notes
            .push("no Content Credentials (C2PA) manifest store found".into());
        return;
    };
    let r = read_store(&store);
    let list = |v: &[String]| {
        if v.is_empty() {
            "none readable".to_string()
        } else {
            v.iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let generated = r.source_types.iter().any(|t| {
        GENERATED_SOURCE_TYPES
            .iter()
            .any(|g| t.rsplit('/').next() == Some(*g))
    });
    let observed = format!(
        "A C2PA manifest store (Content Credentials) of {} bytes is embedded in {place}, with {} \
         manifest(s) ({}). The active manifest claims: generator {}; assertions {}; actions {}; \
         digital source type {}; names in the signing certificates {}.",
        store.len(),
        r.manifests.len(),
        list(&r.manifests),
        list(&r.generators),
        list(&r.assertions),
        list(&r.actions),
        list(&r.source_types),
        list(&r.signers),
    );
    let may_mean = if generated {
        "The manifest declares the content as generated (or partly generated) by AI. If the \
         manifest verifies, this is the signer's own statement of how the picture was made."
    } else {
        "The software that made or edited the file recorded how it did so (created by a camera, \
         opened and edited, exported, composed from ingredients) and signed that record. If the \
         manifest verifies, it is the signer's statement of the picture's history."
    };
    ex.signals.push(Signal::new(
        kind::CONTENT_CREDENTIALS,
        Level::WorthExamining,
        observed,
        may_mean,
        "Qorgau did not verify this manifest: the signature, the certificate chain and the hash \
         that binds the manifest to these pixels were not checked, so everything above is only \
         what the file claims, and anyone can write a manifest with any text. Verify it with \
         c2patool or a Content Credentials verifier before relying on it. Even a valid manifest \
         shows who signed the record, not that the picture shows the truth; and most pictures \
         have none, because few cameras write them and most platforms remove them on upload, so \
         absence means nothing.",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(typ: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(typ);
        v.extend_from_slice(body);
        v
    }

    fn superbox(label: &str, children: &[u8]) -> Vec<u8> {
        let mut d = vec![0u8; 16];
        d.push(0x03);
        d.extend_from_slice(label.as_bytes());
        d.push(0);
        let mut body = bx(b"jumd", &d);
        body.extend_from_slice(children);
        bx(b"jumb", &body)
    }

    #[test]
    fn reads_labels_and_claim() {
        let mut claim = vec![0xA1];
        claim.extend(cbor_text_header(15));
        claim.extend_from_slice(b"claim_generator");
        claim.extend(cbor_text_header(9));
        claim.extend_from_slice(b"TestTool1");
        let claim_box = superbox("c2pa.claim", &bx(b"cbor", &claim));
        let actions = superbox("c2pa.actions", &bx(b"cbor", b"\x66action\x6Cc2pa.created"));
        let assertions = superbox("c2pa.assertions", &actions);
        let manifest = superbox("urn:uuid:1", &[assertions, claim_box].concat());
        let store = superbox("c2pa", &manifest);
        assert!(is_c2pa_store(&store));
        let r = read_store(&store);
        assert_eq!(r.manifests, vec!["urn:uuid:1"]);
        assert_eq!(r.generators, vec!["TestTool1"]);
        assert_eq!(r.assertions, vec!["c2pa.actions"]);
        assert_eq!(r.actions, vec!["c2pa.created"]);
    }
}
