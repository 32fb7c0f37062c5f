//! A minimal DER reader and writer for the outer layers of RFC 3161 messages.
//!
//! Why by hand and not `cms`/`der` derives: the signature of a time-stamp
//! token covers the *exact bytes* of the signed attributes, the ESSCertID
//! covers the exact bytes of the certificate and the message digest covers
//! the exact bytes of the TSTInfo. `der`'s `SetOfVec` decoder re-sorts sets
//! and typed structures are re-encoded on output, so a walker that hands back
//! the original slices is both lighter and safer. Leaves (OIDs, names,
//! certificates) are still decoded with the RustCrypto `der`/`x509-cert` crates.
//! The only `cms` release on `der` 0.8 is also a pre-release.

/// Universal and context tags used by this crate.
pub(crate) mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
    pub const CONTEXT_0_CONSTRUCTED: u8 = 0xa0;
    pub const CONTEXT_1_CONSTRUCTED: u8 = 0xa1;
    pub const CONTEXT_0_PRIMITIVE: u8 = 0x80;
    pub const CONTEXT_1_PRIMITIVE: u8 = 0x81;
}

/// One decoded tag-length-value element, borrowing the input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (only single-octet tags are accepted).
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// The whole element, header included, as it appeared in the input.
    pub raw: &'a [u8],
}

/// Why a DER walk stopped, said in words for error messages.
pub(crate) type DerProblem = String;

/// Sequential reader over the content of one constructed element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the elements of `input` one by one.
    pub fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    /// True when every element has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element whatever its tag.
    pub fn any(&mut self, what: &str) -> Result<Tlv<'a>, DerProblem> {
        let (tlv, rest) = read_tlv(self.rest).map_err(|p| format!("{what}: {p}"))?;
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads the next element and insists on its tag.
    pub fn expect(&mut self, tag: u8, what: &str) -> Result<Tlv<'a>, DerProblem> {
        match self.peek_tag() {
            None => Err(format!("{what}: missing (end of data)")),
            Some(found) if found != tag => Err(format!(
                "{what}: expected tag 0x{tag:02x}, found 0x{found:02x}"
            )),
            Some(_) => self.any(what),
        }
    }

    /// Reads the next element only if it carries `tag`.
    pub fn optional(&mut self, tag: u8, what: &str) -> Result<Option<Tlv<'a>>, DerProblem> {
        if self.peek_tag() == Some(tag) {
            self.any(what).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Fails if anything is left, naming the structure that should have ended.
    pub fn finish(&self, what: &str) -> Result<(), DerProblem> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{what}: {} unexpected trailing bytes",
                self.rest.len()
            ))
        }
    }
}

/// Decodes exactly one element spanning all of `input`.
pub(crate) fn single<'a>(input: &'a [u8], tag: u8, what: &str) -> Result<Tlv<'a>, DerProblem> {
    let mut reader = Reader::new(input);
    let tlv = reader.expect(tag, what)?;
    reader.finish(what)?;
    Ok(tlv)
}

fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), DerProblem> {
    let tag = *input.first().ok_or("truncated: no tag")?;
    if tag & 0x1f == 0x1f {
        return Err(format!("multi-byte tag 0x{tag:02x} is not supported"));
    }
    let first_len = *input.get(1).ok_or("truncated: no length")?;
    let (len, header) = if first_len < 0x80 {
        (usize::from(first_len), 2usize)
    } else if first_len == 0x80 {
        return Err("indefinite length is not DER".to_string());
    } else {
        let count = usize::from(first_len & 0x7f);
        if count > 4 {
            return Err(format!("length of {count} octets is too large"));
        }
        let bytes = input
            .get(2..2 + count)
            .ok_or("truncated: length octets cut off")?;
        if bytes.first() == Some(&0) {
            return Err("length has a leading zero octet (not DER)".to_string());
        }
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 0x80 {
            return Err("long-form length for a short value (not DER)".to_string());
        }
        (len, 2 + count)
    };
    let end = header.checked_add(len).ok_or("length overflows")?;
    let raw = input.get(..end).ok_or_else(|| {
        format!(
            "truncated: element 0x{tag:02x} claims {len} bytes, {} available",
            input.len().saturating_sub(header)
        )
    })?;
    let value = raw.get(header..).ok_or("truncated")?;
    let rest = input.get(end..).ok_or("truncated")?;
    Ok((Tlv { tag, value, raw }, rest))
}

/// Encodes one element; used to build requests.
pub(crate) fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// Encodes a non-negative INTEGER from big-endian magnitude bytes.
pub(crate) fn encode_unsigned(magnitude: &[u8]) -> Vec<u8> {
    let trimmed = strip_leading_zeros(magnitude);
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    encode(tag::INTEGER, &content)
}

/// The magnitude of a non-negative INTEGER's content, without sign padding.
pub(crate) fn unsigned_magnitude(value: &[u8], what: &str) -> Result<Vec<u8>, DerProblem> {
    match value.first() {
        None => Err(format!("{what}: empty INTEGER")),
        Some(b) if b & 0x80 != 0 => Err(format!("{what}: negative INTEGER")),
        Some(_) => {
            let trimmed = strip_leading_zeros(value);
            Ok(if trimmed.is_empty() {
                vec![0]
            } else {
                trimmed.to_vec()
            })
        }
    }
}

/// Small non-negative INTEGER (versions, status codes).
pub(crate) fn small_unsigned(value: &[u8], what: &str) -> Result<u64, DerProblem> {
    let magnitude = unsigned_magnitude(value, what)?;
    if magnitude.len() > 8 {
        return Err(format!("{what}: INTEGER too large"));
    }
    Ok(magnitude
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

/// Leading zero bytes removed (an all-zero input becomes empty).
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(skip..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_short_and_long_lengths() {
        for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let content = vec![7u8; len];
            let der = encode(tag::OCTET_STRING, &content);
            let tlv = single(&der, tag::OCTET_STRING, "octets").unwrap();
            assert_eq!(tlv.value, &content[..]);
            assert_eq!(tlv.raw, &der[..]);
        }
    }

    #[test]
    fn rejects_non_der_and_truncation() {
        assert!(single(&[0x04, 0x80, 0, 0], tag::OCTET_STRING, "x").is_err());
        assert!(single(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5], tag::OCTET_STRING, "x").is_err());
        assert!(single(&[0x04, 0x05, 1, 2], tag::OCTET_STRING, "x").is_err());
        assert!(single(&[0x04, 0x85, 1, 1, 1, 1, 1], tag::OCTET_STRING, "x").is_err());
        assert!(single(&[0x04, 0x01, 1, 9], tag::OCTET_STRING, "x").is_err());
        assert!(single(&[], tag::OCTET_STRING, "x").is_err());
    }

    #[test]
    fn integers_keep_sign_padding_right() {
        assert_eq!(encode_unsigned(&[0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(encode_unsigned(&[0, 0, 0x7f]), vec![0x02, 0x01, 0x7f]);
        assert_eq!(encode_unsigned(&[]), vec![0x02, 0x01, 0x00]);
        assert_eq!(unsigned_magnitude(&[0, 0x80], "n").unwrap(), vec![0x80]);
        assert!(unsigned_magnitude(&[0x80], "n").is_err());
        assert_eq!(small_unsigned(&[0x01, 0x00], "n").unwrap(), 256);
    }
}
