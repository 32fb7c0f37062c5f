//! The saved form of a model.
//!
//! ```text
//! header   "QORGAU-MODEL\n"              13 bytes, magic
//!          format version                u16 little-endian (1)
//!          content length                u64 little-endian
//!          SHA-256 of the content        32 bytes
//! content  info length, info             u32 + JSON (ModelInfo)
//!          stride (classes + 1)          u32
//!          biases                        stride × f32
//!          row count, rows               u32 + (bucket u32, stride × f32)…, buckets increasing
//!          name count, names             u32 + (bucket u32, kind u8, negative u8, length u32, UTF-8)…
//! ```
//! All numbers little-endian. Only rows with a non-zero weight are written.
//! Loading checks, in order: magic, version, the full length is present, the
//! digest, then every structural rule of the content, and that nothing
//! follows it; any failure refuses the file.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

use crate::error::ModelError;
use crate::features::FeatureKind;
use crate::model::{Model, ModelInfo, NamedFeature};

const MAGIC: &[u8; 13] = b"QORGAU-MODEL\n";
/// Format version written by this build.
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 13 + 2 + 8 + 32;
/// Largest content accepted (a 2^24-bucket model with a dozen classes is
/// far below it); guards against allocating for a nonsense length.
const MAX_CONTENT: u64 = 1 << 31;

