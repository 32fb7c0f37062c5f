//! Hash lists of known abuse material, as the competent authority supplies
//! them.
//!
//! Authorities (in Kazakhstan the police's specialised unit; abroad NCMEC,
//! IWF, Project VIC) hand out lists of hashes, never the pictures: a vault
//! that meets one of them marks the content as suspected child sexual abuse
//! material before anyone has to look at it. The format read here is the
//! plain one such lists are exchanged in, one hash per line:
//!
//! ```text
//! # comment lines and blank lines are skipped
//! md5:9e107d9d372bb6826bd81d3542a419d6
//! sha256:d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592
//! 9e107d9d372bb6826bd81d3542a419d6          (bare: 32 digits MD5, 64 SHA-256)
//! phash:c3a1f0e07c1e0f87                   (this installation's perceptual hashes)
//! dhash:0f1e3c78f0e1c387
//! ```
//!
//! `md5 HEX`, `md5,HEX` and `md5;HEX` are read alike, so a two-column CSV
//! export works as it is. Perceptual hashes are only comparable when made
//! by the same algorithm: a line `# algorithm: NAME` names the one the list
//! was made with, and a list made with another than this installation's is
//! refused rather than matched wrongly. SHA-1 and PhotoDNA lines are
//! refused with a line number: the vault records MD5 and SHA-256 of every
//! item, and PhotoDNA is a licensed algorithm it does not compute.

use std::io::BufRead;

/// One parsed entry: which hash and its value in lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HashListEntry {
    /// `md5`, `sha256`, or the perceptual algorithm name with `:phash` or
    /// `:dhash` appended (so hashes of two versions never meet).
    pub algorithm: String,
    /// Lower-case hex.
    pub value: String,
}

/// A line of a hash list that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashListError {
    /// A line is not a hash this vault can match.
    #[error("line {line}: {problem}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong, and what would be right.
        problem: String,
    },
    /// The file could not be read.
    #[error("reading the list: {0}")]
    Io(String),
    /// Nothing in the file.
    #[error("the list holds no hash")]
    Empty,
}

/// Longest line read; a longer one is not a hash list line.
const MAX_LINE: usize = 4096;

