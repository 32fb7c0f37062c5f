//! XMP: locating the packet and flattening its RDF into `"prefix:Name"` keys.
//!
//! The packet is parsed with `quick-xml` into a small bounded tree, then the
//! RDF forms XMP uses are flattened: properties as attributes or elements,
//! arrays (`rdf:Seq`, `rdf:Bag`, `rdf:Alt`) joined with `"; "`, structs
//! (`rdf:parseType="Resource"`, nested `rdf:Description`, shorthand
//! attributes) as `"parent/prefix:Field"`.

use std::collections::BTreeMap;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use crate::Collector;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const XML: &str = "http://www.w3.org/XML/1998/namespace";
/// Bounds on the tree built from one packet.
const MAX_NODES: usize = 50_000;
const MAX_DEPTH: usize = 64;
const MAX_VALUES: usize = 50_000;

/// Usual prefixes of well-known namespaces, so that keys do not depend on the
/// prefix a writer chose (old files use `xap:` for `xmp:`).
const KNOWN: &[(&str, &str)] = &[
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://ns.adobe.com/xap/1.0/", "xmp"),
    ("http://ns.adobe.com/xap/1.0/mm/", "xmpMM"),
    ("http://ns.adobe.com/xap/1.0/rights/", "xmpRights"),
    ("http://ns.adobe.com/xap/1.0/g/img/", "xmpGImg"),
    ("http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "stEvt"),
    ("http://ns.adobe.com/xap/1.0/sType/ResourceRef#", "stRef"),
    ("http://ns.adobe.com/exif/1.0/", "exif"),
    ("http://ns.adobe.com/exif/1.0/aux/", "aux"),
    ("http://cipa.jp/exif/1.0/", "exifEX"),
    ("http://ns.adobe.com/tiff/1.0/", "tiff"),
    ("http://ns.adobe.com/photoshop/1.0/", "photoshop"),
    ("http://ns.adobe.com/camera-raw-settings/1.0/", "crs"),
    ("http://ns.adobe.com/xmp/1.0/DynamicMedia/", "xmpDM"),
    ("http://ns.adobe.com/pdf/1.3/", "pdf"),
    (
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
        "Iptc4xmpCore",
    ),
    ("http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt"),
    ("http://ns.google.com/photos/1.0/camera/", "GCamera"),
    ("http://ns.adobe.com/xmp/note/", "xmpNote"),
    (RDF, "rdf"),
    (XML, "xml"),
];

#[derive(Debug, Clone)]
struct QName {
    ns: String,
    prefix: String,
    local: String,
}

impl QName {
    fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }

    fn key(&self) -> String {
        let prefix = KNOWN
            .iter()
            .find(|(uri, _)| *uri == self.ns)
            .map(|(_, p)| (*p).to_string())
            .unwrap_or_else(|| {
                if self.prefix.is_empty() {
                    format!("{{{}}}", self.ns)
                } else {
                    self.prefix.clone()
                }
            });
        format!("{prefix}:{}", self.local)
    }
}

#[derive(Debug)]
struct Node {
    name: QName,
    attrs: Vec<(QName, String)>,
    children: Vec<usize>,
    text: String,
}

impl Node {
    fn attr(&self, ns: &str, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n.is(ns, local))
            .map(|(_, v)| v.as_str())
    }

    /// Attributes that are properties (not RDF syntax, not `xml:lang`).
    fn property_attrs(&self) -> impl Iterator<Item = &(QName, String)> {
        self.attrs
            .iter()
            .filter(|(n, _)| n.ns != RDF && n.ns != XML && !n.ns.is_empty())
    }
}

