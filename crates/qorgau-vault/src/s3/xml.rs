//! A tiny element tree for S3's small XML answers (errors, retention,
//! version listings, object-lock configuration), over quick-xml.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One element: its local name, its text, its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Local name (namespace prefix dropped).
    pub name: String,
    /// Text directly inside it.
    pub text: String,
    /// Child elements in order.
    pub children: Vec<Element>,
}

impl Element {
    /// The text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.children
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.text.trim().to_owned())
    }
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_owned(),
        None => name.into_owned(),
    }
}

/// Parses a document into its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => stack.push(Element {
                name: local(e.name().as_ref()),
                ..Element::default()
            }),
            Ok(Event::Empty(e)) => {
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Element {
                        name: local(e.name().as_ref()),
                        ..Element::default()
                    });
                }
            }
            Ok(Event::End(_)) => {
                let Some(done) = stack.pop() else {
                    return Err("unbalanced end tag".into());
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Err("unbalanced end tag".into()),
                }
            }
            Ok(Event::Text(t)) => {
                let piece = t.decode().map_err(|e| e.to_string())?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&piece);
                }
            }
            Ok(Event::CData(t)) => {
                let piece = t.decode().map_err(|e| e.to_string())?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&piece);
                }
            }
            Ok(Event::GeneralRef(g)) => {
                let resolved = match g.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match g.decode().map_err(|e| e.to_string())?.as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => format!("&{other};"),
                    },
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("at byte {}: {e}", reader.error_position())),
        }
    }
    let document = stack.pop().unwrap_or_default();
    if !stack.is_empty() {
        return Err("elements left open".into());
    }
    document
        .children
        .into_iter()
        .next()
        .ok_or_else(|| "no root element".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_error_and_a_version_listing() {
        let e = parse(
            "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code>\
             <Message>forbidden by object lock &amp; more</Message></Error>",
        )
        .unwrap();
        assert_eq!(e.child_text("Code").as_deref(), Some("AccessDenied"));
        assert_eq!(
            e.child_text("Message").as_deref(),
            Some("forbidden by object lock & more")
        );
        let l = parse(
            "<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Version><Key>sha256/ab</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest></Version>\
             <DeleteMarker><Key>sha256/ab</Key><VersionId>v1</VersionId></DeleteMarker>\
             <IsTruncated>false</IsTruncated></ListVersionsResult>",
        )
        .unwrap();
        assert_eq!(l.children.len(), 3);
        assert_eq!(l.children[1].name, "DeleteMarker");
        assert_eq!(l.children[0].child_text("VersionId").as_deref(), Some("v2"));
    }
}
