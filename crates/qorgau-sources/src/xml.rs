//! Shared pieces of the XML readers (feeds, sitemaps): decoding the bytes,
//! reading text content, and turning quick-xml errors into [`SourceError`].

use quick_xml::NsReader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesRef, BytesStart};
use quick_xml::name::ResolveResult;

use crate::error::SourceError;

/// A namespace URI, or `None` for an unbound name.
pub(crate) fn namespace(r: &ResolveResult<'_>) -> Option<String> {
    match r {
        ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.as_ref()).into_owned()),
        _ => None,
    }
}

/// The local name of an element as text.
pub(crate) fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// An attribute's unescaped value, by raw (possibly prefixed) name.
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// An attribute by local name, whatever its prefix (`rdf:about`, `about`).
pub(crate) fn attr_local(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Appends the text of an entity or character reference. Unknown named
/// entities (`&nbsp;` in a feed that is not well-formed XML but common) are
/// kept as written, so that a later HTML pass can still decode them.
pub(crate) fn push_reference(out: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let name = r.decode().unwrap_or_default();
    match resolve_xml_entity(&name) {
        Some(s) => out.push_str(s),
        None => {
            out.push('&');
            out.push_str(&name);
            out.push(';');
        }
    }
}

/// quick-xml's error as ours, with the byte offset.
pub(crate) fn xml_error<R>(reader: &NsReader<R>, err: impl std::fmt::Display) -> SourceError {
    SourceError::Xml {
        position: reader.error_position(),
        message: err.to_string(),
    }
}

/// A new reader over decoded text, with end-name checks on.
pub(crate) fn reader(text: &str) -> NsReader<&[u8]> {
    let mut r = NsReader::from_str(text);
    r.config_mut().check_end_names = true;
    r
}
