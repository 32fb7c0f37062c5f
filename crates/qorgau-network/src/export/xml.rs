//! Escaping for the XML exports. quick-xml escapes markup characters but leaves control
//! characters alone, which XML 1.0 forbids outright and which attribute-value normalisation
//! would turn into spaces; this escapes both ways, and callers hand the result to quick-xml
//! as already escaped.

use std::borrow::Cow;
use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

/// Whether XML 1.0 allows the character at all.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escapes `s` for an attribute value (`attr`) or element text.
pub(super) fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// A small layer over quick-xml's writer for elements with escaped attributes.
pub(super) struct Xml<W: Write> {
    writer: Writer<W>,
}

impl<W: Write> Xml<W> {
    pub(super) fn new(w: W) -> std::io::Result<Self> {
        let mut writer = Writer::new_with_indent(w, b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Xml { writer })
    }

    fn start_tag<'a>(name: &'a str, attrs: &[(&'a str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute(Attribute {
                key: QName(key.as_bytes()),
                value: Cow::Owned(escape(value, true).into_bytes()),
            });
        }
        start
    }

    /// `<name attrs>`.
    pub(super) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::start_tag(name, attrs)))
    }

    /// `</name>`.
    pub(super) fn close(&mut self, name: &str) -> std::io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name attrs/>`.
    pub(super) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
        self.writer
            .write_event(Event::Empty(Self::start_tag(name, attrs)))
    }

    /// `<name attrs>text</name>`.
    pub(super) fn text_element(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> std::io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::start_tag(name, attrs)))?;
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(escape(text, false))))?;
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Ends the document with a newline and flushes.
    pub(super) fn finish(self) -> std::io::Result<()> {
        let mut w = self.writer.into_inner();
        w.write_all(b"\n")?;
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden() {
        assert_eq!(escape("a<b>&\"'", true), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(escape("x\u{0}\u{1}y\u{FFFE}", false), "xy");
        assert_eq!(escape("l1\nl2\t", true), "l1&#10;l2&#9;");
        assert_eq!(escape("l1\nl2\r", false), "l1\nl2&#13;");
    }
}
