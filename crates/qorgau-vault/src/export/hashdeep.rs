//! The hashdeep audit file written beside the bag.
//!
//! Many forensic labs check a hand-over with `hashdeep` rather than BagIt
//! tools, so the export also writes a known-hashes file in hashdeep's own
//! format. File names in it are relative to the bag directory
//! (`data/evidence/…`), which is what `hashdeep -l -r data` prints when run
//! inside the bag: the audit then matches names as well as hashes, and the
//! bag and its audit file can be moved together to another disk.

use std::path::Path;

use crate::export::bagit::Listed;

/// The file's header, up to the line that announces the data.
pub(crate) fn header(invoked_from: &Path, command: &str) -> String {
    format!(
        "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n## Invoked from: {}\n## $ {}\n##\n",
        one_line(&invoked_from.to_string_lossy()),
        one_line(command),
    )
}

/// One line per payload file: `size,md5,sha256,filename`. hashdeep takes the
/// file name as everything after the third comma, so commas in names are
/// fine; newlines cannot occur (bag paths carry no control characters).
pub(crate) fn line(file: &Listed) -> String {
    format!(
        "{},{},{},{}\n",
        file.size,
        file.md5.to_hex(),
        file.sha256.to_hex(),
        one_line(&file.path)
    )
}

/// The command that audits the bag against the file, to be run anywhere:
/// it changes into the bag first.
pub(crate) fn audit_command(bag_dir: &Path, hashdeep_name: &str) -> String {
    format!(
        "cd {} && hashdeep -c md5,sha256 -l -r -a -k {} data",
        shell_quote(&bag_dir.to_string_lossy()),
        shell_quote(&format!("../{hashdeep_name}")),
    )
}

/// Quotes a word for a POSIX shell (single quotes; a quote inside becomes
/// `'\''`). Plain words are left as they are, for readability.
pub(crate) fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+,=@%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use qorgau_core::{Md5Digest, Sha256Digest};

    #[test]
    fn lines_and_commands() {
        let file = Listed {
            path: "data/evidence/a,b c%.txt".into(),
            size: 3,
            md5: Md5Digest::from_bytes([0; 16]),
            sha256: Sha256Digest::from_bytes([0; 32]),
        };
        assert_eq!(
            line(&file),
            format!(
                "3,{},{},data/evidence/a,b c%.txt\n",
                "0".repeat(32),
                "0".repeat(64)
            )
        );
        assert_eq!(
            audit_command(
                Path::new("/mnt/usb/Іс 14's bag"),
                "Іс 14's bag.hashdeep.txt"
            ),
            "cd '/mnt/usb/Іс 14'\\''s bag' && hashdeep -c md5,sha256 -l -r -a -k \
             '../Іс 14'\\''s bag.hashdeep.txt' data"
        );
        assert_eq!(shell_quote("/tmp/bag-1"), "/tmp/bag-1");
    }
}
