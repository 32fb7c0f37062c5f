//! The marker segments of a JPEG held in memory, up to and including the
//! first start-of-scan: what the quantisation, coefficient and Content
//! Credentials checks read. Bounded in the number of segments; a damaged
//! header gives what could be read and a problem.

/// One marker segment: its code (the byte after `0xFF`), where it starts and
/// its payload (after the two length bytes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'a> {
    pub code: u8,
    pub offset: usize,
    pub payload: &'a [u8],
}

/// The header of a JPEG: its segments in order, where the entropy-coded data
/// of the first scan starts, and problems met.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header<'a> {
    pub segments: Vec<Segment<'a>>,
    /// Offset of the first byte after the first SOS segment.
    pub scan_data: Option<usize>,
    pub problems: Vec<String>,
}

impl<'a> Header<'a> {
    /// The first frame header (SOF0–SOF15 but DHT, JPG and DAC), with its
    /// code.
    pub(crate) fn frame(&self) -> Option<&Segment<'a>> {
        self.segments
            .iter()
            .find(|s| matches!(s.code, 0xC0..=0xCF) && !matches!(s.code, 0xC4 | 0xC8 | 0xCC))
    }
}

/// A JPEG header has a few dozen segments; more means garbage.
const MAX_SEGMENTS: usize = 4096;

/// Walks the segments of `bytes` from SOI to the first SOS. `None` when the
/// bytes do not start with a JPEG SOI marker.
pub(crate) fn walk(bytes: &[u8]) -> Option<Header<'_>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut h = Header::default();
    let mut pos = 2usize;
    for _ in 0..MAX_SEGMENTS {
        if bytes.get(pos) != Some(&0xFF) {
            h.problems.push(match bytes.get(pos) {
                Some(b) => format!("JPEG: expected a marker at offset {pos}, found 0x{b:02x}"),
                None => "JPEG: the file ends before the image data (truncated header)".into(),
            });
            return Some(h);
        }
        // Fill bytes: any number of 0xFF before the code.
        let mut code_at = pos + 1;
        while bytes.get(code_at) == Some(&0xFF) && code_at - pos < 64 {
            code_at += 1;
        }
        let Some(&code) = bytes.get(code_at) else {
            h.problems
                .push("JPEG: the file ends inside a marker".into());
            return Some(h);
        };
        pos = code_at + 1;
        match code {
            0xD8 | 0xD9 => {
                h.problems.push(format!(
                    "JPEG: marker 0x{code:02x} at offset {code_at} before any image data"
                ));
                return Some(h);
            }
            0x01 | 0xD0..=0xD7 => continue,
            0xFF => {
                h.problems
                    .push("JPEG: run of fill bytes; header abandoned".into());
                return Some(h);
            }
            _ => {}
        }
        let Some(len) = bytes
            .get(pos..pos + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            h.problems
                .push("JPEG: the file ends inside a segment length".into());
            return Some(h);
        };
        if len < 2 {
            h.problems.push(format!(
                "JPEG: invalid segment length {len} at offset {pos}"
            ));
            return Some(h);
        }
        let start = pos + 2;
        let end = pos + len;
        let payload = match bytes.get(start..end) {
            Some(p) => p,
            None => {
                h.problems.push(format!(
                    "JPEG: segment 0x{code:02x} at offset {} is truncated",
                    code_at - 1
                ));
                bytes.get(start..).unwrap_or(&[])
            }
        };
        h.segments.push(Segment {
            code,
            offset: code_at - 1,
            payload,
        });
        if end > bytes.len() {
            return Some(h);
        }
        pos = end;
        if code == 0xDA {
            h.scan_data = Some(pos);
            return Some(h);
        }
    }
    h.problems.push(format!(
        "JPEG: more than {MAX_SEGMENTS} header segments; rest ignored"
    ));
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_to_scan() {
        let bytes = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 1, 2, 0xFF, 0xFF, 0xDA, 0x00, 0x03, 9, 0xAA,
        ];
        let h = walk(&bytes).unwrap();
        assert_eq!(h.segments.len(), 2);
        assert_eq!(h.segments[0].code, 0xE0);
        assert_eq!(h.segments[0].payload, &[1, 2]);
        assert_eq!(h.segments[1].code, 0xDA);
        assert_eq!(h.scan_data, Some(14));
        assert!(h.problems.is_empty());
    }

    #[test]
    fn truncation_is_a_problem() {
        let h = walk(&[0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0]).unwrap();
        assert_eq!(h.segments.len(), 1);
        assert!(!h.problems.is_empty());
        assert!(walk(b"not a jpeg").is_none());
    }
}