/// Returns the XMP packet (`<x:xmpmeta …>…</x:xmpmeta>`, or a bare
/// `<rdf:RDF>…</rdf:RDF>`) inside `data`, if any.
pub(crate) fn find_packet(data: &[u8]) -> Option<&[u8]> {
    for (open, close) in [
        (&b"<x:xmpmeta"[..], &b"</x:xmpmeta>"[..]),
        (&b"<rdf:RDF"[..], &b"</rdf:RDF>"[..]),
    ] {
        if let Some(start) = find(data, open) {
            let end = find(&data[start..], close)
                .map(|e| start + e + close.len())
                .unwrap_or(data.len());
            return Some(&data[start..end]);
        }
    }
    None
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Parses the XMP in `data` and merges its properties into `col.meta.xmp`.
pub(crate) fn decode(data: &[u8], what: &str, col: &mut Collector) {
    let Some(packet) = find_packet(data) else {
        col.warn(format!("{what}: no XMP packet found"));
        return;
    };
    let text = String::from_utf8_lossy(packet);
    let (nodes, error) = build_tree(&text);
    if let Some(e) = error {
        col.warn(format!("{what}: malformed XMP: {e}"));
    }
    let mut acc: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut count = 0usize;
    let mut flat = Flattener {
        nodes: &nodes,
        acc: &mut acc,
        count: &mut count,
    };
    for (i, n) in nodes.iter().enumerate() {
        if n.name.is(RDF, "RDF") {
            for &c in &n.children {
                flat.node(c, "", 0);
            }
            let _ = i;
        }
    }
    if count > MAX_VALUES {
        col.warn(format!(
            "{what}: XMP has more than {MAX_VALUES} values; the rest was ignored"
        ));
    }
    for (k, vals) in acc {
        let joined = vals.join("; ");
        col.meta
            .xmp
            .entry(k)
            .and_modify(|v| {
                if *v != joined {
                    v.push_str("; ");
                    v.push_str(&joined);
                }
            })
            .or_insert(joined);
    }
}

fn owned_ns(r: &ResolveResult<'_>) -> String {
    match r {
        ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
        _ => String::new(),
    }
}

/// Builds the element tree; returns what was built and the first error, if
/// any (the tree up to the error is kept).
fn build_tree(text: &str) -> (Vec<Node>, Option<String>) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut reader = NsReader::from_str(text);
    reader.config_mut().trim_text(false);
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (owned_ns(&ns), ev),
            Err(e) => return (nodes, Some(e.to_string())),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if nodes.len() >= MAX_NODES {
                    return (nodes, Some(format!("more than {MAX_NODES} elements")));
                }
                if stack.len() >= MAX_DEPTH {
                    return (nodes, Some(format!("nested deeper than {MAX_DEPTH}")));
                }
                let qn = e.name();
                let name = QName {
                    ns,
                    prefix: qn
                        .prefix()
                        .map(|p| String::from_utf8_lossy(p.as_ref()).into_owned())
                        .unwrap_or_default(),
                    local: String::from_utf8_lossy(qn.local_name().as_ref()).into_owned(),
                };
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = match a {
                        Ok(a) => a,
                        Err(err) => return (nodes, Some(err.to_string())),
                    };
                    let raw_key = a.key.as_ref();
                    if raw_key == b"xmlns" || raw_key.starts_with(b"xmlns:") {
                        continue;
                    }
                    let (ans, alocal) = reader.resolve_attribute(a.key);
                    let aname = QName {
                        ns: owned_ns(&ans),
                        prefix: a
                            .key
                            .prefix()
                            .map(|p| String::from_utf8_lossy(p.as_ref()).into_owned())
                            .unwrap_or_default(),
                        local: String::from_utf8_lossy(alocal.as_ref()).into_owned(),
                    };
                    let value = match a.unescape_value() {
                        Ok(v) => v.into_owned(),
                        Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
                    };
                    attrs.push((aname, value));
                }
                let id = nodes.len();
                nodes.push(Node {
                    name,
                    attrs,
                    children: Vec::new(),
                    text: String::new(),
                });
                if let Some(&parent) = stack.last() {
                    nodes[parent].children.push(id);
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(id);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                if let Some(&cur) = stack.last() {
                    match t.xml_content() {
                        Ok(s) => nodes[cur].text.push_str(&s),
                        Err(e) => return (nodes, Some(e.to_string())),
                    }
                }
            }
            Event::CData(t) => {
                if let Some(&cur) = stack.last() {
                    nodes[cur].text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&cur) = stack.last() {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => r
                            .decode()
                            .ok()
                            .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
                            .map(str::to_string),
                    };
                    match resolved {
                        Some(s) => nodes[cur].text.push_str(&s),
                        None => {
                            nodes[cur].text.push('&');
                            nodes[cur].text.push_str(&String::from_utf8_lossy(&r));
                            nodes[cur].text.push(';');
                        }
                    }
                }
            }
            Event::Eof => return (nodes, None),
            _ => {}
        }
    }
}

struct Flattener<'a> {
    nodes: &'a [Node],
    acc: &'a mut BTreeMap<String, Vec<String>>,
    count: &'a mut usize,
}

