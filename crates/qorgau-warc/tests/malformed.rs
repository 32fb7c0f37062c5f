//! Truncated, garbled and foreign input: the reader and the indexer must
//! never panic, and their errors must name the record offset.

mod common;

use std::io::Cursor;

use common::*;
use qorgau_warc::*;

/// Reads everything; returns the records read and the error that stopped
/// the reading, if any.
fn read_all(bytes: &[u8]) -> (usize, Option<Error>) {
    let mut reader = match WarcReader::new(Cursor::new(bytes)) {
        Ok(r) => r,
        Err(e) => return (0, Some(e)),
    };
    let mut n = 0;
    loop {
        match reader.next_record() {
            Ok(None) => return (n, None),
            Ok(Some(mut rec)) => {
                let _ = rec.read_block(1 << 24);
                match rec.finish() {
                    Ok(_) => n += 1,
                    Err(e) => return (n, Some(e)),
                }
            }
            Err(e) => return (n, Some(e)),
        }
    }
}

#[test]
fn truncation_at_any_point_is_an_error_naming_the_record_offset() {
    for compression in [Compression::GzipPerRecord, Compression::None] {
        let (bytes, expected) = write_capture(compression, "c.warc.gz");
        let step = (bytes.len() / 300).max(1);
        for cut in (1..bytes.len()).step_by(step) {
            let (n, err) = read_all(&bytes[..cut]);
            // The record the cut falls in, and the ones before it.
            let idx = expected
                .iter()
                .rposition(|e| e.written.offset < cut as u64)
                .unwrap();
            let at_boundary = expected
                .iter()
                .any(|e| e.written.offset + e.written.length == cut as u64);
            if at_boundary {
                // A cut between records (plain: before the closing CRLFs) reads clean.
                assert!(err.is_none(), "cut {cut}: {err:?}");
                assert_eq!(n, idx + 1);
                continue;
            }
            let err = err.unwrap_or_else(|| {
                panic!(
                    "{compression:?} cut at {cut} of {} read without error ({n} records)",
                    bytes.len()
                )
            });
            assert_eq!(n, idx, "cut {cut}");
            match &err {
                Error::Malformed { offset, .. } => {
                    assert_eq!(*offset, expected[idx].written.offset, "cut {cut}: {err}")
                }
                other => panic!("cut {cut}: expected Malformed, got {other}"),
            }
            assert!(
                err.to_string()
                    .contains(&format!("offset {}", expected[idx].written.offset))
            );
            // The indexer fails the same way instead of panicking.
            assert!(index_warc(Cursor::new(&bytes[..cut]), "c").is_err() || at_boundary);
        }
    }
}

#[test]
fn garbled_bytes_never_panic() {
    for compression in [Compression::GzipPerRecord, Compression::None] {
        let (bytes, _) = write_capture(compression, "c.warc.gz");
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..400 {
            let mut b = bytes.clone();
            for _ in 0..(1 + round % 8) {
                x ^= x << 7;
                x ^= x >> 9;
                let i = (x as usize) % b.len();
                b[i] = (x >> 32) as u8;
            }
            // Must return (records or an error), never panic or hang.
            let _ = read_all(&b);
            let _ = index_warc(Cursor::new(&b), "c");
        }
    }
}

#[test]
fn foreign_and_broken_headers_are_described() {
    let cases: [(&[u8], &str); 7] = [
        (
            b"<html>not a warc</html>\n",
            "expected a `WARC/1.x` version line",
        ),
        (
            b"WARC/1.1\r\nWARC-Type: response\r\n\r\nbody",
            "Content-Length",
        ),
        (b"WARC/1.1\r\nContent-Length: ten\r\n\r\n", "Content-Length"),
        (b"WARC/1.1\r\nno colon here\r\n\r\n", "has no colon"),
        (
            b"WARC/1.1\r\nContent-Length: 100\r\n\r\nshort",
            "truncated after 5 of 100",
        ),
        (
            b"WARC/1.1\r\nContent-Length: 3",
            "ends inside the record header",
        ),
        (b"\x1f\x8b\x08\x00garbage-after-magic", "gzip"),
    ];
    for (input, want) in cases {
        let (_, err) = read_all(input);
        let err = err
            .unwrap_or_else(|| panic!("{input:?} read without error"))
            .to_string();
        assert!(
            err.contains(want) && err.contains("offset 0"),
            "{input:?}: {err}"
        );
    }
    let mut long = b"WARC/1.1\r\n".to_vec();
    long.extend(std::iter::repeat_n(b'a', 200_000));
    let (_, err) = read_all(&long);
    assert!(err.unwrap().to_string().contains("longer than"));
    // An empty stream is an empty archive, not an error.
    assert_eq!(read_all(b"").0, 0);
    assert!(read_all(b"").1.is_none());
}

#[test]
fn a_trailing_partial_gzip_member_names_its_own_offset() {
    let (bytes, _) = write_capture(Compression::GzipPerRecord, "c.warc.gz");
    let mut b = bytes.clone();
    b.extend_from_slice(&bytes[..30]);
    let (n, err) = read_all(&b);
    assert_eq!(n, 14);
    let err = err.unwrap().to_string();
    assert!(err.contains(&format!("offset {}", bytes.len())), "{err}");
}