pub(crate) fn encode_payload(m: &Model) -> Vec<u8> {
    let mut out = Vec::new();
    // Serialising plain data (strings, numbers, a date) cannot fail; an
    // empty info would be refused by `load`, never silently accepted.
    let info = serde_json::to_vec(&m.info).unwrap_or_default();
    put_u32(&mut out, info.len() as u32);
    out.extend_from_slice(&info);
    put_u32(&mut out, m.stride as u32);
    for &b in &m.bias {
        out.extend_from_slice(&b.to_le_bytes());
    }
    let rows: Vec<usize> = (0..m.weights.len() / m.stride)
        .filter(|&r| {
            m.weights[r * m.stride..(r + 1) * m.stride]
                .iter()
                .any(|&w| w != 0.0)
        })
        .collect();
    put_u32(&mut out, rows.len() as u32);
    for r in rows {
        put_u32(&mut out, r as u32);
        for &w in &m.weights[r * m.stride..(r + 1) * m.stride] {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    put_u32(&mut out, m.names.len() as u32);
    for (&bucket, f) in &m.names {
        put_u32(&mut out, bucket);
        out.push(match f.kind {
            FeatureKind::Word => 0,
            FeatureKind::WordNgram => 1,
            FeatureKind::CharNgram => 2,
        });
        out.push(u8::from(f.negative));
        put_u32(&mut out, f.name.len() as u32);
        out.extend_from_slice(f.name.as_bytes());
    }
    out
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub(crate) fn save(m: &Model, mut w: impl Write) -> Result<(), ModelError> {
    let payload = encode_payload(m);
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    header.extend_from_slice(m.digest());
    w.write_all(&header)?;
    w.write_all(&payload)?;
    w.flush()?;
    Ok(())
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

pub(crate) fn load(mut r: impl Read) -> Result<Model, ModelError> {
    let mut header = [0u8; HEADER_LEN];
    let got = read_up_to(&mut r, &mut header)?;
    let magic_seen = got.min(MAGIC.len());
    if header[..magic_seen] != MAGIC[..magic_seen] || got == 0 {
        return Err(ModelError::BadMagic);
    }
    if got < HEADER_LEN {
        return Err(ModelError::Truncated {
            what: "the header",
            expected: HEADER_LEN as u64,
            got: got as u64,
        });
    }
    let version = u16::from_le_bytes([header[13], header[14]]);
    if version != FORMAT_VERSION {
        return Err(ModelError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let mut len8 = [0u8; 8];
    len8.copy_from_slice(&header[15..23]);
    let len = u64::from_le_bytes(len8);
    if len > MAX_CONTENT {
        return Err(ModelError::Corrupt(format!(
            "declared content length {len} bytes is beyond any model this build writes"
        )));
    }
    let expected_digest = &header[23..55];
    let mut payload = Vec::with_capacity(len.min(1 << 24) as usize);
    (&mut r).take(len).read_to_end(&mut payload)?;
    if (payload.len() as u64) < len {
        return Err(ModelError::Truncated {
            what: "the content",
            expected: len,
            got: payload.len() as u64,
        });
    }
    let mut extra = [0u8; 1];
    if read_up_to(&mut r, &mut extra)? > 0 {
        return Err(ModelError::Corrupt(
            "bytes follow the end of the declared content".into(),
        ));
    }
    let digest: [u8; 32] = Sha256::digest(&payload).into();
    if digest[..] != expected_digest[..] {
        return Err(ModelError::ChecksumMismatch {
            expected: hex::encode(expected_digest),
            found: hex::encode(digest),
        });
    }
    let mut model = decode_payload(&payload)?;
    model.seal(&payload);
    Ok(model)
}

/// A cursor over the content that turns every overrun into a clear error.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                ModelError::Corrupt(format!("{what} runs past the end of the content"))
            })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u32(&mut self, what: &str) -> Result<u32, ModelError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u8(&mut self, what: &str) -> Result<u8, ModelError> {
        Ok(self.take(1, what)?[0])
    }

    fn f32s(&mut self, out: &mut [f32], what: &str) -> Result<(), ModelError> {
        let b = self.take(out.len() * 4, what)?;
        for (o, c) in out.iter_mut().zip(b.chunks_exact(4)) {
            let v = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            if !v.is_finite() {
                return Err(ModelError::Corrupt(format!(
                    "{what} holds a non-finite number"
                )));
            }
            *o = v;
        }
        Ok(())
    }
}

fn corrupt<T>(m: impl Into<String>) -> Result<T, ModelError> {
    Err(ModelError::Corrupt(m.into()))
}

fn decode_payload(bytes: &[u8]) -> Result<Model, ModelError> {
    let mut c = Cursor { bytes, pos: 0 };
    let info_len = c.u32("info length")? as usize;
    let info: ModelInfo = serde_json::from_slice(c.take(info_len, "info")?)
        .map_err(|e| ModelError::Corrupt(format!("info is not valid: {e}")))?;
    info.options
        .validate()
        .map_err(|e| ModelError::Corrupt(format!("recorded options: {e}")))?;
    if info.features != info.options.feature_config() {
        return corrupt("feature settings disagree with the recorded options");
    }
    let k = info.classes.len();
    if k < 2 {
        return corrupt("fewer than two classes");
    }
    let mut sorted = info.classes.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != k || sorted.iter().any(|c| c.is_empty()) {
        return corrupt("class names are empty or repeated");
    }
    if info.class_counts.len() != k {
        return corrupt("class counts do not match the classes");
    }
    let stride = c.u32("stride")? as usize;
    if stride != k + 1 {
        return corrupt(format!("stride {stride} does not match {k} classes"));
    }
    let buckets = info.features.buckets();
    let mut bias = vec![0.0f32; stride];
    c.f32s(&mut bias, "biases")?;
    let rows = c.u32("row count")? as usize;
    if rows > buckets {
        return corrupt(format!("{rows} rows for {buckets} buckets"));
    }
    let mut weights = vec![0.0f32; buckets * stride];
    let mut last: Option<usize> = None;
    for _ in 0..rows {
        let r = c.u32("row bucket")? as usize;
        if r >= buckets || last.is_some_and(|l| r <= l) {
            return corrupt(format!("row bucket {r} is out of range or out of order"));
        }
        last = Some(r);
        c.f32s(&mut weights[r * stride..(r + 1) * stride], "row weights")?;
    }
    let count = c.u32("name count")? as usize;
    let mut names = BTreeMap::new();
    for _ in 0..count {
        let bucket = c.u32("name bucket")?;
        if bucket as usize >= buckets {
            return corrupt(format!("named bucket {bucket} is out of range"));
        }
        let kind = match c.u8("name kind")? {
            0 => FeatureKind::Word,
            1 => FeatureKind::WordNgram,
            2 => FeatureKind::CharNgram,
            other => return corrupt(format!("unknown feature kind {other}")),
        };
        let negative = match c.u8("name sign")? {
            0 => false,
            1 => true,
            other => return corrupt(format!("invalid sign flag {other}")),
        };
        let n = c.u32("name length")? as usize;
        let name = std::str::from_utf8(c.take(n, "name")?)
            .map_err(|_| ModelError::Corrupt("a feature name is not UTF-8".into()))?
            .to_string();
        if names
            .insert(
                bucket,
                NamedFeature {
                    name,
                    kind,
                    negative,
                },
            )
            .is_some()
        {
            return corrupt(format!("bucket {bucket} is named twice"));
        }
    }
    if c.pos != bytes.len() {
        return corrupt(format!(
            "{} unexplained bytes at the end of the content",
            bytes.len() - c.pos
        ));
    }
    Ok(Model::unsealed(info, weights, bias, names))
}
