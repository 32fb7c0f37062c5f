//! Identifier extraction over a large text file on one thread, for the
//! side-by-side benchmark with bulk_extractor (`bench/identifiers.sh`; not
//! run in tests).
//!
//! ```text
//! cargo run --release -p qorgau-identifiers --example extract_file -- FILE [--out FEATURES.tsv]
//! ```
//! The file is read in chunks of whole lines; each chunk is cut into
//! documents at blank lines (a chat, a page, an ad), and every document goes
//! through [`Extractor::extract`]. With `--out`, every identifier is written
//! as `offset<TAB>length<TAB>kind<TAB>value` (byte offsets into the file).
//! Prints the throughput in MB/s of wall-clock and of CPU time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufWriter, Read, Write};
use std::time::Instant;

use qorgau_identifiers::Extractor;

/// Bytes read at a time; a chunk ends at the last blank line in it.
const CHUNK: usize = 8 << 20;

/// CPU time of this process in seconds (user + system).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line (index 11, 12 here).
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .expect("usage: extract_file FILE [--out FEATURES.tsv]");
    let out_path = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1));
    let mut out: Box<dyn Write> = match out_path {
        Some(p) => Box::new(BufWriter::new(std::fs::File::create(p).expect("create"))),
        None => Box::new(std::io::sink()),
    };
    let mut file = std::fs::File::open(path).expect("open");
    let ex = Extractor::new();
    let (t0, c0) = (Instant::now(), cpu_seconds());

    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + (1 << 20));
    let mut base = 0usize; // file offset of buf[0]
    let mut total = 0usize;
    let mut found = 0usize;
    let mut eof = false;
    while !eof || !buf.is_empty() {
        if !eof {
            let old = buf.len();
            let n = (&mut file)
                .take(CHUNK as u64)
                .read_to_end(&mut buf)
                .expect("read");
            debug_assert_eq!(buf.len(), old + n);
            eof = n == 0;
            total += n;
        }
        // Process up to the last blank line (or everything at the end).
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memmem::rfind(&buf, b"\n\n") {
                Some(k) => k + 2,
                None => continue,
            }
        };
        // A cut inside a UTF-8 sequence is impossible at "\n\n"; invalid
        // bytes are replaced so the benchmark never stops.
        let chunk = match std::str::from_utf8(&buf[..cut]) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(&buf[..cut]),
        };
        let mut pos = 0usize;
        let mut docs = memchr::memmem::find_iter(chunk.as_bytes(), b"\n\n")
            .map(|k| k + 2)
            .chain(std::iter::once(chunk.len()));
        while pos < chunk.len() {
            let end = docs.find(|&e| e > pos).unwrap_or(chunk.len());
            let doc = chunk[pos..end].trim_end_matches('\n');
            for id in ex.extract(doc) {
                found += 1;
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    base + pos + id.span.start,
                    id.span.len(),
                    id.kind.as_str(),
                    id.value
                )
                .expect("write");
            }
            pos = end;
        }
        buf.drain(..cut);
        base += cut;
        if eof && buf.is_empty() {
            break;
        }
    }
    out.flush().expect("flush");
    let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
    let mb = total as f64 / 1e6;
    eprintln!(
        "{mb:.1} MB, {found} identifiers, {wall:.2} s wall ({:.1} MB/s), {cpu:.2} s cpu ({:.1} MB/s)",
        mb / wall,
        if cpu > 0.0 { mb / cpu } else { 0.0 }
    );
}