impl Flattener<'_> {
    fn push(&mut self, key: String, value: String) {
        *self.count += 1;
        if *self.count <= MAX_VALUES {
            self.acc.entry(key).or_default().push(value);
        }
    }

    /// A node element (`rdf:Description` or a typed node): its properties
    /// go under `path`.
    fn node(&mut self, id: usize, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let n = &self.nodes[id];
        for (name, value) in n.property_attrs() {
            self.push(format!("{path}{}", name.key()), value.clone());
        }
        for &c in &n.children {
            let key = format!("{path}{}", self.nodes[c].name.key());
            self.value(c, key, depth + 1);
        }
    }

    /// The value of a property element `id`, recorded under `key`.
    fn value(&mut self, id: usize, key: String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let n = &self.nodes[id];
        if let Some(res) = n.attr(RDF, "resource") {
            self.push(key, res.to_string());
            return;
        }
        let sub = format!("{key}/");
        if n.attr(RDF, "parseType") == Some("Resource") {
            self.node(id, &sub, depth + 1);
            return;
        }
        if !n.children.is_empty() {
            for &c in &n.children {
                let child = &self.nodes[c];
                let is_array = child.name.ns == RDF
                    && matches!(child.name.local.as_str(), "Seq" | "Bag" | "Alt");
                if is_array {
                    for &li in &child.children {
                        self.value(li, key.clone(), depth + 2);
                    }
                } else {
                    // rdf:Description or a typed node: a struct.
                    self.node(c, &sub, depth + 1);
                }
            }
            return;
        }
        if n.property_attrs().next().is_some() {
            // Shorthand struct: fields as attributes of the property element.
            self.node(id, &sub, depth + 1);
            return;
        }
        self.push(key, n.text.trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Collector, MediaMetadata};

    fn col() -> Collector {
        Collector {
            meta: MediaMetadata::default(),
            exif: None,
            want_thumbnail: false,
            thumbnail: None,
            dims: None,
        }
    }

    const PACKET: &str = r#"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'>
<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
 <rdf:Description rdf:about='' xmlns:xap='http://ns.adobe.com/xap/1.0/'
   xap:CreatorTool='Editor &amp; Co 1.0'>
  <xap:CreateDate>2024-03-05T14:22:01+05:00</xap:CreateDate>
 </rdf:Description>
 <rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'>
  <dc:creator><rdf:Seq><rdf:li>Investigator A</rdf:li><rdf:li>B &#x4B;</rdf:li></rdf:Seq></dc:creator>
  <dc:title><rdf:Alt><rdf:li xml:lang='x-default'>Title</rdf:li></rdf:Alt></dc:title>
 </rdf:Description>
 <rdf:Description xmlns:exif='http://ns.adobe.com/exif/1.0/'>
  <exif:Flash rdf:parseType='Resource'><exif:Fired>False</exif:Fired></exif:Flash>
  <exif:Other exif:Mode='2'/>
  <exif:Nested><rdf:Description><exif:Inner>x</exif:Inner></rdf:Description></exif:Nested>
 </rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>"#;

    #[test]
    fn flattens_rdf_forms() {
        let mut c = col();
        decode(PACKET.as_bytes(), "test", &mut c);
        let x = &c.meta.xmp;
        assert_eq!(x["xmp:CreatorTool"], "Editor & Co 1.0");
        assert_eq!(x["xmp:CreateDate"], "2024-03-05T14:22:01+05:00");
        assert_eq!(x["dc:creator"], "Investigator A; B K");
        assert_eq!(x["dc:title"], "Title");
        assert_eq!(x["exif:Flash/exif:Fired"], "False");
        assert_eq!(x["exif:Other/exif:Mode"], "2");
        assert_eq!(x["exif:Nested/exif:Inner"], "x");
        assert!(c.meta.warnings.is_empty(), "{:?}", c.meta.warnings);
    }

    #[test]
    fn truncated_packets_do_not_panic() {
        for end in 0..PACKET.len() {
            if !PACKET.is_char_boundary(end) {
                continue;
            }
            let mut c = col();
            decode(&PACKET.as_bytes()[..end], "test", &mut c);
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut s = String::from(
            "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>",
        );
        for _ in 0..10_000 {
            s.push_str("<a:b xmlns:a='urn:a'>");
        }
        let mut c = col();
        decode(s.as_bytes(), "test", &mut c);
        assert!(!c.meta.warnings.is_empty());
    }
}
