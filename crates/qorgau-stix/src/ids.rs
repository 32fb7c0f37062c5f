//! Identifiers of exported objects.
//!
//! Cyber-observables get the deterministic ids of STIX 2.1 (section 2.9):
//! a UUIDv5 in the namespace `00abedb4-aa42-466c-9c01-fed23315a9b7` over the
//! JSON Canonicalization Scheme (RFC 8785) serialisation of an object holding
//! the type's ID-contributing properties. Two producers that see the same
//! domain therefore name it alike, and a consumer merges instead of
//! duplicating.
//!
//! Domain objects and relationships SHOULD have UUIDv4 ids (STIX 2.1,
//! section 2.9), yet an export repeated after a change must yield new
//! *versions* of the same objects, not new objects. [`derived_id`] does
//! both: the 122 free bits of a version-4 UUID are taken from SHA-256 over a
//! secret per-case seed ([`crate::CaseIndicators::id_seed`]) and what makes
//! the object the same (its type, the pattern, the endpoints). Without the
//! seed nobody can recompute an id, so ids do not reveal which case an
//! indicator belongs to, and they are as collision-free as random ones.

use sha2::{Digest, Sha256};
use uuid::{Builder, Uuid};

/// The namespace STIX 2.1 fixes for deterministic cyber-observable ids.
pub const SCO_NAMESPACE: Uuid = Uuid::from_u128(0x00ab_edb4_aa42_466c_9c01_fed2_3315_a9b7);

/// The seed of ids that must be the same in every case (a producer's
/// identity): a random UUID chosen once; never change it, or partners would
/// see a new identity.
pub const QORGAU_SEED: Uuid = Uuid::from_u128(0xb047_d19c_bb55_4b95_9484_b7f0_3af8_f66c);

/// Serialises an object whose members are all strings by RFC 8785: members
/// sorted by the UTF-16 code units of their names, no whitespace, strings
/// with only `"`, `\` and control characters escaped (`\b \t \n \f \r`, the
/// rest as `\u00xx`). The ID-contributing properties of the observables this
/// crate writes are all strings, so numbers (which RFC 8785 formats as
/// ECMAScript does) are not needed.
pub fn canonical_json(members: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = members.iter().collect();
    sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut out = String::from("{");
    for (i, (name, value)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(&mut out, name);
        out.push(':');
        push_json_string(&mut out, value);
    }
    out.push('}');
    out
}

fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The deterministic id of a cyber-observable of `object_type` whose
/// ID-contributing properties are `members` (only those present).
pub fn sco_id(object_type: &str, members: &[(&str, &str)]) -> String {
    let name = canonical_json(members);
    format!(
        "{object_type}--{}",
        Uuid::new_v5(&SCO_NAMESPACE, name.as_bytes())
    )
}

/// The id of a Qorgau-made object of `object_type` identified by `parts`
/// under `seed`: `object_type--` and a version-4 UUID whose random bits are
/// the first bytes of SHA-256(seed, type, parts), each field
/// length-prefixed so no two part lists hash alike.
pub fn derived_id(seed: &Uuid, object_type: &str, parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(seed.as_bytes());
    for field in std::iter::once(object_type).chain(parts.iter().copied()) {
        hash.update((field.len() as u64).to_be_bytes());
        hash.update(field.as_bytes());
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!(
        "{object_type}--{}",
        Builder::from_random_bytes(bytes).into_uuid()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_and_escapes() {
        assert_eq!(
            canonical_json(&[("value", "a\"b\\c\n\u{1}é"), ("account_type", "x")]),
            "{\"account_type\":\"x\",\"value\":\"a\\\"b\\\\c\\n\\u0001é\"}"
        );
    }

    #[test]
    fn derived_ids_are_v4_and_depend_on_every_input() {
        let seed = Uuid::from_u128(1);
        let id = derived_id(&seed, "indicator", &["a", "b"]);
        let uuid = Uuid::parse_str(id.trim_start_matches("indicator--")).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
        assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(id, derived_id(&seed, "indicator", &["a", "b"]));
        assert_ne!(
            id,
            derived_id(&Uuid::from_u128(2), "indicator", &["a", "b"])
        );
        assert_ne!(id, derived_id(&seed, "indicator", &["ab"]));
        assert_ne!(id, derived_id(&seed, "indicator", &["a", "b", ""]));
    }

    #[test]
    fn spec_example_id() {
        // The id the stix2 library (3.0.2) computes for
        // `EmailAddress(value="john@example.com")`.
        assert_eq!(
            sco_id("email-addr", &[("value", "john@example.com")]),
            "email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934"
        );
    }
}
