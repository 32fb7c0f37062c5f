//! Writing goAML elements with quick-xml, every text checked first.
//!
//! quick-xml escapes markup (`<`, `&`, quotes) but passes control
//! characters through, and XML 1.0 forbids most of them outright: a report
//! holding one is not well-formed and the FIU's upload rejects it whole.
//! Such characters are refused with the field and position named, not
//! stripped, because a report to an FIU must say exactly what the analyst
//! wrote. Carriage returns are written as `&#13;` so parsers keep them.
//! Lengths are checked against the schema's limits, counted in characters
//! as XML Schema counts them.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::ExportError;

/// Whether XML 1.0 allows the character at all.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `text` with XML's markup characters escaped, or the first character
/// XML cannot carry.
pub(crate) fn escape(field: &str, text: &str) -> Result<String, ExportError> {
    let mut out = String::with_capacity(text.len() + 8);
    for (position, c) in text.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            c => {
                return Err(ExportError::ForbiddenCharacter {
                    field: field.to_owned(),
                    code: u32::from(c),
                    position,
                });
            }
        }
    }
    Ok(out)
}

/// A goAML document being written into memory (so that nothing reaches
/// the output when a later field fails).
pub(crate) struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A document with its XML declaration.
    pub(crate) fn new() -> Result<Xml, ExportError> {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Xml { writer })
    }

    /// `<name>`.
    pub(crate) fn open(&mut self, name: &str) -> Result<(), ExportError> {
        self.writer
            .write_event(Event::Start(BytesStart::new(name)))?;
        Ok(())
    }

    /// `</name>`.
    pub(crate) fn close(&mut self, name: &str) -> Result<(), ExportError> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))?;
        Ok(())
    }

    /// `<name>text</name>` for text from the report: checked for
    /// characters XML cannot carry and for the schema's length limits
    /// (`min` 1 makes an empty value a missing one).
    pub(crate) fn text(
        &mut self,
        name: &str,
        field: &str,
        text: &str,
        min: usize,
        max: usize,
    ) -> Result<(), ExportError> {
        let len = text.chars().count();
        if len < min {
            return Err(ExportError::Missing {
                format: super::FORMAT,
                field: format!("{field} (goAML {name})"),
            });
        }
        if len > max {
            return Err(ExportError::TooLong {
                format: super::FORMAT,
                field: format!("{field} (goAML {name})"),
                len,
                max,
            });
        }
        let escaped = escape(field, text)?;
        self.open(name)?;
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(escaped)))?;
        self.close(name)
    }

    /// `<name>value</name>` for a value this crate formats itself (codes,
    /// dates, decimals); still escaped, never length-checked.
    pub(crate) fn value(&mut self, name: &str, value: &str) -> Result<(), ExportError> {
        let escaped = escape(name, value)?;
        self.open(name)?;
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(escaped)))?;
        self.close(name)
    }

    /// The document's bytes, with a final newline.
    pub(crate) fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_are_refused() {
        assert_eq!(
            escape("f", "a<b & 'c' \"d\">\r\n\t").unwrap(),
            "a&lt;b &amp; &apos;c&apos; &quot;d&quot;&gt;&#13;\n\t"
        );
        assert_eq!(escape("f", "Қазақ 🙂").unwrap(), "Қазақ 🙂");
        match escape("reason", "ab\u{1}c") {
            Err(ExportError::ForbiddenCharacter {
                field,
                code,
                position,
            }) => {
                assert_eq!((field.as_str(), code, position), ("reason", 1, 2));
            }
            other => panic!("{other:?}"),
        }
        assert!(escape("f", "\u{FFFE}").is_err());
        assert!(escape("f", "\u{0}").is_err());
        assert!(
            escape("f", "\u{7F}\u{85}").is_ok(),
            "XML 1.0 allows C1 controls"
        );
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        let mut x = Xml::new().unwrap();
        x.open("r").unwrap();
        x.text("city", "address.city", "Қызылорда", 1, 9).unwrap();
        assert!(matches!(
            x.text("city", "address.city", "Қызылорда!", 1, 9),
            Err(ExportError::TooLong {
                len: 10,
                max: 9,
                ..
            })
        ));
        assert!(matches!(
            x.text("city", "address.city", "", 1, 9),
            Err(ExportError::Missing { .. })
        ));
        x.close("r").unwrap();
        let text = String::from_utf8(x.finish()).unwrap();
        assert!(text.contains("<city>Қызылорда</city>"), "{text}");
    }
}