/// Reads a hash list. `perceptual_algorithm` is this installation's
/// perceptual hashing version (`qorgau_media::phash::ALGORITHM`); the
/// caller passes it so that this crate need not know image decoding.
/// Every problem stops the import with its line number: a list is the
/// authority's, and half of one silently imported would leave material
/// unmarked.
pub fn parse_hash_list(
    reader: impl BufRead,
    perceptual_algorithm: &str,
) -> Result<Vec<HashListEntry>, HashListError> {
    let mut out = Vec::new();
    let mut declared: Option<String> = None;
    for (n, line) in reader.split(b'\n').enumerate() {
        let line_no = n + 1;
        let bytes = line.map_err(|e| HashListError::Io(e.to_string()))?;
        if bytes.len() > MAX_LINE {
            return Err(HashListError::Line {
                line: line_no,
                problem: format!("{} bytes long: not a hash", bytes.len()),
            });
        }
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        if let Some(comment) = text.strip_prefix('#') {
            if let Some(name) = comment.trim().strip_prefix("algorithm:") {
                declared = Some(name.trim().to_owned());
            }
            continue;
        }
        let (kind, value) = match text.split_once([':', ' ', '\t', ',', ';']) {
            Some((k, v)) => (
                k.trim().trim_matches('"').to_ascii_lowercase(),
                v.trim().trim_matches('"'),
            ),
            None => (String::new(), text),
        };
        let value = value.to_ascii_lowercase();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            // A header row of a CSV export ("type,hash") is not a hash.
            if line_no == 1 && !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            return Err(HashListError::Line {
                line: line_no,
                problem: format!("{text:?} is not a hash in hexadecimal"),
            });
        }
        let kind = if kind.is_empty() {
            match value.len() {
                32 => "md5".to_owned(),
                64 => "sha256".to_owned(),
                40 => "sha1".to_owned(),
                n => {
                    return Err(HashListError::Line {
                        line: line_no,
                        problem: format!(
                            "a bare hash of {n} digits: give its type (md5:, sha256:, phash:, dhash:)"
                        ),
                    });
                }
            }
        } else {
            kind
        };
        let (algorithm, digits) = match kind.as_str() {
            "md5" => ("md5".to_owned(), 32),
            "sha256" | "sha-256" => ("sha256".to_owned(), 64),
            "phash" | "dhash" => {
                if let Some(d) = &declared
                    && d != perceptual_algorithm
                {
                    return Err(HashListError::Line {
                        line: line_no,
                        problem: format!(
                            "the list's perceptual hashes were made with {d:?}, this installation computes {perceptual_algorithm:?}: they cannot be compared"
                        ),
                    });
                }
                (format!("{perceptual_algorithm}:{kind}"), 16)
            }
            "sha1" | "sha-1" => {
                return Err(HashListError::Line {
                    line: line_no,
                    problem: "SHA-1 is not recorded by the vault (it records MD5 and SHA-256 of every item): ask the supplier for those".into(),
                });
            }
            "photodna" => {
                return Err(HashListError::Line {
                    line: line_no,
                    problem: "PhotoDNA is a licensed algorithm this installation does not compute: ask the supplier for MD5, SHA-256 or this installation's perceptual hashes".into(),
                });
            }
            other => {
                return Err(HashListError::Line {
                    line: line_no,
                    problem: format!("{other:?} is not a hash type (md5, sha256, phash, dhash)"),
                });
            }
        };
        if value.len() != digits {
            return Err(HashListError::Line {
                line: line_no,
                problem: format!(
                    "a {kind} hash has {digits} hexadecimal digits, this one {}",
                    value.len()
                ),
            });
        }
        out.push(HashListEntry { algorithm, value });
    }
    if out.is_empty() {
        return Err(HashListError::Empty);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALG: &str = "test-v1";

    #[test]
    fn every_spelling_of_an_entry_is_read() {
        let text = "# list\n\ntype,hash\nmd5:9E107D9D372BB6826BD81D3542A419D6\n\
                    sha256 d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592\n\
                    0123456789abcdef0123456789abcdef\nphash;c3a1f0e07c1e0f87\n\"dhash\",\"0f1e3c78f0e1c387\"\n";
        // The header is only skipped on the first line.
        assert!(parse_hash_list(text.as_bytes(), ALG).is_err());
        let text = text.replace("# list\n\ntype,hash\n", "type,hash\n");
        let list = parse_hash_list(text.as_bytes(), ALG).unwrap();
        let kinds: Vec<&str> = list.iter().map(|e| e.algorithm.as_str()).collect();
        assert_eq!(
            kinds,
            ["md5", "md5", "sha256", "test-v1:dhash", "test-v1:phash"]
        );
        assert!(
            list.iter()
                .any(|e| e.value == "9e107d9d372bb6826bd81d3542a419d6")
        );
    }

    #[test]
    fn unusable_lines_are_named() {
        for (text, needle) in [
            ("md5:123\n", "line 1: a md5 hash has 32"),
            (
                "\nsha1:da39a3ee5e6b4b0d3255bfef95601890afd80709\n",
                "line 2: SHA-1",
            ),
            ("da39a3ee5e6b4b0d3255bfef95601890afd80709\n", "SHA-1"),
            ("photodna:00ff\n", "PhotoDNA"),
            ("md5:zz07d9d372bb6826bd81d3542a419d6\n", "not a hash"),
            (
                "# algorithm: other-v2\nphash:c3a1f0e07c1e0f87\n",
                "cannot be compared",
            ),
            ("# nothing\n", "no hash"),
            ("crc32:00ff00ff\n", "not a hash type"),
        ] {
            let e = parse_hash_list(text.as_bytes(), ALG)
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{text:?}: {e}");
        }
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = parse_hash_list(bytes.as_slice(), ALG);
        }
    }
}
