//! The BagIt side of an export (RFC 8493, version 1.0): the fixed tag files,
//! manifests and `bag-info.txt`.
//!
//! Written by hand rather than with a library because the format is a few
//! lines of text, and every byte of it must be predictable: the tag manifests
//! hash these files and an examiner's `bagit.py` re-checks them.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use md5::Md5;
use qorgau_core::{Md5Digest, Sha256Digest};
use sha2::{Digest, Sha256};

/// `bagit.txt`: the version declaration every bag starts with.
pub(crate) const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// One file with its digests, as a manifest lists it.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// Path relative to the bag root, `/`-separated, not yet encoded.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// MD5 of the content.
    pub md5: Md5Digest,
    /// SHA-256 of the content.
    pub sha256: Sha256Digest,
}

/// Which digest a manifest lists.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Algorithm {
    Md5,
    Sha256,
}

/// One manifest line (`manifest-*.txt`, `tagmanifest-*.txt`):
/// `<digest>  <path>`. Two spaces, as `md5sum` and `sha256sum` write them,
/// so those tools can check a bag too.
pub(crate) fn manifest_line(file: &Listed, algorithm: Algorithm) -> String {
    let digest = match algorithm {
        Algorithm::Md5 => file.md5.to_hex(),
        Algorithm::Sha256 => file.sha256.to_hex(),
    };
    format!("{digest}  {}\n", encode_manifest_path(&file.path))
}

/// Writes the manifest `name` listing `files`, line by line.
pub(crate) fn write_manifest(
    bag_root: &Path,
    name: &str,
    files: &[Listed],
    algorithm: Algorithm,
) -> io::Result<Listed> {
    let mut writer = TagWriter::create(bag_root, name)?;
    for file in files {
        writer.write(manifest_line(file, algorithm).as_bytes())?;
    }
    writer.finish()
}

/// RFC 8493 section 2.1.3: in a manifest, CR, LF and `%` (and only those)
/// are percent-encoded.
pub(crate) fn encode_manifest_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `bag-info.txt` from label/value pairs. A value is one line: control
/// characters (a newline in an operator name, say) become spaces, so no
/// value can forge a second label.
pub(crate) fn bag_info(fields: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (label, value) in fields {
        let value: String = value
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(label);
        out.push_str(": ");
        out.push_str(value.trim());
        out.push('\n');
    }
    out
}

/// `Payload-Oxum`: octet count and file count of the payload.
pub(crate) fn payload_oxum(bytes: u64, files: u64) -> String {
    format!("{bytes}.{files}")
}

/// `Bag-Size`: the payload size for people (binary units).
pub(crate) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Writes a new tag file (never an existing one) and hashes what it writes,
/// so the tag manifests need no second read.
pub(crate) struct TagWriter {
    name: String,
    out: BufWriter<File>,
    md5: Md5,
    sha256: Sha256,
    size: u64,
}

impl TagWriter {
    /// Creates `name` (a path relative to the bag root) inside `bag_root`.
    pub(crate) fn create(bag_root: &Path, name: &str) -> io::Result<Self> {
        let path = bag_root.join(name);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Self {
            name: name.to_owned(),
            out: BufWriter::new(file),
            md5: Md5::new(),
            sha256: Sha256::new(),
            size: 0,
        })
    }

    /// Appends bytes.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.md5.update(bytes);
        self.sha256.update(bytes);
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// Flushes and fsyncs the file; returns it as a manifest lists it.
    pub(crate) fn finish(self) -> io::Result<Listed> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(Listed {
            path: self.name,
            size: self.size,
            md5: Md5Digest::from_bytes(self.md5.finalize().into()),
            sha256: Sha256Digest::from_bytes(self.sha256.finalize().into()),
        })
    }
}

/// Writes a whole tag file at once.
pub(crate) fn write_tag(bag_root: &Path, name: &str, content: &[u8]) -> io::Result<Listed> {
    let mut writer = TagWriter::create(bag_root, name)?;
    writer.write(content)?;
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_encodes_only_cr_lf_and_percent() {
        assert_eq!(
            encode_manifest_path("data/a 100%\r\n b%25.txt"),
            "data/a 100%25%0D%0A b%2525.txt"
        );
        let listed = Listed {
            path: "data/Чаты/x y.json".into(),
            size: 0,
            md5: Md5Digest::from_bytes([0; 16]),
            sha256: Sha256Digest::from_bytes([0; 32]),
        };
        assert_eq!(
            manifest_line(&listed, Algorithm::Md5),
            format!("{}  data/Чаты/x y.json\n", "0".repeat(32))
        );
    }

    #[test]
    fn bag_info_values_stay_on_one_line() {
        let text = bag_info(&[
            ("Contact-Name", "inv\nBag-Size: 0".into()),
            ("External-Identifier", "КУСП-1".into()),
        ]);
        assert_eq!(
            text,
            "Contact-Name: inv Bag-Size: 0\nExternal-Identifier: КУСП-1\n"
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(5 << 30), "5.0 GiB");
        assert_eq!(payload_oxum(279_164_409_832, 1198), "279164409832.1198");
    }
}
