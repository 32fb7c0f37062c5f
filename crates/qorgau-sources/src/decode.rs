//! Bytes to text: byte-order marks, declared charsets, and a fallback for
//! undeclared legacy Cyrillic.
//!
//! Kazakh and Russian pages and text files still come in windows-1251, and
//! Windows Notepad writes UTF-16 with a BOM. A reader that assumed UTF-8
//! would turn every Cyrillic letter of such an input into U+FFFD, and the
//! scan would see nothing. So: a BOM decides; else a declared charset (HTML
//! `<meta charset>`, XML `encoding=`); else valid UTF-8 is UTF-8; else the
//! input is decoded as windows-1251 (every byte maps to a character, and it
//! is the legacy encoding of both languages) and the guess is reported so the
//! caller can record it. `encoding_rs` does the decoding (the WHATWG tables).

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1251, WINDOWS_1252};

/// Decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    /// WHATWG name of the encoding used.
    pub encoding: &'static str,
    /// The encoding was neither marked nor declared nor valid UTF-8.
    pub guessed: bool,
    /// Some bytes were not valid in that encoding (replaced by U+FFFD).
    pub had_errors: bool,
}

impl Decoded {
    /// A note for [`crate::Document::extra`] when the decoding is worth
    /// telling a reviewer about, `None` for plain UTF-8.
    pub(crate) fn warning(&self) -> Option<String> {
        if self.guessed {
            Some(format!(
                "not UTF-8 and no charset declared; decoded as {} (guessed)",
                self.encoding
            ))
        } else if self.had_errors {
            Some(format!(
                "invalid {} bytes replaced with U+FFFD",
                self.encoding
            ))
        } else {
            None
        }
    }
}

fn with(encoding: &'static Encoding, bytes: &[u8], guessed: bool) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        guessed,
        had_errors,
    }
}

/// Decodes with the BOM, then the `declared` label, then UTF-8, then the
/// windows-1251 guess.
fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return with(encoding, &bytes[bom_len..], false);
    }
    if let Some(encoding) = declared {
        return with(encoding, bytes, false);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: s.to_string(),
            encoding: UTF_8.name(),
            guessed: false,
            had_errors: false,
        },
        Err(_) => with(WINDOWS_1251, bytes, true),
    }
}

/// Plain text: BOM, UTF-8, or the windows-1251 guess.
pub(crate) fn decode_text(bytes: &[u8]) -> Decoded {
    decode(bytes, None)
}

/// HTML: BOM, `<meta charset>` in the first 1024 bytes, UTF-8, guess.
pub(crate) fn decode_html(bytes: &[u8]) -> Decoded {
    let declared = meta_charset(&bytes[..bytes.len().min(1024)]).map(|enc| {
        // The HTML standard: a meta tag cannot declare UTF-16 (the bytes
        // were read as ASCII to find it), and x-user-defined means 1252.
        if enc == UTF_16LE || enc == UTF_16BE {
            UTF_8
        } else if enc.name() == "x-user-defined" {
            WINDOWS_1252
        } else {
            enc
        }
    });
    decode(bytes, declared)
}

/// XML: BOM, `encoding=` of the XML declaration, UTF-8, guess.
pub(crate) fn decode_xml(bytes: &[u8]) -> Decoded {
    decode(bytes, xml_declared_encoding(bytes))
}

/// Finds `charset=` inside a `<meta ...>` tag: covers both
/// `<meta charset="x">` and `<meta http-equiv=... content="...; charset=x">`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + at + 5;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset")
            && let Some(enc) = label_after(&tag[c + 7..])
        {
            return Some(enc);
        }
        from = end;
    }
    None
}

/// `<?xml version="1.0" encoding="windows-1251"?>` → windows-1251.
fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(256)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(head, b"?>")?;
    let decl = head[..end].to_ascii_lowercase();
    let at = memchr::memmem::find(&decl, b"encoding")?;
    label_after(&decl[at + 8..])
}

/// Reads `\s*=\s*["']?label` and looks the label up.
fn label_after(rest: &[u8]) -> Option<&'static Encoding> {
    let rest = trim_start(rest);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..len])
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1251_is_guessed_when_not_utf8() {
        // «Работа» in windows-1251.
        let d = decode_text(&[0xD0, 0xE0, 0xE1, 0xEE, 0xF2, 0xE0]);
        assert_eq!(d.text, "Работа");
        assert!(d.guessed);
        assert!(d.warning().is_some());
    }

    #[test]
    fn utf16_with_bom() {
        let d = decode_text(&[0xFF, 0xFE, 0x1F, 0x04, 0x40, 0x04]);
        assert_eq!(d.text, "Пр");
        assert_eq!(d.warning(), None);
    }

    #[test]
    fn meta_charset_is_honoured() {
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body>".to_vec();
        page.extend_from_slice(&[0xCA, 0xE0, 0xE7]); // «Каз»
        let d = decode_html(&page);
        assert!(d.text.ends_with("Каз"));
        assert!(!d.guessed);
    }

    #[test]
    fn xml_declaration_is_honoured() {
        let mut xml = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss>".to_vec();
        xml.extend_from_slice(&[0xC0, 0xEB, 0xEC, 0xE0, 0xF2, 0xFB]); // «Алматы»
        assert!(decode_xml(&xml).text.ends_with("Алматы"));
    }
}
