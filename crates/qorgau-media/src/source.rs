//! Bounded, positioned reads over a seekable input.
//!
//! Every container walker reads through [`Source`], so that no read is larger
//! than the caller's cap and reads past the end come back short instead of
//! failing: a truncated file is a warning, not an error.

use std::io::{self, Read, Seek, SeekFrom};

pub(crate) struct Source<'r, R> {
    inner: &'r mut R,
    len: u64,
}

impl<'r, R: Read + Seek> Source<'r, R> {
    pub(crate) fn new(inner: &'r mut R) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        Ok(Self { inner, len })
    }

    /// Length of the whole input in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Reads up to `max` bytes starting at `pos`; fewer when the input ends
    /// first (nothing when `pos` is past the end). `max` must already be capped
    /// by the caller.
    pub(crate) fn read_at(&mut self, pos: u64, max: usize) -> io::Result<Vec<u8>> {
        if pos >= self.len {
            return Ok(Vec::new());
        }
        let avail = usize::try_from(self.len - pos).unwrap_or(usize::MAX);
        let want = max.min(avail);
        self.inner.seek(SeekFrom::Start(pos))?;
        let mut buf = Vec::with_capacity(want);
        (&mut *self.inner).take(want as u64).read_to_end(&mut buf)?;
        Ok(buf)
    }

    /// Reads exactly `N` bytes at `pos`, or `None` when the input ends first.
    pub(crate) fn read_array<const N: usize>(&mut self, pos: u64) -> io::Result<Option<[u8; N]>> {
        let v = self.read_at(pos, N)?;
        Ok(v.try_into().ok())
    }
}

/// Big-endian integer helpers over slices that never panic.
pub(crate) fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub(crate) fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

pub(crate) fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// Reads an unsigned integer of `n` bytes (0, 4 or 8 as used by `iloc`; any
/// value up to 8 is accepted), big-endian.
pub(crate) fn be_uint(b: &[u8], at: usize, n: usize) -> Option<u64> {
    if n > 8 {
        return None;
    }
    let bytes = b.get(at..at.checked_add(n)?)?;
    Some(bytes.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
}

/// Renders a four-character code for keys: printable ASCII as is, `0xA9` as
/// `©` (QuickTime user data atoms), other bytes as `\xNN`.
pub(crate) fn fourcc(code: &[u8]) -> String {
    let mut s = String::new();
    for &b in code {
        match b {
            0xA9 => s.push('©'),
            0x20..=0x7E => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_short_at_end() {
        let mut c = io::Cursor::new(vec![1u8, 2, 3, 4, 5]);
        let mut s = Source::new(&mut c).unwrap();
        assert_eq!(s.len(), 5);
        assert_eq!(s.read_at(3, 10).unwrap(), vec![4, 5]);
        assert!(s.read_at(5, 10).unwrap().is_empty());
        assert!(s.read_at(u64::MAX, 10).unwrap().is_empty());
        assert_eq!(s.read_array::<2>(0).unwrap(), Some([1, 2]));
        assert_eq!(s.read_array::<2>(4).unwrap(), None);
    }

    #[test]
    fn int_helpers_never_panic() {
        let b = [1u8, 2, 3];
        assert_eq!(be_u16(&b, 1), Some(0x0203));
        assert_eq!(be_u16(&b, 2), None);
        assert_eq!(be_u32(&b, usize::MAX), None);
        assert_eq!(be_uint(&b, 0, 3), Some(0x010203));
        assert_eq!(be_uint(&b, 0, 9), None);
        assert_eq!(fourcc(b"\xa9mak"), "©mak");
        assert_eq!(fourcc(b"\x00\x00\x00\x01"), "\\x00\\x00\\x00\\x01");
    }
}
